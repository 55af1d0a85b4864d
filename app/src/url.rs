//! The page address as a link to a moment of the run: the fragment (`#v=1&…`) that
//! `dmikey::sim::permalink` writes and reads. Only the address is handled here; what the
//! text means is the protocol crate's.
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::state::View;

/// The whole fragment after `#`, if the address has one.
fn raw_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let text = hash.strip_prefix('#').unwrap_or(&hash);
    (!text.is_empty()).then(|| text.to_string())
}

/// The fragment split into the link to a moment of the run and the view (`view=NAME`), which
/// is the page's and not the run's, so the permalink parser never sees it.
fn split(text: &str) -> (String, Option<&str>) {
    let mut view = None;
    let mut rest = Vec::new();
    for field in text.split('&').filter(|f| !f.is_empty()) {
        match field.strip_prefix("view=") {
            Some(name) => view = Some(name),
            None => rest.push(field),
        }
    }
    (rest.join("&"), view)
}

/// The link to a moment of the run in the fragment, if the address has one (the view left out).
/// In the lesson (`view=lesson&chapter=C&step=S`), the link of the run that page shows.
pub fn fragment() -> Option<String> {
    let raw = raw_fragment()?;
    let (link, view) = split(&raw);
    if view.and_then(View::from_name) == Some(View::Lesson) {
        return crate::lesson::page_link(lesson_place_in(&link));
    }
    (!link.is_empty()).then_some(link)
}

/// The lesson's place in the address: `chapter=C&step=S` (1-based; 1, 1 when absent or not
/// numbers).
fn lesson_place_in(text: &str) -> (usize, usize) {
    let mut place = (1, 1);
    for field in text.split('&') {
        let number = |v: &str| v.parse::<usize>().ok().filter(|n| *n >= 1);
        if let Some(c) = field.strip_prefix("chapter=").and_then(number) {
            place.0 = c;
        } else if let Some(s) = field.strip_prefix("step=").and_then(number) {
            place.1 = s;
        }
    }
    place
}

/// The lesson's place the address names (`chapter=5&step=3`), if it shows the lesson.
pub fn lesson_place() -> Option<(usize, usize)> {
    let raw = raw_fragment()?;
    let (link, view) = split(&raw);
    (view.and_then(View::from_name) == Some(View::Lesson)).then(|| lesson_place_in(&link))
}

thread_local! {
    /// The lesson's place, written into the address while the lesson is on screen.
    static PLACE: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((1, 1)) };
}

/// Puts the lesson's place in the address (when the lesson is on screen) and keeps it for
/// when it is.
pub fn set_lesson_place(place: (usize, usize)) {
    PLACE.with(|p| p.set(place));
    if view() == Some(View::Lesson) {
        let _ = write("", Some(View::Lesson));
    }
}

/// The view the address names (`view=stage`), if it names one.
pub fn view() -> Option<View> {
    let raw = raw_fragment()?;
    split(&raw).1.and_then(View::from_name)
}

/// Writes `link` (may be empty) and `view` into the address, without a reload or a history
/// entry; returns the whole address.
fn write(link: &str, view: Option<View>) -> Option<String> {
    let w = web_sys::window()?;
    let loc = w.location();
    let lesson = view == Some(View::Lesson);
    let view = view.filter(|v| *v != View::Run).map(|v| format!("view={}", v.name()));
    let text = match (link.is_empty(), view) {
        // The lesson's link is its place, not the run's.
        (_, Some(v)) if lesson => {
            let (chapter, step) = PLACE.with(|p| p.get());
            format!("#{v}&chapter={chapter}&step={step}")
        }
        (true, None) => String::new(),
        (true, Some(v)) => format!("#{v}"),
        (false, None) => format!("#{link}"),
        (false, Some(v)) => format!("#{link}&{v}"),
    };
    let bare =
        format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    w.history()
        .ok()?
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("{bare}{text}")))
        .ok()?;
    loc.href().ok()
}

/// Puts `text` in the address as its fragment (next to the view) without a reload or a
/// history entry, and returns the whole address.
pub fn set_fragment(text: &str) -> Option<String> {
    write(text, view())
}

/// Removes the link from the fragment (the state it linked to has changed), keeping the view.
pub fn clear_fragment() {
    if fragment().is_none() {
        return;
    }
    let _ = write("", view());
}

/// Puts `view` in the address next to the link (the normal layout is written as no view).
pub fn set_view(view: View) {
    if self::view().unwrap_or_default() == view {
        return;
    }
    let _ = write(&fragment().unwrap_or_default(), Some(view));
}

/// Copies `text` to the clipboard; `done(true)` once it is there, `done(false)` if the page
/// may not (no Clipboard API outside secure contexts, or permission refused).
pub fn copy(text: &str, done: impl Fn(bool) + Clone + 'static) {
    let Some(w) = web_sys::window() else { return done(false) };
    let nav = w.navigator();
    let has = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has {
        return done(false);
    }
    // Two one-shot callbacks on the promise (cheaper in the wasm than a Rust future).
    let no = done.clone();
    let ok = Closure::once(move |_: JsValue| done(true));
    let err = Closure::once(move |_: JsValue| no(false));
    let _ = nav.clipboard().write_text(text).then2(&ok, &err);
    // JS holds them until the promise settles; the one not called stays (a few bytes a click).
    ok.forget();
    err.forget();
}
