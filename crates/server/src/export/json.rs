//! JSON export: one array of answers, written element by element so it streams.

use crate::store::StoredResponse;
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Serialize)]
struct Item<'a> {
    submission_id: &'a concerto_core::SubmissionId,
    #[serde(with = "time::serde::rfc3339")]
    received_at: OffsetDateTime,
    answers: &'a concerto_core::Answers,
}

/// The opening of the export.
pub const START: &[u8] = b"[\n";
/// The end of the export.
pub const END: &[u8] = b"\n]\n";

/// One answer as an element of the array; `first` decides the separator.
pub fn element(r: &StoredResponse, first: bool) -> Vec<u8> {
    let mut out = if first { Vec::new() } else { b",\n".to_vec() };
    let item = Item {
        submission_id: &r.submission_id,
        received_at: r.received_at,
        answers: &r.answers,
    };
    // Serialising plain data into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut out, &item);
    out
}
