//! Episode numbers, dates and titles read from file names (`5.4 Title.mp3`, `S05E04 - Title.m4a`,
//! `Ep 12 - Title.mp3`, `012 Title.mp3`, `2024-05-01 Title.mp3`) and from the numbers ID3 keeps in TRCK and
//! TPOS (`4/12`).
//!
//! Producers name files in a handful of ways; each recognised form is a [`Numbering`], so the comment
//! `castkit init` writes can say which one it read. A form is only recognised where it cannot be a title's
//! own words: a leading number of four digits from 1900 to 2099 is read as a year, not an episode, and
//! titles from tags only lose a marker that is unmistakably one (`S01E02`, `Ep 3`, `#4`).

use chrono::NaiveDate;

/// How an episode's season and number were written in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// `5.4 Title`: season 5, episode 4.
    SeasonDotNumber,
    /// `S05E04 Title`, `s5e4`, `5x04`: season and episode.
    SeasonEpisode,
    /// `Ep 12 - Title`, `Episode 12: Title`, `E12 Title`.
    EpisodeWord,
    /// `#12 Title`.
    Hash,
    /// `012 Title`, `12. Title`, `12 - Title`: a leading number.
    LeadingNumber,
}

impl Numbering {
    /// The form in words, for the comment next to the numbers.
    pub fn describe(self) -> &'static str {
        match self {
            Numbering::SeasonDotNumber => "`season.number Title`",
            Numbering::SeasonEpisode => "`S01E02`",
            Numbering::EpisodeWord => "`Ep 12`",
            Numbering::Hash => "`#12`",
            Numbering::LeadingNumber => "a leading number (`012 Title`)",
        }
    }

    /// Whether the form cannot be a title's own words, so it may be taken out of a tag's title too.
    fn unmistakable(self) -> bool {
        matches!(
            self,
            Numbering::SeasonEpisode | Numbering::EpisodeWord | Numbering::Hash
        )
    }
}

/// What a name says: the title without its numbering, and the numbers and date it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedName {
    /// The title: the name without numbering, date and separators; empty when nothing else is left.
    pub title: String,
    /// The season, when the name gives one (1 or more).
    pub season: Option<u32>,
    /// The episode number, when the name gives one (1 or more).
    pub number: Option<u32>,
    /// How the numbers were written; `None` when the name has none.
    pub numbering: Option<Numbering>,
    /// A `YYYY-MM-DD` date the name starts with.
    pub date: Option<NaiveDate>,
}

/// Reads a file name without its extension (`5.4 What are the goals`): numbering anywhere the forms allow,
/// a leading date, and the title that is left. Underscores count as spaces (`012_my_episode`).
pub fn parse_file_stem(stem: &str) -> ParsedName {
    parse(&stem.replace('_', " "), false)
}

/// Reads a title from a tag: only an unmistakable marker (`S01E02`, `Ep 3`, `#4`) is taken out, so a title
/// such as `100 Days of Rain` or `3.5 Ways to Sleep` keeps its words.
pub fn parse_tag_title(title: &str) -> ParsedName {
    parse(title, true)
}

fn parse(text: &str, unmistakable_only: bool) -> ParsedName {
    let text = collapse_spaces(text);
    let (date, rest) = match leading_date(&text) {
        Some((date, rest)) => (Some(date), rest),
        None => (None, text.as_str()),
    };
    let found = numbering_at_start(rest)
        .map(|(n, after)| (n, String::new(), after.to_owned()))
        .or_else(|| numbering_inside(rest))
        .filter(|(n, _, _)| !unmistakable_only || n.0.unmistakable());
    let Some(((numbering, season, number), before, after)) = found else {
        return ParsedName {
            title: trim_separators(rest).to_owned(),
            season: None,
            number: None,
            numbering: None,
            date,
        };
    };
    // `Show - S01E02 - Title`: the title is what follows the marker; `Title (Ep 3)`: what precedes it.
    let after = trim_separators(&after);
    let title = if after.is_empty() {
        trim_separators(&before)
    } else {
        after
    };
    ParsedName {
        title: title.to_owned(),
        season: season.filter(|n| *n > 0),
        number: number.filter(|n| *n > 0),
        numbering: Some(numbering),
        date,
    }
}

/// A number as `TRCK` or `TPOS` write it: `4`, `04`, `4/12` (the fourth of twelve). `None` for 0 or text.
pub fn tag_number(text: &str) -> Option<u32> {
    let first = text.split('/').next()?.trim();
    first.parse::<u32>().ok().filter(|n| *n > 0)
}

/// Season, number and the form they were written in.
type Found = (Numbering, Option<u32>, Option<u32>);

/// Characters that separate numbering from a title.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '–' | '—' | ':' | '.' | '|' | ',' | '(' | ')' | '[' | ']'
        )
}

