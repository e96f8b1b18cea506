//! The Podcasting 2.0 tags beyond the everyday ones, written from the catalogue: the test show that uses
//! every tag of the namespace (`tests/shows/every-tag/`) builds, validates with `--deny-warnings`, holds every
//! tag the namespace's tag list names, and reads back — by Python's own TOML and XML readers — as the
//! catalogue states it. Mistakes in these catalogue fields are findings on their line.

use std::path::Path;

use crate::support::{
    SHOW, ShowDir, assert_feed_validates_clean, copy_tree, have_python_module, have_tool,
    python_json, repo_root, shared_dir, stderr_of,
};

/// A copy of the every-tag show, built into `public/feed.xml`.
fn built_every_tag_show() -> ShowDir {
    let show = ShowDir::new();
    copy_tree(&repo_root().join("tests/shows/every-tag"), show.path());
    let out = show
        .castkit()
        .args(["build-feed", "--no-cache", "--now", "2026-03-09T18:30:00Z"])
        .output()
        .unwrap();
    // Built while its stream is on air: no finding but information notes.
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        !err.contains("warning[") && !err.contains("error["),
        "the every-tag show builds with findings:\n{err}"
    );
    show
}

/// Every tag the namespace's table of contents lists (but the deprecated ones), named as its tag page
/// writes it (`<podcast:valueTimeSplit>`): read from the namespace's own pages in the shared research folder.
fn namespace_tags(research: &Path) -> Vec<String> {
    let index = std::fs::read_to_string(research.join("1.0.md")).unwrap();
    let toc =
        &index[index.find("## Table of Contents").unwrap()..index.find("## Deprecated").unwrap()];
    toc.lines()
        .filter_map(|l| {
            let page = l.split("](").nth(1)?.split(')').next()?;
            let page = page.trim_start_matches("/docs/");
            let text = std::fs::read_to_string(research.join(page)).unwrap();
            let name = text.split("`<podcast:").nth(1)?.split('>').next()?;
            Some(name.to_owned())
        })
        .collect()
}

#[test]
fn the_every_tag_show_holds_every_tag_of_the_namespace_and_validates_clean() {
    let show = built_every_tag_show();
    assert_feed_validates_clean(&show);
    let feed = show.feed().unwrap();
    if !have_tool("xmllint") {
        return;
    }
    let out = std::process::Command::new("xmllint")
        .args(["--noout"])
        .arg(show.path().join("public/feed.xml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let Some(shared) = shared_dir() else {
        eprintln!("skipping the tag-list check: the shared research folder (../shared) is absent");
        return;
    };
    let tags = namespace_tags(&shared.join("research/podcast-namespace"));
    assert!(
        tags.len() >= 30,
        "the namespace lists {} tags: {tags:?}",
        tags.len()
    );
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let written: std::collections::BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some("https://podcastindex.org/namespace/1.0"))
        .map(|n| n.tag_name().name())
        .collect();
    let missing: Vec<&String> = tags
        .iter()
        .filter(|t| !written.contains(t.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "the every-tag show's feed lacks {missing:?}"
    );
}

/// Python reads the catalogue with `tomllib` and the feed with `xml.etree`, and lists every tag whose
/// attributes or text differ from what the catalogue states (and the README documents).
const READ_BACK: &str = r#"
import json, subprocess, sys, tomllib, xml.etree.ElementTree as ET
root = sys.argv[1]
cat = tomllib.load(open(root + "/episodes.toml", "rb"))
feed = ET.parse(root + "/public/feed.xml").getroot()
P = "{https://podcastindex.org/namespace/1.0}"
show = cat["show"]
base = show["media_base_url"]
problems = []

def expect(where, got, want):
    if got != want:
        problems.append(f"{where}: feed has {got!r}, catalogue states {want!r}")

def attrs(el, mapping, where):
    # mapping: feed attribute -> expected value (None: absent)
    for k, v in mapping.items():
        expect(f"{where} @{k}", el.get(k), None if v is None else str(v))

def secs(t):
    return ("%g" % t) if isinstance(t, (int, float)) else t

def image_size(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "json", path],
                         capture_output=True, text=True, check=True)
    s = json.loads(out.stdout)["streams"][0]
    return s["width"], s["height"]

