//! The scenario presets of `dmikey::sim::scenario`: one click loads the configuration and the
//! attacker's script and plays the run to its end, where the verdict sums it up in one line.
//! The list is grouped (the paper's design, attacks on the third parties, attacks on the
//! wire and forgeries, the standard modes as baselines); below it, the loaded preset's story
//! and the verdict the protocol says it must reach ("Expected"), with whether the live run has
//! reached it (`Preset::matches`).
use leptos::prelude::*;

use crate::state::AppState;
use dmikey::sim::{Mode, Preset, RsaBits, presets};

/// The groups of the list: a heading and the ids it holds, in order. A preset in none of them
/// is listed under the last heading, so a new one is never hidden.
const GROUPS: [(&str, &[&str]); 4] = [
    (
        "The paper's design",
        &["happy-path", "lossy-link", "one-too-many-lost", "xor-one-loss", "paper-without-kcv"],
    ),
    (
        "Compromised and colluding third parties",
        &[
            "one-compromised-rs",
            "one-compromised-shamir",
            "k-compromised",
            "kcv-brute-force",
            "malicious-tp",
            "colluding-impersonation",
        ],
    ),
    (
        "Attacks on the wire and forgeries",
        &[
            "replay",
            "tamper",
            "sensor-segment-tamper",
            "sensor-segment-replay",
            "forged-i-tp",
            "forged-r-i",
        ],
    ),
    ("Baselines: the standard MIKEY modes", &[]),
];

/// The group a preset belongs to: its place in `GROUPS`, standard modes and unknown ids last.
fn group_of(p: &Preset) -> usize {
    if p.config.mode != Mode::Distributed {
        return GROUPS.len() - 1;
    }
    GROUPS.iter().position(|(_, ids)| ids.contains(&p.id)).unwrap_or(GROUPS.len() - 1)
}

/// The presets of each group, as (index in `presets()`, preset), in the protocol's order.
fn grouped(list: &[Preset]) -> Vec<(&'static str, Vec<(usize, Preset)>)> {
    GROUPS
        .iter()
        .enumerate()
        .map(|(g, (title, _))| {
            let members: Vec<(usize, Preset)> = list
                .iter()
                .enumerate()
                .filter(|(_, p)| group_of(p) == g)
                .map(|(i, p)| (i, p.clone()))
                .collect();
            (*title, members)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect()
}

#[component]
pub fn Presets() -> impl IntoView {
    let st = expect_context::<AppState>();
    // Titles and stories do not depend on the RSA size or seed; a click rebuilds the preset
    // with the ones chosen at that moment.
    let list = StoredValue::new(presets(RsaBits::B2048, None));
    let load = move |i: usize| {
        let (rsa, seed) = st.config.with_untracked(|c| (c.rsa_bits, c.seed));
        if let Some(p) = presets(rsa, seed).get(i) {
            st.load_scenario(p);
        }
    };
    let story = move || {
        let id = st.scenario.get()?;
        list.with_value(|l| l.iter().find(|p| p.id == id).map(|p| p.story))
    };
    view! {
        <section class="panel presets" aria-label="Scenarios">
            <h2>"Scenarios"</h2>
            {list.with_value(|l| {
                grouped(l)
                    .into_iter()
                    .enumerate()
                    .map(|(g, (title, members))| {
                        let heading = format!("preset-group-{g}");
                        view! {
                            <h3 class="preset-group" id=heading.clone()>{title}</h3>
                            <ul aria-labelledby=heading>
                                {members
                                    .into_iter()
                                    .map(|(i, p)| {
                                        let (id, title) = (p.id, p.title);
                                        view! {
                                            <li>
                                                <button
                                                    class="preset"
                                                    title=p.story
                                                    aria-pressed=move || {
                                                        (st.scenario.get() == Some(id)).to_string()
                                                    }
                                                    on:click=move |_| load(i)
                                                >
                                                    <span class="title">{title}</span>
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()
            })}
            {move || {
                st.model.expected.get().map(|dmikey::sim::Expected { sentence, reached }| {
                    view! {
                        <div class="preset-detail">
                            <p class="story"><crate::glossary::Glossed text=move || story().unwrap_or_default().to_string()/></p>
                            <p class="expected">
                                <span class="tag">"Expected: "</span>
                                <q role="note" aria-label="Expected verdict"><crate::glossary::Glossed text=sentence/></q>
                            </p>
                            <p class="reached" role="status" aria-label="Preset check">
                                {if reached { "✓ reached" } else { "… not reached yet" }}
                            </p>
                        </div>
                    }
                })
            }}
        </section>
    }
}
