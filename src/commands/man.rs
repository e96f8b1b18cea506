//! `castkit man`: castkit's man page in roff on stdout, or with `--dir` one page per command in a folder
//! (`castkit.1`, `castkit-build-feed.1`…), each written atomically.
//!
//! clap_mangen renders each page from the parser's own definition. The examples every `--help` ends with
//! become an EXAMPLES section: clap_mangen would print them as one filled paragraph, so castkit lays them
//! out itself, one example per tagged paragraph, the command in bold.

use std::io::Write;

use anyhow::Context;
use castkit::ExitStatus;
use clap::CommandFactory;
use clap::builder::{Resettable, StyledStr};
use clap_mangen::roff::{Roff, bold, roman};

use super::ui::Ui;
use crate::cli::{Cli, EXAMPLES_HEADING, ManArgs};

/// Runs the command.
pub(crate) fn run(args: &ManArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let pages = pages();
    let Some(dir) = &args.dir else {
        let (_, castkit) = &pages[0];
        let mut out = std::io::stdout().lock();
        out.write_all(castkit)?;
        out.flush()?;
        return Ok(ExitStatus::Success);
    };
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "cannot create the folder `{}` for the man pages",
            dir.display()
        )
    })?;
    let mut err = std::io::stderr().lock();
    for (name, page) in &pages {
        let path = dir.join(name);
        castkit::fsutil::write_atomic(&path, |w| w.write_all(page))?;
        ui.say(&mut err, format_args!("wrote `{}`", path.display()))?;
    }
    Ok(ExitStatus::Success)
}

/// Every page, castkit's first: (file name, roff source). Hidden commands get none, and clap's `help`
/// command none (its page would only say what `--help` does), as with clap_mangen's own `generate_to`.
fn pages() -> Vec<(String, Vec<u8>)> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    add_pages(root, &mut pages);
    pages
}

/// The page of `command`, then those of its commands, in the order `--help` lists them.
fn add_pages(command: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    let subcommands: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect();
    pages.push(page(command));
    for subcommand in subcommands {
        add_pages(subcommand, pages);
    }
}

/// One command's page: clap_mangen's sections, with the examples as an EXAMPLES section before VERSION.
fn page(command: clap::Command) -> (String, Vec<u8>) {
    let examples = command
        .get_after_help()
        .map(|help| examples_section(&help.to_string()))
        .unwrap_or_default();
    // Every page's footer names castkit and its version (a command has no version of its own).
    let man = clap_mangen::Man::new(command.after_help(Resettable::<StyledStr>::Reset))
        .source(concat!("castkit ", env!("CARGO_PKG_VERSION")));
    let mut source = Vec::new();
    // Rendering into memory cannot fail.
    let _ = man.render(&mut source);
    let text = String::from_utf8_lossy(&source).into_owned();
    let text = match text.find("\n.SH VERSION\n") {
        Some(at) => format!("{}\n{examples}{}", &text[..at], &text[at + 1..]),
        None => format!("{text}{examples}"),
    };
    (man.get_filename(), text.into_bytes())
}

/// The EXAMPLES section from a command's `after_help` (see `cli::examples`): each `# what it does` line
/// tags the command line under it.
fn examples_section(after_help: &str) -> String {
    let Some((_, body)) = after_help.split_once(EXAMPLES_HEADING) else {
        return String::new();
    };
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.strip_prefix("# ") {
            Some(does) => {
                roff.control("TP", []);
                roff.text([roman(does)]);
            }
            None => {
                roff.text([bold(line)]);
            }
        }
    }
    // `render` typesets apostrophes as apostrophes (not closing quotes), through a preamble the page
    // already has: keep what follows it.
    let rendered = roff.render();
    match rendered.find(".SH EXAMPLES") {
        Some(at) => rendered[at..].to_owned(),
        None => rendered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_become_tagged_paragraphs_with_escaped_dashes() {
        let section = examples_section(
            "Examples:\n  # Build the show's feed\n  castkit build-feed --locked\n",
        );
        assert_eq!(
            section,
            ".SH EXAMPLES\n.TP\nBuild the show\\*(Aqs feed\n\\fBcastkit build\\-feed \\-\\-locked\\fR\n"
        );
    }

    #[test]
    fn there_is_a_page_per_visible_command_named_as_man_expects() {
        let names: Vec<String> = pages().into_iter().map(|(name, _)| name).collect();
        assert_eq!(names[0], "castkit.1");
        assert!(
            names.contains(&"castkit-build-feed.1".to_owned()),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|n| n.starts_with("castkit-help")),
            "{names:?}"
        );
        let hidden = Cli::command()
            .get_subcommands()
            .filter(|c| c.is_hide_set())
            .count();
        assert_eq!(
            names.len(),
            1 + Cli::command().get_subcommands().count() - hidden
        );
    }
}
