//! Where this implementation departs from the paper, and why: the protocol crate's own notes
//! (`dmikey::sim::NOTES`), in a disclosure so they are one click away and out of the way.
use dmikey::sim::{Deviation, NOTES};
use leptos::prelude::*;

#[component]
pub fn Deviations() -> impl IntoView {
    view! {
        <section class="panel notes" aria-labelledby="notes-title">
            <details>
                <summary>
                    <h2 id="notes-title">"Deviations from the paper"</h2>
                </summary>
                <ul>
                    {NOTES.iter().map(|d| view! { <Note note=d/> }).collect_view()}
                </ul>
            </details>
        </section>
    }
}

#[component]
fn Note(note: &'static Deviation) -> impl IntoView {
    view! {
        <li>
            <dl>
                <dt>"The paper"</dt>
                <dd><crate::glossary::Glossed text=note.paper/></dd>
                <dt>"Here"</dt>
                <dd><crate::glossary::Glossed text=note.here/></dd>
                <dt>"Why"</dt>
                <dd><crate::glossary::Glossed text=note.why/></dd>
            </dl>
        </li>
    }
}
