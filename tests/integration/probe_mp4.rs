//! `castkit probe` on MP4 files (M4A, MP4/MOV/M4V video, MP3 in MP4) against independent truth: the sample
//! counts fed to ffmpeg's encoders, ffmpeg's full decodes and ffprobe's stream facts, recorded by
//! `scripts/make-mp4-fixtures.sh` in `tests/fixtures/audio/mp4/manifest.json`; track types and brands as
//! mediainfo reads them; tags and chapters as mutagen and ffprobe read them.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::{
    SHOW, ShowDir, assert_feed_validates_clean, audio_fixtures, fixture_manifest,
    have_python_module, have_tool, json_codes, probe_json, python_json, stderr_of,
    validate_show_feed,
};

fn fixtures() -> PathBuf {
    audio_fixtures("mp4")
}

fn manifest() -> serde_json::Map<String, Value> {
    fixture_manifest(&fixtures())
}

/// `castkit probe --json` on fixtures: (exit code, objects in the order given).
fn probe(names: &[&str]) -> (i32, Vec<Value>) {
    probe_json(names.iter().map(|n| fixtures().join(n)))
}

/// The fixtures that have a sound track, by name.
fn sound_fixtures(manifest: &serde_json::Map<String, Value>) -> Vec<&str> {
    manifest
        .iter()
        .filter(|(_, t)| t.get("input_samples").is_some_and(|s| !s.is_null()))
        .map(|(name, _)| name.as_str())
        .collect()
}

/// Issues 11, 9 and 10: the played length is the encoder's input, sample for sample, whatever the edit list
/// rounds; the padding is what ffmpeg's decoder outputs past it; 88.2/96 kHz AAC and MP3 in MP4 are read.
#[test]
fn mp4_lengths_are_the_encoders_input_and_padding_is_what_a_decoder_outputs_past_it() {
    let manifest = manifest();
    let names = sound_fixtures(&manifest);
    assert!(names.len() >= 15, "the manifest lists the fixtures");
    // The fixtures exercise the defect: for several, the edit list alone (whole milliseconds, as ffmpeg
    // writes it) says fewer samples than were encoded.
    let rounded = names
        .iter()
        .filter(|n| {
            let t = &manifest[**n];
            t["edit_list_samples"].is_u64() && t["edit_list_samples"] != t["input_samples"]
        })
        .count();
    assert!(
        rounded >= 4,
        "only {rounded} fixtures have a rounded edit list"
    );
    let (code, items) = probe(&names);
    assert_eq!(code, 0, "{items:#?}");
    for (name, item) in names.iter().zip(&items) {
        let truth = &manifest[*name];
        assert_eq!(item["error"], Value::Null, "{name}");
        assert_eq!(
            item["samples"], truth["input_samples"],
            "{name}: samples (the encoder was fed {})",
            truth["input_samples"]
        );
        assert_eq!(
            item["sample_rate"], truth["sample_rate"],
            "{name}: ffprobe's rate"
        );
        assert_eq!(
            item["channels"], truth["channels"],
            "{name}: ffprobe's channels"
        );
        assert_eq!(item["codec"], truth["codec"], "{name}: ffprobe's codec");
        assert_eq!(item["size_bytes"], truth["size_bytes"], "{name}");
        let samples = item["samples"].as_u64().unwrap();
        let padding = item["encoder_padding"].as_u64().unwrap();
        let delay = item["encoder_delay"].as_u64().unwrap();
        // ffmpeg 5's full decode skips the priming but keeps the last frame's padding.
        assert_eq!(
            samples + padding,
            truth["decoded_samples"].as_u64().unwrap(),
            "{name}: samples + padding is ffmpeg's full decode"
        );
        // Every AAC or MP3 packet decodes to a whole frame: priming + played + padding fill the packets.
        let frame = match truth["codec"].as_str().unwrap() {
            "aac" => Some(1024),
            "mp3" => Some(1152),
            _ => None,
        };
        if let Some(frame) = frame {
            assert_eq!(
                delay + samples + padding,
                truth["packets"].as_u64().unwrap() * frame,
                "{name}: delay + samples + padding is ffprobe's packets × {frame}"
            );
        } else {
            assert_eq!(
                padding, 0,
                "{name}: an ALAC packet decodes to exactly its samples"
            );
        }
        let rate = truth["sample_rate"].as_f64().unwrap();
        let seconds = item["duration_seconds"].as_f64().unwrap();
        assert!((seconds - samples as f64 / rate).abs() < 1e-9, "{name}");
    }
}

