//! How many durable answers the server stores per second, against its own `/health` in the
//! same run (this machine is shared and noisy: only the ratio is worth comparing).
//!
//! `cargo xtask bench server` runs it on a release build; `cargo xtask test` runs it for a
//! second in debug, only to keep it working. Flags: `--seconds N` per phase (default 5),
//! `--connections A,B…` (default 32,128), `--database-url postgres://…` (PostgreSQL instead
//! of SQLite) with `--servers N` (default 2) servers on it, the connections spread over them.
//!
//! The server runs in this process on a fresh SQLite database (the same code as
//! `concerto-server serve`, with the per-address answer limit lifted: every request comes
//! from 127.0.0.1), and the load comes from `--connections` kept-alive connections that each
//! send their next request as soon as the last one is answered.

use concerto_core::{OrgId, PollId, PollSpec, PollState, SubmissionId};
use concerto_server::config::Settings;
use concerto_server::server::Server;
use concerto_server::token;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// The server binary's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The whole numbers given to `name` (comma-separated), or `default`.
fn arg(name: &str, default: &[u64]) -> Result<Vec<u64>, String> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.split(',').map(|n| n.parse().ok()).collect())
            .ok_or_else(|| format!("{name} needs whole numbers separated by commas")),
        None => Ok(default.to_vec()),
    }
}

/// The text given to `name`, if any.
fn text_arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

/// Five questions, as the issue's figures were measured with.
fn spec() -> Result<PollSpec, String> {
    serde_json::from_value(serde_json::json!({
        "title": "Le marché du samedi",
        "questions": [
            {"id": "venue", "prompt": "Venez-vous ?", "required": true, "kind": "single_choice",
             "allow_other": true,
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "stands", "prompt": "Quels stands ?", "kind": "multiple_choice",
             "options": [{"id": "fruits", "label": "Fruits"}, {"id": "pain", "label": "Pain"}]},
            {"id": "note", "prompt": "Votre note", "kind": "rating", "min": 1, "max": 5},
            {"id": "nom", "prompt": "Votre prénom", "kind": "short_text", "max_length": 20},
            {"id": "idee", "prompt": "Une idée ?", "kind": "long_text", "max_length": 500}
        ]
    }))
    .map_err(|e| e.to_string())
}

/// What one phase measured.
struct Phase {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failures: u64,
}

/// Writes the next request into the buffer (emptied first).
type Build = fn(&mut Vec<u8>);

