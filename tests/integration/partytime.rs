//! podcast-partytime, the Podcast Index's parser of the Podcasting 2.0 namespace (run by Node from
//! `tests/partytime`), reads the feeds castkit writes. Every `podcast:` and `itunes:` value partytime exposes
//! is compared with the same value read from the feed's XML by roxmltree (a strict parser sharing no code with
//! castkit's writer or with partytime), and the key values also with facts outside the feed: file sizes, the
//! decoded duration by ffmpeg, the catalogue's text, the UUIDv5 the namespace defines.
//!
//! partytime's reading rules were taken from its source (`tests/partytime/node_modules/podcast-partytime/src`)
//! and are restated in [`expected_channel`] and [`expected_item`], quirks included (soundbites at 0 s dropped,
//! roles capitalised, transcript languages defaulting to the channel's, a `podcast:value` inherited by items).
//! A tag castkit writes that this module does not know fails the test, so a new tag cannot go unread.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use roxmltree::Node;
use serde_json::{Map, Value, json};

use crate::support::{
    EXAMPLE_MP3, SHOW, ShowDir, audio_fixtures, castkit, ffmpeg_decoded_seconds, have_tool,
    partytime_read, repo_root, shared_dir, stderr_of,
};

const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST: &str = "https://podcastindex.org/namespace/1.0";

/// Tags partytime does not read at all where they stand (read from its source: no parser is registered for
/// them at that level). Keys are `channel …` or `item …`.
const NOT_READ_BY_PARTYTIME: &[&str] = &[
    "channel itunes:keywords",
    "channel podcast:image",
    "channel podcast:podping",
    "channel podcast:updateFrequency",
    "channel podcast:socialInteract",
    "item itunes:block",
    "item podcast:contentLink",
    "item podcast:funding",
    "item podcast:image",
    "item podcast:remoteItem",
];

/// The `podcast:`/`itunes:` name of an element, or `None` for other namespaces.
fn qualified(n: Node<'_, '_>) -> Option<String> {
    let prefix = match n.tag_name().namespace()? {
        PODCAST => "podcast",
        ITUNES => "itunes",
        _ => return None,
    };
    Some(format!("{prefix}:{}", n.tag_name().name()))
}

/// The children of `parent` in the two namespaces, grouped by name (in document order within a name).
fn tag_groups<'a, 'i>(parent: Node<'a, 'i>) -> BTreeMap<String, Vec<Node<'a, 'i>>> {
    let mut groups: BTreeMap<String, Vec<Node<'a, 'i>>> = BTreeMap::new();
    for n in parent.children().filter(Node::is_element) {
        if let Some(name) = qualified(n) {
            groups.entry(name).or_default().push(n);
        }
    }
    groups
}

fn plain_child<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    parent.children().find(|n| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace().is_none()
    })
}

fn ns_children<'a, 'i: 'a>(
    parent: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    parent.children().filter(move |n| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
    })
}

/// An element's text as partytime takes it: all text and CDATA, trimmed.
fn text(n: Node<'_, '_>) -> String {
    n.children()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute(name).map(str::trim).filter(|v| !v.is_empty())
}

fn number(s: &str) -> Value {
    json!(
        s.trim()
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("not a number: {s:?}"))
    )
}

/// An RSS (RFC 2822) or ISO 8601 date as JavaScript's `Date.toJSON` writes it.
fn iso(date: &str) -> Value {
    let parsed = chrono::DateTime::parse_from_rfc2822(date)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(date))
        .or_else(|_| chrono::DateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .unwrap_or_else(|e| panic!("not a date: {date:?} ({e})"));
    json!(parsed.to_utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// Adds `key: value` when the attribute is there (partytime's `extractOptional…Attribute`).
fn optional(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), value);
    }
}

