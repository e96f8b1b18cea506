//! The command line: every command and flag, as clap derive types, and each command's examples. No
//! behaviour lives here.
//!
//! Every command ends its `--help` (and its man page) with examples: a new command gets a `…_EXAMPLES`
//! constant and `after_help = examples(…_EXAMPLES)` on its variant, and takes the global flags
//! ([`GlobalArgs`]) without doing anything.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::StyledStr;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Build, tag, probe and validate podcast feeds from a TOML catalogue.
#[derive(Debug, Parser)]
#[command(
    name = "castkit",
    version,
    about,
    max_term_width = 100,
    after_help = examples(CASTKIT_EXAMPLES)
)]
pub(crate) struct Cli {
    /// Flags every command takes.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check the catalogue, probe the audio and write the podcast feed.
    #[command(after_help = examples(BUILD_FEED_EXAMPLES))]
    BuildFeed(BuildFeedArgs),
    /// Report format, exact duration, bitrate and tags of audio files.
    #[command(after_help = examples(PROBE_EXAMPLES))]
    Probe(ProbeArgs),
    /// Write ID3 tags (title, show, episode, cover, chapters…) into the episodes' MP3s.
    #[command(after_help = examples(TAG_EXAMPLES))]
    Tag(TagArgs),
    /// Check a podcast feed (castkit's or anyone's) against Apple's, RSS 2.0's and Podcasting 2.0's rules.
    #[command(after_help = examples(VALIDATE_EXAMPLES))]
    Validate(ValidateArgs),
    /// Compare two feeds (the published one and the next release) for changes that break subscribers.
    #[command(after_help = examples(DIFF_EXAMPLES))]
    Diff(DiffArgs),
    /// Write `episodes.toml` from a show's existing feed, keeping every guid, enclosure, date and title.
    #[command(after_help = examples(IMPORT_EXAMPLES))]
    Import(ImportArgs),
    /// Write a first `episodes.toml` from the audio in the show's `media/` folder.
    #[command(after_help = examples(INIT_EXAMPLES))]
    Init(InitArgs),
    /// Serve a preview of the show (feed, side files, media) on the local network, rebuilt as files change.
    #[command(after_help = examples(SERVE_EXAMPLES))]
    Serve(ServeArgs),
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish.
    #[command(after_help = examples(COMPLETIONS_EXAMPLES))]
    Completions(CompletionsArgs),
    /// Print castkit's man page, or write one page per command into a folder.
    #[command(after_help = examples(MAN_EXAMPLES))]
    Man(ManArgs),
}

/// One example at the end of a command's `--help`: what it does, and the command line, which runs as
/// written in the example show's folder (after `castkit build-feed`, which writes `public/feed.xml`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Example {
    /// What the command does, as a sentence without a final period (shown as a shell comment).
    pub(crate) does: &'static str,
    /// The command line, starting with `castkit` and the command's name.
    pub(crate) command: &'static str,
}

/// The examples of `castkit` itself.
pub(crate) const CASTKIT_EXAMPLES: &[Example] = &[
    Example {
        does: "Build public/feed.xml from episodes.toml and the audio in media/",
        command: "castkit build-feed",
    },
    Example {
        does: "Check the feed as Apple Podcasts and podcast apps will read it",
        command: "castkit validate public/feed.xml",
    },
    Example {
        does: "Read a command's own help and examples",
        command: "castkit help build-feed",
    },
];

/// The examples of `castkit build-feed`.
pub(crate) const BUILD_FEED_EXAMPLES: &[Example] = &[
    Example {
        does: "Build public/feed.xml from episodes.toml and the audio in media/",
        command: "castkit build-feed",
    },
    Example {
        does: "Preview drafts and episodes dated in the future, in a feed of their own",
        command: "castkit build-feed --drafts --future --out preview/feed.xml",
    },
    Example {
        does: "Tag the MP3s first (ID3v2.4), then build",
        command: "castkit build-feed --tag --id3-version 2.4",
    },
    Example {
        does: "In CI: touch no catalogue, and refuse a release that breaks the last build",
        command: "castkit build-feed --locked --against public/feed.xml",
    },
];

/// The examples of `castkit probe`.
pub(crate) const PROBE_EXAMPLES: &[Example] = &[
    Example {
        does: "Exact duration, bitrate and tags of every MP3, as a table",
        command: "castkit probe media/*.mp3",
    },
    Example {
        does: "The same facts as JSON, for scripts",
        command: "castkit probe --json media/*.mp3",
    },
];

