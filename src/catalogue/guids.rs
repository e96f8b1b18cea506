//! Permanent episode guids: assigned once, on the first build that publishes an episode, and written back into
//! `episodes.toml` so they never change again.
//!
//! An episode's guid is how every app and directory recognises it; if it changes, every subscriber downloads
//! the episode again and sees it twice. So a guid is never derived from anything that can change (title, file
//! name, URL, content): it is a random UUID, stored in the catalogue. The write-back edits the document with
//! `toml_edit`, which keeps the producer's comments, ordering and formatting.

use toml_edit::{DocumentMut, Item, value};

/// Why the new guids could not be put into the catalogue text.
#[derive(Debug, thiserror::Error)]
pub enum GuidWriteError {
    /// The text no longer parses (it changed since it was checked).
    #[error("the catalogue changed while castkit was reading it")]
    Parse(#[from] toml_edit::TomlError),
    /// The episode list is not where it was when the catalogue was checked.
    #[error("episode #{0} is no longer in the catalogue (was it edited during the build?)")]
    Missing(usize),
}

/// A new random guid (UUID v4), for an episode that has none.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Returns `text` with `guid = "…"` added to each listed episode (by 0-based position in `[[episode]]`).
/// Everything else in the text is kept byte for byte.
///
/// # Errors
/// [`GuidWriteError`] if the text does not parse or an episode is missing.
pub fn insert_guids(text: &str, guids: &[(usize, String)]) -> Result<String, GuidWriteError> {
    insert_values(text, &[("guid", guids)])
}

/// Returns `text` with `key = "…"` added to each listed episode (by 0-based position in `[[episode]]`), for
/// each key: new guids and new slugs ([`super::slugs`]) are saved by one edit. Everything else in the text is
/// kept byte for byte.
///
/// # Errors
/// [`GuidWriteError`] if the text does not parse or an episode is missing.
pub fn insert_values(
    text: &str,
    values: &[(&str, &[(usize, String)])],
) -> Result<String, GuidWriteError> {
    if values.iter().all(|(_, v)| v.is_empty()) {
        return Ok(text.to_owned());
    }
    let mut doc: DocumentMut = text.parse()?;
    let episodes = doc
        .get_mut("episode")
        .and_then(Item::as_array_of_tables_mut);
    let Some(episodes) = episodes else {
        let first = values.iter().find_map(|(_, v)| v.first());
        return match first {
            Some((i, _)) => Err(GuidWriteError::Missing(*i + 1)),
            None => Ok(text.to_owned()),
        };
    };
    for (key, entries) in values {
        for (index, written) in *entries {
            let table = episodes
                .get_mut(*index)
                .ok_or(GuidWriteError::Missing(index + 1))?;
            table.insert(key, value(written.as_str()));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &str = r#"# My show
[show]
title = "Show" # the name

[[episode]]
# first one
title = "One"
published = 2024-01-01T00:00:00Z

[[episode.person]]
name = "Ann"

[[episode]]
title = "Two"   # keep this comment
guid = "kept"
"#;

    #[test]
    fn guids_are_added_and_everything_else_is_kept() {
        let out = insert_guids(CATALOGUE, &[(0, "abc".to_owned())]).unwrap();
        let expected = CATALOGUE.replace(
            "published = 2024-01-01T00:00:00Z\n",
            "published = 2024-01-01T00:00:00Z\nguid = \"abc\"\n",
        );
        assert_eq!(out, expected);
        // The result is still the same document with one more key (checked by an independent parse).
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["episode"][0]["guid"].as_str(), Some("abc"));
        assert_eq!(
            parsed["episode"][0]["person"][0]["name"].as_str(),
            Some("Ann")
        );
        assert_eq!(parsed["episode"][1]["guid"].as_str(), Some("kept"));
    }

    #[test]
    fn guids_and_slugs_are_saved_by_one_edit() {
        let slugs = [(1, "two".to_owned())];
        let guids = [(0, "abc".to_owned())];
        let out = insert_values(CATALOGUE, &[("guid", &guids), ("slug", &slugs)]).unwrap();
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["episode"][0]["guid"].as_str(), Some("abc"));
        assert_eq!(parsed["episode"][1]["slug"].as_str(), Some("two"));
        assert!(out.contains("title = \"Two\"   # keep this comment\n"));
        assert_eq!(
            insert_values(CATALOGUE, &[("slug", &[])]).unwrap(),
            CATALOGUE
        );
    }

    #[test]
    fn a_missing_episode_is_an_error_not_a_silent_skip() {
        assert!(matches!(
            insert_guids(CATALOGUE, &[(5, "x".to_owned())]),
            Err(GuidWriteError::Missing(6))
        ));
    }

    #[test]
    fn new_guids_are_unique_uuids() {
        let a = new_guid();
        let b = new_guid();
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
