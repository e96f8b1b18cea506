//! `castkit import`: real feeds from the corpus (and one over HTTP) turned into catalogues that build at once
//! and whose first release breaks no subscriber — checked by castkit's own diff and, independently, by
//! feedparser reading the original and the rebuilt feed side by side.

use std::path::{Path, PathBuf};

use crate::support::{FileServer, castkit, have_python_module, python_json, shared_dir, stderr_of};

/// Real podcast feeds of the corpus, relative to its `feeds/` folder, with the breaking changes a faithful
/// import still reports in each (a value the feed got wrong, mapped to a valid one).
const FEEDS: &[(&str, &[&str])] = &[
    ("partytime/real-world/1865.xml", &[]),
    ("partytime/real-world/animated-no-agenda.xml", &[]),
    ("partytime/real-world/changing-the-tide.xml", &[]),
    ("partytime/real-world/dk-podcast.xml", &[]),
    ("partytime/real-world/homegrown-hits.xml", &[]),
    ("partytime/real-world/themnshow.xml", &[]),
    ("feed-rs/rss2/rss_2.0_anchorfm.xml", &[]),
    ("feed-rs/rss2/rss_2.0_bbc.xml", &[]),
    ("feed-rs/rss2/rss_2.0_nightvale.xml", &[]),
    ("feed-rs/rss2/rss_2.0_spreaker.xml", &[]),
    ("feed-rs/rss2/rss_2.0_spiegel.xml", &[]),
    ("feedzirra-podcast/99percentinvisible.xml", &[]),
    // The namespace's example carries the placeholder `podcast:guid` `y0ur-gu1d-g035-h3r3`, not a UUID:
    // the import replaces it (and says so), which the diff rightly calls breaking.
    ("podcast-namespace/example.xml", &["D102"]),
];

fn corpus() -> Option<PathBuf> {
    let dir = shared_dir()?.join("corpus/feeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: the feed corpus is not there (../shared/corpus/feeds)");
        None
    }
}

/// Imports `feed` into a new folder and builds it; returns the folder.
fn import_and_build(feed: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = castkit()
        .current_dir(dir.path())
        .arg("import")
        .arg(feed)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "import of {}: {}",
        feed.display(),
        stderr_of(&out)
    );
    let out = castkit()
        .current_dir(dir.path())
        .args(["build-feed", "--no-against"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build-feed on the catalogue imported from {}, with no edits: {}\n{}",
        feed.display(),
        stderr_of(&out),
        std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap()
    );
    dir
}

/// Every entry as feedparser reads it: id, enclosure URL/length/type, publication instant, title.
const ENTRIES: &str = r#"
import json, sys, calendar, feedparser
def seconds(text):
    # itunes:duration as `h:mm:ss`, `mm:ss` or seconds, in whole seconds (rounded); None when unreadable.
    try:
        parts = [float(p) for p in (text or "").strip().split(":")]
    except ValueError:
        return None
    if not parts or len(parts) > 3:
        return None
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return int(total + 0.5)

d = feedparser.parse(sys.argv[1])
out = {}
for e in d.entries:
    enc = [l for l in e.get("links", []) if l.get("rel") == "enclosure"]
    if not enc:
        continue
    key = e.get("id") or enc[0]["href"]
    out[key] = {
        "url": enc[0]["href"], "length": enc[0].get("length"), "type": enc[0].get("type"),
        "published": calendar.timegm(e.published_parsed) if e.get("published_parsed") else None,
        "title": e.get("title"),
        "duration": seconds(e.get("itunes_duration")),
    }
print(json.dumps({"title": d.feed.get("title"), "entries": out}))
"#;

