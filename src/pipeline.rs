//! `build-feed` as a library function: load the catalogue → choose the episodes → probe their audio → build
//! the channel → render → check → write.
//!
//! Each stage adds findings to one list; the build stops before writing anything as soon as a stage ends with
//! an error, so a failed build changes no file. When it succeeds it writes, in this order: the catalogue (only
//! if new guids were assigned — they must be on disk before any feed that carries them is published), then the
//! feed. Both writes are atomic ([`crate::fsutil::write_atomic`]).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::audio::{self, AudioFacts};
use crate::catalogue::{self, Catalogue, Episode, rules};
use crate::diag::{Diagnostic, SourceFile};
use crate::feed;
use crate::fsutil;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The catalogue file.
    pub catalogue: PathBuf,
    /// Where to write the feed; `public/feed.xml` next to the catalogue when `None`.
    pub out: Option<PathBuf>,
    /// Never modify the catalogue: an episode without a guid is an error instead of getting one.
    pub locked: bool,
    /// Include episodes marked as drafts.
    pub include_drafts: bool,
    /// Include episodes dated after `now`.
    pub include_future: bool,
    /// The moment that decides which episodes are in the future.
    pub now: DateTime<Utc>,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every finding from every stage, catalogue findings first, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the feed is (or would have been) written.
    pub feed_path: PathBuf,
    /// Whether the feed file was written (false when the build failed or the feed was already identical).
    pub feed_written: bool,
    /// Number of episodes in the feed.
    pub episodes_in_feed: usize,
    /// Guids assigned and saved into the catalogue in this build: (episode label, guid).
    pub assigned_guids: Vec<(String, String)>,
}

