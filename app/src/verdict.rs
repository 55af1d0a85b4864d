//! The verdict, always on screen: the simulation's own sentence with an icon and a word for
//! its kind, so it never depends on colour alone.
use dmikey::sim::VerdictKind;
use leptos::prelude::*;

use crate::state::AppState;

/// Word and CSS class shown with the sentence.
fn badge(kind: VerdictKind) -> (&'static str, &'static str) {
    match kind {
        VerdictKind::Pending => ("In progress", "pending"),
        VerdictKind::Success => ("Success", "success"),
        VerdictKind::Failed => ("Failed", "failed"),
        VerdictKind::Exposed => ("TGK exposed", "exposed"),
        VerdictKind::PartlyExposed => ("TGK partly exposed", "exposed"),
        VerdictKind::Fooled => ("Fooled", "exposed"),
    }
}

/// A line-drawn icon (no emoji font needed): clock, check, cross, warning triangle.
fn icon(kind: VerdictKind) -> impl IntoView {
    let paths: &[&str] = match kind {
        VerdictKind::Pending => &["M12 3a9 9 0 1 0 0.01 0", "M12 7v5l3 3"],
        VerdictKind::Success => &["M12 3a9 9 0 1 0 0.01 0", "M7.5 12.5l3 3 6-7"],
        VerdictKind::Failed => &["M12 3a9 9 0 1 0 0.01 0", "M8.5 8.5l7 7", "M15.5 8.5l-7 7"],
        VerdictKind::Exposed | VerdictKind::PartlyExposed | VerdictKind::Fooled => {
            &["M12 3l10 18H2z", "M12 10v5", "M12 18v0.5"]
        }
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            {paths.iter().map(|d| view! { <path d=*d></path> }).collect_view()}
        </svg>
    }
}

#[component]
pub fn VerdictBanner() -> impl IntoView {
    let st = expect_context::<AppState>();
    let verdict = st.model.verdict;
    let kind = Memo::new(move |_| verdict.with(|v| v.kind));
    view! {
        <div
            class=move || format!("verdict {}", badge(kind.get()).1)
            role="status"
            aria-label="Verdict"
        >
            {move || icon(kind.get())}
            <strong class="kind">{move || badge(kind.get()).0}</strong>
            <span class="sentence"><crate::glossary::Glossed text=move || verdict.with(|v| v.sentence.clone())/></span>
        </div>
    }
}
