//! `castkit validate`.

use castkit::ExitStatus;

use crate::cli::ValidateArgs;

/// Runs the command.
pub(crate) fn run(_args: &ValidateArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`validate` is not built yet")
}
