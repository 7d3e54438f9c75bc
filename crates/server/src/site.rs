//! What the server serves besides the API: the widget bundle (with the embed loader at a
//! stable URL) for partners' pages, and a standalone page per consultation for links and QR
//! codes.

use crate::api::poll_id;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use concerto_core::PollState;
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Security policy of the standalone page: only this server's own scripts, wasm and API.
const STANDALONE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
    base-uri 'none'; form-action 'none'";

/// Routes of the bundle and the standalone pages.
pub fn routes(state: &AppState) -> Router<AppState> {
    let dir = &state.widget_dir;
    if !dir.join("embed.js").is_file() {
        tracing::warn!(
            dir = %dir.display(),
            "no widget bundle found: build it with `cargo xtask build` (embeds will not load)"
        );
    }
    // Partners' pages load these cross-origin with `import()`: they are public, carry no
    // credentials, and must be readable from anywhere.
    let cors = SetResponseHeaderLayer::overriding(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let corp = SetResponseHeaderLayer::overriding(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    // File names are stable (the loader's URL is in partners' pages): revalidate every time.
    let cache = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    let bundle = Router::new()
        .route_service("/embed.js", ServeFile::new(dir.join("embed.js")))
        .nest_service(
            "/widget",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(cors)
        .layer(corp)
        .layer(cache);
    Router::new()
        .merge(bundle)
        .route("/p/{id}", get(standalone))
}

/// Query of the standalone page.
#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

/// `fr` or `en`: from `?lang=`, else the browser's `Accept-Language`, else French.
fn page_lang(query: &PageQuery, headers: &HeaderMap) -> &'static str {
    let pick = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("fr") {
            Some("fr")
        } else if s.starts_with("en") {
            Some("en")
        } else {
            None
        }
    };
    if let Some(l) = query.lang.as_deref().and_then(pick) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(|part| pick(part.split(';').next()?)))
        .unwrap_or("fr")
}

/// `GET /p/{id}`: a page holding just the widget, for a link or a QR code.
pub async fn standalone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = poll_id(&id)?;
    let visible = matches!(state.store.poll(&id).await?, Some(p) if p.state != PollState::Draft);
    let lang = page_lang(&query, &headers);
    // `id` is a checked PollId (letters, digits, '-' and '_'): safe in HTML as it is.
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Concerto</title>
<style>
  body {{ margin: 0; padding: 1rem; background: #f4f4f1; font-family: system-ui, sans-serif; }}
  main {{ max-width: 42rem; margin: 0 auto; }}
</style>
</head>
<body>
<main>
<div data-concerto-poll="{id}"></div>
</main>
<script src="/embed.js" async></script>
</body>
</html>
"#
    );
    let status = if visible {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut resp = (status, Html(html)).into_response();
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STANDALONE_CSP),
    );
    Ok(resp)
}
