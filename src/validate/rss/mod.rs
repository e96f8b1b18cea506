//! RSS 2.0: the feed's structure and its required elements, channel by channel and item by item; then the
//! namespace rules. The values RSS defines (dates, URLs, languages, emails, numbers) are checked in
//! `values`, the HTML of descriptions and markup in plain text in `html`.
//! Reference: <https://www.rssboard.org/rss-specification>.

mod html;
mod values;

use std::borrow::Cow;
use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::{Ctx, Elements, apple, media, podcast, rules};
use crate::diag::suggest::did_you_mean;
use crate::feed::parse::{ChildElements, Ns, child, children, is, text_ref};
use crate::vocab::ns;
use html::unsafe_html;
use values::{
    date, language, link_value, long_description, positive_number, rss_person, url_value,
};

pub(super) use html::html_in_text;
pub(super) use values::{attribute_url, attribute_url_parsed, url_problem};

/// RSS 2.0 channel elements (no namespace).
const CHANNEL: Elements = Elements {
    known: &[
        "title",
        "link",
        "description",
        "language",
        "copyright",
        "managingEditor",
        "webMaster",
        "pubDate",
        "lastBuildDate",
        "category",
        "generator",
        "docs",
        "cloud",
        "ttl",
        "image",
        "rating",
        "textInput",
        "skipHours",
        "skipDays",
        "item",
    ],
    repeatable: &["category", "item"],
};
/// RSS 2.0 item elements. Several enclosures are F123, not a duplicate element.
const ITEM: Elements = Elements {
    known: &[
        "title",
        "link",
        "description",
        "author",
        "category",
        "comments",
        "enclosure",
        "guid",
        "pubDate",
        "source",
    ],
    repeatable: &["category", "enclosure"],
};
/// The RSS 2.0 channel image's elements.
const IMAGE: Elements = Elements {
    known: &["url", "title", "link", "width", "height", "description"],
    repeatable: &[],
};

/// Items checked together on one thread: enough that handing them over costs little.
const ITEMS_PER_PART: usize = 256;

