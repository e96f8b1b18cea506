//! Apple Podcasts: the `itunes:` tags Apple requires and recommends, and their values.
//! Reference: Apple's "A Podcaster's Guide to RSS" and podcast requirements
//! (<https://podcasters.apple.com/support/823-podcast-requirements>).

use roxmltree::Node;

use super::{Ctx, Elements, rss, rules};
use crate::feed::parse::{ChildElements, Ns, child, children, text_ref};
use crate::vocab;
use crate::vocab::limits::{APPLE_DESCRIPTION_LIMIT, APPLE_TEXT_LIMIT};
use crate::vocab::media_type;

/// `itunes:` elements of the channel.
pub(super) const CHANNEL: Elements = Elements {
    known: &[
        "author",
        "block",
        "category",
        "complete",
        "explicit",
        "image",
        "keywords",
        "new-feed-url",
        "owner",
        "subtitle",
        "summary",
        "title",
        "type",
        "applepodcastsverify",
    ],
    repeatable: &["category", "applepodcastsverify"],
};
/// `itunes:` elements of an item: each at most once.
pub(super) const ITEM: Elements = Elements {
    known: &[
        "author",
        "block",
        "duration",
        "episode",
        "episodeType",
        "explicit",
        "image",
        "isClosedCaptioned",
        "keywords",
        "order",
        "season",
        "subtitle",
        "summary",
        "title",
    ],
    repeatable: &[],
};

pub(super) fn channel(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>, items: &[Node<'_, '_>]) {
    let channel = elements.parent();
    match elements.child(Ns::Itunes, "image") {
        Some(image) => itunes_image(ctx, image),
        None => ctx.at_node(
            &rules::MISSING_ITUNES_IMAGE,
            channel,
            "the channel has no `itunes:image`",
            Some("Apple Podcasts requires show artwork: `<itunes:image href=\"https://…/cover.jpg\"/>`, square, 1400–3000 px".to_owned()),
        ),
    }
    let categories: Vec<Node<'_, '_>> = elements.children(Ns::Itunes, "category").collect();
    if categories.is_empty() {
        ctx.at_node(
            &rules::MISSING_CATEGORY,
            channel,
            "the channel has no `itunes:category`",
            Some("Apple Podcasts requires one of its categories, e.g. `<itunes:category text=\"News\"/>`".to_owned()),
        );
    }
    for c in categories {
        category(ctx, c, None);
        for sub in children(c, Ns::Itunes, "category") {
            category(ctx, sub, c.attribute("text"));
        }
    }
    match elements.child(Ns::Itunes, "explicit") {
        Some(e) => explicit(ctx, e),
        None => ctx.at_node(
            &rules::MISSING_EXPLICIT,
            channel,
            "the channel has no `itunes:explicit`",
            Some(
                "Apple Podcasts requires it: `<itunes:explicit>false</itunes:explicit>`".to_owned(),
            ),
        ),
    }
    match elements.child(Ns::Itunes, "author") {
        Some(a) => short_text(ctx, a, "`itunes:author`"),
        None => ctx.missing_recommended(
            channel,
            "itunes:author",
            "Apple recommends naming the person or company behind the show",
        ),
    }
    let owner_email = elements
        .child(Ns::Itunes, "owner")
        .and_then(|o| child(o, Ns::Itunes, "email"));
    match owner_email {
        Some(e) => {
            let v = text_ref(e);
            if crate::vocab::Email::parse(&v).is_none() {
                ctx.at_text(
                    &rules::BAD_EMAIL,
                    e,
                    format!("`{v}` is not an email address"),
                    None,
                );
            }
        }
        None => ctx.at_node(
            &rules::MISSING_OWNER_EMAIL,
            channel,
            "the channel has no `itunes:owner` with an `itunes:email`",
            Some(
                "Apple no longer asks for it, but other directories use it to verify the show"
                    .to_owned(),
            ),
        ),
    }
    if let Some(name) = elements
        .child(Ns::Itunes, "owner")
        .and_then(|o| child(o, Ns::Itunes, "name"))
    {
        short_text(ctx, name, "`itunes:name`");
    }
    if let Some(t) = elements.child(Ns::Itunes, "type") {
        let v = text_ref(t);
        if !matches!(&*v, "episodic" | "serial") {
            ctx.at_text(
                &rules::BAD_TYPE,
                t,
                format!("`itunes:type` is `{v}`, not `episodic` or `serial`"),
                did_you_mean(&v, &["episodic", "serial"]),
            );
        }
    }
    for name in ["block", "complete"] {
        if let Some(n) = elements.child(Ns::Itunes, name) {
            yes_no(ctx, n);
        }
    }
    if let Some(u) = elements.child(Ns::Itunes, "new-feed-url") {
        let v = text_ref(u);
        if let Some(problem) = rss::url_problem(&v) {
            ctx.at_text(&rules::BAD_URL, u, format!("`{v}` {problem}"), None);
        }
    }
    common_texts(ctx, elements);
    let _ = items;
}

