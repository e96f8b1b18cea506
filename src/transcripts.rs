//! Transcripts listed per episode: their format (from content, checked against the extension), MIME type for
//! `podcast:transcript`, whether they are timed (so `rel="captions"`), the time of their last cue (which
//! must fall within the audio), and SRT → WebVTT conversion.
//!
//! Formats and types are those of the Podcasting 2.0 transcript tag
//! (<https://podcastindex.org/namespace/1.0#transcript>): WebVTT `text/vtt` (what Apple Podcasts ingests),
//! SRT `application/x-subrip`, JSON `application/json`, HTML `text/html`, plain text `text/plain`.

use crate::chapters::{format_vtt, parse_time};

/// A transcript format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    /// WebVTT.
    Vtt,
    /// SubRip.
    Srt,
    /// Podcasting 2.0 JSON transcript.
    Json,
    /// HTML.
    Html,
    /// Plain text.
    Text,
}

impl TranscriptFormat {
    /// The MIME type for `podcast:transcript type`.
    pub fn mime(self) -> &'static str {
        match self {
            TranscriptFormat::Vtt => "text/vtt",
            TranscriptFormat::Srt => "application/x-subrip",
            TranscriptFormat::Json => "application/json",
            TranscriptFormat::Html => "text/html",
            TranscriptFormat::Text => "text/plain",
        }
    }

    /// The format a file extension names.
    pub fn from_extension(ext: &str) -> Option<TranscriptFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "vtt" => Some(TranscriptFormat::Vtt),
            "srt" => Some(TranscriptFormat::Srt),
            "json" => Some(TranscriptFormat::Json),
            "html" | "htm" => Some(TranscriptFormat::Html),
            "txt" => Some(TranscriptFormat::Text),
            _ => None,
        }
    }
}

/// What a transcript file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFacts {
    /// Its format.
    pub format: TranscriptFormat,
    /// Number of timed cues (0 for untimed formats).
    pub cues: usize,
    /// The latest cue end, in milliseconds, for timed formats.
    pub last_end_ms: Option<u64>,
}

impl TranscriptFacts {
    /// Whether the transcript carries timings (then it is published with `rel="captions"`).
    pub fn is_timed(&self) -> bool {
        self.cues > 0
    }
}

/// Reads a transcript whose extension names `format`, checking that the content really is that format.
///
/// # Errors
/// A message naming the 1-based line of the first problem.
pub fn inspect(text: &str, format: TranscriptFormat) -> Result<TranscriptFacts, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        TranscriptFormat::Vtt => {
            let first = text.lines().next().unwrap_or("");
            if !first.starts_with("WEBVTT") {
                return Err("line 1: a WebVTT file must start with `WEBVTT`".to_owned());
            }
            timed_cues(text, format)
        }
        TranscriptFormat::Srt => timed_cues(text, format),
        TranscriptFormat::Json => json_cues(text),
        TranscriptFormat::Html | TranscriptFormat::Text => Ok(TranscriptFacts {
            format,
            cues: 0,
            last_end_ms: None,
        }),
    }
}

/// Cue timing lines, `start --> end [settings]`, in SRT (`00:00:01,000`) or WebVTT (`00:01.000`) form.
fn timed_cues(text: &str, format: TranscriptFormat) -> Result<TranscriptFacts, String> {
    let mut cues = 0;
    let mut last_end = 0;
    for (i, line) in text.lines().enumerate() {
        let Some((start, rest)) = line.split_once("-->") else {
            continue;
        };
        let end = rest.split_whitespace().next().unwrap_or("");
        let start_ms = parse_time(start).map_err(|e| format!("line {}: {e}", i + 1))?;
        let end_ms = parse_time(end).map_err(|e| format!("line {}: {e}", i + 1))?;
        if end_ms < start_ms {
            return Err(format!("line {}: the cue ends before it starts", i + 1));
        }
        cues += 1;
        last_end = last_end.max(end_ms);
    }
    if cues == 0 {
        return Err("it has no cues (no `00:00:01.000 --> 00:00:04.000` lines)".to_owned());
    }
    Ok(TranscriptFacts {
        format,
        cues,
        last_end_ms: Some(last_end),
    })
}

