//! The attacker, played by the audience: act on the selected packet (drop, tamper, delay), the
//! selected third party (compromise, make malicious) or link (down, up), and set the loss rate.
//! Every action is a `Command` to the simulation; what it causes is the simulation's business.
use leptos::prelude::*;

use crate::bridge::{Command, Fate, Node, Packet, PacketId, SimLink, Tamper, decode_layout};
use crate::html::{act, esc, fill};
use crate::state::{AppState, Selection};

const DELAYS_MS: [u64; 3] = [500, 5_000, 300_000];

#[component]
pub fn Attacker() -> impl IntoView {
    let st = expect_context::<AppState>();
    // The field to tamper with and the delay, as chosen for one packet.
    let field = RwSignal::new(None::<(PacketId, usize)>);
    let delay = RwSignal::new(None::<(PacketId, u64)>);
    let node = NodeRef::new();
    fill(node, move || {
        let sel = st.selection.get();
        st.frame.with(|f| match sel {
            Some(Selection::Packet(id)) => f
                .capture
                .iter()
                .find(|p| p.id == id)
                .map(|p| {
                    let chosen = field.get().filter(|c| c.0 == id).map(|c| c.1);
                    let delay = delay.get().filter(|c| c.0 == id).map_or(DELAYS_MS[0], |c| c.1);
                    packet_actions(p, chosen, delay)
                })
                .unwrap_or_default(),
            Some(Selection::Node(Node::Tp(i))) => format!(
                "<p class=\"selected\">TP{i}, third party {i}</p><div class=\"actions\">\
                 <button{} data-act=\"comp\">☠ Compromise TP{i}</button>\
                 <button{} data-act=\"mal\">⚡ Make TP{i} malicious</button></div>",
                disabled(f.compromised.contains(&i)),
                disabled(f.malicious.contains(&i)),
            ),
            Some(Selection::Link(a, b)) => {
                let down = f.links.iter().any(|l| l.link.a == a && l.link.b == b && l.down);
                let name = format!("{}–{}", a.label(), b.label());
                format!(
                    "<p class=\"selected\">Link {name}</p><div class=\"actions\">\
                     <button{} data-act=\"down\">✖ Take link {name} down</button>\
                     <button{} data-act=\"up\">✔ Bring link {name} up</button></div>",
                    disabled(down),
                    disabled(!down),
                )
            }
            _ => "<p class=\"hint\">Click a packet in flight, a third party or a link in the network to attack it.</p>".into(),
        })
    });
    // One handler for the buttons and one for the drop-downs (see `html.rs`).
    let on_click = move |e: leptos::ev::MouseEvent| {
        let Some(a) = act(&e) else { return };
        let cmd = match (st.selection.get_untracked(), a.as_str()) {
            (Some(Selection::Packet(packet)), "drop") => Command::Drop { packet },
            (Some(Selection::Packet(packet)), "tamper") => {
                let chosen = field.get_untracked().filter(|c| c.0 == packet).map(|c| c.1);
                let offset = chosen.or_else(|| last_field(st, packet)).unwrap_or(0);
                Command::Tamper { packet, how: Tamper::FlipByte { offset, mask: 0x01 } }
            }
            (Some(Selection::Packet(packet)), "delay") => {
                let ms =
                    delay.get_untracked().filter(|c| c.0 == packet).map_or(DELAYS_MS[0], |c| c.1);
                Command::Delay { packet, ms }
            }
            (Some(Selection::Node(Node::Tp(tp))), "comp") => Command::Compromise { tp },
            (Some(Selection::Node(Node::Tp(tp))), "mal") => {
                Command::MakeMalicious { tp, kind: dmikey::sim::MaliciousKind::WrongShare }
            }
            (Some(Selection::Link(a, b)), "down") => Command::LinkDown(SimLink::new(a, b)),
            (Some(Selection::Link(a, b)), "up") => Command::LinkUp(SimLink::new(a, b)),
            _ => return,
        };
        st.command(cmd);
    };
    let on_change = move |e: leptos::ev::Event| {
        let (Some(a), Some(Selection::Packet(id))) = (act(&e), st.selection.get_untracked()) else {
            return;
        };
        let Ok(v) = event_target_value(&e).parse::<u64>() else { return };
        match a.as_str() {
            "field" => field.set(Some((id, v as usize))),
            "delay-by" => delay.set(Some((id, v))),
            _ => {}
        }
    };
    // Per cent, rounded half up like the slider's own steps.
    let loss = Memo::new(move |_| st.frame.with(|f| (u32::from(f.loss_permille) + 5) / 10));
    view! {
        <section class="panel attacker" aria-label="Attacker">
            <h2>"Attacker"</h2>
            <div node_ref=node on:click=on_click on:change=on_change></div>
            <label class="loss">
                {move || format!("Loss rate on every link: {} %", loss.get())}
                <input
                    type="range"
                    min="0"
                    max="100"
                    step="5"
                    prop:value=move || loss.get().to_string()
                    on:change=move |e| {
                        if let Ok(v) = event_target_value(&e).parse::<u16>() {
                            st.command(Command::SetLossRate { permille: v.saturating_mul(10) });
                        }
                    }
                />
            </label>
            <p class="notice" role="alert">{move || st.notice.get()}</p>
        </section>
    }
}

