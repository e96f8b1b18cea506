//! Formats other than MPEG audio, decoded in one pass: symphonia's demuxers (MP4, Ogg, FLAC, WAV) and
//! decoders (AAC, Vorbis, FLAC, PCM, MPEG audio in MP4; ALAC is not among the features castkit builds), and `opus-decoder` for Opus, which symphonia
//! does not decode.
//!
//! The decoders are asked for every sample (no gapless trimming of their own, which symphonia 0.6 applies
//! only where it knows the container's trims), and castkit trims as its probe counts: the encoder delay the
//! container states (an MP4's edit list or `iTunSMPB`, an Opus pre-skip) from the start, and everything past
//! the probed length from the end.

use std::fs::File;

use symphonia::core::codecs::CodecParameters;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::meter::{Merged, Meter, merge};
use super::{LoudnessError, io_error};
use crate::audio::{AudioFacts, Codec};

/// Opus always decodes at 48 kHz (RFC 7845 §4.2: granule positions and pre-skip count 48 kHz samples).
const OPUS_RATE: u32 = 48_000;

/// Samples the decoders are trimmed to: from `skip` on, `total` of them.
struct Trim {
    skip: u64,
    total: u64,
    /// Samples decoded so far, before trimming.
    decoded: u64,
}

impl Trim {
    /// Feeds `pcm` (interleaved, `channels` wide) to `meter` at its place in the trimmed output.
    fn push(&mut self, meter: &mut Meter, pcm: &[f32], channels: usize) {
        let frames = (pcm.len() / channels) as u64;
        let from = self.skip.saturating_sub(self.decoded).min(frames);
        let begins = (self.decoded + from) - self.skip;
        let keep = frames
            .saturating_sub(from)
            .min(self.total.saturating_sub(begins));
        if keep > 0 {
            meter.push(
                begins,
                &pcm[from as usize * channels..(from + keep) as usize * channels],
            );
        }
        self.decoded += frames;
    }
}

/// Opens the container and finds its audio track.
fn open(facts: &AudioFacts) -> Result<Box<dyn FormatReader>, LoudnessError> {
    let path = &facts.path;
    let file = File::open(path).map_err(io_error(path))?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(match facts.format {
        crate::audio::AudioFormat::Flac => "flac",
        crate::audio::AudioFormat::Ogg => "ogg",
        crate::audio::AudioFormat::Wav => "wav",
        _ => "m4a",
    });
    symphonia::default::get_probe()
        .probe(
            &hint,
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| undecodable(facts, e))
}

/// The file's default audio track.
fn audio_track<'r>(
    reader: &'r dyn FormatReader,
    facts: &AudioFacts,
) -> Result<&'r symphonia::core::formats::Track, LoudnessError> {
    reader
        .default_track(TrackType::Audio)
        .ok_or_else(|| LoudnessError::Undecodable {
            path: facts.path.clone(),
            what: "it has no audio track".to_owned(),
        })
}

fn undecodable(facts: &AudioFacts, e: SymphoniaError) -> LoudnessError {
    LoudnessError::Undecodable {
        path: facts.path.clone(),
        what: e.to_string(),
    }
}

fn meter_for(
    facts: &AudioFacts,
    channels: u16,
    rate: u32,
    total: u64,
) -> Result<Meter, LoudnessError> {
    Meter::new(channels, rate, 0, total).map_err(|e| LoudnessError::Unsupported {
        path: facts.path.clone(),
        why: e.to_string(),
    })
}

