//! `castkit completions SHELL`: the shell's completion script for every command and flag, on stdout.

use std::io::Write;

use castkit::ExitStatus;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

/// Runs the command: clap_complete writes the script from the same definition the parser uses, so it
/// cannot miss a command or a flag.
pub(crate) fn run(args: &CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    // Written whole, then checked: a script cut short by a full disk would break the user's shell start-up.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
