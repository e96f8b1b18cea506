//! Reading a feed back: its bytes decoded to text, then parsed strictly (XML 1.0 with namespaces) with the
//! byte range of every node, so findings can point at lines and columns. The only module that knows XML
//! syntax on the way in.
//!
//! roxmltree is the parser: unlike quick-xml's reader and the `rss` crate, it rejects characters XML forbids
//! and undeclared prefixes (`../shared/research/crates.md`), never fetches external entities (no resolver is
//! given), and guards against entity-expansion bombs.

use std::borrow::Cow;
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use crate::vocab::ns;

/// Why the bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Invalid UTF-8 at this byte offset.
    InvalidUtf8 {
        /// The offset of the first invalid byte.
        offset: usize,
    },
    /// Invalid UTF-16 (an unpaired surrogate) at this byte offset.
    InvalidUtf16 {
        /// The offset of the invalid code unit.
        offset: usize,
    },
    /// An encoding castkit does not read.
    Unsupported(String),
    /// A byte that the declared single-byte encoding does not allow (non-ASCII in `us-ascii`), or bytes that
    /// are plainly UTF-8 in a feed that declares ISO-8859-1 or Windows-1252 (they would turn into "Ã©").
    Mismatch {
        /// The declared encoding.
        declared: String,
        /// The offset of the first offending byte.
        offset: usize,
        /// Whether the bytes are valid UTF-8.
        utf8: bool,
    },
    /// A byte 0x80–0x9F in a feed declared ISO-8859-1: a C1 control character there, but the curly quotes and
    /// dashes of Windows-1252, which is what such feeds almost always are.
    ControlCharacter {
        /// The declared encoding.
        declared: String,
        /// The offset of the byte.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A byte-order mark and the XML declaration name different encodings.
    Conflict {
        /// What the byte-order mark says.
        bom: &'static str,
        /// What the declaration says.
        declared: String,
    },
}

/// The feed as text, and what it was encoded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark: the bytes themselves when they are UTF-8 (no copy of a large
    /// feed), else the text they decode to.
    pub text: Cow<'a, str>,
    /// The encoding read (`UTF-8`, `UTF-16LE`, `ISO-8859-1`…).
    pub encoding: &'static str,
}

/// Decodes a feed's bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, and
/// ISO-8859-1 / Windows-1252 / US-ASCII when the XML declaration names them.
///
/// encoding_rs does the decoding; castkit decides which labels it accepts and checks what a decoder would
/// silently accept: a byte-order mark that contradicts the declaration, UTF-8 (or any non-ASCII byte)
/// labelled as a single-byte encoding, and C1 control bytes in a feed labelled ISO-8859-1.
///
/// # Errors
/// [`DecodeError`] with the offset of the first invalid byte, or the unsupported encoding's name.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Some(declared) = declared_encoding(rest)
            && !matches!(declared.as_str(), "utf-8" | "utf8")
        {
            return Err(DecodeError::Conflict {
                bom: "UTF-8",
                declared,
            });
        }
        return utf8(rest, 3);
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return utf16(rest, bom.len(), encoding, name);
        }
    }
    let declared = declared_encoding(bytes);
    // A feed labelled ASCII or single-byte whose bytes are UTF-8 (or not ASCII) is mislabelled. Only such a
    // label needs the scan for a high byte: a UTF-8 feed, nearly every feed, is not read twice for it.
    if let Some(d) = &declared {
        let single_byte = matches!(
            d.as_str(),
            "iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "windows-1252" | "cp1252"
        );
        let ascii = matches!(d.as_str(), "us-ascii" | "ascii");
        if (ascii || single_byte)
            && let Some(offset) = bytes.iter().position(|&b| b >= 0x80)
        {
            let utf8 = std::str::from_utf8(bytes).is_ok();
            if ascii || utf8 {
                return Err(DecodeError::Mismatch {
                    declared: d.clone(),
                    offset,
                    utf8,
                });
            }
        }
    }
    // encoding_rs follows the WHATWG Encoding Standard, which decodes the label ISO-8859-1 as Windows-1252
    // (as browsers do). castkit reports the bytes where the two differ instead of guessing.
    if let Some(d) = declared.as_deref()
        && matches!(d, "iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1")
        && let Some(offset) = bytes.iter().position(|b| (0x80..=0x9F).contains(b))
    {
        return Err(DecodeError::ControlCharacter {
            declared: d.to_owned(),
            offset,
            byte: bytes[offset],
        });
    }
    // With the checks above, ISO-8859-1 text has no bytes 0x80–0x9F and US-ASCII text no byte above 0x7F, so
    // Windows-1252 decodes both exactly.
    let (encoding, name) = match declared.as_deref() {
        None | Some("utf-8" | "utf8") => return utf8(bytes, 0),
        Some("iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "us-ascii" | "ascii") => {
            (encoding_rs::WINDOWS_1252, "ISO-8859-1")
        }
        Some("windows-1252" | "cp1252") => (encoding_rs::WINDOWS_1252, "Windows-1252"),
        Some(other) => return Err(DecodeError::Unsupported(other.to_owned())),
    };
    // Every byte is a character in Windows-1252 (0x81, 0x8D, 0x8F, 0x90 and 0x9D are C1 controls), so this
    // never replaces anything.
    Ok(Decoded {
        text: Cow::Owned(encoding.decode_without_bom_handling(bytes).0.into_owned()),
        encoding: name,
    })
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<Decoded<'_>, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding: "UTF-8",
        }),
        Err(e) => Err(DecodeError::InvalidUtf8 {
            offset: skipped + e.valid_up_to(),
        }),
    }
}

