//! Audio files: what they are and how long they last ([`probe`]), and the ID3 tags castkit writes into them.
//!
//! The feed states each episode's byte length and duration; podcast apps show, seek and resume by them. So the
//! probe reports facts with their provenance ([`DurationSource`]): a duration is the decoded length, counted
//! from the audio itself, never an estimate from a bitrate.

pub mod cache;
mod container;
mod genres;
pub mod id3;
pub mod loudness;
mod mp4;
pub(crate) mod mpeg;
mod ogg;
mod sniff;
mod vorbis_comment;

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The container/codec families castkit recognises, detected from the file's content (never its extension).
///
/// An MP4 or QuickTime file with an enabled video track is one of the three video formats, named as Apple
/// names them (its `ftyp` major brand decides which); its duration is still its sound track's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AudioFormat {
    /// MPEG audio (Layer I, II or III) in a plain stream, optionally with ID3/APE tags.
    Mp3,
    /// MPEG-4 audio (AAC, ALAC or MP3 in an ISO base media file with no video track; M4B included).
    M4a,
    /// MPEG-4 video (an ISO base media file with a video track): `video/mp4`.
    Mp4,
    /// QuickTime video (`ftyp` brand `qt  `): `video/quicktime`.
    Mov,
    /// iTunes video (`ftyp` brands `M4V `, `M4VH`, `M4VP`): `video/x-m4v`.
    M4v,
    /// Ogg (Vorbis, Opus or FLAC inside).
    Ogg,
    /// Native FLAC.
    Flac,
    /// RIFF WAVE.
    Wav,
}

impl AudioFormat {
    /// The short name used in `probe --json` (`mp3`, `m4a`, `mp4`, `mov`, `m4v`, `ogg`, `flac`, `wav`).
    pub fn as_str(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
            AudioFormat::Mp4 => "mp4",
            AudioFormat::Mov => "mov",
            AudioFormat::M4v => "m4v",
            AudioFormat::Ogg => "ogg",
            AudioFormat::Flac => "flac",
            AudioFormat::Wav => "wav",
        }
    }

    /// The MIME type for a feed enclosure. M4A uses `audio/x-m4a` and the video formats `video/mp4`,
    /// `video/quicktime` and `video/x-m4v`: the spellings on Apple's list.
    pub fn mime(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::M4a => "audio/x-m4a",
            AudioFormat::Mp4 => "video/mp4",
            AudioFormat::Mov => "video/quicktime",
            AudioFormat::M4v => "video/x-m4v",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::Flac => "audio/flac",
            AudioFormat::Wav => "audio/wav",
        }
    }

    /// Whether the file holds video (an episode that is a video podcast).
    pub fn is_video(self) -> bool {
        matches!(self, AudioFormat::Mp4 | AudioFormat::Mov | AudioFormat::M4v)
    }
}

impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codec inside the container: what `probe` shows beside the format (an Ogg file holds Opus or Vorbis,
/// an MP4 file AAC, ALAC or MP3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Codec {
    /// MPEG-1/2 Audio Layer I.
    Mp1,
    /// MPEG-1/2 Audio Layer II.
    Mp2,
    /// MPEG-1/2/2.5 Audio Layer III.
    Mp3,
    /// Advanced Audio Coding.
    Aac,
    /// Apple Lossless.
    Alac,
    /// Opus.
    Opus,
    /// Vorbis.
    Vorbis,
    /// FLAC.
    Flac,
    /// Uncompressed PCM.
    Pcm,
    /// A codec castkit does not name.
    Other,
}

