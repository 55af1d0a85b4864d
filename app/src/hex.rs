//! The byte pane and the field tree of one annotated byte string, linked both ways as in
//! Wireshark: selecting a field highlights its bytes, focusing or clicking a byte selects the
//! field that holds it. The spans come from the decoder (`dmikey`); this file only draws them.
//!
//! Keyboard: the byte pane is one tab stop (a grid with a roving focus). ←/→ move one byte,
//! ↑/↓ one row, Home/End to the row's ends, Ctrl+Home/End to the first and last byte,
//! PageUp/PageDown to the previous and next field. In the field tree ↑/↓ move between fields.
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dmikey::sim::PayloadBox;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Bytes per row of the byte pane.
pub const ROW: usize = 16;

/// One field: its bytes, its short label and its meaning in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub range: Range<usize>,
    pub label: String,
    pub meaning: String,
}

/// One payload (or sub-payload) and its fields, in wire order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub range: Range<usize>,
    pub fields: Vec<Field>,
}

/// A byte string with the spans of its payloads and fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotated {
    pub bytes: Arc<[u8]>,
    pub parts: Vec<Part>,
}

impl Annotated {
    /// The inspector's payloads and fields (`dmikey::sim::Inspection`, or an opened
    /// plaintext) as the pane draws them.
    pub fn of(bytes: &[u8], payloads: &[PayloadBox], fields: &[dmikey::sim::Field]) -> Annotated {
        let parts = payloads
            .iter()
            .map(|p| Part {
                name: p.name.to_string(),
                range: p.range.clone(),
                fields: fields
                    .get(p.fields.clone())
                    .unwrap_or(&[])
                    .iter()
                    .map(|f| Field {
                        range: f.span.range.clone(),
                        label: f.span.label.to_string(),
                        meaning: f.span.meaning.clone(),
                    })
                    .collect(),
            })
            .collect();
        Annotated { bytes: bytes.into(), parts }
    }

    /// The (part, field) holding byte `offset`.
    pub fn field_at(&self, offset: usize) -> Option<(usize, usize)> {
        self.parts.iter().enumerate().find_map(|(p, part)| {
            if !part.range.contains(&offset) {
                return None;
            }
            part.fields.iter().position(|f| f.range.contains(&offset)).map(|f| (p, f))
        })
    }

    pub fn field(&self, at: (usize, usize)) -> Option<&Field> {
        self.parts.get(at.0).and_then(|p| p.fields.get(at.1))
    }

    /// Every field in wire order, with its (part, field) position.
    fn fields(&self) -> impl Iterator<Item = ((usize, usize), &Field)> {
        self.parts
            .iter()
            .enumerate()
            .flat_map(|(p, part)| part.fields.iter().enumerate().map(move |(f, x)| ((p, f), x)))
    }

    /// The field before or after `at` in wire order (skipping empty fields).
    fn neighbour(&self, at: (usize, usize), forward: bool) -> Option<(usize, usize)> {
        let all: Vec<_> =
            self.fields().filter(|(_, f)| !f.range.is_empty()).map(|(i, _)| i).collect();
        let i = all.iter().position(|x| *x == at)?;
        if forward {
            all.get(i + 1).copied()
        } else {
            i.checked_sub(1).and_then(|i| all.get(i)).copied()
        }
    }
}

/// Bytes as hex, grouped; long values are cut with the count of what is hidden.
pub fn hex(bytes: &[u8], max: usize) -> String {
    let shown: Vec<String> = bytes.iter().take(max).map(|b| format!("{b:02x}")).collect();
    let mut s = shown.join(" ");
    if bytes.len() > max {
        s.push_str(&format!(" … (+{} bytes)", bytes.len() - max));
    }
    s
}

/// The last byte of a range, as written beside a field ("4–7").
pub fn last(r: &Range<usize>) -> usize {
    r.end.saturating_sub(1)
}

/// A byte range as read by a person: "bytes 4–7", "byte 4", "no byte".
pub fn bytes_words(r: &Range<usize>) -> String {
    match r.len() {
        0 => "no byte".into(),
        1 => format!("byte {}", r.start),
        _ => format!("bytes {}–{}", r.start, last(r)),
    }
}

/// A byte range as the field tree's first column writes it: "4–7", "4", "–" for none.
fn offsets(r: &Range<usize>) -> String {
    match r.len() {
        0 => "–".into(),
        1 => r.start.to_string(),
        _ => format!("{}–{}", r.start, last(r)),
    }
}