/// The Podcasting 2.0 JSON transcript: `{"version": "1.0.0", "segments": [{"startTime", "endTime", …}]}`.
fn json_cues(text: &str) -> Result<TranscriptFacts, String> {
    #[derive(serde::Deserialize)]
    struct Doc {
        segments: Vec<Segment>,
    }
    #[derive(serde::Deserialize)]
    struct Segment {
        #[serde(rename = "startTime")]
        start_time: f64,
        #[serde(rename = "endTime")]
        end_time: f64,
    }
    let doc: Doc = serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let mut last_end = 0;
    for (i, s) in doc.segments.iter().enumerate() {
        if !(s.start_time.is_finite() && s.end_time.is_finite())
            || s.start_time < 0.0
            || s.end_time < s.start_time
        {
            return Err(format!(
                "segment {}: its times are negative or out of order",
                i + 1
            ));
        }
        last_end = last_end.max((s.end_time * 1000.0).round() as u64);
    }
    Ok(TranscriptFacts {
        format: TranscriptFormat::Json,
        cues: doc.segments.len(),
        last_end_ms: (!doc.segments.is_empty()).then_some(last_end),
    })
}

/// Converts SRT to WebVTT: a `WEBVTT` header, cue numbers kept as identifiers, `,` → `.` in timings.
///
/// # Errors
/// A message naming the line whose timing cannot be read.
pub fn srt_to_vtt(srt: &str) -> Result<String, String> {
    let srt = srt.strip_prefix('\u{feff}').unwrap_or(srt);
    let mut out = String::with_capacity(srt.len() + 16);
    out.push_str("WEBVTT\n\n");
    let mut blank_run = true;
    for (i, raw) in srt.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some((start, rest)) = line.split_once("-->") {
            let end = rest.split_whitespace().next().unwrap_or("");
            let start_ms = parse_time(start).map_err(|e| format!("line {}: {e}", i + 1))?;
            let end_ms = parse_time(end).map_err(|e| format!("line {}: {e}", i + 1))?;
            out.push_str(&format!(
                "{} --> {}\n",
                format_vtt(start_ms),
                format_vtt(end_ms)
            ));
            blank_run = false;
            continue;
        }
        if line.trim().is_empty() {
            if !blank_run {
                out.push('\n');
            }
            blank_run = true;
            continue;
        }
        blank_run = false;
        out.push_str(line);
        out.push('\n');
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    // One trailing newline is enough.
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRT: &str = "1\r\n00:00:00,000 --> 00:00:02,500\r\nHello, <i>world</i>.\r\n\r\n2\r\n00:00:02,500 --> 00:01:03,004\r\nSecond line\r\nwraps.\r\n";

    #[test]
    fn srt_cues_are_timed_and_end_at_the_last_cue() {
        let facts = inspect(SRT, TranscriptFormat::Srt).unwrap();
        assert_eq!(facts.cues, 2);
        assert_eq!(facts.last_end_ms, Some(63_004));
        assert!(facts.is_timed());
    }

    #[test]
    fn srt_converts_to_vtt_that_reads_back_the_same() {
        let vtt = srt_to_vtt(SRT).unwrap();
        assert_eq!(
            vtt,
            "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nHello, <i>world</i>.\n\n2\n00:00:02.500 --> 00:01:03.004\nSecond line\nwraps.\n"
        );
        let facts = inspect(&vtt, TranscriptFormat::Vtt).unwrap();
        assert_eq!((facts.cues, facts.last_end_ms), (2, Some(63_004)));
    }

    #[test]
    fn a_file_that_is_not_what_its_extension_says_is_refused() {
        assert!(
            inspect(
                "1\n00:00:00,000 --> 00:00:01,000\nx\n",
                TranscriptFormat::Vtt
            )
            .unwrap_err()
            .contains("WEBVTT")
        );
        assert!(
            inspect("just words", TranscriptFormat::Srt)
                .unwrap_err()
                .contains("no cues")
        );
        assert!(
            inspect(
                "WEBVTT\n\n00:05.000 --> 00:01.000\nx",
                TranscriptFormat::Vtt
            )
            .unwrap_err()
            .starts_with("line 3")
        );
        assert!(
            inspect("{", TranscriptFormat::Json)
                .unwrap_err()
                .starts_with("line 1")
        );
    }

    #[test]
    fn json_transcripts_give_their_last_segment_end() {
        let json = r#"{"version":"1.0.0","segments":[{"speaker":"A","startTime":0.5,"endTime":1.25,"body":"Hi"},{"startTime":1.25,"endTime":9.75,"body":"there"}]}"#;
        let facts = inspect(json, TranscriptFormat::Json).unwrap();
        assert_eq!((facts.cues, facts.last_end_ms), (2, Some(9_750)));
    }
}
