//! The show website in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core from
//! `tests/browser/check-site.mjs`) visits the site `castkit serve` serves and reports what it saw; the tests
//! compare that with truth read elsewhere: the served feed by feedparser and Python's ElementTree (episode
//! count, `itunes:duration`, the chapters and transcript files it names), ffprobe (the media's duration),
//! axe-core (accessibility, in light and dark colour schemes), the page widths on 375 px and 320 px phones,
//! and every request the pages made (none may leave the server's host).
//!
//! The harness itself is proven able to fail: `browser_harness_catches_faults` serves hand-made pages that
//! follow the site contract (`tests/browser/selftest/`), clean and with one fault each, and each fault must be
//! reported, and nothing else.
//!
//! Needs `node`, Chromium (`$CHROMIUM` or `/usr/bin/chromium`), `npm ci` in `tests/browser`, ffmpeg/ffprobe and
//! feedparser; skipped with a message without them, failed when `CASTKIT_REQUIRE_TOOLS` is set (as in CI).

use std::collections::BTreeSet;
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::support::{
    ShowDir, copy_tree, have_python_module, have_tool, python_json, repo_root, stderr_of,
};

/// The player's duration may differ from the feed's and ffprobe's by this much (the feed rounds to seconds).
const DURATION_TOLERANCE: f64 = 1.0;
/// A click on a chapter or a cue must land this close to its start.
const SEEK_TOLERANCE: f64 = 0.3;

/// The harness's folder (`package.json`, its lock file, `check-site.mjs`, `selftest/`).
fn harness_dir() -> PathBuf {
    repo_root().join("tests/browser")
}

/// The Chromium the harness drives (the same rule as `tests/browser/chromium.mjs`).
fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Whether the harness and the independent readers can run. Same `CASTKIT_REQUIRE_TOOLS` rule as
/// [`have_tool`]: in CI anything missing fails the test instead of skipping it.
fn have_browser_harness() -> bool {
    if !(have_tool("node")
        && have_tool("ffmpeg")
        && have_tool("ffprobe")
        && have_python_module("feedparser"))
    {
        return false;
    }
    let missing = if !chromium_path().is_file() {
        Some(format!(
            "Chromium is not installed at {} (apt-get install chromium, or set CHROMIUM)",
            chromium_path().display()
        ))
    } else if !["playwright-core", "axe-core"].iter().all(|p| {
        harness_dir()
            .join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    }) {
        Some(
            "the browser harness is not installed (run `npm ci --no-audit --no-fund` in tests/browser)"
                .to_owned(),
        )
    } else {
        None
    };
    if let Some(missing) = missing {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "{missing}, and CASTKIT_REQUIRE_TOOLS is set"
        );
        eprintln!("skipped: {missing}");
        return false;
    }
    true
}

/// A server started by a test (`castkit serve`, or the self-test's static server) that says
/// `serving http://HOST:PORT/…` on stderr once it listens; killed when dropped.
struct Server {
    child: Child,
    /// `http://HOST:PORT/`.
    base: String,
}

impl Server {
    /// Starts `command` and waits (up to two minutes: `castkit serve` builds the preview first) for its
    /// address.
    fn start(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stderr = child.stderr.take().unwrap();
        let (lines, said) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end, also once nobody listens, so that the server never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
        };
        let mut heard = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while server.base.is_empty() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match said.recv_timeout(left) {
                Ok(line) => {
                    if let Some(at) = line.find("serving http://") {
                        let rest = &line[at + "serving http://".len()..];
                        let host = rest.split(['/', ' ']).next().unwrap();
                        server.base = format!("http://{host}/");
                    }
                    heard.push_str(&line);
                    heard.push('\n');
                }
                Err(_) => panic!("the server did not say where it serves:\n{heard}"),
            }
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `castkit serve` on 127.0.0.1, a port the system picks, in `show`.
fn castkit_serve(show: &ShowDir) -> Server {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("castkit"));
    command
        .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
        .current_dir(show.path())
        .env(
            "CASTKIT_CACHE_DIR",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("probe-cache"),
        );
    Server::start(command)
}

