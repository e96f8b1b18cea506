//! The tag engine against independent readers (the id3 crate's reader, mutagen, ffprobe) and against every
//! way a write can go wrong.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use id3::frame::{PictureType, Unknown};
use id3::{Content, Frame, TagLike, Version};

use super::diff::fnv1a;
use super::frames::picture_frame;
use super::locate::syncsafe;
use super::*;
use crate::fsutil::Step;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audio")).join(name)
}

/// A copy of a fixture in a fresh temporary folder.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episode.mp3");
    std::fs::copy(fixture(name), &path).unwrap();
    (dir, path)
}

/// The audio region of an MP3: the bytes between the leading ID3v2 tag and a trailing ID3v1 tag, hashed.
fn audio_hash(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap();
    let start = if bytes.starts_with(b"ID3") {
        let size = syncsafe(&bytes[6..10]).unwrap() as usize;
        10 + size + if bytes[5] & 0x10 != 0 { 10 } else { 0 }
    } else {
        0
    };
    let end = if bytes.len() >= 128 && &bytes[bytes.len() - 128..bytes.len() - 125] == b"TAG" {
        bytes.len() - 128
    } else {
        bytes.len()
    };
    fnv1a(&bytes[start..end])
}

fn cover(len: usize) -> Picture {
    // Real JPEG magic, then pseudo-random bytes: readers treat it as an opaque blob.
    let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0];
    let mut x: u32 = 12345;
    data.extend((0..len).map(|_| {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (x >> 16) as u8
    }));
    Picture {
        mime: "image/jpeg".to_owned(),
        data,
        description: "Cover".to_owned(),
    }
}

fn wanted() -> EpisodeTags {
    EpisodeTags {
        title: "What are the goals of rural revitalization? 乡村振兴 🎙️".to_owned(),
        artist: Some("Shen Ting".to_owned()),
        album: Some("How China Works – Charting the Future".to_owned()),
        album_artist: Some("CGTN".to_owned()),
        track: Some(4),
        season: Some(5),
        date: chrono::NaiveDate::from_ymd_opt(2022, 11, 28),
        genre: "Podcast".to_owned(),
        description: Some("Rural revitalization is a major strategy.".to_owned()),
        cover: Some(cover(5_000)),
        link: Some("https://example.com/episodes/5-4".to_owned()),
        feed_url: Some("https://example.com/feed.xml".to_owned()),
        podcast: true,
        guid: Some("da96e888-534c-476e-8734-5e5ddf428021".to_owned()),
        copyright: Some("© 2022 CGTN".to_owned()),
        language: Some("en-us".to_owned()),
        length_ms: Some(3000),
        keywords: vec!["china".to_owned(), "rural".to_owned()],
        chapters: vec![
            ChapterTag {
                start_ms: 0,
                end_ms: 1000,
                title: "Intro".to_owned(),
                url: None,
                image: None,
                hidden: false,
            },
            ChapterTag {
                start_ms: 1000,
                end_ms: 2000,
                title: "Sponsor".to_owned(),
                url: None,
                image: None,
                hidden: true,
            },
            ChapterTag {
                start_ms: 2000,
                end_ms: 3000,
                title: "Main part".to_owned(),
                url: Some("https://example.com/main".to_owned()),
                image: Some(cover(300)),
                hidden: false,
            },
        ],
    }
}

/// The raw bytes of a frame the id3 crate does not decode.
fn unknown_data(tag: &id3::Tag, id: &str) -> Option<Vec<u8>> {
    match tag.get(id)?.content() {
        Content::Unknown(u) => Some(u.data.clone()),
        _ => None,
    }
}

fn text<'a>(tag: &'a id3::Tag, id: &str) -> Option<&'a str> {
    tag.get(id).and_then(|f| f.content().text())
}

