//! Compose and inject, in the intruder panel: the audience builds a message of a kind the run
//! uses, from a claimed sender to a receiver, with each field left to the session's value,
//! picked from a fact the intruder holds, or typed. The form is written in the protocol's
//! inject grammar (`dmikey::sim::forge_text`) and read back with `ForgeSpec::parse`, so every
//! check and every error is the protocol's; what the message needs and whether the intruder
//! can compute it comes from `dmikey::sim::assess`. "Inject" sends `Command::Inject` at the
//! current step through `AppState::command`, so it is recorded in the script and carried by
//! a link.
use dmikey::sim::knowledge::short_name;
use dmikey::sim::{
    Command, FORGEABLE, FactKind, ForgeSpec, Knowledge, Mode, MsgKind, Node, Protection, assess,
    forge_text, message_name,
};
use leptos::prelude::*;

use crate::state::AppState;

/// Whether a run in `mode` sends messages of `kind` (the form lists only those).
fn run_uses(mode: Mode, kind: MsgKind) -> bool {
    match mode {
        Mode::Distributed => kind.role_code().is_some(),
        Mode::Psk => matches!(kind, MsgKind::PskInit | MsgKind::PskVerify),
        Mode::Pk => matches!(kind, MsgKind::PkInit | MsgKind::PkVerify),
        Mode::Dh => matches!(kind, MsgKind::DhInit | MsgKind::DhResp),
    }
}

/// The route a message of `kind` normally takes (TP1 where a third party is involved).
fn usual_route(kind: MsgKind) -> (Node, Node) {
    let tp = Node::Tp(1);
    match kind {
        MsgKind::ITp => (Node::Sensor, tp),
        MsgKind::TpI => (tp, Node::Sensor),
        MsgKind::TpR => (tp, Node::Responder),
        MsgKind::RTp => (Node::Responder, tp),
        MsgKind::RI | MsgKind::PskVerify | MsgKind::PkVerify | MsgKind::DhResp => {
            (Node::Responder, Node::Sensor)
        }
        _ => (Node::Sensor, Node::Responder),
    }
}

/// How a field is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The session's value as captured, or computed from the TGK (the protocol's default).
    Session,
    /// The value of a fact the intruder holds.
    Fact,
    /// Typed by the audience.
    Typed,
}

/// The kinds of value a field holds, for the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Value {
    /// Bytes: `hex:…` typed or `fact:N`.
    Bytes,
    /// A decimal number.
    Number,
    /// An identity: `text:…` typed.
    Identity,
}

/// One field of the form.
#[derive(Clone, Copy)]
struct Field {
    /// The key in the grammar.
    key: &'static str,
    label: &'static str,
    value: Value,
    /// Which facts may fill it (`None`: typed only).
    facts: Option<fn(&FactKind) -> bool>,
    hint: &'static str,
}

fn is_tgk(k: &FactKind) -> bool {
    matches!(k, FactKind::Tgk { .. })
}

fn is_share(k: &FactKind) -> bool {
    matches!(k, FactKind::Share { .. })
}

const FIELDS: [Field; 11] = [
    Field {
        key: "tgk",
        label: "TGK",
        value: Value::Bytes,
        facts: Some(is_tgk),
        hint: "hex; shares, KCV and R_I's key are computed from it",
    },
    Field { key: "share", label: "Share", value: Value::Bytes, facts: Some(is_share), hint: "hex" },
    Field {
        key: "index", label: "Share index", value: Value::Number, facts: None, hint: "1–255"
    },
    Field { key: "k", label: "K (threshold)", value: Value::Number, facts: None, hint: "1–255" },
    Field { key: "n", label: "N (shares)", value: Value::Number, facts: None, hint: "1–255" },
    Field { key: "kcv", label: "KCV", value: Value::Bytes, facts: None, hint: "8 bytes of hex" },
    Field {
        key: "t",
        label: "Timestamp",
        value: Value::Number,
        facts: None,
        hint: "NTP-UTC, 64-bit",
    },
    Field { key: "idi", label: "IDi", value: Value::Identity, facts: None, hint: "text" },
    Field { key: "idr", label: "IDr", value: Value::Identity, facts: None, hint: "text" },
    Field { key: "rand", label: "RAND", value: Value::Bytes, facts: None, hint: "hex" },
    Field {
        key: "csb", label: "CSB ID", value: Value::Number, facts: None, hint: "0–4294967295"
    },
];

/// The state of one field: where its value comes from, the fact chosen, the text typed.
#[derive(Clone, Copy)]
struct FieldState {
    source: RwSignal<Source>,
    fact: RwSignal<Option<usize>>,
    typed: RwSignal<String>,
}

impl FieldState {
    fn new() -> Self {
        FieldState {
            source: RwSignal::new(Source::Session),
            fact: RwSignal::new(None),
            typed: RwSignal::new(String::new()),
        }
    }

