//! The `castkit` binary: parse the arguments, run the command, turn the outcome into an exit code.

mod cli;
mod commands;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli.command) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            // A closed pipe (`castkit probe … | head`) is how the reader says it has had enough: not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            // castkit's errors say only their own level and leave the cause to `source()`, so `{:#}` prints
            // each level once: `outer: cause: cause`.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err:#}");
            ExitCode::from(castkit::ExitStatus::Error.code())
        }
    }
}