impl Codec {
    /// The short name used in `probe --json` and the table (`mp3`, `aac`, `opus`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Codec::Mp1 => "mp1",
            Codec::Mp2 => "mp2",
            Codec::Mp3 => "mp3",
            Codec::Aac => "aac",
            Codec::Alac => "alac",
            Codec::Opus => "opus",
            Codec::Vorbis => "vorbis",
            Codec::Flac => "flac",
            Codec::Pcm => "pcm",
            Codec::Other => "other",
        }
    }

    /// The Layer I/II/III codec of an MPEG audio layer number.
    pub fn of_mpeg_layer(layer: u8) -> Codec {
        match layer {
            1 => Codec::Mp1,
            2 => Codec::Mp2,
            _ => Codec::Mp3,
        }
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a duration was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DurationSource {
    /// Every MPEG frame was walked and counted (encoder delay and padding removed when a LAME header gives
    /// them and agrees with the count).
    FrameWalk,
    /// The container states the exact sample count (MP4 sample tables, FLAC STREAMINFO, WAV data size, Ogg
    /// granule positions).
    Container,
}

/// Constant, variable or average bitrate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum BitrateMode {
    /// Every frame has the same bitrate.
    Cbr,
    /// Frames vary in bitrate (quality-targeted).
    Vbr,
    /// Frames vary around a target average (as LAME's `--abr` declares).
    Abr,
}

/// The tags already present in a file, summarised: the ID3 tags of an MP3, or the container's own tags
/// (MP4 `ilst`, Vorbis comments in Ogg and FLAC).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TagSummary {
    /// `2.2`, `2.3` or `2.4` when an ID3v2 tag is present.
    pub id3_version: Option<String>,
    /// The container's own tag format, when the tags below came from it: `mp4` (the `ilst` atoms) or
    /// `vorbis` (Vorbis comments, in Ogg or FLAC).
    pub native: Option<String>,
    /// Title (TIT2).
    pub title: Option<String>,
    /// Artist (TPE1).
    pub artist: Option<String>,
    /// Album (TALB).
    pub album: Option<String>,
    /// Track (TRCK), as written.
    pub track: Option<String>,
    /// Date (TDRC, or TYER for ID3v2.3), as written.
    pub date: Option<String>,
    /// Genre (TCON), as written.
    pub genre: Option<String>,
    /// First comment (COMM).
    pub comment: Option<String>,
    /// Whether an attached picture (APIC) is present.
    pub has_cover: bool,
    /// Number of CHAP frames.
    pub chapters: usize,
    /// Whether an ID3v1 tag is present at the end of the file.
    pub has_id3v1: bool,
    /// Whether an APEv2 tag is present.
    pub has_ape: bool,
}

/// Everything castkit knows about one audio file after probing it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AudioFacts {
    /// The file probed.
    pub path: PathBuf,
    /// What the content is.
    pub format: AudioFormat,
    /// The codec of the audio track.
    pub codec: Codec,
    /// The file's exact size in bytes: the enclosure length.
    pub size_bytes: u64,
    /// Samples per second, per channel.
    pub sample_rate_hz: u32,
    /// Number of channels.
    pub channels: u16,
    /// Decoded samples per channel, after encoder delay and padding are removed.
    pub samples: u64,
    /// Codec frames (MPEG frames, or packets for other formats) when counted.
    pub frames: Option<u64>,
    /// How the duration was obtained.
    pub duration_source: DurationSource,
    /// Average bitrate of the audio, in kbit/s.
    pub bitrate_kbps: Option<u32>,
    /// CBR, VBR or ABR, when known.
    pub bitrate_mode: Option<BitrateMode>,
    /// MPEG version (`1`, `2` or `2.5`) for MPEG audio.
    pub mpeg_version: Option<String>,
    /// MPEG layer (1, 2 or 3) for MPEG audio.
    pub mpeg_layer: Option<u8>,
    /// Byte offset of the first audio frame.
    pub audio_start: Option<u64>,
    /// Byte offset just past the last audio byte.
    pub audio_end: Option<u64>,
    /// Encoder delay in samples, from a LAME header.
    pub encoder_delay: Option<u32>,
    /// Encoder padding in samples, from a LAME header.
    pub encoder_padding: Option<u32>,
    /// Tags already in the file.
    pub tags: TagSummary,
    /// Things that are wrong but did not stop the probe (junk between frames, a truncated last frame…).
    pub warnings: Vec<String>,
}

