//! The feed validator's diagnostic codes (`F…`), grouped by hundreds: F0xx the file and its XML, F1xx RSS
//! 2.0, F2xx Apple Podcasts (`itunes:`), F3xx Podcasting 2.0 (`podcast:`) and other podcast namespaces, F4xx
//! local media. Codes are stable: a retired rule's code is never reused.

use crate::diag::{Rule, rule};

// F0xx: the file and its XML.
rule!(
    NOT_WELL_FORMED,
    "F001",
    "not-well-formed",
    Error,
    "the feed is not well-formed XML 1.0 with namespaces (a bad character, an unclosed tag, an undeclared prefix, an unknown entity)",
    "podcast apps and directories refuse the whole feed, not just the broken part"
);
rule!(
    BAD_ENCODING,
    "F002",
    "bad-encoding",
    Error,
    "bytes that are not valid in the feed's encoding",
    "parsers stop at the first invalid byte or replace text with garbage"
);
rule!(
    NOT_UTF8,
    "F003",
    "not-utf8",
    Warning,
    "the feed is not encoded in UTF-8",
    "Apple Podcasts requires UTF-8, and many apps assume it"
);
rule!(
    ENTITY_DECLARATIONS,
    "F004",
    "entity-declarations",
    Error,
    "the feed declares entities in a DTD",
    "entity declarations are how XML bombs work; castkit does not expand them and apps should not either"
);
rule!(
    TOO_LARGE,
    "F005",
    "too-large",
    Error,
    "the feed is larger than castkit validates (64 MiB)",
    "podcast apps give up on feeds of a few megabytes; a feed this size needs paging or a lower episode count"
);
rule!(
    TOO_DEEP,
    "F006",
    "too-deep",
    Error,
    "elements nested deeper than 256 levels",
    "no podcast feed needs it, and deep nesting is how parsers are made to run out of stack"
);
rule!(
    EMPTY_FILE,
    "F007",
    "empty-file",
    Error,
    "the file is empty or has no root element",
    "there is nothing for an app to read"
);
rule!(
    LARGE_FEED,
    "F008",
    "large-feed",
    Warning,
    "the feed is larger than 10 MB",
    "some apps stop reading at 1–10 MB and time out on slow connections; consider fewer episodes in the feed"
);

rule!(
    TOO_MANY_ELEMENTS,
    "F009",
    "too-many-elements",
    Error,
    "far more elements than text: more than one per 10 bytes on average, past 100,000",
    "a tree of millions of tiny elements is how parsers are made to run out of memory; no feed needs it"
);

