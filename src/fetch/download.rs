//! Downloading episode media to files: several at once, resumable, each file's length checked.
//!
//! [`download_all`] takes a list of [`Download`]s and runs them on a fixed number of workers
//! ([`DownloadOptions::parallel`]); it returns one result per job, in job order, and one failure never stops
//! the others. For each job:
//!
//! - **Already there**: a `DEST` that exists with the expected length (any length when none is expected:
//!   castkit only ever puts a complete file there) is kept as it is, without a request, so a second run
//!   finishes at once.
//! - **Streaming to `DEST.part`** beside `DEST`, never holding the file in memory. The `ETag` and
//!   `Last-Modified` of the answer that started it are kept in `DEST.part.json`, written before the first
//!   byte. When the file is whole it is synced to disk and renamed to `DEST`; only then is `DEST` touched.
//! - **Resuming**: a `DEST.part` with its `DEST.part.json` is continued with `Range: bytes=N-` and
//!   `If-Range` (so that a file changed on the server since is fetched afresh, never spliced onto the old
//!   one). `206 Partial Content` whose `Content-Range` starts at N appends; `200 OK` means the server ignored
//!   the range, or the file changed: it starts over; `416` whose full length is N means the part is whole.
//!   A `.part` without its side file (castkit was stopped before writing it) is started over.
//! - **Lengths**: the file is complete only when its length equals the server's (`Content-Length`, or the
//!   total of `Content-Range`) and the feed's ([`Download::expected_len`]). When only the feed's differs, the
//!   whole file stays in `DEST.part` (a re-run then needs no body: the server answers 416) and the error says
//!   so: feeds often state a wrong length.
//! - **Time**: every read from the network (connecting and the answer's head included) may take at most
//!   [`DownloadOptions::read_timeout`]; a slow download that keeps sending goes on, a stalled one ends and
//!   keeps what arrived for the next run.
//! - **Redirects** (CDNs, podtrac and chartable prefixes) are followed as [`super::fetch`] follows them, up
//!   to [`super::DEFAULT_MAX_REDIRECTS`] hops, each reported in [`Downloaded::redirects`].
//!
//! A `DEST.part` is locked while it is written: a second castkit downloading the same file gets
//! [`DownloadError::Busy`] instead of writing into it too.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use url::Url;

use super::{
    Cause, DEFAULT_MAX_REDIRECTS, FetchError, FetchOptions, Hops, Phase, Proxies, Redirect,
    USER_AGENT, agent_config, classify, header, parse_url, redirect_target,
};

/// How many files are downloaded at once by default.
pub const DEFAULT_PARALLEL: NonZeroUsize = NonZeroUsize::new(4).unwrap();

/// How long one read from the network may take by default before the download counts as stalled.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The size of each read from the network and write to the `.part` file.
const BUFFER: usize = 256 * 1024;

/// How often, and how long apart, a locked `.part` is tried again before it counts as another program's.
const LOCK_ATTEMPTS: u32 = 20;
const LOCK_PAUSE: Duration = Duration::from_millis(50);

/// The `format` field of a `.part.json` side file: any other value is not castkit's, or from another version.
const SIDE_FILE_FORMAT: &str = "castkit-download-1";

/// One file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Where to get it: an `http://` or `https://` URL (the feed's enclosure URL).
    pub url: String,
    /// Where to save it. Its folder is created if missing; `DEST.part` and `DEST.part.json` go beside it.
    pub dest: PathBuf,
    /// The length the feed states (the enclosure's `length`), checked against the file; `None` to take the
    /// server's word.
    pub expected_len: Option<u64>,
}

/// How to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadOptions {
    /// How many files are downloaded at once at most (default [`DEFAULT_PARALLEL`]).
    pub parallel: NonZeroUsize,
    /// How long one read from the network may take (default [`DEFAULT_READ_TIMEOUT`]); a download as a whole
    /// may take as long as it keeps receiving.
    pub read_timeout: Duration,
    /// Whether to show a progress bar on stderr (default off); it is hidden anyway when stderr is not a
    /// terminal.
    pub progress: bool,
    /// The `User-Agent` of every request (default `castkit/VERSION`). Podcast hosts count downloads by it.
    pub user_agent: String,
}

