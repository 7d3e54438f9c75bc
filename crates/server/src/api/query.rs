//! Query parameters of the organiser routes that take some (paged lists, filters): read
//! once here, each fault a 400 naming its parameter.

use crate::error::{ApiError, FieldProblem};
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use std::collections::HashMap;

/// Query parameters, or a 400 naming the query.
pub fn params(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::BadParameter(FieldProblem::new("query", "malformed", e.body_text())))
}

/// A 400 naming the faulty parameter `field`.
pub fn bad(field: &str, code: &str, detail: impl Into<String>) -> ApiError {
    ApiError::BadParameter(FieldProblem::new(field, code, detail))
}

/// The `limit` parameter of a paged list: `default` when absent, 1 to `max`.
pub fn limit(
    params: &HashMap<String, String>,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match params.get("limit") {
        None => Ok(default),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                bad(
                    "limit",
                    "out_of_range",
                    format!("limit must be between 1 and {max}"),
                )
            }),
    }
}
