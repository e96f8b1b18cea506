//! The frames castkit writes, built from [`EpisodeTags`], and which existing frames it manages (replaces)
//! or carries over untouched.

use id3::frame::{
    Chapter as Id3Chapter, Comment, ExtendedLink, Picture as Id3Picture, PictureType,
    Popularimeter, TableOfContents, Unknown,
};
use id3::{Content, Frame, TagLike, Version};

use super::convert::{Note, convert_frames};
use super::language::iso639_2;
use super::{EpisodeTags, Picture};

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

/// The new tag: the existing unmanaged frames (converted to `version`: [`convert_frames`]), then the
/// managed ones from the catalogue. `existing` is the frames of the tag(s) already in the file, in order.
/// Returns the notes on frames that could not be carried over as they were.
pub(super) fn build<'a>(
    existing: impl IntoIterator<Item = &'a Frame>,
    wanted: &EpisodeTags,
    version: Version,
) -> (id3::Tag, Vec<Note>) {
    let mut tag = id3::Tag::with_version(version);
    let chapters = !wanted.chapters.is_empty();
    let kept: Vec<Frame> = existing
        .into_iter()
        .filter(|f| !managed(f, chapters))
        .cloned()
        .collect();
    let mut notes = Vec::new();
    for frame in convert_frames(&kept, version, "", &mut notes) {
        tag.frames_vec_mut().push(frame);
    }
    for frame in wanted_frames(wanted, version) {
        tag.frames_vec_mut().push(frame);
    }
    (tag, notes)
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
        frames.push(wfed_frame(feed));
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

/// WFED as iTunes writes it: a text frame (encoding byte 0, Latin-1, then the URL), which is how TagLib and
/// eyeD3 read it; written as a URL frame (no encoding byte), they take its first character for the encoding
/// and show `ttps://…`. (mutagen, lofty and the id3 crate model WFED as a URL frame: they read this one as
/// the URL after a NUL; see the `castkit tag` section of the README.)
///
/// The id3 crate decodes every `W…` frame as a link, so the frame is built as a link whose first character
/// is that NUL encoding byte: it is written as those exact bytes and reads back equal, so a second run finds
/// nothing to change. A URL is ASCII once serialised; any other character is percent-encoded, so the bytes
/// are both Latin-1 and the UTF-8 the id3 crate's reader requires.
pub(super) fn wfed_frame(url: &str) -> Frame {
    let mut text = String::with_capacity(url.len() + 1);
    text.push('\0');
    for c in url.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            text.push(c);
        } else {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                text.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Frame::link("WFED", text)
}

/// The bytes of a POPM frame with the play counter in at least four bytes, as ID3 requires ("the counter
/// is at least 32 bits", <https://id3.org/id3v2.4.0-frames> §4.17): the id3 crate's encoder writes it in as
/// few bytes as the value needs (`c8 05` for 5 plays), which strict readers reject. Carried-over POPM frames
/// are written as these bytes instead.
pub(super) fn popm_bytes(p: &Popularimeter) -> Vec<u8> {
    let mut out: Vec<u8> = p
        .user
        .chars()
        .map(|c| u8::try_from(c).unwrap_or(b'?'))
        .collect();
    out.push(0);
    out.push(p.rating);
    let counter = p.counter.to_be_bytes();
    let significant = counter
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(counter.len());
    out.extend_from_slice(&counter[significant.min(counter.len() - 4)..]);
    out
}

/// An APIC frame (front cover) for `p`.
pub(super) fn picture_frame(p: &Picture) -> Frame {
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

/// The MIME type of an image, from its magic bytes (the same detection as [`crate::image::inspect`]):
/// APIC frames must say what the picture is, and players that trust the label fail on a GIF called
/// `image/jpeg`.
pub(super) fn image_mime(data: &[u8]) -> &'static str {
    use imagesize::ImageType;
    match imagesize::image_type(data) {
        Ok(ImageType::Jpeg) => "image/jpeg",
        Ok(ImageType::Png) => "image/png",
        Ok(ImageType::Gif) => "image/gif",
        Ok(ImageType::Webp) => "image/webp",
        Ok(ImageType::Bmp) => "image/bmp",
        Ok(ImageType::Tiff) => "image/tiff",
        Ok(ImageType::Heif(_)) => "image/heif",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picture_mime_type_comes_from_the_bytes() {
        // imagesize reads 12 bytes to decide.
        assert_eq!(
            image_mime(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01"),
            "image/jpeg"
        );
        assert_eq!(
            image_mime(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
            "image/png"
        );
        assert_eq!(
            image_mime(b"GIF89a\x01\x00\x01\x00\x00\x00\x00"),
            "image/gif"
        );
        assert_eq!(image_mime(b"RIFF\x24\x00\x00\x00WEBPVP8 "), "image/webp");
        assert_eq!(image_mime(b"not an image"), "application/octet-stream");
    }
}
