//! Organisers' passwords: Argon2id (the `argon2` crate's defaults follow OWASP: 19 MiB,
//! 2 passes, 1 lane), hashed and checked off the async threads because each takes tens of
//! milliseconds of CPU on purpose.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 12;
/// Longest accepted password, in characters (hashing time grows with length).
pub const MAX_CHARS: usize = 1024;

/// What can go wrong while hashing.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The parameters or the hashing failed.
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// Hashes and checks passwords with fixed Argon2id parameters.
#[derive(Clone)]
pub struct Passwords {
    memory_kib: u32,
    /// A hash of a random password: checking against it when an email is unknown takes as
    /// long as checking a real one, so timing does not tell which emails have accounts.
    dummy: String,
}

impl Passwords {
    /// Argon2id with `memory_kib` of memory (19456 is OWASP's minimum; tests use less).
    pub fn new(memory_kib: u32) -> Result<Self, PasswordError> {
        let mut this = Self {
            memory_kib,
            dummy: String::new(),
        };
        this.dummy = this.hash(&crate::token::hex(&crate::token::random_bytes::<16>()))?;
        Ok(this)
    }

    fn argon2(&self) -> Result<Argon2<'static>, PasswordError> {
        let params = Params::new(
            self.memory_kib,
            Params::DEFAULT_T_COST,
            Params::DEFAULT_P_COST,
            None,
        )
        .map_err(|e| PasswordError::Hashing(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// The PHC string to store (`$argon2id$v=19$…`, with its own random salt).
    pub fn hash(&self, password: &str) -> Result<String, PasswordError> {
        Ok(self
            .argon2()?
            .hash_password(password.as_bytes())
            .map_err(|e| PasswordError::Hashing(e.to_string()))?
            .to_string())
    }

    /// Whether `password` matches `stored`; `None` checks against the dummy hash and is
    /// always false.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let (phc, real) = match stored {
            Some(s) => (s, true),
            None => (self.dummy.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        let Ok(argon2) = self.argon2() else {
            return false;
        };
        // The stored hash's own parameters are used, so raising the cost later keeps old
        // passwords working.
        argon2.verify_password(password.as_bytes(), &parsed).is_ok() && real
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_and_nothing_else() {
        let p = Passwords::new(1024).unwrap();
        let h = p.hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"));
        assert!(!h.contains("correct horse"));
        assert!(p.verify("correct horse battery", Some(&h)));
        assert!(!p.verify("correct horse battery!", Some(&h)));
        assert!(!p.verify("correct horse battery", None));
        assert!(!p.verify("x", Some("not a phc string")));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let p = Passwords::new(1024).unwrap();
        assert_ne!(
            p.hash("same password!").unwrap(),
            p.hash("same password!").unwrap()
        );
    }
}