pub(super) fn item(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>, serial: bool) {
    let item = elements.parent();
    match elements.child(Ns::Itunes, "duration") {
        Some(d) => {
            let v = text_ref(d);
            if crate::feed::parse::duration_seconds(&v).is_none() {
                ctx.at_text(
                    &rules::BAD_DURATION,
                    d,
                    format!("`itunes:duration` `{v}` is not a duration"),
                    Some(
                        "write whole seconds (`1800`), as Apple recommends, or `H:MM:SS`"
                            .to_owned(),
                    ),
                );
            }
        }
        None => ctx.missing_recommended(
            item,
            "itunes:duration",
            "Apple recommends it, in whole seconds",
        ),
    }
    match elements.child(Ns::Itunes, "explicit") {
        Some(e) => explicit(ctx, e),
        None => ctx.missing_recommended(
            item,
            "itunes:explicit",
            "Apple recommends stating it for every episode",
        ),
    }
    match elements.child(Ns::Itunes, "image") {
        Some(i) => itunes_image(ctx, i),
        None => ctx.missing_recommended(
            item,
            "itunes:image",
            "Apple recommends episode artwork (the show's artwork will do)",
        ),
    }
    for name in ["season", "episode"] {
        if let Some(n) = elements.child(Ns::Itunes, name) {
            let v = text_ref(n);
            if v.parse::<u32>().map_or(true, |x| x == 0) {
                ctx.at_text(
                    &rules::BAD_EPISODE_NUMBER,
                    n,
                    format!("`itunes:{name}` `{v}` is not a whole number from 1 up"),
                    None,
                );
            }
        }
    }
    if serial && elements.child(Ns::Itunes, "episode").is_none() {
        ctx.at_node(
            &rules::MISSING_SERIAL_NUMBERS,
            item,
            "this serial show's item has no `itunes:episode`",
            Some("Apple orders serial shows by episode number".to_owned()),
        );
    }
    if let Some(t) = elements.child(Ns::Itunes, "episodeType") {
        let v = text_ref(t);
        if !matches!(&*v, "full" | "trailer" | "bonus") {
            ctx.at_text(
                &rules::BAD_EPISODE_TYPE,
                t,
                format!("`itunes:episodeType` is `{v}`, not `full`, `trailer` or `bonus`"),
                did_you_mean(&v, &["full", "trailer", "bonus"]),
            );
        }
    }
    if let Some(b) = elements.child(Ns::Itunes, "block") {
        yes_no(ctx, b);
    }
    if let Some(a) = elements.child(Ns::Itunes, "author") {
        short_text(ctx, a, "`itunes:author`");
    }
    common_texts(ctx, elements);
}

/// Texts both levels share: titles, subtitles, summaries and keywords are plain text with length limits.
fn common_texts(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>) {
    for name in ["title", "subtitle"] {
        if let Some(n) = elements.child(Ns::Itunes, name) {
            short_text(ctx, n, &format!("`itunes:{name}`"));
        }
    }
    if let Some(k) = elements.child(Ns::Itunes, "keywords") {
        short_text(ctx, k, "`itunes:keywords`");
    }
    if let Some(s) = elements.child(Ns::Itunes, "summary") {
        rss::html_in_text(ctx, s, "`itunes:summary`");
        let n = text_ref(s).chars().count();
        if n > APPLE_DESCRIPTION_LIMIT {
            ctx.at_node(
                &rules::TOO_LONG,
                s,
                format!(
                    "`itunes:summary` is {n} characters long; Apple's limit is {APPLE_DESCRIPTION_LIMIT}"
                ),
                None,
            );
        }
    }
}

