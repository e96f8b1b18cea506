//! Paging (RFC 5005 archived feeds): with `max_items = N`, `feed.xml` keeps the newest N episodes and the
//! older ones go into archive pages written next to it, `<stem>-archive-1.xml` (the oldest) up.
//!
//! Pages are filled oldest first in chunks of N, so a page, once full, holds the same episodes on every later
//! build: only the newest archive page grows, and a new one starts when it is full (the page before it then
//! gains its `next-archive` link, its last change). The split depends on the
//! catalogue alone, so a clean clone in CI builds the same pages. What shifts pages is a change in the past:
//! an episode backdated, removed or inserted before the newest archived one, or a different N. Before
//! writing, the pages already in the output folder are read back, and a full page whose episodes would
//! change is reported (C036).

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::catalogue::rules;
use crate::diag::{Diagnostic, SourceFile};
use crate::feed::model::{Channel, PageLinks};
use crate::feed::parse::{Ns, child, children, text};

/// One archive page, ready to write.
#[derive(Debug, Clone)]
pub(super) struct ArchivePage {
    /// Its number: 1 is the oldest.
    pub(super) number: usize,
    /// Where it is written.
    pub(super) path: PathBuf,
    /// Its public URL.
    pub(super) url: String,
    /// Its episodes' guids, newest first.
    pub(super) guids: Vec<String>,
    /// The rendered page.
    pub(super) bytes: Vec<u8>,
}

/// The feed and its archive pages, rendered.
#[derive(Debug, Clone)]
pub(super) struct Rendered {
    /// `feed.xml`.
    pub(super) feed: Vec<u8>,
    /// The archive pages, oldest first (empty when the feed is not paged).
    pub(super) pages: Vec<ArchivePage>,
}

/// The archive page file name for page `number` of the feed file `feed_path`: `feed-archive-3.xml`.
pub(super) fn page_file_name(feed_path: &Path, number: usize) -> String {
    format!("{}-archive-{number}.xml", stem(feed_path))
}

fn stem(feed_path: &Path) -> String {
    feed_path
        .file_stem()
        .map_or_else(|| "feed".to_owned(), |s| s.to_string_lossy().into_owned())
}

/// The page number of an archive page file of `feed_path` (`feed-archive-3.xml` → 3).
fn page_number(feed_path: &Path, file_name: &str) -> Option<usize> {
    let prefix = format!("{}-archive-", stem(feed_path));
    let digits = file_name.strip_prefix(&prefix)?.strip_suffix(".xml")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Splits the channel into the feed and its archive pages, and renders each. Without `max_items`, or with
/// no more episodes than it, the feed is one document, as castkit always wrote it.
pub(super) fn split_and_render(
    channel: Channel,
    max_items: Option<NonZeroUsize>,
    feed_path: &Path,
) -> Rendered {
    let Some(n) = max_items.map(NonZeroUsize::get) else {
        return Rendered {
            feed: crate::feed::render::to_bytes(&channel),
            pages: Vec::new(),
        };
    };
    if channel.items.len() <= n {
        return Rendered {
            feed: crate::feed::render::to_bytes(&channel),
            pages: Vec::new(),
        };
    }
    let feed_url = channel.self_url.clone();
    let dir = feed_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let page_url = |number: usize| {
        let name = page_file_name(feed_path, number);
        url::Url::parse(&feed_url)
            .and_then(|u| u.join(&name))
            .map_or(name, |u| u.to_string())
    };
    let mut feed = channel;
    // Newest first: the feed keeps the first n; the rest, oldest first, fill pages of n.
    let mut archived = std::mem::take(&mut feed.items);
    let kept: Vec<_> = archived.drain(..n).collect();
    archived.reverse();
    let count = archived.len().div_ceil(n);
    let mut pages = Vec::with_capacity(count);
    for (index, chunk) in archived.chunks(n).enumerate() {
        let number = index + 1;
        let mut items = chunk.to_vec();
        items.reverse();
        let url = page_url(number);
        let page = Channel {
            // A page's dates are its newest episode's, and `podcast:trailer` stays with the feed, so a full
            // page does not change when episodes are added.
            last_build_date: items.first().map(|i| i.pub_date.clone()),
            trailers: Vec::new(),
            // Live streams are announced in the feed itself; a page holds only published episodes.
            live_items: Vec::new(),
            self_url: url.clone(),
            page: PageLinks {
                archive: true,
                current: Some(feed_url.clone()),
                prev_archive: (number > 1).then(|| page_url(number - 1)),
                next_archive: (number < count).then(|| page_url(number + 1)),
                first: Some(feed_url.clone()),
                next: (number > 1).then(|| page_url(number - 1)),
            },
            items,
            ..feed.clone()
        };
        pages.push(ArchivePage {
            number,
            path: dir.join(page_file_name(feed_path, number)),
            guids: page.items.iter().map(|i| i.guid.clone()).collect(),
            bytes: crate::feed::render::to_bytes(&page),
            url,
        });
    }
    feed.items = kept;
    feed.page = PageLinks {
        prev_archive: Some(page_url(count)),
        first: Some(feed_url.clone()),
        next: Some(page_url(count)),
        ..PageLinks::default()
    };
    Rendered {
        feed: crate::feed::render::to_bytes(&feed),
        pages,
    }
}

/// The archive page files of `feed_path` already in its folder, by page number.
pub(super) fn existing_pages(feed_path: &Path) -> Vec<(usize, PathBuf)> {
    let dir = match feed_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let number = page_number(feed_path, &name)?;
            Some((number, feed_path.with_file_name(name)))
        })
        .collect();
    found.sort();
    found
}

