//! What the answers of one SQLite write batch add to the tallies and to their consultations'
//! counts. Added up in memory as each answer is written and written once for the batch, so
//! that hundreds of answers to one consultation move each of its tally rows and its count
//! once per commit instead of once per answer (each statement run costs more than the rows it
//! touches). Written before any other job of the batch runs, so that a deletion or an edit in
//! the same batch sees every answer before it counted.

use super::{PollCount, StoreError};
use concerto_core::PollId;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// One answer's part: its consultation and the buckets (question, key) it counts in.
pub struct Counted {
    pub poll: PollId,
    pub buckets: Vec<(String, String)>,
}

/// The batch's sums not yet written.
#[derive(Default)]
pub struct Pending {
    tallies: HashMap<(PollId, String, String), i64>,
    answers: HashMap<PollId, i64>,
    /// Why writing the sums failed, if it did: the batch must then not be committed at all.
    broken: Option<StoreError>,
}

impl Pending {
    /// Counts one stored answer.
    pub fn add(&mut self, counted: Counted) {
        for (question, bucket) in counted.buckets {
            *self
                .tallies
                .entry((counted.poll.clone(), question, bucket))
                .or_default() += 1;
        }
        *self.answers.entry(counted.poll).or_default() += 1;
    }

    /// Writes the sums in `conn`'s transaction and forgets them; the new count of each
    /// consultation that moved, to tell subscribers once the batch is committed.
    pub fn flush(&mut self, conn: &Connection) -> Result<Vec<PollCount>, StoreError> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        if self.answers.is_empty() {
            return Ok(Vec::new());
        }
        let written = self.write(conn);
        if let Err(e) = &written {
            self.broken = Some(e.clone());
        }
        written
    }

    fn write(&mut self, conn: &Connection) -> Result<Vec<PollCount>, StoreError> {
        let mut tally = conn.prepare_cached(
            "INSERT INTO tallies (poll_id, question_id, bucket, count) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (poll_id, question_id, bucket) DO UPDATE SET count = count + excluded.count",
        )?;
        for ((poll, question, bucket), n) in self.tallies.drain() {
            tally.execute(params![poll.as_str(), question, bucket, n])?;
        }
        let mut count = conn.prepare_cached(
            "UPDATE polls SET response_count = response_count + ?2 WHERE id = ?1
             RETURNING response_count",
        )?;
        let mut moved = Vec::with_capacity(self.answers.len());
        for (poll, n) in self.answers.drain() {
            let total: i64 = count.query_row(params![poll.as_str(), n], |r| r.get(0))?;
            moved.push(PollCount {
                poll,
                responses: u64::try_from(total).unwrap_or(0),
            });
        }
        Ok(moved)
    }
}
