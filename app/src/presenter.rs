//! The presenter's notes: a second window (`#view=notes`) kept in step with the stage through a
//! `BroadcastChannel`. It shows the current and the next step's narration, the run's speaker
//! notes, the verdict and a clock. It runs no simulation of its own: the window that runs the
//! exchange sends it every sentence, each computed by `dmikey::sim`.
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::state::{AppState, View};

/// The channel's name, the same in both windows (the same origin).
const CHANNEL: &str = "dmikey-presenter";

/// What the stage sends the notes window.
#[derive(Clone, Debug, Default, PartialEq)]
struct Cue {
    step: usize,
    furthest: usize,
    now: String,
    next: String,
    title: String,
    notes: String,
    verdict: String,
}

impl Cue {
    fn to_js(&self) -> JsValue {
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&o, &k.into(), &v);
        };
        set("kind", "cue".into());
        set("step", (self.step as f64).into());
        set("furthest", (self.furthest as f64).into());
        set("now", self.now.as_str().into());
        set("next", self.next.as_str().into());
        set("title", self.title.as_str().into());
        set("notes", self.notes.as_str().into());
        set("verdict", self.verdict.as_str().into());
        o.into()
    }

    fn from_js(v: &JsValue) -> Option<Cue> {
        let get = |k: &str| js_sys::Reflect::get(v, &k.into()).ok();
        let text = |k: &str| get(k).and_then(|x| x.as_string()).unwrap_or_default();
        (text("kind") == "cue").then(|| Cue {
            step: get("step").and_then(|x| x.as_f64()).unwrap_or(0.0) as usize,
            furthest: get("furthest").and_then(|x| x.as_f64()).unwrap_or(0.0) as usize,
            now: text("now"),
            next: text("next"),
            title: text("title"),
            notes: text("notes"),
            verdict: text("verdict"),
        })
    }
}

fn channel() -> Option<web_sys::BroadcastChannel> {
    web_sys::BroadcastChannel::new(CHANNEL).ok()
}

/// Calls `f` with every message on the channel, for the page's lifetime.
fn listen(ch: &web_sys::BroadcastChannel, f: impl Fn(JsValue) + 'static) {
    let on =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| f(e.data()));
    ch.set_onmessage(Some(on.as_ref().unchecked_ref()));
    on.forget();
}

/// In the window that runs the exchange: sends a cue at every change of step, run or verdict,
/// once a notes window has said it is there (the next step's narration costs a step of the
/// simulation, so it is computed only for a listener).
pub fn broadcast(st: AppState) {
    let Some(ch) = channel() else { return };
    let listening = RwSignal::new(false);
    listen(&ch, move |data| {
        let hello = js_sys::Reflect::get(&data, &"kind".into())
            .ok()
            .and_then(|k| k.as_string())
            .is_some_and(|k| k == "hello");
        if hello {
            // Set even when already listening: a second window saying hello wants the cue too.
            listening.set(true);
        }
    });
    Effect::new(move |_| {
        if !listening.get() {
            return;
        }
        let Some(pb) = st.model.playback.get() else { return };
        let preset = st.scenario.get();
        let title = preset
            .and_then(|id| {
                let c = st.config.get_untracked();
                dmikey::sim::presets(c.rsa_bits, c.seed).into_iter().find(|p| p.id == id)
            })
            .map_or_else(|| "The default run".to_string(), |p| p.title.to_string());
        let cue = Cue {
            step: pb.position,
            furthest: pb.furthest,
            now: pb.narration.clone(),
            next: st.next_narration().unwrap_or_else(|| "The run is over.".into()),
            title,
            notes: dmikey::sim::speaker_notes(preset).unwrap_or_default(),
            verdict: st.model.verdict.with(|v| v.sentence.clone()),
        };
        let _ = ch.post_message(&cue.to_js());
    });
}

/// Opens the notes in a window of their own (or a tab, if the browser prefers).
pub fn open_notes_window() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let url = format!(
        "{}{}#view={}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
        View::Notes.name()
    );
    let _ =
        w.open_with_url_and_target_and_features(&url, "dmikey-notes", "popup,width=900,height=700");
}

/// The time of day and the time since `start` (ms of `performance.now()`), as "14:05 · 12:30".
fn clock(start: f64) -> String {
    let now = js_sys::Date::new_0();
    let elapsed =
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now() - start).max(0.0)
            as u64
            / 1000;
    format!(
        "{:02}:{:02} · {}:{:02} elapsed",
        now.get_hours(),
        now.get_minutes(),
        elapsed / 60,
        elapsed % 60
    )
}

/// The presenter's window.
#[component]
pub fn NotesPage() -> impl IntoView {
    let cue = RwSignal::new(None::<Cue>);
    let start = web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
    let time = RwSignal::new(clock(start));
    let tick =
        set_interval_with_handle(move || time.set(clock(start)), std::time::Duration::from_secs(1));
    // The clock runs as long as the window.
    std::mem::forget(tick);
    if let Some(ch) = channel() {
        listen(&ch, move |data| {
            if let Some(c) = Cue::from_js(&data) {
                cue.set(Some(c));
            }
        });
        let hello = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&hello, &"kind".into(), &"hello".into());
        let _ = ch.post_message(&hello);
        // Kept open for the page's lifetime (dropping it would close the channel).
        std::mem::forget(ch);
    }
    let get =
        move |f: fn(&Cue) -> String| move || cue.with(|c| c.as_ref().map(f).unwrap_or_default());
    view! {
        <div class="presenter">
            <header>
                <h1>"Presenter's notes"</h1>
                <p class="clock" aria-label="Clock">{move || time.get()}</p>
            </header>
            <Show
                when=move || cue.with(|c| c.is_some())
                fallback=|| {
                    view! {
                        <p class="waiting" role="status">
                            "Waiting for the stage: open the demonstrator in another window of this browser."
                        </p>
                    }
                }
            >
                <section class="cue" aria-label="Now">
                    <h2>{move || cue.with(|c| c.as_ref().map(|c| format!("Now — step {} of {}", c.step, c.furthest.max(c.step))))}</h2>
                    <p class="now" aria-live="polite">{get(|c| c.now.clone())}</p>
                </section>
                <section class="cue" aria-label="Next">
                    <h2>"Next"</h2>
                    <p class="next">{get(|c| c.next.clone())}</p>
                </section>
                <section class="cue" aria-label="Speaker notes">
                    <h2>{get(|c| c.title.clone())}</h2>
                    <p class="speaker">{get(|c| c.notes.clone())}</p>
                </section>
                <section class="cue" aria-label="Verdict">
                    <h2>"Verdict"</h2>
                    <p>{get(|c| c.verdict.clone())}</p>
                </section>
            </Show>
        </div>
    }
}
