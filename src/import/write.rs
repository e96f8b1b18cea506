//! The imported show written as `episodes.toml`: every field with a comment the first time it appears, a
//! comment wherever a value was mapped from the feed's, episodes oldest first. TOML strings are written by
//! toml_edit, so any text (quotes, backslashes, control characters, multi-line notes) round-trips.

mod podcasting;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::read::{Mapped, Person, Show};

/// Where the catalogue's show lives, decided by [`super::import`].
#[derive(Debug)]
pub(super) struct Addresses {
    pub(super) feed_url: String,
    pub(super) feed_url_comment: &'static str,
    pub(super) media_base_url: String,
    pub(super) podcast_guid: String,
    pub(super) podcast_guid_comment: &'static str,
    pub(super) link: String,
    pub(super) against: Option<String>,
    pub(super) source: String,
}

/// A TOML string (basic, literal or multi-line, as toml_edit chooses).
fn s(text: &str) -> String {
    toml_edit::Value::from(text).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| s(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `key = value`, with the comment above it when there is one.
fn field(out: &mut String, key: &str, value: &str, comment: Option<&str>) {
    if let Some(c) = comment {
        for line in c.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    let _ = writeln!(out, "{key} = {value}");
}

fn mapped_comment<T>(m: &Mapped<T>) -> Option<String> {
    m.was.as_ref().map(|w| format!("Imported: {w}."))
}

/// The catalogue text. `local_audio` maps an episode (by its position in `show.episodes`) to the path its
/// audio was downloaded to, as the catalogue writes it.
pub(super) fn catalogue(
    show: &Show,
    order: &[usize],
    numbers: &BTreeMap<usize, Mapped<Option<u32>>>,
    at: &Addresses,
    local_audio: &BTreeMap<usize, String>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The catalogue of \"{}\", imported by `castkit import` from",
        show.title.replace('\n', " ")
    );
    let _ = writeln!(out, "# {}.", at.source);
    out.push_str(
        "# Every field is described in castkit's README (\"The catalogue\"). Guids, enclosure URLs, dates and\n\
         # titles are the published feed's own: change them only knowing that podcast apps identify episodes by them.\n\n",
    );
    out.push_str("[show]\n");
    field(
        &mut out,
        "title",
        &s(&show.title),
        Some("The show's name, as apps list it."),
    );
    let description = if show.description.is_empty() {
        show.title.clone()
    } else {
        show.description.clone()
    };
    field(
        &mut out,
        "description",
        &s(&description),
        Some("The show's description, in Markdown (converted from the feed's HTML)."),
    );
    field(&mut out, "link", &s(&at.link), Some("The show's website."));
    field(
        &mut out,
        "feed_url",
        &s(&at.feed_url),
        Some(at.feed_url_comment),
    );
    field(
        &mut out,
        "media_base_url",
        &s(&at.media_base_url),
        Some(
            "Where the media folder is served: files added to media/ are published below this URL.\nEpisodes imported with their audio on the old host keep their URLs.",
        ),
    );
    field(
        &mut out,
        "language",
        &s(&show.language.value),
        mapped_comment(&show.language)
            .as_deref()
            .or(Some("The show's language (ISO 639, optional region).")),
    );
    let author = show
        .author
        .clone()
        .or_else(|| show.owner.as_ref().map(|(n, _)| n.clone()))
        .unwrap_or_else(|| show.title.clone());
    field(
        &mut out,
        "author",
        &s(&author),
        Some("Who makes the show: itunes:author."),
    );
    if let Some((name, email)) = &show.owner {
        field(
            &mut out,
            "owner",
            &format!("{{ name = {}, email = {} }}", s(name), s(email)),
            Some("Apple and directories contact the owner at this address."),
        );
    }
    match &show.image {
        Some(image) => field(
            &mut out,
            "image",
            &s(image),
            Some("The cover art, where the feed publishes it (or a file in media/)."),
        ),
        None => field(
            &mut out,
            "image",
            &s("media/cover.jpg"),
            Some("TODO: the feed has no cover art; put a square 1400–3000 px JPEG or PNG here."),
        ),
    }
    let categories: Vec<String> = show.categories.iter().map(|c| c.value.clone()).collect();
    let category_notes: Vec<String> = show.categories.iter().filter_map(mapped_comment).collect();
    let category_comment = if category_notes.is_empty() {
        "Apple categories, the first is the primary one.".to_owned()
    } else {
        format!(
            "Apple categories, the first is the primary one.\n{}",
            category_notes.join("\n")
        )
    };
    field(
        &mut out,
        "categories",
        &list(&categories),
        Some(&category_comment),
    );
    field(
        &mut out,
        "explicit",
        &show.explicit.value.to_string(),
        mapped_comment(&show.explicit)
            .as_deref()
            .or(Some("Whether the show is explicit; episodes inherit it.")),
    );
    if show.serial {
        field(
            &mut out,
            "type",
            &s("serial"),
            Some("Episodes are meant to be heard in order."),
        );
    }
    if let Some(c) = &show.copyright {
        field(&mut out, "copyright", &s(c), None);
    }
    if !show.keywords.is_empty() {
        field(&mut out, "keywords", &list(&show.keywords), None);
    }
    if show.complete {
        field(
            &mut out,
            "complete",
            "true",
            Some("No more episodes will come."),
        );
    }
    if show.block {
        field(
            &mut out,
            "block",
            "true",
            Some("Hidden from Apple Podcasts, as the feed asked."),
        );
    }
    if let Some(url) = &show.new_feed_url {
        field(
            &mut out,
            "new_feed_url",
            &s(url),
            Some("The feed said it has moved here (itunes:new-feed-url)."),
        );
    }
    field(
        &mut out,
        "podcast_guid",
        &s(&at.podcast_guid),
        Some(at.podcast_guid_comment),
    );
    if let Some(locked) = show.locked {
        field(
            &mut out,
            "locked",
            &locked.to_string(),
            Some("podcast:locked: whether other platforms may import the feed."),
        );
    }
    if let Some(medium) = &show.medium {
        field(&mut out, "medium", &s(medium), None);
    }
    if let Some((name, url)) = &show.license {
        match url {
            Some(url) => field(
                &mut out,
                "license",
                &format!("{{ name = {}, url = {} }}", s(name), s(url)),
                None,
            ),
            None => field(&mut out, "license", &s(name), None),
        }
    }
    if let Some(l) = &show.location {
        let mut parts = vec![format!("name = {}", s(&l.name))];
        if let Some(geo) = &l.geo {
            parts.push(format!("geo = {}", s(geo)));
        }
        if let Some(osm) = &l.osm {
            parts.push(format!("osm = {}", s(osm)));
        }
        if let Some(country) = &l.country {
            parts.push(format!("country = {}", s(country)));
        }
        field(
            &mut out,
            "location",
            &format!("{{ {} }}", parts.join(", ")),
            None,
        );
    }
    podcasting::show_keys(&mut out, &show.podcasting);
    for (url, text) in &show.funding {
        out.push_str("\n[[show.funding]]\n");
        field(&mut out, "url", &s(url), None);
        field(&mut out, "text", &s(text), None);
    }
    for p in &show.persons {
        out.push_str("\n[[show.person]]\n");
        person(&mut out, p);
    }
    podcasting::show_tables(&mut out, &show.podcasting);
    if let Some(against) = &at.against {
        out.push_str("\n[build]\n");
        field(
            &mut out,
            "against",
            &s(against),
            Some(
                "Every `castkit build-feed` compares the release with the published feed first,\nand writes nothing if a change would break subscribers.",
            ),
        );
    }
    let mut first = true;
    let mut said = podcasting::Said::default();
    for &index in order {
        let e = &show.episodes[index];
        out.push_str("\n[[episode]]\n");
        let c = |text: &'static str| first.then_some(text);
        field(&mut out, "title", &s(&e.title), c("The episode's title."));
        match local_audio.get(&index) {
            Some(path) => {
                field(
                    &mut out,
                    "audio",
                    &s(path),
                    Some(&format!("Downloaded from {}", e.url)),
                );
            }
            None => field(
                &mut out,
                "audio",
                &s(&e.url),
                c(
                    "The audio, where the feed publishes it: castkit states its length and type as the feed did.",
                ),
            ),
        }
        // A live stream has no length (its enclosure's is 0).
        if e.podcasting.live.is_none() || e.length.value > 0 {
            field(
                &mut out,
                "audio_length",
                &e.length.value.to_string(),
                mapped_comment(&e.length)
                    .as_deref()
                    .or(c("Its size in bytes, as the feed states it.")),
            );
        }
        field(
            &mut out,
            "audio_type",
            &s(&e.mime.value),
            mapped_comment(&e.mime).as_deref().or(c("Its MIME type.")),
        );
        if let Some(ms) = e.duration_ms {
            field(
                &mut out,
                "duration",
                &s(&hms(ms)),
                c("Its duration, as the feed states it."),
            );
        }
        field(
            &mut out,
            "published",
            &e.published.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            c("When it was published, in the offset the feed wrote."),
        );
        field(
            &mut out,
            "guid",
            &s(&e.guid.value),
            mapped_comment(&e.guid)
                .as_deref()
                .or(c("Its permanent id: never change it.")),
        );
        if let Some(season) = e.season {
            field(&mut out, "season", &season.to_string(), None);
        }
        let number = numbers.get(&index).unwrap_or(&e.number);
        if let Some(n) = number.value {
            field(&mut out, "number", &n.to_string(), None);
        } else if let Some(was) = &number.was {
            let _ = writeln!(out, "# Imported: {was}.");
        }
        if let Some(t) = e.episode_type {
            field(&mut out, "type", &s(t), None);
        }
        if let Some(x) = e.explicit.filter(|x| *x != show.explicit.value) {
            field(&mut out, "explicit", &x.to_string(), None);
        }
        if let Some(image) = e.image.as_ref().filter(|i| Some(*i) != show.image.as_ref()) {
            field(&mut out, "image", &s(image), None);
        }
        if let Some(link) = e.link.as_ref().filter(|l| **l != at.link) {
            field(&mut out, "link", &s(link), None);
        }
        if !e.keywords.is_empty() {
            field(&mut out, "keywords", &list(&e.keywords), None);
        }
        if e.block {
            field(&mut out, "block", "true", None);
        }
        if let Some(url) = &e.chapters {
            field(
                &mut out,
                "chapters",
                &s(url),
                c("Chapters published with the feed, linked as they are."),
            );
        }
        if let Some(notes) = &e.notes {
            field(
                &mut out,
                "notes",
                &s(notes),
                c("Show notes in Markdown, converted from the feed's HTML."),
            );
        }
        podcasting::episode_keys(&mut out, &e.podcasting, &mut said);
        for p in &e.persons {
            out.push_str("\n[[episode.person]]\n");
            person(&mut out, p);
        }
        for t in &e.transcripts {
            out.push_str("\n[[episode.transcript]]\n");
            field(&mut out, "file", &s(&t.url), None);
            field(&mut out, "type", &s(&t.mime), None);
            if let Some(l) = &t.language {
                field(&mut out, "language", &s(l), None);
            }
            field(&mut out, "captions", &t.captions.to_string(), None);
        }
        for b in &e.soundbites {
            out.push_str("\n[[episode.soundbite]]\n");
            field(&mut out, "start", &s(&hms(b.start_ms)), None);
            field(&mut out, "duration", &s(&hms(b.duration_ms)), None);
            if let Some(t) = &b.title {
                field(&mut out, "title", &s(t), None);
            }
        }
        podcasting::episode_tables(&mut out, &e.podcasting, &mut said);
        first = false;
    }
    out
}

fn person(out: &mut String, p: &Person) {
    field(out, "name", &s(&p.name), None);
    if let Some(role) = &p.role {
        field(out, "role", &s(role), None);
    }
    if let Some(group) = &p.group {
        field(out, "group", &s(group), None);
    }
    if let Some(href) = &p.href {
        field(out, "href", &s(href), None);
    }
    if let Some(img) = &p.img {
        field(out, "img", &s(img), None);
    }
}

/// Milliseconds as the catalogue writes a time: `m:ss` or `h:mm:ss`, with `.mmm` only when not whole.
fn hms(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        crate::chapters::format_short(ms)
    } else {
        crate::chapters::format_npt(ms)
    }
}
