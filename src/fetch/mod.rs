//! Fetching a feed over HTTP(S): the one place castkit talks to the network.
//!
//! [`fetch`] GETs one URL and returns its whole body or an error, never a part of it:
//!
//! - **Redirects** (301, 302, 303, 307, 308) are followed by castkit itself, so that each hop is reported in
//!   [`Fetched::redirects`] with an absolute URL (a relative `Location` is resolved against the URL that sent
//!   it). More than [`FetchOptions::max_redirects`] hops, or a hop back to a URL already visited, is an error.
//! - **One deadline** covers the whole fetch: name resolution, connecting, TLS, every hop and the body. A
//!   server that accepts and never answers, or stops halfway through the body, ends in
//!   [`FetchError::Timeout`].
//! - **gzip**: the request says `Accept-Encoding: gzip` and the body is decoded; any other content encoding
//!   (which castkit never asks for) is refused rather than handed on as a feed.
//! - **A size cap** ([`FetchOptions::max_bytes`]) counts decoded bytes and is enforced while reading: at most
//!   one byte past the cap is ever read, so a gzip bomb stops there too, and a body over the cap is refused,
//!   never cut short.
//! - **Conditional requests**: [`fetch_cached`] keeps the last body of each URL with its `ETag` and
//!   `Last-Modified`, and asks with `If-None-Match` / `If-Modified-Since`; a `304 Not Modified` returns the
//!   kept copy.
//!
//! [`download::download_all`] saves episode media to files: many at once, resumable, each length checked.
//!
//! TLS is rustls with Mozilla's root certificates (no system store is read); proxies named by `HTTPS_PROXY`,
//! `HTTP_PROXY` or `ALL_PROXY` (with `NO_PROXY`) are used. Every request says `User-Agent: castkit/VERSION`.

mod cache;
pub mod download;
pub mod probe;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::error::Error as StdError;
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use url::Url;

/// The largest body fetched by default: 64 MiB, the size the feed validator reads at most.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// How long a whole fetch may take by default (every hop and the body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How many redirects are followed by default (browsers allow about twenty; feeds need one or two).
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;

/// The `User-Agent` of every request, so a server's logs can tell castkit apart.
const USER_AGENT: &str = concat!("castkit/", env!("CARGO_PKG_VERSION"));

/// A boxed cause, reachable through [`std::error::Error::source`].
type Cause = Box<dyn StdError + Send + Sync + 'static>;

/// How to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The longest the whole fetch may take, every redirect and the body included (default 30 s).
    pub timeout: Duration,
    /// How many redirects to follow at most (default 10); `0` refuses any redirect.
    pub max_redirects: u32,
    /// The largest body accepted, counted after gzip decoding (default [`DEFAULT_MAX_BYTES`]).
    pub max_bytes: usize,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            timeout: DEFAULT_TIMEOUT,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// One redirect followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The redirect's status: 301, 302, 303, 307 or 308.
    pub status: u16,
    /// The URL that answered with the redirect.
    pub from: String,
    /// Where it pointed, as an absolute URL.
    pub to: String,
}

/// A fetched body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL the body came from, after every redirect.
    pub url: String,
    /// The redirects followed to get there, in order (empty when the first URL answered).
    pub redirects: Vec<Redirect>,
    /// The body, decoded when it came gzipped.
    pub bytes: Vec<u8>,
    /// The body's `ETag`, as the server sent it.
    pub etag: Option<String>,
    /// The body's `Last-Modified` date, as the server sent it.
    pub last_modified: Option<String>,
    /// True when the server answered `304 Not Modified` and the kept copy is the body.
    pub from_cache: bool,
}

