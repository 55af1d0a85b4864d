//! Display-only markup written as text: panels that show the frame and hold no form fields
//! (the intruder's ledger, the inspector, the network, the timeline, the event list) are
//! filled with `innerHTML` from one string each, instead of one generic view type per element:
//! the same elements, roles and names, at a fraction of the wasm. Their buttons carry a
//! `data-act` attribute read by one delegated handler on the container (`act`), and focus
//! stays on the same `data-act` across a redraw (`fill`).
use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `s` with the characters that matter in text and double-quoted attributes escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Keeps the children of `node` equal to the markup `f` returns, as `f`'s signals change.
pub fn fill<E>(node: NodeRef<E>, f: impl Fn() -> String + 'static)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    fill_dyn(Box::new(move || node.get().map(|e| e.unchecked_into())), Box::new(f));
}

/// `fill` without type parameters, so the effect is compiled once.
fn fill_dyn(node: Box<dyn Fn() -> Option<web_sys::Element>>, f: Box<dyn Fn() -> String>) {
    // The effect returns the markup it wrote, so an unchanged panel is left alone (an open
    // drop-down stays open, a half-typed choice stays chosen).
    Effect::new(move |last: Option<Option<String>>| {
        let html = f();
        let el = node()?;
        if last.flatten().as_ref() != Some(&html) {
            set(&el, &html);
        }
        Some(html)
    });
}

/// Replaces the children of `el`, giving the focus back to the element with the same
/// `data-act` if it was inside.
fn set(el: &web_sys::Element, html: &str) {
    let doc = web_sys::window().and_then(|w| w.document());
    let focused = doc
        .as_ref()
        .and_then(|d| d.active_element())
        .filter(|a| el.contains(Some(a)))
        .and_then(|a| a.get_attribute("data-act"));
    el.set_inner_html(html);
    if let Some(key) = focused
        && let Ok(Some(again)) = el.query_selector(&format!("[data-act=\"{key}\"]"))
    {
        let _ = again.unchecked_ref::<web_sys::HtmlElement>().focus();
    }
}

/// The `data-act` of the element an event happened in, for delegated handlers; for a key
/// press, only Enter and Space count (they activate an SVG `role="button"`).
pub fn act(e: &web_sys::Event) -> Option<String> {
    let t = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let act = t.closest("[data-act]").ok()??.get_attribute("data-act")?;
    if let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() {
        if !matches!(k.key().as_str(), "Enter" | " ") {
            return None;
        }
        e.prevent_default();
    }
    Some(act)
}

/// The number after a one-letter prefix in a `data-act` such as `n3`.
pub fn index(act: &str, prefix: char) -> Option<usize> {
    act.strip_prefix(prefix)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::esc;

    /// Bytes off the wire (a tampered ID payload, an error sentence quoting it) reach these
    /// panels as text: they must never become markup or break out of an attribute.
    #[test]
    fn escaping_neutralises_markup_and_attribute_breakouts() {
        let hostile = "TP1\"><img src=x onerror=\"alert(1)\"> & <script>";
        let out = esc(hostile);
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('"'), "{out}");
        assert_eq!(
            out,
            "TP1&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;"
        );
        assert_eq!(esc("plain · text ✔"), "plain · text ✔");
    }
}
