//! Diagnostics: findings about a user's file, with a stable code, a severity, a position and a hint.
//!
//! Findings are data, not errors: every stage collects them, the command prints them all and decides the exit
//! status at the end. A diagnostic carries its own excerpt of the offending line, so it can be rendered without
//! the source text at hand (see [`render`]).
//!
//! Every code is declared once as a [`Rule`]: what it checks, why it matters, its default severity. Rules are
//! listed by [`crate::diag::all_rules`] for `castkit validate --explain CODE` and for the README.

pub mod render;
mod source;
pub mod suggest;

use std::fmt;

pub use source::SourceFile;

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

/// Declares a [`Rule`] as a `pub static`, documented by its summary:
/// `rule!(IDENT, "C001", "name", Error, "what it checks", "why it matters");`.
macro_rules! rule {
    ($ident:ident, $code:literal, $name:literal, $severity:ident, $summary:literal, $why:literal) => {
        #[doc = $summary]
        pub static $ident: $crate::diag::Rule = $crate::diag::Rule {
            code: $code,
            name: $name,
            severity: $crate::diag::Severity::$severity,
            summary: $summary,
            why: $why,
        };
    };
}
pub(crate) use rule;

/// One check castkit performs, with its stable code and documentation.
#[derive(Debug)]
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
}

impl Rule {
    /// A new finding under this rule with its default severity.
    pub fn diag(&'static self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            severity: self.severity,
            message: message.into(),
            location: None,
            help: None,
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

/// A finding: code, severity, message, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule's stable code.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// Lowercase, no trailing period, user values in backticks.
    pub message: String,
    /// Where it is, when it is somewhere in particular.
    #[serde(flatten)]
    pub location: Option<Location>,
    /// What to do about it, when castkit knows.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Points the finding at a location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
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

/// Every rule castkit knows, catalogue and feed, in code order.
pub fn all_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = crate::catalogue::RULES
        .iter()
        .chain(crate::validate::RULES.iter())
        .copied()
        .collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// Looks a rule up by its code (case-insensitive) or its name.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    all_rules()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
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
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_code_is_unique_and_well_formed() {
        let rules = all_rules();
        let mut seen = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for rule in &rules {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            // `--explain NAME` finds a rule by its name too, so names are unique across catalogue and feed.
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
            assert!(
                rule.code.len() == 4
                    && rule.code.as_bytes()[0].is_ascii_uppercase()
                    && rule.code[1..].bytes().all(|b| b.is_ascii_digit()),
                "code {} is not a letter and three digits",
                rule.code
            );
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "name {} is not kebab-case",
                rule.name
            );
            assert!(!rule.summary.is_empty() && !rule.why.is_empty());
        }
    }
}
