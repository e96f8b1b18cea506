//! `build-feed --against`: the release compared with the feed already published, before anything is
//! written. A breaking change (a changed guid, a removed episode, a moved feed…) fails the build, pointing
//! at the episode in `episodes.toml` and at the line of the published feed.

use std::io::Read;
use std::path::PathBuf;

use super::{Against, BuildError, BuildOptions};
use crate::catalogue::{Catalogue, Episode, Published};
use crate::diag::{Diagnostic, SourceFile};
use crate::diff::{self, About, Input, Summary};
use crate::fetch;

/// The published feed as read.
#[derive(Debug)]
pub(super) struct PublishedFeed {
    /// Its URL or path, for messages.
    pub(super) name: String,
    /// Its bytes.
    pub(super) bytes: Vec<u8>,
    /// What happened on the way (redirects followed, a copy kept from last time), one line each.
    pub(super) notes: Vec<String>,
}

/// What the comparison found.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The published feed's URL or path.
    pub published: String,
    /// The counts of changes.
    pub summary: Summary,
    /// What happened while fetching it (redirects, a copy kept from last time).
    pub notes: Vec<String>,
}

/// Reads the published feed named by `--against`, else by `[build] against`; `None` when there is none or
/// the comparison is off.
pub(super) fn load(
    options: &BuildOptions,
    catalogue: &Catalogue,
) -> Result<Option<PublishedFeed>, BuildError> {
    let spec = match &options.against {
        Against::Off => return Ok(None),
        Against::Feed(spec) if fetch::is_url(spec) => Spec::Url(spec.clone()),
        Against::Feed(spec) => Spec::Path(PathBuf::from(spec)),
        Against::Catalogue => match catalogue.build.against.as_ref().map(|a| &a.value) {
            None => return Ok(None),
            Some(Published::Url(url)) => Spec::Url(url.to_string()),
            Some(Published::Path(path)) => Spec::Path(path.clone()),
        },
    };
    match spec {
        Spec::Url(url) => {
            let cache = fetch::feed_cache_dir();
            let fetched =
                fetch::fetch_cached(&url, &options.fetch, cache.as_deref()).map_err(|source| {
                    BuildError::Published {
                        name: url.clone(),
                        source: Box::new(source),
                    }
                })?;
            let notes = fetch::notes(&fetched);
            Ok(Some(PublishedFeed {
                name: url,
                bytes: fetched.bytes,
                notes,
            }))
        }
        Spec::Path(path) => {
            let name = path.display().to_string();
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .and_then(|f| {
                    f.take(crate::validate::MAX_FEED_BYTES as u64 + 1)
                        .read_to_end(&mut bytes)
                })
                .map_err(|source| BuildError::Published {
                    name: name.clone(),
                    source: Box::new(source),
                })?;
            Ok(Some(PublishedFeed {
                name,
                bytes,
                notes: Vec::new(),
            }))
        }
    }
}

enum Spec {
    Url(String),
    Path(PathBuf),
}

/// Compares the feed about to be written (`bytes`, named `feed_name`) with the published one. Findings about
/// an episode point at its table in the catalogue, findings about the show at `[show]`, each with the
/// published feed's line as the related place; a removed episode points at the published feed.
pub(super) fn compare(
    published: &PublishedFeed,
    feed_name: &str,
    bytes: &[u8],
    options: &BuildOptions,
    (episodes, guids): (&[&Episode], &[String]),
    source: &SourceFile,
) -> (Vec<Diagnostic>, Option<Summary>) {
    let compared = diff::diff(
        Input {
            name: &published.name,
            bytes: &published.bytes,
        },
        Input {
            name: feed_name,
            bytes,
        },
        &diff::Options {
            allow: options.allow.clone(),
        },
    );
    let compared = match compared {
        Ok(compared) => compared,
        Err(unreadable) => {
            // The feed castkit rendered is always readable, so this is the published one.
            let mut findings = unreadable.findings;
            for d in &mut findings {
                let help = format!(
                    "the published feed `{}` cannot be compared with; fix it by hand, or build with `--no-against` to replace it",
                    published.name
                );
                d.help = Some(help);
            }
            return (findings, None);
        }
    };
    let show_at = source.text().find("[show]").unwrap_or(0);
    let findings = compared
        .findings
        .into_iter()
        .map(|f| {
            let mut d = f.diagnostic;
            if let Some(related) = &mut d.related {
                related.label = "in the published feed".to_owned();
            }
            let episode = |guid: &Option<String>| {
                let at = guids
                    .iter()
                    .position(|g| Some(g.as_str()) == guid.as_deref())?;
                Some(episodes[at].span.clone())
            };
            match &f.about {
                About::Removed => {}
                About::Show => d.location = Some(source.location(show_at..show_at + 6)),
                About::Episode(guid) => {
                    let span = episode(guid).unwrap_or(show_at..show_at + 6);
                    d.location = Some(source.location(span));
                }
            }
            d
        })
        .collect();
    (findings, Some(compared.summary))
}
