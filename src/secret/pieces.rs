//! Secrets larger than one keyring entry: split across entries, named by a manifest.
//!
//! Windows' Credential Manager keeps at most 2,560 bytes per credential
//! (`CRED_MAX_CREDENTIAL_BLOB_SIZE`), and the kernel keyring 32,767 bytes per key, while an
//! Entra access token with group claims runs past 16 KiB. A value that fits goes into the one
//! entry as before. A larger one is cut into pieces, each its own entry, and the entry that
//! would have held the value holds a manifest instead: which of two slots holds the pieces, how
//! many there are, the length and the SHA-256 of the whole.
//!
//! Writes are all-or-nothing: the pieces of the new value go into the slot the current
//! manifest does not name, the manifest is replaced last (one entry write, atomic in every
//! store), and only then are the old slot's pieces removed. A crash before the manifest write
//! leaves the old value readable; after it, the new one. A read checks length and digest, so
//! pieces of two generations are never joined into one value. Removal deletes the manifest
//! first, then every piece of both slots, counting up until one is missing.

use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::{MAX_SECRET_BYTES, Secret};

/// The error type of the underlying entries (a `keyring-core` store, or a test double).
pub type EntryError = keyring_core::Error;

/// One keyring, seen as named entries holding text or bytes.
pub trait Entries {
    /// The text in the entry `user`, or `None` when there is none.
    fn get_text(&self, user: &str) -> Result<Option<Secret>, EntryError>;
    fn set_text(&self, user: &str, text: &str) -> Result<(), EntryError>;
    fn get_bytes(&self, user: &str) -> Result<Option<Zeroizing<Vec<u8>>>, EntryError>;
    fn set_bytes(&self, user: &str, bytes: &[u8]) -> Result<(), EntryError>;
    /// Removes the entry; `Ok(false)` when there was none.
    fn delete(&self, user: &str) -> Result<bool, EntryError>;
    /// Has the store drop the entry by itself after `after`; a store without timeouts ignores it.
    fn expire(&self, user: &str, after: std::time::Duration) -> Result<(), EntryError> {
        let _ = (user, after);
        Ok(())
    }
}

/// How much one entry of a store holds; at least a manifest (under 128 characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryLimit {
    /// No limit that a secret of [`MAX_SECRET_BYTES`] could reach.
    None,
    /// At most this many bytes; text is stored as UTF-8.
    Bytes(usize),
    /// At most this many bytes; text is stored as UTF-16 (2 bytes per unit, Windows).
    Utf16Bytes(usize),
}

impl EntryLimit {
    fn fits_text(self, text: &str) -> bool {
        match self {
            Self::None => true,
            Self::Bytes(max) => text.len() <= max,
            Self::Utf16Bytes(max) => text.encode_utf16().count() * 2 <= max,
        }
    }

    fn piece_bytes(self) -> Option<usize> {
        match self {
            Self::None => None,
            Self::Bytes(max) | Self::Utf16Bytes(max) => Some(max),
        }
    }
}

/// The entry names of one secret: the manifest (or whole value) and its pieces.
pub trait Names {
    fn whole(&self) -> String;
    /// Piece `index` of slot `slot` (`'a'` or `'b'`).
    fn piece(&self, slot: char, index: usize) -> String;
}

/// Why a secret could not be kept or read back whole.
#[derive(Debug)]
pub enum PieceError {
    Store(EntryError),
    /// The value is larger than any store here keeps.
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// The manifest names pieces that are missing or do not add up to what it promises.
    Incomplete(&'static str),
    /// The value begins like a manifest, so it could not be told apart from one.
    Reserved,
}

impl From<EntryError> for PieceError {
    fn from(e: EntryError) -> Self {
        Self::Store(e)
    }
}

const SLOTS: [char; 2] = ['a', 'b'];
const MANIFEST_TAG: &str = "lcsauth-pieces/1";

/// What the whole entry says when the value lives in pieces.
#[derive(Debug, PartialEq, Eq)]
struct Manifest {
    slot: char,
    count: usize,
    bytes: usize,
    sha256: String,
}

impl Manifest {
    fn render(&self) -> String {
        format!(
            "{MANIFEST_TAG} slot={} count={} bytes={} sha256={}",
            self.slot, self.count, self.bytes, self.sha256
        )
    }

    /// Parses exactly the form [`Manifest::render`] writes; anything else is a plain value.
    fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix(MANIFEST_TAG)?.strip_prefix(" slot=")?;
        let mut chars = rest.chars();
        let slot = chars.next().filter(|c| SLOTS.contains(c))?;
        let rest = chars.as_str().strip_prefix(" count=")?;
        let (count, rest) = rest.split_once(" bytes=")?;
        let (bytes, sha256) = rest.split_once(" sha256=")?;
        let digit = |s: &str| !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
        if !digit(count) || !digit(bytes) {
            return None;
        }
        if sha256.len() != 64 || !sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        Some(Self {
            slot,
            count: count.parse().ok()?,
            bytes: bytes.parse().ok()?,
            sha256: sha256.to_owned(),
        })
    }
}

