//! `castkit serve`'s file serving, without sockets: a request's method, target and headers in, the status,
//! headers and body to answer with out, so that every rule is testable on its own.
//!
//! Two folders are served: the built show (the feed, its archive pages and side files: `/feed.xml`,
//! `/chapters/…`, `/transcripts/…`, and its website: `/` and `/episodes/<slug>/` answer with the folder's
//! `index.html`) and, under `/media/`, the show's media folder. Only regular files inside
//! them are: a target with `..`, `.` or any segment starting with a dot (also percent-encoded), a folder, or a
//! symbolic link that leads outside its folder is answered 404, as a missing file is. `GET` and `HEAD`,
//! one byte range (`Range`, 206 and 416, [`range`]), conditional requests (`If-None-Match` and
//! `If-Modified-Since` → 304, `If-Range`) and a content type for every file podcast apps fetch.

pub mod range;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use self::range::RangeRequest;

/// The two folders served.
#[derive(Debug, Clone)]
pub struct Site {
    /// The built show, at `/` (canonical path).
    built: PathBuf,
    /// The media folder, at `/media/` (canonical path).
    media: PathBuf,
}

/// The parts of an HTTP request file serving reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// `GET`, `HEAD`…
    pub method: &'a str,
    /// The request target as sent: `/media/5.4%20What.mp3?x=1`.
    pub target: &'a str,
    /// `Range`.
    pub range: Option<&'a str>,
    /// `If-Range`.
    pub if_range: Option<&'a str>,
    /// `If-None-Match`.
    pub if_none_match: Option<&'a str>,
    /// `If-Modified-Since`.
    pub if_modified_since: Option<&'a str>,
}

/// The answer to a request.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length` (which is [`Reply::length`]).
    pub headers: Vec<(&'static str, String)>,
    /// `Content-Length`: the body's length, also for `HEAD` and 304, which send no body.
    pub length: u64,
    /// What to send.
    pub body: Body,
}

/// The bytes of a reply.
#[derive(Debug)]
pub enum Body {
    /// Nothing (`HEAD`, 304).
    Empty,
    /// A short message.
    Text(String),
    /// `length` bytes of a file from `start`.
    File {
        /// The open file.
        file: File,
        /// Where the bytes start.
        start: u64,
    },
}

