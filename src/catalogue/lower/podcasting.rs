//! The Podcasting 2.0 fields beyond the everyday ones ([`ShowPodcasting`], [`EpisodePodcasting`]): each read
//! with the same checks the validator applies to the tag it becomes, so a catalogue that loads writes a feed
//! that validates. The tag pages are in the namespace's `docs/tags/`.

use toml::de::DeValue;

use super::Context;
use super::media::MediaKind;
use super::values::{check_length, check_xml_chars, datetime_field, from_list, url_field};
use crate::catalogue::podcasting::{
    Artwork, Chat, ContentLink, EpisodePodcasting, Live, LiveStatus, PlatformBlock, Recipient,
    RemoteItem, ShowPodcasting, SocialInteract, SplitRecipients, TimeSplit, Txt, UpdateFrequency,
    ValueBlock,
};
use crate::catalogue::reader::{At, Sink, TableReader};
use crate::catalogue::{MediaRef, rules};
use crate::diag::suggest::did_you_mean;
use crate::vocab;
use crate::vocab::limits::PODCAST_SHORT_TEXT_LIMIT;
use crate::vocab::podcast::{
    CHAT_PROTOCOLS, MEDIUMS, RECIPIENT_TYPES, SERVICE_SLUGS, SOCIAL_DISABLED, SOCIAL_PROTOCOLS,
    TXT_LIMIT, UPDATE_FREQUENCY_TEXT_LIMIT,
};

/// The show's Podcasting 2.0 fields beyond the everyday ones.
pub(super) fn show_fields(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    cover: Option<&MediaRef>,
    complete: bool,
) -> ShowPodcasting {
    let value = value_blocks(sink, t, ListName::show("`[[show.value]]`"));
    let txt = txt_entries(sink, t, ListName::show("`[[show.txt]]`"));
    let podroll = t.each_table(
        sink,
        "podroll",
        |i| format!("`[[show.podroll]]` #{}", i + 1),
        |sink, r| remote_item(sink, r, None),
    );
    let publisher = t.with_table(sink, "publisher", |sink, r| {
        remote_item(sink, r, Some("publisher"))
    });
    let update_frequency = t.with_table(sink, "update_frequency", |sink, u| {
        update_frequency(sink, u, complete)
    });
    let podping = t.bool(sink, "podping").map(|b| b.value);
    let blocks = platform_blocks(sink, t);
    if PlatformBlock::blocks(&blocks, "apple")
        && !t.has("block")
        && let Some(list) = t.value("block_platforms")
    {
        // Apple reads only `itunes:block`; castkit does not add it, so that a feed moved in keeps
        // Apple's listing as it was (`podcast:block` alone never removed it).
        sink.report(
            &rules::APPLE_IGNORES_PODCAST_BLOCK,
            list.span(),
            "`block_platforms` blocks Apple, but Apple Podcasts reads only `itunes:block`",
            Some("add `block = true` to keep the show out of Apple Podcasts too, or `allow_platforms = [\"apple\"]` if Apple may list it".to_owned()),
        );
    }
    let social = social_entries(sink, t, ListName::show("`[[show.social_interact]]`"));
    let chat = t.with_table(sink, "chat", chat);
    let images = artwork(
        sink,
        t,
        context,
        cover,
        "the show",
        ListName::show("`[[show.artwork]]`"),
    );
    ShowPodcasting {
        value,
        txt,
        podroll,
        publisher,
        update_frequency,
        podping,
        blocks,
        social,
        chat,
        images,
    }
}

/// An episode's Podcasting 2.0 fields beyond the everyday ones.
pub(super) fn episode_fields(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    image: Option<&MediaRef>,
    label: &str,
) -> EpisodePodcasting {
    let value = value_blocks(sink, t, ListName::episode("`[[episode.value]]`", label));
    let txt = txt_entries(sink, t, ListName::episode("`[[episode.txt]]`", label));
    let social = social_entries(
        sink,
        t,
        ListName::episode("`[[episode.social_interact]]`", label),
    );
    let chat = t.with_table(sink, "chat", chat);
    let images = artwork(
        sink,
        t,
        context,
        image,
        label,
        ListName::episode("`[[episode.artwork]]`", label),
    );
    let content_links = t.each_table(
        sink,
        "content_link",
        |i| format!("`[[episode.content_link]]` #{} of {label}", i + 1),
        |sink, c| {
            let href = c
                .required_string(
                    sink,
                    "href",
                    "where the content is, e.g. `href = \"https://www.youtube.com/watch?v=…\"`",
                )
                .and_then(|h| url_field(sink, &h, "href"));
            let text = c.required_string(
                sink,
                "text",
                "what the link is, e.g. `text = \"Watch on YouTube\"`",
            );
            if let Some(text) = &text {
                check_xml_chars(sink, text);
            }
            Some(ContentLink {
                href: href?,
                text: text?.value,
            })
        },
    );
    let live = t.with_table(sink, "live", |sink, l| live(sink, l, context, label));
    if live.is_some() && !t.has("content_link") {
        // podcast-namespace docs/tags/live-item.md: "The <podcast:contentLink> tag is also required".
        sink.report(
            &rules::MISSING_FIELD,
            t.span(),
            format!("the live stream of {label} has no `[[episode.content_link]]`"),
            Some("the namespace requires a link to a page that plays the stream, for apps that cannot: `[[episode.content_link]]` with `href` and `text = \"Listen live\"`".to_owned()),
        );
    }
    EpisodePodcasting {
        value,
        txt,
        social,
        chat,
        images,
        content_links,
        live,
    }
}