impl AudioFacts {
    /// The exact duration in seconds: samples ÷ sample rate, not rounded.
    pub fn duration_seconds(&self) -> f64 {
        if self.sample_rate_hz == 0 {
            0.0
        } else {
            self.samples as f64 / f64::from(self.sample_rate_hz)
        }
    }

    /// The duration in whole seconds, rounded to the nearest second, for `itunes:duration`.
    pub fn whole_seconds(&self) -> u64 {
        if self.sample_rate_hz == 0 {
            return 0;
        }
        let rate = u64::from(self.sample_rate_hz);
        (self.samples + rate / 2) / rate
    }

    /// The duration in whole milliseconds, for the ID3 `TLEN` frame.
    pub fn millis(&self) -> u64 {
        if self.sample_rate_hz == 0 {
            return 0;
        }
        let rate = u128::from(self.sample_rate_hz);
        ((u128::from(self.samples) * 1000 + rate / 2) / rate) as u64
    }

    /// The enclosure MIME type.
    pub fn mime(&self) -> &'static str {
        self.format.mime()
    }
}

/// Why a file could not be probed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The file could not be opened or read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The content is not audio castkit recognises (or is empty).
    #[error("`{}` is not an audio file castkit can read: {what}", path.display())]
    NotAudio {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        what: String,
    },
    /// The file is audio, but damaged past use.
    #[error("`{}` is damaged at byte {offset}: {what}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Where the damage was found.
        offset: u64,
        /// What is wrong.
        what: String,
    },
}

