//! An episode's companions in the catalogue: chapters (inline, from a file, from the MP3, or from the show
//! notes), transcripts, soundbites and alternate renditions.

use std::path::Path;

use super::lower::{Context, MediaKind, check_length, language_field, media_type_field, url_field};
use super::reader::{At, Sink, TableReader};
use super::{Alternate, ChaptersOrigin, MediaRef, Soundbite, Transcript, rules};
use crate::chapters::{self, Chapter, ChapterImage};
use crate::diag::SourceFile;
use crate::error::Chain;
use crate::transcripts::{self, TranscriptFormat};

/// What [`read`] found.
pub(super) struct Companions {
    pub(super) chapters: Vec<Chapter>,
    pub(super) chapters_origin: Option<At<ChaptersOrigin>>,
    pub(super) transcripts: Vec<Transcript>,
    pub(super) soundbites: Vec<Soundbite>,
    pub(super) alternates: Vec<Alternate>,
}

/// Reads the companion fields of one `[[episode]]` table.
pub(super) fn read(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    label: &str,
    audio: Option<&MediaRef>,
    notes: Option<&At<String>>,
) -> Companions {
    let (chapters, chapters_origin) = read_chapters(sink, t, context, label, audio, notes);
    let transcripts = t.each_table(
        sink,
        "transcript",
        |i| format!("transcript {} of {label}", i + 1),
        |sink, table| read_transcript(sink, table, context),
    );
    let soundbites = t.each_table(
        sink,
        "soundbite",
        |i| format!("soundbite {} of {label}", i + 1),
        |sink, table| read_soundbite(sink, table),
    );
    let alternates = t.each_table(
        sink,
        "alternate",
        |i| format!("alternate {} of {label}", i + 1),
        |sink, table| {
            let audio = table
                .required_string(
                    sink,
                    "audio",
                    "another rendition of the episode, e.g. `audio = \"media/episode.opus\"`",
                )
                .and_then(|w| context.reference(sink, &w, MediaKind::Audio, table.context()));
            let title = table.string(sink, "title");
            if let Some(title) = &title {
                check_length(sink, title, "title", 32);
            }
            if let Some(remote) = audio.as_ref().filter(|a| a.path.is_none()) {
                sink.report(
                    &rules::OUTSIDE_MEDIA_DIR,
                    remote.span.clone(),
                    format!("the audio of {} is a URL; castkit needs the file itself", table.context()),
                    Some("put the file in the media folder and name it by its path, e.g. `audio = \"media/episode.opus\"`".to_owned()),
                );
                return None;
            }
            Some(Alternate {
                audio: audio?,
                title: title.map(|t| t.value),
            })
        },
    );
    Companions {
        chapters,
        chapters_origin,
        transcripts,
        soundbites,
        alternates,
    }
}

