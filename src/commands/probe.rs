//! `castkit probe`: exact facts about audio files, as a table or as JSON.

use std::io::{IsTerminal, Write};

use castkit::ExitStatus;
use castkit::audio::{AudioFacts, ProbeError, probe_all};
use castkit::error::Chain;
use serde_json::{Value, json};

use crate::cli::ProbeArgs;

/// Runs the command.
pub(crate) fn run(args: &ProbeArgs) -> anyhow::Result<ExitStatus> {
    let bar = if std::io::stderr().is_terminal() && args.files.len() > 1 {
        let bar = indicatif::ProgressBar::new(args.files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = probe_all(&args.files, &|| bar.inc(1));
    bar.finish_and_clear();

    let status = if results.iter().any(Result::is_err) {
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
            .map(|(path, r)| json_object(&path.display().to_string(), r))
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(status);
    }
    let mut err = std::io::stderr().lock();
    let rows: Vec<[String; 7]> = args
        .files
        .iter()
        .zip(&results)
        .filter_map(|(path, r)| r.as_ref().ok().map(|f| row(&path.display().to_string(), f)))
        .collect();
    let header = [
        "file", "format", "duration", "rate", "ch", "bitrate", "size",
    ]
    .map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    if !rows.is_empty() {
        for r in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
                let pad = w - cell.chars().count();
                // Text left-aligned, numbers right-aligned.
                if i == 0 || i == 1 {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
                line.push_str("  ");
            }
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for (path, r) in args.files.iter().zip(&results) {
        match r {
            Ok(f) => {
                for w in &f.warnings {
                    writeln!(err, "warning: {}: {w}", path.display())?;
                }
            }
            Err(e) => writeln!(err, "error: {}", Chain(e))?,
        }
    }
    Ok(status)
}

fn row(path: &str, f: &AudioFacts) -> [String; 7] {
    let ms = f.millis();
    let duration = format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    );
    let format = match (&f.mpeg_version, f.mpeg_layer) {
        (Some(v), Some(l)) => format!("{} (MPEG-{v} L{l})", f.format),
        _ => f.format.to_string(),
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
        format!("{} Hz", f.sample_rate_hz),
        f.channels.to_string(),
        bitrate,
        f.size_bytes.to_string(),
    ]
}

/// One file as the documented JSON object: exactly these keys, `null` where unknown.
fn json_object(path: &str, result: &Result<AudioFacts, ProbeError>) -> Value {
    match result {
        Ok(f) => json!({
            "path": path,
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
            "size_bytes": std::fs::metadata(path).ok().map(|m| m.len()),
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