/// One HTTP/1.1 exchange on a kept-alive connection: the status, or `None` if the
/// connection failed. A client this plain leaves the machine's cores to the server.
async fn exchange(conn: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> Option<u16> {
    conn.write_all(request).await.ok()?;
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = std::str::from_utf8(&buf[..end]).ok()?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < end + 4 + length {
            let n = conn.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        return Some(status);
    }
}

/// Sends requests made by `build` from `connections` clients for `seconds`, each sending
/// its next one as soon as the last is answered; `expect` is the status of a success.
async fn phase(
    addrs: &[SocketAddr],
    connections: u64,
    seconds: u64,
    build: Build,
    expect: u16,
) -> Phase {
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let clients: Vec<_> = (0..connections)
        .map(|i| {
            // Connections spread over the servers, as a load balancer would.
            let addr = addrs[usize::try_from(i).unwrap_or(0) % addrs.len()];
            tokio::spawn(async move {
                let (mut times, mut failures) = (Vec::new(), 0u64);
                let (mut request, mut buf) = (Vec::new(), Vec::new());
                let Ok(mut conn) = TcpStream::connect(addr).await else {
                    return (times, 1);
                };
                let _ = conn.set_nodelay(true);
                while Instant::now() < until {
                    build(&mut request);
                    let at = Instant::now();
                    match exchange(&mut conn, &request, &mut buf).await {
                        Some(status) if status == expect => times.push(at.elapsed()),
                        Some(_) => failures += 1,
                        None => {
                            failures += 1;
                            match TcpStream::connect(addr).await {
                                Ok(c) => conn = c,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (times, failures)
            })
        })
        .collect();
    let (mut times, mut failures) = (Vec::new(), 0);
    for client in clients {
        if let Ok((t, f)) = client.await {
            times.extend(t);
            failures += f;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Phase {
        per_second: times.len() as f64 / elapsed,
        p50: at(0.5),
        p99: at(0.99),
        failures,
    }
}

fn health(request: &mut Vec<u8>) {
    request.clear();
    request.extend_from_slice(b"GET /health HTTP/1.1\r\nhost: bench\r\n\r\n");
}

fn answer(request: &mut Vec<u8>) {
    let id = SubmissionId::from_random_bytes(token::random_bytes());
    let body = format!(
        r#"{{"submission_id":"{id}","answers":{{"venue":{{"option":"oui"}},"stands":{{"options":["fruits","pain"]}},"note":{{"rating":4}},"nom":{{"text":"Zoé"}},"idee":{{"text":"Plus de bancs à l’ombre"}}}}}}"#
    );
    request.clear();
    request.extend_from_slice(
        format!(
            "POST /api/v1/polls/bench/responses HTTP/1.1\r\nhost: bench\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    request.extend_from_slice(body.as_bytes());
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let seconds = arg("--seconds", &[5])?[0];
    let all_connections = arg("--connections", &[32, 128])?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut settings = Settings::new(
        dir.path().join("data"),
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        dir.path().join("dist"),
    );
    settings.answers_per_minute = u32::MAX;
    settings.answers_burst = u32::MAX;
    settings.database_url = text_arg("--database-url");
    // Several servers on one database, when it is PostgreSQL (SQLite is one process's).
    let servers = if settings.database_url.is_some() {
        arg("--servers", &[2])?[0].max(1)
    } else {
        1
    };
    let mut addrs = Vec::new();
    let mut store = None;
    for _ in 0..servers {
        let server = Server::bind(&settings).await?;
        addrs.push(server.addr);
        store.get_or_insert_with(|| server.state.store.clone());
        tokio::spawn(server.run(std::future::pending()));
    }
    let store = store.ok_or("no server")?;
    println!(
        "{} on {}",
        if servers > 1 {
            format!("{servers} servers")
        } else {
            "one server".to_owned()
        },
        if settings.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    let org = OrgId::parse("bench").map_err(|e| e.to_string())?;
    let poll = PollId::parse("bench").map_err(|e| e.to_string())?;
    let err = |e: concerto_server::store::StoreError| e.to_string();
    store.create_org(&org, "Bench").await.map_err(err)?;
    store
        .create_poll(&org, &poll, &spec()?)
        .await
        .map_err(err)?;
    store
        .set_state(&org, &poll, PollState::Open)
        .await
        .map_err(err)?;

    for connections in all_connections {
        let health = phase(&addrs, connections, seconds, health, 200).await;
        let submit = phase(&addrs, connections, seconds, answer, 201).await;
        let stored = store
            .poll(&poll)
            .await
            .map_err(err)?
            .map_or(0, |p| p.responses);
        println!(
            "\n| {connections} connections, {seconds} s each | per second | p50 | p99 | failed |"
        );
        println!("| --- | ---: | ---: | ---: | ---: |");
        for (name, p) in [("`/health`", &health), ("durable submits", &submit)] {
            println!(
                "| {name} | {:.0} | {:.1} ms | {:.1} ms | {} |",
                p.per_second,
                p.p50.as_secs_f64() * 1000.0,
                p.p99.as_secs_f64() * 1000.0,
                p.failures
            );
        }
        println!(
            "\nsubmits ÷ `/health`: {:.0} % ({stored} answers stored so far)",
            100.0 * submit.per_second / health.per_second.max(1.0)
        );
        if health.per_second == 0.0 || submit.per_second == 0.0 || stored == 0 {
            return Err("a phase measured nothing".into());
        }
    }
    Ok(())
}