fn short_text(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) {
    let v = text_ref(node);
    if v.chars().count() > APPLE_TEXT_LIMIT {
        ctx.at_node(
            &rules::TOO_LONG,
            node,
            format!(
                "{what} is {} characters long; Apple's limit is {APPLE_TEXT_LIMIT}",
                v.chars().count()
            ),
            None,
        );
    }
    rss::html_in_text(ctx, node, what);
}

fn itunes_image(ctx: &mut Ctx<'_>, image: Node<'_, '_>) {
    let Some(href) = image.attribute("href") else {
        let text_url = text_ref(image);
        ctx.at_node(
            &rules::MISSING_ATTRIBUTE,
            image,
            "`itunes:image` has no `href`",
            Some(if text_url.is_empty() {
                "write `<itunes:image href=\"https://…/cover.jpg\"/>`".to_owned()
            } else {
                format!("the URL goes in the attribute: `<itunes:image href=\"{text_url}\"/>`")
            }),
        );
        return;
    };
    let Ok(parsed) = rss::attribute_url_parsed(ctx, image, "href", href, true) else {
        return;
    };
    let path = parsed
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    if ![".jpg", ".jpeg", ".png"].iter().any(|e| path.ends_with(e)) {
        ctx.at_attr(
            &rules::BAD_IMAGE_URL,
            image,
            "href",
            "the artwork URL does not end in `.jpg` or `.png`",
            Some("Apple requires a JPEG or PNG whose URL shows its type".to_owned()),
        );
    }
}

fn category(ctx: &mut Ctx<'_>, node: Node<'_, '_>, parent: Option<&str>) {
    let Some(name) = node.attribute("text") else {
        ctx.at_node(
            &rules::MISSING_ATTRIBUTE,
            node,
            "`itunes:category` has no `text`",
            Some("write `<itunes:category text=\"News\"/>`".to_owned()),
        );
        return;
    };
    let valid = match parent {
        None => vocab::category::is_apple_category(name, None),
        Some(p) => vocab::category::is_apple_category(p, Some(name)),
    };
    if valid {
        return;
    }
    // A parent that is itself invalid was reported already; its subcategories are not judged again.
    if let Some(p) = parent
        && !vocab::category::is_apple_category(p, None)
    {
        return;
    }
    let path = match parent {
        Some(p) => format!("{p} > {name}"),
        None => name.to_owned(),
    };
    let obsolete = match parent {
        Some(p) => vocab::category::obsolete_apple_category(p, Some(name)),
        None => vocab::category::obsolete_apple_category(name, None),
    };
    if let Some(now) = obsolete {
        ctx.at_attr(
            &rules::OBSOLETE_CATEGORY,
            node,
            "text",
            format!("`{path}` is a category Apple retired in 2019"),
            Some(format!("use `{now}`")),
        );
        return;
    }
    let hint = match parent {
        None => vocab::category::nearest_apple_category(name, None),
        Some(p) => vocab::category::nearest_apple_category(p, Some(name)),
    };
    ctx.at_attr(
        &rules::BAD_CATEGORY,
        node,
        "text",
        format!("`{path}` is not one of Apple's podcast categories"),
        Some(match hint {
            Some(h) => format!("did you mean `{h}`? (write `&amp;` for `&`; case matters)"),
            None => "see Apple's list: https://podcasters.apple.com/support/1691-apple-podcasts-categories".to_owned(),
        }),
    );
}

