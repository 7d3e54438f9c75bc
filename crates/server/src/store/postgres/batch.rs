//! Answers written in batches. Every answer to a consultation moves the same rows (its count,
//! its tallies), which a transaction holds locked until its commit is on disk: one answer per
//! transaction would store one answer per fsync for a consultation, a few hundred a second.
//! Each server instead gathers the answers that wait and writes them in one transaction: the
//! consultations' rows locked first (in id order, so two servers never deadlock), the
//! deletions seen, the answers inserted, each tally and count moved once for the batch.
//!
//! A batch that fails is written again answer by answer through the one-answer path, so that
//! one faulty answer (its consultation deleted meanwhile) fails alone.

use super::super::{Receipt, StoreError, SubmitOutcome, WriteStats};
use super::answers::{OneAnswer, submit_one};
use super::{listener, now};
use concerto_core::{OrgId, PollId, SubmissionId, Via};
use deadpool_postgres::Pool;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// Answers written together at most.
const MAX_BATCH: usize = 256;

/// One answer waiting for its batch.
pub(super) struct Job {
    pub poll: PollId,
    pub submission: SubmissionId,
    pub fingerprint: String,
    pub answers: serde_json::Value,
    /// The tallies' buckets it counts in: question and bucket key.
    pub buckets: Vec<(String, String)>,
    /// The consultation's `updated_at` it was checked against, if it must still be that.
    pub checked_against: Option<OffsetDateTime>,
    /// The partner organisation it came through, if any.
    pub partner: Option<OrgId>,
    /// The door it came through.
    pub via: Via,
    pub reply: oneshot::Sender<Result<SubmitOutcome, StoreError>>,
}

/// Hands answers to this server's batch writer.
#[derive(Clone)]
pub(super) struct Batcher {
    jobs: mpsc::Sender<Job>,
    stats: WriteStats,
}

impl Batcher {
    /// Starts the writer of answers to the database of `pool` (a task that ends with the
    /// last handle).
    pub fn start(pool: Pool) -> Self {
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        let stats = WriteStats::default();
        tokio::spawn(run(pool, rx, stats.clone()));
        Self { jobs, stats }
    }

    /// The sizes and commit times of its batches.
    pub fn stats(&self) -> WriteStats {
        self.stats.clone()
    }

    /// Writes `job` in the next batch; answers once that batch is committed.
    pub async fn submit(&self, job: Job) -> Result<(), StoreError> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| StoreError::Unavailable)
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<Job>, stats: WriteStats) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write(&pool, &batch, &stats).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
            }
            // The database out of reach: every answer of the batch is told at once (503, the
            // widget sends it again later), rather than each waiting its turn to fail.
            Err(e @ StoreError::Unavailable) => {
                for job in batch {
                    let _ = job.reply.send(Err(e.clone()));
                }
            }
            Err(e) => {
                if batch.len() > 1 {
                    tracing::warn!(error = %e, answers = batch.len(), "batch failed: writing its answers one by one");
                }
                for job in batch {
                    // Its request gave up meanwhile (nothing of it was committed).
                    if job.reply.is_closed() {
                        continue;
                    }
                    let one = OneAnswer {
                        poll: &job.poll,
                        submission: &job.submission,
                        answers: &job.answers,
                        buckets: &job.buckets,
                        fingerprint: &job.fingerprint,
                        checked_against: job.checked_against,
                        code_hash: None,
                        partner: job.partner.as_ref().map(OrgId::as_str),
                        via: job.via,
                    };
                    let outcome = submit_one(&pool, one).await;
                    let _ = job.reply.send(outcome);
                }
            }
        }
    }
}

type Key<'a> = (&'a str, &'a str);

