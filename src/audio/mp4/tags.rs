//! The tags of an MP4 file: iTunes-style `ilst` items in `moov/udta/meta` (what iTunes, ffmpeg and mutagen
//! write), classic QuickTime text items directly in `moov/udta` (what ffmpeg writes into a `.mov`), and the
//! chapter count (a QuickTime chapter track named by `tref/chap`, or a Nero `chpl` list).

use super::boxes::{boxes, child, children, descend, u16_at, u32_at};
use crate::audio::TagSummary;

/// The `ilst` box's payload, when the file has one.
pub(super) fn ilst(moov: &[u8]) -> Option<&[u8]> {
    let meta = descend(moov, &[b"udta", b"meta"])?;
    // ISO's `meta` is a full box (4 bytes of version and flags before its children); QuickTime's is not.
    let children = if meta.get(4..8) == Some(b"hdlr") {
        meta
    } else {
        meta.get(4..)?
    };
    child(children, b"ilst")
}

/// The value of an `ilst` item's first `data` box: (type indicator, value bytes).
fn data(item: &[u8]) -> Option<(u32, &[u8])> {
    let data = child(item, b"data")?;
    let kind = u32_at(data, 0)? & 0x00FF_FFFF;
    Some((kind, data.get(8..)?))
}

/// An `ilst` item's value as text (UTF-8, or UTF-16 for type 2), trimmed; `None` when empty.
fn text(item: &[u8]) -> Option<String> {
    let (kind, value) = data(item)?;
    let text = if kind == 2 {
        let units: Vec<u16> = value
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(value).into_owned()
    };
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_owned())
}

/// The value of a freeform (`----`) item by its name (`iTunSMPB`, …), as text.
pub(super) fn freeform(ilst: &[u8], name: &str) -> Option<String> {
    children(ilst, b"----")
        .find(|item| {
            child(item, b"name")
                .and_then(|n| n.get(4..))
                .is_some_and(|n| n == name.as_bytes())
        })
        .and_then(text)
}

/// A track number item (`trkn`): `n`, or `n/total` when the total is stated.
fn track_number(item: &[u8]) -> Option<String> {
    let (_, value) = data(item)?;
    let number = u16_at(value, 2)?;
    let total = u16_at(value, 4).unwrap_or(0);
    match (number, total) {
        (0, _) => None,
        (n, 0) => Some(n.to_string()),
        (n, t) => Some(format!("{n}/{t}")),
    }
}

/// A classic QuickTime text item (`moov/udta/©nam`): 16-bit length, 16-bit language, text.
fn quicktime_text(item: &[u8]) -> Option<String> {
    let len = usize::from(u16_at(item, 0)?);
    let text = String::from_utf8_lossy(item.get(4..4 + len)?);
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_owned())
}

/// The summary field a text item fills, by its atom name: the same names in `ilst` and as QuickTime text
/// items in `udta`.
fn text_slot<'a>(tags: &'a mut TagSummary, kind: &[u8]) -> Option<&'a mut Option<String>> {
    Some(match kind {
        b"\xA9nam" => &mut tags.title,
        b"\xA9ART" => &mut tags.artist,
        b"\xA9alb" => &mut tags.album,
        b"\xA9day" => &mut tags.date,
        b"\xA9gen" => &mut tags.genre,
        b"\xA9cmt" => &mut tags.comment,
        _ => return None,
    })
}

/// The file's own tags. `native` is `mp4` when the file has an `ilst` or QuickTime text items.
pub(super) fn summary(moov: &[u8]) -> TagSummary {
    let mut tags = TagSummary::default();
    if let Some(ilst) = ilst(moov) {
        tags.native = Some("mp4".to_owned());
        for (kind, item) in boxes(ilst) {
            if let Some(slot) = text_slot(&mut tags, kind) {
                if slot.is_none() {
                    *slot = text(item);
                }
                continue;
            }
            match kind {
                b"trkn" => tags.track = tags.track.take().or_else(|| track_number(item)),
                // iTunes' older genre item: an ID3v1 genre number plus one.
                b"gnre" => {
                    let genre = data(item)
                        .and_then(|(_, v)| u16_at(v, 0))
                        .and_then(|n| n.checked_sub(1))
                        .and_then(|n| crate::audio::genres::id3v1(usize::from(n)));
                    tags.genre = tags.genre.take().or(genre.map(str::to_owned));
                }
                b"covr" => tags.has_cover |= data(item).is_some_and(|(_, v)| !v.is_empty()),
                _ => {}
            }
        }
    }
    if let Some(udta) = child(moov, b"udta") {
        for (kind, item) in boxes(udta) {
            let Some(slot) = text_slot(&mut tags, kind) else {
                continue;
            };
            if slot.is_none()
                && let Some(value) = quicktime_text(item)
            {
                *slot = Some(value);
                tags.native = Some("mp4".to_owned());
            }
        }
    }
    tags
}

