//! The public results page of a consultation, `/p/{id}/results`, for the whole town: its
//! title and text, state and dates, number of answers, participation rule and every
//! question's chart, rendered from the widget's own components, in French or English
//! (`?lang=`), readable and printable with JavaScript off.
//!
//! The page sends no script and no inline style, under a policy that allows neither: bars
//! get their length from this server's stylesheet (`/p/results.css`), one rule per whole
//! percentage matched on their `data-percent`. Where the results are not public (yet), the
//! page says so in the resident's language with a 403, as the results API does; an unknown
//! consultation or a draft is a 404 (an HTML page for browsers, problem+json for others).

use crate::api::public::visible_poll;
use crate::error::{ApiError, FieldProblem};
use crate::first_view::{moment, render};
use crate::path_params::Path;
use crate::standalone::{PageQuery, page_lang};
use crate::state::AppState;
use crate::store::{StoredPartner, StoredPoll, answers_of};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use concerto_core::api::PartnerCount;
use concerto_core::{
    Availability, OrgId, Participation, PublicPoll, Results, ResultsVisibility, small_cells,
};
use concerto_ui::Lang;
use concerto_ui::escape::escape_html;
use concerto_ui::i18n::ResultsText;
use concerto_ui::public_results::{PublicResults, ResultsFacts};
use leptos::prelude::*;
use std::sync::{Arc, LazyLock};

/// Security policy of the page: this server's stylesheets, nothing else; no script at all.
/// No `frame-ancestors`: the page has nothing to click that acts, so sites that cannot run a
/// script may show it in an iframe.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    base-uri 'none'; form-action 'none'";

/// The participation codes used and made, where each answer needs one; `None` where answers
/// are not limited.
pub async fn codes(state: &AppState, poll: &StoredPoll) -> Result<Option<(u64, u64)>, ApiError> {
    if poll.spec.participation != Participation::OneAnswerPerCode {
        return Ok(None);
    }
    let counts = state.store.code_counts(&poll.id).await?;
    Ok(Some((counts.used, counts.total)))
}

/// The answers each partner brought (the owner first, for its own sites, links and QR
/// codes), small groups hidden; empty for a consultation that never had a partner to count.
/// Partners still only invited are left out; ended ones stay, for the answers they brought.
pub async fn partners(state: &AppState, poll: &StoredPoll) -> Result<Vec<PartnerCount>, ApiError> {
    let listed: Vec<&StoredPartner> = poll
        .partners
        .iter()
        .filter(|p| p.accepted_at.is_some())
        .collect();
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    let counts = state.store.partner_counts(&poll.id).await?;
    let count_of = |who: Option<&OrgId>| answers_of(&counts, who);
    let mut named = vec![(state.store.org_name(&poll.org).await?, count_of(None))];
    named.extend(
        listed
            .into_iter()
            .map(|p| (p.name.clone(), count_of(Some(&p.org)))),
    );
    Ok(small_cells::protect(named, state.public_min_count))
}

/// What the public results show beside the charts: the participation codes (see [`codes`])
/// and the partners' counts (see [`partners`]).
pub struct Facts {
    /// Codes used and made, where answers need one.
    pub codes: Option<(u64, u64)>,
    /// Answers per partner, small groups hidden.
    pub partners: Vec<PartnerCount>,
}

/// Everything [`Facts`] holds for `poll`.
pub async fn facts(state: &AppState, poll: &StoredPoll) -> Result<Facts, ApiError> {
    Ok(Facts {
        codes: codes(state, poll).await?,
        partners: partners(state, poll).await?,
    })
}

/// The public results, as the page and the embed show them, in `lang`.
pub fn view(
    state: &AppState,
    poll: &PublicPoll,
    lang: Lang,
    results: Results,
    extra: Facts,
) -> String {
    let zone = &state.time_zone;
    let facts = ResultsFacts {
        opens: poll.opens_at.map(|at| moment(lang, at, zone)),
        closes: poll.closes_at.map(|at| moment(lang, at, zone)),
        codes: extra.codes,
        partners: extra.partners,
        min_count: state.public_min_count,
    };
    let poll = Arc::new(poll.clone());
    render(move || view! { <PublicResults poll results facts lang /> })
}

