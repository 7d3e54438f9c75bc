//! The servers as processes of their own (`--server-bin`, with PostgreSQL): the real binary,
//! as an operator runs several behind a load balancer, each started on a free port of
//! 127.0.0.1 and stopped with the benchmark.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A server process, killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Its process id, to read its memory.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bin serve` on `database_url` with the benchmark's limits lifted and waits until it
/// says where it listens.
pub fn start(bin: &Path, database_url: &str, dir: &Path) -> Result<ServerProcess, String> {
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--widget-dir")
        .arg(dir.join("dist"))
        .env("CONCERTO_DATABASE_URL", database_url)
        // Every request comes from 127.0.0.1.
        .env("CONCERTO_ANSWERS_PER_MINUTE", "0")
        .env("CONCERTO_MAX_CONNECTIONS_PER_ADDRESS", "4096")
        // Not the warnings that there is no widget bundle: the benchmark needs none.
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    // Read to the end, so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(base) = line.strip_prefix("Concerto server: http://") {
                let _ = tx.send(base.trim().trim_end_matches('/').to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| format!("{} did not start", bin.display()))?;
    let addr = addr
        .parse()
        .map_err(|e| format!("{addr}: not an address ({e})"))?;
    Ok(ServerProcess { child, addr })
}
