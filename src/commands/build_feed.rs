//! `castkit build-feed`: run the build, print the findings and what was written.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::build::{Against, BuildError, BuildOptions, ProbeProgress, build_feed};
use castkit::diag::{Severity, Tally, render};

use super::ui::{Stream, Ui};
use crate::cli::BuildFeedArgs;

/// Runs the command.
pub(crate) fn run(args: &BuildFeedArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let now = match &args.now {
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .with_context(|| format!("`--now {text}` is not an RFC 3339 date-time"))?
            .to_utc(),
        None => chrono::Utc::now(),
    };
    // A bar on a terminal while audio is measured; never under `--quiet`, nor for a few files (nor for a
    // warm build, whose files come from the store faster than the bar would draw).
    let bar = if std::io::stderr().is_terminal() && !ui.quiet() {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(super::ui::progress_style("audio files"));
        Some(bar)
    } else {
        None
    };
    let options = BuildOptions {
        catalogue: args.catalogue.clone(),
        out: args.out.clone(),
        locked: args.locked,
        include_drafts: args.drafts,
        include_future: args.future,
        now,
        tag: args.tag.then_some(castkit::audio::id3::TagOptions {
            version: args.id3_version.into(),
            dry_run: false,
            force: false,
        }),
        against: match (&args.against, args.no_against) {
            (Some(feed), _) => Against::Feed(feed.clone()),
            (None, true) => Against::Off,
            (None, false) => Against::Catalogue,
        },
        allow: super::allowed_changes(&args.allow)?,
        fetch: castkit::fetch::FetchOptions {
            timeout: std::time::Duration::from_secs(args.timeout),
            ..castkit::fetch::FetchOptions::default()
        },
        max_items: args.max_items,
        progress: progress_bar(&bar),
        probe_cache: castkit::audio::cache::CacheMode::from_no_cache_flag(args.no_cache),
        integrity: match (args.integrity, args.no_integrity) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        },
        loudness: args.loudness,
        public_urls: None,
        site: !args.no_site,
    };
    ui.detail(
        &mut std::io::stderr().lock(),
        format_args!("reading the catalogue `{}`", args.catalogue.display()),
    )?;
    let built = build_feed(&options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match built {
        Ok(report) => report,
        Err(e @ BuildError::Published { .. }) => {
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "{} {}; nothing was written",
                ui.error_label(Stream::Stderr),
                castkit::error::Chain(&e)
            )?;
            writeln!(
                err,
                "help: check the URL or path (`--against`, or `against` in `[build]`); for a show's first release, when nothing is published yet, build with `--no-against`"
            )?;
            return Ok(ExitStatus::Error);
        }
        Err(e) => return Err(e.into()),
    };
    let mut err = std::io::stderr().lock();
    err.write_all(
        ui.findings(Stream::Stderr, &report.diagnostics, Severity::Error)
            .as_bytes(),
    )?;
    if let Some(compared) = &report.compared {
        for note in &compared.notes {
            ui.say(&mut err, format_args!("note: {note}"))?;
        }
        ui.say(
            &mut err,
            format_args!(
                "compared with the published feed `{}`: {}",
                compared.published,
                compared.summary.line()
            ),
        )?;
    }
    for (label, slug) in &report.assigned_slugs {
        ui.say(
            &mut err,
            format_args!(
                "assigned slug `{slug}` to {label}: its page is `episodes/{slug}/` (saved in `{}`)",
                args.catalogue.display()
            ),
        )?;
    }
    for (label, guid) in &report.assigned_guids {
        ui.say(
            &mut err,
            format_args!(
                "assigned guid `{guid}` to {label} (saved in `{}`)",
                args.catalogue.display()
            ),
        )?;
    }
    let tally = Tally::of(&report.diagnostics);
    if report.failed() {
        writeln!(
            err,
            "{} the feed was not written ({}); `{}` is unchanged",
            ui.error_label(Stream::Stderr),
            render::summary(tally),
            report.feed_path.display()
        )?;
        return Ok(ExitStatus::Failure);
    }
    if ui.verbose() {
        list_probed(args, &options, &mut err)?;
    }
    let episodes = match report.episodes_in_feed {
        1 => "1 episode".to_owned(),
        n => format!("{n} episodes"),
    };
    let verb = if report.feed_written {
        "wrote"
    } else {
        "unchanged:"
    };
    let findings = if tally.warnings > 0 {
        format!(" ({})", render::summary(tally))
    } else {
        String::new()
    };
    for (path, n) in &report.tagged {
        ui.say(
            &mut err,
            format_args!("tagged `{}` ({n} frames changed)", path.display()),
        )?;
    }
    for path in report
        .side_files_written
        .iter()
        .chain(&report.archive_pages_written)
    {
        ui.say(&mut err, format_args!("wrote `{}`", path.display()))?;
    }
    if let Some(site) = &report.site {
        for path in &site.removed {
            ui.say(
                &mut err,
                format_args!("removed `{}` (no longer part of the site)", path.display()),
            )?;
        }
    }
    for path in &report.archive_pages_removed {
        ui.say(
            &mut err,
            format_args!("removed `{}` (no longer an archive page)", path.display()),
        )?;
    }
    let archived = match report.archive_pages.len() {
        0 => String::new(),
        pages => format!(
            " and {} more in {pages} archive page{}",
            report.episodes_archived,
            if pages == 1 { "" } else { "s" }
        ),
    };
    let site = match &report.site {
        None => String::new(),
        Some(site) => {
            let pages = match site.pages {
                1 => "1 page".to_owned(),
                n => format!("{n} pages"),
            };
            let written = match site.written.len() {
                0 => "unchanged".to_owned(),
                n if n == site.pages + 2 => "written".to_owned(),
                n => format!("{n} files written"),
            };
            format!(", and its website ({pages}, {written})")
        }
    };
    ui.say(
        &mut err,
        format_args!(
            "{verb} `{}` with {episodes}{archived}{site}{findings}",
            report.feed_path.display()
        ),
    )?;
    Ok(ExitStatus::Success)
}