/// Numbers compared by value (partytime writes `128000` for a float its XML had as `128000`), role and group
/// names case-insensitively (partytime capitalises them from the taxonomy: `host` → `Host`).
fn normalised(value: &Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("role" | "group", Value::String(s)) => json!(s.to_lowercase()),
                        _ => normalised(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn persons(nodes: &[Node<'_, '_>]) -> Value {
    let people: Vec<Value> = nodes
        .iter()
        .filter(|n| !text(**n).is_empty())
        .map(|n| {
            let mut p = Map::new();
            p.insert("name".into(), json!(text(*n)));
            // partytime falls back to Host and Cast for a missing or unknown role or group.
            p.insert("role".into(), json!(attr(*n, "role").unwrap_or("host")));
            p.insert("group".into(), json!(attr(*n, "group").unwrap_or("cast")));
            optional(&mut p, "img", attr(*n, "img").map(|v| json!(v)));
            optional(&mut p, "href", attr(*n, "href").map(|v| json!(v)));
            Value::Object(p)
        })
        .collect();
    json!(people)
}

fn location(n: Node<'_, '_>) -> Value {
    let mut l = Map::new();
    l.insert("name".into(), json!(text(n)));
    optional(&mut l, "osm", attr(n, "osm").map(|v| json!(v)));
    optional(&mut l, "geo", attr(n, "geo").map(|v| json!(v)));
    Value::Object(l)
}

fn license(n: Node<'_, '_>, actual: &Value) -> Value {
    // Without a url attribute partytime looks the identifier up in its copy of the SPDX list.
    let url = attr(n, "url").map_or_else(
        || {
            assert!(
                actual["url"].as_str().is_some_and(|u| u.contains(&text(n))),
                "partytime found no SPDX licence `{}`: {actual}",
                text(n)
            );
            actual["url"].clone()
        },
        |u| json!(u),
    );
    json!({ "identifier": text(n), "url": url })
}

fn recipients<'a>(nodes: impl Iterator<Item = Node<'a, 'a>>) -> Value {
    let list: Vec<Value> = nodes
        .filter(|n| {
            attr(*n, "type").is_some()
                && attr(*n, "address").is_some()
                && attr(*n, "split").is_some()
        })
        .map(|n| {
            let mut r = Map::new();
            for key in ["name", "customKey", "customValue"] {
                optional(&mut r, key, attr(n, key).map(|v| json!(v)));
            }
            r.insert("type".into(), json!(attr(n, "type")));
            r.insert("address".into(), json!(attr(n, "address")));
            r.insert("split".into(), number(attr(n, "split").unwrap()));
            r.insert(
                "fee".into(),
                json!(attr(n, "fee").is_some_and(
                    |f| f.eq_ignore_ascii_case("true") || f.eq_ignore_ascii_case("yes")
                )),
            );
            Value::Object(r)
        })
        .collect();
    json!(list)
}

fn remote_item(n: Node<'_, '_>) -> Value {
    let mut r = Map::new();
    r.insert("feedGuid".into(), json!(attr(n, "feedGuid")));
    for key in ["itemGuid", "feedUrl", "title", "medium"] {
        optional(&mut r, key, attr(n, key).map(|v| json!(v)));
    }
    Value::Object(r)
}

fn value_block<'a>(n: Node<'a, 'a>) -> Value {
    let mut v = Map::new();
    v.insert("type".into(), json!(attr(n, "type")));
    v.insert("method".into(), json!(attr(n, "method")));
    optional(&mut v, "suggested", attr(n, "suggested").map(number));
    v.insert(
        "recipients".into(),
        recipients(ns_children(n, PODCAST, "valueRecipient")),
    );
    let splits: Vec<Value> = ns_children(n, PODCAST, "valueTimeSplit")
        .map(|s| {
            let mut split = Map::new();
            split.insert("startTime".into(), number(attr(s, "startTime").unwrap()));
            split.insert("duration".into(), number(attr(s, "duration").unwrap()));
            match ns_children(s, PODCAST, "remoteItem").find(|r| attr(*r, "feedGuid").is_some()) {
                Some(remote) => {
                    split.insert("type".into(), json!("remoteItem"));
                    let start =
                        attr(s, "remoteStartTime").map_or(0.0, |t| t.parse::<f64>().unwrap());
                    let share =
                        attr(s, "remotePercentage").map_or(100.0, |t| t.parse::<f64>().unwrap());
                    split.insert("remoteStartTime".into(), json!(start.max(0.0)));
                    split.insert("remotePercentage".into(), json!(share.min(100.0)));
                    split.insert("remoteItem".into(), remote_item(remote));
                }
                None => {
                    split.insert("type".into(), json!("recipients"));
                    split.insert(
                        "recipients".into(),
                        recipients(ns_children(s, PODCAST, "valueRecipient")),
                    );
                }
            }
            Value::Object(split)
        })
        .collect();
    if !splits.is_empty() {
        v.insert("valueTimeSplits".into(), json!(splits));
    }
    Value::Object(v)
}

/// `podcast:alternateEnclosure`s with their `podcast:source`s and `podcast:integrity`. In a live item
/// partytime needs no length and writes `length: 0` whatever the attribute says.
fn alternate_enclosures(nodes: &[Node<'_, '_>], live: bool) -> Value {
    let list: Vec<Value> = nodes
        .iter()
        .filter(|n| attr(**n, "type").is_some() && (live || attr(**n, "length").is_some()))
        .filter_map(|n| {
            let mime = attr(*n, "type").unwrap();
            let sources: Vec<Value> = ns_children(*n, PODCAST, "source")
                .filter_map(|s| {
                    Some(json!({
                        "uri": attr(s, "uri")?,
                        "contentType": attr(s, "contentType").unwrap_or(mime),
                    }))
                })
                .collect();
            if sources.is_empty() {
                return None;
            }
            let mut a = Map::new();
            a.insert("type".into(), json!(mime));
            let length = if live {
                json!(0)
            } else {
                number(attr(*n, "length").unwrap())
            };
            a.insert("length".into(), length);
            a.insert("source".into(), json!(sources));
            a.insert(
                "default".into(),
                json!(attr(*n, "default").is_some_and(|d| d.eq_ignore_ascii_case("true"))),
            );
            if let Some(i) = ns_children(*n, PODCAST, "integrity").next()
                && let (Some(kind), Some(value)) = (attr(i, "type"), attr(i, "value"))
            {
                let kind = if kind == "pgp-signature" { kind } else { "sri" };
                a.insert("integrity".into(), json!({ "type": kind, "value": value }));
            }
            for key in ["bitrate", "height"] {
                optional(&mut a, key, attr(*n, key).map(number));
            }
            for key in ["lang", "title", "rel", "codecs"] {
                optional(&mut a, key, attr(*n, key).map(|v| json!(v)));
            }
            Some(Value::Object(a))
        })
        .collect();
    json!(list)
}

fn chat(nodes: &[Node<'_, '_>]) -> Option<Value> {
    let n = nodes
        .iter()
        .find(|n| attr(**n, "protocol").is_some() && attr(**n, "server").is_some())?;
    let mut c = Map::new();
    c.insert("phase".into(), json!("7"));
    c.insert(
        "protocol".into(),
        json!(attr(*n, "protocol").unwrap().to_lowercase()),
    );
    c.insert("server".into(), json!(attr(*n, "server")));
    for key in ["accountId", "space"] {
        optional(&mut c, key, attr(*n, key).map(|v| json!(v)));
    }
    Some(Value::Object(c))
}

/// `podcast:txt`. partytime's XML parser turns text that reads as a boolean or a number into one, and its
/// txt reader then finds no string: `<podcast:txt purpose="ai-content">false</podcast:txt>`, the form the
/// namespace's own `ai-content` purpose takes, comes out as `""`, and when no txt tag has a string left the
/// tags are not read at all (its `supportCheck`; seen by running it: a defect of partytime, not of the feed).
fn txt(nodes: &[Node<'_, '_>]) -> Option<Value> {
    let entries: Vec<(String, Option<&str>)> = nodes
        .iter()
        .map(|n| {
            let value = text(*n);
            let lost = matches!(value.as_str(), "true" | "false") || value.parse::<f64>().is_ok();
            (
                if lost { String::new() } else { value },
                attr(*n, "purpose"),
            )
        })
        .collect();
    if entries.iter().all(|(value, _)| value.is_empty()) {
        return None;
    }
    Some(json!(
        entries
            .into_iter()
            .map(|(value, purpose)| {
                let mut t = Map::new();
                t.insert("value".into(), json!(value));
                optional(&mut t, "purpose", purpose.map(|v| json!(v)));
                Value::Object(t)
            })
            .collect::<Vec<_>>()
    ))
}

