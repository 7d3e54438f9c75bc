//! Backup and restore of the SQLite database with SQLite's online backup API.
//!
//! A backup reads the database inside one read transaction that it holds from its first page
//! to its last: in WAL mode that transaction sees one snapshot, whatever the server commits
//! meanwhile, and the server's writer is never blocked by it (it appends to the WAL; only
//! checkpoints wait, so the WAL grows until the backup ends). Without that transaction each
//! step would open its own, and SQLite restarts a backup whose source another process wrote
//! to, which under a steady flow of answers could be forever.
//!
//! Both directions write a file beside their target, check it, and rename it into place, so
//! a failure or a crash leaves either the old file or the new one, never half of one.

use super::StoreError;
use super::backup::{BackupError, BackupProgress, BackupSummary};
use super::migrations;
use super::sqlite::DB_FILE;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file of a data directory: shared by servers, exclusive while restoring.
const LOCK_FILE: &str = "concerto.lock";

/// Pages copied per step (1 MiB with SQLite's default 4 KiB pages).
const PAGES_PER_STEP: i32 = 256;

/// The pause between steps, which leaves the disk to the server's commits.
const PAUSE: Duration = Duration::from_millis(5);

/// How long a step may keep finding the database busy before the backup gives up.
const BUSY_LIMIT: Duration = Duration::from_secs(30);

/// Tables every Concerto database has had since its first schema version.
const CORE_TABLES: [&str; 3] = ["orgs", "polls", "responses"];

fn db_error(e: rusqlite::Error) -> BackupError {
    BackupError::Database(e.to_string())
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A file being written that is removed (with its journal) unless it was put in place.
struct Partial(Option<PathBuf>);

impl Partial {
    fn new(path: PathBuf) -> Self {
        let partial = Self(Some(path));
        // A leftover of an earlier run that crashed: never reused.
        partial.remove();
        partial
    }

    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    fn remove(&self) {
        if let Some(path) = &self.0 {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
        }
    }

    /// Syncs the file and renames it to `target`, syncing the directory too, so that the
    /// new name survives a power cut.
    fn put_in_place(mut self, target: &Path) -> Result<(), BackupError> {
        let path = self.path().to_owned();
        File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(io_error(&path))?;
        std::fs::rename(&path, target).map_err(io_error(target))?;
        self.0 = None;
        sync_dir(target);
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Best effort: some systems cannot open a directory to sync it, and the rename is done.
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
}

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Checks that `conn` is a sound Concerto database this server can open, and counts what it
/// holds. `path` is the file named in errors.
fn verify(conn: &Connection, path: &Path) -> Result<(i64, u64, u64), BackupError> {
    let not_concerto = |reason: String| BackupError::NotConcerto {
        path: path.to_owned(),
        reason,
    };
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_concerto(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_concerto(format!("integrity check: {integrity}")));
    }
    let version = schema_version(conn).map_err(|e| not_concerto(e.to_string()))?;
    if version < 1 {
        return Err(not_concerto("no Concerto schema version".to_owned()));
    }
    if version > migrations::latest_version() {
        return Err(not_concerto(format!(
            "schema version {version} is newer than this server's ({}): use a newer concerto-server",
            migrations::latest_version()
        )));
    }
    for table in CORE_TABLES {
        let present: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )
            .map_err(|e| not_concerto(e.to_string()))?;
        if !present {
            return Err(not_concerto(format!("no {table} table")));
        }
    }
    let count = |sql: &str| -> Result<u64, BackupError> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| not_concerto(e.to_string()))
    };
    Ok((
        version,
        count("SELECT count(*) FROM polls")?,
        count("SELECT count(*) FROM responses")?,
    ))
}

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn summary(
    path: &Path,
    (schema_version, consultations, answers): (i64, u64, u64),
) -> BackupSummary {
    BackupSummary {
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        schema_version,
        consultations,
        answers,
    }
}

