//! `castkit validate`: check a podcast feed and report like a compiler, or in JSON, JUnit or GitHub form.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::audio::cache::{CacheMode, ProbeCache};
use castkit::diag::{Severity, Tally, render};
use castkit::validate::{MediaMap, Options, hosting, validate_bytes_with_cache};

use super::ui::{Stream, Ui};
use crate::cli::{ReportFormat, ValidateArgs};

/// Runs the command. Under `--quiet` the text report keeps only the findings that fail the run and drops
/// its summary line; the other formats are the report asked for, unchanged.
pub(crate) fn run(args: &ValidateArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if let Some(code) = &args.explain {
        return super::explain(code);
    }
    let Some(feed) = &args.feed else {
        anyhow::bail!("name the feed to check, or `-` for standard input");
    };
    let mut err = std::io::stderr().lock();
    let timeout = std::time::Duration::from_secs(args.timeout);
    // A URL: fetched, its redirects said, its final URL compared with the feed's self link (F608).
    let spec = feed.to_str().filter(|s| castkit::fetch::is_url(s));
    let mut fetched_at = None;
    // A folder: its feed and the archive pages it links to (RFC 5005).
    let folder = (spec.is_none() && feed.is_dir()).then(|| feed.clone());
    let (name, bytes) = match (&folder, spec) {
        (Some(dir), _) => {
            ui.detail(&mut err, format_args!("reading `{}`", feed.display()))?;
            (dir.display().to_string(), Vec::new())
        }
        (None, Some(url)) => {
            ui.detail(&mut err, format_args!("fetching `{url}`"))?;
            let options = castkit::fetch::FetchOptions {
                timeout,
                ..castkit::fetch::FetchOptions::default()
            };
            let cache = castkit::fetch::feed_cache_dir();
            let fetched = castkit::fetch::fetch_cached(url, &options, cache.as_deref())?;
            for note in castkit::fetch::notes(&fetched) {
                ui.say(&mut err, format_args!("note: {note}"))?;
            }
            let bytes = std::mem::take(&mut fetched_at.insert(fetched).bytes);
            (url.to_owned(), bytes)
        }
        (None, None) => {
            ui.detail(&mut err, format_args!("reading `{}`", feed.display()))?;
            super::read_feed(feed)?
        }
    };
    let feed = &match &folder {
        Some(dir) => castkit::validate::archive::find_feed(dir)?,
        None => feed.clone(),
    };
    let now = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| format!("`--now {t}` is not an RFC 3339 date-time"))?
            .to_utc(),
        None => chrono::Utc::now(),
    };
    // The catalogue, kept for the release checks of its audio.
    let mut loaded_catalogue = None;
    let media = match (&args.catalogue, &args.media) {
        (Some(catalogue), _) => {
            ui.detail(
                &mut err,
                format_args!("reading the catalogue `{}`", catalogue.display()),
            )?;
            Some(map_from_catalogue(
                catalogue,
                feed,
                ui,
                &mut loaded_catalogue,
            )?)
        }
        (None, Some(dir)) => Some(MediaMap::dir(dir)),
        (None, None) => None,
    };
    if let Some(media) = &media {
        ui.detail(
            &mut err,
            format_args!(
                "checking enclosures against the files in `{}`",
                media.dir.display()
            ),
        )?;
        for (url, dir) in &media.prefixes {
            ui.detail(
                &mut err,
                format_args!("  `{url}` is served from `{}`", dir.display()),
            )?;
        }
    }
    drop(err);
    let options = Options { now, media };
    // With a catalogue, the show's probe store: unchanged audio is not read again.
    let cache = match &args.catalogue {
        Some(catalogue) => {
            ProbeCache::for_catalogue(catalogue, CacheMode::from_no_cache_flag(args.no_cache))
        }
        None => ProbeCache::disabled(),
    };
    let mut diagnostics = match &folder {
        Some(dir) => castkit::validate::archive::validate_folder(dir, &options)?.1,
        None => validate_bytes_with_cache(&name, &bytes, &options, &cache),
    };
    if let Some((catalogue, source)) = &loaded_catalogue {
        diagnostics.extend(release_checks(catalogue, source, &cache, args.loudness));
    }
    cache.save();
    if let Some(fetched) = &fetched_at {
        diagnostics.extend(hosting::check_self_link(
            &name,
            &bytes,
            &fetched.url,
            &fetched.redirects,
        ));
    }
    if args.online {
        let online = castkit::online::CheckOptions {
            jobs: NonZeroUsize::new(usize::from(args.jobs))
                .unwrap_or(castkit::online::DEFAULT_JOBS),
            timeout,
            cache_dir: castkit::online::cache_dir(),
        };
        let (hosted_name, hosted_bytes) = match &folder {
            Some(_) => super::read_feed(feed)?,
            None => (name.clone(), bytes),
        };
        diagnostics.extend(check_online(&hosted_name, &hosted_bytes, &online, ui));
    }
    castkit::diag::sort(&mut diagnostics);
    let tally = Tally::of(&diagnostics);
    let fails_at = if args.deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    match args.format {
        ReportFormat::Text => {
            out.write_all(
                ui.findings(Stream::Stdout, &diagnostics, fails_at)
                    .as_bytes(),
            )?;
            ui.say(&mut out, format_args!("{name}: {}", render::summary(tally)))?;
        }
        ReportFormat::Json => out.write_all(render::json(&diagnostics).as_bytes())?,
        ReportFormat::Junit => out.write_all(render::junit(&name, &diagnostics).as_bytes())?,
        ReportFormat::Github => out.write_all(render::github(&diagnostics).as_bytes())?,
    }
    let failed = diagnostics.iter().any(|d| d.severity <= fails_at);
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The media map a catalogue implies: its media base URL serves its media folder, and the feed's own folder
/// (where castkit writes chapters and transcripts) is served next to the feed's URL.
fn map_from_catalogue(
    catalogue: &Path,
    feed: &Path,
    ui: Ui,
    keep: &mut Option<(castkit::catalogue::Catalogue, castkit::diag::SourceFile)>,
) -> anyhow::Result<MediaMap> {
    let loaded = castkit::catalogue::load(catalogue)?;
    let Some(catalogue) = loaded.catalogue else {
        let mut err = std::io::stderr().lock();
        err.write_all(
            ui.findings(Stream::Stderr, &loaded.diagnostics, Severity::Error)
                .as_bytes(),
        )?;
        anyhow::bail!("the catalogue has errors; fix them to check the feed against its media");
    };
    let show = &catalogue.show;
    let mut prefixes = vec![(show.media_base_url.to_string(), show.media_dir.clone())];
    if let Ok(feed_dir_url) = show.feed_url.join("./") {
        let feed_dir = match feed.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        prefixes.push((feed_dir_url.to_string(), feed_dir));
    }
    let map = MediaMap {
        dir: show.media_dir.clone(),
        prefixes,
        hosted_elsewhere: catalogue.hosted_elsewhere(),
    };
    *keep = Some((catalogue, loaded.source));
    Ok(map)
}

