//! `castkit serve` (issue 16): the real binary serving a copy of the example show, asked over plain TCP with
//! the exact bytes of each request, and the served feed read by feedparser over HTTP. Nothing leaves the
//! machine: the server listens on 127.0.0.1 on a port the system picks.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{EXAMPLE_MP3, ShowDir, have_python_module, python_json};

/// A running `castkit serve`, killed if a test ends without stopping it.
struct Serving {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// Everything it printed on stderr so far.
    said: Arc<Mutex<String>>,
}

impl Serving {
    /// Starts `castkit serve --port 0 --bind 127.0.0.1` in `show` and waits until it says where it serves.
    fn start(show: &ShowDir) -> Serving {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("castkit"))
            .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
            .current_dir(show.path())
            .env(
                "CASTKIT_CACHE_DIR",
                std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("probe-cache"),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("castkit runs");
        let said = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        {
            let said = Arc::clone(&said);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let mut said = said.lock().unwrap();
                    said.push_str(&line);
                    said.push('\n');
                }
            });
        }
        let mut serving = Serving {
            child,
            addr: String::new(),
            said,
        };
        let text = serving.wait_for("serving http://", Duration::from_secs(120));
        let at = text.find("serving http://").unwrap() + "serving http://".len();
        serving.addr = text[at..].split('/').next().unwrap().to_owned();
        serving
    }

    /// Waits until stderr contains `what`; returns all of stderr.
    fn wait_for(&mut self, what: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            let text = self.said.lock().unwrap().clone();
            if text.contains(what) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("castkit serve exited with {status} before saying `{what}`:\n{text}");
            }
            assert!(
                start.elapsed() < limit,
                "castkit serve did not say `{what}` in {limit:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `METHOD target` with extra header lines, and reads the whole answer.
    fn ask(&self, method: &str, target: &str, headers: &[&str]) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Answer::parse(&raw)
    }

    fn get(&self, target: &str) -> Answer {
        self.ask("GET", target, &[])
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer, as received.
#[derive(Debug)]
struct Answer {
    status: u16,
    /// Names in lowercase.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = std::str::from_utf8(&raw[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        Answer {
            status,
            headers,
            body: raw[end + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The path part of a URL on the server (`/media/…`), checking that it points at the server.
fn on_server<'a>(url: &'a str, addr: &str) -> &'a str {
    let prefix = format!("http://{addr}");
    url.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("`{url}` does not point at the server {prefix}"))
}

/// The value of the first `attribute="…"` on the element that starts with `element` in `feed`.
fn attribute<'a>(feed: &'a str, element: &str, attribute: &str) -> &'a str {
    let at = feed.find(element).unwrap_or_else(|| panic!("no {element}"));
    let rest = &feed[at..];
    let key = format!("{attribute}=\"");
    let start = rest.find(&key).unwrap() + key.len();
    &rest[start..start + rest[start..].find('"').unwrap()]
}

#[test]
fn serves_the_feed_side_files_and_media_pointing_at_itself() {
    let show = ShowDir::example();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        show.path().join("episodes.toml"),
        show.path().join("media/catalogue.mp3"),
    )
    .unwrap();
    let server = Serving::start(&show);
    let addr = server.addr.clone();

    let feed = server.get("/feed.xml");
    assert_eq!(feed.status, 200, "{}", feed.text());
    assert_eq!(feed.header("content-type"), Some("application/rss+xml"));
    let feed_text = feed.text();
    // The producer's public/ is left alone: the preview is built elsewhere.
    assert!(!show.path().join("public").exists());

    // feedparser, fetching the feed over HTTP, finds the enclosure on this server.
    if have_python_module("feedparser") {
        let read = python_json(
            r#"
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "status": d.get("status"), "title": d.feed.title,
                  "enclosures": [l.href for e in d.entries for l in e.links if l.rel == "enclosure"]}))
