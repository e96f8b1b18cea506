//! The tags already in a file: where ID3v2, ID3v1, APEv2 and Lyrics3 tags sit (so the audio region between
//! them is known exactly), and a summary of what they say.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use id3::TagLike;

use super::TagSummary;

/// An ID3v2 tag's place in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Id3v2Span {
    /// Offset of its header.
    pub(crate) offset: u64,
    /// Total length: header, frames, padding and footer.
    pub(crate) len: u64,
    /// Major version (2, 3 or 4).
    pub(crate) major: u8,
}

/// Why the tags at the start of a file cannot be skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LeadingTagError {
    /// The tag claims more bytes than the file has.
    PastEnd {
        /// The tag's offset.
        offset: u64,
        /// Its claimed length.
        len: u64,
        /// The file's length.
        file_len: u64,
    },
}

fn syncsafe(b: &[u8]) -> Option<u64> {
    if b.iter().any(|&x| x & 0x80 != 0) {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, &x| (acc << 7) | u64::from(x)))
}

/// Decodes an ID3v2 header (or footer, with `magic` `3DI`): (major version, total tag length).
fn id3v2_header(b: &[u8; 10], magic: &[u8; 3]) -> Option<(u8, u64)> {
    if &b[..3] != magic || !(2..=4).contains(&b[3]) || b[4] == 0xFF {
        return None;
    }
    let size = syncsafe(&b[6..10])?;
    let footer = if b[5] & 0x10 != 0 { 10 } else { 0 };
    Some((b[3], 10 + size + footer))
}

/// Finds the ID3v2 tags at the start of the file (there may be several in a row, and an APEv2 tag with a
/// header may follow them) and returns them with the offset just past the last tag.
pub(crate) fn leading_id3v2(
    file: &mut File,
    file_len: u64,
) -> io::Result<Result<(Vec<Id3v2Span>, u64), LeadingTagError>> {
    let mut tags = Vec::new();
    let mut pos = 0;
    loop {
        let mut head = [0u8; 10];
        file.seek(SeekFrom::Start(pos))?;
        if read_full(file, &mut head)? < 10 {
            break;
        }
        let Some((major, len)) = id3v2_header(&head, b"ID3") else {
            break;
        };
        if pos + len > file_len {
            return Ok(Err(LeadingTagError::PastEnd {
                offset: pos,
                len,
                file_len,
            }));
        }
        tags.push(Id3v2Span {
            offset: pos,
            len,
            major,
        });
        pos += len;
    }
    // An APEv2 tag at the start has a header: "APETAGEX", version, then the size of items and footer.
    let mut ape = [0u8; 32];
    file.seek(SeekFrom::Start(pos))?;
    if read_full(file, &mut ape)? == 32 && &ape[..8] == b"APETAGEX" {
        let size = u64::from(u32::from_le_bytes([ape[12], ape[13], ape[14], ape[15]]));
        if pos + 32 + size > file_len {
            return Ok(Err(LeadingTagError::PastEnd {
                offset: pos,
                len: 32 + size,
                file_len,
            }));
        }
        pos += 32 + size;
    }
    Ok(Ok((tags, pos)))
}

/// What trails the audio: the audio region ends where the first of these begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Trailing {
    /// Offset just past the last audio byte.
    pub(crate) audio_end: u64,
    /// An ID3v1 tag (128 bytes, `TAG`) ends the file.
    pub(crate) id3v1: bool,
    /// An APEv2 tag precedes it (or ends the file).
    pub(crate) ape: bool,
    /// A Lyrics3v2 block is there.
    pub(crate) lyrics3: bool,
    /// An ID3v2 tag with a footer was appended at the end.
    pub(crate) id3v2_appended: bool,
}

