//! The Podcasting 2.0 namespace (<https://podcastindex.org/namespace/1.0>) and Podlove Simple Chapters.
//! Every tag the namespace formalises is checked as its page says (podcast-namespace docs/tags/*.md), in
//! its place: tags it does not define are reported as unknown, tags it defines elsewhere as misplaced.
//!
//! The value block is in `value`, remote items with podrolls and publishers in `remote`, live items in
//! `live`, the smaller tags in `tags`, and the syntaxes they borrow (ISO 8601, SRI, CSS ratios, `srcset`)
//! in `syntax`.

mod live;
mod remote;
mod syntax;
mod tags;
mod value;

use roxmltree::Node;

use super::{Ctx, Elements, rss, rules};
use crate::diag::Severity;
use crate::feed::parse::{ChildElements, Ns, children, text_ref};
use crate::vocab;

/// `podcast:` elements of the channel.
pub(super) const CHANNEL: Elements = Elements {
    known: &[
        "guid",
        "locked",
        "funding",
        "person",
        "license",
        "location",
        "medium",
        "trailer",
        "value",
        "block",
        "txt",
        "remoteItem",
        "podroll",
        "updateFrequency",
        "podping",
        "chat",
        "publisher",
        "image",
        "images",
        "liveItem",
        "socialInteract",
    ],
    repeatable: &[
        "funding",
        "person",
        "location",
        "trailer",
        "value",
        "block",
        "txt",
        "remoteItem",
        "image",
        "liveItem",
        "socialInteract",
    ],
};
/// `podcast:` elements of an item.
pub(super) const ITEM: Elements = Elements {
    known: &[
        "transcript",
        "chapters",
        "soundbite",
        "person",
        "location",
        "season",
        "episode",
        "license",
        "alternateEnclosure",
        "value",
        "socialInteract",
        "txt",
        "images",
        "image",
        "funding",
        "chat",
        "contentLink",
    ],
    repeatable: &[
        "transcript",
        "soundbite",
        "person",
        "location",
        "alternateEnclosure",
        "value",
        "socialInteract",
        "txt",
        "image",
        "funding",
        "contentLink",
    ],
};

/// Where a tag may be: the channel, an item (a `podcast:liveItem` takes every tag an item takes), or inside
/// another tag of the namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Channel,
    Item,
    In(&'static str),
}

/// Every tag of the namespace and the parents its page allows (podcast-namespace docs/1.0.md and the
/// "Parent" section of each docs/tags/*.md page; `podcast:valueRecipient` also in
/// `podcast:valueTimeSplit`, whose page says it holds them).
const PARENTS: &[(&str, &[Place])] = {
    use Place::{Channel, In, Item};
    &[
        ("alternateEnclosure", &[Item]),
        ("block", &[Channel]),
        ("chapters", &[Item]),
        ("chat", &[Channel, Item]),
        ("contentLink", &[Item]),
        ("episode", &[Item]),
        ("funding", &[Channel, Item]),
        ("guid", &[Channel]),
        ("image", &[Channel, Item]),
        ("images", &[Channel, Item]),
        ("integrity", &[In("alternateEnclosure")]),
        ("license", &[Channel, Item]),
        ("liveItem", &[Channel]),
        ("location", &[Channel, Item]),
        ("locked", &[Channel]),
        ("medium", &[Channel]),
        ("person", &[Channel, Item]),
        ("podping", &[Channel]),
        ("podroll", &[Channel]),
        ("publisher", &[Channel]),
        (
            "remoteItem",
            &[
                Channel,
                In("podroll"),
                In("valueTimeSplit"),
                In("publisher"),
            ],
        ),
        ("season", &[Item]),
        ("socialInteract", &[Channel, Item]),
        ("soundbite", &[Item]),
        ("source", &[In("alternateEnclosure")]),
        ("trailer", &[Channel]),
        ("transcript", &[Item]),
        ("txt", &[Channel, Item]),
        ("updateFrequency", &[Channel]),
        ("value", &[Channel, Item]),
        ("valueRecipient", &[In("value"), In("valueTimeSplit")]),
        ("valueTimeSplit", &[In("value")]),
    ]
};

/// The places the namespace allows `name`, or `None` for a tag it does not define.
fn places(name: &str) -> Option<&'static [Place]> {
    PARENTS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// A namespace tag that is not an element of the channel or an item (`what`, as [`rss`] names the
