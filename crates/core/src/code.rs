//! Participation codes: one answer per code, for consultations that want one voice per
//! household without tracking anyone. A code is five characters drawn at random and a check
//! character, shown as `K7M-3QX`; the alphabet leaves out what reads alike on a printed slip
//! (0 and O, 1, I and L, U and V, 2 and Z, 5 and S, 8 and B), so that what a resident types from
//! paper is what was printed, and the check character catches a mistyped or swapped one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The characters of a code, none of them easily read as another.
const ALPHABET: &[u8; 23] = b"34679ACDEFGHJKMNPQRTWXY";
/// Characters drawn at random; a check character follows them.
const RANDOM_LEN: usize = 5;

/// Whether a consultation limits answers to one per participation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Participation {
    /// Anyone may answer; the device remembers it answered, nothing more.
    #[default]
    Open,
    /// Each answer needs a participation code the organiser handed out, used once.
    OneAnswerPerCode,
}

/// Why a text is not a participation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not six characters of the codes' alphabet (dashes and spaces aside).
    #[error("a participation code is six letters and digits, like K7M-3QX")]
    Format,
    /// Six such characters, but the last does not match the others: a typing mistake.
    #[error("this participation code has a typing mistake")]
    Check,
}

impl CodeError {
    /// The code a refusal names it by in the API's problems (`format`, `typo`).
    pub fn code(self) -> &'static str {
        match self {
            CodeError::Format => "format",
            CodeError::Check => "typo",
        }
    }
}

/// A well-formed participation code, kept in its canonical form (upper case, no dash).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipationCode(String);

impl ParticipationCode {
    /// Reads a code as a resident may type it: any case, with or without the dash, spaces
    /// ignored.
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let canonical: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let values: Option<Vec<usize>> = canonical.bytes().map(value).collect();
        let Some(values) = values.filter(|v| v.len() == RANDOM_LEN + 1) else {
            return Err(CodeError::Format);
        };
        if check(&values[..RANDOM_LEN]) != values[RANDOM_LEN] {
            return Err(CodeError::Check);
        }
        Ok(Self(canonical))
    }

    /// A new code from `random`, one value per character (any `u32`s: each is reduced to the
    /// alphabet, so a source of random words is enough).
    pub fn from_random(random: [u32; RANDOM_LEN]) -> Self {
        let len = ALPHABET.len() as u32;
        let values: Vec<usize> = random.iter().map(|r| (r % len) as usize).collect();
        let mut s: String = values.iter().map(|&v| char::from(ALPHABET[v])).collect();
        s.push(char::from(ALPHABET[check(&values)]));
        Self(s)
    }

    /// The canonical form (`K7M3QX`): what is hashed and stored.
    pub fn as_canonical(&self) -> &str {
        &self.0
    }
}

/// As printed and shown: `K7M-3QX`.
impl fmt::Display for ParticipationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, tail) = self.0.split_at(3);
        write!(f, "{head}-{tail}")
    }
}

fn value(b: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == b)
}

/// A weighted sum modulo the alphabet's size (a prime): any one character changed, and any two
/// neighbours swapped, changes it.
fn check(values: &[usize]) -> usize {
    let n = ALPHABET.len();
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (i + 1) * v)
        .sum::<usize>()
        % n
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_code_reads_back_in_any_case_with_or_without_its_dash() {
        let code = ParticipationCode::from_random([1, 2, 3, 4, 5]);
        let shown = code.to_string();
        assert_eq!(shown.len(), 7);
        assert_eq!(&shown[3..4], "-");
        assert_eq!(ParticipationCode::parse(&shown), Ok(code.clone()));
        assert_eq!(
            ParticipationCode::parse(&format!(" {} ", shown.to_lowercase())),
            Ok(code.clone())
        );
        assert_eq!(
            ParticipationCode::parse(code.as_canonical()),
            Ok(code.clone())
        );
    }

    #[test]
    fn what_is_not_a_code_is_refused() {
        for s in ["", "K7M", "K7M-3QXX", "K7M-3Q0", "K7M-3Q!", "K7M-3QÉ"] {
            assert_eq!(ParticipationCode::parse(s), Err(CodeError::Format), "{s}");
        }
    }

    #[test]
    fn the_alphabet_leaves_out_look_alikes() {
        for c in "0O1IL2Z5S8BUV".bytes() {
            assert!(!ALPHABET.contains(&c), "{}", char::from(c));
        }
    }

    proptest! {
        #[test]
        fn one_character_changed_is_caught(random: [u32; 5], at in 0usize..6, by in 1usize..23) {
            let code = ParticipationCode::from_random(random);
            let mut values: Vec<usize> = code.0.bytes().map(|b| value(b).unwrap()).collect();
            values[at] = (values[at] + by) % ALPHABET.len();
            let typo: String = values.iter().map(|&v| char::from(ALPHABET[v])).collect();
            prop_assert_eq!(ParticipationCode::parse(&typo), Err(CodeError::Check));
        }

        #[test]
        fn two_neighbours_swapped_are_caught(random: [u32; 5], at in 0usize..5) {
            let code = ParticipationCode::from_random(random);
            let mut bytes = code.0.clone().into_bytes();
            prop_assume!(bytes[at] != bytes[at + 1]);
            bytes.swap(at, at + 1);
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(ParticipationCode::parse(&typo), Err(CodeError::Check));
        }
    }
}
