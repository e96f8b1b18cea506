//! `castkit probe`.

use castkit::ExitStatus;

use crate::cli::ProbeArgs;

/// Runs the command.
pub(crate) fn run(_args: &ProbeArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`probe` is not built yet")
}
