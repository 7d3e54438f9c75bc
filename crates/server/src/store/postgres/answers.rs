//! Residents' answers in PostgreSQL: stored once whichever server a retry reaches, their
//! tallies in the same transaction, and their counts notified to every server on commit.

use super::batch::Job;
use super::{
    EXPORT_BUFFER, Lock, PgStore, big, corrupt, count, exec, jsonb, listener, load_org_poll,
    notify, now, one, opt, or_not_found, rows,
};
use crate::store::{
    Activity, ActivityKind, Actor, AnswerStore, Interval, Period, PollCount, Receipt, ResponsePage,
    ResponseQuery, ResponseStream, StoreError, StoredPoll, StoredResponse, SubmitOutcome,
    TextAnswer, TextQuery,
};
use async_trait::async_trait;
use concerto_core::{Answers, Bucket, OrgId, PollId, QuestionId, Results, SubmissionId, Via};
use deadpool_postgres::{GenericClient, Pool};
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio_postgres::IsolationLevel;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

/// A read-only transaction that sees one snapshot, so that several reads agree.
async fn snapshot(
    c: &mut deadpool_postgres::Client,
) -> Result<deadpool_postgres::Transaction<'_>, StoreError> {
    Ok(c.build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}

/// Rows fetched at a time when texts are searched here rather than in SQL.
const TEXT_BATCH: i32 = 200;

fn answers_from(value: serde_json::Value) -> Result<Answers, StoreError> {
    serde_json::from_value(value).map_err(corrupt("answers"))
}

fn submission_from(s: &str) -> Result<SubmissionId, StoreError> {
    SubmissionId::parse(s).map_err(corrupt("submission id"))
}

/// When an erased submission was received.
const ERASED: &str =
    "SELECT received_at FROM erased_submissions WHERE poll_id = $1 AND submission_id = $2";

/// The receipt of a submission whose answer was deleted: a replay of it (from a device's
/// outbox) is acknowledged with it and not stored again.
async fn erased_receipt(
    c: &impl GenericClient,
    poll: &PollId,
    submission: &SubmissionId,
) -> Result<Option<Receipt>, StoreError> {
    let row = opt(c, ERASED, &[&poll.as_str(), &submission.as_str()]).await?;
    row.map(|r| {
        Ok(Receipt {
            submission_id: submission.clone(),
            received_at: r.try_get(0)?,
        })
    })
    .transpose()
}

/// The fingerprint and receipt of a stored submission.
async fn receipt_of(
    c: &impl GenericClient,
    poll: &PollId,
    submission: &SubmissionId,
) -> Result<Option<(String, Receipt)>, StoreError> {
    let row = opt(
        c,
        "SELECT fingerprint, received_at FROM responses WHERE poll_id = $1 AND submission_id = $2",
        &[&poll.as_str(), &submission.as_str()],
    )
    .await?;
    row.map(|r| {
        Ok((
            r.try_get(0)?,
            Receipt {
                submission_id: submission.clone(),
                received_at: r.try_get(1)?,
            },
        ))
    })
    .transpose()
}

/// Records one entry of `poll`'s organisation's activity log.
pub(super) async fn record(
    c: &impl GenericClient,
    poll: &StoredPoll,
    actor: &Actor,
    kind: ActivityKind,
    answers: u64,
) -> Result<(), StoreError> {
    exec(
        c,
        "INSERT INTO activity
             (org_id, at, actor_name, actor_email, kind, poll_id, poll_title, answers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &poll.org.as_str(),
            &now(),
            &actor.name,
            &actor.email,
            &kind.as_str(),
            &poll.id.as_str(),
            &poll.spec.title.to_string(),
            &big(answers),
        ],
    )
    .await
    .map(drop)
}

/// The columns `stored_response` reads, in its order.
const RESPONSE_COLUMNS: &str = "submission_id, received_at, answers, partner, via";

