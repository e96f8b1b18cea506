//! `castkit import FEED`: write `episodes.toml` from a show's existing feed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use castkit::ExitStatus;
use castkit::diag::Severity;
use castkit::fetch::FetchOptions;
use castkit::import::{ImportError, Options, import};

use super::ui::{Stream, Ui};
use crate::cli::ImportArgs;

/// Runs the command.
pub(crate) fn run(args: &ImportArgs, ui: Ui) -> anyhow::Result<ExitStatus> {
    let catalogue = &args.catalogue;
    if catalogue.exists() {
        anyhow::bail!(
            "`{}` already exists, and castkit never overwrites a catalogue; import into another folder (`--catalogue new/episodes.toml`) or move it away",
            catalogue.display()
        );
    }
    let feed_url = args
        .feed_url
        .as_deref()
        .map(|u| {
            castkit::vocab::url::parse_web_url(u)
                .map_err(|_| anyhow::anyhow!("--feed-url `{u}` is not an absolute http(s) URL"))
        })
        .transpose()?;
    let fetch = FetchOptions {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..FetchOptions::default()
    };
    let mut err = std::io::stderr().lock();
    let bytes = super::read_named_feed(&args.feed, &fetch, ui, &mut err)?;
    let options = Options {
        fetched_from: castkit::fetch::is_url(&args.feed)
            .then(|| url::Url::parse(&args.feed).ok())
            .flatten(),
        feed_url,
        allow_locked: args.allow_locked,
    };
    let imported = match import(&args.feed, &bytes, &options) {
        Ok(i) => i,
        Err(ImportError::Unreadable { name, findings }) => {
            err.write_all(
                ui.findings(Stream::Stderr, &findings, Severity::Error)
                    .as_bytes(),
            )?;
            writeln!(
                err,
                "{} `{name}` cannot be read as a feed; nothing was written",
                ui.error_label(Stream::Stderr)
            )?;
            return Ok(ExitStatus::Error);
        }
        Err(e) => return Err(e.into()),
    };
    for note in &imported.notes {
        match note.line {
            Some(line) => ui.say(
                &mut err,
                format_args!("note: {}:{line}: {}", args.feed, note.message),
            )?,
            None => ui.say(&mut err, format_args!("note: {}", note.message))?,
        }
    }
    let root = match catalogue.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let media = root.join("media");
    std::fs::create_dir_all(&media)
        .with_context(|| format!("cannot create the media folder `{}`", media.display()))?;
    let text = match &args.download {
        None => imported.catalogue(),
        Some(dir) => {
            let local = download(&imported, dir, &root, &media, args, ui, &mut err)?;
            imported.catalogue_with_local_audio(&local)
        }
    };
    castkit::fsutil::write_new(catalogue, text.as_bytes())
        .with_context(|| format!("cannot write the catalogue `{}`", catalogue.display()))?;
    let episodes = imported.audio().len();
    ui.say(
        &mut std::io::stdout().lock(),
        format_args!(
            "wrote `{}`: \"{}\", {episodes} episode{} ({} note{}); next: `castkit build-feed`",
            catalogue.display(),
            imported.title(),
            if episodes == 1 { "" } else { "s" },
            imported.notes.len(),
            if imported.notes.len() == 1 { "" } else { "s" },
        ),
    )?;
    Ok(ExitStatus::Success)
}

/// Downloads every episode's audio into `dir` (inside the media folder); returns, by episode position, the
/// path the catalogue names for each file downloaded whole.
fn download(
    _imported: &castkit::import::Imported,
    _dir: &Path,
    _root: &Path,
    _media: &Path,
    _args: &ImportArgs,
    _ui: Ui,
    _err: &mut impl Write,
) -> anyhow::Result<std::collections::BTreeMap<usize, String>> {
    anyhow::bail!("--download is not available yet")
}
