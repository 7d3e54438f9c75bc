//! The default store: one SQLite file in the data directory, in WAL mode, written by one
//! batching writer thread and read by a small pool of connections.

use super::sqlite_checkpoint::Checkpointer;
use super::sqlite_counts::Counted;
use super::writer::Writer;
use super::{
    AccountStore, Activity, ActivityKind, Actor, AnswerStore, Credentials, Interval, NewUser,
    PendingInvitation, Period, PollCount, PollStore, Receipt, ResponsePage, ResponseQuery,
    ResponseStream, Session, StoreError, StoredPoll, StoredResponse, SubmitOutcome, TeamMember,
    TextAnswer, TextQuery, User, migrations,
};
use super::{CodeStore, Readiness, WriteStats};
use async_trait::async_trait;
use concerto_core::api::CodeCounts;
use concerto_core::{
    Answers, Bucket, OrgId, PollId, PollSpec, PollState, QuestionId, Results, SubmissionId,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            e if is_unique_violation(&e) => StoreError::AlreadyExists,
            e if cannot_write(&e) => StoreError::CannotWrite(e.to_string()),
            e => StoreError::Database(e.to_string()),
        }
    }
}

/// A full disk, a database locked by another process, a read-only file or directory, a
/// failing disk: conditions that pass, where a retry later may succeed.
fn cannot_write(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(DiskFull | DatabaseBusy | DatabaseLocked | ReadOnly | SystemIoFailure | CannotOpen)
    )
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

/// Name of the database file inside the data directory.
pub const DB_FILE: &str = "concerto.sqlite3";

/// Connections kept open for reads.
const READERS_KEPT: usize = 8;

/// Chunks of answers sent to an export stream ahead of the client reading them.
const EXPORT_BUFFER: usize = 4;

/// Answers an export's reader hands over at once.
const EXPORT_CHUNK: usize = 256;

/// Counts kept for live subscribers that are slow to read them.
const EVENTS_BUFFER: usize = 1024;

/// SQLite storage in one file.
#[derive(Clone)]
pub struct SqliteStore {
    path: Arc<PathBuf>,
    pub(super) writer: Writer,
    readers: Arc<Mutex<Vec<Connection>>>,
    events: tokio::sync::broadcast::Sender<PollCount>,
    stats: WriteStats,
    _checkpointer: Arc<Checkpointer>,
}

fn open(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Database(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join(DB_FILE);
        let mut conn = open(&path, OpenFlags::default())?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: an acknowledged answer survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrations::migrate(&mut conn)?;
        // The log is checkpointed by a thread of its own, never by the writer's commits.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let checkpoints = open(&path, OpenFlags::default())?;
        checkpoints.pragma_update(None, "synchronous", "FULL")?;
        let checkpointer = Checkpointer::start(checkpoints)
            .map_err(|e| StoreError::Database(format!("cannot start checkpoints: {e}")))?;
        // Room for the tally statements of answers of every size besides the others.
        conn.set_prepared_statement_cache_capacity(64);
        let stats = WriteStats::default();
        let events = tokio::sync::broadcast::channel(EVENTS_BUFFER).0;
        let counts = events.clone();
        // Subscribers only ever see counts of answers that are on disk; none is not an error.
        let on_counts = Box::new(move |moved: Vec<PollCount>| {
            for count in moved {
                let _ = counts.send(count);
            }
        });
        let writer = Writer::start(conn, stats.clone(), on_counts)
            .map_err(|e| StoreError::Database(format!("cannot start writer: {e}")))?;
        Ok(Self {
            path: Arc::new(path),
            writer,
            readers: Arc::new(Mutex::new(Vec::new())),
            events,
            stats,
            _checkpointer: Arc::new(checkpointer),
        })
    }

    /// Runs a read on a pooled connection, off the async threads.
    pub(super) async fn read<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = this.readers.lock().ok().and_then(|mut p| p.pop());
            let conn = match pooled {
                Some(c) => c,
                None => open(&this.path, read_only())?,
            };
            let r = f(&conn);
            if let Ok(mut pool) = this.readers.lock()
                && pool.len() < READERS_KEPT
            {
                pool.push(conn);
            }
            r
        })
        .await
        .map_err(|e| StoreError::Database(format!("read task failed: {e}")))?
    }
}

fn read_only() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn stamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// A moment to compare stamps with as text: UTC with all nine digits of its fraction, so that
/// it sorts among stamps of any fraction as the moments do.
pub(super) fn bound(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond()
    )
}

pub(super) fn parse_stamp(s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| StoreError::Database(format!("bad time {s}: {e}")))
}

fn parse_state(s: &str) -> Result<PollState, StoreError> {
    match s {
        "draft" => Ok(PollState::Draft),
        "open" => Ok(PollState::Open),
        "closed" => Ok(PollState::Closed),
        other => Err(StoreError::Database(format!("unknown poll state {other}"))),
    }
}

pub(super) fn corrupt<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError::Database(format!("stored {what} unreadable: {e}"))
}

