//! `castkit init`: a catalogue scaffolded from a media folder of real audio (copies of the probe fixtures,
//! tagged by mutagen), on which `castkit build-feed` succeeds without edits. The feed is read back by
//! feedparser, the catalogue by Python's tomllib, sizes by the file system: none of them castkit's code.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::support::{
    ShowDir, assert_feed_validates_clean, audio_fixtures, have_python_module, python_json,
    stderr_of,
};

/// Writes ID3v2.4 frames with mutagen: `argv[2]` is a JSON object of frame id → text.
const TAG_ID3: &str = r#"
import json, sys
from mutagen.id3 import ID3, Frames
tag = ID3()
for frame_id, text in json.loads(sys.argv[2]).items():
    tag.add(Frames[frame_id](encoding=3, text=[text]))
tag.save(sys.argv[1], v2_version=4)
"#;

/// The catalogue as Python's tomllib reads it (TOML dates become text).
const READ_TOML: &str = r#"
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    print(json.dumps(tomllib.load(f), default=str))
"#;

/// Each feed item as feedparser reads it.
const READ_FEED: &str = r#"
import calendar, json, sys, feedparser
d = feedparser.parse(sys.argv[1])
assert not d.bozo, d.bozo_exception
print(json.dumps({
    "feed": {"title": d.feed.title, "link": d.feed.link},
    "items": [{
        "title": e.title,
        "season": e.get("itunes_season"),
        "episode": e.get("itunes_episode"),
        "published": calendar.timegm(e.published_parsed),
        "enclosures": [{"href": x.href, "length": int(x.length), "type": x.type} for x in e.enclosures],
    } for e in d.entries],
}))
"#;

fn copy_fixture(show: &ShowDir, fixture: &str, name: &str) {
    std::fs::copy(
        audio_fixtures(fixture),
        show.path().join("media").join(name),
    )
    .unwrap();
}

fn tag(show: &ShowDir, name: &str, frames: &str) {
    let out = std::process::Command::new("python3")
        .args(["-c", TAG_ID3])
        .arg(show.path().join("media").join(name))
        .arg(frames)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

fn set_mtime(path: &Path, unix_seconds: u64) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(unix_seconds))
        .unwrap();
}

fn size(show: &ShowDir, name: &str) -> u64 {
    std::fs::metadata(show.path().join("media").join(name))
        .unwrap()
        .len()
}

/// 2023-04-05 00:00 in Tokyo (UTC+9 all year) is 2023-04-04 15:00 UTC.
const TOKYO_MIDNIGHT_2023_04_05: i64 = 1_680_620_400;
/// 2023-06-01 10:30 in Tokyo is 01:30 UTC.
const TOKYO_2023_06_01_1030: i64 = 1_685_583_000;
/// The modification time given to the file whose tags have no date: 2022-01-02 03:04:05 UTC.
const MTIME: u64 = 1_641_092_645;

/// A show folder as a producer has it: numbered names of several shapes, tags of several kinds, companions,
/// a second rendition, a file that is not audio, and two files claiming the same number.
fn producer_folder() -> ShowDir {
    let show = ShowDir::new();
    copy_fixture(&show, "cbr64-info.mp3", "5.4 Rural roads.mp3");
    std::fs::write(
        show.path().join("media/5.4 Rural roads.chapters.txt"),
        "00:00 Intro\n00:01 The roads\n",
    )
    .unwrap();
    std::fs::write(
        show.path().join("media/5.4 Rural roads.srt"),
        "1\n00:00:00,000 --> 00:00:01,500\nHello.\n",
    )
    .unwrap();
    set_mtime(&show.path().join("media/5.4 Rural roads.mp3"), MTIME);

    copy_fixture(&show, "vbr-xing.mp3", "Ep 12 - Interview.mp3");
    tag(
        &show,
        "Ep 12 - Interview.mp3",
        r#"{"TIT2": "An interview with Ada", "TDRC": "2023-04-05", "TALB": "Roads Show", "TPE1": "Ada Host", "TCON": "Technology"}"#,
    );

    copy_fixture(&show, "mono-cbr48.mp3", "bonus.mp3");
    tag(
        &show,
        "bonus.mp3",
        r#"{"TIT2": "Bonus round", "TRCK": "7/10", "TPOS": "2", "TDRC": "2023-06-01T10:30:00", "TALB": "Roads Show", "TPE1": "Ada Host"}"#,
    );

    copy_fixture(&show, "abr56.mp3", "extra.mp3");
    tag(
        &show,
        "extra.mp3",
        r#"{"TIT2": "Extra", "TRCK": "12", "TDRC": "2023-04-05"}"#,
    );

    copy_fixture(&show, "aac.m4a", "S02E03 The Return.m4a");
    copy_fixture(&show, "opus.opus", "S02E03 The Return.opus");
    set_mtime(&show.path().join("media/S02E03 The Return.m4a"), MTIME);

    copy_fixture(&show, "text-named.mp3", "notes.mp3");
    show
}