/// One answer from its [`RESPONSE_COLUMNS`], the first at `submission`.
fn stored_response(row: &Row, submission: usize) -> Result<StoredResponse, StoreError> {
    let via: String = row.try_get(submission + 4)?;
    Ok(StoredResponse {
        submission_id: submission_from(row.try_get(submission)?)?,
        received_at: row.try_get(submission + 1)?,
        answers: answers_from(row.try_get(submission + 2)?)?,
        partner: row
            .try_get::<_, Option<String>>(submission + 3)?
            .map(OrgId::parse)
            .transpose()
            .map_err(corrupt("partner"))?,
        via: Via::parse(&via).ok_or_else(|| corrupt("door")(&via))?,
    })
}

/// What `submit_one` stores: an answer, as `AnswerStore::submit` takes it.
pub(super) struct OneAnswer<'a> {
    pub poll: &'a PollId,
    pub submission: &'a SubmissionId,
    pub answers: &'a serde_json::Value,
    pub buckets: &'a [(String, String)],
    pub fingerprint: &'a str,
    pub checked_against: Option<OffsetDateTime>,
    pub code_hash: Option<&'a str>,
    /// The partner organisation it came through, if any.
    pub partner: Option<&'a str>,
    /// The door it came through.
    pub via: Via,
}

/// One answer in a transaction of its own: what a batch falls back to when it fails, so that
/// the faulty answer fails alone.
pub(super) async fn submit_one(
    pool: &Pool,
    one: OneAnswer<'_>,
) -> Result<SubmitOutcome, StoreError> {
    let OneAnswer {
        poll,
        submission,
        answers,
        buckets,
        fingerprint,
        checked_against,
        code_hash,
        partner,
        via,
    } = one;
    let mut c = pool.get().await?;
    let tx = c.transaction().await?;
    // The consultation's row first, as batches lock it: the same order everywhere, so that
    // this path and a batch on another server never wait for each other in a circle.
    let Some(row) = opt(
        &tx,
        "SELECT state, updated_at FROM polls WHERE id = $1 FOR NO KEY UPDATE",
        &[&poll.as_str()],
    )
    .await?
    else {
        return Err(StoreError::NotFound);
    };
    if let Some(checked) = checked_against {
        let (state, updated): (String, OffsetDateTime) = (row.try_get(0)?, row.try_get(1)?);
        if state != "open" || updated != checked {
            return Err(StoreError::Stale);
        }
    }
    let received_at = now();
    // Another transaction inserting the same submission (a retry that reached another
    // server) makes this one wait for it, then do nothing: only one is ever stored.
    let insert = tx
        .prepare_cached(
            "INSERT INTO responses
                 (poll_id, submission_id, fingerprint, answers, received_at, partner, via)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (poll_id, submission_id) DO NOTHING RETURNING seq",
        )
        .await?;
    let inserted = tx
        .query_opt(
            &insert,
            &[
                &poll.as_str(),
                &submission.as_str(),
                &fingerprint,
                answers,
                &received_at,
                &partner,
                &via.as_str(),
            ],
        )
        .await
        // The consultation is gone.
        .map_err(|e| or_not_found(e, SqlState::FOREIGN_KEY_VIOLATION))?;
    if inserted.is_none() {
        // Each statement reads what is committed when it starts, so the answer that won
        // is visible here. Dropping the transaction rolls it back.
        return match receipt_of(&tx, poll, submission).await? {
            Some((stored, receipt)) if stored == fingerprint => {
                Ok(SubmitOutcome::Replayed(receipt))
            }
            Some(_) => Err(StoreError::SubmissionConflict),
            // Deleted since the conflict was seen.
            None => erased_receipt(&tx, poll, submission)
                .await?
                .map(SubmitOutcome::Replayed)
                .ok_or(StoreError::SubmissionConflict),
        };
    }
    // The code after the answer's row (a replay, above, uses none); failing here drops the
    // transaction, the row with it.
    if let Some(hash) = code_hash {
        super::codes::use_code(&tx, poll, hash).await?;
    }
    let count_it = tx
        .prepare_cached("UPDATE polls SET response_count = response_count + 1 WHERE id = $1")
        .await?;
    let erased = tx.prepare_cached(ERASED).await?;
    let tally = tx
        .prepare_cached(
            "INSERT INTO tallies (poll_id, question_id, bucket, count) VALUES ($1, $2, $3, 1)
             ON CONFLICT (poll_id, question_id, bucket)
             DO UPDATE SET count = tallies.count + 1",
        )
        .await?;
    let notify = tx.prepare_cached(listener::NOTIFY_CURRENT).await?;
    // Sent together in one round trip: tokio-postgres sends requests in the order their
    // futures are first polled, which `try_join4` does in order, and the database runs
    // them in that order. The first locks the consultation's row, so that answers and
    // deletions of its answers take turns from there (the tallies and the count move
    // together, the count notified is this answer's); the erased check, once the lock is
    // held, sees a deletion of this same submission that committed meanwhile.
    let (id, sid) = (poll.as_str(), submission.as_str());
    let by_poll: [&(dyn ToSql + Sync); 1] = [&id];
    let by_submission: [&(dyn ToSql + Sync); 2] = [&id, &sid];
    let notified: [&(dyn ToSql + Sync); 2] = [&listener::CHANNEL, &id];
    let (counted, erased, _, _) = futures_util::future::try_join4(
        tx.execute(&count_it, &by_poll),
        tx.query_opt(&erased, &by_submission),
        futures_util::future::try_join_all(buckets.iter().map(|(q, key)| {
            let (tx, tally) = (&tx, &tally);
            async move { tx.execute(tally, &[&id, &q.as_str(), key]).await }
        })),
        tx.execute(&notify, &notified),
    )
    .await?;
    if counted == 0 {
        return Err(StoreError::NotFound);
    }
    if let Some(row) = erased {
        // Dropping the transaction rolls all of it back.
        return Ok(SubmitOutcome::Replayed(Receipt {
            submission_id: submission.clone(),
            received_at: row.try_get(0)?,
        }));
    }
    tx.commit().await?;
    Ok(SubmitOutcome::Stored(Receipt {
        submission_id: submission.clone(),
        received_at,
    }))
}