/// How a list of tables is named in messages: `[[show.txt]]` #2, or for an episode's list
/// `[[episode.txt]]` #2 of episode 1.1.
#[derive(Clone, Copy)]
struct ListName<'a> {
    /// The list, e.g. "`[[show.txt]]`".
    list: &'a str,
    /// The episode it belongs to, for an episode's list.
    owner: Option<&'a str>,
}

impl<'a> ListName<'a> {
    /// A list of `[show]`.
    fn show(list: &'a str) -> Self {
        ListName { list, owner: None }
    }

    /// A list of the episode named `owner`.
    fn episode(list: &'a str, owner: &'a str) -> Self {
        ListName {
            list,
            owner: Some(owner),
        }
    }

    /// The name of entry `i` (0-based).
    fn entry(self, i: usize) -> String {
        match self.owner {
            Some(owner) => format!("{} #{} of {owner}", self.list, i + 1),
            None => format!("{} #{}", self.list, i + 1),
        }
    }
}

/// `[[….value]]` blocks, with their recipients and time splits, and the checks that the shares make sense.
fn value_blocks(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    name: ListName<'_>,
) -> Vec<ValueBlock> {
    t.each_table(
        sink,
        "value",
        |i| name.entry(i),
        |sink, v| {
            let span = v.span();
            let context = v.context().to_owned();
            let kind = slug_field(sink, v, "type").unwrap_or_else(|| "lightning".to_owned());
            let method = slug_field(sink, v, "method").unwrap_or_else(|| "keysend".to_owned());
            let suggested = v.value("suggested").and_then(|s| decimal(sink, s, "suggested"));
            let recipients = recipients(sink, v, &context);
            let time_splits = v.each_table(
                sink,
                "time_split",
                |i| format!("time split {} of {context}", i + 1),
                time_split,
            );
            if recipients.is_empty() {
                // Recipients written with mistakes were reported each on its line.
                if !v.has("recipient") {
                    sink.report(
                        &rules::MISSING_FIELD,
                        span.clone(),
                        format!("{context} has no `[[….recipient]]`"),
                        Some("a value block pays its recipients: add at least one, e.g. `[[show.value.recipient]]` with `address` and `split`".to_owned()),
                    );
                }
                return None;
            }
            check_shares(sink, &recipients, span.clone(), &context);
            check_time_splits(sink, &time_splits, span, &context);
            Some(ValueBlock {
                kind,
                method,
                suggested,
                recipients: recipients.into_iter().map(|r| r.value).collect(),
                time_splits,
            })
        },
    )
}

/// A service slug (`lightning`, `keysend`): lowercase letters, digits and dashes.
fn slug_field(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    key: &'static str,
) -> Option<String> {
    let v = t.string(sink, key)?;
    let text = v.value.trim();
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some(text.to_owned())
    } else {
        sink.report(
            &rules::INVALID_VALUE,
            v.span,
            format!("`{key}` `{}` is not a service slug", v.value),
            Some(
                "slugs are lowercase letters, digits and dashes, e.g. `lightning` or `keysend`"
                    .to_owned(),
            ),
        );
        None
    }
}

/// A decimal amount (`"0.00000005000"` or a TOML number), kept as written.
fn decimal(sink: &mut Sink<'_>, value: &toml::Spanned<DeValue<'_>>, key: &str) -> Option<String> {
    let text = match value.get_ref() {
        DeValue::String(s) => s.trim().to_owned(),
        DeValue::Integer(i) => i.as_str().replace('_', ""),
        DeValue::Float(f) => f.as_str().replace('_', ""),
        _ => String::new(),
    };
    let plain = !text.is_empty()
        && text.bytes().filter(|&b| b == b'.').count() <= 1
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !text.starts_with('.')
        && !text.ends_with('.');
    if plain {
        Some(text)
    } else {
        sink.report(
            &rules::INVALID_VALUE,
            value.span(),
            format!("`{key}` must be a decimal amount of 0 or more, such as `\"0.00000005000\"`"),
            Some(
                "write it as a string of digits with one decimal point, without exponent"
                    .to_owned(),
            ),
        );
        None
    }
}