/// Measures a file symphonia decodes; returns the figures, the rate and the length measured.
pub(super) fn measure(facts: &AudioFacts) -> Result<(Merged, u32, u64), LoudnessError> {
    let mut reader = open(facts)?;
    let track = audio_track(reader.as_ref(), facts)?;
    let track_id = track.id;
    let Some(CodecParameters::Audio(params)) = track.codec_params.clone() else {
        return Err(LoudnessError::Undecodable {
            path: facts.path.clone(),
            what: "its audio track has no codec parameters".to_owned(),
        });
    };
    let mut options = AudioDecoderOptions::default();
    options.gapless = false;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &options)
        .map_err(|_| LoudnessError::Unsupported {
            path: facts.path.clone(),
            why: format!(
                "castkit has no decoder for its {} audio; convert it to MP3, AAC or FLAC to measure it",
                facts.codec
            ),
        })?;
    let rate = facts.sample_rate_hz;
    let channels = facts.channels;
    let mut meter = meter_for(facts, channels, rate, facts.samples)?;
    let mut trim = Trim {
        skip: u64::from(facts.encoder_delay.unwrap_or(0)),
        total: facts.samples,
        decoded: 0,
    };
    let mut pcm: Vec<f32> = Vec::new();
    loop {
        let packet = match reader.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break;
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(undecodable(facts, e)),
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buffer) => {
                if buffer.spec().channels().count() != usize::from(channels) {
                    return Err(LoudnessError::Unsupported {
                        path: facts.path.clone(),
                        why: "its channel count changes inside the stream".to_owned(),
                    });
                }
                pcm.clear();
                buffer.copy_to_vec_interleaved(&mut pcm);
                trim.push(&mut meter, &pcm, usize::from(channels));
            }
            // A damaged packet is skipped, as players skip it.
            Err(SymphoniaError::DecodeError(_)) => {}
            Err(e) => return Err(undecodable(facts, e)),
        }
        if trim.decoded >= trim.skip + trim.total {
            break;
        }
    }
    Ok((merge(&[meter.finish()]), rate, facts.samples))
}

/// Measures an Ogg Opus file: symphonia's Ogg demuxer, `opus-decoder`'s decoder at 48 kHz.
pub(super) fn measure_opus(facts: &AudioFacts) -> Result<(Merged, u32, u64), LoudnessError> {
    debug_assert_eq!(facts.codec, Codec::Opus);
    if facts.channels > 2 {
        return Err(LoudnessError::Unsupported {
            path: facts.path.clone(),
            why: format!(
                "it is Opus with {} channels, and castkit decodes mono and stereo Opus only; export a stereo mix to measure it",
                facts.channels
            ),
        });
    }
    let mut reader = open(facts)?;
    let track = audio_track(reader.as_ref(), facts)?;
    let track_id = track.id;
    let channels = facts.channels.max(1);
    let mut decoder =
        opus_decoder::OpusDecoder::new(OPUS_RATE, usize::from(channels)).map_err(|e| {
            LoudnessError::Undecodable {
                path: facts.path.clone(),
                what: e.to_string(),
            }
        })?;
    // The probe counts Opus samples at the rate the header states as the input's; the stream is 48 kHz.
    let total = facts.samples * u64::from(OPUS_RATE) / u64::from(facts.sample_rate_hz.max(1));
    let mut meter = meter_for(facts, channels, OPUS_RATE, total)?;
    let mut trim = Trim {
        skip: u64::from(facts.encoder_delay.unwrap_or(0)),
        total,
        decoded: 0,
    };
    let mut pcm = vec![0f32; opus_decoder::OpusDecoder::MAX_FRAME_SIZE_48K * usize::from(channels)];
    loop {
        let packet = match reader.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break;
            }
            Err(e) => return Err(undecodable(facts, e)),
        };
        if packet.track_id != track_id {
            continue;
        }
        // The decoder is young: a panic inside it is a file castkit could not measure, not a crash.
        let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            decoder.decode_float(&packet.data, &mut pcm, false)
        }));
        let n = match decoded {
            Ok(Ok(n)) => n,
            Ok(Err(e)) => {
                return Err(LoudnessError::Undecodable {
                    path: facts.path.clone(),
                    what: format!("an Opus packet cannot be decoded: {e}"),
                });
            }
            Err(_) => {
                return Err(LoudnessError::Unsupported {
                    path: facts.path.clone(),
                    why: "castkit's Opus decoder failed on this stream; convert it to MP3 or AAC to measure it".to_owned(),
                });
            }
        };
        trim.push(
            &mut meter,
            &pcm[..n * usize::from(channels)],
            usize::from(channels),
        );
        if trim.decoded >= trim.skip + trim.total {
            break;
        }
    }
    Ok((merge(&[meter.finish()]), OPUS_RATE, total))
}
