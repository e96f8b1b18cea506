//! The Podcasting 2.0 tags beyond the everyday ones written into `[show]` and `[[episode]]`, in the order of
//! the README's tables: plain keys first (TOML puts them before any sub-table), then the tables. Each kind
//! of table has a comment the first time it appears; what could not be kept is listed as `# Imported:`
//! comments after them.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{field, hms, list, s};
use crate::feed::model::{ChatTag, RemoteItemTag, SocialInteractTag, TxtTag};
use crate::import::read::{EpisodeTags, Image, Recipient, ShowTags, Value};

/// The kinds of table already introduced by a comment.
#[derive(Debug, Default)]
pub(super) struct Said(BTreeSet<&'static str>);

impl Said {
    /// `comment` the first time `key` is written, then nothing.
    fn first(&mut self, key: &'static str, comment: &'static str) -> Option<&'static str> {
        self.0.insert(key).then_some(comment)
    }
}

/// A table header with the comment above it, after a blank line.
fn header(out: &mut String, header: &str, comment: Option<&str>) {
    out.push('\n');
    for line in comment.into_iter().flat_map(str::lines) {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "{header}");
}

/// `# Imported: …` for each value that could not be kept.
fn dropped(out: &mut String, dropped: &[String]) {
    if dropped.is_empty() {
        return;
    }
    out.push('\n');
    for d in dropped {
        let _ = writeln!(out, "# Imported: {d}.");
    }
}

const IMAGE_ALT: &str =
    "What the cover art shows, for listeners who cannot see it (podcast:image alt).";
const ARTWORK: &str =
    "Other artwork (podcast:image), where the feed publishes it, with its stated size and type.";
const COVER_ARTWORK: &str = "The cover art's podcast:image, kept as the feed states it (`image_alt` would lose its\nstated size, type or purpose): change it too if you change `image`.";
const VALUE: &str = "Value for value (podcast:value): apps send listeners' payments to these recipients. A `fee`\nrecipient's split is a percentage taken first; the others' splits are shares of the rest.";
const TXT: &str = "Free-form text records (podcast:txt), such as a platform's ownership code.";
const SOCIAL: &str = "Where the comments are (podcast:socialInteract).";
const CHAT: &str = "The chat room (podcast:chat).";

/// `[show]`'s plain keys: `image_alt`, `podping`, `block_platforms`, `allow_platforms`.
pub(super) fn show_keys(out: &mut String, t: &ShowTags) {
    if let Some(alt) = &t.image_alt {
        field(out, "image_alt", &s(alt), Some(IMAGE_ALT));
    }
    if let Some(uses) = t.podping {
        field(
            out,
            "podping",
            &uses.to_string(),
            Some("Whether the host announces new episodes through Podping (podcast:podping)."),
        );
    }
    if !t.block_platforms.is_empty() {
        field(
            out,
            "block_platforms",
            &list(&t.block_platforms),
            Some("Platforms asked not to list the show (podcast:block); \"all\" is every one."),
        );
    }
    if !t.allow_platforms.is_empty() {
        field(
            out,
            "allow_platforms",
            &list(&t.allow_platforms),
            Some("The platforms that may list it all the same."),
        );
    }
}

/// `[show]`'s tables: artwork, value, txt, podroll, publisher, update_frequency, social_interact, chat.
pub(super) fn show_tables(out: &mut String, t: &ShowTags) {
    let mut said = Said::default();
    tables_before_social(out, "show", &t.artwork, &t.value, &t.txt, &mut said);
    for (i, r) in t.podroll.iter().enumerate() {
        header(
            out,
            "[[show.podroll]]",
            (i == 0).then_some("Shows this one recommends (podcast:podroll)."),
        );
        remote_fields(out, r);
    }
    if let Some(p) = &t.publisher {
        header(
            out,
            "[show.publisher]",
            Some("The publisher's own feed (podcast:publisher)."),
        );
        remote_fields(out, p);
    }
    if let Some(u) = &t.update_frequency {
        header(
            out,
            "[show.update_frequency]",
            Some("The release schedule (podcast:updateFrequency)."),
        );
        field(out, "text", &s(&u.text), None);
        if let Some(r) = &u.rrule {
            field(out, "rrule", &s(r), None);
        }
        if let Some(d) = &u.dtstart {
            field(out, "dtstart", &date(d), None);
        }
    }
    social_and_chat(out, "show", &t.social, t.chat.as_ref(), &mut said);
    dropped(out, &t.dropped);
}

