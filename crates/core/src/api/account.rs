//! Accounts, sessions and the organisation's team.

use crate::OrgId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// An organiser's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Its id.
    pub id: String,
    /// The organisation it acts for.
    pub org: OrgId,
    /// Its email, lowercased: the login.
    pub email: String,
    /// Its name, as shown to other organisers.
    pub name: String,
}

/// An organisation, as its organisers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgView {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: String,
}

/// `GET /api/v1/auth/me`: the logged-in organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Their account.
    pub user: User,
    /// Their organisation.
    pub org: OrgView,
    /// When the session ends whatever the activity.
    #[serde(with = "time::serde::rfc3339")]
    pub session_expires_at: OffsetDateTime,
}

/// A new invitation, to hand to the person invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// The link to open: the dashboard's page, with the token after `#` so that it never
    /// reaches a server log or a `Referer`.
    pub url: String,
    /// The token itself, for `POST /api/v1/auth/invitations/accept`.
    pub token: String,
    /// When it stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// An organiser, as the organisation's team page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    /// Their name.
    pub name: String,
    /// Their email (their login).
    pub email: String,
    /// When they accepted their invitation.
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at: OffsetDateTime,
}

/// An invitation neither used nor expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingInvitation {
    /// Names it for revoking: its token's SHA-256 (hex), from which the token cannot be had.
    pub id: String,
    /// Who made it (`None` for an organisation token).
    pub created_by: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// `GET /api/v1/org/team`: the organisation's organisers and pending invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    /// The organisers, in the order they joined.
    pub organisers: Vec<TeamMember>,
    /// The invitations still usable, newest first.
    pub invitations: Vec<PendingInvitation>,
}

/// `POST /api/v1/auth/sessions/revoke-all`: how many sessions of the account were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsRevoked {
    /// Sessions ended, the one that asked included.
    pub revoked: u64,
}

/// `POST /api/v1/auth/login`: what a login sends.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// The account's email, in any case.
    pub email: String,
    /// Its password.
    pub password: String,
}

/// `POST /api/v1/auth/invitations/accept`: what a person invited sends to create their
/// account. The token travels in the body, never in a path or a query, which proxies log.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The invitation's token (after `#` in the link).
    pub token: String,
    /// Their email, which becomes their login.
    pub email: String,
    /// Their name, as other organisers will see it.
    pub name: String,
    /// The password they chose.
    pub password: String,
}

// By hand, so that a password or an invitation token never reaches a log through `{:?}`.
impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Acceptance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptance")
            .field("email", &self.email)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
