//! The server under load, against its own `/health` in the same run (this machine is shared
//! and noisy: only ratios are worth comparing across runs): durable answers per second at
//! full speed, the time each takes at fixed rates, the results read on an empty and on a
//! full consultation, and each export of the full one.
//!
//! `cargo xtask bench server` runs it on a release build; `cargo xtask test` runs it briefly
//! in debug, only to keep it working. Flags: `--seconds N` per phase (default 5),
//! `--connections A,B…` (default 32,128), `--rates A,B…` answers a second for the fixed-rate
//! phases (default 1000,5000), `--answers N` in the full consultation (default 1,000,000),
//! `--database-url postgres://…` (PostgreSQL instead of SQLite) with `--servers N`
//! (default 2) servers on it, the connections spread over them; with `--server-bin PATH`
//! too, those servers are processes of that binary rather than servers in this process.
//!
//! The server runs in this process on a fresh database (the same code as `concerto-server
//! serve`, with the per-address limits lifted: every request comes from 127.0.0.1).

use concerto_core::{OrgId, PollId, PollSpec, PollState, SubmissionId};
use concerto_server::config::Settings;
use concerto_server::server::Server;
use concerto_server::token;
use load::{Build, Phase, ms};
use std::sync::Arc;

mod exports;
mod load;
mod processes;
mod seed;

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

/// `GET /health`.
fn health() -> Build {
    Arc::new(|request: &mut Vec<u8>| {
        request.clear();
        request.extend_from_slice(b"GET /health HTTP/1.1\r\nhost: bench\r\n\r\n");
    })
}

/// Milliseconds since 1970.
pub fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A new answer to the five questions.
fn answer() -> Build {
    Arc::new(|request: &mut Vec<u8>| {
        // As the widget makes them: the time first.
        let id = SubmissionId::from_time_and_random(unix_ms(), token::random_bytes());
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
    })
}

/// The organiser's results of the consultation.
fn results(token: &str) -> Build {
    let request = format!(
        "GET /api/v1/org/polls/bench/results HTTP/1.1\r\nhost: bench\r\n\
         authorization: Bearer {token}\r\n\r\n"
    )
    .into_bytes();
    Arc::new(move |buf: &mut Vec<u8>| {
        buf.clear();
        buf.extend_from_slice(&request);
    })
}

