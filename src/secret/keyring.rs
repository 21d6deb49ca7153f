//! The OS keyring through the `keyring-core` family of stores.
//!
//! Long-lived secrets (refresh token, remembered password) go to the platform's persistent
//! store: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows. On Linux the
//! short-lived access token goes to the kernel keyring (keyutils) instead: reading it costs
//! microseconds, while a Secret Service call costs a D-Bus session (10–25 ms), which is more than
//! the whole budget of a cached `lcsauth token`. Stores are opened lazily so commands that need
//! no secret never touch the keyring.

use std::sync::{Arc, OnceLock};

use keyring_core::{CredentialStore, Entry};

use super::{SERVICE, Secret, SecretKind, SecretStore, StoreError, entry_user};

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
}

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

    fn entry(&self, backend: &Backend, profile: &str, kind: SecretKind) -> Result<Entry, StoreError> {
        let user = entry_user(profile, kind, self.namespace.as_deref());
        Entry::new_in_store(&backend.store, SERVICE, &user).map_err(|e| map_error(backend.name, e))
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
        let entry = self.entry(backend, profile, kind)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(backend.name, e)),
        }
    }

    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), StoreError> {
        let backend = self.backend_for(kind)?;
        self.entry(backend, profile, kind)?
            .set_password(value.expose())
            .map_err(|e| map_error(backend.name, e))
    }

    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), StoreError> {
        let backend = self.backend_for(kind)?;
        match self.entry(backend, profile, kind)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(backend.name, e)),
        }
    }

    fn check(&self) -> Result<(), StoreError> {
        self.persistent().map(|_| ())
    }

    fn persistence_note(&self) -> Option<String> {
        self.persistent().ok().and_then(|b| b.note.clone())
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
        K::PlatformFailure(inner) => StoreError::Unavailable {
            backend,
            reason: inner.to_string(),
            fix: SECRET_SERVICE_FIX,
        },
        K::BadEncoding(_) | K::BadDataFormat(..) => StoreError::Failed {
            backend,
            reason: "the stored value is not valid UTF-8 text; run `lcsauth logout` to reset it".into(),
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
