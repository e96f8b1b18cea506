//! Comparing two podcast feeds — the published one and the next release, castkit's or anyone's — for the
//! changes that break subscribers: a changed guid, a removed episode, a moved enclosure or feed.
//!
//! Both feeds are read with the validator's guards ([`crate::validate::read_feed`]), then reduced to the
//! fields apps key on and show (`view`). Episodes are matched by guid, then (to catch a guid change) by
//! enclosure URL, then by title and date; each difference becomes a finding under a `D` rule ([`rules`]),
//! pointing at the line in the new feed with the matching line of the old one as its related place.

pub mod rules;
mod view;

use std::collections::HashMap;
use std::fmt::Write as _;

pub use rules::RULES;

use crate::diag::{Diagnostic, Rule, Severity, SourceFile};
use view::{FeedView, Field, ItemView, NotAFeed, ShowView};

/// One feed to compare: how messages name it (a path or URL) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The name in messages.
    pub name: &'a str,
    /// The feed as served.
    pub bytes: &'a [u8],
}

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Kinds of breaking change accepted knowingly (`--allow`): reported as notable, not breaking.
    pub allow: Vec<&'static Rule>,
    /// Episodes the new release keeps in archive pages (RFC 5005) rather than in the feed: guid → the
    /// page's name. An old episode among them has moved (D012), not gone (D002).
    pub archived: HashMap<String, String>,
}

/// What a finding is about, so that a caller can point it elsewhere (`build-feed` points at the catalogue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The show (the channel).
    Show,
    /// An episode of the new feed, by its guid there (`None` when it has none).
    Episode(Option<String>),
    /// An episode only the old feed has.
    Removed,
}

/// One change.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The change, located in the new feed (in the old one for a removed episode), with the old feed's
    /// matching line as its related place.
    pub diagnostic: Diagnostic,
    /// What it is about.
    pub about: About,
}

/// Counts for the one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Episodes only in the new feed.
    pub added: usize,
    /// Episodes in both with at least one change.
    pub changed: usize,
    /// Episodes only in the old feed.
    pub removed: usize,
    /// Episodes of the old feed that the new release keeps in an archive page.
    pub archived: usize,
    /// Changes to the show itself.
    pub show_changes: usize,
    /// Breaking changes not allowed.
    pub breaking: usize,
    /// Notable changes (allowed breaking ones included).
    pub notable: usize,
    /// Cosmetic changes.
    pub cosmetic: usize,
    /// Breaking changes accepted with `--allow`.
    pub allowed: usize,
}

impl Summary {
    /// `3 added, 1 changed, 0 removed, 1 show change; 1 breaking, 2 notable, 1 cosmetic`.
    pub fn line(&self) -> String {
        let archived = if self.archived > 0 {
            format!(", {} archived", self.archived)
        } else {
            String::new()
        };
        let mut s = format!(
            "{} added, {} changed, {} removed{archived}, {} show change{}; {} breaking, {} notable, {} cosmetic",
            self.added,
            self.changed,
            self.removed,
            self.show_changes,
            if self.show_changes == 1 { "" } else { "s" },
            self.breaking,
            self.notable,
            self.cosmetic
        );
        if self.allowed > 0 {
            let _ = write!(s, " ({} breaking allowed)", self.allowed);
        }
        s
    }
}

/// The comparison of two feeds.
#[derive(Debug, Clone)]
pub struct Diff {
    /// Every change: show first, then episodes in the new feed's order, then removed ones in the old
    /// feed's order.
    pub findings: Vec<Finding>,
    /// The counts.
    pub summary: Summary,
}

impl Diff {
    /// Whether a breaking change was found that `--allow` did not accept.
    pub fn is_breaking(&self) -> bool {
        self.summary.breaking > 0
    }

    /// The findings alone, in order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.findings.iter().map(|f| f.diagnostic.clone()).collect()
    }
}

/// Which of the two feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The first, older feed (the published one).
    Old,
    /// The second, newer feed (the release).
    New,
}

/// A feed that cannot be compared: not readable as XML (the validator's findings say why), or not RSS.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Which feed.
    pub side: Side,
    /// Its name.
    pub name: String,
    /// Why, as findings (`F0xx`, `F101`, `F103`).
    pub findings: Vec<Diagnostic>,
}

