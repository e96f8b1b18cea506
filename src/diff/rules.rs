//! The kinds of change `castkit diff` reports (`D…`): D0xx an episode, D1xx the show. Codes are stable.
//!
//! Each kind has a class, carried as its severity: **breaking** (error: apps lose or duplicate episodes, or
//! lose subscribers; `diff` exits 1 and `build-feed --against` refuses the release), **notable** (warning:
//! listeners see a difference) and **cosmetic** (info). The `why` of each rule says what apps do.

use crate::diag::rules;

rules! {
    // D0xx: episodes, matched by guid, then by enclosure URL, then by title and date.
    EPISODE_ADDED {
        code: "D001",
        name: "episode-added",
        severity: Info,
        summary: "an episode in the new feed that the old one does not have (cosmetic)",
        why: "this is what a release is for; listed so a release says what it adds",
        example: r#"
old: (no item with <guid>c0ffee</guid>)
new: <item><title>Episode 12</title><guid isPermaLink="false">c0ffee</guid>…</item>
"#,
    }
    EPISODE_REMOVED {
        code: "D002",
        name: "episode-removed",
        severity: Error,
        summary: "an episode of the old feed that the new one no longer has, under any guid, enclosure URL or title and date (breaking)",
        why: "apps delete it from listeners' queues and downloads, and the Podcast Index and Apple drop it; only allow it (`--allow D002`) when it is meant to go",
        example: r#"
old: <item><title>Episode 3</title><guid>3f1a…</guid>…</item>
new: (no such item)
"#,
    }
    GUID_CHANGED {
        code: "D003",
        name: "guid-changed",
        severity: Error,
        summary: "the same episode (same enclosure URL, or same title and date) under a new guid (breaking)",
        why: "apps key episodes on the guid: under a new one, every subscriber's app downloads it again as a new episode and shows it twice (AntennaPod#3275); Apple says a guid never changes. An episode that had no guid and now has its enclosure URL as one is notable only: that URL is the id apps fell back to",
        example: r#"
old: <guid isPermaLink="false">3f1a9c</guid>
new: <guid isPermaLink="false">https://example.com/ep3</guid>
"#,
        fix: r#"
new: <guid isPermaLink="false">3f1a9c</guid>   (the old guid, kept for ever)
"#,
    }
    ENCLOSURE_URL_CHANGED {
        code: "D004",
        name: "enclosure-url-changed",
        severity: Error,
        summary: "an episode whose enclosure URL changed while its guid stayed (breaking)",
        why: "apps that follow Apple key on the guid and play the new URL, but apps that key episodes by URL download it again (castget#67), and anyone with an older copy of the feed fetches the old URL; a wrong media base URL breaks every download. Allow it (`--allow D004`) when the host moved on purpose and the old URLs redirect",
        example: r#"
old: <enclosure url="https://media.example.com/ep3.mp3" …/>
new: <enclosure url="https://cdn.example.net/ep3.mp3" …/>
"#,
    }
    ENCLOSURE_LENGTH_CHANGED {
        code: "D005",
        name: "enclosure-length-changed",
        severity: Warning,
        summary: "an episode's enclosure `length` changed: the audio file was replaced or re-tagged (notable)",
        why: "apps that downloaded the old file keep it; some compare the length and download the episode again",
        example: r#"
old: <enclosure url="…/ep3.mp3" length="31457280" type="audio/mpeg"/>
new: <enclosure url="…/ep3.mp3" length="31461376" type="audio/mpeg"/>
"#,
    }
    ENCLOSURE_TYPE_CHANGED {
        code: "D006",
        name: "enclosure-type-changed",
        severity: Warning,
        summary: "an episode's enclosure `type` changed (notable)",
        why: "apps choose how to play a file by its type; a new type usually means a new file format that some apps cannot play",
        example: r#"
old: <enclosure … type="audio/mpeg"/>
new: <enclosure … type="audio/x-m4a"/>
"#,
    }
    DATE_CHANGED {
        code: "D007",
        name: "date-changed",
        severity: Warning,
        summary: "an episode's `pubDate` changed (notable)",
        why: "apps sort by date: an old episode dated today jumps to the top of every list, and some apps notify again",
        example: r#"
old: <pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate>
new: <pubDate>Fri, 29 Nov 2024 09:00:00 GMT</pubDate>
"#,
    }
    TITLE_CHANGED {
        code: "D008",
        name: "title-changed",
        severity: Warning,
        summary: "an episode's `<title>` changed (notable)",
        why: "listeners find episodes by title; a renamed episode looks new to them, though apps keep it as the same one",
        example: r#"
old: <title>Episode 3: Rivers</title>
new: <title>Rivers</title>
"#,
    }
    DURATION_CHANGED {
        code: "D009",
        name: "duration-changed",
        severity: Warning,
        summary: "an episode's `itunes:duration` changed by a second or more (notable)",
        why: "a different length usually means different audio; apps show the stated length until they have the file",
        example: r#"
old: <itunes:duration>1801</itunes:duration>
new: <itunes:duration>1744</itunes:duration>
"#,
    }
    NUMBERING_CHANGED {
        code: "D010",
        name: "numbering-changed",
        severity: Warning,
        summary: "an episode's `itunes:season` or `itunes:episode` changed (notable)",
        why: "apps group and order episodes by season and number; serial shows are played in that order",
        example: r#"
old: <itunes:episode>4</itunes:episode>
new: <itunes:episode>5</itunes:episode>
"#,
    }
    EXPLICIT_CHANGED {
        code: "D011",
        name: "explicit-changed",
        severity: Warning,
        summary: "an episode's `itunes:explicit` changed (notable)",
        why: "apps hide explicit episodes from listeners who asked for clean content, and Apple marks them",
        example: r#"
old: <itunes:explicit>false</itunes:explicit>
new: <itunes:explicit>true</itunes:explicit>
"#,
    }
    EPISODE_ARCHIVED {
        code: "D012",
        name: "episode-archived",
        severity: Warning,
        summary: "an episode of the old feed that the new release keeps in an archive page (RFC 5005) instead of the feed (notable)",
        why: "apps that follow archive links (AntennaPod, gPodder) still find it, but Apple Podcasts and other apps that read only the feed no longer list it",
        example: r#"
old: feed.xml has <item><guid>3f1a…</guid>…</item>
new: feed.xml links to feed-archive-2.xml with rel="prev-archive", which has it
"#,
    }

    // D1xx: the show.
    FEED_MOVED {
        code: "D101",
        name: "feed-moved",
        severity: Error,
        summary: "the feed's own URL (`atom:link rel=\"self\"`) changed: breaking unless the old feed announces the new URL with `itunes:new-feed-url` (then notable)",
        why: "subscribers keep fetching the old URL: without `itunes:new-feed-url` there and a 301 redirect, they never see another episode",
        example: r#"
old: <atom:link rel="self" href="https://old.example.com/feed.xml"/>   (no itunes:new-feed-url)
new: <atom:link rel="self" href="https://new.example.com/feed.xml"/>
"#,
        fix: r#"
old: <itunes:new-feed-url>https://new.example.com/feed.xml</itunes:new-feed-url>
     and the old URL answers 301 → https://new.example.com/feed.xml
"#,
    }
    PODCAST_GUID_CHANGED {
        code: "D102",
        name: "podcast-guid-changed",
        severity: Error,
        summary: "the show's `podcast:guid` changed (breaking)",
        why: "the Podcast Index and the apps that use it know the show by this guid; a new one makes it a different show, and a moved feed must keep it",
        example: r#"
old: <podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>
new: <podcast:guid>3b7c1f56-0a47-5e2c-9a2e-0d9c4a1e7d10</podcast:guid>
"#,
    }
    NEW_FEED_URL_CHANGED {
        code: "D103",
        name: "new-feed-url-changed",
        severity: Error,
        summary: "`itunes:new-feed-url` appeared or now points elsewhere than the feed's own URL (breaking), or was removed (notable)",
        why: "Apple and other apps move every subscriber to that URL for good; a wrong one loses the audience. Allow it (`--allow D103`) when the move is intended",
        example: r#"
old: (no itunes:new-feed-url)
new: <itunes:new-feed-url>https://new.example.com/feed.xml</itunes:new-feed-url>
"#,
    }
    SHOW_TITLE_CHANGED {
        code: "D104",
        name: "show-title-changed",
        severity: Warning,
        summary: "the show's `<title>` changed (notable)",
        why: "it is the show's name in every app and directory; listeners search by it",
        example: r#"
old: <title>How China Works</title>
new: <title>How China Works – Charting the Future</title>
"#,
    }
    AUTHOR_CHANGED {
        code: "D105",
        name: "author-changed",
        severity: Info,
        summary: "the show's `itunes:author` changed (cosmetic)",
        why: "apps show it under the title; nothing else depends on it",
        example: r#"
old: <itunes:author>CGTN</itunes:author>
new: <itunes:author>CGTN Radio</itunes:author>
"#,
    }
    OWNER_CHANGED {
        code: "D106",
        name: "owner-changed",
        severity: Info,
        summary: "the show's `itunes:owner` name or e-mail changed (cosmetic)",
        why: "directories send ownership checks to this address; make sure the new one is read",
        example: r#"
old: <itunes:owner><itunes:email>old@example.com</itunes:email></itunes:owner>
new: <itunes:owner><itunes:email>new@example.com</itunes:email></itunes:owner>
"#,
    }
    CATEGORIES_CHANGED {
        code: "D107",
        name: "categories-changed",
        severity: Info,
        summary: "the show's `itunes:category` list changed (cosmetic)",
        why: "it moves the show between the directories' category lists",
        example: r#"
old: <itunes:category text="News"/>
new: <itunes:category text="Society &amp; Culture"/>
"#,
    }
    SHOW_EXPLICIT_CHANGED {
        code: "D108",
        name: "show-explicit-changed",
        severity: Warning,
        summary: "the show's `itunes:explicit` changed (notable)",
        why: "apps and directories hide explicit shows from listeners who asked for clean content",
        example: r#"
old: <itunes:explicit>false</itunes:explicit>
new: <itunes:explicit>true</itunes:explicit>
"#,
    }
    LANGUAGE_CHANGED {
        code: "D109",
        name: "language-changed",
        severity: Warning,
        summary: "the show's `<language>` changed (notable)",
        why: "directories list shows by language; a wrong one hides the show from its listeners",
        example: r#"
old: <language>en</language>
new: <language>zh-cn</language>
"#,
    }
    IMAGE_CHANGED {
        code: "D110",
        name: "image-changed",
        severity: Info,
        summary: "the show's artwork URL (`itunes:image`) changed (cosmetic)",
        why: "apps show the new cover once they fetch it again, which can take days",
        example: r#"
old: <itunes:image href="https://example.com/cover.jpg"/>
new: <itunes:image href="https://example.com/cover-2024.jpg"/>
"#,
    }
    LOCKED_CHANGED {
        code: "D111",
        name: "locked-changed",
        severity: Warning,
        summary: "`podcast:locked` changed (notable)",
        why: "`yes` tells hosting platforms not to import the feed: unlocking lets anyone move the show to another host",
        example: r#"
old: <podcast:locked>yes</podcast:locked>
new: <podcast:locked>no</podcast:locked>
"#,
    }
    BLOCK_CHANGED {
        code: "D112",
        name: "block-changed",
        severity: Error,
        summary: "`itunes:block` was set to `Yes` (breaking), or unset (notable)",
        why: "`Yes` removes the show from Apple Podcasts, and its listeners there with it",
        example: r#"
old: (no itunes:block)
new: <itunes:block>Yes</itunes:block>
"#,
    }
    COMPLETE_CHANGED {
        code: "D113",
        name: "complete-changed",
        severity: Error,
        summary: "`itunes:complete` was set to `Yes` (breaking), or unset (notable)",
        why: "`Yes` tells Apple that no episode will ever come again: it stops checking the feed for new ones",
        example: r#"
old: (no itunes:complete)
new: <itunes:complete>Yes</itunes:complete>
"#,
    }
}
