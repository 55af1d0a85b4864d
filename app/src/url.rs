//! The page address as a link to a moment of the run: the fragment (`#v=1&…`) that
//! `dmikey::sim::permalink` writes and reads. Only the address is handled here; what the
//! text means is the protocol crate's.
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// The fragment after `#` (without a `view=` field), if the address has one.
pub fn fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let text = hash.strip_prefix('#').unwrap_or(&hash);
    // `view=NAME` names a view of the page, not part of the run's link.
    let text: Vec<&str> = text.split('&').filter(|f| !f.starts_with("view=")).collect();
    let text = text.join("&");
    (!text.is_empty()).then_some(text)
}

/// Puts `text` in the address as its fragment without a reload or a history entry, and
/// returns the whole address.
pub fn set_fragment(text: &str) -> Option<String> {
    let w = web_sys::window()?;
    w.history().ok()?.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{text}"))).ok()?;
    w.location().href().ok()
}

/// Removes the fragment (the state it linked to has changed), if there is one.
pub fn clear_fragment() {
    if fragment().is_none() {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let bare =
        format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&bare));
    }
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
