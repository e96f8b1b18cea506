//! MPEG audio (Layer I, II, III; MPEG-1, 2 and 2.5): an exact count of the frames in a stream.
//!
//! Why castkit walks every frame instead of trusting a library: a VBR file without a Xing header has no
//! frame count anywhere, and estimating from the first frames' bitrate is wrong by a quarter of the length
//! (symphonia said 2724 s for a 3600 s file); a truncated file's Xing header still claims the full length
//! (`../shared/research/crates.md`). Headers are hints; the walk is the answer.
//!
//! The walk reads the file once, in order, through a fixed window (so memory does not grow with the file),
//! and looks only at the 4-byte header of each frame. It accepts a header after junk only when the frame it
//! announces is followed by another header of the same stream, so bytes inside a cover image or a damaged
//! region are not taken for audio.
//!
//! Gapless length follows the LAME header, and matches what ffmpeg decodes: the encoder delay plus the
//! decoder's 529 samples are removed at the start, the encoder padding minus those 529 at the end — the end
//! only when the Xing frame count agrees with the frames found (a truncated file has lost its padding).

use std::io::{self, Read};

/// The samples a Layer III decoder outputs before the first real one (the hybrid filter bank's delay).
pub(crate) const LAYER3_DECODER_DELAY: u64 = 529;

/// MPEG version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
    V25,
}

impl Version {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Version::V1 => "1",
            Version::V2 => "2",
            Version::V25 => "2.5",
        }
    }
}

/// One frame header, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) version: Version,
    pub(crate) layer: u8,
    pub(crate) crc: bool,
    pub(crate) bitrate_kbps: u32,
    pub(crate) sample_rate: u32,
    pub(crate) padding: bool,
    pub(crate) mono: bool,
}

const BITRATES_V1: [[u32; 15]; 3] = [
    [
        0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
    ],
    [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ],
    [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ],
];
const BITRATES_V2: [[u32; 15]; 3] = [
    [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
    ],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];

impl Header {
    /// Decodes a header, or `None` if the four bytes are not a usable one. Free-format bitrate (index 0) is
    /// refused: its frame length is not in the header (and no encoder in use for podcasts writes it).
    pub(crate) fn parse(b: [u8; 4]) -> Option<Header> {
        if b[0] != 0xFF || b[1] & 0xE0 != 0xE0 {
            return None;
        }
        let version = match (b[1] >> 3) & 3 {
            0 => Version::V25,
            2 => Version::V2,
            3 => Version::V1,
            _ => return None,
        };
        let layer = match (b[1] >> 1) & 3 {
            1 => 3,
            2 => 2,
            3 => 1,
            _ => return None,
        };
        let bitrate_index = usize::from(b[2] >> 4);
        if bitrate_index == 0 || bitrate_index == 15 {
            return None;
        }
        let rate_index = (b[2] >> 2) & 3;
        if rate_index == 3 || b[3] & 3 == 2 {
            // Reserved sample rate, or reserved emphasis: not a header.
            return None;
        }
        let table = if version == Version::V1 {
            &BITRATES_V1
        } else {
            &BITRATES_V2
        };
        let base = [44_100, 48_000, 32_000][usize::from(rate_index)];
        let sample_rate = match version {
            Version::V1 => base,
            Version::V2 => base / 2,
            Version::V25 => base / 4,
        };
        Some(Header {
            version,
            layer,
            crc: b[1] & 1 == 0,
            bitrate_kbps: table[usize::from(layer - 1)][bitrate_index],
            sample_rate,
            padding: (b[2] >> 1) & 1 == 1,
            mono: b[3] >> 6 == 3,
        })
    }

    /// Samples per channel in one frame.
    pub(crate) fn samples(&self) -> u64 {
        match (self.layer, self.version) {
            (1, _) => 384,
            (2, _) | (3, Version::V1) => 1152,
            _ => 576,
        }
    }

    /// The frame's length in bytes, header included.
    pub(crate) fn frame_len(&self) -> usize {
        let br = u64::from(self.bitrate_kbps) * 1000;
        let sr = u64::from(self.sample_rate);
        let pad = u64::from(self.padding);
        let len = match (self.layer, self.version) {
            (1, _) => (12 * br / sr + pad) * 4,
            (2, _) | (3, Version::V1) => 144 * br / sr + pad,
            _ => 72 * br / sr + pad,
        };
        len as usize
    }

