//! The four modes side by side: real sessions run to their end on one PKI, their meters per
//! role, and what the model makes of them.
//!
//! One PKI serves every session of a comparison: it has [`MAX_N`] third parties, the
//! sensor's certificate (PK and DH modes) and the sensor–R PSK (PSK mode). Every key is drawn
//! from its own stream of the seed, so a session with n ≤ [`MAX_N`] third parties runs on
//! the keys a PKI made for it alone would hold; only the certificates' serial numbers differ,
//! so its messages have the same sizes and its roles the same counts. The
//! standard modes have no third party: their session does not depend on n, and is run once.

use std::sync::Arc;

use core::time::Duration;
use web_time::Instant;

use super::{Energy, FrameModel, Prices, energy};
use crate::cost::Meter;
use crate::crypto::kemac::KemacProfile;
use crate::crypto::rsa::RsaBits;
use crate::error::Error;
use crate::roles::{Mode, Pki, PkiNeed, SessionConfig};
use crate::sharing::Scheme;
use crate::sim::Simulation;

/// The largest n the comparison (and its chart) runs.
pub const MAX_N: u8 = 16;

/// What every session of a comparison shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostSetup {
    /// Third parties of the distributed session shown in the table (1..=[`MAX_N`]).
    pub n: u8,
    /// Threshold asked for; a session with fewer third parties uses min(k, n), and XOR n.
    pub k: u8,
    pub scheme: Scheme,
    pub rsa_bits: RsaBits,
    pub kemac: KemacProfile,
    pub seed: u64,
}

impl CostSetup {
    /// The seed of the comparison's sessions and PKI: that of `dmikey bench`.
    pub const SEED: u64 = 1;

    /// The comparison for a configuration: its n (at most [`MAX_N`]), k, scheme (the
    /// paper's if it has none), RSA size and KEMAC profile, with [`CostSetup::SEED`].
    pub fn from_config(cfg: &SessionConfig) -> CostSetup {
        CostSetup {
            n: cfg.n.clamp(1, MAX_N),
            k: cfg.k.max(1),
            scheme: cfg.scheme.unwrap_or(Scheme::PaperRs),
            rsa_bits: cfg.rsa_bits,
            kemac: cfg.kemac,
            seed: Self::SEED,
        }
    }

    /// The one PKI every session of the comparison runs on (n up to [`MAX_N`]).
    pub fn pki_need(&self) -> PkiNeed {
        self.pki_need_upto(MAX_N)
    }

    /// A PKI for the sessions with up to `tps` third parties (the same keys as
    /// [`CostSetup::pki_need`]'s for those).
    pub fn pki_need_upto(&self, tps: u8) -> PkiNeed {
        PkiNeed {
            seed: Some(self.seed),
            tps,
            rsa_bits: self.rsa_bits,
            sensor_cert: true,
            psk_with_r: true,
        }
    }

    /// Provisions [`CostSetup::pki_need_upto`] here (RSA key generation: the slow part; the
    /// browser makes [`CostSetup::pki_need`] on its worker pool instead).
    pub fn provision_upto(&self, tps: u8) -> Result<Pki, Error> {
        crate::roles::ca::Provisioner::run(&self.pki_need_upto(tps), &mut Meter::new())
    }

    /// The threshold of a distributed session with `n` third parties.
    pub fn threshold(&self, n: u8) -> u8 {
        if self.scheme == Scheme::Xor { n } else { self.k.clamp(1, n.max(1)) }
    }

    /// The session of `mode` (with `n` third parties in the distributed mode; n is not used
    /// by the others).
    pub fn session(&self, mode: Mode, n: u8) -> SessionConfig {
        let mut cfg = match mode {
            Mode::Distributed => {
                let n = n.clamp(1, MAX_N);
                SessionConfig::distributed(n, self.threshold(n), self.scheme)
            }
            m => SessionConfig::standard(m),
        };
        cfg.rsa_bits = self.rsa_bits;
        cfg.kemac = self.kemac;
        cfg.seed = Some(self.seed);
        cfg
    }
}

