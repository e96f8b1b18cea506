//! A store of probe results, so that re-running `build-feed`, `tag` or `validate --catalogue` on unchanged
//! files reads only their metadata, not their audio.
//!
//! An entry is used only while the file is provably the same: same device, inode, size, modification time
//! and status-change time (the last changes on every write, even one that restores the modification time,
//! and a file replaced by another has another inode). Anything else means a fresh probe. The cache never
//! changes a result, only how long it takes to get it.
//!
//! Each show has its own store, in `.castkit/` beside its catalogue (created with a `.gitignore` that
//! ignores the folder), keyed by each file's path relative to the show's folder: no path is resolved per
//! file. `CASTKIT_CACHE_DIR=DIR` keeps the stores below `DIR/probe/` instead (one folder per show, named
//! after the show's folder); `CASTKIT_CACHE_DIR=off`, or [`CacheMode::Off`] (`--no-cache`), reads and
//! writes nothing, and results are remembered only for the run (one run never probes a file twice).
//!
//! A file's SHA-384 digest (for `podcast:integrity`) is kept in its entry too, under the same rule:
//! [`ProbeCache::sha384`] reads an unchanged file's bytes once, ever; and so is its loudness
//! ([`ProbeCache::loudness`]): an unchanged file is decoded once, ever.
//!
//! The store's file format, its checks and its locking are in `store.rs`; the entries' encoding in
//! `codec.rs`; streaming digests in `digest.rs`.

mod codec;
mod digest;
mod store;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use self::digest::{Sha384, digest_file};
use self::store::Store;
use super::loudness::{Loudness, LoudnessError};
use super::{AudioFacts, ProbeError, probe};
use crate::fsutil::{CacheDirSetting, cache_dir_setting};

/// Whether a command may use the show's probe store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheMode {
    /// The show's store, where `CASTKIT_CACHE_DIR` puts it (the default).
    #[default]
    Show,
    /// No store (`--no-cache`): nothing read or written; files are probed once per run.
    Off,
}

impl CacheMode {
    /// The mode a command's `--no-cache` flag asks for.
    pub fn from_no_cache_flag(no_cache: bool) -> CacheMode {
        if no_cache {
            CacheMode::Off
        } else {
            CacheMode::Show
        }
    }
}

/// Probe results of one show's files, valid while each file's identity and times are unchanged.
pub struct ProbeCache {
    /// The show's folder: keys are paths relative to it.
    show_dir: PathBuf,
    /// The persistent store; `None` in memory only.
    store: Option<Store>,
    /// Files probed in this run, by key.
    fresh: Mutex<HashMap<Box<[u8]>, Fresh>>,
}

/// What this run learnt about one version of a file.
struct Fresh {
    stamp: Stamp,
    /// `None` for a file only hashed (not audio, or not probed in this run): such an entry is not stored,
    /// since an entry holds facts.
    facts: Option<AudioFacts>,
    sha384: Option<Sha384>,
    loudness: Option<Loudness>,
    saved: bool,
}

impl Fresh {
    /// The entry of `key` for this version of the file (`stamp`), to be filled in and saved: a new one, or
    /// the one already there with whatever an older version left in it cleared.
    fn for_version(
        fresh: &mut HashMap<Box<[u8]>, Fresh>,
        key: Vec<u8>,
        stamp: Stamp,
    ) -> &mut Fresh {
        let empty = || Fresh {
            stamp,
            facts: None,
            sha384: None,
            loudness: None,
            saved: false,
        };
        let known = fresh.entry(key.into_boxed_slice()).or_insert_with(empty);
        if known.stamp != stamp {
            *known = empty();
        }
        known.saved = false;
        known
    }
}

impl std::fmt::Debug for ProbeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeCache")
            .field("show_dir", &self.show_dir)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// What identifies one version of a file: it changes whenever the content can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl Stamp {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            ctime_ns: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
        })
    }

    /// Without a status-change time and an inode, a rewrite cannot be told apart: nothing is cached.
    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<Stamp> {
        None
    }
}

