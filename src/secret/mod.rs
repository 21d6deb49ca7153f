//! Secrets: a value type that never prints itself, and where secrets are kept.
//!
//! `Secret` masks itself in `Debug` and `Display`; the raw text is reachable only through
//! [`Secret::expose`], which is easy to grep for. `SecretStore` is the one door to the OS keyring;
//! [`keyring`] holds the real stores and [`memory`] the in-memory double; [`pieces`] keeps a
//! secret larger than one keyring entry across several.

pub mod keyring;
mod keyring_entries;
pub mod memory;
pub mod pieces;

use std::fmt;
use std::time::Duration;

use zeroize::Zeroizing;

/// A secret string: a password, a refresh token or an access token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The raw value. Every call site is a place where a secret leaves this type.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Which secret of a profile an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretKind {
    Password,
    RefreshToken,
    AccessToken,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] = [Self::Password, Self::RefreshToken, Self::AccessToken];

    /// The label used in the keyring entry's user field.
    pub fn label(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::RefreshToken => "refresh_token",
            Self::AccessToken => "access_token",
        }
    }

    /// The name used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::RefreshToken => "refresh token",
            Self::AccessToken => "access token",
        }
    }

    /// Long-lived secrets belong in the persistent store; the access token may live in a cache.
    pub fn is_long_lived(self) -> bool {
        !matches!(self, Self::AccessToken)
    }
}

/// The keyring service name every entry is filed under.
pub const SERVICE: &str = "lcsauth";

/// The largest secret lcsauth keeps: 64 KiB, four times the 16 KiB an access token with many
/// group claims reaches (and more than most servers accept in a header). A larger value is
/// refused, never cut.
pub const MAX_SECRET_BYTES: usize = 64 * 1024;

/// Refuses a value larger than [`MAX_SECRET_BYTES`], naming the limit.
pub fn check_size(backend: &'static str, kind: SecretKind, value: &Secret) -> Result<(), StoreError> {
    let bytes = value.expose().len();
    if bytes > MAX_SECRET_BYTES {
        return Err(StoreError::TooLarge {
            backend,
            what: kind.noun(),
            bytes,
            limit: MAX_SECRET_BYTES,
        });
    }
    Ok(())
}

/// Why a secret could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the {backend} keyring is not available: {reason}")]
    Unavailable {
        backend: &'static str,
        reason: String,
        fix: &'static str,
    },
    #[error("the {backend} keyring refused access: {reason}")]
    Denied {
        backend: &'static str,
        reason: String,
        fix: &'static str,
    },
    #[error("the {backend} keyring failed: {reason}")]
    Failed { backend: &'static str, reason: String },
    #[error(
        "the {what} is {bytes} bytes, more than the {limit} bytes lcsauth keeps in the {backend} keyring; nothing was stored"
    )]
    TooLarge {
        backend: &'static str,
        what: &'static str,
        bytes: usize,
        limit: usize,
    },
}

impl StoreError {
    /// What the user can do about it, when something can be done.
    pub fn fix(&self) -> Option<&'static str> {
        match self {
            Self::Unavailable { fix, .. } | Self::Denied { fix, .. } => Some(fix),
            Self::Failed { .. } | Self::TooLarge { .. } => None,
        }
    }
}

/// Where secrets live. Implementations are blocking: call them off any UI loop.
pub trait SecretStore: Send + Sync {
    /// A short name for messages ("Secret Service", "kernel keyutils", "memory").
    fn describe(&self) -> String;
    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError>;
    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), StoreError>;
    /// Stores a secret that is worthless after `lasts`: a store that can (the kernel keyring)
    /// drops it by itself then, so an expired token does not linger.
    fn set_expiring(&self, profile: &str, kind: SecretKind, value: &Secret, lasts: Duration) -> Result<(), StoreError> {
        let _ = lasts;
        self.set(profile, kind, value)
    }
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), StoreError>;
    /// Opens the store now, so a command can fail before it spends a sign-in it cannot keep.
    fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// A note to show the user about how long secrets last here, if it is not "until deleted".
    fn persistence_note(&self) -> Option<String> {
        None
    }
    /// For `doctor`: entries of `profile` that more than one item in the store matches.
    fn conflicts(&self, profile: &str) -> Vec<String> {
        let _ = profile;
        Vec::new()
    }
}

/// The keyring user field for a profile's secret: `<profile>/<kind>`, plus `@<namespace>` when
/// the config directory is not the default one, so separate config directories never share
/// secrets.
pub fn entry_user(profile: &str, kind: SecretKind, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{profile}/{}@{ns}", kind.label()),
        None => format!("{profile}/{}", kind.label()),
    }
}

/// The keyring user field of piece `index` in slot `slot` of a secret too large for one entry
/// (see [`pieces`]): `<profile>/<kind>#<slot><index>`, namespaced like [`entry_user`].
pub fn piece_user(profile: &str, kind: SecretKind, namespace: Option<&str>, slot: char, index: usize) -> String {
    match namespace {
        Some(ns) => format!("{profile}/{}#{slot}{index}@{ns}", kind.label()),
        None => format!("{profile}/{}#{slot}{index}", kind.label()),
    }
}

/// A short, stable namespace for a config directory (FNV-1a of its path).
pub fn namespace_for(dir: &std::path::Path) -> String {
    let path = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_and_display_never_show_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(***))");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }
}
