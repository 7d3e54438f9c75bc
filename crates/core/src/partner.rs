//! Partners: the organisations that co-host a consultation with its owner, and where each
//! answer came from. A partner's key is public (it sits in the partner's snippet and on its
//! flyers' QR codes): it says which partner brought an answer, it grants nothing.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The characters of a partner key: lowercase letters and digits but for those that read
/// alike (0 and o, 1 and l), so that a key copied from paper is the key printed.
const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// A key's length: 60 random bits, enough that keys are never guessed by accident.
const KEY_LEN: usize = 12;

/// Why a text is not a partner key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a partner key is 12 lowercase letters and digits, as in the partner's snippet")]
pub struct PartnerKeyError;

/// A partner's key for one consultation, as written in its snippet
/// (`data-concerto-partner="…"`) and in its QR codes' links (`?partner=…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct PartnerKey(String);

impl PartnerKey {
    /// Reads a key; surrounding spaces are ignored, capitals are not (keys are lowercase).
    pub fn parse(s: &str) -> Result<Self, PartnerKeyError> {
        let s = s.trim();
        if s.len() == KEY_LEN && s.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(PartnerKeyError)
        }
    }

    /// A new key from random bytes (each reduced to the alphabet: 32 divides 256, so each
    /// character is as likely as any other).
    pub fn from_random(random: [u8; KEY_LEN]) -> Self {
        Self(
            random
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
                .collect(),
        )
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartnerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PartnerKey {
    type Error = PartnerKeyError;
    fn try_from(s: String) -> Result<Self, PartnerKeyError> {
        Self::parse(&s)
    }
}

impl From<PartnerKey> for String {
    fn from(k: PartnerKey) -> String {
        k.0
    }
}

/// How an answer reached the server: which of the consultation's doors the resident used.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The widget embedded on a website (the owner's or a partner's).
    #[default]
    Site,
    /// The standalone page, from a link.
    Page,
    /// The standalone page, from a QR code (a poster, a flyer, a letter).
    Qr,
}

impl Via {
    /// Its name in the API, the store and exports' raw form.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Site => "site",
            Via::Page => "page",
            Via::Qr => "qr",
        }
    }

    /// Reads the API's name of a door.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "site" => Some(Via::Site),
            "page" => Some(Via::Page),
            "qr" => Some(Via::Qr),
            _ => None,
        }
    }
}

/// Whether a partner organisation took up its invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartnerState {
    /// Invited by the owner; the partner has not accepted yet.
    Invited,
    /// Co-hosting: its sites may embed the consultation, its dashboard follows it.
    Active,
    /// Removed by the owner or left: its sites no longer embed it, but answers through its
    /// flyers and links still count for it (they were printed), and its past answers keep
    /// its name.
    Ended,
}

impl PartnerState {
    /// Its name in the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerState::Invited => "invited",
            PartnerState::Active => "active",
            PartnerState::Ended => "ended",
        }
    }

    /// Reads the store's name of a state.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "invited" => Some(PartnerState::Invited),
            "active" => Some(PartnerState::Active),
            "ended" => Some(PartnerState::Ended),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_reads_back_and_uses_only_its_alphabet() {
        let key = PartnerKey::from_random([0, 31, 32, 200, 255, 7, 8, 9, 10, 11, 12, 13]);
        assert_eq!(key.as_str().len(), 12);
        assert_eq!(PartnerKey::parse(key.as_str()), Ok(key.clone()));
        assert_eq!(PartnerKey::parse(&format!(" {key} ")), Ok(key.clone()));
        for c in "0o1l".chars() {
            assert!(!key.as_str().contains(c));
        }
    }

    #[test]
    fn what_is_not_a_key_is_refused() {
        for s in [
            "",
            "abc",
            "abcdefghijkm2",
            "ABCDEFGHIJKM",
            "abcdefghijk0",
            "abcdefghijk-",
        ] {
            assert_eq!(PartnerKey::parse(s), Err(PartnerKeyError), "{s}");
        }
    }

    #[test]
    fn doors_and_states_read_back_their_names() {
        for via in [Via::Site, Via::Page, Via::Qr] {
            assert_eq!(Via::parse(via.as_str()), Some(via));
        }
        for state in [
            PartnerState::Invited,
            PartnerState::Active,
            PartnerState::Ended,
        ] {
            assert_eq!(PartnerState::parse(state.as_str()), Some(state));
        }
        assert_eq!(Via::parse("email"), None);
    }
}