#[test]
fn real_feeds_import_build_at_once_and_the_release_breaks_no_subscriber() {
    let Some(corpus) = corpus() else { return };
    let feedparser = have_python_module("feedparser");
    for (name, expected_breaking) in FEEDS {
        let feed = corpus.join(name);
        let dir = import_and_build(&feed, &["--allow-locked"]);
        let rebuilt = dir.path().join("public/feed.xml");
        let out = castkit()
            .args(["diff", "--format", "json"])
            .arg(&feed)
            .arg(&rebuilt)
            .output()
            .unwrap();
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let breaking: Vec<&str> = findings
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(&breaking, expected_breaking, "{name}: {findings:#?}");
        if !feedparser {
            continue;
        }
        let before = python_json(ENTRIES, &feed);
        let after = python_json(ENTRIES, &rebuilt);
        assert_eq!(before["title"], after["title"], "{name}");
        let (b, a) = (
            before["entries"].as_object().unwrap(),
            after["entries"].as_object().unwrap(),
        );
        assert!(
            !b.is_empty(),
            "{name}: feedparser found no episodes in the original"
        );
        for (id, was) in b {
            let now = a.get(id).unwrap_or_else(|| {
                panic!("{name}: the episode `{id}` is missing after the import")
            });
            for field in ["url", "type", "published", "title"] {
                assert_eq!(was[field], now[field], "{name}: `{id}`: {field}");
            }
            if !was["duration"].is_null() {
                assert_eq!(
                    was["duration"], now["duration"],
                    "{name}: `{id}`: itunes:duration in seconds"
                );
            }
            // A length the feed did not state (or stated as garbage) becomes 0, with a note.
            if was["length"]
                .as_str()
                .is_some_and(|l| l.parse::<u64>().is_ok())
            {
                assert_eq!(was["length"], now["length"], "{name}: `{id}`: length");
            }
        }
    }
}

#[test]
fn show_notes_keep_their_links_lists_and_emphasis() {
    let Some(corpus) = corpus() else { return };
    if !have_python_module("feedparser") {
        eprintln!("skipped: feedparser is not installed");
        return;
    }
    // Every link of every episode's notes, as feedparser reads the original and the rebuilt feed.
    const LINKS: &str = r#"
import json, re, sys, feedparser
d = feedparser.parse(sys.argv[1])
out = {}
for e in d.entries:
    html = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
    out[e.get("id")] = sorted(set(re.findall(r'href="(https?://[^"]+)"', html)))
print(json.dumps(out))
"#;
    for name in [
        "feedzirra-podcast/99percentinvisible.xml",
        "partytime/real-world/themnshow.xml",
    ] {
        let feed = corpus.join(name);
        let dir = import_and_build(&feed, &[]);
        let before = python_json(LINKS, &feed);
        let after = python_json(LINKS, &dir.path().join("public/feed.xml"));
        let mut links = 0;
        for (id, was) in before.as_object().unwrap() {
            let was: Vec<String> = serde_json::from_value(was.clone()).unwrap();
            let now: Vec<String> = serde_json::from_value(after[id].clone()).unwrap();
            // `&amp;` in an href is `&` once unescaped; compare unescaped.
            let now: Vec<String> = now.iter().map(|u| u.replace("&amp;", "&")).collect();
            for link in &was {
                links += 1;
                assert!(
                    now.contains(&link.replace("&amp;", "&")),
                    "{name}: `{id}` lost the link {link}: {now:?}"
                );
            }
        }
        assert!(links > 10, "{name}: only {links} links to compare");
    }
    // Lists and emphasis become Markdown, and come back as HTML.
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, small_feed("<p>In <em>this</em> one:</p><ul><li>alpha</li><li><strong>beta</strong></li></ul><script>alert(1)</script>", "en", "<itunes:category text=\"Technology\"/>", "false")).unwrap();
    let show = import_and_build(&feed, &[]);
    let catalogue = std::fs::read_to_string(show.path().join("episodes.toml")).unwrap();
    assert!(catalogue.contains("In *this* one:"), "{catalogue}");
    assert!(catalogue.contains("**beta**"), "{catalogue}");
    assert!(!catalogue.contains("alert(1)"), "{catalogue}");
    let rebuilt = std::fs::read_to_string(show.path().join("public/feed.xml")).unwrap();
    assert!(
        rebuilt.contains("<li><strong>beta</strong></li>"),
        "{rebuilt}"
    );
}

