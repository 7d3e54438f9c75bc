//! Partners: the owner invites organisations of this server to co-host a consultation; each
//! partner gets its key (for its snippet and its flyers' QR codes), adds its sites, and
//! follows the overall results with its own count, never anyone's answers.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::path_params::Path;
use crate::state::AppState;
use crate::store::{StoreError, StoredPartner, StoredPoll, answers_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use concerto_core::api::{
    Directory, FieldProblem, Partner, PartnerInvite, PartnerOrigins, Partners, Partnership,
    PartnershipView, Partnerships,
};
use concerto_core::{
    Availability, OrgId, PartnerKey, PartnerState, PollId, PublicPoll, Submission,
};

/// The partner organisation `submission` came through: the one whose key it carries, any
/// partner the consultation ever had (an ended partner's flyers still count for it). A key
/// that is none of them is refused, naming `partner`.
pub fn partner_of<'a>(
    poll: &'a StoredPoll,
    submission: &Submission,
) -> Result<Option<&'a OrgId>, ApiError> {
    let Some(raw) = submission
        .partner
        .as_deref()
        .filter(|k| !k.trim().is_empty())
    else {
        return Ok(None);
    };
    let unknown = || {
        ApiError::Unprocessable(FieldProblem::new(
            "partner",
            "unknown",
            "is not the key of one of this consultation's partners",
        ))
    };
    let key = PartnerKey::parse(raw).map_err(|_| unknown())?;
    poll.partner_by_key(&key)
        .map(|p| Some(&p.org))
        .ok_or_else(unknown)
}

/// The partner's snippet: the owner's, with the partner's key on the placeholder.
fn snippet(state: &AppState, poll: &PollId, key: &PartnerKey) -> String {
    super::organiser::embed_snippet(&state.public_url, poll, Some(key))
}

/// The standalone page's link that counts for the partner, for its posters and flyers.
pub fn qr_link(state: &AppState, poll: &PollId, key: &PartnerKey) -> String {
    super::qr::page_link(&state.public_url, poll, Some(key), None)
}

fn partner_body(state: &AppState, p: StoredPartner, answers: u64) -> Partner {
    Partner {
        embed_snippet: snippet(state, &p.poll, &p.key),
        qr_link: qr_link(state, &p.poll, &p.key),
        org: p.org,
        name: p.name,
        key: p.key,
        state: p.state,
        origins: p.origins,
        answers,
        invited_at: p.invited_at,
        accepted_at: p.accepted_at,
    }
}

fn partnership_body(
    state: &AppState,
    poll: &StoredPoll,
    owner_name: String,
    p: StoredPartner,
) -> Partnership {
    Partnership {
        embed_snippet: snippet(state, &p.poll, &p.key),
        qr_link: qr_link(state, &p.poll, &p.key),
        poll: p.poll,
        title: poll.spec.title.clone(),
        poll_state: poll.state,
        owner: poll.org.clone(),
        owner_name,
        state: p.state,
        key: p.key,
        origins: p.origins,
        invited_at: p.invited_at,
    }
}

/// Maps the store's `NotFound` on a partnership to its own 404 (not the consultation's).
fn no_partnership(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::PartnershipNotFound,
        other => other.into(),
    }
}

/// `GET /api/v1/org/directory`: the other organisations of this server, to invite as
/// partners.
#[utoipa::path(get, path = "/api/v1/org/directory", tag = "partners",
    responses((status = 200, description = "Every other organisation of this server, by name.", body = Directory)))]
pub async fn directory(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
) -> Result<Json<Directory>, ApiError> {
    Ok(Json(Directory {
        orgs: state.store.directory(&org).await?,
    }))
}

/// `GET /api/v1/org/polls/{id}/partners`: the consultation's partners, with the answers each
/// brought.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/partners", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "Its partners (ended ones too) and who brought how many answers.", body = Partners),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn list(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Partners>, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let counts = state.store.partner_counts(&poll.id).await?;
    let own = answers_of(&counts, None);
    let total = counts.iter().map(|(_, n)| n).sum();
    let partners = poll
        .partners
        .iter()
        .map(|p| partner_body(&state, p.clone(), answers_of(&counts, Some(&p.org))))
        .collect();
    Ok(Json(Partners {
        partners,
        own,
        total,
    }))
}

/// `POST /api/v1/org/polls/{id}/partners`: invites an organisation of this server to co-host
/// the consultation. It gets its key now; its sites may embed the consultation once it has
/// accepted and added them.
#[utoipa::path(post, path = "/api/v1/org/polls/{id}/partners", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    request_body = PartnerInvite,
    responses(
        (status = 201, description = "Invited (an ended partner is invited again with its old key).", body = Partner),
        (status = 404, description = "No such consultation in the caller's organisation."),
        (status = 409, description = "That organisation is already invited or a partner (`org`)."),
        (status = 422, description = "No such organisation, or the owner itself (`org`)."),
    ))]
