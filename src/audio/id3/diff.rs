//! What a rewrite changes, frame by frame, as people read it: the list `castkit tag` prints, and the whole
//! answer of a dry run.

use std::borrow::Cow;

use id3::frame::{Chapter, Popularimeter, TableOfContents, Unknown};
use id3::{Content, Frame, Version};

use super::FrameChange;
use super::convert::experimental_text;
use super::frames::popm_bytes;

/// The managed frames that differ between the old tag and the new one, old → new.
pub(super) fn diff(old: Option<&id3::Tag>, new: &id3::Tag, version: Version) -> Vec<FrameChange> {
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
                comparable(a.content()) == comparable(b.content())
                    && a.id_for_version(version) == b.id_for_version(version)
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

/// A frame's content in the form two frames that say the same thing share: the bytes of a frame the id3
/// crate does not decode, whatever version of tag it was read from (its `Unknown::version` is bookkeeping: a
/// PCST read from an ID3v2.4 tag is the same four bytes as the one castkit builds for ID3v2.3), and a POPM
/// as the bytes castkit writes for it ([`popm_bytes`]), since castkit carries POPM over as raw bytes.
fn comparable(c: &Content) -> Cow<'_, Content> {
    let same_frames = |frames: &[Frame]| -> Option<Vec<Frame>> {
        let converted: Vec<Cow<'_, Content>> =
            frames.iter().map(|f| comparable(f.content())).collect();
        converted
            .iter()
            .any(|c| matches!(c, Cow::Owned(_)))
            .then(|| {
                frames
                    .iter()
                    .zip(converted)
                    .map(|(f, c)| {
                        let mut same =
                            Frame::with_content(f.id(), c.into_owned()).set_encoding(f.encoding());
                        same.set_tag_alter_preservation(f.tag_alter_preservation());
                        same.set_file_alter_preservation(f.file_alter_preservation());
                        same
                    })
                    .collect()
            })
    };
    match c {
        Content::Unknown(u) if u.version != Version::Id3v24 => {
            Cow::Owned(Content::Unknown(Unknown {
                data: u.data.clone(),
                version: Version::Id3v24,
            }))
        }
        Content::Popularimeter(p) => Cow::Owned(Content::Unknown(Unknown {
            data: popm_bytes(p),
            version: Version::Id3v24,
        })),
        Content::Chapter(ch) => match same_frames(&ch.frames) {
            Some(frames) => Cow::Owned(Content::Chapter(Chapter {
                frames,
                ..ch.clone()
            })),
            None => Cow::Borrowed(c),
        },
        Content::TableOfContents(t) => match same_frames(&t.frames) {
            Some(frames) => Cow::Owned(Content::TableOfContents(TableOfContents {
                frames,
                ..t.clone()
            })),
            None => Cow::Borrowed(c),
        },
        _ => Cow::Borrowed(c),
    }
}

/// A frame as a short human-readable string (pictures by type, size and a hash of their bytes).
pub(super) fn summary(f: &Frame) -> String {
    match f.content() {
        Content::Link(t) if f.id() == "WFED" => match t.strip_prefix('\0') {
            Some(url) => shorten(url),
            None => format!(
                "{} (as a URL frame: eyeD3 and TagLib lose its first character)",
                shorten(t)
            ),
        },
        Content::Text(t) | Content::Link(t) => shorten(t),
        Content::Popularimeter(p) => popm_summary(p),
        Content::Unknown(u) if f.id() == "POPM" => match popm_from_bytes(&u.data) {
            Some(p) => popm_summary(&p),
            None => format!("{} bytes", u.data.len()),
        },
        Content::Unknown(u)
            if f.id().starts_with('X')
                && let Some(text) = experimental_text(&u.data) =>
        {
            shorten(&text)
        }
        Content::Unknown(u) if u.data.len() <= 16 => format!(
            "{} bytes: {}",
            u.data.len(),
            u.data
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        Content::Comment(c) => format!("[{}] {}", c.lang, shorten(&c.text)),
        Content::ExtendedText(t) => shorten(&format!("{}: {}", t.description, t.value)),
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

fn popm_summary(p: &Popularimeter) -> String {
    format!("{}: rating {}, played {}", p.user, p.rating, p.counter)
}

/// Reads the bytes of a POPM frame (Latin-1 email, NUL, rating, counter of any length).
fn popm_from_bytes(data: &[u8]) -> Option<Popularimeter> {
    let nul = data.iter().position(|&b| b == 0)?;
    let rating = *data.get(nul + 1)?;
    let counter = data[nul + 2..]
        .iter()
        .try_fold(0u64, |n, &b| n.checked_mul(256).map(|n| n | u64::from(b)))?;
    Some(Popularimeter {
        user: data[..nul].iter().map(|&b| char::from(b)).collect(),
        rating,
        counter,
    })
}

/// One line of at most 60 characters, without the NUL that ends some writers' text (mutagen's).
fn shorten(s: &str) -> String {
    let one_line = s.trim_end_matches('\0').replace('\n', " ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

/// FNV-1a, 64 bits: a cheap fingerprint to show whether two pictures differ.
pub(super) fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The name of an ID3 version as the change list shows it (`ID3v2.3`).
pub(super) fn version_name(v: Version) -> String {
    match v {
        Version::Id3v22 => "ID3v2.2",
        Version::Id3v23 => "ID3v2.3",
        Version::Id3v24 => "ID3v2.4",
    }
    .to_owned()
}
