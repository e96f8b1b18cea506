//! Lowering: the spanned TOML tree → the checked [`Catalogue`], with a finding for every mistake.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use toml::de::{DeTable, DeValue};
use url::Url;

use super::reader::{At, Sink, TableReader};
use super::rules;
use super::{
    Catalogue, Category, Episode, EpisodeType, Funding, License, Location, MediaRef, Owner, Person,
    Show, ShowType,
};
use crate::diag::suggest::did_you_mean;
use crate::diag::{Diagnostic, SourceFile};
use crate::feed::text::{APPLE_DESCRIPTION_LIMIT, is_xml_char, markdown_to_plain};
use crate::feed::vocab;

/// Lowers the catalogue text. Returns the model when every required part could be read (the caller drops it
/// if any finding is an error) and all findings.
pub(super) fn lower(
    source: &SourceFile,
    path: &Path,
    root: &Path,
) -> (Option<Catalogue>, Vec<Diagnostic>) {
    let mut sink = Sink {
        source,
        diagnostics: Vec::new(),
    };
    let (document, syntax_errors) = DeTable::parse_recoverable(source.text());
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            let span = error.span().unwrap_or(0..0);
            sink.report(
                &rules::SYNTAX,
                span,
                error.message().trim().to_owned(),
                Some(
                    "see https://toml.io for the syntax; strings need quotes, dates do not"
                        .to_owned(),
                ),
            );
        }
        return (None, sink.diagnostics);
    }
    let mut top = TableReader::new(document.get_ref(), 0..0, "the catalogue");
    let show_table = top.table(&mut sink, "show");
    let episode_tables = top.tables(&mut sink, "episode", |i| {
        episode_label(document.get_ref(), i)
    });
    top.finish(&mut sink);

    let Some(show_table) = show_table else {
        if !sink
            .diagnostics
            .iter()
            .any(|d| d.code() == rules::WRONG_TYPE.code)
        {
            sink.report(
                &rules::MISSING_FIELD,
                0..0,
                "the catalogue has no `[show]` table",
                Some(
                    "start the file with `[show]` and the show's title, description, feed_url…"
                        .to_owned(),
                ),
            );
        }
        return (None, sink.diagnostics);
    };
    let mut show_table = show_table;
    show_table.rename("`[show]`");
    let (show, context) = lower_show(&mut sink, &mut show_table, root);
    show_table.finish(&mut sink);

    let mut episodes = Vec::new();
    let mut guid_spans: Vec<(At<String>, Range<usize>, String)> = Vec::new();
    for (index, mut table) in episode_tables.into_iter().enumerate() {
        let (episode, guid) = lower_episode(&mut sink, &mut table, index, &context);
        table.finish(&mut sink);
        if let Some(g) = guid {
            guid_spans.push((g, table.label_span(), table.context().to_owned()));
        }
        if let Some(episode) = episode {
            episodes.push(episode);
        }
    }
    check_duplicate_guids(&mut sink, &guid_spans);
    check_duplicates(&mut sink, &episodes);

    let catalogue = show.map(|show| Catalogue {
        path: path.to_path_buf(),
        root: root.to_path_buf(),
        show,
        episodes,
    });
    (catalogue, sink.diagnostics)
}

/// An episode's name for messages, taken from its own fields when they are readable: `episode 5.4`, else its
/// position `episode #3`.
fn episode_label(document: &DeTable<'_>, index: usize) -> String {
    let table = document
        .get("episode")
        .and_then(|v| v.get_ref().as_array())
        .and_then(|a| a.get(index))
        .and_then(|v| v.get_ref().as_table());
    let int = |key: &str| {
        table
            .and_then(|t| t.get(key))
            .and_then(|v| v.get_ref().as_integer())
            .map(|i| i.as_str().to_owned())
    };
    match (int("season"), int("number")) {
        (Some(s), Some(n)) => format!("episode {s}.{n}"),
        (None, Some(n)) => format!("episode {n}"),
        _ => format!("episode #{}", index + 1),
    }
}

/// What episodes need from the show even when other parts of `[show]` have mistakes, so that the episodes
/// are still checked in the same run.
pub(super) struct Context<'r> {
    pub(super) root: &'r Path,
    /// The media folder, if it exists.
    media_dir: Option<PathBuf>,
    /// The media folder as written (or the default), for messages.
    media_dir_written: String,
    /// The media base URL, if it is valid.
    base_url: Option<Url>,
    /// The show's time zone, if given and valid.
    timezone: Option<chrono_tz::Tz>,
    /// Whether a `timezone` was written (even an invalid one), so dates are not reported twice.
    timezone_written: bool,
}

