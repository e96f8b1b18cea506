//! `castkit init`: a first `episodes.toml` for a folder of audio, so a producer starts from a catalogue that
//! builds instead of from a blank page.
//!
//! Two steps, so the command line can ask about what the files do not say in between:
//!
//! 1. [`survey`] walks `DIR/media/`, probes every audio file (by extension; its content decides what it
//!    is), and reads from each what the catalogue needs: the title (tag, else the file name without its
//!    numbering), season and number (the file name, else an unmistakable marker in the tag's title, else
//!    TPOS/TRCK), the publication date (the tag's full date, else a date the name starts with, else the
//!    file's modification time), chapters and transcripts with the same name, other renditions with the
//!    same name, and the cover art.
//! 2. [`render`] writes the catalogue's text from the survey and the show's facts ([`ShowFacts`]), with a
//!    comment on every field saying what it is and where its value came from. What could not be known is
//!    a placeholder that still passes `castkit build-feed`, marked `# TODO:` on its line and listed in
//!    [`Scaffold::todos`] with that line.
//!
//! [`write_new`] then writes the text where no catalogue is, atomically, and never over an existing file.

mod discover;
pub mod names;
mod render;
mod show;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::audio::{AudioFacts, AudioFormat, TagSummary, probe_all};
use crate::error::Chain;
use crate::vocab::Category;

pub use discover::{AUDIO_EXTENSIONS, natural_cmp};
pub use render::{Scaffold, Todo, render};
pub use show::{BaseUrl, ShowFacts, parse_category};

/// The catalogue's file name, in the show's folder.
pub const CATALOGUE_NAME: &str = "episodes.toml";

/// Why `castkit init` could not run. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A catalogue is there already; init never replaces one.
    #[error(
        "`{}` already exists; castkit init never overwrites a catalogue (remove or rename it to start again, or use `--stdout` to see what init would write)",
        path.display()
    )]
    CatalogueExists {
        /// The existing catalogue.
        path: PathBuf,
    },
    /// The show's folder has no `media/` folder to scaffold from.
    #[error(
        "`{}` is not a folder; create it and put the episodes' audio (and the cover art) in it, then run castkit init again",
        path.display()
    )]
    NoMediaDir {
        /// The media folder looked for.
        path: PathBuf,
    },
    /// A folder under `media/` could not be listed.
    #[error("cannot list `{}`", path.display())]
    ReadDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The catalogue could not be written.
    #[error("cannot write `{}`", path.display())]
    Write {
        /// The catalogue.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A value with where it came from, in words for the catalogue's comment (`the ID3 tag (TIT2)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: String,
}

impl<T> Sourced<T> {
    fn new(value: T, source: impl Into<String>) -> Sourced<T> {
        Sourced {
            value,
            source: source.into(),
        }
    }
}

/// A transcript file found beside an episode's audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFile {
    /// Its path relative to the show's folder, with `/`.
    pub file: String,
    /// Whether to publish a WebVTT converted from it (an SRT with no WebVTT beside it: Apple ingests WebVTT).
    pub convert_to_vtt: bool,
}

/// Another rendition of an episode (the same name, another format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternateFile {
    /// Its path relative to the show's folder, with `/`.
    pub audio: String,
    /// A short label apps show (`Opus`, `AAC`).
    pub label: String,
}

/// Where an episode's chapters come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChaptersFound {
    /// A `.chapters.json` or `.chapters.txt` file with the audio's name (path relative to the show's folder).
    File(String),
    /// The CHAP frames already in the MP3's ID3 tag.
    Id3(usize),
}

