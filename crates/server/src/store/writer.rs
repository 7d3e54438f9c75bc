//! The single SQLite writer. Every write goes through one thread that gathers the jobs waiting
//! for it into one transaction (each job in its own savepoint, so one failure does not undo
//! the others), commits, and only then answers each job. Under load this turns many small
//! fsyncs into one, and an acknowledgement always means "on disk". Answers' tallies and
//! counts are summed over the batch and written once (see `sqlite_counts`).

use super::sqlite_counts::{Counted, Pending};
use super::{PollCount, StoreError, WriteStats};
use rusqlite::{Connection, Transaction};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{mpsc, oneshot};

/// Most jobs committed together.
const MAX_BATCH: usize = 512;

/// How long a batch waits for more jobs while answers come in together. A commit costs one
/// fsync (milliseconds) whatever its size, and the clients just answered are sending their
/// next answers: waiting a fraction of that for them stores many for the price of one. A
/// lone answer at a quiet time does not wait.
const LINGER: Duration = Duration::from_micros(400);

type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
type Job = Box<dyn FnOnce(&mut Transaction<'_>, &mut Pending) -> Finish + Send>;

/// Told the consultations' new counts once the batch that moved them is committed.
pub type OnCounts = Box<dyn Fn(Vec<PollCount>) + Send>;

/// A handle to the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `conn`; `on_counts` hears of the counts each batch moved.
    pub fn start(
        mut conn: Connection,
        stats: WriteStats,
        on_counts: OnCounts,
    ) -> std::io::Result<Self> {
        let (jobs, mut rx) = mpsc::channel::<Job>(8 * MAX_BATCH);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut busy = false;
                while let Some(first) = rx.blocking_recv() {
                    let mut batch = vec![first];
                    gather(&mut rx, &mut batch, busy);
                    busy = batch.len() > 1;
                    run_batch(&mut conn, batch, &stats, &on_counts);
                }
            })?;
        Ok(Self { jobs })
    }

    /// Runs `f` in the next batch and returns its result once that batch is committed. The
    /// answers counted before it in the batch are in the tallies and counts it reads.
    pub async fn write<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        self.send(move |tx, pending| {
            pending.flush(tx)?;
            in_savepoint(tx, f)
        })
        .await
    }

    /// Like `write`, for an answer: what `f` returns to be counted is added to the tallies
    /// and counts with the rest of the batch, if `f` succeeds.
    pub async fn write_counted<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<(R, Option<Counted>), StoreError> + Send + 'static,
    {
        self.send(move |tx, pending| {
            let (r, counted) = in_savepoint(tx, f)?;
            if let Some(counted) = counted {
                pending.add(counted);
            }
            Ok(r)
        })
        .await
    }

    async fn send<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection, &mut Pending) -> Result<R, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |tx, pending| {
            let outcome = f(tx, pending);
            Box::new(move |committed: Result<(), StoreError>| {
                let _ = reply.send(committed.and(outcome));
            })
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }
}

/// Runs `f` in a savepoint of its own: undone alone if it fails. The savepoint statements
/// are prepared once (rusqlite's `Savepoint` formats and parses them for every job).
fn in_savepoint<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    let outcome = f(conn).and_then(|r| {
        conn.prepare_cached("RELEASE job")?.execute([])?;
        Ok(r)
    });
    if outcome.is_err() {
        // Undone, then closed; if even that fails, the batch's commit fails too.
        let _ = conn
            .prepare_cached("ROLLBACK TO job")
            .and_then(|mut s| s.execute([]));
        let _ = conn
            .prepare_cached("RELEASE job")
            .and_then(|mut s| s.execute([]));
    }
    outcome
}

/// Adds to `batch` the jobs waiting, and while `busy` (the last batch had company) those
/// arriving within [`LINGER`].
fn gather(rx: &mut mpsc::Receiver<Job>, batch: &mut Vec<Job>, busy: bool) {
    let until = Instant::now() + LINGER;
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => batch.push(job),
            Err(TryRecvError::Empty) if busy && Instant::now() < until => {
                std::thread::sleep(Duration::from_micros(50));
            }
            Err(_) => break,
        }
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Job>, stats: &WriteStats, on_counts: &OnCounts) {
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "could not begin a write transaction");
            // Dropping the jobs drops their reply channels: callers see `Unavailable`.
            return;
        }
    };
    let mut pending = Pending::default();
    let finishers: Vec<Finish> = batch
        .into_iter()
        .map(|job| job(&mut tx, &mut pending))
        .collect();
    let commit = Instant::now();
    // The counts written last: if they cannot be, nothing of the batch is (dropping the
    // transaction rolls it back), since its answers would be stored uncounted.
    let committed = pending.flush(&tx).and_then(|moved| {
        tx.commit().map(|()| moved).map_err(|e| {
            tracing::error!(error = %e, jobs = finishers.len(), "write batch failed to commit");
            StoreError::from(e)
        })
    });
    let committed = match committed {
        Ok(moved) => {
            stats.record(finishers.len(), commit.elapsed());
            if !moved.is_empty() {
                on_counts(moved);
            }
            Ok(())
        }
        Err(e) => Err(e),
    };
    for finish in finishers {
        finish(committed.clone());
    }
}
