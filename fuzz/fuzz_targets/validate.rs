//! Decodes and validates arbitrary bytes as a podcast feed (encoding detection, XML, every rule set): it must
//! never panic nor hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = castkit::validate::Options::default();
    let _ = castkit::validate::validate_bytes("feed.xml", data, &options);
});
