//! The verdict, always on screen: the simulation's own sentence with an icon and a word for
//! its kind, so it never depends on colour alone.
use leptos::prelude::*;

use crate::bridge::VerdictKind;
use crate::state::AppState;

/// Icon and word shown before the sentence.
fn badge(kind: VerdictKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        VerdictKind::Pending => ("⏳", "In progress", "pending"),
        VerdictKind::Success => ("✔", "Success", "success"),
        VerdictKind::Failed => ("✖", "Failed", "failed"),
        VerdictKind::Exposed => ("⚠", "TGK exposed", "exposed"),
    }
}

#[component]
pub fn VerdictBanner() -> impl IntoView {
    let st = expect_context::<AppState>();
    let kind = Memo::new(move |_| st.frame.with(|f| f.verdict.kind));
    view! {
        <div
            class=move || format!("verdict {}", badge(kind.get()).2)
            role="status"
            aria-label="Verdict"
        >
            <span class="icon" aria-hidden="true">{move || badge(kind.get()).0}</span>
            <strong class="kind">{move || badge(kind.get()).1}</strong>
            <span class="sentence">{move || st.frame.with(|f| f.verdict.sentence.clone())}</span>
        </div>
    }
}
