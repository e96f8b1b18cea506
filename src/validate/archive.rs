//! A feed paged into archive pages (RFC 5005 section 4): the subscription document links to its newest
//! archive page with `prev-archive`, each archive page to the next older one, and back with `next-archive`.
//!
//! [`check_series`] walks those links from the feed, reading each page through a resolver (a folder on disk
//! for `castkit validate DIR`, the pages in memory for `build-feed`), and reports what breaks the series
//! (the F5xx rules): a missing page, a loop, a page without `fh:archive`, a `current` link that is not the
//! feed's URL, links that do not point back at each other, a guid in two documents. Each page's own
//! content is checked by the usual rules, by the caller.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use roxmltree::Node;

use super::{MAX_FEED_BYTES, MediaMap, Options, rules};
use crate::diag::{Diagnostic, SourceFile};
use crate::feed::parse::{self, Ns, child, children, text};
use crate::vocab::ns;

/// The file name `castkit validate DIR` reads first.
pub const FEED_FILE_NAME: &str = "feed.xml";

/// The most pages a series is followed through: far more than any show needs, and a bound on the work a
/// hostile folder can cause.
pub const MAX_PAGES: usize = 10_000;

/// One document of the series, handed to [`check_series`]: how messages name it and its bytes.
#[derive(Debug, Clone)]
pub struct Page {
    /// The name in messages (its path).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A link of one document: its target and where the `href` is written.
#[derive(Debug, Clone)]
struct Link {
    href: String,
    range: Range<usize>,
}

/// What the series checks need from one document.
#[derive(Debug, Default)]
struct Facts {
    /// Where `<channel>` is named, for findings about the whole document.
    channel: Range<usize>,
    archive: bool,
    self_url: Option<Link>,
    current: Option<Link>,
    prev_archive: Option<Link>,
    next_archive: Option<Link>,
    /// Each item's guid and where its text is.
    guids: Vec<(String, Range<usize>)>,
}

/// Reads the links and guids of one document, or `None` when it cannot be read as RSS (its own validation
/// says why).
fn read_facts(name: &str, bytes: &[u8]) -> Option<(SourceFile, Facts)> {
    let (source, facts) = super::read_feed(name, bytes, |source, doc| {
        let root = doc.root_element();
        let channel = child(root, Ns::Rss, "channel")?;
        Some(facts_of(source.text(), channel))
    })
    .ok()?;
    Some((source, facts?))
}

fn facts_of(text_: &str, channel: Node<'_, '_>) -> Facts {
    let mut facts = Facts {
        channel: parse::name_range(text_, channel),
        archive: channel.children().any(is_archive_marker),
        ..Facts::default()
    };
    for link in children(channel, Ns::Atom, "link") {
        let Some(href) = link.attribute("href") else {
            continue;
        };
        let found = Link {
            href: href.trim().to_owned(),
            range: parse::attr_range(text_, link, "href"),
        };
        let slot = match link.attribute("rel") {
            Some("self") => &mut facts.self_url,
            Some("current") => &mut facts.current,
            Some("prev-archive") => &mut facts.prev_archive,
            Some("next-archive") => &mut facts.next_archive,
            _ => continue,
        };
        slot.get_or_insert(found);
    }
    for item in children(channel, Ns::Rss, "item") {
        if let Some(g) = child(item, Ns::Rss, "guid") {
            let value = text(g);
            if !value.is_empty() {
                facts.guids.push((value, parse::text_range(text_, g)));
            }
        }
    }
    facts
}

/// Whether `node` is `fh:archive`.
fn is_archive_marker(node: Node<'_, '_>) -> bool {
    node.is_element()
        && node.tag_name().name() == "archive"
        && node.tag_name().namespace() == Some(ns::FEED_HISTORY)
}

/// Whether the document's channel is marked `fh:archive` (it is an archive page, not a feed).
pub fn is_archive_page(bytes: &[u8]) -> bool {
    read_facts("", bytes).is_some_and(|(_, facts)| facts.archive)
}

/// The URL of the feed a channel belongs to: its `atom:link rel="current"` when it is an archive page
/// (`fh:archive`), which carries the feed's identity (its `podcast:guid` is derived from that URL).
pub(super) fn subscription_url<'a>(channel: Node<'a, '_>) -> Option<&'a str> {
    if !channel.children().any(is_archive_marker) {
        return None;
    }
    children(channel, Ns::Atom, "link")
        .find(|l| l.attribute("rel") == Some("current"))
        .and_then(|l| l.attribute("href"))
}

/// What walking a series found: the F5xx findings, and the archive pages read, newest first.
#[derive(Debug, Default)]
pub struct Series {
    /// The findings about the series itself.
    pub findings: Vec<Diagnostic>,
    /// The archive pages reached, newest first (each to be validated as a feed by the caller).
    pub pages: Vec<Page>,
}

/// Walks the `prev-archive` links from `feed`, reading each page with `resolve` (a URL → the page, or
/// `None` when there is no such page), and checks the series.
pub fn check_series(feed: &Page, mut resolve: impl FnMut(&str) -> Option<Page>) -> Series {
    let mut series = Series::default();
    let Some((feed_source, feed_facts)) = read_facts(&feed.name, &feed.bytes) else {
        return series;
    };
    let feed_url = feed_facts.self_url.as_ref().map(|l| l.href.clone());
    // Each guid and the document (and place) it was first seen in.
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for (guid, range) in &feed_facts.guids {
        let line = feed_source.line_col(range.start).0;
        seen.entry(guid.clone())
            .or_insert((feed.name.clone(), line));
    }
    // The documents read so far, by the URL they were reached by.
    let mut visited: Vec<String> = feed_url.iter().cloned().collect();
    let mut newer = (feed_source, feed_facts, None::<String>);
    while let Some(link) = newer.1.prev_archive.clone() {
        let (newer_source, _, newer_url) = &newer;
        let url = link.href.clone();
        if visited.contains(&url) {
            series.findings.push(
                rules::ARCHIVE_LOOP
                    .diag(format!(
                        "`prev-archive` leads back to `{url}`, a page already read"
                    ))
                    .at(newer_source.location(link.range.clone()))
                    .help("each archive page links to the next older one, and the oldest to none"),
            );
            break;
        }
        if series.pages.len() >= MAX_PAGES {
            series.findings.push(
                rules::ARCHIVE_LOOP
                    .diag(format!(
                        "the archive has more than {MAX_PAGES} pages; castkit stops here"
                    ))
                    .at(newer_source.location(link.range.clone())),
            );
            break;
        }
        visited.push(url.clone());
        let Some(page) = resolve(&url) else {
            series.findings.push(
                rules::ARCHIVE_PAGE_MISSING
                    .diag(format!("the archive page `{url}` is not there"))
                    .at(newer_source.location(link.range.clone()))
                    .help(format!(
                        "publish `{}` next to the feed, or link to the page that is",
                        last_segment(&url).unwrap_or(&url)
                    )),
            );
            break;
        };
        let Some((source, facts)) = read_facts(&page.name, &page.bytes) else {
            // Not RSS: its own validation says why; the walk cannot go further.
            series.pages.push(page);
            break;
        };
        if !facts.archive {
            series.findings.push(
                rules::NOT_AN_ARCHIVE
                    .diag(format!(
                        "`{}` is linked as an archive page but has no `fh:archive`",
                        page.name
                    ))
                    .at(source.location(facts.channel.clone()))
                    .help(format!(
                        "add `<fh:archive/>` to its channel, with `xmlns:fh=\"{}\"`",
                        ns::FEED_HISTORY
                    )),
            );
        }
        match (&facts.current, &feed_url) {
            (Some(current), Some(feed_url)) if &current.href == feed_url => {}
            (Some(current), _) => series.findings.push(
                rules::ARCHIVE_CURRENT_MISMATCH
                    .diag(format!(
                        "the archive page's `current` link is `{}`, not the feed's own URL {}",
                        current.href,
                        shown(feed_url.as_deref())
                    ))
                    .at(source.location(current.range.clone())),
            ),
            (None, _) => series.findings.push(
                rules::ARCHIVE_CURRENT_MISMATCH
                    .diag("the archive page has no `atom:link rel=\"current\"`")
                    .at(source.location(facts.channel.clone()))
                    .help(format!(
                        "add `<atom:link href=\"{}\" rel=\"current\" type=\"application/rss+xml\"/>`",
                        feed_url.as_deref().unwrap_or("https://…/feed.xml")
                    )),
            ),
        }
        if let Some(own) = &facts.self_url
            && own.href != url
        {
            series.findings.push(
                rules::ARCHIVE_LINKS_MISMATCH
                    .diag(format!(
                        "this page was reached as `{url}`, but its self link is `{}`",
                        own.href
                    ))
                    .at(source.location(own.range.clone())),
            );
        }
        // Back: the page's next-archive is the newer archive page, and the newest has none.
        let expected_next = newer_url.as_deref();
        let actual_next = facts.next_archive.as_ref().map(|l| l.href.as_str());
        let back_ok = match expected_next {
            Some(newer) => actual_next == Some(newer),
            None => actual_next.is_none() || actual_next == feed_url.as_deref(),
        };
        if !back_ok {
            let at = facts
                .next_archive
                .as_ref()
                .map_or(facts.channel.clone(), |l| l.range.clone());
            let message = match expected_next {
                Some(newer) => format!(
                    "`next-archive` is {}, but `{newer}` links here with `prev-archive`",
                    shown(actual_next)
                ),
                None => format!(
                    "this is the newest archive page, but its `next-archive` is {}",
                    shown(actual_next)
                ),
            };
            series.findings.push(
                rules::ARCHIVE_LINKS_MISMATCH
                    .diag(message)
                    .at(source.location(at))
                    .related(
                        "the `prev-archive` link",
                        newer_source.location(link.range.clone()),
                    ),
            );
        }
        for (guid, range) in &facts.guids {
            let line = source.line_col(range.start).0;
            match seen.get(guid) {
                Some((other, other_line)) => series.findings.push(
                    rules::GUID_IN_TWO_PAGES
                        .diag(format!(
                            "the guid `{guid}` is also in `{other}` (line {other_line})"
                        ))
                        .at(source.location(range.clone()))
                        .help("keep each episode in one page: the feed or a single archive page"),
                ),
                None => {
                    seen.insert(guid.clone(), (page.name.clone(), line));
                }
            }
        }
        series.pages.push(page);
        newer = (source, facts, Some(url));
    }
    series
}

fn shown(url: Option<&str>) -> String {
    url.map_or_else(|| "(none)".to_owned(), |u| format!("`{u}`"))
}

/// A URL's last path segment (percent-encoded, as written).
fn last_segment(url: &str) -> Option<&str> {
    url.split(['?', '#'])
        .next()?
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
}

/// Why a folder cannot be validated as a paged feed.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder has no `feed.xml`, and not exactly one feed that is not an archive page.
    #[error(
        "`{}` has no `{FEED_FILE_NAME}`, and {}",
        dir.display(),
        match candidates.len() {
            0 => "no other `.xml` feed that is not an archive page".to_owned(),
            _ => format!("more than one feed that is not an archive page: {}", candidates.join(", ")),
        }
    )]
    NoFeed {
        /// The folder.
        dir: PathBuf,
        /// The documents that could be the feed.
        candidates: Vec<String>,
    },
    /// A file could not be read.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Reads a file up to the validator's limit (one byte more, so that a larger file is reported as such).
