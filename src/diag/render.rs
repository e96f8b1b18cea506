//! Renderers for diagnostics: rustc-style text, JSON, JUnit XML and GitHub workflow annotations.
//!
//! Every renderer is a pure function of the findings, so the same findings give the same bytes (CI can diff
//! and snapshot them). A finding that stands for several alike ([`Diagnostic::occurrences`]) keeps its message
//! and gets the same `note:` in every format (a number in JSON).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use super::{Diagnostic, Location, Severity, Tally};

/// The colours of the text renderer, one [`Style`] per part of a finding.
///
/// [`Palette::PLAIN`] writes no escape sequence at all: it is what [`text`] uses, for files, pipes and
/// snapshots. [`Palette::TERMINAL`] colours like rustc. Styles only ever wrap text the plain rendering
/// already has, so removing the escape sequences from a coloured rendering gives the plain one exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// `error[CODE]` and the carets under an error.
    pub error: Style,
    /// `warning[CODE]` and the carets under a warning.
    pub warning: Style,
    /// `info[CODE]` and the carets under an information note.
    pub info: Style,
    /// The message on a finding's first line.
    pub message: Style,
    /// The `-->` and `:::` arrows, line numbers, the `|` and `=` of the gutter, and the carets under a
    /// related place.
    pub gutter: Style,
    /// The `note` and `help` labels under a finding.
    pub label: Style,
}

impl Palette {
    /// No colour: the bytes every snapshot and pipe sees.
    pub const PLAIN: Palette = Palette {
        error: Style::new(),
        warning: Style::new(),
        info: Style::new(),
        message: Style::new(),
        gutter: Style::new(),
        label: Style::new(),
    };

    /// rustc's colours: errors bold red, warnings bold yellow, information bold cyan, the gutter bold blue.
    pub const TERMINAL: Palette = Palette {
        error: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
        warning: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        info: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan))),
        message: Style::new().bold(),
        gutter: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue))),
        label: Style::new().bold(),
    };

    /// The palette for a stream: [`Palette::TERMINAL`] when it is `styled`, [`Palette::PLAIN`] otherwise.
    pub fn for_stream(styled: bool) -> Palette {
        if styled {
            Palette::TERMINAL
        } else {
            Palette::PLAIN
        }
    }

    /// The style of a severity's word and of the carets under its findings.
    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

/// `text` wrapped in `style` (nothing added for a plain style).
fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Renders findings like rustc: `error[CODE]: message`, then `--> path:line:col`, the source line with a caret
/// under the offending text, and a `= help:` line. No colour: see [`text_styled`].
pub fn text(diagnostics: &[Diagnostic]) -> String {
    text_styled(diagnostics, &Palette::PLAIN)
}

/// [`text`] in the colours of `palette` (for a terminal).
pub fn text_styled(diagnostics: &[Diagnostic], palette: &Palette) -> String {
    let mut out = String::new();
    for d in diagnostics {
        text_one(&mut out, d, palette);
        out.push('\n');
    }
    out
}

fn text_one(out: &mut String, d: &Diagnostic, palette: &Palette) {
    let severity = palette.severity(d.severity);
    let _ = writeln!(
        out,
        "{}{}",
        paint(severity, &format!("{}[{}]", d.severity, d.code())),
        paint(palette.message, &format!(": {}", d.message))
    );
    let related = d.related.as_deref();
    let gutter_width = [d.location.as_ref(), related.map(|r| &r.location)]
        .into_iter()
        .flatten()
        .filter(|l| l.snippet.is_some())
        .map(|l| l.line.to_string().len())
        .max()
        .unwrap_or(0);
    let pad = " ".repeat(gutter_width);
    let gutter = Gutter { pad, palette };
    if let Some(loc) = &d.location {
        gutter.place(out, "-->", loc, None, severity);
    }
    if let Some(related) = related {
        gutter.place(
            out,
            ":::",
            &related.location,
            Some(&related.label),
            palette.gutter,
        );
    }
    // Without a location there is no gutter; the notes still sit under the message.
    let gutter = if d.location.is_some() {
        gutter
    } else {
        Gutter {
            pad: " ".to_owned(),
            palette,
        }
    };
    if let Some(note) = occurrences_note(d) {
        gutter.labelled(out, "note", &note);
    }
    if let Some(help) = &d.help {
        gutter.labelled(out, "help", help);
    }
}

/// The left margin of a finding's excerpt: as wide as its longest line number, in the palette's colours.
struct Gutter<'p> {
    pad: String,
    palette: &'p Palette,
}

