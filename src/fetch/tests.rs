//! Fetch tests against the scripted server of `test_server` on 127.0.0.1; none touches the internet, and
//! every one is bounded by a timeout of a few seconds at most.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::test_server::{Reply, TestServer};
use super::*;

/// Short enough that a test that goes wrong fails quickly instead of hanging.
fn options() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

/// [`fetch`] without the environment's proxies (the server is local).
fn get(url: &str, options: &FetchOptions) -> Result<Fetched, FetchError> {
    fetch_with(url, options, None, Proxies::None)
}

/// [`fetch_cached`] without the environment's proxies.
fn get_cached(url: &str, dir: &Path) -> Result<Fetched, FetchError> {
    fetch_with(url, &options(), Some(dir), Proxies::None)
}

/// The error's message with its causes, as a user sees it.
fn message(error: &FetchError) -> String {
    crate::error::Chain(error).to_string()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A small RSS document, the kind of body castkit fetches.
fn feed(title: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://example.com/</link><description>A show</description></channel></rss>\n"
    )
    .into_bytes()
}

#[test]
fn a_200_returns_the_body_and_the_request_names_castkit_and_gzip() {
    let server = TestServer::start(|_| {
        Reply::ok(feed("Plain"))
            .with_header("ETag", "\"abc\"")
            .with_header("Last-Modified", "Tue, 01 Sep 2026 10:00:00 GMT")
    });
    let url = server.url("/feed.xml");
    let fetched = get(&url, &options()).unwrap();
    assert_eq!(fetched.bytes, feed("Plain"));
    assert_eq!(fetched.url, url);
    assert!(fetched.redirects.is_empty());
    assert_eq!(fetched.etag.as_deref(), Some("\"abc\""));
    assert_eq!(
        fetched.last_modified.as_deref(),
        Some("Tue, 01 Sep 2026 10:00:00 GMT")
    );
    assert!(!fetched.from_cache);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/feed.xml");
    assert_eq!(
        requests[0].header("user-agent"),
        Some(concat!("castkit/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(requests[0].header("accept-encoding"), Some("gzip"));
    // A plain fetch asks for the whole body.
    assert_eq!(requests[0].header("if-none-match"), None);
    assert_eq!(requests[0].header("if-modified-since"), None);
}

#[test]
fn a_redirect_chain_is_reported_hop_by_hop_with_absolute_urls() {
    let server = TestServer::start(|request| match request.path.as_str() {
        // Absolute (to this server, named by the Host header the client sent), then relative to the
        // folder of the URL that sent it, with a fragment that is never sent on.
        "/old/feed" => Reply::redirect(
            301,
            &format!("http://{}/moved/feed", request.header("host").unwrap_or("")),
        ),
        "/moved/feed" => Reply::redirect(302, "../new/feed.xml?v=2#top"),
        "/new/feed.xml?v=2" => Reply::ok(feed("Moved")),
        _ => Reply::status(404),
    });
    let first = server.url("/old/feed");
    let fetched = get(&first, &options()).unwrap();
    assert_eq!(fetched.bytes, feed("Moved"));
    assert_eq!(
        fetched.redirects,
        vec![
            Redirect {
                status: 301,
                from: first.clone(),
                to: server.url("/moved/feed"),
            },
            Redirect {
                status: 302,
                from: server.url("/moved/feed"),
                to: server.url("/new/feed.xml?v=2"),
            },
        ]
    );
    assert_eq!(fetched.url, server.url("/new/feed.xml?v=2"));
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/old/feed", "/moved/feed", "/new/feed.xml?v=2"]);
}

#[test]
fn redirects_303_307_and_308_are_followed_too() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/a" => Reply::redirect(303, "/b"),
        "/b" => Reply::redirect(307, "/c"),
        "/c" => Reply::redirect(308, "/d"),
        "/d" => Reply::ok(feed("D")),
        _ => Reply::status(404),
    });
    let fetched = get(&server.url("/a"), &options()).unwrap();
    let statuses: Vec<u16> = fetched.redirects.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [303, 307, 308]);
    assert_eq!(fetched.url, server.url("/d"));
    assert_eq!(fetched.bytes, feed("D"));
}