    /// Channels.
    pub(crate) fn channels(&self) -> u16 {
        if self.mono { 1 } else { 2 }
    }

    /// Whether `other` belongs to the same stream: same version, layer, sample rate and channel count.
    pub(crate) fn same_stream(&self, other: &Header) -> bool {
        self.version == other.version
            && self.layer == other.layer
            && self.sample_rate == other.sample_rate
            && self.mono == other.mono
    }

    /// Bytes of Layer III side information after the header (and CRC).
    fn side_info_len(&self) -> usize {
        match (self.version, self.mono) {
            (Version::V1, true) => 17,
            (Version::V1, false) => 32,
            (_, true) => 9,
            (_, false) => 17,
        }
    }
}

/// The frame lengths of one stream, by bitrate index and padding bit, with the header bits every frame of the
/// stream shares. Walking a confirmed chain then costs a few comparisons and a table lookup per frame.
#[derive(Debug, Clone, Copy)]
struct StreamTable {
    /// Byte 1 without the CRC bit: sync, version, layer.
    b1: u8,
    /// Byte 2's sample-rate bits.
    rate_bits: u8,
    mono: bool,
    /// `lens[bitrate index][padding]`, 0 for invalid indices.
    lens: [[u16; 2]; 16],
}

impl StreamTable {
    fn new(first: [u8; 4]) -> StreamTable {
        let mut lens = [[0u16; 2]; 16];
        for (index, row) in lens.iter_mut().enumerate().take(15).skip(1) {
            for (pad, len) in row.iter_mut().enumerate() {
                let b2 = (first[2] & 0x0C) | ((index as u8) << 4) | ((pad as u8) << 1);
                if let Some(h) = Header::parse([first[0], first[1], b2, first[3]]) {
                    *len = h.frame_len() as u16;
                }
            }
        }
        StreamTable {
            b1: first[1] & 0xFE,
            rate_bits: first[2] & 0x0C,
            mono: first[3] >> 6 == 3,
            lens,
        }
    }

    /// The length and bitrate index of the frame whose header is `b`, if it belongs to this stream.
    #[inline]
    fn frame(&self, b: &[u8]) -> Option<(usize, u8)> {
        if b[0] != 0xFF
            || b[1] & 0xFE != self.b1
            || b[2] & 0x0C != self.rate_bits
            || (b[3] >> 6 == 3) != self.mono
            || b[3] & 3 == 2
        {
            return None;
        }
        let index = b[2] >> 4;
        let len = self.lens[usize::from(index)][usize::from((b[2] >> 1) & 1)];
        (len != 0).then_some((usize::from(len), index))
    }
}

/// What a Xing/Info header (and the LAME extension after it) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct InfoFrame {
    /// `true` for "Info" (written for CBR), `false` for "Xing" or "VBRI".
    pub(crate) is_info: bool,
    /// Whether it is a Fraunhofer VBRI header.
    pub(crate) is_vbri: bool,
    /// The number of audio frames it claims.
    pub(crate) frames: Option<u64>,
    /// The LAME extension, when present.
    pub(crate) lame: Option<Lame>,
}

/// The LAME extension of a Xing/Info header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lame {
    /// Encoder delay, in samples.
    pub(crate) delay: u32,
    /// Encoder padding, in samples.
    pub(crate) padding: u32,
    /// The VBR method nibble (1 and 8: CBR; 2 and 9: ABR; 3 to 7: VBR).
    pub(crate) vbr_method: u8,
}

