//! The scenario presets of `dmikey::sim::scenario`: one click loads the configuration and the
//! attacker's script and plays the run to its end, where the verdict sums it up in one line.
//! Below the list, the loaded preset's story and the verdict the protocol says it must reach
//! ("Expected"), with whether the live run has reached it (`Preset::matches`).
use leptos::prelude::*;

use crate::state::AppState;
use dmikey::sim::{RsaBits, presets};

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
            <ul>
                {list.with_value(|l| {
                    l.iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let (id, title) = (p.id, p.title);
                            view! {
                                <li>
                                    <button
                                        class="preset"
                                        aria-pressed=move || (st.scenario.get() == Some(id)).to_string()
                                        on:click=move |_| load(i)
                                    >
                                        <span class="title">{title}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                })}
            </ul>
            {move || {
                st.model.expected.get().map(|dmikey::sim::Expected { sentence, reached }| {
                    view! {
                        <div class="preset-detail">
                            <p class="story">{story}</p>
                            <p class="expected">
                                <span class="tag">"Expected: "</span>
                                <q role="note" aria-label="Expected verdict">{sentence}</q>
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
