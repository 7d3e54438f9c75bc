//! Liveness and readiness, for load balancers and supervisors: `/health` says the process
//! answers; `/health/ready` says it can store an answer now, by writing one row through the
//! same path as answers. A full disk, a locked or read-only database, a database server out
//! of reach turn it unhealthy (503), and healthy again once they pass.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use std::time::Duration;

/// Longest a readiness check waits for its write.
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// `GET /health`: the process answers.
#[utoipa::path(get, path = "/health", tag = "operations", responses(
        (status = 200, description = "The process answers: `ok`.", content_type = "text/plain", body = String),
    ))]
pub async fn live() -> &'static str {
    "ok"
}

/// `GET /health/ready`: an answer could be stored now.
#[utoipa::path(get, path = "/health/ready", tag = "operations", responses(
        (status = 200, description = "An answer could be stored now: `ready`.", content_type = "text/plain", body = String),
        (status = 503, description = "Storage cannot take an answer now (`Retry-After`)."),
    ))]
pub async fn ready(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    match tokio::time::timeout(READY_TIMEOUT, state.store.check_writable()).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(ApiError::Unavailable),
    }
}