#[async_trait]
impl AnswerStore for PgStore {
    async fn submit(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        answers: &Answers,
        fingerprint: &str,
        checked_against: Option<OffsetDateTime>,
        code_hash: Option<&str>,
        by: crate::store::Attribution<'_>,
    ) -> Result<SubmitOutcome, StoreError> {
        let buckets: Vec<(String, String)> = answers
            .buckets()
            .into_iter()
            .map(|(q, b)| (q.as_str().to_owned(), b.key()))
            .collect();
        if code_hash.is_some() {
            // An answer with a code goes alone: one voice per household is not the rate of a
            // radio announcement, and the code's check stays in one plain transaction.
            let answers = jsonb(answers)?;
            let one = OneAnswer {
                poll,
                submission,
                answers: &answers,
                buckets: &buckets,
                fingerprint,
                checked_against,
                code_hash,
                partner: by.partner.map(OrgId::as_str),
                via: by.via,
            };
            return submit_one(&self.pool, one).await;
        }
        let (reply, outcome) = tokio::sync::oneshot::channel();
        self.batcher
            .submit(Job {
                poll: poll.clone(),
                submission: submission.clone(),
                fingerprint: fingerprint.to_owned(),
                answers: jsonb(answers)?,
                buckets,
                checked_against,
                partner: by.partner.cloned(),
                via: by.via,
                reply,
            })
            .await?;
        outcome.await.map_err(|_| StoreError::Unavailable)?
    }