impl BuildReport {
    /// Whether any finding is an error (the feed was then not written).
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Why a build could not run or finish (as opposed to findings about its input).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The catalogue could not be read at all.
    #[error(transparent)]
    Catalogue(#[from] catalogue::ReadError),
    /// Writing the feed or the catalogue failed; the previous files are intact.
    #[error(transparent)]
    Write(#[from] fsutil::WriteError),
    /// The output folder could not be created.
    #[error("cannot create the folder `{}`: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The catalogue changed on disk while the build ran, so castkit did not overwrite it.
    #[error("`{}` changed while castkit was building; run the build again", path.display())]
    CatalogueChanged {
        /// The catalogue file.
        path: PathBuf,
    },
    /// The new guids could not be inserted into the catalogue text.
    #[error(transparent)]
    Guids(#[from] catalogue::guids::GuidWriteError),
}

/// The default feed location: `public/feed.xml` in the catalogue's folder.
pub fn default_feed_path(catalogue: &Path) -> PathBuf {
    let root = match catalogue.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::new(),
    };
    root.join("public").join("feed.xml")
}

/// Runs the whole build.
///
/// # Errors
/// [`BuildError`] when the catalogue cannot be read or a write fails. Problems in the catalogue, the audio or
/// the feed are findings in [`BuildReport::diagnostics`], and nothing is written when one is an error.
pub fn build_feed(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let feed_path = options
        .out
        .clone()
        .unwrap_or_else(|| default_feed_path(&options.catalogue));
    let loaded = catalogue::load(&options.catalogue)?;
    let mut report = BuildReport {
        diagnostics: loaded.diagnostics,
        feed_path,
        feed_written: false,
        episodes_in_feed: 0,
        assigned_guids: Vec::new(),
    };
    let Some(catalogue) = loaded.catalogue else {
        return Ok(report);
    };
    let source = loaded.source;

    // Stage: choose the episodes that go into the feed.
    let chosen = choose_episodes(&catalogue, options, &source, &mut report.diagnostics);

    // Stage: guids. Assigned in memory now; written to the catalogue only if the whole build succeeds.
    let mut guids: Vec<String> = Vec::with_capacity(chosen.len());
    let mut new_guids: Vec<(usize, String)> = Vec::new();
    for episode in &chosen {
        match &episode.guid {
            Some(g) => guids.push(g.clone()),
            None if options.locked => {
                report.diagnostics.push(
                    rules::MISSING_GUID
                        .diag(format!("{} has no guid, and `--locked` forbids assigning one", episode.label()))
                        .at(source.location(episode.span.clone()))
                        .help("run `castkit build-feed` without `--locked` once and commit the guid it writes into the catalogue"),
                );
                guids.push(String::new());
            }
            None => {
                let guid = catalogue::guids::new_guid();
                new_guids.push((episode.index, guid.clone()));
                guids.push(guid);
            }
        }
    }

    // Stage: probe every chosen episode's audio, in parallel; order of findings stays the catalogue's.
    let probed: Vec<Result<AudioFacts, audio::ProbeError>> = chosen
        .par_iter()
        .map(|episode| match &episode.audio.path {
            Some(path) => audio::probe(path),
            None => Err(audio::ProbeError::NotAudio {
                path: PathBuf::from(&episode.audio.written),
                what: "it is not a local file".to_owned(),
            }),
        })
        .collect();
    let mut facts: Vec<AudioFacts> = Vec::with_capacity(chosen.len());
    for (episode, result) in chosen.iter().zip(probed) {
        let location = source.location(episode.audio.span.clone());
        match result {
            Ok(f) => {
                for warning in &f.warnings {
                    report.diagnostics.push(
                        rules::AUDIO_WARNING
                            .diag(format!(
                                "{}: `{}`: {warning}",
                                episode.label(),
                                episode.audio.written
                            ))
                            .at(location.clone()),
                    );
                }
                facts.push(f);
            }
            Err(e) => report.diagnostics.push(
                rules::AUDIO_UNREADABLE
                    .diag(format!("{}: {e}", episode.label()))
                    .at(location)
                    .help("re-export the file from your editor as MP3 (or M4A), then build again"),
            ),
        }
    }
    if report.failed() {
        crate::diag::sort(&mut report.diagnostics);
        return Ok(report);
    }

    // Stage: build and render the feed.
    let published: Vec<feed::build::Published<'_>> = chosen
        .iter()
        .zip(&facts)
        .zip(&guids)
        .map(|((episode, audio), guid)| feed::build::Published {
            episode,
            audio,
            guid,
        })
        .collect();
    let channel = feed::build::channel(&catalogue, &published);
    let bytes = feed::render::to_bytes(&channel);
    report.episodes_in_feed = channel.items.len();
    if channel.items.is_empty() {
        report.diagnostics.push(
            rules::NO_EPISODES
                .diag("the feed has no episodes")
                .at(source.location(0..0))
                .help("Apple Podcasts needs at least one published episode; check `draft` and `published`"),
        );
    }
    crate::diag::sort(&mut report.diagnostics);
    if report.failed() {
        return Ok(report);
    }

    // Stage: write. The catalogue first (new guids must be saved before a feed carrying them goes out).
    if !new_guids.is_empty() {
        let current = std::fs::read_to_string(&catalogue.path).unwrap_or_default();
        if current != source.text() {
            return Err(BuildError::CatalogueChanged {
                path: catalogue.path.clone(),
            });
        }
        let updated = catalogue::guids::insert_guids(source.text(), &new_guids)?;
        fsutil::write_atomic(&catalogue.path, |w| w.write_all(updated.as_bytes()))?;
        report.assigned_guids = new_guids
            .into_iter()
            .map(|(index, guid)| (catalogue.episodes[index].label(), guid))
            .collect();
    }
    if std::fs::read(&report.feed_path).ok().as_deref() != Some(bytes.as_slice()) {
        if let Some(dir) = report
            .feed_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| BuildError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        fsutil::write_atomic(&report.feed_path, |w| w.write_all(&bytes))?;
        report.feed_written = true;
    }
    Ok(report)
}

/// Leaves out drafts and future episodes (unless asked for), saying so for each.
fn choose_episodes<'c>(
    catalogue: &'c Catalogue,
    options: &BuildOptions,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'c Episode> {
    let mut chosen = Vec::new();
    for episode in &catalogue.episodes {
        let location = source.location(episode.span.clone());
        if episode.draft && !options.include_drafts {
            diagnostics.push(
                rules::HELD_BACK
                    .diag(format!("{} is a draft: left out of the feed", episode.label()))
                    .at(location)
                    .help("remove `draft = true` to publish it, or build with `--drafts` to preview it"),
            );
            continue;
        }
        if episode.published.with_timezone(&Utc) > options.now && !options.include_future {
            diagnostics.push(
                rules::HELD_BACK
                    .diag(format!(
                        "{} is dated {}, in the future: held back",
                        episode.label(),
                        episode.published.to_rfc3339()
                    ))
                    .at(location)
                    .help("it goes into the feed on the first build after that moment; build with `--future` to include it now"),
            );
            continue;
        }
        chosen.push(episode);
    }
    chosen
}
