//! Where the tags of an audio file sit, so that the audio between them is known exactly: the ID3v2 tags at
//! the start (several may follow each other, each with an optional footer, then an APEv2 tag with a header),
//! and the ID3v1, APEv2, Lyrics3v2 and appended ID3v2 tags at the end.
//!
//! Both the reader (`castkit probe`) and the writer (`castkit tag`) find the tags here, so they always agree
//! on where the audio begins: a file with two ID3v2 tags in a row is one whose audio starts after the second.
//! (lofty does the same: one `find_id3v2` for its reader and its writer.)
//!
//! ID3v2 layout: <https://id3.org/id3v2.4.0-structure> (§3.1 header, §3.4 footer, §6.2 syncsafe integers);
//! APEv2: <https://wiki.hydrogenaud.io/index.php?title=APE_Tags_Header>; Lyrics3v2:
//! <https://id3.org/Lyrics3v2>.

use crate::audio::read_up_to;
use std::io::{self, Read, Seek, SeekFrom};

/// The length of an ID3v2 header, and of its footer.
pub(crate) const HEADER_LEN: u64 = 10;

/// Decodes a syncsafe integer (7 bits a byte); `None` when a byte has its high bit set.
pub(crate) fn syncsafe(b: &[u8]) -> Option<u64> {
    if b.iter().any(|&x| x & 0x80 != 0) {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, &x| (acc << 7) | u64::from(x)))
}

/// What ten bytes that may be an ID3v2 header (or footer) say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// Not the magic: no tag here.
    Absent,
    /// The magic, but a version other than 2.2–2.4, a revision of 0xFF, or a size that is not syncsafe: a
    /// damaged tag whose length cannot be trusted.
    Invalid {
        /// The major version byte as found.
        major: u8,
    },
    /// A valid header.
    Valid {
        /// Major version: 2, 3 or 4.
        major: u8,
        /// Total length: header, frames, padding and footer.
        len: u64,
    },
}

/// Decodes an ID3v2 header (`magic` `ID3`) or footer (`magic` `3DI`).
pub(crate) fn decode_header(b: &[u8; 10], magic: &[u8; 3]) -> Header {
    if &b[..3] != magic {
        return Header::Absent;
    }
    let major = b[3];
    if !(2..=4).contains(&major) || b[4] == 0xFF {
        return Header::Invalid { major };
    }
    let Some(size) = syncsafe(&b[6..10]) else {
        return Header::Invalid { major };
    };
    // Flag 0x10 (ID3v2.4): a footer, a copy of the header, follows the tag.
    let footer = if b[5] & 0x10 != 0 { HEADER_LEN } else { 0 };
    Header::Valid {
        major,
        len: HEADER_LEN + size + footer,
    }
}

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

/// What ended the run of tags at the start of a file, when it was not simply something else (the audio).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// `ID3` at `offset`, with a header that is not valid (see [`Header::Invalid`]).
    BadHeader {
        /// Where the header is.
        offset: u64,
        /// Its major version byte.
        major: u8,
    },
    /// An ID3v2 tag claims more bytes than the file has.
    Id3v2PastEnd {
        /// The tag's offset.
        offset: u64,
        /// Its claimed length.
        len: u64,
        /// Its major version.
        major: u8,
    },
    /// An APEv2 tag (after the ID3v2 tags) claims more bytes than the file has.
    ApePastEnd {
        /// The tag's offset.
        offset: u64,
        /// Its claimed length.
        len: u64,
    },
}

/// The tags at the start of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leading {
    /// The valid ID3v2 tags, one after the other from offset 0.
    pub(crate) id3v2: Vec<Id3v2Span>,
    /// The offset just past the last of them (0 when there is none).
    pub(crate) id3v2_end: u64,
    /// Where what follows the tags begins: past an APEv2 tag with a header, when one follows the ID3v2 tags.
    pub(crate) audio_start: u64,
    /// What stopped the run, when it was a damaged or cut-off tag.
    pub(crate) stop: Option<Stop>,
}

