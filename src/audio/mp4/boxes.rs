//! Walking ISO base media boxes (ISO/IEC 14496-12 §4.2): the top-level boxes of a file, read from disk one
//! header at a time, and the boxes inside a payload already in memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The largest `moov` box castkit reads into memory. Hour-long podcasts have `moov` boxes of a few hundred
/// kilobytes; a larger one is refused rather than allowed to grow memory without bound.
pub(super) const MAX_MOOV: u64 = 64 << 20;

/// What the top level of the file holds: the `ftyp` brands and the `moov` payload.
#[derive(Debug, Default)]
pub(super) struct TopLevel {
    /// The `ftyp` box's major brand.
    pub(super) major_brand: Option<[u8; 4]>,
    /// The `moov` box's payload.
    pub(super) moov: Option<Vec<u8>>,
}

/// Reads the top-level boxes: the major brand from `ftyp` and the whole `moov` payload (at most
/// [`MAX_MOOV`] bytes; a larger one, or a box that runs past the end of the file, ends the walk).
pub(super) fn top_level(file: &mut File) -> io::Result<TopLevel> {
    let len = file.metadata()?.len();
    let mut found = TopLevel::default();
    let mut pos = 0u64;
    while pos + 8 <= len {
        file.seek(SeekFrom::Start(pos))?;
        let mut head = [0u8; 16];
        file.read_exact(&mut head[..8])?;
        let mut size = u64::from(be_u32(&head[..4]));
        let mut header = 8;
        if size == 1 {
            if pos + 16 > len {
                break;
            }
            file.read_exact(&mut head[8..16])?;
            size = be_u64(&head[8..16]);
            header = 16;
        } else if size == 0 {
            size = len - pos;
        }
        if size < header || pos.saturating_add(size) > len {
            break;
        }
        let body = size - header;
        match &head[4..8] {
            b"ftyp" if body >= 4 => {
                let mut brand = [0u8; 4];
                file.read_exact(&mut brand)?;
                found.major_brand = Some(brand);
            }
            b"moov" => {
                if body > MAX_MOOV {
                    break;
                }
                let mut buf = vec![0u8; body as usize];
                file.read_exact(&mut buf)?;
                found.moov = Some(buf);
                break;
            }
            _ => {}
        }
        pos += size;
    }
    Ok(found)
}

/// The boxes directly inside `data`, as (type, payload). A box that claims more bytes than `data` holds ends
/// the walk.
pub(super) fn boxes(data: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let head = data.get(pos..pos.checked_add(8)?)?;
        let size = be_u32(&head[..4]) as usize;
        let (start, end) = match size {
            0 => (pos + 8, data.len()),
            1 => {
                let large = data.get(pos + 8..pos + 16)?;
                let large = usize::try_from(be_u64(large)).ok()?;
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

/// The payloads of the boxes of type `kind` directly inside `data`.
pub(super) fn children<'a>(
    data: &'a [u8],
    kind: &'a [u8; 4],
) -> impl Iterator<Item = &'a [u8]> + 'a {
    boxes(data).filter(move |(k, _)| k == kind).map(|(_, b)| b)
}

/// The payload of the first box of type `kind` directly inside `data`.
pub(super) fn child<'a>(data: &'a [u8], kind: &'a [u8; 4]) -> Option<&'a [u8]> {
    children(data, kind).next()
}

/// The payload at the end of a path of nested boxes.
pub(super) fn descend<'a>(data: &'a [u8], path: &[&'a [u8; 4]]) -> Option<&'a [u8]> {
    path.iter()
        .try_fold(data, |inside, kind| child(inside, kind))
}

/// A big-endian `u16` at `at`.
pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// A big-endian `u32` at `at`.
pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(be_u32(b.get(at..at + 4)?))
}

/// A big-endian `u64` at `at`.
pub(super) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(be_u64(b.get(at..at + 8)?))
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn be_u64(b: &[u8]) -> u64 {
    u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A box of type `kind` around `payload`.
    pub(in crate::audio::mp4) fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn nested_boxes_are_found_and_overlong_ones_end_the_walk() {
        let inner = bx(b"mdhd", &[1, 2, 3]);
        let outer = [bx(b"free", &[]), bx(b"mdia", &inner)].concat();
        assert_eq!(descend(&outer, &[b"mdia", b"mdhd"]), Some(&[1u8, 2, 3][..]));
        assert_eq!(child(&outer, b"trak"), None);
        // A box claiming 4 GB inside a few bytes.
        let mut broken = bx(b"free", &[]);
        broken.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0, b'm', b'd', b'a', b't', 0]);
        assert_eq!(boxes(&broken).count(), 1);
        // A size smaller than its own header.
        assert_eq!(boxes(&[0, 0, 0, 4, b'f', b'r', b'e', b'e']).count(), 0);
    }
}
