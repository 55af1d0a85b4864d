//! The topology: the sensor I, the third parties, the responder R and the CA, with the
//! constrained pre-shared-key segment (I–TPi, dashed, warm) drawn apart from the public-key
//! segment (TPi–R, solid, cool). Packets travel along the links; a dropped one falls, a
//! rejected one stops at its receiver with the reason. Click a packet, a TP or a link to
//! attack it (see `attacker.rs`).
use dmikey::sim::{
    Link, LinkState, LinkView, Node, NodeView, PacketFate, PacketId, PacketView, Playback, Segment,
};
use leptos::prelude::*;

use crate::state::{AppState, Selection, View};

pub const W: f64 = 1000.0;
/// The drawing's height in the normal layout, and on stage (taller: beside the sequence
/// diagram on a 16:9 screen it fills the height).
const H_RUN: f64 = 430.0;
const H_STAGE: f64 = 600.0;

/// The drawing's frame: its height and the scale of its text ("Large type" scales it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub h: f64,
    pub k: f64,
}

/// A box in the drawing's units, for keeping labels clear of each other.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Area {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Area {
    /// The box of a text of `chars` characters of size `size` whose baseline starts at
    /// (`x`, `y`), anchored at its start, middle or end (`anchor` 0, 0.5, 1).
    fn text(x: f64, y: f64, chars: usize, size: f64, anchor: f64) -> Area {
        let w = chars as f64 * size * 0.62;
        let x0 = x - w * anchor;
        Area { x0, y0: y - size * 0.85, x1: x0 + w, y1: y + size * 0.25 }
    }

    fn around(x: f64, y: f64, r: f64) -> Area {
        Area { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
    }

    fn meets(&self, o: &Area) -> bool {
        const GAP: f64 = 3.0;
        self.x0 < o.x1 + GAP && o.x0 < self.x1 + GAP && self.y0 < o.y1 + GAP && o.y0 < self.y1 + GAP
    }
}

/// Where each node sits (a short list of the few nodes of a run).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout(Vec<(Node, (f64, f64))>);

impl Layout {
    pub fn get(&self, n: &Node) -> Option<(f64, f64)> {
        self.0.iter().find(|(m, _)| m == n).map(|(_, p)| *p)
    }

    fn insert(&mut self, n: Node, p: (f64, f64)) {
        self.0.push((n, p));
    }
}

/// Where each node sits; stable between steps (users lose track when a layout moves).
pub fn layout(nodes: &[Node], h: f64) -> Layout {
    let tps: Vec<u8> =
        nodes.iter().filter_map(|n| if let Node::Tp(i) = n { Some(*i) } else { None }).collect();
    let mut m = Layout::default();
    let mid = h / 2.0 + 10.0;
    m.insert(Node::Sensor, (120.0, mid));
    m.insert(Node::Responder, (880.0, mid));
    m.insert(Node::Ca, (880.0, 55.0));
    m.insert(Node::Intruder, (500.0, h - 60.0));
    let count = tps.len().max(1) as f64;
    let (top, bottom) = (50.0, h - 40.0);
    for (k, i) in tps.iter().enumerate() {
        let y = top + (k as f64 + 0.5) * (bottom - top) / count;
        m.insert(Node::Tp(*i), (500.0, y));
    }
    m
}

/// An SVG coordinate in words, to a tenth of a unit (far below a pixel).
pub fn num(v: f64) -> String {
    format!("{:.1}", v).trim_end_matches(".0").to_string()
}

fn tp_radius(tps: usize, h: f64) -> f64 {
    ((h - 90.0) / tps.max(1) as f64 / 2.3).clamp(12.0, 32.0)
}

/// A node's radius.
fn radius(node: Node, tps: usize, h: f64) -> f64 {
    if matches!(node, Node::Tp(_)) { tp_radius(tps, h) } else { 40.0 }
}

/// A node's caption beside its circle, how it is anchored (0 start, 0.5 middle, 1 end) and
/// where it sits: below the circle, but left of the CA's, clear of the CA–R link.
fn caption(node: Node, at: (f64, f64), r: f64, k: f64) -> Option<(&'static str, f64, (f64, f64))> {
    let (x, y) = at;
    match node {
        Node::Sensor => Some(("sensor", 0.5, (x, y + r + 4.0 + 18.0 * k))),
        Node::Responder => Some(("server", 0.5, (x, y + r + 4.0 + 18.0 * k))),
        Node::Ca => Some(("cert. authority", 1.0, (x - r - 8.0, y + 6.0 * k))),
        _ => None,
    }
}

