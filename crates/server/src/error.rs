//! The one error type of the HTTP layer and its one mapping to responses: RFC 9457
//! `application/problem+json`, with one entry per faulty field where there are fields.

use crate::edit::BreakingChange;
use crate::store::StoreError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use concerto_core::{AnswerError, Availability, SpecError};
use serde::Serialize;
use serde_json::{Map, Value};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use concerto_core::api::{FieldProblem, Problem};

/// Splits a serialised `{"code": …, params…}` problem into code and parameters.
fn tagged(field: String, problem: impl Serialize, detail: String) -> FieldProblem {
    let mut params = match serde_json::to_value(problem) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let code = match params.remove("code") {
        Some(Value::String(s)) => s,
        _ => "invalid".into(),
    };
    FieldProblem {
        field,
        code,
        detail,
        params,
    }
}

/// The problem entry of a refused answer.
fn answer_problem(e: &AnswerError) -> FieldProblem {
    tagged(
        format!("answers.{}", e.question),
        &e.problem,
        e.problem.to_string(),
    )
}

/// The problem entry of an edit refused because answers depend on what it changes.
fn breaking_problem(c: &BreakingChange) -> FieldProblem {
    tagged(c.field.clone(), &c.problem, c.problem.to_string())
}

/// The problem entry of a refused consultation definition.
fn spec_problem(e: &SpecError) -> FieldProblem {
    tagged(e.field.clone(), &e.problem, e.problem.to_string())
}

