//! The PostgreSQL schema, applied in order and recorded in `concerto_schema`. Servers starting
//! at the same moment take turns through an advisory lock, so each version is applied once.

use tokio_postgres::Client;

/// Each entry moves the schema one version up; never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    // Everything the SQLite schema reached in its three versions, at once: specs and answers
    // as jsonb (read with `->`), every moment a timestamptz, answers ordered by an identity
    // `seq` that the paging cursors use.
    r#"
    CREATE TABLE orgs (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
    );
    CREATE TABLE org_tokens (
        token_hash text PRIMARY KEY,
        org_id text NOT NULL REFERENCES orgs(id),
        created_at timestamptz NOT NULL
    );
    CREATE TABLE polls (
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES orgs(id),
        spec jsonb NOT NULL,
        state text NOT NULL,
        response_count bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
    );
    CREATE INDEX polls_by_org ON polls(org_id, created_at);
    CREATE TABLE responses (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        poll_id text NOT NULL REFERENCES polls(id),
        submission_id text NOT NULL,
        fingerprint text NOT NULL,
        answers jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        UNIQUE (poll_id, submission_id)
    );
    CREATE INDEX responses_by_poll ON responses(poll_id, seq);
    CREATE TABLE tallies (
        poll_id text NOT NULL REFERENCES polls(id),
        question_id text NOT NULL,
        bucket text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (poll_id, question_id, bucket)
    );
    CREATE TABLE users (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES orgs(id),
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL
    );
    CREATE INDEX users_by_org ON users(org_id);
    CREATE TABLE invitations (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        token_hash text PRIMARY KEY,
        org_id text NOT NULL REFERENCES orgs(id),
        created_by text REFERENCES users(id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_by text REFERENCES users(id),
        used_at timestamptz
    );
    CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions(user_id);
    CREATE INDEX sessions_by_expiry ON sessions(expires_at);
    CREATE TABLE erased_submissions (
        poll_id text NOT NULL,
        submission_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (poll_id, submission_id)
    );
    CREATE TABLE activity (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id text NOT NULL REFERENCES orgs(id),
        at timestamptz NOT NULL,
        actor_name text,
        actor_email text,
        kind text NOT NULL,
        poll_id text NOT NULL,
        poll_title text NOT NULL,
        answers bigint NOT NULL
    );
    CREATE INDEX activity_by_org ON activity(org_id, seq);
"#,
    // One row the readiness check writes: a write that commits, as an answer's would.
    r#"
    CREATE TABLE probe (id integer PRIMARY KEY CHECK (id = 1), at timestamptz NOT NULL);
    INSERT INTO probe (id, at) VALUES (1, now());
"#,
    // Participation codes: only a hash of each and whether it was used, never which answer
    // used it (no column of `responses` refers to a code, nor this table to an answer).
    r#"
    CREATE TABLE participation_codes (
        poll_id text NOT NULL REFERENCES polls(id),
        code_hash text NOT NULL,
        used boolean NOT NULL DEFAULT false,
        PRIMARY KEY (poll_id, code_hash)
    );
"#,
    // Partners: the organisations co-hosting a consultation, each with its key (`seq` keeps
    // the order they were first invited); and on each answer the partner it came through (an
    // org id, kept when the partnership ends) and the door (site, page, qr).
    r#"
    CREATE TABLE poll_partners (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        poll_id text NOT NULL REFERENCES polls(id),
        org_id text NOT NULL REFERENCES orgs(id),
        partner_key text NOT NULL UNIQUE,
        state text NOT NULL,
        origins jsonb NOT NULL DEFAULT '[]',
        invited_at timestamptz NOT NULL,
        accepted_at timestamptz,
        PRIMARY KEY (poll_id, org_id)
    );
    CREATE INDEX poll_partners_by_org ON poll_partners(org_id);
    ALTER TABLE responses ADD COLUMN partner text;
    ALTER TABLE responses ADD COLUMN via text NOT NULL DEFAULT 'site';
"#,
];

/// Any number, the same for every Concerto server: the key of the advisory lock that
/// serialises migrations.
const LOCK_KEY: i64 = 0x636f_6e63_6572_746f;

/// Brings the database up to the latest schema, in one transaction.
pub(super) async fn migrate(client: &mut Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .await?;
    // Quiet: "relation already exists, skipping" at every start says nothing.
    tx.batch_execute("SET LOCAL client_min_messages = warning")
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS concerto_schema (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .await?;
    let current: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM concerto_schema", &[])
        .await?
        .get(0);
    for (version, sql) in (1i32..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(current).unwrap_or(0))
    {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO concerto_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await
}