fn digest(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The most pieces one secret can take in a store with this limit.
fn max_pieces(limit: EntryLimit) -> usize {
    limit.piece_bytes().map_or(0, |piece| MAX_SECRET_BYTES.div_ceil(piece))
}

/// Reads a secret back whole, or `None` when there is none.
pub fn read(entries: &dyn Entries, names: &dyn Names) -> Result<Option<Secret>, PieceError> {
    let Some(whole) = entries.get_text(&names.whole())? else {
        return Ok(None);
    };
    let Some(manifest) = Manifest::parse(whole.expose()) else {
        return Ok(Some(whole));
    };
    if manifest.bytes > MAX_SECRET_BYTES || manifest.count > manifest.bytes.max(1) {
        return Err(PieceError::Incomplete("its manifest is not one lcsauth writes"));
    }
    let mut joined = Zeroizing::new(Vec::with_capacity(manifest.bytes));
    for index in 0..manifest.count {
        let Some(piece) = entries.get_bytes(&names.piece(manifest.slot, index))? else {
            return Err(PieceError::Incomplete("a piece is missing"));
        };
        if joined.len() + piece.len() > manifest.bytes {
            return Err(PieceError::Incomplete("its pieces are longer than the manifest says"));
        }
        joined.extend_from_slice(&piece);
    }
    if joined.len() != manifest.bytes || digest(&joined) != manifest.sha256 {
        return Err(PieceError::Incomplete("its pieces do not match the manifest's digest"));
    }
    let text = String::from_utf8(std::mem::take(&mut *joined))
        .map_err(|_| PieceError::Incomplete("its pieces are not UTF-8 text"))?;
    Ok(Some(Secret::new(text)))
}

/// Stores `value` whole, or in pieces when one entry cannot hold it. On failure the value
/// that was there before is still the one [`read`] returns.
pub fn write(entries: &dyn Entries, names: &dyn Names, limit: EntryLimit, value: &Secret) -> Result<(), PieceError> {
    let text = value.expose();
    if text.len() > MAX_SECRET_BYTES {
        return Err(PieceError::TooLarge {
            bytes: text.len(),
            limit: MAX_SECRET_BYTES,
        });
    }
    if text.starts_with(MANIFEST_TAG) {
        return Err(PieceError::Reserved);
    }
    let whole = names.whole();
    let Some(piece_bytes) = limit.piece_bytes() else {
        return Ok(entries.set_text(&whole, text)?);
    };
    let current = entries.get_text(&whole)?;
    let current = current.as_ref().and_then(|s| Manifest::parse(s.expose()));
    if limit.fits_text(text) {
        entries.set_text(&whole, text)?;
        if current.is_some() {
            sweep_all(entries, names, limit);
        }
        return Ok(());
    }
    let slot = match current {
        Some(Manifest { slot: 'a', .. }) => 'b',
        _ => 'a',
    };
    let bytes = text.as_bytes();
    let mut count = 0;
    for (index, chunk) in bytes.chunks(piece_bytes).enumerate() {
        if let Err(e) = entries.set_bytes(&names.piece(slot, index), chunk) {
            sweep(entries, names, slot, 0, limit);
            return Err(e.into());
        }
        count = index + 1;
    }
    let manifest = Manifest {
        slot,
        count,
        bytes: bytes.len(),
        sha256: digest(bytes),
    };
    if let Err(e) = entries.set_text(&whole, &manifest.render()) {
        sweep(entries, names, slot, 0, limit);
        return Err(e.into());
    }
    sweep(entries, names, slot, count, limit);
    let other = if slot == 'a' { 'b' } else { 'a' };
    sweep(entries, names, other, 0, limit);
    Ok(())
}

/// Has the store drop the secret, and each of its pieces, by itself after `after`.
pub fn expire(entries: &dyn Entries, names: &dyn Names, after: std::time::Duration) -> Result<(), PieceError> {
    let whole = names.whole();
    if let Some(text) = entries.get_text(&whole)?
        && let Some(manifest) = Manifest::parse(text.expose())
    {
        for index in 0..manifest.count {
            entries.expire(&names.piece(manifest.slot, index), after)?;
        }
    }
    Ok(entries.expire(&whole, after)?)
}

/// Removes the secret and every piece it ever had; removing a missing secret is no error.
pub fn remove(entries: &dyn Entries, names: &dyn Names, limit: EntryLimit) -> Result<(), PieceError> {
    entries.delete(&names.whole())?;
    for slot in SLOTS {
        let mut index = 0;
        while index < max_pieces(limit) && entries.delete(&names.piece(slot, index))? {
            index += 1;
        }
    }
    Ok(())
}

/// Best-effort removal of pieces `from..` of `slot`: a leftover piece is never read (the
/// manifest's digest rules it out) and the next write or [`remove`] sweeps it again.
fn sweep(entries: &dyn Entries, names: &dyn Names, slot: char, from: usize, limit: EntryLimit) {
    let mut index = from;
    while index < max_pieces(limit) {
        match entries.delete(&names.piece(slot, index)) {
            Ok(true) => index += 1,
            Ok(false) => break,
            Err(e) => {
                tracing::warn!(slot = %slot, index, error = %e, "could not remove an old piece of a secret");
                break;
            }
        }
    }
}

fn sweep_all(entries: &dyn Entries, names: &dyn Names, limit: EntryLimit) {
    for slot in SLOTS {
        sweep(entries, names, slot, 0, limit);
    }
}

#[cfg(test)]
#[path = "pieces_tests.rs"]
mod tests;
