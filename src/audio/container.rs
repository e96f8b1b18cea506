//! M4A/AAC, Ogg (Vorbis, Opus, FLAC), native FLAC and WAV, through symphonia's demuxers.
//!
//! These containers state their exact length (MP4 edit lists, Ogg granule positions, FLAC STREAMINFO, the WAV
//! data chunk), so no frame walk is needed. symphonia reads the container; what symphonia 0.6 does not apply
//! is corrected from the container's own fields: for MP4, `super::mp4` reads the boxes (the sample table
//! trimmed by the edit list or `iTunSMPB`, rates above 65535 Hz, channels of MP3 in MP4, video tracks, `ilst`
//! tags and chapters); for Ogg, the page walk in [`super::ogg`] measures everything (chained links, each
//! link's start offset and Opus pre-skip, the first audio stream of a multiplexed group). The tags of Ogg and
//! FLAC are their Vorbis comments and pictures ([`super::vorbis_comment`]).

use std::fs::File;
use std::path::Path;

use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::sniff::Container;
use super::{AudioFormat, Codec, TagSummary};

/// What the container says about its default audio track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContainerFacts {
    /// What the file is (an MP4 with a video track is one of the video formats).
    pub(crate) format: AudioFormat,
    /// The track's codec.
    pub(crate) codec: Codec,
    /// Samples per second.
    pub(crate) sample_rate: u32,
    /// Channels.
    pub(crate) channels: u16,
    /// Playable samples per channel (delay and padding removed).
    pub(crate) samples: u64,
    /// Encoder delay, when the container declares it.
    pub(crate) delay: Option<u32>,
    /// Encoder padding, when the container declares it.
    pub(crate) padding: Option<u32>,
    /// The container's own tags.
    pub(crate) tags: TagSummary,
    /// Things that are wrong but did not stop the probe.
    pub(crate) warnings: Vec<String>,
}

/// Why a container's audio track could not be described.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ContainerError {
    /// The file could not be opened.
    #[error("the file cannot be opened")]
    Io(#[from] std::io::Error),
    /// symphonia cannot read the container.
    #[error("the container cannot be read")]
    Unreadable(#[source] symphonia::core::errors::Error),
    /// The container holds no audio track.
    #[error("it has no audio track")]
    NoAudioTrack,
    /// An MP4 or QuickTime video with no sound track: an episode's duration is its sound's, so there is none
    /// to report.
    #[error(
        "it is a video of {seconds:.3} s with no sound track; podcast apps play an episode's sound, so add one (silence will do: `ffmpeg -i in.mp4 -f lavfi -i anullsrc -c:v copy -shortest out.mp4`)"
    )]
    VideoWithoutSound {
        /// The video's length in seconds.
        seconds: f64,
    },
    /// The audio track does not say what codec it holds.
    #[error("its audio track has no codec parameters")]
    NoCodecParameters,
    /// The audio track does not state its sample rate.
    #[error("its audio track has no sample rate")]
    NoSampleRate,
    /// The container does not state the track's length in samples.
    #[error("the container does not state the track's length")]
    NoLength,
    /// castkit's walk over the Ogg pages cannot give one length.
    #[error(transparent)]
    Ogg(super::ogg::OggError),
    /// A WAV `fmt ` chunk whose channel count no WAV file has (symphonia's arithmetic on it overflows).
    #[error(
        "its WAV header at byte {offset} says {channels} channels; a WAV file has 1 to {MAX_WAV_CHANNELS}: the header is damaged (export the file again)"
    )]
    WavChannels {
        /// Where the `fmt ` chunk's channel count is.
        offset: u64,
        /// The count it gives.
        channels: u16,
    },
}

/// The most channels symphonia reads from a WAV file (its speaker positions).
const MAX_WAV_CHANNELS: u16 = 26;

