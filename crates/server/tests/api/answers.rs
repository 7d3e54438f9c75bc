//! Managing answers: one read whole, one deleted (tallies, count and exports follow at once,
//! a replay is not stored again), all deleted, a consultation deleted (drafts at once, others
//! after typing the title), and the activity log that records who deleted how many.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn delete(app: &TestApp, path: &str, tok: &str) -> reqwest::Response {
    app.client
        .delete(app.url(path))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap()
}

async fn results(app: &TestApp, id: &str, tok: &str) -> Value {
    app.get(&format!("/api/v1/org/polls/{id}/results"), Some(tok))
        .await
        .json()
        .await
        .unwrap()
}

async fn activity(app: &TestApp, tok: &str) -> Vec<Value> {
    app.get("/api/v1/org/activity", Some(tok))
        .await
        .json()
        .await
        .unwrap()
}

fn other_answers() -> Value {
    json!({
        "venue": {"option": "non"},
        "stands": {"options": ["fromage"]},
        "note": {"rating": 2}
    })
}

#[tokio::test]
async fn one_answer_is_read_whole_then_deleted_with_its_share_of_the_results() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let (kept, gone) = (new_submission_id(), new_submission_id());
    assert_eq!(
        app.submit(&id, &kept, &sample_answers()).await.status(),
        201
    );
    assert_eq!(app.submit(&id, &gone, &other_answers()).await.status(), 201);
    assert_eq!(results(&app, &id, &tok).await["total"], 2);

    let path = format!("/api/v1/org/polls/{id}/responses/{gone}");
    let answer: Value = app.get(&path, Some(&tok)).await.json().await.unwrap();
    assert_eq!(answer["submission_id"], gone.as_str());
    assert_eq!(answer["answers"], other_answers());
    assert!(answer["received_at"].as_str().unwrap().ends_with('Z'));

    let resp = delete(&app, &path, &tok).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"deleted": 1, "responses": 1})
    );
    // The results are those of the answer left, as if the other had never come.
    let after = results(&app, &id, &tok).await;
    assert_eq!(after["total"], 1);
    let venue = &after["questions"][0];
    assert_eq!(venue["answered"], 1, "{after}");
    let export = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        export.contains(&kept) && !export.contains(&gone),
        "{export}"
    );
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(poll["responses"], 1);

    // Gone: reading or deleting it again is a 404 naming the answer.
    let resp = app.get(&path, Some(&tok)).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        problem(resp).await["type"],
        "urn:concerto:problem:answer-not-found"
    );
    assert_eq!(delete(&app, &path, &tok).await.status(), 404);

    // The device that sent it may send it again from its outbox: it is told the answer was
    // received (so it stops), and nothing is stored again.
    let resp = app.submit(&id, &gone, &other_answers()).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    assert_eq!(results(&app, &id, &tok).await["total"], 1);

    // Recorded: by the organisation's token, one answer, nothing of what it said.
    let log = activity(&app, &tok).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["kind"], "answer_deleted");
    assert_eq!(log[0]["answers"], 1);
    assert_eq!(log[0]["poll_id"], id.as_str());
    assert_eq!(log[0]["poll_title"], "Le marché du samedi");
    assert_eq!(log[0]["actor"], json!({"name": null, "email": null}));
    assert!(!log[0].to_string().contains("fromage"));
}

#[tokio::test]
async fn every_answer_is_deleted_at_once_and_the_organiser_who_did_it_is_recorded() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    for _ in 0..3 {
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await;
    }
    let organiser = app.organiser(&tok).await;
    let resp = app
        .with_cookie(
            Method::DELETE,
            &format!("/api/v1/org/polls/{id}/responses"),
            &organiser.cookie,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"deleted": 3, "responses": 0})
    );
    let after = results(&app, &id, &tok).await;
    assert_eq!(after["total"], 0);
    assert!(
        after["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["answered"] == 0),
        "{after}"
    );
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["answers"], json!([]));
    // New answers still come in.
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );
    assert_eq!(results(&app, &id, &tok).await["total"], 1);

    let log = activity(&app, &tok).await;
    assert_eq!(log[0]["kind"], "answers_deleted");
    assert_eq!(log[0]["answers"], 3);
    assert_eq!(log[0]["actor"]["email"], organiser.email.as_str());
    assert!(log[0]["actor"]["name"].is_string());
}