/// Finds the tags at the start of a file: every ID3v2 tag in a row from offset 0, then an APEv2 tag with a
/// header.
///
/// # Errors
/// Only when the file cannot be read; a damaged tag is reported in [`Leading::stop`].
pub(crate) fn leading_tags<R: Read + Seek>(file: &mut R, file_len: u64) -> io::Result<Leading> {
    let mut leading = Leading {
        id3v2: Vec::new(),
        id3v2_end: 0,
        audio_start: 0,
        stop: None,
    };
    let mut pos = 0;
    loop {
        let mut head = [0u8; 10];
        file.seek(SeekFrom::Start(pos))?;
        if read_up_to(file, &mut head)? < head.len() {
            break;
        }
        match decode_header(&head, b"ID3") {
            Header::Absent => break,
            Header::Invalid { major } => {
                leading.stop = Some(Stop::BadHeader { offset: pos, major });
                break;
            }
            Header::Valid { major, len } => {
                if pos + len > file_len {
                    leading.stop = Some(Stop::Id3v2PastEnd {
                        offset: pos,
                        len,
                        major,
                    });
                    leading.id3v2_end = pos;
                    leading.audio_start = pos;
                    return Ok(leading);
                }
                leading.id3v2.push(Id3v2Span {
                    offset: pos,
                    len,
                    major,
                });
                pos += len;
            }
        }
    }
    leading.id3v2_end = pos;
    // An APEv2 tag at the start has a header: "APETAGEX", version, then the size of items and footer.
    let mut ape = [0u8; 32];
    file.seek(SeekFrom::Start(pos))?;
    if read_up_to(file, &mut ape)? == ape.len() && ape.starts_with(b"APETAGEX") {
        let len = 32 + u64::from(u32::from_le_bytes([ape[12], ape[13], ape[14], ape[15]]));
        if pos + len > file_len {
            leading.stop = Some(Stop::ApePastEnd { offset: pos, len });
        } else {
            pos += len;
        }
    }
    leading.audio_start = pos;
    Ok(leading)
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

/// The probe's view of [`leading_tags`]: the ID3v2 tags and where the audio starts, or an error when a tag
/// runs past the end of the file. A damaged ID3v2 header ends the run of tags: the frame walk then starts
/// there and skips it as junk.
///
/// # Errors
/// The outer error when the file cannot be read.
pub(crate) fn leading_id3v2<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
) -> io::Result<Result<(Vec<Id3v2Span>, u64), LeadingTagError>> {
    let leading = leading_tags(file, file_len)?;
    Ok(match leading.stop {
        Some(Stop::Id3v2PastEnd { offset, len, .. } | Stop::ApePastEnd { offset, len }) => {
            Err(LeadingTagError::PastEnd {
                offset,
                len,
                file_len,
            })
        }
        Some(Stop::BadHeader { .. }) | None => Ok((leading.id3v2, leading.audio_start)),
    })
}

