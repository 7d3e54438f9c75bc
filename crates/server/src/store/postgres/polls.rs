//! Consultations in PostgreSQL.

use super::{
    Lock, POLL_COLUMNS, PgStore, big, exec, jsonb, load_org_poll, notify_changed, now, one, opt,
    partners, poll_from_row, rows,
};
use crate::store::{ActivityKind, Actor, PollChange, PollStore, StoreError, StoredPoll};
use async_trait::async_trait;
use concerto_core::{OrgId, PollId, PollSpec, PollState};

#[async_trait]
impl PollStore for PgStore {
    async fn create_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError> {
        let c = self.client().await?;
        let row = one(
            &c,
            &format!(
                "INSERT INTO polls (id, org_id, spec, state, created_at, updated_at)
                 VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING {POLL_COLUMNS}"
            ),
            &[&id.as_str(), &org.as_str(), &jsonb(spec)?, &now()],
        )
        .await?;
        poll_from_row(&row)
    }

    async fn update_poll(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
    ) -> Result<StoredPoll, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = one(
            &tx,
            &format!(
                "UPDATE polls SET spec = $1, updated_at = $2 WHERE id = $3 AND org_id = $4
                 RETURNING {POLL_COLUMNS}"
            ),
            &[&jsonb(spec)?, &now(), &id.as_str(), &org.as_str()],
        )
        .await?;
        let mut poll = poll_from_row(&row)?;
        poll.partners = partners::load(&tx, id).await?;
        notify_changed(&tx, id).await?;
        tx.commit().await?;
        Ok(poll)
    }

    async fn update_poll_at(
        &self,
        org: &OrgId,
        id: &PollId,
        spec: &PollSpec,
        responses: u64,
    ) -> Result<Option<StoredPoll>, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // The condition is checked on the row as it is once any answer being committed is
        // (READ COMMITTED re-reads a row it had to wait for), so no answer slips past it.
        let updated = opt(
            &tx,
            &format!(
                "UPDATE polls SET spec = $1, updated_at = $2
                 WHERE id = $3 AND org_id = $4 AND response_count = $5
                 RETURNING {POLL_COLUMNS}"
            ),
            &[
                &jsonb(spec)?,
                &now(),
                &id.as_str(),
                &org.as_str(),
                &big(responses),
            ],
        )
        .await?;
        match updated {
            Some(row) => {
                let mut poll = poll_from_row(&row)?;
                poll.partners = partners::load(&tx, id).await?;
                notify_changed(&tx, id).await?;
                tx.commit().await?;
                Ok(Some(poll))
            }
            // Gone (NotFound) or answered meanwhile (None); nothing changed to commit.
            None => load_org_poll(&tx, org, id, Lock::None).await.map(|_| None),
        }
    }

    async fn set_state(
        &self,
        org: &OrgId,
        id: &PollId,
        state: PollState,
    ) -> Result<StoredPoll, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = one(
            &tx,
            &format!(
                "UPDATE polls SET state = $1, updated_at = $2 WHERE id = $3 AND org_id = $4
                 RETURNING {POLL_COLUMNS}"
            ),
            &[&state.as_str(), &now(), &id.as_str(), &org.as_str()],
        )
        .await?;
        let mut poll = poll_from_row(&row)?;
        poll.partners = partners::load(&tx, id).await?;
        notify_changed(&tx, id).await?;
        tx.commit().await?;
        Ok(poll)
    }

    // The reads below send the consultation's query and its partners' together (one round
    // trip: tokio-postgres pipelines the queries of one connection polled at once).

    async fn org_poll(&self, org: &OrgId, id: &PollId) -> Result<StoredPoll, StoreError> {
        let c = self.client().await?;
        let (poll, partners) = futures_util::future::try_join(
            load_org_poll(&c, org, id, Lock::None),
            partners::load(&c, id),
        )
        .await?;
        Ok(StoredPoll { partners, ..poll })
    }

    async fn list_polls(&self, org: &OrgId) -> Result<Vec<StoredPoll>, StoreError> {
        let c = self.client().await?;
        let sql = format!(
            "SELECT {POLL_COLUMNS} FROM polls WHERE org_id = $1 ORDER BY created_at DESC, id"
        );
        let (rows, partners) = futures_util::future::try_join(
            rows(&c, &sql, &[&org.as_str()]),
            partners::load_of_org(&c, org),
        )
        .await?;
        let mut polls = rows
            .iter()
            .map(poll_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        partners::share_out(&mut polls, partners);
        Ok(polls)
    }

    async fn poll(&self, id: &PollId) -> Result<Option<StoredPoll>, StoreError> {
        let c = self.client().await?;
        let sql = format!("SELECT {POLL_COLUMNS} FROM polls WHERE id = $1");
        let (row, partners) =
            futures_util::future::try_join(opt(&c, &sql, &[&id.as_str()]), partners::load(&c, id))
                .await?;
        row.as_ref()
            .map(|r| {
                Ok(StoredPoll {
                    partners,
                    ..poll_from_row(r)?
                })
            })
            .transpose()
    }

    async fn delete_poll(
        &self,
        org: &OrgId,
        poll: &PollId,
        actor: &Actor,
    ) -> Result<u64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let stored = load_org_poll(&tx, org, poll, Lock::Delete).await?;
        let deleted = exec(
            &tx,
            "DELETE FROM responses WHERE poll_id = $1",
            &[&poll.as_str()],
        )
        .await?;
        exec(
            &tx,
            "DELETE FROM tallies WHERE poll_id = $1",
            &[&poll.as_str()],
        )
        .await?;
        for table in ["erased_submissions", "participation_codes", "poll_partners"] {
            exec(
                &tx,
                &format!("DELETE FROM {table} WHERE poll_id = $1"),
                &[&poll.as_str()],
            )
            .await?;
        }
        exec(&tx, "DELETE FROM polls WHERE id = $1", &[&poll.as_str()]).await?;
        super::answers::record(
            &tx,
            &stored,
            actor,
            ActivityKind::ConsultationDeleted,
            deleted,
        )
        .await?;
        notify_changed(&tx, poll).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    fn poll_changes(&self) -> tokio::sync::broadcast::Receiver<PollChange> {
        self.changes.subscribe()
    }
}
