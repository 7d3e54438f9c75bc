//! Public routes, called by the widget from partners' pages: read a consultation, answer it,
//! read its results where allowed.

use super::poll_id;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::path_params::Path;
use crate::query_params::Query;
use crate::rate_limit::ClientIp;
use crate::state::AppState;
use crate::store::{StoreError, StoredPoll, SubmitOutcome};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use concerto_core::{Availability, PublicPoll, Results, Submission, validate};
use concerto_ui::Lang;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// A consultation residents may see, with what it looks like to them now.
pub(crate) async fn visible_poll(
    state: &AppState,
    raw_id: &str,
) -> Result<(Arc<StoredPoll>, Availability), ApiError> {
    let id = poll_id(raw_id)?;
    let poll = state
        .polls
        .get(state.store.as_ref(), &id)
        .await?
        .ok_or(ApiError::PollNotFound)?;
    let availability = poll
        .state
        .availability(&poll.spec, state.clock.now())
        .ok_or(ApiError::PollNotFound)?;
    Ok((poll, availability))
}

/// `GET /api/v1/polls/{id}`: the public definition; drafts are 404.
#[utoipa::path(get, path = "/api/v1/polls/{id}", tag = "public", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The consultation as residents see it.", body = PublicPoll,
            headers(("Cache-Control" = String, description = "`public, max-age=15`"))),
        (status = 404, description = "No such consultation, or a draft."),
    ))]
pub async fn definition(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    let body = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let mut resp = Json(body).into_response();
    // Short: organisers' edits and openings show up quickly.
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=15"),
    );
    Ok(resp)
}

/// Query of the first view.
#[derive(Debug, Deserialize)]
pub struct ViewQuery {
    /// The resident's language, `fr` (the default) or `en`.
    lang: Option<String>,
}

impl ViewQuery {
    /// The language asked for; French when absent or unknown.
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default()
    }
}

/// `GET /api/v1/polls/{id}/view?lang=fr`: the widget's first view, HTML rendered from the
/// widget's own components (the form, when the consultation is open) with the stylesheet and
/// the definition beside it, which `embed.js` shows while the wasm loads and the widget then
/// takes over.
/// It carries no submission id, so caching it cannot make two residents share one.
#[utoipa::path(get, path = "/api/v1/polls/{id}/view", tag = "public", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."), ("lang" = Option<String>, Query, description = "The resident's language, `fr` (the default) or `en`; French for anything else.")),
    responses(
        (status = 200, description = "The first view: the form (or a notice) with its stylesheet and definition.",
            content_type = "text/html", body = String),
        (status = 400, description = "A malformed query (a parameter given twice)."),
        (status = 404, description = "No such consultation, or a draft."),
    ))]
pub async fn first_view(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Result<Response, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    let public = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let lang = query.lang();
    let mut html = crate::first_view::widget_css(&state.widget_dir)
        .await
        .map(|css| crate::first_view::stylesheet_script(&css))
        .unwrap_or_default();
    html.push_str(&crate::first_view::definition_script(&public));
    html.push_str(&if availability == Availability::Open {
        crate::first_view::form(
            &public,
            lang,
            crate::first_view::FormOptions {
                time_zone: Some(state.time_zone.clone()),
                ..Default::default()
            },
        )
    } else {
        crate::first_view::notice(&public, lang)
    });
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    // As short as the definition's.
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=15"),
    );
    Ok(resp)
}

/// Whether the page that sent `headers` may post answers to `poll`: this server's own pages
/// and the consultation's allowed origins.
pub(crate) fn origin_allowed(state: &AppState, headers: &HeaderMap, poll: &StoredPoll) -> bool {
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        // Browsers send Origin with every POST; its absence means a non-browser client,
        // which could send any Origin it liked anyway.
        None => true,
        Some(Ok(o)) => o == state.own_origin.as_str() || poll.embeds_from(o),
        Some(Err(_)) => false,
    }
}

/// `POST /api/v1/polls/{id}/responses`: stores one answer, once.
#[utoipa::path(post, path = "/api/v1/polls/{id}/responses", tag = "public", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    request_body = Submission,
    responses(
        (status = 201, description = "Stored (or stored before: the same receipt).", body = concerto_core::api::Receipt,
            headers(("idempotent-replayed" = String, description = "`true` when this submission id was stored before."))),
        (status = 403, description = "The page's origin may not embed this consultation."),
        (status = 404, description = "No such consultation, or a draft."),
        (status = 409, description = "Not accepting answers now, or the submission id was used with other answers."),
        (status = 422, description = "Some answers break the consultation's rules (one entry per answer)."),
        (status = 429, description = "Too many answers from this address; try again (`Retry-After`)."),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<Response, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    if !origin_allowed(&state, &headers, &poll) {
        return Err(ApiError::OriginNotAllowed);
    }
    Ok(
        match accept(&state, &poll, availability, &submission, client).await? {
            SubmitOutcome::Stored(receipt) => (StatusCode::CREATED, Json(receipt)).into_response(),
            SubmitOutcome::Replayed(receipt) => replayed(receipt),
        },
    )
}

/// Validates `submission` with `core`'s rules and stores it once: a retry with the same id
/// and answers gets the first receipt again, also after closing, and whatever the answer
/// limit of `client`'s address (which counts new answers only).
pub(crate) async fn accept(
    state: &AppState,
    poll: &StoredPoll,
    availability: Availability,
    submission: &Submission,
    client: Option<std::net::IpAddr>,
) -> Result<SubmitOutcome, ApiError> {
    match accept_once(state, poll, availability, submission, client).await {
        Err(ApiError::PollChanged) => {
            // Edited, closed or reopened meanwhile (here or on another server): once more,
            // against what it is now.
            state.polls.forget(&poll.id);
            let (fresh, availability) = visible_poll(state, poll.id.as_str()).await?;
            accept_once(state, &fresh, availability, submission, client).await
        }
        other => other,
    }
}

