//! Export routes: every answer of a consultation as CSV, JSON, ODS or XLSX, streamed in
//! chunks as they are read, so memory stays flat however many answers there are.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::error::{ApiError, FieldProblem};
use crate::export::layout::Layout;
use crate::export::{csv, json, ods, sheet, xlsx};
use crate::path_params::Path;
use crate::state::AppState;
use crate::store::StoredPoll;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use concerto_core::Language;
use futures_util::{StreamExt, stream};
use std::collections::HashMap;

/// Answers encoded per chunk sent.
const ROWS_PER_CHUNK: usize = 256;

/// Longest slug of a title in a file name.
const SLUG_MAX: usize = 60;

/// The UTF-8 byte-order mark: Excel needs it to read a CSV as UTF-8.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// The layout of `poll`'s exports, times in the server's export time zone.
fn layout(state: &AppState, poll: &StoredPoll) -> Layout {
    Layout::new(poll, state.time_zone.clone())
}

/// `ext` is the file's variant and extension: `csv`, `excel.csv`, `ods`…
fn attachment(body: Body, content_type: &'static str, poll: &StoredPoll, ext: &str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) =
        HeaderValue::from_str(&content_disposition(poll.spec.title.get(Language::Fr), ext))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// Folds the accented Latin letters of French (and neighbours) to ASCII.
fn fold(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        _ => "",
    }
}

/// The title as a lowercase ASCII slug: `Le marché d'été` → `le-marche-d-ete`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let folded = if c.is_ascii_alphanumeric() {
            c.to_string()
        } else {
            fold(c).to_owned()
        };
        if folded.is_empty() {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(&folded);
        }
        if out.len() >= SLUG_MAX {
            break;
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "concerto".to_owned()
    } else {
        out.to_owned()
    }
}

/// RFC 8187 encoding of a `filename*` value: every byte outside `attr-char` as `%XX`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `attachment` with an ASCII `filename` for old clients and the title as typed in
/// `filename*` (RFC 6266), both ending with today's date. The QR codes use it too.
pub(crate) fn content_disposition(title: &str, ext: &str) -> String {
    let date = time::OffsetDateTime::now_utc().date();
    // Characters no file system likes, and controls, become spaces in the UTF-8 name.
    let readable: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(100)
        .collect();
    let readable = if readable.is_empty() {
        "concerto".to_owned()
    } else {
        readable
    };
    // `excel.csv`: the variant goes after the date, `…-2026-12-01-excel.csv`.
    let (ascii_tail, readable_tail) = match ext.rsplit_once('.') {
        Some((variant, ext)) => (
            format!("{date}-{variant}.{ext}"),
            format!("{date} {variant}.{ext}"),
        ),
        None => (format!("{date}.{ext}"), format!("{date}.{ext}")),
    };
    format!(
        "attachment; filename=\"{}-{ascii_tail}\"; filename*=UTF-8''{}",
        slug(title),
        percent_encode(&format!("{readable} {readable_tail}"))
    )
}

fn io_error(e: crate::store::StoreError) -> std::io::Error {
    tracing::error!(error = %e, "export interrupted");
    std::io::Error::other(e.to_string())
}

/// The CSV separator chosen with `?separator=`.
fn separator(query: &HashMap<String, String>) -> Result<Option<u8>, ApiError> {
    match query.get("separator").map(String::as_str) {
        None | Some("comma") => Ok(None),
        Some("semicolon") => Ok(Some(b';')),
        Some(_) => Err(ApiError::BadParameter(FieldProblem::new(
            "separator",
            "invalid",
            "separator must be `comma` or `semicolon`",
        ))),
    }
}