/// Where a TP's badge (☠, ⚡) sits: right of its circle's upper half, clear of its name and
/// above its horizontal link.
fn badge_at(at: (f64, f64), r: f64) -> (f64, f64) {
    (at.0 + r + 3.0, at.1 - r * 0.4)
}

/// The zone captions: the text and the baseline's start (the right one is end-anchored).
const ZONE_LEFT: &str = "MIKEY-PSK: pre-shared keys";
const ZONE_RIGHT: &str = "MIKEY-PK: RSA public keys";
const ZONE_SIZE: f64 = 19.0;

/// The drawn curve of a link: its ends and its control point (a straight link's is its middle).
/// A link between I and R would run straight through the middle third party: with third
/// parties on screen it bows over them.
/// A point of the drawing.
type Point = (f64, f64);

fn curve(link: Link, pos: &Layout, tps: bool) -> Option<(Point, Point, Point)> {
    let (a, b) = (pos.get(&link.0)?, pos.get(&link.1)?);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    // The curve's apex is half-way between the chord and the control point.
    let c = if link == Link::new(Node::Sensor, Node::Responder) && tps {
        (mid.0, 2.0 * 14.0 - mid.1)
    } else {
        mid
    };
    Some((a, c, b))
}

/// The point at `t` along a quadratic curve from `a` (t = 0) to `b` (t = 1).
fn along(a: (f64, f64), c: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    (u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0, u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1)
}

fn describe(node: Node) -> String {
    match node {
        Node::Sensor => "I, the sensor (initiator)".into(),
        Node::Responder => "R, the server (responder)".into(),
        Node::Ca => "CA, the certificate authority".into(),
        Node::Tp(i) => format!("TP{i}, third party {i}"),
        Node::Intruder => "X, the intruder".into(),
    }
}

/// Activates a role="button" SVG element from the keyboard as a click would.
pub fn on_enter_or_space(e: &leptos::ev::KeyboardEvent, f: impl FnOnce()) {
    if e.key() == "Enter" || e.key() == " " {
        e.prevent_default();
        f();
    }
}

/// The frame of the drawing for the view and the type size on screen.
pub fn frame_of(st: AppState) -> Frame {
    Frame {
        h: if st.view.get() == View::Stage { H_STAGE } else { H_RUN },
        k: if st.large_type.get() { 1.2 } else { 1.0 },
    }
}

#[component]
pub fn Topology() -> impl IntoView {
    let st = expect_context::<AppState>();
    let nodes = st.model.nodes;
    let frame = Memo::new(move |_| frame_of(st));
    let ids = Memo::new(move |_| nodes.with(|ns| ns.iter().map(|n| n.node).collect::<Vec<_>>()));
    let positions = Memo::new(move |_| layout(&ids.get(), frame.get().h));
    let has_tps = Memo::new(move |_| ids.with(|ns| ns.iter().any(|n| matches!(n, Node::Tp(_)))));
    let links =
        Memo::new(move |_| st.model.links.with(|ls| ls.iter().map(|l| l.link).collect::<Vec<_>>()));
    let flagged =
        Memo::new(move |_| nodes.with(|ns| ns.iter().any(|n| n.compromised || n.malicious)));
    let poses = Memo::new(move |_| {
        let pos = positions.get();
        let f = frame.get();
        let tps = has_tps.get();
        st.model.playback.with(|pb| {
            let Some(pb) = pb.as_ref() else { return Vec::new() };
            nodes.with(|ns| {
                st.model.links.with(|ls| {
                    st.model.packets.with(|ps| place_packets(ps, ns, ls, pb, &pos, f, tps))
                })
            })
        })
    });
    let on_wire =
        Memo::new(move |_| poses.with(|ps| ps.iter().map(|(id, _)| *id).collect::<Vec<_>>()));
    let zone_h = move || num(frame.get().h - 24.0);
    let zone_y = move || num(frame.get().h - 24.0);
    view! {
        <figure class="topology">
            <svg
                viewBox=move || format!("0 0 {} {}", num(W), num(frame.get().h))
                style=move || format!("--k: {}", frame.get().k)
                role="group"
                aria-label="Network: sensor, third parties, server and certificate authority"
            >
                <Show when=move || has_tps.get()>
                    <rect class="zone constrained" x="20" y="12" width="470" height=zone_h rx="14"></rect>
                    <rect class="zone unconstrained" x="510" y="12" width="470" height=zone_h rx="14"></rect>
                    <text class="zone-label" x="36" y=zone_y>{ZONE_LEFT}</text>
                    <text class="zone-label" x="964" y=zone_y text-anchor="end">{ZONE_RIGHT}</text>
                </Show>
                <g class="links">
                    <For each=move || links.get() key=|l| *l let:link>
                        <LinkMark link=link positions=positions has_tps=has_tps/>
                    </For>
                </g>
                <g class="nodes">
                    <For each=move || ids.get() key=|n| *n let:node>
                        <NodeMark node=node positions=positions frame=frame/>
                    </For>
                </g>
                <g class="packets">
                    <For each=move || on_wire.get() key=|id| *id let:id>
                        <PacketMark id=id poses=poses frame=frame/>
                    </For>
                </g>
            </svg>
            <figcaption class="legend">
                <span class="key constrained">"┄ pre-shared key segment (constrained radio)"</span>
                <span class="key unconstrained">"━ public key segment (Internet)"</span>
                <Show when=move || flagged.get()>
                    <span class="key flags">"☠ compromised · ⚡ malicious"</span>
                </Show>
            </figcaption>
        </figure>
    }
}

