//! What the templates see: the show and its episodes as plain values (strings already formatted, URLs
//! already relative where they link inside the site), built from the catalogue and the probe's facts.
//! Every field is always present (`none` when empty), so that templates rendered with strict undefined
//! checks can test any of them with `{% if %}`. The README's "The website" section lists them.

use serde::Serialize;

/// `show`: the show, on every page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ShowView {
    pub(super) title: String,
    pub(super) author: String,
    pub(super) language: String,
    /// The show's description, Markdown rendered to sanitised HTML.
    pub(super) description_html: String,
    /// The feed's file name, relative to the site's root (`feed.xml`).
    pub(super) feed_file: String,
    /// The feed's public URL.
    pub(super) feed_url: String,
    /// The site's public URL (the feed's folder), ending with `/`.
    pub(super) site_url: String,
    /// The show's website as the catalogue's `link` states it.
    pub(super) link: String,
    pub(super) cover_url: String,
    pub(super) cover_alt: String,
    pub(super) copyright: Option<String>,
    /// The show's persons (`[[show.person]]`), with their roles.
    pub(super) hosts: Vec<PersonView>,
    /// `[[site.subscribe]]`.
    pub(super) subscribe: Vec<LinkView>,
}

/// A person and their role.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PersonView {
    pub(super) name: String,
    pub(super) role: String,
    pub(super) href: Option<String>,
}

/// A named link.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LinkView {
    pub(super) name: String,
    pub(super) url: String,
}

/// `head`: what `<head>` says about the page (title, description, Open Graph).
#[derive(Debug, Clone, Serialize)]
pub(super) struct HeadView {
    pub(super) title: String,
    pub(super) description: String,
    /// The page's public URL.
    pub(super) url: String,
    /// `website` or `music.song`… castkit uses `website` for the show and `article` for an episode.
    pub(super) og_type: &'static str,
    pub(super) image: String,
    pub(super) image_alt: Option<String>,
    pub(super) audio: Option<String>,
}

/// An episode in the list of the show page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EpisodeSummary {
    pub(super) title: String,
    /// The episode page, relative to the site's root (`episodes/<slug>/`).
    pub(super) href: String,
    /// `Season 5, episode 4`, `Episode 12`, `Trailer`…, or none.
    pub(super) numbering: Option<String>,
    /// The publication date in the show's time zone, RFC 3339.
    pub(super) date_iso: String,
    /// The publication date as shown, `2022-11-28`.
    pub(super) date_text: String,
    /// The exact duration in seconds with 3 decimals (`1234.567`), when known.
    pub(super) duration_seconds: Option<String>,
    /// The duration as shown, `H:MM:SS`.
    pub(super) duration_text: Option<String>,
    /// The notes' plain text, cut at a word boundary.
    pub(super) summary: Option<String>,
}

/// `index`: one page of the show page's episode list.
#[derive(Debug, Clone, Serialize)]
pub(super) struct IndexView {
    /// 1 for `index.html`, 2 for `page/2/index.html`…
    pub(super) number: usize,
    /// How many pages there are.
    pub(super) count: usize,
    pub(super) episodes: Vec<EpisodeSummary>,
    /// The page of newer episodes, relative to the site's root.
    pub(super) prev_href: Option<String>,
    /// The page of older episodes, relative to the site's root.
    pub(super) next_href: Option<String>,
}

/// `episode`: an episode's own page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EpisodeView {
    #[serde(flatten)]
    pub(super) summary: EpisodeSummary,
    pub(super) slug: String,
    /// The enclosure's URL.
    pub(super) audio_url: String,
    /// `MP3, 12.3 MB`.
    pub(super) audio_facts: String,
    pub(super) notes_html: Option<String>,
    pub(super) chapters: Vec<SeekView>,
    pub(super) transcript: Vec<SeekView>,
    /// The episode's persons, else the show's.
    pub(super) persons: Vec<PersonView>,
    /// The episode published before this one.
    pub(super) prev: Option<NeighbourView>,
    /// The episode published after this one.
    pub(super) next: Option<NeighbourView>,
}

/// A point in the audio to seek to: a chapter or a transcript cue.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SeekView {
    /// Seconds, as short as exact (`12.5`, `60`).
    pub(super) start: String,
    /// `H:MM:SS`.
    pub(super) time_text: String,
    /// A chapter's title (chapters).
    pub(super) title: Option<String>,
    /// Who speaks (cues).
    pub(super) speaker: Option<String>,
    /// What is said (cues).
    pub(super) text: Option<String>,
}

/// A neighbouring episode.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NeighbourView {
    pub(super) title: String,
    pub(super) href: String,
}

/// Milliseconds as seconds with exactly 3 decimals: `1234.567`.
pub(super) fn seconds_exact(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Milliseconds as `H:MM:SS` (rounded down to the second, as players show a position).
pub(super) fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_exactly() {
        assert_eq!(seconds_exact(1_234_567), "1234.567");
        assert_eq!(seconds_exact(5), "0.005");
        assert_eq!(clock(3_723_999), "1:02:03");
        assert_eq!(clock(59_000), "0:00:59");
    }
}
