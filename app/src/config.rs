//! Session configuration: mode, n and k, sharing scheme, KEMAC profile, RSA size, optional
//! messages and seed. Any change starts a fresh run (keys are reused when seed, n and RSA size
//! are unchanged). Labels come from the protocol crate.
use leptos::prelude::*;

use crate::state::AppState;
use dmikey::sim::{KemacProfile, Mode, RsaBits, Scheme};

const MODES: [Mode; 4] = [Mode::Distributed, Mode::Psk, Mode::Pk, Mode::Dh];
const SCHEMES: [Scheme; 4] = [Scheme::PaperRs, Scheme::Shamir, Scheme::Xor, Scheme::AontRs];
const PROFILES: [KemacProfile; 3] =
    [KemacProfile::AesCmHmacSha1, KemacProfile::AesCcm128, KemacProfile::AesCcm128Tag8];
const RSA: [RsaBits; 3] = [RsaBits::B1024, RsaBits::B2048, RsaBits::B3072];

#[component]
pub fn ConfigPanel() -> impl IntoView {
    let st = expect_context::<AppState>();
    let cfg = st.config;
    let distributed = Memo::new(move |_| cfg.with(|c| c.mode == Mode::Distributed));
    let num = |e: &leptos::ev::Event| event_target_value(e).trim_ascii().parse::<u64>().ok();
    view! {
        <section class="panel config" aria-label="Configuration">
            <h2>"Configuration"</h2>
            <label>
                "Mode"
                <select on:change=move |e| {
                    if let Some(m) = event_target_value(&e).parse::<usize>().ok().and_then(|i| MODES.get(i)) {
                        st.set_config(|c| c.mode = *m);
                    }
                }>
                    {MODES.iter().enumerate().map(|(i, m)| view! {
                        <option value=i.to_string() selected=move || cfg.with(|c| c.mode == *m)>{m.title()}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="row">
                <label>
                    <crate::glossary::Glossed text="Third parties n"/>
                    <input type="number" min="1" max="16" disabled=move || !distributed.get()
                        prop:value=move || cfg.with(|c| c.n.to_string())
                        on:change=move |e| if let Some(v) = num(&e) {
                            st.set_config(|c| c.n = v.clamp(1, 16) as u8);
                        }
                    />
                </label>
                <label>
                    <crate::glossary::Glossed text="Threshold k"/>
                    <input type="number" min="1" max=move || cfg.with(|c| c.n.to_string()) disabled=move || !distributed.get()
                        prop:value=move || cfg.with(|c| c.k.to_string())
                        on:change=move |e| if let Some(v) = num(&e) {
                            st.set_config(|c| c.k = v.clamp(1, 16) as u8);
                        }
                    />
                </label>
            </div>
            <label>
                "Sharing scheme"
                <select disabled=move || !distributed.get() on:change=move |e| {
                    if let Some(s) = event_target_value(&e).parse::<usize>().ok().and_then(|i| SCHEMES.get(i)) {
                        st.set_config(|c| c.scheme = Some(*s));
                    }
                }>
                    {SCHEMES.iter().enumerate().map(|(i, s)| view! {
                        <option value=i.to_string() selected=move || cfg.with(|c| c.scheme == Some(*s))>{s.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <crate::glossary::Glossed text="KEMAC protection"/>
                <select on:change=move |e| {
                    if let Some(p) = event_target_value(&e).parse::<usize>().ok().and_then(|i| PROFILES.get(i)) {
                        st.set_config(|c| c.kemac = *p);
                    }
                }>
                    {PROFILES.iter().enumerate().map(|(i, p)| view! {
                        <option value=i.to_string() selected=move || cfg.with(|c| c.kemac == *p)>{p.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <crate::glossary::Glossed text="RSA key size"/>
                <select on:change=move |e| {
                    if let Some(r) = event_target_value(&e).parse::<usize>().ok().and_then(|i| RSA.get(i)) {
                        st.set_config(|c| c.rsa_bits = *r);
                    }
                }>
                    {RSA.iter().enumerate().map(|(i, r)| view! {
                        <option value=i.to_string() selected=move || cfg.with(|c| c.rsa_bits == *r)>{format!("{} bits", r.bits())}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset disabled=move || !distributed.get()>
                <legend>"Optional messages"</legend>
                <label class="check">
                    <input type="checkbox" prop:checked=move || cfg.with(|c| c.optional.tp_i)
                        on:change=move |e| { let v = event_target_checked(&e); st.set_config(|c| c.optional.tp_i = v); } />
                    <crate::glossary::Glossed text="TPi_I (third party confirms to the sensor)"/>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || cfg.with(|c| c.optional.r_tp)
                        on:change=move |e| { let v = event_target_checked(&e); st.set_config(|c| c.optional.r_tp = v); } />
                    <crate::glossary::Glossed text="R_TPi (server confirms to the third party)"/>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || cfg.with(|c| c.optional.r_i)
                        on:change=move |e| { let v = event_target_checked(&e); st.set_config(|c| c.optional.r_i = v); } />
                    <crate::glossary::Glossed text="R_I (server proves the key to the sensor)"/>
                </label>
            </fieldset>
            <label>
                "Seed"
                <input type="number" min="0" prop:value=move || cfg.with(|c| c.seed.unwrap_or(0).to_string())
                    on:change=move |e| if let Some(v) = num(&e) { st.set_config(|c| c.seed = Some(v)); } />
            </label>
        </section>
    }
}