/// Why a fetch failed. Each message names the URL concerned and, where there is one, what to do; the
/// underlying error, if any, is the [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be parsed, or is not `http://` or `https://`.
    #[error("cannot fetch `{url}`: {reason}; give an http:// or https:// URL")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The host name does not resolve.
    #[error(
        "cannot find the host `{host}` of `{url}`; check its spelling and the network connection"
    )]
    Dns {
        /// The URL being fetched.
        url: String,
        /// Its host name.
        host: String,
        /// The resolver's error.
        source: Cause,
    },
    /// No connection could be made (refused, unreachable, proxy failure).
    #[error("cannot connect to the server of `{url}`; check the address and that the server is up")]
    Connect {
        /// The URL being fetched.
        url: String,
        /// The connection error.
        source: Cause,
    },
    /// The TLS handshake failed: not TLS on the other side, a certificate not trusted or not for this host.
    #[error(
        "the secure (TLS) connection to `{url}` failed; check that the server speaks HTTPS with a valid certificate for this host"
    )]
    Tls {
        /// The URL being fetched.
        url: String,
        /// The TLS error.
        source: Cause,
    },
    /// The fetch took longer than the timeout.
    #[error("`{url}` did not answer in full within {}; try again later or raise the timeout (`--timeout`)", seconds(*.after))]
    Timeout {
        /// The URL being fetched when time ran out.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// The server answered with an error or with a status that carries no feed.
    #[error("`{url}` answered {status} {reason}; {}", status_help(*.status))]
    Status {
        /// The URL that answered.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The status's standard reason phrase.
        reason: String,
    },
    /// More redirects than [`FetchOptions::max_redirects`].
    #[error("`{url}` redirects more than {limit} times; fetch the final address directly")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit.
        limit: u32,
    },
    /// A redirect pointed back to a URL already visited.
    #[error("`{url}` redirects in a loop, back to `{to}`; the server is misconfigured")]
    RedirectLoop {
        /// The URL first asked for.
        url: String,
        /// The URL visited twice.
        to: String,
    },
    /// A redirect without a usable `Location`.
    #[error("`{url}` answered {status} (a redirect) {problem}; the server is misconfigured")]
    BadRedirect {
        /// The URL that answered.
        url: String,
        /// The redirect status.
        status: u16,
        /// What is wrong with its `Location`.
        problem: String,
    },
    /// The body is larger than [`FetchOptions::max_bytes`] (after gzip decoding); it is refused, not cut.
    #[error("`{url}` sent more than {} (after decoding); castkit does not read feeds that large", bytes_in_words(*.limit))]
    TooLarge {
        /// The URL that answered.
        url: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server's answer was not valid HTTP, or the connection closed before it.
    #[error(
        "`{url}` sent no valid HTTP answer; try again, or check that the address is a web server"
    )]
    Response {
        /// The URL being fetched.
        url: String,
        /// The protocol or connection error.
        source: Cause,
    },
    /// The body broke off (connection dropped, bad chunked encoding) or could not be decoded (bad gzip).
    #[error("the answer of `{url}` broke off or is damaged; try again")]
    Body {
        /// The URL that answered.
        url: String,
        /// The read or decoding error.
        source: Cause,
    },
    /// The body is encoded in a way castkit did not ask for and cannot decode.
    #[error(
        "`{url}` sent its body encoded as `{encoding}`, which castkit did not ask for; the server is misconfigured"
    )]
    UnsupportedEncoding {
        /// The URL that answered.
        url: String,
        /// The `Content-Encoding` it sent.
        encoding: String,
    },
    /// The server answered `304 Not Modified` to a request that had no kept copy to fall back on.
    #[error(
        "`{url}` answered 304 Not Modified, but castkit asked for the whole feed (it kept no copy); the server is misconfigured"
    )]
    NotModifiedWithoutCache {
        /// The URL that answered.
        url: String,
    },
}

/// `1 s`, `0.5 s`, `30 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} s", (d.as_secs_f64() * 1000.0).round() / 1000.0)
    }
}

/// `64 MiB`, `1 KiB`, `1000 bytes`.
fn bytes_in_words(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// What to do about an HTTP status that is not a feed.
fn status_help(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "the feed is not public; check the address, or publish it where castkit can read it"
        }
        404 | 410 => "check the address",
        429 => "the server asks to slow down; try again later",
        400..=499 => "check the address",
        500..=599 => "the server failed; try again later",
        _ => "castkit expected 200 OK with the feed",
    }
}

/// GET a URL. Follows redirects up to the limit (each reported in [`Fetched::redirects`]), decodes gzip,
/// refuses bodies over [`FetchOptions::max_bytes`].
///
/// # Errors
/// A [`FetchError`] naming the URL and the failure; no partial body is ever returned.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched, FetchError> {
    fetch_cached(url, options, None)
}

/// Like [`fetch`], with a local copy kept in `dir`: the last body of this URL, with its `ETag` and
/// `Last-Modified`, in one file named from the URL's UUIDv5. The request sends `If-None-Match` /
/// `If-Modified-Since` from it; a `304 Not Modified` answer returns the kept copy with
/// [`Fetched::from_cache`] set; a `200` replaces the copy atomically.
///
/// `dir` `None` is a plain [`fetch`]. A missing, unreadable or damaged kept copy means a plain fetch too, and
/// failing to save a copy does not fail the fetch: the copy only saves bandwidth, it never changes a result.
/// A body with neither `ETag` nor `Last-Modified` is not kept (it could never be asked for conditionally).
/// Callers pass [`feed_cache_dir`].
///
/// # Errors
/// As [`fetch`].
pub fn fetch_cached(
    url: &str,
    options: &FetchOptions,
    dir: Option<&Path>,
) -> Result<Fetched, FetchError> {
    fetch_with(url, options, dir, Proxies::FromEnvironment)
}

