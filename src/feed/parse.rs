//! Reading a feed back: its bytes decoded to text, then parsed strictly (XML 1.0 with namespaces) with the
//! byte range of every node, so findings can point at lines and columns. The only module that knows XML
//! syntax on the way in.
//!
//! roxmltree is the parser: unlike quick-xml's reader and the `rss` crate, it rejects characters XML forbids
//! and undeclared prefixes (`../shared/research/crates.md`), never fetches external entities (no resolver is
//! given), and guards against entity-expansion bombs.

use std::ops::Range;

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
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding read (`UTF-8`, `UTF-16LE`, `ISO-8859-1`…).
    pub encoding: &'static str,
}

/// Decodes a feed's bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, and
/// ISO-8859-1 / Windows-1252 when the XML declaration names them.
///
/// # Errors
/// [`DecodeError`] with the offset of the first invalid byte, or the unsupported encoding's name.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
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
    for (bom, little, name) in [
        (&b"\xFF\xFE"[..], true, "UTF-16LE"),
        (&b"\xFE\xFF"[..], false, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| {
                    if little {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            let mut text = String::with_capacity(units.len());
            for (i, c) in char::decode_utf16(units.iter().copied()).enumerate() {
                match c {
                    Ok(c) => text.push(c),
                    Err(_) => return Err(DecodeError::InvalidUtf16 { offset: 2 + i * 2 }),
                }
            }
            return Ok(Decoded {
                text,
                encoding: name,
            });
        }
    }
    let declared = declared_encoding(bytes);
    let first_high = bytes.iter().position(|&b| b >= 0x80);
    if let (Some(d), Some(offset)) = (&declared, first_high) {
        let single_byte = matches!(
            d.as_str(),
            "iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "windows-1252" | "cp1252"
        );
        if matches!(d.as_str(), "us-ascii" | "ascii")
            || (single_byte && std::str::from_utf8(bytes).is_ok())
        {
            return Err(DecodeError::Mismatch {
                declared: d.clone(),
                offset,
                utf8: std::str::from_utf8(bytes).is_ok(),
            });
        }
    }
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
    match declared.as_deref() {
        None | Some("utf-8" | "utf8") => utf8(bytes, 0),
        Some("iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "us-ascii" | "ascii") => {
            Ok(Decoded {
                text: bytes.iter().map(|&b| char::from(b)).collect(),
                encoding: "ISO-8859-1",
            })
        }
        Some("windows-1252" | "cp1252") => Ok(Decoded {
            text: bytes.iter().map(|&b| windows_1252(b)).collect(),
            encoding: "Windows-1252",
        }),
        Some(other) => Err(DecodeError::Unsupported(other.to_owned())),
    }
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<Decoded, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: s.to_owned(),
            encoding: "UTF-8",
        }),
        Err(e) => Err(DecodeError::InvalidUtf8 {
            offset: skipped + e.valid_up_to(),
        }),
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

/// Windows-1252: ISO-8859-1 except for 0x80–0x9F, which hold typographic characters.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[usize::from(b - 0x80)]
    } else {
        char::from(b)
    }
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

/// An element's text content (all text and CDATA children joined), trimmed.
pub fn text(node: roxmltree::Node<'_, '_>) -> String {
    let mut s = String::new();
    for c in node.children() {
        if let Some(t) = c.text()
            && (c.is_text())
        {
            s.push_str(t);
        }
    }
    s.trim().to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

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
                text: "<rss/>é".to_owned(),
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