/// The examples of `castkit tag`.
pub(crate) const TAG_EXAMPLES: &[Example] = &[
    Example {
        does: "Show each frame that would change, and change nothing",
        command: "castkit tag --dry-run",
    },
    Example {
        does: "Write the catalogue's metadata into the MP3s as ID3v2.3",
        command: "castkit tag",
    },
];

/// The examples of `castkit validate`.
pub(crate) const VALIDATE_EXAMPLES: &[Example] = &[
    Example {
        does: "Check a feed, with excerpts of its lines",
        command: "castkit validate public/feed.xml",
    },
    Example {
        does: "Also check the enclosures against the catalogue's media; fail on warnings too",
        command: "castkit validate public/feed.xml --catalogue episodes.toml --deny-warnings",
    },
    Example {
        does: "Annotations for a GitHub Actions run",
        command: "castkit validate public/feed.xml --format github",
    },
    Example {
        does: "What a rule checks, why it matters, and an example",
        command: "castkit validate --explain F001",
    },
];

/// The examples of `castkit diff`.
pub(crate) const DIFF_EXAMPLES: &[Example] = &[
    Example {
        does: "Compare the published feed with the next release",
        command: "castkit diff https://podcasts.example.com/how-china-works/feed.xml public/feed.xml",
    },
    Example {
        does: "Compare two files, accepting a removed episode knowingly",
        command: "castkit diff published.xml public/feed.xml --allow episode-removed",
    },
    Example {
        does: "What a kind of change is, and why apps care",
        command: "castkit diff --explain D002",
    },
];

/// The examples of `castkit import`.
pub(crate) const IMPORT_EXAMPLES: &[Example] = &[
    Example {
        does: "Move a show in: its catalogue from the feed it is published at, media left where it is",
        command: "castkit import https://feeds.example.com/show.xml --catalogue moved/episodes.toml",
    },
    Example {
        does: "The same from a saved copy of your own locked feed (podcast:locked), into another folder",
        command: "castkit import public/feed.xml --allow-locked --catalogue copy/episodes.toml",
    },
];

/// The examples of `castkit init`.
pub(crate) const INIT_EXAMPLES: &[Example] = &[
    Example {
        does: "Start a show from the audio in media/: a catalogue build-feed accepts at once",
        command: "castkit init new-show --title \"Night Shift\" --base-url https://podcasts.example.com/night-shift/",
    },
    Example {
        does: "Look at the catalogue it would write for the show in this folder, without writing it",
        command: "castkit init --stdout --title \"Night Shift\"",
    },
];

/// The examples of `castkit serve`.
pub(crate) const SERVE_EXAMPLES: &[Example] = &[
    Example {
        does: "Preview the show on this computer at http://127.0.0.1:8080/feed.xml",
        command: "castkit serve",
    },
    Example {
        does: "Subscribe from a phone on the same network: listen on the computer's address on it",
        command: "castkit serve --bind 192.168.1.20 --port 8000 --drafts",
    },
];

/// The examples of `castkit completions`.
pub(crate) const COMPLETIONS_EXAMPLES: &[Example] = &[
    Example {
        does: "zsh: put the script in a folder of your $fpath",
        command: "castkit completions zsh > ~/.zfunc/_castkit",
    },
    Example {
        does: "fish",
        command: "castkit completions fish > ~/.config/fish/completions/castkit.fish",
    },
    Example {
        does: "bash (with the bash-completion package)",
        command: "castkit completions bash > ~/.local/share/bash-completion/completions/castkit",
    },
];

/// The examples of `castkit man`.
pub(crate) const MAN_EXAMPLES: &[Example] = &[
    Example {
        does: "Read castkit's man page",
        command: "castkit man | man -l -",
    },
    Example {
        does: "Install a page per command where `man castkit-build-feed` finds it",
        command: "castkit man --dir ~/.local/share/man/man1",
    },
];

/// The heading every example list starts with.
pub(crate) const EXAMPLES_HEADING: &str = "Examples:";

/// The `after_help` text of a command: [`EXAMPLES_HEADING`] (styled as clap styles its own headings, which
/// clap strips when help is not in colour) and each example as a comment line and a command line, so the
/// whole block can be pasted into a shell.
pub(crate) fn examples(examples: &[Example]) -> StyledStr {
    use std::fmt::Write as _;

    let header = clap::builder::Styles::default().get_header().to_owned();
    let mut text = StyledStr::new();
    let _ = write!(text, "{header}{EXAMPLES_HEADING}{header:#}");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            text.push_str("\n");
        }
        let _ = write!(text, "\n  # {}\n  {}", example.does, example.command);
    }
    text
}

/// The heading the global flags are listed under in every `--help`.
const GLOBAL_HEADING: &str = "Global options";

