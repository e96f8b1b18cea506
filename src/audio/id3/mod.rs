//! ID3 tags: where they sit in a file (`locate`), what the tags already there say (`read`), and writing
//! new ones into MP3s without ever damaging them ([`write_tags`]).
//!
//! The id3 crate encodes tags well, but its own file writer shifts the file in place with no temporary file
//! or fsync (a `kill -9` mid-write corrupted the audio), and its reader can return `Ok` with frames silently
//! missing after a garbage frame id or a cut-off tag, so a read-modify-write would delete them
//! (`../shared/research/crates.md`). castkit therefore:
//!
//! - reads the existing tag's bytes itself and walks its frame headers, and refuses (unless `force`) to
//!   rewrite a tag whose structure is broken or of which the id3 crate read fewer frames than are there;
//! - builds the new tag in memory and writes `new tag + the old file's bytes after the old tag` to a
//!   temporary file beside the original, synced, then renamed over it ([`crate::fsutil`]): a crash at any
//!   moment leaves the old file or the new one, complete. The audio bytes are copied, never changed;
//! - checks, just before the rename, that the original did not change since it was read;
//! - touches nothing when the tag already says what the catalogue says (the file's mtime stays).
//!
//! Frames castkit does not manage (TXXX, PRIV, replay gain, unknown frames…) are carried over, converted to
//! the version written where the two versions differ (`convert`: TDOR ↔ TORY, TIPL ↔ IPLS, text re-encoded
//! for ID3v2.3…); what has no equivalent (RVA2 in ID3v2.3, TSIZ in ID3v2.4…) is dropped, and the change list
//! says so and why. Chapters: when the catalogue gives chapters, every existing CHAP and CTOC frame is replaced; when it
//! gives none, existing ones are kept. An ID3v1 tag at the end is kept and updated to match (within its
//! 30-character Latin-1 fields); an APEv2 tag is kept as it is.
//!
//! Padding: the new tag is followed by [`PADDING`] zero bytes, so that a later edit by castkit or another
//! tool that fits in the tag can be made without moving the audio.
//!
//! Links: a symbolic link is followed, and the file it points to is rewritten (the new file is written beside
//! it), so the link stays a link ([`crate::fsutil`]). Anything but a regular file (a FIFO, a device, a
//! folder) is refused before it is opened.
//!
//! Permissions: the new file keeps the old one's mode. Modification time: a rewritten file gets the time of
//! the write; an unchanged file is not opened for writing.
//!
//! Several ID3v2 tags in a row (some tools prepend a new tag instead of replacing the old one) are read as
//! one: the first tag is the one players show, so its frames win, and the frames of the later tags that the
//! first lacks are carried over. The rewrite leaves exactly one tag before the audio.
//!
//! The reader (for `castkit probe`) and the writer find the tags with the same code, `locate`, so they
//! always agree on where the audio starts and ends.
//!
//! Files, by job: `locate` (where the tags and the audio are), `read` (the tags already there), `frames`
//! (the frames castkit writes, from [`EpisodeTags`]), `convert` (carried-over frames in the version
//! written), `diff` (what changes, for the report and the dry
//! run), `v1` (the ID3v1 tag at the end), `write` (the safe rewrite), `language` (ISO 639-2 codes).

mod convert;
mod diff;
mod frames;
mod language;
pub(crate) mod locate;
pub(crate) mod read;
mod v1;
mod write;

use std::io;
use std::path::PathBuf;

use crate::fsutil;

pub use language::iso639_2;
pub use write::{write_tags, write_tags_with};

/// Zero bytes left after a new tag (4 KiB): room for later edits (a longer title, a new comment) to be
/// written in place by any tagger, without moving the whole file.
pub const PADDING: usize = 4096;

/// An embedded picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The image's MIME type, such as `image/jpeg`, `image/png` or `image/gif`: [`Picture::new`] reads it
    /// from the bytes.
    pub mime: String,
    /// The image file's bytes.
    pub data: Vec<u8>,
    /// A short description.
    pub description: String,
}

impl Picture {
    /// A picture whose MIME type comes from its content (the image's magic bytes), never from a file name:
    /// `application/octet-stream` when the bytes are not an image format castkit recognises.
    pub fn new(data: Vec<u8>, description: impl Into<String>) -> Picture {
        Picture {
            mime: frames::image_mime(&data).to_owned(),
            data,
            description: description.into(),
        }
    }
}