fn lower_show<'r>(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    root: &'r Path,
) -> (Option<Show>, Context<'r>) {
    let show_span = t.span();
    let title = t.required_string(
        sink,
        "title",
        "the show's name, and nothing else (no keywords)",
    );
    let description = t.required_string(
        sink,
        "description",
        "a description of the show in Markdown; apps show it on the show's page",
    );
    let link = t
        .required_string(
            sink,
            "link",
            "the show's website, e.g. `link = \"https://example.com/show\"`",
        )
        .and_then(|v| url_field(sink, &v, "link"));
    let feed_url = t
        .required_string(
            sink,
            "feed_url",
            "the public URL the feed will be served from, e.g. `feed_url = \"https://example.com/feed.xml\"`",
        )
        .and_then(|v| url_field(sink, &v, "feed_url"));
    let media_base_url = t
        .required_string(
            sink,
            "media_base_url",
            "the public URL where the media folder is served, e.g. `media_base_url = \"https://example.com/media/\"`",
        )
        .and_then(|v| url_field(sink, &v, "media_base_url"));
    let media_dir_written = t.string(sink, "media_dir");
    let language = t
        .required_string(
            sink,
            "language",
            "an ISO 639 language code such as `en` or `zh-cn`",
        )
        .and_then(|v| language_field(sink, v));
    let author = t.required_string(
        sink,
        "author",
        "the person, group or network behind the show",
    );
    let owner = t.table(sink, "owner").and_then(|mut o| {
        let name = o.required_string(sink, "name", "the owner's name");
        let email = o
            .required_string(sink, "email", "the owner's email address")
            .and_then(|e| email_field(sink, e, "email"));
        o.finish(sink);
        Some(Owner {
            name: name?.value,
            email: email?,
        })
    });
    let image_written = t.required_string(
        sink,
        "image",
        "the cover art: a square JPEG or PNG of 1400–3000 px, e.g. `image = \"media/cover.jpg\"`",
    );
    let categories = categories_field(sink, t);
    let explicit = match t.bool(sink, "explicit") {
        Some(b) => Some(b.value),
        None if !t.has("explicit") && !t.has_near_miss("explicit") => {
            sink.report(
                &rules::MISSING_FIELD,
                show_span.clone(),
                "`[show]` has no `explicit`",
                Some("Apple requires it: add `explicit = false` (or `true` if the show has explicit content)".to_owned()),
            );
            None
        }
        None => None,
    };
    let show_type = t.string(sink, "type").and_then(|v| {
        choice(
            sink,
            &v,
            "type",
            &[
                ("episodic", ShowType::Episodic),
                ("serial", ShowType::Serial),
            ],
        )
    });
    let copyright = t.string(sink, "copyright");
    let keywords = keywords_field(sink, t);
    let complete = t.bool(sink, "complete").is_some_and(|b| b.value);
    let block = t.bool(sink, "block").is_some_and(|b| b.value);
    let new_feed_url = t
        .string(sink, "new_feed_url")
        .and_then(|v| url_field(sink, &v, "new_feed_url"));
    let guid_override = t.string(sink, "podcast_guid").and_then(|v| {
        match uuid::Uuid::parse_str(v.value.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                sink.report(
                    &rules::INVALID_VALUE,
                    v.span.clone(),
                    format!("`podcast_guid` `{}` is not a UUID", v.value),
                    Some("remove it to use the UUIDv5 of `feed_url`, as the Podcasting 2.0 namespace specifies; keep it only to carry over the guid of a feed that moved".to_owned()),
                );
                None
            }
        }
    });
    let locked = t.bool(sink, "locked").map(|b| b.value);
    let funding = t
        .tables(sink, "funding", |i| {
            format!("`[[show.funding]]` #{}", i + 1)
        })
        .into_iter()
        .filter_map(|mut f| {
            let out = funding_entry(sink, &mut f);
            f.finish(sink);
            out
        })
        .collect();
    let persons = persons_field(sink, t, "`[[show.person]]`");
    let license = license_field(sink, t);
    let medium = t.string(sink, "medium").and_then(|v| {
        if vocab::MEDIUMS.contains(&v.value.as_str()) {
            Some(v.value)
        } else {
            let hint = did_you_mean(&v.value, vocab::MEDIUMS.iter().copied())
                .map(|m| format!("did you mean `{m}`?"))
                .unwrap_or_else(|| format!("use one of: {}", vocab::MEDIUMS.join(", ")));
            sink.report(
                &rules::INVALID_VALUE,
                v.span,
                format!("`medium` `{}` is not a Podcasting 2.0 medium", v.value),
                Some(hint),
            );
            None
        }
    });
    let location = t.table(sink, "location").and_then(|mut l| {
        let out = location_entry(sink, &mut l);
        l.finish(sink);
        out
    });
    let timezone_written = t.has("timezone");
    let timezone =
        t.string(sink, "timezone")
            .and_then(|v| match chrono_tz::Tz::from_str(v.value.trim()) {
                Ok(tz) => Some(tz),
                Err(_) => {
                    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
                    let hint = did_you_mean(&v.value, names)
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            "use an IANA zone name such as `Asia/Shanghai` or `Europe/London`"
                                .to_owned()
                        });
                    sink.report(
                        &rules::INVALID_TIMEZONE,
                        v.span,
                        format!("`timezone` `{}` is not a time zone name", v.value),
                        Some(hint),
                    );
                    None
                }
            });

    for text in [&title, &description, &author, &copyright]
        .into_iter()
        .flatten()
    {
        check_xml_chars(sink, text);
    }
    if let Some(d) = &description {
        let plain = markdown_to_plain(&d.value);
        if plain.len() > APPLE_DESCRIPTION_LIMIT {
            sink.report(
                &rules::TEXT_TOO_LONG,
                d.span.clone(),
                format!(
                    "the show's description is {} bytes as plain text; Apple's limit is {APPLE_DESCRIPTION_LIMIT}",
                    plain.len()
                ),
                Some("castkit cuts it at a word boundary in the feed; shorten it to choose where".to_owned()),
            );
        }
    }

    let media_dir_rel = media_dir_written
        .as_ref()
        .map_or_else(|| "media".to_owned(), |m| m.value.clone());
    let media_dir = root.join(&media_dir_rel);
    let media_dir_exists = media_dir.is_dir();
    if !media_dir_exists {
        let span = media_dir_written
            .as_ref()
            .map_or(show_span.clone(), |m| m.span.clone());
        sink.report(
            &rules::MEDIA_NOT_FOUND,
            span,
            format!("the media folder `{}` does not exist", media_dir_rel),
            Some(
                "create it and put the audio and cover art in it, or set `media_dir` in `[show]`"
                    .to_owned(),
            ),
        );
    }
    let context = Context {
        root,
        media_dir: media_dir_exists.then_some(media_dir),
        media_dir_written: media_dir_rel,
        base_url: media_base_url,
        timezone,
        timezone_written,
    };
    let image =
        image_written.and_then(|w| context.reference(sink, &w, MediaKind::Image, "the show"));
    let show = (|| {
        let feed_url = feed_url?;
        let podcast_guid =
            guid_override.unwrap_or_else(|| vocab::podcast_guid_for_feed_url(feed_url.as_str()));
        Some(Show {
            title: title?.value,
            description: description?.value,
            link: link?,
            feed_url,
            media_base_url: context.base_url.clone()?,
            media_dir: context.media_dir.clone()?,
            language: language?,
            author: author?.value,
            owner,
            image: image?,
            categories: categories?,
            explicit: explicit?,
            show_type: show_type.unwrap_or_default(),
            copyright: copyright.map(|c| c.value),
            keywords,
            complete,
            block,
            new_feed_url,
            podcast_guid,
            locked,
            funding,
            persons,
            license,
            medium: medium.unwrap_or_else(|| "podcast".to_owned()),
            location,
            timezone: context.timezone,
        })
    })();
    (show, context)
}