/// Runs a Python script (mutagen, the independent reader) on `path` and returns what it prints; fails the
/// test with Python's error output when the script fails.
fn python(script: &str, path: &Path) -> String {
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
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether an external tool is there; under `CASTKIT_REQUIRE_TOOLS` (set by CI) its absence is a failure, so
/// an independent check can never silently not run.
fn have(program: &str, args: &[&str]) -> bool {
    let found = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "`{program} {}` is required (CASTKIT_REQUIRE_TOOLS is set)",
            args.join(" ")
        );
        eprintln!("skipped: `{program} {}` is not available", args.join(" "));
    }
    found
}

#[test]
fn a_fresh_file_gets_every_frame_and_its_audio_is_untouched() {
    let (_dir, path) = copy("cbr64-info.mp3");
    let before = audio_hash(&path);
    let outcome = write_tags(&path, &wanted(), &TagOptions::default()).unwrap();
    assert!(matches!(outcome, TagOutcome::Written { .. }));
    assert_eq!(audio_hash(&path), before, "the audio bytes changed");

    let tag = id3::Tag::read_from_path(&path).unwrap();
    assert_eq!(tag.version(), Version::Id3v23);
    let w = wanted();
    assert_eq!(text(&tag, "TIT2"), Some(w.title.as_str()));
    assert_eq!(text(&tag, "TPE1"), Some("Shen Ting"));
    assert_eq!(
        text(&tag, "TALB"),
        Some("How China Works – Charting the Future")
    );
    assert_eq!(text(&tag, "TPE2"), Some("CGTN"));
    assert_eq!(text(&tag, "TRCK"), Some("4"));
    assert_eq!(text(&tag, "TPOS"), Some("5"));
    assert_eq!(text(&tag, "TYER"), Some("2022"));
    assert_eq!(text(&tag, "TDAT"), Some("2811"));
    assert!(tag.get("TDRC").is_none(), "TDRC is an ID3v2.4 frame");
    assert_eq!(text(&tag, "TCON"), Some("Podcast"));
    assert_eq!(
        text(&tag, "TDES"),
        Some("Rural revitalization is a major strategy.")
    );
    let comment = tag.comments().next().unwrap();
    assert_eq!(
        (comment.lang.as_str(), comment.text.as_str()),
        ("eng", "Rural revitalization is a major strategy.")
    );
    let picture = tag.pictures().next().unwrap();
    assert_eq!(picture.picture_type, PictureType::CoverFront);
    assert_eq!(picture.data, w.cover.as_ref().unwrap().data);
    assert_eq!(
        tag.get("WOAF").unwrap().content().link(),
        Some("https://example.com/episodes/5-4")
    );
    // WFED as iTunes writes it, a text frame: encoding byte 0 (Latin-1), then the URL.
    assert_eq!(
        tag.get("WFED").unwrap().content().link(),
        Some("\0https://example.com/feed.xml")
    );
    assert_eq!(unknown_data(&tag, "PCST"), Some(vec![0, 0, 0, 0]));
    assert_eq!(
        text(&tag, "TGID"),
        Some("da96e888-534c-476e-8734-5e5ddf428021")
    );
    assert_eq!(text(&tag, "TCOP"), Some("© 2022 CGTN"));
    assert_eq!(text(&tag, "TLAN"), Some("eng"));
    assert_eq!(text(&tag, "TLEN"), Some("3000"));
    assert_eq!(text(&tag, "TKWD"), Some("china,rural"));
    let chapters: Vec<&id3::frame::Chapter> = tag.chapters().collect();
    assert_eq!(chapters.len(), 3);
    assert_eq!((chapters[2].start_time, chapters[2].end_time), (2000, 3000));
    let toc = tag.tables_of_contents().next().unwrap();
    assert!(toc.top_level && toc.ordered);
    assert_eq!(
        toc.elements,
        ["chp0", "chp2"],
        "the hidden chapter is not listed"
    );
}

