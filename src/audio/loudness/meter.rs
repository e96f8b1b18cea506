//! One part of a file measured by EBU R128 (ITU-R BS.1770-4, EBU Tech 3341/3342), and the merge of parts into
//! one file's figures.
//!
//! The `ebur128` crate K-weights the audio and finds the peaks; castkit takes the weighted mean square of
//! every 100 ms step from it (its `loudness_window(100)`) and builds the two measurements from those steps,
//! as ffmpeg's `ebur128` filter does: a gating block (integrated loudness) is the mean of 4 steps, 400 ms,
//! every 100 ms; a short-term block (loudness range) the mean of 30 steps, 3 s, also every 100 ms. (The
//! crate's own loudness range takes a short-term block only every second, the least Tech 3342 allows: on a
//! 30-second file that differs from ffmpeg's by several LU.) Blocks go into histograms of 0.01 LU bins from
//! −70 to +10 LUFS, ffmpeg's bins, keeping each bin's exact energy; the gates and percentiles are ffmpeg's.
//!
//! A file can so be measured in parts on separate cores and merged exactly: a part `[S, E)` (S a whole
//! number of steps from the file's start) owns the blocks that end in its steps, and is fed from 29 steps
//! before `S`, the history its first short-term block needs; its K-weighting filter is first warmed on the
//! step before that (`seed_frames`), so its state is what a single pass has there. Histograms add. Peaks are
//! maxima: each part measures its own samples `[S, E)`, with the 64 before `S` faded in so that the
//! true-peak interpolator does not start from a step the single pass never sees.

use ebur128::{EbuR128, Mode};

use super::SILENCE_THRESHOLD_DBFS;

/// Samples faded in before a later part's start, for its true-peak interpolator.
const PEAK_FADE: u64 = 64;
/// Steps in a gating block (400 ms) and in a short-term block (3 s).
const GATING_STEPS: usize = 4;
const SHORT_TERM_STEPS: usize = 30;
/// The histograms: blocks below −70 LUFS (the absolute gate) are not counted, blocks above +10 LUFS are
/// counted at +10; bins of 0.01 LU (ffmpeg's `ABS_THRES`, `ABS_UP_THRES`, `HIST_GRAIN`).
const ABSOLUTE_GATE: f64 = -70.0;
const HISTOGRAM_TOP: f64 = 10.0;
const BINS_PER_LU: f64 = 100.0;
const BINS: usize = ((HISTOGRAM_TOP - ABSOLUTE_GATE) * BINS_PER_LU) as usize + 1;

/// Why a meter could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the EBU R128 meter refuses {channels} channels at {rate} Hz: {source}")]
pub(crate) struct MeterError {
    channels: u16,
    rate: u32,
    #[source]
    source: ebur128::Error,
}

/// Blocks of one kind, by loudness: counts and exact energy sums per 0.01 LU bin.
#[derive(Clone)]
struct Histogram {
    count: Vec<u64>,
    energy: Vec<f64>,
}

impl Histogram {
    fn new() -> Histogram {
        Histogram {
            count: vec![0; BINS],
            energy: vec![0.0; BINS],
        }
    }

    fn bin(loudness: f64) -> usize {
        (((loudness.min(HISTOGRAM_TOP) - ABSOLUTE_GATE) * BINS_PER_LU) as usize).min(BINS - 1)
    }

    fn bin_loudness(bin: usize) -> f64 {
        ABSOLUTE_GATE + bin as f64 / BINS_PER_LU
    }

    /// Counts a block of mean square `energy`, unless it is below the absolute gate.
    fn add(&mut self, energy: f64) {
        let loudness = loudness_of(energy);
        if loudness >= ABSOLUTE_GATE {
            let bin = Histogram::bin(loudness);
            self.count[bin] += 1;
            self.energy[bin] += energy;
        }
    }

    fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.count.iter_mut().zip(&other.count) {
            *a += b;
        }
        for (a, b) in self.energy.iter_mut().zip(&other.energy) {
            *a += b;
        }
    }

    /// The first bin at or above the relative gate, `offset` LU below the loudness of all counted blocks.
    fn relative_gate(&self, offset: f64) -> Option<usize> {
        let n: u64 = self.count.iter().sum();
        if n == 0 {
            return None;
        }
        let mean = self.energy.iter().sum::<f64>() / n as f64;
        let gate = loudness_of(mean) + offset;
        Some(if gate < ABSOLUTE_GATE {
            0
        } else {
            Histogram::bin(gate)
        })
    }

    /// Integrated loudness: the blocks at most 10 LU below the ungated loudness (BS.1770-4 §2.8).
    fn integrated(&self) -> Option<f64> {
        let from = self.relative_gate(-10.0)?;
        let n: u64 = self.count[from..].iter().sum();
        let e: f64 = self.energy[from..].iter().sum();
        (n > 0).then(|| loudness_of(e / n as f64))
    }

    /// Loudness range: the 10th to the 95th percentile of the short-term blocks at most 20 LU below their
    /// loudness (EBU Tech 3342), percentiles taken as ffmpeg takes them.
    fn range(&self) -> f64 {
        let Some(from) = self.relative_gate(-20.0) else {
            return 0.0;
        };
        let n: u64 = self.count[from..].iter().sum();
        if n == 0 {
            return 0.0;
        }
        // ffmpeg's rounding, except that the low percentile is at least the first block: with its `0`, a
        // file of one short-term block has a range of 20 LU (the gate), where there is none.
        let low_at = ((0.10 * n as f64 + 0.5) as u64).max(1);
        let mut seen = 0;
        let mut low = None;
        for (i, c) in self.count.iter().enumerate().skip(from) {
            seen += c;
            if seen >= low_at {
                low = Some(Histogram::bin_loudness(i));
                break;
            }
        }
        let high_at = (0.95 * n as f64 + 0.5) as u64;
        let mut left = n;
        let mut high = None;
        for i in (from..BINS).rev() {
            left -= self.count[i];
            if left < high_at {
                high = Some(Histogram::bin_loudness(i));
                break;
            }
        }
        match (low, high) {
            (Some(l), Some(h)) => (h - l).max(0.0),
            _ => 0.0,
        }
    }
}

/// Mean square to LUFS (BS.1770-4: −0.691 + 10 log10).
fn loudness_of(energy: f64) -> f64 {
    if energy > 0.0 {
        -0.691 + 10.0 * energy.log10()
    } else {
        f64::NEG_INFINITY
    }
}

/// The meters of one part `[start, end)` of a file (positions in samples per channel from the file's first
/// output sample).
pub(crate) struct Meter {
    channels: usize,
    start: u64,
    end: u64,
    /// 100 ms in samples (what the crate's `loudness_window(100)` spans).
    step: u64,
    weighting: EbuR128,
    peaks: EbuR128,
    /// The mean squares of the last steps, oldest first once full.
    steps: std::collections::VecDeque<f64>,
    gating: Histogram,
    short_term: Histogram,
    silence_below: f32,
    first_sound: Option<u64>,
    last_sound: Option<u64>,
    /// Scratch for the faded-in samples.
    faded: Vec<f32>,
}

/// What one part measured, ready to merge.
pub(crate) struct PartResult {
    gating: Histogram,
    short_term: Histogram,
    peaks: EbuR128,
    channels: u16,
    first_sound: Option<u64>,
    last_sound: Option<u64>,
}

impl Meter {
    /// 100 ms in samples at `rate`.
    pub(crate) fn step(rate: u32) -> u64 {
        u64::from(rate) / 10
    }

    /// Part boundaries must be multiples of this many samples.
    pub(crate) fn boundary_unit(rate: u32) -> u64 {
        Meter::step(rate)
    }

    /// How many samples before its start a part must be fed (the short-term history and the warm-up).
    pub(crate) fn lead(rate: u32) -> u64 {
        (SHORT_TERM_STEPS as u64) * Meter::step(rate)
    }

    /// A meter for `[start, end)`; `start` is 0 or a multiple of [`Meter::boundary_unit`] no less than
    /// [`Meter::lead`].
    pub(crate) fn new(channels: u16, rate: u32, start: u64, end: u64) -> Result<Meter, MeterError> {
        let make = |mode| {
            EbuR128::new(u32::from(channels), rate, mode).map_err(|source| MeterError {
                channels,
                rate,
                source,
            })
        };
        Ok(Meter {
            channels: usize::from(channels),
            start,
            end,
            step: Meter::step(rate).max(1),
            weighting: make(Mode::M)?,
            peaks: make(Mode::TRUE_PEAK | Mode::SAMPLE_PEAK)?,
            steps: std::collections::VecDeque::with_capacity(SHORT_TERM_STEPS),
            gating: Histogram::new(),
            short_term: Histogram::new(),
            silence_below: 10f32.powf(SILENCE_THRESHOLD_DBFS as f32 / 20.0),
            first_sound: None,
            last_sound: None,
            faded: Vec::new(),
        })
    }

    /// Whether the part has all it needs once the decoder is at sample `pos`.
    pub(crate) fn is_done(&self, pos: u64) -> bool {
        pos >= self.end
    }

