//! What each fuzz target does with one input, and the properties it checks beyond "no panic": shared by
//! the fuzz targets (`fuzz/fuzz_targets/*.rs`) and by the test suite's replay of every finding kept under
//! `tests/fuzz/` (`tests/integration/fuzz_replay.rs`), so a finding replays exactly as it was found.
//!
//! Each function panics when a property fails: libFuzzer then keeps the input as a crash.

// Each fuzz target uses one of these functions; the replay uses them all.
#![allow(dead_code)]

use std::path::Path;

use castkit::audio::id3::{ChapterTag, EpisodeTags, Picture, TagError, TagOptions, TagOutcome};
use castkit::audio::{AudioFacts, AudioFormat, DurationSource};
use castkit::chapters;
use castkit::transcripts::{self, TranscriptFormat};

/// What a fuzz target does with one input, given a scratch folder for inputs that must be files.
pub(crate) type Check = fn(&[u8], &Path);

/// The fuzz targets, by name: the folder names under `fuzz/corpus/` and `tests/fuzz/`.
pub(crate) const TARGETS: &[(&str, Check)] = &[
    ("probe", probe),
    ("tag", tag),
    ("catalogue", catalogue),
    ("validate", validate),
    ("import", import),
    ("chapters", chapters),
    ("transcripts", transcripts),
    ("diff", diff),
];

/// An error and its causes, `: `-joined, for a panic message that says everything.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Writes `data` to `dir/name` (a fresh file each time) and returns its path.
fn input_file(data: &[u8], dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).expect("writing the input to the scratch folder");
    path
}

/// Probes arbitrary bytes as an audio file (MP3 frame walk, ID3v2/ID3v1/APE, MP4, Ogg/FLAC/WAV through
/// symphonia); a successful probe's facts must agree with each other and with the file.
pub(crate) fn probe(data: &[u8], scratch: &Path) {
    let path = input_file(data, scratch, "input");
    if let Ok(facts) = castkit::audio::probe(&path) {
        check_facts(&facts, data.len() as u64);
    }
}

