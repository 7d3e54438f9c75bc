//! Residents' answers: storing them once, their tallies, reading and deleting them.

use super::{StoreError, StoredPoll};
use async_trait::async_trait;
use concerto_core::api::{
    Activity, Actor, Interval, Period, Receipt, ResponsePage, StoredResponse, TextAnswer,
};
use concerto_core::{Answers, OrgId, PollId, QuestionId, Results, SubmissionId};
use futures_util::stream::BoxStream;
use time::OffsetDateTime;

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now.
    Stored(Receipt),
    /// Stored before with the same answers; nothing new was stored.
    Replayed(Receipt),
}

/// A consultation's answer count after a committed answer, for live dashboards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollCount {
    /// The consultation.
    pub poll: PollId,
    /// Its answers, this one included.
    pub responses: u64,
}

/// Which text answers to read.
#[derive(Debug, Clone)]
pub struct TextQuery {
    /// The question.
    pub question: QuestionId,
    /// `text` for text questions, `other` for a single choice's "other" answers.
    pub field: &'static str,
    /// Only texts containing this, ignoring case.
    pub search: Option<String>,
    /// Only answers after this cursor.
    pub after: i64,
    /// At most this many.
    pub limit: usize,
}

/// Which answers a page of the answers list holds.
#[derive(Debug, Clone)]
pub struct ResponseQuery {
    /// Only answers before this cursor (the `next` of the previous page).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: u32,
    /// Only answers that chose this: a question and an option id, or `None` for its "other".
    pub chose: Option<(QuestionId, Option<concerto_core::OptionId>)>,
    /// Only answers received at or after this moment.
    pub from: Option<OffsetDateTime>,
    /// Only answers received before this moment.
    pub until: Option<OffsetDateTime>,
}

/// A stream of stored answers, oldest first, read lazily.
pub type ResponseStream = BoxStream<'static, Result<StoredResponse, StoreError>>;

/// Answers as stored, with the tallies kept beside them. Methods taking an `OrgId` only ever
/// see that organisation's consultations.
#[async_trait]
pub trait AnswerStore: Send + Sync + 'static {
    /// Stores an answer and updates the tallies in one transaction, acknowledged only once
    /// committed. `fingerprint` identifies the answers, to recognise a replay. With
    /// `checked_against` (the `updated_at` of the consultation the answers were checked
    /// against), `Stale` unless the consultation is still open and unchanged since, so that
    /// no answer slips past an edit or a close (tools and tests pass `None`). With
    /// `code_hash`, the answer is stored only if that participation code of the consultation
    /// is unused, and uses it (`CodeUnknown`, `CodeUsed` otherwise); a replay uses nothing.
    /// `by` (the partner and the door) is stored with the answer.
    #[allow(clippy::too_many_arguments)]
    async fn submit(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        answers: &Answers,
        fingerprint: &str,
        checked_against: Option<OffsetDateTime>,
        code_hash: Option<&str>,
        by: super::Attribution<'_>,
    ) -> Result<SubmitOutcome, StoreError>;
    /// The receipt of an earlier submission with this fingerprint, if there is one.
    async fn receipt(
        &self,
        poll: &PollId,
        submission: &SubmissionId,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, StoreError>;
    /// A page of the answers of `org`'s consultation, newest first.
    async fn response_page(
        &self,
        org: &OrgId,
        poll: &PollId,
        query: ResponseQuery,
    ) -> Result<ResponsePage, StoreError>;
    /// One answer of `org`'s consultation.
    async fn response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
    ) -> Result<StoredResponse, StoreError>;
    /// Deletes one answer of `org`'s consultation with its part of the tallies, and records
    /// it in the activity log, in one transaction; returns the answers left. A later replay of
    /// the same submission is acknowledged and not stored again.
    async fn delete_response(
        &self,
        org: &OrgId,
        poll: &PollId,
        submission: &SubmissionId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// Deletes every answer of `org`'s consultation (tallies too), recorded in the activity
    /// log, in one transaction; returns how many there were.
    async fn delete_responses(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// `org`'s activity log, newest first, at most `limit` entries.
    async fn activity(&self, org: &OrgId, limit: u32) -> Result<Vec<Activity>, StoreError>;
    /// The tallies of a consultation.
    async fn results(&self, poll: &StoredPoll) -> Result<Results, StoreError>;
    /// Every stored answer of a consultation, streamed.
    fn responses(&self, poll: &PollId) -> ResponseStream;
    /// A consultation's answers counted by period, oldest first; empty periods are left out.
    async fn timeline(&self, poll: &PollId, interval: Interval) -> Result<Vec<Period>, StoreError>;
    /// A page of a question's text answers, oldest first, and the cursor of the next page.
    async fn texts(
        &self,
        poll: &PollId,
        query: TextQuery,
    ) -> Result<(Vec<TextAnswer>, Option<i64>), StoreError>;
    /// The counts of consultations as their answers are committed (never before): every
    /// consultation's, so subscribers keep the ones they want. A subscriber that falls behind
    /// misses counts, never gets a wrong one.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PollCount>;
}
