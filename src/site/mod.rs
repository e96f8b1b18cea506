//! The show's website, written next to the feed by `build-feed` from the same catalogue and the same
//! measured audio: `index.html` (the show and its episodes, newest first, paged past `[site]
//! episodes_per_page` into `page/N/index.html`), one `episodes/<slug>/index.html` per episode (a player,
//! chapters and transcript cues that seek it, the notes, the persons), and `assets/site.css` and
//! `assets/site.js`.
//!
//! Rendering ([`render()`]) is pure: it returns every file's bytes, the same for the same input (no clock,
//! no map order), so a build can fail on a template before anything is written. [`write()`] then writes
//! each file atomically ([`crate::fsutil::write_atomic`]) unless it already has those bytes, and removes
//! the files an earlier build wrote that this one no longer does: only those, listed in the manifest
//! `.site-files`, never anything else in the folder.

mod model;
mod render;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::json;

use self::model::{
    EpisodeSummary, EpisodeView, HeadView, IndexView, LinkView, NeighbourView, PersonView,
    SeekView, ShowView, clock, seconds_exact,
};
use crate::catalogue::{Catalogue, Episode, EpisodeType, Person};
use crate::chapters::format_seconds;
use crate::fsutil;
use crate::text::{markdown_to_html, truncate_on_word};
use crate::transcripts::{self, TranscriptFormat};

/// The manifest of the files the site wrote, one relative path a line, in the site's folder.
pub const MANIFEST: &str = ".site-files";

/// The longest summary of an episode in the show page's list, in bytes.
const SUMMARY_BYTES: usize = 280;

/// One episode of the site, with what the build measured.
#[derive(Debug, Clone, Copy)]
pub struct SiteEpisode<'a> {
    /// The episode.
    pub episode: &'a Episode,
    /// Its page's slug.
    pub slug: &'a str,
    /// The audio's exact duration in milliseconds, when known.
    pub duration_ms: Option<u64>,
    /// The enclosure's MIME type.
    pub mime: &'a str,
    /// The enclosure's length in bytes.
    pub length: u64,
}

/// A file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Its path below the site's folder, with `/` separators (`episodes/5-4-what/index.html`).
    pub relative: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Every file of the site.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The files, pages first then assets, in a fixed order.
    pub files: Vec<SiteFile>,
    /// How many of them are HTML pages.
    pub pages: usize,
}

/// What [`write()`] did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files written (new or changed).
    pub written: Vec<PathBuf>,
    /// Files of an earlier build removed: no longer part of the site.
    pub removed: Vec<PathBuf>,
}

