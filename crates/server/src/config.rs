//! Server settings: defaults, overridden by `CONCERTO_…` environment variables, overridden by
//! command-line flags (clap reads both, in that order).

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings of a running server.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Directory holding the SQLite database (created if missing).
    #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "CONCERTO_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// URL at which residents' browsers reach this server, if not `http://<listen>`
    /// (set it behind a reverse proxy, e.g. `https://consultation.ville.example`).
    #[arg(long, env = "CONCERTO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Directory of the built widget bundle (trunk's `dist`).
    #[arg(long, env = "CONCERTO_WIDGET_DIR", default_value = "dist")]
    pub widget_dir: PathBuf,
    /// Largest accepted answer body, in bytes.
    #[arg(long, env = "CONCERTO_SUBMIT_BODY_LIMIT", default_value_t = 64 * 1024)]
    pub submit_body_limit: usize,
    /// Answers one client address may send per minute, after its burst (0: no limit).
    #[arg(long, env = "CONCERTO_ANSWERS_PER_MINUTE", default_value_t = 30)]
    pub answers_per_minute: u32,
    /// Answers one client address may send at once.
    #[arg(long, env = "CONCERTO_ANSWERS_BURST", default_value_t = 30)]
    pub answers_burst: u32,
    /// Largest accepted organiser request body, in bytes.
    #[arg(long, env = "CONCERTO_ORGANISER_BODY_LIMIT", default_value_t = 512 * 1024)]
    pub organiser_body_limit: usize,
}

impl Settings {
    /// Settings for a server on `listen` with everything else at its default.
    pub fn new(data_dir: PathBuf, listen: SocketAddr, widget_dir: PathBuf) -> Self {
        Self {
            data_dir,
            listen,
            public_url: None,
            widget_dir,
            submit_body_limit: 64 * 1024,
            answers_per_minute: 30,
            answers_burst: 30,
            organiser_body_limit: 512 * 1024,
        }
    }
}
