//! `castkit build-feed`: run the build, print the findings and what was written.

use std::io::Write;

use anyhow::Context;
use castkit::ExitStatus;
use castkit::build::{Against, BuildError, BuildOptions, build_feed};
use castkit::diag::{Tally, render};

use crate::cli::BuildFeedArgs;

/// Runs the command.
pub(crate) fn run(args: &BuildFeedArgs) -> anyhow::Result<ExitStatus> {
    let now = match &args.now {
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .with_context(|| format!("`--now {text}` is not an RFC 3339 date-time"))?
            .to_utc(),
        None => chrono::Utc::now(),
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
    };
    let report = match build_feed(&options) {
        Ok(report) => report,
        Err(e @ BuildError::Published { .. }) => {
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "error: {}; nothing was written",
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
    err.write_all(render::text(&report.diagnostics).as_bytes())?;
    if let Some(compared) = &report.compared {
        for note in &compared.notes {
            writeln!(err, "note: {note}")?;
        }
        writeln!(
            err,
            "compared with the published feed `{}`: {}",
            compared.published,
            compared.summary.line()
        )?;
    }
    for (label, guid) in &report.assigned_guids {
        writeln!(
            err,
            "assigned guid `{guid}` to {label} (saved in `{}`)",
            args.catalogue.display()
        )?;
    }
    let tally = Tally::of(&report.diagnostics);
    if report.failed() {
        writeln!(
            err,
            "error: the feed was not written ({}); `{}` is unchanged",
            render::summary(tally),
            report.feed_path.display()
        )?;
        return Ok(ExitStatus::Failure);
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
        writeln!(err, "tagged `{}` ({n} frames changed)", path.display())?;
    }
    for path in &report.side_files_written {
        writeln!(err, "wrote `{}`", path.display())?;
    }
    writeln!(
        err,
        "{verb} `{}` with {episodes}{findings}",
        report.feed_path.display()
    )?;
    Ok(ExitStatus::Success)
}
