//! `castkit import`: an existing podcast feed turned into `episodes.toml`, keeping everything that
//! identifies the show and its episodes to apps — item guids verbatim, `podcast:guid`, enclosure URLs,
//! lengths and types, publication dates with their offsets, titles, numbers — so that the first release
//! built from the catalogue breaks no subscriber (`castkit diff` finds nothing breaking).
//!
//! Media stays where it is: episodes point at their enclosure URLs and state their length, type and
//! duration ([`crate::catalogue::StatedAudio`]). Values today's rules refuse (a retired Apple category,
//! `yes` for explicit, `English` for a language) are mapped to the nearest valid one, with a comment in the
//! catalogue and a [`Note`]. The Podcasting 2.0 tags beyond the everyday ones (value blocks, podroll,
//! live items…) are kept, each value checked by the rule the catalogue reader applies to it; a value it
//! would refuse is left out with a note naming its line. A feed whose owner locked it (`podcast:locked`) is
//! refused unless the owner says it is theirs.

mod read;
mod write;

use std::collections::{BTreeMap, BTreeSet};

use url::Url;

use crate::diag::Diagnostic;
use crate::feed::parse::{Ns, child};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The URL the feed was fetched from, if it was: the fallback for `feed_url`, and `[build] against`.
    pub fetched_from: Option<Url>,
    /// The show's feed URL from now on; the feed's own (`atom:link rel="self"`) when `None`.
    pub feed_url: Option<Url>,
    /// Import a feed marked `<podcast:locked>yes</podcast:locked>`: the owner moving their own show.
    pub allow_locked: bool,
}

/// Something the user should know about the import: a value mapped, a tag not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The line in the feed it is about, when it is about one.
    pub line: Option<usize>,
    /// What happened, and what to do if anything.
    pub message: String,
}

/// An episode's published audio, for `--download`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedAudio {
    /// The enclosure URL.
    pub url: String,
    /// The enclosure length the feed states (0 when it states none).
    pub length: u64,
    /// A file name for the local copy: the URL's last path segment, made unique in the show.
    pub file_name: String,
}

/// The imported show: the catalogue's text, and what was noticed on the way.
#[derive(Debug)]
pub struct Imported {
    show: read::Show,
    order: Vec<usize>,
    numbers: BTreeMap<usize, read::Mapped<Option<u32>>>,
    addresses: write::Addresses,
    /// Everything mapped, dropped or assumed, in feed order.
    pub notes: Vec<Note>,
}

impl Imported {
    /// The catalogue, every episode's audio at its published URL.
    pub fn catalogue(&self) -> String {
        self.catalogue_with_local_audio(&BTreeMap::new())
    }

    /// The catalogue, with the episodes in `local` (by their position in [`Imported::audio`]) pointing at
    /// the local copies of their audio (paths relative to the catalogue's folder, inside its media folder).
    pub fn catalogue_with_local_audio(&self, local: &BTreeMap<usize, String>) -> String {
        let by_item: BTreeMap<usize, String> = local
            .iter()
            .filter_map(|(position, path)| Some((*self.order.get(*position)?, path.clone())))
            .collect();
        write::catalogue(
            &self.show,
            &self.order,
            &self.numbers,
            &self.addresses,
            &by_item,
        )
    }

    /// How many episodes the catalogue has.
    pub fn episode_count(&self) -> usize {
        self.order.len()
    }

    /// The show's title.
    pub fn title(&self) -> &str {
        &self.show.title
    }

    /// Every imported episode's published audio, in the catalogue's order (oldest first).
    pub fn audio(&self) -> Vec<PublishedAudio> {
        let mut names = BTreeSet::new();
        self.order
            .iter()
            .map(|&i| {
                let e = &self.show.episodes[i];
                PublishedAudio {
                    url: e.url.clone(),
                    length: e.length.value,
                    file_name: unique_name(&e.url, &e.mime.value, &mut names),
                }
            })
            .collect()
    }
}

