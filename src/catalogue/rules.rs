//! The catalogue's diagnostic codes (`C…`). Codes are stable: a retired rule's code is never reused.

use crate::diag::{Rule, rule};

rule!(
    SYNTAX,
    "C001",
    "toml-syntax",
    Error,
    "the catalogue is not valid TOML",
    "nothing else can be checked until the file parses"
);
rule!(
    UNKNOWN_FIELD,
    "C002",
    "unknown-field",
    Error,
    "a field castkit does not know, usually a typo",
    "a misspelt field is silently ignored by most tools, so its value never reaches the feed"
);
rule!(
    WRONG_TYPE,
    "C003",
    "wrong-type",
    Error,
    "a field has the wrong type (a string where a number or date is expected, …)",
    "the value cannot be used as written"
);
rule!(
    MISSING_FIELD,
    "C004",
    "missing-field",
    Error,
    "a required field is absent or empty",
    "Apple Podcasts rejects feeds without their required tags"
);
rule!(
    INVALID_VALUE,
    "C005",
    "invalid-value",
    Error,
    "a value outside what the field accepts (episode type, show type, medium, numbers)",
    "podcast apps ignore or reject values outside the specification's lists"
);
rule!(
    UNKNOWN_CATEGORY,
    "C006",
    "unknown-category",
    Error,
    "a category that is not on Apple's list, spelt exactly",
    "Apple matches categories exactly, case included; a near miss leaves the show uncategorised"
);
rule!(
    INVALID_URL,
    "C007",
    "invalid-url",
    Error,
    "a URL that does not parse, is not absolute, or is not http(s)",
    "apps cannot follow it, and directories reject feeds whose links do not resolve"
);
rule!(
    INVALID_EMAIL,
    "C008",
    "invalid-email",
    Error,
    "an email address that is not of the form `name@domain.tld`",
    "directories use the owner's address to verify and contact the show"
);
rule!(
    MEDIA_NOT_FOUND,
    "C009",
    "media-not-found",
    Error,
    "an audio or image file named by the catalogue does not exist",
    "the feed would point at a file that is not there, and the episode would not play"
);
rule!(
    OUTSIDE_MEDIA_DIR,
    "C010",
    "outside-media-dir",
    Error,
    "a media file outside the media folder, so it has no public URL",
    "enclosure URLs are the media base URL plus the path below the media folder"
);
rule!(
    DUPLICATE_GUID,
    "C011",
    "duplicate-guid",
    Error,
    "two episodes share a guid",
    "Apple Podcasts does not process episodes with a duplicate guid, and apps merge them into one"
);
rule!(
    DUPLICATE_EPISODE_NUMBER,
    "C012",
    "duplicate-episode-number",
    Error,
    "two episodes have the same season and episode number",
    "apps sort and display by these numbers; a duplicate hides one of the episodes in serial shows"
);
rule!(
    DATE_WITHOUT_ZONE,
    "C013",
    "date-without-zone",
    Error,
    "a publication date without a time zone, and no `timezone` in `[show]` to supply one",
    "the same wall-clock time is a different moment in every zone; apps would show the wrong day"
);
rule!(
    INVALID_TIMEZONE,
    "C014",
    "invalid-timezone",
    Error,
    "a `timezone` that is not an IANA zone name, or a local time that does not exist in it",
    "dates without an offset are interpreted in this zone"
);
rule!(
    INVALID_LANGUAGE,
    "C015",
    "invalid-language",
    Error,
    "a language that is not an ISO 639 code with optional region (`en`, `en-us`, `zh-cn`)",
    "Apple Podcasts rejects feeds whose language tag it cannot read"
);
rule!(
    UNKNOWN_PERSON_ROLE,
    "C016",
    "unknown-person-role",
    Error,
    "a person's role or group that is not in the Podcast Taxonomy used by `podcast:person`",
    "apps map roles to credits; an unknown role is dropped or shown as a host"
);
rule!(
    IMAGE_REQUIREMENTS,
    "C017",
    "image-requirements",
    Error,
    "cover art that is not a square JPEG or PNG of 1400 to 3000 pixels, or whose extension does not match its content",
    "Apple Podcasts rejects shows whose artwork does not meet these rules"
);
rule!(
    MISSING_GUID,
    "C018",
    "missing-guid",
    Error,
    "an episode without a guid under `--locked`, where castkit may not write one into the catalogue",
    "a guid must be assigned once and then never change; CI must not invent one on each run"
);
rule!(
    INVALID_GUID,
    "C019",
    "invalid-guid",
    Error,
    "a guid that is blank, has surrounding spaces or control characters",
    "apps compare guids byte for byte; invisible differences make duplicates"
);
rule!(
    AUDIO_UNREADABLE,
    "C020",
    "audio-unreadable",
    Error,
    "an audio file that could not be probed (not audio, damaged, unreadable)",
    "the feed must state the file's exact length and duration, which only a successful probe gives"
);
rule!(
    DUPLICATE_AUDIO,
    "C021",
    "duplicate-audio",
    Error,
    "two episodes use the same audio file",
    "Apple Podcasts ignores duplicate enclosure URLs"
);
rule!(
    TEXT_TOO_LONG,
    "C022",
    "text-too-long",
    Warning,
    "a description longer than Apple's 4000-byte limit, which castkit truncates in the feed",
    "Apple truncates or rejects longer descriptions"
);
rule!(
    CONTROL_CHARACTERS,
    "C023",
    "control-characters",
    Warning,
    "text containing characters XML 1.0 forbids, which castkit removes from the feed",
    "a single such character makes the whole feed unreadable to strict XML parsers"
);
rule!(
    NO_EPISODES,
    "C024",
    "no-episodes",
    Warning,
    "the feed would have no episodes (all are drafts, held back, or none are listed)",
    "Apple Podcasts does not accept a show without at least one episode"
);
rule!(
    INSECURE_URL,
    "C025",
    "insecure-url",
    Warning,
    "an `http:` URL where `https:` is expected",
    "the Podcasting 2.0 namespace requires https, and many apps refuse mixed content"
);
rule!(
    HELD_BACK,
    "C026",
    "held-back",
    Info,
    "an episode left out of the feed: a draft, or dated in the future",
    "so that nothing is left out silently"
);
rule!(
    AUDIO_WARNING,
    "C027",
    "audio-warning",
    Warning,
    "the audio file probed, but something in it is wrong (junk between frames, a truncated last frame, a header that disagrees with the audio)",
    "players may stop early, seek wrongly or show the wrong length"
);
rule!(
    CHAPTER_PROBLEM,
    "C028",
    "chapters",
    Error,
    "chapters that do not start at 0, are not in increasing order, have an empty title, start after the audio ends, or cannot be read",
    "apps show a broken table of contents or skip to the wrong place"
);
rule!(
    TRANSCRIPT_PROBLEM,
    "C029",
    "transcript",
    Error,
    "a transcript whose content is not the format its extension names, or whose cues run past the end of the audio",
    "apps show captions out of step with the audio, or none at all"
);
rule!(
    SOUNDBITE_PROBLEM,
    "C030",
    "soundbite",
    Error,
    "a soundbite that runs past the end of the audio or has no length",
    "apps play the clip as a preview; it must be inside the episode"
);
rule!(
    SOUNDBITE_LENGTH,
    "C031",
    "soundbite-length",
    Info,
    "a soundbite shorter than 15 or longer than 120 seconds, the namespace's recommended range",
    "directories may not use clips outside that range as previews"
);
rule!(
    CHAPTERS_FROM_NOTES,
    "C032",
    "chapters-from-notes",
    Info,
    "chapters taken from a `00:00 Title` list in the show notes",
    "so that the producer knows where the chapters came from"
);
rule!(
    TAG_FAILED,
    "C033",
    "tag-failed",
    Error,
    "an MP3's ID3 tag could not be written (a damaged existing tag, a file changed meanwhile, a failed write)",
    "the file keeps its old tag, so it would disagree with the feed; the file itself is left intact"
);
rule!(
    NO_NOTES,
    "C034",
    "no-notes",
    Info,
    "an episode without `notes`: its feed description is its title",
    "Apple recommends a description for every episode, and apps show a missing one as a blank page"
);

