//! Message detail: the selected message as a hex dump tied to its fields, straight from the
//! decoder's own field spans; for a selected node, the keys it knows.
use dmikey::sim::{Known, Node, PacketFate, PacketView, PayloadView, decode_layout};
use leptos::prelude::*;

use crate::hex::{Annotated, AnnotatedView, Field, Part, hex};
use crate::state::{AppState, Selection};

/// The decoder's layout as the byte pane draws it.
pub fn annotated(bytes: std::sync::Arc<[u8]>, payloads: Vec<PayloadView>) -> Annotated {
    let parts = payloads
        .into_iter()
        .map(|p| Part {
            name: p.name.to_string(),
            range: p.range,
            fields: p
                .fields
                .into_iter()
                .map(|f| Field { range: f.range, label: f.label.to_string(), meaning: f.meaning })
                .collect(),
        })
        .collect();
    Annotated { bytes, parts }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let st = expect_context::<AppState>();
    let packet = Memo::new(move |_| match st.selection.get() {
        Some(Selection::Packet(id)) => {
            Some(st.model.packets.with(|ps| ps.get(id).filter(|p| p.id == id).cloned()))
        }
        _ => None,
    });
    let node = Memo::new(move |_| match st.selection.get() {
        Some(Selection::Node(n)) => Some(n),
        _ => None,
    });
    view! {
        <section class="panel inspector" aria-label="Inspector">
            <h2>"Inspector"</h2>
            <MessagePicker/>
            {move || match (packet.get(), node.get()) {
                (Some(Some(p)), _) => view! { <MessageDetail packet=p/> }.into_any(),
                (Some(None), _) => {
                    view! { <p class="hint">"This message does not exist at this step."</p> }
                        .into_any()
                }
                (None, Some(n)) => view! { <NodeKeys node=n/> }.into_any(),
                (None, None) => {
                    view! {
                        <p class="hint">
                            "Select a message (here, in the network or the timeline) to see its bytes and fields, or a role to see its keys."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A list of every message sent so far: any of them can be inspected, also once it has
/// arrived (the network only offers those still in flight).
#[component]
fn MessagePicker() -> impl IntoView {
    let st = expect_context::<AppState>();
    let choices = Memo::new(move |_| {
        st.model.packets.with(|ps| {
            ps.iter()
                .map(|p| (p.id, format!("#{} {} ({} → {})", p.id, p.label, p.from.label(), p.to.label())))
                .collect::<Vec<_>>()
        })
    });
    let current = move || match st.selection.get() {
        Some(Selection::Packet(id)) => id.to_string(),
        _ => String::new(),
    };
    view! {
        <label class="picker">
            "Message "
            <select
                prop:value=current
                on:change=move |e| {
                    let v = event_target_value(&e);
                    match v.parse() {
                        Ok(id) => st.selection.set(Some(Selection::Packet(id))),
                        Err(_) => st.selection.set(None),
                    }
                }
            >
                <option value="">"(none selected)"</option>
                <For each=move || choices.get() key=|c| c.clone() let:c>
                    <option value=c.0.to_string()>{c.1}</option>
                </For>
            </select>
        </label>
    }
}

/// A message's heading, its bytes and its fields.
#[component]
fn MessageDetail(packet: PacketView) -> impl IntoView {
    let fate = match &packet.fate {
        PacketFate::InFlight => "in flight".to_string(),
        PacketFate::Delivered => "delivered".to_string(),
        PacketFate::Dropped { why } => format!("dropped: {}", why.describe()),
        PacketFate::Rejected { error, .. } => format!("rejected: {error}"),
    };
    let head = format!(
        "{} · {} → {} · {} bytes · sent at {} ms · {fate}",
        packet.label,
        packet.from.label(),
        packet.to.label(),
        packet.bytes.len(),
        packet.sent.at_ms
    );
    let body = match decode_layout(&packet.bytes) {
        Ok(payloads) => view! {
            <AnnotatedView
                data=annotated(packet.bytes.clone(), payloads)
                name=format!("{}", packet.label)
            />
        }
        .into_any(),
        Err(e) => view! { <p class="error">{format!("The decoder rejects these bytes: {e}")}</p> }
            .into_any(),
    };
    view! {
        <p class="selected">{head}</p>
        {body}
    }
}

/// What a node knows at this step.
#[component]
fn NodeKeys(node: Node) -> impl IntoView {
    let st = expect_context::<AppState>();
    let known = Memo::new(move |_| {
        // Knowledge changes with each step and each command (both add events).
        st.model.playback.track();
        st.model.events.track();
        st.knowledge(node)
    });
    view! {
        <p class="selected">{format!("What {} knows at this step", node.label())}</p>
        <ul class="keys">
            <For
                each=move || known.get().into_iter().enumerate()
                key=|(i, k)| (*i, k.name.clone(), k.value.clone())
                children=|(_, k)| view! { <Key known=k/> }
            />
            <Show when=move || known.with(|k| k.is_empty())>
                <li class="none">"No keys yet."</li>
            </Show>
        </ul>
    }
}

#[component]
fn Key(known: Known) -> impl IntoView {
    view! {
        <li>
            <span class="kname">
                {known.name}
                {if known.secret { " (secret)" } else { "" }}
            </span>
            <code class="hex">{hex(&known.value, 32)}</code>
        </li>
    }
}