/// An `[[episode]]`'s plain keys: `image_alt`, `live`.
pub(super) fn episode_keys(out: &mut String, t: &EpisodeTags, said: &mut Said) {
    if let Some(alt) = &t.image_alt {
        field(
            out,
            "image_alt",
            &s(alt),
            said.first(
                "episode.image_alt",
                "What the episode's image shows (podcast:image alt).",
            ),
        );
    }
    if let Some(live) = &t.live {
        let mut parts = vec![
            format!("status = {}", s(live.status)),
            format!("start = {}", datetime(&live.start)),
        ];
        if let Some(end) = &live.end {
            parts.push(format!("end = {}", datetime(end)));
        }
        field(
            out,
            "live",
            &format!("{{ {} }}", parts.join(", ")),
            said.first(
                "episode.live",
                "A live stream (podcast:liveItem): `audio` is the stream. When the recording is published,\nremove `live` and point `audio` at the file.",
            ),
        );
    }
}

/// An `[[episode]]`'s tables: artwork, value, txt, social_interact, chat, content_link.
pub(super) fn episode_tables(out: &mut String, t: &EpisodeTags, said: &mut Said) {
    tables_before_social(out, "episode", &t.artwork, &t.value, &t.txt, said);
    social_and_chat(out, "episode", &t.social, t.chat.as_ref(), said);
    for (href, text) in &t.content_links {
        header(
            out,
            "[[episode.content_link]]",
            said.first(
                "episode.content_link",
                "The episode elsewhere (podcast:contentLink).",
            ),
        );
        field(out, "href", &s(href), None);
        field(out, "text", &s(text), None);
    }
    dropped(out, &t.dropped);
}

/// Artwork, value blocks and txt records, for `show` or `episode`.
fn tables_before_social(
    out: &mut String,
    owner: &'static str,
    artwork: &[Image],
    value: &[Value],
    txt: &[TxtTag],
    said: &mut Said,
) {
    let key = |kind: &str| -> &'static str {
        match (owner, kind) {
            ("show", "artwork") => "show.artwork",
            ("show", "value") => "show.value",
            ("show", _) => "show.txt",
            (_, "artwork") => "episode.artwork",
            (_, "value") => "episode.value",
            _ => "episode.txt",
        }
    };
    for a in artwork {
        let comment = if a.is_cover {
            Some(COVER_ARTWORK)
        } else {
            said.first(key("artwork"), ARTWORK)
        };
        header(out, &format!("[[{owner}.artwork]]"), comment);
        field(out, "file", &s(&a.href), None);
        if let Some(alt) = &a.alt {
            field(out, "alt", &s(alt), None);
        }
        if let Some(p) = &a.purpose {
            field(out, "purpose", &s(p), None);
        }
        if let Some(w) = a.width {
            field(out, "width", &w.to_string(), None);
        }
        if let Some(h) = a.height {
            field(out, "height", &h.to_string(), None);
        }
        if let Some(r) = &a.aspect_ratio {
            field(out, "aspect_ratio", &s(r), None);
        }
        if let Some(m) = &a.mime {
            field(out, "type", &s(m), None);
        }
    }
    for v in value {
        header(
            out,
            &format!("[[{owner}.value]]"),
            said.first(key("value"), VALUE),
        );
        field(out, "type", &s(&v.kind), None);
        field(out, "method", &s(&v.method), None);
        if let Some(amount) = &v.suggested {
            field(out, "suggested", &s(amount), None);
        }
        for r in &v.recipients {
            header(out, &format!("[[{owner}.value.recipient]]"), None);
            recipient(out, r);
        }
        for split in &v.time_splits {
            header(out, &format!("[[{owner}.value.time_split]]"), None);
            field(out, "start", &s(&hms(split.start_ms)), None);
            field(out, "duration", &s(&hms(split.duration_ms)), None);
            if let Some(ms) = split.remote_start_ms {
                field(out, "remote_start", &s(&hms(ms)), None);
            }
            if let Some(p) = split.remote_percentage {
                field(out, "remote_percentage", &p.to_string(), None);
            }
            if let Some(r) = &split.remote {
                field(out, "remote_item", &remote_inline(r), None);
            }
            for r in &split.recipients {
                header(
                    out,
                    &format!("[[{owner}.value.time_split.recipient]]"),
                    None,
                );
                recipient(out, r);
            }
        }
    }
    for x in txt {
        header(
            out,
            &format!("[[{owner}.txt]]"),
            said.first(key("txt"), TXT),
        );
        field(out, "text", &s(&x.text), None);
        if let Some(p) = &x.purpose {
            field(out, "purpose", &s(p), None);
        }
    }
}

