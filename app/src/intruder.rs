//! The intruder's ledger: what it holds, what it derived, which shares, and how much of the
//! TGK is exposed — as a number of bits and as a grid with one cell per TGK byte.
use std::cell::OnceCell;

use dmikey::sim::IntruderReport;
use dmikey::sim::verdict::{guess_time_sentence, measure_kcv_guesses_per_second};
use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn IntruderPanel() -> impl IntoView {
    let st = expect_context::<AppState>();
    let report = st.model.intruder;
    let part = move |f: fn(&IntruderReport) -> Vec<String>| {
        Signal::derive(move || report.with(|r| r.as_ref().map(f).unwrap_or_default()))
    };
    let holds = part(|r| r.holds.clone());
    let derived = part(|r| {
        let rebuilt = r.tgk_rebuilt.then(|| format!("the TGK (from shares {:?})", r.shares));
        let teks = r.teks.iter().map(|cs| format!("the TEK of crypto session {cs}"));
        rebuilt.into_iter().chain(teks).collect()
    });
    view! {
        <section class="panel intruder" aria-label="Intruder">
            <h2>"Intruder knowledge"</h2>
            <p class="exposure">{move || report.with(|r| exposure(r.as_ref()))}</p>
            <p class="guess">{move || report.with(|r| r.as_ref().and_then(offline_guess))}</p>
            <TgkGrid report=report/>
            <h3>"Holds"</h3>
            <Items class="holds" items=holds none="Nothing secret yet: it sees only the traffic."/>
            <h3>"Derived"</h3>
            <Items class="derived" items=derived none="Nothing derived."/>
        </section>
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

/// A list of sentences, or one item saying there are none.
#[component]
pub fn Items(
    class: &'static str,
    #[prop(into)] items: Signal<Vec<String>>,
    none: &'static str,
) -> impl IntoView {
    view! {
        <ul class=class>
            <For
                each=move || items.get().into_iter().enumerate()
                key=|(i, s)| (*i, s.clone())
                children=|(_, s)| view! { <li>{s}</li> }
            />
            <Show when=move || items.with(|i| i.is_empty())>
                <li class="none">{none}</li>
            </Show>
        </ul>
    }
}
