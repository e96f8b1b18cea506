//! The Podcasting 2.0 checks against the namespace's own word: every XML example of every tag page
//! (podcast-namespace `docs/tags/*.md`, in the shared research folder) passes without an error, except the
//! ones the specification itself gets wrong, each listed with the reason; and SRI strings computed by
//! Python's `hashlib` are accepted while damaged ones are not.

use castkit::diag::{Diagnostic, Severity};
use castkit::validate::{Options, validate_bytes};

use crate::support::{have_python_module, python_json, shared_dir};

/// Examples the namespace publishes that break its own rules, with the finding castkit gives and why.
const SPEC_EXAMPLES_IN_ERROR: &[(&str, &str, &str)] = &[
    (
        "update-frequency.md",
        "F318",
        "`FREQ=WEEKLY;BYDAY=FR;BYMONTHDAY=13` (\"every Friday the 13th\"): RFC 5545 3.3.10 says \
         BYMONTHDAY MUST NOT be used with FREQ=WEEKLY; `FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13` says it",
    ),
    (
        "value.md",
        "F309",
        "the example shows the attributes of an empty block, but the same page says \"the node value \
         must be one or more `<podcast:valueRecipient>` elements\"",
    ),
];

fn options() -> Options {
    Options {
        now: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc(),
        media: None,
    }
}

/// The ```xml blocks of a Markdown page.
fn xml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start().starts_with("```")) {
            (None, true) if line.trim() == "```xml" => current = Some(String::new()),
            (Some(block), true) => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), false) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// A block cut before each line that opens a tag at its left margin.
