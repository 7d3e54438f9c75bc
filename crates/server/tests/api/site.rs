//! The widget bundle and the standalone page.

use crate::helpers::*;

#[tokio::test]
async fn the_bundle_is_served_cross_origin_with_the_right_types() {
    let bundle = tempfile::tempdir().unwrap();
    std::fs::write(bundle.path().join("embed.js"), "/* loader */").unwrap();
    std::fs::write(bundle.path().join("concerto-widget_bg.wasm"), b"\0asm").unwrap();
    let dir = bundle.path().to_path_buf();
    let app = spawn_app_with(move |s| s.widget_dir = dir).await;

    let resp = app.get("/embed.js", None).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        resp.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );

    let resp = app.get("/widget/concerto-widget_bg.wasm", None).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/wasm");
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn the_standalone_page_holds_the_widget_under_a_strict_policy() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = app
        .client
        .get(app.url(&format!("/p/{id}?lang=en")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("data-concerto-poll=\"{id}\"")));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("src=\"/embed.js\""));
    assert!(html.contains("<title>Le marché du samedi – Concerto</title>"));
    assert!(html.contains(">Le marché du samedi</h1>"));

    let resp = app
        .client
        .get(app.url(&format!("/p/{id}")))
        .header("Accept-Language", "de-DE, en;q=0.8")
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_standalone_page_of_a_draft_or_unknown_consultation_is_404() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let draft = app.create_poll(&tok, &sample_spec()).await;
    assert_eq!(app.get(&format!("/p/{draft}"), None).await.status(), 404);
    assert_eq!(app.get("/p/nothing", None).await.status(), 404);
    assert_eq!(app.get("/p/%3Cb%3E", None).await.status(), 404);
}

#[tokio::test]
async fn the_first_view_is_the_form_rendered_with_its_definition_for_allowed_partners() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let html = app
        .partner_html(&format!("/api/v1/polls/{id}/view?lang=en"))
        .await;
    assert!(html.starts_with(r#"<script type="application/json" data-concerto-definition>"#));
    assert!(html.contains(r#"data-testid="question-venue""#));
    assert!(html.contains("Send my answers"));
    // Cacheable for a few seconds, so it must not hand out a submission id.
    assert!(html.contains(r#"name="submission.id" value="""#), "{html}");

    // Another site gets no CORS headers; an unknown consultation is a readable 404.
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/polls/{id}/view")))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        app.get("/api/v1/polls/nothing/view", None).await.status(),
        404
    );

    // Sent compressed to browsers that accept it: it is on the way to the first paint.
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/polls/{id}/view")))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn the_first_view_carries_the_stylesheet_as_inert_text_when_the_bundle_has_one() {
    let bundle = tempfile::tempdir().unwrap();
    std::fs::write(
        bundle.path().join("widget.css"),
        ".cc-root { color: teal; }\n",
    )
    .unwrap();
    let dir = bundle.path().to_owned();
    let app = spawn_app_with(move |s| s.widget_dir = dir).await;
    let (id, _) = app.open_poll().await;
    let html = app
        .get(&format!("/api/v1/polls/{id}/view"), None)
        .await
        .text()
        .await
        .unwrap();
    // First, so that embed.js styles the view without fetching the file.
    assert!(html.starts_with(
        "<script type=\"text/css\" data-concerto-style>.cc-root { color: teal; }\n</script>\
         <script type=\"application/json\" data-concerto-definition>"
    ));
    // A stylesheet that could end the element is not put in it.
    std::fs::write(bundle.path().join("widget.css"), "a{} </script><b>").unwrap();
    let html = app
        .get(&format!("/api/v1/polls/{id}/view"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.starts_with(r#"<script type="application/json" data-concerto-definition>"#));
}

#[tokio::test]
async fn the_standalone_page_carries_the_form_in_a_declarative_shadow_root() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = app.get(&format!("/p/{id}"), None).await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("form-action 'self'"));
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"<template shadowrootmode="open">"#));
    // No bundle in this test's widget directory: the stylesheet is linked, not inlined.
    assert!(html.contains(r#"<link rel="stylesheet" href="/widget/widget.css">"#));
    assert!(html.contains(&format!(r#"method="post" action="/p/{id}?lang=fr""#)));
    assert!(html.contains("Envoyer mes réponses"));
}

/// Posts `fields` to the standalone page as a browser form would.
async fn post_form(app: &TestApp, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/p/{id}")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_form_posted_without_script_is_checked_stored_once_and_thanked() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();

    let resp = post_form(&app, &id, &[("submission.id", &sid), ("note", "9")]).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"data-testid="error-venue""#), "{html}");
    assert!(html.contains(r#"data-testid="error-note""#));
    assert!(html.contains(&format!(r#"value="{sid}""#)));
    assert!(
        !html.contains("embed.js"),
        "a page sent back without script needs none"
    );

    let answer = [
        ("submission.id", sid.as_str()),
        ("venue", ":other"),
        ("venue.other", "le marché couvert"),
        ("note", "4"),
    ];
    for _ in 0..2 {
        let resp = post_form(&app, &id, &answer).await;
        assert_eq!(resp.status(), 200);
        assert!(
            resp.text()
                .await
                .unwrap()
                .contains(r#"data-testid="thanks""#)
        );
    }
    let results = app
        .get(&format!("/api/v1/org/polls/{id}/results"), Some(&tok))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(results["total"], 1);
}

#[tokio::test]
async fn a_bad_form_post_is_a_problem_naming_its_field() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;

    let resp = post_form(&app, &id, &[("venue", "oui"), ("note", "3")]).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "submission.id");

    let resp = app
        .client
        .post(app.url(&format!("/p/{id}")))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 415);

    let resp = app
        .client
        .post(app.url(&format!("/p/{id}")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "https://evil.example")
        .body("note=3")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.get("/p/nothing", None).await.status(), 404);
}

#[tokio::test]
async fn a_closed_consultation_s_first_view_says_so() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    assert_eq!(app.action(&tok, &id, "close").await.status(), 200);
    let html = app
        .get(&format!("/api/v1/polls/{id}/view?lang=en"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-testid="state-closed""#), "{html}");
    assert!(html.contains("This consultation is closed"));
    assert!(!html.contains("<form"));
    let page = app
        .get(&format!("/p/{id}"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-testid="state-closed""#));
}

#[tokio::test]
async fn a_question_called_submission_id_keeps_its_own_form_field() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["questions"] = serde_json::json!([{"id": "submission_id", "prompt": "Votre note",
        "required": true, "kind": "rating", "min": 1, "max": 5}]);
    let id = app.create_poll(&tok, &spec).await;
    assert_eq!(app.action(&tok, &id, "open").await.status(), 200);
    let sid = new_submission_id();
    let resp = post_form(
        &app,
        &id,
        &[("submission.id", &sid), ("submission_id", "4")],
    )
    .await;
    assert_eq!(resp.status(), 200);
    let stored: serde_json::Value = app
        .get(
            &format!("/api/v1/org/polls/{id}/responses/{sid}"),
            Some(&tok),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored["answers"]["submission_id"],
        serde_json::json!({"rating": 4})
    );
}

#[tokio::test]
async fn a_malformed_query_on_the_public_pages_is_a_problem_naming_it() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    for path in [
        format!("/p/{id}?lang=fr&lang=en"),
        format!("/api/v1/polls/{id}/view?lang=fr&lang=en"),
        format!("/api/v1/polls/{id}/results/view?lang=fr&lang=en"),
    ] {
        let resp = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{path}");
        assert_eq!(fields(&problem(resp).await), ["query"], "{path}");
    }
}
