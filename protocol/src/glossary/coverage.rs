//! Every term-like word the protocol puts on screen is in the glossary: the narration of every
//! step of every preset (the default run is the first), its event log and verdict, the claims,
//! the cost view's sentences, the set-up labels and the inspector's payload and field names.
//! A word is term-like if it is an acronym (two or more capitals, digits and `_` allowed, as
//! "KCV", "I_TP1", "SHA"), or one of the multi-word terms below; the test fails with the list
//! of those the glossary does not annotate.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Span, annotate, lookup};
use crate::sim::energy::{CostSetup, FrameModel, ModeCost, Prices, Profile, compare, text};
use crate::sim::view::narration;
use crate::sim::{
    AVISPA_PARAGRAPH, KemacProfile, Mode, NOTES, Player, RsaBits, Scheme, Simulation, ViewModel,
    claims, decode_layout, presets,
};

/// Words in capitals that are not terms: units, formats and plain English.
const NOT_TERMS: &[&str] = &[];

/// Multi-word terms a student needs explained wherever they occur.
const PHRASES: &[&str] = &[
    "envelope key",
    "key check value",
    "pre-shared key",
    "public key",
    "private key",
    "third party",
    "third parties",
    "replay cache",
    "crypto session",
    "security policy",
    "key data",
    "General Extension",
    "threshold",
    "share",
];

/// The texts, each with where it comes from.
fn texts() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut pkis: Vec<((Mode, u8), Arc<crate::sim::Pki>)> = Vec::new();
    for preset in presets(RsaBits::B1024, Some(2016)) {
        let mut cfg = preset.config.clone();
        cfg.seed = Some(2016);
        let key = (cfg.mode, cfg.tps());
        let pki = match pkis.iter().find(|(k, _)| *k == key) {
            Some((_, p)) => p.clone(),
            None => {
                let p = Arc::new(Simulation::provision(&cfg).expect("provisioning"));
                pkis.push((key, p.clone()));
                p
            }
        };
        let mut p = Player::new(Simulation::with_pki(cfg, pki).expect("the session starts"));
        for c in &preset.commands {
            p.try_edit(|s| s.apply(c.clone())).expect("the preset's command applies");
        }
        let id = preset.id;
        out.push((format!("{id}: title"), preset.title.to_string()));
        out.push((format!("{id}: story"), preset.story.to_string()));
        out.push((format!("{id}: sentence"), preset.sentence.to_string()));
        loop {
            let at = p.position();
            out.push((format!("{id} step {at}: narration"), narration(p.current(), at)));
            if !p.step_forward() || at > 400 {
                break;
            }
        }
        let model = ViewModel::of(&p, Some(&preset));
        for e in &model.events {
            out.push((format!("{id} step {}: event", e.step), e.text.clone()));
        }
        out.push((format!("{id}: verdict"), model.verdict.verdict.sentence.clone()));
        for packet in &model.packets {
            if let Ok(layout) = decode_layout(&packet.bytes) {
                for payload in layout {
                    out.push((format!("{id}: payload"), payload.name.to_string()));
                    for f in payload.fields {
                        out.push((format!("{id}: field of {}", payload.name), f.label.to_string()));
                    }
                }
            }
        }
    }
    for c in claims() {
        for (what, t) in [("property", c.property), ("paper", c.paper), ("why", c.why)] {
            out.push((format!("claim {}: {what}", c.id), t.to_string()));
        }
    }
    out.push(("AVISPA paragraph".into(), AVISPA_PARAGRAPH.to_string()));
    for d in NOTES {
        out.push((format!("deviation {}", d.id), format!("{} {} {}", d.paper, d.here, d.why)));
    }
    for m in Mode::ALL {
        out.push(("mode".into(), m.title().to_string()));
    }
    for s in [Scheme::PaperRs, Scheme::Shamir, Scheme::Xor, Scheme::AontRs] {
        out.push(("scheme".into(), s.name().to_string()));
        out.push(("scheme".into(), s.description().to_string()));
    }
    for k in [KemacProfile::AesCmHmacSha1, KemacProfile::AesCcm128, KemacProfile::AesCcm128Tag8] {
        out.push(("KEMAC profile".into(), k.name().to_string()));
    }
    let setup = CostSetup {
        n: 5,
        k: 3,
        scheme: Scheme::PaperRs,
        rsa_bits: RsaBits::B1024,
        kemac: KemacProfile::AesCmHmacSha1,
        seed: 11,
    };
    let pki = Arc::new(setup.provision_upto(16).expect("provisioning"));
    let frames = FrameModel::IEEE_802_15_4;
    for profile in [Profile::mote2005(), Profile::modern_mcu()] {
        let prices = Prices::of(profile);
        let costs: Vec<ModeCost> = compare::run_all(&setup, &pki)
            .expect("the sessions run")
            .iter()
            .map(|r| ModeCost::new(r, &prices, &frames))
            .collect();
        for s in text::findings(&costs) {
            out.push(("costs: finding".into(), s));
        }
        for s in text::caveats(&prices, &frames) {
            out.push(("costs: caveat".into(), s));
        }
    }
    out
}