fn lower_episode(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    index: usize,
    context: &Context<'_>,
) -> (Option<Episode>, Option<At<String>>) {
    let span = t.span();
    let title = t.required_string(
        sink,
        "title",
        "the episode's title, without episode or season numbers",
    );
    let audio_written = t.required_string(
        sink,
        "audio",
        "the audio file, relative to the catalogue, e.g. `audio = \"media/episode-1.mp3\"`",
    );
    let published = t.datetime(sink, "published");
    if published.is_none() && !t.has("published") && !t.has_near_miss("published") {
        sink.report(
            &rules::MISSING_FIELD,
            span.clone(),
            format!("{} has no `published` date", t.context()),
            Some("add e.g. `published = 2024-05-01T08:00:00+08:00`".to_owned()),
        );
    }
    let notes = t.string(sink, "notes");
    let season = t.positive_integer(sink, "season");
    let number = t.positive_integer(sink, "number");
    let episode_type = t.string(sink, "type").and_then(|v| {
        choice(
            sink,
            &v,
            "type",
            &[
                ("full", EpisodeType::Full),
                ("trailer", EpisodeType::Trailer),
                ("bonus", EpisodeType::Bonus),
            ],
        )
    });
    let explicit = t.bool(sink, "explicit").map(|b| b.value);
    let image_written = t.string(sink, "image");
    let link = t
        .string(sink, "link")
        .and_then(|v| url_field(sink, &v, "link"));
    let keywords = keywords_field(sink, t);
    let persons = persons_field(sink, t, &format!("`[[episode.person]]` of {}", t.context()));
    let guid = t.string(sink, "guid").and_then(|g| guid_field(sink, g));
    let draft = t.bool(sink, "draft").is_some_and(|b| b.value);
    let block = t.bool(sink, "block").is_some_and(|b| b.value);

    if !draft
        && notes.as_ref().is_none_or(|n| n.value.trim().is_empty())
        && !t.has_near_miss("notes")
    {
        sink.report(
            &rules::NO_NOTES,
            span.clone(),
            format!(
                "{} has no `notes`; its description in the feed is its title",
                t.context()
            ),
            Some("write the show notes in Markdown: `notes = \"\"\"…\"\"\"`".to_owned()),
        );
    }
    for text in [&title, &notes].into_iter().flatten() {
        check_xml_chars(sink, text);
    }
    if let Some(n) = &notes {
        let plain = markdown_to_plain(&n.value);
        if plain.len() > APPLE_DESCRIPTION_LIMIT {
            sink.report(
                &rules::TEXT_TOO_LONG,
                n.span.clone(),
                format!(
                    "the notes of {} are {} bytes as plain text; Apple's limit for `<description>` is {APPLE_DESCRIPTION_LIMIT}",
                    t.context(),
                    plain.len()
                ),
                Some("castkit cuts the plain-text description at a word boundary; the full notes stay in `content:encoded`".to_owned()),
            );
        }
    }

    let label = t.context().to_owned();
    let audio = audio_written.and_then(|w| context.reference(sink, &w, MediaKind::Audio, &label));
    let extras = super::companions::read(
        sink,
        t,
        context,
        &label,
        audio.as_ref().and_then(|a| a.path.as_deref()),
        notes.as_ref(),
    );
    let image = image_written.and_then(|w| context.reference(sink, &w, MediaKind::Image, &label));
    let published = published.and_then(|p| datetime_field(sink, &p, context, &label));
    let (Some(title), Some(audio), Some(published)) = (title, audio, published) else {
        return (None, guid);
    };
    let episode = Episode {
        index,
        span,
        title: title.value,
        audio,
        published,
        notes: notes.map(|n| n.value),
        season: season.map(|s| s.value),
        number: number.map(|n| n.value),
        episode_type: episode_type.unwrap_or_default(),
        explicit,
        image,
        link,
        keywords,
        persons,
        guid: guid.as_ref().map(|g| g.value.clone()),
        draft,
        block,
        chapters: extras.chapters,
        chapters_origin: extras.chapters_origin,
        transcripts: extras.transcripts,
        soundbites: extras.soundbites,
        alternates: extras.alternates,
    };
    (Some(episode), guid)
}