/// `podcast:images` (deprecated): the srcset split on commas, each with its width or density.
fn images(nodes: &[Node<'_, '_>]) -> Option<Value> {
    let srcset = nodes.iter().find_map(|n| attr(*n, "srcset"))?;
    let list: Vec<Value> = srcset
        .split(',')
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
        .map(|raw| {
            let parts: Vec<&str> = raw.split_whitespace().collect();
            let parsed = match parts.as_slice() {
                [url, w] if w.ends_with('w') => {
                    json!({ "url": url, "width": number(w.trim_end_matches('w')) })
                }
                [url, x] if x.ends_with('x') => {
                    json!({ "url": url, "density": number(x.trim_end_matches('x')) })
                }
                [url, _] => json!({ "url": url }),
                _ => json!({ "url": raw }),
            };
            json!({ "raw": raw, "parsed": parsed })
        })
        .collect();
    Some(json!(list))
}

fn enclosure(item: Node<'_, '_>) -> Value {
    let e = plain_child(item, "enclosure").expect("an enclosure");
    json!({
        "url": attr(e, "url"),
        "length": number(attr(e, "length").unwrap_or("0")),
        "type": attr(e, "type"),
    })
}

fn yes(n: Node<'_, '_>, truthy: &[&str]) -> Value {
    json!(truthy.iter().any(|t| text(n).eq_ignore_ascii_case(t)))
}

/// What partytime should report for the channel, field by field, from the channel's XML; `checked` gets the
/// tags read. `actual` is only consulted where partytime adds a value of its own (an SPDX licence's URL).
fn expected_channel(
    ch: Node<'_, '_>,
    actual: &Value,
    checked: &mut BTreeSet<String>,
) -> Map<String, Value> {
    let groups = tag_groups(ch);
    let mut want = Map::new();
    // Defaults partytime writes whether or not the tag is there.
    want.insert("explicit".into(), json!(false));
    want.insert("itunesBlock".into(), json!(false));
    want.insert("itunesComplete".into(), json!(false));
    want.insert("podcastBlocked".into(), json!("no"));
    for (name, nodes) in &groups {
        let first = nodes[0];
        let key = format!("channel {name}");
        let (field, value): (&str, Option<Value>) = match name.as_str() {
            "itunes:explicit" => ("explicit", Some(yes(first, &["yes", "true"]))),
            "itunes:block" => ("itunesBlock", Some(yes(first, &["yes"]))),
            "itunes:complete" => ("itunesComplete", Some(yes(first, &["yes"]))),
            "itunes:image" => ("itunesImage", attr(first, "href").map(|h| json!(h))),
            "itunes:type" => ("itunesType", Some(json!(text(first)))),
            "itunes:author" => ("author", Some(json!(text(first)))),
            "itunes:new-feed-url" => ("itunesNewFeedUrl", Some(json!(text(first)))),
            "itunes:owner" => {
                let part = |p: &str| ns_children(first, ITUNES, p).next().map(text);
                (
                    "owner",
                    Some(json!({ "name": part("name"), "email": part("email") })),
                )
            }
            "itunes:category" => {
                // Leaf categories as `Parent > Sub`; partytime writes Apple's spelling, compared ignoring case.
                let mut leaves = Vec::new();
                for c in nodes {
                    let parent = attr(*c, "text").unwrap_or("");
                    let subs: Vec<_> = ns_children(*c, ITUNES, "category").collect();
                    if subs.is_empty() {
                        leaves.push(json!(parent.to_lowercase()));
                    }
                    for s in subs {
                        leaves.push(json!(
                            format!("{parent} > {}", attr(s, "text").unwrap_or("")).to_lowercase()
                        ));
                    }
                }
                let got: Vec<Value> = actual["itunesCategory"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|c| json!(c.as_str().unwrap_or("").to_lowercase()))
                            .collect()
                    })
                    .unwrap_or_default();
                assert_eq!(got, leaves, "partytime's itunesCategory");
                checked.insert(key);
                continue;
            }
            "podcast:guid" => ("guid", Some(json!(text(first)))),
            "podcast:locked" => {
                // partytime ignores podcast:locked without an owner.
                if let Some(owner) = attr(first, "owner") {
                    want.insert("podcastOwner".into(), json!(owner));
                    let t = text(first).to_lowercase();
                    let locked = match t.as_str() {
                        "yes" | "true" => Some(json!(true)),
                        "no" | "false" => Some(json!(false)),
                        _ => None,
                    };
                    ("locked", locked)
                } else {
                    ("locked", None)
                }
            }
            "podcast:medium" => ("medium", Some(json!(text(first)))),
            "podcast:funding" => {
                let list: Vec<Value> = nodes
                    .iter()
                    .filter_map(|n| Some(json!({ "message": text(*n), "url": attr(*n, "url")? })))
                    .collect();
                ("podcastFunding", Some(json!(list)))
            }
            "podcast:person" => ("podcastPeople", Some(persons(nodes))),
            "podcast:location" => ("podcastLocation", Some(location(first))),
            "podcast:license" => ("license", Some(license(first, &actual["license"]))),
            "podcast:trailer" => {
                let list: Vec<Value> = nodes
                    .iter()
                    .map(|n| {
                        let mut t = Map::new();
                        t.insert("title".into(), json!(text(*n)));
                        t.insert("url".into(), json!(attr(*n, "url")));
                        t.insert("pubdate".into(), iso(attr(*n, "pubdate").unwrap()));
                        optional(&mut t, "type", attr(*n, "type").map(|v| json!(v)));
                        optional(&mut t, "length", attr(*n, "length").map(number));
                        optional(&mut t, "season", attr(*n, "season").map(number));
                        Value::Object(t)
                    })
                    .collect();
                ("trailers", Some(json!(list)))
            }
            "podcast:value" => ("value", Some(value_block(first))),
            "podcast:block" => {
                let mut platforms = Map::new();
                let mut everyone = json!("no");
                for n in nodes.iter().filter(|n| {
                    let t = text(**n).to_lowercase();
                    t.contains("yes") || t.contains("no")
                }) {
                    let blocked = text(*n).to_lowercase().contains("yes");
                    match attr(*n, "id") {
                        Some(id) => {
                            platforms.insert(id.to_owned(), json!(blocked));
                        }
                        None => everyone = json!(if blocked { "yes" } else { "no" }),
                    }
                }
                want.insert("podcastBlockedPlatforms".into(), Value::Object(platforms));
                ("podcastBlocked", Some(everyone))
            }
            "podcast:txt" => ("podcastTxt", txt(nodes)),
            "podcast:remoteItem" => (
                "podcastRemoteItems",
                Some(json!(
                    nodes
                        .iter()
                        .filter(|n| attr(**n, "feedGuid").is_some())
                        .map(|n| remote_item(*n))
                        .collect::<Vec<_>>()
                )),
            ),
            "podcast:podroll" => (
                "podroll",
                Some(json!(
                    ns_children(first, PODCAST, "remoteItem")
                        .filter(|n| attr(*n, "feedGuid").is_some())
                        .map(remote_item)
                        .collect::<Vec<_>>()
                )),
            ),
            "podcast:publisher" => {
                let publisher = ns_children(first, PODCAST, "remoteItem")
                    .find(|r| {
                        attr(*r, "medium") == Some("publisher") && attr(*r, "feedGuid").is_some()
                    })
                    .map(|r| {
                        let mut p = Map::new();
                        p.insert("feedGuid".into(), json!(attr(r, "feedGuid")));
                        optional(&mut p, "feedUrl", attr(r, "feedUrl").map(|v| json!(v)));
                        Value::Object(p)
                    });
                ("podcastPublisher", publisher)
            }
            "podcast:chat" => ("chat", chat(nodes)),
            "podcast:images" => ("podcastImages", images(nodes)),
            "podcast:liveItem" => {
                let list: Vec<Value> = nodes.iter().filter_map(|n| live_item(*n)).collect();
                ("podcastLiveItems", Some(json!(list)))
            }
            _ if NOT_READ_BY_PARTYTIME.contains(&key.as_str()) => continue,
            _ => panic!(
                "the feed has <{name}> in the channel, which this test does not know: add what partytime reads \
                 from it (its source is in tests/partytime/node_modules/podcast-partytime/src) or list it in \
                 NOT_READ_BY_PARTYTIME"
            ),
        };
        checked.insert(key);
        if let Some(value) = value {
            want.insert(field.into(), value);
        }
    }
    want
}

