//! The catalogue: `episodes.toml` read into a checked model of the show and its episodes.
//!
//! Reading happens in two steps (STYLE: parse, then lower). toml parses the text into a spanned tree; the
//! lowering in `lower` reads it field by field into [`Catalogue`], whose types leave no room for the mistakes
//! it checked (a category is one of Apple's, a URL is absolute, a date has a zone). Every mistake becomes a
//! [`Diagnostic`] pointing at its line, and all of them are reported in one run.
//!
//! [`guids`] writes newly assigned episode guids (and the [`slugs`] of their web pages) back into the file
//! without disturbing its comments or layout.

mod companions;
pub mod guids;
mod lower;
pub mod podcasting;
mod reader;
pub mod rules;
pub mod slugs;

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use url::Url;

/// Apple's categories are vocabulary, shared with the validator.
pub use crate::vocab::Category;
pub use reader::At;
pub use rules::RULES;

use crate::diag::{Diagnostic, SourceFile};

/// The show and its episodes, checked.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The catalogue file, as the user named it.
    pub path: PathBuf,
    /// The folder relative paths in the catalogue resolve against (the catalogue's own folder).
    pub root: PathBuf,
    /// Show-level metadata.
    pub show: Show,
    /// Every episode, in catalogue order (drafts and future ones included).
    pub episodes: Vec<Episode>,
    /// `[build]`: how `build-feed` runs by default.
    pub build: BuildSettings,
    /// `[site]`: the show's website, written next to the feed.
    pub site: SiteSettings,
}

impl Catalogue {
    /// The URLs of every file the catalogue names by URL rather than by path (audio, artwork and
    /// transcripts hosted elsewhere, as an imported show's are): files castkit does not have, even when
    /// their URL lies under `media_base_url`.
    pub fn hosted_elsewhere(&self) -> std::collections::HashSet<String> {
        let show = &self.show;
        let episodes = self.episodes.iter().flat_map(|e| {
            std::iter::once(&e.audio)
                .chain(e.image.as_ref())
                .chain(e.transcripts.iter().map(|t| &t.file))
                .chain(e.podcasting.images.iter().map(|i| &i.file))
        });
        std::iter::once(&show.image)
            .chain(show.podcasting.images.iter().map(|i| &i.file))
            .chain(episodes)
            .filter(|m| m.path.is_none())
            .map(|m| m.url.to_string())
            .collect()
    }
}

/// Other addresses for the feed and the media folder than the catalogue's `feed_url` and `media_base_url`:
/// `castkit serve` builds the show with URLs pointing at itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrls {
    /// Where the feed is served (`atom:link rel="self"`; side files are published next to it).
    pub feed_url: Url,
    /// Where the media folder is served; must end with `/`.
    pub media_base_url: Url,
}

impl Catalogue {
    /// Moves the show to `urls`: the feed URL, the media base URL and the public URL of every local file
    /// (audio, artwork, transcripts, chapter images) change; files the catalogue gives by URL (hosted
    /// elsewhere) and `podcast:guid` (already derived from the catalogue's own `feed_url`) do not.
    pub fn publish_at(&mut self, urls: &PublicUrls) {
        let old = self.show.media_base_url.to_string();
        let new = urls.media_base_url.to_string();
        let moved = |url: &str| -> Option<Url> {
            url.strip_prefix(old.as_str())
                .and_then(|below| Url::parse(&format!("{new}{below}")).ok())
        };
        let rebase = |media: &mut MediaRef| {
            if media.path.is_some()
                && let Some(url) = moved(media.url.as_str())
            {
                media.url = url;
            }
        };
        let show = &mut self.show;
        rebase(&mut show.image);
        show.podcasting
            .images
            .iter_mut()
            .for_each(|i| rebase(&mut i.file));
        for episode in &mut self.episodes {
            rebase(&mut episode.audio);
            episode
                .alternates
                .iter_mut()
                .for_each(|a| rebase(&mut a.audio));
            episode.image.iter_mut().for_each(rebase);
            episode
                .transcripts
                .iter_mut()
                .for_each(|t| rebase(&mut t.file));
            episode
                .podcasting
                .images
                .iter_mut()
                .for_each(|i| rebase(&mut i.file));
            for image in episode.chapters.iter_mut().filter_map(|c| c.image.as_mut()) {
                if image.path.is_some()
                    && let Some(url) = moved(&image.url)
                {
                    image.url = url.to_string();
                }
            }
        }
        self.show.feed_url = urls.feed_url.clone();
        self.show.media_base_url = urls.media_base_url.clone();
    }
}

