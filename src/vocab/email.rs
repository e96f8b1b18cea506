//! Email addresses as feeds carry them (`itunes:email`, `podcast:locked owner`, the catalogue's owner).

use std::fmt;

/// A bare email address (`someone@example.com`), checked by [`Email::parse`]: the one test the catalogue
/// and the validator both apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// The address, trimmed, when it is a bare email address; `None` otherwise.
    pub fn parse(s: &str) -> Option<Email> {
        let s = s.trim();
        is_email_address(s).then(|| Email(s.to_owned()))
    }

    /// The address as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `s` is a bare email address (`someone@example.com`): what `itunes:email`, `podcast:locked owner`
/// and the catalogue's owner email must be. No display name, spaces, quotes or brackets.
fn is_email_address(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !s.contains(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses_only() {
        // Addresses from the W3C validator's valid and invalid contact cases.
        for ok in [
            "user@example.com",
            "P.O'Neill@example.ie",
            "me+folder@example.com",
        ] {
            assert!(Email::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "Mark Pilgrim",
            "Me (me@example.com)",
            "me@example",
            "@example.com",
            "a@b@c.com",
            "",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
