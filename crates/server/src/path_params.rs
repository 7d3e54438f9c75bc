//! Path parameters (`/api/v1/polls/{id}`) as every route reads them: axum's own extractor,
//! whose refusals (a segment that is not UTF-8 once percent-decoded, `%ff`) become a 400
//! problem naming the parameter instead of axum's plain-text body.

use crate::error::{ApiError, FieldProblem};
use axum::extract::FromRequestParts;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;

/// The route's path parameters, deserialised into `T`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        let (field, detail) = match &rejection {
            PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
                ErrorKind::InvalidUtf8InPathParam { key } => (
                    key.clone(),
                    "not valid UTF-8 once percent-decoded".to_owned(),
                ),
                ErrorKind::ParseErrorAtKey { key, .. }
                | ErrorKind::DeserializeError { key, .. } => (key.clone(), e.body_text()),
                _ => ("path".to_owned(), e.body_text()),
            },
            _ => ("path".to_owned(), rejection.body_text()),
        };
        ApiError::BadParameter(FieldProblem::new(&field, "malformed", detail))
    }
}