/// One link: its segment, whether it is down; selecting it offers down / up.
#[component]
fn LinkMark(link: Link, positions: Memo<Layout>, has_tps: Memo<bool>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let view = Memo::new(move |_| {
        st.model.links.with(|ls| ls.iter().find(|l| l.link == link).map(|l| (l.segment, l.state)))
    });
    let segment = move || view.get().map_or(Segment::Constrained, |v| v.0);
    let down = move || view.get().is_some_and(|v| v.1 == LinkState::Down);
    let drawn = move || curve(link, &positions.get(), has_tps.get());
    let path = move || {
        let ((x1, y1), (cx, cy), (x2, y2)) = drawn()?;
        Some(format!("M {} {} Q {} {} {} {}", num(x1), num(y1), num(cx), num(cy), num(x2), num(y2)))
    };
    // The middle of the drawn link, where "down" is written.
    let middle = move || drawn().map(|(a, c, b)| along(a, c, b, 0.5));
    let name = move || {
        let key = match segment() {
            Segment::Constrained => "pre-shared key",
            Segment::Unconstrained => "public key",
        };
        format!("link {} ({key} segment){}", link.describe(), if down() { ", down" } else { "" })
    };
    let select = move || st.selection.set(Some(Selection::Link(link)));
    view! {
        <g
            class="link"
            class:constrained=move || segment() == Segment::Constrained
            class:unconstrained=move || segment() == Segment::Unconstrained
            class:down=down
            class:selected=move || st.selection.get() == Some(Selection::Link(link))
            role="button"
            tabindex="0"
            aria-label=name
            on:click=move |_| select()
            on:keydown=move |e| on_enter_or_space(&e, select)
        >
            <path class="hit" d=path></path>
            <path class="wire" d=path></path>
            <Show when=down>
                <text
                    class="cut"
                    x=move || middle().map(|m| num(m.0))
                    y=move || middle().map(|m| num(m.1 + 7.0))
                    text-anchor="middle"
                >
                    {DOWN}
                </text>
            </Show>
        </g>
    }
}

const DOWN: &str = "✖ down";
const DOWN_SIZE: f64 = 20.0;