fn print_phases(title: &str, phases: &[(&str, &Phase)]) {
    println!("\n| {title} | per second | p50 | p99 | failed |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, p) in phases {
        println!(
            "| {name} | {:.0} | {} | {} | {} |",
            p.per_second,
            ms(p.p50),
            ms(p.p99),
            p.failures
        );
    }
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let seconds = arg("--seconds", &[5])?[0];
    let all_connections = arg("--connections", &[32, 128])?;
    let rates = arg("--rates", &[1000, 5000])?;
    let full = arg("--answers", &[1_000_000])?[0].max(1);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut settings = Settings::new(
        dir.path().join("data"),
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        dir.path().join("dist"),
    );
    settings.answers_per_minute = u32::MAX;
    settings.answers_burst = u32::MAX;
    // Every connection comes from 127.0.0.1: the per-address cap would refuse all but 64.
    settings.max_connections_per_address = settings.max_connections;
    settings.database_url = text_arg("--database-url");
    // Several servers on one database, when it is PostgreSQL (SQLite is one process's).
    let servers = if settings.database_url.is_some() {
        arg("--servers", &[2])?[0].max(1)
    } else {
        1
    };
    let mut addrs = Vec::new();
    let mut store = None;
    // With `--server-bin` (and PostgreSQL), the servers are processes of their own.
    let mut children = Vec::new();
    match (text_arg("--server-bin"), &settings.database_url) {
        (Some(bin), Some(url)) => {
            for _ in 0..servers {
                let child = processes::start(std::path::Path::new(&bin), url, dir.path())?;
                addrs.push(child.addr);
                children.push(child);
            }
            store = Some(
                concerto_server::store::open(Some(url), dir.path())
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
        (Some(_), None) => return Err("--server-bin needs --database-url".into()),
        (None, _) => {
            for _ in 0..servers {
                let server = Server::bind(&settings).await?;
                addrs.push(server.addr);
                store.get_or_insert_with(|| server.state.store.clone());
                tokio::spawn(server.run(std::future::pending()));
            }
        }
    }
    let store = store.ok_or("no server")?;
    let server_pid = children.first().map(processes::ServerProcess::pid);
    println!(
        "{} on {}",
        match (servers, children.is_empty()) {
            (1, _) => "one server".to_owned(),
            (n, true) => format!("{n} servers in this process"),
            (n, false) => format!("{n} server processes"),
        },
        if settings.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    let org = OrgId::parse("bench").map_err(|e| e.to_string())?;
    let poll = PollId::parse("bench").map_err(|e| e.to_string())?;
    let spec = spec()?;
    let err = |e: concerto_server::store::StoreError| e.to_string();
    store.create_org(&org, "Bench").await.map_err(err)?;
    let organiser = token::generate();
    store
        .add_token(&org, &token::hash(&organiser))
        .await
        .map_err(err)?;
    store.create_poll(&org, &poll, &spec).await.map_err(err)?;
    store
        .set_state(&org, &poll, PollState::Open)
        .await
        .map_err(err)?;
    let stored = async || {
        store
            .poll(&poll)
            .await
            .map(|p| p.map_or(0, |p| p.responses))
            .map_err(err)
    };

    // Read on the empty consultation, to compare with the full one below.
    let empty_read = load::closed(&addrs, 8, seconds, results(&organiser), 200).await;

    for connections in all_connections {
        let health = load::closed(&addrs, connections, seconds, health(), 200).await;
        let submit = load::closed(&addrs, connections, seconds, answer(), 201).await;
        print_phases(
            &format!("{connections} connections, {seconds} s each"),
            &[("`/health`", &health), ("durable submits", &submit)],
        );
        println!(
            "\nsubmits ÷ `/health`: {:.0} % ({} answers stored so far)",
            100.0 * submit.per_second / health.per_second.max(1.0),
            stored().await?
        );
        if health.per_second == 0.0 || submit.per_second == 0.0 {
            return Err("a phase measured nothing".into());
        }
    }

    let mut fixed = Vec::new();
    for &rate in &rates {
        fixed.push((
            rate,
            load::fixed_rate(&addrs, rate, seconds, answer(), 201).await,
        ));
    }
    println!("\n| submits at a fixed rate, {seconds} s each | reached /s | p50 | p99 | failed |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (rate, p) in &fixed {
        println!(
            "| {rate}/s | {:.0} | {} | {} | {} |",
            p.per_second,
            ms(p.p50),
            ms(p.p99),
            p.failures
        );
    }

    eprintln!("\nfilling the consultation up to {full} answers…");
    let took = seed::fill(&store, &poll, &spec, full).await?;
    let answers = stored().await?;
    eprintln!("  done in {took:.0} s");
    let full_read = load::closed(&addrs, 8, seconds, results(&organiser), 200).await;
    print_phases(
        "organiser's results, 8 connections",
        &[
            ("0 answers", &empty_read),
            (&format!("{answers} answers"), &full_read),
        ],
    );
    println!(
        "\nfull ÷ empty: {:.2}",
        full_read.per_second / empty_read.per_second.max(1.0)
    );

    println!(
        "\n| export of {answers} answers | first row | whole | size | memory before | growth at peak |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for format in ["csv", "json", "ods", "xlsx"] {
        let d = exports::download(
            addrs[0],
            &format!("/api/v1/org/polls/bench/export.{format}"),
            format,
            &organiser,
            server_pid,
        )
        .await?;
        println!(
            "| {format} | {} | {:.2} s | {:.1} MB | {} MB | {:.1} MB |",
            ms(d.first_row),
            d.whole.as_secs_f64(),
            d.bytes as f64 / 1e6,
            d.rss_before_kib / 1024,
            d.rss_growth_kib as f64 / 1024.0
        );
    }
    if answers < full || empty_read.per_second == 0.0 || full_read.per_second == 0.0 {
        return Err("a phase measured nothing".into());
    }
    Ok(())
}
