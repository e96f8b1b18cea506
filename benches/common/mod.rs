//! Helpers shared by castkit's benchmarks: timing whole processes against a reference command run on the
//! same machine in the same run, and peak memory of a child process.
//!
//! Targets are ratios (castkit ÷ reference), never absolute times: the same ratio holds on a laptop and on
//! a CI runner, an absolute time does not.

#![allow(dead_code, reason = "each benchmark uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where generated inputs are kept between runs (under the target directory, never committed).
pub(crate) fn data_dir(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data").join(name);
    std::fs::create_dir_all(&dir).expect("create the bench data folder");
    dir
}

/// Whether a tool is installed.
pub(crate) fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Runs a shell command, failing loudly.
pub(crate) fn sh(script: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .status()
        .expect("run sh");
    assert!(status.success(), "failed: {script}");
}

/// The median wall time of `runs` runs of a shell command, after one warm-up run (so the page cache is
/// warm, as the targets specify).
pub(crate) fn median_time(script: &str, runs: usize) -> Duration {
    let run = || {
        let start = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run sh");
        let elapsed = start.elapsed();
        assert!(
            status.success() || status.code() == Some(1),
            "failed: {script}"
        );
        elapsed
    };
    run();
    let mut times: Vec<Duration> = (0..runs).map(|_| run()).collect();
    times.sort();
    times[runs / 2]
}

/// Peak resident memory of a command, in KiB: `ru_maxrss` from `wait4(2)` on that one child (a shell or a
/// forked interpreter in between would report its own pages instead).
pub(crate) fn peak_rss_kib(program: &Path, args: &[&str]) -> Option<u64> {
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child, not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    (reaped == pid).then_some(usage.ru_maxrss as u64)
}

/// Prints one comparison line: castkit's time, the reference's, and the ratio against the target.
pub(crate) fn report(
    what: &str,
    castkit: Duration,
    reference_name: &str,
    reference: Duration,
    target: &str,
) {
    let ratio = castkit.as_secs_f64() / reference.as_secs_f64();
    println!(
        "{what:<44} castkit {:>9.1} ms | {reference_name:<28} {:>9.1} ms | ratio {ratio:>6.2} ({target})",
        castkit.as_secs_f64() * 1000.0,
        reference.as_secs_f64() * 1000.0,
    );
}