/// `--verbose`: each audio file of the episodes in the feed, with its exact duration. The build has just
/// probed them all through the probe cache, so this reads only the cache (or, with the cache off, probes
/// again). Episodes are chosen as the build chooses them: drafts and future episodes only when asked for.
fn list_probed(
    args: &BuildFeedArgs,
    options: &BuildOptions,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let loaded = castkit::catalogue::load(&args.catalogue)?;
    let Some(catalogue) = loaded.catalogue else {
        return Ok(());
    };
    let cache =
        castkit::audio::cache::ProbeCache::for_catalogue(&args.catalogue, options.probe_cache);
    for episode in &catalogue.episodes {
        let held_back = (episode.draft && !options.include_drafts)
            || (episode.published.to_utc() > options.now && !options.include_future);
        if held_back {
            continue;
        }
        let files =
            std::iter::once(&episode.audio).chain(episode.alternates.iter().map(|a| &a.audio));
        for media in files {
            let Some(path) = &media.path else {
                continue;
            };
            match cache.probe(path) {
                Ok(facts) => writeln!(
                    err,
                    "probed `{}` ({}): {}, {} bytes",
                    media.written,
                    episode.label(),
                    super::clock(facts.millis()),
                    facts.size_bytes
                )?,
                Err(e) => writeln!(
                    err,
                    "probed `{}` ({}): {}",
                    media.written,
                    episode.label(),
                    castkit::error::Chain(&e)
                )?,
            }
        }
    }
    Ok(())
}

/// More files than this are worth a progress bar.
const FILES_FOR_A_BAR: usize = 8;

/// Reports the build's probing to `bar` (when there is one): the bar appears once more than a few files
/// are to be measured, and only when measuring takes more than 0.3 s (a build answered from the probe
/// store in a blink draws nothing).
fn progress_bar(bar: &Option<indicatif::ProgressBar>) -> ProbeProgress {
    let Some(bar) = bar.clone() else {
        return ProbeProgress::default();
    };
    ProbeProgress::new(move |done, total| {
        if total <= FILES_FOR_A_BAR {
            return;
        }
        if done == 1 {
            bar.reset_elapsed();
        }
        if bar.is_hidden() && bar.elapsed() > std::time::Duration::from_millis(300) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
}
