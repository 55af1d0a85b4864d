//! The glossary on hover and focus. Every term the page shows is defined once, in the protocol
//! crate's glossary file (`dmikey::sim::glossary`); this module only renders it:
//!
//! * [`Glossed`] — a text with each glossary term in it marked: hovering or focusing a term
//!   shows its definition in the tooltip, Escape hides it;
//! * [`Term`] — one explicit term (`<Term id="TGK">"the TGK"</Term>`);
//! * [`GlossaryRoot`] — mounted once (in the header): the "Glossary" button, the list of every
//!   entry it opens, and the one tooltip. The list's definitions are the elements the terms'
//!   `aria-describedby` point at, so a screen reader reads the definition with the term.
//!
//! A marked term is plain markup (`<span class="term" data-term=SLUG>`): the root listens for
//! pointer, focus and Escape events on the whole page and finds the term they concern, so a
//! page with hundreds of terms carries no handler per term.
use std::cell::{Cell, RefCell};

use dmikey::sim::glossary::{self, Entry, Span};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The id of the element holding `entry`'s definition (in the glossary list).
fn definition_id(entry: &Entry) -> String {
    format!("gloss-def-{}", entry.slug)
}

/// Where the tooltip is and what it shows.
#[derive(Clone, PartialEq)]
struct Shown {
    entry: &'static Entry,
    /// CSS position (fixed), from the term's box.
    style: String,
    /// Opened by keyboard focus (closes on blur) rather than by the pointer (closes on leave).
    by_focus: bool,
}

/// The one tooltip's state, shared by every term on the page. Reference-counted signals: they
/// belong to no component, so no term that goes away can take them along.
#[derive(Clone)]
struct Tip {
    shown: ArcRwSignal<Option<Shown>>,
    /// The pointer is over the tooltip itself (it stays open, so it can be read and selected).
    over: ArcRwSignal<bool>,
}

thread_local! {
    static TIP: Tip = Tip { shown: ArcRwSignal::new(None), over: ArcRwSignal::new(false) };
    /// The marked element the tooltip explains.
    static ANCHOR: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    static ANCHORS: Cell<u64> = const { Cell::new(0) };
}

/// A fresh number for a marked term (its `data-anchor`), so the tooltip knows which one it
/// belongs to.
fn next_anchor() -> u64 {
    ANCHORS.with(|a| {
        a.set(a.get() + 1);
        a.get()
    })
}

fn tip() -> Tip {
    TIP.with(Tip::clone)
}

/// Whether `el` is the term the tooltip explains.
fn is_anchor(el: &web_sys::Element) -> bool {
    ANCHOR.with(|a| a.borrow().as_ref() == Some(el))
}

/// Whether the term numbered `n` is the one the tooltip explains.
fn anchor_is(n: u64) -> bool {
    ANCHOR.with(|a| {
        a.borrow().as_ref().and_then(|el| el.get_attribute("data-anchor")) == Some(n.to_string())
    })
}

/// Width of the tooltip in CSS pixels (the stylesheet's `max-width`), to keep it on screen.
const TIP_WIDTH: f64 = 340.0;

impl Tip {
    /// Shows `entry` beside `el`, below it or, near the bottom of the window, above it.
    fn show(&self, entry: &'static Entry, el: &web_sys::Element, by_focus: bool) {
        let r = el.get_bounding_client_rect();
        let (w, h) = web_sys::window()
            .map(|w| {
                let px = |v: Result<wasm_bindgen::JsValue, _>| {
                    v.ok().and_then(|v| v.as_f64()).unwrap_or(1024.0)
                };
                (px(w.inner_width()), px(w.inner_height()))
            })
            .unwrap_or((1024.0, 768.0));
        let left = r.left().min(w - TIP_WIDTH - 8.0).max(8.0);
        let style = if r.bottom() + 200.0 > h && r.top() > 200.0 {
            format!("left:{left:.0}px;bottom:{:.0}px", h - r.top() + 6.0)
        } else {
            format!("left:{left:.0}px;top:{:.0}px", r.bottom() + 6.0)
        };
        ANCHOR.with(|a| *a.borrow_mut() = Some(el.clone()));
        self.over.set(false);
        self.shown.set(Some(Shown { entry, style, by_focus }));
    }

    fn hide(&self) {
        ANCHOR.with(|a| *a.borrow_mut() = None);
        self.over.set(false);
        self.shown.set(None);
    }

