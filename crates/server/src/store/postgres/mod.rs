//! The store for several servers: one PostgreSQL database that they all share, reached
//! through a pool of connections whose prepared statements are cached. Everything of
//! tokio-postgres stays in this module.
//!
//! The semantics are the SQLite store's; where two servers may race (the same retry reaching
//! both), the database's unique constraints and row locks decide, inside one transaction.

mod accounts;
mod answers;
mod batch;
mod codes;
mod listener;
mod migrations;
mod partners;
mod polls;

use super::{PollChange, PollCount, StoreError, StoredPoll, User};
use concerto_core::{OrgId, PollId, PollState};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

/// Connections each server keeps to the database at most.
const POOL_SIZE: usize = 16;

/// How long a connection may take to be made or checked before the request gives up with
/// `Unavailable`: a database that is down makes requests fail, not hang.
const POOL_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for a connection of the pool to be free: longer, as a burst of
/// answers to one consultation queues up here.
const POOL_WAIT: Duration = Duration::from_secs(30);

/// Counts kept for live subscribers that are slow to read them.
const EVENTS_BUFFER: usize = 1024;

/// Changed consultations kept for a subscriber that is slow to read them; one that falls
/// further behind learns it lagged, and forgets them all.
const CHANGES_BUFFER: usize = 256;

/// Answers sent to an export stream ahead of the client reading them.
const EXPORT_BUFFER: usize = 256;

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => StoreError::AlreadyExists,
            // Two transactions waiting for each other: one is undone, and its request may
            // simply be sent again.
            Some(c)
                if *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::T_R_SERIALIZATION_FAILURE =>
            {
                StoreError::Unavailable
            }
            // Its disk full, a standby or read-only transaction, out of resources.
            Some(c)
                if *c == SqlState::DISK_FULL
                    || *c == SqlState::READ_ONLY_SQL_TRANSACTION
                    || *c == SqlState::INSUFFICIENT_RESOURCES
                    || *c == SqlState::OUT_OF_MEMORY
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                StoreError::CannotWrite(describe(&e))
            }
            // The database is shutting down, restarting or refusing connections.
            Some(c)
                if *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CRASH_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW
                    || *c == SqlState::TOO_MANY_CONNECTIONS =>
            {
                StoreError::Unavailable
            }
            Some(_) => StoreError::Database(describe(&e)),
            // No SQL state and an I/O cause: the connection itself failed.
            None if e.is_closed() || is_io(&e) => StoreError::Unavailable,
            // A value that does not convert, a protocol surprise.
            None => StoreError::Database(describe(&e)),
        }
    }
}

/// `NotFound` if `e` is a violation of the kind `state` (a row referring to one that does not
/// exist), the usual mapping otherwise.
fn or_not_found(e: tokio_postgres::Error, state: SqlState) -> StoreError {
    if e.code() == Some(&state) {
        StoreError::NotFound
    } else {
        e.into()
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        match e {
            PoolError::Backend(e) => {
                tracing::warn!(error = describe(&e), "cannot connect to the database");
                StoreError::Unavailable
            }
            PoolError::Timeout(_) | PoolError::Closed => StoreError::Unavailable,
            other => StoreError::Database(other.to_string()),
        }
    }
}

/// The error with its causes: tokio-postgres' own text is only "db error" and the like.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

fn is_io(e: &tokio_postgres::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}

/// Storage in a PostgreSQL database that several servers may share.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    events: tokio::sync::broadcast::Sender<PollCount>,
    changes: tokio::sync::broadcast::Sender<PollChange>,
    batcher: batch::Batcher,
    _listener: Arc<listener::Listener>,
}

/// Reads a connection URL (`postgres://user:password@host:port/database?…`).
fn parse_url(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    url.parse()
        .map_err(|e| StoreError::Database(format!("the database URL is not usable: {e}")))
}

