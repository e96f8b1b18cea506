//! Measuring the chosen episodes' audio (in parallel, through the probe cache), and the checks only the
//! exact durations can decide: chapters, transcript cues and soundbites within the audio.

use std::path::PathBuf;

use crate::audio::cache::ProbeCache;
use crate::audio::{AudioFacts, ProbeError};
use crate::catalogue::{Episode, MediaRef, rules};
use crate::chapters;
use crate::diag::{Diagnostic, SourceFile};
use crate::error::Chain;

/// Probes every chosen episode's audio and alternate renditions, in parallel. Returns `None` when any file
/// failed (each failure is a finding); findings keep the catalogue's order.
pub(super) fn probe_all(
    cache: &ProbeCache,
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
                diagnostics.push(audio_unreadable(episode, media, &e, source));
            }
        }
    }
    ok.then(|| {
        out.into_iter()
            .filter_map(|(main, alternates)| main.map(|m| (m, alternates)))
            .collect()
    })
}

/// Transcript cues may end this far past the audio: transcription tools round the last cue up.
const TRANSCRIPT_TOLERANCE_MS: u64 = 1000;

/// Checks what only the exact duration can decide: chapters start before the end, transcript cues and
/// soundbites stay within the audio.
pub(super) fn check_against_durations(
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
