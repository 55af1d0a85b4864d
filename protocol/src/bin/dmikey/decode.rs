//! `dmikey decode`: every MIKEY message in a file (hex, base64, SDP, RTSP or pcap), each byte
//! annotated, the encrypted parts opened and the MACs checked with the keys given.

use dmikey::sim::{Check, DecodeKeys, InputFormat, Level, Opened, decode_input};

/// Parses `decode` options and prints the annotated messages.
pub fn decode(p: &mut lexopt::Parser) -> Result<(), String> {
    use lexopt::prelude::*;
    let mut format = InputFormat::Auto;
    let mut file: Option<String> = None;
    let mut keys = DecodeKeys::default();
    let mut json = false;
    let hex_arg = |v: String, what: &str| -> Result<Vec<u8>, String> {
        let v = v.trim().trim_start_matches("0x");
        if !v.len().is_multiple_of(2) || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{what} wants an even number of hex digits"));
        }
        Ok((0..v.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(v.get(i..i + 2)?, 16).ok())
            .collect())
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("hex") => format = InputFormat::Hex,
            Long("base64") => format = InputFormat::Base64,
            Long("sdp") => format = InputFormat::Sdp,
            Long("rtsp") => format = InputFormat::Rtsp,
            Long("pcap") => format = InputFormat::Pcap,
            Long("psk") => keys.psk = Some(hex_arg(string(p)?, "--psk")?),
            Long("envelope-key") => {
                keys.envelope_key = Some(hex_arg(string(p)?, "--envelope-key")?)
            }
            Long("rsa-key") => keys.rsa_private_key = Some(read(&string(p)?)?),
            Long("ca") => keys.ca_cert = Some(read(&string(p)?)?),
            Long("json") => json = true,
            Value(v) if file.is_none() => {
                file = Some(v.into_string().map_err(|_| "FILE is not UTF-8".to_string())?)
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let file = file.ok_or("decode needs a FILE (- for standard input)")?;
    let input = read(&file)?;
    let decoded = decode_input(&input, format, &keys).map_err(|e| format!("{file}: {e}"))?;
    if json {
        println!("{}", decoded.to_json());
        return Ok(());
    }
    for m in &decoded.messages {
        let i = &m.inspection;
        println!("== {} ({} bytes) ==", m.origin, i.bytes.len());
        for (pi, pb) in i.payloads.iter().enumerate() {
            println!("{} [{}..{})", pb.name, pb.range.start, pb.range.end);
            for f in i.fields.iter().filter(|f| f.payload == pi) {
                let bytes = i.bytes.get(f.span.range.clone()).unwrap_or_default();
                println!(
                    "  {:>4}..{:<4} {:<24} {:<20} {}",
                    f.span.range.start,
                    f.span.range.end,
                    f.span.label,
                    short_hex(bytes),
                    f.span.meaning
                );
            }
        }
        for d in &i.decrypted {
            println!("-- {} (needs {})", d.title, d.key_needed);
            match &d.opened {
                Opened::Open { values, .. } => {
                    for v in values {
                        println!("   {}: {}", v.name, hexs(&v.bytes));
                    }
                }
                Opened::Sealed { why } => println!("   cannot open: {why}"),
            }
        }
        for c in &i.calculations {
            let verdict = match &c.check {
                Check::Ok(s) => format!("OK — {s}"),
                Check::Failed(s) => format!("FAILED — {s}"),
                Check::Derived => "derived".into(),
                Check::NotChecked(s) => format!("not checked — {s}"),
            };
            println!(
                "-- {} [{}]: {} = {}  ({verdict})",
                c.title,
                c.rfc,
                c.output.name,
                hexs(&c.output.bytes)
            );
        }
        for c in &i.certificates {
            println!(
                "-- certificate: subject {}, issuer {}, RSA {} bits, e = {}, {}",
                c.subject, c.issuer, c.modulus_bits, c.exponent, c.signature_algorithm
            );
        }
        for f in &i.findings {
            let level = match f.level {
                Level::Info => "info",
                Level::Warning => "warning",
                Level::Error => "error",
            };
            println!(
                "{level}: {} {}",
                f.text,
                if f.rfc.is_empty() { String::new() } else { format!("({})", f.rfc) }
            );
        }
        println!();
    }
    for s in &decoded.skipped {
        println!("skipped {s}");
    }
    Ok(())
}

fn string(p: &mut lexopt::Parser) -> Result<String, String> {
    p.value()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|_| "an option value is not UTF-8".to_string())
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        use std::io::Read;
        let mut v = Vec::new();
        std::io::stdin().read_to_end(&mut v).map_err(|e| format!("standard input: {e}"))?;
        return Ok(v);
    }
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn short_hex(b: &[u8]) -> String {
    if b.len() <= 8 { hexs(b) } else { format!("{}…", hexs(&b[..8])) }
}
