//! Every preset of the demonstrator reaches its one-line verdict, and the Player can step
//! back and seek through it to the same states.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, PkiNeed, Provisioner};
use dmikey::sim::scenario::presets;
use dmikey::sim::{Player, Simulation};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    // Enough for every preset: 8 TPs (kcv-brute-force), the sensor's certificate (PK, DH)
    // and the sensor–R PSK (PSK mode).
    PKI.get_or_init(|| {
        let need = PkiNeed {
            seed: Some(2016),
            tps: 8,
            rsa_bits: RsaBits::B1024,
            sensor_cert: true,
            psk_with_r: true,
        };
        Arc::new(Provisioner::run(&need, &mut dmikey::cost::Meter::new()).unwrap())
    })
    .clone()
}

#[test]
fn every_preset_reaches_its_verdict() {
    for p in presets(RsaBits::B1024, Some(7)) {
        let mut sim = Simulation::with_pki(p.config.clone(), pki()).unwrap();
        for c in &p.commands {
            sim.apply(c.clone()).unwrap();
        }
        sim.run_to_end();
        let v = sim.verdict();
        assert!(p.matches(&v), "preset {}: got {:?}\nexpected sentence: {}", p.id, v, p.sentence);
        // The intruder never claims a TGK that is not the real one.
        assert_ne!(sim.intruder_report().tgk_correct, Some(false), "preset {}", p.id);
    }
}

#[test]
fn presets_have_stable_unique_ids_and_distinct_verdicts() {
    let all = presets(RsaBits::B1024, Some(7));
    let mut ids: Vec<&str> = all.iter().map(|p| p.id).collect();
    for id in [
        "happy-path",
        "lossy-link",
        "one-too-many-lost",
        "one-compromised-rs",
        "one-compromised-shamir",
        "k-compromised",
        "replay",
        "tamper",
        "malicious-tp",
        "colluding-impersonation",
        "forged-r-i",
        "forged-i-tp",
        "kcv-brute-force",
        "paper-without-kcv",
        "xor-one-loss",
        "sensor-segment-tamper",
        "sensor-segment-replay",
        "psk-baseline",
        "pk-baseline",
        "dh-baseline",
        "dh-mitm",
    ] {
        assert!(ids.contains(&id), "no preset {id}");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "duplicate ids");
    // Presets that show different things end with different sentences (the two lossless
    // successes, happy-path and lossy-link, tell the same ending by design).
    let mut sentences: Vec<&str> =
        all.iter().filter(|p| p.id != "lossy-link").map(|p| p.sentence).collect();
    sentences.sort_unstable();
    let n = sentences.len();
    sentences.dedup();
    assert_eq!(sentences.len(), n, "two presets end with the same sentence");
}

#[test]
fn malicious_tp_never_makes_r_accept_a_wrong_tgk() {
    let p = presets(RsaBits::B1024, Some(9)).into_iter().find(|p| p.id == "malicious-tp").unwrap();
    let mut sim = Simulation::with_pki(p.config.clone(), pki()).unwrap();
    for c in &p.commands {
        sim.apply(c.clone()).unwrap();
    }
    sim.run_to_end();
    assert_eq!(sim.responder().tgk(), sim.sensor().tgk());
    assert!(sim.verdict().teks_match);
}

#[test]
fn player_step_back_and_seek_reproduce_the_same_states() {
    let p = presets(RsaBits::B1024, Some(11))
        .into_iter()
        .find(|p| p.id == "one-compromised-rs")
        .unwrap();
    let mut sim = Simulation::with_pki(p.config.clone(), pki()).unwrap();
    for c in &p.commands {
        sim.apply(c.clone()).unwrap();
    }
    let mut player = Player::new(sim);
    let end = player.run(10_000);
    let final_events = player.current().events().to_vec();
    let final_verdict = player.current().verdict();
    assert!(end > 5);
    player.seek(3);
    let at3 = player.current().events().to_vec();
    assert!(at3.len() < final_events.len());
    assert_eq!(&final_events[..at3.len()], &at3[..], "the past does not change");
    assert!(player.step_back());
    assert_eq!(player.position(), 2);
    player.seek(end);
    assert_eq!(player.current().events(), &final_events[..]);
    assert_eq!(player.current().verdict(), final_verdict);
}
