//! A consultation's public results, fetched from the server and drawn by `concerto-ui`.

use crate::api::{Api, ApiError};
use concerto_core::PublicPoll;
use concerto_ui::Lang;
use concerto_ui::results::{ResultList, ResultsSection};
use leptos::prelude::*;
use std::sync::Arc;

/// Fetches and shows the results of a consultation.
#[component]
pub fn ResultsPanel(
    /// The consultation, for its questions' prompts and labels.
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
        async move { api.results(&id).await }
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
        Some(Ok(r)) => view! { <ResultList poll=poll.clone() results=r lang /> }.into_any(),
    };
    view! { <ResultsSection lang>{body}</ResultsSection> }
}
