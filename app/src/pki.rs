//! Where a run's PKI (RSA keys, certificates, PSKs) comes from: a PKI already made for the same
//! seed, number of TPs, RSA size and mode, or a provisioning in the Web Worker (`worker.rs`),
//! which sends back `Pki::to_bytes`. Only if the worker cannot start does the page make one key
//! or certificate per timer task itself.
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use crate::bridge::{Mode, Pki, ProvisionProgress, Provisioning, SessionConfig};

/// What the PKI provisioning (RSA keys and certificates) is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum PkiStatus {
    Idle,
    Generating { done: usize, total: usize, what: String },
    Ready,
    Failed(String),
}

/// PKIs are reused for the same seed, number of TPs, RSA size and mode.
type PkiKey = (u64, u8, usize, bool);

fn pki_key(cfg: &SessionConfig) -> PkiKey {
    let sensor_cert = matches!(cfg.mode, Mode::Pk | Mode::Dh);
    (cfg.seed.unwrap_or(0), cfg.tps(), cfg.rsa_bits.bits(), sensor_cert)
}

/// The PKIs made so far in this page, and the way to make new ones. `Copy`, like a signal.
#[derive(Clone, Copy)]
pub struct PkiSource {
    /// A short list (one entry per configuration tried).
    cache: StoredValue<Vec<(PkiKey, Arc<Pki>)>, LocalStorage>,
}

impl PkiSource {
    pub fn new() -> Self {
        PkiSource { cache: StoredValue::new_local(vec![]) }
    }

    /// The PKI already made for `cfg`, if any.
    pub fn cached(self, cfg: &SessionConfig) -> Option<Arc<Pki>> {
        let key = pki_key(cfg);
        self.cache.with_value(|c| c.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone()))
    }

    fn keep(self, key: PkiKey, pki: &Arc<Pki>) {
        self.cache.update_value(|c| {
            c.retain(|(k, _)| *k != key);
            c.push((key, pki.clone()));
        });
    }

    /// Provisions the PKI `cfg` needs: `status` hears the progress, `ready` gets the PKI.
    /// `wanted` says whether the caller still needs it (a page-side provisioning stops when
    /// it no longer is; a finished PKI is cached either way).
    pub fn provision(
        self,
        cfg: &SessionConfig,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        let key = pki_key(cfg);
        status(PkiStatus::Generating { done: 0, total: 0, what: String::new() });
        let on_progress = move |done, total, what: String| {
            status(PkiStatus::Generating { done, total, what });
        };
        let on_done = move |result: Result<Vec<u8>, String>| match result
            .and_then(|b| Pki::from_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(pki) => {
                let pki = Arc::new(pki);
                self.keep(key, &pki);
                status(PkiStatus::Ready);
                ready(pki);
            }
            Err(e) => status(PkiStatus::Failed(e)),
        };
        let Err(why) = crate::worker::provision(key.0, key.1, key.2, key.3, on_progress, on_done)
        else {
            return;
        };
        leptos::logging::warn!("{why}; generating the keys on the page");
        match Provisioning::new(cfg) {
            Ok(p) => self.provision_step(p, key, wanted, status, ready),
            Err(e) => status(PkiStatus::Failed(e)),
        }
    }

    /// One key or certificate per timer task, on the page.
    fn provision_step(
        self,
        mut p: Provisioning,
        key: PkiKey,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        set_timeout(
            move || {
                if !wanted() {
                    return;
                }
                match p.step() {
                    ProvisionProgress::Step { done, total, what } => {
                        status(PkiStatus::Generating { done, total, what });
                        self.provision_step(p, key, wanted, status, ready);
                    }
                    ProvisionProgress::Done(pki) => {
                        self.keep(key, &pki);
                        status(PkiStatus::Ready);
                        ready(pki);
                    }
                    ProvisionProgress::Failed(e) => status(PkiStatus::Failed(e)),
                }
            },
            Duration::from_millis(0),
        );
    }
}

impl Default for PkiSource {
    fn default() -> Self {
        Self::new()
    }
}
