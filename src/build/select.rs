//! Which episodes go into the feed (drafts and future episodes are held back, each with a finding), and
//! their guids (new ones assigned in memory, or refused under `--locked`).

use chrono::Utc;

use super::BuildOptions;
use crate::catalogue::{self, Catalogue, Episode, rules};
use crate::diag::{Diagnostic, SourceFile};

/// Leaves out drafts and future episodes (unless asked for), saying so for each.
pub(super) fn choose_episodes<'c>(
    catalogue: &'c Catalogue,
    options: &BuildOptions,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'c Episode> {
    let mut chosen = Vec::new();
    for episode in &catalogue.episodes {
        let location = source.location(episode.span.clone());
        if episode.draft && !options.include_drafts {
            diagnostics.push(
                rules::HELD_BACK
                    .diag(format!("{} is a draft: left out of the feed", episode.label()))
                    .at(location)
                    .help("remove `draft = true` to publish it, or build with `--drafts` to preview it"),
            );
            continue;
        }
        // A live stream is announced before it starts: its date is its start, never held back.
        if episode.published.with_timezone(&Utc) > options.now
            && !options.include_future
            && episode.podcasting.live.is_none()
        {
            diagnostics.push(
                rules::HELD_BACK
                    .diag(format!(
                        "{} is dated {}, in the future: held back",
                        episode.label(),
                        episode.published.to_rfc3339()
                    ))
                    .at(location)
                    .help("it goes into the feed on the first build after that moment; build with `--future` to include it now"),
            );
            continue;
        }
        if let Some(live) = &episode.podcasting.live {
            check_live_status(episode, live, options.now, source, diagnostics);
        }
        chosen.push(episode);
    }
    chosen
}

/// A stream still `pending` after its start, or still `live` after its end (or 12 hours after its start
/// without one): the status was probably not updated.
fn check_live_status(
    episode: &Episode,
    live: &crate::catalogue::podcasting::Live,
    now: chrono::DateTime<Utc>,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use crate::catalogue::podcasting::LiveStatus;
    let start = live.start.with_timezone(&Utc);
    let (stale, message, help) = match live.status {
        LiveStatus::Pending => (
            start < now,
            format!(
                "the live stream of {} is still `pending`, but was announced for {}",
                episode.label(),
                live.start.to_rfc3339()
            ),
            "set `status = \"live\"` while it is on air, `\"ended\"` after it, or move `start`",
        ),
        LiveStatus::Live => {
            let end = live.end.map_or(start + chrono::Duration::hours(12), |e| {
                e.with_timezone(&Utc)
            });
            (
                end < now,
                format!(
                    "the live stream of {} is still `live`, but was to end by {}",
                    episode.label(),
                    end.to_rfc3339()
                ),
                "set `status = \"ended\"`, or publish the recording as a regular episode",
            )
        }
        LiveStatus::Ended => return,
    };
    if stale {
        diagnostics.push(
            rules::LIVE_STATUS_STALE
                .diag(message)
                .at(source.location(episode.span.clone()))
                .help(help),
        );
    }
}

/// Each chosen episode's guid, assigning new ones in memory (they are written only if the build succeeds).
/// Under `--locked` an episode without a guid is an error instead.
pub(super) fn guids(
    chosen: &[&Episode],
    locked: bool,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<(usize, String)>) {
    let mut guids = Vec::with_capacity(chosen.len());
    let mut new_guids = Vec::new();
    for episode in chosen {
        match &episode.guid {
            Some(g) => guids.push(g.clone()),
            None if locked => {
                diagnostics.push(
                    rules::MISSING_GUID
                        .diag(format!(
                            "{} has no guid, and `--locked` forbids assigning one",
                            episode.label()
                        ))
                        .at(source.location(episode.span.clone()))
                        .help("run `castkit build-feed` without `--locked` once and commit the guid it writes into the catalogue"),
                );
                guids.push(String::new());
            }
            None => {
                let guid = catalogue::guids::new_guid();
                new_guids.push((episode.index, guid.clone()));
                guids.push(guid);
            }
        }
    }
    (guids, new_guids)
}

/// Each chosen episode's slug (the name of its page on the show's website): its own, else one derived from
/// its title ([`catalogue::slugs::derive`]), made unique against every slug in the catalogue and the ones
/// derived before it, in catalogue order. Derived slugs are saved with the new guids; under `--locked` they
/// are used for this build only, with a warning (C044), since a later title change would move the page.
pub(super) fn slugs(
    catalogue: &Catalogue,
    chosen: &[&Episode],
    locked: bool,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<(usize, String)>) {
    let mut taken: std::collections::BTreeSet<String> = catalogue
        .episodes
        .iter()
        .filter_map(|e| e.slug.clone())
        .collect();
    let mut slugs = Vec::with_capacity(chosen.len());
    let mut derived = Vec::new();
    for episode in chosen {
        if let Some(slug) = &episode.slug {
            slugs.push(slug.clone());
            continue;
        }
        let base = catalogue::slugs::derive(&episode.title, episode.season, episode.number);
        let slug = catalogue::slugs::unique(base, &mut taken);
        if locked {
            diagnostics.push(
                rules::SLUG_NOT_SAVED
                    .diag(format!(
                        "{} has no `slug`: its page is `episodes/{slug}/` in this build, but `--locked` does not save it",
                        episode.label()
                    ))
                    .at(source.location(episode.span.clone()))
                    .help(format!(
                        "run `castkit build-feed` without `--locked` once and commit the slug it writes, or add `slug = \"{slug}\"`"
                    )),
            );
        } else {
            derived.push((episode.index, slug.clone()));
        }
        slugs.push(slug);
    }
    (slugs, derived)
}
