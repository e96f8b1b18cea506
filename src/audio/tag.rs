//! Writing ID3v2 tags into MP3s without ever damaging them.
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
//! Frames castkit does not manage (TXXX, PRIV, RVA2, replay gain, unknown frames…) are carried over as they
//! are. Chapters: when the catalogue gives chapters, every existing CHAP and CTOC frame is replaced; when it
//! gives none, existing ones are kept. An ID3v1 tag at the end is kept and updated to match (within its
//! 30-character Latin-1 fields); an APEv2 tag is kept as it is.
//!
//! Padding: the new tag is followed by [`PADDING`] zero bytes, so that a later edit by castkit or another
//! tool that fits in the tag can be made without moving the audio.
//!
//! Permissions: the new file keeps the old one's mode. Modification time: a rewritten file gets the time of
//! the write; an unchanged file is not opened for writing.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use id3::frame::{
    Chapter as Id3Chapter, Comment, ExtendedLink, Picture as Id3Picture, PictureType,
    TableOfContents, Unknown,
};
use id3::{Content, Frame, TagLike, Version};

use crate::fsutil::{self, Step};

/// Zero bytes left after a new tag (4 KiB): room for later edits (a longer title, a new comment) to be
/// written in place by any tagger, without moving the whole file.
pub const PADDING: usize = 4096;