impl Default for DownloadOptions {
    fn default() -> DownloadOptions {
        DownloadOptions {
            parallel: DEFAULT_PARALLEL,
            read_timeout: DEFAULT_READ_TIMEOUT,
            progress: false,
            user_agent: USER_AGENT.to_owned(),
        }
    }
}

/// A file that is now complete at its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Where it is (the job's `dest`).
    pub dest: PathBuf,
    /// The URL it came from, after every redirect (the job's URL when nothing was requested).
    pub url: String,
    /// The redirects followed to get there, in order.
    pub redirects: Vec<Redirect>,
    /// Its length in bytes.
    pub bytes: u64,
    /// How it got there.
    pub outcome: Outcome,
}

/// How a file got to its destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The whole file was received in this run.
    Fetched,
    /// An earlier run's `.part` was continued: its first `kept` bytes were reused (all of them when the
    /// server said the part was already whole).
    Resumed {
        /// The bytes reused from the `.part`.
        kept: u64,
    },
    /// The destination already held a complete file; nothing was requested.
    AlreadyComplete,
}

/// Why a download failed. Each message names the URL and, where a file is concerned, the file, and says
/// what to do; the underlying error, if any, is the [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The URL could not be asked for: not a URL, no such host, no connection, TLS failed, too many
    /// redirects or a loop, an answer that is not HTTP, an encoding castkit did not ask for. The
    /// [`FetchError`] names the URL.
    #[error(transparent)]
    Request(FetchError),
    /// No answer (no connection, or no status line) within the read timeout.
    #[error("`{url}` did not answer within {}; try again later, or allow a longer read timeout", super::seconds(*.after))]
    Timeout {
        /// The URL asked for.
        url: String,
        /// The read timeout.
        after: Duration,
    },
    /// The server answered with an error, or with a status that carries no file.
    #[error("`{url}` answered {status} {reason}; {}", status_help(*.status))]
    Status {
        /// The URL that answered.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The status's standard reason phrase.
        reason: String,
    },
    /// Nothing arrived for the read timeout in the middle of the file. What arrived is kept.
    #[error(
        "`{url}` stopped sending after {received} bytes{} (nothing for {}); they are kept in `{}`: run again to resume",
        of_total(*.total), super::seconds(*.after), part.display()
    )]
    Stalled {
        /// The URL being downloaded.
        url: String,
        /// The `.part` file that keeps what arrived.
        part: PathBuf,
        /// The bytes in it.
        received: u64,
        /// The file's whole length, when the server stated it.
        total: Option<u64>,
        /// The read timeout.
        after: Duration,
    },
    /// The file broke off: the connection dropped, or the transfer was damaged. What arrived is kept.
    #[error(
        "the download of `{url}` broke off after {received} bytes{}; they are kept in `{}`: run again to resume",
        of_total(*.total), part.display()
    )]
    BrokenOff {
        /// The URL being downloaded.
        url: String,
        /// The `.part` file that keeps what arrived.
        part: PathBuf,
        /// The bytes in it.
        received: u64,
        /// The file's whole length, when the server stated it.
        total: Option<u64>,
        /// What broke.
        source: Cause,
    },
    /// The file arrived, but its length is not the feed's. The file is kept in `part`, not at `dest`.
    #[error("{}", feed_length_message(url, dest, part, *received, *server_stated, *feed_len))]
    FeedLengthDiffers {
        /// The URL downloaded.
        url: String,
        /// The destination, left untouched.
        dest: PathBuf,
        /// The `.part` file that holds what arrived.
        part: PathBuf,
        /// The bytes that arrived: the whole file as far as the server said.
        received: u64,
        /// Whether the server stated the length (and `received` equals it).
        server_stated: bool,
        /// The feed's length ([`Download::expected_len`]).
        feed_len: u64,
    },
    /// The server sent more than the length it stated: its numbers cannot be trusted, so nothing is kept.
    #[error(
        "`{url}` stated {stated} bytes but sent more: the server's number differs from its file; nothing was kept, try again later"
    )]
    ServerLengthDiffers {
        /// The URL downloaded.
        url: String,
        /// The length the server stated.
        stated: u64,
    },
    /// A `206 Partial Content` that is not the part asked for.
    #[error(
        "`{url}` answered 206 Partial Content with {} to a request for {asked}; the server is misconfigured",
        content_range.as_deref().map_or("no usable `Content-Range`".to_owned(), |r| format!("`Content-Range: {r}`"))
    )]
    BadRange {
        /// The URL that answered.
        url: String,
        /// What was asked for, in words.
        asked: String,
        /// The `Content-Range` sent, if any.
        content_range: Option<String>,
    },
    /// Two jobs of one [`download_all`] save to the same file.
    #[error(
        "`{url}` and `{other_url}` would both be saved as `{}`; give each download its own file",
        dest.display()
    )]
    SameDestination {
        /// The URL of the later job.
        url: String,
        /// The URL of the earlier job, which keeps the file.
        other_url: String,
        /// The shared destination.
        dest: PathBuf,
    },
    /// The destination exists and is not a regular file.
    #[error("cannot save `{url}` as `{}`: it is {kind}; move it away or choose another file name", dest.display())]
    NotAFile {
        /// The URL to download.
        url: String,
        /// The destination.
        dest: PathBuf,
        /// What it is, in words.
        kind: &'static str,
    },
    /// Another process (another castkit) is writing the same `.part` file.
    #[error("`{}` is being written by another program (downloading `{url}`); wait for it to finish", part.display())]
    Busy {
        /// The URL to download.
        url: String,
        /// The locked `.part` file.
        part: PathBuf,
    },
    /// A local file could not be created, read, written, synced or renamed.
    #[error("cannot {action} `{}` (downloading `{url}`); check that its folder is writable and the disk has room", path.display())]
    File {
        /// The URL being downloaded.
        url: String,
        /// The file or folder concerned.
        path: PathBuf,
        /// What castkit was doing: `create`, `write`, `rename`… (a verb for the message).
        action: &'static str,
        /// The I/O error.
        source: io::Error,
    },
}

