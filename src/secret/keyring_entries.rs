//! A `keyring-core` store seen as the named entries [`super::pieces`] works on, and the entry
//! names of one profile's secret.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use super::pieces::{self, EntryError};
use super::{SERVICE, Secret, SecretKind, entry_user, piece_user};

/// The entries of one backend, under the service name.
pub struct StoreEntries<'a>(pub &'a Arc<CredentialStore>);

/// The attribute lcsauth adds to each item it writes, so its own item is found among others
/// that match the same service and user (another program may write one).
const OWNER: (&str, &str) = ("lcsauth-owner", SERVICE);

impl StoreEntries<'_> {
    fn entry(&self, user: &str) -> Result<Entry, EntryError> {
        Entry::new_in_store(self.0, SERVICE, user)
    }

    /// Runs `op` on the entry; when several items match it, on the one lcsauth wrote.
    fn with<T>(&self, user: &str, op: impl Fn(&Entry) -> Result<T, EntryError>) -> Result<T, EntryError> {
        match op(&self.entry(user)?) {
            Err(EntryError::Ambiguous(items)) => op(&own(user, items)?),
            other => other,
        }
    }

    /// Writes with `op` into lcsauth's own item, never into another program's, and marks it
    /// as lcsauth's (stores without attributes ignore the mark).
    fn write(&self, user: &str, op: impl Fn(&Entry) -> Result<(), EntryError>) -> Result<(), EntryError> {
        let mark = |entry: &Entry| {
            let _ = entry.update_attributes(&HashMap::from([OWNER]));
        };
        if let Some(separate) = self.beside_foreign(user)? {
            op(&separate)?;
            mark(&separate);
            return Ok(());
        }
        self.with(user, |entry| {
            op(entry)?;
            mark(entry);
            Ok(())
        })
    }

    /// When the only item matching `user` is another program's: an entry that creates
    /// lcsauth's own item beside it (its extra `target` attribute keeps the two apart).
    #[cfg(target_os = "linux")]
    fn beside_foreign(&self, user: &str) -> Result<Option<Entry>, EntryError> {
        use zbus_secret_service_keyring_store::cred::Specifier;
        let entry = self.entry(user)?;
        if !entry.as_any().is::<Specifier>() {
            return Ok(None);
        }
        match entry.get_credential() {
            Ok(found) if !is_own(user, &found) => {
                Entry::new_in_store_with_modifiers(self.0, SERVICE, user, &HashMap::from([("target", "default")]))
                    .map(Some)
            }
            _ => Ok(None),
        }
    }

    #[cfg(not(target_os = "linux"))]
    #[allow(clippy::unnecessary_wraps, clippy::unused_self)]
    fn beside_foreign(&self, _: &str) -> Result<Option<Entry>, EntryError> {
        Ok(None)
    }

    /// When several items match `user`: how many, and how many of them lcsauth did not write.
    pub fn conflict(&self, user: &str) -> Option<(usize, usize)> {
        match self.entry(user).ok()?.get_attributes() {
            Err(EntryError::Ambiguous(items)) => {
                let foreign = items.iter().filter(|e| !is_own(user, e)).count();
                Some((items.len(), foreign))
            }
            _ => None,
        }
    }
}

/// Whether lcsauth wrote this item: it carries lcsauth's mark, or (written before the mark
/// existed) the label the Secret Service store gives lcsauth's items.
fn is_own(user: &str, entry: &Entry) -> bool {
    if entry
        .get_attributes()
        .is_ok_and(|a| a.get(OWNER.0).is_some_and(|v| v == OWNER.1))
    {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        use zbus_secret_service_keyring_store::cred::Wrapper;
        entry
            .as_any()
            .downcast_ref::<Wrapper>()
            .and_then(|w| w.get_label().ok())
            .is_some_and(|label| label == format!("keyring:{user}@{SERVICE}"))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = user;
        false
    }
}

/// The one item lcsauth wrote among several that match; still ambiguous when none or several.
fn own(user: &str, items: Vec<Entry>) -> Result<Entry, EntryError> {
    let (mut ours, others): (Vec<Entry>, Vec<Entry>) = items.into_iter().partition(|e| is_own(user, e));
    if ours.len() == 1
        && let Some(entry) = ours.pop()
    {
        return Ok(entry);
    }
    ours.extend(others);
    Err(EntryError::Ambiguous(ours))
}

impl pieces::Entries for StoreEntries<'_> {
    fn get_text(&self, user: &str) -> Result<Option<Secret>, EntryError> {
        match self.with(user, Entry::get_password) {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(EntryError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set_text(&self, user: &str, text: &str) -> Result<(), EntryError> {
        self.write(user, |e| e.set_password(text))
    }

    fn get_bytes(&self, user: &str) -> Result<Option<Zeroizing<Vec<u8>>>, EntryError> {
        match self.with(user, Entry::get_secret) {
            Ok(value) => Ok(Some(Zeroizing::new(value))),
            Err(EntryError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set_bytes(&self, user: &str, bytes: &[u8]) -> Result<(), EntryError> {
        self.write(user, |e| e.set_secret(bytes))
    }

    #[cfg(target_os = "linux")]
    fn expire(&self, user: &str, after: std::time::Duration) -> Result<(), EntryError> {
        let entry = self.entry(user)?;
        let Some(cred) = entry.as_any().downcast_ref::<linux_keyutils_keyring_store::Cred>() else {
            return Ok(());
        };
        let key = cred
            .session
            .search(&cred.description)
            .map_err(|e| EntryError::PlatformFailure(Box::new(e)))?;
        // Zero would mean "never"; a key due now goes at once.
        let secs = usize::try_from(after.as_secs().max(1)).unwrap_or(usize::MAX);
        key.set_timeout(secs)
            .map_err(|e| EntryError::PlatformFailure(Box::new(e)))
    }

    fn delete(&self, user: &str) -> Result<bool, EntryError> {
        match self.with(user, Entry::delete_credential) {
            Ok(()) => Ok(true),
            Err(EntryError::NoEntry) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// The entry names of one profile's secret.
pub struct SecretNames<'a> {
    pub profile: &'a str,
    pub kind: SecretKind,
    pub namespace: Option<&'a str>,
}

impl pieces::Names for SecretNames<'_> {
    fn whole(&self) -> String {
        entry_user(self.profile, self.kind, self.namespace)
    }

    fn piece(&self, slot: char, index: usize) -> String {
        piece_user(self.profile, self.kind, self.namespace, slot, index)
    }
}