/// One role: its name and caption, and a badge when compromised or malicious.
#[component]
fn NodeMark(node: Node, positions: Memo<Layout>, frame: Memo<Frame>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let flags = Memo::new(move |_| {
        st.model.nodes.with(|ns| {
            ns.iter()
                .find(|n| n.node == node)
                .map_or((false, false), |n| (n.compromised, n.malicious))
        })
    });
    let tps = Memo::new(move |_| {
        st.model.nodes.with(|ns| ns.iter().filter(|n| matches!(n.node, Node::Tp(_))).count())
    });
    let r = move || radius(node, tps.get(), frame.get().h);
    let at = move || positions.get().get(&node).unwrap_or_default();
    let kind = match node {
        Node::Sensor => "sensor",
        Node::Responder => "responder",
        Node::Ca => "ca",
        Node::Tp(_) => "tp",
        Node::Intruder => "intruder",
    };
    let cap = move || caption(node, at(), r(), frame.get().k);
    let name = move || {
        let (comp, mal) = flags.get();
        let mut name = describe(node);
        if comp {
            name.push_str(", compromised");
        }
        if mal {
            name.push_str(", malicious");
        }
        name
    };
    let badge = move || badge_text(flags.get());
    let badge_pos = move || badge_at(at(), r());
    let select = move || st.selection.set(Some(Selection::Node(node)));
    // The button holds the circle and the node's short name, which its accessible name
    // begins with; the caption and the badge are drawn beside it.
    view! {
        <g
            class=format!("node {kind}")
            class:compromised=move || flags.get().0
            class:malicious=move || flags.get().1
            class:selected=move || st.selection.get() == Some(Selection::Node(node))
            data-marked=move || st.marks.with(|m| m.nodes.contains(&node)).then_some("")
        >
            <g
                role="button"
                tabindex="0"
                aria-label=name
                on:click=move |_| select()
                on:keydown=move |e| on_enter_or_space(&e, select)
            >
                <circle cx=move || num(at().0) cy=move || num(at().1) r=move || num(r())></circle>
                <text class="name" x=move || num(at().0) y=move || num(at().1 + 8.0 * frame.get().k) text-anchor="middle">
                    {node.label()}
                </text>
            </g>
            {move || {
                cap()
                    .map(|(text, anchor, (x, y))| {
                        let anchor = if anchor > 0.75 { "end" } else { "middle" };
                        view! {
                            <text class="caption" x=num(x) y=num(y) text-anchor=anchor>
                                {text}
                            </text>
                        }
                    })
            }}
            <Show when=move || !badge().is_empty()>
                <text class="badge" x=move || num(badge_pos().0) y=move || num(badge_pos().1)>
                    {badge}
                </text>
            </Show>
        </g>
    }
}

/// A TP's badge: a symbol per flag (the legend and the accessible name say the words).
fn badge_text((compromised, malicious): (bool, bool)) -> &'static str {
    match (compromised, malicious) {
        (true, true) => "☠⚡",
        (true, false) => "☠",
        (false, true) => "⚡",
        _ => "",
    }
}

/// Where a packet is drawn at this step, and how.
#[derive(Clone, Debug, PartialEq)]
struct PacketPose {
    x: f64,
    y: f64,
    class: &'static str,
    note: &'static str,
    label: String,
    described: String,
    selectable: bool,
    /// Composed by the intruder (drawn with the class `forged`).
    forged: bool,
}

/// How a packet is drawn, and where along its path it would like to be: `(t, from, to)`, the
/// preferred fraction and the range it may slide in to keep clear of other labels.
fn look(p: &PacketView, playback: &Playback) -> Option<(PacketPose, (f64, f64, f64))> {
    let route = format!("{} from {} to {}", p.label, p.from.label(), p.to.label());
    let ended_now = p.ended_at(playback.position);
    let (t, class, note, described) = match &p.fate {
        PacketFate::Delivered if ended_now => {
            ((0.88, 0.12, 0.9), "packet arrived", "✔", format!("{route}, delivered"))
        }
        PacketFate::Dropped { why } if ended_now => (
            (0.5, 0.15, 0.85),
            "packet falling",
            "✖ dropped",
            format!("{route}, dropped: {}", why.describe()),
        ),
        PacketFate::Rejected { error, .. } if ended_now => (
            (0.86, 0.55, 0.9),
            "packet rejected",
            "✖ rejected",
            format!("{route}, rejected: {error}"),
        ),
        PacketFate::InFlight => {
            let span = p.arrives_ms.saturating_sub(p.sent.at_ms).max(1) as f64;
            let t = (playback.now_ms.saturating_sub(p.sent.at_ms) as f64 / span).clamp(0.2, 0.8);
            (
                (t, 0.14, 0.86),
                "packet inflight",
                "",
                format!("{route}, in flight; select to attack"),
            )
        }
        _ => return None,
    };
    // A replay is drawn with its original's label and a mark.
    let label = match p.origin {
        dmikey::sim::Origin::Replay { .. } => format!("{} ↻", p.message),
        // A forgery's label says so: "TP1_R (forged)".
        dmikey::sim::Origin::Role | dmikey::sim::Origin::Forged { .. } => p.label.clone(),
    };
    let forged = matches!(p.origin, dmikey::sim::Origin::Forged { .. });
    let selectable = p.in_flight();
    let pose = PacketPose { x: 0.0, y: 0.0, class, note, label, described, selectable, forged };
    Some((pose, t))
}

