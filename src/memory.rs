//! What the device remembers about consultations it answered, so that a resident coming
//! back sees the thanks (and results) rather than the form again. Stored in `localStorage`,
//! never in a cookie; a device that refuses storage simply shows the form again.

use crate::storage::{KeyValue, key};
use concerto_core::SubmissionId;

/// Whether one consultation of one server was answered on this device.
#[derive(Debug)]
pub struct Answered<S> {
    store: S,
    key: String,
}

impl<S: KeyValue> Answered<S> {
    /// The record of consultation `poll` on the server at `server` (its base URL).
    pub fn new(store: S, server: &str, poll: &str) -> Self {
        Self {
            store,
            key: key("answered", server, poll),
        }
    }

    /// Whether an answer from this device was stored by the server.
    pub fn is_answered(&self) -> bool {
        self.store.get(&self.key).is_some()
    }

    /// Notes that the server stored the submission `id`.
    pub fn remember(&self, id: &SubmissionId) {
        self.store.set(&self.key, id.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;

    #[test]
    fn an_answer_is_remembered_for_its_consultation_only() {
        let device = MemoryStorage::default();
        let id = SubmissionId::from_random_bytes([7; 16]);
        assert!(!Answered::new(&device, "s/", "p").is_answered());
        Answered::new(&device, "s/", "p").remember(&id);
        assert!(Answered::new(&device, "s/", "p").is_answered());
        assert!(!Answered::new(&device, "s/", "q").is_answered());
        assert!(!Answered::new(&device, "t/", "p").is_answered());
    }

    #[test]
    fn a_device_that_refuses_storage_remembers_nothing() {
        let device = MemoryStorage::read_only();
        Answered::new(&device, "s/", "p").remember(&SubmissionId::from_random_bytes([7; 16]));
        assert!(!Answered::new(&device, "s/", "p").is_answered());
    }
}
