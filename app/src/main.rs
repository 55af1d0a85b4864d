//! The browser demonstrator: draws the `dmikey` simulation and sends it the audience's commands.
//!
//! Screen, left to right: configuration and presets; the topology with the sequence timeline
//! and the playback bar; the attacker, the intruder's knowledge and the message inspector.
//! The verdict sits in the header, always visible. No protocol rule lives here: every
//! sentence, label and number comes from `dmikey`.
#![forbid(unsafe_code)]

use leptos::prelude::*;

mod attacker;
mod claims;
mod compose;
mod config;
mod controls;
mod costs;
mod decode;
mod events;
mod export;
mod glossary;
mod hex;
mod inspector;
mod intruder;
mod lesson;
mod notes;
mod pki;
mod pki_store;
mod presenter;
mod presets;
mod roleview;
mod stage;
mod state;
mod timeline;
mod topology;
mod url;
mod verdict;
mod worker;

use state::{AppState, PkiStatus, View};

fn main() {
    // Loaded inside the PKI worker too: there is no window there and nothing to mount.
    if web_sys::window().is_none() {
        return;
    }
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    mark("dmikey-interactive");
}

/// A User Timing mark, read by the e2e performance script (`e2e/ui_perf.test.mjs`).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Milliseconds since the page started (`performance.now()`), to time a computation the
/// audience asked for; `None` without a window.
pub fn now_ms() -> Option<f64> {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now())
}

#[component]
fn App() -> impl IntoView {
    // The presenter's window shows the notes only, fed by the stage's window: no run of its own.
    if url::view() == Some(View::Notes) {
        return view! { <presenter::NotesPage/> }.into_any();
    }
    let st = AppState::new();
    provide_context(st);
    let blank = stage::Blank(RwSignal::new(false));
    provide_context(blank);
    controls::install_keyboard(st, blank);
    presenter::broadcast(st);
    // A link (`#v=1&…`) opens its moment of its run; otherwise the default run. A link
    // pasted into the address bar of an open page is opened too. The run (and the PKI lookup
    // or the worker pool it needs) starts in a task of its own, after the first mount, and the
    // panels below the fold mount in a third: no main-thread task does all of it at once.
    let rest_mounted = RwSignal::new(false);
    let costs_mounted = RwSignal::new(false);
    Effect::new(move |_| {
        if st.view.get() == View::Costs {
            costs_mounted.set(true);
        }
    });
    set_timeout(
        move || {
            match url::fragment() {
                Some(link) => st.open_link(&link),
                None => st.reset(),
            }
            set_timeout(move || rest_mounted.set(true), std::time::Duration::ZERO);
        },
        std::time::Duration::ZERO,
    );
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(link) = url::fragment() {
            st.open_link(&link);
        }
        st.view.set(url::view().unwrap_or_default());
    });
    // Lives as long as the page.
    std::mem::forget(on_hash);
    view! {
        <div
            class="app"
            class:large=move || st.large_type.get()
            class:stage=move || st.view.get() == View::Stage
        >
            <stage::BlankScreen/>
            <header class="top">
                <div class="brand">
                    <h1>"Distributed MIKEY"</h1>
                    <p class="sub">"A sensor agrees a key with a server through third parties"</p>
                </div>
                <verdict::VerdictBanner/>
                <stage::ViewButtons/>
                <button
                    class="toggle"
                    aria-pressed=move || st.large_type.get().to_string()
                    on:click=move |_| st.large_type.update(|v| *v = !*v)
                >
                    "Large type"
                </button>
                <glossary::GlossaryRoot/>
            </header>
            // Mounted when first opened and kept (hidden) afterwards: its sessions run one per
            // timer task and must not outlive the signals they write.
            <Show when=move || costs_mounted.get()>
                <div hidden=move || st.view.get() != View::Costs>
                    <costs::CostView/>
                </div>
            </Show>
            <claims::ClaimsView/>
            // The run's panels stay mounted under the claims and cost views (the run goes on),
            // and the stage is the same panels in another layout.
            <main class="grid" hidden=move || matches!(st.view.get(), View::Claims | View::Costs)>
                <lesson::LessonView/>
                <aside class="left" aria-label="Set-up">
                    <presets::Presets/>
                    <config::ConfigPanel/>
                    <notes::Deviations/>
                </aside>
                <section class="center" aria-label="The exchange">
                    <KeyProgress/>
                    <topology::Topology/>
                    <controls::Controls/>
                    <p class="narration" aria-live="polite" aria-atomic="true">
                        <glossary::Glossed text=move || st.model.playback.with(|p| p.as_ref().map(|p| p.narration.clone()).unwrap_or_default())/>
                    </p>
                    <div class="lower">
                        <Show when=move || rest_mounted.get()>
                            <timeline::Timeline/>
                            <events::EventList/>
                        </Show>
                    </div>
                </section>
                <aside class="right" aria-label="Attacker and inspection">
                    <attacker::Attacker/>
                    <intruder::IntruderPanel/>
                    <Show when=move || rest_mounted.get()>
                        <inspector::Inspector/>
                    </Show>
                </aside>
            </main>
        </div>
    }
    .into_any()
}

/// Progress of the RSA key generation in the worker pool.
#[component]
fn KeyProgress() -> impl IntoView {
    let st = expect_context::<AppState>();
    move || {
        match st.pki.get() {
        PkiStatus::Generating { done, total, what } => view! {
            <div class="keygen" role="status">
                <label>
                    {if total == 0 {
                        "Generating keys and certificates in background workers…".to_string()
                    } else {
                        format!("Generating keys and certificates in background workers: {done} of {total}. {what}")
                    }}
                    <progress max=total.max(1) value=done></progress>
                </label>
            </div>
        }
        .into_any(),
        PkiStatus::Reading(what) => view! { <div class="keygen" role="status">{what}</div> }.into_any(),
        PkiStatus::Failed(e) => view! { <div class="keygen error" role="alert">{e}</div> }.into_any(),
        _ => ().into_any(),
    }
    }
}
