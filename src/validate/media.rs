//! The feed against the files it points at, when they are local (`--catalogue` or `--media`): each
//! enclosure's length is the file's size, its type matches the content, `itunes:duration` matches the exact
//! probe within a second; each `podcast:integrity` SRI string matches the file its alternate enclosure
//! names; artwork meets Apple's rules; chapters and transcripts exist.

use std::collections::HashSet;
use std::path::PathBuf;

use roxmltree::Node;

use super::{Ctx, MediaMap, rules};
use crate::audio::AudioFormat;
use crate::error::Chain;
use crate::feed::parse::{ChildElements, Ns, child, children, text_ref};

pub(super) fn check(
    ctx: &mut Ctx<'_>,
    channel: Node<'_, '_>,
    items: &[Node<'_, '_>],
    map: &MediaMap,
) {
    // Episodes usually share the show's artwork: each image file is read and reported once.
    let mut artwork_seen = HashSet::new();
    let mut integrity_checks = Vec::new();
    if let Some(image) = child(channel, Ns::Itunes, "image") {
        artwork(ctx, image, map, &mut artwork_seen);
    }
    for item in items {
        let elements = ChildElements::of(*item);
        if let Some(e) = elements.child(Ns::Rss, "enclosure") {
            enclosure(ctx, &elements, e, map);
        }
        if let Some(image) = elements.child(Ns::Itunes, "image") {
            artwork(ctx, image, map, &mut artwork_seen);
        }
        for alternate in elements.children(Ns::Podcast, "alternateEnclosure") {
            integrity_checks.extend(IntegrityCheck::of(&elements, alternate, map));
        }
        let companions = elements
            .child(Ns::Podcast, "chapters")
            .into_iter()
            .chain(elements.children(Ns::Podcast, "transcript"));
        for c in companions {
            if let Some(url) = c.attribute("url")
                && let Some(path) = map.resolve(url)
                && !path.is_file()
            {
                ctx.at_attr(
                    &rules::LOCAL_FILE_MISSING,
                    c,
                    "url",
                    format!("`{}` is not there: no file at `{}`", url, path.display()),
                    Some("publish the file with the feed, or fix the URL".to_owned()),
                );
            }
        }
    }
    check_integrity(ctx, &integrity_checks);
}

fn enclosure(ctx: &mut Ctx<'_>, item: &ChildElements<'_, '_>, e: Node<'_, '_>, map: &MediaMap) {
    let Some(url) = e.attribute("url") else {
        return;
    };
    let Some(path) = map.resolve(url) else {
        return;
    };
    let Some(size) = std::fs::metadata(&path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
    else {
        ctx.at_attr(
            &rules::LOCAL_FILE_MISSING,
            e,
            "url",
            format!("the enclosure's file is not there: `{}`", path.display()),
            Some("put the audio file in the media folder, or fix the URL".to_owned()),
        );
        return;
    };
    // The byte count needs no probe: a file that is not audio still has a length to compare.
    if let Some(length) = e
        .attribute("length")
        .and_then(|l| l.trim().parse::<u64>().ok())
        && length != size
    {
        ctx.at_attr(
            &rules::LENGTH_MISMATCH,
            e,
            "length",
            format!(
                "`length` says {length} bytes, but `{}` has {size}",
                path.display()
            ),
            Some(format!(
                "write `length=\"{size}\"` (rebuild the feed after tagging the file)"
            )),
        );
    }
    let facts = match ctx.cache.probe(&path) {
        Ok(f) => f,
        Err(err) => {
            ctx.at_attr(
                &rules::LOCAL_AUDIO_UNREADABLE,
                e,
                "url",
                Chain(&err).to_string(),
                None,
            );
            return;
        }
    };
    if let Some(mime) = e.attribute("type") {
        let declared = family(mime);
        if !declared.is_some_and(|d| compatible(d, facts.format)) {
            ctx.at_attr(
                &rules::TYPE_MISMATCH,
                e,
                "type",
                format!(
                    "`type` says `{mime}`, but `{}` is {} (`{}`)",
                    path.display(),
                    facts.format,
                    facts.mime()
                ),
                Some(format!("write `type=\"{}\"`", facts.mime())),
            );
        }
    }
    if let Some(d) = item.child(Ns::Itunes, "duration")
        && let Some(stated) = crate::feed::parse::duration_seconds(&text_ref(d))
    {
        let exact = facts.duration_seconds();
        if (stated - exact).abs() > 1.0 {
            ctx.at_text(
                &rules::DURATION_MISMATCH,
                d,
                format!("`itunes:duration` says {stated} s, but the file lasts {exact:.3} s"),
                Some(format!("write `{}`", facts.whole_seconds())),
            );
        }
    }
}

/// The format family a MIME type names (aliases included), for comparing with the probed content.
fn family(mime: &str) -> Option<AudioFormat> {
    let m = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match m.as_str() {
        "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/x-mp3" | "audio/x-mpeg"
        | "audio/mpa" => AudioFormat::Mp3,
        "audio/x-m4a" | "audio/m4a" | "audio/mp4" | "audio/aac" | "audio/x-aac" | "audio/x-m4b" => {
            AudioFormat::M4a
        }
        // An MP4 with a video track is video: served as an audio type, apps would play it as sound only
        // (and an audio-only file served as video is listed as a video episode).
        "video/mp4" => AudioFormat::Mp4,
        "video/quicktime" => AudioFormat::Mov,
        "video/x-m4v" | "video/m4v" => AudioFormat::M4v,
        "audio/ogg" | "audio/opus" | "audio/vorbis" | "application/ogg" => AudioFormat::Ogg,
        "audio/flac" | "audio/x-flac" => AudioFormat::Flac,
        "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => AudioFormat::Wav,
        _ => return None,
    })
}