/// `[build]`: settings of `build-feed` kept with the show, so CI runs the same build as the producer.
#[derive(Debug, Clone, Default)]
pub struct BuildSettings {
    /// `against`: the published feed each release is compared with (`build-feed --against`).
    pub against: Option<At<Published>>,
    /// `max_items`: the most episodes the feed holds; older ones go to RFC 5005 archive pages
    /// (`build-feed --max-items`).
    pub max_items: Option<At<std::num::NonZeroUsize>>,
    /// `integrity`: write each local audio file's SRI string as `podcast:integrity`
    /// (`build-feed --integrity`).
    pub integrity: Option<At<bool>>,
}

/// `[site]`: the website `build-feed` writes next to the feed.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// `enabled`: whether the site is written (`build-feed --no-site` turns it off too).
    pub enabled: bool,
    /// `templates`: a folder (resolved against the catalogue's folder) whose files replace the built-in
    /// templates of the same name.
    pub templates: Option<At<PathBuf>>,
    /// `episodes_per_page`: the most episodes the show page lists; the others go to `page/2/`, `page/3/`….
    pub episodes_per_page: std::num::NonZeroUsize,
    /// `[[site.subscribe]]`: where else listeners can follow the show (Apple Podcasts, Spotify…), in order.
    pub subscribe: Vec<SubscribeLink>,
}

impl SiteSettings {
    /// The show page's episodes when the catalogue does not say.
    pub const DEFAULT_EPISODES_PER_PAGE: std::num::NonZeroUsize =
        std::num::NonZeroUsize::new(50).expect("50 is not zero");
}

impl Default for SiteSettings {
    fn default() -> SiteSettings {
        SiteSettings {
            enabled: true,
            templates: None,
            episodes_per_page: SiteSettings::DEFAULT_EPISODES_PER_PAGE,
            subscribe: Vec::new(),
        }
    }
}

/// A place listeners can subscribe to the show: a podcast directory's page for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeLink {
    /// The directory's name as the link says it (`Apple Podcasts`).
    pub name: String,
    /// The show's page there.
    pub url: Url,
}

/// Where the published feed is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// An http(s) URL.
    Url(Url),
    /// A file, resolved against the catalogue's folder.
    Path(PathBuf),
}

/// Show-level metadata: what becomes the feed's `<channel>`.
#[derive(Debug, Clone)]
pub struct Show {
    /// Byte range of the `[show]` table's header in the catalogue, for messages about the show as a whole.
    pub span: Range<usize>,
    /// `<title>`.
    pub title: String,
    /// Markdown; `<description>` gets its plain text.
    pub description: String,
    /// The show's website: `<link>`.
    pub link: Url,
    /// Where the feed is published: `atom:link rel="self"`, and the source of `podcast:guid`.
    pub feed_url: Url,
    /// The public URL where the media folder is served; enclosure URLs are this plus the path below it.
    pub media_base_url: Url,
    /// The local media folder (resolved against the catalogue's folder).
    pub media_dir: PathBuf,
    /// `<language>`, e.g. `en` or `en-us`.
    pub language: String,
    /// `itunes:author`.
    pub author: String,
    /// `itunes:owner`.
    pub owner: Option<Owner>,
    /// Cover art: `itunes:image` and `<image>`.
    pub image: MediaRef,
    /// Apple categories, the first being the primary one.
    pub categories: Vec<Category>,
    /// `itunes:explicit`.
    pub explicit: bool,
    /// `itunes:type`.
    pub show_type: ShowType,
    /// `<copyright>`.
    pub copyright: Option<String>,
    /// `itunes:keywords`.
    pub keywords: Vec<String>,
    /// `itunes:complete`: no more episodes will be published.
    pub complete: bool,
    /// `itunes:block`: hide the show from Apple Podcasts.
    pub block: bool,
    /// `itunes:new-feed-url`: the feed has moved there.
    pub new_feed_url: Option<Url>,
    /// `podcast:guid`: the override from the catalogue, else the UUIDv5 of `feed_url`.
    pub podcast_guid: uuid::Uuid,
    /// `podcast:locked`: whether other platforms may import the feed (`true` = locked).
    pub locked: Option<bool>,
    /// `podcast:funding`.
    pub funding: Vec<Funding>,
    /// `podcast:person` at show level.
    pub persons: Vec<Person>,
    /// `podcast:license`.
    pub license: Option<License>,
    /// `podcast:medium`.
    pub medium: String,
    /// `podcast:location`.
    pub location: Option<Location>,
    /// The zone for publication dates written without an offset.
    pub timezone: Option<chrono_tz::Tz>,
    /// `loudness = { target, tolerance, true_peak }`: the release checks of `build-feed` measure every
    /// episode's loudness against it.
    pub loudness: Option<LoudnessTarget>,
    /// The other Podcasting 2.0 tags: value, txt, podroll, publisher, updateFrequency, podping, block,
    /// socialInteract, chat, image.
    pub podcasting: podcasting::ShowPodcasting,
}