fn check_duplicate_guids(sink: &mut Sink<'_>, guids: &[(At<String>, Range<usize>, String)]) {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (guid, _, label)) in guids.iter().enumerate() {
        if let Some(&j) = first.get(guid.value.as_str()) {
            let (_, first_span, _) = &guids[j];
            let line = sink.source.line_col(first_span.start).0;
            sink.report(
                &rules::DUPLICATE_GUID,
                guid.span.clone(),
                format!("{label} has the same guid as the episode at line {line}"),
                Some("keep the guid of the episode that was published with it, and delete the other's: castkit gives it a new one".to_owned()),
            );
        } else {
            first.insert(&guid.value, i);
        }
    }
}

fn check_duplicates(sink: &mut Sink<'_>, episodes: &[Episode]) {
    let mut first_number: BTreeMap<(Option<u32>, u32), usize> = BTreeMap::new();
    let mut first_audio: BTreeMap<&Path, usize> = BTreeMap::new();
    for (i, episode) in episodes.iter().enumerate() {
        // Trailers and bonus episodes may carry the number of the episode they belong to (Apple's guide).
        if let (EpisodeType::Full, Some(number)) = (episode.episode_type, episode.number) {
            if let Some(&first) = first_number.get(&(episode.season, number)) {
                let line = sink.source.line_col(episodes[first].span.start).0;
                sink.report(
                    &rules::DUPLICATE_EPISODE_NUMBER,
                    episode.span.clone(),
                    format!(
                        "{} has the same season and episode number as the episode at line {line}",
                        episode.label()
                    ),
                    Some("give each full episode its own `number` within its season; trailers and bonus episodes may share one".to_owned()),
                );
            } else {
                first_number.insert((episode.season, number), i);
            }
        }
        if let Some(path) = &episode.audio.path {
            if let Some(&first) = first_audio.get(path.as_path()) {
                let line = sink.source.line_col(episodes[first].span.start).0;
                sink.report(
                    &rules::DUPLICATE_AUDIO,
                    episode.span.clone(),
                    format!(
                        "{} uses the audio file `{}`, as the episode at line {line} does",
                        episode.label(),
                        episode.audio.written
                    ),
                    Some("each episode needs its own audio file".to_owned()),
                );
            } else {
                first_audio.insert(path, i);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaKind {
    /// An episode's audio (must be local).
    Audio,
    /// Show or episode artwork (checked against Apple's rules).
    Image,
    /// Another published file: a chapter image, a transcript.
    Asset,
}

impl Context<'_> {
    /// Resolves a media path (or, for images, an absolute URL) into a [`MediaRef`], checking that the file
    /// exists, that it is inside the media folder and, for images, Apple's artwork rules.
    pub(super) fn reference(
        &self,
        sink: &mut Sink<'_>,
        written: &At<String>,
        kind: MediaKind,
        owner: &str,
    ) -> Option<MediaRef> {
        let field = match kind {
            MediaKind::Audio => "audio",
            MediaKind::Image => "image",
            MediaKind::Asset => "file",
        };
        if written.value.starts_with("http://") || written.value.starts_with("https://") {
            if kind == MediaKind::Audio {
                sink.report(
                    &rules::OUTSIDE_MEDIA_DIR,
                    written.span.clone(),
                    format!("the audio of {owner} is a URL; castkit needs the file itself"),
                    Some("put the file in the media folder and name it by its path, e.g. `audio = \"media/episode.mp3\"`; castkit builds the public URL from `media_base_url`".to_owned()),
                );
                return None;
            }
            let url = url_field(sink, written, field)?;
            return Some(MediaRef {
                path: None,
                written: written.value.clone(),
                span: written.span.clone(),
                url,
            });
        }
        let path = normalize(&self.root.join(&written.value));
        // Without a media folder there is nothing to resolve against; that was reported already.
        let media_dir = normalize(self.media_dir.as_deref()?);
        let Ok(below) = path.strip_prefix(&media_dir) else {
            sink.report(
                &rules::OUTSIDE_MEDIA_DIR,
                written.span.clone(),
                format!(
                    "`{}` ({owner}) is not inside the media folder `{}`",
                    written.value, self.media_dir_written
                ),
                Some(format!(
                    "move it into `{}`: public URLs are `media_base_url` plus the path below that folder",
                    self.media_dir_written
                )),
            );
            return None;
        };
        if !path.is_file() {
            let what = match kind {
                MediaKind::Audio => "audio file",
                MediaKind::Image => "image",
                MediaKind::Asset => "file",
            };
            let help = nearest_file_name(&path)
                .map(|n| {
                    format!("did you mean `{n}`? (paths are relative to the catalogue's folder)")
                })
                .unwrap_or_else(|| {
                    "paths are relative to the folder that holds the catalogue".to_owned()
                });
            sink.report(
                &rules::MEDIA_NOT_FOUND,
                written.span.clone(),
                format!("{owner}: {what} `{}` not found", written.value),
                Some(help),
            );
            return None;
        }
        if kind == MediaKind::Image {
            check_artwork(sink, written, &path, owner);
        }
        let mut url = self.base_url.clone()?;
        {
            let Ok(mut segments) = url.path_segments_mut() else {
                // Checked when the base URL was read: it is an http(s) URL, which always has path segments.
                return None;
            };
            segments.pop_if_empty();
            for part in below.components() {
                segments.push(&part.as_os_str().to_string_lossy());
            }
        }
        Some(MediaRef {
            path: Some(path),
            written: written.value.clone(),
            span: written.span.clone(),
            url,
        })
    }
}

fn check_artwork(sink: &mut Sink<'_>, written: &At<String>, path: &Path, owner: &str) {
    let extension = path.extension().and_then(|e| e.to_str());
    match crate::image::inspect(path) {
        Ok(facts) => {
            let problems = crate::image::apple_artwork_problems(&facts, extension);
            if !problems.is_empty() {
                sink.report(
                    &rules::IMAGE_REQUIREMENTS,
                    written.span.clone(),
                    format!(
                        "the image `{}` ({owner}) does not meet Apple's artwork rules: {}",
                        written.value,
                        problems.join("; ")
                    ),
                    Some(
                        "export a square RGB JPEG or PNG between 1400×1400 and 3000×3000 pixels"
                            .to_owned(),
                    ),
                );
            }
        }
        Err(e) => sink.report(
            &rules::IMAGE_REQUIREMENTS,
            written.span.clone(),
            format!(
                "the image `{}` ({owner}) cannot be used: {e}",
                written.value
            ),
            Some("use a JPEG or PNG file".to_owned()),
        ),
    }
}

/// The name of the file in the same folder that is closest to the missing one's.
fn nearest_file_name(missing: &Path) -> Option<String> {
    let dir = missing.parent()?;
    let wanted = missing.file_name()?.to_string_lossy().into_owned();
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    did_you_mean(&wanted, names.iter().map(String::as_str)).map(str::to_owned)
}

/// Removes `.` and resolves `..` lexically, so containment can be checked without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub(super) fn url_field(sink: &mut Sink<'_>, value: &At<String>, field: &str) -> Option<Url> {
    let text = value.value.trim();
    match Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            if url.scheme() == "http" {
                sink.report(
                    &rules::INSECURE_URL,
                    value.span.clone(),
                    format!("`{field}` `{text}` uses http"),
                    Some(format!(
                        "use `{}` if the server supports it",
                        text.replacen("http:", "https:", 1)
                    )),
                );
            }
            Some(url)
        }
        Ok(url) => {
            sink.report(
                &rules::INVALID_URL,
                value.span.clone(),
                format!(
                    "`{field}` `{text}` is a `{}:` URL, not a web address",
                    url.scheme()
                ),
                Some("use an absolute `https://` URL".to_owned()),
            );
            None
        }
        Err(e) => {
            sink.report(
                &rules::INVALID_URL,
                value.span.clone(),
                format!("`{field}` `{text}` is not a valid URL: {e}"),
                Some("use an absolute URL such as `https://example.com/path`".to_owned()),
            );
            None
        }
    }
}

