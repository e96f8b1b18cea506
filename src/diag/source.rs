//! A user's text file with a line index, to turn byte offsets into lines, columns and excerpts.

use std::borrow::Cow;
use std::ops::Range;

use super::{Location, Snippet};

/// A text file held in memory with the byte offset of each line start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Indexes `text`, which was read from `path` (shown as given in messages).
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = line_starts(&text);
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The same file as a [`SourceText`] that borrows it (no copy of the text or of its line index).
    pub fn as_source_text(&self) -> SourceText<'_> {
        SourceText {
            path: &self.path,
            text: &self.text,
            line_starts: Cow::Borrowed(&self.line_starts),
        }
    }

    /// The path as it appears in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past the end point at the end.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.as_source_text().line_col(offset)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        line_text(&self.text, &self.line_starts, line)
    }

    /// A location for a byte range, with an excerpt underlining the part of the range on its first line.
    pub fn location(&self, span: Range<usize>) -> Location {
        self.as_source_text().location(span)
    }
}

/// A text held elsewhere (a feed's bytes, when they are already UTF-8) with the byte offset of each line
/// start: what [`SourceFile`] does, without owning a copy of the text.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    path: &'a str,
    text: &'a str,
    line_starts: Cow<'a, [usize]>,
}

impl<'a> SourceText<'a> {
    /// Indexes `text`, which was read from `path` (shown as given in messages).
    pub fn new(path: &'a str, text: &'a str) -> SourceText<'a> {
        SourceText {
            path,
            text,
            line_starts: Cow::Owned(line_starts(text)),
        }
    }

    /// The path as it appears in messages.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The whole text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past the end point at the end.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line_index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line_index];
        let column = char_count(&self.text[line_start..offset]) + 1;
        (line_index + 1, column)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        line_text(self.text, &self.line_starts, line)
    }

    /// A location for a byte range, with an excerpt underlining the part of the range on its first line.
    pub fn location(&self, span: Range<usize>) -> Location {
        let start = self.clamp(span.start);
        let end = self.clamp(span.end.max(start));
        let (line, column) = self.line_col(start);
        let line_text = self.line_text(line);
        let line_start = self.line_starts[line - 1];
        let line_end = line_start + line_text.len();
        let underline_end = end.min(line_end).max(start);
        // A very long line (a minified feed is one line) is shown as a window around the finding.
        let (shown_start, shown_end) = if line_text.len() > MAX_SNIPPET_BYTES {
            (
                self.clamp(start.saturating_sub(SNIPPET_CONTEXT_BYTES).max(line_start)),
                self.clamp((start + SNIPPET_CONTEXT_BYTES).min(line_end)),
            )
        } else {
            (line_start, line_end)
        };
        let underline_end = underline_end.min(shown_end).max(start);
        let mut shown = String::new();
        if shown_start > line_start {
            shown.push('…');
        }
        let start_char = char_count(&shown) + char_count(&self.text[shown_start..start]);
        shown.push_str(&self.text[shown_start..shown_end]);
        if shown_end < line_end {
            shown.push('…');
        }
        let len_chars = char_count(&self.text[start..underline_end]).max(1);
        Location {
            path: self.path.to_owned(),
            line,
            column,
            snippet: Some(Snippet {
                line_text: shown,
                start_char,
                len_chars,
            }),
        }
    }

    /// Moves an offset to the nearest char boundary at or before it, within the text.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// The byte offset of each line's start: 0, and one past every line feed.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

/// The text of a 1-based line, without its line break.
fn line_text<'t>(text: &'t str, line_starts: &[usize], line: usize) -> &'t str {
    let Some(&start) = line_starts.get(line.saturating_sub(1)) else {
        return "";
    };
    let end = line_starts.get(line).copied().unwrap_or(text.len());
    text[start..end].trim_end_matches(['\n', '\r'])
}

/// Lines longer than this are shown as a window of [`SNIPPET_CONTEXT_BYTES`] either side of the finding.
const MAX_SNIPPET_BYTES: usize = 400;
const SNIPPET_CONTEXT_BYTES: usize = 120;

/// Characters in UTF-8 text, counted as the bytes that start one (fast on the megabyte lines of minified
/// feeds).
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let src = SourceFile::new("x.toml", "a = 1\ntitle = \"Ünïcode\" x\n");
        let offset = src.text().find('x').unwrap();
        assert_eq!(src.line_col(offset), (2, 19));
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_text(2), "title = \"Ünïcode\" x");
    }

    #[test]
    fn location_underlines_only_the_first_line_of_a_multiline_span() {
        let src = SourceFile::new("x.toml", "k = \"\"\"\nabc\n\"\"\"\n");
        let loc = src.location(4..src.text().len());
        let snip = loc.snippet.unwrap();
        assert_eq!((loc.line, loc.column), (1, 5));
        assert_eq!(snip.line_text, "k = \"\"\"");
        assert_eq!(snip.len_chars, 3);
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_finding() {
        let text = format!("{}<bad>{}", "é".repeat(1000), "x".repeat(1000));
        let src = SourceFile::new("feed.xml", text.clone());
        let at = text.find("<bad>").unwrap();
        let loc = src.location(at..at + 5);
        assert_eq!((loc.line, loc.column), (1, 1001));
        let snip = loc.snippet.unwrap();
        assert!(snip.line_text.starts_with('…') && snip.line_text.ends_with('…'));
        assert!(snip.line_text.len() < 400);
        let underlined: String = snip
            .line_text
            .chars()
            .skip(snip.start_char)
            .take(snip.len_chars)
            .collect();
        assert_eq!(underlined, "<bad>");
    }

    #[test]
    fn offsets_past_the_end_and_inside_a_character_are_clamped() {
        let src = SourceFile::new("x", "é");
        assert_eq!(src.line_col(1), (1, 1));
        assert_eq!(src.line_col(99), (1, 2));
        let empty = SourceFile::new("x", "");
        assert_eq!(empty.location(0..5).line, 1);
    }
}