    async fn receipt(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, StoreError> {
        let c = self.client().await?;
        match receipt_of(&c, poll, submission).await? {
            Some((stored, r)) => Ok((stored == fingerprint).then_some(r)),
            None => erased_receipt(&c, poll, submission).await,
        }
    }

    async fn response_page(
        &self,
        org: &OrgId,
        poll: &PollId,
        query: ResponseQuery,
    ) -> Result<ResponsePage, StoreError> {
        // Ids are only ever parameters, never spliced into the SQL or a JSON path.
        const MATCHING: &str = "poll_id = $1
             AND ($2::timestamptz IS NULL OR received_at >= $2)
             AND ($3::timestamptz IS NULL OR received_at < $3)
             AND ($4::text IS NULL
                  OR ($5::text IS NULL AND ((answers -> $4) ->> 'other') IS NOT NULL)
                  OR ((answers -> $4) ->> 'option') = $5
                  OR ((answers -> $4) -> 'options') @> jsonb_build_array($5::text))";
        let mut c = self.client().await?;
        // One snapshot for the total and the page.
        let tx = snapshot(&mut c).await?;
        load_org_poll(&tx, org, poll, Lock::None).await?;
        let question = query.chose.as_ref().map(|(q, _)| q.to_string());
        let option = query
            .chose
            .as_ref()
            .and_then(|(_, o)| o.as_ref().map(ToString::to_string));
        let total: i64 = one(
            &tx,
            &format!("SELECT count(*) FROM responses WHERE {MATCHING}"),
            &[
                &poll.as_str(),
                &query.from,
                &query.until,
                &question,
                &option,
            ],
        )
        .await?
        .try_get(0)?;
        let page = rows(
            &tx,
            &format!(
                "SELECT seq, {RESPONSE_COLUMNS} FROM responses
                 WHERE {MATCHING} AND ($6::bigint IS NULL OR seq < $6)
                 ORDER BY seq DESC LIMIT $7"
            ),
            &[
                &poll.as_str(),
                &query.from,
                &query.until,
                &question,
                &option,
                &query.before,
                &i64::from(query.limit),
            ],
        )
        .await?;
        tx.commit().await?;
        let mut responses = Vec::with_capacity(page.len());
        let mut last = None;
        for row in &page {
            last = Some(row.try_get::<_, i64>(0)?);
            responses.push(stored_response(row, 1)?);
        }
        let full = responses.len() == usize::try_from(query.limit).unwrap_or(usize::MAX);
        Ok(ResponsePage {
            responses,
            next: last.filter(|_| full),
            total: count(total),
        })
    }

    async fn response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
    ) -> Result<StoredResponse, StoreError> {
        let c = self.client().await?;
        load_org_poll(&c, org, poll, Lock::None).await?;
        let row = one(
            &c,
            &format!(
                "SELECT {RESPONSE_COLUMNS} FROM responses
                 WHERE poll_id = $1 AND submission_id = $2"
            ),
            &[&poll.as_str(), &submission.as_str()],
        )
        .await?;
        stored_response(&row, 0)
    }

