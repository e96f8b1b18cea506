//! The Podcasting 2.0 tags beyond the everyday ones (value blocks, txt, podroll, publisher, updateFrequency,
//! podping, block, socialInteract, chat, image, contentLink, liveItem), read into what the catalogue's
//! fields hold. Each value is checked by the rule the catalogue reader applies to the field it becomes, so
//! the written catalogue loads; a value that rule refuses is left out, with a [`Note`] naming its line and a
//! `# Imported:` comment in the catalogue.

use chrono::{DateTime, FixedOffset};
use roxmltree::Node;

use super::{absolute, attr, line_of, trimmed, web_url, yes_no};
use crate::feed::model::{ChatTag, RemoteItemTag, SocialInteractTag, TxtTag};
use crate::feed::parse::{Ns, child, children, text};
use crate::import::Note;
use crate::vocab::podcast::{
    CHAT_PROTOCOLS, LIVE_STATUSES, MEDIUMS, RECIPIENT_TYPES, SERVICE_SLUGS, SOCIAL_DISABLED,
    SOCIAL_PROTOCOLS, check_rrule,
};

/// The channel's tags, as `[show]` holds them.
#[derive(Debug, Default)]
pub(in crate::import) struct ShowTags {
    /// `image_alt`: the alt text of the `podcast:image` that is the cover art.
    pub(in crate::import) image_alt: Option<String>,
    /// `[[show.artwork]]`.
    pub(in crate::import) artwork: Vec<Image>,
    /// `[[show.value]]`.
    pub(in crate::import) value: Vec<Value>,
    /// `[[show.txt]]`.
    pub(in crate::import) txt: Vec<TxtTag>,
    /// `[[show.podroll]]`.
    pub(in crate::import) podroll: Vec<RemoteItemTag>,
    /// `[show.publisher]`.
    pub(in crate::import) publisher: Option<RemoteItemTag>,
    /// `[show.update_frequency]`.
    pub(in crate::import) update_frequency: Option<UpdateFrequency>,
    /// `podcast:updateFrequency complete="true"`: the show is complete (used when `itunes:complete` is absent).
    pub(in crate::import) complete: Option<(bool, usize)>,
    /// `podping`.
    pub(in crate::import) podping: Option<bool>,
    /// `block_platforms` (`"all"` first when the feed blocks every platform).
    pub(in crate::import) block_platforms: Vec<String>,
    /// `allow_platforms`.
    pub(in crate::import) allow_platforms: Vec<String>,
    /// `[[show.social_interact]]`.
    pub(in crate::import) social: Vec<SocialInteractTag>,
    /// `[show.chat]`.
    pub(in crate::import) chat: Option<ChatTag>,
    /// What could not be kept, for `# Imported:` comments.
    pub(in crate::import) dropped: Vec<String>,
}

/// An item's tags, as `[[episode]]` holds them.
#[derive(Debug, Default)]
pub(in crate::import) struct EpisodeTags {
    /// `image_alt`: the alt text of the `podcast:image` that is the episode's own image.
    pub(in crate::import) image_alt: Option<String>,
    /// `[[episode.artwork]]`.
    pub(in crate::import) artwork: Vec<Image>,
    /// `[[episode.value]]`.
    pub(in crate::import) value: Vec<Value>,
    /// `[[episode.txt]]`.
    pub(in crate::import) txt: Vec<TxtTag>,
    /// `[[episode.social_interact]]`.
    pub(in crate::import) social: Vec<SocialInteractTag>,
    /// `[episode.chat]`.
    pub(in crate::import) chat: Option<ChatTag>,
    /// `[[episode.content_link]]`.
    pub(in crate::import) content_links: Vec<(String, String)>,
    /// `live`: the item is a `podcast:liveItem`.
    pub(in crate::import) live: Option<Live>,
    /// What could not be kept, for `# Imported:` comments.
    pub(in crate::import) dropped: Vec<String>,
}

/// `podcast:value`.
#[derive(Debug)]
pub(in crate::import) struct Value {
    pub(in crate::import) kind: String,
    pub(in crate::import) method: String,
    pub(in crate::import) suggested: Option<String>,
    pub(in crate::import) recipients: Vec<Recipient>,
    pub(in crate::import) time_splits: Vec<TimeSplit>,
}

/// `podcast:valueRecipient`.
#[derive(Debug)]
pub(in crate::import) struct Recipient {
    pub(in crate::import) name: Option<String>,
    /// The type, when it is not the one the catalogue infers from the address.
    pub(in crate::import) kind: Option<String>,
    pub(in crate::import) address: String,
    pub(in crate::import) split: u64,
    pub(in crate::import) fee: bool,
    pub(in crate::import) custom_key: Option<String>,
    pub(in crate::import) custom_value: Option<String>,
}