fn pool(mut config: tokio_postgres::Config) -> Result<Pool, StoreError> {
    // Named in `pg_stat_activity`, unless the URL names it otherwise.
    if config.get_application_name().is_none() {
        config.application_name("concerto");
    }
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            // Only checks that the connection is open; a broken one fails its query and is
            // dropped, and the next request gets a fresh one.
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT))
        .create_timeout(Some(POOL_TIMEOUT))
        .recycle_timeout(Some(POOL_TIMEOUT))
        .build()
        .map_err(|e| StoreError::Database(format!("cannot build the connection pool: {e}")))
}

/// Brings the database at `url` up to the latest schema, and nothing else.
pub(super) async fn migrate(url: &str) -> Result<(), StoreError> {
    let pool = pool(parse_url(url)?)?;
    let mut client = first_connection(&pool).await?;
    migrations::migrate(&mut client).await?;
    Ok(())
}

/// The first connection, whose failure is worth saying in full: the server does not start.
async fn first_connection(pool: &Pool) -> Result<deadpool_postgres::Client, StoreError> {
    pool.get().await.map_err(|e| {
        let mut detail = e.to_string();
        let mut cause = std::error::Error::source(&e);
        // Each layer may or may not repeat its cause: say each once.
        while let Some(c) = cause {
            let said = c.to_string();
            if !detail.contains(&said) {
                detail = format!("{detail}: {said}");
            }
            cause = c.source();
        }
        StoreError::Database(format!("cannot reach the database: {detail}"))
    })
}

impl PgStore {
    /// Connects to the database at `url`, brings its schema up to date and starts listening
    /// for the counts and changed consultations other servers commit.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let config = parse_url(url)?;
        let pool = pool(config.clone())?;
        {
            let mut client = first_connection(&pool).await?;
            migrations::migrate(&mut client).await?;
        }
        let events = listener::Events {
            counts: tokio::sync::broadcast::channel(EVENTS_BUFFER).0,
            changes: tokio::sync::broadcast::channel(CHANGES_BUFFER).0,
        };
        let listener = listener::start(&config, events.clone()).await?;
        Ok(Self {
            batcher: batch::Batcher::start(pool.clone()),
            pool,
            events: events.counts,
            changes: events.changes,
            _listener: Arc::new(listener),
        })
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        Ok(self.pool.get().await?)
    }
}

/// The moment as PostgreSQL keeps it (microseconds), so that what a caller is given equals
/// what it reads back later.
fn now() -> OffsetDateTime {
    micros(OffsetDateTime::now_utc())
}

fn micros(t: OffsetDateTime) -> OffsetDateTime {
    let ns = t.nanosecond();
    t.replace_nanosecond(ns - ns % 1_000).unwrap_or(t)
}

/// `value` as jsonb takes it. jsonb cannot hold U+0000 (PostgreSQL refuses the whole value),
/// which nothing else stops a resident or an organiser from typing: it is kept as U+FFFD,
/// the replacement character, rather than losing the answer to an error the widget would
/// retry forever.
fn jsonb<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, StoreError> {
    fn clean(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', "\u{fffd}"),
            serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
            serde_json::Value::Object(map) => map.values_mut().for_each(clean),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).map_err(corrupt("value to store"))?;
    clean(&mut v);
    Ok(v)
}

fn corrupt<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError::Database(format!("stored {what} unreadable: {e}"))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn parse_state(s: &str) -> Result<PollState, StoreError> {
    match s {
        "draft" => Ok(PollState::Draft),
        "open" => Ok(PollState::Open),
        "closed" => Ok(PollState::Closed),
        other => Err(StoreError::Database(format!("unknown poll state {other}"))),
    }
}

const POLL_COLUMNS: &str = "id, org_id, spec, state, response_count, created_at, updated_at";

