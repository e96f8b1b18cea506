//! The tags already in a file, read with the positions [`locate`] finds: a summary for `castkit probe`, and
//! for the writer the tag(s) to carry frames over from, checked frame by frame so that a damaged tag is never
//! silently rewritten with frames missing.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use id3::{Frame, TagLike, Version};

use super::locate::{self, Id3v2Span, Stop, Trailing};
use crate::audio::{TagSummary, genres};

/// Reads exactly the bytes of one tag: a bounded read, whatever follows.
fn span_bytes<R: Read + Seek>(file: &mut R, span: &Id3v2Span) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(span.offset))?;
    let mut bytes = Vec::with_capacity(span.len as usize);
    (&mut *file).take(span.len).read_to_end(&mut bytes)?;
    if (bytes.len() as u64) < span.len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the file got shorter while its tag was being read",
        ));
    }
    Ok(bytes)
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
        has_id3v1: trailing.id3v1.is_some(),
        has_ape: trailing.ape,
        ..TagSummary::default()
    };
    if let Some(span) = id3v2 {
        let tag_bytes = span_bytes(file, span)?;
        let tag = match id3::Tag::read_from2(io::Cursor::new(&tag_bytes)) {
            Ok(tag) => Some(tag),
            Err(e) => {
                // castkit's own frame walk says where and how; the id3 crate's description can be empty.
                let detail = match raw_frames(&tag_bytes, span.offset) {
                    Err(detail) => detail,
                    Ok(_) if e.description.is_empty() => e.kind.to_string(),
                    Ok(_) => e.description.clone(),
                };
                warnings.push(format!(
                    "the ID3v2 tag at byte {} is damaged ({detail}); what could be read is reported",
                    span.offset
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
            s.date = text(&["TDRC"]).or_else(|| {
                text(&["TYER", "TYE"]).map(|year| {
                    v23_date(
                        &year,
                        text(&["TDAT", "TDA"]).as_deref(),
                        text(&["TIME", "TIM"]).as_deref(),
                    )
                })
            });
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
    if trailing.id3v1.is_some() {
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
            // The extended tag's free-form genre, else the number in castkit's list: the id3 crate's own list
            // stops at 147 and so misses Winamp's later genres, among them 186, "Podcast", which castkit writes.
            s.genre = v1
                .genre_str
                .as_deref()
                .and_then(some)
                .or_else(|| genres::id3v1(usize::from(v1.genre_id)).map(str::to_owned));
        }
    }
    Ok(s)
}

/// The date of an ID3v2.3 (or 2.2) tag, which splits it in three frames (<https://id3.org/id3v2.3.0>
/// §4.2.1): TYER `YYYY`, TDAT `DDMM` and TIME `HHMM`, as one ISO 8601 date like ID3v2.4's TDRC:
/// `YYYY-MM-DD`, then `THH:MM` when TIME is there. What does not make a real date is left out (a TDAT of
/// `3102`, a TIME without a TDAT), so the answer is never more precise than the tag; a TYER that is not
/// four digits is given as it is.
pub(super) fn v23_date(year: &str, day_month: Option<&str>, time: Option<&str>) -> String {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let year = year.trim();
    let (Some(day_month), true) = (day_month.map(str::trim), digits(year, 4)) else {
        return year.to_owned();
    };
    let date = digits(day_month, 4)
        .then(|| {
            chrono::NaiveDate::from_ymd_opt(
                year.parse().ok()?,
                day_month[2..].parse().ok()?,
                day_month[..2].parse().ok()?,
            )
        })
        .flatten();
    let Some(date) = date else {
        return year.to_owned();
    };
    let mut out = date.format("%Y-%m-%d").to_string();
    if let Some(t) = time.map(str::trim).filter(|t| digits(t, 4))
        && let Some(t) = chrono::NaiveTime::from_hms_opt(
            t[..2].parse().unwrap_or(99),
            t[2..].parse().unwrap_or(99),
            0,
        )
    {
        out.push_str(&t.format("T%H:%M").to_string());
    }
    out
}

/// The tag(s) at the start of a file, as far as they could be read, for the writer.
pub(super) struct Existing {
    /// The first tag, parsed (the readable part, when damaged): the one players show.
    pub(super) tag: Option<id3::Tag>,
    /// Frames of the later tags, when there are several in a row, that the first tag lacks (a frame with the
    /// same id and, for COMM, TXXX, APIC…, the same description, is the first tag's business).
    pub(super) carried: Vec<Frame>,
    /// How many valid ID3v2 tags follow each other at the start of the file.
    pub(super) count: usize,
    /// The first tag's version.
    pub(super) version: Option<Version>,
    /// Bytes before the audio: every tag, padding and footer included.
    pub(super) region_len: u64,
    /// Why the tag(s) cannot be trusted, if they cannot.
    pub(super) problem: Option<String>,
    /// The ID3v1 tag that ends the file, if any.
    pub(super) id3v1: Option<[u8; 128]>,
}

fn version(major: u8) -> Option<Version> {
    match major {
        2 => Some(Version::Id3v22),
        3 => Some(Version::Id3v23),
        4 => Some(Version::Id3v24),
        _ => None,
    }
}

/// Reads the tags at the start of the file and the ID3v1 tag at its end.
///
/// # Errors
/// When the file cannot be read; a damaged tag is reported in [`Existing::problem`].
pub(super) fn read_existing(file: &mut File, len: u64) -> io::Result<Existing> {
    let leading = locate::leading_tags(file, len)?;
    let mut existing = Existing {
        tag: None,
        carried: Vec::new(),
        count: leading.id3v2.len(),
        version: None,
        region_len: leading.id3v2_end,
        problem: None,
        id3v1: None,
    };
    // The first problem found is the one reported; a later tag's names where it is.
    let problem = |existing: &mut Existing, offset: u64, detail: String| {
        if existing.problem.is_none() {
            existing.problem = Some(if offset == 0 {
                detail
            } else {
                format!("the tag at byte {offset}: {detail}")
            });
        }
    };
    for span in &leading.id3v2 {
        let bytes = span_bytes(file, span)?;
        let (tag, detail) = parse(&bytes, span.offset);
        if let Some(detail) = detail {
            problem(&mut existing, span.offset, detail);
        }
        if span.offset == 0 {
            existing.version = version(span.major);
            existing.tag = tag;
        } else if let Some(later) = tag {
            carry(existing.tag.as_ref(), &mut existing.carried, &later);
        }
    }
    match leading.stop {
        Some(Stop::BadHeader { offset, major }) => {
            if offset == 0 {
                existing.version = version(major);
            }
            problem(
                &mut existing,
                offset,
                format!(
                    "its header is not valid (version 2.{major}, or a size that is not syncsafe)"
                ),
            );
            // From the header itself, as the probe's frame walk reads it: the audio may start inside a
            // damaged header's ten bytes (found by fuzzing: a frame at byte 7 was cut off, and the tagged
            // file no longer held any audio).
            existing.region_len = locate::audio_after_damaged_tag(file, offset, len)?;
        }
        Some(Stop::Id3v2PastEnd {
            offset,
            len: total,
            major,
        }) => {
            if offset == 0 {
                existing.version = version(major);
            }
            problem(
                &mut existing,
                offset,
                format!("its size field says {total} bytes, but the file has only {len}"),
            );
            existing.region_len = locate::audio_after_damaged_tag(file, offset, len)?;
        }
        // An APEv2 tag is not castkit's to judge: it is copied as it is, with the audio.
        Some(Stop::ApePastEnd { .. }) | None => {}
    }
    let trailing = locate::trailing_tags(file, len, existing.region_len)?;
    if let Some(at) = trailing.id3v1.filter(|&at| at + 128 == len) {
        let mut v1 = [0u8; 128];
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut v1)?;
        existing.id3v1 = Some(v1);
    }
    Ok(existing)
}

/// Parses one tag's bytes and checks them against a walk of its frame headers: returns the tag (what could be
/// read) and why it cannot be trusted, if it cannot.
fn parse(bytes: &[u8], offset: u64) -> (Option<id3::Tag>, Option<String>) {
    let raw = raw_frames(bytes, offset);
    match id3::Tag::read_from2(io::Cursor::new(bytes)) {
        Ok(tag) => {
            let parsed = tag.frames().count();
            let problem = match raw {
                Err(detail) => Some(detail),
                Ok(n) if n != parsed => Some(format!(
                    "it holds {n} frames, but only {parsed} could be read (duplicates or frames the reader does not understand)"
                )),
                Ok(_) => None,
            };
            (Some(tag), problem)
        }
        Err(e) => {
            let problem = match raw {
                Err(detail) => detail,
                Ok(_) => e.description.clone(),
            };
            (e.partial_tag, Some(problem))
        }
    }
}

/// Adds to `carried` the frames of a later tag that neither the first tag nor an earlier carried frame has,
/// by the id3 crate's own rule for which frames conflict (the same id, and for COMM, TXXX, APIC… the same
/// description, language or type).
fn carry(first: Option<&id3::Tag>, carried: &mut Vec<Frame>, later: &id3::Tag) {
    for frame in later.frames() {
        // The text encoding is not part of a frame's identity here.
        let mut same = id3::Tag::new();
        for kept in first
            .into_iter()
            .flat_map(id3::Tag::frames)
            .chain(carried.iter())
            .filter(|kept| kept.id() == frame.id())
        {
            same.frames_vec_mut().push(kept.clone().set_encoding(None));
        }
        if same.add_frame(frame.clone().set_encoding(None)).is_none() {
            carried.push(frame.clone());
        }
    }
}

/// Walks the frame headers of a whole tag (header included) and counts the frames, checking that every
/// frame id is well formed, every frame fits, and the padding after the last frame is all zero bytes.
/// Positions in the messages are bytes in the file: the tag starts at `offset`.
fn raw_frames(tag: &[u8], offset: u64) -> Result<usize, String> {
    let major = tag[3];
    let flags = tag[5];
    let size = locate::syncsafe(&tag[6..10]).unwrap_or(0) as usize;
    let mut body: Vec<u8> = tag[10..(10 + size).min(tag.len())].to_vec();
    if flags & 0x80 != 0 && major < 4 {
        // Whole-tag unsynchronisation (ID3v2.2/2.3): 0xFF 0x00 stands for 0xFF.
        let mut out = Vec::with_capacity(body.len());
        let mut rest = &body[..];
        while let Some(i) = memchr::memmem::find(rest, b"\xFF\x00") {
            out.extend_from_slice(&rest[..=i]);
            rest = &rest[i + 2..];
        }
        out.extend_from_slice(rest);
        body = out;
    }
    let mut pos = 0usize;
    if flags & 0x40 != 0 && major >= 3 {
        let b = body.get(..4).ok_or("its extended header is cut off")?;
        pos = if major == 3 {
            4 + u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
        } else {
            locate::syncsafe(b).ok_or("its extended header size is not syncsafe")? as usize
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
                offset + 10 + pos as u64,
                String::from_utf8_lossy(id).escape_debug()
            ));
        }
        let s = &body[pos + id_len..pos + id_len + if major == 2 { 3 } else { 4 }];
        let frame_size = match major {
            2 => (usize::from(s[0]) << 16) | (usize::from(s[1]) << 8) | usize::from(s[2]),
            3 => u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize,
            _ => locate::syncsafe(s).ok_or_else(|| {
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
                offset + 10 + pos as u64
            ));
        }
        count += 1;
        pos += header_len + frame_size;
    }
    if body[pos.min(body.len())..].iter().any(|&b| b != 0) {
        return Err(format!(
            "the padding after the last frame, at byte {}, is not empty: frames there cannot be read",
            offset + 10 + pos as u64
        ));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::v23_date;

    #[test]
    fn an_id3v23_date_is_tyer_tdat_and_time_together() {
        assert_eq!(v23_date("2022", Some("2811"), None), "2022-11-28");
        assert_eq!(
            v23_date("2022", Some("2811"), Some("0930")),
            "2022-11-28T09:30"
        );
        assert_eq!(v23_date("2022", None, None), "2022");
        assert_eq!(
            v23_date("2022", None, Some("0930")),
            "2022",
            "a time with no day"
        );
        assert_eq!(v23_date("2022", Some("3102"), None), "2022", "31 February");
        assert_eq!(
            v23_date("2022", Some("2811"), Some("2561")),
            "2022-11-28",
            "25:61"
        );
        assert_eq!(v23_date("2022", Some("28/11"), None), "2022");
        assert_eq!(v23_date("22", Some("2811"), None), "22");
    }
}
