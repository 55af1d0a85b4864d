//! The inspector, in the manner of The Illustrated TLS: the selected message as a hex dump
//! tied to its fields (Wireshark's byte pane and field tree, linked both ways), what is inside
//! its encrypted parts for the chosen viewer, its certificates decoded, and one card per
//! calculation with its inputs, output, check and a command to reproduce it. For a selected
//! role, what it knows and computed step by step (`roleview.rs`); at the bottom, a box to
//! decode any MIKEY message (`decode.rs`). Everything shown is `dmikey::sim::Inspection`.
use std::ops::Range;

use dmikey::sim::{
    CalcValue, Calculation, CertView, Check, DecryptedView, Finding, Inspection, Level, Node,
    Opened, PacketFate, PacketId, PacketView, Snippet, Tool,
};
use leptos::prelude::*;

use crate::hex::{Annotated, AnnotatedView, bytes_words, hex};
use crate::state::{AppState, Selection};

/// Whose keys open the selected message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Receiver,
    Sender,
    Intruder,
}

impl Seen {
    const ALL: [Seen; 3] = [Seen::Receiver, Seen::Sender, Seen::Intruder];

    fn id(self) -> &'static str {
        match self {
            Seen::Receiver => "receiver",
            Seen::Sender => "sender",
            Seen::Intruder => "intruder",
        }
    }

    fn node(self, p: &PacketView) -> Node {
        match self {
            Seen::Receiver => p.to,
            Seen::Sender => p.from,
            Seen::Intruder => Node::Intruder,
        }
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let st = expect_context::<AppState>();
    let packet = Memo::new(move |_| match st.selection.get() {
        Some(Selection::Packet(id)) => {
            Some(st.model.packets.with(|ps| ps.get(id).filter(|p| p.id == id).cloned()))
        }
        _ => None,
    });
    let node = Memo::new(move |_| match st.selection.get() {
        Some(Selection::Node(n)) => Some(n),
        _ => None,
    });
    let seen = RwSignal::new(Seen::Receiver);
    view! {
        <section class="panel inspector" aria-label="Inspector">
            <h2>"Inspector"</h2>
            <MessagePicker/>
            {move || match (packet.get(), node.get()) {
                (Some(Some(p)), _) => view! { <MessageDetail packet=p seen/> }.into_any(),
                (Some(None), _) => {
                    view! { <p class="hint">"This message does not exist at this step."</p> }
                        .into_any()
                }
                (None, Some(n)) => view! { <crate::roleview::RolePanel node=n/> }.into_any(),
                (None, None) => {
                    view! {
                        <p class="hint">
                            "Select a message (here, in the network or the timeline) to see its bytes, fields and calculations, or a role to see what it knows and computed."
                        </p>
                    }
                        .into_any()
                }
            }}
            <crate::decode::DecodeBox/>
        </section>
    }
}

/// A list of every message sent so far: any of them can be inspected, also once it has
/// arrived (the network only offers those still in flight).
#[component]
fn MessagePicker() -> impl IntoView {
    let st = expect_context::<AppState>();
    let choices = Memo::new(move |_| {
        st.model.packets.with(|ps| {
            ps.iter()
                .map(|p| {
                    (p.id, format!("#{} {} ({} → {})", p.id, p.label, p.from.label(), p.to.label()))
                })
                .collect::<Vec<_>>()
        })
    });
    let current = move || match st.selection.get() {
        Some(Selection::Packet(id)) => id.to_string(),
        _ => String::new(),
    };
    view! {
        <label class="picker">
            "Message "
            <select
                prop:value=current
                on:change=move |e| {
                    let v = event_target_value(&e);
                    match v.parse::<PacketId>() {
                        Ok(id) => st.selection.set(Some(Selection::Packet(id))),
                        Err(_) => st.selection.set(None),
                    }
                }
            >
                <option value="">"(none selected)"</option>
                <For each=move || choices.get() key=|c| c.clone() let:c>
                    <option value=c.0.to_string()>{c.1}</option>
                </For>
            </select>
        </label>
    }
}

