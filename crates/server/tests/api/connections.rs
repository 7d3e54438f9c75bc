//! Connection hygiene: one client holding idle connections cannot stall the others. Its
//! connections beyond the per-address cap are closed at once, those it holds are closed
//! after the header timeout, and other clients are served meanwhile.

use crate::helpers::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn addr(app: &TestApp) -> SocketAddr {
    app.base.trim_start_matches("http://").parse().unwrap()
}

/// A connection from `source` (any 127.x.y.z address is this machine's loopback).
async fn connect_from(source: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(to).await.unwrap()
}

/// Whether the server closes `conn` within `within`.
async fn closed_within(conn: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 256];
    loop {
        match tokio::time::timeout(within, conn.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A response (hyper may say 408 first): keep reading to the close.
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

/// `GET /health` on a fresh connection from `source`, and how long it took.
async fn health_from(source: &str, to: SocketAddr) -> (String, Duration) {
    let started = Instant::now();
    let mut conn = connect_from(source, to).await;
    conn.write_all(b"GET /health HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).await.unwrap();
    (response, started.elapsed())
}

#[tokio::test]
async fn idle_connections_beyond_the_cap_are_closed_and_others_still_served() {
    let app = spawn_app_with(|s| {
        s.max_connections_per_address = 8;
        s.header_timeout_seconds = 2;
    })
    .await;
    let to = addr(&app);
    // One client opens 30 connections and sends nothing.
    let mut idle = Vec::new();
    for _ in 0..30 {
        idle.push(connect_from("127.0.0.1", to).await);
    }
    // Another client is served at once.
    let (response, took) = health_from("127.0.0.2", to).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The 22 beyond the cap were closed at once; the 8 within it stay, for now.
    let mut closed = 0;
    let mut held = Vec::new();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for mut conn in idle {
        // Closed ones read their end at once; waiting longer would reach the timeout.
        if closed_within(&mut conn, Duration::from_millis(20)).await {
            closed += 1;
        } else {
            held.push(conn);
        }
    }
    assert_eq!(closed, 22);
    assert_eq!(held.len(), 8);
    // Then they are closed after the header timeout, and the address may connect again.
    for conn in &mut held {
        assert!(closed_within(conn, Duration::from_secs(4)).await);
    }
    let (response, _) = health_from("127.0.0.1", to).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_once_idle_and_a_slow_request_is_cut_off() {
    let app = spawn_app_with(|s| s.header_timeout_seconds = 1).await;
    let to = addr(&app);
    // One request, then nothing.
    let mut kept = connect_from("127.0.0.1", to).await;
    kept.write_all(b"GET /health HTTP/1.1\r\nhost: test\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let started = Instant::now();
    assert!(closed_within(&mut kept, Duration::from_secs(3)).await);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "not before the timeout"
    );
    // Headers that never end (a slowloris client): cut off too.
    let mut slow = connect_from("127.0.0.1", to).await;
    slow.write_all(b"GET /health HTTP/1.1\r\nhost: te")
        .await
        .unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(3)).await);
}

/// Sends `head` (and nothing after it) on a fresh connection; the response's status line and
/// body, and how long they took.
async fn raw(to: SocketAddr, head: &str, body: &[u8]) -> (String, Duration) {
    let started = Instant::now();
    let mut conn = connect_from("127.0.0.1", to).await;
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body).await.unwrap();
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    // Until the whole response is in (the server closes or the body is complete).
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), conn.read(&mut buf)).await {
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if text.contains("\r\n\r\n") && text.trim_end().ends_with('}') {
            break;
        }
    }
    (
        String::from_utf8_lossy(&response).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_at_once_and_a_slow_one_times_out() {
    let app = spawn_app_with(|s| s.request_timeout_seconds = 1).await;
    let (id, _) = app.open_poll().await;
    let to = addr(&app);
    let (response, took) = raw(
        to,
        &format!(
            "POST /api/v1/polls/{id}/responses HTTP/1.1\r\nhost: test\r\n\
             content-type: application/json\r\ncontent-length: 10000000\r\n\r\n"
        ),
        b"{",
    )
    .await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
    assert!(
        response.contains("urn:concerto:problem:payload-too-large"),
        "{response}"
    );
    assert!(
        took < Duration::from_secs(1),
        "not waiting for the body: {took:?}"
    );
    // The same on the organiser's and the standalone page's routes.
    for path in ["/api/v1/org/polls", &format!("/p/{id}")] {
        let (response, _) = raw(
            to,
            &format!("POST {path} HTTP/1.1\r\nhost: test\r\ncontent-length: 99999999\r\n\r\n"),
            b"",
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 413"), "{path}: {response}");
    }
    // A body that never finishes arriving: 408, in problem+json.
    let (response, took) = raw(
        to,
        &format!(
            "POST /api/v1/polls/{id}/responses HTTP/1.1\r\nhost: test\r\n\
             content-type: application/json\r\ncontent-length: 100\r\n\r\n"
        ),
        b"{\"submission_id\":",
    )
    .await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(
        response.contains("urn:concerto:problem:request-timeout"),
        "{response}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}