/// One episode as the files describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeDraft {
    /// The audio file, relative to the show's folder, with `/`.
    pub audio: String,
    /// What the probe found, in a few words (`mp3, 2:17, 321792 bytes`).
    pub summary: String,
    /// The title.
    pub title: Sourced<String>,
    /// The season, if known.
    pub season: Option<Sourced<u32>>,
    /// The episode number, if known.
    pub number: Option<Sourced<u32>>,
    /// Why a number that was found was left out (another episode has it), for a `# TODO:` comment.
    pub number_clash: Option<String>,
    /// The publication date.
    pub published: Sourced<DateTime<FixedOffset>>,
    /// Chapters found with the audio.
    pub chapters: Option<ChaptersFound>,
    /// Transcripts found with the audio.
    pub transcripts: Vec<TranscriptFile>,
    /// Other renditions.
    pub alternates: Vec<AlternateFile>,
}

/// The cover art init chose, or why it chose none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cover {
    /// An image in `media/`: its path relative to the show's folder, why it was chosen, and what Apple
    /// would reject about it (empty when nothing).
    Found {
        /// The image, relative to the show's folder, with `/`.
        path: String,
        /// Why this one (`named cover`, `the only square image`).
        reason: String,
        /// Apple's artwork rules it breaks; `build-feed` reports each as an error.
        problems: Vec<String>,
    },
    /// No image could be chosen, and why.
    Missing(String),
}

/// What the media folder holds.
#[derive(Debug, Clone)]
pub struct Survey {
    /// The show's folder.
    pub dir: PathBuf,
    /// The episodes, in natural order of their audio files.
    pub episodes: Vec<EpisodeDraft>,
    /// The cover art.
    pub cover: Cover,
    /// The show's title as the tags say it (the album most files name), if any.
    pub album: Option<Sourced<String>>,
    /// The show's author as the tags say it (the artist most files name), if any.
    pub artist: Option<Sourced<String>>,
    /// Apple categories named by the files' genre tags.
    pub genres: Vec<Sourced<Category>>,
    /// Files left out, and what went wrong: for the user, and as comments in the catalogue.
    pub skipped: Vec<String>,
}

/// Fails when `dir` already holds a catalogue: checked before the media is probed, so the refusal is
/// immediate. ([`write_new`] checks again, atomically.)
///
/// # Errors
/// [`InitError::CatalogueExists`].
pub fn ensure_no_catalogue(dir: &Path) -> Result<(), InitError> {
    let path = dir.join(CATALOGUE_NAME);
    // `symlink_metadata`: a dangling link named episodes.toml is still something init must not replace.
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(InitError::CatalogueExists { path });
    }
    Ok(())
}

/// Surveys `dir/media/`: every audio file probed, grouped into episodes, with their companions and the cover.
/// Files that cannot be probed are listed in [`Survey::skipped`], not errors. Dates from tags and file
/// times are given in the computer's local time zone (`TZ`).
///
/// # Errors
/// No media folder, or a folder in it that cannot be listed.
pub fn survey(dir: &Path) -> Result<Survey, InitError> {
    let media = dir.join("media");
    if !media.is_dir() {
        return Err(InitError::NoMediaDir { path: media });
    }
    let files = discover::files_below(&media)?;
    let mut skipped = Vec::new();
    let mut candidates = Vec::new();
    for path in files.iter().filter(|p| discover::is_audio_name(p)) {
        match relative(dir, path) {
            Some(rel) => candidates.push((path.clone(), rel)),
            None => skipped.push(format!(
                "`{}`: its name is not UTF-8 text, which a TOML catalogue cannot hold; rename it",
                path.display()
            )),
        }
    }
    let paths: Vec<&PathBuf> = candidates.iter().map(|(p, _)| p).collect();
    let probed = probe_all(&paths, &|| {});
    let mut audio: Vec<(AudioFacts, String)> = Vec::new();
    for ((_, rel), result) in candidates.into_iter().zip(probed) {
        match result {
            Ok(facts) => audio.push((facts, rel)),
            // The probe's error names the file.
            Err(e) => skipped.push(Chain(&e).to_string()),
        }
    }

    // One episode per name: `x.mp3` and `x.opus` are renditions of one episode, the most widely played
    // format being the main one (MP3, then AAC in MP4, then the rest in natural order).
    let mut groups: Vec<Renditions> = Vec::new();
    for (facts, rel) in audio {
        let key = (
            facts
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            discover::stem(&facts.path),
        );
        match groups
            .iter_mut()
            .find(|(p, s, _)| (p, s) == (&key.0, &key.1))
        {
            Some((_, _, members)) => members.push((facts, rel)),
            None => groups.push((key.0, key.1, vec![(facts, rel)])),
        }
    }
    let mut episodes = Vec::new();
    let mut tags = Vec::new();
    for (_, _, mut members) in groups {
        members.sort_by_key(|(f, _)| match f.format {
            AudioFormat::Mp3 => 0,
            AudioFormat::M4a => 1,
            _ => 2,
        });
        let mut members = members.into_iter();
        let Some((main, rel)) = members.next() else {
            continue;
        };
        let alternates = members
            .map(|(f, rel)| AlternateFile {
                label: rendition_label(&f),
                audio: rel,
            })
            .collect();
        episodes.push(episode_draft(dir, &files, &main, rel, alternates));
        tags.push(main.tags);
    }
    resolve_number_clashes(&mut episodes);

    let (album, artist, genres) = show_guesses(&tags);
    Ok(Survey {
        dir: dir.to_path_buf(),
        cover: discover_cover(dir, &media, &files),
        episodes,
        album,
        artist,
        genres,
        skipped,
    })
}