/// One session of the comparison, run to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeRun {
    pub mode: Mode,
    /// Third parties (0 in the standard modes).
    pub n: u8,
    /// Threshold (0 in the standard modes).
    pub k: u8,
    /// The meter of every role, sensor first, then TP1..TPn, then R.
    pub roles: Vec<(String, Meter)>,
    /// R ended with the TGK (the session completed).
    pub r_rebuilt_tgk: bool,
    /// Wall-clock time of the whole session, measured here.
    pub elapsed: Duration,
}

/// Runs the session of `mode` (n third parties in the distributed mode) on `pki` to its end.
pub fn run(setup: &CostSetup, mode: Mode, n: u8, pki: &Arc<Pki>) -> Result<ModeRun, Error> {
    let cfg = setup.session(mode, n);
    let start = Instant::now();
    let mut sim = Simulation::with_pki(cfg.clone(), pki.clone())?;
    sim.run_to_end();
    let elapsed = start.elapsed();
    Ok(ModeRun {
        mode,
        n: cfg.tps(),
        k: if mode == Mode::Distributed { cfg.k } else { 0 },
        roles: sim.costs().rows,
        r_rebuilt_tgk: sim.verdict().r_rebuilt_tgk,
        elapsed,
    })
}

/// Runs the four modes at the setup's n: PSK, PK, DH, distributed, in that order.
pub fn run_all(setup: &CostSetup, pki: &Arc<Pki>) -> Result<Vec<ModeRun>, Error> {
    Mode::ALL.into_iter().map(|m| run(setup, m, setup.n, pki)).collect()
}

/// One role of one mode: its counts, frames and modelled energy.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleCost {
    /// "I", "TP1", …, "R".
    pub role: String,
    /// The session's meter of this role, as counted.
    pub meter: Meter,
    pub frames_sent: usize,
    pub frames_received: usize,
    /// Bytes on the air, frame overheads included.
    pub air_sent: usize,
    pub air_received: usize,
    pub energy: Energy,
}

impl RoleCost {
    fn new(role: &str, meter: &Meter, prices: &Prices, frames: &FrameModel) -> RoleCost {
        let count = |sizes: &[usize]| sizes.iter().map(|&l| frames.frames(l)).sum();
        let air = |sizes: &[usize]| sizes.iter().map(|&l| frames.air_bytes(l)).sum();
        RoleCost {
            role: role.to_string(),
            meter: meter.clone(),
            frames_sent: count(&meter.sent_sizes),
            frames_received: count(&meter.received_sizes),
            air_sent: air(&meter.sent_sizes),
            air_received: air(&meter.received_sizes),
            energy: energy(meter, prices, frames),
        }
    }

    /// Measured time of this role's crypto operations in the session.
    pub fn crypto_time(&self) -> Duration {
        self.meter.crypto_time()
    }

    /// Whether this row is the sensor's.
    pub fn is_sensor(&self) -> bool {
        self.role == "I"
    }
}

/// One mode's column group: every role of its session, the sensor first.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeCost {
    pub mode: Mode,
    pub n: u8,
    pub k: u8,
    pub roles: Vec<RoleCost>,
    pub r_rebuilt_tgk: bool,
    pub elapsed: Duration,
}

impl ModeCost {
    /// The counts of `run` priced with `prices`.
    pub fn new(run: &ModeRun, prices: &Prices, frames: &FrameModel) -> ModeCost {
        ModeCost {
            mode: run.mode,
            n: run.n,
            k: run.k,
            roles: run.roles.iter().map(|(l, m)| RoleCost::new(l, m, prices, frames)).collect(),
            r_rebuilt_tgk: run.r_rebuilt_tgk,
            elapsed: run.elapsed,
        }
    }

    /// The sensor's row.
    pub fn sensor(&self) -> Option<&RoleCost> {
        self.roles.iter().find(|r| r.is_sensor())
    }

    /// Every role but the sensor, summed (the third parties and R).
    pub fn others(&self) -> Meter {
        let mut m = Meter::new();
        for r in self.roles.iter().filter(|r| !r.is_sensor()) {
            m.absorb(&r.meter);
        }
        m
    }

    /// The sensor's modelled energy, mJ (0 if the session has no sensor row).
    pub fn sensor_mj(&self) -> f64 {
        self.sensor().map(|r| r.energy.total_mj()).unwrap_or(0.0)
    }
}
