//! The consultations residents load, kept in memory for a moment. Every answer needs its
//! consultation's definition, and reading and parsing it from the database for each one was
//! most of a submit's cost. Edits made through this server forget the entry at once; those
//! made through another server sharing the database are forgotten as soon as the store
//! hears of them ([`PollCache::follow`]), and within [`FRESH_FOR`] whatever happens to that
//! news. Answers are safe either way: the store refuses one checked against an old version.

use crate::store::{PollChange, Store, StoreError, StoredPoll};
use concerto_core::PollId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::{Receiver, error::RecvError};

/// How long an entry is used without asking the database again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Entries kept at most: past it the stale ones go, and all of them if none is stale, so
/// that requests for many consultations cannot grow the memory without bound.
const MAX_ENTRIES: usize = 4096;

/// The entries and how many times some were forgotten.
#[derive(Default)]
struct Entries {
    polls: HashMap<PollId, (Instant, Arc<StoredPoll>)>,
    /// Moves on at every forgetting, so that a read from the store begun before one (which
    /// may hold the version just replaced) is not kept after it.
    forgettings: u64,
}

/// Consultations by id, each with when it was read. Only consultations that exist are kept:
/// requests for made-up ids cannot fill it.
#[derive(Default)]
pub struct PollCache {
    // Shared with the task following the store's changes, which holds it weakly so that it
    // ends with the cache.
    entries: Arc<Mutex<Entries>>,
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
        let forgettings = match self.fresh(id, now) {
            Ok(poll) => return Ok(Some(poll)),
            Err(forgettings) => forgettings,
        };
        let Some(poll) = store.poll(id).await? else {
            // Deleted: nothing of it may come back, so no need to hold other reads back.
            self.lock().polls.remove(id);
            return Ok(None);
        };
        let poll = Arc::new(poll);
        self.keep(id, &poll, now, forgettings);
        Ok(Some(poll))
    }

    /// Drops what is known of `id`, after an edit, a change of state or a deletion.
    pub fn forget(&self, id: &PollId) {
        let mut entries = self.lock();
        entries.polls.remove(id);
        entries.forgettings += 1;
    }

    /// Forgets consultations as `changes` tells, in a task of its own (so the requests never
    /// wait for it), until the cache or the store is gone. Must be called within a Tokio
    /// runtime.
    pub fn follow(&self, mut changes: Receiver<PollChange>) {
        let entries = Arc::downgrade(&self.entries);
        tokio::spawn(async move {
            loop {
                let change = changes.recv().await;
                let Some(entries) = Weak::upgrade(&entries) else {
                    return;
                };
                let mut entries = lock(&entries);
                match change {
                    Ok(PollChange::Changed(id)) => {
                        entries.polls.remove(&id);
                    }
                    // Changes were missed, by the store or by this task falling behind.
                    Ok(PollChange::All) | Err(RecvError::Lagged(_)) => entries.polls.clear(),
                    // The store hears of no changes (or is gone): entries expire as they are.
                    Err(RecvError::Closed) => return,
                }
                entries.forgettings += 1;
            }
        });
    }

    /// The entry of `id` if fresh, else how many forgettings there were until now.
    fn fresh(&self, id: &PollId, now: Instant) -> Result<Arc<StoredPoll>, u64> {
        let entries = self.lock();
        match entries.polls.get(id) {
            Some((at, poll)) if now.duration_since(*at) < FRESH_FOR => Ok(poll.clone()),
            _ => Err(entries.forgettings),
        }
    }

    /// Keeps `poll`, read at `now`, unless something was forgotten since `forgettings` was
    /// seen: it might be what that forgetting was about, read just before it committed.
    fn keep(&self, id: &PollId, poll: &Arc<StoredPoll>, now: Instant, forgettings: u64) {
        let mut entries = self.lock();
        if entries.forgettings != forgettings {
            return;
        }
        if entries.polls.len() >= MAX_ENTRIES {
            entries
                .polls
                .retain(|_, (at, _)| now.duration_since(*at) < FRESH_FOR);
            if entries.polls.len() >= MAX_ENTRIES {
                entries.polls.clear();
            }
        }
        entries.polls.insert(id.clone(), (now, poll.clone()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        lock(&self.entries)
    }
}

fn lock(entries: &Mutex<Entries>) -> std::sync::MutexGuard<'_, Entries> {
    // A panic while holding the lock leaves the map as it was: still usable.
    entries
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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

    /// A fresh SQLite store (in the directory returned with it) holding one consultation,
    /// "Avant", of one organisation.
    async fn one_poll() -> (
        tempfile::TempDir,
        std::sync::Arc<dyn crate::store::Store>,
        OrgId,
        PollId,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open_sqlite(dir.path()).unwrap();
        let (org, id) = (
            OrgId::parse("mairie").unwrap(),
            PollId::parse("p1").unwrap(),
        );
        store.create_org(&org, "Mairie").await.unwrap();
        store.create_poll(&org, &id, &spec("Avant")).await.unwrap();
        (dir, store, org, id)
    }

    #[tokio::test]
    async fn a_fresh_entry_spares_the_store_until_forgotten() {
        let (_dir, store, org, id) = one_poll().await;
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
    async fn changes_the_store_hears_of_forget_their_entries() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open_sqlite(dir.path()).unwrap();
        let org = OrgId::parse("mairie").unwrap();
        store.create_org(&org, "Mairie").await.unwrap();
        let ids = ["p1", "p2", "p3"].map(|id| PollId::parse(id).unwrap());
        let cache = PollCache::default();
        for id in &ids {
            store.create_poll(&org, id, &spec("Avant")).await.unwrap();
            cache.get(store.as_ref(), id).await.unwrap().unwrap();
        }
        let (changes, heard) = tokio::sync::broadcast::channel(8);
        cache.follow(heard);
        let kept = |cache: &PollCache| {
            let mut ids: Vec<_> = cache.lock().polls.keys().map(|id| id.to_string()).collect();
            ids.sort();
            ids
        };
        let until = async |cache: &PollCache, want: &[&str]| {
            tokio::time::timeout(Duration::from_secs(5), async {
                while kept(cache) != want {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
            .await
            .unwrap_or_else(|_| panic!("kept {:?}, not {want:?}", kept(cache)));
        };
        changes.send(PollChange::Changed(ids[1].clone())).unwrap();
        until(&cache, &["p1", "p3"]).await;
        changes.send(PollChange::All).unwrap();
        until(&cache, &[]).await;
    }

    #[tokio::test]
    async fn a_read_begun_before_a_forgetting_is_not_kept() {
        let (_dir, store, org, id) = one_poll().await;
        let cache = PollCache::default();
        let now = Instant::now();
        let seen = cache.fresh(&id, now).unwrap_err();
        let read = Arc::new(store.poll(&id).await.unwrap().unwrap());
        // The edit commits and is heard of while the read is on its way back.
        store.update_poll(&org, &id, &spec("Après")).await.unwrap();
        cache.forget(&id);
        cache.keep(&id, &read, now, seen);
        assert!(cache.lock().polls.is_empty());
        let again = cache.get(store.as_ref(), &id).await.unwrap().unwrap();
        assert_eq!(again.spec.title, "Après".into());
        assert_eq!(cache.lock().polls.len(), 1, "a read after it is kept");
    }

    #[tokio::test]
    async fn unknown_ids_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open_sqlite(dir.path()).unwrap();
        let cache = PollCache::default();
        let id = PollId::parse("nope").unwrap();
        assert!(cache.get(store.as_ref(), &id).await.unwrap().is_none());
        assert!(cache.lock().polls.is_empty());
    }
}
