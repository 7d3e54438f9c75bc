//! Participation codes, as the organiser's API hands them out and counts them.

use serde::{Deserialize, Serialize};

/// How many participation codes a consultation has, and how many were used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeCounts {
    /// Codes made for it.
    pub total: u64,
    /// Codes an answer used.
    pub used: u64,
}

/// A request for new codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCodes {
    /// How many, from 1 to [`MAX_NEW_CODES`].
    pub count: u32,
}

/// Most codes made by one request (a town's letterboxes, a few at a time).
pub const MAX_NEW_CODES: u32 = 5_000;

/// New codes, shown this once: the server keeps only their hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCodes {
    /// The codes, as printed (`K7M-3QX`).
    pub codes: Vec<String>,
    /// The consultation's codes after this request.
    pub counts: CodeCounts,
}
