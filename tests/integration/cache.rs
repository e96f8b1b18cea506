//! The per-show probe store (`.castkit/`): what a warm build reads, what damage and concurrency do to it,
//! `--no-cache`, `CASTKIT_CACHE_DIR`, and git. Whether castkit opens a file is observed from the kernel
//! (inotify `IN_OPEN` events), not from anything castkit says.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{SHOW, ShowDir, ffmpeg_decoded_seconds, have_tool, stderr_of};

/// A show with `episodes` episodes, each with its own copy of the example MP3 (`media/eN.mp3`) and a guid
/// (so no build writes the catalogue).
fn show(episodes: usize) -> ShowDir {
    let show = ShowDir::new();
    let mut catalogue = SHOW.to_owned();
    for n in 1..=episodes {
        show.audio(&format!("e{n}.mp3"));
        catalogue.push_str(&format!(
            "\n[[episode]]\ntitle = \"Episode {n}\"\naudio = \"media/e{n}.mp3\"\npublished = 2024-03-{n:02}T09:00:00Z\nguid = \"guid-{n}\"\n"
        ));
    }
    show.catalogue(&catalogue);
    show
}

/// `castkit` in the show's folder with the probe store at its default place (`.castkit/` beside the
/// catalogue), not where the other tests keep theirs.
pub(crate) fn castkit(show: &ShowDir) -> assert_cmd::Command {
    let mut cmd = show.castkit();
    cmd.env_remove("CASTKIT_CACHE_DIR");
    cmd
}

