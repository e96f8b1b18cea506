//! The show's website (`build-feed` writes it next to the feed): every page parses with html5lib, the
//! HTML5 parser that follows the WHATWG algorithm, in strict mode (any parse error fails), and the facts on
//! the pages are checked against independent readers: ffmpeg's full decode for each duration, feedparser
//! for the number of episodes, the JSON chapters file for the chapter starts, a regular expression of the
//! test's own over the WebVTT file for the cue starts, Python's json for the JSON-LD. Then the slugs (derived,
//! saved, stable, refused when doubled), `--no-site`, `[site] enabled = false`, template overrides, and a
//! byte-identical rebuild.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{
    SHOW, ShowDir, copy_tree, ffmpeg_decoded_seconds, have_python_module, have_tool, python_json,
    repo_root, stderr_of,
};

/// Reads every page of a site folder (`argv[1]`) with html5lib in strict mode and prints, per page, its
/// parse errors and the facts the tests compare: the player, the episode list, the seek targets, the
/// JSON-LD, the `rel` links, and every URL in a `src` or `href` outside the show notes.
const READ_SITE: &str = r#"
import glob, json, os, sys
import html5lib
folder = sys.argv[1]
pages = {}
for path in sorted(glob.glob(os.path.join(folder, "**", "*.html"), recursive=True)):
    data = open(path, "rb").read()
    strict = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    errors = []
    try:
        strict.parse(data)
    except Exception as e:
        errors.append(repr(e))
    errors += [repr(e) for e in strict.errors]
    doc = html5lib.HTMLParser(namespaceHTMLElements=False).parse(data)
    parents = {child: parent for parent in doc.iter() for child in parent}
    def inside(element, tag, id_):
        while element is not None:
            if element.tag == tag and element.get("id") == id_:
                return True
            element = parents.get(element)
        return False
    def classes(e):
        return (e.get("class") or "").split()
    audio = [e for e in doc.iter("audio")]
    episodes = [e for e in doc.iter("li") if "episode" in classes(e)]
    urls = []
    for e in doc.iter():
        for attribute in ("src", "href"):
            value = e.get(attribute)
            if value is not None and not inside(e, "section", "notes"):
                urls.append(value)
    pages[os.path.relpath(path, folder)] = {
        "errors": errors,
        "h1": len(list(doc.iter("h1"))),
        "main": len(list(doc.iter("main"))),
        "feed_links": [e.get("href") for e in doc.iter("link") if e.get("rel") == "alternate" and e.get("type") == "application/rss+xml"],
        "audio": [{k: e.get(k) for k in ("id", "src", "data-duration", "preload")} for e in audio],
        "episodes": [{
            "href": [a.get("href") for a in e.iter("a") if "episode-link" in classes(a)],
            "seconds": [s.get("data-seconds") for s in e.iter("span") if "duration" in classes(s)],
            "datetime": [t.get("datetime") for t in e.iter("time")],
        } for e in episodes],
        "chapters": [a.get("data-start") for ol in doc.iter("ol") if "chapters" in classes(ol) for a in ol.iter("a") if "seek" in classes(a)],
        "cues": [a.get("data-start") for s in doc.iter("section") if s.get("id") == "transcript" for a in s.iter() if "seek" in classes(a)],
        "json_ld": [json.loads(s.text) for s in doc.iter("script") if s.get("type") == "application/ld+json"],
        "rel": {rel: [a.get("href") for a in doc.iter("a") if a.get("rel") == rel] for rel in ("prev", "next")},
        "sections": [s.get("id") for s in doc.iter("section") if s.get("id")],
        "urls": urls,
    }
print(json.dumps(pages))
"#;

/// Whether the readers the site tests use are there (skip, or fail under `CASTKIT_REQUIRE_TOOLS`).
fn have_readers() -> bool {
    have_python_module("html5lib") && have_python_module("feedparser")
}

/// Every page of the site in `public/`, read by [`READ_SITE`]; each must parse without a single error.
fn read_site(public: &Path) -> BTreeMap<String, serde_json::Value> {
    let pages = python_json(READ_SITE, public);
    let pages: BTreeMap<String, serde_json::Value> =
        serde_json::from_value(pages).expect("pages by path");
    for (path, page) in &pages {
        assert_eq!(
            page["errors"],
            serde_json::json!([]),
            "{path} does not parse cleanly as HTML5"
        );
        assert_eq!(page["main"], 1, "{path}: one <main>");
        assert_eq!(page["h1"], 1, "{path}: one <h1>");
    }
    pages
}

