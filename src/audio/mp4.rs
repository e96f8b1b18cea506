//! The presentation length of an MP4/M4A audio track, from its edit list or iTunes gapless data.
//!
//! AAC encoders prepend priming samples (1024 or 2112) and pad the last frame. The sample table (`stts`)
//! counts all of them; the container says which to play, in an edit list (`elst`: skip `media_time`
//! samples, play `segment_duration`) or in iTunes' `iTunSMPB` comment (delay, padding, original length).
//! symphonia 0.6 reports the sample-table total, so castkit reads these itself.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The largest `moov` box castkit reads into memory. Hour-long podcasts have `moov` boxes of a few hundred
/// kilobytes; a larger one is refused rather than allowed to grow memory without bound.
const MAX_MOOV: u64 = 64 << 20;

/// What the container says about playing its first sound track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Presentation {
    /// Samples to skip at the start (encoder priming).
    pub(crate) delay: u64,
    /// Samples to play, when the container states it.
    pub(crate) samples: Option<u64>,
}

/// Reads the edit list (or `iTunSMPB`) of the first sound track. `None` when the file has neither, or its
/// boxes cannot be read (symphonia's own count is then used).
pub(crate) fn presentation(file: &mut File, sample_rate: u32) -> io::Result<Option<Presentation>> {
    let len = file.metadata()?.len();
    let Some(moov) = find_moov(file, len)? else {
        return Ok(None);
    };
    if let Some(p) = itunsmpb(&moov) {
        return Ok(Some(p));
    }
    let movie_timescale = child(&moov, b"mvhd").and_then(timescale);
    for trak in children(&moov, b"trak") {
        let Some(mdia) = child(trak, b"mdia") else {
            continue;
        };
        let is_sound = child(mdia, b"hdlr").is_some_and(|h| h.get(8..12) == Some(b"soun"));
        if !is_sound {
            continue;
        }
        let media_timescale = child(mdia, b"mdhd").and_then(timescale);
        let elst = child(trak, b"edts").and_then(|e| child(e, b"elst"));
        let (Some(elst), Some(movie_ts), Some(media_ts)) = (elst, movie_timescale, media_timescale)
        else {
            return Ok(None);
        };
        let Some((segment, media_time)) = first_edit(elst) else {
            return Ok(None);
        };
        let to_samples = |value: u64, timescale: u32| {
            (u128::from(value) * u128::from(sample_rate) + u128::from(timescale) / 2)
                / u128::from(timescale.max(1))
        };
        return Ok(Some(Presentation {
            delay: to_samples(media_time, media_ts) as u64,
            samples: Some(to_samples(segment, movie_ts) as u64),
        }));
    }
    Ok(None)
}

/// The `moov` box's payload, found by walking the top-level boxes.
fn find_moov(file: &mut File, len: u64) -> io::Result<Option<Vec<u8>>> {
    let mut pos = 0u64;
    while pos + 8 <= len {
        file.seek(SeekFrom::Start(pos))?;
        let mut head = [0u8; 16];
        file.read_exact(&mut head[..8])?;
        let mut size = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let mut header = 8;
        if size == 1 {
            file.read_exact(&mut head[8..16])?;
            size = u64::from_be_bytes([
                head[8], head[9], head[10], head[11], head[12], head[13], head[14], head[15],
            ]);
            header = 16;
        } else if size == 0 {
            size = len - pos;
        }
        if size < header || pos + size > len {
            return Ok(None);
        }
        if &head[4..8] == b"moov" {
            let body = size - header;
            if body > MAX_MOOV {
                return Ok(None);
            }
            let mut buf = vec![0u8; body as usize];
            file.read_exact(&mut buf)?;
            return Ok(Some(buf));
        }
        pos += size;
    }
    Ok(None)
}

/// The boxes directly inside `data`, as (type, payload).
fn boxes(data: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let head = data.get(pos..pos + 8)?;
        let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let (start, end) = match size {
            0 => (pos + 8, data.len()),
            1 => {
                let large = data.get(pos + 8..pos + 16)?;
                let large = u64::from_be_bytes(large.try_into().ok()?) as usize;
                (pos + 16, pos.checked_add(large)?)
            }
            n => (pos + 8, pos.checked_add(n)?),
        };
        if end > data.len() || end < start {
            return None;
        }
        let kind = &data[pos + 4..pos + 8];
        pos = end;
        Some((kind, &data[start..end]))
    })
}

