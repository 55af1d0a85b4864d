//! PKI provisioning for `pki.rs` and `worker.rs`: one key or certificate per call. The panels
//! take everything else straight from `dmikey::sim`; only this stepping of the provisioner
//! reaches further into the protocol crate.
use std::sync::Arc;

pub use dmikey::sim::{Mode, Pki, RsaBits, Scheme, SessionConfig};

/// Provisioning one key or certificate per call: the worker drives it (`worker::PkiJob`), and
/// the page itself only if the worker cannot start.
pub struct Provisioning {
    inner: Option<dmikey::roles::Provisioner>,
    rng: dmikey::crypto::rng::SimRng,
    meter: dmikey::cost::Meter,
}

pub enum ProvisionProgress {
    Step { done: usize, total: usize, what: String },
    Done(Arc<Pki>),
    Failed(String),
}

impl Provisioning {
    /// Same randomness as `Simulation::provision` (the seed's "pki" stream).
    pub fn new(cfg: &SessionConfig) -> Result<Self, String> {
        let rng = match cfg.seed {
            Some(s) => dmikey::crypto::rng::SimRng::from_seed(s),
            None => dmikey::crypto::rng::SimRng::from_os().map_err(|e| e.to_string())?,
        }
        .fork("pki");
        Ok(Provisioning {
            inner: Some(dmikey::roles::Provisioner::new(cfg, dmikey::roles::SimTime(0))),
            rng,
            meter: dmikey::cost::Meter::new(),
        })
    }

    pub fn step(&mut self) -> ProvisionProgress {
        let Some(p) = self.inner.as_mut() else {
            return ProvisionProgress::Failed("provisioning already finished".into());
        };
        match p.step(&mut self.rng, &mut self.meter) {
            Ok(dmikey::roles::ProvisionStep::Progress { done, total, what }) => {
                ProvisionProgress::Step { done, total, what }
            }
            Ok(dmikey::roles::ProvisionStep::Done) => match self.inner.take().map(|p| p.finish()) {
                Some(Ok(pki)) => ProvisionProgress::Done(Arc::new(pki)),
                Some(Err(e)) => ProvisionProgress::Failed(e.to_string()),
                None => ProvisionProgress::Failed("provisioning already finished".into()),
            },
            Err(e) => ProvisionProgress::Failed(e.to_string()),
        }
    }
}
