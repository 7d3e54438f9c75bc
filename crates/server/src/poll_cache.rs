//! The consultations residents load, kept in memory for a moment. Every answer needs its
//! consultation's definition, and reading and parsing it from the database for each one was
//! most of a submit's cost. Edits made through this server forget the entry at once; another
//! server sharing the database sees them within [`FRESH_FOR`].

use crate::store::{Store, StoreError, StoredPoll};
use concerto_core::PollId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry is used without asking the database again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Entries kept at most: past it the stale ones go, and all of them if none is stale, so
/// that requests for many consultations cannot grow the memory without bound.
const MAX_ENTRIES: usize = 4096;

/// Consultations by id, each with when it was read. Only consultations that exist are kept:
/// requests for made-up ids cannot fill it.
#[derive(Default)]
pub struct PollCache {
    entries: Mutex<HashMap<PollId, (Instant, Arc<StoredPoll>)>>,
}

impl PollCache {
    /// The consultation `id`, from memory while fresh, else from `store`. Its answer count is
    /// not kept up to date: what counts answers reads them from the store.
    pub async fn get(
        &self,
        store: &dyn Store,
        id: &PollId,
    ) -> Result<Option<Arc<StoredPoll>>, StoreError> {
        let now = Instant::now();
        if let Some(poll) = self.fresh(id, now) {
            return Ok(Some(poll));
        }
        let Some(poll) = store.poll(id).await? else {
            self.forget(id);
            return Ok(None);
        };
        let poll = Arc::new(poll);
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| now.duration_since(*at) < FRESH_FOR);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(id.clone(), (now, poll.clone()));
        Ok(Some(poll))
    }

    /// Drops what is known of `id`, after an edit, a change of state or a deletion.
    pub fn forget(&self, id: &PollId) {
        self.lock().remove(id);
    }

    fn fresh(&self, id: &PollId, now: Instant) -> Option<Arc<StoredPoll>> {
        let entries = self.lock();
        let (at, poll) = entries.get(id)?;
        (now.duration_since(*at) < FRESH_FOR).then(|| poll.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PollId, (Instant, Arc<StoredPoll>)>> {
        // A panic while holding the lock leaves the map as it was: still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::{OrgId, PollSpec};

    fn spec(title: &str) -> PollSpec {
        serde_json::from_value(serde_json::json!({
            "title": title,
            "questions": [{"id": "q1", "prompt": "Oui ?", "kind": "single_choice",
                           "options": [{"id": "o1", "label": "Oui"}]}]
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn a_fresh_entry_spares_the_store_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open_sqlite(dir.path()).unwrap();
        let (org, id) = (
            OrgId::parse("mairie").unwrap(),
            PollId::parse("p1").unwrap(),
        );
        store.create_org(&org, "Mairie").await.unwrap();
        store.create_poll(&org, &id, &spec("Avant")).await.unwrap();
        let cache = PollCache::default();
        let first = cache.get(store.as_ref(), &id).await.unwrap().unwrap();
        assert_eq!(first.spec.title, "Avant".into());
        // Changed behind the cache's back: still the entry read a moment ago.
        store.update_poll(&org, &id, &spec("Après")).await.unwrap();
        let cached = cache.get(store.as_ref(), &id).await.unwrap().unwrap();
        assert!(Arc::ptr_eq(&first, &cached));
        cache.forget(&id);
        let read = cache.get(store.as_ref(), &id).await.unwrap().unwrap();
        assert_eq!(read.spec.title, "Après".into());
    }

    #[tokio::test]
    async fn unknown_ids_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open_sqlite(dir.path()).unwrap();
        let cache = PollCache::default();
        let id = PollId::parse("nope").unwrap();
        assert!(cache.get(store.as_ref(), &id).await.unwrap().is_none());
        assert!(cache.lock().is_empty());
    }
}
