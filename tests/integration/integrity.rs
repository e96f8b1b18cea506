//! `podcast:integrity` (`build-feed --integrity`, `[build] integrity`): the SRI strings castkit writes are
//! the SHA-384 that Python's hashlib computes for the same files, sit inside `podcast:alternateEnclosure` as
//! xmllint reads the feed, are never recomputed for an unchanged file (inotify sees no open), and
//! `validate` catches a file changed after the build (F407).

use std::path::Path;
use std::process::Command;

// The builds use the probe store at its default place, as the cache tests' do.
use crate::cache::{build, castkit};
use crate::support::{
    SHOW, ShowDir, audio_fixtures, have_python_module, have_tool, python_json, stderr_of,
};

/// Two episodes: `e1` with its MP3 only, `e2` with an Opus rendition too.
const LOCAL: &str = r#"
[[episode]]
title = "One"
audio = "media/e1.mp3"
published = 2024-03-01T09:00:00Z
guid = "guid-1"

[[episode]]
title = "Two"
audio = "media/e2.mp3"
published = 2024-03-02T09:00:00Z
guid = "guid-2"

[[episode.alternate]]
audio = "media/e2.opus"
title = "Opus"
"#;

/// An episode hosted elsewhere: no bytes here to hash.
const HOSTED: &str = r#"
[[episode]]
title = "Elsewhere"
audio = "https://media.example.net/shows/t/ep-3.mp3"
audio_length = 31234567
audio_type = "audio/mpeg"
published = 2024-03-03T09:00:00Z
guid = "guid-3"
"#;

/// The show with the `LOCAL` episodes and `more` after them (the hosted one, a `[build]` table).
fn show(more: &str) -> ShowDir {
    let show = ShowDir::new();
    show.audio("e1.mp3").audio("e2.mp3");
    std::fs::copy(
        audio_fixtures("opus.opus"),
        show.path().join("media/e2.opus"),
    )
    .unwrap();
    show.catalogue(&format!("{SHOW}{LOCAL}{more}"));
    show
}

/// What xmllint prints for an XPath expression over `feed` (a `string()` or `count()`: one value).
fn xpath(feed: &Path, query: &str) -> String {
    let out = Command::new("xmllint")
        .args(["--xpath", query])
        .arg(feed)
        .output()
        .unwrap();
    assert!(out.status.success(), "xmllint: {}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
}

const PODCAST: &str = "namespace-uri()='https://podcastindex.org/namespace/1.0'";

/// (`podcast:source uri`, `podcast:integrity value`) of each `podcast:alternateEnclosure` that has an
/// integrity element, in document order, as xmllint reads them; and how many `podcast:integrity` elements
/// the feed has anywhere.
fn integrity_by_xmllint(feed: &Path) -> (Vec<(String, String)>, usize) {
    let alternates = format!("//*[local-name()='alternateEnclosure' and {PODCAST}]");
    let count = |query: String| -> usize { xpath(feed, &query).trim().parse().unwrap() };
    let anywhere = count(format!(
        "count(//*[local-name()='integrity' and {PODCAST}])"
    ));
    let enclosures = count(format!("count({alternates})"));
    let mut pairs = Vec::new();
    for n in 1..=enclosures {
        let at = format!("({alternates})[{n}]");
        let value = xpath(
            feed,
            &format!(
                "string({at}/*[local-name()='integrity' and {PODCAST} and @type='sri']/@value)"
            ),
        );
        if value.is_empty() {
            continue;
        }
        let uri = xpath(
            feed,
            &format!("string({at}/*[local-name()='source' and {PODCAST}]/@uri)"),
        );
        pairs.push((uri, value));
    }
    (pairs, anywhere)
}

/// The SRI string of each file in the show's `media/` folder, by file name, as Python's hashlib computes it.
fn sri_by_python(show: &ShowDir) -> serde_json::Value {
    python_json(
        r#"
import base64, hashlib, json, os, sys
folder = os.path.join(sys.argv[1], "media")
print(json.dumps({name: "sha384-" + base64.b64encode(hashlib.sha384(open(os.path.join(folder, name), "rb").read()).digest()).decode()
    for name in sorted(os.listdir(folder))}))
"#,
        show.path(),
    )
}

fn file_name_of(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap()
}

#[test]
fn the_sri_strings_are_pythons_sha384_of_each_local_file_inside_its_alternate_enclosure() {
    if !(have_tool("xmllint") && have_python_module("hashlib")) {
        return;
    }
    let show = show(HOSTED);
    build(&show, &["--integrity"]);
    let feed = show.path().join("public/feed.xml");
    let (pairs, anywhere) = integrity_by_xmllint(&feed);
    let python = sri_by_python(&show);
    let got: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(uri, sri)| (file_name_of(uri), sri.as_str()))
        .collect();
    // Newest first: e2 (its MP3, the default, then its Opus), then e1 (its MP3 alone, given a default
    // alternate enclosure to carry the string); the hosted episode has no bytes here and gets none.
    let expected: Vec<(&str, &str)> = ["e2.mp3", "e2.opus", "e1.mp3"]
        .into_iter()
        .map(|name| (name, python[name].as_str().unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        anywhere, 3,
        "every integrity element is inside an alternate enclosure"
    );
    // The two MP3s are the same bytes; the Opus differs.
    assert_eq!(python["e1.mp3"], python["e2.mp3"]);
    assert_ne!(python["e1.mp3"], python["e2.opus"]);
    // e1's alternate enclosure is the enclosure again, marked default (items: the hosted one, e2, e1).
    let e1 = "(//*[local-name()='item'])[3]";
    assert_eq!(
        xpath(
            &feed,
            &format!("string({e1}/*[local-name()='alternateEnclosure']/@default)")
        ),
        "true"
    );
    assert_eq!(
        xpath(
            &feed,
            &format!("string({e1}/*[local-name()='alternateEnclosure']/@length)")
        ),
        xpath(&feed, &format!("string({e1}/enclosure/@length)"))
    );
    // Without the flag, the feed is what it was: no integrity, and no alternate enclosure for e1.
    let plain = build(&show, &[]);
    assert!(!plain.contains("podcast:integrity"), "{plain}");
    assert_eq!(plain.matches("<podcast:alternateEnclosure").count(), 2);
}

#[test]
fn the_catalogue_asks_for_it_the_flags_win_and_tagged_files_are_hashed_after_tagging() {
    if !have_python_module("hashlib") {
        return;
    }
    let show = show(&format!("{HOSTED}\n[build]\nintegrity = true\n"));
    let by_catalogue = build(&show, &[]);
    assert_eq!(by_catalogue.matches("<podcast:integrity ").count(), 3);
    let off = build(&show, &["--no-integrity"]);
    assert!(!off.contains("podcast:integrity"));
    // With `--tag` the MP3s change: the strings are those of the tagged files.
    let tagged = build(&show, &["--tag"]);
    let python = sri_by_python(&show);
    let e1 = python["e1.mp3"].as_str().unwrap();
    assert!(tagged.contains(&format!("value=\"{e1}\"")), "{tagged}");
    assert!(!by_catalogue.contains(e1), "tagging changed the bytes");
    // A value that is not a boolean is the catalogue's error, at its line.
    show.catalogue(&format!("{SHOW}{LOCAL}\n[build]\nintegrity = \"yes\"\n"));
    let out = castkit(&show)
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("error[C003]"),
        "{}",
        stderr_of(&out)
    );
}

