//! MP4 (ISO base media, QuickTime) files, read from their boxes: whether they are video, what their sound
//! track plays, its channels, and the file's own tags and chapters.
//!
//! symphonia reads the container first (`super::container`); this module corrects and completes what it
//! reports, because symphonia 0.6 gives the sample-table total without the edit list or `iTunSMPB`, no
//! length when the track's timescale is not the sample rate it read, a sample rate of 0 above 65535 Hz
//! (the sample entry's 16.16 field cannot hold 88.2 or 96 kHz; the AAC configuration can), no channels for
//! MP3 in MP4, and no tags.
//!
//! Files, by job: `boxes` (walking boxes), `timing` (what the sound track plays), `tags` (`ilst` items and
//! chapters).

mod boxes;
mod tags;
mod timing;

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use self::boxes::{child, children, descend, u16_at, u32_at, u64_at};
pub(crate) use self::timing::Timing;
use self::timing::{Edit, Gapless, SampleTable};
use super::{AudioFormat, TagSummary};

/// What castkit reads from an MP4 file's `moov` box.
#[derive(Debug, Clone)]
pub(crate) struct Movie {
    /// `m4a` for sound only; `mp4`, `mov` or `m4v` when an enabled video track is there.
    pub(crate) format: AudioFormat,
    /// The sound tracks, in file order.
    pub(crate) sound: Vec<SoundTrack>,
    /// The video tracks' length in seconds (the longest), when there is video.
    pub(crate) video_seconds: Option<f64>,
    /// iTunes' gapless data, when present.
    gapless: Option<Gapless>,
    /// The file's own tags, with the chapter count.
    pub(crate) tags: TagSummary,
}

/// One sound track (`hdlr` `soun`).
#[derive(Debug, Clone)]
pub(crate) struct SoundTrack {
    /// The track's id (`tkhd`), as symphonia reports it.
    pub(crate) id: u32,
    /// The track's timescale (`mdhd`).
    timescale: u32,
    /// The sample table.
    table: SampleTable,
    /// The first edit that plays media.
    edit: Option<Edit>,
    /// The first sample description.
    entry: SampleEntry,
    /// Where the first chunk of samples starts in the file (`stco`/`co64`).
    first_chunk: Option<u64>,
}

/// The parts of an audio sample description (`stsd`) castkit uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct SampleEntry {
    /// The sample entry's own channel count (ffmpeg writes 2 for any AAC or MP3 track in an MP4).
    channels: u16,
    /// The sample entry's rate (0 when it does not fit the 16.16 field).
    sample_rate: u32,
    /// The AAC configuration's rate and channel configuration, for AAC.
    aac: Option<(Option<u32>, u8)>,
    /// Whether the track holds MPEG-1/2 audio (MP3 in MP4).
    mpeg_audio: bool,
}