/// Decodes UTF-16 after its byte-order mark (`skipped` bytes), refusing an unpaired surrogate or an odd
/// trailing byte rather than replacing it.
fn utf16(
    bytes: &[u8],
    skipped: usize,
    encoding: &'static encoding_rs::Encoding,
    name: &'static str,
) -> Result<Decoded<'static>, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => {
                return Ok(Decoded {
                    text: Cow::Owned(text),
                    encoding: name,
                });
            }
            encoding_rs::DecoderResult::OutputFull => text.reserve(bytes.len() - read + 4),
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                return Err(DecodeError::InvalidUtf16 {
                    offset: skipped + read - usize::from(bad) - usize::from(after),
                });
            }
        }
    }
}
/// The `encoding` of the XML declaration, lowercase, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head: String = head
        .iter()
        .take_while(|&&b| b < 0x80)
        .map(|&b| char::from(b))
        .collect();
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_ascii_lowercase())
}

/// Parses decoded text strictly. DTDs are allowed (RSS 0.91 feeds have them) but entity declarations are
/// refused by the caller before this; the node limit bounds memory whatever the input.
///
/// # Errors
/// roxmltree's error, which carries a line and column.
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        // Generous for a 64 MiB feed (a node is at least a few bytes), small enough to bound memory.
        nodes_limit: 16_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

/// The namespaces castkit knows, by what they are (not by prefix: any prefix may be bound to any URI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// No namespace: RSS 2.0's own elements.
    Rss,
    /// Apple's iTunes namespace.
    Itunes,
    /// Podcasting 2.0 (the official URI or the legacy one).
    Podcast,
    /// Atom.
    Atom,
    /// RSS 1.0 content module.
    Content,
    /// Podlove Simple Chapters.
    Psc,
    /// Any other namespace.
    Other,
}

impl Ns {
    /// The namespace of a node.
    pub fn of(node: roxmltree::Node<'_, '_>) -> Ns {
        match node.tag_name().namespace() {
            None => Ns::Rss,
            Some(ns::ITUNES) => Ns::Itunes,
            Some(ns::PODCAST | ns::PODCAST_LEGACY) => Ns::Podcast,
            Some(ns::ATOM) => Ns::Atom,
            Some(ns::CONTENT) => Ns::Content,
            Some(ns::PSC) => Ns::Psc,
            Some(_) => Ns::Other,
        }
    }
}

