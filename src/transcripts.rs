//! Transcripts listed per episode: their format (from content, checked against the extension), MIME type for
//! `podcast:transcript`, whether they are timed (so `rel="captions"`), the time of their last cue (which
//! must fall within the audio), and SRT → WebVTT conversion.
//!
//! Formats and types are those of the Podcasting 2.0 transcript tag
//! (<https://podcastindex.org/namespace/1.0#transcript>): WebVTT `text/vtt` (what Apple Podcasts ingests),
//! SRT `application/x-subrip`, JSON `application/json`, HTML `text/html`, plain text `text/plain`.

use crate::chapters::{BadTime, format_vtt, parse_time};

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

/// Why a transcript is not the format its extension names. Lines and segments count from 1.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    /// A WebVTT file that does not start with its signature.
    #[error("line 1: a WebVTT file must start with `WEBVTT`")]
    NoWebVttHeader,
    /// A cue timing line whose start or end is not a time.
    #[error("line {line}")]
    BadTime {
        /// The timing line.
        line: usize,
        /// The time that could not be read.
        source: BadTime,
    },
    /// A cue that ends before it starts.
    #[error("line {line}: the cue ends before it starts")]
    EndsBeforeStart {
        /// The timing line.
        line: usize,
    },
    /// An SRT or WebVTT file without a single timing line.
    #[error("it has no cues (no `00:00:01.000 --> 00:00:04.000` lines)")]
    NoCues,
    /// A JSON transcript that is not JSON, or not of the Podcasting 2.0 shape.
    #[error("line {line}")]
    Json {
        /// The line serde_json stopped at.
        line: usize,
        /// What serde_json found there.
        source: serde_json::Error,
    },
    /// A JSON segment whose times are negative, not numbers, or end before they start.
    #[error("segment {segment}: its times are negative or out of order")]
    BadSegment {
        /// The segment.
        segment: usize,
    },
}

/// Reads a transcript whose extension names `format`, checking that the content really is that format.
///
/// # Errors
/// A [`TranscriptError`] naming the line (or JSON segment) of the first problem.
pub fn inspect(text: &str, format: TranscriptFormat) -> Result<TranscriptFacts, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        TranscriptFormat::Vtt => {
            let first = text.lines().next().unwrap_or("");
            if !first.starts_with("WEBVTT") {
                return Err(TranscriptError::NoWebVttHeader);
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

/// The start and end of a cue timing line, `start --> end [settings]`, in milliseconds; `None` when `line` is
/// not a timing line.
fn cue_times(line: &str, number: usize) -> Option<Result<(u64, u64), TranscriptError>> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next().unwrap_or("");
    let time = |t| {
        parse_time(t).map_err(|source| TranscriptError::BadTime {
            line: number,
            source,
        })
    };
    Some(time(start).and_then(|start_ms| Ok((start_ms, time(end)?))))
}

/// Cue timing lines, `start --> end [settings]`, in SRT (`00:00:01,000`) or WebVTT (`00:01.000`) form.
fn timed_cues(text: &str, format: TranscriptFormat) -> Result<TranscriptFacts, TranscriptError> {
    let mut cues = 0;
    let mut last_end = 0;
    for (i, line) in text.lines().enumerate() {
        let Some(times) = cue_times(line, i + 1) else {
            continue;
        };
        let (start_ms, end_ms) = times?;
        if end_ms < start_ms {
            return Err(TranscriptError::EndsBeforeStart { line: i + 1 });
        }
        cues += 1;
        last_end = last_end.max(end_ms);
    }
    if cues == 0 {
        return Err(TranscriptError::NoCues);
    }
    Ok(TranscriptFacts {
        format,
        cues,
        last_end_ms: Some(last_end),
    })
}

/// A Podcasting 2.0 JSON transcript: `{"version": "1.0.0", "segments": [{"startTime", "endTime", …}]}`.
#[derive(serde::Deserialize)]
struct JsonTranscript {
    segments: Vec<JsonSegment>,
}

/// One segment of a [`JsonTranscript`].
#[derive(serde::Deserialize)]
struct JsonSegment {
    #[serde(rename = "startTime")]
    start_time: f64,
    #[serde(rename = "endTime")]
    end_time: f64,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    body: String,
}

impl JsonTranscript {
    fn read(text: &str) -> Result<JsonTranscript, TranscriptError> {
        serde_json::from_str(text).map_err(|source| TranscriptError::Json {
            line: source.line(),
            source,
        })
    }
}

/// The timing of a JSON transcript's segments.
fn json_cues(text: &str) -> Result<TranscriptFacts, TranscriptError> {
    let doc = JsonTranscript::read(text)?;
    let mut last_end = 0;
    for (i, s) in doc.segments.iter().enumerate() {
        if !(s.start_time.is_finite() && s.end_time.is_finite())
            || s.start_time < 0.0
            || s.end_time < s.start_time
        {
            return Err(TranscriptError::BadSegment { segment: i + 1 });
        }
        last_end = last_end.max((s.end_time * 1000.0).round() as u64);
    }
    Ok(TranscriptFacts {
        format: TranscriptFormat::Json,
        cues: doc.segments.len(),
        last_end_ms: (!doc.segments.is_empty()).then_some(last_end),
    })
}

/// One cue of a timed transcript, as a web page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// When it starts, in milliseconds.
    pub start_ms: u64,
    /// Who speaks: a WebVTT `<v Name>` voice, or a JSON segment's `speaker`.
    pub speaker: Option<String>,
    /// Its text, without markup, lines joined by spaces.
    pub text: String,
}

