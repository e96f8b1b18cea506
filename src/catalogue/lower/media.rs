//! Files the catalogue names: whether they exist inside the show's folder, their public URLs, and Apple's
//! artwork rules for images.

use std::path::{Component, Path, PathBuf};

use super::Context;
use super::values::url_field;
use crate::catalogue::MediaRef;
use crate::catalogue::reader::{At, Sink};
use crate::catalogue::rules;
use crate::diag::suggest::did_you_mean;
use crate::error::Chain;
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::catalogue) enum MediaKind {
    /// An episode's audio: a local file, or a URL when the episode states its length and type.
    Audio,
    /// Show or episode artwork (checked against Apple's rules).
    Image,
    /// Another published file: a chapter image, a transcript.
    Asset,
}

impl Context<'_> {
    /// Resolves a media path (or, for images, an absolute URL) into a [`MediaRef`], checking that the file
    /// exists, that it is inside the media folder and, for images, Apple's artwork rules.
    pub(in crate::catalogue) fn reference(
        &self,
        sink: &mut Sink<'_>,
        written: &At<String>,
        kind: MediaKind,
        owner: &str,
    ) -> Option<MediaRef> {
        let field = match kind {
            MediaKind::Audio => "audio",
            MediaKind::Image => "image",
            MediaKind::Asset => "file",
        };
        if written.value.starts_with("http://") || written.value.starts_with("https://") {
            // Audio hosted elsewhere (an imported show's media left on its old host): the episode states its
            // length and type, which `lower_episode` requires.
            let url = url_field(sink, written, field)?;
            return Some(MediaRef {
                path: None,
                written: written.value.clone(),
                span: written.span.clone(),
                url,
            });
        }
        let path = normalize(&self.root.join(&written.value));
        // Without a media folder there is nothing to resolve against; that was reported already.
        let media_dir = normalize(self.media_dir.as_deref()?);
        let Ok(below) = path.strip_prefix(&media_dir) else {
            sink.report(
                &rules::OUTSIDE_MEDIA_DIR,
                written.span.clone(),
                format!(
                    "`{}` ({owner}) is not inside the media folder `{}`",
                    written.value, self.media_dir_written
                ),
                Some(format!(
                    "move it into `{}`: public URLs are `media_base_url` plus the path below that folder",
                    self.media_dir_written
                )),
            );
            return None;
        };
        // One stat (following links): a regular file goes on, anything else there is named for what it is.
        let found = std::fs::metadata(&path).ok();
        if let Some(meta) = found.as_ref().filter(|m| !m.is_file()) {
            sink.report(
                &rules::MEDIA_NOT_FOUND,
                written.span.clone(),
                format!(
                    "{owner}: `{}` is {}, not a file castkit can read",
                    written.value,
                    crate::fsutil::file_type_in_words(meta.file_type())
                ),
                Some(
                    "give the path of the file itself (a symbolic link to a file is fine)"
                        .to_owned(),
                ),
            );
            return None;
        }
        if found.is_none() {
            let what = match kind {
                MediaKind::Audio => "audio file",
                MediaKind::Image => "image",
                MediaKind::Asset => "file",
            };
            let help = nearest_file_name(&path)
                .map(|n| {
                    format!("did you mean `{n}`? (paths are relative to the catalogue's folder)")
                })
                .unwrap_or_else(|| {
                    "paths are relative to the folder that holds the catalogue".to_owned()
                });
            sink.report(
                &rules::MEDIA_NOT_FOUND,
                written.span.clone(),
                format!("{owner}: {what} `{}` not found", written.value),
                Some(help),
            );
            return None;
        }
        if kind == MediaKind::Image {
            check_artwork(sink, written, &path, owner);
        }
        let mut url = self.base_url.clone()?;
        {
            let Ok(mut segments) = url.path_segments_mut() else {
                // Checked when the base URL was read: it is an http(s) URL, which always has path segments.
                return None;
            };
            segments.pop_if_empty();
            for part in below.components() {
                segments.push(&part.as_os_str().to_string_lossy());
            }
        }
        Some(MediaRef {
            path: Some(path),
            written: written.value.clone(),
            span: written.span.clone(),
            url,
        })
    }
}

pub(super) fn check_artwork(sink: &mut Sink<'_>, written: &At<String>, path: &Path, owner: &str) {
    let extension = path.extension().and_then(|e| e.to_str());
    match crate::image::inspect(path) {
        Ok(facts) => {
            let problems = crate::image::apple_artwork_problems(&facts, extension);
            if !problems.is_empty() {
                sink.report(
                    &rules::IMAGE_REQUIREMENTS,
                    written.span.clone(),
                    format!(
                        "the image `{}` ({owner}) does not meet Apple's artwork rules: {}",
                        written.value,
                        problems.join("; ")
                    ),
                    Some(
                        "export a square RGB JPEG or PNG between 1400×1400 and 3000×3000 pixels"
                            .to_owned(),
                    ),
                );
            }
        }
        Err(e) => sink.report(
            &rules::IMAGE_REQUIREMENTS,
            written.span.clone(),
            format!(
                "the image `{}` ({owner}) cannot be used: {}",
                written.value,
                Chain(&e)
            ),
            Some("use a JPEG or PNG file".to_owned()),
        ),
    }
}

/// The name of the file in the same folder that is closest to the missing one's.
pub(super) fn nearest_file_name(missing: &Path) -> Option<String> {
    let dir = missing.parent()?;
    let wanted = missing.file_name()?.to_string_lossy().into_owned();
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    did_you_mean(&wanted, names.iter().map(String::as_str)).map(str::to_owned)
}

/// Removes `.` and resolves `..` lexically, so containment can be checked without touching the disk.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