pub async fn invite(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    request: Result<ApiJson<PartnerInvite>, ApiError>,
) -> Result<(StatusCode, Json<Partner>), ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let ApiJson(request) = request?;
    if request.org == org {
        return Err(ApiError::Unprocessable(FieldProblem::new(
            "org",
            "owner",
            "the owner hosts its consultation already; invite another organisation",
        )));
    }
    if !state.store.org_exists(&request.org).await? {
        return Err(ApiError::Unprocessable(FieldProblem::new(
            "org",
            "unknown",
            "no organisation of this server has this id",
        )));
    }
    let key = PartnerKey::from_random(crate::token::random_bytes());
    let partner = state
        .store
        .invite_partner(&org, &poll.id, &request.org, &key, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::AlreadyExists => ApiError::Conflict(FieldProblem::new(
                "org",
                "already_partner",
                "this organisation is already invited or a partner",
            )),
            other => other.into(),
        })?;
    state.polls.forget(&poll.id);
    let answers = partner_answers(&state, &poll.id, &partner.org).await?;
    Ok((
        StatusCode::CREATED,
        Json(partner_body(&state, partner, answers)),
    ))
}

/// The answers that came through `partner` so far.
async fn partner_answers(
    state: &AppState,
    poll: &PollId,
    partner: &OrgId,
) -> Result<u64, ApiError> {
    let counts = state.store.partner_counts(poll).await?;
    Ok(answers_of(&counts, Some(partner)))
}

/// `DELETE /api/v1/org/polls/{id}/partners/{org}`: ends a partnership. The partner's sites no
/// longer embed the consultation; answers through its printed flyers still count for it.
#[utoipa::path(delete, path = "/api/v1/org/polls/{id}/partners/{org}", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("org" = concerto_core::OrgId, Path, description = "The partner organisation.")),
    responses(
        (status = 200, description = "Ended.", body = Partner),
        (status = 404, description = "No such consultation in the caller's organisation, or no partnership to end."),
    ))]
pub async fn end(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path((id, partner)): Path<(String, String)>,
) -> Result<Json<Partner>, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let partner = OrgId::parse(&partner).map_err(|_| ApiError::PartnershipNotFound)?;
    let ended = state
        .store
        .end_partner(&org, &poll.id, &partner)
        .await
        .map_err(no_partnership)?;
    state.polls.forget(&poll.id);
    let answers = partner_answers(&state, &poll.id, &partner).await?;
    Ok(Json(partner_body(&state, ended, answers)))
}

/// The consultation `raw` and the caller's partnership of it (invited or active).
async fn own_partnership(
    state: &AppState,
    org: &OrgId,
    raw: &str,
) -> Result<(StoredPoll, StoredPartner), ApiError> {
    let id = PollId::parse(raw).map_err(|_| ApiError::PartnershipNotFound)?;
    let poll = state
        .store
        .poll(&id)
        .await?
        .ok_or(ApiError::PartnershipNotFound)?;
    let partner = poll
        .partners
        .iter()
        .find(|p| &p.org == org && p.state != PartnerState::Ended)
        .cloned()
        .ok_or(ApiError::PartnershipNotFound)?;
    Ok((poll, partner))
}

/// `GET /api/v1/org/partnerships`: the consultations the caller's organisation co-hosts or
/// is invited to.
#[utoipa::path(get, path = "/api/v1/org/partnerships", tag = "partners",
    responses((status = 200, description = "Invited and active partnerships, newest invitation first.", body = Partnerships)))]
pub async fn partnerships(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
) -> Result<Json<Partnerships>, ApiError> {
    let mut items = Vec::new();
    for p in state.store.partnerships(&org).await? {
        // A consultation deleted meanwhile is no partnership.
        let Some(poll) = state.store.poll(&p.poll).await? else {
            continue;
        };
        let owner = state.store.org_name(&poll.org).await?;
        items.push(partnership_body(&state, &poll, owner, p));
    }
    Ok(Json(Partnerships { items }))
}

/// `GET /api/v1/org/partnerships/{id}`: what a partner follows: the overall results, its own
/// count and its share; never anyone's answers.
#[utoipa::path(get, path = "/api/v1/org/partnerships/{id}", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The partnership, the consultation's overall results and the partner's count.", body = PartnershipView),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
    ))]
pub async fn show(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<PartnershipView>, ApiError> {
    let (poll, partner) = own_partnership(&state, &org, &id).await?;
    let results = state.store.results(&poll).await?;
    let counts = state.store.partner_counts(&poll.id).await?;
    let own = answers_of(&counts, Some(&org));
    let total = counts.iter().map(|(_, n)| n).sum();
    // A draft is shown as not open yet: partners prepare with the owner.
    let availability = poll
        .state
        .availability(&poll.spec, state.clock.now())
        .unwrap_or(Availability::NotYetOpen);
    let owner = state.store.org_name(&poll.org).await?;
    Ok(Json(PartnershipView {
        poll: PublicPoll::new(poll.id.clone(), &poll.spec, availability),
        partnership: partnership_body(&state, &poll, owner, partner),
        results,
        own,
        total,
    }))
}

/// `POST /api/v1/org/partnerships/{id}/accept`: the partner takes up the invitation.
#[utoipa::path(post, path = "/api/v1/org/partnerships/{id}/accept", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "Active (accepting twice changes nothing).", body = Partnership),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
    ))]
