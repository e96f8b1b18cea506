//! `[[episode]]`: each episode's fields, and the checks across episodes (duplicate guids, files, numbers).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use super::Context;
use super::media::MediaKind;
use super::values::{
    check_xml_chars, choice, datetime_field, guid_field, keywords_field, media_type_field,
    persons_field, url_field,
};
use crate::catalogue::reader::{At, Sink, TableReader};
use crate::catalogue::rules;
use crate::catalogue::{Episode, EpisodeType, MediaRef, Notes, StatedAudio};
use crate::text::markdown_to_plain;
use crate::vocab::limits::APPLE_DESCRIPTION_LIMIT;

/// An episode as read: the model (when its required fields could be read), and its guid and slug with
/// where they are written, for the checks across episodes.
pub(super) struct Lowered {
    pub(super) episode: Option<Episode>,
    pub(super) guid: Option<At<String>>,
    pub(super) slug: Option<At<String>>,
}

pub(super) fn lower_episode(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    index: usize,
    context: &Context<'_>,
) -> Lowered {
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
    let stated = StatedAudio {
        length: t.byte_count(sink, "audio_length"),
        mime: t
            .string(sink, "audio_type")
            .and_then(|m| media_type_field(sink, m, "audio_type")),
        duration_ms: t.time(sink, "duration"),
    };
    let published = t.datetime(sink, "published");
    // A live stream (`[episode.live]`) is dated by its start.
    if published.is_none() && !t.has("published") && !t.has_near_miss("published") && !t.has("live")
    {
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
    let slug = t
        .string(sink, "slug")
        .and_then(|s| slug_field(sink, s, t.context()));
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
    let plain_notes = notes.as_ref().map(|n| markdown_to_plain(&n.value));
    if let (Some(n), Some(plain)) = (&notes, &plain_notes)
        && plain.len() > APPLE_DESCRIPTION_LIMIT
    {
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

    let label = t.context().to_owned();
    let audio = audio_written.and_then(|w| context.reference(sink, &w, MediaKind::Audio, &label));
    let is_live = t.has("live");
    if let Some(audio) = &audio
        && audio.path.is_none()
    {
        check_hosted_elsewhere(sink, audio, &stated, &label, is_live);
    }
    let extras = crate::catalogue::companions::read(
        sink,
        t,
        context,
        &label,
        audio.as_ref(),
        notes.as_ref(),
    );
    let image = image_written.and_then(|w| context.reference(sink, &w, MediaKind::Image, &label));
    let podcasting = super::podcasting::episode_fields(sink, t, context, image.as_ref(), &label);
    let published = published
        .and_then(|p| datetime_field(sink, &p, context, &label, "published"))
        .or_else(|| podcasting.live.as_ref().map(|l| l.start));
    let (Some(title), Some(audio), Some(published)) = (title, audio, published) else {
        return Lowered {
            episode: None,
            guid,
            slug,
        };
    };
    let episode = Episode {
        index,
        span,
        title: title.value,
        audio,
        stated,
        published,
        notes: notes.zip(plain_notes).map(|(n, plain)| Notes {
            markdown: n.value,
            plain,
        }),
        season: season.map(|s| s.value),
        number: number.map(|n| n.value),
        episode_type: episode_type.unwrap_or_default(),
        explicit,
        image,
        link,
        keywords,
        persons,
        guid: guid.as_ref().map(|g| g.value.clone()),
        slug: slug.as_ref().map(|s| s.value.clone()),
        draft,
        block,
        chapters: extras.chapters,
        chapters_origin: extras.chapters_origin,
        transcripts: extras.transcripts,
        soundbites: extras.soundbites,
        alternates: extras.alternates,
        podcasting,
    };
    Lowered {
        episode: Some(episode),
        guid,
        slug,
    }
}

/// `slug`: checked as [`crate::catalogue::slugs::check`] says.
fn slug_field(sink: &mut Sink<'_>, slug: At<String>, label: &str) -> Option<At<String>> {
    use crate::catalogue::slugs;
    match slugs::check(&slug.value) {
        Ok(()) => Some(slug),
        Err(problem) => {
            sink.report(
                &rules::BAD_SLUG,
                slug.span.clone(),
                format!(
                    "the `slug` `{}` of {label} {problem}",
                    slug.value.escape_debug()
                ),
                Some(format!(
                    "write it as `slug = \"{}\"`; once the page is published, keep its slug",
                    slugs::suggest(&slug.value)
                )),
            );
            None
        }
    }
}

/// Two episodes with the same slug: an error at the second, naming the line of the first.
pub(super) fn check_duplicate_slugs(sink: &mut Sink<'_>, slugs: &[(At<String>, String)]) {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (slug, label) in slugs {
        if let Some(&start) = first.get(slug.value.as_str()) {
            let line = sink.source.line_col(start).0;
            sink.report(
                &rules::DUPLICATE_SLUG,
                slug.span.clone(),
                format!(
                    "{label} has the slug `{}`, as the episode at line {line} has",
                    slug.value
                ),
                Some("give each episode its own slug: it names its page, `episodes/<slug>/`; keep the one already published".to_owned()),
            );
        } else {
            first.insert(&slug.value, slug.span.start);
        }
    }
}

/// Audio given as a URL cannot be measured: the episode must state the enclosure's length and type.
fn check_hosted_elsewhere(
    sink: &mut Sink<'_>,
    audio: &MediaRef,
    stated: &StatedAudio,
    label: &str,
    is_live: bool,
) {
    // A live stream has no length to state.
    let missing: Vec<&str> = [
        (
            "`audio_length` (its size in bytes)",
            stated.length.is_none() && !is_live,
        ),
        ("`audio_type` (e.g. `audio/mpeg`)", stated.mime.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if missing.is_empty() {
        return;
    }
    sink.report(
        &rules::MISSING_FIELD,
        audio.span.clone(),
        format!(
            "the audio of {label} is a URL, and the episode does not state {}",
            missing.join(" or ")
        ),
        Some("castkit cannot measure a file it does not have: state them as the published feed does (`castkit import` writes them), or put the file in the media folder and name it by its path".to_owned()),
    );
}

pub(super) fn check_duplicate_guids(
    sink: &mut Sink<'_>,
    guids: &[(At<String>, Range<usize>, String)],
) {
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

pub(super) fn check_duplicates(sink: &mut Sink<'_>, episodes: &[Episode]) {
    // Hashed: a path compares component by component, and a sorted map compares it log n times.
    let mut first_number: HashMap<(Option<u32>, u32), usize> = HashMap::new();
    let mut first_audio: HashMap<&Path, usize> = HashMap::new();
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