    /// The field in the grammar (`key=…`), `None` when left to the session.
    fn token(&self, f: &Field) -> Option<String> {
        match self.source.get() {
            Source::Session => None,
            Source::Fact => Some(match self.fact.get() {
                Some(id) => format!("{}=fact:{id}", f.key),
                // No fact chosen: the parser names the field.
                None => format!("{}=fact:", f.key),
            }),
            Source::Typed => {
                let t = self.typed.get();
                let t = t.trim();
                Some(match f.value {
                    Value::Bytes => format!("{}=hex:{t}", f.key),
                    Value::Number => format!("{}={t}", f.key),
                    Value::Identity => format!("{}=text:{t}", f.key),
                })
            }
        }
    }
}

/// The form's message: kind, claimed sender, receiver and fields, in the inject grammar.
fn spec_text(kind: MsgKind, from: Node, to: Node, fields: &[(Field, FieldState)]) -> String {
    let mut parts = vec![format!(
        "{} {}>{}",
        forge_text::kind_name(kind).unwrap_or("ERR"),
        from.label(),
        to.label()
    )];
    parts.extend(fields.iter().filter_map(|(f, s)| s.token(f)));
    parts.join(" ")
}

/// A protection in words: computed with a key held, or garbage for want of one.
fn protection_line(p: &Protection) -> String {
    if p.can {
        format!("{}: computed with {}", p.what, p.needs)
    } else {
        format!("{}: garbage — the intruder does not hold {}", p.what, p.needs)
    }
}

#[component]
pub fn Compose(knowledge: Memo<Knowledge>) -> impl IntoView {
    let st = expect_context::<AppState>();
    let mode = Memo::new(move |_| st.config.with(|c| c.mode));
    let kinds = Memo::new(move |_| {
        let m = mode.get();
        FORGEABLE.into_iter().filter(|k| run_uses(m, *k)).collect::<Vec<_>>()
    });
    let nodes = Memo::new(move |_| {
        st.model
            .nodes
            .with(|ns| ns.iter().map(|n| n.node).filter(|n| *n != Node::Ca).collect::<Vec<_>>())
    });
    let kind = RwSignal::new(None::<MsgKind>);
    // The chosen kind while the run uses it, else its first kind.
    let current_kind = Memo::new(move |_| {
        let ks = kinds.get();
        kind.get().filter(|k| ks.contains(k)).or_else(|| ks.first().copied())
    });
    let from = RwSignal::new(None::<Node>);
    let to = RwSignal::new(None::<Node>);
    let route = Memo::new(move |_| {
        let (f, t) = current_kind.get().map_or((Node::Sensor, Node::Responder), usual_route);
        let ns = nodes.get();
        let pick =
            |chosen: Option<Node>, usual: Node| chosen.filter(|n| ns.contains(n)).unwrap_or(usual);
        (pick(from.get(), f), pick(to.get(), t))
    });
    let fields: Vec<(Field, FieldState)> = FIELDS.iter().map(|f| (*f, FieldState::new())).collect();
    let fields = StoredValue::new(fields);
    let text = Memo::new(move |_| {
        let k = current_kind.get()?;
        let (f, t) = route.get();
        Some(fields.with_value(|fs| spec_text(k, f, t, fs)))
    });
    let spec =
        Memo::new(move |_| text.get().map(|t| ForgeSpec::parse(&t).map_err(|e| e.to_string())));
    let protections = Memo::new(move |_| match spec.get() {
        Some(Ok(s)) => knowledge.with(|k| assess(&s, k)),
        _ => Vec::new(),
    });
    let inject = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        match spec.get_untracked() {
            Some(Ok(spec)) => st.command(Command::Inject { spec }),
            Some(Err(e)) => st.notice.set(format!("Not injected: {e}")),
            None => st
                .notice
                .set("Not injected: this run sends no message the intruder can forge".into()),
        }
    };
    let on_kind = move |e: leptos::ev::Event| {
        let v = event_target_value(&e);
        if let Some(k) =
            FORGEABLE.into_iter().find(|k| forge_text::kind_name(*k) == Some(v.as_str()))
        {
            kind.set(Some(k));
            // A new kind takes its usual route.
            from.set(None);
            to.set(None);
        }
    };
    let node_select = move |label: &'static str,
                            slot: RwSignal<Option<Node>>,
                            which: fn((Node, Node)) -> Node| {
        view! {
            <label class="compose-field">
                <span>{label}</span>
                <select
                    aria-label=label
                    on:change=move |e| slot.set(Node::from_label(&event_target_value(&e)))
                >
                    <For each=move || nodes.get() key=|n| *n let:n>
                        <option value=n.label() selected=move || which(route.get()) == n>
                            {n.label()}
                        </option>
                    </For>
                </select>
            </label>
        }
    };
    view! {
        <form class="compose" aria-labelledby="compose-title" on:submit=inject>
            <h3 id="compose-title">"Compose and inject"</h3>
            <p class="hint">
                "Build a message from what the intruder holds and put it on the wire now, claiming any sender. A protection whose key it does not hold goes out as garbage."
            </p>
            <label class="compose-field">
                <span>"Message"</span>
                <select aria-label="Message kind" on:change=on_kind>
                    <For each=move || kinds.get() key=|k| *k let:k>
                        <option
                            value=forge_text::kind_name(k).unwrap_or("ERR")
                            selected=move || current_kind.get() == Some(k)
                        >
                            {k.name()}
                        </option>
                    </For>
                </select>
            </label>
            {node_select("Claimed sender", from, |r| r.0)}
            {node_select("Receiver", to, |r| r.1)}
            <fieldset class="compose-fields">
                <legend>"Fields (left to the session: as captured, or computed from the TGK)"</legend>
                {fields
                    .with_value(|fs| fs.clone())
                    .into_iter()
                    .map(|(f, s)| view! { <FieldRow field=f state=s knowledge=knowledge/> })
                    .collect_view()}
            </fieldset>
            <div class="compose-preview" aria-live="polite">
                <p class="forged-name">
                    {move || {
                        let (f, t) = route.get();
                        current_kind.get().map(|k| format!("{} (forged), {} → {}", message_name(k, f, t), f.label(), t.label()))
                    }}
                </p>
                <ul class="protections" aria-label="Protections">
                    <For
                        each=move || protections.get()
                        key=|p| (p.what.clone(), p.needs.clone(), p.can)
                        children=move |p| {
                            let line = protection_line(&p);
                            view! {
                                <li class:can=p.can class:garbage=!p.can>
                                    <span aria-hidden="true">{if p.can { "✔ " } else { "✖ " }}</span>
                                    {line}
                                </li>
                            }
                        }
                    />
                </ul>
                <p class="spec-text">
                    <span class="tag">"As text: "</span>
                    <code>{move || text.get()}</code>
                </p>
                <p class="spec-error" role="status" aria-label="Compose check">
                    {move || match spec.get() {
                        Some(Err(e)) => e,
                        _ => String::new(),
                    }}
                </p>
            </div>
            <button type="submit" class="inject">
                <span aria-hidden="true">"⇶ "</span>
                "Inject"
            </button>
        </form>
    }
}

