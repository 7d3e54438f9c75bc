//! The server's logs as an operator collects them (`CONCERTO_LOG_FORMAT=json`, everything
//! down to debug): one JSON object a line, each request's lines carrying its id and route
//! pattern, and never the address of the client nor a token it sent.

use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn logs_are_json_with_request_spans_and_hold_no_address_nor_token() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = create_org(&data);
    let server = ServerProcess::start_with(
        &data,
        &[("RUST_LOG", "debug"), ("CONCERTO_LOG_FORMAT", "json")],
    );
    // From an address of its own, to look for it in the logs (the server listens on
    // 127.0.0.1).
    let client = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let poll = open_poll(&client, &server.base, &token).await;
    let outcome = submit(&client, &server.base, &poll, &new_submission_id(), 0).await;
    assert!(matches!(outcome, Outcome::Acknowledged));
    let forged = "cct_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let resp = client
        .get(format!("{}/api/v1/org/polls", server.base))
        .bearer_auth(forged)
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["x-request-id"], "trace-me-42");
    let resp = client
        .post(format!("{}/api/v1/auth/invitations/accept", server.base))
        .json(
            &json!({"token": "cci_secret-invitation-token", "email": "a@b.c",
                      "name": "A", "password": "correct horse battery staple"}),
        )
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error());

    // The lines of the last requests may still be on their way.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logs = server.logs();
    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["span"]["id"] == "trace-me-42"
            && l["span"]["route"] == "/api/v1/org/polls"
            && l["span"]["method"] == "GET"),
        "no line of the traced request with its span:\n{logs}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["span"]["route"] == "/api/v1/polls/{id}/responses"),
        "no line of the answer's request:\n{logs}"
    );
    for secret in [
        "127.0.0.2",
        token.as_str(),
        forged,
        "secret-invitation-token",
        &poll,
    ] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
    }
    server.kill();
}