/// The loudness a show's episodes should have (`[show] loudness = { … }`, or `build-feed --loudness`).
#[derive(Debug, Clone, PartialEq)]
pub struct LoudnessTarget {
    /// Where the setting is written (`None` for the defaults of `--loudness`).
    pub span: Option<Range<usize>>,
    /// Integrated loudness to aim for, in LUFS (default −16, Apple's recommendation).
    pub target_lufs: f64,
    /// How far an episode may be from the target, in LU (default 1).
    pub tolerance_lu: f64,
    /// The highest true peak allowed, in dBTP (default −1, Apple's recommendation).
    pub true_peak_dbtp: f64,
}

impl Default for LoudnessTarget {
    fn default() -> LoudnessTarget {
        LoudnessTarget {
            span: None,
            target_lufs: -16.0,
            tolerance_lu: 1.0,
            true_peak_dbtp: -1.0,
        }
    }
}

/// `itunes:owner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// `itunes:name`.
    pub name: String,
    /// `itunes:email`.
    pub email: String,
}

/// `itunes:type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShowType {
    /// Newest first; the default.
    #[default]
    Episodic,
    /// Oldest first, numbered episodes (a story told in order).
    Serial,
}

impl ShowType {
    /// The value as written in the feed.
    pub fn as_str(self) -> &'static str {
        match self {
            ShowType::Episodic => "episodic",
            ShowType::Serial => "serial",
        }
    }
}

/// `itunes:episodeType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EpisodeType {
    /// A regular episode; the default.
    #[default]
    Full,
    /// A preview of the show or a season.
    Trailer,
    /// Extra content.
    Bonus,
}

impl EpisodeType {
    /// The value as written in the feed.
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeType::Full => "full",
            EpisodeType::Trailer => "trailer",
            EpisodeType::Bonus => "bonus",
        }
    }
}

/// A file the feed refers to: where it is locally (if it is local) and its public URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    /// The local file, resolved against the catalogue's folder; `None` for a remote URL.
    pub path: Option<PathBuf>,
    /// The path as written in the catalogue (for messages).
    pub written: String,
    /// Where it is written in the catalogue, for findings about the file.
    pub span: Range<usize>,
    /// The public URL.
    pub url: Url,
}

/// `podcast:funding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funding {
    /// Where listeners can support the show.
    pub url: Url,
    /// The link text (at most 128 characters).
    pub text: String,
}

/// `podcast:person`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The person's name.
    pub name: String,
    /// Role from the Podcast Taxonomy, canonical spelling (e.g. `Host`).
    pub role: &'static str,
    /// Group from the Podcast Taxonomy, canonical spelling (e.g. `Cast`).
    pub group: &'static str,
    /// A page about the person.
    pub href: Option<Url>,
    /// A picture of the person.
    pub img: Option<Url>,
}

