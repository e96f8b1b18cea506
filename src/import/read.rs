//! The published feed read into what the catalogue can hold: every value that identifies the show and its
//! episodes to apps kept verbatim (guids, enclosure URLs, dates with their offsets, titles), the rest mapped
//! to the catalogue's vocabulary, and a [`Note`] for each value that had to change or could not be kept.

use chrono::{DateTime, FixedOffset};
use roxmltree::Node;

mod podcasting;

pub(super) use podcasting::{EpisodeTags, Image, Live, Recipient, ShowTags, Value};

use super::Note;
use crate::feed::parse::{Ns, child, children, duration_seconds, parse_rfc2822, text};
use crate::vocab::category::{is_apple_category, nearest_apple_category, obsolete_apple_category};
use crate::vocab::language::Language;

/// The show as the feed describes it.
#[derive(Debug, Default)]
pub(super) struct Show {
    pub(super) title: String,
    /// Markdown.
    pub(super) description: String,
    pub(super) link: Option<String>,
    pub(super) self_url: Option<String>,
    pub(super) new_feed_url: Option<String>,
    pub(super) language: Mapped<String>,
    pub(super) author: Option<String>,
    pub(super) owner: Option<(String, String)>,
    pub(super) image: Option<String>,
    pub(super) categories: Vec<Mapped<String>>,
    pub(super) explicit: Mapped<bool>,
    pub(super) serial: bool,
    pub(super) copyright: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) complete: bool,
    pub(super) block: bool,
    pub(super) podcast_guid: Option<String>,
    pub(super) locked: Option<bool>,
    pub(super) medium: Option<String>,
    pub(super) funding: Vec<(String, String)>,
    pub(super) persons: Vec<Person>,
    pub(super) license: Option<(String, Option<String>)>,
    pub(super) location: Option<Location>,
    /// The Podcasting 2.0 tags beyond the everyday ones.
    pub(super) podcasting: ShowTags,
    pub(super) episodes: Vec<Episode>,
}

/// A value and, when it is not what the feed said, what the feed said and why it changed.
#[derive(Debug, Default, Clone)]
pub(super) struct Mapped<T> {
    pub(super) value: T,
    /// A comment for the catalogue: the feed's value and why it was mapped.
    pub(super) was: Option<String>,
}

impl<T> Mapped<T> {
    fn kept(value: T) -> Mapped<T> {
        Mapped { value, was: None }
    }
}

/// `podcast:person`.
#[derive(Debug, Clone)]
pub(super) struct Person {
    pub(super) name: String,
    pub(super) role: Option<String>,
    pub(super) group: Option<String>,
    pub(super) href: Option<String>,
    pub(super) img: Option<String>,
}

/// `podcast:location`.
#[derive(Debug, Clone)]
pub(super) struct Location {
    pub(super) name: String,
    pub(super) geo: Option<String>,
    pub(super) osm: Option<String>,
    /// `country`, when it is a two-letter code the catalogue accepts.
    pub(super) country: Option<String>,
}

/// One item with an enclosure.
#[derive(Debug)]
pub(super) struct Episode {
    pub(super) title: String,
    pub(super) guid: Mapped<String>,
    pub(super) published: DateTime<FixedOffset>,
    pub(super) url: String,
    pub(super) length: Mapped<u64>,
    pub(super) mime: Mapped<String>,
    /// Milliseconds.
    pub(super) duration_ms: Option<u64>,
    /// Markdown.
    pub(super) notes: Option<String>,
    pub(super) season: Option<u32>,
    pub(super) number: Mapped<Option<u32>>,
    pub(super) episode_type: Option<&'static str>,
    pub(super) explicit: Option<bool>,
    pub(super) image: Option<String>,
    pub(super) link: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) block: bool,
    pub(super) persons: Vec<Person>,
    pub(super) chapters: Option<String>,
    pub(super) transcripts: Vec<Transcript>,
    pub(super) soundbites: Vec<Soundbite>,
    /// The Podcasting 2.0 tags beyond the everyday ones (and `live` for a `podcast:liveItem`).
    pub(super) podcasting: EpisodeTags,
}

