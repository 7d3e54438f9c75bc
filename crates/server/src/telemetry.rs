//! Logging set-up: lines on stderr filtered by `RUST_LOG` (default `info`), readable by people,
//! or one JSON object a line with `CONCERTO_LOG_FORMAT=json` for a log collector. Each line
//! of a request carries its span (request id, method, route pattern); no line names a
//! client's address or carries a token.

use tracing_subscriber::EnvFilter;

/// Installs the global log subscriber; harmless if one is already installed (tests).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let json = std::env::var("CONCERTO_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}
