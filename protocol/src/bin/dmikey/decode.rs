//! `dmikey decode`: every MIKEY message in a file (hex, base64, SDP, RTSP or pcap), each byte
//! annotated, the encrypted parts opened and the MACs checked with the keys given.

use dmikey::sim::{Check, InputFormat, KeyInputs, Level, Opened, decode_input, decode_keys};

/// Parses `decode` options and prints the annotated messages.
pub fn decode(p: &mut lexopt::Parser) -> Result<(), String> {
    use lexopt::prelude::*;
    let mut format = InputFormat::Auto;
    let mut file: Option<String> = None;
    let mut json = false;
    let (mut psk, mut envelope) = (String::new(), String::new());
    let (mut rsa_key, mut ca) = (Vec::new(), Vec::new());
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("hex") => format = InputFormat::Hex,
            Long("base64") => format = InputFormat::Base64,
            Long("sdp") => format = InputFormat::Sdp,
            Long("rtsp") => format = InputFormat::Rtsp,
            Long("pcap") => format = InputFormat::Pcap,
            Long("psk") => psk = string(p)?,
            Long("envelope-key") => envelope = string(p)?,
            Long("rsa-key") => rsa_key = read(&string(p)?)?,
            Long("ca") => ca = read(&string(p)?)?,
            Long("json") => json = true,
            Value(v) if file.is_none() => {
                file = Some(v.into_string().map_err(|_| "FILE is not UTF-8".to_string())?)
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    // The same reading of the keys as the app's decode box (PEM, hex or DER for the RSA key
    // and the CA certificate).
    let keys = decode_keys(&KeyInputs {
        psk: psk.trim_start_matches("0x"),
        envelope_key: envelope.trim_start_matches("0x"),
        rsa_private_key: &rsa_key,
        ca_cert: &ca,
    })
    .map_err(|e| e.to_string())?;
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
