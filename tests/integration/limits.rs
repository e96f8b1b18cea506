//! Resource limits: hostile or huge input gets a clear answer in bounded time and memory. Each case runs
//! the real binary under a small Python parent that reads the child's peak resident memory
//! (`getrusage(RUSAGE_CHILDREN)`) and kills it if it outlives its time limit, so a hang fails the test
//! instead of hanging it. (Measured from this test process instead, the peak would include the test
//! process's own pages: a spawned child shares them until it runs castkit.)

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{SHOW, ShowDir, repo_root};

/// What one bounded run of castkit did.
struct Bounded {
    /// Exit code; `None` when it was killed at its time limit or by a signal.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory, in MiB (at least the Python parent's, about 10 MiB).
    peak_mib: u64,
    elapsed: Duration,
}

/// Runs a command with a time limit and prints, as JSON, its exit code (`null` when killed) and the peak
/// resident memory of its children in KiB. Its output goes to files, so a child writing a lot never
/// blocks on a full pipe.
const BOUNDED_RUN: &str = r#"
import json, resource, subprocess, sys
limit, out, err = float(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "wb") as o, open(err, "wb") as e:
    child = subprocess.Popen(sys.argv[4:], stdin=subprocess.DEVNULL, stdout=o, stderr=e)
    try:
        code = child.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        code = None
if code is not None and code < 0:
    code = None