/// Writes `jobs` in one transaction; each job's outcome, or the error that undid them all.
/// Statements are prepared once per pooled connection (`prepare_cached`): a statement given as
/// text is prepared again each time, one more round trip while the batch holds its locks.
async fn write(
    pool: &Pool,
    jobs: &[Job],
    stats: &WriteStats,
) -> Result<Vec<Result<SubmitOutcome, StoreError>>, StoreError> {
    let mut c = pool.get().await?;
    let tx = c.transaction().await?;
    let received_at: OffsetDateTime = now();
    let mut polls: Vec<&str> = jobs.iter().map(|j| j.poll.as_str()).collect();
    polls.sort_unstable();
    polls.dedup();
    // Deletions of these consultations' answers lock the same rows: from here, what they
    // committed is seen, and they wait for this batch.
    let lock = tx
        .prepare_cached(
            "SELECT id, state, updated_at FROM polls WHERE id = ANY($1) ORDER BY id
             FOR NO KEY UPDATE",
        )
        .await?;
    let locked = tx.query(&lock, &[&polls]).await?;
    // Each consultation as it is now: open, and its version.
    let mut now_is: HashMap<String, (bool, OffsetDateTime)> = HashMap::new();
    for r in &locked {
        let state: String = r.try_get(1)?;
        now_is.insert(r.try_get(0)?, (state == "open", r.try_get(2)?));
    }
    let current = |j: &Job| {
        now_is
            .get(j.poll.as_str())
            .is_some_and(|(open, version)| j.checked_against.is_none_or(|c| *open && c == *version))
    };
    let poll_ids: Vec<&str> = jobs.iter().map(|j| j.poll.as_str()).collect();
    let sids: Vec<&str> = jobs.iter().map(|j| j.submission.as_str()).collect();
    let erased: HashMap<(String, String), OffsetDateTime> = tx
        .query(
            &tx.prepare_cached(
                "SELECT e.poll_id, e.submission_id, e.received_at FROM erased_submissions e
             JOIN UNNEST($1::text[], $2::text[]) AS j(p, s)
               ON e.poll_id = j.p AND e.submission_id = j.s",
            )
            .await?,
            &[&poll_ids, &sids],
        )
        .await?
        .iter()
        .map(|r| Ok(((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?)))
        .collect::<Result<_, tokio_postgres::Error>>()?;
    // The first answer of each submission id only: another with the same id in this batch
    // is then a replay or a conflict of it, never a rival for the row.
    let mut seen: HashSet<Key<'_>> = HashSet::new();
    let candidates: Vec<&Job> = jobs
        .iter()
        .filter(|j| {
            current(j)
                && !erased.contains_key(&(j.poll.to_string(), j.submission.to_string()))
                && seen.insert((j.poll.as_str(), j.submission.as_str()))
        })
        .collect();
    let (cp, cs, cf, ca): (Vec<&str>, Vec<&str>, Vec<&str>, Vec<&serde_json::Value>) = (
        candidates.iter().map(|j| j.poll.as_str()).collect(),
        candidates.iter().map(|j| j.submission.as_str()).collect(),
        candidates.iter().map(|j| j.fingerprint.as_str()).collect(),
        candidates.iter().map(|j| &j.answers).collect(),
    );
    let (cpartner, cvia): (Vec<Option<&str>>, Vec<&str>) = (
        candidates
            .iter()
            .map(|j| j.partner.as_ref().map(OrgId::as_str))
            .collect(),
        candidates.iter().map(|j| j.via.as_str()).collect(),
    );
    let inserted: HashSet<(String, String)> = tx
        .query(
            &tx.prepare_cached(
                "INSERT INTO responses
                 (poll_id, submission_id, fingerprint, answers, received_at, partner, via)
             SELECT p, s, f, a, $5, b, v
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::jsonb[], $6::text[], $7::text[])
                 AS t(p, s, f, a, b, v)
             ON CONFLICT (poll_id, submission_id) DO NOTHING
             RETURNING poll_id, submission_id",
            )
            .await?,
            &[&cp, &cs, &cf, &ca, &received_at, &cpartner, &cvia],
        )
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, tokio_postgres::Error>>()?;
    // What was there before (or stored by an earlier answer of this batch with the same id).
    let stored: HashMap<(String, String), (String, OffsetDateTime)> = tx
        .query(
            &tx.prepare_cached(
                "SELECT r.poll_id, r.submission_id, r.fingerprint, r.received_at FROM responses r
             JOIN UNNEST($1::text[], $2::text[]) AS j(p, s)
               ON r.poll_id = j.p AND r.submission_id = j.s",
            )
            .await?,
            &[&cp, &cs],
        )
        .await?
        .iter()
        .map(|r| {
            Ok((
                (r.try_get(0)?, r.try_get(1)?),
                (r.try_get(2)?, r.try_get(3)?),
            ))
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;

    let mut claimed: HashSet<Key<'_>> = HashSet::new();
    let mut tallies: HashMap<(&str, &str, &str), i64> = HashMap::new();
    let mut counts: HashMap<&str, i64> = HashMap::new();
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let key = (job.poll.to_string(), job.submission.to_string());
        let receipt = |at| Receipt {
            submission_id: job.submission.clone(),
            received_at: at,
        };
        let outcome = if !now_is.contains_key(job.poll.as_str()) {
            Err(StoreError::NotFound)
        } else if !current(job) {
            Err(StoreError::Stale)
        } else if let Some(at) = erased.get(&key) {
            Ok(SubmitOutcome::Replayed(receipt(*at)))
        } else if inserted.contains(&key)
            && claimed.insert((job.poll.as_str(), job.submission.as_str()))
        {
            for (q, bucket) in &job.buckets {
                *tallies.entry((job.poll.as_str(), q, bucket)).or_default() += 1;
            }
            *counts.entry(job.poll.as_str()).or_default() += 1;
            Ok(SubmitOutcome::Stored(receipt(received_at)))
        } else {
            match stored.get(&key) {
                Some((fingerprint, at)) if *fingerprint == job.fingerprint => {
                    Ok(SubmitOutcome::Replayed(receipt(*at)))
                }
                _ => Err(StoreError::SubmissionConflict),
            }
        };
        outcomes.push(outcome);
    }
    if !tallies.is_empty() {
        let (tp, tq, tb, tn): (Vec<&str>, Vec<&str>, Vec<&str>, Vec<i64>) = (
            tallies.keys().map(|k| k.0).collect(),
            tallies.keys().map(|k| k.1).collect(),
            tallies.keys().map(|k| k.2).collect(),
            tallies.values().copied().collect(),
        );
        tx.execute(
            &tx.prepare_cached(
                "INSERT INTO tallies (poll_id, question_id, bucket, count)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[])
             ON CONFLICT (poll_id, question_id, bucket)
             DO UPDATE SET count = tallies.count + EXCLUDED.count",
            )
            .await?,
            &[&tp, &tq, &tb, &tn],
        )
        .await?;
    }
    for (poll, n) in &counts {
        tx.execute(
            &tx.prepare_cached(
                "UPDATE polls SET response_count = response_count + $2 WHERE id = $1",
            )
            .await?,
            &[poll, n],
        )
        .await?;
        tx.execute(
            &tx.prepare_cached(listener::NOTIFY_CURRENT).await?,
            &[&listener::CHANNEL, poll],
        )
        .await?;
    }
    let commit = Instant::now();
    tx.commit().await?;
    stats.record(jobs.len(), commit.elapsed());
    Ok(outcomes)
}