fn split_top_level(block: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for line in block.lines() {
        if (line.starts_with('<') && !line.starts_with("</")) || parts.is_empty() {
            parts.push(String::new());
        }
        let last = parts.last_mut().expect("pushed above");
        last.push_str(line);
        last.push('\n');
    }
    parts.retain(|p| !p.trim().is_empty());
    parts
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">"#;
const CHANNEL: &str = "<title>Example</title><link>https://example.com/</link><description>d</description><language>en</language>";
const ITEM: &str = r#"<title>One</title><guid isPermaLink="false">one</guid><enclosure url="https://example.com/1.mp3" length="1000" type="audio/mpeg"/>"#;

/// A feed around an example: as it is when it is a whole feed or channel, else in the channel or an item,
/// whichever its page names first as its parent.
fn feed_around(example: &str, page: &str) -> String {
    if example.contains("<rss") {
        return example.to_owned();
    }
    if example.trim_start().starts_with("<channel>") {
        return format!("{HEAD}{example}</rss>");
    }
    let parent = page
        .split("### Parent")
        .nth(1)
        .and_then(|rest| rest.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("");
    let in_item = !parent.contains("<channel>")
        && !example.trim_start().starts_with("<podcast:value")
        && !example.trim_start().starts_with("<podcast:remoteItem");
    if in_item {
        format!("{HEAD}<channel>{CHANNEL}<item>{ITEM}{example}</item></channel></rss>")
    } else {
        format!("{HEAD}<channel>{CHANNEL}{example}</channel></rss>")
    }
}

/// Podcasting 2.0 findings (F3xx) that are errors.
fn namespace_errors(found: &[Diagnostic]) -> Vec<&Diagnostic> {
    found
        .iter()
        .filter(|d| d.code().starts_with("F3") && d.severity == Severity::Error)
        .collect()
}

#[test]
fn every_example_of_the_namespace_tag_pages_passes_unless_the_spec_is_wrong() {
    let Some(shared) = shared_dir() else { return };
    let tags = shared.join("research/podcast-namespace/tags");
    let mut pages: Vec<_> = std::fs::read_dir(&tags)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let mut examples = 0;
    let mut failures = Vec::new();
    let mut seen_wrong = Vec::new();
    for page_path in &pages {
        let name = page_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let page = std::fs::read_to_string(page_path).unwrap();
        // A tag the channel or an item holds once ("Count: Single"): each of a block's examples on its own.
        let single = page
            .split("### Count")
            .nth(1)
            .is_some_and(|rest| rest.trim_start().starts_with("Single"));
        let blocks = xml_blocks(&page).into_iter().flat_map(|block| {
            if single {
                split_top_level(&block)
            } else {
                vec![block]
            }
        });
        for example in blocks {
            examples += 1;
            let feed = feed_around(&example, &page);
            let found = validate_bytes(&name, feed.as_bytes(), &options());
            for d in namespace_errors(&found) {
                let expected = SPEC_EXAMPLES_IN_ERROR
                    .iter()
                    .any(|(p, code, _)| *p == name && *code == d.code());
                if expected {
                    seen_wrong.push(name.clone());
                } else {
                    failures.push(format!("{name}: {}: {}\n{example}", d.code(), d.message));
                }
            }
        }
    }
    assert!(
        examples > 60,
        "only {examples} examples found under {tags:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (page, code, why) in SPEC_EXAMPLES_IN_ERROR {
        assert!(
            seen_wrong.iter().any(|p| p == page),
            "{page}: the example castkit should refuse with {code} ({why}) passed"
        );
    }
}

/// The namespace's own "locally specified" time-split example overlaps: 63 s for 388 s, then 367 s. That
/// is a warning (apps pay one split at a time), never an error.
#[test]
fn the_namespace_overlapping_time_split_example_is_a_warning() {
    let Some(shared) = shared_dir() else { return };
    let page =
        std::fs::read_to_string(shared.join("research/podcast-namespace/tags/value-time-split.md"))
            .unwrap();
    let local = xml_blocks(&page)
        .into_iter()
        .find(|b| b.contains("Jimbob"))
        .expect("the locally specified example");
    let found = validate_bytes("vts.xml", local.as_bytes(), &options());
    let overlap: Vec<&Diagnostic> = found.iter().filter(|d| d.code() == "F315").collect();
    assert_eq!(overlap.len(), 1, "{found:#?}");
    assert_eq!(overlap[0].severity, Severity::Warning);
    assert!(overlap[0].message.contains("367"), "{}", overlap[0].message);
}

/// SRI strings made by Python's `hashlib` and `base64` for the three hashes SRI allows are accepted; the
/// same digests cut short, or named for another hash, are F325.
#[test]
fn sri_strings_computed_by_python_are_accepted_and_damaged_ones_refused() {
    if !have_python_module("hashlib") {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("episode.bin");
    std::fs::write(&media, b"castkit integrity check\n".repeat(100)).unwrap();
    let sri = python_json(
        "import base64, hashlib, json, sys\n\
         data = open(sys.argv[1], 'rb').read()\n\
         print(json.dumps({h: h + '-' + base64.b64encode(hashlib.new(h, data).digest()).decode() for h in ['sha256', 'sha384', 'sha512']}))",
        &media,
    );
    let feed_with = |value: &str| {
        format!(
            r#"{HEAD}<channel>{CHANNEL}<item>{ITEM}<podcast:alternateEnclosure type="audio/mpeg" length="2400"><podcast:source uri="https://example.com/1.mp3"/><podcast:integrity type="sri" value="{value}"/></podcast:alternateEnclosure></item></channel></rss>"#
        )
    };
    let f325 = |value: &str| -> bool {
        validate_bytes("feed.xml", feed_with(value).as_bytes(), &options())
            .iter()
            .any(|d| d.code() == "F325")
    };
    let all: Vec<String> = ["sha256", "sha384", "sha512"]
        .iter()
        .map(|h| sri[h].as_str().unwrap().to_owned())
        .collect();
    for value in &all {
        assert!(!f325(value), "{value} refused");
        let (_, digest) = value.split_once('-').unwrap();
        assert!(
            f325(&value[..value.len() - 4]),
            "{value} cut short accepted"
        );
        let other = if value.starts_with("sha512") {
            "sha256"
        } else {
            "sha512"
        };
        assert!(
            f325(&format!("{other}-{digest}")),
            "{value} renamed accepted"
        );
    }
    assert!(!f325(&all.join(" ")), "several hashes refused");
}