/// Every catalogue rule, in code order.
pub static RULES: &[&Rule] = &[
    &SYNTAX,
    &UNKNOWN_FIELD,
    &WRONG_TYPE,
    &MISSING_FIELD,
    &INVALID_VALUE,
    &UNKNOWN_CATEGORY,
    &INVALID_URL,
    &INVALID_EMAIL,
    &MEDIA_NOT_FOUND,
    &OUTSIDE_MEDIA_DIR,
    &DUPLICATE_GUID,
    &DUPLICATE_EPISODE_NUMBER,
    &DATE_WITHOUT_ZONE,
    &INVALID_TIMEZONE,
    &INVALID_LANGUAGE,
    &UNKNOWN_PERSON_ROLE,
    &IMAGE_REQUIREMENTS,
    &MISSING_GUID,
    &INVALID_GUID,
    &AUDIO_UNREADABLE,
    &DUPLICATE_AUDIO,
    &TEXT_TOO_LONG,
    &CONTROL_CHARACTERS,
    &NO_EPISODES,
    &INSECURE_URL,
    &HELD_BACK,
    &AUDIO_WARNING,
    &CHAPTER_PROBLEM,
    &TRANSCRIPT_PROBLEM,
    &SOUNDBITE_PROBLEM,
    &SOUNDBITE_LENGTH,
    &CHAPTERS_FROM_NOTES,
    &TAG_FAILED,
    &NO_NOTES,
];
