//! Partners on SQLite (see `store::partners`).

use super::sqlite::{SqliteStore, bound, corrupt, parse_stamp};
use super::{PartnerStore, StoreError, StoredPartner};
use async_trait::async_trait;
use concerto_core::api::OrgEntry;
use concerto_core::{OrgId, Origin, PartnerKey, PartnerState, PollId};
use rusqlite::{Connection, OptionalExtension, Row, params};
use time::OffsetDateTime;

// Moments are written by `bound` (UTC, all nine digits of the fraction), so that ordering by
// them as text orders them in time.
const COLUMNS: &str = "p.poll_id, p.org_id, o.name, p.partner_key, p.state, p.origins, \
    p.invited_at, p.accepted_at";
const FROM: &str = "poll_partners p JOIN orgs o ON o.id = p.org_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<StoredPartner, StoreError>> {
    let poll: String = row.get(0)?;
    let org: String = row.get(1)?;
    let name: String = row.get(2)?;
    let key: String = row.get(3)?;
    let state: String = row.get(4)?;
    let origins: String = row.get(5)?;
    let invited: String = row.get(6)?;
    let accepted: Option<String> = row.get(7)?;
    Ok((|| {
        Ok(StoredPartner {
            poll: PollId::parse(poll).map_err(corrupt("poll id"))?,
            org: OrgId::parse(org).map_err(corrupt("org id"))?,
            name,
            key: PartnerKey::parse(&key).map_err(corrupt("partner key"))?,
            state: PartnerState::parse(&state).ok_or_else(|| corrupt("partner state")(&state))?,
            origins: serde_json::from_str(&origins).map_err(corrupt("partner origins"))?,
            invited_at: parse_stamp(&invited)?,
            accepted_at: accepted.as_deref().map(parse_stamp).transpose()?,
        })
    })())
}

/// The partners of `poll`, in the order they were invited.
pub(super) fn load(conn: &Connection, poll: &PollId) -> Result<Vec<StoredPartner>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE p.poll_id = ?1 ORDER BY p.rowid"
    ))?;
    let rows = stmt.query_map([poll.as_str()], from_row)?;
    rows.map(|r| r?).collect()
}

fn one(conn: &Connection, poll: &PollId, org: &OrgId) -> Result<StoredPartner, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE p.poll_id = ?1 AND p.org_id = ?2"),
        params![poll.as_str(), org.as_str()],
        from_row,
    )?
}

/// Moves `partner`'s partnership of `poll` from one of `from` to `to`; `NotFound` when it is
/// in none of them.
fn move_state(
    conn: &Connection,
    poll: &PollId,
    partner: &OrgId,
    from: &[PartnerState],
    to: PartnerState,
    accepted_at: Option<OffsetDateTime>,
) -> Result<StoredPartner, StoreError> {
    let current = one(conn, poll, partner)?;
    if !from.contains(&current.state) {
        return Err(StoreError::NotFound);
    }
    if current.state != to {
        conn.execute(
            "UPDATE poll_partners SET state = ?3, accepted_at = coalesce(?4, accepted_at)
             WHERE poll_id = ?1 AND org_id = ?2",
            params![
                poll.as_str(),
                partner.as_str(),
                to.as_str(),
                accepted_at.map(bound)
            ],
        )?;
    }
    one(conn, poll, partner)
}

/// Whether `owner` owns `poll`.
fn owns(conn: &Connection, owner: &OrgId, poll: &PollId) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM polls WHERE id = ?1 AND org_id = ?2")?
        .exists(params![poll.as_str(), owner.as_str()])?)
}

