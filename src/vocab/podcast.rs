//! Podcasting 2.0 values: the namespace's lists (mediums, service slugs, social and chat protocols), its
//! limits, how a feed URL becomes its `podcast:guid`, and the check of `podcast:updateFrequency`'s rule.

/// Values of `podcast:medium` (<https://podcastindex.org/namespace/1.0#medium>), including list variants.
pub const MEDIUMS: &[&str] = &[
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
    "mixed",
    "podcastL",
    "musicL",
    "videoL",
    "filmL",
    "audiobookL",
    "newsletterL",
    "blogL",
    "publisherL",
    "courseL",
];

/// The podcast:guid namespace UUID (`ead4c236-bf58-58c6-a2c6-a6b28d128cb6`), fixed by the specification.
pub const PODCAST_GUID_NAMESPACE: uuid::Uuid = uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

/// The `podcast:guid` of a feed URL: UUIDv5 of the URL with its scheme and trailing slashes removed, as the
/// namespace specifies (<https://podcastindex.org/namespace/1.0#guid>).
pub fn podcast_guid_for_feed_url(feed_url: &str) -> uuid::Uuid {
    let without_scheme = match feed_url.find("://") {
        Some(i) => &feed_url[i + 3..],
        None => feed_url,
    };
    let name = without_scheme.trim_end_matches('/');
    uuid::Uuid::new_v5(&PODCAST_GUID_NAMESPACE, name.as_bytes())
}

/// Whether `guid` is the UUIDv5 of the feed URL *with* its scheme (`https://…`), trailing slashes trimmed
/// or not: the mistake of a host that hashes the URL as it is, instead of the specification's form.
pub fn is_guid_with_scheme(feed_url: &str, guid: uuid::Uuid) -> bool {
    if !feed_url.contains("://") {
        return false;
    }
    let trimmed = feed_url.trim_end_matches('/');
    [feed_url, trimmed]
        .iter()
        .any(|name| uuid::Uuid::new_v5(&PODCAST_GUID_NAMESPACE, name.as_bytes()) == guid)
}

/// Service slugs of the namespace's `serviceslugs.txt`: `podcast:block id`, and the platforms other tags name.
pub const SERVICE_SLUGS: &[&str] = &[
    "acast",
    "amazon",
    "anchor",
    "apple",
    "audible",
    "audioboom",
    "backtracks",
    "bitcoin",
    "blubrry",
    "buzzsprout",
    "captivate",
    "castos",
    "castopod",
    "facebook",
    "fireside",
    "fyyd",
    "google",
    "gpodder",
    "hypercatcher",
    "kasts",
    "libsyn",
    "mastodon",
    "megafono",
    "megaphone",
    "omnystudio",
    "overcast",
    "paypal",
    "pinecast",
    "podbean",
    "podcastaddict",
    "podcastguru",
    "podcastindex",
    "podcasts",
    "podchaser",
    "podcloud",
    "podfriend",
    "podiant",
    "podigee",
    "podnews",
    "podomatic",
    "podserve",
    "podverse",
    "redcircle",
    "relay",
    "resonaterecordings",
    "rss",
    "shoutengine",
    "simplecast",
    "slack",
    "soundcloud",
    "spotify",
    "spreaker",
    "tiktok",
    "transistor",
    "twitter",
    "whooshkaa",
    "youtube",
    "zencast",
];

/// `podcast:socialInteract protocol` values (the namespace's `socialprotocols.txt`).
pub const SOCIAL_PROTOCOLS: &[&str] = &[
    "disabled",
    "activitypub",
    "twitter",
    "lightning",
    "atproto",
    "hive",
    "matrix",
    "nostr",
];

/// `podcast:chat protocol` values (the namespace's `chatprotocols.txt`).
pub const CHAT_PROTOCOLS: &[&str] = &["irc", "xmpp", "nostr", "matrix"];

/// `podcast:socialInteract protocol="disabled"`: the podcaster asks apps not to show public comments.
pub const SOCIAL_DISABLED: &str = "disabled";

/// The most characters `podcast:txt` may hold (podcast-namespace docs/tags/txt.md).
pub const TXT_LIMIT: usize = 4000;

/// The most characters of `podcast:updateFrequency`'s text before aggregators may cut it
/// (podcast-namespace docs/tags/update-frequency.md).
pub const UPDATE_FREQUENCY_TEXT_LIMIT: usize = 128;

/// `podcast:valueRecipient type` values the namespace defines (podcast-namespace docs/tags/value-recipient.md).
pub const RECIPIENT_TYPES: &[&str] = &["node", "lnaddress"];

/// `podcast:liveItem status` values (podcast-namespace docs/tags/live-item.md).
pub const LIVE_STATUSES: &[&str] = &["pending", "live", "ended"];

/// `podcast:integrity type` values (podcast-namespace docs/tags/integrity.md).
pub const INTEGRITY_TYPES: &[&str] = &["sri", "pgp-signature"];

/// Why an `rrule` (with its `dtstart`) is not a recurrence rule apps can follow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RruleError(String);

