//! Apple's length limits, shared by the catalogue check, the feed writer and the validator.

/// Apple's limit for `<description>` (and the `itunes:summary` it replaced), in bytes.
pub const APPLE_DESCRIPTION_LIMIT: usize = 4000;

/// Apple's limit for titles, subtitles and keywords, in characters.
pub const APPLE_TEXT_LIMIT: usize = 255;

/// The longest `podcast:person`, `podcast:location` or `podcast:funding` text the Podcasting 2.0 namespace
/// allows, in characters.
pub const PODCAST_SHORT_TEXT_LIMIT: usize = 128;
