//! `castkit probe` against independent truth: fixtures made by real encoders with their full-decode sample
//! counts (ffmpeg) and frame counts (ffprobe) recorded by `scripts/make-audio-fixtures.sh`, live decodes
//! where ffmpeg is installed, and synthetic streams whose counts are known by construction.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::{
    audio_fixtures, castkit, ffmpeg_decoded_samples, fixture_manifest, have_tool, probe_json,
};

fn fixtures() -> PathBuf {
    audio_fixtures("")
}

fn manifest() -> serde_json::Map<String, Value> {
    fixture_manifest(&fixtures())
}

/// How far castkit may differ from ffmpeg's full decode, and why, for the fixtures where it may at all.
fn tolerance(name: &str) -> (u64, &'static str) {
    match name {
        "junk-between-frames.mp3" => (
            1152,
            "ffmpeg's decoder drops the frame that follows junk; castkit counts every frame, as ffprobe does",
        ),
        "aac.m4a" => (
            1024,
            "castkit plays the edit list (exactly 3.000 s); ffmpeg's decode keeps the last AAC frame's padding",
        ),
        _ => (0, "exact"),
    }
}

#[test]
fn every_fixture_agrees_with_a_full_decode_and_the_frame_count() {
    let manifest = manifest();
    let files: Vec<PathBuf> = manifest
        .iter()
        .filter(|(_, t)| t.get("samples").is_some())
        .map(|(name, _)| fixtures().join(name))
        .collect();
    assert!(files.len() >= 20, "the manifest lists the fixtures");
    let (code, items) = probe_json(&files);
    assert_eq!(code, 0);
    for item in &items {
        let name = item["path"].as_str().unwrap().rsplit('/').next().unwrap();
        let truth = &manifest[name];
        let (tolerance, why) = tolerance(name);
        let samples = item["samples"].as_u64().unwrap();
        let expected = truth["samples"].as_u64().unwrap();
        assert!(
            samples.abs_diff(expected) <= tolerance,
            "{name}: castkit {samples} samples, ffmpeg decodes {expected} (allowed: {tolerance}, {why})"
        );
        assert_eq!(item["sample_rate"], truth["sample_rate"], "{name}");
        assert_eq!(item["channels"], truth["channels"], "{name}");
        assert_eq!(item["size_bytes"], truth["size_bytes"], "{name}");
        let rate = truth["sample_rate"].as_f64().unwrap();
        let seconds = item["duration_seconds"].as_f64().unwrap();
        assert!(
            (seconds - samples as f64 / rate).abs() < 1e-9,
            "{name}: duration is samples ÷ rate"
        );
        if item["format"] == "mp3" {
            // ffprobe counts the audio frames it demuxes (the Xing/Info frame is not one).
            assert_eq!(
                item["frames"], truth["ffprobe_packets"],
                "{name}: frame count"
            );
            assert_eq!(item["mime"], "audio/mpeg");
        }
    }
}

#[test]
fn formats_come_from_the_content_not_the_name() {
    let (_, items) = probe_json(&[
        fixtures().join("wav-named.mp3"),
        fixtures().join("aac.m4a"),
        fixtures().join("vorbis.ogg"),
        fixtures().join("opus.opus"),
        fixtures().join("mono.flac"),
        fixtures().join("layer2.mp2"),
    ]);
    let got: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["format"].as_str().unwrap(), i["mime"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("wav", "audio/wav"),
            ("m4a", "audio/x-m4a"),
            ("ogg", "audio/ogg"),
            ("ogg", "audio/ogg"),
            ("flac", "audio/flac"),
            ("mp3", "audio/mpeg"),
        ]
    );
}

