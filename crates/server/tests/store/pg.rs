//! A fresh PostgreSQL database for each test, made through the administrator URL in
//! `CONCERTO_TEST_DATABASE_URL` and dropped afterwards, even when the test fails.

use concerto_server::store::{self, Store};
use futures_util::FutureExt;
use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Once};

/// The variable naming the server (any database on it; the tests make their own).
pub const ADMIN_URL_VAR: &str = "CONCERTO_TEST_DATABASE_URL";

/// The administrator URL, or `None` (with the skip said) when PostgreSQL tests are off.
pub fn admin_url() -> Option<String> {
    match std::env::var(ADMIN_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Written to stderr itself, not through `eprintln!`, which the test harness
            // captures: the skip is said even when the tests pass. Once for all of them.
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: the PostgreSQL store tests ({ADMIN_URL_VAR} is not set; \
                     `cargo xtask test-postgres` runs them on a throwaway server)"
                );
            });
            None
        }
    }
}

/// `url` with its database replaced by `database`.
fn with_database_name(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn admin(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("{ADMIN_URL_VAR} is set but unreachable: {e}"));
    tokio::spawn(connection);
    client
}

/// Runs `test` with the URL of a database of its own, then drops the database.
pub async fn with_database<F, Fut>(test: F)
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(admin_url) = admin_url() else {
        return;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "concerto_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
    );
    let client = admin(&admin_url).await;
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = with_database_name(&admin_url, &name);
    let outcome = AssertUnwindSafe(test(url, admin_url.clone()))
        .catch_unwind()
        .await;
    // FORCE: the stores' pooled and listening connections may still be closing.
    let dropped = client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    dropped.unwrap();
}

/// Opens a store on `url` as a server would.
pub async fn open(url: &str) -> Arc<dyn Store> {
    store::open(Some(url), Path::new("unused-with-postgres"))
        .await
        .unwrap()
}

/// Runs a contract check on a fresh PostgreSQL store.
pub async fn with_store<F, Fut>(check: F)
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()>,
{
    with_database(|url, _| async move { check(open(&url).await).await }).await;
}

#[test]
fn the_database_of_a_url_is_replaced() {
    for (url, want) in [
        ("postgres://u@h:5432/postgres", "postgres://u@h:5432/t"),
        ("postgres://u@h:5432", "postgres://u@h:5432/t"),
        (
            "postgresql://u:p@h/db?sslmode=disable",
            "postgresql://u:p@h/t?sslmode=disable",
        ),
    ] {
        assert_eq!(with_database_name(url, "t"), want);
    }
}
