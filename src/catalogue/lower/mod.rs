//! Lowering: the spanned TOML tree → the checked [`Catalogue`], with a finding for every mistake.

mod episode;
mod media;
mod podcasting;
mod show;
mod values;

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::DeTable;
use url::Url;

use super::reader::{At, Sink, TableReader};
use super::rules;
use super::{BuildSettings, Catalogue, Published, SiteSettings, SubscribeLink};
use crate::diag::{Diagnostic, SourceFile};
use episode::{check_duplicate_guids, check_duplicate_slugs, check_duplicates, lower_episode};
use show::lower_show;

pub(super) use media::MediaKind;
pub(super) use values::{check_length, language_field, media_type_field, url_field};

/// Lowers the catalogue text. Returns the model when every required part could be read (the caller drops it
/// if any finding is an error) and all findings.
pub(super) fn lower(
    source: &SourceFile,
    path: &Path,
    root: &Path,
) -> (Option<Catalogue>, Vec<Diagnostic>) {
    let mut sink = Sink {
        source,
        diagnostics: Vec::new(),
    };
    let (document, syntax_errors) = DeTable::parse_recoverable(source.text());
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            let span = error.span().unwrap_or(0..0);
            sink.report(
                &rules::SYNTAX,
                span,
                error.message().trim().to_owned(),
                Some(
                    "see https://toml.io for the syntax; strings need quotes, dates do not"
                        .to_owned(),
                ),
            );
        }
        return (None, sink.diagnostics);
    }
    let mut top = TableReader::new(document.get_ref(), 0..0, "the catalogue");
    let show_table = top.table(&mut sink, "show");
    let build_table = top.table(&mut sink, "build");
    let site_table = top.table(&mut sink, "site");
    let episode_tables = top.tables(&mut sink, "episode", |i| {
        episode_label(document.get_ref(), i)
    });
    top.finish(&mut sink);

    let Some(show_table) = show_table else {
        if !sink
            .diagnostics
            .iter()
            .any(|d| d.code() == rules::WRONG_TYPE.code)
        {
            sink.report(
                &rules::MISSING_FIELD,
                0..0,
                "the catalogue has no `[show]` table",
                Some(
                    "start the file with `[show]` and the show's title, description, feed_url…"
                        .to_owned(),
                ),
            );
        }
        return (None, sink.diagnostics);
    };
    let mut show_table = show_table;
    show_table.rename("`[show]`");
    let (show, context) = lower_show(&mut sink, &mut show_table, root);
    show_table.finish(&mut sink);

    let mut episodes = Vec::new();
    let mut guid_spans: Vec<(At<String>, Range<usize>, String)> = Vec::new();
    let mut slugs: Vec<(At<String>, String)> = Vec::new();
    for (index, mut table) in episode_tables.into_iter().enumerate() {
        let lowered = lower_episode(&mut sink, &mut table, index, &context);
        table.finish(&mut sink);
        if let Some(g) = lowered.guid {
            guid_spans.push((g, table.label_span(), table.context().to_owned()));
        }
        if let Some(s) = lowered.slug {
            slugs.push((s, table.context().to_owned()));
        }
        if let Some(episode) = lowered.episode {
            episodes.push(episode);
        }
    }
    check_duplicate_guids(&mut sink, &guid_spans);
    check_duplicate_slugs(&mut sink, &slugs);
    check_duplicates(&mut sink, &episodes);
    let build = build_table
        .map(|mut table| {
            table.rename("`[build]`");
            let settings = lower_build(&mut sink, &mut table, root);
            table.finish(&mut sink);
            settings
        })
        .unwrap_or_default();

    let site = site_table
        .map(|mut table| {
            table.rename("`[site]`");
            let settings = lower_site(&mut sink, &mut table, root);
            table.finish(&mut sink);
            settings
        })
        .unwrap_or_default();

    let catalogue = show.map(|show| Catalogue {
        path: path.to_path_buf(),
        root: root.to_path_buf(),
        show,
        episodes,
        build,
        site,
    });
    (catalogue, sink.diagnostics)
}

/// `[build]`: how `build-feed` runs by default.
fn lower_build(sink: &mut Sink<'_>, table: &mut TableReader<'_, '_>, root: &Path) -> BuildSettings {
    let against = table.string(sink, "against").and_then(|at| {
        let text = at.value.trim();
        let published = if text.contains("://") {
            Published::Url(url_field(sink, &at, "against")?)
        } else {
            Published::Path(root.join(text))
        };
        Some(At::new(published, at.span))
    });
    let max_items = whole_number_from_one(
        sink,
        table,
        "max_items",
        "`[build]`",
        "leave `max_items` out to keep every episode in the feed",
    );
    let integrity = table.bool(sink, "integrity");
    BuildSettings {
        against,
        max_items,
        integrity,
    }
}

