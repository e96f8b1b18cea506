//! `castkit tag` and `build-feed --tag`: the MP3 says what the catalogue and the feed say, rewriting is
//! idempotent, damaged tags are refused, and a writer killed at any moment leaves a whole file.

use std::process::Command;
use std::time::Duration;

use crate::support::{
    EXAMPLE_MP3, SHOW, ShowDir, have_python_module, have_tool, python_json, repo_root, stderr_of,
};

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn tagging_twice_changes_the_file_once() {
    let show = ShowDir::example();
    let mp3 = show.path().join(EXAMPLE_MP3);
    let dry = show.castkit().args(["tag", "--dry-run"]).output().unwrap();
    assert!(dry.status.success(), "{}", stderr_of(&dry));
    let listing = stdout_of(&dry);
    assert!(
        listing
            .starts_with("would tag `media/5.4 What are the goals of rural revitalization.mp3`:"),
        "{listing}"
    );
    assert!(
        listing.contains("  TGID: (none) → `da96e888-534c-476e-8734-5e5ddf428021`"),
        "{listing}"
    );
    assert!(
        listing.contains("  CHAP chp1: (none) → `7387–14613 ms In the President's words`"),
        "{listing}"
    );
    assert_eq!(
        std::fs::read(&mp3).unwrap(),
        std::fs::read(repo_root().join(EXAMPLE_MP3)).unwrap(),
        "a dry run changes nothing"
    );

    let first = show.castkit().arg("tag").output().unwrap();
    assert!(
        stdout_of(&first).starts_with("tagged    `media/5.4"),
        "{}",
        stdout_of(&first)
    );
    let mtime = std::fs::metadata(&mp3).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let second = show.castkit().arg("tag").output().unwrap();
    assert_eq!(
        stdout_of(&second),
        "unchanged `media/5.4 What are the goals of rural revitalization.mp3`\n"
    );
    assert_eq!(std::fs::metadata(&mp3).unwrap().modified().unwrap(), mtime);
}

