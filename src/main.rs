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
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", message_with_causes(&err));
            ExitCode::from(castkit::ExitStatus::Error.code())
        }
    }
}

/// The error and its causes on one line, leaving out a cause whose text the message already shows (castkit's
/// errors name their cause in their own message, with the path it happened to).
fn message_with_causes(err: &anyhow::Error) -> String {
    let mut message = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    message
}