/// ` of 5000` when the total is known.
fn of_total(total: Option<u64>) -> String {
    total.map_or_else(String::new, |t| format!(" of {t}"))
}

/// The message of [`DownloadError::FeedLengthDiffers`], which depends on whether the server stated a length.
fn feed_length_message(
    url: &str,
    dest: &Path,
    part: &Path,
    received: u64,
    server_stated: bool,
    feed_len: u64,
) -> String {
    let kept = format!(
        "the file is kept as `{}`, not saved as `{}`",
        part.display(),
        dest.display()
    );
    if server_stated {
        format!(
            "`{url}` sent {received} bytes, the length its server stated, but the feed says {feed_len}: the feed's \
             number differs; {kept}; if it is the right file, correct the enclosure `length` in the feed (or \
             download without checking it)"
        )
    } else {
        format!(
            "`{url}` sent {received} bytes without stating a length, but the feed says {feed_len}: they differ; \
             {kept}; run again to resume if the download was cut short, or correct the enclosure `length` in \
             the feed if the file is right"
        )
    }
}

/// What to do about an HTTP status that is not the file.
fn status_help(status: u16) -> &'static str {
    match status {
        401 | 403 => "the file is not public; check the enclosure URL in the feed",
        404 | 410 => "check the enclosure URL in the feed",
        429 => "the server asks to slow down; try again later, with fewer downloads at once",
        400..=499 => "check the enclosure URL in the feed",
        500..=599 => "the server failed; try again later",
        _ => "castkit expected 200 OK or 206 Partial Content with the file",
    }
}

/// Downloads every job, [`DownloadOptions::parallel`] at a time, through the environment's proxies
/// (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`). Returns one result per job, in job order.
pub fn download_all(
    jobs: &[Download],
    options: &DownloadOptions,
) -> Vec<Result<Downloaded, DownloadError>> {
    download_all_with(jobs, options, Proxies::FromEnvironment)
}

