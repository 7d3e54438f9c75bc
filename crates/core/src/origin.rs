//! Web origins allowed to embed a consultation.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Why a string is not a web origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Not `http://` or `https://`.
    #[error("must start with https:// or http://")]
    Scheme,
    /// No host, or a host with characters a browser would never send.
    #[error("must name a host, such as https://asso.example")]
    Host,
    /// A path, query or fragment follows the host.
    #[error("must be scheme, host and port only, with no path")]
    Path,
    /// The port is not a number from 1 to 65535.
    #[error("has an invalid port")]
    Port,
    /// Longer than any real origin.
    #[error("is too long")]
    TooLong,
}

/// A web origin (`scheme://host[:port]`), lowercased, exactly as a browser sends it in the
/// `Origin` header, so that comparing origins is comparing strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Origin(String);

impl Origin {
    /// Parses and normalises an origin; a trailing `/` is tolerated and dropped.
    pub fn parse(s: &str) -> Result<Self, OriginError> {
        if s.len() > crate::limits::ORIGIN_MAX {
            return Err(OriginError::TooLong);
        }
        let lower = s.trim().to_ascii_lowercase();
        let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
            ("https", r)
        } else if let Some(r) = lower.strip_prefix("http://") {
            ("http", r)
        } else {
            return Err(OriginError::Scheme);
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@', '\\']) {
            return Err(OriginError::Path);
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (inner, after) = v6.split_once(']').ok_or(OriginError::Host)?;
            if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
                return Err(OriginError::Host);
            }
            (&rest[..inner.len() + 2], after.strip_prefix(':'))
        } else {
            match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            }
        };
        let host_ok = !host.is_empty()
            && (host.starts_with('[')
                || host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
        if !host_ok {
            return Err(OriginError::Host);
        }
        if let Some(p) = port {
            match p.parse::<u16>() {
                Ok(n) if n > 0 && !p.starts_with('0') => {}
                _ => return Err(OriginError::Port),
            }
        }
        Ok(Self(format!("{scheme}://{rest}")))
    }

    /// The origin as text, as found in an `Origin` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_to_what_browsers_send() {
        assert_eq!(
            Origin::parse("HTTPS://Asso.Example/").unwrap().as_str(),
            "https://asso.example"
        );
        assert_eq!(
            Origin::parse("http://localhost:8081").unwrap().as_str(),
            "http://localhost:8081"
        );
        assert_eq!(
            Origin::parse("http://[::1]:8081").unwrap().as_str(),
            "http://[::1]:8081"
        );
    }

    #[test]
    fn origins_with_paths_other_schemes_or_bad_ports_are_refused() {
        assert_eq!(
            Origin::parse("https://a.example/page"),
            Err(OriginError::Path)
        );
        assert_eq!(Origin::parse("ftp://a.example"), Err(OriginError::Scheme));
        assert_eq!(
            Origin::parse("javascript:alert(1)"),
            Err(OriginError::Scheme)
        );
        assert_eq!(Origin::parse("https://a.example:0"), Err(OriginError::Port));
        assert_eq!(
            Origin::parse("https://a.example:99999"),
            Err(OriginError::Port)
        );
        assert_eq!(Origin::parse("https://"), Err(OriginError::Host));
        assert_eq!(Origin::parse("https://a b.example"), Err(OriginError::Host));
    }
}
