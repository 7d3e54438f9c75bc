//! Query strings (`?lang=fr`) as the public pages and views read them: axum's own extractor,
//! whose refusals (a parameter given twice, a value of the wrong type) become a 400 problem
//! naming the query instead of axum's plain-text body.

use crate::error::{ApiError, FieldProblem};
use axum::extract::FromRequestParts;
use axum::extract::rejection::QueryRejection;

/// The request's query, deserialised into `T`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadParameter(FieldProblem::new(
            "query",
            "malformed",
            rejection.body_text(),
        ))
    }
}
