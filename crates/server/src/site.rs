//! What the server serves besides the API: the widget bundle (with the embed loader at a
//! stable URL) for partners' pages, a standalone page per consultation for links and QR
//! codes, and an iframe page per consultation for partners whose sites strip scripts.

use crate::api::poll_id;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use concerto_core::{Language, Origin, PollState};
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
        .route_service(
            "/embed-frame.js",
            ServeFile::new(dir.join("embed-frame.js")),
        )
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
        .route("/embed/{id}", get(embed_frame))
}

/// Escapes text for use in HTML content and attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    let poll = state
        .store
        .poll(&id)
        .await?
        .filter(|p| p.state != PollState::Draft);
    let visible = poll.is_some();
    let lang = page_lang(&query, &headers);
    let language = if lang == "en" {
        Language::En
    } else {
        Language::Fr
    };
    // The page is named after the consultation (for tabs, bookmarks and screen readers); the
    // organiser's text is escaped, never markup.
    let heading = poll.map_or_else(
        || "Concerto".to_owned(),
        |p| escape_html(p.spec.title.get(language)),
    );
    let title = if visible {
        format!("{heading} – Concerto")
    } else {
        heading.clone()
    };
    // `id` is a checked PollId (letters, digits, '-' and '_'): safe in HTML as it is.
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>
  body {{ margin: 0; padding: 1rem; background: #f4f4f1; font-family: system-ui, sans-serif; }}
  main {{ max-width: 42rem; margin: 0 auto; }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }}
</style>
</head>
<body>
<main>
<h1 class="visually-hidden">{heading}</h1>
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

/// Query of the iframe page: the embedding page's origin (`embed-frame.js` passes its own),
/// and the language.
#[derive(Deserialize)]
pub struct FrameQuery {
    origin: Option<String>,
    lang: Option<String>,
}

/// The iframe page's policy: the standalone page's, no inline styles, and only the
/// consultation's allowed origins may frame it.
fn frame_csp(allowed: &[Origin]) -> String {
    let ancestors = if allowed.is_empty() {
        "'none'".to_owned()
    } else {
        allowed
            .iter()
            .map(Origin::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
         style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}"
    )
}

/// The origin the iframe page may post its height to: the one the embedding page names, and
/// only when the consultation allows it. Messages never go to `*`.
fn frame_target<'a>(claimed: Option<&str>, allowed: &'a [Origin]) -> Option<&'a Origin> {
    let claimed = Origin::parse(claimed?).ok()?;
    allowed.iter().find(|o| **o == claimed)
}

/// `GET /embed/{id}`: the widget alone in a page meant for an `<iframe>` on a partner's site.
/// Its script (`/widget/embed-frame-child.js`) posts the page's height to the parent whenever
/// it changes, so that `embed-frame.js` on the partner's page can size the iframe.
pub async fn embed_frame(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<FrameQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = poll_id(&id)?;
    let poll = state
        .store
        .poll(&id)
        .await?
        .filter(|p| p.state != PollState::Draft);
    let allowed = poll
        .as_ref()
        .map(|p| p.spec.allowed_origins.clone())
        .unwrap_or_default();
    let lang = page_lang(&PageQuery { lang: query.lang }, &headers);
    // `id` is a checked PollId and an Origin holds only [a-z0-9.:/[\]-]: safe in HTML as is.
    let target = frame_target(query.origin.as_deref(), &allowed)
        .map(|o| format!(r#" data-target-origin="{o}""#))
        .unwrap_or_default();
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Concerto</title>
</head>
<body>
<div data-concerto-poll="{id}"></div>
<script src="/embed.js" async></script>
<script src="/widget/embed-frame-child.js" data-poll="{id}"{target} async></script>
</body>
</html>
"#
    );
    let status = if poll.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut resp = (status, Html(html)).into_response();
    let csp = HeaderValue::from_str(&frame_csp(&allowed))
        .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'"));
    resp.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, csp);
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_title_is_escaped() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    fn origins(list: &[&str]) -> Vec<Origin> {
        list.iter().map(|o| Origin::parse(o).unwrap()).collect()
    }

    #[test]
    fn the_frame_posts_only_to_an_allowed_origin_the_page_named() {
        let allowed = origins(&["https://asso.example", "http://localhost:8081"]);
        assert_eq!(
            frame_target(Some("https://ASSO.example/"), &allowed).map(Origin::as_str),
            Some("https://asso.example")
        );
        assert_eq!(frame_target(Some("https://evil.example"), &allowed), None);
        assert_eq!(frame_target(Some("*"), &allowed), None);
        assert_eq!(frame_target(None, &allowed), None);
    }

    #[test]
    fn only_allowed_origins_may_frame_the_page() {
        let csp = frame_csp(&origins(&["https://asso.example", "http://localhost:8081"]));
        assert!(csp.ends_with("frame-ancestors https://asso.example http://localhost:8081"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(frame_csp(&[]).ends_with("frame-ancestors 'none'"));
    }
}
