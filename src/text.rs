//! Show-notes text: Markdown to sanitised HTML (for feeds) and to plain text (for `<description>`, ID3
//! comments and length checks), and truncation on a word boundary. Used by the catalogue, the feed writer
//! and the tag writer alike, so it sits below all three.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::vocab::html;
use crate::vocab::xml::xml_safe;

fn markdown_options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Renders Markdown to HTML that is safe to embed in a feed: no scripts, no event handlers, no `javascript:`
/// links, only the tags podcast apps render. Raw HTML in the Markdown passes through the same filter.
///
/// Notes made only of text structure (paragraphs, emphasis, lists, quotes, headings, code) cannot carry
/// anything the sanitiser removes, so they skip it and give the very bytes it would (a property test holds
/// the two paths to that); links, images and raw HTML always go through it.
pub fn markdown_to_html(markdown: &str) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, markdown_options()).collect();
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    if events.iter().all(needs_no_sanitiser) {
        pulldown_cmark::html::push_html(&mut raw, events.into_iter());
        // The sanitiser serialises void elements in the HTML form; nothing else differs for these events
        // (text cannot hold a literal `<`: it is written `&lt;`).
        let html = raw.replace("<br />", "<br>").replace("<hr />", "<hr>");
        return xml_safe(html.trim_end()).into_owned();
    }
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    sanitised(&raw)
}

/// The HTML sanitiser castkit's notes go through: only [`html::RENDERED_TAGS`] and links with
/// [`html::LINK_SCHEMES`]. Built once: building it is dearer than cleaning a short note.
fn sanitised(raw: &str) -> String {
    static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .tags(html::RENDERED_TAGS.iter().copied().collect())
                .url_schemes(html::LINK_SCHEMES.iter().copied().collect());
            builder
        });
    let clean = SANITISER.clean(raw).to_string();
    xml_safe(clean.trim_end()).into_owned()
}

/// Whether pulldown-cmark's HTML for this event is already what the sanitiser would give: elements without
/// attributes the sanitiser drops, and text the HTML serialiser writes the same way (it spells a no-break
/// space `&nbsp;`, and the parser folds carriage returns and replaces NULs).
fn needs_no_sanitiser(event: &Event<'_>) -> bool {
    use pulldown_cmark::{BlockQuoteKind, CodeBlockKind};
    let plain_text = |t: &str| !t.contains(['\u{a0}', '\r', '\0']);
    match event {
        Event::Text(t) | Event::Code(t) => plain_text(t),
        Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Item
            | Tag::List(_)
            | Tag::BlockQuote(None::<BlockQuoteKind>) => true,
            Tag::Heading {
                id, classes, attrs, ..
            } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            Tag::CodeBlock(CodeBlockKind::Indented) => true,
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => info.is_empty(),
            _ => false,
        },
        Event::End(end) => matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
        ),
        _ => false,
    }
}

/// The plain text of Markdown: paragraphs separated by blank lines, list items on their own lines with `- `
/// or `1. `, emphasis and links reduced to their text, raw HTML dropped.
pub fn markdown_to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // For each open list: the next number of an ordered list, or None for a bulleted one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::List(start)) => {
                lists.push(start);
                end_line(&mut out);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                end_line(&mut out);
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) => end_line(&mut out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::Table,
            ) => {
                if lists.is_empty() {
                    out.push_str("\n\n");
                } else {
                    end_line(&mut out);
                }
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => end_line(&mut out),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("\n\n"),
            _ => {}
        }
    }
    tidy(&xml_safe(&out))
}

fn end_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Trims trailing spaces on each line, collapses runs of blank lines to one, trims the ends.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned()
}

