//! Language codes (`<language>`, the catalogue's `language`, `podcast:transcript language`), checked against
//! the IANA Language Subtag Registry through the `language-tags` crate.

use std::fmt;

/// A language tag that is well-formed (BCP 47) and whose subtags are in the IANA registry: `en`, `en-us`,
/// `zh-Hans-CN`, `haw`, `x-klingon`. Stored lowercase, as RSS writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    /// The tag, lowercased, when it is a valid language tag; `None` for `english`, `en_US`, `zz`.
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim();
        let tag = language_tags::LanguageTag::parse(s).ok()?;
        tag.is_valid().then(|| Language(s.to_ascii_lowercase()))
    }

    /// The tag as RSS writes it (lowercase).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_tags_pass_and_unregistered_ones_do_not() {
        for ok in [
            "en",
            "en-US",
            "en-us",
            "zh-Hans-CN",
            "haw",
            "en-x-pirate",
            "x-klingon",
            "pt-BR",
        ] {
            assert!(Language::parse(ok).is_some(), "{ok}");
        }
        // `zz` has the shape of a code but is not in the registry.
        for bad in [
            "english",
            "e",
            "en_US",
            "en-",
            "en-toolongsubtag",
            "",
            "zz",
            "zz-us",
        ] {
            assert!(Language::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Language::parse("en-US").unwrap().as_str(), "en-us");
    }
}
