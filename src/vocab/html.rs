//! HTML in show notes: the elements podcast apps render, the link schemes they follow, and what they never
//! run. castkit writes show notes with [`RENDERED_TAGS`] and [`LINK_SCHEMES`] only (through the Markdown
//! sanitiser), and the validator reports in anyone's feed what apps strip or refuse.

/// The elements podcast apps render in a description or `content:encoded`: text structure, lists, links,
/// simple tables. Apple's guide names `<p>`, `<ol>`, `<ul>`, `<li>` and `<a>`; the rest are the plain text
/// markup Markdown produces. Anything else is dropped when castkit turns Markdown into HTML.
pub const RENDERED_TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The URL schemes a link in show notes may use: web pages and email addresses.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Elements no app runs in show notes: scripts and styles, frames and plugins, forms, and the elements
/// that change the page around the notes (`<meta>` refreshes or redirects it, `<base>` and `<link>`
/// change where its links go and how it looks).
pub const UNSAFE_TAGS: &[&str] = &[
    "applet", "base", "embed", "form", "frame", "frameset", "iframe", "link", "meta", "object",
    "script", "style",
];

/// URL schemes that run code when a link is followed or a resource loaded.
pub const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript"];

/// Attributes whose value is a URL that a browser loads or follows (SVG's `xlink:href`, and `to`, `from`
/// and `values` of `<animate>` and `<set>`, which can rewrite an `href` into one).
pub const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "from",
    "href",
    "longdesc",
    "lowsrc",
    "poster",
    "src",
    "to",
    "values",
    "xlink:href",
];
