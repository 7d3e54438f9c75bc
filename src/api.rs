//! The collection server's public API, as the widget calls it: load a consultation, send
//! answers, read results.
//!
//! Requests are cross-origin from the host page: CORS mode, no credentials, no cookies. Every
//! failure becomes an [`ApiError`] variant the views can match on; problem details
//! (RFC 9457) are kept so that per-question errors reach the right question.

use crate::{decode, encode};
use concerto_core::{AnswerProblem, PollId, PublicPoll, Submission};
use concerto_ui::Lang;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestCredentials, RequestInit, RequestMode, Response};

/// How long the widget waits for the server to store an answer before keeping it in the
/// outbox and trying again later.
pub const SUBMIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// A client of one collection server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// The server's base URL, ending with `/`.
    base: Arc<str>,
}

/// What the server answers when it has stored a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The submission id that was sent.
    pub submission_id: String,
    /// When the server received it (RFC 3339).
    pub received_at: String,
}

/// One faulty field named by a problem response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, such as `answers.q3`.
    pub field: String,
    /// The problem, when it is one the widget knows how to word.
    pub problem: Option<AnswerProblem>,
    /// The server's own wording, used when `problem` is unknown.
    pub detail: Option<String>,
    /// The problem's code as the server sent it (`used` for a participation code, say).
    pub code: Option<String>,
}

impl Receipt {
    /// Reads a receipt body.
    fn decode(body: &JsValue) -> Option<Self> {
        let text = |key: &str| {
            js_sys::Reflect::get(body, &JsValue::from_str(key))
                .ok()?
                .as_string()
        };
        Some(Self {
            submission_id: text("submission_id")?,
            received_at: text("received_at")?,
        })
    }
}

impl FieldError {
    /// Whether this error is about the participation code.
    pub fn is_code(&self) -> bool {
        self.field == "code"
    }

    /// The question this error is about, when its field is `answers.{id}`.
    pub fn question(&self) -> Option<&str> {
        self.field.strip_prefix("answers.")
    }
}

/// A problem details (RFC 9457) body, reduced to what the widget shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    /// Short summary.
    pub title: Option<String>,
    /// Explanation of this occurrence.
    pub detail: Option<String>,
    /// One entry per faulty field.
    pub errors: Vec<FieldError>,
}

impl Problem {
    /// Reads a problem body loosely: missing or unexpected members are tolerated.
    pub fn from_json(body: &Value) -> Self {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let errors = body
            .get("errors")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|e| FieldError {
                        field: text(e, "field").unwrap_or_default(),
                        problem: answer_problem(e),
                        detail: text(e, "detail"),
                        code: text(e, "code"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            title: text(body, "title"),
            detail: text(body, "detail"),
            errors,
        }
    }
}

/// The answer problem an error entry names (`{"code": "too_few", "min": 2}`), when the widget
/// knows it. Read by hand rather than by the derived deserialiser, whose buffering of
/// internally tagged enums weighs on the wasm.
fn answer_problem(e: &Value) -> Option<AnswerProblem> {
    let n = |key: &str| e.get(key).and_then(Value::as_u64);
    let text = |key: &str| e.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(match e.get("code")?.as_str()? {
        "required" => AnswerProblem::Required,
        "unknown_question" => AnswerProblem::UnknownQuestion,
        "wrong_shape" => AnswerProblem::WrongShape {
            expected: text("expected")?,
        },
        "unknown_option" => AnswerProblem::UnknownOption {
            option: text("option")?,
        },
        "duplicate_option" => AnswerProblem::DuplicateOption,
        "other_not_allowed" => AnswerProblem::OtherNotAllowed,
        "other_empty" => AnswerProblem::OtherEmpty,
        "too_few" => AnswerProblem::TooFew {
            min: u16::try_from(n("min")?).ok()?,
        },
        "too_many" => AnswerProblem::TooMany {
            max: u16::try_from(n("max")?).ok()?,
        },
        "out_of_range" => AnswerProblem::OutOfRange {
            min: u8::try_from(n("min")?).ok()?,
            max: u8::try_from(n("max")?).ok()?,
        },
        "too_long" => AnswerProblem::TooLong {
            max: usize::try_from(n("max")?).ok()?,
        },
        _ => return None,
    })
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached, or its answer could not be read.
    Network,
    /// 404: no such published consultation.
    NotFound,
    /// 403: this origin may not post answers, or the results are not public.
    Forbidden(Problem),
    /// 409: the consultation is closed or not yet open.
    Conflict(Problem),
    /// 413: the answers are too large.
    TooLarge,
    /// 422: some answers were refused.
    Invalid(Problem),
    /// Any other status, such as a 5xx.
    Status(u16),
}

impl Api {
    /// A client of the server at `base`; a missing final `/` is added.
    pub fn new(base: &str) -> Self {
        let base = base.trim();
        let base = if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        };
        Self { base: base.into() }
    }

