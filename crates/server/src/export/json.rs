//! JSON export: the consultation's definition (its questions, with their prompts and the
//! labels of their options) beside the array of answers, which is written element by element
//! so it streams. Times are ISO 8601 with the offset of the export's time zone.

use super::layout::{Layout, iso};
use crate::store::{StoredPoll, StoredResponse};
use serde::Serialize;

/// The definition the answers refer to: their question and option ids are explained here.
#[derive(Serialize)]
struct Definition<'a> {
    id: &'a concerto_core::PollId,
    title: &'a concerto_core::Text,
    questions: &'a [concerto_core::Question],
}

#[derive(Serialize)]
struct Item<'a> {
    submission_id: &'a concerto_core::SubmissionId,
    received_at: String,
    /// The partner organisation's id and name, if it came through one.
    #[serde(skip_serializing_if = "Option::is_none")]
    partner: Option<PartnerRef<'a>>,
    via: concerto_core::Via,
    answers: &'a concerto_core::Answers,
}

#[derive(Serialize)]
struct PartnerRef<'a> {
    id: &'a concerto_core::OrgId,
    name: String,
}

/// The opening of the export, up to the first answer.
pub fn start(poll: &StoredPoll) -> Vec<u8> {
    let definition = Definition {
        id: &poll.id,
        title: &poll.spec.title,
        questions: &poll.spec.questions,
    };
    let mut out = b"{\"consultation\": ".to_vec();
    // Serialising plain data into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut out, &definition);
    out.extend_from_slice(b",\n\"answers\": [\n");
    out
}

/// The end of the export.
pub const END: &[u8] = b"\n]}\n";

/// One answer as an element of the array; `first` decides the separator.
pub fn element(layout: &Layout, r: &StoredResponse, first: bool) -> Vec<u8> {
    let mut out = if first { Vec::new() } else { b",\n".to_vec() };
    let item = Item {
        submission_id: &r.submission_id,
        received_at: iso(&layout.local(r.received_at)),
        partner: r.partner.as_ref().map(|id| PartnerRef {
            id,
            name: layout.partner_name(id),
        }),
        via: r.via,
        answers: &r.answers,
    };
    let _ = serde_json::to_writer(&mut out, &item);
    out
}