fn read_capped(path: &Path) -> Result<Vec<u8>, FolderError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FEED_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|source| FolderError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}

/// The feed of a folder: `feed.xml`, else the one `.xml` document whose channel is not an archive page.
///
/// # Errors
/// [`FolderError`] when there is no such document, or more than one, or the folder cannot be read.
pub fn find_feed(dir: &Path) -> Result<PathBuf, FolderError> {
    let named = dir.join(FEED_FILE_NAME);
    if named.is_file() {
        return Ok(named);
    }
    let entries = std::fs::read_dir(dir).map_err(|source| FolderError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut xml: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "xml"))
        .collect();
    xml.sort();
    let mut candidates = Vec::new();
    for path in xml {
        let bytes = read_capped(&path)?;
        if read_facts("", &bytes).is_some_and(|(_, facts)| !facts.archive) {
            candidates.push(path);
        }
    }
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        _ => Err(FolderError::NoFeed {
            dir: dir.to_path_buf(),
            candidates: candidates.iter().map(|p| p.display().to_string()).collect(),
        }),
    }
}

/// Validates a folder holding a paged feed: its feed ([`find_feed`]) and every archive page its
/// `prev-archive` links reach, each URL mapped to the file in `dir` named by its last path segment. Every
/// document gets the usual rules; the series gets the F5xx rules. Returns the feed's path and every
/// finding, sorted by file and position.
///
/// # Errors
/// [`FolderError`] when the folder has no feed, or a file cannot be read.
pub fn validate_folder(
    dir: &Path,
    options: &Options,
) -> Result<(PathBuf, Vec<Diagnostic>), FolderError> {
    let feed_path = find_feed(dir)?;
    let feed = Page {
        name: feed_path.display().to_string(),
        bytes: read_capped(&feed_path)?,
    };
    let by_name = MediaMap::dir(dir);
    let mut read_error = None;
    let series = check_series(&feed, |url| {
        let path = by_name.resolve(url).filter(|p| p.is_file())?;
        match read_capped(&path) {
            Ok(bytes) => Some(Page {
                name: path.display().to_string(),
                bytes,
            }),
            Err(e) => {
                read_error.get_or_insert(e);
                None
            }
        }
    });
    if let Some(e) = read_error {
        return Err(e);
    }
    let mut findings = super::validate_bytes(&feed.name, &feed.bytes, options);
    for page in &series.pages {
        findings.extend(super::validate_bytes(&page.name, &page.bytes, options));
    }
    findings.extend(series.findings);
    crate::diag::sort(&mut findings);
    Ok((feed_path, findings))
}

