//! Chapters: one source (the catalogue, a Podcasting 2.0 JSON file, a `00:00 Title` list, or the MP3's own
//! ID3 CHAP frames), every format apps read (JSON chapters next to the feed, Podlove Simple Chapters in the
//! item, ID3 CHAP/CTOC in the file).
//!
//! Times are kept in whole milliseconds: ID3 CHAP frames store milliseconds, and JSON chapters and Podlove
//! times are written from them, so all three outputs agree exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Start, in milliseconds from the beginning of the audio.
    pub start_ms: u64,
    /// The chapter's title (never empty).
    pub title: String,
    /// A web page about the chapter.
    pub url: Option<String>,
    /// A picture for the chapter: its public URL, and the local file when there is one (for ID3 APIC).
    pub image: Option<ChapterImage>,
    /// Hidden from the table of contents (a "silent" chapter: `toc: false` in JSON, left out of CTOC).
    pub hidden: bool,
}

/// A chapter's picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterImage {
    /// Public URL.
    pub url: String,
    /// Local file, if the picture is in the media folder.
    pub path: Option<std::path::PathBuf>,
}

/// A time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time; write `mm:ss`, `hh:mm:ss` or `hh:mm:ss.mmm`")]
pub struct BadTime(pub String);

/// Parses `ss`, `mm:ss`, `hh:mm:ss`, each optionally with `.mmm` (or `,mmm`, as SRT writes it), into
/// milliseconds. Minutes and seconds after the first field must be below 60.
///
/// # Errors
/// [`BadTime`] when the text is not such a time.
pub fn parse_time(text: &str) -> Result<u64, BadTime> {
    let bad = || BadTime(text.to_owned());
    let t = text.trim();
    let (whole, fraction) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let fields: Vec<&str> = whole.split(':').collect();
    if fields.is_empty() || fields.len() > 3 || fields.iter().any(|f| f.is_empty()) {
        return Err(bad());
    }
    let mut total: u64 = 0;
    for (i, field) in fields.iter().enumerate() {
        if !field.bytes().all(|b| b.is_ascii_digit()) || field.len() > 9 {
            return Err(bad());
        }
        let value: u64 = field.parse().map_err(|_| bad())?;
        if i > 0 && (value >= 60 || field.len() != 2) {
            return Err(bad());
        }
        total = total * 60 + value;
    }
    let mut ms = total.checked_mul(1000).ok_or_else(bad)?;
    if let Some(f) = fraction {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // Round to the nearest millisecond.
        let padded = format!("{f:0<4}");
        let digits: u64 = padded[..4].parse().map_err(|_| bad())?;
        ms += (digits + 5) / 10;
    }
    Ok(ms)
}

/// Formats milliseconds as `hh:mm:ss.mmm` (Podlove Simple Chapters' Normal Play Time).
pub fn format_npt(ms: u64) -> String {
    let (h, m, s, f) = split(ms);
    format!("{h:02}:{m:02}:{s:02}.{f:03}")
}

/// Formats milliseconds as the shortest exact decimal seconds: `90000` → `90`, `12500` → `12.5`, `125` →
/// `0.125` (Podcasting 2.0 soundbite and value-split times, the website's seek positions).
pub fn format_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{}.{:03}", ms / 1000, ms % 1000)
            .trim_end_matches('0')
            .to_owned()
    }
}

/// Formats milliseconds as a WebVTT timestamp, `hh:mm:ss.mmm`.
pub fn format_vtt(ms: u64) -> String {
    format_npt(ms)
}

