//! The feed as castkit writes it: every value already decided and formatted, so rendering is only syntax.

/// A podcast RSS `<channel>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// `<title>`.
    pub title: String,
    /// `<link>`.
    pub link: String,
    /// `<description>`: plain text.
    pub description: String,
    /// `<language>`.
    pub language: String,
    /// `<copyright>`.
    pub copyright: Option<String>,
    /// `<pubDate>` and `<lastBuildDate>`: the newest episode's date (RFC 2822), so the feed only changes when
    /// its content does.
    pub last_build_date: Option<String>,
    /// `<generator>`.
    pub generator: String,
    /// `atom:link rel="self"`: the feed's own public URL.
    pub self_url: String,
    /// `<image>` and `itunes:image`: the cover art's URL.
    pub image_url: String,
    /// `itunes:author`.
    pub author: String,
    /// `itunes:type`.
    pub show_type: &'static str,
    /// `itunes:owner` (name, email).
    pub owner: Option<(String, String)>,
    /// `itunes:category`: (category, subcategory).
    pub categories: Vec<(&'static str, Option<&'static str>)>,
    /// `itunes:explicit`.
    pub explicit: bool,
    /// `itunes:keywords`, comma-separated.
    pub keywords: Option<String>,
    /// `itunes:complete`.
    pub complete: bool,
    /// `itunes:block`.
    pub block: bool,
    /// `itunes:new-feed-url`.
    pub new_feed_url: Option<String>,
    /// `podcast:guid`.
    pub podcast_guid: String,
    /// `podcast:locked` (locked, owner email).
    pub locked: Option<(bool, Option<String>)>,
    /// `podcast:medium`.
    pub medium: String,
    /// `podcast:funding` (url, text).
    pub funding: Vec<(String, String)>,
    /// `podcast:person` at channel level.
    pub persons: Vec<PersonTag>,
    /// `podcast:license` (name, url).
    pub license: Option<(String, Option<String>)>,
    /// `podcast:location`.
    pub location: Option<LocationTag>,
    /// `podcast:trailer`, one per trailer episode, newest first.
    pub trailers: Vec<TrailerTag>,
    /// The other Podcasting 2.0 tags of the channel.
    pub tags: ChannelTags,
    /// `podcast:liveItem`s: live streams, on air first, then announced ones by start, then ended ones.
    pub live_items: Vec<LiveItemTag>,
    /// The episodes, newest first.
    pub items: Vec<Item>,
    /// Where this document sits in a paged feed (RFC 5005); empty for a feed that is one document.
    pub page: PageLinks,
}

/// The RFC 5005 links of one document of a paged feed: the archived-feed relations of section 4, and the
/// paged-feed `first` and `next` of section 3, which AntennaPod and gPodder follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// `fh:archive`: this document is an archive page, whose episodes do not change.
    pub archive: bool,
    /// `atom:link rel="current"`: the feed's own URL (on archive pages).
    pub current: Option<String>,
    /// `atom:link rel="prev-archive"`: the next older archive page.
    pub prev_archive: Option<String>,
    /// `atom:link rel="next-archive"`: the next newer archive page.
    pub next_archive: Option<String>,
    /// `atom:link rel="first"`: the feed's own URL, the first document of the series (when paged).
    pub first: Option<String>,
    /// `atom:link rel="next"`: the document that follows in the series, with older episodes.
    pub next: Option<String>,
}

impl PageLinks {
    /// The links to write, as (`rel`, `href`), in a fixed order.
    pub fn links(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("current", &self.current),
            ("prev-archive", &self.prev_archive),
            ("next-archive", &self.next_archive),
            ("first", &self.first),
            ("next", &self.next),
        ]
        .into_iter()
        .filter_map(|(rel, href)| Some((rel, href.as_deref()?)))
    }

    /// Whether the document needs the feed-history namespace (`xmlns:fh`).
    pub fn uses_history_namespace(&self) -> bool {
        self.archive
    }
}

/// `podcast:person`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTag {
    /// The person's name (the element's text).
    pub name: String,
    /// `role`, lowercase as the namespace's examples write it.
    pub role: String,
    /// `group`, lowercase.
    pub group: String,
    /// `href`.
    pub href: Option<String>,
    /// `img`.
    pub img: Option<String>,
}

/// `podcast:location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationTag {
    /// The place name (the element's text).
    pub name: String,
    /// `geo`.
    pub geo: Option<String>,
    /// `osm`.
    pub osm: Option<String>,
    /// `country`, ISO 3166-1 alpha-2.
    pub country: Option<String>,
}

