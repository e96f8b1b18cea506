//! Chapters, transcripts, soundbites, trailers and alternate renditions: from the catalogue to every format
//! apps read, each read back with a parser independent of castkit's writers (serde_json for JSON chapters,
//! roxmltree for the feed, ffmpeg for the files it makes).

use std::process::Command;

use crate::support::{EXAMPLE_MP3, SHOW, ShowDir, have_tool, stderr_of};

const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
const PSC: &str = "http://podlove.org/simple-chapters";

fn item_children<'a>(
    doc: &'a roxmltree::Document<'a>,
    ns: &'a str,
    name: &'a str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
        })
        .collect()
}

fn episode_with(extra: &str) -> String {
    format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"ep-1\"\n{extra}"
    )
}

fn build(show: &ShowDir) -> std::process::Output {
    show.castkit().arg("build-feed").output().unwrap()
}

/// The exact decoded duration of the example MP3 in milliseconds, by ffmpeg (independent of castkit).
fn ffmpeg_duration_ms(path: &std::path::Path) -> Option<u64> {
    if !have_tool("ffmpeg") {
        return None;
    }
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-ac", "1", "-ar", "16000", "-"])
        .output()
        .unwrap();
    Some((out.stdout.len() as u64 / 2) * 1000 / 16_000)
}

#[test]
fn inline_chapters_become_json_chapters_podlove_chapters_and_agree() {
    let show = ShowDir::new();
    std::fs::copy(
        show.path().join("media/cover.jpg"),
        show.path().join("media/ch2.jpg"),
    )
    .unwrap();
    show.audio("one.mp3").catalogue(&episode_with(
        r#"
[[episode.chapter]]
start = "00:00"
title = "Opening"

[[episode.chapter]]
start = "00:41.250"
title = "The strategy & <why>"
url = "https://example.com/strategy"
image = "media/ch2.jpg"

[[episode.chapter]]
start = 95
title = "Sponsor"
hidden = true

[[episode.chapter]]
start = "1:50"
title = "Closing"
"#,
    ));
    let out = build(&show);
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    assert!(stderr_of(&out).contains("wrote `public/chapters/ep-1.json`"));

    // JSON chapters, read with serde_json.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(show.path().join("public/chapters/ep-1.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["version"], "1.2.0");
    let chapters = json["chapters"].as_array().unwrap();
    let starts: Vec<f64> = chapters
        .iter()
        .map(|c| c["startTime"].as_f64().unwrap())
        .collect();
    assert_eq!(starts, [0.0, 41.25, 95.0, 110.0]);
    assert_eq!(chapters[1]["title"], "The strategy & <why>");
    assert_eq!(chapters[1]["url"], "https://example.com/strategy");
    assert_eq!(
        chapters[1]["img"],
        "https://cdn.example.com/show/media/ch2.jpg"
    );
    assert_eq!(chapters[2]["toc"], false);
    assert!(chapters[0].get("toc").is_none());
    // Each chapter ends where the next starts; the last at the exact duration of the audio.
    let ends: Vec<f64> = chapters
        .iter()
        .map(|c| c["endTime"].as_f64().unwrap())
        .collect();
    assert_eq!(&ends[..3], &[41.25, 95.0, 110.0]);
    if let Some(ms) = ffmpeg_duration_ms(&show.path().join("media/one.mp3")) {
        // Within one MPEG-2 Layer III frame (576 samples at 16 kHz = 36 ms).
        let last = (ends[3] * 1000.0).round() as i64;
        assert!(
            (last - ms as i64).abs() <= 36,
            "last chapter ends at {last} ms, ffmpeg decodes {ms} ms"
        );
    }

    // The feed points at it, and carries Podlove Simple Chapters for the listed (not hidden) chapters.
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let pc = &item_children(&doc, PODCAST, "chapters")[0];
    assert_eq!(
        pc.attribute("url"),
        Some("https://example.com/show/chapters/ep-1.json")
    );
    assert_eq!(pc.attribute("type"), Some("application/json+chapters"));
    let psc: Vec<(&str, &str)> = item_children(&doc, PSC, "chapter")
        .iter()
        .map(|c| (c.attribute("start").unwrap(), c.attribute("title").unwrap()))
        .collect();
    assert_eq!(
        psc,
        [
            ("00:00:00.000", "Opening"),
            ("00:00:41.250", "The strategy & <why>"),
            ("00:01:50.000", "Closing"),
        ]
    );
    assert_eq!(
        item_children(&doc, PSC, "chapters")[0].attribute("version"),
        Some("1.2")
    );
}