/// A message's heading, the viewer choice, and its inspection at this step.
#[component]
fn MessageDetail(packet: PacketView, seen: RwSignal<Seen>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let fate = match &packet.fate {
        PacketFate::InFlight => "in flight".to_string(),
        PacketFate::Delivered => "delivered".to_string(),
        PacketFate::Dropped { why } => format!("dropped: {}", why.describe()),
        PacketFate::Rejected { error, .. } => format!("rejected: {error}"),
    };
    let head = format!(
        "{} · {} → {} · {} bytes · sent at {} ms · {fate}",
        packet.label,
        packet.from.label(),
        packet.to.label(),
        packet.bytes.len(),
        packet.sent.at_ms
    );
    let id = packet.id;
    let viewer_of = {
        let p = packet.clone();
        move |s: Seen| s.node(&p)
    };
    let viewer = {
        let viewer_of = viewer_of.clone();
        Memo::new(move |_| viewer_of(seen.get()))
    };
    let inspection = Memo::new(move |_| {
        // What a viewer holds changes with each step and command.
        st.model.playback.track();
        st.model.events.track();
        st.inspect(id, viewer.get())
    });
    let choices = Seen::ALL
        .into_iter()
        .map(|s| {
            let who = viewer_of(s).label();
            let text = match s {
                Seen::Receiver => format!("the receiver ({who})"),
                Seen::Sender => format!("the sender ({who})"),
                Seen::Intruder => "the intruder".to_string(),
            };
            view! {
                <label>
                    <input
                        type="radio"
                        name=format!("seen-{id}")
                        value=s.id()
                        prop:checked=move || seen.get() == s
                        on:change=move |_| seen.set(s)
                    />
                    {text}
                </label>
            }
        })
        .collect_view();
    view! {
        <p class="selected">{head}</p>
        <fieldset class="seen">
            <legend>"Open it with the keys of"</legend>
            {choices}
        </fieldset>
        {move || match inspection.get() {
            Some(i) => view! { <InspectionView inspection=i/> }.into_any(),
            None => view! { <p class="hint">"This message does not exist at this step."</p> }.into_any(),
        }}
    }
}

/// One inspected message: findings, bytes and fields, decrypted parts, certificates and
/// calculations. Shared by the run's messages, the role view and the decode box.
#[component]
pub fn InspectionView(inspection: Inspection) -> impl IntoView {
    let mark: RwSignal<Option<Range<usize>>> = RwSignal::new(None);
    let data = Annotated::of(&inspection.bytes, &inspection.payloads, &inspection.fields);
    let name = inspection.label.clone();
    let error = inspection.decode_error.clone().map(|e| {
        view! { <p class="error">{format!("The decoder stops: {e}")}</p> }
    });
    let findings = (!inspection.findings.is_empty()).then(|| {
        let items = inspection.findings.iter().cloned().map(|f| view! { <FindingItem f/> }).collect_view();
        view! { <ul class="findings" aria-label=format!("What RFC 3830 says about {name}")>{items}</ul> }
    });
    let decrypted = inspection
        .decrypted
        .iter()
        .cloned()
        .map(|d| view! { <Decrypted d of=name.clone()/> })
        .collect_view();
    let certs =
        inspection.certificates.iter().cloned().map(|c| view! { <Certificate c/> }).collect_view();
    let calcs = (!inspection.calculations.is_empty()).then(|| {
        let cards = inspection
            .calculations
            .iter()
            .cloned()
            .map(|c| view! { <CalcCard c mark/> })
            .collect_view();
        view! {
            <h3>"Calculations"</h3>
            <div class="calcs">{cards}</div>
        }
    });
    view! {
        <div class="inspection">
            {error}
            {findings}
            <h3>"Bytes and fields"</h3>
            <AnnotatedView data name=inspection.label.clone() mark/>
            {decrypted}
            {certs}
            {calcs}
        </div>
    }
}

