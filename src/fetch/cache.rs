//! Kept copies of fetched bodies, for conditional requests.
//!
//! One file per URL, named from the URL's UUIDv5 (`<uuid>.feed`): a one-line JSON header (format, URL,
//! `ETag`, `Last-Modified`, body length), a newline, then the body. Validators and body share one file
//! written atomically, so the validators always describe the body beside them, even after a crash. A file
//! that does not parse, names another URL or has another length is ignored: the fetch is then a plain one.

use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use url::Url;

/// The header's format; anything else is ignored (a later castkit may keep copies differently).
const FORMAT: &str = "castkit-fetch-copy-1";

/// The longest header read; URLs and validators are short.
const MAX_HEADER: usize = 16 * 1024;

#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    format: String,
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    len: u64,
}

/// A kept copy whose header was read and checked; its body is read only if the server says `304`.
#[derive(Debug)]
pub(super) struct Kept {
    /// Open from the moment the header was read, so the body read later is the one it describes.
    file: File,
    body_offset: u64,
    len: u64,
    /// The `ETag` to send as `If-None-Match`.
    pub(super) etag: Option<String>,
    /// The date to send as `If-Modified-Since`.
    pub(super) last_modified: Option<String>,
}

/// The kept copy's file for `url` in `dir`.
fn path(dir: &Path, url: &Url) -> PathBuf {
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, url.as_str().as_bytes());
    dir.join(format!("{id}.feed"))
}

/// Usable as a header value: visible ASCII and spaces, nothing that could end the header line.
fn valid_header_value(value: &str) -> bool {
    !value.is_empty() && ureq::http::HeaderValue::from_str(value).is_ok()
}

impl Kept {
    /// The kept copy of `url`, if there is a sound one no larger than `max_bytes`, with a validator.
    pub(super) fn open(dir: &Path, url: &Url, max_bytes: usize) -> Option<Kept> {
        let mut file = File::open(path(dir, url)).ok()?;
        let file_len = file.metadata().ok()?.len();
        let mut start = Vec::with_capacity(MAX_HEADER);
        (&mut file)
            .take(MAX_HEADER as u64)
            .read_to_end(&mut start)
            .ok()?;
        let newline = start.iter().position(|&b| b == b'\n')?;
        let header: Header = serde_json::from_slice(&start[..newline]).ok()?;
        let body_offset = newline as u64 + 1;
        let sound = header.format == FORMAT
            && header.url == url.as_str()
            && header.len <= max_bytes as u64
            && body_offset.checked_add(header.len) == Some(file_len)
            && header.etag.as_deref().is_none_or(valid_header_value)
            && header
                .last_modified
                .as_deref()
                .is_none_or(valid_header_value)
            && (header.etag.is_some() || header.last_modified.is_some());
        sound.then_some(Kept {
            file,
            body_offset,
            len: header.len,
            etag: header.etag,
            last_modified: header.last_modified,
        })
    }

    /// The kept body, exactly the length the header states; `None` if it cannot be read back whole.
    pub(super) fn read_body(mut self) -> Option<Vec<u8>> {
        self.file.seek(SeekFrom::Start(self.body_offset)).ok()?;
        let len = usize::try_from(self.len).ok()?;
        let mut bytes = Vec::with_capacity(len);
        // One byte more than stated shows a file that grew since the header was checked.
        (&mut self.file)
            .take(self.len + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.len() == len).then_some(bytes)
    }
}

/// Keeps `bytes` as the copy of `url` with its validators, replacing any earlier copy atomically. A body
/// with no validator cannot be asked for conditionally: any earlier copy is removed instead. Failures are
/// ignored: a copy not kept only costs a full download next time.
pub(super) fn keep(
    dir: &Path,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    bytes: &[u8],
) {
    let path = path(dir, url);
    let etag = etag.filter(|v| valid_header_value(v));
    let last_modified = last_modified.filter(|v| valid_header_value(v));
    if etag.is_none() && last_modified.is_none() {
        let _ = fs::remove_file(&path);
        return;
    }
    let header = Header {
        format: FORMAT.to_owned(),
        url: url.to_string(),
        etag: etag.map(str::to_owned),
        last_modified: last_modified.map(str::to_owned),
        len: bytes.len() as u64,
    };
    let Ok(header) = serde_json::to_string(&header) else {
        return;
    };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let _ = crate::fsutil::write_atomic(&path, |out: &mut dyn Write| {
        out.write_all(header.as_bytes())?;
        out.write_all(b"\n")?;
        out.write_all(bytes)
    });
}
