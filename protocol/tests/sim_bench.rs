//! The crypto floor of `dmikey bench` cannot silently miss an operation: the operations a
//! session records, redone alone, add up to exactly the counts the session's own meters
//! show — in every mode.

use std::sync::Arc;

use dmikey::cost::{Meter, Op};
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;
use dmikey::sim::bench::{record_session, redo_alone};

fn counts(m: &Meter) -> Vec<(&'static str, u64)> {
    let mut v = vec![
        ("AES blocks", m.aes_blocks),
        ("HMAC calls", m.hmac_calls),
        ("PRF calls", m.prf_calls),
        ("RSA public", m.rsa_public),
        ("RSA private", m.rsa_private),
        ("RSA keygen", m.rsa_keygen),
        ("DH exp", m.dh_exp),
    ];
    v.extend(Op::ALL.iter().map(|op| (op.name(), m.op_time(*op).count)));
    v
}

fn check(mut cfg: SessionConfig) {
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(3830);
    let pki = Arc::new(Simulation::provision(&cfg).unwrap());
    let run = record_session(&cfg, &pki).unwrap();
    assert!(run.sim.verdict().r_rebuilt_tgk, "{:?}: the session must complete", cfg.mode);
    let session = run.meter();
    assert!(session.hmac_calls > 0 && !run.ops.is_empty());
    let mut redone = Meter::new();
    let times = redo_alone(&run.ops, &mut SimRng::from_seed(1), &mut redone);
    assert_eq!(times.len(), run.ops.len());
    assert_eq!(counts(&redone), counts(&session), "{:?}: redone ≠ counted in session", cfg.mode);
    if cfg.mode != Mode::Psk {
        assert!(session.rsa_public + session.dh_exp > 0);
    }
}

#[test]
fn distributed_floor_redoes_every_counted_operation() {
    check(SessionConfig::distributed(5, 3, Scheme::PaperRs));
}

#[test]
fn standard_modes_floor_redoes_every_counted_operation() {
    for mode in [Mode::Psk, Mode::Pk, Mode::Dh] {
        check(SessionConfig::standard(mode));
    }
}