impl Gutter<'_> {
    /// `{pad} = label: text`, a note or help line under a finding.
    fn labelled(&self, out: &mut String, label: &str, text: &str) {
        let _ = writeln!(
            out,
            "{} {} {}: {text}",
            self.pad,
            paint(self.palette.gutter, "="),
            paint(self.palette.label, label)
        );
    }

    /// `{pad} |` with nothing after the bar, or `{pad} | rest`.
    fn bar(&self, out: &mut String, rest: &str) {
        let bar = paint(self.palette.gutter, "|");
        if rest.is_empty() {
            let _ = writeln!(out, "{} {bar}", self.pad);
        } else {
            let _ = writeln!(out, "{} {bar} {rest}", self.pad);
        }
    }

    /// One place of a finding: `--> path:line:col` (`:::` for a related place), the source line, and a
    /// caret line (in `caret_style`) under the offending text, followed by `label` when there is one.
    fn place(
        &self,
        out: &mut String,
        arrow: &str,
        loc: &Location,
        label: Option<&str>,
        caret_style: Style,
    ) {
        let pad = &self.pad;
        let arrow = paint(self.palette.gutter, arrow);
        if loc.line == 0 {
            let _ = writeln!(out, "{pad}{arrow} {}", loc.path);
        } else {
            let _ = writeln!(out, "{pad}{arrow} {}:{}:{}", loc.path, loc.line, loc.column);
        }
        let Some(snip) = &loc.snippet else {
            if let Some(label) = label {
                self.labelled(out, "note", label);
            }
            return;
        };
        let shown: String = snip.line_text.chars().map(visible).collect();
        self.bar(out, "");
        let number = format!("{:>width$} |", loc.line, width = pad.len());
        let _ = writeln!(
            out,
            "{} {}",
            paint(self.palette.gutter, &number),
            shown.trim_end()
        );
        let mut indent = String::new();
        for c in snip.line_text.chars().take(snip.start_char) {
            if c == '\t' {
                indent.push('\t');
            } else {
                indent.push_str(&" ".repeat(display_width(visible(c))));
            }
        }
        let underline: usize = snip
            .line_text
            .chars()
            .skip(snip.start_char)
            .take(snip.len_chars)
            .map(|c| display_width(visible(c)))
            .sum::<usize>()
            .max(1);
        let mut carets = "^".repeat(underline);
        if let Some(label) = label {
            carets.push(' ');
            carets.push_str(label);
        }
        self.bar(out, &format!("{indent}{}", paint(caret_style, &carets)));
    }
}

/// The note every format shows on a finding that stands for several alike.
fn occurrences_note(d: &Diagnostic) -> Option<String> {
    (d.occurrences > 1)
        .then(|| format!("found in {} places; only the first is shown", d.occurrences))
}

/// The message followed by its `note:` and `help:` lines, for formats that carry one block of text.
fn message_with_notes(d: &Diagnostic) -> String {
    let mut body = d.message.clone();
    if let Some(related) = &d.related {
        body.push_str("\nnote: ");
        body.push_str(&related.label);
        body.push_str(": ");
        body.push_str(&position(&related.location));
    }
    if let Some(note) = occurrences_note(d) {
        body.push_str("\nnote: ");
        body.push_str(&note);
    }
    if let Some(help) = &d.help {
        body.push_str("\nhelp: ");
        body.push_str(help);
    }
    body
}

/// `path:line:col`, or the path alone for a finding about a whole file.
fn position(l: &Location) -> String {
    if l.line > 0 {
        format!("{}:{}:{}", l.path, l.line, l.column)
    } else {
        l.path.clone()
    }
}

/// Control characters would garble a terminal; show them as their Unicode "control picture" instead.
fn visible(c: char) -> char {
    match c {
        '\t' => '\t',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        c => c,
    }
}

fn display_width(c: char) -> usize {
    c.width().unwrap_or(0).max(1)
}

/// One line saying how many errors and warnings were found, e.g. `2 errors, 1 warning`.
pub fn summary(tally: Tally) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut parts = vec![
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning"),
    ];
    if tally.infos > 0 {
        parts.push(plural(tally.infos, "note"));
    }
    parts.join(", ")
}

