//! The OS keyring through the `keyring-core` family of stores.
//!
//! Long-lived secrets (refresh token, remembered password) go to the platform's persistent
//! store: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows. On Linux the
//! short-lived access token goes to the kernel keyring (keyutils) instead: reading it costs
//! microseconds, while a Secret Service call costs a D-Bus session (10–25 ms), which is more than
//! the whole budget of a cached `lcsauth token`. Stores are opened lazily so commands that need
//! no secret never touch the keyring. A secret larger than one entry of its store is kept in
//! pieces (see [`super::pieces`]).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use keyring_core::CredentialStore;

use super::keyring_entries::{SecretNames, StoreEntries};
use super::pieces::{self, EntryLimit, PieceError};
use super::{SERVICE, Secret, SecretKind, SecretStore, StoreError, check_size};

/// Which persistent store to use: `LCSAUTH_KEYRING=auto|secret-service|keyutils`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyringChoice {
    /// The platform store, falling back to keyutils on Linux when no Secret Service answers.
    Auto,
    SecretService,
    Keyutils,
}

impl KeyringChoice {
    pub fn from_env() -> Result<Self, StoreError> {
        match std::env::var("LCSAUTH_KEYRING").as_deref() {
            Err(_) | Ok("" | "auto") => Ok(Self::Auto),
            Ok("secret-service") => Ok(Self::SecretService),
            Ok("keyutils") => Ok(Self::Keyutils),
            Ok(other) => Err(StoreError::Unavailable {
                backend: "configured",
                reason: format!("LCSAUTH_KEYRING={other:?} is not one of auto, secret-service, keyutils"),
                fix: "unset LCSAUTH_KEYRING or set it to auto, secret-service or keyutils",
            }),
        }
    }
}

struct Backend {
    store: Arc<CredentialStore>,
    name: &'static str,
    note: Option<String>,
    /// How much one entry holds.
    limit: EntryLimit,
}

/// Windows' `CRED_MAX_CREDENTIAL_BLOB_SIZE`: 2,560 bytes per credential, text as UTF-16.
#[cfg_attr(not(target_os = "windows"), allow(dead_code))]
const CREDENTIAL_MANAGER_LIMIT: EntryLimit = EntryLimit::Utf16Bytes(2560);
/// The kernel's limit on the payload of a `user` key.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const KEYUTILS_LIMIT: EntryLimit = EntryLimit::Bytes(32767);

/// The real keyring: a persistent store for long-lived secrets and, on Linux, the kernel keyring
/// as the home of the access token.
pub struct OsKeyring {
    choice: KeyringChoice,
    namespace: Option<String>,
    persistent: OnceLock<Result<Backend, StoreError>>,
    cache: OnceLock<Result<Backend, StoreError>>,
}

impl OsKeyring {
    /// `namespace` separates secrets of different config directories (see [`super::namespace_for`]).
    pub fn new(choice: KeyringChoice, namespace: Option<String>) -> Self {
        Self {
            choice,
            namespace,
            persistent: OnceLock::new(),
            cache: OnceLock::new(),
        }
    }

    fn persistent(&self) -> Result<&Backend, StoreError> {
        self.persistent
            .get_or_init(|| open_persistent(self.choice))
            .as_ref()
            .map_err(clone_error)
    }

    fn backend_for(&self, kind: SecretKind) -> Result<&Backend, StoreError> {
        if kind.is_long_lived() || !cfg!(target_os = "linux") {
            return self.persistent();
        }
        self.cache.get_or_init(open_keyutils).as_ref().map_err(clone_error)
    }

    fn names<'a>(&'a self, profile: &'a str, kind: SecretKind) -> SecretNames<'a> {
        SecretNames {
            profile,
            kind,
            namespace: self.namespace.as_deref(),
        }
    }

    /// Opens the persistent store now and says which one answered (for `doctor` and messages).
    pub fn probe(&self) -> Result<String, StoreError> {
        let backend = self.persistent()?;
        Ok(match &backend.note {
            Some(note) => format!("{} ({note})", backend.name),
            None => backend.name.to_string(),
        })
    }
}

