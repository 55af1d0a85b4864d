//! The deviations from the paper that `dmikey::mikey::NOTES` states about the bytes, checked on
//! the bytes of real sessions: what a TP copies from I_TPi into TPi_R, one T_I for all I_TPi,
//! both identities in I_TPi, no CHASH, R_TPi and R_I as MAC-only verification messages, and
//! R checking a TP's signature before it decrypts the envelope key.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::error::Error;
use dmikey::mikey::distributed;
use dmikey::roles::{Pki, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{Command, EventKind, MsgKind, Node, Packet, PacketAction, Simulation, Tamper};
use dmikey::wire::message::PayloadType;
use dmikey::wire::{Chash, DataType, Decoded, Kemac, Message, Payload, Pke, Rand, Sign, Sp, V};

const N: u8 = 4;

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(Simulation::provision(&config(Scheme::Shamir, 1)).unwrap())).clone()
}

fn config(scheme: Scheme, seed: u64) -> SessionConfig {
    let mut c = SessionConfig::distributed(N, 2, scheme);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(seed);
    c.optional.tp_i = true;
    c.optional.r_tp = true;
    c.optional.r_i = true;
    c
}

fn run(scheme: Scheme, seed: u64, commands: Vec<Command>) -> Simulation {
    let mut sim = Simulation::with_pki(config(scheme, seed), pki()).unwrap();
    for c in commands {
        sim.apply(c).unwrap();
    }
    sim.run_to_end();
    sim
}

fn sent(sim: &Simulation, kind: MsgKind) -> Vec<&Packet> {
    sim.capture().iter().filter(|p| p.kind == kind && !p.tampered).collect()
}

fn decoded(p: &Packet) -> Decoded {
    Message::decode(&p.bytes).unwrap_or_else(|e| panic!("{}: {e}", p.label))
}

fn count<P: PayloadType>(d: &Decoded) -> usize {
    d.message.all::<P>().count()
}

fn rand_of(d: &Decoded) -> Vec<u8> {
    d.message.first::<Rand>().map(|r| r.0.clone()).unwrap_or_default()
}

fn sps(d: &Decoded) -> Vec<Sp> {
    d.message.all::<Sp>().cloned().collect()
}

const SCHEMES: [Scheme; 4] = [Scheme::PaperRs, Scheme::Shamir, Scheme::Xor, Scheme::AontRs];

#[test]
fn a_tp_copies_the_sensors_hdr_fields_rand_and_sp_and_forwards_t_i() {
    for (seed, scheme) in SCHEMES.into_iter().enumerate() {
        let sim = run(scheme, seed as u64 + 10, vec![]);
        assert!(sim.verdict().r_rebuilt_tgk, "{scheme:?}: the session failed");
        let i_tp = sent(&sim, MsgKind::ITp);
        let tp_r = sent(&sim, MsgKind::TpR);
        assert_eq!((i_tp.len(), tp_r.len()), (usize::from(N), usize::from(N)));
        let t_i = decoded(i_tp[0]).message.timestamp().unwrap();
        for p in &i_tp {
            // one T_I for all I_TPi
            assert_eq!(decoded(p).message.timestamp(), Some(t_i), "{}", p.label);
        }
        for r in &tp_r {
            let Node::Tp(i) = r.from else { panic!("{} not from a TP", r.label) };
            let src = i_tp.iter().find(|p| p.to == Node::Tp(i)).unwrap();
            let (a, b) = (decoded(src), decoded(r));
            let (ha, hb) = (&a.message.hdr, &b.message.hdr);
            assert_eq!(hb.data_type, DataType::PkInit, "{}", r.label);
            assert_eq!(
                (ha.csb_id, ha.prf, &ha.cs_map),
                (hb.csb_id, hb.prf, &hb.cs_map),
                "{}: CSB ID, PRF, CS ID map",
                r.label
            );
            assert_eq!(rand_of(&a), rand_of(&b), "{}: RAND", r.label);
            assert!(!sps(&a).is_empty());
            assert_eq!(sps(&a), sps(&b), "{}: SP", r.label);
            let ext = b.message.dmikey_ext().unwrap().unwrap();
            assert_eq!(ext.t_i, Some(t_i), "{}: T_I forwarded", r.label);
            // the TP's own T, not the sensor's
            assert_ne!(b.message.timestamp(), Some(t_i), "{}: T is the TP's", r.label);
            assert_eq!(count::<Chash>(&b), 0, "{}: CHASH sent", r.label);
        }
    }
}

