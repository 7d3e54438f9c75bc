//! Organiser API tokens: random, shown once, stored only as a SHA-256 hash. They carry 256
//! bits of entropy, so a fast hash is enough (a slow password hash protects guessable secrets).

use sha2::{Digest, Sha256};

/// Prefix that makes a leaked token easy to recognise in logs and secret scanners.
const PREFIX: &str = "cct_";

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    // By table: every answer's fingerprint goes through here, and a `format!` per byte was
    // a fiftieth of a submit's time.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // The OS random source failing is not something a server can carry on without.
    getrandom::fill(&mut b).expect("the operating system's random source is unavailable");
    b
}

/// A new token, to give to the organiser once.
pub fn generate() -> String {
    format!("{PREFIX}{}", hex(&random_bytes::<32>()))
}

/// What is stored for a token.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new random id of `len` characters from `[a-z0-9]`, for consultations and organisations.
pub fn random_id(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    random_bytes::<32>()
        .iter()
        .take(len)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_unique_and_hash_stably() {
        let (a, b) = (generate(), generate());
        assert!(a.starts_with("cct_") && a.len() == 68);
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn random_ids_are_valid_poll_ids() {
        let id = random_id(12);
        assert!(concerto_core::PollId::parse(id).is_ok());
    }
}