fn email_field(sink: &mut Sink<'_>, value: At<String>, field: &str) -> Option<String> {
    let text = value.value.trim();
    if crate::feed::vocab::is_email_address(text) {
        Some(text.to_owned())
    } else {
        sink.report(
            &rules::INVALID_EMAIL,
            value.span,
            format!("`{field}` `{text}` is not an email address"),
            Some("write the bare address, e.g. `podcast@example.com`".to_owned()),
        );
        None
    }
}

pub(super) fn language_field(sink: &mut Sink<'_>, value: At<String>) -> Option<String> {
    let text = value.value.trim();
    if crate::feed::vocab::is_language_code(text) {
        Some(text.to_ascii_lowercase())
    } else {
        sink.report(
            &rules::INVALID_LANGUAGE,
            value.span,
            format!("`language` `{text}` is not a language code"),
            Some(
                "use an ISO 639 code, optionally with a region: `en`, `en-us`, `zh-cn`".to_owned(),
            ),
        );
        None
    }
}

fn choice<T: Copy>(
    sink: &mut Sink<'_>,
    value: &At<String>,
    field: &str,
    options: &[(&str, T)],
) -> Option<T> {
    if let Some((_, v)) = options.iter().find(|(name, _)| *name == value.value) {
        return Some(*v);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let hint = match did_you_mean(&value.value, names.iter().copied()) {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    sink.report(
        &rules::INVALID_VALUE,
        value.span.clone(),
        format!(
            "`{field}` `{}` is not one of {}",
            value.value,
            names.join(", ")
        ),
        Some(hint),
    );
    None
}

fn categories_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Option<Vec<Category>> {
    let present = t.has("categories");
    let written = t.string_array(sink, "categories");
    if written.is_empty() {
        if (!present && !t.has_near_miss("categories"))
            || t.value("categories")
                .is_some_and(|v| v.get_ref().as_array().is_some_and(|a| a.is_empty()))
        {
            sink.report(
                &rules::MISSING_FIELD,
                t.span(),
                "`[show]` has no `categories`",
                Some(
                    "Apple requires at least one: e.g. `categories = [\"News > Politics\"]`"
                        .to_owned(),
                ),
            );
        }
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for w in written {
        let mut parts = w.value.splitn(2, '>').map(str::trim);
        let parent = parts.next().unwrap_or_default();
        let sub = parts.next();
        match lookup_category(parent, sub) {
            Some(c) => out.push(c),
            None => {
                ok = false;
                let wanted = w.value.trim();
                let obsolete = vocab::obsolete_apple_category(parent, sub);
                let help = match (obsolete, vocab::nearest_apple_category(parent, sub)) {
                    (Some(now), _) => format!("Apple retired it in 2019; use `{now}`"),
                    (None, Some(n)) => format!("did you mean `{n}`?"),
                    (None, None) => "see Apple's list: https://podcasters.apple.com/support/1691-apple-podcasts-categories (write a subcategory as `Parent > Sub`)".to_owned(),
                };
                sink.report(
                    &rules::UNKNOWN_CATEGORY,
                    w.span,
                    format!("`{wanted}` is not one of Apple's podcast categories"),
                    Some(help),
                );
            }
        }
    }
    ok.then_some(out)
}

fn lookup_category(parent: &str, sub: Option<&str>) -> Option<Category> {
    let (p, subs) = vocab::APPLE_CATEGORIES.iter().find(|(p, _)| *p == parent)?;
    let sub = match sub {
        Some(s) => Some(*subs.iter().find(|x| **x == s)?),
        None => None,
    };
    Some(Category { parent: p, sub })
}

fn keywords_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    for k in t.string_array(sink, "keywords") {
        let word = k.value.trim();
        if word.is_empty() || word.contains(',') {
            sink.report(
                &rules::INVALID_VALUE,
                k.span,
                format!("keyword `{}` is empty or contains a comma", k.value),
                Some(
                    "list each keyword as its own string: `keywords = [\"china\", \"economy\"]`"
                        .to_owned(),
                ),
            );
        } else {
            out.push(word.to_owned());
        }
    }
    out
}

fn funding_entry(sink: &mut Sink<'_>, f: &mut TableReader<'_, '_>) -> Option<Funding> {
    let url = f
        .required_string(sink, "url", "the page where listeners can support the show")
        .and_then(|u| url_field(sink, &u, "url"));
    let text = f.required_string(
        sink,
        "text",
        "the link text, e.g. `text = \"Support the show\"`",
    );
    if let Some(t) = &text {
        check_length(sink, t, "text", 128);
    }
    Some(Funding {
        url: url?,
        text: text?.value,
    })
}

fn persons_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>, context: &str) -> Vec<Person> {
    t.tables(sink, "person", |i| format!("{context} #{}", i + 1))
        .into_iter()
        .filter_map(|mut p| {
            let out = person_entry(sink, &mut p);
            p.finish(sink);
            out
        })
        .collect()
}

fn person_entry(sink: &mut Sink<'_>, p: &mut TableReader<'_, '_>) -> Option<Person> {
    let name = p.required_string(sink, "name", "the person's name");
    let role = p.string(sink, "role");
    let group = p.string(sink, "group");
    let href = p
        .string(sink, "href")
        .and_then(|u| url_field(sink, &u, "href"));
    let img = p
        .string(sink, "img")
        .and_then(|u| url_field(sink, &u, "img"));
    if let Some(n) = &name {
        check_length(sink, n, "name", 128);
    }
    let roles = || vocab::PERSON_ROLES.iter().map(|(_, r)| *r);
    let role_canonical = match &role {
        None => Some("Host"),
        Some(r) => match vocab::PERSON_ROLES
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(r.value.trim()))
        {
            Some((_, known)) => Some(*known),
            None => {
                let hint = did_you_mean(&r.value, roles())
                    .map(|n| format!("did you mean `{}`?", n.to_lowercase()))
                    .unwrap_or_else(|| "see the roles in the Podcast Taxonomy: https://podcastindex.org/namespace/1.0#person".to_owned());
                sink.report(
                    &rules::UNKNOWN_PERSON_ROLE,
                    r.span.clone(),
                    format!("role `{}` is not in the Podcast Taxonomy", r.value),
                    Some(hint),
                );
                None
            }
        },
    };
    let group_canonical = match (&group, role_canonical) {
        (None, Some(role)) => vocab::person_role_group(role),
        (None, None) => None,
        (Some(g), role) => match vocab::person_group(&g.value) {
            None => {
                let hint = did_you_mean(&g.value, vocab::PERSON_GROUPS.iter().copied())
                    .map(|n| format!("did you mean `{}`?", n.to_lowercase()))
                    .unwrap_or_else(|| {
                        format!(
                            "use one of: {}",
                            vocab::PERSON_GROUPS.join(", ").to_lowercase()
                        )
                    });
                sink.report(
                    &rules::UNKNOWN_PERSON_ROLE,
                    g.span.clone(),
                    format!("group `{}` is not in the Podcast Taxonomy", g.value),
                    Some(hint),
                );
                None
            }
            Some(group) => {
                if let Some(role) = role
                    && !vocab::person_role_in_group(role, group)
                {
                    let home = vocab::person_role_group(role).unwrap_or("another group");
                    sink.report(
                        &rules::UNKNOWN_PERSON_ROLE,
                        g.span.clone(),
                        format!(
                            "role `{}` is not in group `{}`",
                            role.to_lowercase(),
                            group.to_lowercase()
                        ),
                        Some(format!(
                            "the taxonomy puts `{}` in `{}`; remove `group` to use it",
                            role.to_lowercase(),
                            home.to_lowercase()
                        )),
                    );
                    return None;
                }
                Some(group)
            }
        },
    };
    Some(Person {
        name: name?.value.trim().to_owned(),
        role: role_canonical?,
        group: group_canonical?,
        href,
        img,
    })
}

