//! The ID3v1 tag at the end of a file: 128 bytes, `TAG` then fixed Latin-1 fields. castkit keeps one that is
//! there and updates it to match the catalogue; it never adds one.

use super::EpisodeTags;

/// The ID3v1 tag updated from the catalogue: 30-character Latin-1 fields (other characters become `?`),
/// the genre "Podcast" (Winamp's extension number 186), the track number when it fits.
pub(super) fn id3v1_bytes(old: &[u8; 128], w: &EpisodeTags) -> [u8; 128] {
    let mut out = *old;
    let put = |out: &mut [u8; 128], at: usize, len: usize, value: &str| {
        let field = &mut out[at..at + len];
        field.fill(0);
        for (slot, c) in field.iter_mut().zip(value.chars()) {
            *slot = if (c as u32) < 0x100 { c as u8 } else { b'?' };
        }
    };
    put(&mut out, 3, 30, &w.title);
    put(&mut out, 33, 30, w.artist.as_deref().unwrap_or(""));
    put(&mut out, 63, 30, w.album.as_deref().unwrap_or(""));
    if let Some(date) = w.date {
        put(&mut out, 93, 4, &date.format("%Y").to_string());
    }
    put(&mut out, 97, 28, w.description.as_deref().unwrap_or(""));
    out[125] = 0;
    out[126] = w.track.and_then(|t| u8::try_from(t).ok()).unwrap_or(0);
    out[127] = 186;
    out
}

pub(super) fn id3v1_summary(v1: &[u8; 128]) -> String {
    let field = |at: usize, len: usize| {
        v1[at..at + len]
            .iter()
            .take_while(|&&b| b != 0)
            .map(|&b| b as char)
            .collect::<String>()
            .trim_end()
            .to_owned()
    };
    format!("{} / {} / {}", field(3, 30), field(33, 30), field(63, 30))
}
