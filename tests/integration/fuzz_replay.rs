//! Every input a fuzz target ever failed on, kept under `tests/fuzz/<target>/`, replayed through the same
//! code and the same property checks as the fuzz target (`fuzz/checks.rs`), each within a time limit: CI
//! guards the findings without running the fuzzer (lofty's `tests/fuzz` is the model).

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::repo_root;

/// How long one input may take in a debug build (libFuzzer's `-timeout` in the release fuzz build is 5 s).
const LIMIT: Duration = Duration::from_secs(20);

/// The inputs kept for `target`, in name order.
fn findings(target: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on the bytes of `input` in its own thread: `Err` with what went wrong when it panics or
/// does not return within `limit`.
fn replay(check: checks::Check, input: &Path, limit: Duration) -> Result<(), String> {
    let data = std::fs::read(input).expect("a kept finding");
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let outcome = std::panic::catch_unwind(|| check(&data, scratch.path()));
        let _ = done.send(outcome.map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned())
        }));
    });
    match finished.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("did not return within {limit:?}")),
    }
}

#[test]
fn every_fuzz_finding_replays_cleanly_within_its_time_limit() {
    let known: Vec<&str> = checks::TARGETS.iter().map(|(name, _)| *name).collect();
    // A folder under tests/fuzz/ that names no target would never be replayed.
    for entry in std::fs::read_dir(repo_root().join("tests/fuzz")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                known.contains(&name.as_str()),
                "tests/fuzz/{name}/ names no fuzz target (known: {known:?})"
            );
        }
    }
    let mut replayed = 0;
    let mut failures = Vec::new();
    for (target, check) in checks::TARGETS {
        for input in findings(target) {
            replayed += 1;
            if let Err(problem) = replay(*check, &input, LIMIT) {
                failures.push(format!(
                    "{target}: {}: {problem}",
                    input.strip_prefix(repo_root()).unwrap_or(&input).display()
                ));
            }
        }
    }
    assert!(replayed > 0, "no finding under tests/fuzz/ was replayed");
    assert!(
        failures.is_empty(),
        "{} of {replayed} fuzz findings fail again:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The replay can fail: an input that breaks a property is reported, not swallowed.
#[test]
fn the_replay_reports_a_broken_property() {
    fn broken(data: &[u8], _: &Path) {
        assert!(
            data.is_empty(),
            "the property fails on {} bytes",
            data.len()
        );
    }
    fn hangs(_: &[u8], _: &Path) {
        std::thread::sleep(Duration::from_secs(5));
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::write(&input, b"abc").unwrap();
    let problem = replay(broken, &input, LIMIT).unwrap_err();
    assert!(problem.contains("fails on 3 bytes"), "{problem}");
    let problem = replay(hangs, &input, Duration::from_millis(200)).unwrap_err();
    assert!(problem.contains("did not return"), "{problem}");
}