/// Checks `podcast:updateFrequency`'s `rrule` as RFC 5545 section 3.3.10 defines it, with the `rrule` crate.
///
/// `dtstart` is the tag's ISO 8601 attribute, if any; the namespace requires it when the rule has a `COUNT`.
/// The namespace's own examples write `UNTIL` in ISO 8601 (`2023-12-31T00:00:00.000Z`, "the same standard as
/// `dtstart`") rather than RFC 5545's `20231231T000000Z`; both are accepted.
///
/// # Errors
/// What is wrong, in words for a producer.
pub fn check_rrule(rrule: &str, dtstart: Option<&str>) -> Result<(), RruleError> {
    let rule = rrule.trim();
    let rule = rule.strip_prefix("RRULE:").unwrap_or(rule);
    if rule.is_empty() {
        return Err(RruleError("the rule is empty".to_owned()));
    }
    let normalised: Vec<String> = rule
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                format!(
                    "{key}={}",
                    iso8601_to_ical(value).unwrap_or_else(|| value.to_owned())
                )
            }
            _ => part.to_owned(),
        })
        .collect();
    let has_count = normalised.iter().any(|p| {
        p.split_once('=')
            .is_some_and(|(k, _)| k.eq_ignore_ascii_case("COUNT"))
    });
    let start = match dtstart {
        Some(d) => Some(parse_dtstart(d).ok_or_else(|| {
            RruleError(format!(
                "`dtstart` `{d}` is not an ISO 8601 date or date-time"
            ))
        })?),
        None if has_count => {
            return Err(RruleError(
                "the rule has a `COUNT`, which needs a `dtstart` to count from".to_owned(),
            ));
        }
        None => None,
    };
    let parsed: rrule::RRule<rrule::Unvalidated> = normalised
        .join(";")
        .parse()
        .map_err(|e: rrule::RRuleError| RruleError(e.to_string()))?;
    // Without a dtstart the rule is checked from the Unix epoch, which no UNTIL precedes in practice.
    let start = start.unwrap_or(chrono::DateTime::UNIX_EPOCH);
    parsed
        .validate(start.with_timezone(&rrule::Tz::UTC))
        .map(|_| ())
        .map_err(|e| RruleError(e.to_string()))
}

/// An ISO 8601 date or date-time (`2023-08-28`, `2023-08-28T00:00:00.000Z`, with an offset or without).
fn parse_dtstart(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = text.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&chrono::Utc));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(d.and_utc());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// `2023-12-31T00:00:00.000Z` → `20231231T000000Z`; `2023-12-31` → `20231231`; `None` for anything else.
fn iso8601_to_ical(value: &str) -> Option<String> {
    if !value.contains('-') {
        return None;
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(d.format("%Y%m%d").to_string());
    }
    parse_dtstart(value).map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_update_frequency_examples_are_valid_rules() {
        // Every example of podcast-namespace docs/tags/update-frequency.md but "every Friday the 13th", which
        // RFC 5545 forbids (see the next test).
        let examples = [
            ("FREQ=DAILY", None),
            ("FREQ=WEEKLY;INTERVAL=2", None),
            ("FREQ=DAILY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR", None),
            ("FREQ=YEARLY;BYDAY=+4TH;BYMONTH=11", None),
            (
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=10",
                Some("2023-08-28T00:00:00.000Z"),
            ),
            ("FREQ=WEEKLY;UNTIL=2023-12-31T00:00:00.000Z;BYDAY=MO", None),
            ("FREQ=WEEKLY", Some("2025-01-01T00:00:00.000Z")),
            ("FREQ=WEEKLY;UNTIL=20231231T000000Z", None),
            ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", None),
        ];
        for (rule, start) in examples {
            assert_eq!(check_rrule(rule, start), Ok(()), "{rule}");
        }
    }

    #[test]
    fn broken_rules_are_refused_with_a_reason() {
        for (rule, start) in [
            ("", None),
            ("WEEKLY", None),
            ("FREQ=FORTNIGHTLY", None),
            ("FREQ=WEEKLY;BYDAY=XX", None),
            ("FREQ=MONTHLY;BYMONTHDAY=32", None),
            // The namespace's "every Friday the 13th" example: RFC 5545 3.3.10 says BYMONTHDAY "MUST NOT be
            // specified when the FREQ rule part is set to WEEKLY" (`FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13` is right).
            ("FREQ=WEEKLY;BYDAY=FR;BYMONTHDAY=13", None),
            ("FREQ=WEEKLY;COUNT=10", None),
            ("FREQ=WEEKLY", Some("next monday")),
            ("FREQ=WEEKLY;UNTIL=tomorrow", None),
        ] {
            let error = check_rrule(rule, start).expect_err(rule);
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn a_guid_computed_with_the_scheme_is_recognised() {
        // Computed independently: Python's uuid.uuid5(UUID('ead4c236-…'), 'https://nightshift.example/feed.xml').
        let with_scheme = uuid::uuid!("078a9832-fdef-5d30-b7ed-8bae5af361e4");
        let url = "https://nightshift.example/feed.xml";
        assert!(is_guid_with_scheme(url, with_scheme));
        assert!(is_guid_with_scheme(
            "https://nightshift.example/feed.xml/",
            with_scheme
        ));
        assert!(!is_guid_with_scheme(url, podcast_guid_for_feed_url(url)));
    }

    #[test]
    fn podcast_guid_matches_the_specification_examples() {
        // Both examples are from the namespace's guid documentation.
        assert_eq!(
            podcast_guid_for_feed_url("https://mp3s.nashownotes.com/pc20rss.xml").to_string(),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(
            podcast_guid_for_feed_url("https://podnews.net/rss/").to_string(),
            "9b024349-ccf0-5f69-a609-6b82873eab3c"
        );
    }
}
