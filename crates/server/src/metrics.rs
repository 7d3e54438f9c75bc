//! `/metrics` in Prometheus' text format, for a town's IT team: requests by route and status,
//! how long answers take to store, how many were stored, the store's write batches, open
//! connections and live dashboards. Off unless a token is set (`--metrics-token`): the
//! figures are not residents' business, and the page would tell an attacker what hurts.

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::WriteStats;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// The routes that store answers: the widget's and the standalone page's form.
const SUBMIT_ROUTES: [(Method, &str); 2] = [
    (Method::POST, "/api/v1/polls/{id}/responses"),
    (Method::POST, "/p/{id}"),
];

/// The labels of a request counted.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern (`/api/v1/polls/{id}`), never the path itself, so that neither ids
    /// nor a scanner's made-up paths multiply the series.
    route: String,
    method: &'static str,
    status: u16,
}

/// The server's figures, and the token that reads them.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    submit_seconds: Histogram,
    answers_stored: Counter,
    open_connections: Gauge,
    live_subscribers: Gauge,
    /// SHA-256 of the token, compared whole, so that the comparison's time tells nothing.
    token: Option<[u8; 32]>,
}

impl Metrics {
    /// Figures readable with `token` (none: `/metrics` is off), with the store's `writes`.
    pub fn new(token: Option<&str>, writes: &WriteStats) -> Self {
        let mut registry = Registry::with_prefix("concerto");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        // 1 ms to about 4 s.
        let submit_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 13));
        registry.register(
            "submit_duration_seconds",
            "Time to answer a submitted answer (stored, replayed or refused)",
            submit_seconds.clone(),
        );
        let answers_stored = Counter::default();
        registry.register(
            "answers_stored",
            "Answers newly stored (replays of a stored answer not counted)",
            answers_stored.clone(),
        );
        registry.register(
            "store_batch_writes",
            "Writes committed together in one transaction",
            writes.batch_size().clone(),
        );
        registry.register(
            "store_commit_seconds",
            "Time each write transaction took to commit",
            writes.commit_seconds().clone(),
        );
        let open_connections = Gauge::default();
        registry.register(
            "open_connections",
            "HTTP connections open now",
            open_connections.clone(),
        );
        let live_subscribers = Gauge::default();
        registry.register(
            "live_subscribers",
            "Dashboards following a consultation's live count now (server-sent events)",
            live_subscribers.clone(),
        );
        Self {
            registry,
            requests,
            submit_seconds,
            answers_stored,
            open_connections,
            live_subscribers,
            token: token
                .filter(|t| !t.is_empty())
                .map(|t| Sha256::digest(t.as_bytes()).into()),
        }
    }

    /// Counts one request answered.
    fn observe(&self, method: &Method, route: Option<&str>, status: StatusCode, took: Duration) {
        let route = route.unwrap_or("unmatched");
        if SUBMIT_ROUTES
            .iter()
            .any(|(m, r)| m == method && *r == route)
        {
            self.submit_seconds.observe(took.as_secs_f64());
        }
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method_label(method),
                status: status.as_u16(),
            })
            .inc();
    }

    /// Counts one answer newly stored.
    pub fn answer_stored(&self) {
        self.answers_stored.inc();
    }

    /// Counts a connection opened; it counts until the guard is dropped.
    pub fn connection_opened(&self) -> ConnectionGuard {
        self.open_connections.inc();
        ConnectionGuard(self.open_connections.clone())
    }

    /// Whether `headers` carry the metrics token.
    fn allows(&self, headers: &HeaderMap) -> Option<bool> {
        let expected = self.token?;
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        Some(given == expected)
    }
}

/// One open connection, counted in `open_connections` while it lives.
#[derive(Debug)]
pub struct ConnectionGuard(Gauge);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Methods as labels: the standard ones by name, anything else as one label.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Middleware: counts each request by its matched route, and times answers' submissions.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let start = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe(
        &method,
        route.as_ref().map(MatchedPath::as_str),
        response.status(),
        start.elapsed(),
    );
    response
}

/// `GET /metrics`: the figures, to whoever holds the token; as if absent to anyone else.
pub async fn show(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.metrics.allows(&headers) {
        None => ApiError::RouteNotFound.into_response(),
        Some(false) => ApiError::Unauthorized.into_response(),
        Some(true) => {
            let live = i64::try_from(state.store.live_subscribers()).unwrap_or(i64::MAX);
            state.metrics.live_subscribers.set(live);
            let mut text = String::new();
            match prometheus_client::encoding::text::encode(&mut text, &state.metrics.registry) {
                Ok(()) => (
                    [(
                        header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    text,
                )
                    .into_response(),
                Err(e) => ApiError::Internal(format!("metrics: {e}")).into_response(),
            }
        }
    }
}