/// Reads a Xing/Info/VBRI header from the first frame of a stream, if it has one.
pub(crate) fn parse_info_frame(frame: &[u8], header: &Header) -> Option<InfoFrame> {
    if header.layer != 3 {
        return None;
    }
    // LAME writes the Xing tag right after the side information; a CRC-protected first frame would push it
    // two bytes further, so both places are looked at.
    let side = 4 + header.side_info_len();
    for offset in [side, side + 2] {
        let Some(tag) = frame.get(offset..offset + 8) else {
            continue;
        };
        let is_info = &tag[..4] == b"Info";
        if !is_info && &tag[..4] != b"Xing" {
            continue;
        }
        let flags = u32::from_be_bytes([tag[4], tag[5], tag[6], tag[7]]);
        let mut p = offset + 8;
        let mut frames = None;
        if flags & 1 != 0 {
            frames = frame
                .get(p..p + 4)
                .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
            p += 4;
        }
        if flags & 2 != 0 {
            p += 4;
        }
        if flags & 4 != 0 {
            p += 100;
        }
        if flags & 8 != 0 {
            p += 4;
        }
        // ffmpeg trusts the delay and padding only from these encoders; so does castkit, to agree with it.
        let lame = frame.get(p..p + 24).and_then(|ext| {
            let encoder = &ext[..4];
            if encoder != b"LAME" && encoder != b"Lavf" && encoder != b"Lavc" {
                return None;
            }
            Some(Lame {
                delay: (u32::from(ext[21]) << 4) | (u32::from(ext[22]) >> 4),
                padding: ((u32::from(ext[22]) & 0x0F) << 8) | u32::from(ext[23]),
                vbr_method: ext[9] & 0x0F,
            })
        });
        return Some(InfoFrame {
            is_info,
            is_vbri: false,
            frames,
            lame,
        });
    }
    // Fraunhofer's VBRI header: always 32 bytes after the 4-byte header.
    let vbri = frame.get(36..36 + 18)?;
    if &vbri[..4] != b"VBRI" {
        return None;
    }
    Some(InfoFrame {
        is_info: false,
        is_vbri: true,
        frames: Some(u64::from(u32::from_be_bytes([
            vbri[14], vbri[15], vbri[16], vbri[17],
        ]))),
        lame: None,
    })
}

/// The result of walking a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Walk {
    /// The first audio frame's header (the stream's version, layer, rate, channels).
    pub(crate) first: Header,
    /// Audio frames found (the Xing/Info/VBRI frame is not audio and not counted).
    pub(crate) frames: u64,
    /// Bytes of audio frames.
    pub(crate) audio_bytes: u64,
    /// Offset of the first frame (the info frame, if there is one).
    pub(crate) start: u64,
    /// Offset just past the last complete frame.
    pub(crate) end: u64,
    /// Whether frame bitrates differ.
    pub(crate) bitrate_varies: bool,
    /// The Xing/Info/VBRI header, if any.
    pub(crate) info: Option<InfoFrame>,
    /// Findings that did not stop the walk.
    pub(crate) warnings: Vec<String>,
    /// Whether the last frame was cut off by the end of the stream.
    pub(crate) truncated: bool,
}

impl Walk {
    /// Samples per channel as a decoder outputs them, with the gapless trimming the LAME header asks for.
    pub(crate) fn samples(&self) -> u64 {
        let raw = self.frames * self.first.samples();
        match self.info.and_then(|i| i.lame) {
            Some(lame) if self.first.layer == 3 => {
                let start = u64::from(lame.delay) + LAYER3_DECODER_DELAY;
                let end = if self.frame_count_agrees() && !self.truncated {
                    u64::from(lame.padding).saturating_sub(LAYER3_DECODER_DELAY)
                } else {
                    0
                };
                raw.saturating_sub(start + end)
            }
            _ => raw,
        }
    }

    /// Whether the info frame's count (if any) matches the frames found.
    pub(crate) fn frame_count_agrees(&self) -> bool {
        self.info
            .and_then(|i| i.frames)
            .is_none_or(|claimed| claimed == self.frames)
    }
}

/// Why a walk found no audio.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WalkError {
    /// Reading failed.
    #[error("the audio cannot be read")]
    Io(#[from] io::Error),
    /// No two consecutive frames anywhere in the stream.
    #[error("no two consecutive MPEG audio frames were found")]
    NoFrames,
}

/// Bytes read from the file at a time. The walk's memory is this window, whatever the file's size.
const WINDOW: usize = 1 << 17;
/// The longest possible frame (Layer II at 384 kbit/s and 8 kHz) plus room for the next header.
const MAX_FRAME: usize = 8 * 1024;