const USER_COLUMNS: &str = "u.id, u.org_id, u.email, u.name";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<Result<User, StoreError>> {
    let id: String = row.get(0)?;
    let org: String = row.get(1)?;
    let email: String = row.get(2)?;
    let name: String = row.get(3)?;
    Ok(OrgId::parse(org)
        .map_err(corrupt("org id"))
        .map(|org| User {
            id,
            org,
            email,
            name,
        }))
}

const POLL_COLUMNS: &str = "id, org_id, spec, state, response_count, created_at, updated_at";

fn poll_from_row(row: &Row<'_>) -> rusqlite::Result<Result<StoredPoll, StoreError>> {
    let id: String = row.get(0)?;
    let org: String = row.get(1)?;
    let spec: String = row.get(2)?;
    let state: String = row.get(3)?;
    let responses: i64 = row.get(4)?;
    let created: String = row.get(5)?;
    let updated: String = row.get(6)?;
    Ok((|| {
        Ok(StoredPoll {
            id: PollId::parse(id).map_err(corrupt("poll id"))?,
            org: OrgId::parse(org).map_err(corrupt("org id"))?,
            spec: serde_json::from_str(&spec).map_err(corrupt("poll spec"))?,
            state: parse_state(&state)?,
            responses: u64::try_from(responses).unwrap_or(0),
            created_at: parse_stamp(&created)?,
            updated_at: parse_stamp(&updated)?,
            partners: Vec::new(),
        })
    })())
}

/// One answer from its stored columns.
fn stored_response(
    submission: &str,
    received_at: &str,
    answers: &str,
    partner: Option<String>,
    via: &str,
) -> Result<StoredResponse, StoreError> {
    Ok(StoredResponse {
        submission_id: SubmissionId::parse(submission).map_err(corrupt("submission id"))?,
        received_at: parse_stamp(received_at)?,
        answers: serde_json::from_str(answers).map_err(corrupt("answers"))?,
        partner: partner
            .map(OrgId::parse)
            .transpose()
            .map_err(corrupt("partner"))?,
        via: concerto_core::Via::parse(via).ok_or_else(|| corrupt("door")(via))?,
    })
}

fn load_org_poll(conn: &Connection, org: &OrgId, id: &PollId) -> Result<StoredPoll, StoreError> {
    let poll = conn.query_row(
        &format!("SELECT {POLL_COLUMNS} FROM polls WHERE id = ?1 AND org_id = ?2"),
        params![id.as_str(), org.as_str()],
        poll_from_row,
    )??;
    with_partners(conn, poll)
}

/// `poll` with its partners, as every read of a consultation returns it.
fn with_partners(conn: &Connection, mut poll: StoredPoll) -> Result<StoredPoll, StoreError> {
    poll.partners = super::sqlite_partners::load(conn, &poll.id)?;
    Ok(poll)
}

/// Marks the consultation's code `hash` used, if it is one of its codes and still unused.
fn use_code(conn: &Connection, poll: &PollId, hash: &str) -> Result<(), StoreError> {
    let used = conn
        .prepare_cached(
            "UPDATE participation_codes SET used = 1
             WHERE poll_id = ?1 AND code_hash = ?2 AND used = 0",
        )?
        .execute([poll.as_str(), hash])?;
    if used == 1 {
        return Ok(());
    }
    let known = conn
        .prepare_cached("SELECT 1 FROM participation_codes WHERE poll_id = ?1 AND code_hash = ?2")?
        .exists([poll.as_str(), hash])?;
    Err(if known {
        StoreError::CodeUsed
    } else {
        StoreError::CodeUnknown
    })
}