impl SecretStore for OsKeyring {
    fn describe(&self) -> String {
        match self.persistent() {
            Ok(b) => b.name.to_string(),
            Err(e) => format!("unavailable keyring ({e})"),
        }
    }

    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        let backend = self.backend_for(kind)?;
        pieces::read(&StoreEntries(&backend.store), &self.names(profile, kind))
            .map_err(|e| map_piece_error(backend.name, kind, e))
    }

    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), StoreError> {
        let backend = self.backend_for(kind)?;
        check_size(backend.name, kind, value)?;
        pieces::write(
            &StoreEntries(&backend.store),
            &self.names(profile, kind),
            backend.limit,
            value,
        )
        .map_err(|e| map_piece_error(backend.name, kind, e))
    }

    fn set_expiring(&self, profile: &str, kind: SecretKind, value: &Secret, lasts: Duration) -> Result<(), StoreError> {
        self.set(profile, kind, value)?;
        let backend = self.backend_for(kind)?;
        pieces::expire(&StoreEntries(&backend.store), &self.names(profile, kind), lasts)
            .map_err(|e| map_piece_error(backend.name, kind, e))
    }

    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), StoreError> {
        let backend = self.backend_for(kind)?;
        pieces::remove(&StoreEntries(&backend.store), &self.names(profile, kind), backend.limit)
            .map_err(|e| map_piece_error(backend.name, kind, e))
    }

    fn check(&self) -> Result<(), StoreError> {
        self.persistent().map(|_| ())
    }

    fn persistence_note(&self) -> Option<String> {
        self.persistent().ok().and_then(|b| b.note.clone())
    }

    fn conflicts(&self, profile: &str) -> Vec<String> {
        let Ok(backend) = self.persistent() else {
            return Vec::new();
        };
        let entries = StoreEntries(&backend.store);
        [SecretKind::RefreshToken, SecretKind::Password]
            .into_iter()
            .filter_map(|kind| {
                let user = pieces::Names::whole(&self.names(profile, kind));
                let (total, foreign) = entries.conflict(&user)?;
                Some(format!(
                    "{total} items in the {} match the {} of '{profile}' (service {SERVICE}, username {user}); \
                     {foreign} of them were not written by lcsauth",
                    backend.name,
                    kind.noun()
                ))
            })
            .collect()
    }
}

fn clone_error(e: &StoreError) -> StoreError {
    match e {
        StoreError::Unavailable { backend, reason, fix } => StoreError::Unavailable {
            backend,
            reason: reason.clone(),
            fix,
        },
        StoreError::Denied { backend, reason, fix } => StoreError::Denied {
            backend,
            reason: reason.clone(),
            fix,
        },
        StoreError::Failed { backend, reason } => StoreError::Failed {
            backend,
            reason: reason.clone(),
        },
        StoreError::TooLarge {
            backend,
            what,
            bytes,
            limit,
        } => StoreError::TooLarge {
            backend,
            what,
            bytes: *bytes,
            limit: *limit,
        },
    }
}

fn map_piece_error(backend: &'static str, kind: SecretKind, e: PieceError) -> StoreError {
    match e {
        PieceError::Store(e) => map_error(backend, e),
        PieceError::TooLarge { bytes, limit } => StoreError::TooLarge {
            backend,
            what: kind.noun(),
            bytes,
            limit,
        },
        PieceError::Incomplete(why) => StoreError::Failed {
            backend,
            reason: format!(
                "the stored {} is incomplete ({why}); run `lcsauth logout` to reset it",
                kind.noun()
            ),
        },
        PieceError::Reserved => StoreError::Failed {
            backend,
            reason: format!(
                "a {} cannot begin with the text lcsauth uses to mark a secret kept in pieces",
                kind.noun()
            ),
        },
    }
}

const SECRET_SERVICE_FIX: &str = "start a Secret Service (gnome-keyring-daemon or KeePassXC) and unlock it, \
     or set LCSAUTH_KEYRING=keyutils to keep secrets in the kernel keyring until reboot";

