//! `cargo bench --bench diff`: comparing two 10,000-item feeds (every tenth item retitled and re-tagged,
//! 100 items removed, 100 added), time and peak memory, against `xmllint --noout` parsing both (libxml2, the
//! floor for reading two feeds of that size at all).
//!
//! The feeds are generated on the first run and kept under `target/bench-data/diff/`.

#[path = "common/mod.rs"]
mod common;

use common::*;

fn main() {
    let castkit = env!("CARGO_BIN_EXE_castkit");
    let dir = data_dir("diff");
    let old = dir.join("old-10k.xml");
    let new = dir.join("new-10k.xml");
    if !old.exists() || !new.exists() {
        std::fs::write(&old, podcast_feed(10_000, |_| false)).unwrap();
        // NEW: OLD's items 100–9,999 (every tenth retitled and re-tagged) and 100 new ones, 10,000–10,099.
        let text = podcast_feed(10_100, |i| i % 10 == 0);
        let start = text.find("    <item>").unwrap();
        let cut = (0..100).fold(start, |at, _| {
            text[at..]
                .find("    </item>\n")
                .map(|e| at + e + 12)
                .unwrap()
        });
        let new_text = text[..start].to_owned() + &text[cut..];
        std::fs::write(&new, new_text).unwrap();
    }
    let size = std::fs::metadata(&old).unwrap().len() + std::fs::metadata(&new).unwrap().len();
    let (o, n) = (old.display(), new.display());
    let out = std::process::Command::new(castkit)
        .args(["diff", "--allow", "episode-removed"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    println!(
        "\ntwo 10,000-item feeds, {:.1} MB together: {}",
        size as f64 / 1e6,
        text.lines().last().unwrap_or("")
    );
    let ours = median_time(
        &format!("'{castkit}' diff --allow D002 '{o}' '{n}' > /dev/null"),
        5,
    );
    report(
        "castkit diff",
        ours,
        "cat",
        median_time(&format!("cat '{o}' '{n}' > /dev/null"), 5),
        "reference",
    );
    if have("xmllint") {
        let xmllint = median_time(&format!("xmllint --noout --nonet '{o}' '{n}'"), 5);
        report(
            "castkit diff",
            ours,
            "xmllint --noout (both)",
            xmllint,
            "parse only",
        );
    }
    let o = o.to_string();
    let n = n.to_string();
    if let Some(kib) = peak_rss_kib(std::path::Path::new(castkit), &["diff", &o, &n]) {
        println!(
            "peak RSS: {:.1} MB, {:.1} × the two feeds",
            kib as f64 * 1024.0 / 1e6,
            kib as f64 * 1024.0 / size as f64
        );
    }
}