/// Compares `old` with `new`.
///
/// # Errors
/// [`Unreadable`] when either feed cannot be read as an RSS feed.
pub fn diff(old: Input<'_>, new: Input<'_>, options: &Options) -> Result<Diff, Unreadable> {
    Ok(compare(
        &read(old, Side::Old)?,
        &read(new, Side::New)?,
        options,
    ))
}

/// A feed read for comparing: its text, for locations, and the fields `diff` compares. Reading is the costly
/// part; a feed compared more than once is read once.
#[derive(Debug)]
pub struct Feed {
    source: SourceFile,
    view: FeedView,
}

/// Compares two feeds already read.
pub fn compare(old: &Feed, new: &Feed, options: &Options) -> Diff {
    let (old_source, old_view) = (&old.source, &old.view);
    let (new_source, new_view) = (&new.source, &new.view);
    let mut cx = Compare {
        old: old_source,
        new: new_source,
        findings: Vec::new(),
    };
    compare_show(&mut cx, &old_view.show, &new_view.show);
    let show_changes = cx.findings.len();
    let matching = match_items(&old_view.items, &new_view.items);
    let mut summary = Summary {
        show_changes,
        ..Summary::default()
    };
    for (j, new_item) in new_view.items.iter().enumerate() {
        let before = cx.findings.len();
        match matching.new_to_old[j] {
            Some((i, how)) => {
                compare_items(
                    &mut cx,
                    old_view,
                    new_view,
                    &old_view.items[i],
                    new_item,
                    how,
                );
                if cx.findings.len() > before {
                    summary.changed += 1;
                }
            }
            None => {
                summary.added += 1;
                let guid = new_item
                    .guid
                    .as_ref()
                    .map_or_else(|| "no guid".to_owned(), |g| format!("guid `{}`", g.value));
                let d = rules::EPISODE_ADDED
                    .diag(format!("episode {} is new ({guid})", new_item.label()))
                    .at(new_source.location(new_item.range.clone()));
                cx.push(d, About::Episode(guid_of(new_item)));
            }
        }
    }
    for (i, old_item) in old_view.items.iter().enumerate() {
        if matching.old_taken[i] {
            continue;
        }
        let guid = old_item
            .guid
            .as_ref()
            .map_or_else(|| "no guid".to_owned(), |g| format!("guid `{}`", g.value));
        if let Some(page) = guid_of(old_item).and_then(|g| options.archived.get(&g)) {
            summary.archived += 1;
            let d = rules::EPISODE_ARCHIVED
                .diag(format!(
                    "episode {} ({guid}) moved from the feed into the archive page `{page}`",
                    old_item.label()
                ))
                .at(old_source.location(old_item.range.clone()))
                .help("apps that follow archive links still find it; Apple Podcasts lists only the feed's episodes: raise `max_items` to keep it there");
            cx.push(d, About::Removed);
            continue;
        }
        summary.removed += 1;
        let d = rules::EPISODE_REMOVED
            .diag(format!(
                "episode {} ({guid}) is not in the new feed",
                old_item.label()
            ))
            .at(old_source.location(old_item.range.clone()))
            .help("apps remove it from listeners' queues and downloads: put it back, or pass `--allow D002` if it goes on purpose");
        cx.push(d, About::Removed);
    }
    let mut findings = cx.findings;
    for f in &mut findings {
        let d = &mut f.diagnostic;
        if d.severity == Severity::Error && options.allow.contains(&d.rule) {
            d.severity = Severity::Warning;
            let allowed = format!("allowed with `--allow {}`", d.rule.code);
            d.help = Some(match d.help.take() {
                Some(help) => format!("{allowed}; {help}"),
                None => allowed,
            });
            summary.allowed += 1;
        }
        match d.severity {
            Severity::Error => summary.breaking += 1,
            Severity::Warning => summary.notable += 1,
            Severity::Info => summary.cosmetic += 1,
        }
    }
    Diff { findings, summary }
}

