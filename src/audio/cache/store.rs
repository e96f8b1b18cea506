//! The store file: an append-only log of checksummed records, one per probed file, the last record of a
//! key winning.
//!
//! ```text
//! castkit probe store 3 VERSION\n            header: another version starts a new store
//! u32 body length | u32 CRC-32 of body | body  one record; body = u32 key length, key, entry (codec.rs)
//! ```
//!
//! Opening reads the file once, checks every record's CRC and indexes the last record of each key; entries
//! are decoded only when looked up. Saving appends the new records in one write, so its cost follows what
//! changed, not the show's size. The file is rewritten whole (atomically: temporary file, fsync, rename)
//! only to repair it, to start it, or when superseded records outweigh live ones.
//!
//! Damage never reaches a result: a wrong header makes the whole file unread; a record whose length or
//! checksum is wrong (a torn append after a crash, a flipped bit) ends the reading there, and the records
//! before it, each checked, are kept. The next save rewrites the file without the damage.
//!
//! Concurrency: readers take no lock (a rename or an append never shows them a broken record they would
//! trust). Writers take an advisory lock on a separate file, waiting at most [`LOCK_PATIENCE`]; a writer
//! that cannot get it saves nothing (the next run probes those files again). Under the lock, a writer reads
//! the file again if anyone changed it since it was opened, so appends always follow a whole record.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The first line of a store; a store of another castkit version or format (2: entries end with an optional
/// digest; 3: and then an optional loudness) is not read (facts may be measured differently), and is replaced
/// at the next save.
const HEADER: &[u8] = concat!("castkit probe store 3 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// The store's file name inside its folder.
const STORE_FILE: &str = "probe-store";
/// The lock file's name: never replaced, so every writer locks the same file.
const LOCK_FILE: &str = "probe-store.lock";
/// What `.castkit/.gitignore` says: ignore everything in the folder, itself included.
const GITIGNORE: &[u8] = b"# castkit's probe cache: safe to delete, never to commit.\n*\n";

/// How long a writer waits for another castkit to finish saving the same store.
pub(super) const LOCK_PATIENCE: Duration = Duration::from_secs(2);
/// A larger file is not read: no show has that many files, so it can only be damage.
const MAX_STORE_BYTES: u64 = 1 << 30;
/// Superseded records kept before a rewrite, beyond as many as there are live ones.
const GARBAGE_SLACK: usize = 1024;

/// Bytes before a record's body: its length and its checksum.
const RECORD_HEAD: usize = 8;
/// Bytes before the key inside a body: the key's length.
const KEY_HEAD: usize = 4;

/// A show's store, as read when it was opened.
pub(super) struct Store {
    /// The folder holding the store and its lock.
    dir: PathBuf,
    /// Whether `dir` is the show's own `.castkit/` (created with a `.gitignore`).
    beside_show: bool,
    snapshot: Snapshot,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("entries", &self.snapshot.index.len())
            .field("state", &self.snapshot.state)
            .finish()
    }
}

/// What a read of the file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// No store yet.
    Missing,
    /// The header and every record checked, to the last byte.
    Whole,
    /// A wrong header, a record that failed its check, or a file that could not be read.
    Damaged,
}

/// The file's identity and length when read: unchanged means nobody wrote to it since.
type Identity = (u64, u64, u64);

struct Snapshot {
    bytes: Vec<u8>,
    /// The last record of each key: its range in `bytes`, length and checksum included.
    index: HashMap<Box<[u8]>, Range<usize>>,
    /// Records read, superseded ones included.
    records: usize,
    state: State,
    identity: Option<Identity>,
}

impl Snapshot {
    fn empty(state: State) -> Snapshot {
        Snapshot {
            bytes: Vec::new(),
            index: HashMap::new(),
            records: 0,
            state,
            identity: None,
        }
    }