/// `podcast:valueTimeSplit`.
#[derive(Debug)]
pub(in crate::import) struct TimeSplit {
    /// Milliseconds.
    pub(in crate::import) start_ms: u64,
    /// Milliseconds.
    pub(in crate::import) duration_ms: u64,
    /// Milliseconds.
    pub(in crate::import) remote_start_ms: Option<u64>,
    pub(in crate::import) remote_percentage: Option<u8>,
    /// The one `podcast:remoteItem`, or else…
    pub(in crate::import) remote: Option<RemoteItemTag>,
    /// …the split's own recipients.
    pub(in crate::import) recipients: Vec<Recipient>,
}

/// `podcast:updateFrequency`.
#[derive(Debug)]
pub(in crate::import) struct UpdateFrequency {
    pub(in crate::import) text: String,
    pub(in crate::import) rrule: Option<String>,
    /// As the feed writes it (ISO 8601).
    pub(in crate::import) dtstart: Option<String>,
}

/// `podcast:image`, as `[[….artwork]]` with its file a URL.
#[derive(Debug)]
pub(in crate::import) struct Image {
    pub(in crate::import) href: String,
    pub(in crate::import) alt: Option<String>,
    pub(in crate::import) purpose: Option<String>,
    pub(in crate::import) width: Option<u32>,
    pub(in crate::import) height: Option<u32>,
    /// `aspect-ratio`, when it is a ratio as CSS writes one.
    pub(in crate::import) aspect_ratio: Option<String>,
    pub(in crate::import) mime: Option<String>,
    /// This is the cover art (or the episode's image), kept as artwork because `image_alt` would lose its
    /// stated size, type or purpose.
    pub(in crate::import) is_cover: bool,
}

/// `podcast:liveItem`'s schedule.
#[derive(Debug, Clone, Copy)]
pub(in crate::import) struct Live {
    pub(in crate::import) status: &'static str,
    pub(in crate::import) start: DateTime<FixedOffset>,
    pub(in crate::import) end: Option<DateTime<FixedOffset>>,
}

/// Where notes go while reading: the feed's text for line numbers, the base for relative image URLs.
pub(super) struct Context<'a> {
    pub(super) source: &'a str,
    pub(super) base: Option<&'a url::Url>,
    pub(super) notes: &'a mut Vec<Note>,
}

impl Context<'_> {
    /// `message` about `node`: a note naming its line, and a comment for the catalogue.
    fn drop(&mut self, dropped: &mut Vec<String>, node: Node<'_, '_>, message: String) {
        let line = line_of(self.source, node);
        dropped.push(format!("line {line}: {message}"));
        self.notes.push(Note {
            line: Some(line),
            message,
        });
    }
}

/// The channel's tags. `cover` is the cover art's URL as the catalogue writes it.
pub(super) fn show_tags(
    channel: Node<'_, '_>,
    cover: Option<&str>,
    cx: &mut Context<'_>,
) -> ShowTags {
    let mut dropped = Vec::new();
    let (image_alt, artwork) = images(channel, cover, cx, &mut dropped);
    let value = values(channel, cx, &mut dropped);
    let txt = txts(channel, cx, &mut dropped);
    let podroll = children(channel, Ns::Podcast, "podroll")
        .flat_map(|p| children(p, Ns::Podcast, "remoteItem"))
        .filter_map(|r| remote(r, "a show of the podroll", cx, &mut dropped))
        .collect();
    let publisher = child(channel, Ns::Podcast, "publisher").and_then(|p| {
        let Some(r) = child(p, Ns::Podcast, "remoteItem") else {
            cx.drop(
                &mut dropped,
                p,
                "podcast:publisher has no podcast:remoteItem naming the publisher's feed; not imported"
                    .to_owned(),
            );
            return None;
        };
        // The catalogue writes `medium="publisher"` itself.
        remote(r, "the publisher", cx, &mut dropped).map(|r| RemoteItemTag { medium: None, ..r })
    });
    let (update_frequency, complete) = match child(channel, Ns::Podcast, "updateFrequency") {
        Some(node) => {
            let complete = attr(Some(node), "complete")
                .and_then(|c| yes_no(&c))
                .map(|c| (c, line_of(cx.source, node)));
            (update_frequency(node, cx, &mut dropped), complete)
        }
        None => (None, None),
    };
    let podping = child(channel, Ns::Podcast, "podping").and_then(|p| {
        let written = attr(Some(p), "usesPodping");
        let uses = written.as_deref().and_then(yes_no);
        if uses.is_none() {
            cx.drop(
                &mut dropped,
                p,
                format!(
                    "podcast:podping usesPodping is {}, not `true` or `false`; not imported",
                    written.map_or_else(|| "missing".to_owned(), |w| format!("`{w}`"))
                ),
            );
        }
        uses
    });
    let (block_platforms, allow_platforms) = blocks(channel, cx, &mut dropped);
    let social = socials(channel, cx, &mut dropped);
    let chat = child(channel, Ns::Podcast, "chat").and_then(|c| chat(c, cx, &mut dropped));
    ShowTags {
        image_alt,
        artwork,
        value,
        txt,
        podroll,
        publisher,
        update_frequency,
        complete,
        podping,
        block_platforms,
        allow_platforms,
        social,
        chat,
        dropped,
    }
}