/// Why a feed could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The feed cannot be read (not XML, not a feed, too large…): the validator's findings say why.
    #[error("`{name}` cannot be read as a feed")]
    Unreadable {
        /// The feed's name.
        name: String,
        /// Why, as `castkit validate` reports it.
        findings: Vec<Diagnostic>,
    },
    /// The feed is not RSS 2.0 with a `<channel>`.
    #[error("`{name}` is not an RSS feed with a <channel>: castkit imports podcast RSS feeds")]
    NotRss {
        /// The feed's name.
        name: String,
    },
    /// The feed is locked by its owner.
    #[error(
        "`{name}` is locked by its owner (<podcast:locked>yes</podcast:locked>{}): the namespace asks hosts not to import it; if the show is yours, run the import again with --allow-locked",
        owner.as_ref().map_or_else(String::new, |o| format!(", owner {o}"))
    )]
    Locked {
        /// The feed's name.
        name: String,
        /// The `owner` attribute, if any.
        owner: Option<String>,
    },
    /// Not one item has an enclosure and a date.
    #[error("`{name}` has no episode castkit can import (an item with an enclosure and a pubDate)")]
    NoEpisodes {
        /// The feed's name.
        name: String,
    },
}

/// Reads the feed `bytes` (named `name` in messages) into an importable show.
///
/// # Errors
/// [`ImportError`] when the feed cannot be read, is not RSS, is locked, or has no episode.
pub fn import(name: &str, bytes: &[u8], options: &Options) -> Result<Imported, ImportError> {
    let (_, result) = crate::validate::read_feed(name, bytes, |source, doc| {
        let root = doc.root_element();
        if root.tag_name().name() != "rss" {
            return Err(ImportError::NotRss {
                name: name.to_owned(),
            });
        }
        let Some(channel) = child(root, Ns::Rss, "channel") else {
            return Err(ImportError::NotRss {
                name: name.to_owned(),
            });
        };
        if let Some(locked) = child(channel, Ns::Podcast, "locked")
            && crate::feed::parse::text(locked)
                .trim()
                .eq_ignore_ascii_case("yes")
            && !options.allow_locked
        {
            return Err(ImportError::Locked {
                name: name.to_owned(),
                owner: locked.attribute("owner").map(str::to_owned),
            });
        }
        let mut notes = Vec::new();
        let show = read::read(
            source.text(),
            channel,
            options.fetched_from.as_ref(),
            &mut notes,
        );
        Ok((show, notes))
    })
    .map_err(|findings| ImportError::Unreadable {
        name: name.to_owned(),
        findings,
    })?;
    let (mut show, mut notes) = result?;
    let kept = dedupe_guids(&mut show, &mut notes);
    if kept.is_empty() {
        return Err(ImportError::NoEpisodes {
            name: name.to_owned(),
        });
    }
    // Oldest first, as a producer adds episodes; among equal dates, the feed's order from its end.
    let mut order = kept;
    order.sort_by_key(|&i| (show.episodes[i].published.timestamp(), std::cmp::Reverse(i)));
    let numbers = dedupe_numbers(&show, &order, &mut notes);
    let addresses = addresses(&show, name, options, &mut notes);
    Ok(Imported {
        show,
        order,
        numbers,
        addresses,
        notes,
    })
}

/// Keeps the first item of each guid (apps show only one of them), noting the others.
fn dedupe_guids(show: &mut read::Show, notes: &mut Vec<Note>) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    let mut kept = Vec::new();
    for (i, e) in show.episodes.iter().enumerate() {
        if seen.insert(e.guid.value.clone()) {
            kept.push(i);
        } else {
            notes.push(Note {
                line: None,
                message: format!(
                    "the item `{}` has the guid `{}` of an item before it, and is not imported: apps show one episode per guid",
                    e.title, e.guid.value
                ),
            });
        }
    }
    kept
}

/// A second full episode with the same season and number loses its number (the catalogue requires each
/// to be unique; apps order by date anyway).
fn dedupe_numbers(
    show: &read::Show,
    order: &[usize],
    notes: &mut Vec<Note>,
) -> BTreeMap<usize, read::Mapped<Option<u32>>> {
    let mut seen = BTreeSet::new();
    let mut changed = BTreeMap::new();
    for &i in order {
        let e = &show.episodes[i];
        let (Some(n), None) = (e.number.value, e.episode_type) else {
            continue;
        };
        if !seen.insert((e.season, n)) {
            let was = format!(
                "the feed gives episode number {n}{} to an earlier episode too; left out here",
                e.season
                    .map_or_else(String::new, |s| format!(" of season {s}"))
            );
            notes.push(Note {
                line: None,
                message: format!("`{}`: {was}", e.title),
            });
            changed.insert(
                i,
                read::Mapped {
                    value: None,
                    was: Some(was),
                },
            );
        }
    }
    changed
}

