//! The F6xx rules: how the feed is hosted. [`check_hosting`] finds every URL apps download from the feed
//! (enclosures, alternate sources, images, chapters, transcripts), has [`crate::online`] ask their servers,
//! and reports each problem at the URL in the feed; [`check_self_link`] compares a fetched feed's final URL
//! with its `atom:link rel="self"`.

use std::ops::Range;

use crate::audio::cache::ProbeCache;
use crate::diag::Diagnostic;
use crate::fetch::Redirect;
use crate::online::{self, CheckOptions, Kind, Problem, Target};
use crate::vocab::ns;

use super::{Ctx, Options, read_feed, rules};

/// A URL of the feed and where it is written.
struct Found {
    target: Target,
    at: Range<usize>,
}

/// Asks the servers of every URL the feed points apps at, and reports what is wrong with each (F601–F607)
/// at that URL. `progress` is told the number of distinct URLs first (`total`), then called once per URL
/// checked. A feed that cannot be read gives no finding here (the offline rules say why).
pub fn check_hosting(
    name: &str,
    bytes: &[u8],
    options: &CheckOptions,
    total: &mut dyn FnMut(usize),
    progress: &(dyn Fn() + Sync),
) -> Vec<Diagnostic> {
    let Ok((source, found)) = read_feed(name, bytes, |source, doc| find_urls(source.text(), doc))
    else {
        return Vec::new();
    };
    let mut distinct: Vec<&str> = found.iter().map(|f| f.target.url.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    total(distinct.len());
    let targets: Vec<Target> = found.iter().map(|f| f.target.clone()).collect();
    let problems = online::check(&targets, options, progress);
    let text = source.as_source_text();
    let validate_options = Options::default();
    let cache = ProbeCache::disabled();
    let mut ctx = Ctx::new(&text, &validate_options, &cache, Vec::new());
    for (found, problems) in found.iter().zip(problems) {
        for problem in problems {
            report(&mut ctx, &found.target, found.at.clone(), problem);
        }
    }
    ctx.finish()
}

/// F608: the feed was fetched from `final_url` (after `redirects`), but its self link names another URL.
pub fn check_self_link(
    name: &str,
    bytes: &[u8],
    final_url: &str,
    redirects: &[Redirect],
) -> Vec<Diagnostic> {
    let Ok((source, self_link)) = read_feed(name, bytes, |source, doc| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name((ns::ATOM, "link"))
                    && n.attribute("rel") == Some("self")
                    && n.parent().is_some_and(|p| p.has_tag_name("channel"))
            })
            .and_then(|n| {
                let href = n.attribute("href")?.trim().to_owned();
                Some((href, super::parse::attr_range(source.text(), n, "href")))
            })
    }) else {
        return Vec::new();
    };
    let Some((href, at)) = self_link else {
        return Vec::new();
    };
    if same_url(&href, final_url) {
        return Vec::new();
    }
    let text = source.as_source_text();
    let validate_options = Options::default();
    let cache = ProbeCache::disabled();
    let mut ctx = Ctx::new(&text, &validate_options, &cache, Vec::new());
    let mut help = format!(
        "set the self link to the URL the feed is served from, `{final_url}`, or serve it at `{href}`"
    );
    for r in redirects {
        help.push_str(&format!(
            "\nnote: `{}` redirected ({}) to `{}`",
            r.from, r.status, r.to
        ));
    }
    ctx.report(
        &rules::SELF_LINK_NOT_FINAL_URL,
        at,
        format!("the feed's self link is `{href}`, but it was served from `{final_url}`"),
        Some(help),
    );
    ctx.finish()
}

