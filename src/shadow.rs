//! The widget's shadow root: its stylesheet and, later, its theme.
//!
//! The stylesheet is a constructable stylesheet (`new CSSStyleSheet()` + `replaceSync`)
//! adopted by each shadow root, not a `<style>` element: a host page whose
//! Content-Security-Policy forbids inline styles (no `style-src 'unsafe-inline'`) still
//! styles the widget, since the CSSOM is not subject to `style-src`. One sheet is shared by
//! every widget of the page.

use std::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Document, ShadowRoot};

/// The widget's stylesheet.
pub const STYLE: &str = include_str!("../style/widget.css");

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

/// The page's one copy of the widget's stylesheet, built on first use.
fn sheet() -> Result<CssStyleSheet, JsValue> {
    SHEET.with(|cell| {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(STYLE)?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })
}

/// Styles `root`: adopts the shared stylesheet, or, in a browser without constructable
/// stylesheets, falls back to a `<style>` element (which a strict CSP would block).
pub fn adopt_style(root: &ShadowRoot, document: &Document) -> Result<(), JsValue> {
    match sheet() {
        Ok(sheet) => {
            root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
            Ok(())
        }
        Err(_) => {
            let style = document.create_element("style")?;
            style.set_text_content(Some(STYLE));
            root.append_child(&style).map(|_| ())
        }
    }
}
