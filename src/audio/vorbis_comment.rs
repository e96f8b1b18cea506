//! Vorbis comments (the tags of Ogg Vorbis, Ogg Opus and FLAC) and FLAC's metadata blocks, read into a
//! [`TagSummary`] with bounded memory.
//!
//! A comment list is `vendor, count, count × "KEY=value"`, each a 32-bit little-endian length and its bytes
//! (<https://xiph.org/vorbis/doc/v-comment.html>). Keys are compared without regard to case; the first value
//! of a key wins (`COMMENT` before `DESCRIPTION`, which is where ffmpeg writes `-metadata comment`).
//!
//! Pictures can be megabytes: a `METADATA_BLOCK_PICTURE` comment or a FLAC `PICTURE` block is skipped, only
//! its presence is kept. Any picture counts as a cover, whatever its picture type, as `APIC` does for ID3
//! (podcast files carry one picture, and taggers do not all mark it "front cover"). Chapters are counted from
//! the Vorbis chapter extension (`CHAPTER001=00:00:00.000`, `CHAPTER001NAME=…`,
//! <https://wiki.xiph.org/Chapter_Extension>): one per `CHAPTERnnn` key.

use std::io::{self, Read, Seek, SeekFrom};

use super::{TagSummary, read_up_to};

/// The most bytes of one value kept (a longer title or comment is cut there, at a character boundary).
const MAX_VALUE_BYTES: u64 = 16 * 1024;

/// The most bytes read to find a key: longer keys are none castkit reads.
const MAX_KEY_BYTES: usize = 32;

/// FLAC metadata block types (<https://www.rfc-editor.org/rfc/rfc9639#section-8>).
const FLAC_VORBIS_COMMENT: u8 = 4;
/// FLAC's `PICTURE` block.
const FLAC_PICTURE: u8 = 6;

/// The value castkit notes for a key, or `None` for keys it does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Artist,
    Album,
    Track,
    Date,
    Genre,
    Comment,
    Description,
    Picture,
    Chapter,
}

impl Field {
    fn of(key: &[u8]) -> Option<Field> {
        let is = |name: &str| key.eq_ignore_ascii_case(name.as_bytes());
        Some(if is("TITLE") {
            Field::Title
        } else if is("ARTIST") {
            Field::Artist
        } else if is("ALBUM") {
            Field::Album
        } else if is("TRACKNUMBER") {
            Field::Track
        } else if is("DATE") {
            Field::Date
        } else if is("GENRE") {
            Field::Genre
        } else if is("COMMENT") {
            Field::Comment
        } else if is("DESCRIPTION") {
            Field::Description
        } else if is("METADATA_BLOCK_PICTURE") {
            Field::Picture
        } else if is_chapter_key(key) {
            Field::Chapter
        } else {
            return None;
        })
    }
}

/// `CHAPTERnnn` exactly (not `CHAPTERnnnNAME` or `CHAPTERnnnURL`).
fn is_chapter_key(key: &[u8]) -> bool {
    key.len() == 10
        && key[..7].eq_ignore_ascii_case(b"CHAPTER")
        && key[7..].iter().all(u8::is_ascii_digit)
}

/// Reads one comment list (after its packet's signature, if any: `\x03vorbis`, `OpusTags`) from `input`,
/// which ends where the list's packet or block ends, into `tags`. A list cut short keeps what was read and
/// adds a warning naming `what` (e.g. "the Opus comment packet").
///
/// # Errors
/// Only a read error of the file itself; a list that ends early is a warning.
pub(crate) fn read_comments<R: Read>(
    input: &mut R,
    what: &str,
    tags: &mut TagSummary,
    warnings: &mut Vec<String>,
) -> io::Result<()> {
    tags.native = Some("vorbis".to_owned());
    let mut read = 0u32;
    let mut count = None;
    let mut description = None;
    let outcome = (|| -> io::Result<()> {
        let vendor = read_u32(input)?;
        skip(input, u64::from(vendor))?;
        let n = read_u32(input)?;
        count = Some(n);
        for _ in 0..n {
            read_one(input, tags, &mut description)?;
            read += 1;
        }
        Ok(())
    })();
    match outcome {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => warnings.push(match count {
            Some(n) => format!("{what} is cut off after {read} of its {n} comments"),
            None => format!("{what} is cut off before its first comment"),
        }),
        Err(e) => return Err(e),
    }
    if tags.comment.is_none() {
        tags.comment = description;
    }
    Ok(())
}

