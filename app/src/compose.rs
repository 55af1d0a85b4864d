//! Compose and inject, in the intruder panel: the audience builds a message of a kind the run
//! uses, from a claimed sender to a receiver, with each field left to the session's value,
//! picked from a fact the intruder holds, or typed. The form is written in the protocol's
//! inject grammar (`dmikey::sim::forge_text`) and read back with `ForgeSpec::parse`, so every
//! check and every error is the protocol's; what the message needs and whether the intruder
//! can compute it comes from `dmikey::sim::assess`. "Inject" sends `Command::Inject` at the
//! current step through `AppState::command`, so it is recorded in the script and carried by
//! a link.
use dmikey::sim::{
    Candidate, Command, ForgeField, ForgeSpec, Knowledge, MsgKind, Node, Protection, Typed, assess,
    forge_text, message_name,
};
use leptos::prelude::*;

use crate::state::AppState;

/// How a field is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The session's value as captured, or computed from the TGK (the protocol's default).
    Session,
    /// Read from a fact the intruder holds.
    Fact,
    /// Typed by the audience.
    Typed,
}

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
    fn token(&self, f: ForgeField) -> Option<String> {
        match self.source.get() {
            Source::Session => None,
            Source::Fact => Some(match self.fact.get() {
                Some(id) => format!("{}=fact:{id}", f.key()),
                // No fact chosen: the parser names the field.
                None => format!("{}=fact:", f.key()),
            }),
            Source::Typed => {
                let t = self.typed.get();
                let t = t.trim();
                Some(match f.typed() {
                    Typed::Bytes => format!("{}=hex:{t}", f.key()),
                    Typed::Number => format!("{}={t}", f.key()),
                    Typed::Identity => format!("{}=text:{t}", f.key()),
                })
            }
        }
    }
}

/// The form's message: kind, claimed sender, receiver and fields, in the inject grammar.
fn spec_text(kind: MsgKind, from: Node, to: Node, fields: &[(ForgeField, FieldState)]) -> String {
    let mut parts = vec![format!(
        "{} {}>{}",
        forge_text::kind_name(kind).unwrap_or("ERR"),
        from.label(),
        to.label()
    )];
    parts.extend(fields.iter().filter_map(|(f, s)| s.token(*f)));
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
    let kinds = Memo::new(move |_| ForgeSpec::kinds_for(mode.get()));
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
        let (f, t) =
            current_kind.get().map_or((Node::Sensor, Node::Responder), ForgeSpec::usual_route);
        let ns = nodes.get();
        let pick =
            |chosen: Option<Node>, usual: Node| chosen.filter(|n| ns.contains(n)).unwrap_or(usual);
        (pick(from.get(), f), pick(to.get(), t))
    });
    let fields: Vec<(ForgeField, FieldState)> =
        ForgeField::ALL.iter().map(|f| (*f, FieldState::new())).collect();
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
        if let Some(k) = kinds
            .get_untracked()
            .into_iter()
            .find(|k| forge_text::kind_name(*k) == Some(v.as_str()))
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

/// A fact in the field's list: its name, the value it gives and its provenance.
fn candidate_line(c: &Candidate) -> String {
    format!("#{} {} = {}", c.fact, c.name, c.value.show())
}

/// One field: where its value comes from, and the fact or the text.
#[component]
fn FieldRow(field: ForgeField, state: FieldState, knowledge: Memo<Knowledge>) -> impl IntoView {
    // The facts that give this field, read by the protocol (a captured message's field, a
    // share, a TGK), each with its provenance.
    let facts = Memo::new(move |_| knowledge.with(|k| field.candidates(k)));
    let source_name = format!("{}: value from", field.label());
    let fact_name = format!("{}: fact", field.label());
    let typed_name = format!("{}: typed ({})", field.label(), field.hint());
    let on_source = move |e: leptos::ev::Event| {
        state.source.set(match event_target_value(&e).as_str() {
            "fact" => Source::Fact,
            "typed" => Source::Typed,
            _ => Source::Session,
        })
    };
    let chosen_chain = move || {
        let id = state.fact.get()?;
        facts.with(|cs| cs.iter().find(|c| c.fact == id).map(|c| c.chain.clone()))
    };
    view! {
        <div class="compose-row">
            <span class="field-name" aria-hidden="true">{field.label()}</span>
            <select aria-label=source_name on:change=on_source>
                <option value="session" selected=move || state.source.get() == Source::Session>
                    "session"
                </option>
                <option value="fact" selected=move || state.source.get() == Source::Fact>
                    "a fact"
                </option>
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
                    <For each=move || facts.get() key=|c| (c.fact, c.name.clone(), c.chain.clone()) let:c>
                        <option
                            value=c.fact.to_string()
                            title=c.chain.clone()
                            selected=move || state.fact.get() == Some(c.fact)
                        >
                            {candidate_line(&c)}
                        </option>
                    </For>
                </select>
                <span class="fact-chain">{chosen_chain}</span>
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