#[test]
fn i_tp_names_the_sensor_and_the_tp_and_a_tp_rejects_it_without_either() {
    let sim = run(Scheme::Shamir, 3, vec![]);
    for p in sent(&sim, MsgKind::ITp) {
        let d = decoded(p);
        let Node::Tp(i) = p.to else { panic!("{} not to a TP", p.label) };
        let ids = d.message.ids();
        assert_eq!(ids.len(), 2, "{}: IDi and IDr", p.label);
        assert_eq!(ids[0].data, sim.pki().ids.sensor, "{}: IDi is the sensor", p.label);
        assert_eq!(Some(&ids[1].data[..]), sim.pki().ids.tp(i), "{}: IDr is TP{i}", p.label);
        assert!(distributed::parse_i_tp(&d, &p.label).is_ok());
        for drop in 0..2 {
            // the same message without one of its ID payloads (re-encoded: no MAC check
            // happens before the structure is refused)
            let mut m = d.message.clone();
            let pos = m
                .payloads
                .iter()
                .enumerate()
                .filter(|(_, x)| matches!(x, Payload::Id(_)))
                .nth(drop)
                .map(|(j, _)| j)
                .unwrap();
            m.payloads.remove(pos);
            let err = distributed::parse_i_tp(&Message::decode(&m.encode()).unwrap(), &p.label)
                .unwrap_err();
            assert!(
                matches!(err, Error::PayloadMissing { payload, .. } if payload.starts_with("ID")),
                "{}: without ID #{drop}: {err}",
                p.label
            );
        }
    }
}

#[test]
fn r_tp_and_r_i_are_verification_messages_with_a_mac_and_nothing_encrypted() {
    let sim = run(Scheme::PaperRs, 4, vec![]);
    let r_tp = sent(&sim, MsgKind::RTp);
    assert_eq!(r_tp.len(), usize::from(N));
    for (p, dt) in r_tp
        .into_iter()
        .map(|p| (p, DataType::PkVerify))
        .chain(sent(&sim, MsgKind::RI).into_iter().map(|p| (p, DataType::PskVerify)))
    {
        let d = decoded(p);
        assert_eq!(d.message.hdr.data_type, dt, "{}", p.label);
        assert_eq!(count::<V>(&d), 1, "{}: one V", p.label);
        for (what, n) in
            [("KEMAC", count::<Kemac>(&d)), ("PKE", count::<Pke>(&d)), ("SIGN", count::<Sign>(&d))]
        {
            assert_eq!(n, 0, "{}: has {what}", p.label);
        }
    }
    assert_eq!(sent(&sim, MsgKind::RI).len(), 1);
}

#[test]
fn r_checks_the_signature_before_it_decrypts_the_envelope_key() {
    // Flip each byte of TP1_R's PKE payload (the RSA-encrypted envelope key): were R to decrypt
    // first, the RSA decryption would fail; R must instead refuse the signature.
    let seed = 5;
    let clean = run(Scheme::Shamir, seed, vec![]);
    let tp1_r = sent(&clean, MsgKind::TpR).into_iter().find(|p| p.from == Node::Tp(1)).unwrap();
    let d = decoded(tp1_r);
    let (_, range) = d.find::<Pke>().unwrap();
    let offsets = [range.start + 4, (range.start + range.end) / 2, range.end - 1];
    for offset in offsets {
        let sim = run(
            Scheme::Shamir,
            seed,
            vec![Command::Arm {
                label: "TP1_R".into(),
                action: PacketAction::Tamper(Tamper::FlipByte { offset, mask: 0x80 }),
            }],
        );
        let errors: Vec<&Error> = sim
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Rejected { by: Node::Responder, label, error }
                | EventKind::VerificationFailed { by: Node::Responder, label, error }
                    if label == "TP1_R" =>
                {
                    Some(error)
                }
                _ => None,
            })
            .collect();
        assert_eq!(errors.len(), 1, "offset {offset}: {errors:?}");
        assert!(
            matches!(errors[0], Error::SignatureInvalid { .. }),
            "offset {offset}: R said {} — not the signature",
            errors[0]
        );
        // the other three shares still make the session
        assert!(sim.verdict().r_rebuilt_tgk, "offset {offset}");
    }
}