def recipients(els, table, where):
    expect(f"{where} recipients", len(els), len(table))
    for el, r in zip(els, table):
        kind = r.get("type", "lnaddress" if "@" in r["address"] else "node")
        attrs(el, {"name": r.get("name"), "type": kind, "address": r["address"], "split": r["split"],
                   "fee": "true" if r.get("fee") else None, "customKey": r.get("custom_key"),
                   "customValue": r.get("custom_value")}, where)

def remote(el, r, where, medium=None):
    attrs(el, {"feedGuid": r["feed_guid"], "feedUrl": r.get("feed_url"), "itemGuid": r.get("item_guid"),
               "medium": medium or r.get("medium"), "title": r.get("title")}, where)

def values(parent, blocks, where):
    els = parent.findall(P + "value")
    expect(f"{where} value blocks", len(els), len(blocks))
    for el, v in zip(els, blocks):
        attrs(el, {"type": v.get("type", "lightning"), "method": v.get("method", "keysend"),
                   "suggested": v.get("suggested")}, where + " value")
        recipients(el.findall(P + "valueRecipient"), v.get("recipient", []), where + " valueRecipient")
        splits = el.findall(P + "valueTimeSplit")
        expect(f"{where} time splits", len(splits), len(v.get("time_split", [])))
        for s_el, s in zip(splits, v.get("time_split", [])):
            attrs(s_el, {"startTime": secs(s["start"]), "duration": secs(s["duration"]),
                         "remotePercentage": s.get("remote_percentage")}, where + " valueTimeSplit")
            if "remote_item" in s:
                remote(s_el.find(P + "remoteItem"), s["remote_item"], where + " valueTimeSplit remoteItem")
            recipients(s_el.findall(P + "valueRecipient"), s.get("recipient", []), where + " valueTimeSplit recipient")

def common(parent, table, where):
    values(parent, table.get("value", []), where)
    txt = parent.findall(P + "txt")
    expect(f"{where} txt", [(t.text, t.get("purpose")) for t in txt],
           [(t["text"], t.get("purpose")) for t in table.get("txt", [])])
    social = parent.findall(P + "socialInteract")
    expect(f"{where} socialInteract", len(social), len(table.get("social_interact", [])))
    for el, s in zip(social, table.get("social_interact", [])):
        attrs(el, {"protocol": s["protocol"], "uri": s.get("uri"), "accountId": s.get("account_id"),
                   "accountUrl": s.get("account_url"), "priority": s.get("priority")}, where + " socialInteract")
    chat = parent.find(P + "chat")
    if "chat" in table:
        c = table["chat"]
        attrs(chat, {"server": c["server"], "protocol": c["protocol"], "accountId": c.get("account_id"),
                     "space": c.get("space")}, where + " chat")
    images = [i for i in parent.findall(P + "image") if i.get("purpose") != "artwork"]
    expect(f"{where} images", len(images), len(table.get("artwork", [])))
    for el, a in zip(images, table.get("artwork", [])):
        w, h = image_size(root + "/" + a["file"])
        attrs(el, {"href": base + a["file"].removeprefix("media/"), "alt": a.get("alt"),
                   "purpose": a.get("purpose"), "width": w, "height": h}, where + " image")
        rw, rh = (int(x) for x in el.get("aspect-ratio").split("/"))
        expect(f"{where} image aspect-ratio", rw * h, rh * w)

channel = feed.find("channel")
common(channel, show, "channel")
cover = [i for i in channel.findall(P + "image") if i.get("purpose") == "artwork"]
w, h = image_size(root + "/" + show["image"])
attrs(cover[0], {"href": base + show["image"].removeprefix("media/"), "alt": show["image_alt"], "width": w,
                 "height": h, "aspect-ratio": "1/1", "type": "image/jpeg"}, "cover image")
expect("podroll", [r.get("feedGuid") for r in channel.find(P + "podroll")],
       [r["feed_guid"] for r in show["podroll"]])
for el, r in zip(channel.find(P + "podroll"), show["podroll"]):
    remote(el, r, "podroll remoteItem")
remote(channel.find(P + "publisher").find(P + "remoteItem"), show["publisher"], "publisher", "publisher")
u = channel.find(P + "updateFrequency")
expect("updateFrequency text", u.text, show["update_frequency"]["text"])
attrs(u, {"rrule": show["update_frequency"]["rrule"], "dtstart": str(show["update_frequency"]["dtstart"])},
      "updateFrequency")
