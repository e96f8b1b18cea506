//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test module uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where `Cargo.toml` is).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `castkit` command ready to run, with its probe cache in the build folder (never the user's).
pub(crate) fn castkit() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("castkit").expect("the castkit binary is built");
    cmd.env(
        "CASTKIT_CACHE_DIR",
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("probe-cache"),
    );
    cmd
}

/// Whether an external tool is on the PATH. When `CASTKIT_REQUIRE_TOOLS` is set (as CI sets it), a missing
/// tool fails the test instead of skipping it, so an independent check can never silently not run.
pub(crate) fn have_tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("-version")
        .output()
        .or_else(|_| Command::new(name).arg("--version").output())
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "`{name}` is required (CASTKIT_REQUIRE_TOOLS is set) but not installed"
        );
        eprintln!("skipped: `{name}` is not installed");
    }
    found
}

/// Whether a Python module can be imported (same `CASTKIT_REQUIRE_TOOLS` rule as [`have_tool`]).
pub(crate) fn have_python_module(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "python module `{module}` is required (CASTKIT_REQUIRE_TOOLS is set) but not installed"
        );
        eprintln!("skipped: python module `{module}` is not installed");
    }
    found
}

/// The shared corpus folder next to the repository, if present. Same `CASTKIT_REQUIRE_TOOLS` rule as
/// [`have_tool`]: in CI a missing corpus fails the test, so the comparisons over it can never pass unrun.
pub(crate) fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "the shared corpus folder `../shared` is required (CASTKIT_REQUIRE_TOOLS is set) but not present next to the repository"
        );
        eprintln!(
            "skipped: the shared corpus folder `../shared` is not present next to the repository"
        );
        None
    }
}

/// Copies a folder tree (used to give each test its own copy of the example show).
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary show folder: a catalogue and a `media/` folder with real audio and cover art copied from the
/// example show. The catalogue's text is given by each test.
pub(crate) struct ShowDir {
    pub(crate) dir: tempfile::TempDir,
}

/// The example show's MP3 (real speech, encoded by lame), used as audio in test catalogues.
pub(crate) const EXAMPLE_MP3: &str = "media/5.4 What are the goals of rural revitalization.mp3";

impl ShowDir {
    /// An empty show folder with `media/cover.jpg` from the example show.
    pub(crate) fn new() -> ShowDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("media")).unwrap();
        std::fs::copy(
            repo_root().join("media/cover.jpg"),
            dir.path().join("media/cover.jpg"),
        )
        .unwrap();
        ShowDir { dir }
    }

    /// A copy of the repository's example show (catalogue and media).
    pub(crate) fn example() -> ShowDir {
        let show = ShowDir::new();
        copy_tree(&repo_root().join("media"), &show.path().join("media"));
        std::fs::copy(
            repo_root().join("episodes.toml"),
            show.path().join("episodes.toml"),
        )
        .unwrap();
        show
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Adds an audio file under `media/` (a copy of the example MP3).
    pub(crate) fn audio(&self, name: &str) -> &ShowDir {
        let target = self.path().join("media").join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::copy(repo_root().join(EXAMPLE_MP3), target).unwrap();
        self
    }

    /// Writes `episodes.toml`.
    pub(crate) fn catalogue(&self, text: &str) -> &ShowDir {
        std::fs::write(self.path().join("episodes.toml"), text).unwrap();
        self
    }

    /// Reads `episodes.toml` back.
    pub(crate) fn read_catalogue(&self) -> String {
        std::fs::read_to_string(self.path().join("episodes.toml")).unwrap()
    }

    /// `castkit` run in this folder.
    pub(crate) fn castkit(&self) -> assert_cmd::Command {
        let mut cmd = castkit();
        cmd.current_dir(self.path());
        cmd
    }

    /// The feed at the default location, if written.
    pub(crate) fn feed(&self) -> Option<String> {
        std::fs::read_to_string(self.path().join("public/feed.xml")).ok()
    }

    /// Names of leftover temporary files anywhere in the folder.
    pub(crate) fn temp_leftovers(&self) -> Vec<String> {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), out);
                } else if entry
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".castkit-tmp")
                {
                    out.push(entry.path().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }
}

/// A valid `[show]` table for test catalogues; tests append episodes or replace lines.
pub(crate) const SHOW: &str = r#"[show]
title = "Test Show"
description = "A show for **tests**."
link = "https://example.com/show"
feed_url = "https://example.com/show/feed.xml"
media_base_url = "https://cdn.example.com/show/media/"
language = "en"
author = "Test Author"
owner = { name = "Owner", email = "owner@example.com" }
image = "media/cover.jpg"
categories = ["Technology"]
explicit = false
"#;

/// The stderr of a finished command, as UTF-8.
pub(crate) fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Checks the feed `build-feed` wrote in `show` with `castkit validate --catalogue --deny-warnings`: every
/// feed castkit writes must validate with no errors and no warnings (information notes are allowed).
pub(crate) fn assert_feed_validates_clean(show: &ShowDir) {
    let out = show
        .castkit()
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
            "--deny-warnings",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let serious: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    assert!(
        serious.is_empty() && out.status.success(),
        "the feed build-feed wrote does not validate cleanly: {serious:#?}\n{}",
        stderr_of(&out)
    );
}

