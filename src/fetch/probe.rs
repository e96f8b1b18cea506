//! Asking a server about a file without downloading it: a `HEAD`, then a `GET` of its first two bytes
//! (`Range: bytes=0-1`), as podcast apps and directories do before they download an episode.
//!
//! [`Prober::probe`] follows redirects itself (each hop reported), times every request on its own (one
//! stalled server ends in [`FetchError::Timeout`] after [`Prober::timeout`], never later), and never reads
//! more than the two bytes asked for: a server that ignores the range and starts sending the whole file is
//! hung up on after its headers.

use std::io::Read;
use std::time::{Duration, Instant};

use url::Url;

use super::{
    DEFAULT_MAX_REDIRECTS, FetchError, FetchOptions, Hops, Phase, Proxies, Redirect, USER_AGENT,
    agent_config, classify, header, parse_url, redirect_target,
};

/// A client for probing: one connection pool shared by every thread that probes.
#[derive(Debug, Clone)]
pub struct Prober {
    agent: ureq::Agent,
    timeout: Duration,
}

/// The validators of an earlier answer, for a conditional `HEAD`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// How the server answered `Range: bytes=0-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RangeAnswer {
    /// `206 Partial Content`; the total length its `Content-Range` states, when it states one.
    Partial {
        /// The total after the `/` of `Content-Range: bytes 0-1/TOTAL`.
        total: Option<u64>,
    },
    /// `200 OK`: the range was ignored and the whole file was on its way.
    Whole,
}

/// What a probe learnt about a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The URL that answered, after every redirect.
    pub url: String,
    /// The redirects followed by the `HEAD`, in order.
    pub redirects: Vec<Redirect>,
    /// `None` when the conditional `HEAD` answered `304 Not Modified` (nothing else was asked);
    /// otherwise what the server says about the file.
    pub served: Option<Served>,
    /// The longest any request waited for its answer's first byte.
    pub first_byte: Duration,
}

/// The facts a server states about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// `Content-Length` of the `HEAD` answer.
    pub content_length: Option<u64>,
    /// `Content-Type` of the `HEAD` answer (of the ranged `GET` when `HEAD` gave none).
    pub content_type: Option<String>,
    /// `Accept-Ranges` of either answer.
    pub accept_ranges: Option<String>,
    /// The answer to the ranged `GET`.
    pub range: RangeAnswer,
    /// The `ETag` of the `HEAD` answer.
    pub etag: Option<String>,
    /// The `Last-Modified` of the `HEAD` answer.
    pub last_modified: Option<String>,
}

type Response = ureq::http::Response<ureq::Body>;

impl Prober {
    /// A prober whose every request may take at most `timeout`, through the proxies the environment names.
    pub fn new(timeout: Duration) -> Prober {
        Prober::with_proxies(timeout, Proxies::FromEnvironment)
    }

    fn with_proxies(timeout: Duration, proxies: Proxies) -> Prober {
        // `identity`: lengths are compared with the file's, so the answer must not be compressed.
        let agent = agent_config(proxies)
            .user_agent(USER_AGENT)
            .accept_encoding("identity")
            .build()
            .new_agent();
        Prober { agent, timeout }
    }

    /// The longest one request may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `HEAD` (conditional when `validators` has one), then, unless it answered `304`, `GET` with
    /// `Range: bytes=0-1` at the URL the `HEAD` ended at.
    ///
    /// # Errors
    /// A [`FetchError`] naming the URL: unreachable, a status other than 200 (206 for the range) or 304,
    /// too many redirects or a loop, a timeout.
    pub fn probe(&self, url: &str, validators: &Validators) -> Result<Probe, FetchError> {
        let first = parse_url(url)?;
        let mut first_byte = Duration::ZERO;
        let (response, at, redirects) = self.follow(&first, &mut first_byte, |agent, url| {
            let mut request = agent.head(url.as_str());
            if let Some(etag) = &validators.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = &validators.last_modified {
                request = request.header("If-Modified-Since", date);
            }
            request
                .config()
                .timeout_global(Some(self.timeout))
                .build()
                .call()
        })?;
        let status = response.status().as_u16();
        let conditional = validators.etag.is_some() || validators.last_modified.is_some();
        if status == 304 && conditional {
            return Ok(Probe {
                url: at.to_string(),
                redirects,
                served: None,
                first_byte,
            });
        }
        if status != 200 {
            return Err(status_error(&response, &at));
        }
        let head = response;
        let (ranged, ranged_at, _) = self.follow(&at, &mut first_byte, |agent, url| {
            agent
                .get(url.as_str())
                .header("Range", "bytes=0-1")
                .config()
                .timeout_global(Some(self.timeout))
                .build()
                .call()
        })?;
        let range = match ranged.status().as_u16() {
            206 => RangeAnswer::Partial {
                total: header(&ranged, "content-range").and_then(|r| range_total(&r)),
            },
            200 => RangeAnswer::Whole,
            _ => return Err(status_error(&ranged, &ranged_at)),
        };
        let served = Served {
            content_length: header(&head, "content-length").and_then(|n| n.parse().ok()),
            content_type: header(&head, "content-type").or_else(|| header(&ranged, "content-type")),
            accept_ranges: header(&head, "accept-ranges")
                .or_else(|| header(&ranged, "accept-ranges")),
            range,
            etag: header(&head, "etag"),
            last_modified: header(&head, "last-modified"),
        };
        if matches!(range, RangeAnswer::Partial { .. }) {
            // Two bytes (a few more from a careless server): read, so that the connection can be used again.
            let mut sink = Vec::new();
            let _ = ranged
                .into_body()
                .into_reader()
                .take(64 * 1024)
                .read_to_end(&mut sink);
        }
        Ok(Probe {
            url: at.to_string(),
            redirects,
            served: Some(served),
            first_byte,
        })
    }