/// Turns a store error into one a person can act on. Never formats stored bytes.
fn map_error(backend: &'static str, e: keyring_core::Error) -> StoreError {
    use keyring_core::Error as K;
    match e {
        K::NoStorageAccess(inner) => StoreError::Denied {
            backend,
            reason: inner.to_string(),
            fix: "unlock the keyring (log in to a desktop session, or `gnome-keyring-daemon --unlock`)",
        },
        K::PlatformFailure(inner) if is_quota(inner.as_ref()) => StoreError::Unavailable {
            backend,
            reason: "the kernel keyring's quota for this user is full (kernel.keys.maxbytes, 20000 bytes by default)"
                .into(),
            fix: "raise it (`sysctl -w kernel.keys.maxbytes=200000`), or run a Secret Service so only the access token stays in the kernel keyring",
        },
        K::TooLong(what, limit) => StoreError::Failed {
            backend,
            reason: format!("the {what} is longer than the keyring's limit of {limit}"),
        },
        K::PlatformFailure(inner) => StoreError::Unavailable {
            backend,
            reason: inner.to_string(),
            fix: SECRET_SERVICE_FIX,
        },
        K::BadEncoding(_) | K::BadDataFormat(..) => StoreError::Failed {
            backend,
            reason: "the stored value is not valid UTF-8 text; run `lcsauth logout` to reset it".into(),
        },
        K::Ambiguous(items) => StoreError::Failed {
            backend,
            reason: format!(
                "{} items in the keyring match this entry and lcsauth cannot tell which one it wrote; \
                 remove the ones other programs wrote (`lcsauth doctor` names the entry)",
                items.len()
            ),
        },
        K::NoDefaultStore => StoreError::Unavailable {
            backend,
            reason: "no keyring store is configured".into(),
            fix: SECRET_SERVICE_FIX,
        },
        other => StoreError::Failed {
            backend,
            reason: other.to_string(),
        },
    }
}

/// Whether the kernel refused a key because the user's keyring quota is used up.
fn is_quota(e: &(dyn std::error::Error + 'static)) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.downcast_ref::<linux_keyutils::KeyError>(),
            Some(linux_keyutils::KeyError::QuotaExceeded)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = e;
        false
    }
}

#[cfg(target_os = "linux")]
fn open_persistent(choice: KeyringChoice) -> Result<Backend, StoreError> {
    if choice == KeyringChoice::Keyutils {
        return open_keyutils().map(|mut b| {
            b.note = Some("kernel keyring: secrets last until reboot".into());
            b
        });
    }
    match zbus_secret_service_keyring_store::Store::new() {
        Ok(store) => Ok(Backend {
            store,
            name: "Secret Service",
            note: None,
            limit: EntryLimit::None,
        }),
        Err(e) if choice == KeyringChoice::Auto => {
            let reason = map_error("Secret Service", e).to_string();
            open_keyutils().map(|mut b| {
                b.note = Some(format!(
                    "{reason}; secrets are kept in the kernel keyring and last until reboot"
                ));
                b
            })
        }
        Err(e) => Err(map_error("Secret Service", e)),
    }
}

#[cfg(target_os = "linux")]
fn open_keyutils() -> Result<Backend, StoreError> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    // A process started without a session keyring (cron, CI, sandboxes) would otherwise resolve
    // "@s" to the user-session keyring, where the store cannot link keys into the persistent
    // keyring: every set fails with AccessDenied. Joining a fresh session keyring first fixes it
    // and is a no-op when one exists.
    let _ = KeyRing::from_special_id(KeyRingIdentifier::Session, true);
    linux_keyutils_keyring_store::Store::new()
        .map(|store| Backend {
            store,
            name: "kernel keyutils",
            note: None,
            limit: KEYUTILS_LIMIT,
        })
        .map_err(|e| map_error("kernel keyutils", e))
}

#[cfg(target_os = "macos")]
fn open_persistent(_: KeyringChoice) -> Result<Backend, StoreError> {
    apple_native_keyring_store::keychain::Store::new()
        .map(|store| Backend {
            store,
            name: "macOS Keychain",
            note: None,
            limit: EntryLimit::None,
        })
        .map_err(|e| map_error("macOS Keychain", e))
}

#[cfg(target_os = "windows")]
fn open_persistent(_: KeyringChoice) -> Result<Backend, StoreError> {
    windows_native_keyring_store::Store::new()
        .map(|store| Backend {
            store,
            name: "Windows Credential Manager",
            note: None,
            limit: CREDENTIAL_MANAGER_LIMIT,
        })
        .map_err(|e| map_error("Windows Credential Manager", e))
}

#[cfg(not(target_os = "linux"))]
fn open_keyutils() -> Result<Backend, StoreError> {
    open_persistent(KeyringChoice::Auto)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_persistent(_: KeyringChoice) -> Result<Backend, StoreError> {
    Err(StoreError::Unavailable {
        backend: "OS",
        reason: "this platform has no supported keyring".into(),
        fix: "use Linux, macOS or Windows",
    })
}
