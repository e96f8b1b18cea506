//! `castkit import` keeps the Podcasting 2.0 tags beyond the everyday ones. The test show that uses every
//! tag (`tests/shows/every-tag/`) is built, imported and built again from the imported catalogue, and Python's
//! xml.etree compares every `podcast:` element and attribute of the two feeds. A feed with mistakes in these
//! tags imports without them, each with a note naming its line, and the catalogue builds.

use std::path::Path;

use crate::support::{copy_tree, have_python_module, python_json, repo_root, stderr_of};

/// Every element of the Podcasting 2.0 namespace in a feed, read by Python's xml.etree: grouped by where it
/// is (`channel`, or the guid of its `<item>` or `<podcast:liveItem>`), each as its path below that
/// (`value/valueRecipient`), its attributes and its text, in document order.
const PODCAST_ELEMENTS: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
NS = "{https://podcastindex.org/namespace/1.0}"
channel = ET.parse(sys.argv[1]).getroot().find("channel")
out = {}
def walk(node, owner, path):
    for child in node:
        tag = child.tag
        if tag == "item" or tag == NS + "liveItem":
            guid = child.findtext("guid")
            if tag == NS + "liveItem":
                out.setdefault("channel", []).append(
                    {"path": "liveItem", "attrs": dict(child.attrib), "text": ""})
            walk(child, guid, "")
            continue
        if tag.startswith(NS):
            name = path + tag[len(NS):]
            out.setdefault(owner, []).append(
                {"path": name, "attrs": dict(child.attrib), "text": (child.text or "").strip()})
            walk(child, owner, name + "/")
walk(channel, "channel", "")
print(json.dumps(out))
"#;

/// `castkit` in `dir` with `args`; fails the test with its stderr unless it succeeds. Returns its stderr.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = crate::support::castkit()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "castkit {args:?}: {}",
        stderr_of(&out)
    );
    stderr_of(&out)
}

#[test]
fn every_podcasting_tag_survives_import_and_a_rebuild() {
    if !have_python_module("xml.etree.ElementTree") {
        return;
    }
    let original = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("tests/shows/every-tag"), original.path());
    let now = "2026-03-09T18:30:00Z";
    run(original.path(), &["build-feed", "--no-cache", "--now", now]);
    let feed = original.path().join("public/feed.xml");

    // The show is locked (`locked = true`): this is its owner moving it, in place. Its media stays where it
    // is, under the new catalogue's own `media_base_url`: given by URL, those files are not looked for in the
    // empty media folder.
    let imported = tempfile::tempdir().unwrap();
    let notes = run(
        imported.path(),
        &["import", feed.to_str().unwrap(), "--allow-locked"],
    );
    let catalogue = std::fs::read_to_string(imported.path().join("episodes.toml")).unwrap();
    assert!(
        catalogue.contains("audio = \"https://every-tag.example.com/media/episode-1.mp3\""),
        "{catalogue}"
    );
    run(
        imported.path(),
        &["build-feed", "--no-cache", "--now", now, "--no-against"],
    );
    let rebuilt = imported.path().join("public/feed.xml");

    let mut before = python_json(PODCAST_ELEMENTS, &feed);
    let after = python_json(PODCAST_ELEMENTS, &rebuilt);
    // The one difference the notes announce: the catalogue's `[[episode.alternate]]` renditions are local
    // files castkit probes, so alternate enclosures published elsewhere are not imported (a note says so).
    assert!(
        notes.contains("podcast:alternateEnclosure of `Every tag, once` is not imported"),
        "{notes}"
    );
    // With `[build] integrity = true` every local audio file has an alternate enclosure, the main audio's
    // own carrying its hash: the episode's two (each with its source and integrity), the trailer's one.
    for (guid, alternate_elements) in [("every-tag-episode-1", 6), ("every-tag-trailer", 3)] {
        let episode = before[guid].as_array_mut().unwrap();
        let count = episode.len();
        episode.retain(|e| {
            !e["path"]
                .as_str()
                .unwrap()
                .starts_with("alternateEnclosure")
        });
        assert_eq!(count - episode.len(), alternate_elements, "{guid}");
    }
    // Nothing else was noted: no tag of the every-tag show was left out or changed.
    for line in notes.lines().filter(|l| l.starts_with("note:")) {
        assert!(
            line.contains("podcast:alternateEnclosure") || line.contains("podcast:trailer is not imported: castkit publishes episodes of `type = \"trailer\"` as trailers"),
            "an unexpected note: {line}"
        );
    }
    for (owner, at_least) in [
        ("channel", 25),
        ("every-tag-episode-1", 15),
        ("every-tag-live-2", 2),
    ] {
        let tags: Vec<&str> = before[owner]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap())
            .collect();
        assert!(tags.len() >= at_least, "{owner}: only {tags:?}");
    }
    for required in [
        "value/valueTimeSplit/remoteItem",
        "value/valueTimeSplit/valueRecipient",
        "socialInteract",
        "contentLink",
        "image",
        "chat",
        "txt",
    ] {
        assert!(
            before["every-tag-episode-1"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["path"] == required),
            "the original lacks {required}"
        );
    }
    assert_eq!(
        before.as_object().unwrap().keys().collect::<Vec<_>>(),
        after.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    for (owner, elements) in before.as_object().unwrap() {
        let (was, now) = (
            elements.as_array().unwrap(),
            after[owner].as_array().unwrap(),
        );
        for (i, (w, n)) in was.iter().zip(now).enumerate() {
            assert_eq!(w, n, "{owner}: podcast element #{i}");
        }
        assert_eq!(was.len(), now.len(), "{owner}: {was:#?}\n{now:#?}");
    }
}