/// Formats milliseconds as `h:mm:ss` or `m:ss` (for show-notes lists and messages).
pub fn format_short(ms: u64) -> String {
    let (h, m, s, _) = split(ms);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn split(ms: u64) -> (u64, u64, u64, u64) {
    (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Something wrong with a list of chapters, as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChapterProblem {
    /// The first chapter does not start at 0.
    FirstNotAtZero {
        /// Where it starts.
        start_ms: u64,
    },
    /// A chapter does not start after the one before it.
    NotIncreasing {
        /// Index of the offending chapter.
        index: usize,
        /// Its start.
        start_ms: u64,
        /// The previous chapter's start.
        previous_ms: u64,
    },
    /// A chapter has an empty title.
    EmptyTitle {
        /// Index of the offending chapter.
        index: usize,
    },
    /// A chapter starts at or after the end of the audio.
    PastEnd {
        /// Index of the offending chapter.
        index: usize,
        /// Its start.
        start_ms: u64,
        /// The audio's exact duration.
        duration_ms: u64,
    },
}

impl fmt::Display for ChapterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChapterProblem::FirstNotAtZero { start_ms } => write!(
                f,
                "the first chapter starts at {}, not at 0:00",
                format_npt(*start_ms)
            ),
            ChapterProblem::NotIncreasing {
                index,
                start_ms,
                previous_ms,
            } => write!(
                f,
                "chapter {} starts at {}, not after the chapter before it ({})",
                index + 1,
                format_npt(*start_ms),
                format_npt(*previous_ms)
            ),
            ChapterProblem::EmptyTitle { index } => {
                write!(f, "chapter {} has an empty title", index + 1)
            }
            ChapterProblem::PastEnd {
                index,
                start_ms,
                duration_ms,
            } => write!(
                f,
                "chapter {} starts at {}, but the audio ends at {}",
                index + 1,
                format_npt(*start_ms),
                format_npt(*duration_ms)
            ),
        }
    }
}

/// Checks the rules every chapter list must meet: first at 0, strictly increasing, titled, and (when the
/// duration is known) every start before the end of the audio.
pub fn check(chapters: &[Chapter], duration_ms: Option<u64>) -> Vec<ChapterProblem> {
    let mut problems = Vec::new();
    if let Some(first) = chapters.first()
        && first.start_ms != 0
    {
        problems.push(ChapterProblem::FirstNotAtZero {
            start_ms: first.start_ms,
        });
    }
    for (index, chapter) in chapters.iter().enumerate() {
        if chapter.title.trim().is_empty() {
            problems.push(ChapterProblem::EmptyTitle { index });
        }
        if index > 0 && chapter.start_ms <= chapters[index - 1].start_ms {
            problems.push(ChapterProblem::NotIncreasing {
                index,
                start_ms: chapter.start_ms,
                previous_ms: chapters[index - 1].start_ms,
            });
        }
        if let Some(duration_ms) = duration_ms
            && chapter.start_ms >= duration_ms
        {
            problems.push(ChapterProblem::PastEnd {
                index,
                start_ms: chapter.start_ms,
                duration_ms,
            });
        }
    }
    problems
}

/// The end of each chapter: the next chapter's start, and the exact duration for the last one.
pub fn end_times(chapters: &[Chapter], duration_ms: u64) -> Vec<u64> {
    chapters
        .iter()
        .enumerate()
        .map(|(i, _)| {
            chapters
                .get(i + 1)
                .map_or(duration_ms, |next| next.start_ms)
        })
        .collect()
}

/// The Podcasting 2.0 JSON chapters document (`application/json+chapters`, version 1.2.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonChapters {
    /// Format version; castkit writes `1.2.0`.
    pub version: String,
    /// The episode's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The show's title.
    #[serde(
        default,
        rename = "podcastName",
        skip_serializing_if = "Option::is_none"
    )]
    pub podcast_name: Option<String>,
    /// The chapters, in order.
    pub chapters: Vec<JsonChapter>,
}

/// One chapter in the JSON chapters format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonChapter {
    /// Start in seconds (a float).
    #[serde(rename = "startTime")]
    pub start_time: f64,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Picture URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub img: Option<String>,
    /// Web page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `false` hides the chapter from the table of contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toc: Option<bool>,
    /// End in seconds.
    #[serde(default, rename = "endTime", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
}

