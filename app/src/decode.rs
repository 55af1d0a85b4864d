//! "Decode a message": paste hex, base64, an SDP `a=key-mgmt:mikey` line or an RTSP answer, or
//! open a pcap file, optionally with a PSK, an envelope key, R's RSA private key or a CA
//! certificate (read by `dmikey::sim::decode_keys`, as `dmikey decode` reads them), and get the inspector's
//! annotated view of every MIKEY message in it (`dmikey::sim::decode_input`).
use dmikey::sim::{DecodedInput, InputFormat, KeyInputs, decode_input, decode_keys};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::inspector::InspectionView;

/// What the last decode gave.
#[derive(Clone)]
enum Outcome {
    Nothing,
    Failed(String),
    Decoded(DecodedInput),
}

#[component]
pub fn DecodeBox() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let format = RwSignal::new(InputFormat::Auto);
    let psk = RwSignal::new(String::new());
    let envelope = RwSignal::new(String::new());
    let rsa_key = RwSignal::new(String::new());
    let ca_cert = RwSignal::new(String::new());
    let outcome = RwSignal::new(Outcome::Nothing);
    let run = move |input: Vec<u8>, fmt: InputFormat| {
        let (p, e, r, c) = (
            psk.get_untracked(),
            envelope.get_untracked(),
            rsa_key.get_untracked(),
            ca_cert.get_untracked(),
        );
        // The protocol's reading of the keys, the one `dmikey decode` uses.
        let keys = decode_keys(&KeyInputs {
            psk: &p,
            envelope_key: &e,
            rsa_private_key: r.as_bytes(),
            ca_cert: c.as_bytes(),
        });
        let result = match keys {
            Ok(keys) => match decode_input(&input, fmt, &keys) {
                Ok(d) => Outcome::Decoded(d),
                Err(e) => Outcome::Failed(format!("Nothing to decode: {e}.")),
            },
            Err(e) => Outcome::Failed(capitalised(&format!("{e}."))),
        };
        outcome.set(result);
    };
    let decode_text = move |_| run(text.get_untracked().into_bytes(), format.get_untracked());
    let open_file = move |e: leptos::ev::Event| {
        let file = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else { return };
        let promise = file.array_buffer();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(buf) => run(js_sys::Uint8Array::new(&buf).to_vec(), InputFormat::Auto),
                Err(_) => {
                    outcome.set(Outcome::Failed("The browser could not read the file.".into()))
                }
            }
        });
    };
    let formats = InputFormat::ALL
        .into_iter()
        .map(|f| view! { <option value=f.name()>{f.name()}</option> })
        .collect_view();
    view! {
        <details class="decodebox">
            <summary>
                <h3>"Decode a message"</h3>
            </summary>
            <p class="hint">
                "Any MIKEY message, not only this run's: paste hex, base64, an SDP a=key-mgmt:mikey line or an RTSP DESCRIBE answer, or open a pcap capture. With a key given, the MACs are checked and the KEMAC opened."
            </p>
            <label class="block">
                "Message"
                <textarea
                    rows="4"
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))
                ></textarea>
            </label>
            <div class="decodekeys">
                <label>
                    "Read as "
                    <select on:change=move |e| {
                        if let Some(f) = InputFormat::from_name(&event_target_value(&e)) {
                            format.set(f);
                        }
                    }>{formats}</select>
                </label>
                <label>
                    "PSK (hex, optional) "
                    <input
                        type="text"
                        spellcheck="false"
                        prop:value=move || psk.get()
                        on:input=move |e| psk.set(event_target_value(&e))
                    />
                </label>
                <label>
                    "Envelope key (hex, optional) "
                    <input
                        type="text"
                        spellcheck="false"
                        prop:value=move || envelope.get()
                        on:input=move |e| envelope.set(event_target_value(&e))
                    />
                </label>
            </div>
            <div class="decodekeys">
                <KeyText
                    label="R's RSA private key (PKCS#8: PEM, or hex of the DER as R's role view copies it; optional: opens the PKE)"
                    class="decode-rsa"
                    value=rsa_key
                />
                <KeyText
                    label="CA certificate (PEM, or hex of the DER; optional: checks the CERT payloads' chain)"
                    class="decode-ca"
                    value=ca_cert
                />
            </div>
            <div class="decodeacts">
                <button on:click=decode_text>"Decode"</button>
                <label>
                    "Or open a pcap file "
                    <input type="file" accept=".pcap,.cap,application/vnd.tcpdump.pcap" on:change=open_file/>
                </label>
            </div>
            <div class="decoded" role="region" aria-label="Decoded messages" aria-live="polite">
                {move || match outcome.get() {
                    Outcome::Nothing => ().into_any(),
                    Outcome::Failed(e) => view! { <p class="error">{e}</p> }.into_any(),
                    Outcome::Decoded(d) => view! { <Decoded d/> }.into_any(),
                }}
            </div>
        </details>
    }
}

#[component]
fn Decoded(d: DecodedInput) -> impl IntoView {
    let head = format!(
        "Read as {}: {} MIKEY message{}{}",
        d.format.name(),
        d.messages.len(),
        if d.messages.len() == 1 { "" } else { "s" },
        if d.skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped: {}", d.skipped.join("; "))
        }
    );
    let messages = d
        .messages
        .into_iter()
        .map(|m| {
            let origin = m.origin.clone();
            view! {
                <article class="found" aria-label=origin>
                    <h4>{m.origin}</h4>
                    <InspectionView inspection=m.inspection/>
                </article>
            }
        })
        .collect_view();
    view! {
        <p class="selected">{head}</p>
        {messages}
    }
}

/// The sentence with its first letter in capitals ("the PSK is …" → "The PSK is …").
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A labelled text area for a key or certificate (PEM or hex), bound to `value`.
#[component]
fn KeyText(label: &'static str, class: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="block">
            {label}
            <textarea
                class=class
                rows="2"
                spellcheck="false"
                prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
            ></textarea>
        </label>
    }
}
