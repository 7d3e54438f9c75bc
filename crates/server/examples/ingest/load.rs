//! The load: plain HTTP/1.1 on kept-alive connections, either each client sending its next
//! request as soon as the last is answered (how fast can it go), or requests sent on a fixed
//! schedule whatever the answers (how long does each take at a given rate).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What one phase measured.
pub struct Phase {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub failures: u64,
}

/// Writes the next request into the buffer (emptied first).
pub type Build = Arc<dyn Fn(&mut Vec<u8>) + Send + Sync>;

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

/// When each client sends its requests.
#[derive(Clone, Copy)]
enum Pace {
    /// As soon as the last one is answered.
    Closed,
    /// One every `interval`, from `offset` after the start, late or not: a late request's
    /// time counts from when it should have left, so that a slow server cannot hide its
    /// delays by slowing the load (coordinated omission).
    Every {
        interval: Duration,
        offset: Duration,
    },
}

/// Requests made by `build` from `connections` clients for `seconds`, each sending its next
/// one as soon as the last is answered; `expect` is the status of a success.
pub async fn closed(
    addrs: &[SocketAddr],
    connections: u64,
    seconds: u64,
    build: Build,
    expect: u16,
) -> Phase {
    run(addrs, connections, seconds, &build, expect, |_| {
        Pace::Closed
    })
    .await
}

/// Requests made by `build` at `rate` a second in all for `seconds`, spread over enough
/// connections that each has 50 ms for each answer: a slower server falls behind the
/// schedule (and its delays count in full) rather than slowing the load down.
pub async fn fixed_rate(
    addrs: &[SocketAddr],
    rate: u64,
    seconds: u64,
    build: Build,
    expect: u16,
) -> Phase {
    let connections = (rate / 20).clamp(4, 512);
    let interval = Duration::from_secs_f64(connections as f64 / rate.max(1) as f64);
    run(addrs, connections, seconds, &build, expect, |i| {
        Pace::Every {
            interval,
            offset: interval.mul_f64(i as f64 / connections as f64),
        }
    })
    .await
}

async fn run(
    addrs: &[SocketAddr],
    connections: u64,
    seconds: u64,
    build: &Build,
    expect: u16,
    pace: impl Fn(u64) -> Pace,
) -> Phase {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..connections)
        .map(|i| {
            // Connections spread over the servers, as a load balancer would.
            let addr = addrs[usize::try_from(i).unwrap_or(0) % addrs.len()];
            let (build, pace) = (build.clone(), pace(i));
            tokio::spawn(async move {
                let (mut times, mut failures) = (Vec::new(), 0u64);
                let (mut request, mut buf) = (Vec::new(), Vec::new());
                let Ok(mut conn) = TcpStream::connect(addr).await else {
                    return (times, 1);
                };
                let _ = conn.set_nodelay(true);
                let mut next = started;
                if let Pace::Every { offset, .. } = pace {
                    next += offset;
                }
                while next < until && Instant::now() < until {
                    let at = match pace {
                        Pace::Closed => Instant::now(),
                        Pace::Every { interval, .. } => {
                            tokio::time::sleep_until(next.into()).await;
                            let at = next;
                            next += interval;
                            at
                        }
                    };
                    build(&mut request);
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

/// Milliseconds, as the tables print them.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
