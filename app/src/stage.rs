//! The view switch in the header, and stage mode: the exchange big for a projector.
//!
//! Every view but the normal layout is reached by a header button and kept in the link as
//! `view=NAME` (`url.rs`); a view adds its button to `BUTTONS` and mounts its panel in
//! `main.rs`. In stage mode the network and the sequence diagrams fill the screen, the
//! verdict and the narration are in large type and the controls are reduced to a presenter's;
//! a clicker drives it: PageDown / PageUp and Space step and play, `B` blanks the screen, `F`
//! toggles fullscreen, Escape leaves.
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, View};

/// The header's view buttons: the view, its name, its key (none: no shortcut).
const BUTTONS: &[(View, &str, Option<&str>)] = &[
    (View::Stage, "Stage", Some("S")),
    (View::Claims, "Claims", None),
    (View::Costs, "Costs", None),
    (View::Lesson, "Lesson", None),
];

/// The header's view buttons; each shows its view or, pressed again, the normal layout.
#[component]
pub fn ViewButtons() -> impl IntoView {
    let st = expect_context::<AppState>();
    view! {
        <nav class="views" aria-label="Views">
            {BUTTONS
                .iter()
                .map(|&(view, name, key)| {
                    view! {
                        <button
                            class="toggle"
                            aria-pressed=move || (st.view.get() == view).to_string()
                            aria-keyshortcuts=key
                            on:click=move |e| {
                                st.toggle_view(view);
                                // Space and Enter go to the stage's keys, not back to this button.
                                if let Some(b) = e
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                                {
                                    let _ = b.blur();
                                }
                            }
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
            <button
                class="toggle"
                title="Opens the presenter's notes in a new window, kept in step with this one"
                on:click=move |_| crate::presenter::open_notes_window()
            >
                "Notes"
            </button>
        </nav>
    }
}

/// Whether the screen is blanked (key `B`): a presenter's black slide.
#[derive(Clone, Copy)]
pub struct Blank(pub RwSignal<bool>);

/// The stage's own keys (the playback keys are `controls.rs`'s); `true` if `key` was one.
/// `S` enters or leaves the stage from anywhere; the others act only on stage.
pub fn on_key(st: AppState, blank: Blank, key: &str) -> bool {
    let on_stage = st.view.get_untracked() == View::Stage;
    match key {
        "s" | "S" => {
            blank.0.set(false);
            st.toggle_view(View::Stage);
            true
        }
        "b" | "B" | "." if on_stage => {
            blank.0.update(|b| *b = !*b);
            true
        }
        "f" | "F" if on_stage => {
            toggle_fullscreen();
            true
        }
        "Escape" if on_stage => {
            // The browser leaves fullscreen on Escape by itself; the stage goes too.
            blank.0.set(false);
            st.set_view(View::Run);
            true
        }
        _ => false,
    }
}

/// Enters fullscreen, or leaves it (through the Fullscreen API, read by name: web-sys gates it
/// behind a feature for one call).
fn toggle_fullscreen() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let call = |target: &wasm_bindgen::JsValue, name: &str| {
        if let Ok(f) = js_sys::Reflect::get(target, &name.into())
            && let Some(f) = f.dyn_ref::<js_sys::Function>()
        {
            // A promise: refused fullscreen (no user gesture) only rejects it.
            let _ = f.call0(target);
        }
    };
    let full = js_sys::Reflect::get(&doc, &"fullscreenElement".into())
        .is_ok_and(|e| !e.is_null() && !e.is_undefined());
    if full {
        call(&doc, "exitFullscreen");
    } else if let Some(root) = doc.document_element() {
        call(&root, "requestFullscreen");
    }
}

/// The black screen over everything while blanked; any click or key brings the stage back.
#[component]
pub fn BlankScreen() -> impl IntoView {
    let blank = expect_context::<Blank>();
    view! {
        <Show when=move || blank.0.get()>
            <div class="blank" role="presentation" on:click=move |_| blank.0.set(false)></div>
        </Show>
    }
}

/// Registers the service worker (`sw.js`, shipped beside the page) that keeps the page's files
/// for a visit with no network. Called once the run is ready, so its install reads the files
/// from the HTTP cache the page has filled. Browsers without service workers (or a page not
/// served from a secure origin) just go without.
pub fn register_service_worker() {
    let Some(w) = web_sys::window() else { return };
    let nav = w.navigator();
    let has = js_sys::Reflect::get(&nav, &"serviceWorker".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    // Once per page: a reset starts the run again and calls this again.
    static REGISTERED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if has && !REGISTERED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        // A promise; a refused registration only leaves the page without offline copies.
        let _ = nav.service_worker().register("sw.js");
    }
}
