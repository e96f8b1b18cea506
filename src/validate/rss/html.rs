//! HTML in a feed: unsafe HTML in the descriptions apps render, and markup or entities in the plain-text
//! elements they show as written.
//!
//! A description's HTML is read with html5ever's tokenizer, which follows the HTML standard's tokenization
//! as browsers do: tag and attribute names however they are cased or separated (`<svg/onload=…>`,
//! `<IMG OnError=…>`), unquoted values, and character references decoded in values
//! (`java&#115;cript:`). A string search misses what a browser would run.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use roxmltree::Node;

use crate::feed::parse::text_ref;
use crate::validate::{Ctx, rules};
use crate::vocab::html;

/// What makes a description's HTML unsafe.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unsafe {
    /// An element no app runs (`<script>`, `<iframe>`, `<form>`…).
    Element(String),
    /// An `on…` event-handler attribute.
    Handler {
        /// The element carrying it.
        element: String,
        /// The attribute's name (`onerror`).
        attr: String,
    },
    /// A URL that runs code (`javascript:`, `vbscript:`) or a `data:` URL that is not an image.
    Url {
        /// The element carrying it.
        element: String,
        /// The attribute holding the URL.
        attr: String,
        /// The URL's scheme, lowercased.
        scheme: String,
        /// For a `data:` URL, its media type as written, lowercased (empty when it names none).
        data_media_type: Option<String>,
    },
    /// A `style` attribute that takes the element out of the page's flow (`position: absolute` or
    /// `fixed`): the way an item's HTML covers the app's own controls or hides a tracking pixel.
    Positioned {
        /// The element carrying it.
        element: String,
        /// The declaration as found, without spaces (`position:absolute`).
        declaration: String,
    },
    /// A `style` attribute with CSS that loads or runs code (`expression(`, `url(javascript:`, `@import`).
    StyleCode {
        /// The element carrying it.
        element: String,
        /// What was found (`expression(`).
        found: String,
    },
    /// `<?import …>`: Internet Explorer's way of loading an HTML component, which runs script.
    Import,
}

/// Reports the first unsafe construct in a description's HTML (`what` names the element: "this item's
/// description"), pointing at the element's text.
pub(super) fn unsafe_html(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) {
    let Some(found) = first_unsafe(&text_ref(node)) else {
        return;
    };
    let (message, help) = match found {
        Unsafe::Element(element) => (
            format!("{what} contains the element `<{element}>`"),
            "remove it: apps strip scripts, styles, frames, plugins and forms, or refuse to show the notes"
                .to_owned(),
        ),
        Unsafe::Handler { element, attr } => (
            format!("{what} has an event handler: `{attr}` on `<{element}>`"),
            "remove `on…` attributes: apps strip them, and they run script in readers that do not"
                .to_owned(),
        ),
        Unsafe::Url {
            element,
            attr,
            scheme,
            data_media_type,
        } => {
            let kind = match data_media_type {
                // A `data:` URL that names no media type is plain text (RFC 2397).
                Some(t) if t.is_empty() => "a `data:` URL of `text/plain`".to_owned(),
                Some(t) => format!("a `data:` URL of `{t}`"),
                None => format!("a `{scheme}:` URL"),
            };
            let schemes: Vec<String> = html::LINK_SCHEMES
                .iter()
                .map(|s| format!("`{s}:`"))
                .collect();
            (
                format!("{what} has {kind} in the `{attr}` of `<{element}>`"),
                format!(
                    "apps follow {} links only, and load images from the web or as `data:image/…`",
                    schemes.join(", ")
                ),
            )
        }
        Unsafe::Positioned {
            element,
            declaration,
        } => (
            format!("{what} has `{declaration}` in the `style` of `<{element}>`"),
            "remove `position: absolute` and `fixed`: they let show notes cover the app's own controls or hide a tracking pixel"
                .to_owned(),
        ),
        Unsafe::StyleCode { element, found } => (
            format!("{what} has `{found}` in the `style` of `<{element}>`"),
            "remove it: CSS that loads or runs code is stripped by apps".to_owned(),
        ),
        Unsafe::Import => (
            format!("{what} contains `<?import`, which loads a script component"),
            "remove it: apps strip it, and old versions of Internet Explorer ran the component's script"
                .to_owned(),
        ),
    };
    ctx.at_text(&rules::UNSAFE_HTML, node, message, Some(help));
}