#[test]
fn high_rate_aac_and_mp3_in_mp4_are_read_as_ffprobe_reads_them() {
    let (code, items) = probe(&[
        "aac-96000-96000.m4a",
        "aac-88200-88200.m4a",
        "mp3-mono-44100-66150.mp4",
        "mp3-stereo-44100-66150.mp4",
    ]);
    assert_eq!(code, 0, "{items:#?}");
    let got: Vec<(u64, u64, &str)> = items
        .iter()
        .map(|i| {
            (
                i["sample_rate"].as_u64().unwrap(),
                i["channels"].as_u64().unwrap(),
                i["codec"].as_str().unwrap(),
            )
        })
        .collect();
    let manifest = manifest();
    let expected: Vec<(u64, u64, &str)> = [
        "aac-96000-96000.m4a",
        "aac-88200-88200.m4a",
        "mp3-mono-44100-66150.mp4",
        "mp3-stereo-44100-66150.mp4",
    ]
    .iter()
    .map(|n| {
        let t = &manifest[*n];
        (
            t["sample_rate"].as_u64().unwrap(),
            t["channels"].as_u64().unwrap(),
            t["codec"].as_str().unwrap(),
        )
    })
    .collect();
    assert_eq!(got, expected);
    assert_eq!(got[0], (96_000, 1, "aac"));
    assert_eq!((got[2].1, got[3].1), (1, 2), "mono and stereo MP3 in MP4");
}

/// Issue 8: a video is reported with Apple's video type for its brand; an audio-only MP4 stays `m4a`. The
/// track types and brand come from mediainfo.
#[test]
fn video_files_get_apple_video_types_by_brand_and_sound_only_files_stay_m4a() {
    if !have_tool("mediainfo") {
        return;
    }
    let names = [
        "video-44100-66150.mp4",
        "video-44100-66150.mov",
        "video-44100-66150.m4v",
        "aac-44100-44100.m4a",
        "mp3-mono-44100-66150.mp4",
    ];
    let (code, items) = probe(&names);
    assert_eq!(code, 0, "{items:#?}");
    for (name, item) in names.iter().zip(&items) {
        let out = Command::new("mediainfo")
            .arg("--Output=JSON")
            .arg(fixtures().join(name))
            .output()
            .unwrap();
        let info: Value = serde_json::from_slice(&out.stdout).unwrap();
        let tracks = info["media"]["track"].as_array().unwrap();
        let has_video = tracks.iter().any(|t| t["@type"] == "Video");
        let brand = tracks[0]["CodecID"].as_str().unwrap_or("").trim();
        // Apple's enclosure types (Apple Podcasts' "Supported media formats").
        let (format, mime) = match (has_video, brand) {
            (false, _) => ("m4a", "audio/x-m4a"),
            (true, "qt") => ("mov", "video/quicktime"),
            (true, "M4V" | "M4VH" | "M4VP") => ("m4v", "video/x-m4v"),
            (true, _) => ("mp4", "video/mp4"),
        };
        assert_eq!(
            (item["format"].as_str(), item["mime"].as_str()),
            (Some(format), Some(mime)),
            "{name}: mediainfo sees video: {has_video}, brand `{brand}`"
        );
    }
    // Three different brands among the videos: each type is really exercised.
    let mimes: std::collections::BTreeSet<&str> = items[..3]
        .iter()
        .map(|i| i["mime"].as_str().unwrap())
        .collect();
    assert_eq!(mimes.len(), 3);
}

#[test]
fn a_video_with_no_sound_track_is_refused_with_the_reason_and_the_fix() {
    let manifest = manifest();
    assert_eq!(
        manifest["video-no-sound.mp4"]["video"], true,
        "ffprobe sees video"
    );
    assert!(
        manifest["video-no-sound.mp4"].get("channels").is_none(),
        "ffprobe sees no sound"
    );
    let (code, items) = probe(&["video-no-sound.mp4", "aac-44100-44100.m4a"]);
    assert_eq!(code, 1);
    let error = items[0]["error"].as_str().unwrap();
    assert!(
        error.contains("video-no-sound.mp4")
            && error.contains("no sound track")
            && error.contains("1.600 s"),
        "{error}"
    );
    assert!(error.contains("anullsrc"), "the fix is given: {error}");
    assert_eq!(
        items[1]["error"],
        Value::Null,
        "the other file is still probed"
    );
}

