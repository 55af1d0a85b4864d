//! The narration a speaker reads and a screen reader announces (`sim::view::narration`): proper
//! sentences — each a capital at its start and a period at its end — with one name per role
//! throughout ("the sensor", "TP1", "R", "the CA", "the intruder"), at every step of every
//! preset; and the presenter's "next step" is the narration the step will really have.

use std::sync::{Arc, Mutex, OnceLock};

use dmikey::sim::view::narration;
use dmikey::sim::{
    self, Mode, Node, Pki, Player, RsaBits, SessionConfig, Simulation, next_narration, role_name,
};

/// One PKI per (mode, n), provisioned once for the whole test binary.
fn pki(cfg: &SessionConfig) -> Arc<Pki> {
    type Cache = Mutex<Vec<((Mode, u8), Arc<Pki>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let key = (cfg.mode, cfg.tps());
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = c.iter().find(|(k, _)| *k == key) {
        return p.clone();
    }
    let p = Arc::new(Simulation::provision(cfg).expect("provisioning"));
    c.push((key, p.clone()));
    p
}

fn player(preset: &sim::Preset) -> Player<Simulation> {
    let mut cfg = preset.config.clone();
    cfg.seed = Some(2016);
    let pki = pki(&cfg);
    let mut p = Player::new(Simulation::with_pki(cfg, pki).expect("the session starts"));
    for c in &preset.commands {
        p.try_edit(|s| s.apply(c.clone())).expect("the preset's command applies");
    }
    p
}

/// The sentences after the step's head ("Step 3: …").
fn sentences(text: &str) -> Vec<&str> {
    let body = text.split_once(": ").map_or("", |(_, b)| b);
    body.strip_suffix('.').unwrap_or(body).split(". ").filter(|s| !s.is_empty()).collect()
}

#[test]
fn the_default_run_opens_with_proper_sentences() {
    let preset = &sim::presets(RsaBits::B1024, Some(2016))[0];
    let p = player(preset);
    let start = narration(p.current(), 0);
    assert!(
        start.starts_with("Step 0, the start of the run: The sensor starts a session (CSB ID 0x"),
        "{start}"
    );
    assert!(start.contains(". The sensor sends I_TP1 to TP1 ("), "{start}");
    assert!(start.ends_with('.'), "{start}");
}

#[test]
fn every_step_of_every_preset_is_told_in_sentences_with_one_name_per_role() {
    // The diagrams' one-letter labels are not names in sentences ("CA certificate" is a thing).
    let short_names = [" I ", " X ", "I sends", "X sends", "at I:", "to I "];
    for preset in sim::presets(RsaBits::B1024, Some(2016)) {
        let mut p = player(&preset);
        loop {
            let at = p.position();
            let text = narration(p.current(), at);
            assert!(text.starts_with(&format!("Step {at}")), "{}: {text}", preset.id);
            assert!(text.ends_with('.'), "{} step {at}: no period: {text}", preset.id);
            for s in sentences(&text) {
                let first = s.chars().next().unwrap_or(' ');
                assert!(
                    !first.is_lowercase(),
                    "{} step {at}: {s:?} starts in lower case",
                    preset.id
                );
            }
            for short in short_names {
                assert!(!text.contains(short), "{} step {at}: {short:?} in {text}", preset.id);
            }
            let next = next_narration(&p);
            let moved = p.step_forward();
            match next {
                Some(n) => {
                    assert!(moved, "{}: a next step announced after the end", preset.id);
                    assert_eq!(n, narration(p.current(), p.position()), "{} step {at}", preset.id);
                }
                None => assert!(!moved, "{}: no next step announced at {at}", preset.id),
            }
            if !moved {
                break;
            }
        }
    }
}

#[test]
fn role_names_are_one_per_role() {
    assert_eq!(role_name(Node::Sensor), "the sensor");
    assert_eq!(role_name(Node::Responder), "R");
    assert_eq!(role_name(Node::Tp(3)), "TP3");
    assert_eq!(role_name(Node::Ca), "the CA");
    assert_eq!(role_name(Node::Intruder), "the intruder");
}
