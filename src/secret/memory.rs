//! An in-memory secret store: the double for unit tests and the store of `lcsauth demo`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::{Secret, SecretKind, SecretStore, StoreError, check_size};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<(String, SecretKind), Secret>>,
    fail_with: Mutex<Option<String>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every later call fail as an unavailable keyring would (for tests of that path).
    pub fn fail(&self, reason: impl Into<String>) {
        *self.fail_with.lock().unwrap_or_else(PoisonError::into_inner) = Some(reason.into());
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn failing(&self) -> Result<(), StoreError> {
        match &*self.fail_with.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(reason) => Err(StoreError::Unavailable {
                backend: "memory",
                reason: reason.clone(),
                fix: "this is a test double",
            }),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn describe(&self) -> String {
        "memory".into()
    }

    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        self.failing()?;
        let map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(map.get(&(profile.to_string(), kind)).cloned())
    }

    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), StoreError> {
        self.failing()?;
        check_size("memory", kind, value)?;
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert((profile.to_string(), kind), value.clone());
        Ok(())
    }

    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), StoreError> {
        self.failing()?;
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&(profile.to_string(), kind));
        Ok(())
    }

    fn check(&self) -> Result<(), StoreError> {
        self.failing()
    }

    fn persistence_note(&self) -> Option<String> {
        Some("in memory: secrets are gone when the program exits".into())
    }
}
