//! The intruder acts: knowledge with provenance, messages composed from it and injected, and
//! for every "cannot" the forgery that tries hardest — without the key — refused by its
//! receiver with the error that names the check.

use std::sync::{Arc, OnceLock};

use dmikey::Error;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, Pki, PkiNeed, Provisioner, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::scenario::{CHOSEN_TGK, presets};
use dmikey::sim::{
    Bytes, Command, FactKind, ForgeField, ForgeSpec, How, MsgKind, Node, Origin, PacketAction,
    PacketFate, Pick, Simulation,
};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let need = PkiNeed {
            seed: Some(3830),
            tps: 8,
            rsa_bits: RsaBits::B1024,
            sensor_cert: true,
            psk_with_r: true,
        };
        Arc::new(Provisioner::run(&need, &mut dmikey::cost::Meter::new()).unwrap())
    })
    .clone()
}

fn cfg(n: u8, k: u8, scheme: Scheme) -> SessionConfig {
    let mut c = SessionConfig::distributed(n, k, scheme);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(5);
    c
}

fn run_preset(id: &str) -> Simulation {
    let p = presets(RsaBits::B1024, Some(7)).into_iter().find(|p| p.id == id).unwrap();
    let mut sim = Simulation::with_pki(p.config.clone(), pki()).unwrap();
    for c in &p.commands {
        sim.apply(c.clone()).unwrap_or_else(|e| panic!("{id}: {}: {e}", c.describe()));
    }
    sim.run_to_end();
    sim
}

/// The forged packets of a run and their fates.
fn forged(sim: &Simulation) -> Vec<(String, PacketFate)> {
    dmikey::sim::view::packets(sim)
        .into_iter()
        .filter(|p| matches!(p.origin, Origin::Forged { .. }))
        .map(|p| (p.label, p.fate))
        .collect()
}

#[test]
fn colluding_tps_make_r_accept_the_intruders_tgk() {
    let sim = run_preset("colluding-impersonation");
    assert_eq!(sim.responder().tgk(), Some(&CHOSEN_TGK[..]), "R holds the TGK the intruder chose");
    assert_ne!(sim.responder().tgk(), sim.sensor().tgk());
    let v = sim.verdict();
    assert!(v.r_rebuilt_tgk && !v.r_tgk_is_sensors, "{}", v.sentence);
    assert!(v.sentence.contains("R was fooled"), "{}", v.sentence);
    let f = forged(&sim);
    assert_eq!(f.len(), 3);
    for (label, fate) in &f {
        assert_eq!(*fate, PacketFate::Delivered, "{label} accepted by R");
    }
    // Every forged TPi_R was fully protected: signed with the stolen TP keys.
    assert!(v.forged_messages.iter().all(|m| m.fully_protected && m.accepted));
    // The sensor is not fooled: R's R_I is keyed with the wrong TGK.
    assert!(!v.sensor_verified_r);
}

#[test]
fn a_forged_r_i_under_the_rebuilt_tgk_fools_the_sensor() {
    let sim = run_preset("forged-r-i");
    let v = sim.verdict();
    assert!(v.sensor_accepted_forgery, "{}", v.sentence);
    assert!(!v.r_rebuilt_tgk, "R got no share");
    assert!(sim.responder().tgk().is_none());
    assert!(v.sentence.contains("forged R_I"), "{}", v.sentence);
}

#[test]
fn a_forged_r_i_without_the_tgk_is_refused_by_the_sensor_mac_check() {
    let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
    sim.apply(Command::Arm { label: "R_I".into(), action: PacketAction::Drop }).unwrap();
    let spec = ForgeSpec::new(MsgKind::RI, Node::Responder, Node::Sensor);
    let p = sim.assess(&spec);
    assert!(p.iter().any(|p| !p.can), "without the TGK the V MAC cannot be computed: {p:?}");
    sim.apply(Command::Inject { spec }).unwrap();
    sim.run_to_end();
    let f = forged(&sim);
    assert_eq!(f.len(), 1);
    match &f[0].1 {
        PacketFate::Rejected { by: Node::Sensor, error: Error::MacMismatch { .. } } => {}
        other => panic!("expected the sensor's MAC check to refuse it, got {other:?}"),
    }
    assert!(!sim.verdict().sensor_accepted_forgery);
}

