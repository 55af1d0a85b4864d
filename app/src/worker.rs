//! PKI provisioning off the main thread, on a pool of Web Workers. RSA key generation takes
//! hundreds of milliseconds per key in wasm; the protocol splits a PKI into independent jobs
//! (`dmikey::sim::PkiNeed::jobs`: one RSA key each, and the PSKs), so the pool runs them side
//! by side, one per worker, and a last job signs the certificates with the CA's key
//! (`PkiNeed::assemble`). The protocol decides what is made and from which random stream; this
//! file only moves the need's text form, job numbers and bytes between the page and the workers.
//!
//! Each worker is a module worker that loads this same wasm: the page hands it its compiled
//! `WebAssembly.Module` (no second download or compile), or else the URLs of the glue and the
//! wasm that Trunk linked in index.html. The worker script is built from a string here (a Blob
//! URL), so it needs no extra asset.
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use dmikey::sim::{PkiNeed, PkiPart};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Runs job number `job` of the need `need` (`PkiNeed::id`) and returns its part
/// (`PkiPart::to_bytes`). Called in a worker.
#[wasm_bindgen]
pub fn pki_run_job(need: &str, job: usize) -> Result<Vec<u8>, String> {
    let need = PkiNeed::parse(need).map_err(|e| e.to_string())?;
    let job = need.jobs().get(job).copied().ok_or("no such provisioning job")?;
    let part = need.run_job(job, &mut Default::default()).map_err(|e| e.to_string())?;
    Ok(part.to_bytes())
}

/// Assembles the PKI of `need` out of the parts of all its jobs and returns `Pki::to_bytes`.
/// Called in a worker.
#[wasm_bindgen]
pub fn pki_assemble(need: &str, parts: js_sys::Array) -> Result<Vec<u8>, String> {
    let need = PkiNeed::parse(need).map_err(|e| e.to_string())?;
    let parts = parts
        .iter()
        .map(|p| PkiPart::from_bytes(&js_sys::Uint8Array::new(&p).to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    need.assemble(&parts).map(|pki| pki.to_bytes()).map_err(|e| e.to_string())
}

const WORKER_JS: &str = r#"
let glue = null;
self.onmessage = async (e) => {
  const d = e.data;
  try {
    if (d.kind === "init") {
      glue = import(d.glue).then(async (g) => {
        await g.default({ module_or_path: d.module ?? d.wasm });
        return g;
      });
      await glue;
      return;
    }
    const g = await glue;
    const bytes = d.kind === "job" ? g.pki_run_job(d.need, d.job) : g.pki_assemble(d.need, d.parts);
    self.postMessage({ kind: "done", bytes }, [bytes.buffer]);
  } catch (err) {
    self.postMessage({ kind: "error", message: String((err && err.message) || err) });
  }
};
"#;

/// How urgent a provisioning is: the run on screen, or a preset's PKI made while the
/// audience reads (one worker at most, and only when nothing urgent is waiting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Now,
    Background,
}

type Reply = Box<dyn FnOnce(Result<Vec<u8>, String>)>;

enum Work {
    Job(usize),
    Assemble(Vec<Vec<u8>>),
}

struct Task {
    run: Rc<RefCell<Run>>,
    work: Work,
    reply: Reply,
}

/// A provisioning in progress: its parts so far and who waits for it.
struct Run {
    need: PkiNeed,
    id: String,
    priority: Priority,
    parts: Vec<Option<Vec<u8>>>,
    done: usize,
    listeners: Vec<Listener>,
    settled: bool,
}

struct Listener {
    progress: Rc<dyn Fn(usize, usize, String)>,
    done: Option<Reply>,
}

struct Slot {
    worker: web_sys::Worker,
    /// The task the worker is on, with its priority.
    busy: Option<(Priority, Reply)>,
}

#[derive(Default)]
struct Pool {
    slots: Vec<Slot>,
    queue: VecDeque<Task>,
    runs: Vec<Rc<RefCell<Run>>>,
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
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

fn field(obj: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn message(pairs: &[(&str, JsValue)]) -> Result<js_sys::Object, String> {
    let msg = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&msg, &JsValue::from_str(k), v)
            .map_err(|_| "could not build the message for a worker")?;
    }
    Ok(msg)
}

/// The number of workers: one per core, at least 2 (so key generation overlaps the page's own
/// work even on one core), at most 4 (more would only share the same cores).
fn pool_size() -> usize {
    let cores = web_sys::window().map(|w| w.navigator().hardware_concurrency()).unwrap_or(2.0);
    (cores as usize).clamp(2, 4)
}

fn spawn(index: usize, init: &js_sys::Object) -> Result<web_sys::Worker, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(WORKER_JS));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)
        .map_err(|_| "could not build the worker script")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "could not make a URL for the worker")?;
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    opts.set_name(&format!("pki-{}", index + 1));
    let worker = web_sys::Worker::new_with_options(&url, &opts)
        .map_err(|_| "could not start a worker".to_string())?;
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let result = match field(&data, "kind").as_string().as_deref() {
                Some("done") => Ok(js_sys::Uint8Array::new(&field(&data, "bytes")).to_vec()),
                _ => Err(format!(
                    "key generation settled: {}",
                    field(&data, "message").as_string().unwrap_or_default()
                )),
            };
            finished(index, result);
        });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    worker.post_message(init).map_err(|_| "could not talk to a worker")?;
    Ok(worker)
}

