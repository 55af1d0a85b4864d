//! Message detail: the selected message's payloads and fields with their bytes and meaning,
//! straight from the decoder's own field spans; for a selected node, the keys it knows.
use leptos::prelude::*;

use crate::bridge::{Fate, Node, decode_layout};
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

#[component]
pub fn Inspector() -> impl IntoView {
    let st = expect_context::<AppState>();
    let body = move || {
        match st.selection.get() {
        Some(Selection::Packet(id)) => view! { <MessageDetail id=id/> }.into_any(),
        Some(Selection::Node(n)) => view! { <NodeKeys node=n/> }.into_any(),
        _ => view! {
            <p class="hint">"Select a message (in the network or the timeline) to see its fields, or a role to see its keys."</p>
        }
        .into_any(),
    }
    };
    view! {
        <section class="panel inspector" aria-label="Inspector">
            <h2>"Inspector"</h2>
            {body}
        </section>
    }
}

#[component]
fn MessageDetail(id: crate::bridge::PacketId) -> impl IntoView {
    let st = expect_context::<AppState>();
    let packet =
        Memo::new(move |_| st.frame.with(|f| f.capture.iter().find(|p| p.id == id).cloned()));
    move || {
        let Some(p) = packet.get() else {
            return view! { <p class="hint">"This message does not exist at this step."</p> }
                .into_any();
        };
        let fate = match &p.fate {
            Fate::InFlight => "in flight".to_string(),
            Fate::Delivered => "delivered".to_string(),
            Fate::Dropped(w) => format!("dropped: {w}"),
            Fate::Rejected(w) => format!("rejected: {w}"),
        };
        let head = format!(
            "{} · {} → {} · {} bytes · sent at {} ms · {fate}",
            p.label,
            p.from.label(),
            p.to.label(),
            p.bytes.len(),
            p.sent_at
        );
        let table = match decode_layout(&p.bytes) {
            Ok(payloads) => payloads
                .into_iter()
                .map(|pl| {
                    let rows = pl
                        .fields
                        .iter()
                        .map(|fs| {
                            let bytes = p.bytes.get(fs.range.clone()).unwrap_or(&[]);
                            view! {
                                <tr>
                                    <td class="off">{format!("{}–{}", fs.range.start, fs.range.end.saturating_sub(1))}</td>
                                    <th scope="row">{fs.label}</th>
                                    <td class="hex">{hex(bytes, 24)}</td>
                                    <td class="meaning">{fs.meaning.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <tbody>
                            <tr class="payload">
                                <th colspan="4" scope="rowgroup">
                                    {format!("{} · bytes {}–{}", pl.kind, pl.range.start, pl.range.end.saturating_sub(1))}
                                </th>
                            </tr>
                            {rows}
                        </tbody>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! { <tbody><tr><td colspan="4">{format!("The decoder rejects these bytes: {e}")}</td></tr></tbody> }.into_any(),
        };
        view! {
            <p class="selected">{head}</p>
            <div class="table-wrap">
                <table class="fields">
                    <thead>
                        <tr><th scope="col">"Bytes"</th><th scope="col">"Field"</th><th scope="col">"Value"</th><th scope="col">"Meaning"</th></tr>
                    </thead>
                    {table}
                </table>
            </div>
        }
        .into_any()
    }
}

#[component]
fn NodeKeys(node: Node) -> impl IntoView {
    let st = expect_context::<AppState>();
    let known = Memo::new(move |_| {
        st.frame.track();
        st.knowledge(node)
    });
    view! {
        <p class="selected">{format!("What {} knows at this step", node.label())}</p>
        <ul class="keys">
            {move || {
                let k = known.get();
                if k.is_empty() {
                    return view! { <li class="none">"No keys yet."</li> }.into_any();
                }
                k.into_iter()
                    .map(|k| {
                        view! {
                            <li>
                                <span class="kname">{k.name.clone()}{if k.secret { " (secret)" } else { "" }}</span>
                                <code class="hex">{hex(&k.value, 32)}</code>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
    }
}
