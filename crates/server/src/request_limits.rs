//! Limits on a request as a whole, answered in problem+json like every refusal: a body
//! declared larger than its route takes is refused at once (413), before any of it is read;
//! a request not done within the timeout (a body trickling in) gets 408.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Middleware: 413 when `Content-Length` says more than `limit` bytes. Bodies without one
/// (chunked) are still cut at the limit as they are read.
pub async fn refuse_declared(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return ApiError::PayloadTooLarge.into_response();
    }
    next.run(req).await
}

/// Middleware: 408 when the response is not ready within `limit` (answers streamed after
/// their headers, such as live events, are not cut).
pub async fn time_out(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    }
}