/// The area a packet covers at (`x`, `y`): its box, its note below, and the fall of a
/// dropped one.
fn packet_area(pose: &PacketPose, x: f64, y: f64, k: f64) -> Area {
    let w = packet_width(&pose.label) * k;
    let fall = if pose.class.ends_with("falling") { 70.0 } else { 0.0 };
    let below = if pose.note.is_empty() { 16.0 } else { 44.0 };
    Area { x0: x - w / 2.0, y0: y - 16.0 * k, x1: x + w / 2.0, y1: y + (below + fall) * k }
}

/// The scale of a packet's box and label: half the text scale's growth, so that two packets
/// passing on one link still find room side by side.
fn packet_scale(f: Frame) -> f64 {
    1.0 + (f.k - 1.0) / 2.0
}

/// A packet's box width: room for its label.
fn packet_width(label: &str) -> f64 {
    (label.chars().count() as f64 * 11.2 + 22.0).max(108.0)
}

/// What every packet must keep clear of, each with the weight of meeting it: the nodes' circles
/// (1: the name in the middle is smaller than the circle), their captions and badges, the zone
/// captions and the "down" marks of links (4: text on text).
fn obstacles(
    nodes: &[NodeView],
    links: &[LinkView],
    pos: &Layout,
    f: Frame,
    tps_drawn: bool,
) -> Vec<(Area, u32)> {
    let tps = nodes.iter().filter(|n| matches!(n.node, Node::Tp(_))).count();
    let mut out = Vec::new();
    for n in nodes {
        let Some(at) = pos.get(&n.node) else { continue };
        let r = radius(n.node, tps, f.h);
        out.push((Area::around(at.0, at.1, r), 1));
        let name = n.node.label();
        let size = 23.0 * f.k;
        out.push((Area::text(at.0, at.1 + 8.0 * f.k, name.chars().count(), size, 0.5), 4));
        if let Some((text, anchor, (x, y))) = caption(n.node, at, r, f.k) {
            out.push((Area::text(x, y, text.chars().count(), 18.0 * f.k, anchor), 4));
        }
        let badge = badge_text((n.compromised, n.malicious));
        if !badge.is_empty() {
            let (x, y) = badge_at(at, r);
            out.push((Area::text(x, y, badge.chars().count() * 2, 18.0 * f.k, 0.0), 4));
        }
    }
    if tps_drawn {
        let y = f.h - 24.0;
        out.push((Area::text(36.0, y, ZONE_LEFT.chars().count(), ZONE_SIZE * f.k, 0.0), 4));
        out.push((Area::text(964.0, y, ZONE_RIGHT.chars().count(), ZONE_SIZE * f.k, 1.0), 4));
    }
    for l in links.iter().filter(|l| l.state == LinkState::Down) {
        if let Some((a, c, b)) = curve(l.link, pos, tps_drawn) {
            let (x, y) = along(a, c, b, 0.5);
            out.push((Area::text(x, y + 7.0, DOWN.chars().count(), DOWN_SIZE * f.k, 0.5), 4));
        }
    }
    out
}

