//! Exports: CSV that a CSV reader reads back, formulas neutralised, and streaming.

use crate::helpers::*;
use concerto_core::{PollId, SubmissionId, validate};
use concerto_server::token;
use futures_util::StreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn the_csv_export_round_trips_through_a_csv_reader_with_formulas_neutralised() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    let answers = json!({
        "venue": {"other": "=HYPERLINK(\"http://evil.example\",\"clic\")"},
        "stands": {"options": ["fromage"]},
        "note": {"rating": 5},
        "nom": {"text": "@Zoé, \"la\" voisine"},
        "idee": {"text": "+33 6 12 34 56 78\nsur deux lignes"}
    });
    assert_eq!(app.submit(&id, &sid, &answers).await.status(), 201);
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = resp.text().await.unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 line ends");

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        vec![
            "submission_id",
            "received_at",
            "Venez-vous au marché ?",
            "Venez-vous au marché ? (other)",
            "Quels stands ?",
            "Votre note",
            "Votre prénom",
            "Une idée ?"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    let row = &rows[0];
    assert_eq!(row[0], sid);
    assert_eq!(row[2], "");
    assert_eq!(row[3], "'=HYPERLINK(\"http://evil.example\",\"clic\")");
    assert_eq!(row[4], "Fromage");
    assert_eq!(row[5], "5");
    assert_eq!(row[6], "'@Zoé, \"la\" voisine");
    assert_eq!(row[7], "'+33 6 12 34 56 78\nsur deux lignes");
    assert_eq!(rows[1][2], "Oui");
    assert_eq!(rows[1][4], "Fruits; Pain");
}

#[tokio::test]
async fn the_json_export_holds_every_answer_as_sent() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let sid = new_submission_id();
    app.submit(&id, &sid, &sample_answers()).await;
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export[0]["submission_id"], sid.as_str());
    assert_eq!(export[0]["answers"], sample_answers());
}

#[tokio::test]
async fn an_export_of_many_answers_is_streamed_in_chunks() {
    const ANSWERS: usize = 3000;
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    // Stored through the store itself: the HTTP path is tested above, and this keeps the
    // test quick.
    let poll = app
        .store
        .poll(&PollId::parse(&id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let answers = validate(
        &poll.spec.questions,
        &serde_json::from_value(sample_answers()).unwrap(),
    )
    .unwrap();
    let writes = (0..ANSWERS).map(|i| {
        let store = app.store.clone();
        let (poll_id, answers) = (poll.id.clone(), answers.clone());
        async move {
            let sid = SubmissionId::from_random_bytes(token::random_bytes());
            store
                .submit(&poll_id, &sid, &answers, &format!("fp{i}"))
                .await
                .unwrap();
        }
    });
    futures_util::future::join_all(writes).await;

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/export.csv"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers().get("content-length").is_none(),
        "a streamed body has no length known in advance"
    );
    let mut chunks = 0;
    let mut bytes = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        chunks += 1;
        bytes.extend_from_slice(&chunk.unwrap());
    }
    assert!(chunks > 2, "expected several chunks, got {chunks}");
    let rows = csv::Reader::from_reader(bytes.as_slice()).records().count();
    assert_eq!(rows, ANSWERS);

    let json: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), ANSWERS);
}
