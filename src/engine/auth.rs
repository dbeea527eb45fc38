//! Password checks against `[auth] users`, shared by every protocol so that a user's password
//! means the same over PostgreSQL and HiveServer2.

use std::collections::BTreeMap;

use hivewire_backend::{BackendError, ErrorKind};

/// The configured users. Empty means no passwords are asked for.
#[derive(Debug, Clone, Default)]
pub struct Users {
    stored: BTreeMap<String, String>,
}

impl Users {
    /// Users from `[auth] users`: name to `sha256:<hex>` or the password itself.
    pub fn new(stored: BTreeMap<String, String>) -> Self {
        Users { stored }
    }

    /// Whether clients must give a password.
    pub fn required(&self) -> bool {
        !self.stored.is_empty()
    }

    /// Checks a password; the error is PostgreSQL's wording, so clients show what they expect.
    pub fn check(&self, user: &str, password: &str) -> Result<(), BackendError> {
        if !self.required() || self.stored.get(user).is_some_and(|stored| matches(stored, password)) {
            return Ok(());
        }
        tracing::warn!(%user, "authentication failed");
        Err(BackendError::new(ErrorKind::Authentication, format!("password authentication failed for user \"{user}\"")))
    }
}

/// Whether `password` matches a stored `sha256:<hex>` digest, or a stored plain password.
fn matches(stored: &str, password: &str) -> bool {
    match stored.strip_prefix("sha256:") {
        Some(hex) => {
            let digest = ring::digest::digest(&ring::digest::SHA256, password.as_bytes());
            let got: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
            same(got.as_bytes(), hex.trim().to_ascii_lowercase().as_bytes())
        }
        None => same(stored.as_bytes(), password.as_bytes()),
    }
}

/// Byte equality whose time depends only on the lengths, not on where the bytes differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Users {
        let mut m = BTreeMap::new();
        // printf %s secret | sha256sum
        m.insert("alice".into(), "sha256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b".into());
        m.insert("bob".into(), "plain".into());
        Users::new(m)
    }

    #[test]
    fn digests_and_plain_passwords() {
        let u = users();
        assert!(u.required());
        assert!(u.check("alice", "secret").is_ok());
        assert!(u.check("alice", "Secret").is_err());
        assert!(u.check("bob", "plain").is_ok());
        assert!(u.check("bob", "secret").is_err());
        let e = u.check("carol", "plain").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Authentication);
        assert_eq!(e.sqlstate(), "28P01");
    }

    #[test]
    fn no_users_means_no_passwords() {
        let u = Users::default();
        assert!(!u.required());
        assert!(u.check("anyone", "").is_ok());
    }
}
