//! HTML in a feed: unsafe HTML in the descriptions apps render, and markup or entities in the plain-text
//! elements they show as written.

use roxmltree::Node;

use crate::feed::parse::text;
use crate::validate::{Ctx, rules};

/// Tags HTML readers should never run, in a description's HTML.
pub(super) fn unsafe_html(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text(node).to_ascii_lowercase();
    let found = [
        "script", "iframe", "object", "embed", "form", "meta", "applet", "frameset", "style",
    ]
    .into_iter()
    .find(|name| has_tag(&v, name))
    .map(|name| format!("<{name}"))
    .or_else(|| {
        [
            "javascript:",
            "vbscript:",
            "@import",
            "<?import",
            "expression(",
        ]
        .into_iter()
        .find(|s| v.contains(s))
        .map(str::to_owned)
    })
    .or_else(|| event_handler(&v))
    .or_else(|| positioned_style(&v));
    if let Some(what) = found {
        ctx.at_text(
            &rules::UNSAFE_HTML,
            node,
            format!("this description contains `{}`", what.trim_end_matches('=')),
            Some(
                "remove scripts, frames, forms and `on…` event handlers; apps strip them anyway"
                    .to_owned(),
            ),
        );
    }
}

/// Whether `html` has a start tag `<name` (followed by a space, `>` or `/`, so `<scriptingNews>` is not a
/// script).
fn has_tag(html: &str, name: &str) -> bool {
    html.match_indices('<').any(|(i, _)| {
        let rest = &html[i + 1..];
        rest.starts_with(name)
            && rest[name.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
    })
}

/// A `style` that takes an element out of the page's flow (`position: absolute` or `fixed`): the way an
/// item's HTML covers the app's own controls or hides a tracking pixel.
fn positioned_style(html: &str) -> Option<String> {
    let compact: String = html.chars().filter(|c| !c.is_whitespace()).collect();
    ["position:absolute", "position:fixed"]
        .into_iter()
        .find(|p| compact.contains("style=") && compact.contains(p))
        .map(|p| format!("style=\"{p}\""))
}

/// An `on…=` attribute inside a tag (`<img onerror=…>`).
fn event_handler(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut in_tag = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag
                && i > 0
                && bytes[i - 1].is_ascii_whitespace()
                && bytes.get(i + 1) == Some(&b'n') =>
            {
                let name: String = html[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                let after = html[i + name.len()..].trim_start();
                if name.len() > 2 && after.starts_with('=') {
                    return Some(format!("{name}="));
                }
            }
            _ => {}
        }
    }
    None
}

/// Markup or escaped entities in a plain-text element: apps show them literally. An entity whose `&` was
/// itself written as a character reference (`&#x26;amp;`) is what the author meant to show, and passes.
pub(in crate::validate) fn html_in_text(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) {
    let v = text(node);
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

/// The first HTML tag or character entity in plain text, if any.
fn markup(text: &str) -> Option<String> {
    const TAGS: &[&str] = &[
        "a",
        "b",
        "i",
        "u",
        "p",
        "br",
        "em",
        "strong",
        "span",
        "div",
        "img",
        "script",
        "font",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "code",
        "pre",
        "table",
        "tr",
        "td",
        "hr",
        "sup",
        "sub",
        "small",
        "big",
        "cite",
        "q",
        "abbr",
        "iframe",
    ];
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
        if TAGS.contains(&name.as_str()) && tag_ends {
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
    fn markup_is_found_but_ordinary_text_is_not() {
        assert_eq!(markup("<b>Bold</b> title"), Some("<b>".to_owned()));
        assert_eq!(markup("Lo&#239;c"), Some("&#239;".to_owned()));
        assert_eq!(markup("Tom &amp; Jerry"), Some("&amp;".to_owned()));
        assert_eq!(markup("Tom & Jerry: a < b > c"), None);
        assert_eq!(markup("x <3 y"), None);
    }

    #[test]
    fn script_tags_need_a_name_boundary() {
        assert!(has_tag("<p><script>x</script>", "script"));
        assert!(!has_tag("&lt;scriptingNews&gt; <scriptingnews>", "script"));
    }

    #[test]
    fn event_handlers_are_found_only_inside_tags() {
        assert_eq!(
            event_handler("<img src=x onerror=alert(1)>"),
            Some("onerror=".to_owned())
        );
        assert_eq!(event_handler("text with one = two"), None);
    }
}