/// The guids of a page written before, read with the feed parser; `None` when it cannot be read.
fn guids_of(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    let name = path.display().to_string();
    let (_, guids) = crate::validate::read_feed(&name, &bytes, |_, doc| {
        let channel = child(doc.root_element(), Ns::Rss, "channel")?;
        Some(
            children(channel, Ns::Rss, "item")
                .filter_map(|item| child(item, Ns::Rss, "guid").map(text))
                .collect::<Vec<String>>(),
        )
    })
    .ok()?;
    guids
}

/// An episode as findings name it: its label and its table in the catalogue.
pub(super) struct Named {
    pub(super) label: String,
    pub(super) span: Range<usize>,
}

/// C036: each page already written that was full (an older page followed it, or it held `n` episodes)
/// and would now hold other episodes, naming the first episode that moves and the page.
pub(super) fn check_stability(
    feed_path: &Path,
    pages: &[ArchivePage],
    n: Option<NonZeroUsize>,
    episodes: &HashMap<&str, Named>,
    fallback: Range<usize>,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    let existing = existing_pages(feed_path);
    let newest = existing.last().map_or(0, |(number, _)| *number);
    let mut findings = Vec::new();
    for (number, path) in &existing {
        let Some(old) = guids_of(path) else {
            continue;
        };
        let full = *number < newest || n.is_some_and(|n| old.len() >= n.get());
        if !full {
            continue;
        }
        let new: &[String] = pages
            .iter()
            .find(|p| p.number == *number)
            .map_or(&[], |p| p.guids.as_slice());
        let old_set: BTreeSet<&str> = old.iter().map(String::as_str).collect();
        let new_set: BTreeSet<&str> = new.iter().map(String::as_str).collect();
        if old_set == new_set {
            continue;
        }
        // Oldest first, the order pages are filled in.
        let leaving = old.iter().rev().find(|g| !new_set.contains(g.as_str()));
        let entering = new.iter().rev().find(|g| !old_set.contains(g.as_str()));
        let changed = old_set.symmetric_difference(&new_set).count();
        let file = path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let name = |guid: &str| {
            episodes.get(guid).map_or_else(
                || format!("the episode with guid `{guid}`"),
                |e| e.label.clone(),
            )
        };
        let (message, span) = match (leaving, entering) {
            (_, Some(guid)) => (
                format!(
                    "{} would move into the full archive page `{file}`",
                    name(guid)
                ),
                episodes.get(guid.as_str()).map(|e| e.span.clone()),
            ),
            (Some(guid), None) => (
                format!("{} would leave the full archive page `{file}`", name(guid)),
                episodes.get(guid.as_str()).map(|e| e.span.clone()),
            ),
            (None, None) => continue,
        };
        let more = if changed > 1 {
            format!(" ({changed} episodes change pages)")
        } else {
            String::new()
        };
        findings.push(
            rules::ARCHIVE_PAGE_CHANGED
                .diag(format!("{message}{more}"))
                .at(source.location(span.unwrap_or_else(|| fallback.clone())))
                .help(
                    "archive pages stay as they are only while the past does: an episode backdated, removed or added before the newest archived one, or a new `max_items`, shifts every later page; apps that keep pages they have read may miss or repeat episodes",
                ),
        );
    }
    findings
}

/// Removes the archive pages of `feed_path` numbered above `keep` (no longer part of the feed). Returns the
/// files removed.
///
/// # Errors
/// The first file that could not be removed.
pub(super) fn remove_stale(
    feed_path: &Path,
    keep: usize,
) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut removed = Vec::new();
    for (number, path) in existing_pages(feed_path) {
        if number > keep {
            std::fs::remove_file(&path).map_err(|e| (path.clone(), e))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_are_named_from_the_feed_files_stem() {
        let feed = Path::new("public/podcast.rss");
        assert_eq!(page_file_name(feed, 3), "podcast-archive-3.xml");
        assert_eq!(page_number(feed, "podcast-archive-12.xml"), Some(12));
        for other in [
            "podcast-archive-.xml",
            "podcast-archive-0.xml",
            "podcast-archive-01.xml",
            "podcast-archive-1.xml.tmp",
            "feed-archive-1.xml",
            "podcast-archive-x.xml",
        ] {
            assert_eq!(page_number(feed, other), None, "{other}");
        }
    }
}
