//! Organiser routes: create, edit, open, close and list an organisation's consultations, and
//! read their results. Every store call is scoped by the token's organisation.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::edit::breaking_changes;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::path_params::Path;
use crate::state::AppState;
use crate::store::{StoreError, StoredPoll};
use crate::token;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use concerto_core::api::OrgPoll;
use concerto_core::{PartnerKey, PollId, PollSpec, PollState, Results, Text};

/// The consultation as its organiser sees it, with the links to share it.
fn org_poll(state: &AppState, poll: StoredPoll) -> OrgPoll {
    let base = &state.public_url;
    OrgPoll {
        standalone_url: format!("{base}p/{}", poll.id),
        embed_snippet: embed_snippet(base, &poll.id, None),
        id: poll.id,
        org: poll.org,
        spec: poll.spec,
        state: poll.state,
        responses: poll.responses,
        created_at: poll.created_at,
        updated_at: poll.updated_at,
    }
}

/// The snippet a partner pastes: preloads of the first view (French, the widget's default
/// language) and of the wasm, so that both download beside `embed.js` instead of after it; the
/// loader; the placeholder.
/// A partner's snippet carries its key on the placeholder, so that its answers count for it.
pub(crate) fn embed_snippet(base: &str, id: &PollId, partner: Option<&PartnerKey>) -> String {
    let partner = partner.map_or_else(String::new, |k| format!(" data-concerto-partner=\"{k}\""));
    format!(
        "<link rel=\"preload\" href=\"{base}api/v1/polls/{id}/view?lang=fr\" as=\"fetch\" crossorigin>\n\
         {wasm}\n\
         <script src=\"{base}embed.js\" async></script>\n\
         <div data-concerto-poll=\"{id}\"{partner}></div>",
        wasm = crate::first_view::wasm_preload(base),
    )
}

fn checked(spec: PollSpec) -> Result<PollSpec, ApiError> {
    spec.check().map_err(ApiError::InvalidSpec)?;
    Ok(spec)
}

/// `GET /api/v1/org/polls`
#[utoipa::path(get, path = "/api/v1/org/polls", tag = "organiser", responses(
        (status = 200, description = "The organisation's consultations.", body = Vec<concerto_core::api::OrgPoll>),
    ))]
pub async fn list(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
) -> Result<Json<Vec<OrgPoll>>, ApiError> {
    let polls = state.store.list_polls(&org).await?;
    Ok(Json(
        polls.into_iter().map(|p| org_poll(&state, p)).collect(),
    ))
}

/// `POST /api/v1/org/polls`: creates a draft.
#[utoipa::path(post, path = "/api/v1/org/polls", tag = "organiser", request_body = PollSpec,
    responses(
        (status = 201, description = "The new draft.", body = concerto_core::api::OrgPoll,
            headers(("Location" = String, description = "The draft's URL."))),
        (status = 422, description = "The definition breaks the rules (one entry per field)."),
    ))]
pub async fn create(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    ApiJson(spec): ApiJson<PollSpec>,
) -> Result<Response, ApiError> {
    let spec = checked(spec)?;
    create_draft(&state, &org, &spec).await
}

/// Stores `spec` as a new draft of `org` and answers 201 with it.
async fn create_draft(
    state: &AppState,
    org: &concerto_core::OrgId,
    spec: &PollSpec,
) -> Result<Response, ApiError> {
    // Retry on the (astronomically unlikely) id collision rather than fail.
    for _ in 0..3 {
        let id =
            PollId::parse(token::random_id(12)).map_err(|e| ApiError::Internal(e.to_string()))?;
        match state.store.create_poll(org, &id, spec).await {
            Ok(poll) => {
                let location = format!("/api/v1/org/polls/{}", poll.id);
                return Ok((
                    StatusCode::CREATED,
                    [(header::LOCATION, location)],
                    Json(org_poll(state, poll)),
                )
                    .into_response());
            }
            Err(StoreError::AlreadyExists) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Internal("could not find a free poll id".into()))
}

/// `POST /api/v1/org/polls/{id}/duplicate`: a new draft with the same definition, its title
/// marked as a copy; the answers stay with the original.
#[utoipa::path(post, path = "/api/v1/org/polls/{id}/duplicate", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 201, description = "The copy, a new draft.", body = concerto_core::api::OrgPoll,
            headers(("Location" = String, description = "The copy's URL."))),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn duplicate(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let original = poll.spec;
    let mut spec = original.clone();
    spec.title = match spec.title {
        Text::Same(s) => Text::Same(format!("{s} (copie)")),
        Text::Translated { fr, en } => Text::Translated {
            fr: if fr.trim().is_empty() {
                fr
            } else {
                format!("{fr} (copie)")
            },
            en: if en.trim().is_empty() {
                en
            } else {
                format!("{en} (copy)")
            },
        },
    };
    // A title already at its longest keeps its wording.
    let spec = checked(spec).or_else(|_| checked(original))?;
    create_draft(&state, &org, &spec).await
}