/// Whether `node` is the element `local` in namespace `ns`.
pub fn is(node: roxmltree::Node<'_, '_>, ns: Ns, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && Ns::of(node) == ns
}

/// The child elements `local` in namespace `ns`.
pub fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    ns: Ns,
    local: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children().filter(move |n| is(*n, ns, local))
}

/// The first child element `local` in namespace `ns`.
pub fn child<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    ns: Ns,
    local: &'a str,
) -> Option<roxmltree::Node<'a, 'i>> {
    children(node, ns, local).next()
}

/// An element's child elements read once, each with its namespace, for looking many of them up: an item's
/// checks ask for twenty-odd children, and [`child`] walks all of them (text between them included) each
/// time.
#[derive(Debug, Clone)]
pub struct ChildElements<'a, 'i> {
    parent: roxmltree::Node<'a, 'i>,
    elements: Vec<(Ns, &'i str, roxmltree::Node<'a, 'i>)>,
}

impl<'a, 'i> ChildElements<'a, 'i> {
    /// The child elements of `parent`, in document order.
    pub fn of(parent: roxmltree::Node<'a, 'i>) -> ChildElements<'a, 'i> {
        let elements = parent
            .children()
            .filter(roxmltree::Node::is_element)
            .map(|n| (Ns::of(n), n.tag_name().name(), n))
            .collect();
        ChildElements { parent, elements }
    }

    /// The element whose children these are.
    pub fn parent(&self) -> roxmltree::Node<'a, 'i> {
        self.parent
    }

    /// The child elements `local` in namespace `ns`, in document order (as [`children`]).
    pub fn children<'s>(
        &'s self,
        ns: Ns,
        local: &'s str,
    ) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 's {
        self.elements
            .iter()
            .filter(move |(n, name, _)| *n == ns && *name == local)
            .map(|(_, _, node)| *node)
    }

    /// The first child element `local` in namespace `ns` (as [`child`]).
    pub fn child(&self, ns: Ns, local: &str) -> Option<roxmltree::Node<'a, 'i>> {
        self.children(ns, local).next()
    }

    /// Every child element with its namespace and local name, in document order.
    pub fn all(&self) -> impl Iterator<Item = (Ns, &'i str, roxmltree::Node<'a, 'i>)> + '_ {
        self.elements.iter().copied()
    }
}

/// An element's text content (all text and CDATA children joined), trimmed.
pub fn text(node: roxmltree::Node<'_, '_>) -> String {
    text_ref(node).into_owned()
}

/// [`text`] without a copy when the element has one text child (or none), as nearly every element has:
/// the trimmed text borrowed from the document.
pub fn text_ref<'a>(node: roxmltree::Node<'a, '_>) -> Cow<'a, str> {
    let mut texts = node.children().filter(roxmltree::Node::is_text);
    let Some(first) = texts.next() else {
        return Cow::Borrowed("");
    };
    let first = first.text().unwrap_or("");
    match texts.next() {
        None => Cow::Borrowed(first.trim()),
        Some(second) => {
            let mut s = String::from(first);
            s.push_str(second.text().unwrap_or(""));
            for t in texts {
                s.push_str(t.text().unwrap_or(""));
            }
            Cow::Owned(s.trim().to_owned())
        }
    }
}

