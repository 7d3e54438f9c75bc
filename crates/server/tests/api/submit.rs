//! Answering a consultation: storing, reading back, retries and validation.

use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn an_answer_is_stored_and_counted_in_the_results() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let sid = new_submission_id();
    let resp = app.submit(&id, &sid, &sample_answers()).await;
    assert_eq!(resp.status(), 201);
    let receipt: Value = resp.json().await.unwrap();
    assert_eq!(receipt["submission_id"], sid.as_str());
    assert!(receipt["received_at"].is_string());

    let results: Value = app
        .get(&format!("/api/v1/polls/{id}/results"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["total"], 1);
    let venue = &results["questions"][0];
    assert_eq!(venue["answered"], 1);
    assert_eq!(
        venue["tally"]["options"][0],
        json!({"option": "oui", "count": 1})
    );
    let note = &results["questions"][2]["tally"]["buckets"];
    assert_eq!(note[3], json!({"value": 4, "count": 1}));
    assert_eq!(results["questions"][4]["answered"], 1);
}

#[tokio::test]
async fn the_public_definition_shows_questions_and_status_but_nothing_private() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = app.get(&format!("/api/v1/polls/{id}"), None).await;
    assert_eq!(resp.status(), 200);
    let poll: Value = resp.json().await.unwrap();
    assert_eq!(poll["status"], "open");
    assert_eq!(poll["questions"].as_array().unwrap().len(), 5);
    assert_eq!(poll["questions"][2]["kind"], "rating");
    assert!(poll.get("allowed_origins").is_none());
    assert!(poll.get("org").is_none());
}

#[tokio::test]
async fn a_retry_with_the_same_id_and_answers_returns_the_first_receipt_and_stores_nothing() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    let first: Value = app
        .submit(&id, &sid, &sample_answers())
        .await
        .json()
        .await
        .unwrap();
    let retry = app.submit(&id, &sid, &sample_answers()).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let second: Value = retry.json().await.unwrap();
    assert_eq!(first, second);

    let results: Value = app
        .get(&format!("/api/v1/org/polls/{id}/results"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["total"], 1);
    let export = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(export["answers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_retries_of_one_answer_store_it_once() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    let answers = sample_answers();
    let sends = (0..10).map(|_| app.submit(&id, &sid, &answers));
    for resp in futures_util::future::join_all(sends).await {
        assert_eq!(resp.status(), 201);
    }
    let results: Value = app
        .get(&format!("/api/v1/org/polls/{id}/results"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["total"], 1);
}

#[tokio::test]
async fn the_same_id_with_other_answers_is_refused() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let sid = new_submission_id();
    assert_eq!(app.submit(&id, &sid, &sample_answers()).await.status(), 201);
    let mut other = sample_answers();
    other["note"] = json!({"rating": 1});
    let resp = app.submit(&id, &sid, &other).await;
    assert_eq!(resp.status(), 409);
    assert_eq!(fields(&problem(resp).await), vec!["submission_id"]);
}

#[tokio::test]
async fn each_faulty_answer_is_reported_by_its_field() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let answers = json!({
        "venue": {"option": "peut-etre"},
        "stands": {"options": ["fruits", "fromage", "pain"]},
        "note": {"rating": 6},
        "nom": {"text": "x".repeat(21)},
        "idee": {"rating": 3},
        "inconnue": {"text": "?"}
    });
    let resp = app.submit(&id, &new_submission_id(), &answers).await;
    assert_eq!(resp.status(), 422);
    let p = problem(resp).await;
    assert_eq!(
        fields(&p),
        vec![
            "answers.venue",
            "answers.stands",
            "answers.note",
            "answers.nom",
            "answers.idee",
            "answers.inconnue"
        ]
    );
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec![
            "unknown_option",
            "too_many",
            "out_of_range",
            "too_long",
            "wrong_shape",
            "unknown_question"
        ]
    );
    assert_eq!(p["errors"][3]["max"], 20);
}

#[tokio::test]
async fn missing_required_answers_are_reported() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = app.submit(&id, &new_submission_id(), &json!({})).await;
    assert_eq!(resp.status(), 422);
    let p = problem(resp).await;
    assert_eq!(fields(&p), vec!["answers.venue", "answers.note"]);
    assert_eq!(p["errors"][0]["code"], "required");
}