/// An embedded picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// `image/jpeg` or `image/png`.
    pub mime: String,
    /// The image file's bytes.
    pub data: Vec<u8>,
    /// A short description.
    pub description: String,
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
    fn id3(self) -> Version {
        match self {
            Id3Version::V23 => Version::Id3v23,
            Id3Version::V24 => Version::Id3v24,
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
    /// What it will say (`None`: removed).
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
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
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
    #[error("{0}; the original file is intact")]
    Write(#[from] fsutil::WriteError),
}

/// Reads the existing tag, computes the changes, and writes atomically unless this is a dry run or nothing
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
    let mut file = File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    let existing = read_existing(&mut file, meta.len()).map_err(read_err)?;
    if let Some(detail) = &existing.problem
        && !options.force
    {
        return Err(TagError::DamagedTag {
            path: path.to_path_buf(),
            detail: detail.clone(),
        });
    }
    let version = options.version.id3();
    let (new_tag, dropped) = build(existing.tag.as_ref(), wanted, version);
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
    for id in dropped {
        changes.push(FrameChange {
            frame: id,
            old: Some("(no equivalent in this ID3 version)".to_owned()),
            new: None,
        });
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
            path: path.to_path_buf(),
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
            path: path.to_path_buf(),
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

fn version_name(v: Version) -> String {
    match v {
        Version::Id3v22 => "ID3v2.2",
        Version::Id3v23 => "ID3v2.3",
        Version::Id3v24 => "ID3v2.4",
    }
    .to_owned()
}

/// The tag at the start of a file, as far as it could be read.
struct Existing {
    /// The parsed tag (the readable part, when damaged).
    tag: Option<id3::Tag>,
    /// Its version.
    version: Option<Version>,
    /// Bytes before the audio: the whole tag, padding and footer included.
    region_len: u64,
    /// Why the tag cannot be trusted, if it cannot.
    problem: Option<String>,
    /// The ID3v1 tag at the end of the file, if any.
    id3v1: Option<[u8; 128]>,
}

fn syncsafe(b: &[u8]) -> Option<u64> {
    if b.iter().any(|&x| x & 0x80 != 0) {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, &x| (acc << 7) | u64::from(x)))
}

fn read_existing(file: &mut File, len: u64) -> io::Result<Existing> {
    let mut existing = Existing {
        tag: None,
        version: None,
        region_len: 0,
        problem: None,
        id3v1: None,
    };
    if len >= 128 {
        let mut v1 = [0u8; 128];
        file.seek(SeekFrom::Start(len - 128))?;
        file.read_exact(&mut v1)?;
        if &v1[..3] == b"TAG" {
            existing.id3v1 = Some(v1);
        }
    }
    let mut head = [0u8; 10];
    file.seek(SeekFrom::Start(0))?;
    if len < 10 || file.read_exact(&mut head).is_err() || &head[..3] != b"ID3" {
        return Ok(existing);
    }
    let major = head[3];
    existing.version = match major {
        2 => Some(Version::Id3v22),
        3 => Some(Version::Id3v23),
        4 => Some(Version::Id3v24),
        _ => None,
    };
    let Some(size) = syncsafe(&head[6..10]).filter(|_| existing.version.is_some()) else {
        existing.problem = Some(format!(
            "its header is not valid (version 2.{major}, or a size that is not syncsafe)"
        ));
        existing.region_len = first_audio_frame(file, 10, len)?;
        return Ok(existing);
    };
    let footer = if head[5] & 0x10 != 0 { 10 } else { 0 };
    let total = 10 + size + footer;
    if total > len {
        existing.problem = Some(format!(
            "its size field says {total} bytes, but the file has only {len}"
        ));
        existing.region_len = first_audio_frame(file, 10, len)?;
        return Ok(existing);
    }
    existing.region_len = total;
    let mut bytes = vec![0u8; total as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut bytes)?;
    let raw = raw_frames(&bytes);
    match id3::Tag::read_from2(io::Cursor::new(&bytes)) {
        Ok(tag) => {
            let parsed = tag.frames().count();
            match raw {
                Err(detail) => existing.problem = Some(detail),
                Ok(n) if n != parsed => {
                    existing.problem = Some(format!(
                        "it holds {n} frames, but only {parsed} could be read (duplicates or frames the reader does not understand)"
                    ));
                }
                Ok(_) => {}
            }
            existing.tag = Some(tag);
        }
        Err(e) => {
            existing.problem = Some(match raw {
                Err(detail) => detail,
                Ok(_) => e.description.clone(),
            });
            existing.tag = e.partial_tag;
        }
    }
    Ok(existing)
}

/// Where the audio starts when a tag's size cannot be trusted: the first MPEG frame that the next one
/// confirms.
fn first_audio_frame(file: &mut File, from: u64, len: u64) -> io::Result<u64> {
    file.seek(SeekFrom::Start(from))?;
    Ok(match super::mpeg::walk(&mut *file, from, len) {
        Ok(walk) => walk.start,
        Err(_) => from,
    })
}

/// Walks the frame headers of a whole tag (header included) and counts the frames, checking that every
/// frame id is well formed, every frame fits, and the padding after the last frame is all zero bytes.
fn raw_frames(tag: &[u8]) -> Result<usize, String> {
    let major = tag[3];
    let flags = tag[5];
    let size = syncsafe(&tag[6..10]).unwrap_or(0) as usize;
    let mut body: Vec<u8> = tag[10..(10 + size).min(tag.len())].to_vec();
    if flags & 0x80 != 0 && major < 4 {
        // Whole-tag unsynchronisation (ID3v2.2/2.3): 0xFF 0x00 stands for 0xFF.
        let mut out = Vec::with_capacity(body.len());
        let mut i = 0;
        while i < body.len() {
            out.push(body[i]);
            if body[i] == 0xFF && body.get(i + 1) == Some(&0) {
                i += 1;
            }
            i += 1;
        }
        body = out;
    }
    let mut pos = 0usize;
    if flags & 0x40 != 0 && major >= 3 {
        let b = body.get(..4).ok_or("its extended header is cut off")?;
        pos = if major == 3 {
            4 + u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
        } else {
            syncsafe(b).ok_or("its extended header size is not syncsafe")? as usize
        };
    }
    let (id_len, header_len) = if major == 2 { (3, 6) } else { (4, 10) };
    let mut count = 0;
    while pos + header_len <= body.len() {
        let id = &body[pos..pos + id_len];
        if id.iter().all(|&b| b == 0) {
            break;
        }
        if !id
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!(
                "a frame at byte {} has the id `{}`, which is not a frame id: the tag is damaged from there on",
                10 + pos,
                String::from_utf8_lossy(id).escape_debug()
            ));
        }
        let s = &body[pos + id_len..pos + id_len + if major == 2 { 3 } else { 4 }];
        let frame_size = match major {
            2 => (usize::from(s[0]) << 16) | (usize::from(s[1]) << 8) | usize::from(s[2]),
            3 => u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize,
            _ => syncsafe(s).ok_or_else(|| {
                format!(
                    "the size of frame `{}` is not syncsafe",
                    String::from_utf8_lossy(id)
                )
            })? as usize,
        };
        if pos + header_len + frame_size > body.len() {
            return Err(format!(
                "frame `{}` at byte {} runs past the end of the tag (the tag was cut short)",
                String::from_utf8_lossy(id),
                10 + pos
            ));
        }
        count += 1;
        pos += header_len + frame_size;
    }
    if body[pos.min(body.len())..].iter().any(|&b| b != 0) {
        return Err(format!(
            "the padding after the last frame, at byte {}, is not empty: frames there cannot be read",
            10 + pos
        ));
    }
    Ok(count)
}