/// `podcast:license`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// An SPDX identifier, or the name of a custom licence.
    pub name: String,
    /// Where the licence text is (required for custom licences).
    pub url: Option<Url>,
}

/// `podcast:location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Human-readable place name.
    pub name: String,
    /// An RFC 5870 `geo:` URI.
    pub geo: Option<String>,
    /// An OpenStreetMap reference (`R912940`).
    pub osm: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
}

/// One episode, checked.
#[derive(Debug, Clone)]
pub struct Episode {
    /// 0-based position in the catalogue.
    pub index: usize,
    /// Byte range of the episode's table in the catalogue, for messages.
    pub span: Range<usize>,
    /// `<title>` and `itunes:title`.
    pub title: String,
    /// The audio: `<enclosure>`. A local file in the media folder, or (with `path` `None`) audio hosted
    /// elsewhere, whose length and type [`Episode::stated`] then carries.
    pub audio: MediaRef,
    /// What the catalogue states about the audio (`audio_length`, `audio_type`, `duration`): the enclosure
    /// of audio hosted elsewhere; for a local file, values the probe is checked against.
    pub stated: StatedAudio,
    /// `<pubDate>`, with the zone it was written in.
    pub published: DateTime<FixedOffset>,
    /// Show notes: `content:encoded` (HTML) and `<description>` (plain text).
    pub notes: Option<Notes>,
    /// `itunes:season` and `podcast:season`.
    pub season: Option<u32>,
    /// `itunes:episode` and `podcast:episode`.
    pub number: Option<u32>,
    /// `itunes:episodeType`.
    pub episode_type: EpisodeType,
    /// `itunes:explicit`; the show's value when absent.
    pub explicit: Option<bool>,
    /// `itunes:image`; the show's cover when absent.
    pub image: Option<MediaRef>,
    /// `<link>`.
    pub link: Option<Url>,
    /// `itunes:keywords`.
    pub keywords: Vec<String>,
    /// `podcast:person` for this episode (replaces the show's list in apps).
    pub persons: Vec<Person>,
    /// The permanent `<guid>`; `None` until castkit assigns one on the first build.
    pub guid: Option<String>,
    /// The last segment of the episode page's URL (`episodes/<slug>/`), checked ([`slugs::check`]); `None`
    /// until castkit derives and saves one on the first build that writes the site.
    pub slug: Option<String>,
    /// Drafts are left out of the feed unless asked for.
    pub draft: bool,
    /// Chapters, in order (empty when the episode has none).
    pub chapters: Vec<crate::chapters::Chapter>,
    /// Where the chapters came from, and where that is written in the catalogue.
    pub chapters_origin: Option<At<ChaptersOrigin>>,
    /// Transcripts: `podcast:transcript`.
    pub transcripts: Vec<Transcript>,
    /// Soundbites: `podcast:soundbite`.
    pub soundbites: Vec<Soundbite>,
    /// Other renditions of the same audio: `podcast:alternateEnclosure`.
    pub alternates: Vec<Alternate>,
    /// `itunes:block`: hide this episode from Apple Podcasts.
    pub block: bool,
    /// The other Podcasting 2.0 tags: value, txt, socialInteract, chat, image, contentLink, and whether the
    /// episode is a live stream (`podcast:liveItem`).
    pub podcasting: podcasting::EpisodePodcasting,
}

/// An episode's show notes: the Markdown as written, and its plain text (read once, for the length check,
/// the feed's `<description>` and the ID3 comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    /// The Markdown.
    pub markdown: String,
    /// Its plain text ([`crate::text::markdown_to_plain`]).
    pub plain: String,
}

/// What the catalogue states about an episode's audio instead of measuring it: always the length and type
/// of audio given as a URL (an imported show whose media stays on its old host), optionally its duration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedAudio {
    /// `audio_length`: the file's size in bytes, the enclosure's `length`.
    pub length: Option<At<u64>>,
    /// `audio_type`: the enclosure's MIME type, e.g. `audio/mpeg`.
    pub mime: Option<At<String>>,
    /// `duration`, in milliseconds: `itunes:duration`.
    pub duration_ms: Option<At<u64>>,
}