fn build(show: &ShowDir, extra: &[&str]) -> std::process::Output {
    show.castkit()
        .args(["build-feed", "--no-against"])
        .args(extra)
        .output()
        .unwrap()
}

fn build_ok(show: &ShowDir, extra: &[&str]) -> String {
    let out = build(show, extra);
    assert!(out.status.success(), "{}", stderr_of(&out));
    stderr_of(&out)
}

/// The number of items in the feed, read by feedparser.
fn feed_items(feed: &Path) -> usize {
    let read = python_json(
        "import feedparser, json, sys\nd = feedparser.parse(sys.argv[1])\nassert not d.bozo, d.bozo_exception\nprint(json.dumps(len(d.entries)))",
        feed,
    );
    read.as_u64().unwrap() as usize
}

/// Every file below `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::support::files_under(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// `https://…` and `//…` URLs point only at the show's own addresses, its media, or the subscribe links
/// the catalogue states: nothing is fetched from a CDN, a font host or a tracker.
fn assert_no_foreign_urls(pages: &BTreeMap<String, serde_json::Value>, own: &[&str]) {
    for (path, page) in pages {
        for url in page["urls"].as_array().unwrap() {
            let url = url.as_str().unwrap();
            if url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//") {
                assert!(
                    own.iter().any(|prefix| url.starts_with(prefix)),
                    "{path}: `{url}` is outside the show's own URLs"
                );
            }
        }
    }
}

