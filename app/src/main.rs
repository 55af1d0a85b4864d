//! The browser demonstrator: draws the `dmikey` simulation and sends it the audience's commands.
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <main><h1>"Distributed MIKEY"</h1></main> });
}