/// Seconds as JSON numbers: exact for whole milliseconds (`12.345`), integers without a fraction.
fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// Builds the JSON chapters document for an episode. `duration_ms` is the audio's length, the last chapter's end; `None` (audio hosted elsewhere, of unknown
/// length) leaves the last chapter without an end time, which the format allows.
pub fn to_json(
    chapters: &[Chapter],
    duration_ms: Option<u64>,
    episode_title: &str,
    show_title: &str,
) -> JsonChapters {
    let last = chapters.len().saturating_sub(1);
    let ends = end_times(chapters, duration_ms.unwrap_or(0))
        .into_iter()
        .enumerate()
        .map(|(i, end)| (i < last || duration_ms.is_some()).then_some(end));
    JsonChapters {
        version: "1.2.0".to_owned(),
        title: Some(episode_title.to_owned()),
        podcast_name: Some(show_title.to_owned()),
        chapters: chapters
            .iter()
            .zip(ends)
            .map(|(c, end)| JsonChapter {
                start_time: seconds(c.start_ms),
                title: Some(c.title.clone()),
                img: c.image.as_ref().map(|i| i.url.clone()),
                url: c.url.clone(),
                toc: c.hidden.then_some(false),
                end_time: end.map(seconds),
            })
            .collect(),
    }
}

/// The JSON text of a chapters document: pretty-printed, fields in a fixed order, ending with a newline.
pub fn json_text(doc: &JsonChapters) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Why a Podcasting 2.0 JSON chapters document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JsonChaptersError {
    /// The text is not such a document: not JSON, or a field missing or of the wrong type. serde_json's
    /// message says what, at which line and column.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A chapter's `startTime` is negative or not a finite number.
    #[error("chapter {chapter} has a negative or invalid `startTime`")]
    BadStart {
        /// The chapter, counted from 1.
        chapter: usize,
    },
}

/// Reads chapters from a Podcasting 2.0 JSON chapters document.
///
/// # Errors
/// [`JsonChaptersError`] when the text is not such a document, or a start time is negative or not finite.
pub fn from_json(text: &str) -> Result<Vec<Chapter>, JsonChaptersError> {
    let doc: JsonChapters = serde_json::from_str(text)?;
    doc.chapters
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            if !c.start_time.is_finite() || c.start_time < 0.0 {
                return Err(JsonChaptersError::BadStart { chapter: i + 1 });
            }
            Ok(Chapter {
                start_ms: (c.start_time * 1000.0).round() as u64,
                title: c.title.unwrap_or_default(),
                url: c.url,
                image: c.img.map(|url| ChapterImage { url, path: None }),
                hidden: c.toc == Some(false),
            })
        })
        .collect()
}

/// A line of a `00:00 Title` list that is not a chapter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a chapter line")]
pub struct NotAChapterLine {
    /// The line's text, trimmed.
    pub text: String,
    /// Where that text is in the list, in bytes (for pointing at it).
    pub range: std::ops::Range<usize>,
}

/// One line of a `00:00 Title` list: its 1-based line number and the parsed chapter, or why it is not one.
pub type ListLine = (usize, Result<Chapter, NotAChapterLine>);

/// Reads a `00:00 Title` list as producers paste into show notes: one chapter per line, the time first
/// (optionally in brackets or followed by ` - `), then the title. Blank lines are skipped; every other line
/// must be a chapter.
pub fn from_text_list(text: &str) -> Vec<ListLine> {
    let mut offset = 0;
    let mut lines = Vec::new();
    // `split_inclusive` rather than `lines`, to keep each line's byte offset (a `\r\n` ending included).
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let parsed = parse_list_line(line).ok_or_else(|| {
            let lead = line.len() - line.trim_start().len();
            NotAChapterLine {
                text: trimmed.to_owned(),
                range: start + lead..start + lead + trimmed.len(),
            }
        });
        lines.push((i + 1, parsed));
    }
    lines
}

/// Parses one `00:00 Title` line (also `(00:00) Title`, `[00:00] Title`, `00:00 - Title`, `- 00:00 Title`).
fn parse_list_line(line: &str) -> Option<Chapter> {
    let mut rest = line.trim();
    rest = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix("* "))
        .unwrap_or(rest)
        .trim_start();
    let (time, title) =
        if let Some(inner) = rest.strip_prefix('(').or_else(|| rest.strip_prefix('[')) {
            let end = inner.find([')', ']'])?;
            (&inner[..end], &inner[end + 1..])
        } else {
            let end = rest.find(char::is_whitespace)?;
            (&rest[..end], &rest[end..])
        };
    if !time.contains(':') {
        return None;
    }
    let start_ms = parse_time(time).ok()?;
    let title = title
        .trim()
        .trim_start_matches(['-', '–', '—', ':', '|'])
        .trim();
    if title.is_empty() {
        return None;
    }
    Some(Chapter {
        start_ms,
        title: title.to_owned(),
        url: None,
        image: None,
        hidden: false,
    })
}

