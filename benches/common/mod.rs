//! Helpers shared by castkit's benchmarks: timing whole processes against a reference command run on the
//! same machine in the same run, and peak memory of a child process.
//!
//! Targets are ratios (castkit ÷ reference), never absolute times: the same ratio holds on a laptop and on
//! a CI runner, an absolute time does not.

#![allow(dead_code, reason = "each benchmark uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where generated inputs are kept between runs (under the target directory, never committed).
pub(crate) fn data_dir(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data").join(name);
    std::fs::create_dir_all(&dir).expect("create the bench data folder");
    dir
}

/// Whether a tool is installed.
pub(crate) fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Runs a shell command, failing loudly.
pub(crate) fn sh(script: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .status()
        .expect("run sh");
    assert!(status.success(), "failed: {script}");
}

/// The median wall time of `runs` runs of a shell command, after one warm-up run (so the page cache is
/// warm, as the targets specify).
pub(crate) fn median_time(script: &str, runs: usize) -> Duration {
    let run = || {
        let start = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run sh");
        let elapsed = start.elapsed();
        assert!(
            status.success() || status.code() == Some(1),
            "failed: {script}"
        );
        elapsed
    };
    run();
    let mut times: Vec<Duration> = (0..runs).map(|_| run()).collect();
    times.sort();
    times[runs / 2]
}

/// Peak resident memory of a command, in KiB: `ru_maxrss` from `wait4(2)` on that one child (a shell or a
/// forked interpreter in between would report its own pages instead).
pub(crate) fn peak_rss_kib(program: &Path, args: &[&str]) -> Option<u64> {
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child, not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    (reaped == pid).then_some(usage.ru_maxrss as u64)
}

/// Prints one comparison line: castkit's time, the reference's, and the ratio against the target.
pub(crate) fn report(
    what: &str,
    castkit: Duration,
    reference_name: &str,
    reference: Duration,
    target: &str,
) {
    let ratio = castkit.as_secs_f64() / reference.as_secs_f64();
    println!(
        "{what:<44} castkit {:>9.1} ms | {reference_name:<28} {:>9.1} ms | ratio {ratio:>6.2} ({target})",
        castkit.as_secs_f64() * 1000.0,
        reference.as_secs_f64() * 1000.0,
    );
}

/// A realistic podcast feed: every tag Apple requires and recommends, show notes of about 1 KB per item in
/// both `description` and `content:encoded`. An `edited` item has another title and enclosure length (for
/// `diff`).
pub(crate) fn podcast_feed(items: usize, edited: impl Fn(usize) -> bool) -> String {
    use std::fmt::Write as _;

    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Benchmark Show</title>
    <link>https://example.com/</link>
    <description>A show generated for castkit's validation benchmark.</description>
    <language>en</language>
    <atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
    <itunes:author>Bench</itunes:author>
    <itunes:owner><itunes:name>Bench</itunes:name><itunes:email>bench@example.com</itunes:email></itunes:owner>
    <itunes:image href="https://example.com/cover.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
"#,
    );
    let notes = "Notes about this episode, with a few sentences of text as producers write them. "
        .repeat(6);
    for i in 0..items {
        let day = i % 28 + 1;
        let (mark, extra) = if edited(i) { (" (edited)", 1) } else { ("", 0) };
        let _ = write!(
            s,
            r#"    <item>
      <title>Episode {i}: a title of a typical length{mark}</title>
      <link>https://example.com/episodes/{i}</link>
      <description>{notes}</description>
      <content:encoded><![CDATA[<p>{notes}</p><ul><li><a href="https://example.com/{i}">A link</a></li></ul>]]></content:encoded>
      <guid isPermaLink="false">episode-{i}</guid>
      <pubDate>{weekday}, {day:02} Feb 2021 08:00:00 +0000</pubDate>
      <enclosure url="https://cdn.example.com/media/episode-{i}.mp3" length="{len}" type="audio/mpeg"/>
      <itunes:duration>{dur}</itunes:duration>
      <itunes:image href="https://example.com/episodes/{i}.jpg"/>
      <itunes:explicit>false</itunes:explicit>
      <itunes:episode>{n}</itunes:episode>
    </item>
"#,
            // 1 Feb 2021 was a Monday.
            weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][(day - 1) % 7],
            len = 20_000_000 + i + extra,
            dur = 1800 + i % 600,
            n = i + 1,
        );
    }
    s.push_str("  </channel>\n</rss>\n");
    s
}