/// Whether a word is an acronym: two or more capitals, otherwise only digits, `_` and a
/// final lower-case `s` or `i` (TEKs, TPi).
fn is_acronym(word: &str) -> bool {
    let core = word.strip_suffix(['s', 'i']).unwrap_or(word);
    core.chars().filter(char::is_ascii_uppercase).count() >= 2
        && core.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The term-like words of `text` that no glossary term covers.
fn uncovered(text: &str) -> Vec<String> {
    let mut missing = Vec::new();
    let mut plain = String::new();
    for s in annotate(text) {
        match s {
            // Keep the places of terms as a separator, so words on both sides stay apart.
            Span::Term { .. } => plain.push('\u{1}'),
            Span::Text(t) => plain.push_str(t),
        }
    }
    for word in plain.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if is_acronym(word) && !NOT_TERMS.contains(&word) {
            missing.push(word.to_string());
        }
    }
    let lower = plain.to_lowercase();
    for phrase in PHRASES {
        if lower.contains(&phrase.to_lowercase()) {
            missing.push(format!("\"{phrase}\""));
        }
    }
    missing
}

#[test]
fn every_term_the_protocol_shows_is_in_the_glossary() {
    let all = texts();
    assert!(all.len() > 500, "only {} texts", all.len());
    let mut missing: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (origin, text) in &all {
        for w in uncovered(text) {
            missing.entry(w).or_insert((0, format!("{origin}: {text}"))).0 += 1;
        }
    }
    let report: Vec<String> =
        missing.iter().map(|(w, (n, first))| format!("{w} ×{n}, first in {first}")).collect();
    assert!(missing.is_empty(), "not in the glossary:\n{}", report.join("\n"));
    // The check sees terms at all: the terms occur, annotated, in these texts.
    for term in ["TGK", "TEK", "KEMAC", "PKE", "CSB ID", "KCV", "PSK", "envelope key"] {
        let entry = lookup(term).expect("defined");
        assert!(
            all.iter().any(|(_, t)| annotate(t)
                .iter()
                .any(|s| matches!(s, Span::Term { entry: e, .. } if *e == entry))),
            "{term} never occurs in the texts"
        );
    }
}

#[test]
fn the_check_finds_what_is_missing() {
    assert_eq!(uncovered("The TGK and the FOO of I_TP1 in QUUXs."), vec!["FOO", "QUUXs"]);
    assert!(uncovered("TGK, TEKs, TP3_R, CSB ID 0x1F2E.").is_empty());
    // A multi-word term written otherwise than in the glossary is found too.
    assert_eq!(uncovered("the Key Check Value"), vec!["\"key check value\""]);
    assert!(!is_acronym("A") && !is_acronym("Tgk") && !is_acronym("0x1F2E") && is_acronym("TPi"));
}
