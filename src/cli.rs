//! The command line: every command and flag, as clap derive types. No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Build, tag, probe and validate podcast feeds from a TOML catalogue.
#[derive(Debug, Parser)]
#[command(name = "castkit", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check the catalogue, probe the audio and write the podcast feed.
    BuildFeed(BuildFeedArgs),
    /// Report format, exact duration, bitrate and tags of audio files.
    Probe(ProbeArgs),
    /// Write ID3 tags (title, show, episode, cover, chapters…) into the episodes' MP3s.
    Tag(TagArgs),
    /// Check a podcast feed (castkit's or anyone's) against Apple's, RSS 2.0's and Podcasting 2.0's rules.
    Validate(ValidateArgs),
    /// Compare two feeds (the published one and the next release) for changes that break subscribers.
    Diff(DiffArgs),
    /// Write a first `episodes.toml` from the audio in the show's `media/` folder.
    Init(InitArgs),
}

/// Flags of `castkit build-feed`.
#[derive(Debug, Args)]
pub(crate) struct BuildFeedArgs {
    /// The catalogue to build from.
    #[arg(
        long,
        short = 'c',
        value_name = "PATH",
        default_value = "episodes.toml"
    )]
    pub(crate) catalogue: PathBuf,
    /// Where to write the feed [default: `public/feed.xml` next to the catalogue].
    #[arg(long, short = 'o', value_name = "PATH")]
    pub(crate) out: Option<PathBuf>,
    /// Refuse to change `episodes.toml` (fail if an episode has no guid yet). For CI.
    #[arg(long)]
    pub(crate) locked: bool,
    /// Include episodes marked `draft = true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Include episodes whose publication date is in the future.
    #[arg(long)]
    pub(crate) future: bool,
    /// Write ID3 tags into the MP3s first, then measure them for the feed.
    #[arg(long)]
    pub(crate) tag: bool,
    /// The ID3v2 version `--tag` writes.
    #[arg(long, value_enum, default_value = "2.3", requires = "tag")]
    pub(crate) id3_version: Id3Version,
    /// Compare the new feed with the published one (a path or an http(s) URL) first, and write nothing if
    /// a change would break subscribers [default: `[build] against` in the catalogue].
    #[arg(long, value_name = "FEED", conflicts_with = "no_against")]
    pub(crate) against: Option<String>,
    /// Skip the comparison that `[build] against` in the catalogue asks for (the first release of a show).
    #[arg(long)]
    pub(crate) no_against: bool,
    /// With `--against`: accept a kind of breaking change knowingly (a `D` code or its name); repeatable.
    #[arg(long, value_name = "CODE")]
    pub(crate) allow: Vec<String>,
    /// Seconds to wait for the published feed when it is a URL.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) timeout: u64,
    /// The moment to build at, instead of the clock (RFC 3339). Decides which episodes are in the future.
    #[arg(long, value_name = "DATETIME", hide = true)]
    pub(crate) now: Option<String>,
}

/// Flags of `castkit diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The old feed (the published one): a path, `-` for standard input, or an http(s) URL.
    #[arg(value_name = "OLD", required_unless_present = "explain")]
    pub(crate) old: Option<String>,
    /// The new feed (the release): a path, `-` for standard input, or an http(s) URL.
    #[arg(value_name = "NEW", required_unless_present = "explain")]
    pub(crate) new: Option<String>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: ReportFormat,
    /// Accept a kind of breaking change knowingly (a `D` code or its name); repeatable.
    #[arg(long, value_name = "CODE")]
    pub(crate) allow: Vec<String>,
    /// Seconds to wait for a feed given as a URL.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) timeout: u64,
    /// Explain a kind of change by its code or name, and exit.
    #[arg(long, value_name = "CODE")]
    pub(crate) explain: Option<String>,
}

/// Flags of `castkit probe`.
#[derive(Debug, Args)]
pub(crate) struct ProbeArgs {
    /// Audio files to probe.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Print one JSON array instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// ID3 versions castkit writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Id3Version {
    /// ID3v2.3: read by every player (the default).
    #[value(name = "2.3")]
    V23,
    /// ID3v2.4.
    #[value(name = "2.4")]
    V24,
}

impl From<Id3Version> for castkit::audio::id3::Id3Version {
    fn from(v: Id3Version) -> Self {
        match v {
            Id3Version::V23 => castkit::audio::id3::Id3Version::V23,
            Id3Version::V24 => castkit::audio::id3::Id3Version::V24,
        }
    }
}

/// Flags of `castkit tag`.
#[derive(Debug, Args)]
pub(crate) struct TagArgs {
    /// The catalogue to take the metadata from.
    #[arg(
        long,
        short = 'c',
        value_name = "PATH",
        default_value = "episodes.toml"
    )]
    pub(crate) catalogue: PathBuf,
    /// Show, per file, each frame that would change, and change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Rewrite files whose existing tag is corrupt or was read incompletely (its frames may be lost).
    #[arg(long)]
    pub(crate) force: bool,
    /// The ID3v2 version to write.
    #[arg(long, value_enum, default_value = "2.3")]
    pub(crate) id3_version: Id3Version,
}

/// Output formats of `castkit validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// rustc-style text with source excerpts.
    Text,
    /// A JSON array of findings.
    Json,
    /// A JUnit XML report for CI test dashboards.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Flags of `castkit validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// The feed to check: a path, or `-` for standard input.
    #[arg(value_name = "FEED", required_unless_present = "explain")]
    pub(crate) feed: Option<PathBuf>,
    /// Also check enclosures, durations and files against this catalogue's media.
    #[arg(long, value_name = "PATH")]
    pub(crate) catalogue: Option<PathBuf>,
    /// Also check enclosures against the files in this folder (the media base URL maps onto it).
    #[arg(long, value_name = "DIR")]
    pub(crate) media: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: ReportFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Explain a rule by its code or name, and exit.
    #[arg(long, value_name = "CODE")]
    pub(crate) explain: Option<String>,
    /// The moment to validate at, instead of the clock (RFC 3339). Decides which items are in the future.
    #[arg(long, value_name = "DATETIME", hide = true)]
    pub(crate) now: Option<String>,
}

/// Flags of `castkit init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The show's folder: `media/` in it is surveyed, and `episodes.toml` is written there.
    #[arg(value_name = "DIR", default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The show's name.
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    /// The public address `public/` and `media/` will be served from: the feed is BASE/feed.xml, the media
    /// BASE/media/.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The person, group or network behind the show.
    #[arg(long, value_name = "TEXT")]
    pub(crate) author: Option<String>,
    /// The owner's email address, for directories (`itunes:owner`).
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) email: Option<String>,
    /// The show's language, an ISO 639 code [default: en].
    #[arg(long, value_name = "CODE")]
    pub(crate) language: Option<String>,
    /// An Apple category (`Technology`, `News > Politics`); repeatable, the first is the main one.
    #[arg(long, value_name = "CATEGORY")]
    pub(crate) category: Vec<String>,
    /// Print the catalogue on standard output instead of writing `episodes.toml`.
    #[arg(long)]
    pub(crate) stdout: bool,
}