/// Frame ids castkit manages: replaced from the catalogue (or removed when the catalogue has no value).
const MANAGED: &[&str] = &[
    "TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TDRC", "TYER", "TDAT", "TIME", "TCON", "TDES",
    "WOAF", "WFED", "PCST", "TGID", "TCOP", "TLAN", "TLEN", "TKWD",
];

/// Whether castkit manages this frame: the ids above, the COMM without a description, the front cover,
/// and (when the catalogue has chapters) CHAP and CTOC.
fn managed(frame: &Frame, chapters: bool) -> bool {
    let id = frame.id();
    if MANAGED.contains(&id) {
        return true;
    }
    match frame.content() {
        Content::Comment(c) => c.description.is_empty(),
        Content::Picture(p) => p.picture_type == PictureType::CoverFront,
        Content::Chapter(_) | Content::TableOfContents(_) => chapters,
        _ => false,
    }
}

/// The new tag: the existing unmanaged frames (converted to `version` where their id differs), then the
/// managed ones from the catalogue. Returns the ids of frames dropped because `version` has no equivalent.
fn build(
    existing: Option<&id3::Tag>,
    wanted: &EpisodeTags,
    version: Version,
) -> (id3::Tag, Vec<String>) {
    let mut tag = id3::Tag::with_version(version);
    let mut dropped = Vec::new();
    let chapters = !wanted.chapters.is_empty();
    for frame in existing.into_iter().flat_map(id3::Tag::frames) {
        if managed(frame, chapters) {
            continue;
        }
        match convert(frame, version) {
            Some(f) => tag.frames_vec_mut().push(f),
            None => dropped.push(frame.id().to_owned()),
        }
    }
    for frame in wanted_frames(wanted, version) {
        tag.frames_vec_mut().push(frame);
    }
    (tag, dropped)
}

/// A kept frame in the target version: the few ids that differ between ID3v2.3 and 2.4 are renamed.
fn convert(frame: &Frame, version: Version) -> Option<Frame> {
    let id = frame.id_for_version(version)?;
    let renamed = match (version, id) {
        (Version::Id3v23, "TDOR") => "TORY",
        (Version::Id3v24, "TORY") => "TDOR",
        (Version::Id3v23, "TIPL") => "IPLS",
        (Version::Id3v24, "IPLS") => "TIPL",
        (_, other) => other,
    };
    if renamed == frame.id() {
        return Some(frame.clone());
    }
    let mut f = Frame::with_content(renamed, frame.content().clone());
    f.set_tag_alter_preservation(frame.tag_alter_preservation());
    f.set_file_alter_preservation(frame.file_alter_preservation());
    Some(f)
}

