//! Enclosure media types: which Apple Podcasts accepts, and which file extensions belong to each.

/// Enclosure types Apple Podcasts accepts (Apple's guide), with PSP-1's `audio/m4a` and the `audio/mp4`
/// that MP4 audio files are also served as.
pub const APPLE_MEDIA_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/x-m4a",
    "audio/m4a",
    "audio/mp4",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "application/pdf",
];

/// Whether an enclosure type (lowercase, without parameters) names media a podcast app could play: any
/// `audio/` or `video/` type, or `application/pdf` (Apple's one document type). `text/html`, images,
/// `application/octet-stream` and the like are not: no app knows what to do with them, and Apple rejects
/// the episode. An empty type is left to the rule about missing attributes.
pub fn is_media(mime: &str) -> bool {
    mime.is_empty()
        || mime.starts_with("audio/")
        || mime.starts_with("video/")
        || mime == "application/pdf"
        || mime == "application/ogg"
}

/// File extensions that name a podcast media file: the ones whose disagreement with an enclosure's type
/// is worth a finding (an extension outside this list says nothing about the content).
pub const MEDIA_EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "mp4", "m4v", "mov", "pdf", "ogg", "opus", "wav", "flac", "aac", "m4b", "mp2",
    "mpga",
];

/// The extensions a file served as `mime` (one of [`APPLE_MEDIA_TYPES`], lowercase) may have; empty for
/// other types.
pub fn extensions_for(mime: &str) -> &'static [&'static str] {
    match mime {
        "audio/mpeg" => &["mp3", "mpga", "mp2"],
        "audio/x-m4a" | "audio/m4a" | "audio/mp4" => &["m4a", "mp4", "aac", "m4b"],
        "video/mp4" => &["mp4", "m4v"],
        "video/quicktime" => &["mov"],
        "video/x-m4v" => &["m4v", "mp4"],
        "application/pdf" => &["pdf"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_apple_type_has_extensions_in_the_media_list() {
        for mime in APPLE_MEDIA_TYPES {
            let exts = extensions_for(mime);
            assert!(!exts.is_empty(), "{mime}");
            assert!(exts.iter().all(|e| MEDIA_EXTENSIONS.contains(e)), "{mime}");
        }
    }
}