fn tools() -> bool {
    have_python_module("mutagen")
        && have_python_module("feedparser")
        && have_python_module("tomllib")
}

#[test]
fn init_with_title_and_base_url_gives_a_catalogue_build_feed_accepts_unedited() {
    if !tools() {
        return;
    }
    let show = producer_folder();
    let out = show
        .castkit()
        .env("TZ", "Asia/Tokyo")
        .args([
            "init",
            "--title",
            "Roads",
            "--base-url",
            "https://cdn.example.org/roads",
        ])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("wrote `./episodes.toml` with 5 episodes"),
        "{err}"
    );
    assert!(
        err.contains("left out `./media/notes.mp3` is not an audio file castkit can read"),
        "the text file named .mp3 is reported: {err}"
    );
    assert!(show.temp_leftovers().is_empty());
    let text = show.read_catalogue();

    // Every warning points at a line that holds its TODO.
    let lines: Vec<&str> = text.lines().collect();
    let mut todo_lines = 0;
    for warning in err
        .lines()
        .filter(|l| l.starts_with("warning: ./episodes.toml:"))
    {
        let line: usize = warning["warning: ./episodes.toml:".len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            lines[line - 1].contains("TODO"),
            "{warning}: {}",
            lines[line - 1]
        );
        todo_lines += 1;
    }
    assert_eq!(
        todo_lines,
        text.lines().filter(|l| l.contains("# TODO:")).count(),
        "every TODO is announced once:\n{err}"
    );
    assert!(err.contains("`description`"), "{err}");

    // Valid TOML, as Python reads it.
    let toml = python_json(READ_TOML, &show.path().join("episodes.toml"));
    assert_eq!(toml["show"]["title"], "Roads");
    assert_eq!(
        toml["show"]["feed_url"],
        "https://cdn.example.org/roads/feed.xml"
    );
    assert_eq!(
        toml["show"]["media_base_url"],
        "https://cdn.example.org/roads/media/"
    );
    assert_eq!(toml["show"]["image"], "media/cover.jpg");
    // The genre tag names an Apple category; the artist tag is the author.
    assert_eq!(
        toml["show"]["categories"],
        serde_json::json!(["Technology"])
    );
    assert_eq!(toml["show"]["author"], "Ada Host");
    let episodes = toml["episode"].as_array().unwrap();
    let audio: Vec<&str> = episodes
        .iter()
        .map(|e| e["audio"].as_str().unwrap())
        .collect();
    // Natural order; the Opus file is the M4A episode's second rendition, not an episode.
    assert_eq!(
        audio,
        [
            "media/5.4 Rural roads.mp3",
            "media/bonus.mp3",
            "media/Ep 12 - Interview.mp3",
            "media/extra.mp3",
            "media/S02E03 The Return.m4a",
        ]
    );
    assert_eq!(
        episodes[0]["chapters"],
        "media/5.4 Rural roads.chapters.txt"
    );
    assert_eq!(
        episodes[0]["transcript"],
        serde_json::json!([{"file": "media/5.4 Rural roads.srt", "vtt": true}])
    );
    assert_eq!(
        episodes[4]["alternate"][0]["audio"],
        "media/S02E03 The Return.opus"
    );
    // extra.mp3's TRCK 12 is Ep 12's number already: left out, with a TODO, so the build is not refused.
    assert!(episodes[3].get("number").is_none(), "{:?}", episodes[3]);

    let out = show.castkit().args(["build-feed"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_feed_validates_clean(&show);

    let feed = python_json(READ_FEED, &show.path().join("public/feed.xml"));
    assert_eq!(feed["feed"]["title"], "Roads");
    let items = feed["items"].as_array().unwrap();
    let by_title = |title: &str| {
        items
            .iter()
            .find(|i| i["title"] == title)
            .unwrap_or_else(|| panic!("no item `{title}` in {items:#?}"))
    };
    // (title, file, season, number, published)
    type Expected<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, i64);
    let expected: [Expected<'_>; 5] = [
        (
            "Rural roads",
            "5.4 Rural roads.mp3",
            Some("5"),
            Some("4"),
            MTIME as i64,
        ),
        (
            "An interview with Ada",
            "Ep 12 - Interview.mp3",
            None,
            Some("12"),
            TOKYO_MIDNIGHT_2023_04_05,
        ),
        (
            "Bonus round",
            "bonus.mp3",
            Some("2"),
            Some("7"),
            TOKYO_2023_06_01_1030,
        ),
        ("Extra", "extra.mp3", None, None, TOKYO_MIDNIGHT_2023_04_05),
        (
            "The Return",
            "S02E03 The Return.m4a",
            Some("2"),
            Some("3"),
            MTIME as i64,
        ),
    ];
    assert_eq!(items.len(), expected.len());
    for (title, file, season, number, published) in expected {
        let item = by_title(title);
        assert_eq!(item["season"].as_str(), season, "{title}");
        assert_eq!(item["episode"].as_str(), number, "{title}");
        assert_eq!(item["published"], published, "{title}");
        let enclosure = &item["enclosures"][0];
        assert_eq!(enclosure["length"], size(&show, file), "{title}");
        assert_eq!(
            enclosure["href"],
            format!(
                "https://cdn.example.org/roads/media/{}",
                file.replace(' ', "%20")
            ),
            "{title}"
        );
    }
}