/// `[[….recipient]]` tables.
fn recipients(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>, owner: &str) -> Vec<At<Recipient>> {
    t.each_table(
        sink,
        "recipient",
        |i| format!("recipient {} of {owner}", i + 1),
        |sink, r| {
            let span = r.span();
            let name = r.string(sink, "name");
            let kind = r.string(sink, "type").and_then(|k| {
                from_list(
                    sink,
                    k,
                    "type",
                    RECIPIENT_TYPES,
                    "a recipient type the namespace defines",
                    Some("use `node` (a Lightning node's public key) or `lnaddress` (a Lightning address such as `alice@getalby.com`)"),
                )
            });
            let address = r.required_string(
                sink,
                "address",
                "where the payment goes: a node's public key, or a Lightning address",
            );
            let split = match r.whole_number(sink, "split", "a number of shares: each recipient gets its split divided by the sum of the splits") {
                Some(s) => Some(s.value),
                None if !r.has("split") => {
                    sink.report(
                        &rules::MISSING_FIELD,
                        span.clone(),
                        format!("{} has no `split`", r.context()),
                        Some("give its number of shares, e.g. `split = 90`".to_owned()),
                    );
                    None
                }
                None => None,
            };
            let fee = r.bool(sink, "fee").is_some_and(|b| b.value);
            let custom_key = r.string(sink, "custom_key");
            let custom_value = r.string(sink, "custom_value");
            if custom_value.is_some() && custom_key.is_none() {
                sink.report(
                    &rules::MISSING_FIELD,
                    span.clone(),
                    format!("{} has a `custom_value` but no `custom_key`", r.context()),
                    Some("the value is sent under its key: add `custom_key`, e.g. `custom_key = \"696969\"`".to_owned()),
                );
            }
            let kind = match (kind, &address) {
                (Some(k), _) => k,
                (None, Some(a)) if !r.has("type") && a.value.contains('@') => "lnaddress".to_owned(),
                (None, _) if !r.has("type") => "node".to_owned(),
                (None, _) => return None,
            };
            if let Some(a) = &address {
                check_address(sink, &kind, a);
            }
            Some(At::new(
                Recipient {
                    name: name.map(|n| n.value),
                    kind,
                    address: address?.value.trim().to_owned(),
                    split: split?,
                    fee,
                    custom_key: custom_key.map(|k| k.value),
                    custom_value: custom_value.map(|v| v.value),
                },
                span,
            ))
        },
    )
}

/// A `node` address is a hex public key (66 characters); an `lnaddress` looks like an email address.
fn check_address(sink: &mut Sink<'_>, kind: &str, address: &At<String>) {
    let a = address.value.trim();
    let ok = match kind {
        "node" => a.len() == 66 && a.bytes().all(|b| b.is_ascii_hexdigit()),
        "lnaddress" => vocab::Email::parse(a).is_some(),
        _ => true,
    };
    if !ok {
        let want = if kind == "node" {
            "a Lightning node's public key: 66 hexadecimal characters"
        } else {
            "a Lightning address such as `alice@getalby.com`"
        };
        sink.report(
            &rules::INVALID_VALUE,
            address.span.clone(),
            format!("`address` `{a}` is not {want}"),
            Some("copy the address from your wallet or the recipient's profile".to_owned()),
        );
    }
}

