//! Paged feeds (RFC 5005 archived feeds): `build-feed` with `max_items` writes `feed.xml` and archive
//! pages. The pages are read by parsers that are not castkit's: Python's feedparser (the channel's links
//! with their `rel`), gPodder's podcastparser (the paged-feed `next` link an app follows) and xmllint
//! (`fh:archive`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{SHOW, ShowDir, have_python_module, have_tool, python_json, stderr_of};

const FEED_URL: &str = "https://example.com/show/feed.xml";

/// A catalogue of the episodes numbered `episodes`, hosted elsewhere (nothing to probe), episode `i` dated
/// `i + 1` January 2024 with the guid `ep-i`, with `[build]` lines appended.
fn catalogue(episodes: std::ops::Range<usize>, build: &str) -> String {
    let mut text = SHOW.to_owned();
    for i in episodes {
        text.push_str(&format!(
            "\n[[episode]]\ntitle = \"Episode {i}\"\naudio = \"https://media.example.net/ep-{i}.mp3\"\naudio_length = {}\naudio_type = \"audio/mpeg\"\nduration = \"10:00\"\npublished = 2024-01-{:02}T09:00:00Z\nguid = \"ep-{i}\"\nnotes = \"Notes of episode {i}.\"\n",
            1000 + i,
            i + 1
        ));
    }
    if !build.is_empty() {
        text.push_str(&format!("\n[build]\n{build}\n"));
    }
    text
}

fn build(show: &ShowDir, extra: &[&str]) -> std::process::Output {
    show.castkit()
        // The feed and its archive pages only: the website has its own tests (site.rs).
        .args(["build-feed", "--no-against", "--no-site"])
        .args(extra)
        .output()
        .unwrap()
}