/// Reads one feed, or says why it cannot be compared; `side` is which feed it is, for the error.
///
/// # Errors
/// [`Unreadable`] when it is not readable as XML, or not an RSS feed.
pub fn read(input: Input<'_>, side: Side) -> Result<Feed, Unreadable> {
    let unreadable = |findings| Unreadable {
        side,
        name: input.name.to_owned(),
        findings,
    };
    let (source, view) = crate::validate::read_feed(input.name, input.bytes, |source, doc| {
        view::read(source.text(), doc)
    })
    .map_err(unreadable)?;
    match view {
        Ok(view) => Ok(Feed { source, view }),
        Err(not) => {
            let rule = match not {
                NotAFeed::Root(_) => &crate::validate::rules::NOT_RSS,
                NotAFeed::NoChannel => &crate::validate::rules::MISSING_CHANNEL,
            };
            let message = match not {
                NotAFeed::Root(root) => format!("the root element is `<{root}>`, not `<rss>`"),
                NotAFeed::NoChannel => "`<rss>` has no `<channel>`".to_owned(),
            };
            let at = source.text().find("<rss").unwrap_or(0);
            Err(unreadable(vec![
                rule.diag(message).at(source.location(at..at + 1)),
            ]))
        }
    }
}

/// How an item of the new feed was matched to one of the old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatchedBy {
    Guid,
    EnclosureUrl,
    TitleAndDate,
    SameMarkup,
}

struct Matching {
    /// For each new item, the old item it continues and how they were matched.
    new_to_old: Vec<Option<(usize, MatchedBy)>>,
    /// For each old item, whether a new item continues it.
    old_taken: Vec<bool>,
}

/// Matches items: by guid, then among the rest by enclosure URL, then by title and publication day, then (an
/// item with none of those) by identical markup. Each old item continues at most one new item; among
/// duplicates the first in feed order wins.
fn match_items(old: &[ItemView], new: &[ItemView]) -> Matching {
    let mut m = Matching {
        new_to_old: vec![None; new.len()],
        old_taken: vec![false; old.len()],
    };
    type Key = fn(&ItemView) -> Option<String>;
    let keys: [(MatchedBy, Key); 4] = [
        (MatchedBy::Guid, |i| {
            i.guid.as_ref().map(|g| g.value.clone())
        }),
        (MatchedBy::EnclosureUrl, |i| {
            i.enclosure_url.as_ref().map(|u| u.value.clone())
        }),
        (MatchedBy::TitleAndDate, |i| {
            let day = i.date?.to_utc().date_naive();
            Some(format!("{day} {}", i.match_title()?))
        }),
        (MatchedBy::SameMarkup, |i| Some(i.markup_hash.to_string())),
    ];
    for (how, key) in keys {
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, item) in old.iter().enumerate() {
            if !m.old_taken[i]
                && let Some(k) = key(item)
            {
                index.entry(k).or_insert(i);
            }
        }
        for (j, item) in new.iter().enumerate() {
            if m.new_to_old[j].is_some() {
                continue;
            }
            if let Some(i) = key(item).and_then(|k| index.get(&k).copied())
                && !m.old_taken[i]
            {
                m.old_taken[i] = true;
                m.new_to_old[j] = Some((i, how));
            }
        }
    }
    m
}

fn guid_of(item: &ItemView) -> Option<String> {
    item.guid.as_ref().map(|g| g.value.clone())
}

/// The findings so far, and both sources for locations.
struct Compare<'s> {
    old: &'s SourceFile,
    new: &'s SourceFile,
    findings: Vec<Finding>,
}

/// The related label every finding's old place gets.
const IN_OLD: &str = "in the old feed";

impl Compare<'_> {
    fn push(&mut self, diagnostic: Diagnostic, about: About) {
        self.findings.push(Finding { diagnostic, about });
    }

    /// A finding about a field: at the field in the new feed (or `new_parent` when the new feed lacks it),
    /// related to the field in the old feed (or `old_parent`).
    fn field(
        &mut self,
        rule: &'static Rule,
        message: String,
        (old, old_parent): (Option<&Field>, &std::ops::Range<usize>),
        (new, new_parent): (Option<&Field>, &std::ops::Range<usize>),
        help: Option<String>,
        about: About,
    ) -> &mut Diagnostic {
        let here = new.map_or_else(|| new_parent.clone(), |f| f.range.clone());
        let there = old.map_or_else(|| old_parent.clone(), |f| f.range.clone());
        let mut d = rule
            .diag(message)
            .at(self.new.location(here))
            .related(IN_OLD, self.old.location(there));
        d.help = help;
        self.push(d, about);
        &mut self.findings.last_mut().expect("just pushed").diagnostic
    }
}

/// A field's value in backticks, or `(none)`.
fn shown(f: Option<&Field>) -> String {
    f.map_or_else(|| "(none)".to_owned(), |f| format!("`{}`", f.value))
}

