//! What other readers see in the tags `castkit tag` writes: eyeD3 and mutagen (and the raw bytes of the
//! frames, walked here without castkit's code) against the defects of issue 11 — WFED, version conversion,
//! ID3v1 transliteration, POPM counters, PCST in a dry run, v2.3 dates, and symbolic links.

use std::path::Path;
use std::process::Command;

use crate::support::{SHOW, ShowDir, have_python_module, python_json, python_run, stderr_of};

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
    assert!(
        err.contains("is a named pipe (FIFO)") && !err.contains("did you mean"),
        "the finding says what the path is, not that it is missing: {err}"
    );
}

/// mutagen, reading the tag as it is in the file (no conversion of its own): the version, each frame's id
/// with the text encoding of each copy (`null` for frames without one), the same inside chapters and the
/// table of contents, and the ids of the frames mutagen does not know.
const MUTAGEN_FRAMES: &str = r#"
import json, sys
from mutagen.id3 import ID3
t = ID3(sys.argv[1], translate=False)
def encodings(frames):
    out = {}
    for f in frames:
        e = getattr(f, "encoding", None)
        out.setdefault(f.FrameID, []).append(None if e is None else int(e))
    return out
print(json.dumps({
    "version": t.version[1],
    "frames": encodings(t.values()),
    "sub_frames": encodings(s for c in t.getall("CHAP") + t.getall("CTOC") for s in c.sub_frames.values()),
    "unknown": sorted(f[:4].decode("latin1") for f in t.unknown_frames),
    "people": [p for f in t.getall("IPLS") + t.getall("TIPL") for p in f.people],
    "txxx": [str(f) for f in t.getall("TXXX")],
    "original": [str(f) for f in t.getall("TORY") + t.getall("TDOR")],
}))
"#;

/// Every text encoding in a [`MUTAGEN_FRAMES`] frame map.
fn encodings_of(frames: &serde_json::Value) -> Vec<i64> {
    frames
        .as_object()
        .unwrap()
        .values()
        .flat_map(|e| e.as_array().unwrap().iter().filter_map(|e| e.as_i64()))
        .collect()
}