fn explicit(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    match &*v {
        "true" | "false" => {}
        other
            if matches!(
                other.to_ascii_lowercase().as_str(),
                "yes" | "no" | "clean" | "explicit"
            ) =>
        {
            let meant = if matches!(other.to_ascii_lowercase().as_str(), "yes" | "explicit") {
                "true"
            } else {
                "false"
            };
            ctx.at_text(
                &rules::BAD_EXPLICIT,
                node,
                format!("`itunes:explicit` is `{v}`, an older value"),
                Some(format!(
                    "Apple now documents `true` and `false`: write `{meant}`"
                )),
            );
            if let Some(d) = ctx.last_reported() {
                d.severity = crate::diag::Severity::Warning;
            }
        }
        _ => ctx.at_text(
            &rules::BAD_EXPLICIT,
            node,
            format!("`itunes:explicit` is `{v}`, not `true` or `false`"),
            Some("write `true` if the episode has explicit content, else `false`".to_owned()),
        ),
    }
}

fn yes_no(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    if !matches!(v.to_ascii_lowercase().as_str(), "yes" | "no") {
        ctx.at_text(
            &rules::BAD_YES,
            node,
            format!("`itunes:{}` is `{v}`, not `Yes`", node.tag_name().name()),
            Some("Apple acts only on `Yes`; remove the tag otherwise".to_owned()),
        );
    }
}

/// Checks an enclosure's MIME type and that the file name's extension agrees with it.
/// `parsed` is the enclosure's URL as [`url::Url::parse`] reads it, when the caller has it.
pub(super) fn enclosure_type(
    ctx: &mut Ctx<'_>,
    e: Node<'_, '_>,
    mime: &str,
    parsed: Option<&url::Url>,
) {
    let mime = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let reparsed;
    let url = match parsed {
        Some(url) => Some(url),
        None => {
            reparsed = e.attribute("url").and_then(|u| url::Url::parse(u).ok());
            reparsed.as_ref()
        }
    };
    let extension = url
        .and_then(|u| {
            let path = u.path().to_ascii_lowercase();
            path.rsplit_once('.').map(|(_, ext)| ext.to_owned())
        })
        .filter(|ext| ext.len() <= 5 && !ext.contains('/'));
    if !media_type::is_media(&mime) {
        ctx.at_attr(
            &rules::ENCLOSURE_NOT_MEDIA,
            e,
            "type",
            format!("the enclosure type `{mime}` is not audio or video: Apple Podcasts rejects the episode"),
            Some("link the media file itself and give its type (`audio/mpeg` for MP3, `audio/x-m4a` for M4A, `video/mp4`…); if the server sends this type for the file, configure it to send the media type".to_owned()),
        );
        return;
    }
    if !media_type::APPLE_MEDIA_TYPES.contains(&mime.as_str()) {
        let helps = match mime.as_str() {
            "audio/mp3" | "audio/mpeg3" | "audio/x-mp3" | "audio/x-mpeg" => "for MP3, write `audio/mpeg`".to_owned(),
            "audio/aac" => "for AAC in an M4A file, write `audio/x-m4a`".to_owned(),
            _ => "Apple Podcasts accepts `audio/mpeg` (MP3), `audio/x-m4a` (AAC), `video/mp4`, `video/quicktime`, `video/x-m4v` and `application/pdf`; other apps may play more".to_owned(),
        };
        ctx.at_attr(
            &rules::UNSUPPORTED_MEDIA_TYPE,
            e,
            "type",
            format!("the enclosure type `{mime}` is not one Apple Podcasts accepts"),
            Some(helps),
        );
        return;
    }
    let expected = media_type::extensions_for(&mime);
    if let Some(ext) = extension
        && !expected.is_empty()
        && media_type::MEDIA_EXTENSIONS.contains(&ext.as_str())
        && !expected.contains(&ext.as_str())
    {
        ctx.at_attr(
            &rules::UNSUPPORTED_MEDIA_TYPE,
            e,
            "type",
            format!("the enclosure type `{mime}` does not match the file's extension `.{ext}`"),
            Some(
                "Apple decides by the extension whether it can play the file; make them agree"
                    .to_owned(),
            ),
        );
    }
}

fn did_you_mean(v: &str, options: &[&str]) -> Option<String> {
    crate::diag::suggest::did_you_mean(v, options.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
}