impl ContainerError {
    /// The byte where the problem is, when the error knows it better than "where the container starts".
    pub(crate) fn offset(&self) -> Option<u64> {
        match self {
            ContainerError::Ogg(
                super::ogg::OggError::NoStart { offset }
                | super::ogg::OggError::RatesDiffer { offset, .. },
            )
            | ContainerError::WavChannels { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// Reads the container's description of its default audio track; the container starts at byte `start` (after
/// any ID3v2 tags in front).
///
/// # Errors
/// A [`ContainerError`] when the file cannot be opened, symphonia cannot read the container, or it has no
/// audio track with a known rate and length.
pub(crate) fn probe(
    path: &Path,
    kind: Container,
    start: u64,
) -> Result<ContainerFacts, ContainerError> {
    let mut file = File::open(path)?;
    if kind == Container::Wav {
        check_wav_channels(&mut file, start)?;
    }
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(match kind {
        Container::Flac => "flac",
        Container::Ogg => "ogg",
        Container::Wav => "wav",
        Container::Mp4 => "m4a",
    });
    let reader = symphonia::default::get_probe()
        .probe(
            &hint,
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(ContainerError::Unreadable)?;
    let mut file = File::open(path)?;
    // castkit's own reading of an MP4's boxes: what symphonia 0.6 lacks (see `super::mp4`).
    let movie = match kind {
        Container::Mp4 => super::mp4::read(&mut file)?,
        _ => None,
    };
    let Some(track) = reader.default_track(TrackType::Audio) else {
        return Err(match movie.and_then(|m| m.video_seconds) {
            Some(seconds) => ContainerError::VideoWithoutSound { seconds },
            None => ContainerError::NoAudioTrack,
        });
    };
    let params = match &track.codec_params {
        Some(symphonia::core::codecs::CodecParameters::Audio(p)) => p,
        _ => return Err(ContainerError::NoCodecParameters),
    };
    let mut codec = codec_of(params.codec);
    let sound = movie.as_ref().and_then(|m| m.sound_track(track.id));
    // symphonia reads the rate from the sample entry's 16.16 field, which holds 0 for 88.2 and 96 kHz.
    let mut sample_rate = params
        .sample_rate
        .filter(|&rate| rate > 0)
        .or_else(|| sound.and_then(super::mp4::SoundTrack::sample_rate))
        .ok_or(ContainerError::NoSampleRate)?;
    let mut channels = params.channels.as_ref().map_or(0, |c| c.count()) as u16;
    // For an MP4, the sample table gives the length whatever its timescale (symphonia gives one only when
    // the timescale is the sample rate).
    let mp4_timing = movie.as_ref().zip(sound).and_then(|(m, s)| {
        m.timing(
            s,
            sample_rate,
            matches!(codec, Codec::Aac | Codec::Mp1 | Codec::Mp2 | Codec::Mp3),
        )
    });
    let mut samples = track
        .num_frames
        .or(mp4_timing.map(|t| t.samples))
        .ok_or(ContainerError::NoLength)?;
    let mut delay = track.delay;
    let mut padding = track.padding;
    let mut format = match kind {
        Container::Flac => AudioFormat::Flac,
        Container::Ogg => AudioFormat::Ogg,
        Container::Wav => AudioFormat::Wav,
        Container::Mp4 => AudioFormat::M4a,
    };
    let mut tags = TagSummary::default();
    let mut warnings = Vec::new();
    match kind {
        Container::Mp4 => {
            if let Some(timing) = mp4_timing {
                samples = timing.samples;
                delay = timing.delay.and_then(|d| u32::try_from(d).ok());
                padding = timing.padding.and_then(|p| u32::try_from(p).ok());
            }
            if channels == 0
                && let Some(sound) = sound
            {
                channels = sound.channels(&mut file)?.unwrap_or(0);
            }
            if let Some(movie) = movie {
                // A video episode's duration (`itunes:duration`) is its sound track's, read above.
                format = movie.format;
                tags = movie.tags;
            }
        }
        Container::Ogg => {
            // The page walk is the authority for Ogg: symphonia counts only the first link and, in a
            // multiplexed file, may measure another stream than the audio it reports.
            let ogg = super::ogg::probe(&mut file).map_err(|e| match e {
                super::ogg::OggError::Io(e) => ContainerError::Io(e),
                other => ContainerError::Ogg(other),
            })?;
            codec = ogg.codec;
            sample_rate = ogg.sample_rate;
            channels = ogg.channels;
            samples = ogg.samples;
            if let Some(pre_skip) = ogg.pre_skip {
                delay = Some(pre_skip);
            }
            if ogg.links > 1 {
                // Each link has its own delay and padding; the first link's delay is still where play starts.
                padding = None;
            }
            tags = ogg.tags;
            warnings = ogg.warnings;
        }
        Container::Flac => {
            super::vorbis_comment::read_flac(&mut file, start, &mut tags, &mut warnings)?
        }
        Container::Wav => {}
    }
    Ok(ContainerFacts {
        format,
        codec,
        sample_rate,
        channels,
        samples,
        delay,
        padding,
        tags,
        warnings,
    })
}

/// Refuses a WAV file whose `fmt ` chunk gives a channel count outside 1 to [`MAX_WAV_CHANNELS`] before
/// symphonia reads it: symphonia 0.6 multiplies that count unchecked (found by fuzzing). The RIFF chunks
/// are walked from `start` and every `fmt ` chunk among the first 64 is checked; what the walk cannot reach
/// is left to symphonia to refuse.
fn check_wav_channels(file: &mut File, start: u64) -> Result<(), ContainerError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut at = start + 12; // past `RIFF`, the size and `WAVE`
    let length = file.metadata()?.len();
    // A real file has a handful of chunks before `fmt `; the walk is bounded all the same.
    for _ in 0..64 {
        let mut header = [0u8; 8];
        file.seek(SeekFrom::Start(at))?;
        if at + 8 > length || file.read_exact(&mut header).is_err() {
            break;
        }
        let size = u64::from(u32::from_le_bytes([
            header[4], header[5], header[6], header[7],
        ]));
        if &header[..4] == b"fmt " {
            let mut fields = [0u8; 4];
            if file.read_exact(&mut fields).is_err() {
                break;
            }
            let channels = u16::from_le_bytes([fields[2], fields[3]]);
            if !(1..=MAX_WAV_CHANNELS).contains(&channels) {
                return Err(ContainerError::WavChannels {
                    offset: at + 10,
                    channels,
                });
            }
            // Not the last word: symphonia reads a later `fmt ` chunk too (found by fuzzing).
        }
        // Chunks are padded to an even length.
        at += 8 + size + (size & 1);
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(())
}

/// castkit's name for a symphonia codec id.
fn codec_of(id: symphonia::core::codecs::audio::AudioCodecId) -> Codec {
    use symphonia::core::codecs::audio::well_known as c;
    match id {
        c::CODEC_ID_MP1 => Codec::Mp1,
        c::CODEC_ID_MP2 => Codec::Mp2,
        c::CODEC_ID_MP3 => Codec::Mp3,
        c::CODEC_ID_AAC => Codec::Aac,
        c::CODEC_ID_ALAC => Codec::Alac,
        c::CODEC_ID_OPUS => Codec::Opus,
        c::CODEC_ID_VORBIS => Codec::Vorbis,
        c::CODEC_ID_FLAC => Codec::Flac,
        // The well-known PCM ids run from S32LE to the A-law/µ-law variants.
        id if (c::CODEC_ID_PCM_S32LE..=c::CODEC_ID_PCM_MULAW).contains(&id) => Codec::Pcm,
        _ => Codec::Other,
    }
}