attrs(channel.find(P + "podping"), {"usesPodping": "true"}, "podping")
loc = show["location"]
expect("location text", channel.find(P + "location").text, loc["name"])
attrs(channel.find(P + "location"), {"geo": loc.get("geo"), "osm": loc.get("osm"), "country": loc.get("country")},
      "location")
blocks = [(b.get("id"), b.text) for b in channel.findall(P + "block")]
want = [(None, "yes")] + [(p, "no") for p in show["allow_platforms"]]
expect("block", blocks, want)

items = {i.findtext("guid"): i for i in channel.findall("item")}
lives = {i.findtext("guid"): i for i in channel.findall(P + "liveItem")}
for e in cat["episode"]:
    if "live" in e:
        el = lives[e["guid"]]
        l = e["live"]
        def iso(t):
            return t.strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
        attrs(el, {"status": l["status"], "start": iso(l["start"]), "end": iso(l["end"])}, "liveItem")
        attrs(el.find("enclosure"), {"url": e["audio"], "type": e["audio_type"]}, "liveItem enclosure")
        where = "liveItem"
    else:
        el = items[e["guid"]]
        where = "item " + e["guid"]
    common(el, e, where)
    links = [(c.get("href"), c.text) for c in el.findall(P + "contentLink")]
    expect(f"{where} contentLink", links, [(c["href"], c["text"]) for c in e.get("content_link", [])])
# podcast:integrity: the SHA-384 of the local file each alternate enclosure's source points at.
import base64, hashlib
if cat.get("build", {}).get("integrity"):
    for alt in channel.iter(P + "alternateEnclosure"):
        uri = alt.find(P + "source").get("uri")
        local = root + "/media/" + uri.removeprefix(base)
        digest = base64.b64encode(hashlib.sha384(open(local, "rb").read()).digest()).decode()
        attrs(alt.find(P + "integrity"), {"type": "sri", "value": "sha384-" + digest}, "integrity of " + uri)
print(json.dumps(problems))
"#;

#[test]
fn every_tag_reads_back_as_the_catalogue_states_it() {
    if !have_tool("ffprobe") {
        return;
    }
    let show = built_every_tag_show();
    let problems = python_json(READ_BACK, show.path());
    assert_eq!(problems, serde_json::json!([]));
}

#[test]
fn feedparser_reads_the_every_tag_feed_without_complaint() {
    if !have_python_module("feedparser") {
        return;
    }
    let show = built_every_tag_show();
    let parsed = python_json(
        r#"
import feedparser, json, sys
d = feedparser.parse(sys.argv[1] + "/public/feed.xml")
print(json.dumps({"bozo": bool(d.bozo), "titles": [e.title for e in d.entries]}))
"#,
        show.path(),
    );
    // The live item is the namespace's own element, not an RSS item: feedparser lists the two episodes.
    assert_eq!(parsed["bozo"], false);
    assert_eq!(
        parsed["titles"],
        serde_json::json!(["Every tag, once", "The trailer"])
    );
}

