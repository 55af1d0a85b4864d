//! The attacker, played by the audience: act on the selected packet (drop, tamper, delay), the
//! selected third party (compromise, make malicious of a chosen kind) or link (down, up), and
//! set the loss rate. Every action is a `Command` to the simulation; what it causes is the
//! simulation's business.
use dmikey::sim::Node;
use dmikey::sim::{Command, Link, LinkState, MaliciousKind, PacketId, Tamper, decode_layout};
use leptos::prelude::*;

use crate::state::{AppState, Selection};

const DELAYS_MS: [u64; 3] = [500, 5_000, 300_000];

#[component]
pub fn Attacker() -> impl IntoView {
    let st = expect_context::<AppState>();
    let target = Memo::new(move |_| st.selection.get());
    // Per cent, rounded half up like the slider's own steps.
    let loss = Memo::new(move |_| {
        st.model.playback.with(|p| p.as_ref().map_or(0, |p| (u32::from(p.loss_permille) + 5) / 10))
    });
    view! {
        <section class="panel attacker" aria-label="Attacker">
            <h2>"Attacker"</h2>
            <div>
                {move || match target.get() {
                    Some(Selection::Packet(id)) => view! { <PacketActions id=id/> }.into_any(),
                    Some(Selection::Node(Node::Tp(tp))) => view! { <TpActions tp=tp/> }.into_any(),
                    Some(Selection::Link(link)) => view! { <LinkActions link=link/> }.into_any(),
                    _ => {
                        view! {
                            <p class="hint">
                                "Click a packet in flight, a third party or a link in the network to attack it."
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
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

/// The fields of a message, from the decoder, to choose what to tamper with: (offset, name).
fn fields(bytes: &[u8]) -> Vec<(usize, String)> {
    decode_layout(bytes)
        .map(|l| {
            l.iter()
                .flat_map(|pl| {
                    pl.fields
                        .iter()
                        .map(move |f| (f.range.start, format!("{} · {}", pl.name, f.label)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Drop, tamper with or delay a packet in flight.
#[component]
fn PacketActions(id: PacketId) -> impl IntoView {
    let st = expect_context::<AppState>();
    // The heading and whether it is still in flight: the actions are drawn again only when
    // these change (not when a tampering changes its bytes, so the focus stays put).
    let head = Memo::new(move |_| {
        st.model.packets.with(|ps| {
            let p = ps.get(id).filter(|p| p.id == id)?;
            let title = format!("{} · {} → {}", p.label, p.from.label(), p.to.label());
            Some((title, p.label.clone(), p.in_flight()))
        })
    });
    move || {
        head.get().map(|(title, label, in_flight)| {
            if in_flight {
                view! {
                    <p class="selected">{title}</p>
                    <InFlightActions id=id label=label/>
                }
                .into_any()
            } else {
                view! {
                    <p class="selected">{title}</p>
                    <p class="hint">
                        "This message is no longer in flight. Replay it from the event list."
                    </p>
                }
                .into_any()
            }
        })
    }
}

#[component]
fn InFlightActions(id: PacketId, label: String) -> impl IntoView {
    let st = expect_context::<AppState>();
    let fields = Memo::new(move |_| {
        st.model.packets.with(|ps| ps.get(id).map(|p| fields(&p.bytes)).unwrap_or_default())
    });
    // The message's last field by default.
    let chosen = RwSignal::new(None::<usize>);
    let field =
        move || chosen.get().or_else(|| fields.with(|f| f.last().map(|f| f.0))).unwrap_or(0);
    let delay = RwSignal::new(DELAYS_MS[0]);
    let tamper = move |_| {
        let how = Tamper::FlipByte { offset: field(), mask: 0x01 };
        st.command(Command::Tamper { packet: id, how });
    };
    view! {
        <div class="actions">
            <button
                aria-label=format!("Drop {label}")
                on:click=move |_| st.command(Command::Drop { packet: id })
            >
                <span aria-hidden="true">"✖ "</span>
                "Drop"
            </button>
            <span class="combo">
                <button aria-label=format!("Tamper with {label}") on:click=tamper>
                    <span aria-hidden="true">"✎ "</span>
                    "Tamper"
                </button>
                <select
                    aria-label="Field to tamper with (one bit is flipped in its first byte)"
                    on:change=move |e| {
                        if let Ok(v) = event_target_value(&e).parse() {
                            chosen.set(Some(v));
                        }
                    }
                >
                    <For
                        each=move || fields.get()
                        key=|f| f.clone()
                        children=move |(offset, name)| {
                            view! {
                                <option value=offset.to_string() selected=move || field() == offset>
                                    {name}
                                </option>
                            }
                        }
                    />
                </select>
            </span>
            <span class="combo">
                <button
                    aria-label=format!("Delay {label}")
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
                        .map(|&ms| {
                            view! {
                                <option value=ms.to_string() selected=move || delay.get() == ms>
                                    {human_ms(ms)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
        </div>
    }
}

/// Compromise a third party, or make it malicious in one of the protocol's ways.
#[component]
fn TpActions(tp: u8) -> impl IntoView {
    let st = expect_context::<AppState>();
    let flags = Memo::new(move |_| {
        st.model.nodes.with(|ns| {
            ns.iter()
                .find(|n| n.node == Node::Tp(tp))
                .map_or((false, false), |n| (n.compromised, n.malicious))
        })
    });
    let kind = RwSignal::new(MaliciousKind::ALL[0]);
    view! {
        <p class="selected">{format!("TP{tp}, third party {tp}")}</p>
        <div class="actions">
            <button
                disabled=move || flags.get().0
                on:click=move |_| st.command(Command::Compromise { tp })
            >
                <span aria-hidden="true">"☠ "</span>
                {format!("Compromise TP{tp}")}
            </button>
            <span class="combo">
                <button
                    disabled=move || flags.get().1
                    on:click=move |_| st.command(Command::MakeMalicious { tp, kind: kind.get_untracked() })
                >
                    <span aria-hidden="true">"⚡ "</span>
                    {format!("Make TP{tp} malicious")}
                </button>
                <select
                    aria-label="How the malicious third party lies"
                    aria-describedby="malicious-kind"
                    disabled=move || flags.get().1
                    on:change=move |e| {
                        let chosen = event_target_value(&e);
                        if let Some(k) = MaliciousKind::from_cli_name(&chosen) {
                            kind.set(k);
                        }
                    }
                >
                    {MaliciousKind::ALL
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k.cli_name() selected=move || kind.get() == k>
                                    {k.name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
            <p class="hint" id="malicious-kind">
                {move || format!("It {}.", kind.get().description())}
            </p>
        </div>
    }
}

/// Take a link down or bring it back up.
#[component]
fn LinkActions(link: Link) -> impl IntoView {
    let st = expect_context::<AppState>();
    let down = Memo::new(move |_| {
        st.model.links.with(|ls| ls.iter().any(|l| l.link == link && l.state == LinkState::Down))
    });
    let name = link.describe();
    view! {
        <p class="selected">{format!("Link {name}")}</p>
        <div class="actions">
            <button disabled=move || down.get() on:click=move |_| st.command(Command::LinkDown(link))>
                <span aria-hidden="true">"✖ "</span>
                {format!("Take link {name} down")}
            </button>
            <button disabled=move || !down.get() on:click=move |_| st.command(Command::LinkUp(link))>
                <span aria-hidden="true">"✔ "</span>
                {format!("Bring link {name} up")}
            </button>
        </div>
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
