//! The safe rewrite: new tag + the old file's bytes after the old tag(s), written to a temporary file beside
//! the original, synced, then renamed over it, and only if the original did not change meanwhile.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

use crate::fsutil::{self, Step};

use super::diff::{diff, version_name};
use super::frames::build;
use super::read::read_existing;
use super::v1::{id3v1_bytes, id3v1_summary};
use super::{EpisodeTags, FrameChange, PADDING, TagError, TagOptions, TagOutcome};

/// Reads the existing tag(s), computes the changes, and writes atomically unless this is a dry run or nothing
/// changes.
///
/// # Errors
/// [`TagError`]; the file is then unchanged.
pub fn write_tags(
    path: &Path,
    wanted: &EpisodeTags,
    options: &TagOptions,
) -> Result<TagOutcome, TagError> {
    write_tags_with(path, wanted, options, |_| Ok(()))
}

/// [`write_tags`] with a hook at each step of the atomic write, to inject failures in tests.
///
/// # Errors
/// As [`write_tags`].
pub fn write_tags_with<H>(
    path: &Path,
    wanted: &EpisodeTags,
    options: &TagOptions,
    mut hook: H,
) -> Result<TagOutcome, TagError>
where
    H: FnMut(Step) -> io::Result<()>,
{
    let read_err = |source| TagError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Opening a FIFO blocks until something writes to it, and a device never ends: only regular files (or
    // links to one) are tagged. `metadata` follows links.
    let kind = std::fs::metadata(path).map_err(read_err)?.file_type();
    if !kind.is_file() {
        return Err(TagError::NotAFile {
            path: path.to_path_buf(),
            what: crate::fsutil::file_type_in_words(kind),
        });
    }
    // A symbolic link's target is the file read and rewritten (the link stays); errors name the path given.
    let user_path = path;
    let target = fsutil::final_target(path).map_err(read_err)?;
    let path = target.as_path();
    let mut file = File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    let existing = read_existing(&mut file, meta.len()).map_err(read_err)?;
    if let Some(detail) = &existing.problem
        && !options.force
    {
        return Err(TagError::DamagedTag {
            path: user_path.to_path_buf(),
            detail: detail.clone(),
        });
    }
    let version = options.version.id3();
    let kept = existing
        .tag
        .iter()
        .flat_map(id3::Tag::frames)
        .chain(&existing.carried);
    let (new_tag, notes) = build(kept, wanted, version);
    // Compared with the first tag alone: what players showed. Frames carried over from later tags are news.
    let mut changes = diff(existing.tag.as_ref(), &new_tag, version);
    if existing.version != Some(version) {
        changes.insert(
            0,
            FrameChange {
                frame: "version".to_owned(),
                old: existing.version.map(version_name),
                new: Some(version_name(version)),
            },
        );
    }
    // A frame dropped or converted for the version written: its line in the change list says why (the diff
    // has one when the frame is gone from the new tag; a re-encoded frame, equal in content, has none).
    for note in notes {
        match changes
            .iter_mut()
            .find(|c| c.frame == note.frame && c.new.is_none())
        {
            Some(change) => change.new = Some(note.what),
            None => changes.push(FrameChange {
                frame: note.frame,
                old: Some(note.value),
                new: Some(note.what),
            }),
        }
    }
    if existing.count > 1 {
        changes.insert(
            0,
            FrameChange {
                frame: "tags".to_owned(),
                old: Some(format!("{} ID3v2 tags in a row", existing.count)),
                new: Some(
                    "one tag, with the frames of the later tags that the first lacked".to_owned(),
                ),
            },
        );
    }
    if existing.problem.is_some() {
        changes.insert(
            0,
            FrameChange {
                frame: "tag".to_owned(),
                old: existing.problem.clone(),
                new: Some("rewritten with the frames that could be read".to_owned()),
            },
        );
    }
    let v1 = existing
        .id3v1
        .map(|old| (old, id3v1_bytes(&old, wanted)))
        .filter(|(old, new)| old != new);
    if let Some((old, new)) = &v1 {
        changes.push(FrameChange {
            frame: "ID3v1".to_owned(),
            old: Some(id3v1_summary(old)),
            new: Some(id3v1_summary(new)),
        });
    }
    if changes.is_empty() {
        return Ok(TagOutcome::Unchanged);
    }
    if options.dry_run {
        return Ok(TagOutcome::WouldWrite { changes });
    }

    let mut encoded = Vec::new();
    id3::Encoder::new()
        .version(version)
        .padding(PADDING)
        .encode(&new_tag, &mut encoded)
        .map_err(|e| TagError::Encode {
            path: user_path.to_path_buf(),
            detail: e.to_string(),
        })?;
    // The audio (and any APE tag) is copied byte for byte; a trailing ID3v1 tag is replaced by its update.
    let tail_end = if existing.id3v1.is_some() {
        meta.len() - 128
    } else {
        meta.len()
    };
    let new_v1 = v1.map(|(_, new)| new).or(existing.id3v1);
    let original = Fingerprint::of(&meta);
    let mut changed_meanwhile = false;
    let result = fsutil::write_atomic_file(
        path,
        |out| {
            out.write_all(&encoded)?;
            let mut source = File::open(path)?;
            source.seek(SeekFrom::Start(existing.region_len))?;
            let want = tail_end - existing.region_len;
            let copied = fsutil::copy_with_writeback(&mut source, out, want)?;
            if copied != want {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file got shorter while it was being copied",
                ));
            }
            if let Some(v1) = &new_v1 {
                out.write_all(v1)?;
            }
            Ok(())
        },
        |step| {
            if step == Step::Rename {
                // The last moment to notice that another program wrote the file since castkit read it.
                let now = std::fs::metadata(path).map(|m| Fingerprint::of(&m));
                if now.ok() != Some(original) {
                    changed_meanwhile = true;
                    return Err(io::Error::other("the file changed"));
                }
            }
            hook(step)
        },
    );
    match result {
        Ok(()) => Ok(TagOutcome::Written { changes }),
        Err(_) if changed_meanwhile => Err(TagError::SourceChanged {
            path: user_path.to_path_buf(),
        }),
        Err(e) => Err(TagError::Write(e)),
    }
}

/// Size and modification time: enough to notice another writer between the read and the rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Fingerprint {
    fn of(meta: &std::fs::Metadata) -> Fingerprint {
        Fingerprint {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}
