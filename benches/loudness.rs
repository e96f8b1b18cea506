//! `cargo bench --bench loudness`: `castkit probe --loudness` on an hour of speech-like MP3 against ffmpeg's
//! own EBU R128 meter (`ffmpeg -nostats -i FILE -af ebur128=peak=true -f null -`), in the same run.
//!
//! The input is made on the first run and kept under `target/bench-data/loudness/`: an hour of espeak-ng
//! speech over a quiet pink-noise bed, stereo 44.1 kHz, 128 kbit/s CBR by lame (about 58 MB).
//!
//! Target (issue 18): castkit ≤ 0.67 × ffmpeg's time on 2 cores, memory bounded whatever the file's length.
//! Each side is timed best of 3 after a warm-up run (page cache warm); the machine's load average is printed
//! beside the ratio, since other work on the cores moves both.

#[path = "common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The best wall time of `runs` runs of `program args`, after one warm-up run.
fn best_time(program: &str, args: &[&str], runs: usize) -> Duration {
    let run = || {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run the command");
        assert!(status.success(), "failed: {program} {args:?}");
        start.elapsed()
    };
    run();
    (0..runs).map(|_| run()).min().unwrap_or_default()
}

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    for tool in ["ffmpeg", "sox", "lame", "espeak-ng"] {
        if !have(tool) && Command::new(tool).arg("--version").output().is_err() {
            println!("skipped: the loudness benchmark needs {tool} to make its input");
            return;
        }
    }
    let dir = data_dir("loudness");
    let hour = dir.join("hour-speech-cbr128.mp3");
    if !hour.exists() {
        println!("making an hour of speech (espeak-ng, sox, lame)…");
        let d = dir.display();
        sh(&format!(
            "cd '{d}' && espeak-ng -w a.wav 'Welcome back to the show. Today we talk about loudness, \
             about why one episode should sound as loud as the next, and about the tools that measure it.' \
             && espeak-ng -v en-us -p 30 -w b.wav 'That is right. Directories normalise what they play, \
             so a quiet episode is turned up with its noise, and a loud one is squashed.' \
             && sox a.wav b.wav -r 44100 -c 2 pair.wav && sox pair.wav long.wav repeat 300 \
             && sox long.wav hour.wav trim 0 3600 \
             && sox -n -r 44100 -c 2 bed.wav synth 3600 pinknoise gain -45 \
             && sox -m hour.wav bed.wav mixed.wav \
             && lame --quiet -b 128 mixed.wav hour.part.mp3 && mv hour.part.mp3 '{}' \
             && rm -f a.wav b.wav pair.wav long.wav hour.wav bed.wav mixed.wav",
            hour.display()
        ));
    }
    let file = hour.to_str().expect("a UTF-8 path");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{cores} cores; load average before: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let ours = best_time(castkit, &["probe", "--loudness", "--json", file], 3);
    let theirs = best_time(
        "ffmpeg",
        &[
            "-nostats",
            "-i",
            file,
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        3,
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average after: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "hour of MP3, loudness: castkit {:.2} s, ffmpeg ebur128=peak=true {:.2} s: {:.2}× ffmpeg's time (target ≤ 0.67)",
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    let peak = |program: &std::path::Path, args: &[&str]| {
        peak_rss_kib(program, args).map_or("unknown".to_owned(), |k| format!("{} MiB", k / 1024))
    };
    println!(
        "peak memory: castkit {}, ffmpeg {}",
        peak(
            std::path::Path::new(castkit),
            &["probe", "--loudness", "--json", file]
        ),
        peak(
            std::path::Path::new("ffmpeg"),
            &[
                "-nostats",
                "-i",
                file,
                "-af",
                "ebur128=peak=true",
                "-f",
                "null",
                "-"
            ]
        )
    );
}
