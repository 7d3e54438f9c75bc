//! Organisations, tokens, organisers' accounts, invitations and sessions in PostgreSQL.

use super::{
    PgStore, USER_COLUMNS, corrupt, exec, now, one, opt, or_not_found, rows, user_from_row,
};
use crate::store::{
    AccountStore, Credentials, NewUser, PendingInvitation, Session, StoreError, TeamMember, User,
};
use async_trait::async_trait;
use concerto_core::OrgId;
use time::OffsetDateTime;
use tokio_postgres::error::SqlState;

#[async_trait]
impl AccountStore for PgStore {
    async fn create_org(&self, id: &OrgId, name: &str) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)",
            &[&id.as_str(), &name, &now()],
        )
        .await
        .map(drop)
    }

    async fn org_exists(&self, id: &OrgId) -> Result<bool, StoreError> {
        let c = self.client().await?;
        Ok(opt(&c, "SELECT 1 FROM orgs WHERE id = $1", &[&id.as_str()])
            .await?
            .is_some())
    }

    async fn add_token(&self, org: &OrgId, token_hash: &str) -> Result<(), StoreError> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(
                "INSERT INTO org_tokens (token_hash, org_id, created_at) VALUES ($1, $2, $3)",
            )
            .await?;
        c.execute(&stmt, &[&token_hash, &org.as_str(), &now()])
            .await
            // The organisation does not exist.
            .map_err(|e| or_not_found(e, SqlState::FOREIGN_KEY_VIOLATION))?;
        Ok(())
    }

    async fn org_for_token(&self, token_hash: &str) -> Result<Option<OrgId>, StoreError> {
        let c = self.client().await?;
        opt(
            &c,
            "SELECT org_id FROM org_tokens WHERE token_hash = $1",
            &[&token_hash],
        )
        .await?
        .map(|r| OrgId::parse(r.try_get::<_, String>(0)?).map_err(corrupt("org id")))
        .transpose()
    }

    async fn create_invitation(
        &self,
        org: &OrgId,
        token_hash: &str,
        created_by: Option<&str>,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO invitations (token_hash, org_id, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &org.as_str(), &created_by, &now, &expires_at],
        )
        .await
        .map(drop)
    }

    async fn team(&self, org: &OrgId) -> Result<Vec<TeamMember>, StoreError> {
        let c = self.client().await?;
        rows(
            &c,
            // In the order the accounts were made.
            "SELECT name, email, created_at FROM users WHERE org_id = $1 ORDER BY seq",
            &[&org.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TeamMember {
                name: r.try_get(0)?,
                email: r.try_get(1)?,
                joined_at: r.try_get(2)?,
            })
        })
        .collect()
    }

    async fn pending_invitations(
        &self,
        org: &OrgId,
        now: OffsetDateTime,
    ) -> Result<Vec<PendingInvitation>, StoreError> {
        let c = self.client().await?;
        rows(
            &c,
            "SELECT i.token_hash, u.name, i.created_at, i.expires_at
             FROM invitations i LEFT JOIN users u ON u.id = i.created_by
             WHERE i.org_id = $1 AND i.used_at IS NULL AND i.expires_at > $2
             ORDER BY i.created_at DESC, i.seq DESC",
            &[&org.as_str(), &now],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(PendingInvitation {
                id: r.try_get(0)?,
                created_by: r.try_get(1)?,
                created_at: r.try_get(2)?,
                expires_at: r.try_get(3)?,
            })
        })
        .collect()
    }

    async fn revoke_invitation(
        &self,
        org: &OrgId,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = exec(
            &c,
            "DELETE FROM invitations
             WHERE token_hash = $1 AND org_id = $2 AND used_at IS NULL AND expires_at > $3",
            &[&id, &org.as_str(), &now],
        )
        .await?;
        Ok(n > 0)
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        user: NewUser,
    ) -> Result<User, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Locked, so that the same invitation used twice at once makes one account.
        let org: String = one(
            &tx,
            "SELECT org_id FROM invitations
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE",
            &[&token_hash, &now],
        )
        .await?
        .try_get(0)?;
        exec(
            &tx,
            "INSERT INTO users (id, org_id, email, name, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &user.id,
                &org,
                &user.email,
                &user.name,
                &user.password_hash,
                &now,
            ],
        )
        .await?;
        exec(
            &tx,
            "UPDATE invitations SET used_at = $1, used_by = $2 WHERE token_hash = $3",
            &[&now, &user.id, &token_hash],
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            id: user.id,
            org: OrgId::parse(org).map_err(corrupt("org id"))?,
            email: user.email,
            name: user.name,
        })
    }

    async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let c = self.client().await?;
        opt(
            &c,
            &format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1"),
            &[&email],
        )
        .await?
        .map(|r| {
            Ok(Credentials {
                user: user_from_row(&r)?,
                password_hash: r.try_get(4)?,
            })
        })
        .transpose()
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Sessions nobody presents again are never deleted on use: sweep the ones past their
        // lifetime whenever a new one starts.
        exec(&tx, "DELETE FROM sessions WHERE expires_at <= $1", &[&now]).await?;
        exec(
            &tx,
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $3, $4)",
            &[&id_hash, &user, &now, &expires_at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let c = self.client().await?;
        opt(
            &c,
            &format!(
                "SELECT {USER_COLUMNS}, o.name, s.last_seen_at, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
                 WHERE s.id_hash = $1"
            ),
            &[&id_hash],
        )
        .await?
        .map(|r| {
            Ok(Session {
                user: user_from_row(&r)?,
                org_name: r.try_get(4)?,
                last_seen_at: r.try_get(5)?,
                expires_at: r.try_get(6)?,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
            &[&now, &id_hash],
        )
        .await
        .map(drop)
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(&c, "DELETE FROM sessions WHERE id_hash = $1", &[&id_hash])
            .await
            .map(drop)
    }

    async fn delete_sessions_of(&self, user: &str) -> Result<u64, StoreError> {
        let c = self.client().await?;
        exec(&c, "DELETE FROM sessions WHERE user_id = $1", &[&user]).await
    }
}