/// The first unsafe construct in `html`, in document order.
fn first_unsafe(html: &str) -> Option<Unsafe> {
    // Every unsafe construct is in a tag (`<x`, `<?import`), and a character reference never makes one:
    // text without `<` needs no tokenizer, and most plain descriptions have none.
    if !html.contains('<') || plainly_safe(html) {
        return None;
    }
    tokenized_first_unsafe(html)
}

/// [`first_unsafe`] by html5ever's tokenizer, for any HTML.
fn tokenized_first_unsafe(html: &str) -> Option<Unsafe> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(FirstUnsafe(RefCell::new(None)), TokenizerOpts::default());
    // The sink never asks to pause for a script, so one feed reads the whole input.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Whether `html` is certainly safe, read without the tokenizer (ten times faster, and most show notes
/// qualify): every `<` is either text (`a < b`) or starts a tag in the plain form castkit and most tools
/// write (`<a href="https://…">`, `</p>`, `<br/>`), which the HTML tokenizer reads the same way, and none of
/// those tags is unsafe by [`unsafe_tag`]'s rules. Anything else is left to the tokenizer: comments,
/// `<!…>` and `<?…>`, unquoted values, a character reference in a value, spaces around `=`, a repeated
/// attribute, a name with other characters than letters, digits and `-`, a tag cut off at the end; so is
/// every tag that is unsafe or might be, so a finding is always the tokenizer's.
fn plainly_safe(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + offset;
        let next = match bytes.get(open + 1) {
            Some(c) if c.is_ascii_alphabetic() => plain_start_tag(html, open),
            // `</name>`; `</` then anything else is a bogus comment (`</?import>` among them).
            Some(b'/') => plain_end_tag(bytes, open),
            // Comments, declarations and processing instructions (`<?import`).
            Some(b'!' | b'?') | None => None,
            // `<` before anything else is text.
            Some(_) => Some(open + 1),
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    true
}

/// Space as the HTML tokenizer reads it between attributes (a carriage return is a line feed to it).
fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// Where a plain, safe start tag at `open` ends (just after its `>`), or `None` when it is not plain or may
/// be unsafe.
fn plain_start_tag(html: &str, open: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let name_end = open
        + 1
        + bytes[open + 1..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())?;
    let element = &html[open + 1..name_end];
    if html::UNSAFE_TAGS
        .iter()
        .any(|t| t.eq_ignore_ascii_case(element))
    {
        return None;
    }
    let mut attributes: Vec<&str> = Vec::new();
    let mut at = name_end;
    loop {
        let spaced = bytes.get(at).copied().is_some_and(is_html_space);
        while bytes.get(at).copied().is_some_and(is_html_space) {
            at += 1;
        }
        match *bytes.get(at)? {
            b'>' => return Some(at + 1),
            b'/' => return (bytes.get(at + 1) == Some(&b'>')).then_some(at + 2),
            c if c.is_ascii_alphabetic() && spaced => {
                let name_start = at;
                at += bytes[at..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))?;
                let name = &html[name_start..at];
                let unsafe_name = (name.len() > 2 && name[..2].eq_ignore_ascii_case("on"))
                    || name.eq_ignore_ascii_case("style");
                if unsafe_name || attributes.iter().any(|a| a.eq_ignore_ascii_case(name)) {
                    return None;
                }
                attributes.push(name);
                match *bytes.get(at)? {
                    b'=' => {
                        let quote = *bytes.get(at + 1)?;
                        if quote != b'"' && quote != b'\'' {
                            return None;
                        }
                        let value_start = at + 2;
                        let value_end = value_start + memchr::memchr(quote, &bytes[value_start..])?;
                        let value = &html[value_start..value_end];
                        if value.contains('&') {
                            return None;
                        }
                        let lower = name.to_ascii_lowercase();
                        if html::URL_ATTRIBUTES.contains(&lower.as_str())
                            && unsafe_url(&element.to_ascii_lowercase(), value).is_some()
                        {
                            return None;
                        }
                        at = value_end + 1;
                    }
                    b if is_html_space(b) || b == b'>' || b == b'/' => {}
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
}

/// Where a plain end tag (`</name>`, `</name >`) at `open` ends, or `None` when it is not plain.
fn plain_end_tag(bytes: &[u8], open: usize) -> Option<usize> {
    let start = open + 2;
    if !bytes.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let mut at = start
        + bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())?;
    while bytes.get(at).copied().is_some_and(is_html_space) {
        at += 1;
    }
    (*bytes.get(at)? == b'>').then_some(at + 1)
}

/// A token sink that keeps the first unsafe construct it sees.
///
/// It never switches the tokenizer into the raw-text states a tree builder would after `<textarea>`,
/// `<title>` or `<xmp>`: inside `<svg>` those are ordinary elements and a tag in them is live, so every tag
/// is read as one. At worst that reports a tag that is only text, in an element no show notes need.
struct FirstUnsafe(RefCell<Option<Unsafe>>);

impl TokenSink for FirstUnsafe {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if self.0.borrow().is_some() {
            return TokenSinkResult::Continue;
        }
        let found = match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => unsafe_tag(&tag),
            // `<?import …>` is not HTML: the tokenizer reads it as a comment starting with `?`.
            Token::CommentToken(c) if c.to_ascii_lowercase().starts_with("?import") => {
                Some(Unsafe::Import)
            }
            _ => None,
        };
        if found.is_some() {
            *self.0.borrow_mut() = found;
        }
        TokenSinkResult::Continue
    }
}

/// What is unsafe about a start tag: the element itself, or the first unsafe attribute. The tokenizer has
/// already lowercased the names and decoded character references in the values.
fn unsafe_tag(tag: &Tag) -> Option<Unsafe> {
    let element: &str = &tag.name;
    if html::UNSAFE_TAGS.contains(&element) {
        return Some(Unsafe::Element(element.to_owned()));
    }
    tag.attrs.iter().find_map(|a| {
        let attr: &str = &a.name.local;
        let value: &str = &a.value;
        if attr.len() > 2 && attr.starts_with("on") {
            return Some(Unsafe::Handler {
                element: element.to_owned(),
                attr: attr.to_owned(),
            });
        }
        if html::URL_ATTRIBUTES.contains(&attr) {
            return unsafe_url(element, value).map(|(scheme, data_media_type)| Unsafe::Url {
                element: element.to_owned(),
                attr: attr.to_owned(),
                scheme,
                data_media_type,
            });
        }
        if attr == "style" {
            return unsafe_style(element, value);
        }
        None
    })
}

/// The scheme of a URL that runs code, or of a `data:` URL that is not an image (with its media type), as a
/// browser reads the URL: surrounding spaces and control characters dropped, tabs and newlines removed
/// anywhere, the scheme compared without case (the URL standard's basic URL parser).
fn unsafe_url(element: &str, value: &str) -> Option<(String, Option<String>)> {
    let url: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, rest) = url.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    if html::SCRIPT_SCHEMES.contains(&scheme.as_str()) {
        return Some((scheme, None));
    }
    if scheme == "data" {
        let media_type = rest
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        // An SVG image can hold script: safe inside `<img>`, which never runs it, but not as a page to open.
        let image =
            media_type.starts_with("image/") && (media_type != "image/svg+xml" || element == "img");
        if !image {
            return Some((scheme, Some(media_type)));
        }
    }
    None
}