#[test]
fn re_running_on_an_unchanged_file_does_not_touch_it() {
    let (_dir, path) = copy("vbr-xing.mp3");
    write_tags(&path, &wanted(), &TagOptions::default()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(
        write_tags(&path, &wanted(), &TagOptions::default()).unwrap(),
        TagOutcome::Unchanged
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    // The same in ID3v2.4.
    let v24 = TagOptions {
        version: Id3Version::V24,
        ..TagOptions::default()
    };
    write_tags(&path, &wanted(), &v24).unwrap();
    assert_eq!(
        write_tags(&path, &wanted(), &v24).unwrap(),
        TagOutcome::Unchanged
    );
}

#[test]
fn a_dry_run_lists_each_change_and_writes_nothing() {
    let (_dir, path) = copy("id3v23-cover.mp3");
    let before = std::fs::read(&path).unwrap();
    let mut w = wanted();
    w.chapters.clear();
    let options = TagOptions {
        dry_run: true,
        ..TagOptions::default()
    };
    let TagOutcome::WouldWrite { changes } = write_tags(&path, &w, &options).unwrap() else {
        panic!("expected a dry run");
    };
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let title = changes.iter().find(|c| c.frame == "TIT2").unwrap();
    assert_eq!(title.old.as_deref(), Some("Tagged v2.3"));
    assert_eq!(title.new.as_deref(), Some(w.title.as_str()));
    let genre = changes.iter().any(|c| c.frame == "TCON");
    assert!(!genre, "TCON already says Podcast: {changes:?}");
    let cover = changes.iter().find(|c| c.frame == "APIC").unwrap();
    assert!(cover.old.as_ref().unwrap().contains("image/jpeg"));
}

#[test]
fn frames_castkit_does_not_manage_are_kept() {
    let (_dir, path) = copy("cbr64-noheader.mp3");
    // A tag as an editor might leave it: replay gain in TXXX, a private frame, an unknown frame, lyrics.
    let mut tag = id3::Tag::with_version(Version::Id3v24);
    tag.set_title("Old title");
    tag.add_frame(id3::frame::ExtendedText {
        description: "REPLAYGAIN_TRACK_GAIN".to_owned(),
        value: "-6.20 dB".to_owned(),
    });
    tag.add_frame(id3::frame::Private {
        owner_identifier: "com.example.editor".to_owned(),
        private_data: vec![1, 2, 3],
    });
    tag.add_frame(Frame::with_content(
        "XYZW",
        Content::Unknown(Unknown {
            data: vec![9, 8, 7],
            version: Version::Id3v24,
        }),
    ));
    tag.add_frame(id3::frame::Lyrics {
        lang: "eng".to_owned(),
        description: String::new(),
        text: "La la".to_owned(),
    });
    tag.add_frame(Frame::text("TDOR", "2020"));
    tag.write_to_path(&path, Version::Id3v24).unwrap();
    let before = audio_hash(&path);

    write_tags(&path, &wanted(), &TagOptions::default()).unwrap();
    assert_eq!(audio_hash(&path), before);
    let tag = id3::Tag::read_from_path(&path).unwrap();
    assert_eq!(tag.version(), Version::Id3v23);
    assert_eq!(tag.extended_texts().next().unwrap().value, "-6.20 dB");
    let private = match tag.get("PRIV").map(|f| f.content()) {
        Some(Content::Private(p)) => p.private_data.clone(),
        other => panic!("PRIV: {other:?}"),
    };
    assert_eq!(private, vec![1, 2, 3]);
    assert_eq!(unknown_data(&tag, "XYZW"), Some(vec![9, 8, 7]));
    assert_eq!(tag.lyrics().next().unwrap().text, "La la");
    assert_eq!(
        text(&tag, "TORY"),
        Some("2020"),
        "TDOR becomes ID3v2.3's TORY"
    );
    assert_eq!(text(&tag, "TIT2"), Some(wanted().title.as_str()));
}

#[test]
fn id3v22_tags_are_converted_and_their_frames_kept() {
    let (_dir, path) = copy("cbr64-noheader.mp3");
    let mut tag = id3::Tag::with_version(Version::Id3v22);
    tag.set_title("Two-two");
    tag.set_album("An album");
    tag.add_frame(Frame::text("TCOM", "A composer"));
    tag.write_to_path(&path, Version::Id3v22).unwrap();
    assert_eq!(&std::fs::read(&path).unwrap()[..4], b"ID3\x02");
    let mut w = wanted();
    w.album = None;
    let TagOutcome::Written { changes } = write_tags(&path, &w, &TagOptions::default()).unwrap()
    else {
        panic!()
    };
    assert!(
        changes
            .iter()
            .any(|c| c.frame == "version" && c.old.as_deref() == Some("ID3v2.2"))
    );
    let tag = id3::Tag::read_from_path(&path).unwrap();
    assert_eq!(tag.version(), Version::Id3v23);
    assert_eq!(text(&tag, "TCOM"), Some("A composer"));
    assert_eq!(
        text(&tag, "TALB"),
        None,
        "TALB is managed: the catalogue has no album, so it goes"
    );
}

#[test]
fn an_id3v1_tag_is_kept_and_updated() {
    let (_dir, path) = copy("id3v1-only.mp3");
    let before = audio_hash(&path);
    write_tags(&path, &wanted(), &TagOptions::default()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let v1 = &bytes[bytes.len() - 128..];
    assert_eq!(&v1[..3], b"TAG");
    // Latin-1, 30 bytes: the CJK characters and the emoji become '?'.
    assert_eq!(&v1[3..33], b"What are the goals of rural re");
    assert_eq!(&v1[33..42], b"Shen Ting");
    assert_eq!(v1[126], 4);
    assert_eq!(audio_hash(&path), before);
    let v1 = id3::v1::Tag::read_from(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(v1.artist, "Shen Ting");
}

#[test]
fn a_huge_cover_and_a_tag_without_padding() {
    let (_dir, path) = copy("cbr64-noheader.mp3");
    // A tag with no padding at all, written by the id3 crate's own writer.
    let mut tag = id3::Tag::new();
    tag.set_title("No padding");
    tag.write_to_path(&path, Version::Id3v24).unwrap();
    let mut w = wanted();
    w.cover = Some(cover(6_500_000));
    write_tags(&path, &w, &TagOptions::default()).unwrap();
    let tag = id3::Tag::read_from_path(&path).unwrap();
    assert_eq!(tag.pictures().next().unwrap().data.len(), 6_500_004);
    // The new tag leaves PADDING zero bytes after its frames.
    let bytes = std::fs::read(&path).unwrap();
    let size = syncsafe(&bytes[6..10]).unwrap() as usize;
    assert!(
        bytes[10 + size - PADDING..10 + size]
            .iter()
            .all(|&b| b == 0)
    );
}

/// Each case from the research notes' table of damaged tags: reported, and the file left untouched.
#[test]
fn damaged_tags_are_refused_and_the_file_left_untouched_unless_forced() {
    let good = {
        let (_dir, path) = copy("cbr64-noheader.mp3");
        let mut tag = id3::Tag::with_version(Version::Id3v23);
        tag.set_title("First");
        tag.set_artist("Second");
        tag.set_album("Third");
        tag.add_frame(
            Picture {
                mime: "image/jpeg".to_owned(),
                data: vec![],
                description: String::new(),
            }
            .into_frame(),
        );
        tag.write_to_path(&path, Version::Id3v23).unwrap();
        std::fs::read(&path).unwrap()
    };
    let tag_len = 10 + syncsafe(&good[6..10]).unwrap() as usize;
    let first_frame_len = 10 + u32::from_be_bytes(good[14..18].try_into().unwrap()) as usize;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("size past the end", {
            let mut b = good.clone();
            b[6..10].copy_from_slice(&[0x7F, 0x7F, 0x7F, 0x7F]);
            b
        }),
        ("garbage frame id", {
            let mut b = good.clone();
            b[10 + first_frame_len..10 + first_frame_len + 4].copy_from_slice(b"\x01z!?");
            b
        }),
        ("frame overflows the tag", {
            let mut b = good.clone();
            b[14..18].copy_from_slice(&0x0FFF_FFFFu32.to_be_bytes());
            b
        }),
        ("bad text encoding byte", {
            let mut b = good.clone();
            b[20] = 9;
            b
        }),
        ("version 5", {
            let mut b = good.clone();
            b[3] = 5;
            b
        }),
        ("junk in the padding", {
            // Frames after the declared end of the frames, as when a tag was cut short and rewritten.
            let mut b = good.clone();
            b.splice(tag_len..tag_len, std::iter::repeat_n(0u8, 20));
            let size = (tag_len - 10 + 20) as u32;
            b[6..10].copy_from_slice(&[
                (size >> 21) as u8 & 0x7F,
                (size >> 14) as u8 & 0x7F,
                (size >> 7) as u8 & 0x7F,
                size as u8 & 0x7F,
            ]);
            b[tag_len + 5] = 0x42;
            b
        }),
    ];
    for (name, bytes) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.mp3");
        std::fs::write(&path, &bytes).unwrap();
        let err = write_tags(&path, &wanted(), &TagOptions::default()).unwrap_err();
        assert!(matches!(err, TagError::DamagedTag { .. }), "{name}: {err}");
        assert!(err.to_string().contains("--force"), "{name}: {err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: the file was changed"
        );
        // With --force the file is rewritten, and still probes as audio of the same length.
        let before = crate::audio::probe(&fixture("cbr64-noheader.mp3"))
            .unwrap()
            .samples;
        let forced = TagOptions {
            force: true,
            ..TagOptions::default()
        };
        write_tags(&path, &wanted(), &forced).unwrap_or_else(|e| panic!("{name}: {e}"));
        let after = crate::audio::probe(&path).unwrap();
        assert_eq!(after.samples, before, "{name}");
        assert_eq!(
            after.tags.title.as_deref(),
            Some(wanted().title.as_str()),
            "{name}"
        );
    }
}

#[test]
fn a_failure_at_any_step_leaves_the_original_intact() {
    for failing in [Step::Created, Step::Synced, Step::Rename] {
        let (dir, path) = copy("vbr-xing.mp3");
        let before = std::fs::read(&path).unwrap();
        let err = write_tags_with(&path, &wanted(), &TagOptions::default(), |step| {
            if step == failing {
                // What a full disk says.
                Err(io::Error::from_raw_os_error(28))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert!(matches!(err, TagError::Write(_)), "{failing:?}: {err}");
        assert!(
            err.to_string().contains("the original file is intact"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "{failing:?}");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name() != "episode.mp3")
            .collect();
        assert!(leftovers.is_empty(), "{failing:?}: {leftovers:?}");
    }
}

#[test]
fn a_file_changed_by_another_program_meanwhile_is_not_overwritten() {
    let (_dir, path) = copy("vbr-xing.mp3");
    let target = path.clone();
    let err = write_tags_with(&path, &wanted(), &TagOptions::default(), |step| {
        if step == Step::Created {
            // Another program appends to the file while castkit is writing its new version.
            let mut f = std::fs::OpenOptions::new().append(true).open(&target)?;
            f.write_all(b"appended by someone else")?;
        }
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(err, TagError::SourceChanged { .. }), "{err}");
    assert!(
        std::fs::read(&path)
            .unwrap()
            .ends_with(b"appended by someone else")
    );
}

#[test]
fn mutagen_reads_every_frame_castkit_writes() {
    if !have("python3", &["-c", "import mutagen"]) {
        return;
    }
    for (version, date_frame) in [(Id3Version::V23, "TYER"), (Id3Version::V24, "TDRC")] {
        let (_dir, path) = copy("cbr64-info.mp3");
        write_tags(
            &path,
            &wanted(),
            &TagOptions {
                version,
                ..TagOptions::default()
            },
        )
        .unwrap();
        let script = r#"
import json, sys
import mutagen.id3
from mutagen.id3 import ID3
# WFED read as TagLib and eyeD3 read it (iTunes' text frame); mutagen itself models it as a URL frame.
class WFED(mutagen.id3.TextFrame):
    pass
t = ID3(sys.argv[1], translate=False, known_frames=dict(mutagen.id3.Frames, WFED=WFED))
def one(k):
    return str(t.getall(k)[0]) if t.getall(k) else None
apic = t.getall('APIC')[0]
chaps = sorted(t.getall('CHAP'), key=lambda c: c.start_time)
ctoc = t.getall('CTOC')[0]
print(json.dumps({
  'version': t.version[1],
  'frames': {k: one(k) for k in ['TIT2','TPE1','TALB','TPE2','TRCK','TPOS','TYER','TDAT','TDRC','TCON','TDES','TGID','TCOP','TLAN','TLEN','TKWD']},
  'woaf': t.getall('WOAF')[0].url, 'wfed': [t.getall('WFED')[0].encoding, str(t.getall('WFED')[0])],
  'pcst': len(t.getall('PCST')),
  'comm': [t.getall('COMM')[0].lang, str(t.getall('COMM')[0])],
  'apic': [apic.type, apic.mime, len(apic.data)],
  'chapters': [[c.start_time, c.end_time, str(c.sub_frames['TIT2'])] for c in chaps],
  'chapter_url': [f.url for f in chaps[2].sub_frames.getall('WXXX')],
  'ctoc': [ctoc.child_element_ids, bool(ctoc.flags & 1), bool(ctoc.flags & 2)],
}))
"#;
        let v: serde_json::Value = serde_json::from_str(&python(script, &path)).unwrap();
        let w = wanted();
        let f = &v["frames"];
        assert_eq!(v["version"], if version == Id3Version::V23 { 3 } else { 4 });
        assert_eq!(f["TIT2"], w.title.as_str());
        assert_eq!(f["TPE1"], "Shen Ting");
        assert_eq!(f["TALB"], "How China Works – Charting the Future");
        assert_eq!(f["TPE2"], "CGTN");
        assert_eq!(f["TRCK"], "4");
        assert_eq!(f["TPOS"], "5");
        if date_frame == "TYER" {
            assert_eq!(
                (&f["TYER"], &f["TDAT"]),
                (&serde_json::json!("2022"), &serde_json::json!("2811"))
            );
        } else {
            assert_eq!(f["TDRC"], "2022-11-28");
        }
        assert_eq!(f["TCON"], "Podcast");
        assert_eq!(f["TDES"], "Rural revitalization is a major strategy.");
        assert_eq!(f["TGID"], "da96e888-534c-476e-8734-5e5ddf428021");
        assert_eq!(f["TCOP"], "© 2022 CGTN");
        assert_eq!(f["TLAN"], "eng");
        assert_eq!(f["TLEN"], "3000");
        assert_eq!(f["TKWD"], "china,rural");
        assert_eq!(v["woaf"], "https://example.com/episodes/5-4");
        assert_eq!(
            v["wfed"],
            serde_json::json!([0, "https://example.com/feed.xml"])
        );
        assert_eq!(v["pcst"], 1);
        assert_eq!(
            v["comm"],
            serde_json::json!(["eng", "Rural revitalization is a major strategy."])
        );
        assert_eq!(
            v["apic"],
            serde_json::json!([3, "image/jpeg", w.cover.as_ref().unwrap().data.len()])
        );
        assert_eq!(
            v["chapters"],
            serde_json::json!([
                [0, 1000, "Intro"],
                [1000, 2000, "Sponsor"],
                [2000, 3000, "Main part"]
            ])
        );
        assert_eq!(
            v["chapter_url"],
            serde_json::json!(["https://example.com/main"])
        );
        // Top-level and ordered flags set, the hidden chapter left out.
        assert_eq!(v["ctoc"], serde_json::json!([["chp0", "chp2"], true, true]));
    }
}

#[test]
fn ffprobe_reads_the_title_and_the_chapters() {
    if !have("ffprobe", &["-version"]) {
        return;
    }
    let (_dir, path) = copy("cbr64-info.mp3");
    write_tags(&path, &wanted(), &TagOptions::default()).unwrap();
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_chapters",
            "-of",
            "json",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"]["tags"]["title"], wanted().title.as_str());
    assert_eq!(v["format"]["tags"]["artist"], "Shen Ting");
    assert_eq!(
        v["format"]["tags"]["album"],
        "How China Works – Charting the Future"
    );
    let titles: Vec<&str> = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tags"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Intro", "Sponsor", "Main part"]);
    assert_eq!(v["chapters"][2]["start_time"], "2.000000");
    // And the audio still decodes to the same samples.
    let decode = |p: &Path| {
        Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(p)
            .args(["-f", "s16le", "-"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(decode(&path), decode(&fixture("cbr64-info.mp3")));
}

impl Picture {
    fn into_frame(self) -> Frame {
        picture_frame(&self)
    }
}

/// Two tags in a row, as a tool leaves them when it prepends a new tag instead of replacing the old one.
fn two_tags_then(audio: &[u8]) -> Vec<u8> {
    let mut first = id3::Tag::with_version(Version::Id3v24);
    first.set_title("First");
    first.add_frame(Frame::text("TCOM", "Composer in the first tag"));
    let mut second = id3::Tag::with_version(Version::Id3v23);
    second.set_title("Second");
    second.add_frame(Frame::text("TCOM", "Composer in the second tag"));
    second.add_frame(id3::frame::ExtendedText {
        description: "REPLAYGAIN_TRACK_GAIN".to_owned(),
        value: "-6.20 dB".to_owned(),
    });
    let mut bytes = Vec::new();
    first.write_to(&mut bytes, Version::Id3v24).unwrap();
    second.write_to(&mut bytes, Version::Id3v23).unwrap();
    bytes.extend_from_slice(audio);
    bytes
}

#[test]
fn two_id3v2_tags_become_one_keeping_the_first_tags_frames_and_the_seconds_extra_ones() {
    let audio = std::fs::read(fixture("cbr64-noheader.mp3")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.mp3");
    std::fs::write(&path, two_tags_then(&audio)).unwrap();
    let mut w = wanted();
    w.chapters.clear();

    let TagOutcome::Written { changes } = write_tags(&path, &w, &TagOptions::default()).unwrap()
    else {
        panic!("expected a write")
    };
    assert_eq!(changes[0].frame, "tags", "{changes:?}");
    assert_eq!(changes[0].old.as_deref(), Some("2 ID3v2 tags in a row"));
    let bytes = std::fs::read(&path).unwrap();
    let tag_len = 10 + syncsafe(&bytes[6..10]).unwrap() as usize;
    assert_eq!(
        &bytes[tag_len..],
        audio,
        "one tag, then the audio as it was"
    );
    let tag = id3::Tag::read_from_path(&path).unwrap();
    assert_eq!(text(&tag, "TIT2"), Some(w.title.as_str()));
    assert_eq!(
        text(&tag, "TCOM"),
        Some("Composer in the first tag"),
        "the first tag is the one players showed: its frames win"
    );
    assert_eq!(
        tag.extended_texts().next().map(|t| t.value.as_str()),
        Some("-6.20 dB"),
        "a frame only the second tag had is kept"
    );
    assert_eq!(tag.frames().filter(|f| f.id() == "TCOM").count(), 1);
    assert_eq!(
        write_tags(&path, &w, &TagOptions::default()).unwrap(),
        TagOutcome::Unchanged
    );
}

#[test]
fn a_damaged_second_tag_is_refused_and_named_by_its_offset() {
    let audio = std::fs::read(fixture("cbr64-noheader.mp3")).unwrap();
    let mut bytes = two_tags_then(&audio);
    let second = 10 + syncsafe(&bytes[6..10]).unwrap() as usize;
    // The second tag's first frame id becomes garbage.
    bytes[second + 10..second + 14].copy_from_slice(b"\x01z!?");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.mp3");
    std::fs::write(&path, &bytes).unwrap();
    let err = write_tags(&path, &wanted(), &TagOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "(the tag at byte {second}: a frame at byte {} has the id",
            second + 10
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    let forced = TagOptions {
        force: true,
        ..TagOptions::default()
    };
    write_tags(&path, &wanted(), &forced).unwrap();
    let tagged = std::fs::read(&path).unwrap();
    let tag_len = 10 + syncsafe(&tagged[6..10]).unwrap() as usize;
    assert_eq!(&tagged[tag_len..], audio);
}

#[test]
fn a_cover_is_labelled_with_the_mime_type_of_its_content() {
    if !have("python3", &["-c", "import mutagen"]) {
        return;
    }
    for (image, mime) in [("tiny.png", "image/png"), ("tiny.gif", "image/gif")] {
        let (_dir, path) = copy("cbr64-info.mp3");
        let mut w = wanted();
        w.cover = Some(Picture::new(
            std::fs::read(fixture(image)).unwrap(),
            "Cover",
        ));
        w.chapters[2].image = w.cover.clone();
        write_tags(&path, &w, &TagOptions::default()).unwrap();
        let script = "import sys\nfrom mutagen.id3 import ID3\nt = ID3(sys.argv[1])\nchap = [c for c in t.getall('CHAP') if c.sub_frames.getall('APIC')][0]\nprint(t.getall('APIC')[0].mime, chap.sub_frames.getall('APIC')[0].mime)";
        assert_eq!(
            python(script, &path).trim(),
            format!("{mime} {mime}"),
            "{image}: the cover, and the chapter's picture"
        );
    }
}

/// Opening a FIFO waits for a writer: `write_tags` refuses anything but a regular file before opening it.
#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_is_refused_before_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.mp3");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (done, result) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = done.send(write_tags(&path, &wanted(), &TagOptions::default()));
    });
    let outcome = result.recv_timeout(std::time::Duration::from_secs(10));
    if outcome.is_err() {
        // Release the blocked open before failing, so the test binary can end.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        panic!("write_tags blocked on a FIFO");
    }
    let err = outcome.unwrap().unwrap_err();
    assert!(matches!(err, TagError::NotAFile { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` is a named pipe (FIFO), not a regular file; give the path of the audio file itself",
            fifo.display()
        )
    );
    let err = write_tags(dir.path(), &wanted(), &TagOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("is a folder, not a regular file"),
        "{err}"
    );
}

/// A symbolic link is followed: its target is rewritten, the link stays.
#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_and_its_target_is_tagged() {
    let (dir, target) = copy("cbr64-info.mp3");
    let before = audio_hash(&target);
    let link = dir.path().join("link.mp3");
    std::os::unix::fs::symlink("episode.mp3", &link).unwrap();
    write_tags(&link, &wanted(), &TagOptions::default()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let tag = id3::Tag::read_from_path(&target).unwrap();
    assert_eq!(text(&tag, "TIT2"), Some(wanted().title.as_str()));
    assert_eq!(audio_hash(&target), before);
    assert_eq!(
        write_tags(&link, &wanted(), &TagOptions::default()).unwrap(),
        TagOutcome::Unchanged
    );
}