/// A consultation from its row, without its partners (see `load_org_poll`).
fn poll_from_row(row: &Row) -> Result<StoredPoll, StoreError> {
    let spec: serde_json::Value = row.try_get(2)?;
    Ok(StoredPoll {
        id: PollId::parse(row.try_get::<_, String>(0)?).map_err(corrupt("poll id"))?,
        org: OrgId::parse(row.try_get::<_, String>(1)?).map_err(corrupt("org id"))?,
        spec: serde_json::from_value(spec).map_err(corrupt("poll spec"))?,
        state: parse_state(row.try_get(3)?)?,
        responses: count(row.try_get(4)?),
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        partners: Vec::new(),
    })
}

const USER_COLUMNS: &str = "u.id, u.org_id, u.email, u.name";

fn user_from_row(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get(0)?,
        org: OrgId::parse(row.try_get::<_, String>(1)?).map_err(corrupt("org id"))?,
        email: row.try_get(2)?,
        name: row.try_get(3)?,
    })
}

/// How a transaction holds the consultation it read, until it ends.
#[derive(Debug, Clone, Copy)]
enum Lock {
    /// Not at all: a plain read.
    None,
    /// Against other answers and deletions of answers, which then take turns (a new answer
    /// takes the same lock when it counts itself).
    Answers,
    /// Against everything, the answers being inserted included: the row is deleted.
    Delete,
}

impl Lock {
    fn clause(self) -> &'static str {
        match self {
            Lock::None => "",
            Lock::Answers => "FOR NO KEY UPDATE",
            Lock::Delete => "FOR UPDATE",
        }
    }
}

/// `org`'s consultation `id`, or `NotFound`; without its partners (`partners::load`), which
/// the checks of ownership that use it have no need of, but every consultation returned by
/// the store has.
async fn load_org_poll(
    c: &impl GenericClient,
    org: &OrgId,
    id: &PollId,
    lock: Lock,
) -> Result<StoredPoll, StoreError> {
    let sql = format!(
        "SELECT {POLL_COLUMNS} FROM polls WHERE id = $1 AND org_id = $2 {}",
        lock.clause()
    );
    poll_from_row(&one(c, &sql, &[&id.as_str(), &org.as_str()]).await?)
}

/// Tells every server's listener (this one's too) the new count, once the transaction
/// commits: PostgreSQL holds notifications back until then, and drops them on rollback.
async fn notify(c: &impl GenericClient, count: &PollCount) -> Result<(), StoreError> {
    exec(
        c,
        "SELECT pg_notify($1, $2)",
        &[&listener::CHANNEL, &listener::payload(count)],
    )
    .await
    .map(drop)
}

/// Tells every server's listener (this one's too) that consultation `id` changed, once the
/// transaction commits, so that what they keep of it in memory goes.
async fn notify_changed(c: &impl GenericClient, id: &PollId) -> Result<(), StoreError> {
    exec(
        c,
        "SELECT pg_notify($1, $2)",
        &[&listener::POLLS_CHANNEL, &id.as_str()],
    )
    .await
    .map(drop)
}

/// Rows of `sql`, prepared once per connection.
async fn rows(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, StoreError> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.query(&stmt, params).await?)
}

/// The row of `sql`, if any.
async fn opt(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, StoreError> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.query_opt(&stmt, params).await?)
}

/// The row of `sql`, or `NotFound`.
async fn one(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row, StoreError> {
    opt(c, sql, params).await?.ok_or(StoreError::NotFound)
}

/// Runs `sql`; returns how many rows it changed.
async fn exec(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, StoreError> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.execute(&stmt, params).await?)
}

#[async_trait::async_trait]
impl super::Readiness for PgStore {
    async fn check_writable(&self) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(&c, "UPDATE probe SET at = now() WHERE id = 1", &[])
            .await
            .map(drop)
    }

    fn write_stats(&self) -> super::WriteStats {
        self.batcher.stats()
    }

    fn live_subscribers(&self) -> usize {
        self.events.receiver_count()
    }
}
