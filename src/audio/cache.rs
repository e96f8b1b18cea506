//! A cache of probe results, so that re-running `build-feed` or `tag` on unchanged files reads only their
//! tags, not their audio.
//!
//! An entry is used only while the file is provably the same: same device, inode, size, modification time
//! and status-change time (the last changes on every write, even one that restores the modification time).
//! Anything else means a fresh probe. The cache never changes a result, only how long it takes to get it.
//!
//! It lives in the user's cache folder (`$XDG_CACHE_HOME/castkit` or `~/.cache/castkit`), not in the show's
//! folder. `CASTKIT_CACHE_DIR` puts it elsewhere; with `CASTKIT_CACHE_DIR=off` nothing is read or saved, and
//! results are remembered only for the run (so one run never probes an unchanged file twice).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{AudioFacts, ProbeError, probe};

/// The cache file's format; a new castkit version starts a new cache (facts may be measured differently).
const FORMAT: &str = concat!("castkit-probe-cache-3 ", env!("CARGO_PKG_VERSION"));

/// Probe results keyed by canonical path, valid while the file's identity and times are unchanged.
#[derive(Debug, Default)]
pub struct ProbeCache {
    file: Option<PathBuf>,
    entries: Mutex<BTreeMap<String, Entry>>,
    changed: Mutex<bool>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Entry {
    stamp: Stamp,
    facts: AudioFacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<Stamp> {
        None
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    format: String,
    entries: BTreeMap<String, Entry>,
}

/// Where the cache lives, per the environment (see [`crate::fsutil::cache_dir`]).
fn cache_file() -> Option<PathBuf> {
    Some(crate::fsutil::cache_dir()?.join("probe-cache.json"))
}

impl ProbeCache {
    /// Opens the user's cache (an unreadable or outdated cache is simply empty).
    pub fn open() -> ProbeCache {
        let file = cache_file();
        let entries = file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|s| s.format == FORMAT)
            .map(|s| s.entries)
            .unwrap_or_default();
        ProbeCache {
            file,
            entries: Mutex::new(entries),
            changed: Mutex::new(false),
        }
    }

    /// A cache kept in memory only, for this process (`CASTKIT_CACHE_DIR=off`): an unchanged file is still
    /// probed once per run, never saved.
    pub fn disabled() -> ProbeCache {
        ProbeCache::default()
    }

    /// The facts of `path`: from the cache when the file is unchanged since it was probed, else probed now.
    ///
    /// # Errors
    /// As [`probe`]; failures are not cached.
    pub fn probe(&self, path: &Path) -> Result<AudioFacts, ProbeError> {
        let key = std::fs::canonicalize(path)
            .map(|p| p.to_string_lossy().into_owned())
            .ok();
        let before = Stamp::of(path);
        if let (Some(key), Some(stamp)) = (&key, before)
            && let Ok(entries) = self.entries.lock()
            && let Some(entry) = entries.get(key)
            && entry.stamp == stamp
        {
            let mut facts = entry.facts.clone();
            facts.path = path.to_path_buf();
            return Ok(facts);
        }
        let facts = probe(path)?;
        // Store only if the file did not change while it was being probed.
        if let (Some(key), Some(stamp)) = (key, before)
            && Stamp::of(path) == Some(stamp)
            && let (Ok(mut entries), Ok(mut changed)) = (self.entries.lock(), self.changed.lock())
        {
            entries.insert(
                key,
                Entry {
                    stamp,
                    facts: facts.clone(),
                },
            );
            *changed = true;
        }
        Ok(facts)
    }

    /// Probes many files in parallel through the cache; results in the order of `paths`.
    pub fn probe_all<P>(&self, paths: &[P]) -> Vec<Result<AudioFacts, ProbeError>>
    where
        P: AsRef<Path> + Sync,
    {
        use rayon::prelude::*;
        paths.par_iter().map(|p| self.probe(p.as_ref())).collect()
    }

    /// Writes the cache back if it learnt something. Entries of files that no longer exist are dropped.
    /// Failing to save is not an error: the next run probes again.
    pub fn save(&self) {
        let Some(file) = &self.file else {
            return;
        };
        if !self.changed.lock().is_ok_and(|c| *c) {
            return;
        }
        let Ok(entries) = self.entries.lock() else {
            return;
        };
        let kept: BTreeMap<String, Entry> = entries
            .iter()
            .filter(|(path, _)| Path::new(path).exists())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let stored = Stored {
            format: FORMAT.to_owned(),
            entries: kept,
        };
        let Ok(bytes) = serde_json::to_vec(&stored) else {
            return;
        };
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomic(file, |w| std::io::Write::write_all(w, &bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_probed_again_and_an_unchanged_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let audio = dir.path().join("a.mp3");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/audio/vbr-xing.mp3"
            ),
            &audio,
        )
        .unwrap();
        let cache = ProbeCache {
            file: Some(dir.path().join("cache.json")),
            ..ProbeCache::default()
        };
        let first = cache.probe(&audio).unwrap();
        // A cached entry is served even if probing would now fail: put a poisoned copy in the cache to see
        // which one answers.
        {
            let mut entries = cache.entries.lock().unwrap();
            let entry = entries.values_mut().next().unwrap();
            entry.facts.samples = 1;
        }
        assert_eq!(
            cache.probe(&audio).unwrap().samples,
            1,
            "unchanged file: served from the cache"
        );
        // Rewriting the file (same bytes) changes its status-change time: probed again, real answer.
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&audio, std::fs::read(&audio).unwrap()).unwrap();
        assert_eq!(cache.probe(&audio).unwrap().samples, first.samples);
        // Saved and reopened, entries survive.
        cache.save();
        let stored: Stored =
            serde_json::from_slice(&std::fs::read(dir.path().join("cache.json")).unwrap()).unwrap();
        assert_eq!(stored.entries.len(), 1);
        assert_eq!(stored.format, FORMAT);
    }
}