/// The cues of a timed transcript (WebVTT, SRT, JSON), in file order; an HTML or plain-text transcript has
/// none.
///
/// # Errors
/// A [`TranscriptError`] naming the line (or JSON segment) of the first problem, as [`inspect`].
pub fn cues(text: &str, format: TranscriptFormat) -> Result<Vec<Cue>, TranscriptError> {
    // The same checks as the catalogue's, so a transcript is either read whole or refused.
    inspect(text, format)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        TranscriptFormat::Vtt | TranscriptFormat::Srt => Ok(timed_cue_texts(text)),
        TranscriptFormat::Json => json_cue_texts(text),
        TranscriptFormat::Html | TranscriptFormat::Text => Ok(Vec::new()),
    }
}

/// The cues of a WebVTT or SRT text: each timing line, and the text lines up to the next blank line.
fn timed_cue_texts(text: &str) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut start: Option<u64> = None;
    let finish = |start: &mut Option<u64>, lines: &mut Vec<&str>, cues: &mut Vec<Cue>| {
        if let Some(start_ms) = start.take() {
            let (speaker, text) = cue_text(&lines.join("\n"));
            cues.push(Cue {
                start_ms,
                speaker,
                text,
            });
        }
        lines.clear();
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some(Ok((start_ms, _))) = cue_times(line, i + 1) {
            finish(&mut start, &mut lines, &mut cues);
            start = Some(start_ms);
        } else if line.trim().is_empty() {
            finish(&mut start, &mut lines, &mut cues);
        } else if start.is_some() {
            lines.push(line);
        }
    }
    finish(&mut start, &mut lines, &mut cues);
    cues
}

