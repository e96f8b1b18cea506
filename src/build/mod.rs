//! `build-feed` as a library function: load the catalogue → choose the episodes (`select`) → probe their
//! audio and check what depends on the exact durations (`probe`) → tag the MP3s ([`tagging`]) → plan the
//! side files (`side_files`) → build the channel ([`channel`]) → render → validate → write.
//!
//! Each stage adds findings to one list; the build stops before writing anything as soon as a stage ends with
//! an error, so a failed build changes no file. When it succeeds it writes, in this order: the catalogue (only
//! if new guids were assigned — they must be on disk before any feed that carries them is published), the
//! side files the feed points at (JSON chapters, converted transcripts), then the archive pages of a paged
//! feed (`archive`), then the feed, and last removes archive pages no longer needed. Every write is atomic
//! ([`crate::fsutil::write_atomic`]) and skipped when the file already has the same bytes. Last comes the
//! show's website ([`crate::site`]), rendered before anything is written (a broken template stops the build
//! with nothing written) and written after the feed.
//!
//! This is the top of the library: it may use every other module, and none uses it.

mod against;
mod archive;
pub mod channel;
pub mod loudness;
mod podcasting;
mod probe;
mod select;
mod side_files;
pub mod tagging;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use self::against::Compared;
use self::channel::{EpisodeAudio, EpisodeIntegrity};
pub use self::probe::audio_unreadable;
use self::probe::{Probed, check_against_durations, probe_all};
use self::select::{choose_episodes, guids, slugs};
use self::tagging::{TagEpisodeError, Tagged};
use crate::audio::id3::{TagOptions, TagOutcome};
use crate::audio::{self, AudioFacts};
use crate::catalogue::{self, Catalogue, Episode, rules};
use crate::diag::{Diagnostic, SourceFile};
use crate::error::Chain;
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
    /// Write ID3 tags into the MP3s first (then measure them again for the feed).
    pub tag: Option<TagOptions>,
    /// The published feed to compare the release with before writing anything.
    pub against: Against,
    /// Kinds of breaking change accepted knowingly (`--allow`).
    pub allow: Vec<&'static crate::diag::Rule>,
    /// How to fetch a published feed given as a URL.
    pub fetch: crate::fetch::FetchOptions,
    /// The most episodes the feed holds, older ones going to archive pages (`--max-items`); the catalogue's
    /// `[build] max_items` when `None`.
    pub max_items: Option<std::num::NonZeroUsize>,
    /// Told of each audio file measured, for a progress bar.
    pub progress: ProbeProgress,
    /// Whether the show's probe store is used (`--no-cache`: no).
    pub probe_cache: audio::cache::CacheMode,
    /// Whether each local audio file's SRI string goes into the feed as `podcast:integrity`
    /// (`--integrity`, `--no-integrity`); the catalogue's `[build] integrity` when `None`.
    pub integrity: Option<bool>,
    /// Measure every episode's loudness against the show's target (or −16 ± 1 LUFS when the show sets
    /// none), with the other release checks of `build::loudness` (`--loudness`); the show's `loudness`
    /// setting turns them on too.
    pub loudness: bool,
    /// Publish the feed and the media at these URLs instead of the catalogue's (`castkit serve`, which
    /// builds a preview pointing at itself); `None` for the catalogue's own.
    pub public_urls: Option<catalogue::PublicUrls>,
    /// Write the show's website next to the feed (unless the catalogue's `[site] enabled = false`);
    /// `build-feed --no-site` turns it off.
    pub site: bool,
}

/// Called with (files measured, files to measure) as the build measures its audio, from the probing
/// threads: `castkit build-feed` draws its progress bar with it. Does nothing by default.
#[derive(Clone, Default)]
pub struct ProbeProgress(Option<std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>>);

impl ProbeProgress {
    /// Progress reported to `report(done, total)`.
    pub fn new(report: impl Fn(usize, usize) + Send + Sync + 'static) -> ProbeProgress {
        ProbeProgress(Some(std::sync::Arc::new(report)))
    }

