//! Podcasting 2.0 values: `podcast:medium`'s list and how a feed URL becomes its `podcast:guid`.

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

#[cfg(test)]
mod tests {
    use super::*;

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