/// `GET /api/v1/org/polls/{id}`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The consultation.", body = concerto_core::api::OrgPoll),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn show(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<OrgPoll>, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    Ok(Json(org_poll(&state, poll)))
}

/// Times an edit is checked again when answers keep arriving during the check.
const EDIT_ATTEMPTS: usize = 5;

/// `PUT /api/v1/org/polls/{id}`: replaces the definition. Once there are answers, an edit
/// that would strand them (removing an answered question or option, changing an answered
/// question's kind, …) is a 409 naming each field; wording fixes and additions go through.
#[utoipa::path(put, path = "/api/v1/org/polls/{id}", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    request_body = PollSpec,
    responses(
        (status = 200, description = "The consultation, edited.", body = concerto_core::api::OrgPoll),
        (status = 404, description = "No such consultation in the caller's organisation."),
        (status = 409, description = "The edit would strand answers already given (one entry per field)."),
        (status = 422, description = "The definition breaks the rules (one entry per field)."),
    ))]
pub async fn update(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    ApiJson(spec): ApiJson<PollSpec>,
) -> Result<Json<OrgPoll>, ApiError> {
    let id = poll_id(&id)?;
    let spec = checked(spec)?;
    for _ in 0..EDIT_ATTEMPTS {
        let current = state.store.org_poll(&org, &id).await?;
        if current.responses > 0 {
            let results = state.store.results(&current).await?;
            let changes = breaking_changes(&current.spec, &spec, &results);
            if !changes.is_empty() {
                return Err(ApiError::BreakingEdit(changes));
            }
        }
        // Applied only if no answer arrived since the check.
        if let Some(poll) = state
            .store
            .update_poll_at(&org, &id, &spec, current.responses)
            .await?
        {
            state.polls.forget(&id);
            return Ok(Json(org_poll(&state, poll)));
        }
    }
    Err(ApiError::Unavailable)
}

async fn transition(
    state: &AppState,
    org: &concerto_core::OrgId,
    id: &str,
    to: PollState,
) -> Result<Json<OrgPoll>, ApiError> {
    let id = poll_id(id)?;
    let current = state.store.org_poll(org, &id).await?;
    let allowed = matches!(
        (current.state, to),
        (PollState::Draft | PollState::Closed, PollState::Open)
            | (PollState::Open, PollState::Closed)
    );
    if current.state == to {
        // Asking twice is not an error: the consultation is where it was asked to be.
        return Ok(Json(org_poll(state, current)));
    }
    if !allowed {
        return Err(ApiError::BadTransition {
            from: current.state.as_str(),
            to: to.as_str(),
        });
    }
    let poll = state.store.set_state(org, &id, to).await?;
    state.polls.forget(&id);
    Ok(Json(org_poll(state, poll)))
}

/// `POST /api/v1/org/polls/{id}/open`: opens a draft, or reopens a closed consultation.
#[utoipa::path(post, path = "/api/v1/org/polls/{id}/open", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The consultation, open.", body = concerto_core::api::OrgPoll),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn open(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<OrgPoll>, ApiError> {
    transition(&state, &org, &id, PollState::Open).await
}

/// `POST /api/v1/org/polls/{id}/close`
#[utoipa::path(post, path = "/api/v1/org/polls/{id}/close", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The consultation, closed.", body = concerto_core::api::OrgPoll),
        (status = 404, description = "No such consultation in the caller's organisation."),
        (status = 409, description = "A draft cannot be closed."),
    ))]
pub async fn close(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<OrgPoll>, ApiError> {
    transition(&state, &org, &id, PollState::Closed).await
}

/// `GET /api/v1/org/polls/{id}/results`: the tallies, whatever the public visibility.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/results", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The tallies, whatever the public visibility.", body = Results),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn results(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Results>, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    Ok(Json(state.store.results(&poll).await?))
}