#[test]
fn a_forged_tp_r_with_the_certificate_but_not_the_key_is_refused_by_r() {
    let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
    // Let TP1_R travel: the intruder reads TP1's certificate off the wire.
    while !sim.capture().iter().any(|p| p.label == "TP1_R") {
        sim.step().unwrap();
    }
    let k = sim.intruder().knowledge();
    assert!(k.holds(&FactKind::Certificate { owner: Node::Tp(1) }));
    assert!(!k.holds(&FactKind::RsaPrivateKey { owner: Node::Tp(1) }));
    let spec = ForgeSpec {
        tgk: Some(Bytes::Typed(CHOSEN_TGK.to_vec())),
        // Not the T of the real TP1_R, so R's replay cache lets it through to the signature.
        timestamp: Some(Pick::Typed(sim.now().plus_ms(1000).ntp())),
        ..ForgeSpec::new(MsgKind::TpR, Node::Tp(1), Node::Responder)
    };
    let prot = sim.assess(&spec);
    let sign = prot.iter().find(|p| p.what == "SIGN").unwrap();
    assert!(!sign.can && sign.needs.contains("RSA private key of TP1"), "{sign:?}");
    assert!(prot.iter().find(|p| p.what.starts_with("CERT")).unwrap().can);
    sim.apply(Command::Inject { spec }).unwrap();
    sim.run_to_end();
    let f = forged(&sim);
    match &f[0].1 {
        PacketFate::Rejected { by: Node::Responder, error: Error::SignatureInvalid { signer } } => {
            assert_eq!(signer, "TP1")
        }
        other => panic!("R must refuse the unsigned TPi_R by its signature check: {other:?}"),
    }
    assert_eq!(sim.responder().tgk(), sim.sensor().tgk(), "R still holds the sensor's TGK");
}

#[test]
fn a_forged_i_tp_without_the_psk_is_refused_by_the_tp_and_with_it_accepted() {
    for steal in [false, true] {
        let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
        if steal {
            sim.apply(Command::StealKeys { node: Node::Tp(2) }).unwrap();
        }
        sim.apply(Command::Arm { label: "I_TP2".into(), action: PacketAction::Drop }).unwrap();
        let spec = ForgeSpec {
            share: Some(Bytes::Typed(b"XXXXXX".to_vec())),
            ..ForgeSpec::new(MsgKind::ITp, Node::Sensor, Node::Tp(2))
        };
        assert_eq!(sim.assess(&spec)[0].can, steal);
        sim.apply(Command::Inject { spec }).unwrap();
        sim.run_to_end();
        let f = forged(&sim);
        if steal {
            assert_eq!(f[0].1, PacketFate::Delivered, "TP2 accepts an I_TP2 under its PSK");
            // … and R's key check sets the intruder's share aside.
            assert_eq!(sim.responder().tgk(), sim.sensor().tgk());
        } else {
            match &f[0].1 {
                PacketFate::Rejected { by: Node::Tp(2), error: Error::MacMismatch { .. } } => {}
                other => panic!("TP2 must refuse it by its KEMAC MAC: {other:?}"),
            }
        }
    }
}

#[test]
fn the_kcv_search_runs_and_finds_the_sensors_tgk() {
    let sim = run_preset("kcv-brute-force");
    let r = sim.intruder_report();
    let s = r.kcv_search.clone().expect("the search ran");
    assert_eq!(s.bits, 16);
    assert!(s.found);
    assert!(s.guesses >= 1 && s.guesses <= 1 << 16, "{s:?}");
    assert_eq!(sim.intruder().tgk(), sim.sensor().tgk(), "the intruder's TGK is the sensor's");
    assert_eq!(r.tgk_correct, Some(true));
    assert!(sim.intruder().tek(1).is_some());
    // The searched share is a fact that says how it was found.
    let share8 = r.knowledge.find(&FactKind::Share { index: 8 }).unwrap();
    assert_eq!(share8.how, How::Searched { bits: 16, guesses: s.guesses });
}

