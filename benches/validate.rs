//! `cargo bench --bench validate`: validating a 10,000-item feed, in MB/s, against reading it with `cat`
//! and parsing it with `xmllint --noout` (libxml2, well-formedness only); and peak memory as a multiple of
//! the feed's size, for that feed and for a 35,000-item one of about 59 MB (just under castkit's 64 MiB limit).
//!
//! The feeds are generated on the first run and kept under `target/bench-data/validate/`.

#[path = "common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::time::Instant;

use castkit::validate::{Options, validate_bytes};
use common::*;

/// A realistic podcast feed: every tag Apple requires and recommends, show notes of about 1 KB per item in
/// both `description` and `content:encoded`.
fn feed(items: usize) -> String {
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
        let _ = write!(
            s,
            r#"    <item>
      <title>Episode {i}: a title of a typical length</title>
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
            len = 20_000_000 + i,
            dur = 1800 + i % 600,
            n = i + 1,
        );
    }
    s.push_str("  </channel>\n</rss>\n");
    s
}

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    let dir = data_dir("validate");
    let make = |name: &str, items: usize| {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, feed(items)).unwrap();
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
        if let Some(kib) = peak_rss_kib(std::path::Path::new(castkit), &["validate", &path_text]) {
            println!(
                "peak RSS on a {:.1} MB feed: {:.1} MB, {:.1} × the feed",
                size / 1e6,
                kib as f64 * 1024.0 / 1e6,
                kib as f64 * 1024.0 / size
            );
        }
    }
}