impl StatedAudio {
    /// Whether any value is stated.
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.mime.is_none() && self.duration_ms.is_none()
    }
}

/// Where an episode's chapters came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChaptersOrigin {
    /// `[[episode.chapter]]` tables in the catalogue.
    Inline,
    /// A Podcasting 2.0 JSON chapters file.
    JsonFile(PathBuf),
    /// A `00:00 Title` text file.
    TextFile(PathBuf),
    /// The ID3 CHAP frames already in the episode's MP3.
    Id3,
    /// A `00:00 Title` list in the show notes.
    ShowNotes,
    /// A chapters file published elsewhere (an imported show's), linked as it is; castkit does not read it.
    Remote(Url),
}

/// A transcript file of an episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The file and its public URL (a URL only, for a transcript published elsewhere).
    pub file: MediaRef,
    /// The MIME type it is published with.
    pub mime: String,
    /// Whether it is published as captions (`rel="captions"`): it carries timings.
    pub captions: bool,
    /// Its format and timings, read from its content; `None` for a transcript published elsewhere.
    pub facts: Option<crate::transcripts::TranscriptFacts>,
    /// Its language (`podcast:transcript language`); the show's language when absent.
    pub language: Option<String>,
    /// Also publish a WebVTT converted from this SRT.
    pub convert_to_vtt: bool,
    /// Where it is listed in the catalogue.
    pub span: Range<usize>,
}

/// A soundbite: a short clip that represents the episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soundbite {
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// Length, in milliseconds.
    pub duration_ms: u64,
    /// Its title, if any.
    pub title: Option<String>,
    /// Where it is listed in the catalogue.
    pub span: Range<usize>,
}

/// Another rendition of an episode's audio (a different codec or bitrate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    /// The audio file and its public URL.
    pub audio: MediaRef,
    /// A short label apps show (≤ 32 characters).
    pub title: Option<String>,
}

impl Episode {
    /// How the episode is named in messages: `5.4` when it has a season and number, else its position.
    pub fn label(&self) -> String {
        match (self.season, self.number) {
            (Some(s), Some(n)) => format!("episode {s}.{n}"),
            (None, Some(n)) => format!("episode {n}"),
            _ => format!("episode #{}", self.index + 1),
        }
    }
}

/// The outcome of reading a catalogue: the model when it has no errors, and every finding.
#[derive(Debug)]
pub struct Loaded {
    /// The checked model; `None` when any finding is an error.
    pub catalogue: Option<Catalogue>,
    /// Every finding, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The catalogue's text, for pointing further findings at it.
    pub source: SourceFile,
}

/// The catalogue file itself could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read the catalogue `{}`", path.display())]
    Io {
        /// The catalogue file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text, which TOML requires.
    #[error(
        "cannot read the catalogue `{}`: it is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8",
        path.display()
    )]
    NotUtf8 {
        /// The catalogue file.
        path: PathBuf,
        /// The offset of the first byte that is not UTF-8.
        offset: usize,
    },
}

/// Reads and checks `episodes.toml`. Local files it names (audio, images) must exist; they are not probed
/// here.
///
/// # Errors
/// [`ReadError`] when the file cannot be read at all (missing, not UTF-8). Mistakes in its content are
/// findings in [`Loaded::diagnostics`], not errors.
pub fn load(path: &Path) -> Result<Loaded, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let source = SourceFile::new(path.display().to_string(), text);
    let root = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (catalogue, mut diagnostics) = lower::lower(&source, path, &root);
    crate::diag::sort(&mut diagnostics);
    let catalogue = catalogue.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Ok(Loaded {
        catalogue,
        diagnostics,
        source,
    })
}

/// Reads and checks a catalogue given as text (for tests and tools that hold the text already). Relative
/// paths resolve against `root`.
pub fn load_str(display_path: &str, text: &str, root: &Path) -> Loaded {
    let source = SourceFile::new(display_path, text);
    let (catalogue, mut diagnostics) = lower::lower(&source, Path::new(display_path), root);
    crate::diag::sort(&mut diagnostics);
    let catalogue = catalogue.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Loaded {
        catalogue,
        diagnostics,
        source,
    }
}