/// An item's tags. `own_image` is the episode's own image URL, when the catalogue writes one.
pub(super) fn episode_tags(
    item: Node<'_, '_>,
    own_image: Option<&str>,
    live: Option<Live>,
    cx: &mut Context<'_>,
) -> EpisodeTags {
    let mut dropped = Vec::new();
    let (image_alt, artwork) = images(item, own_image, cx, &mut dropped);
    let value = values(item, cx, &mut dropped);
    let txt = txts(item, cx, &mut dropped);
    let social = socials(item, cx, &mut dropped);
    let chat = child(item, Ns::Podcast, "chat").and_then(|c| chat(c, cx, &mut dropped));
    let content_links = children(item, Ns::Podcast, "contentLink")
        .filter_map(|l| {
            let href = attr(Some(l), "href");
            let link_text = trimmed(Some(l));
            match (href.as_deref().filter(|h| web_url(h).is_some()), link_text) {
                (Some(h), Some(t)) => Some((h.to_owned(), t)),
                (_, t) => {
                    let why = if t.is_none() {
                        "has no text saying what the link is".to_owned()
                    } else {
                        format!(
                            "href is {}, not a web address",
                            href.map_or_else(|| "missing".to_owned(), |h| format!("`{h}`"))
                        )
                    };
                    cx.drop(
                        &mut dropped,
                        l,
                        format!("podcast:contentLink {why}; not imported"),
                    );
                    None
                }
            }
        })
        .collect::<Vec<_>>();
    // A live stream needs a content link (podcast-namespace docs/tags/live-item.md); `live` let through only
    // live items with one or with a `<link>`, which stands in.
    let content_links = match (&live, content_links.is_empty(), live_link(item)) {
        (Some(_), true, Some(link)) => {
            cx.notes.push(Note {
                line: Some(line_of(cx.source, item)),
                message: format!(
                    "the podcast:liveItem has no podcast:contentLink, which the namespace requires; its <link> `{link}` is imported as one"
                ),
            });
            vec![(link, "Listen live".to_owned())]
        }
        _ => content_links,
    };
    EpisodeTags {
        image_alt,
        artwork,
        value,
        txt,
        social,
        chat,
        content_links,
        live,
        dropped,
    }
}

/// A `podcast:liveItem`'s status and schedule; `None` (with a note) when the catalogue could not hold them,
/// and then the live item is not imported.
pub(super) fn live(node: Node<'_, '_>, cx: &mut Context<'_>) -> Option<Live> {
    let status_written = attr(Some(node), "status");
    let status = status_written.as_deref().and_then(|s| {
        LIVE_STATUSES
            .iter()
            .copied()
            .find(|l| l.eq_ignore_ascii_case(s))
    });
    let start_written = attr(Some(node), "start");
    let start = start_written.as_deref().and_then(iso8601);
    let (Some(status), Some(start)) = (status, start) else {
        let why = if status.is_none() {
            format!(
                "its status is {}, not `pending`, `live` or `ended`",
                status_written.map_or_else(|| "missing".to_owned(), |s| format!("`{s}`"))
            )
        } else {
            format!(
                "its start is {}, not an ISO 8601 date-time with an offset",
                start_written.map_or_else(|| "missing".to_owned(), |s| format!("`{s}`"))
            )
        };
        cx.notes.push(Note {
            line: Some(line_of(cx.source, node)),
            message: format!("the podcast:liveItem is not imported: {why}"),
        });
        return None;
    };
    let has_content_link = children(node, Ns::Podcast, "contentLink").any(|l| {
        attr(Some(l), "href").is_some_and(|h| web_url(&h).is_some()) && trimmed(Some(l)).is_some()
    });
    if !has_content_link && live_link(node).is_none() {
        cx.notes.push(Note {
            line: Some(line_of(cx.source, node)),
            message: "the podcast:liveItem is not imported: it has no podcast:contentLink (a page that plays the stream, which the namespace requires) and no <link> to stand in; add it as an [[episode]] with `live` and a `[[episode.content_link]]`".to_owned(),
        });
        return None;
    }
    let end = attr(Some(node), "end").and_then(|written| match iso8601(&written) {
        Some(end) if end > start => Some(end),
        parsed => {
            cx.notes.push(Note {
                line: Some(line_of(cx.source, node)),
                message: format!(
                    "the podcast:liveItem's end `{written}` is {}; imported without it",
                    if parsed.is_some() {
                        "not after its start"
                    } else {
                        "not an ISO 8601 date-time with an offset"
                    }
                ),
            });
            None
        }
    });
    Some(Live { status, start, end })
}

