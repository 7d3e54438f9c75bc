//! What a backend tells of its writes, for `/metrics`: how many writes each commit carried
//! and how long the commit took, the two figures that show whether batching works.

use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use std::time::Duration;

/// The histograms a backend's writer fills; clones share them.
#[derive(Clone, Debug)]
pub struct WriteStats {
    batch_size: Histogram,
    commit_seconds: Histogram,
}

impl Default for WriteStats {
    fn default() -> Self {
        Self {
            // 1, 2, 4, … 512: the writers' batches go up to 512.
            batch_size: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
            // 0.1 ms to about 3 s: an fsync on a good disk to a stalled one.
            commit_seconds: Histogram::new(exponential_buckets(0.0001, 2.5, 12)),
        }
    }
}

impl WriteStats {
    /// Records one committed batch of `writes` that took `commit` to commit.
    pub fn record(&self, writes: usize, commit: Duration) {
        // Batches hold at most a few hundred writes: exact as a float.
        #[allow(clippy::cast_precision_loss)]
        self.batch_size.observe(writes as f64);
        self.commit_seconds.observe(commit.as_secs_f64());
    }

    /// Writes per committed batch.
    pub fn batch_size(&self) -> &Histogram {
        &self.batch_size
    }

    /// Seconds each commit took.
    pub fn commit_seconds(&self) -> &Histogram {
        &self.commit_seconds
    }
}