"#,
            Path::new(&format!("http://{addr}/feed.xml")),
        );
        assert_eq!(read["bozo"], false, "{read}");
        assert_eq!(read["status"], 200, "{read}");
        assert_eq!(read["title"], "How China Works – Charting the Future");
        let enclosures = read["enclosures"].as_array().unwrap();
        assert_eq!(enclosures.len(), 1, "{read}");
        on_server(enclosures[0].as_str().unwrap(), &addr);
    }

    // The enclosure, whole, ranged, by HEAD and conditionally.
    let mp3 = std::fs::read(show.path().join(EXAMPLE_MP3)).unwrap();
    let enclosure = on_server(attribute(&feed_text, "<enclosure", "url"), &addr).to_owned();
    let whole = server.get(&enclosure);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("content-type"), Some("audio/mpeg"));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(
        whole.header("content-length"),
        Some(&*mp3.len().to_string())
    );
    assert!(whole.body == mp3, "the served audio is the file's bytes");
    assert!(whole.header("last-modified").is_some());

    let head = server.ask("HEAD", &enclosure, &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some(&*mp3.len().to_string()));
    assert!(head.body.is_empty());

    let first = server.ask("GET", &enclosure, &["Range: bytes=0-99"]);
    assert_eq!(first.status, 206);
    assert_eq!(
        first.header("content-range"),
        Some(&*format!("bytes 0-99/{}", mp3.len()))
    );
    assert_eq!(first.body, mp3[..100]);
    let last = server.ask("GET", &enclosure, &["Range: bytes=-10"]);
    assert_eq!(last.status, 206);
    assert_eq!(last.body, mp3[mp3.len() - 10..]);
    let middle = server.ask("GET", &enclosure, &["Range: bytes=1000-"]);
    assert_eq!(middle.status, 206);
    assert_eq!(middle.body, mp3[1000..]);
    let beyond = server.ask(
        "GET",
        &enclosure,
        &[&format!("Range: bytes={}-", mp3.len())],
    );
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range"),
        Some(&*format!("bytes */{}", mp3.len()))
    );

    let etag = whole.header("etag").unwrap();
    let same = server.ask("GET", &enclosure, &[&format!("If-None-Match: {etag}")]);
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty());
    let other = server.ask("GET", &enclosure, &["If-None-Match: \"something else\""]);
    assert_eq!(other.status, 200);
    assert!(other.body == mp3);

    // Every file the feed points at, with its type.
    for (element, attr, content_type) in [
        ("<itunes:image", "href", "image/jpeg"),
        ("<podcast:chapters", "url", "application/json"),
        ("<podcast:transcript", "url", "text/vtt; charset=utf-8"),
    ] {
        let target = on_server(attribute(&feed_text, element, attr), &addr).to_owned();
        let answer = server.get(&target);
        assert_eq!(answer.status, 200, "{target}");
        assert_eq!(
            answer.header("content-type"),
            Some(content_type),
            "{target}"
        );
    }
    let chapters = on_server(attribute(&feed_text, "<podcast:chapters", "url"), &addr).to_owned();
    let json: serde_json::Value = serde_json::from_slice(&server.get(&chapters).body).unwrap();
    assert!(json["chapters"].as_array().is_some_and(|c| !c.is_empty()));

    // Nothing outside the show, no folder listings.
    let catalogue = std::fs::read_to_string(show.path().join("episodes.toml")).unwrap();
    for target in [
        "/../episodes.toml",
        "/media/../episodes.toml",
        "/media/%2e%2e/episodes.toml",
        "/media/..%2fepisodes.toml",
        "/%2e%2e/episodes.toml",
        "/media/catalogue.mp3",
        "/media/",
        "/media",
        "/chapters/",
    ] {
        let answer = server.get(target);
        assert!(
            answer.status == 404 || answer.status == 400,
            "{target}: {}",
            answer.status
        );
        let text = answer.text();
        assert!(
            !text.contains("[show]") && !text.contains(&catalogue[..40]),
            "{target}"
        );
        assert!(
            !text.contains(".mp3") && !text.contains(".json"),
            "{target}: {text}"
        );
    }
    assert_eq!(server.ask("POST", "/feed.xml", &[]).status, 405);

    // The website: `/` and the episode's page, whose player plays the preview's own copy of the audio.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"feed.xml\""), "{}", home.text());
    let page = server.get("/episodes/5-4-what-are-the-goals-of-rural-revitalization/");
    assert_eq!(page.status, 200);
    let player = attribute(&page.text(), "<audio", "src").to_owned();
    assert_eq!(on_server(&player, &addr), enclosure);
    // Browsers apply a stylesheet only when it is served as text/css.
    for (asset, content_type) in [
        ("/assets/site.css", "text/css; charset=utf-8"),
        ("/assets/site.js", "text/javascript; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ] {
        assert_eq!(
            server.get(asset).header("content-type"),
            Some(content_type),
            "{asset}"
        );
    }
}