/// How many codes `poll` has, and how many were used.
fn code_counts(conn: &Connection, poll: &PollId) -> Result<CodeCounts, StoreError> {
    let (total, used): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(used), 0) FROM participation_codes WHERE poll_id = ?1",
        )?
        .query_row([poll.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(CodeCounts {
        total: total.try_into().unwrap_or(0),
        used: used.try_into().unwrap_or(0),
    })
}

#[async_trait]
impl CodeStore for SqliteStore {
    async fn add_codes(
        &self,
        org: &OrgId,
        poll: &PollId,
        hashes: Vec<String>,
    ) -> Result<(Vec<String>, CodeCounts), StoreError> {
        let (org, poll) = (org.clone(), poll.clone());
        self.writer
            .write(move |c| {
                load_org_poll(c, &org, &poll)?;
                let mut insert = c.prepare_cached(
                    "INSERT INTO participation_codes (poll_id, code_hash) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                )?;
                let mut added = Vec::with_capacity(hashes.len());
                for hash in hashes {
                    if insert.execute([poll.as_str(), hash.as_str()])? == 1 {
                        added.push(hash);
                    }
                }
                Ok((added, code_counts(c, &poll)?))
            })
            .await
    }

    async fn code_counts(&self, poll: &PollId) -> Result<CodeCounts, StoreError> {
        let poll = poll.clone();
        self.read(move |c| code_counts(c, &poll)).await
    }
}

/// The receipt of a submission whose answer was deleted: a replay of it (from a device's
/// outbox) is acknowledged with it and not stored again.
fn erased_receipt(
    conn: &Connection,
    poll: &PollId,
    submission: &SubmissionId,
) -> Result<Option<Receipt>, StoreError> {
    // Asked before every new answer: prepared once.
    let at: Option<String> = conn
        .prepare_cached(
            "SELECT received_at FROM erased_submissions WHERE poll_id = ?1 AND submission_id = ?2",
        )?
        .query_row(params![poll.as_str(), submission.as_str()], |r| r.get(0))
        .optional()?;
    at.map(|at| {
        Ok(Receipt {
            submission_id: submission.clone(),
            received_at: parse_stamp(&at)?,
        })
    })
    .transpose()
}

/// Records one entry of `poll`'s organisation's activity log.
fn record(
    conn: &Connection,
    poll: &StoredPoll,
    actor: &Actor,
    kind: ActivityKind,
    answers: u64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO activity (org_id, at, actor_name, actor_email, kind, poll_id, poll_title, answers)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            poll.org.as_str(),
            stamp(now()),
            actor.name,
            actor.email,
            kind.as_str(),
            poll.id.as_str(),
            poll.spec.title.to_string(),
            i64::try_from(answers).unwrap_or(i64::MAX),
        ],
    )?;
    Ok(())
}

/// Deletes one answer of `poll` (`submission`), or all of them (`None`), keeping their
/// submission ids as erased.
fn erase(
    conn: &Connection,
    poll: &PollId,
    submission: Option<&SubmissionId>,
) -> Result<u64, StoreError> {
    const WHICH: &str = "poll_id = ?1 AND (?2 IS NULL OR submission_id = ?2)";
    let id = submission.map(SubmissionId::as_str);
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO erased_submissions (poll_id, submission_id, received_at)
             SELECT poll_id, submission_id, received_at FROM responses WHERE {WHICH}"
        ),
        params![poll.as_str(), id],
    )?;
    let n = conn.execute(
        &format!("DELETE FROM responses WHERE {WHICH}"),
        params![poll.as_str(), id],
    )?;
    Ok(n as u64)
}

fn receipt_of(
    conn: &Connection,
    poll: &PollId,
    submission: &SubmissionId,
) -> Result<Option<(String, Receipt)>, StoreError> {
    let row = conn
        .query_row(
            "SELECT fingerprint, received_at FROM responses WHERE poll_id = ?1 AND submission_id = ?2",
            params![poll.as_str(), submission.as_str()],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(fp, at)| {
        Ok((
            fp,
            Receipt {
                submission_id: submission.clone(),
                received_at: parse_stamp(&at)?,
            },
        ))
    })
    .transpose()
}

#[async_trait]
impl Readiness for SqliteStore {
    async fn check_writable(&self) -> Result<(), StoreError> {
        // Through the writer like an answer, so that its commit reaches the disk.
        self.writer
            .write(|c| {
                c.prepare_cached("UPDATE probe SET at = ?1 WHERE id = 1")?
                    .execute([stamp(now())])?;
                Ok(())
            })
            .await
    }

    fn write_stats(&self) -> WriteStats {
        self.stats.clone()
    }

    fn live_subscribers(&self) -> usize {
        self.events.receiver_count()
    }
}

#[async_trait]
impl PollStore for SqliteStore {
    async fn create_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError> {
        let (org, id) = (org.clone(), id.clone());
        let spec_json = serde_json::to_string(spec).map_err(corrupt("poll spec"))?;
        self.writer
            .write(move |c| {
                let t = stamp(now());
                c.execute(
                    "INSERT INTO polls (id, org_id, spec, state, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'draft', ?4, ?4)",
                    params![id.as_str(), org.as_str(), spec_json, t],
                )?;
                load_org_poll(c, &org, &id)
            })
            .await
    }