impl ProbeCache {
    /// The store of the show whose catalogue is `catalogue` (a missing, outdated or damaged store reads as
    /// empty), or memory only with [`CacheMode::Off`] or `CASTKIT_CACHE_DIR=off`.
    pub fn for_catalogue(catalogue: &Path, mode: CacheMode) -> ProbeCache {
        let show_dir = match catalogue.parent() {
            Some(p) => p.to_path_buf(),
            None => PathBuf::new(),
        };
        let store = match (mode, cache_dir_setting()) {
            (CacheMode::Off, _) | (_, CacheDirSetting::Off) => None,
            (CacheMode::Show, CacheDirSetting::Unset) => {
                let dir = if show_dir.as_os_str().is_empty() {
                    PathBuf::from(".castkit")
                } else {
                    show_dir.join(".castkit")
                };
                Some(Store::open(dir, true))
            }
            (CacheMode::Show, CacheDirSetting::At(root)) => Some(Store::open(
                root.join("probe").join(folder_name(&show_dir)),
                false,
            )),
        };
        ProbeCache {
            show_dir,
            store,
            fresh: Mutex::default(),
        }
    }

    /// A cache kept in memory only, for this process: an unchanged file is still probed once per run,
    /// never saved.
    pub fn disabled() -> ProbeCache {
        ProbeCache {
            show_dir: PathBuf::new(),
            store: None,
            fresh: Mutex::default(),
        }
    }

    /// The store's file, when results are kept between runs.
    pub fn store_file(&self) -> Option<PathBuf> {
        self.store.as_ref().map(Store::file)
    }