fn read_chapters(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
    label: &str,
    audio: Option<&MediaRef>,
    notes: Option<&At<String>>,
) -> (Vec<Chapter>, Option<At<ChaptersOrigin>>) {
    let inline = t.tables(sink, "chapter", |i| format!("chapter {} of {label}", i + 1));
    let file = t.string(sink, "chapters");
    if let (Some(file), false) = (&file, inline.is_empty()) {
        sink.report(
            &rules::CHAPTER_PROBLEM,
            file.span.clone(),
            format!("{label} has both `[[episode.chapter]]` tables and `chapters = …`"),
            Some("keep one source of chapters: the tables, or the file".to_owned()),
        );
        return (Vec::new(), None);
    }
    if !inline.is_empty() {
        let first_span = inline[0].span();
        let mut chapters = Vec::new();
        let mut spans = Vec::new();
        let mut complete = true;
        for mut table in inline {
            let start = table.time(sink, "start");
            if start.is_none() && !table.has("start") {
                sink.report(
                    &rules::MISSING_FIELD,
                    table.span(),
                    format!("{} has no `start`", table.context()),
                    Some("add e.g. `start = \"00:00\"`".to_owned()),
                );
            }
            let title =
                table.required_string(sink, "title", "the chapter's title, as apps list it");
            let url = table
                .string(sink, "url")
                .and_then(|u| url_field(sink, &u, "url"));
            let image = table.string(sink, "image").and_then(|w| {
                context
                    .reference(sink, &w, MediaKind::Asset, table.context())
                    .map(|m| ChapterImage {
                        url: m.url.to_string(),
                        path: m.path,
                    })
            });
            let hidden = table.bool(sink, "hidden").is_some_and(|b| b.value);
            table.finish(sink);
            match start {
                Some(start) => {
                    spans.push(start.span.clone());
                    // A missing or empty title was reported by `required_string`; keep the chapter so that
                    // the order of the others is still checked in this run.
                    complete &= title.is_some();
                    chapters.push(Chapter {
                        start_ms: start.value,
                        title: title.map(|t| t.value).unwrap_or_default(),
                        url: url.map(|u| u.to_string()),
                        image,
                        hidden,
                    });
                }
                None => complete = false,
            }
        }
        let mut ok = complete;
        for problem in chapters::check(&chapters, None) {
            if matches!(problem, chapters::ChapterProblem::EmptyTitle { .. }) {
                continue;
            }
            ok = false;
            let index = match problem {
                chapters::ChapterProblem::FirstNotAtZero { .. } => 0,
                chapters::ChapterProblem::NotIncreasing { index, .. }
                | chapters::ChapterProblem::EmptyTitle { index }
                | chapters::ChapterProblem::PastEnd { index, .. } => index,
            };
            sink.report(
                &rules::CHAPTER_PROBLEM,
                spans[index].clone(),
                format!("{label}: {problem}"),
                Some("chapters start at 0:00 and each starts after the one before".to_owned()),
            );
        }
        if !ok {
            return (Vec::new(), None);
        }
        return (chapters, Some(At::new(ChaptersOrigin::Inline, first_span)));
    }
    if let Some(file) = file {
        let local = audio.and_then(|a| a.path.as_deref());
        let is_url = audio.is_some_and(|a| a.path.is_none());
        return read_chapters_file(sink, context, label, (local, is_url), &file);
    }
    if let Some(notes) = notes
        && let Some(found) = chapters::from_show_notes(&notes.value)
    {
        sink.report(
            &rules::CHAPTERS_FROM_NOTES,
            notes.span.clone(),
            format!(
                "{label}: {} chapters taken from the list in the show notes",
                found.len()
            ),
            Some(
                "add `[[episode.chapter]]` tables or `chapters = …` to give them explicitly"
                    .to_owned(),
            ),
        );
        return (
            found,
            Some(At::new(ChaptersOrigin::ShowNotes, notes.span.clone())),
        );
    }
    (Vec::new(), None)
}

fn read_chapters_file(
    sink: &mut Sink<'_>,
    context: &Context<'_>,
    label: &str,
    (audio, audio_is_url): (Option<&Path>, bool),
    file: &At<String>,
) -> (Vec<Chapter>, Option<At<ChaptersOrigin>>) {
    let fail = |sink: &mut Sink<'_>, message: String, help: &str| {
        sink.report(
            &rules::CHAPTER_PROBLEM,
            file.span.clone(),
            message,
            Some(help.to_owned()),
        );
        (Vec::new(), None)
    };
    if file.value.starts_with("https://") || file.value.starts_with("http://") {
        // Chapters published elsewhere (an imported show's): the feed links to them as they are.
        let Some(url) = url_field(sink, file, "chapters") else {
            return (Vec::new(), None);
        };
        return (
            Vec::new(),
            Some(At::new(ChaptersOrigin::Remote(url), file.span.clone())),
        );
    }
    if file.value == "id3" {
        let Some(audio) = audio else {
            if audio_is_url {
                return fail(
                    sink,
                    format!(
                        "{label}: `chapters = \"id3\"` reads the chapters from the audio file, and the audio is a URL"
                    ),
                    "give the chapters as `[[episode.chapter]]` tables or a chapters file, or put the audio in the media folder",
                );
            }
            return (Vec::new(), None);
        };
        return match chapters::from_id3(audio) {
            Ok(found) => finish_file(sink, label, file, found, ChaptersOrigin::Id3),
            Err(e) => fail(
                sink,
                format!(
                    "{label}: cannot take chapters from the audio file: {}",
                    Chain(&e)
                ),
                "give the chapters as `[[episode.chapter]]` tables or a chapters file instead",
            ),
        };
    }
    let path = context.root.join(&file.value);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return fail(
                sink,
                format!(
                    "{label}: cannot read the chapters file `{}`: {e}",
                    file.value
                ),
                "paths are relative to the folder that holds the catalogue",
            );
        }
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "json" => match chapters::from_json(&text) {
            Ok(found) => finish_file(sink, label, file, found, ChaptersOrigin::JsonFile(path)),
            Err(e) => fail(
                sink,
                format!(
                    "{label}: `{}` is not a Podcasting 2.0 chapters file: {}",
                    file.value,
                    Chain(&e)
                ),
                "see https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md",
            ),
        },
        "txt" => {
            let source = SourceFile::new(file.value.clone(), text);
            let mut found = Vec::new();
            let mut ok = true;
            for (_, parsed) in chapters::from_text_list(source.text()) {
                match parsed {
                    Ok(c) => found.push(c),
                    Err(e) => {
                        ok = false;
                        sink.push(
                            rules::CHAPTER_PROBLEM
                                .diag(e.to_string())
                                .at(source.location(e.range))
                                .help("write one chapter per line: `00:00 Title`"),
                        );
                    }
                }
            }
            if !ok {
                return (Vec::new(), None);
            }
            finish_file(sink, label, file, found, ChaptersOrigin::TextFile(path))
        }
        _ => fail(
            sink,
            format!(
                "{label}: `{}` is not a chapters file castkit reads",
                file.value
            ),
            "use a Podcasting 2.0 JSON chapters file (`.json`), a `00:00 Title` list (`.txt`), or `chapters = \"id3\"`",
        ),
    }
}