/// See [`super::backup::backup`].
pub fn backup(
    data_dir: &Path,
    to: &Path,
    force: bool,
    progress: &mut dyn FnMut(BackupProgress),
) -> Result<BackupSummary, BackupError> {
    let source_path = data_dir.join(DB_FILE);
    if !source_path.is_file() {
        return Err(BackupError::NoDatabase(source_path));
    }
    if to.exists() && !force {
        return Err(BackupError::Exists(to.to_owned()));
    }
    // Read-only: a backup never writes to the database it copies, not even its journal mode.
    let source = Connection::open_with_flags(
        &source_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db_error)?;
    source
        .busy_timeout(Duration::from_secs(5))
        .map_err(db_error)?;
    // The snapshot: this read transaction starts with the first read below and lasts until
    // the COMMIT after the last page (see the module's header).
    source.execute_batch("BEGIN").map_err(db_error)?;
    let version = schema_version(&source).map_err(db_error)?;
    if version < 1 {
        return Err(BackupError::NotConcerto {
            path: source_path,
            reason: "no Concerto schema version".to_owned(),
        });
    }

    let partial = Partial::new(beside(to, ".partial"));
    // Created here first so that a missing or read-only directory is told as such.
    File::create(partial.path()).map_err(io_error(partial.path()))?;
    let mut copy = Connection::open(partial.path()).map_err(db_error)?;
    copy_pages(&source, &mut copy, progress)?;
    let _ = source.execute_batch("COMMIT");
    drop(source);

    // A backup in one self-contained file, whatever journal mode its source was in.
    copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
        .map_err(db_error)?;
    let counts = verify(&copy, partial.path())?;
    copy.close().map_err(|(_, e)| db_error(e))?;
    partial.put_in_place(to)?;
    Ok(summary(to, counts))
}

/// Copies every page of `source` to `copy`, a step at a time with a pause between steps.
fn copy_pages(
    source: &Connection,
    copy: &mut Connection,
    progress: &mut dyn FnMut(BackupProgress),
) -> Result<(), BackupError> {
    let backup = Backup::new(source, copy).map_err(db_error)?;
    let mut busy_since: Option<Instant> = None;
    loop {
        let step = backup.step(PAGES_PER_STEP).map_err(db_error)?;
        let p = backup.progress();
        let total = u64::try_from(p.pagecount).unwrap_or(0);
        let remaining = u64::try_from(p.remaining).unwrap_or(0);
        match step {
            StepResult::Done => {
                progress(BackupProgress {
                    copied: total,
                    total,
                });
                return Ok(());
            }
            StepResult::More => {
                busy_since = None;
                progress(BackupProgress {
                    copied: total.saturating_sub(remaining),
                    total,
                });
            }
            // Busy, locked, or whatever later versions may add: wait, within a limit.
            _ => {
                let since = *busy_since.get_or_insert_with(Instant::now);
                if since.elapsed() > BUSY_LIMIT {
                    return Err(BackupError::Database(format!(
                        "the database stayed busy for {} s",
                        BUSY_LIMIT.as_secs()
                    )));
                }
            }
        }
        std::thread::sleep(PAUSE);
    }
}

/// See [`super::backup::restore`].
pub fn restore(from: &Path, data_dir: &Path, force: bool) -> Result<BackupSummary, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Io {
            path: from.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such backup file"),
        });
    }
    std::fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    // Held until the new database is in place: a server starting meanwhile refuses to.
    let _lock = lock_exclusive(data_dir)?;
    let target = data_dir.join(DB_FILE);
    if target.exists() && !force {
        return Err(BackupError::Exists(target));
    }

    // The check runs on a copy inside the data directory, so that the backup file itself is
    // never written to (opening a database can create files beside it), and the rename below
    // stays within one file system.
    let partial = Partial::new(data_dir.join(format!(".{DB_FILE}.restoring")));
    std::fs::copy(from, partial.path()).map_err(io_error(from))?;
    let conn = Connection::open_with_flags(
        partial.path(),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| BackupError::NotConcerto {
        path: from.to_owned(),
        reason: e.to_string(),
    })?;
    let counts = verify(&conn, from)?;
    // A backup made by other means may be in WAL mode: fold it into one file before the
    // rename, so that no WAL is left under the temporary name. The server turns WAL on again.
    conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
        .map_err(db_error)?;
    conn.close().map_err(|(_, e)| db_error(e))?;

    // The replaced database's WAL or journal would be replayed onto the new file, whose pages
    // it does not describe: they go first. Nothing is using them (the lock says so).
    for suffix in ["-wal", "-shm", "-journal"] {
        let stale = beside(&target, suffix);
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&stale)(e)),
        }
    }
    partial.put_in_place(&target)?;
    Ok(summary(&target, counts))
}

fn lock_file(data_dir: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE))
}