impl Site {
    /// Serves `built` at `/` and `media` at `/media/`.
    ///
    /// # Errors
    /// Either folder cannot be found (resolving symbolic links).
    pub fn new(built: &Path, media: &Path) -> std::io::Result<Site> {
        let canonical = |dir: &Path| {
            dir.canonicalize().map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot serve `{}`: {e}", dir.display()))
            })
        };
        Ok(Site {
            built: canonical(built)?,
            media: canonical(media)?,
        })
    }

    /// The answer to `request`.
    pub fn respond(&self, request: &Request<'_>) -> Reply {
        let head = match request.method {
            "GET" => false,
            "HEAD" => true,
            _ => {
                let mut reply = message(405, "only GET and HEAD are served");
                reply.headers.push(("Allow", "GET, HEAD".to_owned()));
                return reply;
            }
        };
        let Some((path, served)) = self.resolve(request.target) else {
            return message(404, "not found");
        };
        let (file, meta) = match File::open(&path).and_then(|f| f.metadata().map(|m| (f, m))) {
            Ok(found) if found.1.is_file() => found,
            _ => return message(404, "not found"),
        };
        let length = meta.len();
        let modified = meta.modified().unwrap_or(UNIX_EPOCH);
        let tag = etag(length, modified);
        let mut headers = vec![
            ("Content-Type", content_type(&path, served).to_owned()),
            ("ETag", tag.clone()),
            ("Last-Modified", httpdate::fmt_http_date(modified)),
            ("Accept-Ranges", "bytes".to_owned()),
            // A preview changes with every rebuild: apps ask again each time (a 304 when nothing changed).
            ("Cache-Control", "no-cache".to_owned()),
        ];
        if not_modified(request, &tag, modified) {
            return Reply {
                status: 304,
                headers,
                length,
                body: Body::Empty,
            };
        }
        let range = if request.range.is_some() && !if_range_holds(request.if_range, &tag, modified)
        {
            RangeRequest::Whole
        } else {
            RangeRequest::parse(request.range, length)
        };
        let body = |start| {
            if head {
                Body::Empty
            } else {
                Body::File { file, start }
            }
        };
        match range {
            RangeRequest::Whole => Reply {
                status: 200,
                headers,
                length,
                body: body(0),
            },
            RangeRequest::Part { start, end } => {
                headers.push(("Content-Range", format!("bytes {start}-{end}/{length}")));
                Reply {
                    status: 206,
                    headers,
                    length: end - start + 1,
                    body: body(start),
                }
            }
            RangeRequest::Unsatisfiable => {
                let mut reply = message(416, "the range is outside the file");
                reply
                    .headers
                    .push(("Content-Range", format!("bytes */{length}")));
                reply
            }
        }
    }

    /// The file a request target names, and which folder it is in; `None` for anything not served.
    fn resolve(&self, target: &str) -> Option<(PathBuf, Served)> {
        let path = target.split(['?', '#']).next()?;
        let mut segments = path.strip_prefix('/')?.split('/').peekable();
        let (root, served) = if segments.peek() == Some(&"media") {
            segments.next();
            (&self.media, Served::Media)
        } else {
            (&self.built, Served::Built)
        };
        let mut file = root.clone();
        let segments: Vec<&str> = segments.collect();
        // A website's folder, `/` or `/episodes/<slug>/`: its `index.html` (the built show only).
        let (segments, index) = match segments.split_last() {
            Some((&"", rest)) if served == Served::Built => (rest, true),
            _ => (&segments[..], false),
        };
        for segment in segments {
            let decoded = percent_encoding::percent_decode_str(segment)
                .decode_utf8()
                .ok()?;
            // Empty (a folder's `/`), `.`, `..`, hidden files, and anything that would be a separator or
            // end a C string once decoded.
            if decoded.is_empty() || decoded.starts_with('.') || decoded.contains(['/', '\\', '\0'])
            {
                return None;
            }
            file.push(decoded.as_ref());
        }
        if index {
            file.push("index.html");
        }
        // Symbolic links are followed, and must end inside the folder served.
        let real = file.canonicalize().ok()?;
        real.starts_with(root).then_some((real, served))
    }
}

/// Which of the two folders a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Served {
    /// The built show: XML there is a feed (or an archive page).
    Built,
    /// The media folder.
    Media,
}

/// A short plain-text answer.
fn message(status: u16, text: &str) -> Reply {
    let text = format!("{text}\n");
    Reply {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
        length: text.len() as u64,
        body: Body::Text(text),
    }
}

/// A strong validator from the file's size and modification time (to the nanosecond): any rebuild or edit
/// that changes the file changes one of them. Strong, so that `If-Range` can resume a download with it.
fn etag(length: u64, modified: SystemTime) -> String {
    let nanos = modified
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("\"{length:x}-{nanos:x}\"")
}

/// Whether the client's copy is current: `If-None-Match` names the tag (or `*`), or, without
/// `If-None-Match`, the file has not changed since `If-Modified-Since` (to the second, HTTP dates' grain).
fn not_modified(request: &Request<'_>, tag: &str, modified: SystemTime) -> bool {
    if let Some(tags) = request.if_none_match {
        // Weak comparison, as RFC 9110 asks for `If-None-Match`.
        let bare = tag.trim_start_matches("W/");
        return tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == bare);
    }
    request
        .if_modified_since
        .and_then(|date| httpdate::parse_http_date(date).ok())
        .is_some_and(|since| whole_seconds(modified) <= whole_seconds(since))
}

/// Whether a `Range` applies under `If-Range`: no `If-Range`, or the same strong tag, or exactly the file's
/// `Last-Modified` date. Otherwise the client's partial copy is stale and it gets the whole file.
fn if_range_holds(if_range: Option<&str>, tag: &str, modified: SystemTime) -> bool {
    let Some(condition) = if_range.map(str::trim) else {
        return true;
    };
    if condition.starts_with('"') {
        return condition == tag;
    }
    httpdate::parse_http_date(condition)
        .is_ok_and(|date| whole_seconds(date) == whole_seconds(modified))
}

fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The `Content-Type` of a file, by its extension: for media, the spellings castkit writes in enclosures
/// (`AudioFormat::mime`); XML in the built show is a feed or an archive page.
fn content_type(path: &Path, served: Served) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "xml" if served == Served::Built => "application/rss+xml",
        "xml" => "application/xml",
        "mp3" | "mpga" | "mp2" => "audio/mpeg",
        "m4a" | "m4b" | "aac" => "audio/x-m4a",
        "mp4" => "video/mp4",
        "m4v" => "video/x-m4v",
        "mov" => "video/quicktime",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "flac" => "audio/flac",
        "wav" => "audio/wav",
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        // Podcasting 2.0 chapters are tagged `application/json+chapters` in the feed; they are JSON.
        "json" => "application/json",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" => "application/x-subrip",
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        // The website's style and script: browsers refuse a stylesheet served as anything but text/css.
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Folders {
        _dir: tempfile::TempDir,
        site: Site,
        feed: PathBuf,
    }

    fn folders() -> Folders {
        let dir = tempfile::tempdir().unwrap();
        let built = dir.path().join("built");
        let media = dir.path().join("media");
        std::fs::create_dir_all(built.join("chapters")).unwrap();
        std::fs::create_dir_all(media.join("season 1")).unwrap();
        std::fs::write(built.join("feed.xml"), "<rss/>").unwrap();
        std::fs::write(built.join("chapters/a.json"), "{}").unwrap();
        std::fs::write(media.join("season 1/ep 1.mp3"), b"0123456789").unwrap();
        std::fs::write(media.join(".hidden"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.toml"), b"secret").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.toml"), media.join("out.mp3"))
                .unwrap();
            std::os::unix::fs::symlink(media.join("season 1/ep 1.mp3"), media.join("in.mp3"))
                .unwrap();
        }
        let site = Site::new(&built, &media).unwrap();
        Folders {
            feed: built.join("feed.xml"),
            _dir: dir,
            site,
        }
    }

    fn get(site: &Site, target: &str) -> Reply {
        site.respond(&Request {
            method: "GET",
            target,
            ..Request::default()
        })
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn files_in_both_folders_are_served_with_their_types() {
        let f = folders();
        let feed = get(&f.site, "/feed.xml");
        assert_eq!(feed.status, 200);
        assert_eq!(feed.length, 6);
        assert_eq!(header(&feed, "Content-Type"), Some("application/rss+xml"));
        let audio = get(&f.site, "/media/season%201/ep%201.mp3?t=1");
        assert_eq!(audio.status, 200);
        assert_eq!(header(&audio, "Content-Type"), Some("audio/mpeg"));
        assert_eq!(
            header(&get(&f.site, "/chapters/a.json"), "Content-Type"),
            Some("application/json")
        );
    }

    #[test]
    fn nothing_outside_the_folders_nor_folders_nor_hidden_files() {
        let f = folders();
        for target in [
            "/",
            "/chapters/",
            "/chapters//",
            "//",
            "/chapters",
            "/media/",
            "/media/season%201",
            "/../secret.toml",
            "/media/../secret.toml",
            "/media/%2e%2e/secret.toml",
            "/media/%2E%2E%2Fsecret.toml",
            "/media/season%201/..%2f..%2fsecret.toml",
            "/media/.hidden",
            "/media/%2ehidden",
            "/media//season%201/ep%201.mp3",
            "/media/season%201\\..\\..\\secret.toml",
            "/media/%00",
            "/media/%ff",
            "media/season%201/ep%201.mp3",
            "/nothing.xml",
        ] {
            assert_eq!(get(&f.site, target).status, 404, "{target}");
        }
        #[cfg(unix)]
        {
            assert_eq!(get(&f.site, "/media/out.mp3").status, 404);
            assert_eq!(get(&f.site, "/media/in.mp3").status, 200);
        }
    }

    #[test]
    fn a_website_folder_answers_with_its_index_page() {
        let f = folders();
        let built = f.feed.parent().unwrap();
        std::fs::create_dir_all(built.join("episodes/one")).unwrap();
        std::fs::write(built.join("index.html"), "<!DOCTYPE html>").unwrap();
        std::fs::write(built.join("episodes/one/index.html"), "<p>one</p>").unwrap();
        let site = Site::new(built, &f.site.media).unwrap();
        let home = get(&site, "/");
        assert_eq!((home.status, home.length), (200, 15));
        assert_eq!(
            header(&home, "Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(get(&site, "/episodes/one/?t=1").status, 200);
        assert_eq!(get(&site, "/episodes/one/index.html").length, 10);
        // Not in the media folder, and never a folder's listing.
        std::fs::write(f.site.media.join("index.html"), "x").unwrap();
        assert_eq!(get(&site, "/media/").status, 404);
        assert_eq!(get(&site, "/episodes/").status, 404);
        assert_eq!(get(&site, "/episodes/one").status, 404);
    }

    #[test]
    fn ranges_and_their_headers() {
        let f = folders();
        let ranged = |range: &str| {
            f.site.respond(&Request {
                method: "GET",
                target: "/media/season%201/ep%201.mp3",
                range: Some(range),
                ..Request::default()
            })
        };
        let part = ranged("bytes=2-4");
        assert_eq!(part.status, 206);
        assert_eq!(part.length, 3);
        assert_eq!(header(&part, "Content-Range"), Some("bytes 2-4/10"));
        assert!(matches!(part.body, Body::File { start: 2, .. }));
        let refused = ranged("bytes=10-");
        assert_eq!(refused.status, 416);
        assert_eq!(header(&refused, "Content-Range"), Some("bytes */10"));
        assert_eq!(ranged("bytes=0-1,4-5").status, 200);
    }

    #[test]
    fn conditional_requests() {
        let f = folders();
        let first = get(&f.site, "/feed.xml");
        let tag = header(&first, "ETag").unwrap().to_owned();
        let modified = header(&first, "Last-Modified").unwrap().to_owned();
        let ask = |request: Request<'_>| {
            f.site.respond(&Request {
                method: "GET",
                target: "/feed.xml",
                ..request
            })
        };
        let same = ask(Request {
            if_none_match: Some(&format!("\"other\", {tag}")),
            ..Request::default()
        });
        assert_eq!(same.status, 304);
        assert!(matches!(same.body, Body::Empty));
        assert_eq!(
            ask(Request {
                if_none_match: Some("\"other\""),
                if_modified_since: Some(&modified),
                ..Request::default()
            })
            .status,
            200,
            "If-None-Match wins over If-Modified-Since"
        );
        assert_eq!(
            ask(Request {
                if_modified_since: Some(&modified),
                ..Request::default()
            })
            .status,
            304
        );
        assert_eq!(
            ask(Request {
                if_modified_since: Some("Thu, 01 Jan 1970 00:00:00 GMT"),
                ..Request::default()
            })
            .status,
            200
        );
        // If-Range with a stale tag: the whole (new) file.
        let stale = ask(Request {
            range: Some("bytes=0-1"),
            if_range: Some("\"stale\""),
            ..Request::default()
        });
        assert_eq!(stale.status, 200);
        let current = ask(Request {
            range: Some("bytes=0-1"),
            if_range: Some(&tag),
            ..Request::default()
        });
        assert_eq!(current.status, 206);
        // A rewrite changes the tag.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&f.feed, "<rss></rss>").unwrap();
        assert_eq!(
            ask(Request {
                if_none_match: Some(&tag),
                ..Request::default()
            })
            .status,
            200
        );
    }

    #[test]
    fn head_has_the_length_and_no_body_and_other_methods_are_refused() {
        let f = folders();
        let head = f.site.respond(&Request {
            method: "HEAD",
            target: "/media/season%201/ep%201.mp3",
            ..Request::default()
        });
        assert_eq!((head.status, head.length), (200, 10));
        assert!(matches!(head.body, Body::Empty));
        let post = f.site.respond(&Request {
            method: "POST",
            target: "/feed.xml",
            ..Request::default()
        });
        assert_eq!(post.status, 405);
        assert_eq!(header(&post, "Allow"), Some("GET, HEAD"));
    }
}