pub async fn accept(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Partnership>, ApiError> {
    let (poll, _) = own_partnership(&state, &org, &id).await?;
    let partner = state
        .store
        .accept_partnership(&org, &poll.id, state.clock.now())
        .await
        .map_err(no_partnership)?;
    state.polls.forget(&poll.id);
    let owner = state.store.org_name(&poll.org).await?;
    Ok(Json(partnership_body(&state, &poll, owner, partner)))
}

/// `DELETE /api/v1/org/partnerships/{id}`: the partner declines the invitation or leaves.
#[utoipa::path(delete, path = "/api/v1/org/partnerships/{id}", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 204, description = "Declined or left; its sites no longer embed the consultation."),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
    ))]
pub async fn leave(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (poll, _) = own_partnership(&state, &org, &id).await?;
    state
        .store
        .leave_partnership(&org, &poll.id)
        .await
        .map_err(no_partnership)?;
    state.polls.forget(&poll.id);
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/org/partnerships/{id}/origins`: the partner's own sites that embed the
/// consultation (each `https://host[:port]`), replacing those it had.
#[utoipa::path(put, path = "/api/v1/org/partnerships/{id}/origins", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    request_body = PartnerOrigins,
    responses(
        (status = 200, description = "Its sites now.", body = Partnership),
        (status = 400, description = "A malformed origin (named in `errors`: `origins[i]`)."),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
        (status = 409, description = "Not active yet: accept the invitation first (`state`)."),
        (status = 422, description = "Too many origins (`origins`)."),
    ))]
pub async fn set_origins(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    request: Result<ApiJson<PartnerOrigins>, ApiError>,
) -> Result<Json<Partnership>, ApiError> {
    let (poll, current) = own_partnership(&state, &org, &id).await?;
    let ApiJson(request) = request?;
    if request.origins.len() > MAX_PARTNER_ORIGINS {
        return Err(ApiError::Unprocessable(FieldProblem::new(
            "origins",
            "too_many",
            format!("at most {MAX_PARTNER_ORIGINS} sites"),
        )));
    }
    if current.state != PartnerState::Active {
        return Err(ApiError::Conflict(FieldProblem::new(
            "state",
            "not_active",
            "accept the invitation before adding sites",
        )));
    }
    let mut origins = request.origins;
    origins.sort();
    origins.dedup();
    let partner = state
        .store
        .set_partner_origins(&org, &poll.id, &origins)
        .await
        .map_err(no_partnership)?;
    state.polls.forget(&poll.id);
    let owner = state.store.org_name(&poll.org).await?;
    Ok(Json(partnership_body(&state, &poll, owner, partner)))
}

/// Most sites one partner adds to a consultation.
pub const MAX_PARTNER_ORIGINS: usize = 20;

/// The link of an active partner's own QR code, and the consultation's title; 409 naming
/// `state` before the partner accepted (its key counts nothing it could print yet).
async fn partner_qr(state: &AppState, org: &OrgId, id: &str) -> Result<(String, String), ApiError> {
    let (poll, partner) = own_partnership(state, org, id).await?;
    if partner.state != PartnerState::Active {
        return Err(ApiError::Conflict(FieldProblem::new(
            "state",
            "not_active",
            "accept the invitation before printing its QR code",
        )));
    }
    Ok((
        qr_link(state, &poll.id, &partner.key),
        poll.spec.title.to_string(),
    ))
}

/// `GET /api/v1/org/partnerships/{id}/qr.svg`: the partner's own QR code, for its posters and
/// flyers: the standalone page's link with its key, so that answers from it count for it.
#[utoipa::path(get, path = "/api/v1/org/partnerships/{id}/qr.svg", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The QR code of `/p/{id}?partner=KEY&via=qr`, as SVG.", content_type = "image/svg+xml", body = crate::openapi::Binary),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
        (status = 409, description = "Not active yet: accept the invitation first (`state`)."),
    ))]
pub async fn qr_svg(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (link, title) = partner_qr(&state, &org, &id).await?;
    super::qr::qr_svg_response(&link, &title)
}

/// `GET /api/v1/org/partnerships/{id}/qr.png`: the same QR code, as PNG.
#[utoipa::path(get, path = "/api/v1/org/partnerships/{id}/qr.png", tag = "partners",
    params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The QR code of `/p/{id}?partner=KEY&via=qr`, as PNG.", content_type = "image/png", body = crate::openapi::Binary),
        (status = 404, description = "The caller's organisation is not invited to co-host this consultation."),
        (status = 409, description = "Not active yet: accept the invitation first (`state`)."),
    ))]
pub async fn qr_png(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (link, title) = partner_qr(&state, &org, &id).await?;
    super::qr::qr_png_response(&link, &title)
}