/// The files of one episode: their folder, their name without extension, and each probed with its path
/// relative to the show's folder.
type Renditions = (PathBuf, String, Vec<(AudioFacts, String)>);

/// The show's name, author and categories as the tags say them.
type TagGuesses = (
    Option<Sourced<String>>,
    Option<Sourced<String>>,
    Vec<Sourced<Category>>,
);

/// `path` relative to `dir` with `/` between segments, when it is UTF-8.
fn relative(dir: &Path, path: &Path) -> Option<String> {
    let below = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = below.iter().map(|s| s.to_str()).collect();
    Some(parts?.join("/"))
}

/// A label for another rendition: its codec as listeners know it.
fn rendition_label(facts: &AudioFacts) -> String {
    let codec = match facts.codec.as_str() {
        "aac" => "AAC".to_owned(),
        "alac" => "ALAC".to_owned(),
        "opus" => "Opus".to_owned(),
        "vorbis" => "Vorbis".to_owned(),
        "flac" => "FLAC".to_owned(),
        "pcm" => "WAV".to_owned(),
        other => other.to_ascii_uppercase(),
    };
    match facts.bitrate_kbps {
        Some(kbps) => format!("{codec} {kbps} kbit/s"),
        None => codec,
    }
}

/// Text from a tag, trimmed, with control characters (which XML forbids) turned into spaces.
fn clean(text: &str) -> Option<String> {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

/// What the tags call them: TIT2 for MP3, the container's own names for the others.
fn tag_names(facts: &AudioFacts) -> (&'static str, &'static str, &'static str) {
    match facts.tags.native.as_deref() {
        Some("mp4") => (
            "the MP4 tag (©nam)",
            "the MP4 tag (trkn)",
            "the MP4 tag (©day)",
        ),
        Some(_) => (
            "the Vorbis comment (TITLE)",
            "the Vorbis comment (TRACKNUMBER)",
            "the Vorbis comment (DATE)",
        ),
        None => (
            "the ID3 tag (TIT2)",
            "the ID3 tag (TRCK)",
            "the ID3 tag's date",
        ),
    }
}

fn episode_draft(
    dir: &Path,
    files: &[PathBuf],
    facts: &AudioFacts,
    rel: String,
    alternates: Vec<AlternateFile>,
) -> EpisodeDraft {
    let (title_tag, track_tag, date_tag) = tag_names(facts);
    let file_name = facts
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let from_name = names::parse_file_stem(&discover::stem(&facts.path));
    let from_tag = facts
        .tags
        .title
        .as_deref()
        .and_then(clean)
        .map(|t| names::parse_tag_title(&t))
        .filter(|p| !p.title.is_empty());

    let title = match (&from_tag, from_name.title.is_empty()) {
        (Some(tag), _) => Sourced::new(tag.title.clone(), title_tag),
        (None, false) => Sourced::new(
            from_name.title.clone(),
            if from_name.numbering.is_some() || from_name.date.is_some() {
                format!("the file name `{file_name}`, without its numbering")
            } else {
                format!("the file name `{file_name}`")
            },
        ),
        (None, true) => Sourced::new(
            match from_name.number {
                Some(n) => format!("Episode {n}"),
                None => discover::stem(&facts.path),
            },
            format!("the file name `{file_name}`, which has no words besides numbering"),
        ),
    };

    let name_form = from_name.numbering.map(|n| {
        format!(
            "the file name `{file_name}`, written as {}",
            names::Numbering::describe(n)
        )
    });
    let tag_form = from_tag
        .as_ref()
        .and_then(|t| t.numbering)
        .map(|n| format!("{title_tag}, written as {}", n.describe()));
    let tpos = (facts.format == AudioFormat::Mp3)
        .then(|| id3_text(&facts.path, &["TPOS", "TPA"]))
        .flatten();
    let number = from_name
        .number
        .zip(name_form.clone())
        .or_else(|| {
            from_tag
                .as_ref()
                .and_then(|t| t.number)
                .zip(tag_form.clone())
        })
        .or_else(|| {
            facts
                .tags
                .track
                .as_deref()
                .and_then(names::tag_number)
                .map(|n| (n, track_tag.to_owned()))
        })
        .map(|(n, s)| Sourced::new(n, s));
    let season = from_name
        .season
        .zip(name_form)
        .or_else(|| from_tag.as_ref().and_then(|t| t.season).zip(tag_form))
        .or_else(|| {
            tpos.as_deref()
                .and_then(names::tag_number)
                .map(|n| (n, "the ID3 tag (TPOS)".to_owned()))
        })
        .map(|(n, s)| Sourced::new(n, s));

    let published = facts
        .tags
        .date
        .as_deref()
        .and_then(|d| tag_datetime(d).map(|dt| (dt, d)))
        .map(|(dt, written)| {
            Sourced::new(
                dt,
                format!("{date_tag}, `{}`{}", written.trim(), midnight_note(written)),
            )
        })
        .or_else(|| {
            from_name.date.and_then(|d| {
                local_midnight(d).map(|dt| {
                    Sourced::new(
                        dt,
                        format!(
                            "the date the file name `{file_name}` starts with, at midnight in this computer's time zone"
                        ),
                    )
                })
            })
        })
        .unwrap_or_else(|| modified_time(&facts.path));

    let found = discover::companions(&facts.path, files);
    let chapters = match found.chapters.as_deref().and_then(|p| relative(dir, p)) {
        Some(file) => Some(ChaptersFound::File(file)),
        None if facts.format == AudioFormat::Mp3 && facts.tags.chapters > 0 => {
            Some(ChaptersFound::Id3(facts.tags.chapters))
        }
        None => None,
    };
    let vtt = found.vtt.as_deref().and_then(|p| relative(dir, p));
    let srt = found.srt.as_deref().and_then(|p| relative(dir, p));
    let mut transcripts = Vec::new();
    if let Some(file) = &vtt {
        transcripts.push(TranscriptFile {
            file: file.clone(),
            convert_to_vtt: false,
        });
    }
    if let Some(file) = srt {
        transcripts.push(TranscriptFile {
            file,
            convert_to_vtt: vtt.is_none(),
        });
    }

    EpisodeDraft {
        audio: rel,
        summary: summary(facts),
        title,
        season,
        number,
        number_clash: None,
        published,
        chapters,
        transcripts,
        alternates,
    }
}

/// `mp3, 2:17, 321792 bytes`; `ogg/opus, 0:03, 12345 bytes`.
fn summary(facts: &AudioFacts) -> String {
    let secs = facts.whole_seconds();
    let length = if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    };
    let kind = if facts.format.as_str() == facts.codec.as_str() {
        facts.format.to_string()
    } else {
        format!("{}/{}", facts.format, facts.codec.as_str())
    };
    format!("{kind}, {length}, {} bytes", facts.size_bytes)
}

