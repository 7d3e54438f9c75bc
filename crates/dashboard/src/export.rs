//! The export buttons: each fetches its export with the session cookie, reads the body as a
//! stream while showing how far it got (answers counted for CSV and JSON, kilobytes for the
//! spreadsheets), then saves it under the server's file name.

use crate::api::{self, ApiError, Problem};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::error_text;
use concerto_core::PollId;
use gloo_net::http::Request;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, RequestCredentials};

/// What an export's body is measured in while it arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// CSV: records, counted by line ends outside quotes, less the header line.
    CsvRows,
    /// JSON: elements of the array, one per line.
    JsonItems,
    /// ODS, XLSX: compressed, only bytes.
    Bytes,
}

/// Counts answers in a streamed body, chunk by chunk.
#[derive(Clone, Debug, Default)]
pub struct Counter {
    lines: u64,
    in_quotes: bool,
    after_newline: bool,
    bytes: u64,
}

impl Counter {
    /// Takes the next chunk.
    pub fn push(&mut self, measure: Measure, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        for &b in chunk {
            match measure {
                Measure::CsvRows => match b {
                    b'"' => self.in_quotes = !self.in_quotes,
                    b'\n' if !self.in_quotes => self.lines += 1,
                    _ => {}
                },
                // Compact JSON has no raw line end inside a string: each element starts a line.
                Measure::JsonItems => {
                    if self.after_newline && b == b'{' {
                        self.lines += 1;
                    }
                    self.after_newline = b == b'\n';
                }
                Measure::Bytes => {}
            }
        }
    }

    /// Takes a chunk's length only.
    pub fn skip(&mut self, len: u64) {
        self.bytes += len;
    }

    /// The answers counted so far (CSV: the header line is not one).
    pub fn answers(&self, measure: Measure) -> u64 {
        match measure {
            Measure::CsvRows => self.lines.saturating_sub(1),
            _ => self.lines,
        }
    }

    /// The bytes received so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

/// The file name of a `Content-Disposition` header: `filename*` (RFC 6266, UTF-8) when
/// present, else `filename`; `None` when neither gives a usable name.
pub fn file_name(disposition: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for part in disposition.split(';').map(str::trim) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                let value = value.trim();
                if let Some(encoded) = value
                    .get(..7)
                    .filter(|p| p.eq_ignore_ascii_case("utf-8''"))
                    .map(|_| &value[7..])
                {
                    extended = percent_decode(encoded);
                }
            }
            "filename" => plain = Some(value.trim().trim_matches('"').to_owned()),
            _ => {}
        }
    }
    extended
        .or(plain)
        .map(|n| n.replace(['/', '\\'], " ").trim().to_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Where one export is.
#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    Running(Reading),
    Done(Reading),
    Failed(String),
}

/// A counter's readings, for the view.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Reading {
    answers: u64,
    bytes: u64,
}

/// One export: its format, its query, its label and its test id.
type ExportButton = (
    &'static str,
    &'static str,
    fn(&i18n::Texts) -> &'static str,
    &'static str,
);

/// The buttons of every export of the answers; `total` is the consultation's answer count.
#[component]
pub fn Exports(
    /// The consultation.
    id: PollId,
    /// Its answer count, as the page knows it.
    #[prop(into)]
    total: Signal<u64>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let buttons: [ExportButton; 5] = [
        ("csv", "", |t| t.export_csv, "export-csv"),
        (
            "csv",
            "?separator=semicolon",
            |t| t.export_csv_semicolon,
            "export-csv-semicolon",
        ),
        ("json", "", |t| t.export_json, "export-json"),
        ("ods", "", |t| t.export_ods, "export-ods"),
        ("xlsx", "", |t| t.export_xlsx, "export-xlsx"),
    ];
    let items = buttons
        .into_iter()
        .map(|(format, query, label, testid)| {
            let url = api::export_url(&id, format, query);
            let measure = match format {
                "csv" => Measure::CsvRows,
                "json" => Measure::JsonItems,
                _ => Measure::Bytes,
            };
            let fallback = format!("concerto-{id}.{format}");
            view! { <ExportButton url fallback measure label testid total /> }
        })
        .collect_view();
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-exports-title">
            <h2 id="cc-admin-exports-title">{move || ctx.t().exports}</h2>
            <p class="cc-admin-note" data-testid="export-hint">{move || ctx.t().export_hint}</p>
            <ul class="cc-admin-exports">{items}</ul>
        </section>
    }
}

