use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

/// A store that enforces a per-entry limit the way Windows' Credential Manager does, and can
/// be told to fail the n-th write (a full disk, a locked vault, a crash).
struct Limited {
    limit: EntryLimit,
    entries: RefCell<BTreeMap<String, Vec<u8>>>,
    writes: Cell<usize>,
    fail_write: Cell<Option<usize>>,
}

impl Limited {
    fn new(limit: EntryLimit) -> Self {
        Self {
            limit,
            entries: RefCell::default(),
            writes: Cell::new(0),
            fail_write: Cell::new(None),
        }
    }

    /// The `n`-th write from now (1 = the next one) fails.
    fn fail_nth_write(&self, n: usize) {
        self.fail_write.set(Some(self.writes.get() + n));
    }

    fn names(&self) -> Vec<String> {
        self.entries.borrow().keys().cloned().collect()
    }

    fn put(&self, user: &str, stored: Vec<u8>) -> Result<(), EntryError> {
        self.writes.set(self.writes.get() + 1);
        if self.fail_write.get() == Some(self.writes.get()) {
            return Err(EntryError::PlatformFailure("the vault is locked".into()));
        }
        let max = match self.limit {
            EntryLimit::None => usize::MAX,
            EntryLimit::Bytes(max) | EntryLimit::Utf16Bytes(max) => max,
        };
        if stored.len() > max {
            return Err(EntryError::TooLong("secret".into(), max as u32));
        }
        self.entries.borrow_mut().insert(user.to_owned(), stored);
        Ok(())
    }
}

impl Entries for Limited {
    fn get_text(&self, user: &str) -> Result<Option<Secret>, EntryError> {
        let map = self.entries.borrow();
        let Some(raw) = map.get(user) else { return Ok(None) };
        let text = if let EntryLimit::Utf16Bytes(_) = self.limit {
            let units: Vec<u16> = raw.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).map_err(|_| EntryError::BadEncoding(raw.clone()))?
        } else {
            String::from_utf8(raw.clone()).map_err(|_| EntryError::BadEncoding(raw.clone()))?
        };
        Ok(Some(Secret::new(text)))
    }

    fn set_text(&self, user: &str, text: &str) -> Result<(), EntryError> {
        let stored = if let EntryLimit::Utf16Bytes(_) = self.limit {
            text.encode_utf16().flat_map(u16::to_le_bytes).collect()
        } else {
            text.as_bytes().to_vec()
        };
        self.put(user, stored)
    }

    fn get_bytes(&self, user: &str) -> Result<Option<Zeroizing<Vec<u8>>>, EntryError> {
        Ok(self.entries.borrow().get(user).cloned().map(Zeroizing::new))
    }

    fn set_bytes(&self, user: &str, bytes: &[u8]) -> Result<(), EntryError> {
        self.put(user, bytes.to_vec())
    }

    fn delete(&self, user: &str) -> Result<bool, EntryError> {
        Ok(self.entries.borrow_mut().remove(user).is_some())
    }
}

struct TestNames;

impl Names for TestNames {
    fn whole(&self) -> String {
        "p/access_token".into()
    }
    fn piece(&self, slot: char, index: usize) -> String {
        format!("p/access_token#{slot}{index}")
    }
}

const WINDOWS: EntryLimit = EntryLimit::Utf16Bytes(2560);

fn token(len: usize, seed: u8) -> Secret {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    Secret::new(
        (0..len)
            .map(|i| char::from(alphabet[(i * 7 + usize::from(seed)) % alphabet.len()]))
            .collect::<String>(),
    )
}

fn read_back(store: &Limited) -> Option<Secret> {
    read(store, &TestNames).expect("readable")
}

#[test]
fn a_value_that_fits_one_credential_stays_one_entry() {
    let store = Limited::new(WINDOWS);
    let value = token(1280, 1);
    write(&store, &TestNames, WINDOWS, &value).unwrap();
    assert_eq!(store.names(), ["p/access_token"]);
    assert_eq!(read_back(&store), Some(value));
}

#[test]
fn a_16_kib_token_is_split_into_credentials_within_the_windows_limit_and_read_back_whole() {
    let store = Limited::new(WINDOWS);
    let value = token(16 * 1024, 2);
    write(&store, &TestNames, WINDOWS, &value).unwrap();
    // 16,384 bytes in pieces of 2,560: seven pieces, plus the manifest.
    assert_eq!(store.names().len(), 8, "{:?}", store.names());
    assert!(store.entries.borrow().values().all(|v| v.len() <= 2560));
    assert_eq!(read_back(&store), Some(value));
}

#[test]
fn a_new_value_goes_to_the_other_slot_and_the_old_pieces_are_removed() {
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(9000, 1)).unwrap();
    assert!(store.names().iter().any(|n| n.ends_with("#a0")));
    let second = token(6000, 2);
    write(&store, &TestNames, WINDOWS, &second).unwrap();
    let names = store.names();
    assert!(
        names.iter().all(|n| !n.contains("#a")),
        "old slot left behind: {names:?}"
    );
    assert_eq!(names.len(), 1 + 3, "{names:?}");
    assert_eq!(read_back(&store), Some(second));
}

#[test]
fn a_failed_piece_write_leaves_the_old_token_and_no_new_pieces() {
    let store = Limited::new(WINDOWS);
    let old = token(9000, 1);
    write(&store, &TestNames, WINDOWS, &old).unwrap();
    let before = store.names();
    store.fail_nth_write(3);
    let err = write(&store, &TestNames, WINDOWS, &token(9000, 2)).unwrap_err();
    assert!(matches!(err, PieceError::Store(_)), "{err:?}");
    assert_eq!(store.names(), before, "the half-written slot was swept");
    assert_eq!(read_back(&store), Some(old));
}

