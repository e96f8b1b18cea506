//! MPEG audio measured in parts, one per core.
//!
//! An MPEG frame holds a fixed number of samples (1152, or 576 for Layer III of MPEG-2 and 2.5), so the
//! output sample where frame `f` begins is `f × samples per frame − trim`, where the trim is the encoder
//! delay the LAME header states plus the decoder's own 529 samples, as ffmpeg (and the probe) trim them.
//! A first pass over the frame headers (no decoding, gigabytes a second) finds the byte offset of the frame
//! each part starts at. Each part starts [`WARM_UP_FRAMES`] frames before the first sample it needs: Layer
//! III frames borrow bytes from up to 511 bytes of earlier frames (the bit reservoir), and the synthesis
//! filter bank and the overlap of the transform carry state from the frame before; what those frames decode
//! to is thrown away. From there on the decoder's output is bit for bit what a single pass decodes, so the
//! parts merge into the single pass's figures (see `meter.rs`).

use std::fs::File;
use std::io::{Seek, SeekFrom};

use symphonia::core::codecs::audio::well_known::{CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3};
use symphonia::core::codecs::audio::{AudioCodecParameters, AudioDecoder, AudioDecoderOptions};
use symphonia::core::packet::PacketRef;
use symphonia::core::units::{Duration, Timestamp};
use symphonia::default::codecs::MpaDecoder;

use super::meter::{Merged, Meter, PartResult, merge};
use super::{LoudnessError, io_error};
use crate::audio::AudioFacts;
use crate::audio::mpeg::{Header, LAYER3_DECODER_DELAY, parse_info_frame};

/// Frames decoded and discarded before a part's first needed sample: enough for the largest bit reservoir
/// at the lowest bitrate (511 bytes over 8 kbit/s MPEG-2.5 frames of 72 bytes), plus the filter banks.
const WARM_UP_FRAMES: u64 = 10;

/// Reads bytes `[start, end)` of a file through a window, for the frame loop.
struct Window {
    file: File,
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    at: u64,
    end: u64,
}

/// The window's read size.
const CHUNK: usize = 1 << 18;

impl Window {
    fn new(mut file: File, start: u64, end: u64) -> std::io::Result<Window> {
        file.seek(SeekFrom::Start(start))?;
        Ok(Window {
            file,
            buf: Vec::with_capacity(2 * CHUNK),
            at: start,
            end,
        })
    }

    /// Up to `len` bytes from `pos` (fewer only at the end of the region).
    fn get(&mut self, pos: u64, len: usize) -> std::io::Result<&[u8]> {
        if pos > self.at + CHUNK as u64 {
            let drop = ((pos - self.at) as usize).min(self.buf.len());
            self.buf.drain(..drop);
            self.at += drop as u64;
        }
        let want = (pos + len as u64).min(self.end);
        while self.at + (self.buf.len() as u64) < want {
            let have = self.buf.len();
            let room = (self.end - self.at - have as u64).min(CHUNK as u64) as usize;
            self.buf.resize(have + room, 0);
            let n = crate::audio::read_up_to(&mut self.file, &mut self.buf[have..])?;
            self.buf.truncate(have + n);
            if n == 0 {
                self.end = self.at + self.buf.len() as u64;
                break;
            }
        }
        let from = (pos.saturating_sub(self.at) as usize).min(self.buf.len());
        let to = ((want.max(pos) - self.at) as usize).min(self.buf.len());
        Ok(&self.buf[from..to])
    }
}

/// The audio frames of a stream, in order, with castkit's walk's rules: frames of the first frame's stream,
/// a frame after junk only when the next one follows it, the Xing/Info/VBRI frame left out.
struct Frames {
    window: Window,
    pos: u64,
    first: Option<Header>,
    in_sync: bool,
}

impl Frames {
    /// Frames from `pos`, a frame boundary (`first` is the stream's first header, when already known).
    fn at(file: File, pos: u64, end: u64, first: Option<Header>) -> std::io::Result<Frames> {
        Ok(Frames {
            window: Window::new(file, pos, end)?,
            pos,
            first,
            in_sync: first.is_some(),
        })
    }

    /// The next audio frame: its header, offset and bytes.
    fn next(&mut self) -> std::io::Result<Option<(Header, u64, &[u8])>> {
        loop {
            let pos = self.pos;
            let head = self.window.get(pos, 4)?;
            if head.len() < 4 {
                return Ok(None);
            }
            let h4 = [head[0], head[1], head[2], head[3]];
            let header = Header::parse(h4).filter(|h| self.first.is_none_or(|f| f.same_stream(h)));
            let Some(header) = header else {
                self.in_sync = false;
                self.pos += 1;
                continue;
            };
            let len = header.frame_len();
            if !self.in_sync {
                let bytes = self.window.get(pos, len + 4)?;
                let confirmed = if bytes.len() >= len + 4 {
                    Header::parse([bytes[len], bytes[len + 1], bytes[len + 2], bytes[len + 3]])
                        .is_some_and(|h| h.same_stream(&header))
                } else {
                    bytes.len() == len
                };
                if !confirmed {
                    self.pos += 1;
                    continue;
                }
                self.in_sync = true;
            }
            let bytes = self.window.get(pos, len)?;
            if bytes.len() < len {
                // A frame cut off by the end of the file: not decoded.
                return Ok(None);
            }
            self.pos += len as u64;
            if self.first.is_none() {
                self.first = Some(header);
                if parse_info_frame(bytes, &header).is_some() {
                    continue;
                }
            }
            let bytes = self.window.get(pos, len)?;
            return Ok(Some((header, pos, bytes)));
        }
    }
}

