//! Partners on PostgreSQL (see `store::partners`), with the SQLite store's semantics.
//!
//! Other servers keep consultations in memory with their partners (whose sites may embed
//! them), so every change of a partnership notifies the consultation changed, in the same
//! transaction: they hear of it once it is committed, never before.

use super::{PgStore, corrupt, count, exec, jsonb, notify_changed, one, opt, rows};
use crate::store::{PartnerStore, StoreError, StoredPartner, StoredPoll};
use async_trait::async_trait;
use concerto_core::api::OrgEntry;
use concerto_core::{OrgId, Origin, PartnerKey, PartnerState, PollId};
use deadpool_postgres::GenericClient;
use std::collections::HashMap;
use time::OffsetDateTime;
use tokio_postgres::Row;

const COLUMNS: &str = "p.poll_id, p.org_id, o.name, p.partner_key, p.state, p.origins, \
    p.invited_at, p.accepted_at";
const FROM: &str = "poll_partners p JOIN orgs o ON o.id = p.org_id";

fn from_row(row: &Row) -> Result<StoredPartner, StoreError> {
    let key: String = row.try_get(3)?;
    let state: String = row.try_get(4)?;
    Ok(StoredPartner {
        poll: PollId::parse(row.try_get::<_, String>(0)?).map_err(corrupt("poll id"))?,
        org: OrgId::parse(row.try_get::<_, String>(1)?).map_err(corrupt("org id"))?,
        name: row.try_get(2)?,
        key: PartnerKey::parse(&key).map_err(corrupt("partner key"))?,
        state: PartnerState::parse(&state).ok_or_else(|| corrupt("partner state")(&state))?,
        origins: serde_json::from_value(row.try_get(5)?).map_err(corrupt("partner origins"))?,
        invited_at: row.try_get(6)?,
        accepted_at: row.try_get(7)?,
    })
}

