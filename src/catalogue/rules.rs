//! The catalogue's diagnostic codes (`C…`). Codes are stable: a retired rule's code is never reused.
//!
//! Each rule is declared with everything `castkit validate --explain` shows: what it checks, why it matters,
//! and a few lines of `episodes.toml` that break it (with the fix, where it is short).

use crate::diag::rules;

rules! {
    SYNTAX {
        code: "C001",
        name: "toml-syntax",
        severity: Error,
        summary: "the catalogue is not valid TOML",
        why: "nothing else can be checked until the file parses",
        example: r#"
[show]
title = "Night Shift
"#,
        fix: r#"
[show]
title = "Night Shift"
"#,
    }
    UNKNOWN_FIELD {
        code: "C002",
        name: "unknown-field",
        severity: Error,
        summary: "a field castkit does not know, usually a typo",
        why: "a misspelt field is silently ignored by most tools, so its value never reaches the feed",
        example: r#"
[show]
titel = "Night Shift"
"#,
        fix: r#"
[show]
title = "Night Shift"
"#,
    }
    WRONG_TYPE {
        code: "C003",
        name: "wrong-type",
        severity: Error,
        summary: "a field has the wrong type (a string where a number or date is expected, …)",
        why: "the value cannot be used as written",
        example: r#"
[[episode]]
season = "2"
"#,
        fix: r#"
[[episode]]
season = 2
"#,
    }
    MISSING_FIELD {
        code: "C004",
        name: "missing-field",
        severity: Error,
        summary: "a required field is absent or empty",
        why: "Apple Podcasts rejects feeds without their required tags",
        example: r#"
[show]
title = "Night Shift"
# no `description`, `link`, `language`, …
"#,
    }
    INVALID_VALUE {
        code: "C005",
        name: "invalid-value",
        severity: Error,
        summary: "a value outside what the field accepts (episode type, show type, medium, numbers)",
        why: "podcast apps ignore or reject values outside the specification's lists",
        example: r#"
[[episode]]
type = "teaser"
"#,
        fix: r#"
[[episode]]
type = "trailer"
"#,
    }
    UNKNOWN_CATEGORY {
        code: "C006",
        name: "unknown-category",
        severity: Error,
        summary: "a category that is not on Apple's list, spelt exactly",
        why: "Apple matches categories exactly, case included; a near miss leaves the show uncategorised",
        example: r#"
[show]
categories = ["Technolgy"]
"#,
        fix: r#"
[show]
categories = ["Technology"]
"#,
    }
    INVALID_URL {
        code: "C007",
        name: "invalid-url",
        severity: Error,
        summary: "a URL that does not parse, is not absolute, or is not http(s)",
        why: "apps cannot follow it, and directories reject feeds whose links do not resolve",
        example: r#"
[show]
link = "www.nightshift.example"
"#,
        fix: r#"
[show]
link = "https://www.nightshift.example/"
"#,
    }
    INVALID_EMAIL {
        code: "C008",
        name: "invalid-email",
        severity: Error,
        summary: "an email address that is not of the form `name@domain.tld`",
        why: "directories use the owner's address to verify and contact the show",
        example: r#"
[show]
owner = { name = "Ada", email = "ada at example.com" }
"#,
        fix: r#"
[show]
owner = { name = "Ada", email = "ada@example.com" }
"#,
    }
    MEDIA_NOT_FOUND {
        code: "C009",
        name: "media-not-found",
        severity: Error,
        summary: "an audio or image file named by the catalogue does not exist",
        why: "the feed would point at a file that is not there, and the episode would not play",
        example: r#"
[[episode]]
audio = "media/pilot.mp3"   # no such file
"#,
    }
    OUTSIDE_MEDIA_DIR {
        code: "C010",
        name: "outside-media-dir",
        severity: Error,
        summary: "a media file outside the media folder, so it has no public URL",
        why: "enclosure URLs are the media base URL plus the path below the media folder",
        example: r#"
[[episode]]
audio = "../recordings/pilot.mp3"   # media_dir is "media"
"#,
        fix: r#"
[[episode]]
audio = "media/pilot.mp3"
"#,
    }
    DUPLICATE_GUID {
        code: "C011",
        name: "duplicate-guid",
        severity: Error,
        summary: "two episodes share a guid",
        why: "Apple Podcasts does not process episodes with a duplicate guid, and apps merge them into one",
        example: r#"
[[episode]]
title = "Pilot"
guid = "ns-001"

[[episode]]
title = "Second"
guid = "ns-001"
"#,
    }
    DUPLICATE_EPISODE_NUMBER {
        code: "C012",
        name: "duplicate-episode-number",
        severity: Error,
        summary: "two episodes have the same season and episode number",
        why: "apps sort and display by these numbers; a duplicate hides one of the episodes in serial shows",
        example: r#"
[[episode]]
title = "Pilot"
season = 1
number = 1

[[episode]]
title = "Second"
season = 1
number = 1
"#,
    }
    DATE_WITHOUT_ZONE {
        code: "C013",
        name: "date-without-zone",
        severity: Error,
        summary: "a publication date without a time zone, and no `timezone` in `[show]` to supply one",
        why: "the same wall-clock time is a different moment in every zone; apps would show the wrong day",
        example: r#"
[[episode]]
published = 2024-03-01T09:00:00   # and no `timezone` in [show]
"#,
        fix: r#"
[[episode]]
published = 2024-03-01T09:00:00+01:00
"#,
    }
    INVALID_TIMEZONE {
        code: "C014",
        name: "invalid-timezone",
        severity: Error,
        summary: "a `timezone` that is not an IANA zone name, or a local time that does not exist in it",
        why: "dates without an offset are interpreted in this zone",
        example: r#"
[show]
timezone = "Europe/Amsterdm"
"#,
        fix: r#"
[show]
timezone = "Europe/Amsterdam"
"#,
    }
    INVALID_LANGUAGE {
        code: "C015",
        name: "invalid-language",
        severity: Error,
        summary: "a language that is not an ISO 639 code with optional region (`en`, `en-us`, `zh-cn`)",
        why: "Apple Podcasts rejects feeds whose language tag it cannot read",
        example: r#"
[show]
language = "english"
"#,
        fix: r#"
[show]
language = "en"
"#,
    }
    UNKNOWN_PERSON_ROLE {
        code: "C016",
        name: "unknown-person-role",
        severity: Error,
        summary: "a person's role or group that is not in the Podcast Taxonomy used by `podcast:person`",
        why: "apps map roles to credits; an unknown role is dropped or shown as a host",
        example: r#"
[[episode.person]]
name = "Ada"
role = "presenter"
"#,
        fix: r#"
[[episode.person]]
name = "Ada"
role = "host"
"#,
    }
    IMAGE_REQUIREMENTS {
        code: "C017",
        name: "image-requirements",
        severity: Error,
        summary: "cover art that is not a square JPEG or PNG of 1400 to 3000 pixels, or whose extension does not match its content",
        why: "Apple Podcasts rejects shows whose artwork does not meet these rules",
        example: r#"
[show]
image = "media/cover.jpg"   # 600 × 600 pixels
"#,
    }
    MISSING_GUID {
        code: "C018",
        name: "missing-guid",
        severity: Error,
        summary: "an episode without a guid under `--locked`, where castkit may not write one into the catalogue",
        why: "a guid must be assigned once and then never change; CI must not invent one on each run",
        example: r#"
# castkit build-feed --locked
[[episode]]
title = "Pilot"
audio = "media/pilot.mp3"
published = 2024-03-01T09:00:00Z
# no `guid`: run castkit once without --locked to assign one, and commit it
"#,
    }
    INVALID_GUID {
        code: "C019",
        name: "invalid-guid",
        severity: Error,
        summary: "a guid that is blank, has surrounding spaces or control characters",
        why: "apps compare guids byte for byte; invisible differences make duplicates",
        example: r#"
[[episode]]
guid = " ns-001 "
"#,
        fix: r#"
[[episode]]
guid = "ns-001"
"#,
    }
    AUDIO_UNREADABLE {
        code: "C020",
        name: "audio-unreadable",
        severity: Error,
        summary: "an audio file that could not be probed (not audio, damaged, unreadable)",
        why: "the feed must state the file's exact length and duration, which only a successful probe gives",
        example: r#"
[[episode]]
audio = "media/pilot.mp3"   # a text file renamed to .mp3
"#,
    }
    DUPLICATE_AUDIO {
        code: "C021",
        name: "duplicate-audio",
        severity: Error,
        summary: "two episodes use the same audio file",
        why: "Apple Podcasts ignores duplicate enclosure URLs",
        example: r#"
[[episode]]
title = "Pilot"
audio = "media/pilot.mp3"

[[episode]]
title = "Second"
audio = "media/pilot.mp3"
"#,
    }
    TEXT_TOO_LONG {
        code: "C022",
        name: "text-too-long",
        severity: Warning,
        summary: "a description longer than Apple's 4000-byte limit, which castkit truncates in the feed",
        why: "Apple truncates or rejects longer descriptions",
        example: r#"
[[episode]]
notes = """
… more than 4000 bytes of notes …
"""
"#,
    }
    CONTROL_CHARACTERS {
        code: "C023",
        name: "control-characters",
        severity: Warning,
        summary: "text containing characters XML 1.0 forbids, which castkit removes from the feed",
        why: "a single such character makes the whole feed unreadable to strict XML parsers",
        example: r#"
[[episode]]
title = "Pilot\u0007"
"#,
        fix: r#"
[[episode]]
title = "Pilot"
"#,
    }
    NO_EPISODES {
        code: "C024",
        name: "no-episodes",
        severity: Warning,
        summary: "the feed would have no episodes (all are drafts, held back, or none are listed)",
        why: "Apple Podcasts does not accept a show without at least one episode",
        example: r#"
[[episode]]
title = "Pilot"
draft = true
# and no other episode
"#,
    }
    INSECURE_URL {
        code: "C025",
        name: "insecure-url",
        severity: Warning,
        summary: "an `http:` URL where `https:` is expected",
        why: "the Podcasting 2.0 namespace requires https, and many apps refuse mixed content",
        example: r#"
[show]
media_base_url = "http://nightshift.example/media/"
"#,
        fix: r#"
[show]
media_base_url = "https://nightshift.example/media/"
"#,
    }
    HELD_BACK {
        code: "C026",
        name: "held-back",
        severity: Info,
        summary: "an episode left out of the feed: a draft, or dated in the future",
        why: "so that nothing is left out silently",
        example: r#"
[[episode]]
title = "Next week"
published = 2999-01-01T09:00:00Z
"#,
    }
    AUDIO_WARNING {
        code: "C027",
        name: "audio-warning",
        severity: Warning,
        summary: "the audio file probed, but something in it is wrong (junk between frames, a truncated last frame, a header that disagrees with the audio)",
        why: "players may stop early, seek wrongly or show the wrong length",
        example: r#"
[[episode]]
audio = "media/pilot.mp3"   # ends in a truncated MPEG frame
"#,
    }
    CHAPTER_PROBLEM {
        code: "C028",
        name: "chapters",
        severity: Error,
        summary: "chapters that do not start at 0, are not in increasing order, have an empty title, start after the audio ends, or cannot be read",
        why: "apps show a broken table of contents or skip to the wrong place",
        example: r#"
[[episode.chapter]]
start = "00:30"
title = "Intro"
"#,
        fix: r#"
[[episode.chapter]]
start = "00:00"
title = "Intro"
"#,
    }
    TRANSCRIPT_PROBLEM {
        code: "C029",
        name: "transcript",
        severity: Error,
        summary: "a transcript whose content is not the format its extension names, or whose cues run past the end of the audio",
        why: "apps show captions out of step with the audio, or none at all",
        example: r#"
[[episode.transcript]]
file = "media/pilot.vtt"   # holds SRT, not WebVTT
"#,
        fix: r#"
[[episode.transcript]]
file = "media/pilot.srt"
"#,
    }
    SOUNDBITE_PROBLEM {
        code: "C030",
        name: "soundbite",
        severity: Error,
        summary: "a soundbite that runs past the end of the audio or has no length",
        why: "apps play the clip as a preview; it must be inside the episode",
        example: r#"
[[episode.soundbite]]
start = "59:30"
duration = 60   # the audio is 1 hour long
"#,
    }
    SOUNDBITE_LENGTH {
        code: "C031",
        name: "soundbite-length",
        severity: Info,
        summary: "a soundbite shorter than 15 or longer than 120 seconds, the namespace's recommended range",
        why: "directories may not use clips outside that range as previews",
        example: r#"
[[episode.soundbite]]
start = "01:00"
duration = 5
"#,
        fix: r#"
[[episode.soundbite]]
start = "01:00"
duration = 30
"#,
    }
    CHAPTERS_FROM_NOTES {
        code: "C032",
        name: "chapters-from-notes",
        severity: Info,
        summary: "chapters taken from a `00:00 Title` list in the show notes",
        why: "so that the producer knows where the chapters came from",
        example: r#"
[[episode]]
notes = """
00:00 Intro
04:10 The interview
31:45 Listener mail
"""
"#,
    }
    TAG_FAILED {
        code: "C033",
        name: "tag-failed",
        severity: Error,
        summary: "an MP3's ID3 tag could not be written (a damaged existing tag, a file changed meanwhile, a failed write)",
        why: "the file keeps its old tag, so it would disagree with the feed; the file itself is left intact",
        example: r#"
[[episode]]
audio = "media/pilot.mp3"   # read-only, or its ID3 tag is damaged
"#,
    }
    NO_NOTES {
        code: "C034",
        name: "no-notes",
        severity: Info,
        summary: "an episode without `notes`: its feed description is its title",
        why: "Apple recommends a description for every episode, and apps show a missing one as a blank page",
        example: r#"
[[episode]]
title = "Pilot"
audio = "media/pilot.mp3"
published = 2024-03-01T09:00:00Z
"#,
        fix: r#"
[[episode]]
title = "Pilot"
audio = "media/pilot.mp3"
published = 2024-03-01T09:00:00Z
notes = "How the night shift began."
"#,
    }
    STATED_AUDIO_DIFFERS {
        code: "C035",
        name: "stated-audio-differs",
        severity: Warning,
        summary: "a local audio file differs from the length, type or duration the catalogue states for it",
        why: "the stated values describe the published enclosure (an imported show's); a file that differs is another cut or was changed since, and the feed carries what the file measures",
        example: r#"
[[episode]]
audio = "media/pilot.mp3"    # 31,210,044 bytes
audio_length = 30118400
"#,
        fix: r#"
[[episode]]
audio = "media/pilot.mp3"
"#,
    }
    ARCHIVE_PAGE_CHANGED {
        code: "C036",
        name: "archive-page-changed",
        severity: Warning,
        summary: "a full archive page already in the output folder would hold other episodes after this build",
        why: "archive pages (RFC 5005) promise not to change, and apps that keep pages they have read do not fetch them again: an episode moved between pages may be missed or listed twice",
        example: r#"
[build]
max_items = 50     # was 100: every page is cut again
"#,
    }
    VALUE_SPLIT {
        code: "C037",
        name: "value-split",
        severity: Warning,
        summary: "a value block whose splits make no sense: fees over 100 %, nobody paid but the fees, fees over half of every payment, a recipient with no share or listed twice, time splits that overlap",
        why: "apps take each fee's split as a percentage off the top and divide the rest by the other recipients' shares: a slip here sends listeners' money to the wrong place or nowhere",
        example: r#"
[[show.value.recipient]]
name = "Host"
address = "alice@getalby.com"
split = 100
[[show.value.recipient]]
name = "Hosting company"
address = "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a"
split = 95     # a fee's split is a percentage: 95 % off every payment
fee = true
"#,
        fix: r#"
[[show.value.recipient]]
name = "Host"
address = "alice@getalby.com"
split = 100
[[show.value.recipient]]
name = "Hosting company"
address = "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a"
split = 5
fee = true
"#,
    }
    IMAGE_WITHOUT_ALT {
        code: "C038",
        name: "image-without-alt",
        severity: Warning,
        summary: "extra artwork (`[[show.artwork]]`, `[[episode.artwork]]`) without `alt` text",
        why: "apps read `alt` aloud to listeners who cannot see the image; the namespace recommends it for every `podcast:image`",
        example: r#"
[[show.artwork]]
file = "media/banner.jpg"
purpose = "banner"
"#,
        fix: r#"
[[show.artwork]]
file = "media/banner.jpg"
purpose = "banner"
alt = "The host at a microphone under the Beijing skyline"
"#,
    }
    LIVE_STATUS_STALE {
        code: "C039",
        name: "live-status-stale",
        severity: Warning,
        summary: "a live stream still `pending` after its start, or still `live` after its end (12 hours after its start when it has no end)",
        why: "apps show a pending stream as coming and a live one as on air: a status left behind sends listeners to a stream that is not there",
        example: r#"
[episode.live]
status = "pending"
start = 2024-05-01T19:00:00+08:00   # a week ago
"#,
        fix: r#"
[episode.live]
status = "ended"
start = 2024-05-01T19:00:00+08:00
"#,
    }
    RECOMMENDED_FIELD_MISSING {
        code: "C040",
        name: "recommended-field-missing",
        severity: Warning,
        summary: "a field the Podcasting 2.0 namespace recommends is missing: a live stream's `end`, a release schedule's `rrule` (unless the show is `complete`)",
        why: "apps use them to show when a stream ends and when the next episode comes; without them they guess or show nothing",
        example: r#"
[show.update_frequency]
text = "Weekly"
"#,
        fix: r#"
[show.update_frequency]
text = "Weekly"
rrule = "FREQ=WEEKLY;BYDAY=MO"
"#,
    }
    APPLE_IGNORES_PODCAST_BLOCK {
        code: "C041",
        name: "apple-ignores-podcast-block",
        severity: Warning,
        summary: "`block_platforms` blocks Apple, but the show does not set `block`: Apple Podcasts reads only `itunes:block`",
        why: "castkit does not add `itunes:block` on its own (a show moved in would lose its Apple listing), so the show stays listed on Apple whatever `podcast:block` says",
        example: r#"
[show]
block_platforms = ["apple"]
"#,
        fix: r#"
[show]
block_platforms = ["apple"]
block = true
"#,
    }
    BAD_SLUG {
        code: "C042",
        name: "bad-slug",
        severity: Error,
        summary: "an episode's `slug` has characters outside `a-z`, `0-9` and `-` (or is empty, starts or ends with `-`, has `--`)",
        why: "the slug is the last part of the episode page's URL (`episodes/<slug>/`): other characters must be escaped in a URL and read differently on every system",
        example: r#"
[[episode]]
slug = "Rural Revitalization!"
"#,
        fix: r#"
[[episode]]
slug = "rural-revitalization"
"#,
    }
    DUPLICATE_SLUG {
        code: "C043",
        name: "duplicate-slug",
        severity: Error,
        summary: "two episodes have the same `slug`",
        why: "each episode's page is `episodes/<slug>/`: two episodes with one slug would write one page over the other",
        example: r#"
[[episode]]
title = "Rural revitalization"
slug = "rural-revitalization"

[[episode]]
title = "Rural revitalization, part 2"
slug = "rural-revitalization"
"#,
        fix: r#"
[[episode]]
title = "Rural revitalization"
slug = "rural-revitalization"

[[episode]]
title = "Rural revitalization, part 2"
slug = "rural-revitalization-part-2"
"#,
    }
    SLUG_NOT_SAVED {
        code: "C044",
        name: "slug-not-saved",
        severity: Warning,
        summary: "`--locked`: an episode on the website has no `slug`, so its page's URL comes from its title and is not saved",
        why: "a page's URL must never change once published, like a guid; derived from the title without being saved, it changes when the title does",
        example: r#"
[[episode]]
title = "What are the goals of rural revitalization?"
# no `slug`, built with `--locked`
"#,
        fix: r#"
[[episode]]
title = "What are the goals of rural revitalization?"
slug = "what-are-the-goals-of-rural-revitalization"   # written by `castkit build-feed` without `--locked`
"#,
    }
    LOUDNESS_OFF_TARGET {
        code: "C045",
        name: "loudness-off-target",
        severity: Warning,
        summary: "an episode's integrated loudness (EBU R128) is outside the show's target (`loudness`, or −16 ± 1 LUFS with `build-feed --loudness`)",
        why: "directories normalise what they play (Apple to about −16 LUFS, Spotify to −14): a quiet episode is turned up with its noise, a loud one turned down and squashed, and apps that do not normalise play it too quiet or too loud",
        example: r#"
[show]
loudness = { target = -16, tolerance = 1 }
[[episode]]
audio = "media/one.mp3"   # measures -23.4 LUFS
"#,
    }
    TRUE_PEAK_TOO_HIGH {
        code: "C046",
        name: "true-peak-too-high",
        severity: Warning,
        summary: "an episode's true peak is above the show's limit (`loudness.true_peak`, −1 dBTP by default)",
        why: "peaks near 0 dBFS clip when the episode is decoded, resampled or re-encoded by a directory, which is heard as crackle on loud words",
        example: r#"
[show]
loudness = { target = -16, true_peak = -1 }
[[episode]]
audio = "media/one.mp3"   # true peak +0.3 dBTP
"#,
    }
    LOUDNESS_INCONSISTENT {
        code: "C047",
        name: "loudness-inconsistent",
        severity: Warning,
        summary: "an episode is more than 2 LU louder or quieter than the median of the show's episodes",
        why: "listeners set the volume once for a show: an episode that jumps from the others makes them reach for it, whatever the target",
        example: r#"
[[episode]]
audio = "media/one.mp3"   # -16.1 LUFS
[[episode]]
audio = "media/two.mp3"   # -20.5 LUFS
[[episode]]
audio = "media/three.mp3" # -15.8 LUFS
"#,
    }
    AUDIO_QUALITY_LOW {
        code: "C048",
        name: "audio-quality-low",
        severity: Warning,
        summary: "an episode's bitrate or sample rate is below what directories recommend (128 kbit/s for stereo, 64 kbit/s for mono, 44.1 or 48 kHz)",
        why: "Apple's audio requirements list 44.1 or 48 kHz and recommend 128 kbit/s and more for stereo; lower rates sound dull and lower bitrates swirl, and some directories re-encode them",
        example: r#"
[[episode]]
audio = "media/one.mp3"   # 8 kbit/s at 8 kHz
"#,
    }
    MIXED_CHANNELS {
        code: "C049",
        name: "mixed-channels",
        severity: Warning,
        summary: "the show mixes mono and stereo episodes",
        why: "a mono episode among stereo ones (or the reverse) is usually an export setting left behind; it also plays about 3 dB apart in apps that do not treat mono as dual mono",
        example: r#"
[[episode]]
audio = "media/one.mp3"   # stereo
[[episode]]
audio = "media/two.mp3"   # mono
"#,
    }
    LONG_SILENCE {
        code: "C050",
        name: "long-silence",
        severity: Warning,
        summary: "an episode starts or ends with more than 3 seconds of silence (below −60 dBFS)",
        why: "listeners think the app is broken at the start and skip; silence at the end is dead air before the next episode",
        example: r#"
[[episode]]
audio = "media/one.mp3"   # 5.2 s of silence before the first word
"#,
    }
    LOUDNESS_NOT_MEASURED {
        code: "C051",
        name: "loudness-not-measured",
        severity: Warning,
        summary: "an episode's loudness could not be measured (a codec or channel layout castkit cannot decode)",
        why: "the release checks cannot vouch for that episode; measure it with another tool, or export it in a format castkit decodes",
        example: r#"
[[episode]]
audio = "media/one.ogg"   # 6-channel Opus
"#,
    }
}
