//! The Concerto widget: a consultation embedded on a partner's page.
//!
//! `embed.js` loads this crate's wasm once per page and calls [`mount`] for each placeholder.
//! Each widget lives in its own open shadow root with its stylesheet inside, so the host's
//! CSS cannot reach it and ours cannot leak out. Nothing here writes to the host document's
//! `<head>` or `<html>`, sets a cookie, or calls anything but the collection server.

pub mod api;
pub mod app;
pub mod date;
pub mod form;
pub mod i18n;
pub mod lang;
pub mod memory;
pub mod outbox;
pub mod preview;
pub mod question;
pub mod results;
pub mod shadow;
pub mod states;
pub mod storage;
pub mod theme;

use crate::api::Api;
use crate::app::App;
use crate::lang::Lang;
use concerto_core::PollId;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

/// Mounts one widget in `host`: attaches an open shadow root and renders the consultation
/// `poll_id` from the collection server at `api_base` (its root URL, such as
/// `https://concerto.example/`).
///
/// An invalid id shows the not-found state. Fails (a JavaScript exception) when `host`
/// already has a shadow root, for example when mounted twice.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, poll_id: String, api_base: String) -> Result<(), JsValue> {
    let lang = Lang::detect(&host);
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the placeholder is not in a document"))?;
    // Adopted, not a <style> element: host pages need no `style-src 'unsafe-inline'`.
    shadow::adopt_style(&root, &document)?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    root.append_child(&container)?;
    // The page's theme, with any unreadable accent adjusted.
    theme::apply(&host, &container);
    let poll_id = PollId::parse(poll_id.trim()).ok();
    let api = Api::new(&api_base);
    leptos::mount::mount_to(container, move || {
        view! { <App poll_id api lang /> }
    })
    .forget();
    Ok(())
}
