//! Message detail: the selected message's payloads and fields with their bytes and meaning,
//! straight from the decoder's own field spans; for a selected node, the keys it knows.
use std::ops::Range;
use std::sync::Arc;

use dmikey::sim::{Known, Node, PacketFate, PacketView, PayloadView, decode_layout};
use leptos::prelude::*;

use crate::state::{AppState, Selection};

/// Bytes as hex, grouped; long values are cut with the count of what is hidden.
pub fn hex(bytes: &[u8], max: usize) -> String {
    let shown: Vec<String> = bytes.iter().take(max).map(|b| format!("{b:02x}")).collect();
    let mut s = shown.join(" ");
    if bytes.len() > max {
        s.push_str(&format!(" … (+{} bytes)", bytes.len() - max));
    }
    s
}

/// The last byte of a range, as written beside a field ("4–7").
fn last(r: &Range<usize>) -> usize {
    r.end.saturating_sub(1)
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
                            "Select a message (in the network or the timeline) to see its fields, or a role to see its keys."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A message's heading and its table of fields.
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
        Ok(payloads) => payloads
            .into_iter()
            .map(|pl| view! { <Payload payload=pl bytes=packet.bytes.clone()/> })
            .collect_view()
            .into_any(),
        Err(e) => view! {
            <tbody>
                <tr>
                    <td colspan="4">{format!("The decoder rejects these bytes: {e}")}</td>
                </tr>
            </tbody>
        }
        .into_any(),
    };
    view! {
        <p class="selected">{head}</p>
        <div class="table-wrap" role="region" aria-label="Fields of the message" tabindex="0">
            <table class="fields">
                <thead>
                    <tr>
                        <th scope="col">"Bytes"</th>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Meaning"</th>
                    </tr>
                </thead>
                {body}
            </table>
        </div>
    }
}

/// One payload: a heading row, then one row per field.
#[component]
fn Payload(payload: PayloadView, bytes: Arc<[u8]>) -> impl IntoView {
    let rows = payload
        .fields
        .into_iter()
        .map(|f| {
            let value = hex(bytes.get(f.range.clone()).unwrap_or(&[]), 24);
            view! {
                <tr>
                    <td class="off">{format!("{}–{}", f.range.start, last(&f.range))}</td>
                    <th scope="row">{f.label}</th>
                    <td class="hex">{value}</td>
                    <td class="meaning">{f.meaning}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tbody>
            <tr class="payload">
                <th colspan="4" scope="rowgroup">
                    {format!(
                        "{} · bytes {}–{}",
                        payload.name,
                        payload.range.start,
                        last(&payload.range),
                    )}
                </th>
            </tr>
            {rows}
        </tbody>
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
