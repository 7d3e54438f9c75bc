//! Two `concerto-server` processes on one PostgreSQL database, over HTTP as a load balancer
//! would spread residents and organisers between them: answers sent to both, a retry storm
//! split across both stored once each, results and exports the same from either, the
//! live count followed on one seeing the answers sent to the other, and a consultation
//! closed, edited or deleted through one shown so by the other at once, although it keeps
//! consultations in memory.

use super::pg;
use concerto_core::{OrgId, PollId, PollState};
use concerto_server::token;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process, stopped when dropped.
struct Process {
    child: Child,
    base: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free now (the process binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server binary on `url` and waits until it can store answers.
async fn start(url: &str, dir: &Path) -> Process {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_concerto-server"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--widget-dir")
        .arg(dir.join("dist"))
        .env("CONCERTO_DATABASE_URL", url)
        // Every request of the test comes from 127.0.0.1.
        .env("CONCERTO_ANSWERS_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let process = Process {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(resp) = reqwest::get(format!("{}/health/ready", process.base)).await
            && resp.status() == 200
        {
            return process;
        }
        assert!(Instant::now() < deadline, "the server never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn spec() -> concerto_core::PollSpec {
    serde_json::from_value(json!({
        "title": "Deux serveurs",
        "questions": [
            {"id": "venue", "prompt": "Venez-vous ?", "kind": "single_choice",
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "idee", "prompt": "Une idée ?", "kind": "short_text", "max_length": 80}
        ]
    }))
    .unwrap()
}

fn sid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

async fn submit(http: &reqwest::Client, base: &str, submission: &str, venue: &str) -> u16 {
    http.post(format!("{base}/api/v1/polls/deux/responses"))
        .json(&json!({
            "submission_id": submission,
            "answers": {"venue": {"option": venue}, "idee": {"text": "Plus de bancs, à l’ombre"}}
        }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn get(http: &reqwest::Client, from: &Process, path: &str, token: &str) -> String {
    let resp = http
        .get(format!("{}{path}", from.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

/// Reads the live-count stream until it says `want` answers, within a few seconds.
async fn count_reaches(events: reqwest::Response, want: u64) {
    let mut stream = events.bytes_stream();
    let mut text = String::new();
    let wanted = format!("data: {{\"responses\":{want}}}");
    tokio::time::timeout(Duration::from_secs(15), async {
        while !text.contains(&wanted) {
            let chunk = stream.next().await.expect("the stream stays open").unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no count of {want} in {text}"));
}

/// A store on `url` with an organisation and a token of its, as `concerto-server org` makes.
async fn organisation(
    url: &str,
) -> (
    std::sync::Arc<dyn concerto_server::store::Store>,
    OrgId,
    String,
) {
    let store = pg::open(url).await;
    let org = OrgId::parse("riverains").unwrap();
    store.create_org(&org, "Riverains").await.unwrap();
    let organiser = token::generate();
    store
        .add_token(&org, &token::hash(&organiser))
        .await
        .unwrap();
    (store, org, organiser)
}

#[tokio::test]
async fn two_server_processes_on_one_database_agree() {
    pg::with_database(|url, _| async move {
        // The consultation and an organisation's token, put there as `concerto-server org`
        // would.
        let (store, org, organiser) = organisation(&url).await;
        let poll = PollId::parse("deux").unwrap();
        store.create_poll(&org, &poll, &spec()).await.unwrap();
        store.set_state(&org, &poll, PollState::Open).await.unwrap();
        drop(store);

        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (start(&url, dir.path()).await, start(&url, dir.path()).await);
        let servers = [&a, &b];
        let http = reqwest::Client::new();
        // Followed on A from the start.
        let events = http
            .get(format!("{}/api/v1/org/polls/deux/events", a.base))
            .bearer_auth(&organiser)
            .send()
            .await
            .unwrap();
        assert_eq!(events.status(), 200);

        // Twenty answers, every other one to each server.
        for n in 0..20 {
            let venue = if n % 3 == 0 { "non" } else { "oui" };
            let to = &servers[n as usize % 2].base;
            assert_eq!(submit(&http, to, &sid(n), venue).await, 201);
        }
        // A retry storm: ten answers, each sent eight times at once, half to each server.
        let storm: Vec<_> = (100..110)
            .flat_map(|n| (0..8).map(move |k| (n, k)))
            .map(|(n, k)| {
                let (http, base) = (http.clone(), servers[k % 2].base.clone());
                tokio::spawn(async move { submit(&http, &base, &sid(n), "oui").await })
            })
            .collect();
        for retry in storm {
            assert_eq!(retry.await.unwrap(), 201);
        }

        // Thirty answers, whichever server is asked.
        count_reaches(events, 30).await;
        let results: Vec<Value> = futures_util::future::join_all(servers.map(|s| {
            let http = http.clone();
            let organiser = organiser.clone();
            async move {
                serde_json::from_str(
                    &get(&http, s, "/api/v1/org/polls/deux/results", &organiser).await,
                )
                .unwrap()
            }
        }))
        .await;
        assert_eq!(results[0], results[1]);
        assert_eq!(results[0]["total"], 30, "{}", results[0]);
        for format in ["csv", "json"] {
            let path = format!("/api/v1/org/polls/deux/export.{format}");
            let (from_a, from_b) = (
                get(&http, &a, &path, &organiser).await,
                get(&http, &b, &path, &organiser).await,
            );
            assert_eq!(from_a, from_b, "{format} exports differ");
            for n in (0..20).chain(100..110) {
                assert_eq!(from_a.matches(&sid(n)).count(), 1, "{format}: answer {n}");
            }
        }
    })
    .await;
}

/// The public definition of `poll` as `from` serves it: its status code and body.
async fn definition(http: &reqwest::Client, from: &Process, poll: &str) -> (u16, Value) {
    let resp = http
        .get(format!("{}/api/v1/polls/{poll}", from.base))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_consultation_changed_through_one_server_shows_changed_on_the_other_at_once() {
    pg::with_database(|url, _| async move {
        let (store, org, organiser) = organisation(&url).await;
        // One consultation per change, so that each is first read by B during its step and
        // B's memory of it is younger than the step.
        for id in ["fermee", "modifiee", "supprimee"] {
            let poll = PollId::parse(id).unwrap();
            store.create_poll(&org, &poll, &spec()).await.unwrap();
            store.set_state(&org, &poll, PollState::Open).await.unwrap();
        }
        drop(store);
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (start(&url, dir.path()).await, start(&url, dir.path()).await);
        let http = reqwest::Client::new();

        // B keeps what it read for FRESH_FOR from a moment after `step`: a change seen in an
        // answer to a request sent well before then is the notification's doing, not the
        // expiry's (the margin is for the request's own time).
        let shown_by_b = async |poll: &str, step: Instant, shown: &dyn Fn(u16, &Value) -> bool| {
            let before = step + concerto_server::poll_cache::FRESH_FOR * 3 / 4;
            loop {
                let asked = Instant::now();
                let (status, body) = definition(&http, &b, poll).await;
                assert!(
                    asked < before,
                    "{poll}: B still served {status} {body} near the expiry of its memory of it"
                );
                if shown(status, &body) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };

        let step = Instant::now();
        let (status, body) = definition(&http, &b, "fermee").await;
        assert_eq!((status, &body["status"]), (200, &json!("open")));
        let closed = http
            .post(format!("{}/api/v1/org/polls/fermee/close", a.base))
            .bearer_auth(&organiser)
            .send()
            .await
            .unwrap();
        assert_eq!(closed.status(), 200);
        shown_by_b("fermee", step, &|s, b| s == 200 && b["status"] == "closed").await;
        // And answers to it are refused there (the store's own check already ensures it).
        let answer = http
            .post(format!("{}/api/v1/polls/fermee/responses", b.base))
            .json(&json!({"submission_id": sid(1), "answers": {"venue": {"option": "oui"}}}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 409);

        let step = Instant::now();
        let (status, body) = definition(&http, &b, "modifiee").await;
        assert_eq!((status, &body["title"]), (200, &json!("Deux serveurs")));
        let mut edited = serde_json::to_value(spec()).unwrap();
        edited["title"] = json!("Un seul titre");
        let resp = http
            .put(format!("{}/api/v1/org/polls/modifiee", a.base))
            .bearer_auth(&organiser)
            .json(&edited)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        shown_by_b("modifiee", step, &|s, b| {
            s == 200 && b["title"] == "Un seul titre"
        })
        .await;

        let step = Instant::now();
        assert_eq!(definition(&http, &b, "supprimee").await.0, 200);
        let resp = http
            .delete(format!(
                "{}/api/v1/org/polls/supprimee?confirm=Deux%20serveurs",
                a.base
            ))
            .bearer_auth(&organiser)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        shown_by_b("supprimee", step, &|s, _| s == 404).await;
    })
    .await;
}
