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

/// The two families of the drawing's text (`--sans` and `--mono` in the page's styles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Font {
    Sans,
    Mono,
}

/// How far a character advances the text, in em, at most: the widest of its class in DejaVu
/// Sans Bold and DejaVu Sans Mono (the system fonts of Debian's Chromium, and wider than the
/// usual system fonts elsewhere), rounded up. Any other character (a symbol: ✔ ✖ ☠ ⚡ ↻, at most
/// 0.9 em in DejaVu Sans) counts as 1 em.
fn advance(c: char, font: Font) -> f64 {
    match (font, c) {
        (_, c) if !c.is_ascii() => 1.0,
        (Font::Mono, _) => 0.62,
        (Font::Sans, ' ') => 0.36,
        (Font::Sans, 'f' | 'i' | 'j' | 'l' | 'r' | 't' | 'I' | 'J' | '.' | ',' | ':' | ';') => 0.52,
        (Font::Sans, '(' | ')' | '[' | ']' | '-' | '\'' | '!' | '|' | '/') => 0.52,
        (Font::Sans, 'm' | 'w' | 'M' | 'W') => 1.12,
        (Font::Sans, 'a'..='z') => 0.73,
        (Font::Sans, _) => 0.87,
    }
}

/// The width of `text` drawn at `size`, at most.
pub fn text_width(text: &str, size: f64, font: Font) -> f64 {
    text.chars().map(|c| advance(c, font)).sum::<f64>() * size
}

/// How far a line of text reaches above and below its baseline, in em, at least as far as
/// the box a browser gives it (DejaVu's ascent is 0.93 em, its descent 0.24 em).
const ASCENT: f64 = 0.96;
const DESCENT: f64 = 0.27;

impl Area {
    /// The box of `text` of size `size` in `font` whose baseline starts at (`x`, `y`),
    /// anchored at its start, middle or end (`anchor` 0, 0.5, 1).
    fn text(x: f64, y: f64, text: &str, size: f64, font: Font, anchor: f64) -> Area {
        let w = text_width(text, size, font);
        let x0 = x - w * anchor;
        Area { x0, y0: y - size * ASCENT, x1: x0 + w, y1: y + size * DESCENT }
    }

