//! An audio sample description (`stsd` entry, ISO/IEC 14496-12 §12.2.3, QuickTime sound descriptions
//! versions 0–2) and the MPEG-4 descriptors inside it: the sample entry's own channels and rate, the AAC
//! configuration's, and whether the track holds MP3.

use super::boxes::{self, child, u16_at, u32_at, u64_at};

/// The parts of an audio sample description (`stsd`) castkit uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct SampleEntry {
    /// The sample entry's own channel count (ffmpeg writes 2 for any AAC or MP3 track in an MP4).
    pub(super) channels: u16,
    /// The sample entry's rate (0 when it does not fit the 16.16 field).
    pub(super) sample_rate: u32,
    /// The AAC configuration, for AAC.
    pub(super) aac: Option<AacConfig>,
    /// Whether the track holds MPEG-1/2 audio (MP3 in MP4).
    pub(super) mpeg_audio: bool,
}

/// What an AAC AudioSpecificConfig says (ISO/IEC 14496-3 §1.6.2.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct AacConfig {
    /// The sampling frequency (of the core, before any SBR doubling).
    pub(super) sample_rate: Option<u32>,
    /// The channel configuration: 1–6 that many channels, 7 eight, 0 "stated elsewhere".
    pub(super) channel_configuration: u8,
}

impl AacConfig {
    /// The channel count the configuration gives, when it gives one.
    pub(super) fn channels(self) -> Option<u16> {
        match self.channel_configuration {
            config @ 1..=6 => Some(u16::from(config)),
            7 => Some(8),
            _ => None,
        }
    }
}

/// The first audio sample description of an `stsd` box.
pub(super) fn sample_entry(stsd: &[u8]) -> Option<SampleEntry> {
    let (format, entry) = boxes::boxes(stsd.get(8..)?).next()?;
    // QuickTime sound descriptions: version 0, 1 (16 more bytes) or 2 (36 more bytes, with a 64-bit float
    // rate and a 32-bit channel count).
    let version = u16_at(entry, 8)?;
    let mut found = SampleEntry {
        channels: u16_at(entry, 16)?,
        sample_rate: u32_at(entry, 24)? >> 16,
        ..SampleEntry::default()
    };
    let extensions_at = match version {
        1 => 28 + 16,
        2 => {
            let rate = f64::from_bits(u64_at(entry, 32)?);
            if rate.is_finite() && rate > 0.0 && rate < f64::from(u32::MAX) {
                found.sample_rate = rate.round() as u32;
            }
            found.channels = u16::try_from(u32_at(entry, 40)?).unwrap_or(0);
            28 + 36
        }
        _ => 28,
    };
    let extensions = entry.get(extensions_at..).unwrap_or_default();
    // QuickTime puts `esds` inside a `wave` box.
    let esds = child(extensions, b"esds")
        .or_else(|| child(extensions, b"wave").and_then(|w| child(w, b"esds")));
    let object_type = esds.and_then(|e| decoder_config(e.get(4..)?));
    match object_type {
        // MPEG-4 audio (AAC and its relatives).
        Some((0x40 | 0x66 | 0x67 | 0x68, config)) => {
            found.aac = Some(audio_specific_config(config).unwrap_or_default());
        }
        // MPEG-1 and MPEG-2 audio (MP3).
        Some((0x69 | 0x6B, _)) => found.mpeg_audio = true,
        _ => found.mpeg_audio = format == b".mp3" || format == b"mp3 ",
    }
    Some(found)
}

/// The object type and decoder-specific bytes of an ES descriptor (ISO/IEC 14496-1 §7.2.6).
fn decoder_config(es: &[u8]) -> Option<(u8, &[u8])> {
    let (tag, es) = descriptor(es)?;
    if tag != 0x03 {
        return None;
    }
    let flags = *es.get(2)?;
    let mut at = 3;
    if flags & 0x80 != 0 {
        at += 2;
    }
    if flags & 0x40 != 0 {
        at += 1 + usize::from(*es.get(at)?);
    }
    if flags & 0x20 != 0 {
        at += 2;
    }
    let (tag, config) = descriptor(es.get(at..)?)?;
    if tag != 0x04 {
        return None;
    }
    let object_type = *config.first()?;
    let specific = config
        .get(13..)
        .and_then(descriptor)
        .filter(|&(tag, _)| tag == 0x05)
        .map_or(&[][..], |(_, bytes)| bytes);
    Some((object_type, specific))
}

/// One descriptor: its tag and its bytes (the length is 1–4 bytes of 7 bits each).
fn descriptor(b: &[u8]) -> Option<(u8, &[u8])> {
    let tag = *b.first()?;
    let mut len = 0usize;
    let mut at = 1;
    for _ in 0..4 {
        let byte = *b.get(at)?;
        at += 1;
        len = (len << 7) | usize::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            break;
        }
    }
    Some((tag, b.get(at..at.checked_add(len)?.min(b.len()))?))
}

/// The sample rate and channel configuration of an AAC AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1).
fn audio_specific_config(b: &[u8]) -> Option<AacConfig> {
    const RATES: [u32; 13] = [
        96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025,
        8_000, 7_350,
    ];
    let mut bits = 0u64;
    for (i, &byte) in b.iter().take(8).enumerate() {
        bits |= u64::from(byte) << (56 - 8 * i);
    }
    let available = b.len().min(8) * 8;
    let mut at = 0;
    let mut take = |n: usize| -> Option<u32> {
        if at + n > available {
            return None;
        }
        let value = (bits >> (64 - at - n)) & ((1u64 << n) - 1);
        at += n;
        Some(value as u32)
    };
    if take(5)? == 31 {
        take(6)?;
    }
    let index = take(4)? as usize;
    let rate = if index == 15 {
        Some(take(24)?)
    } else {
        RATES.get(index).copied()
    };
    let channel_configuration = take(4)? as u8;
    Some(AacConfig {
        sample_rate: rate,
        channel_configuration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aac_configurations_give_rates_above_what_the_sample_entry_holds() {
        // AAC LC, 96 kHz (index 0), mono: 00010 0000 0001 000.
        assert_eq!(
            audio_specific_config(&[0x10, 0x08]),
            Some(AacConfig {
                sample_rate: Some(96_000),
                channel_configuration: 1
            })
        );
        // AAC LC, 44.1 kHz (index 4), stereo.
        assert_eq!(
            audio_specific_config(&[0x12, 0x10]),
            Some(AacConfig {
                sample_rate: Some(44_100),
                channel_configuration: 2
            })
        );
        // An explicit 24-bit rate (index 15): 88200 = 0x015888.
        assert_eq!(
            audio_specific_config(&[0x17, 0x80, 0xAC, 0x44, 0x10]),
            Some(AacConfig {
                sample_rate: Some(88_200),
                channel_configuration: 2
            })
        );
        assert_eq!(audio_specific_config(&[0x10]), None);
    }
}