/// What `tests/browser/check-site.mjs` observed on the site at `base`.
fn check_site(base: &str) -> Value {
    let out = Command::new("node")
        .arg(harness_dir().join("check-site.mjs"))
        .arg(base)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "the browser harness failed on {base}: {}",
        stderr_of(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check-site.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// One `<item>` of the served feed, as independent readers see it.
#[derive(Debug)]
struct ItemTruth {
    /// The enclosure URL (feedparser).
    enclosure: String,
    /// `itunes:duration` in seconds (feedparser's text, read as `[[H:]M:]S`).
    itunes_duration: f64,
    /// The enclosure's duration by ffprobe, from the media file on disk.
    ffprobe_duration: f64,
    /// The start of each chapter in the item's JSON chapters file (`toc: false` ones left out), if any.
    chapter_starts: Option<Vec<f64>>,
    /// The start of each cue in the item's WebVTT transcript, if it has one; `Some(vec![])` for a transcript
    /// in another format.
    transcript_cue_starts: Option<Vec<f64>>,
}

/// Reads the feed at `feed_url` with feedparser and ElementTree (and the chapters and transcripts it names,
/// over HTTP), and each enclosure's media file with ffprobe: `media_url` is the URL of the folder served from
/// `media_dir`.
fn feed_truth(feed_url: &str, media_url: &str, media_dir: &Path) -> Vec<ItemTruth> {
    let read = python_json(
        r#"
import feedparser, json, re, sys, urllib.parse, urllib.request
import xml.etree.ElementTree as ET
url = sys.argv[1]
raw = urllib.request.urlopen(url).read()
parsed = feedparser.parse(raw)
items = ET.fromstring(raw).findall("./channel/item")
P = "{https://podcastindex.org/namespace/1.0}"
def seconds(text):
    total = 0.0
    for part in text.strip().split(":"):
        total = total * 60 + float(part)
    return total
def fetch(href):
    return urllib.request.urlopen(urllib.parse.urljoin(url, href)).read()
out = []
for entry, item in zip(parsed.entries, items):
    chapters = item.find(P + "chapters")
    starts = None
    if chapters is not None:
        listed = json.loads(fetch(chapters.get("url")))["chapters"]
        starts = [float(c["startTime"]) for c in listed if c.get("toc", True) is not False]
    cues = None
    for transcript in item.findall(P + "transcript"):
        if cues is None:
            cues = []
        if transcript.get("type") == "text/vtt":
            text = fetch(transcript.get("url")).decode("utf-8")
            cues = [seconds(line.split("-->")[0]) for line in text.splitlines() if "-->" in line]
            break
    out.append({
        "enclosure": [l.href for l in entry.links if l.rel == "enclosure"][0],
        "itunes_duration": seconds(entry.itunes_duration),
        "chapters": starts,
        "cues": cues,
    })
print(json.dumps({"bozo": bool(parsed.bozo), "entries": len(parsed.entries), "items": len(items), "read": out}))
"#,
        Path::new(feed_url),
    );
    assert_eq!(read["bozo"], false, "feedparser: {read}");
    assert_eq!(
        read["entries"], read["items"],
        "feedparser and ElementTree count different items"
    );
    let floats = |v: &Value| -> Option<Vec<f64>> {
        v.as_array()
            .map(|a| a.iter().map(|x| x.as_f64().unwrap()).collect())
    };
    read["read"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let enclosure = item["enclosure"].as_str().unwrap().to_owned();
            let relative = enclosure.strip_prefix(media_url).unwrap_or_else(|| {
                panic!("the enclosure {enclosure} is not served from {media_url}")
            });
            let name = percent_encoding::percent_decode_str(relative)
                .decode_utf8()
                .unwrap();
            ItemTruth {
                ffprobe_duration: ffprobe_duration(&media_dir.join(name.as_ref())),
                enclosure,
                itunes_duration: item["itunes_duration"].as_f64().unwrap(),
                chapter_starts: floats(&item["chapters"]),
                transcript_cue_starts: floats(&item["cues"]),
            }
        })
        .collect()
}

/// The container's duration by ffprobe.
fn ffprobe_duration(path: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration"])
        .args(["-of", "default=nw=1:nk=1"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(out.status.success(), "{}", stderr_of(&out));
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("ffprobe gave no duration for {}", path.display()))
}

/// The kinds of departure from the issue's requirements (and the site contract) the harness can observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FaultKind {
    /// The index does not link the feed.
    FeedLink,
    /// The index does not list one episode per `<item>`, or an episode page does not load.
    EpisodeList,
    /// The player's duration is not the feed's and the media's, or it does not load.
    Duration,
    /// A chapter link is missing or does not seek to its chapter's start.
    ChapterSeek,
    /// The current chapter is not marked while playing.
    ChapterMark,
    /// The transcript is missing, has not one element per cue, or a cue does not seek.
    Transcript,
    /// `#t=SECONDS` on load does not seek.
    FragmentSeek,
    /// The notes are missing or empty.
    Notes,
    /// axe-core found a serious or critical violation.
    Accessibility,
    /// The page scrolls sideways on a phone.
    HorizontalScroll,
    /// A request went to another host.
    OffHostRequest,
    /// A script threw.
    ScriptError,
}

/// One departure, with what was seen.
#[derive(Debug)]
struct Fault {
    kind: FaultKind,
    detail: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.detail)
    }
}

