//! `castkit validate`: check a podcast feed and report like a compiler, or in JSON, JUnit or GitHub form.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::diag::suggest::did_you_mean;
use castkit::diag::{Severity, Tally, render};
use castkit::registry;
use castkit::validate::{MAX_FEED_BYTES, MediaMap, Options, validate_bytes};

use crate::cli::{ReportFormat, ValidateArgs};

/// Runs the command.
pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if let Some(code) = &args.explain {
        let Some(rule) = registry::find(code) else {
            let near = did_you_mean(code, registry::all().map(|r| r.name))
                .or_else(|| did_you_mean(code, registry::all().map(|r| r.code)));
            match near {
                Some(near) => {
                    anyhow::bail!("no rule has the code or name `{code}`; did you mean `{near}`?")
                }
                None => anyhow::bail!(
                    "no rule has the code or name `{code}`; codes are F001–F4xx for feeds and C001–C0xx for catalogues, e.g. `castkit validate --explain F001`"
                ),
            }
        };
        out.write_all(registry::explain(rule).as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let Some(feed) = &args.feed else {
        anyhow::bail!("name the feed to check, or `-` for standard input");
    };
    let (name, bytes) = read_feed(feed)?;
    let now = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| format!("`--now {t}` is not an RFC 3339 date-time"))?
            .to_utc(),
        None => chrono::Utc::now(),
    };
    let media = match (&args.catalogue, &args.media) {
        (Some(catalogue), _) => Some(map_from_catalogue(catalogue, feed)?),
        (None, Some(dir)) => Some(MediaMap::dir(dir)),
        (None, None) => None,
    };
    let diagnostics = validate_bytes(&name, &bytes, &Options { now, media });
    let tally = Tally::of(&diagnostics);
    match args.format {
        ReportFormat::Text => {
            out.write_all(render::text(&diagnostics).as_bytes())?;
            writeln!(out, "{name}: {}", render::summary(tally))?;
        }
        ReportFormat::Json => out.write_all(render::json(&diagnostics).as_bytes())?,
        ReportFormat::Junit => out.write_all(render::junit(&name, &diagnostics).as_bytes())?,
        ReportFormat::Github => out.write_all(render::github(&diagnostics).as_bytes())?,
    }
    let failed = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (args.deny_warnings && d.severity == Severity::Warning)
    });
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Reads at most one byte more than castkit validates, so a huge input is refused without being held.
fn read_feed(feed: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    let limit = MAX_FEED_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if feed == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("cannot read the feed from standard input")?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    std::fs::File::open(feed)
        .and_then(|f| f.take(limit).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read the feed `{}`", feed.display()))?;
    Ok((feed.display().to_string(), bytes))
}

/// The media map a catalogue implies: its media base URL serves its media folder, and the feed's own folder
/// (where castkit writes chapters and transcripts) is served next to the feed's URL.
fn map_from_catalogue(catalogue: &Path, feed: &Path) -> anyhow::Result<MediaMap> {
    let loaded = castkit::catalogue::load(catalogue)?;
    let Some(catalogue) = loaded.catalogue else {
        let mut err = std::io::stderr().lock();
        err.write_all(render::text(&loaded.diagnostics).as_bytes())?;
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
    Ok(MediaMap {
        dir: show.media_dir.clone(),
        prefixes,
    })
}