/// A forward-only window over a reader. The buffer is allocated (and zeroed) once; a refill moves the few
/// unread bytes to the front and reads straight into the rest, so the cost of a walk is the reads themselves.
struct Window<R> {
    reader: R,
    buf: Box<[u8]>,
    /// Valid bytes are `buf[lo..hi]`, holding the stream's bytes from `base`.
    lo: usize,
    hi: usize,
    base: u64,
    /// The stream's end (the audio region's end, before trailing tags).
    end: u64,
}

impl<R: Read> Window<R> {
    fn new(reader: R, start: u64, end: u64) -> Window<R> {
        Window {
            reader,
            buf: vec![0u8; WINDOW + MAX_FRAME].into_boxed_slice(),
            lo: 0,
            hi: 0,
            base: start,
            end,
        }
    }

    /// Makes sure bytes `[pos, pos + want)` are in the buffer (or as many as exist before `end`), and
    /// returns them. `pos` never moves backwards, and `want` is at most `MAX_FRAME`.
    fn get(&mut self, pos: u64, want: usize) -> io::Result<&[u8]> {
        let want_end = (pos + want as u64).min(self.end);
        if want_end > self.base + (self.hi - self.lo) as u64 {
            // Keep the unread bytes from `pos` on, at the front.
            let skip = ((pos.saturating_sub(self.base)) as usize).min(self.hi - self.lo);
            self.buf.copy_within(self.lo + skip..self.hi, 0);
            self.hi -= self.lo + skip;
            self.lo = 0;
            self.base += skip as u64;
            let read_to = self.base + self.hi as u64;
            let room = (self.buf.len() - self.hi).min((self.end - read_to) as usize);
            let mut filled = 0;
            while filled < room {
                match self
                    .reader
                    .read(&mut self.buf[self.hi + filled..self.hi + room])
                {
                    Ok(0) => {
                        // The file is shorter than it was when its size was taken.
                        self.end = read_to + filled as u64;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
                if self.hi + filled >= (pos - self.base) as usize + want && filled >= WINDOW / 2 {
                    break;
                }
            }
            self.hi += filled;
        }
        let start = self.lo + ((pos.saturating_sub(self.base)) as usize).min(self.hi - self.lo);
        let stop = self.lo
            + ((want_end.min(self.end).saturating_sub(self.base)) as usize).min(self.hi - self.lo);
        Ok(&self.buf[start.min(stop)..stop])
    }
}

impl<R> Window<R> {
    /// The bytes already buffered from `pos` on (no reading).
    fn buffered_from(&self, pos: u64) -> &[u8] {
        let start = self.lo + ((pos.saturating_sub(self.base)) as usize).min(self.hi - self.lo);
        let stop = self.lo + ((self.end.saturating_sub(self.base)) as usize).min(self.hi - self.lo);
        &self.buf[start.min(stop)..stop]
    }
}

/// Walks the MPEG stream in `reader`, which is positioned at byte `start` of the file; the audio region
/// ends at `end` (before any trailing tags). Zero bytes before the first frame (padding a tagger left after
/// an ID3 tag) are not worth a warning; any other junk is reported with its offset.
pub(crate) fn walk<R: Read>(reader: R, start: u64, end: u64) -> Result<Walk, WalkError> {
    let mut w = Window::new(reader, start, end);
    let mut pos = start;
    let mut first: Option<Header> = None;
    let mut info: Option<InfoFrame> = None;
    let mut frames: u64 = 0;
    let mut audio_bytes: u64 = 0;
    let mut stream_start = start;
    let mut last_end = start;
    let mut bitrate_varies = false;
    let mut warnings = Vec::new();
    let mut truncated = false;
    // Set while looking for a header after junk (or at the very start): the next header must be confirmed.
    let mut junk_from: Option<u64> = Some(start);
    let mut junk_all_zero = true;
    let mut junk_reports = 0usize;
    let mut junk_total = 0u64;
    let mut table: Option<StreamTable> = None;
    let mut bitrate_index: Option<u8> = None;

    while pos + 4 <= w.end {
        // Fast path: inside a confirmed chain, walk the frames already in the buffer.
        if let (None, Some(t)) = (junk_from, table) {
            let buf = w.buffered_from(pos);
            let mut off = 0usize;
            while off + 4 <= buf.len() {
                let Some((len, index)) = t.frame(&buf[off..off + 4]) else {
                    break;
                };
                if off + len > buf.len() {
                    break;
                }
                frames += 1;
                audio_bytes += len as u64;
                match bitrate_index {
                    None => bitrate_index = Some(index),
                    Some(i) if i != index => bitrate_varies = true,
                    _ => {}
                }
                off += len;
            }
            if off > 0 {
                pos += off as u64;
                last_end = pos;
                continue;
            }
        }
        let h4 = {
            let head = w.get(pos, 4)?;
            if head.len() < 4 {
                break;
            }
            [head[0], head[1], head[2], head[3]]
        };
        let header = Header::parse(h4).filter(|h| first.is_none_or(|f| f.same_stream(h)));
        let Some(header) = header else {
            if junk_from.is_none() {
                junk_from = Some(pos);
                junk_all_zero = true;
            }
            // Skip to the next possible sync byte in what is buffered.
            let head = w.get(pos, MAX_FRAME)?;
            let skip = memchr::memchr(0xFF, &head[1..]).map_or(head.len(), |i| i + 1);
            junk_all_zero &= head[..skip].iter().all(|&b| b == 0);
            pos += skip as u64;
            continue;
        };
        let len = header.frame_len();
        if pos + len as u64 > w.end {
            if junk_from.is_none() {
                // The next frame of the chain runs past the end: the file was cut. Decoders still output
                // it (ffmpeg fills the missing bytes), so it counts, with a warning.
                truncated = true;
                warnings.push(format!(
                    "the last frame at byte {pos} is cut off: {} of its {len} bytes are missing (the file is truncated)",
                    pos + len as u64 - w.end
                ));
                frames += 1;
                audio_bytes += w.end - pos;
                last_end = w.end;
                break;
            }
            // While resyncing, a header whose frame runs past the end is not a frame.
            junk_all_zero &= h4[0] == 0;
            pos += 1;
            continue;
        }
        if junk_from.is_some() {
            // Confirm: the next frame must start right after this one (or this one must end the stream).
            let next = pos + len as u64;
            let confirmed = if next + 4 <= w.end {
                let bytes = w.get(pos, len + 4)?;
                bytes.len() >= len + 4
                    && Header::parse([bytes[len], bytes[len + 1], bytes[len + 2], bytes[len + 3]])
                        .is_some_and(|h| h.same_stream(&header))
            } else {
                next == w.end
            };
            if !confirmed {
                junk_all_zero &= h4[0] == 0;
                pos += 1;
                continue;
            }
            if let Some(from) = junk_from.take()
                && pos > from
            {
                let n = pos - from;
                let leading = first.is_none();
                if !(leading && junk_all_zero) {
                    junk_total += n;
                    junk_reports += 1;
                    if junk_reports <= 5 {
                        warnings.push(if leading {
                            format!("{n} bytes of junk before the first frame, at byte {from}")
                        } else {
                            format!("{n} bytes of junk between frames at byte {from}")
                        });
                    }
                }
            }
        }
        if first.is_none() {
            first = Some(header);
            table = Some(StreamTable::new(h4));
            stream_start = pos;
            let frame = w.get(pos, len)?;
            if let Some(found) = parse_info_frame(frame, &header) {
                info = Some(found);
                pos += len as u64;
                last_end = pos;
                continue;
            }
        }
        frames += 1;
        audio_bytes += len as u64;
        let index = h4[2] >> 4;
        match bitrate_index {
            None => bitrate_index = Some(index),
            Some(i) if i != index => bitrate_varies = true,
            _ => {}
        }
        pos += len as u64;
        last_end = pos;
    }
    if junk_reports > 5 {
        warnings.push(format!(
            "junk between frames in {junk_reports} places, {junk_total} bytes in all"
        ));
    }
    if first.is_some() && !truncated {
        // Whatever lies between the last frame and the end of the audio region.
        let n = w.end.saturating_sub(last_end);
        if n > 0 {
            warnings.push(if junk_from.is_some() && junk_all_zero {
                format!("{n} zero bytes after the last frame, at byte {last_end}")
            } else {
                format!("{n} bytes of junk after the last frame, at byte {last_end}")
            });
        }
    }
    let first = first.ok_or(WalkError::NoFrames)?;
    if frames == 0 {
        return Err(WalkError::NoFrames);
    }
    let mut walk = Walk {
        first,
        frames,
        audio_bytes,
        start: stream_start,
        end: last_end,
        bitrate_varies,
        info,
        warnings,
        truncated,
    };
    if let Some(claimed) = walk.info.and_then(|i| i.frames)
        && claimed != walk.frames
    {
        let kind = if walk.info.is_some_and(|i| i.is_vbri) {
            "VBRI"
        } else if walk.info.is_some_and(|i| i.is_info) {
            "Info"
        } else {
            "Xing"
        };
        walk.warnings.push(format!(
            "the {kind} header says {claimed} frames, but the file has {}: {}; the duration counts the frames found",
            walk.frames,
            if claimed > walk.frames {
                "it was cut short or edited after encoding"
            } else {
                "frames were added after encoding"
            }
        ));
    }
    Ok(walk)
}

#[cfg(test)]
pub(crate) mod synthetic {
    //! Builds MPEG streams from frames with known headers and silent payloads, so counts are known by
    //! construction.

    /// One frame: the header bytes and zeroed payload up to the frame's length.
    pub(crate) fn frame(header: [u8; 4]) -> Vec<u8> {
        let h = super::Header::parse(header).expect("a valid header");
        let mut f = vec![0u8; h.frame_len()];
        f[..4].copy_from_slice(&header);
        f
    }

    /// `n` frames of MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo, alternating padding as a real CBR
    /// stream does.
    pub(crate) fn mpeg1_l3(n: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| frame([0xFF, 0xFB, if i % 3 == 0 { 0x92 } else { 0x90 }, 0x00]))
            .collect()
    }

    /// A Xing frame (MPEG-1 Layer III stereo) claiming `frames` frames, with a LAME extension giving
    /// `delay` and `padding`.
    pub(crate) fn xing(frames: u32, delay: u16, padding: u16) -> Vec<u8> {
        let mut f = frame([0xFF, 0xFB, 0x90, 0x00]);
        let at = 4 + 32;
        f[at..at + 4].copy_from_slice(b"Xing");
        f[at + 4..at + 8].copy_from_slice(&1u32.to_be_bytes());
        f[at + 8..at + 12].copy_from_slice(&frames.to_be_bytes());
        let lame = at + 12;
        f[lame..lame + 9].copy_from_slice(b"LAME3.100");
        f[lame + 9] = 0x03;
        f[lame + 21] = (delay >> 4) as u8;
        f[lame + 22] = (((delay & 0xF) << 4) as u8) | ((padding >> 8) as u8);
        f[lame + 23] = padding as u8;
        f
    }
}

#[cfg(test)]
mod tests {
    use super::synthetic::*;
    use super::*;

