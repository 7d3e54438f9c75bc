//! Checkpoints of the SQLite write-ahead log, off the writer's thread. Left to SQLite, the
//! commit that fills the log past a thousand pages copies them into the database and syncs
//! it before its batch is acknowledged: every so often a batch of answers waited hundreds of
//! milliseconds for a checkpoint (the p99 at a steady 5,000 answers a second). Here a thread
//! of its own checkpoints passively (never waiting for, nor blocking, the writer and the
//! readers) once a second, and the writer never does. Not more often: each checkpoint syncs
//! the database file, and a commit whose sync of the log met it waited for it (commits of
//! 12-14 ms instead of 1): four checkpoints a second gave a p99 of 22-37 ms at 5,000 answers a
//! second, one gives 15-22 ms.

use rusqlite::Connection;
use std::sync::mpsc;
use std::time::Duration;

/// How often the log is copied into the database.
const EVERY: Duration = Duration::from_millis(1000);

/// The checkpointing thread; it ends when this is dropped.
pub struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    /// Starts checkpointing the database `conn` is open on (a connection of its own).
    pub fn start(conn: Connection) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // PASSIVE: as much as no reader still needs; the rest at the next turn. A
                    // failure (the disk full) is the writer's to report, on its commits.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })?;
        Ok(Self { _stop: stop })
    }
}
