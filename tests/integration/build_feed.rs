//! `castkit build-feed`: the example show and catalogues written by the tests, read back with parsers that
//! share no code with castkit's writer (roxmltree, the `rss` crate, Python's feedparser and podcastparser).

use std::process::Command;

use crate::support::{
    EXAMPLE_MP3, SHOW, ShowDir, ffmpeg_decoded_seconds, have_python_module, have_tool, python_json,
    repo_root, stderr_of,
};

const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// A strict, namespace-aware parse: rejects undeclared prefixes and characters XML forbids.
fn parse(feed: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(feed)
        .unwrap_or_else(|e| panic!("feed is not well-formed: {e}\n{feed}"))
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> roxmltree::Node<'a, 'i> {
    node.children()
        .find(|n| {
            n.is_element()
                && n.tag_name().name() == name
                && n.tag_name().namespace().unwrap_or("") == ns
        })
        .unwrap_or_else(|| panic!("no <{name}> ({ns}) in <{}>", node.tag_name().name()))
}

fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children().filter(move |n| {
        n.is_element()
            && n.tag_name().name() == name
            && n.tag_name().namespace().unwrap_or("") == ns
    })
}

fn text<'a>(node: roxmltree::Node<'a, '_>, ns: &str, name: &str) -> &'a str {
    child(node, ns, name).text().unwrap_or("")
}

fn channel<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> roxmltree::Node<'a, 'i> {
    child(doc.root_element(), "", "channel")
}

