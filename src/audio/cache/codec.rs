//! The binary form of a store entry: the file's [`Stamp`], its [`AudioFacts`] and, once computed, its
//! SHA-384 digest ([`Sha384`]) and its [`Loudness`], little-endian, with no field names (a few hundred bytes an entry, decoded in
//! well under a microsecond).
//!
//! The encoder takes the facts apart field by field with no `..`: a field added to [`AudioFacts`] or
//! [`TagSummary`] stops the build here until it is given a place. The decoder answers `None` for bytes it
//! cannot read to the end exactly (the entry is then probed again, never trusted in part).

use std::path::Path;

use super::{Sha384, Stamp};
use crate::audio::loudness::Loudness;
use crate::audio::{AudioFacts, AudioFormat, BitrateMode, Codec, DurationSource, TagSummary};

/// Appends `stamp`, `facts` and the file's digest, when known, to `out` (the path is not stored: it is the
/// entry's key).
pub(super) fn encode(
    out: &mut Vec<u8>,
    stamp: &Stamp,
    facts: &AudioFacts,
    sha384: Option<&Sha384>,
    loudness: Option<&Loudness>,
) {
    let mut w = Writer(out);
    let Stamp {
        dev,
        ino,
        len,
        mtime_ns,
        ctime_ns,
    } = *stamp;
    w.u64(dev);
    w.u64(ino);
    w.u64(len);
    w.i128(mtime_ns);
    w.i128(ctime_ns);
    let AudioFacts {
        path: _,
        format,
        codec,
        size_bytes,
        sample_rate_hz,
        channels,
        samples,
        frames,
        duration_source,
        bitrate_kbps,
        bitrate_mode,
        mpeg_version,
        mpeg_layer,
        audio_start,
        audio_end,
        encoder_delay,
        encoder_padding,
        tags,
        warnings,
    } = facts;
    w.u8(format_code(*format));
    w.u8(codec_code(*codec));
    w.u64(*size_bytes);
    w.u32(*sample_rate_hz);
    w.u16(*channels);
    w.u64(*samples);
    w.option(frames.as_ref(), |w, v| w.u64(*v));
    w.u8(duration_source_code(*duration_source));
    w.option(bitrate_kbps.as_ref(), |w, v| w.u32(*v));
    w.option(bitrate_mode.as_ref(), |w, v| w.u8(bitrate_mode_code(*v)));
    w.option_str(mpeg_version.as_deref());
    w.option(mpeg_layer.as_ref(), |w, v| w.u8(*v));
    w.option(audio_start.as_ref(), |w, v| w.u64(*v));
    w.option(audio_end.as_ref(), |w, v| w.u64(*v));
    w.option(encoder_delay.as_ref(), |w, v| w.u32(*v));
    w.option(encoder_padding.as_ref(), |w, v| w.u32(*v));
    let TagSummary {
        id3_version,
        native,
        title,
        artist,
        album,
        track,
        date,
        genre,
        comment,
        has_cover,
        chapters,
        has_id3v1,
        has_ape,
    } = tags;
    for text in [
        id3_version,
        native,
        title,
        artist,
        album,
        track,
        date,
        genre,
        comment,
    ] {
        w.option_str(text.as_deref());
    }
    w.u8(u8::from(*has_cover));
    w.u64(*chapters as u64);
    w.u8(u8::from(*has_id3v1));
    w.u8(u8::from(*has_ape));
    w.u32(u32::try_from(warnings.len()).unwrap_or(u32::MAX));
    for warning in warnings.iter().take(u32::MAX as usize) {
        w.str(warning);
    }
    w.option(sha384, |w, digest| w.0.extend_from_slice(&digest.0));
    w.option(loudness, |w, l| {
        let Loudness {
            integrated_lufs,
            range_lu,
            true_peak_dbtp,
            sample_peak_dbfs,
            leading_silence_seconds,
            trailing_silence_seconds,
        } = *l;
        w.option(integrated_lufs.as_ref(), |w, v| w.f64(*v));
        w.f64(range_lu);
        w.option(true_peak_dbtp.as_ref(), |w, v| w.f64(*v));
        w.option(sample_peak_dbfs.as_ref(), |w, v| w.f64(*v));
        w.f64(leading_silence_seconds);
        w.f64(trailing_silence_seconds);
    });
}