    async fn update_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError> {
        let (org, id) = (org.clone(), id.clone());
        let spec_json = serde_json::to_string(spec).map_err(corrupt("poll spec"))?;
        self.writer
            .write(move |c| {
                let n = c.execute(
                    "UPDATE polls SET spec = ?1, updated_at = ?2 WHERE id = ?3 AND org_id = ?4",
                    params![spec_json, stamp(now()), id.as_str(), org.as_str()],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                load_org_poll(c, &org, &id)
            })
            .await
    }

    async fn update_poll_at(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
        responses: u64,
    ) -> Result<Option<StoredPoll>, StoreError> {
        let (org, id) = (org.clone(), id.clone());
        let spec_json = serde_json::to_string(spec).map_err(corrupt("poll spec"))?;
        let responses = i64::try_from(responses).unwrap_or(i64::MAX);
        self.writer
            .write(move |c| {
                let n = c.execute(
                    "UPDATE polls SET spec = ?1, updated_at = ?2
                     WHERE id = ?3 AND org_id = ?4 AND response_count = ?5",
                    params![
                        spec_json,
                        stamp(now()),
                        id.as_str(),
                        org.as_str(),
                        responses
                    ],
                )?;
                if n == 0 {
                    // Gone (NotFound) or answered meanwhile (None).
                    load_org_poll(c, &org, &id)?;
                    return Ok(None);
                }
                load_org_poll(c, &org, &id).map(Some)
            })
            .await
    }

    async fn set_state(
        &self,
        org: &OrgId,
        id: &PollId,
        state: PollState,
    ) -> Result<StoredPoll, StoreError> {
        let (org, id) = (org.clone(), id.clone());
        self.writer
            .write(move |c| {
                let n = c.execute(
                    "UPDATE polls SET state = ?1, updated_at = ?2 WHERE id = ?3 AND org_id = ?4",
                    params![state.as_str(), stamp(now()), id.as_str(), org.as_str()],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                load_org_poll(c, &org, &id)
            })
            .await
    }

    async fn org_poll(&self, org: &OrgId, id: &PollId) -> Result<StoredPoll, StoreError> {
        let (org, id) = (org.clone(), id.clone());
        self.read(move |c| load_org_poll(c, &org, &id)).await
    }

    async fn list_polls(&self, org: &OrgId) -> Result<Vec<StoredPoll>, StoreError> {
        let org = org.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {POLL_COLUMNS} FROM polls WHERE org_id = ?1 ORDER BY created_at DESC, id"
            ))?;
            let rows = stmt.query_map([org.as_str()], poll_from_row)?;
            rows.map(|r| with_partners(c, r??)).collect()
        })
        .await
    }

    async fn poll(&self, id: &PollId) -> Result<Option<StoredPoll>, StoreError> {
        let id = id.clone();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {POLL_COLUMNS} FROM polls WHERE id = ?1"),
                [id.as_str()],
                poll_from_row,
            )
            .optional()?
            .transpose()?
            .map(|poll| with_partners(c, poll))
            .transpose()
        })
        .await
    }

    async fn delete_poll(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let (org, poll, actor) = (org.clone(), poll.clone(), actor.clone());
        self.writer
            .write(move |c| {
                let stored = load_org_poll(c, &org, &poll)?;
                let deleted =
                    c.execute("DELETE FROM responses WHERE poll_id = ?1", [poll.as_str()])?;
                for table in [
                    "tallies",
                    "erased_submissions",
                    "participation_codes",
                    "poll_partners",
                ] {
                    c.execute(
                        &format!("DELETE FROM {table} WHERE poll_id = ?1"),
                        [poll.as_str()],
                    )?;
                }
                c.execute("DELETE FROM polls WHERE id = ?1", [poll.as_str()])?;
                let deleted = deleted as u64;
                record(
                    c,
                    &stored,
                    &actor,
                    ActivityKind::ConsultationDeleted,
                    deleted,
                )?;
                Ok(deleted)
            })
            .await
    }

    fn poll_changes(&self) -> tokio::sync::broadcast::Receiver<super::PollChange> {
        // One server uses a SQLite file, and forgets what it changes itself: there is no
        // other writer to hear.
        super::polls::no_changes()
    }
}