    /// Takes interleaved samples whose first frame is the file's sample `pos`; what falls outside the part's
    /// needs is ignored.
    pub(crate) fn push(&mut self, pos: u64, samples: &[f32]) {
        let channels = self.channels;
        let frames = (samples.len() / channels) as u64;
        let slice = |from: u64, to: u64| -> &[f32] {
            let a = from.clamp(pos, pos + frames);
            let b = to.clamp(pos, pos + frames);
            &samples[((a - pos) as usize) * channels..((b - pos) as usize) * channels]
        };
        let (s, e, step) = (self.start, self.end, self.step);
        let lead = SHORT_TERM_STEPS as u64 - 1;
        // The crate refuses only wrong channel counts, which `slice` cannot produce: its errors are ignored.
        if s > 0 {
            let _ = self
                .weighting
                .seed_frames_f32(slice(s - (lead + 1) * step, s - lead * step));
        }
        // The weighting meter, step by step: after each whole step, its mean square.
        let fed_from = s.saturating_sub(lead * step).max(pos);
        let fed_to = e.min(pos + frames);
        let mut at = fed_from;
        while at < fed_to {
            let step_end = (at / step + 1) * step;
            let to = step_end.min(fed_to);
            let _ = self.weighting.add_frames_f32(slice(at, to));
            at = to;
            if at == step_end {
                self.step_done(at / step - 1);
            }
        }
        if s > 0 {
            let lead = slice(s.saturating_sub(PEAK_FADE), s);
            if !lead.is_empty() {
                let first = s.saturating_sub(PEAK_FADE).max(pos);
                self.faded.clear();
                for (i, frame) in lead.chunks_exact(channels).enumerate() {
                    // Raised-cosine fade from 0 at `s − 64` to 1 at `s`.
                    let x = (first + i as u64 + PEAK_FADE - s) as f32 / PEAK_FADE as f32;
                    let gain = 0.5 - 0.5 * (std::f32::consts::PI * x).cos();
                    self.faded.extend(frame.iter().map(|v| v * gain));
                }
                let _ = self.peaks.add_frames_f32(&self.faded);
            }
        }
        let own = slice(s, e);
        let _ = self.peaks.add_frames_f32(own);
        let own_from = s.max(pos);
        let threshold = self.silence_below;
        let loud = |frame: &[f32]| frame.iter().any(|x| x.abs() > threshold);
        if let Some(i) = own.chunks_exact(channels).position(loud) {
            self.first_sound.get_or_insert(own_from + i as u64);
        }
        if let Some(i) = own.chunks_exact(channels).rposition(loud) {
            self.last_sound = Some(own_from + i as u64);
        }
    }

    /// Step `index` (counted from the file's start) is complete: its mean square joins the last steps, and
    /// the blocks ending with it are counted when the part owns them.
    fn step_done(&mut self, index: u64) {
        let energy = self
            .weighting
            .loudness_window(100)
            .ok()
            .filter(|l| l.is_finite())
            .map_or(0.0, |l| 10f64.powf((l + 0.691) / 10.0));
        if self.steps.len() == SHORT_TERM_STEPS {
            self.steps.pop_front();
        }
        self.steps.push_back(energy);
        if index * self.step < self.start {
            return;
        }
        let n = self.steps.len();
        if index + 1 >= GATING_STEPS as u64 && n >= GATING_STEPS {
            let sum: f64 = self.steps.iter().skip(n - GATING_STEPS).sum();
            self.gating.add(sum / GATING_STEPS as f64);
        }
        if index + 1 >= SHORT_TERM_STEPS as u64 && n >= SHORT_TERM_STEPS {
            let sum: f64 = self.steps.iter().sum();
            self.short_term.add(sum / SHORT_TERM_STEPS as f64);
        }
    }

    /// The part's measurements, to merge.
    pub(crate) fn finish(self) -> PartResult {
        PartResult {
            gating: self.gating,
            short_term: self.short_term,
            peaks: self.peaks,
            channels: self.channels as u16,
            first_sound: self.first_sound,
            last_sound: self.last_sound,
        }
    }
}

/// What the parts of one file measured together: the file's figures (`None` for loudness below the
/// absolute gate and peaks of pure digital silence).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Merged {
    pub(crate) integrated_lufs: Option<f64>,
    pub(crate) range_lu: f64,
    pub(crate) true_peak_dbtp: Option<f64>,
    pub(crate) sample_peak_dbfs: Option<f64>,
    pub(crate) first_sound: Option<u64>,
    pub(crate) last_sound: Option<u64>,
}