/// Starts the workers now (once), so they load while the page looks for a kept PKI: if it
/// finds none, key generation starts without waiting for them; if it does, they make the
/// presets' PKIs later. Errors are left to [`provision`].
pub fn warm() {
    let _ = ensure_pool();
}

/// Starts the pool (once). `Err` if no worker can start: the caller provisions on the page.
fn ensure_pool() -> Result<(), String> {
    if POOL.with(|p| p.borrow().is_some()) {
        return Ok(());
    }
    let (glue, wasm) = asset_urls()?;
    // The page's own compiled module, if the glue exposes it: the workers then only
    // instantiate it.
    let module = wasm_bindgen::module();
    let module = if module.is_instance_of::<js_sys::WebAssembly::Module>() {
        module
    } else {
        JsValue::UNDEFINED
    };
    let init = message(&[
        ("kind", "init".into()),
        ("glue", glue.into()),
        ("wasm", wasm.into()),
        ("module", module),
    ])?;
    let mut slots = Vec::new();
    for i in 0..pool_size() {
        match spawn(i, &init) {
            Ok(worker) => slots.push(Slot { worker, busy: None }),
            Err(e) if slots.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    POOL.with(|p| *p.borrow_mut() = Some(Pool { slots, ..Pool::default() }));
    Ok(())
}

/// A worker finished its task: hand the result on, then give it the next task.
fn finished(index: usize, result: Result<Vec<u8>, String>) {
    let reply = POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.as_mut().and_then(|p| p.slots.get_mut(index)).and_then(|s| s.busy.take())
    });
    if let Some((_, reply)) = reply {
        reply(result);
    }
    dispatch();
}

/// Gives queued tasks to idle workers: urgent ones first; a background task only if no urgent
/// one waits and no other background task runs.
fn dispatch() {
    loop {
        let sent = POOL.with(|p| {
            let mut guard = p.borrow_mut();
            let pool = guard.as_mut()?;
            let idle = pool.slots.iter().position(|s| s.busy.is_none())?;
            let background_busy =
                pool.slots.iter().any(|s| matches!(s.busy, Some((Priority::Background, _))));
            let pick =
                pool.queue.iter().position(|t| t.run.borrow().priority == Priority::Now).or_else(
                    || if background_busy { None } else { pool.queue.front().map(|_| 0) },
                )?;
            let task = pool.queue.remove(pick)?;
            let (id, priority) = {
                let run = task.run.borrow();
                (run.id.clone(), run.priority)
            };
            let msg = match &task.work {
                Work::Job(j) => {
                    message(&[("kind", "job".into()), ("need", id.into()), ("job", (*j).into())])
                }
                Work::Assemble(parts) => {
                    let arr = js_sys::Array::new();
                    for part in parts {
                        arr.push(&js_sys::Uint8Array::from(part.as_slice()));
                    }
                    message(&[
                        ("kind", "assemble".into()),
                        ("need", id.into()),
                        ("parts", arr.into()),
                    ])
                }
            };
            let slot = pool.slots.get_mut(idle)?;
            match msg.and_then(|m| {
                slot.worker.post_message(&m).map_err(|_| "could not talk to a worker".to_string())
            }) {
                Ok(()) => {
                    slot.busy = Some((priority, task.reply));
                    Some(None)
                }
                Err(e) => Some(Some((task.reply, e))),
            }
        });
        match sent {
            None => return,
            Some(None) => {}
            Some(Some((reply, e))) => reply(Err(e)),
        }
    }
}