/// The facts of one probe agree with each other and with the file.
fn check_facts(facts: &AudioFacts, size: u64) {
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
        seconds.round() as u64,
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

/// The tags castkit writes in the round trip: every frame kind it manages, chapters and a cover included.
fn wanted_tags() -> EpisodeTags {
    // A real image from the test fixtures, so the cover's MIME type is read from image bytes.
    const PNG: &[u8] = include_bytes!("../tests/fixtures/audio/tiny.png");
    EpisodeTags {
        title: "What are the goals of rural revitalization?".to_owned(),
        artist: Some("CGTN".to_owned()),
        album: Some("How China Works – Charting the Future".to_owned()),
        album_artist: Some("CGTN".to_owned()),
        track: Some(4),
        season: Some(5),
        date: chrono::NaiveDate::from_ymd_opt(2022, 11, 28),
        genre: "Podcast".to_owned(),
        description: Some("Rural revitalization is a major strategy.".to_owned()),
        cover: Some(Picture::new(PNG.to_vec(), "Cover")),
        link: Some("https://example.com/5-4".to_owned()),
        feed_url: Some("https://example.com/feed.xml".to_owned()),
        podcast: true,
        guid: Some("5b0a35c4-0ad1-4b8e-9f3f-0c1b2d3e4f50".to_owned()),
        copyright: Some("© 2022 CGTN".to_owned()),
        language: Some("en".to_owned()),
        length_ms: Some(1_000),
        keywords: vec!["China".to_owned(), "policy".to_owned()],
        chapters: vec![
            ChapterTag {
                start_ms: 0,
                end_ms: 500,
                title: "Opening".to_owned(),
                url: None,
                image: None,
                hidden: false,
            },
            ChapterTag {
                start_ms: 500,
                end_ms: 1_000,
                title: "Goals".to_owned(),
                url: Some("https://example.com/goals".to_owned()),
                image: None,
                hidden: false,
            },
        ],
    }
}

/// Reads arbitrary bytes as an MP3 and writes castkit's tags into it: read → write → read must round-trip
/// what castkit manages, never touch the audio, and never fail on a file the probe read (a damaged tag is
/// refused without `force`, and rewritten with it). Writing again changes nothing.
pub(crate) fn tag(data: &[u8], scratch: &Path) {
    let path = input_file(data, scratch, "input.mp3");
    let Ok(before) = castkit::audio::probe(&path) else {
        return;
    };
    if before.format != AudioFormat::Mp3 {
        return;
    }
    let wanted = wanted_tags();
    let mut options = TagOptions::default();
    let outcome = match castkit::audio::id3::write_tags(&path, &wanted, &options) {
        Err(TagError::DamagedTag { .. }) => {
            assert_eq!(
                std::fs::read(&path).expect("the input"),
                data,
                "a refused file must be left as it was"
            );
            options.force = true;
            castkit::audio::id3::write_tags(&path, &wanted, &options)
        }
        other => other,
    };
    let outcome =
        outcome.unwrap_or_else(|e| panic!("tagging a file the probe read failed: {}", chain(&e)));
    assert!(
        matches!(outcome, TagOutcome::Written { .. }),
        "new tags were not written: {outcome:?}"
    );
    let after = castkit::audio::probe(&path)
        .unwrap_or_else(|e| panic!("the tagged file no longer probes: {}", chain(&e)));
    let written = std::fs::read(&path).expect("the tagged file");
    // The audio frames are the same bytes, and measure the same.
    let audio = |facts: &AudioFacts, bytes: &[u8]| -> Vec<u8> {
        let start = facts.audio_start.expect("an MP3's audio start") as usize;
        let end = facts.audio_end.expect("an MP3's audio end") as usize;
        bytes[start..end].to_vec()
    };
    assert!(
        audio(&before, data) == audio(&after, &written),
        "tagging changed the audio bytes"
    );
    assert_eq!(before.samples, after.samples, "tagging changed the samples");
    assert_eq!(before.frames, after.frames, "tagging changed the frames");
    // What castkit manages reads back.
    let tags = &after.tags;
    assert_eq!(tags.title.as_deref(), Some(wanted.title.as_str()), "TIT2");
    assert_eq!(tags.album.as_deref(), wanted.album.as_deref(), "TALB");
    assert_eq!(tags.artist.as_deref(), wanted.artist.as_deref(), "TPE1");
    assert!(tags.has_cover, "APIC");
    assert_eq!(tags.chapters, wanted.chapters.len(), "CHAP");
    // Writing the same tags again is a no-op.
    let again = castkit::audio::id3::write_tags(&path, &wanted, &TagOptions::default())
        .unwrap_or_else(|e| panic!("tagging castkit's own tag again failed: {}", chain(&e)));
    assert_eq!(
        again,
        TagOutcome::Unchanged,
        "a second write changed the file"
    );
}

/// Loads arbitrary text as `episodes.toml`; an accepted catalogue carries no error.
pub(crate) fn catalogue(data: &[u8], scratch: &Path) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = castkit::catalogue::load_str("episodes.toml", text, &scratch.join("no-such-show"));
    if loaded.catalogue.is_some() {
        assert!(
            !loaded.diagnostics.iter().any(|d| d.is_error()),
            "a catalogue was accepted despite an error"
        );
    }
}

/// Validates arbitrary bytes as a feed (the decoder, the XML parser and every rule).
pub(crate) fn validate(data: &[u8], _scratch: &Path) {
    let options = castkit::validate::Options::default();
    let _ = castkit::validate::validate_bytes("feed.xml", data, &options);
}

/// Imports arbitrary bytes as a published feed; what `import` writes is TOML the catalogue reader reads.
pub(crate) fn import(data: &[u8], scratch: &Path) {
    let options = castkit::import::Options {
        fetched_from: None,
        feed_url: None,
        allow_locked: true,
    };
    let Ok(imported) = castkit::import::import("feed.xml", data, &options) else {
        return;
    };
    let text = imported.catalogue();
    if let Err(e) = text.parse::<toml::Table>() {
        panic!("import wrote a catalogue that is not TOML: {e}\n{text}");
    }
    let loaded =
        castkit::catalogue::load_str("episodes.toml", &text, &scratch.join("no-such-show"));
    if let Some(syntax) = loaded
        .diagnostics
        .iter()
        .find(|d| matches!(d.code(), "C001" | "C002" | "C003"))
    {
        panic!("import wrote a catalogue its reader cannot parse: {syntax:?}\n{text}");
    }
}