fn finish_file(
    sink: &mut Sink<'_>,
    label: &str,
    file: &At<String>,
    found: Vec<Chapter>,
    origin: ChaptersOrigin,
) -> (Vec<Chapter>, Option<At<ChaptersOrigin>>) {
    let problems = chapters::check(&found, None);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        sink.report(
            &rules::CHAPTER_PROBLEM,
            file.span.clone(),
            format!(
                "{label}: the chapters in `{}` are not usable: {}",
                file.value,
                list.join("; ")
            ),
            Some("chapters start at 0:00, each after the one before, each with a title".to_owned()),
        );
        return (Vec::new(), None);
    }
    (found, Some(At::new(origin, file.span.clone())))
}

fn read_transcript(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &Context<'_>,
) -> Option<Transcript> {
    let span = t.span();
    let file = t
        .required_string(
            sink,
            "file",
            "the transcript file, e.g. `file = \"media/episode.vtt\"`",
        )
        .and_then(|w| {
            let reference = context.reference(sink, &w, MediaKind::Asset, t.context())?;
            Some((w, reference))
        });
    let language = t
        .string(sink, "language")
        .and_then(|l| language_field(sink, l));
    let vtt = t.bool(sink, "vtt");
    let stated_type = t
        .string(sink, "type")
        .and_then(|m| media_type_field(sink, m, "type"));
    let captions = t.bool(sink, "captions").map(|b| b.value);
    let (written, file) = file?;
    let Some(path) = file.path.clone() else {
        return remote_transcript(
            sink,
            t.context(),
            (written, file),
            stated_type,
            captions,
            language,
            span,
        );
    };
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let Some(format) = TranscriptFormat::from_extension(extension) else {
        sink.report(
            &rules::TRANSCRIPT_PROBLEM,
            written.span.clone(),
            format!("`{}` is not a transcript format castkit knows", written.value),
            Some("use WebVTT (`.vtt`), SRT (`.srt`), JSON (`.json`), HTML (`.html`) or plain text (`.txt`)".to_owned()),
        );
        return None;
    };
    let text = match std::fs::read(&path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            sink.report(
                &rules::TRANSCRIPT_PROBLEM,
                written.span.clone(),
                format!("`{}` is not UTF-8 text", written.value),
                Some("save it as UTF-8".to_owned()),
            );
            return None;
        }
        Err(e) => {
            sink.report(
                &rules::TRANSCRIPT_PROBLEM,
                written.span.clone(),
                format!("cannot read `{}`: {e}", written.value),
                None,
            );
            return None;
        }
    };
    let facts = match transcripts::inspect(&text, format) {
        Ok(f) => f,
        Err(e) => {
            sink.report(
                &rules::TRANSCRIPT_PROBLEM,
                written.span.clone(),
                format!(
                    "`{}` is not valid {}: {}",
                    written.value,
                    format.mime(),
                    Chain(&e)
                ),
                Some("fix the file, or give it the extension of the format it is in".to_owned()),
            );
            return None;
        }
    };
    let convert_to_vtt = match vtt {
        Some(v) if v.value && format != TranscriptFormat::Srt => {
            sink.report(
                &rules::INVALID_VALUE,
                v.span,
                format!(
                    "`vtt = true` converts SRT files; `{}` is {}",
                    written.value,
                    format.mime()
                ),
                Some("remove `vtt = true`".to_owned()),
            );
            false
        }
        Some(v) => v.value,
        None => false,
    };
    if let Some(stated) = stated_type.filter(|m| !m.value.eq_ignore_ascii_case(format.mime())) {
        sink.report(
            &rules::TRANSCRIPT_PROBLEM,
            stated.span,
            format!(
                "`{}` is {}, not `{}`",
                written.value,
                format.mime(),
                stated.value
            ),
            Some(
                "remove `type`: castkit tells the type of a local transcript from its content"
                    .to_owned(),
            ),
        );
        return None;
    }
    Some(Transcript {
        file,
        mime: format.mime().to_owned(),
        captions: captions.unwrap_or(facts.is_timed()),
        facts: Some(facts),
        language,
        convert_to_vtt,
        span,
    })
}