/// Collects faults.
#[derive(Default)]
struct Faults(Vec<Fault>);

impl Faults {
    fn add(&mut self, kind: FaultKind, detail: impl Into<String>) {
        self.0.push(Fault {
            kind,
            detail: detail.into(),
        });
    }

    fn kinds(&self) -> BTreeSet<FaultKind> {
        self.0.iter().map(|f| f.kind).collect()
    }

    fn report(&self) -> String {
        self.0
            .iter()
            .map(|f| format!("  {f}\n"))
            .collect::<String>()
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Page-level checks shared by the index and the episode pages: axe-core (light and dark) and the width
/// on each phone viewport.
fn page_faults(page: &Value, name: &str, faults: &mut Faults) {
    for scheme in ["light", "dark"] {
        for violation in page["axe"][scheme].as_array().into_iter().flatten() {
            let impact = violation["impact"].as_str().unwrap_or("");
            if impact == "serious" || impact == "critical" {
                faults.add(
                    FaultKind::Accessibility,
                    format!(
                        "{name} ({scheme}): {} {impact} on {} element(s) {}: {}",
                        violation["id"],
                        violation["nodes"],
                        violation["targets"],
                        violation["help"]
                    ),
                );
            }
        }
    }
    let narrow = page["narrow"].as_array().cloned().unwrap_or_default();
    if narrow.len() != 2 {
        faults.add(
            FaultKind::HorizontalScroll,
            format!("{name}: widths not measured"),
        );
    }
    for width in narrow {
        let scroll = number(&width["scrollWidth"]).unwrap_or(f64::INFINITY);
        let client = number(&width["clientWidth"]).unwrap_or(0.0);
        if scroll > client {
            faults.add(
                FaultKind::HorizontalScroll,
                format!(
                    "{name} at {}: scrollWidth {scroll} > clientWidth {client}; wide: {}",
                    width["viewport"], width["wideElements"]
                ),
            );
        }
    }
}

/// Where a click on a `.seek` element landed, compared with `truth` (seconds).
fn seek_fault(click: &Value, truth: f64, what: &str) -> Option<String> {
    let landed = number(&click["currentTime"]);
    match (click["seeked"].as_bool(), landed) {
        (Some(true), Some(at)) if (at - truth).abs() <= SEEK_TOLERANCE => None,
        _ => Some(format!(
            "{what}: data-start {}, the player seeked: {}, now at {} (should be {truth} ± {SEEK_TOLERANCE})",
            click["dataStart"], click["seeked"], click["currentTime"]
        )),
    }
}

/// Every way the observed site departs from the truth: the feed's items, at `feed_url`.
fn faults(observed: &Value, feed_url: &str, items: &[ItemTruth]) -> Faults {
    let mut faults = Faults::default();
    if observed["feedUrl"].as_str() != Some(feed_url) {
        faults.add(
            FaultKind::FeedLink,
            format!(
                "the index's feed link {} (href {}) is not {feed_url}",
                observed["feedUrl"], observed["feedHref"]
            ),
        );
    }
    let links = observed["episodeLinks"].as_array().unwrap();
    let distinct: BTreeSet<&str> = links.iter().filter_map(|l| l["url"].as_str()).collect();
    if links.len() != items.len() || distinct.len() != items.len() {
        faults.add(
            FaultKind::EpisodeList,
            format!(
                "{} episode links ({} distinct) for {} <item>s in the feed",
                links.len(),
                distinct.len(),
                items.len()
            ),
        );
    }
    page_faults(&observed["index"], "the index", &mut faults);

    let mut matched = BTreeSet::new();
    for page in observed["episodes"].as_array().unwrap() {
        let name = page["url"].as_str().unwrap_or("an episode page");
        if page["status"] != 200 {
            faults.add(
                FaultKind::EpisodeList,
                format!("{name} answered {}", page["status"]),
            );
        }
        page_faults(page, name, &mut faults);
        if page["notesTextLength"].as_u64().unwrap_or(0) == 0 {
            faults.add(
                FaultKind::Notes,
                format!("{name}: #notes is {}", page["notesTextLength"]),
            );
        }

        // The item this page plays: the one whose enclosure is the player's source.
        let player = &page["player"];
        let source = player["currentSrc"].as_str().unwrap_or("");
        let Some((index, item)) = items
            .iter()
            .enumerate()
            .find(|(_, i)| i.enclosure == source)
        else {
            faults.add(
                FaultKind::Duration,
                format!(
                    "{name}: the player's source {source:?} is no enclosure of the feed ({player})"
                ),
            );
            continue;
        };
        if !matched.insert(index) {
            faults.add(
                FaultKind::EpisodeList,
                format!("{name}: a second page for {}", item.enclosure),
            );
        }
        let duration = number(&player["duration"]);
        let data_duration = number(&player["dataDuration"]);
        let near =
            |v: Option<f64>, truth: f64| v.is_some_and(|v| (v - truth).abs() <= DURATION_TOLERANCE);
        if player["loaded"] != true
            || !near(duration, item.itunes_duration)
            || !near(duration, item.ffprobe_duration)
            || !near(data_duration, item.itunes_duration)
            || !near(data_duration, item.ffprobe_duration)
        {
            faults.add(
                FaultKind::Duration,
                format!(
                    "{name}: the player says {duration:?} s (data-duration {data_duration:?}, loaded {}, error {}), the feed {} s, ffprobe {} s",
                    player["loaded"], player["error"], item.itunes_duration, item.ffprobe_duration
                ),
            );
        }

        let clicks = page["chapters"].as_array().cloned().unwrap_or_default();
        match &item.chapter_starts {
            Some(starts) if starts.len() != clicks.len() => faults.add(
                FaultKind::ChapterSeek,
                format!(
                    "{name}: {} chapter links for the {} chapters of the chapters file",
                    clicks.len(),
                    starts.len()
                ),
            ),
            Some(starts) => {
                for (n, (click, start)) in clicks.iter().zip(starts).enumerate() {
                    if let Some(fault) = seek_fault(click, *start, &format!("{name} chapter {n}")) {
                        faults.add(FaultKind::ChapterSeek, fault);
                    }
                    // While playing, the chapter just sought to is the current one.
                    if click["paused"] == false && click["ariaCurrent"].as_i64() != Some(n as i64) {
                        faults.add(
                            FaultKind::ChapterMark,
                            format!(
                                "{name}: playing chapter {n}, aria-current is on entry {}",
                                click["ariaCurrent"]
                            ),
                        );
                    }
                }
            }
            None if !clicks.is_empty() => faults.add(
                FaultKind::ChapterSeek,
                format!(
                    "{name}: {} chapter links, but the feed names no chapters",
                    clicks.len()
                ),
            ),
            None => {}
        }

        let cues = page["transcriptCues"].as_u64().unwrap_or(0) as usize;
        if let Some(truth) = &item.transcript_cue_starts {
            if cues == 0 || (!truth.is_empty() && cues != truth.len()) {
                faults.add(
                    FaultKind::Transcript,
                    format!(
                        "{name}: {cues} transcript cues, the WebVTT has {}",
                        truth.len()
                    ),
                );
            }
            let click = &page["transcriptClick"];
            let start = number(&click["dataStart"]);
            match start {
                Some(start)
                    if truth.is_empty() || truth.iter().any(|t| (t - start).abs() < 0.01) =>
                {
                    if let Some(fault) = seek_fault(click, start, &format!("{name} cue")) {
                        faults.add(FaultKind::Transcript, fault);
                    }
                }
                _ => faults.add(
                    FaultKind::Transcript,
                    format!(
                        "{name}: the clicked cue {click} starts at no cue of the WebVTT {truth:?}"
                    ),
                ),
            }
        }

        let fragment = &page["fragmentSeek"];
        let requested = number(&fragment["requested"]);
        let landed = number(&fragment["currentTime"]);
        let close = requested
            .zip(landed)
            .is_some_and(|(r, l)| (l - r).abs() <= SEEK_TOLERANCE);
        if !close {
            faults.add(
                FaultKind::FragmentSeek,
                format!("{name}: opened at #t={requested:?}, the player is at {landed:?}"),
            );
        }
    }
    if matched.len() != items.len() {
        faults.add(
            FaultKind::EpisodeList,
            format!(
                "episode pages play {} of the feed's {} enclosures",
                matched.len(),
                items.len()
            ),
        );
    }
    for error in observed["pageErrors"].as_array().unwrap() {
        faults.add(
            FaultKind::ScriptError,
            format!("{}: {}", error["url"], error["message"]),
        );
    }
    for url in observed["offHostRequests"].as_array().unwrap() {
        faults.add(FaultKind::OffHostRequest, format!("a request to {url}"));
    }
    faults
}

/// `castkit serve`s `show` and checks its website in Chromium; returns what was observed.
fn check_served_show(show: &ShowDir) -> Value {
    let server = castkit_serve(show);
    let feed_url = format!("{}feed.xml", server.base);
    let items = feed_truth(
        &feed_url,
        &format!("{}media/", server.base),
        &show.path().join("media"),
    );
    assert!(!items.is_empty(), "the served feed has no <item>");
    let observed = check_site(&server.base);
    let faults = faults(&observed, &feed_url, &items);
    assert!(
        faults.0.is_empty(),
        "the website castkit serves departs from the feed and the requirements:\n{}\nobserved: {observed:#}",
        faults.report()
    );
    observed
}

#[test]
fn the_example_shows_website_works_in_chromium() {
    if !have_browser_harness() {
        return;
    }
    let show = ShowDir::example();
    let observed = check_served_show(&show);
    let page = &observed["episodes"][0];
    eprintln!(
        "example show: player {} s, {} chapters, {} cues, axe light {} / dark {} violations",
        page["player"]["duration"],
        page["chapters"].as_array().map_or(0, Vec::len),
        page["transcriptCues"],
        page["axe"]["light"].as_array().map_or(0, Vec::len),
        page["axe"]["dark"].as_array().map_or(0, Vec::len),
    );
}

#[test]
fn the_every_tag_shows_website_works_in_chromium() {
    if !have_browser_harness() {
        return;
    }
    let show = ShowDir::new();
    copy_tree(&repo_root().join("tests/shows/every-tag"), show.path());
    let observed = check_served_show(&show);
    // The show has chapters and a transcript: they were there to click.
    let episodes = observed["episodes"].as_array().unwrap();
    assert!(
        episodes
            .iter()
            .any(|p| p["chapters"].as_array().is_some_and(|c| !c.is_empty())),
        "no chapter was clicked"
    );
    assert!(
        episodes.iter().any(|p| p["transcriptClick"].is_object()),
        "no transcript cue was clicked"
    );
}

/// The self-test site (`tests/browser/selftest`) in a temporary folder, with its audio made by ffmpeg,
/// `change` applied to its files, served by `tests/browser/serve-static.mjs` (byte ranges, as `castkit serve`).
struct Selftest {
    dir: tempfile::TempDir,
    server: Server,
}

impl Selftest {
    fn serve(change: impl FnOnce(&Path)) -> Selftest {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&harness_dir().join("selftest"), dir.path());
        std::fs::create_dir(dir.path().join("media")).unwrap();
        // 20 s of a 440 Hz tone: the feed says `itunes:duration` 20, the pages data-duration 20.000.
        let made = Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=20",
            ])
            .args(["-c:a", "libmp3lame", "-b:a", "32k"])
            .arg(dir.path().join("media/a-tone.mp3"))
            .output()
            .expect("ffmpeg runs");
        assert!(made.status.success(), "{}", stderr_of(&made));
        change(dir.path());
        let mut command = Command::new("node");
        command
            .arg(harness_dir().join("serve-static.mjs"))
            .arg(dir.path())
            .arg("0");
        let server = Server::start(command);
        let feed = dir.path().join("feed.xml");
        let text = std::fs::read_to_string(&feed).unwrap();
        std::fs::write(&feed, text.replace("@BASE@", &server.base)).unwrap();
        Selftest { dir, server }
    }

    /// What the harness reports against the self-test feed's truth.
    fn faults(&self) -> Faults {
        let feed_url = format!("{}feed.xml", self.server.base);
        let items = feed_truth(
            &feed_url,
            &format!("{}media/", self.server.base),
            &self.dir.path().join("media"),
        );
        faults(&check_site(&self.server.base), &feed_url, &items)
    }
}

