//! Export for slides: the network and the sequence diagram at the current step, as SVG (the
//! drawing as it is on screen, with the page's styles inside it so it stands alone) and as PNG
//! (that SVG drawn on a canvas at twice its size on screen).
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::controls::Glyph;
use crate::state::AppState;

/// The diagrams that can be exported: the file name's stem and the selector of the drawing.
const DIAGRAMS: [(&str, &str, &str); 2] =
    [("network", "Network", ".topology svg"), ("sequence", "Sequence", ".timeline svg")];

/// One button per diagram and format.
#[component]
pub fn ExportButtons() -> impl IntoView {
    let st = expect_context::<AppState>();
    let ready = st.model.ready;
    view! {
        <details class="export extra">
            <summary>"Export"</summary>
            <div class="export-menu" role="group" aria-label="Export the diagrams for slides">
                {DIAGRAMS
                    .iter()
                    .flat_map(|&(stem, name, selector)| {
                        [("SVG", false), ("PNG", true)]
                            .into_iter()
                            .map(move |(format, png)| {
                                view! {
                                    <button
                                        class="small"
                                        aria-label=format!("Export {} diagram as {format}", name.to_lowercase())
                                        disabled=move || !ready.get()
                                        on:click=move |_| {
                                            let step = st.model.position.get_untracked();
                                            let file = format!("dmikey-{stem}-step-{step}");
                                            if export(selector, &file, png).is_none() {
                                                st.notice.set(format!("The {name} diagram could not be exported."));
                                            }
                                        }
                                    >
                                        <Glyph g=|| "⤓"/>
                                        {format!("{name} {format}")}
                                    </button>
                                }
                            })
                    })
                    .collect_view()}
            </div>
        </details>
    }
}

/// The text of every style rule of the page (the stylesheets are the page's own).
fn page_styles(doc: &web_sys::Document) -> String {
    let mut css = String::new();
    let sheets = doc.style_sheets();
    for i in 0..sheets.length() {
        let Some(sheet) = sheets.get(i).and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok())
        else {
            continue;
        };
        let Ok(rules) = sheet.css_rules() else { continue };
        for j in 0..rules.length() {
            if let Some(rule) = rules.get(j) {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
    css
}

/// The drawing at `selector` as a standalone SVG document, and its size on screen.
fn standalone(selector: &str) -> Option<(String, f64, f64)> {
    let doc = web_sys::window()?.document()?;
    let svg = doc.query_selector(selector).ok()??;
    let rect = svg.get_bounding_client_rect();
    let copy = svg.clone_node_with_deep(true).ok()?.dyn_into::<web_sys::Element>().ok()?;
    // The serializer writes the SVG namespace of the element (set again, it would be doubled).
    copy.set_attribute("width", &crate::topology::num(rect.width())).ok()?;
    copy.set_attribute("height", &crate::topology::num(rect.height())).ok()?;
    let style = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "style").ok()?;
    // A white ground, then the page's rules (its colours are variables of `:root`, which in a
    // standalone SVG is the <svg> itself).
    style.set_text_content(Some(&format!("svg {{ background: #fff; }}\n{}", page_styles(&doc))));
    copy.insert_before(&style, copy.first_child().as_ref()).ok()?;
    let text = web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()?;
    Some((text, rect.width(), rect.height()))
}

/// Saves the drawing at `selector` as `file.svg`, or as `file.png`.
fn export(selector: &str, file: &str, png: bool) -> Option<()> {
    let (svg, w, h) = standalone(selector)?;
    if !png {
        crate::controls::save(&format!("{file}.svg"), "image/svg+xml", svg.as_bytes());
        return Some(());
    }
    let doc = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&svg.into());
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let img = web_sys::HtmlImageElement::new().ok()?;
    let canvas =
        doc.create_element("canvas").ok()?.dyn_into::<web_sys::HtmlCanvasElement>().ok()?;
    let scale = 2.0;
    canvas.set_width((w * scale).ceil() as u32);
    canvas.set_height((h * scale).ceil() as u32);
    let file = format!("{file}.png");
    let loaded = img.clone();
    let src = url.clone();
    let on_load = Closure::once(move || {
        let drawn = (|| -> Option<()> {
            let ctx = canvas
                .get_context("2d")
                .ok()??
                .dyn_into::<web_sys::CanvasRenderingContext2d>()
                .ok()?;
            ctx.scale(scale, scale).ok()?;
            ctx.draw_image_with_html_image_element_and_dw_and_dh(&loaded, 0.0, 0.0, w, h).ok()?;
            let saved = Closure::once(move |blob: Option<web_sys::Blob>| {
                if let Some(blob) = blob {
                    crate::controls::save_blob(&file, &blob);
                }
            });
            canvas.to_blob(saved.as_ref().unchecked_ref()).ok()?;
            // Called once, when the PNG is encoded.
            saved.forget();
            Some(())
        })();
        if drawn.is_none() {
            leptos::logging::warn!("could not draw the PNG");
        }
        let _ = web_sys::Url::revoke_object_url(&src);
    });
    img.set_onload(Some(on_load.as_ref().unchecked_ref()));
    // Called once, when the image has loaded.
    on_load.forget();
    img.set_src(&url);
    Some(())
}