/// A chapter as an ID3 CHAP frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterTag {
    /// Start, in milliseconds.
    pub start_ms: u32,
    /// End, in milliseconds.
    pub end_ms: u32,
    /// Title (TIT2 inside the CHAP frame).
    pub title: String,
    /// A web page (WXXX inside the CHAP frame).
    pub url: Option<String>,
    /// A picture (APIC inside the CHAP frame).
    pub image: Option<Picture>,
    /// Left out of the table of contents (CTOC).
    pub hidden: bool,
}

/// What castkit wants the tag to say, built from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EpisodeTags {
    /// TIT2: the episode's title.
    pub title: String,
    /// TPE1: the host, or the show's author.
    pub artist: Option<String>,
    /// TALB: the show's title.
    pub album: Option<String>,
    /// TPE2: the show's author.
    pub album_artist: Option<String>,
    /// TRCK: the episode number.
    pub track: Option<u32>,
    /// TPOS: the season.
    pub season: Option<u32>,
    /// TDRC (ID3v2.4) or TYER + TDAT (ID3v2.3): the release date.
    pub date: Option<chrono::NaiveDate>,
    /// TCON: the genre, `Podcast`.
    pub genre: String,
    /// COMM and TDES: the episode's description, as plain text.
    pub description: Option<String>,
    /// APIC (front cover): the episode's image, else the show's.
    pub cover: Option<Picture>,
    /// WOAF: the episode's web page.
    pub link: Option<String>,
    /// WFED: the feed's URL.
    pub feed_url: Option<String>,
    /// PCST: the iTunes podcast flag.
    pub podcast: bool,
    /// TGID: the episode's guid.
    pub guid: Option<String>,
    /// TCOP: the copyright line.
    pub copyright: Option<String>,
    /// TLAN (and the COMM language): a language code such as `en` or `zh-cn`, written as ISO 639-2.
    pub language: Option<String>,
    /// TLEN: the exact length in milliseconds.
    pub length_ms: Option<u64>,
    /// TKWD: keywords, comma-joined.
    pub keywords: Vec<String>,
    /// CHAP frames and a CTOC table of contents.
    pub chapters: Vec<ChapterTag>,
}

/// The ID3v2 version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Id3Version {
    /// ID3v2.3: read by every player.
    #[default]
    V23,
    /// ID3v2.4.
    V24,
}

impl Id3Version {
    fn id3(self) -> ::id3::Version {
        match self {
            Id3Version::V23 => ::id3::Version::Id3v23,
            Id3Version::V24 => ::id3::Version::Id3v24,
        }
    }
}

/// How to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagOptions {
    /// The version to write.
    pub version: Id3Version,
    /// Report the changes and write nothing.
    pub dry_run: bool,
    /// Rewrite a tag that is damaged or could not be read completely, keeping what could be read.
    pub force: bool,
}

/// One frame that changes, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameChange {
    /// The frame, e.g. `TIT2` or `CHAP chp1`.
    pub frame: String,
    /// What it says now (`None`: absent).
    pub old: Option<String>,
    /// What it will say (`None`: removed). For a frame carried over that the version written does not have
    /// as it was: what became of it and why (`dropped: ID3v2.3 has no mood frame`).
    pub new: Option<String>,
}

/// What [`write_tags`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagOutcome {
    /// The tag already says what the catalogue says; the file was not touched.
    Unchanged,
    /// The file was rewritten with these changes.
    Written {
        /// The changed frames.
        changes: Vec<FrameChange>,
    },
    /// Dry run: the file would be rewritten with these changes.
    WouldWrite {
        /// The changed frames.
        changes: Vec<FrameChange>,
    },
}

/// Why a file was not tagged. Every variant leaves the file as it was.
#[derive(Debug, thiserror::Error)]
pub enum TagError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The path is not a regular file (a FIFO, a device, a folder): refused before it is opened, since
    /// opening a FIFO waits for a writer.
    #[error("`{}` is {what}, not a regular file; give the path of the audio file itself", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is, in words.
        what: &'static str,
    },
    /// The existing tag is damaged, or the id3 crate read fewer frames than it has.
    #[error("`{}` has a damaged ID3v2 tag ({detail}); it was left untouched (run again with `--force` to rewrite it, keeping the frames that could be read)", path.display())]
    DamagedTag {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The new tag could not be encoded.
    #[error("cannot encode the new tag for `{}`: {detail}", path.display())]
    Encode {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The file changed while castkit was writing its new version, which was therefore discarded.
    #[error("`{}` changed while castkit was tagging it; the new version was discarded and the file left as the other program wrote it; tag it again", path.display())]
    SourceChanged {
        /// The file.
        path: PathBuf,
    },
    /// Writing the new file failed; the original is intact.
    #[error("the new version could not be written; the original file is intact")]
    Write(#[from] fsutil::WriteError),
}

#[cfg(test)]
mod tests;