fn license_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Option<License> {
    let value = t.value("license")?;
    match value.get_ref() {
        DeValue::String(s) => Some(License {
            name: s.trim().to_owned(),
            url: None,
        }),
        DeValue::Table(table) => {
            let mut l = TableReader::new(table, value.span(), "`license` in `[show]`");
            let name = l.required_string(
                sink,
                "name",
                "an SPDX identifier such as `CC-BY-4.0`, or your licence's name",
            );
            let url = l
                .string(sink, "url")
                .and_then(|u| url_field(sink, &u, "url"));
            l.finish(sink);
            Some(License {
                name: name?.value,
                url,
            })
        }
        _ => {
            sink.report(
                &rules::WRONG_TYPE,
                value.span(),
                "`license` in `[show]` must be a string or a table",
                Some("e.g. `license = \"CC-BY-4.0\"` or `license = { name = \"My licence\", url = \"https://…\" }`".to_owned()),
            );
            None
        }
    }
}

fn location_entry(sink: &mut Sink<'_>, l: &mut TableReader<'_, '_>) -> Option<Location> {
    let name = l.required_string(
        sink,
        "name",
        "a human-readable place name, e.g. `Beijing, China`",
    );
    let geo = l.string(sink, "geo").and_then(|g| {
        let ok = g.value.starts_with("geo:")
            && g.value[4..].split(';').next().is_some_and(|coords| {
                let nums: Vec<&str> = coords.split(',').collect();
                (2..=3).contains(&nums.len()) && nums.iter().all(|n| n.parse::<f64>().is_ok())
            });
        if ok {
            Some(g.value)
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                g.span,
                format!("`geo` `{}` is not a geo URI", g.value),
                Some(
                    "write latitude and longitude as an RFC 5870 URI: `geo:39.9042,116.4074`"
                        .to_owned(),
                ),
            );
            None
        }
    });
    let osm = l.string(sink, "osm").and_then(|o| {
        let v = o.value.trim();
        let ok = v.len() > 1
            && matches!(v.as_bytes()[0], b'N' | b'W' | b'R')
            && v[1..]
                .split('#')
                .next()
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Some(v.to_owned())
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                o.span,
                format!("`osm` `{}` is not an OpenStreetMap reference", o.value),
                Some("write the type letter (N, W or R) and the id, e.g. `R912940`".to_owned()),
            );
            None
        }
    });
    let country = l.string(sink, "country").and_then(|c| {
        let v = c.value.trim();
        if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(v.to_ascii_uppercase())
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                c.span,
                format!("`country` `{}` is not a two-letter country code", c.value),
                Some("use ISO 3166-1 alpha-2, e.g. `CN`".to_owned()),
            );
            None
        }
    });
    if let Some(n) = &name {
        check_length(sink, n, "name", 128);
    }
    Some(Location {
        name: name?.value,
        geo,
        osm,
        country,
    })
}

