//! The files a feed points at, written next to it: each episode's JSON chapters and the WebVTT converted
//! from an SRT transcript, named by a slug of the episode's guid (which never changes), with their public
//! URLs for the feed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::channel::EpisodeAudio;
use crate::catalogue::{Catalogue, ChaptersOrigin, Episode, rules};
use crate::chapters;
use crate::diag::{Diagnostic, SourceFile};
use crate::transcripts;

/// A file the feed points at, to be written next to it.
pub(super) struct SideFile {
    pub(super) path: PathBuf,
    pub(super) bytes: Vec<u8>,
}

/// The public URLs of one episode's side files.
pub(super) struct EpisodeFiles {
    /// Its JSON chapters, when it has chapters.
    pub(super) chapters_url: Option<String>,
    /// For each of its transcripts, the WebVTT converted from it, when one was asked for.
    pub(super) vtt_urls: Vec<Option<String>>,
}

/// Plans the side files of the chosen episodes (in `out_dir`, the feed's folder) and their URLs. A
/// transcript that cannot be read or converted is an error finding: the feed would otherwise silently lack
/// the WebVTT the catalogue asked for.
pub(super) fn plan(
    catalogue: &Catalogue,
    chosen: &[&Episode],
    audio: &[&EpisodeAudio],
    guids: &[String],
    out_dir: &Path,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<SideFile>, Vec<EpisodeFiles>) {
    let mut side_files = Vec::new();
    let mut slugs = BTreeSet::new();
    let mut planned = Vec::with_capacity(chosen.len());
    for ((episode, audio), guid) in chosen.iter().zip(audio).zip(guids) {
        let slug = unique_slug(guid, &mut slugs);
        let remote_chapters = match episode.chapters_origin.as_ref().map(|o| &o.value) {
            Some(ChaptersOrigin::Remote(url)) => Some(url.to_string()),
            _ => None,
        };
        let chapters_url = remote_chapters.or_else(|| {
            (!episode.chapters.is_empty()).then(|| {
                let doc = chapters::to_json(
                    &episode.chapters,
                    audio.duration_ms(),
                    &episode.title,
                    &catalogue.show.title,
                );
                let name = format!("chapters/{slug}.json");
                side_files.push(SideFile {
                    path: out_dir.join(&name),
                    bytes: chapters::json_text(&doc).into_bytes(),
                });
                public_url(catalogue, &name)
            })
        });
        let mut vtt_urls = Vec::with_capacity(episode.transcripts.len());
        for t in &episode.transcripts {
            let path = match &t.file.path {
                Some(path) if t.convert_to_vtt => path,
                _ => {
                    vtt_urls.push(None);
                    continue;
                }
            };
            let problem = match std::fs::read_to_string(path) {
                Ok(text) => match transcripts::srt_to_vtt(&text) {
                    Ok(vtt) => {
                        let name = format!("transcripts/{slug}.vtt");
                        side_files.push(SideFile {
                            path: out_dir.join(&name),
                            bytes: vtt.into_bytes(),
                        });
                        vtt_urls.push(Some(public_url(catalogue, &name)));
                        continue;
                    }
                    Err(e) => format!("cannot be converted to WebVTT: {e}"),
                },
                Err(e) => format!("cannot be read: {e}"),
            };
            diagnostics.push(
                rules::TRANSCRIPT_PROBLEM
                    .diag(format!(
                        "{}: `{}` {problem}",
                        episode.label(),
                        t.file.written
                    ))
                    .at(source.location(t.span.clone()))
                    .help("fix or re-export the SRT file, or set `vtt = false`"),
            );
            vtt_urls.push(None);
        }
        planned.push(EpisodeFiles {
            chapters_url,
            vtt_urls,
        });
    }
    (side_files, planned)
}

/// A file name for an episode's side files, from its guid (which never changes): characters unsafe in a
/// URL or a file name become `-`, and a collision gets a numeric suffix in catalogue order.
pub(super) fn unique_slug(guid: &str, taken: &mut BTreeSet<String>) -> String {
    let base: String = guid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('.')
        .to_owned();
    let base = if base.is_empty() {
        "episode".to_owned()
    } else {
        base
    };
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The public URL of a file published next to the feed.
fn public_url(catalogue: &Catalogue, relative: &str) -> String {
    catalogue
        .show
        .feed_url
        .join(relative)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| relative.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("a/b", &mut taken), "a-b");
        assert_eq!(unique_slug("a?b", &mut taken), "a-b-2");
        assert_eq!(unique_slug("..", &mut taken), "episode");
        assert_eq!(
            unique_slug("084ffd36-b9e2-4606-b7f8-4798d1eae455", &mut taken),
            "084ffd36-b9e2-4606-b7f8-4798d1eae455"
        );
    }
}
