//! `castkit tag`.

use castkit::ExitStatus;

use crate::cli::TagArgs;

/// Runs the command.
pub(crate) fn run(_args: &TagArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tag` is not built yet")
}