/// The shares of a value block. Apps pay a `fee = true` recipient its split as a **percentage** taken off
/// the top of each payment, then divide what is left among the other recipients in the ratio of their
/// splits, which are shares (the namespace's value specification, `value/value.md`, "Payment calculation").
/// So fees must add up to 100 % at most and leave something, someone else must hold a share, and a
/// recipient with no share, or listed twice, is probably a mistake.
fn check_shares(
    sink: &mut Sink<'_>,
    recipients: &[At<Recipient>],
    span: std::ops::Range<usize>,
    owner: &str,
) {
    let fees: u64 = recipients
        .iter()
        .filter(|r| r.value.fee)
        .map(|r| r.value.split)
        .sum();
    let shares: u64 = recipients
        .iter()
        .filter(|r| !r.value.fee)
        .map(|r| r.value.split)
        .sum();
    if fees > 100 {
        sink.report(
            &rules::VALUE_SPLIT,
            span.clone(),
            format!("the fees of {owner} add up to {fees} %: a fee's `split` is a percentage of each payment, so they cannot pass 100"),
            Some("a recipient with `fee = true` gets `split` percent off the top; the others share the rest by their splits".to_owned()),
        );
    } else if fees == 100 || shares == 0 {
        sink.report(
            &rules::VALUE_SPLIT,
            span.clone(),
            format!("nobody but the fees of {owner} would be paid: no recipient without `fee` has a share, or the fees take 100 %"),
            Some("give the show's own recipients shares (`split` without `fee`), e.g. `split = 95`".to_owned()),
        );
    } else if fees > 50 {
        sink.report(
            &rules::VALUE_SPLIT,
            span.clone(),
            format!("fees take {fees} % of every payment to {owner}"),
            Some("a fee's `split` is a percentage off the top: hosts and apps usually take a few percent; check the recipients with `fee = true`".to_owned()),
        );
    }
    for r in recipients.iter().filter(|r| r.value.split == 0) {
        sink.report(
            &rules::VALUE_SPLIT,
            r.span.clone(),
            format!(
                "recipient `{}` of {owner} has a split of 0 and is never paid",
                r.value.name.as_deref().unwrap_or(&r.value.address)
            ),
            Some("give it a share, or remove it".to_owned()),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for r in recipients {
        if !seen.insert((&r.value.address, &r.value.custom_key, &r.value.custom_value)) {
            sink.report(
                &rules::VALUE_SPLIT,
                r.span.clone(),
                format!("{owner} lists the address `{}` twice", r.value.address),
                Some("merge the two into one recipient with the sum of their splits".to_owned()),
            );
        }
    }
}

/// Time splits of one value block must not overlap: apps switch recipients at each start.
fn check_time_splits(
    sink: &mut Sink<'_>,
    splits: &[TimeSplit],
    span: std::ops::Range<usize>,
    owner: &str,
) {
    let mut ordered: Vec<&TimeSplit> = splits.iter().collect();
    ordered.sort_by_key(|s| s.start_ms);
    for pair in ordered.windows(2) {
        if pair[0].start_ms + pair[0].duration_ms > pair[1].start_ms {
            sink.report(
                &rules::VALUE_SPLIT,
                span.clone(),
                format!(
                    "two time splits of {owner} overlap: the one at {} s runs past the start of the one at {} s",
                    pair[0].start_ms / 1000,
                    pair[1].start_ms / 1000
                ),
                Some("apps follow one split at a time; shorten the first or start the second later".to_owned()),
            );
        }
    }
}

/// `[[….time_split]]`: a stretch of the audio that pays a remote item's recipients or its own.
fn time_split(sink: &mut Sink<'_>, s: &mut TableReader<'_, '_>) -> Option<TimeSplit> {
    let span = s.span();
    let context = s.context().to_owned();
    let start = s.time(sink, "start");
    let duration = s.time(sink, "duration");
    for (key, value) in [("start", &start), ("duration", &duration)] {
        if value.is_none() && !s.has(key) {
            sink.report(
                &rules::MISSING_FIELD,
                span.clone(),
                format!("{context} has no `{key}`"),
                Some(
                    "write times as `\"mm:ss\"`, `\"hh:mm:ss\"` or a number of seconds".to_owned(),
                ),
            );
        }
    }
    if duration.as_ref().is_some_and(|d| d.value == 0) {
        sink.report(
            &rules::VALUE_SPLIT,
            duration.as_ref().map_or(span.clone(), |d| d.span.clone()),
            format!("{context} lasts 0 seconds and never applies"),
            Some("give the length of the stretch it covers".to_owned()),
        );
    }
    let remote_start = s.time(sink, "remote_start");
    let remote_percentage = s
        .whole_number(
            sink,
            "remote_percentage",
            "a percentage from 0 to 100: the part of each payment the remote item's recipients get",
        )
        .and_then(|p| match u8::try_from(p.value) {
            Ok(v) if v <= 100 => Some(v),
            _ => {
                sink.report(
                    &rules::INVALID_VALUE,
                    p.span,
                    format!(
                        "`remote_percentage` in {context} is {}; it is a percentage from 0 to 100",
                        p.value
                    ),
                    None,
                );
                None
            }
        });
    let remote = s.with_table(sink, "remote_item", |sink, r| remote_item(sink, r, None));
    let own = recipients(sink, s, &context);
    let paid = match (remote, own.is_empty()) {
        (Some(remote), true) => SplitRecipients::Remote(remote),
        (None, false) => {
            if remote_percentage.is_some() {
                sink.report(
                    &rules::VALUE_SPLIT,
                    span.clone(),
                    format!("{context} has a `remote_percentage` but no `remote_item`"),
                    Some("the percentage is the remote item's part; remove it, or point at the remote item".to_owned()),
                );
            }
            SplitRecipients::Recipients(own.into_iter().map(|r| r.value).collect())
        }
        (Some(_), false) => {
            sink.report(
                &rules::INVALID_VALUE,
                span,
                format!("{context} has both a `remote_item` and recipients"),
                Some("a time split pays either one remote item's recipients or its own list; keep one".to_owned()),
            );
            return None;
        }
        (None, true) => {
            // A remote item or recipients written with mistakes were reported each on its line.
            if !s.has("remote_item") && !s.has("recipient") {
                sink.report(
                    &rules::MISSING_FIELD,
                    span,
                    format!("{context} names nobody to pay"),
                    Some("add `remote_item = { feed_guid = \"…\", item_guid = \"…\" }` (a song's feed, say) or `[[….time_split.recipient]]` tables".to_owned()),
                );
            }
            return None;
        }
    };
    Some(TimeSplit {
        start_ms: start?.value,
        duration_ms: duration?.value,
        remote_start_ms: remote_start.map(|r| r.value),
        remote_percentage,
        paid,
    })
}

/// A remote item: another feed by its `podcast:guid` (podcast-namespace docs/tags/remote-item.md).
/// `medium` is given for a publisher (`podcast:publisher` points at a feed of medium `publisher`).
fn remote_item(
    sink: &mut Sink<'_>,
    r: &mut TableReader<'_, '_>,
    medium: Option<&'static str>,
) -> Option<RemoteItem> {
    let feed_guid = r
        .required_string(
            sink,
            "feed_guid",
            "the other feed's `podcast:guid` (the Podcast Index shows it on the show's page)",
        )
        .and_then(|g| match uuid::Uuid::parse_str(g.value.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                sink.report(
                    &rules::INVALID_VALUE,
                    g.span,
                    format!("`feed_guid` `{}` is not a UUID", g.value),
                    Some(
                        "a feed's `podcast:guid` looks like `917393e3-1b1e-5cef-ace4-edaa54e1f810`"
                            .to_owned(),
                    ),
                );
                None
            }
        });
    let feed_url = r
        .string(sink, "feed_url")
        .and_then(|u| url_field(sink, &u, "feed_url"));
    let item_guid = r.string(sink, "item_guid").map(|g| g.value);
    let title = r.string(sink, "title");
    if let Some(t) = &title {
        check_length(sink, t, "title", PODCAST_SHORT_TEXT_LIMIT);
    }
    let stated_medium = match medium {
        Some(m) => Some(m.to_owned()),
        None => r
            .string(sink, "medium")
            .and_then(|m| from_list(sink, m, "medium", MEDIUMS, "a Podcasting 2.0 medium", None)),
    };
    Some(RemoteItem {
        feed_guid: feed_guid?,
        feed_url,
        item_guid,
        medium: stated_medium.filter(|m| m != "podcast"),
        title: title.map(|t| t.value),
    })
}

/// `[[….txt]]`: free-form text records.
fn txt_entries(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>, name: ListName<'_>) -> Vec<Txt> {
    t.each_table(
        sink,
        "txt",
        |i| name.entry(i),
        |sink, x| {
            let text = x.required_string(
                sink,
                "text",
                "the text, e.g. the code a platform gave you to prove you own the feed",
            );
            let purpose = x.string(sink, "purpose");
            if let Some(text) = &text {
                check_xml_chars(sink, text);
                let n = text.value.chars().count();
                if n > TXT_LIMIT {
                    sink.report(
                        &rules::TEXT_TOO_LONG,
                        text.span.clone(),
                        format!(
                            "this `txt` is {n} characters; the namespace allows at most {TXT_LIMIT}"
                        ),
                        Some("aggregators may cut it; keep only what the service needs".to_owned()),
                    );
                }
            }
            if let Some(p) = &purpose {
                check_length(sink, p, "purpose", PODCAST_SHORT_TEXT_LIMIT);
            }
            Some(Txt {
                text: text?.value,
                purpose: purpose.map(|p| p.value.trim().to_owned()),
            })
        },
    )
}

/// `[show.update_frequency]`: the schedule in words and as a checked recurrence rule.
fn update_frequency(
    sink: &mut Sink<'_>,
    u: &mut TableReader<'_, '_>,
    complete: bool,
) -> Option<UpdateFrequency> {
    let text = u.required_string(
        sink,
        "text",
        "the schedule in words, e.g. `text = \"Weekly\"`",
    );
    let rrule = u.string(sink, "rrule");
    let dtstart = u.value("dtstart").and_then(|d| match d.get_ref() {
        DeValue::Datetime(dt) => Some(At::new(dt.to_string(), d.span())),
        DeValue::String(s) => Some(At::new(s.trim().to_owned(), d.span())),
        _ => {
            sink.report(
                &rules::WRONG_TYPE,
                d.span(),
                "`dtstart` in `[show.update_frequency]` must be a date, e.g. `dtstart = 2024-09-02`",
                None,
            );
            None
        }
    });
    if let Some(text) = &text {
        check_xml_chars(sink, text);
        let n = text.value.chars().count();
        if n > UPDATE_FREQUENCY_TEXT_LIMIT {
            sink.report(
                &rules::TEXT_TOO_LONG,
                text.span.clone(),
                format!("the schedule's `text` is {n} characters; the namespace asks for at most {UPDATE_FREQUENCY_TEXT_LIMIT}"),
                Some("aggregators may cut it; say it in a few words".to_owned()),
            );
        }
    }
    if rrule.is_none() && !complete {
        sink.report(
            &rules::RECOMMENDED_FIELD_MISSING,
            u.span(),
            "`update_frequency` has no `rrule`",
            Some("the namespace recommends the schedule as a rule apps can read, e.g. `rrule = \"FREQ=WEEKLY;BYDAY=MO\"`".to_owned()),
        );
    }
    let mut ok = true;
    if let Some(rule) = &rrule {
        if let Err(e) =
            vocab::podcast::check_rrule(&rule.value, dtstart.as_ref().map(|d| d.value.as_str()))
        {
            ok = false;
            sink.report(
                &rules::INVALID_VALUE,
                rule.span.clone(),
                format!("`rrule` `{}` is not a recurrence rule apps can follow: {e}", rule.value),
                Some("write an RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=MO` (every Monday) or `FREQ=MONTHLY;BYDAY=1TU` (the first Tuesday of each month)".to_owned()),
            );
        }
    } else if let Some(d) = &dtstart
        && let Err(e) = vocab::podcast::check_rrule("FREQ=DAILY", Some(&d.value))
    {
        ok = false;
        sink.report(&rules::INVALID_VALUE, d.span.clone(), e.to_string(), None);
    }
    let text = text?;
    ok.then(|| UpdateFrequency {
        text: text.value.trim().to_owned(),
        rrule: rrule.map(|r| r.value.trim().to_owned()),
        dtstart: dtstart.map(|d| d.value),
    })
}

/// `block_platforms` and `allow_platforms`: `podcast:block` per platform. `"all"` in `block_platforms` blocks
/// every platform; `allow_platforms` then names the exceptions (podcast-namespace docs/tags/block.md).
fn platform_blocks(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Vec<PlatformBlock> {
    let blocked = t.string_array(sink, "block_platforms");
    let allowed = t.string_array(sink, "allow_platforms");
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let blocks_all = blocked.iter().any(|b| b.value == "all");
    if blocks_all {
        out.push(PlatformBlock {
            platform: None,
            blocked: true,
        });
    }
    if !allowed.is_empty() && !blocks_all {
        sink.report(
            &rules::INVALID_VALUE,
            allowed[0].span.clone(),
            "`allow_platforms` names exceptions to `block_platforms = [\"all\"]`, which is not set",
            Some("every platform may list the show unless blocked; add `\"all\"` to `block_platforms` to allow only these".to_owned()),
        );
    }
    for (list, is_blocked) in [(&blocked, true), (&allowed, false)] {
        for slug in list.iter().filter(|s| s.value != "all") {
            let name = slug.value.trim().to_lowercase();
            if !SERVICE_SLUGS.contains(&name.as_str()) {
                let hint = did_you_mean(&name, SERVICE_SLUGS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "use a slug of the namespace's service list (`apple`, `spotify`, `youtube`, `google`, `amazon`…)".to_owned());
                sink.report(
                    &rules::INVALID_VALUE,
                    slug.span.clone(),
                    format!(
                        "`{}` is not a platform of the namespace's service list",
                        slug.value
                    ),
                    Some(hint),
                );
                continue;
            }
            if seen.contains(&name) {
                sink.report(
                    &rules::INVALID_VALUE,
                    slug.span.clone(),
                    format!("the platform `{name}` is listed twice"),
                    Some("a platform is either blocked or allowed; keep it in one list".to_owned()),
                );
                continue;
            }
            seen.push(name.clone());
            out.push(PlatformBlock {
                platform: Some(name),
                blocked: is_blocked,
            });
        }
    }
    out
}

/// `[[….social_interact]]`: where comments on the show or episode are.
fn social_entries(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    name: ListName<'_>,
) -> Vec<SocialInteract> {
    t.each_table(
        sink,
        "social_interact",
        |i| name.entry(i),
        |sink, s| {
            let span = s.span();
            let protocol = s.required_string(
                sink,
                "protocol",
                "the platform's protocol: `activitypub` (Mastodon…), `atproto` (Bluesky), `nostr`…, or `disabled`",
            )?;
            let uri = s.string(sink, "uri");
            let account_id = s.string(sink, "account_id");
            let account_url = s.string(sink, "account_url");
            let priority = s.positive_integer(sink, "priority");
            if protocol.value == SOCIAL_DISABLED {
                if uri.is_some() || account_id.is_some() || account_url.is_some() || priority.is_some() {
                    sink.report(
                        &rules::INVALID_VALUE,
                        span,
                        "`protocol = \"disabled\"` turns comments off and takes no other field",
                        Some("remove the other fields, or name the protocol of the comment thread".to_owned()),
                    );
                }
                return Some(SocialInteract::Disabled);
            }
            let otherwise = format!("use one of: {}, or `disabled`", SOCIAL_PROTOCOLS.join(", "));
            let protocol = from_list(
                sink,
                protocol,
                "protocol",
                SOCIAL_PROTOCOLS,
                "in the namespace's list of social protocols",
                Some(&otherwise),
            )?;
            let Some(uri) = uri else {
                sink.report(
                    &rules::MISSING_FIELD,
                    span,
                    format!("{} has no `uri`", s.context()),
                    Some("give the URL of the post the comments reply to".to_owned()),
                );
                return None;
            };
            Some(SocialInteract::Thread {
                protocol,
                uri: post_uri(sink, &uri)?,
                account_id: account_id.map(|a| a.value),
                account_url: account_url.and_then(|u| url_field(sink, &u, "account_url")),
                priority: priority.map(|p| p.value),
            })
        },
    )
}

/// The root post of a comment thread: a web address, or a URI of the protocol's own scheme (`at://did:plc:…`
/// for atproto, `nostr:nevent1…`), whose authority need not be a host name.
fn post_uri(sink: &mut Sink<'_>, uri: &At<String>) -> Option<String> {
    let text = uri.value.trim();
    if text.starts_with("http://") || text.starts_with("https://") {
        return url_field(sink, uri, "uri").map(|u| u.to_string());
    }
    let scheme_ok = text.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if scheme_ok && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some(text.to_owned())
    } else {
        sink.report(
            &rules::INVALID_URL,
            uri.span.clone(),
            format!("`uri` `{text}` is not a URI"),
            Some("give the post's address, e.g. `https://mastodon.social/@you/1234` or `at://did:plc:…/app.bsky.feed.post/…`".to_owned()),
        );
        None
    }
}

/// `[….chat]`: the chat room.
fn chat(sink: &mut Sink<'_>, c: &mut TableReader<'_, '_>) -> Option<Chat> {
    let server = c.required_string(
        sink,
        "server",
        "the chat server's host name, e.g. `irc.zeronode.net`",
    );
    let protocol = c.required_string(sink, "protocol", "`irc`, `xmpp`, `nostr` or `matrix`");
    let account_id = c.string(sink, "account_id").map(|a| a.value);
    let space = c.string(sink, "space").map(|s| s.value);
    let server = server.and_then(|s| {
        let host = s.value.trim();
        let ok = !host.is_empty()
            && !host.contains("://")
            && !host.contains('/')
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
        if ok {
            Some(host.to_owned())
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                s.span,
                format!("`server` `{}` is not a host name", s.value),
                Some("give the server's name alone, without `https://` or a path: `server = \"irc.zeronode.net\"`".to_owned()),
            );
            None
        }
    });
    let protocol = protocol.and_then(|p| {
        from_list(
            sink,
            p,
            "protocol",
            CHAT_PROTOCOLS,
            "in the namespace's list of chat protocols",
            None,
        )
    });
    Some(Chat {
        server: server?,
        protocol: protocol?,
        account_id,
        space,
    })
}

