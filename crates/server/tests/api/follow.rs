//! Following a consultation: live counts, answers over time, text answers, cross-tabs.

use crate::helpers::*;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;

/// Reads server-sent events from `resp`, returning the data of the next `count` event.
struct Events {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buf: String,
}

impl Events {
    fn new(resp: reqwest::Response) -> Self {
        Self {
            stream: resp.bytes_stream().boxed(),
            buf: String::new(),
        }
    }

    async fn next(&mut self) -> Value {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let event: String = self.buf.drain(..end + 2).collect();
                if event.lines().any(|l| l == "event: count") {
                    let data = event
                        .lines()
                        .find_map(|l| l.strip_prefix("data: "))
                        .expect("a data line");
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(5), self.stream.next())
                .await
                .expect("an event within 5 s")
                .expect("the stream goes on")
                .unwrap();
            self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

#[tokio::test]
async fn the_answer_count_updates_live_over_server_sent_events() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let other = app.create_poll(&tok, &sample_spec()).await;
    assert_eq!(app.action(&tok, &other, "open").await.status(), 200);
    app.submit(&id, &new_submission_id(), &sample_answers())
        .await;

    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/events"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut events = Events::new(resp);
    assert_eq!(events.next().await, json!({"responses": 1}));

    // An answer to another consultation sends nothing here; a retry counts nothing.
    let sid = new_submission_id();
    app.submit(&other, &new_submission_id(), &sample_answers())
        .await;
    app.submit(&id, &sid, &sample_answers()).await;
    app.submit(&id, &sid, &sample_answers()).await;
    assert_eq!(events.next().await, json!({"responses": 2}));
    app.submit(&id, &new_submission_id(), &sample_answers())
        .await;
    assert_eq!(events.next().await, json!({"responses": 3}));
}

#[tokio::test]
async fn live_event_streams_end_when_the_server_shuts_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = concerto_server::Settings::new(
        dir.path().join("data"),
        "127.0.0.1:0".parse().unwrap(),
        dir.path().join("dist"),
    );
    settings.password_hash_memory_kib = 1024;
    let server = concerto_server::Server::bind(&settings).await.unwrap();
    let base = format!("http://{}", server.addr);
    let store = server.state.store.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let org = concerto_core::OrgId::parse("asso").unwrap();
    store.create_org(&org, "Asso").await.unwrap();
    let tok = concerto_server::token::generate();
    store
        .add_token(&org, &concerto_server::token::hash(&tok))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{base}/api/v1/org/polls"))
        .bearer_auth(&tok)
        .json(&sample_spec())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let resp = client
        .get(format!("{base}/api/v1/org/polls/{id}/events"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    let mut events = Events::new(resp);
    assert_eq!(events.next().await, json!({"responses": 0}));

    stop.send(()).unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(5), running).await;
    assert!(
        finished.is_ok(),
        "the server stopped although a live stream was open"
    );
}

/// Submits `sample_answers` changed by `change`.
async fn answer(app: &TestApp, id: &str, change: Value) {
    let mut answers = sample_answers();
    for (k, v) in change.as_object().unwrap() {
        if v.is_null() {
            answers.as_object_mut().unwrap().remove(k);
        } else {
            answers[k] = v.clone();
        }
    }
    let resp = app.submit(id, &new_submission_id(), &answers).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
}

#[tokio::test]
async fn answers_over_time_are_counted_per_day_and_per_hour() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    for _ in 0..3 {
        answer(&app, &id, json!({})).await;
    }
    let day: Value = app
        .get(&format!("/api/v1/org/polls/{id}/timeline"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    // The day the answers were stored (not "today", which may have turned meanwhile).
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    // The export's time and the timeline's days are both the town's (Paris).
    let received = time::OffsetDateTime::parse(
        export["answers"][0]["received_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    // The offset at that day's midnight in Paris (not the answer's: on the two days a year
    // the clocks change, they differ).
    let midnight = jiff::Timestamp::from_second(received.unix_timestamp())
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .start_of_day()
        .unwrap();
    let seconds = midnight.offset().seconds();
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    let today = received.date();
    assert_eq!(day["interval"], "day");
    assert_eq!(
        day["periods"],
        json!([{"start": format!("{today}T00:00:00+{h:02}:{m:02}"), "count": 3}])
    );
    let hour: Value = app
        .get(
            &format!("/api/v1/org/polls/{id}/timeline?interval=hour"),
            Some(&tok),
        )
        .await
        .json()
        .await
        .unwrap();
    let periods = hour["periods"].as_array().unwrap();
    let total: u64 = periods.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 3);
    assert!(
        periods
            .iter()
            .all(|p| p["start"].as_str().unwrap().ends_with(":00:00Z"))
    );

    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/timeline?interval=week"),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(fields(&problem(resp).await), vec!["interval"]);
}

async fn texts(app: &TestApp, id: &str, tok: &str, query: &str) -> Value {
    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/texts?{query}"), Some(tok))
        .await;
    assert_eq!(resp.status(), 200, "{query}");
    resp.json().await.unwrap()
}

fn item_texts(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn text_answers_are_paged_and_searchable_ignoring_case() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    for text in [
        "Plus de bancs",
        "Des ÉCOLES ouvertes",
        "rien",
        "Les écoles et les crèches",
    ] {
        answer(&app, &id, json!({"idee": {"text": text}})).await;
    }
    answer(
        &app,
        &id,
        json!({"idee": null, "venue": {"other": "Parfois"}}),
    )
    .await;

    let first = texts(&app, &id, &tok, "question=idee&limit=3").await;
    assert_eq!(
        item_texts(&first),
        ["Plus de bancs", "Des ÉCOLES ouvertes", "rien"]
    );
    let next = first["next"].as_i64().expect("a next page");
    let second = texts(
        &app,
        &id,
        &tok,
        &format!("question=idee&limit=3&after={next}"),
    )
    .await;
    assert_eq!(item_texts(&second), ["Les écoles et les crèches"]);
    assert!(second["next"].is_null());

    let found = texts(&app, &id, &tok, "question=idee&q=%C3%A9coles").await;
    assert_eq!(
        item_texts(&found),
        ["Des ÉCOLES ouvertes", "Les écoles et les crèches"]
    );
    let other = texts(&app, &id, &tok, "question=venue").await;
    assert_eq!(item_texts(&other), ["Parfois"]);

    for (query, field) in [
        ("question=note", "question"),
        ("question=nope", "question"),
        ("", "question"),
        ("question=idee&limit=0", "limit"),
        ("question=idee&limit=201", "limit"),
        ("question=idee&after=abc", "after"),
    ] {
        let resp = app
            .get(&format!("/api/v1/org/polls/{id}/texts?{query}"), Some(&tok))
            .await;
        assert_eq!(resp.status(), 400, "{query}");
        assert_eq!(fields(&problem(resp).await), vec![field], "{query}");
    }
}

#[tokio::test]
async fn a_crosstab_splits_a_questions_results_by_a_single_choice_answer() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    for (venue, note) in [
        (json!({"option": "oui"}), 5),
        (json!({"option": "oui"}), 4),
        (json!({"option": "non"}), 1),
        (json!({"other": "Parfois"}), 3),
    ] {
        answer(&app, &id, json!({"venue": venue, "note": {"rating": note}})).await;
    }
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/crosstab?question=note&by=venue"),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let tab: Value = resp.json().await.unwrap();
    let groups = tab["groups"].as_array().unwrap();
    let summary: Vec<(String, u64, Vec<u64>)> = groups
        .iter()
        .map(|g| {
            let counts = g["result"]["tally"]["buckets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["count"].as_u64().unwrap())
                .collect();
            (
                g["group"].as_str().unwrap().to_owned(),
                g["respondents"].as_u64().unwrap(),
                counts,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("option:oui".to_owned(), 2, vec![0, 0, 0, 1, 1]),
            ("option:non".to_owned(), 1, vec![1, 0, 0, 0, 0]),
            ("other".to_owned(), 1, vec![0, 0, 1, 0, 0]),
            ("unanswered".to_owned(), 0, vec![0, 0, 0, 0, 0]),
        ]
    );

    for (query, field) in [
        ("question=note&by=stands", "by"),
        ("question=note&by=nope", "by"),
        ("question=nope&by=venue", "question"),
        ("by=venue", "question"),
    ] {
        let resp = app
            .get(
                &format!("/api/v1/org/polls/{id}/crosstab?{query}"),
                Some(&tok),
            )
            .await;
        assert_eq!(resp.status(), 400, "{query}");
        assert_eq!(fields(&problem(resp).await), vec![field], "{query}");
    }
}