#[test]
fn broken_files_fail_alone_with_a_clear_error_and_exit_1() {
    let files = [
        fixtures().join("empty.mp3"),
        fixtures().join("vbr-xing.mp3"),
        fixtures().join("text-named.mp3"),
        fixtures().join("tag-past-eof.mp3"),
        fixtures().join("does-not-exist.mp3"),
    ];
    let (code, items) = probe_json(&files);
    assert_eq!(code, 1);
    assert_eq!(items.len(), 5, "one object per file, in argument order");
    let errors: Vec<Option<&str>> = items.iter().map(|i| i["error"].as_str()).collect();
    assert!(errors[0].unwrap().contains("the file is empty (0 bytes)"));
    assert_eq!(errors[1], None, "the good file is still probed");
    assert_eq!(items[1]["samples"], 132_300);
    assert!(errors[2].unwrap().contains("it is text, not audio"));
    assert!(
        errors[3]
            .unwrap()
            .contains("damaged at byte 0: the tag there claims 10000010 bytes, but only 49 follow"),
        "{errors:?}"
    );
    assert!(errors[4].unwrap().contains("cannot read"));
    // The table form says the same on stderr.
    let out = castkit().arg("probe").args(&files).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: `")
            && err.contains("empty.mp3` is not an audio file castkit can read"),
        "{err}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("vbr-xing.mp3") && table.contains("0:00:03.000"),
        "{table}"
    );
}

#[test]
fn json_objects_have_exactly_the_documented_keys() {
    let (_, items) = probe_json(&[
        fixtures().join("id3v23-cover.mp3"),
        fixtures().join("empty.mp3"),
    ]);
    let keys = [
        "audio_end",
        "audio_start",
        "bitrate_kbps",
        "bitrate_mode",
        "channels",
        "codec",
        "duration_seconds",
        "encoder_delay",
        "encoder_padding",
        "error",
        "format",
        "frames",
        "mime",
        "path",
        "path_base64",
        "sample_rate",
        "samples",
        "size_bytes",
        "tags",
        "warnings",
    ];
    for item in &items {
        let mut got: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        got.sort_unstable();
        assert_eq!(got, keys);
    }
    let mut tag_keys: Vec<&str> = items[0]["tags"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    tag_keys.sort_unstable();
    assert_eq!(
        tag_keys,
        [
            "album",
            "artist",
            "chapters",
            "comment",
            "date",
            "genre",
            "has_cover",
            "id3_version",
            "native",
            "title",
            "track"
        ]
    );
    assert_eq!(items[1]["tags"], Value::Null);
}

#[test]
fn tags_already_present_are_reported() {
    let (_, items) = probe_json(&[
        fixtures().join("id3v23-cover.mp3"),
        fixtures().join("id3v24-footer.mp3"),
        fixtures().join("id3v1-only.mp3"),
        fixtures().join("two-id3v2-tags.mp3"),
    ]);
    // Written by ffmpeg's ID3v2.3 muxer.
    let t = &items[0]["tags"];
    assert_eq!(t["id3_version"], "2.3");
    assert_eq!(t["title"], "Tagged v2.3");
    assert_eq!(t["artist"], "Artist");
    assert_eq!(t["album"], "Album");
    assert_eq!(t["track"], "7");
    assert_eq!(t["date"], "2024");
    assert_eq!(t["genre"], "Podcast");
    assert_eq!(t["comment"], "A comment");
    assert_eq!(t["has_cover"], true);
    assert_eq!(items[1]["tags"]["id3_version"], "2.4");
    assert_eq!(items[1]["tags"]["title"], "Footer tag");
    // Written by lame's --id3v1-only.
    assert_eq!(items[2]["tags"]["id3_version"], Value::Null);
    assert_eq!(items[2]["tags"]["title"], "Only v1");
    assert_eq!(items[2]["tags"]["artist"], "Artist v1");
    assert_eq!(items[3]["tags"]["title"], "Footer tag");
    // The tags are not audio: each of these is as long as the untagged stream.
    for item in &items[1..] {
        assert_eq!(item["samples"], 132_300, "{}", item["path"]);
    }
}

#[test]
fn warnings_name_what_is_wrong_and_where() {
    let junk_file = fixtures().join("junk-between-frames.mp3");
    let (_, items) = probe_json(&[junk_file.clone(), fixtures().join("truncated-xing.mp3")]);
    // Where the junk is, found independently: the first run of 417 bytes of 0x55.
    let bytes = std::fs::read(&junk_file).unwrap();
    let at = bytes
        .windows(417)
        .position(|w| w.iter().all(|&b| b == 0x55))
        .unwrap();
    assert_eq!(
        items[0]["warnings"],
        serde_json::json!([format!("417 bytes of junk between frames at byte {at}")])
    );
    let warnings: Vec<&str> = items[1]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("is cut off") && w.contains("the file is truncated")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("the Xing header says 116 frames, but the file has 69")),
        "{warnings:?}"
    );
}