/// One part: the frame it starts decoding at and the part of the output it measures.
struct Part {
    frame: u64,
    offset: u64,
    start: u64,
    end: u64,
}

/// Measures an MPEG audio file in `parts` parts on rayon's threads.
pub(super) fn measure(facts: &AudioFacts, parts: usize) -> Result<Merged, LoudnessError> {
    let path = &facts.path;
    let (Some(start), Some(end)) = (facts.audio_start, facts.audio_end) else {
        return Err(LoudnessError::Undecodable {
            path: path.clone(),
            what: "the probe found no MPEG frames".to_owned(),
        });
    };
    let open = || File::open(path).map_err(io_error(path));
    let mut frames = Frames::at(open()?, start, end, None).map_err(io_error(path))?;
    let Some((first, first_offset, _)) = frames.next().map_err(io_error(path))? else {
        return Err(LoudnessError::Undecodable {
            path: path.clone(),
            what: "no MPEG frame where the probe found them; probe the file again".to_owned(),
        });
    };
    let per_frame = first.samples();
    let trim = match (first.layer, facts.encoder_delay) {
        (3, Some(delay)) => u64::from(delay) + LAYER3_DECODER_DELAY,
        _ => 0,
    };
    let total = facts.samples;
    let rate = first.sample_rate;
    let unit = Meter::boundary_unit(rate);
    let lead = Meter::lead(rate);

    // Part boundaries: multiples of the meter's unit, each past the lead a later part needs.
    let mut bounds = vec![0u64];
    for k in 1..parts as u64 {
        let b = (k * total / parts as u64) / unit * unit;
        if b >= lead + unit && b > *bounds.last().unwrap_or(&0) + unit && b < total {
            bounds.push(b);
        }
    }
    let mut plan: Vec<Part> = bounds
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let needs = b.saturating_sub(lead);
            let frame = if b == 0 {
                0
            } else {
                ((needs + trim) / per_frame).saturating_sub(WARM_UP_FRAMES)
            };
            Part {
                frame,
                offset: first_offset,
                start: b,
                end: bounds.get(i + 1).copied().unwrap_or(total),
            }
        })
        .collect();
    // The byte offset of each part's first frame: one pass over the headers.
    if plan.len() > 1 {
        let mut frames = Frames::at(open()?, start, end, None).map_err(io_error(path))?;
        let mut index = 0u64;
        let mut next = 1;
        while next < plan.len() {
            let Some((_, offset, _)) = frames.next().map_err(io_error(path))? else {
                break;
            };
            while next < plan.len() && plan[next].frame == index {
                plan[next].offset = offset;
                next += 1;
            }
            index += 1;
        }
        plan.truncate(next);
        if let Some(last) = plan.last_mut() {
            last.end = total;
        }
    }

    use rayon::prelude::*;
    let results: Vec<Result<PartResult, LoudnessError>> = plan
        .par_iter()
        .map(|part| decode_part(facts, first, trim, part, open()?))
        .collect();
    let parts = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(merge(&parts))
}

/// Decodes one part's frames and measures what the part needs.
fn decode_part(
    facts: &AudioFacts,
    first: Header,
    trim: u64,
    part: &Part,
    file: File,
) -> Result<PartResult, LoudnessError> {
    let path = &facts.path;
    let mut meter =
        Meter::new(first.channels(), first.sample_rate, part.start, part.end).map_err(|e| {
            LoudnessError::Unsupported {
                path: path.clone(),
                why: e.to_string(),
            }
        })?;
    let codec = match first.layer {
        1 => CODEC_ID_MP1,
        2 => CODEC_ID_MP2,
        _ => CODEC_ID_MP3,
    };
    let mut params = AudioCodecParameters::new();
    params.for_codec(codec);
    let mut options = AudioDecoderOptions::default();
    options.gapless = false;
    let mut decoder =
        MpaDecoder::try_new(&params, &options).map_err(|e| LoudnessError::Undecodable {
            path: path.clone(),
            what: e.to_string(),
        })?;
    let per_frame = first.samples();
    let channels = usize::from(first.channels());
    let mut frames = Frames::at(
        file,
        part.offset,
        facts.audio_end.unwrap_or(u64::MAX),
        Some(first),
    )
    .map_err(io_error(path))?;
    let mut index = part.frame;
    let mut pcm: Vec<f32> = Vec::new();
    let mut decoded_any = false;
    while let Some((_, _, bytes)) = frames.next().map_err(io_error(path))? {
        // Where this frame's output begins, in the file's trimmed samples (negative: inside the trim).
        let begins = (index * per_frame) as i64 - trim as i64;
        index += 1;
        if begins >= 0 && meter.is_done(begins as u64) {
            break;
        }
        let packet = PacketRef::new(0, Timestamp::ZERO, Duration::new(per_frame), bytes);
        pcm.clear();
        match decoder.decode_ref(&packet) {
            Ok(buffer) => {
                buffer.copy_to_vec_interleaved(&mut pcm);
                decoded_any = true;
            }
            // A damaged frame plays as silence (its length is kept, so what follows stays in place).
            Err(_) => pcm.resize(per_frame as usize * channels, 0.0),
        }
        let skip = (-begins).max(0) as usize;
        if skip * channels >= pcm.len() {
            continue;
        }
        meter.push(begins.max(0) as u64, &pcm[skip * channels..]);
    }
    if !decoded_any && part.end > part.start {
        return Err(LoudnessError::Undecodable {
            path: path.clone(),
            what: "no frame could be decoded".to_owned(),
        });
    }
    Ok(meter.finish())
}
