//! Participation codes: one answer per code, a replay uses none, and nothing links an answer
//! to the code it used.

use crate::helpers::*;
use serde_json::{Value, json};

/// An open consultation asking for a code, its organiser's token, and `n` codes for it.
async fn with_codes(app: &TestApp, n: u32) -> (String, String, Vec<String>) {
    let (_, tok) = app.org("Conseil de quartier").await;
    let mut spec = sample_spec();
    spec["participation"] = json!("one_answer_per_code");
    let id = app.create_poll(&tok, &spec).await;
    assert_eq!(app.action(&tok, &id, "open").await.status(), 200);
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/org/polls/{id}/codes")))
        .bearer_auth(&tok)
        .json(&json!({ "count": n }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let issued: Value = resp.json().await.unwrap();
    assert_eq!(issued["counts"], json!({"total": n, "used": 0}));
    let codes: Vec<String> = issued["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), n as usize);
    (id, tok, codes)
}

async fn send(app: &TestApp, id: &str, sid: &str, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({ "submission_id": sid, "answers": sample_answers() });
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    app.submit_raw(id, &body, None).await
}

async fn counts(app: &TestApp, id: &str, tok: &str) -> Value {
    app.get(&format!("/api/v1/org/polls/{id}/codes"), Some(tok))
        .await
        .json()
        .await
        .unwrap()
}

async fn refused_code(resp: reqwest::Response, status: u16, code: &str) {
    assert_eq!(resp.status(), status);
    let problem = problem(resp).await;
    assert_eq!(problem["errors"][0]["field"], "code", "{problem}");
    assert_eq!(problem["errors"][0]["code"], code, "{problem}");
}

#[tokio::test]
async fn a_code_is_accepted_once_and_a_replay_of_its_answer_uses_nothing() {
    let app = spawn_app().await;
    let (id, tok, codes) = with_codes(&app, 3).await;
    let codes_are_unique: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(codes_are_unique.len(), 3);

    let sid = new_submission_id();
    assert_eq!(send(&app, &id, &sid, Some(&codes[0])).await.status(), 201);
    // The outbox sending it again: the same receipt, the code still counted once.
    let replay = send(&app, &id, &sid, Some(&codes[0])).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(
        counts(&app, &id, &tok).await,
        json!({"total": 3, "used": 1})
    );

    // Another answer with the same code: refused, and nothing more stored.
    refused_code(
        send(&app, &id, &new_submission_id(), Some(&codes[0])).await,
        409,
        "used",
    )
    .await;
    // Typed in lower case without its dash: the same code.
    let typed = codes[1].replace('-', "").to_lowercase();
    assert_eq!(
        send(&app, &id, &new_submission_id(), Some(&typed))
            .await
            .status(),
        201
    );
    assert_eq!(
        counts(&app, &id, &tok).await,
        json!({"total": 3, "used": 2})
    );
    let results: Value = app
        .get(&format!("/api/v1/org/polls/{id}/results"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["total"], 2);
}

#[tokio::test]
async fn missing_mistyped_and_unknown_codes_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let (id, tok, codes) = with_codes(&app, 1).await;
    refused_code(
        send(&app, &id, &new_submission_id(), None).await,
        422,
        "required",
    )
    .await;
    refused_code(
        send(&app, &id, &new_submission_id(), Some("  ")).await,
        422,
        "required",
    )
    .await;
    refused_code(
        send(&app, &id, &new_submission_id(), Some("K7M")).await,
        422,
        "format",
    )
    .await;
    // The last character changed: the check character catches it.
    let mut typo = codes[0].clone();
    let last = typo.pop().unwrap();
    typo.push(if last == '3' { '4' } else { '3' });
    refused_code(
        send(&app, &id, &new_submission_id(), Some(&typo)).await,
        422,
        "typo",
    )
    .await;
    // A well-formed code of another consultation.
    let (_, _, others) = with_codes(&app, 1).await;
    refused_code(
        send(&app, &id, &new_submission_id(), Some(&others[0])).await,
        422,
        "unknown",
    )
    .await;
    assert_eq!(
        counts(&app, &id, &tok).await,
        json!({"total": 1, "used": 0})
    );
}

#[tokio::test]
async fn the_same_code_sent_twice_at_once_stores_one_answer() {
    let app = spawn_app().await;
    let (id, tok, codes) = with_codes(&app, 1).await;
    let sids: Vec<String> = (0..8).map(|_| new_submission_id()).collect();
    let sends = sids.iter().map(|sid| send(&app, &id, sid, Some(&codes[0])));
    let statuses: Vec<u16> = futures_util::future::join_all(sends)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(
        counts(&app, &id, &tok).await,
        json!({"total": 1, "used": 1})
    );
}

#[tokio::test]
async fn nothing_links_an_answer_to_its_code_in_the_database_or_the_exports() {
    let app = spawn_app().await;
    let (id, tok, codes) = with_codes(&app, 2).await;
    assert_eq!(
        send(&app, &id, &new_submission_id(), Some(&codes[0]))
            .await
            .status(),
        201
    );
    let canonical = codes[0].replace('-', "");
    for format in ["csv", "json", "ods", "xlsx"] {
        let body = app
            .get(
                &format!("/api/v1/org/polls/{id}/export.{format}"),
                Some(&tok),
            )
            .await
            .bytes()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains(&codes[0]) && !text.contains(&canonical),
            "{format}"
        );
    }
    let db = rusqlite::Connection::open(app.data_dir.join("concerto.sqlite3")).unwrap();
    let columns = |table: &str| -> Vec<String> {
        let mut stmt = db.prepare(&format!("PRAGMA table_info({table})")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        columns("participation_codes"),
        ["poll_id", "code_hash", "used"]
    );
    assert!(!columns("responses").iter().any(|c| c.contains("code")));
    // Neither the code nor its hash is anywhere in the answers' rows.
    let hashes: Vec<String> = db
        .prepare("SELECT code_hash FROM participation_codes")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let rows: Vec<String> = db
        .prepare("SELECT submission_id || fingerprint || answers || received_at FROM responses")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1);
    for row in &rows {
        assert!(!row.contains(&canonical));
        assert!(hashes.iter().all(|h| !row.contains(h.as_str())));
    }
}

#[tokio::test]
async fn codes_are_made_for_the_organiser_s_own_consultations_within_bounds() {
    let app = spawn_app().await;
    let (id, tok, _) = with_codes(&app, 1).await;
    for count in [0, 5001] {
        let resp = app
            .client
            .post(app.url(&format!("/api/v1/org/polls/{id}/codes")))
            .bearer_auth(&tok)
            .json(&json!({ "count": count }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422);
        assert_eq!(fields(&problem(resp).await), ["count"]);
    }
    let (_, other) = app.org("Une autre association").await;
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/org/polls/{id}/codes")))
        .bearer_auth(&other)
        .json(&json!({ "count": 3 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(
        app.get(&format!("/api/v1/org/polls/{id}/codes"), Some(&other))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_consultation_without_codes_ignores_one_sent_anyway() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    assert_eq!(
        send(&app, &id, &new_submission_id(), Some("K7M-3QX"))
            .await
            .status(),
        201
    );
}
