//! Download tests against the scripted server of `test_server` on 127.0.0.1; none touches the internet, and
//! every one is bounded by a read timeout of a few seconds at most. Files are checked against the bytes the
//! server holds, and with `sha256sum` against a copy of them.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::*;
use crate::fetch::test_server::{Reply, TestServer};

/// Short enough that a test that goes wrong fails quickly instead of hanging.
fn options() -> DownloadOptions {
    DownloadOptions {
        read_timeout: Duration::from_secs(5),
        ..DownloadOptions::default()
    }
}

/// [`download_all`] without the environment's proxies (the server is local).
fn run(jobs: &[Download], options: &DownloadOptions) -> Vec<Result<Downloaded, DownloadError>> {
    download_all_with(jobs, options, Proxies::None)
}

/// One job.
fn get(url: &str, dest: &Path, expected_len: Option<u64>) -> Result<Downloaded, DownloadError> {
    let job = Download {
        url: url.to_owned(),
        dest: dest.to_path_buf(),
        expected_len,
    };
    run(&[job], &options()).remove(0)
}

/// The error's message with its causes, as a user sees it.
fn message(error: &DownloadError) -> String {
    crate::error::Chain(error).to_string()
}

/// `len` bytes that look like media (no runs, no repeats a short cut could hide), different per `seed`.
fn media(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// `sha256sum`'s digest of `path`.
fn sha256sum(path: &Path) -> Option<String> {
    let output = Command::new("sha256sum").arg(path).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.split_whitespace().next()?.to_owned())
}

/// The file at `dest` is `expected`, byte for byte, and `sha256sum` agrees with a copy of `expected`.
fn assert_file_is(dest: &Path, expected: &[u8]) {
    let saved = fs::read(dest).unwrap();
    assert_eq!(saved.len(), expected.len(), "length of {}", dest.display());
    assert!(
        saved == expected,
        "{} differs from the source",
        dest.display()
    );
    let copy = tempfile::NamedTempFile::new().unwrap();
    fs::write(copy.path(), expected).unwrap();
    match (sha256sum(dest), sha256sum(copy.path())) {
        (Some(saved), Some(source)) => assert_eq!(saved, source),
        _ if std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_some_and(|v| v == "1") => {
            panic!("sha256sum is required (CASTKIT_REQUIRE_TOOLS=1) but did not run")
        }
        _ => eprintln!("skipping the sha256sum check: sha256sum did not run"),
    }
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A handler that answers the first request with `first` and every later one with `then`.
fn first_then(
    first: impl Fn(&crate::fetch::test_server::Request) -> Reply + Send + Sync + 'static,
    then: impl Fn(&crate::fetch::test_server::Request) -> Reply + Send + Sync + 'static,
) -> impl Fn(&crate::fetch::test_server::Request) -> Reply + Send + Sync + 'static {
    let count = AtomicUsize::new(0);
    move |request| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            first(request)
        } else {
            then(request)
        }
    }
}

const LEN: usize = 700_000;
const CUT: usize = 300_000;
const ETAG: &str = "\"v1\"";

