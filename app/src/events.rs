//! The event list: every step in words, as the simulation reports it. Click an entry to jump
//! to its step; any message that was sent can be replayed by the intruder from here.
use leptos::prelude::*;

use crate::bridge::{Command, EventKind};
use crate::html::{act, esc, fill, index};
use crate::state::AppState;

/// A short word for the kind of event, shown as a tag (words read better than icons on a
/// projector and need no emoji font).
fn tag(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Sent => "sent",
        EventKind::Delivered => "recv",
        EventKind::Dropped => "lost",
        EventKind::Rejected => "reject",
        EventKind::Accepted => "share",
        EventKind::Rebuilt => "TGK",
        EventKind::Verified => "verified",
        EventKind::Failed => "failed",
        EventKind::TimedOut => "timeout",
        EventKind::Attack => "attack",
        EventKind::Info => "info",
    }
}

#[component]
pub fn EventList() -> impl IntoView {
    let st = expect_context::<AppState>();
    let node = NodeRef::new();
    fill(node, move || {
        st.frame.with(|f| {
            f.events
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let current = if e.step == f.position { " current" } else { "" };
                    let text = esc(&e.text);
                    let replay = if e.kind == EventKind::Sent && e.packet.is_some() {
                        format!(
                            "<button class=\"small\" aria-label=\"Replay: {text}\" data-act=\"r{i}\">↻ Replay</button>"
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "<li class=\"{}{current}\"><button class=\"jump\" aria-label=\"Step {step}: {text}. Jump here\" data-act=\"j{i}\">\
                         <span class=\"step\">{step}</span><span class=\"tag\" aria-hidden=\"true\">{}</span><span class=\"text\">{text}</span></button>{replay}</li>",
                        format!("ev {:?}", e.kind).to_ascii_lowercase(),
                        tag(e.kind),
                        step = e.step,
                    )
                })
                .collect::<String>()
        })
    });
    // One handler for every button of the list (see `html.rs`).
    let on_click = move |e: leptos::ev::MouseEvent| {
        let Some(a) = act(&e) else { return };
        let (jump, replay) = st.frame.with_untracked(|f| {
            let ev = |p| index(&a, p).and_then(|i| f.events.get(i));
            (ev('j').map(|e| e.step), ev('r').and_then(|e| e.packet))
        });
        if let Some(step) = jump {
            st.seek(step);
        } else if let Some(packet) = replay {
            st.command(Command::Replay { packet, to: None });
        }
    };
    view! {
        <section class="events" aria-label="Event list">
            <h2>"Events"</h2>
            <ol node_ref=node on:click=on_click></ol>
        </section>
    }
}