#[tokio::test]
async fn a_draft_is_deleted_at_once_an_opened_consultation_only_with_its_title_typed() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let draft = app.create_poll(&tok, &sample_spec()).await;
    let resp = delete(&app, &format!("/api/v1/org/polls/{draft}"), &tok).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"deleted_answers": 0})
    );
    assert_eq!(
        app.get(&format!("/api/v1/org/polls/{draft}"), Some(&tok))
            .await
            .status(),
        404
    );

    let id = app.create_poll(&tok, &sample_spec()).await;
    assert_eq!(app.action(&tok, &id, "open").await.status(), 200);
    app.submit(&id, &new_submission_id(), &sample_answers())
        .await;
    for (query, code) in [("", "required"), ("?confirm=Le%20march%C3%A9", "mismatch")] {
        let resp = delete(&app, &format!("/api/v1/org/polls/{id}{query}"), &tok).await;
        assert_eq!(resp.status(), 422, "{query}");
        let p = problem(resp).await;
        assert_eq!(fields(&p), vec!["confirm"]);
        assert_eq!(p["errors"][0]["code"], code);
    }
    assert_eq!(
        results(&app, &id, &tok).await["total"],
        1,
        "nothing deleted yet"
    );
    let resp = delete(
        &app,
        &format!("/api/v1/org/polls/{id}?confirm=Le%20march%C3%A9%20du%20samedi"),
        &tok,
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"deleted_answers": 1})
    );
    assert_eq!(
        app.get(&format!("/api/v1/polls/{id}"), None).await.status(),
        404
    );
    let list: Vec<Value> = app
        .get("/api/v1/org/polls", Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());

    let log = activity(&app, &tok).await;
    let kinds: Vec<&str> = log.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["consultation_deleted", "consultation_deleted"]);
    assert_eq!(log[0]["answers"], 1);
    assert_eq!(log[0]["poll_title"], "Le marché du samedi");
}

#[tokio::test]
async fn another_organisations_log_stays_its_own() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    app.submit(&id, &sid, &sample_answers()).await;
    assert_eq!(
        delete(
            &app,
            &format!("/api/v1/org/polls/{id}/responses/{sid}"),
            &tok
        )
        .await
        .status(),
        200
    );
    let (_, other) = app.org("Autre").await;
    assert_eq!(activity(&app, &other).await, Vec::<Value>::new());
    assert_eq!(activity(&app, &tok).await.len(), 1);
    // A malformed submission id cannot exist.
    let resp = delete(
        &app,
        &format!("/api/v1/org/polls/{id}/responses/nope"),
        &tok,
    )
    .await;
    assert_eq!(resp.status(), 404);
    problem(resp).await;
}

#[tokio::test]
async fn the_answers_list_goes_newest_first_a_page_at_a_time_filtered_by_answer_and_day() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let mut sent = Vec::new();
    for i in 0..5 {
        let sid = new_submission_id();
        let answers = if i % 2 == 0 {
            sample_answers()
        } else {
            other_answers()
        };
        assert_eq!(app.submit(&id, &sid, &answers).await.status(), 201);
        sent.push(sid);
    }
    let list = |query: &str| {
        let path = format!("/api/v1/org/polls/{id}/responses{query}");
        let (app, tok) = (&app, &tok);
        async move { app.get(&path, Some(tok)).await }
    };
    let json_page = |query: String| {
        let list = &list;
        async move { list(&query).await.json::<Value>().await.unwrap() }
    };
    let page = json_page("?limit=2".to_owned()).await;
    assert_eq!(page["total"], 5);
    let ids: Vec<&str> = page["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["submission_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [sent[4].as_str(), sent[3].as_str()], "newest first");
    assert_eq!(page["responses"][0]["answers"], sample_answers());
    let next = page["next"].as_i64().unwrap();
    let page = json_page(format!("?limit=2&before={next}")).await;
    assert_eq!(page["responses"][0]["submission_id"], sent[2].as_str());
    let next = page["next"].as_i64().unwrap();
    let page = json_page(format!("?limit=2&before={next}")).await;
    assert_eq!(page["responses"].as_array().unwrap().len(), 1);
    assert_eq!(page["next"], Value::Null);

    // By a choice question's answer: a single choice, a multiple choice.
    let page = json_page("?answer=venue:non".to_owned()).await;
    assert_eq!(page["total"], 2);
    let page = json_page("?answer=stands:pain".to_owned()).await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["responses"][0]["submission_id"], sent[4].as_str());
    let page = json_page("?answer=venue:other".to_owned()).await;
    assert_eq!(page["total"], 0);

    // By day, in the server's time zone: today holds them all, yesterday none.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .date();
    let yesterday = today.yesterday().unwrap();
    let page = json_page(format!("?from={today}&to={today}")).await;
    assert_eq!(page["total"], 5);
    let page = json_page(format!("?to={yesterday}")).await;
    assert_eq!(page["total"], 0);
    let page = json_page(format!("?from={today}&answer=venue:oui")).await;
    assert_eq!(page["total"], 3);

    // Bad parameters are 400s naming them.
    for (query, field) in [
        ("?answer=venue:peut-etre", "answer"),
        ("?answer=note:3", "answer"),
        ("?answer=nope", "answer"),
        ("?from=hier", "from"),
        ("?to=2026-02-30", "to"),
        ("?limit=0", "limit"),
        ("?before=x", "before"),
    ] {
        let resp = list(query).await;
        assert_eq!(resp.status(), 400, "{query}");
        assert_eq!(fields(&problem(resp).await), vec![field], "{query}");
    }
}
