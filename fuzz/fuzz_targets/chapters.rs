//! Reads arbitrary text as chapters: Podcasting 2.0 JSON, a `00:00 Title` list, show notes, and single
//! times. Chapters read back from JSON must survive a write → read round trip.
#![no_main]

use castkit::chapters;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(list) = chapters::from_json(text) {
        let _ = chapters::check(&list, None);
        let _ = chapters::check(&list, Some(60_000));
    }
    let lines = chapters::from_text_list(text);
    let list: Vec<_> = lines
        .into_iter()
        .filter_map(|(_, line)| line.ok())
        .collect();
    let _ = chapters::check(&list, Some(3_600_000));
    if let Some(list) = chapters::from_show_notes(text) {
        let _ = chapters::check(&list, None);
    }
    for line in text.lines().take(64) {
        if let Ok(ms) = chapters::parse_time(line) {
            let _ = chapters::format_npt(ms);
            let _ = chapters::format_vtt(ms);
            let _ = chapters::format_short(ms);
        }
    }
});