/// Probes one file: format from its content, exact duration, size, stream properties and existing tags.
///
/// Memory stays bounded by a fixed read window (plus the ID3v2 tag, when there is one), whatever the file's
/// size.
///
/// # Errors
/// A [`ProbeError`] when the file cannot be read, is not audio, or is damaged past use.
pub fn probe(path: &Path) -> Result<AudioFacts, ProbeError> {
    let io_err = |source| ProbeError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Opening a FIFO blocks until something writes to it, and a device never ends: only regular files (or
    // links to one) are probed. `metadata` follows links.
    let kind = std::fs::metadata(path).map_err(io_err)?.file_type();
    if !kind.is_file() {
        return Err(ProbeError::NotAudio {
            path: path.to_path_buf(),
            what: format!(
                "it is {}, not a regular file; give the path of the audio file itself",
                crate::fsutil::file_type_in_words(kind)
            ),
        });
    }
    let mut file = File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size == 0 {
        return Err(ProbeError::NotAudio {
            path: path.to_path_buf(),
            what: sniff::describe(&[]),
        });
    }
    let (id3v2, start) = match id3::locate::leading_id3v2(&mut file, size).map_err(io_err)? {
        Ok(found) => found,
        Err(id3::locate::LeadingTagError::PastEnd {
            offset,
            len,
            file_len,
        }) => {
            return Err(ProbeError::Corrupt {
                path: path.to_path_buf(),
                offset,
                what: format!(
                    "the tag there claims {len} bytes, but only {} follow: the file is truncated or the tag is corrupt",
                    file_len - offset
                ),
            });
        }
    };
    let mut head = [0u8; 64];
    file.seek(SeekFrom::Start(start)).map_err(io_err)?;
    let head_len = read_up_to(&mut file, &mut head).map_err(io_err)?;
    let head = &head[..head_len];

    if let Some(kind) = sniff::container(head) {
        let facts = container::probe(path, kind, start).map_err(|e| match e {
            container::ContainerError::Io(source) => io_err(source),
            // A video with no sound is not damaged: it is not something castkit can time.
            silent @ container::ContainerError::VideoWithoutSound { .. } => ProbeError::NotAudio {
                path: path.to_path_buf(),
                what: silent.to_string(),
            },
            // What is wrong with the container is this variant's own description (there is no lower error to
            // keep), so a message that shows only the top level still says why.
            other => ProbeError::Corrupt {
                path: path.to_path_buf(),
                offset: other.offset().unwrap_or(start),
                what: crate::error::Chain(&other).to_string(),
            },
        })?;
        let format = facts.format;
        let seconds = facts.samples as f64 / f64::from(facts.sample_rate.max(1));
        return Ok(AudioFacts {
            path: path.to_path_buf(),
            format,
            codec: facts.codec,
            size_bytes: size,
            sample_rate_hz: facts.sample_rate,
            channels: facts.channels,
            samples: facts.samples,
            frames: None,
            duration_source: DurationSource::Container,
            bitrate_kbps: (seconds > 0.0)
                .then(|| (size as f64 * 8.0 / seconds / 1000.0).round() as u32),
            bitrate_mode: None,
            mpeg_version: None,
            mpeg_layer: None,
            audio_start: Some(start),
            audio_end: Some(size),
            encoder_delay: facts.delay,
            encoder_padding: facts.padding,
            tags: facts.tags,
            warnings: facts.warnings,
        });
    }

    let trailing = id3::locate::trailing_tags(&mut file, size, start).map_err(io_err)?;
    file.seek(SeekFrom::Start(start)).map_err(io_err)?;
    let walk = match mpeg::walk(&mut file, start, trailing.audio_end) {
        Ok(walk) => walk,
        Err(mpeg::WalkError::Io(source)) => return Err(io_err(source)),
        Err(mpeg::WalkError::NoFrames) => {
            let mut first = [0u8; 512];
            file.seek(SeekFrom::Start(0)).map_err(io_err)?;
            let n = read_up_to(&mut file, &mut first).map_err(io_err)?;
            return Err(ProbeError::NotAudio {
                path: path.to_path_buf(),
                what: sniff::describe(&first[..n]),
            });
        }
    };
    let mut warnings = walk.warnings.clone();
    let tags =
        id3::read::summary(&mut file, id3v2.first(), &trailing, &mut warnings).map_err(io_err)?;
    let first = walk.first;
    let raw_seconds = (walk.frames * first.samples()) as f64 / f64::from(first.sample_rate);
    let lame = walk.info.and_then(|i| i.lame);
    let bitrate_mode = match lame.map(|l| l.vbr_method) {
        Some(1 | 8) => Some(BitrateMode::Cbr),
        Some(2 | 9) => Some(BitrateMode::Abr),
        Some(3..=7) => Some(BitrateMode::Vbr),
        _ if walk.bitrate_varies => Some(BitrateMode::Vbr),
        _ => Some(BitrateMode::Cbr),
    };
    Ok(AudioFacts {
        path: path.to_path_buf(),
        format: AudioFormat::Mp3,
        codec: Codec::of_mpeg_layer(first.layer),
        size_bytes: size,
        sample_rate_hz: first.sample_rate,
        channels: first.channels(),
        samples: walk.samples(),
        frames: Some(walk.frames),
        duration_source: DurationSource::FrameWalk,
        bitrate_kbps: Some((walk.audio_bytes as f64 * 8.0 / raw_seconds / 1000.0).round() as u32),
        bitrate_mode,
        mpeg_version: Some(first.version.as_str().to_owned()),
        mpeg_layer: Some(first.layer),
        audio_start: Some(walk.start),
        audio_end: Some(walk.end),
        encoder_delay: lame.map(|l| l.delay),
        encoder_padding: lame.map(|l| l.padding),
        tags,
        warnings,
    })
}

/// Probes many files in parallel on all cores, calling `done` after each (for a progress bar). Results are in
/// the order of `paths`.
pub fn probe_all<P>(paths: &[P], done: &(dyn Fn() + Sync)) -> Vec<Result<AudioFacts, ProbeError>>
where
    P: AsRef<Path> + Sync,
{
    use rayon::prelude::*;
    if let [one] = paths {
        // One file: no thread pool to start.
        let result = probe(one.as_ref());
        done();
        return vec![result];
    }
    paths
        .par_iter()
        .map(|p| {
            let result = probe(p.as_ref());
            done();
            result
        })
        .collect()
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read. The one short-read loop
/// of every reader in this module.
pub(crate) fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
