//! `castkit diff OLD NEW`: compare two feeds and report the changes that would break subscribers.

use std::io::Write;

use castkit::ExitStatus;
use castkit::diag::{Severity, render};
use castkit::diff::{Input, Options, Side, diff};
use castkit::fetch::FetchOptions;

use super::ui::{Stream, Ui};
use crate::cli::{DiffArgs, ReportFormat};

/// Runs the command. Under `--quiet` the text report keeps only the breaking changes and drops its summary
/// line; the other formats are the report asked for, unchanged.
pub(crate) fn run(args: &DiffArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    if let Some(code) = &args.explain {
        return super::explain(code);
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        anyhow::bail!("name two feeds: `castkit diff OLD NEW` (paths, `-` or http(s) URLs)");
    };
    if old == "-" && new == "-" {
        anyhow::bail!("only one of the two feeds can be standard input (`-`)");
    }
    let mut options = Options {
        allow: super::allowed_changes(&args.allow)?,
        ..Options::default()
    };
    let fetch = FetchOptions {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..FetchOptions::default()
    };
    let mut err = std::io::stderr().lock();
    let old_bytes = super::read_named_feed(old, &fetch, ui, &mut err)?;
    let new_bytes = super::read_named_feed(new, &fetch, ui, &mut err)?;
    // A paged NEW on disk: the episodes it keeps in its archive pages (beside it) have moved, not gone.
    if new != "-" && !castkit::fetch::is_url(new) {
        let dir = std::path::Path::new(new)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let page = castkit::validate::archive::Page {
            name: new.clone(),
            bytes: new_bytes.clone(),
        };
        options.archived = castkit::validate::archive::archived_in_folder(&page, dir);
    }
    let compared = diff(
        Input {
            name: old,
            bytes: &old_bytes,
        },
        Input {
            name: new,
            bytes: &new_bytes,
        },
        &options,
    );
    let compared = match compared {
        Ok(d) => d,
        Err(unreadable) => {
            err.write_all(
                ui.findings(Stream::Stderr, &unreadable.findings, Severity::Error)
                    .as_bytes(),
            )?;
            let which = match unreadable.side {
                Side::Old => "old",
                Side::New => "new",
            };
            writeln!(
                err,
                "{} cannot compare: the {which} feed `{}` is not a readable RSS feed (`castkit validate` says more)",
                ui.error_label(Stream::Stderr),
                unreadable.name
            )?;
            return Ok(ExitStatus::Error);
        }
    };
    let diagnostics = compared.diagnostics();
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Text => {
            out.write_all(
                ui.findings(Stream::Stdout, &diagnostics, Severity::Error)
                    .as_bytes(),
            )?;
            ui.say(
                &mut out,
                format_args!("{old} → {new}: {}", compared.summary.line()),
            )?;
        }
        ReportFormat::Json => out.write_all(render::json(&diagnostics).as_bytes())?,
        ReportFormat::Junit => {
            out.write_all(render::junit(&format!("{old} → {new}"), &diagnostics).as_bytes())?;
        }
        ReportFormat::Github => out.write_all(render::github(&diagnostics).as_bytes())?,
    }
    Ok(if compared.is_breaking() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