#[test]
fn the_kcv_search_refuses_what_it_cannot_bound() {
    let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
    sim.apply(Command::Compromise { tp: 1 }).unwrap();
    let e = sim.apply(Command::SearchKcv).unwrap_err();
    assert!(matches!(e, Error::SearchNotPossible { .. }), "{e}");
    // Shamir: 7 of 8 shares reveal nothing, the missing share is 128 bits wide.
    let mut sim = Simulation::with_pki(cfg(8, 8, Scheme::Shamir), pki()).unwrap();
    for tp in 1..=7 {
        sim.apply(Command::Compromise { tp }).unwrap();
    }
    assert!(matches!(sim.apply(Command::SearchKcv), Err(Error::SearchNotPossible { .. })));
    assert!(sim.intruder().tgk().is_none());
}

#[test]
fn knowledge_chains_go_back_to_the_compromise() {
    let sim = run_preset("k-compromised");
    let k = sim.intruder_report().knowledge;
    let tgk = k.facts().iter().find(|f| matches!(f.kind, FactKind::Tgk { .. })).unwrap();
    let chain = k.chain(tgk.id);
    assert_eq!(
        chain,
        "the TGK ⇐ shares 1, 2, 3 ⇐ PSKs of TP1, TP2, TP3 + I_TP1 + I_TP2 + I_TP3 ⇐ \
         compromise of TP1, TP2, TP3, captured on the wire"
    );
    assert!(chain.contains("PSKs of TP1, TP2, TP3"), "{chain}");
    assert!(chain.contains("compromise of TP1"), "{chain}");
    // Every parent of every fact exists and came before it.
    for f in k.facts() {
        for p in &f.parents {
            assert!(*p < f.id, "fact {} has a later parent {p}", f.id);
        }
        assert!(!f.sentence.is_empty());
    }
}

#[test]
fn a_key_stolen_later_opens_past_sessions_except_under_dh() {
    for (mode, opens) in [(Mode::Psk, true), (Mode::Pk, true), (Mode::Dh, false)] {
        let mut c = SessionConfig::standard(mode);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(11);
        let mut sim = Simulation::with_pki(c, pki()).unwrap();
        sim.run_to_end();
        assert!(sim.intruder().tgk().is_none(), "{mode:?}: nothing before the theft");
        sim.apply(Command::StealKeys { node: Node::Responder }).unwrap();
        assert_eq!(sim.intruder().tgk().is_some(), opens, "{mode:?}");
        if opens {
            assert_eq!(sim.intruder().tgk(), sim.sensor().tgk(), "{mode:?}");
            assert_eq!(sim.intruder().tek(1), sim.sensor().teks().first().map(|t| &t.tek[..]));
        } else {
            let k = sim.intruder().knowledge();
            assert!(k.facts().iter().any(|f| matches!(f.kind, FactKind::Unopenable { .. })));
            // It really holds R's RSA key and tried every opener it has on every packet.
            assert!(k.holds(&FactKind::RsaPrivateKey { owner: Node::Responder }));
        }
    }
}

#[test]
fn without_the_key_check_a_malicious_tp_goes_unnoticed_by_r() {
    let sim = run_preset("paper-without-kcv");
    let v = sim.verdict();
    assert!(v.r_rebuilt_tgk && !v.r_tgk_is_sensors, "{}", v.sentence);
    // R itself refused nothing from TP2 and never failed a rebuild.
    let r_noticed = sim.events().iter().any(|e| {
        matches!(
            &e.kind,
            dmikey::sim::EventKind::RebuildFailed { .. }
                | dmikey::sim::EventKind::BadShare { tp: 2, .. }
        )
    });
    assert!(!r_noticed);
    // The same TP with the key check on: R keeps the sensor's TGK.
    let on = run_preset("malicious-tp");
    assert_eq!(on.responder().tgk(), on.sensor().tgk());
}

#[test]
fn forged_packets_are_marked_in_the_key_log() {
    let sim = run_preset("colluding-impersonation");
    let log = sim.keylog_json();
    assert_eq!(log.matches("\"forged\":true").count(), 3, "{log}");
}

