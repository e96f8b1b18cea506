//! What a file is, from its first bytes (never from its name).

/// A container castkit recognises by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// `fLaC`.
    Flac,
    /// `OggS`.
    Ogg,
    /// `RIFF` … `WAVE`.
    Wav,
    /// An ISO base media file (`ftyp` box).
    Mp4,
}

/// Recognises a container from the bytes where the audio starts (after any ID3v2 tags).
pub(crate) fn container(head: &[u8]) -> Option<Container> {
    if head.starts_with(b"fLaC") {
        Some(Container::Flac)
    } else if head.starts_with(b"OggS") {
        Some(Container::Ogg)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        Some(Container::Wav)
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Some(Container::Mp4)
    } else {
        None
    }
}

/// Says what a file that is not audio looks like, for the error message.
pub(crate) fn describe(head: &[u8]) -> String {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if head.is_empty() {
        return "the file is empty (0 bytes)".to_owned();
    }
    if head.len() >= 2 && head[0] == 0xFF && head[1] & 0xF6 == 0xF0 {
        return "it is a raw AAC (ADTS) stream; put it in an M4A container (`ffmpeg -i in.aac -c copy out.m4a`)".to_owned();
    }
    if starts(b"\x89PNG") || starts(b"\xFF\xD8\xFF") || starts(b"GIF8") {
        return "it is an image".to_owned();
    }
    if starts(b"%PDF") {
        return "it is a PDF document".to_owned();
    }
    if starts(b"PK\x03\x04") {
        return "it is a ZIP archive".to_owned();
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]);
    let trimmed = text.trim_start().to_ascii_lowercase();
    if trimmed.starts_with("<?xml") || trimmed.starts_with("<rss") {
        return "it is an XML document".to_owned();
    }
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        return "it is an HTML page (a download that returned an error page?)".to_owned();
    }
    let printable = head
        .iter()
        .take(512)
        .filter(|&&b| {
            b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7F).contains(&b) || b >= 0x80
        })
        .count();
    if printable * 10 >= head.len().min(512) * 9 {
        return "it is text, not audio".to_owned();
    }
    "no audio frames or known container were found in it".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_magic() {
        assert_eq!(container(b"fLaC\0\0\0\x22"), Some(Container::Flac));
        assert_eq!(container(b"OggS\0\x02"), Some(Container::Ogg));
        assert_eq!(container(b"RIFF\x24\0\0\0WAVEfmt "), Some(Container::Wav));
        assert_eq!(
            container(b"\0\0\0\x20ftypM4A \0\0\0\0"),
            Some(Container::Mp4)
        );
        assert_eq!(container(b"\xFF\xFB\x90\x00"), None);
    }

    #[test]
    fn descriptions_say_what_it_is() {
        assert!(describe(b"").contains("empty"));
        assert!(describe(b"Hello, this is plain text.\n").contains("text"));
        assert!(describe(b"<!DOCTYPE html><html>").contains("HTML"));
        assert!(describe(b"\x89PNG\r\n\x1a\n").contains("image"));
        assert!(describe(b"\xFF\xF1\x50\x80").contains("ADTS"));
        assert!(describe(&[0u8, 1, 2, 3, 250, 3, 0, 0, 0, 9]).contains("no audio"));
    }
}