/// A text frame of an MP3's ID3v2 tag that castkit's probe summary does not carry (TPOS). A tag that cannot
/// be read gives nothing: the number is then simply not known.
fn id3_text(path: &Path, ids: &[&str]) -> Option<String> {
    use id3::TagLike;

    let tag = id3::Tag::read_from_path(path).ok()?;
    ids.iter()
        .find_map(|id| tag.get(id).and_then(|f| f.content().text()))
        .and_then(|t| clean(t.trim_end_matches('\0')))
}

/// A tag's date when it names a day (`2023-04-05`, `2023-04-05T10:30`, `2023-04-05T10:30:00Z`): with its
/// own offset if it has one, else in the computer's time zone. A year alone (`2023`) is no publication date.
fn tag_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    let day = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = text[10..].trim_start_matches(['T', ' ']);
    let time = if rest.is_empty() {
        NaiveTime::MIN
    } else {
        ["%H:%M:%S", "%H:%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(rest, f).ok())?
    };
    local(NaiveDateTime::new(day, time))
}

/// `, at midnight in this computer's time zone` for a tag that gives only a day.
fn midnight_note(written: &str) -> &'static str {
    if written.trim().len() == 10 {
        ", at midnight in this computer's time zone"
    } else if DateTime::parse_from_rfc3339(written.trim()).is_ok() {
        ""
    } else {
        ", in this computer's time zone"
    }
}