#[test]
fn preview_and_injection_give_the_same_bytes() {
    let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
    sim.apply(Command::Compromise { tp: 1 }).unwrap();
    let spec = ForgeSpec::new(MsgKind::TpR, Node::Tp(1), Node::Responder);
    let preview = sim.forge(&spec).unwrap();
    assert!(preview.fully_protected(), "{}", preview.describe());
    sim.apply(Command::Inject { spec }).unwrap();
    assert_eq!(sim.capture().last().unwrap().bytes, preview.bytes);
}

#[test]
fn verification_messages_forged_without_their_key_are_refused_by_their_mac() {
    // TPi_I without TP1's PSK: the sensor (which asked for TPi_I) checks its V MAC.
    let mut c = cfg(5, 3, Scheme::PaperRs);
    c.optional.tp_i = true;
    let mut sim = Simulation::with_pki(c, pki()).unwrap();
    let spec = ForgeSpec::new(MsgKind::TpI, Node::Tp(1), Node::Sensor);
    assert!(!sim.assess(&spec)[0].can);
    sim.apply(Command::Inject { spec }).unwrap();
    sim.run_to_end();
    match &forged(&sim)[0].1 {
        PacketFate::Rejected { by: Node::Sensor, error: Error::MacMismatch { .. } } => {}
        other => panic!("the sensor must refuse the forged TP1_I by its MAC: {other:?}"),
    }
    // R_TPi with and without R's RSA key (which opens TP1_R's envelope key).
    for steal in [false, true] {
        let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
        while !sim.capture().iter().any(|p| p.label == "TP1_R") {
            sim.step().unwrap();
        }
        if steal {
            sim.apply(Command::StealKeys { node: Node::Responder }).unwrap();
        }
        sim.apply(Command::Arm { label: "R_TP1".into(), action: PacketAction::Drop }).unwrap();
        let spec = ForgeSpec::new(MsgKind::RTp, Node::Responder, Node::Tp(1));
        assert_eq!(sim.assess(&spec)[0].can, steal);
        sim.apply(Command::Inject { spec }).unwrap();
        sim.run_to_end();
        match (&forged(&sim)[0].1, steal) {
            (PacketFate::Delivered, true) => {}
            (PacketFate::Rejected { by: Node::Tp(1), error: Error::MacMismatch { .. } }, false) => {
            }
            (other, _) => panic!("forged R_TP1 (R's key stolen: {steal}): {other:?}"),
        }
    }
}

fn standard(mode: Mode) -> SessionConfig {
    let mut c = SessionConfig::standard(mode);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(13);
    c
}

#[test]
fn with_both_signing_keys_stolen_the_intruder_is_a_man_in_the_middle_of_dh() {
    let sim = run_preset("dh-mitm");
    let (r, i) = (sim.responder().tgk().unwrap(), sim.sensor().tgk().unwrap());
    assert_ne!(r, i, "each side agreed a different TGK");
    let k = sim.intruder().knowledge();
    // It holds the sensor's TGK (g^(ax)) …
    assert_eq!(sim.intruder().tgk(), Some(i));
    assert_eq!(sim.intruder_report().tgk_correct, Some(true));
    // … and R's (g^(bx)), each computed from its own exponent and the other side's value.
    let r_fact = k.find(&FactKind::DhSecret { with: Node::Responder }).expect("R's TGK");
    assert_eq!(r_fact.value, r);
    assert_eq!(r_fact.how, How::Agreed);
    assert!(k.chain(r_fact.id).contains("own DH exponent"), "{}", k.chain(r_fact.id));
    // Both forgeries were signed with the stolen keys and accepted.
    let v = sim.verdict();
    assert!(v.forged_messages.iter().all(|m| m.fully_protected && m.accepted), "{v:?}");
    assert!(v.sensor_accepted_forgery && !v.r_tgk_is_sensors, "{}", v.sentence);
    assert!(sim.intruder().tek(1).is_some());
}