/// A transcript published elsewhere (an imported show's): linked as it is, its type from `type` or the
/// URL's extension, `captions` saying whether it is timed (WebVTT and SRT are, by default).
fn remote_transcript(
    sink: &mut Sink<'_>,
    context: &str,
    (written, file): (At<String>, MediaRef),
    stated: Option<At<String>>,
    captions: Option<bool>,
    language: Option<String>,
    span: std::ops::Range<usize>,
) -> Option<Transcript> {
    let from_extension = file
        .url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .and_then(|name| name.rsplit_once('.'))
        .and_then(|(_, ext)| TranscriptFormat::from_extension(&ext.to_ascii_lowercase()));
    let mime = match (stated, from_extension) {
        (Some(m), _) => m.value,
        (None, Some(format)) => format.mime().to_owned(),
        (None, None) => {
            sink.report(
                &rules::MISSING_FIELD,
                written.span.clone(),
                format!(
                    "{context}: the type of `{}` cannot be told from its URL",
                    written.value
                ),
                Some("add its MIME type, e.g. `type = \"text/vtt\"`".to_owned()),
            );
            return None;
        }
    };
    let timed = matches!(
        mime.as_str(),
        "text/vtt" | "application/x-subrip" | "application/srt"
    );
    Some(Transcript {
        file,
        captions: captions.unwrap_or(timed),
        mime,
        facts: None,
        language,
        convert_to_vtt: false,
        span,
    })
}

fn read_soundbite(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Option<Soundbite> {
    let span = t.span();
    let start = t.time(sink, "start");
    let duration = t.time(sink, "duration");
    let title = t.string(sink, "title");
    if let Some(title) = &title {
        check_length(sink, title, "title", 128);
    }
    for key in ["start", "duration"] {
        if !t.has(key) {
            sink.report(
                &rules::MISSING_FIELD,
                span.clone(),
                format!("{} has no `{key}`", t.context()),
                Some("a soundbite needs `start` and `duration`, e.g. `start = \"12:30\"`, `duration = 30`".to_owned()),
            );
        }
    }
    let (start, duration) = (start?, duration?);
    if duration.value == 0 {
        sink.report(
            &rules::SOUNDBITE_PROBLEM,
            duration.span.clone(),
            format!("{} has no length", t.context()),
            Some("give its length in seconds, e.g. `duration = 30`".to_owned()),
        );
        return None;
    }
    if !(15_000..=120_000).contains(&duration.value) {
        sink.report(
            &rules::SOUNDBITE_LENGTH,
            duration.span.clone(),
            format!(
                "{} is {} long; the namespace recommends 15 to 120 seconds",
                t.context(),
                chapters::format_short(duration.value)
            ),
            None,
        );
    }
    Some(Soundbite {
        start_ms: start.value,
        duration_ms: duration.value,
        title: title.map(|t| t.value),
        span,
    })
}
