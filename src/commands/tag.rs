//! `castkit tag`: write the catalogue's metadata into each episode's MP3 as ID3 tags.

use std::io::Write;

use castkit::ExitStatus;
use castkit::audio::cache::ProbeCache;
use castkit::audio::id3::{FrameChange, TagOptions, TagOutcome};
use castkit::build::tagging::{Tagged, tag_episode};
use castkit::build::{audio_unreadable, tagging_failed};
use castkit::catalogue;
use castkit::diag::{Diagnostic, Severity};

use super::ui::{Stream, Ui};
use crate::cli::TagArgs;

/// Runs the command. What each file came to goes to stdout (not under `--quiet`); files that could not be
/// probed or tagged are findings (as in `build-feed --tag`), printed to stderr after the run.
pub(crate) fn run(args: &TagArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let mut err = std::io::stderr().lock();
    ui.detail(
        &mut err,
        format_args!("reading the catalogue `{}`", args.catalogue.display()),
    )?;
    let loaded = catalogue::load(&args.catalogue)?;
    err.write_all(
        ui.findings(Stream::Stderr, &loaded.diagnostics, Severity::Error)
            .as_bytes(),
    )?;
    let Some(catalogue) = loaded.catalogue else {
        writeln!(
            err,
            "{} no file was tagged: fix the catalogue first",
            ui.error_label(Stream::Stderr)
        )?;
        return Ok(ExitStatus::Failure);
    };
    let source = &loaded.source;
    let options = TagOptions {
        version: args.id3_version.into(),
        dry_run: args.dry_run,
        force: args.force,
    };
    let mut out = std::io::stdout().lock();
    let mut failures: Vec<Diagnostic> = Vec::new();
    // Unchanged files are not read again: their facts come from the cache.
    let cache = ProbeCache::for_catalogue(
        &args.catalogue,
        castkit::audio::cache::CacheMode::from_no_cache_flag(args.no_cache),
    );
    for episode in &catalogue.episodes {
        let written = &episode.audio.written;
        let Some(path) = &episode.audio.path else {
            writeln!(
                out,
                "skipped   `{written}`: the audio is hosted elsewhere, and castkit tags only files in the media folder"
            )?;
            continue;
        };
        ui.detail(&mut err, format_args!("reading `{written}`"))?;
        let facts = match cache.probe(path) {
            Ok(f) => f,
            Err(e) => {
                failures.push(audio_unreadable(episode, &episode.audio, &e, source));
                continue;
            }
        };
        let guid = episode.guid.as_deref();
        match tag_episode(&catalogue, episode, path, &facts, guid, &options) {
            Ok(Tagged::NotMp3(format)) => ui.say(
                &mut out,
                format_args!(
                    "skipped   `{written}`: it is {format}, and castkit writes ID3 tags only into MP3 files"
                ),
            )?,
            Ok(Tagged::Done(TagOutcome::Unchanged)) => {
                ui.say(&mut out, format_args!("unchanged `{written}`"))?;
            }
            Ok(Tagged::Done(TagOutcome::Written { changes })) => {
                ui.say(
                    &mut out,
                    format_args!("tagged    `{written}`: {}", frame_list(&changes)),
                )?;
            }
            Ok(Tagged::Done(TagOutcome::WouldWrite { changes })) => {
                ui.say(&mut out, format_args!("would tag `{written}`:"))?;
                for c in &changes {
                    ui.say(&mut out, format_args!("  {}", describe(c)))?;
                }
            }
            Err(e) => failures.push(tagging_failed(episode, &e, source)),
        }
    }
    cache.save();
    if failures.is_empty() {
        return Ok(ExitStatus::Success);
    }
    err.write_all(
        ui.findings(Stream::Stderr, &failures, Severity::Error)
            .as_bytes(),
    )?;
    Ok(ExitStatus::Failure)
}

fn frame_list(changes: &[FrameChange]) -> String {
    let names: Vec<&str> = changes.iter().map(|c| c.frame.as_str()).collect();
    format!(
        "{} change{} ({})",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        names.join(", ")
    )
}

fn describe(c: &FrameChange) -> String {
    let show = |v: &Option<String>| {
        v.as_ref()
            .map_or_else(|| "(none)".to_owned(), |s| format!("`{s}`"))
    };
    format!("{}: {} → {}", c.frame, show(&c.old), show(&c.new))
}
