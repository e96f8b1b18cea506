//! `castkit serve`: build a preview of the show whose URLs point at this server, serve it
//! ([`castkit::serve`]), build it again when the catalogue or the media change, and stop on Ctrl-C.
//!
//! The preview is built into a temporary folder (never the producer's `public/`), with the catalogue's
//! `feed_url` and `media_base_url` replaced by this server's. A build that fails changes nothing there, so
//! the last good preview is served until the next one succeeds.

use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::build::{Against, BuildOptions, build_feed};
use castkit::catalogue::PublicUrls;
use castkit::diag::{Severity, Tally, render};
use castkit::serve::{Body, Request, Site};

use super::ui::{Stream, Ui};
use crate::cli::ServeArgs;

/// How often the catalogue and the media folder are looked at for changes.
const POLL: Duration = Duration::from_millis(500);

/// The preview being served: `None` until a build succeeds.
type Current = Arc<RwLock<Option<Arc<Site>>>>;

/// Runs the command until Ctrl-C.
pub(crate) fn run(args: &ServeArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let listen = SocketAddr::new(args.bind, args.port);
    let server = tiny_http::Server::http(listen).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on `{listen}`: {e}\nhelp: choose another `--port`, or `--bind` an address of this computer"
        )
    })?;
    let server = Arc::new(server);
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let host = written_host(args.bind);
    let base = url::Url::parse(&format!("http://{}/", SocketAddr::new(host, port)))
        .context("the server's own address is not a URL")?;
    let urls = PublicUrls {
        feed_url: base.join("feed.xml")?,
        media_base_url: base.join("media/")?,
    };
    let preview = tempfile::Builder::new()
        .prefix("castkit-serve-")
        .tempdir()
        .context("cannot make a temporary folder for the preview")?;
    let options = BuildOptions {
        catalogue: args.catalogue.clone(),
        out: Some(preview.path().join("feed.xml")),
        // New episodes get their guid as in `build-feed`: a preview shows what will be published.
        locked: false,
        include_drafts: args.drafts,
        include_future: args.future,
        now: chrono::Utc::now(),
        tag: None,
        against: Against::Off,
        allow: Vec::new(),
        fetch: castkit::fetch::FetchOptions::default(),
        max_items: None,
        progress: castkit::build::ProbeProgress::default(),
        probe_cache: castkit::audio::cache::CacheMode::from_no_cache_flag(false),
        integrity: None,
        loudness: false,
        public_urls: Some(urls.clone()),
        site: true,
    };
    {
        let mut err = std::io::stderr().lock();
        if args.bind.is_unspecified() {
            ui.say(
                &mut err,
                format_args!(
                    "note: listening on every address; the feed's URLs use `{host}`{}",
                    if host.is_loopback() {
                        " (no address on a local network was found): `--bind` the one a phone can reach"
                    } else {
                        ", this computer's address on the local network"
                    }
                ),
            )?;
        }
    }
    // Caught before the first build, which can take a while: Ctrl-C then stops after it, cleanly.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            server.unblock();
        })
        .context("cannot catch Ctrl-C")?;
    }
    let current: Current = Arc::new(RwLock::new(None));
    let mut media_dir = rebuild(&options, &urls, ui, &current);

    ui.say(
        &mut std::io::stderr().lock(),
        format_args!(
            "serving {} and the media folder at {}; rebuilding when `{}` or the media change; Ctrl-C stops",
            urls.feed_url,
            urls.media_base_url,
            args.catalogue.display()
        ),
    )?;

    let watcher = {
        let (stop, current, urls) = (Arc::clone(&stop), Arc::clone(&current), urls.clone());
        let options = options.clone();
        std::thread::spawn(move || {
            let mut seen = fingerprint(&options.catalogue, media_dir.as_deref());
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(POLL);
                let now = fingerprint(&options.catalogue, media_dir.as_deref());
                if now == seen {
                    continue;
                }
                // Taken before building: a change made while the build runs is seen on the next look (and
                // the guids a build saves into the catalogue cost one more build, which changes nothing).
                seen = now;
                // (A media folder that moved is looked at from the next look on.)
                if let Some(dir) = rebuild(&options, &urls, ui, &current) {
                    media_dir = Some(dir);
                }
            }
        })
    };

    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => {
                let site = current.read().ok().and_then(|s| s.clone());
                // One thread per request: a phone streams an episode while it fetches the feed again.
                std::thread::spawn(move || answer(request, site.as_deref()));
            }
            Ok(None) => {}
            // A connection that could not be accepted (too many open files…): said, and serving goes on.
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{} cannot accept a connection: {e}",
                    ui.error_label(Stream::Stderr)
                );
                std::thread::sleep(POLL);
            }
        }
    }
    let _ = watcher.join();
    ui.say(&mut std::io::stderr().lock(), format_args!("stopped"))?;
    drop(preview);
    Ok(ExitStatus::Success)
}

/// The address written in the feed's URLs: the one listened on, except for an unspecified one (`0.0.0.0`,
/// `::`), which no client can reach; then this computer's address on the local network, else loopback.
fn written_host(bind: IpAddr) -> IpAddr {
    if !bind.is_unspecified() {
        return bind;
    }
    lan_address(bind.is_ipv6()).unwrap_or(if bind.is_ipv6() {
        IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    })
}