/// Whether a feed named on the command line or in the catalogue is a URL to fetch (`http://` or `https://`,
/// in any case) rather than a path.
pub fn is_url(spec: &str) -> bool {
    let lower = spec.get(..8).unwrap_or(spec).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Where fetched feeds are kept between runs: `feeds/` in castkit's cache folder (none when the cache is
/// off, `CASTKIT_CACHE_DIR=off`).
pub fn feed_cache_dir() -> Option<std::path::PathBuf> {
    crate::fsutil::cache_dir().map(|d| d.join("feeds"))
}

/// What happened on the way to a body, one line each for the user: the redirects followed, and a kept copy
/// used after a `304 Not Modified`.
pub fn notes(fetched: &Fetched) -> Vec<String> {
    let mut notes: Vec<String> = fetched
        .redirects
        .iter()
        .map(|r| format!("`{}` redirected ({}) to `{}`", r.from, r.status, r.to))
        .collect();
    if fetched.from_cache {
        notes.push(format!(
            "`{}` has not changed since castkit last fetched it (304 Not Modified); using the kept copy",
            fetched.url
        ));
    }
    notes
}

/// Whether to use the proxies the environment names (tests talk to 127.0.0.1 directly, whatever the
/// environment of the machine running them says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proxies {
    FromEnvironment,
    // Only the tests go without proxies.
    #[cfg_attr(not(test), allow(dead_code))]
    None,
}

/// Which part of an exchange an error came from: before the status line (connecting, TLS, sending, the
/// answer's head) or while reading the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Answer,
    Body,
}

/// [`fetch_cached`], with or without the environment's proxies.
fn fetch_with(
    url: &str,
    options: &FetchOptions,
    dir: Option<&Path>,
    proxies: Proxies,
) -> Result<Fetched, FetchError> {
    let first = parse_url(url)?;
    let fetch = Fetch {
        first: &first,
        options,
        dir,
        // A deadline too far to represent is no deadline.
        deadline: Instant::now().checked_add(options.timeout),
        agent: agent(proxies),
    };
    let kept = dir.and_then(|dir| cache::Kept::open(dir, &first, options.max_bytes));
    fetch.run(kept)
}

/// One fetch: its first URL, options, cache folder, deadline and client.
struct Fetch<'a> {
    first: &'a Url,
    options: &'a FetchOptions,
    dir: Option<&'a Path>,
    deadline: Option<Instant>,
    agent: ureq::Agent,
}

impl Fetch<'_> {
    /// Asks for the body, conditionally when there is a kept copy, following redirects.
    fn run(&self, kept: Option<cache::Kept>) -> Result<Fetched, FetchError> {
        let &Fetch {
            first,
            options,
            dir,
            deadline,
            ref agent,
        } = self;
        let mut current = first.clone();
        let mut hops = Hops::new(first, options.max_redirects);
        loop {
            let timed_out = || FetchError::Timeout {
                url: current.to_string(),
                after: options.timeout,
            };
            let remaining = match deadline {
                Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return Err(timed_out()),
                },
                None => None,
            };
            let mut request = agent.get(current.as_str());
            if let Some(kept) = &kept {
                if let Some(etag) = &kept.etag {
                    request = request.header("If-None-Match", etag);
                }
                if let Some(date) = &kept.last_modified {
                    request = request.header("If-Modified-Since", date);
                }
            }
            let response = request
                .config()
                .timeout_global(remaining)
                .build()
                .call()
                .map_err(|e| classify(e, Phase::Answer, &current, options))?;

            let status = response.status().as_u16();
            match status {
                301 | 302 | 303 | 307 | 308 => {
                    let to = redirect_target(&response, &current, status)?;
                    hops.follow(status, &current, &to)?;
                    current = to;
                }
                304 => {
                    // Only a request that carried a validator may be answered 304 (RFC 9110 §15.4.5), and
                    // castkit sends one only with a kept copy to fall back on.
                    let Some(kept) = kept else {
                        return Err(FetchError::NotModifiedWithoutCache {
                            url: current.to_string(),
                        });
                    };
                    let etag = header(&response, "etag");
                    let last_modified = header(&response, "last-modified");
                    let kept_etag = kept.etag.clone();
                    let kept_last_modified = kept.last_modified.clone();
                    // The kept file is read through the handle opened before asking, so a copy saved meanwhile
                    // by another castkit cannot be mixed with these validators. Should it still fail to read
                    // back (a disk error, the file cut short by hand), ask again for the whole body.
                    let Some(bytes) = kept.read_body() else {
                        return self.run(None);
                    };
                    return Ok(Fetched {
                        url: current.to_string(),
                        redirects: hops.redirects,
                        bytes,
                        etag: etag.or(kept_etag),
                        last_modified: last_modified.or(kept_last_modified),
                        from_cache: true,
                    });
                }
                // 203 is a 200 relayed by a transforming proxy: the body is still the resource.
                200 | 203 => {
                    let etag = header(&response, "etag");
                    let last_modified = header(&response, "last-modified");
                    let bytes = read_body(response, &current, options)?;
                    if let Some(dir) = dir {
                        cache::keep(
                            dir,
                            first,
                            etag.as_deref(),
                            last_modified.as_deref(),
                            &bytes,
                        );
                    }
                    return Ok(Fetched {
                        url: current.to_string(),
                        redirects: hops.redirects,
                        bytes,
                        etag,
                        last_modified,
                        from_cache: false,
                    });
                }
                _ => {
                    return Err(FetchError::Status {
                        url: current.to_string(),
                        status,
                        reason: response
                            .status()
                            .canonical_reason()
                            .unwrap_or("(a status with no standard name)")
                            .to_owned(),
                    });
                }
            }
        }
    }
}