/// A live item's `<link>`, when it is a web address: the page a content link can point at.
fn live_link(node: Node<'_, '_>) -> Option<String> {
    trimmed(child(node, Ns::Rss, "link")).filter(|l| web_url(l).is_some())
}

/// An ISO 8601 date-time with an offset, as the namespace writes them (`2021-09-26T07:30:00.000-06:00`,
/// also `-0600` and `Z`).
pub(super) fn iso8601(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%z").ok())
}

/// `podcast:image`s: the one that is `cover` (with an alt and nothing `image_alt` would lose) as its alt
/// text, the others as artwork.
fn images(
    parent: Node<'_, '_>,
    cover: Option<&str>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> (Option<String>, Vec<Image>) {
    let mut image_alt = None;
    let mut artwork = Vec::new();
    for node in children(parent, Ns::Podcast, "image") {
        let written = attr(Some(node), "href");
        let Some(href) = written.clone().and_then(|h| absolute(h, cx.base)) else {
            cx.drop(
                dropped,
                node,
                format!(
                    "podcast:image href is {}, not a web address; not imported",
                    written.map_or_else(|| "missing".to_owned(), |h| format!("`{h}`"))
                ),
            );
            continue;
        };
        let alt = attr(Some(node), "alt");
        let purpose = attr(Some(node), "purpose").and_then(|p| {
            let tokens: Vec<&str> = p.split_ascii_whitespace().collect();
            if p.chars().count() > crate::vocab::limits::PODCAST_SHORT_TEXT_LIMIT {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:image purpose of `{href}` is over 128 characters; imported without it"),
                );
                None
            } else {
                Some(tokens.join(" "))
            }
        });
        let mut dimension = |name: &str| {
            let written = attr(Some(node), name)?;
            match written.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    cx.drop(
                        dropped,
                        node,
                        format!("podcast:image {name} `{written}` of `{href}` is not a whole number of pixels; imported without it"),
                    );
                    None
                }
            }
        };
        let (width, height) = (dimension("width"), dimension("height"));
        let aspect_ratio = attr(Some(node), "aspect-ratio").and_then(|written| {
            let positive =
                |part: &str| part.trim().parse::<f64>().is_ok_and(|x| x.is_finite() && x > 0.0);
            let ok = match written.split_once('/') {
                Some((w, h)) => positive(w) && positive(h),
                None => positive(&written),
            };
            if ok {
                Some(written.split('/').map(str::trim).collect::<Vec<_>>().join("/"))
            } else {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:image aspect-ratio `{written}` of `{href}` is not a ratio; imported without it"),
                );
                None
            }
        });
        let mime = attr(Some(node), "type");
        let is_cover = cover == Some(href.as_str()) && image_alt.is_none();
        let only_alt = width.is_none()
            && height.is_none()
            && aspect_ratio.is_none()
            && mime.is_none()
            && purpose.as_deref().is_none_or(|p| p == "artwork");
        if is_cover && only_alt && alt.is_some() {
            image_alt = alt;
        } else {
            artwork.push(Image {
                href,
                alt,
                purpose,
                width,
                height,
                aspect_ratio,
                mime,
                is_cover,
            });
        }
    }
    (image_alt, artwork)
}