print(json.dumps({"code": code, "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"#;

/// Runs castkit with `args` in `dir`, killed after `limit`.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> Bounded {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let started = Instant::now();
    let output = Command::new("python3")
        .arg("-c")
        .arg(BOUNDED_RUN)
        .arg(limit.as_secs_f64().to_string())
        .arg(&out_path)
        .arg(&err_path)
        .arg(assert_cmd::cargo::cargo_bin!("castkit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("python3 runs (the test suite needs it for its independent readers)");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "the bounded run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    Bounded {
        code: report["code"].as_i64().map(|c| c as i32),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        peak_mib: report["peak_kib"].as_u64().unwrap() / 1024,
        elapsed,
    }
}

impl Bounded {
    /// Asserts the run ended by itself, within `limit`, using at most `mib` of memory.
    fn within(&self, what: &str, limit: Duration, mib: u64) -> &Self {
        assert!(
            self.code.is_some(),
            "{what}: castkit did not finish within {limit:?} (killed after {:?})\n{}",
            self.elapsed,
            self.stderr
        );
        assert!(
            self.peak_mib <= mib,
            "{what}: castkit used {} MiB (limit {mib} MiB)\n{}",
            self.peak_mib,
            self.stderr
        );
        self
    }
}

/// A generous bound on time for a debug build on a busy machine: these cases take well under a second
/// in release; the bound only catches a hang or an unbounded loop.
const SHORT: Duration = Duration::from_secs(60);

/// An MP3 of a few real frames from the committed fixtures, after a `prefix`.
fn mp3_after(prefix: &[u8]) -> Vec<u8> {
    let audio = std::fs::read(repo_root().join("tests/fixtures/audio/cbr64-noheader.mp3")).unwrap();
    let mut bytes = prefix.to_vec();
    bytes.extend_from_slice(&audio);
    bytes
}

/// An ID3v2.3 tag header whose syncsafe size says 256 MiB (the most the field holds) before a short file
/// is refused with the claim and the real size; a tag whose one frame claims 4 GiB (a v2.3 frame size is a
/// plain 32-bit number) is read as far as it goes, with a warning saying which frame. Neither allocates
/// anything of the size claimed.
#[test]
fn an_id3_size_field_claiming_gigabytes_allocates_nothing_of_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    // Header: "ID3", v2.3, no flags, size 0x0FFFFFFF in syncsafe form.
    let huge_tag = mp3_after(b"ID3\x03\x00\x00\x7f\x7f\x7f\x7f");
    std::fs::write(dir.path().join("huge-tag.mp3"), &huge_tag).unwrap();
    let run = run_bounded(dir.path(), &["probe", "huge-tag.mp3"], SHORT);
    run.within("huge-tag.mp3", SHORT, 64);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("`huge-tag.mp3` is damaged at byte 0")
            && run
                .stderr
                .contains(&format!("only {} follow", huge_tag.len())),
        "{}",
        run.stderr
    );
    // A 64-byte tag holding one TIT2 frame whose size field says 0xFFFFFFFF.
    let mut frame_tag =
        b"ID3\x03\x00\x00\x00\x00\x00\x40TIT2\xff\xff\xff\xff\x00\x00\x00Title".to_vec();
    frame_tag.resize(10 + 64, 0);
    let huge_frame = mp3_after(&frame_tag);
    std::fs::write(dir.path().join("huge-frame.mp3"), &huge_frame).unwrap();
    let run = run_bounded(dir.path(), &["probe", "--json", "huge-frame.mp3"], SHORT);
    run.within("huge-frame.mp3", SHORT, 64);
    let facts: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
    let facts = &facts[0];
    assert_eq!(facts["size_bytes"].as_u64(), Some(huge_frame.len() as u64));
    // The audio after the tag is measured as ffmpeg would: the committed fixture's samples.
    let expected = crate::support::fixture_manifest(&repo_root().join("tests/fixtures/audio"))
        ["cbr64-noheader.mp3"]["samples"]
        .as_u64();
    assert_eq!(facts["samples"].as_u64(), expected, "{}", run.stdout);
    let warning = facts["warnings"][0].as_str().unwrap_or_default();
    assert!(
        warning.contains("TIT2") && !warning.contains("()"),
        "the warning says which frame is damaged: {warning}"
    );
}

/// An MP4 whose first box claims 2⁶³ bytes (a 64-bit `largesize`) and an APE tag footer claiming 4 GiB:
/// refused or read without allocating what they claim.
#[test]
fn mp4_and_ape_sizes_claiming_gigabytes_allocate_nothing_of_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut mp4 =
        b"\x00\x00\x00\x01ftyp\x7f\xff\xff\xff\xff\xff\xff\xffM4A \x00\x00\x00\x00".to_vec();
    mp4.extend_from_slice(b"\x00\x00\x00\x01moov\x7f\xff\xff\xff\xff\xff\xff\xff");
    std::fs::write(dir.path().join("huge-box.m4a"), &mp4).unwrap();
    let mut ape = mp3_after(b"");
    // An APEv2 footer: preamble, version 2000, tag size 0xFFFFFFFF, 1 item, flags, reserved.
    ape.extend_from_slice(b"APETAGEX\xd0\x07\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00");
    ape.extend_from_slice(&[0; 4]);
    ape.extend_from_slice(&[0; 8]);
    std::fs::write(dir.path().join("huge-ape.mp3"), &ape).unwrap();
    for name in ["huge-box.m4a", "huge-ape.mp3"] {
        let run = run_bounded(dir.path(), &["probe", name], SHORT);
        run.within(name, SHORT, 64);
        assert!(
            matches!(run.code, Some(0 | 1)),
            "{name}: exit {:?}\n{}",
            run.code,
            run.stderr
        );
        if run.code == Some(1) {
            assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        }
    }
}

/// A feed of 100 MB — one text node — is refused at castkit's 64 MB feed limit, having read no more than
/// that; one of 60 MB (a single 60 MB description) is read and validated in bounded time.
#[test]
fn a_feed_with_a_100_mb_text_node_is_refused_after_reading_at_most_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let feed = |text_mb: usize| {
        let mut xml = String::with_capacity(text_mb << 20 | 1024);
        xml.push_str("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>https://example.com/</link><description>");
        xml.extend(std::iter::repeat_n("a", text_mb << 20));
        xml.push_str("</description></channel></rss>");
        xml
    };
    std::fs::write(dir.path().join("100mb.xml"), feed(100)).unwrap();
    let run = run_bounded(dir.path(), &["validate", "100mb.xml"], SHORT);
    run.within("100 MB feed", SHORT, 160);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("castkit validates feeds up to 64 MB")
            || run.stderr.contains("castkit validates feeds up to 64 MB"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    std::fs::write(dir.path().join("60mb.xml"), feed(60)).unwrap();
    let run = run_bounded(dir.path(), &["validate", "60mb.xml"], SHORT);
    // The bytes, the decoded text and the tree's one text node: a few times the file, never more.
    run.within("60 MB feed", SHORT, 400);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

/// 100,000 nested elements are refused before any tree is built (RSS needs about five levels).
#[test]
fn a_feed_nested_100000_deep_is_refused_without_recursion() {
    let dir = tempfile::tempdir().unwrap();
    let mut xml = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>");
    xml.extend(std::iter::repeat_n("<a>", 100_000));
    xml.extend(std::iter::repeat_n("</a>", 100_000));
    xml.push_str("</channel></rss>");
    std::fs::write(dir.path().join("deep.xml"), xml).unwrap();
    for command in [
        &["validate", "deep.xml"][..],
        &["diff", "deep.xml", "deep.xml"],
        &[
            "import",
            "deep.xml",
            "--catalogue",
            "imported/episodes.toml",
        ],
    ] {
        let run = run_bounded(dir.path(), command, SHORT);
        run.within(command[0], SHORT, 64);
        assert!(
            matches!(run.code, Some(1 | 2)),
            "{}: exit {:?}\n{}",
            command[0],
            run.code,
            run.stderr
        );
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("nested") || said.contains("deep"),
            "{}: {said}",
            command[0]
        );
    }
}

/// `/dev/zero` named as audio — on the command line, and as an episode's file through a link in
/// `media/` — is refused at once: a device never ends, so nothing reads it. As a feed it is read up to the
/// feed limit and refused.
#[cfg(unix)]
#[test]
fn dev_zero_as_audio_is_refused_at_once() {
    let show = ShowDir::new();
    std::os::unix::fs::symlink("/dev/zero", show.path().join("media/zero.mp3")).unwrap();
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"Zero\"\naudio = \"media/zero.mp3\"\npublished = 2024-01-01T00:00:00Z\nguid = \"zero\"\n"
    ));
    for command in [
        &["probe", "/dev/zero"][..],
        &["tag"],
        &["build-feed", "--locked"],
    ] {
        let run = run_bounded(show.path(), command, SHORT);
        run.within(command[0], SHORT, 64);
        assert_eq!(run.code, Some(1), "{}: {}", command[0], run.stderr);
        assert!(
            run.stderr.contains("is a device")
                && (run.stderr.contains("/dev/zero") || run.stderr.contains("zero.mp3")),
            "{}: {}",
            command[0],
            run.stderr
        );
    }
    assert!(show.feed().is_none(), "no feed is written");
    let run = run_bounded(show.path(), &["validate", "/dev/zero"], SHORT);
    run.within("validate /dev/zero", SHORT, 160);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