/// Issue 8: `build-feed` writes a video episode's type, and the validator holds an audio type on a video
/// to be a mismatch (while Apple's three video types are names for one kind of file).
#[test]
fn build_feed_gives_a_video_episode_its_video_type_and_validate_checks_it() {
    let show = ShowDir::new();
    std::fs::copy(
        fixtures().join("video-44100-66150.mp4"),
        show.path().join("media/video.mp4"),
    )
    .unwrap();
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"Video\"\naudio = \"media/video.mp4\"\npublished = 2024-03-01T09:00:00Z\nguid = \"v1\"\n"
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let enclosure = doc
        .descendants()
        .find(|n| n.has_tag_name("enclosure"))
        .unwrap();
    assert_eq!(enclosure.attribute("type"), Some("video/mp4"));
    assert_feed_validates_clean(&show);
    let findings = |feed: &str| -> Vec<String> {
        std::fs::write(show.path().join("public/feed.xml"), feed).unwrap();
        let out = validate_show_feed(&show, &["--catalogue", "episodes.toml"]);
        json_codes(&out).into_iter().map(|(code, _)| code).collect()
    };
    assert!(!findings(&feed).contains(&"F402".to_owned()));
    let as_audio = feed.replace("type=\"video/mp4\"", "type=\"audio/x-m4a\"");
    assert!(
        findings(&as_audio).contains(&"F402".to_owned()),
        "audio type on a video"
    );
    let as_m4v = feed.replace("type=\"video/mp4\"", "type=\"video/x-m4v\"");
    assert!(
        !findings(&as_m4v).contains(&"F402".to_owned()),
        "another video type"
    );
}

/// mutagen's reading of an MP4 file's tags and chapters, as JSON.
const MUTAGEN_MP4: &str = r#"
import json, sys
from mutagen.mp4 import MP4
f = MP4(sys.argv[1])
t = f.tags or {}
first = lambda k: str(t[k][0]) if k in t else None
track = None
if "trkn" in t:
    n, total = t["trkn"][0]
    track = "%d/%d" % (n, total) if total else str(n)
print(json.dumps({
    "title": first("\xa9nam"), "artist": first("\xa9ART"), "album": first("\xa9alb"),
    "date": first("\xa9day"), "genre": first("\xa9gen"), "comment": first("\xa9cmt"), "track": track,
    "has_cover": bool(t.get("covr")), "chapters": len(list(f.chapters or [])),
}))
"#;

/// Issue 15 (MP4): the `ilst` tags and the chapters, as mutagen reads them, and the chapters as ffprobe
/// counts them.
#[test]
fn mp4_tags_and_chapters_are_what_mutagen_and_ffprobe_read() {
    if !have_python_module("mutagen") || !have_tool("ffprobe") {
        return;
    }
    let names = [
        "tagged-chapters-44100-88200.m4a",
        "tagged-cover-44100-44100.m4a",
    ];
    let (code, items) = probe(&names);
    assert_eq!(code, 0);
    for (name, item) in names.iter().zip(&items) {
        let path = fixtures().join(name);
        let truth = python_json(MUTAGEN_MP4, &path);
        let tags = &item["tags"];
        for key in [
            "title",
            "artist",
            "album",
            "date",
            "genre",
            "comment",
            "track",
            "has_cover",
            "chapters",
        ] {
            assert_eq!(
                tags[key], truth[key],
                "{name}: `{key}` (mutagen: {})",
                truth[key]
            );
        }
        assert_eq!(tags["native"], "mp4", "{name}");
        assert_eq!(tags["id3_version"], Value::Null, "{name}");
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-show_chapters", "-of", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let chapters: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            tags["chapters"].as_u64().unwrap() as usize,
            chapters["chapters"].as_array().unwrap().len(),
            "{name}: ffprobe's chapters"
        );
    }
    // The fixtures carry what they are meant to.
    assert_eq!(items[0]["tags"]["chapters"], 3);
    assert_eq!(items[0]["tags"]["track"], "3/10");
    assert_eq!(items[1]["tags"]["has_cover"], true);
    assert_eq!(items[1]["tags"]["title"], "Covered – “quoted”");
}
