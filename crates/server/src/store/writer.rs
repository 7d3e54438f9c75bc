//! The single SQLite writer. Every write goes through one thread that gathers the jobs waiting
//! for it into one transaction (each job in its own savepoint, so one failure does not undo
//! the others), commits, and only then answers each job. Under load this turns many small
//! fsyncs into one, and an acknowledgement always means "on disk".

use super::{StoreError, WriteStats};
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
type Job = Box<dyn FnOnce(&mut Transaction<'_>) -> Finish + Send>;

/// A handle to the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `conn`.
    pub fn start(mut conn: Connection, stats: WriteStats) -> std::io::Result<Self> {
        let (jobs, mut rx) = mpsc::channel::<Job>(8 * MAX_BATCH);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut busy = false;
                while let Some(first) = rx.blocking_recv() {
                    let mut batch = vec![first];
                    gather(&mut rx, &mut batch, busy);
                    busy = batch.len() > 1;
                    run_batch(&mut conn, batch, &stats);
                }
            })?;
        Ok(Self { jobs })
    }

    /// Runs `f` in the next batch and returns its result once that batch is committed.
    pub async fn write<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |tx| {
            let outcome = match tx.savepoint() {
                Ok(sp) => match f(&sp) {
                    Ok(r) => sp.commit().map(|()| r).map_err(StoreError::from),
                    // Dropping the savepoint rolls back this job alone.
                    Err(e) => Err(e),
                },
                Err(e) => Err(e.into()),
            };
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

fn run_batch(conn: &mut Connection, batch: Vec<Job>, stats: &WriteStats) {
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "could not begin a write transaction");
            // Dropping the jobs drops their reply channels: callers see `Unavailable`.
            return;
        }
    };
    let finishers: Vec<Finish> = batch.into_iter().map(|job| job(&mut tx)).collect();
    let commit = Instant::now();
    let committed = tx.commit().map_err(|e| {
        tracing::error!(error = %e, jobs = finishers.len(), "write batch failed to commit");
        StoreError::from(e)
    });
    if committed.is_ok() {
        stats.record(finishers.len(), commit.elapsed());
    }
    for finish in finishers {
        finish(committed.clone());
    }
}