    fn read(path: &Path) -> Snapshot {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Snapshot::empty(State::Missing);
            }
            Err(_) => return Snapshot::empty(State::Damaged),
        };
        let Ok(meta) = file.metadata() else {
            return Snapshot::empty(State::Damaged);
        };
        if meta.len() > MAX_STORE_BYTES {
            return Snapshot::empty(State::Damaged);
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        if file.read_to_end(&mut bytes).is_err() {
            return Snapshot::empty(State::Damaged);
        }
        let identity = Some(identity_of(&meta, bytes.len() as u64));
        let mut snapshot = Snapshot {
            index: HashMap::new(),
            records: 0,
            state: State::Whole,
            identity,
            bytes: Vec::new(),
        };
        if !bytes.starts_with(HEADER) {
            snapshot.state = State::Damaged;
            return snapshot;
        }
        let mut at = HEADER.len();
        while at < bytes.len() {
            let Some(record) = record_at(&bytes, at) else {
                snapshot.state = State::Damaged;
                break;
            };
            let key = &bytes[record.key.clone()];
            snapshot.index.insert(key.into(), at..record.end);
            snapshot.records += 1;
            at = record.end;
        }
        snapshot.bytes = bytes;
        snapshot
    }
}

/// The parts of a record that passed its checks.
struct Record {
    key: Range<usize>,
    end: usize,
}

/// The record starting at `at`, if its length fits in the file and its checksum matches.
fn record_at(bytes: &[u8], at: usize) -> Option<Record> {
    let head = bytes.get(at..at + RECORD_HEAD)?;
    let body_len = u32::from_le_bytes(head[..4].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(head[4..].try_into().ok()?);
    let body_start = at + RECORD_HEAD;
    let end = body_start.checked_add(body_len)?;
    let body = bytes.get(body_start..end)?;
    if crc32fast::hash(body) != crc {
        return None;
    }
    let key_len = u32::from_le_bytes(body.get(..KEY_HEAD)?.try_into().ok()?) as usize;
    let key_start = body_start + KEY_HEAD;
    let key_end = key_start.checked_add(key_len).filter(|e| *e <= end)?;
    Some(Record {
        key: key_start..key_end,
        end,
    })
}

/// Appends one record for `key` with `entry` (an encoded stamp and facts) to `out`.
pub(super) fn push_record(out: &mut Vec<u8>, key: &[u8], entry: &[u8]) {
    let body_len = KEY_HEAD + key.len() + entry.len();
    let Ok(body_len) = u32::try_from(body_len) else {
        return; // Cannot happen for real paths and facts; such an entry is simply not kept.
    };
    let start = out.len();
    out.extend_from_slice(&body_len.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(key.len() as u32).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(entry);
    let crc = crc32fast::hash(&out[start + RECORD_HEAD..]);
    out[start + 4..start + RECORD_HEAD].copy_from_slice(&crc.to_le_bytes());
}

#[cfg(unix)]
fn identity_of(meta: &fs::Metadata, len: u64) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino(), len)
}

#[cfg(not(unix))]
fn identity_of(_meta: &fs::Metadata, len: u64) -> Identity {
    (0, 0, len)
}

impl Store {
    /// Reads the store in `dir` (a missing or damaged one reads as empty).
    pub(super) fn open(dir: PathBuf, beside_show: bool) -> Store {
        let snapshot = Snapshot::read(&dir.join(STORE_FILE));
        Store {
            dir,
            beside_show,
            snapshot,
        }
    }

    /// Where the store is.
    pub(super) fn file(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    /// What the read found.
    #[cfg(test)]
    pub(super) fn state(&self) -> State {
        self.snapshot.state
    }

    /// The entry (encoded stamp and facts) last stored for `key`.
    pub(super) fn get(&self, key: &[u8]) -> Option<&[u8]> {
        let range = self.snapshot.index.get(key)?;
        self.snapshot
            .bytes
            .get(range.start + RECORD_HEAD + KEY_HEAD + key.len()..range.end)
    }

    /// Saves `records` (made by [`push_record`]; `keys` are theirs): appended in one write, or the file
    /// rewritten when it is missing, damaged or mostly superseded records. A rewrite keeps older entries
    /// only if `keep` says so (their file still exists). Nothing happens when there is nothing new and the
    /// file is whole. Failing to save is not an error: the next run probes those files again.
    pub(super) fn save(&self, keys: &[&[u8]], records: &[u8], keep: impl Fn(&[u8]) -> bool) {
        let state = self.snapshot.state;
        if keys.is_empty() && state != State::Damaged {
            return;
        }
        if self.prepare_dir().is_err() {
            return;
        }
        let Some(_lock) = self.lock() else {
            return;
        };
        let path = self.file();
        let now = File::open(&path)
            .and_then(|f| f.metadata())
            .ok()
            .map(|m| identity_of(&m, m.len()));
        let reread;
        let current = if now == self.snapshot.identity && state == State::Whole {
            &self.snapshot
        } else {
            reread = Snapshot::read(&path);
            &reread
        };
        let total = current.records + keys.len();
        let live = current.index.len()
            + keys
                .iter()
                .filter(|k| !current.index.contains_key(**k))
                .count();
        if current.state == State::Whole && total <= 2 * live + GARBAGE_SLACK {
            let _ = append(&path, records);
        } else {
            let _ = rewrite(&path, current, keys, records, keep);
        }
    }

    /// Creates the folder, and, beside the show, its `.gitignore`.
    fn prepare_dir(&self) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        if self.beside_show {
            match crate::fsutil::write_new(&self.dir.join(".gitignore"), GITIGNORE) {
                Ok(()) => {}
                Err(crate::fsutil::WriteError::Rename { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io::Error::other(e)),
            }
        }
        Ok(())
    }

    /// The writers' lock, held until the file returned is dropped; `None` after [`LOCK_PATIENCE`].
    fn lock(&self) -> Option<File> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK_FILE))
            .ok()?;
        let deadline = Instant::now() + LOCK_PATIENCE;
        loop {
            match file.try_lock() {
                Ok(()) => return Some(file),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return None,
            }
        }
    }
}