/// `podcast:value` blocks.
fn values(parent: Node<'_, '_>, cx: &mut Context<'_>, dropped: &mut Vec<String>) -> Vec<Value> {
    let mut out = Vec::new();
    for node in children(parent, Ns::Podcast, "value") {
        let mut slug = |name: &str, default: &str| -> Option<String> {
            match attr(Some(node), name) {
                Some(s) if is_slug(&s) => Some(s),
                Some(s) => {
                    cx.drop(
                        dropped,
                        node,
                        format!("podcast:value {name} `{s}` is not a service slug (lowercase letters, digits and dashes); the value block is not imported"),
                    );
                    None
                }
                None => {
                    cx.drop(
                        dropped,
                        node,
                        format!("podcast:value has no {name}; imported as `{default}`, castkit's default: check it"),
                    );
                    Some(default.to_owned())
                }
            }
        };
        let Some(kind) = slug("type", "lightning") else {
            continue;
        };
        let Some(method) = slug("method", "keysend") else {
            continue;
        };
        let suggested = attr(Some(node), "suggested").and_then(|s| {
            if is_decimal(&s) {
                Some(s)
            } else {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:value suggested `{s}` is not a decimal amount such as `0.00000005000`; imported without it"),
                );
                None
            }
        });
        let recipients = recipients(node, cx, dropped);
        if recipients.is_empty() {
            cx.drop(
                dropped,
                node,
                "podcast:value has no recipient the catalogue can hold; the value block is not imported"
                    .to_owned(),
            );
            continue;
        }
        let time_splits = children(node, Ns::Podcast, "valueTimeSplit")
            .filter_map(|s| time_split(s, cx, dropped))
            .collect();
        out.push(Value {
            kind,
            method,
            suggested,
            recipients,
            time_splits,
        });
    }
    out
}

/// A service slug, by the catalogue's rule.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A plain decimal amount, by the catalogue's rule.
fn is_decimal(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().filter(|&b| b == b'.').count() <= 1
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !s.starts_with('.')
        && !s.ends_with('.')
}

