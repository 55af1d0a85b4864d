//! The event list: every step in words, as the simulation reports it. Click an entry to jump
//! to its step; any message that was sent can be replayed by the intruder from here.
use leptos::prelude::*;

use crate::bridge::{Command, EventKind};
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
    let rows = Memo::new(move |_| {
        st.frame.with(|f| {
            f.events
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.clone(), e.step == f.position))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="events" aria-label="Event list">
            <h2>"Events"</h2>
            <ol>
                <For
                    each=move || rows.get()
                    key=|(i, e, cur)| (*i, e.step, e.text.clone(), *cur)
                    let:row
                >
                    {
                        let (_, e, current) = row;
                        let step = e.step;
                        let replay = (e.kind == EventKind::Sent).then_some(e.packet).flatten();
                        let label = e.text.clone();
                        view! {
                            <li class:current=current class=format!("ev {:?}", e.kind).to_ascii_lowercase()>
                                <button
                                    class="jump"
                                    aria-label=format!("Step {step}: {label}. Jump here")
                                    on:click=move |_| st.seek(step)
                                >
                                    <span class="step">{step}</span>
                                    <span class="tag" aria-hidden="true">{tag(e.kind)}</span>
                                    <span class="text">{e.text.clone()}</span>
                                </button>
                                {replay.map(|id| {
                                    let what = e.text.clone();
                                    view! {
                                        <button
                                            class="small"
                                            aria-label=format!("Replay: {what}")
                                            on:click=move |_| st.command(Command::Replay { packet: id, to: None })
                                        >
                                            "↻ Replay"
                                        </button>
                                    }
                                })}
                            </li>
                        }
                    }
                </For>
            </ol>
        </section>
    }
}