/// Reads the `moov` box of an MP4 file. `None` when the file has none that castkit can read (symphonia's
/// own reading then stands).
///
/// # Errors
/// When the file cannot be read.
pub(crate) fn read(file: &mut File) -> io::Result<Option<Movie>> {
    let top = boxes::top_level(file)?;
    let Some(moov) = top.moov else {
        return Ok(None);
    };
    let chapter_tracks: Vec<u32> = children(&moov, b"trak")
        .filter_map(|t| descend(t, &[b"tref", b"chap"]))
        .flat_map(|c| {
            c.chunks_exact(4)
                .map(|id| u32::from_be_bytes([id[0], id[1], id[2], id[3]]))
        })
        .collect();
    let movie_timescale = child(&moov, b"mvhd").and_then(timescale);
    let mut sound = Vec::new();
    let mut video_seconds: Option<f64> = None;
    for trak in children(&moov, b"trak") {
        match handler(trak) {
            Some(b"soun") => sound.extend(sound_track(trak, movie_timescale)),
            // A picture track that illustrates chapters, or a disabled track, is not the episode's video.
            Some(b"vide")
                if enabled(trak)
                    && !track_id(trak).is_some_and(|id| chapter_tracks.contains(&id)) =>
            {
                let mdhd = descend(trak, &[b"mdia", b"mdhd"]);
                let seconds = mdhd
                    .and_then(|m| Some((timescale(m)?, media_duration(m)?)))
                    .filter(|&(scale, _)| scale > 0)
                    .map_or(0.0, |(scale, ticks)| ticks as f64 / f64::from(scale));
                video_seconds = Some(video_seconds.map_or(seconds, |s| s.max(seconds)));
            }
            _ => {}
        }
    }
    let format = match (video_seconds.is_some(), top.major_brand.as_ref()) {
        (false, _) => AudioFormat::M4a,
        (true, Some(b"qt  ")) => AudioFormat::Mov,
        (true, Some(b"M4V " | b"M4VH" | b"M4VP")) => AudioFormat::M4v,
        (true, _) => AudioFormat::Mp4,
    };
    let ilst = tags::ilst(&moov);
    let gapless = ilst
        .and_then(|i| tags::freeform(i, "iTunSMPB"))
        .and_then(|t| itunsmpb(&t));
    let mut summary = tags::summary(&moov);
    summary.chapters = tags::chapter_count(&moov);
    Ok(Some(Movie {
        format,
        sound,
        video_seconds,
        gapless,
        tags: summary,
    }))
}

impl Movie {
    /// The sound track with this id (symphonia's choice), else the first.
    pub(crate) fn sound_track(&self, id: u32) -> Option<&SoundTrack> {
        self.sound
            .iter()
            .find(|t| t.id == id)
            .or_else(|| self.sound.first())
    }

    /// What `track` plays at `sample_rate`. `whole_frames`: the codec decodes a whole frame for every packet
    /// (AAC, MP3), so the padding is counted to the end of the last frame. `None` when the track has no
    /// sample table in `moov` (a fragmented file).
    pub(crate) fn timing(
        &self,
        track: &SoundTrack,
        sample_rate: u32,
        whole_frames: bool,
    ) -> Option<Timing> {
        if track.table.count == 0 {
            return None;
        }
        Some(timing::timing(
            track.table,
            track.timescale,
            sample_rate,
            track.edit,
            self.gapless,
            whole_frames,
        ))
    }
}

impl SoundTrack {
    /// The decoded sample rate: the sample entry's, else the AAC configuration's (above 65535 Hz the
    /// sample entry holds 0), else the track's timescale.
    pub(crate) fn sample_rate(&self) -> Option<u32> {
        Some(self.entry.sample_rate)
            .filter(|&r| r > 0)
            .or_else(|| self.entry.aac.and_then(|(rate, _)| rate))
            .or(Some(self.timescale).filter(|&t| t > 0))
    }

    /// The channel count when symphonia has none: for MP3 in MP4, the first frame's header (ffmpeg writes 2
    /// in the sample entry even for mono); for AAC, the channel configuration; else the sample entry's.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub(crate) fn channels(&self, file: &mut File) -> io::Result<Option<u16>> {
        if self.entry.mpeg_audio
            && let Some(at) = self.first_chunk
        {
            let mut head = [0u8; 4];
            file.seek(SeekFrom::Start(at))?;
            if file.read_exact(&mut head).is_ok()
                && let Some(header) = super::mpeg::Header::parse(head)
            {
                return Ok(Some(header.channels()));
            }
        }
        let configured = self
            .entry
            .aac
            .map(|(_, config)| match config {
                1..=6 => u16::from(config),
                7 => 8,
                _ => 0,
            })
            .filter(|&c| c > 0);
        Ok(configured.or(Some(self.entry.channels).filter(|&c| c > 0)))
    }
}

