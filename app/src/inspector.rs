//! Message detail: the selected message's payloads and fields with their bytes and meaning,
//! straight from the decoder's own field spans; for a selected node, the keys it knows.
use leptos::prelude::*;

use crate::bridge::{Fate, Known, Node, Packet, decode_layout};
use crate::html::{esc, fill};
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
    let node = NodeRef::new();
    fill(node, move || {
        let body = match st.selection.get() {
            Some(Selection::Packet(id)) => {
                st.frame.with(|f| f.capture.iter().find(|p| p.id == id).map(message_detail)).unwrap_or_else(|| {
                    "<p class=\"hint\">This message does not exist at this step.</p>".into()
                })
            }
            Some(Selection::Node(n)) => {
                st.frame.track();
                node_keys(n, st.knowledge(n))
            }
            _ => "<p class=\"hint\">Select a message (in the network or the timeline) to see its fields, or a role to see its keys.</p>".into(),
        };
        format!("<h2>Inspector</h2>{body}")
    });
    view! { <section class="panel inspector" aria-label="Inspector" node_ref=node></section> }
}

/// A message's heading and its table of fields, as markup.
fn message_detail(p: &Packet) -> String {
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
    let end = |r: &std::ops::Range<usize>| r.end.saturating_sub(1);
    let table = match decode_layout(&p.bytes) {
        Ok(payloads) => payloads
            .iter()
            .map(|pl| {
                let rows: String = pl
                    .fields
                    .iter()
                    .map(|fs| {
                        let bytes = p.bytes.get(fs.range.clone()).unwrap_or(&[]);
                        format!(
                            "<tr><td class=\"off\">{}–{}</td><th scope=\"row\">{}</th><td class=\"hex\">{}</td><td class=\"meaning\">{}</td></tr>",
                            fs.range.start,
                            end(&fs.range),
                            esc(fs.label),
                            hex(bytes, 24),
                            esc(&fs.meaning)
                        )
                    })
                    .collect();
                format!(
                    "<tbody><tr class=\"payload\"><th colspan=\"4\" scope=\"rowgroup\">{} · bytes {}–{}</th></tr>{rows}</tbody>",
                    esc(pl.kind),
                    pl.range.start,
                    end(&pl.range)
                )
            })
            .collect(),
        Err(e) => format!(
            "<tbody><tr><td colspan=\"4\">The decoder rejects these bytes: {}</td></tr></tbody>",
            esc(&e)
        ),
    };
    format!(
        "<p class=\"selected\">{}</p><div class=\"table-wrap\"><table class=\"fields\"><thead><tr><th scope=\"col\">Bytes</th><th scope=\"col\">Field</th><th scope=\"col\">Value</th><th scope=\"col\">Meaning</th></tr></thead>{table}</table></div>",
        esc(&head)
    )
}

/// What a node knows, as markup.
fn node_keys(node: Node, known: Vec<Known>) -> String {
    let items = crate::intruder::items(
        known.iter().map(|k| {
            format!(
                "<span class=\"kname\">{}{}</span><code class=\"hex\">{}</code>",
                esc(&k.name),
                if k.secret { " (secret)" } else { "" },
                hex(&k.value, 32)
            )
        }),
        "No keys yet.",
    );
    format!(
        "<p class=\"selected\">What {} knows at this step</p><ul class=\"keys\">{items}</ul>",
        node.label()
    )
}
