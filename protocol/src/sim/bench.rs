//! `dmikey bench`: times a whole distributed session (roles, wire encoding and decoding,
//! the network simulation, the intruder) next to its crypto floor — the sum of the measured
//! times of the session's own crypto operations (each RSA, PRF, HMAC, AES and X.509 operation
//! is timed on its own by [`crate::cost::Meter::time`]). Their ratio is the overhead of
//! everything that is not crypto; the target is ≤ 1.10. The PKI (RSA key generation) is
//! provisioned once, outside the timed part.

use core::time::Duration;
use std::sync::Arc;

use web_time::Instant;

use crate::cost::Op;
use crate::error::Error;
use crate::roles::{Pki, SessionConfig};

use super::Simulation;

/// The figures of one benchmark.
#[derive(Debug, Clone)]
pub struct BenchResult {
    /// Median wall-clock time of a whole session.
    pub session: Duration,
    /// Median crypto floor.
    pub floor: Duration,
    /// Per operation kind of the median run: (name, count, time).
    pub breakdown: Vec<(&'static str, u64, Duration)>,
    /// Whether R rebuilt the TGK in every run.
    pub r_rebuilt: bool,
}

impl BenchResult {
    /// session / floor.
    pub fn ratio(&self) -> f64 {
        let f = self.floor.as_secs_f64();
        if f > 0.0 { self.session.as_secs_f64() / f } else { f64::INFINITY }
    }
}

/// Runs `runs` sessions of `cfg` on `pki` and returns the medians.
pub fn measure(cfg: &SessionConfig, pki: &Arc<Pki>, runs: usize) -> Result<BenchResult, Error> {
    let mut samples: Vec<(Duration, Duration, Vec<(&'static str, u64, Duration)>)> = Vec::new();
    let mut all_rebuilt = true;
    // One warm-up run (page faults, lazy statics) that is not counted.
    let mut warm = Simulation::with_pki(cfg.clone(), pki.clone())?;
    warm.run_to_end();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let mut sim = Simulation::with_pki(cfg.clone(), pki.clone())?;
        sim.run_to_end();
        let session = start.elapsed();
        all_rebuilt &= sim.verdict().r_rebuilt_tgk;
        let mut total = sim.costs().total();
        total.absorb(sim.intruder().meter());
        let breakdown: Vec<_> = Op::ALL
            .iter()
            .map(|op| {
                let t = total.op_time(*op);
                (op.name(), t.count, t.total)
            })
            .filter(|(_, c, _)| *c > 0)
            .collect();
        let floor = breakdown.iter().map(|(_, _, t)| *t).sum();
        samples.push((session, floor, breakdown));
    }
    samples.sort_by_key(|(s, _, _)| *s);
    let mid = samples.len() / 2;
    let (session, floor, breakdown) = samples.swap_remove(mid);
    Ok(BenchResult { session, floor, breakdown, r_rebuilt: all_rebuilt })
}