#[test]
fn rebuilds_when_the_media_or_the_catalogue_change_and_stops_on_ctrl_c() {
    let show = ShowDir::example();
    let mut server = Serving::start(&show);
    let before = server.get("/feed.xml");
    assert!(
        before
            .text()
            .contains("How China Works – Charting the Future")
    );

    // The audio changes (an ID3v1 tag appended): the enclosure's length follows the file on disk.
    let mp3 = show.path().join(EXAMPLE_MP3);
    let mut bytes = std::fs::read(&mp3).unwrap();
    let mut v1 = b"TAG".to_vec();
    v1.extend_from_slice(&[b' '; 125]);
    bytes.extend_from_slice(&v1);
    std::fs::write(&mp3, &bytes).unwrap();
    let length = format!("length=\"{}\"", bytes.len());
    let start = Instant::now();
    while !server.get("/feed.xml").text().contains(&length) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the enclosure length did not become {length}:\n{}",
            server.said.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let catalogue = show.read_catalogue();
    let renamed = catalogue.replacen(
        "title = \"How China Works – Charting the Future\"",
        "title = \"How China Works, Previewed\"",
        1,
    );
    assert_ne!(renamed, catalogue);
    std::fs::write(show.path().join("episodes.toml"), &renamed).unwrap();
    let start = Instant::now();
    loop {
        let feed = server.get("/feed.xml");
        if feed.text().contains("How China Works, Previewed") {
            assert_ne!(feed.header("etag"), before.header("etag"));
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the feed did not change:\n{}",
            server.said.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // A catalogue that no longer builds: the findings are printed, the last good preview still served.
    std::fs::write(
        show.path().join("episodes.toml"),
        renamed.replacen("explicit = false", "explicit = \"maybe\"", 1),
    )
    .unwrap();
    let said = server.wait_for(
        "still serving the last good preview",
        Duration::from_secs(30),
    );
    assert!(said.contains("explicit"), "{said}");
    let feed = server.get("/feed.xml");
    assert_eq!(feed.status, 200);
    assert!(feed.text().contains("How China Works, Previewed"));

    // Ctrl-C: a clean stop, exit 0.
    #[cfg(unix)]
    {
        let pid = libc::pid_t::try_from(server.child.id()).unwrap();
        // SAFETY: kill(2) on the child this test started and has not yet reaped.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let start = Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no stop after SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(status.code(), Some(0));
        assert!(TcpStream::connect(&server.addr).is_err(), "still listening");
    }
}

/// The preview passes castkit's own hosting checks: every URL of the served feed answers HEAD and a byte
/// range, with the enclosure's length and a media type (no F6xx finding); what remains is the `http`
/// warning a local preview cannot avoid.
#[test]
fn the_preview_passes_validate_online() {
    let show = ShowDir::example();
    let serving = Serving::start(&show);
    let cache = tempfile::tempdir().unwrap();
    let out = crate::support::castkit()
        .args([
            "validate",
            "--online",
            "--format",
            "json",
            "--timeout",
            "20",
        ])
        .arg(format!("http://{}/feed.xml", serving.addr))
        .env("CASTKIT_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    // The checks ran: the enclosure's answers are kept for the next run.
    let kept = std::fs::read_to_string(cache.path().join("online.json")).unwrap_or_default();
    assert!(
        kept.contains("/media/5.4%20What"),
        "no answer kept for the enclosure: {kept}"
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", crate::support::stderr_of(&out)));
    let codes: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.iter().all(|c| !c.starts_with("F6")),
        "the preview fails a hosting check: {findings:#?}"
    );
    assert!(codes.contains("F121"), "{codes:?}");
    assert!(out.status.success(), "{}", crate::support::stderr_of(&out));
}
