//! Storage behind one trait, so that handlers never see SQL and PostgreSQL can follow SQLite
//! without touching them.

mod migrations;
pub mod sqlite;
mod writer;

use async_trait::async_trait;
use concerto_core::{
    Answers, OrgId, PollId, PollSpec, PollState, QuestionId, Results, SubmissionId,
};
use futures_util::stream::BoxStream;
use time::OffsetDateTime;

pub use concerto_core::api::{
    Activity, ActivityKind, Actor, Interval, PendingInvitation, Period, Receipt, ResponsePage,
    StoredResponse, TeamMember, TextAnswer, User,
};
pub use sqlite::SqliteStore;

/// What can go wrong in storage, as the handlers need to tell it apart.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// No such row, or it belongs to another organisation.
    #[error("not found")]
    NotFound,
    /// The id is already taken.
    #[error("already exists")]
    AlreadyExists,
    /// This submission id was already used with other answers.
    #[error("submission id already used with other answers")]
    SubmissionConflict,
    /// The database failed; the detail is for the logs only.
    #[error("database error: {0}")]
    Database(String),
    /// The writer has stopped (the server is shutting down).
    #[error("storage writer unavailable")]
    Unavailable,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            e if is_unique_violation(&e) => StoreError::AlreadyExists,
            e => StoreError::Database(e.to_string()),
        }
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

/// A consultation as stored, with its owner and state.
#[derive(Debug, Clone)]
pub struct StoredPoll {
    /// Its id.
    pub id: PollId,
    /// The organisation that owns it.
    pub org: OrgId,
    /// What its organiser wrote.
    pub spec: PollSpec,
    /// Draft, open or closed.
    pub state: PollState,
    /// Answers stored so far.
    pub responses: u64,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    pub updated_at: OffsetDateTime,
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now.
    Stored(Receipt),
    /// Stored before with the same answers; nothing new was stored.
    Replayed(Receipt),
}

/// A consultation's answer count after a committed answer, for live dashboards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollCount {
    /// The consultation.
    pub poll: PollId,
    /// Its answers, this one included.
    pub responses: u64,
}

/// Which text answers to read.
#[derive(Debug, Clone)]
pub struct TextQuery {
    /// The question.
    pub question: QuestionId,
    /// `text` for text questions, `other` for a single choice's "other" answers.
    pub field: &'static str,
    /// Only texts containing this, ignoring case.
    pub search: Option<String>,
    /// Only answers after this cursor.
    pub after: i64,
    /// At most this many.
    pub limit: usize,
}

/// Which answers a page of the answers list holds.
#[derive(Debug, Clone)]
pub struct ResponseQuery {
    /// Only answers before this cursor (the `next` of the previous page).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: u32,
    /// Only answers that chose this: a question and an option id, or `None` for its "other".
    pub chose: Option<(QuestionId, Option<concerto_core::OptionId>)>,
    /// Only answers received at or after this moment.
    pub from: Option<OffsetDateTime>,
    /// Only answers received before this moment.
    pub until: Option<OffsetDateTime>,
}

/// A stream of stored answers, oldest first, read lazily.
pub type ResponseStream = BoxStream<'static, Result<StoredResponse, StoreError>>;

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

/// Everything the server stores. Methods taking an `OrgId` only ever see that organisation's
/// rows: another organisation's consultation is `NotFound`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates an organisation.
    async fn create_org(&self, id: &OrgId, name: &str) -> Result<(), StoreError>;
    /// Whether an organisation exists.
    async fn org_exists(&self, id: &OrgId) -> Result<bool, StoreError>;
    /// Adds an API token (its SHA-256, hex) to an organisation.
    async fn add_token(&self, org: &OrgId, token_hash: &str) -> Result<(), StoreError>;
    /// The organisation a token belongs to.
    async fn org_for_token(&self, token_hash: &str) -> Result<Option<OrgId>, StoreError>;

    /// Creates a consultation as a draft.
    async fn create_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError>;
    /// Replaces a consultation's definition.
    async fn update_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError>;
    /// Replaces a consultation's definition only if it still has `responses` answers:
    /// `None` when answers came in meanwhile (the caller checks again), so that an edit
    /// checked against the answers is never applied over answers it did not see.
    async fn update_poll_at(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
        responses: u64,
    ) -> Result<Option<StoredPoll>, StoreError>;
    /// Moves a consultation to another state.
    async fn set_state(
        &self,
        org: &OrgId,
        id: &PollId,
        state: PollState,
    ) -> Result<StoredPoll, StoreError>;
    /// One of the organisation's consultations.
    async fn org_poll(&self, org: &OrgId, id: &PollId) -> Result<StoredPoll, StoreError>;
    /// All of the organisation's consultations, newest first.
    async fn list_polls(&self, org: &OrgId) -> Result<Vec<StoredPoll>, StoreError>;

    /// Any consultation, for the public API (which hides drafts itself).
    async fn poll(&self, id: &PollId) -> Result<Option<StoredPoll>, StoreError>;
    /// Stores an answer and updates the tallies in one transaction, acknowledged only once
    /// committed. `fingerprint` identifies the answers, to recognise a replay.
    async fn submit(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        answers: &Answers,
        fingerprint: &str,
    ) -> Result<SubmitOutcome, StoreError>;
    /// A page of the answers of `org`'s consultation, newest first.
    async fn response_page(
        &self,
        org: &OrgId,
        poll: &PollId,
        query: ResponseQuery,
    ) -> Result<ResponsePage, StoreError>;
    /// One answer of `org`'s consultation.
    async fn response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
    ) -> Result<StoredResponse, StoreError>;
    /// Deletes one answer of `org`'s consultation with its part of the tallies, and records
    /// it in the activity log, in one transaction; returns the answers left. A later replay of
    /// the same submission is acknowledged and not stored again.
    async fn delete_response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// Deletes every answer of `org`'s consultation (tallies too), recorded in the activity
    /// log, in one transaction; returns how many there were.
    async fn delete_responses(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// Deletes `org`'s consultation with all its answers, recorded in the activity log, in
    /// one transaction; returns how many answers it had.
    async fn delete_poll(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// `org`'s activity log, newest first, at most `limit` entries.
    async fn activity(&self, org: &OrgId, limit: u32) -> Result<Vec<Activity>, StoreError>;
    /// The receipt of an earlier submission with this fingerprint, if there is one.
    async fn receipt(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, StoreError>;
    /// The tallies of a consultation.
    async fn results(&self, poll: &StoredPoll) -> Result<Results, StoreError>;
    /// Every stored answer of a consultation, streamed.
    fn responses(&self, poll: &PollId) -> ResponseStream;
    /// A consultation's answers counted by period, oldest first; empty periods are left out.
    async fn timeline(&self, poll: &PollId, interval: Interval) -> Result<Vec<Period>, StoreError>;
    /// A page of a question's text answers, oldest first, and the cursor of the next page.
    async fn texts(
        &self,
        poll: &PollId,
        query: TextQuery,
    ) -> Result<(Vec<TextAnswer>, Option<i64>), StoreError>;
    /// The counts of consultations as their answers are committed (never before): every
    /// consultation's, so subscribers keep the ones they want. A subscriber that falls behind
    /// misses counts, never gets a wrong one.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PollCount>;

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
