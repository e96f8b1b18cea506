//! `cargo bench --bench tag`: writing ID3 tags into an hour-long MP3, against `cp` of the same file, and
//! re-running on the unchanged file, against reading the whole file with `cat`.
//!
//! Targets (issue 4): tagging costs at most ~1.5 × `cp`; a re-run on unchanged files reads only their tags
//! (so it costs far less than one read of the file).

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    if !have("ffmpeg") {
        println!("skipped: the tag benchmark needs ffmpeg to make its input");
        return;
    }
    let data = data_dir("tag");
    let pristine = data.join("hour-cbr128.mp3");
    if !pristine.exists() {
        println!("making an hour of 128 kbit/s audio…");
        sh(&format!(
            "ffmpeg -v error -y -f lavfi -i sine=frequency=440:sample_rate=44100 -t 3600 -ac 2 -c:a libmp3lame -b:a 128k '{}'",
            pristine.display()
        ));
    }
    let show = data.join("show");
    std::fs::create_dir_all(show.join("media")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("media/cover.jpg"),
        show.join("media/cover.jpg"),
    )
    .unwrap();
    std::fs::write(
        show.join("episodes.toml"),
        r#"[show]
title = "Bench"
description = "A show to measure tagging."
link = "https://example.com/"
feed_url = "https://example.com/feed.xml"
media_base_url = "https://example.com/media/"
language = "en"
author = "Bench"
image = "media/cover.jpg"
categories = ["Technology"]
explicit = false

[[episode]]
title = "An hour"
audio = "media/hour.mp3"
published = 2024-01-01T00:00:00Z
guid = "bench-hour"
notes = "An hour of sine."

[[episode.chapter]]
start = "0:00"
title = "Start"

[[episode.chapter]]
start = "30:00"
title = "Middle"
"#,
    )
    .unwrap();
    let episode = show.join("media/hour.mp3");
    let cache = data.join("cache");
    let tag = || {
        let start = Instant::now();
        let status = Command::new(castkit)
            .arg("tag")
            .current_dir(&show)
            .env("CASTKIT_CACHE_DIR", &cache)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        start.elapsed()
    };
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };

    // Fresh tagging: restore the untagged file (not timed), then tag it.
    let mut fresh = Vec::new();
    for _ in 0..6 {
        std::fs::copy(&pristine, &episode).unwrap();
        let _ = Command::new("cat")
            .arg(&episode)
            .stdout(std::process::Stdio::null())
            .status();
        fresh.push(tag());
    }
    let fresh = median(fresh[1..].to_vec());
    let copy_target = data.join("copy.mp3");
    let cp = median_time(
        &format!("cp '{}' '{}'", pristine.display(), copy_target.display()),
        5,
    );
    println!("\nwarm page cache, median of 5 runs, whole processes\n");
    report(
        "tag a fresh 60-min MP3 (write + fsync)",
        fresh,
        "cp",
        cp,
        "target ≤ ~1.5",
    );
    let cp_sync = median_time(
        &format!(
            "cp '{}' '{}' && sync '{}'",
            pristine.display(),
            copy_target.display(),
            copy_target.display()
        ),
        5,
    );
    report(
        "tag a fresh 60-min MP3 (write + fsync)",
        fresh,
        "cp + sync (same durability)",
        cp_sync,
        "for reference",
    );

    // Re-running on the now-tagged, unchanged file.
    let rerun = median((0..5).map(|_| tag()).collect());
    let cat = median_time(&format!("cat '{}' > /dev/null", episode.display()), 5);
    report(
        "re-run on the unchanged file",
        rerun,
        "cat (one full read)",
        cat,
        "target ≪ 1",
    );
    let _ = std::fs::remove_file(copy_target);
}
