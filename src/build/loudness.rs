//! The release checks of a show's audio: each episode's loudness against the show's target, its true peak,
//! the silence at either end, its bitrate and sample rate, and the show as a whole (episodes far from the
//! others' median, mono and stereo mixed). `build-feed` runs them when the show sets `loudness` or with
//! `--loudness`; `validate --catalogue` runs them over the catalogue's episodes the same way.
//!
//! Every figure comes through the probe store ([`ProbeCache::loudness`]): an unchanged file is decoded once,
//! ever. Findings are warnings, each with the numbers and what to do.

use crate::audio::cache::ProbeCache;
use crate::audio::loudness::{Loudness, LoudnessError, SILENCE_THRESHOLD_DBFS};
use crate::audio::{AudioFacts, AudioFormat, Codec};
use crate::catalogue::{Catalogue, Episode, LoudnessTarget, rules};
use crate::diag::{Diagnostic, SourceFile};
use crate::error::Chain;

/// An episode more than this far from the show's median loudness is reported (C047).
pub const MEDIAN_SPREAD_LU: f64 = 2.0;
/// Silence longer than this at the start or the end of an episode is reported (C050).
pub const LONG_SILENCE_SECONDS: f64 = 3.0;
/// Apple's audio requirements list 44.1 and 48 kHz.
const MIN_SAMPLE_RATE_HZ: u32 = 44_100;
/// Bitrates below which a lossy episode is reported (C048): Apple recommends 128 kbit/s and more for stereo;
/// for mono, castkit takes 64 kbit/s, between Apple's minimum (32) and its recommendation (96–128), since
/// speech-only shows are commonly and acceptably published at 64.
const MIN_STEREO_KBPS: u32 = 128;
const MIN_MONO_KBPS: u32 = 64;

/// The target the checks use: the show's `loudness`, or the defaults when `forced` (`--loudness`); `None`
/// when neither asks for the checks.
pub fn target_for(catalogue: &Catalogue, forced: bool) -> Option<LoudnessTarget> {
    match (&catalogue.show.loudness, forced) {
        (Some(target), _) => Some(target.clone()),
        (None, true) => Some(LoudnessTarget::default()),
        (None, false) => None,
    }
}

