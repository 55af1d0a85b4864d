//! Where a run's PKI (RSA keys, certificates, PSKs) comes from. What a configuration needs is
//! the protocol's decision (`SessionConfig::pki_need`); this file only looks it up and makes
//! it: a PKI already made in this page, one kept from an earlier visit (`pki_store.rs`), or a
//! new one from the worker pool (`worker.rs`). Only if no worker can start does the page run
//! the jobs itself, one per timer task. Once the first run is ready, the PKIs of the presets
//! are made in the background while the audience reads, so a preset starts at once.
use std::sync::Arc;
use std::time::Duration;

use dmikey::sim::{Pki, PkiNeed, scenario};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::pki_store;
use crate::worker::{self, Priority};
use dmikey::sim::SessionConfig;

/// What the PKI provisioning (RSA keys and certificates) is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum PkiStatus {
    Idle,
    Generating {
        done: usize,
        total: usize,
        what: String,
    },
    /// Reading a PKI that ships with the page (the sentence says so).
    Reading(String),
    Ready,
    Failed(String),
}

/// The PKIs made so far in this page, and the way to make new ones. `Copy`, like a signal.
#[derive(Clone, Copy)]
pub struct PkiSource {
    /// A short list (one entry per configuration tried), by `PkiNeed::id`.
    cache: StoredValue<Vec<(String, Arc<Pki>)>, LocalStorage>,
    /// Whether the presets' PKIs were asked for already.
    prefetched: StoredValue<bool, LocalStorage>,
}

impl PkiSource {
    pub fn new() -> Self {
        PkiSource {
            cache: StoredValue::new_local(vec![]),
            prefetched: StoredValue::new_local(false),
        }
    }

    /// The PKI already made in this page for `cfg`, if any.
    pub fn cached(self, cfg: &SessionConfig) -> Option<Arc<Pki>> {
        self.cached_need(&cfg.pki_need())
    }

    /// The PKI already made in this page for `need`, if any.
    pub fn cached_need(self, need: &PkiNeed) -> Option<Arc<Pki>> {
        let id = need.id();
        self.cache.with_value(|c| c.iter().find(|(k, _)| *k == id).map(|(_, p)| p.clone()))
    }

    fn keep(self, need: &PkiNeed, pki: &Arc<Pki>) {
        let id = need.id();
        self.cache.update_value(|c| {
            c.retain(|(k, _)| *k != id);
            c.push((id, pki.clone()));
        });
    }

    /// Provisions the PKI `cfg` needs: `status` hears the progress, `ready` gets the PKI.
    /// `wanted` says whether the caller still needs it (a page-side provisioning stops when
    /// it no longer is; a PKI from the workers is kept either way).
    pub fn provision(
        self,
        cfg: &SessionConfig,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        self.provision_need(cfg.pki_need(), wanted, status, ready);
    }

    /// Provisions the PKI `need` describes, as [`PkiSource::provision`] does a
    /// configuration's: one kept from an earlier visit, or a new one.
    pub fn provision_need(
        self,
        need: PkiNeed,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        status(PkiStatus::Generating { done: 0, total: 0, what: String::new() });
        let Some(key) = need.cache_key() else {
            self.generate(need, wanted, status, ready);
            return;
        };
        let shipped = dmikey::sim::shipped_pki_path(&need);
        if shipped.is_none() {
            worker::warm();
        }
        spawn_local(async move {
            if let Some(pki) = self.stored(&need, &key).await {
                self.keep(&need, &pki);
                status(PkiStatus::Ready);
                ready(pki);
                return;
            }
            if let Some(path) = shipped {
                status(PkiStatus::Reading(dmikey::sim::shipped_pki_status(&need)));
                match fetch_shipped(&path, &need).await {
                    Ok((pki, bytes)) => {
                        pki_store::save(&key, &bytes).await;
                        self.keep(&need, &pki);
                        status(PkiStatus::Ready);
                        ready(pki);
                        self.prefetch_presets(need);
                        return;
                    }
                    Err(e) => {
                        leptos::logging::warn!(
                            "the PKI shipped with the page ({path}) could not be used ({e}); \
                             generating the keys"
                        );
                        status(PkiStatus::Generating { done: 0, total: 0, what: String::new() });
                    }
                }
            }
            if wanted() {
                self.generate(need, wanted, status, ready);
            }
        });
    }

    /// The PKI kept under `key` from an earlier visit, if it reads back and fits `need`.
    async fn stored(self, need: &PkiNeed, key: &str) -> Option<Arc<Pki>> {
        let bytes = pki_store::load(key).await?;
        match Pki::from_bytes(&bytes).and_then(|p| p.covers(need).map(|()| p)) {
            Ok(pki) => Some(Arc::new(pki)),
            Err(e) => {
                leptos::logging::warn!("the kept PKI could not be used ({e}); making a new one");
                pki_store::forget(key).await;
                None
            }
        }
    }

