//! The sequence timeline, like Fig. 4 of the paper: one lane per role, one arrow per message
//! in the order it was sent. The arrows of the current step are highlighted; click one to jump
//! to the step where that message arrived (or was dropped or rejected).
use dmikey::sim::{Node, PacketFate, PacketId, PacketView};
use leptos::prelude::*;

use crate::state::{AppState, View};
use crate::topology::{Font, num, on_enter_or_space, text_width};

/// The drawing's least width; with many lanes it is wider (and drawn smaller).
const W: f64 = 640.0;
/// A row's height and the first row's place, at text scale 1 (they grow with the text).
const ROW: f64 = 34.0;
const TOP: f64 = 46.0;
/// The text sizes of the lanes' names and of the arrows' labels and end marks (as in the
/// page's styles), at text scale 1.
const LANE_SIZE: f64 = 15.0;
/// An arrow's label sits above its shaft, its end mark below, clear of the label and of the
/// next row's label (baselines relative to the arrow's start, at text scale 1).
const LABEL_RISE: f64 = 5.0;
const MARK_DROP: f64 = 13.0;

/// The text scale of the timeline: "Large type" scales it, and on stage, where the diagram
/// shares the screen with the network, it is larger still.
fn scale(st: AppState) -> f64 {
    let k = if st.large_type.get() { 1.2 } else { 1.0 };
    if st.view.get() == View::Stage { k * 1.8 } else { k }
}

/// The drawing's width: room for every lane's name side by side at text scale `k`.
fn width(lanes: &[Node], k: f64) -> f64 {
    let widest =
        lanes.iter().map(|n| text_width(&n.label(), LANE_SIZE * k, Font::Sans)).fold(0.0, f64::max);
    (80.0 + lanes.len() as f64 * (widest + 12.0)).max(W)
}

/// The x of `n`'s lane among `lanes`, in a drawing `w` wide.
fn lane_x(lanes: &[Node], w: f64, n: Node) -> Option<f64> {
    let i = lanes.iter().position(|l| *l == n)?;
    let count = lanes.len().max(1) as f64;
    Some(40.0 + (i as f64 + 0.5) * (w - 80.0) / count)
}

/// The step to jump to for a packet: where it ended, else where it was sent.
fn jump_step(p: &PacketView) -> usize {
    p.ended.unwrap_or(p.sent).step
}

