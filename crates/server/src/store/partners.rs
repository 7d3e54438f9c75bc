//! Partners: the organisations co-hosting a consultation with its owner, and how many answers
//! each brought. An answer's partner is written in the answer's own row when it is stored
//! (`AnswerStore::submit`'s `Attribution`); this is everything else.

use super::StoreError;
use async_trait::async_trait;
use concerto_core::api::OrgEntry;
use concerto_core::{OrgId, Origin, PartnerKey, PartnerState, PollId};
use time::OffsetDateTime;

/// One partner of a consultation, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPartner {
    /// The consultation.
    pub poll: PollId,
    /// The partner organisation.
    pub org: OrgId,
    /// Its name.
    pub name: String,
    /// Its key for this consultation; it never changes, so that printed flyers keep counting.
    pub key: PartnerKey,
    /// Invited, active or ended.
    pub state: PartnerState,
    /// Its sites that embed the consultation.
    pub origins: Vec<Origin>,
    /// When it was (last) invited.
    pub invited_at: OffsetDateTime,
    /// When it accepted, if it did.
    pub accepted_at: Option<OffsetDateTime>,
}

/// The answers of a partner (`None`: the owner's own) in `counts`, as
/// [`PartnerStore::partner_counts`] gives them.
pub fn answers_of(counts: &[(Option<OrgId>, u64)], who: Option<&OrgId>) -> u64 {
    counts
        .iter()
        .find(|(p, _)| p.as_ref() == who)
        .map_or(0, |(_, n)| *n)
}

/// Who brought an answer: the partner whose key it carried, and the door it came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attribution<'a> {
    /// The partner organisation, if any.
    pub partner: Option<&'a OrgId>,
    /// Site, page or QR code.
    pub via: concerto_core::Via,
}

/// The partners of consultations. Methods taking an `owner` only act on that organisation's
/// consultations (another's is `NotFound`); those taking a `partner` only on that
/// organisation's own partnerships.
#[async_trait]
pub trait PartnerStore: Send + Sync + 'static {
    /// An organisation's name; `NotFound` if there is no such organisation.
    async fn org_name(&self, org: &OrgId) -> Result<String, StoreError>;
    /// Every organisation of the server but `except`, by name.
    async fn directory(&self, except: &OrgId) -> Result<Vec<OrgEntry>, StoreError>;
    /// Invites `partner` to co-host `owner`'s consultation with a new `key`. An ended
    /// partner is invited again with its old key; `AlreadyExists` if it is invited or active;
    /// `NotFound` if the consultation is not `owner`'s or `partner` does not exist.
    async fn invite_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
        key: &PartnerKey,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError>;
    /// Ends a partnership of `owner`'s consultation (invited or active); `NotFound` if there
    /// is none to end.
    async fn end_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
    ) -> Result<StoredPartner, StoreError>;
    /// Every partner of a consultation, ended ones included, in the order they were invited.
    async fn partners(&self, poll: &PollId) -> Result<Vec<StoredPartner>, StoreError>;
    /// The partnerships of `partner` not ended, newest invitation first.
    async fn partnerships(&self, partner: &OrgId) -> Result<Vec<StoredPartner>, StoreError>;
    /// Accepts an invitation (an active partnership stays as it is); `NotFound` if
    /// `partner` has no invited or active partnership of the consultation.
    async fn accept_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError>;
    /// The partner leaves (or declines): the partnership ends; `NotFound` as above.
    async fn leave_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
    ) -> Result<StoredPartner, StoreError>;
    /// Replaces the sites of an active partnership; `NotFound` if it is not active.
    async fn set_partner_origins(
        &self,
        partner: &OrgId,
        poll: &PollId,
        origins: &[Origin],
    ) -> Result<StoredPartner, StoreError>;
    /// A consultation's answers counted by the partner they came through (`None`: no
    /// partner), largest first; partners with no answer are left out.
    async fn partner_counts(&self, poll: &PollId) -> Result<Vec<(Option<OrgId>, u64)>, StoreError>;
}
