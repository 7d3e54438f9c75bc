//! The HTTP API under `/api/v1`: public routes for residents' browsers, organiser routes for
//! token holders, and the exports.

pub mod account;
pub mod answers;
pub mod codes;
pub mod export;
pub mod follow;
pub mod organiser;
pub mod partners;
pub mod public;
pub mod qr;
pub mod query;

use crate::error::ApiError;
use concerto_core::PollId;

/// A consultation id from the path; a malformed one cannot exist, so it is a 404.
pub fn poll_id(raw: &str) -> Result<PollId, ApiError> {
    PollId::parse(raw).map_err(|_| ApiError::PollNotFound)
}
