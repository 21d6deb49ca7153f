//! A `keyring-core` store seen as the named entries [`super::pieces`] works on, and the entry
//! names of one profile's secret.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use super::pieces::{self, EntryError};
use super::{SERVICE, Secret, SecretKind, entry_user, piece_user};

/// The entries of one backend, under the service name.
pub struct StoreEntries<'a>(pub &'a Arc<CredentialStore>);

impl StoreEntries<'_> {
    fn entry(&self, user: &str) -> Result<Entry, EntryError> {
        Entry::new_in_store(self.0, SERVICE, user)
    }
}

impl pieces::Entries for StoreEntries<'_> {
    fn get_text(&self, user: &str) -> Result<Option<Secret>, EntryError> {
        match self.entry(user)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(EntryError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set_text(&self, user: &str, text: &str) -> Result<(), EntryError> {
        self.entry(user)?.set_password(text)
    }

    fn get_bytes(&self, user: &str) -> Result<Option<Zeroizing<Vec<u8>>>, EntryError> {
        match self.entry(user)?.get_secret() {
            Ok(value) => Ok(Some(Zeroizing::new(value))),
            Err(EntryError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set_bytes(&self, user: &str, bytes: &[u8]) -> Result<(), EntryError> {
        self.entry(user)?.set_secret(bytes)
    }

    fn delete(&self, user: &str) -> Result<bool, EntryError> {
        match self.entry(user)?.delete_credential() {
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