fn disabled(yes: bool) -> &'static str {
    if yes { " disabled" } else { "" }
}

/// The fields of a message, from the decoder, to choose what to tamper with: (offset, name).
fn fields(bytes: &[u8]) -> Vec<(usize, String)> {
    decode_layout(bytes)
        .map(|l| {
            l.iter()
                .flat_map(|pl| {
                    pl.fields
                        .iter()
                        .map(move |fs| (fs.range.start, format!("{} · {}", pl.kind, fs.label)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The default field to tamper with: the message's last.
fn last_field(st: AppState, id: PacketId) -> Option<usize> {
    st.frame.with_untracked(|f| {
        fields(&f.capture.iter().find(|p| p.id == id)?.bytes).last().map(|x| x.0)
    })
}

/// The actions on a packet, as markup (see `html.rs`).
fn packet_actions(p: &Packet, chosen: Option<usize>, delay: u64) -> String {
    let title = esc(&format!("{} · {} → {}", p.label, p.from.label(), p.to.label()));
    if p.fate != Fate::InFlight {
        return format!(
            "<p class=\"selected\">{title}</p><p class=\"hint\">This message is no longer in flight. Replay it from the event list.</p>"
        );
    }
    let fields = fields(&p.bytes);
    let chosen = chosen.or_else(|| fields.last().map(|x| x.0)).unwrap_or(0);
    let option = |v: u64, name: &str, on: bool| {
        format!("<option value=\"{v}\"{}>{}</option>", if on { " selected" } else { "" }, esc(name))
    };
    let field_options: String =
        fields.iter().map(|(o, name)| option(*o as u64, name, *o == chosen)).collect();
    let delay_options: String =
        DELAYS_MS.iter().map(|ms| option(*ms, &human_ms(*ms), *ms == delay)).collect();
    let label = esc(&p.label);
    format!(
        "<p class=\"selected\">{title}</p><div class=\"actions\">\
         <button aria-label=\"Drop {label}\" data-act=\"drop\">✖ Drop</button>\
         <span class=\"combo\"><button aria-label=\"Tamper with {label}\" data-act=\"tamper\">✎ Tamper</button>\
         <select aria-label=\"Field to tamper with (one bit is flipped in its first byte)\" data-act=\"field\">{field_options}</select></span>\
         <span class=\"combo\"><button aria-label=\"Delay {label}\" data-act=\"delay\">Delay</button>\
         <select aria-label=\"Delay by\" data-act=\"delay-by\">{delay_options}</select></span></div>"
    )
}

fn human_ms(ms: u64) -> String {
    if ms >= 60_000 {
        format!("{} min", ms / 60_000)
    } else if ms >= 1000 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}
