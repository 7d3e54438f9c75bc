//! `AppState`: everything the handlers need, cloned cheaply into each request.

use crate::clock::Clock;
use crate::config::Settings;
use crate::metrics::Metrics;
use crate::password::Passwords;
use crate::poll_cache::PollCache;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use concerto_core::Origin;
use std::path::PathBuf;
use std::sync::Arc;
use time::Duration;

/// Shared state of the HTTP handlers: one pointer, since axum clones it for every request
/// (field by field, cloning it was a twentieth of a submit's time).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What the handlers share, behind [`AppState`].
pub struct Shared {
    /// Where everything is stored.
    pub store: Arc<dyn Store>,
    /// The consultations residents load, for a moment (see `poll_cache`).
    pub polls: PollCache,
    /// This server's own origin: its standalone pages may always submit.
    pub own_origin: Origin,
    /// The base URL residents reach, ending in `/`.
    pub public_url: String,
    /// The built widget bundle.
    pub widget_dir: PathBuf,
    /// Largest answer body.
    pub submit_body_limit: usize,
    /// Largest organiser body.
    pub organiser_body_limit: usize,
    /// Limit on answers per client address.
    pub answer_limiter: RateLimiter,
    /// Limit on login attempts per account (by the SHA-256 of its email).
    pub login_by_account: RateLimiter<String>,
    /// Limit on login attempts per client address.
    pub login_by_address: RateLimiter,
    /// Organisers' password hashing.
    pub passwords: Passwords,
    /// The clock sessions and invitations expire by.
    pub clock: Clock,
    /// How long a session lasts without a request.
    pub session_idle: Duration,
    /// How long a session lasts at most.
    pub session_lifetime: Duration,
    /// How long an invitation stays usable.
    pub invitation_lifetime: Duration,
    /// How long a request may take before it gets 408.
    pub request_timeout: std::time::Duration,
    /// Whether cookies get `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Time zone of the times in exports.
    pub time_zone: jiff::tz::TimeZone,
    /// Smallest group a public view details (see `concerto_core::small_cells`).
    pub public_min_count: u64,
    /// Turns true when the server starts shutting down, so that endless responses (live
    /// events) end and the graceful shutdown does not wait for them forever.
    pub shutdown: Arc<tokio::sync::watch::Sender<bool>>,
    /// The figures `/metrics` shows.
    pub metrics: Metrics,
}

impl AppState {
    /// State for a server reachable at `public_url`. Starts a task: call it within a Tokio
    /// runtime.
    pub fn new(
        store: Arc<dyn Store>,
        settings: &Settings,
        public_url: &str,
    ) -> Result<Self, String> {
        let public_url = format!("{}/", public_url.trim_end_matches('/'));
        let secure_cookies = public_url.starts_with("https://");
        let origin_part = public_url
            .splitn(4, '/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let own_origin = Origin::parse(&origin_part)
            .map_err(|e| format!("public URL {public_url}: origin {e}"))?;
        let metrics = Metrics::new(settings.metrics_token.as_deref(), &store.write_stats());
        // Other servers' edits reach this one's cache as soon as the store hears of them.
        let polls = PollCache::default();
        polls.follow(store.poll_changes());
        Ok(Self(Arc::new(Shared {
            store,
            polls,
            own_origin,
            public_url,
            widget_dir: settings.widget_dir.clone(),
            submit_body_limit: settings.submit_body_limit,
            organiser_body_limit: settings.organiser_body_limit,
            answer_limiter: RateLimiter::new(settings.answers_per_minute, settings.answers_burst),
            login_by_account: RateLimiter::new(
                settings.login_account_per_minute,
                settings.login_account_burst,
            ),
            login_by_address: RateLimiter::new(
                settings.login_address_per_minute,
                settings.login_address_burst,
            ),
            passwords: Passwords::new(settings.password_hash_memory_kib)
                .map_err(|e| format!("--password-hash-memory-kib: {e}"))?,
            clock: settings.clock.clone(),
            session_idle: Duration::minutes(settings.session_idle_minutes.into()),
            session_lifetime: Duration::hours(settings.session_lifetime_hours.into()),
            invitation_lifetime: Duration::hours(settings.invitation_lifetime_hours.into()),
            request_timeout: std::time::Duration::from_secs(
                settings.request_timeout_seconds.max(1),
            ),
            secure_cookies,
            time_zone: jiff::tz::TimeZone::get(&settings.time_zone).map_err(|e| {
                format!(
                    "--time-zone {}: not a known time zone ({e})",
                    settings.time_zone
                )
            })?,
            public_min_count: settings.public_min_count,
            shutdown: Arc::new(tokio::sync::watch::Sender::new(false)),
            metrics,
        })))
    }
}
