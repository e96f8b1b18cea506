//! The feed against the files it points at, when they are local (`--catalogue` or `--media`): each
//! enclosure's length is the file's size, its type matches the content, `itunes:duration` matches the exact
//! probe within a second; artwork meets Apple's rules; chapters and transcripts exist.

use std::collections::HashSet;

use roxmltree::Node;

use super::{Ctx, MediaMap, rules};
use crate::audio::AudioFormat;
use crate::error::Chain;
use crate::feed::parse::{ChildElements, Ns, child, text_ref};

pub(super) fn check(
    ctx: &mut Ctx<'_>,
    channel: Node<'_, '_>,
    items: &[Node<'_, '_>],
    map: &MediaMap,
) {
    // Episodes usually share the show's artwork: each image file is read and reported once.
    let mut artwork_seen = HashSet::new();
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