/// A `podcast:liveItem` as partytime reports it (only those with a known status and a start).
fn live_item(n: Node<'_, '_>) -> Option<Value> {
    let status = attr(n, "status")?.to_lowercase();
    if !["pending", "live", "ended"].contains(&status.as_str()) {
        return None;
    }
    let start = attr(n, "start")?;
    let groups = tag_groups(n);
    let mut l = Map::new();
    l.insert("status".into(), json!(status));
    l.insert("start".into(), iso(start));
    optional(&mut l, "end", attr(n, "end").map(iso));
    l.insert("guid".into(), json!(text(plain_child(n, "guid")?)));
    l.insert("title".into(), json!(text(plain_child(n, "title")?)));
    l.insert("enclosure".into(), enclosure(n));
    optional(
        &mut l,
        "description",
        plain_child(n, "description").map(|d| json!(text(d))),
    );
    optional(
        &mut l,
        "link",
        plain_child(n, "link").map(|d| json!(text(d))),
    );
    if let Some(people) = groups.get("podcast:person") {
        l.insert("podcastPeople".into(), persons(people));
    }
    if let Some(alts) = groups.get("podcast:alternateEnclosure") {
        l.insert(
            "alternativeEnclosures".into(),
            alternate_enclosures(alts, true),
        );
    }
    if let Some(value) = groups.get("podcast:value") {
        l.insert("value".into(), value_block(value[0]));
    }
    let author = plain_child(n, "author").or_else(|| ns_children(n, ITUNES, "author").next());
    optional(&mut l, "author", author.map(|a| json!(text(a))));
    let image = plain_child(n, "image")
        .and_then(|i| plain_child(i, "url"))
        .map(text)
        .or_else(|| {
            ns_children(n, ITUNES, "image").find_map(|i| attr(i, "href").map(str::to_owned))
        });
    optional(&mut l, "image", image.map(|i| json!(i)));
    if let Some(list) = groups.get("podcast:images").and_then(|i| images(i)) {
        l.insert("podcastImages".into(), list);
    }
    let remote: Vec<Value> = ns_children(n, PODCAST, "remoteItem")
        .filter(|r| attr(*r, "feedGuid").is_some())
        .map(remote_item)
        .collect();
    if !remote.is_empty() {
        l.insert("podcastRemoteItems".into(), json!(remote));
    }
    // partytime spells the WebSocket protocol `webscocket`, so only socket.io and xmpp come through by name.
    if let Some(live) = ns_children(n, PODCAST, "liveValue")
        .find(|v| attr(*v, "protocol").is_some() && attr(*v, "uri").is_some())
    {
        let protocol = attr(live, "protocol")
            .filter(|p| ["socket.io", "xmpp"].contains(p))
            .unwrap_or("unknown");
        l.insert(
            "liveUpdates".into(),
            json!({ "uri": attr(live, "uri"), "protocol": protocol }),
        );
    }
    // The chat attribute of an early draft, when there is no podcast:chat.
    let chat = groups
        .get("podcast:chat")
        .and_then(|c| chat(c))
        .or_else(|| attr(n, "chat").map(|url| json!({ "phase": "4", "url": url })));
    optional(&mut l, "chat", chat);
    let links: Vec<Value> = ns_children(n, PODCAST, "contentLink")
        .map(|c| json!({ "title": text(c), "url": attr(c, "href").unwrap_or("") }))
        .collect();
    l.insert("contentLinks".into(), json!(links));
    Some(Value::Object(l))
}