/// Whether content probed as `actual` may be served as `declared`: the same format, or any of Apple's three
/// video types for any MP4/QuickTime video (they name one kind of file by its brand; players take each for
/// the others, and `vocab::media_type` lets `.mp4` and `.m4v` files carry either MP4 type).
fn compatible(declared: AudioFormat, actual: AudioFormat) -> bool {
    declared == actual || (declared.is_video() && actual.is_video())
}

fn artwork(
    ctx: &mut Ctx<'_>,
    image: Node<'_, '_>,
    map: &MediaMap,
    seen: &mut HashSet<std::path::PathBuf>,
) {
    let Some(href) = image.attribute("href") else {
        return;
    };
    let Some(path) = map.resolve(href) else {
        return;
    };
    if !seen.insert(path.clone()) {
        return;
    }
    if !path.is_file() {
        ctx.at_attr(
            &rules::LOCAL_FILE_MISSING,
            image,
            "href",
            format!("the artwork is not there: no file at `{}`", path.display()),
            None,
        );
        return;
    }
    let extension = path.extension().and_then(|e| e.to_str());
    match crate::image::inspect(&path) {
        Ok(facts) => {
            let problems = crate::image::apple_artwork_problems(&facts, extension);
            if !problems.is_empty() {
                ctx.at_attr(
                    &rules::LOCAL_IMAGE,
                    image,
                    "href",
                    format!(
                        "the artwork `{}` does not meet Apple's rules: {}",
                        path.display(),
                        problems.join("; ")
                    ),
                    Some(
                        "export a square RGB JPEG or PNG between 1400×1400 and 3000×3000 pixels"
                            .to_owned(),
                    ),
                );
            } else if facts.has_alpha {
                ctx.at_attr(
                    &rules::LOCAL_IMAGE,
                    image,
                    "href",
                    format!("the artwork `{}` has an alpha channel", path.display()),
                    Some(
                        "Apple asks for artwork without transparency: export it without alpha"
                            .to_owned(),
                    ),
                );
                if let Some(d) = ctx.last_reported() {
                    d.severity = crate::diag::Severity::Warning;
                }
            }
        }
        Err(e) => ctx.at_attr(
            &rules::LOCAL_IMAGE,
            image,
            "href",
            Chain(&e).to_string(),
            None,
        ),
    }
}

/// One `podcast:integrity type="sri"` to compare with a local file.
struct IntegrityCheck<'a, 'i> {
    /// The `podcast:integrity` element.
    node: Node<'a, 'i>,
    /// The file its `podcast:alternateEnclosure` names.
    path: PathBuf,
    /// The strongest algorithm the SRI string lists, and the digests it gives for that algorithm.
    expected: (SriAlgorithm, Vec<&'a str>),
}

impl<'a, 'i> IntegrityCheck<'a, 'i> {
    /// The check an alternate enclosure asks for: its `podcast:integrity` of type `sri` (a PGP signature
    /// needs the publisher's key, which a feed does not carry: not checked), when the SRI string lists an
    /// algorithm castkit knows and one of its sources is a local file. A `default="true"` enclosure is the
    /// item's `<enclosure>`, whose URL is tried after the sources.
    fn of(
        item: &ChildElements<'a, 'i>,
        alternate: Node<'a, 'i>,
        map: &MediaMap,
    ) -> Option<IntegrityCheck<'a, 'i>> {
        let node = child(alternate, Ns::Podcast, "integrity")?;
        if !node
            .attribute("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("sri"))
        {
            return None;
        }
        let expected = strongest_sri(node.attribute("value")?)?;
        let default = alternate.attribute("default") == Some("true");
        let enclosure = item
            .child(Ns::Rss, "enclosure")
            .filter(|_| default)
            .and_then(|e| e.attribute("url"));
        let path = children(alternate, Ns::Podcast, "source")
            .filter_map(|s| s.attribute("uri"))
            .chain(enclosure)
            .filter_map(|url| map.resolve(url))
            .find(|p| p.is_file())?;
        Some(IntegrityCheck {
            node,
            path,
            expected,
        })
    }
}

/// The hash algorithms of Subresource Integrity, weakest first (the order [`strongest_sri`] ranks them by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum SriAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl SriAlgorithm {
    fn of_prefix(name: &str) -> Option<SriAlgorithm> {
        Some(match name {
            "sha256" => SriAlgorithm::Sha256,
            "sha384" => SriAlgorithm::Sha384,
            "sha512" => SriAlgorithm::Sha512,
            _ => return None,
        })
    }

