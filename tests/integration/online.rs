//! `castkit validate --online` and `castkit validate URL` (the F6xx rules), against servers on 127.0.0.1
//! that misbehave on purpose: a 404, no byte ranges, a wrong length, `text/html`, a redirect loop, too many
//! redirects, a stall, a slow first byte, a feed whose self link is not where it is served. curl asks each
//! URL the same questions first, so every finding is checked against an independent client's view of the
//! same server; Python's `http.server`, which serves no byte ranges, is the real-world case. No test
//! touches the internet.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{FileServer, castkit, have_tool};

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

/// An answer: status, headers, body (not sent to `HEAD`), and a pause before it.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    pause: Duration,
}

impl Answer {
    fn new(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            pause: Duration::ZERO,
        }
    }
    fn header(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }
}

type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// A scripted server: one request per connection, every request recorded, requests held at once counted.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (recorded, most) = (Arc::clone(&requests), Arc::clone(&most_at_once));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, recorded, most, now) = (
                    Arc::clone(&handler),
                    Arc::clone(&recorded),
                    Arc::clone(&most),
                    Arc::clone(&now),
                );
                std::thread::spawn(move || serve(stream, &*handler, &recorded, &most, &now));
            }
        });
        Server {
            base,
            requests,
            most_at_once,
        }
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    recorded: &Mutex<Vec<Request>>,
    most: &AtomicUsize,
    now: &AtomicUsize,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let request = Request {
        method: first.next().unwrap_or_default().to_owned(),
        path: first.next().unwrap_or_default().to_owned(),
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
    };
    let open = now.fetch_add(1, Ordering::SeqCst) + 1;
    most.fetch_max(open, Ordering::SeqCst);
    let answer = handler(&request);
    recorded.lock().unwrap().push(request.clone());
    std::thread::sleep(answer.pause);
    now.fetch_sub(1, Ordering::SeqCst);
    let mut out = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", answer.status);
    if !answer.headers.iter().any(|(n, _)| *n == "Content-Length") {
        out.push_str(&format!("Content-Length: {}\r\n", answer.body.len()));
    }
    for (name, value) in &answer.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    if request.method != "HEAD" {
        let _ = stream.write_all(&answer.body);
    }
}

/// A file served as a good host serves it: `HEAD`, ranges (206 with `Content-Range`), `ETag`, its type.
fn good_file(request: &Request, len: usize, media_type: &str) -> Answer {
    let answer = match request.headers.get("range").map(String::as_str) {
        Some("bytes=0-1") => Answer {
            body: vec![0xFF, 0xFB],
            ..Answer::new(206).header("Content-Range", format!("bytes 0-1/{len}"))
        },
        _ => Answer {
            body: vec![0; len],
            ..Answer::new(200)
        },
    };
    answer
        .header("Content-Type", media_type)
        .header("Accept-Ranges", "bytes")
        .header("ETag", "\"v1\"")
}

/// The misbehaving host of the tests: each path one defect.
fn misbehaving(request: &Request) -> Answer {
    let path = request.path.as_str();
    match path {
        "/good.mp3" | "/wrong-length.mp3" => good_file(request, 1000, "audio/mpeg"),
        "/cover.jpg" => good_file(request, 500, "image/jpeg"),
        "/missing.mp3" => Answer::new(404),
        "/no-ranges.mp3" => Answer {
            body: vec![0; 1000],
            ..Answer::new(200).header("Content-Type", "audio/mpeg")
        },
        "/page.mp3" => good_file(request, 1000, "text/html; charset=utf-8"),
        "/loop-a" => Answer::new(302).header("Location", "/loop-b"),
        "/loop-b" => Answer::new(302).header("Location", "/loop-a"),
        "/stall.mp3" => Answer {
            pause: Duration::from_secs(8),
            ..good_file(request, 1000, "audio/mpeg")
        },
        "/slow.mp3" => Answer {
            pause: Duration::from_millis(2500),
            ..good_file(request, 1000, "audio/mpeg")
        },
        _ => match path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse::<u32>().ok())
        {
            // `/hop/N` redirects N times, then serves the good file.
            Some(0) => good_file(request, 1000, "audio/mpeg"),
            Some(n) => Answer::new(301).header("Location", format!("/hop/{}", n - 1)),
            None => Answer::new(404),
        },
    }
}