/// [`download_all`], with or without the environment's proxies.
fn download_all_with(
    jobs: &[Download],
    options: &DownloadOptions,
    proxies: Proxies,
) -> Vec<Result<Downloaded, DownloadError>> {
    let agent = agent_config(proxies)
        .user_agent(options.user_agent.as_str())
        // Lengths and byte ranges count the file itself, not a compressed form of it.
        .accept_encoding("identity")
        .timeout_resolve(Some(options.read_timeout))
        .timeout_connect(Some(options.read_timeout))
        .timeout_per_read(Some(options.read_timeout))
        .timeout_per_write(Some(options.read_timeout))
        .build()
        .new_agent();
    let progress = Progress::new(jobs, options.progress);
    let earlier = earlier_job_with_same_dest(jobs);
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..options.parallel.get().min(jobs.len()) {
            let sender = sender.clone();
            let (agent, progress, earlier, next) = (&agent, &progress, &earlier, &next);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(download) = jobs.get(index) else {
                        break;
                    };
                    let result = match earlier.get(&index) {
                        Some(&first) => Err(DownloadError::SameDestination {
                            url: download.url.clone(),
                            other_url: jobs[first].url.clone(),
                            dest: download.dest.clone(),
                        }),
                        None => Job {
                            download,
                            agent,
                            options,
                            progress,
                        }
                        .run(),
                    };
                    progress.file_done();
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
    });
    drop(sender);
    progress.finish();
    let mut results: Vec<_> = receiver.into_iter().collect();
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// For each job whose destination an earlier job already has, the earlier job's index.
fn earlier_job_with_same_dest(jobs: &[Download]) -> BTreeMap<usize, usize> {
    let mut first_by_dest = BTreeMap::new();
    let mut later = BTreeMap::new();
    for (index, job) in jobs.iter().enumerate() {
        if let Some(&first) = first_by_dest.get(&job.dest) {
            later.insert(index, first);
        } else {
            first_by_dest.insert(job.dest.clone(), index);
        }
    }
    later
}

/// The progress bar: bytes on disk against the lengths known so far, and files done.
struct Progress {
    bar: indicatif::ProgressBar,
    files: usize,
    done: AtomicUsize,
}

impl Progress {
    /// A bar whose length starts as the sum of the feed's lengths; hidden unless wanted and stderr is a
    /// terminal.
    fn new(jobs: &[Download], wanted: bool) -> Progress {
        let bar = if wanted && io::stderr().is_terminal() {
            let known: u64 = jobs.iter().filter_map(|j| j.expected_len).sum();
            let bar = indicatif::ProgressBar::new(known);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec}, {msg}, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        let progress = Progress {
            bar,
            files: jobs.len(),
            done: AtomicUsize::new(0),
        };
        progress.show_files(0);
        progress
    }

    fn show_files(&self, done: usize) {
        self.bar.set_message(format!("{done}/{} files", self.files));
    }

