//! What other readers see in the tags `castkit tag` writes: eyeD3 and mutagen (and the raw bytes of the
//! frames, walked here without castkit's code) against the defects of issue 11 — WFED, version conversion,
//! ID3v1 transliteration, POPM counters, PCST in a dry run, v2.3 dates, and symbolic links.

use std::path::Path;
use std::process::Command;

use crate::support::{SHOW, ShowDir, have_python_module, python_json, stderr_of};

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A show with one episode, `media/one.mp3` (the example MP3), published on 2024-03-01 at 09:00 UTC.
fn one_episode_show() -> ShowDir {
    let show = ShowDir::new();
    show.audio("one.mp3");
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g-one\"\n"
    ));
    show
}

/// Runs `castkit tag` with `args` in `show` and checks that it succeeded; returns stdout.
fn tag(show: &ShowDir, args: &[&str]) -> String {
    let out = show.castkit().arg("tag").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    stdout_of(&out)
}

/// The frames of the ID3v2 tag at the start of `bytes`, as (id, content bytes), walked from the ID3v2.3/2.4
/// structure (<https://id3.org/id3v2.4.0-structure>): no castkit code involved.
fn raw_frames(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    assert_eq!(&bytes[..3], b"ID3", "no ID3v2 tag");
    let major = bytes[3];
    let syncsafe = |b: &[u8]| {
        b.iter()
            .fold(0usize, |n, &x| (n << 7) | usize::from(x & 0x7F))
    };
    let end = 10 + syncsafe(&bytes[6..10]);
    let mut pos = 10;
    let mut frames = Vec::new();
    while pos + 10 <= end && bytes[pos] != 0 {
        let id = String::from_utf8_lossy(&bytes[pos..pos + 4]).into_owned();
        let size = if major == 4 {
            syncsafe(&bytes[pos + 4..pos + 8])
        } else {
            u32::from_be_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize
        };
        frames.push((id, bytes[pos + 10..pos + 10 + size].to_vec()));
        pos += 10 + size;
    }
    frames
}

fn raw_frame(path: &Path, id: &str) -> Option<Vec<u8>> {
    raw_frames(&std::fs::read(path).unwrap())
        .into_iter()
        .find(|(i, _)| i == id)
        .map(|(_, data)| data)
}

/// eyeD3 on `path`: the tag's version, its frame ids, WFED's text, and every warning eyeD3's tag reader
/// logged (an "Invalid frame version" is one; its MPEG reader's are not collected).
const EYED3: &str = r#"
import io, json, logging, sys
import eyed3
log = io.StringIO()
handler = logging.StreamHandler(log)
handler.setLevel(logging.WARNING)
handler.addFilter(lambda record: not record.name.startswith("eyed3.mp3"))
logging.getLogger("eyed3").addHandler(handler)
tag = eyed3.load(sys.argv[1]).tag
wfed = tag.frame_set.get(b"WFED")
print(json.dumps({
    "version": list(tag.version),
    "frames": sorted(k.decode() for k in tag.frame_set.keys()),
    "wfed": wfed[0].text if wfed else None,
    "warnings": [line for line in log.getvalue().splitlines() if line],
}))
"#;

/// eyeD3 parses TDAT as an ISO date, so it warns about every TDAT that follows ID3v2.3 (`DDMM`, §4.2.1):
/// mutagen's TDAT gets the same warning. Here, for 1 March.
const EYED3_TDAT_WARNING: &str = "Invalid date: 0103";

/// Item 1: WFED was a URL frame, which eyeD3 and TagLib read as a text frame and lost its first character.
#[test]
fn wfed_is_the_text_frame_itunes_writes_and_eyed3_reads_the_whole_url() {
    let show = one_episode_show();
    let mp3 = show.path().join("media/one.mp3");
    tag(&show, &[]);
    // The bytes: encoding 0 (Latin-1), then the URL.
    assert_eq!(
        raw_frame(&mp3, "WFED").unwrap(),
        b"\x00https://example.com/show/feed.xml"
    );
    // castkit reads back what it wrote: a second run changes nothing.
    assert_eq!(tag(&show, &["--dry-run"]), "unchanged `media/one.mp3`\n");
    if !have_python_module("eyed3") || !have_python_module("mutagen") {
        return;
    }
    let v = python_json(EYED3, &mp3);
    assert_eq!(v["wfed"], "https://example.com/show/feed.xml");
    assert_eq!(v["warnings"], serde_json::json!([EYED3_TDAT_WARNING]));
    // mutagen models WFED as a URL frame (so it reads this one as empty); told that WFED is a text frame, as
    // TagLib and eyeD3 know it, it reads the whole URL in Latin-1.
    let script = "import json,sys,mutagen.id3\nclass WFED(mutagen.id3.TextFrame): pass\nt=mutagen.id3.ID3(sys.argv[1],known_frames=dict(mutagen.id3.Frames,WFED=WFED))\nf=t.getall('WFED')[0]\nprint(json.dumps([int(f.encoding),str(f)]))";
    assert_eq!(
        python_json(script, &mp3),
        serde_json::json!([0, "https://example.com/show/feed.xml"])
    );
}