    fn run(bytes: &[u8]) -> Result<Walk, WalkError> {
        walk(std::io::Cursor::new(bytes), 0, bytes.len() as u64)
    }

    #[test]
    fn header_maths_for_each_version_and_layer() {
        // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding, stereo.
        let h = Header::parse([0xFF, 0xFB, 0x90, 0x00]).unwrap();
        assert_eq!(
            (h.version, h.layer, h.bitrate_kbps, h.sample_rate),
            (Version::V1, 3, 128, 44_100)
        );
        assert_eq!((h.frame_len(), h.samples(), h.channels()), (417, 1152, 2));
        // MPEG-2 Layer III, 64 kbit/s, 24 kHz, padded, mono: 72 * 64000 / 24000 + 1 = 193.
        let h = Header::parse([0xFF, 0xF3, 0x86, 0xC0]).unwrap();
        assert_eq!(
            (
                h.version,
                h.sample_rate,
                h.frame_len(),
                h.samples(),
                h.channels()
            ),
            (Version::V2, 24_000, 193, 576, 1)
        );
        // MPEG-2.5 Layer III, 8 kbit/s, 8 kHz: 72 * 8000 / 8000 = 72.
        let h = Header::parse([0xFF, 0xE3, 0x18, 0x00]).unwrap();
        assert_eq!(
            (h.version, h.sample_rate, h.frame_len()),
            (Version::V25, 8_000, 72)
        );
        // MPEG-1 Layer II, 192 kbit/s, 48 kHz: 144 * 192000 / 48000 = 576.
        let h = Header::parse([0xFF, 0xFD, 0xA4, 0x00]).unwrap();
        assert_eq!((h.layer, h.frame_len(), h.samples()), (2, 576, 1152));
        // MPEG-1 Layer I, 384 kbit/s, 44.1 kHz: (12 * 384000 / 44100) * 4 = 416.
        let h = Header::parse([0xFF, 0xFF, 0xC0, 0x00]).unwrap();
        assert_eq!((h.layer, h.frame_len(), h.samples()), (1, 416, 384));
    }

