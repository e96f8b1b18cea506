//! How a command talks: what the global flags (`--quiet`, `--verbose`, `--color`) decided, and the few
//! ways of writing that follow them, so a command handles them in one call per line it writes.
//!
//! - Findings go through [`Ui::findings`]: only those that fail the run under `--quiet`, in colour on a
//!   stream that is coloured.
//! - Ordinary talk (summaries, `wrote …`, notes) goes through [`Ui::say`]: nothing under `--quiet`.
//! - Per-step detail goes through [`Ui::detail`]: only under `--verbose`.
//! - Errors are written whatever the flags, with [`Ui::error_label`] in front.
//!
//! Output a machine reads (`--json`, `--format json|junit|github`, `--explain`, completion scripts, man
//! pages) is the thing asked for, not talk: it is the same under every flag.

use std::fmt;
use std::io::{self, Write};

use castkit::diag::render::{self, Palette};
use castkit::diag::{Diagnostic, Severity};

use crate::cli::{ColorWhen, GlobalArgs};

/// How much a command says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// `--quiet`: errors only.
    Quiet,
    /// What castkit always said.
    Normal,
    /// `--verbose`: also each step's detail.
    Verbose,
}

/// A standard stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// Standard output: the report (tables, `validate` and `diff` findings).
    Stdout,
    /// Standard error: findings about the run, progress, summaries, errors.
    Stderr,
}

/// What the global flags decided about the output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ui {
    verbosity: Verbosity,
    stdout: Palette,
    stderr: Palette,
}

impl Ui {
    /// The output the flags ask for, each stream coloured or not as `--color` decides for it.
    pub(crate) fn from_flags(flags: &GlobalArgs) -> Ui {
        let verbosity = match (flags.quiet, flags.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        };
        Ui {
            verbosity,
            stdout: Palette::for_stream(styled(flags.color, &io::stdout())),
            stderr: Palette::for_stream(styled(flags.color, &io::stderr())),
        }
    }

    /// Whether `--quiet` was given: say nothing but errors, and show no progress bar.
    pub(crate) fn quiet(self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// Whether `--verbose` was given.
    pub(crate) fn verbose(self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    fn palette(self, stream: Stream) -> Palette {
        match stream {
            Stream::Stdout => self.stdout,
            Stream::Stderr => self.stderr,
        }
    }

    /// Findings as rustc-style text for `stream`. Under `--quiet` only those at least as serious as
    /// `fails_at` are kept (the ones that fail the run: [`Severity::Error`], or [`Severity::Warning`] too
    /// under `validate --deny-warnings`).
    pub(crate) fn findings(
        self,
        stream: Stream,
        diagnostics: &[Diagnostic],
        fails_at: Severity,
    ) -> String {
        let palette = self.palette(stream);
        if !self.quiet() {
            return render::text_styled(diagnostics, &palette);
        }
        let kept: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity <= fails_at)
            .cloned()
            .collect();
        render::text_styled(&kept, &palette)
    }

    /// Writes one line of ordinary talk (a summary, `wrote …`, a note), except under `--quiet`.
    pub(crate) fn say(self, w: &mut impl Write, line: fmt::Arguments<'_>) -> io::Result<()> {
        if self.quiet() {
            return Ok(());
        }
        writeln!(w, "{line}")
    }

    /// Writes one line of per-step detail, only under `--verbose`.
    pub(crate) fn detail(self, w: &mut impl Write, line: fmt::Arguments<'_>) -> io::Result<()> {
        if !self.verbose() {
            return Ok(());
        }
        writeln!(w, "{line}")
    }

    /// `error:` as the start of an error line on `stream`, bold red when that stream is coloured.
    pub(crate) fn error_label(self, stream: Stream) -> String {
        let style = self.palette(stream).error;
        format!("{style}error{style:#}:")
    }
}

/// Whether to colour a stream: `--color always` or `never` decide; `auto` follows the same rules as clap's
/// help (anstream's): never with `NO_COLOR` set to anything but the empty string, always with
/// `CLICOLOR_FORCE`, otherwise only on a terminal that shows colour.
fn styled(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}

/// The look of castkit's progress bars: a bar, `done/total` and the time left, with `what` naming the
/// things counted (`files`, `audio files`).
pub(crate) fn progress_style(what: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {what}, {{eta}} left"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}
