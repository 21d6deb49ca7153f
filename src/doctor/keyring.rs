//! The keyring: a secret of real size written, read back and deleted, and other programs'
//! items that match a profile's entries.

use super::finding::{Finding, Level};
use crate::profile::store::Config;
use crate::secret::{Secret, SecretKind, SecretStore};

/// The size of the doctor's probe secret: an access token with many group claims. On Windows
/// it takes seven Credential Manager entries, so the check covers secrets kept in pieces.
const PROBE_BYTES: usize = 16 * 1024;

/// Writes, reads back and deletes a throwaway secret of real size in the keyring.
pub fn keyring(store: &dyn SecretStore) -> Finding {
    let probe = "lcsauth-doctor-probe";
    let mut text = format!("doctor-{}-", uuid::Uuid::new_v4());
    while text.len() < PROBE_BYTES {
        text.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    text.truncate(PROBE_BYTES);
    let value = Secret::new(text);
    let result = store
        .set(probe, SecretKind::RefreshToken, &value)
        .and_then(|()| store.get(probe, SecretKind::RefreshToken))
        .and_then(|got| {
            store.delete(probe, SecretKind::RefreshToken)?;
            Ok(got)
        });
    match result {
        Ok(Some(got)) if got == value => {
            let note = store.persistence_note().map(|n| format!(" ({n})")).unwrap_or_default();
            let level = if note.is_empty() { Level::Ok } else { Level::Warn };
            Finding::new(
                "keyring",
                level,
                format!(
                    "{} stores, reads and deletes a {} KiB secret{note}",
                    store.describe(),
                    PROBE_BYTES / 1024
                ),
                None,
            )
        }
        Ok(_) => Finding::new(
            "keyring",
            Level::Fail,
            format!("{} did not return what was stored", store.describe()),
            None,
        ),
        Err(e) => Finding::new("keyring", Level::Fail, e.to_string(), e.fix().map(str::to_string)),
    }
}

/// Entries of each profile that another program's item in the keyring also matches.
pub fn keyring_conflicts(store: &dyn SecretStore, config: &Config) -> Vec<Finding> {
    config
        .profiles
        .iter()
        .flat_map(|p| store.conflicts(p.name.as_str()))
        .map(|detail| {
            Finding::new(
                "keyring conflict",
                Level::Warn,
                detail,
                Some(
                    "lcsauth keeps using the item it wrote; remove the other program's item (Seahorse, or \
                     `secret-tool search --all service lcsauth` to find it) if it is not needed"
                        .into(),
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyring_round_trip_uses_the_store() {
        let store = crate::secret::memory::MemoryStore::new();
        assert_eq!(
            keyring(&store).level,
            Level::Warn,
            "memory is not persistent: a warning"
        );
        store.fail("locked");
        assert_eq!(keyring(&store).level, Level::Fail);
    }
}