async fn accept_once(
    state: &AppState,
    poll: &StoredPoll,
    availability: Availability,
    submission: &Submission,
    client: Option<std::net::IpAddr>,
) -> Result<SubmitOutcome, ApiError> {
    let answers =
        validate(&poll.spec.questions, &submission.answers).map_err(ApiError::InvalidAnswers)?;
    let code_hash = super::codes::required_code(&poll.id, poll.spec.participation, submission)?;
    let partner = super::partners::partner_of(poll, submission)?;
    let fingerprint = crate::token::hex(&Sha256::digest(
        serde_json::to_vec(&answers).map_err(|e| ApiError::Internal(e.to_string()))?,
    ));
    if availability != Availability::Open {
        // A retry of an answer stored before closing still gets its receipt.
        return match state
            .store
            .receipt(&poll.id, &submission.submission_id, &fingerprint)
            .await?
        {
            Some(receipt) => Ok(SubmitOutcome::Replayed(receipt)),
            None => Err(ApiError::NotAccepting(availability)),
        };
    }
    if let Some(ip) = client
        && !state.answer_limiter.check(ip, std::time::Instant::now())
    {
        // A device behind a busy shared address retrying an answer already stored (from its
        // outbox) is told so, not refused.
        return match state
            .store
            .receipt(&poll.id, &submission.submission_id, &fingerprint)
            .await?
        {
            Some(receipt) => Ok(SubmitOutcome::Replayed(receipt)),
            None => Err(ApiError::TooManyRequests),
        };
    }
    let outcome = state
        .store
        .submit(
            &poll.id,
            &submission.submission_id,
            &answers,
            &fingerprint,
            Some(poll.updated_at),
            code_hash.as_deref(),
            crate::store::Attribution {
                partner,
                via: submission.via.unwrap_or_default(),
            },
        )
        .await;
    if let Ok(SubmitOutcome::Stored(_)) = &outcome {
        state.metrics.answer_stored();
    }
    // A replay stores nothing, and an answer checked against an old version is checked
    // again: neither counts against the limit.
    if let (Ok(SubmitOutcome::Replayed(_)) | Err(StoreError::Stale), Some(ip)) = (&outcome, client)
    {
        state.answer_limiter.refund(&ip);
    }
    Ok(outcome?)
}

/// The first outcome again, marked as a replay.
fn replayed(receipt: crate::store::Receipt) -> Response {
    let mut resp = (StatusCode::CREATED, Json(receipt)).into_response();
    resp.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    resp
}

/// Query of the results' view.
#[derive(Debug, Deserialize)]
pub struct ResultsViewQuery {
    /// The resident's language, `fr` (the default) or `en`.
    lang: Option<String>,
    /// `page` for the public results page's content (the results' embed); the list alone,
    /// as the widget shows it after an answer, for anything else.
    layout: Option<String>,
}

/// `GET /api/v1/polls/{id}/results/view?lang=fr[&layout=page]`: the results as HTML rendered
/// from the widget's components, which the widget shows after an answer (so the code that
/// draws them stays out of its wasm), or with `layout=page` the public results page's
/// content, which `embed.js` shows for `data-concerto-results`. The same visibility rule as
/// the tallies.
#[utoipa::path(get, path = "/api/v1/polls/{id}/results/view", tag = "public", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."), ("lang" = Option<String>, Query, description = "The resident's language, `fr` (the default) or `en`; French for anything else."), ("layout" = Option<String>, Query, description = "`page`: the public results page's content (title, text, state, dates, number of answers, participation rule and charts); anything else: the charts alone.")),
    responses(
        (status = 200, description = "The results drawn as HTML.", content_type = "text/html", body = String),
        (status = 400, description = "A malformed query (a parameter given twice)."),
        (status = 403, description = "The results are not public (yet)."),
        (status = 404, description = "No such consultation, or a draft."),
    ))]
pub async fn results_view(
    State(state): State<AppState>,
    Path(id): Path<String>,
    // A malformed query (a parameter twice) is the client's fault: a 400 naming it.
    Query(query): Query<ResultsViewQuery>,
) -> Result<Response, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    if !poll.spec.results_visibility.public_results(availability) {
        return Err(ApiError::ResultsHidden);
    }
    let results = state.store.results(&poll).await?;
    let public = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let lang = ViewQuery { lang: query.lang }.lang();
    let html = if query.layout.as_deref() == Some("page") {
        let facts = crate::public_results::facts(&state, &poll).await?;
        crate::public_results::view(&state, &public, lang, results, facts)
    } else {
        crate::first_view::results(&public, lang, results)
    };
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// `GET /api/v1/polls/{id}/results`: the tallies, where the visibility allows.
#[utoipa::path(get, path = "/api/v1/polls/{id}/results", tag = "public", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The tallies.", body = Results),
        (status = 403, description = "The results are not public (yet)."),
        (status = 404, description = "No such consultation, or a draft."),
    ))]
pub async fn results(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Results>, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    if !poll.spec.results_visibility.public_results(availability) {
        return Err(ApiError::ResultsHidden);
    }
    Ok(Json(state.store.results(&poll).await?))
}
