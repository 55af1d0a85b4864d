//! The intruder's ledger: every fact it holds with how it got it (a chain back to the
//! compromise or the capture), how much of the TGK is exposed — as a number of bits and as a
//! grid with one cell per TGK byte — the search against the public KCV, and the compose form
//! (`compose.rs`) that builds messages from these facts.
use std::cell::OnceCell;

use dmikey::sim::verdict::{guess_time_sentence, measure_kcv_guesses_per_second};
use dmikey::sim::{Command, FactId, FactKind, IntruderReport, Knowledge, MAX_SEARCH_BITS};
use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn IntruderPanel() -> impl IntoView {
    let st = expect_context::<AppState>();
    let report = st.model.intruder;
    let knowledge = Memo::new(move |_| {
        report.with(|r| r.as_ref().map(|r| r.knowledge.clone()).unwrap_or_default())
    });
    view! {
        <section class="panel intruder" aria-label="Intruder">
            <h2>"Intruder knowledge"</h2>
            <p class="exposure">{move || report.with(|r| exposure(r.as_ref()))}</p>
            <p class="guess">{move || report.with(|r| r.as_ref().and_then(offline_guess))}</p>
            <TgkGrid report=report/>
            <KcvSearchLine report=report/>
            <h3 id="intruder-facts">"What it holds, and how it got it"</h3>
            <Facts knowledge=knowledge/>
            <Captured knowledge=knowledge/>
            <crate::compose::Compose knowledge=knowledge/>
            <ForgedCapture/>
        </section>
    }
}

/// The capture as pcapng, each forged packet marked with the comment "forged by the
/// intruder: …" (`Simulation::pcapng`), which Wireshark shows as the packet comment.
#[component]
fn ForgedCapture() -> impl IntoView {
    let st = expect_context::<AppState>();
    view! {
        <p class="forged-capture">
            <button
                type="button"
                title="The packets of the run so far as pcapng: each forged packet carries the comment 'forged by the intruder: …' (Wireshark: frame.comment)"
                on:click=move |_| {
                    if let Some(bytes) = st.pcapng() {
                        crate::controls::save("dmikey.pcapng", "application/x-pcapng", &bytes);
                    }
                }
            >
                "Download pcapng (forgeries marked)"
            </button>
        </p>
    }
}