/// Replaces `from` with `to` in the self-test file `file`, which must contain it.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const EPISODE_PAGE: &str = "episodes/a-tone/index.html";

#[test]
fn browser_harness_catches_faults() {
    if !have_browser_harness() {
        return;
    }
    // The hand-made pages follow the contract: nothing to report.
    let clean = Selftest::serve(|_| {}).faults();
    assert!(
        clean.0.is_empty(),
        "the clean self-test site has faults:\n{}",
        clean.report()
    );

    type Change = fn(&Path);
    let variants: [(&str, Change, FaultKind, &str); 4] = [
        (
            "light grey text on white",
            |dir| {
                edit(
                    dir,
                    EPISODE_PAGE,
                    r#"<span class="aside">"#,
                    r#"<span class="aside" style="color: #b3b3b3">"#,
                );
            },
            FaultKind::Accessibility,
            "(light): \"color-contrast\" serious",
        ),
        (
            "an element 640 px wide",
            |dir| {
                edit(
                    dir,
                    EPISODE_PAGE,
                    "<h2>Chapters</h2>",
                    r#"<div style="width: 40rem">wide</div><h2>Chapters</h2>"#,
                );
            },
            FaultKind::HorizontalScroll,
            "at \"375x667\"",
        ),
        (
            "a script from another host",
            |dir| {
                edit(
                    dir,
                    "index.html",
                    "</head>",
                    "<script src=\"https://cdn.example.com/player.js\"></script>\n</head>",
                );
            },
            FaultKind::OffHostRequest,
            "https://cdn.example.com/player.js",
        ),
        (
            "a chapter link 2.5 s late",
            |dir| {
                edit(
                    dir,
                    EPISODE_PAGE,
                    r##"href="#t=6.5" data-start="6.5""##,
                    r##"href="#t=9" data-start="9""##,
                );
            },
            FaultKind::ChapterSeek,
            "chapter 1: data-start 9, the player seeked: true, now at 9.0",
        ),
    ];
    for (what, change, kind, detail) in variants {
        let faults = Selftest::serve(change).faults();
        assert_eq!(
            faults.kinds(),
            BTreeSet::from([kind]),
            "{what}: the harness should report exactly a {kind:?} fault:\n{}",
            faults.report()
        );
        assert!(
            faults.0.iter().any(|f| f.detail.contains(detail)),
            "{what}: no fault says `{detail}`:\n{}",
            faults.report()
        );
        eprintln!("{what}: reported\n{}", faults.report());
    }
}
