//! Decode-any-input: hex, base64, SDP `a=key-mgmt:mikey` lines (RFC 4567), RTSP answers
//! (their SDP body or a `KeyMgmt` header) and pcap captures (classic libpcap, Ethernet or raw
//! IP, IPv4 or IPv6, UDP). Every reader is bounds-checked and returns a typed
//! [`InputError`]; nothing here panics on any input (fuzzed: `protocol/fuzz`).

use base64::Engine as _;

use super::engine;
use super::{DecodeKeys, DecodedInput, FoundMessage, InputError, InputFormat};

/// Base64 (standard alphabet, padding optional, whitespace ignored).
pub(super) fn base64_decode(text: &str) -> Result<Vec<u8>, InputError> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(clean.trim_end_matches('='))
        })
        .map_err(|e| InputError::BadBase64(e.to_string()))
}

pub(super) fn hex_decode(text: &str) -> Result<Vec<u8>, InputError> {
    let mut digits = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() || c == ':' || c == '-' {
            continue;
        }
        if c == '0' && matches!(chars.peek(), Some((_, 'x' | 'X'))) {
            chars.next();
            continue;
        }
        match c.to_digit(16) {
            Some(d) => digits.push(d as u8),
            None => return Err(InputError::BadHex { at, found: c }),
        }
    }
    if digits.len() % 2 == 1 {
        return Err(InputError::BadHex { at: text.len(), found: ' ' });
    }
    Ok(digits
        .chunks(2)
        .map(|p| (p.first().copied().unwrap_or(0) << 4) | p.get(1).copied().unwrap_or(0))
        .collect())
}

/// The MIKEY messages of an SDP or RTSP text: each `a=key-mgmt:mikey <base64>` line and each
/// `KeyMgmt: prot=mikey; data="<base64>"` header (RFC 4567 §3.1, §3.2).
fn from_text(text: &str) -> Result<Vec<(String, Vec<u8>)>, InputError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let l = line.trim();
        let lower = l.to_ascii_lowercase();
        if let Some(pos) = lower.find("a=key-mgmt:mikey") {
            let data = l.get(pos + "a=key-mgmt:mikey".len()..).unwrap_or("").trim();
            out.push((format!("SDP line {} (a=key-mgmt:mikey)", n + 1), base64_decode(data)?));
        } else if lower.starts_with("keymgmt:") && lower.contains("prot=mikey") {
            let Some(start) = lower.find("data=") else { continue };
            let data = l.get(start + 5..).unwrap_or("").trim_start_matches('"');
            let data = data.split('"').next().unwrap_or("");
            out.push((format!("RTSP line {} (KeyMgmt header)", n + 1), base64_decode(data)?));
        }
    }
    if out.is_empty() {
        return Err(InputError::NoMikey("no a=key-mgmt:mikey line and no KeyMgmt header".into()));
    }
    Ok(out)
}

fn u16_at(b: &[u8], at: usize, be: bool) -> Option<u16> {
    let s: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
    Some(if be { u16::from_be_bytes(s) } else { u16::from_le_bytes(s) })
}

fn u32_at(b: &[u8], at: usize, be: bool) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(if be { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) })
}

const PCAP_MAGIC: u32 = 0xA1B2_C3D4;
const PCAP_MAGIC_NS: u32 = 0xA1B2_3C4D;

fn is_pcap(b: &[u8]) -> bool {
    matches!(u32_at(b, 0, true), Some(PCAP_MAGIC | PCAP_MAGIC_NS))
        || matches!(u32_at(b, 0, false), Some(PCAP_MAGIC | PCAP_MAGIC_NS))
}