// F1xx: RSS 2.0.
rule!(
    NOT_RSS,
    "F101",
    "not-rss",
    Error,
    "the root element is not `<rss>` (an Atom or RSS 1.0 feed, or not a feed)",
    "Apple Podcasts and most podcast apps read only RSS 2.0 podcast feeds"
);
rule!(
    RSS_VERSION,
    "F102",
    "rss-version",
    Error,
    "`<rss>` has no `version=\"2.0\"`",
    "readers use the version to choose how to parse the feed"
);
rule!(
    MISSING_CHANNEL,
    "F103",
    "missing-channel",
    Error,
    "`<rss>` has no `<channel>`",
    "everything in a feed lives in its channel"
);
rule!(
    MISSING_CHANNEL_ELEMENT,
    "F104",
    "missing-channel-element",
    Error,
    "the channel lacks `<title>`, `<link>` or `<description>`",
    "RSS 2.0 requires all three, and Apple requires the title and description"
);
rule!(
    DUPLICATE_ELEMENT,
    "F105",
    "duplicate-element",
    Error,
    "an element that may appear once appears more than once",
    "apps pick different copies, so listeners see different values in different apps"
);
rule!(
    EMPTY_VALUE,
    "F106",
    "empty-value",
    Error,
    "a required element or attribute is present but empty",
    "an empty title or URL is as good as a missing one"
);
rule!(
    MISSING_ITEM_TITLE,
    "F110",
    "missing-item-title",
    Error,
    "an item has no `<title>`",
    "Apple Podcasts requires a title for every episode"
);
rule!(
    MISSING_ENCLOSURE,
    "F111",
    "missing-enclosure",
    Error,
    "an item has no `<enclosure>`",
    "without an enclosure there is no audio to play; Apple ignores the item"
);
rule!(
    BAD_ENCLOSURE,
    "F112",
    "bad-enclosure",
    Error,
    "an enclosure without `url`, `length` or `type`, or with a length that is not a whole number of bytes",
    "apps need all three to download and show the episode; a wrong length breaks resumed downloads"
);
rule!(
    MISSING_GUID,
    "F113",
    "item-without-guid",
    Error,
    "an item has no `<guid>`",
    "Apple requires a guid for every episode since 2023; without one apps fall back to the URL and duplicate the episode when it changes"
);
rule!(
    DUPLICATE_GUID,
    "F114",
    "duplicate-item-guid",
    Error,
    "two items share a guid",
    "Apple Podcasts does not process episodes with a duplicate guid, and apps merge them into one"
);
rule!(
    DUPLICATE_ENCLOSURE_URL,
    "F115",
    "duplicate-enclosure-url",
    Error,
    "two items share an enclosure URL",
    "Apple Podcasts ignores duplicate enclosure URLs"
);
rule!(
    BAD_DATE,
    "F116",
    "bad-date",
    Error,
    "a date that is not RFC 2822 (`Wed, 02 Oct 2002 13:00:00 GMT`)",
    "apps cannot sort or show the episode, and some drop it"
);
rule!(
    WRONG_WEEKDAY,
    "F117",
    "wrong-weekday",
    Warning,
    "an RFC 2822 date whose day of the week does not match its date",
    "strict parsers reject the date; others show the wrong day"
);
rule!(
    FUTURE_DATE,
    "F118",
    "future-date",
    Warning,
    "an item dated in the future",
    "apps hide it or show it as newest for days; directories may reject it"
);
rule!(
    GUID_NOT_PERMALINK,
    "F119",
    "guid-not-permalink",
    Error,
    "a `<guid>` that is not a URL, without `isPermaLink=\"false\"`",
    "RSS 2.0 says such a guid is a link; readers will try to open it"
);
rule!(
    BAD_URL,
    "F120",
    "bad-url",
    Error,
    "a URL that does not parse or is not absolute",
    "apps cannot follow a relative or broken link"
);
rule!(
    INSECURE_URL,
    "F121",
    "http-url",
    Warning,
    "an `http:` URL for media, artwork or the feed",
    "the Podcasting 2.0 namespace requires https, and apps block mixed content"
);
rule!(
    MULTIPLE_ENCLOSURES,
    "F123",
    "multiple-enclosures",
    Warning,
    "an item with more than one `<enclosure>`",
    "apps play only one; use `podcast:alternateEnclosure` for other renditions"
);
rule!(
    MISSING_SELF_LINK,
    "F124",
    "missing-self-link",
    Warning,
    "no `atom:link rel=\"self\"` with the feed's own URL",
    "the Podcast Standards Project requires it; apps use it to follow a feed that moves"
);
rule!(
    HTML_IN_TEXT,
    "F125",
    "html-in-text",
    Warning,
    "markup in a plain-text element (a title, an author, keywords)",
    "apps show the tags literally, `<b>` and all"
);
rule!(
    UNSAFE_HTML,
    "F126",
    "unsafe-html",
    Warning,
    "scripts, frames, forms or event handlers in the HTML of a description",
    "apps remove them or refuse to show the description; they are a security risk for listeners"
);
rule!(
    BAD_NUMBER,
    "F127",
    "bad-number",
    Error,
    "a number that is not a whole number where one is required (enclosure length, `ttl`, image size)",
    "readers cannot use it"
);
rule!(
    BAD_LANGUAGE,
    "F128",
    "bad-language",
    Error,
    "a `<language>` that is not an ISO 639 code with an optional region",
    "Apple Podcasts rejects feeds whose language it cannot read"
);
rule!(
    BAD_EMAIL,
    "F129",
    "bad-email",
    Error,
    "an email address that is not one: `itunes:email` and `podcast:locked owner` (errors); RSS 2.0's `author`, `managingEditor` and `webMaster` (warnings, as apps show `itunes:author`)",
    "directories use these addresses to reach the publisher"
);
rule!(
    WRONG_NAMESPACE,
    "F130",
    "wrong-namespace",
    Error,
    "a well-known prefix bound to a misspelt namespace URI (for example, the iTunes URI in different case)",
    "namespace URIs are compared exactly: Apple ignores every `itunes:` tag under a misspelt URI"
);
rule!(
    UNKNOWN_ELEMENT,
    "F131",
    "unknown-element",
    Warning,
    "an element that does not exist in its namespace, or not at that place (often a typo: `itunes:explict`)",
    "apps ignore it, so its value is lost"
);
rule!(
    IMAGE_SIZE,
    "F132",
    "rss-image-size",
    Warning,
    "an RSS `<image>` wider than 144 or taller than 400 pixels",
    "RSS 2.0 limits the channel image's declared size"
);
rule!(
    MISSING_ATTRIBUTE,
    "F133",
    "missing-attribute",
    Error,
    "an element without an attribute it needs (`itunes:image href`, `itunes:category text`, `atom:link href`…)",
    "the element carries its value in that attribute; without it the element means nothing"
);