    /// The file's real length is known: the bar's length counted `expected` for it.
    fn length_known(&self, expected: Option<u64>, real: u64) {
        let counted = expected.unwrap_or(0);
        if real > counted {
            self.bar.inc_length(real - counted);
        } else {
            self.bar.dec_length(counted - real);
        }
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn file_done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.show_files(done);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// One job on one worker.
struct Job<'a> {
    download: &'a Download,
    agent: &'a ureq::Agent,
    options: &'a DownloadOptions,
    progress: &'a Progress,
}

/// How to ask for the file.
enum Start {
    /// From its first byte.
    Fresh,
    /// From byte `from`, which the `.part` already holds, if the file is still the one `validators` describe.
    Resume { from: u64, validators: Validators },
}

/// A part that holds everything the server sent, as far as it told.
struct Arrival {
    /// The URL it came from, after the redirects.
    url: Url,
    redirects: Vec<Redirect>,
    /// The part's length.
    bytes: u64,
    /// Whether the server stated the length (and `bytes` equals it).
    server_stated: bool,
    /// The bytes reused from an earlier run.
    kept: u64,
}

/// The `.part` file, open and locked, with the names of both side files.
struct Part {
    file: File,
    path: PathBuf,
    side: PathBuf,
}

impl Job<'_> {
    fn run(&self) -> Result<Downloaded, DownloadError> {
        let download = self.download;
        let url = parse_url(&download.url).map_err(DownloadError::Request)?;
        // Through a link to its target, so the link stays a link (as every castkit write does).
        let dest =
            crate::fsutil::final_target(&download.dest).unwrap_or_else(|_| download.dest.clone());
        match fs::metadata(&dest) {
            Ok(meta) if meta.is_file() => {
                if download.expected_len.is_none_or(|len| len == meta.len()) {
                    self.progress
                        .length_known(download.expected_len, meta.len());
                    self.progress.advance(meta.len());
                    return Ok(Downloaded {
                        dest: download.dest.clone(),
                        url: download.url.clone(),
                        redirects: Vec::new(),
                        bytes: meta.len(),
                        outcome: Outcome::AlreadyComplete,
                    });
                }
                // Another length than the feed's: a stale file, replaced once the new one is whole.
            }
            Ok(meta) => {
                return Err(DownloadError::NotAFile {
                    url: download.url.clone(),
                    dest: download.dest.clone(),
                    kind: crate::fsutil::file_type_in_words(meta.file_type()),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(self.file_error("read", &dest, source)),
        }
        if let Some(folder) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(folder).map_err(|e| self.file_error("create", folder, e))?;
        }
        let mut part = self.open_part(&dest)?;
        let result = self.fetch_into(&url, &dest, &mut part);
        if result.is_err() {
            // A part that never got a byte is clutter, not progress.
            if part.file.metadata().is_ok_and(|m| m.len() == 0) {
                let _ = fs::remove_file(&part.path);
                let _ = fs::remove_file(&part.side);
            }
        }
        result
    }

    /// Opens (or creates) `DEST.part` and locks it.
    fn open_part(&self, dest: &Path) -> Result<Part, DownloadError> {
        let path = with_suffix(dest, ".part");
        let side = with_suffix(dest, ".part.json");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| self.file_error("create", &path, e))?;
        // A lock can outlive its holder for a moment: a process forked elsewhere in this program shares the
        // open file until it starts its own program. Another downloader holds it for minutes, so a short wait
        // tells the two apart.
        for attempt in 0..=LOCK_ATTEMPTS {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if attempt < LOCK_ATTEMPTS => {
                    thread::sleep(LOCK_PAUSE);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(DownloadError::Busy {
                        url: self.download.url.clone(),
                        part: path,
                    });
                }
                // A file system without locks (some network ones): go on unlocked, as other downloaders do.
                Err(TryLockError::Error(_)) => break,
            }
        }
        Ok(Part { file, path, side })
    }

