//! The answers kept between runs: `online.json` in the cache folder, one entry per URL whose answer had an
//! `ETag` or `Last-Modified` (an answer without a validator could never be asked about conditionally).
//! A file that does not parse, or of another format, is ignored: every URL is then asked about afresh.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Observed;

/// The file's format; anything else is ignored.
const FORMAT: &str = "castkit-online-1";

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct File {
    format: String,
    answers: HashMap<String, Observed>,
}

/// The answers of the last run.
#[derive(Debug, Default)]
pub(super) struct Kept {
    answers: HashMap<String, Observed>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join("online.json")
}

impl Kept {
    /// The answers kept in `dir`; none when there is no sound file.
    pub(super) fn load(dir: &Path) -> Kept {
        let answers = std::fs::read(path(dir))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|file| file.format == FORMAT)
            .map(|file| file.answers)
            .unwrap_or_default();
        Kept { answers }
    }

    /// The kept answer for `url`.
    pub(super) fn get(&self, url: &str) -> Option<&Observed> {
        self.answers.get(url)
    }
}

/// Keeps this run's answers with a validator, beside the kept answers of URLs this run did not ask about
/// (another feed's), replacing the file atomically. Failing to save costs only a full check next time.
pub(super) fn save(dir: &Path, kept: &Kept, observed: &HashMap<&str, Observed>) {
    let mut answers = kept.answers.clone();
    for (url, answer) in observed {
        let keep = matches!(answer, Observed::Served { etag, last_modified, .. }
            if etag.is_some() || last_modified.is_some());
        if keep {
            answers.insert((*url).to_owned(), answer.clone());
        } else {
            answers.remove(*url);
        }
    }
    let file = File {
        format: FORMAT.to_owned(),
        answers,
    };
    let Ok(json) = serde_json::to_vec(&file) else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let _ = crate::fsutil::write_atomic(&path(dir), |out| out.write_all(&json));
}
