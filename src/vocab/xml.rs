//! The characters XML 1.0 allows in a document.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document (<https://www.w3.org/TR/xml/#charsets>). Rust `char`s are never
/// surrogates, so what remains forbidden is C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML 1.0 forbids (borrowed when there are none, which is nearly always).
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}
