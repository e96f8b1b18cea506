//! Reads arbitrary text as a transcript in every format castkit knows (SRT, VTT, JSON, HTML, text), and
//! converts SRT to VTT: converted SRT must read back as VTT.
#![no_main]

use castkit::transcripts::{self, TranscriptFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [
        TranscriptFormat::Srt,
        TranscriptFormat::Vtt,
        TranscriptFormat::Json,
        TranscriptFormat::Html,
        TranscriptFormat::Text,
    ] {
        let _ = transcripts::inspect(text, format);
    }
    if let Ok(vtt) = transcripts::srt_to_vtt(text) {
        if let Err(e) = transcripts::inspect(&vtt, TranscriptFormat::Vtt) {
            panic!("SRT converted to VTT does not read back as VTT: {e}\n{vtt}");
        }
    }
});
