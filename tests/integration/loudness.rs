//! Issue 18: `castkit probe --loudness`, the release checks of `build-feed --loudness` and `validate
//! --catalogue`, and the probe store keeping the figures.
//!
//! Truth is ffmpeg's own EBU R128 meter, run on the same files: `-af ebur128=peak=true+sample:metadata=1`,
//! whose last frame's metadata carries the integrated loudness (`lavfi.r128.I`) and range (`lavfi.r128.LRA`)
//! to three decimals, and each channel's true and sample peak (linear). Two things to know when comparing:
//! - ffmpeg's filter runs at 48 kHz only, so ffmpeg resamples 44.1 kHz input before measuring; its sample peak
//!   is then the peak of resampled audio, which is not the file's. The sample peak is compared with ffmpeg's
//!   `astats` (the file's own samples, `Overall` `Peak level dB`) instead, and with the filter's for 48 kHz
//!   files (Opus). The true peak (4× oversampled, after ffmpeg's resampling or castkit's none) is compared
//!   with the filter's, the highest channel's, in dB.
//! - castkit computes short-term loudness every 100 ms, as ffmpeg does (libebur128 takes one a second).
//!
//! Fixtures are made at test time: real speech by espeak-ng (two voices, about 34 s) and music-like material
//! by sox (plucked chords with tremolo, then pink noise; 31 s, stereo), each encoded as MP3 CBR 128k and
//! VBR -V2 (lame), MPEG-2 Layer III at 22.05 kHz (lame), AAC in M4A, Opus and Vorbis (ffmpeg), FLAC and WAV.
//! Measured on the machine that wrote this: integrated loudness within 0.006 LU of ffmpeg's, range equal,
//! true peak within 0.015 dB, sample peak equal.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{SHOW, ShowDir, castkit, have_tool, stderr_of};

/// Everything castkit and ffmpeg may differ by (issue 18: 0.1 LU / 0.1 dB).
const TOLERANCE: f64 = 0.1;

/// Runs a shell script, failing the test loudly.
fn sh(dir: &Path, script: &str) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{script}: {}", stderr_of(&out));
}

/// The two sources: speech (mono) and music (stereo), WAV at 44.1 kHz.
fn sources(dir: &Path) {
    let text = "Podcasts are a way to tell stories. This is a test of loudness measurement, comparing castkit with ffmpeg. The quick brown fox jumps over the lazy dog, again and again.";
    sh(
        dir,
        &format!(
            "espeak-ng -s 150 -w s1.wav '{text}' && espeak-ng -v en-us -p 70 -w s2.wav '{text}' \
             && sox s1.wav s2.wav s1.wav -r 44100 -c 1 -b 16 speech.wav \
             && sox -n -r 44100 -c 2 -b 16 music.wav synth 25 pluck C3 pluck E3 pluck G3 pluck C4 synth sine mix 0.5 tremolo 3 40 gain -6 \
             && sox -n -r 44100 -c 2 -b 16 noise.wav synth 6 pinknoise gain -20 \
             && sox music.wav noise.wav musicn.wav && mv musicn.wav music.wav"
        ),
    );
}

/// Each encoding of `name.wav`, as (file, what it is).
fn encode(dir: &Path, name: &str) -> Vec<(PathBuf, &'static str)> {
    let kinds: [(&str, &str, &str); 8] = [
        ("cbr.mp3", "MP3 CBR 128k", "lame --quiet -b 128 {in} {out}"),
        ("vbr.mp3", "MP3 VBR -V2", "lame --quiet -V 2 {in} {out}"),
        (
            "mpeg2.mp3",
            "MPEG-2 Layer III 22.05 kHz",
            "lame --quiet --resample 22.05 -b 64 {in} {out}",
        ),
        (
            "aac.m4a",
            "AAC in M4A",
            "ffmpeg -v error -y -i {in} -c:a aac -b:a 128k {out}",
        ),
        (
            "libopus.opus",
            "Opus",
            "ffmpeg -v error -y -i {in} -c:a libopus -b:a 64k {out}",
        ),
        (
            "vorbis.ogg",
            "Vorbis",
            "ffmpeg -v error -y -i {in} -c:a libvorbis -q:a 4 {out}",
        ),
        ("lossless.flac", "FLAC", "ffmpeg -v error -y -i {in} {out}"),
        ("w.wav", "WAV", "cp {in} {out}"),
    ];
    kinds
        .iter()
        .map(|(ext, what, command)| {
            let out = format!("{name}-{ext}");
            sh(
                dir,
                &command
                    .replace("{in}", &format!("{name}.wav"))
                    .replace("{out}", &out),
            );
            (dir.join(out), *what)
        })
        .collect()
}