/// A `style` attribute's CSS that runs code or positions the element out of flow, read without case,
/// spaces or comments (`POSITION: /**/ fixed`).
fn unsafe_style(element: &str, css: &str) -> Option<Unsafe> {
    let mut compact = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        compact.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    compact.push_str(rest);
    let compact: String = compact
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    // Old Internet Explorer ran `expression(…)` and `behavior:` components, old Firefox `-moz-binding`;
    // `url(javascript:…)` ran in both.
    let code = [
        "expression(",
        "javascript:",
        "vbscript:",
        "@import",
        "behavior:",
        "-moz-binding",
    ];
    if let Some(found) = code.into_iter().find(|c| compact.contains(c)) {
        return Some(Unsafe::StyleCode {
            element: element.to_owned(),
            found: found.to_owned(),
        });
    }
    ["position:absolute", "position:fixed"]
        .into_iter()
        .find(|p| compact.contains(p))
        .map(|p| Unsafe::Positioned {
            element: element.to_owned(),
            declaration: p.to_owned(),
        })
}

/// Markup or escaped entities in a plain-text element: apps show them literally. An entity whose `&` was
/// itself written as a character reference (`&#x26;amp;`) is what the author meant to show, and passes.
pub(in crate::validate) fn html_in_text(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) {
    let v = text_ref(node);
    let raw = ctx.text().get(node.range()).unwrap_or("");
    let literal_ampersand = ["&#x26;", "&#X26;", "&#38;"]
        .iter()
        .any(|r| raw.contains(r));
    if let Some(found) = markup(&v).filter(|m| !(literal_ampersand && m.starts_with('&'))) {
        ctx.at_text(
            &rules::HTML_IN_TEXT,
            node,
            format!("{what} contains `{found}`, which apps will show as it is"),
            Some("write plain text: no tags, and characters themselves instead of entities (`ï`, not `&#239;`)".to_owned()),
        );
    }
}