/// `[site]`: the website written next to the feed.
fn lower_site(sink: &mut Sink<'_>, table: &mut TableReader<'_, '_>, root: &Path) -> SiteSettings {
    let enabled = table.bool(sink, "enabled").is_none_or(|b| b.value);
    let templates = table.string(sink, "templates").and_then(|at| {
        let folder = root.join(at.value.trim());
        if folder.is_dir() {
            Some(At::new(folder, at.span))
        } else {
            sink.report(
                &rules::MEDIA_NOT_FOUND,
                at.span.clone(),
                format!(
                    "`templates` in `[site]`: the folder `{}` does not exist",
                    at.value
                ),
                Some("name a folder next to the catalogue holding the templates to replace (`index.html`, `episode.html`, `base.html`, `site.css`, `site.js`), or remove the line to use the built-in ones".to_owned()),
            );
            None
        }
    });
    let episodes_per_page = whole_number_from_one(
        sink,
        table,
        "episodes_per_page",
        "`[site]`",
        "leave `episodes_per_page` out for 50 episodes on a page",
    )
    .map_or(SiteSettings::DEFAULT_EPISODES_PER_PAGE, |at| at.value);
    let subscribe = table.each_table(
        sink,
        "subscribe",
        |i| format!("`[[site.subscribe]]` #{}", i + 1),
        |sink, link| {
            let name = link.required_string(
                sink,
                "name",
                "the directory's name as the link shows it, e.g. `name = \"Apple Podcasts\"`",
            );
            let url = link
                .required_string(
                    sink,
                    "url",
                    "the show's page in that directory, e.g. `url = \"https://podcasts.apple.com/…\"`",
                )
                .and_then(|u| url_field(sink, &u, "url"));
            Some(SubscribeLink {
                name: name?.value,
                url: url?,
            })
        },
    );
    SiteSettings {
        enabled,
        templates,
        episodes_per_page,
        subscribe,
    }
}

/// A count from 1 up (`max_items`: the most episodes `feed.xml` holds before older ones go to archive pages;
/// `episodes_per_page`), in the table `table_name`; `help` says what leaving it out does.
fn whole_number_from_one(
    sink: &mut Sink<'_>,
    table: &mut TableReader<'_, '_>,
    key: &'static str,
    table_name: &str,
    help: &str,
) -> Option<At<std::num::NonZeroUsize>> {
    let value = table.value(key)?;
    let parsed = match value.get_ref() {
        toml::de::DeValue::Integer(i) => super::reader::integer_value(i),
        other => {
            sink.report(
                &rules::WRONG_TYPE,
                value.span(),
                format!(
                    "`{key}` in {table_name} must be a whole number, found {}",
                    match other {
                        toml::de::DeValue::String(s) => format!("the string `{s}`"),
                        _ => "another kind of value".to_owned(),
                    }
                ),
                None,
            );
            return None;
        }
    };
    match parsed
        .and_then(|n| usize::try_from(n).ok())
        .and_then(std::num::NonZeroUsize::new)
    {
        Some(n) => Some(At::new(n, value.span())),
        None => {
            sink.report(
                &rules::INVALID_VALUE,
                value.span(),
                format!("`{key}` in {table_name} must be a whole number from 1 up"),
                Some(help.to_owned()),
            );
            None
        }
    }
}

/// An episode's name for messages, taken from its own fields when they are readable: `episode 5.4`, else its
/// position `episode #3`.
fn episode_label(document: &DeTable<'_>, index: usize) -> String {
    let table = document
        .get("episode")
        .and_then(|v| v.get_ref().as_array())
        .and_then(|a| a.get(index))
        .and_then(|v| v.get_ref().as_table());
    let int = |key: &str| {
        table
            .and_then(|t| t.get(key))
            .and_then(|v| v.get_ref().as_integer())
            .map(|i| i.as_str().to_owned())
    };
    match (int("season"), int("number")) {
        (Some(s), Some(n)) => format!("episode {s}.{n}"),
        (None, Some(n)) => format!("episode {n}"),
        _ => format!("episode #{}", index + 1),
    }
}

/// What episodes need from the show even when other parts of `[show]` have mistakes, so that the episodes
/// are still checked in the same run.
pub(super) struct Context<'r> {
    pub(super) root: &'r Path,
    /// The media folder, if it exists.
    media_dir: Option<PathBuf>,
    /// The media folder as written (or the default), for messages.
    media_dir_written: String,
    /// The media base URL, if it is valid.
    base_url: Option<Url>,
    /// The show's time zone, if given and valid.
    timezone: Option<chrono_tz::Tz>,
    /// Whether a `timezone` was written (even an invalid one), so dates are not reported twice.
    timezone_written: bool,
}