#[test]
fn dh_messages_forged_without_the_signing_key_are_refused_by_the_signature() {
    // Neither key held: R refuses the forged I_MESSAGE, the sensor the forged R_MESSAGE, each
    // by the signature check, and nobody's TGK is the intruder's.
    let mut sim = Simulation::with_pki(standard(Mode::Dh), pki()).unwrap();
    sim.apply(Command::Arm { label: "I_MESSAGE (DH)".into(), action: PacketAction::Drop }).unwrap();
    for (kind, from, to) in [
        (MsgKind::DhInit, Node::Sensor, Node::Responder),
        (MsgKind::DhResp, Node::Responder, Node::Sensor),
    ] {
        let spec = ForgeSpec::new(kind, from, to);
        let sign = sim.assess(&spec).into_iter().find(|p| p.what == "SIGN").unwrap();
        assert!(!sign.can, "{sign:?}");
        let f = sim.forge(&spec).unwrap();
        assert!(!f.fully_protected() && f.describe().contains("SIGN: garbage"), "{}", f.describe());
        sim.apply(Command::Inject { spec }).unwrap();
    }
    sim.run_to_end();
    let f = forged(&sim);
    assert_eq!(f.len(), 2);
    for (label, fate) in &f {
        match fate {
            PacketFate::Rejected { error: Error::SignatureInvalid { .. }, .. } => {}
            other => panic!("{label} must be refused by its signature: {other:?}"),
        }
    }
    // It knows g^(ax) for the R_MESSAGE it sent, but the sensor refused it: that is nobody's TGK.
    assert!(sim.intruder().knowledge().holds(&FactKind::DhSecret { with: Node::Sensor }));
    assert!(sim.intruder().tgk().is_none());
    assert!(sim.sensor().tgk().is_none() && sim.responder().tgk().is_none());
    assert!(!sim.verdict().intruder_rebuilt_tgk);
}

#[test]
fn with_only_r_key_the_intruder_impersonates_r_to_the_sensor_over_dh() {
    let mut sim = Simulation::with_pki(standard(Mode::Dh), pki()).unwrap();
    sim.apply(Command::StealKeys { node: Node::Responder }).unwrap();
    sim.apply(Command::Arm { label: "R_MESSAGE (DH)".into(), action: PacketAction::Drop }).unwrap();
    let spec = ForgeSpec::new(MsgKind::DhResp, Node::Responder, Node::Sensor);
    assert!(sim.assess(&spec).iter().all(|p| p.can));
    sim.apply(Command::Inject { spec }).unwrap();
    sim.run_to_end();
    assert_eq!(forged(&sim)[0].1, PacketFate::Delivered);
    assert_eq!(sim.intruder().tgk(), sim.sensor().tgk(), "the sensor's TGK is the intruder's");
    assert_ne!(sim.responder().tgk(), sim.sensor().tgk());
    // Its own exponent only serves against R's value if R answered it: not here.
    assert!(!sim.intruder().knowledge().holds(&FactKind::DhSecret { with: Node::Responder }));
}

#[test]
fn standard_psk_and_pk_messages_are_composable_and_need_their_keys() {
    for mode in [Mode::Psk, Mode::Pk] {
        for steal in [false, true] {
            let mut sim = Simulation::with_pki(standard(mode), pki()).unwrap();
            if steal {
                sim.apply(Command::StealKeys { node: Node::Sensor }).unwrap();
                sim.apply(Command::StealKeys { node: Node::Responder }).unwrap();
            }
            let kinds = ForgeSpec::kinds_for(mode);
            assert_eq!(kinds.len(), 2, "{mode:?}");
            let init = kinds[0];
            let label = if mode == Mode::Psk { "I_MESSAGE (PSK)" } else { "I_MESSAGE (PK)" };
            sim.apply(Command::Arm { label: label.into(), action: PacketAction::Drop }).unwrap();
            let (from, to) = ForgeSpec::usual_route(init);
            let spec = ForgeSpec {
                tgk: Some(Bytes::Typed(vec![0x42; 16])),
                timestamp: Some(Pick::Typed(sim.now().plus_ms(5).ntp())),
                ..ForgeSpec::new(init, from, to)
            };
            assert_eq!(sim.assess(&spec).iter().all(|p| p.can), steal, "{mode:?}");
            sim.apply(Command::Inject { spec }).unwrap();
            sim.run_to_end();
            let fate = &forged(&sim)[0].1;
            if steal {
                assert_eq!(*fate, PacketFate::Delivered, "{mode:?}");
                assert_eq!(sim.responder().tgk(), Some(&[0x42; 16][..]), "{mode:?}");
            } else {
                match (mode, fate) {
                    (Mode::Psk, PacketFate::Rejected { error: Error::MacMismatch { .. }, .. })
                    | (
                        Mode::Pk,
                        PacketFate::Rejected { error: Error::SignatureInvalid { .. }, .. },
                    ) => {}
                    other => panic!("{other:?}"),
                }
                assert!(sim.responder().tgk().is_none());
            }
        }
    }
}