/// Reads one sound track; `None` when it lacks the boxes every track has.
fn sound_track(trak: &[u8], movie_timescale: Option<u32>) -> Option<SoundTrack> {
    let mdia = child(trak, b"mdia")?;
    let timescale = child(mdia, b"mdhd").and_then(timescale)?;
    let stbl = descend(mdia, &[b"minf", b"stbl"])?;
    let table = child(stbl, b"stts").map(sample_table).unwrap_or_default();
    let edit = descend(trak, &[b"edts", b"elst"])
        .and_then(first_edit)
        .zip(movie_timescale)
        .map(|((duration, media_time), movie_timescale)| Edit {
            duration,
            movie_timescale,
            media_time,
        });
    let first_chunk = child(stbl, b"stco")
        .and_then(|b| u32_at(b, 4).filter(|&n| n > 0).and(u32_at(b, 8)))
        .map(u64::from)
        .or_else(|| {
            child(stbl, b"co64").and_then(|b| u32_at(b, 4).filter(|&n| n > 0).and(u64_at(b, 8)))
        });
    Some(SoundTrack {
        id: track_id(trak)?,
        timescale,
        table,
        edit,
        entry: child(stbl, b"stsd")
            .and_then(sample_entry)
            .unwrap_or_default(),
        first_chunk,
    })
}

/// The handler type of a track (`soun`, `vide`, `text`…).
fn handler(trak: &[u8]) -> Option<&[u8]> {
    descend(trak, &[b"mdia", b"hdlr"])?.get(8..12)
}

/// A track's id, from `tkhd` (version 0 or 1).
fn track_id(trak: &[u8]) -> Option<u32> {
    let tkhd = child(trak, b"tkhd")?;
    u32_at(tkhd, if *tkhd.first()? == 1 { 20 } else { 12 })
}

/// Whether a track is enabled (`tkhd` flag 1).
fn enabled(trak: &[u8]) -> bool {
    child(trak, b"tkhd")
        .and_then(|t| u32_at(t, 0))
        .is_some_and(|flags| flags & 1 == 1)
}

/// The timescale of an `mvhd` or `mdhd` box (version 0 or 1).
fn timescale(b: &[u8]) -> Option<u32> {
    u32_at(b, if *b.first()? == 1 { 20 } else { 12 })
}

/// The duration of an `mdhd` box, in its timescale.
fn media_duration(b: &[u8]) -> Option<u64> {
    if *b.first()? == 1 {
        u64_at(b, 24)
    } else {
        u32_at(b, 16).map(u64::from)
    }
}

/// Sums a time-to-sample table (`stts`): entries of (sample count, sample duration).
fn sample_table(stts: &[u8]) -> SampleTable {
    let count = u32_at(stts, 4).unwrap_or(0) as usize;
    let mut table = SampleTable::default();
    for entry in stts
        .get(8..)
        .unwrap_or_default()
        .chunks_exact(8)
        .take(count)
    {
        let samples = u64::from(u32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]));
        let duration = u32::from_be_bytes([entry[4], entry[5], entry[6], entry[7]]);
        table.count = table.count.saturating_add(samples);
        table.total = table.total.saturating_add(samples * u64::from(duration));
        if samples > 0 {
            table.longest = table.longest.max(duration);
        }
    }
    table
}

/// The first edit that plays media (an empty edit, `media_time` −1, is skipped): (duration in the movie's
/// timescale, start in the media's timescale).
fn first_edit(elst: &[u8]) -> Option<(u64, u64)> {
    let version = *elst.first()?;
    let count = u32_at(elst, 4)? as usize;
    let entry_len = if version == 1 { 20 } else { 12 };
    for i in 0..count.min(64) {
        let at = 8 + i * entry_len;
        let (duration, media_time) = if version == 1 {
            (u64_at(elst, at)?, u64_at(elst, at + 8)? as i64)
        } else {
            (
                u64::from(u32_at(elst, at)?),
                i64::from(u32_at(elst, at + 4)? as i32),
            )
        };
        if media_time >= 0 {
            return Some((duration, media_time as u64));
        }
    }
    None
}

