//! Each kind of catalogue mistake, reported like a compiler: file, line, column, the offending text and a
//! hint. One catalogue per mistake, one snapshot of what the producer sees.

use crate::support::{SHOW, ShowDir, stderr_of};

/// Runs `build-feed` on `catalogue` (with `media/one.mp3` and `media/two.mp3` present) and returns stderr,
/// checking that the build failed and wrote nothing.
fn mistakes(catalogue: &str) -> String {
    let show = ShowDir::new();
    show.audio("one.mp3").audio("two.mp3").catalogue(catalogue);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(show.feed().is_none());
    assert_eq!(
        show.read_catalogue(),
        catalogue,
        "a failed build must not touch the catalogue"
    );
    stderr_of(&out)
}

fn episode(title: &str, audio: &str, extra: &str) -> String {
    format!(
        "\n[[episode]]\ntitle = \"{title}\"\naudio = \"{audio}\"\npublished = 2024-03-01T09:00:00Z\n{extra}"
    )
}

#[test]
fn unknown_field_suggests_the_nearest_name() {
    let cat = format!(
        "{}{}",
        SHOW.replace("title = ", "titel = "),
        episode("One", "media/one.mp3", "sesaon = 2\n")
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn category_not_on_apples_list_suggests_the_nearest_valid_one() {
    let cat = SHOW.replace(
        r#"categories = ["Technology"]"#,
        r#"categories = ["Technolgy", "Comedy > Stand-up", "Technology > Software How-To"]"#,
    );
    insta::assert_snapshot!(mistakes(&format!(
        "{cat}{}",
        episode("One", "media/one.mp3", "")
    )));
}

#[test]
fn bad_email_and_bad_urls() {
    let cat = SHOW
        .replace("owner@example.com", "owner at example")
        .replace("https://example.com/show\"", "example.com/show\"")
        .replace(
            "https://example.com/show/feed.xml",
            "ftp://example.com/feed.xml",
        );
    insta::assert_snapshot!(mistakes(&format!(
        "{cat}{}",
        episode("One", "media/one.mp3", "")
    )));
}

#[test]
fn missing_audio_file_names_the_episode_and_the_nearest_file() {
    let cat = format!(
        "{SHOW}{}",
        episode("One", "media/onee.mp3", "season = 1\nnumber = 1\n")
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn duplicate_guids_and_episode_numbers() {
    let cat = format!(
        "{SHOW}{}{}",
        episode(
            "One",
            "media/one.mp3",
            "season = 1\nnumber = 1\nguid = \"abc\"\n"
        ),
        episode(
            "Two",
            "media/two.mp3",
            "season = 1\nnumber = 1\nguid = \"abc\"\n"
        ),
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn date_without_a_zone_needs_an_offset_or_a_show_timezone() {
    let cat = format!(
        "{SHOW}{}",
        episode("One", "media/one.mp3", "").replace("2024-03-01T09:00:00Z", "2024-03-01T09:00:00")
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn wrong_types_and_values() {
    let cat = format!(
        "{}{}",
        SHOW.replace(
            "explicit = false",
            "explicit = \"no\"\ntype = \"seriall\"\nmedium = \"podcats\""
        ),
        episode("One", "media/one.mp3", "season = 0\ntype = \"bonsu\"\n")
            .replace("2024-03-01T09:00:00Z", "\"2024-03-01\"")
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn unknown_person_role_and_group() {
    let cat = format!(
        "{SHOW}{}[[episode.person]]\nname = \"Ann\"\nrole = \"hots\"\n\n[[episode.person]]\nname = \"Bo\"\nrole = \"guest\"\ngroup = \"writing\"\n",
        episode("One", "media/one.mp3", "")
    );
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn toml_syntax_errors_point_at_the_line() {
    let cat = format!("{SHOW}\n[[episode]]\ntitle = \"One\naudio = media/one.mp3\n");
    insta::assert_snapshot!(mistakes(&cat));
}

#[test]
fn every_mistake_is_reported_in_one_run() {
    let cat = format!(
        "{}{}{}",
        SHOW.replace("title = ", "titel = ")
            .replace("owner@example.com", "nope")
            .replace(r#"["Technology"]"#, r#"["Tech"]"#),
        episode("One", "media/missing.mp3", "guid = \"x\"\n").replace("09:00:00Z", "09:00:00"),
        episode("Two", "media/two.mp3", "guid = \"x\"\nrole = \"host\"\n"),
    );
    let err = mistakes(&cat);
    for code in ["C002", "C006", "C008", "C009", "C011", "C013"] {
        assert!(
            err.contains(&format!("error[{code}]")),
            "missing {code} in:\n{err}"
        );
    }
}

#[test]
fn an_image_that_breaks_apples_artwork_rules() {
    let show = ShowDir::new();
    show.audio("one.mp3");
    // A 600×400 PNG: too small and not square (written by hand: signature, IHDR, IDAT, IEND).
    std::fs::write(show.path().join("media/small.png"), tiny_png(600, 400)).unwrap();
    let cat = format!(
        "{}{}",
        SHOW.replace("media/cover.jpg", "media/small.png"),
        episode("One", "media/one.mp3", "")
    );
    show.catalogue(&cat);
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stderr_of(&out));
}

#[test]
fn a_catalogue_that_is_not_utf8_says_where_once() {
    let show = ShowDir::new();
    std::fs::write(
        show.path().join("episodes.toml"),
        b"[show]\ntitle = \"Caf\xE9\"\n",
    )
    .unwrap();
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "error: cannot read the catalogue `episodes.toml`: it is not UTF-8 text (invalid byte at offset 19); save it as UTF-8\n"
    );
}

#[test]
fn an_unwritable_feed_names_the_file_and_its_cause_once() {
    let show = ShowDir::new();
    show.audio("one.mp3")
        .catalogue(&format!("{SHOW}{}", episode("One", "media/one.mp3", "")));
    // A folder where the feed should go: the content is written, but the rename onto it fails.
    std::fs::create_dir_all(show.path().join("public/feed.xml/taken")).unwrap();
    let out = show.castkit().arg("build-feed").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: cannot replace `public/feed.xml`: "),
        "{err}"
    );
    assert_eq!(last.matches("os error").count(), 1, "{err}");
    assert!(
        show.temp_leftovers().is_empty(),
        "{:?}",
        show.temp_leftovers()
    );
}

/// A valid PNG header of the given size (enough for dimension and colour checks; the pixels are not read).
fn tiny_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    png.extend_from_slice(&0u32.to_be_bytes());
    png.extend_from_slice(b"IEND");
    png.extend_from_slice(&crc32(b"IEND").to_be_bytes());
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