#[test]
fn every_field_can_be_picked_from_a_captured_message() {
    let mut sim = Simulation::with_pki(cfg(5, 3, Scheme::PaperRs), pki()).unwrap();
    sim.apply(Command::Compromise { tp: 1 }).unwrap();
    while !sim.capture().iter().any(|p| p.label == "TP2_R") {
        sim.step().unwrap();
    }
    let k = sim.intruder().knowledge().clone();
    let i_tp2 = k
        .facts()
        .iter()
        .find(|f| matches!(&f.kind, FactKind::Captured { label, .. } if label == "I_TP2"))
        .unwrap();
    // The captured I_TP2 gives every public field, with its provenance.
    for field in ForgeField::ALL {
        let c = field.candidates(&k);
        let from_i_tp2 = c.iter().find(|c| c.fact == i_tp2.id);
        match field {
            ForgeField::Tgk | ForgeField::Share => assert!(from_i_tp2.is_none(), "{field:?}"),
            _ => {
                let c = from_i_tp2.unwrap_or_else(|| panic!("{field:?} not read from I_TP2"));
                assert!(c.name.contains("I_TP2") && c.chain.contains("captured"), "{c:?}");
            }
        }
    }
    // The share TP1's PSK opened gives the share and its index.
    let share1 = k.find(&FactKind::Share { index: 1 }).unwrap().id;
    assert!(ForgeField::Share.candidates(&k).iter().any(|c| c.fact == share1));
    assert!(ForgeField::Index.candidates(&k).iter().any(|c| c.fact == share1));
    // A TP1_R built from I_TP2's fields carries them: index 2, I_TP2's RAND, T, CSB ID, KCV.
    let spec = ForgeSpec {
        share: Some(Pick::Fact(share1)),
        index: Some(Pick::Fact(i_tp2.id)),
        k: Some(Pick::Fact(i_tp2.id)),
        n: Some(Pick::Fact(i_tp2.id)),
        kcv: Some(Pick::Fact(i_tp2.id)),
        timestamp: Some(Pick::Fact(i_tp2.id)),
        id_i: Some(Pick::Fact(i_tp2.id)),
        rand: Some(Pick::Fact(i_tp2.id)),
        csb_id: Some(Pick::Fact(i_tp2.id)),
        ..ForgeSpec::new(MsgKind::TpR, Node::Tp(1), Node::Responder)
    };
    let text = spec.to_text();
    assert_eq!(ForgeSpec::parse(&text).as_ref(), Ok(&spec), "{text}");
    let forged = sim.forge(&spec).unwrap();
    let d = dmikey::wire::Message::decode(&forged.bytes).unwrap();
    let read = |f: ForgeField| {
        let fact = dmikey::sim::Fact { value: forged.bytes.clone(), ..i_tp2.clone() };
        (f.read(&fact), f.read(i_tp2))
    };
    for f in [
        ForgeField::Index,
        ForgeField::Kcv,
        ForgeField::T,
        ForgeField::Rand,
        ForgeField::Csb,
        ForgeField::IdI,
    ] {
        let (got, want) = read(f);
        assert_eq!(got, want, "{f:?} of the forged TP1_R");
    }
    assert!(!d.message.payloads.is_empty());
    // A fact that does not give the field is refused by name.
    let psk = k.find(&FactKind::PskWithTp { tp: 1 }).unwrap().id;
    let bad = ForgeSpec {
        rand: Some(Pick::Fact(psk)),
        ..ForgeSpec::new(MsgKind::TpR, Node::Tp(1), Node::Responder)
    };
    match sim.forge(&bad) {
        Err(Error::ForgeField { field: "rand", reason }) => {
            assert!(reason.contains("gives no RAND"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}