#[test]
fn live_decodes_by_ffmpeg_agree() {
    if !have_tool("ffmpeg") {
        return;
    }
    for name in [
        "vbr-noheader.mp3",
        "mpeg25-8k-vbr-noheader.mp3",
        "vbr-xing.mp3",
        "opus.opus",
    ] {
        let path = fixtures().join(name);
        let (_, items) = probe_json([&path]);
        assert_eq!(
            items[0]["samples"].as_u64().unwrap(),
            ffmpeg_decoded_samples(&path),
            "{name}"
        );
    }
}

#[test]
fn a_synthetic_stream_with_tags_everywhere_counts_exactly() {
    // 300 frames of MPEG-1 Layer III 128 kbit/s (417 or 418 bytes), with an ID3v2.4 tag with a footer in
    // front, then an APEv2 tag and an ID3v1 tag at the end: counts known by construction.
    let mut bytes = Vec::new();
    let frames: Vec<u8> = (0..300)
        .flat_map(|i| {
            let mut f = vec![0u8; if i % 3 == 0 { 418 } else { 417 }];
            f[..4].copy_from_slice(&[0xFF, 0xFB, if i % 3 == 0 { 0x92 } else { 0x90 }, 0x00]);
            f
        })
        .collect();
    let frames_body = b"TIT2\x00\x00\x00\x05\x00\x00\x03Syn\x00";
    bytes.extend_from_slice(b"ID3\x04\x00\x10\x00\x00\x00");
    bytes.push(frames_body.len() as u8);
    bytes.extend_from_slice(frames_body);
    bytes.extend_from_slice(b"3DI\x04\x00\x10\x00\x00\x00");
    bytes.push(frames_body.len() as u8);
    let start = bytes.len();
    bytes.extend_from_slice(&frames);
    let end = bytes.len();
    // APEv2 footer-only tag: one item "Title" = "x" (item: size, flags, key\0, value), then the footer.
    let item = [
        &1u32.to_le_bytes()[..],
        &0u32.to_le_bytes(),
        b"Title\0",
        b"x",
    ]
    .concat();
    let mut footer = b"APETAGEX".to_vec();
    footer.extend_from_slice(&2000u32.to_le_bytes());
    footer.extend_from_slice(&((item.len() + 32) as u32).to_le_bytes());
    footer.extend_from_slice(&1u32.to_le_bytes());
    footer.extend_from_slice(&0u32.to_le_bytes());
    footer.extend_from_slice(&[0; 8]);
    bytes.extend_from_slice(&item);
    bytes.extend_from_slice(&footer);
    let mut v1 = b"TAG".to_vec();
    v1.resize(128, 0);
    bytes.extend_from_slice(&v1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.mp3");
    std::fs::write(&path, &bytes).unwrap();
    let (code, items) = probe_json(std::slice::from_ref(&path));
    assert_eq!(code, 0);
    let i = &items[0];
    assert_eq!(i["frames"], 300);
    assert_eq!(i["samples"], 300 * 1152);
    assert_eq!(i["audio_start"], start);
    assert_eq!(i["audio_end"], end);
    assert_eq!(i["bitrate_kbps"], 128);
    assert_eq!(i["bitrate_mode"], "CBR");
    assert_eq!(i["tags"]["title"], "Syn");
    assert_eq!(i["warnings"], serde_json::json!([]));
}

/// ffprobe's codec name (recorded in the manifest) as castkit names the codec: the PCM sample layouts are
/// one codec, `pcm`.
fn castkit_codec_name(ffprobe: &str) -> &str {
    if ffprobe.starts_with("pcm_") {
        "pcm"
    } else {
        ffprobe
    }
}

#[test]
fn the_codec_is_the_one_ffprobe_names_and_the_table_shows_it_with_samples_and_tags() {
    let manifest = manifest();
    let names: Vec<&String> = manifest
        .iter()
        .filter(|(_, truth)| truth.get("codec").is_some())
        .map(|(name, _)| name)
        .collect();
    let files: Vec<PathBuf> = names.iter().map(|n| fixtures().join(n)).collect();
    let (_, items) = probe_json(&files);
    for (name, item) in names.iter().zip(&items) {
        let truth = &manifest[name.as_str()];
        if item["error"].is_string() {
            continue;
        }
        assert_eq!(
            item["codec"].as_str(),
            Some(castkit_codec_name(truth["codec"].as_str().unwrap())),
            "{name}"
        );
    }

    // The table: Opus and Vorbis are told apart, the sample count is the full decode's, and the tags
    // column shows what ffmpeg wrote into the tagged fixture.
    let out = castkit()
        .arg("probe")
        .args(
            [
                "opus.opus",
                "vorbis.ogg",
                "id3v23-cover.mp3",
                "cbr64-info.mp3",
            ]
            .map(|n| fixtures().join(n)),
        )
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{table}"))
            .to_owned()
    };
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "file", "format", "duration", "samples", "rate", "ch", "bitrate", "size", "tags"
        ]
    );
    assert!(line("opus.opus").contains(" ogg/opus "), "{table}");
    assert!(line("vorbis.ogg").contains(" ogg/vorbis "), "{table}");
    for name in ["opus.opus", "vorbis.ogg", "cbr64-info.mp3"] {
        let samples = manifest[name]["samples"].as_u64().unwrap().to_string();
        assert!(
            line(name).split_whitespace().any(|cell| cell == samples),
            "{name}: the row does not show the decoded sample count {samples}:\n{table}"
        );
    }
    // `scripts/make-audio-fixtures.sh` tagged it with ffmpeg: title "Tagged v2.3", a cover.
    let tagged = line("id3v23-cover.mp3");
    assert!(
        tagged.ends_with("ID3v2.3 \"Tagged v2.3\" cover"),
        "{tagged}"
    );
    assert!(line("cbr64-info.mp3").ends_with(" -"), "{table}");
}

