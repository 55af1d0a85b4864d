//! The role view: what a selected role knows at this step, and each message it sent or
//! received with what it computed for it, in the inspector's format
//! (`dmikey::sim::RoleView`).
use std::ops::Range;

use dmikey::sim::{Direction, Known, Node, RoleStep};
use leptos::prelude::*;

use crate::hex::hex;
use crate::inspector::{CalcCard, Decrypted};
use crate::state::{AppState, Selection};

#[component]
pub fn RolePanel(node: Node) -> impl IntoView {
    let st = expect_context::<AppState>();
    let view_of = Memo::new(move |_| {
        // What a role knows and computed changes with each step and each command.
        st.model.playback.track();
        st.model.events.track();
        st.role_view(node)
    });
    let knows = Memo::new(move |_| {
        st.model.playback.track();
        st.model.events.track();
        st.knowledge(node)
    });
    let steps = Memo::new(move |_| {
        view_of.with(|v| v.as_ref().map(|v| v.steps.clone()).unwrap_or_default())
    });
    view! {
        <p class="selected">{format!("What {} knows at this step", node.label())}</p>
        <ul class="keys" aria-label=format!("Keys and values {} holds", node.label())>
            <For
                each=move || knows.get().into_iter().enumerate()
                key=|(i, k)| (*i, k.name.clone(), k.value.clone())
                children=|(_, k)| view! { <Key known=k/> }
            />
            <Show when=move || knows.with(|k| k.is_empty())>
                <li class="none">"No keys yet."</li>
            </Show>
        </ul>
        <h3>{format!("What {} computed, message by message", node.label())}</h3>
        <ol class="rolesteps">
            <For
                each=move || steps.get().into_iter().enumerate()
                key=|(i, s)| (*i, s.packet, s.calculations.len(), s.decrypted.len())
                children=move |(_, s)| view! { <Step s/> }
            />
            <Show when=move || steps.with(|s| s.is_empty())>
                <li class="none">"No message sent or received yet."</li>
            </Show>
        </ol>
    }
}

#[component]
fn Step(s: RoleStep) -> impl IntoView {
    let st = expect_context::<AppState>();
    let word = match s.direction {
        Direction::Sent => "sent",
        Direction::Received => "received",
    };
    let id = s.packet;
    let count = s.calculations.len();
    let mark: RwSignal<Option<Range<usize>>> = RwSignal::new(None);
    let decrypted =
        s.decrypted.into_iter().map(|d| view! { <Decrypted d of=s.label.clone()/> }).collect_view();
    let calcs = s.calculations.into_iter().map(|c| view! { <CalcCard c mark/> }).collect_view();
    view! {
        <li>
            <details>
                <summary>
                    {format!(
                        "{word} {} · {count} calculation{}",
                        s.label,
                        if count == 1 { "" } else { "s" },
                    )}
                </summary>
                <button
                    class="small"
                    on:click=move |_| st.selection.set(Some(Selection::Packet(id)))
                >
                    {format!("Inspect {} byte by byte", s.label)}
                </button>
                {decrypted}
                <div class="calcs">{calcs}</div>
            </details>
        </li>
    }
}

#[component]
fn Key(known: Known) -> impl IntoView {
    // A long value (an RSA private key, a certificate) is shown cut; its whole hex can be
    // copied, e.g. into "Decode a message".
    let copy = (known.value.len() > 32).then(|| {
        let all: String = known.value.iter().map(|b| format!("{b:02x}")).collect();
        let status = RwSignal::new(String::new());
        let name = known.name.clone();
        let on_copy = move |_| {
            let Some(clip) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                return;
            };
            let promise = clip.write_text(&all);
            wasm_bindgen_futures::spawn_local(async move {
                status.set(match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => "Copied.".into(),
                    Err(_) => "The browser refused the clipboard.".into(),
                });
            });
        };
        view! {
            " "
            <button class="small" on:click=on_copy aria-label=format!("Copy hex of {name}")>
                "Copy hex"
            </button>
            <span class="copied" role="status">{move || status.get()}</span>
        }
    });
    view! {
        <li>
            <span class="kname">
                {known.name}
                {if known.secret { " (secret)" } else { "" }}
            </span>
            <code class="hex">{hex(&known.value, 32)}</code>
            {copy}
        </li>
    }
}
