//! Loads arbitrary text as an `episodes.toml` catalogue: it must never panic, and an accepted catalogue has
//! no error among its diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = std::env::temp_dir().join("castkit-fuzz-catalogue-root-that-does-not-exist");
    let loaded = castkit::catalogue::load_str("episodes.toml", text, &root);
    if loaded.catalogue.is_some() {
        assert!(
            !loaded.diagnostics.iter().any(|d| d.is_error()),
            "a catalogue was accepted despite an error"
        );
    }
});