#[test]
fn a_failed_manifest_write_leaves_the_old_token() {
    let store = Limited::new(WINDOWS);
    let old = token(9000, 1);
    write(&store, &TestNames, WINDOWS, &old).unwrap();
    // 9,000 bytes are four pieces; the fifth write is the manifest.
    store.fail_nth_write(5);
    assert!(write(&store, &TestNames, WINDOWS, &token(9000, 2)).is_err());
    assert_eq!(read_back(&store), Some(old));
}

#[test]
fn pieces_of_another_generation_are_refused_not_joined() {
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(9000, 1)).unwrap();
    // A piece overwritten by another writer: same length, other content.
    store
        .entries
        .borrow_mut()
        .insert("p/access_token#a1".into(), token(2560, 9).expose().as_bytes().to_vec());
    let err = read(&store, &TestNames).unwrap_err();
    assert!(
        matches!(err, PieceError::Incomplete(why) if why.contains("digest")),
        "{err:?}"
    );
}

#[test]
fn a_missing_piece_is_an_error_not_a_shorter_token() {
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(9000, 1)).unwrap();
    store.entries.borrow_mut().remove("p/access_token#a3");
    let err = read(&store, &TestNames).unwrap_err();
    assert!(matches!(err, PieceError::Incomplete("a piece is missing")), "{err:?}");
}

#[test]
fn removing_deletes_the_manifest_every_piece_and_leftovers_of_an_interrupted_write() {
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(16 * 1024, 1)).unwrap();
    // Pieces a crash left in the other slot before its manifest was written.
    for i in 0..3 {
        store.set_bytes(&TestNames.piece('b', i), b"leftover").unwrap();
    }
    remove(&store, &TestNames, WINDOWS).unwrap();
    assert!(store.names().is_empty(), "{:?}", store.names());
    assert_eq!(read_back(&store), None);
    remove(&store, &TestNames, WINDOWS).expect("removing nothing is fine");
}

#[test]
fn a_small_value_after_a_large_one_removes_the_pieces() {
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(16 * 1024, 1)).unwrap();
    let small = token(1000, 2);
    write(&store, &TestNames, WINDOWS, &small).unwrap();
    assert_eq!(store.names(), ["p/access_token"]);
    assert_eq!(read_back(&store), Some(small));
}

#[test]
fn a_value_over_the_maximum_is_refused_with_the_limit_and_nothing_is_written() {
    for limit in [WINDOWS, EntryLimit::Bytes(32767), EntryLimit::None] {
        let store = Limited::new(limit);
        let err = write(&store, &TestNames, limit, &token(MAX_SECRET_BYTES + 1, 1)).unwrap_err();
        assert!(
            matches!(err, PieceError::TooLarge { bytes, limit } if bytes == MAX_SECRET_BYTES + 1 && limit == MAX_SECRET_BYTES),
            "{err:?}"
        );
        assert!(store.names().is_empty());
    }
    let store = Limited::new(WINDOWS);
    write(&store, &TestNames, WINDOWS, &token(MAX_SECRET_BYTES, 1)).expect("the maximum itself fits");
    assert_eq!(read_back(&store).map(|s| s.expose().len()), Some(MAX_SECRET_BYTES));
}

#[test]
fn a_value_that_reads_like_a_manifest_is_refused() {
    let store = Limited::new(EntryLimit::None);
    let fake = Secret::new(format!(
        "{MANIFEST_TAG} slot=a count=1 bytes=1 sha256={}",
        "0".repeat(64)
    ));
    assert!(matches!(
        write(&store, &TestNames, EntryLimit::None, &fake),
        Err(PieceError::Reserved)
    ));
    assert!(store.names().is_empty());
}

#[test]
fn text_split_inside_a_multibyte_character_reads_back_exactly() {
    let store = Limited::new(WINDOWS);
    let value = Secret::new("pässwörd-€-".repeat(400));
    write(&store, &TestNames, WINDOWS, &value).unwrap();
    assert!(store.names().len() > 2);
    assert_eq!(read_back(&store), Some(value));
}

#[test]
fn an_existing_plain_value_is_read_as_it_was() {
    let store = Limited::new(WINDOWS);
    store.set_text("p/access_token", "eyJ0eXAiOiJKV1QifQ.e30.sig").unwrap();
    assert_eq!(read_back(&store).unwrap().expose(), "eyJ0eXAiOiJKV1QifQ.e30.sig");
}

#[test]
fn the_manifest_parses_only_what_it_renders() {
    let m = Manifest {
        slot: 'b',
        count: 7,
        bytes: 16384,
        sha256: digest(b"x"),
    };
    assert_eq!(Manifest::parse(&m.render()), Some(m));
    for bad in [
        "lcsauth-pieces/1 slot=c count=1 bytes=1 sha256=00",
        "lcsauth-pieces/1 slot=a count=x bytes=1 sha256=00",
        "lcsauth-pieces/2 slot=a count=1 bytes=1 sha256=00",
        "eyJ0eXAiOiJKV1QifQ",
    ] {
        assert_eq!(Manifest::parse(bad), None, "{bad}");
    }
}

proptest! {
    #[test]
    fn any_value_up_to_the_maximum_reads_back_and_every_entry_fits(
        len in 0usize..20_000,
        piece in 256usize..4096,
        utf16 in any::<bool>(),
        seed in any::<u8>(),
    ) {
        let limit = if utf16 { EntryLimit::Utf16Bytes(piece) } else { EntryLimit::Bytes(piece) };
        let store = Limited::new(limit);
        let value = token(len, seed);
        write(&store, &TestNames, limit, &value).unwrap();
        prop_assert_eq!(read(&store, &TestNames).unwrap(), Some(value));
    }
}