    #[test]
    fn reserved_and_free_format_headers_are_refused() {
        assert!(
            Header::parse([0xFF, 0xEB, 0x90, 0x00]).is_none(),
            "version 01 is reserved"
        );
        assert!(
            Header::parse([0xFF, 0xF9, 0x90, 0x00]).is_none(),
            "layer 00 is reserved"
        );
        assert!(
            Header::parse([0xFF, 0xFB, 0x00, 0x00]).is_none(),
            "free format"
        );
        assert!(
            Header::parse([0xFF, 0xFB, 0xF0, 0x00]).is_none(),
            "bitrate 15"
        );
        assert!(
            Header::parse([0xFF, 0xFB, 0x9C, 0x00]).is_none(),
            "sample rate 3"
        );
        assert!(
            Header::parse([0xFF, 0xFB, 0x90, 0x02]).is_none(),
            "emphasis 2"
        );
        assert!(Header::parse([0xFE, 0xFB, 0x90, 0x00]).is_none());
    }

    #[test]
    fn synthetic_streams_count_exactly() {
        for n in [1, 2, 3, 100, 2500] {
            let w = run(&mpeg1_l3(n)).unwrap();
            assert_eq!(w.frames, n as u64);
            assert_eq!(w.samples(), n as u64 * 1152);
            assert!(w.warnings.is_empty(), "{:?}", w.warnings);
        }
    }

