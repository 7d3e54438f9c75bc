//! A consultation's public results: HTML the server renders from `concerto-ui`'s components,
//! fetched and shown inside the results section.
//!
//! The server draws them so that the code drawing every kind of tally stays out of the wasm
//! residents download. Its HTML is the same markup the standalone page shows, every text in
//! it escaped; the bars' lengths come as `data-percent`, set here through the CSSOM because a
//! partner's strict CSP refuses inline `style` attributes.

use crate::api::{Api, ApiError};
use concerto_core::PublicPoll;
use concerto_ui::Lang;
use concerto_ui::results::ResultsSection;
use leptos::html::Div;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Fetches and shows the results of a consultation.
#[component]
pub fn ResultsPanel(
    /// The consultation.
    poll: Arc<PublicPoll>,
    /// The collection server.
    api: Api,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let t = lang.t();
    let id = poll.id.clone();
    // An action dispatched at once rather than a resource, as in `App`.
    let fetch = Action::new_local(move |(): &()| {
        let api = api.clone();
        let id = id.clone();
        async move { api.results_view(&id, lang).await }
    });
    fetch.dispatch(());
    let results = fetch.value();
    let body = move || match results.get() {
        None => view! {
            <p class="cc-state__text" data-testid="results-loading">{t.results_loading}</p>
        }
        .into_any(),
        Some(Err(ApiError::Forbidden(_))) => view! {
            <p class="cc-state__text" data-testid="results-unavailable">{t.results_private}</p>
        }
        .into_any(),
        Some(Err(_)) => view! {
            <p class="cc-state__text" data-testid="results-unavailable">{t.results_unavailable}</p>
        }
        .into_any(),
        Some(Ok(html)) => view! { <Rendered html /> }.into_any(),
    };
    view! { <ResultsSection lang>{body}</ResultsSection> }
}

/// The server's results HTML, with each bar's length applied.
#[component]
fn Rendered(
    /// The HTML, from this widget's own server.
    html: String,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    node.on_load(|div| bar_lengths(&div));
    view! { <div class="cc-results__rendered" node_ref=node inner_html=html></div> }
}

/// Sets each bar's `width` from its `data-percent` (a whole number up to 100).
fn bar_lengths(root: &web_sys::Element) {
    let Ok(bars) = root.query_selector_all("[data-percent]") else {
        return;
    };
    for i in 0..bars.length() {
        let Some(bar) = bars
            .item(i)
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let percent = bar.get_attribute("data-percent").unwrap_or_default();
        let whole = !percent.is_empty()
            && percent.len() <= 3
            && percent.bytes().all(|b| b.is_ascii_digit());
        if whole {
            let _ = bar.style().set_property("width", &format!("{percent}%"));
        }
    }
}