    fn is_open(&self) -> bool {
        self.shown.with_untracked(Option::is_some)
    }

    /// The pointer left the term `el`: close its tooltip if the pointer opened it, unless the
    /// pointer moved onto the tooltip (or onto another term) meanwhile.
    fn leave(&self, el: web_sys::Element) {
        let tip = self.clone();
        set_timeout(
            move || {
                let by_pointer =
                    tip.shown.with_untracked(|s| s.as_ref().is_some_and(|s| !s.by_focus));
                if by_pointer && is_anchor(&el) && !tip.over.get_untracked() {
                    tip.hide();
                }
            },
            std::time::Duration::from_millis(250),
        );
    }
}

/// The marked term an event happened in, and its entry.
fn term_of(e: &web_sys::Event) -> Option<(web_sys::Element, &'static Entry)> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?.closest(".term").ok()??;
    let entry = glossary::by_slug(&el.get_attribute("data-term")?)?;
    Some((el, entry))
}

/// One marked term. `inert`: inside another control (a button), so not focusable itself —
/// hovering still explains it, and the glossary list has it.
#[component]
fn Marked(
    entry: &'static Entry,
    #[prop(optional)] inert: bool,
    children: Children,
) -> impl IntoView {
    let anchor = next_anchor();
    // A term re-rendered away (the narration moved on) takes its tooltip with it.
    on_cleanup(move || {
        if anchor_is(anchor) {
            tip().hide();
        }
    });
    view! {
        <span
            class="term"
            data-term=entry.slug.clone()
            data-anchor=anchor.to_string()
            tabindex=(!inert).then_some("0")
            aria-describedby=(!inert).then(|| definition_id(entry))
        >
            {children()}
        </span>
    }
}