pub(super) fn check(ctx: &mut Ctx<'_>, doc: &Document<'_>) {
    let root = doc.root_element();
    if !is(root, Ns::Rss, "rss") {
        let what = match (root.tag_name().name(), root.tag_name().namespace()) {
            ("feed", Some("http://www.w3.org/2005/Atom")) => "an Atom feed",
            ("RDF", _) => "an RSS 1.0 (RDF) feed",
            _ => "not an RSS feed",
        };
        ctx.at_node(
            &rules::NOT_RSS,
            root,
            format!("the root element is `<{}>`: this is {what}", root.tag_name().name()),
            Some("podcast apps and directories need an RSS 2.0 feed: `<rss version=\"2.0\">` with a `<channel>`".to_owned()),
        );
        return;
    }
    match root.attribute("version") {
        Some("2.0") => {}
        Some(v) => ctx.at_attr(
            &rules::RSS_VERSION,
            root,
            "version",
            format!("the feed says it is RSS {v}; podcast feeds are RSS 2.0"),
            Some("write `<rss version=\"2.0\">` (RSS 2.0 reads every RSS 0.9x feed)".to_owned()),
        ),
        None => ctx.at_node(
            &rules::RSS_VERSION,
            root,
            "`<rss>` has no `version` attribute",
            Some("write `<rss version=\"2.0\">`".to_owned()),
        ),
    }
    check_namespaces(ctx, root);
    let Some(channel) = child(root, Ns::Rss, "channel") else {
        ctx.at_node(
            &rules::MISSING_CHANNEL,
            root,
            "`<rss>` has no `<channel>`",
            None,
        );
        return;
    };
    if children(root, Ns::Rss, "channel").count() > 1 {
        let second = children(root, Ns::Rss, "channel").nth(1).unwrap_or(channel);
        ctx.at_node(
            &rules::DUPLICATE_ELEMENT,
            second,
            "`<rss>` has more than one `<channel>`; apps read only the first",
            None,
        );
    }
    let channel_elements = ChildElements::of(channel);
    let self_url = channel_checks(ctx, &channel_elements);
    let items: Vec<Node<'_, '_>> = channel_elements.children(Ns::Rss, "item").collect();
    let serial = channel_elements
        .child(Ns::Itunes, "type")
        .is_some_and(|t| text_ref(t) == "serial");
    // The first item with each guid and enclosure URL, borrowed from the document: no copy per item. The
    // standard hasher: keyed per process, so a hostile feed cannot make its guids collide.
    let mut guids: HashMap<Cow<'_, str>, Node<'_, '_>> = HashMap::with_capacity(items.len());
    let mut enclosures: HashMap<&str, Node<'_, '_>> = HashMap::with_capacity(items.len());
    // Each item's own checks run in parallel, a run of items per part; the parts' findings are then taken
    // in document order, folded and capped as if one context had checked every item.
    let parts: Vec<(Ctx<'_>, Vec<ChildElements<'_, '_>>)> = {
        use rayon::prelude::*;
        let whole: &Ctx<'_> = ctx;
        items
            .par_chunks(ITEMS_PER_PART)
            .map(|run| {
                let mut part = whole.part();
                let elements: Vec<ChildElements<'_, '_>> =
                    run.iter().map(|item| ChildElements::of(*item)).collect();
                for item in &elements {
                    item_checks(&mut part, item, serial);
                }
                (part, elements)
            })
            .collect()
    };
    let mut checked = Vec::with_capacity(items.len());
    for (part, elements) in parts {
        ctx.absorb(part);
        checked.extend(elements);
    }
    for item in &checked {
        if let Some(g) = item.child(Ns::Rss, "guid") {
            let value = text_ref(g);
            if !value.is_empty() {
                if let Some(first) = guids.get(&value) {
                    let line = ctx.source.line_col(first.range().start).0;
                    ctx.at_text(
                        &rules::DUPLICATE_GUID,
                        g,
                        format!("the guid `{value}` is also the guid of the item at line {line}"),
                        Some(
                            "every episode needs its own guid, and it must never change".to_owned(),
                        ),
                    );
                } else {
                    guids.insert(value, g);
                }
            }
        }
        for e in item.children(Ns::Rss, "enclosure") {
            if let Some(url) = e.attribute("url").filter(|u| !u.is_empty()) {
                if let Some(first) = enclosures.get(url) {
                    let line = ctx.source.line_col(first.range().start).0;
                    ctx.at_attr(
                        &rules::DUPLICATE_ENCLOSURE_URL,
                        e,
                        "url",
                        format!("this enclosure URL is also used by the item at line {line}"),
                        Some("Apple Podcasts ignores duplicate enclosure URLs: each episode needs its own file".to_owned()),
                    );
                } else {
                    enclosures.insert(url, e);
                }
            }
        }
    }
    apple::channel(ctx, &channel_elements, &items);
    // An archive page (RFC 5005) carries the feed's identity: its podcast:guid is the feed's.
    let feed_url = super::archive::subscription_url(channel).or(self_url.as_deref());
    podcast::channel(ctx, &channel_elements, feed_url);
    if let Some(map) = ctx.options.media.clone() {
        media::check(ctx, channel, &items, &map);
    }
}

/// Well-known prefixes bound to a URI that differs from the real one only in case or a trailing slash.
fn check_namespaces(ctx: &mut Ctx<'_>, root: Node<'_, '_>) {
    let known = [
        ("itunes", ns::ITUNES),
        ("podcast", ns::PODCAST),
        ("atom", ns::ATOM),
        ("content", ns::CONTENT),
        ("psc", ns::PSC),
    ];
    for namespace in root.namespaces() {
        let uri = namespace.uri();
        let prefix = namespace.name().unwrap_or("");
        if uri == ns::PODCAST_LEGACY {
            let at = declaration(ctx.text(), prefix);
            ctx.report(
                &rules::LEGACY_PODCAST_NAMESPACE,
                at,
                format!("`xmlns:{prefix}` is the older Podcasting 2.0 URI"),
                Some(format!("use `{}`", ns::PODCAST)),
            );
            continue;
        }
        let loose = |u: &str| u.trim_end_matches('/').to_ascii_lowercase();
        for (name, real) in known {
            if uri != real && loose(uri) == loose(real) {
                let at = declaration(ctx.text(), prefix);
                ctx.report(
                    &rules::WRONG_NAMESPACE,
                    at,
                    format!("`xmlns:{prefix}` is `{uri}`, not the {name} namespace `{real}`"),
                    Some(format!(
                        "namespace URIs are compared exactly: write `xmlns:{prefix}=\"{real}\"`"
                    )),
                );
            }
        }
    }
}

