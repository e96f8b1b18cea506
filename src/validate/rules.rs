//! The feed validator's diagnostic codes (`F…`), grouped by hundreds: F0xx the file and its XML, F1xx RSS
//! 2.0, F2xx Apple Podcasts (`itunes:`), F3xx Podcasting 2.0 (`podcast:`) and other podcast namespaces, F4xx
//! local media, F5xx a feed paged into archive pages (RFC 5005), checked when a folder is validated, F6xx
//! online: the feed's hosting, checked with `--online` (and, for F608, when the feed is given as a URL). Codes are stable: a retired rule's code is never reused.
//!
//! Each rule is declared with everything `castkit validate --explain` shows: what it checks, why it matters,
//! and a few lines of a feed that break it (with the fix, where it is short).

use crate::diag::rules;

rules! {
    // F0xx: the file and its XML.
    NOT_WELL_FORMED {
        code: "F001",
        name: "not-well-formed",
        severity: Error,
        summary: "the feed is not well-formed XML 1.0 with namespaces (a bad character, an unclosed tag, an undeclared prefix, an unknown entity)",
        why: "podcast apps and directories refuse the whole feed, not just the broken part",
        example: r#"
<title>Night Shift & Friends</title>
"#,
        fix: r#"
<title>Night Shift &amp; Friends</title>
"#,
    }
    BAD_ENCODING {
        code: "F002",
        name: "bad-encoding",
        severity: Error,
        summary: "bytes that are not valid in the feed's encoding",
        why: "parsers stop at the first invalid byte or replace text with garbage",
        example: r#"
<?xml version="1.0" encoding="UTF-8"?>
<title>Caf\xE9 stories</title>   <!-- the byte E9 alone is not UTF-8 -->
"#,
    }
    NOT_UTF8 {
        code: "F003",
        name: "not-utf8",
        severity: Warning,
        summary: "the feed is not encoded in UTF-8",
        why: "Apple Podcasts requires UTF-8, and many apps assume it",
        example: r#"
<?xml version="1.0" encoding="ISO-8859-1"?>
"#,
        fix: r#"
<?xml version="1.0" encoding="UTF-8"?>
"#,
    }
    ENTITY_DECLARATIONS {
        code: "F004",
        name: "entity-declarations",
        severity: Error,
        summary: "the feed declares entities in a DTD",
        why: "entity declarations are how XML bombs work; castkit does not expand them and apps should not either",
        example: r#"
<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY show "Night Shift">]>
<rss version="2.0"><channel><title>&show;</title>
"#,
    }
    TOO_LARGE {
        code: "F005",
        name: "too-large",
        severity: Error,
        summary: "the feed is larger than castkit validates (64 MiB)",
        why: "podcast apps give up on feeds of a few megabytes; a feed this size needs paging or a lower episode count",
        example: r#"
<!-- a feed of more than 64 MiB -->
"#,
    }
    TOO_DEEP {
        code: "F006",
        name: "too-deep",
        severity: Error,
        summary: "elements nested deeper than 256 levels",
        why: "no podcast feed needs it, and deep nesting is how parsers are made to run out of stack",
        example: r#"
<rss><channel><item><a><a><a><a>…   <!-- 257 levels deep -->
"#,
    }
    EMPTY_FILE {
        code: "F007",
        name: "empty-file",
        severity: Error,
        summary: "the file is empty or has no root element",
        why: "there is nothing for an app to read",
        example: r#"
<?xml version="1.0" encoding="UTF-8"?>
<!-- and nothing else -->
"#,
    }
    LARGE_FEED {
        code: "F008",
        name: "large-feed",
        severity: Warning,
        summary: "the feed is larger than 10 MB",
        why: "some apps stop reading at 1–10 MB and time out on slow connections; consider fewer episodes in the feed",
        example: r#"
<!-- a feed of more than 10 MB: thousands of items with full show notes -->
"#,
    }
    TOO_MANY_ELEMENTS {
        code: "F009",
        name: "too-many-elements",
        severity: Error,
        summary: "far more elements than text: more than one per 10 bytes on average, past 100,000",
        why: "a tree of millions of tiny elements is how parsers are made to run out of memory; no feed needs it",
        example: r#"
<rss><channel><a/><a/><a/><a/><a/>…   <!-- 100,000 empty elements -->
"#,
    }
    // F1xx: RSS 2.0.
    NOT_RSS {
        code: "F101",
        name: "not-rss",
        severity: Error,
        summary: "the root element is not `<rss>` (an Atom or RSS 1.0 feed, or not a feed)",
        why: "Apple Podcasts and most podcast apps read only RSS 2.0 podcast feeds",
        example: r#"
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Night Shift</title>
</feed>
"#,
    }
    RSS_VERSION {
        code: "F102",
        name: "rss-version",
        severity: Error,
        summary: "`<rss>` has no `version=\"2.0\"`",
        why: "readers use the version to choose how to parse the feed",
        example: r#"
<rss>
  <channel>…</channel>
</rss>
"#,
        fix: r#"
<rss version="2.0">
  <channel>…</channel>
</rss>
"#,
    }
    MISSING_CHANNEL {
        code: "F103",
        name: "missing-channel",
        severity: Error,
        summary: "`<rss>` has no `<channel>`",
        why: "everything in a feed lives in its channel",
        example: r#"
<rss version="2.0">
  <title>Night Shift</title>
</rss>
"#,
        fix: r#"
<rss version="2.0">
  <channel>
    <title>Night Shift</title>
  </channel>
</rss>
"#,
    }
    MISSING_CHANNEL_ELEMENT {
        code: "F104",
        name: "missing-channel-element",
        severity: Error,
        summary: "the channel lacks `<title>`, `<link>` or `<description>`",
        why: "RSS 2.0 requires all three, and Apple requires the title and description",
        example: r#"
<channel>
  <title>Night Shift</title>
  <link>https://nightshift.example/</link>
</channel>
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <link>https://nightshift.example/</link>
  <description>Stories from people who work while others sleep.</description>
</channel>
"#,
    }
    DUPLICATE_ELEMENT {
        code: "F105",
        name: "duplicate-element",
        severity: Error,
        summary: "an element that may appear once appears more than once",
        why: "apps pick different copies, so listeners see different values in different apps",
        example: r#"
<channel>
  <title>Night Shift</title>
  <title>The Night Shift</title>
"#,
    }
    EMPTY_VALUE {
        code: "F106",
        name: "empty-value",
        severity: Error,
        summary: "a required element or attribute is present but empty",
        why: "an empty title or URL is as good as a missing one",
        example: r#"
<item>
  <title></title>
"#,
    }
    MISSING_ITEM_TITLE {
        code: "F110",
        name: "missing-item-title",
        severity: Error,
        summary: "an item has no `<title>`",
        why: "Apple Podcasts requires a title for every episode",
        example: r#"
<item>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
  <guid isPermaLink="false">ns-001</guid>
</item>
"#,
        fix: r#"
<item>
  <title>Pilot</title>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
  <guid isPermaLink="false">ns-001</guid>
</item>
"#,
    }
    MISSING_ENCLOSURE {
        code: "F111",
        name: "missing-enclosure",
        severity: Error,
        summary: "an item has no `<enclosure>`",
        why: "without an enclosure there is no audio to play; Apple ignores the item",
        example: r#"
<item>
  <title>Pilot</title>
  <guid isPermaLink="false">ns-001</guid>
</item>
"#,
    }
    BAD_ENCLOSURE {
        code: "F112",
        name: "bad-enclosure",
        severity: Error,
        summary: "an enclosure without `url`, `length` or `type`, or with a length that is not a whole number of bytes",
        why: "apps need all three to download and show the episode; a wrong length breaks resumed downloads",
        example: r#"
<enclosure url="https://nightshift.example/1.mp3" type="audio/mpeg"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
    }
    MISSING_GUID {
        code: "F113",
        name: "item-without-guid",
        severity: Error,
        summary: "an item has no `<guid>`",
        why: "Apple requires a guid for every episode since 2023; without one apps fall back to the URL and duplicate the episode when it changes",
        example: r#"
<item>
  <title>Pilot</title>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
</item>
"#,
        fix: r#"
<item>
  <title>Pilot</title>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
  <guid isPermaLink="false">ns-001</guid>
</item>
"#,
    }
    DUPLICATE_GUID {
        code: "F114",
        name: "duplicate-item-guid",
        severity: Error,
        summary: "two items share a guid",
        why: "Apple Podcasts does not process episodes with a duplicate guid, and apps merge them into one",
        example: r#"
<item><title>Pilot</title><guid isPermaLink="false">ns-001</guid>…</item>
<item><title>Second</title><guid isPermaLink="false">ns-001</guid>…</item>
"#,
    }
    DUPLICATE_ENCLOSURE_URL {
        code: "F115",
        name: "duplicate-enclosure-url",
        severity: Error,
        summary: "two items share an enclosure URL",
        why: "Apple Podcasts ignores duplicate enclosure URLs",
        example: r#"
<item><title>Pilot</title><enclosure url="https://nightshift.example/1.mp3" …/></item>
<item><title>Second</title><enclosure url="https://nightshift.example/1.mp3" …/></item>
"#,
    }
    BAD_DATE {
        code: "F116",
        name: "bad-date",
        severity: Error,
        summary: "a date that is not RFC 2822 (`Wed, 02 Oct 2002 13:00:00 GMT`)",
        why: "apps cannot sort or show the episode, and some drop it",
        example: r#"
<pubDate>2024-03-01 09:00</pubDate>
"#,
        fix: r#"
<pubDate>Fri, 01 Mar 2024 09:00:00 GMT</pubDate>
"#,
    }
    WRONG_WEEKDAY {
        code: "F117",
        name: "wrong-weekday",
        severity: Warning,
        summary: "an RFC 2822 date whose day of the week does not match its date",
        why: "strict parsers reject the date; others show the wrong day",
        example: r#"
<pubDate>Mon, 01 Mar 2024 09:00:00 GMT</pubDate>
"#,
        fix: r#"
<pubDate>Fri, 01 Mar 2024 09:00:00 GMT</pubDate>
"#,
    }
    FUTURE_DATE {
        code: "F118",
        name: "future-date",
        severity: Warning,
        summary: "an item dated in the future",
        why: "apps hide it or show it as newest for days; directories may reject it",
        example: r#"
<pubDate>Fri, 01 Jan 2100 09:00:00 GMT</pubDate>
"#,
    }
    GUID_NOT_PERMALINK {
        code: "F119",
        name: "guid-not-permalink",
        severity: Error,
        summary: "a `<guid>` that is not a URL, without `isPermaLink=\"false\"`",
        why: "RSS 2.0 says such a guid is a link; readers will try to open it",
        example: r#"
<guid>ns-001</guid>
"#,
        fix: r#"
<guid isPermaLink="false">ns-001</guid>
"#,
    }
    BAD_URL {
        code: "F120",
        name: "bad-url",
        severity: Error,
        summary: "a URL that does not parse or is not absolute",
        why: "apps cannot follow a relative or broken link",
        example: r#"
<link>/episodes/1</link>
"#,
        fix: r#"
<link>https://nightshift.example/episodes/1</link>
"#,
    }
    INSECURE_URL {
        code: "F121",
        name: "http-url",
        severity: Warning,
        summary: "an `http:` URL for media, artwork or the feed",
        why: "the Podcasting 2.0 namespace requires https, and apps block mixed content",
        example: r#"
<enclosure url="http://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
    }
    MULTIPLE_ENCLOSURES {
        code: "F123",
        name: "multiple-enclosures",
        severity: Warning,
        summary: "an item with more than one `<enclosure>`",
        why: "apps play only one; use `podcast:alternateEnclosure` for other renditions",
        example: r#"
<item>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
  <enclosure url="https://nightshift.example/1.m4a" length="2500000" type="audio/x-m4a"/>
</item>
"#,
    }
    MISSING_SELF_LINK {
        code: "F124",
        name: "missing-self-link",
        severity: Warning,
        summary: "no `atom:link rel=\"self\"` with the feed's own URL",
        why: "the Podcast Standards Project requires it; apps use it to follow a feed that moves",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no atom:link rel="self" -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <atom:link href="https://nightshift.example/feed.xml" rel="self" type="application/rss+xml"/>
"#,
    }
    HTML_IN_TEXT {
        code: "F125",
        name: "html-in-text",
        severity: Warning,
        summary: "markup in a plain-text element (a title, an author, keywords)",
        why: "apps show the tags literally, `<b>` and all",
        example: r#"
<title>Pilot &lt;b&gt;new&lt;/b&gt;</title>
"#,
        fix: r#"
<title>Pilot (new)</title>
"#,
    }
    UNSAFE_HTML {
        code: "F126",
        name: "unsafe-html",
        severity: Warning,
        summary: "scripts, frames, forms or event handlers in the HTML of a description",
        why: "apps remove them or refuse to show the description; they are a security risk for listeners",
        example: r#"
<description><![CDATA[<p onclick="track()">Show notes</p><script>…</script>]]></description>
"#,
        fix: r#"
<description><![CDATA[<p>Show notes</p>]]></description>
"#,
    }
    BAD_NUMBER {
        code: "F127",
        name: "bad-number",
        severity: Error,
        summary: "a number that is not a whole number where one is required (enclosure length, `ttl`, image size)",
        why: "readers cannot use it",
        example: r#"
<ttl>one hour</ttl>
"#,
        fix: r#"
<ttl>60</ttl>
"#,
    }
    BAD_LANGUAGE {
        code: "F128",
        name: "bad-language",
        severity: Error,
        summary: "a `<language>` that is not an ISO 639 code with an optional region",
        why: "Apple Podcasts rejects feeds whose language it cannot read",
        example: r#"
<language>English</language>
"#,
        fix: r#"
<language>en</language>
"#,
    }
    BAD_EMAIL {
        code: "F129",
        name: "bad-email",
        severity: Error,
        summary: "an email address that is not one: `itunes:email` and `podcast:locked owner` (errors); RSS 2.0's `author`, `managingEditor` and `webMaster` (warnings, as apps show `itunes:author`)",
        why: "directories use these addresses to reach the publisher",
        example: r#"
<itunes:owner>
  <itunes:name>Ada</itunes:name>
  <itunes:email>ada at nightshift.example</itunes:email>
</itunes:owner>
"#,
        fix: r#"
<itunes:owner>
  <itunes:name>Ada</itunes:name>
  <itunes:email>ada@nightshift.example</itunes:email>
</itunes:owner>
"#,
    }
    WRONG_NAMESPACE {
        code: "F130",
        name: "wrong-namespace",
        severity: Error,
        summary: "a well-known prefix bound to a misspelt namespace URI (for example, the iTunes URI in different case)",
        why: "namespace URIs are compared exactly: Apple ignores every `itunes:` tag under a misspelt URI",
        example: r#"
<rss version="2.0" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd">
"#,
        fix: r#"
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
"#,
    }
    UNKNOWN_ELEMENT {
        code: "F131",
        name: "unknown-element",
        severity: Warning,
        summary: "an element that does not exist in its namespace, or not at that place (often a typo: `itunes:explict`)",
        why: "apps ignore it, so its value is lost",
        example: r#"
<itunes:explict>false</itunes:explict>
"#,
        fix: r#"
<itunes:explicit>false</itunes:explicit>
"#,
    }
    IMAGE_SIZE {
        code: "F132",
        name: "rss-image-size",
        severity: Warning,
        summary: "an RSS `<image>` wider than 144 or taller than 400 pixels",
        why: "RSS 2.0 limits the channel image's declared size",
        example: r#"
<image>
  <url>https://nightshift.example/logo.png</url>
  <title>Night Shift</title>
  <link>https://nightshift.example/</link>
  <width>1400</width>
  <height>1400</height>
</image>
"#,
    }
    MISSING_ATTRIBUTE {
        code: "F133",
        name: "missing-attribute",
        severity: Error,
        summary: "an element without an attribute it needs (`itunes:image href`, `itunes:category text`, `atom:link href`…)",
        why: "the element carries its value in that attribute; without it the element means nothing",
        example: r#"
<itunes:image/>
"#,
        fix: r#"
<itunes:image href="https://nightshift.example/cover.jpg"/>
"#,
    }
    // F2xx: Apple Podcasts (itunes: namespace).
    MISSING_ITUNES_IMAGE {
        code: "F201",
        name: "missing-itunes-image",
        severity: Error,
        summary: "the channel has no `itunes:image`",
        why: "Apple Podcasts requires show artwork",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no itunes:image -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <itunes:image href="https://nightshift.example/cover.jpg"/>
"#,
    }
    MISSING_LANGUAGE {
        code: "F202",
        name: "missing-language",
        severity: Error,
        summary: "the channel has no `<language>`",
        why: "Apple Podcasts requires it",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no language -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <language>en</language>
"#,
    }
    MISSING_CATEGORY {
        code: "F203",
        name: "missing-category",
        severity: Error,
        summary: "the channel has no `itunes:category`",
        why: "Apple Podcasts requires a category from its list",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no itunes:category -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <itunes:category text="Society &amp; Culture"/>
"#,
    }
    MISSING_EXPLICIT {
        code: "F204",
        name: "missing-explicit",
        severity: Error,
        summary: "the channel has no `itunes:explicit`",
        why: "Apple Podcasts requires every show to declare whether it is explicit",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no itunes:explicit -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <itunes:explicit>false</itunes:explicit>
"#,
    }
    BAD_EXPLICIT {
        code: "F205",
        name: "bad-explicit",
        severity: Error,
        summary: "`itunes:explicit` is not `true` or `false` (`yes`, `no` and `clean` are the legacy values: a warning)",
        why: "Apple documents only `true` and `false`; other values are read as not explicit",
        example: r#"
<itunes:explicit>clean</itunes:explicit>
"#,
        fix: r#"
<itunes:explicit>false</itunes:explicit>
"#,
    }
    BAD_CATEGORY {
        code: "F206",
        name: "bad-category",
        severity: Error,
        summary: "an `itunes:category` that is not on Apple's list, spelt exactly (with the nearest valid one as a hint)",
        why: "Apple matches categories exactly, case included; a near miss leaves the show uncategorised",
        example: r#"
<itunes:category text="Technolgy"/>
"#,
        fix: r#"
<itunes:category text="Technology"/>
"#,
    }
    OBSOLETE_CATEGORY {
        code: "F207",
        name: "obsolete-category",
        severity: Warning,
        summary: "a category Apple retired in 2019",
        why: "Apple maps it to a new category of its choosing, or drops it",
        example: r#"
<itunes:category text="Games &amp; Hobbies">
  <itunes:category text="Video Games"/>
</itunes:category>
"#,
        fix: r#"
<itunes:category text="Leisure">
  <itunes:category text="Video Games"/>
</itunes:category>
"#,
    }
    BAD_YES {
        code: "F208",
        name: "bad-yes",
        severity: Error,
        summary: "`itunes:block` or `itunes:complete` with a value other than `Yes` or `No`",
        why: "Apple acts only on `Yes`; anything else is ignored",
        example: r#"
<itunes:block>true</itunes:block>
"#,
        fix: r#"
<itunes:block>Yes</itunes:block>
"#,
    }
    BAD_TYPE {
        code: "F210",
        name: "bad-show-type",
        severity: Error,
        summary: "`itunes:type` is not `episodic` or `serial`",
        why: "apps order episodes by it",
        example: r#"
<itunes:type>seasonal</itunes:type>
"#,
        fix: r#"
<itunes:type>serial</itunes:type>
"#,
    }
    BAD_EPISODE_TYPE {
        code: "F211",
        name: "bad-episode-type",
        severity: Error,
        summary: "`itunes:episodeType` is not `full`, `trailer` or `bonus`",
        why: "apps present trailers and bonus episodes apart from regular ones",
        example: r#"
<itunes:episodeType>teaser</itunes:episodeType>
"#,
        fix: r#"
<itunes:episodeType>trailer</itunes:episodeType>
"#,
    }
    BAD_DURATION {
        code: "F212",
        name: "bad-duration",
        severity: Error,
        summary: "`itunes:duration` is not seconds (`1800`) or `[H:]MM:SS`",
        why: "apps show the wrong length or none; whole seconds are what Apple recommends",
        example: r#"
<itunes:duration>30 minutes</itunes:duration>
"#,
        fix: r#"
<itunes:duration>1800</itunes:duration>
"#,
    }
    BAD_EPISODE_NUMBER {
        code: "F213",
        name: "bad-episode-number",
        severity: Error,
        summary: "`itunes:season` or `itunes:episode` is not a whole number from 1 up",
        why: "apps sort and group episodes by these numbers",
        example: r#"
<itunes:episode>0</itunes:episode>
"#,
        fix: r#"
<itunes:episode>1</itunes:episode>
"#,
    }
    MISSING_OWNER_EMAIL {
        code: "F214",
        name: "missing-owner-email",
        severity: Info,
        summary: "no `itunes:owner` with an `itunes:email`",
        why: "Apple no longer requires it, but other directories use it to verify and contact the show",
        example: r#"
<channel>
  <title>Night Shift</title>
  <!-- no itunes:owner -->
"#,
        fix: r#"
<channel>
  <title>Night Shift</title>
  <itunes:owner>
    <itunes:name>Ada</itunes:name>
    <itunes:email>ada@nightshift.example</itunes:email>
  </itunes:owner>
"#,
    }
    UNSUPPORTED_MEDIA_TYPE {
        code: "F215",
        name: "unsupported-media-type",
        severity: Warning,
        summary: "an enclosure of a media type Apple Podcasts does not take (Ogg, FLAC, WMA…), or whose file extension disagrees with its type",
        why: "Apple Podcasts accepts only MP3, M4A/AAC, MP4/MOV/M4V and PDF and skips other episodes; other apps may play them (a type that is not media at all is F220, an error)",
        example: r#"
<enclosure url="https://nightshift.example/1.wma" length="3000000" type="audio/x-ms-wma"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
    }
    TOO_LONG {
        code: "F216",
        name: "too-long",
        severity: Warning,
        summary: "a text longer than Apple's limit (255 characters for names and keywords, 4000 bytes for descriptions)",
        why: "Apple truncates it or rejects the feed",
        example: r#"
<itunes:keywords>night, shift, … 300 characters of keywords …</itunes:keywords>
"#,
    }
    MISSING_RECOMMENDED {
        code: "F217",
        name: "missing-recommended",
        severity: Warning,
        summary: "a tag Apple recommends is missing (`itunes:author`, `<link>`; per episode `pubDate`, `description`, `itunes:duration`, `itunes:image`, `itunes:explicit`, `<link>`)",
        why: "Apple uses them in its listings; apps show less without them",
        example: r#"
<item>
  <title>Pilot</title>
  <enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
  <guid isPermaLink="false">ns-001</guid>
  <!-- no pubDate, description, itunes:duration, … -->
</item>
"#,
    }
    BAD_IMAGE_URL {
        code: "F218",
        name: "bad-image-url",
        severity: Warning,
        summary: "an artwork URL whose type apps do not show: an `itunes:image` not ending in `.jpg`, `.jpeg` or `.png`, or an RSS `<image>` not ending in those or `.gif`",
        why: "Apple requires the file type in the URL to match a JPEG or PNG, and apps skip images they cannot decode",
        example: r#"
<itunes:image href="https://nightshift.example/cover.webp"/>
"#,
        fix: r#"
<itunes:image href="https://nightshift.example/cover.jpg"/>
"#,
    }
    MISSING_SERIAL_NUMBERS {
        code: "F219",
        name: "missing-serial-numbers",
        severity: Warning,
        summary: "a serial show with episodes that have no `itunes:episode`",
        why: "Apple orders serial shows by episode number",
        example: r#"
<itunes:type>serial</itunes:type>
…
<item>
  <title>Chapter one</title>
  <!-- no itunes:episode -->
"#,
        fix: r#"
<itunes:type>serial</itunes:type>
…
<item>
  <title>Chapter one</title>
  <itunes:episode>1</itunes:episode>
"#,
    }
    ENCLOSURE_NOT_MEDIA {
        code: "F220",
        name: "enclosure-not-media",
        severity: Error,
        summary: "an enclosure whose type is not audio, video or PDF (a web page, text, an image, `application/octet-stream`…)",
        why: "Apple Podcasts rejects the episode, and apps that trust the type do not play it; it is usually a download link that serves an HTML page or a server that does not know the file's type",
        example: r#"
<enclosure url="https://nightshift.example/download?id=1" length="3000000" type="text/html"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
    }
    // F3xx: Podcasting 2.0 and other podcast namespaces.
    BAD_PODCAST_GUID {
        code: "F301",
        name: "bad-podcast-guid",
        severity: Error,
        summary: "`podcast:guid` is not a UUID",
        why: "apps and the Podcast Index identify the show by it across moves",
        example: r#"
<podcast:guid>night-shift</podcast:guid>
"#,
        fix: r#"
<!-- the UUIDv5 of the feed URL `https://nightshift.example/feed.xml` without its scheme -->
<podcast:guid>4d9a84e8-ab8a-5bd0-b733-d5214ee95a27</podcast:guid>
"#,
    }
    PODCAST_GUID_NOT_V5 {
        code: "F302",
        name: "podcast-guid-not-v5",
        severity: Warning,
        summary: "`podcast:guid` is not a version 5 UUID, or not the one derived from the feed's URL",
        why: "the namespace specifies the UUIDv5 of the feed URL without its scheme; a different value may have been computed wrongly",
        example: r#"
<!-- a random (version 4) UUID -->
<podcast:guid>9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d</podcast:guid>
"#,
    }
    BAD_LOCKED {
        code: "F303",
        name: "bad-locked",
        severity: Error,
        summary: "`podcast:locked` is not `yes` or `no` (an error), or is `yes` without an `owner` e-mail (a warning)",
        why: "platforms read it to decide whether they may import the feed",
        example: r#"
<podcast:locked>true</podcast:locked>
"#,
        fix: r#"
<podcast:locked owner="ada@nightshift.example">yes</podcast:locked>
"#,
    }
    BAD_TRANSCRIPT {
        code: "F304",
        name: "bad-transcript",
        severity: Error,
        summary: "`podcast:transcript` without `url` or `type`, or with a type that is not a transcript format",
        why: "apps cannot choose or show the transcript",
        example: r#"
<podcast:transcript url="https://nightshift.example/1.vtt"/>
"#,
        fix: r#"
<podcast:transcript url="https://nightshift.example/1.vtt" type="text/vtt"/>
"#,
    }
    BAD_CHAPTERS {
        code: "F305",
        name: "bad-chapters",
        severity: Error,
        summary: "`podcast:chapters` without `url`, or with a type other than `application/json+chapters`",
        why: "apps load chapters only from the JSON chapters format",
        example: r#"
<podcast:chapters url="https://nightshift.example/1.json" type="application/json"/>
"#,
        fix: r#"
<podcast:chapters url="https://nightshift.example/1.json" type="application/json+chapters"/>
"#,
    }
    BAD_PERSON {
        code: "F306",
        name: "bad-person",
        severity: Warning,
        summary: "`podcast:person` with an empty name, or a role or group outside the Podcast Taxonomy",
        why: "apps map roles to credits; unknown ones are dropped or shown as hosts",
        example: r#"
<podcast:person role="presenter">Ada</podcast:person>
"#,
        fix: r#"
<podcast:person role="host">Ada</podcast:person>
"#,
    }
    BAD_PODCAST_NUMBER {
        code: "F307",
        name: "bad-podcast-number",
        severity: Error,
        summary: "`podcast:season` is not a whole number, or `podcast:episode` is not a number",
        why: "apps sort and display episodes by these numbers",
        example: r#"
<podcast:season>two</podcast:season>
"#,
        fix: r#"
<podcast:season>2</podcast:season>
"#,
    }
    BAD_FUNDING {
        code: "F308",
        name: "bad-funding",
        severity: Error,
        summary: "`podcast:funding` without a `url`",
        why: "the link is the whole point of the tag",
        example: r#"
<podcast:funding>Support the show</podcast:funding>
"#,
        fix: r#"
<podcast:funding url="https://nightshift.example/support">Support the show</podcast:funding>
"#,
    }
    BAD_VALUE {
        code: "F309",
        name: "bad-value-block",
        severity: Error,
        summary: "`podcast:value` without `type` or `method`, without recipients, or with a recipient lacking `type`, `address` or `split`; a `podcast:valueTimeSplit` without `startTime` or `duration`, or without exactly one `remoteItem` or its own recipients",
        why: "wallets cannot send payments the block does not describe completely",
        example: r#"
<podcast:value type="lightning" method="keysend"/>
"#,
        fix: r#"
<podcast:value type="lightning" method="keysend">
  <podcast:valueRecipient name="Ada" type="node" address="02d5c1bf…" split="100"/>
</podcast:value>
"#,
    }
    LEGACY_PODCAST_NAMESPACE {
        code: "F310",
        name: "legacy-podcast-namespace",
        severity: Info,
        summary: "the `podcast:` prefix is bound to the older GitHub URI",
        why: "apps accept it, but the namespace's URI is now https://podcastindex.org/namespace/1.0",
        example: r#"
<rss version="2.0" xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md">
"#,
        fix: r#"
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
"#,
    }
    BAD_PSC {
        code: "F311",
        name: "bad-simple-chapters",
        severity: Error,
        summary: "`psc:chapter` without a `start` in Normal Play Time or without a `title`, or chapters out of time order",
        why: "apps that read Podlove Simple Chapters skip chapters they cannot place, and list them in the order given",
        example: r#"
<psc:chapters version="1.2">
  <psc:chapter start="00:05:00" title="Interview"/>
  <psc:chapter start="00:00:00" title="Intro"/>
</psc:chapters>
"#,
        fix: r#"
<psc:chapters version="1.2">
  <psc:chapter start="00:00:00" title="Intro"/>
  <psc:chapter start="00:05:00" title="Interview"/>
</psc:chapters>
"#,
    }
    BAD_MEDIUM {
        code: "F312",
        name: "bad-medium",
        severity: Warning,
        summary: "`podcast:medium`, or a `podcast:remoteItem`'s `medium`, is not one of the namespace's mediums",
        why: "apps use it to tell podcasts from music, audiobooks and video",
        example: r#"
<podcast:medium>radio</podcast:medium>
"#,
        fix: r#"
<podcast:medium>podcast</podcast:medium>
"#,
    }
    BAD_PODCAST_ATTRIBUTE {
        code: "F313",
        name: "bad-podcast-attribute",
        severity: Error,
        summary: "a Podcasting 2.0 tag without an attribute the namespace requires (`podcast:trailer url`, `podcast:soundbite startTime`, `podcast:alternateEnclosure type`, `podcast:podping usesPodping`…), or with one that is not the kind of value it specifies (seconds, `true` or `false`)",
        why: "apps cannot use the tag",
        example: r#"
<podcast:soundbite duration="30">The best minute</podcast:soundbite>
"#,
        fix: r#"
<podcast:soundbite startTime="120" duration="30">The best minute</podcast:soundbite>
"#,
    }
    BAD_VALUE_ATTRIBUTE {
        code: "F314",
        name: "bad-value-attribute",
        severity: Error,
        summary: "a value block's numbers and flags that wallets cannot use: a `split` that is not a number of shares (a decimal one is a warning), every split 0, `fee` not `true` or `false`, `customValue` without `customKey`, `suggested` not a decimal amount, a time split's times not seconds; an unknown recipient `type` or a `remotePercentage` outside 0–100 is a warning",
        why: "apps divide each payment by whole shares and send it to the recipients as the block says; a value they cannot read means nobody, or the wrong person, gets paid",
        example: r#"
<podcast:value type="lightning" method="keysend">
  <podcast:valueRecipient name="Ada" type="node" address="02d5c1bf…" split="50%"/>
</podcast:value>
"#,
        fix: r#"
<podcast:value type="lightning" method="keysend">
  <podcast:valueRecipient name="Ada" type="node" address="02d5c1bf…" split="50"/>
</podcast:value>
"#,
    }
    VALUE_TIME_SPLIT_OVERLAP {
        code: "F315",
        name: "value-time-split-overlap",
        severity: Warning,
        summary: "`podcast:valueTimeSplit`s of one value block whose times overlap, or one that starts after the episode ends",
        why: "an app plays one split at a time: where two overlap, which recipients are paid depends on the app, and a split past the end is never paid",
        example: r#"
<podcast:valueTimeSplit startTime="60" duration="300">…</podcast:valueTimeSplit>
<podcast:valueTimeSplit startTime="300" duration="120">…</podcast:valueTimeSplit>
"#,
        fix: r#"
<podcast:valueTimeSplit startTime="60" duration="240">…</podcast:valueTimeSplit>
<podcast:valueTimeSplit startTime="300" duration="120">…</podcast:valueTimeSplit>
"#,
    }
    BAD_TXT {
        code: "F316",
        name: "bad-txt",
        severity: Error,
        summary: "an empty `podcast:txt` (an error), or one longer than 4,000 characters or with a `purpose` longer than 128 (warnings)",
        why: "the text is the whole tag (a verification code, a flag); aggregators may cut what is longer than the namespace allows",
        example: r#"
<podcast:txt purpose="verify"></podcast:txt>
"#,
        fix: r#"
<podcast:txt purpose="verify">S6lpp-7ZCn8-dZfGc-OoyaG</podcast:txt>
"#,
    }
    BAD_REMOTE_ITEM {
        code: "F317",
        name: "bad-remote-item",
        severity: Error,
        summary: "a `podcast:remoteItem` without a UUID `feedGuid` or with an empty `itemGuid`; a `podcast:podroll` without remote items; a `podcast:publisher` without exactly one (whose `medium` should be `publisher`: a warning)",
        why: "apps find the other feed by its `podcast:guid`; a reference they cannot resolve shows nothing",
        example: r#"
<podcast:podroll>
  <podcast:remoteItem feedUrl="https://feeds.example.com/other.xml"/>
</podcast:podroll>
"#,
        fix: r#"
<podcast:podroll>
  <podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" feedUrl="https://feeds.example.com/other.xml"/>
</podcast:podroll>
"#,
    }
    BAD_UPDATE_FREQUENCY {
        code: "F318",
        name: "bad-update-frequency",
        severity: Error,
        summary: "`podcast:updateFrequency` with an `rrule` that is not an RFC 5545 recurrence rule, a `dtstart` that is not ISO 8601, or `complete` not `true` or `false`; no `rrule` on a show that is not complete, or text longer than 128 characters, is a warning",
        why: "apps show the schedule and expect episodes by it; a rule they cannot parse tells them nothing",
        example: r#"
<podcast:updateFrequency rrule="FREQ=FORTNIGHTLY">Every other week</podcast:updateFrequency>
"#,
        fix: r#"
<podcast:updateFrequency rrule="FREQ=WEEKLY;INTERVAL=2">Every other week</podcast:updateFrequency>
"#,
    }
    BAD_BLOCK {
        code: "F319",
        name: "bad-block",
        severity: Error,
        summary: "`podcast:block` that is not `yes` or `no` (an error), or whose `id` is not one of the namespace's service slugs or is given twice (warnings)",
        why: "platforms read it to decide whether they may list the show; a platform looks for its own slug and nothing else",
        example: r#"
<podcast:block id="Spotify">true</podcast:block>
"#,
        fix: r#"
<podcast:block id="spotify">yes</podcast:block>
"#,
    }
    BAD_SOCIAL_INTERACT {
        code: "F320",
        name: "bad-social-interact",
        severity: Error,
        summary: "`podcast:socialInteract` without a `protocol` of the namespace's list, without a `uri` (unless disabled), or with a `priority` that is not a whole number; `disabled` with other attributes is a warning",
        why: "apps load the comment thread by its protocol and root post; without them there is nothing to show",
        example: r#"
<podcast:socialInteract protocol="mastodon" uri="https://podcastindex.social/@dave/105079274766075912"/>
"#,
        fix: r#"
<podcast:socialInteract protocol="activitypub" uri="https://podcastindex.social/@dave/105079274766075912"/>
"#,
    }
    BAD_CHAT {
        code: "F321",
        name: "bad-chat",
        severity: Error,
        summary: "`podcast:chat` without a `server`, or without a `protocol` of the namespace's list (`irc`, `xmpp`, `nostr`, `matrix`)",
        why: "apps connect to the chat by server and protocol; without either they cannot",
        example: r##"
<podcast:chat server="irc.zeronode.net" protocol="IRC-chat" space="#myawesomepodcast"/>
"##,
        fix: r##"
<podcast:chat server="irc.zeronode.net" protocol="irc" space="#myawesomepodcast"/>
"##,
    }
    BAD_PODCAST_IMAGE {
        code: "F322",
        name: "bad-podcast-image",
        severity: Error,
        summary: "`podcast:image` without `href`, with an `aspect-ratio` that is not a CSS ratio (`16/9`) or a `width` or `height` that is not a whole number of pixels, or `podcast:images` with a `srcset` apps cannot read; a `type` that is not an image or video type, or a long `purpose`, is a warning, and a missing `alt` is information",
        why: "apps choose among images by these hints; a hint they cannot read makes them skip the image or lay it out wrongly",
        example: r#"
<podcast:image href="https://example.com/banner.jpg" aspect-ratio="16:9" width="2560px"/>
"#,
        fix: r#"
<podcast:image href="https://example.com/banner.jpg" alt="The show's hosts at the microphone" aspect-ratio="16/9" width="2560"/>
"#,
    }
    DEPRECATED_PODCAST_IMAGES {
        code: "F323",
        name: "deprecated-podcast-images",
        severity: Warning,
        summary: "`podcast:images` is deprecated",
        why: "the namespace replaced it with `podcast:image`, one tag per image with its purpose and size, and apps are moving to that",
        example: r#"
<podcast:images srcset="https://example.com/cover-3000.jpg 3000w, https://example.com/cover-600.jpg 600w"/>
"#,
        fix: r#"
<podcast:image href="https://example.com/cover-3000.jpg" width="3000" alt="The show's cover"/>
<podcast:image href="https://example.com/cover-600.jpg" width="600" alt="The show's cover"/>
"#,
    }
    BAD_CONTENT_LINK {
        code: "F324",
        name: "bad-content-link",
        severity: Error,
        summary: "`podcast:contentLink` without `href` (an error) or without text saying where it leads (a warning)",
        why: "it is the listener's way to the content when the app cannot play it: a link and a label are all it is",
        example: r#"
<podcast:contentLink>Watch on YouTube</podcast:contentLink>
"#,
        fix: r#"
<podcast:contentLink href="https://www.youtube.com/watch?v=example">Watch on YouTube</podcast:contentLink>
"#,
    }
    BAD_INTEGRITY {
        code: "F325",
        name: "bad-integrity",
        severity: Error,
        summary: "`podcast:integrity` whose `type` is not `sri` or `pgp-signature`, or whose `value` is not a valid SRI string (`sha256-`, `sha384-` or `sha512-` and the digest in base64) or a base64 signature",
        why: "apps that check the file against it reject every download when the value cannot be read",
        example: r#"
<podcast:integrity type="sri" value="sha384-ExVqijgYHm15PqQqdXfW95x"/>
"#,
        fix: r#"
<podcast:integrity type="sri" value="sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo"/>
"#,
    }
    BAD_LIVE_ITEM {
        code: "F326",
        name: "bad-live-item",
        severity: Error,
        summary: "`podcast:liveItem` without a `status` of `pending`, `live` or `ended`, without an ISO 8601 `start`, with an `end` before its start, without a `podcast:contentLink`, or with nothing to play; no `end` is a warning",
        why: "apps show and play a live stream by its status and times, and send listeners whose app cannot play it to the content link",
        example: r#"
<podcast:liveItem status="streaming" start="2021-09-26T07:30:00.000-0600">
"#,
        fix: r#"
<podcast:liveItem status="live" start="2021-09-26T07:30:00.000-0600" end="2021-09-26T09:30:00.000-0600">
"#,
    }
    MISPLACED_PODCAST_TAG {
        code: "F327",
        name: "misplaced-podcast-tag",
        severity: Warning,
        summary: "a Podcasting 2.0 tag where the namespace does not allow it (`podcast:podroll` in an item, `podcast:valueRecipient` outside `podcast:value`, `podcast:integrity` outside `podcast:alternateEnclosure`…)",
        why: "apps look for each tag only in its place: one anywhere else is ignored, so its value is lost",
        example: r#"
<item>
  <podcast:podroll>…</podcast:podroll>
</item>
"#,
        fix: r#"
<channel>
  <podcast:podroll>…</podcast:podroll>
</channel>
"#,
    }
    // F4xx: local media.
    LENGTH_MISMATCH {
        code: "F401",
        name: "length-mismatch",
        severity: Error,
        summary: "an enclosure `length` that is not the file's size in bytes",
        why: "apps use it for progress and resumed downloads; a wrong length breaks both",
        example: r#"
<!-- media/1.mp3 is 2,871,234 bytes -->
<enclosure url="https://nightshift.example/media/1.mp3" length="3000000" type="audio/mpeg"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/media/1.mp3" length="2871234" type="audio/mpeg"/>
"#,
    }
    TYPE_MISMATCH {
        code: "F402",
        name: "type-mismatch",
        severity: Error,
        summary: "an enclosure `type` that does not match the file's content",
        why: "apps refuse or misplay files that are not what the feed says",
        example: r#"
<!-- media/1.m4a holds AAC audio -->
<enclosure url="https://nightshift.example/media/1.m4a" length="2871234" type="audio/mpeg"/>
"#,
        fix: r#"
<enclosure url="https://nightshift.example/media/1.m4a" length="2871234" type="audio/x-m4a"/>
"#,
    }
    DURATION_MISMATCH {
        code: "F403",
        name: "duration-mismatch",
        severity: Error,
        summary: "`itunes:duration` more than a second away from the file's exact duration",
        why: "apps show, seek and resume by it",
        example: r#"
<!-- media/1.mp3 lasts 29:41 -->
<itunes:duration>1800</itunes:duration>
"#,
        fix: r#"
<itunes:duration>1781</itunes:duration>
"#,
    }
    LOCAL_FILE_MISSING {
        code: "F404",
        name: "local-file-missing",
        severity: Error,
        summary: "a file the feed points at (audio, artwork, chapters, transcript) is not in the media folder",
        why: "listeners would get a broken link",
        example: r#"
<!-- there is no media/cover.jpg -->
<itunes:image href="https://nightshift.example/media/cover.jpg"/>
"#,
    }
    LOCAL_IMAGE {
        code: "F405",
        name: "local-image",
        severity: Error,
        summary: "artwork that is not a square RGB JPEG or PNG of 1400–3000 pixels, or whose extension does not match its content",
        why: "Apple Podcasts rejects shows and episodes whose artwork breaks these rules",
        example: r#"
<!-- media/cover.jpg is a 600 × 600 PNG -->
<itunes:image href="https://nightshift.example/media/cover.jpg"/>
"#,
    }
    LOCAL_AUDIO_UNREADABLE {
        code: "F406",
        name: "local-audio-unreadable",
        severity: Error,
        summary: "an enclosure's file could not be probed (not audio, damaged)",
        why: "the episode would not play",
        example: r#"
<!-- media/1.mp3 is an HTML error page saved under that name -->
<enclosure url="https://nightshift.example/media/1.mp3" length="5120" type="audio/mpeg"/>
"#,
    }
    INTEGRITY_MISMATCH {
        code: "F407",
        name: "integrity-mismatch",
        severity: Error,
        summary: "a `podcast:integrity` SRI string that does not match the local file its `podcast:alternateEnclosure` names",
        why: "apps that check it take the download for a tampered file and refuse it: the file changed after the feed was built",
        example: r#"
<!-- media/1.mp3 was re-exported after the build -->
<podcast:integrity type="sri" value="sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo"/>
"#,
        fix: r#"
<!-- castkit build-feed --integrity: the SRI string of the file as it is now -->
<podcast:integrity type="sri" value="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"/>
"#,
    }

    // F5xx: a paged feed (RFC 5005 archived feeds), when a folder is validated.
    ARCHIVE_PAGE_MISSING {
        code: "F501",
        name: "archive-page-missing",
        severity: Error,
        summary: "a `prev-archive` link to a page that is not in the folder",
        why: "apps that follow archive links stop there, and the episodes of that page and every older one are lost to them",
        example: r#"
<!-- the folder has no feed-archive-2.xml -->
<atom:link href="https://nightshift.example/feed-archive-2.xml" rel="prev-archive" type="application/rss+xml"/>
"#,
    }
    ARCHIVE_LOOP {
        code: "F502",
        name: "archive-loop",
        severity: Error,
        summary: "the `prev-archive` links lead back to a page already read",
        why: "an app walking the archive never reaches the oldest episodes, or loops until it gives up",
        example: r#"
<!-- in feed-archive-1.xml -->
<atom:link href="https://nightshift.example/feed-archive-2.xml" rel="prev-archive" type="application/rss+xml"/>
"#,
    }
    NOT_AN_ARCHIVE {
        code: "F503",
        name: "not-an-archive",
        severity: Error,
        summary: "a page reached by `prev-archive` has no `fh:archive`",
        why: "RFC 5005 archive pages say so with `fh:archive`: without it apps treat the page as a feed that may change, and fetch it again",
        example: r#"
<channel><title>Night Shift</title>   <!-- no fh:archive -->
"#,
        fix: r#"
<rss version="2.0" xmlns:fh="http://purl.org/syndication/history/1.0" …>
<channel><fh:archive/><title>Night Shift</title>
"#,
    }
    ARCHIVE_CURRENT_MISMATCH {
        code: "F504",
        name: "archive-current-mismatch",
        severity: Error,
        summary: "an archive page without an `atom:link rel=\"current\"` to the feed's own URL",
        why: "the `current` link names the feed the page belongs to; a page naming another feed (or none) is not part of this one",
        example: r#"
<atom:link href="https://old-host.example/feed.xml" rel="current" type="application/rss+xml"/>
"#,
        fix: r#"
<atom:link href="https://nightshift.example/feed.xml" rel="current" type="application/rss+xml"/>
"#,
    }
    ARCHIVE_LINKS_MISMATCH {
        code: "F505",
        name: "archive-links-mismatch",
        severity: Error,
        summary: "`prev-archive` and `next-archive` links that do not point back at each other, or a page whose self link is not the URL it was reached by",
        why: "an app walking the archive from the oldest page forward would take another path than one walking back from the feed",
        example: r#"
<!-- feed-archive-2.xml says prev-archive is feed-archive-1.xml, but feed-archive-1.xml says: -->
<atom:link href="https://nightshift.example/feed-archive-3.xml" rel="next-archive" type="application/rss+xml"/>
"#,
    }
    GUID_IN_TWO_PAGES {
        code: "F506",
        name: "guid-in-two-pages",
        severity: Error,
        summary: "the same guid in two documents of a paged feed",
        why: "an episode belongs to one page: apps that read both list it twice, or keep whichever copy they read last",
        example: r#"
<!-- in feed.xml and again in feed-archive-3.xml -->
<guid isPermaLink="false">5a3f…</guid>
"#,
    }

    // F6xx: online: the feed's hosting (`castkit validate --online`, and a feed given as a URL).
    UNREACHABLE {
        code: "F601",
        name: "unreachable",
        severity: Error,
        summary: "a URL in the feed (enclosure, alternate source, image, chapters, transcript) that does not answer a `HEAD` and a `GET` of its first bytes: unknown host, failed connection or TLS, an error status, a redirect loop, no answer in time",
        why: "apps and directories check before they list an episode: Apple drops episodes whose host does not answer `HEAD` or byte-range requests, and listeners get an episode that never plays",
        example: r#"
<enclosure url="https://cdn.nightshift.example/ep1.mp3" length="5650889" type="audio/mpeg"/>
<!-- the server answers 404 Not Found -->
"#,
    }
    NO_BYTE_RANGES {
        code: "F602",
        name: "no-byte-ranges",
        severity: Error,
        summary: "an enclosure or alternate source whose server answers `Range: bytes=0-1` with the whole file (`200 OK`)",
        why: "podcast apps seek and resume with byte ranges, Spotify downloads in 10 MB ranges, and Apple drops episodes from hosts without range support (a tracking URL without it made Apple drop episodes)",
        example: r#"
<enclosure url="https://track.example/redirect/nightshift/ep1.mp3" length="5650889" type="audio/mpeg"/>
<!-- GET with Range: bytes=0-1 → 200 OK, the whole file, no Accept-Ranges -->
"#,
    }
    SERVED_LENGTH_MISMATCH {
        code: "F603",
        name: "served-length-mismatch",
        severity: Error,
        summary: "an enclosure whose `length` is not the length the server states (`Content-Length`, or the total of `Content-Range`)",
        why: "apps size progress bars and resume downloads by the feed's length; a wrong one breaks both, and Apple's app loops on 416 when a file is replaced at the same URL",
        example: r#"
<enclosure url="https://cdn.nightshift.example/ep1.mp3" length="5650000" type="audio/mpeg"/>
<!-- the server says Content-Length: 5650889 -->
"#,
        fix: r#"
<enclosure url="https://cdn.nightshift.example/ep1.mp3" length="5650889" type="audio/mpeg"/>
"#,
    }
    SERVED_TYPE_WRONG {
        code: "F604",
        name: "served-type-wrong",
        severity: Error,
        summary: "a URL served with a `Content-Type` that is not what the feed points at: a web page (`text/html`) for an episode, an image or chapters",
        why: "it is nearly always an error page, a login wall or a landing page served with 200; apps cannot play or show it",
        example: r#"
<enclosure url="https://nightshift.example/episodes/1" length="5650889" type="audio/mpeg"/>
<!-- the server answers Content-Type: text/html -->
"#,
    }
    MANY_REDIRECTS {
        code: "F605",
        name: "many-redirects",
        severity: Warning,
        summary: "a URL that reaches its file after more than 5 redirects",
        why: "every hop costs a round trip before playback starts, and some apps give up after a few (tracking prefixes stack up: podtrac, chartable, the host's CDN)",
        example: r#"
<enclosure url="https://a.example/b.example/c.example/d.example/e.example/cdn.example/ep1.mp3" length="5650889" type="audio/mpeg"/>
"#,
    }
    REDIRECT_TO_HTTP {
        code: "F606",
        name: "redirect-to-http",
        severity: Warning,
        summary: "an https:// URL in the feed whose redirects end at plain `http://` (an `http://` URL in the feed itself is F121)",
        why: "apps on iOS and Android refuse or warn about cleartext downloads, and a network in between can change the file; the feed's https:// promises what the host does not keep",
        example: r#"
<enclosure url="https://track.example/nightshift/ep1.mp3" length="5650889" type="audio/mpeg"/>
<!-- redirected (302) to http://cdn.nightshift.example/ep1.mp3 -->
"#,
    }
    SLOW_FIRST_BYTE {
        code: "F607",
        name: "slow-first-byte",
        severity: Warning,
        summary: "a URL whose server took more than 3 seconds (or half of `--timeout`, if shorter) to start answering",
        why: "playback waits for the first byte; directories that check hosting time out on slow servers",
        example: r#"
<enclosure url="https://slow.example/ep1.mp3" length="5650889" type="audio/mpeg"/>
<!-- the first byte of the answer comes after 8 s -->
"#,
    }
    SELF_LINK_NOT_FINAL_URL {
        code: "F608",
        name: "self-link-not-final-url",
        severity: Warning,
        summary: "a feed fetched from a URL whose `atom:link rel=\"self\"` names another URL than the one it was served from (after redirects)",
        why: "apps and directories subscribe to the self link: a feed that moved without updating it sends new subscribers to the old address",
        example: r#"
<!-- fetched from https://nightshift.example/feed.xml, redirected to https://feeds.example/nightshift.xml -->
<atom:link href="https://nightshift.example/old-feed.xml" rel="self" type="application/rss+xml"/>
"#,
    }
}
