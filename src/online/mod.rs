//! Checking a feed's hosting: every enclosure, alternate source, image, chapters and transcript URL asked
//! about as podcast apps ask (a `HEAD`, then a `GET` of two bytes), many at once, each answer judged
//! against what the feed states.
//!
//! [`check`] takes the [`Target`]s (one per URL in the feed, with what the feed says about it) and returns
//! the [`Problem`]s of each, in order. A URL given more than once is asked about once. At most
//! [`CheckOptions::jobs`] requests are open at once, and never more than [`PER_HOST`] to one host, so a
//! feed of a thousand episodes on one CDN does not look like an attack. Every request may take
//! [`CheckOptions::timeout`] at most: a stalled server costs that much, once per URL, and never stalls the run.
//!
//! What each answer said is kept in `online.json` in the cache folder with the answer's `ETag` and
//! `Last-Modified`; the next run asks with a conditional `HEAD` and, on `304 Not Modified`,
//! judges the kept answer again: a rerun in CI costs one small request per unchanged file.

mod cache;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::fetch::Redirect;
use crate::fetch::probe::{Prober, RangeAnswer, Validators};

/// The most requests open to one host at once, whatever [`CheckOptions::jobs`] says.
pub const PER_HOST: usize = 4;

/// More redirects than this before a file is a warning: every hop costs a round trip before playback.
pub const MAX_GOOD_REDIRECTS: usize = 5;

/// A first byte later than this is slow (or later than half the timeout, when that is shorter).
pub const SLOW_FIRST_BYTE: Duration = Duration::from_secs(3);

/// The default of [`CheckOptions::jobs`].
pub const DEFAULT_JOBS: NonZeroUsize = NonZeroUsize::new(8).unwrap();

/// What a URL in the feed is, which decides the media types it may be served as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An enclosure or an alternate enclosure's source: audio or video, fetched by byte ranges.
    Media,
    /// Cover art.
    Image,
    /// A chapters file.
    Chapters,
    /// A transcript.
    Transcript,
}

/// One URL of the feed and what the feed states about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL as the feed gives it.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// The length in bytes the feed states (an enclosure's `length`), when it states one above zero.
    pub stated_length: Option<u64>,
    /// The media type the feed states (`type`), when it states one.
    pub stated_type: Option<String>,
}

/// How to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How many requests may be open at once.
    pub jobs: NonZeroUsize,
    /// The longest one request may take.
    pub timeout: Duration,
    /// Where answers are kept between runs (`None`: nothing is kept or read).
    pub cache_dir: Option<PathBuf>,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            jobs: DEFAULT_JOBS,
            timeout: crate::fetch::DEFAULT_TIMEOUT,
            cache_dir: cache_dir(),
        }
    }
}

/// Where answers are kept: castkit's cache folder (none when the cache is off).
pub fn cache_dir() -> Option<PathBuf> {
    crate::fsutil::cache_dir()
}

/// What is wrong with how one URL is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No usable answer: the host is unknown, the connection or TLS failed, an error status, a redirect
    /// loop, no answer in time. The text says which, and names the URL.
    Unreachable(String),
    /// The server answered the two-byte range request with the whole file.
    NoRanges {
        /// The `Accept-Ranges` the server sent, if any.
        accept_ranges: Option<String>,
    },
    /// The server's length (`Content-Length`, or the total of `Content-Range`) is not the feed's.
    LengthMismatch {
        /// The feed's `length`.
        stated: u64,
        /// The server's.
        served: u64,
        /// Which header said so.
        header: &'static str,
    },
    /// The file is served as a type that is not what the feed points at (a web page for an episode).
    WrongType {
        /// The `Content-Type` served.
        served: String,
        /// What was expected, in words.
        expected: &'static str,
    },
    /// More than [`MAX_GOOD_REDIRECTS`] redirects.
    ManyRedirects(Vec<Redirect>),
    /// An `https://` URL whose redirects end at plain `http://` (an `http://` URL in the feed is the offline
    /// rules' business).
    RedirectToHttp {
        /// The `http://` URL the redirects end at.
        to: String,
    },
    /// The first byte of an answer came later than the slow mark.
    SlowFirstByte {
        /// How long it took.
        took: Duration,
        /// The mark it passed.
        mark: Duration,
    },
}

