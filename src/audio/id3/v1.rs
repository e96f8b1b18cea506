//! The ID3v1 tag at the end of a file: 128 bytes, `TAG` then fixed Latin-1 fields. castkit keeps one that is
//! there and updates it to match the catalogue, transliterating what Latin-1 lacks; it never adds one.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::EpisodeTags;
use crate::audio::genres;

/// The ID3v1 tag updated from the catalogue: 30-byte Latin-1 fields (transliterated: [`latin1`]), the genre
/// "Podcast" (Winamp's extension number 186), the track number when it fits.
pub(super) fn id3v1_bytes(old: &[u8; 128], w: &EpisodeTags) -> [u8; 128] {
    let mut out = *old;
    let put = |out: &mut [u8; 128], at: usize, len: usize, value: &str| {
        let field = &mut out[at..at + len];
        field.fill(0);
        for (slot, b) in field.iter_mut().zip(latin1(value)) {
            *slot = b;
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
    out[127] = genres::PODCAST;
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

/// `text` in Latin-1, the only encoding ID3v1 has, losing as little as it can: the text is composed first
/// (NFC: an `e` followed by a combining accent is `é`, which Latin-1 has); a character outside Latin-1 is
/// then replaced by its usual ASCII stand-in (dashes and the minus sign `-`, curly quotes `"` and `'`, `…`
/// `...`, odd spaces a space, zero-width characters nothing), else by its compatibility decomposition
/// without accents (`ő` → `o`, `ﬁ` → `fi`, `™` → `TM`) when all of that is Latin-1; a few letters that do not
/// decompose have a table (`ł` → `l`, `œ` → `oe`). Only what is left becomes `?` (CJK, emoji).
pub(super) fn latin1(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.nfc() {
        if u32::from(c) < 0x100 && c != '\u{A0}' {
            out.push(c as u8);
            continue;
        }
        if let Some(stand_in) = stand_in(c) {
            out.extend_from_slice(stand_in.as_bytes());
            continue;
        }
        if is_combining_mark(c) {
            // A mark that composes with nothing in Latin-1: the letter before it stands alone.
            continue;
        }
        let base: String = std::iter::once(c)
            .nfkd()
            .filter(|&d| !is_combining_mark(d))
            .collect();
        if !base.is_empty() && base.chars().all(|d| u32::from(d) < 0x100 && d != c) {
            out.extend(base.chars().map(|d| d as u8));
        } else {
            out.push(b'?');
        }
    }
    out
}

/// ASCII stand-ins for the punctuation and letters outside Latin-1 that decomposition does not help with.
fn stand_in(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' => "-",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{2039}' => "<",
        '\u{203A}' => ">",
        '\u{2026}' => "...",
        '\u{2022}' => "*",
        '\u{20AC}' => "EUR",
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        '\u{141}' => "L",
        '\u{142}' => "l",
        '\u{110}' => "D",
        '\u{111}' => "d",
        '\u{126}' => "H",
        '\u{127}' => "h",
        '\u{131}' => "i",
        '\u{13F}' => "L",
        '\u{140}' => "l",
        '\u{152}' => "OE",
        '\u{153}' => "oe",
        '\u{166}' => "T",
        '\u{167}' => "t",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::latin1;

    fn text(s: &str) -> String {
        latin1(s).iter().map(|&b| char::from(b)).collect()
    }

    #[test]
    fn characters_outside_latin1_are_transliterated_before_they_become_question_marks() {
        assert_eq!(
            text("How China Works – Charting the Future"),
            "How China Works - Charting the Future"
        );
        assert_eq!(
            text("“Quoted” „low“ ‘single’ — dash…"),
            "\"Quoted\" \"low\" 'single' - dash..."
        );
        assert_eq!(text("Erdős, Łódź, Œuvre"), "Erdos, Lódz, OEuvre");
        assert_eq!(
            text("café naïve ß"),
            "café naïve ß",
            "Latin-1 stays as it is"
        );
        assert_eq!(
            text("cafe\u{301}"),
            "café",
            "a decomposed é is composed first"
        );
        assert_eq!(text("a\u{A0}b\u{2009}c\u{200B}d"), "a b cd");
        assert_eq!(text("ﬁne™"), "fineTM");
        // The emoji is U+1F399 then the variation selector U+FE0F, a mark: one `?`.
        assert_eq!(text("乡村 🎙\u{FE0F}"), "?? ?", "nothing to stand in for");
    }
}
