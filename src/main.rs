//! The `castkit` binary: parse the arguments, run the command, turn the outcome into an exit code.

mod cli;
mod commands;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use commands::ui::{Stream, Ui};

fn main() -> ExitCode {
    let cli = parse_args();
    let ui = Ui::from_flags(&cli.global);
    match commands::run(cli.command, ui) {
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
            let _ = writeln!(stderr, "{} {err:#}", ui.error_label(Stream::Stderr));
            ExitCode::from(castkit::ExitStatus::Error.code())
        }
    }
}

/// The command line, parsed by clap with its help and usage errors coloured as `--color` says (clap prints
/// them and exits before castkit's own flags are known, so `--color` is read first).
fn parse_args() -> cli::Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let color = cli::ColorWhen::from_args(&args);
    let mut command = cli::Cli::command().color(color.into());
    let mut matches = command
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    let cli = cli::Cli::from_arg_matches_mut(&mut matches)
        .unwrap_or_else(|e| e.format(&mut command).exit());
    // clap sees the conflict only when both flags are given at the same level (`castkit probe -q -v`), not
    // across levels (`castkit -q probe -v`).
    if cli.global.quiet && cli.global.verbose {
        command
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--quiet' cannot be used with '--verbose'",
            )
            .exit();
    }
    cli
}
