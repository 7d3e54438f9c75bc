//! CORS for the public API, decided per consultation: only the origins a consultation allows
//! (and this server's own pages) get CORS headers, never with credentials, always with
//! `Vary: Origin` so that caches keep one answer per origin.
//!
//! An unknown (or draft) consultation answers its 404 readably to any origin: that reveals
//! nothing, and lets the widget say "not found" rather than "network error".

use crate::path_params::Path;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use concerto_core::{PollId, PollState};

/// Seconds a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: &str = "600";

enum Verdict {
    /// The origin may read and send: echo it.
    Allowed(HeaderValue),
    /// The consultation does not exist for residents: any origin may read the 404.
    Unknown,
    /// The origin may not: no CORS headers.
    Refused,
}

async fn verdict(state: &AppState, id: &str, origin: &HeaderValue) -> Verdict {
    let Ok(id) = PollId::parse(id) else {
        return Verdict::Unknown;
    };
    let poll = match state.store.poll(&id).await {
        Ok(Some(p)) if p.state != PollState::Draft => p,
        Ok(_) => return Verdict::Unknown,
        // Let the handler meet (and report) the same failure.
        Err(_) => return Verdict::Refused,
    };
    let Ok(origin_str) = origin.to_str() else {
        return Verdict::Refused;
    };
    let allowed = origin_str == state.own_origin.as_str() || poll.embeds_from(origin_str);
    if allowed {
        Verdict::Allowed(origin.clone())
    } else {
        Verdict::Refused
    }
}

fn add_vary(headers: &mut HeaderMap) {
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// Middleware on the public routes: answers preflights and adds CORS headers to responses.
pub async fn per_poll(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
    next: Next,
) -> Response {
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        // Not a cross-origin browser request (or a same-origin GET): nothing to add.
        let mut resp = next.run(req).await;
        add_vary(resp.headers_mut());
        return resp;
    };
    let verdict = verdict(&state, &id, &origin).await;
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut resp = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    add_vary(h);
    match verdict {
        Verdict::Allowed(origin) => {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if preflight {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, POST"),
                );
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("content-type"),
                );
                h.insert(
                    header::ACCESS_CONTROL_MAX_AGE,
                    HeaderValue::from_static(PREFLIGHT_MAX_AGE),
                );
            }
        }
        Verdict::Unknown if !preflight => {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        Verdict::Unknown | Verdict::Refused => {}
    }
    resp
}

/// The handler behind `OPTIONS` on public routes; the middleware does the work.
pub async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}