    /// The key of `path`: relative to the show's folder when below it (as the catalogue's paths are),
    /// else the absolute path, so one key never names two files of the same show. `.` segments are
    /// dropped (the build names `media/a.mp3`, the validation of its feed `./media/a.mp3`); nothing else
    /// is resolved: a key only finds an entry, the entry's stamp decides whether it is the same file.
    fn key_of<'p>(&self, path: &'p Path) -> Cow<'p, [u8]> {
        let key: Cow<'p, Path> = match path.strip_prefix(&self.show_dir) {
            Ok(below) if self.show_dir.is_absolute() || path.is_relative() => Cow::Borrowed(below),
            _ => Cow::Owned(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())),
        };
        let bytes = key.as_os_str().as_encoded_bytes();
        let plain = !(bytes.starts_with(b"./")
            || bytes.ends_with(b"/.")
            || bytes.ends_with(b"/")
            || bytes.windows(2).any(|w| w == b"//")
            || bytes.windows(3).any(|w| w == b"/./"));
        match key {
            // The usual case, `media/x.mp3`: the path's own bytes, no allocation.
            Cow::Borrowed(below) if plain => Cow::Borrowed(below.as_os_str().as_encoded_bytes()),
            _ => {
                let normal: PathBuf = key
                    .components()
                    .filter(|c| *c != std::path::Component::CurDir)
                    .collect();
                Cow::Owned(normal.into_os_string().into_encoded_bytes())
            }
        }
    }

    /// The facts of `path`: from the store when the file is unchanged since it was probed, else probed now.
    ///
    /// # Errors
    /// As [`probe`]; failures are not cached.
    pub fn probe(&self, path: &Path) -> Result<AudioFacts, ProbeError> {
        let Some(stamp) = Stamp::of(path) else {
            return probe(path);
        };
        let key = self.key_of(path);
        if let Some(entry) = self.stored(&key, stamp, path) {
            return Ok(entry.facts);
        }
        if let Ok(fresh) = self.fresh.lock()
            && let Some(known) = fresh.get(&*key)
            && known.stamp == stamp
            && let Some(facts) = &known.facts
        {
            let mut facts = facts.clone();
            facts.path = path.to_path_buf();
            return Ok(facts);
        }
        let facts = probe(path)?;
        // Keep it only if the file did not change while it was being probed.
        if Stamp::of(path) == Some(stamp)
            && let Ok(mut fresh) = self.fresh.lock()
        {
            let known = Fresh::for_version(&mut fresh, key.into_owned(), stamp);
            known.facts = Some(facts.clone());
        }
        Ok(facts)
    }

    /// The store's entry for `key`, if it was made for this version of the file (`stamp`).
    fn stored(&self, key: &[u8], stamp: Stamp, path: &Path) -> Option<codec::Entry> {
        let entry = self.store.as_ref()?.get(key)?;
        if codec::decode_stamp(entry) != Some(stamp) {
            return None;
        }
        codec::decode(entry, path)
    }

    /// The SHA-384 digest of the file at `path`: from the store or this run when the file is unchanged
    /// since it was hashed, else read now, once, and kept with the file's probe facts (saved by
    /// [`ProbeCache::save`] when the file was probed too).
    ///
    /// # Errors
    /// [`ProbeError::Io`] when the file cannot be read.
    pub fn sha384(&self, path: &Path) -> Result<Sha384, ProbeError> {
        let read = || {
            Sha384::of_file(path).map_err(|source| ProbeError::Io {
                path: path.to_path_buf(),
                source,
            })
        };
        let Some(stamp) = Stamp::of(path) else {
            return read();
        };
        let key = self.key_of(path);
        if let Ok(fresh) = self.fresh.lock()
            && let Some(known) = fresh.get(&*key)
            && known.stamp == stamp
            && let Some(digest) = known.sha384
        {
            return Ok(digest);
        }
        let stored = self.stored(&key, stamp, path);
        if let Some(digest) = stored.as_ref().and_then(|e| e.sha384) {
            return Ok(digest);
        }
        let digest = read()?;
        if Stamp::of(path) == Some(stamp)
            && let Ok(mut fresh) = self.fresh.lock()
        {
            let known = Fresh::for_version(&mut fresh, key.into_owned(), stamp);
            // Facts the store already holds for this version go into the new entry with the digest.
            if let Some(stored) = stored {
                known.facts.get_or_insert(stored.facts);
                known.loudness = known.loudness.or(stored.loudness);
            }
            known.sha384 = Some(digest);
        }
        Ok(digest)
    }

    /// The loudness of the file `facts` describes (facts from [`ProbeCache::probe`]): from the store or
    /// this run when the file is unchanged since it was measured, else decoded now, once, and kept with the
    /// file's other facts (saved by [`ProbeCache::save`]).
    ///
    /// # Errors
    /// As [`super::loudness::measure`]; failures are not cached.
    pub fn loudness(&self, facts: &AudioFacts) -> Result<Loudness, LoudnessError> {
        let path = facts.path.as_path();
        let Some(stamp) = Stamp::of(path) else {
            return super::loudness::measure(facts);
        };
        let key = self.key_of(path);
        if let Ok(fresh) = self.fresh.lock()
            && let Some(known) = fresh.get(&*key)
            && known.stamp == stamp
            && let Some(loudness) = known.loudness
        {
            return Ok(loudness);
        }
        let stored = self.stored(&key, stamp, path);
        if let Some(loudness) = stored.as_ref().and_then(|e| e.loudness) {
            return Ok(loudness);
        }
        let loudness = super::loudness::measure(facts)?;
        if Stamp::of(path) == Some(stamp)
            && let Ok(mut fresh) = self.fresh.lock()
        {
            let known = Fresh::for_version(&mut fresh, key.into_owned(), stamp);
            if let Some(stored) = stored {
                known.facts.get_or_insert(stored.facts);
                known.sha384 = known.sha384.or(stored.sha384);
            }
            known.facts.get_or_insert_with(|| facts.clone());
            known.loudness = Some(loudness);
        }
        Ok(loudness)
    }

    /// Probes many files in parallel through the cache, and with `sha384` hashes each too (right after its
    /// probe, while its bytes are still in the page cache); results in the order of `paths`. `done` is
    /// called once per file, as it is answered (for a progress bar).
    pub fn probe_all<P>(
        &self,
        paths: &[P],
        sha384: bool,
        done: &(dyn Fn() + Sync),
    ) -> Vec<Result<(AudioFacts, Option<Sha384>), ProbeError>>
    where
        P: AsRef<Path> + Sync,
    {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(|p| {
                let path = p.as_ref();
                let result = self.probe(path).and_then(|facts| {
                    let digest = if sha384 {
                        Some(self.sha384(path)?)
                    } else {
                        None
                    };
                    Ok((facts, digest))
                });
                done();
                result
            })
            .collect()
    }

    /// Adds what this run learnt to the store (one append; see `store.rs` for when the file is rewritten
    /// instead). Failing to save is not an error: the next run probes again.
    pub fn save(&self) {
        let Some(store) = &self.store else {
            return;
        };
        let Ok(mut fresh) = self.fresh.lock() else {
            return;
        };
        let mut keys: Vec<&[u8]> = Vec::new();
        let mut records = Vec::new();
        let mut entry = Vec::new();
        for (key, known) in fresh.iter().filter(|(_, k)| !k.saved) {
            let Some(facts) = &known.facts else {
                continue;
            };
            entry.clear();
            codec::encode(
                &mut entry,
                &known.stamp,
                facts,
                known.sha384.as_ref(),
                known.loudness.as_ref(),
            );
            store::push_record(&mut records, key, &entry);
            keys.push(key);
        }
        store.save(&keys, &records, |key| {
            self.show_dir.join(path_of_key(key)).exists()
        });
        for known in fresh.values_mut() {
            known.saved = true;
        }
    }
}

