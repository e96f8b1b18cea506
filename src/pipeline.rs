//! `build-feed` as a library function: load the catalogue → choose the episodes → probe their audio → check
//! what depends on the exact durations → build the channel → render → write.
//!
//! Each stage adds findings to one list; the build stops before writing anything as soon as a stage ends with
//! an error, so a failed build changes no file. When it succeeds it writes, in this order: the catalogue (only
//! if new guids were assigned — they must be on disk before any feed that carries them is published), the
//! side files the feed points at (JSON chapters, converted transcripts), then the feed. Every write is atomic
//! ([`crate::fsutil::write_atomic`]) and skipped when the file already has the same bytes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::audio::{self, AudioFacts};
use crate::catalogue::{self, Catalogue, Episode, MediaRef, rules};
use crate::chapters;
use crate::diag::{Diagnostic, SourceFile};
use crate::feed;
use crate::fsutil;
use crate::transcripts;

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
    pub tag: Option<crate::audio::id3::TagOptions>,
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
    /// Guids assigned and saved into the catalogue in this build: (episode label, guid).
    pub assigned_guids: Vec<(String, String)>,
    /// Audio files whose tags were rewritten (with `tag`), and how many frames changed in each.
    pub tagged: Vec<(PathBuf, usize)>,
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

/// Everything measured or derived for one episode going into the feed.
struct Prepared {
    audio: AudioFacts,
    alternates: Vec<AudioFacts>,
    chapters_url: Option<String>,
    vtt_urls: Vec<Option<String>>,
}

/// A file the feed points at, to be written next to it.
struct SideFile {
    path: PathBuf,
    bytes: Vec<u8>,
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
        assigned_guids: Vec::new(),
        tagged: Vec::new(),
    };
    let Some(catalogue) = loaded.catalogue else {
        return Ok(report);
    };
    let source = loaded.source;
    let diags = &mut report.diagnostics;

    let chosen = choose_episodes(&catalogue, options, &source, diags);
    let (guids, new_guids) = guids(&chosen, options.locked, &source, diags);
    let cache = audio::cache::ProbeCache::open();
    let probed = probe_all(&cache, &chosen, &source, diags);
    let Some(probed) = probed else {
        crate::diag::sort(diags);
        return Ok(report);
    };
    check_against_durations(&chosen, &probed, &source, diags);
    if report.failed() {
        crate::diag::sort(&mut report.diagnostics);
        return Ok(report);
    }

    // Stage: tags. Writing them changes the files' bytes, so the files are measured again afterwards: the
    // feed states the length of the file that will be served.
    let probed = match &options.tag {
        Some(tag_options) => {
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
                crate::diag::sort(&mut report.diagnostics);
                return Ok(report);
            }
            let Some(again) = probe_all(&cache, &chosen, &source, &mut report.diagnostics) else {
                crate::diag::sort(&mut report.diagnostics);
                return Ok(report);
            };
            again
        }
        None => probed,
    };

    // Side files and their public URLs, then the channel.
    let out_dir = report
        .feed_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut side_files = Vec::new();
    let mut slugs = BTreeSet::new();
    let mut prepared = Vec::with_capacity(chosen.len());
    for ((episode, (audio, alternates)), guid) in chosen.iter().zip(probed).zip(&guids) {
        let slug = unique_slug(guid, &mut slugs);
        let chapters_url = (!episode.chapters.is_empty()).then(|| {
            let doc = chapters::to_json(
                &episode.chapters,
                audio.millis(),
                &episode.title,
                &catalogue.show.title,
            );
            let name = format!("chapters/{slug}.json");
            side_files.push(SideFile {
                path: out_dir.join(&name),
                bytes: chapters::json_text(&doc).into_bytes(),
            });
            public_url(&catalogue, &name)
        });
        let vtt_urls = episode
            .transcripts
            .iter()
            .map(|t| {
                if !t.convert_to_vtt {
                    return None;
                }
                let text = std::fs::read_to_string(t.file.path.as_ref()?).ok()?;
                let vtt = transcripts::srt_to_vtt(&text).ok()?;
                let name = format!("transcripts/{slug}.vtt");
                side_files.push(SideFile {
                    path: out_dir.join(&name),
                    bytes: vtt.into_bytes(),
                });
                Some(public_url(&catalogue, &name))
            })
            .collect();
        prepared.push(Prepared {
            audio,
            alternates,
            chapters_url,
            vtt_urls,
        });
    }
    let published: Vec<feed::build::Published<'_>> = chosen
        .iter()
        .zip(&prepared)
        .zip(&guids)
        .map(|((episode, p), guid)| feed::build::Published {
            episode,
            audio: &p.audio,
            guid,
            alternates: &p.alternates,
            chapters_url: p.chapters_url.as_deref(),
            vtt_urls: &p.vtt_urls,
        })
        .collect();
    let channel = feed::build::channel(&catalogue, &published);
    let bytes = feed::render::to_bytes(&channel);
    report.episodes_in_feed = channel.items.len();
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
        }),
    };
    let feed_name = report.feed_path.display().to_string();
    let feed_findings =
        crate::validate::validate_bytes_with_cache(&feed_name, &bytes, &validation, &cache);
    let restated = restated_in_feed(&report.diagnostics);
    report.diagnostics.extend(
        feed_findings
            .into_iter()
            .filter(|d| !restated.contains(&d.code)),
    );
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

    // Write: the catalogue first (new guids must be saved before a feed carrying them goes out), then the
    // files the feed points at, then the feed.
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
    for side in side_files {
        if write_if_changed(&side.path, &side.bytes)? {
            report.side_files_written.push(side.path);
        }
    }
    report.feed_written = write_if_changed(&report.feed_path, &bytes)?;
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