/// The address this computer's route to the outside leaves from: `connect` on a UDP socket only chooses the
/// route and sends nothing (the documentation addresses are not reached, nor anything else).
fn lan_address(ipv6: bool) -> Option<IpAddr> {
    let (local, remote) = if ipv6 {
        ("[::]:0", "[2001:db8::1]:9")
    } else {
        ("0.0.0.0:0", "192.0.2.1:9")
    };
    let socket = std::net::UdpSocket::bind(local).ok()?;
    socket.connect(remote).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Builds the preview and prints its findings as `build-feed` does; on success serves it. Returns the media
/// folder of a catalogue that could be read.
fn rebuild(
    options: &BuildOptions,
    urls: &PublicUrls,
    ui: Ui,
    current: &Current,
) -> Option<PathBuf> {
    let options = BuildOptions {
        now: chrono::Utc::now(),
        ..options.clone()
    };
    let mut err = std::io::stderr().lock();
    let media_dir = castkit::catalogue::load(&options.catalogue)
        .ok()
        .and_then(|loaded| loaded.catalogue)
        .map(|catalogue| catalogue.show.media_dir);
    let still = if current.read().is_ok_and(|s| s.is_some()) {
        "still serving the last good preview"
    } else {
        "nothing is served until it builds"
    };
    let report = match build_feed(&options) {
        Ok(report) => report,
        Err(e) => {
            let _ = writeln!(
                err,
                "{} {}; {still}",
                ui.error_label(Stream::Stderr),
                castkit::error::Chain(&e)
            );
            return media_dir;
        }
    };
    // The preview's own doing, not the show's: its URLs are http, and its `podcast:guid` stays the one of
    // the catalogue's `feed_url` (`build-feed` and `validate` report both when the real feed has them).
    let preview_only = [
        &castkit::validate::rules::INSECURE_URL,
        &castkit::validate::rules::PODCAST_GUID_NOT_V5,
    ];
    let findings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| !preview_only.iter().any(|rule| d.code() == rule.code))
        .cloned()
        .collect();
    let _ = err.write_all(
        ui.findings(Stream::Stderr, &findings, Severity::Error)
            .as_bytes(),
    );
    for (label, guid) in &report.assigned_guids {
        let _ = ui.say(
            &mut err,
            format_args!(
                "assigned guid `{guid}` to {label} (saved in `{}`)",
                options.catalogue.display()
            ),
        );
    }
    let tally = Tally::of(&findings);
    if report.failed() {
        let _ = writeln!(
            err,
            "{} the preview was not built ({}); {still}",
            ui.error_label(Stream::Stderr),
            render::summary(tally)
        );
        return media_dir;
    }
    let Some(media) = media_dir.as_deref() else {
        return media_dir;
    };
    let built = report.feed_path.parent().unwrap_or_else(|| Path::new("."));
    match Site::new(built, media) {
        Ok(site) => {
            if let Ok(mut current) = current.write() {
                *current = Some(Arc::new(site));
            }
            let episodes = match report.episodes_in_feed {
                1 => "1 episode".to_owned(),
                n => format!("{n} episodes"),
            };
            let findings = if tally.warnings > 0 || tally.errors > 0 {
                format!(" ({})", render::summary(tally))
            } else {
                String::new()
            };
            let _ = ui.say(
                &mut err,
                format_args!("built {} with {episodes}{findings}", urls.feed_url),
            );
        }
        Err(e) => {
            let _ = writeln!(err, "{} {e}; {still}", ui.error_label(Stream::Stderr));
        }
    }
    media_dir
}

/// What the watch compares: each file's path, size and modification time, for the catalogue and every file
/// under the media folder.
fn fingerprint(catalogue: &Path, media: Option<&Path>) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    fn visit(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>, depth: usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                // Deep enough for any show; a link back up cannot loop for ever.
                if depth < 8 {
                    visit(&path, out, depth + 1);
                }
            } else {
                out.push((path, meta.len(), meta.modified().ok()));
            }
        }
    }
    let mut seen = Vec::new();
    if let Ok(meta) = std::fs::metadata(catalogue) {
        seen.push((catalogue.to_path_buf(), meta.len(), meta.modified().ok()));
    }
    if let Some(media) = media {
        visit(media, &mut seen, 0);
    }
    seen.sort();
    seen
}

/// Answers one request from `site` (503 before the first good build). A client that hangs up is no error.
fn answer(request: tiny_http::Request, site: Option<&Site>) {
    let Some(site) = site else {
        let response = tiny_http::Response::from_string(
            "no preview yet: castkit printed why the show did not build\n",
        )
        .with_status_code(503);
        let _ = request.respond(response);
        return;
    };
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    };
    let reply = site.respond(&Request {
        method: request.method().as_str(),
        target: request.url(),
        range: header("Range"),
        if_range: header("If-Range"),
        if_none_match: header("If-None-Match"),
        if_modified_since: header("If-Modified-Since"),
    });
    let headers: Vec<tiny_http::Header> = reply
        .headers
        .iter()
        .filter_map(|(name, value)| {
            tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
        })
        .collect();
    let reader: Box<dyn Read + Send> = match reply.body {
        Body::Empty => Box::new(std::io::empty()),
        Body::Text(text) => Box::new(std::io::Cursor::new(text.into_bytes())),
        Body::File { mut file, start } => {
            if file.seek(SeekFrom::Start(start)).is_err() {
                let _ = request.respond(
                    tiny_http::Response::from_string("cannot read the file\n")
                        .with_status_code(500),
                );
                return;
            }
            Box::new(file.take(reply.length))
        }
    };
    let response = tiny_http::Response::new(
        tiny_http::StatusCode(reply.status),
        headers,
        reader,
        usize::try_from(reply.length).ok(),
        None,
    )
    // A stated length, never chunks: players read `Content-Length` to seek.
    .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}
