//! Organisers' accounts: invitations, logging in and out, sessions. An organisation's first
//! organiser is invited by the operator (`concerto-server org create`); organisers invite
//! the next ones. Invitations, like sessions, are random 256-bit secrets stored as SHA-256.

use crate::auth::{Caller, SessionAuth, clear_cookie, refuse_cross_site, set_cookie};
use crate::error::{ApiError, FieldProblem};
use crate::json::ApiJson;
use crate::password;
use crate::path_params::Path;
use crate::rate_limit::client_ip;
use crate::state::AppState;
use crate::store::{NewUser, Session, Store, StoreError, User};
use crate::token;
use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use concerto_core::OrgId;
use concerto_core::api::{Acceptance, Invitation, Login, Me, OrgView, SessionsRevoked, Team};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

/// Prefix of invitation tokens, to recognise a leaked one.
const INVITATION_PREFIX: &str = "cci_";
/// Longest accepted email (RFC 5321's path limit).
const EMAIL_MAX: usize = 254;
/// Longest accepted organiser name.
const NAME_MAX: usize = 100;

/// Creates an invitation to join `org`, valid for `lifetime` from `now`.
pub async fn issue_invitation(
    store: &dyn Store,
    org: &OrgId,
    created_by: Option<&str>,
    public_url: &str,
    now: OffsetDateTime,
    lifetime: Duration,
) -> Result<Invitation, StoreError> {
    let token = format!(
        "{INVITATION_PREFIX}{}",
        token::hex(&token::random_bytes::<32>())
    );
    let expires_at = now + lifetime;
    store
        .create_invitation(org, &token::hash(&token), created_by, now, expires_at)
        .await?;
    Ok(Invitation {
        url: format!("{public_url}admin/invitation#{token}"),
        token,
        expires_at,
    })
}

/// `POST /api/v1/org/invitations`: an invitation to the caller's own organisation.
#[utoipa::path(post, path = "/api/v1/org/invitations", tag = "accounts", responses(
        (status = 201, description = "The invitation, to hand to the person invited.", body = Invitation),
    ))]
pub async fn invite(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let by = caller.session.as_ref().map(|s| s.session.user.id.as_str());
    let invitation = issue_invitation(
        state.store.as_ref(),
        &caller.org,
        by,
        &state.public_url,
        state.clock.now(),
        state.invitation_lifetime,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(invitation)).into_response())
}

/// `GET /api/v1/org/team`: the caller's organisation's organisers and pending invitations.
#[utoipa::path(get, path = "/api/v1/org/team", tag = "accounts", responses(
        (status = 200, description = "The organisers and the pending invitations.", body = Team),
    ))]
pub async fn team(State(state): State<AppState>, caller: Caller) -> Result<Json<Team>, ApiError> {
    let organisers = state.store.team(&caller.org).await?;
    let invitations = state
        .store
        .pending_invitations(&caller.org, state.clock.now())
        .await?;
    Ok(Json(Team {
        organisers,
        invitations,
    }))
}

/// `DELETE /api/v1/org/invitations/{invitation}`: withdraws an invitation not used yet (the
/// id the team lists); 404 for anything else, another organisation's included.
#[utoipa::path(delete, path = "/api/v1/org/invitations/{invitation}", tag = "accounts", params(("invitation" = String, Path, pattern = "^[0-9a-f]{64}$", description = "The id the team lists.")),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 404, description = "No such pending invitation in the caller\'s organisation."),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(invitation): Path<String>,
) -> Result<StatusCode, ApiError> {
    // Ids are SHA-256 in hex: anything else names nothing.
    let well_formed = invitation.len() == 64
        && invitation
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let now = state.clock.now();
    if !well_formed
        || !state
            .store
            .revoke_invitation(&caller.org, &invitation, now)
            .await?
    {
        return Err(ApiError::InvitationNotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Trimmed and lowercased, so that logins do not depend on case.
fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn check_acceptance(a: &Acceptance) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    let email = normalise_email(&a.email);
    let well_formed = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !well_formed || email.chars().count() > EMAIL_MAX {
        problems.push(FieldProblem::new(
            "email",
            "invalid",
            format!("must be an email address of at most {EMAIL_MAX} characters"),
        ));
    }
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        problems.push(FieldProblem::new(
            "name",
            "invalid",
            format!("must have 1 to {NAME_MAX} characters"),
        ));
    }
    let len = a.password.chars().count();
    if !(password::MIN_CHARS..=password::MAX_CHARS).contains(&len) {
        let mut p = FieldProblem::new(
            "password",
            if len < password::MIN_CHARS {
                "too_short"
            } else {
                "too_long"
            },
            format!(
                "must have {} to {} characters",
                password::MIN_CHARS,
                password::MAX_CHARS
            ),
        );
        p.params.insert("min".into(), password::MIN_CHARS.into());
        p.params.insert("max".into(), password::MAX_CHARS.into());
        problems.push(p);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidInput(problems))
    }
}

/// Opens a session for `user` and answers `status` with the cookie set and who is logged in
/// (as `GET /api/v1/auth/me` would say it, so the dashboard needs no second call).
async fn open_session(
    state: &AppState,
    user: User,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let id = token::hex(&token::random_bytes::<32>());
    let now = state.clock.now();
    let expires_at = now + state.session_lifetime;
    let hash = token::hash(&id);
    state
        .store
        .create_session(&hash, &user.id, now, expires_at)
        .await?;
    let session = state
        .store
        .session(&hash)
        .await?
        .ok_or_else(|| ApiError::Internal("a session just created is missing".into()))?;
    let mut resp = (status, Json(me_of(session))).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(state, &id, state.session_lifetime),
    );
    Ok(resp)
}