/// Two URLs naming the same resource as far as a client can tell: equal once parsed (scheme and host
/// lowercased, default port dropped, an empty path made `/`).
fn same_url(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every http(s) URL of the feed that apps download, with what the feed states about it.
fn find_urls(text: &str, doc: &roxmltree::Document<'_>) -> Vec<Found> {
    let mut found = Vec::new();
    let podcast = |n: &roxmltree::Node<'_, '_>, local: &str| {
        n.has_tag_name((ns::PODCAST, local)) || n.has_tag_name((ns::PODCAST_LEGACY, local))
    };
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let parent_is = |name: &str| node.parent().is_some_and(|p| p.has_tag_name(name));
        let (attr, kind, length_from) = if node.has_tag_name("enclosure") && parent_is("item") {
            ("url", Kind::Media, Some(node))
        } else if podcast(&node, "source")
            && node
                .parent()
                .is_some_and(|p| podcast(&p, "alternateEnclosure"))
        {
            ("uri", Kind::Media, node.parent())
        } else if node.has_tag_name((ns::ITUNES, "image")) {
            ("href", Kind::Image, None)
        } else if podcast(&node, "chapters") {
            ("url", Kind::Chapters, None)
        } else if podcast(&node, "transcript") {
            ("url", Kind::Transcript, None)
        } else if node.has_tag_name("url") && parent_is("image") {
            // The RSS channel image: its URL is the element's text.
            let url = node.text().unwrap_or_default().trim();
            if crate::fetch::is_url(url) {
                found.push(Found {
                    target: Target {
                        url: url.to_owned(),
                        kind: Kind::Image,
                        stated_length: None,
                        stated_type: None,
                    },
                    at: super::parse::text_range(text, node),
                });
            }
            continue;
        } else {
            continue;
        };
        let Some(url) = node.attribute(attr).map(str::trim) else {
            continue;
        };
        if !crate::fetch::is_url(url) {
            continue;
        }
        let stated_length = length_from
            .and_then(|n| n.attribute("length"))
            .and_then(|l| l.trim().parse::<u64>().ok())
            .filter(|&l| l > 0);
        let stated_type = node
            .attribute("type")
            .or_else(|| length_from.and_then(|n| n.attribute("type")))
            .map(str::to_owned);
        found.push(Found {
            target: Target {
                url: url.to_owned(),
                kind,
                stated_length,
                stated_type,
            },
            at: super::parse::attr_range(text, node, attr),
        });
    }
    found
}

/// One finding for one problem of one URL.
fn report(ctx: &mut Ctx<'_>, target: &Target, at: Range<usize>, problem: Problem) {
    let url = &target.url;
    match problem {
        Problem::Unreachable(why) => ctx.report(
            &rules::UNREACHABLE,
            at,
            // The error names the URL that failed (the last hop, after redirects).
            format!("unreachable: {why}"),
            Some("fix the URL or the server; apps and directories drop what they cannot fetch".to_owned()),
        ),
        Problem::NoRanges { accept_ranges } => {
            let claimed = match accept_ranges {
                Some(value) => format!(" (it says `Accept-Ranges: {value}`)"),
                None => " and sends no `Accept-Ranges`".to_owned(),
            };
            ctx.report(
                &rules::NO_BYTE_RANGES,
                at,
                format!(
                    "the server of `{url}` answered `Range: bytes=0-1` with the whole file (200 OK){claimed}"
                ),
                Some("serve media from a host or CDN that honours byte ranges (206 Partial Content); check every redirect or tracking prefix on the way".to_owned()),
            );
        }
        Problem::LengthMismatch {
            stated,
            served,
            header,
        } => ctx.report(
            &rules::SERVED_LENGTH_MISMATCH,
            at,
            format!(
                "the feed says `{url}` is {stated} bytes, but the server says {served} ({header})"
            ),
            Some(format!("set the enclosure's `length` to {served}, the size of the file served")),
        ),
        Problem::WrongType { served, expected } => ctx.report(
            &rules::SERVED_TYPE_WRONG,
            at,
            format!("`{url}` is served as `{served}`, not {expected}"),
            Some("check that the URL leads to the file itself, not a web page, and that the server sends its media type".to_owned()),
        ),
        Problem::ManyRedirects(hops) => {
            let mut help = format!(
                "point the feed at the last URL, or remove redirects: more than {} hops",
                online::MAX_GOOD_REDIRECTS
            );
            for r in &hops {
                help.push_str(&format!("\nnote: `{}` redirected ({}) to `{}`", r.from, r.status, r.to));
            }
            ctx.report(
                &rules::MANY_REDIRECTS,
                at,
                format!("`{url}` reaches its file after {} redirects", hops.len()),
                Some(help),
            );
        }
        Problem::RedirectToHttp { to } => ctx.report(
            &rules::REDIRECT_TO_HTTP,
            at,
            format!("`{url}` redirects to plain http:// (`{to}`)"),
            Some("have every redirect on the way keep https://".to_owned()),
        ),
        Problem::SlowFirstByte { took, mark } => ctx.report(
            &rules::SLOW_FIRST_BYTE,
            at,
            format!(
                "the server of `{url}` took {:.1} s to start answering (more than {:.1} s)",
                took.as_secs_f64(),
                mark.as_secs_f64()
            ),
            Some("serve media from a faster host or a CDN".to_owned()),
        ),
    }
}
