//! Catalogue + probe facts → [`Channel`]: every decision about what the feed says is made here (fallbacks,
//! ordering, formatting), so the renderer only writes syntax.

use std::cmp::Reverse;

use crate::audio::AudioFacts;
use crate::catalogue::EpisodeType;
use crate::catalogue::{Catalogue, Episode, Person};
use crate::chapters::{format_npt, format_seconds};
use crate::feed::model::{
    AlternateTag, Channel, Enclosure, Item, LocationTag, PersonTag, PscChapter, SoundbiteTag,
    TrailerTag, TranscriptTag,
};
use crate::text::{markdown_to_html, markdown_to_plain, truncate_on_word};
use crate::vocab::limits::APPLE_DESCRIPTION_LIMIT;

/// An episode's main audio as the feed describes it: measured from the local file, or as the catalogue
/// states it for audio hosted elsewhere.
#[derive(Debug, Clone)]
pub enum EpisodeAudio {
    /// Probed from the file in the media folder (after tagging, when tags are written).
    Probed(Box<AudioFacts>),
    /// Stated in the catalogue (`audio_length`, `audio_type`, `duration`): audio hosted elsewhere.
    Stated {
        /// The enclosure's length in bytes.
        length: u64,
        /// The enclosure's MIME type.
        mime: String,
        /// The duration, when the catalogue states one.
        duration_ms: Option<u64>,
    },
}

impl EpisodeAudio {
    /// The enclosure's length in bytes.
    pub fn length(&self) -> u64 {
        match self {
            EpisodeAudio::Probed(facts) => facts.size_bytes,
            EpisodeAudio::Stated { length, .. } => *length,
        }
    }

    /// The enclosure's MIME type.
    pub fn mime(&self) -> &str {
        match self {
            EpisodeAudio::Probed(facts) => facts.mime(),
            EpisodeAudio::Stated { mime, .. } => mime,
        }
    }

    /// The duration in milliseconds, when known.
    pub fn duration_ms(&self) -> Option<u64> {
        match self {
            EpisodeAudio::Probed(facts) => Some(facts.millis()),
            EpisodeAudio::Stated { duration_ms, .. } => *duration_ms,
        }
    }

    /// The duration in whole seconds (rounded to the nearest), for `itunes:duration`, when known.
    pub fn whole_seconds(&self) -> Option<u64> {
        match self {
            EpisodeAudio::Probed(facts) => Some(facts.whole_seconds()),
            EpisodeAudio::Stated { duration_ms, .. } => duration_ms.map(|ms| (ms + 500) / 1000),
        }
    }

    /// The probe's facts, for local audio.
    pub fn probed(&self) -> Option<&AudioFacts> {
        match self {
            EpisodeAudio::Probed(facts) => Some(facts),
            EpisodeAudio::Stated { .. } => None,
        }
    }
}

/// The SRI strings (`podcast:integrity`) of an episode's local files, when the build was asked for them
/// (`--integrity`, `[build] integrity`).
#[derive(Debug, Clone, Default)]
pub struct EpisodeIntegrity {
    /// The main audio's; `None` for audio hosted elsewhere (no bytes to hash), or when not asked for.
    pub main: Option<String>,
    /// Each alternate rendition's, in the order of [`Published::alternates`] (empty when not asked for).
    pub alternates: Vec<Option<String>>,
}

/// An episode going into the feed, with the facts measured from its audio file.
#[derive(Debug, Clone, Copy)]
pub struct Published<'a> {
    /// The episode as the catalogue describes it.
    pub episode: &'a Episode,
    /// Its audio, probed (after tagging, when tags are written) or as stated for audio hosted elsewhere.
    pub audio: &'a EpisodeAudio,
    /// Its guid: the catalogue's, or the one assigned in this build.
    pub guid: &'a str,
    /// Its alternate renditions, probed, in the catalogue's order.
    pub alternates: &'a [AudioFacts],
    /// The SRI strings of its files, when asked for.
    pub integrity: &'a EpisodeIntegrity,
    /// The public URL of its JSON chapters file, when it has chapters.
    pub chapters_url: Option<&'a str>,
    /// For each of its transcripts, the public URL of the WebVTT converted from it, if one was asked for.
    pub vtt_urls: &'a [Option<String>],
}