fn children<'a>(data: &'a [u8], kind: &'a [u8; 4]) -> impl Iterator<Item = &'a [u8]> + 'a {
    boxes(data).filter(move |(k, _)| k == kind).map(|(_, b)| b)
}

fn child<'a>(data: &'a [u8], kind: &'a [u8; 4]) -> Option<&'a [u8]> {
    children(data, kind).next()
}

/// The timescale of an `mvhd` or `mdhd` box (version 0 or 1).
fn timescale(b: &[u8]) -> Option<u32> {
    let at = if *b.first()? == 1 { 20 } else { 12 };
    let t = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([t[0], t[1], t[2], t[3]]))
}

/// The first edit that plays media (an empty edit, `media_time` −1, is skipped): (duration in the movie's
/// timescale, start in the media's timescale).
fn first_edit(elst: &[u8]) -> Option<(u64, u64)> {
    let version = *elst.first()?;
    let count = u32::from_be_bytes(elst.get(4..8)?.try_into().ok()?) as usize;
    let entry_len = if version == 1 { 20 } else { 12 };
    for i in 0..count.min(64) {
        let e = elst.get(8 + i * entry_len..8 + (i + 1) * entry_len)?;
        let (duration, media_time) = if version == 1 {
            (
                u64::from_be_bytes(e[..8].try_into().ok()?),
                i64::from_be_bytes(e[8..16].try_into().ok()?),
            )
        } else {
            (
                u64::from(u32::from_be_bytes(e[..4].try_into().ok()?)),
                i64::from(i32::from_be_bytes(e[4..8].try_into().ok()?)),
            )
        };
        if media_time >= 0 {
            return Some((duration, media_time as u64));
        }
    }
    None
}

/// iTunes' gapless data: ` 00000000 00000840 000001CA 00000000003F31F6 …` (delay, padding, length, hex).
fn itunsmpb(moov: &[u8]) -> Option<Presentation> {
    let at = memchr::memmem::find(moov, b"iTunSMPB")?;
    let rest = &moov[at..];
    let data = memchr::memmem::find(rest, b"data")?;
    // `data` box: type, then 4 bytes of type indicator and 4 of locale, then the text.
    let text = rest.get(data + 12..)?;
    let text = std::str::from_utf8(&text[..text.len().min(200)]).ok()?;
    let fields: Vec<u64> = text
        .split_whitespace()
        .take(4)
        .map(|f| u64::from_str_radix(f, 16))
        .collect::<Result<_, _>>()
        .ok()?;
    if fields.len() < 4 || fields[3] == 0 {
        return None;
    }
    Some(Presentation {
        delay: fields[1],
        samples: Some(fields[3]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn edit_lists_give_the_played_length() {
        // Version 0: one empty edit (skipped), then play 3000 ms starting at sample 1024.
        let mut elst = vec![0, 0, 0, 0, 0, 0, 0, 2];
        elst.extend_from_slice(&100u32.to_be_bytes());
        elst.extend_from_slice(&(-1i32).to_be_bytes());
        elst.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        elst.extend_from_slice(&3000u32.to_be_bytes());
        elst.extend_from_slice(&1024i32.to_be_bytes());
        elst.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        assert_eq!(first_edit(&elst), Some((3000, 1024)));
        let mdhd = [vec![0u8; 12], 44_100u32.to_be_bytes().to_vec()].concat();
        assert_eq!(timescale(&mdhd), Some(44_100));
        let moov = bx(b"mvhd", &mdhd);
        assert_eq!(child(&moov, b"mvhd").and_then(timescale), Some(44_100));
    }

    #[test]
    fn itunes_gapless_comments_are_read() {
        let mut moov = b"----....mean....com.apple.iTunes....nameiTunSMPB".to_vec();
        moov.extend_from_slice(&bx(
            b"data",
            b"\0\0\0\x01\0\0\0\0 00000000 00000840 000001CA 00000000003F31F6 00000000",
        ));
        assert_eq!(
            itunsmpb(&moov),
            Some(Presentation {
                delay: 0x840,
                samples: Some(0x3F31F6)
            })
        );
    }
}