/// The `podcast:valueRecipient`s of `parent`.
fn recipients(
    parent: Node<'_, '_>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> Vec<Recipient> {
    let mut out = Vec::new();
    for node in children(parent, Ns::Podcast, "valueRecipient") {
        let name = attr(Some(node), "name");
        let who = name.as_deref().map_or_else(
            || "a podcast:valueRecipient".to_owned(),
            |n| format!("the podcast:valueRecipient `{n}`"),
        );
        let address = attr(Some(node), "address");
        let written_kind = attr(Some(node), "type");
        let inferred = if address.as_deref().is_some_and(|a| a.contains('@')) {
            "lnaddress"
        } else {
            "node"
        };
        let kind = written_kind.as_deref().unwrap_or(inferred);
        let problem = if !RECIPIENT_TYPES.contains(&kind) {
            Some(format!("has the type `{kind}`, not `node` or `lnaddress`"))
        } else if let Some(a) = address.as_deref() {
            let ok = match kind {
                "node" => a.len() == 66 && a.bytes().all(|b| b.is_ascii_hexdigit()),
                _ => crate::vocab::Email::parse(a).is_some(),
            };
            (!ok).then(|| {
                format!(
                    "has the address `{a}`, not {}",
                    if kind == "node" {
                        "a node's public key (66 hexadecimal characters)"
                    } else {
                        "a Lightning address such as `alice@getalby.com`"
                    }
                )
            })
        } else {
            Some("has no address".to_owned())
        };
        let split_written = attr(Some(node), "split");
        let split = split_written.as_deref().and_then(|s| s.parse::<u64>().ok());
        let problem = problem.or_else(|| {
            split.is_none().then(|| {
                format!(
                    "has the split {}, not a whole number of shares",
                    split_written
                        .as_deref()
                        .map_or_else(|| "missing".to_owned(), |s| format!("`{s}`"))
                )
            })
        });
        let (Some(address), Some(split), None) = (address, split, &problem) else {
            cx.drop(
                dropped,
                node,
                format!(
                    "{who} {}; left out of its value block",
                    problem.unwrap_or_default()
                ),
            );
            continue;
        };
        let custom_key = attr(Some(node), "customKey");
        let mut custom_value = attr(Some(node), "customValue");
        if custom_key.is_none() && custom_value.is_some() {
            cx.drop(
                dropped,
                node,
                format!(
                    "{who} has a customValue but no customKey to send it under; imported without it"
                ),
            );
            custom_value = None;
        }
        out.push(Recipient {
            name,
            kind: (kind != inferred).then(|| kind.to_owned()),
            address,
            split,
            fee: attr(Some(node), "fee").and_then(|f| yes_no(&f)) == Some(true),
            custom_key,
            custom_value,
        });
    }
    out
}

/// Seconds as the namespace writes them (`12`, `4.5`), in milliseconds.
fn seconds_ms(text: &str) -> Option<u64> {
    let x: f64 = text.trim().parse().ok()?;
    (x.is_finite() && x >= 0.0).then(|| (x * 1000.0).round() as u64)
}

/// A `podcast:valueTimeSplit`, or `None` (with a note) when the catalogue could not hold it.
fn time_split(
    node: Node<'_, '_>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> Option<TimeSplit> {
    let time = |name: &str| attr(Some(node), name).map(|w| (seconds_ms(&w), w));
    let (start, duration) = (time("startTime"), time("duration"));
    let (Some((Some(start_ms), _)), Some((Some(duration_ms), _))) = (&start, &duration) else {
        let (name, written) = match (&start, &duration) {
            (None | Some((None, _)), _) => ("startTime", start),
            _ => ("duration", duration),
        };
        cx.drop(
            dropped,
            node,
            format!(
                "podcast:valueTimeSplit {name} is {}, not a number of seconds; the time split is not imported",
                written.map_or_else(|| "missing".to_owned(), |(_, w)| format!("`{w}`"))
            ),
        );
        return None;
    };
    let remote_start_ms = time("remoteStartTime").and_then(|(ms, written)| {
        if ms.is_none() {
            cx.drop(
                dropped,
                node,
                format!("podcast:valueTimeSplit remoteStartTime `{written}` is not a number of seconds; imported without it"),
            );
        }
        ms
    });
    let remote_percentage = attr(Some(node), "remotePercentage").and_then(|p| match p.parse::<u8>() {
        Ok(n) if n <= 100 => Some(n),
        _ => {
            cx.drop(
                dropped,
                node,
                format!("podcast:valueTimeSplit remotePercentage `{p}` is not a whole number from 0 to 100; imported without it"),
            );
            None
        }
    });
    let mut remotes = children(node, Ns::Podcast, "remoteItem");
    let first_remote = remotes.next();
    if first_remote.is_some() && remotes.next().is_some() {
        cx.drop(
            dropped,
            node,
            "podcast:valueTimeSplit has more than one podcast:remoteItem; only the first is imported, as the namespace allows one".to_owned(),
        );
    }
    let remote = first_remote.and_then(|r| remote(r, "a time split", cx, dropped));
    let mut recipients = recipients(node, cx, dropped);
    if remote.is_some() && !recipients.is_empty() {
        cx.drop(
            dropped,
            node,
            "podcast:valueTimeSplit has both a podcast:remoteItem and recipients; the recipients are left out (a split pays one or the other)".to_owned(),
        );
        recipients.clear();
    }
    if remote.is_none() && recipients.is_empty() {
        cx.drop(
            dropped,
            node,
            "podcast:valueTimeSplit names nobody the catalogue can pay (no valid podcast:remoteItem or recipient); the time split is not imported".to_owned(),
        );
        return None;
    }
    Some(TimeSplit {
        start_ms: *start_ms,
        duration_ms: *duration_ms,
        remote_start_ms,
        remote_percentage,
        remote,
        recipients,
    })
}

/// A `podcast:remoteItem` (of `what`), or `None` (with a note) without a feed guid that is a UUID.
fn remote(
    node: Node<'_, '_>,
    what: &str,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> Option<RemoteItemTag> {
    let guid = attr(Some(node), "feedGuid");
    let Some(feed_guid) = guid.clone().filter(|g| uuid::Uuid::parse_str(g).is_ok()) else {
        cx.drop(
            dropped,
            node,
            format!(
                "the podcast:remoteItem of {what} has the feedGuid {}, not a UUID; not imported",
                guid.map_or_else(|| "missing".to_owned(), |g| format!("`{g}`"))
            ),
        );
        return None;
    };
    let feed_url = attr(Some(node), "feedUrl").and_then(|u| {
        if web_url(&u).is_some() {
            Some(u)
        } else {
            cx.drop(
                dropped,
                node,
                format!("the podcast:remoteItem of {what} has the feedUrl `{u}`, not a web address; imported without it"),
            );
            None
        }
    });
    let medium = attr(Some(node), "medium").and_then(|m| {
        if MEDIUMS.contains(&m.as_str()) {
            Some(m)
        } else {
            cx.drop(
                dropped,
                node,
                format!("the podcast:remoteItem of {what} has the medium `{m}`, not a Podcasting 2.0 medium; imported without it"),
            );
            None
        }
    });
    Some(RemoteItemTag {
        feed_guid,
        feed_url,
        item_guid: attr(Some(node), "itemGuid"),
        medium,
        title: attr(Some(node), "title"),
    })
}

/// `podcast:txt`s.
fn txts(parent: Node<'_, '_>, cx: &mut Context<'_>, dropped: &mut Vec<String>) -> Vec<TxtTag> {
    children(parent, Ns::Podcast, "txt")
        .filter_map(|t| match trimmed(Some(t)) {
            Some(text) => Some(TxtTag {
                text,
                purpose: attr(Some(t), "purpose"),
            }),
            None => {
                cx.drop(dropped, t, "podcast:txt is empty; not imported".to_owned());
                None
            }
        })
        .collect()
}

/// `podcast:updateFrequency`, without a `dtstart` or `rrule` the catalogue's check refuses.
fn update_frequency(
    node: Node<'_, '_>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> Option<UpdateFrequency> {
    let Some(text) = trimmed(Some(node)) else {
        cx.drop(
            dropped,
            node,
            "podcast:updateFrequency has no text (the schedule in words, which the catalogue requires); not imported".to_owned(),
        );
        return None;
    };
    let dtstart =
        attr(Some(node), "dtstart").and_then(|d| match check_rrule("FREQ=DAILY", Some(&d)) {
            Ok(()) => Some(d),
            Err(e) => {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:updateFrequency: {e}; imported without it"),
                );
                None
            }
        });
    let rrule = attr(Some(node), "rrule").and_then(|r| match check_rrule(&r, dtstart.as_deref()) {
        Ok(()) => Some(r),
        Err(e) => {
            cx.drop(
                dropped,
                node,
                format!("podcast:updateFrequency rrule `{r}` is not a recurrence rule apps can follow ({e}); imported without it"),
            );
            None
        }
    });
    Some(UpdateFrequency {
        text,
        rrule,
        dtstart,
    })
}

/// `podcast:block`s as `block_platforms` and `allow_platforms`.
fn blocks(
    channel: Node<'_, '_>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let mut all = false;
    let mut blocked = Vec::new();
    let mut allowed: Vec<(String, Node<'_, '_>)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for node in children(channel, Ns::Podcast, "block") {
        let written = text(node).trim().to_owned();
        let Some(is_blocked) = yes_no(&written) else {
            cx.drop(
                dropped,
                node,
                format!("podcast:block says `{written}`, not `yes` or `no`; not imported"),
            );
            continue;
        };
        let Some(id) = attr(Some(node), "id") else {
            if is_blocked {
                all = true;
            } else {
                cx.drop(
                    dropped,
                    node,
                    "podcast:block `no` without an id allows every platform, as no tag does; not written".to_owned(),
                );
            }
            continue;
        };
        let slug = id.to_lowercase();
        if !SERVICE_SLUGS.contains(&slug.as_str()) {
            cx.drop(
                dropped,
                node,
                format!("podcast:block id `{id}` is not a platform of the namespace's service list; not imported"),
            );
            continue;
        }
        if seen.contains(&slug) {
            cx.drop(
                dropped,
                node,
                format!("podcast:block names the platform `{slug}` a second time; only the first is imported"),
            );
            continue;
        }
        seen.push(slug.clone());
        if is_blocked {
            blocked.push(slug);
        } else {
            allowed.push((slug, node));
        }
    }
    if all {
        blocked.insert(0, "all".to_owned());
    } else {
        for (slug, node) in allowed.drain(..) {
            cx.drop(
                dropped,
                node,
                format!("podcast:block id `{slug}` `no` allows a platform that no block excludes, as no tag does; not written"),
            );
        }
    }
    (blocked, allowed.into_iter().map(|(s, _)| s).collect())
}

/// `podcast:socialInteract`s.
fn socials(
    parent: Node<'_, '_>,
    cx: &mut Context<'_>,
    dropped: &mut Vec<String>,
) -> Vec<SocialInteractTag> {
    let mut out = Vec::new();
    for node in children(parent, Ns::Podcast, "socialInteract") {
        let Some(protocol) = attr(Some(node), "protocol") else {
            cx.drop(
                dropped,
                node,
                "podcast:socialInteract has no protocol; not imported".to_owned(),
            );
            continue;
        };
        let [uri, account_id, account_url, priority] =
            ["uri", "accountId", "accountUrl", "priority"].map(|a| attr(Some(node), a));
        if protocol == SOCIAL_DISABLED {
            if uri.is_some() || account_id.is_some() || account_url.is_some() || priority.is_some()
            {
                cx.drop(
                    dropped,
                    node,
                    "podcast:socialInteract `disabled` turns comments off and takes no other attribute; imported without them".to_owned(),
                );
            }
            out.push(SocialInteractTag {
                protocol,
                uri: None,
                account_id: None,
                account_url: None,
                priority: None,
            });
            continue;
        }
        if !SOCIAL_PROTOCOLS.contains(&protocol.as_str()) {
            cx.drop(
                dropped,
                node,
                format!("podcast:socialInteract protocol `{protocol}` is not in the namespace's list of social protocols; not imported"),
            );
            continue;
        }
        let Some(uri) = uri.filter(|u| is_post_uri(u)) else {
            cx.drop(
                dropped,
                node,
                format!(
                    "podcast:socialInteract uri is {}, not the address of a post; not imported",
                    attr(Some(node), "uri")
                        .map_or_else(|| "missing".to_owned(), |u| format!("`{u}`"))
                ),
            );
            continue;
        };
        let account_url = account_url.and_then(|u| {
            if web_url(&u).is_some() {
                Some(u)
            } else {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:socialInteract accountUrl `{u}` is not a web address; imported without it"),
                );
                None
            }
        });
        let priority = priority.and_then(|p| match p.parse::<u32>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                cx.drop(
                    dropped,
                    node,
                    format!("podcast:socialInteract priority `{p}` is not a whole number from 1 up; imported without it"),
                );
                None
            }
        });
        out.push(SocialInteractTag {
            protocol,
            uri: Some(uri),
            account_id,
            account_url,
            priority,
        });
    }
    out
}

