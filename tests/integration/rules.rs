//! One fixture and one snapshot per diagnostic rule, as ruff keeps them: every code castkit can report has a
//! small input under `tests/fixtures/rules/` named by its code, with that one defect, and a snapshot of what
//! castkit prints for it. A new rule without a fixture fails here, naming its code.
//!
//! Fixtures (see `tests/fixtures/rules/README.md`):
//! - `Cnnn/`: a show folder (`episodes.toml`, `media/`) for `castkit build-feed`;
//! - `Fnnn.xml`: a feed for `castkit validate`;
//! - `Fnnn/`: a feed (`feed.xml`) and its `media/` folder, for `castkit validate --media` (the F4xx rules);
//!   without `media/`, a feed and its archive pages, for `castkit validate .` (the F5xx rules);
//! - `Dnnn/`: two feeds (`old.xml`, `new.xml`), for `castkit diff old.xml new.xml`.
//!
//! Each runs in a temporary copy of its fixture, with a fixed `--now`, so that snapshots are deterministic.

use std::path::{Path, PathBuf};

use crate::support::{castkit, copy_tree, repo_root};

/// Every rule code castkit has. The one place that names the rule lists, so that it can follow them when
/// they move.
fn every_rule_code() -> Vec<&'static str> {
    castkit::registry::all().map(|rule| rule.code).collect()
}

/// Rules that no file can trigger, with the reason. A code listed here must have no fixture.
const UNTRIGGERABLE: &[(&str, &str)] = &[];

/// Rules about how a feed is hosted: only a server can trigger them, answering a feed's URLs wrongly on
/// purpose (a 404, no byte ranges, a stall…) or serving the feed from another URL than its self link. A
/// fixture file cannot hold a server, so `tests/integration/online.rs` runs them against local servers (F606,
/// an https:// URL redirected to http://, needs TLS: `src/online/tests.rs` judges such an answer); each must
/// be named in one of the two, and none has a fixture here.
const NEED_A_SERVER: &[&str] = &[
    "F601", "F602", "F603", "F604", "F605", "F606", "F607", "F608",
];

/// The moment every run happens at: after every date in the fixtures, except the ones meant to be future.
const NOW: &str = "2026-01-01T00:00:00Z";

/// Flags some catalogue rules need on top of `build-feed --locked`. The website is left out (`--no-site`)
/// but for C044, the one rule about it under `--locked`: the fixtures have no `slug`, and each is to show its
/// one defect.
fn extra_build_flags(code: &str) -> &'static [&'static str] {
    match code {
        // Tags are written only with `--tag`.
        "C033" => &["--tag", "--no-site"],
        "C044" => &[],
        _ => &["--no-site"],
    }
}

/// Fixtures too large to commit (the rules are about size): the test grows the committed feed first, as its
/// comment says.
fn grow(code: &str, feed: &Path) {
    let pad_to = |len: usize| {
        let mut bytes = std::fs::read(feed).unwrap();
        bytes.resize(len, b'\n');
        std::fs::write(feed, bytes).unwrap();
    };
    match code {
        "F005" => pad_to(castkit::validate::MAX_FEED_BYTES + 1),
        // The large-feed warning starts past 10 MB.
        "F008" => pad_to(10_000_001),
        "F009" => {
            let text = std::fs::read_to_string(feed).unwrap();
            let marker =
                "<!-- The test replaces this comment with 100001 empty elements, one per line. -->";
            assert!(text.contains(marker), "F009: the fixture lost its marker");
            // Past 100,000 elements, and more than one per 10 bytes.
            let elements = "<x/>\n    ".repeat(100_001);
            std::fs::write(feed, text.replacen(marker, elements.trim_end(), 1)).unwrap();
        }
        _ => {}
    }
}

/// The fixture folder.
fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/rules")
}