/// The show's addresses: its feed URL (the feed's own, so that apps and `podcast:guid` see the same show),
/// the media base below it, its podcast guid.
fn addresses(
    show: &read::Show,
    name: &str,
    options: &Options,
    notes: &mut Vec<Note>,
) -> write::Addresses {
    let parse = read::web_url;
    let (feed_url, feed_url_comment) = if let Some(url) = &options.feed_url {
        (url.clone(), "Where the feed will be served (--feed-url).")
    } else if let Some(url) = show.self_url.as_deref().and_then(parse) {
        (
            url,
            "Where the feed is served: its own address (atom:link rel=\"self\"), by which apps know it.",
        )
    } else if let Some(url) = &options.fetched_from {
        (
            url.clone(),
            "Where the feed was fetched from, by which apps know it.",
        )
    } else {
        let base = show
            .link
            .as_deref()
            .and_then(parse)
            .unwrap_or_else(|| Url::parse("https://example.com/").expect("a valid URL"));
        let url = base.join("feed.xml").unwrap_or(base);
        notes.push(Note {
            line: None,
            message: format!("the feed does not say where it is served (no atom:link rel=\"self\"); `feed_url` is set to `{url}`: correct it before publishing"),
        });
        (
            url,
            "TODO: where the feed will be served (the feed did not say).",
        )
    };
    let media_base_url = feed_url
        .join("media/")
        .map_or_else(|_| feed_url.to_string(), |u| u.to_string());
    let (podcast_guid, podcast_guid_comment) = match show
        .podcast_guid
        .as_deref()
        .map(uuid::Uuid::parse_str)
    {
        Some(Ok(g)) => (
            g.to_string(),
            "The show's permanent id (podcast:guid), kept from the feed.",
        ),
        invalid => {
            if let (Some(written), Some(Err(_))) = (&show.podcast_guid, &invalid) {
                notes.push(Note {
                    line: None,
                    message: format!("the feed's podcast:guid `{written}` is not a UUID, as the namespace requires; replaced by the UUIDv5 of the feed's address (the Podcast Index keys the show by it: tell it)"),
                });
            }
            let from = show
                .self_url
                .clone()
                .or_else(|| options.fetched_from.as_ref().map(ToString::to_string))
                .unwrap_or_else(|| feed_url.to_string());
            (
                crate::vocab::podcast::podcast_guid_for_feed_url(&from).to_string(),
                "The show's permanent id (podcast:guid): the feed had none, so this is the UUIDv5 of its\naddress, as the Podcasting 2.0 namespace defines it. Keep it when the feed moves.",
            )
        }
    };
    let link = show
        .link
        .clone()
        .filter(|l| parse(l).is_some())
        .unwrap_or_else(|| feed_url.to_string());
    write::Addresses {
        feed_url: feed_url.to_string(),
        feed_url_comment,
        media_base_url,
        podcast_guid,
        podcast_guid_comment,
        link,
        against: options.fetched_from.as_ref().map(ToString::to_string),
        source: options
            .fetched_from
            .as_ref()
            .map_or_else(|| format!("`{name}`"), |u| u.to_string()),
    }
}

/// A file name for an enclosure's local copy: its URL's last segment (decoded, made safe), with an
/// extension for its type when it has none, unique among `taken`.
fn unique_name(url: &str, mime: &str, taken: &mut BTreeSet<String>) -> String {
    let last = Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(str::to_owned))
        })
        .unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(&last)
        .decode_utf8_lossy()
        .into_owned();
    let mut name: String = decoded
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim_matches(['.', ' ']).to_owned();
    if name.is_empty() {
        name = "episode".to_owned();
    }
    if !name.contains('.') {
        let ext = crate::vocab::media_type::extensions_for(mime)
            .first()
            .copied()
            .unwrap_or("mp3");
        name = format!("{name}.{ext}");
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_owned(), format!(".{e}")),
        None => (name.clone(), String::new()),
    };
    let mut candidate = name;
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{stem}-{n}{ext}");
        n += 1;
    }
    candidate
}
