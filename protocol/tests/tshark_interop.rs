//! Our bytes, read by someone else: a pcap (IPv4/UDP port 2269) holding every kind of message
//! the PSK, PK, DH and distributed modes produce is decoded by Wireshark's MIKEY dissector
//! (`tshark -T pdml`) with no malformed packet and no expert error, and for each message the
//! chain of payloads tshark sees is the chain our own decoder sees. The pcap the `dmikey`
//! binary writes for each mode passes the same check.
//!
//! tshark is needed (Debian: `apt-get install tshark`); if it truly cannot be found the test
//! prints a loud notice and passes without checking.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use dmikey::crypto::rsa::RsaBits;
use dmikey::export::pcap::{self, LinkType, Record};
use dmikey::roles::{EPOCH_UNIX, Mode, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;
use dmikey::wire::{Message, PayloadKind};

fn tshark() -> Option<PathBuf> {
    for c in ["tshark", "/usr/bin/tshark", "/usr/local/bin/tshark"] {
        if Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(PathBuf::from(c));
        }
    }
    eprintln!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !!! tshark NOT FOUND: the Wireshark interop check was SKIPPED.             !!!\n\
         !!! Install it with: sudo apt-get install -y tshark                        !!!\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
    None
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dmikey-tshark-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// Per packet: (malformed or expert-error count, top-level MIKEY payload names in order).
fn pdml(tshark: &Path, file: &Path) -> Vec<(usize, Vec<String>)> {
    let out = Command::new(tshark).arg("-r").arg(file).args(["-T", "pdml"]).output().unwrap();
    assert!(out.status.success(), "tshark failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut packets = Vec::new();
    for block in text.split("<packet>").skip(1) {
        let mut bad = 0;
        let mut chain = Vec::new();
        for field in block.split("<field ").skip(1) {
            let Some(name) = field.strip_prefix("name=\"").and_then(|r| r.split('"').next()) else {
                continue;
            };
            if name == "_ws.malformed" {
                bad += 1;
            }
            // expert info with severity "error" (0x00800000)
            if name == "_ws.expert.severity" && field.contains("show=\"8388608\"") {
                bad += 1;
            }
            const HDR_FIELDS: [&str; 8] = [
                "version",
                "type",
                "next_payload",
                "prf_func",
                "csb_id",
                "cs_count",
                "cs_id_map_type",
                "srtp_id",
            ];
            if let Some(p) = name.strip_prefix("mikey.")
                && !p.contains('.')
                && !HDR_FIELDS.contains(&p)
            {
                chain.push(p.to_string());
            }
        }
        packets.push((bad, chain));
    }
    packets
}

fn tshark_name(k: PayloadKind) -> String {
    match k {
        PayloadKind::GenExt => "ext".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn session(mode: Mode, tamper_first: bool) -> Simulation {
    let mut c = match mode {
        Mode::Distributed => SessionConfig::distributed(3, 2, Scheme::Shamir),
        m => SessionConfig::standard(m),
    };
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(2269);
    c.optional.tp_i = true;
    let mut sim = Simulation::new(c).unwrap();
    if tamper_first {
        // a wrong MAC makes TP1 answer with an ERR message (docs/distributed-mode.md, "Errors")
        let id = sim.in_flight()[0].id;
        let len = sim.capture()[id].bytes.len();
        sim.apply(dmikey::sim::Command::Tamper {
            packet: id,
            how: dmikey::sim::Tamper::FlipByte { offset: len - 1, mask: 1 },
        })
        .unwrap();
    }
    sim.run_to_end();
    sim
}

#[test]
fn every_message_kind_of_every_mode_decodes_in_wireshark_as_we_encode_it() {
    let Some(tshark) = tshark() else { return };
    let sims: Vec<Simulation> = [Mode::Psk, Mode::Pk, Mode::Dh, Mode::Distributed]
        .into_iter()
        .map(|m| session(m, false))
        .chain([session(Mode::Distributed, true)])
        .collect();
    let mut records = Vec::new();
    let mut expected = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut t = 0;
    for sim in &sims {
        for p in sim.capture() {
            let d = Message::decode(&p.bytes).unwrap();
            expected.push((
                p.label.clone(),
                d.layout.payloads.iter().map(|s| tshark_name(s.kind)).collect::<Vec<_>>(),
            ));
            kinds.insert(format!("{:?}", p.kind));
            records.push(Record { time_ms: t, from: p.from, to: p.to, payload: &p.bytes });
            t += 1;
        }
    }
    for k in [
        "PskInit",
        "PskVerify",
        "PkInit",
        "PkVerify",
        "DhInit",
        "DhResp",
        "ITp",
        "TpI",
        "TpR",
        "RTp",
        "RI",
    ] {
        assert!(kinds.contains(k), "no {k} message in the capture");
    }
    for link in [LinkType::RawIp, LinkType::Ethernet] {
        let file = tmp(&format!("all-{link:?}.pcap"));
        std::fs::write(&file, pcap::write(&records, EPOCH_UNIX, link)).unwrap();
        let got = pdml(&tshark, &file);
        assert_eq!(got.len(), expected.len());
        for ((bad, chain), (label, want)) in got.iter().zip(&expected) {
            assert_eq!(*bad, 0, "{label}: tshark reports it malformed");
            assert_eq!(chain, want, "{label}: payload chain");
        }
    }
    eprintln!("tshark decoded {} messages of kinds {kinds:?}", expected.len());
}

#[test]
fn pcaps_written_by_the_binary_decode_without_malformed_packets() {
    let Some(tshark) = tshark() else { return };
    for mode in ["psk", "pk", "dh", "distributed"] {
        let file = tmp(&format!("{mode}.pcap"));
        let out = Command::new(env!("CARGO_BIN_EXE_dmikey"))
            .args([
                "run",
                "--mode",
                mode,
                "--scheme",
                "rs",
                "--tps",
                "4",
                "--threshold",
                "2",
                "--seed",
                "3",
            ])
            .args(["--rsa", "1024", "--tp-i", "--json", "--pcap"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{mode}: {}", String::from_utf8_lossy(&out.stderr));
        let got = pdml(&tshark, &file);
        assert!(!got.is_empty(), "{mode}: empty capture");
        for (i, (bad, chain)) in got.iter().enumerate() {
            assert_eq!(*bad, 0, "{mode}: packet {i} malformed");
            assert_eq!(
                chain.first().map(String::as_str),
                Some("hdr"),
                "{mode}: packet {i} is not MIKEY"
            );
        }
    }
}

/// Every kind the intruder can compose, forged with and without the keys it needs, in one
/// capture: tshark decodes each with no malformed packet and the payload chain we encode.
#[test]
fn every_forged_message_kind_decodes_in_wireshark() {
    use dmikey::sim::{Bytes, Command as C, FORGEABLE, ForgeSpec, MsgKind, Node, Origin};
    let Some(tshark) = tshark() else { return };
    let mut sims = Vec::new();
    for mode in [Mode::Distributed, Mode::Psk, Mode::Pk, Mode::Dh] {
        for with_keys in [false, true] {
            let mut sim = session(mode, false);
            if with_keys {
                let thefts: Vec<Node> = match mode {
                    Mode::Distributed => vec![Node::Tp(1), Node::Responder],
                    _ => vec![Node::Responder, Node::Sensor],
                };
                for n in thefts {
                    sim.apply(C::StealKeys { node: n }).unwrap();
                }
            }
            for kind in ForgeSpec::kinds_for(mode) {
                let (from, to) = ForgeSpec::usual_route(kind);
                let spec = ForgeSpec {
                    tgk: Some(Bytes::Typed(vec![0x42; 16])),
                    ..ForgeSpec::new(kind, from, to)
                };
                sim.apply(C::Inject { spec }).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            }
            sim.run_to_end();
            sims.push(sim);
        }
    }
    let mut records = Vec::new();
    let mut expected = Vec::new();
    let mut kinds: Vec<MsgKind> = Vec::new();
    for sim in &sims {
        for p in sim.capture().iter().filter(|p| matches!(p.origin, Origin::Forged { .. })) {
            let d = Message::decode(&p.bytes).unwrap();
            expected.push((
                p.label.clone(),
                d.layout.payloads.iter().map(|s| tshark_name(s.kind)).collect::<Vec<_>>(),
            ));
            if !kinds.contains(&p.kind) {
                kinds.push(p.kind);
            }
            records.push(Record {
                time_ms: records.len() as u64,
                from: p.from,
                to: p.to,
                payload: &p.bytes,
            });
        }
    }
    for k in FORGEABLE {
        assert!(kinds.contains(&k), "no forged {k:?}");
    }
    let file = tmp("forged.pcap");
    std::fs::write(&file, pcap::write(&records, EPOCH_UNIX, LinkType::RawIp)).unwrap();
    let got = pdml(&tshark, &file);
    assert_eq!(got.len(), expected.len());
    for ((bad, chain), (label, want)) in got.iter().zip(&expected) {
        assert_eq!(*bad, 0, "{label}: tshark reports it malformed");
        assert_eq!(chain, want, "{label}: payload chain");
    }
    eprintln!("tshark decoded {} forged messages of kinds {kinds:?}", expected.len());
}

/// The pcapng of a run marks each forged packet with a comment Wireshark shows
/// (`frame.comment`), decodes every packet as MIKEY with no malformed one, and leaves the
/// sensor's own packets without a comment.
#[test]
fn the_pcapng_marks_forged_packets_with_a_comment_wireshark_shows() {
    let Some(tshark) = tshark() else { return };
    let p = dmikey::sim::presets(RsaBits::B1024, Some(7))
        .into_iter()
        .find(|p| p.id == "colluding-impersonation")
        .unwrap();
    let mut sim = Simulation::new(p.config.clone()).unwrap();
    for c in &p.commands {
        sim.apply(c.clone()).unwrap();
    }
    sim.run_to_end();
    let file = tmp("forged.pcapng");
    std::fs::write(&file, sim.pcapng()).unwrap();
    let out = Command::new(&tshark)
        .arg("-r")
        .arg(&file)
        .args(["-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.comment"])
        .output()
        .unwrap();
    assert!(out.status.success(), "tshark failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), sim.capture().len(), "{text}");
    for (line, p) in lines.iter().zip(sim.capture()) {
        let comment = line.split_once('|').map_or("", |(_, c)| c);
        let forged = matches!(p.origin, dmikey::sim::Origin::Forged { .. });
        assert_eq!(comment.starts_with("forged by the intruder: "), forged, "{}: {line}", p.label);
        if forged {
            assert!(comment.contains(&p.label), "{line}");
        }
    }
    assert_eq!(text.matches("forged by the intruder").count(), 3, "{text}");
    for (i, (bad, chain)) in pdml(&tshark, &file).iter().enumerate() {
        assert_eq!(*bad, 0, "packet {i} malformed");
        assert_eq!(chain.first().map(String::as_str), Some("hdr"), "packet {i} is not MIKEY");
    }
}
