//! Frames carried over into the version castkit writes, each converted the way that version defines it
//! (<https://id3.org/id3v2.3.0>, <https://id3.org/id3v2.4.0-changes>), so that no reader finds a frame its
//! version does not have (eyeD3 drops an RVA2 in an ID3v2.3 tag with "Invalid frame version").
//!
//! | ID3v2.4 | ID3v2.3 | how |
//! | --- | --- | --- |
//! | TDRC | TYER + TDAT + TIME | split and joined back; seconds have no place in ID3v2.3 (reported) |
//! | TDOR | TORY (+ XDOR) | the year; XDOR, the full date, when there is more than a year (MusicBrainz Picard's frame, which eyeD3 and TagLib know); back from XDOR when it is there |
//! | TIPL + TMCL | IPLS | one list in ID3v2.3; IPLS becomes TIPL |
//! | TSOA, TSOP, TSOT | XSOA, XSOP, XSOT | the same text under the experimental ids Picard, eyeD3 and TagLib use in ID3v2.3 |
//! | RVA2, EQU2 | RVAD, EQUA | dropped both ways: RVA2 and EQU2 give decibels, while ID3v2.3 defines no unit for RVAD's and EQUA's values, so no conversion is exact |
//! | TDRL, TDEN, TDTG, TMOO, TPRO, TSST, ASPI, SEEK, SIGN | — | dropped: ID3v2.3 has nothing like them |
//! | — | TRDA, TSIZ | dropped: free-form recording dates have no ID3v2.4 frame (TDRC holds the episode's date, from the catalogue), and TSIZ, the audio's size, was removed |
//!
//! Text: ID3v2.3 allows Latin-1 and UTF-16 with a byte-order mark only. The id3 crate writes a frame in the
//! encoding it was read in when it remembers one (TXXX, GEOB: UTF-8 read from an ID3v2.4 tag stayed UTF-8),
//! so such frames are re-encoded as UTF-16; USER (terms of use) is re-encoded by castkit, OWNE and COMR in
//! UTF-8 are dropped (castkit does not rewrite their prices and dates). The same rules apply inside CHAP and
//! CTOC frames. Every frame dropped, converted or re-encoded is a [`Note`]: `--dry-run` lists it with why.
//!
//! The rules are those of the target version whatever the source, so a tag that already claimed ID3v2.3 but
//! held ID3v2.4 frames comes out valid too.

use id3::frame::{
    Chapter, InvolvedPeopleList, InvolvedPeopleListItem, Popularimeter, TableOfContents, Unknown,
};
use id3::{Content, Encoding, Frame, Timestamp, Version};

use super::diff::summary;
use super::frames::popm_bytes;
use super::read::v23_date;

/// A carried-over frame that could not be kept as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Note {
    /// The frame as the change list names it: `TMOO`, or `CHAP chp0 TMOO` inside a chapter.
    pub(super) frame: String,
    /// What the frame said.
    pub(super) value: String,
    /// What became of it, and why.
    pub(super) what: String,
}

/// Frames the target version has in another form, converted together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// TDRC ↔ TYER + TDAT + TIME.
    Date,
    /// TDOR ↔ TORY (+ XDOR).
    OriginalDate,
    /// TIPL + TMCL ↔ IPLS.
    People,
}

fn group(id: &str, target: Version) -> Option<Group> {
    match (target, id) {
        (Version::Id3v24, "TYER" | "TDAT" | "TIME") | (Version::Id3v23, "TDRC") => {
            Some(Group::Date)
        }
        (Version::Id3v24, "TORY" | "XDOR") | (Version::Id3v23, "TDOR") => Some(Group::OriginalDate),
        (Version::Id3v24, "IPLS") | (Version::Id3v23, "TIPL" | "TMCL") => Some(Group::People),
        _ => None,
    }
}