    #[test]
    fn layer1_layer2_and_mpeg25_frames_have_their_own_sizes() {
        // Layer I, 384 kbit/s, 44.1 kHz: 384 samples per frame.
        let l1: Vec<u8> = (0..10)
            .flat_map(|_| frame([0xFF, 0xFF, 0xC0, 0x00]))
            .collect();
        let w = run(&l1).unwrap();
        assert_eq!((w.frames, w.samples(), w.first.layer), (10, 3840, 1));
        // Layer II, 192 kbit/s, 48 kHz.
        let l2: Vec<u8> = (0..7)
            .flat_map(|_| frame([0xFF, 0xFD, 0xA4, 0x00]))
            .collect();
        assert_eq!(run(&l2).unwrap().samples(), 7 * 1152);
        // MPEG-2.5 Layer III, 8 kHz, mono: 576 samples per frame.
        let v25: Vec<u8> = (0..9)
            .flat_map(|_| frame([0xFF, 0xE3, 0x18, 0xC0]))
            .collect();
        let w = run(&v25).unwrap();
        assert_eq!(
            (w.samples(), w.first.sample_rate, w.first.channels()),
            (9 * 576, 8000, 1)
        );
    }

    #[test]
    fn junk_with_a_fake_sync_word_is_skipped_and_reported_with_its_offset() {
        let mut bytes = mpeg1_l3(40);
        let junk_at = bytes.len();
        // A header that parses, but whose "frame" is not followed by another: must not be counted.
        let mut junk = vec![0x55u8; 50];
        junk.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        junk.extend_from_slice(&[0x55; 300]);
        bytes.extend_from_slice(&junk);
        bytes.extend_from_slice(&mpeg1_l3(60));
        let w = run(&bytes).unwrap();
        assert_eq!(w.frames, 100);
        assert_eq!(
            w.warnings,
            [format!(
                "{} bytes of junk between frames at byte {junk_at}",
                junk.len()
            )]
        );
    }

    #[test]
    fn a_header_inside_a_cover_image_before_the_stream_is_not_audio() {
        // Bytes that contain a valid-looking header (as JPEG data can), then the real stream.
        let mut bytes = vec![0x12u8; 100];
        bytes.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        bytes.extend_from_slice(&[0x34; 200]);
        let start = bytes.len();
        bytes.extend_from_slice(&mpeg1_l3(5));
        let w = run(&bytes).unwrap();
        assert_eq!((w.frames, w.start), (5, start as u64));
        assert!(
            w.warnings[0].contains("before the first frame"),
            "{:?}",
            w.warnings
        );
    }