/// Comment threads and the chat room, for `show` or `episode`.
fn social_and_chat(
    out: &mut String,
    owner: &'static str,
    social: &[SocialInteractTag],
    chat: Option<&ChatTag>,
    said: &mut Said,
) {
    let (social_key, chat_key) = if owner == "show" {
        ("show.social_interact", "show.chat")
    } else {
        ("episode.social_interact", "episode.chat")
    };
    for x in social {
        header(
            out,
            &format!("[[{owner}.social_interact]]"),
            said.first(social_key, SOCIAL),
        );
        field(out, "protocol", &s(&x.protocol), None);
        if let Some(uri) = &x.uri {
            field(out, "uri", &s(uri), None);
        }
        if let Some(a) = &x.account_id {
            field(out, "account_id", &s(a), None);
        }
        if let Some(u) = &x.account_url {
            field(out, "account_url", &s(u), None);
        }
        if let Some(p) = x.priority {
            field(out, "priority", &p.to_string(), None);
        }
    }
    if let Some(c) = chat {
        header(out, &format!("[{owner}.chat]"), said.first(chat_key, CHAT));
        field(out, "server", &s(&c.server), None);
        field(out, "protocol", &s(&c.protocol), None);
        if let Some(a) = &c.account_id {
            field(out, "account_id", &s(a), None);
        }
        if let Some(space) = &c.space {
            field(out, "space", &s(space), None);
        }
    }
}

fn recipient(out: &mut String, r: &Recipient) {
    if let Some(name) = &r.name {
        field(out, "name", &s(name), None);
    }
    if let Some(kind) = &r.kind {
        field(out, "type", &s(kind), None);
    }
    field(out, "address", &s(&r.address), None);
    field(out, "split", &r.split.to_string(), None);
    if r.fee {
        field(out, "fee", "true", None);
    }
    if let Some(k) = &r.custom_key {
        field(out, "custom_key", &s(k), None);
    }
    if let Some(v) = &r.custom_value {
        field(out, "custom_value", &s(v), None);
    }
}

/// A remote item's fields, as `key = value` lines.
fn remote_fields(out: &mut String, r: &RemoteItemTag) {
    for (key, value) in remote_parts(r) {
        field(out, key, &value, None);
    }
}

/// A remote item as an inline table.
fn remote_inline(r: &RemoteItemTag) -> String {
    let parts: Vec<String> = remote_parts(r)
        .into_iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn remote_parts(r: &RemoteItemTag) -> Vec<(&'static str, String)> {
    [
        ("feed_guid", Some(&r.feed_guid)),
        ("feed_url", r.feed_url.as_ref()),
        ("item_guid", r.item_guid.as_ref()),
        ("medium", r.medium.as_ref()),
        ("title", r.title.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, s(v?))))
    .collect()
}

/// A date-time with its offset (and its fraction of a second, when it has one) as a TOML date-time.
fn datetime(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string()
}

/// `dtstart` as the feed writes it: a bare TOML date or date-time when TOML writes it back the same,
/// else a string (which the catalogue takes as written).
fn date(written: &str) -> String {
    match written.parse::<toml::value::Datetime>() {
        Ok(d) if d.to_string() == written => written.to_owned(),
        _ => s(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtstart_is_a_bare_date_when_toml_reads_it_back_the_same() {
        assert_eq!(date("2026-01-05"), "2026-01-05");
        assert_eq!(date("2023-09-01T09:00:00Z"), "2023-09-01T09:00:00Z");
        assert_eq!(date("2023-09-01 09:00"), "\"2023-09-01 09:00\"");
    }

    #[test]
    fn live_times_keep_their_offset_and_fraction() {
        let t = chrono::DateTime::parse_from_rfc3339("2021-09-26T07:30:00-06:00").unwrap();
        assert_eq!(datetime(&t), "2021-09-26T07:30:00-06:00");
        let t = chrono::DateTime::parse_from_rfc3339("2021-09-26T07:30:00.250+05:30").unwrap();
        assert_eq!(datetime(&t), "2021-09-26T07:30:00.250+05:30");
    }
}