// F2xx: Apple Podcasts (itunes: namespace).
rule!(
    MISSING_ITUNES_IMAGE,
    "F201",
    "missing-itunes-image",
    Error,
    "the channel has no `itunes:image`",
    "Apple Podcasts requires show artwork"
);
rule!(
    MISSING_LANGUAGE,
    "F202",
    "missing-language",
    Error,
    "the channel has no `<language>`",
    "Apple Podcasts requires it"
);
rule!(
    MISSING_CATEGORY,
    "F203",
    "missing-category",
    Error,
    "the channel has no `itunes:category`",
    "Apple Podcasts requires a category from its list"
);
rule!(
    MISSING_EXPLICIT,
    "F204",
    "missing-explicit",
    Error,
    "the channel has no `itunes:explicit`",
    "Apple Podcasts requires every show to declare whether it is explicit"
);
rule!(
    BAD_EXPLICIT,
    "F205",
    "bad-explicit",
    Error,
    "`itunes:explicit` is not `true` or `false` (`yes`, `no` and `clean` are the legacy values: a warning)",
    "Apple documents only `true` and `false`; other values are read as not explicit"
);
rule!(
    BAD_CATEGORY,
    "F206",
    "bad-category",
    Error,
    "an `itunes:category` that is not on Apple's list, spelt exactly (with the nearest valid one as a hint)",
    "Apple matches categories exactly, case included; a near miss leaves the show uncategorised"
);
rule!(
    OBSOLETE_CATEGORY,
    "F207",
    "obsolete-category",
    Warning,
    "a category Apple retired in 2019",
    "Apple maps it to a new category of its choosing, or drops it"
);
rule!(
    BAD_YES,
    "F208",
    "bad-yes",
    Error,
    "`itunes:block` or `itunes:complete` with a value other than `Yes` or `No`",
    "Apple acts only on `Yes`; anything else is ignored"
);
rule!(
    BAD_TYPE,
    "F210",
    "bad-show-type",
    Error,
    "`itunes:type` is not `episodic` or `serial`",
    "apps order episodes by it"
);
rule!(
    BAD_EPISODE_TYPE,
    "F211",
    "bad-episode-type",
    Error,
    "`itunes:episodeType` is not `full`, `trailer` or `bonus`",
    "apps present trailers and bonus episodes apart from regular ones"
);
rule!(
    BAD_DURATION,
    "F212",
    "bad-duration",
    Error,
    "`itunes:duration` is not seconds (`1800`) or `[H:]MM:SS`",
    "apps show the wrong length or none; whole seconds are what Apple recommends"
);
rule!(
    BAD_EPISODE_NUMBER,
    "F213",
    "bad-episode-number",
    Error,
    "`itunes:season` or `itunes:episode` is not a whole number from 1 up",
    "apps sort and group episodes by these numbers"
);
rule!(
    MISSING_OWNER_EMAIL,
    "F214",
    "missing-owner-email",
    Info,
    "no `itunes:owner` with an `itunes:email`",
    "Apple no longer requires it, but other directories use it to verify and contact the show"
);
rule!(
    UNSUPPORTED_MEDIA_TYPE,
    "F215",
    "unsupported-media-type",
    Warning,
    "an enclosure whose type or file extension is not one podcast apps play (MP3, M4A/AAC, MP4/MOV/M4V, PDF…)",
    "Apple Podcasts accepts only these types; other apps may skip the episode"
);
rule!(
    TOO_LONG,
    "F216",
    "too-long",
    Warning,
    "a text longer than Apple's limit (255 characters for names and keywords, 4000 bytes for descriptions)",
    "Apple truncates it or rejects the feed"
);
rule!(
    MISSING_RECOMMENDED,
    "F217",
    "missing-recommended",
    Warning,
    "a tag Apple recommends is missing (`itunes:author`, `<link>`; per episode `pubDate`, `description`, `itunes:duration`, `itunes:image`, `itunes:explicit`, `<link>`)",
    "Apple uses them in its listings; apps show less without them"
);
rule!(
    BAD_IMAGE_URL,
    "F218",
    "bad-image-url",
    Warning,
    "an artwork URL whose type apps do not show: an `itunes:image` not ending in `.jpg`, `.jpeg` or `.png`, or an RSS `<image>` not ending in those or `.gif`",
    "Apple requires the file type in the URL to match a JPEG or PNG, and apps skip images they cannot decode"
);
rule!(
    MISSING_SERIAL_NUMBERS,
    "F219",
    "missing-serial-numbers",
    Warning,
    "a serial show with episodes that have no `itunes:episode`",
    "Apple orders serial shows by episode number"
);