fn trim_separators(s: &str) -> &str {
    s.trim_matches(is_separator)
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Digits at the start of `s`: their value and the rest.
fn digits(s: &str) -> Option<(u32, usize, &str)> {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 9 {
        return None;
    }
    Some((s[..len].parse().ok()?, len, &s[len..]))
}

/// Whether `rest` may follow a number: the end, or a separator (so `12abc` is not a number).
fn ends_token(rest: &str) -> bool {
    rest.chars().next().is_none_or(is_separator)
}

/// `2024-05-01 Title`.
fn leading_date(s: &str) -> Option<(NaiveDate, &str)> {
    let head = s.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = &s[10..];
    ends_token(rest).then(|| (date, trim_separators(rest)))
}

/// `S05E04`, `s5 e4`, `5x04` at the start of `s`.
fn season_episode(s: &str) -> Option<(Found, &str)> {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with('s') {
        let (season, _, rest) = digits(&s[1..])?;
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(['e', 'E'])?;
        let (number, _, rest) = digits(rest)?;
        return ends_token(rest)
            .then_some(((Numbering::SeasonEpisode, Some(season), Some(number)), rest));
    }
    let (season, _, rest) = digits(s)?;
    let rest = rest.strip_prefix(['x', 'X'])?;
    let (number, len, rest) = digits(rest)?;
    // `5x04`, not `1920x1080`-like sizes: the episode part has at most three digits.
    (len <= 3 && ends_token(rest))
        .then_some(((Numbering::SeasonEpisode, Some(season), Some(number)), rest))
}

/// `Ep 12`, `Ep. 12`, `Episode 12`, `E12`, `Ep #12`, `Folge 12` at the start of `s`.
fn episode_word(s: &str) -> Option<(Found, &str)> {
    let lower = s.to_ascii_lowercase();
    let word = ["episode", "folge", "ep", "e"]
        .into_iter()
        .find(|w| lower.starts_with(w))?;
    let rest = &s[word.len()..];
    let rest = rest.strip_prefix('.').unwrap_or(rest).trim_start();
    let rest = rest.strip_prefix('#').unwrap_or(rest);
    // A bare `E` must touch its digits (`E12`), or `E Street` would be read.
    if word == "e" && !s[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (number, _, rest) = digits(rest)?;
    ends_token(rest).then_some(((Numbering::EpisodeWord, None, Some(number)), rest))
}

/// The numbering forms that may open a name, with what follows them.
fn numbering_at_start(s: &str) -> Option<(Found, &str)> {
    if let Some(found) = season_episode(s).or_else(|| episode_word(s)) {
        return Some(found);
    }
    if let Some(rest) = s.strip_prefix('#') {
        let (number, _, rest) = digits(rest)?;
        return ends_token(rest).then_some(((Numbering::Hash, None, Some(number)), rest));
    }
    let (first, len, rest) = digits(s)?;
    if let Some(after_dot) = rest.strip_prefix('.')
        && let Some((second, _, rest)) = digits(after_dot)
        && rest.starts_with(char::is_whitespace)
    {
        return Some((
            (Numbering::SeasonDotNumber, Some(first), Some(second)),
            rest,
        ));
    }
    let looks_like_year = len == 4 && (1900..=2099).contains(&first);
    (ends_token(rest) && !looks_like_year && !rest.is_empty())
        .then_some(((Numbering::LeadingNumber, None, Some(first)), rest))
}

/// `Show - S01E02 - Title`, `Title (Episode 3)`: an unmistakable marker after a separator.
fn numbering_inside(s: &str) -> Option<(Found, String, String)> {
    s.char_indices()
        .filter(|&(i, c)| i > 0 && is_separator(c))
        .find_map(|(i, c)| {
            let start = i + c.len_utf8();
            let tail = &s[start..];
            let (found, rest) = season_episode(tail)
                .or_else(|| episode_word(tail))
                .or_else(|| {
                    let rest = tail.strip_prefix('#')?;
                    let (number, _, rest) = digits(rest)?;
                    ends_token(rest).then_some(((Numbering::Hash, None, Some(number)), rest))
                })?;
            Some((found, s[..i].to_owned(), rest.to_owned()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (file stem, title, season, number, form).
    type Case = (
        &'static str,
        &'static str,
        Option<u32>,
        Option<u32>,
        Option<Numbering>,
    );
    const STEMS: &[Case] = &[
        (
            "5.4 What are the goals of rural revitalization",
            "What are the goals of rural revitalization",
            Some(5),
            Some(4),
            Some(Numbering::SeasonDotNumber),
        ),
        (
            "S05E04 Rural revitalization",
            "Rural revitalization",
            Some(5),
            Some(4),
            Some(Numbering::SeasonEpisode),
        ),
        (
            "s1e12 - Pilot",
            "Pilot",
            Some(1),
            Some(12),
            Some(Numbering::SeasonEpisode),
        ),
        (
            "S02 E03 The Return",
            "The Return",
            Some(2),
            Some(3),
            Some(Numbering::SeasonEpisode),
        ),
        (
            "3x07 - Winter",
            "Winter",
            Some(3),
            Some(7),
            Some(Numbering::SeasonEpisode),
        ),
        (
            "My Show - S01E02 - The Second One",
            "The Second One",
            Some(1),
            Some(2),
            Some(Numbering::SeasonEpisode),
        ),
        (
            "Ep 12 - Interview with Ada",
            "Interview with Ada",
            None,
            Some(12),
            Some(Numbering::EpisodeWord),
        ),
        (
            "Ep. 7: Budgets",
            "Budgets",
            None,
            Some(7),
            Some(Numbering::EpisodeWord),
        ),
        (
            "Episode 101 – Looking back",
            "Looking back",
            None,
            Some(101),
            Some(Numbering::EpisodeWord),
        ),
        (
            "E05 Five",
            "Five",
            None,
            Some(5),
            Some(Numbering::EpisodeWord),
        ),
        (
            "Folge 3 - Die Reise",
            "Die Reise",
            None,
            Some(3),
            Some(Numbering::EpisodeWord),
        ),
        (
            "#42 The Answer",
            "The Answer",
            None,
            Some(42),
            Some(Numbering::Hash),
        ),
        (
            "012 Title",
            "Title",
            None,
            Some(12),
            Some(Numbering::LeadingNumber),
        ),
        (
            "12. Twelve",
            "Twelve",
            None,
            Some(12),
            Some(Numbering::LeadingNumber),
        ),
        (
            "007 - Licence",
            "Licence",
            None,
            Some(7),
            Some(Numbering::LeadingNumber),
        ),
        (
            "012_my_episode",
            "my episode",
            None,
            Some(12),
            Some(Numbering::LeadingNumber),
        ),
        (
            "Title only (Episode 9)",
            "Title only",
            None,
            Some(9),
            Some(Numbering::EpisodeWord),
        ),
        ("No numbers here", "No numbers here", None, None, None),
        // A year is not an episode number.
        ("1999 Remembered", "1999 Remembered", None, None, None),
        // `E Street` is not episode E.
        ("E Street Band", "E Street Band", None, None, None),
        // Episode 0 (a prologue) has no number the catalogue accepts; the marker still goes.
        (
            "000 Prologue",
            "Prologue",
            None,
            None,
            Some(Numbering::LeadingNumber),
        ),
        // Words glued to digits are not numbering.
        ("4chan stories", "4chan stories", None, None, None),
        ("Episode", "Episode", None, None, None),
    ];

    #[test]
    fn file_names_in_the_shapes_producers_use() {
        for (stem, title, season, number, numbering) in STEMS {
            let parsed = parse_file_stem(stem);
            assert_eq!(
                (
                    parsed.title.as_str(),
                    parsed.season,
                    parsed.number,
                    parsed.numbering
                ),
                (*title, *season, *number, *numbering),
                "{stem}"
            );
        }
    }

    #[test]
    fn a_leading_date_is_read_and_removed() {
        let parsed = parse_file_stem("2024-05-01 Ep 3 - Spring");
        assert_eq!(parsed.date, NaiveDate::from_ymd_opt(2024, 5, 1));
        assert_eq!(parsed.number, Some(3));
        assert_eq!(parsed.title, "Spring");
        let parsed = parse_file_stem("2024-05-01_Spring_cleaning");
        assert_eq!(parsed.date, NaiveDate::from_ymd_opt(2024, 5, 1));
        assert_eq!(parsed.title, "Spring cleaning");
        assert_eq!(parsed.number, None);
        // Not a real day: the text stays a title.
        assert_eq!(parse_file_stem("2024-13-01 x").date, None);
    }

    #[test]
    fn tag_titles_lose_only_unmistakable_markers() {
        let kept = ["100 Days of Rain", "3.5 Ways to Sleep", "2024 in Review"];
        for title in kept {
            let parsed = parse_tag_title(title);
            assert_eq!((parsed.title.as_str(), parsed.number), (title, None));
        }
        let parsed = parse_tag_title("S01E02: The Second One");
        assert_eq!(
            (parsed.title.as_str(), parsed.season, parsed.number),
            ("The Second One", Some(1), Some(2))
        );
        let parsed = parse_tag_title("Ep 7 - Budgets");
        assert_eq!((parsed.title.as_str(), parsed.number), ("Budgets", Some(7)));
    }

    #[test]
    fn trck_and_tpos_numbers() {
        assert_eq!(tag_number("4"), Some(4));
        assert_eq!(tag_number("04/12"), Some(4));
        assert_eq!(tag_number(" 7 / 9 "), Some(7));
        assert_eq!(tag_number("0"), None);
        assert_eq!(tag_number("A"), None);
        assert_eq!(tag_number(""), None);
    }
}
