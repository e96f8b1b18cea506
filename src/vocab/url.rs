//! Web addresses: what a link, an enclosure or an image URL in a podcast feed must be.

/// Why a text is not a web address podcast apps can follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// Nothing but whitespace.
    Empty,
    /// A relative reference (`/feed.xml`, `cover.jpg`): apps have no base to resolve it against.
    Relative,
    /// An absolute URL of another scheme (`ftp:`, `file:`, `mailto:`).
    NotWeb {
        /// The scheme, without its colon.
        scheme: String,
    },
    /// An `http(s)` URL without a host.
    NoHost,
    /// Not a URL at all; the parser's reason.
    Invalid(url::ParseError),
}

/// Parses `text` (trimmed) as an absolute `http` or `https` URL with a host: the one definition of a web
/// address shared by the catalogue and the validator. Whether plain `http` is acceptable is the caller's
/// call (the catalogue warns, the validator reports it per element).
///
/// # Errors
/// [`UrlProblem`] says what is wrong.
pub fn parse_web_url(text: &str) -> Result<url::Url, UrlProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UrlProblem::Empty);
    }
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        Ok(u) if matches!(u.scheme(), "http" | "https") => Err(UrlProblem::NoHost),
        Ok(u) => Err(UrlProblem::NotWeb {
            scheme: u.scheme().to_owned(),
        }),
        Err(url::ParseError::RelativeUrlWithoutBase) => Err(UrlProblem::Relative),
        Err(e) => Err(UrlProblem::Invalid(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_and_what_is_wrong_with_the_rest() {
        assert!(parse_web_url(" https://example.com/a.mp3 ").is_ok());
        assert!(parse_web_url("http://example.com").is_ok());
        assert_eq!(parse_web_url("  "), Err(UrlProblem::Empty));
        assert_eq!(parse_web_url("media/a.mp3"), Err(UrlProblem::Relative));
        assert_eq!(
            parse_web_url("ftp://example.com/a.mp3"),
            Err(UrlProblem::NotWeb {
                scheme: "ftp".to_owned()
            })
        );
        assert!(matches!(
            parse_web_url("https://exa mple.com"),
            Err(UrlProblem::Invalid(_))
        ));
    }
}
