//! Probes arbitrary bytes as an audio file (MP3 frame walk, ID3v2/ID3v1/APE, MP4, and Ogg/FLAC/WAV through
//! symphonia) and checks that the facts of a successful probe agree with each other.
//!
//! `castkit::audio::probe` takes only a path, so every input is written to one temporary file first (a
//! write per execution: the main cost of this target next to small inputs).
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use castkit::audio::{AudioFacts, DurationSource};
use libfuzzer_sys::fuzz_target;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    let path = dir.path().join("input");
    let mut file = std::fs::File::create(&path).expect("the temporary file");
    file.write_all(data).expect("writing the input");
    drop(file);
    if let Ok(facts) = castkit::audio::probe(&path) {
        check(&facts, data.len() as u64);
    }
});

/// The facts of one probe agree with each other and with the file.
fn check(facts: &AudioFacts, size: u64) {
    assert_eq!(facts.size_bytes, size, "size_bytes is the file's size");
    if let (Some(start), Some(end)) = (facts.audio_start, facts.audio_end) {
        assert!(start <= end, "audio_start {start} > audio_end {end}");
        assert!(end <= size, "audio_end {end} > size {size}");
    }
    if facts.samples > 0 {
        assert!(facts.sample_rate_hz > 0, "samples without a sample rate");
    }
    let seconds = facts.duration_seconds();
    assert!(seconds.is_finite() && seconds >= 0.0, "duration {seconds}");
    assert_eq!(
        facts.whole_seconds(),
        (seconds).round() as u64,
        "whole seconds disagree with samples ÷ rate"
    );
    if facts.duration_source == DurationSource::FrameWalk {
        let frames = facts.frames.expect("a frame walk counts frames");
        assert!(frames > 0, "a frame walk found no frame");
        assert!(
            matches!(
                facts.sample_rate_hz,
                8000 | 11025 | 12000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000
            ),
            "MPEG sample rate {}",
            facts.sample_rate_hz
        );
        assert!(
            matches!(facts.channels, 1 | 2),
            "MPEG channels {}",
            facts.channels
        );
        // At most 1152 samples per MPEG frame; delay and padding only ever remove samples.
        assert!(
            facts.samples <= frames * 1152,
            "{} samples from {frames} frames",
            facts.samples
        );
    }
}