/// A cue's payload as plain text: tags (`<v Name>`, `<i>`, `<00:01.000>`) removed, the first voice's name
/// kept as the speaker, the five character references WebVTT and SRT files use decoded, whitespace folded.
fn cue_text(payload: &str) -> (Option<String>, String) {
    let mut speaker = None;
    let mut text = String::with_capacity(payload.len());
    let mut rest = payload;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if let Some(name) = tag.strip_prefix('v').filter(|t| t.starts_with([' ', '.'])) {
            // `<v Name>` or `<v.class Name>`.
            let name = name.split_once(' ').map_or("", |(_, n)| n).trim();
            if speaker.is_none() && !name.is_empty() {
                speaker = Some(decode_references(name));
            }
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = decode_references(&text);
    (
        speaker,
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}

fn decode_references(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The segments of a Podcasting 2.0 JSON transcript.
fn json_cue_texts(text: &str) -> Result<Vec<Cue>, TranscriptError> {
    let doc = JsonTranscript::read(text)?;
    Ok(doc
        .segments
        .into_iter()
        .map(|s| Cue {
            start_ms: (s.start_time * 1000.0).round() as u64,
            speaker: s.speaker.filter(|n| !n.trim().is_empty()),
            text: s.body.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect())
}

/// Converts SRT to WebVTT: a `WEBVTT` header, cue numbers kept as identifiers, `,` → `.` in timings.
///
/// # Errors
/// As [`inspect`] reading SRT: a timing that cannot be read, a cue that ends before it starts, or no cue at
/// all. Any of them would make a WebVTT file that castkit (and Apple) refuse, so nothing is converted.
pub fn srt_to_vtt(srt: &str) -> Result<String, TranscriptError> {
    let srt = srt.strip_prefix('\u{feff}').unwrap_or(srt);
    timed_cues(srt, TranscriptFormat::Srt)?;
    let mut out = String::with_capacity(srt.len() + 16);
    out.push_str("WEBVTT\n\n");
    let mut blank_run = true;
    for (i, raw) in srt.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some(times) = cue_times(line, i + 1) {
            let (start_ms, end_ms) = times?;
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
        let message =
            |text, format| crate::error::Chain(&inspect(text, format).unwrap_err()).to_string();
        assert!(
            message(
                "1\n00:00:00,000 --> 00:00:01,000\nx\n",
                TranscriptFormat::Vtt
            )
            .contains("WEBVTT")
        );
        assert!(message("just words", TranscriptFormat::Srt).contains("no cues"));
        assert!(
            message(
                "WEBVTT\n\n00:05.000 --> 00:01.000\nx",
                TranscriptFormat::Vtt
            )
            .starts_with("line 3: the cue ends before it starts")
        );
        assert_eq!(
            message("WEBVTT\n\n00:05.000 --> 1:2\nx", TranscriptFormat::Vtt),
            "line 3: `1:2` is not a time; write `mm:ss`, `hh:mm:ss` or `hh:mm:ss.mmm`"
        );
        assert!(message("{", TranscriptFormat::Json).starts_with("line 1: "));
        assert!(matches!(
            srt_to_vtt("1\n00:00:00,000 --> 00:00:0x,000\n"),
            Err(TranscriptError::BadTime { line: 2, .. })
        ));
    }

    /// Found by the `transcripts` fuzz target (tests/fuzz/transcripts/): an SRT that castkit's own reader
    /// refuses was converted anyway, into a WebVTT file that the reader (and Apple) then refuse.
    #[test]
    fn an_srt_the_reader_refuses_is_not_converted() {
        assert!(matches!(srt_to_vtt(""), Err(TranscriptError::NoCues)));
        assert!(matches!(
            srt_to_vtt("WEBVTT\n\nno timing line here\n"),
            Err(TranscriptError::NoCues)
        ));
        assert!(matches!(
            srt_to_vtt("1\n15:00:00,000 --> 00:00:05,000\nx\n"),
            Err(TranscriptError::EndsBeforeStart { line: 2 })
        ));
    }

    #[test]
    fn cues_carry_their_start_speaker_and_plain_text() {
        let vtt = "WEBVTT\n\nNOTE a comment\n\nintro\n00:00.500 --> 00:02.000\n<v.loud Shen Ting>Rural &amp; <i>urban</i>\nareas.\n\n00:02.000 --> 00:03.250 align:start\nNext.\n";
        let cues = cues(vtt, TranscriptFormat::Vtt).unwrap();
        assert_eq!(
            cues,
            [
                Cue {
                    start_ms: 500,
                    speaker: Some("Shen Ting".to_owned()),
                    text: "Rural & urban areas.".to_owned()
                },
                Cue {
                    start_ms: 2_000,
                    speaker: None,
                    text: "Next.".to_owned()
                }
            ]
        );
        let srt = super::cues(SRT, TranscriptFormat::Srt).unwrap();
        assert_eq!(srt.len(), 2);
        assert_eq!(
            (srt[1].start_ms, srt[1].text.as_str()),
            (2_500, "Second line wraps.")
        );
        let json = r#"{"version":"1.0.0","segments":[{"speaker":"A","startTime":0.5,"endTime":1.25,"body":"Hi"}]}"#;
        let segments = super::cues(json, TranscriptFormat::Json).unwrap();
        assert_eq!(segments[0].speaker.as_deref(), Some("A"));
        assert_eq!(segments[0].start_ms, 500);
        assert!(super::cues("1\n00:00:0x,000 --> 1\n", TranscriptFormat::Srt).is_err());
    }

    #[test]
    fn json_transcripts_give_their_last_segment_end() {
        let json = r#"{"version":"1.0.0","segments":[{"speaker":"A","startTime":0.5,"endTime":1.25,"body":"Hi"},{"startTime":1.25,"endTime":9.75,"body":"there"}]}"#;
        let facts = inspect(json, TranscriptFormat::Json).unwrap();
        assert_eq!((facts.cues, facts.last_end_ms), (2, Some(9_750)));
    }
}