/// What partytime should report for one item (see [`expected_channel`]).
fn expected_item(
    item: Node<'_, '_>,
    channel: &Map<String, Value>,
    channel_title: &str,
    channel_language: Option<&str>,
    actual: &Value,
    checked: &mut BTreeSet<String>,
) -> Map<String, Value> {
    let groups = tag_groups(item);
    let mut want = Map::new();
    want.insert(
        "guid".into(),
        json!(text(plain_child(item, "guid").expect("a guid"))),
    );
    want.insert("enclosure".into(), enclosure(item));
    want.insert("explicit".into(), json!(false));
    want.insert("duration".into(), json!(0));
    // An item without podcast:value inherits the channel's.
    optional(&mut want, "value", channel.get("value").cloned());
    if let Some(author) = plain_child(item, "author") {
        want.insert("author".into(), json!(text(author)));
    }
    for (name, nodes) in &groups {
        let first = nodes[0];
        let key = format!("item {name}");
        let (field, value): (&str, Option<Value>) = match name.as_str() {
            "itunes:duration" => {
                let t = text(first);
                let seconds = t.split(':').try_fold(0.0, |acc, part| {
                    Some(acc * 60.0 + part.parse::<f64>().ok()?)
                });
                ("duration", seconds.map(|s| json!(s)))
            }
            "itunes:explicit" => ("explicit", Some(yes(first, &["yes", "true"]))),
            "itunes:image" => ("itunesImage", attr(first, "href").map(|h| json!(h))),
            "itunes:episodeType" => ("itunesEpisodeType", Some(json!(text(first).to_lowercase()))),
            "itunes:season" => ("itunesSeason", Some(number(&text(first)))),
            "itunes:episode" => ("itunesEpisode", Some(number(&text(first)))),
            "itunes:author" => {
                // partytime prefers <author>.
                if plain_child(item, "author").is_some() {
                    checked.insert(key);
                    continue;
                }
                ("author", Some(json!(text(first))))
            }
            "itunes:keywords" => (
                "keywords",
                Some(json!(
                    text(first)
                        .split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .collect::<Vec<_>>()
                )),
            ),
            "podcast:season" => {
                let mut s = Map::new();
                s.insert(
                    "number".into(),
                    json!(text(first).parse::<f64>().unwrap().floor()),
                );
                optional(&mut s, "name", attr(first, "name").map(|v| json!(v)));
                ("podcastSeason", Some(Value::Object(s)))
            }
            "podcast:episode" => {
                let mut e = Map::new();
                e.insert("number".into(), number(&text(first)));
                optional(&mut e, "display", attr(first, "display").map(|v| json!(v)));
                ("podcastEpisode", Some(Value::Object(e)))
            }
            "podcast:person" => ("podcastPeople", Some(persons(nodes))),
            "podcast:location" => ("podcastLocation", Some(location(first))),
            "podcast:license" => ("license", Some(license(first, &actual["license"]))),
            "podcast:chapters" => (
                "podcastChapters",
                Some(
                    json!({ "url": attr(first, "url"), "type": attr(first, "type").unwrap_or("application/json") }),
                ),
            ),
            "podcast:transcript" => {
                let list: Vec<Value> = nodes
                    .iter()
                    .filter(|n| attr(**n, "url").is_some() && attr(**n, "type").is_some())
                    .map(|n| {
                        // partytime's TranscriptType: the three SubRip types become one, others unknown.
                        let kind = match attr(*n, "type").unwrap() {
                            "application/srt" | "application/x-subrip" | "text/srt" => {
                                "application/srt"
                            }
                            known @ ("text/plain" | "text/html" | "application/json"
                            | "text/vtt") => known,
                            _ => "unknown",
                        };
                        let mut t = Map::new();
                        t.insert("url".into(), json!(attr(*n, "url")));
                        t.insert("type".into(), json!(kind));
                        optional(
                            &mut t,
                            "language",
                            attr(*n, "language").or(channel_language).map(|v| json!(v)),
                        );
                        optional(&mut t, "rel", attr(*n, "rel").map(|_| json!("captions")));
                        Value::Object(t)
                    })
                    .collect();
                ("podcastTranscripts", Some(json!(list)))
            }
            "podcast:soundbite" => {
                // partytime keeps a soundbite only when its start and duration are truthy: one at 0 s is dropped.
                let list: Vec<Value> = nodes
                    .iter()
                    .filter_map(|n| {
                        let start: f64 = attr(*n, "startTime")?.parse().ok()?;
                        let duration: f64 = attr(*n, "duration")?.parse().ok()?;
                        let title = Some(text(*n))
                            .filter(|t| !t.is_empty())
                            .unwrap_or_else(|| channel_title.to_owned());
                        (start != 0.0 && duration != 0.0).then(
                            || json!({ "duration": duration, "startTime": start, "title": title }),
                        )
                    })
                    .collect();
                ("podcastSoundbites", Some(json!(list)))
            }
            "podcast:alternateEnclosure" => (
                "alternativeEnclosures",
                Some(alternate_enclosures(nodes, false)),
            ),
            "podcast:value" => ("value", Some(value_block(first))),
            "podcast:socialInteract" => {
                let list: Vec<Value> = nodes
                    .iter()
                    .filter_map(|n| {
                        let platform = attr(*n, "platform").or(attr(*n, "protocol"))?;
                        let url = attr(*n, "uri")
                            .map(str::to_owned)
                            .or(Some(text(*n)).filter(|t| !t.is_empty()))?;
                        let mut s = Map::new();
                        s.insert("platform".into(), json!(platform));
                        s.insert(
                            "id".into(),
                            json!(
                                attr(*n, "podcastAccountId")
                                    .or(attr(*n, "accountId"))
                                    .unwrap_or("")
                            ),
                        );
                        s.insert("url".into(), json!(url));
                        optional(&mut s, "priority", attr(*n, "priority").map(number));
                        optional(&mut s, "pubDate", attr(*n, "pubDate").map(iso));
                        optional(
                            &mut s,
                            "profileUrl",
                            attr(*n, "accountUrl").map(|v| json!(v)),
                        );
                        Some(Value::Object(s))
                    })
                    .collect();
                ("podcastSocialInteraction", Some(json!(list)))
            }
            "podcast:txt" => ("podcastTxt", txt(nodes)),
            "podcast:chat" => ("chat", chat(nodes)),
            "podcast:images" => ("podcastImages", images(nodes)),
            _ if NOT_READ_BY_PARTYTIME.contains(&key.as_str()) => continue,
            _ => panic!(
                "the feed has <{name}> in an item, which this test does not know: add what partytime reads from \
                 it (its source is in tests/partytime/node_modules/podcast-partytime/src) or list it in \
                 NOT_READ_BY_PARTYTIME"
            ),
        };
        checked.insert(key);
        if let Some(value) = value {
            want.insert(field.into(), value);
        }
    }
    want
}

