//! The intruder's ledger: what it holds, what it derived, which shares, and how much of the
//! TGK is exposed — as a number of bits and as a grid with one cell per TGK byte.
use leptos::prelude::*;

use crate::bridge::IntruderReport;
use crate::html::{esc, fill};
use crate::state::AppState;

/// Before the run starts: the intruder holds nothing.
fn empty_report() -> IntruderReport {
    IntruderReport {
        holds: vec![],
        shares: vec![],
        tgk_bits_exposed: 0,
        tgk_bits_total: 0,
        tgk_guess_bits: 0,
        tgk_bytes_in_clear: vec![],
        tgk_rebuilt: false,
        tgk_correct: None,
        teks: vec![],
        compromised: vec![],
        packets_seen: 0,
    }
}

/// The panel's contents, as markup (see `html.rs`).
fn markup(r: &IntruderReport) -> String {
    let total = r.tgk_bits_total;
    let mut h = String::from("<h2>Intruder knowledge</h2><p class=\"exposure\">");
    if r.tgk_rebuilt {
        h += &format!("⚠ TGK rebuilt: all {total} bits exposed");
    } else {
        h += &format!("TGK bits exposed: {} of {total}", r.tgk_bits_exposed);
    }
    h +=
        "</p><div class=\"tgk-grid\" role=\"list\" aria-label=\"TGK bytes known to the intruder\">";
    for i in 0..total / 8 {
        let known = r.tgk_rebuilt || r.tgk_bytes_in_clear.contains(&i);
        let (class, word, mark) =
            if known { ("cell known", "known in clear", "■") } else { ("cell", "hidden", "·") };
        h += &format!(
            "<span role=\"listitem\" class=\"{class}\" aria-label=\"byte {i}: {word}\" title=\"TGK byte {i}\">{mark}</span>"
        );
    }
    h += "</div><h3>Holds</h3><ul class=\"holds\">";
    h += &items(r.holds.iter().map(|s| esc(s)), "Nothing secret yet: it sees only the traffic.");
    h += "</ul><h3>Derived</h3><ul class=\"derived\">";
    let rebuilt = r.tgk_rebuilt.then(|| format!("the TGK (from shares {:?})", r.shares));
    let teks = r.teks.iter().map(|cs| format!("the TEK of crypto session {cs}"));
    h += &items(rebuilt.into_iter().chain(teks), "Nothing derived.");
    h += "</ul>";
    h
}

/// `<li>` items, or one `<li class="none">` saying there are none.
pub fn items(list: impl Iterator<Item = String>, none: &str) -> String {
    let h: String = list.map(|s| format!("<li>{s}</li>")).collect();
    if h.is_empty() { format!("<li class=\"none\">{none}</li>") } else { h }
}

#[component]
pub fn IntruderPanel() -> impl IntoView {
    let st = expect_context::<AppState>();
    let node = NodeRef::new();
    fill(node, move || {
        st.frame.with(|f| match &f.intruder {
            Some(r) => markup(r),
            None => markup(&empty_report()),
        })
    });
    view! { <section class="panel intruder" aria-label="Intruder" node_ref=node></section> }
}
