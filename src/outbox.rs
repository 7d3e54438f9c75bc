//! The outbox: answers kept on the device until the server has stored them.
//!
//! An answer is written here before it is sent, so that closing the page, losing the network
//! or a server that does not answer never loses it; it leaves once the server acknowledged it
//! (or refused it for good). A later page load of the same consultation finds it and sends it
//! again with the same submission id, which the server recognises: nothing is stored twice.

use crate::api::ApiError;
use crate::storage::{KeyValue, key};
use concerto_core::{Submission, SubmissionId};
use std::time::Duration;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;

/// The submissions kept as JSON. In the browser, its own parser reads them (serde_json's
/// would weigh on the wasm, see `decode`); natively, for the tests, serde_json does.
fn read_submissions(json: &str) -> Option<Vec<Submission>> {
    #[cfg(target_arch = "wasm32")]
    {
        let list: js_sys::Array = crate::decode::parse(json)?.dyn_into().ok()?;
        list.iter().map(|s| crate::decode::submission(&s)).collect()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(json).ok()
    }
}

/// The submissions as JSON, written the same way they are read.
fn write_submissions(pending: &[Submission]) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        crate::encode::submissions(pending)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::to_string(pending).ok()
    }
}

/// The submissions waiting to be sent for one consultation of one server.
#[derive(Debug)]
pub struct Outbox<S> {
    store: S,
    key: String,
}

impl<S: KeyValue> Outbox<S> {
    /// The outbox of consultation `poll` on the server at `server` (its base URL).
    pub fn new(store: S, server: &str, poll: &str) -> Self {
        Self {
            store,
            key: key("outbox", server, poll),
        }
    }

    /// The waiting submissions, oldest first. An unreadable record counts as empty.
    pub fn pending(&self) -> Vec<Submission> {
        self.store
            .get(&self.key)
            .and_then(|json| read_submissions(&json))
            .unwrap_or_default()
    }

    /// Keeps `submission` until [`Outbox::remove`]; a submission with the same id is kept
    /// once (the first copy stays). `false` when the device refused to store it.
    pub fn put(&self, submission: &Submission) -> bool {
        let mut pending = self.pending();
        if pending
            .iter()
            .any(|s| s.submission_id == submission.submission_id)
        {
            return true;
        }
        pending.push(submission.clone());
        self.write(&pending)
    }

    /// Forgets the submission with this id.
    pub fn remove(&self, id: &SubmissionId) {
        let mut pending = self.pending();
        let before = pending.len();
        pending.retain(|s| &s.submission_id != id);
        if pending.len() != before {
            self.write(&pending);
        }
    }

    fn write(&self, pending: &[Submission]) -> bool {
        if pending.is_empty() {
            self.store.remove(&self.key);
            return true;
        }
        write_submissions(pending).is_some_and(|json| self.store.set(&self.key, &json))
    }
}

/// Whether sending again later may succeed: the network failed or timed out, the server
/// failed (5xx) or asked to slow down (429, 408). Any other answer is final.
pub fn is_transient(error: &ApiError) -> bool {
    match error {
        ApiError::Network => true,
        ApiError::Status(status) => *status >= 500 || *status == 429 || *status == 408,
        _ => false,
    }
}

