//! Every preset of the demonstrator reaches its one-line verdict, and the Player can step
//! back and seek through it to the same states.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::scenario::presets;
use dmikey::sim::{Player, Simulation};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut c = SessionConfig::distributed(5, 3, Scheme::Shamir);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(2016);
        Arc::new(Simulation::provision(&c).unwrap())
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
