//! One module per subcommand: glue between the command line and the library, nothing more.

mod build_feed;
mod completions;
mod diff;
mod import;
mod init;
mod man;
mod probe;
mod serve;
mod tag;
pub(crate) mod ui;
mod validate;

use castkit::ExitStatus;

use crate::cli::Command;
use ui::Ui;

/// Runs one command to completion, talking as `ui` says.
pub(crate) fn run(command: Command, ui: Ui) -> anyhow::Result<ExitStatus> {
    match command {
        Command::BuildFeed(args) => build_feed::run(&args, ui),
        Command::Probe(args) => probe::run(&args, ui),
        Command::Tag(args) => tag::run(&args, ui),
        Command::Validate(args) => validate::run(&args, ui),
        Command::Diff(args) => diff::run(&args, ui),
        Command::Serve(args) => serve::run(&args, ui),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args, ui),
        Command::Import(args) => import::run(&args, ui),
        Command::Init(args) => init::run(&args, ui),
    }
}

/// A duration in milliseconds as `h:mm:ss.mmm` (the `probe` table's form).
fn clock(ms: u64) -> String {
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
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
        .and_then(|f| {
            // Sized once from the file's length (capped): no copy as the buffer grows.
            let length = f.metadata().map_or(0, |m| m.len()).min(limit);
            bytes.reserve_exact(usize::try_from(length).unwrap_or(0) + 1);
            f.take(limit).read_to_end(&mut bytes)
        })
        .with_context(|| format!("cannot read the feed `{}`", feed.display()))?;
    Ok((feed.display().to_string(), bytes))
}

/// The bytes of a feed named on the command line: a URL is fetched (redirects said on stderr), `-` is
/// standard input, anything else a file.
fn read_named_feed(
    spec: &str,
    fetch: &castkit::fetch::FetchOptions,
    ui: Ui,
    err: &mut impl std::io::Write,
) -> anyhow::Result<Vec<u8>> {
    if !castkit::fetch::is_url(spec) {
        ui.detail(err, format_args!("reading `{spec}`"))?;
        return Ok(read_feed(std::path::Path::new(spec))?.1);
    }
    ui.detail(err, format_args!("fetching `{spec}`"))?;
    let cache = castkit::fetch::feed_cache_dir();
    let fetched = castkit::fetch::fetch_cached(spec, fetch, cache.as_deref())?;
    for note in castkit::fetch::notes(&fetched) {
        ui.say(err, format_args!("note: {note}"))?;
    }
    Ok(fetched.bytes)
}
