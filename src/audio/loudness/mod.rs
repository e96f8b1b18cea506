//! Loudness: EBU R128 integrated loudness, loudness range, true peak and sample peak of an episode's audio,
//! and how long it starts and ends in silence (`castkit probe --loudness`, and the release checks of
//! `build-feed` and `validate --catalogue`).
//!
//! Directories normalise what they play (Apple to about −16 LUFS, Spotify to −14 LUFS), so an episode far from
//! the target is turned up with its noise or down with its dynamics, and a show whose episodes differ makes
//! listeners reach for the volume. The figures follow ITU-R BS.1770-4 and EBU Tech 3341/3342, measured by the
//! `ebur128` crate (a port of libebur128) on audio decoded by symphonia (MPEG audio, AAC, Vorbis, FLAC, PCM)
//! or `opus-decoder` (Opus), trimmed of encoder delay and padding exactly as the probe counts the samples.
//!
//! Decoding is the cost, so an MP3 is cut into parts at frame boundaries and measured on every core
//! (`mp3.rs`); the parts merge into exactly what one pass gives (`meter.rs`). Memory is a few frames of audio
//! per core, whatever the file's length.

mod decode;
mod meter;
mod mp3;

use std::path::{Path, PathBuf};

use super::{AudioFacts, AudioFormat, Codec};

/// Samples below this level on every channel are silence, for [`Loudness::leading_silence_seconds`] and
/// [`Loudness::trailing_silence_seconds`]: −60 dBFS, below the noise floor of a quiet room's recording and
/// above the dither and codec noise of digital silence.
pub const SILENCE_THRESHOLD_DBFS: f64 = -60.0;

/// An episode's loudness, as EBU R128 measures it, and its silence at either end.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Loudness {
    /// Integrated (programme) loudness in LUFS; `None` when every block is below the absolute gate
    /// (−70 LUFS): the file is silent.
    pub integrated_lufs: Option<f64>,
    /// Loudness range in LU (EBU Tech 3342); 0 for audio shorter than one 3-second window.
    pub range_lu: f64,
    /// The highest true peak of any channel (4× oversampled below 96 kHz), in dBTP; `None` for digital
    /// silence.
    pub true_peak_dbtp: Option<f64>,
    /// The highest sample of any channel, in dBFS; `None` for digital silence.
    pub sample_peak_dbfs: Option<f64>,
    /// Seconds from the start to the first sample above [`SILENCE_THRESHOLD_DBFS`] on any channel (the whole
    /// duration for a silent file).
    pub leading_silence_seconds: f64,
    /// Seconds from the last sample above [`SILENCE_THRESHOLD_DBFS`] to the end (0 for a silent file, whose
    /// silence is all leading).
    pub trailing_silence_seconds: f64,
}

/// Why a file's loudness was not measured.
#[derive(Debug, thiserror::Error)]
pub enum LoudnessError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// castkit cannot decode this audio (a codec or channel layout it has no decoder for).
    #[error("the loudness of `{}` is not measured: {why}", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What is missing, and what to do.
        why: String,
    },
    /// The audio could not be decoded.
    #[error("`{}` cannot be decoded for its loudness: {what}", path.display())]
    Undecodable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        what: String,
    },
}

/// How many parts an MP3 is cut into: two per core rayon uses (so that a core slowed by other work does not
/// hold the others up), fewer for a short file.
fn parts_for(facts: &AudioFacts) -> usize {
    // A part shorter than this is not worth a thread (each part decodes a little before its start).
    const MIN_PART_SECONDS: u64 = 20;
    let seconds = facts.samples / u64::from(facts.sample_rate_hz.max(1));
    let by_length = (seconds / MIN_PART_SECONDS).max(1) as usize;
    (2 * rayon::current_num_threads()).clamp(1, by_length)
}

/// Measures the loudness of the file `facts` describes (facts from [`super::probe`] of the same, unchanged
/// file): MP3 on every core, other formats in one pass.
///
/// # Errors
/// A [`LoudnessError`] when the file cannot be read or decoded, or castkit has no decoder for its codec.
pub fn measure(facts: &AudioFacts) -> Result<Loudness, LoudnessError> {
    measure_in_parts(facts, parts_for(facts))
}

/// [`measure`] with an MP3 cut into `parts` parts (1: one pass); other formats always take one pass.
///
/// # Errors
/// As [`measure`].
pub fn measure_in_parts(facts: &AudioFacts, parts: usize) -> Result<Loudness, LoudnessError> {
    let path = &facts.path;
    if facts.channels == 0 || facts.sample_rate_hz == 0 {
        return Err(LoudnessError::Unsupported {
            path: path.clone(),
            why: "the file states no channels or sample rate".to_owned(),
        });
    }
    let (merged, rate, samples) = match (facts.format, facts.codec) {
        (AudioFormat::Mp3, _) => {
            let merged = mp3::measure(facts, parts.max(1))?;
            (merged, facts.sample_rate_hz, facts.samples)
        }
        (AudioFormat::Ogg, Codec::Opus) => decode::measure_opus(facts)?,
        _ => decode::measure(facts)?,
    };
    Ok(finish(merged, rate, samples))
}

/// The figures of a merged measurement of `samples` samples at `rate`.
fn finish(merged: meter::Merged, rate: u32, samples: u64) -> Loudness {
    let seconds = |n: u64| n as f64 / f64::from(rate.max(1));
    let (leading, trailing) = match (merged.first_sound, merged.last_sound) {
        (Some(first), Some(last)) => (seconds(first), seconds(samples.saturating_sub(last + 1))),
        _ => (seconds(samples), 0.0),
    };
    Loudness {
        integrated_lufs: merged.integrated_lufs,
        range_lu: merged.range_lu,
        true_peak_dbtp: merged.true_peak_dbtp,
        sample_peak_dbfs: merged.sample_peak_dbfs,
        leading_silence_seconds: leading,
        trailing_silence_seconds: trailing,
    }
}

/// The error for a file that cannot be read.
fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> LoudnessError + '_ {
    move |source| LoudnessError::Io {
        path: path.to_path_buf(),
        source,
    }
}
