//! Consultations as their organisers see them.

use crate::{OrgId, PollId, PollSpec, PollState};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A consultation as its organiser sees it, with the links to share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgPoll {
    /// Its id.
    pub id: PollId,
    /// The organisation that owns it.
    pub org: OrgId,
    /// What its organiser wrote.
    pub spec: PollSpec,
    /// Draft, open or closed.
    pub state: PollState,
    /// Answers stored so far.
    pub responses: u64,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The standalone page (for links and QR codes).
    pub standalone_url: String,
    /// The HTML to paste on a partner's site.
    pub embed_snippet: String,
}
