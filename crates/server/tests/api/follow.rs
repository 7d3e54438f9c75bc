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