/// A catalogue of 100,000 episodes (24 MB of TOML, audio hosted elsewhere) builds a feed of 100,000 items
/// in bounded time, with memory in proportion to the work (about 0.6 GiB measured in release), and the
/// feed-size warning. Without the website: its 100,000 pages (about 0.9 GB, three minutes in release on
/// this machine's two shared cores) are a cost of their own, not a resource limit.
#[test]
fn a_catalogue_of_100000_episodes_builds_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from(
        r#"[show]
title = "A Hundred Thousand"
description = "Every episode ever."
link = "https://example.com/"
feed_url = "https://example.com/feed.xml"
media_base_url = "https://example.com/media/"
language = "en"
author = "A"
owner = { name = "A", email = "a@example.com" }
image = "https://example.com/cover.jpg"
categories = ["News"]
explicit = false
"#,
    );
    for i in 0..100_000 {
        toml.push_str(&format!(
            "[[episode]]\ntitle = \"Episode {i}\"\naudio = \"https://example.com/media/{i}.mp3\"\naudio_length = {}\naudio_type = \"audio/mpeg\"\nduration = \"00:30:00\"\npublished = 2020-01-01T00:00:00Z\nguid = \"ep-{i}\"\nnotes = \"Notes for episode {i}.\"\n",
            1_000_000 + i
        ));
    }
    std::fs::write(dir.path().join("episodes.toml"), toml).unwrap();
    std::fs::create_dir(dir.path().join("media")).unwrap();
    let limit = Duration::from_secs(300);
    let run = run_bounded(dir.path(), &["build-feed", "--no-site"], limit);
    run.within("100,000 episodes", limit, 1536);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("F008"), "{}", run.stderr);
    // Counted by an independent reader, the `rss` crate.
    let feed = std::fs::read(dir.path().join("public/feed.xml")).unwrap();
    let channel = rss::Channel::read_from(&feed[..]).expect("the rss crate reads the feed");
    assert_eq!(channel.items().len(), 100_000);
}
