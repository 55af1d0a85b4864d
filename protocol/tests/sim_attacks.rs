//! Determinism and the attacker: the same seed and commands give byte-identical packets and
//! events; every replayed message is rejected; tampered messages are rejected and never make
//! R accept a wrong TGK; commands on packets that are gone fail with a named error.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{Command, EventKind, Link, Node, Origin, PacketAction, Simulation, Tamper};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut c = SessionConfig::distributed(3, 2, Scheme::Shamir);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(3);
        Arc::new(Simulation::provision(&c).unwrap())
    })
    .clone()
}

fn session(seed: u64) -> Simulation {
    let mut c = SessionConfig::distributed(3, 2, Scheme::PaperRs);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(seed);
    c.optional.tp_i = true; // every message kind of the distributed mode
    Simulation::with_pki(c, pki()).unwrap()
}

fn attacked(seed: u64) -> Simulation {
    let mut sim = session(seed);
    sim.apply(Command::SetLossRate { permille: 200 }).unwrap();
    sim.apply(Command::Compromise { tp: 1 }).unwrap();
    sim.apply(Command::Arm { label: "TP2_R".into(), action: PacketAction::Delay { ms: 30 } })
        .unwrap();
    sim.apply(Command::Arm {
        label: "TP3_R".into(),
        action: PacketAction::ReplayAfterDelivery { to: None, after_ms: 5 },
    })
    .unwrap();
    sim.run_to_end();
    sim
}

#[test]
fn same_seed_and_commands_give_byte_identical_packets_and_events() {
    let a = attacked(42);
    let b = attacked(42);
    assert_eq!(a.capture(), b.capture());
    assert_eq!(a.events(), b.events());
    assert_eq!(a.pcap(), b.pcap());
    assert_eq!(a.keylog_json(), b.keylog_json());
    let c = attacked(43);
    assert_ne!(a.capture().first().map(|p| &p.bytes), c.capture().first().map(|p| &p.bytes));
}

#[test]
fn unseeded_runs_differ() {
    let mut c = SessionConfig::distributed(3, 2, Scheme::Shamir);
    c.rsa_bits = RsaBits::B1024;
    c.seed = None;
    let a = Simulation::with_pki(c.clone(), pki()).unwrap();
    let b = Simulation::with_pki(c, pki()).unwrap();
    assert_ne!(a.capture()[0].bytes, b.capture()[0].bytes);
}

fn rejections(sim: &Simulation) -> usize {
    sim.events()
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Rejected { .. } | EventKind::VerificationFailed { .. })
        })
        .count()
}

fn good_news(sim: &Simulation) -> usize {
    sim.events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::ShareAccepted { .. }
                    | EventKind::ShareForwarded { .. }
                    | EventKind::TgkRebuilt { .. }
                    | EventKind::TekDerived { .. }
                    | EventKind::VerificationPassed { .. }
            )
        })
        .count()
}

#[test]
fn every_replayed_message_is_rejected() {
    let mut done = session(1);
    done.run_to_end();
    assert!(done.verdict().r_rebuilt_tgk);
    let originals: Vec<_> =
        done.capture().iter().filter(|p| p.origin == Origin::Role).cloned().collect();
    assert!(originals.len() >= 11, "I_TP×3, TP_I×3, TP_R×3, R_TP×3, R_I");
    for p in originals {
        let mut sim = done.clone();
        let (rej, good) = (rejections(&sim), good_news(&sim));
        sim.apply(Command::Replay { packet: p.id, to: None }).unwrap();
        sim.run_to_end();
        assert_eq!(rejections(&sim), rej + 1, "replayed {} was not rejected", p.label);
        assert_eq!(good_news(&sim), good, "replayed {} was accepted", p.label);
    }
}

#[test]
fn tampered_messages_are_rejected_and_r_never_accepts_a_wrong_tgk() {
    let labels = ["I_TP1", "TP1_I", "TP2_R", "R_TP3", "R_I"];
    for label in labels {
        for offset in [0usize, 7, 20, 33, 60] {
            let mut sim = session(2);
            sim.apply(Command::Arm {
                label: label.into(),
                action: PacketAction::Tamper(Tamper::FlipByte { offset, mask: 0x80 }),
            })
            .unwrap();
            sim.run_to_end();
            let tampered =
                sim.capture().iter().find(|p| p.tampered).expect("the packet was tampered");
            assert_eq!(tampered.label, label);
            assert!(rejections(&sim) >= 1, "{label} with byte {offset} flipped was accepted");
            if let Some(t) = sim.responder().tgk() {
                assert_eq!(Some(t), sim.sensor().tgk(), "R accepted a wrong TGK");
            }
        }
    }
}