/// A one-episode feed with the given notes (HTML), language, categories and explicit value.
fn small_feed(notes: &str, language: &str, categories: &str, explicit: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Small Show</title>
<link>https://small.example.org/</link>
<atom:link rel="self" href="https://small.example.org/feed.rss" type="application/rss+xml"/>
<description>A small show.</description>
<language>{language}</language>
<itunes:author>Small Author</itunes:author>
<itunes:image href="https://small.example.org/cover.jpg"/>
{categories}
<itunes:explicit>{explicit}</itunes:explicit>
<item>
<title>First</title>
<guid isPermaLink="false">small-1</guid>
<pubDate>Tue, 05 Mar 2024 07:15:00 -0800</pubDate>
<enclosure url="https://cdn.small.example.org/first.mp3" length="123456" type="audio/mpeg"/>
<itunes:duration>12:34</itunes:duration>
<content:encoded><![CDATA[{notes}]]></content:encoded>
</item>
</channel>
</rss>
"#
    )
}

#[test]
fn values_todays_rules_refuse_are_mapped_with_a_comment_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    std::fs::write(
        &feed,
        small_feed(
            "<p>Notes</p>",
            "English",
            r#"<itunes:category text="Games &amp; Hobbies"><itunes:category text="Video Games"/></itunes:category>"#,
            "yes",
        ),
    )
    .unwrap();
    let out = castkit()
        .current_dir(dir.path())
        .args(["import", "feed.xml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    for said in [
        "`English`",
        "`Games & Hobbies > Video Games` is retired",
        "itunes:explicit `yes`",
    ] {
        assert!(err.contains(said), "no note saying {said}: {err}");
    }
    // Python's tomllib, not castkit, reads what was written.
    let read = python_json(
        r#"
import json, sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
s, e = c["show"], c["episode"][0]
print(json.dumps({"language": s["language"], "categories": s["categories"], "explicit": s["explicit"],
    "guid": e["guid"], "audio": e["audio"], "length": e["audio_length"], "published": e["published"].isoformat(),
    "duration": e["duration"], "podcast_guid": s["podcast_guid"], "feed_url": s["feed_url"]}))
"#,
        &dir.path().join("episodes.toml"),
    );
    assert_eq!(read["language"], "en");
    assert_eq!(
        read["categories"],
        serde_json::json!(["Leisure > Video Games"])
    );
    assert_eq!(read["explicit"], true);
    assert_eq!(read["guid"], "small-1");
    assert_eq!(read["audio"], "https://cdn.small.example.org/first.mp3");
    assert_eq!(read["length"], 123456);
    assert_eq!(read["published"], "2024-03-05T07:15:00-08:00");
    assert_eq!(read["duration"], "12:34");
    assert_eq!(read["feed_url"], "https://small.example.org/feed.rss");
    // No podcast:guid in the feed: the namespace's UUIDv5 of its address without the scheme, computed here
    // by Python's uuid module.
    let expected = std::process::Command::new("python3")
        .args(["-c", "import uuid; print(uuid.uuid5(uuid.UUID('ead4c236-bf58-58c6-a2c6-a6b28d128cb6'), 'small.example.org/feed.rss'))"])
        .output()
        .unwrap();
    assert_eq!(
        read["podcast_guid"],
        String::from_utf8_lossy(&expected.stdout).trim()
    );
    let text = std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap();
    assert!(
        text.contains("# Imported: the feed's category `Games & Hobbies > Video Games` is retired"),
        "{text}"
    );
    let out = castkit()
        .current_dir(dir.path())
        .args(["build-feed"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn a_locked_feed_is_refused_unless_its_owner_moves_it_and_no_catalogue_is_overwritten() {
    let Some(corpus) = corpus() else { return };
    let feed = corpus.join("podcast-namespace/example.xml");
    let dir = tempfile::tempdir().unwrap();
    let out = castkit()
        .current_dir(dir.path())
        .arg("import")
        .arg(&feed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("--allow-locked"),
        "{}",
        stderr_of(&out)
    );
    assert!(!dir.path().join("episodes.toml").exists());

    std::fs::write(dir.path().join("episodes.toml"), "# mine\n").unwrap();
    let out = castkit()
        .current_dir(dir.path())
        .arg("import")
        .arg(&feed)
        .arg("--allow-locked")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("never overwrites"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn a_feed_imported_over_http_is_compared_with_on_every_build() {
    let Some(corpus) = corpus() else { return };
    let served = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus.join("feed-rs/rss2/rss_2.0_nightvale.xml"),
        served.path().join("feed.xml"),
    )
    .unwrap();
    let server = FileServer::serve(served.path());
    let url = server.url("feed.xml");
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", cache.path())
        .current_dir(dir.path())
        .args(["import", &url, "--timeout", "10"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let catalogue = std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap();
    assert!(
        catalogue.contains(&format!("against = \"{url}\"")),
        "{catalogue}"
    );
    // build-feed fetches the published feed from the server and compares: nothing breaking.
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", cache.path())
        .current_dir(dir.path())
        .args(["build-feed", "--timeout", "10"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 breaking")
            || stderr_of(&out).contains("0 breaking"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr_of(&out)
    );
}

/// A feed of two episodes served by a local server with their audio (the example show's MP3 and a copy
/// cut short), the second stated with `second_length`.
fn served_show(second_length: Option<u64>) -> (tempfile::TempDir, FileServer, [Vec<u8>; 2]) {
    let served = tempfile::tempdir().unwrap();
    let mp3 = std::fs::read(crate::support::repo_root().join(crate::support::EXAMPLE_MP3)).unwrap();
    let short = mp3[..mp3.len() / 2].to_vec();
    std::fs::create_dir(served.path().join("audio")).unwrap();
    std::fs::write(served.path().join("audio/one.mp3"), &mp3).unwrap();
    std::fs::write(served.path().join("audio/two parts.mp3"), &short).unwrap();
    let server = FileServer::serve(served.path());
    let item = |n: u32, path: &str, length: u64| {
        format!(
            r#"<item><title>Part {n}</title><guid isPermaLink="false">part-{n}</guid><pubDate>Mon, 0{n} Apr 2024 10:00:00 +0000</pubDate><enclosure url="{}" length="{length}" type="audio/mpeg"/></item>"#,
            server.url(path)
        )
    };
    // The small feed's own item (on a host that does not exist) gives way to the two served ones.
    let head = small_feed("", "en", "<itunes:category text=\"News\"/>", "false");
    let feed = format!(
        "{}{}{}</channel></rss>",
        &head[..head.find("<item>").unwrap()],
        item(1, "audio/one.mp3", mp3.len() as u64),
        item(
            2,
            "audio/two%20parts.mp3",
            second_length.unwrap_or(short.len() as u64)
        )
    );
    std::fs::write(served.path().join("feed.xml"), feed).unwrap();
    (served, server, [mp3, short])
}

#[test]
fn download_fetches_every_episode_checks_its_length_and_points_the_catalogue_at_the_copies() {
    let (_served, server, [one, two]) = served_show(None);
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", cache.path())
        .current_dir(dir.path())
        .args([
            "import",
            &server.url("feed.xml"),
            "--download",
            "media/episodes",
            "--timeout",
            "10",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read(dir.path().join("media/episodes/one.mp3")).unwrap(),
        one
    );
    assert_eq!(
        std::fs::read(dir.path().join("media/episodes/two parts.mp3")).unwrap(),
        two
    );
    let catalogue = std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap();
    assert!(
        catalogue.contains("audio = \"media/episodes/two parts.mp3\""),
        "{catalogue}"
    );
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", cache.path())
        .current_dir(dir.path())
        .args(["build-feed", "--no-against"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    // The stated lengths were right: no C035. The feed now carries the local files, measured.
    assert!(!stderr_of(&out).contains("C035"), "{}", stderr_of(&out));
    let feed = std::fs::read_to_string(dir.path().join("public/feed.xml")).unwrap();
    assert!(
        feed.contains(&format!("length=\"{}\"", two.len())),
        "{feed}"
    );
}

#[test]
fn a_download_whose_length_differs_from_the_feed_writes_no_catalogue() {
    let (_served, server, [_, two]) = served_show(Some(999));
    let dir = tempfile::tempdir().unwrap();
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", "off")
        .current_dir(dir.path())
        .args([
            "import",
            &server.url("feed.xml"),
            "--download",
            "media",
            "--timeout",
            "10",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("999") && err.contains(&two.len().to_string()),
        "{err}"
    );
    assert!(err.contains("no catalogue was written"), "{err}");
    assert!(!dir.path().join("episodes.toml").exists());
    assert!(!dir.path().join("media/two parts.mp3").exists());
}