/// Finds a chapter list in show notes: at least three consecutive `00:00 Title` lines, the first at 0:00 —
/// the form Apple Podcasts also recognises in descriptions. Returns `None` when there is no such list.
pub fn from_show_notes(notes: &str) -> Option<Vec<Chapter>> {
    let mut best: Vec<Chapter> = Vec::new();
    let mut run: Vec<Chapter> = Vec::new();
    for line in notes.lines() {
        match parse_list_line(line) {
            Some(c) if run.is_empty() && c.start_ms != 0 => {}
            Some(c) => run.push(c),
            None if line.trim().is_empty() && !run.is_empty() => {}
            None => {
                if run.len() > best.len() {
                    best = std::mem::take(&mut run);
                }
                run.clear();
            }
        }
    }
    if run.len() > best.len() {
        best = run;
    }
    (best.len() >= 3 && check(&best, None).is_empty()).then_some(best)
}

/// Why an MP3's own chapters could not be taken from it.
#[derive(Debug, thiserror::Error)]
pub enum Id3ChaptersError {
    /// The file or its ID3 tag cannot be read (the id3 crate says why, including when there is no tag).
    #[error(transparent)]
    Tag(#[from] id3::Error),
    /// The tag has no CHAP frames.
    #[error("its ID3 tag has no chapters (CHAP frames)")]
    NoChapters,
}

/// Reads the chapters already in an MP3's ID3v2 tag (CHAP frames, in start order). A chapter that no table of
/// contents (CTOC) lists is hidden, as chapter UIs would not show it. Chapter pictures embedded in the file
/// have no public URL and are not carried over.
///
/// # Errors
/// [`Id3ChaptersError`] when the tag cannot be read, or when it has no chapters.
pub fn from_id3(path: &std::path::Path) -> Result<Vec<Chapter>, Id3ChaptersError> {
    let tag = id3::Tag::read_from_path(path)?;
    let listed: std::collections::BTreeSet<&str> = tag
        .tables_of_contents()
        .flat_map(|toc| toc.elements.iter().map(String::as_str))
        .collect();
    let has_toc = tag.tables_of_contents().next().is_some();
    let mut chapters: Vec<Chapter> = tag
        .chapters()
        .map(|c| {
            let title = c
                .frames
                .iter()
                .find(|f| f.id() == "TIT2")
                .and_then(|f| f.content().text())
                .unwrap_or_default()
                .to_owned();
            let url = c.frames.iter().find_map(|f| match f.content() {
                id3::Content::ExtendedLink(link) => Some(link.link.clone()),
                id3::Content::Link(link) => Some(link.clone()),
                _ => None,
            });
            Chapter {
                start_ms: u64::from(c.start_time),
                title,
                url,
                image: None,
                hidden: has_toc && !listed.contains(c.element_id.as_str()),
            }
        })
        .collect();
    if chapters.is_empty() {
        return Err(Id3ChaptersError::NoChapters);
    }
    chapters.sort_by_key(|c| c.start_ms);
    Ok(chapters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_written_exactly_and_shortest() {
        assert_eq!(format_seconds(12_500), "12.5");
        assert_eq!(format_seconds(60_000), "60");
        assert_eq!(format_seconds(90_000), "90");
        assert_eq!(format_seconds(0), "0");
        assert_eq!(format_seconds(125), "0.125");
        assert_eq!(format_seconds(1_500), "1.5");
        assert_eq!(format_seconds(10_010), "10.01");
    }

    fn ch(start_ms: u64, title: &str) -> Chapter {
        Chapter {
            start_ms,
            title: title.to_owned(),
            url: None,
            image: None,
            hidden: false,
        }
    }

    #[test]
    fn times_in_every_accepted_form() {
        assert_eq!(parse_time("0"), Ok(0));
        assert_eq!(parse_time("75"), Ok(75_000));
        assert_eq!(parse_time("01:15"), Ok(75_000));
        assert_eq!(parse_time("1:15"), Ok(75_000));
        assert_eq!(parse_time("1:02:03"), Ok(3_723_000));
        assert_eq!(parse_time("00:00:01.5"), Ok(1_500));
        assert_eq!(parse_time("00:00:01,250"), Ok(1_250));
        assert_eq!(parse_time("0:00.0005"), Ok(1));
        for bad in [
            "",
            "1:60",
            "1:2",
            "a:00",
            "1:00:00:00",
            "-1",
            "1.",
            "1:00.x",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(format_npt(3_723_004), "01:02:03.004");
        assert_eq!(format_short(3_723_004), "1:02:03");
        assert_eq!(format_short(75_000), "1:15");
    }

    #[test]
    fn checks_name_each_problem() {
        let good = [ch(0, "a"), ch(1000, "b")];
        assert!(check(&good, Some(2000)).is_empty());
        let bad = [ch(500, "a"), ch(500, " "), ch(3000, "c")];
        let problems = check(&bad, Some(2000));
        assert_eq!(
            problems,
            [
                ChapterProblem::FirstNotAtZero { start_ms: 500 },
                ChapterProblem::EmptyTitle { index: 1 },
                ChapterProblem::NotIncreasing {
                    index: 1,
                    start_ms: 500,
                    previous_ms: 500
                },
                ChapterProblem::PastEnd {
                    index: 2,
                    start_ms: 3000,
                    duration_ms: 2000
                },
            ]
        );
    }

    #[test]
    fn json_round_trip_keeps_milliseconds_and_hidden_flags() {
        let mut chapters = vec![ch(0, "Intro"), ch(61_250, "Main"), ch(120_001, "End")];
        chapters[1].hidden = true;
        chapters[2].url = Some("https://example.com".to_owned());
        let doc = to_json(&chapters, Some(150_000), "Ep", "Show");
        let text = json_text(&doc);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], "1.2.0");
        assert_eq!(value["chapters"][1]["startTime"], 61.25);
        assert_eq!(value["chapters"][1]["toc"], false);
        assert!(value["chapters"][0].get("toc").is_none());
        assert_eq!(value["chapters"][2]["endTime"], 150.0);
        assert_eq!(from_json(&text).unwrap(), chapters);
    }

    #[test]
    fn the_namespace_example_chapters_parse() {
        let text = r#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":168,"title":"Hearing Aids","img":"https://example.com/img.jpg"},{"startTime":2353,"title":"Silent","toc":false}]}"#;
        let chapters = from_json(text).unwrap();
        assert_eq!(chapters[1].start_ms, 168_000);
        assert!(chapters[2].hidden);
        assert!(matches!(
            from_json("{\"version\":\"1.2.0\",\"chapters\":[{\"startTime\":-1}]}"),
            Err(JsonChaptersError::BadStart { chapter: 1 })
        ));
    }

    #[test]
    fn text_lists_in_the_forms_producers_paste() {
        let list = "00:00 Intro\n\n(01:30) The interview\r\n[1:02:03] - Outro\n  not a chapter \n";
        let parsed = from_text_list(list);
        assert_eq!(parsed[0], (1, Ok(ch(0, "Intro"))));
        assert_eq!(parsed[1], (3, Ok(ch(90_000, "The interview"))));
        assert_eq!(parsed[2], (4, Ok(ch(3_723_000, "Outro"))));
        let bad = NotAChapterLine {
            text: "not a chapter".to_owned(),
            range: 56..69,
        };
        assert_eq!(&list[bad.range.clone()], "not a chapter");
        assert_eq!(parsed[3], (5, Err(bad)));
    }

    #[test]
    fn show_notes_give_chapters_only_for_a_real_list() {
        let notes = "Welcome!\n\nChapters:\n00:00 Intro\n05:10 Part one\n12:00 Part two\n\nThanks.";
        let chapters = from_show_notes(notes).unwrap();
        assert_eq!(chapters.len(), 3);
        assert_eq!(chapters[2], ch(720_000, "Part two"));
        // Two timestamps are not a chapter list; nor is a list that does not start at zero.
        assert!(from_show_notes("00:00 a\n01:00 b").is_none());
        assert!(from_show_notes("01:00 a\n02:00 b\n03:00 c").is_none());
    }
}