/// `s` cut to at most `max_bytes` bytes at a word boundary, with `…` appended when cut.
pub fn truncate_on_word(s: &str, max_bytes: usize) -> Cow<'_, str> {
    if s.len() <= max_bytes {
        return Cow::Borrowed(s);
    }
    let ellipsis = "…";
    let budget = max_bytes.saturating_sub(ellipsis.len());
    let mut cut = budget;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    // Back up to the last whitespace so no word is split; a single giant "word" is cut where it is.
    if let Some(space) = s[..cut].rfind(char::is_whitespace)
        && space > budget / 2
    {
        cut = space;
    }
    let mut out = s[..cut].trim_end().to_owned();
    out.push_str(ellipsis);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_forbidden_characters_are_removed_and_the_rest_kept() {
        assert_eq!(
            xml_safe("a\u{0}b\u{1}c\u{b}d\u{c}e\u{fffe}f\u{ffff}"),
            "abcdef"
        );
        let fine = "tab\tnl\ncr\r 中文 🎙️ \u{d7ff}\u{e000}\u{10ffff}";
        assert!(matches!(xml_safe(fine), Cow::Borrowed(_)));
    }

    #[test]
    fn html_keeps_links_and_lists_but_drops_scripts_and_handlers() {
        let html = markdown_to_html(
            "Hello *world* [site](https://example.com)\n\n- one\n- two\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(html.contains("<em>world</em>"));
        assert!(html.contains("<a href=\"https://example.com\""));
        assert!(html.contains("<li>one</li>"));
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }

    /// The sanitiser's own output for `markdown`: the truth the fast path must equal.
    fn through_the_sanitiser(markdown: &str) -> String {
        let mut raw = String::new();
        pulldown_cmark::html::push_html(&mut raw, Parser::new_ext(markdown, markdown_options()));
        sanitised(&raw)
    }

    #[test]
    fn text_structure_skips_the_sanitiser_with_the_same_bytes() {
        for markdown in [
            "One *two* **three** ~~four~~ `five` & <six> \"seven\" 'eight'",
            "# Heading\n\n> quoted\n> more\n\n1. one\n2. two\n\n3. three\n\n- a\n  - b\n\n---\n\n    code\n",
            "line  \nbreak\\\nand ```\nfenced\n```",
            "no\u{a0}break",
        ] {
            assert_eq!(
                markdown_to_html(markdown),
                through_the_sanitiser(markdown),
                "{markdown:?}"
            );
        }
    }

    proptest::proptest! {
        /// Any Markdown, from an alphabet rich in what Markdown and HTML treat specially, gives the same HTML
        /// whether or not it skipped the sanitiser.
        #[test]
        fn the_fast_path_equals_the_sanitiser(
            markdown in "([a-z ]|[*_`~#>\\-]|[0-9][.)]|\n|  \n|[<>&\"'\u{a0}\r\u{0}\t]|\\[|\\]\\(|\\)|!\\[|```|    |https://e\\.com|<b>|<script>){0,40}"
        ) {
            proptest::prop_assert_eq!(markdown_to_html(&markdown), through_the_sanitiser(&markdown));
        }
    }

    #[test]
    fn plain_text_keeps_paragraphs_and_list_markers() {
        let plain = markdown_to_plain(
            "# Title\n\nFirst *para*\nstill first.\n\n1. a\n2. b\n\n- x\n  - y\n\n> quoted\n\n`code` and [link](https://e.com)",
        );
        assert_eq!(
            plain,
            "Title\n\nFirst para still first.\n\n1. a\n2. b\n\n- x\n  - y\n\nquoted\n\ncode and link"
        );
    }

    #[test]
    fn truncation_respects_words_and_character_boundaries() {
        assert_eq!(truncate_on_word("short", 10), "short");
        let cut = truncate_on_word("one two three four", 12);
        assert_eq!(cut, "one two…");
        assert!(cut.len() <= 12);
        let cjk = "中文中文中文中文";
        let cut = truncate_on_word(cjk, 10);
        assert!(cut.len() <= 10 && cut.ends_with('…'), "{cut}");
    }
}
