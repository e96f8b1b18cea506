//! Probes arbitrary bytes as an audio file; see `checks::probe`.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A scratch folder for the whole run: inputs that must be files are written there.
static SCRATCH: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    checks::probe(data, scratch.path());
});
