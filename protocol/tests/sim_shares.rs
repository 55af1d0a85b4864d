//! The threshold, seen from both sides: for every scheme and n ≤ 6, R rebuilds the TGK iff
//! the shares it receives determine it (whatever subset of I_TPi / TPi_R is lost), and the
//! intruder rebuilds it iff the shares of the compromised TPs determine it — the same rule
//! ([`sharing::determines`], checked against an independent oracle in sharing_props), which
//! is the threshold except under the Reed–Solomon schemes, where fewer than k shares can fix
//! every TGK byte — and one compromised TP under the paper's RS exposes exactly its slice.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, SessionConfig};
use dmikey::sharing::{self, Scheme};
use dmikey::sim::{Command, PacketAction, Simulation};

const SCHEMES: [Scheme; 4] = [Scheme::PaperRs, Scheme::Shamir, Scheme::Xor, Scheme::AontRs];

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut c = SessionConfig::distributed(6, 3, Scheme::Shamir);
        c.rsa_bits = RsaBits::B1024;
        c.seed = Some(6);
        Arc::new(Simulation::provision(&c).unwrap())
    })
    .clone()
}

fn config(scheme: Scheme, n: u8, k: u8, seed: u64) -> SessionConfig {
    let mut c = SessionConfig::distributed(n, k, scheme);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(seed);
    c
}

fn thresholds(n: u8) -> Vec<u8> {
    // every k for small n, the ends and the middle for larger n (keeps the test fast)
    if n <= 3 { (1..=n).collect() } else { vec![1, n.div_ceil(2), n] }
}

#[test]
fn r_rebuilds_the_tgk_iff_the_shares_that_arrive_determine_it() {
    let mut sessions = 0;
    for scheme in SCHEMES {
        for n in 1..=6u8 {
            for k in thresholds(n) {
                let need = u32::from(sharing::shares_needed(scheme, n, k, 16));
                for lost in 0u32..(1 << n) {
                    let mut sim =
                        Simulation::with_pki(config(scheme, n, k, u64::from(lost)), pki()).unwrap();
                    for i in 1..=n {
                        if lost & (1 << (i - 1)) != 0 {
                            // lose I_TPi or TPi_R, alternating so both kinds are covered
                            let label = if (u32::from(i) + lost) % 2 == 0 {
                                format!("I_TP{i}")
                            } else {
                                format!("TP{i}_R")
                            };
                            sim.apply(Command::Arm { label, action: PacketAction::Drop }).unwrap();
                        }
                    }
                    sim.run_to_end();
                    let v = sim.verdict();
                    let arrived = u32::from(n) - lost.count_ones();
                    let held: Vec<u8> = (1..=n).filter(|i| lost & (1 << (i - 1)) == 0).collect();
                    assert_eq!(
                        v.r_rebuilt_tgk,
                        sharing::determines(scheme, n, k, 16, &held),
                        "{scheme:?} n={n} k={k} lost mask {lost:b}: {}",
                        v.sentence
                    );
                    assert!(v.r_shares.0 >= need as usize || !v.r_rebuilt_tgk);
                    assert_eq!(v.r_tgk_is_sensors, v.r_rebuilt_tgk);
                    if v.r_rebuilt_tgk {
                        assert_eq!(sim.responder().tgk(), sim.sensor().tgk());
                        assert!(v.teks_match);
                    } else {
                        assert!(
                            v.sentence
                                .starts_with(&format!("R holds {arrived} of {need} needed shares")),
                            "{}",
                            v.sentence
                        );
                    }
                    sessions += 1;
                }
            }
        }
    }
    assert!(sessions > 400);
}

#[test]
fn intruder_rebuilds_the_tgk_iff_the_compromised_shares_determine_it() {
    for scheme in SCHEMES {
        for n in 1..=6u8 {
            for k in thresholds(n) {
                let mut base = Simulation::with_pki(config(scheme, n, k, 99), pki()).unwrap();
                base.run_to_end();
                let tgk = base.sensor().tgk().unwrap().to_vec();
                for set in 0u32..(1 << n) {
                    let mut sim = base.clone(); // compromise after the run: it re-reads the capture
                    for i in 1..=n {
                        if set & (1 << (i - 1)) != 0 {
                            sim.apply(Command::Compromise { tp: i }).unwrap();
                        }
                    }
                    let r = sim.intruder_report();
                    let held: Vec<u8> = (1..=n).filter(|i| set & (1 << (i - 1)) != 0).collect();
                    let enough = sharing::determines(scheme, n, k, 16, &held);
                    assert_eq!(r.tgk_rebuilt, enough, "{scheme:?} n={n} k={k} compromised {set:b}");
                    assert_eq!(r.shares.len() as u32, set.count_ones());
                    if enough {
                        assert_eq!(sim.intruder().tgk(), Some(tgk.as_slice()));
                        assert_eq!(r.tgk_correct, Some(true));
                        assert_eq!(r.tgk_bits_exposed, 128);
                        assert_eq!(r.tgk_guess_bits, 0);
                    } else {
                        assert!(r.tgk_guess_bits > 0);
                        assert!(sim.intruder().tgk().is_none());
                        if matches!(scheme, Scheme::Shamir | Scheme::Xor) {
                            assert_eq!(
                                r.tgk_bits_exposed, 0,
                                "{scheme:?} below threshold leaks nothing"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn one_compromised_tp_under_rs_exposes_exactly_its_slice() {
    for k in 2..=4u8 {
        let n = 5;
        let mut base = Simulation::with_pki(config(Scheme::PaperRs, n, k, 5), pki()).unwrap();
        base.run_to_end();
        let tgk = base.sensor().tgk().unwrap().to_vec();
        let slice = tgk.len().div_ceil(usize::from(k));
        for i in 1..=k {
            let mut sim = base.clone();
            sim.apply(Command::Compromise { tp: i }).unwrap();
            let r = sim.intruder_report();
            let from = (usize::from(i) - 1) * slice;
            let to = (from + slice).min(tgk.len());
            assert_eq!(r.tgk_bytes_in_clear, (from..to).collect::<Vec<_>>(), "k={k} TP{i}");
            assert_eq!(r.tgk_bits_exposed, 8 * (to - from));
            assert!(!r.tgk_rebuilt);
        }
        // A parity share (index > k) is not a slice, but under Shamir nothing at all leaks.
        let mut sh = Simulation::with_pki(config(Scheme::Shamir, n, k, 5), pki()).unwrap();
        sh.run_to_end();
        sh.apply(Command::Compromise { tp: 1 }).unwrap();
        assert_eq!(sh.intruder_report().tgk_bits_exposed, 0);
    }
}