fn wanted_frames(w: &EpisodeTags, version: Version) -> Vec<Frame> {
    let mut frames = Vec::new();
    let text = |frames: &mut Vec<Frame>, id: &str, value: &str| {
        if !value.is_empty() {
            frames.push(Frame::text(id, value));
        }
    };
    text(&mut frames, "TIT2", &w.title);
    if let Some(v) = &w.artist {
        text(&mut frames, "TPE1", v);
    }
    if let Some(v) = &w.album {
        text(&mut frames, "TALB", v);
    }
    if let Some(v) = &w.album_artist {
        text(&mut frames, "TPE2", v);
    }
    if let Some(n) = w.track {
        text(&mut frames, "TRCK", &n.to_string());
    }
    if let Some(n) = w.season {
        text(&mut frames, "TPOS", &n.to_string());
    }
    if let Some(date) = w.date {
        match version {
            Version::Id3v24 => text(&mut frames, "TDRC", &date.format("%Y-%m-%d").to_string()),
            _ => {
                text(&mut frames, "TYER", &date.format("%Y").to_string());
                text(&mut frames, "TDAT", &date.format("%d%m").to_string());
            }
        }
    }
    text(&mut frames, "TCON", &w.genre);
    let lang = w.language.as_deref().map(iso639_2);
    if let Some(d) = w.description.as_deref().filter(|d| !d.is_empty()) {
        frames.push(Frame::with_content(
            "COMM",
            Content::Comment(Comment {
                lang: lang.unwrap_or("und").to_owned(),
                description: String::new(),
                text: d.to_owned(),
            }),
        ));
        text(&mut frames, "TDES", d);
    }
    if let Some(p) = &w.cover {
        frames.push(picture_frame(p));
    }
    if let Some(link) = &w.link {
        frames.push(Frame::link("WOAF", link.as_str()));
    }
    if let Some(feed) = &w.feed_url {
        // A URL frame, as the id3 crate, mutagen and lofty read WFED (eyeD3 alone reads it as text).
        frames.push(Frame::link("WFED", feed.as_str()));
    }
    if w.podcast {
        frames.push(Frame::with_content(
            "PCST",
            Content::Unknown(Unknown {
                data: vec![0, 0, 0, 0],
                version,
            }),
        ));
    }
    if let Some(g) = &w.guid {
        text(&mut frames, "TGID", g);
    }
    if let Some(c) = &w.copyright {
        text(&mut frames, "TCOP", c);
    }
    if let Some(l) = lang {
        text(&mut frames, "TLAN", l);
    }
    if let Some(ms) = w.length_ms {
        text(&mut frames, "TLEN", &ms.to_string());
    }
    if !w.keywords.is_empty() {
        text(&mut frames, "TKWD", &w.keywords.join(","));
    }
    if !w.chapters.is_empty() {
        let mut listed = Vec::new();
        for (i, c) in w.chapters.iter().enumerate() {
            let id = format!("chp{i}");
            let mut sub = vec![Frame::text("TIT2", c.title.as_str())];
            if let Some(url) = &c.url {
                sub.push(Frame::with_content(
                    "WXXX",
                    Content::ExtendedLink(ExtendedLink {
                        description: String::new(),
                        link: url.clone(),
                    }),
                ));
            }
            if let Some(p) = &c.image {
                sub.push(picture_frame(p));
            }
            frames.push(Frame::with_content(
                "CHAP",
                Content::Chapter(Id3Chapter {
                    element_id: id.clone(),
                    start_time: c.start_ms,
                    end_time: c.end_ms,
                    start_offset: u32::MAX,
                    end_offset: u32::MAX,
                    frames: sub,
                }),
            ));
            if !c.hidden {
                listed.push(id);
            }
        }
        // Chapter UIs (Apple Podcasts, Overcast) need a top-level, ordered CTOC, with a title.
        frames.push(Frame::with_content(
            "CTOC",
            Content::TableOfContents(TableOfContents {
                element_id: "toc".to_owned(),
                top_level: true,
                ordered: true,
                elements: listed,
                frames: vec![Frame::text("TIT2", w.title.as_str())],
            }),
        ));
    }
    frames
}

fn picture_frame(p: &Picture) -> Frame {
    Frame::with_content(
        "APIC",
        Content::Picture(Id3Picture {
            mime_type: p.mime.clone(),
            picture_type: PictureType::CoverFront,
            description: p.description.clone(),
            data: p.data.clone(),
        }),
    )
}