/// Appends `records` to the store in one write. A crash midway leaves a torn last record, which the next
/// read detects by its checksum; no fsync is needed for that, so none is paid.
fn append(path: &Path, records: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().append(true).open(path)?;
    file.write_all(records)
}

/// Writes the store anew: the header, each live older entry that `keep` accepts, then `records`; sorted by
/// key so the same entries always make the same file.
fn rewrite(
    path: &Path,
    current: &Snapshot,
    keys: &[&[u8]],
    records: &[u8],
    keep: impl Fn(&[u8]) -> bool,
) -> Result<(), crate::fsutil::WriteError> {
    let fresh: std::collections::HashSet<&[u8]> = keys.iter().copied().collect();
    let mut older: Vec<(&[u8], &Range<usize>)> = current
        .index
        .iter()
        .map(|(k, r)| (&**k, r))
        .filter(|(k, _)| !fresh.contains(k) && keep(k))
        .collect();
    older.sort_unstable_by_key(|(k, _)| *k);
    crate::fsutil::write_atomic(path, |w| {
        w.write_all(HEADER)?;
        for (_, range) in older {
            w.write_all(&current.bytes[range.clone()])?;
        }
        w.write_all(records)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(store: &Store, entries: &[(&str, &str)]) {
        let mut records = Vec::new();
        for (k, v) in entries {
            push_record(&mut records, k.as_bytes(), v.as_bytes());
        }
        let keys: Vec<&[u8]> = entries.iter().map(|(k, _)| k.as_bytes()).collect();
        store.save(&keys, &records, |_| true);
    }

    fn get(store: &Store, key: &str) -> Option<String> {
        store
            .get(key.as_bytes())
            .map(|e| String::from_utf8(e.to_vec()).unwrap())
    }

    #[test]
    fn saves_append_and_the_last_record_of_a_key_wins() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(".castkit");
        let store = Store::open(folder.clone(), true);
        assert_eq!(store.state(), State::Missing);
        save(&store, &[("media/a.mp3", "one"), ("media/b.mp3", "two")]);
        assert_eq!(fs::read(folder.join(".gitignore")).unwrap(), GITIGNORE);
        let first_len = fs::metadata(folder.join(STORE_FILE)).unwrap().len();
        let store = Store::open(folder.clone(), true);
        assert_eq!(store.state(), State::Whole);
        assert_eq!(get(&store, "media/a.mp3").as_deref(), Some("one"));
        save(&store, &[("media/a.mp3", "uno")]);
        // One record appended, nothing rewritten: the file grew by exactly that record.
        let mut record = Vec::new();
        push_record(&mut record, b"media/a.mp3", b"uno");
        assert_eq!(
            fs::metadata(folder.join(STORE_FILE)).unwrap().len(),
            first_len + record.len() as u64
        );
        let store = Store::open(folder, true);
        assert_eq!(get(&store, "media/a.mp3").as_deref(), Some("uno"));
        assert_eq!(get(&store, "media/b.mp3").as_deref(), Some("two"));
        assert_eq!(get(&store, "media/c.mp3"), None);
    }

    #[test]
    fn a_damaged_record_ends_the_reading_and_the_next_save_rewrites_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("store");
        save(
            &Store::open(folder.clone(), false),
            &[("a", "first"), ("b", "second"), ("c", "third")],
        );
        let path = folder.join(STORE_FILE);
        let whole = fs::read(&path).unwrap();
        // Flip one bit in every byte position of the records in turn: never a wrong entry.
        for at in HEADER.len()..whole.len() {
            let mut bytes = whole.clone();
            bytes[at] ^= 0x10;
            fs::write(&path, &bytes).unwrap();
            let store = Store::open(folder.clone(), false);
            assert_eq!(store.state(), State::Damaged, "flip at {at}");
            for (k, v) in [("a", "first"), ("b", "second"), ("c", "third")] {
                let got = get(&store, k);
                assert!(got.is_none() || got.as_deref() == Some(v), "flip at {at}");
            }
        }
        // Truncated anywhere past the header: the records before the cut are kept; the file is damaged
        // unless the cut falls between two records (then it is a shorter store, as before a save).
        let boundaries: Vec<usize> = Store::open(folder.clone(), false)
            .snapshot
            .index
            .values()
            .map(|r| r.end)
            .collect();
        for len in HEADER.len() + 1..whole.len() {
            fs::write(&path, &whole[..len]).unwrap();
            let store = Store::open(folder.clone(), false);
            let expected = if boundaries.contains(&len) {
                State::Whole
            } else {
                State::Damaged
            };
            assert_eq!(store.state(), expected, "cut at {len}");
            for (k, v) in [("a", "first"), ("b", "second"), ("c", "third")] {
                let got = get(&store, k);
                assert!(got.is_none() || got.as_deref() == Some(v), "cut at {len}");
            }
        }
        // The next save, even with nothing new, rewrites a whole file.
        fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        let store = Store::open(folder.clone(), false);
        assert_eq!(get(&store, "a").as_deref(), Some("first"));
        assert_eq!(get(&store, "c"), None);
        save(&store, &[]);
        let store = Store::open(folder.clone(), false);
        assert_eq!(store.state(), State::Whole);
        assert_eq!(get(&store, "b").as_deref(), Some("second"));
        // A header of another version: nothing is read.
        let mut bytes = fs::read(&path).unwrap();
        bytes[HEADER.len() - 2] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let store = Store::open(folder.clone(), false);
        assert_eq!((store.state(), get(&store, "a")), (State::Damaged, None));
    }

    #[test]
    fn a_writer_that_cannot_get_the_lock_saves_nothing_and_does_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("store");
        let store = Store::open(folder.clone(), false);
        fs::create_dir_all(&folder).unwrap();
        let held = File::create(folder.join(LOCK_FILE)).unwrap();
        held.lock().unwrap();
        let started = Instant::now();
        save(&store, &[("a", "one")]);
        assert!(started.elapsed() < LOCK_PATIENCE * 3);
        assert!(!folder.join(STORE_FILE).exists());
        held.unlock().unwrap();
        save(&store, &[("a", "one")]);
        assert_eq!(
            get(&Store::open(folder, false), "a").as_deref(),
            Some("one")
        );
    }

    #[test]
    fn a_writer_appends_after_records_another_process_added_since_it_opened() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("store");
        save(&Store::open(folder.clone(), false), &[("a", "one")]);
        let first = Store::open(folder.clone(), false);
        let second = Store::open(folder.clone(), false);
        save(&second, &[("b", "two")]);
        save(&first, &[("c", "three")]);
        let store = Store::open(folder, false);
        assert_eq!(store.state(), State::Whole);
        for (k, v) in [("a", "one"), ("b", "two"), ("c", "three")] {
            assert_eq!(get(&store, k).as_deref(), Some(v));
        }
    }

    #[test]
    fn superseded_records_are_dropped_once_they_outweigh_the_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("store");
        for round in 0..=GARBAGE_SLACK + 2 {
            let value = round.to_string();
            save(&Store::open(folder.clone(), false), &[("a", &value)]);
        }
        let store = Store::open(folder, false);
        assert!(store.snapshot.records <= GARBAGE_SLACK + 1);
        assert_eq!(get(&store, "a"), Some((GARBAGE_SLACK + 2).to_string()));
    }
}
