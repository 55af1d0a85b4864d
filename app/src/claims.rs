//! The claims view (header button "Claims", `view=claims` in the link): the seven properties
//! of the paper's §4.1 and its §4.2 AVISPA result, each with what the paper says, the verdict
//! of this simulation (`dmikey::sim::claims`, backed by the protocol's tests), why, and links
//! that open the presets that show it; then the paragraph on AVISPA's "SAFE".
use dmikey::sim::{
    AVISPA_PARAGRAPH, Claim, ClaimVerdict, Permalink, Preset, Script, claims, presets,
};
use leptos::prelude::*;

use crate::state::{AppState, View};

/// CSS class of a verdict (the word beside it says the same, so colour is never alone).
fn class(v: ClaimVerdict) -> &'static str {
    match v {
        ClaimVerdict::Demonstrated => "demonstrated",
        ClaimVerdict::Refuted => "refuted",
        ClaimVerdict::Qualified => "qualified",
        ClaimVerdict::NotDemonstrable => "not-demonstrable",
    }
}

#[component]
pub fn ClaimsView() -> impl IntoView {
    let st = expect_context::<AppState>();
    view! {
        <Show when=move || st.view.get() == View::Claims>
            // The page's main content while the run's is hidden.
            <main class="claims-main">
            <section class="panel claims" aria-labelledby="claims-title">
                <h2 id="claims-title">"The paper's claims, run"</h2>
                <p class="intro">
                    "Section 4.1 of the paper lists seven properties and §4.2 reports AVISPA's verdict. Each is checked here against runs of the simulation; every link opens the preset that shows it."
                </p>
                <ol class="claim-list">
                    {claims().into_iter().map(|c| view! { <ClaimItem claim=c/> }).collect_view()}
                </ol>
                <h3>"Why AVISPA's “SAFE” does not contradict the Reed–Solomon leak"</h3>
                <p class="avispa"><crate::glossary::Glossed text=AVISPA_PARAGRAPH/></p>
                <button class="back" on:click=move |_| st.set_view(View::Run)>
                    "Back to the run"
                </button>
            </section>
            </main>
        </Show>
    }
}

#[component]
fn ClaimItem(claim: Claim) -> impl IntoView {
    let st = expect_context::<AppState>();
    let heading = format!("claim-{}", claim.id);
    let labelled_by = heading.clone();
    // The presets as the page would build them now (RSA size and seed of the current run).
    let (rsa, seed) = st.config.with_untracked(|c| (c.rsa_bits, c.seed));
    let all = presets(rsa, seed);
    let shown: Vec<Preset> =
        claim.presets.iter().filter_map(|id| all.iter().find(|p| p.id == *id).cloned()).collect();
    view! {
        <li class=format!("claim {}", class(claim.verdict))>
            <article aria-labelledby=labelled_by>
                <h3 id=heading>{claim.property}</h3>
                <p class="section">{claim.section}</p>
                <p class="paper">
                    <span class="tag">"The paper: "</span>
                    <crate::glossary::Glossed text=claim.paper/>
                </p>
                <p class="claim-verdict">
                    <span class="tag">"Here: "</span>
                    <strong class=format!("word {}", class(claim.verdict))>{claim.verdict.word()}</strong>
                </p>
                <p class="why"><crate::glossary::Glossed text=claim.why/></p>
                <p class="shown-by">"Shown by:"</p>
                <ul class="preset-links">
                    {shown.into_iter().map(|p| view! { <li><PresetLink preset=p/></li> }).collect_view()}
                </ul>
            </article>
        </li>
    }
}

/// A link to the preset: its address is the preset's permalink (it opens in a new tab too);
/// a click here loads it and plays it in the run view.
#[component]
fn PresetLink(preset: Preset) -> impl IntoView {
    let st = expect_context::<AppState>();
    let href = format!(
        "#{}",
        Permalink {
            config: preset.config.clone(),
            preset: Some(preset.id.to_string()),
            script: Script::at_start(preset.commands.clone()),
            step: 0,
        }
        .to_fragment()
    );
    let title = preset.title;
    let id = preset.id;
    let open = move |e: leptos::ev::MouseEvent| {
        e.prevent_default();
        let (rsa, seed) = st.config.with_untracked(|c| (c.rsa_bits, c.seed));
        if let Some(p) = presets(rsa, seed).into_iter().find(|p| p.id == id) {
            st.set_view(View::Run);
            st.load_scenario(&p);
        }
    };
    view! {
        <a class="preset-link" href=href on:click=open>
            {title}
        </a>
    }
}