async fn hash_password(state: &AppState, password: String) -> Result<String, ApiError> {
    let passwords = state.passwords.clone();
    tokio::task::spawn_blocking(move || passwords.hash(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `POST /api/v1/auth/invitations/accept`: creates the account and logs it in.
#[utoipa::path(post, path = "/api/v1/auth/invitations/accept", tag = "accounts", request_body = Acceptance,
    responses(
        (status = 201, description = "The account, created and logged in.", body = concerto_core::api::Me, headers(("Set-Cookie" = String, description = "The session cookie."))),
        (status = 403, description = "Sent by a page of another site."),
        (status = 404, description = "No such invitation, or it was used or has expired."),
        (status = 409, description = "An account already has this email."),
        (status = 422, description = "Some fields are not valid (one entry per field)."),
    ))]
pub async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Acceptance>,
) -> Result<Response, ApiError> {
    refuse_cross_site(&headers, &state)?;
    check_acceptance(&body)?;
    let password_hash = hash_password(&state, body.password).await?;
    let new = NewUser {
        id: token::random_id(16),
        email: normalise_email(&body.email),
        name: body.name.trim().to_owned(),
        password_hash,
    };
    let user = state
        .store
        .accept_invitation(&token::hash(&body.token), state.clock.now(), new)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::InvitationInvalid,
            StoreError::AlreadyExists => ApiError::EmailTaken,
            other => other.into(),
        })?;
    open_session(&state, user, StatusCode::CREATED).await
}

/// `POST /api/v1/auth/login`
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = Login,
    responses(
        (status = 200, description = "Logged in.", body = concerto_core::api::Me, headers(("Set-Cookie" = String, description = "The session cookie."))),
        (status = 401, description = "Wrong email or password."),
        (status = 403, description = "Sent by a page of another site."),
        (status = 429, description = "Too many attempts for this account or from this address (`Retry-After`)."),
    ))]
pub async fn login(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    refuse_cross_site(req.headers(), &state)?;
    let ip = client_ip(req.extensions());
    let ApiJson(body) =
        <ApiJson<Login> as FromRequest<AppState>>::from_request(req, &state).await?;
    let email = normalise_email(&body.email);
    let now = Instant::now();
    // Both buckets are charged, so neither many accounts from one address nor one account
    // from many addresses goes fast.
    let address_ok = ip.is_none_or(|ip| state.login_by_address.check(ip, now));
    // Keyed by the email's hash: a fixed 64 bytes however long the email sent.
    let account_ok = state.login_by_account.check(token::hash(&email), now);
    if !(address_ok && account_ok) {
        return Err(ApiError::TooManyLoginAttempts);
    }
    let credentials = state.store.credentials(&email).await?;
    let passwords = state.passwords.clone();
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let password = body.password;
    // An unknown email is checked against a dummy hash, so it takes as long as a known one.
    let ok = tokio::task::spawn_blocking(move || passwords.verify(&password, stored.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    match credentials {
        Some(c) if ok => open_session(&state, c.user, StatusCode::OK).await,
        _ => Err(ApiError::InvalidCredentials),
    }
}

/// `POST /api/v1/auth/logout`: ends this session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses(
        (status = 204, description = "This session ended.", headers(("Set-Cookie" = String, description = "Clears the cookie."))),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    SessionAuth(live): SessionAuth,
) -> Result<Response, ApiError> {
    state.store.delete_session(&live.id_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(&state))],
    )
        .into_response())
}

/// `POST /api/v1/auth/sessions/revoke-all`: ends every session of this account, this one too.
#[utoipa::path(post, path = "/api/v1/auth/sessions/revoke-all", tag = "accounts", responses(
        (status = 200, description = "Every session of this account ended.", body = concerto_core::api::SessionsRevoked,
            headers(("Set-Cookie" = String, description = "Clears the cookie."))),
    ))]
pub async fn revoke_all(
    State(state): State<AppState>,
    SessionAuth(live): SessionAuth,
) -> Result<Response, ApiError> {
    let revoked = state
        .store
        .delete_sessions_of(&live.session.user.id)
        .await?;
    Ok((
        [(header::SET_COOKIE, clear_cookie(&state))],
        Json(SessionsRevoked { revoked }),
    )
        .into_response())
}

/// `GET /api/v1/auth/me`: the account, its organisation and when the session ends.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "accounts", responses(
        (status = 200, description = "The account, its organisation and when the session ends.", body = concerto_core::api::Me),
    ))]
pub async fn me(SessionAuth(live): SessionAuth) -> Json<Me> {
    Json(me_of(live.session))
}

fn me_of(s: Session) -> Me {
    Me {
        org: OrgView {
            id: s.user.org.clone(),
            name: s.org_name,
        },
        user: s.user,
        session_expires_at: s.expires_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acceptance(email: &str, name: &str, password: &str) -> Acceptance {
        Acceptance {
            token: "cci_test".into(),
            email: email.into(),
            name: name.into(),
            password: password.into(),
        }
    }

    fn fields(a: &Acceptance) -> Vec<String> {
        match check_acceptance(a) {
            Ok(()) => vec![],
            Err(ApiError::InvalidInput(p)) => p.into_iter().map(|p| p.field).collect(),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn an_acceptance_names_each_faulty_field() {
        assert!(fields(&acceptance(" Zoe@Example.org ", "Zoé", "douze caractères")).is_empty());
        assert_eq!(
            fields(&acceptance("no-at-sign", " ", "short")),
            ["email", "name", "password"]
        );
        assert_eq!(
            fields(&acceptance("a@b", "x", &"p".repeat(1025))),
            ["password"]
        );
        assert_eq!(
            fields(&acceptance("a b@c", "x", &"p".repeat(12))),
            ["email"]
        );
    }
}