/// Where each packet on the wire is drawn: at its place along its path, slid along it as
/// little as needed to keep its box clear of the nodes' labels and of the packets placed
/// before it (those that ended at this step first, then those in flight, each in the order
/// they were sent).
fn place_packets(
    packets: &[PacketView],
    nodes: &[NodeView],
    links: &[LinkView],
    playback: &Playback,
    pos: &Layout,
    f: Frame,
    tps_drawn: bool,
) -> Vec<(PacketId, PacketPose)> {
    let mut taken = obstacles(nodes, links, pos, f, tps_drawn);
    let mut placed = Vec::new();
    let mut wanted: Vec<(&PacketView, PacketPose, (f64, f64, f64))> =
        packets.iter().filter_map(|p| look(p, playback).map(|(pose, t)| (p, pose, t))).collect();
    // Those that ended at this step first: they sit near a node and have less room to slide.
    wanted.sort_by_key(|(p, _, _)| (p.in_flight(), p.id));
    for (p, mut pose, (t, lo, hi)) in wanted {
        let Some((a, c, b)) = curve(Link::new(p.from, p.to), pos, tps_drawn).map(|(a, c, b)| {
            // The curve runs from the link's first node: orient it from sender to receiver.
            if pos.get(&p.from) == Some(a) { (a, c, b) } else { (b, c, a) }
        }) else {
            continue;
        };
        // Candidates nearest the wanted place first, both ways along the path: the first
        // clear of everything, else the one that meets the least (by the weights above;
        // another packet's label weighs 4). Only if no place on the path is clear, the same
        // again beside it (a box's size to either side), so that two packets passing on one
        // link both stay readable.
        let k = packet_scale(f);
        let mut best: Option<(u32, (f64, f64, Area))> = None;
        'sides: for side in [0.0, 1.0, -1.0] {
            for i in 0..96 {
                let d = f64::from(i / 2) * 0.02 * if i % 2 == 0 { 1.0 } else { -1.0 };
                let u = t + d;
                if !(lo..=hi).contains(&u) {
                    continue;
                }
                let (x, y) = along(a, c, b, u);
                let (x, y) = if side == 0.0 {
                    (x, y)
                } else {
                    let (x0, y0) = along(a, c, b, (u - 0.01).max(0.0));
                    let (x1, y1) = along(a, c, b, (u + 0.01).min(1.0));
                    let (dx, dy) = (x1 - x0, y1 - y0);
                    let len = dx.hypot(dy).max(1e-9);
                    let (nx, ny) = (-dy / len, dx / len);
                    // Far enough along the normal for the box to clear one on the path: its
                    // whole width sideways or its whole height up or down, whichever is nearer.
                    let here = packet_area(&pose, x, y, k);
                    let (w, h) = (here.x1 - here.x0 + 4.0, here.y1 - here.y0 + 4.0);
                    let off = (w / nx.abs().max(1e-6)).min(h / ny.abs().max(1e-6));
                    (x + side * nx * off, y + side * ny * off)
                };
                let area = packet_area(&pose, x, y, k);
                let cost: u32 = taken.iter().filter(|(o, _)| o.meets(&area)).map(|(_, w)| w).sum();
                // Beside the path only where it meets less than anywhere on it.
                if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                    best = Some((cost, (x, y, area)));
                }
                if cost == 0 {
                    break 'sides;
                }
            }
        }
        let (x, y, area) = best.map(|(_, b)| b).unwrap_or_else(|| {
            let (x, y) = along(a, c, b, t);
            (x, y, packet_area(&pose, x, y, packet_scale(f)))
        });
        taken.push((area, 4));
        pose.x = x;
        pose.y = y;
        placed.push((p.id, pose));
    }
    placed.sort_by_key(|(id, _)| *id);
    placed
}

/// A packet on the wire; one in flight can be selected to attack it.
#[component]
fn PacketMark(
    id: PacketId,
    poses: Memo<Vec<(PacketId, PacketPose)>>,
    frame: Memo<Frame>,
) -> impl IntoView {
    let st = expect_context::<AppState>();
    let pose = Memo::new(move |_| {
        poses.with(|ps| ps.iter().find(|(p, _)| *p == id).map(|(_, pose)| pose.clone()))
    });
    let select = move || {
        if pose.with(|p| p.as_ref().is_some_and(|p| p.selectable)) {
            st.selection.set(Some(Selection::Packet(id)));
        }
    };
    let width = move || pose.with(|p| p.as_ref().map_or(108.0, |p| packet_width(&p.label)));
    view! {
        <g
            class=move || {
                let selected = st.selection.get() == Some(Selection::Packet(id));
                let class = pose.with(|p| p.as_ref().map_or("packet", |p| p.class));
                let forged = pose.with(|p| p.as_ref().is_some_and(|p| p.forged));
                let class = if forged { format!("{class} forged") } else { class.to_string() };
                if selected { format!("{class} selected") } else { class }
            }
            style=move || {
                let k = packet_scale(frame.get());
                pose.with(|p| {
                    p.as_ref().map(|p| {
                        format!("transform: translate({}px, {}px) scale({k})", num(p.x), num(p.y))
                    })
                })
            }
            role="button"
            tabindex="0"
            data-marked=move || st.marks.with(|m| m.packets.contains(&id)).then_some("")
            aria-label=move || pose.with(|p| p.as_ref().map(|p| p.described.clone()))
            on:click=move |_| select()
            on:keydown=move |e| on_enter_or_space(&e, select)
        >
            <g class="body">
                <rect
                    x=move || num(-width() / 2.0)
                    y="-16"
                    width=move || num(width())
                    height="32"
                    rx="7"
                ></rect>
                <text y="6" text-anchor="middle">
                    {move || pose.with(|p| p.as_ref().map(|p| p.label.clone()))}
                </text>
                <text class="note" y="38" text-anchor="middle">
                    {move || pose.with(|p| p.as_ref().map(|p| p.note))}
                </text>
            </g>
        </g>
    }
}