/// `image_alt` (the cover art's text alternative) and `[[….artwork]]`: `podcast:image`. A local file's
/// width, height and type are measured from it.
fn artwork(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    cover: Option<&MediaRef>,
    owner: &str,
    name: ListName<'_>,
) -> Vec<Artwork> {
    let mut out = Vec::new();
    if let Some(alt) = t.string(sink, "image_alt") {
        check_length(sink, &alt, "image_alt", PODCAST_SHORT_TEXT_LIMIT);
        check_xml_chars(sink, &alt);
        if let Some(cover) = cover {
            let (size, mime) = measured(cover);
            out.push(Artwork {
                file: cover.clone(),
                alt: Some(alt.value.trim().to_owned()),
                purpose: Some("artwork".to_owned()),
                width: size.map(|(w, _)| w),
                height: size.map(|(_, h)| h),
                aspect_ratio: size.map(|(w, h)| aspect_ratio(w, h)),
                mime,
            });
        } else if !t.has("image") {
            sink.report(
                &rules::INVALID_VALUE,
                alt.span,
                format!("`image_alt` describes {owner}'s `image`, which is not set"),
                Some("add `image`, or remove `image_alt`".to_owned()),
            );
        }
    }
    out.extend(t.each_table(
        sink,
        "artwork",
        |i| name.entry(i),
        |sink, a| {
            let file = a.required_string(sink, "file", "the image, in the media folder or as a URL, e.g. `file = \"media/banner.jpg\"`");
            let alt = a.string(sink, "alt");
            let purpose = a.string(sink, "purpose");
            let width = a.positive_integer(sink, "width");
            let height = a.positive_integer(sink, "height");
            let stated_ratio = a.string(sink, "aspect_ratio");
            let mime = a.string(sink, "type");
            if let Some(alt) = &alt {
                check_length(sink, alt, "alt", PODCAST_SHORT_TEXT_LIMIT);
                check_xml_chars(sink, alt);
            } else {
                sink.report(
                    &rules::IMAGE_WITHOUT_ALT,
                    a.span(),
                    format!("{} has no `alt`", a.context()),
                    Some("describe the image in a few words for listeners who cannot see it: `alt = \"…\"`".to_owned()),
                );
            }
            let purpose = purpose.and_then(|p| {
                let tokens: Vec<&str> = p.value.split_ascii_whitespace().collect();
                if tokens.is_empty() || p.value.chars().count() > PODCAST_SHORT_TEXT_LIMIT {
                    sink.report(
                        &rules::INVALID_VALUE,
                        p.span,
                        "`purpose` must be one or more space-separated words of at most 128 characters in all",
                        Some("e.g. `purpose = \"banner\"` or `purpose = \"social canvas\"`".to_owned()),
                    );
                    None
                } else {
                    Some(tokens.join(" "))
                }
            });
            let file = file.and_then(|f| context.reference(sink, &f, MediaKind::Asset, owner))?;
            if file.path.is_some() {
                let (size, mime_of_file) = measured(&file);
                let Some((w, h)) = size else {
                    sink.report(
                        &rules::IMAGE_REQUIREMENTS,
                        file.span.clone(),
                        format!("`{}` ({owner}) is not an image castkit can read", file.written),
                        Some("use a JPEG, PNG, WebP or GIF file".to_owned()),
                    );
                    return None;
                };
                let stated = [("width", width.map(|w| w.span)), ("height", height.map(|h| h.span))]
                    .into_iter()
                    .chain([
                        ("type", mime.map(|m| m.span)),
                        ("aspect_ratio", stated_ratio.map(|r| r.span)),
                    ]);
                for (key, span) in stated {
                    if let Some(span) = span {
                        sink.report(
                            &rules::INVALID_VALUE,
                            span,
                            format!("`{key}` is measured from the local file; remove it"),
                            None,
                        );
                    }
                }
                return Some(Artwork {
                    file,
                    alt: alt.map(|a| a.value.trim().to_owned()),
                    purpose,
                    width: Some(w),
                    height: Some(h),
                    aspect_ratio: Some(aspect_ratio(w, h)),
                    mime: mime_of_file,
                });
            }
            // An image published elsewhere: what the catalogue states, the ratio from the size when it
            // gives both and no ratio.
            let aspect_ratio = match (stated_ratio, &width, &height) {
                (Some(r), _, _) => Some(css_ratio(sink, r)?),
                (None, Some(w), Some(h)) => Some(aspect_ratio(w.value, h.value)),
                _ => None,
            };
            Some(Artwork {
                file,
                alt: alt.map(|a| a.value.trim().to_owned()),
                purpose,
                width: width.map(|w| w.value),
                height: height.map(|h| h.value),
                aspect_ratio,
                mime: mime.map(|m| m.value),
            })
        },
    ));
    out
}