#[test]
fn chapters_past_the_end_of_the_audio_are_an_error() {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(&episode_with(
        "\n[[episode.chapter]]\nstart = \"0:00\"\ntitle = \"A\"\n\n[[episode.chapter]]\nstart = \"59:00\"\ntitle = \"Too late\"\n",
    ));
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("error[C028]")
            && err.contains("chapter 2 starts at 00:59:00.000, but the audio ends at"),
        "{err}"
    );
    assert!(show.feed().is_none());
    assert!(
        !show.path().join("public/chapters").exists(),
        "no side file may be written by a failed build"
    );
}

#[test]
fn chapter_lists_must_start_at_zero_and_increase() {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(&episode_with(
        "\n[[episode.chapter]]\nstart = \"0:05\"\ntitle = \"A\"\n\n[[episode.chapter]]\nstart = \"0:05\"\ntitle = \"\"\n",
    ));
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stderr_of(&out));
}

#[test]
fn chapters_from_a_json_file_a_text_list_and_the_show_notes() {
    let show = ShowDir::new();
    show.audio("one.mp3").audio("two.mp3").audio("three.mp3");
    std::fs::write(
        show.path().join("one.chapters.json"),
        r#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":12.5,"title":"Body","url":"https://example.com/b"}]}"#,
    )
    .unwrap();
    std::fs::write(
        show.path().join("two.chapters.txt"),
        "00:00 Start\n(00:30) Middle\n1:00 - End\n",
    )
    .unwrap();
    show.catalogue(&format!(
        r#"{SHOW}
[[episode]]
title = "One"
audio = "media/one.mp3"
published = 2024-03-01T09:00:00Z
guid = "one"
chapters = "one.chapters.json"

[[episode]]
title = "Two"
audio = "media/two.mp3"
published = 2024-03-02T09:00:00Z
guid = "two"
chapters = "two.chapters.txt"

[[episode]]
title = "Three"
audio = "media/three.mp3"
published = 2024-03-03T09:00:00Z
guid = "three"
notes = """
In this episode:

00:00 Welcome
00:45 The news
01:30 Goodbye
"""
"#
    ));
    let out = build(&show);
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    assert!(
        stderr_of(&out)
            .contains("info[C032]: episode #3: 3 chapters taken from the list in the show notes")
    );
    let read = |name: &str| -> Vec<(f64, String)> {
        let v: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(show.path().join("public/chapters").join(name)).unwrap(),
        )
        .unwrap();
        v["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["startTime"].as_f64().unwrap(),
                    c["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        read("one.json"),
        [(0.0, "Intro".to_owned()), (12.5, "Body".to_owned())]
    );
    assert_eq!(
        read("two.json"),
        [
            (0.0, "Start".to_owned()),
            (30.0, "Middle".to_owned()),
            (60.0, "End".to_owned())
        ]
    );
    assert_eq!(
        read("three.json"),
        [
            (0.0, "Welcome".to_owned()),
            (45.0, "The news".to_owned()),
            (90.0, "Goodbye".to_owned())
        ]
    );
}

#[test]
fn a_bad_line_in_a_chapter_list_points_into_that_file() {
    let show = ShowDir::new();
    std::fs::write(
        show.path().join("c.txt"),
        "00:00 Intro\nthis is not a chapter\n",
    )
    .unwrap();
    show.audio("one.mp3")
        .catalogue(&episode_with("chapters = \"c.txt\"\n"));
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stderr_of(&out));
}