#[test]
fn the_example_shows_site_parses_and_states_the_measured_facts() {
    if !have_readers() || !have_tool("ffmpeg") {
        return;
    }
    let show = ShowDir::example();
    build_ok(&show, &[]);
    let public = show.path().join("public");
    let pages = read_site(&public);
    let slug = "5-4-what-are-the-goals-of-rural-revitalization";
    let page_path = format!("episodes/{slug}/index.html");
    assert_eq!(
        pages.keys().collect::<Vec<_>>(),
        [
            "episodes/5-4-what-are-the-goals-of-rural-revitalization/index.html",
            "index.html"
        ]
    );
    let index = &pages["index.html"];
    let page = &pages[&page_path];
    assert_eq!(index["feed_links"], serde_json::json!(["feed.xml"]));
    assert_eq!(page["feed_links"], serde_json::json!(["../../feed.xml"]));

    // The index lists as many episodes as feedparser finds in the feed, linking each page.
    assert_eq!(
        index["episodes"].as_array().unwrap().len(),
        feed_items(&public.join("feed.xml"))
    );
    assert_eq!(
        index["episodes"][0]["href"],
        serde_json::json!([format!("episodes/{slug}/")])
    );
    assert_eq!(
        index["episodes"][0]["datetime"],
        serde_json::json!(["2022-11-28T08:00:00+08:00"])
    );

    // The duration is ffmpeg's full decode, within one MP3 frame (1152 samples at 16 kHz, at most).
    let mp3 = show.path().join(crate::support::EXAMPLE_MP3);
    let decoded = ffmpeg_decoded_seconds(&mp3);
    let audio = &page["audio"][0];
    assert_eq!(audio["id"], "player");
    assert_eq!(audio["preload"], "metadata");
    assert_eq!(
        audio["src"],
        "https://podcasts.example.com/how-china-works/media/5.4%20What%20are%20the%20goals%20of%20rural%20revitalization.mp3"
    );
    for stated in [
        audio["data-duration"].as_str().unwrap(),
        index["episodes"][0]["seconds"][0].as_str().unwrap(),
    ] {
        assert_eq!(stated.split_once('.').unwrap().1.len(), 3, "{stated}");
        let seconds: f64 = stated.parse().unwrap();
        assert!(
            (seconds - decoded).abs() <= 1152.0 / 16_000.0,
            "page {seconds} s, ffmpeg {decoded} s"
        );
    }

    // Chapter starts are those of the JSON chapters file the feed points at.
    let chapters_file = std::fs::read_dir(public.join("chapters"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let json_starts = python_json(
        "import json, sys\nprint(json.dumps([c['startTime'] for c in json.load(open(sys.argv[1]))['chapters']]))",
        &chapters_file,
    );
    let page_starts: Vec<f64> = page["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().parse().unwrap())
        .collect();
    let json_starts: Vec<f64> = serde_json::from_value(json_starts).unwrap();
    assert_eq!(page_starts.len(), 7);
    assert_eq!(page_starts, json_starts);

    // Cue starts are the WebVTT file's, read by a regular expression of this test's own.
    let vtt = show
        .path()
        .join("media/5.4 What are the goals of rural revitalization.vtt");
    let vtt_starts = python_json(
        r"import json, re, sys
starts = []
for m in re.finditer(r'^(?:(\d+):)?(\d\d):(\d\d)\.(\d\d\d) +-->', open(sys.argv[1], encoding='utf-8').read(), re.M):
    h, mi, s, ms = m.groups()
    starts.append(int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms) / 1000)
print(json.dumps(starts))",
        &vtt,
    );
    let vtt_starts: Vec<f64> = serde_json::from_value(vtt_starts).unwrap();
    let cue_starts: Vec<f64> = page["cues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().parse().unwrap())
        .collect();
    assert!(vtt_starts.len() > 10);
    assert_eq!(cue_starts, vtt_starts);

    // JSON-LD, read by Python's json.
    assert_eq!(index["json_ld"][0]["@type"], "PodcastSeries");
    assert_eq!(
        index["json_ld"][0]["webFeed"],
        "https://podcasts.example.com/how-china-works/feed.xml"
    );
    assert_eq!(page["json_ld"][0]["@type"], "PodcastEpisode");
    assert_eq!(page["json_ld"][0]["episodeNumber"], 4);
    assert_eq!(
        page["sections"],
        serde_json::json!(["chapters", "notes", "persons", "transcript"])
    );
    assert_no_foreign_urls(&pages, &["https://podcasts.example.com/how-china-works/"]);
    // The assets are there, and the script fetches nothing.
    let script = std::fs::read_to_string(public.join("assets/site.js")).unwrap();
    for fetching in ["fetch(", "XMLHttpRequest", "import(", "http:", "https:"] {
        assert!(!script.contains(fetching), "site.js has `{fetching}`");
    }
    let css = std::fs::read_to_string(public.join("assets/site.css")).unwrap();
    assert!(
        !css.contains("@import") && !css.contains("url("),
        "site.css loads nothing"
    );
    assert!(css.contains("prefers-color-scheme: dark"));
}

#[test]
fn the_every_tag_shows_site_parses_and_links_nothing_foreign() {
    if !have_readers() {
        return;
    }
    let show = ShowDir::new();
    copy_tree(&repo_root().join("tests/shows/every-tag"), show.path());
    build_ok(&show, &[]);
    let public = show.path().join("public");
    let pages = read_site(&public);
    let index = &pages["index.html"];
    assert_eq!(
        index["episodes"].as_array().unwrap().len(),
        feed_items(&public.join("feed.xml"))
    );
    assert_eq!(pages.len(), 1 + feed_items(&public.join("feed.xml")));
    for (path, page) in &pages {
        let types: Vec<&str> = page["json_ld"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["@type"].as_str().unwrap())
            .collect();
        let expected = if path == "index.html" {
            "PodcastSeries"
        } else {
            "PodcastEpisode"
        };
        assert_eq!(types, [expected], "{path}");
    }
    assert_no_foreign_urls(&pages, &["https://every-tag.example.com/"]);
}

/// A show of `n` episodes, one a day, with `[site]` settings.
fn show_of(n: usize, site: &str) -> ShowDir {
    let show = ShowDir::new();
    let mut catalogue = format!("{SHOW}{site}");
    for i in 1..=n {
        show.audio(&format!("{i}.mp3"));
        catalogue.push_str(&format!(
            "\n[[episode]]\ntitle = \"Day {i}: news & notes\"\naudio = \"media/{i}.mp3\"\npublished = 2024-03-{i:02}T09:00:00Z\nnumber = {i}\nnotes = \"Episode {i}.\"\n"
        ));
    }
    show.catalogue(&catalogue);
    show
}

#[test]
fn a_long_show_is_paged_and_every_page_parses() {
    if !have_readers() {
        return;
    }
    let show = show_of(7, "\n[site]\nepisodes_per_page = 3\n");
    build_ok(&show, &[]);
    let public = show.path().join("public");
    let pages = read_site(&public);
    let lists: Vec<usize> = ["index.html", "page/2/index.html", "page/3/index.html"]
        .iter()
        .map(|p| pages[*p]["episodes"].as_array().unwrap().len())
        .collect();
    assert_eq!(lists, [3, 3, 1]);
    assert_eq!(
        lists.iter().sum::<usize>(),
        feed_items(&public.join("feed.xml"))
    );
    assert_eq!(
        pages["index.html"]["rel"]["next"],
        serde_json::json!(["page/2/"])
    );
    assert_eq!(pages["index.html"]["rel"]["prev"], serde_json::json!([]));
    assert_eq!(
        pages["page/2/index.html"]["rel"]["prev"],
        serde_json::json!(["../../"])
    );
    assert_eq!(
        pages["page/2/index.html"]["rel"]["next"],
        serde_json::json!(["../../page/3/"])
    );
    // Newest first; each episode page links its neighbours.
    assert_eq!(
        pages["index.html"]["episodes"][0]["href"],
        serde_json::json!(["episodes/7-day-7-news-notes/"])
    );
    let middle = &pages["episodes/4-day-4-news-notes/index.html"];
    assert_eq!(
        middle["rel"]["prev"],
        serde_json::json!(["../../episodes/3-day-3-news-notes/"])
    );
    assert_eq!(
        middle["rel"]["next"],
        serde_json::json!(["../../episodes/5-day-5-news-notes/"])
    );
    let newest = &pages["episodes/7-day-7-news-notes/index.html"];
    assert_eq!(newest["rel"]["next"], serde_json::json!([]));

    // An episode removed: its page goes, and so does the last index page; a file of the producer's stays.
    std::fs::write(public.join("episodes/notes.txt"), "mine").unwrap();
    let catalogue = show.read_catalogue();
    let cut = catalogue.find("\n[[episode]]\ntitle = \"Day 7").unwrap();
    show.catalogue(&catalogue[..cut]);
    let err = build_ok(&show, &[]);
    assert!(
        !public.join("episodes/7-day-7-news-notes").exists(),
        "{err}"
    );
    assert!(!public.join("page/3").exists(), "{err}");
    assert!(
        err.contains("removed `public/episodes/7-day-7-news-notes/index.html`"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("episodes/notes.txt")).unwrap(),
        "mine"
    );
    read_site(&public);
}

#[test]
fn slugs_are_derived_saved_and_then_kept() {
    let show = show_of(1, "");
    let err = build_ok(&show, &[]);
    assert!(
        err.contains("assigned slug `1-day-1-news-notes` to episode 1"),
        "{err}"
    );
    let saved: toml::Table = toml::from_str(&show.read_catalogue()).unwrap();
    assert_eq!(
        saved["episode"][0]["slug"].as_str(),
        Some("1-day-1-news-notes")
    );
    let page = show
        .path()
        .join("public/episodes/1-day-1-news-notes/index.html");
    assert!(page.is_file());

    // A new title keeps the page where it was.
    let retitled = show
        .read_catalogue()
        .replace("Day 1: news & notes", "A better title");
    show.catalogue(&retitled);
    build_ok(&show, &[]);
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("A better title")
    );
    assert_eq!(show.read_catalogue(), retitled, "nothing more to save");
    assert!(!show.path().join("public/episodes/a-better-title").exists());
}

#[test]
fn locked_builds_derive_the_slug_without_saving_it_and_warn() {
    let show = show_of(1, "");
    build_ok(&show, &["--no-site"]);
    let catalogue = show.read_catalogue();
    let err = build_ok(&show, &["--locked"]);
    assert!(err.contains("warning[C044]"), "{err}");
    assert!(err.contains("`--locked` does not save it"), "{err}");
    assert_eq!(show.read_catalogue(), catalogue);
    assert!(
        show.path()
            .join("public/episodes/1-day-1-news-notes/index.html")
            .is_file()
    );
}

#[test]
fn two_episodes_with_one_slug_are_refused_naming_both_lines() {
    let show = show_of(2, "");
    let catalogue = show
        .read_catalogue()
        .replace("number = 1\n", "number = 1\nslug = \"same\"\n")
        .replace("number = 2\n", "number = 2\nslug = \"same\"\n");
    show.catalogue(&catalogue);
    let out = build(&show, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    let lines: Vec<usize> = catalogue
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "slug = \"same\"")
        .map(|(i, _)| i + 1)
        .collect();
    assert!(err.contains("error[C043]"), "{err}");
    // At the second slug's line, naming the first one's.
    assert!(
        err.contains(&format!("episodes.toml:{}:", lines[1])),
        "{err}"
    );
    assert!(
        err.contains(&format!("as the episode at line {}", lines[0])),
        "{err}"
    );
    assert!(!show.path().join("public").exists());
    assert_eq!(show.read_catalogue(), catalogue);
}

#[test]
fn a_slug_with_other_characters_is_refused_with_the_fix() {
    let show = show_of(1, "");
    let catalogue = show
        .read_catalogue()
        .replace("number = 1\n", "number = 1\nslug = \"Day One!\"\n");
    show.catalogue(&catalogue);
    let out = build(&show, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("error[C042]") && err.contains("slug = \"day-one\""),
        "{err}"
    );
}

#[test]
fn no_site_and_site_disabled_write_no_site() {
    for (site, flags) in [
        ("", &["--no-site"][..]),
        ("\n[site]\nenabled = false\n", &[][..]),
    ] {
        let show = show_of(2, site);
        let err = build_ok(&show, flags);
        assert!(!err.contains("website"), "{err}");
        let written: Vec<String> = files(&show.path().join("public")).into_keys().collect();
        assert_eq!(written, ["feed.xml"], "{site} {flags:?}");
        assert!(
            !show.read_catalogue().contains("slug ="),
            "no slug without a site"
        );
    }
}

#[test]
fn a_shows_template_replaces_the_built_in_one() {
    if !have_readers() {
        return;
    }
    let show = show_of(1, "\n[site]\ntemplates = \"site-templates\"\n");
    std::fs::create_dir(show.path().join("site-templates")).unwrap();
    let builtin = include_str!("../../src/site/templates/index.html");
    std::fs::write(
        show.path().join("site-templates/index.html"),
        builtin.replace(
            "<h1>{{ show.title }}</h1>",
            "<h1>{{ show.title }} — our own page</h1>",
        ),
    )
    .unwrap();
    std::fs::write(
        show.path().join("site-templates/site.css"),
        "body { color: #111; }\n",
    )
    .unwrap();
    build_ok(&show, &[]);
    let public = show.path().join("public");
    let pages = read_site(&public);
    assert_eq!(pages.len(), 2);
    let index = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        index.contains("<h1>Test Show — our own page</h1>"),
        "{index}"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("assets/site.css")).unwrap(),
        "body { color: #111; }\n"
    );
}