/// `text` with its glossary terms marked (the first occurrence of each term, or every one
/// with `every`). `inert`: the text sits inside a button or a link, where a focusable term
/// would nest one control in another; the terms then explain themselves on hover only.
#[component]
pub fn Glossed(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] inert: bool,
    #[prop(optional)] every: bool,
) -> impl IntoView {
    move || {
        let text = text.get();
        let mut seen: Vec<&'static str> = Vec::new();
        let pieces: Vec<(String, Option<&'static Entry>)> = glossary::annotate(&text)
            .into_iter()
            .map(|s| match s {
                Span::Term { text, entry } if every || !seen.contains(&entry.slug.as_str()) => {
                    seen.push(entry.slug.as_str());
                    (text.to_string(), Some(entry))
                }
                other => (other.text().to_string(), None),
            })
            .collect();
        pieces
            .into_iter()
            .map(|(t, entry)| match entry {
                Some(entry) => view! { <Marked entry inert>{t}</Marked> }.into_any(),
                None => t.into_any(),
            })
            .collect_view()
    }
}

/// An explicit term: `<Term id="KCV">"the key check value"</Term>`. `id` is any spelling of
/// the term (or its slug); an unknown one renders its children unmarked.
#[component]
pub fn Term(#[prop(into)] id: String, children: Children) -> impl IntoView {
    match glossary::lookup(&id).or_else(|| glossary::by_slug(&id)) {
        Some(entry) => view! { <Marked entry>{children()}</Marked> }.into_any(),
        None => {
            leptos::logging::warn!("glossary: no entry for {id:?}");
            children().into_any()
        }
    }
}

/// The page-wide listeners that open and close the tooltip (installed once).
fn listen(open: RwSignal<bool>, button: NodeRef<leptos::html::Button>) {
    let t = tip();
    let over = window_event_listener(ev::mouseover, move |e: web_sys::MouseEvent| {
        if let Some((el, entry)) = term_of(&e)
            && !(is_anchor(&el) && t.is_open())
        {
            t.show(entry, &el, false);
        }
    });
    let t = tip();
    let out = window_event_listener(ev::mouseout, move |e: web_sys::MouseEvent| {
        if let Some((el, _)) = term_of(&e)
            && is_anchor(&el)
        {
            t.leave(el);
        }
    });
    let t = tip();
    let focus = window_event_listener(ev::focusin, move |e: web_sys::FocusEvent| {
        if let Some((el, entry)) = term_of(&e) {
            t.show(entry, &el, true);
        }
    });
    let t = tip();
    let blur = window_event_listener(ev::focusout, move |e: web_sys::FocusEvent| {
        if let Some((el, _)) = term_of(&e)
            && is_anchor(&el)
        {
            t.hide();
        }
    });
    // Escape closes the tooltip (or else the list). Listened to in the capture phase, before
    // the page's shortcuts: the Escape that closes a tooltip does not also leave the stage.
    let t = tip();
    let on_key =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.key() != "Escape" {
                return;
            }
            if t.is_open() {
                e.prevent_default();
                t.hide();
            } else if open.get_untracked() {
                e.prevent_default();
                open.set(false);
                if let Some(b) = button.get_untracked() {
                    let _ = b.focus();
                }
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback_and_bool(
            "keydown",
            on_key.as_ref().unchecked_ref(),
            true,
        );
    }
    // They live as long as the page.
    on_key.forget();
    std::mem::forget((over, out, focus, blur));
}

/// The "Glossary" button, the list of every entry, and the tooltip. Mounted once.
#[component]
pub fn GlossaryRoot() -> impl IntoView {
    let open = RwSignal::new(false);
    let heading = NodeRef::<leptos::html::H2>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    listen(open, button);
    Effect::new(move |_| {
        if open.get()
            && let Some(h) = heading.get()
        {
            let _ = h.focus();
        }
    });
    let (t1, t2, t3, t4, t5) = (tip(), tip(), tip(), tip(), tip());
    // The list (and the glossary's parse) is built in a task after the first mount, so the
    // page's first task does not carry it.
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), std::time::Duration::ZERO);
    let list = move || {
        ready.get().then(|| {
            glossary::entries().iter().map(|e| view! { <ListEntry entry=e/> }).collect_view()
        })
    };
    view! {
        <button
            class="toggle gloss-open"
            node_ref=button
            aria-expanded=move || open.get().to_string()
            aria-controls="glossary"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Glossary"
        </button>
        <section
            id="glossary"
            class="glossary-panel"
            role="dialog"
            aria-labelledby="glossary-title"
            hidden=move || !open.get()
        >
            <div class="gloss-head">
                <h2 id="glossary-title" tabindex="-1" node_ref=heading>"Glossary"</h2>
                <button
                    class="small"
                    on:click=move |_| {
                        open.set(false);
                        if let Some(b) = button.get_untracked() {
                            let _ = b.focus();
                        }
                    }
                >
                    "Close"
                </button>
            </div>
            <p class="gloss-intro">
                "Every term the page uses. Hover or focus a marked term anywhere on the page, like "
                <Term id="TGK">"TGK"</Term>
                ", to see its definition beside it; Escape hides it."
            </p>
            <dl class="gloss-list">{list}</dl>
        </section>
        <div
            id="gloss-tip"
            class="gloss-tip"
            role="tooltip"
            hidden=move || t1.shown.with(Option::is_none)
            style=move || t2.shown.with(|s| s.as_ref().map(|s| s.style.clone()).unwrap_or_default())
            on:mouseenter=move |_| t3.over.set(true)
            on:mouseleave=move |_| t4.hide()
        >
            {move || t5.shown.get().map(|s| view! { <TipBody entry=s.entry/> })}
        </div>
    }
}

/// What the tooltip says of `entry`.
#[component]
fn TipBody(entry: &'static Entry) -> impl IntoView {
    view! {
        <strong class="gloss-term">{entry.term.clone()}</strong>
        <p class="gloss-def">{entry.definition.clone()}</p>
        {entry.here.clone().map(|h| view! { <p class="gloss-here">"Here: " {h}</p> })}
        {entry.source.clone().map(|s| view! { <p class="gloss-src">"Source: " {s}</p> })}
    }
}

/// One entry of the glossary list.
#[component]
fn ListEntry(entry: &'static Entry) -> impl IntoView {
    let also = (!entry.aliases.is_empty()).then(|| {
        let spellings: Vec<String> = entry.aliases.iter().map(|a| a.replace("{n}", "i")).collect();
        view! { <span class="gloss-also">" (also " {spellings.join(", ")} ")"</span> }
    });
    view! {
        <dt id=format!("gloss-{}", entry.slug)>
            <dfn>{entry.term.clone()}</dfn>
            {also}
        </dt>
        <dd id=definition_id(entry)>{entry.definition.clone()}</dd>
        {entry.here.clone().map(|h| view! { <dd class="gloss-here">"Here: " {h}</dd> })}
        {entry.source.clone().map(|s| view! { <dd class="gloss-src">"Source: " {s}</dd> })}
    }
}