/// The byte range of an element's name in its start tag (`<itunes:image` → `itunes:image`), for carets.
pub fn name_range(source: &str, node: roxmltree::Node<'_, '_>) -> Range<usize> {
    let start = node.range().start + 1;
    let rest = source.get(start..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    start..start + len
}

/// The byte range of an element's text (its first text child), or of its name when it has none.
pub fn text_range(source: &str, node: roxmltree::Node<'_, '_>) -> Range<usize> {
    match node.children().find(|c| c.is_text()) {
        Some(t) => {
            let r = t.range();
            // Point at the text itself, not at surrounding whitespace or a CDATA marker.
            let raw = source.get(r.clone()).unwrap_or("");
            let lead = raw.len() - raw.trim_start().len();
            let body = raw.trim();
            let body = body
                .strip_prefix("<![CDATA[")
                .map_or(body, |b| b.strip_suffix("]]>").unwrap_or(b));
            let cdata = if raw.trim_start().starts_with("<![CDATA[") {
                9
            } else {
                0
            };
            let start = r.start + lead + cdata;
            start..start + body.len().max(1)
        }
        None => name_range(source, node),
    }
}

/// The byte range of an attribute's value, or of the element's name when the attribute is absent.
pub fn attr_range(source: &str, node: roxmltree::Node<'_, '_>, name: &str) -> Range<usize> {
    node.attributes()
        .find(|a| a.name() == name && a.namespace().is_none())
        .map(|a| a.range_value())
        .unwrap_or_else(|| name_range(source, node))
}

/// Parses an RFC 2822 date (`<pubDate>`), returning it and the day of the week as written (for a caller to
/// check against the date); `None` when the text is not an RFC 2822 date.
pub fn parse_rfc2822(value: &str) -> Option<(DateTime<FixedOffset>, Option<String>)> {
    let v = value.trim();
    let (weekday, rest) = match v.split_once(',') {
        Some((w, rest))
            if w.trim().len() == 3 && w.trim().chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            (Some(w.trim().to_owned()), rest.trim())
        }
        _ => (None, v),
    };
    if let Some(w) = &weekday
        && !["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .contains(&w.to_ascii_lowercase().as_str())
    {
        return None;
    }
    DateTime::parse_from_rfc2822(rest)
        .ok()
        .map(|d| (d, weekday))
}

/// Seconds in an `itunes:duration`: `SS`, `MM:SS` or `H:MM:SS`, optionally with a decimal fraction.
pub fn duration_seconds(v: &str) -> Option<f64> {
    let (whole, fraction) = match v.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return None,
        None => (v, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut total: f64 = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let n: f64 = p.parse().ok()?;
        if i > 0 && (n >= 60.0 || p.len() != 2) {
            return None;
        }
        total = total * 60.0 + n;
    }
    if let Some(f) = fraction {
        total += format!("0.{f}").parse::<f64>().ok()?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2822_dates_and_weekdays() {
        let (d, w) = parse_rfc2822("Mon, 28 Nov 2022 08:00:00 +0800").unwrap();
        assert_eq!((chrono::Datelike::day(&d), w.as_deref()), (28, Some("Mon")));
        assert_eq!(
            parse_rfc2822("Wed, 15 Jun 2019 19:00:00 GMT")
                .unwrap()
                .1
                .as_deref(),
            Some("Wed")
        );
        assert!(parse_rfc2822("2022-11-28T08:00:00Z").is_none());
        assert!(parse_rfc2822("7/6/2014 1:00:00 PM").is_none());
        assert!(parse_rfc2822("Foo, 28 Nov 2022 08:00:00 +0800").is_none());
        assert!(parse_rfc2822("28 Nov 2022 08:00:00 GMT").is_some());
    }

    #[test]
    fn durations_in_every_form_apple_reads() {
        assert_eq!(duration_seconds("1801"), Some(1801.0));
        assert_eq!(duration_seconds("30:01"), Some(1801.0));
        assert_eq!(duration_seconds("1:00:01"), Some(3601.0));
        assert_eq!(duration_seconds("90:00"), Some(5400.0));
        assert_eq!(duration_seconds("1801.5"), Some(1801.5));
        for bad in [
            "",
            "1:2",
            "1:60",
            "abc",
            "1:00:00:00",
            "-5",
            "12.",
            "1 hour",
        ] {
            assert_eq!(duration_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn encodings_are_detected_and_decoded() {
        assert_eq!(decode(b"\xEF\xBB\xBF<rss/>").unwrap().text, "<rss/>");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<rss/>é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(
            decode(&utf16).unwrap(),
            Decoded {
                text: "<rss/>é".into(),
                encoding: "UTF-16LE"
            }
        );
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</a>";
        assert_eq!(
            decode(latin1).unwrap().text,
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>é</a>"
        );
        let cp1252 = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x93q\x94</a>";
        assert!(decode(cp1252).unwrap().text.contains("“q”"));
        assert_eq!(
            decode(b"<a>\xFFx</a>"),
            Err(DecodeError::InvalidUtf8 { offset: 3 })
        );
        let utf8_declared_latin1 = "<?xml version='1.0' encoding='iso-8859-1'?><a>é</a>";
        assert!(matches!(
            decode(utf8_declared_latin1.as_bytes()),
            Err(DecodeError::Mismatch { utf8: true, .. })
        ));
        assert!(matches!(
            decode(b"<?xml version='1.0' encoding='us-ascii'?><a>\xE9</a>"),
            Err(DecodeError::Mismatch {
                utf8: false,
                offset: 44,
                ..
            })
        ));
        assert!(matches!(
            decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\x93q\x94</a>"),
            Err(DecodeError::ControlCharacter {
                offset: 46,
                byte: 0x93,
                ..
            })
        ));
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='EBCDIC'?>"),
            Err(DecodeError::Unsupported("ebcdic".to_owned()))
        );
    }

    #[test]
    fn utf16_errors_give_the_byte_offset_of_the_bad_unit() {
        let le = |units: &[u16]| -> Vec<u8> {
            [0xFF, 0xFE]
                .into_iter()
                .chain(units.iter().flat_map(|u| u.to_le_bytes()))
                .collect()
        };
        // `<a>`, a surrogate pair (one character, two units), then a lone high surrogate before `x`.
        let bytes = le(&[0x3C, 0x61, 0x3E, 0xD83D, 0xDE00, 0xD800, 0x78]);
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::InvalidUtf16 { offset: 2 + 5 * 2 })
        );
        // An odd byte at the end is half a code unit.
        let mut odd = le(&[0x3C, 0x61, 0x3E]);
        odd.push(0x20);
        assert_eq!(decode(&odd), Err(DecodeError::InvalidUtf16 { offset: 8 }));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<a>😀</a>".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be).unwrap().text, "<a>😀</a>");
    }

    #[test]
    fn single_byte_encodings_decode_every_byte_they_allow() {
        let decl = |label: &str| format!("<?xml version='1.0' encoding='{label}'?>").into_bytes();
        // ISO-8859-1 is the first 256 code points: every byte but the C1 range 0x80–0x9F, refused above.
        let mut latin1 = decl("latin1");
        let high: Vec<u8> = (0xA0..=0xFF).collect();
        latin1.extend_from_slice(&high);
        let text = decode(&latin1).unwrap();
        assert_eq!(text.encoding, "ISO-8859-1");
        let body = text.text.split_once("?>").unwrap().1;
        assert!(body.chars().map(u32::from).eq(0xA0..=0xFF));
        // Windows-1252's 0x80–0x9F: typographic characters, and C1 controls for its five unassigned bytes.
        let mut cp1252 = decl("cp1252");
        cp1252.extend(0x80..=0x9Fu8);
        let text = decode(&cp1252).unwrap();
        assert_eq!(text.encoding, "Windows-1252");
        assert_eq!(
            text.text.split_once("?>").unwrap().1,
            "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ"
        );
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='us-ascii'?><a/>")
                .unwrap()
                .encoding,
            "ISO-8859-1"
        );
    }

    #[test]
    fn ranges_point_at_names_texts_and_attributes() {
        let src = "<rss><channel>\n  <title> Hello </title><itunes:image xmlns:itunes='x' href='a.jpg'/></channel></rss>";
        let doc = parse(src).unwrap();
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(&src[name_range(src, title)], "title");
        assert_eq!(&src[text_range(src, title)], "Hello");
        let image = doc
            .descendants()
            .find(|n| n.tag_name().name() == "image")
            .unwrap();
        assert_eq!(&src[attr_range(src, image, "href")], "a.jpg");
        assert_eq!(&src[name_range(src, image)], "itunes:image");
    }
}
