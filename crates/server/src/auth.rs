//! Who is calling an organiser route. Scripts send `Authorization: Bearer <token>`; the
//! dashboard sends its session cookie. Either way handlers receive the organisation from
//! here and never read it from the request.
//!
//! Cross-site requests: a session cookie is an ambient credential, so a state-changing
//! request carrying one must come from this server's own pages (`Sec-Fetch-Site:
//! same-origin`, or an `Origin` equal to ours), on top of the cookie's `SameSite=Strict`.
//! Bearer tokens are never sent by browsers on their own, so they are exempt.

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::Session;
use crate::token;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use concerto_core::OrgId;
use time::Duration;

/// The session cookie's name over plain HTTP.
pub const COOKIE: &str = "concerto_session";
/// Its name over HTTPS: the `__Host-` prefix makes browsers insist on `Secure`, `Path=/` and
/// no `Domain`, so a sibling subdomain cannot plant one.
pub const SECURE_COOKIE: &str = "__Host-concerto_session";

/// A session's last-seen time is written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// The cookie name this server uses.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// `Set-Cookie` for a session id, kept by the browser for `max_age`.
pub fn set_cookie(state: &AppState, value: &str, max_age: Duration) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let v = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        cookie_name(state),
        max_age.whole_seconds().max(0)
    );
    // Built from hex and fixed text only.
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    set_cookie(state, "", Duration::ZERO)
}

fn session_id<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, v)| *n == name && !v.is_empty())
        .map(|(_, v)| v)
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request provably comes from this server's own pages.
fn same_origin(headers: &HeaderMap, state: &AppState) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == state.own_origin.as_str().as_bytes())
}

/// For routes without credentials (login, accepting an invitation): refuses what a browser
/// marks as coming from another site, so no page elsewhere can log a visitor into an account
/// of its choosing. Clients that are not browsers send neither header and pass.
pub fn refuse_cross_site(headers: &HeaderMap, state: &AppState) -> Result<(), ApiError> {
    let site_ok = headers
        .get("sec-fetch-site")
        .is_none_or(|s| matches!(s.as_bytes(), b"same-origin" | b"none"));
    let origin_ok = headers
        .get(header::ORIGIN)
        .is_none_or(|o| o.as_bytes() == state.own_origin.as_str().as_bytes());
    if site_ok && origin_ok {
        Ok(())
    } else {
        Err(ApiError::CrossSite)
    }
}

/// A session the request carried, still valid.
#[derive(Debug, Clone)]
pub struct LiveSession {
    /// The SHA-256 of its id, as stored.
    pub id_hash: String,
    /// What is stored about it.
    pub session: Session,
}

/// The caller of an organiser route: the organisation, and the session if it came by cookie.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The organisation it acts for.
    pub org: OrgId,
    /// Its session, when authenticated by cookie rather than by token.
    pub session: Option<LiveSession>,
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| ApiError::Unauthorized)?;
        let (scheme, tok) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") || tok.trim().is_empty() {
            return Err(ApiError::Unauthorized);
        }
        let org = state
            .store
            .org_for_token(&token::hash(tok.trim()))
            .await?
            .ok_or(ApiError::Unauthorized)?;
        return Ok(Caller { org, session: None });
    }
    let id = session_id(&parts.headers, cookie_name(state)).ok_or(ApiError::Unauthorized)?;
    if changes_state(&parts.method) && !same_origin(&parts.headers, state) {
        return Err(ApiError::CrossSite);
    }
    let id_hash = token::hash(id);
    let session = state
        .store
        .session(&id_hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let now = state.clock.now();
    if now >= session.expires_at || now >= session.last_seen_at + state.session_idle {
        state.store.delete_session(&id_hash).await?;
        return Err(ApiError::Unauthorized);
    }
    if now - session.last_seen_at >= TOUCH_EVERY {
        state.store.touch_session(&id_hash, now).await?;
    }
    Ok(Caller {
        org: session.user.org.clone(),
        session: Some(LiveSession { id_hash, session }),
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authenticate(parts, state).await
    }
}

/// The organisation the request's token or session belongs to.
pub struct OrgAuth(pub OrgId);

impl FromRequestParts<AppState> for OrgAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(OrgAuth(authenticate(parts, state).await?.org))
    }
}

/// A request that must come with a session (log out, who am I): a token is not enough.
pub struct SessionAuth(pub LiveSession);

impl FromRequestParts<AppState> for SessionAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Err(ApiError::Unauthorized);
        }
        authenticate(parts, state)
            .await?
            .session
            .map(SessionAuth)
            .ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; concerto_session=abc"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(session_id(&h, COOKIE), Some("abc"));
        assert_eq!(session_id(&h, SECURE_COOKIE), None);
        let mut empty = HeaderMap::new();
        empty.append(
            header::COOKIE,
            HeaderValue::from_static("concerto_session="),
        );
        assert_eq!(session_id(&empty, COOKIE), None);
    }
}