/// A feed with one item per `(url, length)`, the first also given as channel art.
fn feed(items: &[(&str, u64)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Night Shift</title>
<link>https://nightshift.example/</link>
<description>Stories.</description>
"#,
    );
    for (i, (url, length)) in items.iter().enumerate() {
        out.push_str(&format!(
            "<item>\n<title>Episode {i}</title>\n<guid isPermaLink=\"false\">ep-{i}</guid>\n<enclosure url=\"{url}\" length=\"{length}\" type=\"audio/mpeg\"/>\n</item>\n"
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// The F6xx findings of `castkit validate --online` on `feed_text`, as (code, message, line), and how long
/// the run took.
fn online_findings(
    feed_text: &str,
    extra: &[&str],
) -> (Vec<(String, String, u64)>, Duration, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("feed.xml"), feed_text).unwrap();
    let started = Instant::now();
    let out = castkit()
        .current_dir(dir.path())
        .env("CASTKIT_CACHE_DIR", "off")
        .args(["validate", "feed.xml", "--online", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let took = started.elapsed();
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "castkit printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let f6 = findings
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("F6"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (f6, took, out)
}

/// What curl sees for `url`: (HEAD status, status of a `Range: bytes=0-1` GET, bytes that GET received,
/// its `Content-Type`, redirects followed by the HEAD).
fn curl(url: &str) -> (u16, u16, u64, String, u32) {
    let run = |args: &[&str]| {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "--max-time",
                "6",
                "--max-redirs",
                "20",
            ])
            .args(args)
            .arg(url)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let head = run(&["-I", "-L", "-w", "%{http_code} %{num_redirects}"]);
    let ranged = run(&[
        "-L",
        "-r",
        "0-1",
        "-w",
        "%{http_code} %{size_download} %{content_type}",
    ]);
    let mut h = head.split(' ');
    let mut r = ranged.splitn(3, ' ');
    (
        h.next().unwrap_or("0").parse().unwrap_or(0),
        r.next().unwrap_or("0").parse().unwrap_or(0),
        r.next().unwrap_or("0").parse().unwrap_or(0),
        r.next().unwrap_or("").to_owned(),
        h.next().unwrap_or("0").parse().unwrap_or(0),
    )
}

/// The line of the feed where `needle` is written.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn each_misbehaviour_is_found_at_the_line_of_its_url() {
    if !have_tool("curl") {
        return;
    }
    let server = Server::start(misbehaving);
    let cases: &[(&str, u64, &str)] = &[
        ("/missing.mp3", 1000, "F601"),
        ("/loop-a", 1000, "F601"),
        ("/no-ranges.mp3", 1000, "F602"),
        ("/wrong-length.mp3", 999, "F603"),
        ("/page.mp3", 1000, "F604"),
        ("/hop/6", 1000, "F605"),
        ("/slow.mp3", 1000, "F607"),
    ];
    // curl sees each defect first: the server misbehaves as the case says.
    let seen: HashMap<&str, (u16, u16, u64, String, u32)> = cases
        .iter()
        .map(|(p, _, _)| (*p, curl(&server.url(p))))
        .collect();
    assert_eq!(seen["/missing.mp3"].0, 404);
    // curl gives up after 20 hops, its last answer still a redirect.
    assert_eq!(seen["/loop-a"].0, 302);
    assert_eq!(
        (seen["/no-ranges.mp3"].1, seen["/no-ranges.mp3"].2),
        (200, 1000)
    );
    assert_eq!(
        (seen["/wrong-length.mp3"].1, seen["/wrong-length.mp3"].2),
        (206, 2)
    );
    assert!(seen["/page.mp3"].3.starts_with("text/html"));
    assert_eq!(seen["/hop/6"].4, 6);
    let good = curl(&server.url("/good.mp3"));
    assert_eq!((good.0, good.1, good.2), (200, 206, 2));

    let mut items: Vec<(String, u64)> = cases
        .iter()
        .map(|(p, len, _)| (server.url(p), *len))
        .collect();
    items.push((server.url("/good.mp3"), 1000));
    let borrowed: Vec<(&str, u64)> = items.iter().map(|(u, l)| (u.as_str(), *l)).collect();
    let text = feed(&borrowed);
    let (found, _, _) = online_findings(&text, &["--timeout", "4"]);
    for (path, _, code) in cases {
        let line = line_of(&text, &format!("{}\"", server.url(path)));
        assert!(
            found
                .iter()
                .any(|(c, m, l)| c == code && *l == line && m.contains(path)),
            "{code} for {path} at line {line}: {found:#?}"
        );
    }
    // The good file has no finding, and nothing else is reported but what the cases expect.
    assert!(
        !found.iter().any(|(_, m, _)| m.contains("/good.mp3")),
        "{found:#?}"
    );
    assert_eq!(found.len(), cases.len(), "{found:#?}");
    // The wrong length names the server's length, which curl read in Content-Range.
    assert!(
        found
            .iter()
            .any(|(c, m, _)| c == "F603" && m.contains("999 bytes") && m.contains("1000"))
    );
}

#[test]
fn a_stalled_server_costs_the_timeout_once_and_is_unreachable() {
    let server = Server::start(misbehaving);
    let stalled = server.url("/stall.mp3");
    let good = server.url("/good.mp3");
    let (found, took, _) = online_findings(
        &feed(&[(&stalled, 1000), (&good, 1000)]),
        &["--timeout", "1"],
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "F601");
    assert!(found[0].1.contains("within 1 s"), "{}", found[0].1);
    assert!(
        took < Duration::from_secs(6),
        "the stall held the run for {took:?}"
    );
}

#[test]
fn a_host_never_gets_more_than_four_requests_at_once() {
    let server = Server::start(|request| Answer {
        pause: Duration::from_millis(150),
        ..good_file(request, 1000, "audio/mpeg")
    });
    let urls: Vec<String> = (0..24).map(|i| server.url(&format!("/e{i}.mp3"))).collect();
    let items: Vec<(&str, u64)> = urls.iter().map(|u| (u.as_str(), 1000)).collect();
    let (found, _, out) = online_findings(&feed(&items), &["--jobs", "16"]);
    assert!(
        found.is_empty(),
        "{found:#?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        server.requests().len(),
        48,
        "a HEAD and a ranged GET per URL"
    );
    let most = server.most_at_once.load(Ordering::SeqCst);
    assert!((2..=4).contains(&most), "{most} requests at once");
}

#[test]
fn a_rerun_asks_with_a_conditional_head_and_reuses_the_answer() {
    let server = Server::start(|request| {
        if request.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            return Answer::new(304);
        }
        good_file(request, 1000, "audio/mpeg")
    });
    let url = server.url("/ep.mp3");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("feed.xml"), feed(&[(&url, 999)])).unwrap();
    let run = || {
        let out = castkit()
            .current_dir(dir.path())
            .env("CASTKIT_CACHE_DIR", dir.path().join("cache"))
            .args(["validate", "feed.xml", "--online"])
            .output()
            .unwrap();
        json_like_codes(&String::from_utf8_lossy(&out.stdout))
    };
    let first = run();
    let second = run();
    assert!(first.contains(&"F603".to_owned()), "{first:?}");
    assert_eq!(first, second, "the kept answer is judged the same way");
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        3,
        "HEAD and GET, then one conditional HEAD: {requests:#?}"
    );
    assert_eq!(requests[2].method, "HEAD");
    assert_eq!(
        requests[2].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
}

/// The codes of a text report (`error[F603]: …`).
fn json_like_codes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once('[').and_then(|(_, r)| r.split_once(']')))
        .map(|(code, _)| code.to_owned())
        .filter(|c| c.starts_with('F'))
        .collect()
}