/// The stamp alone, read from the front of an entry (cheaper than the whole entry, for a stale one).
pub(super) fn decode_stamp(bytes: &[u8]) -> Option<Stamp> {
    let mut r = Reader(bytes);
    Some(Stamp {
        dev: r.u64()?,
        ino: r.u64()?,
        len: r.u64()?,
        mtime_ns: r.i128()?,
        ctime_ns: r.i128()?,
    })
}

/// An entry's contents.
pub(super) struct Entry {
    /// What the probe measured.
    pub(super) facts: AudioFacts,
    /// The file's SHA-384 digest, when one was asked for.
    pub(super) sha384: Option<Sha384>,
    /// The file's loudness, when it was measured.
    pub(super) loudness: Option<Loudness>,
}

/// The facts and digest of an entry (its stamp is [`decode_stamp`]'s), with `path` as the facts' path;
/// `None` unless every byte is read.
pub(super) fn decode(bytes: &[u8], path: &Path) -> Option<Entry> {
    decode_stamp(bytes)?;
    let mut r = Reader(&bytes[STAMP_LEN..]);
    let format = format_of(r.u8()?)?;
    let codec = codec_of(r.u8()?)?;
    let size_bytes = r.u64()?;
    let sample_rate_hz = r.u32()?;
    let channels = r.u16()?;
    let samples = r.u64()?;
    let frames = r.option(Reader::u64)?;
    let duration_source = duration_source_of(r.u8()?)?;
    let bitrate_kbps = r.option(Reader::u32)?;
    let bitrate_mode = match r.option(Reader::u8)? {
        Some(code) => Some(bitrate_mode_of(code)?),
        None => None,
    };
    let mpeg_version = r.option(Reader::string)?;
    let mpeg_layer = r.option(Reader::u8)?;
    let audio_start = r.option(Reader::u64)?;
    let audio_end = r.option(Reader::u64)?;
    let encoder_delay = r.option(Reader::u32)?;
    let encoder_padding = r.option(Reader::u32)?;
    let tags = TagSummary {
        id3_version: r.option(Reader::string)?,
        native: r.option(Reader::string)?,
        title: r.option(Reader::string)?,
        artist: r.option(Reader::string)?,
        album: r.option(Reader::string)?,
        track: r.option(Reader::string)?,
        date: r.option(Reader::string)?,
        genre: r.option(Reader::string)?,
        comment: r.option(Reader::string)?,
        has_cover: r.bool()?,
        chapters: usize::try_from(r.u64()?).ok()?,
        has_id3v1: r.bool()?,
        has_ape: r.bool()?,
    };
    let count = r.u32()? as usize;
    // Each warning takes at least its 4-byte length: a count the bytes cannot hold is damage.
    if count > r.0.len() / 4 {
        return None;
    }
    let mut warnings = Vec::with_capacity(count);
    for _ in 0..count {
        warnings.push(r.string()?);
    }
    let sha384 = r.option(|r| r.take::<48>().map(Sha384))?;
    let loudness = r.option(|r| {
        Some(Loudness {
            integrated_lufs: r.option(Reader::f64)?,
            range_lu: r.f64()?,
            true_peak_dbtp: r.option(Reader::f64)?,
            sample_peak_dbfs: r.option(Reader::f64)?,
            leading_silence_seconds: r.f64()?,
            trailing_silence_seconds: r.f64()?,
        })
    })?;
    if !r.0.is_empty() {
        return None;
    }
    let facts = AudioFacts {
        path: path.to_path_buf(),
        format,
        codec,
        size_bytes,
        sample_rate_hz,
        channels,
        samples,
        frames,
        duration_source,
        bitrate_kbps,
        bitrate_mode,
        mpeg_version,
        mpeg_layer,
        audio_start,
        audio_end,
        encoder_delay,
        encoder_padding,
        tags,
        warnings,
    };
    Some(Entry {
        facts,
        sha384,
        loudness,
    })
}

