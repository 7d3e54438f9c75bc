//! The router: every route of the server, its limits and its layers, built by one function
//! so that tests can run exactly what production runs.

use crate::api::{account, answers, codes, export, follow, organiser, partners, public, qr};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{cors, request_limits, site};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, delete, get, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// Largest account request body (an email, a name and a password fit well within).
const ACCOUNT_BODY_LIMIT: usize = 16 * 1024;

/// Every organiser route (everything that acts for an organisation), as method, path and
/// handler. The router is built from this one table, and the isolation tests compare their
/// matrix with it, so a route added here without a test entry fails the tests.
pub fn organiser_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/api/v1/org/polls", get(organiser::list)),
        (Method::POST, "/api/v1/org/polls", post(organiser::create)),
        (Method::GET, "/api/v1/org/polls/{id}", get(organiser::show)),
        (
            Method::PUT,
            "/api/v1/org/polls/{id}",
            put(organiser::update),
        ),
        (
            Method::POST,
            "/api/v1/org/polls/{id}/open",
            post(organiser::open),
        ),
        (
            Method::POST,
            "/api/v1/org/polls/{id}/close",
            post(organiser::close),
        ),
        (
            Method::POST,
            "/api/v1/org/polls/{id}/duplicate",
            post(organiser::duplicate),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/results",
            get(organiser::results),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/codes",
            get(codes::counts),
        ),
        (
            Method::POST,
            "/api/v1/org/polls/{id}/codes",
            post(codes::create),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/export.csv",
            get(export::export_csv),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/export.json",
            get(export::export_json),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/export.ods",
            get(export::export_ods),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/export.xlsx",
            get(export::export_xlsx),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/events",
            get(follow::events),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/timeline",
            get(follow::timeline),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/texts",
            get(follow::texts),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/crosstab",
            get(follow::crosstab),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/qr.svg",
            get(qr::qr_svg),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/qr.png",
            get(qr::qr_png),
        ),
        (
            Method::DELETE,
            "/api/v1/org/polls/{id}",
            delete(answers::delete_poll),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/responses",
            get(answers::list),
        ),
        (
            Method::DELETE,
            "/api/v1/org/polls/{id}/responses",
            delete(answers::delete_all),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/responses/{submission}",
            get(answers::show),
        ),
        (
            Method::DELETE,
            "/api/v1/org/polls/{id}/responses/{submission}",
            delete(answers::delete_one),
        ),
        (Method::GET, "/api/v1/org/activity", get(answers::activity)),
        (
            Method::POST,
            "/api/v1/org/invitations",
            post(account::invite),
        ),
        (
            Method::DELETE,
            "/api/v1/org/invitations/{invitation}",
            delete(account::revoke),
        ),
        (Method::GET, "/api/v1/org/team", get(account::team)),
        (
            Method::GET,
            "/api/v1/org/directory",
            get(partners::directory),
        ),
        (
            Method::GET,
            "/api/v1/org/polls/{id}/partners",
            get(partners::list),
        ),
        (
            Method::POST,
            "/api/v1/org/polls/{id}/partners",
            post(partners::invite),
        ),
        (
            Method::DELETE,
            "/api/v1/org/polls/{id}/partners/{org}",
            delete(partners::end),
        ),
        (
            Method::GET,
            "/api/v1/org/partnerships",
            get(partners::partnerships),
        ),
        (
            Method::GET,
            "/api/v1/org/partnerships/{id}",
            get(partners::show),
        ),
        (
            Method::DELETE,
            "/api/v1/org/partnerships/{id}",
            delete(partners::leave),
        ),
        (
            Method::POST,
            "/api/v1/org/partnerships/{id}/accept",
            post(partners::accept),
        ),
        (
            Method::PUT,
            "/api/v1/org/partnerships/{id}/origins",
            put(partners::set_origins),
        ),
        (
            Method::GET,
            "/api/v1/org/partnerships/{id}/qr.svg",
            get(partners::qr_svg),
        ),
        (
            Method::GET,
            "/api/v1/org/partnerships/{id}/qr.png",
            get(partners::qr_png),
        ),
    ]
}