/// Builds the feed (with extra `args`) and returns it.
pub(crate) fn build(show: &ShowDir, args: &[&str]) -> String {
    let out = castkit(show)
        .args(["build-feed", "--locked", "--now", "2025-01-01T00:00:00Z"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    show.feed().expect("the feed is written")
}

/// The feed a build with `--no-cache` writes (every file probed), at `public/reference.xml`.
fn reference_feed(show: &ShowDir) -> String {
    let out = castkit(show)
        .args(["build-feed", "--locked", "--now", "2025-01-01T00:00:00Z"])
        .args(["--no-cache", "--out", "public/reference.xml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    std::fs::read_to_string(show.path().join("public/reference.xml")).unwrap()
}

fn store_file(show: &ShowDir) -> PathBuf {
    show.path().join(".castkit/probe-store")
}

/// Rewrites `path` in place with `bytes` and puts its modification time back: only the status-change time
/// (and, if the bytes differ, the content) tells that it was written.
fn rewrite_keeping_mtime(path: &Path, bytes: &[u8]) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(path, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(
        std::fs::metadata(path).unwrap().modified().unwrap(),
        modified
    );
}

/// The names of files opened in a folder, as the kernel reports them (inotify `IN_OPEN`), from the moment
/// the watch starts. Linux only.
#[cfg(target_os = "linux")]
pub(crate) struct Opens {
    fd: std::os::fd::OwnedFd,
}

#[cfg(target_os = "linux")]
impl Opens {
    pub(crate) fn watch(dir: &Path) -> Opens {
        use std::os::fd::FromRawFd;
        use std::os::unix::ffi::OsStrExt;
        // SAFETY: plain system calls; the descriptor is owned from here on, the path is NUL-terminated.
        unsafe {
            let raw = libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC);
            assert!(
                raw >= 0,
                "inotify_init1: {}",
                std::io::Error::last_os_error()
            );
            let fd = std::os::fd::OwnedFd::from_raw_fd(raw);
            let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).unwrap();
            let wd = libc::inotify_add_watch(raw, path.as_ptr(), libc::IN_OPEN);
            assert!(
                wd >= 0,
                "inotify_add_watch: {}",
                std::io::Error::last_os_error()
            );
            Opens { fd }
        }
    }

    /// Every file opened since the last call (the folder's own listing left out).
    pub(crate) fn take(&self) -> Vec<String> {
        use std::os::fd::AsRawFd;
        let mut names = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            // SAFETY: reads into a buffer of the length given.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                break;
            }
            let mut at = 0;
            let header = std::mem::size_of::<libc::inotify_event>();
            while at + header <= n as usize {
                // SAFETY: the kernel wrote whole events; read_unaligned copes with any alignment.
                let event: libc::inotify_event =
                    unsafe { std::ptr::read_unaligned(buf[at..].as_ptr().cast()) };
                let name = &buf[at + header..at + header + event.len as usize];
                let name = name.split(|b| *b == 0).next().unwrap_or_default();
                if !name.is_empty() && event.mask & libc::IN_ISDIR == 0 {
                    names.push(String::from_utf8_lossy(name).into_owned());
                }
                at += header + event.len as usize;
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_warm_build_opens_no_audio_and_a_rewritten_file_is_probed_again() {
    let show = show(3);
    let cold = build(&show, &[]);
    assert!(store_file(&show).is_file());
    let opens = Opens::watch(&show.path().join("media"));
    let warm = build(&show, &[]);
    assert_eq!(warm, cold);
    let opened: Vec<String> = opens
        .take()
        .into_iter()
        .filter(|n| n.ends_with(".mp3"))
        .collect();
    assert!(opened.is_empty(), "a warm build opened {opened:?}");
    // The same bytes written again, the modification time restored: only the status-change time differs,
    // and that file (only that one) is probed again.
    let e2 = show.path().join("media/e2.mp3");
    rewrite_keeping_mtime(&e2, &std::fs::read(&e2).unwrap());
    opens.take();
    assert_eq!(build(&show, &[]), cold);
    let opened: Vec<String> = opens
        .take()
        .into_iter()
        .filter(|n| n.ends_with(".mp3"))
        .collect();
    assert_eq!(opened, ["e2.mp3"]);
    // `validate --catalogue` reads the show's store too.
    let out = castkit(&show)
        .args([
            "validate",
            "public/feed.xml",
            "--catalogue",
            "episodes.toml",
        ])
        .args(["--now", "2025-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let opened: Vec<String> = opens
        .take()
        .into_iter()
        .filter(|n| n.ends_with(".mp3"))
        .collect();
    assert!(opened.is_empty(), "validate opened {opened:?}");
}

/// The `itunes:duration` and enclosure length of the item whose guid is `guid`.
fn item_facts(feed: &str, guid: &str) -> (u64, u64) {
    let doc = roxmltree::Document::parse(feed).unwrap();
    let item = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .find(|item| {
            item.children()
                .any(|c| c.has_tag_name("guid") && c.text() == Some(guid))
        })
        .unwrap();
    let duration = item
        .children()
        .find(|c| c.tag_name().name() == "duration")
        .and_then(|c| c.text())
        .unwrap()
        .parse()
        .unwrap();
    let length = item
        .children()
        .find(|c| c.has_tag_name("enclosure"))
        .and_then(|c| c.attribute("length"))
        .unwrap()
        .parse()
        .unwrap();
    (duration, length)
}

#[test]
fn a_file_replaced_with_other_audio_under_the_old_time_is_measured_anew() {
    if !(have_tool("ffmpeg") && have_tool("ffprobe")) {
        return;
    }
    let show = show(2);
    let before = build(&show, &[]);
    let other = show.path().join("other.mp3");
    let made = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=7",
        ])
        .args(["-c:a", "libmp3lame", "-b:a", "64k"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr_of(&made));
    let e1 = show.path().join("media/e1.mp3");
    rewrite_keeping_mtime(&e1, &std::fs::read(&other).unwrap());
    let after = build(&show, &[]);
    assert_ne!(after, before);
    assert_eq!(after, reference_feed(&show));
    let (duration, length) = item_facts(&after, "guid-1");
    assert_eq!(length, std::fs::metadata(&e1).unwrap().len());
    let decoded = ffmpeg_decoded_seconds(&e1);
    assert_eq!(
        duration,
        decoded.round() as u64,
        "ffmpeg decodes {decoded} s"
    );
    // The other episode is untouched.
    assert_eq!(item_facts(&after, "guid-2"), item_facts(&before, "guid-2"));
}

#[test]
fn a_truncated_or_bit_flipped_store_is_never_trusted_and_is_rebuilt() {
    let show = show(2);
    let reference = reference_feed(&show);
    assert_eq!(build(&show, &[]), reference);
    let pristine = std::fs::read(store_file(&show)).unwrap();
    // Cut in the middle of the last record, and flips spread over the records (a flip in a duration, a
    // size or a tag would change the feed if a damaged record were used).
    let mut damaged: Vec<Vec<u8>> = vec![pristine[..pristine.len() - 5].to_vec()];
    for at in (pristine.len() / 3..pristine.len()).step_by(23) {
        let mut bytes = pristine.clone();
        bytes[at] ^= 0x04;
        damaged.push(bytes);
    }
    for bytes in damaged {
        std::fs::write(store_file(&show), &bytes).unwrap();
        assert_eq!(build(&show, &[]), reference);
        // Rebuilt: the store is not left damaged; a build now finds every file in it.
        let repaired = std::fs::read(store_file(&show)).unwrap();
        assert_ne!(repaired, bytes);
    }
    // The last repair left a whole store: a build now opens no audio.
    #[cfg(target_os = "linux")]
    {
        let opens = Opens::watch(&show.path().join("media"));
        assert_eq!(build(&show, &[]), reference);
        let opened: Vec<String> = opens
            .take()
            .into_iter()
            .filter(|n| n.ends_with(".mp3"))
            .collect();
        assert!(
            opened.is_empty(),
            "after the repair, a build opened {opened:?}"
        );
    }
    // Garbage (not a store at all) is replaced too.
    std::fs::write(store_file(&show), b"not a store").unwrap();
    assert_eq!(build(&show, &[]), reference);
    assert!(
        std::fs::read(store_file(&show))
            .unwrap()
            .starts_with(b"castkit probe store")
    );
}

#[test]
fn two_builds_of_the_same_show_at_once_both_succeed_with_identical_feeds() {
    let show = show(24);
    let binary = assert_cmd::cargo::cargo_bin("castkit");
    for round in 0..4 {
        if round % 2 == 0 {
            // Cold: both probe every file and save at about the same moment.
            let _ = std::fs::remove_dir_all(show.path().join(".castkit"));
        }
        let runs: Vec<std::process::Child> = ["public/a.xml", "public/b.xml"]
            .iter()
            .map(|out| {
                Command::new(&binary)
                    .current_dir(show.path())
                    .env_remove("CASTKIT_CACHE_DIR")
                    .args(["build-feed", "--locked", "--now", "2025-01-01T00:00:00Z"])
                    .args(["--out", out])
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr_of(&out));
        }
        let a = std::fs::read_to_string(show.path().join("public/a.xml")).unwrap();
        let b = std::fs::read_to_string(show.path().join("public/b.xml")).unwrap();
        assert_eq!(a, b, "round {round}");
        assert_eq!(a, reference_feed(&show), "round {round}");
    }
}

#[test]
fn no_cache_reads_and_writes_no_store() {
    let show = show(2);
    reference_feed(&show);
    let out = castkit(&show)
        .args(["tag", "--dry-run", "--no-cache"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = castkit(&show)
        .args([
            "validate",
            "public/reference.xml",
            "--catalogue",
            "episodes.toml",
        ])
        .args(["--now", "2025-01-01T00:00:00Z", "--no-cache"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        !show.path().join(".castkit").exists(),
        "--no-cache wrote a store"
    );
    // With a store present (and damaged, so any use would rewrite it), `--no-cache` leaves it alone.
    build(&show, &[]);
    let mut bytes = std::fs::read(store_file(&show)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(store_file(&show), &bytes).unwrap();
    #[cfg(target_os = "linux")]
    let opens = Opens::watch(&show.path().join(".castkit"));
    reference_feed(&show);
    #[cfg(target_os = "linux")]
    assert_eq!(
        opens.take(),
        Vec::<String>::new(),
        "--no-cache opened the store"
    );
    assert_eq!(std::fs::read(store_file(&show)).unwrap(), bytes);
}

#[test]
fn castkit_cache_dir_moves_the_store_out_of_the_show_and_off_keeps_none() {
    let show = show(1);
    let caches = tempfile::tempdir().unwrap();
    let out = show
        .castkit()
        .env("CASTKIT_CACHE_DIR", caches.path())
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!show.path().join(".castkit").exists());
    let stores: Vec<_> = std::fs::read_dir(caches.path().join("probe"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stores.len(), 1, "{stores:?}");
    assert!(stores[0].join("probe-store").is_file());
    let out = show
        .castkit()
        .env("CASTKIT_CACHE_DIR", "off")
        .args(["build-feed", "--locked"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!show.path().join(".castkit").exists());
}

#[test]
fn git_ignores_the_store_folder_without_any_setup() {
    if !have_tool("git") {
        return;
    }
    let show = show(2);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(show.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr_of(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    build(&show, &[]);
    assert!(show.path().join(".castkit/.gitignore").is_file());
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "show"]);
    let tracked = git(&["ls-files"]);
    assert!(!tracked.contains(".castkit"), "{tracked}");
    // A later build that adds to the store (one file rewritten, same bytes) leaves the work tree clean.
    let e1 = show.path().join("media/e1.mp3");
    rewrite_keeping_mtime(&e1, &std::fs::read(&e1).unwrap());
    let store_before = std::fs::read(store_file(&show)).unwrap();
    build(&show, &[]);
    assert_ne!(std::fs::read(store_file(&show)).unwrap(), store_before);
    assert_eq!(git(&["status", "--porcelain"]), "");
}
