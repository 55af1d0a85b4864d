//! The topology: the sensor I, the third parties, the responder R and the CA, with the
//! constrained pre-shared-key segment (I–TPi, dashed, warm) drawn apart from the public-key
//! segment (TPi–R, solid, cool). Packets travel along the links; a dropped one falls, a
//! rejected one stops at its receiver with the reason. Click a packet, a TP or a link to
//! attack it (see `attacker.rs`).
use leptos::prelude::*;

use crate::bridge::{EventKind, Fate, Node, PacketId, Segment};
use crate::html::{act, esc, fill, index};
use crate::state::{AppState, Frame, Selection};

pub const W: f64 = 1000.0;
pub const H: f64 = 430.0;

/// Where each node sits (a short list: a map type would add its hashing code to the wasm).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout(Vec<(Node, (f64, f64))>);

impl Layout {
    pub fn get(&self, n: &Node) -> Option<&(f64, f64)> {
        self.0.iter().find(|(m, _)| m == n).map(|(_, p)| p)
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

/// An SVG coordinate in words, to a tenth of a unit (far below a pixel), by integer
/// arithmetic: `f64`'s `Display` would add ~10 KB of float formatting to the wasm.
pub fn num(v: f64) -> String {
    let tenths = (v * 10.0 + 0.5).floor() as i64;
    let (sign, t) = if tenths < 0 { ("-", tenths.unsigned_abs()) } else { ("", tenths as u64) };
    match t % 10 {
        0 => format!("{sign}{}", t / 10),
        d => format!("{sign}{}.{d}", t / 10),
    }
}

fn tp_radius(nodes: &[Node]) -> f64 {
    let count = nodes.iter().filter(|n| matches!(n, Node::Tp(_))).count().max(1) as f64;
    ((H - 90.0) / count / 2.3).clamp(12.0, 32.0)
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

/// Where a packet is drawn at this frame, and how; `None` once it is history.
#[derive(Clone, PartialEq)]
struct PacketPose {
    x: f64,
    y: f64,
    class: &'static str,
    label: String,
    note: String,
    described: String,
}

fn pose(f: &Frame, pos: &Layout, id: PacketId) -> Option<PacketPose> {
    let p = f.capture.iter().find(|p| p.id == id)?;
    let (a, b) = (pos.get(&p.from)?, pos.get(&p.to)?);
    let at = |t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
    let route = format!("{} from {} to {}", p.label, p.from.label(), p.to.label());
    let (t, class, note, described) = match (&p.fate, f.ended_now(id)) {
        (_, Some(e)) if e.kind == EventKind::Delivered => {
            (1.0, "packet arrived", "✔".to_string(), format!("{route}, delivered"))
        }
        (_, Some(e)) if e.kind == EventKind::Dropped => {
            (0.5, "packet falling", "✖ dropped".into(), format!("{route}, dropped: {}", e.text))
        }
        (_, Some(e)) => {
            (0.93, "packet rejected", "✖ rejected".into(), format!("{route}, rejected: {}", e.text))
        }
        (Fate::InFlight, None) => {
            let span = p.arrives_at.saturating_sub(p.sent_at).max(1) as f64;
            let t = (f.now_ms.saturating_sub(p.sent_at) as f64 / span).clamp(0.15, 0.85);
            (t, "packet inflight", String::new(), format!("{route}, in flight; select to attack"))
        }
        _ => return None,
    };
    let (x, y) = at(t);
    let label = if p.replayed {
        format!("{} ↻", p.label.trim_end_matches(" (replay)"))
    } else {
        p.label.clone()
    };
    Some(PacketPose { x, y, class, label, note, described })
}

#[component]
pub fn Topology() -> impl IntoView {
    let st = expect_context::<AppState>();
    let nodes = Memo::new(move |_| st.frame.with(|f| f.nodes.clone()));
    let positions = Memo::new(move |_| layout(&nodes.get()));
    let has_tps = Memo::new(move |_| nodes.get().iter().any(|n| matches!(n, Node::Tp(_))));

    let links_ref = NodeRef::new();
    fill(links_ref, move || {
        let pos = positions.get();
        let sel = st.selection.get();
        st.frame.with(|f| {
            f.links
                .iter()
                .enumerate()
                .filter_map(|(k, lv)| {
                    let (a, b) = (*pos.get(&lv.link.a)?, *pos.get(&lv.link.b)?);
                    let (na, nb) = (lv.link.a, lv.link.b);
                    let (seg, key) = match lv.link.segment {
                        Segment::Constrained => ("constrained", "pre-shared key"),
                        Segment::Unconstrained => ("unconstrained", "public key"),
                    };
                    let down = if lv.down { " down" } else { "" };
                    let selected = if sel == Some(Selection::Link(na, nb)) { " selected" } else { "" };
                    let name = format!(
                        "link {}–{} ({key} segment){}",
                        na.label(),
                        nb.label(),
                        if lv.down { ", down" } else { "" }
                    );
                    let (x1, y1, x2, y2) = (num(a.0), num(a.1), num(b.0), num(b.1));
                    let cut = if lv.down {
                        format!(
                            "<text class=\"cut\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">✖ down</text>",
                            num((a.0 + b.0) / 2.0),
                            num((a.1 + b.1) / 2.0 + 5.0)
                        )
                    } else {
                        String::new()
                    };
                    Some(format!(
                        "<g class=\"link {seg}{down}{selected}\" role=\"button\" tabindex=\"0\" aria-label=\"{}\" data-act=\"l{k}\">\
                         <line class=\"hit\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"></line>\
                         <line class=\"wire\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"></line>{cut}</g>",
                        esc(&name)
                    ))
                })
                .collect::<String>()
        })
    });

    let nodes_ref = NodeRef::new();
    fill(nodes_ref, move || {
        let pos = positions.get();
        let sel = st.selection.get();
        let nodes = nodes.get();
        let r_tp = tp_radius(&nodes);
        st.frame.with(|f| {
            nodes
                .iter()
                .enumerate()
                .filter_map(|(k, &n)| {
                    let (x, y) = *pos.get(&n)?;
                    let tp = matches!(n, Node::Tp(_));
                    let r = if tp { r_tp } else { 40.0 };
                    let (kind, caption) = match n {
                        Node::Sensor => ("sensor", "sensor"),
                        Node::Responder => ("responder", "server"),
                        Node::Ca => ("ca", "cert. authority"),
                        Node::Tp(_) => ("tp", ""),
                        Node::Intruder => ("intruder", ""),
                    };
                    let (is_comp, is_mal) = match n {
                        Node::Tp(i) => (f.compromised.contains(&i), f.malicious.contains(&i)),
                        _ => (false, false),
                    };
                    let mut name = describe(n);
                    let mut class = format!("node {kind}");
                    if is_comp {
                        name.push_str(", compromised");
                        class.push_str(" compromised");
                    }
                    if is_mal {
                        name.push_str(", malicious");
                        class.push_str(" malicious");
                    }
                    if sel == Some(Selection::Node(n)) {
                        class.push_str(" selected");
                    }
                    let badge = match (is_comp, is_mal) {
                        (true, true) => "☠ compromised · malicious",
                        (true, false) => "☠ compromised",
                        (false, true) => "⚡ malicious",
                        _ => "",
                    };
                    let (bx, by, anchor) =
                        if tp { (x + r + 6.0, y + 7.0, "start") } else { (x, y + r + 44.0, "middle") };
                    let (cx, cy) = (num(x), num(y));
                    Some(format!(
                        "<g class=\"{class}\" role=\"button\" tabindex=\"0\" aria-label=\"{}\" data-act=\"n{k}\">\
                         <circle cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"></circle>\
                         <text class=\"name\" x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
                         <text class=\"caption\" x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{caption}</text>\
                         <text class=\"badge\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{badge}</text></g>",
                        esc(&name),
                        num(r),
                        num(y + 8.0),
                        esc(&n.label()),
                        num(y + r + 22.0),
                        num(bx),
                        num(by),
                    ))
                })
                .collect::<String>()
        })
    });

    // One handler for every node and link (see `html.rs`).
    let on_act = move |e: web_sys::Event| {
        let Some(a) = act(&e) else { return };
        let chosen = st.frame.with_untracked(|f| {
            if let Some(k) = index(&a, 'n') {
                f.nodes.get(k).map(|n| Selection::Node(*n))
            } else {
                let l = f.links.get(index(&a, 'l')?)?;
                Some(Selection::Link(l.link.a, l.link.b))
            }
        });
        if chosen.is_some() {
            st.selection.set(chosen);
        }
    };

    let packet_ids = move || {
        let pos = positions.get();
        st.frame.with(|f| {
            f.capture
                .iter()
                .filter(|p| pose(f, &pos, p.id).is_some())
                .map(|p| p.id)
                .collect::<Vec<_>>()
        })
    };

    view! {
        <figure class="topology">
            <svg
                viewBox=format!("0 0 {} {}", num(W), num(H))
                role="group"
                aria-label="Network: sensor, third parties, server and certificate authority"
                on:click=move |e| on_act(e.into())
                on:keydown=move |e| on_act(e.into())
            >
                <Show when=move || has_tps.get()>
                    <rect class="zone constrained" x="20" y="12" width="470" height=num(H - 24.0) rx="14"></rect>
                    <rect class="zone unconstrained" x="510" y="12" width="470" height=num(H - 24.0) rx="14"></rect>
                    <text class="zone-label" x="36" y=num(H - 24.0)>"constrained: pre-shared key (MIKEY-PSK)"</text>
                    <text class="zone-label" x="964" y=num(H - 24.0) text-anchor="end">"public key (MIKEY-PK, RSA)"</text>
                </Show>
                <g class="links" node_ref=links_ref></g>
                <g class="nodes" node_ref=nodes_ref></g>
                <g class="packets">
                    <For each=packet_ids key=|id| *id let:id>
                        <Packet id=id positions=positions/>
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

#[component]
fn Packet(id: PacketId, positions: Memo<Layout>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let pose = Memo::new(move |_| {
        let pos = positions.get();
        st.frame.with(|f| pose(f, &pos, id))
    });
    let get = move || pose.get();
    let select = move || {
        if get().is_some_and(|p| p.class == "packet inflight") {
            st.selection.set(Some(Selection::Packet(id)));
        }
    };
    view! {
        <g
            class=move || get().map(|p| p.class).unwrap_or("packet")
            class:selected=move || st.selection.get() == Some(Selection::Packet(id))
            style=move || get().map(|p| format!("transform: translate({}px, {}px)", num(p.x), num(p.y))).unwrap_or_default()
            role="button"
            tabindex="0"
            aria-label=move || get().map(|p| p.described).unwrap_or_default()
            on:click=move |_| select()
            on:keydown=move |e| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    select();
                }
            }
        >
            <g class="body">
                <rect x="-54" y="-16" width="108" height="32" rx="7"></rect>
                <text y="6" text-anchor="middle">{move || get().map(|p| p.label).unwrap_or_default()}</text>
                <text class="note" y="38" text-anchor="middle">{move || get().map(|p| p.note).unwrap_or_default()}</text>
            </g>
        </g>
    }
}