/// Runs a Python script on `path` that changes the file (mutagen writing a tag); fails with its errors.
fn python_run(script: &str, path: &Path) {
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// Item 4: the id3 crate writes the play counter in as few bytes as its value needs (`c8 05`); ID3 says
/// "at least 32 bits". A POPM that mutagen wrote with a 4-byte counter keeps it.
#[test]
fn a_carried_over_popm_keeps_a_play_counter_of_at_least_32_bits() {
    if !have_python_module("mutagen") {
        return;
    }
    let show = one_episode_show();
    let mp3 = show.path().join("media/one.mp3");
    python_run(
        "import sys\nfrom mutagen.id3 import ID3, POPM, TIT2\nt=ID3()\nt.add(TIT2(encoding=3,text='Old'))\nt.add(POPM(email='rater@example.com',rating=200,count=5))\nt.save(sys.argv[1],v2_version=3)",
        &mp3,
    );
    let popm = b"rater@example.com\x00\xc8\x00\x00\x00\x05";
    assert_eq!(raw_frame(&mp3, "POPM").unwrap(), popm, "mutagen's own POPM");
    tag(&show, &[]);
    assert_eq!(raw_frame(&mp3, "POPM").unwrap(), popm, "castkit's POPM");
    let v = python_json(
        "import json,sys\nfrom mutagen.id3 import ID3\np=ID3(sys.argv[1]).getall('POPM')[0]\nprint(json.dumps([p.email,p.rating,p.count]))",
        &mp3,
    );
    assert_eq!(v, serde_json::json!(["rater@example.com", 200, 5]));
    assert_eq!(tag(&show, &["--dry-run"]), "unchanged `media/one.mp3`\n");
}

/// Item 5: PCST was listed as changed (`4 bytes → 4 bytes`) whenever the version changed, though its bytes
/// did not: the id3 crate remembers which version of tag an undecoded frame came from.
#[test]
fn a_dry_run_lists_pcst_only_when_its_bytes_change() {
    let show = one_episode_show();
    tag(&show, &["--id3-version", "2.4"]);
    assert_eq!(
        tag(&show, &["--dry-run", "--id3-version", "2.4"]),
        "unchanged `media/one.mp3`\n"
    );
    let listing = tag(&show, &["--dry-run", "--id3-version", "2.3"]);
    assert!(
        listing.contains("  version: `ID3v2.4` → `ID3v2.3`"),
        "{listing}"
    );
    assert!(!listing.contains("PCST"), "{listing}");
    tag(&show, &[]);
    assert_eq!(tag(&show, &["--dry-run"]), "unchanged `media/one.mp3`\n");
    // The frame is iTunes' four zero bytes.
    assert_eq!(
        raw_frame(&show.path().join("media/one.mp3"), "PCST").unwrap(),
        [0, 0, 0, 0]
    );
}

fn probed_date(show: &ShowDir) -> serde_json::Value {
    let out = show
        .castkit()
        .args(["probe", "--json", "media/one.mp3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["tags"]["id3_version"], "2.3");
    v[0]["tags"]["date"].clone()
}

/// Item 6: `probe` gave the year alone for an ID3v2.3 tag, whose date is TYER + TDAT (+ TIME).
#[test]
fn probe_reads_an_id3v23_date_from_tyer_tdat_and_time() {
    // Written by castkit: TYER and TDAT, which mutagen reads back as the catalogue's day.
    let show = one_episode_show();
    tag(&show, &[]);
    assert_eq!(probed_date(&show), "2024-03-01");
    if !have_python_module("mutagen") {
        return;
    }
    let mp3 = show.path().join("media/one.mp3");
    let frames = python_json(
        "import json,sys\nfrom mutagen.id3 import ID3\nt=ID3(sys.argv[1],translate=False)\nprint(json.dumps([str(t[k]) for k in ['TYER','TDAT']]))",
        &mp3,
    );
    assert_eq!(frames, serde_json::json!(["2024", "0103"]));
    // Written by mutagen: its ID3v2.3 conversion splits a TDRC with a time into TYER, TDAT and TIME.
    let show = one_episode_show();
    let mp3 = show.path().join("media/one.mp3");
    python_run(
        "import sys\nfrom mutagen.id3 import ID3, TDRC, TIT2\nt=ID3()\nt.add(TIT2(encoding=3,text='Old'))\nt.add(TDRC(encoding=3,text='2022-11-28T09:30'))\nt.update_to_v23()\nt.save(sys.argv[1],v2_version=3)",
        &mp3,
    );
    let frames: Vec<String> = raw_frames(&std::fs::read(&mp3).unwrap())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(
        ["TYER", "TDAT", "TIME"]
            .iter()
            .all(|id| frames.iter().any(|f| f == id)),
        "{frames:?}"
    );
    assert_eq!(probed_date(&show), "2022-11-28T09:30");
}

/// Item 3: ID3v1 fields are Latin-1, and castkit turned every other character into `?` ("How China Works
/// ? Charting the"). eyeD3 reads the ID3v1 tag alone.
#[test]
fn id3v1_fields_are_transliterated_to_latin1() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    let catalogue = SHOW
        .replace(
            "title = \"Test Show\"",
            "title = \"How China Works – Charting the Future\"",
        )
        .replace("author = \"Test Author\"", "author = \"Paweł Erdős\"");
    show.catalogue(&format!(
        "{catalogue}\n[[episode]]\ntitle = \"Łódź’s “Ősz” … café\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g\"\n"
    ));
    let mp3 = show.path().join("media/one.mp3");
    let bytes = std::fs::read(&mp3).unwrap();
    assert_eq!(
        &bytes[bytes.len() - 128..bytes.len() - 125],
        b"TAG",
        "the example MP3 ends with an ID3v1 tag, which castkit updates"
    );
    tag(&show, &[]);
    if !have_python_module("eyed3") {
        return;
    }
    let v = python_json(
        "import json,sys,eyed3,eyed3.id3\nt=eyed3.load(sys.argv[1],tag_version=eyed3.id3.ID3_V1).tag\nprint(json.dumps([t.version[0],t.title,t.artist,t.album]))",
        &mp3,
    );
    assert_eq!(
        v,
        serde_json::json!([
            1,
            "Lódz's \"Osz\" ... café",
            "Pawel Erdos",
            // 30 bytes.
            "How China Works - Charting the"
        ])
    );
}

/// Item 7: media kept on another disk and linked into the show. The rename used to replace the link with a
/// tagged regular file, leaving the real file untagged.
#[cfg(unix)]
#[test]
fn tagging_through_a_symbolic_link_tags_its_target_and_keeps_the_link() {
    let show = one_episode_show();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("real.mp3");
    let link = show.path().join("media/one.mp3");
    std::fs::rename(&link, &real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let untouched_len = std::fs::metadata(&real).unwrap().len();

    let listing = tag(&show, &[]);
    assert!(
        listing.starts_with("tagged    `media/one.mp3`"),
        "{listing}"
    );
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(&link).unwrap(), real);
    assert_ne!(std::fs::metadata(&real).unwrap().len(), untouched_len);
    assert!(
        raw_frame(&real, "TIT2").is_some(),
        "the target has the new tag"
    );
    let leftovers: Vec<_> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["real.mp3"]);
    assert!(show.temp_leftovers().is_empty());
    assert_eq!(tag(&show, &["--dry-run"]), "unchanged `media/one.mp3`\n");
    if have_python_module("mutagen") {
        let v = python_json(
            "import json,sys\nfrom mutagen.id3 import ID3\nprint(json.dumps(str(ID3(sys.argv[1])['TIT2'])))",
            &real,
        );
        assert_eq!(v, "One");
    }
}

/// Item 7: opening a FIFO waits for a writer, so tagging one used to hang. It is refused, quickly, and named.
#[cfg(unix)]
#[test]
fn a_fifo_given_as_audio_is_refused_without_hanging() {
    let show = one_episode_show();
    let fifo = show.path().join("media/one.mp3");
    std::fs::remove_file(&fifo).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let out = show
        .castkit()
        .arg("tag")
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "castkit tag hung on a FIFO"
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    // The catalogue refuses it first (only regular files count as audio); `write_tags` itself refuses a FIFO
    // too (`src/audio/id3/tests.rs`), for callers of the library.
    let err = stderr_of(&out);
    assert!(err.contains("`media/one.mp3`"), "{err}");
}