#[component]
pub fn Timeline() -> impl IntoView {
    let st = expect_context::<AppState>();
    let packets = st.model.packets;
    // The CA has a lane only if a message goes to or from it.
    let lanes = Memo::new(move |_| {
        let nodes = st.model.nodes.with(|ns| ns.iter().map(|n| n.node).collect::<Vec<_>>());
        packets.with(|ps| {
            let ca_talks = ps.iter().any(|p| p.from == Node::Ca || p.to == Node::Ca);
            nodes.into_iter().filter(|n| *n != Node::Ca || ca_talks).collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| packets.with(|ps| ps.iter().map(|p| p.id).collect::<Vec<_>>()));
    let k = Memo::new(move |_| scale(st));
    let w = Memo::new(move |_| lanes.with(|l| width(l, k.get())));
    let height = move || (TOP + rows.with(|r| r.len()) as f64 * ROW + 10.0) * k.get();
    // On stage the diagram scrolls in its column: keep the current step's arrows in view.
    Effect::new(move |_| {
        st.model.position.track();
        if st.view.get() == View::Stage {
            request_animation_frame(keep_current_in_view);
        }
    });
    view! {
        <figure class="timeline">
            <figcaption>"Sequence of messages"</figcaption>
            <svg
                viewBox=move || format!("0 0 {} {}", num(w.get()), num(height()))
                style=move || format!("--k: {}", k.get())
                role="group"
                aria-label="Sequence timeline: one lane per role, one arrow per message"
            >
                <defs>
                    <marker
                        id="arrowhead"
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerUnits="userSpaceOnUse"
                        markerWidth="11"
                        markerHeight="11"
                        orient="auto-start-reverse"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z"></path>
                    </marker>
                </defs>
                <For each=move || lanes.get() key=|n| *n let:node>
                    <Lane node=node lanes=lanes w=w bottom=Signal::derive(height) k=k/>
                </For>
                <For each=move || rows.get() key=|id| *id let:id>
                    <Arrow id=id lanes=lanes w=w k=k/>
                </For>
            </svg>
        </figure>
    }
}

/// Scrolls the stage's sequence column so the current arrows are in it.
fn keep_current_in_view() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Ok(Some(column)), Ok(Some(arrow))) =
        (doc.query_selector(".app.stage .lower"), doc.query_selector(".timeline .arrow.current"))
    else {
        return;
    };
    let (c, a) = (column.get_bounding_client_rect(), arrow.get_bounding_client_rect());
    let margin = 24.0;
    let top = column.scroll_top() as f64;
    if a.bottom() + margin > c.bottom() {
        column.set_scroll_top((top + a.bottom() + margin - c.bottom()) as i32);
    } else if a.top() - margin < c.top() {
        column.set_scroll_top((top - (c.top() - a.top() + margin)).max(0.0) as i32);
    }
}

/// A role's lane: its name and a vertical line down the timeline.
#[component]
fn Lane(
    node: Node,
    lanes: Memo<Vec<Node>>,
    w: Memo<f64>,
    bottom: Signal<f64>,
    k: Memo<f64>,
) -> impl IntoView {
    let x = move || lanes.with(|l| lane_x(l, w.get(), node)).map(num);
    view! {
        <g class="lane">
            <text x=x y=move || num(22.0 * k.get()) text-anchor="middle">{node.label()}</text>
            <line x1=x y1=move || num(30.0 * k.get()) x2=x y2=move || num(bottom.get())></line>
        </g>
    }
}

/// How an arrow is drawn.
#[derive(Clone, PartialEq)]
struct ArrowShape {
    x1: f64,
    x2: f64,
    y: f64,
    label: String,
    fate: &'static str,
    current: bool,
    /// Composed by the intruder (its label says "(forged)").
    forged: bool,
    end_mark: &'static str,
    described: String,
    jump: usize,
    /// The text scale.
    k: f64,
}

fn shape(p: &PacketView, lanes: &[Node], w: f64, position: usize, k: f64) -> Option<ArrowShape> {
    let (x1, x2) = (lane_x(lanes, w, p.from)?, lane_x(lanes, w, p.to)?);
    let (fate, end_mark, word) = match &p.fate {
        PacketFate::InFlight => ("inflight", "", "in flight".to_string()),
        PacketFate::Delivered => ("delivered", "", "delivered".to_string()),
        PacketFate::Dropped { why } => ("dropped", "✖", format!("dropped ({})", why.describe())),
        PacketFate::Rejected { error, .. } => ("rejected", "✖", format!("rejected: {error}")),
    };
    let jump = jump_step(p);
    Some(ArrowShape {
        x1,
        // A dropped message stops half-way.
        x2: if fate == "dropped" { (x1 + x2) / 2.0 } else { x2 },
        y: (TOP + p.id as f64 * ROW) * k,
        label: p.label.clone(),
        fate,
        current: p.sent.step == position || p.ended_at(position),
        forged: matches!(p.origin, dmikey::sim::Origin::Forged { .. }),
        end_mark,
        described: format!(
            "{}: {} to {}, {word}; jump to step {jump}",
            p.label,
            p.from.label(),
            p.to.label()
        ),
        jump,
        k,
    })
}

/// One message: an arrow from its sender's lane to its receiver's; activating it jumps to the
/// step where it ended.
#[component]
fn Arrow(id: PacketId, lanes: Memo<Vec<Node>>, w: Memo<f64>, k: Memo<f64>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let position = st.model.position;
    let shape = Memo::new(move |_| {
        let at = position.get();
        let k = k.get();
        st.model.packets.with(|ps| {
            let p = ps.get(id).filter(|p| p.id == id)?;
            lanes.with(|l| shape(p, l, w.get(), at, k))
        })
    });
    let get = move |f: fn(&ArrowShape) -> f64| move || shape.with(|s| s.as_ref().map(f)).map(num);
    let jump = move || {
        if let Some(step) = shape.with_untracked(|s| s.as_ref().map(|s| s.jump)) {
            st.seek(step);
        }
    };
    view! {
        <g
            class=move || {
                shape.with(|s| match s {
                    Some(s) => format!(
                        "arrow {}{}{}",
                        s.fate,
                        if s.current { " current" } else { "" },
                        if s.forged { " forged" } else { "" }
                    ),
                    None => "arrow".into(),
                })
            }
            role="button"
            tabindex="0"
            data-marked=move || st.marks.with(|m| m.packets.contains(&id)).then_some("")
            aria-label=move || shape.with(|s| s.as_ref().map(|s| s.described.clone()))
            on:click=move |_| jump()
            on:keydown=move |e| on_enter_or_space(&e, jump)
        >
            <line class="hit" x1=get(|s| s.x1) y1=get(|s| s.y) x2=get(|s| s.x2) y2=get(|s| s.y + 8.0 * s.k)></line>
            <line
                class="shaft"
                x1=get(|s| s.x1)
                y1=get(|s| s.y)
                x2=get(|s| s.x2)
                y2=get(|s| s.y + 8.0 * s.k)
                marker-end="url(#arrowhead)"
            ></line>
            <text x=get(|s| (s.x1 + s.x2) / 2.0) y=get(|s| s.y - LABEL_RISE * s.k) text-anchor="middle">
                {move || shape.with(|s| s.as_ref().map(|s| s.label.clone()))}
            </text>
            <text class="mark" x=get(|s| s.x2 + 8.0 * s.k) y=get(|s| s.y + MARK_DROP * s.k)>
                {move || shape.with(|s| s.as_ref().map(|s| s.end_mark))}
            </text>
        </g>
    }
}