#[test]
fn a_whole_file_is_saved_byte_for_byte_and_nothing_else_is_left() {
    let body = media(LEN, 1);
    let source = body.clone();
    let server = TestServer::start(move |r| Reply::ranged(r, &source, Some(ETAG)));
    let dir = tempfile::tempdir().unwrap();
    // The folder does not exist yet.
    let dest = dir.path().join("media").join("ep1.mp3");
    let url = server.url("/ep1.mp3");
    let done = get(&url, &dest, Some(LEN as u64)).unwrap();
    assert_eq!(
        done,
        Downloaded {
            dest: dest.clone(),
            url: url.clone(),
            redirects: Vec::new(),
            bytes: LEN as u64,
            outcome: Outcome::Fetched,
        }
    );
    assert_file_is(&dest, &body);
    assert_eq!(names_in(&dir.path().join("media")), ["ep1.mp3"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("range"), None);
    assert_eq!(requests[0].header("if-range"), None);
    assert_eq!(requests[0].header("accept-encoding"), Some("identity"));
    assert_eq!(
        requests[0].header("user-agent"),
        Some(concat!("castkit/", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn a_download_cut_off_midway_resumes_from_the_bytes_kept() {
    let body = media(LEN, 2);
    let (first, then) = (body.clone(), body.clone());
    let server = TestServer::start(first_then(
        move |r| Reply::ranged(r, &first, Some(ETAG)).hang_up_after(CUT),
        move |r| Reply::ranged(r, &then, Some(ETAG)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep2.mp3");
    let part = dir.path().join("ep2.mp3.part");
    let url = server.url("/ep2.mp3");

    let error = get(&url, &dest, Some(LEN as u64)).unwrap_err();
    assert!(
        matches!(&error, DownloadError::BrokenOff { received, total: Some(total), part: p, .. }
            if *received == CUT as u64 && *total == LEN as u64 && *p == part),
        "{error:?}"
    );
    let shown = message(&error);
    assert!(
        shown.starts_with(&format!(
            "the download of `{url}` broke off after {CUT} bytes of {LEN}; they are kept in `{}`: run again to resume",
            part.display()
        )),
        "{shown}"
    );
    assert!(!dest.exists());
    assert_eq!(fs::read(&part).unwrap(), &body[..CUT]);

    let done = get(&url, &dest, Some(LEN as u64)).unwrap();
    assert_eq!(done.outcome, Outcome::Resumed { kept: CUT as u64 });
    assert_eq!(done.bytes, LEN as u64);
    assert_file_is(&dest, &body);
    assert_eq!(names_in(dir.path()), ["ep2.mp3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("range"), Some("bytes=300000-"));
    assert_eq!(requests[1].header("if-range"), Some(ETAG));
}

#[test]
fn a_server_that_ignores_range_is_started_over_cleanly() {
    let body = media(LEN, 3);
    let (first, then) = (body.clone(), body.clone());
    let server = TestServer::start(first_then(
        move |_| Reply::ok(first.clone()).hang_up_after(CUT),
        move |_| Reply::ok(then.clone()),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep3.mp3");
    let url = server.url("/ep3.mp3");
    assert!(get(&url, &dest, None).is_err());
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.outcome, Outcome::Fetched);
    assert_file_is(&dest, &body);
    assert_eq!(names_in(dir.path()), ["ep3.mp3"]);
    let requests = server.requests();
    assert_eq!(requests[1].header("range"), Some("bytes=300000-"));
}

#[test]
fn a_file_changed_on_the_server_is_fetched_afresh_not_spliced() {
    let old = media(LEN, 4);
    let new = media(LEN, 5);
    // A server that honours If-Range: the changed file comes whole.
    let (first, then) = (old.clone(), new.clone());
    let server = TestServer::start(first_then(
        move |r| Reply::ranged(r, &first, Some(ETAG)).hang_up_after(CUT),
        move |r| Reply::ranged(r, &then, Some("\"v2\"")),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep4.mp3");
    let url = server.url("/ep4.mp3");
    assert!(get(&url, &dest, None).is_err());
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.outcome, Outcome::Fetched);
    assert_file_is(&dest, &new);
    assert_eq!(server.requests()[1].header("if-range"), Some(ETAG));

    // A server that ignores If-Range but names the new version in its 206: the part is started over.
    let (first, then) = (old.clone(), new.clone());
    let server = TestServer::start(first_then(
        move |r| Reply::ranged(r, &first, Some(ETAG)).hang_up_after(CUT),
        move |r| {
            let mut without_if_range = r.clone();
            without_if_range
                .headers
                .retain(|(name, _)| name != "if-range");
            Reply::ranged(&without_if_range, &then, Some("\"v2\""))
        },
    ));
    let dest = dir.path().join("ep4b.mp3");
    let url = server.url("/ep4b.mp3");
    assert!(get(&url, &dest, None).is_err());
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.outcome, Outcome::Fetched);
    assert_file_is(&dest, &new);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1].header("range"), Some("bytes=300000-"));
    assert_eq!(requests[2].header("range"), None);
}

#[test]
fn without_an_etag_a_strong_last_modified_date_is_the_if_range() {
    let body = media(LEN, 6);
    let (first, then) = (body.clone(), body.clone());
    let modified = "Tue, 01 Sep 2026 10:00:00 GMT";
    let server = TestServer::start(first_then(
        move |r| {
            Reply::ranged(r, &first, None)
                .with_header("Last-Modified", modified)
                .with_header("Date", "Tue, 01 Sep 2026 10:00:05 GMT")
                .hang_up_after(CUT)
        },
        move |r| Reply::ranged(r, &then, None),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep6.mp3");
    let url = server.url("/ep6.mp3");
    assert!(get(&url, &dest, None).is_err());
    get(&url, &dest, None).unwrap();
    assert_file_is(&dest, &body);
    assert_eq!(server.requests()[1].header("if-range"), Some(modified));
}

#[test]
fn a_file_whose_length_is_not_the_feeds_is_not_saved_and_the_error_says_which_number_differs() {
    let body = media(LEN, 7);
    let source = body.clone();
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/stated.mp3" => Reply::ranged(r, &source, None),
        _ => Reply::ok(source.clone()).close_delimited(),
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep7.mp3");
    let part = dir.path().join("ep7.mp3.part");
    let url = server.url("/stated.mp3");
    let feed_len = LEN as u64 + 1000;

    let error = get(&url, &dest, Some(feed_len)).unwrap_err();
    assert!(
        matches!(&error, DownloadError::FeedLengthDiffers { received, server_stated: true, feed_len: f, .. }
            if *received == LEN as u64 && *f == feed_len),
        "{error:?}"
    );
    assert_eq!(
        message(&error),
        format!(
            "`{url}` sent {LEN} bytes, the length its server stated, but the feed says {feed_len}: the feed's \
             number differs; the file is kept as `{}`, not saved as `{}`; if it is the right file, correct the \
             enclosure `length` in the feed (or download without checking it)",
            part.display(),
            dest.display()
        )
    );
    assert!(!dest.exists(), "nothing may be saved under the destination");
    assert_eq!(fs::read(&part).unwrap(), body);

    // A server that states no length: the feed's number cannot be told wrong from a cut.
    let dest = dir.path().join("ep7b.mp3");
    let url = server.url("/unstated.mp3");
    let error = get(&url, &dest, Some(feed_len)).unwrap_err();
    assert!(
        matches!(
            &error,
            DownloadError::FeedLengthDiffers {
                server_stated: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        message(&error).starts_with(&format!(
            "`{url}` sent {LEN} bytes without stating a length, but the feed says {feed_len}: they differ"
        )),
        "{}",
        message(&error)
    );
    assert!(!dest.exists());
}

#[test]
fn a_part_that_is_already_whole_is_completed_by_a_416_without_a_body() {
    let body = media(LEN, 8);
    let source = body.clone();
    let server = TestServer::start(move |r| Reply::ranged(r, &source, None));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep8.mp3");
    let url = server.url("/ep8.mp3");
    // The feed's length is wrong: the whole file stays in the part.
    assert!(get(&url, &dest, Some(1)).is_err());
    // Without the feed's length, the part is checked with the server and saved.
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.outcome, Outcome::Resumed { kept: LEN as u64 });
    assert_eq!(done.bytes, LEN as u64);
    assert_file_is(&dest, &body);
    assert_eq!(names_in(dir.path()), ["ep8.mp3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("range"), Some("bytes=700000-"));
}

#[test]
fn a_part_longer_than_the_servers_file_is_started_over() {
    let old = media(LEN, 9);
    let shorter = media(CUT / 2, 10);
    let (first, then) = (old.clone(), shorter.clone());
    let server = TestServer::start(first_then(
        move |r| Reply::ranged(r, &first, None).hang_up_after(CUT),
        move |r| Reply::ranged(r, &then, None),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep9.mp3");
    let url = server.url("/ep9.mp3");
    assert!(get(&url, &dest, None).is_err());
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.outcome, Outcome::Fetched);
    assert_file_is(&dest, &shorter);
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        3,
        "a 416 for bytes past the end, then the whole file"
    );
    assert_eq!(requests[1].header("range"), Some("bytes=300000-"));
    assert_eq!(requests[2].header("range"), None);
}

#[test]
fn a_server_that_sends_more_than_it_stated_leaves_nothing() {
    let body = media(LEN, 11);
    let (first, then) = (body.clone(), body.clone());
    let server = TestServer::start(first_then(
        move |r| Reply::ranged(r, &first, Some(ETAG)).hang_up_after(CUT),
        // The rest, and then some, with the connection ending the body.
        move |_| {
            let mut rest = then[CUT..].to_vec();
            rest.extend_from_slice(b"trailing garbage");
            Reply::Respond {
                status: 206,
                headers: vec![(
                    "Content-Range".to_owned(),
                    format!("bytes {CUT}-{}/{LEN}", LEN - 1),
                )],
                body: rest,
                close_delimited: true,
            }
        },
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep11.mp3");
    let url = server.url("/ep11.mp3");
    assert!(get(&url, &dest, None).is_err());
    let error = get(&url, &dest, None).unwrap_err();
    assert!(
        matches!(&error, DownloadError::ServerLengthDiffers { stated, .. } if *stated == LEN as u64),
        "{error:?}"
    );
    assert!(message(&error).contains("the server's number differs"));
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn an_existing_complete_file_is_not_requested_again() {
    let body = media(LEN, 12);
    let source = body.clone();
    let server = TestServer::start(move |r| Reply::ranged(r, &source, None));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep12.mp3");
    let url = server.url("/ep12.mp3");
    get(&url, &dest, Some(LEN as u64)).unwrap();
    assert_eq!(server.requests().len(), 1);

    for expected_len in [Some(LEN as u64), None] {
        let done = get(&url, &dest, expected_len).unwrap();
        assert_eq!(done.outcome, Outcome::AlreadyComplete);
        assert_eq!(done.bytes, LEN as u64);
    }
    assert_eq!(server.requests().len(), 1, "no request for a complete file");

    // A file of another length than the feed's is stale: it is replaced once the new one is whole.
    fs::write(&dest, b"an older, shorter file").unwrap();
    let done = get(&url, &dest, Some(LEN as u64)).unwrap();
    assert_eq!(done.outcome, Outcome::Fetched);
    assert_file_is(&dest, &body);
}

#[test]
fn no_more_than_parallel_downloads_run_at_once_and_results_keep_job_order() {
    const JOBS: usize = 7;
    let bodies: Vec<Vec<u8>> = (0..JOBS)
        .map(|i| media(20_000 + i * 1000, 100 + i as u64))
        .collect();
    let served = bodies.clone();
    let server = TestServer::start(move |r| {
        let index: usize = r
            .path
            .trim_start_matches("/ep")
            .trim_end_matches(".mp3")
            .parse()
            .unwrap_or(0);
        // Each request is held a while, so that the workers overlap.
        Reply::After(
            Duration::from_millis(250),
            Box::new(Reply::ranged(r, &served[index], None)),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let jobs: Vec<Download> = (0..JOBS)
        .map(|i| Download {
            url: server.url(&format!("/ep{i}.mp3")),
            dest: dir.path().join(format!("ep{i}.mp3")),
            expected_len: Some(bodies[i].len() as u64),
        })
        .collect();
    let three = DownloadOptions {
        parallel: NonZeroUsize::new(3).unwrap(),
        ..options()
    };
    let results = run(&jobs, &three);
    assert_eq!(server.most_held_at_once(), 3);
    assert_eq!(results.len(), JOBS);
    for (i, result) in results.into_iter().enumerate() {
        let done = result.unwrap();
        assert_eq!(done.dest, jobs[i].dest);
        assert_file_is(&jobs[i].dest, &bodies[i]);
    }
}

#[test]
fn redirects_are_followed_and_a_resume_asks_the_final_url_for_the_range() {
    let body = media(LEN, 13);
    let (first, then) = (body.clone(), body.clone());
    let cdn = first_then(
        move |r| Reply::ranged(r, &first, Some(ETAG)).hang_up_after(CUT),
        move |r| Reply::ranged(r, &then, Some(ETAG)),
    );
    let server = TestServer::start(move |r| match r.path.as_str() {
        // A tracking prefix in front of the host's CDN, as podtrac and chartable do.
        "/track/ep13.mp3" => Reply::redirect(302, "/cdn/ep13.mp3"),
        "/cdn/ep13.mp3" => cdn(r),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep13.mp3");
    let url = server.url("/track/ep13.mp3");
    let error = get(&url, &dest, None).unwrap_err();
    assert!(
        message(&error).contains(&format!("`{}`", server.url("/cdn/ep13.mp3"))),
        "{}",
        message(&error)
    );
    let done = get(&url, &dest, None).unwrap();
    assert_eq!(done.url, server.url("/cdn/ep13.mp3"));
    assert_eq!(
        done.redirects,
        [Redirect {
            status: 302,
            from: url.clone(),
            to: server.url("/cdn/ep13.mp3"),
        }]
    );
    assert_eq!(done.outcome, Outcome::Resumed { kept: CUT as u64 });
    assert_file_is(&dest, &body);
    let requests = server.requests();
    let asked: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.path.as_str(), r.header("range")))
        .collect();
    assert_eq!(
        asked,
        [
            ("/track/ep13.mp3", None),
            ("/cdn/ep13.mp3", None),
            ("/track/ep13.mp3", Some("bytes=300000-")),
            ("/cdn/ep13.mp3", Some("bytes=300000-")),
        ]
    );
}

#[test]
fn a_404_names_the_url_and_leaves_no_file() {
    let server = TestServer::start(|_| Reply::status(404));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep14.mp3");
    let url = server.url("/missing.mp3");
    let error = get(&url, &dest, Some(10)).unwrap_err();
    assert!(
        matches!(&error, DownloadError::Status { status: 404, url: u, .. } if *u == url),
        "{error:?}"
    );
    assert_eq!(
        message(&error),
        format!("`{url}` answered 404 Not Found; check the enclosure URL in the feed")
    );
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn a_stall_midway_ends_after_the_read_timeout_and_keeps_the_bytes() {
    let body = media(LEN, 15);
    let source = body.clone();
    let server = TestServer::start(move |_| Reply::StallMidBody {
        body: source.clone(),
        sent: CUT,
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep15.mp3");
    let url = server.url("/ep15.mp3");
    let one_second = DownloadOptions {
        read_timeout: Duration::from_secs(1),
        ..options()
    };
    let started = Instant::now();
    let job = Download {
        url: url.clone(),
        dest: dest.clone(),
        expected_len: None,
    };
    let error = run(&[job], &one_second).remove(0).unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        matches!(&error, DownloadError::Stalled { received, total: Some(total), after, .. }
            if *received == CUT as u64 && *total == LEN as u64 && *after == Duration::from_secs(1)),
        "{error:?}"
    );
    assert!(
        message(&error).contains("(nothing for 1 s)"),
        "{}",
        message(&error)
    );
    assert!(!dest.exists());
    assert_eq!(
        fs::read(dir.path().join("ep15.mp3.part")).unwrap(),
        &body[..CUT]
    );
}

#[test]
fn a_slow_download_that_keeps_sending_is_not_cut_by_the_read_timeout() {
    let body = media(50_000, 16);
    let source = body.clone();
    let server = TestServer::start(move |_| Reply::Trickle {
        body: source.clone(),
        pieces: 5,
        every: Duration::from_millis(400),
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep16.mp3");
    let one_second = DownloadOptions {
        read_timeout: Duration::from_secs(1),
        ..options()
    };
    let started = Instant::now();
    let job = Download {
        url: server.url("/ep16.mp3"),
        dest: dest.clone(),
        expected_len: Some(body.len() as u64),
    };
    run(&[job], &one_second).remove(0).unwrap();
    assert!(started.elapsed() > Duration::from_secs(1));
    assert_file_is(&dest, &body);
}

#[test]
fn two_jobs_saving_to_one_file_and_a_bad_url_are_refused_alone() {
    let body = media(1000, 17);
    let source = body.clone();
    let server = TestServer::start(move |r| Reply::ranged(r, &source, None));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep17.mp3");
    let job = |url: String| Download {
        url,
        dest: dest.clone(),
        expected_len: None,
    };
    let jobs = [
        job(server.url("/a.mp3")),
        job(server.url("/b.mp3")),
        Download {
            url: "ftp://example.com/ep.mp3".to_owned(),
            dest: dir.path().join("other.mp3"),
            expected_len: None,
        },
    ];
    let results = run(&jobs, &options());
    assert_file_is(&results[0].as_ref().unwrap().dest, &body);
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(
        message(error),
        format!(
            "`{}` and `{}` would both be saved as `{}`; give each download its own file",
            server.url("/b.mp3"),
            server.url("/a.mp3"),
            dest.display()
        )
    );
    assert!(matches!(
        results[2],
        Err(DownloadError::Request(FetchError::BadUrl { .. }))
    ));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(names_in(dir.path()), ["ep17.mp3"]);
}

#[test]
fn a_part_another_program_is_writing_is_left_alone() {
    let server = TestServer::start(|r| Reply::ranged(r, b"whatever", None));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ep18.mp3");
    let part = dir.path().join("ep18.mp3.part");
    fs::write(&part, b"what the other one wrote").unwrap();
    let other = File::options().write(true).open(&part).unwrap();
    other.lock().unwrap();
    let error = get(&server.url("/ep18.mp3"), &dest, None).unwrap_err();
    assert!(matches!(&error, DownloadError::Busy { .. }), "{error:?}");
    assert!(server.requests().is_empty());
    assert_eq!(fs::read(&part).unwrap(), b"what the other one wrote");
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error_naming_the_url() {
    let server = TestServer::start(|r| Reply::ranged(r, b"plain", None));
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/ep.mp3").replacen("http://", "https://", 1);
    let error = get(&url, &dir.path().join("ep.mp3"), None).unwrap_err();
    assert!(
        matches!(&error, DownloadError::Request(FetchError::Tls { url: u, .. }) if *u == url),
        "{error:?}"
    );
    assert!(message(&error).contains(&format!("the secure (TLS) connection to `{url}` failed")));
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn a_server_that_never_answers_times_out_after_the_read_timeout() {
    let server = TestServer::start(|_| Reply::Stall);
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/ep.mp3");
    let job = Download {
        url: url.clone(),
        dest: dir.path().join("ep.mp3"),
        expected_len: None,
    };
    let one_second = DownloadOptions {
        read_timeout: Duration::from_secs(1),
        ..options()
    };
    let started = Instant::now();
    let error = run(&[job], &one_second).remove(0).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        message(&error),
        format!(
            "`{url}` did not answer within 1 s; try again later, or allow a longer read timeout"
        )
    );
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn content_range_is_parsed_strictly() {
    let parse = |s: &str| parse_content_range(Some(s));
    assert_eq!(
        parse("bytes 100-999/1000"),
        Some(ContentRange::Bytes {
            first: 100,
            last: 999,
            total: Some(1000)
        })
    );
    assert_eq!(
        parse("bytes 0-9/*"),
        Some(ContentRange::Bytes {
            first: 0,
            last: 9,
            total: None
        })
    );
    assert_eq!(
        parse("bytes */1000"),
        Some(ContentRange::Unsatisfied { total: 1000 })
    );
    for bad in [
        "",
        "bytes",
        "items 0-9/10",
        "bytes 9-0/10",
        "bytes 0-10/10",
        "bytes +1-9/10",
        "bytes 0-9",
        "bytes */*",
        "bytes -1-9/10",
    ] {
        assert_eq!(parse(bad), None, "{bad}");
    }
    assert_eq!(parse_content_range(None), None);
}

#[test]
fn a_last_modified_date_is_strong_only_a_second_before_the_answer() {
    let date = "Tue, 01 Sep 2026 10:00:05 GMT";
    assert!(strong_date("Tue, 01 Sep 2026 10:00:04 GMT", date));
    assert!(!strong_date("Tue, 01 Sep 2026 10:00:05 GMT", date));
    assert!(!strong_date("not a date", date));
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let defaults = DownloadOptions::default();
    assert_eq!(defaults.parallel.get(), 4);
    assert_eq!(defaults.read_timeout, Duration::from_secs(30));
    assert!(!defaults.progress);
    assert_eq!(
        defaults.user_agent,
        concat!("castkit/", env!("CARGO_PKG_VERSION"))
    );
}