/// The feed's 1-based line holding the `podcast:integrity` element of the alternate enclosure whose source
/// names `file`.
fn integrity_line(feed: &str, file: &str) -> usize {
    let lines: Vec<&str> = feed.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("<podcast:source") && l.contains(file))
        .unwrap();
    let offset = lines[source..]
        .iter()
        .position(|l| l.contains("<podcast:integrity"))
        .unwrap();
    source + offset + 1
}

#[test]
fn validate_passes_the_untouched_build_and_catches_one_changed_byte_at_the_integrity_line() {
    let show = show("");
    let feed = build(&show, &["--integrity"]);
    let validate = |media: &[&str]| {
        castkit(&show)
            .args(["validate", "public/feed.xml", "--format", "json"])
            .args(["--now", "2025-01-01T00:00:00Z"])
            .args(media)
            .output()
            .unwrap()
    };
    let catalogue: &[&str] = &["--catalogue", "episodes.toml"];
    let media: &[&str] = &["--media", "media"];
    for how in [catalogue, media] {
        let out = validate(how);
        assert!(
            out.status.success(),
            "{how:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // One byte in the middle of the Opus rendition, and one in e1's MP3, each changed in place (same
    // size): the probe still reads both, only their digests differ.
    for name in ["e2.opus", "e1.mp3"] {
        let path = show.path().join("media").join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
    }
    for how in [catalogue, media] {
        let out = validate(how);
        assert_eq!(out.status.code(), Some(1), "{how:?}");
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<(&str, u64)> = findings
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| (f["code"].as_str().unwrap(), f["line"].as_u64().unwrap()))
            .collect();
        let mut expected = vec![
            ("F407", integrity_line(&feed, "e2.opus") as u64),
            ("F407", integrity_line(&feed, "e1.mp3") as u64),
        ];
        expected.sort_by_key(|(_, line)| *line);
        assert_eq!(errors, expected, "{how:?}: {findings:#?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_rebuild_reads_no_unchanged_audio_and_no_cache_gives_the_same_feed() {
    use crate::cache::Opens;
    let show = show("");
    let opens = Opens::watch(&show.path().join("media"));
    let audio_opened = |opens: &Opens| -> Vec<String> {
        opens
            .take()
            .into_iter()
            .filter(|n| n.starts_with("e"))
            .collect()
    };
    // Probed without digests first: asking for them later reads each file once more, then never.
    build(&show, &[]);
    audio_opened(&opens);
    let cold = build(&show, &["--integrity"]);
    assert_eq!(audio_opened(&opens), ["e1.mp3", "e2.mp3", "e2.opus"]);
    let warm = build(&show, &["--integrity"]);
    assert_eq!(warm, cold);
    assert!(audio_opened(&opens).is_empty(), "a warm build read audio");
    // `validate --catalogue` answers from the same store.
    let out = castkit(&show)
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
        ])
        .args(["--now", "2025-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(audio_opened(&opens).is_empty(), "validate read audio");
    // Rewritten with the same bytes: only that file is read again, and the feed does not change.
    let e2 = show.path().join("media/e2.opus");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&e2, std::fs::read(&e2).unwrap()).unwrap();
    audio_opened(&opens);
    assert_eq!(build(&show, &["--integrity"]), cold);
    assert_eq!(audio_opened(&opens), ["e2.opus"]);
    // Without the store: the same feed, and nothing written to `.castkit/`.
    std::fs::remove_dir_all(show.path().join(".castkit")).unwrap();
    assert_eq!(build(&show, &["--integrity", "--no-cache"]), cold);
    assert!(!show.path().join(".castkit").exists());
}
