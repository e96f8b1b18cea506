//! The judging of answers, without a network: each problem from the facts a server stated. The requests
//! themselves are tested against local servers in `tests/integration/online.rs` (and `fetch::probe`).

use super::*;

fn served(final_url: &str) -> Observed {
    Observed::Served {
        final_url: final_url.to_owned(),
        redirects: Vec::new(),
        content_length: Some(1000),
        content_type: Some("audio/mpeg".to_owned()),
        accept_ranges: Some("bytes".to_owned()),
        range: RangeAnswer::Partial { total: Some(1000) },
        etag: None,
        last_modified: None,
        first_byte_ms: 10,
    }
}

fn media(url: &str, length: Option<u64>) -> Target {
    Target {
        url: url.to_owned(),
        kind: Kind::Media,
        stated_length: length,
        stated_type: Some("audio/mpeg".to_owned()),
    }
}

const MARK: Duration = Duration::from_secs(3);

#[test]
fn a_good_answer_has_no_problem() {
    let target = media("https://cdn.example/a.mp3", Some(1000));
    assert_eq!(
        judge(&target, &served("https://cdn.example/a.mp3"), MARK),
        []
    );
}

// Rule "F606": no local test server speaks TLS, so the https:// → http:// redirect is judged here.
#[test]
fn an_https_url_redirected_to_http_is_f606_but_an_http_url_is_left_to_f121() {
    let to = "http://cdn.example/a.mp3";
    let target = media("https://track.example/a.mp3", Some(1000));
    assert_eq!(
        judge(&target, &served(to), MARK),
        [Problem::RedirectToHttp { to: to.to_owned() }]
    );
    let plain = media(to, Some(1000));
    assert_eq!(judge(&plain, &served(to), MARK), []);
}

#[test]
fn ranges_are_required_of_media_only() {
    let mut whole = served("https://cdn.example/a.jpg");
    if let Observed::Served {
        range,
        content_type,
        ..
    } = &mut whole
    {
        *range = RangeAnswer::Whole;
        *content_type = Some("image/jpeg".to_owned());
    }
    let image = Target {
        kind: Kind::Image,
        ..media("https://cdn.example/a.jpg", None)
    };
    assert_eq!(judge(&image, &whole, MARK), []);
    let episode = media("https://cdn.example/a.jpg", None);
    assert!(matches!(
        judge(&episode, &whole, MARK).as_slice(),
        [Problem::NoRanges { .. }, Problem::WrongType { .. }]
    ));
}

#[test]
fn the_range_total_is_compared_when_content_length_agrees() {
    let mut answer = served("https://cdn.example/a.mp3");
    if let Observed::Served { range, .. } = &mut answer {
        *range = RangeAnswer::Partial { total: Some(2000) };
    }
    let target = media("https://cdn.example/a.mp3", Some(1000));
    assert_eq!(
        judge(&target, &answer, MARK),
        [Problem::LengthMismatch {
            stated: 1000,
            served: 2000,
            header: "the total of Content-Range"
        }]
    );
}

#[test]
fn media_types_by_kind() {
    let t = |kind, stated: Option<&str>| Target {
        kind,
        stated_type: stated.map(str::to_owned),
        ..media("https://a.example/x", None)
    };
    assert_eq!(wrong_type(&t(Kind::Media, None), "audio/mpeg"), None);
    assert_eq!(
        wrong_type(&t(Kind::Media, None), "application/octet-stream"),
        None
    );
    assert!(wrong_type(&t(Kind::Media, None), "text/html; charset=utf-8").is_some());
    assert!(wrong_type(&t(Kind::Image, None), "text/plain").is_some());
    assert_eq!(
        wrong_type(&t(Kind::Chapters, None), "application/json+chapters"),
        None
    );
    assert!(wrong_type(&t(Kind::Chapters, None), "TEXT/HTML").is_some());
    assert_eq!(
        wrong_type(&t(Kind::Transcript, Some("text/html")), "text/html"),
        None
    );
    assert!(wrong_type(&t(Kind::Transcript, Some("text/vtt")), "text/html").is_some());
}

#[test]
fn slowness_is_measured_against_the_shorter_mark() {
    assert_eq!(slow_mark(Duration::from_secs(30)), SLOW_FIRST_BYTE);
    assert_eq!(slow_mark(Duration::from_secs(2)), Duration::from_secs(1));
}

#[test]
fn one_host_per_scheme_host_and_port() {
    assert_eq!(host_of("https://CDN.example/a"), "cdn.example:443");
    assert_eq!(host_of("http://cdn.example:8080/a"), "cdn.example:8080");
}