/// `podcast:transcript`.
#[derive(Debug)]
pub(super) struct Transcript {
    pub(super) url: String,
    pub(super) mime: String,
    pub(super) language: Option<String>,
    pub(super) captions: bool,
}

/// `podcast:soundbite`.
#[derive(Debug)]
pub(super) struct Soundbite {
    /// Milliseconds.
    pub(super) start_ms: u64,
    /// Milliseconds.
    pub(super) duration_ms: u64,
    pub(super) title: Option<String>,
}

/// Where in the feed a note points: the line of `node`.
fn line_of(source: &str, node: Node<'_, '_>) -> usize {
    source[..node.range().start].matches('\n').count() + 1
}

fn trimmed(node: Option<Node<'_, '_>>) -> Option<String> {
    node.map(text)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn attr(node: Option<Node<'_, '_>>, name: &str) -> Option<String> {
    node.and_then(|n| n.attribute(name))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A URL as the feed writes it, kept verbatim when it is absolute; a relative one (which RSS does not
/// allow, but feeds carry) resolved against `base`.
/// Either way, only a URL the catalogue accepts (`vocab::url::parse_web_url`) comes out.
fn absolute(written: String, base: Option<&url::Url>) -> Option<String> {
    if url::Url::parse(&written).is_ok() {
        return web_url(&written).is_some().then_some(written);
    }
    let joined = base?.join(&written).ok()?.to_string();
    web_url(&joined).map(|_| joined)
}

/// `text` as a web address, by the catalogue's own rule.
pub(super) fn web_url(text: &str) -> Option<url::Url> {
    crate::vocab::url::parse_web_url(text).ok()
}

/// Reads the show and every item with an enclosure from the feed's `<channel>`. Relative URLs resolve
/// against the feed's own address, its link, or `base` (where it was fetched from).
pub(super) fn read(
    source: &str,
    channel: Node<'_, '_>,
    base: Option<&url::Url>,
    notes: &mut Vec<Note>,
) -> Show {
    let note = |notes: &mut Vec<Note>, node: Node<'_, '_>, message: String| {
        notes.push(Note {
            line: Some(line_of(source, node)),
            message,
        });
    };
    let title = trimmed(child(channel, Ns::Rss, "title"))
        .or_else(|| trimmed(child(channel, Ns::Itunes, "title")))
        .unwrap_or_default();
    let description = [
        child(channel, Ns::Content, "encoded"),
        child(channel, Ns::Rss, "description"),
        child(channel, Ns::Itunes, "summary"),
    ]
    .into_iter()
    .find_map(trimmed)
    .map(|html| to_markdown(&html))
    .unwrap_or_default();
    let self_url = children(channel, Ns::Atom, "link")
        .find(|l| l.attribute("rel") == Some("self"))
        .and_then(|l| attr(Some(l), "href"));
    let link = trimmed(child(channel, Ns::Rss, "link"));
    let base = [&self_url, &link]
        .into_iter()
        .find_map(|u| web_url(u.as_deref()?))
        .or_else(|| base.cloned());
    let language = language(channel, source, notes);
    let author = trimmed(child(channel, Ns::Itunes, "author"));
    let owner = child(channel, Ns::Itunes, "owner").and_then(|o| {
        let name = trimmed(child(o, Ns::Itunes, "name"));
        let email = trimmed(child(o, Ns::Itunes, "email"))?;
        Some((name.unwrap_or_else(|| email.clone()), email))
    });
    let image = attr(child(channel, Ns::Itunes, "image"), "href")
        .or_else(|| {
            child(channel, Ns::Rss, "image").and_then(|i| trimmed(child(i, Ns::Rss, "url")))
        })
        .and_then(|i| absolute(i, base.as_ref()));
    let categories = categories(channel, source, notes);
    let explicit = match child(channel, Ns::Itunes, "explicit") {
        Some(node) => explicit(node, source, notes),
        None => Mapped {
            value: false,
            was: Some("the feed has no itunes:explicit; `false` assumed".to_owned()),
        },
    };
    let serial = trimmed(child(channel, Ns::Itunes, "type"))
        .is_some_and(|t| t.eq_ignore_ascii_case("serial"));
    let keywords = trimmed(child(channel, Ns::Itunes, "keywords"))
        .map(|k| split_keywords(&k))
        .unwrap_or_default();
    let locked = child(channel, Ns::Podcast, "locked").and_then(|n| yes_no(&text(n)));
    let funding = children(channel, Ns::Podcast, "funding")
        .filter_map(|f| {
            let url = attr(Some(f), "url")?;
            let text: String = text(f).trim().chars().take(128).collect();
            Some((
                url,
                if text.is_empty() {
                    "Support the show".to_owned()
                } else {
                    text
                },
            ))
        })
        .collect();
    let license = child(channel, Ns::Podcast, "license")
        .and_then(|l| Some((trimmed(Some(l))?, attr(Some(l), "url"))));
    let location = child(channel, Ns::Podcast, "location").and_then(location);
    let persons = persons(channel, source, notes);
    let podcasting = podcasting::show_tags(
        channel,
        image.as_deref(),
        &mut podcasting::Context {
            source,
            base: base.as_ref(),
            notes,
        },
    );
    let complete = complete(channel, podcasting.complete, notes);
    let mut show = Show {
        title,
        description,
        link,
        self_url,
        new_feed_url: trimmed(child(channel, Ns::Itunes, "new-feed-url")),
        language,
        author,
        owner,
        image,
        categories,
        explicit,
        serial,
        copyright: trimmed(child(channel, Ns::Rss, "copyright")),
        keywords,
        complete,
        block: child(channel, Ns::Itunes, "block").is_some_and(|n| yes_no(&text(n)) == Some(true)),
        podcast_guid: trimmed(child(channel, Ns::Podcast, "guid")),
        locked,
        medium: trimmed(child(channel, Ns::Podcast, "medium")),
        funding,
        persons,
        license,
        location,
        podcasting,
        episodes: Vec::new(),
    };
    // Items first: a live stream whose recording is published under the same guid gives way to it.
    for item in children(channel, Ns::Rss, "item") {
        if let Some(episode) = episode(
            item,
            source,
            base.as_ref(),
            show.image.as_deref(),
            None,
            notes,
        ) {
            show.episodes.push(episode);
        }
    }
    for item in children(channel, Ns::Podcast, "liveItem") {
        let mut cx = podcasting::Context {
            source,
            base: base.as_ref(),
            notes,
        };
        if let Some(live) = podcasting::live(item, &mut cx)
            && let Some(episode) = episode(
                item,
                source,
                base.as_ref(),
                show.image.as_deref(),
                Some(live),
                notes,
            )
        {
            show.episodes.push(episode);
        }
    }
    for (what, name) in [
        ("podcast:trailer", "trailer"),
        ("podcast:remoteItem", "remoteItem"),
    ] {
        if let Some(node) = child(channel, Ns::Podcast, name) {
            let message = if name == "trailer" {
                format!(
                    "{what} is not imported: castkit publishes episodes of `type = \"trailer\"` as trailers"
                )
            } else {
                format!("{what} is not imported: the catalogue has no field for it yet")
            };
            note(notes, node, message);
        }
    }
    show
}

/// `itunes:complete`, else `podcast:updateFrequency complete` (`updateFrequency`'s value and line), with a
/// note when the second decides or the two disagree.
fn complete(
    channel: Node<'_, '_>,
    update_frequency: Option<(bool, usize)>,
    notes: &mut Vec<Note>,
) -> bool {
    let itunes = child(channel, Ns::Itunes, "complete").map(|n| yes_no(&text(n)) == Some(true));
    match (itunes, update_frequency) {
        (None, Some((true, line))) => {
            notes.push(Note {
                line: Some(line),
                message: "podcast:updateFrequency says the show is complete and the feed has no itunes:complete: imported as `complete = true`, which castkit publishes as both".to_owned(),
            });
            true
        }
        (Some(itunes), Some((said, line))) if itunes != said => {
            notes.push(Note {
                line: Some(line),
                message: format!("podcast:updateFrequency complete=\"{said}\" contradicts itunes:complete; imported as `complete = {itunes}`, as itunes:complete says"),
            });
            itunes
        }
        (itunes, _) => itunes.unwrap_or(false),
    }
}

/// One `<item>`, or a `podcast:liveItem` with its schedule `live`. `show_image` is the show's cover art.
fn episode(
    item: Node<'_, '_>,
    source: &str,
    base: Option<&url::Url>,
    show_image: Option<&str>,
    live: Option<Live>,
    notes: &mut Vec<Note>,
) -> Option<Episode> {
    let line = Some(line_of(source, item));
    let mut note = |message: String| notes.push(Note { line, message });
    let title = trimmed(child(item, Ns::Rss, "title"))
        .or_else(|| trimmed(child(item, Ns::Itunes, "title")));
    let enclosure = child(item, Ns::Rss, "enclosure");
    let written_url = attr(enclosure, "url");
    let url = written_url.clone().and_then(|u| absolute(u, base));
    if let (Some(written), None) = (&written_url, &url) {
        note(format!(
            "the enclosure URL `{written}` of {} is not an absolute http(s) URL and cannot be resolved; the item is not imported",
            title
                .as_deref()
                .map_or_else(|| "an item".to_owned(), |t| format!("`{t}`"))
        ));
        return None;
    }
    let Some(url) = url else {
        note(format!(
            "the item {} has no enclosure and is not imported: every episode of a catalogue has audio",
            title
                .as_deref()
                .map_or_else(String::new, |t| format!("`{t}`"))
        ));
        return None;
    };
    if let Some(kind) = attr(enclosure, "type").filter(|t| !crate::vocab::media_type::is_media(t)) {
        note(format!(
            "the item {} encloses `{kind}`, not audio or video, and is not imported",
            title.as_deref().map_or_else(
                || format!("with the enclosure `{url}`"),
                |t| format!("`{t}`")
            )
        ));
        return None;
    }
    let title = title.unwrap_or_else(|| {
        let name = url.rsplit('/').next().unwrap_or(&url).to_owned();
        note(format!(
            "the item with the enclosure `{url}` has no title; imported as `{name}`"
        ));
        name
    });
    let published = trimmed(child(item, Ns::Rss, "pubDate"))
        .and_then(|d| parse_rfc2822(&d))
        .map(|p| p.0)
        .or_else(|| live.map(|l| l.start));
    let Some(published) = published else {
        note(format!(
            "the item `{title}` has no readable pubDate and is not imported: apps order episodes by it"
        ));
        return None;
    };
    let guid = match trimmed(child(item, Ns::Rss, "guid")) {
        Some(g) => Mapped::kept(g),
        None => Mapped {
            value: url.clone(),
            was: Some("the feed's item has no guid; apps identify it by its enclosure URL, kept as its guid".to_owned()),
        },
    };
    let length = match attr(enclosure, "length").map(|l| l.parse::<u64>()) {
        Some(Ok(n)) => Mapped::kept(n),
        // A live stream has no length; the catalogue leaves it out.
        _ if live.is_some() => Mapped::kept(0),
        other => Mapped {
            value: 0,
            was: Some(format!(
                "the feed's enclosure length is {}; 0 written, correct it if you know the size",
                match other {
                    Some(_) => format!(
                        "`{}`, not a number",
                        attr(enclosure, "length").unwrap_or_default()
                    ),
                    None => "missing".to_owned(),
                }
            )),
        },
    };
    let mime = match attr(enclosure, "type") {
        Some(t) if t.contains('/') => Mapped::kept(t),
        other => {
            let guessed = guess_mime(&url);
            Mapped {
                value: guessed.to_owned(),
                was: Some(format!(
                    "the feed's enclosure type is {}; `{guessed}` from the file name",
                    other.map_or_else(|| "missing".to_owned(), |t| format!("`{t}`"))
                )),
            }
        }
    };
    let duration_ms = trimmed(child(item, Ns::Itunes, "duration"))
        .and_then(|d| duration_seconds(&d))
        .map(|s| (s * 1000.0).round() as u64);
    let notes_html = [
        child(item, Ns::Content, "encoded"),
        child(item, Ns::Rss, "description"),
        child(item, Ns::Itunes, "summary"),
    ]
    .into_iter()
    .find_map(trimmed);
    let number_text = trimmed(child(item, Ns::Itunes, "episode"))
        .or_else(|| trimmed(child(item, Ns::Podcast, "episode")));
    let number = match number_text.as_deref().map(str::parse::<u32>) {
        None => Mapped::kept(None),
        Some(Ok(n)) if n > 0 => Mapped::kept(Some(n)),
        Some(_) => Mapped {
            value: None,
            was: Some(format!(
                "the feed's episode number `{}` is not a whole number from 1 up; left out",
                number_text.unwrap_or_default()
            )),
        },
    };
    let season = trimmed(child(item, Ns::Itunes, "season"))
        .or_else(|| trimmed(child(item, Ns::Podcast, "season")))
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|s| *s > 0);
    let episode_type = trimmed(child(item, Ns::Itunes, "episodeType")).and_then(|t| {
        match t.to_ascii_lowercase().as_str() {
            "trailer" => Some("trailer"),
            "bonus" => Some("bonus"),
            _ => None,
        }
    });
    let explicit = child(item, Ns::Itunes, "explicit").map(|n| explicit(n, source, notes).value);
    let transcripts = children(item, Ns::Podcast, "transcript")
        .filter_map(|t| {
            Some(Transcript {
                url: attr(Some(t), "url")?,
                mime: attr(Some(t), "type")?,
                language: attr(Some(t), "language").filter(|l| Language::parse(l).is_some()),
                captions: t.attribute("rel") == Some("captions"),
            })
        })
        .collect();
    let soundbites = children(item, Ns::Podcast, "soundbite")
        .filter_map(|b| {
            let ms = |name: &str| {
                attr(Some(b), name)?
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(|x| (x * 1000.0).round() as u64)
            };
            let (start_ms, duration_ms) = (ms("startTime")?, ms("duration")?);
            (duration_ms > 0).then(|| Soundbite {
                start_ms,
                duration_ms,
                title: trimmed(Some(b)),
            })
        })
        .collect();
    let image = attr(child(item, Ns::Itunes, "image"), "href").and_then(|i| absolute(i, base));
    let podcasting = podcasting::episode_tags(
        item,
        image.as_deref().filter(|i| Some(*i) != show_image),
        live,
        &mut podcasting::Context {
            source,
            base,
            notes,
        },
    );
    for (what, name) in [
        ("podcast:alternateEnclosure", "alternateEnclosure"),
        ("podcast:location", "location"),
        ("podcast:funding", "funding"),
        ("podcast:license", "license"),
    ] {
        if child(item, Ns::Podcast, name).is_some() {
            notes.push(Note {
                line,
                message: format!("{what} of `{title}` is not imported: the catalogue has no episode field for it yet"),
            });
        }
    }
    Some(Episode {
        notes: notes_html.map(|h| to_markdown(&h)),
        guid,
        published,
        url,
        length,
        mime,
        duration_ms,
        season,
        number,
        episode_type,
        explicit,
        image,
        link: trimmed(child(item, Ns::Rss, "link")),
        keywords: trimmed(child(item, Ns::Itunes, "keywords"))
            .map(|k| split_keywords(&k))
            .unwrap_or_default(),
        block: child(item, Ns::Itunes, "block").is_some_and(|n| yes_no(&text(n)) == Some(true)),
        persons: persons(item, source, notes),
        chapters: attr(child(item, Ns::Podcast, "chapters"), "url"),
        transcripts,
        soundbites,
        podcasting,
        title,
    })
}

/// Show notes as Markdown: HTML converted (links, lists, emphasis kept; scripts and styles dropped), plain
/// text kept with its paragraphs.
pub(super) fn to_markdown(text: &str) -> String {
    let looks_like_html = text
        .match_indices('<')
        .any(|(i, _)| text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'));
    let html = if looks_like_html {
        text.to_owned()
    } else {
        text.split("\n\n")
            .map(|p| format!("<p>{}</p>", escape_html(p.trim()).replace('\n', "<br>")))
            .collect()
    };
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "head", "iframe", "object", "embed"])
        .build();
    converter
        .convert(&html)
        .map(|md| md.trim().to_owned())
        .unwrap_or_else(|_| text.trim().to_owned())
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn split_keywords(k: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    k.split(',')
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty() && seen.insert(w.to_lowercase()))
        .collect()
}

fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

fn explicit(node: Node<'_, '_>, source: &str, notes: &mut Vec<Note>) -> Mapped<bool> {
    let written = text(node).trim().to_ascii_lowercase();
    let value = matches!(written.as_str(), "true" | "yes" | "explicit");
    if matches!(written.as_str(), "true" | "false") {
        return Mapped::kept(value);
    }
    let was =
        format!("the feed says itunes:explicit `{written}`; Apple takes only `true` or `false`");
    notes.push(Note {
        line: Some(line_of(source, node)),
        message: format!("{was}: imported as `{value}`"),
    });
    Mapped {
        value,
        was: Some(was),
    }
}

fn language(channel: Node<'_, '_>, source: &str, notes: &mut Vec<Note>) -> Mapped<String> {
    let Some(node) = child(channel, Ns::Rss, "language") else {
        notes.push(Note {
            line: None,
            message: "the feed has no <language>; `en` written, correct it if the show is in another language".to_owned(),
        });
        return Mapped {
            value: "en".to_owned(),
            was: Some("the feed has no <language>; `en` assumed".to_owned()),
        };
    };
    let written = text(node).trim().to_owned();
    if let Some(tag) = Language::parse(&written) {
        return Mapped::kept(tag.as_str().to_owned());
    }
    let normalised = written.replace('_', "-");
    let candidates = [
        Some(normalised.clone()),
        normalised.split('-').next().map(str::to_owned),
        isolang::Language::from_name_lowercase(&written.trim().to_lowercase())
            .or_else(|| isolang::Language::from_autonym(written.trim()))
            .and_then(|l| l.to_639_1().map(str::to_owned)),
    ];
    let (value, how) = match candidates
        .into_iter()
        .flatten()
        .find_map(|c| Language::parse(&c))
    {
        Some(tag) => (tag.as_str().to_owned(), "the nearest valid language tag"),
        None => (
            "en".to_owned(),
            "not a language tag; `en` assumed, correct it",
        ),
    };
    let was = format!("the feed says <language> `{written}`, {how}");
    notes.push(Note {
        line: Some(line_of(source, node)),
        message: format!("{was}: imported as `{value}`"),
    });
    Mapped {
        value,
        was: Some(was),
    }
}

/// The category written when the feed has no usable one (a note asks for the show's own).
const FALLBACK_CATEGORY: &str = "Society & Culture";

fn categories(channel: Node<'_, '_>, source: &str, notes: &mut Vec<Note>) -> Vec<Mapped<String>> {
    let mut out: Vec<Mapped<String>> = Vec::new();
    for node in children(channel, Ns::Itunes, "category") {
        let Some(parent) = node.attribute("text").map(str::trim) else {
            continue;
        };
        let subs: Vec<&str> = children(node, Ns::Itunes, "category")
            .filter_map(|s| s.attribute("text").map(str::trim))
            .collect();
        let pairs: Vec<(&str, Option<&str>)> = if subs.is_empty() {
            vec![(parent, None)]
        } else {
            subs.iter().map(|s| (parent, Some(*s))).collect()
        };
        for (parent, sub) in pairs {
            let written = match sub {
                Some(s) => format!("{parent} > {s}"),
                None => parent.to_owned(),
            };
            let mapped = if is_apple_category(parent, sub) {
                Mapped::kept(written.clone())
            } else {
                let (value, why) = if let Some(now) = obsolete_apple_category(parent, sub) {
                    // A retired parent's subcategory that lives on under the successor keeps its place
                    // (`Games & Hobbies > Video Games` → `Leisure > Video Games`).
                    let kept_sub =
                        sub.filter(|s| !now.contains('>') && is_apple_category(now, Some(s)));
                    let now = kept_sub.map_or_else(|| now.to_owned(), |s| format!("{now} > {s}"));
                    (Some(now), "retired by Apple; imported as its successor")
                } else if let Some(near) = nearest_apple_category(parent, sub) {
                    (Some(near), "not one of Apple's; imported as the nearest")
                } else if sub.is_some() && is_apple_category(parent, None) {
                    (
                        Some(parent.to_owned()),
                        "not one of Apple's subcategories; imported as its parent",
                    )
                } else {
                    (
                        None,
                        "not one of Apple's categories, and none is near; left out",
                    )
                };
                let was = format!("the feed's category `{written}` is {why}");
                notes.push(Note {
                    line: Some(line_of(source, node)),
                    message: match &value {
                        Some(v) => format!("{was}: `{v}`"),
                        None => was.clone(),
                    },
                });
                match value {
                    Some(value) => Mapped {
                        value,
                        was: Some(was),
                    },
                    None => continue,
                }
            };
            if !out.iter().any(|m| m.value == mapped.value) {
                out.push(mapped);
            }
        }
    }
    if out.is_empty() {
        // The catalogue needs one; a note says which line to change.
        let fallback = FALLBACK_CATEGORY.to_owned();
        notes.push(Note {
            line: None,
            message: format!("the feed has no usable itunes:category; `{fallback}` written, choose the show's own"),
        });
        out.push(Mapped {
            value: fallback,
            was: Some("the feed has no usable category: choose the show's own".to_owned()),
        });
    }
    out
}

fn persons(parent: Node<'_, '_>, source: &str, notes: &mut Vec<Note>) -> Vec<Person> {
    children(parent, Ns::Podcast, "person")
        .filter_map(|p| {
            let name = trimmed(Some(p))?;
            let role = attr(Some(p), "role").map(|r| r.to_lowercase());
            let group = attr(Some(p), "group").map(|g| g.to_lowercase());
            let known = match (&role, &group) {
                (Some(r), Some(g)) => crate::vocab::person::person_role_in_group(r, g),
                (Some(r), None) => crate::vocab::person::person_role_group(r).is_some(),
                (None, Some(g)) => crate::vocab::person::person_group(g).is_some(),
                (None, None) => true,
            };
            let (role, group) = if known {
                (role, group)
            } else {
                notes.push(Note {
                    line: Some(line_of(source, p)),
                    message: format!(
                        "the role of {name} (`{}`/`{}`) is not in the Podcast Taxonomy; imported without it (a host)",
                        role.as_deref().unwrap_or("-"),
                        group.as_deref().unwrap_or("-")
                    ),
                });
                (None, None)
            };
            Some(Person {
                name,
                role,
                group,
                href: attr(Some(p), "href"),
                img: attr(Some(p), "img"),
            })
        })
        .collect()
}

fn location(node: Node<'_, '_>) -> Option<Location> {
    Some(Location {
        name: trimmed(Some(node))?,
        geo: attr(Some(node), "geo"),
        osm: attr(Some(node), "osm"),
        country: attr(Some(node), "country")
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic())),
    })
}

/// The MIME type of an enclosure without one, from its file name.
fn guess_mime(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "m4a" | "m4b" | "aac" => "audio/x-m4a",
        "mp4" => "video/mp4",
        "m4v" => "video/x-m4v",
        "mov" => "video/quicktime",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "flac" => "audio/flac",
        "wav" => "audio/wav",
        _ => "audio/mpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_category_is_one_of_apples() {
        assert!(is_apple_category(FALLBACK_CATEGORY, None));
    }
}