/// Why the site could not be rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A template does not parse or failed to render.
    #[error(
        "{file}{}: {message}\nhelp: {}",
        line.map(|l| format!(", line {l}")).unwrap_or_default(),
        if *replaced {
            "fix the template, or remove it from the `[site] templates` folder to use castkit's built-in one"
        } else {
            "this is a bug in castkit's built-in templates; please report it, and build with `--no-site` meanwhile"
        }
    )]
    Template {
        /// The template file (or the built-in template's name).
        file: String,
        /// The line of the mistake, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
        /// Whether the template is the show's own (else castkit's built-in one).
        replaced: bool,
    },
    /// A template of the show's could not be read.
    #[error("cannot read the template `{}`", path.display())]
    ReadTemplate {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An episode's transcript could not be read again for its page.
    #[error("cannot read the transcript `{}` for the episode's page", path.display())]
    Transcript {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file of the site could not be written.
    #[error(transparent)]
    Write(#[from] fsutil::WriteError),
    /// A folder of the site could not be created.
    #[error("cannot create the folder `{}`", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file an earlier build wrote could not be removed.
    #[error("cannot remove `{}`, no longer part of the site", path.display())]
    Remove {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Renders the site of `episodes` (the episodes of the feed; live streams are left out: they have no
/// recording yet), for the feed file named `feed_file` in the same folder.
///
/// # Errors
/// [`SiteError`] when a template fails or a transcript cannot be read.
pub fn render(
    catalogue: &Catalogue,
    episodes: &[SiteEpisode<'_>],
    feed_file: &str,
) -> Result<Rendered, SiteError> {
    let templates =
        render::Templates::load(catalogue.site.templates.as_ref().map(|t| t.value.as_path()))?;
    let renderer = templates.environment()?;
    let show = show_view(catalogue, feed_file);
    let mut ordered: Vec<&SiteEpisode<'_>> = episodes
        .iter()
        .filter(|e| e.episode.podcasting.live.is_none())
        .collect();
    // Newest first, with the feed's tie-breakers.
    ordered.sort_by_key(|e| {
        std::cmp::Reverse((
            e.episode.published.timestamp(),
            e.episode.published.timestamp_subsec_nanos(),
            e.episode.season,
            e.episode.number,
            e.episode.index,
        ))
    });
    let summaries: Vec<EpisodeSummary> = ordered.iter().map(|e| summary(catalogue, e)).collect();
    let mut rendered = Rendered::default();

    let per_page = catalogue.site.episodes_per_page.get();
    let chunks: Vec<&[EpisodeSummary]> = if summaries.is_empty() {
        vec![&[]]
    } else {
        summaries.chunks(per_page).collect()
    };
    let page_href = |n: usize| {
        if n == 1 {
            String::new()
        } else {
            format!("page/{n}/")
        }
    };
    for (i, chunk) in chunks.iter().enumerate() {
        let number = i + 1;
        let root = if number == 1 { "" } else { "../../" };
        let href = page_href(number);
        let head = HeadView {
            title: if number == 1 {
                show.title.clone()
            } else {
                format!("{} (page {number})", show.title)
            },
            description: plain_summary(&catalogue.show.description),
            url: format!("{}{href}", show.site_url),
            og_type: "website",
            image: show.cover_url.clone(),
            image_alt: Some(show.cover_alt.clone()),
            audio: None,
        };
        let index = IndexView {
            number,
            count: chunks.len(),
            episodes: chunk.to_vec(),
            prev_href: (number > 1).then(|| page_href(number - 1)),
            next_href: (number < chunks.len()).then(|| page_href(number + 1)),
        };
        let html = renderer.render(
            "index.html",
            json!({
                "show": &show,
                "head": head,
                "root": root,
                "index": index,
                "json_ld": script_json(&series_json_ld(catalogue, &show)),
            }),
        )?;
        rendered.files.push(SiteFile {
            relative: format!("{href}index.html"),
            bytes: html.into_bytes(),
        });
    }

    for (i, e) in ordered.iter().enumerate() {
        let summary = summaries[i].clone();
        // The list is newest first: the previous episode is the next one down.
        let neighbour = |j: usize| {
            summaries.get(j).map(|s| NeighbourView {
                title: s.title.clone(),
                href: s.href.clone(),
            })
        };
        let view = EpisodeView {
            slug: e.slug.to_owned(),
            audio_url: e.episode.audio.url.to_string(),
            audio_facts: audio_facts(e.mime, e.length),
            notes_html: e
                .episode
                .notes
                .as_ref()
                .map(|n| markdown_to_html(&n.markdown)),
            chapters: e
                .episode
                .chapters
                .iter()
                .filter(|c| !c.hidden)
                .map(|c| SeekView {
                    start: format_seconds(c.start_ms),
                    time_text: clock(c.start_ms),
                    title: Some(c.title.clone()),
                    speaker: None,
                    text: None,
                })
                .collect(),
            transcript: transcript(e.episode)?,
            persons: persons(if e.episode.persons.is_empty() {
                &catalogue.show.persons
            } else {
                &e.episode.persons
            }),
            prev: neighbour(i + 1),
            next: i.checked_sub(1).and_then(neighbour),
            summary,
        };
        let url = format!("{}{}", show.site_url, view.summary.href);
        let image = e
            .episode
            .image
            .as_ref()
            .map_or_else(|| show.cover_url.clone(), |m| m.url.to_string());
        let head = HeadView {
            title: format!("{} · {}", e.episode.title, show.title),
            description: e
                .episode
                .notes
                .as_ref()
                .map_or_else(|| e.episode.title.clone(), |n| plain_summary(&n.plain)),
            url: url.clone(),
            og_type: "article",
            image,
            image_alt: None,
            audio: Some(view.audio_url.clone()),
        };
        let json_ld = episode_json_ld(catalogue, &show, e, &view, &url);
        let html = renderer.render(
            "episode.html",
            json!({
                "show": &show,
                "head": head,
                "root": "../../",
                "episode": view,
                "json_ld": script_json(&json_ld),
            }),
        )?;
        rendered.files.push(SiteFile {
            relative: format!("episodes/{}/index.html", e.slug),
            bytes: html.into_bytes(),
        });
    }
    rendered.pages = rendered.files.len();
    for asset in ["site.css", "site.js"] {
        rendered.files.push(SiteFile {
            relative: format!("assets/{asset}"),
            bytes: templates.asset(asset).as_bytes().to_vec(),
        });
    }
    Ok(rendered)
}

/// Writes the site into `dir`: each file unless it already holds the same bytes, then the manifest, then
/// removes the files the previous manifest lists that this site no longer has (and the folders they leave
/// empty).
///
/// # Errors
/// [`SiteError`] when a file cannot be written or removed; the files written before stay valid.
pub fn write(dir: &Path, rendered: &Rendered) -> Result<Written, SiteError> {
    let mut written = Written::default();
    for file in &rendered.files {
        let path = dir.join(&file.relative);
        if write_if_changed(&path, &file.bytes)? {
            written.written.push(path);
        }
    }
    let manifest_path = dir.join(MANIFEST);
    let before = std::fs::read_to_string(&manifest_path).unwrap_or_default();
    let now: BTreeSet<&str> = rendered.files.iter().map(|f| f.relative.as_str()).collect();
    let mut manifest = String::from(
        "# The files `castkit build-feed` wrote for the show's website; it removes them when the site no longer has them.\n",
    );
    for relative in &now {
        manifest.push_str(relative);
        manifest.push('\n');
    }
    write_if_changed(&manifest_path, manifest.as_bytes())?;
    for stale in before
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|l| !now.contains(l))
        .filter(|l| is_site_path(l))
    {
        let path = dir.join(stale);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(SiteError::Remove { path, source }),
        }
        // The folders it leaves empty (`episodes/<slug>/`, `page/3/`), up to the site's own folder.
        let mut parent = path.parent();
        while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
        written.removed.push(path);
    }
    Ok(written)
}

/// Whether a manifest line names a file the site could have written: a relative path below the folder,
/// in one of its own places. Anything else (an edited manifest) is never removed.
fn is_site_path(line: &str) -> bool {
    let path = Path::new(line);
    let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
    normal
        && (line == "index.html"
            || line.starts_with("page/")
            || line.starts_with("episodes/")
            || line.starts_with("assets/"))
}

/// Writes `bytes` to `path` atomically unless it already holds them. Returns whether it wrote. Two builds of
/// one show into one folder (`--out a.xml` and `--out b.xml`) write the same site files at once: each
/// atomic write leaves the other's temporary file alone (see `fsutil`), so both succeed.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, SiteError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| SiteError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    fsutil::write_atomic(path, |w| w.write_all(bytes))?;
    Ok(true)
}

fn show_view(catalogue: &Catalogue, feed_file: &str) -> ShowView {
    let show = &catalogue.show;
    let site_url = show
        .feed_url
        .join("./")
        .map_or_else(|_| show.feed_url.to_string(), |u| u.to_string());
    let cover_alt = show
        .podcasting
        .images
        .iter()
        .find(|i| i.file.url == show.image.url)
        .and_then(|i| i.alt.clone())
        .unwrap_or_else(|| format!("The cover art of {}", show.title));
    ShowView {
        title: show.title.clone(),
        author: show.author.clone(),
        language: show.language.clone(),
        description_html: markdown_to_html(&show.description),
        feed_file: feed_file.to_owned(),
        feed_url: show.feed_url.to_string(),
        site_url,
        link: show.link.to_string(),
        cover_url: show.image.url.to_string(),
        cover_alt,
        copyright: show.copyright.clone(),
        hosts: persons(&show.persons),
        subscribe: catalogue
            .site
            .subscribe
            .iter()
            .map(|s| LinkView {
                name: s.name.clone(),
                url: s.url.to_string(),
            })
            .collect(),
    }
}

fn persons(persons: &[Person]) -> Vec<PersonView> {
    persons
        .iter()
        .map(|p| PersonView {
            name: p.name.clone(),
            role: p.role.to_owned(),
            href: p.href.as_ref().map(ToString::to_string),
        })
        .collect()
}

/// The publication date in the show's time zone (else as written).
fn local_date(catalogue: &Catalogue, published: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match catalogue.show.timezone {
        Some(tz) => published.with_timezone(&tz).fixed_offset(),
        None => *published,
    }
}

fn summary(catalogue: &Catalogue, e: &SiteEpisode<'_>) -> EpisodeSummary {
    let episode = e.episode;
    let date = local_date(catalogue, &episode.published);
    let numbering = match (episode.episode_type, episode.season, episode.number) {
        (EpisodeType::Trailer, _, _) => Some("Trailer".to_owned()),
        (EpisodeType::Bonus, _, _) => Some("Bonus".to_owned()),
        (EpisodeType::Full, Some(s), Some(n)) => Some(format!("Season {s}, episode {n}")),
        (EpisodeType::Full, None, Some(n)) => Some(format!("Episode {n}")),
        (EpisodeType::Full, Some(s), None) => Some(format!("Season {s}")),
        (EpisodeType::Full, None, None) => None,
    };
    EpisodeSummary {
        title: episode.title.clone(),
        href: format!("episodes/{}/", e.slug),
        numbering,
        date_iso: date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        date_text: date.format("%Y-%m-%d").to_string(),
        duration_seconds: e.duration_ms.map(seconds_exact),
        duration_text: e.duration_ms.map(clock),
        summary: episode.notes.as_ref().map(|n| plain_summary(&n.plain)),
    }
}

/// Plain text on one line, cut at a word boundary to a summary's length.
fn plain_summary(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_on_word(&one_line, SUMMARY_BYTES).into_owned()
}

/// `MP3, 12.3 MB`: the download link's facts.
fn audio_facts(mime: &str, length: u64) -> String {
    let kind = match mime {
        "audio/mpeg" => "MP3".to_owned(),
        "audio/x-m4a" | "audio/mp4" | "audio/aac" => "AAC".to_owned(),
        "audio/ogg" | "audio/opus" => "Ogg".to_owned(),
        "audio/flac" => "FLAC".to_owned(),
        "audio/wav" | "audio/x-wav" => "WAV".to_owned(),
        "video/mp4" | "video/x-m4v" | "video/quicktime" => "video".to_owned(),
        other => other.to_owned(),
    };
    let size = if length >= 1_000_000 {
        format!("{:.1} MB", length as f64 / 1e6)
    } else {
        format!("{} kB", length.div_ceil(1000))
    };
    format!("{kind}, {size}")
}

/// The cues of the episode's first timed transcript in the media folder (WebVTT, else SRT, else JSON).
fn transcript(episode: &Episode) -> Result<Vec<SeekView>, SiteError> {
    let rank = |format: TranscriptFormat| match format {
        TranscriptFormat::Vtt => 0,
        TranscriptFormat::Srt => 1,
        TranscriptFormat::Json => 2,
        TranscriptFormat::Html | TranscriptFormat::Text => 3,
    };
    let best = episode
        .transcripts
        .iter()
        .filter_map(|t| Some((t.file.path.as_ref()?, t.facts.as_ref()?.format)))
        .filter(|(_, format)| rank(*format) < 3)
        .min_by_key(|(_, format)| rank(*format));
    let Some((path, format)) = best else {
        return Ok(Vec::new());
    };
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| SiteError::Transcript {
        path: path.clone(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(|e| failed(Box::new(e)))?;
    let cues = transcripts::cues(&text, format).map_err(|e| failed(Box::new(e)))?;
    Ok(cues
        .into_iter()
        .map(|cue| SeekView {
            start: format_seconds(cue.start_ms),
            time_text: clock(cue.start_ms),
            title: None,
            speaker: cue.speaker,
            text: Some(cue.text),
        })
        .collect())
}

/// schema.org's `PodcastSeries` for the show page.
fn series_json_ld(catalogue: &Catalogue, show: &ShowView) -> serde_json::Value {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "PodcastSeries",
        "name": show.title,
        "description": plain_summary(&crate::text::markdown_to_plain(&catalogue.show.description)),
        "url": show.site_url,
        "webFeed": show.feed_url,
        "image": show.cover_url,
        "inLanguage": show.language,
        "author": { "@type": "Organization", "name": show.author },
    });
    if !show.hosts.is_empty() {
        value["actor"] = persons_json_ld(&show.hosts);
    }
    value
}

/// schema.org's `PodcastEpisode` for an episode page.
fn episode_json_ld(
    catalogue: &Catalogue,
    show: &ShowView,
    e: &SiteEpisode<'_>,
    view: &EpisodeView,
    url: &str,
) -> serde_json::Value {
    let mut media = json!({
        "@type": "AudioObject",
        "contentUrl": view.audio_url,
        "encodingFormat": e.mime,
        "contentSize": e.length.to_string(),
    });
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": e.episode.title,
        "url": url,
        "datePublished": view.summary.date_iso,
        "associatedMedia": media.clone(),
        "partOfSeries": {
            "@type": "PodcastSeries",
            "name": show.title,
            "url": show.site_url,
            "webFeed": show.feed_url,
        },
        "inLanguage": catalogue.show.language,
    });
    if let Some(ms) = e.duration_ms {
        let duration = iso_duration(ms);
        media["duration"] = json!(duration);
        value["associatedMedia"] = media;
        value["timeRequired"] = json!(duration);
    }
    if let Some(notes) = &e.episode.notes {
        value["description"] = json!(plain_summary(&notes.plain));
    }
    if let Some(n) = e.episode.number {
        value["episodeNumber"] = json!(n);
    }
    if let Some(s) = e.episode.season {
        value["partOfSeason"] = json!({ "@type": "PodcastSeason", "seasonNumber": s });
    }
    if !view.persons.is_empty() {
        value["actor"] = persons_json_ld(&view.persons);
    }
    value
}

fn persons_json_ld(persons: &[PersonView]) -> serde_json::Value {
    persons
        .iter()
        .map(|p| {
            let mut person = json!({ "@type": "Person", "name": p.name, "jobTitle": p.role });
            if let Some(href) = &p.href {
                person["url"] = json!(href);
            }
            person
        })
        .collect()
}

/// `PT1H2M3.456S`: an ISO 8601 duration, as schema.org reads it.
fn iso_duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m) = (s / 3600, s / 60 % 60);
    let seconds = format_seconds(ms - (s - s % 60) * 1000);
    match (h, m) {
        (0, 0) => format!("PT{seconds}S"),
        (0, m) => format!("PT{m}M{seconds}S"),
        (h, m) => format!("PT{h}H{m}M{seconds}S"),
    }
}

/// JSON text safe inside `<script>`: `</` can end the element and `<!--` can open a comment there, so
/// they are escaped (`<\/`, `\u003c!--`); the JSON means the same.
fn script_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
}

#[cfg(test)]
mod tests;