/// ffmpeg's figures for a file: (integrated LUFS, LRA LU, true peak dBTP, sample peak dBFS of the file).
fn ffmpeg_figures(path: &Path) -> (f64, f64, f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(path)
        .args([
            "-af",
            "ebur128=peak=true+sample:metadata=1,ametadata=print:file=-,astats",
            "-f",
            "null",
            "-",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let last = |key: &str| -> Vec<f64> {
        let mut found = Vec::new();
        for line in text.lines() {
            if let Some(v) = line.strip_prefix(key)
                && let Some(v) = v.strip_prefix('=')
            {
                found.push(v.trim().parse::<f64>().unwrap());
            }
        }
        found
    };
    let integrated = *last("lavfi.r128.I").last().expect("ffmpeg printed I");
    let range = *last("lavfi.r128.LRA").last().expect("ffmpeg printed LRA");
    // Per channel, linear, the running maximum: the last value of each channel is its peak.
    let peak_db = |prefix: &str| {
        (0..8)
            .filter_map(|ch| {
                last(&format!("lavfi.r128.{prefix}_peaks_ch{ch}"))
                    .last()
                    .copied()
            })
            .fold(0.0_f64, f64::max)
            .log10()
            * 20.0
    };
    let true_peak = peak_db("true");
    // astats' summary, on stderr: the `Overall` section comes last.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let sample_peak = stderr
        .lines()
        .rev()
        .filter_map(|l| l.split_once("Peak level dB:"))
        .find_map(|(_, v)| v.trim().parse::<f64>().ok())
        .expect("astats printed a peak level");
    (integrated, range, true_peak, sample_peak)
}

/// castkit's figures for files, in order: (integrated, LRA, true peak, sample peak, the whole JSON object).
fn castkit_figures(files: &[&Path]) -> Vec<(f64, f64, f64, f64, serde_json::Value)> {
    let out = castkit()
        .args(["probe", "--loudness", "--json"])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    items
        .into_iter()
        .map(|v| {
            let f = |k: &str| {
                v[k].as_f64()
                    .unwrap_or_else(|| panic!("`{k}` is a number in {v:#}"))
            };
            (
                f("loudness_lufs"),
                f("loudness_range_lu"),
                f("true_peak_dbtp"),
                f("sample_peak_dbfs"),
                v.clone(),
            )
        })
        .collect()
}

/// The tools that make and measure these tests' audio (each skips, or fails under
/// `CASTKIT_REQUIRE_TOOLS`, when one is missing).
fn have_audio_tools() -> bool {
    ["ffmpeg", "sox", "lame", "espeak-ng"]
        .iter()
        .all(|t| have_tool(t))
}

#[test]
fn loudness_agrees_with_ffmpeg_on_speech_and_music_in_every_format() {
    if !have_audio_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    sources(dir.path());
    let mut files = encode(dir.path(), "speech");
    files.extend(encode(dir.path(), "music"));
    let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let ours = castkit_figures(&paths);
    let mut failures = Vec::new();
    for ((path, what), (i, lra, tp, sp, json)) in files.iter().zip(&ours) {
        let (fi, flra, ftp, fsp) = ffmpeg_figures(path);
        let name = path.file_name().unwrap().to_string_lossy();
        for (figure, castkit, ffmpeg) in [
            ("integrated loudness", i, fi),
            ("loudness range", lra, flra),
            ("true peak", tp, ftp),
            ("sample peak", sp, fsp),
        ] {
            if (castkit - ffmpeg).abs() > TOLERANCE {
                failures.push(format!(
                    "{name} ({what}): {figure} castkit {castkit:.3}, ffmpeg {ffmpeg:.3}"
                ));
            }
        }
        assert!(json["loudness_error"].is_null(), "{json:#}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The silence at either end, against sox's `silence` effect cutting the same −60 dBFS threshold.
#[test]
fn leading_and_trailing_silence_are_measured_at_minus_60_dbfs() {
    if !["sox", "lame"].iter().all(|t| have_tool(t)) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 4.5 s of silence, 3 s of chord, 1.25 s of silence; as WAV (exact) and FLAC.
    sh(
        dir.path(),
        "sox -n -r 44100 -c 1 -b 16 tone.wav synth 3 sine 440 gain -10 \
         && sox -n -r 44100 -c 1 -b 16 lead.wav trim 0 4.5 && sox -n -r 44100 -c 1 -b 16 tail.wav trim 0 1.25 \
         && sox lead.wav tone.wav tail.wav padded.wav && sox padded.wav padded.flac",
    );
    let wav = dir.path().join("padded.wav");
    let flac = dir.path().join("padded.flac");
    for (_, _, _, _, json) in castkit_figures(&[&wav, &flac]) {
        let lead = json["leading_silence_seconds"].as_f64().unwrap();
        let tail = json["trailing_silence_seconds"].as_f64().unwrap();
        // The sine starts at a zero crossing: its first sample above −60 dBFS comes within a millisecond.
        assert!((lead - 4.5).abs() < 0.002, "{json:#}");
        assert!((tail - 1.25).abs() < 0.002, "{json:#}");
    }
}

/// An MP3 measured in 4 parts (on every core) gives what one pass gives, and both agree with ffmpeg:
/// the parts start at frame boundaries a few frames early (the bit reservoir) and their blocks merge
/// exactly.
#[test]
fn an_mp3_measured_in_parts_equals_one_pass_and_ffmpeg() {
    if !have_audio_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    sources(dir.path());
    // About 70 s: speech then music, so the parts see different material.
    sh(
        dir.path(),
        "sox speech.wav -c 2 speech2.wav && sox speech2.wav music.wav long.wav && lame --quiet -V 4 long.wav long-vbr.mp3 \
         && lame --quiet -b 32 --resample 16 long.wav long-mpeg2.mp3",
    );
    for name in ["long-vbr.mp3", "long-mpeg2.mp3"] {
        let path = dir.path().join(name);
        let facts = castkit::audio::probe(&path).unwrap();
        let one = castkit::audio::loudness::measure_in_parts(&facts, 1).unwrap();
        let (fi, flra, ftp, _) = ffmpeg_figures(&path);
        for parts in [2, 3, 4] {
            let split = castkit::audio::loudness::measure_in_parts(&facts, parts).unwrap();
            let close = |a: Option<f64>, b: Option<f64>| (a.unwrap() - b.unwrap()).abs() <= 0.01;
            assert!(
                close(split.integrated_lufs, one.integrated_lufs),
                "{name}, {parts} parts: {split:?} vs one pass {one:?}"
            );
            assert!(
                (split.range_lu - one.range_lu).abs() <= 0.01,
                "{name}: {split:?} vs {one:?}"
            );
            assert!(
                close(split.true_peak_dbtp, one.true_peak_dbtp),
                "{name}: {split:?} vs {one:?}"
            );
            assert!(
                close(split.sample_peak_dbfs, one.sample_peak_dbfs),
                "{name}: {split:?} vs {one:?}"
            );
            assert_eq!(split.leading_silence_seconds, one.leading_silence_seconds);
            assert_eq!(split.trailing_silence_seconds, one.trailing_silence_seconds);
        }
        assert!(
            (one.integrated_lufs.unwrap() - fi).abs() <= TOLERANCE,
            "{name}: {one:?}, ffmpeg I {fi}"
        );
        assert!(
            (one.range_lu - flra).abs() <= TOLERANCE,
            "{name}: {one:?}, ffmpeg LRA {flra}"
        );
        assert!(
            (one.true_peak_dbtp.unwrap() - ftp).abs() <= TOLERANCE,
            "{name}: {one:?}, ffmpeg TP {ftp}"
        );
    }
}

/// The example show's speech as three episodes, one of them 8 dB quieter, with `[show] loudness` set.
fn show_with_a_quiet_episode() -> ShowDir {
    let show = ShowDir::new();
    show.audio("e1.mp3").audio("e2.mp3").audio("e3.mp3");
    let quiet = show.path().join("media/e3.mp3");
    let louder = show.path().join("media/loud.mp3");
    sh(
        show.path(),
        &format!(
            "ffmpeg -v error -y -i '{}' -af volume=-8dB -c:a libmp3lame -b:a 64k '{}' && mv '{}' '{}'",
            quiet.display(),
            louder.display(),
            louder.display(),
            quiet.display()
        ),
    );
    let mut catalogue = SHOW.replace(
        "explicit = false\n",
        "explicit = false\nloudness = { target = -19, tolerance = 3, true_peak = -1 }\n",
    );
    for n in 1..=3 {
        catalogue.push_str(&format!(
            "\n[[episode]]\ntitle = \"Episode {n}\"\naudio = \"media/e{n}.mp3\"\npublished = 2024-03-{n:02}T09:00:00Z\nguid = \"guid-{n}\"\n"
        ));
    }
    show.catalogue(&catalogue);
    show
}

#[test]
fn a_warm_build_decodes_no_audio_for_its_loudness_and_reports_the_same() {
    if !have_tool("ffmpeg") {
        return;
    }
    let show = show_with_a_quiet_episode();
    let build = || {
        let out = crate::cache::castkit(&show)
            .args(["build-feed", "--locked", "--now", "2025-01-01T00:00:00Z"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        stderr_of(&out)
    };
    let cold = build();
    assert!(cold.contains("warning[C047]"), "{cold}");
    assert!(cold.contains("episode #3"), "{cold}");
    // The warm build: the kernel sees no audio file opened, and the findings are the same.
    #[cfg(target_os = "linux")]
    let opens = crate::cache::Opens::watch(&show.path().join("media"));
    let warm = build();
    // The same findings; only the last line differs (`wrote` the first time, `unchanged` the second).
    let findings = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("public/feed.xml"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(findings(&warm), findings(&cold));
    // The cover is read for its size on every build; the audio is not.
    #[cfg(target_os = "linux")]
    {
        let audio: Vec<String> = opens
            .take()
            .into_iter()
            .filter(|name| name.ends_with(".mp3"))
            .collect();
        assert_eq!(audio, Vec::<String>::new(), "a warm build opened audio");
    }
}

#[test]
fn validate_with_the_catalogue_reports_the_release_checks() {
    if !have_tool("ffmpeg") {
        return;
    }
    let show = show_with_a_quiet_episode();
    let out = show
        .castkit()
        .args(["build-feed", "--locked", "--now", "2025-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = show
        .castkit()
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
            "--now",
            "2025-01-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("warning[C047]"), "{text}");
    assert!(text.contains("episodes.toml:"), "{text}");
    // Without the show's setting nothing is measured, unless `--loudness` asks.
    let plain = show.read_catalogue().replace(
        "loudness = { target = -19, tolerance = 3, true_peak = -1 }\n",
        "",
    );
    show.catalogue(&plain);
    let quiet = show
        .castkit()
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("[C04"));
    let asked = show
        .castkit()
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
            "--loudness",
        ])
        .output()
        .unwrap();
    let asked = String::from_utf8_lossy(&asked.stdout);
    // The default target, −16 ± 1 LUFS: the quiet episode is off it.
    assert!(
        asked.contains("warning[C045]") && asked.contains("-16 ± 1 LUFS"),
        "{asked}"
    );
}

#[test]
fn a_loudness_setting_out_of_range_is_refused_at_its_line() {
    let show = ShowDir::new();
    show.audio("e1.mp3");
    show.catalogue(&format!(
        "{}loudness = {{ target = 16, tolernce = 1 }}\n\n[[episode]]\ntitle = \"One\"\naudio = \"media/e1.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g\"\n",
        SHOW
    ));
    let out = show
        .castkit()
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr_of(&out)
    );
    assert!(
        text.contains("error[C005]") && text.contains("`target`"),
        "{text}"
    );
    assert!(
        text.contains("error[C002]") && text.contains("did you mean `tolerance`?"),
        "{text}"
    );
}