/// Checks `episodes`, each with its main audio's facts (`None` for audio hosted elsewhere), against
/// `target`; the findings point at each episode's `audio` line in `source`.
pub fn check(
    target: &LoudnessTarget,
    cache: &ProbeCache,
    episodes: &[(&Episode, Option<&AudioFacts>)],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let measured: Vec<Option<Result<Loudness, LoudnessError>>> = episodes
        .par_iter()
        .map(|(_, facts)| facts.map(|f| cache.loudness(f)))
        .collect();
    cache.save();
    let at = |episode: &Episode| source.location(episode.audio.span.clone());
    let mut loudness_of: Vec<(usize, f64)> = Vec::new();
    for (i, ((episode, facts), result)) in episodes.iter().zip(&measured).enumerate() {
        let (Some(facts), Some(result)) = (facts, result) else {
            continue;
        };
        let label = episode.label();
        let file = &episode.audio.written;
        check_encoding(episode, facts, source, diagnostics);
        let l = match result {
            Ok(l) => l,
            Err(e) => {
                diagnostics.push(
                    rules::LOUDNESS_NOT_MEASURED
                        .diag(format!("{label}: {}", Chain(e)))
                        .at(at(episode))
                        .help("measure it with `ffmpeg -i FILE -af ebur128=peak=true -f null -`, or export it as MP3 or AAC"),
                );
                continue;
            }
        };
        let fix = loudnorm_command(file, target);
        match l.integrated_lufs {
            None => diagnostics.push(
                rules::LOUDNESS_OFF_TARGET
                    .diag(format!(
                        "{label}: `{file}` is silent (no 400 ms block above -70 LUFS); the show's target is {}",
                        describe_target(target)
                    ))
                    .at(at(episode))
                    .help("check that this is the exported episode, not an empty render"),
            ),
            Some(lufs) if (lufs - target.target_lufs).abs() > target.tolerance_lu => {
                let by = target.target_lufs - lufs;
                diagnostics.push(
                    rules::LOUDNESS_OFF_TARGET
                        .diag(format!(
                            "{label}: `{file}` measures {lufs:.1} LUFS integrated, {:.1} LU {} the show's target of {}",
                            by.abs(),
                            if by > 0.0 { "below" } else { "above" },
                            describe_target(target)
                        ))
                        .at(at(episode))
                        .help(format!(
                            "re-export it at {} LUFS from your editor, or {} it by {:.1} LU: `{fix}`",
                            number(target.target_lufs),
                            if by > 0.0 { "raise" } else { "lower" },
                            by.abs()
                        )),
                );
            }
            Some(_) => {}
        }
        if let Some(lufs) = l.integrated_lufs {
            loudness_of.push((i, lufs));
        }
        if let Some(peak) = l.true_peak_dbtp
            && peak > target.true_peak_dbtp
        {
            diagnostics.push(
                rules::TRUE_PEAK_TOO_HIGH
                    .diag(format!(
                        "{label}: `{file}` peaks at {peak:.1} dBTP (true peak), above the show's limit of {} dBTP",
                        number(target.true_peak_dbtp)
                    ))
                    .at(at(episode))
                    .help(format!(
                        "put a true-peak limiter at {} dBTP on the master, or normalise with a margin: `{fix}`",
                        number(target.true_peak_dbtp - 0.5)
                    )),
            );
        }
        for (end, seconds) in [
            ("starts", l.leading_silence_seconds),
            ("ends", l.trailing_silence_seconds),
        ] {
            if seconds > LONG_SILENCE_SECONDS {
                diagnostics.push(
                    rules::LONG_SILENCE
                        .diag(format!(
                            "{label}: `{file}` {end} with {seconds:.1} s of silence (below {} dBFS); more than {} s is heard as dead air",
                            number(SILENCE_THRESHOLD_DBFS),
                            number(LONG_SILENCE_SECONDS)
                        ))
                        .at(at(episode))
                        .help(if end == "starts" {
                            "trim the start in your editor, or `ffmpeg -i IN -af silenceremove=start_periods=1:start_threshold=-60dB OUT`"
                        } else {
                            "trim the end in your editor, or `ffmpeg -i IN -af areverse,silenceremove=start_periods=1:start_threshold=-60dB,areverse OUT`"
                        }),
                );
            }
        }
    }
    check_median(episodes, &loudness_of, source, diagnostics);
    check_channels(episodes, &measured, source, diagnostics);
}

/// The checks of an episode's encoding: sample rate, and the bitrate of lossy audio.
fn check_encoding(
    episode: &Episode,
    facts: &AudioFacts,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let label = episode.label();
    let file = &episode.audio.written;
    let mut problems = Vec::new();
    if facts.sample_rate_hz < MIN_SAMPLE_RATE_HZ {
        problems.push(format!(
            "its sample rate is {} Hz (directories expect 44100 or 48000)",
            facts.sample_rate_hz
        ));
    }
    let lossless = matches!(facts.format, AudioFormat::Flac | AudioFormat::Wav)
        || matches!(facts.codec, Codec::Flac | Codec::Pcm | Codec::Alac);
    let floor = if facts.channels >= 2 {
        MIN_STEREO_KBPS
    } else {
        MIN_MONO_KBPS
    };
    if !lossless
        && let Some(kbps) = facts.bitrate_kbps
        && kbps < floor
    {
        problems.push(format!(
            "its bitrate is {kbps} kbit/s ({} needs {floor} or more)",
            if facts.channels >= 2 {
                "stereo"
            } else {
                "mono"
            }
        ));
    }
    if problems.is_empty() {
        return;
    }
    diagnostics.push(
        rules::AUDIO_QUALITY_LOW
            .diag(format!("{label}: `{file}`: {}", problems.join(", and ")))
            .at(source.location(episode.audio.span.clone()))
            .help(format!(
                "export it again from the original: `ffmpeg -i ORIGINAL -ar 44100 -b:a {floor}k {file}` (re-encoding this file cannot bring back what it lost)"
            )),
    );
}

