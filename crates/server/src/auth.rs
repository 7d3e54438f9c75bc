//! `OrgAuth`: the extractor that turns a bearer token into the organisation it belongs to.
//! Organiser handlers receive the `OrgId` from here and never read it from the request.

use crate::error::ApiError;
use crate::state::AppState;
use crate::token;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use concerto_core::OrgId;

/// The organisation the request's token belongs to.
pub struct OrgAuth(pub OrgId);

impl FromRequestParts<AppState> for OrgAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let (scheme, tok) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") || tok.trim().is_empty() {
            return Err(ApiError::Unauthorized);
        }
        state
            .store
            .org_for_token(&token::hash(tok.trim()))
            .await?
            .map(OrgAuth)
            .ok_or(ApiError::Unauthorized)
    }
}