#[test]
fn more_redirects_than_the_limit_is_an_error() {
    let server = TestServer::start(|request| {
        let n: u32 = request.path.trim_start_matches("/r/").parse().unwrap_or(0);
        Reply::redirect(302, &format!("/r/{}", n + 1))
    });
    let first = server.url("/r/0");
    let limited = FetchOptions {
        max_redirects: 3,
        ..options()
    };
    let error = get(&first, &limited).unwrap_err();
    assert!(
        matches!(&error, FetchError::TooManyRedirects { url, limit: 3 } if *url == first),
        "{error:?}"
    );
    assert_eq!(
        message(&error),
        format!("`{first}` redirects more than 3 times; fetch the final address directly")
    );
    // Three hops followed, the fourth redirect refused without being followed.
    assert_eq!(server.requests().len(), 4);

    let none = FetchOptions {
        max_redirects: 0,
        ..options()
    };
    let error = get(&first, &none).unwrap_err();
    assert!(
        matches!(error, FetchError::TooManyRedirects { limit: 0, .. }),
        "{error:?}"
    );
}

#[test]
fn a_redirect_loop_is_an_error_naming_the_url_visited_twice() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/x" => Reply::redirect(301, "/y"),
        _ => Reply::redirect(302, "/x"),
    });
    let first = server.url("/x");
    let error = get(&first, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::RedirectLoop { url, to } if *url == first && *to == first),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_redirect_without_location_or_to_another_scheme_is_an_error() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/nowhere" => Reply::status(301),
        _ => Reply::redirect(302, "ftp://example.com/feed.xml"),
    });
    let error = get(&server.url("/nowhere"), &options()).unwrap_err();
    assert!(
        matches!(error, FetchError::BadRedirect { status: 301, .. }),
        "{error:?}"
    );
    assert!(message(&error).contains("without a readable `Location` header"));
    let error = get(&server.url("/ftp"), &options()).unwrap_err();
    assert!(
        matches!(error, FetchError::BadRedirect { status: 302, .. }),
        "{error:?}"
    );
    assert!(message(&error).contains("castkit follows http and https only"));
}

#[test]
fn a_404_and_a_500_are_errors_that_name_the_url_and_the_status() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/missing.xml" => Reply::status(404),
        _ => Reply::status(500),
    });
    let missing = server.url("/missing.xml");
    let error = get(&missing, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::Status { status: 404, reason, .. } if reason == "Not Found"),
        "{error:?}"
    );
    assert_eq!(
        message(&error),
        format!("`{missing}` answered 404 Not Found; check the address")
    );
    let broken = server.url("/broken.xml");
    let error = get(&broken, &options()).unwrap_err();
    assert_eq!(
        message(&error),
        format!(
            "`{broken}` answered 500 Internal Server Error; the server failed; try again later"
        )
    );
}

#[test]
fn a_redirect_to_a_404_names_the_url_that_answered() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/feed" => Reply::redirect(301, "/gone"),
        _ => Reply::status(410),
    });
    let error = get(&server.url("/feed"), &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::Status { url, status: 410, .. } if *url == server.url("/gone")),
        "{error:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = TestServer::start(|_| Reply::Stall);
    let quick = FetchOptions {
        timeout: Duration::from_secs(1),
        ..options()
    };
    let url = server.url("/feed.xml");
    let started = Instant::now();
    let error = get(&url, &quick).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(&error, FetchError::Timeout { after, .. } if *after == Duration::from_secs(1)),
        "{error:?}"
    );
    assert!(took >= Duration::from_millis(900), "gave up after {took:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(
        message(&error),
        format!(
            "`{url}` did not answer in full within 1 s; try again later or raise the timeout (`--timeout`)"
        )
    );
}

