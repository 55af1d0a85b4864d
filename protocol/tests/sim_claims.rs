//! The claims view: each of the paper's §4.1 properties and the §4.2 AVISPA result has a
//! verdict here, and each verdict is backed by running the presets it names and checking the
//! numbers that make it true.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, PkiNeed, Provisioner};
use dmikey::sim::scenario::presets;
use dmikey::sim::{ClaimVerdict, Node, Simulation, Verdict, claims};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let need = PkiNeed {
            seed: Some(42),
            tps: 8,
            rsa_bits: RsaBits::B1024,
            sensor_cert: true,
            psk_with_r: true,
        };
        Arc::new(Provisioner::run(&need, &mut dmikey::cost::Meter::new()).unwrap())
    })
    .clone()
}

/// Every preset run to its end, by id.
fn runs() -> &'static BTreeMap<&'static str, (Simulation, Verdict)> {
    static RUNS: OnceLock<BTreeMap<&'static str, (Simulation, Verdict)>> = OnceLock::new();
    RUNS.get_or_init(|| {
        presets(RsaBits::B1024, Some(3))
            .into_iter()
            .map(|p| {
                let mut sim = Simulation::with_pki(p.config.clone(), pki()).unwrap();
                for c in &p.commands {
                    sim.apply(c.clone()).unwrap();
                }
                sim.run_to_end();
                let v = sim.verdict();
                assert!(p.matches(&v), "{}: {}", p.id, v.sentence);
                (p.id, (sim, v))
            })
            .collect()
    })
}

fn v(id: &str) -> &'static Verdict {
    &runs().get(id).unwrap_or_else(|| panic!("no preset {id}")).1
}

fn sim(id: &str) -> &'static Simulation {
    &runs().get(id).unwrap_or_else(|| panic!("no preset {id}")).0
}

fn claim(id: &str) -> dmikey::sim::Claim {
    claims().into_iter().find(|c| c.id == id).unwrap()
}

#[test]
fn the_seven_properties_and_avispa_each_have_a_verdict_and_existing_presets() {
    let cs = claims();
    assert_eq!(cs.len(), 8);
    let ids: Vec<&str> = cs.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "confidentiality",
            "authentication-integrity",
            "distribution",
            "overhead",
            "resilience",
            "extensibility-scalability",
            "storage",
            "avispa-safe"
        ]
    );
    for c in &cs {
        assert!(!c.presets.is_empty(), "{}", c.id);
        for p in c.presets {
            assert!(runs().contains_key(p), "{}: no preset {p}", c.id);
            assert!(c.why.contains(p), "{}: its reason does not name {p}", c.id);
        }
        assert!(c.section.starts_with("§4.1") || c.section.starts_with("§4.2"), "{}", c.id);
    }
    let p = dmikey::sim::AVISPA_PARAGRAPH;
    assert!(p.contains("atomic") && p.contains("SAFE"), "{p}");
}

#[test]
fn confidentiality_holds_only_with_a_condition() {
    assert_eq!(claim("confidentiality").verdict, ClaimVerdict::Qualified);
    assert!(!v("happy-path").intruder_rebuilt_tgk && v("happy-path").tgk_bits_exposed == 0);
    assert!(v("one-compromised-rs").tgk_bits_exposed > 0, "RS leaks a slice");
    assert_eq!(v("one-compromised-shamir").tgk_bits_exposed, 0, "Shamir leaks nothing");
    assert!(v("kcv-brute-force").intruder_rebuilt_tgk);
    assert!(v("psk-baseline").intruder_rebuilt_tgk && v("pk-baseline").intruder_rebuilt_tgk);
    assert!(!v("dh-baseline").intruder_rebuilt_tgk);
    let mitm = v("dh-mitm");
    assert!(mitm.intruder_rebuilt_tgk && mitm.sensor_accepted_forgery && !mitm.r_tgk_is_sensors);
}

#[test]
fn authentication_is_refused_by_colluding_tps_and_a_forged_r_i() {
    assert_eq!(claim("authentication-integrity").verdict, ClaimVerdict::Refuted);
    for id in ["tamper", "replay", "sensor-segment-tamper", "sensor-segment-replay"] {
        assert!(!v(id).rejections.is_empty() && v(id).r_tgk_is_sensors, "{id}");
    }
    assert!(v("colluding-impersonation").r_rebuilt_tgk);
    assert!(!v("colluding-impersonation").r_tgk_is_sensors);
    assert!(v("forged-r-i").sensor_accepted_forgery);
    assert!(v("forged-i-tp").r_tgk_is_sensors, "a forged share is caught by the key check");
}

#[test]
fn distribution_and_overhead_are_demonstrated() {
    assert_eq!(claim("distribution").verdict, ClaimVerdict::Demonstrated);
    assert!(v("happy-path").r_rebuilt_tgk && v("lossy-link").r_rebuilt_tgk);
    assert_eq!(claim("overhead").verdict, ClaimVerdict::Demonstrated);
    let sensor = |id: &str| {
        sim(id).costs().rows.into_iter().find(|(n, _)| n == &Node::Sensor.label()).unwrap().1
    };
    let d = sensor("happy-path");
    assert_eq!((d.rsa_public, d.rsa_private, d.dh_exp), (0, 0, 0), "only symmetric work");
    assert!(d.hmac_calls > 0);
    let pk = sensor("pk-baseline");
    assert!(pk.rsa_public + pk.rsa_private > 0, "the PK mode makes the sensor do RSA");
}

#[test]
fn resilience_is_refuted() {
    assert_eq!(claim("resilience").verdict, ClaimVerdict::Refuted);
    let k = v("k-compromised");
    assert!(k.intruder_rebuilt_tgk, "k = 3 of n = 5 compromised TPs suffice");
    assert!(v("lossy-link").r_rebuilt_tgk && !v("one-too-many-lost").r_rebuilt_tgk);
    assert!(!v("xor-one-loss").r_rebuilt_tgk);
    assert!(v("malicious-tp").r_tgk_is_sensors);
    assert!(v("paper-without-kcv").r_rebuilt_tgk && !v("paper-without-kcv").r_tgk_is_sensors);
}

#[test]
fn extensibility_and_storage_are_not_demonstrable_but_what_runs_is_checked() {
    assert_eq!(claim("extensibility-scalability").verdict, ClaimVerdict::NotDemonstrable);
    assert_eq!(claim("storage").verdict, ClaimVerdict::NotDemonstrable);
    assert_eq!(sim("kcv-brute-force").config().n, 8);
    assert!(v("kcv-brute-force").r_rebuilt_tgk);
    let known = sim("happy-path").node_knowledge(Node::Sensor);
    let n = sim("happy-path").config().n;
    for i in 1..=n {
        assert!(known.iter().any(|k| k.name == format!("PSK with TP{i}")), "PSK with TP{i}");
    }
}

#[test]
fn avispa_safe_cannot_see_a_partial_leak() {
    assert_eq!(claim("avispa-safe").verdict, ClaimVerdict::Qualified);
    let rs = v("one-compromised-rs");
    assert!(rs.tgk_bits_exposed > 0 && !rs.intruder_rebuilt_tgk, "a leak short of the atom");
}