/// One field: where its value comes from, and the fact or the text.
#[component]
fn FieldRow(field: Field, state: FieldState, knowledge: Memo<Knowledge>) -> impl IntoView {
    let facts = Memo::new(move |_| match field.facts {
        Some(fits) => knowledge.with(|k| {
            k.facts()
                .iter()
                .filter(|f| fits(&f.kind))
                .map(|f| (f.id, short_name(f)))
                .collect::<Vec<_>>()
        }),
        None => Vec::new(),
    });
    let has_facts = field.facts.is_some();
    let source_name = format!("{}: value from", field.label);
    let fact_name = format!("{}: fact", field.label);
    let typed_name = format!("{}: typed ({})", field.label, field.hint);
    let on_source = move |e: leptos::ev::Event| {
        state.source.set(match event_target_value(&e).as_str() {
            "fact" => Source::Fact,
            "typed" => Source::Typed,
            _ => Source::Session,
        })
    };
    view! {
        <div class="compose-row">
            <span class="field-name" aria-hidden="true">{field.label}</span>
            <select aria-label=source_name on:change=on_source>
                <option value="session" selected=move || state.source.get() == Source::Session>
                    "session"
                </option>
                {has_facts
                    .then(|| {
                        view! {
                            <option value="fact" selected=move || state.source.get() == Source::Fact>
                                "a fact"
                            </option>
                        }
                    })}
                <option value="typed" selected=move || state.source.get() == Source::Typed>
                    "typed"
                </option>
            </select>
            <Show when=move || state.source.get() == Source::Fact>
                <select
                    aria-label=fact_name.clone()
                    on:change=move |e| state.fact.set(event_target_value(&e).parse().ok())
                >
                    <option value="" selected=move || state.fact.get().is_none()>
                        {move || if facts.with(Vec::is_empty) { "none held" } else { "choose…" }}
                    </option>
                    <For each=move || facts.get() key=|f| f.clone() let:f>
                        <option value=f.0.to_string() selected=move || state.fact.get() == Some(f.0)>
                            {f.1.clone()}
                        </option>
                    </For>
                </select>
            </Show>
            <Show when=move || state.source.get() == Source::Typed>
                <input
                    type="text"
                    aria-label=typed_name.clone()
                    spellcheck="false"
                    prop:value=move || state.typed.get()
                    on:input=move |e| state.typed.set(event_target_value(&e))
                />
            </Show>
        </div>
    }
}