/// Flags every command takes: how much to say, and whether in colour.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Print only errors: no progress bar, no summary, no `wrote …` lines. Exit codes do not change.
    #[arg(
        long,
        short = 'q',
        global = true,
        conflicts_with = "verbose",
        help_heading = GLOBAL_HEADING
    )]
    pub(crate) quiet: bool,
    /// Also say what each step reads and measures (each file read, each episode's duration).
    #[arg(long, short = 'v', global = true, help_heading = GLOBAL_HEADING)]
    pub(crate) verbose: bool,
    /// When to colour diagnostics and help: `auto` colours a terminal, unless NO_COLOR is set.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        global = true,
        default_value = "auto",
        help_heading = GLOBAL_HEADING
    )]
    pub(crate) color: ColorWhen,
}

/// `--color`: when to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ColorWhen {
    /// Colour a stream that is a terminal, unless NO_COLOR is set (CLICOLOR_FORCE colours any stream).
    #[default]
    Auto,
    /// Always colour, even into a file or a pipe.
    Always,
    /// Never colour.
    Never,
}

impl From<ColorWhen> for clap::ColorChoice {
    fn from(when: ColorWhen) -> Self {
        match when {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }
}

impl ColorWhen {
    /// The `--color` the arguments ask for, read before clap parses them, so that clap's own help and usage
    /// errors follow it too. The last `--color` before a `--` counts; a value clap will refuse counts as
    /// `auto` here (clap then reports it).
    pub(crate) fn from_args(args: &[OsString]) -> ColorWhen {
        let mut when = ColorWhen::Auto;
        let mut words = args.iter().skip(1).map(|a| a.to_str());
        while let Some(word) = words.next() {
            let value = match word {
                Some("--") => break,
                Some("--color") => words.next().flatten(),
                Some(w) => w.strip_prefix("--color="),
                None => None,
            };
            if let Some(value) = value {
                when = ColorWhen::from_str(value, false).unwrap_or_default();
            }
        }
        when
    }
}

/// Flags of `castkit completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

/// Flags of `castkit man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write `castkit.1` and one page per command (`castkit-build-feed.1`…) into this folder, made if missing,
    /// instead of printing castkit's page.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
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
    /// Probe every audio file again: neither read nor write the show's probe cache (`.castkit/`).
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Do not write the show's website (`index.html`, `episodes/…`) next to the feed; a site written
    /// before is left as it is.
    #[arg(long)]
    pub(crate) no_site: bool,
    /// Measure every episode's loudness (EBU R128), true peak and silence, and check them, its bitrate and
    /// sample rate, and the show's consistency; the show's `loudness` setting gives the target (else −16 ± 1
    /// LUFS, true peak ≤ −1 dBTP).
    #[arg(long)]
    pub(crate) loudness: bool,
    /// Write each local audio file's SHA-384 as `podcast:integrity` (SRI) inside its
    /// `podcast:alternateEnclosure` [default: `[build] integrity` in the catalogue].
    #[arg(long, conflicts_with = "no_integrity")]
    pub(crate) integrity: bool,
    /// Write no `podcast:integrity`, whatever `[build] integrity` in the catalogue says.
    #[arg(long)]
    pub(crate) no_integrity: bool,
    /// With `--against`: accept a kind of breaking change knowingly (a `D` code or its name); repeatable.
    #[arg(long, value_name = "CODE")]
    pub(crate) allow: Vec<String>,
    /// Seconds to wait for the published feed when it is a URL.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) timeout: u64,
    /// Keep the newest N episodes in the feed and the older ones in RFC 5005 archive pages next to it
    /// (`feed-archive-1.xml` the oldest) [default: `[build] max_items` in the catalogue, else every episode].
    #[arg(long, value_name = "N")]
    pub(crate) max_items: Option<std::num::NonZeroUsize>,
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
    /// Also decode each file and measure its EBU R128 loudness, true peak, sample peak and the silence at
    /// either end.
    #[arg(long)]
    pub(crate) loudness: bool,
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
    /// Probe every audio file again: neither read nor write the show's probe cache (`.castkit/`).
    #[arg(long)]
    pub(crate) no_cache: bool,
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
    /// The feed to check: a path, an http(s) URL to fetch, or `-` for standard input.
    #[arg(value_name = "FEED", required_unless_present = "explain")]
    pub(crate) feed: Option<PathBuf>,
    /// Also ask the servers of every enclosure, alternate source, image, chapters and transcript URL
    /// (HEAD, then GET of two bytes): reachable, byte ranges, length, media type, redirects, speed (F6xx).
    #[arg(long)]
    pub(crate) online: bool,
    /// With `--online`: how many requests at once (never more than 4 to one host).
    #[arg(long, value_name = "N", default_value = "8", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: u16,
    /// The longest one request may take, in seconds (fetching the feed, and each `--online` request).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout: u64,
    /// Also check enclosures, durations and files against this catalogue's media.
    #[arg(long, value_name = "PATH")]
    pub(crate) catalogue: Option<PathBuf>,
    /// Also check enclosures against the files in this folder (the media base URL maps onto it).
    #[arg(long, value_name = "DIR")]
    pub(crate) media: Option<PathBuf>,
    /// With `--catalogue`: probe the audio again, neither reading nor writing the show's probe cache.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// With `--catalogue`: measure every episode's loudness and run the release checks of `build-feed
    /// --loudness`, even when the show sets no `loudness` target (−16 ± 1 LUFS, true peak ≤ −1 dBTP).
    #[arg(long, requires = "catalogue")]
    pub(crate) loudness: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn color(args: &[&str]) -> ColorWhen {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        ColorWhen::from_args(&args)
    }

