//! How many connections the server holds, in all and per client address, so that one client
//! holding idle connections cannot take the file descriptors every other client needs.
//! Idle connections themselves are closed by the header-read timeout (see `server.rs`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// File descriptors kept free of connections: the database, its WAL and readers, exports'
/// own connections, the widget's files.
const RESERVED_FILES: u64 = 64;

/// Raises the open-file limit to what the system allows (systemd's default soft limit is
/// 1,024 where the hard one is far higher) and returns the limit in force.
pub fn raise_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!(error = %e, "could not raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// The connections to allow in all: `wanted`, but never so many that the server would run
/// out of file descriptors under `file_limit`.
pub fn cap_for(wanted: usize, file_limit: u64) -> usize {
    let room = usize::try_from(file_limit.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    wanted.min(room).max(1)
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// The connections open now, against their limits.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    total: usize,
    per_address: usize,
    counts: Arc<Mutex<Counts>>,
}

/// One admitted connection: it counts until dropped.
#[derive(Debug)]
pub struct Slot {
    address: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

impl ConnectionLimits {
    /// At most `total` connections, and `per_address` from one address.
    pub fn new(total: usize, per_address: usize) -> Self {
        Self {
            total,
            per_address,
            counts: Arc::default(),
        }
    }

    /// A slot for a new connection from `address`, or `None` when a limit is reached.
    pub fn admit(&self, address: IpAddr) -> Option<Slot> {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = counts.by_address.get(&address).copied().unwrap_or(0);
        if counts.total >= self.total || mine >= self.per_address {
            return None;
        }
        counts.total += 1;
        counts.by_address.insert(address, mine + 1);
        Some(Slot {
            address,
            counts: self.counts.clone(),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                // Addresses seen once do not stay in memory.
                counts.by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_address_cannot_take_every_slot() {
        let limits = ConnectionLimits::new(5, 2);
        let a: Vec<_> = (0..3)
            .filter_map(|_| limits.admit(ip("10.0.0.1")))
            .collect();
        assert_eq!(a.len(), 2);
        let b: Vec<_> = (0..3)
            .filter_map(|_| limits.admit(ip("10.0.0.2")))
            .collect();
        assert_eq!(b.len(), 2);
        let c = limits.admit(ip("10.0.0.3"));
        assert!(c.is_some());
        // Five in all: a fourth address waits for a slot to free.
        assert!(limits.admit(ip("10.0.0.4")).is_none());
        drop(a);
        assert_eq!(limits.open(), 3);
        assert!(limits.admit(ip("10.0.0.4")).is_some());
        // Dropped at once, and the first address' with it: neither stays in memory.
        assert_eq!(limits.counts.lock().unwrap().by_address.len(), 2);
    }

    #[test]
    fn the_cap_leaves_room_under_the_file_limit() {
        assert_eq!(cap_for(10_000, 1024), 960);
        assert_eq!(cap_for(500, 1024), 500);
        assert_eq!(cap_for(500, 10), 1);
    }
}
