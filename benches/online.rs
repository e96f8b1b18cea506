//! `cargo bench --bench online`: `castkit validate --online` on a feed of 1,000 enclosures served by a local
//! server this bench starts (HTTP/1.1 with keep-alive, byte ranges, `ETag`), against `curl` asking the same
//! two questions per URL (`HEAD`, then `GET` with `Range: bytes=0-1`, one curl process per URL reusing its
//! connection with `--next`), one URL after another and eight at once with `xargs -P 8`. castkit opens at
//! most 4 connections to one host (all 1,000 are on one here), curl under `xargs -P 8` opens 8. A second
//! castkit run with its answers kept (conditional `HEAD`, `304 Not Modified`) is the CI rerun.

#[path = "common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

use common::*;

const ENCLOSURES: usize = 1_000;
const LENGTH: usize = 48_000_000;

fn main() {
    if !have("curl") {
        println!("skipped: `curl` is not installed");
        return;
    }
    let castkit = env!("CARGO_BIN_EXE_castkit");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    let dir = data_dir("online");
    let urls: Vec<String> = (0..ENCLOSURES)
        .map(|i| format!("{base}/episodes/{i}.mp3"))
        .collect();
    let feed = dir.join("feed.xml");
    std::fs::write(&feed, feed_text(&urls)).unwrap();
    let list = dir.join("urls.txt");
    std::fs::write(&list, urls.join("\n") + "\n").unwrap();
    let cache = dir.join("cache");
    let (f, l, c) = (feed.display(), list.display(), cache.display());

    // castkit must get every answer right before its time means anything: no F6xx finding on this host.
    let out = std::process::Command::new(castkit)
        .env("CASTKIT_CACHE_DIR", "off")
        .args(["validate", "--online", "--format", "json"])
        .arg(&feed)
        .output()
        .unwrap();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let hosting: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with("F6")))
        .collect();
    assert!(
        hosting.is_empty(),
        "castkit found hosting problems on the bench's server: {hosting:#?}"
    );
    let curl_one = "curl -s -o /dev/null -I \"$0\" --next -s -o /dev/null -r 0-1 \"$0\"";
    let sequential = median_time(&format!("xargs -n 1 sh -c '{curl_one}' < '{l}'"), 3);
    let parallel = median_time(&format!("xargs -n 1 -P 8 sh -c '{curl_one}' < '{l}'"), 3);
    let cold = median_time(
        &format!("CASTKIT_CACHE_DIR=off '{castkit}' validate --online '{f}' > /dev/null"),
        3,
    );
    // Warm: the answers of the run before are kept; each URL costs one conditional HEAD.
    let _ = std::fs::remove_dir_all(&cache);
    let warm = median_time(
        &format!("CASTKIT_CACHE_DIR='{c}' '{castkit}' validate --online '{f}' > /dev/null"),
        3,
    );
    println!("\n{ENCLOSURES} enclosures on one local server, HEAD + GET bytes=0-1 each:");
    report(
        "validate --online (cold)",
        cold,
        "curl, one after another",
        sequential,
        "reference",
    );
    report(
        "validate --online (cold)",
        cold,
        "curl, xargs -P 8",
        parallel,
        "reference",
    );
    report(
        "validate --online (answers kept)",
        warm,
        "curl, xargs -P 8",
        parallel,
        "reference",
    );
}

/// A feed with one item per URL, each enclosure stating the served length.
fn feed_text(urls: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Bench</title>\n<link>https://bench.example/</link>\n<description>Bench.</description>\n",
    );
    for (i, url) in urls.iter().enumerate() {
        s.push_str(&format!(
            "<item><title>Episode {i}</title><guid isPermaLink=\"false\">ep-{i}</guid><enclosure url=\"{url}\" length=\"{LENGTH}\" type=\"audio/mpeg\"/></item>\n"
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

/// Answers requests on one connection until the client closes it: `HEAD` with the length, type, ranges and
/// `ETag`; `304` to a matching `If-None-Match`; `206` with two bytes to `Range: bytes=0-1`.
fn serve(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut method = String::new();
        let mut range = false;
        let mut matches = false;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                if method.is_empty() {
                    continue;
                }
                break;
            }
            let lower = trimmed.to_ascii_lowercase();
            if method.is_empty() {
                method = trimmed.split(' ').next().unwrap_or_default().to_owned();
            } else if lower.starts_with("range:") {
                range = true;
            } else if lower.starts_with("if-none-match:") {
                matches = lower.contains("\"v1\"");
            }
        }
        let common = "Content-Type: audio/mpeg\r\nAccept-Ranges: bytes\r\nETag: \"v1\"\r\n";
        let answer = if matches {
            "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n".to_owned()
        } else if method == "HEAD" {
            format!("HTTP/1.1 200 OK\r\n{common}Content-Length: {LENGTH}\r\n\r\n")
        } else if range {
            format!(
                "HTTP/1.1 206 Partial Content\r\n{common}Content-Range: bytes 0-1/{LENGTH}\r\nContent-Length: 2\r\n\r\nID"
            )
        } else {
            // Nothing here asks for the whole file; refuse rather than send 48 MB.
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".to_owned()
        };
        if out.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}