/// A catalogue with `extra` after the show table and one episode, built; returns (exit code, stderr).
fn build_with(show_extra: &str, episode_extra: &str) -> (i32, String) {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(&format!(
        "{SHOW}{show_extra}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nnotes = \"n\"\n{episode_extra}"
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    (out.status.code().unwrap_or(-1), stderr_of(&out))
}

/// Each kind of mistake in the new fields is a finding on its line, saying what to do; the build stops on
/// errors.
#[test]
fn mistakes_in_the_podcasting_fields_point_at_their_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (show fields, episode fields, expected code, expected words)
        (
            "[show.update_frequency]\ntext = \"Weekly\"\nrrule = \"FREQ=FORTNIGHTLY\"\n",
            "",
            "error[C005]",
            "is not a recurrence rule apps can follow",
        ),
        (
            "[show.update_frequency]\ntext = \"Weekly\"\nrrule = \"FREQ=WEEKLY;COUNT=4\"\n",
            "",
            "error[C005]",
            "needs a `dtstart`",
        ),
        (
            "[[show.podroll]]\ntitle = \"No guid\"\n",
            "",
            "error[C004]",
            "has no `feed_guid`",
        ),
        (
            "[[show.podroll]]\nfeed_guid = \"not-a-uuid\"\n",
            "",
            "error[C005]",
            "is not a UUID",
        ),
        (
            &format!("[[show.txt]]\ntext = \"{}\"\n", "x".repeat(4001)),
            "",
            "warning[C022]",
            "at most 4000",
        ),
        (
            "[[show.value]]\n[[show.value.recipient]]\nsplit = 10\n",
            "",
            "error[C004]",
            "has no `address`",
        ),
        (
            "[[show.value]]\n[[show.value.recipient]]\naddress = \"a@b.example\"\nsplit = 50\n[[show.value.recipient]]\naddress = \"03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a\"\nsplit = 60\nfee = true\n[[show.value.recipient]]\naddress = \"032f4ffbbafffbe51726ad3c164a3d0d37ec27bc67b29a159b0f49ae8ac21b8508\"\nsplit = 50\nfee = true\n",
            "",
            "warning[C037]",
            "add up to 110 %",
        ),
        (
            "[[show.value]]\n[[show.value.recipient]]\naddress = \"02abc\"\nsplit = 1\n",
            "",
            "error[C005]",
            "66 hexadecimal characters",
        ),
        (
            "block_platforms = [\"spotfy\"]\n",
            "",
            "error[C005]",
            "did you mean `spotify`?",
        ),
        (
            "[[show.social_interact]]\nprotocol = \"disabled\"\nuri = \"https://example.com/post/1\"\n",
            "",
            "error[C005]",
            "takes no other field",
        ),
        (
            "[show.chat]\nserver = \"https://irc.example.com\"\nprotocol = \"ircc\"\n",
            "",
            "error[C005]",
            "did you mean `irc`?",
        ),
        (
            "",
            "[episode.live]\nstatus = \"over\"\nstart = 2024-03-01T09:00:00Z\n",
            "error[C005]",
            "`status` `over` is not one of pending, live, ended",
        ),
        (
            "",
            "[episode.live]\nstatus = \"live\"\nstart = 2024-03-01T09:00:00Z\nend = 2024-03-01T08:00:00Z\n",
            "error[C005]",
            "ends before it starts",
        ),
        (
            "",
            "[episode.live]\nstatus = \"live\"\nstart = 2024-03-01T09:00:00Z\nend = 2024-03-01T10:00:00Z\n",
            "error[C004]",
            "has no `[[episode.content_link]]`",
        ),
        (
            "",
            "[[episode.value]]\n[[episode.value.recipient]]\naddress = \"a@b.example\"\nsplit = 1\n[[episode.value.time_split]]\nstart = 10\nduration = 5\n",
            "error[C004]",
            "names nobody to pay",
        ),
    ];
    for (show_extra, episode_extra, code, words) in cases {
        let (status, err) = build_with(show_extra, episode_extra);
        assert!(
            err.contains(code) && err.contains(words),
            "{show_extra}{episode_extra}: expected {code} saying {words:?}, got:\n{err}"
        );
        assert!(
            err.contains("--> episodes.toml:"),
            "no line for {code}:\n{err}"
        );
        if code.starts_with("error") {
            assert_eq!(status, 1, "{err}");
        }
    }
}