/// Each chosen episode's guid, assigning new ones in memory (they are written only if the build succeeds).
/// Under `--locked` an episode without a guid is an error instead.
fn guids(
    chosen: &[&Episode],
    locked: bool,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<(usize, String)>) {
    let mut guids = Vec::with_capacity(chosen.len());
    let mut new_guids = Vec::new();
    for episode in chosen {
        match &episode.guid {
            Some(g) => guids.push(g.clone()),
            None if locked => {
                diagnostics.push(
                    rules::MISSING_GUID
                        .diag(format!(
                            "{} has no guid, and `--locked` forbids assigning one",
                            episode.label()
                        ))
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
    (guids, new_guids)
}

/// Probes every chosen episode's audio and alternate renditions, in parallel. Returns `None` when any file
/// failed (each failure is a finding); findings keep the catalogue's order.
fn probe_all(
    cache: &audio::cache::ProbeCache,
    chosen: &[&Episode],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(AudioFacts, Vec<AudioFacts>)>> {
    // (episode position, is the main audio, file)
    let files: Vec<(usize, bool, &MediaRef)> = chosen
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            std::iter::once((i, true, &e.audio))
                .chain(e.alternates.iter().map(move |a| (i, false, &a.audio)))
        })
        .collect();
    // Every audio reference is a local file (the catalogue refuses URLs for audio).
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(_, _, media)| {
            media
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(&media.written))
        })
        .collect();
    let results = cache.probe_all(&paths);
    cache.save();
    let mut out: Vec<(Option<AudioFacts>, Vec<AudioFacts>)> =
        chosen.iter().map(|_| (None, Vec::new())).collect();
    let mut ok = true;
    for ((index, is_main, media), result) in files.iter().zip(results) {
        let episode = chosen[*index];
        let location = source.location(media.span.clone());
        match result {
            Ok(facts) => {
                for warning in &facts.warnings {
                    diagnostics.push(
                        rules::AUDIO_WARNING
                            .diag(format!(
                                "{}: `{}`: {warning}",
                                episode.label(),
                                media.written
                            ))
                            .at(location.clone()),
                    );
                }
                if *is_main {
                    out[*index].0 = Some(facts);
                } else {
                    out[*index].1.push(facts);
                }
            }
            Err(e) => {
                ok = false;
                diagnostics.push(
                    rules::AUDIO_UNREADABLE
                        .diag(format!("{}: {e}", episode.label()))
                        .at(location)
                        .help(
                            "re-export the file from your editor as MP3 (or M4A), then build again",
                        ),
                );
            }
        }
    }
    ok.then(|| {
        out.into_iter()
            .filter_map(|(main, alternates)| main.map(|m| (m, alternates)))
            .collect()
    })
}

/// Writes each chosen MP3's tags. Returns the files rewritten, with their number of changed frames.
fn tag_all(
    catalogue: &Catalogue,
    chosen: &[&Episode],
    probed: &[(AudioFacts, Vec<AudioFacts>)],
    guids: &[String],
    options: &crate::audio::id3::TagOptions,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, usize)> {
    use crate::audio::id3::{TagOutcome, write_tags};
    let mut tagged = Vec::new();
    for ((episode, (audio, _)), guid) in chosen.iter().zip(probed).zip(guids) {
        let Some(path) = &episode.audio.path else {
            continue;
        };
        if audio.format != audio::AudioFormat::Mp3 {
            continue;
        }
        let location = source.location(episode.audio.span.clone());
        let result = crate::tagging::episode_tags(catalogue, episode, audio, Some(guid))
            .map_err(|e| e.to_string())
            .and_then(|wanted| {
                // With its causes: a tagging error does not repeat its cause's text.
                write_tags(path, &wanted, options)
                    .map_err(|e| format!("{:#}", anyhow::Error::new(e)))
            });
        match result {
            Ok(TagOutcome::Written { changes }) => tagged.push((path.clone(), changes.len())),
            Ok(TagOutcome::Unchanged | TagOutcome::WouldWrite { .. }) => {}
            Err(e) => diagnostics.push(
                rules::TAG_FAILED
                    .diag(format!("{}: {e}", episode.label()))
                    .at(location),
            ),
        }
    }
    tagged
}

/// Transcript cues may end this far past the audio: transcription tools round the last cue up.
const TRANSCRIPT_TOLERANCE_MS: u64 = 1000;

/// Checks what only the exact duration can decide: chapters start before the end, transcript cues and
/// soundbites stay within the audio.
fn check_against_durations(
    chosen: &[&Episode],
    probed: &[(AudioFacts, Vec<AudioFacts>)],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (episode, (audio, _)) in chosen.iter().zip(probed) {
        let duration_ms = audio.millis();
        if let Some(origin) = &episode.chapters_origin {
            for problem in chapters::check(&episode.chapters, Some(duration_ms)) {
                diagnostics.push(
                    rules::CHAPTER_PROBLEM
                        .diag(format!("{}: {problem}", episode.label()))
                        .at(source.location(origin.span.clone()))
                        .help("remove the chapters past the end, or check that this is the right audio file"),
                );
            }
        }
        for transcript in &episode.transcripts {
            if let Some(last) = transcript.facts.last_end_ms
                && last > duration_ms + TRANSCRIPT_TOLERANCE_MS
            {
                diagnostics.push(
                    rules::TRANSCRIPT_PROBLEM
                        .diag(format!(
                            "{}: `{}` has cues until {}, but the audio ends at {}",
                            episode.label(),
                            transcript.file.written,
                            chapters::format_npt(last),
                            chapters::format_npt(duration_ms)
                        ))
                        .at(source.location(transcript.span.clone()))
                        .help("the transcript belongs to another cut of the episode; export it again from the final audio"),
                );
            }
        }
        for bite in &episode.soundbites {
            let end = bite.start_ms + bite.duration_ms;
            if end > duration_ms {
                diagnostics.push(
                    rules::SOUNDBITE_PROBLEM
                        .diag(format!(
                            "{}: a soundbite runs from {} to {}, past the end of the audio at {}",
                            episode.label(),
                            chapters::format_npt(bite.start_ms),
                            chapters::format_npt(end),
                            chapters::format_npt(duration_ms)
                        ))
                        .at(source.location(bite.span.clone()))
                        .help("move or shorten it"),
                );
            }
        }
    }
}

/// A file name for an episode's side files, from its guid (which never changes): characters unsafe in a
/// URL or a file name become `-`, and a collision gets a numeric suffix in catalogue order.
fn unique_slug(guid: &str, taken: &mut BTreeSet<String>) -> String {
    let base: String = guid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('.')
        .to_owned();
    let base = if base.is_empty() {
        "episode".to_owned()
    } else {
        base
    };
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The public URL of a file published next to the feed.
fn public_url(catalogue: &Catalogue, relative: &str) -> String {
    catalogue
        .show
        .feed_url
        .join(relative)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| relative.to_owned())
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
/// `http:` base URL makes every media URL `http:`; a long text the catalogue warned about is cut): the
/// catalogue's finding is the one to act on, so the feed's copies are left out.
fn restated_in_feed(catalogue_findings: &[crate::diag::Diagnostic]) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for (catalogue, feed) in [
        (&rules::INSECURE_URL, &crate::validate::rules::INSECURE_URL),
        (&rules::TEXT_TOO_LONG, &crate::validate::rules::TOO_LONG),
    ] {
        if catalogue_findings.iter().any(|d| d.code == catalogue.code) {
            codes.push(feed.code);
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("a/b", &mut taken), "a-b");
        assert_eq!(unique_slug("a?b", &mut taken), "a-b-2");
        assert_eq!(unique_slug("..", &mut taken), "episode");
        assert_eq!(
            unique_slug("084ffd36-b9e2-4606-b7f8-4798d1eae455", &mut taken),
            "084ffd36-b9e2-4606-b7f8-4798d1eae455"
        );
    }
}