fn guid_field(sink: &mut Sink<'_>, g: At<String>) -> Option<At<String>> {
    let v = &g.value;
    if v.trim().is_empty() || v.trim() != v || v.chars().any(char::is_control) {
        sink.report(
            &rules::INVALID_GUID,
            g.span.clone(),
            format!("guid `{}` is blank or has spaces or control characters around it", v.escape_debug()),
            Some("a published guid must stay byte-for-byte the same; if this episode was never published, delete the line and castkit assigns one".to_owned()),
        );
        return None;
    }
    Some(g)
}

fn datetime_field(
    sink: &mut Sink<'_>,
    value: &At<toml::value::Datetime>,
    context: &Context<'_>,
    owner: &str,
) -> Option<DateTime<FixedOffset>> {
    let d = value.value;
    let Some(date) = d.date else {
        sink.report(
            &rules::WRONG_TYPE,
            value.span.clone(),
            format!("`published` of {owner} is a time without a date"),
            Some("write a full date: `published = 2024-05-01T08:00:00+08:00`".to_owned()),
        );
        return None;
    };
    let naive_date = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    let naive_time = match d.time {
        Some(t) => NaiveTime::from_hms_nano_opt(
            u32::from(t.hour),
            u32::from(t.minute),
            u32::from(t.second.unwrap_or(0)),
            t.nanosecond.unwrap_or(0),
        )?,
        None => NaiveTime::MIN,
    };
    let naive = NaiveDateTime::new(naive_date, naive_time);
    if let Some(offset) = d.offset {
        let seconds = match offset {
            toml::value::Offset::Z => 0,
            toml::value::Offset::Custom { minutes } => i32::from(minutes) * 60,
        };
        let fixed = FixedOffset::east_opt(seconds)?;
        return fixed.from_local_datetime(&naive).single();
    }
    let Some(tz) = context.timezone else {
        if context.timezone_written {
            // The zone itself is wrong; that finding says what to fix.
            return None;
        }
        sink.report(
            &rules::DATE_WITHOUT_ZONE,
            value.span.clone(),
            format!("`published` of {owner} has no time zone"),
            Some(format!(
                "add an offset (`published = {}T{}+08:00`) or set `timezone = \"Asia/Shanghai\"` (your zone) in `[show]`",
                naive_date,
                naive_time.format("%H:%M:%S")
            )),
        );
        return None;
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(dt) => Some(dt.fixed_offset()),
        chrono::LocalResult::Ambiguous(a, b) => {
            sink.report(
                &rules::INVALID_TIMEZONE,
                value.span.clone(),
                format!(
                    "`published` of {owner} happens twice in `{}` (the clocks go back)",
                    tz.name()
                ),
                Some(format!(
                    "add the offset you mean: `{}` or `{}`",
                    a.fixed_offset().to_rfc3339(),
                    b.fixed_offset().to_rfc3339()
                )),
            );
            None
        }
        chrono::LocalResult::None => {
            sink.report(
                &rules::INVALID_TIMEZONE,
                value.span.clone(),
                format!(
                    "`published` of {owner} does not exist in `{}` (the clocks go forward)",
                    tz.name()
                ),
                Some(
                    "pick a time outside the daylight-saving gap, or add an explicit offset"
                        .to_owned(),
                ),
            );
            None
        }
    }
}

pub(super) fn check_length(sink: &mut Sink<'_>, value: &At<String>, field: &str, max_chars: usize) {
    let n = value.value.chars().count();
    if n > max_chars {
        sink.report(
            &rules::TEXT_TOO_LONG,
            value.span.clone(),
            format!("`{field}` is {n} characters; the Podcasting 2.0 namespace asks for at most {max_chars}"),
            Some("aggregators may truncate it".to_owned()),
        );
    }
}

fn check_xml_chars(sink: &mut Sink<'_>, value: &At<String>) {
    if let Some(bad) = value.value.chars().find(|&c| !is_xml_char(c)) {
        sink.report(
            &rules::CONTROL_CHARACTERS,
            value.span.clone(),
            format!(
                "this text contains the character U+{:04X}, which XML forbids",
                u32::from(bad)
            ),
            Some(
                "castkit leaves it out of the feed; remove it from the catalogue to silence this"
                    .to_owned(),
            ),
        );
    }
}
