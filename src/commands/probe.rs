//! `castkit probe`: exact facts about audio files, as a table or as JSON.

use std::io::{IsTerminal, Write};

use castkit::ExitStatus;
use std::path::Path;

use castkit::audio::loudness::{Loudness, LoudnessError};
use castkit::audio::{AudioFacts, ProbeError, TagSummary, probe_all};
use castkit::error::Chain;
use serde_json::{Value, json};

use super::ui::{Stream, Ui};
use crate::cli::ProbeArgs;

/// Runs the command. Under `--quiet` the table and the warnings are left out, so only the files that
/// could not be read are reported (`--json` is unchanged: it is the output asked for).
pub(crate) fn run(args: &ProbeArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    for path in &args.files {
        ui.detail(
            &mut std::io::stderr().lock(),
            format_args!("reading `{}`", path.display()),
        )?;
    }
    let bar = if std::io::stderr().is_terminal() && args.files.len() > 1 && !ui.quiet() {
        let bar = indicatif::ProgressBar::new(args.files.len() as u64);
        bar.set_style(super::ui::progress_style("files"));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = probe_all(&args.files, &|| bar.inc(1));
    bar.finish_and_clear();
    // With `--loudness`, each probed file is decoded too (files in parallel; an MP3 also in parts).
    let loudness: Vec<Option<Result<Loudness, LoudnessError>>> = if args.loudness {
        use rayon::prelude::*;
        results
            .par_iter()
            .map(|r| r.as_ref().ok().map(castkit::audio::loudness::measure))
            .collect()
    } else {
        results.iter().map(|_| None).collect()
    };

    let status = if results.iter().any(Result::is_err)
        || loudness.iter().any(|l| matches!(l, Some(Err(_))))
    {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let items: Vec<Value> = args
            .files
            .iter()
            .zip(&results)
            .zip(&loudness)
            .map(|((path, r), l)| {
                let mut object = json_object(path, r);
                if args.loudness {
                    add_loudness(&mut object, l.as_ref());
                }
                object
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(status);
    }
    let mut err = std::io::stderr().lock();
    let rows: Vec<Vec<String>> = args
        .files
        .iter()
        .zip(&results)
        .zip(&loudness)
        .filter_map(|((path, r), l)| {
            let f = r.as_ref().ok()?;
            let mut cells = row(&path.display().to_string(), f).to_vec();
            if args.loudness {
                cells.extend(loudness_cells(l.as_ref()));
            }
            Some(cells)
        })
        .collect();
    if !ui.quiet() {
        let mut header: Vec<&str> = HEADER.to_vec();
        if args.loudness {
            header.extend(LOUDNESS_HEADER);
        }
        write_table(&mut out, &header, &rows)?;
    }
    for ((path, r), l) in args.files.iter().zip(&results).zip(&loudness) {
        match r {
            Ok(f) => {
                for w in &f.warnings {
                    ui.say(&mut err, format_args!("warning: {}: {w}", path.display()))?;
                }
            }
            Err(e) => writeln!(err, "{} {}", ui.error_label(Stream::Stderr), Chain(e))?,
        }
        if let Some(Err(e)) = l {
            writeln!(err, "{} {}", ui.error_label(Stream::Stderr), Chain(e))?;
        }
    }
    Ok(status)
}

/// The table's columns.
const COLUMNS: usize = 9;
const HEADER: [&str; COLUMNS] = [
    "file", "format", "duration", "samples", "rate", "ch", "bitrate", "size", "tags",
];
/// The columns `--loudness` adds: integrated loudness, loudness range, true peak, sample peak, and the
/// silence at the start and at the end.
const LOUDNESS_HEADER: [&str; 6] = ["loudness", "LRA", "true peak", "peak", "lead", "tail"];
/// Columns written left-aligned (text); the others are numbers, right-aligned.
const LEFT_ALIGNED: [usize; 3] = [0, 1, 8];
/// The longest title the table shows before cutting it with `…`.
const TITLE_WIDTH: usize = 40;

/// One line per file, columns padded to the widest cell; nothing when no file could be probed.
fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for r in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if LEFT_ALIGNED.contains(&i) {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
            line.push_str("  ");
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn row(path: &str, f: &AudioFacts) -> [String; COLUMNS] {
    let duration = super::clock(f.millis());
    // The container, then the codec when the container's name does not already say it: `ogg/opus`,
    // `m4a/aac`, `mp3 (MPEG-1 L3)`.
    let format = match (&f.mpeg_version, f.mpeg_layer) {
        (Some(v), Some(l)) => format!("{} (MPEG-{v} L{l})", f.format),
        _ if f.format.as_str() == f.codec.as_str() => f.format.to_string(),
        _ => format!("{}/{}", f.format, f.codec),
    };
    let bitrate = match (f.bitrate_kbps, f.bitrate_mode) {
        (Some(b), Some(m)) => format!(
            "{b} kbit/s {}",
            serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        ),
        (Some(b), None) => format!("{b} kbit/s"),
        _ => String::new(),
    };
    [
        path.to_owned(),
        format,
        duration,
        f.samples.to_string(),
        format!("{} Hz", f.sample_rate_hz),
        f.channels.to_string(),
        bitrate,
        f.size_bytes.to_string(),
        tags_cell(&f.tags),
    ]
}

/// The tags in a few words: where they are, the title, and whether there is a cover and chapters, e.g.
/// `ID3v2.3 "What are the goals…" cover, 3 chapters`; `-` when the file has none.
fn tags_cell(t: &TagSummary) -> String {
    let mut parts = Vec::new();
    match (&t.id3_version, &t.native) {
        (Some(v), _) => parts.push(format!("ID3v{v}")),
        (None, Some(native)) => parts.push(native.clone()),
        (None, None) if t.has_id3v1 => parts.push("ID3v1".to_owned()),
        (None, None) => {}
    }
    if t.has_ape {
        parts.push("APEv2".to_owned());
    }
    if let Some(title) = t.title.as_deref().filter(|s| !s.is_empty()) {
        let one_line = title.replace(['\n', '\r', '\t'], " ");
        let shown = if one_line.chars().count() > TITLE_WIDTH {
            let cut: String = one_line.chars().take(TITLE_WIDTH - 1).collect();
            format!("{cut}…")
        } else {
            one_line
        };
        parts.push(format!("\"{shown}\""));
    }
    let mut extras = Vec::new();
    if t.has_cover {
        extras.push("cover".to_owned());
    }
    match t.chapters {
        0 => {}
        1 => extras.push("1 chapter".to_owned()),
        n => extras.push(format!("{n} chapters")),
    }
    if !extras.is_empty() {
        parts.push(extras.join(", "));
    }
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" ")
    }
}

/// One file as the documented JSON object: exactly these keys, `null` where unknown.
///
/// `path` is the file name as text; a name that is not valid UTF-8 cannot be text without loss, so
/// `path_base64` then holds its exact bytes (standard base64), and is `null` otherwise.
fn json_object(file: &Path, result: &Result<AudioFacts, ProbeError>) -> Value {
    let path = file.display().to_string();
    let path_base64 = raw_name_base64(file);
    match result {
        Ok(f) => json!({
            "path": path,
            "path_base64": path_base64,
            "format": f.format.as_str(),
            "codec": f.codec.as_str(),
            "mime": f.mime(),
            "duration_seconds": f.duration_seconds(),
            "frames": f.frames,
            "samples": f.samples,
            "sample_rate": f.sample_rate_hz,
            "channels": f.channels,
            "bitrate_kbps": f.bitrate_kbps,
            "bitrate_mode": f.bitrate_mode,
            "size_bytes": f.size_bytes,
            "audio_start": f.audio_start,
            "audio_end": f.audio_end,
            "encoder_delay": f.encoder_delay,
            "encoder_padding": f.encoder_padding,
            "tags": {
                "id3_version": f.tags.id3_version,
                "native": f.tags.native,
                "title": f.tags.title,
                "artist": f.tags.artist,
                "album": f.tags.album,
                "track": f.tags.track,
                "date": f.tags.date,
                "genre": f.tags.genre,
                "comment": f.tags.comment,
                "has_cover": f.tags.has_cover,
                "chapters": f.tags.chapters,
            },
            "warnings": f.warnings,
            "error": Value::Null,
        }),
        Err(e) => json!({
            "path": path,
            "path_base64": path_base64,
            "format": Value::Null,
            "codec": Value::Null,
            "mime": Value::Null,
            "duration_seconds": Value::Null,
            "frames": Value::Null,
            "samples": Value::Null,
            "sample_rate": Value::Null,
            "channels": Value::Null,
            "bitrate_kbps": Value::Null,
            "bitrate_mode": Value::Null,
            "size_bytes": std::fs::metadata(file).ok().map(|m| m.len()),
            "audio_start": Value::Null,
            "audio_end": Value::Null,
            "encoder_delay": Value::Null,
            "encoder_padding": Value::Null,
            "tags": Value::Null,
            "warnings": Vec::<String>::new(),
            "error": Chain(e).to_string(),
        }),
    }
}

/// The `--loudness` cells of a file: figures rounded to 0.1, `-` for what is not measured (the reason is
/// reported below the table).
fn loudness_cells(l: Option<&Result<Loudness, LoudnessError>>) -> [String; 6] {
    let db = |v: Option<f64>, unit: &str| match v {
        Some(v) => format!("{v:.1} {unit}"),
        None => "-inf".to_owned(),
    };
    match l {
        Some(Ok(l)) => [
            db(l.integrated_lufs, "LUFS"),
            format!("{:.1} LU", l.range_lu),
            db(l.true_peak_dbtp, "dBTP"),
            db(l.sample_peak_dbfs, "dBFS"),
            format!("{:.1} s", l.leading_silence_seconds),
            format!("{:.1} s", l.trailing_silence_seconds),
        ],
        _ => std::array::from_fn(|_| "-".to_owned()),
    }
}

/// Adds the `--loudness` keys to a file's JSON object: the figures (`null` for a silent file's loudness and
/// peaks, and for a file not measured), and `loudness_error` saying why one was not measured.
fn add_loudness(object: &mut Value, l: Option<&Result<Loudness, LoudnessError>>) {
    let Value::Object(map) = object else {
        return;
    };
    let measured = l.and_then(|l| l.as_ref().ok());
    let mut put = |key: &str, value: Value| {
        map.insert(key.to_owned(), value);
    };
    put(
        "loudness_lufs",
        json!(measured.and_then(|l| l.integrated_lufs)),
    );
    put("loudness_range_lu", json!(measured.map(|l| l.range_lu)));
    put(
        "true_peak_dbtp",
        json!(measured.and_then(|l| l.true_peak_dbtp)),
    );
    put(
        "sample_peak_dbfs",
        json!(measured.and_then(|l| l.sample_peak_dbfs)),
    );
    put(
        "leading_silence_seconds",
        json!(measured.map(|l| l.leading_silence_seconds)),
    );
    put(
        "trailing_silence_seconds",
        json!(measured.map(|l| l.trailing_silence_seconds)),
    );
    put(
        "loudness_error",
        json!(
            l.and_then(|l| l.as_ref().err())
                .map(|e| Chain(e).to_string())
        ),
    );
}

/// The exact bytes of a file name that is not valid UTF-8, base64-encoded; `None` for a UTF-8 name (the
/// `path` string is then exact). On Unix a file name is any bytes; elsewhere names are Unicode already.
fn raw_name_base64(file: &Path) -> Option<String> {
    if file.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use base64::Engine as _;
        use std::os::unix::ffi::OsStrExt;
        Some(base64::engine::general_purpose::STANDARD.encode(file.as_os_str().as_bytes()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}
