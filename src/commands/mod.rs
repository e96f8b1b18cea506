//! One module per subcommand: glue between the command line and the library, nothing more.

mod build_feed;
mod diff;
mod init;
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
        Command::Diff(args) => diff::run(&args),
        Command::Init(args) => init::run(&args),
    }
}

/// `--explain CODE`: prints a rule's documentation (`validate` and `diff` share every rule's).
fn explain(code: &str) -> anyhow::Result<ExitStatus> {
    use std::io::Write;

    use castkit::diag::suggest::did_you_mean;
    use castkit::registry;

    let Some(rule) = registry::find(code) else {
        let near = did_you_mean(code, registry::all().map(|r| r.name))
            .or_else(|| did_you_mean(code, registry::all().map(|r| r.code)));
        match near {
            Some(near) => {
                anyhow::bail!("no rule has the code or name `{code}`; did you mean `{near}`?")
            }
            None => anyhow::bail!(
                "no rule has the code or name `{code}`; codes are C0xx for catalogues, D0xx–D1xx for changes between feeds and F001–F4xx for feeds, e.g. `castkit validate --explain F001`"
            ),
        }
    };
    std::io::stdout()
        .lock()
        .write_all(registry::explain(rule).as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The `D` rules named by `--allow` (codes in any case, or names).
///
/// # Errors
/// A name that is no kind of change, with the nearest one.
fn allowed_changes(allow: &[String]) -> anyhow::Result<Vec<&'static castkit::diag::Rule>> {
    use castkit::diag::suggest::did_you_mean;

    allow
        .iter()
        .map(|code| {
            castkit::diff::RULES
                .iter()
                .copied()
                .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
                .ok_or_else(|| {
                    let near = did_you_mean(code, castkit::diff::RULES.iter().map(|r| r.name))
                        .map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            "; see `castkit diff --explain D002` and the README's table of D codes"
                                .to_owned()
                        });
                    anyhow::anyhow!("`--allow {code}` names no kind of change{near}")
                })
        })
        .collect()
}

/// Reads a feed from a file, or from standard input for `-`: its name for messages and at most one byte
/// more than castkit validates, so a huge input is refused without being held.
fn read_feed(feed: &std::path::Path) -> anyhow::Result<(String, Vec<u8>)> {
    use std::io::Read;

    use anyhow::Context;

    let limit = castkit::validate::MAX_FEED_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if feed == std::path::Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("cannot read the feed from standard input")?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    std::fs::File::open(feed)
        .and_then(|f| f.take(limit).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read the feed `{}`", feed.display()))?;
    Ok((feed.display().to_string(), bytes))
}
