//! A reader over a spanned TOML table that type-checks each field, remembers which keys were asked for, and
//! reports unknown keys with a did-you-mean hint.
//!
//! serde's `deny_unknown_fields` stops at the first mistake; producers fix catalogues faster when they see every
//! mistake at once, each pointing at its line. So the catalogue is read field by field from toml's spanned
//! tree, and every problem becomes a [`Diagnostic`] instead of an early return.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeInteger, DeTable, DeValue};

use super::rules;
use crate::diag::{Diagnostic, SourceFile, suggest::did_you_mean};

/// A TOML integer's value, whatever its base and `_` separators (`0x_ff`, `1_000`); `None` when it does not
/// fit an `i128` (no catalogue number comes near).
pub(crate) fn integer_value(i: &DeInteger) -> Option<i128> {
    i128::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// A value with the byte range of its text in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where its text is in the catalogue.
    pub span: Range<usize>,
}

impl<T> At<T> {
    pub(crate) fn new(value: T, span: Range<usize>) -> At<T> {
        At { value, span }
    }
}

/// Where findings go while the catalogue is read.
pub(crate) struct Sink<'s> {
    pub(crate) source: &'s SourceFile,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink<'_> {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A finding under `rule` pointing at `span`.
    pub(crate) fn report(
        &mut self,
        rule: &'static crate::diag::Rule,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = rule.diag(message).at(self.source.location(span));
        d.help = help;
        self.push(d);
    }
}