#[test]
fn a_broken_template_names_its_file_and_line_and_nothing_is_written() {
    let show = show_of(1, "\n[site]\ntemplates = \"site-templates\"\n");
    std::fs::create_dir(show.path().join("site-templates")).unwrap();
    std::fs::write(
        show.path().join("site-templates/episode.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ episode.title }</p>\n{% endblock %}\n",
    )
    .unwrap();
    let catalogue = show.read_catalogue();
    let out = build(&show, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("site-templates/episode.html, line 3: syntax error"),
        "{err}"
    );
    assert!(
        err.contains("help: fix the template, or remove it"),
        "{err}"
    );
    assert!(!show.path().join("public").exists(), "nothing written");
    assert_eq!(show.read_catalogue(), catalogue, "no slug saved");
}

#[test]
fn subscribe_links_must_be_web_addresses() {
    let show = show_of(
        1,
        "\n[[site.subscribe]]\nname = \"Apple Podcasts\"\nurl = \"https://podcasts.apple.com/podcast/id1\"\n\n[[site.subscribe]]\nname = \"Elsewhere\"\nurl = \"ftp://example.com/show\"\n",
    );
    let out = build(&show, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    let line = show
        .read_catalogue()
        .lines()
        .position(|l| l.starts_with("url = \"ftp:"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("episodes.toml:{line}:")), "{err}");

    let show = show_of(
        1,
        "\n[[site.subscribe]]\nname = \"Apple Podcasts\"\nurl = \"https://podcasts.apple.com/podcast/id1\"\n",
    );
    build_ok(&show, &[]);
    let index = std::fs::read_to_string(show.path().join("public/index.html")).unwrap();
    assert!(
        index.contains("<a href=\"https://podcasts.apple.com/podcast/id1\">Apple Podcasts</a>")
    );
}

#[test]
fn the_same_catalogue_gives_the_same_site_byte_for_byte() {
    let first = ShowDir::example();
    let second = ShowDir::example();
    build_ok(&first, &[]);
    build_ok(&second, &[]);
    let (a, b) = (
        files(&first.path().join("public")),
        files(&second.path().join("public")),
    );
    assert!(a.contains_key("index.html") && a.contains_key(".site-files"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    // And a second build in the same folder rewrites nothing.
    let err = build_ok(&first, &[]);
    assert!(err.contains("its website (2 pages, unchanged)"), "{err}");
    assert_eq!(files(&first.path().join("public")), a);
}