#[test]
fn every_field_has_a_comment_and_the_text_is_toml() {
    if !tools() {
        return;
    }
    let show = producer_folder();
    let out = show
        .castkit()
        .args(["init", "--stdout", "--email", "me@example.org"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !show.path().join("episodes.toml").exists(),
        "--stdout writes nothing"
    );
    let mut previous = "";
    let mut fields = 0;
    for line in text.lines() {
        let is_field = !line.is_empty() && !line.starts_with('#') && !line.starts_with('[');
        if is_field {
            assert!(
                previous.starts_with("# "),
                "`{line}` has no comment above it:\n{text}"
            );
            fields += 1;
        }
        previous = line;
    }
    assert!(fields > 30, "{text}");
    // Python agrees it is TOML; without --title the show is named by the album most files are tagged with.
    let path = show.path().join("printed.toml");
    std::fs::write(&path, &text).unwrap();
    let toml = python_json(READ_TOML, &path);
    assert_eq!(toml["show"]["title"], "Roads Show");
    assert_eq!(
        toml["show"]["owner"],
        serde_json::json!({"name": "Ada Host", "email": "me@example.org"})
    );
    // The placeholder address is marked, on each of its lines.
    for key in ["link = ", "feed_url = ", "media_base_url = "] {
        let line = text.lines().find(|l| l.starts_with(key)).unwrap();
        assert!(
            line.contains("example.com") && line.contains("# TODO:"),
            "{line}"
        );
    }
}

#[test]
fn init_never_overwrites_a_catalogue() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    show.catalogue("# mine\n");
    let out = show
        .castkit()
        .args(["init", "--title", "X", "--base-url", "https://example.org/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("episodes.toml` already exists; castkit init never overwrites a catalogue"),
        "{err}"
    );
    assert_eq!(show.read_catalogue(), "# mine\n");
    assert!(show.temp_leftovers().is_empty());
    // A catalogue somewhere else is untouched too: DIR names the folder.
    let other = tempfile::tempdir().unwrap();
    let out = crate::support::castkit()
        .current_dir(other.path())
        .arg("init")
        .arg(show.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_eq!(show.read_catalogue(), "# mine\n");
}

#[test]
fn a_folder_without_media_is_refused_and_an_empty_media_folder_gives_a_show_only_catalogue() {
    let bare = tempfile::tempdir().unwrap();
    let out = crate::support::castkit()
        .current_dir(bare.path())
        .args(["init", "--title", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("media` is not a folder; create it"),
        "{}",
        stderr_of(&out)
    );
    assert!(!bare.path().join("episodes.toml").exists());

    let show = ShowDir::new();
    let out = show
        .castkit()
        .args([
            "init",
            "--title",
            "X",
            "--base-url",
            "https://example.org/x/",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("no audio was found in media/"));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("warning[C024]"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn bad_show_facts_are_refused_with_the_fix_and_nothing_is_written() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    for (args, expected) in [
        (
            &["--category", "Technolgy"][..],
            "`Technolgy` is not one of Apple's podcast categories; did you mean `Technology`?",
        ),
        (
            &["--category", "Business > Finance"][..],
            "Apple retired it in 2019; use `Business > Investing`",
        ),
        (
            &["--base-url", "example.org/show"][..],
            "`--base-url example.org/show` is not an absolute http(s) URL",
        ),
        (
            &["--email", "me"][..],
            "`--email me` is not an email address",
        ),
        (
            &["--language", "english"][..],
            "`--language english` is not an ISO 639 language code",
        ),
    ] {
        let out = show.castkit().arg("init").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr_of(&out).contains(expected), "{}", stderr_of(&out));
        assert!(!show.path().join("episodes.toml").exists());
    }
}