/// Fields partytime fills from `podcast:`/`itunes:` tags: absent from its reading when the tag is absent.
const CHANNEL_FIELDS: &[&str] = &[
    "itunesImage",
    "itunesType",
    "author",
    "itunesNewFeedUrl",
    "owner",
    "guid",
    "locked",
    "podcastOwner",
    "medium",
    "podcastFunding",
    "podcastPeople",
    "podcastLocation",
    "license",
    "trailers",
    "value",
    "podcastBlockedPlatforms",
    "podcastTxt",
    "podcastRemoteItems",
    "podroll",
    "podcastPublisher",
    "chat",
    "podcastImages",
    "podcastLiveItems",
];
const ITEM_FIELDS: &[&str] = &[
    "itunesImage",
    "itunesEpisodeType",
    "itunesSeason",
    "itunesEpisode",
    "author",
    "keywords",
    "podcastSeason",
    "podcastEpisode",
    "podcastPeople",
    "podcastLocation",
    "license",
    "podcastChapters",
    "podcastTranscripts",
    "podcastSoundbites",
    "alternativeEnclosures",
    "value",
    "podcastSocialInteraction",
    "podcastTxt",
    "chat",
    "podcastImages",
];

/// Compares partytime's reading of `feed` with the feed's XML, and returns the tags compared (`channel …`,
/// `item …`) and those partytime does not read.
fn compare(feed: &Path, read: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let xml = std::fs::read_to_string(feed).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    let ch = plain_child(doc.root_element(), "channel").expect("a channel");
    let mut checked = BTreeSet::new();
    let channel = expected_channel(ch, read, &mut checked);
    compare_fields("the channel", &channel, read, CHANNEL_FIELDS);

    let title = plain_child(ch, "title").map(text).unwrap_or_default();
    let language = plain_child(ch, "language").map(text);
    let items: Vec<Node<'_, '_>> = ch
        .children()
        .filter(|n| {
            n.is_element() && n.tag_name().name() == "item" && n.tag_name().namespace().is_none()
        })
        .collect();
    let read_items = read["items"].as_array().expect("partytime lists items");
    assert_eq!(read_items.len(), items.len(), "partytime dropped items");
    for (item, read_item) in items.iter().zip(read_items) {
        let want = expected_item(
            *item,
            &channel,
            &title,
            language.as_deref(),
            read_item,
            &mut checked,
        );
        let label = format!("item {}", want["guid"]);
        compare_fields(&label, &want, read_item, ITEM_FIELDS);
    }
    let not_read = [ch]
        .into_iter()
        .map(|c| ("channel", c))
        .chain(items.iter().map(|i| ("item", *i)))
        .flat_map(|(level, n)| {
            tag_groups(n)
                .into_keys()
                .map(move |name| format!("{level} {name}"))
        })
        .filter(|key| NOT_READ_BY_PARTYTIME.contains(&key.as_str()))
        .collect();
    (checked, not_read)
}

fn compare_fields(label: &str, want: &Map<String, Value>, read: &Value, fields: &[&str]) {
    for (field, value) in want {
        assert_eq!(
            normalised(&read[field]),
            normalised(value),
            "{label}: partytime's `{field}` differs from the feed's XML"
        );
    }
    for field in fields.iter().filter(|f| !want.contains_key(**f)) {
        assert!(
            read.get(*field).is_none(),
            "{label}: partytime reports `{field}` = {} with no tag in the feed for it",
            read[*field]
        );
    }
}

