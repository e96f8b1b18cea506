//! `castkit probe` on Ogg (Vorbis, Opus, FLAC) and FLAC files against independent truth: chained, grouped
//! and cut-down Ogg files whose lengths come from full decodes (ffmpeg, and libvorbisfile through sox), tags
//! written by ffmpeg and mutagen read back by mutagen, ffprobe and tinytag, and codecs as ffprobe names them.
//! The fixtures and their manifest are made by `scripts/make-vorbis-fixtures.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{
    audio_fixtures, castkit, ffmpeg_decoded_samples, fixture_manifest, have_python_module,
    have_tool, probe_json, python_json, python_run,
};

fn fixtures() -> PathBuf {
    audio_fixtures("vorbis")
}

fn manifest() -> serde_json::Map<String, Value> {
    fixture_manifest(&fixtures())
}

fn probe_one(path: &Path) -> Value {
    probe_json(&[path.to_path_buf()]).1.remove(0)
}

fn file_name(item: &Value) -> &str {
    item["path"].as_str().unwrap().rsplit('/').next().unwrap()
}

fn warnings(item: &Value) -> Vec<&str> {
    item["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect()
}

/// Samples per channel of a full decode by sox (libvorbisfile for Ogg Vorbis).
fn sox_samples(path: &Path) -> u64 {
    let pcm = Command::new("sox")
        .arg(path)
        .args(["-t", "s16", "-c", "1", "-"])
        .output()
        .unwrap();
    assert!(
        pcm.status.success(),
        "{}",
        String::from_utf8_lossy(&pcm.stderr)
    );
    pcm.stdout.len() as u64 / 2
}

#[test]
fn every_vorbis_fixture_agrees_with_its_decodes() {
    let manifest = manifest();
    let files: Vec<PathBuf> = manifest.keys().map(|name| fixtures().join(name)).collect();
    assert!(files.len() >= 12, "the manifest lists the fixtures");
    let (_, items) = probe_json(&files);
    for item in &items {
        let name = file_name(item);
        let truth = &manifest[name];
        if name == "chained-rates.ogg" {
            continue; // refused, below
        }
        assert_eq!(item["error"], Value::Null, "{name}");
        assert_eq!(item["samples"], truth["samples"], "{name}: samples");
        assert_eq!(item["sample_rate"], truth["sample_rate"], "{name}");
        assert_eq!(item["channels"], truth["channels"], "{name}");
        assert_eq!(item["codec"], truth["codec_name"], "{name}");
        assert_eq!(item["size_bytes"], truth["size_bytes"], "{name}");
        assert_eq!(item["duration_source"], Value::Null, "{name}: not a key");
        let chained = warnings(item)
            .iter()
            .any(|w| w.starts_with("chained Ogg: 2 streams one after another"));
        assert_eq!(
            chained,
            truth.get("links").is_some(),
            "{name}: a chained file, and only a chained file, is said to be one: {:?}",
            warnings(item)
        );
    }
}

#[test]
fn a_chained_ogg_file_counts_every_link() {
    let manifest = manifest();
    let (_, items) = probe_json(&[
        fixtures().join("chained.ogg"),
        fixtures().join("chained.opus"),
        fixtures().join("chained-same-serial.opus"),
        fixtures().join("chained-vorbis-opus.ogg"),
    ]);
    for item in &items {
        let name = file_name(item);
        let links: u64 = manifest[name]["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_u64().unwrap())
            .sum();
        assert_eq!(
            item["samples"], links,
            "{name}: the links' own decodes, summed"
        );
        // The tags apps show are the first link's.
        assert_eq!(
            item["tags"]["title"], manifest[name]["tags"]["title"],
            "{name}"
        );
    }
    // libvorbisfile (through sox) decodes the chained Vorbis file whole, to the same count; ffmpeg decodes the
    // chained Opus file whole, to the same count (its chained Vorbis decode keeps 128 samples of overlap at the
    // join, and it stops at a change of codec, so it is not the truth for those).
    assert_eq!(
        manifest["chained.ogg"]["sox_chained_samples"],
        items[0]["samples"]
    );
    assert_eq!(
        manifest["chained.opus"]["ffmpeg_chained_samples"],
        items[1]["samples"]
    );
    if have_tool("sox") {
        assert_eq!(
            sox_samples(&fixtures().join("chained.ogg")),
            items[0]["samples"].as_u64().unwrap()
        );
    }
    if have_tool("ffmpeg") {
        assert_eq!(
            ffmpeg_decoded_samples(&fixtures().join("chained.opus")),
            items[1]["samples"].as_u64().unwrap()
        );
    }
    // One rate, two codecs: counted, and the difference said.
    assert!(
        warnings(&items[3]).iter().any(|w| w.contains("link 2")
            && w.contains("is opus")
            && w.contains("link 1 is vorbis")),
        "{:?}",
        warnings(&items[3])
    );
}

#[test]
fn chained_links_at_different_rates_are_refused_with_the_rates() {
    let path = fixtures().join("chained-rates.ogg");
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", "off")
        .arg("probe")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Where link 2 starts, found independently: the second capture pattern with the BOS flag.
    let bytes = std::fs::read(&path).unwrap();
    let second_bos = bytes
        .windows(6)
        .enumerate()
        .filter(|(_, w)| &w[..4] == b"OggS" && w[5] & 2 != 0)
        .nth(1)
        .unwrap()
        .0;
    for needle in [
        "chained-rates.ogg".to_owned(),
        format!("damaged at byte {second_bos}:"),
        format!("link 2 of this chained Ogg file starts at byte {second_bos} at 48000 Hz"),
        "link 1 is at 44100 Hz".to_owned(),
        "re-encode it as one stream".to_owned(),
    ] {
        assert!(stderr.contains(&needle), "missing {needle:?} in {stderr}");
    }
}

#[test]
fn grouped_streams_are_not_chained_and_only_the_audio_counts() {
    let (_, items) = probe_json(&[fixtures().join("grouped.ogg"), fixtures().join("video.ogg")]);
    assert!(
        warnings(&items[0])
            .iter()
            .any(|w| w.contains("holds 2 audio streams played together")),
        "{:?}",
        warnings(&items[0])
    );
    assert!(warnings(&items[1]).is_empty(), "{:?}", warnings(&items[1]));
    if have_tool("ffmpeg") {
        for item in &items {
            let path = fixtures().join(file_name(item));
            assert_eq!(
                item["samples"].as_u64().unwrap(),
                ffmpeg_decoded_samples(&path)
            );
        }
    }
}

#[test]
fn a_stream_that_starts_past_granule_zero_counts_from_its_start() {
    let manifest = manifest();
    let (_, items) = probe_json(&[
        fixtures().join("start-offset.ogg"),
        fixtures().join("start-offset.opus"),
    ]);
    // Recorded by libvorbisfile as well as ffmpeg.
    assert_eq!(
        manifest["start-offset.ogg"]["sox_samples"],
        items[0]["samples"]
    );
    if have_tool("ffmpeg") {
        for item in &items {
            let path = fixtures().join(file_name(item));
            assert_eq!(
                item["samples"].as_u64().unwrap(),
                ffmpeg_decoded_samples(&path)
            );
        }
    }
    if have_tool("sox") {
        assert_eq!(
            sox_samples(&fixtures().join("start-offset.ogg")),
            items[0]["samples"].as_u64().unwrap()
        );
    }
}

#[test]
fn codec_tells_opus_vorbis_and_flac_apart_as_ffprobe_does() {
    if !have_tool("ffprobe") {
        return;
    }
    let files = [
        fixtures().join("tagged.ogg"),
        fixtures().join("tagged.opus"),
        fixtures().join("tagged-flac.oga"),
        fixtures().join("tagged.flac"),
        audio_fixtures("vorbis.ogg"),
        audio_fixtures("opus.opus"),
    ];
    let (_, items) = probe_json(&files);
    let mut seen = Vec::new();
    for (item, path) in items.iter().zip(&files) {
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-select_streams", "a:0", "-show_entries"])
            .args(["stream=codec_name", "-of", "csv=p=0"])
            .arg(path)
            .output()
            .unwrap();
        let codec = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert_eq!(item["codec"], codec.as_str(), "{}", path.display());
        assert_eq!(
            item["format"],
            if codec == "flac" && path.extension().unwrap() == "flac" {
                "flac"
            } else {
                "ogg"
            }
        );
        seen.push(codec);
    }
    assert_eq!(seen, ["vorbis", "opus", "flac", "flac", "vorbis", "opus"]);
}

/// Reads the tags castkit reports with mutagen: the first value of each field, whether a picture is present,
/// and the number of `CHAPTERnnn` comments.
const MUTAGEN_TAGS: &str = r#"
import json, sys, mutagen
f = mutagen.File(sys.argv[1])
first = lambda key: (f.tags.get(key) or [None])[0]
pictures = len(getattr(f, "pictures", [])) + len(f.tags.get("metadata_block_picture", []))
print(json.dumps({
    "title": first("title"), "artist": first("artist"), "album": first("album"),
    "track": first("tracknumber"), "date": first("date"), "genre": first("genre"),
    "comment": first("comment") or first("description"), "has_cover": pictures > 0,
    "chapters": sum(1 for k in f.tags.keys() if len(k) == 10 and k.lower().startswith("chapter") and k[7:].isdigit()),
}))
"#;

/// The same with tinytag (no chapters).
const TINYTAG_TAGS: &str = r#"
import json, sys
from tinytag import TinyTag
t = TinyTag.get(sys.argv[1], image=True)
print(json.dumps({
    "title": t.title, "artist": t.artist, "album": t.album,
    "track": None if t.track is None else str(t.track), "date": t.year, "genre": t.genre,
    "comment": t.comment, "has_cover": t.images.any is not None,
}))
"#;

fn tags_of(item: &Value, keys: &[&str]) -> Value {
    keys.iter()
        .map(|k| ((*k).to_owned(), item["tags"][k].clone()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

const TEXT_KEYS: [&str; 8] = [
    "title",
    "artist",
    "album",
    "track",
    "date",
    "genre",
    "comment",
    "has_cover",
];

#[test]
fn native_tags_agree_with_mutagen_tinytag_and_ffprobe() {
    let names = [
        "tagged.ogg",
        "tagged.opus",
        "tagged-flac.oga",
        "tagged.flac",
    ];
    let files: Vec<PathBuf> = names.iter().map(|n| fixtures().join(n)).collect();
    let (_, items) = probe_json(&files);
    let manifest = manifest();
    for (item, path) in items.iter().zip(&files) {
        let name = file_name(item);
        assert_eq!(item["tags"]["native"], "vorbis", "{name}");
        assert_eq!(item["tags"]["id3_version"], Value::Null, "{name}");
        // The fixtures really are tagged: every field, a cover, and chapters where the manifest has them.
        assert_eq!(item["tags"]["title"], "Épisode 1", "{name}");
        assert_eq!(item["tags"]["has_cover"], true, "{name}");
        let truth = &manifest[name]["tags"];
        assert_eq!(item["tags"]["chapters"], truth["chapters"], "{name}");
        if have_python_module("mutagen") {
            let mut keys = TEXT_KEYS.to_vec();
            keys.push("chapters");
            assert_eq!(
                tags_of(item, &keys),
                python_json(MUTAGEN_TAGS, path),
                "{name}: mutagen"
            );
        }
        if have_python_module("tinytag") {
            assert_eq!(
                tags_of(item, &TEXT_KEYS),
                python_json(TINYTAG_TAGS, path),
                "{name}: tinytag"
            );
        }
        if have_tool("ffprobe") {
            let out = Command::new("ffprobe")
                .args([
                    "-v",
                    "error",
                    "-show_entries",
                    "format_tags:stream_tags:stream_disposition=attached_pic",
                ])
                .args(["-show_chapters", "-of", "json"])
                .arg(path)
                .output()
                .unwrap();
            let probe: Value = serde_json::from_slice(&out.stdout).unwrap();
            let tag = |key: &str| {
                probe["format"]["tags"][key]
                    .as_str()
                    .or_else(|| probe["streams"][0]["tags"][key].as_str())
                    .map(str::to_owned)
            };
            for (ours, theirs) in [
                ("title", "title"),
                ("artist", "artist"),
                ("album", "album"),
                ("track", "track"),
                ("date", "date"),
                ("genre", "genre"),
                ("comment", "comment"),
            ] {
                assert_eq!(
                    item["tags"][ours],
                    json!(tag(theirs)),
                    "{name}: ffprobe {theirs}"
                );
            }
            let covers = probe["streams"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["disposition"]["attached_pic"] == 1)
                .count();
            assert_eq!(
                item["tags"]["has_cover"],
                covers > 0,
                "{name}: ffprobe cover"
            );
            // ffmpeg reads the chapter comments of Vorbis, Opus and native FLAC (not of FLAC in Ogg).
            if name != "tagged-flac.oga" {
                let chapters = probe["chapters"].as_array().unwrap().len();
                assert_eq!(
                    item["tags"]["chapters"], chapters,
                    "{name}: ffprobe chapters"
                );
            }
        }
    }
}

/// mutagen rewrites a copy of an Opus fixture with a picture of several megabytes *before* the title, so the
/// comment packet spans many pages and the title comes after the picture.
#[test]
fn a_big_picture_before_the_title_is_skipped_and_the_title_read() {
    if !have_python_module("mutagen") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-cover.opus");
    std::fs::copy(fixtures().join("tagged.opus"), &path).unwrap();
    let script = r#"
import base64, json, os, sys
from mutagen.flac import Picture
from mutagen.oggopus import OggOpus
f = OggOpus(sys.argv[1])
f.delete()
p = Picture()
p.type = 3
p.mime = "image/png"
p.data = os.urandom(3 * 1024 * 1024)
f["METADATA_BLOCK_PICTURE"] = [base64.b64encode(p.write()).decode("ascii")]
f["TITLE"] = ["After a big picture"]
f.save()
print(json.dumps({"title": OggOpus(sys.argv[1])["title"][0], "size": os.path.getsize(sys.argv[1])}))
"#;
    let written = python_json(script, &path);
    // The picture really comes first in the comment packet.
    let bytes = std::fs::read(&path).unwrap();
    let at = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    assert!(at(b"METADATA_BLOCK_PICTURE=") < at(b"TITLE=After"));
    assert!(written["size"].as_u64().unwrap() > 4_000_000);
    let item = probe_one(&path);
    assert_eq!(item["tags"]["title"], written["title"]);
    assert_eq!(item["tags"]["has_cover"], true);
    assert_eq!(item["samples"], manifest()["tagged.opus"]["samples"]);
    assert!(warnings(&item).is_empty(), "{:?}", warnings(&item));
}

#[test]
fn a_cut_ogg_or_flac_file_warns_and_never_crashes() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "chained.opus",
        "tagged.ogg",
        "tagged.flac",
        "tagged-flac.oga",
    ] {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        // Cut in the headers, the comment packet, the middle and just before the end. (Native FLAC only in
        // its metadata blocks: its length is STREAMINFO's, the audio frames are not walked.)
        let cuts = if name == "tagged.flac" {
            vec![60, 200, 700]
        } else {
            vec![60, 200, 700, bytes.len() / 2, bytes.len() - 1]
        };
        for cut in cuts {
            let path = dir.path().join(format!("{cut}-{name}"));
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let out = castkit()
                .env("CASTKIT_CACHE_DIR", "off")
                .args(["probe", "--json"])
                .arg(&path)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            let code = out.status.code();
            assert!(matches!(code, Some(0 | 1)), "{name} cut at {cut}: {code:?}");
            let item: Value = serde_json::from_slice::<Vec<Value>>(&out.stdout)
                .unwrap()
                .remove(0);
            assert!(
                item["error"] != Value::Null || !warnings(&item).is_empty(),
                "{name} cut at {cut}: neither an error nor a warning: {item}"
            );
        }
    }
}

/// Some taggers put an ID3v2 tag in front of a FLAC file. The FLAC metadata is read from where the probe
/// found the stream to start, as mutagen reads it.
#[test]
fn flac_tags_behind_an_id3v2_tag_are_read_as_mutagen_reads_them() {
    if !have_python_module("mutagen") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let id3 = dir.path().join("tag.id3");
    std::fs::write(&id3, b"").unwrap();
    python_run(
        "import sys\nfrom mutagen.id3 import ID3, TIT2\nt = ID3()\nt.add(TIT2(encoding=3, text='ID3 title'))\nt.save(sys.argv[1])",
        &id3,
    );
    let flac = dir.path().join("tagged.flac");
    let mut bytes = std::fs::read(&id3).unwrap();
    assert!(bytes.starts_with(b"ID3"), "mutagen wrote an ID3v2 tag");
    bytes.extend(std::fs::read(fixtures().join("tagged.flac")).unwrap());
    std::fs::write(&flac, bytes).unwrap();
    let mutagen = python_json(MUTAGEN_TAGS, &flac);
    assert_eq!(
        mutagen["title"], "Épisode 1",
        "mutagen reads the FLAC comments"
    );
    let (code, items) = probe_json([&flac]);
    assert_eq!(code, 0);
    let mut keys = TEXT_KEYS.to_vec();
    keys.push("chapters");
    assert_eq!(tags_of(&items[0], &keys), mutagen);
}