/// Bytes of an encoded stamp: three `u64` and two `i128`.
const STAMP_LEN: usize = 3 * 8 + 2 * 16;

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        // Longer texts than 4 GiB cannot come from a probe (tags are read within bounded buffers).
        let bytes = &s.as_bytes()[..s.len().min(u32::MAX as usize)];
        self.u32(bytes.len() as u32);
        self.0.extend_from_slice(bytes);
    }
    fn option<T>(&mut self, v: Option<&T>, write: impl FnOnce(&mut Self, &T)) {
        match v {
            Some(v) => {
                self.u8(1);
                write(self, v);
            }
            None => self.u8(0),
        }
    }
    fn option_str(&mut self, v: Option<&str>) {
        match v {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
    fn i128(&mut self) -> Option<i128> {
        self.take().map(i128::from_le_bytes)
    }
    fn f64(&mut self) -> Option<f64> {
        self.take().map(f64::from_le_bytes)
    }
    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        if len > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8(text.to_vec()).ok()
    }
    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }
}

// Enum codes. Each encoder is an exhaustive match (a new variant must be given a code); each decoder is
// its inverse, checked for every code by a test.

fn format_code(v: AudioFormat) -> u8 {
    match v {
        AudioFormat::Mp3 => 0,
        AudioFormat::M4a => 1,
        AudioFormat::Mp4 => 2,
        AudioFormat::Mov => 3,
        AudioFormat::M4v => 4,
        AudioFormat::Ogg => 5,
        AudioFormat::Flac => 6,
        AudioFormat::Wav => 7,
    }
}

fn format_of(code: u8) -> Option<AudioFormat> {
    Some(match code {
        0 => AudioFormat::Mp3,
        1 => AudioFormat::M4a,
        2 => AudioFormat::Mp4,
        3 => AudioFormat::Mov,
        4 => AudioFormat::M4v,
        5 => AudioFormat::Ogg,
        6 => AudioFormat::Flac,
        7 => AudioFormat::Wav,
        _ => return None,
    })
}

fn codec_code(v: Codec) -> u8 {
    match v {
        Codec::Mp1 => 0,
        Codec::Mp2 => 1,
        Codec::Mp3 => 2,
        Codec::Aac => 3,
        Codec::Alac => 4,
        Codec::Opus => 5,
        Codec::Vorbis => 6,
        Codec::Flac => 7,
        Codec::Pcm => 8,
        Codec::Other => 9,
    }
}

fn codec_of(code: u8) -> Option<Codec> {
    Some(match code {
        0 => Codec::Mp1,
        1 => Codec::Mp2,
        2 => Codec::Mp3,
        3 => Codec::Aac,
        4 => Codec::Alac,
        5 => Codec::Opus,
        6 => Codec::Vorbis,
        7 => Codec::Flac,
        8 => Codec::Pcm,
        9 => Codec::Other,
        _ => return None,
    })
}

fn duration_source_code(v: DurationSource) -> u8 {
    match v {
        DurationSource::FrameWalk => 0,
        DurationSource::Container => 1,
    }
}

fn duration_source_of(code: u8) -> Option<DurationSource> {
    Some(match code {
        0 => DurationSource::FrameWalk,
        1 => DurationSource::Container,
        _ => return None,
    })
}

fn bitrate_mode_code(v: BitrateMode) -> u8 {
    match v {
        BitrateMode::Cbr => 0,
        BitrateMode::Vbr => 1,
        BitrateMode::Abr => 2,
    }
}