#[async_trait]
impl AnswerStore for SqliteStore {
    async fn submit(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        answers: &Answers,
        fingerprint: &str,
        checked_against: Option<OffsetDateTime>,
        code_hash: Option<&str>,
        by: super::Attribution<'_>,
    ) -> Result<SubmitOutcome, StoreError> {
        let (poll, submission, fp) = (poll.clone(), submission.clone(), fingerprint.to_owned());
        let code_hash = code_hash.map(str::to_owned);
        let (partner, via) = (by.partner.map(|p| p.as_str().to_owned()), by.via.as_str());
        let answers_json = serde_json::to_string(answers).map_err(corrupt("answers"))?;
        let buckets: Vec<(String, String)> = answers
            .buckets()
            .into_iter()
            .map(|(q, b)| (q.as_str().to_owned(), b.key()))
            .collect();
        self.writer
            .write_counted(move |c| {
                if let Some(checked) = checked_against {
                    let (state, updated): (String, String) = c
                        .prepare_cached("SELECT state, updated_at FROM polls WHERE id = ?1")?
                        .query_row([poll.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    if state != "open" || parse_stamp(&updated)? != checked {
                        return Err(StoreError::Stale);
                    }
                }
                if let Some(receipt) = erased_receipt(c, &poll, &submission)? {
                    return Ok((SubmitOutcome::Replayed(receipt), None));
                }
                let received_at = now();
                // Statements of the hot path are prepared once per connection, not per answer.
                let inserted = c
                    .prepare_cached(
                        "INSERT INTO responses (poll_id, submission_id, fingerprint, answers, received_at, partner, via)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                         ON CONFLICT (poll_id, submission_id) DO NOTHING",
                    )?
                    .execute(params![poll.as_str(), submission.as_str(), fp, answers_json, stamp(received_at), partner, via])?;
                if inserted == 0 {
                    return match receipt_of(c, &poll, &submission)? {
                        Some((stored_fp, receipt)) if stored_fp == fp => {
                            Ok((SubmitOutcome::Replayed(receipt), None))
                        }
                        _ => Err(StoreError::SubmissionConflict),
                    };
                }
                // The code after the answer's row: a replay (above) uses none. Failing here
                // undoes the row with the job's savepoint.
                if let Some(hash) = &code_hash {
                    use_code(c, &poll, hash)?;
                }
                // Counted with the rest of the batch (see `sqlite_counts`).
                Ok((
                    SubmitOutcome::Stored(Receipt {
                        submission_id: submission,
                        received_at,
                    }),
                    Some(Counted { poll, buckets }),
                ))
            })
            .await
    }

    async fn receipt(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, StoreError> {
        let (poll, submission, fp) = (poll.clone(), submission.clone(), fingerprint.to_owned());
        self.read(move |c| match receipt_of(c, &poll, &submission)? {
            Some((stored, r)) => Ok((stored == fp).then_some(r)),
            None => erased_receipt(c, &poll, &submission),
        })
        .await
    }

    async fn response_page(
        &self,
        org: &OrgId,
        poll: &PollId,
        query: ResponseQuery,
    ) -> Result<ResponsePage, StoreError> {
        // Ids hold only `[A-Za-z0-9_-]`: quoted in a JSON path, they cannot escape it.
        const MATCHING: &str = "poll_id = ?1
             AND (?2 IS NULL OR received_at >= ?2) AND (?3 IS NULL OR received_at < ?3)
             AND (?4 IS NULL
                  OR (?5 IS NULL AND json_extract(answers, '$.\"' || ?4 || '\".other') IS NOT NULL)
                  OR json_extract(answers, '$.\"' || ?4 || '\".option') = ?5
                  OR EXISTS (SELECT 1 FROM json_each(answers, '$.\"' || ?4 || '\".options')
                             WHERE value = ?5))";
        let (org, poll) = (org.clone(), poll.clone());
        self.read(move |c| {
            load_org_poll(c, &org, &poll)?;
            let question = query.chose.as_ref().map(|(q, _)| q.to_string());
            let option = query
                .chose
                .as_ref()
                .and_then(|(_, o)| o.as_ref().map(ToString::to_string));
            let (from, until) = (query.from.map(bound), query.until.map(bound));
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM responses WHERE {MATCHING}"),
                params![poll.as_str(), from, until, question, option],
                |r| r.get(0),
            )?;
            let mut stmt = c.prepare(&format!(
                "SELECT seq, submission_id, received_at, answers, partner, via FROM responses
                 WHERE {MATCHING} AND (?6 IS NULL OR seq < ?6) ORDER BY seq DESC LIMIT ?7"
            ))?;
            let rows = stmt.query_map(
                params![
                    poll.as_str(),
                    from,
                    until,
                    question,
                    option,
                    query.before,
                    query.limit
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )?;
            let mut responses = Vec::new();
            let mut last = None;
            for row in rows {
                let (seq, sid, at, answers, partner, via) = row?;
                last = Some(seq);
                responses.push(stored_response(&sid, &at, &answers, partner, &via)?);
            }
            let full = responses.len() == usize::try_from(query.limit).unwrap_or(usize::MAX);
            Ok(ResponsePage {
                responses,
                next: last.filter(|_| full),
                total: u64::try_from(total).unwrap_or(0),
            })
        })
        .await
    }

    async fn response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
    ) -> Result<StoredResponse, StoreError> {
        let (org, poll, submission) = (org.clone(), poll.clone(), submission.clone());
        self.read(move |c| {
            load_org_poll(c, &org, &poll)?;
            let (at, answers, partner, via): (String, String, Option<String>, String) = c
                .query_row(
                    "SELECT received_at, answers, partner, via FROM responses
                     WHERE poll_id = ?1 AND submission_id = ?2",
                    params![poll.as_str(), submission.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
            stored_response(submission.as_str(), &at, &answers, partner, &via)
        })
        .await
    }

    async fn delete_response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let (org, poll, submission, actor) =
            (org.clone(), poll.clone(), submission.clone(), actor.clone());
        let count = self
            .writer
            .write(move |c| {
                let stored = load_org_poll(c, &org, &poll)?;
                let answers: String = c.query_row(
                    "SELECT answers FROM responses WHERE poll_id = ?1 AND submission_id = ?2",
                    params![poll.as_str(), submission.as_str()],
                    |r| r.get(0),
                )?;
                let answers: Answers =
                    serde_json::from_str(&answers).map_err(corrupt("answers"))?;
                let mut untally = c.prepare_cached(
                    "UPDATE tallies SET count = count - 1
                     WHERE poll_id = ?1 AND question_id = ?2 AND bucket = ?3",
                )?;
                for (q, bucket) in answers.buckets() {
                    untally.execute(params![poll.as_str(), q.as_str(), bucket.key()])?;
                }
                c.execute(
                    "DELETE FROM tallies WHERE poll_id = ?1 AND count <= 0",
                    [poll.as_str()],
                )?;
                erase(c, &poll, Some(&submission))?;
                let left: i64 = c.query_row(
                    "UPDATE polls SET response_count = max(response_count - 1, 0) WHERE id = ?1
                     RETURNING response_count",
                    [poll.as_str()],
                    |r| r.get(0),
                )?;
                record(c, &stored, &actor, ActivityKind::AnswerDeleted, 1)?;
                Ok(PollCount {
                    poll,
                    responses: u64::try_from(left).unwrap_or(0),
                })
            })
            .await?;
        let left = count.responses;
        // After the commit, as for a new answer: live views show the new count.
        let _ = self.events.send(count);
        Ok(left)
    }

    async fn delete_responses(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let (org, poll, actor) = (org.clone(), poll.clone(), actor.clone());
        let (deleted, count) = self
            .writer
            .write(move |c| {
                let stored = load_org_poll(c, &org, &poll)?;
                let deleted = erase(c, &poll, None)?;
                c.execute("DELETE FROM tallies WHERE poll_id = ?1", [poll.as_str()])?;
                c.execute(
                    "UPDATE polls SET response_count = 0 WHERE id = ?1",
                    [poll.as_str()],
                )?;
                record(c, &stored, &actor, ActivityKind::AnswersDeleted, deleted)?;
                Ok((deleted, PollCount { poll, responses: 0 }))
            })
            .await?;
        let _ = self.events.send(count);
        Ok(deleted)
    }

    async fn activity(&self, org: &OrgId, limit: u32) -> Result<Vec<Activity>, StoreError> {
        let org = org.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT at, actor_name, actor_email, kind, poll_id, poll_title, answers
                 FROM activity WHERE org_id = ?1 ORDER BY seq DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![org.as_str(), limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })?;
            rows.map(|row| {
                let (at, name, email, kind, poll_id, poll_title, answers) = row?;
                Ok(Activity {
                    at: parse_stamp(&at)?,
                    actor: Actor { name, email },
                    kind: ActivityKind::parse(&kind).ok_or_else(|| corrupt("activity")(kind))?,
                    poll_id: PollId::parse(poll_id).map_err(corrupt("poll id"))?,
                    poll_title,
                    answers: u64::try_from(answers).unwrap_or(0),
                })
            })
            .collect()
        })
        .await
    }