/// How many chapters the file has: the samples of its QuickTime chapter text track (what Apple's players
/// read), else the entries of a Nero `chpl` list (what older tools write; ffmpeg writes both).
pub(super) fn chapter_count(moov: &[u8]) -> usize {
    let referenced: Vec<u32> = children(moov, b"trak")
        .filter_map(|t| descend(t, &[b"tref", b"chap"]))
        .flat_map(|chap| {
            chap.chunks_exact(4)
                .map(|id| u32::from_be_bytes([id[0], id[1], id[2], id[3]]))
        })
        .collect();
    let from_track = children(moov, b"trak")
        .filter(|t| super::track_id(t).is_some_and(|id| referenced.contains(&id)))
        .filter(|t| matches!(super::handler(t), Some(b"text" | b"sbtl" | b"subt")))
        .filter_map(|t| descend(t, &[b"mdia", b"minf", b"stbl", b"stts"]))
        .map(|stts| super::sample_table(stts).count as usize)
        .max();
    from_track
        .filter(|&n| n > 0)
        .or_else(|| descend(moov, &[b"udta", b"chpl"]).map(nero_chapters))
        .unwrap_or(0)
}

/// The entries of a Nero `chpl` box that are really there: version 1 has 4 reserved bytes before the
/// count; each entry is a 64-bit start, a title length and the title.
fn nero_chapters(chpl: &[u8]) -> usize {
    let count_at = if chpl.first() == Some(&1) { 8 } else { 4 };
    let Some(&count) = chpl.get(count_at) else {
        return 0;
    };
    let mut pos = count_at + 1;
    let mut found = 0;
    for _ in 0..count {
        let Some(&len) = chpl.get(pos + 8) else {
            break;
        };
        let end = pos + 9 + usize::from(len);
        if end > chpl.len() {
            break;
        }
        pos = end;
        found += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::boxes::tests::bx;
    use super::*;

    fn item(kind: &[u8; 4], type_indicator: u32, value: &[u8]) -> Vec<u8> {
        let mut data = type_indicator.to_be_bytes().to_vec();
        data.extend_from_slice(&[0; 4]);
        data.extend_from_slice(value);
        bx(kind, &bx(b"data", &data))
    }

    fn moov_with(ilst_items: &[Vec<u8>]) -> Vec<u8> {
        let hdlr = bx(b"hdlr", &[0; 12]);
        let meta = [vec![0; 4], hdlr, bx(b"ilst", &ilst_items.concat())].concat();
        bx(b"udta", &bx(b"meta", &meta))
    }

    #[test]
    fn ilst_items_fill_the_summary() {
        let moov = moov_with(&[
            item(b"\xA9nam", 1, "Épisode 1".as_bytes()),
            item(b"\xA9ART", 1, b"Artist"),
            item(b"trkn", 0, &[0, 0, 0, 3, 0, 10, 0, 0]),
            item(b"gnre", 0, &[0, 14]),
            item(b"covr", 13, b"\xFF\xD8\xFF"),
            item(b"\xA9cmt", 2, &[0, b'h', 0, b'i']),
        ]);
        let tags = summary(&moov);
        assert_eq!(tags.native.as_deref(), Some("mp4"));
        assert_eq!(tags.title.as_deref(), Some("Épisode 1"));
        assert_eq!(tags.artist.as_deref(), Some("Artist"));
        assert_eq!(tags.track.as_deref(), Some("3/10"));
        assert_eq!(tags.genre.as_deref(), Some("Pop"));
        assert_eq!(tags.comment.as_deref(), Some("hi"));
        assert!(tags.has_cover);
        assert_eq!(tags.album, None);
    }

    #[test]
    fn no_ilst_means_no_native_tags_and_quicktime_text_is_read() {
        assert_eq!(summary(&bx(b"mvhd", &[0; 100])), TagSummary::default());
        let mut text = 5u16.to_be_bytes().to_vec();
        text.extend_from_slice(&[0x15, 0xC7]);
        text.extend_from_slice(b"Title");
        let tags = summary(&bx(b"udta", &bx(b"\xA9nam", &text)));
        assert_eq!(tags.title.as_deref(), Some("Title"));
        assert_eq!(tags.native.as_deref(), Some("mp4"));
    }

    #[test]
    fn nero_chapter_lists_count_only_complete_entries() {
        let mut chpl = vec![1, 0, 0, 0, 0, 0, 0, 0, 3];
        for title in [&b"One"[..], b"Two"] {
            chpl.extend_from_slice(&0u64.to_be_bytes());
            chpl.push(title.len() as u8);
            chpl.extend_from_slice(title);
        }
        // The third entry is cut off.
        chpl.extend_from_slice(&[0, 0, 0]);
        assert_eq!(nero_chapters(&chpl), 2);
        assert_eq!(chapter_count(&bx(b"udta", &bx(b"chpl", &chpl))), 2);
        assert_eq!(nero_chapters(&[]), 0);
    }
}
