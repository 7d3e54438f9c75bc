//! Backing up and restoring the database, as the command line offers it: the backend-neutral
//! face of `sqlite_backup`, which does the work for SQLite. PostgreSQL has its own tools
//! (`pg_dump`, `pg_restore`), and these functions say so rather than do half of their job.

use super::{StoreError, sqlite_backup};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Why a backup or a restore was refused or failed. Nothing was replaced in either case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The store is PostgreSQL, which is backed up with its own tools.
    #[error(
        "the database is PostgreSQL: back it up with pg_dump (see \"Backups\" in docs/operations.md)"
    )]
    UsePgDump,
    /// The store is PostgreSQL, which is restored with its own tools.
    #[error(
        "the database is PostgreSQL: restore it with pg_restore (see \"Backups\" in docs/operations.md)"
    )]
    UsePgRestore,
    /// There is no database to back up.
    #[error("no database at {}", .0.display())]
    NoDatabase(PathBuf),
    /// The file to write already exists, and replacing it was not asked for.
    #[error("{} already exists (add --force to replace it)", .0.display())]
    Exists(PathBuf),
    /// The file is not a Concerto SQLite database, or is damaged.
    #[error("{} is not a usable Concerto database: {reason}", path.display())]
    NotConcerto {
        /// The file checked.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A server has the data directory open.
    #[error("a Concerto server is using {}: stop it before restoring", .0.display())]
    InUse(PathBuf),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The database engine failed.
    #[error("database error: {0}")]
    Database(String),
}

/// How far a backup has gone, in database pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupProgress {
    /// Pages copied so far.
    pub copied: u64,
    /// Pages in all.
    pub total: u64,
}

/// What a backup file holds, once written or restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Its size in bytes.
    pub bytes: u64,
    /// Its schema version (`PRAGMA user_version`).
    pub schema_version: i64,
    /// Consultations in it.
    pub consultations: u64,
    /// Answers in it.
    pub answers: u64,
}

/// Writes a consistent snapshot of the SQLite database of `data_dir` to `to`, while servers
/// may go on writing to it. `progress` is called after each step. Blocks: call it off the
/// async threads.
pub fn backup(
    database_url: Option<&str>,
    data_dir: &Path,
    to: &Path,
    force: bool,
    progress: &mut dyn FnMut(BackupProgress),
) -> Result<BackupSummary, BackupError> {
    if database_url.is_some() {
        return Err(BackupError::UsePgDump);
    }
    sqlite_backup::backup(data_dir, to, force, progress)
}

/// Checks the backup `from` and puts it in place as the SQLite database of `data_dir`, which
/// no server may be using. Blocks: call it off the async threads.
pub fn restore(
    database_url: Option<&str>,
    from: &Path,
    data_dir: &Path,
    force: bool,
) -> Result<BackupSummary, BackupError> {
    if database_url.is_some() {
        return Err(BackupError::UsePgRestore);
    }
    sqlite_backup::restore(from, data_dir, force)
}

/// Held by a server for as long as it uses its data directory, so that a restore can tell
/// it is there and refuse. Released when dropped, or by the system when the process dies
/// (even by `kill -9`), so a crash never leaves a stale lock behind.
#[derive(Debug)]
pub struct DataDirLock {
    _file: Option<File>,
}

/// Takes the data directory's lock shared (many servers and commands may hold it together),
/// unless a restore holds it. A data directory where the lock file cannot be made (read-only)
/// is used without it; nothing is locked for PostgreSQL.
pub fn lock_data_dir(
    database_url: Option<&str>,
    data_dir: &Path,
) -> Result<DataDirLock, StoreError> {
    if database_url.is_some() {
        return Ok(DataDirLock { _file: None });
    }
    Ok(DataDirLock {
        _file: sqlite_backup::lock_shared(data_dir)?,
    })
}
