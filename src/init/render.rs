//! The catalogue's text: every field on its own line under a comment saying what it is and where its value
//! came from; placeholders end their line with `# TODO:` and are listed with their line numbers.

use std::fmt::Write as _;
use std::path::Path;

use super::show::category_text;
use super::{BaseUrl, ChaptersFound, Cover, EpisodeDraft, ShowFacts, Sourced, Survey};

/// A catalogue ready to write, and what in it still needs the producer.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// The text of `episodes.toml`.
    pub text: String,
    /// Placeholders to fill in, in line order.
    pub todos: Vec<Todo>,
}

/// A line of the catalogue holding a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// The line (1-based).
    pub line: usize,
    /// The field (`description`, `[[episode]] number`).
    pub field: String,
    /// What to put there.
    pub what: String,
}

/// The base address written when none was given: `example.com` is reserved for examples (RFC 2606), so it
/// can never be somebody's real server.
const PLACEHOLDER_BASE: &str = "https://example.com/podcast/";
/// The category written when none was given or tagged: Apple's broadest.
const PLACEHOLDER_CATEGORY: &str = "Society & Culture";

/// The text being written, with its line count, so each placeholder knows its line.
struct Writer {
    text: String,
    lines: usize,
    todos: Vec<Todo>,
}

impl Writer {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines += 1;
    }

    fn comment(&mut self, text: &str) {
        self.line(&format!("# {text}"));
    }

    /// `key = value`, under its comment; with `todo`, the line ends `# TODO: …` and is listed.
    fn field(&mut self, comment: &str, key: &str, value: &str, todo: Option<String>) {
        self.comment(comment);
        match todo {
            Some(what) => {
                self.line(&format!("{key} = {value}  # TODO: {what}"));
                self.todos.push(Todo {
                    line: self.lines,
                    field: key.to_owned(),
                    what,
                });
            }
            None => self.line(&format!("{key} = {value}")),
        }
    }

    /// A `# TODO:` comment line of its own, for something that is not a field yet.
    fn todo_comment(&mut self, field: &str, what: String) {
        self.line(&format!("# TODO: {what}"));
        self.todos.push(Todo {
            line: self.lines,
            field: field.to_owned(),
            what,
        });
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped as the TOML spec requires
/// (<https://toml.io/en/v1.0.0#string>).
pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the catalogue for `survey` with the show's `facts`.
pub fn render(survey: &Survey, facts: &ShowFacts) -> Scaffold {
    let mut w = Writer {
        text: String::new(),
        lines: 0,
        todos: Vec::new(),
    };
    w.comment("The podcast's catalogue, scaffolded by `castkit init` from the files in media/.");
    w.comment("Every field is described in castkit's README (\"The catalogue\"). Lines that end with a TODO hold");
    w.comment("placeholders: `castkit build-feed` accepts them, but fill them in before publishing. On its first");
    w.comment("build, `castkit build-feed` gives each episode a permanent `guid` and writes it into this file.");
    for skipped in &survey.skipped {
        w.comment(&format!("Left out: {skipped}"));
    }
    w.line("");
    write_show(&mut w, survey, facts);
    if survey.episodes.is_empty() {
        w.line("");
        w.todo_comment(
            "[[episode]]",
            "no audio was found in media/: add the episodes' audio there and an [[episode]] table for each (see the README)".to_owned(),
        );
    }
    for episode in &survey.episodes {
        w.line("");
        write_episode(&mut w, episode);
    }
    Scaffold {
        text: w.text,
        todos: w.todos,
    }
}

/// The source of a value the producer gave: its flag (or the answer to its question on a terminal).
fn given(flag: &str) -> String {
    format!("`{flag}`")
}

fn write_show(w: &mut Writer, survey: &Survey, facts: &ShowFacts) {
    w.line("[show]");
    let folder_name = survey
        .dir
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "My podcast".to_owned());
    let (title, title_todo) = match (&facts.title, &survey.album) {
        (Some(t), _) => (Sourced::new(t.clone(), given("--title")), None),
        (None, Some(album)) => (album.clone(), None),
        (None, None) => (
            Sourced::new(folder_name, "the folder's name"),
            Some("the show's name (`--title`)".to_owned()),
        ),
    };
    w.field(
        &format!("The show's name, and nothing else; from {}.", title.source),
        "title",
        &toml_string(&title.value),
        title_todo,
    );
    w.field(
        "What the show is about, in Markdown; apps show it on the show's page.",
        "description",
        &toml_string(&title.value),
        Some("describe the show in a few sentences (Markdown)".to_owned()),
    );

    let (base, base_todo) = match &facts.base_url {
        Some(b) => (b.clone(), None),
        None => (
            BaseUrl::parse(PLACEHOLDER_BASE).unwrap_or_else(|_| unreachable!()),
            Some("the address the show will be served from (`--base-url`)"),
        ),
    };
    let source = if base_todo.is_none() {
        given("--base-url")
    } else {
        "a placeholder".to_owned()
    };
    w.field(
        &format!(
            "The show's website (`<link>`): the base address until it has a site of its own; from {source}."
        ),
        "link",
        &toml_string(base.as_str()),
        base_todo.map(str::to_owned),
    );
    w.field(
        &format!(
            "Where the feed will be served: public/ (feed.xml and its side files) published at the base address; from {source}."
        ),
        "feed_url",
        &toml_string(&base.feed_url()),
        base_todo.map(str::to_owned),
    );
    w.field(
        &format!(
            "Where media/ will be served: each file's URL is this plus its path below media/; from {source}."
        ),
        "media_base_url",
        &toml_string(&base.media_base_url()),
        base_todo.map(str::to_owned),
    );

    let language = match &facts.language {
        Some(l) => Sourced::new(l.as_str().to_owned(), given("--language")),
        None => Sourced::new(
            "en".to_owned(),
            "the default; `--language` sets another".to_owned(),
        ),
    };
    w.field(
        &format!(
            "The show's language, an ISO 639 code (`en`, `en-us`, `zh-cn`); {}.",
            language.source
        ),
        "language",
        &toml_string(&language.value),
        None,
    );

    let (author, author_todo) = match (&facts.author, &survey.artist) {
        (Some(a), _) => (Sourced::new(a.clone(), given("--author")), None),
        (None, Some(artist)) => (artist.clone(), None),
        (None, None) => (
            Sourced::new(title.value.clone(), "the show's title, as a placeholder"),
            Some("the person, group or network behind the show (`--author`)".to_owned()),
        ),
    };
    w.field(
        &format!(
            "The person, group or network behind the show (`itunes:author`); from {}.",
            author.source
        ),
        "author",
        &toml_string(&author.value),
        author_todo,
    );
    match &facts.email {
        Some(email) => w.field(
            &format!(
                "Whom directories contact about the show (`itunes:owner`): the author, with the address {}.",
                given("--email")
            ),
            "owner",
            &format!(
                "{{ name = {}, email = {} }}",
                toml_string(&author.value),
                toml_string(email.as_str())
            ),
            None,
        ),
        None => {
            w.comment(
                "Whom directories contact about the show (`itunes:owner`); optional, and private to directories.",
            );
            w.todo_comment(
                "owner",
                "to be reachable, remove the `#` before `owner` below and give the address (`--email`)"
                    .to_owned(),
            );
            w.line(&format!(
                "# owner = {{ name = {}, email = \"you@example.com\" }}",
                toml_string(&author.value)
            ));
        }
    }

    let (image, image_comment, image_todo) = match &survey.cover {
        Cover::Found {
            path,
            reason,
            problems,
        } => {
            let todo = (!problems.is_empty()).then(|| {
                format!(
                    "Apple would refuse this image ({}); replace it with a square JPEG or PNG of 1400–3000 px",
                    problems.join("; ")
                )
            });
            (
                path.clone(),
                format!("chosen because {reason}"),
                todo,
            )
        }
        Cover::Missing(why) => (
            "media/cover.jpg".to_owned(),
            format!("not found: {why}"),
            Some("put the cover art at media/cover.jpg: a square JPEG or PNG of 1400–3000 px (build-feed needs it)".to_owned()),
        ),
    };
    w.field(
        &format!(
            "The cover art, a square JPEG or PNG of 1400–3000 px in media/ (`itunes:image`); {image_comment}."
        ),
        "image",
        &toml_string(&image),
        image_todo,
    );

    let (categories, category_source, category_todo) = if !facts.categories.is_empty() {
        (facts.categories.clone(), given("--category"), None)
    } else if !survey.genres.is_empty() {
        let sources: Vec<&str> = survey.genres.iter().map(|g| g.source.as_str()).collect();
        (
            survey.genres.iter().map(|g| g.value).collect(),
            sources.join(", "),
            None,
        )
    } else {
        (
            super::parse_category(PLACEHOLDER_CATEGORY)
                .into_iter()
                .collect(),
            "a placeholder".to_owned(),
            Some("choose the show's categories from Apple's list (`--category`)".to_owned()),
        )
    };
    let list: Vec<String> = categories
        .iter()
        .map(|c| toml_string(&category_text(*c)))
        .collect();
    w.field(
        &format!(
            "Apple's categories, the first the main one, a subcategory as \"Parent > Sub\"; from {category_source}."
        ),
        "categories",
        &format!("[{}]", list.join(", ")),
        category_todo,
    );
    w.field(
        "Whether the show has explicit content (Apple requires the field); episodes inherit it. Set `true` if so.",
        "explicit",
        "false",
        None,
    );
    w.field(
        "`episodic` (apps show the newest first) or `serial` (listeners start at the first episode).",
        "type",
        "\"episodic\"",
        None,
    );
}