/// What castkit printed for one rule's fixture, or why it could not be run.
fn run(code: &str) -> Result<String, String> {
    let single = fixtures().join(format!("{code}.xml"));
    let folder = fixtures().join(code);
    let temp = tempfile::tempdir().unwrap();
    let mut cmd = castkit();
    cmd.current_dir(temp.path());
    if code.starts_with('C') && folder.join("episodes.toml").is_file() {
        copy_tree(&folder, temp.path());
        cmd.args([
            "build-feed",
            "--locked",
            "--out",
            "out/feed.xml",
            "--now",
            NOW,
        ])
        .args(extra_build_flags(code));
    } else if code.starts_with('F') && single.is_file() {
        std::fs::copy(&single, temp.path().join("feed.xml")).unwrap();
        grow(code, &temp.path().join("feed.xml"));
        cmd.args(["validate", "feed.xml", "--now", NOW]);
    } else if code.starts_with('F') && folder.join("media").is_dir() {
        copy_tree(&folder, temp.path());
        cmd.args(["validate", "feed.xml", "--media", "media", "--now", NOW]);
    } else if code.starts_with('F') && folder.join("feed.xml").is_file() {
        // A paged feed: the folder, with the archive pages its links reach.
        copy_tree(&folder, temp.path());
        cmd.args(["validate", ".", "--now", NOW]);
    } else if code.starts_with('D') && folder.join("new.xml").is_file() {
        copy_tree(&folder, temp.path());
        cmd.args(["diff", "old.xml", "new.xml"]);
    } else {
        let wanted = if code.starts_with('C') {
            format!("`{code}/episodes.toml` with its `media/` folder")
        } else if code.starts_with('D') {
            format!("`{code}/old.xml` and `{code}/new.xml`")
        } else {
            format!("`{code}.xml`, or `{code}/feed.xml` with its `media/` folder")
        };
        return Err(format!(
            "{code}: no fixture; add {wanted} to `tests/fixtures/rules/`"
        ));
    }
    let out = cmd.output().unwrap();
    let printed = format!(
        "exit: {}\n{}{}",
        out.status
            .code()
            .map_or("none".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Paths are relative to the temporary folder, but a message may still name it in full.
    let temp_path = temp.path().display().to_string();
    Ok(printed.replace(&temp_path, "[TEMP]"))
}

/// Whether `printed` holds a finding under `code` (`error[C010]: …`, `warning[F121]: …`).
fn reports(printed: &str, code: &str) -> bool {
    printed.lines().any(|line| {
        line.split_once('[').is_some_and(|(severity, rest)| {
            ["error", "warning", "info"].contains(&severity)
                && rest.starts_with(&format!("{code}]:"))
        })
    })
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it_and_a_snapshot() {
    let codes = every_rule_code();
    let mut failures = Vec::new();
    for code in &codes {
        if let Some((_, why)) = UNTRIGGERABLE.iter().find(|(c, _)| c == code) {
            let has_fixture =
                fixtures().join(format!("{code}.xml")).exists() || fixtures().join(code).exists();
            if has_fixture {
                failures.push(format!(
                    "{code}: listed as untriggerable ({why}), but it has a fixture"
                ));
            }
            continue;
        }
        if NEED_A_SERVER.contains(code) {
            let checked = ["tests/integration/online.rs", "src/online/tests.rs"]
                .iter()
                .map(|p| std::fs::read_to_string(repo_root().join(p)).unwrap())
                .any(|text| {
                    text.contains(&format!("\"{code}\"")) || text.contains(&format!("[{code}]"))
                });
            if !checked {
                failures.push(format!(
                    "{code}: needs a server, but neither `tests/integration/online.rs` nor `src/online/tests.rs` checks it"
                ));
            }
            if fixtures().join(format!("{code}.xml")).exists() || fixtures().join(code).exists() {
                failures.push(format!(
                    "{code}: checked against a server, but it has a fixture"
                ));
            }
            continue;
        }
        let printed = match run(code) {
            Ok(printed) => printed,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if !reports(&printed, code) {
            failures.push(format!(
                "{code}: the fixture does not trigger it; castkit printed:\n{printed}"
            ));
            continue;
        }
        // Keep going after a mismatch, so that one run shows (and, when updating, writes) every snapshot.
        let snapshot = std::panic::catch_unwind(|| insta::assert_snapshot!(*code, printed));
        if snapshot.is_err() {
            failures.push(format!("{code}: the output differs from its snapshot"));
        }
    }

    // Every fixture belongs to a rule: a fixture whose rule was renamed or retired is not silently skipped.
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".xml").unwrap_or(&name);
        if name != "README.md" && !codes.contains(&stem) {
            failures.push(format!(
                "`tests/fixtures/rules/{name}` is named for no rule castkit has"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