    async fn delete_response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let stored = load_org_poll(&tx, org, poll, Lock::Answers).await?;
        let gone = one(
            &tx,
            "DELETE FROM responses WHERE poll_id = $1 AND submission_id = $2
             RETURNING answers, received_at",
            &[&poll.as_str(), &submission.as_str()],
        )
        .await?;
        let answers = answers_from(gone.try_get(0)?)?;
        let received_at: OffsetDateTime = gone.try_get(1)?;
        let untally = tx
            .prepare_cached(
                "UPDATE tallies SET count = count - 1
                 WHERE poll_id = $1 AND question_id = $2 AND bucket = $3",
            )
            .await?;
        for (q, bucket) in answers.buckets() {
            tx.execute(&untally, &[&poll.as_str(), &q.as_str(), &bucket.key()])
                .await?;
        }
        exec(
            &tx,
            "DELETE FROM tallies WHERE poll_id = $1 AND count <= 0",
            &[&poll.as_str()],
        )
        .await?;
        exec(
            &tx,
            "INSERT INTO erased_submissions (poll_id, submission_id, received_at)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&poll.as_str(), &submission.as_str(), &received_at],
        )
        .await?;
        let left: i64 = one(
            &tx,
            "UPDATE polls SET response_count = greatest(response_count - 1, 0) WHERE id = $1
             RETURNING response_count",
            &[&poll.as_str()],
        )
        .await?
        .try_get(0)?;
        record(&tx, &stored, actor, ActivityKind::AnswerDeleted, 1).await?;
        let left = count(left);
        notify(
            &tx,
            &PollCount {
                poll: poll.clone(),
                responses: left,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(left)
    }

    async fn delete_responses(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let stored = load_org_poll(&tx, org, poll, Lock::Answers).await?;
        let deleted: i64 = one(
            &tx,
            "WITH gone AS (
                 DELETE FROM responses WHERE poll_id = $1
                 RETURNING poll_id, submission_id, received_at
             ), erased AS (
                 INSERT INTO erased_submissions (poll_id, submission_id, received_at)
                 SELECT poll_id, submission_id, received_at FROM gone
                 ON CONFLICT DO NOTHING
             )
             SELECT count(*) FROM gone",
            &[&poll.as_str()],
        )
        .await?
        .try_get(0)?;
        let deleted = count(deleted);
        exec(
            &tx,
            "DELETE FROM tallies WHERE poll_id = $1",
            &[&poll.as_str()],
        )
        .await?;
        exec(
            &tx,
            "UPDATE polls SET response_count = 0 WHERE id = $1",
            &[&poll.as_str()],
        )
        .await?;
        record(&tx, &stored, actor, ActivityKind::AnswersDeleted, deleted).await?;
        notify(
            &tx,
            &PollCount {
                poll: poll.clone(),
                responses: 0,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn activity(&self, org: &OrgId, limit: u32) -> Result<Vec<Activity>, StoreError> {
        let c = self.client().await?;
        rows(
            &c,
            "SELECT at, actor_name, actor_email, kind, poll_id, poll_title, answers
             FROM activity WHERE org_id = $1 ORDER BY seq DESC LIMIT $2",
            &[&org.as_str(), &i64::from(limit)],
        )
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get(3)?;
            Ok(Activity {
                at: r.try_get(0)?,
                actor: Actor {
                    name: r.try_get(1)?,
                    email: r.try_get(2)?,
                },
                kind: ActivityKind::parse(&kind).ok_or_else(|| corrupt("activity")(kind))?,
                poll_id: PollId::parse(r.try_get::<_, String>(4)?).map_err(corrupt("poll id"))?,
                poll_title: r.try_get(5)?,
                answers: count(r.try_get(6)?),
            })
        })
        .collect()
    }

    async fn results(&self, poll: &StoredPoll) -> Result<Results, StoreError> {
        let mut c = self.client().await?;
        // One snapshot, so that the total and the tallies agree.
        let tx = snapshot(&mut c).await?;
        let mut results = Results::empty(&poll.spec.questions);
        let total: i64 = one(
            &tx,
            "SELECT response_count FROM polls WHERE id = $1",
            &[&poll.id.as_str()],
        )
        .await?
        .try_get(0)?;
        results.total = count(total);
        let tallies = rows(
            &tx,
            "SELECT question_id, bucket, count FROM tallies WHERE poll_id = $1",
            &[&poll.id.as_str()],
        )
        .await?;
        tx.commit().await?;
        for row in &tallies {
            let q: String = row.try_get(0)?;
            let key: String = row.try_get(1)?;
            if let (Ok(q), Some(b)) = (QuestionId::parse(q), Bucket::from_key(&key)) {
                results.count(&q, &b, count(row.try_get(2)?));
            }
        }
        Ok(results)
    }

    fn responses(&self, poll: &PollId) -> ResponseStream {
        let (tx, rx) = tokio::sync::mpsc::channel(EXPORT_BUFFER);
        let (pool, poll) = (self.pool.clone(), poll.clone());
        // One statement reads one snapshot however long the client takes; the rows come
        // from the database only as fast as the client reads them.
        tokio::spawn(async move {
            let run = async {
                let c = pool.get().await?;
                let stmt = c
                    .prepare_cached(&format!(
                        "SELECT {RESPONSE_COLUMNS} FROM responses WHERE poll_id = $1 ORDER BY seq"
                    ))
                    .await?;
                let rows = c.query_raw(&stmt, [poll.as_str()]).await?;
                futures_util::pin_mut!(rows);
                while let Some(row) = rows.next().await {
                    let item = row
                        .map_err(StoreError::from)
                        .and_then(|r| stored_response(&r, 0));
                    if tx.send(item).await.is_err() {
                        // The client went away.
                        return Ok(());
                    }
                }
                Ok::<(), StoreError>(())
            };
            if let Err(e) = run.await {
                let _ = tx.send(Err(e)).await;
            }
        });
        Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
    }

    async fn timeline(&self, poll: &PollId, interval: Interval) -> Result<Vec<Period>, StoreError> {
        let unit = match interval {
            Interval::Hour => "hour",
            Interval::Day => "day",
        };
        let c = self.client().await?;
        // Periods in UTC, as the SQLite store counts them.
        rows(
            &c,
            "SELECT date_trunc($2, received_at, 'UTC') AS period, count(*) FROM responses
             WHERE poll_id = $1 GROUP BY period ORDER BY period",
            &[&poll.as_str(), &unit],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Period {
                start: r.try_get(0)?,
                count: count(r.try_get(1)?),
            })
        })
        .collect()
    }

    async fn texts(
        &self,
        poll: &PollId,
        query: TextQuery,
    ) -> Result<(Vec<TextAnswer>, Option<i64>), StoreError> {
        let needle = query.search.as_ref().map(|s| s.to_lowercase());
        let mut c = self.client().await?;
        let tx = snapshot(&mut c).await?;
        let stmt = tx
            .prepare_cached(
                "SELECT seq, received_at, (answers -> $2) ->> $3 AS t FROM responses
                 WHERE poll_id = $1 AND seq > $4 AND ((answers -> $2) ->> $3) IS NOT NULL
                 ORDER BY seq",
            )
            .await?;
        // Read through a cursor, a batch at a time: searched here rather than in SQL
        // (lower() folds by the database's locale, which may fold only ASCII, and French
        // needs `É` to find `é`), and only as far as one page needs.
        let portal = tx
            .bind(
                &stmt,
                &[
                    &poll.as_str(),
                    &query.question.as_str(),
                    &query.field,
                    &query.after,
                ],
            )
            .await?;
        let batch = if needle.is_some() {
            TEXT_BATCH
        } else {
            i32::try_from(query.limit.saturating_add(1)).unwrap_or(i32::MAX)
        };
        let mut items: Vec<TextAnswer> = Vec::new();
        loop {
            let rows = tx.query_portal(&portal, batch).await?;
            if rows.is_empty() {
                return Ok((items, None));
            }
            for row in &rows {
                let text: String = row.try_get(2)?;
                if needle
                    .as_ref()
                    .is_some_and(|n| !text.to_lowercase().contains(n.as_str()))
                {
                    continue;
                }
                if items.len() == query.limit {
                    let next = items.last().map(|t| t.seq);
                    return Ok((items, next));
                }
                items.push(TextAnswer {
                    seq: row.try_get(0)?,
                    received_at: row.try_get(1)?,
                    text,
                });
            }
        }
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PollCount> {
        self.events.subscribe()
    }
}