// F3xx: Podcasting 2.0 and other podcast namespaces.
rule!(
    BAD_PODCAST_GUID,
    "F301",
    "bad-podcast-guid",
    Error,
    "`podcast:guid` is not a UUID",
    "apps and the Podcast Index identify the show by it across moves"
);
rule!(
    PODCAST_GUID_NOT_V5,
    "F302",
    "podcast-guid-not-v5",
    Warning,
    "`podcast:guid` is not a version 5 UUID, or not the one derived from the feed's URL",
    "the namespace specifies the UUIDv5 of the feed URL without its scheme; a different value may have been computed wrongly"
);
rule!(
    BAD_LOCKED,
    "F303",
    "bad-locked",
    Error,
    "`podcast:locked` is not `yes` or `no` (an error), or is `yes` without an `owner` e-mail (a warning)",
    "platforms read it to decide whether they may import the feed"
);
rule!(
    BAD_TRANSCRIPT,
    "F304",
    "bad-transcript",
    Error,
    "`podcast:transcript` without `url` or `type`, or with a type that is not a transcript format",
    "apps cannot choose or show the transcript"
);
rule!(
    BAD_CHAPTERS,
    "F305",
    "bad-chapters",
    Error,
    "`podcast:chapters` without `url`, or with a type other than `application/json+chapters`",
    "apps load chapters only from the JSON chapters format"
);
rule!(
    BAD_PERSON,
    "F306",
    "bad-person",
    Warning,
    "`podcast:person` with an empty name, or a role or group outside the Podcast Taxonomy",
    "apps map roles to credits; unknown ones are dropped or shown as hosts"
);
rule!(
    BAD_PODCAST_NUMBER,
    "F307",
    "bad-podcast-number",
    Error,
    "`podcast:season` is not a whole number, or `podcast:episode` is not a number",
    "apps sort and display episodes by these numbers"
);
rule!(
    BAD_FUNDING,
    "F308",
    "bad-funding",
    Error,
    "`podcast:funding` without a `url`",
    "the link is the whole point of the tag"
);
rule!(
    BAD_VALUE,
    "F309",
    "bad-value-block",
    Error,
    "`podcast:value` without `type` or `method`, without recipients, or with a recipient lacking `type`, `address` or `split`",
    "wallets cannot send payments the block does not describe completely"
);
rule!(
    LEGACY_PODCAST_NAMESPACE,
    "F310",
    "legacy-podcast-namespace",
    Info,
    "the `podcast:` prefix is bound to the older GitHub URI",
    "apps accept it, but the namespace's URI is now https://podcastindex.org/namespace/1.0"
);
rule!(
    BAD_PSC,
    "F311",
    "bad-simple-chapters",
    Error,
    "`psc:chapter` without a `start` in Normal Play Time or without a `title`, or chapters out of time order",
    "apps that read Podlove Simple Chapters skip chapters they cannot place, and list them in the order given"
);
rule!(
    BAD_MEDIUM,
    "F312",
    "bad-medium",
    Warning,
    "`podcast:medium` is not one of the namespace's mediums",
    "apps use it to tell podcasts from music, audiobooks and video"
);
rule!(
    BAD_PODCAST_ATTRIBUTE,
    "F313",
    "bad-podcast-attribute",
    Error,
    "a Podcasting 2.0 tag without an attribute the namespace requires (`podcast:trailer url`, `podcast:soundbite startTime`, `podcast:alternateEnclosure type`…)",
    "apps cannot use the tag"
);