#[test]
fn chapters_already_in_the_mp3_are_read_from_its_id3_tag() {
    if !have_tool("ffmpeg") {
        return;
    }
    let show = ShowDir::new();
    // ffmpeg writes ID3v2 CHAP frames (and a CTOC) from an ffmetadata file: an independent writer.
    std::fs::write(
        show.path().join("meta.txt"),
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=20000\ntitle=From ffmpeg\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=20000\nEND=60000\ntitle=Second part\n",
    )
    .unwrap();
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(crate::support::repo_root().join(EXAMPLE_MP3))
        .args(["-i"])
        .arg(show.path().join("meta.txt"))
        .args([
            "-map_metadata",
            "1",
            "-map_chapters",
            "1",
            "-c",
            "copy",
            "-id3v2_version",
            "3",
        ])
        .arg(show.path().join("media/one.mp3"))
        .status()
        .unwrap();
    assert!(status.success());
    show.catalogue(&episode_with("chapters = \"id3\"\n"));
    let out = build(&show);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(show.path().join("public/chapters/ep-1.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["chapters"][0]["title"], "From ffmpeg");
    assert_eq!(v["chapters"][1]["startTime"], 20.0);
    assert_eq!(v["chapters"][1]["title"], "Second part");
}

#[test]
fn transcripts_get_their_types_languages_captions_and_an_srt_becomes_vtt_on_request() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    std::fs::write(
        show.path().join("media/one.srt"),
        "1\n00:00:00,000 --> 00:00:03,500\nWhat are the goals of rural revitalization?\n\n2\n00:00:03,500 --> 00:00:09,000\nSecond cue.\n",
    )
    .unwrap();
    std::fs::write(
        show.path().join("media/one.html"),
        "<p>What are the goals…</p>\n",
    )
    .unwrap();
    show.catalogue(&episode_with(
        "\n[[episode.transcript]]\nfile = \"media/one.srt\"\nvtt = true\n\n[[episode.transcript]]\nfile = \"media/one.html\"\nlanguage = \"en-gb\"\n",
    ));
    let out = build(&show);
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let tags: Vec<(&str, &str, &str, Option<&str>)> = item_children(&doc, PODCAST, "transcript")
        .iter()
        .map(|t| {
            (
                t.attribute("url").unwrap(),
                t.attribute("type").unwrap(),
                t.attribute("language").unwrap(),
                t.attribute("rel"),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            (
                "https://cdn.example.com/show/media/one.srt",
                "application/x-subrip",
                "en",
                Some("captions")
            ),
            (
                "https://example.com/show/transcripts/ep-1.vtt",
                "text/vtt",
                "en",
                Some("captions")
            ),
            (
                "https://cdn.example.com/show/media/one.html",
                "text/html",
                "en-gb",
                None
            ),
        ]
    );
    let vtt = std::fs::read_to_string(show.path().join("public/transcripts/ep-1.vtt")).unwrap();
    assert!(
        vtt.starts_with("WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.500\n"),
        "{vtt}"
    );
    if have_tool("ffmpeg") {
        // ffmpeg's WebVTT demuxer reads the converted file: an independent check that it is valid WebVTT.
        let out = Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(show.path().join("public/transcripts/ep-1.vtt"))
            .args(["-f", "srt", "-"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back = String::from_utf8_lossy(&out.stdout);
        assert!(back.contains("00:00:03,500 --> 00:00:09,000"), "{back}");
    }
}

#[test]
fn transcripts_that_run_past_the_audio_or_lie_about_their_format_are_errors() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    std::fs::write(
        show.path().join("media/long.vtt"),
        "WEBVTT\n\n00:00.000 --> 10:00.000\nway too long\n",
    )
    .unwrap();
    std::fs::write(
        show.path().join("media/fake.vtt"),
        "1\n00:00:00,000 --> 00:00:01,000\nan SRT in disguise\n",
    )
    .unwrap();
    show.catalogue(&episode_with(
        "\n[[episode.transcript]]\nfile = \"media/long.vtt\"\n\n[[episode.transcript]]\nfile = \"media/fake.vtt\"\n",
    ));
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "`media/fake.vtt` is not valid text/vtt: line 1: a WebVTT file must start with `WEBVTT`"
        ),
        "{err}"
    );
    // The duration check needs the probe, which runs only once the catalogue itself is clean.
    std::fs::remove_file(show.path().join("media/fake.vtt")).unwrap();
    show.catalogue(&episode_with(
        "\n[[episode.transcript]]\nfile = \"media/long.vtt\"\n",
    ));
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("`media/long.vtt` has cues until 00:10:00.000, but the audio ends at"),
        "{err}"
    );
}