fn ids_of(frames: &serde_json::Value) -> Vec<&str> {
    frames
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

/// Item 2, ID3v2.4 → 2.3: frames that ID3v2.3 lacks used to be copied (TXXX in UTF-8, RVA2, TMOO, TDRL);
/// eyeD3 said "Invalid frame version" and dropped RVA2. Now each is converted or dropped, and `--dry-run`
/// says which and why.
#[test]
fn converting_to_id3v23_leaves_only_id3v23_frames_and_encodings() {
    if !have_python_module("mutagen") || !have_python_module("eyed3") {
        return;
    }
    let show = one_episode_show();
    let mp3 = show.path().join("media/one.mp3");
    python_run(
        r#"
import sys
import mutagen.id3 as m
t = m.ID3()
t.add(m.TIT2(encoding=3, text="Old"))
t.add(m.TXXX(encoding=3, desc="REPLAYGAIN_TRACK_GAIN", text="-6.20 dB ü"))
t.add(m.RVA2(desc="track", channel=1, gain=-6.2, peak=0.9))
t.add(m.TMOO(encoding=3, text="Calm"))
t.add(m.TDRL(encoding=3, text="2020-01-02"))
t.add(m.TDRC(encoding=3, text="2022-11-28T09:30"))
t.add(m.TDOR(encoding=3, text="2019-03-05"))
t.add(m.TSOA(encoding=3, text="Sort album"))
t.add(m.TIPL(encoding=3, people=[["producer", "Ann"]]))
t.add(m.TMCL(encoding=3, people=[["piano", "Bob"]]))
t.add(m.COMM(encoding=3, lang="eng", desc="note", text="ünïcode comment"))
t.add(m.USLT(encoding=3, lang="eng", desc="", text="lyrics ü"))
t.add(m.CHAP(element_id="c1", start_time=0, end_time=1000, sub_frames=[
    m.TIT2(encoding=3, text="Chapter ü"), m.TXXX(encoding=3, desc="x", text="y ü"), m.TMOO(encoding=3, text="Sad")]))
t.add(m.CTOC(element_id="toc", flags=3, child_element_ids=["c1"], sub_frames=[m.TIT2(encoding=3, text="Contents")]))
t.save(sys.argv[1], v2_version=4)
"#,
        &mp3,
    );
    let before = python_json(MUTAGEN_FRAMES, &mp3);
    assert_eq!(before["version"], 4);
    assert!(encodings_of(&before["frames"]).contains(&3), "{before}");

    let listing = tag(&show, &["--dry-run", "--id3-version", "2.3"]);
    for line in [
        "  version: `ID3v2.4` → `ID3v2.3`",
        "  TMOO: `Calm` → `dropped: ID3v2.3 has no mood frame`",
        "  TDRL: `2020-01-02` → `dropped: ID3v2.3 has no release time",
        "  RVA2: ",
        "→ `dropped: RVA2 gives decibels, ID3v2.3's RVAD values of no defined unit: no exact conversion",
        "  TDOR: `2019-03-05` → `in ID3v2.3: TORY 2019, XDOR 2019-03-05`",
        "  TSOA: `Sort album` → `in ID3v2.3: XSOA`",
        "  TIPL: `producer: Ann` → `in ID3v2.3: IPLS piano: Bob / producer: Ann`",
        "  TXXX: `REPLAYGAIN_TRACK_GAIN: -6.20 dB ü` → `re-encoded from UTF-8 to UTF-16: ID3v2.3 allows only Latin-1 and UTF-16`",
        "  CHAP c1 TMOO: `Sad` → `dropped: ID3v2.3 has no mood frame`",
        "  CHAP c1 TXXX: `x: y ü` → `re-encoded from UTF-8 to UTF-16",
    ] {
        assert!(listing.contains(line), "no `{line}` in:\n{listing}");
    }
    tag(&show, &["--id3-version", "2.3"]);
    assert_eq!(tag(&show, &["--dry-run"]), "unchanged `media/one.mp3`\n");

    let after = python_json(MUTAGEN_FRAMES, &mp3);
    assert_eq!(after["version"], 3);
    for id in ids_of(&after["frames"])
        .into_iter()
        .chain(ids_of(&after["sub_frames"]))
    {
        assert!(
            ![
                "RVA2", "TMOO", "TDRL", "TDRC", "TDOR", "TSOA", "TIPL", "TMCL", "TDEN", "TDTG",
                "TPRO", "TSST", "EQU2", "ASPI", "SEEK", "SIGN"
            ]
            .contains(&id),
            "`{id}` is not an ID3v2.3 frame: {after}"
        );
    }
    // Latin-1 or UTF-16 with a BOM, never UTF-8 (3) or UTF-16BE (2): TXXX, COMM, USLT and sub-frames too.
    for e in encodings_of(&after["frames"])
        .into_iter()
        .chain(encodings_of(&after["sub_frames"]))
    {
        assert!(e == 0 || e == 1, "encoding {e} in an ID3v2.3 tag: {after}");
    }
    assert_eq!(after["txxx"], serde_json::json!(["-6.20 dB ü"]));
    assert_eq!(after["original"], serde_json::json!(["2019"]));
    assert_eq!(
        after["people"],
        serde_json::json!([["piano", "Bob"], ["producer", "Ann"]])
    );
    assert_eq!(after["unknown"], serde_json::json!(["XDOR", "XSOA"]));
    assert!(ids_of(&after["sub_frames"]).contains(&"TXXX"));

    let eyed3 = python_json(EYED3, &mp3);
    assert_eq!(eyed3["version"], serde_json::json!([2, 3, 0]));
    let warnings = eyed3["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .all(|w| !w.as_str().unwrap().contains("version")),
        "{warnings:?}"
    );
    for id in [
        "XSOA", "XDOR", "TORY", "TXXX", "COMM", "USLT", "CHAP", "CTOC",
    ] {
        assert!(
            eyed3["frames"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(id)),
            "eyeD3 lost `{id}`: {eyed3}"
        );
    }
}

/// Item 2, ID3v2.3 → 2.4: TSIZ, TRDA and RVAD used to be copied into the ID3v2.4 tag (eyeD3: "Invalid v2.4
/// frame: RVAD"); TORY and IPLS are ID3v2.4's TDOR and TIPL.
#[test]
fn converting_to_id3v24_leaves_only_id3v24_frames() {
    if !have_python_module("mutagen") || !have_python_module("eyed3") {
        return;
    }
    let show = one_episode_show();
    let mp3 = show.path().join("media/one.mp3");
    python_run(
        r#"
import sys
import mutagen.id3 as m
t = m.ID3()
t.add(m.TIT2(encoding=1, text="Old"))
t.add(m.TSIZ(encoding=0, text="123456"))
t.add(m.TRDA(encoding=0, text="4th-7th June"))
t.add(m.RVAD(adjustments=[-512, -512], peaks=[0, 0]))
t.add(m.TYER(encoding=0, text="2022"))
t.add(m.TDAT(encoding=0, text="2811"))
t.add(m.TIME(encoding=0, text="0930"))
t.add(m.TORY(encoding=0, text="2019"))
t.add(m.IPLS(encoding=1, people=[["producer", "Ann"]]))
t.add(m.TXXX(encoding=0, desc="REPLAYGAIN_TRACK_GAIN", text="-6.20 dB"))
t.save(sys.argv[1], v2_version=3)
"#,
        &mp3,
    );
    let before = python_json(MUTAGEN_FRAMES, &mp3);
    assert_eq!(before["version"], 3);
    for id in [
        "TSIZ", "TRDA", "RVAD", "TYER", "TDAT", "TIME", "TORY", "IPLS",
    ] {
        assert!(ids_of(&before["frames"]).contains(&id), "{before}");
    }

    let listing = tag(&show, &["--dry-run", "--id3-version", "2.4"]);
    for line in [
        "  version: `ID3v2.3` → `ID3v2.4`",
        "  TSIZ: `123456` → `dropped: ID3v2.4 removed TSIZ",
        "  TRDA: `4th-7th June` → `dropped: ID3v2.4 has no free-form recording dates",
        "→ `dropped: ID3v2.3 defines no unit for RVAD's values",
        "  TORY: `2019` → `in ID3v2.4: TDOR 2019`",
        "  IPLS: `producer: Ann` → `in ID3v2.4: TIPL producer: Ann`",
    ] {
        assert!(listing.contains(line), "no `{line}` in:\n{listing}");
    }
    tag(&show, &["--id3-version", "2.4"]);
    assert_eq!(
        tag(&show, &["--dry-run", "--id3-version", "2.4"]),
        "unchanged `media/one.mp3`\n"
    );

    let after = python_json(MUTAGEN_FRAMES, &mp3);
    assert_eq!(after["version"], 4);
    for id in ids_of(&after["frames"]) {
        assert!(
            ![
                "TSIZ", "TRDA", "RVAD", "EQUA", "TYER", "TDAT", "TIME", "TORY", "IPLS"
            ]
            .contains(&id),
            "`{id}` is not an ID3v2.4 frame: {after}"
        );
    }
    assert_eq!(after["original"], serde_json::json!(["2019"]));
    assert_eq!(after["people"], serde_json::json!([["producer", "Ann"]]));
    assert_eq!(after["txxx"], serde_json::json!(["-6.20 dB"]));
    let eyed3 = python_json(EYED3, &mp3);
    assert_eq!(eyed3["version"], serde_json::json!([2, 4, 0]));
    assert_eq!(eyed3["warnings"], serde_json::json!([]));
}
