//! A third party can withhold or corrupt its own share, and no more. Every kind of malicious
//! TP (wrong share, a TGK of its own with K = 1 and its KCV, a false KCV, another TP's index),
//! at every position, arriving first or last, alone or two of different kinds together, under
//! every scheme: R never ends holding a TGK other than the sensor's; when the honest shares
//! determine the TGK, R rebuilds the sensor's TGK and the session's TEKs match; and R names the
//! lying TP.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Node, Pki, SessionConfig};
use dmikey::sharing::{self, Scheme, Share};
use dmikey::sim::{Command, EventKind, MaliciousKind, PacketAction, Simulation};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut c = SessionConfig::distributed(6, 3, Scheme::Shamir);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(15);
        Arc::new(Simulation::provision(&c).unwrap())
    })
    .clone()
}

fn sim(scheme: Scheme, n: u8, k: u8, seed: u64) -> Simulation {
    let mut c = SessionConfig::distributed(n, k, scheme);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(seed);
    Simulation::with_pki(c, pki()).unwrap()
}

fn delay(sim: &mut Simulation, tp: u8, ms: u64) {
    let label = format!("TP{tp}_R");
    sim.apply(Command::Arm { label, action: PacketAction::Delay { ms } }).unwrap();
}

/// Whether R named TP `tp`: a rejection of its TPi_R whose reason names it, or a bad share.
fn r_named(sim: &Simulation, tp: u8) -> bool {
    let name = format!("TP{tp}");
    sim.events().iter().any(|e| match &e.kind {
        EventKind::Rejected { by: Node::Responder, label, error }
        | EventKind::VerificationFailed { by: Node::Responder, label, error } => {
            *label == format!("{name}_R") && error.to_string().contains(&name)
        }
        EventKind::BadShare { by: Node::Responder, tp: t, .. } => *t == tp,
        _ => false,
    })
}

/// R holds no TGK, or the sensor's; never another.
fn never_a_foreign_tgk(sim: &Simulation, what: &str) {
    if let Some(r) = sim.responder().tgk() {
        assert_eq!(Some(r), sim.sensor().tgk(), "{what}: R holds a TGK that is not the sensor's");
    }
    let v = sim.verdict();
    assert_eq!(v.r_tgk_is_sensors, sim.responder().tgk().is_some(), "{what}");
}

#[test]
fn one_malicious_tp_of_any_kind_anywhere_never_fools_r() {
    let mut runs = 0;
    for scheme in Scheme::ALL {
        let (n, k) = (5u8, 3u8);
        for kind in MaliciousKind::ALL {
            for tp in 1..=n {
                for first in [true, false] {
                    let what = format!("{scheme:?} TP{tp}:{} first={first}", kind.cli_name());
                    let mut s = sim(scheme, n, k, 100 + u64::from(tp));
                    s.apply(Command::MakeMalicious { tp, kind }).unwrap();
                    // The liar's TPi_R arrives before every honest one, or after all of them.
                    for j in 1..=n {
                        if (j == tp) != first {
                            delay(&mut s, j, 400);
                        }
                    }
                    s.run_to_end();
                    never_a_foreign_tgk(&s, &what);
                    let v = s.verdict();
                    let honest: Vec<u8> = (1..=n).filter(|&j| j != tp).collect();
                    if sharing::determines(scheme, n, k, 16, &honest) {
                        assert!(
                            v.r_rebuilt_tgk && v.r_tgk_is_sensors && v.teks_match,
                            "{what}: {v:?}"
                        );
                        assert!(v.sensor_verified_r, "{what}");
                    } else {
                        // XOR needs every share: the lie costs the session, nothing more.
                        assert!(!v.r_rebuilt_tgk, "{what}");
                    }
                    // The liar is named, except a wrong share arriving after the rebuild (R
                    // no longer needs it) or under XOR (no spare share to tell which one lied).
                    let late_wrong_share = kind == MaliciousKind::WrongShare && !first;
                    if !late_wrong_share && scheme != Scheme::Xor {
                        assert!(r_named(&s, tp), "{what}: R does not name TP{tp}: {v:?}");
                    }
                    // A false KCV is named when a group with the true one completes (never
                    // under XOR here, where the liar's share is missing).
                    let unresolved = kind == MaliciousKind::BogusMeta && scheme == Scheme::Xor;
                    if kind != MaliciousKind::WrongShare && !unresolved {
                        assert!(r_named(&s, tp), "{what}: R does not name TP{tp}: {v:?}");
                    }
                    // Nobody honest is blamed.
                    for j in honest {
                        assert!(!r_named(&s, j), "{what}: honest TP{j} blamed: {v:?}");
                    }
                    runs += 1;
                }
            }
        }
    }
    assert_eq!(runs, 4 * 4 * 5 * 2);
}