/// Tells every listener of `run`, once, that it settled or gave the PKI.
fn settle(run: &Rc<RefCell<Run>>, result: Result<Vec<u8>, String>) {
    let listeners = {
        let mut r = run.borrow_mut();
        r.settled = true;
        std::mem::take(&mut r.listeners)
    };
    POOL.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.runs.retain(|r| !Rc::ptr_eq(r, run));
            p.queue.retain(|t| !Rc::ptr_eq(&t.run, run));
        }
    });
    for l in listeners {
        if let Some(done) = l.done {
            done(result.clone());
        }
    }
}

fn queue(task: Task) {
    POOL.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.queue.push_back(task);
        }
    });
}

fn job_task(run: &Rc<RefCell<Run>>, job: usize) -> Task {
    let me = run.clone();
    let reply: Reply = Box::new(move |result| match result {
        Err(e) => settle(&me, Err(e)),
        Ok(bytes) => {
            let (done, total, what, all) = {
                let mut r = me.borrow_mut();
                if r.settled {
                    return;
                }
                if let Some(slot) = r.parts.get_mut(job) {
                    *slot = Some(bytes);
                }
                r.done += 1;
                let what = r.need.jobs().get(job).map(|j| j.describe()).unwrap_or_default();
                let all: Option<Vec<Vec<u8>>> = r.parts.iter().cloned().collect();
                (r.done, r.parts.len() + 1, what, all)
            };
            let listeners: Vec<_> =
                me.borrow().listeners.iter().map(|l| l.progress.clone()).collect();
            for progress in listeners {
                progress(done, total, format!("Made {what}."));
            }
            if let Some(parts) = all {
                let run = me.clone();
                let reply: Reply = Box::new(move |result| settle(&run, result));
                queue(Task { run: me.clone(), work: Work::Assemble(parts), reply });
            }
        }
    });
    Task { run: run.clone(), work: Work::Job(job), reply }
}

/// Provisions the PKI `need` describes on the pool: `progress(done, total, what)` after each
/// job, then `done(Ok(Pki::to_bytes()))` or `done(Err(sentence))`. A need already being
/// provisioned is not started twice: the caller joins it (and an urgent caller makes it
/// urgent). An urgent provisioning makes the older urgent ones background work (they still
/// finish, for the cache). `Err` (and no call of `done`) if no worker could be started.
pub fn provision(
    need: PkiNeed,
    priority: Priority,
    progress: impl Fn(usize, usize, String) + 'static,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) -> Result<(), String> {
    ensure_pool()?;
    let id = need.id();
    let listener = Listener { progress: Rc::new(progress), done: Some(Box::new(done)) };
    let existing = POOL.with(|p| {
        let mut guard = p.borrow_mut();
        let pool = guard.as_mut()?;
        if priority == Priority::Now {
            for r in &pool.runs {
                let mut r = r.borrow_mut();
                if r.id != id {
                    r.priority = Priority::Background;
                }
            }
        }
        pool.runs.iter().find(|r| r.borrow().id == id).cloned()
    });
    if let Some(run) = existing {
        let mut r = run.borrow_mut();
        if priority == Priority::Now {
            r.priority = Priority::Now;
        }
        r.listeners.push(listener);
    } else {
        let jobs = need.jobs().len();
        let run = Rc::new(RefCell::new(Run {
            need,
            id,
            priority,
            parts: vec![None; jobs],
            done: 0,
            listeners: vec![listener],
            settled: false,
        }));
        POOL.with(|p| {
            if let Some(p) = p.borrow_mut().as_mut() {
                p.runs.push(run.clone());
            }
        });
        for j in 0..jobs {
            queue(job_task(&run, j));
        }
    }
    dispatch();
    Ok(())
}