#[test]
fn soundbites_trailers_and_their_checks() {
    let show = ShowDir::new();
    show.audio("one.mp3")
        .audio("trailer.mp3")
        .catalogue(&format!(
            r#"{SHOW}
[[episode]]
title = "One"
audio = "media/one.mp3"
published = 2024-03-01T09:00:00Z
guid = "one"

[[episode.soundbite]]
start = "0:41.5"
duration = 30
title = "The key sentence"

[[episode.soundbite]]
start = 60
duration = "0:05"

[[episode]]
title = "Season 1 trailer"
type = "trailer"
season = 1
audio = "media/trailer.mp3"
published = 2024-02-01T09:00:00Z
guid = "t1"
"#
        ));
    let out = build(&show);
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    assert!(
        stderr_of(&out).contains("info[C031]"),
        "a 5 s soundbite is outside 15–120 s"
    );
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let bites: Vec<(&str, &str, &str)> = item_children(&doc, PODCAST, "soundbite")
        .iter()
        .map(|b| {
            (
                b.attribute("startTime").unwrap(),
                b.attribute("duration").unwrap(),
                b.text().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(bites, [("41.5", "30", "The key sentence"), ("60", "5", "")]);
    let trailer = &item_children(&doc, PODCAST, "trailer")[0];
    assert_eq!(trailer.parent().unwrap().tag_name().name(), "channel");
    let size = std::fs::metadata(show.path().join("media/trailer.mp3"))
        .unwrap()
        .len();
    assert_eq!(
        trailer.attribute("url"),
        Some("https://cdn.example.com/show/media/trailer.mp3")
    );
    assert_eq!(trailer.attribute("length"), Some(size.to_string().as_str()));
    assert_eq!(trailer.attribute("type"), Some("audio/mpeg"));
    assert_eq!(trailer.attribute("season"), Some("1"));
    assert_eq!(
        trailer.attribute("pubdate"),
        Some("Thu, 01 Feb 2024 09:00:00 +0000")
    );
    assert_eq!(trailer.text(), Some("Season 1 trailer"));

    // A soundbite past the end of the audio is an error.
    let broken = show
        .read_catalogue()
        .replace("start = 60", "start = \"2:10\"")
        .replace("duration = \"0:05\"", "duration = 20");
    show.catalogue(&broken);
    let out = build(&show);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("error[C030]"),
        "{}",
        stderr_of(&out)
    );
}

/// The example show's chapters, after `build-feed --tag`, read back three ways with three independent
/// readers: the JSON chapters file (serde_json), Podlove Simple Chapters in the feed (roxmltree) and the
/// MP3's CHAP/CTOC frames (the id3 crate). All three say the same thing, and the last chapter ends at the
/// audio's exact length as ffmpeg decodes it.
#[test]
fn one_episodes_chapters_agree_in_json_the_feed_and_the_mp3() {
    let show = ShowDir::example();
    let out = show
        .castkit()
        .args(["build-feed", "--locked", "--tag"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));

    // The feed: Podlove chapters, and the URL of the JSON file.
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let psc: Vec<(u64, String)> = item_children(&doc, PSC, "chapter")
        .iter()
        .map(|c| {
            let start = c.attribute("start").unwrap();
            // `HH:MM:SS.mmm`, parsed here rather than by castkit.
            let (hms, ms) = start.split_once('.').unwrap();
            let parts: Vec<u64> = hms.split(':').map(|p| p.parse().unwrap()).collect();
            let millis =
                ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + ms.parse::<u64>().unwrap();
            (millis, c.attribute("title").unwrap().to_owned())
        })
        .collect();
    assert!(psc.len() >= 5, "the example has chapters: {psc:?}");
    let url = item_children(&doc, PODCAST, "chapters")[0]
        .attribute("url")
        .unwrap();
    let file = url.rsplit('/').next().unwrap();

    // The JSON chapters file.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(show.path().join("public/chapters").join(file)).unwrap(),
    )
    .unwrap();
    let json_chapters: Vec<(u64, u64, String)> = json["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                (c["startTime"].as_f64().unwrap() * 1000.0).round() as u64,
                (c["endTime"].as_f64().unwrap() * 1000.0).round() as u64,
                c["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect();

    // The MP3's ID3 tag.
    let tag = id3::Tag::read_from_path(show.path().join(EXAMPLE_MP3)).unwrap();
    let id3_chapters: Vec<(u64, u64, String)> = tag
        .chapters()
        .map(|c| {
            let title = c
                .frames
                .iter()
                .find(|f| f.id() == "TIT2")
                .and_then(|f| f.content().text())
                .unwrap_or_default()
                .to_owned();
            (u64::from(c.start_time), u64::from(c.end_time), title)
        })
        .collect();
    let toc = tag.tables_of_contents().next().expect("a CTOC frame");
    assert!(toc.top_level && toc.ordered);
    let by_id: Vec<&str> = tag.chapters().map(|c| c.element_id.as_str()).collect();
    assert_eq!(
        toc.elements, by_id,
        "the table of contents lists every chapter in order"
    );

    assert_eq!(
        json_chapters, id3_chapters,
        "JSON chapters and ID3 CHAP frames differ"
    );
    let starts_titles: Vec<(u64, String)> = json_chapters
        .iter()
        .map(|(s, _, t)| (*s, t.clone()))
        .collect();
    assert_eq!(
        starts_titles, psc,
        "JSON chapters and Podlove chapters differ"
    );
    for pair in json_chapters.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].0,
            "each chapter ends where the next starts"
        );
    }
    if have_tool("ffmpeg") {
        let ms = ffmpeg_duration_ms(&show.path().join(EXAMPLE_MP3)).unwrap();
        let last_end = json_chapters.last().unwrap().1;
        // Within one audio frame of the decoded length (MPEG-2 Layer III: 576 samples at 16 kHz = 36 ms).
        assert!(
            last_end.abs_diff(ms) <= 36,
            "last chapter ends at {last_end} ms; ffmpeg decodes {ms} ms"
        );
    }
}