    /// Asks for the file (resuming when the part allows), receives it into the part, checks it and renames
    /// it into place.
    fn fetch_into(
        &self,
        url: &Url,
        dest: &Path,
        part: &mut Part,
    ) -> Result<Downloaded, DownloadError> {
        let kept = part
            .file
            .metadata()
            .map_err(|e| self.file_error("read", &part.path, e))?
            .len();
        let mut start = match Validators::read(&part.side) {
            Some(validators) if kept > 0 => Start::Resume {
                from: kept,
                validators,
            },
            _ => Start::Fresh,
        };
        // At most two rounds: a resume the server turns down becomes a fresh start, which never loops.
        loop {
            let (response, final_url, redirects) = self.ask(url, &start)?;
            let status = response.status().as_u16();
            let (from, stated_total) = match (status, &start) {
                // 203 is a 200 relayed by a transforming proxy. Either way the whole file comes: the server
                // ignored the range, or `If-Range` found the file changed.
                (200 | 203, _) => {
                    self.begin_fresh(part, &response)?;
                    (0, response.body().content_length())
                }
                (206, Start::Resume { from, validators }) => {
                    let content_range = header(&response, "content-range");
                    match parse_content_range(content_range.as_deref()) {
                        Some(ContentRange::Bytes { first, last, total })
                            if first == *from
                                && total.is_none_or(|t| t == last + 1)
                                && response
                                    .body()
                                    .content_length()
                                    .is_none_or(|len| len == last + 1 - first)
                                && !validators.changed(&response) =>
                        {
                            (*from, Some(last + 1))
                        }
                        _ => {
                            // Not the rest of this file: a server whose ranges cannot be trusted, or a
                            // changed file that slipped past `If-Range`. Start over.
                            start = Start::Fresh;
                            continue;
                        }
                    }
                }
                (206, Start::Fresh) => {
                    return Err(DownloadError::BadRange {
                        url: final_url.to_string(),
                        asked: "the whole file".to_owned(),
                        content_range: header(&response, "content-range"),
                    });
                }
                (416, Start::Resume { from, .. }) => {
                    let content_range = header(&response, "content-range");
                    if let Some(ContentRange::Unsatisfied { total }) =
                        parse_content_range(content_range.as_deref())
                        && total == *from
                    {
                        // The part is the whole file.
                        self.progress
                            .length_known(self.download.expected_len, total);
                        self.progress.advance(total);
                        return self.finish(
                            part,
                            dest,
                            Arrival {
                                url: final_url,
                                redirects,
                                bytes: *from,
                                server_stated: true,
                                kept: *from,
                            },
                        );
                    }
                    // The file on the server is shorter than the part: not the same file any more.
                    start = Start::Fresh;
                    continue;
                }
                _ => {
                    return Err(DownloadError::Status {
                        url: final_url.to_string(),
                        status,
                        reason: response
                            .status()
                            .canonical_reason()
                            .unwrap_or("(a status with no standard name)")
                            .to_owned(),
                    });
                }
            };
            if let Some(encoding) = header(&response, "content-encoding")
                && !encoding.eq_ignore_ascii_case("identity")
            {
                return Err(DownloadError::Request(FetchError::UnsupportedEncoding {
                    url: final_url.to_string(),
                    encoding,
                }));
            }
            if let Some(total) = stated_total {
                self.progress
                    .length_known(self.download.expected_len, total);
            }
            self.progress.advance(from);
            let received = self.receive(response, &final_url, part, from, stated_total)?;
            return self.finish(
                part,
                dest,
                Arrival {
                    url: final_url,
                    redirects,
                    bytes: received,
                    server_stated: stated_total.is_some(),
                    kept: from,
                },
            );
        }
    }

