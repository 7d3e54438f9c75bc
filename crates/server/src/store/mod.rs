//! Storage behind traits, so that handlers never see SQL: one per thing stored
//! (consultations, answers, accounts), and [`Store`] for a backend that keeps all three.
//! Everything of SQLite stays in `sqlite` and the modules it uses, everything of PostgreSQL
//! in `postgres`; [`open`] is the one place that chooses between them.

mod accounts;
mod answers;
mod backup;
mod codes;
mod migrations;
mod partners;
mod polls;
mod postgres;
mod sqlite;
mod sqlite_backup;
mod sqlite_checkpoint;
mod sqlite_counts;
mod sqlite_partners;
mod stats;
mod writer;

use std::path::Path;
use std::sync::Arc;

pub use accounts::{AccountStore, Credentials, NewUser, Session};
pub use answers::{
    AnswerStore, PollCount, ResponseQuery, ResponseStream, SubmitOutcome, TextQuery,
};
pub use backup::{
    BackupError, BackupProgress, BackupSummary, DataDirLock, backup, lock_data_dir, restore,
};
pub use codes::CodeStore;
pub use concerto_core::api::{
    Activity, ActivityKind, Actor, Interval, PendingInvitation, Period, Receipt, ResponsePage,
    StoredResponse, TeamMember, TextAnswer, User,
};
pub use partners::{Attribution, PartnerStore, StoredPartner, answers_of};
pub use polls::{PollChange, PollStore, StoredPoll};
pub use stats::WriteStats;

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
    /// Storage cannot be reached: the writer has stopped (the server is shutting down), or
    /// the database server is down or out of reach.
    #[error("storage unavailable")]
    Unavailable,
    /// The consultation was edited, closed or reopened since the answer was checked against
    /// it: check the answer again against what it is now.
    #[error("the consultation changed since the answer was checked")]
    Stale,
    /// The participation code given is not one of the consultation's.
    #[error("unknown participation code")]
    CodeUnknown,
    /// The participation code given was used by another answer.
    #[error("participation code already used")]
    CodeUsed,
    /// Storage is there but cannot take writes now: the disk is full, the database is locked
    /// or read-only. Nothing was stored; the same write may succeed later.
    #[error("storage cannot write: {0}")]
    CannotWrite(String),
}

/// How a backend is doing, for the readiness and metrics endpoints.
#[async_trait::async_trait]
pub trait Readiness: Send + Sync + 'static {
    /// Writes (and commits) a tiny row: `Ok` only if an answer could be stored now.
    async fn check_writable(&self) -> Result<(), StoreError>;

    /// The sizes and commit times of its write batches.
    fn write_stats(&self) -> WriteStats;

    /// Live-count streams subscribed now (organisers' dashboards following a consultation).
    fn live_subscribers(&self) -> usize;
}

/// A backend that keeps everything the server stores.
pub trait Store:
    PollStore + AnswerStore + AccountStore + CodeStore + PartnerStore + Readiness
{
}

impl<T: PollStore + AnswerStore + AccountStore + CodeStore + PartnerStore + Readiness> Store for T {}

/// Opens the store the settings choose, bringing its schema up to date: the PostgreSQL
/// database at `database_url` when there is one, else the SQLite file in `data_dir`.
pub async fn open(
    database_url: Option<&str>,
    data_dir: &Path,
) -> Result<Arc<dyn Store>, StoreError> {
    match database_url {
        Some(url) => Ok(Arc::new(postgres::PgStore::connect(url).await?)),
        None => open_sqlite(data_dir),
    }
}

/// Brings the chosen store's schema up to date, and nothing else.
pub async fn migrate(database_url: Option<&str>, data_dir: &Path) -> Result<(), StoreError> {
    match database_url {
        Some(url) => postgres::migrate(url).await,
        // Opening it migrates it; the writer thread ends with the store.
        None => open_sqlite(data_dir).map(drop),
    }
}

/// Opens (creating it if needed, and bringing its schema up to date) the SQLite database in
/// `data_dir`.
pub fn open_sqlite(data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    Ok(Arc::new(sqlite::SqliteStore::open(data_dir)?))
}