    fn report(&self, done: usize, total: usize) {
        if let Some(report) = &self.0 {
            report(done, total);
        }
    }
}

impl std::fmt::Debug for ProbeProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProbeProgress(reported)"
        } else {
            "ProbeProgress(none)"
        })
    }
}

/// Which published feed a release is compared with (`build-feed --against`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Against {
    /// The catalogue's `[build] against`, when it has one (the default).
    #[default]
    Catalogue,
    /// No comparison (`--no-against`): a show's first release.
    Off,
    /// This feed: an http(s) URL, or a path (`--against`).
    Feed(String),
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every finding from every stage, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the feed is (or would have been) written.
    pub feed_path: PathBuf,
    /// Whether the feed file was written (false when the build failed or the feed was already identical).
    pub feed_written: bool,
    /// Side files written (JSON chapters, converted transcripts), relative to nothing: as paths on disk.
    pub side_files_written: Vec<PathBuf>,
    /// Number of episodes in the feed.
    pub episodes_in_feed: usize,
    /// The archive pages of a paged feed (`max_items`), oldest first, whether written or unchanged.
    pub archive_pages: Vec<PathBuf>,
    /// Number of episodes in the archive pages.
    pub episodes_archived: usize,
    /// Archive pages written in this build (new or changed).
    pub archive_pages_written: Vec<PathBuf>,
    /// Archive pages removed in this build: pages above the new last one, no longer linked.
    pub archive_pages_removed: Vec<PathBuf>,
    /// Guids assigned and saved into the catalogue in this build: (episode label, guid).
    pub assigned_guids: Vec<(String, String)>,
    /// Audio files whose tags were rewritten (with `tag`), and how many frames changed in each.
    pub tagged: Vec<(PathBuf, usize)>,
    /// The comparison with the published feed, when there was one.
    pub compared: Option<Compared>,
    /// Slugs derived and saved into the catalogue in this build: (episode label, slug).
    pub assigned_slugs: Vec<(String, String)>,
    /// The website, when it was built: its pages, and the files written and removed.
    pub site: Option<SiteReport>,
}

/// What the build did to the show's website.
#[derive(Debug, Clone, Default)]
pub struct SiteReport {
    /// The folder it is in (the feed's).
    pub dir: PathBuf,
    /// How many HTML pages it has.
    pub pages: usize,
    /// Files written in this build (new or changed).
    pub written: Vec<PathBuf>,
    /// Files of an earlier build removed: no longer part of the site.
    pub removed: Vec<PathBuf>,
}