#[test]
fn a_server_that_stalls_halfway_through_the_body_times_out_without_a_partial_body() {
    let server = TestServer::start(|_| Reply::StallMidBody {
        body: feed("Half"),
        sent: 40,
    });
    let quick = FetchOptions {
        timeout: Duration::from_secs(1),
        ..options()
    };
    let started = Instant::now();
    let error = get(&server.url("/feed.xml"), &quick).unwrap_err();
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn the_timeout_covers_the_whole_fetch_not_each_hop() {
    // Each hop answers within 400 ms, well inside the 1 s timeout, but four of them do not.
    let server = TestServer::start(|request| {
        let n: u32 = request
            .path
            .trim_start_matches("/hop/")
            .parse()
            .unwrap_or(0);
        let reply = if n < 4 {
            Reply::redirect(302, &format!("/hop/{}", n + 1))
        } else {
            Reply::ok(feed("Slow"))
        };
        Reply::After(Duration::from_millis(400), Box::new(reply))
    });
    let quick = FetchOptions {
        timeout: Duration::from_secs(1),
        ..options()
    };
    let started = Instant::now();
    let error = get(&server.url("/hop/0"), &quick).unwrap_err();
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // The same chain completes with time to spare.
    let fetched = get(&server.url("/hop/0"), &options()).unwrap();
    assert_eq!(fetched.redirects.len(), 4);
}

#[test]
fn the_body_gets_only_the_time_left_after_the_redirects() {
    // 1.2 s spent on a redirect, then a body that stalls: the fetch ends at the 2 s deadline, not 2 s
    // after the last hop began.
    let server = TestServer::start(|request| match request.path.as_str() {
        "/slow" => Reply::After(
            Duration::from_millis(1200),
            Box::new(Reply::redirect(302, "/stall")),
        ),
        _ => Reply::StallMidBody {
            body: feed("Stall"),
            sent: 10,
        },
    });
    let two_seconds = FetchOptions {
        timeout: Duration::from_secs(2),
        ..options()
    };
    let started = Instant::now();
    let error = get(&server.url("/slow"), &two_seconds).unwrap_err();
    let took = started.elapsed();
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_millis(2800),
        "took {took:?}"
    );
}

#[test]
fn a_connection_closed_halfway_through_the_body_is_an_error_not_a_short_body() {
    let server = TestServer::start(|_| Reply::CloseMidBody {
        body: feed("Cut"),
        sent: 40,
    });
    let url = server.url("/feed.xml");
    let error = get(&url, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::Body { url: u, .. } if *u == url),
        "{error:?}"
    );
    assert!(
        message(&error).starts_with(&format!("the answer of `{url}` broke off or is damaged")),
        "{}",
        message(&error)
    );
}

#[test]
fn a_gzipped_body_is_decoded() {
    // Long enough that gzip shrinks it, so the test would see raw gzip bytes if nothing decoded them.
    let original: Vec<u8> = (0..400)
        .flat_map(|i| feed(&format!("Episode {i}")))
        .collect();
    let compressed = gzip(&original);
    assert!(compressed.len() < original.len() / 4);
    let server = TestServer::start(move |_| {
        Reply::ok(compressed.clone()).with_header("Content-Encoding", "gzip")
    });
    let fetched = get(&server.url("/feed.xml"), &options()).unwrap();
    assert_eq!(fetched.bytes.len(), original.len());
    assert!(fetched.bytes == original, "the decoded body differs");
}

#[test]
fn damaged_gzip_is_an_error() {
    let mut compressed = gzip(&feed("Damaged"));
    let middle = compressed.len() / 2;
    compressed[middle..].fill(0xAA);
    let server = TestServer::start(move |_| {
        Reply::ok(compressed.clone()).with_header("Content-Encoding", "gzip")
    });
    let error = get(&server.url("/feed.xml"), &options()).unwrap_err();
    assert!(matches!(error, FetchError::Body { .. }), "{error:?}");
}

#[test]
fn an_encoding_castkit_did_not_ask_for_is_refused() {
    let server = TestServer::start(|_| Reply::ok(feed("Br")).with_header("Content-Encoding", "br"));
    let error = get(&server.url("/feed.xml"), &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::UnsupportedEncoding { encoding, .. } if encoding == "br"),
        "{error:?}"
    );
}

#[test]
fn a_body_over_the_cap_is_refused_and_one_at_the_cap_is_not() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/at-cap" => Reply::ok(vec![b'a'; 1000]),
        "/over-cap" => Reply::ok(vec![b'a'; 1001]),
        // No Content-Length: the cap must be found while reading.
        _ => Reply::ok(vec![b'a'; 1001]).close_delimited(),
    });
    let capped = FetchOptions {
        max_bytes: 1000,
        ..options()
    };
    assert_eq!(
        get(&server.url("/at-cap"), &capped).unwrap().bytes.len(),
        1000
    );
    for path in ["/over-cap", "/over-cap-unstated"] {
        let url = server.url(path);
        let error = get(&url, &capped).unwrap_err();
        assert!(
            matches!(&error, FetchError::TooLarge { limit: 1000, .. }),
            "{path}: {error:?}"
        );
        assert_eq!(
            message(&error),
            format!(
                "`{url}` sent more than 1000 bytes (after decoding); castkit does not read feeds that large"
            )
        );
    }
}