/// A file name that is not UTF-8 (Latin-1 `café.mp3`, as old archives and Windows shares hold them) comes
/// back byte for byte in `path_base64`, so a script can open the very file the report is about.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_can_be_recovered_from_the_json() {
    use base64::Engine as _;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = tempfile::tempdir().unwrap();
    let raw: &[u8] = b"caf\xe9.mp3";
    let file = dir.path().join(OsStr::from_bytes(raw));
    std::fs::copy(fixtures().join("cbr64-info.mp3"), &file).unwrap();
    let utf8 = dir.path().join("plain.mp3");
    std::fs::copy(fixtures().join("cbr64-info.mp3"), &utf8).unwrap();
    let (code, items) = probe_json(&[file.clone(), utf8]);
    assert_eq!(code, 0);
    let encoded = items[0]["path_base64"]
        .as_str()
        .expect("path_base64 is set");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(bytes, file.as_os_str().as_bytes());
    assert!(std::fs::metadata(OsStr::from_bytes(&bytes)).is_ok());
    assert!(items[0]["path"].as_str().unwrap().contains("caf"));
    assert_eq!(
        items[1]["path_base64"],
        Value::Null,
        "a UTF-8 name is exact as text"
    );
}

/// A named pipe is refused at once (opening one for reading would wait for a writer forever).
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("episode.mp3");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let out = castkit()
        .arg("probe")
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("named pipe") && stderr.contains("episode.mp3"),
        "{stderr}"
    );
}

/// An ID3v1 tag stores its genre as a number. castkit writes 186, "Podcast", one of Winamp's later
/// genres that the id3 crate's list lacks: the summary names it as mutagen does.
#[test]
fn an_id3v1_genre_number_is_named_as_mutagen_names_it() {
    if !crate::support::have_python_module("mutagen") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mp3 = dir.path().join("v1.mp3");
    let mut bytes = std::fs::read(fixtures().join("cbr64-noheader.mp3")).unwrap();
    let mut v1 = [0u8; 128];
    v1[..3].copy_from_slice(b"TAG");
    v1[3..10].copy_from_slice(b"Episode");
    v1[127] = 186;
    bytes.extend_from_slice(&v1);
    std::fs::write(&mp3, bytes).unwrap();
    let mutagen = crate::support::python_json(
        "import json, sys\nfrom mutagen.id3 import ID3\nprint(json.dumps(str(ID3(sys.argv[1], load_v1=True)['TCON'])))",
        &mp3,
    );
    assert_eq!(mutagen, "Podcast");
    let (_, items) = probe_json([&mp3]);
    assert_eq!(items[0]["tags"]["genre"], mutagen);
    assert_eq!(items[0]["tags"]["title"], "Episode");
}