// F4xx: local media.
rule!(
    LENGTH_MISMATCH,
    "F401",
    "length-mismatch",
    Error,
    "an enclosure `length` that is not the file's size in bytes",
    "apps use it for progress and resumed downloads; a wrong length breaks both"
);
rule!(
    TYPE_MISMATCH,
    "F402",
    "type-mismatch",
    Error,
    "an enclosure `type` that does not match the file's content",
    "apps refuse or misplay files that are not what the feed says"
);
rule!(
    DURATION_MISMATCH,
    "F403",
    "duration-mismatch",
    Error,
    "`itunes:duration` more than a second away from the file's exact duration",
    "apps show, seek and resume by it"
);
rule!(
    LOCAL_FILE_MISSING,
    "F404",
    "local-file-missing",
    Error,
    "a file the feed points at (audio, artwork, chapters, transcript) is not in the media folder",
    "listeners would get a broken link"
);
rule!(
    LOCAL_IMAGE,
    "F405",
    "local-image",
    Error,
    "artwork that is not a square RGB JPEG or PNG of 1400–3000 pixels, or whose extension does not match its content",
    "Apple Podcasts rejects shows and episodes whose artwork breaks these rules"
);
rule!(
    LOCAL_AUDIO_UNREADABLE,
    "F406",
    "local-audio-unreadable",
    Error,
    "an enclosure's file could not be probed (not audio, damaged)",
    "the episode would not play"
);

/// Every feed rule, in code order.
pub static RULES: &[&Rule] = &[
    &NOT_WELL_FORMED,
    &BAD_ENCODING,
    &NOT_UTF8,
    &ENTITY_DECLARATIONS,
    &TOO_LARGE,
    &TOO_DEEP,
    &EMPTY_FILE,
    &LARGE_FEED,
    &TOO_MANY_ELEMENTS,
    &NOT_RSS,
    &RSS_VERSION,
    &MISSING_CHANNEL,
    &MISSING_CHANNEL_ELEMENT,
    &DUPLICATE_ELEMENT,
    &EMPTY_VALUE,
    &MISSING_ITEM_TITLE,
    &MISSING_ENCLOSURE,
    &BAD_ENCLOSURE,
    &MISSING_GUID,
    &DUPLICATE_GUID,
    &DUPLICATE_ENCLOSURE_URL,
    &BAD_DATE,
    &WRONG_WEEKDAY,
    &FUTURE_DATE,
    &GUID_NOT_PERMALINK,
    &BAD_URL,
    &INSECURE_URL,
    &MULTIPLE_ENCLOSURES,
    &MISSING_SELF_LINK,
    &HTML_IN_TEXT,
    &UNSAFE_HTML,
    &BAD_NUMBER,
    &BAD_LANGUAGE,
    &BAD_EMAIL,
    &WRONG_NAMESPACE,
    &UNKNOWN_ELEMENT,
    &IMAGE_SIZE,
    &MISSING_ATTRIBUTE,
    &MISSING_ITUNES_IMAGE,
    &MISSING_LANGUAGE,
    &MISSING_CATEGORY,
    &MISSING_EXPLICIT,
    &BAD_EXPLICIT,
    &BAD_CATEGORY,
    &OBSOLETE_CATEGORY,
    &BAD_YES,
    &BAD_TYPE,
    &BAD_EPISODE_TYPE,
    &BAD_DURATION,
    &BAD_EPISODE_NUMBER,
    &MISSING_OWNER_EMAIL,
    &UNSUPPORTED_MEDIA_TYPE,
    &TOO_LONG,
    &MISSING_RECOMMENDED,
    &BAD_IMAGE_URL,
    &MISSING_SERIAL_NUMBERS,
    &BAD_PODCAST_GUID,
    &PODCAST_GUID_NOT_V5,
    &BAD_LOCKED,
    &BAD_TRANSCRIPT,
    &BAD_CHAPTERS,
    &BAD_PERSON,
    &BAD_PODCAST_NUMBER,
    &BAD_FUNDING,
    &BAD_VALUE,
    &LEGACY_PODCAST_NAMESPACE,
    &BAD_PSC,
    &BAD_MEDIUM,
    &BAD_PODCAST_ATTRIBUTE,
    &LENGTH_MISMATCH,
    &TYPE_MISMATCH,
    &DURATION_MISMATCH,
    &LOCAL_FILE_MISSING,
    &LOCAL_IMAGE,
    &LOCAL_AUDIO_UNREADABLE,
];
