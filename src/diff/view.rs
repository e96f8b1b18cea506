//! What `diff` compares, read out of a parsed feed: the show's identity and settings, and per item the fields
//! apps key on and show, each normalised the way apps read it and kept with its byte range for messages.

use std::ops::Range;

use chrono::{DateTime, FixedOffset};
use roxmltree::Node;

use crate::feed::parse::{self, Ns, attr_range, child, children, text, text_range};

/// A value and where its text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    /// The value as apps compare it (trimmed; see each field).
    pub(super) value: String,
    /// Its text in the feed.
    pub(super) range: Range<usize>,
}

/// The channel's fields that `diff` compares.
#[derive(Debug, Default)]
pub(super) struct ShowView {
    /// Where `<channel>` starts, for findings about a field the feed lacks.
    pub(super) range: Range<usize>,
    pub(super) self_url: Option<Field>,
    pub(super) podcast_guid: Option<Field>,
    pub(super) new_feed_url: Option<Field>,
    pub(super) title: Option<Field>,
    pub(super) author: Option<Field>,
    /// `name <email>`.
    pub(super) owner: Option<Field>,
    /// `Parent > Sub, Other`.
    pub(super) categories: Option<Field>,
    /// `true` or `false` (legacy `yes`/`explicit` and `no`/`clean` read as those).
    pub(super) explicit: Option<Field>,
    /// Lowercase.
    pub(super) language: Option<Field>,
    pub(super) image: Option<Field>,
    /// Lowercase.
    pub(super) locked: Option<Field>,
    /// Whether `itunes:block` says `Yes` (any case), and where.
    pub(super) block: Option<Field>,
    pub(super) complete: Option<Field>,
}

/// One `<item>`'s fields that `diff` compares.
#[derive(Debug)]
pub(super) struct ItemView {
    /// The item's start tag name, for findings about the whole item or a field it lacks.
    pub(super) range: Range<usize>,
    pub(super) guid: Option<Field>,
    /// Title with runs of white space as one space.
    pub(super) title: Option<Field>,
    pub(super) enclosure_url: Option<Field>,
    pub(super) enclosure_length: Option<Field>,
    /// Lowercase.
    pub(super) enclosure_type: Option<Field>,
    pub(super) pub_date: Option<Field>,
    /// The parsed `pubDate`, when it is RFC 2822.
    pub(super) date: Option<DateTime<FixedOffset>>,
    pub(super) duration: Option<Field>,
    /// Whole seconds of `itunes:duration`, when it parses.
    pub(super) seconds: Option<u64>,
    pub(super) season: Option<Field>,
    pub(super) episode: Option<Field>,
    pub(super) explicit: Option<Field>,
    /// A hash of the item's markup: the last way to recognise an item that has no guid, enclosure, or
    /// title and date (two identical items are the same item).
    pub(super) markup_hash: u64,
}

impl ItemView {
    /// The title for messages: `"Episode 3"`, else the guid, else the enclosure URL.
    pub(super) fn label(&self) -> String {
        if let Some(t) = self.title.as_ref().filter(|t| !t.value.is_empty()) {
            format!("\"{}\"", t.value)
        } else if let Some(g) = &self.guid {
            format!("with guid `{}`", g.value)
        } else if let Some(u) = &self.enclosure_url {
            format!("at `{}`", u.value)
        } else {
            "without title, guid or enclosure".to_owned()
        }
    }

    /// The title as matching compares it: lowercase letters and digits, words separated by one space.
    pub(super) fn match_title(&self) -> Option<String> {
        let t = self.title.as_ref()?;
        let words: Vec<String> = t
            .value
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// A feed read for `diff`.
#[derive(Debug)]
pub(super) struct FeedView {
    pub(super) show: ShowView,
    pub(super) items: Vec<ItemView>,
}

/// Why a parsed document is not a feed `diff` can compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NotAFeed {
    /// The root element is not `<rss>`.
    Root(String),
    /// `<rss>` has no `<channel>`.
    NoChannel,
}

/// Reads the fields `diff` compares.
pub(super) fn read(source: &str, doc: &roxmltree::Document<'_>) -> Result<FeedView, NotAFeed> {
    let root = doc.root_element();
    if !parse::is(root, Ns::Rss, "rss") {
        return Err(NotAFeed::Root(root.tag_name().name().to_owned()));
    }
    let channel = child(root, Ns::Rss, "channel").ok_or(NotAFeed::NoChannel)?;
    let show = read_show(source, channel);
    let items = children(channel, Ns::Rss, "item")
        .map(|item| read_item(source, item))
        .collect();
    Ok(FeedView { show, items })
}

/// An element's text as a field (`None` when absent or empty).
fn text_field(source: &str, node: Option<Node<'_, '_>>) -> Option<Field> {
    let node = node?;
    let value = text(node);
    (!value.is_empty()).then(|| Field {
        value,
        range: text_range(source, node),
    })
}

/// An attribute as a field (`None` when absent or empty).
fn attr_field(source: &str, node: Option<Node<'_, '_>>, name: &str) -> Option<Field> {
    let node = node?;
    let value = node.attribute(name)?.trim();
    (!value.is_empty()).then(|| Field {
        value: value.to_owned(),
        range: attr_range(source, node, name),
    })
}

/// Runs of white space as one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn map(field: Option<Field>, f: impl FnOnce(&str) -> String) -> Option<Field> {
    field.map(|Field { value, range }| Field {
        value: f(&value),
        range,
    })
}