/// `width/height` reduced by their greatest common divisor, as CSS writes ratios (`1920×1080` → `16/9`).
fn aspect_ratio(width: u32, height: u32) -> String {
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let d = gcd(width, height).max(1);
    format!("{}/{}", width / d, height / d)
}

/// A stated `aspect_ratio`, as CSS writes one: `16/9`, or one number (`1.91`), each part a positive number.
fn css_ratio(sink: &mut Sink<'_>, ratio: At<String>) -> Option<String> {
    let text = ratio.value.trim();
    let positive = |part: &str| {
        part.trim()
            .parse::<f64>()
            .is_ok_and(|x| x.is_finite() && x > 0.0)
    };
    let ok = match text.split_once('/') {
        Some((w, h)) => positive(w) && positive(h),
        None => positive(text),
    };
    if ok {
        Some(text.split('/').map(str::trim).collect::<Vec<_>>().join("/"))
    } else {
        sink.report(
            &rules::INVALID_VALUE,
            ratio.span,
            format!("`aspect_ratio` `{text}` is not a ratio"),
            Some("write it as CSS does: `16/9`, `1/1`, `4/1`".to_owned()),
        );
        None
    }
}

/// A local image's size and type; nothing for a URL or a file that is not an image.
fn measured(file: &MediaRef) -> (Option<(u32, u32)>, Option<String>) {
    let Some(facts) = file
        .path
        .as_deref()
        .and_then(|p| crate::image::inspect(p).ok())
    else {
        return (None, None);
    };
    let size = u32::try_from(facts.width)
        .ok()
        .zip(u32::try_from(facts.height).ok());
    (size, Some(facts.format.mime().to_owned()))
}