/// A feed whose Podcasting 2.0 tags carry mistakes the catalogue refuses, next to values it keeps.
const MISTAKES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Mistakes</title>
<link>https://mistakes.example.org/</link>
<atom:link rel="self" href="https://mistakes.example.org/feed.rss" type="application/rss+xml"/>
<description>A show with mistakes in its Podcasting 2.0 tags.</description>
<language>en</language>
<itunes:author>Mistaken Author</itunes:author>
<itunes:image href="https://mistakes.example.org/cover.jpg"/>
<itunes:category text="Technology"/>
<itunes:explicit>false</itunes:explicit>
<podcast:image href="https://mistakes.example.org/cover.jpg" alt="A green circle" purpose="artwork"/>
<podcast:image href="https://mistakes.example.org/wide.png" alt="A wide picture" width="1200" aspect-ratio="16:9"/>
<podcast:value type="lightning" method="keysend" suggested="1e-8">
  <podcast:valueRecipient name="Kept" type="node" address="03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a" split="90"/>
  <podcast:valueRecipient name="NoAddress" type="node" address="" split="5"/>
  <podcast:valueRecipient name="HalfShare" address="half@getalby.com" split="12.5"/>
  <podcast:valueRecipient name="WrongType" type="keysend" address="wrong@getalby.com" split="5"/>
  <podcast:valueRecipient name="Orphan" address="orphan@getalby.com" split="5" customValue="no-key"/>
  <podcast:valueTimeSplit startTime="soon" duration="30">
    <podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810"/>
  </podcast:valueTimeSplit>
  <podcast:valueTimeSplit startTime="60" duration="30" remotePercentage="150">
    <podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" medium="song"/>
  </podcast:valueTimeSplit>
</podcast:value>
<podcast:value type="Lightning Network" method="keysend">
  <podcast:valueRecipient name="Lost" address="lost@getalby.com" split="100"/>
</podcast:value>
<podcast:txt purpose="verify">  </podcast:txt>
<podcast:txt purpose="applepodcastsverify">abc-123</podcast:txt>
<podcast:podroll>
  <podcast:remoteItem feedGuid="not-a-uuid" title="Nowhere"/>
  <podcast:remoteItem feedGuid="9b024349-ccf0-5f69-a609-6b82873eab3c" feedUrl="ftp://podnews.example/feed" title="Podnews"/>
</podcast:podroll>
<podcast:publisher>
  <podcast:remoteItem feedGuid="003af0a0-6a45-55cf-b765-68e3d349551a" feedUrl="https://publisher.example.org/feed.xml"/>
</podcast:publisher>
<podcast:updateFrequency complete="true" dtstart="2024-13-45" rrule="FREQ=SOMETIMES">Whenever</podcast:updateFrequency>
<podcast:podping usesPodping="maybe"/>
<podcast:block>no</podcast:block>
<podcast:block id="myspace">yes</podcast:block>
<podcast:block id="apple">no</podcast:block>
<podcast:block id="spotify">yes</podcast:block>
<podcast:socialInteract protocol="telegram" uri="https://t.me/mistakes/1"/>
<podcast:socialInteract protocol="activitypub" uri="https://mastodon.example/@m/1" accountUrl="not a url" priority="0"/>
<podcast:chat server="https://chat.example.org/" protocol="irc"/>
<podcast:liveItem status="streaming" start="2026-03-09T18:00:00Z">
  <title>Not a status</title>
  <guid isPermaLink="false">live-bad</guid>
  <enclosure url="https://stream.mistakes.example.org/bad.mp3" length="0" type="audio/mpeg"/>