/// A podcast `<item>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `<title>`.
    pub title: String,
    /// `<link>`.
    pub link: String,
    /// `<description>`: plain text, at most 4000 bytes.
    pub description: Option<String>,
    /// `content:encoded`: sanitised HTML of the full notes, when it says more than `description` (markup, or
    /// notes longer than the description may be).
    pub content_html: Option<String>,
    /// `<guid isPermaLink="false">`.
    pub guid: String,
    /// `<pubDate>`, RFC 2822.
    pub pub_date: String,
    /// `<enclosure>`.
    pub enclosure: Enclosure,
    /// `itunes:duration`, whole seconds; `None` when unknown (audio hosted elsewhere, stated without one).
    pub duration_seconds: Option<u64>,
    /// `itunes:image`.
    pub image_url: String,
    /// `itunes:explicit`.
    pub explicit: bool,
    /// `itunes:episodeType`; `None` for a full episode, the type apps assume without one.
    pub episode_type: Option<&'static str>,
    /// `itunes:season` and `podcast:season`.
    pub season: Option<u32>,
    /// `itunes:episode` and `podcast:episode`.
    pub episode: Option<u32>,
    /// `itunes:author`: the episode's host; `None` when it is the show's author, which apps show instead.
    pub author: Option<String>,
    /// `itunes:block`.
    pub block: bool,
    /// `podcast:person` for this episode.
    pub persons: Vec<PersonTag>,
    /// `podcast:chapters`: the public URL of the JSON chapters file.
    pub chapters_url: Option<String>,
    /// `psc:chapters`: the chapters listed in the table of contents.
    pub psc_chapters: Vec<PscChapter>,
    /// `podcast:transcript`.
    pub transcripts: Vec<TranscriptTag>,
    /// `podcast:soundbite`.
    pub soundbites: Vec<SoundbiteTag>,
    /// `podcast:alternateEnclosure`: the main audio first (marked default), then the other renditions;
    /// empty when there are no other renditions and no integrity string to carry.
    pub alternates: Vec<AlternateTag>,
    /// The other Podcasting 2.0 tags of the item.
    pub tags: ItemTags,
}

/// `psc:chapter` (Podlove Simple Chapters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PscChapter {
    /// `start`, as `hh:mm:ss.mmm`.
    pub start: String,
    /// `title`.
    pub title: String,
    /// `href`.
    pub href: Option<String>,
    /// `image`.
    pub image: Option<String>,
}

/// `podcast:transcript`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptTag {
    /// `url`.
    pub url: String,
    /// `type`.
    pub mime: String,
    /// `language`.
    pub language: String,
    /// `rel="captions"` for timed transcripts.
    pub captions: bool,
}

/// `podcast:soundbite`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoundbiteTag {
    /// `startTime`, seconds.
    pub start: String,
    /// `duration`, seconds.
    pub duration: String,
    /// The element's text.
    pub title: String,
}

/// `podcast:alternateEnclosure` with one `podcast:source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternateTag {
    /// `type`.
    pub mime: String,
    /// `length`, bytes.
    pub length: u64,
    /// `bitrate`, bits per second.
    pub bitrate: Option<u64>,
    /// `title`.
    pub title: Option<String>,
    /// `default="true"` for the main enclosure.
    pub default: bool,
    /// `podcast:source uri`.
    pub url: String,
    /// `podcast:integrity type="sri" value`: the file's SRI string (`sha384-…`), when asked for.
    pub integrity: Option<String>,
}

/// `podcast:trailer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailerTag {
    /// The element's text.
    pub title: String,
    /// `url`.
    pub url: String,
    /// `pubdate`, RFC 2822.
    pub pubdate: String,
    /// `length`, bytes.
    pub length: u64,
    /// `type`.
    pub mime: String,
    /// `season`.
    pub season: Option<u32>,
}

/// `<enclosure>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Public URL, percent-encoded.
    pub url: String,
    /// The file's exact size in bytes.
    pub length: u64,
    /// MIME type from the file's content.
    pub mime: String,
}

/// The channel's other Podcasting 2.0 tags, each as the namespace's tag page defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelTags {
    /// `podcast:value`.
    pub value: Vec<ValueTag>,
    /// `podcast:txt`.
    pub txt: Vec<TxtTag>,
    /// `podcast:podroll`'s remote items.
    pub podroll: Vec<RemoteItemTag>,
    /// `podcast:publisher`'s remote item.
    pub publisher: Option<RemoteItemTag>,
    /// `podcast:updateFrequency`.
    pub update_frequency: Option<UpdateFrequencyTag>,
    /// `podcast:podping usesPodping`.
    pub podping: Option<bool>,
    /// `podcast:block`.
    pub blocks: Vec<BlockTag>,
    /// `podcast:socialInteract`.
    pub social: Vec<SocialInteractTag>,
    /// `podcast:chat`.
    pub chat: Option<ChatTag>,
    /// `podcast:image`.
    pub images: Vec<ImageTag>,
}