    /// Sends the request, following redirects; returns the final answer, its URL and the hops.
    fn ask(
        &self,
        first: &Url,
        start: &Start,
    ) -> Result<(ureq::http::Response<ureq::Body>, Url, Vec<Redirect>), DownloadError> {
        let mut current = first.clone();
        let mut hops = Hops::new(first, DEFAULT_MAX_REDIRECTS);
        loop {
            let mut request = self.agent.get(current.as_str());
            if let Start::Resume { from, validators } = start {
                request = request.header("Range", format!("bytes={from}-"));
                if let Some(validator) = validators.if_range() {
                    request = request.header("If-Range", validator);
                }
            }
            let response = request
                .call()
                .map_err(|e| self.network_error(e, &current))?;
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok((response, current, hops.redirects));
            }
            let to =
                redirect_target(&response, &current, status).map_err(DownloadError::Request)?;
            hops.follow(status, &current, &to)
                .map_err(DownloadError::Request)?;
            current = to;
        }
    }

    /// Empties the part and records the validators of the answer that starts it afresh. The old side file
    /// goes first, so that a crash in between leaves a part that is started over, never one resumed against
    /// another file's validators.
    fn begin_fresh(
        &self,
        part: &mut Part,
        response: &ureq::http::Response<ureq::Body>,
    ) -> Result<(), DownloadError> {
        match fs::remove_file(&part.side) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.file_error("remove", &part.side, e)),
        }
        part.file
            .set_len(0)
            .map_err(|e| self.file_error("write", &part.path, e))?;
        // Without its side file the part is merely started over next time: losing it costs bandwidth, never
        // correctness, so failing to write it does not fail the download.
        let _ = Validators::of(response).write(&part.side);
        Ok(())
    }

    /// Streams the body into the part from byte `from`; returns the part's length at the end.
    fn receive(
        &self,
        response: ureq::http::Response<ureq::Body>,
        url: &Url,
        part: &mut Part,
        from: u64,
        stated_total: Option<u64>,
    ) -> Result<u64, DownloadError> {
        part.file
            .seek(SeekFrom::Start(from))
            .map_err(|e| self.file_error("write", &part.path, e))?;
        // One byte past the stated length proves the server sends more than it said.
        let limit = stated_total.map_or(u64::MAX, |t| t.saturating_sub(from).saturating_add(1));
        let mut reader = response.into_body().into_reader().take(limit);
        let mut buffer = vec![0u8; BUFFER];
        let mut received = from;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // Keep what arrived, on disk, for the next run.
                    let _ = part.file.sync_data();
                    return Err(self.body_error(e, url, part, received, stated_total));
                }
            };
            part.file
                .write_all(&buffer[..n])
                .map_err(|e| self.file_error("write", &part.path, e))?;
            received += n as u64;
            self.progress.advance(n as u64);
        }
        match stated_total {
            Some(total) if received > total => {
                let _ = fs::remove_file(&part.path);
                let _ = fs::remove_file(&part.side);
                Err(DownloadError::ServerLengthDiffers {
                    url: url.to_string(),
                    stated: total,
                })
            }
            // Only a body that ends with the connection (no `Content-Length`) can end early without an
            // error from the reader: a hang-up that looks like an end.
            Some(total) if received < total => {
                let _ = part.file.sync_data();
                Err(DownloadError::BrokenOff {
                    url: url.to_string(),
                    part: part.path.clone(),
                    received,
                    total: Some(total),
                    source: "the connection closed before the stated length".into(),
                })
            }
            _ => Ok(received),
        }
    }

    /// Checks the whole part against the feed's length, syncs it and renames it into place.
    fn finish(
        &self,
        part: &Part,
        dest: &Path,
        arrival: Arrival,
    ) -> Result<Downloaded, DownloadError> {
        let Arrival {
            url,
            redirects,
            bytes: received,
            server_stated,
            kept,
        } = arrival;
        part.file
            .sync_all()
            .map_err(|e| self.file_error("write", &part.path, e))?;
        if let Some(feed_len) = self.download.expected_len
            && feed_len != received
        {
            return Err(DownloadError::FeedLengthDiffers {
                url: url.to_string(),
                dest: self.download.dest.clone(),
                part: part.path.clone(),
                received,
                server_stated,
                feed_len,
            });
        }
        fs::rename(&part.path, dest).map_err(|e| self.file_error("rename", &part.path, e))?;
        let _ = fs::remove_file(&part.side);
        // Make the rename durable; a file system that refuses to sync a folder has still renamed.
        if let Some(folder) = dest.parent().filter(|p| !p.as_os_str().is_empty())
            && let Ok(folder) = File::open(folder)
        {
            let _ = folder.sync_all();
        }
        Ok(Downloaded {
            dest: self.download.dest.clone(),
            url: url.to_string(),
            redirects,
            bytes: received,
            outcome: if kept > 0 {
                Outcome::Resumed { kept }
            } else {
                Outcome::Fetched
            },
        })
    }

    fn file_error(&self, action: &'static str, path: &Path, source: io::Error) -> DownloadError {
        DownloadError::File {
            url: self.download.url.clone(),
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// The error for a request that got no usable answer.
    fn network_error(&self, error: ureq::Error, url: &Url) -> DownloadError {
        match classify(error, Phase::Answer, url, &self.fetch_options()) {
            FetchError::Timeout { url, after } => DownloadError::Timeout { url, after },
            other => DownloadError::Request(other),
        }
    }

    /// The error for a body that stopped before its end.
    fn body_error(
        &self,
        error: io::Error,
        url: &Url,
        part: &Part,
        received: u64,
        total: Option<u64>,
    ) -> DownloadError {
        let classified = classify(
            ureq::Error::from(error),
            Phase::Body,
            url,
            &self.fetch_options(),
        );
        let (url, part) = (url.to_string(), part.path.clone());
        match classified {
            FetchError::Timeout { after, .. } => DownloadError::Stalled {
                url,
                part,
                received,
                total,
                after,
            },
            FetchError::Body { source, .. } => DownloadError::BrokenOff {
                url,
                part,
                received,
                total,
                source,
            },
            other => DownloadError::BrokenOff {
                url,
                part,
                received,
                total,
                source: Box::new(other),
            },
        }
    }

    /// The fetch module's options whose timeout is this download's read timeout (for its error messages).
    fn fetch_options(&self) -> FetchOptions {
        FetchOptions {
            timeout: self.options.read_timeout,
            ..FetchOptions::default()
        }
    }
}

/// `path` with `suffix` added to its file name: `ep.mp3` → `ep.mp3.part`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// A parsed `Content-Range` (RFC 9110 §14.4), in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContentRange {
    /// `bytes FIRST-LAST/TOTAL` (`TOTAL` `*` when unknown), in a 206.
    Bytes {
        first: u64,
        last: u64,
        total: Option<u64>,
    },
    /// `bytes */TOTAL`, in a 416.
    Unsatisfied { total: u64 },
}

