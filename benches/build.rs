//! `cargo bench --bench build`: `build-feed` on big shows, against python-feedgen writing the same items in
//! the same run, and against reading the media with `cat`.
//!
//! Inputs are generated on the first run and kept under `target/bench-data/build/`:
//! - `feedgen-10k`: 10,000 episodes carrying what feedgen's users give it (a title, a one-line note with
//!   `&`, `<`, `>` and quotes, a `urn:uuid` guid, a date, one small MP3 each);
//! - `example-1k`: 1,000 clones of the example show's episode (long Markdown notes, chapters, a transcript,
//!   a person), each with its own name for the example MP3 (hard links, so the clones cost no disk).
//!
//! Targets (issue 14): the 10,000-episode warm build ≤ 0.1 × feedgen's time with peak memory ≤ 64 MiB; the
//! 1,000-episode warm build ≤ 100 ms; a cold build's probing ≤ 1.5 × reading the bytes; feed bytes per item
//! reported against feedgen's for the same data.

#[path = "common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::*;

const ITEMS: usize = 10_000;
const CLONES: usize = 1_000;

/// The show header both generators describe.
const SHOW: &str = r#"[show]
title = "Benchmark Show"
description = "A show generated for castkit's build benchmark."
link = "https://example.com/"
feed_url = "https://example.com/feed.xml"
media_base_url = "https://example.com/media/"
language = "en"
author = "Bench"
owner = { name = "Bench", email = "bench@example.com" }
image = "https://example.com/cover.jpg"
categories = ["Technology"]
explicit = false
"#;

/// feedgen given the same items: the same title, note, guid, date and enclosure per episode.
const FEEDGEN: &str = r#"
import sys, uuid, datetime
from feedgen.feed import FeedGenerator
n, length, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
fg = FeedGenerator(); fg.load_extension('podcast')
fg.title('Benchmark Show'); fg.link(href='https://example.com/', rel='alternate')
fg.description("A show generated for castkit's build benchmark."); fg.language('en')
fg.podcast.itunes_author('Bench'); fg.podcast.itunes_category('Technology'); fg.podcast.itunes_explicit('no')
fg.podcast.itunes_image('https://example.com/cover.jpg'); fg.podcast.itunes_owner('Bench', 'bench@example.com')
start = datetime.datetime(1990, 1, 1, 8, tzinfo=datetime.timezone.utc)
for i in range(n):
    fe = fg.add_entry()
    fe.id(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(i))}")
    fe.title(f"Episode {i}: measuring what matters")
    fe.description(f'Notes for episode {i}: cats & dogs, <tags> and "quotes".')
    fe.pubDate(start + datetime.timedelta(days=i))
    fe.enclosure(f"https://example.com/media/episode-{i}.mp3", length, "audio/mpeg")
fg.rss_file(out)
"#;

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let small_mp3 = root.join("tests/fixtures/audio/mpeg25-8k-cbr.mp3");
    let length = std::fs::metadata(&small_mp3).unwrap().len();

    // 10,000 feedgen-like episodes.
    let show = data_dir("build").join("feedgen-10k");
    make_feedgen_show(&show, &small_mp3);
    let build = |dir: &Path, extra: &str| {
        format!(
            "cd '{}' && '{castkit}' build-feed -q --no-against {extra}",
            dir.display()
        )
    };
    sh(&build(&show, "")); // fills the probe cache: the runs below are warm
    let warm = median_time(&build(&show, ""), 5);
    let feed = show.join("public/feed.xml");
    let feed_bytes = std::fs::metadata(&feed).unwrap().len();
    let rss_kib = peak_rss_kib_in(
        &show,
        Path::new(castkit),
        &["build-feed", "-q", "--no-against"],
    );
    println!("\n10,000 feedgen-like episodes, warm (media unchanged, probe cache filled)");
    let python_has_feedgen = std::process::Command::new("python3")
        .args(["-c", "import feedgen"])
        .status()
        .is_ok_and(|s| s.success());
    if python_has_feedgen {
        // Not `feedgen.py`: Python would import the script itself as the module.
        let script = data_dir("build").join("feedgen_bench.py");
        std::fs::write(&script, FEEDGEN).unwrap();
        let out = data_dir("build").join("feedgen-10k.xml");
        let args = [
            script.display().to_string(),
            ITEMS.to_string(),
            length.to_string(),
            out.display().to_string(),
        ];
        let command = format!(
            "python3 '{}' {} {} '{}'",
            args[0], args[1], args[2], args[3]
        );
        sh(&command); // fails loudly if feedgen cannot write the feed
        let feedgen = median_time(&command, 5);
        report(
            "castkit build-feed",
            warm,
            "feedgen",
            feedgen,
            "target ≤ 0.10",
        );
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let feedgen_kib = peak_rss_kib(Path::new("python3"), &arg_refs);
        let feedgen_bytes = std::fs::metadata(&out).unwrap().len();
        println!(
            "peak memory: castkit {} | feedgen {} (target ≤ 64 MiB)",
            mib(rss_kib),
            mib(feedgen_kib)
        );
        println!(
            "feed bytes per item: castkit {:.0} | feedgen {:.0} | ratio {:.2}",
            feed_bytes as f64 / ITEMS as f64,
            feedgen_bytes as f64 / ITEMS as f64,
            feed_bytes as f64 / feedgen_bytes as f64
        );
    } else {
        println!(
            "castkit build-feed {:.1} ms, peak {}; feedgen not installed (`pip install feedgen`): no ratio",
            warm.as_secs_f64() * 1000.0,
            mib(rss_kib)
        );
    }

    // Cold: no probe cache, every file probed, against reading every byte of the media.
    let cold = median_time(&build(&show, "--no-cache"), 3);
    let cat = median_time(
        &format!("cat '{}'/media/*.mp3 > /dev/null", show.display()),
        3,
    );
    report(
        "cold build-feed (every file probed)",
        cold,
        "cat media/*.mp3",
        cat,
        "probing target ≤ 1.5",
    );
    let probe_only = median_time(
        &format!(
            "cd '{}' && '{castkit}' probe media/*.mp3 > /dev/null",
            show.display()
        ),
        3,
    );
    report(
        "castkit probe media/*.mp3 (no show cache)",
        probe_only,
        "cat media/*.mp3",
        cat,
        "target ≤ 1.5",
    );

    // 1,000 long-notes episodes.
    let clones = data_dir("build").join("example-1k");
    make_example_clones(&clones, &root);
    sh(&build(&clones, ""));
    let warm_clones = median_time(&build(&clones, ""), 5);
    let clone_feed = std::fs::metadata(clones.join("public/feed.xml"))
        .unwrap()
        .len();
    let read_feed = median_time(
        &format!("cat '{}/public/feed.xml' > /dev/null", clones.display()),
        5,
    );
    println!(
        "\n1,000 clones of the example episode ({:.1} MB feed), warm: {:.1} ms (target ≤ 100 ms)",
        clone_feed as f64 / 1e6,
        warm_clones.as_secs_f64() * 1000.0
    );
    report(
        "castkit build-feed, 1,000 long notes",
        warm_clones,
        "cat feed.xml",
        read_feed,
        "reference",
    );
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "?".to_owned(),
        |k| format!("{:.1} MiB", k as f64 / 1024.0),
    )
}

