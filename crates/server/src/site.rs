//! What the server serves besides the API: the widget bundle (with the embed loader at a
//! stable URL) for partners' pages, a standalone page per consultation for links and QR
//! codes, and an iframe page per consultation for partners whose sites strip scripts
//! (`/embed/{id}?origin=…&partner=KEY` for a partner's).

use crate::api::poll_id;
use crate::error::ApiError;
use crate::path_params::Path;
use crate::query_params::Query;
use crate::standalone::{self, PageQuery, page_lang};
use crate::state::AppState;
use crate::store::StoredPoll;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use concerto_core::{Origin, PollState};
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

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
    // File names are stable (the loader's URL is in partners' pages, and the glue must match
    // its wasm): revalidate every time, which costs a 304 and no bytes when nothing changed.
    let cache = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    let file = |name: &str| {
        ServeFile::new(dir.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    let bundle = Router::new()
        .route_service("/embed.js", file("embed.js"))
        .route_service("/embed-frame.js", file("embed-frame.js"))
        .nest_service(
            "/widget",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(cors)
        .layer(corp)
        .layer(cache);
    Router::new()
        .merge(bundle)
        .route(
            "/p/{id}",
            get(standalone::show)
                .layer(crate::app::rendered_compression())
                .merge(
                    post(standalone::post)
                        .layer(DefaultBodyLimit::max(state.submit_body_limit))
                        .layer(axum::middleware::from_fn_with_state(
                            state.submit_body_limit,
                            crate::request_limits::refuse_declared,
                        )),
                ),
        )
        .route("/embed/{id}", get(embed_frame))
}

/// Query of the iframe page: the embedding page's origin (`embed-frame.js` passes its own),
/// the language, and the key of the partner whose site frames it (its answers count for it).
#[derive(Deserialize)]
pub struct FrameQuery {
    origin: Option<String>,
    lang: Option<String>,
    partner: Option<String>,
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
        .map(StoredPoll::embedding_origins)
        .unwrap_or_default();
    let lang = page_lang(
        &PageQuery {
            lang: query.lang,
            code: None,
            partner: None,
            via: None,
        },
        &headers,
    )
    .code();
    // `id` is a checked PollId and an Origin holds only [a-z0-9.:/[\]-]: safe in HTML as is.
    let target = frame_target(query.origin.as_deref(), &allowed)
        .map(|o| format!(r#" data-target-origin="{o}""#))
        .unwrap_or_default();
    // A partner's key the consultation knows (lowercase letters and digits), for the widget to
    // send; any other is left out, as on the standalone page.
    let partner = poll
        .as_ref()
        .and_then(|p| standalone::page_source(p, query.partner.as_deref(), None).partner)
        .map(|k| format!(r#" data-concerto-partner="{k}""#))
        .unwrap_or_default();
    let preload = crate::first_view::wasm_preload("/");
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Concerto</title>
{preload}
</head>
<body>
<div data-concerto-poll="{id}"{partner}></div>
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