/// The path a key was made from.
#[cfg(unix)]
fn path_of_key(key: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(key))
}

/// The path a key was made from (nothing is stored where there are no stamps; see [`Stamp::of`]).
#[cfg(not(unix))]
fn path_of_key(key: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(key).into_owned())
}

/// A store folder's name below `CASTKIT_CACHE_DIR`: the show folder's name and a hash of its full path,
/// so two shows never share a store and the folder still says whose it is.
fn folder_name(show_dir: &Path) -> String {
    let dir = if show_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        show_dir
    };
    let full = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    let name: String = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    // FNV-1a, 64 bits: stable across versions and platforms, unlike std's hasher.
    let hash = full
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("{name}-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A show folder with `media/a.mp3` (a real MP3), and a cache on its `.castkit/` store.
    fn show() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("media")).unwrap();
        let audio = dir.path().join("media/a.mp3");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/audio/vbr-xing.mp3"
            ),
            &audio,
        )
        .unwrap();
        (dir, audio)
    }

    /// The cache as a new run opens it (independent of `CASTKIT_CACHE_DIR`).
    fn open(show_dir: &Path) -> ProbeCache {
        ProbeCache {
            show_dir: show_dir.to_path_buf(),
            store: Some(Store::open(show_dir.join(".castkit"), true)),
            fresh: Mutex::default(),
        }
    }

    /// Stores facts for `audio` with its current stamp but a wrong sample count: whoever answers with that
    /// count answered from the store, without reading the file.
    fn poison(show_dir: &Path, audio: &Path) {
        let cache = open(show_dir);
        let mut facts = probe(audio).unwrap();
        facts.samples = 1;
        let known = Fresh {
            stamp: Stamp::of(audio).unwrap(),
            facts: Some(facts),
            sha384: None,
            loudness: None,
            saved: false,
        };
        cache
            .fresh
            .lock()
            .unwrap()
            .insert(cache.key_of(audio).into_owned().into_boxed_slice(), known);
        cache.save();
    }

    #[test]
    fn an_unchanged_file_is_answered_by_the_store_in_the_next_run() {
        let (dir, audio) = show();
        let real = probe(&audio).unwrap().samples;
        poison(dir.path(), &audio);
        let cache = open(dir.path());
        // Keyed by the path below the show's folder, not by an absolute or resolved path.
        assert!(cache.store.as_ref().unwrap().get(b"media/a.mp3").is_some());
        let facts = cache.probe(&audio).unwrap();
        assert_eq!(facts.samples, 1, "served from the store");
        assert_eq!(facts.path, audio);
        assert_ne!(real, 1);
    }

    #[test]
    fn a_rewritten_or_replaced_file_is_probed_again() {
        let (dir, audio) = show();
        let real = probe(&audio).unwrap().samples;
        // Rewritten in place with the same bytes and its modification time restored: only the status-change
        // time tells, and it does.
        poison(dir.path(), &audio);
        let modified = std::fs::metadata(&audio).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&audio, std::fs::read(&audio).unwrap()).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&audio)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(open(dir.path()).probe(&audio).unwrap().samples, real);
        // Replaced by another file (a rename over it): another inode.
        poison(dir.path(), &audio);
        let copy = dir.path().join("copy.mp3");
        std::fs::copy(&audio, &copy).unwrap();
        std::fs::rename(&copy, &audio).unwrap();
        let cache = open(dir.path());
        assert_eq!(cache.probe(&audio).unwrap().samples, real);
        // What a run learnt is saved, and answers the next run.
        cache.save();
        assert_eq!(open(dir.path()).probe(&audio).unwrap().samples, real);
    }

    #[test]
    fn a_digest_is_kept_with_the_facts_and_answered_by_the_store_while_the_file_is_unchanged() {
        let (dir, audio) = show();
        let real = Sha384::of_file(&audio).unwrap();
        // Hashed before any probe: the digest waits in memory and is saved once the file is probed.
        let cache = open(dir.path());
        assert_eq!(cache.sha384(&audio).unwrap(), real);
        cache.save();
        assert!(!dir.path().join(".castkit/probe-store").exists());
        cache.probe(&audio).unwrap();
        cache.save();
        assert_eq!(open(dir.path()).sha384(&audio).unwrap(), real);
        // Stored with a wrong digest under the file's current stamp: whoever answers with it answered from
        // the store, without reading the file.
        let wrong = Sha384([9; 48]);
        let cache = open(dir.path());
        let known = Fresh {
            stamp: Stamp::of(&audio).unwrap(),
            facts: Some(probe(&audio).unwrap()),
            sha384: Some(wrong),
            loudness: None,
            saved: false,
        };
        cache
            .fresh
            .lock()
            .unwrap()
            .insert(cache.key_of(&audio).into_owned().into_boxed_slice(), known);
        cache.save();
        assert_eq!(open(dir.path()).sha384(&audio).unwrap(), wrong);
        // The same bytes written again: another stamp, so the digest is computed anew, and saved beside
        // the facts the store already held (the next run needs neither the probe nor the hash).
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&audio, std::fs::read(&audio).unwrap()).unwrap();
        poison(dir.path(), &audio);
        let cache = open(dir.path());
        assert_eq!(cache.sha384(&audio).unwrap(), real);
        cache.save();
        let cache = open(dir.path());
        assert_eq!(cache.probe(&audio).unwrap().samples, 1, "facts kept");
        assert_eq!(cache.sha384(&audio).unwrap(), real);
    }

    #[test]
    fn in_memory_only_nothing_is_written_and_a_file_is_probed_once_per_run() {
        let (dir, audio) = show();
        let cache = ProbeCache::for_catalogue(&dir.path().join("episodes.toml"), CacheMode::Off);
        let first = cache.probe(&audio).unwrap();
        assert_eq!(cache.probe(&audio).unwrap(), first);
        cache.save();
        assert!(cache.store_file().is_none());
        assert!(!dir.path().join(".castkit").exists());
    }

    #[test]
    fn keys_are_paths_below_the_show_with_dot_segments_dropped() {
        let cache = |show: &str| ProbeCache {
            show_dir: PathBuf::from(show),
            store: None,
            fresh: Mutex::default(),
        };
        let key = |show: &str, path: &str| cache(show).key_of(Path::new(path)).into_owned();
        for path in [
            "media/a.mp3",
            "./media/a.mp3",
            "media/./a.mp3",
            "media//a.mp3",
        ] {
            assert_eq!(key("", path), b"media/a.mp3", "{path}");
        }
        assert_eq!(key("/shows/one", "/shows/one/media/a.mp3"), b"media/a.mp3");
        assert_eq!(key("shows/one", "shows/one/./media/a.mp3"), b"media/a.mp3");
        // Outside the show's folder: the absolute path (never a relative name another folder could share).
        assert_eq!(key("/shows/one", "/elsewhere/a.mp3"), b"/elsewhere/a.mp3");
        let outside = key("shows/one", "other/a.mp3");
        assert!(outside.starts_with(b"/") && outside.ends_with(b"/other/a.mp3"));
        // `..` is kept: resolving it needs the file system (a link), and the stamp decides anyway.
        assert_eq!(key("", "media/../a.mp3"), b"media/../a.mp3");
    }

    #[test]
    fn store_folders_below_the_cache_dir_are_per_show_and_stable() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let a = folder_name(one.path());
        assert_eq!(a, folder_name(one.path()));
        assert_ne!(a, folder_name(two.path()));
        let name = one.path().file_name().unwrap().to_string_lossy();
        assert!(a.starts_with(&format!("{name}-")), "{a}");
    }
}