#[test]
fn two_malicious_tps_of_different_kinds_never_fool_r() {
    // n = 6, k = 3: four honest shares remain, enough for R to find a consistent subset.
    let (n, k) = (6u8, 3u8);
    for scheme in [Scheme::PaperRs, Scheme::Shamir, Scheme::AontRs] {
        for (a, ka) in MaliciousKind::ALL.into_iter().enumerate() {
            for kb in MaliciousKind::ALL.into_iter().skip(a + 1) {
                for (ta, tb) in [(1u8, 2u8), (2, 5), (6, 1)] {
                    let what =
                        format!("{scheme:?} TP{ta}:{} TP{tb}:{}", ka.cli_name(), kb.cli_name());
                    let mut s = sim(scheme, n, k, 200 + u64::from(ta) * 7 + u64::from(tb));
                    s.apply(Command::MakeMalicious { tp: ta, kind: ka }).unwrap();
                    s.apply(Command::MakeMalicious { tp: tb, kind: kb }).unwrap();
                    // Both liars arrive first.
                    for j in (1..=n).filter(|&j| j != ta && j != tb) {
                        delay(&mut s, j, 400);
                    }
                    s.run_to_end();
                    never_a_foreign_tgk(&s, &what);
                    let v = s.verdict();
                    assert!(v.r_rebuilt_tgk && v.r_tgk_is_sensors && v.teks_match, "{what}: {v:?}");
                    assert!(r_named(&s, ta) && r_named(&s, tb), "{what}: {v:?}");
                }
            }
        }
    }
}

#[test]
fn a_wrong_share_consistent_with_honest_shares_is_still_caught() {
    // Paper's RS, n = 5, k = 3: TP1's wrong share and any two honest shares form a valid
    // codeword (no padding error) of another TGK. Only the sensor's KCV tells them apart.
    let (n, k) = (5u8, 3u8);
    let mut s = sim(Scheme::PaperRs, n, k, 300);
    s.apply(Command::MakeMalicious { tp: 1, kind: MaliciousKind::WrongShare }).unwrap();
    for j in 2..=n {
        delay(&mut s, j, 400);
    }
    // Run until R holds TP1's share, and read it from R's knowledge.
    let mut forged = None;
    while forged.is_none() && s.step().is_some() {
        forged = s
            .node_knowledge(Node::Responder)
            .into_iter()
            .find(|kn| kn.name == "share 1 (from TP1)")
            .map(|kn| kn.value);
    }
    let forged = forged.expect("R received TP1's share");
    let sent = s.sent_shares();
    assert_ne!(forged, sent[0].1, "TP1 lied");
    let subset = vec![
        Share { index: 1, data: forged },
        Share { index: 2, data: sent[1].1.clone() },
        Share { index: 3, data: sent[2].1.clone() },
    ];
    let other = sharing::combine(Scheme::PaperRs, &subset, n, k, 16).expect("a valid codeword");
    assert_ne!(Some(other.as_slice()), s.sensor().tgk(), "it decodes to another TGK");
    s.run_to_end();
    never_a_foreign_tgk(&s, "consistent forgery");
    let v = s.verdict();
    assert!(v.r_rebuilt_tgk && v.r_tgk_is_sensors && v.teks_match, "{v:?}");
    assert!(r_named(&s, 1));
}

#[test]
fn a_malicious_tp_cannot_lock_the_honest_ones_out() {
    // Before R pinned its policy, the first TPi_R decided K, N and the KCV for everybody: a
    // liar arriving first had every honest share rejected. Now its lie concerns itself only.
    for kind in [MaliciousKind::OwnTgk, MaliciousKind::BogusMeta, MaliciousKind::StealIndex] {
        let mut s = sim(Scheme::PaperRs, 5, 3, 400);
        s.apply(Command::MakeMalicious { tp: 3, kind }).unwrap();
        for j in [1, 2, 4, 5] {
            delay(&mut s, j, 400);
        }
        s.run_to_end();
        let v = s.verdict();
        assert!(v.r_rebuilt_tgk && v.r_tgk_is_sensors, "{}: {v:?}", kind.cli_name());
        assert_eq!(v.rejections.len(), 1, "{}: only TP3 is rejected: {v:?}", kind.cli_name());
        assert_eq!(v.rejections[0].0, "TP3_R");
        assert!(v.rejections[0].1.contains("TP3"), "{:?}", v.rejections);
    }
}
