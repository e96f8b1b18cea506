//! `cargo bench --bench validate`: validating a 10,000-item feed, in MB/s, against reading it with `cat`
//! and parsing it with `xmllint --noout` (libxml2, well-formedness only); and peak memory as a multiple of
//! the feed's size, for that feed and for a 35,000-item one of about 59 MB (just under castkit's 64 MiB limit).
//!
//! The feeds are generated on the first run and kept under `target/bench-data/validate/`.

#[path = "common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::Instant;

use castkit::validate::{Options, validate_bytes};
use common::*;

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    let dir = data_dir("validate");
    let make = |name: &str, items: usize| {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, podcast_feed(items, |_| false)).unwrap();
        }
        path
    };
    let ten_k = make("feed-10k.xml", 10_000);
    let big = make("feed-35k.xml", 35_000);
    let bytes = std::fs::read(&ten_k).unwrap();
    let mb = bytes.len() as f64 / 1e6;
    let options = Options::default();

    // In process: the validator alone.
    let found = validate_bytes("feed.xml", &bytes, &options);
    assert!(
        !found.iter().any(|d| d.is_error()),
        "the benchmark feed should be valid: {found:?}"
    );
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(validate_bytes("feed.xml", &bytes, &options));
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[2];
    println!("\n10,000-item feed: {mb:.1} MB, {} findings", found.len());
    println!(
        "in process: validate_bytes {:.1} ms, {:.0} MB/s",
        median * 1000.0,
        mb / median
    );

    // Whole processes, warm page cache.
    let f = ten_k.display();
    let ours = median_time(&format!("'{castkit}' validate '{f}'"), 5);
    println!(
        "whole process: castkit validate {:.0} MB/s",
        mb / ours.as_secs_f64()
    );
    report(
        "10,000 items, castkit validate",
        ours,
        "cat",
        median_time(&format!("cat '{f}' > /dev/null"), 5),
        "reference",
    );
    if have("xmllint") {
        let xmllint = median_time(&format!("xmllint --noout --nonet '{f}'"), 5);
        report(
            "10,000 items, castkit validate",
            ours,
            "xmllint --noout",
            xmllint,
            "parse only, no rules",
        );
    }

    for path in [&ten_k, &big] {
        let size = std::fs::metadata(path).unwrap().len() as f64;
        let path_text = path.display().to_string();
        let peak = |program: &str, args: &[&str]| {
            fresh_peak_rss_kib(program, args).map(|kib| kib as f64 * 1024.0)
        };
        if let Some(bytes) = peak(castkit, &["validate", &path_text]) {
            println!(
                "peak RSS on a {:.1} MB feed: {:.1} MB, {:.1} × the feed",
                size / 1e6,
                bytes / 1e6,
                bytes / size
            );
        }
        // libxml2 holds the file and its tree too: the floor a parse-only tool sets.
        if have("xmllint")
            && let Some(xmllint) = which("xmllint")
            && let Some(bytes) = peak(&xmllint, &["--noout", "--nonet", &path_text])
        {
            println!(
                "  xmllint --noout on it: {:.1} MB, {:.1} × the feed",
                bytes / 1e6,
                bytes / size
            );
        }
    }
}

/// The full path of a program on `PATH` (peak memory is read from the program itself, not a shell).
fn which(program: &str) -> Option<String> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
            .map(|path| path.display().to_string())
    })
}

/// Peak resident memory of a program, in KiB, as GNU time measures it when installed: Linux counts into a
/// child's `ru_maxrss` the peak of the process that started it when it `exec`s, so a child of this benchmark
/// (which has just held feeds and trees) would report at least this process's own peak. GNU time is a small
/// process that forks the program, so its figure is the program's own.
fn fresh_peak_rss_kib(program: &str, args: &[&str]) -> Option<u64> {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.is_file() {
        return peak_rss_kib(std::path::Path::new(program), args);
    }
    let out = Command::new(time)
        .args(["-f", "%M", program])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}