/// The release checks of `build-feed` over the catalogue's episodes with local audio (drafts included: the
/// files are there to check), when the show sets a `loudness` target or `--loudness` asks: loudness, true
/// peak, silence, bitrate and sample rate, and the show's consistency. A file that cannot be probed is left
/// to the enclosure checks, which report it.
fn release_checks(
    catalogue: &castkit::catalogue::Catalogue,
    source: &castkit::diag::SourceFile,
    cache: &ProbeCache,
    forced: bool,
) -> Vec<castkit::diag::Diagnostic> {
    use castkit::build::loudness;
    let Some(target) = loudness::target_for(catalogue, forced) else {
        return Vec::new();
    };
    let paths: Vec<&Path> = catalogue
        .episodes
        .iter()
        .filter_map(|e| e.audio.path.as_deref())
        .collect();
    let probed = cache.probe_all(&paths, false, &|| {});
    let mut probed = probed.into_iter();
    let facts: Vec<Option<castkit::audio::AudioFacts>> = catalogue
        .episodes
        .iter()
        .map(|e| {
            e.audio.path.as_ref()?;
            probed.next()?.ok().map(|(facts, _)| facts)
        })
        .collect();
    let episodes: Vec<_> = catalogue
        .episodes
        .iter()
        .zip(&facts)
        .map(|(e, f)| (e, f.as_ref()))
        .collect();
    let mut found = Vec::new();
    loudness::check(&target, cache, &episodes, source, &mut found);
    found
}

/// The F6xx findings of `--online`, with a progress bar on a terminal.
fn check_online(
    name: &str,
    bytes: &[u8],
    options: &castkit::online::CheckOptions,
    ui: Ui,
) -> Vec<castkit::diag::Diagnostic> {
    let bar = (std::io::stderr().is_terminal() && !ui.quiet()).then(|| {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(super::ui::progress_style("URLs"));
        bar
    });
    let mut total = |n: usize| {
        if let Some(bar) = &bar {
            bar.set_length(n as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    let progress = || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    let found = hosting::check_hosting(name, bytes, options, &mut total, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    found
}