/// What trails the audio: the audio region ends where the first of these begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Trailing {
    /// Offset just past the last audio byte.
    pub(crate) audio_end: u64,
    /// The offset of an ID3v1 tag (128 bytes, `TAG`); it ends the file when it is at `file_len - 128`.
    pub(crate) id3v1: Option<u64>,
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
///
/// # Errors
/// When the file cannot be read.
pub(crate) fn trailing_tags<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    floor: u64,
) -> io::Result<Trailing> {
    let mut t = Trailing {
        audio_end: file_len,
        ..Trailing::default()
    };
    // Each pass removes one tag from the end; a file has at most a handful.
    for _ in 0..8 {
        let end = t.audio_end;
        if t.id3v1.is_none() && end >= floor + 128 {
            let mut b = [0u8; 3];
            file.seek(SeekFrom::Start(end - 128))?;
            if read_up_to(file, &mut b)? == 3 && &b == b"TAG" {
                t.id3v1 = Some(end - 128);
                t.audio_end = end - 128;
                continue;
            }
        }
        if end >= floor + 32 {
            let mut footer = [0u8; 32];
            file.seek(SeekFrom::Start(end - 32))?;
            if read_up_to(file, &mut footer)? == 32 && footer.starts_with(b"APETAGEX") {
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
            if read_up_to(file, &mut b)? == 15 && &b[6..] == b"LYRICS200" {
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
            if read_up_to(file, &mut b)? == 10
                && let Header::Valid { len, .. } = decode_header(&b, b"3DI")
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

/// Where the audio starts when the length of the tag whose header is at `header_at` cannot be trusted (a
/// damaged header, or a size past the end of the file): where the probe finds it, by the same frame walk
/// from the header up to the trailing tags (a frame may begin inside a damaged header's ten bytes); when the
/// walk finds no audio, just past the header, so that a rewrite never keeps a damaged header.
///
/// # Errors
/// When the file cannot be read.
pub(crate) fn audio_after_damaged_tag<R: Read + Seek>(
    file: &mut R,
    header_at: u64,
    file_len: u64,
) -> io::Result<u64> {
    let audio_end = trailing_tags(file, file_len, header_at)?.audio_end;
    file.seek(SeekFrom::Start(header_at))?;
    Ok(
        match crate::audio::mpeg::walk(&mut *file, header_at, audio_end) {
            Ok(walk) => walk.start,
            Err(_) => (header_at + HEADER_LEN).min(file_len),
        },
    )
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    /// An ID3v2 tag of `body` bytes (frames and padding, here zeros), with a footer when `footer`.
    fn tag(major: u8, body: usize, footer: bool) -> Vec<u8> {
        let size = [
            (body >> 21) as u8 & 0x7F,
            (body >> 14) as u8 & 0x7F,
            (body >> 7) as u8 & 0x7F,
            body as u8 & 0x7F,
        ];
        let flags = if footer { 0x10 } else { 0 };
        let mut t = [b"ID3", &[major, 0, flags][..], &size].concat();
        t.resize(10 + body, 0);
        if footer {
            t.extend_from_slice(&[b"3DI", &[major, 0, flags][..], &size].concat());
        }
        t
    }

    fn leading(bytes: &[u8]) -> Leading {
        leading_tags(&mut Cursor::new(bytes), bytes.len() as u64).unwrap()
    }

    /// Stands for audio: bytes that are no tag.
    const AUDIO: &[u8] = &[0xFF, 0xFB, 0x90, 0x64, 1, 2, 3, 4, 5, 6, 7, 8];

    #[test]
    fn id3v2_sizes_are_syncsafe_and_footers_count() {
        let mut h = *b"ID3\x04\x00\x00\x00\x00\x02\x01";
        assert_eq!(
            decode_header(&h, b"ID3"),
            Header::Valid {
                major: 4,
                len: 10 + 257
            }
        );
        h[5] = 0x10;
        assert_eq!(
            decode_header(&h, b"ID3"),
            Header::Valid {
                major: 4,
                len: 10 + 257 + 10
            }
        );
        h[8] = 0x80;
        assert_eq!(
            decode_header(&h, b"ID3"),
            Header::Invalid { major: 4 },
            "a size byte with the high bit set is not syncsafe"
        );
        assert_eq!(
            decode_header(b"ID3\x05\x00\x00\x00\x00\x00\x00", b"ID3"),
            Header::Invalid { major: 5 },
            "version 5"
        );
        assert_eq!(decode_header(&h, b"3DI"), Header::Absent);
    }

    #[test]
    fn several_id3v2_tags_in_a_row_all_come_before_the_audio() {
        let first = tag(4, 40, true);
        let second = tag(3, 25, false);
        let bytes = [&first[..], &second, AUDIO].concat();
        let found = leading(&bytes);
        assert_eq!(
            found.id3v2,
            [
                Id3v2Span {
                    offset: 0,
                    len: 10 + 40 + 10,
                    major: 4
                },
                Id3v2Span {
                    offset: 60,
                    len: 10 + 25,
                    major: 3
                },
            ]
        );
        assert_eq!(found.id3v2_end, 95);
        assert_eq!(found.audio_start, 95);
        assert_eq!(found.stop, None);
        assert_eq!(&bytes[found.audio_start as usize..], AUDIO);
    }

    #[test]
    fn an_ape_tag_with_a_header_after_the_id3v2_tags_is_skipped() {
        let mut ape = b"APETAGEX".to_vec();
        ape.extend_from_slice(&2000u32.to_le_bytes());
        ape.extend_from_slice(&40u32.to_le_bytes()); // items + footer
        ape.resize(32 + 40, 0);
        let bytes = [&tag(3, 20, false)[..], &ape, AUDIO].concat();
        let found = leading(&bytes);
        assert_eq!(found.id3v2_end, 30);
        assert_eq!(found.audio_start, 30 + 72);
    }

    #[test]
    fn damaged_and_cut_off_tags_stop_the_run_and_say_where() {
        let mut bad = tag(3, 20, false);
        bad[3] = 5;
        let bytes = [&tag(4, 10, false)[..], &bad, AUDIO].concat();
        let found = leading(&bytes);
        assert_eq!(found.id3v2.len(), 1);
        assert_eq!(
            found.stop,
            Some(Stop::BadHeader {
                offset: 20,
                major: 5
            })
        );
        assert_eq!(found.id3v2_end, 20);

        let mut cut = tag(3, 500, false);
        cut.truncate(100);
        let found = leading(&cut);
        assert_eq!(found.id3v2, []);
        assert_eq!(
            found.stop,
            Some(Stop::Id3v2PastEnd {
                offset: 0,
                len: 510,
                major: 3
            })
        );
        assert_eq!(
            leading_id3v2(&mut Cursor::new(&cut), 100).unwrap(),
            Err(LeadingTagError::PastEnd {
                offset: 0,
                len: 510,
                file_len: 100
            })
        );
    }

    #[test]
    fn no_tag_means_the_audio_starts_at_zero() {
        let found = leading(AUDIO);
        assert_eq!((found.id3v2.len(), found.audio_start), (0, 0));
        assert_eq!(leading(b"ID").audio_start, 0, "shorter than a header");
    }

    #[test]
    fn the_two_tag_fixture_is_two_tags_then_the_untouched_stream() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audio/");
        let bytes = std::fs::read(format!("{dir}two-id3v2-tags.mp3")).unwrap();
        // The script that made the fixture wrote the two tags, then the whole of `vbr-xing.mp3`.
        let audio = std::fs::read(format!("{dir}vbr-xing.mp3")).unwrap();
        let found = leading(&bytes);
        assert_eq!(found.id3v2.len(), 2);
        assert_eq!((found.id3v2[0].major, found.id3v2[1].major), (4, 3));
        assert_eq!(&bytes[found.audio_start as usize..], audio);
    }

    #[test]
    fn trailing_tags_are_peeled_from_the_end() {
        let mut v1 = b"TAG".to_vec();
        v1.resize(128, 0);
        let mut ape_footer = b"APETAGEX".to_vec();
        ape_footer.extend_from_slice(&2000u32.to_le_bytes());
        ape_footer.extend_from_slice(&32u32.to_le_bytes());
        ape_footer.resize(32, 0);
        let bytes = [AUDIO, &ape_footer, &v1].concat();
        let len = bytes.len() as u64;
        let t = trailing_tags(&mut Cursor::new(&bytes), len, 0).unwrap();
        assert_eq!(t.id3v1, Some(len - 128));
        assert!(t.ape);
        assert_eq!(t.audio_end, AUDIO.len() as u64);
    }
}
