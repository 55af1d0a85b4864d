//! The attacker, played by the audience: act on the selected packet (drop, tamper, delay), the
//! selected third party (compromise, make malicious) or link (down, up), and set the loss rate.
//! Every action is a `Command` to the simulation; what it causes is the simulation's business.
use leptos::prelude::*;

use crate::bridge::{Command, Fate, Node, PacketId, SimLink, Tamper, decode_layout};
use crate::state::{AppState, Selection};

const DELAYS_MS: [u64; 3] = [500, 5_000, 300_000];

#[component]
pub fn Attacker() -> impl IntoView {
    let st = expect_context::<AppState>();
    let body = move || {
        match st.selection.get() {
        Some(Selection::Packet(id)) => view! { <PacketActions id=id/> }.into_any(),
        Some(Selection::Node(Node::Tp(i))) => view! { <TpActions i=i/> }.into_any(),
        Some(Selection::Link(a, b)) => view! { <LinkActions a=a b=b/> }.into_any(),
        _ => view! {
            <p class="hint">"Click a packet in flight, a third party or a link in the network to attack it."</p>
        }
        .into_any(),
    }
    };
    // Per cent, rounded half up like the slider's own steps.
    let loss = Memo::new(move |_| st.frame.with(|f| (u32::from(f.loss_permille) + 5) / 10));
    view! {
        <section class="panel attacker" aria-label="Attacker">
            <h2>"Attacker"</h2>
            {body}
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

#[component]
fn PacketActions(id: PacketId) -> impl IntoView {
    let st = expect_context::<AppState>();
    let packet =
        Memo::new(move |_| st.frame.with(|f| f.capture.iter().find(|p| p.id == id).cloned()));
    // Fields of the message, from the decoder, to choose what to tamper with.
    let fields = Memo::new(move |_| {
        packet.with(|p| {
            p.as_ref()
                .and_then(|p| decode_layout(&p.bytes).ok())
                .map(|l| {
                    l.iter()
                        .flat_map(|pl| {
                            pl.fields.iter().map(move |fs| {
                                (fs.range.start, format!("{} · {}", pl.kind, fs.label))
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let offset = RwSignal::new(None::<usize>);
    let chosen =
        move || offset.get().or_else(|| fields.with(|f| f.last().map(|x| x.0))).unwrap_or(0);
    let delay = RwSignal::new(DELAYS_MS[0]);
    move || {
        let Some(p) = packet.get() else { return ().into_any() };
        let title = format!("{} · {} → {}", p.label, p.from.label(), p.to.label());
        if p.fate != Fate::InFlight {
            return view! {
                <p class="selected">{title}</p>
                <p class="hint">"This message is no longer in flight. Replay it from the event list."</p>
            }
            .into_any();
        }
        let label = p.label.clone();
        let (l1, l2, l3) = (label.clone(), label.clone(), label);
        view! {
            <p class="selected">{title}</p>
            <div class="actions">
                <button on:click=move |_| st.command(Command::Drop { packet: id }) aria-label=format!("Drop {l1}")>
                    "✖ Drop"
                </button>
                <span class="combo">
                    <button
                        aria-label=format!("Tamper with {l2}")
                        on:click=move |_| st.command(Command::Tamper {
                            packet: id,
                            how: Tamper::FlipByte { offset: chosen(), mask: 0x01 },
                        })
                    >
                        "✎ Tamper"
                    </button>
                    <select
                        aria-label="Field to tamper with (one bit is flipped in its first byte)"
                        on:change=move |e| offset.set(event_target_value(&e).parse().ok())
                    >
                        {move || {
                            let c = chosen();
                            fields
                                .get()
                                .into_iter()
                                .map(|(o, name)| view! { <option value=o.to_string() selected=o == c>{name}</option> })
                                .collect_view()
                        }}
                    </select>
                </span>
                <span class="combo">
                    <button
                        aria-label=format!("Delay {l3}")
                        on:click=move |_| st.command(Command::Delay { packet: id, ms: delay.get_untracked() })
                    >
                        "Delay"
                    </button>
                    <select
                        aria-label="Delay by"
                        on:change=move |e| {
                            if let Ok(v) = event_target_value(&e).parse() {
                                delay.set(v);
                            }
                        }
                    >
                        {DELAYS_MS
                            .iter()
                            .map(|ms| view! { <option value=ms.to_string()>{human_ms(*ms)}</option> })
                            .collect_view()}
                    </select>
                </span>
            </div>
        }
        .into_any()
    }
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

#[component]
fn TpActions(i: u8) -> impl IntoView {
    let st = expect_context::<AppState>();
    let comp = Memo::new(move |_| st.frame.with(|f| f.compromised.contains(&i)));
    let mal = Memo::new(move |_| st.frame.with(|f| f.malicious.contains(&i)));
    view! {
        <p class="selected">{format!("TP{i}, third party {i}")}</p>
        <div class="actions">
            <button disabled=move || comp.get() on:click=move |_| st.command(Command::Compromise { tp: i })>
                {format!("☠ Compromise TP{i}")}
            </button>
            <button disabled=move || mal.get() on:click=move |_| st.command(Command::MakeMalicious { tp: i })>
                {format!("⚡ Make TP{i} malicious")}
            </button>
        </div>
    }
}

#[component]
fn LinkActions(a: Node, b: Node) -> impl IntoView {
    let st = expect_context::<AppState>();
    let down = Memo::new(move |_| {
        st.frame.with(|f| f.links.iter().any(|l| l.link.a == a && l.link.b == b && l.down))
    });
    let name = format!("{}–{}", a.label(), b.label());
    let (n1, n2) = (name.clone(), name.clone());
    view! {
        <p class="selected">{format!("Link {name}")}</p>
        <div class="actions">
            <button disabled=move || down.get() on:click=move |_| st.command(Command::LinkDown(SimLink::new(a, b)))>
                {format!("✖ Take link {n1} down")}
            </button>
            <button disabled=move || !down.get() on:click=move |_| st.command(Command::LinkUp(SimLink::new(a, b)))>
                {format!("✔ Bring link {n2} up")}
            </button>
        </div>
    }
}