    #[test]
    fn a_lying_xing_count_is_caught_and_the_walk_wins() {
        let mut bytes = xing(1000, 576, 1000);
        bytes.extend_from_slice(&mpeg1_l3(20));
        let w = run(&bytes).unwrap();
        assert_eq!(w.frames, 20);
        assert!(!w.frame_count_agrees());
        assert!(
            w.warnings[0].contains("says 1000 frames, but the file has 20"),
            "{:?}",
            w.warnings
        );
        // Delay is trimmed (it is at the start, present), padding is not (the end it belongs to is gone).
        assert_eq!(w.samples(), 20 * 1152 - (576 + LAYER3_DECODER_DELAY));
    }

    #[test]
    fn a_truthful_lame_header_gives_the_gapless_length() {
        let mut bytes = xing(20, 576, 1000);
        bytes.extend_from_slice(&mpeg1_l3(20));
        let w = run(&bytes).unwrap();
        assert!(
            w.frame_count_agrees() && w.warnings.is_empty(),
            "{:?}",
            w.warnings
        );
        assert_eq!(w.samples(), 20 * 1152 - 576 - 1000);
        assert_eq!(w.frames, 20, "the Xing frame is not audio");
    }

    #[test]
    fn a_cut_off_last_frame_is_counted_and_reported() {
        let mut bytes = mpeg1_l3(10);
        bytes.truncate(bytes.len() - 100);
        let w = run(&bytes).unwrap();
        assert_eq!(w.frames, 10);
        assert!(w.truncated);
        assert!(
            w.warnings[0].contains("is cut off: 100 of its"),
            "{:?}",
            w.warnings
        );
    }

    #[test]
    fn no_frames_at_all_is_an_error() {
        assert!(matches!(run(b""), Err(WalkError::NoFrames)));
        assert!(matches!(run(&[0x55; 10_000]), Err(WalkError::NoFrames)));
        // One lone header with nothing after it that confirms it.
        let mut lone = vec![0u8; 10];
        lone.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x00, 1, 2, 3]);
        assert!(matches!(run(&lone), Err(WalkError::NoFrames)));
    }

    #[test]
    fn a_stream_longer_than_the_read_window_is_walked_through_refills() {
        // 1 MiB window; 5000 frames of ~418 bytes is about 2 MiB.
        let w = run(&mpeg1_l3(5000)).unwrap();
        assert_eq!(w.frames, 5000);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;
        use std::sync::mpsc;
        use std::time::Duration;

        /// Runs a walk on another thread and fails if it does not finish in time (a hang).
        fn walk_in_time(bytes: Vec<u8>) -> Result<Walk, WalkError> {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(run(&bytes));
            });
            rx.recv_timeout(Duration::from_secs(10))
                .expect("the walk did not finish within 10 s")
        }

        fn base() -> Vec<u8> {
            let mut bytes = xing(30, 576, 1200);
            bytes.extend_from_slice(&mpeg1_l3(30));
            bytes
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..20_000)) {
                let _ = walk_in_time(bytes);
            }

            #[test]
            fn bit_flips_never_panic_and_never_count_more_than_fits(
                flips in proptest::collection::vec((0usize..30_000, 0u8..8), 1..40)
            ) {
                let mut bytes = base();
                for (at, bit) in flips {
                    let i = at % bytes.len();
                    bytes[i] ^= 1 << bit;
                }
                let len = bytes.len();
                if let Ok(w) = walk_in_time(bytes) {
                    // Frames are at least 24 bytes (the smallest MPEG frame), so no walk can find more.
                    prop_assert!(w.frames as usize <= len / 24 + 1);
                    prop_assert!(w.end as usize <= len);
                }
            }

            #[test]
            fn truncation_never_panics_and_never_gains_frames(cut in 0usize..13_000) {
                let bytes = base();
                let cut = cut.min(bytes.len());
                if let Ok(w) = walk_in_time(bytes[..cut].to_vec()) {
                    prop_assert!(w.frames <= 30);
                }
            }
        }
    }
}