fn local_midnight(day: NaiveDate) -> Option<DateTime<FixedOffset>> {
    local(NaiveDateTime::new(day, NaiveTime::MIN))
}

/// A wall-clock time in the computer's zone; at a gap (a spring-forward hour) the first moment after it.
fn local(naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            Local
                .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|dt| dt.fixed_offset())
}

/// The file's modification time, to the second, in the computer's zone.
fn modified_time(path: &Path) -> Sourced<DateTime<FixedOffset>> {
    let time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(DateTime::<Local>::from)
        .unwrap_or_else(|_| Local::now());
    let time = time.with_nanosecond_zero().fixed_offset();
    Sourced::new(
        time,
        "the file's modification time (the tags have no full date)",
    )
}

trait WithNanosecondZero {
    fn with_nanosecond_zero(self) -> Self;
}

impl WithNanosecondZero for DateTime<Local> {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

/// Two full episodes may not share a season and number (`build-feed` refuses it): the first in natural
/// order keeps it; the others lose the number, with a `# TODO:` saying why.
fn resolve_number_clashes(episodes: &mut [EpisodeDraft]) {
    let mut first: BTreeMap<(Option<u32>, u32), String> = BTreeMap::new();
    for episode in episodes {
        let Some(number) = episode.number.as_ref().map(|n| n.value) else {
            continue;
        };
        let key = (episode.season.as_ref().map(|s| s.value), number);
        match first.get(&key) {
            Some(owner) => {
                episode.number_clash = Some(format!(
                    "{} says number {number}{}, as `{owner}` does; give this episode its number",
                    episode.number.as_ref().map_or("", |n| n.source.as_str()),
                    key.0.map(|s| format!(" of season {s}")).unwrap_or_default(),
                ));
                episode.number = None;
            }
            None => {
                first.insert(key, episode.audio.clone());
            }
        }
    }
}

/// The album, artist and genre most episodes' tags agree on: the show's name, author and category as
/// tagged. Ties go to the value first in alphabetical order, so the guess does not depend on file order.
fn show_guesses(tags: &[TagSummary]) -> TagGuesses {
    let total = tags.len();
    let most_common = |pick: &dyn Fn(&TagSummary) -> Option<&String>, what: &str| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for t in tags {
            if let Some(v) = pick(t).and_then(|v| clean(v)) {
                *counts.entry(v).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(value, n)| Sourced::new(value, format!("{what} of {n} of the {total} episodes")))
    };
    let album = most_common(&|t| t.album.as_ref(), "the album tag");
    let artist = most_common(&|t| t.artist.as_ref(), "the artist tag");
    let mut genres: Vec<Sourced<Category>> = Vec::new();
    for t in tags {
        let Some(genre) = t.genre.as_deref().and_then(clean) else {
            continue;
        };
        if let Ok(category) = parse_category(&genre)
            && !genres.iter().any(|g| g.value == category)
        {
            genres.push(Sourced::new(category, format!("the genre tag `{genre}`")));
        }
    }
    (album, artist, genres)
}

/// The cover: `media/cover.jpg`, `.jpeg` or `.png` (any case), else the only square JPEG or PNG directly in
/// `media/`.
fn discover_cover(dir: &Path, media: &Path, files: &[PathBuf]) -> Cover {
    let images: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.parent() == Some(media) && discover::is_image_name(p))
        .collect();
    let named = images
        .iter()
        .find(|p| discover::stem(p).eq_ignore_ascii_case("cover"));
    let (path, reason) = match named {
        Some(p) => ((*p).clone(), "it is named `cover`".to_owned()),
        None => {
            let square: Vec<&PathBuf> = images
                .iter()
                .copied()
                .filter(|p| {
                    crate::image::inspect(p).is_ok_and(|f| f.width == f.height && f.width > 0)
                })
                .collect();
            match square.as_slice() {
                [only] => (
                    (*only).clone(),
                    "it is the only square image in `media/`".to_owned(),
                ),
                [] => {
                    return Cover::Missing(
                        "no `cover.jpg` or `cover.png`, and no square image, in `media/`"
                            .to_owned(),
                    );
                }
                several => {
                    let names: Vec<String> = several
                        .iter()
                        .filter_map(|p| relative(dir, p))
                        .map(|n| format!("`{n}`"))
                        .collect();
                    return Cover::Missing(format!(
                        "several square images in `media/` ({}), none named `cover`",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    let Some(rel) = relative(dir, &path) else {
        return Cover::Missing(format!(
            "the cover `{}` has a name that is not UTF-8 text; rename it",
            path.display()
        ));
    };
    let problems = match crate::image::inspect(&path) {
        Ok(facts) => {
            crate::image::apple_artwork_problems(&facts, discover::extension(&path).as_deref())
        }
        Err(e) => vec![Chain(&e).to_string()],
    };
    Cover::Found {
        path: rel,
        reason,
        problems,
    }
}

/// Writes `text` as `dir/episodes.toml`, which must not exist: into a temporary file in `dir`, synced, then
/// linked into place without replacing anything (`persist_noclobber`), so a catalogue that appeared
/// meanwhile is kept and a failure leaves no half-written file. The new file gets mode `0644`, as every
/// file castkit creates.
///
/// (Not the `fsutil` module's atomic write: its rename replaces whatever is there, which is what every
/// other writer wants and exactly what init must not do.)
///
/// # Errors
/// [`InitError::CatalogueExists`] when a catalogue is there, [`InitError::Write`] when writing fails.
pub fn write_new(dir: &Path, text: &str) -> Result<PathBuf, InitError> {
    use crate::fsutil::WriteError;

    let path = dir.join(CATALOGUE_NAME);
    ensure_no_catalogue(dir)?;
    crate::fsutil::write_new(&path, text.as_bytes()).map_err(|e| match e {
        WriteError::Rename { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            InitError::CatalogueExists { path: path.clone() }
        }
        WriteError::Temp { source, .. }
        | WriteError::Write { source, .. }
        | WriteError::Rename { source, .. } => InitError::Write {
            path: path.clone(),
            source,
        },
    })?;
    Ok(path)
}
