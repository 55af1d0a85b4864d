//! The event list: every step in words, as the simulation reports it. Click an entry to jump
//! to its step; any message that was sent can be replayed by the intruder from here.
use dmikey::sim::{Command, EventTag, EventView};
use leptos::prelude::*;

use crate::state::AppState;

/// A short word for the kind of event, shown as a tag (words read better than icons on a
/// projector and need no emoji font).
fn tag(t: EventTag) -> &'static str {
    match t {
        EventTag::Sent => "sent",
        EventTag::Delivered => "recv",
        EventTag::Dropped => "lost",
        EventTag::Rejected => "reject",
        EventTag::Accepted => "share",
        EventTag::Rebuilt => "TGK",
        EventTag::Verified => "verified",
        EventTag::Failed => "failed",
        EventTag::TimedOut => "timeout",
        EventTag::Attack => "attack",
        EventTag::Info => "info",
    }
}

/// The CSS class of an event's kind.
fn class(t: EventTag) -> &'static str {
    match t {
        EventTag::Sent => "ev sent",
        EventTag::Delivered => "ev delivered",
        EventTag::Dropped => "ev dropped",
        EventTag::Rejected => "ev rejected",
        EventTag::Accepted => "ev accepted",
        EventTag::Rebuilt => "ev rebuilt",
        EventTag::Verified => "ev verified",
        EventTag::Failed => "ev failed",
        EventTag::TimedOut => "ev timedout",
        EventTag::Attack => "ev attack",
        EventTag::Info => "ev info",
    }
}

#[component]
pub fn EventList() -> impl IntoView {
    let st = expect_context::<AppState>();
    // An entry is keyed by its place in the log and its content: after a step back and a
    // different command, the same place may hold another event.
    let rows = Memo::new(move |_| {
        st.model.events.with(|es| es.iter().cloned().enumerate().collect::<Vec<_>>())
    });
    view! {
        <section class="events" aria-label="Event list">
            <h2>"Events"</h2>
            <ol>
                <For
                    each=move || rows.get()
                    key=|(i, e)| (*i, e.step, e.text.clone())
                    children=|(_, e)| view! { <Entry event=e/> }
                />
            </ol>
        </section>
    }
}

/// One event: a button that jumps to its step, and for a message sent, one that replays it.
#[component]
fn Entry(event: EventView) -> impl IntoView {
    let st = expect_context::<AppState>();
    let position = st.model.position;
    let step = event.step;
    let replay = event.packet.filter(|_| event.tag == EventTag::Sent).map(|packet| {
        view! {
            <button
                class="small"
                aria-label=format!("Replay: {}", event.text)
                on:click=move |_| st.command(Command::Replay { packet, to: None })
            >
                <span aria-hidden="true">"↻ "</span>
                "Replay"
            </button>
        }
    });
    view! {
        <li class=class(event.tag) class:current=move || position.get() == step>
            <button class="jump" on:click=move |_| st.seek(step)>
                <span class="sr-only">"Step "</span>
                <span class="step">{step}</span>
                <span class="sr-only">": "</span>
                <span class="tag" aria-hidden="true">{tag(event.tag)}</span>
                <span class="text"><crate::glossary::Glossed text=event.text.clone() inert=true/></span>
                <span class="sr-only">". Jump here"</span>
            </button>
            {replay}
        </li>
    }
}
