//! The browser demonstrator: draws the `dmikey` simulation and sends it the audience's commands.
//!
//! For now a minimal shell that proves the pipeline (Trunk build, wasm-opt, static release,
//! e2e tests in Chromium): a heading, a "Play" button and a status line the button updates.
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The root component.
#[component]
fn App() -> impl IntoView {
    let (plays, set_plays) = signal(0u32);
    let status = move || match plays.get() {
        0 => "Ready.".to_owned(),
        n => format!("Played {n} time{}.", if n == 1 { "" } else { "s" }),
    };
    view! {
        <main>
            <h1>"Distributed MIKEY"</h1>
            <p>
                "A constrained sensor agrees a key with a server through third parties, "
                "with no public-key crypto on the sensor (RFC 3830, IoTBD 2016)."
            </p>
            <button type="button" on:click=move |_| set_plays.update(|n| *n += 1)>
                "Play"
            </button>
            <p role="status">{status}</p>
        </main>
    }
}
