//! `AppState`: everything the handlers need, cloned cheaply into each request.

use crate::config::Settings;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use concerto_core::Origin;
use std::path::PathBuf;
use std::sync::Arc;

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    /// Where everything is stored.
    pub store: Arc<dyn Store>,
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
}

impl AppState {
    /// State for a server reachable at `public_url`.
    pub fn new(
        store: Arc<dyn Store>,
        settings: &Settings,
        public_url: &str,
    ) -> Result<Self, String> {
        let public_url = format!("{}/", public_url.trim_end_matches('/'));
        let origin_part = public_url
            .splitn(4, '/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let own_origin = Origin::parse(&origin_part)
            .map_err(|e| format!("public URL {public_url}: origin {e}"))?;
        Ok(Self {
            store,
            own_origin,
            public_url,
            widget_dir: settings.widget_dir.clone(),
            submit_body_limit: settings.submit_body_limit,
            organiser_body_limit: settings.organiser_body_limit,
            answer_limiter: RateLimiter::new(settings.answers_per_minute, settings.answers_burst),
        })
    }
}
