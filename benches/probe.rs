//! `cargo bench --bench probe`: probing speed and memory against `cat` and ffprobe.
//!
//! Inputs are generated on the first run (with ffmpeg's libmp3lame) and kept under `target/bench-data/`:
//! an hour-long 128 kbit/s CBR MP3 with an Info header, the same hour as VBR (-V2, Xing header) and as VBR
//! without any header, 200 three-minute episodes, and a 2 GB file (the hour repeated) for memory.
//!
//! Issue 11 adds an hour of AAC in M4A and an hour of Opus, against `cat` and ffprobe's duration.
//!
//! Targets (issue 3): an hour ≤ 1.5 × `cat` and ≥ 8 × faster than `ffprobe -count_packets`, faster than
//! ffprobe's estimate; 200 episodes ≤ 1.5 × `cat` over all of them; a 2 GB file in a few MB of RSS.

#[path = "common/mod.rs"]
mod common;

use common::*;

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    if !have("ffmpeg") {
        println!("skipped: the probe benchmark needs ffmpeg to make its inputs");
        return;
    }
    let dir = data_dir("probe");
    let source = "-f lavfi -i sine=frequency=440:sample_rate=44100 -f lavfi -i anoisesrc=c=pink:a=0.2:r=44100 \
                  -filter_complex amix=inputs=2:duration=shortest -ac 2";
    let make = |name: &str, seconds: u32, codec: &str| {
        let path = dir.join(name);
        if !path.exists() {
            println!("making {name} ({seconds} s)…");
            // The part file keeps the real extension: ffmpeg picks the container by it.
            let ext = name.rsplit('.').next().unwrap_or("mp3");
            sh(&format!(
                "ffmpeg -v error -y {source} -t {seconds} {codec} '{}.part.{ext}' && mv '{0}.part.{ext}' '{0}'",
                path.display()
            ));
        }
        path
    };
    let cbr = make("hour-cbr128.mp3", 3600, "-c:a libmp3lame -b:a 128k");
    let vbr = make("hour-vbr-v2.mp3", 3600, "-c:a libmp3lame -q:a 2");
    let vbr_bare = dir.join("hour-vbr-noheader.mp3");
    if !vbr_bare.exists() {
        // The same audio without its Xing frame: the case where probes that trust headers go wrong.
        sh(&format!(
            "ffmpeg -v error -y -i '{}' -c copy -write_xing 0 -id3v2_version 0 '{}'",
            vbr.display(),
            vbr_bare.display()
        ));
    }
    let episodes = dir.join("episodes");
    let one = make("episode-3min.mp3", 180, "-c:a libmp3lame -b:a 128k");
    if !episodes.join("199.mp3").exists() {
        std::fs::create_dir_all(&episodes).unwrap();
        for i in 0..200 {
            std::fs::copy(&one, episodes.join(format!("{i:03}.mp3"))).unwrap();
        }
    }
    let big = dir.join("two-gigabytes.mp3");
    if !big.exists() {
        let parts: Vec<String> = (0..36).map(|_| format!("'{}'", cbr.display())).collect();
        sh(&format!("cat {} > '{}'", parts.join(" "), big.display()));
    }

    println!("\nwarm page cache, median of 5 runs, whole processes\n");
    for (label, file) in [
        ("1 h CBR 128k (Info)", &cbr),
        ("1 h VBR -V2 (Xing)", &vbr),
        ("1 h VBR, no header", &vbr_bare),
    ] {
        let f = file.display();
        let ours = median_time(&format!("'{castkit}' probe '{f}'"), 5);
        let cat = median_time(&format!("cat '{f}' > /dev/null"), 5);
        report(label, ours, "cat", cat, "target ≤ 1.5");
        if have("ffprobe") {
            let exact = median_time(
                &format!(
                    "ffprobe -v error -count_packets -show_entries stream=nb_read_packets '{f}'"
                ),
                3,
            );
            report(
                label,
                ours,
                "ffprobe -count_packets",
                exact,
                "target ≤ 0.125",
            );
            let estimate = median_time(
                &format!("ffprobe -v error -show_entries format=duration '{f}'"),
                5,
            );
            report(
                label,
                ours,
                "ffprobe format=duration",
                estimate,
                "target < 1",
            );
        }
    }
    // Other containers: castkit reads the MP4 boxes and walks the Ogg pages itself (issue 11), so both are
    // compared with ffprobe reading the same container's stated duration.
    let m4a = make("hour-aac64.m4a", 3600, "-c:a aac -b:a 64k");
    let opus = make("hour-opus48.opus", 3600, "-c:a libopus -b:a 48k");
    for (label, file) in [("1 h AAC 64k (M4A)", &m4a), ("1 h Opus 48k (Ogg)", &opus)] {
        let f = file.display();
        let ours = median_time(&format!("'{castkit}' probe '{f}'"), 5);
        let cat = median_time(&format!("cat '{f}' > /dev/null"), 5);
        report(label, ours, "cat", cat, "target ≤ 1.5");
        if have("ffprobe") {
            let estimate = median_time(
                &format!("ffprobe -v error -show_entries format=duration '{f}'"),
                5,
            );
            report(
                label,
                ours,
                "ffprobe format=duration",
                estimate,
                "target < 1",
            );
        }
    }

    let all = format!("'{}'/*.mp3", episodes.display());
    let ours = median_time(&format!("'{castkit}' probe {all}"), 5);
    let cat = median_time(&format!("cat {all} > /dev/null"), 5);
    report(
        "200 × 3 min episodes, all cores",
        ours,
        "cat",
        cat,
        "target ≤ 1.5",
    );

    let size_mb = std::fs::metadata(&big).unwrap().len() as f64 / 1e6;
    let probe_big = median_time(&format!("'{castkit}' probe '{}'", big.display()), 3);
    let cat_big = median_time(&format!("cat '{}' > /dev/null", big.display()), 3);
    report(
        "2 GB (the hour × 36)",
        probe_big,
        "cat",
        cat_big,
        "same target, start-up amortised",
    );
    println!(
        "\n{size_mb:.0} MB file: probed in {:.0} ms ({:.2} GB/s)",
        probe_big.as_secs_f64() * 1000.0,
        size_mb / 1000.0 / probe_big.as_secs_f64()
    );
    if let Some(kib) = peak_rss_kib(
        std::path::Path::new(castkit),
        &["probe", &big.display().to_string()],
    ) {
        println!(
            "{size_mb:.0} MB file: castkit probe peak RSS {:.1} MB",
            kib as f64 / 1024.0
        );
    }
    if let Some(kib) = peak_rss_kib(
        std::path::Path::new("/bin/cat"),
        &[&big.display().to_string()],
    ) {
        println!(
            "{size_mb:.0} MB file: cat peak RSS {:.1} MB (reference)",
            kib as f64 / 1024.0
        );
    }
}
