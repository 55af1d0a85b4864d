//! The intruder's ledger: what it holds, what it derived, which shares, and how much of the
//! TGK is exposed — as a number of bits and as a grid with one cell per TGK byte.
use leptos::prelude::*;

use crate::bridge::IntruderReport;
use crate::state::AppState;

/// Before the run starts: the intruder holds nothing.
fn empty_report() -> IntruderReport {
    IntruderReport {
        holds: vec![],
        shares: vec![],
        tgk_bits_exposed: 0,
        tgk_bits_total: 0,
        tgk_bytes_in_clear: vec![],
        tgk_rebuilt: false,
        tgk_correct: None,
        teks: vec![],
        compromised: vec![],
        packets_seen: 0,
    }
}

#[component]
pub fn IntruderPanel() -> impl IntoView {
    let st = expect_context::<AppState>();
    let rep = Memo::new(move |_| st.frame.with(|f| f.intruder.clone()));
    let rep = Memo::new(move |_| rep.get().unwrap_or_else(empty_report));
    view! {
        <section class="panel intruder" aria-label="Intruder">
            <h2>"Intruder knowledge"</h2>
            <p class="exposure">
                {move || rep.with(|r| {
                    let total = r.tgk_bits_total;
                    if r.tgk_rebuilt {
                        format!("⚠ TGK rebuilt: all {total} bits exposed")
                    } else {
                        format!("TGK bits exposed: {} of {total}", r.tgk_bits_exposed)
                    }
                })}
            </p>
            <div class="tgk-grid" role="list" aria-label="TGK bytes known to the intruder">
                {move || rep.with(|r| {
                    (0..r.tgk_bits_total / 8)
                        .map(|i| {
                            let known = r.tgk_rebuilt || r.tgk_bytes_in_clear.contains(&i);
                            view! {
                                <span
                                    role="listitem"
                                    class="cell"
                                    class:known=known
                                    aria-label=format!("byte {i}: {}", if known { "known in clear" } else { "hidden" })
                                    title=format!("TGK byte {i}")
                                >
                                    {if known { "■" } else { "·" }}
                                </span>
                            }
                        })
                        .collect_view()
                })}
            </div>
            <h3>"Holds"</h3>
            <ul class="holds">
                {move || rep.with(|r| {
                    if r.holds.is_empty() {
                        view! { <li class="none">"Nothing secret yet: it sees only the traffic."</li> }.into_any()
                    } else {
                        r.holds.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view().into_any()
                    }
                })}
            </ul>
            <h3>"Derived"</h3>
            <ul class="derived">
                {move || rep.with(|r| {
                    let mut derived: Vec<String> = vec![];
                    if r.tgk_rebuilt {
                        derived.push(format!("the TGK (from shares {:?})", r.shares));
                    }
                    derived.extend(r.teks.iter().map(|cs| format!("the TEK of crypto session {cs}")));
                    if derived.is_empty() {
                        view! { <li class="none">"Nothing derived."</li> }.into_any()
                    } else {
                        derived.into_iter().map(|h| view! { <li>{h}</li> }).collect_view().into_any()
                    }
                })}
            </ul>
        </section>
    }
}
