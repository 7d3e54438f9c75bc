//! CORS per consultation: its allowed origins get CORS headers, other origins get none.

use crate::helpers::*;
use serde_json::json;

async fn preflight(app: &TestApp, id: &str, origin: &str) -> reqwest::Response {
    app.client
        .request(
            reqwest::Method::OPTIONS,
            app.url(&format!("/api/v1/polls/{id}/responses")),
        )
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap()
}

fn header(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_allowed_origin_passes_the_preflight_without_credentials() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = preflight(&app, &id, PARTNER).await;
    assert!(resp.status().is_success());
    assert_eq!(
        header(&resp, "access-control-allow-origin").as_deref(),
        Some(PARTNER)
    );
    assert!(
        header(&resp, "access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    assert!(
        header(&resp, "access-control-allow-headers")
            .unwrap()
            .contains("content-type")
    );
    assert_eq!(header(&resp, "access-control-allow-credentials"), None);
    assert_eq!(header(&resp, "vary").as_deref(), Some("Origin"));

    let resp = app
        .client
        .get(app.url(&format!("/api/v1/polls/{id}")))
        .header("Origin", PARTNER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&resp, "access-control-allow-origin").as_deref(),
        Some(PARTNER)
    );
    assert!(header(&resp, "vary").unwrap().contains("Origin"));
}

#[tokio::test]
async fn an_unknown_origin_gets_no_cors_headers_and_cannot_submit() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let evil = "https://evil.example";
    let resp = preflight(&app, &id, evil).await;
    assert_eq!(header(&resp, "access-control-allow-origin"), None);
    assert_eq!(header(&resp, "vary").as_deref(), Some("Origin"));

    let resp = app
        .client
        .get(app.url(&format!("/api/v1/polls/{id}")))
        .header("Origin", evil)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&resp, "access-control-allow-origin"), None);

    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers()});
    let resp = app.submit_raw(&id, &body, Some(evil)).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(header(&resp, "access-control-allow-origin"), None);
    assert_eq!(fields(&problem(resp).await), vec!["Origin"]);
}

#[tokio::test]
async fn the_servers_own_standalone_page_may_always_submit() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers()});
    let resp = app.submit_raw(&id, &body, Some(&app.base)).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(
        header(&resp, "access-control-allow-origin").as_deref(),
        Some(app.base.as_str())
    );
}

#[tokio::test]
async fn an_unknown_consultation_answers_a_readable_404_to_any_origin() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(app.url("/api/v1/polls/nothing-here"))
        .header("Origin", "https://anyone.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(
        header(&resp, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[tokio::test]
async fn organiser_routes_send_no_cors_headers() {
    let app = spawn_app().await;
    let (_, tok) = app.open_poll().await;
    let resp = app
        .client
        .get(app.url("/api/v1/org/polls"))
        .bearer_auth(&tok)
        .header("Origin", PARTNER)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), None);
}
