//! How many samples an MP4 sound track plays: the sample table, trimmed by iTunes' gapless data or the edit
//! list.
//!
//! AAC encoders prepend priming samples (1024 for ffmpeg and Apple, 2112 for some others) and fill the last
//! frame with padding. A decoder outputs a whole frame for every packet, so it produces
//! `delay + played + padding` samples. Muxers say which of them to play in two ways:
//!
//! - iTunes' `iTunSMPB` comment states delay, padding and the original length in samples: exact.
//! - The edit list (`elst`) states the delay (`media_time`, in the track's own timescale: exact) and the
//!   played duration (`segment_duration`, in the *movie's* timescale). ffmpeg writes the movie timescale as
//!   1000, so that duration is rounded to a whole millisecond (up to 48 samples at 48 kHz) and cannot say
//!   where the audio ends. ffmpeg instead gives the last packet of the sample table (`stts`) only the
//!   samples it really holds, so `stts total − delay` is the exact length; Apple gives every packet a full
//!   frame and states the end in a sample-rate movie timescale.
//!
//! So the sample table is the length whenever the edit agrees with it to within the edit's own precision
//! (one movie tick), and the edit wins only when it clearly trims more (Apple-style tables, or a cut made by
//! an editor). The padding is what a decoder outputs past the played samples: `frames × frame length −
//! delay − played` for codecs that always decode whole frames (AAC, MP3), else what the table holds past
//! the played samples.

/// The sound track's sample table (`stts`), in the track's timescale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SampleTable {
    /// Sum of all sample durations.
    pub(crate) total: u64,
    /// Number of samples (codec packets).
    pub(crate) count: u64,
    /// The longest sample duration: a whole codec frame.
    pub(crate) longest: u32,
}

/// The first edit that plays media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edit {
    /// How long it plays, in the movie's timescale.
    pub(crate) duration: u64,
    /// The movie's timescale (`mvhd`).
    pub(crate) movie_timescale: u32,
    /// Where in the media it starts, in the track's timescale: the encoder delay.
    pub(crate) media_time: u64,
}

/// iTunes' gapless data (`iTunSMPB`), in samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gapless {
    /// Priming samples.
    pub(crate) delay: u64,
    /// Padding samples.
    pub(crate) padding: u64,
    /// Samples to play.
    pub(crate) length: u64,
}

/// What a sound track plays, in samples at the output sample rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    /// Samples skipped at the start, when the container says.
    pub(crate) delay: Option<u64>,
    /// Samples played.
    pub(crate) samples: u64,
    /// Samples a decoder outputs past the played ones, when the container says where the audio ends.
    pub(crate) padding: Option<u64>,
}

