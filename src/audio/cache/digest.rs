//! Digests of whole files, for `podcast:integrity`: streamed in fixed chunks (memory stays bounded whatever
//! the file's size), with ring's assembly implementations.

use std::io::{self, Read};
use std::path::Path;

use base64::Engine;
use ring::digest::{Algorithm, Context, Digest, SHA384};

/// Bytes read at a time: large enough that system calls cost nothing next to the hashing, small enough to
/// stay in the CPU's caches.
const CHUNK: usize = 256 * 1024;

/// The SHA-384 digest of a file's bytes, the algorithm castkit writes in `podcast:integrity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sha384(pub [u8; 48]);

impl Sha384 {
    /// The digest of the file at `path`, read once from start to end.
    ///
    /// # Errors
    /// The file cannot be opened or read.
    pub fn of_file(path: &Path) -> io::Result<Sha384> {
        let digest = digest_file(path, &SHA384)?;
        let mut bytes = [0; 48];
        bytes.copy_from_slice(digest.as_ref());
        Ok(Sha384(bytes))
    }

    /// The Subresource Integrity string: `sha384-` and the digest in standard base64 with padding, as
    /// <https://www.w3.org/TR/sri/> writes it.
    pub fn sri(&self) -> String {
        format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(self.0)
        )
    }
}

/// The `algorithm` digest of the file at `path`, read in chunks of 256 KiB.
///
/// # Errors
/// The file cannot be opened or read.
pub fn digest_file(path: &Path, algorithm: &'static Algorithm) -> io::Result<Digest> {
    let mut file = std::fs::File::open(path)?;
    let mut context = Context::new(algorithm);
    let mut buffer = vec![0u8; CHUNK];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(context.finish()),
            Ok(n) => context.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sri_string_of_known_inputs_matches_the_published_vectors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        // FIPS 180-2's "abc" vector, and the empty input; the base64 forms checked with
        // `openssl dgst -sha384 -binary | base64`.
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(
            Sha384::of_file(&path).unwrap().sri(),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
        std::fs::write(&path, b"").unwrap();
        assert_eq!(
            Sha384::of_file(&path).unwrap().sri(),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
        // Longer than a chunk, and not a multiple of it: the same digest as one call over all the bytes.
        let long: Vec<u8> = (0..CHUNK * 2 + 7).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&path, &long).unwrap();
        assert_eq!(
            Sha384::of_file(&path).unwrap().0.as_slice(),
            ring::digest::digest(&SHA384, &long).as_ref()
        );
    }
}