    /// Sends `send` to `first`, and again to every redirect's target, up to [`DEFAULT_MAX_REDIRECTS`]
    /// hops; returns the first answer that is not a redirect, the URL that gave it and the hops.
    fn follow(
        &self,
        first: &Url,
        first_byte: &mut Duration,
        send: impl Fn(&ureq::Agent, &Url) -> Result<Response, ureq::Error>,
    ) -> Result<(Response, Url, Vec<Redirect>), FetchError> {
        let options = FetchOptions {
            timeout: self.timeout,
            ..FetchOptions::default()
        };
        let mut current = first.clone();
        let mut hops = Hops::new(first, DEFAULT_MAX_REDIRECTS);
        loop {
            let started = Instant::now();
            let response = send(&self.agent, &current)
                .map_err(|e| classify(e, Phase::Answer, &current, &options))?;
            *first_byte = (*first_byte).max(started.elapsed());
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok((response, current, hops.redirects));
            }
            let to = redirect_target(&response, &current, status)?;
            hops.follow(status, &current, &to)?;
            current = to;
        }
    }
}

/// The error for an answer that is neither what was asked nor a redirect.
fn status_error(response: &Response, url: &Url) -> FetchError {
    FetchError::Status {
        url: url.to_string(),
        status: response.status().as_u16(),
        reason: response
            .status()
            .canonical_reason()
            .unwrap_or("(a status with no standard name)")
            .to_owned(),
    }
}

/// The total of `Content-Range: bytes FIRST-LAST/TOTAL`; `None` for `*` or anything malformed.
fn range_total(content_range: &str) -> Option<u64> {
    let (unit, rest) = content_range.trim().split_once(' ')?;
    if !unit.eq_ignore_ascii_case("bytes") {
        return None;
    }
    rest.split_once('/')?.1.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::test_server::{Reply, TestServer};
    use super::*;

    fn prober() -> Prober {
        Prober::with_proxies(Duration::from_secs(5), Proxies::None)
    }

    #[test]
    fn a_ranged_file_reports_its_length_type_and_range_total() {
        let body = vec![7u8; 1000];
        let server = TestServer::start(move |request| {
            Reply::ranged(request, &body, Some("\"v1\""))
                .with_header("Content-Type", "audio/mpeg")
                .with_header("Accept-Ranges", "bytes")
        });
        let probe = prober()
            .probe(&server.url("/a.mp3"), &Validators::default())
            .unwrap();
        let served = probe.served.unwrap();
        assert_eq!(served.content_length, Some(1000));
        assert_eq!(served.content_type.as_deref(), Some("audio/mpeg"));
        assert_eq!(served.etag.as_deref(), Some("\"v1\""));
        // The test server honours `bytes=N-` only, so a `0-1` range is answered whole: the prober must say so.
        assert_eq!(served.range, RangeAnswer::Whole);
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].header("range"), Some("bytes=0-1"));
    }

    #[test]
    fn a_partial_answer_gives_the_total_and_a_304_skips_the_get() {
        let server = TestServer::start(|request| {
            if request.header("if-none-match") == Some("\"v1\"") {
                return Reply::status(304);
            }
            if request.header("range").is_some() {
                Reply::status(206).with_header("Content-Range", "bytes 0-1/5000")
            } else {
                Reply::ok(vec![0u8; 5000]).with_header("ETag", "\"v1\"")
            }
        });
        let probe = prober()
            .probe(&server.url("/a.mp3"), &Validators::default())
            .unwrap();
        assert_eq!(
            probe.served.unwrap().range,
            RangeAnswer::Partial { total: Some(5000) }
        );
        let again = prober()
            .probe(
                &server.url("/a.mp3"),
                &Validators {
                    etag: Some("\"v1\"".to_owned()),
                    last_modified: None,
                },
            )
            .unwrap();
        assert_eq!(again.served, None);
        assert_eq!(server.requests().len(), 3);
    }

    #[test]
    fn range_totals_are_read_strictly() {
        assert_eq!(range_total("bytes 0-1/123"), Some(123));
        assert_eq!(range_total("bytes */123"), Some(123));
        assert_eq!(range_total("bytes 0-1/*"), None);
        assert_eq!(range_total("items 0-1/5"), None);
    }
}