/// The root post of a comment thread, by the catalogue's rule: a web address, or a URI of the protocol's
/// own scheme (`at://did:plc:…`).
fn is_post_uri(text: &str) -> bool {
    if text.starts_with("http://") || text.starts_with("https://") {
        return web_url(text).is_some();
    }
    text.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    }) && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `podcast:chat`, or `None` (with a note) when its server or protocol is not one the catalogue takes.
fn chat(node: Node<'_, '_>, cx: &mut Context<'_>, dropped: &mut Vec<String>) -> Option<ChatTag> {
    let server = attr(Some(node), "server");
    let protocol = attr(Some(node), "protocol");
    let server_ok = server.as_deref().is_some_and(|host| {
        !host.contains("://")
            && !host.contains('/')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b))
    });
    let protocol_ok = protocol
        .as_deref()
        .is_some_and(|p| CHAT_PROTOCOLS.contains(&p));
    let (Some(server), Some(protocol), true, true) =
        (server.clone(), protocol.clone(), server_ok, protocol_ok)
    else {
        let why = if server_ok {
            format!(
                "protocol {} is not in the namespace's list of chat protocols",
                protocol.map_or_else(|| "(missing)".to_owned(), |p| format!("`{p}`"))
            )
        } else {
            format!(
                "server {} is not a host name",
                server.map_or_else(|| "(missing)".to_owned(), |s| format!("`{s}`"))
            )
        };
        cx.drop(dropped, node, format!("podcast:chat {why}; not imported"));
        return None;
    };
    Some(ChatTag {
        server,
        protocol,
        account_id: attr(Some(node), "accountId"),
        space: attr(Some(node), "space"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_times_are_read_with_their_offsets_in_the_forms_the_namespace_writes() {
        for (written, expected) in [
            ("2021-09-26T07:30:00.000-06:00", "2021-09-26T07:30:00-06:00"),
            ("2021-09-26T07:30:00.000-0600", "2021-09-26T07:30:00-06:00"),
            ("2026-03-09T18:00:00Z", "2026-03-09T18:00:00+00:00"),
            ("2026-03-09T18:00+01:00", "2026-03-09T18:00:00+01:00"),
        ] {
            assert_eq!(
                iso8601(written).map(|d| d.to_rfc3339()),
                Some(expected.to_owned()),
                "{written}"
            );
        }
        assert_eq!(iso8601("2026-03-09"), None);
        assert_eq!(iso8601("next Tuesday"), None);
    }

    #[test]
    fn slugs_and_decimals_follow_the_catalogues_rules() {
        assert!(is_slug("lightning") && is_slug("hive-2") && !is_slug("Lightning") && !is_slug(""));
        assert!(
            is_decimal("0.00000005000")
                && is_decimal("5")
                && !is_decimal("1e-8")
                && !is_decimal(".5")
        );
        assert!(is_post_uri("at://did:plc:x/app.bsky.feed.post/1") && !is_post_uri("not a uri"));
    }
}