#[test]
fn replacing_a_named_field_uses_the_wire_layout() {
    let mut sim = session(4);
    let id = sim.in_flight()[0].id;
    let before = sim.capture()[id].bytes.clone();
    sim.apply(Command::Tamper {
        packet: id,
        how: Tamper::ReplaceField {
            payload: Some("HDR".into()),
            field: "CSB ID".into(),
            bytes: vec![0xde, 0xad, 0xbe, 0xef],
        },
    })
    .unwrap();
    let after = &sim.capture()[id].bytes;
    assert_eq!(after.len(), before.len());
    let diff: Vec<usize> = (0..after.len()).filter(|&i| after[i] != before[i]).collect();
    assert!(
        !diff.is_empty() && diff.len() <= 4 && diff.iter().all(|&i| (4..10).contains(&i)),
        "{diff:?}"
    );
    let err = sim
        .apply(Command::Tamper {
            packet: id,
            how: Tamper::ReplaceField {
                payload: None,
                field: "no such field".into(),
                bytes: vec![1],
            },
        })
        .unwrap_err();
    assert!(err.to_string().contains("no such field"));
}

#[test]
fn commands_on_missing_packets_or_tps_are_named_errors() {
    let mut sim = session(5);
    sim.run_to_end();
    let e = sim.apply(Command::Drop { packet: 0 }).unwrap_err();
    assert!(e.to_string().contains("no longer in flight"), "{e}");
    let e = sim.apply(Command::Drop { packet: 9999 }).unwrap_err();
    assert!(e.to_string().contains("no packet #9999"), "{e}");
    let e = sim.apply(Command::Compromise { tp: 9 }).unwrap_err();
    assert!(e.to_string().contains("TP9"), "{e}");
    let e = sim.apply(Command::SetLossRate { permille: 1001 }).unwrap_err();
    assert!(e.to_string().contains("1001"), "{e}");
}

#[test]
fn a_link_down_loses_what_crosses_it() {
    let mut sim = session(6);
    sim.apply(Command::LinkDown(Link::new(Node::Tp(1), Node::Responder))).unwrap();
    sim.apply(Command::LinkDown(Link::new(Node::Tp(2), Node::Responder))).unwrap();
    sim.run_to_end();
    let v = sim.verdict();
    assert!(!v.r_rebuilt_tgk);
    assert_eq!(v.r_shares, (1, 2));
    assert!(sim.events().iter().any(|e| e.describe().contains("is down")));
}

#[test]
fn every_event_describes_itself() {
    let sim = attacked(7);
    for e in sim.events() {
        let s = e.describe();
        assert!(!s.is_empty() && !s.ends_with('.'), "{s:?}");
    }
}

/// Every packet is decoded once, when it is sent (and again when a tamper changes its bytes);
/// receiver and intruder are handed that decoding, so it must be the decoding of the bytes
/// as they travel — after a flip that breaks the chain, a field replacement and replays too.
#[test]
fn the_one_decoding_of_every_packet_is_that_of_its_bytes_as_they_travel() {
    let mut sim = session(8);
    sim.apply(Command::Compromise { tp: 1 }).unwrap();
    sim.apply(Command::Arm {
        label: "TP1_R".into(),
        action: PacketAction::ReplayAfterDelivery { to: None, after_ms: 5 },
    })
    .unwrap();
    let id = |sim: &Simulation, label: &str| {
        sim.in_flight().iter().find(|p| p.label == label).map(|p| p.id).unwrap()
    };
    // HDR's Next payload byte (offset 2) pointing at no payload: the decoder refuses it.
    let i_tp2 = id(&sim, "I_TP2");
    sim.apply(Command::Tamper { packet: i_tp2, how: Tamper::FlipByte { offset: 2, mask: 0xff } })
        .unwrap();
    let i_tp3 = id(&sim, "I_TP3");
    sim.apply(Command::Tamper {
        packet: i_tp3,
        how: Tamper::ReplaceField {
            payload: Some("HDR".into()),
            field: "CSB ID".into(),
            bytes: vec![0xde, 0xad, 0xbe, 0xef],
        },
    })
    .unwrap();
    sim.run_to_end();
    let mut undecodable = 0;
    for p in sim.capture() {
        let fresh = dmikey::wire::Message::decode(&p.bytes);
        assert_eq!(p.decoded(), fresh.as_ref(), "{}: the kept decoding", p.label);
        if let Ok(d) = p.decoded() {
            assert_eq!(d.bytes(), &p.bytes[..], "{}: the bytes decoded", p.label);
        }
        if let (Err(e), dmikey::sim::Fate::Delivered { rejected, .. }) = (p.decoded(), &p.fate) {
            undecodable += 1;
            let r = rejected.as_ref().expect("an undecodable packet is rejected");
            assert_eq!((&r.by, &r.error), (&p.to, e), "{}: the decoder's error", p.label);
        }
    }
    assert_eq!(undecodable, 1, "the flipped I_TP2 does not decode");
    assert!(sim.capture().iter().any(|p| p.tampered && p.decoded().is_ok()), "I_TP3 decodes");
    assert!(sim.capture().iter().any(|p| p.origin != Origin::Role), "a replay was sent");
}