/// Episodes more than [`MEDIAN_SPREAD_LU`] from the median of the show's measured episodes.
fn check_median(
    episodes: &[(&Episode, Option<&AudioFacts>)],
    loudness_of: &[(usize, f64)],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if loudness_of.len() < 2 {
        return;
    }
    let mut sorted: Vec<f64> = loudness_of.iter().map(|(_, l)| *l).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    for &(i, lufs) in loudness_of {
        let off = lufs - median;
        if off.abs() <= MEDIAN_SPREAD_LU {
            continue;
        }
        let episode = episodes[i].0;
        diagnostics.push(
            rules::LOUDNESS_INCONSISTENT
                .diag(format!(
                    "{}: `{}` measures {lufs:.1} LUFS, {:.1} LU {} than the median of the show's {n} episodes ({median:.1} LUFS)",
                    episode.label(),
                    episode.audio.written,
                    off.abs(),
                    if off > 0.0 { "louder" } else { "quieter" }
                ))
                .at(source.location(episode.audio.span.clone()))
                .help(format!(
                    "normalise every episode to one target (`loudnorm=I={}`), so listeners keep their volume from one episode to the next",
                    number(median.round())
                )),
        );
    }
}

/// One finding when the show mixes mono and stereo episodes, naming the fewer kind (mono on a tie).
fn check_channels(
    episodes: &[(&Episode, Option<&AudioFacts>)],
    measured: &[Option<Result<Loudness, LoudnessError>>],
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let with_audio: Vec<(&Episode, &AudioFacts)> = episodes
        .iter()
        .zip(measured)
        .filter_map(|((e, f), m)| Some((*e, (*f).filter(|_| m.is_some())?)))
        .collect();
    let (mono, stereo): (Vec<_>, Vec<_>) = with_audio.iter().partition(|(_, f)| f.channels == 1);
    if mono.is_empty() || stereo.is_empty() {
        return;
    }
    let (odd, odd_kind, usual_kind) = if mono.len() <= stereo.len() {
        (&mono, "mono", "stereo")
    } else {
        (&stereo, "stereo", "mono")
    };
    let names: Vec<String> = odd
        .iter()
        .map(|(e, _)| format!("{} (`{}`)", e.label(), e.audio.written))
        .collect();
    let first = odd[0].0;
    diagnostics.push(
        rules::MIXED_CHANNELS
            .diag(format!(
                "the show's episodes are {usual_kind} but {} {} {odd_kind}: {}",
                names.len(),
                if names.len() == 1 { "is" } else { "are" },
                names.join(", ")
            ))
            .at(source.location(first.audio.span.clone()))
            .help(format!(
                "export every episode in {usual_kind} (`ffmpeg -i IN -ac {} OUT`), or check the export settings of these",
                if usual_kind == "mono" { 1 } else { 2 }
            )),
    );
}

/// `−16 ± 1 LUFS`.
fn describe_target(target: &LoudnessTarget) -> String {
    format!(
        "{} ± {} LUFS",
        number(target.target_lufs),
        number(target.tolerance_lu)
    )
}

/// The ffmpeg command that normalises `file` to the target (one pass of `loudnorm`, its true peak 0.5 dB
/// below the show's limit: encoding to MP3 or AAC adds overshoot of its own).
fn loudnorm_command(file: &str, target: &LoudnessTarget) -> String {
    format!(
        "ffmpeg -i {file} -af loudnorm=I={}:TP={}:LRA=11 -ar 44100 OUT",
        number(target.target_lufs),
        number(target.true_peak_dbtp - 0.5)
    )
}

/// A figure as the user wrote it: `-16`, `-1.5`.
fn number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}