/// What a server said about one URL, as kept between runs: enough to judge it again against any feed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Observed {
    /// A usable answer.
    Served {
        final_url: String,
        redirects: Vec<(u16, String, String)>,
        content_length: Option<u64>,
        content_type: Option<String>,
        accept_ranges: Option<String>,
        range: RangeAnswer,
        etag: Option<String>,
        last_modified: Option<String>,
        first_byte_ms: u64,
    },
    /// No usable answer, and why.
    Failed(String),
}

/// Checks every target; returns the problems of each, in the targets' order. `progress` is called once
/// per distinct URL checked.
pub fn check(
    targets: &[Target],
    options: &CheckOptions,
    progress: &(dyn Fn() + Sync),
) -> Vec<Vec<Problem>> {
    let mut urls: Vec<&str> = targets.iter().map(|t| t.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let kept = options
        .cache_dir
        .as_deref()
        .map(cache::Kept::load)
        .unwrap_or_default();
    let prober = Prober::new(options.timeout);
    let observed = observe_all(&urls, &prober, &kept, options.jobs, progress);
    if let Some(dir) = &options.cache_dir {
        cache::save(dir, &kept, &observed);
    }
    let mark = slow_mark(options.timeout);
    targets
        .iter()
        .map(|t| judge(t, &observed[t.url.as_str()], mark))
        .collect()
}

/// The first byte counts as slow past [`SLOW_FIRST_BYTE`], or half the timeout when that is shorter.
fn slow_mark(timeout: Duration) -> Duration {
    SLOW_FIRST_BYTE.min(timeout / 2)
}

/// Asks about every URL on `jobs` threads, [`PER_HOST`] at most per host.
fn observe_all<'u>(
    urls: &[&'u str],
    prober: &Prober,
    kept: &cache::Kept,
    jobs: NonZeroUsize,
    progress: &(dyn Fn() + Sync),
) -> HashMap<&'u str, Observed> {
    struct Queue<'u> {
        pending: VecDeque<&'u str>,
        open_per_host: HashMap<String, usize>,
    }
    let queue = Mutex::new(Queue {
        pending: urls.iter().copied().collect(),
        open_per_host: HashMap::new(),
    });
    let changed = Condvar::new();
    let results = Mutex::new(HashMap::with_capacity(urls.len()));
    let workers = jobs.get().min(urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let (url, host) = {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if q.pending.is_empty() {
                                return;
                            }
                            let free = q.pending.iter().position(|u| {
                                q.open_per_host.get(&host_of(u)).copied().unwrap_or(0) < PER_HOST
                            });
                            if let Some(i) = free {
                                let url = q.pending.remove(i).unwrap_or_default();
                                let host = host_of(url);
                                *q.open_per_host.entry(host.clone()).or_default() += 1;
                                break (url, host);
                            }
                            q = changed.wait(q).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let observed = observe(url, prober, kept);
                    {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        if let Some(n) = q.open_per_host.get_mut(&host) {
                            *n -= 1;
                        }
                    }
                    changed.notify_all();
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(url, observed);
                    progress();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The host (and port) a URL is served from, lowercased; the URL itself when it has none.
fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}:{}",
            u.host_str().unwrap_or_default().to_ascii_lowercase(),
            u.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => url.to_owned(),
    }
}

