//! `castkit tag`: write the catalogue's metadata into each episode's MP3 as ID3 tags.

use std::io::Write;

use castkit::ExitStatus;
use castkit::audio::AudioFormat;
use castkit::audio::cache::ProbeCache;
use castkit::audio::tag::{FrameChange, TagOptions, TagOutcome, write_tags};
use castkit::catalogue;
use castkit::diag::render;
use castkit::error::Chain;
use castkit::tagging::episode_tags;

use crate::cli::TagArgs;

/// Runs the command.
pub(crate) fn run(args: &TagArgs) -> anyhow::Result<ExitStatus> {
    let loaded = catalogue::load(&args.catalogue)?;
    let mut err = std::io::stderr().lock();
    err.write_all(render::text(&loaded.diagnostics).as_bytes())?;
    let Some(catalogue) = loaded.catalogue else {
        writeln!(err, "error: no file was tagged: fix the catalogue first")?;
        return Ok(ExitStatus::Failure);
    };
    let options = TagOptions {
        version: args.id3_version.into(),
        dry_run: args.dry_run,
        force: args.force,
    };
    let mut out = std::io::stdout().lock();
    let mut status = ExitStatus::Success;
    // Unchanged files are not read again: their facts come from the cache.
    let cache = ProbeCache::open();
    for episode in &catalogue.episodes {
        let written = &episode.audio.written;
        let Some(path) = &episode.audio.path else {
            continue;
        };
        let facts = match cache.probe(path) {
            Ok(f) => f,
            Err(e) => {
                writeln!(err, "error: {}: {}", episode.label(), Chain(&e))?;
                status = ExitStatus::Failure;
                continue;
            }
        };
        if facts.format != AudioFormat::Mp3 {
            writeln!(
                out,
                "skipped   `{written}`: it is {}, and castkit writes ID3 tags only into MP3 files",
                facts.format
            )?;
            continue;
        }
        let wanted = match episode_tags(&catalogue, episode, &facts, episode.guid.as_deref()) {
            Ok(w) => w,
            Err(e) => {
                writeln!(err, "error: {}: {}", episode.label(), Chain(&e))?;
                status = ExitStatus::Failure;
                continue;
            }
        };
        match write_tags(path, &wanted, &options) {
            Ok(TagOutcome::Unchanged) => writeln!(out, "unchanged `{written}`")?,
            Ok(TagOutcome::Written { changes }) => {
                writeln!(out, "tagged    `{written}`: {}", frame_list(&changes))?;
            }
            Ok(TagOutcome::WouldWrite { changes }) => {
                writeln!(out, "would tag `{written}`:")?;
                for c in &changes {
                    writeln!(out, "  {}", describe(c))?;
                }
            }
            Err(e) => {
                writeln!(err, "error: {}: {}", episode.label(), Chain(&e))?;
                status = ExitStatus::Failure;
            }
        }
    }
    cache.save();
    Ok(status)
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