/// A printable ASCII character for the ASCII column, `.` otherwise.
fn ascii(b: u8) -> char {
    if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '.' }
}

/// A prefix for element ids, unique per pane on the page.
fn fresh_prefix() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("hx{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn focus_id(id: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// The byte pane and the field tree of `data`, linked. `name` names the byte string in the
/// accessible names ("the message", "the decrypted key data").
///
/// `mark`, when given, outlines a byte range in the pane (the bytes a calculation covers).
#[component]
pub fn AnnotatedView(
    data: Annotated,
    name: String,
    #[prop(optional)] mark: Option<RwSignal<Option<Range<usize>>>>,
) -> impl IntoView {
    let data = Arc::new(data);
    let selected: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let cursor = RwSignal::new(0usize);
    let prefix = fresh_prefix();
    let mark = mark.unwrap_or_else(|| RwSignal::new(None));
    view! {
        <div class="annotated">
            <HexPane
                data=data.clone()
                selected
                cursor
                mark
                prefix=prefix.clone()
                name=name.clone()
            />
            <FieldTree data selected cursor prefix name/>
        </div>
    }
}

/// The hex and ASCII dump, 16 bytes a row; payload boundaries are marked and each payload is
/// tinted; the selected field's bytes are highlighted.
#[component]
fn HexPane(
    data: Arc<Annotated>,
    selected: RwSignal<Option<(usize, usize)>>,
    cursor: RwSignal<usize>,
    mark: RwSignal<Option<Range<usize>>>,
    prefix: String,
    name: String,
) -> impl IntoView {
    let len = data.bytes.len();
    // Part index and "first byte of a part" for each byte.
    let mut part_of = vec![None; len];
    let mut starts = vec![false; len];
    for (p, part) in data.parts.iter().enumerate() {
        if let Some(s) = starts.get_mut(part.range.start) {
            *s = true;
        }
        for i in part.range.clone() {
            if let Some(x) = part_of.get_mut(i) {
                *x = Some(p);
            }
        }
    }
    let sel_range = {
        let data = data.clone();
        Memo::new(move |_| selected.get().and_then(|at| data.field(at)).map(|f| f.range.clone()))
    };
    let pick = {
        let data = data.clone();
        move |offset: usize| {
            cursor.set(offset);
            selected.set(data.field_at(offset));
        }
    };
    let on_key = {
        let data = data.clone();
        let prefix = prefix.clone();
        let pick = pick.clone();
        move |e: leptos::ev::KeyboardEvent| {
            if len == 0 {
                return;
            }
            let at = cursor.get_untracked().min(len - 1);
            let row_start = at - at % ROW;
            let to = match e.key().as_str() {
                "ArrowLeft" => at.saturating_sub(1),
                "ArrowRight" => (at + 1).min(len - 1),
                "ArrowUp" => at.saturating_sub(ROW),
                "ArrowDown" => (at + ROW).min(len - 1),
                "Home" if e.ctrl_key() => 0,
                "End" if e.ctrl_key() => len - 1,
                "Home" => row_start,
                "End" => (row_start + ROW - 1).min(len - 1),
                "PageUp" | "PageDown" => {
                    let forward = e.key() == "PageDown";
                    let next = data.field_at(at).and_then(|f| data.neighbour(f, forward));
                    match next.and_then(|n| data.field(n)) {
                        Some(f) => f.range.start,
                        None => at,
                    }
                }
                _ => return,
            };
            e.prevent_default();
            pick(to);
            focus_id(&format!("{prefix}-b{to}"));
        }
    };
    let rows = (0..len.div_ceil(ROW))
        .map(|r| {
            let from = r * ROW;
            let to = (from + ROW).min(len);
            let cells = (from..to)
                .map(|i| {
                    let b = data.bytes.get(i).copied().unwrap_or(0);
                    let part = part_of.get(i).copied().flatten();
                    let start = starts.get(i).copied().unwrap_or(false);
                    let where_ = data
                        .field_at(i)
                        .and_then(|(p, f)| {
                            let part = data.parts.get(p)?;
                            let field = part.fields.get(f)?;
                            Some(format!("{}: {}", part.name, field.label))
                        })
                        .unwrap_or_else(|| "outside every field".into());
                    let aria = format!("byte {i}: {b:02x}, {where_}");
                    let class = match part {
                        Some(p) => format!("b p{}{}", p % 6, if start { " pstart" } else { "" }),
                        None => "b".into(),
                    };
                    let on = move || sel_range.with(|r| r.as_ref().is_some_and(|r| r.contains(&i)));
                    let marked = move || mark.with(|r| r.as_ref().is_some_and(|r| r.contains(&i)));
                    let pick = pick.clone();
                    view! {
                        <span
                            role="gridcell"
                            id=format!("{prefix}-b{i}")
                            class=class
                            class:on=on
                            class:mark=marked
                            aria-selected=move || on().to_string()
                            aria-label=aria
                            tabindex=move || if cursor.get() == i { "0" } else { "-1" }
                            on:focus=move |_| {
                                if cursor.get_untracked() != i || sel_range.with_untracked(|r| r.is_none()) {
                                    pick(i)
                                }
                            }
                        >
                            {format!("{b:02x}")}
                        </span>
                    }
                })
                .collect_view();
            let text = (from..to)
                .map(|i| {
                    let b = data.bytes.get(i).copied().unwrap_or(0);
                    let on = move || sel_range.with(|r| r.as_ref().is_some_and(|r| r.contains(&i)));
                    let pick = pick.clone();
                    view! {
                        <span class:on=on on:click=move |_| pick(i)>
                            {ascii(b).to_string()}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <div role="row" class="hrow">
                    <span role="rowheader" class="hoff">{format!("{from:04x}")}</span>
                    <span class="hbytes">{cells}</span>
                    <span class="hascii" aria-hidden="true">{text}</span>
                </div>
            }
        })
        .collect_view();
    let legend = data
        .parts
        .iter()
        .enumerate()
        .map(|(p, part)| {
            view! {
                <li class=format!("p{}", p % 6)>
                    {format!("{} · {}", part.name, bytes_words(&part.range))}
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="hlegend" aria-label=format!("Payloads of {name}")>{legend}</ul>
        <div class="hexbox">
            <div
                class="hexpane"
                role="grid"
                aria-multiselectable="true"
                aria-label=format!("Bytes of {name}, {len} bytes")
                aria-readonly="true"
                on:keydown=on_key
            >
                {rows}
            </div>
        </div>
    }
}

/// The fields, payload by payload; each field's label is a toggle that selects its bytes.
#[component]
fn FieldTree(
    data: Arc<Annotated>,
    selected: RwSignal<Option<(usize, usize)>>,
    cursor: RwSignal<usize>,
    prefix: String,
    name: String,
) -> impl IntoView {
    let body = data
        .parts
        .iter()
        .enumerate()
        .map(|(p, part)| {
            let rows = part
                .fields
                .iter()
                .enumerate()
                .map(|(f, field)| {
                    let at = (p, f);
                    let value = hex(data.bytes.get(field.range.clone()).unwrap_or(&[]), 24);
                    let start = field.range.start;
                    let on = move || selected.get() == Some(at);
                    let data_k = data.clone();
                    let prefix_k = prefix.clone();
                    let on_key = move |e: leptos::ev::KeyboardEvent| {
                        let forward = match e.key().as_str() {
                            "ArrowDown" => true,
                            "ArrowUp" => false,
                            _ => return,
                        };
                        e.prevent_default();
                        if let Some(n) = data_k.neighbour(at, forward) {
                            if let Some(f) = data_k.field(n) {
                                cursor.set(f.range.start);
                            }
                            selected.set(Some(n));
                            focus_id(&format!("{prefix_k}-f{}-{}", n.0, n.1));
                        }
                    };
                    view! {
                        <tr class:on=on>
                            <td class="off">{offsets(&field.range)}</td>
                            <th scope="row">
                                <button
                                    class="field"
                                    id=format!("{prefix}-f{p}-{f}")
                                    aria-pressed=move || on().to_string()
                                    on:click=move |_| {
                                        if selected.get_untracked() == Some(at) {
                                            selected.set(None);
                                        } else {
                                            selected.set(Some(at));
                                            cursor.set(start);
                                        }
                                    }
                                    on:keydown=on_key
                                >
                                    <crate::glossary::Glossed text=field.label.clone() inert=true/>
                                </button>
                            </th>
                            <td class="hex">{value}</td>
                            <td class="meaning">{field.meaning.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tbody>
                    <tr class="payload">
                        <th colspan="4" scope="rowgroup">
                            {format!("{} · {}", part.name, bytes_words(&part.range))}
                        </th>
                    </tr>
                    {rows}
                </tbody>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=format!("Fields of {name}") tabindex="0">
            <table class="fields">
                <thead>
                    <tr>
                        <th scope="col">"Bytes"</th>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Meaning"</th>
                    </tr>
                </thead>
                {body}
            </table>
        </div>
    }
}
