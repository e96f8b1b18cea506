//! Language codes (`<language>`, the catalogue's `language`, `podcast:transcript language`), checked against
//! the IANA Language Subtag Registry (the `language-tags` crate) and, for a three-letter primary code, ISO
//! 639-3 (the `isolang` crate): RSS 2.0 points at ISO 639, and feeds write `epo` as often as `eo`.

use std::fmt;

/// A language tag that is well-formed (BCP 47) and whose subtags are registered: `en`, `en-us`,
/// `zh-Hans-CN`, `haw`, `epo`, `x-klingon`. Stored lowercase, as RSS writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    /// The tag, lowercased, when it is a valid language tag; `None` for `english`, `en_US`, `zz`.
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim();
        let tag = language_tags::LanguageTag::parse(s).ok()?;
        let registered = tag.is_valid() || {
            // The IANA registry leaves out the ISO 639-3 code of a language that has a two-letter one
            // (`epo` for `eo`); check such a code in ISO 639-3 and the rest of the tag in the registry.
            let primary = tag.primary_language();
            primary.len() == 3
                && isolang::Language::from_639_3(&primary.to_ascii_lowercase()).is_some()
                && language_tags::LanguageTag::parse(&format!("und{}", &s[primary.len()..]))
                    .is_ok_and(|rest| rest.is_valid())
        };
        registered.then(|| Language(s.to_ascii_lowercase()))
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