/// One TOML table being read. `context` names it in messages (e.g. "`[show]`", "episode 3").
pub(crate) struct TableReader<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Range<usize>,
    context: String,
    asked: Vec<&'static str>,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub(crate) fn new(
        table: &'a DeTable<'i>,
        span: Range<usize>,
        context: impl Into<String>,
    ) -> Self {
        TableReader {
            table,
            span,
            context: context.into(),
            asked: Vec::new(),
        }
    }

    /// How the table is named in messages.
    pub(crate) fn context(&self) -> &str {
        &self.context
    }

    /// Where the table starts, for "as at line N" references.
    pub(crate) fn label_span(&self) -> Range<usize> {
        self.span.start..self.span.start
    }

    /// The span of the whole table (its header, for tables declared with one).
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    fn raw(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.asked.push(key);
        self.table.get(key)
    }

    fn wrong_type(&self, sink: &mut Sink<'_>, key: &str, value: &Spanned<DeValue<'_>>, want: &str) {
        sink.report(
            &rules::WRONG_TYPE,
            value.span(),
            format!(
                "`{key}` in {} must be {want}, found {}",
                self.context,
                describe(value.get_ref())
            ),
            None,
        );
    }

    /// A string field. Wrong types are reported and read as absent.
    pub(crate) fn string(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<At<String>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(At::new(s.to_string(), value.span())),
            _ => {
                self.wrong_type(sink, key, value, "a string");
                None
            }
        }
    }

    /// A string field that must be present and not blank.
    pub(crate) fn required_string(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
        help: &str,
    ) -> Option<At<String>> {
        let present = self.table.contains_key(key);
        let value = self.string(sink, key);
        match value {
            Some(v) if !v.value.trim().is_empty() => Some(v),
            Some(v) => {
                sink.report(
                    &rules::MISSING_FIELD,
                    v.span.clone(),
                    format!("`{key}` in {} is empty", self.context),
                    Some(help.to_owned()),
                );
                None
            }
            // A misspelt key (`titel`) is reported as unknown with "did you mean `title`?"; saying that
            // `title` is missing as well would only repeat it.
            None if !present && !self.has_near_miss(key) => {
                sink.report(
                    &rules::MISSING_FIELD,
                    self.span.clone(),
                    format!("{} has no `{key}`", self.context),
                    Some(help.to_owned()),
                );
                None
            }
            None => None,
        }
    }

    /// A boolean field.
    pub(crate) fn bool(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<At<bool>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(At::new(*b, value.span())),
            DeValue::String(s) => {
                let meant = match s.trim().to_ascii_lowercase().as_str() {
                    "yes" | "true" => Some(true),
                    "no" | "false" | "clean" => Some(false),
                    _ => None,
                };
                let help = meant.map(|b| format!("write `{key} = {b}`, without quotes"));
                sink.report(
                    &rules::WRONG_TYPE,
                    value.span(),
                    format!(
                        "`{key}` in {} must be `true` or `false`, found the string `{s}`",
                        self.context
                    ),
                    help,
                );
                None
            }
            _ => {
                self.wrong_type(sink, key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A count of bytes (0 or more): an enclosure's length.
    pub(crate) fn byte_count(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<At<u64>> {
        let value = self.raw(key)?;
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(sink, key, value, "a number of bytes");
            return None;
        };
        match integer_value(i).and_then(|n| u64::try_from(n).ok()) {
            Some(n) => Some(At::new(n, value.span())),
            None => {
                sink.report(
                    &rules::INVALID_VALUE,
                    value.span(),
                    format!(
                        "`{key}` in {} must be a number of bytes, 0 or more",
                        self.context
                    ),
                    Some("the file's size in bytes, as `ls -l` shows it".to_owned()),
                );
                None
            }
        }
    }

    /// A positive integer field (1 or more), as podcast season and episode numbers are.
    pub(crate) fn positive_integer(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Option<At<u32>> {
        let value = self.raw(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => integer_value(i),
            _ => {
                self.wrong_type(sink, key, value, "a whole number");
                return None;
            }
        };
        match parsed
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
        {
            Some(n) => Some(At::new(n, value.span())),
            None => {
                sink.report(
                    &rules::INVALID_VALUE,
                    value.span(),
                    format!(
                        "`{key}` in {} must be a whole number from 1 up",
                        self.context
                    ),
                    Some(
                        "Apple and the Podcasting 2.0 namespace number seasons and episodes from 1"
                            .to_owned(),
                    ),
                );
                None
            }
        }
    }

    /// A whole number of 0 or more (shares, a percentage); `help` says what it counts when it is not one.
    pub(crate) fn whole_number(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
        help: &str,
    ) -> Option<At<u64>> {
        let value = self.raw(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => integer_value(i).and_then(|n| u64::try_from(n).ok()),
            _ => None,
        };
        match parsed {
            Some(n) => Some(At::new(n, value.span())),
            None => {
                sink.report(
                    &rules::INVALID_VALUE,
                    value.span(),
                    format!(
                        "`{key}` in {} must be a whole number, 0 or more",
                        self.context
                    ),
                    Some(help.to_owned()),
                );
                None
            }
        }
    }

    /// A number (integer or decimal, sign allowed) within `range`, else a finding with `help`: the loudness
    /// settings.
    pub(crate) fn number_in(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
        range: std::ops::RangeInclusive<f64>,
        help: &str,
    ) -> Option<At<f64>> {
        let value = self.raw(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => integer_value(i).map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type(sink, key, value, "a number");
                return None;
            }
        };
        match parsed.filter(|n| range.contains(n)) {
            Some(n) => Some(At::new(n, value.span())),
            None => {
                sink.report(
                    &rules::INVALID_VALUE,
                    value.span(),
                    format!(
                        "`{key}` in {} must be a number from {} to {}",
                        self.context,
                        range.start(),
                        range.end()
                    ),
                    Some(help.to_owned()),
                );
                None
            }
        }
    }

    /// A TOML date, date-time or offset date-time.
    pub(crate) fn datetime(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Option<At<toml::value::Datetime>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Datetime(d) => Some(At::new(*d, value.span())),
            DeValue::String(s) => {
                sink.report(
                    &rules::WRONG_TYPE,
                    value.span(),
                    format!("`{key}` in {} is a string, not a TOML date", self.context),
                    Some(format!("remove the quotes: `{key} = {}`", s.trim())),
                );
                None
            }
            _ => {
                self.wrong_type(
                    sink,
                    key,
                    value,
                    "a date such as `2024-05-01T08:00:00+08:00`",
                );
                None
            }
        }
    }

    /// A time: a string `mm:ss`, `hh:mm:ss(.mmm)`, or a number of seconds. Returned in milliseconds.
    pub(crate) fn time(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<At<u64>> {
        let value = self.raw(key)?;
        let parsed = match value.get_ref() {
            DeValue::String(s) => crate::chapters::parse_time(s).map_err(|e| e.to_string()),
            DeValue::Integer(i) => i
                .as_str()
                .replace('_', "")
                .parse::<u64>()
                .map(|n| n * 1000)
                .map_err(|_| format!("`{}` is not a number of seconds", i.as_str())),
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Ok((x * 1000.0).round() as u64),
                _ => Err(format!("`{}` is not a number of seconds", f.as_str())),
            },
            _ => {
                self.wrong_type(
                    sink,
                    key,
                    value,
                    "a time such as `\"01:30\"` or a number of seconds",
                );
                return None;
            }
        };
        match parsed {
            Ok(ms) => Some(At::new(ms, value.span())),
            Err(message) => {
                sink.report(
                    &rules::WRONG_TYPE,
                    value.span(),
                    format!("`{key}` in {}: {message}", self.context),
                    Some("write `\"mm:ss\"`, `\"hh:mm:ss\"` or `\"hh:mm:ss.mmm\"`, or a number of seconds".to_owned()),
                );
                None
            }
        }
    }

    /// An array of strings (each element checked).
    pub(crate) fn string_array(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Vec<At<String>> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(sink, key, value, "a list of strings, e.g. `[\"a\", \"b\"]`");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(At::new(s.to_string(), item.span())),
                _ => self.wrong_type(sink, key, item, "a list of strings"),
            }
        }
        out
    }

    /// A sub-table (`[show.owner]` or an inline table).
    pub(crate) fn table(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Option<TableReader<'a, 'i>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(TableReader::new(
                t,
                value.span(),
                format!("`{key}` in {}", self.context),
            )),
            _ => {
                self.wrong_type(sink, key, value, "a table");
                None
            }
        }
    }

    /// A raw value, for fields that accept more than one shape.
    pub(crate) fn value(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.raw(key)
    }

    /// An array of tables (`[[episode]]`, `[[show.person]]`), each with a context built from its index.
    pub(crate) fn tables(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
        name: impl Fn(usize) -> String,
    ) -> Vec<TableReader<'a, 'i>> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(sink, key, value, &format!("a list of tables (`[[{key}]]`)"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(TableReader::new(t, item.span(), name(i))),
                _ => self.wrong_type(sink, key, item, &format!("a list of tables (`[[{key}]]`)")),
            }
        }
        out
    }

    /// Renames the table in messages.
    pub(crate) fn rename(&mut self, context: impl Into<String>) {
        self.context = context.into();
    }

    /// Whether some key of the table looks like a misspelling of `key`.
    pub(crate) fn has_near_miss(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| {
            let k: &str = k.get_ref();
            k != key && did_you_mean(k, [key]).is_some()
        })
    }

    /// Whether the table has `key` at all (whatever its type).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Reads each table of the array of tables `key` with `read`, then reports the fields `read` did not
    /// ask for: the one way every `[[…]]` list of the catalogue is read.
    pub(crate) fn each_table<'s, T>(
        &mut self,
        sink: &mut Sink<'s>,
        key: &'static str,
        name: impl Fn(usize) -> String,
        mut read: impl FnMut(&mut Sink<'s>, &mut TableReader<'a, 'i>) -> Option<T>,
    ) -> Vec<T> {
        self.tables(sink, key, name)
            .into_iter()
            .filter_map(|mut table| {
                let out = read(sink, &mut table);
                table.finish(sink);
                out
            })
            .collect()
    }

    /// Reads the sub-table `key` with `read`, then reports the fields `read` did not ask for.
    pub(crate) fn with_table<'s, T>(
        &mut self,
        sink: &mut Sink<'s>,
        key: &'static str,
        read: impl FnOnce(&mut Sink<'s>, &mut TableReader<'a, 'i>) -> Option<T>,
    ) -> Option<T> {
        let mut table = self.table(sink, key)?;
        let out = read(sink, &mut table);
        table.finish(sink);
        out
    }

    /// Reports every key that no getter asked for, suggesting the nearest known one.
    pub(crate) fn finish(&mut self, sink: &mut Sink<'_>) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if self.asked.contains(&name) {
                continue;
            }
            let help = match did_you_mean(name, self.asked.iter().copied()) {
                Some(known) => format!("did you mean `{known}`?"),
                None => format!(
                    "the fields of {} are: {}",
                    self.context,
                    self.asked.join(", ")
                ),
            };
            sink.report(
                &rules::UNKNOWN_FIELD,
                key.span(),
                format!("unknown field `{name}` in {}", self.context),
                Some(help),
            );
        }
    }
}

/// A TOML value's kind, for "found …" in messages.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string `{s}`"),
        DeValue::Integer(i) => format!("the number `{}`", i.as_str()),
        DeValue::Float(f) => format!("the number `{}`", f.as_str()),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(d) => format!("the date `{d}`"),
        DeValue::Array(_) => "a list".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}