</podcast:liveItem>
<podcast:liveItem status="pending" start="2026-04-01T19:00:00.000-0600" end="2026-04-01T18:00:00.000-0600">
  <title>Next week, live</title>
  <link>https://mistakes.example.org/live</link>
  <guid isPermaLink="false">live-next</guid>
  <enclosure url="https://stream.mistakes.example.org/next.mp3" length="0" type="audio/mpeg"/>
  <podcast:chat server="irc.zeronode.net" protocol="discord"/>
</podcast:liveItem>
<item>
<title>First</title>
<guid isPermaLink="false">mistakes-1</guid>
<pubDate>Tue, 05 Mar 2024 07:15:00 -0800</pubDate>
<enclosure url="https://cdn.mistakes.example.org/first.mp3" length="123456" type="audio/mpeg"/>
<description>Notes.</description>
<podcast:image href="ftp://mistakes.example.org/ep1.jpg" alt="Unreachable"/>
<podcast:contentLink href="https://video.example.org/first"></podcast:contentLink>
<podcast:contentLink href="https://video.example.org/first-again">Watch it</podcast:contentLink>
<podcast:socialInteract protocol="disabled" uri="https://mastodon.example/@m/2"/>
</item>
</channel>
</rss>
"#;

#[test]
fn mistakes_in_podcasting_tags_are_left_out_each_with_a_note_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("feed.xml"), MISTAKES).unwrap();
    let notes = run(dir.path(), &["import", "feed.xml"]);
    let line_of = |marker: &str| {
        let lines: Vec<usize> = MISTAKES
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(marker))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(lines.len(), 1, "`{marker}` is not on exactly one line");
        lines[0]
    };
    // Each mistake: a marker on its line of the feed, and what the note on that line says.
    for (marker, said) in [
        (
            "width=\"1200\"",
            "aspect-ratio `16:9` of `https://mistakes.example.org/wide.png` is not a ratio",
        ),
        (
            "suggested=\"1e-8\"",
            "suggested `1e-8` is not a decimal amount",
        ),
        ("name=\"NoAddress\"", "`NoAddress` has no address; left out"),
        ("name=\"HalfShare\"", "split `12.5`, not a whole number"),
        (
            "name=\"WrongType\"",
            "type `keysend`, not `node` or `lnaddress`",
        ),
        ("customValue=\"no-key\"", "customValue but no customKey"),
        (
            "startTime=\"soon\"",
            "startTime is `soon`, not a number of seconds; the time split is not imported",
        ),
        (
            "remotePercentage=\"150\"",
            "remotePercentage `150` is not a whole number from 0 to 100",
        ),
        (
            "medium=\"song\"",
            "the medium `song`, not a Podcasting 2.0 medium",
        ),
        (
            "type=\"Lightning Network\"",
            "type `Lightning Network` is not a service slug",
        ),
        ("purpose=\"verify\">", "podcast:txt is empty"),
        ("not-a-uuid", "feedGuid `not-a-uuid`, not a UUID"),
        (
            "ftp://podnews",
            "feedUrl `ftp://podnews.example/feed`, not a web address",
        ),
        (
            "FREQ=SOMETIMES",
            "`dtstart` `2024-13-45` is not an ISO 8601 date",
        ),
        (
            "FREQ=SOMETIMES",
            "rrule `FREQ=SOMETIMES` is not a recurrence rule",
        ),
        (
            "FREQ=SOMETIMES",
            "says the show is complete and the feed has no itunes:complete",
        ),
        ("usesPodping=\"maybe\"", "usesPodping is `maybe`"),
        (
            "<podcast:block>no",
            "`no` without an id allows every platform",
        ),
        (
            "id=\"myspace\"",
            "id `myspace` is not a platform of the namespace's service list",
        ),
        ("id=\"apple\"", "allows a platform that no block excludes"),
        (
            "protocol=\"telegram\"",
            "protocol `telegram` is not in the namespace's list",
        ),
        (
            "accountUrl=\"not a url\"",
            "accountUrl `not a url` is not a web address",
        ),
        (
            "priority=\"0\"",
            "priority `0` is not a whole number from 1 up",
        ),
        (
            "server=\"https://chat.example.org/\"",
            "server `https://chat.example.org/` is not a host name",
        ),
        (
            "status=\"streaming\"",
            "the podcast:liveItem is not imported: its status is `streaming`",
        ),
        (
            "status=\"pending\"",
            "end `2026-04-01T18:00:00.000-0600` is not after its start",
        ),
        (
            "status=\"pending\"",
            "no podcast:contentLink, which the namespace requires; its <link> `https://mistakes.example.org/live` is imported as one",
        ),
        (
            "protocol=\"discord\"",
            "protocol `discord` is not in the namespace's list of chat protocols",
        ),
        (
            "ftp://mistakes.example.org/ep1.jpg",
            "podcast:image href is `ftp://mistakes.example.org/ep1.jpg`, not a web address",
        ),
        (
            "first\"></podcast:contentLink>",
            "podcast:contentLink has no text",
        ),
        (
            "protocol=\"disabled\"",
            "`disabled` turns comments off and takes no other attribute",
        ),
    ] {
        let prefix = format!("note: feed.xml:{}: ", line_of(marker));
        assert!(
            notes
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(said)),
            "no note on line {} saying {said}:\n{notes}",
            line_of(marker)
        );
    }
    let catalogue = std::fs::read_to_string(dir.path().join("episodes.toml")).unwrap();
    assert!(
        catalogue.contains(&format!(
            "# Imported: line {}: the podcast:valueRecipient `NoAddress` has no address",
            line_of("name=\"NoAddress\"")
        )),
        "{catalogue}"
    );
    // What was kept, as Python's tomllib (not castkit) reads the catalogue.
    if have_python_module("tomllib") {
        let read = python_json(
            r#"
import json, sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
s = c["show"]
live = [e for e in c["episode"] if "live" in e]
first = [e for e in c["episode"] if e["guid"] == "mistakes-1"][0]
print(json.dumps({
    "image_alt": s.get("image_alt"), "artwork": s.get("artwork"), "complete": s.get("complete"),
    "value": s.get("value"), "txt": s.get("txt"), "podroll": s.get("podroll"), "publisher": s.get("publisher"),
    "update_frequency": s.get("update_frequency"), "podping": s.get("podping"),
    "block_platforms": s.get("block_platforms"), "allow_platforms": s.get("allow_platforms"),
    "social": s.get("social_interact"), "chat": s.get("chat"),
    "live": [{"guid": e["guid"], "status": e["live"]["status"], "start": e["live"]["start"].isoformat(),
              "end": "end" in e["live"], "chat": "chat" in e, "length": "audio_length" in e} for e in live],
    "first_links": first.get("content_link"), "first_artwork": first.get("artwork"),
    "first_social": first.get("social_interact"),
}))
"#,
            &dir.path().join("episodes.toml"),
        );
        assert_eq!(read["image_alt"], "A green circle");
        assert_eq!(
            read["artwork"],
            // A width alone is what the namespace's examples give; it is kept.
            serde_json::json!([{"file": "https://mistakes.example.org/wide.png", "alt": "A wide picture", "width": 1200}])
        );
        assert_eq!(read["complete"], true);
        assert_eq!(
            read["value"],
            serde_json::json!([{
                "type": "lightning", "method": "keysend",
                "recipient": [{"name": "Kept", "address": "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a", "split": 90},
                              {"name": "Orphan", "address": "orphan@getalby.com", "split": 5}],
                "time_split": [{"start": "1:00", "duration": "0:30",
                                "remote_item": {"feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810"}}],
            }])
        );
        assert_eq!(
            read["txt"],
            serde_json::json!([{"text": "abc-123", "purpose": "applepodcastsverify"}])
        );
        assert_eq!(
            read["podroll"],
            serde_json::json!([{"feed_guid": "9b024349-ccf0-5f69-a609-6b82873eab3c", "title": "Podnews"}])
        );
        assert_eq!(
            read["publisher"],
            serde_json::json!({"feed_guid": "003af0a0-6a45-55cf-b765-68e3d349551a", "feed_url": "https://publisher.example.org/feed.xml"})
        );
        assert_eq!(
            read["update_frequency"],
            serde_json::json!({"text": "Whenever"})
        );
        assert_eq!(read["podping"], serde_json::Value::Null);
        assert_eq!(read["block_platforms"], serde_json::json!(["spotify"]));
        assert_eq!(read["allow_platforms"], serde_json::Value::Null);
        assert_eq!(
            read["social"],
            serde_json::json!([{"protocol": "activitypub", "uri": "https://mastodon.example/@m/1"}])
        );
        assert_eq!(read["chat"], serde_json::Value::Null);
        assert_eq!(
            read["live"],
            serde_json::json!([{"guid": "live-next", "status": "pending", "start": "2026-04-01T19:00:00-06:00",
                                "end": false, "chat": false, "length": false}])
        );
        assert_eq!(
            read["first_links"],
            serde_json::json!([{"href": "https://video.example.org/first-again", "text": "Watch it"}])
        );
        assert_eq!(read["first_artwork"], serde_json::Value::Null);
        assert_eq!(
            read["first_social"],
            serde_json::json!([{"protocol": "disabled"}])
        );
    }
    // The catalogue reader accepts all of it: the show builds with no edits.
    run(dir.path(), &["build-feed", "--no-against"]);
}
