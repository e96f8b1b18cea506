//! MP4 (ISO base media, QuickTime) files, read from their boxes: whether they are video, what their sound
//! track plays, its channels, and the file's own tags and chapters.
//!
//! symphonia reads the container first (`super::container`); this module corrects and completes what it
//! reports, because symphonia 0.6 gives the sample-table total without the edit list or `iTunSMPB`, no
//! length when the track's timescale is not the sample rate it read, a sample rate of 0 above 65535 Hz
//! (the sample entry's 16.16 field cannot hold 88.2 or 96 kHz; the AAC configuration can), no channels for
//! MP3 in MP4, and no tags.
//!
//! Files, by job: `boxes` (walking boxes), `entry` (the audio sample description), `timing` (what the
//! sound track plays), `tags` (`ilst` items and chapters).

mod boxes;
mod entry;
mod tags;
mod timing;

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use self::boxes::{child, children, descend, u32_at, u64_at};
use self::entry::{SampleEntry, sample_entry};
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

/// Reads the `moov` box of an MP4 file. `None` when the file has none that castkit can read (symphonia's
/// own reading then stands).
///
/// # Errors
/// When the file cannot be read.
pub(crate) fn read(file: &mut File) -> io::Result<Option<Movie>> {
    let top = boxes::top_level(file)?;
    Ok(top.moov.map(|moov| movie(top.major_brand.as_ref(), &moov)))
}

/// What a `moov` payload says, in a file of this major brand.
fn movie(major_brand: Option<&[u8; 4]>, moov: &[u8]) -> Movie {
    let chapter_tracks: Vec<u32> = children(moov, b"trak")
        .filter_map(|t| descend(t, &[b"tref", b"chap"]))
        .flat_map(|c| {
            c.chunks_exact(4)
                .map(|id| u32::from_be_bytes([id[0], id[1], id[2], id[3]]))
        })
        .collect();
    let movie_timescale = child(moov, b"mvhd").and_then(timescale);
    let mut sound = Vec::new();
    let mut video_seconds: Option<f64> = None;
    for trak in children(moov, b"trak") {
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
    let format = match (video_seconds.is_some(), major_brand) {
        (false, _) => AudioFormat::M4a,
        (true, Some(b"qt  ")) => AudioFormat::Mov,
        (true, Some(b"M4V " | b"M4VH" | b"M4VP")) => AudioFormat::M4v,
        (true, _) => AudioFormat::Mp4,
    };
    let ilst = tags::ilst(moov);
    let gapless = ilst
        .and_then(|i| tags::freeform(i, "iTunSMPB"))
        .and_then(|t| itunsmpb(&t));
    let mut summary = tags::summary(moov);
    summary.chapters = tags::chapter_count(moov);
    Movie {
        format,
        sound,
        video_seconds,
        gapless,
        tags: summary,
    }
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
            .or_else(|| self.entry.aac.and_then(|aac| aac.sample_rate))
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
            // An offset past the end (or past what a seek allows) is a damaged table, not an I/O error.
            if file.seek(SeekFrom::Start(at)).is_ok()
                && file.read_exact(&mut head).is_ok()
                && let Some(header) = super::mpeg::Header::parse(head)
            {
                return Ok(Some(header.channels()));
            }
        }
        let configured = self.entry.aac.and_then(entry::AacConfig::channels);
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

    fn full(kind: &[u8; 4], version_flags: u32, payload: &[u8]) -> Vec<u8> {
        bx(kind, &[&version_flags.to_be_bytes()[..], payload].concat())
    }

    /// A track: `tkhd` (id, enabled or not), `tref/chap` to `chapters`, handler, a 1 s `mdhd` at 1000.
    fn trak(id: u32, enabled: bool, handler: &[u8; 4], chapters: &[u32]) -> Vec<u8> {
        let mut tkhd = vec![0u8; 8];
        tkhd.extend_from_slice(&id.to_be_bytes());
        tkhd.extend_from_slice(&[0; 68]);
        let tkhd = full(b"tkhd", u32::from(enabled), &tkhd);
        let chap: Vec<u8> = chapters.iter().flat_map(|c| c.to_be_bytes()).collect();
        let tref = if chapters.is_empty() {
            Vec::new()
        } else {
            bx(b"tref", &bx(b"chap", &chap))
        };
        let mdhd = full(
            b"mdhd",
            0,
            &[[0u8; 8], [0, 0, 0x03, 0xE8, 0, 0, 0x03, 0xE8]].concat(),
        );
        let hdlr = full(b"hdlr", 0, &[&[0u8; 4][..], handler, &[0; 12]].concat());
        let stbl = bx(b"minf", &bx(b"stbl", &[]));
        bx(
            b"trak",
            &[tkhd, tref, bx(b"mdia", &[mdhd, hdlr, stbl].concat())].concat(),
        )
    }

    #[test]
    fn only_an_enabled_video_track_that_illustrates_no_chapters_makes_a_video() {
        let sound = trak(1, true, b"soun", &[3]);
        let chapter_pictures = trak(3, true, b"vide", &[]);
        let disabled = trak(4, false, b"vide", &[]);
        let enhanced_podcast = [sound.clone(), chapter_pictures, disabled].concat();
        let m = movie(Some(b"M4A "), &enhanced_podcast);
        assert_eq!((m.format, m.video_seconds), (AudioFormat::M4a, None));
        assert_eq!(m.sound.len(), 1);
        let video = [sound, trak(2, true, b"vide", &[])].concat();
        for (brand, format) in [
            (b"qt  ", AudioFormat::Mov),
            (b"M4VP", AudioFormat::M4v),
            (b"isom", AudioFormat::Mp4),
            (b"M4A ", AudioFormat::Mp4),
        ] {
            let m = movie(Some(brand), &video);
            assert_eq!(m.format, format);
            assert_eq!(m.video_seconds, Some(1.0));
        }
    }

    /// Every cut and every byte flipped in a real `moov` box: no panic, whatever comes back.
    #[test]
    fn damaged_moov_boxes_never_panic() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/audio/mp4/tagged-chapters-44100-88200.m4a"
        ))
        .unwrap();
        let at = memchr::memmem::find(&bytes, b"moov").unwrap();
        let moov = &bytes[at + 4..];
        for cut in 0..moov.len() {
            let _ = movie(Some(b"M4A "), &moov[..cut]);
        }
        let mut damaged = moov.to_vec();
        for i in 0..damaged.len() {
            for value in [0x00, 0xFF, 0x80] {
                let kept = damaged[i];
                damaged[i] = value;
                let m = movie(Some(b"M4A "), &damaged);
                for track in &m.sound {
                    let _ = (track.sample_rate(), m.timing(track, 44_100, true));
                }
                damaged[i] = kept;
            }
        }
    }

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
