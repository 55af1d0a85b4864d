//! `dmikey bench`: times a whole session (roles, wire encoding and decoding, the network
//! simulation, the intruder) next to its *crypto floor* — the sum of the times of the
//! session's own crypto operations, each redone alone, outside any session.
//!
//! One run: the PKI is provisioned beforehand (RSA key generation is not part of a session);
//! a [`Recording`] is started and the session is timed from [`Simulation::with_pki`] to the
//! end of [`Simulation::run_to_end`], so every crypto operation it performs is recorded with
//! its inputs ([`CryptoOp`]: same keys, same bytes, same paddings; operations nested in
//! another one, like the HMAC of an AES-CM KEMAC, are part of the outer one). Then each
//! recorded operation is run again on its own through the same primitive and timed; the
//! floor is the sum of those times. The ratio session / floor is the overhead of everything
//! that is not crypto (the cost of recording is left inside the session time); the target is
//! ≤ 1.10. Several runs are made after one untimed warm-up; medians are reported.

use core::time::Duration;
use std::sync::Arc;

use web_time::Instant;

use crate::cost::{Meter, Recording};
use crate::crypto::recorded::CryptoOp;
use crate::crypto::rng::SimRng;
use crate::error::Error;
use crate::roles::{Pki, SessionConfig};

use super::Simulation;

/// The session `dmikey bench` times by default: the distributed mode with n = 5, k = 3, the
/// paper's Reed–Solomon split, RSA-2048, seed 1 (the browser's cost view times the same).
pub fn default_session() -> SessionConfig {
    let mut cfg = SessionConfig::distributed(5, 3, crate::sharing::Scheme::PaperRs);
    cfg.rsa_bits = crate::crypto::rsa::RsaBits::B2048;
    cfg.seed = Some(1);
    cfg
}

/// One session run with its crypto operations recorded.
pub struct RecordedSession {
    /// The finished simulation (its meters hold the in-session counts and times).
    pub sim: Simulation,
    /// Every outermost crypto operation of the session, in the order it ran.
    pub ops: Vec<CryptoOp>,
    /// Wall-clock time of the whole session.
    pub elapsed: Duration,
}

impl RecordedSession {
    /// The sum of every meter of the session: the roles' and the intruder's.
    pub fn meter(&self) -> Meter {
        let mut total = self.sim.costs().total();
        total.absorb(self.sim.intruder().meter());
        total
    }
}

/// Runs and times one session of `cfg` on `pki` to its end, recording its crypto operations.
pub fn record_session(cfg: &SessionConfig, pki: &Arc<Pki>) -> Result<RecordedSession, Error> {
    let recording = Recording::start();
    let start = Instant::now();
    let mut sim = Simulation::with_pki(cfg.clone(), pki.clone())?;
    sim.run_to_end();
    let elapsed = start.elapsed();
    let ops = recording.finish();
    Ok(RecordedSession { sim, ops, elapsed })
}

/// Redoes each operation alone, in order, each on a fresh meter, and returns the time each
/// took. The meters' counts are added into `counts` (to check that nothing was missed).
pub fn redo_alone(ops: &[CryptoOp], rng: &mut SimRng, counts: &mut Meter) -> Vec<Duration> {
    ops.iter()
        .map(|op| {
            let mut meter = Meter::new();
            let start = Instant::now();
            op.redo(rng, &mut meter);
            let spent = start.elapsed();
            counts.absorb(&meter);
            spent
        })
        .collect()
}

/// Per kind of operation: how many the session performed and the median of their summed
/// alone times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTime {
    /// One of [`CryptoOp::KINDS`].
    pub kind: &'static str,
    /// Operations of this kind per session.
    pub count: usize,
    /// Median over the runs of the sum of their alone times.
    pub alone: Duration,
}

/// The figures of one benchmark (medians over the runs).
#[derive(Debug, Clone)]
pub struct BenchResult {
    /// Number of timed runs.
    pub runs: usize,
    /// Median wall-clock time of a whole session.
    pub session: Duration,
    /// Median crypto floor: the sum of the alone times of the session's operations.
    pub floor: Duration,
    /// Median of the per-run ratios session / floor.
    pub ratio: f64,
    /// Median crypto time as the roles' meters measured it inside the session (for
    /// comparison: the same operations, timed in place).
    pub in_session_crypto: Duration,
    /// Operations redone per session.
    pub ops: usize,
    /// Per kind of operation.
    pub breakdown: Vec<KindTime>,
    /// Whether R rebuilt the TGK in every run.
    pub r_rebuilt: bool,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Runs `runs` sessions of `cfg` on `pki` (after one untimed warm-up), redoes each session's
/// operations alone, and returns the medians.
pub fn measure(cfg: &SessionConfig, pki: &Arc<Pki>, runs: usize) -> Result<BenchResult, Error> {
    let runs = runs.max(1);
    let mut rng = SimRng::from_seed(cfg.seed.unwrap_or(0) ^ 0xbe9c);
    // Warm-up (page faults, lazy statics, caches), not counted: a session and its replay.
    let warm = record_session(cfg, pki)?;
    redo_alone(&warm.ops, &mut rng, &mut Meter::new());
    drop(warm);

    let (mut sessions, mut floors, mut in_session) = (Vec::new(), Vec::new(), Vec::new());
    let mut ratios: Vec<f64> = Vec::new();
    let mut per_kind: Vec<(usize, Vec<Duration>)> = vec![(0, Vec::new()); CryptoOp::KINDS.len()];
    let mut all_rebuilt = true;
    let mut ops_per_session = 0;
    for _ in 0..runs {
        let run = record_session(cfg, pki)?;
        all_rebuilt &= run.sim.verdict().r_rebuilt_tgk;
        let times = redo_alone(&run.ops, &mut rng, &mut Meter::new());
        let floor: Duration = times.iter().sum();
        let mut sums = vec![(0usize, Duration::ZERO); CryptoOp::KINDS.len()];
        for (op, t) in run.ops.iter().zip(&times) {
            if let Some(i) = CryptoOp::KINDS.iter().position(|k| *k == op.kind())
                && let Some(slot) = sums.get_mut(i)
            {
                slot.0 += 1;
                slot.1 += *t;
            }
        }
        for ((count, samples), (c, t)) in per_kind.iter_mut().zip(sums) {
            *count = c;
            samples.push(t);
        }
        ops_per_session = run.ops.len();
        let f = floor.as_secs_f64();
        ratios.push(if f > 0.0 { run.elapsed.as_secs_f64() / f } else { f64::INFINITY });
        sessions.push(run.elapsed);
        floors.push(floor);
        in_session.push(run.meter().crypto_time());
    }
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::INFINITY);
    let breakdown = CryptoOp::KINDS
        .iter()
        .zip(per_kind)
        .filter(|(_, (count, _))| *count > 0)
        .map(|(kind, (count, samples))| KindTime { kind, count, alone: median(samples) })
        .collect();
    Ok(BenchResult {
        runs,
        session: median(sessions),
        floor: median(floors),
        ratio,
        in_session_crypto: median(in_session),
        ops: ops_per_session,
        breakdown,
        r_rebuilt: all_rebuilt,
    })
}
