//! Compares two arbitrary feeds (the input split at its first NUL byte, or in half when it has none): it
//! must never panic, and a feed compared with itself has no breaking change.
#![no_main]

use castkit::diff::{self, Input, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => data.split_at(data.len() / 2),
    };
    let options = Options::default();
    let _ = diff::diff(
        Input {
            name: "old.xml",
            bytes: old,
        },
        Input {
            name: "new.xml",
            bytes: new,
        },
        &options,
    );
    if let Ok(result) = diff::diff(
        Input {
            name: "old.xml",
            bytes: new,
        },
        Input {
            name: "new.xml",
            bytes: new,
        },
        &options,
    ) {
        assert!(
            !result.is_breaking(),
            "a feed compared with itself has a breaking change"
        );
    }
});