/// Runs a Python script (an independent reader: mutagen, feedparser…) on `path` and parses the JSON it
/// prints. Fails the test with Python's error output when the script fails.
pub(crate) fn python_json(script: &str, path: &Path) -> serde_json::Value {
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// A path below `tests/fixtures/audio`: that folder (`""`), a folder of fixtures below it (`mp4`, `vorbis`,
/// each made by its own script with its own `manifest.json`), or one fixture.
pub(crate) fn audio_fixtures(below: &str) -> PathBuf {
    repo_root().join("tests/fixtures/audio").join(below)
}

/// A fixture folder's `manifest.json`: each file's truth, measured by independent tools when its script ran.
pub(crate) fn fixture_manifest(dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let text =
        std::fs::read_to_string(dir.join("manifest.json")).expect("the folder has a manifest");
    serde_json::from_str(&text).expect("the manifest is JSON")
}

/// Runs `castkit probe --json` on the files: (exit code, one object per file, in order).
pub(crate) fn probe_json<I, S>(files: I) -> (i32, Vec<serde_json::Value>)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = castkit()
        .arg("probe")
        .arg("--json")
        .args(files)
        .output()
        .expect("castkit runs");
    let items = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().expect("castkit exited"), items)
}

/// Samples per channel of a full decode of the first audio stream by ffmpeg (16-bit mono PCM, counted).
pub(crate) fn ffmpeg_decoded_samples(path: &Path) -> u64 {
    let pcm = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-f", "s16le", "-ac", "1", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(pcm.status.success(), "{}", stderr_of(&pcm));
    pcm.stdout.len() as u64 / 2
}

/// Duration in seconds by a full decode with ffmpeg: decoded samples ÷ the sample rate ffprobe reads
/// (independent of castkit's probe).
pub(crate) fn ffmpeg_decoded_seconds(path: &Path) -> f64 {
    let rate = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "a:0"])
        .args(["-show_entries", "stream=sample_rate"])
        .args(["-of", "default=nw=1:nk=1"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    let rate: f64 = String::from_utf8_lossy(&rate.stdout)
        .trim()
        .parse()
        .expect("ffprobe prints the sample rate");
    ffmpeg_decoded_samples(path) as f64 / rate
}

/// `castkit validate public/feed.xml --format json` in the show's folder, with the local-media flags given.
pub(crate) fn validate_show_feed(show: &ShowDir, media: &[&str]) -> std::process::Output {
    show.castkit()
        .args(["validate", "public/feed.xml", "--format", "json"])
        .args(media)
        .output()
        .unwrap()
}

/// The (code, message) of each finding in `castkit validate --format json` output.
pub(crate) fn json_codes(out: &std::process::Output) -> Vec<(String, String)> {
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Runs a Python script on `path` that changes the file (mutagen writing a tag); fails with its errors.
pub(crate) fn python_run(script: &str, path: &Path) {
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// Every file below `dir`, sorted (the shared corpus is walked this way).
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A static file server on 127.0.0.1 (Python's `http.server`, which also answers `If-Modified-Since` with
/// `304`), stopped when dropped.
pub(crate) struct FileServer {
    child: std::process::Child,
    port: u16,
}

impl FileServer {
    /// Serves `dir` until dropped.
    pub(crate) fn serve(dir: &std::path::Path) -> FileServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the test server did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        FileServer { child, port }
    }

    /// The URL of `path` below the served folder.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The folder of the podcast-partytime reader (`package.json`, its lock file and `read.mjs`).
pub(crate) fn partytime_dir() -> PathBuf {
    repo_root().join("tests/partytime")
}

/// Whether podcast-partytime can run: `node` on the PATH and the pinned version installed by `npm ci` in
/// `tests/partytime`. Same `CASTKIT_REQUIRE_TOOLS` rule as [`have_tool`]: in CI a missing reader fails the
/// test instead of skipping it.
pub(crate) fn have_partytime() -> bool {
    if !have_tool("node") {
        return false;
    }
    let installed = partytime_dir()
        .join("node_modules/podcast-partytime/package.json")
        .is_file();
    if !installed {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "podcast-partytime is required (CASTKIT_REQUIRE_TOOLS is set) but not installed: run `npm ci` in tests/partytime"
        );
        eprintln!(
            "skipped: podcast-partytime is not installed (run `npm ci --no-audit --no-fund` in tests/partytime)"
        );
    }
    installed
}

/// The feed at `path` as podcast-partytime parses it (`tests/partytime/read.mjs`: its `FeedObject` as JSON,
/// dates as ISO 8601 strings), or `None` when the reader is missing (see [`have_partytime`]). Fails the test
/// with partytime's message when it cannot parse the feed.
pub(crate) fn partytime_read(path: &Path) -> Option<serde_json::Value> {
    if !have_partytime() {
        return None;
    }
    let out = Command::new("node")
        .arg(partytime_dir().join("read.mjs"))
        .arg(path)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "podcast-partytime could not read {}: {}",
        path.display(),
        stderr_of(&out)
    );
    Some(serde_json::from_slice(&out.stdout).expect("read.mjs prints JSON"))
}
