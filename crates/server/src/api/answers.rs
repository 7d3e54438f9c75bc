//! Managing a consultation's answers: reading one whole, deleting one (a resident's erasure
//! request, a test answer), deleting them all; and deleting the consultation itself. Every
//! deletion is recorded in the organisation's activity log (who, when, how many, never what).

use super::poll_id;
use crate::auth::Caller;
use crate::error::{ApiError, FieldProblem};
use crate::state::AppState;
use crate::store::{Activity, Actor, StoreError, StoredResponse};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use concerto_core::{PollState, SubmissionId};
use serde::{Deserialize, Serialize};

/// Entries of the activity log returned at most.
const ACTIVITY_LIMIT: u32 = 200;

/// Who is calling, as the activity log names them.
fn actor(caller: &Caller) -> Actor {
    match &caller.session {
        Some(live) => Actor {
            name: Some(live.session.user.name.clone()),
            email: Some(live.session.user.email.clone()),
        },
        None => Actor {
            name: None,
            email: None,
        },
    }
}

/// An answer's submission id from the path; a malformed one cannot exist: a 404.
fn submission_id(raw: &str) -> Result<SubmissionId, ApiError> {
    SubmissionId::parse(raw).map_err(|_| ApiError::AnswerNotFound)
}

/// The consultation is checked first, so that a `NotFound` after it is the answer's.
fn answer_missing(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::AnswerNotFound,
        e => e.into(),
    }
}

/// `GET /api/v1/org/polls/{id}/responses/{submission}`: one answer, whole.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, submission)): Path<(String, String)>,
) -> Result<Json<StoredResponse>, ApiError> {
    let poll = state.store.org_poll(&caller.org, &poll_id(&id)?).await?;
    let submission = submission_id(&submission)?;
    let response = state
        .store
        .response(&caller.org, &poll.id, &submission)
        .await
        .map_err(answer_missing)?;
    Ok(Json(response))
}

/// What a deletion of answers did.
#[derive(Debug, Serialize)]
pub struct Deleted {
    /// Answers deleted.
    deleted: u64,
    /// Answers the consultation has left.
    responses: u64,
}

/// `DELETE /api/v1/org/polls/{id}/responses/{submission}`: deletes one answer; the tallies,
/// the count, live views and every export no longer hold it. A device that sends it again
/// (from its outbox) is told it was received, and it is not stored again.
pub async fn delete_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, submission)): Path<(String, String)>,
) -> Result<Json<Deleted>, ApiError> {
    let poll = state.store.org_poll(&caller.org, &poll_id(&id)?).await?;
    let submission = submission_id(&submission)?;
    let left = state
        .store
        .delete_response(&caller.org, &poll.id, &submission, &actor(&caller))
        .await
        .map_err(answer_missing)?;
    Ok(Json(Deleted {
        deleted: 1,
        responses: left,
    }))
}

/// `DELETE /api/v1/org/polls/{id}/responses`: deletes every answer of the consultation.
pub async fn delete_all(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    let deleted = state
        .store
        .delete_responses(&caller.org, &poll_id(&id)?, &actor(&caller))
        .await?;
    Ok(Json(Deleted {
        deleted,
        responses: 0,
    }))
}

/// Query of a consultation's deletion.
#[derive(Debug, Deserialize)]
pub struct DeletePollQuery {
    /// The consultation's title, typed by the organiser: required unless it is a draft.
    confirm: Option<String>,
}

/// What deleting a consultation did.
#[derive(Debug, Serialize)]
pub struct PollDeleted {
    /// Answers deleted with it.
    deleted_answers: u64,
}

/// `DELETE /api/v1/org/polls/{id}[?confirm=<title>]`: deletes the consultation and its
/// answers. A draft goes at once; one that was opened needs its title in `confirm`, as the
/// organiser typed it, since its answers go with it.
pub async fn delete_poll(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<DeletePollQuery>, QueryRejection>,
) -> Result<Json<PollDeleted>, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::BadParameter(FieldProblem::new("query", "malformed", e.body_text()))
    })?;
    let poll = state.store.org_poll(&caller.org, &poll_id(&id)?).await?;
    if poll.state != PollState::Draft {
        let title = poll.spec.title.to_string();
        let typed = query.confirm.as_deref().map(str::trim);
        if typed != Some(title.trim()) {
            return Err(ApiError::InvalidInput(vec![FieldProblem::new(
                "confirm",
                if typed.is_none() {
                    "required"
                } else {
                    "mismatch"
                },
                "type the consultation's title to delete it with its answers",
            )]));
        }
    }
    let deleted_answers = state
        .store
        .delete_poll(&caller.org, &poll.id, &actor(&caller))
        .await?;
    Ok(Json(PollDeleted { deleted_answers }))
}

/// `GET /api/v1/org/activity`: the organisation's activity log, newest first.
pub async fn activity(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Activity>>, ApiError> {
    Ok(Json(
        state.store.activity(&caller.org, ACTIVITY_LIMIT).await?,
    ))
}
