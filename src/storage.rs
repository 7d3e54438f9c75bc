//! The device's own storage, where the widget keeps what must outlive the page: answers not
//! yet sent (the outbox) and which consultations were answered. Never cookies.
//!
//! `localStorage` may be missing or throw (private browsing, sandboxed iframes, a full quota,
//! a host that forbids it): every call here swallows the failure, so the widget then simply
//! forgets across reloads and still works within the page.

use std::cell::RefCell;
use std::collections::BTreeMap;

/// A string key-value store: `localStorage` in the browser, a map in tests.
pub trait KeyValue {
    /// The value at `key`, or `None` when absent or unreadable.
    fn get(&self, key: &str) -> Option<String>;
    /// Stores `value` at `key`; `false` when the store refused it.
    fn set(&self, key: &str, value: &str) -> bool;
    /// Removes `key`, if the store allows it.
    fn remove(&self, key: &str);
}

/// The browser's `localStorage`, looked up at each call so that one that throws (or
/// appears later) never breaks the widget.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        Self::storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }

    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
}

/// A store in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    map: RefCell<BTreeMap<String, String>>,
    read_only: bool,
}

impl MemoryStorage {
    /// A store that refuses every write, as a full or forbidden `localStorage` does.
    pub fn read_only() -> Self {
        Self {
            read_only: true,
            ..Self::default()
        }
    }
}

impl KeyValue for MemoryStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.map.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        if self.read_only {
            return false;
        }
        self.map
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        true
    }

    fn remove(&self, key: &str) {
        self.map.borrow_mut().remove(key);
    }
}

impl<T: KeyValue + ?Sized> KeyValue for &T {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }

    fn set(&self, key: &str, value: &str) -> bool {
        (**self).set(key, value)
    }

    fn remove(&self, key: &str) {
        (**self).remove(key)
    }
}

/// The key of one kind of record (`outbox`, `answered`) for one consultation of one server:
/// two servers may both have a consultation with the same id.
pub fn key(kind: &str, server: &str, poll: &str) -> String {
    format!("concerto:v1:{kind}:{server}#{poll}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_kind_server_and_consultation() {
        let a = key("outbox", "https://a.test/", "p1");
        assert_ne!(a, key("answered", "https://a.test/", "p1"));
        assert_ne!(a, key("outbox", "https://b.test/", "p1"));
        assert_ne!(a, key("outbox", "https://a.test/", "p2"));
    }

    #[test]
    fn a_read_only_store_refuses_writes_and_stays_empty() {
        let s = MemoryStorage::read_only();
        assert!(!s.set("k", "v"));
        assert_eq!(s.get("k"), None);
    }
}
