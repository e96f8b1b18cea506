//! `build-feed --against`: the release compared with the feed already published, before anything is
//! written. A breaking change (a changed guid, a removed episode, a moved feed…) fails the build, pointing
//! at the episode in `episodes.toml` and at the line of the published feed.

use std::io::Read;
use std::path::PathBuf;

use super::archive::Rendered;
use super::{Against, BuildError, BuildOptions};
use crate::catalogue::{Catalogue, Episode, Published};
use crate::diag::{Diagnostic, SourceFile};
use crate::diff::{self, About, Input, Summary};
use crate::fetch;

/// The published feed, read once however often it is compared.
#[derive(Debug)]
pub(super) struct PublishedFeed {
    /// Its URL or path, for messages.
    pub(super) name: String,
    /// The feed, read for comparing.
    feed: diff::Feed,
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
/// the comparison is off, or when it is not a feed that can be compared with (the findings that say why
/// are added to `diagnostics`, as errors).
pub(super) fn load(
    options: &BuildOptions,
    catalogue: &Catalogue,
    diagnostics: &mut Vec<Diagnostic>,
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
            Ok(read(url, &fetched.bytes, notes, diagnostics))
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
            Ok(read(name, &bytes, Vec::new(), diagnostics))
        }
    }
}

/// Reads the published feed's bytes for comparing; a feed that cannot be read is a finding.
fn read(
    name: String,
    bytes: &[u8],
    notes: Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PublishedFeed> {
    let input = Input { name: &name, bytes };
    match diff::read(input, diff::Side::Old) {
        Ok(feed) => Some(PublishedFeed { name, feed, notes }),
        Err(unreadable) => {
            let help = format!(
                "the published feed `{name}` cannot be compared with; fix it by hand, or build with `--no-against` to replace it"
            );
            diagnostics.extend(
                unreadable
                    .findings
                    .into_iter()
                    .map(|d| d.severity(crate::diag::Severity::Error).help(help.clone())),
            );
            None
        }
    }
}

enum Spec {
    Url(String),
    Path(PathBuf),
}

/// Compares the feed about to be written (`rendered`, named `feed_name`) with the published one; an
/// episode the release keeps in one of its archive pages has moved there (D012), not gone. Findings about
/// an episode point at its table in the catalogue, findings about the show at `[show]`, each with the
/// published feed's line as the related place; a removed episode points at the published feed.
pub(super) fn compare(
    published: &PublishedFeed,
    feed_name: &str,
    rendered: &Rendered,
    options: &BuildOptions,
    catalogue: &Catalogue,
    (episodes, guids): (&[&Episode], &[String]),
    source: &SourceFile,
) -> (Vec<Diagnostic>, Option<Summary>) {
    let new = diff::read(
        Input {
            name: feed_name,
            bytes: &rendered.feed,
        },
        diff::Side::New,
    );
    // An episode this release moves into an archive page has not gone.
    let archived = rendered
        .pages
        .iter()
        .flat_map(|page| {
            let name = page
                .path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
            page.guids.iter().map(move |g| (g.clone(), name.clone()))
        })
        .collect();
    let new = match new {
        Ok(new) => new,
        // A feed castkit rendered that it cannot read back: the findings say why.
        Err(unreadable) => return (unreadable.findings, None),
    };
    let compared = diff::compare(
        &published.feed,
        &new,
        &diff::Options {
            allow: options.allow.clone(),
            archived,
        },
    );
    let show = catalogue.show.span.clone();
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
                About::Show => d.location = Some(source.location(show.clone())),
                About::Episode(guid) => {
                    let span = episode(guid).unwrap_or_else(|| show.clone());
                    d.location = Some(source.location(span));
                }
            }
            d
        })
        .collect();
    (findings, Some(compared.summary))
}