/// Where `xmlns:prefix=` is written (for pointing at it).
fn declaration(source: &str, prefix: &str) -> std::ops::Range<usize> {
    let needle = if prefix.is_empty() {
        "xmlns=".to_owned()
    } else {
        format!("xmlns:{prefix}=")
    };
    source
        .find(&needle)
        .map_or(0..0, |at| at..at + needle.len() - 1)
}

/// Checks the channel's own elements; returns the feed's self URL (`atom:link rel="self"`), if any.
fn channel_checks(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>) -> Option<String> {
    let channel = elements.parent();
    for name in ["title", "link", "description"] {
        match elements.child(Ns::Rss, name) {
            None => ctx.at_node(
                &rules::MISSING_CHANNEL_ELEMENT,
                channel,
                format!("the channel has no `<{name}>`"),
                Some(
                    match name {
                        "title" => "add the show's name: `<title>…</title>`",
                        "link" => "add the show's website: `<link>https://…</link>`",
                        _ => "add a description of the show: `<description>…</description>`",
                    }
                    .to_owned(),
                ),
            ),
            Some(n) if text_ref(n).is_empty() && name != "link" => ctx.at_node(
                &rules::EMPTY_VALUE,
                n,
                format!("the channel's `<{name}>` is empty"),
                None,
            ),
            Some(_) => {}
        }
    }
    duplicates_and_unknowns(ctx, elements, &CHANNEL, "channel");
    if let Some(t) = elements.child(Ns::Rss, "title") {
        html_in_text(ctx, t, "the channel's title");
    }
    if let Some(l) = elements.child(Ns::Rss, "link") {
        link_value(ctx, l);
    }
    if let Some(d) = elements.child(Ns::Rss, "description") {
        long_description(ctx, d);
        unsafe_html(ctx, d, "the channel's description");
    }
    match elements.child(Ns::Rss, "language") {
        Some(l) => language(ctx, l),
        None => ctx.at_node(
            &rules::MISSING_LANGUAGE,
            channel,
            "the channel has no `<language>`",
            Some("Apple Podcasts requires it: e.g. `<language>en</language>`".to_owned()),
        ),
    }
    for name in ["pubDate", "lastBuildDate"] {
        if let Some(d) = elements.child(Ns::Rss, name) {
            date(ctx, d, false);
        }
    }
    for name in ["managingEditor", "webMaster"] {
        if let Some(e) = elements.child(Ns::Rss, name) {
            rss_person(ctx, e);
        }
    }
    if let Some(ttl) = elements.child(Ns::Rss, "ttl") {
        positive_number(ctx, ttl, "ttl");
    }
    if let Some(image) = elements.child(Ns::Rss, "image") {
        rss_image(ctx, image);
    }
    // atom:link rel="self": required by the Podcast Standards Project, and how apps follow a moved feed.
    let self_link = elements
        .children(Ns::Atom, "link")
        .find(|l| l.attribute("rel") == Some("self"));
    for link in elements.children(Ns::Atom, "link") {
        match link.attribute("href") {
            None => ctx.at_node(
                &rules::MISSING_ATTRIBUTE,
                link,
                "`atom:link` has no `href`",
                None,
            ),
            Some(href) => {
                attribute_url(ctx, link, "href", href, false);
            }
        }
    }
    match self_link {
        Some(l) => l.attribute("href").map(str::to_owned),
        None => {
            ctx.at_node(
                &rules::MISSING_SELF_LINK,
                channel,
                "the channel has no `atom:link rel=\"self\"`",
                Some(format!(
                    "add `<atom:link href=\"https://…/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>` with `xmlns:atom=\"{}\"`",
                    ns::ATOM
                )),
            );
            None
        }
    }
}