/// The managed frames that differ between the old tag and the new one, old → new.
fn diff(old: Option<&id3::Tag>, new: &id3::Tag, version: Version) -> Vec<FrameChange> {
    let key = |f: &Frame| -> String {
        match f.content() {
            Content::Chapter(c) => format!("CHAP {}", c.element_id),
            Content::TableOfContents(t) => format!("CTOC {}", t.element_id),
            _ => f.id().to_owned(),
        }
    };
    let summarize = |f: &Frame| summary(f);
    let old_frames: Vec<&Frame> = old.into_iter().flat_map(id3::Tag::frames).collect();
    let new_frames: Vec<&Frame> = new.frames().collect();
    let mut keys: Vec<String> = Vec::new();
    for f in old_frames.iter().chain(&new_frames) {
        let k = key(f);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut changes = Vec::new();
    for k in keys {
        let before: Vec<&&Frame> = old_frames.iter().filter(|f| key(f) == k).collect();
        let after: Vec<&&Frame> = new_frames.iter().filter(|f| key(f) == k).collect();
        let same = before.len() == after.len()
            && before.iter().zip(&after).all(|(a, b)| {
                a.content() == b.content() && a.id_for_version(version) == b.id_for_version(version)
            });
        if !same {
            let join = |frames: &[&&Frame]| {
                (!frames.is_empty()).then(|| {
                    frames
                        .iter()
                        .map(|f| summarize(f))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
            };
            changes.push(FrameChange {
                frame: k,
                old: join(&before),
                new: join(&after),
            });
        }
    }
    changes
}

/// A frame as a short human-readable string (pictures by type, size and a hash of their bytes).
fn summary(f: &Frame) -> String {
    match f.content() {
        Content::Text(t) | Content::Link(t) => shorten(t),
        Content::Comment(c) => format!("[{}] {}", c.lang, shorten(&c.text)),
        Content::ExtendedText(t) => format!("{}: {}", t.description, t.value),
        Content::ExtendedLink(l) => format!("{}: {}", l.description, l.link),
        Content::Picture(p) => format!(
            "{} {:?} {} bytes, hash {:016x}",
            p.mime_type,
            p.picture_type,
            p.data.len(),
            fnv1a(&p.data)
        ),
        Content::Chapter(c) => {
            let title = c
                .frames
                .iter()
                .find_map(|f| (f.id() == "TIT2").then(|| f.content().text()).flatten())
                .unwrap_or("");
            format!("{}–{} ms {title}", c.start_time, c.end_time)
        }
        Content::TableOfContents(t) => format!("[{}]", t.elements.join(", ")),
        Content::Unknown(u) => format!("{} bytes", u.data.len()),
        other => shorten(&other.to_string()),
    }
}

fn shorten(s: &str) -> String {
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

/// FNV-1a, 64 bits: a cheap fingerprint to show whether two pictures differ.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The ID3v1 tag updated from the catalogue: 30-character Latin-1 fields (other characters become `?`),
/// the genre "Podcast" (Winamp's extension number 186), the track number when it fits.
fn id3v1_bytes(old: &[u8; 128], w: &EpisodeTags) -> [u8; 128] {
    let mut out = *old;
    let put = |out: &mut [u8; 128], at: usize, len: usize, value: &str| {
        let field = &mut out[at..at + len];
        field.fill(0);
        for (slot, c) in field.iter_mut().zip(value.chars()) {
            *slot = if (c as u32) < 0x100 { c as u8 } else { b'?' };
        }
    };
    put(&mut out, 3, 30, &w.title);
    put(&mut out, 33, 30, w.artist.as_deref().unwrap_or(""));
    put(&mut out, 63, 30, w.album.as_deref().unwrap_or(""));
    if let Some(date) = w.date {
        put(&mut out, 93, 4, &date.format("%Y").to_string());
    }
    put(&mut out, 97, 28, w.description.as_deref().unwrap_or(""));
    out[125] = 0;
    out[126] = w.track.and_then(|t| u8::try_from(t).ok()).unwrap_or(0);
    out[127] = 186;
    out
}

fn id3v1_summary(v1: &[u8; 128]) -> String {
    let field = |at: usize, len: usize| {
        v1[at..at + len]
            .iter()
            .take_while(|&&b| b != 0)
            .map(|&b| b as char)
            .collect::<String>()
            .trim_end()
            .to_owned()
    };
    format!("{} / {} / {}", field(3, 30), field(33, 30), field(63, 30))
}

/// ISO 639-2 (terminology) code for a BCP 47 / ISO 639-1 language tag: `en-us` → `eng`. Unknown → `und`.
pub fn iso639_2(language: &str) -> &'static str {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if primary.len() == 3 {
        return ISO639
            .iter()
            .find(|(_, three)| *three == primary)
            .map_or("und", |(_, t)| t);
    }
    ISO639
        .iter()
        .find(|(two, _)| *two == primary)
        .map_or("und", |(_, three)| three)
}

/// ISO 639-1 → ISO 639-2/T for the languages podcasts are published in.
const ISO639: &[(&str, &str)] = &[
    ("af", "afr"),
    ("am", "amh"),
    ("ar", "ara"),
    ("az", "aze"),
    ("be", "bel"),
    ("bg", "bul"),
    ("bn", "ben"),
    ("bs", "bos"),
    ("ca", "cat"),
    ("cs", "ces"),
    ("cy", "cym"),
    ("da", "dan"),
    ("de", "deu"),
    ("el", "ell"),
    ("en", "eng"),
    ("eo", "epo"),
    ("es", "spa"),
    ("et", "est"),
    ("eu", "eus"),
    ("fa", "fas"),
    ("fi", "fin"),
    ("fil", "fil"),
    ("fr", "fra"),
    ("ga", "gle"),
    ("gl", "glg"),
    ("gu", "guj"),
    ("ha", "hau"),
    ("he", "heb"),
    ("hi", "hin"),
    ("hr", "hrv"),
    ("hu", "hun"),
    ("hy", "hye"),
    ("id", "ind"),
    ("ig", "ibo"),
    ("is", "isl"),
    ("it", "ita"),
    ("ja", "jpn"),
    ("jv", "jav"),
    ("ka", "kat"),
    ("kk", "kaz"),
    ("km", "khm"),
    ("kn", "kan"),
    ("ko", "kor"),
    ("ku", "kur"),
    ("ky", "kir"),
    ("la", "lat"),
    ("lb", "ltz"),
    ("lo", "lao"),
    ("lt", "lit"),
    ("lv", "lav"),
    ("mg", "mlg"),
    ("mi", "mri"),
    ("mk", "mkd"),
    ("ml", "mal"),
    ("mn", "mon"),
    ("mr", "mar"),
    ("ms", "msa"),
    ("mt", "mlt"),
    ("my", "mya"),
    ("nb", "nob"),
    ("ne", "nep"),
    ("nl", "nld"),
    ("nn", "nno"),
    ("no", "nor"),
    ("pa", "pan"),
    ("pl", "pol"),
    ("ps", "pus"),
    ("pt", "por"),
    ("ro", "ron"),
    ("ru", "rus"),
    ("rw", "kin"),
    ("si", "sin"),
    ("sk", "slk"),
    ("sl", "slv"),
    ("so", "som"),
    ("sq", "sqi"),
    ("sr", "srp"),
    ("sv", "swe"),
    ("sw", "swa"),
    ("ta", "tam"),
    ("te", "tel"),
    ("tg", "tgk"),
    ("th", "tha"),
    ("ti", "tir"),
    ("tk", "tuk"),
    ("tl", "tgl"),
    ("tr", "tur"),
    ("uk", "ukr"),
    ("ur", "urd"),
    ("uz", "uzb"),
    ("vi", "vie"),
    ("xh", "xho"),
    ("yi", "yid"),
    ("yo", "yor"),
    ("zh", "zho"),
    ("zu", "zul"),
];

#[cfg(test)]
mod tests;