/// Why a frame has no equivalent in `target`, if it has none.
fn no_equivalent(id: &str, target: Version) -> Option<&'static str> {
    Some(match (target, id) {
        (Version::Id3v23, "RVA2") => {
            "RVA2 gives decibels, ID3v2.3's RVAD values of no defined unit: no exact conversion (replay-gain tools can measure the file again)"
        }
        (Version::Id3v23, "EQU2") => {
            "EQU2 gives decibels, ID3v2.3's EQUA values of no defined unit: no exact conversion"
        }
        (Version::Id3v24, "RVAD") => {
            "ID3v2.3 defines no unit for RVAD's values, and ID3v2.4's RVA2 needs decibels: no exact conversion (replay-gain tools can measure the file again)"
        }
        (Version::Id3v24, "EQUA") => {
            "ID3v2.3 defines no unit for EQUA's values, and ID3v2.4's EQU2 needs decibels: no exact conversion"
        }
        (Version::Id3v23, "TDRL") => {
            "ID3v2.3 has no release time (its TYER and TDAT are the date castkit writes from the catalogue)"
        }
        (Version::Id3v23, "TDEN") => "ID3v2.3 has no encoding time",
        (Version::Id3v23, "TDTG") => "ID3v2.3 has no tagging time",
        (Version::Id3v23, "TMOO") => "ID3v2.3 has no mood frame",
        (Version::Id3v23, "TPRO") => "ID3v2.3 has no produced notice",
        (Version::Id3v23, "TSST") => "ID3v2.3 has no set subtitle",
        (Version::Id3v23, "ASPI") => "ID3v2.3 has no audio seek point index",
        (Version::Id3v23, "SEEK") => "ID3v2.3 has no seek frame",
        (Version::Id3v23, "SIGN") => "ID3v2.3 has no signature frame",
        (Version::Id3v24, "TRDA") => {
            "ID3v2.4 has no free-form recording dates (its TDRC is the date castkit writes from the catalogue)"
        }
        (Version::Id3v24, "TSIZ") => {
            "ID3v2.4 removed TSIZ (the audio's size, which the file itself gives)"
        }
        _ => return None,
    })
}

/// The id a frame has in `target` when only its name differs.
fn renamed(id: &str, target: Version) -> &str {
    match (target, id) {
        (Version::Id3v23, "TSOA") => "XSOA",
        (Version::Id3v23, "TSOP") => "XSOP",
        (Version::Id3v23, "TSOT") => "XSOT",
        (Version::Id3v24, "XSOA") => "TSOA",
        (Version::Id3v24, "XSOP") => "TSOP",
        (Version::Id3v24, "XSOT") => "TSOT",
        (_, other) => other,
    }
}

fn version_name(v: Version) -> &'static str {
    match v {
        Version::Id3v22 => "ID3v2.2",
        Version::Id3v23 => "ID3v2.3",
        Version::Id3v24 => "ID3v2.4",
    }
}

/// Converts `frames` (a tag's, or a chapter's sub-frames) to `target`. `context` prefixes the names in the
/// notes (`CHAP chp0 `).
pub(super) fn convert_frames(
    frames: &[Frame],
    target: Version,
    context: &str,
    notes: &mut Vec<Note>,
) -> Vec<Frame> {
    let mut out = Vec::with_capacity(frames.len());
    let mut converted: Vec<Group> = Vec::new();
    for frame in frames {
        let Some(g) = group(frame.id(), target) else {
            out.extend(convert_one(frame, target, context, notes));
            continue;
        };
        if converted.contains(&g) {
            continue;
        }
        converted.push(g);
        let mut note = |frame: &Frame, what: String| {
            notes.push(Note {
                frame: format!("{context}{}", frame.id()),
                value: summary(frame),
                what,
            });
        };
        let made = match g {
            Group::Date => dates(frames, target, &mut note),
            Group::OriginalDate => original_dates(frames, target, &mut note),
            Group::People => people(frames, target, &mut note),
        };
        out.extend(made);
    }
    out
}

/// The first frame `id` in `frames`, as text.
fn text_of(frames: &[Frame], id: &str) -> Option<String> {
    frames.iter().find(|f| f.id() == id).and_then(text_value)
}

/// A text frame's text: a decoded one (`T…`), or an experimental `X…` one, which the id3 crate leaves
/// undecoded.
fn text_value(frame: &Frame) -> Option<String> {
    match frame.content() {
        Content::Text(t) => Some(t.clone()),
        Content::Unknown(u) => experimental_text(&u.data),
        _ => None,
    }
}

