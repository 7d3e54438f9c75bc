//! Export routes: every answer of a consultation as CSV or JSON, streamed in chunks as they
//! are read, so memory stays flat however many answers there are.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::export::{csv, json};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{StreamExt, stream};

/// Answers encoded per chunk sent.
const ROWS_PER_CHUNK: usize = 256;

fn attachment(body: Body, content_type: &'static str, filename: String) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn file_name(id: &concerto_core::PollId, ext: &str) -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!("concerto-{id}-{date}.{ext}")
}

fn io_error(e: crate::store::StoreError) -> std::io::Error {
    tracing::error!(error = %e, "export interrupted");
    std::io::Error::other(e.to_string())
}

/// `GET /api/v1/org/polls/{id}/export.csv`
pub async fn export_csv(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let layout = csv::CsvLayout::new(&poll.spec);
    let header = Bytes::from(csv::encode([layout.header().as_slice()]));
    let rows = state
        .store
        .responses(&poll.id)
        .ready_chunks(ROWS_PER_CHUNK)
        .map(move |chunk| {
            let rows = chunk
                .into_iter()
                .map(|r| r.map(|r| layout.row(&r)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(io_error)?;
            Ok(Bytes::from(csv::encode(rows.iter().map(|r| r.as_slice()))))
        });
    let body = stream::once(async { Ok::<_, std::io::Error>(header) }).chain(rows);
    Ok(attachment(
        Body::from_stream(body),
        "text/csv; charset=utf-8",
        file_name(&poll.id, "csv"),
    ))
}

/// `GET /api/v1/org/polls/{id}/export.json`
pub async fn export_json(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let mut first = true;
    let rows = state
        .store
        .responses(&poll.id)
        .ready_chunks(ROWS_PER_CHUNK)
        .map(move |chunk| {
            let mut out = Vec::new();
            for r in chunk {
                out.extend(json::element(&r.map_err(io_error)?, first));
                first = false;
            }
            Ok::<_, std::io::Error>(Bytes::from(out))
        });
    let body = stream::once(async { Ok(Bytes::from_static(json::START)) })
        .chain(rows)
        .chain(stream::once(async { Ok(Bytes::from_static(json::END)) }));
    Ok(attachment(
        Body::from_stream(body),
        "application/json",
        file_name(&poll.id, "json"),
    ))
}