/// The URL, checked: parsable, `http` or `https`, with a host.
fn parse_url(url: &str) -> Result<Url, FetchError> {
    let bad = |reason: String| FetchError::BadUrl {
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url.trim()).map_err(|e| bad(format!("it is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!(
            "castkit fetches http and https only, not `{}`",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it names no host".to_owned()));
    }
    Ok(parsed)
}

/// The client for feeds: it asks for gzip and names castkit.
fn agent(proxies: Proxies) -> ureq::Agent {
    agent_config(proxies)
        .user_agent(USER_AGENT)
        .accept_encoding("gzip")
        .build()
        .new_agent()
}

/// The redirects followed from one first URL: each hop checked against a loop and the limit, and kept for
/// the report. Every client that follows redirects itself (feeds, media, `--online` probes) counts them
/// here.
struct Hops {
    first: Url,
    visited: BTreeSet<String>,
    redirects: Vec<Redirect>,
    limit: u32,
}

impl Hops {
    fn new(first: &Url, limit: u32) -> Hops {
        Hops {
            first: first.clone(),
            visited: BTreeSet::from([first.as_str().to_owned()]),
            redirects: Vec::new(),
            limit,
        }
    }

    /// Records the hop from `from` to `to` (answered `status`): an error for a URL already visited, or for
    /// one hop more than the limit.
    fn follow(&mut self, status: u16, from: &Url, to: &Url) -> Result<(), FetchError> {
        if !self.visited.insert(to.as_str().to_owned()) {
            return Err(FetchError::RedirectLoop {
                url: self.first.to_string(),
                to: to.to_string(),
            });
        }
        if self.redirects.len() >= self.limit as usize {
            return Err(FetchError::TooManyRedirects {
                url: self.first.to_string(),
                limit: self.limit,
            });
        }
        self.redirects.push(Redirect {
            status,
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }
}

/// What every castkit client shares (feeds here, media in [`download`]). castkit follows redirects itself
/// (to report each hop and find loops) and reads every status itself (to name it in the error), so ureq is
/// told to do neither.
fn agent_config(proxies: Proxies) -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
    let proxy = match proxies {
        Proxies::FromEnvironment => ureq::Proxy::try_from_env(),
        Proxies::None => None,
    };
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .proxy(proxy)
}

/// A response header as text; `None` when absent or not visible ASCII.
fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    let value = response.headers().get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Where a redirect points, resolved against the URL that sent it.
fn redirect_target(
    response: &ureq::http::Response<ureq::Body>,
    from: &Url,
    status: u16,
) -> Result<Url, FetchError> {
    let bad = |problem: String| FetchError::BadRedirect {
        url: from.to_string(),
        status,
        problem,
    };
    let location = header(response, "location")
        .ok_or_else(|| bad("without a readable `Location` header".to_owned()))?;
    let mut to = from
        .join(&location)
        .map_err(|e| bad(format!("to `{location}`, which is not a URL ({e})")))?;
    if !matches!(to.scheme(), "http" | "https") {
        return Err(bad(format!(
            "to `{location}`; castkit follows http and https only"
        )));
    }
    // The fragment is the client's business (RFC 9110 §10.2.2); it is never sent.
    to.set_fragment(None);
    Ok(to)
}

/// Reads the body of a `200`, bounded by the cap.
fn read_body(
    response: ureq::http::Response<ureq::Body>,
    url: &Url,
    options: &FetchOptions,
) -> Result<Vec<u8>, FetchError> {
    // ureq decodes gzip and then removes the header; what is left is an encoding castkit never asked for.
    if let Some(encoding) = header(&response, "content-encoding")
        && !encoding.eq_ignore_ascii_case("identity")
    {
        return Err(FetchError::UnsupportedEncoding {
            url: url.to_string(),
            encoding,
        });
    }
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit: options.max_bytes,
    };
    let body = response.into_body();
    // A stated length (of an unencoded body) over the cap is refused before reading a byte; one under it
    // sizes the buffer once, so a body is held once, not in a doubling vector's spare room.
    let capacity = match body.content_length() {
        Some(len) if len > options.max_bytes as u64 => return Err(too_large()),
        Some(len) => usize::try_from(len).unwrap_or(0),
        None => 0,
    };
    read_capped(body.into_reader(), capacity, options.max_bytes).map_err(|e| match e {
        CappedError::TooLarge => too_large(),
        CappedError::Io(e) => classify(ureq::Error::from(e), Phase::Body, url, options),
    })
}

/// Why [`read_capped`] stopped.
#[derive(Debug)]
enum CappedError {
    TooLarge,
    Io(io::Error),
}

/// Reads `reader` to its end, but never more than `max_bytes + 1` bytes: one past the cap proves the body
/// is over it, whatever it would have decoded to.
fn read_capped(
    reader: impl Read,
    capacity: usize,
    max_bytes: usize,
) -> Result<Vec<u8>, CappedError> {
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity.min(max_bytes));
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(CappedError::Io)?;
    if bytes.len() > max_bytes {
        return Err(CappedError::TooLarge);
    }
    Ok(bytes)
}

/// The [`FetchError`] for one of ureq's errors.
fn classify(error: ureq::Error, phase: Phase, url: &Url, options: &FetchOptions) -> FetchError {
    let url_text = url.to_string();
    match error {
        ureq::Error::Timeout(_) => FetchError::Timeout {
            url: url_text,
            after: options.timeout,
        },
        ureq::Error::HostNotFound => FetchError::Dns {
            host: url.host_str().unwrap_or_default().to_owned(),
            url: url_text,
            source: "no address found".into(),
        },
        ureq::Error::BadUri(reason) => FetchError::BadUrl {
            url: url_text,
            reason,
        },
        e @ (ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::Pem(_)
        | ureq::Error::TlsRequired) => FetchError::Tls {
            url: url_text,
            source: e.into(),
        },
        e @ (ureq::Error::ConnectionFailed
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::InvalidProxyUrl) => FetchError::Connect {
            url: url_text,
            source: e.into(),
        },
        ureq::Error::Decompress(_, e) => FetchError::Body {
            url: url_text,
            source: Box::new(e),
        },
        ureq::Error::Io(e) => classify_io(e, phase, url, options),
        e => broken(phase, url, e.into()),
    }
}

/// A failure with no more specific name: the answer was not valid HTTP, or the body broke off.
fn broken(phase: Phase, url: &Url, source: Cause) -> FetchError {
    let url = url.to_string();
    match phase {
        Phase::Answer => FetchError::Response { url, source },
        Phase::Body => FetchError::Body { url, source },
    }
}

/// The [`FetchError`] for an I/O error (TLS errors come as I/O errors that hold rustls's error).
fn classify_io(error: io::Error, phase: Phase, url: &Url, options: &FetchOptions) -> FetchError {
    let url_text = url.to_string();
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
    {
        let source: Cause = match error.into_inner() {
            Some(inner) => inner,
            None => "TLS failure".into(),
        };
        return FetchError::Tls {
            url: url_text,
            source,
        };
    }
    // The standard library's words for a failed getaddrinfo(3); its error kind is not a stable one.
    if error
        .to_string()
        .starts_with("failed to lookup address information")
    {
        return FetchError::Dns {
            host: url.host_str().unwrap_or_default().to_owned(),
            url: url_text,
            source: Box::new(error),
        };
    }
    match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FetchError::Timeout {
            url: url_text,
            after: options.timeout,
        },
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::NetworkUnreachable
        | io::ErrorKind::NetworkDown
        | io::ErrorKind::AddrNotAvailable
            if phase == Phase::Answer =>
        {
            FetchError::Connect {
                url: url_text,
                source: Box::new(error),
            }
        }
        _ => broken(phase, url, Box::new(error)),
    }
}