/// The first audio sample description of an `stsd` box.
fn sample_entry(stsd: &[u8]) -> Option<SampleEntry> {
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
            found.aac = Some(audio_specific_config(config).unwrap_or((None, 0)));
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
fn audio_specific_config(b: &[u8]) -> Option<(Option<u32>, u8)> {
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
    let channels = take(4)? as u8;
    Some((rate, channels))
}

/// iTunes' gapless data: ` 00000000 00000840 000001CA 00000000003F31F6 …` (delay, padding, length, hex).
fn itunsmpb(text: &str) -> Option<Gapless> {
    let fields: Vec<u64> = text
        .split_whitespace()
        .take(4)
        .map(|f| u64::from_str_radix(f, 16))
        .collect::<Result<_, _>>()
        .ok()?;
    match fields[..] {
        [_, delay, padding, length] if length > 0 => Some(Gapless {
            delay,
            padding,
            length,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::boxes::tests::bx;
    use super::*;

    #[test]
    fn edit_lists_skip_empty_edits() {
        // Version 0: one empty edit (skipped), then play 3000 ms starting at sample 1024.
        let mut elst = vec![0, 0, 0, 0, 0, 0, 0, 2];
        elst.extend_from_slice(&100u32.to_be_bytes());
        elst.extend_from_slice(&(-1i32).to_be_bytes());
        elst.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        elst.extend_from_slice(&3000u32.to_be_bytes());
        elst.extend_from_slice(&1024i32.to_be_bytes());
        elst.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        assert_eq!(first_edit(&elst), Some((3000, 1024)));
        let mdhd = [vec![0u8; 12], 44_100u32.to_be_bytes().to_vec()].concat();
        assert_eq!(timescale(&mdhd), Some(44_100));
        let moov = bx(b"mvhd", &mdhd);
        assert_eq!(child(&moov, b"mvhd").and_then(timescale), Some(44_100));
    }

    #[test]
    fn itunes_gapless_comments_are_read() {
        assert_eq!(
            itunsmpb(" 00000000 00000840 000001CA 00000000003F31F6 00000000 00000000"),
            Some(Gapless {
                delay: 0x840,
                padding: 0x1CA,
                length: 0x3F31F6
            })
        );
        assert_eq!(itunsmpb(" 00000000 00000840"), None);
        assert_eq!(itunsmpb(" 0 840 1CA 0"), None);
        assert_eq!(itunsmpb("not hex at all"), None);
    }

    #[test]
    fn aac_configurations_give_rates_above_what_the_sample_entry_holds() {
        // AAC LC, 96 kHz (index 0), mono: 00010 0000 0001 000.
        assert_eq!(
            audio_specific_config(&[0x10, 0x08]),
            Some((Some(96_000), 1))
        );
        // AAC LC, 44.1 kHz (index 4), stereo.
        assert_eq!(
            audio_specific_config(&[0x12, 0x10]),
            Some((Some(44_100), 2))
        );
        // An explicit 24-bit rate (index 15): 88200 = 0x015888.
        assert_eq!(
            audio_specific_config(&[0x17, 0x80, 0xAC, 0x44, 0x10]),
            Some((Some(88_200), 2))
        );
        assert_eq!(audio_specific_config(&[0x10]), None);
    }

    #[test]
    fn sample_tables_sum_in_the_track_timescale() {
        let mut stts = vec![0, 0, 0, 0, 0, 0, 0, 2];
        for (count, delta) in [(44u32, 1024u32), (1, 68)] {
            stts.extend_from_slice(&count.to_be_bytes());
            stts.extend_from_slice(&delta.to_be_bytes());
        }
        assert_eq!(
            sample_table(&stts),
            SampleTable {
                total: 44 * 1024 + 68,
                count: 45,
                longest: 1024
            }
        );
        // An entry count larger than the box: only the entries present count.
        stts[7] = 200;
        assert_eq!(sample_table(&stts).count, 45);
    }
}
