//! The topology: the sensor I, the third parties, the responder R and the CA, with the
//! constrained pre-shared-key segment (I–TPi, dashed, warm) drawn apart from the public-key
//! segment (TPi–R, solid, cool). Packets travel along the links; a dropped one falls, a
//! rejected one stops at its receiver with the reason. Click a packet, a TP or a link to
//! attack it (see `attacker.rs`).
use dmikey::sim::{Link, LinkState, Node, PacketFate, PacketId, PacketView, Playback, Segment};
use leptos::prelude::*;

use crate::state::{AppState, Selection};

pub const W: f64 = 1000.0;
pub const H: f64 = 430.0;

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
pub fn layout(nodes: &[Node]) -> Layout {
    let tps: Vec<u8> =
        nodes.iter().filter_map(|n| if let Node::Tp(i) = n { Some(*i) } else { None }).collect();
    let mut m = Layout::default();
    let mid = H / 2.0 + 10.0;
    m.insert(Node::Sensor, (120.0, mid));
    m.insert(Node::Responder, (880.0, mid));
    m.insert(Node::Ca, (880.0, 55.0));
    m.insert(Node::Intruder, (500.0, H - 15.0));
    let count = tps.len().max(1) as f64;
    let (top, bottom) = (50.0, H - 40.0);
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

fn tp_radius(tps: usize) -> f64 {
    ((H - 90.0) / tps.max(1) as f64 / 2.3).clamp(12.0, 32.0)
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

#[component]
pub fn Topology() -> impl IntoView {
    let st = expect_context::<AppState>();
    let nodes = st.model.nodes;
    let ids = Memo::new(move |_| nodes.with(|ns| ns.iter().map(|n| n.node).collect::<Vec<_>>()));
    let positions = Memo::new(move |_| layout(&ids.get()));
    let has_tps = Memo::new(move |_| ids.with(|ns| ns.iter().any(|n| matches!(n, Node::Tp(_)))));
    let links =
        Memo::new(move |_| st.model.links.with(|ls| ls.iter().map(|l| l.link).collect::<Vec<_>>()));
    // The packets drawn on the wire: those in flight and those that ended at this step.
    let on_wire = Memo::new(move |_| {
        let at = st.model.position.get();
        st.model.packets.with(|ps| {
            ps.iter().filter(|p| p.in_flight() || p.ended_at(at)).map(|p| p.id).collect::<Vec<_>>()
        })
    });
    let zone_h = num(H - 24.0);
    view! {
        <figure class="topology">
            <svg
                viewBox=format!("0 0 {} {}", num(W), num(H))
                role="group"
                aria-label="Network: sensor, third parties, server and certificate authority"
            >
                <Show when=move || has_tps.get()>
                    <rect class="zone constrained" x="20" y="12" width="470" height=zone_h.clone() rx="14"></rect>
                    <rect class="zone unconstrained" x="510" y="12" width="470" height=zone_h.clone() rx="14"></rect>
                    <text class="zone-label" x="36" y=zone_h.clone()>"constrained: pre-shared key (MIKEY-PSK)"</text>
                    <text class="zone-label" x="964" y=zone_h.clone() text-anchor="end">"public key (MIKEY-PK, RSA)"</text>
                </Show>
                <g class="links">
                    <For each=move || links.get() key=|l| *l let:link>
                        <LinkMark link=link positions=positions/>
                    </For>
                </g>
                <g class="nodes">
                    <For each=move || ids.get() key=|n| *n let:node>
                        <NodeMark node=node positions=positions/>
                    </For>
                </g>
                <g class="packets">
                    <For each=move || on_wire.get() key=|id| *id let:id>
                        <PacketMark id=id positions=positions/>
                    </For>
                </g>
            </svg>
            <figcaption class="legend">
                <span class="key constrained">"┄ pre-shared key segment (constrained radio)"</span>
                <span class="key unconstrained">"━ public key segment (Internet)"</span>
            </figcaption>
        </figure>
    }
}

/// One link: its segment, whether it is down; selecting it offers down / up.
#[component]
fn LinkMark(link: Link, positions: Memo<Layout>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let view = Memo::new(move |_| {
        st.model.links.with(|ls| ls.iter().find(|l| l.link == link).map(|l| (l.segment, l.state)))
    });
    let segment = move || view.get().map_or(Segment::Constrained, |v| v.0);
    let down = move || view.get().is_some_and(|v| v.1 == LinkState::Down);
    let ends = move || {
        let pos = positions.get();
        Some((pos.get(&link.0)?, pos.get(&link.1)?))
    };
    // A link between I and R would run straight through the middle third party: with third
    // parties on screen it bows over them.
    let bows = move || {
        link == Link::new(Node::Sensor, Node::Responder)
            && st.model.nodes.with(|ns| ns.iter().any(|n| matches!(n.node, Node::Tp(_))))
    };
    let control = move || {
        ends().map(|(a, b)| {
            let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            // The curve's apex is half-way between the chord and the control point.
            if bows() { (mid.0, 2.0 * 14.0 - mid.1) } else { mid }
        })
    };
    let path = move || {
        let ((x1, y1), (x2, y2)) = ends()?;
        let (cx, cy) = control()?;
        Some(format!("M {} {} Q {} {} {} {}", num(x1), num(y1), num(cx), num(cy), num(x2), num(y2)))
    };
    // The middle of the drawn link, where "down" is written.
    let middle = move || {
        let ((x1, y1), (x2, y2)) = ends()?;
        let (cx, cy) = control()?;
        Some(((x1 + 2.0 * cx + x2) / 4.0, (y1 + 2.0 * cy + y2) / 4.0))
    };
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
                    y=move || middle().map(|m| num(m.1 + 5.0))
                    text-anchor="middle"
                >
                    "✖ down"
                </text>
            </Show>
        </g>
    }
}

/// One role: its name and caption, and a badge when compromised or malicious.
#[component]
fn NodeMark(node: Node, positions: Memo<Layout>) -> impl IntoView {
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
    let tp = matches!(node, Node::Tp(_));
    let r = move || if tp { tp_radius(tps.get()) } else { 40.0 };
    let at = move || positions.get().get(&node).unwrap_or_default();
    let (kind, caption) = match node {
        Node::Sensor => ("sensor", "sensor"),
        Node::Responder => ("responder", "server"),
        Node::Ca => ("ca", "cert. authority"),
        Node::Tp(_) => ("tp", ""),
        Node::Intruder => ("intruder", ""),
    };
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
    let badge = move || match flags.get() {
        (true, true) => "☠ compromised · malicious",
        (true, false) => "☠ compromised",
        (false, true) => "⚡ malicious",
        _ => "",
    };
    let badge_at = move || {
        let (x, y) = at();
        if tp { (x + r() + 6.0, y + 7.0) } else { (x, y + r() + 44.0) }
    };
    let select = move || st.selection.set(Some(Selection::Node(node)));
    // The button holds the circle and the node's short name, which its accessible name
    // begins with; the caption and the badge are drawn beside it.
    view! {
        <g
            class=format!("node {kind}")
            class:compromised=move || flags.get().0
            class:malicious=move || flags.get().1
            class:selected=move || st.selection.get() == Some(Selection::Node(node))
        >
            <g
                role="button"
                tabindex="0"
                aria-label=name
                on:click=move |_| select()
                on:keydown=move |e| on_enter_or_space(&e, select)
            >
                <circle cx=move || num(at().0) cy=move || num(at().1) r=move || num(r())></circle>
                <text class="name" x=move || num(at().0) y=move || num(at().1 + 8.0) text-anchor="middle">
                    {node.label()}
                </text>
            </g>
            <text class="caption" x=move || num(at().0) y=move || num(at().1 + r() + 22.0) text-anchor="middle">
                {caption}
            </text>
            <text
                class="badge"
                x=move || num(badge_at().0)
                y=move || num(badge_at().1)
                text-anchor=if tp { "start" } else { "middle" }
            >
                {badge}
            </text>
        </g>
    }
}

/// Where a packet is drawn at this step, and how.
#[derive(Clone, PartialEq)]
struct PacketPose {
    x: f64,
    y: f64,
    class: &'static str,
    note: &'static str,
    described: String,
    selectable: bool,
}

fn pose(p: &PacketView, playback: &Playback, pos: &Layout) -> Option<PacketPose> {
    let (a, b) = (pos.get(&p.from)?, pos.get(&p.to)?);
    let route = format!("{} from {} to {}", p.label, p.from.label(), p.to.label());
    let ended_now = p.ended_at(playback.position);
    let (t, class, note, described) = match &p.fate {
        PacketFate::Delivered if ended_now => {
            (1.0, "packet arrived", "✔", format!("{route}, delivered"))
        }
        PacketFate::Dropped { why } if ended_now => {
            (0.5, "packet falling", "✖ dropped", format!("{route}, dropped: {}", why.describe()))
        }
        PacketFate::Rejected { error, .. } if ended_now => {
            (0.93, "packet rejected", "✖ rejected", format!("{route}, rejected: {error}"))
        }
        PacketFate::InFlight => {
            let span = p.arrives_ms.saturating_sub(p.sent.at_ms).max(1) as f64;
            let t = (playback.now_ms.saturating_sub(p.sent.at_ms) as f64 / span).clamp(0.15, 0.85);
            (t, "packet inflight", "", format!("{route}, in flight; select to attack"))
        }
        _ => return None,
    };
    Some(PacketPose {
        x: a.0 + (b.0 - a.0) * t,
        y: a.1 + (b.1 - a.1) * t,
        class,
        note,
        described,
        selectable: p.in_flight(),
    })
}

/// A packet on the wire; one in flight can be selected to attack it.
#[component]
fn PacketMark(id: PacketId, positions: Memo<Layout>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let packet =
        Memo::new(move |_| st.model.packets.with(|ps| ps.get(id).filter(|p| p.id == id).cloned()));
    let pose = Memo::new(move |_| {
        let pos = positions.get();
        let p = packet.get()?;
        st.model.playback.with(|pb| pose(&p, pb.as_ref()?, &pos))
    });
    // A replay is drawn with its original's label and a mark.
    let label = move || {
        packet.with(|p| {
            p.as_ref().map(|p| match p.origin {
                dmikey::sim::Origin::Replay { .. } => format!("{} ↻", p.message),
                // A forgery's label says so: "TP1_R (forged)".
                dmikey::sim::Origin::Role | dmikey::sim::Origin::Forged { .. } => p.label.clone(),
            })
        })
    };
    let select = move || {
        if pose.with(|p| p.as_ref().is_some_and(|p| p.selectable)) {
            st.selection.set(Some(Selection::Packet(id)));
        }
    };
    view! {
        <g
            class=move || {
                let selected = st.selection.get() == Some(Selection::Packet(id));
                let class = pose.with(|p| p.as_ref().map_or("packet", |p| p.class));
                let forged = packet.with(|p| {
                    p.as_ref().is_some_and(|p| matches!(p.origin, dmikey::sim::Origin::Forged { .. }))
                });
                let class = if forged { format!("{class} forged") } else { class.to_string() };
                if selected { format!("{class} selected") } else { class }
            }
            style=move || {
                pose.with(|p| {
                    p.as_ref().map(|p| format!("transform: translate({}px, {}px)", num(p.x), num(p.y)))
                })
            }
            role="button"
            tabindex="0"
            aria-label=move || pose.with(|p| p.as_ref().map(|p| p.described.clone()))
            on:click=move |_| select()
            on:keydown=move |e| on_enter_or_space(&e, select)
        >
            <g class="body">
                <rect x="-54" y="-16" width="108" height="32" rx="7"></rect>
                <text y="6" text-anchor="middle">{label}</text>
                <text class="note" y="38" text-anchor="middle">
                    {move || pose.with(|p| p.as_ref().map(|p| p.note))}
                </text>
            </g>
        </g>
    }
}