#[component]
fn FindingItem(f: Finding) -> impl IntoView {
    let (class, word) = match f.level {
        Level::Info => ("info", "ℹ Note"),
        Level::Warning => ("warn", "⚠ Warning"),
        Level::Error => ("bad", "✖ Error"),
    };
    let rfc = (!f.rfc.is_empty()).then(|| format!(" ({})", f.rfc));
    view! {
        <li class=class>
            <strong>{word}</strong>
            ": "
            {f.text}
            {rfc}
        </li>
    }
}

/// The hex of a value, in full up to `max` bytes.
fn value_hex(bytes: &[u8]) -> String {
    hex(bytes, 96)
}

/// An encrypted part and what the viewer finds inside.
#[component]
pub fn Decrypted(d: DecryptedView, of: String) -> impl IntoView {
    let holders = if d.holders.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = d.holders.iter().map(|n| n.label()).collect();
        format!(" Held by: {}.", names.join(", "))
    };
    let body = match d.opened {
        Opened::Open { plaintext, payloads, fields, values } => {
            let values = values
                .into_iter()
                .map(|v| {
                    let text = v.text.map(|t| format!(" (“{t}”)"));
                    view! {
                        <dt><crate::glossary::Glossed text=v.name/></dt>
                        <dd>
                            <code class="hex">{value_hex(&v.bytes)}</code>
                            {text}
                        </dd>
                    }
                })
                .collect_view();
            let data = Annotated::of(&plaintext, &payloads, &fields);
            view! {
                <dl class="values">{values}</dl>
                <details class="plain">
                    <summary>{format!("Its {} bytes, field by field", plaintext.len())}</summary>
                    <AnnotatedView data name=format!("the decrypted {}", d.title)/>
                </details>
            }
            .into_any()
        }
        Opened::Sealed { why } => view! { <p class="sealed">{format!("🔒 {why}")}</p> }.into_any(),
    };
    view! {
        <section class="decrypted" aria-label=format!("{} of {of}", d.title)>
            <h3>{format!("Inside: {}", d.title)}</h3>
            <p class="need">
                {format!(
                    "Encrypted: {} of the message. Key needed: {}.{holders}",
                    bytes_words(&d.ciphertext),
                    d.key_needed,
                )}
            </p>
            {body}
        </section>
    }
}

/// A certificate, decoded.
#[component]
fn Certificate(c: CertView) -> impl IntoView {
    let exts = c
        .extensions
        .into_iter()
        .map(|e| {
            view! {
                <li>
                    <strong>{e.name}</strong>
                    {format!(" ({}{}): {}", e.oid, if e.critical { ", critical" } else { "" }, e.value)}
                </li>
            }
        })
        .collect_view();
    let chain = check_line(&c.chain);
    view! {
        <section class="cert" aria-label=format!("Certificate of {}", c.subject)>
            <h3>{format!("Certificate: {}", c.subject)}</h3>
            <dl class="certdl">
                <dt>"Bytes"</dt>
                <dd>{bytes_words(&c.range)}</dd>
                <dt>"Version"</dt>
                <dd>{format!("v{}", c.version)}</dd>
                <dt>"Serial"</dt>
                <dd><code class="hex">{c.serial}</code></dd>
                <dt>"Issuer"</dt>
                <dd>{c.issuer}</dd>
                <dt>"Subject"</dt>
                <dd>{c.subject.clone()}</dd>
                <dt>"Valid"</dt>
                <dd>{format!("from {} to {}", c.not_before, c.not_after)}</dd>
                <dt>"Public key"</dt>
                <dd>
                    {format!(
                        "{}, {}-bit modulus, exponent {}",
                        c.key_algorithm,
                        c.modulus_bits,
                        c.exponent,
                    )}
                </dd>
                <dt>"Extensions"</dt>
                <dd>
                    <ul class="exts">{exts}</ul>
                </dd>
                <dt>"Signature"</dt>
                <dd>{c.signature_algorithm}</dd>
                <dt>"Chains to the CA"</dt>
                <dd>{chain}</dd>
            </dl>
        </section>
    }
}