fn item_checks(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>, serial: bool) {
    let item = elements.parent();
    match elements.child(Ns::Rss, "title") {
        None => ctx.at_node(
            &rules::MISSING_ITEM_TITLE,
            item,
            "this item has no `<title>`",
            Some("Apple Podcasts requires a title for every episode".to_owned()),
        ),
        Some(t) if text_ref(t).is_empty() => ctx.at_node(
            &rules::EMPTY_VALUE,
            t,
            "this item's `<title>` is empty",
            None,
        ),
        Some(t) => html_in_text(ctx, t, "an item's title"),
    }
    duplicates_and_unknowns(ctx, elements, &ITEM, "item");
    let enclosures: Vec<Node<'_, '_>> = elements.children(Ns::Rss, "enclosure").collect();
    match enclosures.first() {
        None => ctx.at_node(
            &rules::MISSING_ENCLOSURE,
            item,
            "this item has no `<enclosure>`",
            Some("add `<enclosure url=\"https://…/episode.mp3\" length=\"BYTES\" type=\"audio/mpeg\"/>`".to_owned()),
        ),
        Some(e) => enclosure(ctx, *e),
    }
    if enclosures.len() > 1 {
        ctx.at_node(
            &rules::MULTIPLE_ENCLOSURES,
            enclosures[1],
            "this item has more than one `<enclosure>`; apps play only one",
            Some("list other renditions with `podcast:alternateEnclosure`".to_owned()),
        );
    }
    match elements.child(Ns::Rss, "guid") {
        None => ctx.at_node(
            &rules::MISSING_GUID,
            item,
            "this item has no `<guid>`",
            Some("add a permanent, unique id: `<guid isPermaLink=\"false\">…</guid>`".to_owned()),
        ),
        Some(g) => guid(ctx, g),
    }
    match elements.child(Ns::Rss, "pubDate") {
        Some(d) => date(ctx, d, true),
        None => ctx.missing_recommended(
            item,
            "<pubDate>",
            "Apple recommends it; apps sort episodes by it",
        ),
    }
    match elements.child(Ns::Rss, "link") {
        Some(l) => link_value(ctx, l),
        None => ctx.missing_recommended(item, "<link>", "Apple recommends a web page per episode"),
    }
    match elements.child(Ns::Rss, "description") {
        Some(d) => {
            long_description(ctx, d);
            unsafe_html(ctx, d, "this item's description");
        }
        None => ctx.missing_recommended(
            item,
            "<description>",
            "Apple recommends show notes for every episode",
        ),
    }
    if let Some(c) = elements.child(Ns::Content, "encoded") {
        unsafe_html(ctx, c, "this item's `content:encoded`");
    }
    if let Some(a) = elements.child(Ns::Rss, "author") {
        rss_person(ctx, a);
    }
    apple::item(ctx, elements, serial);
    podcast::item(ctx, elements);
}