/// `GET /p/{id}/results`: the public results page.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A malformed query (`lang` twice) is the client's fault: a 400 naming it.
    let Query(query) = query.map_err(|e| {
        ApiError::BadParameter(FieldProblem::new("query", "malformed", e.body_text()))
    })?;
    let lang = page_lang(&query, &headers);
    let (poll, availability) = match visible_poll(&state, &id).await {
        Ok(found) => found,
        Err(ApiError::PollNotFound) if wants_html(&headers) => {
            let t = lang.t();
            let body = notice(t.not_found_title, t.not_found_body, "results-not-found");
            return Ok(document(
                StatusCode::NOT_FOUND,
                lang,
                t.not_found_title,
                &body,
            ));
        }
        Err(e) => return Err(e),
    };
    let public = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let title = escape_html(public.title.get(lang));
    if !poll.spec.results_visibility.public_results(availability) {
        let why = match poll.spec.results_visibility {
            ResultsVisibility::AfterClosing => ResultsText::HiddenUntilClosed,
            _ => ResultsText::HiddenForGood,
        };
        let heading = lang.results_text(ResultsText::HiddenTitle);
        let body = format!(
            r#"{}<p class="cc-page__context">{title}</p>{}"#,
            links(poll.id.as_str(), lang, availability),
            notice(heading, lang.results_text(why), "results-hidden")
        );
        return Ok(document(
            StatusCode::FORBIDDEN,
            lang,
            &format!("{heading} – {title}"),
            &body,
        ));
    }
    let results = state.store.results(&poll).await?;
    let extra = facts(&state, &poll).await?;
    let body = format!(
        r#"{nav}
{results}"#,
        nav = links(poll.id.as_str(), lang, availability),
        results = view(&state, &public, lang, results, extra),
    );
    let page_title = format!("{} – {title}", lang.results_text(ResultsText::PageTitle));
    Ok(document(StatusCode::OK, lang, &page_title, &body))
}

/// The page's links, its only controls (the print stylesheet leaves them out): to the
/// consultation's form while it is open, and to the page in the other language. `id` is a
/// checked PollId (letters, digits, '-' and '_'): safe in HTML as it is.
fn links(id: &str, lang: Lang, availability: Availability) -> String {
    let other = lang.other();
    let answer = if availability == Availability::Open {
        format!(
            r#"<a class="cc-button cc-page__link" data-testid="answer-link" href="/p/{id}?lang={lang}">{}</a>"#,
            lang.results_text(ResultsText::AnswerLink)
        )
    } else {
        String::new()
    };
    format!(
        r#"<nav class="cc-page__nav" aria-label="{nav}">{answer}<a class="cc-button cc-button--secondary cc-page__link" data-testid="other-language" href="/p/{id}/results?lang={other}" hreflang="{other}" lang="{other}">{switch}</a></nav>"#,
        nav = lang.results_text(ResultsText::Navigation),
        switch = lang.other_language_link(),
    )
}

/// Whether the client reads HTML (a browser following a link) rather than an API's errors.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A heading and its explanation, in the widget's frame.
fn notice(heading: &str, text: &str, testid: &str) -> String {
    format!(
        r#"<section class="cc-widget" data-testid="{testid}" aria-labelledby="cc-page-notice"><h2 class="cc-state__title" id="cc-page-notice">{heading}</h2><p class="cc-state__text">{text}</p></section>"#
    )
}

/// The whole page around `body` (already escaped), titled `title` (already escaped), which is
/// also its `h1` for screen readers (the frame's visible `h2` is the consultation's title).
fn document(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title} – Concerto</title>
<link rel="stylesheet" href="/widget/widget.css">
<link rel="stylesheet" href="/p/results.css">
</head>
<body>
<main class="cc-page">
<h1 class="cc-page__hidden">{title}</h1>
{body}
</main>
</body>
</html>
"#
    );
    let mut resp = (status, Html(html)).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    // Results move with every answer: always asked again.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

/// The page's own stylesheet: its layout, a rule per whole percentage for the bars (no
/// inline style needed), and how it prints (no links, bars in black on white).
static STYLESHEET: LazyLock<String> = LazyLock::new(|| {
    let mut css = String::from(include_str!("public_results.css"));
    for p in 0..=100 {
        css.push_str(&format!(
            ".cc-bar__fill[data-percent=\"{p}\"] {{ width: {p}%; }}\n"
        ));
    }
    css
});

/// `GET /p/results.css`: the page's stylesheet.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET.as_str(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whole_percentage_has_its_bar_length() {
        for p in [0, 1, 37, 100] {
            let rule = format!(".cc-bar__fill[data-percent=\"{p}\"] {{ width: {p}%; }}");
            assert!(STYLESHEET.contains(&rule), "{p}");
        }
        assert!(!STYLESHEET.contains("data-percent=\"101\""));
    }

    #[test]
    fn browsers_get_html_and_scripts_get_problems() {
        let mut headers = HeaderMap::new();
        assert!(!wants_html(&headers));
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9"),
        );
        assert!(wants_html(&headers));
    }
}
