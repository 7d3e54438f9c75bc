//! The SQLite schema, applied in order and recorded in `PRAGMA user_version`.

use rusqlite::Connection;

/// Each entry moves the schema one version up; never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE org_tokens (
        token_hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE polls (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        spec TEXT NOT NULL,
        state TEXT NOT NULL,
        response_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX polls_by_org ON polls(org_id, created_at);
    CREATE TABLE responses (
        seq INTEGER PRIMARY KEY,
        poll_id TEXT NOT NULL REFERENCES polls(id),
        submission_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        answers TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (poll_id, submission_id)
    );
    CREATE TABLE tallies (
        poll_id TEXT NOT NULL REFERENCES polls(id),
        question_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (poll_id, question_id, bucket)
    ) WITHOUT ROWID;
"#,
    // Organisers' accounts, invitations and sessions. Secrets are stored only as hashes
    // (Argon2id for passwords, SHA-256 for random tokens); times that are compared are unix
    // seconds, so comparisons are numeric.
    r#"
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX users_by_org ON users(org_id);
    CREATE TABLE invitations (
        token_hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        created_by TEXT REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_by TEXT REFERENCES users(id),
        used_at INTEGER
    );
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions(user_id);
"#,
    // Deleting answers: the submissions deleted (so that a replay of one, from a device's
    // outbox, is acknowledged and not stored again; nothing of the answer is kept), and the
    // organisation's activity log (who deleted how many, never what).
    r#"
    CREATE TABLE erased_submissions (
        poll_id TEXT NOT NULL,
        submission_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (poll_id, submission_id)
    ) WITHOUT ROWID;
    CREATE TABLE activity (
        seq INTEGER PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        at TEXT NOT NULL,
        actor_name TEXT,
        actor_email TEXT,
        kind TEXT NOT NULL,
        poll_id TEXT NOT NULL,
        poll_title TEXT NOT NULL,
        answers INTEGER NOT NULL
    );
    CREATE INDEX activity_by_org ON activity(org_id, seq);
"#,
    // A consultation's answers in the order they came: exports, the answers list and the
    // text answers walk it instead of sorting the whole consultation before the first row.
    r#"
    CREATE INDEX responses_by_poll ON responses(poll_id, seq);
"#,
    // One row the readiness check writes: a write that commits, as an answer's would.
    r#"
    CREATE TABLE probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
    INSERT INTO probe (id, at) VALUES (1, '');
"#,
    // One representation of time in the whole database: invitations and sessions kept unix
    // seconds where everything else keeps RFC 3339 text; they now keep UTC text with all
    // nine digits of the fraction, which sorts as the moments do.
    r#"
    CREATE TABLE invitations_text (
        token_hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        created_by TEXT REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_by TEXT REFERENCES users(id),
        used_at TEXT
    );
    INSERT INTO invitations_text
        SELECT token_hash, org_id, created_by,
               strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '.000000000Z',
               strftime('%Y-%m-%dT%H:%M:%S', expires_at, 'unixepoch') || '.000000000Z',
               used_by,
               strftime('%Y-%m-%dT%H:%M:%S', used_at, 'unixepoch') || '.000000000Z'
        FROM invitations;
    DROP TABLE invitations;
    ALTER TABLE invitations_text RENAME TO invitations;
    CREATE TABLE sessions_text (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    INSERT INTO sessions_text
        SELECT id_hash, user_id,
               strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '.000000000Z',
               strftime('%Y-%m-%dT%H:%M:%S', last_seen_at, 'unixepoch') || '.000000000Z',
               strftime('%Y-%m-%dT%H:%M:%S', expires_at, 'unixepoch') || '.000000000Z'
        FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_text RENAME TO sessions;
    CREATE INDEX sessions_by_user ON sessions(user_id);
"#,
    // Participation codes: only a hash of each and whether it was used, never which answer
    // used it (no column of `responses` refers to a code, nor this table to an answer).
    r#"
    CREATE TABLE participation_codes (
        poll_id TEXT NOT NULL REFERENCES polls(id),
        code_hash TEXT NOT NULL,
        used INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (poll_id, code_hash)
    ) WITHOUT ROWID;
"#,
    // Partners: the organisations co-hosting a consultation, each with its key; and on each
    // answer the partner it came through (an org id, kept when the partnership ends) and the
    // door (site, page, qr).
    r#"
    CREATE TABLE poll_partners (
        poll_id TEXT NOT NULL REFERENCES polls(id),
        org_id TEXT NOT NULL REFERENCES orgs(id),
        partner_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        origins TEXT NOT NULL DEFAULT '[]',
        invited_at TEXT NOT NULL,
        accepted_at TEXT,
        PRIMARY KEY (poll_id, org_id)
    );
    CREATE INDEX poll_partners_by_org ON poll_partners(org_id);
    ALTER TABLE responses ADD COLUMN partner TEXT;
    ALTER TABLE responses ADD COLUMN via TEXT NOT NULL DEFAULT 'site';
"#,
];

/// The schema version this server migrates to.
pub fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Brings the database up to the latest schema.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (version, sql) in (1i64..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(["p1"], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>();
        rows.join(" / ")
    }

    #[test]
    fn answers_are_read_in_order_without_sorting_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        for sql in [
            "SELECT submission_id, received_at, answers FROM responses WHERE poll_id = ?1 ORDER BY seq",
            "SELECT seq FROM responses WHERE poll_id = ?1 ORDER BY seq DESC LIMIT 20",
        ] {
            let plan = plan(&conn, sql);
            assert!(plan.contains("responses_by_poll"), "{sql}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{sql}: {plan}");
        }
    }

    #[test]
    fn sessions_and_invitations_keep_their_moments_as_text() {
        let mut conn = Connection::open_in_memory().unwrap();
        // The schema before times were one representation, with rows in unix seconds.
        let before = MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE invitations_text"))
            .unwrap();
        for (version, sql) in (1i64..).zip(&MIGRATIONS[..before]) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO orgs (id, name, created_at) VALUES ('o', 'Asso', '2026-01-01T00:00:00Z');
             INSERT INTO users (id, org_id, email, name, password_hash, created_at)
                 VALUES ('u', 'o', 'a@b.c', 'A', 'h', '2026-01-01T00:00:00Z');
             INSERT INTO invitations (token_hash, org_id, created_at, expires_at)
                 VALUES ('i', 'o', 1767225600, 1767830400);
             INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
                 VALUES ('s', 'u', 1767225600, 1767229200, 1767830400);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let invitation: (String, String, Option<String>) = conn
            .query_row(
                "SELECT created_at, expires_at, used_at FROM invitations",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            invitation,
            (
                "2026-01-01T00:00:00.000000000Z".to_owned(),
                "2026-01-08T00:00:00.000000000Z".to_owned(),
                None
            )
        );
        let seen: String = conn
            .query_row("SELECT last_seen_at FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seen, "2026-01-01T01:00:00.000000000Z");
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(usize::try_from(version).unwrap(), MIGRATIONS.len());
    }
}