fn keys(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn build(show: &ShowDir, args: &[&str]) {
    let out = show
        .castkit()
        .arg("build-feed")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn partytime_reads_the_example_shows_feed_as_written() {
    let show = ShowDir::example();
    build(&show, &["--locked"]);
    let feed = show.path().join("public/feed.xml");
    let Some(read) = partytime_read(&feed) else {
        return;
    };
    let (checked, not_read) = compare(&feed, &read);
    for tag in [
        "channel podcast:guid",
        "channel podcast:locked",
        "channel podcast:medium",
        "channel podcast:location",
        "channel itunes:owner",
        "item podcast:season",
        "item podcast:episode",
        "item podcast:person",
        "item podcast:transcript",
        "item podcast:chapters",
        "item itunes:duration",
        "item itunes:season",
        "item itunes:episode",
    ] {
        assert!(checked.contains(tag), "{tag} was not compared: {checked:?}");
    }
    // The example show's cover has alt text (`podcast:image`), which partytime does not read.
    assert_eq!(
        not_read,
        keys(&["channel itunes:keywords", "channel podcast:image"])
    );

    // The same values against facts from outside the feed.
    let ns = uuid::Uuid::parse_str("ead4c236-bf58-58c6-a2c6-a6b28d128cb6").unwrap();
    let guid = uuid::Uuid::new_v5(&ns, b"podcasts.example.com/how-china-works/feed.xml");
    assert_eq!(read["guid"], guid.to_string());
    assert_eq!(read["locked"], true);
    assert_eq!(read["podcastOwner"], "podcasts@example.com");
    assert_eq!(read["medium"], "podcast");
    assert_eq!(
        read["podcastLocation"],
        json!({ "name": "Beijing, China", "geo": "geo:39.9042,116.4074" })
    );
    let item = &read["items"][0];
    let size = std::fs::metadata(show.path().join(EXAMPLE_MP3))
        .unwrap()
        .len();
    assert_eq!(item["enclosure"]["length"], size);
    assert_eq!(item["enclosure"]["type"], "audio/mpeg");
    assert_eq!(
        (&item["podcastSeason"], &item["podcastEpisode"]),
        (&json!({ "number": 5 }), &json!({ "number": 4 }))
    );
    assert_eq!(
        (&item["itunesSeason"], &item["itunesEpisode"]),
        (&json!(5), &json!(4))
    );
    assert_eq!(
        item["podcastPeople"],
        json!([{ "name": "Shen Ting", "role": "Host", "group": "Cast" }])
    );
    assert_eq!(item["podcastTranscripts"][0]["type"], "text/vtt");
    assert_eq!(item["podcastTranscripts"][0]["language"], "en");
    assert!(
        item["podcastChapters"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://podcasts.example.com/how-china-works/")),
        "{}",
        item["podcastChapters"]
    );
    if have_tool("ffmpeg") && have_tool("ffprobe") {
        let decoded = ffmpeg_decoded_seconds(&show.path().join(EXAMPLE_MP3));
        assert_eq!(
            item["duration"],
            decoded.round() as u64,
            "ffmpeg decodes {decoded} s"
        );
    }
}

/// A show with the tags the example show lacks: funding, a licence, show persons, soundbites, alternate
/// renditions (Opus and AAC from the audio fixtures) and a trailer.
#[test]
fn partytime_reads_funding_licence_soundbites_alternates_and_trailers() {
    let show = ShowDir::new();
    show.audio("one.mp3").audio("trailer.mp3");
    for (fixture, name) in [("opus.opus", "one.opus"), ("aac.m4a", "one.m4a")] {
        std::fs::copy(
            audio_fixtures(fixture),
            show.path().join("media").join(name),
        )
        .unwrap();
    }
    std::fs::copy(
        repo_root().join("media/5.4 What are the goals of rural revitalization.vtt"),
        show.path().join("media/one.vtt"),
    )
    .unwrap();
    show.catalogue(&format!(
        r#"{SHOW}locked = false
medium = "audiobook"
license = {{ name = "My Licence", url = "https://example.com/licence" }}
location = {{ name = "Austin, TX", geo = "geo:30.2672,97.7431", osm = "R113314" }}

[[show.funding]]
url = "https://example.com/support"
text = "Support us & <friends>"

[[show.funding]]
url = "https://example.com/patrons"
text = "Become a patron"

[[show.person]]
name = "Ann Host"
href = "https://example.com/ann"
img = "https://example.com/ann.jpg"

[[show.person]]
name = "Bo Producer"
role = "Producer"

[[episode]]
title = "One"
audio = "media/one.mp3"
published = 2024-03-01T09:00:00Z
guid = "one"
season = 2
number = 7

[[episode.person]]
name = "Cy Guest"
role = "guest"

[[episode.transcript]]
file = "media/one.vtt"
language = "en"

[[episode.chapter]]
start = 0
title = "Opening"

[[episode.chapter]]
start = "0:30"
title = "Later"

[[episode.soundbite]]
start = "0:41.5"
duration = 30
title = "The key sentence"

[[episode.soundbite]]
start = 60
duration = 15

[[episode.alternate]]
audio = "media/one.opus"
title = "Opus"

[[episode.alternate]]
audio = "media/one.m4a"

[[episode]]
title = "Season 2 trailer"
type = "trailer"
season = 2
audio = "media/trailer.mp3"
published = 2024-02-01T09:00:00-05:00
guid = "t2"
"#
    ));
    build(&show, &[]);
    let feed = show.path().join("public/feed.xml");
    let Some(read) = partytime_read(&feed) else {
        return;
    };
    let (checked, not_read) = compare(&feed, &read);
    for tag in [
        "channel podcast:funding",
        "channel podcast:license",
        "channel podcast:person",
        "channel podcast:trailer",
        "channel podcast:locked",
        "item podcast:soundbite",
        "item podcast:alternateEnclosure",
        "item podcast:transcript",
        "item podcast:chapters",
        "item itunes:episodeType",
    ] {
        assert!(checked.contains(tag), "{tag} was not compared: {checked:?}");
    }
    assert!(not_read.is_empty(), "{not_read:?}");

    // The same values against the catalogue and the files.
    let size = |name: &str| {
        std::fs::metadata(show.path().join("media").join(name))
            .unwrap()
            .len()
    };
    assert_eq!(read["locked"], false);
    assert_eq!(read["podcastOwner"], "owner@example.com");
    assert_eq!(read["medium"], "audiobook");
    assert_eq!(
        read["license"],
        json!({ "identifier": "My Licence", "url": "https://example.com/licence" })
    );
    assert_eq!(
        read["podcastFunding"],
        json!([
            { "message": "Support us & <friends>", "url": "https://example.com/support" },
            { "message": "Become a patron", "url": "https://example.com/patrons" },
        ])
    );
    assert_eq!(
        read["podcastPeople"],
        json!([
            { "name": "Ann Host", "role": "Host", "group": "Cast", "img": "https://example.com/ann.jpg", "href": "https://example.com/ann" },
            { "name": "Bo Producer", "role": "Producer", "group": "Creative Direction" },
        ])
    );
    // 09:00 at -05:00 is 14:00 UTC.
    assert_eq!(
        read["trailers"],
        json!([{
            "title": "Season 2 trailer",
            "url": "https://cdn.example.com/show/media/trailer.mp3",
            "pubdate": "2024-02-01T14:00:00.000Z",
            "type": "audio/mpeg",
            "length": size("trailer.mp3"),
            "season": 2,
        }])
    );
    let items = read["items"].as_array().unwrap();
    let one = items.iter().find(|i| i["guid"] == "one").unwrap();
    assert_eq!(
        one["podcastSoundbites"],
        json!([
            { "startTime": 41.5, "duration": 30, "title": "The key sentence" },
            // No title of its own: partytime gives it the show's.
            { "startTime": 60, "duration": 15, "title": "Test Show" },
        ])
    );
    let alternates = one["alternativeEnclosures"].as_array().unwrap();
    // Sizes from the files; the MIME types are compared with the feed's XML above.
    let summary: Vec<(u64, bool, &str)> = alternates
        .iter()
        .map(|a| {
            (
                a["length"].as_u64().unwrap(),
                a["default"].as_bool().unwrap(),
                a["source"][0]["uri"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                size("one.mp3"),
                true,
                "https://cdn.example.com/show/media/one.mp3"
            ),
            (
                size("one.opus"),
                false,
                "https://cdn.example.com/show/media/one.opus"
            ),
            (
                size("one.m4a"),
                false,
                "https://cdn.example.com/show/media/one.m4a"
            ),
        ]
    );
    assert_eq!(alternates[1]["title"], "Opus");
    assert_eq!(one["enclosure"]["length"], size("one.mp3"));
    assert_eq!(
        (&one["podcastSeason"], &one["podcastEpisode"]),
        (&json!({ "number": 2 }), &json!({ "number": 7 }))
    );
    let trailer = items.iter().find(|i| i["guid"] == "t2").unwrap();
    assert_eq!(trailer["itunesEpisodeType"], "trailer");
    assert_eq!(trailer["enclosure"]["length"], size("trailer.mp3"));
}

/// The namespace's own example feed, read by partytime and by `castkit validate`. The tags partytime reads
/// from it are recorded here: every one of its values is compared with the XML, and the two it does not read
/// are named.
#[test]
fn partytime_and_castkit_read_the_namespaces_example_feed() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let feed = shared.join("corpus/feeds/podcast-namespace/example.xml");
    let Some(read) = partytime_read(&feed) else {
        return;
    };
    let (checked, not_read) = compare(&feed, &read);
    let read_tags = [
        "channel itunes:author",
        "channel itunes:category",
        "channel itunes:explicit",
        "channel itunes:image",
        "channel itunes:owner",
        "channel itunes:type",
        "channel podcast:block",
        "channel podcast:chat",
        "channel podcast:funding",
        "channel podcast:guid",
        "channel podcast:license",
        "channel podcast:liveItem",
        "channel podcast:location",
        "channel podcast:locked",
        "channel podcast:medium",
        "channel podcast:podroll",
        "channel podcast:publisher",
        "channel podcast:trailer",
        "channel podcast:value",
        "item itunes:explicit",
        "item itunes:image",
        "item podcast:alternateEnclosure",
        "item podcast:chapters",
        "item podcast:episode",
        "item podcast:location",
        "item podcast:person",
        "item podcast:season",
        "item podcast:socialInteract",
        "item podcast:soundbite",
        "item podcast:transcript",
        "item podcast:value",
    ];
    assert_eq!(
        checked,
        keys(&read_tags),
        "the tags partytime reads from the example"
    );
    assert_eq!(
        not_read,
        keys(&[
            "channel podcast:image",
            "channel podcast:podping",
            "item podcast:image"
        ]),
        "the tags partytime does not read"
    );
    eprintln!(
        "partytime reads {} of the example's tag kinds; not {:?}",
        checked.len(),
        not_read
    );

    // castkit reads the same file; its one error is the example's placeholder guid, which partytime takes as
    // it is.
    let out = castkit()
        .args(["validate", "--format", "json"])
        .arg(&feed)
        .output()
        .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "castkit validate --format json printed no JSON ({e}): {}",
            stderr_of(&out)
        )
    });
    let errors: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (f["code"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(
        errors,
        [("F301", "`podcast:guid` `y0ur-gu1d-g035-h3r3` is not a UUID")],
        "castkit's errors on the namespace's example"
    );
    assert_eq!(read["guid"], "y0ur-gu1d-g035-h3r3");
}

/// The test show that uses every tag of the namespace (`tests/shows/every-tag/`): partytime reads every tag
/// it supports as the XML says, and what it does not read is exactly the tags its source has no parser for.
#[test]
fn partytime_reads_every_tag_of_the_every_tag_show() {
    let show = ShowDir::new();
    crate::support::copy_tree(&repo_root().join("tests/shows/every-tag"), show.path());
    build(&show, &["--no-cache", "--now", "2026-03-09T18:30:00Z"]);
    let feed = show.path().join("public/feed.xml");
    let Some(read) = partytime_read(&feed) else {
        return;
    };
    let (checked, not_read) = compare(&feed, &read);
    for tag in [
        "channel podcast:value",
        "channel podcast:block",
        "channel podcast:txt",
        "channel podcast:podroll",
        "channel podcast:publisher",
        "channel podcast:chat",
        "channel podcast:liveItem",
        "channel podcast:trailer",
        "channel podcast:funding",
        "channel podcast:license",
        "channel podcast:location",
        "item podcast:value",
        "item podcast:socialInteract",
        "item podcast:txt",
        "item podcast:chat",
        "item podcast:alternateEnclosure",
        "item podcast:soundbite",
        "item podcast:transcript",
        "item podcast:chapters",
    ] {
        assert!(checked.contains(tag), "{tag} was not compared: {checked:?}");
    }
    assert_eq!(
        not_read,
        keys(&[
            "channel podcast:image",
            "channel podcast:podping",
            "channel podcast:updateFrequency",
            "channel podcast:socialInteract",
            "item podcast:contentLink",
            "item podcast:image",
        ])
    );
    // The live item as partytime reads it, against the catalogue's facts.
    let live = &read["podcastLiveItems"][0];
    assert_eq!(live["status"], "live");
    assert_eq!(live["start"], "2026-03-09T18:00:00.000Z");
    assert_eq!(live["end"], "2026-03-09T19:00:00.000Z");
    assert_eq!(live["guid"], "every-tag-live-2");
    assert_eq!(
        live["contentLinks"][0]["url"],
        "https://every-tag.example.com/live"
    );
    // The episode's value block with its two time splits.
    let item = read["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["guid"] == "every-tag-episode-1")
        .unwrap();
    let splits = &item["value"]["valueTimeSplits"];
    assert_eq!(splits[0]["type"], "remoteItem");
    assert_eq!(splits[0]["remotePercentage"], 90);
    assert_eq!(splits[1]["type"], "recipients");
    assert_eq!(splits[1]["startTime"], 12);
}