/// How long to wait before the attempt after `failures` failed ones: 2 s, doubling, at most
/// one minute. The `online` event sends at once whatever the delay.
pub fn retry_delay(failures: u32) -> Duration {
    let seconds = 2u64.saturating_mul(1 << failures.min(5));
    Duration::from_secs(seconds.min(60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;
    use serde_json::json;

    fn submission(id: &str, rating: u8) -> Submission {
        Submission {
            submission_id: SubmissionId::parse(id).unwrap(),
            answers: [("note".to_owned(), json!({ "rating": rating }))].into(),
            code: None,
            partner: None,
            via: None,
        }
    }

    const A: &str = "0b1f6b6e-31a2-4c39-9f3e-0a3c5d2e4f10";
    const B: &str = "7d4e2c1a-5b6f-4a8e-9c0d-1e2f3a4b5c6d";

    #[test]
    fn a_kept_submission_survives_a_new_outbox_on_the_same_device() {
        let device = MemoryStorage::default();
        assert!(Outbox::new(&device, "https://s.test/", "p").put(&submission(A, 4)));
        // A reload: a new outbox over the same storage.
        let again = Outbox::new(&device, "https://s.test/", "p");
        assert_eq!(again.pending(), vec![submission(A, 4)]);
        // Another consultation, or the same id on another server, has its own outbox.
        assert!(
            Outbox::new(&device, "https://s.test/", "q")
                .pending()
                .is_empty()
        );
        assert!(
            Outbox::new(&device, "https://t.test/", "p")
                .pending()
                .is_empty()
        );
    }

    #[test]
    fn a_kept_submission_keeps_its_participation_code() {
        let device = MemoryStorage::default();
        let with_code = Submission {
            code: Some("K7M-3QX".into()),
            partner: None,
            via: None,
            ..submission(A, 4)
        };
        assert!(Outbox::new(&device, "s/", "p").put(&with_code));
        assert_eq!(Outbox::new(&device, "s/", "p").pending(), vec![with_code]);
    }

    #[test]
    fn a_kept_submission_keeps_its_partner_and_its_door() {
        let device = MemoryStorage::default();
        let through_partner = Submission {
            partner: Some("abcdefghijkm".into()),
            via: Some(concerto_core::Via::Qr),
            ..submission(A, 4)
        };
        let on_site = Submission {
            via: Some(concerto_core::Via::Site),
            ..submission(B, 2)
        };
        let outbox = Outbox::new(&device, "s/", "p");
        assert!(outbox.put(&through_partner) && outbox.put(&on_site));
        // A reload reads back both, each with its own partner and door.
        assert_eq!(
            Outbox::new(&device, "s/", "p").pending(),
            vec![through_partner, on_site]
        );
        // Under the names the API takes (`encode` writes the same ones in the browser).
        let kept = device.get(&key("outbox", "s/", "p")).unwrap();
        assert!(
            kept.contains(r#""partner":"abcdefghijkm","via":"qr""#),
            "{kept}"
        );
        assert!(kept.contains(r#""via":"site""#), "{kept}");
    }

    #[test]
    fn a_submission_kept_before_partners_existed_reads_back_without_partner_or_door() {
        let device = MemoryStorage::default();
        device.set(
            &key("outbox", "s/", "p"),
            &format!(r#"[{{"submission_id":"{A}","answers":{{"note":{{"rating":4}}}}}}]"#),
        );
        assert_eq!(
            Outbox::new(&device, "s/", "p").pending(),
            vec![submission(A, 4)]
        );
    }

    #[test]
    fn the_same_submission_put_twice_is_kept_once() {
        let device = MemoryStorage::default();
        let outbox = Outbox::new(&device, "s/", "p");
        outbox.put(&submission(A, 4));
        outbox.put(&submission(A, 4));
        outbox.put(&submission(B, 2));
        assert_eq!(outbox.pending(), vec![submission(A, 4), submission(B, 2)]);
    }

    #[test]
    fn a_removed_submission_leaves_the_others_and_an_empty_outbox_leaves_no_record() {
        let device = MemoryStorage::default();
        let outbox = Outbox::new(&device, "s/", "p");
        outbox.put(&submission(A, 4));
        outbox.put(&submission(B, 2));
        outbox.remove(&SubmissionId::parse(A).unwrap());
        assert_eq!(outbox.pending(), vec![submission(B, 2)]);
        outbox.remove(&SubmissionId::parse(B).unwrap());
        assert_eq!(device.get(&key("outbox", "s/", "p")), None);
    }

    #[test]
    fn a_device_that_refuses_storage_or_holds_garbage_yields_an_empty_outbox() {
        let refusing = MemoryStorage::read_only();
        let outbox = Outbox::new(&refusing, "s/", "p");
        assert!(!outbox.put(&submission(A, 4)));
        assert!(outbox.pending().is_empty());

        let garbage = MemoryStorage::default();
        garbage.set(&key("outbox", "s/", "p"), "{not json");
        assert!(Outbox::new(&garbage, "s/", "p").pending().is_empty());
    }

    #[test]
    fn network_failures_server_errors_and_throttling_are_retried_other_refusals_are_not() {
        assert!(is_transient(&ApiError::Network));
        assert!(is_transient(&ApiError::Status(503)));
        assert!(is_transient(&ApiError::Status(500)));
        assert!(is_transient(&ApiError::Status(429)));
        assert!(!is_transient(&ApiError::Status(400)));
        assert!(!is_transient(&ApiError::NotFound));
        assert!(!is_transient(&ApiError::TooLarge));
        assert!(!is_transient(&ApiError::Invalid(Default::default())));
    }

    #[test]
    fn retries_back_off_from_two_seconds_to_at_most_a_minute() {
        assert_eq!(retry_delay(0), Duration::from_secs(2));
        assert_eq!(retry_delay(1), Duration::from_secs(4));
        assert_eq!(retry_delay(4), Duration::from_secs(32));
        assert_eq!(retry_delay(5), Duration::from_secs(60));
        assert_eq!(retry_delay(u32::MAX), Duration::from_secs(60));
    }
}
