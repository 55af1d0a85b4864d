//! pcapng (the pcap next-generation format, draft-ietf-opsawg-pcapng) of a run: the same
//! IPv4/UDP frames as [`super::pcap`] (same addresses, port 2269, checksums), with a comment
//! on a packet where there is something to say — the intruder's forgeries carry
//! "forged by the intruder: …", which Wireshark shows as the packet comment (`frame.comment`,
//! filter `frame.comment contains "forged"`). Classic pcap has no room for that.
//!
//! Blocks written, little-endian: a Section Header Block, one Interface Description Block
//! (link type as in [`LinkType`], snap length 65 535, microsecond timestamps — the default
//! resolution) and one Enhanced Packet Block per record, its comment in an `opt_comment`
//! option (code 1).

use super::pcap::{LinkType, Record, frame};

/// One packet of the capture, with its comment.
#[derive(Debug, Clone, Copy)]
pub struct Annotated<'a> {
    pub record: Record<'a>,
    /// The packet comment (`opt_comment`), if any.
    pub comment: Option<&'a str>,
}

fn pad4(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
}

/// A block: type, total length, body, total length again.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let total = (12 + body.len()) as u32;
    let mut b = Vec::with_capacity(total as usize);
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(&total.to_le_bytes());
    b.extend_from_slice(body);
    b.extend_from_slice(&total.to_le_bytes());
    b
}

/// Options: each (code, value) padded to 32 bits, then opt_endofopt.
fn options(opts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut o = Vec::new();
    for (code, value) in opts {
        // An option's length field is 16 bits: longer values are cut (comments are short).
        let value = value.get(..usize::from(u16::MAX)).unwrap_or(value);
        o.extend_from_slice(&code.to_le_bytes());
        o.extend_from_slice(&(value.len() as u16).to_le_bytes());
        o.extend_from_slice(value);
        pad4(&mut o);
    }
    if !o.is_empty() {
        o.extend_from_slice(&[0, 0, 0, 0]);
    }
    o
}

/// Writes a pcapng file. `epoch_unix` is the wall-clock second of simulated time 0.
pub fn write(records: &[Annotated<'_>], epoch_unix: u64, link: LinkType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes()); // byte-order magic
    shb.extend_from_slice(&1u16.to_le_bytes()); // major version
    shb.extend_from_slice(&0u16.to_le_bytes()); // minor version
    shb.extend_from_slice(&(-1i64).to_le_bytes()); // section length: not given
    shb.extend_from_slice(&options(&[(4, b"dmikey")])); // shb_userappl
    out.extend_from_slice(&block(0x0A0D_0D0A, &shb));

    let mut idb = Vec::new();
    idb.extend_from_slice(&(link.code() as u16).to_le_bytes());
    idb.extend_from_slice(&0u16.to_le_bytes()); // reserved
    idb.extend_from_slice(&65_535u32.to_le_bytes()); // snap length
    out.extend_from_slice(&block(1, &idb));

    for (n, a) in records.iter().enumerate() {
        let r = &a.record;
        let data = frame(r, n as u16, link);
        let caplen = data.len().min(65_535);
        let us =
            epoch_unix.saturating_mul(1_000_000).saturating_add(r.time_ms.saturating_mul(1000));
        let mut epb = Vec::with_capacity(32 + data.len());
        epb.extend_from_slice(&0u32.to_le_bytes()); // interface 0
        epb.extend_from_slice(&((us >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(us as u32).to_le_bytes());
        epb.extend_from_slice(&(caplen as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(data.get(..caplen).unwrap_or(&data));
        pad4(&mut epb);
        if let Some(c) = a.comment {
            epb.extend_from_slice(&options(&[(1, c.as_bytes())]));
        }
        out.extend_from_slice(&block(6, &epb));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Node;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[test]
    fn blocks_are_aligned_and_lengths_agree() {
        let r = Record { time_ms: 1500, from: Node::Sensor, to: Node::Tp(2), payload: b"abc" };
        let recs = [
            Annotated { record: r, comment: None },
            Annotated { record: r, comment: Some("forged by the intruder: X") },
        ];
        let f = write(&recs, 1_700_000_000, LinkType::RawIp);
        let mut at = 0;
        let mut kinds = Vec::new();
        while at < f.len() {
            let (kind, len) = (u32_at(&f, at), u32_at(&f, at + 4) as usize);
            assert_eq!(len % 4, 0, "block at {at} not 32-bit aligned");
            assert_eq!(u32_at(&f, at + len - 4) as usize, len, "trailing length at {at}");
            kinds.push(kind);
            if kind == 6 {
                let ts = (u64::from(u32_at(&f, at + 12)) << 32) | u64::from(u32_at(&f, at + 16));
                assert_eq!(ts, 1_700_000_001_500_000);
            }
            at += len;
        }
        assert_eq!(at, f.len());
        assert_eq!(kinds, [0x0A0D_0D0A, 1, 6, 6]);
        assert!(f.windows(25).any(|w| w == b"forged by the intruder: X"));
    }
}