/// Looks backwards from the end of the file for ID3v1, APEv2, Lyrics3v2 and appended ID3v2 tags, in any
/// order they are found in real files, and returns where the audio ends. `floor` is where the audio starts:
/// no tag is believed to reach before it.
pub(crate) fn trailing_tags(file: &mut File, file_len: u64, floor: u64) -> io::Result<Trailing> {
    let mut t = Trailing {
        audio_end: file_len,
        ..Trailing::default()
    };
    // Each pass removes one tag from the end; a file has at most a handful.
    for _ in 0..8 {
        let end = t.audio_end;
        if !t.id3v1 && end >= floor + 128 {
            let mut b = [0u8; 3];
            file.seek(SeekFrom::Start(end - 128))?;
            if read_full(file, &mut b)? == 3 && &b == b"TAG" {
                t.id3v1 = true;
                t.audio_end = end - 128;
                continue;
            }
        }
        if end >= floor + 32 {
            let mut footer = [0u8; 32];
            file.seek(SeekFrom::Start(end - 32))?;
            if read_full(file, &mut footer)? == 32 && &footer[..8] == b"APETAGEX" {
                let size = u64::from(u32::from_le_bytes([
                    footer[12], footer[13], footer[14], footer[15],
                ]));
                let flags = u32::from_le_bytes([footer[20], footer[21], footer[22], footer[23]]);
                let header = if flags & 0x8000_0000 != 0 { 32 } else { 0 };
                if size >= 32 && end >= floor + size + header {
                    t.ape = true;
                    t.audio_end = end - size - header;
                    continue;
                }
            }
        }
        if end >= floor + 15 {
            let mut b = [0u8; 15];
            file.seek(SeekFrom::Start(end - 15))?;
            if read_full(file, &mut b)? == 15 && &b[6..] == b"LYRICS200" {
                let size = std::str::from_utf8(&b[..6])
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok());
                if let Some(size) = size
                    && end >= floor + size + 15
                {
                    t.lyrics3 = true;
                    t.audio_end = end - size - 15;
                    continue;
                }
            }
        }
        if end >= floor + 20 {
            let mut b = [0u8; 10];
            file.seek(SeekFrom::Start(end - 10))?;
            if read_full(file, &mut b)? == 10
                && let Some((_, len)) = id3v2_header(&b, b"3DI")
                && end >= floor + len
            {
                t.id3v2_appended = true;
                t.audio_end = end - len;
                continue;
            }
        }
        break;
    }
    Ok(t)
}

/// Summarises the tags: the first ID3v2 tag if there is one, else the ID3v1 tag. A damaged ID3v2 tag is
/// summarised as far as it could be read, with a warning.
pub(crate) fn summary(
    file: &mut File,
    id3v2: Option<&Id3v2Span>,
    trailing: &Trailing,
    warnings: &mut Vec<String>,
) -> io::Result<TagSummary> {
    let mut s = TagSummary {
        has_id3v1: trailing.id3v1,
        has_ape: trailing.ape,
        ..TagSummary::default()
    };
    if let Some(span) = id3v2 {
        file.seek(SeekFrom::Start(span.offset))?;
        // Read only the tag's bytes: a bounded read, whatever follows.
        let mut tag_bytes = Vec::with_capacity(span.len as usize);
        (&mut *file).take(span.len).read_to_end(&mut tag_bytes)?;
        let tag = match id3::Tag::read_from2(io::Cursor::new(tag_bytes)) {
            Ok(tag) => Some(tag),
            Err(e) => {
                warnings.push(format!(
                    "the ID3v2 tag at byte {} is damaged ({}); what could be read is reported",
                    span.offset, e.description
                ));
                e.partial_tag
            }
        };
        s.id3_version = Some(format!("2.{}", span.major));
        if let Some(tag) = tag {
            let text = |ids: &[&str]| {
                ids.iter()
                    .find_map(|id| tag.get(id).and_then(|f| f.content().text()))
                    .map(|t| t.trim_end_matches('\0').to_owned())
            };
            s.title = text(&["TIT2", "TT2"]);
            s.artist = text(&["TPE1", "TP1"]);
            s.album = text(&["TALB", "TAL"]);
            s.track = text(&["TRCK", "TRK"]);
            s.date = text(&["TDRC", "TYER", "TYE"]);
            s.genre = text(&["TCON", "TCO"]);
            s.comment = tag
                .comments()
                .next()
                .map(|c| c.text.trim_end_matches('\0').to_owned());
            s.has_cover = tag.pictures().next().is_some();
            s.chapters = tag.chapters().count();
        }
        return Ok(s);
    }
    if trailing.id3v1 {
        file.seek(SeekFrom::Start(0))?;
        if let Ok(v1) = id3::v1::Tag::read_from(&mut *file) {
            let some = |t: &str| {
                let t = t.trim_end_matches(['\0', ' ']);
                (!t.is_empty()).then(|| t.to_owned())
            };
            s.title = some(&v1.title);
            s.artist = some(&v1.artist);
            s.album = some(&v1.album);
            s.track = v1.track.map(|t| t.to_string());
            s.date = some(&v1.year);
            s.comment = some(&v1.comment);
            s.genre = v1.genre().map(str::to_owned);
        }
    }
    Ok(s)
}

/// Reads until `buf` is full or the reader ends; returns how many bytes were read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id3v2_sizes_are_syncsafe_and_footers_count() {
        let mut h = *b"ID3\x04\x00\x00\x00\x00\x02\x01";
        assert_eq!(id3v2_header(&h, b"ID3"), Some((4, 10 + 257)));
        h[5] = 0x10;
        assert_eq!(id3v2_header(&h, b"ID3"), Some((4, 10 + 257 + 10)));
        h[8] = 0x80;
        assert_eq!(
            id3v2_header(&h, b"ID3"),
            None,
            "a size byte with the high bit set is not syncsafe"
        );
        assert_eq!(
            id3v2_header(b"ID3\x05\x00\x00\x00\x00\x00\x00", b"ID3"),
            None,
            "version 5"
        );
    }
}
