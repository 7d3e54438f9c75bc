//! Participation codes: their hashes and whether each was used. Using one happens inside an
//! answer's own transaction (`AnswerStore::submit`), so that a code counts once exactly when
//! its answer is stored; nothing here or there links the two.

use super::StoreError;
use async_trait::async_trait;
use concerto_core::api::CodeCounts;
use concerto_core::{OrgId, PollId};

/// The participation codes of consultations.
#[async_trait]
pub trait CodeStore: Send + Sync + 'static {
    /// Adds codes, by their hashes, to `org`'s consultation; a hash it already has is skipped.
    /// Returns the hashes added and the consultation's counts after.
    async fn add_codes(
        &self,
        org: &OrgId,
        poll: &PollId,
        hashes: Vec<String>,
    ) -> Result<(Vec<String>, CodeCounts), StoreError>;
    /// How many codes a consultation has and how many were used.
    async fn code_counts(&self, poll: &PollId) -> Result<CodeCounts, StoreError>;
}
