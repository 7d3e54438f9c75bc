//! Organisations, their API tokens, organisers' accounts, invitations and sessions.

use super::StoreError;
use async_trait::async_trait;
use concerto_core::OrgId;
use concerto_core::api::{PendingInvitation, TeamMember, User};
use time::OffsetDateTime;

/// An account with its password hash, for checking a login.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// Its Argon2id PHC string.
    pub password_hash: String,
}

/// What an accepted invitation creates.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// A fresh random id.
    pub id: String,
    /// Lowercased email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A stored session, with its account.
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose it is.
    pub user: User,
    /// The name of the account's organisation.
    pub org_name: String,
    /// Last request seen with it (updated at most once a minute).
    pub last_seen_at: OffsetDateTime,
    /// When it ends whatever the activity.
    pub expires_at: OffsetDateTime,
}

/// Organisations and the people who act for them.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates an organisation.
    async fn create_org(&self, id: &OrgId, name: &str) -> Result<(), StoreError>;
    /// Whether an organisation exists.
    async fn org_exists(&self, id: &OrgId) -> Result<bool, StoreError>;
    /// Adds an API token (its SHA-256, hex) to an organisation.
    async fn add_token(&self, org: &OrgId, token_hash: &str) -> Result<(), StoreError>;
    /// The organisation a token belongs to.
    async fn org_for_token(&self, token_hash: &str) -> Result<Option<OrgId>, StoreError>;
    /// Stores an invitation to join `org` (its token's SHA-256, hex).
    async fn create_invitation(
        &self,
        org: &OrgId,
        token_hash: &str,
        created_by: Option<&str>,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// The organisers of `org`, in the order they joined.
    async fn team(&self, org: &OrgId) -> Result<Vec<TeamMember>, StoreError>;
    /// The invitations to `org` still usable at `now`, newest first.
    async fn pending_invitations(
        &self,
        org: &OrgId,
        now: OffsetDateTime,
    ) -> Result<Vec<PendingInvitation>, StoreError>;
    /// Withdraws an invitation to `org` still usable at `now`; `false` when `org` has no such
    /// invitation (used, expired, another organisation's or none).
    async fn revoke_invitation(
        &self,
        org: &OrgId,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Uses an invitation once: creates the account in the invitation's organisation and
    /// marks the invitation used, in one transaction. `NotFound` when the invitation is
    /// unknown, used or expired; `AlreadyExists` when the email has an account.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        user: NewUser,
    ) -> Result<User, StoreError>;
    /// The account with this (lowercased) email, with its password hash.
    async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError>;
    /// Stores a session (its id's SHA-256, hex).
    async fn create_session(
        &self,
        id_hash: &str,
        user: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// A stored session, expired or not (the caller decides).
    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError>;
    /// Records activity on a session.
    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError>;
    /// Ends one session.
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    /// Ends every session of an account; returns how many there were.
    async fn delete_sessions_of(&self, user: &str) -> Result<u64, StoreError>;
}