/// Works out what the track plays. `media_timescale` is the track's (`mdhd`), `sample_rate` the decoded
/// audio's; `whole_frames` says that the codec decodes a whole frame for every packet, however short the
/// table says its last one is (AAC, MP3).
pub(crate) fn timing(
    table: SampleTable,
    media_timescale: u32,
    sample_rate: u32,
    edit: Option<Edit>,
    gapless: Option<Gapless>,
    whole_frames: bool,
) -> Timing {
    let media_timescale = media_timescale.max(1);
    let to_samples = |ticks: u64| -> u64 {
        let scaled = (u128::from(ticks) * u128::from(sample_rate)
            + u128::from(media_timescale) / 2)
            / u128::from(media_timescale);
        u64::try_from(scaled).unwrap_or(u64::MAX)
    };
    let decoded = if whole_frames {
        table.count.saturating_mul(u64::from(table.longest))
    } else {
        table.total
    };
    if let Some(g) = gapless {
        let available = to_samples(table.total).saturating_sub(g.delay);
        return Timing {
            delay: Some(g.delay),
            samples: g.length.min(available),
            padding: Some(g.padding),
        };
    }
    let Some(edit) = edit else {
        return Timing {
            delay: None,
            samples: to_samples(table.total),
            padding: None,
        };
    };
    let delay = edit.media_time.min(table.total);
    let available = table.total - delay;
    let movie = u128::from(edit.movie_timescale.max(1));
    let media = u128::from(media_timescale);
    let duration = u128::from(edit.duration);
    let played = if movie >= media {
        // Each media tick has its own movie tick: the edit is exact (to within rounding to a tick).
        let edited = (duration * media + movie / 2) / movie;
        u64::try_from(edited).unwrap_or(u64::MAX).min(available)
    } else if u128::from(available) * movie < (duration + 1) * media {
        // A coarse edit (ffmpeg's milliseconds) that agrees with the table to within one movie tick: the
        // table is exact and the edit only rounded it. (An edit longer than the media plays what there is.)
        available
    } else {
        // The table holds samples the edit drops (a full last frame, or a cut): the edit's precision is all
        // there is.
        let edited = (duration * media + movie / 2) / movie;
        u64::try_from(edited).unwrap_or(u64::MAX).min(available)
    };
    Timing {
        delay: Some(to_samples(delay)),
        samples: to_samples(played),
        padding: Some(to_samples(decoded.saturating_sub(delay + played))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ffmpeg's AAC encoder writing 44118 samples at 44.1 kHz: 45 packets of 1024, the last one holding
    /// 44118 + 1024 − 44 × 1024 = 86 samples, and an edit list of 1000 ms (44118 samples are 1000.4 ms).
    #[test]
    fn a_millisecond_edit_list_does_not_cut_ffmpeg_s_exact_sample_table() {
        let table = SampleTable {
            total: 44 * 1024 + 86,
            count: 45,
            longest: 1024,
        };
        let edit = Edit {
            duration: 1000,
            movie_timescale: 1000,
            media_time: 1024,
        };
        let t = timing(table, 44_100, 44_100, Some(edit), None, true);
        assert_eq!(t.samples, 44_118);
        assert_eq!(t.delay, Some(1024));
        assert_eq!(t.padding, Some(45 * 1024 - 1024 - 44_118));
        // At 48 kHz a millisecond is a whole number of samples, yet still too coarse: 48005 samples.
        let table = SampleTable {
            total: 1024 + 48_005,
            count: 49,
            longest: 1024,
        };
        let t = timing(table, 48_000, 48_000, Some(edit), None, true);
        assert_eq!(t.samples, 48_005);
        assert_eq!(t.padding, Some(49 * 1024 - 1024 - 48_005));
    }

    #[test]
    fn an_exact_edit_trims_a_table_of_whole_frames() {
        // Apple: every packet a full frame, the movie timescale the sample rate.
        let table = SampleTable {
            total: 46 * 1024,
            count: 46,
            longest: 1024,
        };
        let edit = Edit {
            duration: 44_100,
            movie_timescale: 44_100,
            media_time: 2112,
        };
        let t = timing(table, 44_100, 44_100, Some(edit), None, true);
        assert_eq!(
            (t.samples, t.delay, t.padding),
            (44_100, Some(2112), Some(46 * 1024 - 2112 - 44_100))
        );
        // A coarse edit that clearly trims more than its precision: the edit wins, rounded.
        let edit = Edit {
            duration: 900,
            movie_timescale: 1000,
            media_time: 1024,
        };
        let t = timing(table, 44_100, 44_100, Some(edit), None, true);
        assert_eq!(t.samples, 39_690);
    }

    #[test]
    fn gapless_data_wins_and_no_trim_data_plays_the_whole_table() {
        let table = SampleTable {
            total: 45 * 1024,
            count: 45,
            longest: 1024,
        };
        let gapless = Gapless {
            delay: 1024,
            padding: 956,
            length: 44_100,
        };
        let t = timing(table, 44_100, 44_100, None, Some(gapless), true);
        assert_eq!(
            (t.samples, t.delay, t.padding),
            (44_100, Some(1024), Some(956))
        );
        let t = timing(table, 44_100, 44_100, None, None, true);
        assert_eq!((t.samples, t.delay, t.padding), (45 * 1024, None, None));
        // A track timescale that is not the sample rate (a 90 kHz clock) is converted.
        let table = SampleTable {
            total: 90_000,
            count: 10,
            longest: 9000,
        };
        assert_eq!(
            timing(table, 90_000, 48_000, None, None, false).samples,
            48_000
        );
    }

    #[test]
    fn codecs_that_decode_exact_packets_have_no_padding_past_the_table() {
        // ALAC: the last packet decodes to exactly the samples the table gives it.
        let table = SampleTable {
            total: 4096 * 10 + 100,
            count: 11,
            longest: 4096,
        };
        let edit = Edit {
            duration: 41_060,
            movie_timescale: 44_100,
            media_time: 0,
        };
        let t = timing(table, 44_100, 44_100, Some(edit), None, false);
        assert_eq!((t.samples, t.padding), (41_060, Some(0)));
    }
}
