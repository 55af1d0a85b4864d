//! PKI provisioning off the main thread. RSA key generation takes hundreds of milliseconds per
//! key in wasm, so it runs in a module Web Worker that loads this same wasm (through the
//! wasm-bindgen glue Trunk emitted) and calls [`PkiJob`] one key or certificate at a time,
//! posting progress; the page stays responsive and shows "key 3 of 10".
//!
//! The worker script is built from a string here (a Blob URL), so it needs no extra asset and
//! finds the glue and wasm by the `<link rel=modulepreload>` / `<link rel=preload>` tags that
//! Trunk writes into index.html — hashed file names included.
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::bridge::{Mode, ProvisionProgress, Provisioning, RsaBits, Scheme, SessionConfig};

/// The configuration a provisioning needs: the seed, the TPs, the RSA size and whether the
/// sensor gets a certificate (public-key and Diffie–Hellman modes).
pub fn pki_config(seed: u64, tps: u8, bits: usize, sensor_cert: bool) -> SessionConfig {
    let mut c = if tps > 0 {
        SessionConfig::distributed(tps, 1, Scheme::PaperRs)
    } else if sensor_cert {
        SessionConfig::standard(Mode::Pk)
    } else {
        SessionConfig::standard(Mode::Psk)
    };
    c.rsa_bits = RsaBits::ALL.into_iter().find(|b| b.bits() == bits).unwrap_or(RsaBits::B2048);
    c.seed = Some(seed);
    c
}

/// One provisioning job, driven from the worker (exported to JS).
#[wasm_bindgen]
pub struct PkiJob {
    inner: Option<Provisioning>,
    done: usize,
    total: usize,
    what: String,
    bytes: Vec<u8>,
    error: String,
}

#[wasm_bindgen]
impl PkiJob {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64, tps: u8, bits: usize, sensor_cert: bool) -> PkiJob {
        let (inner, error) = match Provisioning::new(&pki_config(seed, tps, bits, sensor_cert)) {
            Ok(p) => (Some(p), String::new()),
            Err(e) => (None, e),
        };
        PkiJob { inner, done: 0, total: 0, what: String::new(), bytes: vec![], error }
    }

    /// Generates the next key or certificate; `false` when everything is provisioned (or
    /// provisioning failed: see `error`).
    pub fn step(&mut self) -> bool {
        let Some(p) = self.inner.as_mut() else { return false };
        match p.step() {
            ProvisionProgress::Step { done, total, what } => {
                (self.done, self.total, self.what) = (done, total, what);
                true
            }
            ProvisionProgress::Done(pki) => {
                self.bytes = pki.to_bytes();
                self.inner = None;
                false
            }
            ProvisionProgress::Failed(e) => {
                self.error = e;
                self.inner = None;
                false
            }
        }
    }

    pub fn done(&self) -> usize {
        self.done
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// What the last step made, in words.
    pub fn current(&self) -> String {
        self.what.clone()
    }

    /// Why provisioning failed (empty if it did not).
    pub fn error(&self) -> String {
        self.error.clone()
    }

    /// The provisioned PKI, serialised (`Pki::to_bytes`).
    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

const WORKER_JS: &str = r#"
let glue = null;
self.onmessage = async (e) => {
  const d = e.data;
  try {
    if (!glue) {
      glue = await import(d.glue);
      await glue.default({ module_or_path: d.wasm });
    }
    const job = new glue.PkiJob(BigInt(d.seed), d.n, d.bits, d.sensorCert);
    while (job.step()) {
      self.postMessage({ kind: "progress", done: job.done(), total: job.total(), what: job.current() });
    }
    const error = job.error();
    if (error) throw new Error(error);
    const bytes = job.finish();
    job.free();
    self.postMessage({ kind: "done", bytes }, [bytes.buffer]);
  } catch (err) {
    self.postMessage({ kind: "error", message: String(err && err.message || err) });
  }
};
"#;

thread_local! {
    static WORKER: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
}

/// The URLs of the wasm-bindgen glue and the wasm, as Trunk linked them in the page.
fn asset_urls() -> Result<(String, String), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let base = doc.base_uri().ok().flatten().unwrap_or_default();
    let href = |sel: &str| -> Option<String> {
        let el = doc.query_selector(sel).ok().flatten()?;
        let h = el.get_attribute("href")?;
        web_sys::Url::new_with_base(&h, &base).ok().map(|u| u.href())
    };
    let glue = href("link[rel=modulepreload][href$='.js']")
        .ok_or("the page does not link its JavaScript glue (modulepreload)")?;
    let wasm =
        href("link[rel=preload][href$='.wasm']").unwrap_or_else(|| glue.replace(".js", "_bg.wasm"));
    Ok((glue, wasm))
}

fn spawn() -> Result<web_sys::Worker, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(WORKER_JS));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)
        .map_err(|_| "could not build the worker script")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "could not make a URL for the worker")?;
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    opts.set_name("pki");
    web_sys::Worker::new_with_options(&url, &opts).map_err(|_| "could not start the worker".into())
}

fn field(obj: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<Vec<u8>, String>)>>>>;

/// Provisions a PKI in the worker; `progress(done, total, what)` per key or certificate, then
/// `done(Ok(Pki::to_bytes()))` or `done(Err(sentence))`. One job at a time: a new call
/// terminates the worker of the older one. `Err` (and no call of `done`) if the worker could
/// not be started at all.
pub fn provision(
    seed: u64,
    n: u8,
    bits: usize,
    sensor_cert: bool,
    progress: impl Fn(usize, usize, String) + 'static,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) -> Result<(), String> {
    let done: Done = Rc::new(RefCell::new(Some(Box::new(done))));
    start((seed, n, bits, sensor_cert), Box::new(progress), done)
}

fn start(
    (seed, n, bits, sensor_cert): (u64, u8, usize, bool),
    progress: Box<dyn Fn(usize, usize, String)>,
    done: Done,
) -> Result<(), String> {
    let (glue, wasm) = asset_urls()?;
    WORKER.with(|w| {
        if let Some(old) = w.borrow_mut().take() {
            old.terminate();
        }
    });
    let worker = spawn()?;
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let kind = field(&data, "kind").as_string().unwrap_or_default();
            let finish = |r: Result<Vec<u8>, String>| {
                if let Some(f) = done.borrow_mut().take() {
                    f(r);
                }
            };
            match kind.as_str() {
                "progress" => progress(
                    field(&data, "done").as_f64().unwrap_or(0.0) as usize,
                    field(&data, "total").as_f64().unwrap_or(0.0) as usize,
                    field(&data, "what").as_string().unwrap_or_default(),
                ),
                "done" => finish(Ok(js_sys::Uint8Array::new(&field(&data, "bytes")).to_vec())),
                _ => {
                    let msg = field(&data, "message").as_string().unwrap_or_default();
                    finish(Err(format!("key generation failed: {msg}")));
                }
            }
        });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let msg = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&msg, &JsValue::from_str(k), &v).is_ok();
    let ok = set("glue", glue.into())
        && set("wasm", wasm.into())
        && set("seed", seed.to_string().into())
        && set("n", (n as u32).into())
        && set("bits", (bits as u32).into())
        && set("sensorCert", sensor_cert.into());
    if !ok {
        return Err("could not build the message for the worker".into());
    }
    worker.post_message(&msg).map_err(|_| "could not talk to the worker")?;
    WORKER.with(|w| *w.borrow_mut() = Some(worker));
    Ok(())
}