    #[test]
    fn color_is_read_before_parsing_in_both_spellings() {
        assert_eq!(color(&["castkit", "probe", "x"]), ColorWhen::Auto);
        assert_eq!(
            color(&["castkit", "--color", "never", "probe"]),
            ColorWhen::Never
        );
        assert_eq!(
            color(&["castkit", "probe", "--color=always"]),
            ColorWhen::Always
        );
        assert_eq!(
            color(&["castkit", "--color=never", "probe", "--color", "always"]),
            ColorWhen::Always
        );
        // After `--` it is a file name; an unknown value is clap's to refuse.
        assert_eq!(
            color(&["castkit", "probe", "--", "--color=never"]),
            ColorWhen::Auto
        );
        assert_eq!(color(&["castkit", "--color", "pink"]), ColorWhen::Auto);
        assert_eq!(color(&["castkit", "--color"]), ColorWhen::Auto);
    }

    #[test]
    fn the_command_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn every_example_starts_with_castkit() {
        for e in [
            CASTKIT_EXAMPLES,
            BUILD_FEED_EXAMPLES,
            PROBE_EXAMPLES,
            TAG_EXAMPLES,
            VALIDATE_EXAMPLES,
            DIFF_EXAMPLES,
            SERVE_EXAMPLES,
            COMPLETIONS_EXAMPLES,
            MAN_EXAMPLES,
        ]
        .concat()
        {
            assert!(e.command.starts_with("castkit "), "{}", e.command);
            assert!(!e.does.ends_with('.'), "{}", e.does);
        }
    }
}

/// Flags of `castkit import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The show's current feed: an http(s) URL, a path, or `-` for standard input.
    #[arg(value_name = "FEED")]
    pub(crate) feed: String,
    /// The catalogue to write (never overwritten); its folder gets a `media/` folder.
    #[arg(
        long,
        short = 'c',
        value_name = "PATH",
        default_value = "episodes.toml"
    )]
    pub(crate) catalogue: PathBuf,
    /// Where the feed will be served from now on [default: the feed's own address].
    #[arg(long, value_name = "URL")]
    pub(crate) feed_url: Option<String>,
    /// Import a feed its owner locked (`podcast:locked`): only for the owner moving their own show.
    #[arg(long)]
    pub(crate) allow_locked: bool,
    /// Also download every episode's audio into DIR (inside the media folder) and point the catalogue at
    /// the copies; an interrupted download resumes on the next run.
    #[arg(long, value_name = "DIR")]
    pub(crate) download: Option<PathBuf>,
    /// With `--download`: how many files to download at once.
    #[arg(long, value_name = "N", default_value = "4", requires = "download")]
    pub(crate) parallel: std::num::NonZeroUsize,
    /// Seconds to wait for the feed, and for each read of a download.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) timeout: u64,
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

/// Flags of `castkit serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The catalogue to build from.
    #[arg(
        long,
        short = 'c',
        value_name = "PATH",
        default_value = "episodes.toml"
    )]
    pub(crate) catalogue: PathBuf,
    /// The port to listen on (0: any free port, said when serving starts).
    #[arg(long, short = 'p', value_name = "PORT", default_value_t = 8080)]
    pub(crate) port: u16,
    /// The address to listen on, also written in the feed's URLs: to subscribe from a phone, the
    /// computer's address on the local network (`0.0.0.0` listens everywhere and writes that address
    /// instead).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Include episodes marked `draft = true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Include episodes whose publication date is in the future.
    #[arg(long)]
    pub(crate) future: bool,
}
