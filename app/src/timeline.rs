//! The sequence timeline, like Fig. 4 of the paper: one lane per role, one arrow per message
//! in the order it was sent. The arrows of the current step are highlighted; click one to jump
//! to the step where that message arrived (or was dropped or rejected).
use leptos::prelude::*;

use crate::bridge::{Fate, Node};
use crate::html::{act, esc, fill, index};
use crate::state::AppState;
use crate::topology::num;

const W: f64 = 640.0;
const ROW: f64 = 30.0;
const TOP: f64 = 46.0;

#[derive(Clone, PartialEq)]
struct Arrow {
    row: usize,
    x1: f64,
    x2: f64,
    y: f64,
    label: String,
    class: String,
    end_mark: &'static str,
    described: String,
}

#[component]
pub fn Timeline() -> impl IntoView {
    let st = expect_context::<AppState>();
    let lanes = Memo::new(move |_| {
        st.frame.with(|f| {
            f.nodes
                .iter()
                .copied()
                .filter(|n| {
                    *n != Node::Ca
                        || f.capture.iter().any(|p| p.from == Node::Ca || p.to == Node::Ca)
                })
                .collect::<Vec<_>>()
        })
    });
    let lane_x = move |lanes: &[Node], n: Node| -> Option<f64> {
        let i = lanes.iter().position(|l| *l == n)?;
        let count = lanes.len().max(1) as f64;
        Some(40.0 + (i as f64 + 0.5) * (W - 80.0) / count)
    };
    let arrows = Memo::new(move |_| {
        let lanes = lanes.get();
        st.frame.with(|f| {
            f.capture
                .iter()
                .enumerate()
                .filter_map(|(row, p)| {
                    let (x1, x2) = (lane_x(&lanes, p.from)?, lane_x(&lanes, p.to)?);
                    let step = f.step_of_packet(p.id);
                    let current =
                        f.events.iter().any(|e| e.packet == Some(p.id) && e.step == f.position);
                    let (fate, end_mark, word) = match &p.fate {
                        Fate::InFlight => ("inflight", "", "in flight".to_string()),
                        Fate::Delivered => ("delivered", "", "delivered".to_string()),
                        Fate::Dropped(why) => ("dropped", "✖", format!("dropped ({why})")),
                        Fate::Rejected(why) => ("rejected", "✖", format!("rejected: {why}")),
                    };
                    let label = p.label.clone();
                    Some(Arrow {
                        row,
                        x1,
                        x2: if fate == "dropped" { (x1 + x2) / 2.0 } else { x2 },
                        y: TOP + row as f64 * ROW,
                        described: format!(
                            "{label}: {} to {}, {word}{}",
                            p.from.label(),
                            p.to.label(),
                            step.map(|s| format!("; jump to step {s}")).unwrap_or_default()
                        ),
                        label,
                        class: format!("arrow {fate}{}", if current { " current" } else { "" }),
                        end_mark,
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let height = move || TOP + arrows.with(|a| a.len()) as f64 * ROW + 10.0;
    let node = NodeRef::new();
    fill(node, move || {
        let ls = lanes.get();
        let bottom = num(height());
        let mut h = String::from(
            "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"></path></marker></defs>",
        );
        for n in &ls {
            if let Some(x) = lane_x(&ls, *n) {
                let x = num(x);
                h += &format!(
                    "<g class=\"lane\"><text x=\"{x}\" y=\"22\" text-anchor=\"middle\">{}</text><line x1=\"{x}\" y1=\"30\" x2=\"{x}\" y2=\"{bottom}\"></line></g>",
                    esc(&n.label())
                );
            }
        }
        arrows.with(|all| {
            for a in all {
                let (x1, y1, x2, y2) = (num(a.x1), num(a.y), num(a.x2), num(a.y + 8.0));
                h += &format!(
                    "<g class=\"{}\" role=\"button\" tabindex=\"0\" aria-label=\"{}\" data-act=\"a{}\">\
                     <line class=\"hit\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"></line>\
                     <line class=\"shaft\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" marker-end=\"url(#arrowhead)\"></line>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
                     <text class=\"mark\" x=\"{}\" y=\"{}\">{}</text></g>",
                    a.class,
                    esc(&a.described),
                    a.row,
                    num((a.x1 + a.x2) / 2.0),
                    num(a.y - 4.0),
                    esc(&a.label),
                    num(a.x2 + 8.0),
                    num(a.y + 13.0),
                    a.end_mark
                );
            }
        });
        h
    });
    // One handler for every arrow (see `html.rs`): jump to the step where it ended.
    let on_act = move |e: web_sys::Event| {
        let Some(row) = act(&e).and_then(|a| index(&a, 'a')) else { return };
        let step = st.frame.with_untracked(|f| f.step_of_packet(f.capture.get(row)?.id));
        if let Some(s) = step {
            st.seek(s);
        }
    };
    view! {
        <figure class="timeline">
            <figcaption>"Sequence of messages"</figcaption>
            <svg
                viewBox=move || format!("0 0 {} {}", num(W), num(height()))
                role="group"
                aria-label="Sequence timeline: one lane per role, one arrow per message"
                node_ref=node
                on:click=move |e| on_act(e.into())
                on:keydown=move |e| on_act(e.into())
            ></svg>
        </figure>
    }
}
