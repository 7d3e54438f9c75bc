//! The server's clock for sessions and invitations. It is the system clock, plus an offset
//! that only tests move, so that a test can see a session expire without waiting for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use time::{Duration, OffsetDateTime};

/// The current time, as sessions and invitations see it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    /// Now (UTC), plus the offset.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward by `by`: for tests.
    pub fn advance(&self, by: Duration) {
        self.offset_secs
            .fetch_add(by.whole_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_a_clone_moves_every_clone() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = clock.now();
        other.advance(Duration::hours(13));
        let moved = clock.now() - before;
        assert!(moved >= Duration::hours(13) && moved < Duration::hours(13) + Duration::minutes(1));
    }
}