/// parent): F327 when the namespace defines it elsewhere, and `true`; `false` for a tag the namespace does
/// not define, left to the caller to report as unknown.
pub(super) fn misplaced(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) -> bool {
    let Some(allowed) = places(node.tag_name().name()) else {
        return false;
    };
    report_misplaced(ctx, node, what, allowed);
    true
}

fn report_misplaced(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str, allowed: &[Place]) {
    let name = node.tag_name().name();
    let homes: Vec<String> = allowed
        .iter()
        .map(|p| match p {
            Place::Channel => "the channel".to_owned(),
            Place::Item => "an item".to_owned(),
            Place::In(tag) => format!("`podcast:{tag}`"),
        })
        .collect();
    ctx.at_node(
        &rules::MISPLACED_PODCAST_TAG,
        node,
        format!("`podcast:{name}` does not belong in {what}"),
        Some(format!("the namespace puts it in {}", homes.join(" or "))),
    );
}

/// The namespace's tags inside `parent`, a tag of the namespace, and inside those: each in a place its
/// page allows, at most once where the page says "Single". Live items are left to their own checks.
fn nested(ctx: &mut Ctx<'_>, parent: Node<'_, '_>, depth: usize) {
    let parent_name = parent.tag_name().name();
    if parent_name == "liveItem" || depth > super::MAX_DEPTH {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for child in parent
        .children()
        .filter(|n| Ns::of(*n) == Ns::Podcast && n.is_element())
    {
        let name = child.tag_name().name();
        match places(name) {
            None => ctx.at_node(
                &rules::UNKNOWN_ELEMENT,
                child,
                format!("`podcast:{name}` is not an element of `podcast:{parent_name}`"),
                crate::diag::suggest::did_you_mean(name, PARENTS.iter().map(|(n, _)| *n))
                    .map(|s| format!("did you mean `podcast:{s}`?")),
            ),
            Some(allowed)
                if !allowed
                    .iter()
                    .any(|p| matches!(p, Place::In(tag) if *tag == parent_name)) =>
            {
                report_misplaced(ctx, child, &format!("`podcast:{parent_name}`"), allowed);
            }
            Some(_) => {
                // Inside another tag, only `integrity` is "Single" (docs/tags/integrity.md).
                if name == "integrity" && seen.contains(&name) {
                    ctx.at_node(
                        &rules::DUPLICATE_ELEMENT,
                        child,
                        format!("`podcast:{parent_name}` has more than one `<podcast:{name}>`"),
                        Some("keep one: apps disagree about which copy they read".to_owned()),
                    );
                }
                seen.push(name);
            }
        }
        nested(ctx, child, depth + 1);
    }
}

/// Lowers the severity of the finding just reported (a rule whose milder cases are warnings), unless it was
/// folded into an earlier one.
fn lower(ctx: &mut Ctx<'_>, severity: Severity) {
    if let Some(d) = ctx.last_reported() {
        d.severity = severity;
    }
}

/// Transcript types the namespace lists.
const TRANSCRIPT_TYPES: &[&str] = &[
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
    "application/srt",
    "text/srt",
];

pub(super) fn channel(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>, self_url: Option<&str>) {
    if let Some(g) = elements.child(Ns::Podcast, "guid") {
        podcast_guid(ctx, g, self_url);
    }
    if let Some(l) = elements.child(Ns::Podcast, "locked") {
        let v = text_ref(l);
        if !matches!(&*v, "yes" | "no") {
            ctx.at_text(
                &rules::BAD_LOCKED,
                l,
                format!("`podcast:locked` is `{v}`, not `yes` or `no`"),
                Some(
                    "write `yes` to ask platforms not to import the feed, `no` otherwise"
                        .to_owned(),
                ),
            );
        }
        if v == "yes" && l.attribute("owner").is_none() {
            ctx.at_node(
                &rules::BAD_LOCKED,
                l,
                "`podcast:locked` is `yes` but names no `owner`",
                Some("add `owner=\"you@example.com\"`: platforms e-mail it to verify a move or an import".to_owned()),
            );
            if let Some(d) = ctx.last_reported() {
                d.severity = crate::diag::Severity::Warning;
            }
        }
        if let Some(owner) = l.attribute("owner")
            && crate::vocab::Email::parse(owner).is_none()
        {
            ctx.at_attr(
                &rules::BAD_EMAIL,
                l,
                "owner",
                format!("`owner` `{owner}` is not an email address"),
                None,
            );
        }
    }
    if let Some(m) = elements.child(Ns::Podcast, "medium") {
        let v = text_ref(m);
        if !vocab::podcast::MEDIUMS.contains(&&*v) {
            ctx.at_text(
                &rules::BAD_MEDIUM,
                m,
                format!("`podcast:medium` `{v}` is not a medium the namespace defines"),
                crate::diag::suggest::did_you_mean(&v, vocab::podcast::MEDIUMS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?")),
            );
        }
    }
    for t in elements.children(Ns::Podcast, "trailer") {
        required(ctx, t, &["url", "pubdate"]);
        if let Some(url) = t.attribute("url") {
            rss::attribute_url(ctx, t, "url", url, true);
        }
        if let Some(d) = t.attribute("pubdate")
            && crate::feed::parse::parse_rfc2822(d).is_none()
        {
            ctx.at_attr(
                &rules::BAD_DATE,
                t,
                "pubdate",
                format!("`pubdate` `{d}` is not an RFC 2822 date"),
                None,
            );
        }
    }
    for r in elements.children(Ns::Podcast, "remoteItem") {
        remote::remote_item(ctx, r);
    }
    if let Some(p) = elements.child(Ns::Podcast, "podroll") {
        remote::podroll(ctx, p);
    }
    if let Some(p) = elements.child(Ns::Podcast, "publisher") {
        remote::publisher(ctx, p);
    }
    if let Some(u) = elements.child(Ns::Podcast, "updateFrequency") {
        tags::update_frequency(ctx, u);
    }
    if let Some(p) = elements.child(Ns::Podcast, "podping") {
        tags::podping(ctx, p);
    }
    let blocks: Vec<Node<'_, '_>> = elements.children(Ns::Podcast, "block").collect();
    tags::blocks(ctx, &blocks);
    for live in elements.children(Ns::Podcast, "liveItem") {
        live::live_item(ctx, live);
    }
    shared(ctx, elements);
}

pub(super) fn item(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>) {
    for t in elements.children(Ns::Podcast, "transcript") {
        match (t.attribute("url"), t.attribute("type")) {
            (None, _) | (_, None) => ctx.at_node(
                &rules::BAD_TRANSCRIPT,
                t,
                "`podcast:transcript` needs both `url` and `type`",
                Some(
                    "e.g. `<podcast:transcript url=\"https://…/episode.vtt\" type=\"text/vtt\"/>`"
                        .to_owned(),
                ),
            ),
            (Some(url), Some(kind)) => {
                rss::attribute_url(ctx, t, "url", url, true);
                if !TRANSCRIPT_TYPES.contains(&kind) {
                    ctx.at_attr(
                        &rules::BAD_TRANSCRIPT,
                        t,
                        "type",
                        format!("`{kind}` is not a transcript type"),
                        Some("use `text/vtt` (WebVTT), `application/x-subrip` (SRT), `application/json`, `text/html` or `text/plain`".to_owned()),
                    );
                }
            }
        }
    }
    if let Some(c) = elements.child(Ns::Podcast, "chapters") {
        match c.attribute("url") {
            None => ctx.at_node(
                &rules::BAD_CHAPTERS,
                c,
                "`podcast:chapters` has no `url`",
                None,
            ),
            Some(url) => rss::attribute_url(ctx, c, "url", url, true),
        }
        if c.attribute("type") == Some("application/json") {
            ctx.at_attr(
                &rules::BAD_CHAPTERS,
                c,
                "type",
                "`podcast:chapters` has type `application/json`; the namespace specifies `application/json+chapters`",
                Some("apps load it either way, but write `type=\"application/json+chapters\"`".to_owned()),
            );
            if let Some(d) = ctx.last_reported() {
                d.severity = crate::diag::Severity::Warning;
            }
        } else if c.attribute("type") != Some("application/json+chapters") {
            ctx.at_attr(
                &rules::BAD_CHAPTERS,
                c,
                "type",
                format!(
                    "`podcast:chapters` has type `{}`, not `application/json+chapters`",
                    c.attribute("type").unwrap_or("")
                ),
                Some("the namespace's chapters are the JSON chapters format: `type=\"application/json+chapters\"`".to_owned()),
            );
        }
    }
    if let Some(s) = elements.child(Ns::Podcast, "season") {
        let v = text_ref(s);
        if v.parse::<u32>().is_err() {
            ctx.at_text(
                &rules::BAD_PODCAST_NUMBER,
                s,
                format!("`podcast:season` `{v}` is not a whole number"),
                None,
            );
        }
    }
    if let Some(e) = elements.child(Ns::Podcast, "episode") {
        let v = text_ref(e);
        if v.parse::<f64>().map_or(true, |x| !x.is_finite() || x < 0.0) {
            ctx.at_text(
                &rules::BAD_PODCAST_NUMBER,
                e,
                format!("`podcast:episode` `{v}` is not a number"),
                None,
            );
        }
    }
    for s in elements.children(Ns::Podcast, "soundbite") {
        required(ctx, s, &["startTime", "duration"]);
        for attr in ["startTime", "duration"] {
            if let Some(v) = s.attribute(attr)
                && v.parse::<f64>().map_or(true, |x| !x.is_finite() || x < 0.0)
            {
                ctx.at_attr(
                    &rules::BAD_PODCAST_ATTRIBUTE,
                    s,
                    attr,
                    format!("`{attr}` `{v}` is not a number of seconds"),
                    None,
                );
            }
        }
    }
    for c in elements.children(Ns::Podcast, "contentLink") {
        tags::content_link(ctx, c);
    }
    for a in elements.children(Ns::Podcast, "alternateEnclosure") {
        required(ctx, a, &["type"]);
        if let Some(i) = children(a, Ns::Podcast, "integrity").next() {
            tags::integrity(ctx, i);
        }
        let sources: Vec<Node<'_, '_>> = children(a, Ns::Podcast, "source").collect();
        if sources.is_empty() {
            ctx.at_node(
                &rules::BAD_PODCAST_ATTRIBUTE,
                a,
                "`podcast:alternateEnclosure` has no `podcast:source`",
                Some("add `<podcast:source uri=\"https://…\"/>` inside it".to_owned()),
            );
        }
        for s in sources {
            match s.attribute("uri") {
                None => ctx.at_node(
                    &rules::BAD_PODCAST_ATTRIBUTE,
                    s,
                    "`podcast:source` has no `uri`",
                    None,
                ),
                Some(uri) if uri.starts_with("http") => {
                    rss::attribute_url(ctx, s, "uri", uri, true)
                }
                Some(_) => {}
            }
        }
    }
    // Podlove Simple Chapters.
    for chapters in elements.children(Ns::Psc, "chapters") {
        let mut previous: Option<u64> = None;
        for c in children(chapters, Ns::Psc, "chapter") {
            if let Some(start) = c
                .attribute("start")
                .and_then(|s| crate::chapters::parse_time(s).ok())
            {
                if previous.is_some_and(|p| start <= p) {
                    ctx.at_attr(
                        &rules::BAD_PSC,
                        c,
                        "start",
                        "this chapter starts no later than the one before it",
                        Some(
                            "list chapters in order of their start times, each later than the last"
                                .to_owned(),
                        ),
                    );
                }
                previous = Some(start);
            }
            match c.attribute("start") {
                None => ctx.at_node(&rules::BAD_PSC, c, "`psc:chapter` has no `start`", None),
                Some(start) if crate::chapters::parse_time(start).is_err() => ctx.at_attr(
                    &rules::BAD_PSC,
                    c,
                    "start",
                    format!("`start` `{start}` is not a Normal Play Time"),
                    Some("write `HH:MM:SS.mmm`, `MM:SS` or seconds".to_owned()),
                ),
                Some(_) => {}
            }
            if c.attribute("title").is_none_or(|t| t.trim().is_empty()) {
                ctx.at_node(&rules::BAD_PSC, c, "`psc:chapter` has no `title`", None);
            }
        }
    }
    shared(ctx, elements);
}

/// Tags valid at both levels: persons, funding, value blocks, locations, licences, txt, social
/// interactions, chats and images; then every tag of the namespace inside these, in its place.
fn shared(ctx: &mut Ctx<'_>, elements: &ChildElements<'_, '_>) {
    for (ns, _, node) in elements.all() {
        if ns == Ns::Podcast {
            nested(ctx, node, 0);
        }
    }
    for t in elements.children(Ns::Podcast, "txt") {
        tags::txt(ctx, t);
    }
    for s in elements.children(Ns::Podcast, "socialInteract") {
        tags::social_interact(ctx, s);
    }
    if let Some(c) = elements.child(Ns::Podcast, "chat") {
        tags::chat(ctx, c);
    }
    for i in elements.children(Ns::Podcast, "image") {
        tags::image(ctx, i);
    }
    if let Some(i) = elements.child(Ns::Podcast, "images") {
        tags::images(ctx, i);
    }
    for p in elements.children(Ns::Podcast, "person") {
        let name = text_ref(p);
        if name.is_empty() {
            ctx.at_node(
                &rules::BAD_PERSON,
                p,
                "`podcast:person` has no name",
                Some("the person's name is the element's text".to_owned()),
            );
        }
        let role = p.attribute("role");
        let group = p.attribute("group");
        if let Some(r) = role
            && vocab::person::person_role_group(r).is_none()
        {
            let roles = vocab::person::PERSON_ROLES.iter().map(|(_, r)| *r);
            ctx.at_attr(
                &rules::BAD_PERSON,
                p,
                "role",
                format!("`{r}` is not a role of the Podcast Taxonomy"),
                crate::diag::suggest::did_you_mean(r, roles)
                    .map(|s| format!("did you mean `{}`?", s.to_lowercase())),
            );
        } else if let Some(g) = group {
            match vocab::person::person_group(g) {
                None => ctx.at_attr(
                    &rules::BAD_PERSON,
                    p,
                    "group",
                    format!("`{g}` is not a group of the Podcast Taxonomy"),
                    None,
                ),
                Some(group) => {
                    let role = role.unwrap_or("host");
                    if !vocab::person::person_role_in_group(role, group) {
                        ctx.at_attr(
                            &rules::BAD_PERSON,
                            p,
                            "group",
                            format!("the role `{role}` is not in the group `{g}`"),
                            vocab::person::person_role_group(role).map(|home| {
                                format!("the taxonomy puts it in `{}`", home.to_lowercase())
                            }),
                        );
                    }
                }
            }
        }
        for attr in ["href", "img"] {
            if let Some(u) = p.attribute(attr).filter(|u| !u.is_empty()) {
                rss::attribute_url(ctx, p, attr, u, false);
            }
        }
    }
    for f in elements.children(Ns::Podcast, "funding") {
        match f.attribute("url") {
            None => ctx.at_node(
                &rules::BAD_FUNDING,
                f,
                "`podcast:funding` has no `url`",
                None,
            ),
            Some(url) => rss::attribute_url(ctx, f, "url", url, false),
        }
    }
    // An item's time splits are times in its enclosure, which lasts `itunes:duration`.
    let episode_seconds = elements
        .child(Ns::Itunes, "duration")
        .filter(|_| elements.parent().tag_name().name() != "channel")
        .and_then(|d| crate::feed::parse::duration_seconds(&text_ref(d)));
    for v in elements.children(Ns::Podcast, "value") {
        value::check(ctx, v, episode_seconds);
    }
    for l in elements.children(Ns::Podcast, "location") {
        if text_ref(l).is_empty() {
            ctx.at_node(
                &rules::BAD_PODCAST_ATTRIBUTE,
                l,
                "`podcast:location` has no place name",
                None,
            );
        }
    }
    if let Some(l) = elements.child(Ns::Podcast, "license") {
        if text_ref(l).is_empty() {
            ctx.at_node(
                &rules::BAD_PODCAST_ATTRIBUTE,
                l,
                "`podcast:license` has no licence name",
                None,
            );
        }
        if let Some(url) = l.attribute("url") {
            rss::attribute_url(ctx, l, "url", url, false);
        }
    }
}

fn podcast_guid(ctx: &mut Ctx<'_>, g: Node<'_, '_>, self_url: Option<&str>) {
    let v = text_ref(g);
    let Ok(id) = uuid::Uuid::parse_str(&v) else {
        ctx.at_text(
            &rules::BAD_PODCAST_GUID,
            g,
            format!("`podcast:guid` `{v}` is not a UUID"),
            Some("it is the UUIDv5 of the feed URL without `https://`; see https://podcastindex.org/namespace/1.0#guid".to_owned()),
        );
        return;
    };
    if id.get_version_num() != 5 {
        ctx.at_text(
            &rules::PODCAST_GUID_NOT_V5,
            g,
            format!(
                "`podcast:guid` is a version {} UUID, not version 5",
                id.get_version_num()
            ),
            Some("the namespace defines it as the UUIDv5 of the feed's URL".to_owned()),
        );
        return;
    }
    if let Some(url) = self_url {
        let expected = vocab::podcast::podcast_guid_for_feed_url(url);
        if id != expected && vocab::podcast::is_guid_with_scheme(url, id) {
            ctx.at_text(
                &rules::PODCAST_GUID_NOT_V5,
                g,
                format!("`podcast:guid` is the UUIDv5 of the feed URL with its scheme (`{url}`); the namespace computes it without the scheme, which gives `{expected}`"),
                Some(format!("write `<podcast:guid>{expected}</podcast:guid>`, unless the Podcast Index already lists the show under this guid: a guid must never change once published")),
            );
            return;
        }
        if expected != id {
            ctx.at_text(
                &rules::PODCAST_GUID_NOT_V5,
                g,
                format!("`podcast:guid` is not the UUIDv5 of this feed's URL (`{expected}`)"),
                Some("that is right if the feed moved and kept its guid; otherwise check how it was computed (without the scheme and trailing slashes)".to_owned()),
            );
            if let Some(d) = ctx.last_reported() {
                d.severity = crate::diag::Severity::Info;
            }
        }
    }
}

/// F313 for each of `attrs` that `node` lacks or leaves empty.
fn required(ctx: &mut Ctx<'_>, node: Node<'_, '_>, attrs: &[&str]) {
    for attr in attrs {
        if node.attribute(*attr).is_none_or(|v| v.trim().is_empty()) {
            ctx.at_node(
                &rules::BAD_PODCAST_ATTRIBUTE,
                node,
                format!("`{}` has no `{attr}`", node.tag_name().name()),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags the channel and an item accept are exactly the tags whose pages name them as parents, and
    /// the ones they accept more than once are the ones whose pages say "Multiple".
    #[test]
    fn the_channel_and_item_lists_follow_the_parents_table() {
        for (list, place) in [(&CHANNEL, Place::Channel), (&ITEM, Place::Item)] {
            let mut known: Vec<&str> = list.known.to_vec();
            known.sort_unstable();
            let mut from_table: Vec<&str> = PARENTS
                .iter()
                .filter(|(_, places)| places.contains(&place))
                .map(|(name, _)| *name)
                .collect();
            from_table.sort_unstable();
            assert_eq!(known, from_table, "{place:?}");
        }
        // "Count: Single" on each of these pages.
        for single in [
            "guid",
            "locked",
            "medium",
            "license",
            "podroll",
            "publisher",
            "updateFrequency",
            "podping",
            "chat",
            "images",
            "chapters",
            "season",
            "episode",
        ] {
            assert!(!CHANNEL.repeatable.contains(&single), "{single}");
            assert!(!ITEM.repeatable.contains(&single), "{single}");
        }
    }

    #[test]
    fn a_tag_out_of_place_is_misplaced_and_an_unknown_one_is_not() {
        let feed = r#"<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>t</title><link>https://e.com/</link><description>d</description><language>en</language>
<podcast:valueRecipient type="node" address="a" split="1"/>
<podcast:value type="lightning" method="keysend"><podcast:valueRecipient type="node" address="a" split="1"/><podcast:integrity type="sri" value="x"/><podcast:recipient/></podcast:value>
<item><title>t</title><guid>g</guid><enclosure url="https://e.com/1.mp3" length="1" type="audio/mpeg"/>
<podcast:liveItem status="live" start="2021-09-26T07:30:00Z"/><podcast:updateFrequency rrule="FREQ=DAILY"/></item>
</channel></rss>"#;
        let found = crate::validate::validate_bytes("f.xml", feed.as_bytes(), &Default::default());
        let messages = |code: &str| -> Vec<&str> {
            found
                .iter()
                .filter(|d| d.code() == code)
                .map(|d| d.message.as_str())
                .collect()
        };
        assert_eq!(
            messages("F327"),
            [
                "`podcast:valueRecipient` does not belong in the channel",
                "`podcast:integrity` does not belong in `podcast:value`",
                "`podcast:liveItem` does not belong in the item",
                "`podcast:updateFrequency` does not belong in the item",
            ]
        );
        assert_eq!(
            messages("F131"),
            ["`podcast:recipient` is not an element of `podcast:value`"]
        );
        // The misplaced integrity is not checked as one (its value is not an SRI string).
        assert!(messages("F325").is_empty(), "{found:#?}");
    }
}
