//! Episode slugs: the last segment of an episode page's URL on the show's website (`episodes/<slug>/`).
//!
//! A page's URL is shared, bookmarked and indexed, so like a guid it must never change once published. It is
//! derived once from the title (and the season and number, when the episode has them), on the first build
//! that writes the site, and saved into `episodes.toml` by the same edit that saves new guids
//! ([`super::guids::insert_values`]); from then on a new title leaves it alone.

use std::collections::BTreeSet;

/// The longest slug castkit derives, in bytes: long enough for a title's first words, short enough for a URL
/// that reads well.
pub const DERIVED_MAX_LEN: usize = 60;

/// The longest slug the catalogue accepts, in bytes.
pub const MAX_LEN: usize = 200;

/// Why a slug written in the catalogue cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugProblem {
    /// Empty.
    #[error("is empty")]
    Empty,
    /// A character outside `a-z`, `0-9` and `-`.
    #[error("has `{0}`, and a slug is made of `a-z`, `0-9` and `-` only")]
    Character(char),
    /// Starts or ends with `-`, or has `--`.
    #[error("starts or ends with `-`, or has `--`")]
    Dashes,
    /// Longer than [`MAX_LEN`].
    #[error("is {0} characters long; the most is {MAX_LEN}")]
    TooLong(usize),
}

/// Checks a slug written in the catalogue.
///
/// # Errors
/// The first [`SlugProblem`] found.
pub fn check(slug: &str) -> Result<(), SlugProblem> {
    if slug.is_empty() {
        return Err(SlugProblem::Empty);
    }
    if let Some(c) = slug
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(SlugProblem::Character(c));
    }
    if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err(SlugProblem::Dashes);
    }
    if slug.len() > MAX_LEN {
        return Err(SlugProblem::TooLong(slug.len()));
    }
    Ok(())
}

/// The slug a written one should probably have been: the same text put through [`derive()`]'s rules.
pub fn suggest(written: &str) -> String {
    let words = words(written);
    if words.is_empty() {
        "episode".to_owned()
    } else {
        words.join("-")
    }
}

/// The slug of an episode: `5-4-what-are-the-goals-of-rural-revitalization` for episode 4 of season 5 titled
/// "What are the goals of rural revitalization?". Letters are transliterated to ASCII (`é` → `e`, `ß` → `ss`,
/// `北京` → `bei-jing`), lowercased, and every run of anything else becomes one `-`; the result is cut at a
/// word boundary to [`DERIVED_MAX_LEN`] bytes. A title with no letter or digit gives `episode`.
pub fn derive(title: &str, season: Option<u32>, number: Option<u32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (season, number) {
        (Some(s), Some(n)) => parts.extend([s.to_string(), n.to_string()]),
        (None, Some(n)) => parts.push(n.to_string()),
        _ => {}
    }
    let prefix_len = parts.len();
    let mut slug = parts.join("-");
    for word in words(title) {
        // Always at least the first word of the title, cut if it alone is too long.
        let needed = if slug.is_empty() {
            word.len()
        } else {
            slug.len() + 1 + word.len()
        };
        if needed > DERIVED_MAX_LEN {
            if parts.len() == prefix_len {
                let room = DERIVED_MAX_LEN.saturating_sub(slug.len() + 1).max(1);
                let cut: String = word.chars().take(room).collect();
                if !slug.is_empty() {
                    slug.push('-');
                }
                slug.push_str(&cut);
                parts.push(cut);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
        parts.push(word);
    }
    if slug.is_empty() {
        "episode".to_owned()
    } else {
        slug
    }
}

/// `slug`, or `slug-2`, `slug-3`… whichever is not in `taken`; the result is added to `taken`.
pub fn unique(slug: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(slug.clone()) {
        return slug;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{slug}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The lowercase ASCII words of a text: letters and digits transliterated, everything else a separator.
fn words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_readable_slugs() {
        assert_eq!(
            derive(
                "What are the goals of rural revitalization?",
                Some(5),
                Some(4)
            ),
            "5-4-what-are-the-goals-of-rural-revitalization"
        );
        assert_eq!(derive("Ep. 12: Q&A", None, Some(12)), "12-ep-12-q-a");
        assert_eq!(
            derive("Crème brûlée & Straße", None, None),
            "creme-brulee-strasse"
        );
        assert_eq!(derive("北京", None, None), "bei-jing");
        assert_eq!(derive("?!", None, None), "episode");
        assert_eq!(derive("", Some(1), Some(2)), "1-2");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = derive(
            "An extraordinarily long title that goes on and on about many different things",
            None,
            None,
        );
        assert!(slug.len() <= DERIVED_MAX_LEN, "{slug}");
        assert_eq!(
            slug,
            "an-extraordinarily-long-title-that-goes-on-and-on-about-many"
        );
        let one_word = derive(&"a".repeat(100), Some(1), Some(1));
        assert_eq!(one_word.len(), DERIVED_MAX_LEN);
        assert!(check(&one_word).is_ok());
    }

    #[test]
    fn every_derived_slug_passes_the_check() {
        for title in [
            "Hello, World!",
            "--x--",
            "Ça va? 100%",
            "日本語のタイトル",
            "   ",
        ] {
            let slug = derive(title, None, None);
            assert_eq!(check(&slug), Ok(()), "{title} → {slug}");
        }
    }

    #[test]
    fn written_slugs_are_checked() {
        assert_eq!(check("ok-1"), Ok(()));
        assert_eq!(check(""), Err(SlugProblem::Empty));
        assert_eq!(check("Hello"), Err(SlugProblem::Character('H')));
        assert_eq!(check("a b"), Err(SlugProblem::Character(' ')));
        assert_eq!(check("a--b"), Err(SlugProblem::Dashes));
        assert_eq!(check("-a"), Err(SlugProblem::Dashes));
        assert_eq!(suggest("Hello World"), "hello-world");
    }

    #[test]
    fn unique_slugs_get_a_number() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
        assert_eq!(unique("a".into(), &mut taken), "a-3");
    }
}
