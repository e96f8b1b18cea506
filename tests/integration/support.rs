//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test module uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where `Cargo.toml` is).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `castkit` command ready to run.
pub(crate) fn castkit() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("castkit").expect("the castkit binary is built")
}

/// Whether an external tool is on the PATH. When `CASTKIT_REQUIRE_TOOLS` is set (as CI sets it), a missing
/// tool fails the test instead of skipping it, so an independent check can never silently not run.
pub(crate) fn have_tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("-version")
        .output()
        .or_else(|_| Command::new(name).arg("--version").output())
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "`{name}` is required (CASTKIT_REQUIRE_TOOLS is set) but not installed"
        );
        eprintln!("skipped: `{name}` is not installed");
    }
    found
}

/// Whether a Python module can be imported (same `CASTKIT_REQUIRE_TOOLS` rule as [`have_tool`]).
pub(crate) fn have_python_module(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("CASTKIT_REQUIRE_TOOLS").is_none(),
            "python module `{module}` is required (CASTKIT_REQUIRE_TOOLS is set) but not installed"
        );
        eprintln!("skipped: python module `{module}` is not installed");
    }
    found
}

/// The shared corpus folder next to the repository, if present.
pub(crate) fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: the shared corpus folder `../shared` is not present next to the repository"
        );
        None
    }
}

/// Copies a folder tree (used to give each test its own copy of the example show).
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
