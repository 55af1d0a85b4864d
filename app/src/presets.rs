//! The scenario presets of `dmikey::sim::scenario`: one click loads the configuration and the
//! attacker's script and plays the run to its end, where the verdict sums it up in one line.
use leptos::prelude::*;

use crate::bridge::scenarios;
use crate::state::AppState;

#[component]
pub fn Presets() -> impl IntoView {
    let st = expect_context::<AppState>();
    let list = StoredValue::new(scenarios());
    view! {
        <section class="panel presets" aria-label="Scenarios">
            <h2>"Scenarios"</h2>
            <ul>
                {list.with_value(|l| {
                    l.iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let (id, title, summary) = (s.id, s.title, s.summary);
                            view! {
                                <li>
                                    <button
                                        class="preset"
                                        aria-pressed=move || (st.scenario.get() == Some(id)).to_string()
                                        on:click=move |_| list.with_value(|l| {
                                            if let Some(s) = l.get(i) {
                                                st.load_scenario(s);
                                            }
                                        })
                                    >
                                        <span class="title">{title}</span>
                                        <span class="summary">{summary}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                })}
            </ul>
        </section>
    }
}