/// The account routes (log in and out, sessions, invitations), in the same shape as
/// `organiser_routes`, so that the cross-site tests walk them all.
pub fn account_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::POST, "/api/v1/auth/login", post(account::login)),
        (Method::POST, "/api/v1/auth/logout", post(account::logout)),
        (Method::GET, "/api/v1/auth/me", get(account::me)),
        (
            Method::POST,
            "/api/v1/auth/sessions/revoke-all",
            post(account::revoke_all),
        ),
        (
            Method::POST,
            "/api/v1/auth/invitations/accept",
            post(account::accept),
        ),
    ]
}

/// The method and path of each account route.
pub fn account_route_list() -> Vec<(Method, &'static str)> {
    account_routes()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// The method and path of each organiser route, for tests and documentation.
pub fn organiser_route_list() -> Vec<(Method, &'static str)> {
    organiser_routes()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// The method and path of each public route (the widget's, the health checks, the API's
/// document). `app` builds these by hand, each with its own layers; the OpenAPI test checks
/// that the router answers every one.
pub fn public_route_list() -> Vec<(Method, &'static str)> {
    vec![
        (Method::GET, "/api/v1/polls/{id}"),
        (Method::POST, "/api/v1/polls/{id}/responses"),
        (Method::GET, "/api/v1/polls/{id}/results"),
        (Method::GET, "/api/v1/polls/{id}/results/view"),
        (Method::GET, "/api/v1/polls/{id}/view"),
        (Method::GET, "/api/v1/openapi.json"),
        (Method::GET, "/health"),
        (Method::GET, "/health/ready"),
    ]
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let public = Router::new()
        .route(
            "/api/v1/polls/{id}",
            get(public::definition).options(cors::preflight),
        )
        .route(
            "/api/v1/polls/{id}/responses",
            post(public::submit).options(cors::preflight),
        )
        .route(
            "/api/v1/polls/{id}/results",
            get(public::results).options(cors::preflight),
        )
        .route(
            "/api/v1/polls/{id}/results/view",
            get(public::results_view)
                .layer(rendered_compression())
                .options(cors::preflight),
        )
        .route(
            "/api/v1/polls/{id}/view",
            // Rendered per request: compressed here (the bundle's files come precompressed).
            get(public::first_view)
                .layer(rendered_compression())
                .options(cors::preflight),
        )
        // route_layer: the CORS decision needs the matched `{id}`.
        .route_layer(from_fn_with_state(state.clone(), cors::per_poll))
        .layer(DefaultBodyLimit::max(state.submit_body_limit))
        .layer(from_fn_with_state(
            state.submit_body_limit,
            request_limits::refuse_declared,
        ));

    // No CORS layer here on purpose: organiser routes are for scripts and our own pages.
    let organiser = organiser_routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .layer(DefaultBodyLimit::max(state.organiser_body_limit))
        .layer(from_fn_with_state(
            state.organiser_body_limit,
            request_limits::refuse_declared,
        ));

    // Accounts: no CORS either; the session cookie is SameSite=Strict and HttpOnly.
    let accounts = account_routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .layer(DefaultBodyLimit::max(ACCOUNT_BODY_LIMIT))
        .layer(from_fn_with_state(
            ACCOUNT_BODY_LIMIT,
            request_limits::refuse_declared,
        ));

    Router::new()
        .merge(public)
        .merge(accounts)
        .merge(organiser)
        .merge(site::routes(&state))
        .merge(crate::admin::routes(&state.widget_dir.join("admin")))
        .route(
            "/p/{id}/results",
            get(crate::public_results::page).layer(rendered_compression()),
        )
        .route("/p/results.css", get(crate::public_results::stylesheet))
        .route("/health", get(crate::health::live))
        .route("/health/ready", get(crate::health::ready))
        .route("/api/v1/openapi.json", get(crate::openapi::document))
        .route("/metrics", get(crate::metrics::show))
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(from_fn_with_state(
            state.request_timeout,
            request_limits::time_out,
        ))
        .layer(from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(crate::request_id::span))
        // Outside the trace layer: its span reads the id.
        .layer(axum::middleware::from_fn(crate::request_id::assign))
        .with_state(state)
}

/// Compression for what is rendered per request (the first view, the standalone and results
/// pages): brotli quality 5 rather than the default 4 takes the first view from 4.4 to 4.1 KB
/// for about 0.1 ms more; qualities 9 and up cost 10 to 25 ms a request (BENCHMARKS.md).
pub(crate) fn rendered_compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(5))
}
