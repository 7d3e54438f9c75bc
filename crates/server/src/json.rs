//! `ApiJson`: the JSON body extractor of every route. Unlike axum's `Json`, every way a body
//! can be wrong (type, size, syntax, shape) answers in our problem+json shape, and a wrong
//! field is named by its JSON path.

use crate::error::{ApiError, FieldProblem};
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// A JSON request body, parsed into `T`.
pub struct ApiJson<T>(pub T);

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Parses `bytes` as `T`, naming the faulty field on error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (field, code) = match inner.classify() {
            serde_json::error::Category::Data => (
                if path == "." { "body".to_owned() } else { path },
                "invalid",
            ),
            _ => ("body".to_owned(), "malformed_json"),
        };
        ApiError::MalformedBody(FieldProblem::new(field, code, inner.to_string()))
    })
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::MalformedBody(FieldProblem::new("body", "unreadable", r.body_text()))
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::Submission;

    fn field(body: &str) -> String {
        match parse::<Submission>(body.as_bytes()) {
            Err(ApiError::MalformedBody(f)) => f.field,
            other => panic!("expected a malformed body, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_field_is_named_by_its_path() {
        assert_eq!(
            field(r#"{"submission_id": "x", "answers": {}}"#),
            "submission_id"
        );
        assert_eq!(
            field(r#"{"submission_id": "0b6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b", "answers": 3}"#),
            "answers"
        );
    }

    #[test]
    fn broken_json_is_blamed_on_the_body() {
        assert_eq!(field("{\"submission_id\": "), "body");
        assert_eq!(field("[]"), "body");
    }
}