/// Every fact that is not a captured packet, with the sentence saying how it was obtained;
/// opening one shows its chain ("the TGK ⇐ shares 1, 2, 3 ⇐ PSKs of TP1, TP2, TP3 ⇐ …") and
/// the facts it came from, level by level.
#[component]
fn Facts(knowledge: Memo<Knowledge>) -> impl IntoView {
    let ids = Memo::new(move |_| {
        knowledge.with(|k| {
            k.facts()
                .iter()
                .filter(|f| !matches!(f.kind, FactKind::Captured { .. }))
                .map(|f| f.id)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ul class="facts" aria-labelledby="intruder-facts">
            <For each=move || ids.get() key=|id| *id let:id>
                <FactItem knowledge=knowledge id=id/>
            </For>
            <Show when=move || ids.with(|i| i.is_empty())>
                <li class="none">"Nothing secret yet: it sees only the traffic."</li>
            </Show>
        </ul>
    }
}

/// A fact and, level by level, the facts it was obtained from.
#[derive(Clone, Debug, PartialEq)]
struct Tree {
    sentence: String,
    parents: Vec<Tree>,
}

impl Tree {
    /// The tree of `id` (a chain of a session is a few levels deep; the bound only guards
    /// against a cycle).
    fn of(k: &Knowledge, id: FactId, depth: usize) -> Option<Tree> {
        let f = k.get(id)?;
        let parents = if depth > 8 {
            Vec::new()
        } else {
            f.parents.iter().filter_map(|p| Tree::of(k, *p, depth + 1)).collect()
        };
        Some(Tree { sentence: f.sentence.clone(), parents })
    }
}

/// A fact as a disclosure: its sentence, then (open) its chain and the facts it came from.
/// Drawn from a memo of its own, so a new fact elsewhere does not close it.
#[component]
fn FactItem(knowledge: Memo<Knowledge>, id: FactId) -> impl IntoView {
    let fact = Memo::new(move |_| knowledge.with(|k| Tree::of(k, id, 0).map(|t| (t, k.chain(id)))));
    move || {
        fact.get().map(|(tree, chain)| {
            if tree.parents.is_empty() {
                return view! { <li class="fact">{tree.sentence}</li> }.into_any();
            }
            view! {
                <li class="fact">
                    <details>
                        <summary>{tree.sentence}</summary>
                        <p class="chain">
                            <span class="tag">"Chain: "</span>
                            {chain}
                        </p>
                        {parents_view(tree.parents)}
                    </details>
                </li>
            }
            .into_any()
        })
    }
}

/// The facts a fact came from, each with the ones it came from in turn (nested lists).
fn parents_view(parents: Vec<Tree>) -> AnyView {
    if parents.is_empty() {
        return ().into_any();
    }
    let items = parents
        .into_iter()
        .map(|p| {
            view! {
                <li>
                    <span class="from" aria-hidden="true">"⇐ "</span>
                    {p.sentence}
                    {parents_view(p.parents)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="parents" aria-label="Obtained from">{items}</ul> }.into_any()
}

/// The packets it captured (public), folded away: one line each.
#[component]
fn Captured(knowledge: Memo<Knowledge>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        knowledge.with(|k| {
            k.facts()
                .iter()
                .filter(|f| matches!(f.kind, FactKind::Captured { .. }))
                .map(|f| f.sentence.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <details class="captured">
            <summary>{move || format!("Captured on the wire: {} messages", lines.with(Vec::len))}</summary>
            <ul>
                <For
                    each=move || lines.get().into_iter().enumerate()
                    key=|(i, s)| (*i, s.clone())
                    children=|(_, s)| view! { <li>{s}</li> }
                />
            </ul>
        </details>
    }
}

/// The exhaustive search against the public KCV, once it ran: bits, guesses, found or not
/// (the simulation's numbers), and how long it took in this page when the audience asked
/// for it; and the button that asks for it while TGK bits are still to be guessed.
#[component]
fn KcvSearchLine(report: Memo<Option<IntruderReport>>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let search = Memo::new(move |_| report.with(|r| r.as_ref().and_then(|r| r.kcv_search.clone())));
    let can_ask = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref().is_some_and(|r| {
                !r.tgk_rebuilt
                    && r.kcv_search.is_none()
                    && r.tgk_guess_bits > 0
                    && r.tgk_guess_bits <= MAX_SEARCH_BITS
            })
        })
    });
    let took_ms = RwSignal::new(None::<u64>);
    let run = move |_| {
        let t0 = crate::now_ms();
        crate::mark("dmikey-kcv-search-start");
        st.command(Command::SearchKcv);
        crate::mark("dmikey-kcv-search-end");
        took_ms.set(crate::now_ms().zip(t0).map(|(t1, t0)| (t1 - t0).max(0.0) as u64));
    };
    view! {
        <Show when=move || can_ask.get()>
            <button class="kcv-search" on:click=run>
                {move || {
                    report.with(|r| {
                        let bits = r.as_ref().map_or(0, |r| r.tgk_guess_bits);
                        format!("Search the {bits} missing bits against the public KCV")
                    })
                }}
            </button>
        </Show>
        {move || {
            search.get().map(|s| {
                let found = if s.found { "the TGK found" } else { "no candidate passed" };
                let took = took_ms.get().map(|ms| format!(" in {ms} ms in this page")).unwrap_or_default();
                view! {
                    <p class="kcv-result" role="status" aria-label="KCV search">
                        {format!(
                            "Searched share {}: {} guesses over {} bits against the public KCV{took}: {found}.",
                            s.index, s.guesses, s.bits,
                        )}
                    </p>
                }
            })
        }}
    }
}

/// "TGK bits exposed: 16 of 128", or the warning that the TGK was rebuilt.
fn exposure(r: Option<&IntruderReport>) -> String {
    let (exposed, total, rebuilt) =
        r.map_or((0, 0, false), |r| (r.tgk_bits_exposed, r.tgk_bits_total, r.tgk_rebuilt));
    if rebuilt {
        format!("⚠ TGK rebuilt: all {total} bits exposed")
    } else {
        format!("TGK bits exposed: {exposed} of {total}")
    }
}

thread_local! {
    /// KCV checks per second in this browser, measured once (a 20 ms loop of the very check a
    /// guesser runs: `dmikey::sim::verdict::measure_kcv_guesses_per_second`).
    static GUESS_RATE: OnceCell<f64> = const { OnceCell::new() };
}

/// "32 bits left: 2^32 guesses against the public KCV, about 3 hours on this machine", once
/// the intruder holds at least one share and has not rebuilt the TGK.
fn offline_guess(r: &IntruderReport) -> Option<String> {
    if r.tgk_rebuilt || r.shares.is_empty() {
        return None;
    }
    let rate = GUESS_RATE.with(|c| *c.get_or_init(|| measure_kcv_guesses_per_second(1 << 20, 20)));
    Some(format!("Offline: {}.", guess_time_sentence(r.tgk_guess_bits, rate)))
}

/// One cell per TGK byte: known in clear, or hidden.
#[component]
fn TgkGrid(report: Memo<Option<IntruderReport>>) -> impl IntoView {
    let bytes = Memo::new(move |_| report.with(|r| r.as_ref().map_or(0, |r| r.tgk_bits_total / 8)));
    view! {
        <div class="tgk-grid" role="list" aria-label="TGK bytes known to the intruder">
            <For each=move || 0..bytes.get() key=|i| *i let:i>
                <TgkByte index=i report=report/>
            </For>
        </div>
    }
}

#[component]
fn TgkByte(index: usize, report: Memo<Option<IntruderReport>>) -> impl IntoView {
    let known = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref().is_some_and(|r| r.tgk_rebuilt || r.tgk_bytes_in_clear.contains(&index))
        })
    });
    view! {
        <span
            role="listitem"
            class="cell"
            class:known=known
            aria-label=move || {
                format!("byte {index}: {}", if known.get() { "known in clear" } else { "hidden" })
            }
            title=format!("TGK byte {index}")
        >
            {move || if known.get() { "■" } else { "·" }}
        </span>
    }
}