fn value(f: &Option<Field>) -> Option<&str> {
    f.as_ref().map(|f| f.value.as_str())
}

fn compare_show(cx: &mut Compare<'_>, old: &ShowView, new: &ShowView) {
    let o = &old.range;
    let n = &new.range;
    // A moved feed: both declare their own URL, and they differ.
    if let (Some(old_self), Some(new_self)) = (&old.self_url, &new.self_url)
        && old_self.value != new_self.value
    {
        let announced = value(&old.new_feed_url) == Some(new_self.value.as_str());
        let guid_kept =
            old.podcast_guid.is_none() || value(&old.podcast_guid) == value(&new.podcast_guid);
        let mut message = format!(
            "the feed moved from `{}` to `{}`",
            old_self.value, new_self.value
        );
        let help = if announced {
            message.push_str(", and the old feed announces it with `itunes:new-feed-url`");
            "keep the old URL answering with a 301 redirect to the new one while apps still fetch it"
                .to_owned()
        } else {
            message.push_str(", but the old feed has no `itunes:new-feed-url` pointing there");
            format!(
                "subscribers stay on the old URL: first publish the old feed with `<itunes:new-feed-url>{}</itunes:new-feed-url>`, answer the old URL with a 301 redirect, keep `podcast:guid` and every episode's guid",
                new_self.value
            )
        };
        if !guid_kept {
            message.push_str("; `podcast:guid` changed too (see D102)");
        }
        let d = cx.field(
            &rules::FEED_MOVED,
            message,
            (Some(old_self), o),
            (Some(new_self), n),
            Some(help),
            About::Show,
        );
        if announced {
            d.severity = Severity::Warning;
        }
    }
    if let Some(old_guid) = &old.podcast_guid
        && value(&new.podcast_guid) != Some(old_guid.value.as_str())
    {
        cx.field(
            &rules::PODCAST_GUID_CHANGED,
            format!(
                "`podcast:guid` changed: {} → {}",
                shown(Some(old_guid)),
                shown(new.podcast_guid.as_ref())
            ),
            (Some(old_guid), o),
            (new.podcast_guid.as_ref(), n),
            Some(format!(
                "keep `{}`: the Podcast Index knows the show by it (castkit: `podcast_guid = \"{}\"` in `[show]`)",
                old_guid.value, old_guid.value
            )),
            About::Show,
        );
    }
    if value(&old.new_feed_url) != value(&new.new_feed_url) {
        let to_itself =
            new.new_feed_url.is_some() && value(&new.new_feed_url) == value(&new.self_url);
        let help = match &new.new_feed_url {
            Some(_) if !to_itself => Some(
                "apps move every subscriber there for good: remove it unless the feed is moving, and pass `--allow D103` when it is".to_owned(),
            ),
            _ => None,
        };
        let d = cx.field(
            &rules::NEW_FEED_URL_CHANGED,
            format!(
                "`itunes:new-feed-url` changed: {} → {}",
                shown(old.new_feed_url.as_ref()),
                shown(new.new_feed_url.as_ref())
            ),
            (old.new_feed_url.as_ref(), o),
            (new.new_feed_url.as_ref(), n),
            help,
            About::Show,
        );
        if new.new_feed_url.is_none() || to_itself {
            d.severity = Severity::Warning;
        }
    }
    let plain: [(&'static Rule, &str, &Option<Field>, &Option<Field>); 8] = [
        (
            &rules::SHOW_TITLE_CHANGED,
            "the show's title",
            &old.title,
            &new.title,
        ),
        (
            &rules::AUTHOR_CHANGED,
            "`itunes:author`",
            &old.author,
            &new.author,
        ),
        (
            &rules::OWNER_CHANGED,
            "`itunes:owner`",
            &old.owner,
            &new.owner,
        ),
        (
            &rules::CATEGORIES_CHANGED,
            "the categories",
            &old.categories,
            &new.categories,
        ),
        (
            &rules::SHOW_EXPLICIT_CHANGED,
            "the show's `itunes:explicit`",
            &old.explicit,
            &new.explicit,
        ),
        (
            &rules::LANGUAGE_CHANGED,
            "`<language>`",
            &old.language,
            &new.language,
        ),
        (
            &rules::IMAGE_CHANGED,
            "the show's `itunes:image`",
            &old.image,
            &new.image,
        ),
        (
            &rules::LOCKED_CHANGED,
            "`podcast:locked`",
            &old.locked,
            &new.locked,
        ),
    ];
    for (rule, what, a, b) in plain {
        if value(a) != value(b) {
            cx.field(
                rule,
                format!(
                    "{what} changed: {} → {}",
                    shown(a.as_ref()),
                    shown(b.as_ref())
                ),
                (a.as_ref(), o),
                (b.as_ref(), n),
                None,
                About::Show,
            );
        }
    }
    for (rule, tag, a, b, help) in [
        (
            &rules::BLOCK_CHANGED,
            "itunes:block",
            &old.block,
            &new.block,
            "the show disappears from Apple Podcasts: remove it unless that is the intent, then `--allow D112`",
        ),
        (
            &rules::COMPLETE_CHANGED,
            "itunes:complete",
            &old.complete,
            &new.complete,
            "Apple stops looking for new episodes: remove it unless the show has ended, then `--allow D113`",
        ),
    ] {
        if a.is_some() != b.is_some() {
            let set = b.is_some();
            let message = if set {
                format!("`{tag}` is now `Yes`")
            } else {
                format!("`{tag}` `Yes` was removed")
            };
            let d = cx.field(
                rule,
                message,
                (a.as_ref(), o),
                (b.as_ref(), n),
                set.then(|| help.to_owned()),
                About::Show,
            );
            if !set {
                d.severity = Severity::Warning;
            }
        }
    }
}

/// One field of an item compared: its rule, what it is, whether it is the same, how it reads before and
/// after, and the fields themselves.
type FieldChange<'f> = (
    &'static Rule,
    &'static str,
    bool,
    [String; 2],
    [&'f Option<Field>; 2],
);

/// Formats whole seconds as `H:MM:SS` or `M:SS`.
fn clock(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn number(f: &Option<Field>) -> Option<String> {
    f.as_ref().map(|f| match f.value.parse::<u64>() {
        Ok(n) => n.to_string(),
        Err(_) => f.value.clone(),
    })
}

fn compare_items(
    cx: &mut Compare<'_>,
    old_feed: &FeedView,
    new_feed: &FeedView,
    old: &ItemView,
    new: &ItemView,
    how: MatchedBy,
) {
    let label = new.label();
    let about = || About::Episode(guid_of(new));
    let (o, n) = (&old.range, &new.range);
    let url_changed = value(&old.enclosure_url) != value(&new.enclosure_url);
    if how != MatchedBy::Guid && value(&old.guid) != value(&new.guid) {
        let by = match how {
            MatchedBy::EnclosureUrl => "its enclosure URL",
            MatchedBy::TitleAndDate => "its title and date",
            MatchedBy::Guid | MatchedBy::SameMarkup => "its content",
        };
        let mut message = format!(
            "episode {label} has a new guid: {} → {} (the same episode by {by})",
            shown(old.guid.as_ref()),
            shown(new.guid.as_ref())
        );
        if url_changed {
            let _ = write!(
                message,
                "; its enclosure URL changed too: {} → {}",
                shown(old.enclosure_url.as_ref()),
                shown(new.enclosure_url.as_ref())
            );
        }
        // Apps that find no guid fall back to the enclosure URL as the episode's id (RSS readers, gPodder's
        // podcastparser): a new guid that is exactly that URL leaves their id unchanged.
        let fallback_kept = old.guid.is_none()
            && !url_changed
            && value(&new.guid).is_some()
            && value(&new.guid) == value(&old.enclosure_url);
        let help = match &old.guid {
            Some(g) => format!(
                "give it back its guid `{}`: apps would download it again and list it twice",
                g.value
            ),
            None if fallback_kept => "the new guid is the enclosure URL, which apps used as its id while it had none; apps that key episodes by title instead may list it twice".to_owned(),
            None => "apps knew it by its enclosure URL; a guid now makes some of them list it twice: allow it once with `--allow D003`".to_owned(),
        };
        let d = cx.field(
            &rules::GUID_CHANGED,
            message,
            (old.guid.as_ref(), o),
            (new.guid.as_ref(), n),
            Some(help),
            about(),
        );
        if fallback_kept {
            d.severity = Severity::Warning;
        }
    } else if url_changed {
        cx.field(
            &rules::ENCLOSURE_URL_CHANGED,
            format!(
                "episode {label}: the enclosure URL changed: {} → {}",
                shown(old.enclosure_url.as_ref()),
                shown(new.enclosure_url.as_ref())
            ),
            (old.enclosure_url.as_ref(), o),
            (new.enclosure_url.as_ref(), n),
            Some("if the media moved on purpose, redirect the old URLs to the new ones and pass `--allow D004`; otherwise check the media base URL and the file name".to_owned()),
            about(),
        );
    }
    // Each field as apps compare it: a number by its value (`04` is `4`), a date by its moment (`GMT` or
    // `+0000`, another zone), a duration in whole seconds (`1:00:00` is `3600`), the rest as written.
    let shown_number = |f: &Option<Field>| number(f).unwrap_or_else(|| "(none)".to_owned());
    let shown_seconds =
        |seconds: Option<u64>, f: &Option<Field>| seconds.map_or_else(|| shown(f.as_ref()), clock);
    let same_date = match (old.date, new.date) {
        (Some(a), Some(b)) => a == b,
        _ => value(&old.pub_date) == value(&new.pub_date),
    };
    let same_duration = match (old.seconds, new.seconds) {
        (Some(a), Some(b)) => a == b,
        _ => value(&old.duration) == value(&new.duration),
    };
    let fields: [FieldChange<'_>; 7] = [
        (
            &rules::ENCLOSURE_LENGTH_CHANGED,
            "the enclosure length (bytes)",
            number(&old.enclosure_length) == number(&new.enclosure_length),
            [
                shown_number(&old.enclosure_length),
                shown_number(&new.enclosure_length),
            ],
            [&old.enclosure_length, &new.enclosure_length],
        ),
        (
            &rules::ENCLOSURE_TYPE_CHANGED,
            "the enclosure type",
            value(&old.enclosure_type) == value(&new.enclosure_type),
            [
                shown(old.enclosure_type.as_ref()),
                shown(new.enclosure_type.as_ref()),
            ],
            [&old.enclosure_type, &new.enclosure_type],
        ),
        (
            &rules::DATE_CHANGED,
            "the date",
            same_date,
            [shown(old.pub_date.as_ref()), shown(new.pub_date.as_ref())],
            [&old.pub_date, &new.pub_date],
        ),
        (
            &rules::TITLE_CHANGED,
            "the title",
            value(&old.title) == value(&new.title),
            [shown(old.title.as_ref()), shown(new.title.as_ref())],
            [&old.title, &new.title],
        ),
        (
            &rules::DURATION_CHANGED,
            "the duration",
            same_duration,
            [
                shown_seconds(old.seconds, &old.duration),
                shown_seconds(new.seconds, &new.duration),
            ],
            [&old.duration, &new.duration],
        ),
        (
            &rules::NUMBERING_CHANGED,
            "the season",
            number(&old.season) == number(&new.season),
            [shown_number(&old.season), shown_number(&new.season)],
            [&old.season, &new.season],
        ),
        (
            &rules::NUMBERING_CHANGED,
            "the episode number",
            number(&old.episode) == number(&new.episode),
            [shown_number(&old.episode), shown_number(&new.episode)],
            [&old.episode, &new.episode],
        ),
    ];
    for (rule, what, same, [was, now], [a, b]) in fields {
        if !same {
            cx.field(
                rule,
                format!("episode {label}: {what} changed: {was} → {now}"),
                (a.as_ref(), o),
                (b.as_ref(), n),
                None,
                about(),
            );
        }
    }
    // An item without `itunes:explicit` has the show's.
    let explicit_of = |item: &ItemView, feed: &FeedView| {
        value(&item.explicit)
            .or(value(&feed.show.explicit))
            .map(str::to_owned)
    };
    let (a, b) = (explicit_of(old, old_feed), explicit_of(new, new_feed));
    if a != b {
        cx.field(
            &rules::EXPLICIT_CHANGED,
            format!(
                "episode {label}: `itunes:explicit` changed: {} → {}",
                a.map_or_else(|| "(none)".to_owned(), |v| format!("`{v}`")),
                b.map_or_else(|| "(none)".to_owned(), |v| format!("`{v}`"))
            ),
            (old.explicit.as_ref(), o),
            (new.explicit.as_ref(), n),
            None,
            about(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feed of `items`, each `(guid, title, url, date, extra)`.
    fn feed(channel_extra: &str, items: &[(&str, &str, &str, &str, &str)]) -> String {
        let mut s = String::from(
            r#"<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Show</title>"#,
        );
        s.push_str(channel_extra);
        for (guid, title, url, date, extra) in items {
            s.push_str("\n<item>");
            if !guid.is_empty() {
                s.push_str(&format!("<guid>{guid}</guid>"));
            }
            s.push_str(&format!(
                "<title>{title}</title><enclosure url=\"{url}\" length=\"10\" type=\"audio/mpeg\"/><pubDate>{date}</pubDate>{extra}</item>"
            ));
        }
        s.push_str("</channel></rss>");
        s
    }

    /// `diff` of two texts named `old` and `new`.
    fn run(old: &str, new: &str, options: &Options) -> Result<Diff, Unreadable> {
        diff(
            Input {
                name: "old",
                bytes: old.as_bytes(),
            },
            Input {
                name: "new",
                bytes: new.as_bytes(),
            },
            options,
        )
    }

    fn codes(old: &str, new: &str) -> Vec<&'static str> {
        let d = run(old, new, &Options::default()).unwrap();
        d.findings.iter().map(|f| f.diagnostic.code()).collect()
    }

    const MAR1: &str = "Fri, 01 Mar 2024 09:00:00 GMT";

    #[test]
    fn the_same_facts_written_another_way_are_no_change() {
        let old = feed(
            "<itunes:explicit>yes</itunes:explicit>",
            &[(
                "a",
                "Rivers  and lakes",
                "https://x/a.mp3",
                MAR1,
                "<itunes:duration>3600</itunes:duration><itunes:episode>04</itunes:episode>",
            )],
        );
        let new = feed(
            "<itunes:explicit>true</itunes:explicit>",
            &[(
                " a ",
                "Rivers and\n lakes",
                "https://x/a.mp3",
                "Fri, 01 Mar 2024 17:00:00 +0800",
                "<itunes:duration>1:00:00</itunes:duration><itunes:episode>4</itunes:episode><itunes:explicit>true</itunes:explicit>",
            )],
        );
        assert_eq!(codes(&old, &new), Vec::<&str>::new());
    }

    #[test]
    fn a_guid_change_is_caught_by_enclosure_url_then_by_title_and_day() {
        let old = feed(
            "",
            &[
                ("a", "One", "https://x/1.mp3", MAR1, ""),
                ("b", "Two", "https://x/2.mp3", MAR1, ""),
            ],
        );
        // `a` keeps its URL under a new guid; `b` moves and changes guid but keeps its title and day.
        let new = feed(
            "",
            &[
                ("a2", "One", "https://x/1.mp3", MAR1, ""),
                (
                    "b2",
                    "TWO!",
                    "https://y/2.mp3",
                    "Fri, 01 Mar 2024 23:00:00 GMT",
                    "",
                ),
            ],
        );
        assert_eq!(
            codes(&old, &new),
            ["D003", "D003", "D007", "D008"],
            "both matched despite new guids; `b`'s later hour and new title are changes of their own"
        );
    }

    #[test]
    fn a_first_guid_that_is_the_enclosure_url_is_notable_any_other_is_breaking() {
        let old = feed("", &[("", "One", "https://x/1.mp3", MAR1, "")]);
        let severity = |new_guid: &str| {
            let new = feed("", &[(new_guid, "One", "https://x/1.mp3", MAR1, "")]);
            let d = run(&old, &new, &Options::default()).unwrap();
            assert_eq!(d.findings.len(), 1);
            assert_eq!(d.findings[0].diagnostic.code(), "D003");
            d.findings[0].diagnostic.severity
        };
        // The URL is the id apps fell back to while the item had no guid.
        assert_eq!(severity("https://x/1.mp3"), Severity::Warning);
        assert_eq!(severity("a-new-id"), Severity::Error);
    }

    #[test]
    fn a_guid_match_wins_over_an_enclosure_url_match() {
        // The two episodes swapped files: by guid each is the same episode with a new URL.
        let old = feed(
            "",
            &[
                ("a", "One", "https://x/1.mp3", MAR1, ""),
                ("b", "Two", "https://x/2.mp3", MAR1, ""),
            ],
        );
        let new = feed(
            "",
            &[
                ("a", "One", "https://x/2.mp3", MAR1, ""),
                ("b", "Two", "https://x/1.mp3", MAR1, ""),
            ],
        );
        assert_eq!(codes(&old, &new), ["D004", "D004"]);
    }

    #[test]
    fn added_and_removed_are_each_others_mirror() {
        let a = feed(
            "",
            &[
                ("a", "One", "https://x/1.mp3", MAR1, ""),
                ("b", "Two", "https://x/2.mp3", MAR1, ""),
            ],
        );
        let b = feed(
            "",
            &[
                ("b", "Two", "https://x/2.mp3", MAR1, ""),
                ("c", "Three", "https://x/3.mp3", MAR1, ""),
            ],
        );
        assert_eq!(codes(&a, &b), ["D001", "D002"]);
        assert_eq!(codes(&b, &a), ["D001", "D002"]);
        assert_eq!(codes(&a, &a), Vec::<&str>::new());
    }

    #[test]
    fn duplicate_guids_pair_up_in_order_and_items_without_guid_match_by_url() {
        let old = feed(
            "",
            &[
                ("dup", "One", "https://x/1.mp3", MAR1, ""),
                ("dup", "Two", "https://x/2.mp3", MAR1, ""),
                ("", "Three", "https://x/3.mp3", MAR1, ""),
            ],
        );
        assert_eq!(codes(&old, &old), Vec::<&str>::new());
    }

    #[test]
    fn allow_turns_a_breaking_kind_into_a_notable_one() {
        let old = feed("", &[("a", "One", "https://x/1.mp3", MAR1, "")]);
        let new = feed("", &[("a", "One", "https://cdn/1.mp3", MAR1, "")]);
        let strict = run(&old, &new, &Options::default()).unwrap();
        assert!(strict.is_breaking());
        let allow = vec![&rules::ENCLOSURE_URL_CHANGED];
        let allowed = run(
            &old,
            &new,
            &Options {
                allow,
                ..Options::default()
            },
        )
        .unwrap();
        assert!(!allowed.is_breaking());
        assert_eq!(allowed.summary.allowed, 1);
        assert_eq!(allowed.findings[0].diagnostic.severity, Severity::Warning);
    }

    #[test]
    fn an_episode_the_new_release_archives_has_moved_not_gone() {
        let old = feed(
            "",
            &[
                ("b", "Two", "https://x/2.mp3", MAR1, ""),
                ("a", "One", "https://x/1.mp3", MAR1, ""),
            ],
        );
        let new = feed("", &[("b", "Two", "https://x/2.mp3", MAR1, "")]);
        assert_eq!(codes(&old, &new), ["D002"]);
        let options = Options {
            archived: HashMap::from([("a".to_owned(), "feed-archive-1.xml".to_owned())]),
            ..Options::default()
        };
        let d = run(&old, &new, &options).unwrap();
        assert!(!d.is_breaking());
        assert_eq!(
            d.findings
                .iter()
                .map(|f| f.diagnostic.code())
                .collect::<Vec<_>>(),
            ["D012"]
        );
        assert_eq!((d.summary.removed, d.summary.archived), (0, 1));
        assert!(d.summary.line().contains("0 removed, 1 archived"));
    }

    #[test]
    fn a_feed_that_is_not_rss_cannot_be_compared() {
        let ok = feed("", &[]);
        for (bad, code) in [
            ("<feed xmlns='http://www.w3.org/2005/Atom'/>", "F101"),
            ("<rss version='2.0'/>", "F103"),
            ("<rss><channel>", "F001"),
            ("", "F007"),
        ] {
            let e = run(&ok, bad, &Options::default()).unwrap_err();
            assert_eq!(e.side, Side::New);
            assert_eq!(e.findings[0].code(), code, "{bad}");
        }
    }

    #[test]
    fn a_move_is_notable_when_the_old_feed_announces_it() {
        let link = |href: &str| {
            format!(
                r#"<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="{href}"/>"#
            )
        };
        let new = feed(&link("https://new/feed"), &[]);
        let silent = feed(&link("https://old/feed"), &[]);
        let announced = feed(
            &format!(
                "{}<itunes:new-feed-url>https://new/feed</itunes:new-feed-url>",
                link("https://old/feed")
            ),
            &[],
        );
        let severity = |old: &str| {
            let d = run(old, &new, &Options::default()).unwrap();
            d.findings
                .iter()
                .find(|f| f.diagnostic.rule == &rules::FEED_MOVED)
                .map(|f| f.diagnostic.severity)
        };
        assert_eq!(severity(&silent), Some(Severity::Error));
        assert_eq!(severity(&announced), Some(Severity::Warning));
    }
}