/// The partners of `poll`, ended ones included, in the order they were invited.
pub(super) async fn load(
    c: &impl GenericClient,
    poll: &PollId,
) -> Result<Vec<StoredPartner>, StoreError> {
    rows(
        c,
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE p.poll_id = $1 ORDER BY p.seq"),
        &[&poll.as_str()],
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The partners of every consultation of `org`, in the order they were invited, in one
/// query (for the list of its consultations).
pub(super) async fn load_of_org(
    c: &impl GenericClient,
    org: &OrgId,
) -> Result<Vec<StoredPartner>, StoreError> {
    rows(
        c,
        &format!(
            "SELECT {COLUMNS} FROM {FROM}
             WHERE p.poll_id IN (SELECT id FROM polls WHERE org_id = $1) ORDER BY p.seq"
        ),
        &[&org.as_str()],
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Gives each of `polls` its own of `partners` (kept in their order).
pub(super) fn share_out(polls: &mut [StoredPoll], partners: Vec<StoredPartner>) {
    let mut by_poll: HashMap<PollId, Vec<StoredPartner>> = HashMap::new();
    for p in partners {
        by_poll.entry(p.poll.clone()).or_default().push(p);
    }
    for poll in polls {
        poll.partners = by_poll.remove(&poll.id).unwrap_or_default();
    }
}

/// `partner`'s partnership of `poll`, or `NotFound`; locked until the transaction ends with
/// `for_update`.
async fn one_partner(
    c: &impl GenericClient,
    poll: &PollId,
    partner: &OrgId,
    for_update: bool,
) -> Result<StoredPartner, StoreError> {
    let lock = if for_update { "FOR UPDATE OF p" } else { "" };
    let row = one(
        c,
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE p.poll_id = $1 AND p.org_id = $2 {lock}"),
        &[&poll.as_str(), &partner.as_str()],
    )
    .await?;
    from_row(&row)
}

/// `NotFound` unless `owner` owns `poll`. The row is held against its deletion (and only
/// that: answers go on) until the transaction ends, so that nothing is added to a
/// consultation being deleted.
async fn check_owner(
    c: &impl GenericClient,
    owner: &OrgId,
    poll: &PollId,
) -> Result<(), StoreError> {
    one(
        c,
        "SELECT 1 FROM polls WHERE id = $1 AND org_id = $2 FOR KEY SHARE",
        &[&poll.as_str(), &owner.as_str()],
    )
    .await
    .map(drop)
}

/// Moves `partner`'s partnership of `poll` from one of `from` to `to` (`accepted_at` set if
/// given), telling the servers if it changed; `NotFound` when it is in none of `from`.
async fn move_state(
    c: &impl GenericClient,
    poll: &PollId,
    partner: &OrgId,
    from: &[PartnerState],
    to: PartnerState,
    accepted_at: Option<OffsetDateTime>,
) -> Result<StoredPartner, StoreError> {
    let current = one_partner(c, poll, partner, true).await?;
    if !from.contains(&current.state) {
        return Err(StoreError::NotFound);
    }
    if current.state == to {
        return Ok(current);
    }
    let row = one(
        c,
        &format!(
            "UPDATE poll_partners p SET state = $3, accepted_at = coalesce($4, p.accepted_at)
             FROM orgs o WHERE o.id = p.org_id AND p.poll_id = $1 AND p.org_id = $2
             RETURNING {COLUMNS}"
        ),
        &[
            &poll.as_str(),
            &partner.as_str(),
            &to.as_str(),
            &accepted_at,
        ],
    )
    .await?;
    notify_changed(c, poll).await?;
    from_row(&row)
}

#[async_trait]
impl PartnerStore for PgStore {
    async fn org_name(&self, org: &OrgId) -> Result<String, StoreError> {
        let c = self.client().await?;
        Ok(
            one(&c, "SELECT name FROM orgs WHERE id = $1", &[&org.as_str()])
                .await?
                .try_get(0)?,
        )
    }

    async fn directory(&self, except: &OrgId) -> Result<Vec<OrgEntry>, StoreError> {
        let c = self.client().await?;
        rows(
            &c,
            "SELECT id, name FROM orgs WHERE id <> $1 ORDER BY lower(name), id",
            &[&except.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(OrgEntry {
                id: OrgId::parse(r.try_get::<_, String>(0)?).map_err(corrupt("org id"))?,
                name: r.try_get(1)?,
            })
        })
        .collect()
    }

    async fn invite_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
        key: &PartnerKey,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        check_owner(&tx, owner, poll).await?;
        if opt(
            &tx,
            "SELECT 1 FROM orgs WHERE id = $1",
            &[&partner.as_str()],
        )
        .await?
        .is_none()
        {
            return Err(StoreError::NotFound);
        }
        // Locked, so that two invitations at once take turns; two of a partner never invited
        // both insert, and the second is `AlreadyExists` by the primary key.
        let state = opt(
            &tx,
            "SELECT state FROM poll_partners WHERE poll_id = $1 AND org_id = $2 FOR UPDATE",
            &[&poll.as_str(), &partner.as_str()],
        )
        .await?
        .map(|r| r.try_get::<_, String>(0))
        .transpose()?;
        match state.as_deref().map(|s| (s, PartnerState::parse(s))) {
            Some((_, Some(PartnerState::Invited | PartnerState::Active))) => {
                return Err(StoreError::AlreadyExists);
            }
            // Invited again with its old key: its printed flyers still count for it.
            Some((_, Some(PartnerState::Ended))) => {
                exec(
                    &tx,
                    "UPDATE poll_partners SET state = 'invited', invited_at = $3,
                         accepted_at = NULL
                     WHERE poll_id = $1 AND org_id = $2",
                    &[&poll.as_str(), &partner.as_str(), &now],
                )
                .await?;
            }
            Some((s, None)) => return Err(corrupt("partner state")(s)),
            None => {
                exec(
                    &tx,
                    "INSERT INTO poll_partners (poll_id, org_id, partner_key, state, invited_at)
                     VALUES ($1, $2, $3, 'invited', $4)",
                    &[&poll.as_str(), &partner.as_str(), &key.as_str(), &now],
                )
                .await?;
            }
        }
        let invited = one_partner(&tx, poll, partner, false).await?;
        notify_changed(&tx, poll).await?;
        tx.commit().await?;
        Ok(invited)
    }

    async fn end_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
    ) -> Result<StoredPartner, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        check_owner(&tx, owner, poll).await?;
        let ended = move_state(
            &tx,
            poll,
            partner,
            &[PartnerState::Invited, PartnerState::Active],
            PartnerState::Ended,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn partners(&self, poll: &PollId) -> Result<Vec<StoredPartner>, StoreError> {
        let c = self.client().await?;
        load(&c, poll).await
    }

    async fn partnerships(&self, partner: &OrgId) -> Result<Vec<StoredPartner>, StoreError> {
        let c = self.client().await?;
        rows(
            &c,
            &format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE p.org_id = $1 AND p.state <> 'ended'
                 ORDER BY p.invited_at DESC, p.seq DESC"
            ),
            &[&partner.as_str()],
        )
        .await?
        .iter()
        .map(from_row)
        .collect()
    }

    async fn accept_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let accepted = move_state(
            &tx,
            poll,
            partner,
            &[PartnerState::Invited, PartnerState::Active],
            PartnerState::Active,
            Some(now),
        )
        .await?;
        tx.commit().await?;
        Ok(accepted)
    }

    async fn leave_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
    ) -> Result<StoredPartner, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let left = move_state(
            &tx,
            poll,
            partner,
            &[PartnerState::Invited, PartnerState::Active],
            PartnerState::Ended,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(left)
    }

    async fn set_partner_origins(
        &self,
        partner: &OrgId,
        poll: &PollId,
        origins: &[Origin],
    ) -> Result<StoredPartner, StoreError> {
        let origins = jsonb(&origins)?;
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = one(
            &tx,
            &format!(
                "UPDATE poll_partners p SET origins = $3
                 FROM orgs o WHERE o.id = p.org_id
                     AND p.poll_id = $1 AND p.org_id = $2 AND p.state = 'active'
                 RETURNING {COLUMNS}"
            ),
            &[&poll.as_str(), &partner.as_str(), &origins],
        )
        .await?;
        notify_changed(&tx, poll).await?;
        tx.commit().await?;
        from_row(&row)
    }

    async fn partner_counts(&self, poll: &PollId) -> Result<Vec<(Option<OrgId>, u64)>, StoreError> {
        let c = self.client().await?;
        // Ties in SQLite's order: no partner first, then by id byte by byte.
        rows(
            &c,
            "SELECT partner, count(*) AS n FROM responses WHERE poll_id = $1
             GROUP BY partner ORDER BY n DESC, partner COLLATE \"C\" NULLS FIRST",
            &[&poll.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            let partner: Option<String> = r.try_get(0)?;
            Ok((
                partner
                    .map(OrgId::parse)
                    .transpose()
                    .map_err(corrupt("partner"))?,
                count(r.try_get(1)?),
            ))
        })
        .collect()
    }
}