/// The UDP payload of an IP packet (IPv4 or IPv6), with "src → dst" in words.
fn udp_of_ip(ip: &[u8]) -> Result<(String, &[u8]), String> {
    let version = ip.first().ok_or("empty IP packet")? >> 4;
    let (proto, header_len, src, dst) = match version {
        4 => {
            let ihl = usize::from(ip.first().ok_or("empty")? & 0x0F) * 4;
            let proto = *ip.get(9).ok_or("IPv4 header cut short")?;
            let src = ip.get(12..16).ok_or("IPv4 header cut short")?;
            let dst = ip.get(16..20).ok_or("IPv4 header cut short")?;
            let f = |a: &[u8]| a.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
            (proto, ihl, f(src), f(dst))
        }
        6 => {
            let proto = *ip.get(6).ok_or("IPv6 header cut short")?;
            let f = |a: &[u8]| {
                a.chunks(2)
                    .map(|c| {
                        format!(
                            "{:x}",
                            u16::from_be_bytes([
                                c.first().copied().unwrap_or(0),
                                c.get(1).copied().unwrap_or(0)
                            ])
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(":")
            };
            (
                proto,
                40,
                f(ip.get(8..24).ok_or("IPv6 header cut short")?),
                f(ip.get(24..40).ok_or("IPv6 header cut short")?),
            )
        }
        v => return Err(format!("IP version {v}")),
    };
    if proto != 17 {
        return Err(format!("IP protocol {proto}, not UDP"));
    }
    let udp = ip.get(header_len..).ok_or("no UDP header")?;
    let sport = u16_at(udp, 0, true).ok_or("UDP header cut short")?;
    let dport = u16_at(udp, 2, true).ok_or("UDP header cut short")?;
    let len = usize::from(u16_at(udp, 4, true).ok_or("UDP header cut short")?);
    let payload = udp.get(8..len.max(8).min(udp.len())).ok_or("UDP length beyond the packet")?;
    Ok((format!("UDP {src}:{sport} → {dst}:{dport}"), payload))
}

/// The UDP payloads of a classic pcap.
/// Messages found (where, bytes) and frames skipped (why).
type Found = (Vec<(String, Vec<u8>)>, Vec<String>);

fn from_pcap(b: &[u8]) -> Result<Found, InputError> {
    let be = matches!(u32_at(b, 0, true), Some(PCAP_MAGIC | PCAP_MAGIC_NS));
    let bad = |s: &str| InputError::BadPcap(s.to_string());
    let link = u32_at(b, 20, be).ok_or_else(|| bad("the global header is cut short"))?;
    let mut at = 24usize;
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    let mut frame = 0usize;
    while at < b.len() {
        frame += 1;
        let incl = u32_at(b, at + 8, be).ok_or_else(|| bad("a record header is cut short"))?;
        let incl = usize::try_from(incl).map_err(|_| bad("a record length does not fit"))?;
        let start = at + 16;
        let data = b
            .get(start..start.saturating_add(incl))
            .ok_or_else(|| bad("a record runs past the end of the file"))?;
        at = start + incl;
        let ip = match link {
            1 => {
                let ethertype = u16_at(data, 12, true).unwrap_or(0);
                if ethertype != 0x0800 && ethertype != 0x86DD {
                    skipped.push(format!("frame {frame}: ethertype 0x{ethertype:04x}, not IP"));
                    continue;
                }
                data.get(14..).unwrap_or_default()
            }
            101 | 228 | 229 => data,
            other => {
                return Err(InputError::BadPcap(format!(
                    "link type {other} is not Ethernet (1) or raw IP (101)"
                )));
            }
        };
        match udp_of_ip(ip) {
            Ok((words, payload)) => {
                if payload.first() == Some(&1) {
                    out.push((format!("pcap frame {frame} ({words})"), payload.to_vec()));
                } else {
                    skipped.push(format!(
                        "frame {frame}: {words}, not a MIKEY message (version byte is not 1)"
                    ));
                }
            }
            Err(why) => skipped.push(format!("frame {frame}: {why}")),
        }
    }
    Ok((out, skipped))
}

fn guess(input: &[u8]) -> InputFormat {
    if is_pcap(input) {
        return InputFormat::Pcap;
    }
    let Ok(text) = core::str::from_utf8(input) else { return InputFormat::Pcap };
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("rtsp/") || lower.contains("\nkeymgmt:") {
        InputFormat::Rtsp
    } else if lower.contains("a=key-mgmt:") {
        InputFormat::Sdp
    } else if hex_decode(text).is_ok() {
        InputFormat::Hex
    } else {
        InputFormat::Base64
    }
}

pub(super) fn decode_input(
    input: &[u8],
    format: InputFormat,
    keys: &DecodeKeys,
) -> Result<DecodedInput, InputError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let format = if format == InputFormat::Auto { guess(input) } else { format };
    let text = || {
        core::str::from_utf8(input).map_err(|_| InputError::NoMikey("the input is not text".into()))
    };
    let (found, skipped) = match format {
        InputFormat::Pcap => {
            if !is_pcap(input) {
                return Err(InputError::BadPcap(
                    "no pcap magic number (pcapng is not read)".into(),
                ));
            }
            from_pcap(input)?
        }
        InputFormat::Hex => (vec![("hex input".to_string(), hex_decode(text()?)?)], Vec::new()),
        InputFormat::Base64 => {
            (vec![("base64 input".to_string(), base64_decode(text()?)?)], Vec::new())
        }
        InputFormat::Sdp | InputFormat::Rtsp | InputFormat::Auto => {
            (from_text(text()?)?, Vec::new())
        }
    };
    if found.is_empty() {
        return Err(InputError::NoMikey(format!(
            "none of the frames is a MIKEY message ({})",
            skipped.join("; ")
        )));
    }
    // A verification message is checked with the facts of the last I_MESSAGE of the same
    // CSB ID before it.
    let mut inits: Vec<engine::InitFacts> = Vec::new();
    let mut messages = Vec::new();
    for (origin, bytes) in found {
        let csb = crate::wire::Message::decode_partial(&bytes).hdr.map(|h| h.csb_id);
        let init = inits.iter().rev().find(|f| Some(f.csb_id) == csb).cloned();
        let mut inspection = engine::of_bytes(&bytes, keys, init);
        inspection.label = origin.clone();
        if let Some(f) = engine::init_facts(&bytes) {
            inits.push(f);
        }
        messages.push(FoundMessage { origin, inspection });
    }
    Ok(DecodedInput { format, messages, skipped })
}
