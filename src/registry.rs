//! The registry of every rule castkit knows, catalogue (`C…`), diff (`D…`) and feed (`F…`), for `castkit validate --explain`
//! and the README's tables.
//!
//! It sits above the rule sets rather than inside [`crate::diag`], so that `diag` stays a leaf that never
//! names a rule set (as ruff keeps its registry out of `ruff_diagnostics`).

use std::fmt::Write as _;

use crate::diag::Rule;

/// Every rule, in code order: the catalogue's, `diff`'s, then the feed's.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    crate::catalogue::RULES
        .iter()
        .chain(crate::diff::RULES.iter())
        .chain(crate::validate::RULES.iter())
        .copied()
}

/// Looks a rule up by its code (case-insensitive) or its name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// A rule's documentation as `castkit validate --explain` prints it: code, name and severity, what it checks,
/// why it matters, an example that breaks it and, where it is short, the fix.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", rule.code, rule.name, rule.severity);
    let _ = writeln!(out, "\nWhat it checks: {}.", rule.summary);
    let _ = writeln!(out, "Why it matters: {}.", rule.why);
    let _ = writeln!(out, "\nExample:");
    indented(&mut out, rule.example);
    if let Some(fix) = rule.fix {
        let _ = writeln!(out, "\nInstead:");
        indented(&mut out, fix);
    }
    out
}

/// Writes a snippet (declared between line breaks, see the rule sets) indented by four spaces.
fn indented(out: &mut String, snippet: &str) {
    for line in snippet.trim_matches('\n').lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "    {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_code_is_unique_well_formed_and_in_order() {
        let rules: Vec<&Rule> = all().collect();
        let mut names = std::collections::BTreeSet::new();
        for pair in rules.windows(2) {
            // Strictly increasing codes: no duplicate, and `--explain`'s listing and the README follow code
            // order.
            assert!(
                pair[0].code < pair[1].code,
                "{} comes before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for rule in &rules {
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

    #[test]
    fn every_rule_has_an_example_set_off_by_line_breaks() {
        for rule in all() {
            for snippet in std::iter::once(rule.example).chain(rule.fix) {
                assert!(
                    snippet.starts_with('\n')
                        && snippet.ends_with('\n')
                        && !snippet.trim().is_empty(),
                    "{}: an example or fix is empty or not set off by line breaks",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn explain_shows_the_example_and_the_fix() {
        let text = explain(&crate::validate::rules::BAD_DATE);
        assert_eq!(
            text,
            "\
F116 bad-date (error)

What it checks: a date that is not RFC 2822 (`Wed, 02 Oct 2002 13:00:00 GMT`).
Why it matters: apps cannot sort or show the episode, and some drop it.

Example:
    <pubDate>2024-03-01 09:00</pubDate>

Instead:
    <pubDate>Fri, 01 Mar 2024 09:00:00 GMT</pubDate>
"
        );
    }

    #[test]
    fn a_rule_is_found_by_code_in_any_case_or_by_name() {
        assert_eq!(find("f116").map(|r| r.code), Some("F116"));
        assert_eq!(find("toml-syntax").map(|r| r.code), Some("C001"));
        assert!(find("F999").is_none());
    }
}