#[component]
fn ExportButton(
    url: String,
    fallback: String,
    measure: Measure,
    label: fn(&i18n::Texts) -> &'static str,
    testid: &'static str,
    total: Signal<u64>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let progress = RwSignal::new(Progress::Idle);
    let running = move || matches!(progress.get(), Progress::Running(_));
    let start = move |_| {
        if running() {
            return;
        }
        progress.set(Progress::Running(Reading {
            answers: 0,
            bytes: 0,
        }));
        let url = url.clone();
        let fallback = fallback.clone();
        leptos::task::spawn_local(async move {
            let outcome = download(&url, &fallback, measure, progress).await;
            let _ = progress.try_update(|p| {
                *p = match (outcome, &*p) {
                    (Ok(()), Progress::Running(c)) => Progress::Done(*c),
                    (Ok(()), _) => Progress::Idle,
                    (Err(e), _) => Progress::Failed(error_text(ctx, &e)),
                }
            });
        });
    };
    // The figures: answers (CSV, JSON) out of the known total, or kilobytes received.
    let max = move || match measure {
        Measure::Bytes => 1,
        _ => total.get().max(1),
    };
    let counted = move |c: Reading| match measure {
        Measure::Bytes => i18n::kilobytes_received(ctx.lang.get(), c.bytes),
        _ => i18n::answers_of(ctx.lang.get(), c.answers, total.get().max(c.answers)),
    };
    let status = move || match progress.get() {
        Progress::Idle => None,
        Progress::Running(c) => Some(counted(c)),
        Progress::Done(c) => Some(i18n::export_done(ctx.lang.get(), &counted(c))),
        Progress::Failed(m) => Some(m),
    };
    let bar = move || {
        let (value, shown) = match progress.get() {
            Progress::Running(c) if measure != Measure::Bytes => {
                (Some(c.answers.min(max()) as f64), true)
            }
            Progress::Running(_) => (None, true),
            Progress::Done(_) => (Some(max() as f64), true),
            _ => (None, false),
        };
        shown.then(|| {
            let aria = format!("{} — {}", ctx.t().export_progress, label(ctx.t()));
            view! {
                <progress data-testid=format!("{testid}-progress") aria-label=aria
                    max=move || max() as f64 value=value></progress>
            }
        })
    };
    let failed = move || matches!(progress.get(), Progress::Failed(_));
    view! {
        <li class="cc-admin-export">
            <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid=testid
                disabled=running aria-busy=move || running().to_string() on:click=start>
                {move || label(ctx.t())}
            </button>
            {bar}
            <p class="cc-admin-status" class:cc-admin-error=failed data-testid=format!("{testid}-status")
                role="status" aria-live="polite">{status}</p>
        </li>
    }
}

/// Fetches the export, reading its body as a stream, and saves it.
async fn download(
    url: &str,
    fallback: &str,
    measure: Measure,
    progress: RwSignal<Progress>,
) -> Result<(), ApiError> {
    let response = Request::get(url)
        .credentials(RequestCredentials::Include)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let status = response.status();
    if !(200..300).contains(&status) {
        return Err(match status {
            401 => {
                api::session_ended();
                ApiError::Unauthorized
            }
            429 => ApiError::TooMany,
            other => ApiError::Status(other, response.json::<Problem>().await.unwrap_or_default()),
        });
    }
    let name = response
        .headers()
        .get("content-disposition")
        .and_then(|d| file_name(&d))
        .unwrap_or_else(|| fallback.to_owned());
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let reader: ReadableStreamDefaultReader = response
        .body()
        .ok_or(ApiError::Network)?
        .get_reader()
        .unchecked_into();
    let chunks = js_sys::Array::new();
    let mut counter = Counter::default();
    loop {
        let next = JsFuture::from(reader.read())
            .await
            .map_err(|_| ApiError::Network)?;
        let done = js_sys::Reflect::get(&next, &JsValue::from_str("done"))
            .map_err(|_| ApiError::Network)?
            .is_truthy();
        if done {
            break;
        }
        let value = js_sys::Reflect::get(&next, &JsValue::from_str("value"))
            .map_err(|_| ApiError::Network)?;
        let chunk: js_sys::Uint8Array = value.dyn_into().map_err(|_| ApiError::Network)?;
        if measure == Measure::Bytes {
            counter.skip(u64::from(chunk.length()));
        } else {
            counter.push(measure, &chunk.to_vec());
        }
        chunks.push(&chunk);
        let reading = Reading {
            answers: counter.answers(measure),
            bytes: counter.bytes(),
        };
        if progress.try_set(Progress::Running(reading)).is_some() {
            // The page is gone: nobody waits for the file any more.
            let _ = reader.cancel();
            return Ok(());
        }
    }
    save(&chunks, &content_type, &name).map_err(|_| ApiError::Network)
}

/// Saves the chunks as a file: a Blob's object URL on a temporary `<a download>`, clicked,
/// then revoked.
pub(crate) fn save(chunks: &js_sys::Array, content_type: &str, name: &str) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(chunks, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = document();
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    let body = document.body().ok_or(JsValue::NULL)?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    // Revoked once the browser has taken the file.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(10),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_csv_records_across_chunks_and_quoted_line_ends() {
        let mut c = Counter::default();
        c.push(Measure::CsvRows, b"\xef\xbb\xbfa,b\r\n1,\"x\r\ny\"\r\n2,");
        assert_eq!(c.answers(Measure::CsvRows), 1);
        c.push(Measure::CsvRows, b"\"dit \"\"oui\"\"\"\r\n");
        assert_eq!(c.answers(Measure::CsvRows), 2);
        assert_eq!(c.bytes(), 35);
    }

    #[test]
    fn counts_json_elements_across_chunks() {
        let mut c = Counter::default();
        c.push(Measure::JsonItems, b"[\n");
        assert_eq!(c.answers(Measure::JsonItems), 0);
        c.push(Measure::JsonItems, b"{\"a\":\"{x\"},\n");
        c.push(Measure::JsonItems, b"{\"a\":1}\n]\n");
        assert_eq!(c.answers(Measure::JsonItems), 2);
        let mut empty = Counter::default();
        empty.push(Measure::JsonItems, b"[\n\n]\n");
        assert_eq!(empty.answers(Measure::JsonItems), 0);
    }

    #[test]
    fn file_name_prefers_the_utf8_name() {
        let d = "attachment; filename=\"marche-2026-01-02.csv\"; filename*=UTF-8''March%C3%A9%20nord%202026-01-02.csv";
        assert_eq!(file_name(d).as_deref(), Some("Marché nord 2026-01-02.csv"));
        assert_eq!(
            file_name("attachment; filename=\"a-2026.json\"").as_deref(),
            Some("a-2026.json")
        );
        assert_eq!(
            file_name("attachment; filename*=UTF-8''%FF; filename=\"x.ods\"").as_deref(),
            Some("x.ods")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"..\""), None);
    }
}