    fn prefix(self) -> &'static str {
        match self {
            SriAlgorithm::Sha256 => "sha256",
            SriAlgorithm::Sha384 => "sha384",
            SriAlgorithm::Sha512 => "sha512",
        }
    }

    fn ring(self) -> &'static ring::digest::Algorithm {
        match self {
            SriAlgorithm::Sha256 => &ring::digest::SHA256,
            SriAlgorithm::Sha384 => &ring::digest::SHA384,
            SriAlgorithm::Sha512 => &ring::digest::SHA512,
        }
    }
}

/// The strongest algorithm an SRI string lists and its digests (base64, as written), as the SRI
/// specification reads it (<https://www.w3.org/TR/sri/>, "get the strongest metadata"): tokens are
/// separated by whitespace, `alg-digest?options`; tokens of unknown algorithms are ignored, and a file
/// matches when it matches any digest of the strongest algorithm listed. `None` when no token has a known
/// algorithm (nothing to check).
fn strongest_sri(value: &str) -> Option<(SriAlgorithm, Vec<&str>)> {
    let tokens: Vec<(SriAlgorithm, &str)> = value
        .split_ascii_whitespace()
        .filter_map(|token| {
            let (name, rest) = token.split_once('-')?;
            let digest = rest.split_once('?').map_or(rest, |(digest, _)| digest);
            Some((SriAlgorithm::of_prefix(name)?, digest))
        })
        .collect();
    let strongest = tokens.iter().map(|(alg, _)| *alg).max()?;
    let digests = tokens
        .into_iter()
        .filter(|(alg, _)| *alg == strongest)
        .map(|(_, digest)| digest)
        .collect();
    Some((strongest, digests))
}

/// A base64 digest as an SRI string may write it: the standard alphabet (or the URL-safe one), padded or
/// not.
fn decode_digest(written: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let bare = written.trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(bare)
        .or_else(|_| URL_SAFE_NO_PAD.decode(bare))
        .ok()
}

/// Compares each SRI string with its file. The files are hashed in parallel first (SHA-384 through the
/// probe cache, so a file `build-feed` has just hashed, or an unchanged one the store knows, is not read
/// again); a file that cannot be read is left unchecked.
fn check_integrity(ctx: &mut Ctx<'_>, checks: &[IntegrityCheck<'_, '_>]) {
    use rayon::prelude::*;
    let wanted: HashSet<(SriAlgorithm, &std::path::Path)> = checks
        .iter()
        .map(|c| (c.expected.0, c.path.as_path()))
        .collect();
    let cache = ctx.cache;
    let digests: std::collections::HashMap<(SriAlgorithm, &std::path::Path), Vec<u8>> = wanted
        .into_par_iter()
        .filter_map(|(alg, path)| {
            let digest = match alg {
                SriAlgorithm::Sha384 => cache.sha384(path).ok()?.0.to_vec(),
                other => crate::audio::cache::digest_file(path, other.ring())
                    .ok()?
                    .as_ref()
                    .to_vec(),
            };
            Some(((alg, path), digest))
        })
        .collect();
    for check in checks {
        let (alg, written) = &check.expected;
        let Some(actual) = digests.get(&(*alg, check.path.as_path())) else {
            continue;
        };
        if written
            .iter()
            .any(|w| decode_digest(w).as_ref() == Some(actual))
        {
            continue;
        }
        let actual = format!(
            "{}-{}",
            alg.prefix(),
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, actual)
        );
        ctx.at_attr(
            &rules::INTEGRITY_MISMATCH,
            check.node,
            "value",
            format!(
                "`podcast:integrity` does not match `{}`, whose {} is `{actual}`",
                check.path.display(),
                alg.prefix()
            ),
            Some(
                "the file changed after the feed was built: build the feed again (`castkit build-feed --integrity`), or put back the file it was built from"
                    .to_owned(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strongest_listed_algorithm_is_the_one_compared() {
        assert_eq!(
            strongest_sri("sha256-AAA sha384-BBB?opt sha384-CCC md5-DDD"),
            Some((SriAlgorithm::Sha384, vec!["BBB", "CCC"]))
        );
        assert_eq!(
            strongest_sri("  sha512-X\tsha256-Y\n"),
            Some((SriAlgorithm::Sha512, vec!["X"]))
        );
        assert_eq!(strongest_sri("md5-AAA sha1-BBB"), None);
        assert_eq!(strongest_sri(""), None);
        assert_eq!(strongest_sri("SHA384-AAA"), None);
    }

    #[test]
    fn digests_decode_in_either_alphabet_with_or_without_padding() {
        let bytes = vec![0xfb, 0xff, 0x01];
        for written in ["+/8B", "-_8B", "+/8B==", "-_8B="] {
            assert_eq!(decode_digest(written), Some(bytes.clone()), "{written}");
        }
        assert_eq!(decode_digest("not base64!"), None);
    }
}
