//! Playback: play / pause, step, step back, speed, reset and the scrubber, plus the keyboard
//! shortcuts for a speaker with a clicker (Space, → / PageDown and ← / PageUp, R; the stage's
//! S, B, F and Escape are `stage.rs`'s); and the downloads of the run at the current position
//! (its pcap capture, its key log, and the diagrams for slides).
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// Milliseconds between two steps, and the speed in words.
const SPEEDS: [(u64, &str); 5] = [
    (2000, "0.5 steps/s"),
    (1000, "1 step/s"),
    (500, "2 steps/s"),
    (250, "4 steps/s"),
    (100, "10 steps/s"),
];

/// Global shortcuts; ignored while the focus is in a form field, so typing a seed works.
pub fn install_keyboard(st: AppState, blank: crate::stage::Blank) {
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        // A control that handled the key itself (an SVG button) keeps it.
        if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
            return;
        }
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(tag.as_str(), "input" | "select" | "textarea") {
            return;
        }
        if crate::stage::on_key(st, blank, &e.key()) {
            e.prevent_default();
            return;
        }
        match e.key().as_str() {
            " " if !matches!(tag.as_str(), "button" | "summary") => {
                e.prevent_default();
                st.toggle_play();
            }
            "ArrowRight" | "PageDown" => {
                e.prevent_default();
                st.playing.set(false);
                st.step();
            }
            "ArrowLeft" | "PageUp" => {
                e.prevent_default();
                st.step_back();
            }
            "r" | "R" => st.reset(),
            _ => {}
        }
    });
    // The shortcuts live as long as the page.
    std::mem::forget(handle);
}

#[component]
pub fn Controls() -> impl IntoView {
    let st = expect_context::<AppState>();
    let playback = st.model.playback;
    let ready = st.model.ready;
    let position = st.model.position;
    let horizon = Memo::new(move |_| playback.with(|p| p.as_ref().map_or(0, |p| p.furthest)));
    let finished = Memo::new(move |_| {
        playback.with(|p| p.as_ref().is_some_and(|p| p.finished && p.position == p.furthest))
    });
    // What the last "Copy link" did; cleared when the run moves on.
    let note = RwSignal::new(String::new());
    Effect::new(move |_| {
        playback.track();
        note.set(String::new());
    });
    view! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <button
                class="primary"
                aria-keyshortcuts="Space"
                disabled=move || !ready.get()
                on:click=move |_| st.toggle_play()
            >
                <Glyph g=move || if st.playing.get() { "❚❚" } else { "▶" }/>
                {move || if st.playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                aria-label="Step back"
                aria-keyshortcuts="ArrowLeft"
                disabled=move || !ready.get() || position.get() == 0
                on:click=move |_| st.step_back()
            >
                <Glyph g=|| "◀"/>
                "Back"
            </button>
            <button
                aria-label="Step forward"
                aria-keyshortcuts="ArrowRight"
                disabled=move || !ready.get() || finished.get()
                on:click=move |_| {
                    st.playing.set(false);
                    st.step();
                }
            >
                "Step"
                <Glyph g=|| "▶" after=true/>
            </button>
            <button aria-keyshortcuts="R" on:click=move |_| st.reset()>
                <Glyph g=|| "↺"/>
                "Reset"
            </button>
            <label class="speed extra">
                "Speed "
                <select
                    on:change=move |e| {
                        if let Ok(v) = event_target_value(&e).parse::<u64>() {
                            st.step_ms.set(v);
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|(v, name)| {
                            view! {
                                <option value=v.to_string() selected=move || st.step_ms.get() == *v>
                                    {*name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="scrub">
                <span class="sr-only">"Position in the run"</span>
                <input
                    type="range"
                    min="0"
                    max=move || horizon.get().to_string()
                    prop:value=move || position.get().to_string()
                    disabled=move || !ready.get()
                    aria-valuetext=move || format!("step {} of {}", position.get(), horizon.get())
                    on:input=move |e| {
                        if let Ok(v) = event_target_value(&e).parse::<usize>() {
                            st.seek(v);
                        }
                    }
                />
            </label>
            <button
                class="extra"
                aria-label="Download pcap"
                title="The packets of the run so far, as a pcap file (Wireshark decodes MIKEY)"
                disabled=move || !ready.get()
                on:click=move |_| {
                    if let Some(bytes) = st.pcap() {
                        save("dmikey.pcap", "application/vnd.tcpdump.pcap", &bytes);
                    }
                }
            >
                <Glyph g=|| "⤓"/>
                "pcap"
            </button>
            <button
                class="extra"
                aria-label="Download key log"
                title="The keys of the run so far, as JSON (to decrypt the capture)"
                disabled=move || !ready.get()
                on:click=move |_| {
                    if let Some(json) = st.keylog_json() {
                        save("dmikey-keylog.json", "application/json", json.as_bytes());
                    }
                }
            >
                <Glyph g=|| "⤓"/>
                "key log"
            </button>
            <crate::export::ExportButtons/>
            <button
                class="extra"
                aria-label="Copy link"
                title="A link to this step of this run — configuration, seed and the attacker's commands — that opens here, paused"
                disabled=move || !ready.get()
                on:click=move |_| copy_link(st, note)
            >
                "Copy link"
            </button>
            <span class="linknote extra" role="status">{move || note.get()}</span>
            <span class="stepno" aria-hidden="true">
                {move || format!("step {} / {}", position.get(), horizon.get())}
                {move || if finished.get() { " · end" } else { "" }}
            </span>
        </div>
    }
}

/// A symbol beside a button's words, hidden from assistive technology: the words are the
/// button's name. `after`: the symbol follows the words.
#[component]
pub fn Glyph(
    g: impl Fn() -> &'static str + Send + Sync + 'static,
    #[prop(optional)] after: bool,
) -> impl IntoView {
    let text = move || if after { format!(" {}", g()) } else { format!("{} ", g()) };
    view! { <span class="glyph" aria-hidden="true">{text}</span> }
}

/// Puts the link to the current step in the address bar and on the clipboard.
fn copy_link(st: AppState, note: RwSignal<String>) {
    let Some((text, step)) = st.link() else { return };
    let Some(href) = crate::url::set_fragment(&text) else { return };
    crate::url::copy(&href, move |copied| {
        note.set(if copied {
            format!("Link to step {step} copied")
        } else {
            format!("Link to step {step} is in the address bar")
        });
    });
}

/// Offers `bytes` as a download named `name`, of type `mime`.
pub fn save(name: &str, mime: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    match web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props) {
        Ok(blob) => save_blob(name, &blob),
        Err(_) => leptos::logging::warn!("could not offer {name} for download"),
    }
}

/// Offers `blob` as a download named `name` (a Blob URL on a temporary anchor).
pub fn save_blob(name: &str, blob: &web_sys::Blob) {
    let offered = (|| -> Option<()> {
        let doc = web_sys::window()?.document()?;
        let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
        let a = doc.create_element("a").ok()?.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        // The browser reads the URL asynchronously after the click: let it go a minute later.
        set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            },
            std::time::Duration::from_secs(60),
        );
        Some(())
    })();
    if offered.is_none() {
        leptos::logging::warn!("could not offer {name} for download");
    }
}