/// A JSON array of `{code, severity, message, path, line, column, hint}` objects, with `occurrences` on a
/// finding that stands for several alike and `related` (`{label, path, line, column}`) on one that points at
/// a second place.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (path, line, column) = match &d.location {
                Some(l) if l.line > 0 => (Some(l.path.as_str()), Some(l.line), Some(l.column)),
                Some(l) => (Some(l.path.as_str()), None, None),
                None => (None, None, None),
            };
            let mut item = serde_json::json!({
                "code": d.code(),
                "severity": d.severity,
                "message": d.message,
                "path": path,
                "line": line,
                "column": column,
                "hint": d.help,
            });
            if let Some(object) = item.as_object_mut() {
                if d.occurrences > 1 {
                    object.insert("occurrences".to_owned(), d.occurrences.into());
                }
                if let Some(related) = &d.related {
                    let l = &related.location;
                    object.insert(
                        "related".to_owned(),
                        serde_json::json!({
                            "label": related.label,
                            "path": l.path,
                            "line": (l.line > 0).then_some(l.line),
                            "column": (l.line > 0).then_some(l.column),
                        }),
                    );
                }
            }
            item
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

/// A JUnit XML report: one test suite named after the checked file, one failing test case per error or
/// warning, and one passing case when nothing was found (so CI dashboards show the check ran).
pub fn junit(suite_name: &str, diagnostics: &[Diagnostic]) -> String {
    let reported: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    let failures = reported.len();
    let tests = failures.max(1);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"castkit\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">",
        xml_escape(suite_name)
    );
    if reported.is_empty() {
        let _ = writeln!(
            out,
            "    <testcase classname=\"castkit\" name=\"{}\"/>",
            xml_escape(suite_name)
        );
    }
    for d in reported {
        let position = d
            .location
            .as_ref()
            .map_or_else(|| suite_name.to_owned(), position);
        let _ = writeln!(
            out,
            "    <testcase classname=\"castkit.{}\" name=\"{} {}\">",
            d.code(),
            d.code(),
            xml_escape(&position)
        );
        let body = message_with_notes(d);
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            d.severity,
            xml_escape(&d.message),
            xml_escape(&body)
        );
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), one per line.
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &d.location {
            props.push(format!("file={}", gh_property(&l.path)));
            if l.line > 0 {
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.column));
            }
        }
        props.push(format!("title={}", gh_property(d.code())));
        let message = message_with_notes(d);
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), gh_data(&message));
    }
    out
}

/// Escapes text for an XML attribute or text node, dropping characters XML 1.0 cannot carry.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