/// `GET /api/v1/org/polls/{id}/export.csv[?separator=comma|semicolon]`: comma by default;
/// semicolon with a byte-order mark, as Excel in French locales expects.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/export.csv", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("separator" = Option<String>, Query, description = "`comma` (the default) or `semicolon` (with a byte-order mark, for Excel).")),
    responses(
        (status = 200, description = "The answers as CSV, one row each.", content_type = "text/csv", body = crate::openapi::Binary,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 400, description = "`separator` is neither `comma` nor `semicolon`."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn export_csv(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::BadParameter(FieldProblem::new("query", "malformed", e.body_text()))
    })?;
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    // The semicolon variant is the one for Excel: a name of its own, so that both can sit in
    // one folder.
    let (delimiter, bom, ext) = match separator(&query)? {
        Some(d) => (d, BOM, "excel.csv"),
        None => (b',', &b""[..], "csv"),
    };
    let layout = layout(&state, &poll);
    let mut header = bom.to_vec();
    header.extend(csv::encode_with(delimiter, [layout.header().as_slice()]));
    let header = Bytes::from(header);
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
            Ok(Bytes::from(csv::encode_cells(
                delimiter,
                rows.iter().map(Vec::as_slice),
            )))
        });
    let body = stream::once(async { Ok::<_, std::io::Error>(header) }).chain(rows);
    Ok(attachment(
        Body::from_stream(body),
        "text/csv; charset=utf-8",
        &poll,
        ext,
    ))
}

/// `GET /api/v1/org/polls/{id}/export.json`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/export.json", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The definition and every answer.", body = crate::openapi::JsonExport,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn export_json(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let layout = layout(&state, &poll);
    let start = Bytes::from(json::start(&poll));
    let mut first = true;
    let rows = state
        .store
        .responses(&poll.id)
        .ready_chunks(ROWS_PER_CHUNK)
        .map(move |chunk| {
            let mut out = Vec::new();
            for r in chunk {
                out.extend(json::element(&layout, &r.map_err(io_error)?, first));
                first = false;
            }
            Ok::<_, std::io::Error>(Bytes::from(out))
        });
    let body = stream::once(async { Ok(start) })
        .chain(rows)
        .chain(stream::once(async { Ok(Bytes::from_static(json::END)) }));
    Ok(attachment(
        Body::from_stream(body),
        "application/json",
        &poll,
        "json",
    ))
}

/// `GET /api/v1/org/polls/{id}/export.ods`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/export.ods", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The answers as an OpenDocument spreadsheet.", content_type = "application/vnd.oasis.opendocument.spreadsheet", body = crate::openapi::Binary,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn export_ods(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let body = sheet::stream(
        ods::Ods::default(),
        layout(&state, &poll),
        state.store.responses(&poll.id),
    );
    Ok(attachment(
        Body::from_stream(body),
        ods::MEDIA_TYPE,
        &poll,
        "ods",
    ))
}

/// `GET /api/v1/org/polls/{id}/export.xlsx`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/export.xlsx", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "The answers as an Excel workbook.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = crate::openapi::Binary,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let body = sheet::stream(
        xlsx::Xlsx::default(),
        layout(&state, &poll),
        state.store.responses(&poll.id),
    );
    Ok(attachment(
        Body::from_stream(body),
        xlsx::MEDIA_TYPE,
        &poll,
        "xlsx",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_ascii_slugs() {
        assert_eq!(slug("Le marché d'été 2026 !"), "le-marche-d-ete-2026");
        assert_eq!(slug("Œuvres & Cœur"), "oeuvres-coeur");
        assert_eq!(slug("日本"), "concerto");
        assert!(slug(&"a".repeat(500)).len() <= SLUG_MAX);
    }

    #[test]
    fn the_disposition_carries_an_ascii_name_and_the_title_in_utf8() {
        let d = content_disposition("Marché \"nord\"/sud", "ods");
        assert!(d.starts_with("attachment; filename=\"marche-nord-sud-"));
        assert!(d.contains(".ods\"; filename*=UTF-8''March%C3%A9%20nord%20sud%20"));
        assert!(d.is_ascii());
    }
}