/// An item's (or live item's) other Podcasting 2.0 tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemTags {
    /// `podcast:value`.
    pub value: Vec<ValueTag>,
    /// `podcast:txt`.
    pub txt: Vec<TxtTag>,
    /// `podcast:socialInteract`.
    pub social: Vec<SocialInteractTag>,
    /// `podcast:chat`.
    pub chat: Option<ChatTag>,
    /// `podcast:image`.
    pub images: Vec<ImageTag>,
    /// `podcast:contentLink`.
    pub content_links: Vec<ContentLinkTag>,
}

/// `podcast:liveItem`: an item for a live stream, with its status and schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveItemTag {
    /// `status`: `pending`, `live` or `ended`.
    pub status: &'static str,
    /// `start`, ISO 8601.
    pub start: String,
    /// `end`, ISO 8601.
    pub end: Option<String>,
    /// Its children, as a regular item's.
    pub item: Item,
}

/// `podcast:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueTag {
    /// `type`.
    pub kind: String,
    /// `method`.
    pub method: String,
    /// `suggested`.
    pub suggested: Option<String>,
    /// `podcast:valueRecipient`s.
    pub recipients: Vec<RecipientTag>,
    /// `podcast:valueTimeSplit`s.
    pub time_splits: Vec<TimeSplitTag>,
}

/// `podcast:valueRecipient`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientTag {
    /// `name`.
    pub name: Option<String>,
    /// `type`.
    pub kind: String,
    /// `address`.
    pub address: String,
    /// `split`, in shares.
    pub split: u64,
    /// `fee="true"`.
    pub fee: bool,
    /// `customKey`.
    pub custom_key: Option<String>,
    /// `customValue`.
    pub custom_value: Option<String>,
}

/// `podcast:valueTimeSplit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSplitTag {
    /// `startTime`, seconds.
    pub start: String,
    /// `duration`, seconds.
    pub duration: String,
    /// `remoteStartTime`, seconds.
    pub remote_start: Option<String>,
    /// `remotePercentage`.
    pub remote_percentage: Option<u8>,
    /// The `podcast:remoteItem` it pays, or none when it lists recipients.
    pub remote: Option<RemoteItemTag>,
    /// Its `podcast:valueRecipient`s (empty with a remote item).
    pub recipients: Vec<RecipientTag>,
}

/// `podcast:remoteItem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItemTag {
    /// `feedGuid`.
    pub feed_guid: String,
    /// `feedUrl`.
    pub feed_url: Option<String>,
    /// `itemGuid`.
    pub item_guid: Option<String>,
    /// `medium`.
    pub medium: Option<String>,
    /// `title`.
    pub title: Option<String>,
}

/// `podcast:txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtTag {
    /// The text.
    pub text: String,
    /// `purpose`.
    pub purpose: Option<String>,
}

/// `podcast:updateFrequency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFrequencyTag {
    /// The schedule in words.
    pub text: String,
    /// `rrule`.
    pub rrule: Option<String>,
    /// `dtstart`.
    pub dtstart: Option<String>,
    /// `complete="true"`: no more episodes will come (the show's `itunes:complete`).
    pub complete: bool,
}

/// `podcast:block`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockTag {
    /// `id`: the platform's slug; `None` for every platform.
    pub id: Option<String>,
    /// `yes` or `no`.
    pub blocked: bool,
}

/// `podcast:socialInteract`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialInteractTag {
    /// `protocol` (`disabled` turns comments off).
    pub protocol: String,
    /// `uri` (absent when disabled).
    pub uri: Option<String>,
    /// `accountId`.
    pub account_id: Option<String>,
    /// `accountUrl`.
    pub account_url: Option<String>,
    /// `priority`.
    pub priority: Option<u32>,
}

/// `podcast:chat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatTag {
    /// `server`.
    pub server: String,
    /// `protocol`.
    pub protocol: String,
    /// `accountId`.
    pub account_id: Option<String>,
    /// `space`.
    pub space: Option<String>,
}

/// `podcast:image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageTag {
    /// `href`.
    pub href: String,
    /// `alt`.
    pub alt: Option<String>,
    /// `aspect-ratio`, reduced (`16/9`).
    pub aspect_ratio: Option<String>,
    /// `width`, pixels.
    pub width: Option<u32>,
    /// `height`, pixels.
    pub height: Option<u32>,
    /// `type`.
    pub mime: Option<String>,
    /// `purpose`.
    pub purpose: Option<String>,
}

/// `podcast:contentLink`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLinkTag {
    /// `href`.
    pub href: String,
    /// The link's text.
    pub text: String,
}
