//! Process exit statuses, defined once for every command.
//!
//! The convention follows ripgrep and ruff: `0` means the run was clean, `1` means it ran but found problems
//! (diagnostics at error level, or a file that could not be processed), `2` means it could not run at all
//! (bad flags, an unreadable catalogue or feed).

/// How a command ended, as the process exit code CI reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Everything succeeded and nothing at error level was found.
    Success,
    /// The command ran, but found errors or failed on some of its inputs.
    Failure,
    /// The command could not run: bad arguments or unreadable input.
    Error,
}

impl ExitStatus {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }

    /// The worse of two statuses, for combining per-file results.
    #[must_use]
    pub fn worst(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }
}
