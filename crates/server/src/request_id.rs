//! An id for each request, in its log span and sent back in `X-Request-Id`, so that an
//! operator can find the log lines of a request a resident or a proxy reports. The caller's
//! own id is kept when it looks like one (a proxy's, to follow a request across both logs);
//! anything else is replaced, so that no header can write what it wants into the logs.

use crate::token;
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::http::header::HeaderName;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Span;

/// The header that carries it both ways.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest id taken from a caller.
const MAX_LEN: usize = 64;

/// This request's id.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Whether a caller's id can go into the logs as it is.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Middleware: gives the request its id and sends the id back with the response.
pub async fn assign(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(|| token::random_id(16), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    response
}

/// The log span of a request: its id, method and route pattern. Never its path or query
/// (ids, and whatever a client put there) nor the client's address.
pub fn span<B>(req: &axum::http::Request<B>) -> Span {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map_or("-", |id| id.0.as_str());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    tracing::info_span!("request", id, method = %req.method(), route)
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_plain_ids_are_kept() {
        assert!(acceptable("3f2a-91.b_c"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("x\"}, \"level\": \"ERROR"));
        assert!(!acceptable(&"a".repeat(65)));
    }
}
