//! Server settings: defaults, overridden by `CONCERTO_…` environment variables, overridden by
//! command-line flags (clap reads both, in that order).

use crate::clock::Clock;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings of a running server.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Directory holding the SQLite database (created if missing), and the demo's token.
    #[arg(long, env = "CONCERTO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL database to keep everything in instead of SQLite
    /// (`postgres://user:password@host:5432/concerto`); servers sharing one share everything.
    #[arg(long, env = "CONCERTO_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
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
    /// Minutes an organiser's session lasts without a request.
    #[arg(long, env = "CONCERTO_SESSION_IDLE_MINUTES", default_value_t = 12 * 60)]
    pub session_idle_minutes: u32,
    /// Hours an organiser's session lasts at most, however active.
    #[arg(long, env = "CONCERTO_SESSION_LIFETIME_HOURS", default_value_t = 7 * 24)]
    pub session_lifetime_hours: u32,
    /// Hours an invitation link stays usable.
    #[arg(long, env = "CONCERTO_INVITATION_LIFETIME_HOURS", default_value_t = 7 * 24)]
    pub invitation_lifetime_hours: u32,
    /// Login attempts one account may take at once.
    #[arg(long, env = "CONCERTO_LOGIN_ACCOUNT_BURST", default_value_t = 10)]
    pub login_account_burst: u32,
    /// Login attempts per minute one account gets back after its burst (0: no limit).
    #[arg(long, env = "CONCERTO_LOGIN_ACCOUNT_PER_MINUTE", default_value_t = 1)]
    pub login_account_per_minute: u32,
    /// Login attempts one client address may make at once.
    #[arg(long, env = "CONCERTO_LOGIN_ADDRESS_BURST", default_value_t = 30)]
    pub login_address_burst: u32,
    /// Login attempts per minute one client address gets back after its burst (0: no limit).
    #[arg(long, env = "CONCERTO_LOGIN_ADDRESS_PER_MINUTE", default_value_t = 10)]
    pub login_address_per_minute: u32,
    /// Memory for each Argon2id password hash, in KiB (19456 is OWASP's minimum).
    #[arg(
        long,
        env = "CONCERTO_PASSWORD_HASH_MEMORY_KIB",
        default_value_t = 19456
    )]
    pub password_hash_memory_kib: u32,
    /// Time zone of the times in exports (an IANA name such as `Europe/Paris`).
    #[arg(long, env = "CONCERTO_TIME_ZONE", default_value = "Europe/Paris")]
    pub time_zone: String,
    /// Smallest group a public view details: a partner's count (or any breakdown's cell)
    /// under it is shown as "fewer than N".
    #[arg(long, env = "CONCERTO_PUBLIC_MIN_COUNT", default_value_t = concerto_core::small_cells::DEFAULT_THRESHOLD)]
    pub public_min_count: u64,
    /// Connections held at most, in all (lowered to fit the open-file limit).
    #[arg(long, env = "CONCERTO_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Connections held at most from one client address.
    #[arg(
        long,
        env = "CONCERTO_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 64
    )]
    pub max_connections_per_address: usize,
    /// Seconds a connection may take to send a request's headers, and may stay idle
    /// between requests, before it is closed.
    #[arg(long, env = "CONCERTO_HEADER_TIMEOUT_SECONDS", default_value_t = 10)]
    pub header_timeout_seconds: u64,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client, as
    /// addresses or ranges separated by commas (`127.0.0.1/32,10.0.0.0/8`); empty trusts
    /// none, and those headers are then ignored.
    #[arg(long, env = "CONCERTO_TRUSTED_PROXY", default_value = "")]
    pub trusted_proxy: String,
    /// Seconds a request may take to arrive and be answered (its response's headers) before
    /// it gets 408.
    #[arg(long, env = "CONCERTO_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,
    /// Token that reads `/metrics` (`Authorization: Bearer …`); without one, `/metrics` is
    /// off.
    #[arg(long, env = "CONCERTO_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The clock sessions and invitations expire by (tests move it forward).
    #[arg(skip)]
    pub clock: Clock,
}

impl Settings {
    /// Settings for a server on `listen` with everything else at its default.
    pub fn new(data_dir: PathBuf, listen: SocketAddr, widget_dir: PathBuf) -> Self {
        Self {
            data_dir,
            database_url: None,
            listen,
            public_url: None,
            widget_dir,
            submit_body_limit: 64 * 1024,
            answers_per_minute: 30,
            answers_burst: 30,
            organiser_body_limit: 512 * 1024,
            session_idle_minutes: 12 * 60,
            session_lifetime_hours: 7 * 24,
            invitation_lifetime_hours: 7 * 24,
            login_account_burst: 10,
            login_account_per_minute: 1,
            login_address_burst: 30,
            login_address_per_minute: 10,
            password_hash_memory_kib: 19456,
            time_zone: "Europe/Paris".to_owned(),
            public_min_count: concerto_core::small_cells::DEFAULT_THRESHOLD,
            max_connections: 4096,
            max_connections_per_address: 64,
            header_timeout_seconds: 10,
            request_timeout_seconds: 30,
            trusted_proxy: String::new(),
            metrics_token: None,
            clock: Clock::default(),
        }
    }
}