/// The episodes a feed keeps in its archive pages in `dir` (its `prev-archive` links followed, as
/// [`validate_folder`] does): guid → the page's file name. Pages that cannot be read are left out.
pub fn archived_in_folder(feed: &Page, dir: &Path) -> HashMap<String, String> {
    let by_name = MediaMap::dir(dir);
    let series = check_series(feed, |url| {
        let path = by_name.resolve(url).filter(|p| p.is_file())?;
        Some(Page {
            name: path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
            bytes: read_capped(&path).ok()?,
        })
    });
    let mut archived = HashMap::new();
    for page in &series.pages {
        if let Some((_, facts)) = read_facts(&page.name, &page.bytes) {
            for (guid, _) in facts.guids {
                archived.entry(guid).or_insert_with(|| page.name.clone());
            }
        }
    }
    archived
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(own: &str, links: &[(&str, &str)], archive: bool, guids: &[&str]) -> Page {
        let links: String = links
            .iter()
            .map(|(rel, href)| format!("<atom:link rel=\"{rel}\" href=\"{href}\"/>"))
            .collect();
        let items: String = guids
            .iter()
            .map(|g| format!("<item><guid>{g}</guid></item>"))
            .collect();
        let marker = if archive { "<fh:archive/>" } else { "" };
        Page {
            name: own.rsplit('/').next().unwrap().to_owned(),
            bytes: format!(
                "<rss version=\"2.0\" xmlns:atom=\"{}\" xmlns:fh=\"{}\"><channel>{marker}<atom:link rel=\"self\" href=\"{own}\"/>{links}{items}</channel></rss>",
                ns::ATOM,
                ns::FEED_HISTORY
            )
            .into_bytes(),
        }
    }

    const FEED: &str = "https://e.com/feed.xml";
    const P1: &str = "https://e.com/feed-archive-1.xml";
    const P2: &str = "https://e.com/feed-archive-2.xml";

    fn codes(feed: &Page, pages: &[(&str, Page)]) -> Vec<&'static str> {
        let series = check_series(feed, |url| {
            pages
                .iter()
                .find(|(u, _)| *u == url)
                .map(|(_, p)| p.clone())
        });
        series.findings.iter().map(Diagnostic::code).collect()
    }

    #[test]
    fn a_well_linked_series_has_no_findings_and_is_walked_newest_first() {
        let feed = doc(FEED, &[("prev-archive", P2)], false, &["c"]);
        let p2 = doc(P2, &[("current", FEED), ("prev-archive", P1)], true, &["b"]);
        let p1 = doc(P1, &[("current", FEED), ("next-archive", P2)], true, &["a"]);
        let pages = [(P1, p1), (P2, p2)];
        let series = check_series(&feed, |url| {
            pages
                .iter()
                .find(|(u, _)| *u == url)
                .map(|(_, p)| p.clone())
        });
        assert!(series.findings.is_empty(), "{:#?}", series.findings);
        let names: Vec<&str> = series.pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["feed-archive-2.xml", "feed-archive-1.xml"]);
    }

    #[test]
    fn each_break_in_the_series_is_its_own_finding() {
        let feed = doc(FEED, &[("prev-archive", P2)], false, &["c"]);
        // Missing page.
        assert_eq!(codes(&feed, &[]), ["F501"]);
        // A loop back to itself, no fh:archive, a current link elsewhere, a guid already in the feed.
        let p2 = doc(
            P2,
            &[("current", "https://x.com/feed.xml"), ("prev-archive", P2)],
            false,
            &["c"],
        );
        assert_eq!(codes(&feed, &[(P2, p2)]), ["F503", "F504", "F506", "F502"]);
        // The older page's next-archive does not point back.
        let p2 = doc(P2, &[("current", FEED), ("prev-archive", P1)], true, &["b"]);
        let p1 = doc(
            P1,
            &[("current", FEED), ("next-archive", FEED)],
            true,
            &["a"],
        );
        assert_eq!(codes(&feed, &[(P1, p1), (P2, p2)]), ["F505"]);
    }
}
