//! Who the client is behind a reverse proxy. Behind nginx every connection comes from the
//! proxy, so the per-address answer limit would hold the whole town at once: for connections
//! from a trusted proxy (`--trusted-proxy`), the client is read from `Forwarded` (RFC 7239)
//! or `X-Forwarded-For`, walking back through the proxies listed as trusted; from anyone
//! else those headers are ignored, since anyone can send them.

use axum::http::HeaderMap;
use std::net::IpAddr;
use std::str::FromStr;

/// The client's address as this server believes it, for each request (see [`TrustedProxies`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// A range of addresses, such as `127.0.0.1/32` or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: IpAddr,
    bits: u8,
}

/// Why a `--trusted-proxy` entry is not a range.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an address or a range such as 10.0.0.0/8")]
pub struct CidrError(String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || CidrError(s.to_owned());
        let (addr, bits) = match s.trim().split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s.trim(), None),
        };
        let base: IpAddr = addr.parse().map_err(|_| err())?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(err)?,
            None => max,
        };
        Ok(Self { base, bits })
    }
}

impl Cidr {
    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(i)) => prefix(
                u128::from(u32::from(b)) << 96,
                u128::from(u32::from(i)) << 96,
                self.bits,
            ),
            (IpAddr::V6(b), IpAddr::V6(i)) => prefix(u128::from(b), u128::from(i), self.bits),
            // An IPv4 client seen through an IPv6 socket.
            (IpAddr::V4(_), IpAddr::V6(i)) => i
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

fn prefix(a: u128, b: u128, bits: u8) -> bool {
    bits == 0 || (a ^ b) >> (128 - u32::from(bits)) == 0
}

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// From a comma-separated list (`127.0.0.1/32,10.0.0.0/8`); empty trusts nobody.
    pub fn parse(list: &str) -> Result<Self, CidrError> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Cidr::from_str)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client of a request that came from `peer` with `headers`: the nearest address
    /// before the trusted proxies, or `peer` itself.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_for(headers);
        // From the nearest hop back: each trusted proxy vouches for the one before it.
        let mut client = peer;
        for hop in chain.into_iter().rev() {
            let Some(ip) = hop else {
                // An obfuscated or unreadable hop: nothing further back can be believed.
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// The `for` addresses the request's proxies recorded, oldest first (`None` for a hop that
/// is unreadable or hidden, such as `for=unknown`). `Forwarded` wins over `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| node(value.trim()))
                })
            })
            .collect();
    }
    values("x-forwarded-for").iter().map(|v| node(v)).collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`.
fn node(value: &str) -> Option<IpAddr> {
    let v = value.trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    v.parse().ok().or_else(|| {
        v.rsplit_once(':')
            .and_then(|(a, _)| a.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_read_and_match() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.1.2.3")) && !c.contains(ip("11.0.0.1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(one.contains(ip("::ffff:127.0.0.1")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("nope".parse::<Cidr>().is_err());
        assert!(TrustedProxies::parse("127.0.0.1/32, 10.0.0.0/8").is_ok());
        assert!(TrustedProxies::parse("127.0.0.1/32,x").is_err());
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let proxies = TrustedProxies::parse("127.0.0.1/32,10.0.0.0/8").unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.7, 10.0.0.5")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // Spoofed by a client that is not a proxy: ignored.
        assert_eq!(proxies.client(ip("198.51.100.1"), &h), ip("198.51.100.1"));
        // What the client itself put in front of the chain is not believed either.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // No header: the proxy itself.
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_standard_header_is_read_with_ports_and_brackets() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        let h = headers(&[(
            "forwarded",
            r#"for="[2001:db8::1]:4711";proto=https, for=198.51.100.9:80"#,
        )]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &h), ip("198.51.100.9"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &h), ip("127.0.0.1"));
        let h = headers(&[("forwarded", r#"for="[2001:db8::1]:4711""#)]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &h), ip("2001:db8::1"));
    }
}