fn parse_content_range(value: Option<&str>) -> Option<ContentRange> {
    let rest = value?.trim().strip_prefix("bytes ")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        // `u64::from_str` takes a leading `+`; the grammar is digits only.
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if range.trim() == "*" {
        return Some(ContentRange::Unsatisfied {
            total: number(total)?,
        });
    }
    let (first, last) = range.split_once('-')?;
    let (first, last) = (number(first)?, number(last)?);
    let total = match total.trim() {
        "*" => None,
        t => Some(number(t)?),
    };
    (first <= last && total.is_none_or(|t| last < t)).then_some(ContentRange::Bytes {
        first,
        last,
        total,
    })
}

/// What identifies the version of the file a part holds, kept in `DEST.part.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Validators {
    format: String,
    /// A strong `ETag` (a weak one cannot be used with `If-Range`, RFC 9110 §13.1.5).
    etag: Option<String>,
    /// A `Last-Modified` date that is a strong validator: at least one second before the answer's `Date`.
    last_modified: Option<String>,
}

impl Validators {
    /// The validators of an answer that starts a part.
    fn of(response: &ureq::http::Response<ureq::Body>) -> Validators {
        let etag = header(response, "etag").filter(|e| !e.starts_with("W/"));
        let last_modified = header(response, "last-modified").filter(|modified| {
            header(response, "date").is_some_and(|date| strong_date(modified, &date))
        });
        Validators {
            format: SIDE_FILE_FORMAT.to_owned(),
            etag,
            last_modified,
        }
    }

    /// The side file's validators; `None` when it is missing, damaged or not castkit's.
    fn read(path: &Path) -> Option<Validators> {
        let mut text = String::new();
        File::open(path)
            .ok()?
            .take(16 * 1024)
            .read_to_string(&mut text)
            .ok()?;
        let validators: Validators = serde_json::from_str(&text).ok()?;
        let usable = |v: &Option<String>| {
            v.as_deref()
                .is_none_or(|v| ureq::http::HeaderValue::from_str(v).is_ok())
        };
        (validators.format == SIDE_FILE_FORMAT
            && usable(&validators.etag)
            && usable(&validators.last_modified))
        .then_some(validators)
    }

    fn write(&self, path: &Path) -> Result<(), crate::fsutil::WriteError> {
        crate::fsutil::write_atomic(path, |out| {
            serde_json::to_writer(&mut *out, self)?;
            out.write_all(b"\n")
        })
    }

    /// The `If-Range` value: the entity tag if there is one, else the date.
    fn if_range(&self) -> Option<&str> {
        self.etag.as_deref().or(self.last_modified.as_deref())
    }

    /// Whether a `206` names another version of the file than the one the part holds (a server that
    /// ignored `If-Range` but sent its `ETag`).
    fn changed(&self, response: &ureq::http::Response<ureq::Body>) -> bool {
        match (&self.etag, header(response, "etag")) {
            (Some(kept), Some(now)) => *kept != now,
            _ => false,
        }
    }
}

/// Whether `Last-Modified` is at least one second before `Date`, which makes it a strong validator
/// (RFC 9110 §8.8.2.2); dates that do not parse are not.
fn strong_date(last_modified: &str, date: &str) -> bool {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc2822(s).ok();
    match (parse(last_modified), parse(date)) {
        (Some(modified), Some(date)) => (date - modified).num_seconds() >= 1,
        _ => false,
    }
}