/// `[episode.live]`: the episode is a live stream.
fn live(
    sink: &mut Sink<'_>,
    l: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    owner: &str,
) -> Option<Live> {
    let status = l
        .required_string(
            sink,
            "status",
            "`pending` (announced), `live` (on air) or `ended`",
        )
        .and_then(|s| {
            super::values::choice(
                sink,
                &s,
                "status",
                &[
                    ("pending", LiveStatus::Pending),
                    ("live", LiveStatus::Live),
                    ("ended", LiveStatus::Ended),
                ],
            )
        });
    let start = l.datetime(sink, "start");
    if start.is_none() && !l.has("start") {
        sink.report(
            &rules::MISSING_FIELD,
            l.span(),
            format!("{} has no `start`", l.context()),
            Some(
                "when the stream is meant to start, e.g. `start = 2024-05-01T19:00:00+08:00`"
                    .to_owned(),
            ),
        );
    }
    let end = l.datetime(sink, "end");
    if end.is_none() && !l.has("end") {
        sink.report(
            &rules::RECOMMENDED_FIELD_MISSING,
            l.span(),
            format!("{} has no `end`", l.context()),
            Some("the namespace recommends when the stream is meant to end, e.g. `end = 2024-05-01T20:00:00+08:00`".to_owned()),
        );
    }
    let start = start.and_then(|s| datetime_field(sink, &s, context, owner, "start"));
    let end_span = end.as_ref().map(|e| e.span.clone());
    let end = end.and_then(|e| datetime_field(sink, &e, context, owner, "end"));
    if let (Some(s), Some(e), Some(span)) = (&start, &end, end_span)
        && e <= s
    {
        sink.report(
            &rules::INVALID_VALUE,
            span,
            format!("the live stream of {owner} ends before it starts"),
            Some("`end` is when the stream is meant to end, after `start`".to_owned()),
        );
        return None;
    }
    Some(Live {
        status: status?,
        start: start?,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::aspect_ratio;

    #[test]
    fn aspect_ratios_are_reduced_as_css_writes_them() {
        assert_eq!(aspect_ratio(1920, 1080), "16/9");
        assert_eq!(aspect_ratio(3000, 3000), "1/1");
        assert_eq!(aspect_ratio(2560, 640), "4/1");
        assert_eq!(aspect_ratio(1000, 333), "1000/333");
    }
}