    /// The URL of `path` (no leading `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn poll_url(&self, id: &PollId, rest: &str) -> String {
        // Poll ids are restricted to [A-Za-z0-9_-] at parse time: nothing to escape.
        self.url(&format!("api/v1/polls/{id}{rest}"))
    }

    /// The public definition of a consultation.
    pub async fn poll(&self, id: &PollId) -> Result<PublicPoll, ApiError> {
        let response = send(request("GET", &self.poll_url(id, ""), None, None)).await?;
        read(response, decode::poll).await
    }

    /// The server's base URL, ending with `/`: with a poll id, it names what the device
    /// keeps about that consultation.
    pub fn server(&self) -> &str {
        &self.base
    }

    /// Sends one submission; a retry with the same submission id is answered as the first.
    /// A server that does not answer within [`SUBMIT_TIMEOUT`] counts as a network failure.
    pub async fn submit(&self, id: &PollId, submission: &Submission) -> Result<Receipt, ApiError> {
        let controller = web_sys::AbortController::new().ok();
        let timer = controller.clone().and_then(|c| {
            leptos::prelude::set_timeout_with_handle(move || c.abort(), SUBMIT_TIMEOUT).ok()
        });
        let body = encode::submission(submission).ok_or(ApiError::Network)?;
        let signal = controller.as_ref().map(web_sys::AbortController::signal);
        let url = self.poll_url(id, "/responses");
        let request = request("POST", &url, Some(&body), signal.as_ref());
        let result = match send(request).await {
            Ok(response) => read(response, Receipt::decode).await,
            Err(e) => Err(e),
        };
        if let Some(timer) = timer {
            timer.clear();
        }
        result
    }

    /// The public results of a consultation, as HTML the server rendered from the widget's
    /// components, in `lang`.
    pub async fn results_view(&self, id: &PollId, lang: Lang) -> Result<String, ApiError> {
        let url = self.poll_url(id, &format!("/results/view?lang={}", lang.code()));
        let response = send(request("GET", &url, None, None)).await?;
        let status = response.status();
        let body = text(&response).await.ok_or(ApiError::Network)?;
        if (200..300).contains(&status) {
            return Ok(body);
        }
        Err(failure(status, decode::parse(&body).as_ref()))
    }
}

/// A request to the server: cross-origin without cookies or other credentials, as every
/// request leaves; with a JSON `body` when given. Built on the browser's `fetch` directly: a
/// request builder crate brings more code into the wasm than these few calls.
fn request(
    method: &str,
    url: &str,
    body: Option<&str>,
    signal: Option<&AbortSignal>,
) -> Option<Request> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("Accept", "application/json, application/problem+json")
        .ok()?;
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").ok()?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    init.set_signal(signal);
    Request::new_with_str_and_init(url, &init).ok()
}

/// Sends `request` (`None` when it could not be built); any failure to get a response is a
/// network failure.
async fn send(request: Option<Request>) -> Result<Response, ApiError> {
    let request = request.ok_or(ApiError::Network)?;
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Network)?;
    response.dyn_into().map_err(|_| ApiError::Network)
}

/// The body of `response` as text, `None` when it could not be read.
async fn text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// Turns a response into its JSON body, read by `decode`, on 2xx, or into the matching error.
async fn read<T>(response: Response, decode: fn(&JsValue) -> Option<T>) -> Result<T, ApiError> {
    let status = response.status();
    let body = text(&response).await.and_then(|text| decode::parse(&text));
    if (200..300).contains(&status) {
        return body.as_ref().and_then(decode).ok_or(ApiError::Network);
    }
    Err(failure(status, body.as_ref()))
}

/// The error a non-2xx `status` stands for, with the problem its parsed `body` holds.
fn failure(status: u16, body: Option<&JsValue>) -> ApiError {
    let problem = || {
        body.map(|b| Problem::from_json(&decode::value(b)))
            .unwrap_or_default()
    };
    match status {
        404 => ApiError::NotFound,
        403 => ApiError::Forbidden(problem()),
        409 => ApiError::Conflict(problem()),
        413 => ApiError::TooLarge,
        422 => ApiError::Invalid(problem()),
        other => ApiError::Status(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_base_without_a_final_slash_gets_one() {
        assert_eq!(
            Api::new("https://x.test").url("api/v1/polls/a"),
            "https://x.test/api/v1/polls/a"
        );
        assert_eq!(Api::new("https://x.test/c/").url("e"), "https://x.test/c/e");
    }

    #[test]
    fn problem_errors_keep_known_codes_and_the_server_s_wording() {
        let p = Problem::from_json(&json!({
            "type": "about:blank", "title": "Invalid answers", "status": 422,
            "errors": [
                {"field": "answers.q3", "code": "required", "detail": "an answer is required"},
                {"field": "answers.q2", "code": "too_few", "min": 2},
                {"field": "answers.q9", "code": "something_new", "detail": "nouveau"},
                {"field": "submission_id", "code": "not_uuid"}
            ]
        }));
        assert_eq!(p.title.as_deref(), Some("Invalid answers"));
        assert_eq!(p.errors[0].question(), Some("q3"));
        assert_eq!(p.errors[0].problem, Some(AnswerProblem::Required));
        assert_eq!(p.errors[1].problem, Some(AnswerProblem::TooFew { min: 2 }));
        assert_eq!(p.errors[2].problem, None);
        assert_eq!(p.errors[2].detail.as_deref(), Some("nouveau"));
        assert_eq!(p.errors[3].question(), None);
    }

    #[test]
    fn every_answer_problem_reads_back_from_what_the_server_sends() {
        let all = [
            AnswerProblem::Required,
            AnswerProblem::UnknownQuestion,
            AnswerProblem::WrongShape {
                expected: "{\"rating\": integer}".into(),
            },
            AnswerProblem::UnknownOption {
                option: "zzz".into(),
            },
            AnswerProblem::DuplicateOption,
            AnswerProblem::OtherNotAllowed,
            AnswerProblem::OtherEmpty,
            AnswerProblem::TooFew { min: 2 },
            AnswerProblem::TooMany { max: 3 },
            AnswerProblem::OutOfRange { min: 1, max: 5 },
            AnswerProblem::TooLong { max: 500 },
        ];
        for problem in all {
            let sent = serde_json::to_value(&problem).unwrap();
            assert_eq!(answer_problem(&sent), Some(problem), "{sent}");
        }
    }

    #[test]
    fn a_problem_body_of_the_wrong_shape_is_empty() {
        assert_eq!(Problem::from_json(&json!("oops")), Problem::default());
    }
}