#[test]
fn build_feed_with_tag_states_the_tagged_files_length_and_the_file_agrees_with_the_feed() {
    let show = ShowDir::example();
    let out = show
        .castkit()
        .args(["build-feed", "--locked", "--tag"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("tagged `media/5.4"),
        "{}",
        stderr_of(&out)
    );
    let mp3 = show.path().join(EXAMPLE_MP3);
    let size = std::fs::metadata(&mp3).unwrap().len();
    let original = std::fs::metadata(repo_root().join(EXAMPLE_MP3))
        .unwrap()
        .len();
    assert_ne!(size, original, "tagging changed the file's length");
    let feed = show.feed().unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let enclosure = doc
        .descendants()
        .find(|n| n.has_tag_name("enclosure"))
        .unwrap();
    assert_eq!(
        enclosure.attribute("length"),
        Some(size.to_string().as_str())
    );
    let item_text = |name: &str| {
        doc.descendants()
            .find(|n| {
                n.tag_name().name() == name && n.parent().is_some_and(|p| p.has_tag_name("item"))
            })
            .and_then(|n| n.text())
            .unwrap()
            .to_owned()
    };

    // An independent reader of the file: mutagen.
    if !have_python_module("mutagen") {
        return;
    }
    let script = "import json,sys\nfrom mutagen.id3 import ID3\nt=ID3(sys.argv[1])\nprint(json.dumps({k: str(t.getall(k)[0]) for k in ['TIT2','TGID','TLEN','TPE1','TRCK','TPOS']} | {'chapters': len(t.getall('CHAP'))}))";
    let v = python_json(script, &mp3);
    assert_eq!(v["TIT2"], item_text("title"));
    assert_eq!(v["TGID"], item_text("guid"));
    assert_eq!(v["TPE1"], item_text("author"));
    assert_eq!(v["TRCK"], item_text("episode"));
    assert_eq!(v["TPOS"], item_text("season"));
    let tlen: f64 = v["TLEN"].as_str().unwrap().parse().unwrap();
    let duration: f64 = item_text("duration").parse().unwrap();
    assert!(
        (tlen / 1000.0 - duration).abs() <= 0.5,
        "TLEN {tlen} ms, itunes:duration {duration} s"
    );
    // The same chapters as the JSON chapters file next to the feed.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            show.path()
                .join("public/chapters/da96e888-534c-476e-8734-5e5ddf428021.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(v["chapters"], json["chapters"].as_array().unwrap().len());

    // Running again changes nothing: not the MP3, not the feed.
    let again = show
        .castkit()
        .args(["build-feed", "--locked", "--tag"])
        .output()
        .unwrap();
    assert!(
        stderr_of(&again).contains("unchanged: `public/feed.xml`"),
        "{}",
        stderr_of(&again)
    );
    assert!(!stderr_of(&again).contains("tagged"));
}

#[test]
fn a_damaged_tag_is_refused_named_and_left_alone_unless_forced() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    // An ID3v2.3 tag whose second frame id is garbage: the id3 crate would read one frame and stop.
    let audio = std::fs::read(show.path().join("media/one.mp3")).unwrap();
    let mut tag = b"ID3\x03\x00\x00\x00\x00\x00\x2A".to_vec();
    tag.extend_from_slice(b"TIT2\x00\x00\x00\x04\x00\x00\x00Old");
    tag.extend_from_slice(b"\x01\x02!?\x00\x00\x00\x04\x00\x00\x00Lost");
    tag.resize(10 + 0x2A, 0);
    let damaged = [tag, audio].concat();
    std::fs::write(show.path().join("media/one.mp3"), &damaged).unwrap();
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g\"\n"
    ));
    let out = show.castkit().arg("tag").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("has a damaged ID3v2 tag (a frame at byte 24 has the id"),
        "{err}"
    );
    assert!(err.contains("run again with `--force`"), "{err}");
    assert_eq!(
        std::fs::read(show.path().join("media/one.mp3")).unwrap(),
        damaged
    );
    // build-feed --tag reports it as a finding and writes no feed.
    let out = show
        .castkit()
        .args(["build-feed", "--tag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("error[C033]"),
        "{}",
        stderr_of(&out)
    );
    assert!(show.feed().is_none());
    // --force rewrites it.
    let out = show.castkit().args(["tag", "--force"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    // The change list starts with the damaged tag being replaced.
    assert!(
        stdout_of(&out).contains("tagged    `media/one.mp3`: ")
            && stdout_of(&out).contains("changes (tag, "),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn other_formats_are_skipped_and_v24_is_written_on_request() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    std::fs::copy(
        repo_root().join("tests/fixtures/audio/aac.m4a"),
        show.path().join("media/two.m4a"),
    )
    .unwrap();
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\n\n[[episode]]\ntitle = \"Two\"\naudio = \"media/two.m4a\"\npublished = 2024-03-02T09:00:00Z\n"
    ));
    let out = show
        .castkit()
        .args(["tag", "--id3-version", "2.4"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let listing = stdout_of(&out);
    assert!(
        listing.contains(
            "skipped   `media/two.m4a`: it is m4a, and castkit writes ID3 tags only into MP3 files"
        ),
        "{listing}"
    );
    let probe = show
        .castkit()
        .args(["probe", "--json", "media/one.mp3"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    assert_eq!(v[0]["tags"]["id3_version"], "2.4");
    assert_eq!(v[0]["tags"]["date"], "2024-03-01");
}

/// Kills `castkit tag` at several moments while it rewrites a 300 MB file, and checks that the file is
/// each time either exactly the original or exactly the finished result, never anything in between.
#[cfg(unix)]
#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let show = ShowDir::new();
    // A long CBR stream without a header: the example show's frames are not CBR, so repeat a fixture.
    let unit = std::fs::read(repo_root().join("tests/fixtures/audio/cbr64-noheader.mp3")).unwrap();
    let big: Vec<u8> = unit.iter().copied().cycle().take(300 << 20).collect();
    let catalogue = format!(
        "{SHOW}\n[[episode]]\ntitle = \"Long\"\naudio = \"media/long.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"long\"\n"
    );
    show.catalogue(&catalogue);
    let mp3 = show.path().join("media/long.mp3");
    // The finished result, made once without interruption.
    std::fs::write(&mp3, &big).unwrap();
    assert!(show.castkit().arg("tag").output().unwrap().status.success());
    let finished = std::fs::read(&mp3).unwrap();
    assert_ne!(finished, big);

    let binary = assert_cmd::cargo::cargo_bin("castkit");
    let mut outcomes = Vec::new();
    for delay_ms in [5, 20, 60, 120, 250, 500] {
        std::fs::write(&mp3, &big).unwrap();
        let mut child = Command::new(&binary)
            .arg("tag")
            .current_dir(show.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(&mp3).unwrap();
        let outcome = if now == big {
            "old"
        } else if now == finished {
            "new"
        } else {
            panic!(
                "killed after {delay_ms} ms: the file is neither the original nor the result ({} bytes)",
                now.len()
            );
        };
        outcomes.push(outcome);
    }
    eprintln!("outcomes by kill delay: {outcomes:?}");
    // The next run cleans up what a killed run left and finishes the job.
    assert!(show.castkit().arg("tag").output().unwrap().status.success());
    assert_eq!(std::fs::read(&mp3).unwrap(), finished);
    assert!(
        show.temp_leftovers().is_empty(),
        "{:?}",
        show.temp_leftovers()
    );
}

/// Some tools prepend a new ID3v2 tag instead of replacing the old one. castkit used to replace only the
/// first tag, so the old second tag stayed between the new tag and the audio. Checked with independent
/// readers: mutagen says where the tag ends, and what follows is the untagged stream, byte for byte, which
/// ffmpeg decodes to the same samples.
#[test]
fn tagging_a_file_with_two_id3v2_tags_leaves_one_tag_then_the_untouched_audio() {
    let fixtures = repo_root().join("tests/fixtures/audio");
    let show = ShowDir::new();
    let mp3 = show.path().join("media/two.mp3");
    std::fs::copy(fixtures.join("two-id3v2-tags.mp3"), &mp3).unwrap();
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"Two tags\"\naudio = \"media/two.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g\"\n"
    ));
    let out = show.castkit().arg("tag").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).starts_with("tagged    `media/two.mp3`: ")
            && stdout_of(&out).contains("(tags, version, TIT2"),
        "{}",
        stdout_of(&out)
    );
    // The fixture is two tags followed by the whole of `vbr-xing.mp3` (scripts/make-audio-fixtures.sh).
    let audio = std::fs::read(fixtures.join("vbr-xing.mp3")).unwrap();
    let tagged = std::fs::read(&mp3).unwrap();

    if have_python_module("mutagen") {
        let script = "import json,sys\nfrom mutagen.id3 import ID3\nt=ID3(sys.argv[1])\nprint(json.dumps({'size': t.size, 'version': t.version[1], 'title': str(t['TIT2'])}))";
        let v = python_json(script, &mp3);
        assert_eq!(v["version"], 3);
        assert_eq!(v["title"], "Two tags");
        let tag_len = v["size"].as_u64().unwrap() as usize;
        assert!(
            tagged[tag_len..] == audio[..],
            "after the one tag mutagen reads ({tag_len} bytes) must come the audio as it was, not `{}`",
            String::from_utf8_lossy(&tagged[tag_len..tagged.len().min(tag_len + 3)])
        );
    }
    if have_tool("ffmpeg") {
        let decode = |p: &std::path::Path| {
            let out = Command::new("ffmpeg")
                .args(["-v", "error", "-i"])
                .arg(p)
                .args(["-f", "s16le", "-"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", stderr_of(&out));
            out.stdout
        };
        assert!(decode(&mp3) == decode(&fixtures.join("vbr-xing.mp3")));
    }
    // And the next run finds nothing to do.
    let again = show.castkit().arg("tag").output().unwrap();
    assert_eq!(stdout_of(&again), "unchanged `media/two.mp3`\n");
}

/// The APIC frame says what the picture is: a GIF used to be labelled `image/jpeg`. Chapter pictures are
/// not held to Apple's artwork rules, so a GIF and a PNG can be given there; mutagen reads the labels back.
#[test]
fn chapter_pictures_are_labelled_with_the_mime_type_of_their_content() {
    let fixtures = repo_root().join("tests/fixtures/audio");
    let show = ShowDir::new();
    show.audio("one.mp3");
    for image in ["tiny.gif", "tiny.png"] {
        std::fs::copy(fixtures.join(image), show.path().join("media").join(image)).unwrap();
    }
    show.catalogue(&format!(
        "{SHOW}\n[[episode]]\ntitle = \"One\"\naudio = \"media/one.mp3\"\npublished = 2024-03-01T09:00:00Z\nguid = \"g\"\n\
         [[episode.chapter]]\nstart = \"00:00\"\ntitle = \"Gif\"\nimage = \"media/tiny.gif\"\n\
         [[episode.chapter]]\nstart = \"00:05\"\ntitle = \"Png\"\nimage = \"media/tiny.png\"\n"
    ));
    let out = show.castkit().arg("tag").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    if !have_python_module("mutagen") {
        return;
    }
    let script = "import json,sys\nfrom mutagen.id3 import ID3\nt=ID3(sys.argv[1])\nprint(json.dumps({'cover': t.getall('APIC')[0].mime, 'chapters': [[str(c.sub_frames['TIT2']), c.sub_frames.getall('APIC')[0].mime] for c in sorted(t.getall('CHAP'), key=lambda c: c.start_time)]}))";
    let v = python_json(script, &show.path().join("media/one.mp3"));
    assert_eq!(v["cover"], "image/jpeg");
    assert_eq!(
        v["chapters"],
        serde_json::json!([["Gif", "image/gif"], ["Png", "image/png"]])
    );
}