#[test]
fn python_http_server_serves_no_ranges_and_the_real_length_is_checked() {
    if !have_tool("curl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ep.mp3"), vec![0u8; 4321]).unwrap();
    let server = FileServer::serve(dir.path());
    let url = server.url("ep.mp3");
    let seen = curl(&url);
    // curl: http.server answers a range request with the whole file.
    assert_eq!((seen.1, seen.2), (200, 4321));
    let (found, _, _) = online_findings(&feed(&[(&url, 4000)]), &[]);
    let codes: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert!(codes.contains(&"F602"), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|(c, m, _)| c == "F603" && m.contains("4321")),
        "the file's size on disk: {found:#?}"
    );
}

#[test]
fn a_feed_given_as_a_url_is_fetched_and_its_self_link_compared() {
    let text = feed(&[]).replace(
        "<title>Night Shift</title>",
        "<title>Night Shift</title>\n<atom:link href=\"https://old.example/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>",
    );
    let served = text.clone();
    let server = Server::start(move |request| match request.path.as_str() {
        "/old" => Answer::new(301).header("Location", "/feed.xml"),
        _ => Answer {
            body: served.clone().into_bytes(),
            ..Answer::new(200).header("Content-Type", "application/rss+xml")
        },
    });
    let out = castkit()
        .env("CASTKIT_CACHE_DIR", "off")
        .args(["validate", &server.url("/old")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("warning[F608]"), "{stdout}\n{stderr}");
    assert!(stdout.contains(&server.url("/feed.xml")), "{stdout}");
    let line = line_of(&text, "rel=\"self\"");
    assert!(
        stdout.contains(&format!(":{line}:")),
        "the self link's line {line}: {stdout}"
    );
    assert!(stderr.contains("redirected (301)"), "{stderr}");
}