fn write_episode(w: &mut Writer, episode: &EpisodeDraft) {
    w.line("[[episode]]");
    let title_todo = episode
        .title
        .source
        .contains("no words besides numbering")
        .then(|| "give the episode a title".to_owned());
    w.field(
        &format!(
            "The episode's title, without numbers; from {}.",
            episode.title.source
        ),
        "title",
        &toml_string(&episode.title.value),
        title_todo,
    );
    w.field(
        &format!(
            "The audio, {}; castkit measures its exact length and size at every build.",
            episode.summary
        ),
        "audio",
        &toml_string(&episode.audio),
        None,
    );
    w.field(
        &format!(
            "When it is published (apps sort by it; a future date holds it back); from {}.",
            episode.published.source
        ),
        "published",
        &episode
            .published
            .value
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None,
    );
    if let Some(season) = &episode.season {
        w.field(
            &format!("The season; from {}.", season.source),
            "season",
            &season.value.to_string(),
            None,
        );
    }
    if let Some(number) = &episode.number {
        w.field(
            &format!(
                "The episode's number (in its season); from {}.",
                number.source
            ),
            "number",
            &number.value.to_string(),
            None,
        );
    }
    if let Some(clash) = &episode.number_clash {
        w.todo_comment("number", format!("`number` left out: {clash}"));
    }
    match &episode.chapters {
        Some(ChaptersFound::File(file)) => {
            let kind = if file.to_ascii_lowercase().ends_with(".json") {
                "a Podcasting 2.0 JSON chapters file"
            } else {
                "a `00:00 Title` list"
            };
            w.field(
                &format!("Chapters: {kind} with the audio's name."),
                "chapters",
                &toml_string(file),
                None,
            );
        }
        Some(ChaptersFound::Id3(n)) => w.field(
            &format!("Chapters: the {n} already in the MP3's ID3 tag (CHAP frames)."),
            "chapters",
            "\"id3\"",
            None,
        ),
        None => {}
    }
    for transcript in &episode.transcripts {
        w.line("");
        w.line("[[episode.transcript]]");
        let kind = if transcript.file.to_ascii_lowercase().ends_with(".srt") {
            "SubRip"
        } else {
            "WebVTT"
        };
        w.field(
            &format!("A transcript ({kind}) with the audio's name."),
            "file",
            &toml_string(&transcript.file),
            None,
        );
        if transcript.convert_to_vtt {
            w.field(
                "Also publish a WebVTT made from this SRT: Apple Podcasts reads WebVTT.",
                "vtt",
                "true",
                None,
            );
        }
    }
    for alternate in &episode.alternates {
        w.line("");
        w.line("[[episode.alternate]]");
        w.field(
            "Another rendition of this episode: a file with the same name in another format.",
            "audio",
            &toml_string(&alternate.audio),
            None,
        );
        w.field(
            "The label apps show for it (at most 32 characters).",
            "title",
            &toml_string(&alternate.label),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_read_back_as_written() {
        for s in [
            "plain",
            "with \"quotes\" and \\ backslash",
            "tab\tnew\nline\r",
            "bell\u{7}del\u{7f}",
            "Unicode – “quoted” 中文",
        ] {
            let doc = format!("k = {}\n", toml_string(s));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table["k"].as_str(), Some(s), "{doc}");
        }
    }
}