/// Everything a request can fail with. The doc comment of each variant gives its status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or not the JSON expected.
    #[error("the request body is malformed")]
    MalformedBody(FieldProblem),
    /// 400: a path or query parameter is malformed.
    #[error("invalid parameter")]
    BadParameter(FieldProblem),
    /// 401: no token or session, or one that matches no organisation.
    #[error("a valid organiser token or session is required")]
    Unauthorized,
    /// 401: the email or the password is wrong (which one is not said).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// 403: a state-changing request authenticated by cookie came from another site.
    #[error("cross-site requests are refused")]
    CrossSite,
    /// 404: no such invitation, or it was used or has expired.
    #[error("this invitation does not exist, was already used or has expired")]
    InvitationInvalid,
    /// 409: an account already has this email.
    #[error("an account already uses this email")]
    EmailTaken,
    /// 422: some fields of the request are not valid.
    #[error("some fields are not valid")]
    InvalidInput(Vec<FieldProblem>),
    /// 429: too many login attempts for this account or from this address.
    #[error("too many login attempts; try again in a minute")]
    TooManyLoginAttempts,
    /// 403: the page's origin may not embed this consultation.
    #[error("this site may not embed this consultation")]
    OriginNotAllowed,
    /// 403: the results are not public (yet).
    #[error("the results of this consultation are not public")]
    ResultsHidden,
    /// 404: no such consultation (or not visible to the caller).
    #[error("no such consultation")]
    PollNotFound,
    /// 404: the consultation has no answer with this submission id.
    #[error("no such answer")]
    AnswerNotFound,
    /// 404: no such partnership (the consultation has no such partner, or the caller's
    /// organisation is not invited to co-host it).
    #[error("no such partnership")]
    PartnershipNotFound,
    /// 409: the request conflicts with the state of the thing it names (the field).
    #[error("conflict: {}", .0.detail)]
    Conflict(FieldProblem),
    /// 404: the organisation has no pending invitation with this id.
    #[error("no such pending invitation")]
    InvitationNotFound,
    /// 404: no such route.
    #[error("no such resource")]
    RouteNotFound,
    /// 405: the route exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the consultation does not accept answers now.
    #[error("this consultation does not accept answers now")]
    NotAccepting(Availability),
    /// 409: the state change is not allowed from the current state.
    #[error("this consultation cannot go from {from} to {to}")]
    BadTransition {
        /// Current state.
        from: &'static str,
        /// Requested state.
        to: &'static str,
    },
    /// 409: the submission id was already used with different answers.
    #[error("this submission id was already used with other answers")]
    SubmissionReused,
    /// 422 (409 when used): the participation code is missing, mistyped, unknown or used.
    #[error("{0}")]
    CodeRefused(CodeRefusal),
    /// 409: the edit would strand answers already given (one entry per field).
    #[error("this consultation has answers that the edit would strand")]
    BreakingEdit(Vec<BreakingChange>),
    /// 413: the body is larger than allowed.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// 503: the consultation changed while the answer was being checked; send it again.
    #[error("the consultation changed meanwhile, send the answer again")]
    PollChanged,
    /// 408: the request took too long to arrive (a body trickling in).
    #[error("the request took too long to arrive")]
    RequestTimeout,
    /// 429: too many answers from one address; try again shortly.
    #[error("too many answers from this address; try again in a minute")]
    TooManyRequests,
    /// 415: the body is not `application/json`.
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// 422: some answers break the consultation's rules.
    #[error("some answers are not valid")]
    InvalidAnswers(Vec<AnswerError>),
    /// 422: one field of the body is out of its bounds.
    #[error("{}", .0.detail)]
    Unprocessable(FieldProblem),
    /// 422: the consultation's definition breaks the rules.
    #[error("the consultation is not valid")]
    InvalidSpec(Vec<SpecError>),
    /// 500: something failed on our side; the detail is logged, never sent.
    #[error("internal error")]
    Internal(String),
    /// 503: storage is shutting down or out of reach.
    #[error("the service is unavailable, try again shortly")]
    Unavailable,
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::PollNotFound,
            StoreError::SubmissionConflict => ApiError::SubmissionReused,
            StoreError::CodeUnknown => ApiError::CodeRefused(CodeRefusal::Unknown),
            StoreError::CodeUsed => ApiError::CodeRefused(CodeRefusal::Used),
            StoreError::Unavailable => ApiError::Unavailable,
            StoreError::Stale => ApiError::PollChanged,
            StoreError::CannotWrite(detail) => {
                // Never an acknowledgement: the client keeps the answer and sends it again.
                tracing::warn!(%detail, "storage cannot write");
                ApiError::Unavailable
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Why a participation code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeRefusal {
    /// The consultation asks for one and none was sent.
    #[error("this consultation asks for a participation code")]
    Missing,
    /// Not the shape of a code.
    #[error("a participation code is six letters and digits, like K7M-3QX")]
    Format,
    /// The shape of a code, with a typing mistake its check character caught.
    #[error("this participation code has a typing mistake")]
    Typo,
    /// Well formed, but not one of this consultation's codes.
    #[error("this is not a participation code of this consultation")]
    Unknown,
    /// One of its codes, already used by another answer.
    #[error("this participation code was already used")]
    Used,
}

impl CodeRefusal {
    /// The field problem's code.
    pub fn code(self) -> &'static str {
        match self {
            CodeRefusal::Missing => "required",
            CodeRefusal::Format => "format",
            CodeRefusal::Typo => "typo",
            CodeRefusal::Unknown => "unknown",
            CodeRefusal::Used => "used",
        }
    }
}

impl From<concerto_core::CodeError> for CodeRefusal {
    fn from(e: concerto_core::CodeError) -> Self {
        match e {
            concerto_core::CodeError::Format => CodeRefusal::Format,
            concerto_core::CodeError::Check => CodeRefusal::Typo,
        }
    }
}