fn bitrate_mode_of(code: u8) -> Option<BitrateMode> {
    Some(match code {
        0 => BitrateMode::Cbr,
        1 => BitrateMode::Vbr,
        2 => BitrateMode::Abr,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_code_decodes_to_the_variant_that_encodes_to_it() {
        for code in 0..=u8::MAX {
            if let Some(v) = format_of(code) {
                assert_eq!(format_code(v), code);
            }
            if let Some(v) = codec_of(code) {
                assert_eq!(codec_code(v), code);
            }
            if let Some(v) = duration_source_of(code) {
                assert_eq!(duration_source_code(v), code);
            }
            if let Some(v) = bitrate_mode_of(code) {
                assert_eq!(bitrate_mode_code(v), code);
            }
        }
        // And every variant has a code that decodes (the encoders are exhaustive matches).
        assert_eq!((0..=u8::MAX).filter_map(format_of).count(), 8);
        assert_eq!((0..=u8::MAX).filter_map(codec_of).count(), 10);
    }

    fn sample() -> (Stamp, AudioFacts) {
        let stamp = Stamp {
            dev: 1,
            ino: u64::MAX,
            len: 12_345,
            mtime_ns: -5,
            ctime_ns: i128::MAX,
        };
        let facts = AudioFacts {
            path: "ignored.mp3".into(),
            format: AudioFormat::M4a,
            codec: Codec::Alac,
            size_bytes: 12_345,
            sample_rate_hz: 44_100,
            channels: 2,
            samples: 9_999_999,
            frames: Some(77),
            duration_source: DurationSource::Container,
            bitrate_kbps: None,
            bitrate_mode: Some(BitrateMode::Abr),
            mpeg_version: Some("2.5".into()),
            mpeg_layer: None,
            audio_start: Some(0),
            audio_end: Some(12_000),
            encoder_delay: Some(576),
            encoder_padding: None,
            tags: TagSummary {
                id3_version: None,
                native: Some("mp4".into()),
                title: Some("Ünïcödé — title".into()),
                artist: Some(String::new()),
                album: None,
                track: Some("3/7".into()),
                date: None,
                genre: Some("Podcast".into()),
                comment: None,
                has_cover: true,
                chapters: 4,
                has_id3v1: false,
                has_ape: true,
            },
            warnings: vec!["junk between frames".into(), String::new()],
        };
        (stamp, facts)
    }

    #[test]
    fn an_entry_round_trips_with_the_path_it_is_looked_up_by() {
        let (stamp, facts) = sample();
        let digest = Sha384(std::array::from_fn(|i| i as u8 * 5));
        let loudness = Loudness {
            integrated_lufs: Some(-16.25),
            range_lu: 4.5,
            true_peak_dbtp: None,
            sample_peak_dbfs: Some(-0.125),
            leading_silence_seconds: 0.5,
            trailing_silence_seconds: 3.75,
        };
        for (sha384, loudness) in [
            (None, None),
            (Some(digest), Some(loudness)),
            (None, Some(loudness)),
        ] {
            let mut bytes = Vec::new();
            encode(
                &mut bytes,
                &stamp,
                &facts,
                sha384.as_ref(),
                loudness.as_ref(),
            );
            let got = decode(&bytes, Path::new("media/a.m4a")).unwrap();
            assert_eq!(
                got.facts,
                AudioFacts {
                    path: "media/a.m4a".into(),
                    ..facts.clone()
                }
            );
            assert_eq!(got.sha384, sha384);
            assert_eq!(got.loudness, loudness);
            assert_eq!(decode_stamp(&bytes), Some(stamp));
        }
    }

    #[test]
    fn every_truncation_and_an_extra_byte_are_refused() {
        let (stamp, facts) = sample();
        let mut bytes = Vec::new();
        let loudness = Loudness {
            integrated_lufs: None,
            range_lu: 0.0,
            true_peak_dbtp: Some(-1.0),
            sample_peak_dbfs: None,
            leading_silence_seconds: 0.0,
            trailing_silence_seconds: 0.0,
        };
        encode(
            &mut bytes,
            &stamp,
            &facts,
            Some(&Sha384([7; 48])),
            Some(&loudness),
        );
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], Path::new("a")).is_none(), "{len}");
        }
        bytes.push(0);
        assert!(decode(&bytes, Path::new("a")).is_none());
    }
}
