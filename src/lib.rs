//! The Concerto widget: a consultation embedded on a partner's page.
//!
//! `embed.js` loads this crate's wasm once per page and calls [`mount`] for each placeholder.
//! By then the placeholder usually shows the consultation's first view, rendered by the
//! server from the same `concerto-ui` components; the widget takes it over (see
//! [`takeover`]). Each widget lives in its own open shadow root with its stylesheet inside, so
//! the host's CSS cannot reach it and ours cannot leak out. Nothing here writes to the host
//! document's `<head>` or `<html>`, sets a cookie, or calls anything but the collection server.

pub mod api;
pub mod app;
pub mod date;
pub mod decode;
pub mod encode;
pub mod form;
pub mod lang;
pub mod memory;
pub mod outbox;
pub mod results;
pub mod shadow;
pub mod source;
pub mod states;
pub mod storage;
pub mod takeover;
pub mod theme;

use crate::api::Api;
use crate::app::App;
use crate::takeover::{FirstView, Focus, TakenOver};
use concerto_core::PollId;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Mounts one widget in `host` and shows the consultation `poll_id` from the collection
/// server at `api_base` (its root URL, such as `https://concerto.example/`): takes over the
/// first view already in `host`'s shadow root, else renders into a new one and loads the
/// consultation.
///
/// The placeholder's `data-concerto-partner` and `data-concerto-via` (see [`source`]) are read
/// here, once, and go with every answer.
///
/// An invalid id shows the not-found state. Fails (a JavaScript exception) when `host`
/// already holds a mounted widget, for example when mounted twice.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, poll_id: String, api_base: String) -> Result<(), JsValue> {
    let lang = lang::detect(&host);
    let source = source::read(&host);
    let root = shadow::root_of(&host)?;
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the placeholder is not in a document"))?;
    if root
        .query_selector(".cc-root[data-concerto-live]")?
        .is_some()
    {
        return Err(JsValue::from_str(
            "the consultation is already mounted here",
        ));
    }
    let api = Api::new(&api_base);
    shadow::ensure_style(&root, &document, api.server())?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("cc-root");
    container.set_attribute("data-concerto-live", "")?;
    // The page's theme, with any unreadable accent adjusted.
    theme::apply(&host, &container);
    let poll_id = PollId::parse(poll_id.trim()).ok();

    let Some(first) = FirstView::find(&root) else {
        root.append_child(&container)?;
        leptos::mount::mount_to(container, move || view! { <App poll_id api lang source /> })
            .forget();
        return Ok(());
    };
    // Rendered aside with the resident's answers, then swapped in one step: no flash, and
    // the focus goes back to the control it was on.
    let taken = Some(TakenOver::read(&first.container, &first.poll.questions));
    let focus = Focus::save(&root);
    let preloaded = Some(Arc::new(first.poll));
    leptos::mount::mount_to(container.clone(), move || {
        view! { <App poll_id api lang source preloaded taken /> }
    })
    .forget();
    first.container.replace_with_with_node_1(&container)?;
    if let Some(focus) = focus {
        focus.restore(&container);
    }
    Ok(())
}
