//! The widget's states other than the form: loading, not found, not yet open, closed and
//! network error. Each has its own `data-testid` so tests and styles can tell them apart.

use crate::api::Api;
use crate::date::format_date_time;
use crate::results::ResultsPanel;
use concerto_core::{PublicPoll, ResultsVisibility};
use concerto_ui::Lang;
use concerto_ui::states::{ClosedNotice, NotYetOpenNotice};
use leptos::prelude::*;
use std::sync::Arc;

/// Shown while the consultation loads.
#[component]
pub fn Loading(
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    view! {
        <div class="cc-state cc-state--loading" data-testid="state-loading" aria-busy="true">
            <span class="cc-spinner" aria-hidden="true"></span>
            <p class="cc-state__text">{lang.t().loading}</p>
        </div>
    }
}

/// Shown when the consultation does not exist, is a draft, or the placeholder names no
/// valid id.
#[component]
pub fn NotFound(
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let t = lang.t();
    view! {
        <div class="cc-state cc-state--not-found" data-testid="state-not-found">
            <h2 class="cc-state__title">{t.not_found_title}</h2>
            <p class="cc-state__text">{t.not_found_body}</p>
        </div>
    }
}

/// Shown when the consultation could not be loaded; `on_retry` loads it again.
#[component]
pub fn NetworkError(
    /// The resident's language.
    lang: Lang,
    /// Called when the resident asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let t = lang.t();
    view! {
        <div class="cc-state cc-state--network-error" data-testid="state-network-error">
            <h2 class="cc-state__title">{t.network_error_title}</h2>
            <p class="cc-state__text">{t.network_error_body}</p>
            <button
                type="button"
                class="cc-button"
                data-testid="retry"
                on:click=move |_| on_retry.run(())
            >
                {t.retry}
            </button>
        </div>
    }
}

/// Shown before the consultation's opening time, with that time when it has one.
#[component]
pub fn NotYetOpen(
    /// The consultation.
    poll: Arc<PublicPoll>,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let when = match poll.opens_at {
        Some(at) => lang.opens_on(&format_date_time(lang, at)),
        None => lang.t().not_yet_open.to_owned(),
    };
    view! { <NotYetOpenNotice title=poll.title.clone() when lang /> }
}

/// Shown once the consultation is closed, with its results when they are public.
#[component]
pub fn Closed(
    /// The consultation.
    poll: Arc<PublicPoll>,
    /// The collection server, to fetch the results.
    api: Api,
    /// The resident's language.
    lang: Lang,
    /// Move the focus here once shown: when it replaces the form the resident was in.
    #[prop(optional)]
    take_focus: bool,
) -> impl IntoView {
    let t = lang.t();
    let text = match poll.closes_at {
        Some(at) => format!(
            "{} {}",
            t.closed,
            lang.closed_on(&format_date_time(lang, at))
        ),
        None => t.closed.to_owned(),
    };
    let results = match poll.results_visibility {
        ResultsVisibility::AfterAnswering | ResultsVisibility::AfterClosing => {
            view! { <ResultsPanel poll=poll.clone() api lang /> }.into_any()
        }
        ResultsVisibility::OrganisersOnly => {
            view! { <p class="cc-state__text">{t.results_private}</p> }.into_any()
        }
    };
    view! {
        <ClosedNotice title=poll.title.clone() text lang take_focus>
            {results}
        </ClosedNotice>
    }
}