/// `itunes:explicit` as `true`/`false`, reading the legacy values as apps do; anything else as written.
fn explicit(value: &str) -> String {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "explicit" => "true".to_owned(),
        "false" | "no" | "clean" => "false".to_owned(),
        _ => value.to_owned(),
    }
}

/// `itunes:block` and `itunes:complete` count only when they say `Yes`; any other value is no value.
fn yes(field: Option<Field>) -> Option<Field> {
    field
        .filter(|f| f.value.eq_ignore_ascii_case("yes"))
        .map(|f| Field {
            value: "Yes".to_owned(),
            range: f.range,
        })
}

fn read_show(source: &str, channel: Node<'_, '_>) -> ShowView {
    let itunes = |local| child(channel, Ns::Itunes, local);
    let self_link =
        children(channel, Ns::Atom, "link").find(|l| l.attribute("rel") == Some("self"));
    let owner = itunes("owner").and_then(|owner| {
        let name = child(owner, Ns::Itunes, "name")
            .map(text)
            .unwrap_or_default();
        let email = child(owner, Ns::Itunes, "email")
            .map(text)
            .unwrap_or_default();
        let value = match (name.is_empty(), email.is_empty()) {
            (true, true) => return None,
            (false, true) => name,
            (true, false) => format!("<{email}>"),
            (false, false) => format!("{name} <{email}>"),
        };
        Some(Field {
            value,
            range: parse::name_range(source, owner),
        })
    });
    let categories: Vec<Node<'_, '_>> = children(channel, Ns::Itunes, "category").collect();
    let categories = categories.first().map(|first| {
        let names: Vec<String> = categories
            .iter()
            .map(|c| {
                let top = c.attribute("text").unwrap_or("").trim().to_owned();
                match child(*c, Ns::Itunes, "category").and_then(|s| s.attribute("text")) {
                    Some(sub) => format!("{top} > {}", sub.trim()),
                    None => top,
                }
            })
            .collect();
        Field {
            value: names.join(", "),
            range: attr_range(source, *first, "text"),
        }
    });
    ShowView {
        range: parse::name_range(source, channel),
        self_url: attr_field(source, self_link, "href"),
        podcast_guid: map(
            text_field(source, child(channel, Ns::Podcast, "guid")),
            str::to_ascii_lowercase,
        ),
        new_feed_url: text_field(source, itunes("new-feed-url")),
        title: map(
            text_field(source, child(channel, Ns::Rss, "title")),
            collapse,
        ),
        author: map(text_field(source, itunes("author")), collapse),
        owner,
        categories,
        explicit: map(text_field(source, itunes("explicit")), explicit),
        language: map(
            text_field(source, child(channel, Ns::Rss, "language")),
            str::to_ascii_lowercase,
        ),
        image: attr_field(source, itunes("image"), "href"),
        locked: map(
            text_field(source, child(channel, Ns::Podcast, "locked")),
            str::to_ascii_lowercase,
        ),
        block: yes(text_field(source, itunes("block"))),
        complete: yes(text_field(source, itunes("complete"))),
    }
}

fn read_item(source: &str, item: Node<'_, '_>) -> ItemView {
    let itunes = |local| child(item, Ns::Itunes, local);
    let enclosure = child(item, Ns::Rss, "enclosure");
    let pub_date = text_field(source, child(item, Ns::Rss, "pubDate"));
    let date = pub_date
        .as_ref()
        .and_then(|d| parse::parse_rfc2822(&d.value))
        .map(|(date, _)| date);
    let duration = text_field(source, itunes("duration"));
    let seconds = duration
        .as_ref()
        .and_then(|d| parse::duration_seconds(&d.value))
        // Whole seconds, as apps show them: 1801.4 and 1801 are the same length.
        .map(|s| s.round() as u64);
    ItemView {
        range: parse::name_range(source, item),
        guid: text_field(source, child(item, Ns::Rss, "guid")),
        title: map(text_field(source, child(item, Ns::Rss, "title")), collapse),
        enclosure_url: attr_field(source, enclosure, "url"),
        enclosure_length: attr_field(source, enclosure, "length"),
        enclosure_type: map(
            attr_field(source, enclosure, "type"),
            str::to_ascii_lowercase,
        ),
        pub_date,
        date,
        duration,
        seconds,
        season: text_field(source, itunes("season")),
        episode: text_field(source, itunes("episode")),
        explicit: map(text_field(source, itunes("explicit")), explicit),
        markup_hash: {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            source.get(item.range()).unwrap_or("").hash(&mut hasher);
            hasher.finish()
        },
    }
}
