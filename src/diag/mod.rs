//! Diagnostics: findings about a user's file, with a stable code, a severity, a position and a hint.
//!
//! Findings are data, not errors: every stage collects them, the command prints them all and decides the exit
//! status at the end. A diagnostic carries its own excerpt of the offending line, so it can be rendered without
//! the source text at hand (see [`render`]).
//!
//! Every code is declared once as a [`Rule`]: what it checks, why it matters, its default severity and an
//! example, all in one place. Each rule set declares its rules with one `rules!` invocation, which also lists
//! them. This module is a leaf: it never names a rule set; the registry of every rule sits above the sets.

pub mod render;
mod source;
pub mod suggest;

use std::fmt;

pub use source::{SourceFile, SourceText};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file will be rejected or misread by podcast apps or directories; castkit fails the run.
    Error,
    /// Accepted today, but against a recommendation, or likely to cause trouble in some apps.
    Warning,
    /// Worth knowing; never fails a run.
    Info,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares a rule set: one `pub static` [`Rule`] per entry, documented by its summary, and `RULES`, the
/// slice of them all in the order written (code order), so a rule cannot be declared and left out of the list.
///
/// ```text
/// rules! {
///     SYNTAX {
///         code: "C001",
///         name: "toml-syntax",
///         severity: Error,
///         summary: "what it checks",
///         why: "why it matters",
///         example: "a short input that breaks the rule",
///         fix: "the example put right", // optional
///     }
/// }
/// ```
macro_rules! rules {
    (@fix) => {
        None
    };
    (@fix $fix:literal) => {
        Some($fix)
    };
    ($(
        $ident:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:literal,
            why: $why:literal,
            example: $example:literal,
            $(fix: $fix:literal,)?
        }
    )*) => {
        $(
            #[doc = $summary]
            pub static $ident: $crate::diag::Rule = $crate::diag::Rule {
                code: $code,
                name: $name,
                severity: $crate::diag::Severity::$severity,
                summary: $summary,
                why: $why,
                example: $example,
                fix: $crate::diag::rules!(@fix $($fix)?),
            };
        )*

        /// Every rule of this set, in code order.
        pub static RULES: &[&$crate::diag::Rule] = &[$(&$ident),*];
    };
}
pub(crate) use rules;

/// One check castkit performs, with its stable code and documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `C001` (catalogue) or `F101` (feed). Never reused for another meaning.
    pub code: &'static str,
    /// Short kebab-case name, e.g. `unknown-field`.
    pub name: &'static str,
    /// Default severity of findings under this rule.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// One line: why it matters to listeners, apps or directories.
    pub why: &'static str,
    /// A few lines that break the rule: of `episodes.toml` for catalogue rules, of a feed for feed rules.
    pub example: &'static str,
    /// The example put right, where that is short enough to show.
    pub fix: Option<&'static str>,
}

impl Rule {
    /// A new finding under this rule with its default severity.
    pub fn diag(&'static self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self,
            severity: self.severity,
            message: message.into(),
            location: None,
            help: None,
            occurrences: 1,
            related: None,
        }
    }
}

/// Where a finding points: a file, a 1-based line and column, and the line's text for the excerpt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// The file as the user named it (relative paths stay relative).
    pub path: String,
    /// 1-based line number; 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The excerpt shown under the message, if the position is inside the text.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

impl Location {
    /// A location that names only a file (no line), e.g. for an audio file that cannot be read.
    pub fn file(path: impl Into<String>) -> Location {
        Location {
            path: path.into(),
            line: 0,
            column: 0,
            snippet: None,
        }
    }
}

/// The source line a finding points into, and which characters of it to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The whole line, without its line break.
    pub line_text: String,
    /// 0-based character index where the underline starts.
    pub start_char: usize,
    /// Number of characters to underline (at least 1).
    pub len_chars: usize,
}

/// A finding: its rule, severity, message, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule it breaks; serialized as the rule's code.
    #[serde(rename = "code", serialize_with = "serialize_code")]
    pub rule: &'static Rule,
    /// How serious it is.
    pub severity: Severity,
    /// Lowercase, no trailing period, user values in backticks.
    pub message: String,
    /// Where it is, when it is somewhere in particular.
    #[serde(flatten)]
    pub location: Option<Location>,
    /// What to do about it, when castkit knows.
    pub help: Option<String>,
    /// How many times the finding was made: findings alike are folded into the first, which counts them and
    /// points at the first place. 1 for most; the message is the same whatever the count.
    #[serde(skip_serializing_if = "is_one")]
    pub occurrences: usize,
    /// A second place the finding is about, with what it is (`castkit diff`: the matching line in the old
    /// feed). Rendered under the first, like a secondary span in rustc.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Box<Related>>,
}

/// A second place a finding points at, and a few words saying what it is there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    /// What this place is, e.g. `in the published feed`.
    pub label: String,
    /// Where it is.
    #[serde(flatten)]
    pub location: Location,
}

fn serialize_code<S: serde::Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.code)
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Diagnostic {
    /// The stable code of the rule it breaks.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Points the finding at a location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Adds a second place the finding is about.
    #[must_use]
    pub fn related(mut self, label: impl Into<String>, location: Location) -> Diagnostic {
        self.related = Some(Box::new(Related {
            label: label.into(),
            location,
        }));
        self
    }

    /// Adds the fix.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Overrides the rule's default severity.
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Whether this finding fails a run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Counts of findings by severity, for the summary line and the exit status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
}

impl Tally {
    /// Counts a list of findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let mut tally = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.infos += 1,
            }
        }
        tally
    }
}

/// Sorts findings for output: by file, line, column, then code, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column))
                .unwrap_or_default()
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code().cmp(b.code()))
            .then_with(|| a.message.cmp(&b.message))
    });
}
