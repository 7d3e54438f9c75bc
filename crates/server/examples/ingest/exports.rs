//! Each export of the whole consultation as an organiser downloads it: how long until its
//! first answer row arrives, how long for the whole file, and how much the process' memory
//! grew meanwhile (the server runs in this process), which must stay flat however many
//! answers there are.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What one download measured.
pub struct Download {
    pub first_row: Duration,
    pub whole: Duration,
    pub bytes: u64,
    /// Resident memory at its highest during the download, above what it was before.
    pub rss_growth_kib: u64,
    pub rss_before_kib: u64,
}

/// The resident memory of process `pid` (this one: `None`), in KiB (Linux), or 0 where it
/// cannot be read.
fn rss_kib(pid: Option<u32>) -> u64 {
    let status = pid.map_or_else(
        || "/proc/self/status".to_owned(),
        |p| format!("/proc/{p}/status"),
    );
    std::fs::read_to_string(status)
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Where the first answer row begins in the body read so far, if it has arrived: after the
/// header line in CSV, after the first answer's opening in JSON; the spreadsheets are zip
/// archives written as they go, so their first bytes are taken as the first row.
fn first_row_arrived(format: &str, body: &[u8]) -> bool {
    match format {
        "csv" => body.iter().filter(|&&b| b == b'\n').count() >= 2,
        "json" => body.windows(17).any(|w| w == b"\"submission_id\":\""),
        _ => !body.is_empty(),
    }
}

/// Downloads `path` (an export) with `token`, timing it and watching the memory of the
/// server's process `pid` (`None`: it runs in this one).
pub async fn download(
    addr: SocketAddr,
    path: &str,
    format: &str,
    token: &str,
    pid: Option<u32>,
) -> Result<Download, String> {
    let rss_before_kib = rss_kib(pid);
    let peak = Arc::new(AtomicU64::new(rss_before_kib));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let started = Instant::now();
    let mut conn = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let request = format!(
        // HTTP/1.0: the body as it is, up to the close, without chunks' framing in it.
        "GET {path} HTTP/1.0\r\nhost: bench\r\nauthorization: Bearer {token}\r\n\
         accept-encoding: identity\r\n\r\n"
    );
    conn.write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let (mut head, mut body_start) = (Vec::new(), None);
    let mut chunk = vec![0u8; 64 * 1024];
    let (mut first_row, mut bytes) = (None, 0u64);
    // The start of the body, kept until the first row is seen in it.
    let mut early = Vec::new();
    loop {
        let n = conn.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        let mut data = &chunk[..n];
        if body_start.is_none() {
            head.extend_from_slice(data);
            let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let status = String::from_utf8_lossy(&head[..end]);
            if status.split(' ').nth(1) != Some("200") {
                return Err(format!("{path}: {}", status.lines().next().unwrap_or("")));
            }
            body_start = Some(end + 4);
            early = head[end + 4..].to_vec();
            bytes += early.len() as u64;
            data = &[];
        }
        bytes += data.len() as u64;
        if first_row.is_none() {
            early.extend_from_slice(data);
            if first_row_arrived(format, &early) {
                first_row = Some(started.elapsed());
                early = Vec::new();
            }
        }
    }
    let whole = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    Ok(Download {
        first_row: first_row.ok_or_else(|| format!("{path}: no answer row in the export"))?,
        whole,
        bytes,
        rss_growth_kib: peak.load(Ordering::Relaxed).saturating_sub(rss_before_kib),
        rss_before_kib,
    })
}