#[test]
fn example_show_feed_carries_every_required_and_recommended_tag() {
    let show = ShowDir::example();
    let out = show
        .castkit()
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let feed = show.feed().unwrap();
    let doc = parse(&feed);
    let rss = doc.root_element();
    assert_eq!(rss.attribute("version"), Some("2.0"));
    // Each namespace is declared exactly once, on <rss>, with the exact URI.
    for (prefix, uri) in [
        ("itunes", ITUNES),
        ("podcast", PODCAST),
        ("atom", ATOM),
        ("content", CONTENT),
    ] {
        assert_eq!(rss.lookup_namespace_uri(Some(prefix)), Some(uri));
        assert_eq!(feed.matches(&format!("xmlns:{prefix}=")).count(), 1);
    }
    let ch = channel(&doc);
    assert_eq!(
        text(ch, "", "title"),
        "How China Works – Charting the Future"
    );
    assert!(text(ch, "", "description").starts_with("The 20th National Congress"));
    assert_eq!(text(ch, "", "language"), "en");
    assert_eq!(text(ch, "", "link"), "https://www.cgtn.com/");
    assert_eq!(
        child(ch, ITUNES, "image").attribute("href"),
        Some("https://podcasts.example.com/how-china-works/media/cover.jpg")
    );
    let categories: Vec<(&str, Option<&str>)> = children(ch, ITUNES, "category")
        .map(|c| {
            (
                c.attribute("text").unwrap(),
                children(c, ITUNES, "category")
                    .next()
                    .and_then(|s| s.attribute("text")),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [("News", Some("Politics")), ("Government", None)]
    );
    assert_eq!(text(ch, ITUNES, "explicit"), "false");
    assert_eq!(text(ch, ITUNES, "author"), "CGTN");
    assert_eq!(text(ch, ITUNES, "type"), "episodic");
    let owner = child(ch, ITUNES, "owner");
    assert_eq!(text(owner, ITUNES, "email"), "podcasts@example.com");
    let self_link = child(ch, ATOM, "link");
    assert_eq!(self_link.attribute("rel"), Some("self"));
    assert_eq!(
        self_link.attribute("href"),
        Some("https://podcasts.example.com/how-china-works/feed.xml")
    );
    // podcast:guid is the UUIDv5 of the feed URL without scheme, in the namespace's own namespace UUID.
    let ns = uuid::Uuid::parse_str("ead4c236-bf58-58c6-a2c6-a6b28d128cb6").unwrap();
    let expected = uuid::Uuid::new_v5(&ns, b"podcasts.example.com/how-china-works/feed.xml");
    assert_eq!(text(ch, PODCAST, "guid"), expected.to_string());
    let locked = child(ch, PODCAST, "locked");
    assert_eq!(
        (locked.text(), locked.attribute("owner")),
        (Some("yes"), Some("podcasts@example.com"))
    );
    assert_eq!(text(ch, PODCAST, "medium"), "podcast");
    assert_eq!(
        child(ch, PODCAST, "location").attribute("geo"),
        Some("geo:39.9042,116.4074")
    );

    let items: Vec<_> = children(ch, "", "item").collect();
    assert_eq!(items.len(), 1);
    let item = items[0];
    assert_eq!(
        text(item, "", "title"),
        "What are the goals of rural revitalization?"
    );
    // Nothing is written twice: the title only in `<title>` (Apple reads it; `itunes:title` would repeat
    // it), the notes as plain text in `<description>` and as HTML in `content:encoded` (these notes have
    // a quote and emphasis), never in `itunes:summary`, which Apple dropped.
    for repeated in ["title", "summary"] {
        assert_eq!(
            children(item, ITUNES, repeated).count(),
            0,
            "itunes:{repeated}"
        );
        assert_eq!(
            children(ch, ITUNES, repeated).count(),
            0,
            "itunes:{repeated}"
        );
    }
    assert!(text(item, CONTENT, "encoded").contains("<blockquote>"));
    let enclosure = child(item, "", "enclosure");
    assert_eq!(
        enclosure.attribute("url"),
        Some(
            "https://podcasts.example.com/how-china-works/media/5.4%20What%20are%20the%20goals%20of%20rural%20revitalization.mp3"
        )
    );
    let size = std::fs::metadata(show.path().join(EXAMPLE_MP3))
        .unwrap()
        .len();
    assert_eq!(
        enclosure.attribute("length"),
        Some(size.to_string().as_str())
    );
    assert_eq!(enclosure.attribute("type"), Some("audio/mpeg"));
    // The date was written as local time in Asia/Shanghai (UTC+8), so 08:00 there is midnight UTC.
    let date = chrono::DateTime::parse_from_rfc2822(text(item, "", "pubDate")).unwrap();
    assert_eq!(date.to_rfc3339(), "2022-11-28T08:00:00+08:00");
    assert_eq!(date.to_utc().to_rfc3339(), "2022-11-28T00:00:00+00:00");
    let catalogue: toml::Table = toml::from_str(&show.read_catalogue()).unwrap();
    let guid = child(item, "", "guid");
    assert_eq!(guid.text(), catalogue["episode"][0]["guid"].as_str());
    assert_eq!(guid.attribute("isPermaLink"), Some("false"));
    assert_eq!(text(item, ITUNES, "season"), "5");
    assert_eq!(text(item, ITUNES, "episode"), "4");
    assert_eq!(text(item, PODCAST, "season"), "5");
    assert_eq!(text(item, PODCAST, "episode"), "4");
    // A full episode: the type apps assume without `itunes:episodeType`, so none is written.
    assert_eq!(children(item, ITUNES, "episodeType").count(), 0);
    assert_eq!(text(item, ITUNES, "explicit"), "false");
    let person = child(item, PODCAST, "person");
    assert_eq!(
        (
            person.text(),
            person.attribute("role"),
            person.attribute("group")
        ),
        (Some("Shen Ting"), Some("host"), Some("cast"))
    );
    // Show notes: sanitised HTML in content:encoded, plain text in description.
    let html = text(item, CONTENT, "encoded");
    assert!(
        html.contains("<blockquote>") && html.contains("<em>(Source:"),
        "{html}"
    );
    let plain = text(item, "", "description");
    assert!(plain.starts_with("Rural revitalization is a major strategy"));
    assert!(!plain.contains('<') && !plain.contains('*'));
    assert!(plain.ends_with("This episode is presented by Shen Ting."));

    let duration: u64 = text(item, ITUNES, "duration").parse().unwrap();
    if have_tool("ffmpeg") && have_tool("ffprobe") {
        let decoded = ffmpeg_decoded_seconds(&show.path().join(EXAMPLE_MP3));
        assert_eq!(
            duration,
            decoded.round() as u64,
            "ffmpeg decodes {decoded} s"
        );
    }
}

#[test]
fn the_rss_crate_reads_the_same_values() {
    let show = ShowDir::example();
    show.castkit()
        .args(["build-feed", "--locked"])
        .assert()
        .success();
    let feed = show.feed().unwrap();
    let channel = rss::Channel::read_from(feed.as_bytes()).unwrap();
    assert_eq!(channel.title(), "How China Works – Charting the Future");
    assert_eq!(channel.items().len(), 1);
    let item = &channel.items()[0];
    let enclosure = item.enclosure().unwrap();
    let size = std::fs::metadata(show.path().join(EXAMPLE_MP3))
        .unwrap()
        .len();
    assert_eq!(enclosure.length(), size.to_string());
    assert_eq!(enclosure.mime_type(), "audio/mpeg");
    assert!(
        enclosure
            .url()
            .ends_with("/5.4%20What%20are%20the%20goals%20of%20rural%20revitalization.mp3")
    );
    let itunes = item.itunes_ext().unwrap();
    assert_eq!(itunes.season(), Some("5"));
    assert_eq!(itunes.episode(), Some("4"));
    assert_eq!(itunes.episode_type(), None, "full is what apps assume");
    let channel_itunes = channel.itunes_ext().unwrap();
    assert_eq!(channel_itunes.explicit(), Some("false"));
    assert_eq!(channel_itunes.categories()[0].text(), "News");
}

#[test]
fn python_podcast_parsers_read_every_episode() {
    if !have_python_module("feedparser") || !have_python_module("podcastparser") {
        return;
    }
    let show = ShowDir::example();
    show.castkit()
        .args(["build-feed", "--locked"])
        .assert()
        .success();
    let feed_path = show.path().join("public/feed.xml");
    let script = r#"
import json, sys, calendar, feedparser, podcastparser
path = sys.argv[1]
with open(path, 'rb') as f:
    pp = podcastparser.parse('https://podcasts.example.com/how-china-works/feed.xml', f)
fp = feedparser.parse(path)
e = fp.entries[0]
print(json.dumps({
    'pp_count': len(pp['episodes']),
    'pp_title': pp['episodes'][0]['title'],
    'pp_total_time': pp['episodes'][0]['total_time'],
    'pp_published': pp['episodes'][0]['published'],
    'pp_url': pp['episodes'][0]['enclosures'][0]['url'],
    'pp_size': pp['episodes'][0]['enclosures'][0]['file_size'],
    'pp_guid': pp['episodes'][0]['guid'],
    'fp_bozo': int(fp.bozo),
    'fp_count': len(fp.entries),
    'fp_duration': e.get('itunes_duration'),
    'fp_published': calendar.timegm(e.published_parsed),
    'fp_length': e.enclosures[0]['length'],
    'fp_type': e.enclosures[0]['type'],
}))
"#;
    let v = python_json(script, &feed_path);
    let size = std::fs::metadata(show.path().join(EXAMPLE_MP3))
        .unwrap()
        .len();
    let feed = show.feed().unwrap();
    let doc = parse(&feed);
    let item = child(channel(&doc), "", "item");
    let duration: u64 = text(item, ITUNES, "duration").parse().unwrap();
    // 2022-11-28T00:00:00Z as a Unix timestamp.
    let published = 1_669_593_600;
    assert_eq!(v["pp_count"], 1);
    assert_eq!(v["pp_title"], "What are the goals of rural revitalization?");
    assert_eq!(v["pp_total_time"], duration);
    assert_eq!(v["pp_published"], published);
    assert_eq!(v["pp_size"], size);
    assert_eq!(v["pp_guid"], text(item, "", "guid"));
    assert!(
        v["pp_url"]
            .as_str()
            .unwrap()
            .ends_with("/5.4%20What%20are%20the%20goals%20of%20rural%20revitalization.mp3")
    );
    assert_eq!(v["fp_bozo"], 0, "feedparser found the feed ill-formed");
    assert_eq!(v["fp_count"], 1);
    assert_eq!(v["fp_duration"], duration.to_string());
    assert_eq!(v["fp_published"], published);
    assert_eq!(v["fp_length"], size.to_string());
    assert_eq!(v["fp_type"], "audio/mpeg");
}

#[test]
fn two_builds_give_byte_identical_feeds_and_an_unchanged_feed_is_not_rewritten() {
    let show = ShowDir::example();
    show.castkit()
        .args(["build-feed", "--locked", "--out", "a.xml"])
        .assert()
        .success();
    show.castkit()
        .args(["build-feed", "--locked", "--out", "b.xml"])
        .assert()
        .success();
    let a = std::fs::read(show.path().join("a.xml")).unwrap();
    let b = std::fs::read(show.path().join("b.xml")).unwrap();
    assert_eq!(a, b);
    let before = std::fs::metadata(show.path().join("a.xml"))
        .unwrap()
        .modified()
        .unwrap();
    let out = show
        .castkit()
        .args(["build-feed", "--locked", "--out", "a.xml"])
        .output()
        .unwrap();
    assert!(
        stderr_of(&out).contains("unchanged: `a.xml`"),
        "{}",
        stderr_of(&out)
    );
    let after = std::fs::metadata(show.path().join("a.xml"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn the_first_build_assigns_a_guid_that_no_later_edit_changes() {
    let show = ShowDir::new();
    show.audio("one.mp3").catalogue(&format!(
        "{SHOW}\n# my episodes\n[[episode]]\ntitle = \"Frist\" # typo\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00+01:00\n"
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let catalogue = show.read_catalogue();
    // The guid was added and the comments are still there.
    assert!(catalogue.contains("# my episodes") && catalogue.contains("# typo"));
    let parsed: toml::Table = toml::from_str(&catalogue).unwrap();
    let guid = parsed["episode"][0]["guid"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&guid).is_ok());
    assert!(stderr_of(&out).contains(&format!("assigned guid `{guid}`")));
    let feed_guid = |show: &ShowDir| {
        let feed = show.feed().unwrap();
        let doc = parse(&feed);
        text(child(channel(&doc), "", "item"), "", "guid").to_owned()
    };
    assert_eq!(feed_guid(&show), guid);

    // Fix the title, rename the file, move the hosting: the guid stays.
    std::fs::rename(
        show.path().join("media/one.mp3"),
        show.path().join("media/01-first.mp3"),
    )
    .unwrap();
    let edited = catalogue
        .replace("Frist", "First")
        .replace("media/one.mp3", "media/01-first.mp3")
        .replace(
            "https://cdn.example.com/show/media/",
            "https://new-host.example.org/files/",
        );
    show.catalogue(&edited);
    show.castkit()
        .args(["build-feed", "--locked"])
        .assert()
        .success();
    assert_eq!(feed_guid(&show), guid);
    assert!(
        show.feed()
            .unwrap()
            .contains("https://new-host.example.org/files/01-first.mp3")
    );
}

#[test]
fn locked_builds_refuse_to_assign_guids_and_change_nothing() {
    let show = ShowDir::new();
    let catalogue = format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\n"
    );
    show.audio("one.mp3").catalogue(&catalogue);
    let out = show
        .castkit()
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("error[C018]") && err.contains("episode #1 has no guid"),
        "{err}"
    );
    assert_eq!(show.read_catalogue(), catalogue);
    assert!(show.feed().is_none());
    assert!(show.temp_leftovers().is_empty());
}

#[test]
fn markup_quotes_cdata_ends_emoji_cjk_and_forbidden_characters_are_written_safely() {
    let show = ShowDir::new();
    show.audio("e.mp3").catalogue(&format!(
        r#"{SHOW}
[[episode]]
title = "Tom & Jerry <live> \"quoted\" 'single' ]]> 🎙️ 中文播客 bell\u0007"
audio = "media/e.mp3"
published = 2024-03-01T09:00:00Z
guid = "g-1"
notes = """
Less than < and ampersand & and a CDATA end ]]> inside.

Emoji 🎧 and 中文 and a form feed \u000c here.

<script>alert('x')</script> <b onclick="evil()">bold</b>
"""
"#
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    // The forbidden characters were reported as warnings, and left out.
    assert!(
        stderr_of(&out).contains("warning[C023]"),
        "{}",
        stderr_of(&out)
    );
    let feed = show.feed().unwrap();
    assert!(!feed.contains('\u{7}') && !feed.contains('\u{c}'));
    let doc = parse(&feed);
    let item = child(channel(&doc), "", "item");
    assert_eq!(
        text(item, "", "title"),
        "Tom & Jerry <live> \"quoted\" 'single' ]]> 🎙️ 中文播客 bell"
    );
    let html = text(item, CONTENT, "encoded");
    assert!(
        html.contains("CDATA end ]]&gt; inside") || html.contains("CDATA end ]]> inside"),
        "{html}"
    );
    assert!(html.contains("Emoji 🎧 and 中文"));
    assert!(
        !html.contains("<script") && !html.contains("onclick"),
        "{html}"
    );
    let plain = text(item, "", "description");
    assert!(
        plain.contains("Less than < and ampersand & and a CDATA end ]]> inside."),
        "{plain}"
    );
    // Both other readers agree.
    let channel = rss::Channel::read_from(feed.as_bytes()).unwrap();
    assert_eq!(
        channel.items()[0].title(),
        Some("Tom & Jerry <live> \"quoted\" 'single' ]]> 🎙️ 中文播客 bell")
    );
    if have_tool("xmllint") {
        let lint = Command::new("xmllint")
            .args(["--noout"])
            .arg(show.path().join("public/feed.xml"))
            .output()
            .unwrap();
        assert!(
            lint.status.success(),
            "{}",
            String::from_utf8_lossy(&lint.stderr)
        );
    }
}

#[test]
fn notes_are_written_once_as_text_and_once_as_html_only_when_the_html_says_more() {
    if !have_python_module("feedparser") {
        return;
    }
    let long = "A long paragraph of show notes, written to go past Apple's limit. ".repeat(70);
    let show = ShowDir::new();
    show.audio("a.mp3")
        .audio("b.mp3")
        .audio("c.mp3")
        .audio("d.mp3")
        .catalogue(&format!(
            r#"{SHOW}
[[episode]]
title = "Plain"
audio = "media/a.mp3"
published = 2024-03-01T09:00:00Z
guid = "plain"
notes = "Cats & dogs, 2 > 1 and \"quotes\"."

[[episode]]
title = "Literal"
audio = "media/d.mp3"
published = 2024-03-04T09:00:00Z
guid = "literal"
notes = "Write \\<b\\> for bold, and \\&copy; for the copyright sign."

[[episode]]
title = "Linked"
audio = "media/b.mp3"
published = 2024-03-02T09:00:00Z
guid = "linked"
notes = "See [the site](https://example.com/) for *more*."

[[episode]]
title = "Long"
audio = "media/c.mp3"
published = 2024-03-03T09:00:00Z
guid = "long"
notes = "{long}"
"#
        ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    // feedparser, as apps do: `content` from content:encoded when there is one, `summary` from description.
    let read = python_json(
        r#"
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({e.id: {"summary": e.summary, "content": [c.value for c in e.get("content", [])]} for e in d.entries}))
"#,
        &show.path().join("public/feed.xml"),
    );
    // One plain paragraph: the description says it all, and no other copy is written.
    assert_eq!(
        read["plain"]["summary"],
        "Cats & dogs, 2 > 1 and \"quotes\"."
    );
    assert_eq!(read["plain"]["content"], serde_json::json!([]));
    // One paragraph whose text an app reading the description as HTML would take for markup (feedparser
    // does: it drops the `<b>`): the HTML says it unambiguously, so it is written.
    assert_eq!(
        read["literal"]["content"][0],
        "<p>Write &lt;b&gt; for bold, and &amp;copy; for the copyright sign.</p>"
    );
    // A link and emphasis: the HTML carries them, the description the text.
    assert_eq!(read["linked"]["summary"], "See the site for more.");
    let html = read["linked"]["content"][0].as_str().unwrap();
    assert!(html.contains("<a href=\"https://example.com/\""), "{html}");
    assert!(html.contains("<em>more</em>"), "{html}");
    // Notes longer than Apple's 4000 bytes: the description is cut, the HTML keeps all of it.
    let summary = read["long"]["summary"].as_str().unwrap();
    assert!(
        summary.len() <= 4000 && summary.ends_with('…'),
        "{}",
        summary.len()
    );
    let html = read["long"]["content"][0].as_str().unwrap();
    assert!(html.contains(long.trim_end()), "{}", html.len());
    // Never `itunes:summary` (Apple dropped it) nor `itunes:title` (the title again).
    let feed = show.feed().unwrap();
    assert!(!feed.contains("itunes:summary") && !feed.contains("itunes:title"));
}

#[test]
fn enclosure_urls_percent_encode_every_path_segment() {
    let names = [
        "with space.mp3",
        "hash#and?query.mp3",
        "percent%20sign.mp3",
        "Épisode 中文.mp3",
        "season 2/ep 1.mp3",
    ];
    let show = ShowDir::new();
    let mut catalogue = SHOW.to_owned();
    for (i, name) in names.iter().enumerate() {
        show.audio(name);
        catalogue.push_str(&format!(
            "\n[[episode]]\ntitle = \"E{i}\"\naudio = \"media/{name}\"\npublished = 2024-03-0{}T09:00:00Z\nguid = \"g{i}\"\n",
            i + 1
        ));
    }
    show.catalogue(&catalogue);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    let feed = show.feed().unwrap();
    let doc = parse(&feed);
    let mut found = Vec::new();
    for item in children(channel(&doc), "", "item") {
        let url = child(item, "", "enclosure").attribute("url").unwrap();
        assert!(url.is_ascii(), "Apple wants ASCII URLs: {url}");
        let parsed = url::Url::parse(url).unwrap();
        assert_eq!(parsed.query(), None, "{url}");
        assert_eq!(parsed.fragment(), None, "{url}");
        let path = parsed.path().strip_prefix("/show/media/").unwrap();
        let decoded: Vec<String> = path.split('/').map(percent_decode).collect();
        found.push(decoded.join("/"));
    }
    found.sort();
    let mut expected: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
    assert!(feed.contains("https://cdn.example.com/show/media/hash%23and%3Fquery.mp3"));
    assert!(feed.contains("https://cdn.example.com/show/media/percent%2520sign.mp3"));
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_failed_build_leaves_the_existing_feed_untouched() {
    let show = ShowDir::example();
    show.castkit()
        .args(["build-feed", "--locked"])
        .assert()
        .success();
    let before = show.feed().unwrap();
    // Break the catalogue in a way only a later stage notices: the audio file is not audio.
    std::fs::write(show.path().join(EXAMPLE_MP3), b"this is not an mp3 file").unwrap();
    let out = show
        .castkit()
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("error[C020]"),
        "{}",
        stderr_of(&out)
    );
    assert!(stderr_of(&out).contains("the feed was not written"));
    assert_eq!(show.feed().unwrap(), before);
    assert!(show.temp_leftovers().is_empty());
}

#[test]
fn drafts_and_future_episodes_are_held_back_and_said_so() {
    let show = ShowDir::new();
    show.audio("a.mp3")
        .audio("b.mp3")
        .audio("c.mp3")
        .catalogue(&format!(
            r#"{SHOW}
[[episode]]
title = "Published"
audio = "media/a.mp3"
published = 2024-03-01T09:00:00Z
guid = "a"

[[episode]]
title = "Draft"
audio = "media/b.mp3"
published = 2024-03-02T09:00:00Z
guid = "b"
draft = true

[[episode]]
title = "Scheduled"
audio = "media/c.mp3"
published = 2024-04-01T09:00:00Z
guid = "c"
"#
        ));
    let now = "2024-03-15T00:00:00Z";
    let out = show
        .castkit()
        .args(["build-feed", "--now", now])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("episode #2 is a draft: left out of the feed"),
        "{err}"
    );
    assert!(
        err.contains("episode #3 is dated 2024-04-01T09:00:00+00:00, in the future: held back"),
        "{err}"
    );
    let titles = |show: &ShowDir| -> Vec<String> {
        let feed = show.feed().unwrap();
        let doc = parse(&feed);
        children(channel(&doc), "", "item")
            .map(|i| text(i, "", "title").to_owned())
            .collect()
    };
    assert_eq!(titles(&show), ["Published"]);
    show.castkit()
        .args(["build-feed", "--now", now, "--drafts", "--future"])
        .assert()
        .success();
    // Newest first.
    assert_eq!(titles(&show), ["Scheduled", "Draft", "Published"]);
    // lastBuildDate comes from the content (the newest episode), never from the clock.
    let feed = show.feed().unwrap();
    let doc = parse(&feed);
    assert_eq!(
        text(channel(&doc), "", "lastBuildDate"),
        "Mon, 01 Apr 2024 09:00:00 +0000"
    );
}

#[test]
fn the_readme_quick_start_commands_are_the_ones_ci_runs() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(repo_root().join(".ci/run")).unwrap();
    assert!(
        readme.contains("cargo run --release -- build-feed"),
        "README lost its first command"
    );
    assert!(readme.contains("cargo test --locked") && ci.contains("cargo test --locked"));
}

#[test]
fn every_optional_field_reaches_its_tag() {
    let show = ShowDir::new();
    std::fs::copy(
        show.path().join("media/cover.jpg"),
        show.path().join("media/ep-art.jpg"),
    )
    .unwrap();
    show.audio("t.mp3").audio("b.mp3").catalogue(&format!(
        r#"{}
type = "serial"
copyright = "© 2024 Test"
keywords = ["one", "two words"]
complete = true
block = true
new_feed_url = "https://new.example.com/feed.xml"
podcast_guid = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
locked = false
medium = "audiobook"
license = {{ name = "My Licence", url = "https://example.com/licence" }}
location = {{ name = "Austin, TX", geo = "geo:30.2672,97.7431", osm = "R113314", country = "us" }}

[[show.funding]]
url = "https://example.com/support"
text = "Support us & <friends>"

[[show.person]]
name = "Ann Host"
href = "https://example.com/ann"
img = "https://example.com/ann.jpg"

[[show.person]]
name = "Bo Producer"
role = "Producer"

[[episode]]
title = "Trailer"
audio = "media/t.mp3"
published = 2024-01-01
type = "trailer"
season = 1
number = 1
explicit = true
image = "media/ep-art.jpg"
link = "https://example.com/trailer"
block = true
guid = "t"

[[episode]]
title = "Bonus"
audio = "media/b.mp3"
published = 2024-01-02T10:30:00-05:00
type = "bonus"
season = 1
number = 1
guid = "b"

[[episode.person]]
name = "Cy Guest"
role = "guest"
"#,
        SHOW.replace(
            "\nexplicit = false",
            "\nexplicit = false\ntimezone = \"America/Chicago\""
        )
    ));
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    crate::support::assert_feed_validates_clean(&show);
    let feed = show.feed().unwrap();
    let doc = parse(&feed);
    let ch = channel(&doc);
    assert_eq!(text(ch, ITUNES, "type"), "serial");
    assert_eq!(text(ch, "", "copyright"), "© 2024 Test");
    assert_eq!(text(ch, ITUNES, "keywords"), "one,two words");
    assert_eq!(text(ch, ITUNES, "complete"), "Yes");
    assert_eq!(text(ch, ITUNES, "block"), "Yes");
    assert_eq!(
        text(ch, ITUNES, "new-feed-url"),
        "https://new.example.com/feed.xml"
    );
    assert_eq!(
        text(ch, PODCAST, "guid"),
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    );
    let locked = child(ch, PODCAST, "locked");
    assert_eq!(
        (locked.text(), locked.attribute("owner")),
        (Some("no"), Some("owner@example.com"))
    );
    assert_eq!(text(ch, PODCAST, "medium"), "audiobook");
    let license = child(ch, PODCAST, "license");
    assert_eq!(
        (license.text(), license.attribute("url")),
        (Some("My Licence"), Some("https://example.com/licence"))
    );
    let location = child(ch, PODCAST, "location");
    assert_eq!(location.text(), Some("Austin, TX"));
    assert_eq!(location.attribute("geo"), Some("geo:30.2672,97.7431"));
    assert_eq!(location.attribute("osm"), Some("R113314"));
    let funding = child(ch, PODCAST, "funding");
    assert_eq!(
        funding.attribute("url"),
        Some("https://example.com/support")
    );
    assert_eq!(funding.text(), Some("Support us & <friends>"));
    let persons: Vec<_> = children(ch, PODCAST, "person")
        .map(|p| {
            (
                p.text().unwrap(),
                p.attribute("role"),
                p.attribute("group"),
                p.attribute("href"),
                p.attribute("img"),
            )
        })
        .collect();
    assert_eq!(
        persons,
        [
            (
                "Ann Host",
                Some("host"),
                Some("cast"),
                Some("https://example.com/ann"),
                Some("https://example.com/ann.jpg")
            ),
            (
                "Bo Producer",
                Some("producer"),
                Some("creative direction"),
                None,
                None
            ),
        ]
    );

    let items: Vec<_> = children(ch, "", "item").collect();
    // Newest first: the bonus (2 Jan, 15:30 UTC) before the trailer (1 Jan, midnight in Chicago = 06:00 UTC).
    assert_eq!(text(items[0], "", "title"), "Bonus");
    let trailer = items[1];
    assert_eq!(text(trailer, ITUNES, "episodeType"), "trailer");
    assert_eq!(text(trailer, ITUNES, "explicit"), "true");
    assert_eq!(text(trailer, ITUNES, "block"), "Yes");
    assert_eq!(text(trailer, "", "link"), "https://example.com/trailer");
    assert_eq!(
        child(trailer, ITUNES, "image").attribute("href"),
        Some("https://cdn.example.com/show/media/ep-art.jpg")
    );
    assert_eq!(
        text(trailer, "", "pubDate"),
        "Mon, 01 Jan 2024 00:00:00 -0600"
    );
    let bonus = items[0];
    assert_eq!(text(bonus, ITUNES, "episodeType"), "bonus");
    assert_eq!(text(bonus, ITUNES, "explicit"), "false");
    assert_eq!(
        text(bonus, "", "pubDate"),
        "Tue, 02 Jan 2024 10:30:00 -0500"
    );
    // A guest is not the author, and the show's author is not repeated: apps show the channel's.
    assert_eq!(children(bonus, ITUNES, "author").count(), 0);
    assert_eq!(text(bonus, "", "link"), "https://example.com/show");
    assert_eq!(
        child(bonus, ITUNES, "image").attribute("href"),
        Some("https://cdn.example.com/show/media/cover.jpg")
    );
    let guest = child(bonus, PODCAST, "person");
    assert_eq!(
        (guest.text(), guest.attribute("role")),
        (Some("Cy Guest"), Some("guest"))
    );
}