/// Reads one `KEY=value` comment.
fn read_one<R: Read>(
    input: &mut R,
    tags: &mut TagSummary,
    description: &mut Option<String>,
) -> io::Result<()> {
    let len = u64::from(read_u32(input)?);
    let mut head = [0u8; MAX_KEY_BYTES + 1];
    let head_len = usize::try_from(len).map_or(head.len(), |l| l.min(head.len()));
    input.read_exact(&mut head[..head_len])?;
    let head = &head[..head_len];
    let Some(eq) = head.iter().position(|&b| b == b'=') else {
        // No `=` within the longest key castkit reads: not a field it wants.
        return skip(input, len - head_len as u64);
    };
    let field = Field::of(&head[..eq]);
    let value_len = len - eq as u64 - 1;
    let slot = match field {
        None => return skip(input, len - head_len as u64),
        Some(Field::Picture) => {
            tags.has_cover |= value_len > 0;
            return skip(input, len - head_len as u64);
        }
        Some(Field::Chapter) => {
            tags.chapters += 1;
            return skip(input, len - head_len as u64);
        }
        Some(Field::Title) => &mut tags.title,
        Some(Field::Artist) => &mut tags.artist,
        Some(Field::Album) => &mut tags.album,
        Some(Field::Track) => &mut tags.track,
        Some(Field::Date) => &mut tags.date,
        Some(Field::Genre) => &mut tags.genre,
        Some(Field::Comment) => &mut tags.comment,
        Some(Field::Description) => description,
    };
    // The value: what is already in `head` after the `=`, then the rest up to the cap.
    let kept = value_len.min(MAX_VALUE_BYTES);
    let mut value = head[eq + 1..].to_vec();
    value.truncate(kept as usize);
    let more = kept - value.len() as u64;
    input.by_ref().take(more).read_to_end(&mut value)?;
    if (value.len() as u64) < kept {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    skip(input, len - head_len as u64 - more)?;
    if slot.is_none() {
        *slot = Some(text_of(value, value_len > MAX_VALUE_BYTES));
    }
    Ok(())
}

/// A value as text: UTF-8 as the format requires (anything else replaced), cut at a character boundary when
/// the value was longer than castkit keeps.
fn text_of(mut bytes: Vec<u8>, cut: bool) -> String {
    if cut {
        // Drop a character split by the cap (at most three bytes of it).
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => bytes.len(),
        };
        bytes.truncate(valid);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Reads the metadata blocks of a native FLAC file whose stream starts at byte `start` (after any ID3v2
/// tags in front, which some taggers add; [`crate::audio::probe`] has found where they end): the
/// `VORBIS_COMMENT` block into `tags`, and whether a `PICTURE` block is present. Audio is never read.
///
/// # Errors
/// Only a read error of the file itself; a damaged or cut-off block list is a warning.
pub(crate) fn read_flac<R: Read + Seek>(
    input: &mut R,
    start: u64,
    tags: &mut TagSummary,
    warnings: &mut Vec<String>,
) -> io::Result<()> {
    let end = input.seek(SeekFrom::End(0))?;
    let mut at = start;
    input.seek(SeekFrom::Start(at))?;
    let mut magic = [0u8; 4];
    if read_up_to(input, &mut magic)? < 4 || &magic != b"fLaC" {
        // symphonia found the stream; without the marker where castkit expects it, there is nothing to read.
        return Ok(());
    }
    at += 4;
    loop {
        let mut header = [0u8; 4];
        if read_up_to(input, &mut header)? < 4 {
            warnings.push(format!(
                "the FLAC metadata block header at byte {at} is cut off: the file is truncated"
            ));
            return Ok(());
        }
        let last = header[0] & 0x80 != 0;
        let kind = header[0] & 0x7F;
        let len = u64::from(u32::from_be_bytes([0, header[1], header[2], header[3]]));
        let body = at + 4;
        if body + len > end {
            warnings.push(format!(
                "the FLAC metadata block at byte {at} claims {len} bytes, but only {} follow: the file is truncated",
                end - body
            ));
        }
        match kind {
            FLAC_VORBIS_COMMENT => {
                read_comments(
                    &mut input.by_ref().take(len),
                    "the FLAC comment block",
                    tags,
                    warnings,
                )?;
            }
            FLAC_PICTURE => {
                tags.native = Some("vorbis".to_owned());
                tags.has_cover |= len > 0;
            }
            // 127 is invalid: what follows cannot be trusted to be metadata.
            127 => {
                warnings.push(format!(
                    "the FLAC metadata block at byte {at} has the invalid type 127"
                ));
                return Ok(());
            }
            _ => {}
        }
        at = body + len;
        if last {
            return Ok(());
        }
        if at >= end {
            if at == end {
                warnings.push(format!(
                    "the FLAC metadata ends at byte {at} before its last block and the audio: the file is truncated"
                ));
            }
            return Ok(());
        }
        input.seek(SeekFrom::Start(at))?;
    }
}

/// A little-endian `u32`.
fn read_u32<R: Read>(input: &mut R) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// Reads and drops `n` bytes (the input may be a packet spread over pages, so no seek); an input that ends
/// first is an `UnexpectedEof`.
fn skip<R: Read>(input: &mut R, n: u64) -> io::Result<()> {
    let skipped = io::copy(&mut input.by_ref().take(n), &mut io::sink())?;
    if skipped < n {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A comment list as a packet body (no signature).
    fn list(vendor: &str, comments: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
        out.extend_from_slice(vendor.as_bytes());
        out.extend_from_slice(&(comments.len() as u32).to_le_bytes());
        for c in comments {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c);
        }
        out
    }

    fn read(bytes: &[u8]) -> (TagSummary, Vec<String>) {
        let mut tags = TagSummary::default();
        let mut warnings = Vec::new();
        read_comments(&mut &bytes[..], "the list", &mut tags, &mut warnings).unwrap();
        (tags, warnings)
    }

    #[test]
    fn fields_are_read_case_blind_and_the_first_value_wins() {
        let (tags, warnings) = read(&list(
            "Lavf",
            &[
                b"title=Episode 1",
                b"TITLE=Second title",
                b"Artist=Someone",
                b"ALBUM=The Show",
                b"TRACKNUMBER=3",
                b"DATE=2024-05-01",
                b"GENRE=Podcast",
                b"DESCRIPTION=From ffmpeg",
                b"ENCODER=Lavc",
            ],
        ));
        assert!(warnings.is_empty());
        assert_eq!(tags.native.as_deref(), Some("vorbis"));
        assert_eq!(tags.title.as_deref(), Some("Episode 1"));
        assert_eq!(tags.artist.as_deref(), Some("Someone"));
        assert_eq!(tags.album.as_deref(), Some("The Show"));
        assert_eq!(tags.track.as_deref(), Some("3"));
        assert_eq!(tags.date.as_deref(), Some("2024-05-01"));
        assert_eq!(tags.genre.as_deref(), Some("Podcast"));
        assert_eq!(tags.comment.as_deref(), Some("From ffmpeg"));
        assert!(!tags.has_cover);
    }

    #[test]
    fn comment_wins_over_description_wherever_it_is() {
        let (tags, _) = read(&list("", &[b"DESCRIPTION=d", b"COMMENT=c"]));
        assert_eq!(tags.comment.as_deref(), Some("c"));
    }

    #[test]
    fn chapters_count_only_the_time_keys_and_pictures_set_the_cover() {
        let (tags, _) = read(&list(
            "",
            &[
                b"CHAPTER001=00:00:00.000",
                b"CHAPTER001NAME=Intro",
                b"CHAPTER002=00:00:01.500",
                b"CHAPTER002NAME=Main",
                b"CHAPTER002URL=https://example.com",
                b"CHAPTERX=not one",
                b"METADATA_BLOCK_PICTURE=AAAAAwAAAAlpbWFnZS9wbmc=",
            ],
        ));
        assert_eq!(tags.chapters, 2);
        assert!(tags.has_cover);
    }

    #[test]
    fn a_list_cut_anywhere_keeps_what_was_read_and_never_panics() {
        let full = list("vendor", &[b"TITLE=Kept", b"ARTIST=Lost when cut"]);
        for cut in 0..full.len() {
            let (tags, warnings) = read(&full[..cut]);
            assert_eq!(warnings.len(), 1, "cut at {cut}: {warnings:?}");
            // The title is complete only once its last byte is in.
            let title_end = 4 + 6 + 4 + 4 + 10;
            assert_eq!(tags.title.is_some(), cut >= title_end, "cut at {cut}");
            assert!(tags.artist.is_none());
        }
        let (_, warnings) = read(&full[..20]);
        assert_eq!(warnings, ["the list is cut off after 0 of its 2 comments"]);
    }

    #[test]
    fn absurd_lengths_end_in_a_warning_not_an_allocation() {
        let mut bytes = list("", &[]);
        bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        bytes.extend_from_slice(b"TITLE=x");
        let (tags, warnings) = read(&bytes);
        assert_eq!(tags.title, None);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn long_values_are_cut_at_a_character_boundary() {
        let mut title = b"TITLE=".to_vec();
        title.extend(std::iter::repeat_n("é".as_bytes(), 20_000).flatten());
        let (tags, warnings) = read(&list("", &[&title, b"ARTIST=after"]));
        assert!(warnings.is_empty());
        let kept = tags.title.unwrap();
        assert_eq!(kept.len() as u64, MAX_VALUE_BYTES);
        assert!(kept.chars().all(|c| c == 'é'));
        assert_eq!(tags.artist.as_deref(), Some("after"));
    }

    /// A native FLAC file's metadata: STREAMINFO, a comment block, a picture, in front of nothing.
    fn flac(blocks: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut out = b"fLaC".to_vec();
        for (i, (kind, body)) in blocks.iter().enumerate() {
            let last = if i + 1 == blocks.len() { 0x80 } else { 0 };
            out.push(kind | last);
            out.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
            out.extend_from_slice(body);
        }
        out
    }

    #[test]
    fn flac_blocks_give_comments_and_the_picture_from_where_the_stream_starts() {
        let mut file = b"ID3\x03\x00\x00\x00\x00\x00\x02ab".to_vec();
        file.extend(flac(&[
            (0, vec![0; 34]),
            (4, list("x", &[b"TITLE=Flac title"])),
            (6, vec![0, 0, 0, 3, 0, 0, 0, 0]),
        ]));
        let mut tags = TagSummary::default();
        let mut warnings = Vec::new();
        read_flac(&mut io::Cursor::new(file), 12, &mut tags, &mut warnings).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(tags.title.as_deref(), Some("Flac title"));
        assert!(tags.has_cover);
    }

    #[test]
    fn a_cut_flac_block_list_warns() {
        let file = flac(&[(0, vec![0; 34]), (4, list("x", &[b"TITLE=Flac title"]))]);
        for cut in 4..file.len() {
            let mut tags = TagSummary::default();
            let mut warnings = Vec::new();
            read_flac(
                &mut io::Cursor::new(&file[..cut]),
                0,
                &mut tags,
                &mut warnings,
            )
            .unwrap();
            assert!(!warnings.is_empty(), "cut at {cut}");
        }
    }
}
