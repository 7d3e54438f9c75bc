//! Identifiers, each its own type so that a question id can never be passed as a poll id.
//!
//! Ids travel in URLs and HTML attributes, so they are restricted to a safe alphabet at
//! parse time and can then be used anywhere without escaping.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("must not be empty")]
    Empty,
    /// The id is longer than allowed.
    #[error("must be at most {0} characters")]
    TooLong(usize),
    /// The id holds a character outside its alphabet.
    #[error("may only contain letters, digits, '-' and '_'")]
    BadCharacter,
    /// The id is not a UUID.
    #[error("must be a UUID such as 0b6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b")]
    NotUuid,
}

/// Longest slug id, in bytes.
pub const SLUG_MAX: usize = 64;

fn parse_slug(s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.len() > SLUG_MAX {
        return Err(IdError::TooLong(SLUG_MAX));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `s` against the id alphabet (ASCII letters, digits, `-`, `_`; 1 to 64).
            pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                parse_slug(&s)?;
                Ok(Self(s))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(s).map_err(serde::de::Error::custom)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

slug_id!(
    /// A consultation's id, as it appears in URLs and in the embed snippet.
    PollId
);
slug_id!(
    /// An organisation's id.
    OrgId
);
slug_id!(
    /// A question's id, unique within its consultation.
    QuestionId
);
slug_id!(
    /// A choice option's id, unique within its question.
    OptionId
);

/// The id a client generates for one submission, so that retries are recognised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SubmissionId(String);

impl SubmissionId {
    /// Accepts a UUID in its 8-4-4-4-12 hexadecimal form, in either case; keeps it lowercase.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let groups: Vec<&str> = s.split('-').collect();
        let lengths = [8, 4, 4, 4, 12];
        let ok = groups.len() == lengths.len()
            && groups
                .iter()
                .zip(lengths)
                .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
        if ok {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(IdError::NotUuid)
        }
    }

    /// Builds a version 4 UUID from 16 random bytes supplied by the caller.
    pub fn from_random_bytes(mut b: [u8; 16]) -> Self {
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        Self::from_uuid_bytes(b)
    }

    /// Builds a version 7 UUID (RFC 9562): `unix_ms`, milliseconds since 1970, then 74 bits of
    /// `random`. Ids made at about the same time sort together, so the store's index of ids
    /// grows at its end instead of touching one page of it at random per answer.
    pub fn from_time_and_random(unix_ms: u64, random: [u8; 16]) -> Self {
        let mut b = random;
        b[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..]);
        b[6] = (b[6] & 0x0f) | 0x70;
        b[8] = (b[8] & 0x3f) | 0x80;
        Self::from_uuid_bytes(b)
    }

    fn from_uuid_bytes(b: [u8; 16]) -> Self {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Self(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SubmissionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_ids_accept_letters_digits_dash_and_underscore() {
        assert!(PollId::parse("Budget-2027_v2").is_ok());
    }

    #[test]
    fn slug_ids_refuse_markup_spaces_and_empty() {
        assert_eq!(PollId::parse(""), Err(IdError::Empty));
        assert_eq!(PollId::parse("a b"), Err(IdError::BadCharacter));
        assert_eq!(PollId::parse("<script>"), Err(IdError::BadCharacter));
        assert_eq!(PollId::parse("é"), Err(IdError::BadCharacter));
        assert_eq!(PollId::parse("x".repeat(65)), Err(IdError::TooLong(64)));
    }

    #[test]
    fn submission_ids_are_uuids_kept_lowercase() {
        let id = SubmissionId::parse("0B6F9C2E-3D4A-4F6B-9A1E-2C3D4E5F6A7B").unwrap();
        assert_eq!(id.as_str(), "0b6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b");
        assert!(SubmissionId::parse("0b6f9c2e3d4a4f6b9a1e2c3d4e5f6a7b").is_err());
        assert!(SubmissionId::parse("zb6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b").is_err());
    }

    #[test]
    fn random_bytes_make_a_parseable_v4_uuid() {
        let id = SubmissionId::from_random_bytes([0xff; 16]);
        assert_eq!(SubmissionId::parse(id.as_str()).unwrap(), id);
        assert_eq!(&id.as_str()[14..15], "4");
    }

    #[test]
    fn time_and_random_make_a_parseable_v7_uuid_that_sorts_by_time() {
        let id = SubmissionId::from_time_and_random(0x0193_7a2b_3c4d, [0xff; 16]);
        assert_eq!(id.as_str(), "01937a2b-3c4d-7fff-bfff-ffffffffffff");
        assert_eq!(SubmissionId::parse(id.as_str()), Ok(id.clone()));
        let later = SubmissionId::from_time_and_random(0x0193_7a2b_3c4e, [0; 16]);
        assert!(later.as_str() > id.as_str());
    }

    #[test]
    fn ids_deserialize_through_their_checks() {
        assert!(serde_json::from_str::<QuestionId>("\"q1\"").is_ok());
        assert!(serde_json::from_str::<QuestionId>("\"q 1\"").is_err());
    }
}
