//! `castkit diff` and `build-feed --against`: real pairs of feeds — the example show built from edited
//! catalogues, corpus feeds with episodes removed, guids rewritten and enclosures moved — checked against
//! the edits made (the ground truth) and, for removals, against feedparser's reading of both feeds.

use crate::support::{
    ShowDir, castkit, files_under, have_python_module, python_json, shared_dir, stderr_of,
};

/// The codes of a JSON report, sorted.
fn codes_of(stdout: &[u8]) -> Vec<String> {
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(stdout).expect("diff --format json prints a JSON array");
    let mut codes: Vec<String> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes
}

/// The guid of the example show's episode, as its catalogue holds it.
fn episode_guid(catalogue: &str) -> String {
    catalogue
        .lines()
        .find_map(|l| l.strip_prefix("guid = \""))
        .map(|g| g.trim_end_matches('"').to_owned())
        .expect("the example episode has a guid")
}

/// Builds the show's feed to `out` (relative to the show), failing the test if the build fails.
fn build(show: &ShowDir, out: &str) {
    let o = show
        .castkit()
        .args(["build-feed", "--no-against", "--out", out])
        .output()
        .unwrap();
    assert!(o.status.success(), "build failed:\n{}", stderr_of(&o));
}

#[test]
fn the_example_show_against_edited_catalogues_reports_each_change_once() {
    let show = ShowDir::example();
    build(&show, "public/feed.xml");
    let original = show.read_catalogue();
    let guid = episode_guid(&original);
    std::fs::copy(
        show.path()
            .join("media/5.4 What are the goals of rural revitalization.mp3"),
        show.path().join("media/bonus.mp3"),
    )
    .unwrap();
    let podcast_guid_line = "podcast_guid = \"7b8a7b54-6a0d-5a3e-9d68-6a1b0c3c6e4f\"\n";
    // Each edit of the catalogue, and the changes apps would see in the rebuilt feed.
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("no edit", original.clone(), vec![]),
        (
            "a new guid",
            original.replace(&guid, "4d5e6f70-0000-4000-8000-000000000001"),
            vec!["D003"],
        ),
        (
            "a retitled episode",
            original.replace(
                "title = \"What are the goals of rural revitalization?\"",
                "title = \"Rural revitalization: the goals\"",
            ),
            vec!["D008"],
        ),
        (
            "a new date",
            original.replace(
                "published = 2022-11-28T08:00:00",
                "published = 2022-11-29T08:00:00",
            ),
            vec!["D007"],
        ),
        (
            "a new media host (enclosure and cover move with it)",
            original.replace(
                "media_base_url = \"https://podcasts.example.com/how-china-works/media/\"",
                "media_base_url = \"https://cdn.example.net/hcw/\"",
            ),
            vec!["D004", "D110"],
        ),
        (
            "a new feed URL (podcast:guid follows it)",
            original.replace(
                "feed_url = \"https://podcasts.example.com/how-china-works/feed.xml\"",
                "feed_url = \"https://feeds.example.net/hcw.xml\"",
            ),
            vec!["D101", "D102"],
        ),
        (
            "an explicit show (the episode inherits it)",
            original.replace("explicit = false", "explicit = true"),
            vec!["D011", "D108"],
        ),
        (
            "a renumbered episode",
            original.replace("number = 4", "number = 5"),
            vec!["D010"],
        ),
        (
            "the episode held back as a draft",
            original.replace("type = \"full\"", "type = \"full\"\ndraft = true"),
            vec!["D002"],
        ),
        (
            "a second episode",
            format!(
                "{original}\n[[episode]]\ntitle = \"Bonus\"\naudio = \"media/bonus.mp3\"\npublished = 2022-12-01T08:00:00\nguid = \"bonus-1\"\nnotes = \"A bonus.\"\n"
            ),
            vec!["D001"],
        ),
        (
            "the show announces a move",
            original.replace(
                "[show]\n",
                "[show]\nnew_feed_url = \"https://feeds.example.net/hcw.xml\"\n",
            ),
            vec!["D103"],
        ),
        (
            "a changed podcast:guid",
            original.replace("[show]\n", &format!("[show]\n{podcast_guid_line}")),
            vec!["D102"],
        ),
    ];
    for (what, catalogue, expected) in cases {
        show.catalogue(&catalogue);
        build(&show, "public/new.xml");
        let out = show
            .castkit()
            .args([
                "diff",
                "public/feed.xml",
                "public/new.xml",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let codes = codes_of(&out.stdout);
        assert_eq!(codes, expected, "{what}:\n{}", stderr_of(&out));
        let breaking = ["D002", "D003", "D004", "D101", "D102", "D103"];
        let expected_exit = i32::from(expected.iter().any(|c| breaking.contains(c)));
        assert_eq!(out.status.code(), Some(expected_exit), "{what}");
    }
}

#[test]
fn a_breaking_release_is_refused_and_nothing_is_written() {
    let show = ShowDir::example();
    build(&show, "public/feed.xml");
    std::fs::copy(
        show.path().join("public/feed.xml"),
        show.path().join("published.xml"),
    )
    .unwrap();
    let original = show.read_catalogue();
    let guid = episode_guid(&original);
    // A new title (notable) is written, a new guid (breaking) is not.
    let retitled = original.replace(
        "title = \"What are the goals of rural revitalization?\"",
        "title = \"Rural revitalization: the goals\"",
    );
    show.catalogue(&retitled);
    let out = show
        .castkit()
        .args(["build-feed", "--against", "published.xml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("warning[D008]"));
    assert!(
        show.feed()
            .unwrap()
            .contains("Rural revitalization: the goals")
    );

    let published_feed = show.feed().unwrap();
    let broken = retitled.replace(&guid, "4d5e6f70-0000-4000-8000-000000000001");
    show.catalogue(&broken);
    let mp3 = show
        .path()
        .join("media/5.4 What are the goals of rural revitalization.mp3");
    let mp3_before = std::fs::read(&mp3).unwrap();
    for flags in [
        &["--against", "published.xml"][..],
        &["--against", "published.xml", "--tag"],
    ] {
        let out = show
            .castkit()
            .arg("build-feed")
            .args(flags)
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{flags:?}: {err}");
        // At the episode in the catalogue, with the published feed's line under it.
        assert!(err.contains("error[D003]"), "{err}");
        assert!(err.contains("--> episodes.toml:"), "{err}");
        assert!(err.contains("::: published.xml:"), "{err}");
        assert!(err.contains("in the published feed"), "{err}");
        assert!(err.contains("the feed was not written"), "{err}");
        assert_eq!(show.feed().unwrap(), published_feed, "{flags:?}");
        assert_eq!(show.read_catalogue(), broken, "{flags:?}");
        assert_eq!(
            std::fs::read(&mp3).unwrap(),
            mp3_before,
            "{flags:?}: MP3 tagged"
        );
    }

    // A change to the show points at its `[show]` table.
    let moved = broken.replace(
        "feed_url = \"https://podcasts.example.com/how-china-works/feed.xml\"",
        "feed_url = \"https://feeds.example.net/hcw.xml\"",
    );
    show.catalogue(&moved);
    let out = show
        .castkit()
        .args(["build-feed", "--against", "published.xml"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    let show_line = moved.lines().position(|l| l == "[show]").unwrap() + 1;
    assert!(err.contains("error[D101]"), "{err}");
    assert!(
        err.contains(&format!("--> episodes.toml:{show_line}:1\n")),
        "{err}"
    );

    // The same from the catalogue's `[build]` table, so that CI needs no flag.
    let with_setting = format!("{broken}\n[build]\nagainst = \"published.xml\"\n");
    show.catalogue(&with_setting);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("error[D003]"));
    // `--allow` accepts it knowingly; `--no-against` skips the comparison.
    let out = show
        .castkit()
        .args(["build-feed", "--allow", "guid-changed"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("allowed with `--allow D003`"));
    assert!(
        show.feed()
            .unwrap()
            .contains("4d5e6f70-0000-4000-8000-000000000001")
    );
    let out = show
        .castkit()
        .args(["build-feed", "--no-against"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("D003"));
}

#[test]
fn a_published_feed_that_cannot_be_read_stops_the_build() {
    let show = ShowDir::example();
    let out = show
        .castkit()
        .args(["build-feed", "--against", "nowhere.xml"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot read the published feed `nowhere.xml`"),
        "{err}"
    );
    assert!(err.contains("--no-against"), "{err}");
    assert!(show.feed().is_none());
    // A typo in `--allow` is caught before anything runs.
    let out = show
        .castkit()
        .args(["build-feed", "--no-against", "--allow", "guid-changd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("did you mean `guid-changed`?"));
}

#[test]
fn formats_exit_codes_and_standard_input() {
    let dir = crate::support::repo_root().join("tests/fixtures/rules/D003");
    let run = |args: &[&str]| castkit().current_dir(&dir).args(args).output().unwrap();
    let json = run(&["diff", "old.xml", "new.xml", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(findings[0]["code"], "D003");
    assert_eq!(findings[0]["path"], "new.xml");
    assert_eq!(findings[0]["related"]["path"], "old.xml");
    assert!(findings[0]["related"]["line"].as_u64().unwrap() > 0);

    let github = run(&["diff", "old.xml", "new.xml", "--format", "github"]);
    let text = String::from_utf8(github.stdout).unwrap();
    assert!(text.starts_with("::error file=new.xml,line="), "{text}");
    assert!(text.contains("title=D003::"), "{text}");

    let junit = run(&["diff", "old.xml", "new.xml", "--format", "junit"]);
    let text = String::from_utf8(junit.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit output is XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("1"));

    // The old feed from standard input; a feed against itself has no change.
    let old = std::fs::read(dir.join("old.xml")).unwrap();
    let same = castkit()
        .current_dir(&dir)
        .args(["diff", "-", "old.xml"])
        .write_stdin(old)
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&same.stdout)
            .contains("0 added, 0 changed, 0 removed, 0 show changes; 0 breaking")
    );

    let both_stdin = run(&["diff", "-", "-"]);
    assert_eq!(both_stdin.status.code(), Some(2));
    let missing = run(&["diff", "old.xml", "absent.xml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr_of(&missing).contains("cannot read the feed `absent.xml`"));
    let atom = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(atom.path(), "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").unwrap();
    let not_rss = run(&["diff", "old.xml", atom.path().to_str().unwrap()]);
    assert_eq!(not_rss.status.code(), Some(2));
    let err = stderr_of(&not_rss);
    assert!(
        err.contains("error[F101]") && err.contains("cannot compare"),
        "{err}"
    );

    let explain = run(&["diff", "--explain", "D003"]);
    let text = String::from_utf8(explain.stdout).unwrap();
    assert!(text.starts_with("D003 guid-changed (error)"), "{text}");
    assert!(text.contains("AntennaPod#3275"), "{text}");
}

/// A corpus feed's items: the byte ranges of each item, its guid text and its enclosure URL attribute.
struct Item {
    range: std::ops::Range<usize>,
    guid: Option<(String, std::ops::Range<usize>)>,
    url: Option<(String, std::ops::Range<usize>)>,
}

/// The RSS items of a UTF-8 feed, when it has at least two.
fn editable_items(text: &str) -> Option<Vec<Item>> {
    let doc = roxmltree::Document::parse(text).ok()?;
    let channel = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))?;
    if !doc.root_element().has_tag_name("rss") {
        return None;
    }
    let items: Vec<Item> = channel
        .children()
        .filter(|n| {
            n.is_element() && n.tag_name().name() == "item" && n.tag_name().namespace().is_none()
        })
        .map(|item| {
            let guid = item
                .children()
                .find(|n| n.has_tag_name("guid"))
                .and_then(|g| {
                    let t = g.first_child().filter(|t| t.is_text())?;
                    let value = t.text()?.trim().to_owned();
                    (!value.is_empty() && t.text()? == value).then(|| (value, t.range()))
                });
            let url = item
                .children()
                .find(|n| n.has_tag_name("enclosure"))
                .and_then(|e| {
                    let a = e.attributes().find(|a| a.name() == "url")?;
                    let value = a.value().trim().to_owned();
                    (!value.is_empty() && a.value() == value).then(|| (value, a.range_value()))
                });
            Item {
                range: item.range(),
                guid,
                url,
            }
        })
        .collect();
    (items.len() >= 2).then_some(items)
}

/// The codes and messages `castkit::diff` finds between two texts.
fn diff_codes(old: &str, new: &str) -> Result<Vec<&'static str>, String> {
    let old = castkit::diff::Input {
        name: "old",
        bytes: old.as_bytes(),
    };
    let new = castkit::diff::Input {
        name: "new",
        bytes: new.as_bytes(),
    };
    castkit::diff::diff(old, new, &castkit::diff::Options::default())
        .map(|d| d.findings.iter().map(|f| f.diagnostic.code()).collect())
        .map_err(|e| format!("{:?}", e.findings.first().map(|f| &f.message)))
}

fn replace(text: &str, range: &std::ops::Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

#[test]
fn corpus_feeds_against_themselves_and_edited_copies() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus/feeds");
    let files: Vec<_> = files_under(&corpus)
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "json" && e != "md"))
        .collect();
    let (mut compared, mut edited) = (0, 0);
    let mut failures = Vec::new();
    let mut pairs = Vec::new();
    let out_dir = tempfile::tempdir().unwrap();
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path.strip_prefix(&corpus).unwrap().display().to_string();
        // Every feed castkit can read is the same as itself.
        let own = castkit::diff::diff(
            castkit::diff::Input {
                name: "a",
                bytes: &bytes,
            },
            castkit::diff::Input {
                name: "b",
                bytes: &bytes,
            },
            &castkit::diff::Options::default(),
        );
        let Ok(own) = own else { continue };
        compared += 1;
        if !own.findings.is_empty() {
            failures.push(format!(
                "{name}: differs from itself: {}",
                own.summary.line()
            ));
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Some(items) = editable_items(text) else {
            continue;
        };
        // An item whose guid and enclosure URL no other item shares: each edit then has one right answer.
        let unique = |i: &Item| {
            let (Some(g), Some(u)) = (&i.guid, &i.url) else {
                return false;
            };
            let same_guid = items
                .iter()
                .filter(|o| o.guid.as_ref().is_some_and(|x| x.0 == g.0));
            let same_url = items
                .iter()
                .filter(|o| o.url.as_ref().is_some_and(|x| x.0 == u.0));
            same_guid.count() == 1 && same_url.count() == 1
        };
        let candidates: Vec<&Item> = items.iter().filter(|i| unique(i)).collect();
        let Some(item) = candidates.get(candidates.len() / 2) else {
            continue;
        };
        edited += 1;
        let removed = replace(text, &item.range, "");
        let checks = [
            (
                "remove an item",
                text.to_owned(),
                removed.clone(),
                vec!["D002"],
            ),
            (
                "add it back",
                removed.clone(),
                text.to_owned(),
                vec!["D001"],
            ),
            (
                "rewrite a guid",
                text.to_owned(),
                replace(
                    text,
                    &item.guid.as_ref().unwrap().1,
                    "castkit-rewritten-guid",
                ),
                vec!["D003"],
            ),
            (
                "move an enclosure",
                text.to_owned(),
                replace(
                    text,
                    &item.url.as_ref().unwrap().1,
                    "https://moved.example.net/episode.mp3",
                ),
                vec!["D004"],
            ),
        ];
        for (what, old, new, expected) in checks {
            match diff_codes(&old, &new) {
                Ok(codes) if codes == expected => {}
                other => failures.push(format!("{name}: {what}: {other:?}, expected {expected:?}")),
            }
        }
        if pairs.len() < 40 {
            let stem = format!("{}", pairs.len());
            let old_path = out_dir.path().join(format!("{stem}-old.xml"));
            let new_path = out_dir.path().join(format!("{stem}-new.xml"));
            std::fs::write(&old_path, text).unwrap();
            std::fs::write(&new_path, &removed).unwrap();
            pairs.push((old_path, new_path, item.guid.as_ref().unwrap().0.clone()));
        }
    }
    eprintln!("diff: {compared} corpus feeds compared with themselves, {edited} edited four ways");
    assert!(compared > 900, "only {compared} corpus feeds could be read");
    // The corpus holds about 30 RSS feeds with two or more items and enclosures; most are one-item cases.
    assert!(edited >= 15, "only {edited} corpus feeds could be edited");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // feedparser, reading both feeds of each removal, finds the same episode gone.
    if !have_python_module("feedparser") {
        return;
    }
    let list = out_dir.path().join("pairs.json");
    let json: Vec<[String; 2]> = pairs
        .iter()
        .map(|(o, n, _)| [o.display().to_string(), n.display().to_string()])
        .collect();
    std::fs::write(&list, serde_json::to_string(&json).unwrap()).unwrap();
    let gone = python_json(
        "import feedparser, json, sys\n\
         pairs = json.load(open(sys.argv[1]))\n\
         ids = lambda p: [e.get('id') for e in feedparser.parse(p).entries]\n\
         print(json.dumps([sorted(set(ids(o)) - set(ids(n))) for o, n in pairs]))",
        &list,
    );
    for ((old, new, guid), gone) in pairs.iter().zip(gone.as_array().unwrap()) {
        let out = castkit()
            .args(["diff", "--format", "json"])
            .arg(old)
            .arg(new)
            .output()
            .unwrap();
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            findings.len(),
            1,
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(findings[0]["code"], "D002");
        assert_eq!(
            gone.as_array().unwrap(),
            &vec![serde_json::Value::from(guid.as_str())],
            "feedparser sees a different episode gone from {}",
            old.display()
        );
        assert!(
            findings[0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{guid}`")),
            "{}",
            findings[0]["message"]
        );
    }
}

#[test]
fn the_published_feed_fetched_from_a_url() {
    let published = tempfile::tempdir().unwrap();
    let fixture = crate::support::repo_root().join("tests/fixtures/rules/D003");
    std::fs::copy(fixture.join("old.xml"), published.path().join("feed.xml")).unwrap();
    let server = crate::support::FileServer::serve(published.path());
    let cache = tempfile::tempdir().unwrap();
    let diff = |old: &str| {
        castkit()
            .env("CASTKIT_CACHE_DIR", cache.path())
            .current_dir(&fixture)
            .args(["diff", old, "new.xml", "--timeout", "10"])
            .output()
            .unwrap()
    };
    let url = server.url("feed.xml");
    let first = diff(&url);
    let out = String::from_utf8_lossy(&first.stdout);
    assert_eq!(first.status.code(), Some(1), "{}", stderr_of(&first));
    assert!(out.contains("error[D003]"), "{out}");
    assert!(out.contains(&format!("::: {url}:")), "{out}");
    assert!(!stderr_of(&first).contains("304"));
    // The second fetch asks whether the feed changed; the server says no, and the kept copy is used.
    let second = diff(&url);
    assert_eq!(second.status.code(), Some(1));
    assert!(
        stderr_of(&second).contains("304 Not Modified"),
        "{}",
        stderr_of(&second)
    );
    assert_eq!(first.stdout, second.stdout);

    let missing = diff(&server.url("nothing-here.xml"));
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr_of(&missing);
    assert!(
        err.contains("404") && err.contains("nothing-here.xml"),
        "{err}"
    );

    // `build-feed --against URL` refuses a release that breaks the published feed.
    let show = ShowDir::example();
    build(&show, "public/feed.xml");
    std::fs::copy(
        show.path().join("public/feed.xml"),
        published.path().join("show.xml"),
    )
    .unwrap();
    let catalogue = show.read_catalogue();
    let guid = episode_guid(&catalogue);
    show.catalogue(&catalogue.replace(&guid, "4d5e6f70-0000-4000-8000-000000000001"));
    let out = show
        .castkit()
        .env("CASTKIT_CACHE_DIR", cache.path())
        .args(["build-feed", "--against", &server.url("show.xml")])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[D003]") && err.contains("the feed was not written"),
        "{err}"
    );
}