#[test]
fn a_gzip_bomb_stops_at_the_cap() {
    // 16 MiB of zeros gzip to about 16 KiB; the cap is 64 KiB of decoded bytes.
    let bomb = gzip(&vec![0u8; 16 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let server =
        TestServer::start(move |_| Reply::ok(bomb.clone()).with_header("Content-Encoding", "gzip"));
    let capped = FetchOptions {
        max_bytes: 64 * 1024,
        ..options()
    };
    let error = get(&server.url("/bomb.xml"), &capped).unwrap_err();
    assert!(
        matches!(error, FetchError::TooLarge { limit, .. } if limit == 64 * 1024),
        "{error:?}"
    );
}

#[test]
fn reading_stops_one_byte_past_the_cap() {
    /// An endless body that counts what was taken from it.
    struct Endless<'a>(&'a AtomicU32);
    impl Read for Endless<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(b'x');
            self.0.fetch_add(buf.len() as u32, Ordering::Relaxed);
            Ok(buf.len())
        }
    }
    let taken = AtomicU32::new(0);
    let result = read_capped(Endless(&taken), 0, 100_000);
    assert!(matches!(result, Err(CappedError::TooLarge)));
    assert_eq!(taken.load(Ordering::Relaxed), 100_001);

    // A stated length sizes the buffer once: no spare room from doubling.
    let body = vec![b'y'; 70_000];
    let bytes = read_capped(&body[..], body.len(), 100_000).unwrap();
    assert_eq!(bytes, body);
    assert_eq!(bytes.capacity(), body.len());
}

/// A server whose feed has a version; it answers 304 only when the request carries the current version's
/// validators, and records whether it did.
struct Versioned {
    version: Mutex<u32>,
}

impl Versioned {
    fn etag(version: u32) -> String {
        format!("\"v{version}\"")
    }

    fn date(version: u32) -> String {
        format!("Tue, 0{version} Sep 2026 10:00:00 GMT")
    }

    fn reply(&self, request: &super::test_server::Request) -> Reply {
        let version = *self.version.lock().unwrap();
        let etag = Versioned::etag(version);
        let date = Versioned::date(version);
        if request.header("if-none-match") == Some(etag.as_str())
            && request.header("if-modified-since") == Some(date.as_str())
        {
            return Reply::status(304).with_header("ETag", &etag);
        }
        Reply::ok(feed(&format!("Version {version}")))
            .with_header("ETag", &etag)
            .with_header("Last-Modified", &date)
    }
}