// Escaping as GitHub's toolkit does it (`@actions/core` `escapeData` / `escapeProperty`).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Rule, SourceFile};

    static TEST_RULE: Rule = Rule {
        code: "T001",
        name: "test-rule",
        severity: Severity::Error,
        summary: "a rule for tests",
        why: "tests need one",
        example: "titel = \"x\"",
        fix: Some("title = \"x\""),
    };

    fn sample() -> Diagnostic {
        let src = SourceFile::new("episodes.toml", "[show]\ntitel = \"x\"\n");
        TEST_RULE
            .diag("unknown field `titel` in `[show]`")
            .at(src.location(7..12))
            .help("did you mean `title`?")
    }

    #[test]
    fn text_points_a_caret_at_the_offending_text() {
        let expected = "\
error[T001]: unknown field `titel` in `[show]`
 --> episodes.toml:2:1
  |
2 | titel = \"x\"
  | ^^^^^
  = help: did you mean `title`?

";
        assert_eq!(text(&[sample()]), expected);
    }

    /// The text with every `ESC [ … m` (SGR) sequence removed.
    fn strip_sgr(styled: &str) -> String {
        let mut out = String::new();
        let mut rest = styled;
        while let Some(at) = rest.find("\x1b[") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let end = after.find('m').expect("an SGR sequence ends with `m`");
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn colours_only_wrap_the_plain_text() {
        let old = SourceFile::new("old.xml", "<a>\n<guid>x</guid>\n");
        let mut folded = sample();
        folded.occurrences = 2;
        let findings = [
            folded,
            TEST_RULE
                .diag("no line")
                .at(old.location(0..0))
                .related("in the old feed", old.location(10..11)),
            TEST_RULE
                .diag("nowhere")
                .help("a help line without a place"),
        ];
        let styled = text_styled(&findings, &Palette::TERMINAL);
        assert!(styled.contains("\x1b["), "{styled}");
        assert_eq!(strip_sgr(&styled), text(&findings));
        assert!(!text(&findings).contains('\x1b'));
        // rustc's colours: the severity word bold red, the gutter bold blue.
        assert!(
            styled.starts_with("\x1b[1m\x1b[31merror[T001]\x1b[0m"),
            "{styled:?}"
        );
        assert!(styled.contains("\x1b[1m\x1b[34m-->\x1b[0m"), "{styled:?}");
        assert!(styled.contains("\x1b[1m\x1b[31m^^^^^\x1b[0m"), "{styled:?}");
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        let src = SourceFile::new("f", "标题 = x");
        let d = TEST_RULE.diag("m").at(src.location(9..10));
        let out = text(&[d]);
        // Two CJK characters are four columns wide, then " = " → the caret sits in column 8.
        assert!(out.contains("1 | 标题 = x\n  |        ^\n"), "{out}");
    }

    #[test]
    fn json_has_the_documented_keys() {
        let v: serde_json::Value = serde_json::from_str(&json(&[sample()])).unwrap();
        let o = &v[0];
        assert_eq!(o["code"], "T001");
        assert_eq!(o["severity"], "error");
        assert_eq!(o["line"], 2);
        assert_eq!(o["column"], 1);
        assert_eq!(o["hint"], "did you mean `title`?");
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let out = github(&[sample()]);
        assert_eq!(
            out,
            "::error file=episodes.toml,line=2,col=1,title=T001::unknown field `titel` in `[show]`%0Ahelp: did you mean `title`?\n"
        );
    }

    #[test]
    fn junit_is_well_formed_and_counts_failures() {
        let out = junit("feed.xml", &[sample()]);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("failures"), Some("1"));
        let clean = junit("feed.xml", &[]);
        assert!(roxmltree::Document::parse(&clean).is_ok());
        assert!(clean.contains("failures=\"0\""));
    }

    #[test]
    fn a_folded_finding_keeps_its_message_and_every_format_shows_the_count() {
        let mut d = sample();
        d.occurrences = 3;
        let note = "found in 3 places; only the first is shown";
        let text = text(&[d.clone()]);
        assert!(
            text.starts_with("error[T001]: unknown field `titel` in `[show]`\n"),
            "{text}"
        );
        assert!(
            text.contains(&format!("  = note: {note}\n  = help: did you mean")),
            "{text}"
        );
        let v: serde_json::Value = serde_json::from_str(&json(&[d.clone()])).unwrap();
        assert_eq!(v[0]["occurrences"], 3);
        assert_eq!(v[0]["message"], "unknown field `titel` in `[show]`");
        assert!(github(&[d.clone()]).contains(&format!("%0Anote: {note}%0Ahelp: ")));
        assert!(junit("feed.xml", &[d]).contains(&format!("\nnote: {note}\nhelp: ")));
        // A single finding shows no count, and its JSON has no `occurrences` key.
        let single: serde_json::Value = serde_json::from_str(&json(&[sample()])).unwrap();
        assert!(single[0].get("occurrences").is_none());
        assert!(!super::text(&[sample()]).contains("note:"));
    }

    #[test]
    fn a_related_place_is_shown_under_the_first_in_every_format() {
        let old = SourceFile::new("old.xml", "<a>\n<guid>x</guid>\n");
        let mut new_text = String::from("<a>\n");
        new_text.push_str(&"\n".repeat(9));
        new_text.push_str("<guid>y</guid>\n");
        let new = SourceFile::new("new.xml", new_text.clone());
        let at = new_text.find('y').unwrap();
        let d = TEST_RULE
            .diag("the guid changed")
            .at(new.location(at..at + 1))
            .related("in the old feed", old.location(10..11));
        // The gutter is as wide as the longer line number of the two places.
        assert_eq!(
            text(std::slice::from_ref(&d)),
            "\
error[T001]: the guid changed
  --> new.xml:11:7
   |
11 | <guid>y</guid>
   |       ^
  ::: old.xml:2:7
   |
 2 | <guid>x</guid>
   |       ^ in the old feed

"
        );
        let v: serde_json::Value = serde_json::from_str(&json(std::slice::from_ref(&d))).unwrap();
        assert_eq!(v[0]["related"]["path"], "old.xml");
        assert_eq!(v[0]["related"]["line"], 2);
        assert_eq!(v[0]["related"]["label"], "in the old feed");
        assert!(github(std::slice::from_ref(&d)).contains("%0Anote: in the old feed: old.xml:2:7"));
        assert!(junit("x", &[d]).contains("note: in the old feed: old.xml:2:7"));
    }

    #[test]
    fn a_finding_serializes_its_rule_as_the_code() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["code"], "T001");
        assert!(v.get("occurrences").is_none());
    }
}
