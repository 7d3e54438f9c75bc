//! Partners on PostgreSQL (see `store::partners`).
//!
//! Not written yet: every method fails, so that nothing pretends to work.

use super::PgStore;
use crate::store::{PartnerStore, StoreError, StoredPartner};
use async_trait::async_trait;
use concerto_core::api::OrgEntry;
use concerto_core::{OrgId, Origin, PartnerKey, PollId};
use time::OffsetDateTime;

fn missing() -> StoreError {
    StoreError::Database("partners are not stored on PostgreSQL yet".into())
}

#[async_trait]
impl PartnerStore for PgStore {
    async fn org_name(&self, _org: &OrgId) -> Result<String, StoreError> {
        Err(missing())
    }
    async fn directory(&self, _except: &OrgId) -> Result<Vec<OrgEntry>, StoreError> {
        Err(missing())
    }
    async fn invite_partner(
        &self,
        _owner: &OrgId,
        _poll: &PollId,
        _partner: &OrgId,
        _key: &PartnerKey,
        _now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        Err(missing())
    }
    async fn end_partner(
        &self,
        _owner: &OrgId,
        _poll: &PollId,
        _partner: &OrgId,
    ) -> Result<StoredPartner, StoreError> {
        Err(missing())
    }
    async fn partners(&self, _poll: &PollId) -> Result<Vec<StoredPartner>, StoreError> {
        Err(missing())
    }
    async fn partnerships(&self, _partner: &OrgId) -> Result<Vec<StoredPartner>, StoreError> {
        Err(missing())
    }
    async fn accept_partnership(
        &self,
        _partner: &OrgId,
        _poll: &PollId,
        _now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        Err(missing())
    }
    async fn leave_partnership(
        &self,
        _partner: &OrgId,
        _poll: &PollId,
    ) -> Result<StoredPartner, StoreError> {
        Err(missing())
    }
    async fn set_partner_origins(
        &self,
        _partner: &OrgId,
        _poll: &PollId,
        _origins: &[Origin],
    ) -> Result<StoredPartner, StoreError> {
        Err(missing())
    }
    async fn partner_counts(
        &self,
        _poll: &PollId,
    ) -> Result<Vec<(Option<OrgId>, u64)>, StoreError> {
        Err(missing())
    }
}