/// The `<generator>` value.
pub fn generator() -> String {
    format!("castkit {}", env!("CARGO_PKG_VERSION"))
}

/// Builds the channel from the show and the episodes that go into the feed (already filtered for drafts and
/// future dates). Items are ordered newest first; ties are broken by season, then episode number, then
/// position in the catalogue (later first), so the order never depends on anything but the catalogue.
pub fn channel(catalogue: &Catalogue, episodes: &[Published<'_>]) -> Channel {
    let show = &catalogue.show;
    let mut ordered: Vec<&Published<'_>> = episodes.iter().collect();
    ordered.sort_by_key(|p| {
        Reverse((
            p.episode.published.timestamp(),
            p.episode.published.timestamp_subsec_nanos(),
            p.episode.season,
            p.episode.number,
            p.episode.index,
        ))
    });
    // Live streams are `podcast:liveItem`s, placed by status, not among the items.
    let (live, ordered): (Vec<&Published<'_>>, Vec<&Published<'_>>) = ordered
        .into_iter()
        .partition(|p| p.episode.podcasting.live.is_some());
    let mut live: Vec<_> = live
        .into_iter()
        .filter_map(|p| Some((p.episode.podcasting.live.as_ref()?, p)))
        .collect();
    live.sort_by_key(|(l, p)| (super::podcasting::placement(l), p.episode.index));
    let live_items = live
        .into_iter()
        .map(|(l, p)| super::podcasting::live_item(l, item(catalogue, p)))
        .collect();
    let last_build_date = ordered.first().map(|p| rfc2822(&p.episode.published));
    let description = truncate_on_word(
        &markdown_to_plain(&show.description),
        APPLE_DESCRIPTION_LIMIT,
    )
    .into_owned();
    // Each item is built on its own (Markdown to HTML and text is most of the work): in parallel.
    let items = {
        use rayon::prelude::*;
        ordered.par_iter().map(|p| item(catalogue, p)).collect()
    };
    let trailers = ordered
        .iter()
        .filter(|p| p.episode.episode_type == EpisodeType::Trailer)
        .map(|p| TrailerTag {
            title: p.episode.title.clone(),
            url: p.episode.audio.url.to_string(),
            pubdate: rfc2822(&p.episode.published),
            length: p.audio.length(),
            mime: p.audio.mime().to_owned(),
            season: p.episode.season,
        })
        .collect();
    Channel {
        title: show.title.clone(),
        link: show.link.to_string(),
        description,
        language: show.language.clone(),
        copyright: show.copyright.clone(),
        last_build_date,
        generator: generator(),
        self_url: show.feed_url.to_string(),
        image_url: show.image.url.to_string(),
        author: show.author.clone(),
        show_type: show.show_type.as_str(),
        owner: show
            .owner
            .as_ref()
            .map(|o| (o.name.clone(), o.email.clone())),
        categories: show
            .categories
            .iter()
            .map(|c| (c.parent(), c.sub()))
            .collect(),
        explicit: show.explicit,
        keywords: (!show.keywords.is_empty()).then(|| show.keywords.join(",")),
        complete: show.complete,
        block: show.block,
        new_feed_url: show.new_feed_url.as_ref().map(ToString::to_string),
        podcast_guid: show.podcast_guid.to_string(),
        locked: show
            .locked
            .map(|locked| (locked, show.owner.as_ref().map(|o| o.email.clone()))),
        medium: show.medium.clone(),
        funding: show
            .funding
            .iter()
            .map(|f| (f.url.to_string(), f.text.clone()))
            .collect(),
        persons: show.persons.iter().map(person_tag).collect(),
        license: show
            .license
            .as_ref()
            .map(|l| (l.name.clone(), l.url.as_ref().map(ToString::to_string))),
        location: show.location.as_ref().map(|l| LocationTag {
            name: l.name.clone(),
            geo: l.geo.clone(),
            osm: l.osm.clone(),
            country: l.country.clone(),
        }),
        trailers,
        tags: super::podcasting::channel_tags(show),
        live_items,
        items,
        page: crate::feed::model::PageLinks::default(),
    }
}

/// Whether an episode's HTML notes carry more than their plain text in `<description>`: anything but one
/// paragraph of text (links, lists, emphasis, several paragraphs). One plain paragraph is the description
/// again, and every app falls back to the description, so `content:encoded` is then left out — unless the
/// text holds what an app reading the description as HTML (most do) would take for markup: a `<`, or an
/// `&` starting a character reference (`&copy;`). The HTML says those unambiguously.
fn html_says_more(html: &str) -> bool {
    let Some(inner) = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    else {
        return true;
    };
    inner.contains('<') || inner.contains("&lt;") || has_character_reference_text(inner)
}

/// Whether escaped text (`&amp;` for each `&`) has an `&` followed by a name or number and a `;`.
fn has_character_reference_text(escaped: &str) -> bool {
    escaped.match_indices("&amp;").any(|(at, found)| {
        let rest = &escaped[at + found.len()..];
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
            .count();
        name_len > 0 && rest[name_len..].starts_with(';')
    })
}

/// An RFC 2822 date with a two-digit day (`Fri, 01 Mar 2024 09:00:00 +0000`), the form Apple's examples
/// use; chrono's own writes `Fri, 1 Mar`, which RFC 2822 allows but some hand-written parsers reject.
fn rfc2822<Tz: chrono::TimeZone>(t: &chrono::DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

fn item(catalogue: &Catalogue, published: &Published<'_>) -> Item {
    let show = &catalogue.show;
    let episode = published.episode;
    let plain = episode.notes.as_ref().map(|n| n.plain.as_str());
    // The episode's host is its author, as apps credit it; apps show the show's author for an episode
    // without one, so it is not repeated in every item.
    let author = episode
        .persons
        .iter()
        .find(|p| p.role == "Host")
        .map(|p| p.name.clone())
        .filter(|host| *host != show.author);
    // Without notes the title stands in (the catalogue says so, C034): apps show an empty description as a
    // blank page, and Apple recommends one for every episode.
    let cut = plain
        .as_ref()
        .is_some_and(|p| p.len() > APPLE_DESCRIPTION_LIMIT);
    let description = Some(plain.filter(|p| !p.is_empty()).map_or_else(
        || episode.title.clone(),
        |p| truncate_on_word(p, APPLE_DESCRIPTION_LIMIT).into_owned(),
    ));
    let mut transcripts = Vec::new();
    for (t, vtt) in episode.transcripts.iter().zip(published.vtt_urls) {
        let language = t.language.clone().unwrap_or_else(|| show.language.clone());
        transcripts.push(TranscriptTag {
            url: t.file.url.to_string(),
            mime: t.mime.clone(),
            language: language.clone(),
            captions: t.captions,
        });
        if let Some(url) = vtt {
            transcripts.push(TranscriptTag {
                url: url.clone(),
                mime: "text/vtt".to_owned(),
                language,
                captions: true,
            });
        }
    }
    // The namespace puts `podcast:integrity` only inside `podcast:alternateEnclosure`: an episode without
    // other renditions gets its main audio's (the default one) when it has a digest to carry.
    let alternates = if episode.alternates.is_empty() && published.integrity.main.is_none() {
        Vec::new()
    } else {
        let main = AlternateTag {
            mime: published.audio.mime().to_owned(),
            length: published.audio.length(),
            bitrate: published
                .audio
                .probed()
                .and_then(|f| f.bitrate_kbps)
                .map(|k| u64::from(k) * 1000),
            title: None,
            default: true,
            url: episode.audio.url.to_string(),
            integrity: published.integrity.main.clone(),
        };
        std::iter::once(main)
            .chain(
                episode
                    .alternates
                    .iter()
                    .zip(published.alternates)
                    .enumerate()
                    .map(|(i, (a, facts))| {
                        let sri = published.integrity.alternates.get(i).cloned().flatten();
                        alternate_tag(facts, &a.audio.url, a.title.clone(), false, sri)
                    }),
            )
            .collect()
    };
    Item {
        title: episode.title.clone(),
        link: episode.link.as_ref().unwrap_or(&show.link).to_string(),
        description,
        content_html: episode
            .notes
            .as_ref()
            .map(|n| markdown_to_html(&n.markdown))
            .filter(|html| !html.is_empty() && (cut || html_says_more(html))),
        guid: published.guid.to_owned(),
        pub_date: rfc2822(&episode.published),
        enclosure: Enclosure {
            url: episode.audio.url.to_string(),
            length: published.audio.length(),
            mime: published.audio.mime().to_owned(),
        },
        duration_seconds: published.audio.whole_seconds(),
        image_url: episode
            .image
            .as_ref()
            .unwrap_or(&show.image)
            .url
            .to_string(),
        explicit: episode.explicit.unwrap_or(show.explicit),
        episode_type: (episode.episode_type != EpisodeType::Full)
            .then(|| episode.episode_type.as_str()),
        season: episode.season,
        episode: episode.number,
        author,
        block: episode.block,
        persons: episode.persons.iter().map(person_tag).collect(),
        chapters_url: published.chapters_url.map(str::to_owned),
        psc_chapters: episode
            .chapters
            .iter()
            .filter(|c| !c.hidden)
            .map(|c| PscChapter {
                start: format_npt(c.start_ms),
                title: c.title.clone(),
                href: c.url.clone(),
                image: c.image.as_ref().map(|i| i.url.clone()),
            })
            .collect(),
        transcripts,
        soundbites: episode
            .soundbites
            .iter()
            .map(|b| SoundbiteTag {
                start: format_seconds(b.start_ms),
                duration: format_seconds(b.duration_ms),
                title: b.title.clone().unwrap_or_default(),
            })
            .collect(),
        alternates,
        tags: super::podcasting::item_tags(&episode.podcasting),
    }
}

fn alternate_tag(
    facts: &AudioFacts,
    url: &url::Url,
    title: Option<String>,
    default: bool,
    integrity: Option<String>,
) -> AlternateTag {
    AlternateTag {
        mime: facts.mime().to_owned(),
        length: facts.size_bytes,
        bitrate: facts.bitrate_kbps.map(|k| u64::from(k) * 1000),
        title,
        default,
        url: url.to_string(),
        integrity,
    }
}

fn person_tag(p: &Person) -> PersonTag {
    PersonTag {
        name: p.name.clone(),
        role: p.role.to_lowercase(),
        group: p.group.to_lowercase(),
        href: p.href.as_ref().map(ToString::to_string),
        img: p.img.as_ref().map(ToString::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::markdown_to_html;

    #[test]
    fn the_html_is_written_only_when_it_says_more_than_the_text() {
        for (markdown, says_more) in [
            ("Cats & dogs, 2 > 1 and \"quotes\".", false),
            ("Q&A with AT&T and 5 & 6", false),
            ("Write \\<b\\> for bold.", true),
            ("Write \\&copy; for the sign.", true),
            ("Write \\&#169; for the sign.", true),
            ("*Emphasis*.", true),
            ("One.\n\nTwo.", true),
            ("- a list", true),
        ] {
            let html = markdown_to_html(markdown);
            assert_eq!(html_says_more(&html), says_more, "{markdown:?} → {html:?}");
        }
    }
}
