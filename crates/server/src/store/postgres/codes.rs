//! Participation codes on PostgreSQL (see `store::codes`). An answer uses its code in its own
//! transaction, after the consultation's row is locked: two answers with the same code, on
//! two servers, take turns there, and the second finds it used.

use super::{Lock, PgStore, exec, load_org_poll, one, opt};
use crate::store::{CodeStore, StoreError};
use async_trait::async_trait;
use concerto_core::api::CodeCounts;
use concerto_core::{OrgId, PollId};
use deadpool_postgres::GenericClient;

/// Marks the consultation's code `hash` used, if it is one of its codes and still unused.
pub(super) async fn use_code(
    c: &impl GenericClient,
    poll: &PollId,
    hash: &str,
) -> Result<(), StoreError> {
    let used = exec(
        c,
        "UPDATE participation_codes SET used = true
         WHERE poll_id = $1 AND code_hash = $2 AND NOT used",
        &[&poll.as_str(), &hash],
    )
    .await?;
    if used == 1 {
        return Ok(());
    }
    let known = opt(
        c,
        "SELECT 1 FROM participation_codes WHERE poll_id = $1 AND code_hash = $2",
        &[&poll.as_str(), &hash],
    )
    .await?;
    Err(if known.is_some() {
        StoreError::CodeUsed
    } else {
        StoreError::CodeUnknown
    })
}

async fn counts(c: &impl GenericClient, poll: &PollId) -> Result<CodeCounts, StoreError> {
    let row = one(
        c,
        "SELECT count(*), count(*) FILTER (WHERE used) FROM participation_codes
         WHERE poll_id = $1",
        &[&poll.as_str()],
    )
    .await?;
    let (total, used): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    Ok(CodeCounts {
        total: total.try_into().unwrap_or(0),
        used: used.try_into().unwrap_or(0),
    })
}

#[async_trait]
impl CodeStore for PgStore {
    async fn add_codes(
        &self,
        org: &OrgId,
        poll: &PollId,
        hashes: Vec<String>,
    ) -> Result<(Vec<String>, CodeCounts), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        load_org_poll(&tx, org, poll, Lock::None).await?;
        let added = tx
            .query(
                &tx.prepare_cached(
                    "INSERT INTO participation_codes (poll_id, code_hash)
                     SELECT $1, h FROM UNNEST($2::text[]) AS t(h)
                     ON CONFLICT DO NOTHING
                     RETURNING code_hash",
                )
                .await?,
                &[&poll.as_str(), &hashes],
            )
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<Vec<String>, _>>()?;
        let counts = counts(&tx, poll).await?;
        tx.commit().await?;
        Ok((added, counts))
    }

    async fn code_counts(&self, poll: &PollId) -> Result<CodeCounts, StoreError> {
        let c = self.client().await?;
        counts(&c, poll).await
    }
}