/// A check as a line with its mark.
fn check_line(c: &Check) -> impl IntoView + use<> {
    let (class, text) = match c {
        Check::Ok(s) => ("ok", format!("✔ {s}")),
        Check::Failed(s) => ("bad", format!("✖ {s}")),
        Check::Derived => ("derived", String::new()),
        Check::NotChecked(s) => ("muted", format!("– not checked: {s}")),
    };
    view! { <span class=format!("check {class}")>{text}</span> }
}

/// One calculation: a card that opens to its inputs, formula, output, check and commands.
#[component]
pub fn CalcCard(c: Calculation, mark: RwSignal<Option<Range<usize>>>) -> impl IntoView {
    let inputs = c.inputs.into_iter().map(|v| view! { <InputRow v mark/> }).collect_view();
    let formula = c.formula.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
    let commands = c.commands.into_iter().map(|s| view! { <Command s/> }).collect_view();
    let badge = check_line(&c.check);
    let title = c.title.clone();
    view! {
        <details class="calc">
            <summary>
                <span class="ctitle">{c.title}</span>
                " "
                {check_line(&c.check)}
            </summary>
            <p class="rfc">{c.rfc}</p>
            <table class="calcio" aria-label=format!("Inputs of {title}")>
                <tbody>{inputs}</tbody>
            </table>
            <ol class="formula">{formula}</ol>
            <p class="out">
                <span class="oname"><crate::glossary::Glossed text=c.output.name.clone()/></span>
                " = "
                <code class="hex">{value_hex(&c.output.bytes)}</code>
            </p>
            <p class="checkline">{badge}</p>
            {commands}
        </details>
    }
}

/// An input of a calculation; one from the message can outline its bytes in the pane.
#[component]
fn InputRow(v: CalcValue, mark: RwSignal<Option<Range<usize>>>) -> impl IntoView {
    let show = v.range.clone().map(|r| {
        let words = bytes_words(&r);
        let r2 = r.clone();
        let on = move || mark.get().as_ref() == Some(&r2);
        view! {
            <button
                class="small"
                aria-pressed=move || on().to_string()
                on:click=move |_| {
                    if mark.get_untracked().as_ref() == Some(&r) {
                        mark.set(None);
                    } else {
                        mark.set(Some(r.clone()));
                    }
                }
            >
                {format!("Outline {words}")}
            </button>
        }
    });
    view! {
        <tr>
            <th scope="row"><crate::glossary::Glossed text=v.name/></th>
            <td>
                <code class="hex">{value_hex(&v.bytes)}</code>
                " "
                {show}
            </td>
        </tr>
    }
}

/// A command to copy.
#[component]
fn Command(s: Snippet) -> impl IntoView {
    let tool = match s.tool {
        Tool::Openssl => "openssl",
        Tool::Python3 => "python3",
    };
    let status = RwSignal::new(String::new());
    let code = s.code.clone();
    let copy = move |_| {
        let code = code.clone();
        let Some(clip) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        let promise = clip.write_text(&code);
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => status.set("Copied.".into()),
                Err(_) => {
                    status.set("The browser refused the clipboard: select the text instead.".into())
                }
            }
        });
    };
    view! {
        <div class="snippet">
            <div class="shead">
                <span>{format!("Reproduce it with {tool} (prints {})", s.prints)}</span>
                <button class="small" on:click=copy aria-label=format!("Copy the {tool} command")>
                    "Copy"
                </button>
                <span class="copied" role="status">{move || status.get()}</span>
            </div>
            <pre tabindex="0" role="group" aria-label=format!("{tool} command")><code>{s.code}</code></pre>
        </div>
    }
}
