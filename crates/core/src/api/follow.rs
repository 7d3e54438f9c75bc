//! What organisers follow while a consultation runs: answers over time, written answers and
//! cross-tabs.

use crate::{QuestionId, QuestionResult};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The length of the periods answers are counted by over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Hours (UTC).
    Hour,
    /// Days of the server's time zone, from local midnight to local midnight.
    Day,
}

/// Answers received in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// When the period starts, with the offset of the zone it is counted in.
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    /// Answers received in it.
    pub count: u64,
}

/// `GET /api/v1/org/polls/{id}/timeline`: answers over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    /// The length of the periods.
    pub interval: Interval,
    /// The periods that have answers, oldest first.
    pub periods: Vec<Period>,
}

/// One text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextAnswer {
    /// Its place among the consultation's answers, also the paging cursor.
    pub seq: i64,
    /// When it was received.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// What the resident wrote.
    pub text: String,
}

/// `GET /api/v1/org/polls/{id}/texts`: a page of text answers, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextPage {
    /// The answers.
    pub items: Vec<TextAnswer>,
    /// The `after` of the next page, if there is one.
    pub next: Option<i64>,
}

/// One group of a cross-tab: the respondents who gave one answer to the `by` question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// `option:<id>`, `other`, or `unanswered`; by partner, `partner:<org id>` or `own`.
    pub group: String,
    /// The organisation's name, for a group by partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Respondents in the group.
    pub respondents: u64,
    /// Their answers to the question.
    pub result: QuestionResult,
}

/// `GET /api/v1/org/polls/{id}/crosstab`: a question's results split by the answers to a
/// single choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossTab {
    /// The question counted.
    pub question: QuestionId,
    /// The single choice question that splits the respondents; `None` when they are split
    /// by the partner they came through (`by_partner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<QuestionId>,
    /// Whether the respondents are split by partner: groups `partner:<org id>` and `own`
    /// (the owner's own sites, links and QR codes), each with the organisation's name.
    #[serde(default)]
    pub by_partner: bool,
    /// One group per answer to `by`.
    pub groups: Vec<Group>,
}