/// Tags authors paste into titles and names besides the ones apps render.
const OTHER_TAGS: &[&str] = &[
    "abbr", "big", "cite", "div", "font", "iframe", "img", "q", "script", "small", "span", "sub",
    "sup", "u",
];

/// Whether `name` (lowercase) is an HTML tag worth reporting in plain text: one apps render in show notes,
/// or one of a few others common in pasted text. An unknown name in angle brackets (`<Jerry>`) is text.
fn is_html_tag(name: &str) -> bool {
    html::RENDERED_TAGS.contains(&name) || OTHER_TAGS.contains(&name)
}

/// The first HTML tag or character entity in plain text, if any.
fn markup(text: &str) -> Option<String> {
    for (i, _) in text.match_indices('<') {
        let rest = &text[i + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let after = rest.trim_start_matches('/').get(name.len()..).unwrap_or("");
        let tag_ends = after.starts_with('>')
            || (!closing
                && (after.starts_with(' ') || after.starts_with('/'))
                && after.contains('>'));
        if is_html_tag(&name) && tag_ends {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            return Some(format!("<{}", &rest[..end.min(40)]));
        }
    }
    for (i, _) in text.match_indices('&') {
        let rest = &text[i + 1..];
        // A character reference that lost its semicolon (`&#0`, `&#x`): double-escaped, shown as is.
        if rest.starts_with('#')
            && rest[1..].starts_with(|c: char| c.is_ascii_digit() || c == 'x' || c == 'X')
            && !rest.contains(';')
        {
            return Some(format!("&{}", rest.chars().take(8).collect::<String>()));
        }
        let Some(end) = rest.find(';') else { continue };
        let body = &rest[..end];
        // As the W3C validator reads plain text: `&#…;` and `&name;` for an HTML entity name.
        let numeric = body.starts_with('#')
            && body.len() > 1
            && (body[1..].bytes().all(|b| b.is_ascii_digit())
                || (body[1..].starts_with(['x', 'X'])
                    && body.len() > 2
                    && body[2..].bytes().all(|b| b.is_ascii_hexdigit())));
        let named = (2..=8).contains(&body.len())
            && body.bytes().all(|b| b.is_ascii_alphanumeric())
            && body.bytes().any(|b| b.is_ascii_alphabetic());
        if numeric || named {
            return Some(format!("&{body};"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_safe_html_skips_the_tokenizer_and_anything_else_does_not() {
        for safe in [
            "<p>Notes &amp; more</p><ul><li><a href=\"https://example.com/0\">A link</a></li></ul>",
            "a < b and c > d <br/><img src='data:image/png;base64,AA' alt=\"x\">",
            "<P CLASS=\"x\">Shout</P >",
        ] {
            assert!(plainly_safe(safe), "{safe}");
            assert_eq!(tokenized_first_unsafe(safe), None, "{safe}");
        }
        for unsure in [
            "<a href=\"java&#115;cript:alert(1)\">x</a>",
            "<a href=javascript:alert(1)>x</a>",
            "<a title=\"x\"onclick=\"y\">",
            "<a href = \"javascript:x\">",
            "<!--?import x-->",
            "</?import x>",
            "<?import x>",
            "<p>cut off <a href=\"x\"",
            "<img src=\"a.png\" src=\"javascript:x\">",
            "<svg:script>",
            "<a xlink:href=\"javascript:x\">",
        ] {
            assert!(!plainly_safe(unsure), "{unsure}");
        }
        for dangerous in [
            "<p>x</p><script>alert(1)</script>",
            "<IMG SRC=\"x\" OnError=\"alert(1)\">",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<p style=\"position:fixed\">x</p>",
        ] {
            assert!(!plainly_safe(dangerous), "{dangerous}");
            assert!(first_unsafe(dangerous).is_some(), "{dangerous}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The fast reading never calls safe what the tokenizer finds unsafe, whatever the pieces.
        #[test]
        fn plainly_safe_html_is_safe_to_the_tokenizer(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<", ">", "/", "=", " ", "\n", "\"", "'", "&", "&#115;", "!", "?", "-", "a", "p", "img",
                "script", "style", "href", "src", "on", "onload", "error", "javascript:", "java\tscript:",
                "data:", "text/html", "image/svg+xml", "import", "position:fixed", "x:", "https://e.com/",
                "svg", "iframe", "A", "ON", "HREF", "Script",
            ]), 0..24)
        ) {
            let html: String = pieces.concat();
            if plainly_safe(&html) {
                proptest::prop_assert_eq!(tokenized_first_unsafe(&html), None, "{}", html);
            }
        }
    }

    #[test]
    fn markup_is_found_but_ordinary_text_is_not() {
        assert_eq!(markup("<b>Bold</b> title"), Some("<b>".to_owned()));
        assert_eq!(markup("Lo&#239;c"), Some("&#239;".to_owned()));
        assert_eq!(markup("Tom &amp; Jerry"), Some("&amp;".to_owned()));
        assert_eq!(markup("Tom & Jerry: a < b > c"), None);
        assert_eq!(markup("x <3 y"), None);
    }

    fn element(name: &str) -> Option<Unsafe> {
        Some(Unsafe::Element(name.to_owned()))
    }

    fn handler(element: &str, attr: &str) -> Option<Unsafe> {
        Some(Unsafe::Handler {
            element: element.to_owned(),
            attr: attr.to_owned(),
        })
    }

    fn script_url(element: &str, attr: &str, scheme: &str) -> Option<Unsafe> {
        Some(Unsafe::Url {
            element: element.to_owned(),
            attr: attr.to_owned(),
            scheme: scheme.to_owned(),
            data_media_type: None,
        })
    }

    #[test]
    fn script_tags_need_a_name_boundary() {
        assert_eq!(first_unsafe("<p><script>x</script>"), element("script"));
        assert_eq!(first_unsafe("&lt;scriptingNews&gt; <scriptingnews>"), None);
        // The W3C validator's "almost, but not quite, script tag", as the feed's XML decodes it.
        assert_eq!(first_unsafe("<scriptingNews>"), None);
    }

    #[test]
    fn event_handlers_are_found_only_inside_tags() {
        assert_eq!(
            first_unsafe("<img src=x onerror=alert(1)>"),
            handler("img", "onerror")
        );
        assert_eq!(first_unsafe("text with one = two"), None);
        assert_eq!(first_unsafe("<p>click on=this</p> onload=x"), None);
    }

    #[test]
    fn svg_onload_after_a_slash_is_an_event_handler() {
        assert_eq!(
            first_unsafe("<svg/onload=alert(1)>"),
            handler("svg", "onload")
        );
    }

    #[test]
    fn tag_and_attribute_names_are_read_without_case() {
        assert_eq!(
            first_unsafe("<IMG SRC=x OnError=alert(1)>"),
            handler("img", "onerror")
        );
        assert_eq!(first_unsafe("<ScRiPt>alert(1)</ScRiPt>"), element("script"));
        assert_eq!(
            first_unsafe("<A HREF=\"JaVaScRiPt:alert(1)\">x</A>"),
            script_url("a", "href", "javascript")
        );
    }

    #[test]
    fn unquoted_attribute_values_are_read() {
        assert_eq!(
            first_unsafe("<a href=javascript:alert(1)>x</a>"),
            script_url("a", "href", "javascript")
        );
        assert_eq!(
            first_unsafe("<body onload=alert(1)>"),
            handler("body", "onload")
        );
    }

    #[test]
    fn character_references_in_urls_are_decoded_as_a_browser_does() {
        assert_eq!(
            first_unsafe("<a href=\"java&#115;cript:alert(1)\">x</a>"),
            script_url("a", "href", "javascript")
        );
        assert_eq!(
            first_unsafe("<a href=\"javascript&colon;alert(1)\">x</a>"),
            script_url("a", "href", "javascript")
        );
        assert_eq!(
            first_unsafe("<a href=\"java&#x09;script:alert(1)\">x</a>"),
            script_url("a", "href", "javascript")
        );
    }

    #[test]
    fn spaces_before_a_script_url_do_not_hide_it() {
        assert_eq!(
            first_unsafe("<a href=\" javascript:alert(1)\">x</a>"),
            script_url("a", "href", "javascript")
        );
        assert_eq!(
            first_unsafe("<a href=\"\u{1}\n vbscript:msgbox(1)\">x</a>"),
            script_url("a", "href", "vbscript")
        );
        assert_eq!(
            first_unsafe("<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>"),
            script_url("a", "xlink:href", "javascript")
        );
    }

    #[test]
    fn web_and_mail_links_and_image_data_are_safe() {
        let notes = "<p>See <a href=\"https://example.com/a?b=1&amp;c=2\">the notes</a>, \
                     <a href=\"mailto:show@example.com\">write</a>, \
                     <img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"javascript: a guide\"></p>";
        assert_eq!(first_unsafe(notes), None);
        assert_eq!(first_unsafe("<p>javascript: the good parts</p>"), None);
        assert_eq!(
            first_unsafe("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>"),
            Some(Unsafe::Url {
                element: "a".to_owned(),
                attr: "href".to_owned(),
                scheme: "data".to_owned(),
                data_media_type: Some("text/html".to_owned()),
            })
        );
        assert!(
            first_unsafe("<a href=\"data:image/svg+xml,<svg onload=alert(1)>\">x</a>").is_some()
        );
        assert_eq!(
            first_unsafe("<img src=\"data:image/svg+xml,<svg></svg>\">"),
            None
        );
    }

    #[test]
    fn positioned_and_scripted_styles_are_found_in_any_spelling() {
        assert_eq!(
            first_unsafe("<img style=\"POSITION: /* x */ Fixed\" src=\"https://e.com/p.gif\">"),
            Some(Unsafe::Positioned {
                element: "img".to_owned(),
                declaration: "position:fixed".to_owned(),
            })
        );
        assert_eq!(
            first_unsafe("<span style=\"background: url(javascript:alert(1))\">x</span>"),
            Some(Unsafe::StyleCode {
                element: "span".to_owned(),
                found: "javascript:".to_owned(),
            })
        );
        assert_eq!(
            first_unsafe("<span style=\"font-style: italic; position: relative\">x</span>"),
            None
        );
    }

    #[test]
    fn an_ie_import_is_found() {
        assert_eq!(
            first_unsafe("<?import namespace=\"xss\" implementation=\"https://e.com/x.htc\">"),
            Some(Unsafe::Import)
        );
    }

    #[test]
    fn the_first_problem_in_document_order_is_reported() {
        assert_eq!(
            first_unsafe("<p onclick=x>a</p><iframe src=\"https://e.com\"></iframe>"),
            handler("p", "onclick")
        );
        assert_eq!(first_unsafe("<FORM action=/x><input>"), element("form"));
    }
}