impl ApiError {
    /// The status it is answered with.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    fn parts(&self) -> (StatusCode, &'static str, Vec<FieldProblem>) {
        use ApiError::*;
        match self {
            MalformedBody(f) => (StatusCode::BAD_REQUEST, "malformed-body", vec![f.clone()]),
            BadParameter(f) => (StatusCode::BAD_REQUEST, "bad-parameter", vec![f.clone()]),
            Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                vec![FieldProblem::new(
                    "Authorization",
                    "invalid_token",
                    "send `Authorization: Bearer <token>` with an organisation's token, or log in",
                )],
            ),
            InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid-credentials",
                vec![FieldProblem::new(
                    "credentials",
                    "invalid",
                    "the email or the password is wrong",
                )],
            ),
            CrossSite => (
                StatusCode::FORBIDDEN,
                "cross-site",
                vec![FieldProblem::new(
                    "Origin",
                    "cross_site",
                    "state-changing requests with a session cookie must come from this server's own pages",
                )],
            ),
            InvitationInvalid => (
                StatusCode::NOT_FOUND,
                "invitation-not-found",
                vec![FieldProblem::new("token", "invalid", self.to_string())],
            ),
            EmailTaken => (
                StatusCode::CONFLICT,
                "email-taken",
                vec![FieldProblem::new("email", "taken", self.to_string())],
            ),
            InvalidInput(errs) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-input",
                errs.clone(),
            ),
            TooManyLoginAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-login-attempts",
                vec![],
            ),
            OriginNotAllowed => (
                StatusCode::FORBIDDEN,
                "origin-not-allowed",
                vec![FieldProblem::new(
                    "Origin",
                    "not_allowed",
                    "add this origin to the consultation's allowed_origins",
                )],
            ),
            ResultsHidden => (StatusCode::FORBIDDEN, "results-hidden", vec![]),
            PollNotFound => (StatusCode::NOT_FOUND, "poll-not-found", vec![]),
            AnswerNotFound => (StatusCode::NOT_FOUND, "answer-not-found", vec![]),
            PartnershipNotFound => (StatusCode::NOT_FOUND, "partnership-not-found", vec![]),
            Conflict(f) => (StatusCode::CONFLICT, "conflict", vec![f.clone()]),
            InvitationNotFound => (StatusCode::NOT_FOUND, "invitation-not-found", vec![]),
            RouteNotFound => (StatusCode::NOT_FOUND, "not-found", vec![]),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", vec![]),
            NotAccepting(a) => {
                let code = match a {
                    Availability::NotYetOpen => "not_yet_open",
                    _ => "closed",
                };
                (
                    StatusCode::CONFLICT,
                    "not-accepting",
                    vec![FieldProblem::new("poll", code, self.to_string())],
                )
            }
            BadTransition { .. } => (
                StatusCode::CONFLICT,
                "bad-transition",
                vec![FieldProblem::new(
                    "state",
                    "bad_transition",
                    self.to_string(),
                )],
            ),
            SubmissionReused => (
                StatusCode::CONFLICT,
                "submission-reused",
                vec![FieldProblem::new(
                    "submission_id",
                    "reused",
                    "generate a new submission id for a new answer",
                )],
            ),
            CodeRefused(why) => (
                if *why == CodeRefusal::Used {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                "code-refused",
                vec![FieldProblem::new("code", why.code(), why.to_string())],
            ),
            BreakingEdit(changes) => (
                StatusCode::CONFLICT,
                "breaking-edit",
                changes.iter().map(breaking_problem).collect(),
            ),
            PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", vec![]),
            RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request-timeout", vec![]),
            PollChanged => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", vec![]),
            TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", vec![]),
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                vec![FieldProblem::new(
                    "Content-Type",
                    "unsupported",
                    "use application/json",
                )],
            ),
            InvalidAnswers(errs) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-answers",
                errs.iter().map(answer_problem).collect(),
            ),
            Unprocessable(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-field",
                vec![f.clone()],
            ),
            InvalidSpec(errs) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-poll",
                errs.iter().map(spec_problem).collect(),
            ),
            Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", vec![]),
            Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", vec![]),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, errors) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let detail = match &self {
            ApiError::MalformedBody(f) | ApiError::BadParameter(f) => f.detail.clone(),
            other => other.to_string(),
        };
        let body = Problem {
            kind: format!("urn:concerto:problem:{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut resp = (status, axum::Json(body)).into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if matches!(
            self,
            ApiError::TooManyRequests | ApiError::TooManyLoginAttempts
        ) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        if matches!(self, ApiError::Unavailable | ApiError::PollChanged) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        if matches!(self, ApiError::Unauthorized | ApiError::InvalidCredentials) {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"concerto\""),
            );
        }
        resp
    }
}