/// Every file in `public/`, by name, with its bytes.
fn public_files(show: &ShowDir) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(show.path().join("public"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// feedparser reads each document's channel links and items; the script walks `prev-archive` from the feed
/// to the oldest page and `next-archive` from the oldest page back, mapping each URL to a file in the folder
/// by its last path segment.
const FEEDPARSER_WALK: &str = r#"
import feedparser, json, os, sys
folder = sys.argv[1]
def read(name):
    d = feedparser.parse(os.path.join(folder, name))
    assert not d.bozo, (name, d.bozo_exception)
    links = {}
    for l in d.feed.links:
        links.setdefault(l.rel, []).append(l.href)
    return {"links": links, "guids": [e.id for e in d.entries]}
def last(url):
    return url.rsplit("/", 1)[-1]
docs = {}
prev_chain = ["feed.xml"]
docs["feed.xml"] = read("feed.xml")
while "prev-archive" in docs[prev_chain[-1]]["links"]:
    name = last(docs[prev_chain[-1]]["links"]["prev-archive"][0])
    assert name not in prev_chain, name
    docs[name] = read(name)
    prev_chain.append(name)
next_chain = [prev_chain[-1]]
while "next-archive" in docs[next_chain[-1]]["links"]:
    name = last(docs[next_chain[-1]]["links"]["next-archive"][0])
    assert name not in next_chain, name
    next_chain.append(name)
print(json.dumps({"docs": docs, "prev_chain": prev_chain, "next_chain": next_chain}))
"#;

/// gPodder's parser reads the paged-feed `next` link, as gPodder follows it to older episodes.
const PODCASTPARSER_WALK: &str = r#"
import podcastparser, json, os, sys
folder = sys.argv[1]
url = "https://example.com/show/feed.xml"
seen, guids = [], []
while url and url not in seen:
    seen.append(url)
    with open(os.path.join(folder, url.rsplit("/", 1)[-1]), "rb") as f:
        parsed = podcastparser.parse(url, f)
    guids += [e["guid"] for e in parsed["episodes"]]
    url = parsed.get("paged_feed_next")
print(json.dumps({"pages": seen, "guids": guids}))
"#;

/// How many `fh:archive` elements xmllint finds in a document's channel.
fn fh_archive_count(path: &Path) -> String {
    let out = std::process::Command::new("xmllint")
        .args([
            "--xpath",
            "count(/rss/channel/*[local-name()='archive' and namespace-uri()='http://purl.org/syndication/history/1.0'])",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn guids(range: std::ops::Range<usize>) -> Vec<String> {
    range.rev().map(|i| format!("ep-{i}")).collect()
}

#[test]
fn archive_pages_hold_every_episode_once_linked_oldest_to_newest_as_other_parsers_read_them() {
    if !have_python_module("feedparser")
        || !have_python_module("podcastparser")
        || !have_tool("xmllint")
    {
        return;
    }
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..11, "max_items = 3"));
    let out = build(&show, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("with 3 episodes and 8 more in 3 archive pages"),
        "{}",
        stderr_of(&out)
    );
    let public = show.path().join("public");
    let walked = python_json(FEEDPARSER_WALK, &public);
    let chain = |key: &str| -> Vec<String> { serde_json::from_value(walked[key].clone()).unwrap() };
    assert_eq!(
        chain("prev_chain"),
        [
            "feed.xml",
            "feed-archive-3.xml",
            "feed-archive-2.xml",
            "feed-archive-1.xml"
        ]
    );
    assert_eq!(
        chain("next_chain"),
        [
            "feed-archive-1.xml",
            "feed-archive-2.xml",
            "feed-archive-3.xml"
        ]
    );
    let docs = &walked["docs"];
    let page_guids = |name: &str| -> Vec<String> {
        serde_json::from_value(docs[name]["guids"].clone()).unwrap()
    };
    // Oldest first, in chunks of three; the newest page holds the rest; the feed the newest three.
    assert_eq!(page_guids("feed-archive-1.xml"), guids(0..3));
    assert_eq!(page_guids("feed-archive-2.xml"), guids(3..6));
    assert_eq!(page_guids("feed-archive-3.xml"), guids(6..8));
    assert_eq!(page_guids("feed.xml"), guids(8..11));
    let mut all: Vec<String> = chain("prev_chain")
        .iter()
        .flat_map(|name| page_guids(name))
        .collect();
    all.sort();
    let mut expected = guids(0..11);
    expected.sort();
    assert_eq!(all, expected, "every episode exactly once");

    for name in [
        "feed-archive-1.xml",
        "feed-archive-2.xml",
        "feed-archive-3.xml",
    ] {
        let links = &docs[name]["links"];
        assert_eq!(links["current"], serde_json::json!([FEED_URL]), "{name}");
        assert_eq!(
            links["self"],
            serde_json::json!([format!("https://example.com/show/{name}")]),
            "{name}"
        );
        assert_eq!(fh_archive_count(&public.join(name)), "1", "{name}");
    }
    assert!(docs["feed-archive-1.xml"]["links"]["prev-archive"].is_null());
    assert!(docs["feed-archive-3.xml"]["links"]["next-archive"].is_null());
    assert!(docs["feed.xml"]["links"]["next-archive"].is_null());
    assert!(docs["feed.xml"]["links"]["current"].is_null());
    assert_eq!(fh_archive_count(&public.join("feed.xml")), "0");

    // An app that follows the paged-feed links (gPodder) gets every episode, newest first.
    let app = python_json(PODCASTPARSER_WALK, &public);
    assert_eq!(app["guids"], serde_json::json!(guids(0..11)));
    assert_eq!(app["pages"].as_array().unwrap().len(), 4);

    // castkit's own validator follows the links too, and finds nothing wrong.
    let out = show
        .castkit()
        .args(["validate", "public", "--deny-warnings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn adding_episodes_leaves_every_closed_page_byte_identical_and_a_clean_clone_builds_the_same_pages()
{
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..11, "max_items = 3"));
    assert!(build(&show, &[]).status.success());
    let before = public_files(&show);

    // One more: the newest page (two episodes) grows; the full pages stay as they are, unwritten.
    show.catalogue(&catalogue(0..12, "max_items = 3"));
    let out = build(&show, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        !err.contains("feed-archive-1.xml") && !err.contains("feed-archive-2.xml"),
        "{err}"
    );
    assert!(err.contains("wrote `public/feed-archive-3.xml`"), "{err}");
    let after = public_files(&show);
    for name in ["feed-archive-1.xml", "feed-archive-2.xml"] {
        assert_eq!(before[name], after[name], "{name} changed");
    }
    assert_ne!(before["feed-archive-3.xml"], after["feed-archive-3.xml"]);

    // Another: page 3 was full, so page 4 starts. Pages 1 and 2 are untouched; page 3, the newest until
    // now, keeps its episodes and gains the one link RFC 5005 asks for, `next-archive` to page 4.
    show.catalogue(&catalogue(0..13, "max_items = 3"));
    assert!(build(&show, &[]).status.success());
    let later = public_files(&show);
    assert_eq!(later.len(), 5, "{:?}", later.keys());
    for name in ["feed-archive-1.xml", "feed-archive-2.xml"] {
        assert_eq!(after[name], later[name], "{name} changed");
    }
    let next_link = "    <atom:link href=\"https://example.com/show/feed-archive-4.xml\" rel=\"next-archive\" type=\"application/rss+xml\"/>\n";
    let page_3 = String::from_utf8(later["feed-archive-3.xml"].clone()).unwrap();
    assert_eq!(
        page_3.replacen(next_link, "", 1).into_bytes(),
        after["feed-archive-3.xml"],
        "page 3 differs by more than its new next-archive link"
    );

    // And another: page 4 grows, every page before it stays byte for byte.
    show.catalogue(&catalogue(0..14, "max_items = 3"));
    assert!(build(&show, &[]).status.success());
    let last = public_files(&show);
    for name in [
        "feed-archive-1.xml",
        "feed-archive-2.xml",
        "feed-archive-3.xml",
    ] {
        assert_eq!(later[name], last[name], "{name} changed");
    }

    // The same catalogue built in a fresh folder gives the same bytes, page for page.
    let clone = ShowDir::new();
    clone.catalogue(&show.read_catalogue());
    assert!(build(&clone, &[]).status.success());
    assert_eq!(public_files(&clone), last);
}

#[test]
fn a_new_page_size_recuts_the_pages_warns_for_each_full_page_and_removes_the_pages_left_over() {
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..11, "max_items = 3"));
    assert!(build(&show, &[]).status.success());
    // The flag wins over the catalogue: 6 archived episodes in pages of 5 make 2 pages.
    let out = build(&show, &["--max-items", "5"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("warning[C036]"), "{err}");
    assert!(
        err.contains("full archive page `feed-archive-1.xml`"),
        "{err}"
    );
    assert!(
        err.contains("removed `public/feed-archive-3.xml` (no longer an archive page)"),
        "{err}"
    );
    let files = public_files(&show);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["feed-archive-1.xml", "feed-archive-2.xml", "feed.xml"]
    );
    // Without paging every episode is back in the feed, and the pages go.
    let out = build(&show, &["--max-items", "20"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("C036"), "{}", stderr_of(&out));
    assert_eq!(public_files(&show).keys().collect::<Vec<_>>(), ["feed.xml"]);
}

#[test]
fn a_failed_build_writes_and_removes_no_page() {
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..11, "max_items = 3"));
    assert!(build(&show, &[]).status.success());
    let before = public_files(&show);
    // An episode without a guid under --locked is an error: nothing is written, nothing removed.
    let broken = catalogue(0..12, "max_items = 3").replace("guid = \"ep-11\"\n", "");
    show.catalogue(&broken);
    let out = build(&show, &["--locked", "--max-items", "20"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(public_files(&show), before);
    assert!(show.temp_leftovers().is_empty());
}

#[test]
fn episodes_moving_into_archive_pages_are_not_a_breaking_change() {
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..6, ""));
    assert!(build(&show, &[]).status.success());
    std::fs::copy(
        show.path().join("public/feed.xml"),
        show.path().join("published.xml"),
    )
    .unwrap();
    show.catalogue(&catalogue(0..6, "max_items = 4"));
    let out = show
        .castkit()
        .args(["build-feed", "--against", "published.xml"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("D002"), "{err}");
    assert_eq!(err.matches("warning[D012]").count(), 2, "{err}");
    assert!(err.contains("0 removed, 2 archived"), "{err}");

    // The same release compared by `diff`, which finds the archive page beside the new feed.
    let out = show
        .castkit()
        .args(["diff", "published.xml", "public/feed.xml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));

    // An episode that really goes is still breaking.
    show.catalogue(&catalogue(1..6, "max_items = 4"));
    let out = show
        .castkit()
        .args(["build-feed", "--against", "published.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}

#[test]
fn max_items_must_be_a_whole_number_from_one() {
    let show = ShowDir::new();
    show.catalogue(&catalogue(0..2, "max_items = 0"));
    let out = build(&show, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("error[C005]") && err.contains("`max_items`"),
        "{err}"
    );
    show.catalogue(&catalogue(0..2, "max_items = \"ten\""));
    let err = stderr_of(&build(&show, &[]));
    assert!(
        err.contains("error[C003]") && err.contains("`max_items`"),
        "{err}"
    );
}
