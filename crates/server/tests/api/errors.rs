//! Bad input of every kind gets a 4xx problem+json naming the faulty field, never a 500.

use crate::helpers::*;
use serde_json::json;

async fn post_bytes(
    app: &TestApp,
    path: &str,
    body: &'static str,
    content_type: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("content-type", content_type)
        .header("Origin", PARTNER)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_the_body() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = post_bytes(
        &app,
        &format!("/api/v1/polls/{id}/responses"),
        "{\"submission_id\":",
        "application/json",
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(fields(&problem(resp).await), vec!["body"]);
}

#[tokio::test]
async fn wrong_types_are_a_400_naming_the_field() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    for (body, field) in [
        (json!({"submission_id": 42, "answers": {}}), "submission_id"),
        (
            json!({"submission_id": "not-a-uuid", "answers": {}}),
            "submission_id",
        ),
        (
            json!({"submission_id": new_submission_id(), "answers": []}),
            "answers",
        ),
        (
            json!({"submission_id": new_submission_id(), "answers": {}, "extra": 1}),
            "extra",
        ),
    ] {
        let resp = app.submit_raw(&id, &body, Some(PARTNER)).await;
        assert_eq!(resp.status(), 400, "{body}");
        assert_eq!(fields(&problem(resp).await), vec![field], "{body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = post_bytes(
        &app,
        &format!("/api/v1/polls/{id}/responses"),
        "venue=oui",
        "application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(resp.status(), 415);
    assert_eq!(fields(&problem(resp).await), vec!["Content-Type"]);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let big = json!({"submission_id": new_submission_id(), "answers": {"idee": {"text": "x".repeat(200_000)}}});
    let resp = app.submit_raw(&id, &big, Some(PARTNER)).await;
    assert_eq!(resp.status(), 413);
    problem(resp).await;
}

#[tokio::test]
async fn unknown_and_malformed_consultation_ids_are_404() {
    let app = spawn_app().await;
    for id in ["missing", "bad%20id", "%3Cscript%3E"] {
        let resp = app.get(&format!("/api/v1/polls/{id}"), None).await;
        assert_eq!(resp.status(), 404, "{id}");
        problem(resp).await;
        let body = json!({"submission_id": new_submission_id(), "answers": {}});
        assert_eq!(app.submit_raw(id, &body, None).await.status(), 404);
    }
}

#[tokio::test]
async fn path_segments_that_are_not_utf8_are_a_400_naming_the_parameter() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    // Every kind of route: public (behind the CORS check), the standalone and embed pages,
    // and an organiser's.
    for (path, token) in [
        ("/api/v1/polls/%ff", None),
        ("/api/v1/polls/%ff/view?lang=fr", None),
        ("/p/%ff", None),
        ("/embed/%c3%28", None),
        ("/api/v1/org/polls/%ff", Some(tok.as_str())),
    ] {
        let resp = app.get(path, token).await;
        assert_eq!(resp.status(), 400, "{path}");
        let problem = problem(resp).await;
        assert_eq!(fields(&problem), ["id"], "{path}: {problem}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_problem_json() {
    let app = spawn_app().await;
    let resp = app.get("/api/v1/nope", None).await;
    assert_eq!(resp.status(), 404);
    problem(resp).await;
    let resp = app
        .client
        .delete(app.url("/api/v1/polls/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    problem(resp).await;
}

#[tokio::test]
async fn an_invalid_consultation_is_a_422_with_one_entry_per_field() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let mut spec = sample_spec();
    spec["title"] = json!("");
    spec["questions"][0]["options"] = json!([{"id": "a", "label": "A"}]);
    spec["questions"][2]["max"] = json!(42);
    let resp = app
        .client
        .post(app.url("/api/v1/org/polls"))
        .bearer_auth(&tok)
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert_eq!(
        fields(&problem(resp).await),
        vec!["title", "questions[0].options", "questions[2].max"]
    );
}

#[tokio::test]
async fn a_bad_origin_in_a_consultation_is_a_400_naming_it() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let mut spec = sample_spec();
    spec["allowed_origins"] = json!(["https://ok.example", "javascript:alert(1)"]);
    let resp = app
        .client
        .post(app.url("/api/v1/org/polls"))
        .bearer_auth(&tok)
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(fields(&problem(resp).await), vec!["allowed_origins[1]"]);
}

#[tokio::test]
async fn replays_are_never_refused_nor_counted_by_the_answer_limit() {
    let app = spawn_app_with(|s| {
        s.answers_burst = 3;
        s.answers_per_minute = 1;
    })
    .await;
    let (id, _) = app.open_poll().await;
    let first = new_submission_id();
    assert_eq!(
        app.submit(&id, &first, &sample_answers()).await.status(),
        201
    );
    // A device's outbox sending the same answer again and again costs nothing...
    for _ in 0..10 {
        let resp = app.submit(&id, &first, &sample_answers()).await;
        assert_eq!(resp.status(), 201);
        assert_eq!(resp.headers()["idempotent-replayed"], "true");
    }
    // ...so two new answers still fit in the burst of three, and a fourth does not.
    for _ in 0..2 {
        let resp = app
            .submit(&id, &new_submission_id(), &sample_answers())
            .await;
        assert_eq!(resp.status(), 201);
    }
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 429);
    // Over the limit, a replay is still acknowledged.
    let resp = app.submit(&id, &first, &sample_answers()).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
}

/// An answer sent as if forwarded for `client`.
async fn submit_for(app: &TestApp, id: &str, client: &str) -> u16 {
    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers()});
    app.client
        .post(app.url(&format!("/api/v1/polls/{id}/responses")))
        .header("x-forwarded-for", client)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_resident_has_their_own_answer_limit() {
    let app = spawn_app_with(|s| {
        s.answers_burst = 1;
        s.answers_per_minute = 1;
        s.trusted_proxy = "127.0.0.1/32".into();
    })
    .await;
    let (id, _) = app.open_poll().await;
    assert_eq!(submit_for(&app, &id, "203.0.113.1").await, 201);
    assert_eq!(submit_for(&app, &id, "203.0.113.1").await, 429);
    // Another resident behind the same proxy.
    assert_eq!(submit_for(&app, &id, "203.0.113.2").await, 201);
}

#[tokio::test]
async fn forwarding_headers_from_anyone_else_are_ignored() {
    let app = spawn_app_with(|s| {
        s.answers_burst = 1;
        s.answers_per_minute = 1;
    })
    .await;
    let (id, _) = app.open_poll().await;
    assert_eq!(submit_for(&app, &id, "203.0.113.1").await, 201);
    // A client making up addresses is still one client.
    assert_eq!(submit_for(&app, &id, "203.0.113.2").await, 429);
}

#[tokio::test]
async fn too_many_answers_from_one_address_are_a_429() {
    let app = spawn_app_with(|s| {
        s.answers_burst = 2;
        s.answers_per_minute = 1;
    })
    .await;
    let (id, _) = app.open_poll().await;
    for _ in 0..2 {
        let resp = app
            .submit(&id, &new_submission_id(), &sample_answers())
            .await;
        assert_eq!(resp.status(), 201);
    }
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "60");
    problem(resp).await;
    // Reading is not limited.
    assert_eq!(
        app.get(&format!("/api/v1/polls/{id}"), None).await.status(),
        200
    );
}