/// [`peak_rss_kib`] for a command run in `dir`.
fn peak_rss_kib_in(dir: &Path, program: &Path, args: &[&str]) -> Option<u64> {
    let here = std::env::current_dir().ok()?;
    std::env::set_current_dir(dir).ok()?;
    let kib = peak_rss_kib(program, args);
    std::env::set_current_dir(here).ok()?;
    kib
}

/// The 10,000-episode show: the same items feedgen is given, and one copy of a small MP3 per episode.
fn make_feedgen_show(dir: &Path, mp3: &Path) {
    let media = dir.join("media");
    std::fs::create_dir_all(&media).unwrap();
    let mut catalogue = String::from(SHOW);
    let start = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    for i in 0..ITEMS {
        let audio = media.join(format!("episode-{i}.mp3"));
        if !audio.exists() {
            std::fs::copy(mp3, &audio).unwrap();
        }
        let date = start + chrono::Days::new(i as u64);
        let guid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, i.to_string().as_bytes());
        let _ = write!(
            catalogue,
            r#"
[[episode]]
title = "Episode {i}: measuring what matters"
audio = "media/episode-{i}.mp3"
published = {date}T08:00:00Z
guid = "urn:uuid:{guid}"
notes = "Notes for episode {i}: cats & dogs, \\<tags\\> and \"quotes\"."
"#
        );
    }
    write_if_new(&dir.join("episodes.toml"), &catalogue);
}

/// 1,000 copies of the example show's episode, each with its own title, number, date, guid and audio name.
fn make_example_clones(dir: &Path, repo: &Path) {
    let media = dir.join("media");
    std::fs::create_dir_all(&media).unwrap();
    let example = std::fs::read_to_string(repo.join("episodes.toml")).unwrap();
    let (show, episode) = example
        .split_once("\n[[episode]]\n")
        .expect("the example catalogue has an episode");
    let audio_name = "5.4 What are the goals of rural revitalization";
    for entry in std::fs::read_dir(repo.join("media")).unwrap() {
        let entry = entry.unwrap();
        let target = media.join(entry.file_name());
        if !target.exists() {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
    let mut catalogue = show.to_owned();
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    for i in 0..CLONES {
        let audio = media.join(format!("clone-{i}.mp3"));
        if !audio.exists() {
            std::fs::hard_link(media.join(format!("{audio_name}.mp3")), &audio)
                .or_else(|_| {
                    std::fs::copy(media.join(format!("{audio_name}.mp3")), &audio).map(|_| ())
                })
                .unwrap();
        }
        let guid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("clone-{i}").as_bytes());
        let date = start + chrono::Days::new(i as u64);
        let mut block = String::new();
        for line in episode.lines() {
            let line = if line.starts_with("title = ") {
                format!("title = \"Clone {i} of the example episode\"")
            } else if line.starts_with("audio = ") {
                format!("audio = \"media/clone-{i}.mp3\"")
            } else if line.starts_with("published = ") {
                format!("published = {date}T08:00:00")
            } else if line.starts_with("number = ") {
                format!("number = {}", i + 1)
            } else if line.starts_with("guid = ") {
                format!("guid = \"{guid}\"")
            } else {
                line.to_owned()
            };
            block.push_str(&line);
            block.push('\n');
        }
        catalogue.push_str("\n[[episode]]\n");
        catalogue.push_str(&block);
    }
    write_if_new(&dir.join("episodes.toml"), &catalogue);
}

/// Writes a generated catalogue only when its text changed, so the probe cache and feed stay warm between
/// benchmark runs.
fn write_if_new(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}
