//! The widget's shadow root and its stylesheet.
//!
//! `embed.js` creates the shadow root and adopts the widget's stylesheet (fetched beside the
//! wasm, as a constructable stylesheet, which a host page's CSP without `'unsafe-inline'`
//! allows) before it shows the first view; the standalone page declares its shadow root in
//! its HTML with the same stylesheet inline. The stylesheet is not compiled into the wasm:
//! only a widget mounted without either (straight from the glue) links it here.

use wasm_bindgen::JsValue;
use web_sys::{Document, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The stylesheet's path on the server, beside the wasm.
pub const STYLESHEET: &str = "widget/widget.css";

/// The shadow root of `host`: the one `embed.js` or the page already made, else a new open one.
pub fn root_of(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    match host.shadow_root() {
        Some(root) => Ok(root),
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)),
    }
}

/// Makes sure `root` is styled: when nothing adopted or linked the stylesheet yet, links the
/// server's copy.
pub fn ensure_style(root: &ShadowRoot, document: &Document, server: &str) -> Result<(), JsValue> {
    let adopted = root.adopted_style_sheets().length() > 0;
    // The standalone page inlines it (`<style>`) in its declarative shadow root.
    let linked = root
        .query_selector("style, link[rel=stylesheet]")?
        .is_some();
    if adopted || linked {
        return Ok(());
    }
    let link = document.create_element("link")?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", &format!("{server}{STYLESHEET}"))?;
    root.prepend_with_node_1(&link)
}
