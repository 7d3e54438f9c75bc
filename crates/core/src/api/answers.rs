//! Residents' answers as organisers handle them, and the record of their deletions.

use crate::{Answers, PollId, SubmissionId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The acknowledgement of a stored answer; a replay returns the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// The client's submission id.
    pub submission_id: SubmissionId,
    /// When the server stored it.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// One stored answer, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredResponse {
    /// The client's submission id, which a retry of the same answer reuses.
    pub submission_id: SubmissionId,
    /// When it was stored.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// The checked answers.
    pub answers: Answers,
    /// The partner organisation it came through, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<crate::OrgId>,
    /// The door it came through.
    #[serde(default)]
    pub via: crate::Via,
}

/// `GET /api/v1/org/polls/{id}/responses`: a page of the answers list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponsePage {
    /// The answers.
    pub responses: Vec<StoredResponse>,
    /// The cursor of the next page, if there is one.
    pub next: Option<i64>,
    /// How many answers match the query, on every page.
    pub total: u64,
}

/// What a deletion of answers did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    /// Answers deleted.
    pub deleted: u64,
    /// Answers the consultation has left.
    pub responses: u64,
}

/// What deleting a consultation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollDeleted {
    /// Answers deleted with it.
    pub deleted_answers: u64,
}

/// Who did something in an organisation, as its activity log names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// The organiser's name, or `null` for a script with the organisation's API token.
    pub name: Option<String>,
    /// The organiser's email (their login), or `null` for a token.
    pub email: Option<String>,
}

/// What an entry of the activity log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// One answer deleted.
    AnswerDeleted,
    /// Every answer of a consultation deleted.
    AnswersDeleted,
    /// A consultation deleted, with its answers.
    ConsultationDeleted,
}

impl ActivityKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [
        Self::AnswerDeleted,
        Self::AnswersDeleted,
        Self::ConsultationDeleted,
    ];

    /// Its name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AnswerDeleted => "answer_deleted",
            Self::AnswersDeleted => "answers_deleted",
            Self::ConsultationDeleted => "consultation_deleted",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of an organisation's activity log (`GET /api/v1/org/activity`): who, when, what
/// kind, on which consultation, how many answers. Never what the answers said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: Actor,
    /// What.
    pub kind: ActivityKind,
    /// The consultation's id.
    pub poll_id: PollId,
    /// Its title then (a deleted consultation has no other trace).
    pub poll_title: String,
    /// How many answers it concerned.
    pub answers: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_kinds_read_back_from_their_names() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(ActivityKind::parse("nope"), None);
    }
}