/// Asks about one URL: conditionally when an earlier answer was kept, judging that answer again on 304.
fn observe(url: &str, prober: &Prober, kept: &cache::Kept) -> Observed {
    let earlier = kept.get(url);
    let validators = match earlier {
        Some(Observed::Served {
            etag,
            last_modified,
            ..
        }) => Validators {
            etag: etag.clone(),
            last_modified: last_modified.clone(),
        },
        _ => Validators::default(),
    };
    let probe = match prober.probe(url, &validators) {
        Ok(probe) => probe,
        Err(e) => return Observed::Failed(crate::error::Chain(&e).to_string()),
    };
    let first_byte_ms = u64::try_from(probe.first_byte.as_millis()).unwrap_or(u64::MAX);
    let redirects = probe
        .redirects
        .iter()
        .map(|r| (r.status, r.from.clone(), r.to.clone()))
        .collect();
    match (probe.served, earlier) {
        (Some(served), _) => Observed::Served {
            final_url: probe.url,
            redirects,
            content_length: served.content_length,
            content_type: served.content_type,
            accept_ranges: served.accept_ranges,
            range: served.range,
            etag: served.etag,
            last_modified: served.last_modified,
            first_byte_ms,
        },
        // 304: the file is the one judged before; only how fast the server is now is new.
        (None, Some(Observed::Served { .. })) => {
            let mut again = earlier.cloned().unwrap_or(Observed::Failed(String::new()));
            if let Observed::Served {
                first_byte_ms: ms,
                redirects: hops,
                final_url,
                ..
            } = &mut again
            {
                *ms = first_byte_ms;
                *hops = redirects;
                *final_url = probe.url;
            }
            again
        }
        (None, _) => Observed::Failed(format!(
            "`{url}` answered 304 Not Modified to a request castkit did not make conditional"
        )),
    }
}

/// The problems of one target, from what its URL's server said.
fn judge(target: &Target, observed: &Observed, mark: Duration) -> Vec<Problem> {
    let Observed::Served {
        final_url,
        redirects,
        content_length,
        content_type,
        accept_ranges,
        range,
        first_byte_ms,
        ..
    } = observed
    else {
        let Observed::Failed(why) = observed else {
            return Vec::new();
        };
        return vec![Problem::Unreachable(why.clone())];
    };
    let mut problems = Vec::new();
    if target.kind == Kind::Media && *range == RangeAnswer::Whole {
        problems.push(Problem::NoRanges {
            accept_ranges: accept_ranges.clone(),
        });
    }
    if let Some(stated) = target.stated_length {
        let range_total = match range {
            RangeAnswer::Partial { total } => *total,
            RangeAnswer::Whole => None,
        };
        let served = [
            (*content_length, "Content-Length"),
            (range_total, "the total of Content-Range"),
        ]
        .into_iter()
        .find_map(|(len, header)| len.filter(|&n| n != stated).map(|n| (n, header)));
        if let Some((served, header)) = served {
            problems.push(Problem::LengthMismatch {
                stated,
                served,
                header,
            });
        }
    }
    if let Some(served) = content_type
        && let Some(expected) = wrong_type(target, served)
    {
        problems.push(Problem::WrongType {
            served: served.clone(),
            expected,
        });
    }
    if redirects.len() > MAX_GOOD_REDIRECTS {
        problems.push(Problem::ManyRedirects(
            redirects
                .iter()
                .map(|(status, from, to)| Redirect {
                    status: *status,
                    from: from.clone(),
                    to: to.clone(),
                })
                .collect(),
        ));
    }
    let plain = |u: &str| {
        u.get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    };
    if plain(final_url) && !plain(&target.url) {
        problems.push(Problem::RedirectToHttp {
            to: final_url.clone(),
        });
    }
    let took = Duration::from_millis(*first_byte_ms);
    if took > mark {
        problems.push(Problem::SlowFirstByte { took, mark });
    }
    problems
}

/// What `target` should have been served as, when `served` is not that; `None` when it fits.
fn wrong_type(target: &Target, served: &str) -> Option<&'static str> {
    let essence = served
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let generic = matches!(
        essence.as_str(),
        "application/octet-stream" | "binary/octet-stream"
    );
    let html = essence == "text/html" || essence == "application/xhtml+xml";
    match target.kind {
        Kind::Media => {
            let media = essence.starts_with("audio/")
                || essence.starts_with("video/")
                || matches!(essence.as_str(), "application/ogg" | "application/mp4");
            (!media && !generic).then_some("an audio or video type")
        }
        Kind::Image => (!essence.starts_with("image/") && !generic).then_some("an image type"),
        // Chapters and transcripts come in several text formats; a web page is none of them, unless the
        // feed says the transcript is one.
        Kind::Chapters => html.then_some("JSON chapters (`application/json+chapters`)"),
        Kind::Transcript => {
            let stated_html = target
                .stated_type
                .as_deref()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/html"));
            (html && !stated_html).then_some("the transcript's own type (the feed's `type`)")
        }
    }
}