#[async_trait]
impl PartnerStore for SqliteStore {
    async fn org_name(&self, org: &OrgId) -> Result<String, StoreError> {
        let org = org.clone();
        self.read(move |c| {
            Ok(
                c.query_row("SELECT name FROM orgs WHERE id = ?1", [org.as_str()], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
    }

    async fn directory(&self, except: &OrgId) -> Result<Vec<OrgEntry>, StoreError> {
        let except = except.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT id, name FROM orgs WHERE id <> ?1 ORDER BY name COLLATE NOCASE, id",
            )?;
            let rows = stmt.query_map([except.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            rows.map(|r| {
                let (id, name) = r?;
                Ok(OrgEntry {
                    id: OrgId::parse(id).map_err(corrupt("org id"))?,
                    name,
                })
            })
            .collect()
        })
        .await
    }

    async fn invite_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
        key: &PartnerKey,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        let (owner, poll, partner, key) =
            (owner.clone(), poll.clone(), partner.clone(), key.clone());
        self.writer
            .write(move |c| {
                if !owns(c, &owner, &poll)? {
                    return Err(StoreError::NotFound);
                }
                let exists = c
                    .prepare_cached("SELECT 1 FROM orgs WHERE id = ?1")?
                    .exists([partner.as_str()])?;
                if !exists {
                    return Err(StoreError::NotFound);
                }
                let state: Option<String> = c
                    .query_row(
                        "SELECT state FROM poll_partners WHERE poll_id = ?1 AND org_id = ?2",
                        params![poll.as_str(), partner.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                match state.as_deref().and_then(PartnerState::parse) {
                    Some(PartnerState::Invited | PartnerState::Active) => {
                        return Err(StoreError::AlreadyExists);
                    }
                    // Invited again with its old key: its printed flyers still count for it.
                    Some(PartnerState::Ended) => {
                        c.execute(
                            "UPDATE poll_partners SET state = 'invited', invited_at = ?3,
                                 accepted_at = NULL
                             WHERE poll_id = ?1 AND org_id = ?2",
                            params![poll.as_str(), partner.as_str(), bound(now)],
                        )?;
                    }
                    None => {
                        c.execute(
                            "INSERT INTO poll_partners (poll_id, org_id, partner_key, state, invited_at)
                             VALUES (?1, ?2, ?3, 'invited', ?4)",
                            params![poll.as_str(), partner.as_str(), key.as_str(), bound(now)],
                        )?;
                    }
                }
                one(c, &poll, &partner)
            })
            .await
    }

    async fn end_partner(
        &self,
        owner: &OrgId,
        poll: &PollId,
        partner: &OrgId,
    ) -> Result<StoredPartner, StoreError> {
        let (owner, poll, partner) = (owner.clone(), poll.clone(), partner.clone());
        self.writer
            .write(move |c| {
                if !owns(c, &owner, &poll)? {
                    return Err(StoreError::NotFound);
                }
                move_state(
                    c,
                    &poll,
                    &partner,
                    &[PartnerState::Invited, PartnerState::Active],
                    PartnerState::Ended,
                    None,
                )
            })
            .await
    }

    async fn partners(&self, poll: &PollId) -> Result<Vec<StoredPartner>, StoreError> {
        let poll = poll.clone();
        self.read(move |c| load(c, &poll)).await
    }

    async fn partnerships(&self, partner: &OrgId) -> Result<Vec<StoredPartner>, StoreError> {
        let partner = partner.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE p.org_id = ?1 AND p.state <> 'ended'
                 ORDER BY p.invited_at DESC, p.rowid DESC"
            ))?;
            let rows = stmt.query_map([partner.as_str()], from_row)?;
            rows.map(|r| r?).collect()
        })
        .await
    }

    async fn accept_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
        now: OffsetDateTime,
    ) -> Result<StoredPartner, StoreError> {
        let (partner, poll) = (partner.clone(), poll.clone());
        self.writer
            .write(move |c| {
                move_state(
                    c,
                    &poll,
                    &partner,
                    &[PartnerState::Invited, PartnerState::Active],
                    PartnerState::Active,
                    Some(now),
                )
            })
            .await
    }

    async fn leave_partnership(
        &self,
        partner: &OrgId,
        poll: &PollId,
    ) -> Result<StoredPartner, StoreError> {
        let (partner, poll) = (partner.clone(), poll.clone());
        self.writer
            .write(move |c| {
                move_state(
                    c,
                    &poll,
                    &partner,
                    &[PartnerState::Invited, PartnerState::Active],
                    PartnerState::Ended,
                    None,
                )
            })
            .await
    }

    async fn set_partner_origins(
        &self,
        partner: &OrgId,
        poll: &PollId,
        origins: &[Origin],
    ) -> Result<StoredPartner, StoreError> {
        let (partner, poll) = (partner.clone(), poll.clone());
        let origins = serde_json::to_string(origins).map_err(corrupt("partner origins"))?;
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE poll_partners SET origins = ?3
                     WHERE poll_id = ?1 AND org_id = ?2 AND state = 'active'",
                    params![poll.as_str(), partner.as_str(), origins],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound);
                }
                one(c, &poll, &partner)
            })
            .await
    }

    async fn partner_counts(&self, poll: &PollId) -> Result<Vec<(Option<OrgId>, u64)>, StoreError> {
        let poll = poll.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT partner, count(*) AS n FROM responses WHERE poll_id = ?1
                 GROUP BY partner ORDER BY n DESC, partner",
            )?;
            let rows = stmt.query_map([poll.as_str()], |r| {
                Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
            })?;
            rows.map(|r| {
                let (partner, n) = r?;
                Ok((
                    partner
                        .map(OrgId::parse)
                        .transpose()
                        .map_err(corrupt("partner"))?,
                    u64::try_from(n).unwrap_or(0),
                ))
            })
            .collect()
        })
        .await
    }
}
