//! Managing a consultation's answers: reading one whole, deleting one (a resident's erasure
//! request, a test answer), deleting them all; and deleting the consultation itself. Every
//! deletion is recorded in the organisation's activity log (who, when, how many, never what).

use super::poll_id;
use super::query::{bad, limit, params};
use crate::auth::Caller;
use crate::error::{ApiError, FieldProblem};
use crate::path_params::Path;
use crate::state::AppState;
use crate::store::{
    Activity, Actor, ResponsePage, ResponseQuery, StoreError, StoredPoll, StoredResponse,
};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use concerto_core::api::{Deleted, PollDeleted};
use concerto_core::{OptionId, PollState, QuestionId, QuestionKind, SubmissionId};
use serde::Deserialize;
use std::collections::HashMap;
use time::OffsetDateTime;

/// Entries of the activity log returned at most.
const ACTIVITY_LIMIT: u32 = 200;
/// Answers per page of the list unless asked otherwise.
const PAGE_DEFAULT: usize = 50;
/// Most answers per page of the list.
const PAGE_MAX: usize = 200;

/// `answer=<question>:<option>` (or `<question>:other`): a choice question's answer.
fn chose(poll: &StoredPoll, raw: &str) -> Result<(QuestionId, Option<OptionId>), ApiError> {
    let wrong = || {
        bad(
            "answer",
            "unknown_answer",
            "use `question:option` (or `question:other`) of one of this consultation's choice questions",
        )
    };
    let (q, o) = raw.split_once(':').ok_or_else(wrong)?;
    let question = poll
        .spec
        .questions
        .iter()
        .find(|x| x.id.as_str() == q)
        .ok_or_else(wrong)?;
    let other_allowed = matches!(
        question.kind,
        QuestionKind::SingleChoice {
            allow_other: true,
            ..
        }
    );
    if o == "other" && other_allowed {
        return Ok((question.id.clone(), None));
    }
    let option = question
        .kind
        .options()
        .iter()
        .find(|x| x.id.as_str() == o)
        .ok_or_else(wrong)?;
    Ok((question.id.clone(), Some(option.id.clone())))
}

/// A `YYYY-MM-DD` parameter as the start of that day in the server's time zone, `days`
/// later (1: the day after, for an inclusive end).
fn day(state: &AppState, field: &str, raw: &str, days: i64) -> Result<OffsetDateTime, ApiError> {
    let wrong = || {
        bad(
            field,
            "invalid",
            format!("{field} must be a date such as 2026-12-01"),
        )
    };
    let date: jiff::civil::Date = raw.parse().map_err(|_| wrong())?;
    let start = date
        .checked_add(jiff::Span::new().days(days))
        .ok()
        .and_then(|d| d.to_zoned_datetime(state.time_zone.clone()).ok())
        .ok_or_else(wrong)?;
    OffsetDateTime::from_unix_timestamp(start.timestamp().as_second()).map_err(|_| wrong())
}

/// `GET /api/v1/org/polls/{id}/responses[?limit=50&before=…&answer=q:o&from=…&to=…]`: the
/// answers, newest first, a page at a time (pass a page's `next` as `before`), only those
/// that chose `answer` and were received from `from` to `to` (days in the server's time
/// zone, both included) when given, with how many match.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/responses", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Answers per page (50 unless given)."),
        ("before" = Option<i64>, Query, description = "The `next` of the previous page."),
        ("answer" = Option<String>, Query, description = "Only answers that chose `question:option` (or `question:other`)."),
        ("from" = Option<String>, Query, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", description = "Only answers received from this day, a day such as 2026-12-01 in the server\'s time zone (empty: no bound)."),
        ("to" = Option<String>, Query, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", description = "Only answers received until this day, included, a day such as 2026-12-01 in the server\'s time zone (empty: no bound).")),
    responses(
        (status = 200, description = "A page of answers, newest first.", body = ResponsePage),
        (status = 400, description = "A query parameter is malformed (named in `errors`)."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<ResponsePage>, ApiError> {
    let params = params(query)?;
    let poll = state.store.org_poll(&caller.org, &poll_id(&id)?).await?;
    let limit = u32::try_from(limit(&params, PAGE_DEFAULT, PAGE_MAX)?).unwrap_or(u32::MAX);
    let before = params
        .get("before")
        .map(|raw| {
            raw.parse::<i64>()
                .map_err(|_| bad("before", "invalid", "before must be the `next` of a page"))
        })
        .transpose()?;
    let chose = params
        .get("answer")
        .filter(|s| !s.is_empty())
        .map(|raw| chose(&poll, raw))
        .transpose()?;
    let from = params
        .get("from")
        .filter(|s| !s.is_empty())
        .map(|raw| day(&state, "from", raw, 0))
        .transpose()?;
    let until = params
        .get("to")
        .filter(|s| !s.is_empty())
        .map(|raw| day(&state, "to", raw, 1))
        .transpose()?;
    let page = state
        .store
        .response_page(
            &caller.org,
            &poll.id,
            ResponseQuery {
                before,
                limit,
                chose,
                from,
                until,
            },
        )
        .await?;
    Ok(Json(page))
}

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
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/responses/{submission}", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."), ("submission" = concerto_core::SubmissionId, Path, description = "The answer's submission id.")),
    responses(
        (status = 200, description = "The answer, whole.", body = StoredResponse),
        (status = 404, description = "No such consultation, or no such answer in it."),
    ))]
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

/// `DELETE /api/v1/org/polls/{id}/responses/{submission}`: deletes one answer; the tallies,
/// the count, live views and every export no longer hold it. A device that sends it again
/// (from its outbox) is told it was received, and it is not stored again.
#[utoipa::path(delete, path = "/api/v1/org/polls/{id}/responses/{submission}", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."), ("submission" = concerto_core::SubmissionId, Path, description = "The answer's submission id.")),
    responses(
        (status = 200, description = "Deleted; how many answers are left.", body = Deleted),
        (status = 404, description = "No such consultation, or no such answer in it."),
    ))]
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
#[utoipa::path(delete, path = "/api/v1/org/polls/{id}/responses", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "Every answer deleted.", body = Deleted),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
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

/// `DELETE /api/v1/org/polls/{id}[?confirm=<title>]`: deletes the consultation and its
/// answers. A draft goes at once; one that was opened needs its title in `confirm`, as the
/// organiser typed it, since its answers go with it.
#[utoipa::path(delete, path = "/api/v1/org/polls/{id}", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("confirm" = Option<String>, Query, description = "The consultation\'s title, required unless it is a draft.")),
    responses(
        (status = 200, description = "Deleted with its answers.", body = PollDeleted),
        (status = 400, description = "The query is malformed."),
        (status = 404, description = "No such consultation in the caller's organisation."),
        (status = 422, description = "`confirm` is missing or is not the title."),
    ))]
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
    state.polls.forget(&poll.id);
    Ok(Json(PollDeleted { deleted_answers }))
}

/// `GET /api/v1/org/activity`: the organisation's activity log, newest first.
#[utoipa::path(get, path = "/api/v1/org/activity", tag = "organiser", responses(
        (status = 200, description = "The activity log, newest first (200 entries at most).", body = Vec<Activity>),
    ))]
pub async fn activity(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Activity>>, ApiError> {
    Ok(Json(
        state.store.activity(&caller.org, ACTIVITY_LIMIT).await?,
    ))
}