/// Reads arbitrary text as chapters (JSON, a `00:00 Title` list, show notes) and times: every time castkit
/// reads, it writes back to the same millisecond, and JSON chapters read back as they were.
pub(crate) fn chapters(data: &[u8], _scratch: &Path) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(list) = chapters::from_json(text) {
        let _ = chapters::check(&list, None);
        let _ = chapters::check(&list, Some(60_000));
        let doc = chapters::to_json(&list, None, "Episode", "Show");
        let again = chapters::from_json(&chapters::json_text(&doc))
            .unwrap_or_else(|e| panic!("castkit's own JSON chapters do not read back: {e}"));
        let starts = |l: &[chapters::Chapter]| l.iter().map(|c| c.start_ms).collect::<Vec<_>>();
        assert_eq!(starts(&list), starts(&again), "JSON chapter starts moved");
    }
    let lines = chapters::from_text_list(text);
    let list: Vec<_> = lines
        .into_iter()
        .filter_map(|(_, line)| line.ok())
        .collect();
    let _ = chapters::check(&list, Some(3_600_000));
    if let Some(list) = chapters::from_show_notes(text) {
        let _ = chapters::check(&list, None);
    }
    for line in text.lines().take(64) {
        if let Ok(ms) = chapters::parse_time(line) {
            for written in [chapters::format_npt(ms), chapters::format_vtt(ms)] {
                assert_eq!(
                    chapters::parse_time(&written).ok(),
                    Some(ms),
                    "{line:?} is {ms} ms, written {written:?}"
                );
            }
            let _ = chapters::format_short(ms);
        }
    }
}

/// Reads arbitrary text as a transcript in every format castkit knows, and converts SRT to VTT: converted
/// SRT reads back as VTT with the same cues.
pub(crate) fn transcripts(data: &[u8], _scratch: &Path) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [
        TranscriptFormat::Srt,
        TranscriptFormat::Vtt,
        TranscriptFormat::Json,
        TranscriptFormat::Html,
        TranscriptFormat::Text,
    ] {
        let _ = transcripts::inspect(text, format);
    }
    if let Ok(vtt) = transcripts::srt_to_vtt(text) {
        let facts = transcripts::inspect(&vtt, TranscriptFormat::Vtt).unwrap_or_else(|e| {
            panic!("SRT converted to VTT does not read back as VTT: {e}\n{vtt}")
        });
        let srt = transcripts::inspect(text, TranscriptFormat::Srt)
            .unwrap_or_else(|e| panic!("an SRT castkit converted does not read as SRT: {e}"));
        assert_eq!(facts.cues, srt.cues, "the conversion changed the cue count");
        assert_eq!(
            facts.last_end_ms, srt.last_end_ms,
            "the conversion moved the last cue"
        );
    }
}

/// Compares two feeds (the input split at its first NUL byte, else in half); a feed compared with itself
/// has no breaking change.
pub(crate) fn diff(data: &[u8], _scratch: &Path) {
    use castkit::diff::{Input, Options};
    let (old, new) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => data.split_at(data.len() / 2),
    };
    let options = Options::default();
    let _ = castkit::diff::diff(
        Input {
            name: "old.xml",
            bytes: old,
        },
        Input {
            name: "new.xml",
            bytes: new,
        },
        &options,
    );
    if let Ok(result) = castkit::diff::diff(
        Input {
            name: "old.xml",
            bytes: new,
        },
        Input {
            name: "new.xml",
            bytes: new,
        },
        &options,
    ) {
        assert!(
            !result.is_breaking(),
            "a feed compared with itself has a breaking change"
        );
    }
}
