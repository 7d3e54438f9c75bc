//! Consultations: their definitions and states.

use super::StoreError;
use async_trait::async_trait;
use concerto_core::api::Actor;
use concerto_core::{OrgId, PollId, PollSpec, PollState};
use time::OffsetDateTime;

/// A consultation as stored, with its owner and state.
#[derive(Debug, Clone)]
pub struct StoredPoll {
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
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    pub updated_at: OffsetDateTime,
    /// Its partners, ended ones included (their keys still count answers).
    pub partners: Vec<super::StoredPartner>,
}

impl StoredPoll {
    /// The sites of its active partners (ended and invited partners' sites embed nothing).
    fn partner_origins(&self) -> impl Iterator<Item = &concerto_core::Origin> {
        self.partners
            .iter()
            .filter(|p| p.state == concerto_core::PartnerState::Active)
            .flat_map(|p| &p.origins)
    }

    /// Whether pages of `origin` may embed it: the owner's sites and its active partners'.
    pub fn embeds_from(&self, origin: &str) -> bool {
        self.spec
            .allowed_origins
            .iter()
            .chain(self.partner_origins())
            .any(|o| o.as_str() == origin)
    }

    /// Every origin whose pages may embed it (see `embeds_from`), the owner's first, each once.
    pub fn embedding_origins(&self) -> Vec<concerto_core::Origin> {
        let mut all: Vec<concerto_core::Origin> = Vec::new();
        for o in self
            .spec
            .allowed_origins
            .iter()
            .chain(self.partner_origins())
        {
            if !all.contains(o) {
                all.push(o.clone());
            }
        }
        all
    }

    /// The partner whose key this is, ended or not.
    pub fn partner_by_key(&self, key: &concerto_core::PartnerKey) -> Option<&super::StoredPartner> {
        self.partners.iter().find(|p| &p.key == key)
    }
}

/// What a server keeping consultations in memory must forget, as the store hears of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollChange {
    /// This consultation was edited, opened, closed or deleted.
    Changed(PollId),
    /// Changes may have gone unheard (the store lost its way of hearing them for a while):
    /// forget every consultation.
    All,
}

/// A receiver that never gets a change, and says so at once: its sender is already gone.
pub(super) fn no_changes() -> tokio::sync::broadcast::Receiver<PollChange> {
    tokio::sync::broadcast::channel(1).1
}

/// Consultations as stored. Methods taking an `OrgId` only ever see that organisation's
/// rows: another organisation's consultation is `NotFound`.
#[async_trait]
pub trait PollStore: Send + Sync + 'static {
    /// Creates a consultation as a draft.
    async fn create_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError>;
    /// Replaces a consultation's definition.
    async fn update_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError>;
    /// Replaces a consultation's definition only if it still has `responses` answers:
    /// `None` when answers came in meanwhile (the caller checks again), so that an edit
    /// checked against the answers is never applied over answers it did not see.
    async fn update_poll_at(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
        responses: u64,
    ) -> Result<Option<StoredPoll>, StoreError>;
    /// Moves a consultation to another state.
    async fn set_state(
        &self,
        org: &OrgId,
        id: &PollId,
        state: PollState,
    ) -> Result<StoredPoll, StoreError>;
    /// One of the organisation's consultations.
    async fn org_poll(&self, org: &OrgId, id: &PollId) -> Result<StoredPoll, StoreError>;
    /// All of the organisation's consultations, newest first.
    async fn list_polls(&self, org: &OrgId) -> Result<Vec<StoredPoll>, StoreError>;
    /// Any consultation, for the public API (which hides drafts itself).
    async fn poll(&self, id: &PollId) -> Result<Option<StoredPoll>, StoreError>;
    /// Deletes `org`'s consultation with all its answers, recorded in the activity log, in
    /// one transaction; returns how many answers it had.
    async fn delete_poll(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError>;
    /// Changes committed to consultations, by any server sharing the storage (this one
    /// included), as soon as the store hears of them: what lets a server's memory of them be
    /// dropped well before it would expire. A backend that hears of no writer but its own
    /// (SQLite, whose server forgets what it changes itself) returns a receiver that is
    /// closed at once; so does any backend once the store is gone.
    fn poll_changes(&self) -> tokio::sync::broadcast::Receiver<PollChange>;
}