#[tokio::test]
async fn drafts_are_invisible_to_residents() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let id = app.create_poll(&tok, &sample_spec()).await;
    for path in [
        format!("/api/v1/polls/{id}"),
        format!("/api/v1/polls/{id}/results"),
    ] {
        let resp = app.get(&path, None).await;
        assert_eq!(resp.status(), 404, "{path}");
        problem(resp).await;
    }
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn a_closed_consultation_refuses_new_answers_but_still_acknowledges_retries() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    assert_eq!(app.submit(&id, &sid, &sample_answers()).await.status(), 201);
    assert_eq!(app.action(&tok, &id, "close").await.status(), 200);

    let poll: Value = app
        .get(&format!("/api/v1/polls/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(poll["status"], "closed");
    assert_eq!(app.submit(&id, &sid, &sample_answers()).await.status(), 201);
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 409);
    assert_eq!(problem(resp).await["errors"][0]["code"], "closed");
}

#[tokio::test]
async fn a_consultation_not_yet_open_says_so() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["opens_at"] = json!("2999-01-01T00:00:00Z");
    let id = app.create_poll(&tok, &spec).await;
    app.action(&tok, &id, "open").await;
    let poll: Value = app
        .get(&format!("/api/v1/polls/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(poll["status"], "not_yet_open");
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 409);
    assert_eq!(problem(resp).await["errors"][0]["code"], "not_yet_open");
}

#[tokio::test]
async fn results_are_shown_only_where_the_visibility_allows() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    for (visibility, open_status, closed_status) in [
        ("after_answering", 200, 200),
        ("after_closing", 403, 200),
        ("organisers_only", 403, 403),
    ] {
        let mut spec = sample_spec();
        spec["results_visibility"] = json!(visibility);
        let id = app.create_poll(&tok, &spec).await;
        app.action(&tok, &id, "open").await;
        // The tallies and the HTML the widget shows follow the same rule.
        for path in [
            format!("/api/v1/polls/{id}/results"),
            format!("/api/v1/polls/{id}/results/view"),
        ] {
            assert_eq!(
                app.get(&path, None).await.status(),
                open_status,
                "{visibility} open {path}"
            );
        }
        app.action(&tok, &id, "close").await;
        for path in [
            format!("/api/v1/polls/{id}/results"),
            format!("/api/v1/polls/{id}/results/view"),
        ] {
            assert_eq!(
                app.get(&path, None).await.status(),
                closed_status,
                "{visibility} closed {path}"
            );
        }
        let org_path = format!("/api/v1/org/polls/{id}/results");
        assert_eq!(app.get(&org_path, Some(&tok)).await.status(), 200);
    }
}

#[tokio::test]
async fn the_results_view_is_the_widget_s_markup_with_escaped_labels_and_no_inline_style() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["questions"][0]["options"][0]["label"] = json!("<b>Oui</b>");
    let id = app.create_poll(&tok, &spec).await;
    app.action(&tok, &id, "open").await;
    app.submit(&id, &new_submission_id(), &sample_answers())
        .await;

    let html = app
        .partner_html(&format!("/api/v1/polls/{id}/results/view?lang=en"))
        .await;
    assert!(html.contains(r#"data-testid="results-total""#), "{html}");
    assert!(html.contains("1 respondent"), "{html}");
    assert!(html.contains("&lt;b&gt;Oui&lt;/b&gt;"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    // A partner's strict CSP refuses inline styles: the widget sets lengths itself.
    assert!(html.contains(r#"data-percent="100""#), "{html}");
    assert!(!html.contains("style="), "{html}");

    assert_eq!(
        app.get("/api/v1/polls/nothing/results/view", None)
            .await
            .status(),
        404
    );
}

/// The consultation changed behind this server's back (as another server sharing its
/// database would change it): an answer checked against the remembered version is checked
/// again against the new one, and a close is honoured at once.
#[tokio::test]
async fn answers_checked_against_an_outdated_consultation_are_checked_again() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    // Remembered by the server.
    assert_eq!(
        app.get(&format!("/api/v1/polls/{id}"), None).await.status(),
        200
    );
    let poll_id = concerto_core::PollId::parse(id.as_str()).unwrap();
    let stored = app.store.poll(&poll_id).await.unwrap().unwrap();
    let mut spec = stored.spec.clone();
    spec.title = concerto_core::Text::from("Nouveau titre");
    app.store
        .update_poll(&stored.org, &poll_id, &spec)
        .await
        .unwrap();
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(resp.status(), 201);
    app.store
        .set_state(&stored.org, &poll_id, concerto_core::PollState::Closed)
        .await
        .unwrap();
    let resp = app
        .submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(
        resp.status(),
        409,
        "closed is closed, whatever the server remembered"
    );
    assert_eq!(
        app.store.poll(&poll_id).await.unwrap().unwrap().responses,
        1
    );
}