/// The data directory's lock, taken shared, for a server; `None` where the lock file cannot
/// be made (a read-only directory, a file system without locks), since a server must still
/// start there and a restore could not write there either.
pub fn lock_shared(data_dir: &Path) -> Result<Option<File>, StoreError> {
    if std::fs::create_dir_all(data_dir).is_err() {
        // Opening the store will say why.
        return Ok(None);
    }
    let file = match lock_file(data_dir) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, dir = %data_dir.display(), "data directory not locked");
            return Ok(None);
        }
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(StoreError::Database(format!(
            "a restore into {} is under way: start the server once it is done",
            data_dir.display()
        ))),
        Err(TryLockError::Error(e)) => {
            tracing::warn!(error = %e, dir = %data_dir.display(), "data directory not locked");
            Ok(None)
        }
    }
}

/// The data directory's lock, taken exclusive, for a restore.
fn lock_exclusive(data_dir: &Path) -> Result<File, BackupError> {
    let path = data_dir.join(LOCK_FILE);
    let file = lock_file(data_dir).map_err(io_error(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(BackupError::InUse(data_dir.to_owned())),
        Err(TryLockError::Error(source)) => Err(BackupError::Io { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_file(path: &Path, sql: &str) {
        Connection::open(path).unwrap().execute_batch(sql).unwrap();
    }

    #[test]
    fn a_restore_is_refused_while_a_server_holds_the_data_directory_and_the_other_way() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("backup.sqlite3");
        sqlite_file(&from, "CREATE TABLE t (x)");
        let data = dir.path().join("data");

        let held = lock_shared(&data).unwrap();
        assert!(held.is_some());
        assert!(matches!(
            restore(&from, &data, true),
            Err(BackupError::InUse(_))
        ));
        drop(held);

        let restoring = lock_exclusive(&data).unwrap();
        assert!(lock_shared(&data).is_err(), "a server may not start");
        drop(restoring);
        assert!(lock_shared(&data).unwrap().is_some());
    }

    #[test]
    fn a_restore_of_a_file_that_is_not_a_concerto_database_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let target = data.join(DB_FILE);
        std::fs::write(&target, b"the database in use").unwrap();
        let newer = format!("PRAGMA user_version = {}", migrations::latest_version() + 1);
        let cases = [
            ("text.txt", None),
            ("other.sqlite3", Some("CREATE TABLE t (x)")),
            ("newer.sqlite3", Some(newer.as_str())),
        ];
        for (name, sql) in cases {
            let from = dir.path().join(name);
            match sql {
                Some(sql) => sqlite_file(&from, sql),
                None => std::fs::write(&from, b"not a database at all").unwrap(),
            }
            let refused = restore(&from, &data, true);
            assert!(
                matches!(refused, Err(BackupError::NotConcerto { .. })),
                "{name}: {refused:?}"
            );
            assert_eq!(std::fs::read(&target).unwrap(), b"the database in use");
            let mut left: Vec<String> = std::fs::read_dir(&data)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            left.sort();
            assert_eq!(left, [LOCK_FILE, DB_FILE], "{name}");
        }
    }

    #[test]
    fn a_backup_restores_as_the_same_database_in_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let mut conn = Connection::open(data.join(DB_FILE)).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        migrations::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO orgs VALUES ('o', 'Org', '');
             INSERT INTO polls (id, org_id, spec, state, created_at, updated_at)
                 VALUES ('p', 'o', '{}', 'open', '', '');
             INSERT INTO responses (poll_id, submission_id, fingerprint, answers, received_at)
                 VALUES ('p', 's1', '', '{}', ''), ('p', 's2', '', '{}', '');",
        )
        .unwrap();

        let file = dir.path().join("backup.sqlite3");
        let mut steps = 0;
        let made = backup(&data, &file, false, &mut |_| steps += 1).unwrap();
        assert!(steps >= 1);
        assert_eq!((made.consultations, made.answers), (1, 2));
        assert!(!beside(&file, "-wal").exists() && !beside(&file, ".partial").exists());
        assert!(matches!(
            backup(&data, &file, false, &mut |_| {}),
            Err(BackupError::Exists(_))
        ));
        drop(conn);

        let elsewhere = dir.path().join("restored");
        let restored = restore(&file, &elsewhere, false).unwrap();
        assert_eq!(restored.answers, 2);
        assert_eq!(restored.schema_version, migrations::latest_version());
        assert!(matches!(
            restore(&file, &elsewhere, false),
            Err(BackupError::Exists(_))
        ));
        assert_eq!(restore(&file, &elsewhere, true).unwrap().answers, 2);
    }
}
