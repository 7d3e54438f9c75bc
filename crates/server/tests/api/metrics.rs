//! `/metrics` and request ids: the figures an operator scrapes, readable only with the
//! token, counted by route pattern; each response carries the id its log lines carry.

use crate::helpers::*;

const TOKEN: &str = "metrics-secret-for-tests";

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url("/metrics"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

/// The value of the first sample line starting with `prefix`.
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = spawn_app().await;
    let resp = scrape(&app, Some("anything")).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn metrics_need_the_token() {
    let app = spawn_app_with(|s| s.metrics_token = Some(TOKEN.into())).await;
    assert_eq!(scrape(&app, None).await.status(), 401);
    assert_eq!(scrape(&app, Some("wrong")).await.status(), 401);
    assert_eq!(scrape(&app, Some(TOKEN)).await.status(), 200);
}

#[tokio::test]
async fn metrics_count_requests_answers_batches_and_connections() {
    let app = spawn_app_with(|s| s.metrics_token = Some(TOKEN.into())).await;
    let (id, _) = app.open_poll().await;
    let sid = new_submission_id();
    assert_eq!(app.submit(&id, &sid, &sample_answers()).await.status(), 201);
    // A replay is answered but stores nothing.
    assert_eq!(app.submit(&id, &sid, &sample_answers()).await.status(), 201);
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );
    assert_eq!(app.get("/api/v1/polls/nope", None).await.status(), 404);
    assert_eq!(app.get("/no/such/path/42", None).await.status(), 404);

    let resp = scrape(&app, Some(TOKEN)).await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = resp.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert_eq!(
        sample(
            &text,
            r#"concerto_http_requests_total{route="/api/v1/polls/{id}/responses",method="POST",status="201"}"#
        ),
        3.0
    );
    // Route patterns only: neither the id asked for nor a made-up path becomes a series.
    assert_eq!(
        sample(
            &text,
            r#"concerto_http_requests_total{route="/api/v1/polls/{id}",method="GET",status="404"}"#
        ),
        1.0
    );
    assert!(
        !text.contains("nope") && !text.contains("/no/such"),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"concerto_http_requests_total{route="unmatched",method="GET",status="404"}"#
        ),
        1.0
    );
    assert_eq!(sample(&text, "concerto_answers_stored_total"), 2.0);
    assert_eq!(sample(&text, "concerto_submit_duration_seconds_count"), 3.0);
    // Two answers and the poll's creation and opening, in one or more batches.
    assert!(
        sample(&text, "concerto_store_batch_writes_sum") >= 4.0,
        "{text}"
    );
    assert!(sample(&text, "concerto_store_commit_seconds_count") >= 1.0);
    // At least the scrape's own connection.
    assert!(sample(&text, "concerto_open_connections") >= 1.0);
    assert_eq!(sample(&text, "concerto_live_subscribers"), 0.0);
}

#[tokio::test]
async fn each_response_carries_a_request_id() {
    let app = spawn_app().await;
    let resp = app.get("/health", None).await;
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 16, "{id}");
    let other = app.get("/health", None).await;
    assert_ne!(other.headers()["x-request-id"], id.as_str());
    // A caller's plain id is kept (to follow a request through a proxy's log and ours)…
    let kept = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "proxy-7f3a.2")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "proxy-7f3a.2");
    // …anything else is replaced, so that no header writes into the logs.
    let replaced = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "a\"b level=ERROR")
        .send()
        .await
        .unwrap();
    let replaced = replaced.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(replaced.len(), 16);
    assert!(replaced.bytes().all(|b| b.is_ascii_alphanumeric()));
}