/// A live stream announced for next week is not held back as a future episode; streams come before the
/// items, on air first, then announced ones by start; an ended stream last.
#[test]
fn live_streams_are_placed_by_status_before_the_items() {
    let show = ShowDir::new();
    let live = |title: &str, status: &str, start: &str| {
        format!(
            "\n[[episode]]\ntitle = \"{title}\"\naudio = \"https://stream.example.com/{status}.mp3\"\naudio_type = \"audio/mpeg\"\nnotes = \"n\"\n[episode.live]\nstatus = \"{status}\"\nstart = {start}\nend = {}\n[[episode.content_link]]\nhref = \"https://example.com/live\"\ntext = \"Listen in the browser\"\n",
            start.replace("T18:", "T20:")
        )
    };
    let catalogue = format!(
        "{SHOW}\n[[episode]]\ntitle = \"Recorded\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nnotes = \"n\"\n{}{}{}{}",
        live("Later", "pending", "2024-04-20T18:00:00Z"),
        live("Over", "ended", "2024-02-01T18:00:00Z"),
        live("Sooner", "pending", "2024-04-10T18:00:00Z"),
        live("Now", "live", "2024-03-31T18:00:00Z"),
    );
    show.audio("one.mp3").catalogue(&catalogue);
    let out = show
        .castkit()
        .args(["build-feed", "--now", "2024-03-31T19:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("warning["), "{}", stderr_of(&out));
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    let order: Vec<(String, Option<&str>)> = channel
        .children()
        .filter(|n| n.has_tag_name("item") || n.tag_name().name() == "liveItem")
        .map(|n| {
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_owned();
            (title, n.attribute("status"))
        })
        .collect();
    assert_eq!(
        order,
        [
            ("Now".to_owned(), Some("live")),
            ("Sooner".to_owned(), Some("pending")),
            ("Later".to_owned(), Some("pending")),
            ("Over".to_owned(), Some("ended")),
            ("Recorded".to_owned(), None),
        ]
    );
    assert_feed_validates_clean(&show);
}

/// Apple reads only `itunes:block`: a `podcast:block` that keeps Apple out is not enough there, and the
/// catalogue says so (castkit does not add `itunes:block` itself, so a show moved in keeps Apple's listing).
#[test]
fn blocking_apple_with_podcast_block_warns_that_apple_reads_only_itunes_block() {
    for (lists, warned) in [
        ("block_platforms = [\"apple\"]\n", true),
        ("block_platforms = [\"all\"]\n", true),
        ("block_platforms = [\"all\"]\nblock = true\n", false),
        (
            "block_platforms = [\"all\"]\nallow_platforms = [\"apple\"]\n",
            false,
        ),
        ("block_platforms = [\"spotify\"]\n", false),
    ] {
        let show = ShowDir::new();
        show.audio("one.mp3").catalogue(&format!(
            "{SHOW}{lists}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nnotes = \"n\"\n"
        ));
        let out = show.castkit().arg("build-feed").output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        let err = stderr_of(&out);
        assert_eq!(
            err.contains("Apple Podcasts reads only `itunes:block`"),
            warned,
            "{lists}{err}"
        );
        let feed = show.feed().unwrap();
        let doc = roxmltree::Document::parse(&feed).unwrap();
        let itunes_block = doc.descendants().any(|n| {
            n.tag_name().name() == "block"
                && n.tag_name().namespace() == Some("http://www.itunes.com/dtds/podcast-1.0.dtd")
        });
        assert_eq!(itunes_block, lists.contains("block = true"), "{lists}");
    }
}

/// Artwork published elsewhere carries what the catalogue states: a width alone (as the namespace's own
/// examples give it), a stated ratio, or the ratio of a stated width and height, reduced as CSS writes it.
#[test]
fn artwork_given_by_url_carries_the_stated_size_and_ratio() {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(&format!(
        "{SHOW}\n[[show.artwork]]\nfile = \"https://example.com/a.jpg\"\nalt = \"A\"\nwidth = 1200\naspect_ratio = \"1.91\"\n\n[[show.artwork]]\nfile = \"https://example.com/b.jpg\"\nalt = \"B\"\nwidth = 2560\nheight = 640\n\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nnotes = \"n\"\n"
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let images: Vec<[Option<&str>; 4]> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().name() == "image"
                && n.tag_name().namespace() == Some("https://podcastindex.org/namespace/1.0")
        })
        .map(|n| {
            [
                n.attribute("href"),
                n.attribute("width"),
                n.attribute("height"),
                n.attribute("aspect-ratio"),
            ]
        })
        .collect();
    assert_eq!(
        images,
        [
            [
                Some("https://example.com/a.jpg"),
                Some("1200"),
                None,
                Some("1.91")
            ],
            [
                Some("https://example.com/b.jpg"),
                Some("2560"),
                Some("640"),
                Some("4/1")
            ],
        ]
    );
    assert_feed_validates_clean(&show);
}

/// A list whose entries were all refused is not also reported as missing: each mistake is said once, on its
/// own line.
#[test]
fn refused_entries_are_not_also_reported_missing() {
    let (status, err) = build_with(
        "[[show.value]]\n[[show.value.recipient]]\nsplit = 10\n",
        "[episode.live]\nstatus = \"live\"\nstart = 2024-03-01T09:00:00Z\nend = 2024-03-01T10:00:00Z\n[[episode.content_link]]\nhref = \"not a url\"\ntext = \"Listen\"\n",
    );
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("has no `address`"), "{err}");
    assert!(err.contains("`href` `not a url`"), "{err}");
    assert!(!err.contains("has no `[[….recipient]]`"), "{err}");
    assert!(!err.contains("has no `[[episode.content_link]]`"), "{err}");
}