    fn around(x: f64, y: f64, r: f64) -> Area {
        Area { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
    }

    /// This box moved by (`dx`, `dy`).
    fn shift(&self, dx: f64, dy: f64) -> Area {
        Area { x0: self.x0 + dx, y0: self.y0 + dy, x1: self.x1 + dx, y1: self.y1 + dy }
    }

    /// This box and `o` closer than a small gap.
    fn meets(&self, o: &Area) -> bool {
        const GAP: f64 = 3.0;
        self.x0 < o.x1 + GAP && o.x0 < self.x1 + GAP && self.y0 < o.y1 + GAP && o.y0 < self.y1 + GAP
    }

    /// This box inside `o`.
    fn within(&self, o: &Area) -> bool {
        self.x0 >= o.x0 && self.y0 >= o.y0 && self.x1 <= o.x1 && self.y1 <= o.y1
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

/// A node's caption, how it is anchored (0 start, 0.5 middle, 1 end) and where it sits: below
/// its circle (the CA's between the CA and R, clear of the link between the sensor and R that
/// bows over the third parties).
fn caption(node: Node, at: (f64, f64), r: f64, k: f64) -> Option<(&'static str, f64, (f64, f64))> {
    let (x, y) = at;
    match node {
        Node::Sensor => Some(("sensor", 0.5, (x, y + r + 4.0 + 18.0 * k))),
        Node::Responder => Some(("server", 0.5, (x, y + r + 4.0 + 18.0 * k))),
        Node::Ca => Some(("cert. authority", 0.5, (x, y + r + 4.0 + 18.0 * k))),
        _ => None,
    }
}

/// The size of a node's name in its circle, and its baseline's offset below the centre (both
/// grow with the text scale).
const NAME_SIZE: f64 = 23.0;
const NAME_DROP: f64 = 8.0;

/// The size of a TP's badge (☠, ⚡).
const BADGE_SIZE: f64 = 18.0;

/// Where a TP's badge `badge` sits (its baseline's start) and its size: right of its circle and
/// of its name (wider than a small circle), in the gap between its link to R and the next TP's
/// on the side away from its own (above it if the link runs down to R, below it if the link runs
/// up), so it meets neither link; smaller than `BADGE_SIZE` only where the gap is narrower.
fn badge_at(node: Node, badge: &str, pos: &Layout, r: f64, k: f64) -> Option<(Point, f64)> {
    let at = pos.get(&node)?;
    let name = text_width(&node.label(), NAME_SIZE * k, Font::Sans) / 2.0;
    let size = BADGE_SIZE * k;
    let tall = (ASCENT + DESCENT) * size;
    let x0 = at.0 + r.max(name) + 3.0;
    let x1 = x0 + text_width(badge, size, Font::Sans);
    let (Node::Tp(i), Some(to)) = (node, pos.get(&Node::Responder)) else {
        return Some(((x0, at.1 - r * 0.4), size));
    };
    // The height of the straight link from `from` to R at `x`, at the badge's two ends.
    let line = |from: Point, x: f64| from.1 + (to.1 - from.1) * (x - from.0) / (to.0 - from.0);
    let ends = |from: Point| (line(from, x0), line(from, x1));
    let (own0, own1) = ends(at);
    // Clear of the link's stroke (4 wide, 6 when selected).
    const GAP: f64 = 3.5;
    let (top, bottom) = if to.1 >= at.1 {
        let bottom = own0.min(own1) - GAP;
        let above = i.checked_sub(1).and_then(|j| pos.get(&Node::Tp(j)));
        let top = above.map_or(bottom - tall, |n| {
            let (a, b) = ends(n);
            a.max(b) + GAP
        });
        (top, bottom)
    } else {
        let top = own0.max(own1) + GAP;
        let below = i.checked_add(1).and_then(|j| pos.get(&Node::Tp(j)));
        let bottom = below.map_or(top + tall, |n| {
            let (a, b) = ends(n);
            a.min(b) - GAP
        });
        (top, bottom)
    };
    // The badge's box centred in the gap.
    let size = size.min((bottom - top) / (ASCENT + DESCENT));
    Some(((x0, (top + bottom) / 2.0 + (ASCENT - DESCENT) * size / 2.0), size))
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
    let badge_pos =
        move || badge_at(node, badge(), &positions.get(), r(), frame.get().k).unwrap_or_default();
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
                <text class="name" x=move || num(at().0) y=move || num(at().1 + NAME_DROP * frame.get().k) text-anchor="middle">
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
                <text
                    class="badge"
                    x=move || num(badge_pos().0.0)
                    y=move || num(badge_pos().0.1)
                    style=move || format!("font-size: {}px", num(badge_pos().1))
                >
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

/// The sizes of a packet's label and note, and the baselines' places in the packet (its box
/// runs from -16 to 16 around its centre), at packet scale 1.
const LABEL_SIZE: f64 = 18.0;
const LABEL_Y: f64 = 6.0;
const NOTE_SIZE: f64 = 18.0;
const NOTE_Y: f64 = 38.0;
/// How far a dropped packet falls, and how much its tilt widens it (the `fall` animation).
const FALL: f64 = 70.0;
const TILT: f64 = 12.0;

/// The area a packet covers around its centre, at scale `k`: its box, its label, its note below
/// and the fall of a dropped one.
fn packet_extent(pose: &PacketPose, k: f64) -> Area {
    let label = text_width(&pose.label, LABEL_SIZE, Font::Mono);
    let note = text_width(pose.note, NOTE_SIZE, Font::Sans);
    let half = packet_width(&pose.label).max(label).max(note) / 2.0;
    let below = if pose.note.is_empty() {
        16.0_f64.max(LABEL_Y + LABEL_SIZE * DESCENT)
    } else {
        NOTE_Y + NOTE_SIZE * DESCENT
    };
    let (half, below) =
        if pose.class.ends_with("falling") { (half + TILT, below + FALL) } else { (half, below) };
    let above = 16.0_f64.max(LABEL_SIZE * ASCENT - LABEL_Y);
    Area { x0: -half * k, y0: -above * k, x1: half * k, y1: below * k }
}

/// The scale of a packet's box and label: half the text scale's growth, so that two packets
/// passing on one link still find room side by side.
fn packet_scale(f: Frame) -> f64 {
    1.0 + (f.k - 1.0) / 2.0
}

/// A packet's box width: room for its label.
fn packet_width(label: &str) -> f64 {
    (text_width(label, LABEL_SIZE, Font::Mono) + 22.0).max(108.0)
}

/// The text drawn beside the nodes and links (not on them): the nodes' captions, the TPs'
/// badges and the zone captions.
fn labels(nodes: &[NodeView], pos: &Layout, f: Frame, tps_drawn: bool) -> Vec<Area> {
    let tps = nodes.iter().filter(|n| matches!(n.node, Node::Tp(_))).count();
    let mut text = Vec::new();
    for n in nodes {
        let Some(at) = pos.get(&n.node) else { continue };
        let r = radius(n.node, tps, f.h);
        if let Some((caption, anchor, (x, y))) = caption(n.node, at, r, f.k) {
            text.push(Area::text(x, y, caption, 18.0 * f.k, Font::Sans, anchor));
        }
        let badge = badge_text((n.compromised, n.malicious));
        if let Some(((x, y), size)) =
            badge_at(n.node, badge, pos, r, f.k).filter(|_| !badge.is_empty())
        {
            text.push(Area::text(x, y, badge, size, Font::Sans, 0.0));
        }
    }
    if tps_drawn {
        let y = f.h - 24.0;
        text.push(Area::text(36.0, y, ZONE_LEFT, ZONE_SIZE * f.k, Font::Sans, 0.0));
        text.push(Area::text(964.0, y, ZONE_RIGHT, ZONE_SIZE * f.k, Font::Sans, 1.0));
    }
    text
}

/// What the drawing holds, for placing each packet clear of it: text a packet's box must never
/// meet (the nodes' names, captions and badges, the zone captions, the "down" marks and the
/// packets placed so far), and the nodes' circles, which it covers only where no place is clear
/// of every circle.
struct Taken {
    text: Vec<Area>,
    circles: Vec<Area>,
    /// The drawing's own box: a packet stays inside it.
    bounds: Area,
}

impl Taken {
    fn of(
        nodes: &[NodeView],
        links: &[LinkView],
        pos: &Layout,
        f: Frame,
        tps_drawn: bool,
    ) -> Taken {
        let tps = nodes.iter().filter(|n| matches!(n.node, Node::Tp(_))).count();
        let mut text = labels(nodes, pos, f, tps_drawn);
        let mut circles = Vec::new();
        for n in nodes {
            let Some(at) = pos.get(&n.node) else { continue };
            circles.push(Area::around(at.0, at.1, radius(n.node, tps, f.h)));
            let y = at.1 + NAME_DROP * f.k;
            text.push(Area::text(at.0, y, &n.node.label(), NAME_SIZE * f.k, Font::Sans, 0.5));
        }
        for l in links.iter().filter(|l| l.state == LinkState::Down) {
            if let Some((a, c, b)) = curve(l.link, pos, tps_drawn) {
                let (x, y) = along(a, c, b, 0.5);
                text.push(Area::text(x, y + 7.0, DOWN, DOWN_SIZE * f.k, Font::Sans, 0.5));
            }
        }
        Taken { text, circles, bounds: Area { x0: 0.0, y0: 0.0, x1: W, y1: f.h } }
    }

    /// How many circles `area` covers, or `None` if it meets text or leaves the drawing.
    fn cost(&self, area: &Area) -> Option<usize> {
        if !area.within(&self.bounds) || self.text.iter().any(|t| t.meets(area)) {
            return None;
        }
        Some(self.circles.iter().filter(|c| c.meets(area)).count())
    }
}

/// Which side of its link a packet is drawn on.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lane {
    /// On the link, or beside it on either side if it has to.
    Either,
    /// On the right of its direction of travel, only: another packet goes the other way on
    /// the same link at this step and takes the other side, so the two never contend.
    Right,
}

/// How many box-depths beside its lane a packet may be drawn before it looks elsewhere.
const RINGS: usize = 4;

/// Where each packet on the wire is drawn (its centre), placed one after the other (those that
/// ended at this step first: they sit near a node and have less room; then those in flight,
/// each in the order they were sent). Each takes the first clear place in this order: along
/// its path from where it would be (nearest first, both ways, within its range), in its lane;
/// then the same a box-depth further out, up to `RINGS` depths; "clear" is: meeting no text
/// and no packet already placed, inside the drawing, and covering no node's circle. If none
/// is clear of the circles, the one of those covering the fewest; if none at all is clear
/// of text, the nearest place anywhere in the drawing that is (a 10-unit grid).
fn place_packets(
    packets: &[PacketView],
    nodes: &[NodeView],
    links: &[LinkView],
    playback: &Playback,
    pos: &Layout,
    f: Frame,
    tps_drawn: bool,
) -> Vec<(PacketId, PacketPose)> {
    let mut taken = Taken::of(nodes, links, pos, f, tps_drawn);
    let mut placed = Vec::new();
    let mut wanted: Vec<(&PacketView, PacketPose, (f64, f64, f64))> =
        packets.iter().filter_map(|p| look(p, playback).map(|(pose, t)| (p, pose, t))).collect();
    wanted.sort_by_key(|(p, _, _)| (p.in_flight(), p.id));
    let both_ways =
        |p: &PacketView| wanted.iter().any(|(q, _, _)| q.from == p.to && q.to == p.from);
    let lanes: Vec<Lane> = wanted
        .iter()
        .map(|(p, _, _)| if both_ways(p) { Lane::Right } else { Lane::Either })
        .collect();
    let k = packet_scale(f);
    for ((p, mut pose, (t, lo, hi)), lane) in wanted.into_iter().zip(lanes) {
        let Some((a, c, b)) = curve(Link::new(p.from, p.to), pos, tps_drawn).map(|(a, c, b)| {
            // The curve runs from the link's first node: orient it from sender to receiver.
            if pos.get(&p.from) == Some(a) { (a, c, b) } else { (b, c, a) }
        }) else {
            continue;
        };
        let extent = packet_extent(&pose, k);
        let (x, y) = place_one(&taken, (a, c, b), (t, lo, hi), lane, &extent);
        taken.text.push(extent.shift(x, y));
        pose.x = x;
        pose.y = y;
        placed.push((p.id, pose));
    }
    placed.sort_by_key(|(id, _)| *id);
    placed
}

/// The place of one packet of extent `extent` on the curve (`a`, `c`, `b`), wanted at `t` and
/// free to slide within `lo..=hi` (see [`place_packets`]).
fn place_one(
    taken: &Taken,
    (a, c, b): (Point, Point, Point),
    (t, lo, hi): (f64, f64, f64),
    lane: Lane,
    extent: &Area,
) -> Point {
    // The fractions along the path, nearest the wanted one first.
    let ts: Vec<f64> = (0..100)
        .map(|i| t + f64::from(i / 2) * 0.02 * if i % 2 == 0 { 1.0 } else { -1.0 })
        .filter(|u| (lo..=hi).contains(u))
        .collect();
    // The signed sides to try (+1 right of the direction of travel), and for each ring the
    // distance from the link: 0 on it, else far enough that the box clears it, and a whole
    // box-depth more per ring.
    let sides: &[f64] = match lane {
        Lane::Either => &[0.0, 1.0, -1.0],
        Lane::Right => &[1.0],
    };
    let mut best: Option<(usize, Point)> = None;
    for ring in 0..RINGS {
        for &side in sides {
            if side == 0.0 && ring > 0 {
                continue;
            }
            for &u in &ts {
                let (x, y) = along(a, c, b, u);
                let (x, y) = if side == 0.0 {
                    (x, y)
                } else {
                    let (x0, y0) = along(a, c, b, (u - 0.01).max(0.0));
                    let (x1, y1) = along(a, c, b, (u + 0.01).min(1.0));
                    let len = (x1 - x0).hypot(y1 - y0).max(1e-9);
                    // The right of the direction of travel, on a screen whose y grows downwards.
                    let (nx, ny) = (-(y1 - y0) / len * side, (x1 - x0) / len * side);
                    let d = clearance(extent, (nx, ny)) + ring as f64 * depth(extent, (nx, ny));
                    (x + nx * d, y + ny * d)
                };
                match taken.cost(&extent.shift(x, y)) {
                    Some(0) => return (x, y),
                    Some(cost) if best.is_none_or(|(c, _)| cost < c) => best = Some((cost, (x, y))),
                    _ => {}
                }
            }
        }
    }
    if let Some((_, at)) = best {
        return at;
    }
    // Nowhere near its path is clear of text: the nearest clear place in the drawing.
    let (wx, wy) = along(a, c, b, t);
    let mut grid: Vec<(f64, Point)> = (0..=(W / 10.0) as usize)
        .flat_map(|i| (0..=(taken.bounds.y1 / 10.0) as usize).map(move |j| (i, j)))
        .map(|(i, j)| {
            let (x, y) = (i as f64 * 10.0, j as f64 * 10.0);
            ((x - wx).hypot(y - wy), (x, y))
        })
        .collect();
    grid.sort_by(|p, q| p.0.total_cmp(&q.0));
    let mut fallback: Option<(usize, Point)> = None;
    for (_, (x, y)) in grid {
        match taken.cost(&extent.shift(x, y)) {
            Some(0) => return (x, y),
            Some(cost) if fallback.is_none_or(|(c, _)| cost < c) => fallback = Some((cost, (x, y))),
            _ => {}
        }
    }
    fallback.map_or((wx, wy), |(_, at)| at)
}

/// How far along the unit normal `n` a box around a point must move for all of it to lie on
/// that side of a line through the point (plus a small gap).
fn clearance(e: &Area, (nx, ny): (f64, f64)) -> f64 {
    let nearest = [(e.x0, e.y0), (e.x1, e.y0), (e.x0, e.y1), (e.x1, e.y1)]
        .iter()
        .map(|(x, y)| x * nx + y * ny)
        .fold(f64::INFINITY, f64::min);
    4.0 - nearest
}

/// The depth of a box along the unit normal `n`, plus a small gap.
fn depth(e: &Area, (nx, ny): (f64, f64)) -> f64 {
    (e.x1 - e.x0) * nx.abs() + (e.y1 - e.y0) * ny.abs() + 4.0
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
                <text y=num(LABEL_Y) text-anchor="middle">
                    {move || pose.with(|p| p.as_ref().map(|p| p.label.clone()))}
                </text>
                <text class="note" y=num(NOTE_Y) text-anchor="middle">
                    {move || pose.with(|p| p.as_ref().map(|p| p.note))}
                </text>
            </g>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dmikey::sim::{Player, RsaBits, Simulation, ViewModel, presets};

    /// Every frame the drawing has: the normal layout and the stage, in normal and in large
    /// type. The screen's size only scales the drawing (its viewBox), so these four cover every
    /// screen.
    const FRAMES: [Frame; 4] = [
        Frame { h: H_RUN, k: 1.0 },
        Frame { h: H_RUN, k: 1.2 },
        Frame { h: H_STAGE, k: 1.0 },
        Frame { h: H_STAGE, k: 1.2 },
    ];

    /// The boxes overlap (no gap asked for).
    fn overlap(a: &Area, b: &Area) -> bool {
        a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
    }

    /// At `vm`'s step in frame `f`: the fixed text clear of itself, and every packet inside the
    /// drawing, clear of all text and of every other packet. Returns how many packets were
    /// drawn and how many of them cover a node's circle.
    fn check(vm: &ViewModel, f: Frame, what: &str) -> (usize, usize) {
        let ids: Vec<Node> = vm.nodes.iter().map(|n| n.node).collect();
        let pos = layout(&ids, f.h);
        let tps = ids.iter().any(|n| matches!(n, Node::Tp(_)));
        let taken = Taken::of(&vm.nodes, &vm.links, &pos, f, tps);
        for (i, a) in taken.text.iter().enumerate() {
            for b in &taken.text[i + 1..] {
                assert!(!overlap(a, b), "{what}: fixed text {a:?} overlaps {b:?}");
            }
        }
        // The captions, badges and zone captions keep off every link's stroke (2 each side of
        // its line), outside the circles (the links end at the nodes' centres, under them).
        let circles: Vec<(Point, f64)> = ids
            .iter()
            .filter_map(|n| {
                Some((
                    pos.get(n)?,
                    radius(
                        *n,
                        vm.nodes.iter().filter(|m| matches!(m.node, Node::Tp(_))).count(),
                        f.h,
                    ),
                ))
            })
            .collect();
        let beside = labels(&vm.nodes, &pos, f, tps);
        for l in &vm.links {
            let Some((a, c, b)) = curve(l.link, &pos, tps) else { continue };
            for i in 0..=400 {
                let (x, y) = along(a, c, b, f64::from(i) / 400.0);
                if circles.iter().any(|((cx, cy), r)| (x - cx).hypot(y - cy) <= *r) {
                    continue;
                }
                for t in &beside {
                    let on =
                        t.x0 - 2.0 <= x && x <= t.x1 + 2.0 && t.y0 - 2.0 <= y && y <= t.y1 + 2.0;
                    assert!(!on, "{what}: the link {} runs over {t:?}", l.link.describe());
                }
            }
        }
        let placed = place_packets(&vm.packets, &vm.nodes, &vm.links, &vm.playback, &pos, f, tps);
        let areas: Vec<(String, Area)> = placed
            .iter()
            .map(|(_, p)| (p.label.clone(), packet_extent(p, packet_scale(f)).shift(p.x, p.y)))
            .collect();
        for (i, (label, a)) in areas.iter().enumerate() {
            assert!(a.within(&taken.bounds), "{what}: {label} leaves the drawing: {a:?}");
            for t in &taken.text {
                assert!(!t.meets(a), "{what}: {label} {a:?} meets text {t:?}");
            }
            for (other, b) in &areas[i + 1..] {
                assert!(!a.meets(b), "{what}: {label} {a:?} meets {other} {b:?}");
            }
        }
        let on_circles = areas.iter().filter(|(_, a)| taken.circles.iter().any(|c| c.meets(a)));
        (areas.len(), on_circles.count())
    }

    #[test]
    fn no_packet_meets_text_or_another_packet_at_any_step_of_any_preset_in_any_frame() {
        let (mut steps, mut drawn, mut on_circles) = (0, 0, 0);
        for preset in presets(RsaBits::B1024, Some(7)) {
            let mut sim = Simulation::new(preset.config.clone()).expect("the preset starts");
            for c in &preset.commands {
                sim.apply(c.clone()).expect("the preset's commands apply");
            }
            let mut player = Player::new(sim);
            loop {
                let vm = ViewModel::of(&player, Some(&preset));
                for f in FRAMES {
                    let what =
                        format!("{} step {} h {} k {}", preset.id, player.position(), f.h, f.k);
                    let (n, c) = check(&vm, f, &what);
                    drawn += n;
                    on_circles += c;
                }
                steps += 1;
                if !player.step_forward() {
                    break;
                }
            }
        }
        assert!(steps > 200, "only {steps} steps checked");
        println!(
            "{steps} steps in 4 frames: {drawn} packets drawn, {on_circles} of them over a node's circle"
        );
    }

    /// A packet in flight named `label`, not yet placed.
    fn in_flight(label: &str) -> PacketPose {
        PacketPose {
            x: 0.0,
            y: 0.0,
            class: "packet inflight",
            note: "",
            label: label.into(),
            described: String::new(),
            selectable: true,
            forged: false,
        }
    }

    #[test]
    fn packets_passing_both_ways_take_either_side_of_their_link() {
        let taken = Taken {
            text: Vec::new(),
            circles: Vec::new(),
            bounds: Area { x0: 0.0, y0: 0.0, x1: W, y1: H_RUN },
        };
        let pose = in_flight("TP2_R");
        let e = packet_extent(&pose, 1.1);
        let (a, b) = ((500.0, 200.0), (880.0, 200.0));
        let mid = ((a.0 + b.0) / 2.0, 200.0);
        // Eastwards, the right is down the screen; westwards, up.
        let east = place_one(&taken, (a, mid, b), (0.5, 0.14, 0.86), Lane::Right, &e);
        let west = place_one(&taken, (b, mid, a), (0.5, 0.14, 0.86), Lane::Right, &e);
        assert!(e.shift(east.0, east.1).y0 > 200.0, "{east:?}");
        assert!(e.shift(west.0, west.1).y1 < 200.0, "{west:?}");
        assert!(!e.shift(east.0, east.1).meets(&e.shift(west.0, west.1)));
        // Alone on its link, a packet sits on it.
        assert_eq!(
            place_one(&taken, (a, mid, b), (0.5, 0.14, 0.86), Lane::Either, &e),
            (690.0, 200.0)
        );
    }

    #[test]
    fn a_packet_with_no_room_near_its_path_goes_to_the_nearest_clear_place() {
        // Text everywhere but the drawing's right edge.
        let wall = Area { x0: 0.0, y0: 0.0, x1: 800.0, y1: H_RUN };
        let taken = Taken {
            text: vec![wall],
            circles: Vec::new(),
            bounds: Area { x0: 0.0, y0: 0.0, x1: W, y1: H_RUN },
        };
        let pose = in_flight("I_TP1");
        let e = packet_extent(&pose, 1.0);
        let (a, b) = ((120.0, 235.0), (500.0, 100.0));
        let at = place_one(
            &taken,
            (a, ((a.0 + b.0) / 2.0, 167.5), b),
            (0.5, 0.14, 0.86),
            Lane::Either,
            &e,
        );
        let area = e.shift(at.0, at.1);
        assert!(!area.meets(&wall) && area.within(&taken.bounds), "{at:?}");
    }

    #[test]
    fn the_text_estimate_covers_the_widest_glyphs() {
        // DejaVu Sans Bold at 100 px: "W" 110.3, "m" 104.2, "H" 83.7, "☠" 89.7; DejaVu Sans
        // Mono: 60.2.
        assert!(text_width("W", 100.0, Font::Sans) >= 110.3);
        assert!(text_width("m", 100.0, Font::Sans) >= 104.2);
        assert!(text_width("H", 100.0, Font::Sans) >= 83.7);
        assert!(text_width("TP1_R", 100.0, Font::Mono) >= 5.0 * 60.2);
        assert!(text_width("☠", 100.0, Font::Sans) >= 89.7);
    }
}
