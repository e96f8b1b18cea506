//! Measuring the chosen episodes' audio (in parallel, through the probe cache), and the checks only the
//! exact durations can decide: chapters, transcript cues and soundbites within the audio.

use std::ops::Range;
use std::path::Path;

use super::ProbeProgress;
use super::channel::{EpisodeAudio, EpisodeIntegrity};
use crate::audio::cache::ProbeCache;
use crate::audio::{AudioFacts, ProbeError};
use crate::catalogue::{Episode, MediaRef, rules};
use crate::chapters;
use crate::diag::{Diagnostic, SourceFile};
use crate::error::Chain;

/// Probes every chosen episode's local audio and alternate renditions, in parallel, and with `integrity`
/// hashes them for `podcast:integrity`; audio hosted elsewhere is taken as the catalogue states it (and has
/// no digest), and a local file is checked against what the catalogue states about it. Returns `None` when
/// any file failed (each failure is a finding); findings keep the catalogue's order.
pub(super) fn probe_all(
    cache: &ProbeCache,
    progress: &ProbeProgress,
    chosen: &[&Episode],
    integrity: bool,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Probed> {
    // (episode position, is the main audio, file): local files only.
    let files: Vec<(usize, bool, &MediaRef, &Path)> = chosen
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            std::iter::once((i, true, &e.audio))
                .chain(e.alternates.iter().map(move |a| (i, false, &a.audio)))
        })
        .filter_map(|(i, main, media)| Some((i, main, media, media.path.as_deref()?)))
        .collect();
    let paths: Vec<&Path> = files.iter().map(|(_, _, _, path)| *path).collect();
    let total = paths.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = cache.probe_all(&paths, integrity, &|| {
        let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress.report(done, total);
    });
    cache.save();
    let mut out: Vec<(Option<EpisodeAudio>, Vec<AudioFacts>)> = chosen
        .iter()
        .map(|e| (hosted_elsewhere(e), Vec::new()))
        .collect();
    let mut digests = vec![EpisodeIntegrity::default(); chosen.len()];
    let mut ok = true;
    for ((index, is_main, media, _), result) in files.iter().zip(results) {
        let episode = chosen[*index];
        let location = source.location(media.span.clone());
        match result {
            Ok((facts, digest)) => {
                let sri = digest.map(|d| d.sri());
                if *is_main {
                    digests[*index].main = sri;
                } else {
                    digests[*index].alternates.push(sri);
                }
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
                    check_stated(episode, &facts, source, diagnostics);
                    out[*index].0 = Some(EpisodeAudio::Probed(Box::new(facts)));
                } else {
                    out[*index].1.push(facts);
                }
            }
            Err(e) => {
                ok = false;
                diagnostics.push(audio_unreadable(episode, media, &e, source));
            }
        }
    }
    // Every chosen episode has its main audio here (probed, or stated for audio hosted elsewhere, which
    // the catalogue guarantees), so the list stays aligned with `chosen`; if one had none, the build stops
    // rather than pairing episodes with the wrong audio.
    if !ok {
        return None;
    }
    let audio = out
        .into_iter()
        .map(|(main, alternates)| Some((main?, alternates)))
        .collect::<Option<Vec<_>>>()?;
    Some(Probed { audio, digests })
}

/// The chosen episodes' measured audio, in the order of the episodes.
pub(super) struct Probed {
    /// Each episode's main audio and its alternate renditions' facts.
    pub(super) audio: Vec<(EpisodeAudio, Vec<AudioFacts>)>,
    /// Each episode's SRI strings; empty unless integrity was asked for.
    pub(super) digests: Vec<EpisodeIntegrity>,
}

/// The enclosure of an episode whose audio is a URL, as the catalogue states it (the catalogue requires the
/// length and type of such audio, so a `None` here is only a local file).
fn hosted_elsewhere(episode: &Episode) -> Option<EpisodeAudio> {
    if episode.audio.path.is_some() {
        return None;
    }
    let stated = &episode.stated;
    // A live stream has no length; the namespace's examples write a placeholder, castkit writes 0.
    let length = match &stated.length {
        Some(l) => l.value,
        None if episode.podcasting.live.is_some() => 0,
        None => return None,
    };
    Some(EpisodeAudio::Stated {
        length,
        mime: stated.mime.as_ref()?.value.clone(),
        duration_ms: stated.duration_ms.as_ref().map(|d| d.value),
    })
}

/// A local file is checked against the length, type and duration the catalogue states (an imported show
/// whose media was downloaded): a difference means the file is not the one the published feed describes,
/// or was changed since. The feed carries what the file measures.
fn check_stated(
    episode: &Episode,
    facts: &AudioFacts,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let stated = &episode.stated;
    let mut differ = |span: Range<usize>, what: String| {
        diagnostics.push(
            rules::STATED_AUDIO_DIFFERS
                .diag(format!("{}: {what}", episode.label()))
                .at(source.location(span))
                .help("if the file is the right one (re-tagged or re-exported since), remove the stated value: the feed states what the file measures"),
        );
    };
    if let Some(length) = &stated.length
        && length.value != facts.size_bytes
    {
        differ(
            length.span.clone(),
            format!(
                "`{}` is {} bytes, and the catalogue states `audio_length = {}`",
                episode.audio.written, facts.size_bytes, length.value
            ),
        );
    }
    if let Some(mime) = &stated.mime
        && !mime.value.eq_ignore_ascii_case(facts.mime())
    {
        differ(
            mime.span.clone(),
            format!(
                "`{}` is {}, and the catalogue states `audio_type = \"{}\"`",
                episode.audio.written,
                facts.mime(),
                mime.value
            ),
        );
    }
    // Feeds state whole seconds, often rounded down or estimated from the bitrate: a difference of more
    // than two seconds is another cut of the audio.
    if let Some(duration) = &stated.duration_ms
        && duration.value.abs_diff(facts.millis()) > 2_000
    {
        differ(
            duration.span.clone(),
            format!(
                "`{}` lasts {}, and the catalogue states `duration` {}",
                episode.audio.written,
                chapters::format_npt(facts.millis()),
                chapters::format_npt(duration.value)
            ),
        );
    }
}

/// Transcript cues may end this far past the audio: transcription tools round the last cue up.
const TRANSCRIPT_TOLERANCE_MS: u64 = 1000;

/// Checks what only the exact duration can decide: chapters start before the end, transcript cues and
/// soundbites stay within the audio.
pub(super) fn check_against_durations(
    chosen: &[&Episode],
    probed: &[(EpisodeAudio, Vec<AudioFacts>)],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (episode, (audio, _)) in chosen.iter().zip(probed) {
        let Some(duration_ms) = audio.duration_ms() else {
            continue;
        };
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
            if let Some(last) = transcript.facts.as_ref().and_then(|f| f.last_end_ms)
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

/// The finding for an episode's audio file (`media`, its main audio or an alternate) that could not be
/// probed: `build-feed` and `castkit tag` report it alike.
pub fn audio_unreadable(
    episode: &Episode,
    media: &MediaRef,
    error: &ProbeError,
    source: &SourceFile,
) -> Diagnostic {
    rules::AUDIO_UNREADABLE
        .diag(format!("{}: {}", episode.label(), Chain(error)))
        .at(source.location(media.span.clone()))
        .help("re-export the file from your editor as MP3 (or M4A), then build again")
}