    async fn results(&self, poll: &StoredPoll) -> Result<Results, StoreError> {
        let (id, questions) = (poll.id.clone(), poll.spec.questions.clone());
        self.read(move |c| {
            let mut results = Results::empty(&questions);
            results.total = c.query_row(
                "SELECT response_count FROM polls WHERE id = ?1",
                [id.as_str()],
                |r| r.get::<_, i64>(0),
            )? as u64;
            let mut stmt =
                c.prepare("SELECT question_id, bucket, count FROM tallies WHERE poll_id = ?1")?;
            let mut rows = stmt.query([id.as_str()])?;
            while let Some(row) = rows.next()? {
                let q: String = row.get(0)?;
                let key: String = row.get(1)?;
                let n: i64 = row.get(2)?;
                if let (Ok(q), Some(b)) = (QuestionId::parse(q), Bucket::from_key(&key)) {
                    results.count(&q, &b, u64::try_from(n).unwrap_or(0));
                }
            }
            Ok(results)
        })
        .await
    }

    fn responses(&self, poll: &PollId) -> ResponseStream {
        let (tx, rx) =
            tokio::sync::mpsc::channel::<Vec<Result<StoredResponse, StoreError>>>(EXPORT_BUFFER);
        let (path, poll) = (self.path.clone(), poll.clone());
        // A connection of its own: the export reads one consistent snapshot, however long the
        // client takes, without holding a pooled connection.
        tokio::task::spawn_blocking(move || {
            let run = || -> Result<(), StoreError> {
                let conn = open(&path, read_only())?;
                let mut stmt = conn.prepare(
                    "SELECT submission_id, received_at, answers, partner, via FROM responses
                     WHERE poll_id = ?1 ORDER BY seq",
                )?;
                let mut rows = stmt.query([poll.as_str()])?;
                // Handed over by the chunk: one hand-over (a thread woken) per answer was a
                // good part of a big export's time.
                let mut chunk = Vec::with_capacity(EXPORT_CHUNK);
                while let Some(row) = rows.next()? {
                    let sid: String = row.get(0)?;
                    let at: String = row.get(1)?;
                    let answers: String = row.get(2)?;
                    let partner: Option<String> = row.get(3)?;
                    let via: String = row.get(4)?;
                    let item = stored_response(&sid, &at, &answers, partner, &via);
                    chunk.push(item);
                    if chunk.len() == EXPORT_CHUNK {
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(EXPORT_CHUNK));
                        if tx.blocking_send(full).is_err() {
                            // The client went away.
                            return Ok(());
                        }
                    }
                }
                if !chunk.is_empty() {
                    let _ = tx.blocking_send(chunk);
                }
                Ok(())
            };
            if let Err(e) = run() {
                let _ = tx.blocking_send(vec![Err(e)]);
            }
        });
        Box::pin(futures_util::StreamExt::flat_map(
            tokio_stream::wrappers::ReceiverStream::new(rx),
            futures_util::stream::iter,
        ))
    }

    async fn timeline(&self, poll: &PollId, interval: Interval) -> Result<Vec<Period>, StoreError> {
        let poll = poll.clone();
        // Stamps are RFC 3339 in UTC (`2026-11-29T02:42:48.1Z`): a prefix is the period.
        let (prefix, suffix) = match interval {
            Interval::Hour => (13, ":00:00Z"),
            Interval::Day => (10, "T00:00:00Z"),
        };
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT substr(received_at, 1, ?2) AS period, count(*) FROM responses
                 WHERE poll_id = ?1 GROUP BY period ORDER BY period",
            )?;
            let rows = stmt.query_map(params![poll.as_str(), prefix], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            rows.map(|row| {
                let (period, count) = row?;
                Ok(Period {
                    start: parse_stamp(&format!("{period}{suffix}"))?,
                    count: u64::try_from(count).unwrap_or(0),
                })
            })
            .collect()
        })
        .await
    }

    async fn texts(
        &self,
        poll: &PollId,
        query: TextQuery,
    ) -> Result<(Vec<TextAnswer>, Option<i64>), StoreError> {
        let poll = poll.clone();
        // Question ids are `[a-z0-9-]`, so the quoted JSON path needs no escaping.
        let path = format!("$.\"{}\".{}", query.question.as_str(), query.field);
        let needle = query.search.map(|s| s.to_lowercase());
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT seq, received_at, json_extract(answers, ?2) AS t FROM responses
                 WHERE poll_id = ?1 AND seq > ?3 AND t IS NOT NULL ORDER BY seq",
            )?;
            let mut rows = stmt.query(params![poll.as_str(), path, query.after])?;
            let mut items = Vec::new();
            // Searched here rather than in SQL: SQLite's LIKE and lower() only fold ASCII,
            // and French needs `É` to find `é`.
            while let Some(row) = rows.next()? {
                let text: String = row.get(2)?;
                if needle
                    .as_ref()
                    .is_some_and(|n| !text.to_lowercase().contains(n.as_str()))
                {
                    continue;
                }
                if items.len() == query.limit {
                    let next = items.last().map(|t: &TextAnswer| t.seq);
                    return Ok((items, next));
                }
                let at: String = row.get(1)?;
                items.push(TextAnswer {
                    seq: row.get(0)?,
                    received_at: parse_stamp(&at)?,
                    text,
                });
            }
            Ok((items, None))
        })
        .await
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PollCount> {
        self.events.subscribe()
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_org(&self, id: &OrgId, name: &str) -> Result<(), StoreError> {
        let (id, name) = (id.clone(), name.to_owned());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO orgs (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![id.as_str(), name, stamp(now())],
                )?;
                Ok(())
            })
            .await
    }

    async fn org_exists(&self, id: &OrgId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT 1 FROM orgs WHERE id = ?1",
                [id.as_str()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
        .await
    }

    async fn add_token(&self, org: &OrgId, token_hash: &str) -> Result<(), StoreError> {
        let (org, hash) = (org.clone(), token_hash.to_owned());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO org_tokens (token_hash, org_id, created_at) VALUES (?1, ?2, ?3)",
                    params![hash, org.as_str(), stamp(now())],
                )
                .map_err(|e| match StoreError::from(e) {
                    // The organisation does not exist (foreign key).
                    StoreError::Database(_) => StoreError::NotFound,
                    other => other,
                })?;
                Ok(())
            })
            .await
    }

    async fn org_for_token(&self, token_hash: &str) -> Result<Option<OrgId>, StoreError> {
        let hash = token_hash.to_owned();
        self.read(move |c| {
            let org: Option<String> = c
                .query_row(
                    "SELECT org_id FROM org_tokens WHERE token_hash = ?1",
                    [hash],
                    |r| r.get(0),
                )
                .optional()?;
            org.map(|o| OrgId::parse(o).map_err(corrupt("org id")))
                .transpose()
        })
        .await
    }

    async fn create_invitation(
        &self,
        org: &OrgId,
        token_hash: &str,
        created_by: Option<&str>,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let (org, hash) = (org.clone(), token_hash.to_owned());
        let by = created_by.map(str::to_owned);
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO invitations (token_hash, org_id, created_by, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![hash, org.as_str(), by, bound(now), bound(expires_at)],
                )?;
                Ok(())
            })
            .await
    }

    async fn team(&self, org: &OrgId) -> Result<Vec<TeamMember>, StoreError> {
        let org = org.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(
                // In the order the accounts were made (their RFC 3339 stamps of varying
                // length do not sort as text).
                "SELECT name, email, created_at FROM users WHERE org_id = ?1 ORDER BY rowid",
            )?;
            let rows = stmt.query_map([org.as_str()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            rows.map(|row| {
                let (name, email, joined) = row?;
                Ok(TeamMember {
                    name,
                    email,
                    joined_at: parse_stamp(&joined)?,
                })
            })
            .collect()
        })
        .await
    }

    async fn pending_invitations(
        &self,
        org: &OrgId,
        now: OffsetDateTime,
    ) -> Result<Vec<PendingInvitation>, StoreError> {
        let org = org.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT i.token_hash, u.name, i.created_at, i.expires_at
                 FROM invitations i LEFT JOIN users u ON u.id = i.created_by
                 WHERE i.org_id = ?1 AND i.used_at IS NULL AND i.expires_at > ?2
                 ORDER BY i.created_at DESC, i.rowid DESC",
            )?;
            let rows = stmt.query_map(params![org.as_str(), bound(now)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            rows.map(|row| {
                let (id, created_by, created, expires) = row?;
                Ok(PendingInvitation {
                    id,
                    created_by,
                    created_at: parse_stamp(&created)?,
                    expires_at: parse_stamp(&expires)?,
                })
            })
            .collect()
        })
        .await
    }

    async fn revoke_invitation(
        &self,
        org: &OrgId,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let (org, id) = (org.clone(), id.to_owned());
        self.writer
            .write(move |c| {
                let n = c.execute(
                    "DELETE FROM invitations
                     WHERE token_hash = ?1 AND org_id = ?2 AND used_at IS NULL
                       AND expires_at > ?3",
                    params![id, org.as_str(), bound(now)],
                )?;
                Ok(n > 0)
            })
            .await
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        user: NewUser,
    ) -> Result<User, StoreError> {
        let hash = token_hash.to_owned();
        self.writer
            .write(move |c| {
                let org: String = c.query_row(
                    "SELECT org_id FROM invitations
                     WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                    params![hash, bound(now)],
                    |r| r.get(0),
                )?;
                c.execute(
                    "INSERT INTO users (id, org_id, email, name, password_hash, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        user.id,
                        org,
                        user.email,
                        user.name,
                        user.password_hash,
                        stamp(now)
                    ],
                )?;
                c.execute(
                    "UPDATE invitations SET used_at = ?1, used_by = ?2 WHERE token_hash = ?3",
                    params![bound(now), user.id, hash],
                )?;
                Ok(User {
                    id: user.id,
                    org: OrgId::parse(org).map_err(corrupt("org id"))?,
                    email: user.email,
                    name: user.name,
                })
            })
            .await
    }

    async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let email = email.to_owned();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = ?1"),
                [email],
                |r| {
                    let hash: String = r.get(4)?;
                    Ok(user_from_row(r)?.map(|user| Credentials {
                        user,
                        password_hash: hash,
                    }))
                },
            )
            .optional()?
            .transpose()
        })
        .await
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let (hash, user) = (id_hash.to_owned(), user.to_owned());
        self.writer
            .write(move |c| {
                // Sessions nobody presents again are never deleted on use: sweep the ones
                // past their lifetime whenever a new one starts.
                c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [bound(now)])?;
                c.execute(
                    "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
                     VALUES (?1, ?2, ?3, ?3, ?4)",
                    params![hash, user, bound(now), bound(expires_at)],
                )?;
                Ok(())
            })
            .await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let hash = id_hash.to_owned();
        self.read(move |c| {
            c.query_row(
                &format!(
                    "SELECT {USER_COLUMNS}, o.name, s.last_seen_at, s.expires_at
                     FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
                     WHERE s.id_hash = ?1"
                ),
                [hash],
                |r| {
                    let org_name: String = r.get(4)?;
                    let seen: String = r.get(5)?;
                    let expires: String = r.get(6)?;
                    Ok(user_from_row(r)?.and_then(|user| {
                        Ok(Session {
                            user,
                            org_name,
                            last_seen_at: parse_stamp(&seen)?,
                            expires_at: parse_stamp(&expires)?,
                        })
                    }))
                },
            )
            .optional()?
            .transpose()
        })
        .await
    }

    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        let hash = id_hash.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE sessions SET last_seen_at = ?1 WHERE id_hash = ?2",
                    params![bound(now), hash],
                )?;
                Ok(())
            })
            .await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let hash = id_hash.to_owned();
        self.writer
            .write(move |c| {
                c.execute("DELETE FROM sessions WHERE id_hash = ?1", [hash])?;
                Ok(())
            })
            .await
    }

    async fn delete_sessions_of(&self, user: &str) -> Result<u64, StoreError> {
        let user = user.to_owned();
        self.writer
            .write(move |c| {
                let n = c.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
                Ok(n as u64)
            })
            .await
    }
}
