//! Per-address (and per-account) limits: on new answers (a replay of one already stored costs
//! nothing and is never refused), so that one machine cannot flood a consultation, and on login attempts, so that passwords cannot be guessed at speed. Addresses
//! are kept in memory only, for as long as their bucket is not full again; they are never
//! written anywhere. Behind a reverse proxy, name it with `--trusted-proxy` so that the
//! limit applies to each resident's address, not to the proxy's.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Token buckets by key: client address by default, or anything else worth limiting (an
/// account's email for logins).
#[derive(Clone)]
pub struct RateLimiter<K = IpAddr> {
    per_minute: f64,
    burst: f64,
    buckets: Arc<Mutex<HashMap<K, (f64, Instant)>>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// Allows `burst` requests at once, refilled at `per_minute`; 0 disables the limit.
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute),
            burst: f64::from(burst.max(1)),
            buckets: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Takes one token for `key`; `false` when its bucket is empty.
    pub fn check(&self, key: K, now: Instant) -> bool {
        if self.per_minute <= 0.0 {
            return true;
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let refill = |(tokens, at): (f64, Instant)| {
            let elapsed = now.saturating_duration_since(at).as_secs_f64();
            (tokens + elapsed * self.per_minute / 60.0).min(self.burst)
        };
        // Forget full buckets now and then, so memory follows the active addresses only.
        if buckets.len() > 10_000 {
            buckets.retain(|_, b| refill(*b) < self.burst);
        }
        let tokens = buckets.get(&key).copied().map_or(self.burst, refill);
        let allowed = tokens >= 1.0;
        buckets.insert(key, (if allowed { tokens - 1.0 } else { tokens }, now));
        allowed
    }

    /// Gives back the token `check` took for `key`, when what it was taken for cost nothing
    /// (a replay of an answer already stored).
    pub fn refund(&self, key: &K) {
        if let Ok(mut buckets) = self.buckets.lock()
            && let Some((tokens, _)) = buckets.get_mut(key)
        {
            *tokens = (*tokens + 1.0).min(self.burst);
        }
    }
}

/// The client's address, when the server knows it: the one the trusted proxies forwarded
/// (see `proxy`), else the connection's peer.
pub fn client_ip(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<crate::proxy::ClientAddr>()
        .map(|c| c.0)
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
}

/// The client's address as a handler's argument (`None` when the server does not know it).
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(&parts.extensions)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refused_until_the_bucket_refills() {
        let limiter = RateLimiter::new(60, 3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.check(ip, t0)));
        assert!(!limiter.check(ip, t0));
        assert!(limiter.check(ip, t0 + Duration::from_secs(1)));
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(other, t0));
    }

    #[test]
    fn a_refunded_token_is_there_again() {
        let limiter = RateLimiter::new(1, 2);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        assert!(limiter.check(ip, t0));
        limiter.refund(&ip);
        assert!(limiter.check(ip, t0) && limiter.check(ip, t0));
        assert!(!limiter.check(ip, t0));
        // Never beyond the burst.
        for _ in 0..5 {
            limiter.refund(&ip);
        }
        assert!(limiter.check(ip, t0) && limiter.check(ip, t0));
        assert!(!limiter.check(ip, t0));
    }

    #[test]
    fn zero_per_minute_disables_the_limit() {
        let limiter = RateLimiter::new(0, 1);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!((0..100).all(|_| limiter.check(ip, Instant::now())));
    }
}