/// Merges the parts of one file (in any order): the histograms add, peaks and sound bounds are maxima and
/// minima.
pub(crate) fn merge(parts: &[PartResult]) -> Merged {
    let mut gating = Histogram::new();
    let mut short_term = Histogram::new();
    for p in parts {
        gating.merge(&p.gating);
        short_term.merge(&p.short_term);
    }
    let peak = |f: fn(&EbuR128, u32) -> Result<f64, ebur128::Error>| {
        let max = parts
            .iter()
            .flat_map(|p| (0..u32::from(p.channels)).filter_map(move |c| f(&p.peaks, c).ok()))
            .fold(0.0_f64, f64::max);
        (max > 0.0).then(|| 20.0 * max.log10())
    };
    Merged {
        integrated_lufs: gating.integrated(),
        range_lu: short_term.range(),
        true_peak_dbtp: peak(EbuR128::true_peak),
        sample_peak_dbfs: peak(EbuR128::sample_peak),
        first_sound: parts.iter().filter_map(|p| p.first_sound).min(),
        last_sound: parts.iter().filter_map(|p| p.last_sound).max(),
    }
}

/// The EBU's own compliance signals (EBU Tech 3341, "Loudness Metering: 'EBU Mode' metering to supplement
/// EBU R 128", and Tech 3342 for the loudness range): their expected readings are the independent truth.
#[cfg(test)]
mod ebu_compliance {
    use super::*;

    const RATE: u32 = 48_000;

    /// A stereo 1 kHz sine, both channels at `dbfs` (peak level), for `seconds`.
    fn sine(dbfs: f64, seconds: f64) -> Vec<f32> {
        let amplitude = 10f64.powf(dbfs / 20.0);
        let frames = (seconds * f64::from(RATE)) as usize;
        (0..frames)
            .flat_map(|i| {
                let v = (amplitude
                    * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / f64::from(RATE)).sin())
                    as f32;
                [v, v]
            })
            .collect()
    }

    /// One meter over the whole signal, and the same signal measured in two parts split at `split`
    /// seconds (each fed from its lead, as the MP3 parts are).
    fn measure(signal: &[f32], split: Option<f64>) -> Merged {
        let frames = (signal.len() / 2) as u64;
        let mut parts = Vec::new();
        let bounds: Vec<u64> = match split {
            None => vec![0, frames],
            Some(at) => {
                let unit = Meter::boundary_unit(RATE);
                vec![0, (at * f64::from(RATE)) as u64 / unit * unit, frames]
            }
        };
        for pair in bounds.windows(2) {
            let (start, end) = (pair[0], pair[1]);
            let mut meter = Meter::new(2, RATE, start, end).unwrap();
            let from = start.saturating_sub(Meter::lead(RATE));
            // Fed in uneven chunks, as a decoder hands out frames.
            let mut at = from;
            while at < end.min(frames) {
                let to = (at + 1_153).min(frames);
                meter.push(at, &signal[(at as usize) * 2..(to as usize) * 2]);
                at = to;
            }
            parts.push(meter.finish());
        }
        merge(&parts)
    }

    /// Tech 3341 case 1: a stereo 1 kHz sine at −23 dBFS reads −23.0 ± 0.1 LUFS; its sample peak is −23 dBFS
    /// and its true peak no lower.
    #[test]
    fn a_sine_at_minus_23_dbfs_reads_minus_23_lufs() {
        let merged = measure(&sine(-23.0, 5.0), None);
        let lufs = merged.integrated_lufs.unwrap();
        assert!((lufs + 23.0).abs() <= 0.1, "{lufs} LUFS");
        let sample = merged.sample_peak_dbfs.unwrap();
        assert!((sample + 23.0).abs() <= 0.01, "{sample} dBFS");
        assert!(merged.true_peak_dbtp.unwrap() >= sample - 0.01);
    }

    /// Tech 3341 case 3 (relative gate): −36, −23 and −36 dBFS reads −23.0 ± 0.1 LUFS; Tech 3342 case 1:
    /// −20 then −30 dBFS has a loudness range of 10 ± 1 LU. Both again when measured in two parts, split
    /// mid-signal. (The segments are shorter than the documents' 10/60/10 s and 20/20 s, for a debug build's
    /// sake; the gates and percentiles give the same readings.)
    #[test]
    fn gating_and_range_match_the_ebu_test_signals_whole_and_in_parts() {
        let mut gated = sine(-36.0, 5.0);
        gated.extend(sine(-23.0, 20.0));
        gated.extend(sine(-36.0, 5.0));
        let mut range = sine(-20.0, 10.0);
        range.extend(sine(-30.0, 10.0));
        for split in [None, Some(13.3)] {
            let lufs = measure(&gated, split).integrated_lufs.unwrap();
            assert!((lufs + 23.0).abs() <= 0.1, "{lufs} LUFS, split {split:?}");
            let lra = measure(&range, split.map(|s| s / 2.0)).range_lu;
            assert!((lra - 10.0).abs() <= 1.0, "{lra} LU, split {split:?}");
        }
    }
}
