//! One module per subcommand: glue between the command line and the library, nothing more.

mod build_feed;
mod probe;
mod tag;
mod validate;

use castkit::ExitStatus;

use crate::cli::Command;

/// Runs one command to completion.
pub(crate) fn run(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::BuildFeed(args) => build_feed::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Tag(args) => tag::run(&args),
        Command::Validate(args) => validate::run(&args),
    }
}