/// The text of a text frame's bytes (encoding byte, then the text), as ID3 defines them; `None` when they
/// do not decode.
pub(super) fn experimental_text(data: &[u8]) -> Option<String> {
    let (&encoding, body) = data.split_first()?;
    let utf16 = |body: &[u8], little: bool| {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    let text = match encoding {
        0 => body.iter().map(|&b| char::from(b)).collect(),
        1 => match body {
            [0xFF, 0xFE, rest @ ..] => utf16(rest, true)?,
            [0xFE, 0xFF, rest @ ..] => utf16(rest, false)?,
            _ => return None,
        },
        2 => utf16(body, false)?,
        3 => String::from_utf8(body.to_vec()).ok()?,
        _ => return None,
    };
    Some(text.trim_end_matches('\0').to_owned())
}

/// An experimental text frame (`XSOA`, `XDOR`): the id3 crate writes text content only under `T…` ids, so
/// it is built as the bytes of a text frame: Latin-1 when the text fits, else UTF-16 with a byte-order mark
/// (both allowed in every version).
fn experimental_frame(id: &str, text: &str, version: Version) -> Frame {
    let data = if text.chars().all(|c| u32::from(c) < 0x100) {
        std::iter::once(0)
            .chain(text.chars().map(|c| c as u8))
            .collect()
    } else {
        let mut data = vec![1, 0xFF, 0xFE];
        for unit in text.encode_utf16() {
            data.extend_from_slice(&unit.to_le_bytes());
        }
        data
    };
    Frame::with_content(id, Content::Unknown(Unknown { data, version }))
}

fn has(frames: &[Frame], id: &str) -> bool {
    frames.iter().any(|f| f.id() == id)
}

/// What a group of source frames became, for their notes: `TYER `2022` and TDAT `2811``.
fn became(target: Version, made: &[Frame]) -> String {
    let parts: Vec<String> = made
        .iter()
        .map(|f| format!("{} {}", f.id(), summary(f)))
        .collect();
    format!("in {}: {}", version_name(target), parts.join(", "))
}

/// TDRC → TYER + TDAT + TIME (ID3v2.3), or TYER + TDAT + TIME → TDRC (ID3v2.4).
fn dates(frames: &[Frame], target: Version, note: &mut impl FnMut(&Frame, String)) -> Vec<Frame> {
    let sources: Vec<&Frame> = frames
        .iter()
        .filter(|f| group(f.id(), target) == Some(Group::Date))
        .collect();
    let mut made = Vec::new();
    let mut lost = None;
    match target {
        Version::Id3v24 => {
            if has(frames, "TDRC") {
                lost = Some("a TDRC is already there".to_owned());
            } else if let Some(year) = text_of(frames, "TYER") {
                let day = text_of(frames, "TDAT");
                let time = text_of(frames, "TIME");
                let date = v23_date(&year, day.as_deref(), time.as_deref());
                if (day.is_some() && !date.contains('-')) || (time.is_some() && !date.contains('T'))
                {
                    lost = Some(format!(
                        "only `{date}` makes a valid date; the rest is dropped"
                    ));
                }
                made.push(Frame::text("TDRC", date));
            } else {
                lost = Some("there is no TYER to give the year".to_owned());
            }
        }
        _ => {
            let value = text_of(frames, "TDRC").unwrap_or_default();
            match value.trim().parse::<Timestamp>() {
                Ok(t) if (0..=9999).contains(&t.year) => {
                    if !has(frames, "TYER") {
                        made.push(Frame::text("TYER", format!("{:04}", t.year)));
                    }
                    if let (Some(m), Some(d)) = (t.month, t.day) {
                        if !has(frames, "TDAT") {
                            made.push(Frame::text("TDAT", format!("{d:02}{m:02}")));
                        }
                        if let (Some(h), Some(min)) = (t.hour, t.minute)
                            && !has(frames, "TIME")
                        {
                            made.push(Frame::text("TIME", format!("{h:02}{min:02}")));
                        }
                    }
                    if t.second.is_some() {
                        lost = Some("its seconds have no place in ID3v2.3's TIME".to_owned());
                    } else if t.month.is_some() && t.day.is_none() {
                        lost = Some("a month without a day has no place in ID3v2.3".to_owned());
                    }
                }
                _ => lost = Some(format!("`{value}` is not an ID3v2.4 timestamp")),
            }
        }
    }
    for (i, source) in sources.iter().enumerate() {
        let what = match (&lost, made.is_empty()) {
            (Some(why), true) => format!("dropped: {why}"),
            (Some(why), false) if i == 0 => format!("{}; {why}", became(target, &made)),
            _ => became(target, &made),
        };
        note(source, what);
    }
    made
}

/// TDOR → TORY (+ XDOR) (ID3v2.3), or XDOR / TORY → TDOR (ID3v2.4).
fn original_dates(
    frames: &[Frame],
    target: Version,
    note: &mut impl FnMut(&Frame, String),
) -> Vec<Frame> {
    let sources: Vec<&Frame> = frames
        .iter()
        .filter(|f| group(f.id(), target) == Some(Group::OriginalDate))
        .collect();
    let mut made = Vec::new();
    let mut why_not = None;
    match target {
        Version::Id3v24 => {
            let full = text_of(frames, "XDOR").filter(|x| x.trim().parse::<Timestamp>().is_ok());
            let year = text_of(frames, "TORY")
                .filter(|y| y.trim().len() == 4 && y.trim().bytes().all(|b| b.is_ascii_digit()));
            if has(frames, "TDOR") {
                why_not = Some("a TDOR is already there");
            } else if let Some(date) = full.or(year) {
                made.push(Frame::text("TDOR", date.trim()));
            } else {
                why_not = Some("it is not a year or a date");
            }
        }
        _ => {
            let value = text_of(frames, "TDOR").unwrap_or_default();
            let value = value.trim();
            match value.parse::<Timestamp>() {
                Ok(t) if (0..=9999).contains(&t.year) && !has(frames, "TORY") => {
                    made.push(Frame::text("TORY", format!("{:04}", t.year)));
                    if t.month.is_some() && !has(frames, "XDOR") {
                        made.push(experimental_frame("XDOR", value, target));
                    }
                }
                Ok(_) if has(frames, "TORY") => why_not = Some("a TORY is already there"),
                _ => why_not = Some("it is not an ID3v2.4 timestamp"),
            }
        }
    }
    for source in sources {
        let what = match why_not {
            Some(why) => format!("dropped: {why}"),
            None => became(target, &made),
        };
        note(source, what);
    }
    made
}

/// TIPL + TMCL → IPLS (ID3v2.3), or IPLS → TIPL (ID3v2.4).
fn people(frames: &[Frame], target: Version, note: &mut impl FnMut(&Frame, String)) -> Vec<Frame> {
    let sources: Vec<&Frame> = frames
        .iter()
        .filter(|f| group(f.id(), target) == Some(Group::People))
        .collect();
    let id = if target == Version::Id3v24 {
        "TIPL"
    } else {
        "IPLS"
    };
    if has(frames, id) {
        for source in sources {
            note(source, format!("dropped: an {id} is already there"));
        }
        return Vec::new();
    }
    let items: Vec<InvolvedPeopleListItem> = sources
        .iter()
        .flat_map(|f| match f.content() {
            Content::InvolvedPeopleList(l) => l.items.clone(),
            _ => Vec::new(),
        })
        .collect();
    let made = vec![Frame::with_content(
        id,
        Content::InvolvedPeopleList(InvolvedPeopleList { items }),
    )];
    for source in sources {
        note(source, became(target, &made));
    }
    made
}

/// One frame in `target`, or `None` (with a note) when it has no equivalent there.
fn convert_one(
    frame: &Frame,
    target: Version,
    context: &str,
    notes: &mut Vec<Note>,
) -> Option<Frame> {
    let id = frame.id();
    let mut note = |what: String| {
        notes.push(Note {
            frame: format!("{context}{id}"),
            value: summary(frame),
            what,
        });
    };
    // A damaged tag read with `--force` can hold frames whose id is no id at all (`junk`): written out
    // again, they would make castkit's own tag one that every reader, castkit included, calls damaged.
    if !(id.len() == 4
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        note(format!(
            "dropped: `{id}` is not a frame id (an ID3v2 frame id is four of A–Z and 0–9)"
        ));
        return None;
    }
    if frame.id_for_version(target).is_none() {
        note(format!(
            "dropped: `{id}` is not a frame id of {}",
            version_name(target)
        ));
        return None;
    }
    if let Some(why) = no_equivalent(id, target) {
        note(format!("dropped: {why}"));
        return None;
    }
    let new_id = renamed(id, target);
    if new_id != id {
        note(format!("in {}: {new_id}", version_name(target)));
    }
    let content = match frame.content() {
        // Sort orders under experimental ids in ID3v2.3 (undecoded by the id3 crate), `T…` in ID3v2.4.
        Content::Text(t) if new_id.starts_with('X') => {
            experimental_frame(new_id, t, target).content().clone()
        }
        Content::Unknown(u) if new_id != id && new_id.starts_with('T') => {
            match experimental_text(&u.data) {
                Some(t) => Content::Text(t),
                None => {
                    notes.push(Note {
                        frame: format!("{context}{id}"),
                        value: summary(frame),
                        what: "dropped: its text does not decode".to_owned(),
                    });
                    return None;
                }
            }
        }
        // The id3 crate's encoder would shorten the play counter below the 32 bits ID3 requires.
        Content::Popularimeter(p) => popm(p, target),
        Content::Chapter(c) => {
            let context = format!("{context}CHAP {} ", c.element_id);
            Content::Chapter(Chapter {
                frames: convert_frames(&c.frames, target, &context, notes),
                ..c.clone()
            })
        }
        Content::TableOfContents(t) => {
            let context = format!("{context}CTOC {} ", t.element_id);
            Content::TableOfContents(TableOfContents {
                frames: convert_frames(&t.frames, target, &context, notes),
                ..t.clone()
            })
        }
        Content::Unknown(u)
            if target == Version::Id3v23 && matches!(u.data.first(), Some(2 | 3)) =>
        {
            match (id, reencode_terms_of_use(&u.data)) {
                ("USER", Some(data)) => {
                    notes.push(Note {
                        frame: format!("{context}{id}"),
                        value: summary(frame),
                        what: "re-encoded in UTF-16: ID3v2.3 allows only Latin-1 and UTF-16"
                            .to_owned(),
                    });
                    Content::Unknown(Unknown {
                        data,
                        version: target,
                    })
                }
                ("USER" | "OWNE" | "COMR", _) => {
                    notes.push(Note {
                        frame: format!("{context}{id}"),
                        value: summary(frame),
                        what: "dropped: its text is UTF-8 or UTF-16BE, which ID3v2.3 does not allow, and castkit does not rewrite this frame".to_owned(),
                    });
                    return None;
                }
                _ => frame.content().clone(),
            }
        }
        other => other.clone(),
    };
    let encoding = match (target, frame.encoding()) {
        (Version::Id3v23, Some(e @ (Encoding::UTF8 | Encoding::UTF16BE))) => {
            notes.push(Note {
                frame: format!("{context}{new_id}"),
                value: summary(frame),
                what: format!(
                    "re-encoded from {} to UTF-16: ID3v2.3 allows only Latin-1 and UTF-16",
                    if e == Encoding::UTF8 {
                        "UTF-8"
                    } else {
                        "UTF-16BE"
                    }
                ),
            });
            Some(Encoding::UTF16)
        }
        (_, e) => e,
    };
    let mut out = Frame::with_content(new_id, content).set_encoding(encoding);
    out.set_tag_alter_preservation(frame.tag_alter_preservation());
    out.set_file_alter_preservation(frame.file_alter_preservation());
    Some(out)
}

/// A POPM as raw bytes with its counter in at least 32 bits ([`popm_bytes`]).
fn popm(p: &Popularimeter, target: Version) -> Content {
    Content::Unknown(Unknown {
        data: popm_bytes(p),
        version: target,
    })
}

/// A USER frame (encoding, language, text) in UTF-8 or UTF-16BE, re-encoded in UTF-16 with a byte-order
/// mark; `None` when its text does not decode.
fn reencode_terms_of_use(data: &[u8]) -> Option<Vec<u8>> {
    let (&encoding, rest) = data.split_first()?;
    let lang = rest.get(..3)?;
    let body = &rest[3..];
    let text = match encoding {
        3 => String::from_utf8(body.to_vec()).ok()?,
        2 => {
            let units: Vec<u16> = body
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()?
        }
        _ => return None,
    };
    let mut out = vec![1];
    out.extend_from_slice(lang);
    out.extend_from_slice(&[0xFF, 0xFE]);
    for unit in text.trim_end_matches('\0').encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use id3::frame::ExtendedText;

    use super::*;

    fn convert(frames: &[Frame], target: Version) -> (Vec<Frame>, Vec<Note>) {
        let mut notes = Vec::new();
        let out = convert_frames(frames, target, "", &mut notes);
        (out, notes)
    }

    fn texts(frames: &[Frame]) -> Vec<(String, String)> {
        frames
            .iter()
            .map(|f| (f.id().to_owned(), text_value(f).unwrap_or_default()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn tdrc_splits_into_tyer_tdat_time_and_joins_back() {
        let v24 = [Frame::text("TDRC", "2022-11-28T09:30")];
        let (v23, notes) = convert(&v24, Version::Id3v23);
        assert_eq!(
            texts(&v23),
            pairs(&[("TYER", "2022"), ("TDAT", "2811"), ("TIME", "0930")])
        );
        assert_eq!(notes[0].what, "in ID3v2.3: TYER 2022, TDAT 2811, TIME 0930");
        let (back, notes) = convert(&v23, Version::Id3v24);
        assert_eq!(texts(&back), pairs(&[("TDRC", "2022-11-28T09:30")]));
        assert_eq!(notes.len(), 3, "each of TYER, TDAT and TIME is named");
        // What ID3v2.3 cannot hold is said.
        let (_, notes) = convert(
            &[Frame::text("TDRC", "2022-11-28T09:30:15")],
            Version::Id3v23,
        );
        assert!(
            notes[0]
                .what
                .ends_with("its seconds have no place in ID3v2.3's TIME")
        );
        let (out, notes) = convert(&[Frame::text("TDRC", "yesterday")], Version::Id3v23);
        assert!(out.is_empty());
        assert_eq!(
            notes[0].what,
            "dropped: `yesterday` is not an ID3v2.4 timestamp"
        );
        let (out, notes) = convert(
            &[Frame::text("TYER", "2022"), Frame::text("TDAT", "3102")],
            Version::Id3v24,
        );
        assert_eq!(texts(&out), pairs(&[("TDRC", "2022")]));
        assert!(notes[0].what.contains("only `2022` makes a valid date"));
    }

    #[test]
    fn tdor_is_tory_with_xdor_for_the_full_date_and_back() {
        let (v23, notes) = convert(&[Frame::text("TDOR", "2019-03-05")], Version::Id3v23);
        assert_eq!(
            texts(&v23),
            pairs(&[("TORY", "2019"), ("XDOR", "2019-03-05")])
        );
        assert_eq!(notes[0].what, "in ID3v2.3: TORY 2019, XDOR 2019-03-05");
        let (back, _) = convert(&v23, Version::Id3v24);
        assert_eq!(texts(&back), pairs(&[("TDOR", "2019-03-05")]));
        let (v23, _) = convert(&[Frame::text("TDOR", "2019")], Version::Id3v23);
        assert_eq!(texts(&v23), pairs(&[("TORY", "2019")]));
        let (out, notes) = convert(
            &[Frame::text("TORY", "2019"), Frame::text("TDOR", "2018")],
            Version::Id3v24,
        );
        assert_eq!(texts(&out), pairs(&[("TDOR", "2018")]));
        assert_eq!(notes[0].what, "dropped: a TDOR is already there");
    }

    #[test]
    fn people_lists_merge_into_ipls_and_split_back_as_tipl() {
        let list = |id: &str, who: &str| {
            Frame::with_content(
                id,
                Content::InvolvedPeopleList(InvolvedPeopleList {
                    items: vec![InvolvedPeopleListItem {
                        involvement: "role".to_owned(),
                        involvee: who.to_owned(),
                    }],
                }),
            )
        };
        let (v23, _) = convert(&[list("TIPL", "Ann"), list("TMCL", "Bob")], Version::Id3v23);
        assert_eq!(v23.len(), 1);
        assert_eq!(v23[0].id(), "IPLS");
        let Content::InvolvedPeopleList(l) = v23[0].content() else {
            panic!()
        };
        assert_eq!(l.items.len(), 2);
        let (v24, _) = convert(&v23, Version::Id3v24);
        assert_eq!(v24[0].id(), "TIPL");
    }

    #[test]
    fn frames_without_an_equivalent_are_dropped_with_the_reason() {
        let unknown = |id: &str| {
            Frame::with_content(
                id,
                Content::Unknown(Unknown {
                    data: vec![1, 2, 3],
                    version: Version::Id3v24,
                }),
            )
        };
        let (out, notes) = convert(
            &[
                Frame::text("TMOO", "Calm"),
                unknown("RVA2"),
                Frame::text("TCOM", "kept"),
            ],
            Version::Id3v23,
        );
        assert_eq!(texts(&out), pairs(&[("TCOM", "kept")]));
        let named: Vec<&str> = notes.iter().map(|n| n.frame.as_str()).collect();
        assert_eq!(named, ["TMOO", "RVA2"]);
        assert!(notes.iter().all(|n| n.what.starts_with("dropped: ")));
        let (out, notes) = convert(
            &[
                Frame::text("TSIZ", "1"),
                Frame::text("TRDA", "x"),
                unknown("RVAD"),
            ],
            Version::Id3v24,
        );
        assert!(out.is_empty());
        assert_eq!(notes.len(), 3);
        // The same frames in their own version are kept as they are.
        let (out, notes) = convert(&[Frame::text("TMOO", "Calm")], Version::Id3v24);
        assert_eq!((out.len(), notes.len()), (1, 0));
    }

    #[test]
    fn utf8_text_is_re_encoded_for_id3v23_also_inside_chapters() {
        let txxx = Frame::with_content(
            "TXXX",
            Content::ExtendedText(ExtendedText {
                description: "d".to_owned(),
                value: "ü".to_owned(),
            }),
        )
        .set_encoding(Some(Encoding::UTF8));
        let chapter = Frame::with_content(
            "CHAP",
            Content::Chapter(Chapter {
                element_id: "c1".to_owned(),
                start_time: 0,
                end_time: 1,
                start_offset: u32::MAX,
                end_offset: u32::MAX,
                frames: vec![txxx.clone(), Frame::text("TMOO", "Sad")],
            }),
        );
        let (out, notes) = convert(&[txxx, chapter], Version::Id3v23);
        assert_eq!(out[0].encoding(), Some(Encoding::UTF16));
        let Content::Chapter(c) = out[1].content() else {
            panic!()
        };
        assert_eq!(c.frames.len(), 1, "TMOO is dropped inside the chapter");
        assert_eq!(c.frames[0].encoding(), Some(Encoding::UTF16));
        let named: Vec<&str> = notes.iter().map(|n| n.frame.as_str()).collect();
        assert_eq!(named, ["TXXX", "CHAP c1 TXXX", "CHAP c1 TMOO"]);
        // ID3v2.4 allows UTF-8: nothing to do.
        let utf8 = Frame::with_content(
            "TXXX",
            Content::ExtendedText(ExtendedText {
                description: "d".to_owned(),
                value: "ü".to_owned(),
            }),
        )
        .set_encoding(Some(Encoding::UTF8));
        let (out, notes) = convert(&[utf8], Version::Id3v24);
        assert_eq!((out[0].encoding(), notes.len()), (Some(Encoding::UTF8), 0));
    }

    #[test]
    fn terms_of_use_in_utf8_are_re_encoded_and_sort_orders_renamed() {
        let user = Frame::with_content(
            "USER",
            Content::Unknown(Unknown {
                data: [&[3][..], b"eng", "ü".as_bytes()].concat(),
                version: Version::Id3v24,
            }),
        );
        let (out, _) = convert(&[user], Version::Id3v23);
        let Content::Unknown(u) = out[0].content() else {
            panic!()
        };
        assert_eq!(u.data, [1, b'e', b'n', b'g', 0xFF, 0xFE, 0xFC, 0x00]);
        let (v23, _) = convert(&[Frame::text("TSOA", "Ödön")], Version::Id3v23);
        assert_eq!(v23[0].id(), "XSOA");
        assert_eq!(text_value(&v23[0]).as_deref(), Some("Ödön"));
        let (v24, _) = convert(&v23, Version::Id3v24);
        assert_eq!(texts(&v24), pairs(&[("TSOA", "Ödön")]));
        let cjk = experimental_frame("XSOP", "乡村", Version::Id3v23);
        assert_eq!(
            text_value(&cjk).as_deref(),
            Some("乡村"),
            "UTF-16 with a BOM"
        );
    }

    #[test]
    fn popm_counters_keep_at_least_four_bytes() {
        let popm = |counter| {
            popm_bytes(&Popularimeter {
                user: "a@b".to_owned(),
                rating: 200,
                counter,
            })
        };
        assert_eq!(popm(5), b"a@b\x00\xc8\x00\x00\x00\x05");
        assert_eq!(popm(0), b"a@b\x00\xc8\x00\x00\x00\x00");
        assert_eq!(popm(1 << 32), b"a@b\x00\xc8\x01\x00\x00\x00\x00");
    }
}