#[test]
fn a_kept_copy_is_asked_for_conditionally_and_returned_on_304_and_replaced_on_200() {
    let versioned = std::sync::Arc::new(Versioned {
        version: Mutex::new(1),
    });
    let handler = std::sync::Arc::clone(&versioned);
    let server = TestServer::start(move |request| handler.reply(request));
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");

    let first = get_cached(&url, dir.path()).unwrap();
    assert!(!first.from_cache);
    assert_eq!(first.bytes, feed("Version 1"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let second = get_cached(&url, dir.path()).unwrap();
    let requests = server.requests();
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("if-modified-since"),
        Some(Versioned::date(1).as_str())
    );
    assert!(second.from_cache);
    assert_eq!(second.bytes, feed("Version 1"));
    assert_eq!(second.etag.as_deref(), Some("\"v1\""));
    assert_eq!(second.last_modified, Some(Versioned::date(1)));

    // The feed changes: the conditional request gets a 200, whose body replaces the kept copy.
    *versioned.version.lock().unwrap() = 2;
    let third = get_cached(&url, dir.path()).unwrap();
    assert!(!third.from_cache);
    assert_eq!(third.bytes, feed("Version 2"));
    let fourth = get_cached(&url, dir.path()).unwrap();
    assert_eq!(server.requests()[3].header("if-none-match"), Some("\"v2\""));
    assert!(fourth.from_cache);
    assert_eq!(fourth.bytes, feed("Version 2"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_damaged_kept_copy_means_a_plain_fetch() {
    let versioned = std::sync::Arc::new(Versioned {
        version: Mutex::new(1),
    });
    let handler = std::sync::Arc::clone(&versioned);
    let server = TestServer::start(move |request| handler.reply(request));
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");
    get_cached(&url, dir.path()).unwrap();

    // Cut the kept copy short: its header's length no longer matches.
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let whole = std::fs::read(&kept).unwrap();
    std::fs::write(&kept, &whole[..whole.len() - 10]).unwrap();
    let again = get_cached(&url, dir.path()).unwrap();
    assert_eq!(server.requests()[1].header("if-none-match"), None);
    assert!(!again.from_cache);
    assert_eq!(again.bytes, feed("Version 1"));
    // The plain fetch kept a sound copy again.
    assert_eq!(std::fs::read(&kept).unwrap(), whole);

    // Not JSON at all.
    std::fs::write(&kept, b"garbage\n<rss/>").unwrap();
    assert!(!get_cached(&url, dir.path()).unwrap().from_cache);
    assert_eq!(server.requests()[2].header("if-none-match"), None);
}

#[test]
fn a_body_without_validators_is_not_kept() {
    let server = TestServer::start(|_| Reply::ok(feed("No validators")));
    let dir = tempfile::tempdir().unwrap();
    let fetched = get_cached(&server.url("/feed.xml"), dir.path()).unwrap();
    assert_eq!(fetched.bytes, feed("No validators"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_304_to_a_request_without_a_kept_copy_is_an_error() {
    let server = TestServer::start(|_| Reply::status(304));
    let url = server.url("/feed.xml");
    let error = get(&url, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::NotModifiedWithoutCache { url: u } if *u == url),
        "{error:?}"
    );
    // With a cache folder but nothing kept in it, the same.
    let dir = tempfile::tempdir().unwrap();
    let error = get_cached(&url, dir.path()).unwrap_err();
    assert!(
        matches!(error, FetchError::NotModifiedWithoutCache { .. }),
        "{error:?}"
    );
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
    drop(listener);
    let error = get(&url, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::Connect { url: u, .. } if *u == url),
        "{error:?}"
    );
    assert!(
        message(&error).starts_with(&format!(
            "cannot connect to the server of `{url}`; check the address and that the server is up: "
        )),
        "{}",
        message(&error)
    );
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    let server = TestServer::start(|_| Reply::ok(feed("Plain")));
    let url = server.url("/feed.xml").replacen("http://", "https://", 1);
    let error = get(&url, &options()).unwrap_err();
    assert!(
        matches!(&error, FetchError::Tls { url: u, .. } if *u == url),
        "{error:?}"
    );
    assert!(message(&error).contains("the secure (TLS) connection"));
}

#[test]
fn a_host_that_does_not_resolve_is_a_dns_error() {
    // No resolver is asked: the errors ureq and the standard library give for a name that does not
    // resolve are built here and classified.
    let url = Url::parse("https://feeds.example.invalid/show.xml").unwrap();
    for error in [
        ureq::Error::HostNotFound,
        ureq::Error::Io(io::Error::other(
            "failed to lookup address information: Name or service not known",
        )),
    ] {
        let classified = classify(error, Phase::Answer, &url, &options());
        assert!(
            matches!(&classified, FetchError::Dns { host, .. } if host == "feeds.example.invalid"),
            "{classified:?}"
        );
        assert!(message(&classified).starts_with(
            "cannot find the host `feeds.example.invalid` of `https://feeds.example.invalid/show.xml`; check its spelling"
        ));
    }
}

#[test]
fn urls_castkit_cannot_fetch_are_refused_before_any_request() {
    for url in [
        "feed.xml",
        "ftp://example.com/feed.xml",
        "file:///tmp/feed.xml",
        "http://",
        "http://exa mple.com/feed.xml",
        "http://[::1/feed.xml",
    ] {
        let error = get(url, &options()).unwrap_err();
        assert!(
            matches!(error, FetchError::BadUrl { .. }),
            "{url}: {error:?}"
        );
        assert!(message(&error).ends_with("give an http:// or https:// URL"));
    }
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let defaults = FetchOptions::default();
    assert_eq!(defaults.timeout, Duration::from_secs(30));
    assert_eq!(defaults.max_redirects, 10);
    assert_eq!(defaults.max_bytes, 64 * 1024 * 1024);
    assert_eq!(bytes_in_words(defaults.max_bytes), "64 MiB");
    assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
}