    fn generate(
        self,
        need: PkiNeed,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        let on_progress = move |done, total, what: String| {
            status(PkiStatus::Generating { done, total, what });
        };
        let on_done = move |result: Result<Vec<u8>, String>| {
            let pki = result.and_then(|b| {
                let pki = Pki::from_bytes(&b).map_err(|e| e.to_string())?;
                if let Some(key) = need.cache_key() {
                    spawn_local(async move { pki_store::save(&key, &b).await });
                }
                Ok(Arc::new(pki))
            });
            match pki {
                Ok(pki) => {
                    self.keep(&need, &pki);
                    status(PkiStatus::Ready);
                    ready(pki);
                    self.prefetch_presets(need);
                }
                Err(e) => status(PkiStatus::Failed(e)),
            }
        };
        let Err(why) = worker::provision(need, Priority::Now, on_progress, on_done) else {
            return;
        };
        leptos::logging::warn!("{why}; generating the keys on the page");
        self.page_step(need, Vec::new(), wanted, status, ready);
    }

    /// One job per timer task on the page, then the assembly (no worker could start).
    fn page_step(
        self,
        need: PkiNeed,
        mut parts: Vec<dmikey::sim::PkiPart>,
        wanted: impl Fn() -> bool + Copy + 'static,
        status: impl Fn(PkiStatus) + Copy + 'static,
        ready: impl Fn(Arc<Pki>) + Copy + 'static,
    ) {
        set_timeout(
            move || {
                if !wanted() {
                    return;
                }
                let jobs = need.jobs();
                let total = jobs.len() + 1;
                let Some(&job) = jobs.get(parts.len()) else {
                    match need.assemble(&parts) {
                        Ok(pki) => {
                            let pki = Arc::new(pki);
                            self.keep(&need, &pki);
                            status(PkiStatus::Ready);
                            ready(pki);
                        }
                        Err(e) => status(PkiStatus::Failed(e.to_string())),
                    }
                    return;
                };
                match need.run_job(job, &mut Default::default()) {
                    Ok(part) => {
                        parts.push(part);
                        let what = format!("Made {}.", job.describe());
                        status(PkiStatus::Generating { done: parts.len(), total, what });
                        self.page_step(need, parts, wanted, status, ready);
                    }
                    Err(e) => status(PkiStatus::Failed(e.to_string())),
                }
            },
            Duration::from_millis(0),
        );
    }

    /// Once, after the first run is ready: when the page is idle, make (or find kept) the PKI
    /// of every preset, at background priority, and keep it for the next visit too.
    fn prefetch_presets(self, shown: PkiNeed) {
        if self.prefetched.get_value() {
            return;
        }
        self.prefetched.set_value(true);
        let mut needs: Vec<PkiNeed> = Vec::new();
        for p in scenario::presets(shown.rsa_bits, shown.seed) {
            let n = p.config.pki_need();
            if n != shown && !needs.contains(&n) {
                needs.push(n);
            }
        }
        when_idle(move || {
            for need in needs {
                let Some(key) = need.cache_key() else { continue };
                spawn_local(async move {
                    if self.cache.with_value(|c| c.iter().any(|(k, _)| *k == need.id()))
                        || pki_store::load(&key).await.is_some()
                    {
                        return;
                    }
                    let saved = move |r: Result<Vec<u8>, String>| {
                        if let Ok(bytes) = r {
                            spawn_local(async move { pki_store::save(&key, &bytes).await });
                        }
                    };
                    // No worker: nothing is made in the background.
                    let _ = worker::provision(need, Priority::Background, |_, _, _| {}, saved);
                });
            }
        });
    }
}

/// The PKI shipped with the page at `path` (site-relative), if it reads back and fits `need`;
/// its bytes too, to keep it like a generated one.
async fn fetch_shipped(path: &str, need: &PkiNeed) -> Result<(Arc<Pki>, Vec<u8>), String> {
    let window = web_sys::window().ok_or("no window")?;
    let unread = |_| "the file could not be read".to_string();
    let answer = JsFuture::from(window.fetch_with_str(path)).await.map_err(unread)?;
    let response: web_sys::Response = answer.dyn_into().map_err(unread)?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let buf = JsFuture::from(response.array_buffer().map_err(unread)?).await.map_err(unread)?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let pki = Pki::from_bytes(&bytes).and_then(|p| p.covers(need).map(|()| p));
    Ok((Arc::new(pki.map_err(|e| e.to_string())?), bytes))
}

/// Runs `f` when the browser is idle (`requestIdleCallback`), or after a second where it has
/// no such call.
fn when_idle(f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    let Some(w) = web_sys::window() else { return };
    if w.request_idle_callback(cb.unchecked_ref()).is_err() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 1000);
    }
}

impl Default for PkiSource {
    fn default() -> Self {
        Self::new()
    }
}
