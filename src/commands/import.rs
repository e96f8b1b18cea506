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
    let episodes = imported.episode_count();
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
/// path the catalogue names for each file. Any failure stops the import before the catalogue is written:
/// the same command again skips the files already complete and resumes the partial ones.
fn download(
    imported: &castkit::import::Imported,
    dir: &Path,
    root: &Path,
    media: &Path,
    args: &ImportArgs,
    ui: Ui,
    err: &mut impl Write,
) -> anyhow::Result<std::collections::BTreeMap<usize, String>> {
    use castkit::fetch::download::{Download, DownloadOptions, Outcome, download_all};

    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).with_context(|| format!("cannot resolve `{}`", p.display()))
    };
    let (dir_abs, media_abs, root_abs) = (canonical(dir)?, canonical(media)?, canonical(root)?);
    if !dir_abs.starts_with(&media_abs) {
        anyhow::bail!(
            "--download `{}` is not inside the catalogue's media folder `{}`: castkit publishes only files in it",
            dir.display(),
            media.display()
        );
    }
    let audio = imported.audio();
    let jobs: Vec<Download> = audio
        .iter()
        .map(|a| Download {
            url: a.url.clone(),
            dest: dir_abs.join(&a.file_name),
            expected_len: (a.length > 0).then_some(a.length),
        })
        .collect();
    let options = DownloadOptions {
        parallel: args.parallel,
        read_timeout: std::time::Duration::from_secs(args.timeout),
        progress: !ui.quiet(),
        ..DownloadOptions::default()
    };
    let results = download_all(&jobs, &options);
    let mut local = std::collections::BTreeMap::new();
    let mut failed = 0;
    for (position, (job, result)) in jobs.iter().zip(results).enumerate() {
        match result {
            Ok(done) => {
                let how = match done.outcome {
                    Outcome::AlreadyComplete => "already complete",
                    Outcome::Resumed { .. } => "resumed",
                    Outcome::Fetched => "downloaded",
                };
                ui.detail(
                    err,
                    format_args!("{how} `{}` ({} bytes)", job.url, done.bytes),
                )?;
                let below = job.dest.strip_prefix(&root_abs).unwrap_or(&job.dest);
                local.insert(position, below.to_string_lossy().into_owned());
            }
            Err(e) => {
                failed += 1;
                writeln!(
                    err,
                    "{} {}",
                    ui.error_label(Stream::Stderr),
                    castkit::error::Chain(&e)
                )?;
            }
        }
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} downloads failed, so no catalogue was written; run the same command again: complete files are kept and partial ones resume",
            jobs.len()
        );
    }
    Ok(local)
}
