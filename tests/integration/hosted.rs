//! Episodes whose audio is hosted elsewhere (an imported show's media left on its old host): the catalogue
//! states the enclosure, the feed carries it verbatim, and a local file is checked against what is stated.

use crate::support::{SHOW, ShowDir, have_python_module, python_json, stderr_of};

/// An episode on another host, with chapters and a transcript published there too.
const HOSTED: &str = r#"
[[episode]]
title = "From the old host"
audio = "https://media.example.net/shows/t/ep-1.mp3?source=feed"
audio_length = 31234567
audio_type = "audio/mpeg"
duration = "1:02:03"
published = 2023-02-01T06:30:00-05:00
guid = "tag:old-host,2023:1"
notes = "Moved in from the old host."
chapters = "https://media.example.net/shows/t/ep-1.json"

[[episode.transcript]]
file = "https://media.example.net/shows/t/ep-1.srt"
language = "en"
"#;

#[test]
fn hosted_audio_is_published_as_the_catalogue_states_it() {
    let show = ShowDir::new();
    show.catalogue(&format!("{SHOW}{HOSTED}"));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    if !have_python_module("feedparser") {
        return;
    }
    let read = python_json(
        r#"
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
e = d.entries[0]
enc = e.enclosures[0]
print(json.dumps({"bozo": d.bozo, "id": e.id, "url": enc.href, "length": enc.length, "type": enc.type,
    "duration": e.get("itunes_duration"), "published": list(e.published_parsed)[:6]}))
"#,
        &show.path().join("public/feed.xml"),
    );
    assert_eq!(read["bozo"], false);
    assert_eq!(read["id"], "tag:old-host,2023:1");
    assert_eq!(
        read["url"],
        "https://media.example.net/shows/t/ep-1.mp3?source=feed"
    );
    assert_eq!(read["length"], "31234567");
    assert_eq!(read["type"], "audio/mpeg");
    assert_eq!(read["duration"], "3723");
    // 06:30 at -05:00 is 11:30 UTC.
    assert_eq!(
        read["published"],
        serde_json::json!([2023, 2, 1, 11, 30, 0])
    );
    let feed = show.feed().unwrap();
    assert!(feed.contains(r#"<podcast:chapters url="https://media.example.net/shows/t/ep-1.json" type="application/json+chapters"/>"#), "{feed}");
    assert!(feed.contains(r#"<podcast:transcript url="https://media.example.net/shows/t/ep-1.srt" type="application/x-subrip" language="en" rel="captions"/>"#), "{feed}");
    // castkit writes no chapters file of its own for chapters published elsewhere.
    assert!(!show.path().join("public/chapters").exists());
}

#[test]
fn hosted_audio_without_its_length_and_type_is_an_error_at_its_line() {
    let show = ShowDir::new();
    let text = format!("{SHOW}{HOSTED}")
        .replace("audio_length = 31234567\n", "")
        .replace("audio_type = \"audio/mpeg\"\n", "");
    show.catalogue(&text);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("error[C004]"), "{err}");
    assert!(
        err.contains("does not state `audio_length` (its size in bytes) or `audio_type`"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("audio = \"https"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("episodes.toml:{line}:9")), "{err}");
    assert!(show.feed().is_none());
}

#[test]
fn hosted_audio_cannot_be_tagged_or_give_id3_chapters() {
    let show = ShowDir::new();
    show.catalogue(&format!("{SHOW}{HOSTED}"));
    let out = show.castkit().arg("tag").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the audio is hosted elsewhere"));

    let text = format!("{SHOW}{HOSTED}").replace(
        "chapters = \"https://media.example.net/shows/t/ep-1.json\"",
        "chapters = \"id3\"",
    );
    show.catalogue(&text);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("reads the chapters from the audio file, and the audio is a URL")
    );
}

#[test]
fn a_local_file_is_checked_against_what_the_catalogue_states() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    let size = std::fs::metadata(show.path().join("media/one.mp3"))
        .unwrap()
        .len();
    let text = format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\naudio_length = {size}\naudio_type = \"audio/mpeg\"\npublished = 2024-03-01T09:00:00Z\nguid = \"one\"\nnotes = \"n\"\n"
    );
    show.catalogue(&text);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("C035"), "{}", stderr_of(&out));

    // Stated as published before the file was re-tagged: one byte off is reported, and the feed carries the
    // file's real length.
    show.catalogue(&text.replace(
        &format!("audio_length = {size}"),
        &format!("audio_length = {}", size + 1),
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("warning[C035]"),
        "{}",
        stderr_of(&out)
    );
    assert!(show.feed().unwrap().contains(&format!("length=\"{size}\"")));
}
