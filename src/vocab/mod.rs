//! The podcast world's facts, shared by the catalogue check, the feed writer and the validator: namespace
//! URIs, Apple's categories and length limits, the Podcasting 2.0 person taxonomy and mediums, language
//! codes, email addresses, web addresses, enclosure media types and the characters XML allows.
//!
//! Kept in one place, below every module that uses them, so that what castkit writes and what it accepts
//! can never disagree: the catalogue and the validator parse a category, a language, an email or a URL
//! through the same type or function. This module imports nothing of castkit's but `diag::suggest`.

pub mod category;
pub mod email;
pub mod html;
pub mod language;
pub mod limits;
pub mod media_type;
pub mod person;
pub mod podcast;
pub mod url;
pub mod xml;

pub use category::Category;
pub use email::Email;
pub use language::Language;

/// XML namespace URIs, exactly as the specifications spell them (they are compared byte for byte).
pub mod ns {
    /// Apple's iTunes podcast namespace. Case-sensitive: Apple ignores `itunes:` tags under any other URI.
    pub const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    /// The Podcasting 2.0 namespace (<https://podcastindex.org/namespace/1.0>).
    pub const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
    /// The older Podcasting 2.0 URI that readers must still accept.
    pub const PODCAST_LEGACY: &str =
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
    /// Atom, for `atom:link rel="self"`.
    pub const ATOM: &str = "http://www.w3.org/2005/Atom";
    /// RSS 1.0 content module, for `content:encoded`.
    pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
    /// Podlove Simple Chapters.
    pub const PSC: &str = "http://podlove.org/simple-chapters";
    /// Feed history (RFC 5005), for `fh:archive` on archive pages.
    pub const FEED_HISTORY: &str = "http://purl.org/syndication/history/1.0";
}
