//! Participation codes: made on the organiser's request and shown that once, since the store
//! keeps only a hash of each; counted for the dashboard and the results.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::error::{ApiError, CodeRefusal};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use concerto_core::api::{CodeCounts, FieldProblem, IssuedCodes, MAX_NEW_CODES, NewCodes};
use concerto_core::{Participation, ParticipationCode, PollId, Submission};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The hash a code of `poll` is stored under. With the consultation's id in it, the same code
/// printed for two consultations is two different rows.
pub fn code_hash(poll: &PollId, code: &ParticipationCode) -> String {
    let mut h = Sha256::new();
    h.update(poll.as_str().as_bytes());
    h.update(b":");
    h.update(code.as_canonical().as_bytes());
    crate::token::hex(&h.finalize())
}

/// The hash of the code `submission` must use, if `participation` asks for one.
pub fn required_code(
    poll: &PollId,
    participation: Participation,
    submission: &Submission,
) -> Result<Option<String>, ApiError> {
    match participation {
        // A code sent anyway is not needed: ignored, not refused.
        Participation::Open => Ok(None),
        Participation::OneAnswerPerCode => {
            let raw = submission
                .code
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .ok_or(ApiError::CodeRefused(CodeRefusal::Missing))?;
            let code = ParticipationCode::parse(raw)
                .map_err(|e| ApiError::CodeRefused(CodeRefusal::from(e)))?;
            Ok(Some(code_hash(poll, &code)))
        }
    }
}

fn new_code() -> ParticipationCode {
    let bytes: [u8; 20] = crate::token::random_bytes();
    let mut words = [0u32; 5];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    ParticipationCode::from_random(words)
}

/// `POST /api/v1/org/polls/{id}/codes`: `count` new participation codes for the consultation,
/// in the response only (print them now: the server keeps their hashes alone).
#[utoipa::path(post, path = "/api/v1/org/polls/{id}/codes", tag = "organiser",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    request_body = NewCodes,
    responses(
        (status = 201, description = "The new codes, shown this once, and the counts after.", body = IssuedCodes),
        (status = 404, description = "No such consultation in the caller's organisation."),
        (status = 422, description = "`count` is not between 1 and 5,000."),
    ))]
pub async fn create(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    // Read after the consultation is found: another organisation's caller learns nothing
    // from how its body is refused.
    request: Result<ApiJson<NewCodes>, ApiError>,
) -> Result<(StatusCode, Json<IssuedCodes>), ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?.id;
    let ApiJson(request) = request?;
    if !(1..=MAX_NEW_CODES).contains(&request.count) {
        return Err(ApiError::Unprocessable(FieldProblem::new(
            "count",
            "out_of_range",
            format!("ask for 1 to {MAX_NEW_CODES} codes at a time"),
        )));
    }
    let wanted = request.count as usize;
    let mut codes: Vec<ParticipationCode> = Vec::with_capacity(wanted);
    let mut counts = CodeCounts::default();
    // A code the consultation already has (from this request or an earlier one) is skipped by
    // the store: drawn again until there are as many new ones as asked (a few tries at most:
    // 6.4 million codes).
    for _ in 0..8 {
        let missing = wanted - codes.len();
        if missing == 0 {
            break;
        }
        let mut batch: Vec<ParticipationCode> = (0..missing).map(|_| new_code()).collect();
        batch.sort();
        batch.dedup();
        let mut hashed: Vec<(String, ParticipationCode)> = batch
            .into_iter()
            .map(|c| (code_hash(&poll, &c), c))
            .collect();
        let hashes = hashed.iter().map(|(h, _)| h.clone()).collect();
        let (added, now) = state.store.add_codes(&org, &poll, hashes).await?;
        counts = now;
        let added: HashSet<String> = added.into_iter().collect();
        hashed.retain(|(h, _)| added.contains(h));
        codes.extend(hashed.into_iter().map(|(_, c)| c));
    }
    Ok((
        StatusCode::CREATED,
        Json(IssuedCodes {
            codes: codes.iter().map(ToString::to_string).collect(),
            counts,
        }),
    ))
}

/// `GET /api/v1/org/polls/{id}/codes`: how many codes the consultation has, and how many
/// were used.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/codes", tag = "organiser",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The consultation's codes, counted.", body = CodeCounts),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn counts(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<CodeCounts>, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    Ok(Json(state.store.code_counts(&poll.id).await?))
}
