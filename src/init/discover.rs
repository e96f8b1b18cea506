//! Finding what a media folder holds: the audio files (by extension, then probed for what they really are),
//! grouped into episodes by their name without the extension (`5.4 Title.mp3` and `5.4 Title.opus` are one
//! episode in two renditions), the companion files beside them, and the cover art.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Extensions of the files castkit probes as episode audio or video: the containers `castkit probe` reads.
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "mp2", "m4a", "m4b", "mp4", "m4v", "mov", "ogg", "oga", "opus", "flac", "wav",
];

/// Extensions of cover art Apple accepts.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png"];

/// Every file below `dir` (following no links to folders, skipping hidden names), in natural order of
/// their paths relative to `dir`.
///
/// # Errors
/// A folder that cannot be listed, with its path.
pub(super) fn files_below(dir: &Path) -> Result<Vec<PathBuf>, super::InitError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| super::InitError::ReadDir {
            path: folder.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| super::InitError::ReadDir {
                path: folder.clone(),
                source,
            })?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(path),
                // A link to a file is fine (media kept on another disk); `metadata` follows it.
                Ok(_) if path.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
    Ok(out)
}

/// The file's extension, lowercased.
pub(super) fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Whether the file's extension is one castkit probes as audio.
pub(super) fn is_audio_name(path: &Path) -> bool {
    extension(path).is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.as_str()))
}

/// Whether the file's extension is one of cover art.
pub(super) fn is_image_name(path: &Path) -> bool {
    extension(path).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

/// The name without its last extension, for grouping renditions and finding companions.
pub(super) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Companion files of an episode: chapters and transcripts with the audio's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Companions {
    /// `NAME.chapters.json` (preferred) or `NAME.chapters.txt`.
    pub(super) chapters: Option<PathBuf>,
    /// `NAME.vtt`.
    pub(super) vtt: Option<PathBuf>,
    /// `NAME.srt`.
    pub(super) srt: Option<PathBuf>,
}

/// The companions of the audio `audio` among `files`: same folder, same name, a known suffix (any case).
pub(super) fn companions(audio: &Path, files: &[PathBuf]) -> Companions {
    let folder = audio.parent();
    let name = stem(audio).to_lowercase();
    let find = |suffix: &str| {
        files
            .iter()
            .find(|f| {
                f.parent() == folder
                    && f.file_name().is_some_and(|n| {
                        n.to_string_lossy().to_lowercase() == name.clone() + suffix
                    })
            })
            .cloned()
    };
    Companions {
        chapters: find(".chapters.json").or_else(|| find(".chapters.txt")),
        vtt: find(".vtt"),
        srt: find(".srt"),
    }
}

/// Compares names as people read them: runs of digits by their value (`2 Title` before `10 Title`), the
/// rest by character, ignoring case; equal names fall back to byte order so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().peekable();
    let mut y = b.chars().peekable();
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut run = String::new();
                    while let Some(ch) = it.peek().copied().filter(char::is_ascii_digit) {
                        run.push(ch);
                        it.next();
                    }
                    run
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (m_trim, n_trim) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m_trim
                    .len()
                    .cmp(&n_trim.len())
                    .then_with(|| m_trim.cmp(n_trim));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                let order = c.to_lowercase().cmp(d.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_by_value() {
        let mut names = vec![
            "10 Ten.mp3",
            "2 Two.mp3",
            "1 One.mp3",
            "episode 9.mp3",
            "Episode 10.mp3",
            "02 b.mp3",
            "1.10 x.mp3",
            "1.9 x.mp3",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "1 One.mp3",
                "1.9 x.mp3",
                "1.10 x.mp3",
                "02 b.mp3",
                "2 Two.mp3",
                "10 Ten.mp3",
                "episode 9.mp3",
                "Episode 10.mp3",
            ]
        );
    }
}
