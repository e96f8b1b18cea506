//! `castkit build-feed`.

use castkit::ExitStatus;

use crate::cli::BuildFeedArgs;

/// Runs the command.
pub(crate) fn run(_args: &BuildFeedArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`build-feed` is not built yet")
}