fn duplicates_and_unknowns(
    ctx: &mut Ctx<'_>,
    parent: &ChildElements<'_, '_>,
    rss: &Elements,
    what: &str,
) {
    const CONTENT: Elements = Elements {
        known: &["encoded"],
        repeatable: &[],
    };
    // How often each known element was seen: a few dozen names at most (unknown ones are not counted).
    let mut seen: Vec<((u8, &str), usize)> = Vec::new();
    let pick = |channel: &'static Elements, item: &'static Elements| {
        if what == "channel" { channel } else { item }
    };
    for (ns, name, n) in parent.all() {
        let (ns_id, elements, prefix): (u8, &Elements, &str) = match ns {
            Ns::Rss => (0, rss, ""),
            Ns::Itunes => (1, pick(&apple::CHANNEL, &apple::ITEM), "itunes:"),
            Ns::Podcast => (2, pick(&podcast::CHANNEL, &podcast::ITEM), "podcast:"),
            Ns::Content if what == "item" => (3, &CONTENT, "content:"),
            _ => continue,
        };
        let known_list = elements.known;
        if !known_list.contains(&name) {
            // A tag the namespace defines elsewhere is misplaced (F327), not unknown.
            if ns_id == 2 && podcast::misplaced(ctx, n, &format!("the {what}")) {
                continue;
            }
            let elsewhere = ns_id == 1
                && (apple::CHANNEL.known.contains(&name) || apple::ITEM.known.contains(&name));
            let help = if elsewhere {
                Some(format!(
                    "`{prefix}{name}` belongs in {}",
                    if what == "channel" {
                        "an item"
                    } else {
                        "the channel"
                    }
                ))
            } else {
                did_you_mean(name, known_list.iter().copied())
                    .map(|k| format!("did you mean `{prefix}{k}`?"))
            };
            ctx.at_node(
                &rules::UNKNOWN_ELEMENT,
                n,
                format!("`{prefix}{name}` is not an element of the {what}"),
                help,
            );
            continue;
        }
        let count = match seen.iter_mut().find(|(key, _)| *key == (ns_id, name)) {
            Some((_, count)) => count,
            None => {
                seen.push(((ns_id, name), 0));
                &mut seen.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if *count == 2 && !elements.repeatable.contains(&name) {
            ctx.at_node(
                &rules::DUPLICATE_ELEMENT,
                n,
                format!("the {what} has more than one `<{prefix}{name}>`"),
                Some("keep one: apps disagree about which copy they read".to_owned()),
            );
        }
    }
}

/// The RSS elements of a `podcast:liveItem`, which "takes the same format as a standard `<item>`"
/// (podcast-namespace docs/tags/live-item.md): a title, a guid, an enclosure's URL, no unknown or repeated
/// elements. Not what a published episode is recommended to have (a date, a link, show notes,
/// Apple's tags): a stream has none of it yet.
pub(super) fn live_item(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>) {
    let live = elements.parent();
    match elements.child(Ns::Rss, "title") {
        None => ctx.at_node(
            &rules::MISSING_ITEM_TITLE,
            live,
            "this `podcast:liveItem` has no `<title>`",
            Some("apps list the stream by its title".to_owned()),
        ),
        Some(t) if text_ref(t).is_empty() => ctx.at_node(
            &rules::EMPTY_VALUE,
            t,
            "this `podcast:liveItem`'s `<title>` is empty",
            None,
        ),
        Some(t) => html_in_text(ctx, t, "a live item's title"),
    }
    duplicates_and_unknowns(ctx, elements, &ITEM, "live item");
    // A stream's enclosure has no length and may be a playlist (HLS): only its URL is checked, not the
    // length and type Apple asks of an episode's file (Apple does not read live items).
    if let Some(e) = elements.child(Ns::Rss, "enclosure") {
        match e.attribute("url") {
            None | Some("") => {
                ctx.at_node(&rules::BAD_ENCLOSURE, e, "the enclosure has no `url`", None);
            }
            Some(url) => attribute_url(ctx, e, "url", url, true),
        }
    }
    match elements.child(Ns::Rss, "guid") {
        None => ctx.at_node(
            &rules::MISSING_GUID,
            live,
            "this `podcast:liveItem` has no `<guid>`",
            Some("apps tell streams apart by it: a new guid is a new stream".to_owned()),
        ),
        Some(g) => guid(ctx, g),
    }
    if let Some(d) = elements.child(Ns::Rss, "description") {
        unsafe_html(ctx, d, "this live item's description");
    }
}

fn enclosure(ctx: &mut Ctx<'_>, e: Node<'_, '_>) {
    let parsed = match e.attribute("url") {
        None | Some("") => {
            ctx.at_node(&rules::BAD_ENCLOSURE, e, "the enclosure has no `url`", None);
            None
        }
        Some(url) => attribute_url_parsed(ctx, e, "url", url, true)
            .ok()
            .flatten(),
    };
    match e.attribute("length") {
        None | Some("") => ctx.at_node(
            &rules::BAD_ENCLOSURE,
            e,
            "the enclosure has no `length`",
            Some("give the file's size in bytes".to_owned()),
        ),
        Some(l) if l.trim().parse::<u64>().is_err() => ctx.at_attr(
            &rules::BAD_ENCLOSURE,
            e,
            "length",
            format!("the enclosure's `length` `{l}` is not a whole number of bytes"),
            Some(
                "give the file's size in bytes, e.g. `length=\"34216300\"` (not a duration)"
                    .to_owned(),
            ),
        ),
        Some(l) if l.trim() == "0" => {
            // RSS allows 0 for "unknown", so it is a warning; Spotify and others reject it.
            ctx.at_attr(
                &rules::BAD_ENCLOSURE,
                e,
                "length",
                "the enclosure's `length` is 0",
                Some(
                    "give the file's size in bytes; Spotify and others reject an unknown length"
                        .to_owned(),
                ),
            );
            if let Some(d) = ctx.last_reported() {
                d.severity = crate::diag::Severity::Warning;
            }
        }
        Some(_) => {}
    }
    match e.attribute("type") {
        None | Some("") => ctx.at_node(
            &rules::BAD_ENCLOSURE,
            e,
            "the enclosure has no `type`",
            Some("give the MIME type, e.g. `type=\"audio/mpeg\"`".to_owned()),
        ),
        Some(t) => apple::enclosure_type(ctx, e, t, parsed.as_ref()),
    }
}

fn guid(ctx: &mut Ctx<'_>, g: Node<'_, '_>) {
    let value = text_ref(g);
    if value.is_empty() {
        ctx.at_node(
            &rules::EMPTY_VALUE,
            g,
            "this item's `<guid>` is empty",
            None,
        );
        return;
    }
    let permalink = g.attribute("isPermaLink").is_none_or(|p| p == "true");
    if permalink {
        let is_url = url::Url::parse(&value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !is_url {
            ctx.at_text(
                &rules::GUID_NOT_PERMALINK,
                g,
                format!("the guid `{value}` is not a URL, but it has no `isPermaLink=\"false\"`"),
                Some(
                    "add `isPermaLink=\"false\"`: RSS 2.0 takes a guid without it for a link"
                        .to_owned(),
                ),
            );
        }
    }
}

fn rss_image(ctx: &mut Ctx<'_>, image: Node<'_, '_>) {
    duplicates_and_unknowns(ctx, &ChildElements::of(image), &IMAGE, "image");
    if let Some(d) = child(image, Ns::Rss, "description") {
        html_in_text(ctx, d, "the image's description");
    }
    for name in ["url", "title", "link"] {
        match child(image, Ns::Rss, name) {
            None => ctx.at_node(
                &rules::MISSING_CHANNEL_ELEMENT,
                image,
                format!("the channel's `<image>` has no `<{name}>`"),
                Some("RSS 2.0 requires `url`, `title` and `link` in `<image>`".to_owned()),
            ),
            Some(n) if text_ref(n).is_empty() => ctx.at_node(
                &rules::EMPTY_VALUE,
                n,
                format!("the image's `<{name}>` is empty"),
                None,
            ),
            Some(n) if name == "url" => {
                let url = text_ref(n);
                url_value(ctx, n, &url, true);
                let path = url::Url::parse(&url)
                    .map(|u| u.path().to_ascii_lowercase())
                    .unwrap_or_default();
                if url_problem(&url).is_none()
                    && ![".jpg", ".jpeg", ".png", ".gif"]
                        .iter()
                        .any(|e| path.ends_with(e))
                {
                    ctx.at_text(
                        &rules::BAD_IMAGE_URL,
                        n,
                        "the image URL does not end in `.jpg`, `.png` or `.gif`",
                        Some("point `<image><url>` at a JPEG, PNG or GIF".to_owned()),
                    );
                }
            }
            Some(n) if name != "title" => url_value(ctx, n, &text_ref(n), false),
            Some(n) => html_in_text(ctx, n, "the image's title"),
        }
    }
    for (name, max) in [("width", 144), ("height", 400)] {
        if let Some(n) = child(image, Ns::Rss, name)
            && let Some(value) = positive_number(ctx, n, name)
            && value > max
        {
            ctx.at_text(
                &rules::IMAGE_SIZE,
                n,
                format!("the image's `{name}` is {value}; RSS 2.0 allows at most {max}"),
                Some(
                    "the artwork for podcast apps is `itunes:image`, which has no such limit"
                        .to_owned(),
                ),
            );
        }
    }
}
