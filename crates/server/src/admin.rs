//! The organiser dashboard: a client-side app (crates/dashboard) built by trunk into the
//! `admin` directory of the widget bundle, served at `/admin/`. Any path under `/admin/`
//! that is not one of its files gets its `index.html`, so the app's own addresses
//! (`/admin/polls/{id}`, the invitation link…) load it on a reload or a shared link.
//!
//! Its pages are only for this server's own origin: a strict CSP (no inline script or
//! style, no framing, requests to this server only) and no CORS headers at all.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Security policy of the dashboard's pages.
pub const ADMIN_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'";

/// Routes of the dashboard, serving the built app from `dir` (trunk's `dist/admin`).
pub fn routes<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    if !dir.join("index.html").is_file() {
        tracing::warn!(
            dir = %dir.display(),
            "no dashboard bundle found: build it with `cargo xtask build` (/admin will be 404)"
        );
    }
    let app = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dir.join("index.html")));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .nest_service("/admin", app)
        .layer(header(header::CONTENT_SECURITY_POLICY, ADMIN_CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        // Stable file names: revalidate every time, so an upgrade is seen at once.
        .layer(header(header::CACHE_CONTROL, "no-cache"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    fn bundle() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<!doctype html><title>app</title>",
        )
        .unwrap();
        std::fs::write(dir.path().join("boot.js"), "import './x.js';").unwrap();
        dir
    }

    async fn get(dir: &Path, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let resp = routes::<()>(dir)
            .oneshot(
                Request::get(path)
                    .header(header::ORIGIN, "https://elsewhere.example")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = to_bytes(resp.into_body(), 1 << 20).await.unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn the_app_s_own_addresses_get_its_page_under_a_strict_policy() {
        let dir = bundle();
        for path in ["/admin/", "/admin/polls/abc/edit", "/admin/invitation"] {
            let (status, headers, body) = get(dir.path(), path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.contains("<title>app</title>"), "{path}");
            assert_eq!(headers[header::CONTENT_SECURITY_POLICY], ADMIN_CSP);
            assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
        }
    }

    #[tokio::test]
    async fn the_app_s_files_are_served_as_themselves() {
        let dir = bundle();
        let (status, headers, body) = get(dir.path(), "/admin/boot.js").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "import './x.js';");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript")
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    }
}