impl BuildReport {
    /// Whether any finding is an error (nothing was then written).
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
    /// Writing the feed, a side file or the catalogue failed; the previous files are intact.
    #[error(transparent)]
    Write(#[from] fsutil::WriteError),
    /// An output folder could not be created.
    #[error("cannot create the folder `{}`", path.display())]
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
    /// The catalogue could not be read again before saving the new guids into it.
    #[error("cannot read `{}` again to save the new guids into it", path.display())]
    Reread {
        /// The catalogue file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The new guids could not be inserted into the catalogue text.
    #[error(transparent)]
    Guids(#[from] catalogue::guids::GuidWriteError),
    /// An archive page no longer needed could not be removed (the new feed and pages are written).
    #[error("cannot remove the archive page `{}`, no longer part of the feed", path.display())]
    RemovePage {
        /// The page.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The website could not be rendered (a template) or written.
    #[error(transparent)]
    Site(#[from] crate::site::SiteError),
    /// The published feed to compare with could not be read or fetched; nothing was written.
    #[error("cannot read the published feed `{name}` to compare the release with it")]
    Published {
        /// Its URL or path.
        name: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// The report of a build that stopped before writing anything: its findings, sorted by position.
fn stopped(mut report: BuildReport) -> BuildReport {
    crate::diag::sort(&mut report.diagnostics);
    report
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
        side_files_written: Vec::new(),
        episodes_in_feed: 0,
        archive_pages: Vec::new(),
        episodes_archived: 0,
        archive_pages_written: Vec::new(),
        archive_pages_removed: Vec::new(),
        assigned_guids: Vec::new(),
        tagged: Vec::new(),
        compared: None,
        assigned_slugs: Vec::new(),
        site: None,
    };
    let Some(mut catalogue) = loaded.catalogue else {
        return Ok(report);
    };
    if let Some(urls) = &options.public_urls {
        catalogue.publish_at(urls);
    }
    let source = loaded.source;
    // Read first: a published feed that cannot be reached or read stops the build before any work.
    let published = against::load(options, &catalogue, &mut report.diagnostics)?;
    if report.failed() {
        return Ok(stopped(report));
    }
    let max_items = options
        .max_items
        .or(catalogue.build.max_items.as_ref().map(|at| at.value));
    let integrity = options
        .integrity
        .or(catalogue.build.integrity.as_ref().map(|at| at.value))
        .unwrap_or(false);
    let diags = &mut report.diagnostics;

    let chosen = choose_episodes(&catalogue, options, &source, diags);
    let (guids, new_guids) = guids(&chosen, options.locked, &source, diags);
    let site_enabled = options.site && catalogue.site.enabled;
    let (slugs, new_slugs) = if site_enabled {
        slugs(&catalogue, &chosen, options.locked, &source, diags)
    } else {
        (Vec::new(), Vec::new())
    };
    let cache = audio::cache::ProbeCache::for_catalogue(&options.catalogue, options.probe_cache);
    // Files about to be tagged are hashed after tagging, when their bytes are final.
    let hash_now = integrity && options.tag.is_none();
    let probed = probe_all(&cache, &options.progress, &chosen, hash_now, &source, diags);
    let Some(Probed {
        audio: probed,
        digests,
    }) = probed
    else {
        return Ok(stopped(report));
    };
    check_against_durations(&chosen, &probed, &source, diags);
    if report.failed() {
        return Ok(stopped(report));
    }

    // Stage: tags. Writing them changes the files' bytes, so the files are measured again afterwards: the
    // feed states the length of the file that will be served.
    let (probed, digests) = match &options.tag {
        Some(tag_options) => {
            // Tags change only enclosure lengths, never what breaks subscribers: a release that the
            // published feed refuses is refused before any file is tagged.
            if let Some(published) = &published {
                let mut scratch = Vec::new();
                let (_, rendered) = render(
                    &catalogue,
                    &chosen,
                    (&probed, &digests),
                    &guids,
                    &report.feed_path,
                    max_items,
                    &source,
                    &mut scratch,
                );
                let feed_name = report.feed_path.display().to_string();
                let (findings, _) = against::compare(
                    published,
                    &feed_name,
                    &rendered,
                    options,
                    &catalogue,
                    (&chosen, &guids),
                    &source,
                );
                if findings.iter().any(Diagnostic::is_error) {
                    report.diagnostics.extend(findings);
                    return Ok(stopped(report));
                }
            }
            let tagged = tag_all(
                &catalogue,
                &chosen,
                &probed,
                &guids,
                tag_options,
                &source,
                &mut report.diagnostics,
            );
            report.tagged = tagged;
            if report.failed() {
                return Ok(stopped(report));
            }
            let Some(again) = probe_all(
                &cache,
                &options.progress,
                &chosen,
                integrity,
                &source,
                &mut report.diagnostics,
            ) else {
                return Ok(stopped(report));
            };
            (again.audio, again.digests)
        }
        None => (probed, digests),
    };
    // The release checks of the audio, on the files as they will be served.
    if let Some(target) = loudness::target_for(&catalogue, options.loudness) {
        let episodes: Vec<_> = chosen
            .iter()
            .zip(&probed)
            .map(|(e, (audio, _))| match audio {
                EpisodeAudio::Probed(facts) => (*e, Some(&**facts)),
                EpisodeAudio::Stated { .. } => (*e, None),
            })
            .collect();
        loudness::check(&target, &cache, &episodes, &source, &mut report.diagnostics);
    }

    let (side_files, rendered) = render(
        &catalogue,
        &chosen,
        (&probed, &digests),
        &guids,
        &report.feed_path,
        max_items,
        &source,
        &mut report.diagnostics,
    );
    let episodes_in_feed =
        chosen.len() - rendered.pages.iter().map(|p| p.guids.len()).sum::<usize>();
    report.episodes_in_feed = episodes_in_feed;
    report.episodes_archived = chosen.len() - episodes_in_feed;
    report.archive_pages = rendered.pages.iter().map(|p| p.path.clone()).collect();
    // The same rules as `castkit validate`, on the bytes about to be written, with the media folder: a feed
    // that validate would reject is never written.
    let validation = crate::validate::Options {
        now: options.now,
        media: Some(crate::validate::MediaMap {
            dir: catalogue.show.media_dir.clone(),
            prefixes: vec![(
                catalogue.show.media_base_url.to_string(),
                catalogue.show.media_dir.clone(),
            )],
            hosted_elsewhere: catalogue.hosted_elsewhere(),
        }),
    };
    let feed_name = report.feed_path.display().to_string();
    let mut feed_findings =
        crate::validate::validate_bytes_with_cache(&feed_name, &rendered.feed, &validation, &cache);
    // Every archive page is a feed of its own, checked by the same rules, and the pages with the feed
    // must form an unbroken series.
    feed_findings.extend(archive_findings(
        &feed_name,
        &rendered,
        &feed_findings,
        &validation,
        &cache,
    ));
    let restated = restated_in_feed(&report.diagnostics);
    report.diagnostics.extend(
        feed_findings
            .into_iter()
            .filter(|d| !restated.contains(&d.code())),
    );
    // Pages written before that this build would change. Without archive pages (no `max_items`, or few
    // episodes) every episode is back in the feed, and pages left over are removed.
    if !rendered.pages.is_empty() {
        let named: std::collections::HashMap<&str, archive::Named> = chosen
            .iter()
            .zip(&guids)
            .map(|(episode, guid)| {
                (
                    guid.as_str(),
                    archive::Named {
                        label: episode.label(),
                        span: episode.span.clone(),
                    },
                )
            })
            .collect();
        let fallback = catalogue
            .build
            .max_items
            .as_ref()
            .map_or_else(|| catalogue.show.span.clone(), |at| at.span.clone());
        report.diagnostics.extend(archive::check_stability(
            &report.feed_path,
            &rendered.pages,
            max_items,
            &named,
            fallback,
            &source,
        ));
    }
    if let Some(published) = &published {
        let (findings, summary) = against::compare(
            published,
            &feed_name,
            &rendered,
            options,
            &catalogue,
            (&chosen, &guids),
            &source,
        );
        report.diagnostics.extend(findings);
        report.compared = summary.map(|summary| Compared {
            published: published.name.clone(),
            summary,
            notes: published.notes.clone(),
        });
    }
    if episodes_in_feed == 0 {
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
    // The site is rendered before anything is written: a template that fails stops the build here.
    let site = if site_enabled {
        let pages: Vec<crate::site::SiteEpisode<'_>> = chosen
            .iter()
            .zip(&probed)
            .zip(&slugs)
            .map(|((episode, (audio, _)), slug)| crate::site::SiteEpisode {
                episode,
                slug,
                duration_ms: audio.duration_ms(),
                mime: audio.mime(),
                length: audio.length(),
            })
            .collect();
        let feed_file = report.feed_path.file_name().map_or_else(
            || "feed.xml".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        Some(crate::site::render(&catalogue, &pages, &feed_file)?)
    } else {
        None
    };

    // Write: the catalogue first (new guids and slugs must be saved before a feed or a page carrying them
    // goes out), then the files the feed points at, then the feed, then the site.
    if !new_guids.is_empty() || !new_slugs.is_empty() {
        let current =
            std::fs::read_to_string(&catalogue.path).map_err(|source| BuildError::Reread {
                path: catalogue.path.clone(),
                source,
            })?;
        if current != source.text() {
            return Err(BuildError::CatalogueChanged {
                path: catalogue.path.clone(),
            });
        }
        let updated = catalogue::guids::insert_values(
            source.text(),
            &[("guid", &new_guids), ("slug", &new_slugs)],
        )?;
        fsutil::write_atomic(&catalogue.path, |w| w.write_all(updated.as_bytes()))?;
        let label = |index: usize| {
            catalogue
                .episodes
                .iter()
                .find(|e| e.index == index)
                .map_or_else(|| format!("episode #{}", index + 1), Episode::label)
        };
        report.assigned_guids = new_guids
            .into_iter()
            .map(|(index, guid)| (label(index), guid))
            .collect();
        report.assigned_slugs = new_slugs
            .into_iter()
            .map(|(index, slug)| (label(index), slug))
            .collect();
    }
    for side in side_files {
        if write_if_changed(&side.path, &side.bytes)? {
            report.side_files_written.push(side.path);
        }
    }
    // Pages before the feed, so that the feed never links to a page not yet written; pages no longer
    // linked are removed once the feed that stopped linking them is in place.
    for page in &rendered.pages {
        if write_if_changed(&page.path, &page.bytes)? {
            report.archive_pages_written.push(page.path.clone());
        }
    }
    report.feed_written = write_if_changed(&report.feed_path, &rendered.feed)?;
    report.archive_pages_removed =
        archive::remove_stale(&report.feed_path, rendered.pages.len())
            .map_err(|(path, source)| BuildError::RemovePage { path, source })?;
    if let Some(site) = site {
        let dir = report
            .feed_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let written = crate::site::write(&dir, &site)?;
        report.site = Some(SiteReport {
            dir,
            pages: site.pages,
            written: written.written,
            removed: written.removed,
        });
    }
    Ok(report)
}

/// The findings of every archive page (the usual rules, less the warnings the feed already has: the pages
/// share its channel) and of the series they form with the feed (F5xx).
fn archive_findings(
    feed_name: &str,
    rendered: &archive::Rendered,
    feed_findings: &[Diagnostic],
    validation: &crate::validate::Options,
    cache: &audio::cache::ProbeCache,
) -> Vec<Diagnostic> {
    if rendered.pages.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for page in &rendered.pages {
        let name = page.path.display().to_string();
        let page_findings =
            crate::validate::validate_bytes_with_cache(&name, &page.bytes, validation, cache);
        findings.extend(page_findings.into_iter().filter(|d| {
            d.is_error()
                || !feed_findings
                    .iter()
                    .any(|f| f.rule == d.rule && f.message == d.message)
        }));
    }
    let feed = crate::validate::archive::Page {
        name: feed_name.to_owned(),
        bytes: rendered.feed.clone(),
    };
    let series = crate::validate::archive::check_series(&feed, |url| {
        let page = rendered.pages.iter().find(|p| p.url == url)?;
        Some(crate::validate::archive::Page {
            name: page.path.display().to_string(),
            bytes: page.bytes.clone(),
        })
    });
    findings.extend(series.findings);
    findings
}

/// Plans the side files and renders the feed, split into archive pages past `max_items`: the side files to
/// write, and the rendered documents.
#[allow(clippy::too_many_arguments)]
fn render(
    catalogue: &Catalogue,
    chosen: &[&Episode],
    (probed, digests): (&[(EpisodeAudio, Vec<AudioFacts>)], &[EpisodeIntegrity]),
    guids: &[String],
    feed_path: &Path,
    max_items: Option<std::num::NonZeroUsize>,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<side_files::SideFile>, archive::Rendered) {
    let out_dir = feed_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let main_audio: Vec<&EpisodeAudio> = probed.iter().map(|(audio, _)| audio).collect();
    let (side_files, files) = side_files::plan(
        catalogue,
        chosen,
        &main_audio,
        guids,
        &out_dir,
        source,
        diagnostics,
    );
    let published: Vec<channel::Published<'_>> = chosen
        .iter()
        .zip(probed)
        .zip(&files)
        .zip(guids)
        .zip(digests)
        .map(
            |((((episode, (audio, alternates)), files), guid), integrity)| channel::Published {
                episode,
                audio,
                guid,
                alternates,
                integrity,
                chapters_url: files.chapters_url.as_deref(),
                vtt_urls: &files.vtt_urls,
            },
        )
        .collect();
    let channel = channel::channel(catalogue, &published);
    (
        side_files,
        archive::split_and_render(channel, max_items, feed_path),
    )
}

/// Writes each chosen MP3's tags. Returns the files rewritten, with their number of changed frames; a file
/// that could not be tagged is an error finding.
fn tag_all(
    catalogue: &Catalogue,
    chosen: &[&Episode],
    probed: &[(EpisodeAudio, Vec<AudioFacts>)],
    guids: &[String],
    options: &TagOptions,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, usize)> {
    let mut tagged = Vec::new();
    for ((episode, (audio, _)), guid) in chosen.iter().zip(probed).zip(guids) {
        // Audio hosted elsewhere is not castkit's to tag.
        let (Some(path), Some(audio)) = (&episode.audio.path, audio.probed()) else {
            continue;
        };
        match tagging::tag_episode(catalogue, episode, path, audio, Some(guid), options) {
            Ok(Tagged::Done(TagOutcome::Written { changes })) => {
                tagged.push((path.clone(), changes.len()));
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(tagging_failed(episode, &e, source)),
        }
    }
    tagged
}

/// The finding for an episode whose audio could not be tagged.
pub fn tagging_failed(
    episode: &Episode,
    error: &TagEpisodeError,
    source: &SourceFile,
) -> Diagnostic {
    rules::TAG_FAILED
        .diag(format!("{}: {}", episode.label(), Chain(error)))
        .at(source.location(episode.audio.span.clone()))
}

/// Writes `bytes` to `path` atomically unless it already holds them. Returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, BuildError> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| BuildError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    fsutil::write_atomic(path, |w| w.write_all(bytes))?;
    Ok(true)
}

/// Feed rules whose findings only restate a catalogue finding already reported at the catalogue's line (an
/// `http:` base URL makes every media URL `http:`; a long text the catalogue warned about is cut; artwork
/// without alt text, a schedule without its rule, a live stream without its end): the
/// catalogue's finding is the one to act on, so the feed's copies are left out.
fn restated_in_feed(catalogue_findings: &[crate::diag::Diagnostic]) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for (catalogue, feed) in [
        (&rules::INSECURE_URL, &crate::validate::rules::INSECURE_URL),
        (&rules::TEXT_TOO_LONG, &crate::validate::rules::TOO_LONG),
        // The catalogue refuses every other mistake these tags can carry, so their feed findings can only
        // be these recommendations again.
        (
            &rules::IMAGE_WITHOUT_ALT,
            &crate::validate::rules::BAD_PODCAST_IMAGE,
        ),
        (
            &rules::RECOMMENDED_FIELD_MISSING,
            &crate::validate::rules::BAD_UPDATE_FREQUENCY,
        ),
        (
            &rules::RECOMMENDED_FIELD_MISSING,
            &crate::validate::rules::BAD_LIVE_ITEM,
        ),
    ] {
        if catalogue_findings.iter().any(|d| d.rule == catalogue) {
            codes.push(feed.code);
        }
    }
    codes
}
