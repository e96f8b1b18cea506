//! The show's facts that no file can tell (`--title`, `--base-url`, `--author`, `--email`, `--language`,
//! `--category`), each parsed by the vocabulary the catalogue itself checks it with.

use url::Url;

use crate::diag::suggest::did_you_mean;
use crate::vocab::category::{nearest_apple_category, obsolete_apple_category};
use crate::vocab::url::UrlProblem;
use crate::vocab::{Category, Email, Language};

/// What the producer said about the show. Anything left `None` (or empty) becomes a guess from the tags or a
/// placeholder marked `# TODO:`.
#[derive(Debug, Clone, Default)]
pub struct ShowFacts {
    /// The show's name.
    pub title: Option<String>,
    /// Where the show's files will be served.
    pub base_url: Option<BaseUrl>,
    /// The person, group or network behind the show.
    pub author: Option<String>,
    /// The owner's email address (`itunes:owner`).
    pub email: Option<Email>,
    /// The show's language; `en` when not given.
    pub language: Option<Language>,
    /// Apple categories, the first the primary one.
    pub categories: Vec<Category>,
}

/// The public address the show is served from: `public/` (the feed and its side files) and `media/` are
/// both published under it, so the feed is `BASE/feed.xml` and the media `BASE/media/…`. Always ends with
/// `/`, so joining keeps its last segment (`https://host/show` is `https://host/show/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses an absolute `http(s)` URL with a host.
    ///
    /// # Errors
    /// What is wrong with it, as a sentence for the user.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let mut url = crate::vocab::url::parse_web_url(text).map_err(|problem| {
            let why = match problem {
                UrlProblem::Empty => "it is empty".to_owned(),
                UrlProblem::Relative => "it has no `https://` and host".to_owned(),
                UrlProblem::NotWeb { scheme } => format!("it is a `{scheme}:` URL"),
                UrlProblem::NoHost => "it has no host".to_owned(),
                UrlProblem::Invalid(e) => e.to_string(),
            };
            format!(
                "`--base-url {}` is not an absolute http(s) URL: {why}; give the address the show's files will be served from, e.g. `https://example.com/podcast/`",
                text.trim()
            )
        })?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`--base-url {}` has a query or fragment; give the folder address only, e.g. `https://example.com/podcast/`",
                text.trim()
            ));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(BaseUrl(url))
    }

    /// The base itself (also the show's `link` until it has a website of its own).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// `BASE/feed.xml`: where `public/feed.xml` will be served.
    pub fn feed_url(&self) -> String {
        format!("{}feed.xml", self.0)
    }

    /// `BASE/media/`: where `media/` will be served.
    pub fn media_base_url(&self) -> String {
        format!("{}media/", self.0)
    }
}

/// Parses a category as the catalogue writes it (`Technology`, `News > Politics`), exactly as Apple spells
/// it, also accepting another case or spacing of a valid one (`news>politics`).
///
/// # Errors
/// A sentence naming the nearest valid category, Apple's replacement for a retired one, or the list.
pub fn parse_category(text: &str) -> Result<Category, String> {
    let mut parts = text.splitn(2, '>').map(str::trim);
    let parent = parts.next().unwrap_or_default();
    let sub = parts.next();
    if let Some(c) = Category::lookup(parent, sub) {
        return Ok(c);
    }
    // Only the case differs: take Apple's spelling.
    let wanted = text.split_whitespace().collect::<String>().to_lowercase();
    let same = crate::vocab::category::apple_category_paths()
        .into_iter()
        .find(|p| p.split_whitespace().collect::<String>().to_lowercase() == wanted);
    if let Some(path) = same {
        let mut parts = path.splitn(2, " > ");
        let parent = parts.next().unwrap_or_default();
        if let Some(c) = Category::lookup(parent, parts.next()) {
            return Ok(c);
        }
    }
    let help = match (
        obsolete_apple_category(parent, sub),
        nearest_apple_category(parent, sub),
    ) {
        (Some(now), _) => format!("Apple retired it in 2019; use `{now}`"),
        (None, Some(near)) => format!("did you mean `{near}`?"),
        (None, None) => {
            let parents = crate::vocab::category::APPLE_CATEGORIES
                .iter()
                .map(|(p, _)| *p);
            match did_you_mean(parent, parents) {
                Some(p) => format!("did you mean `{p}` (or one of its subcategories)?"),
                None => "see Apple's list: https://podcasters.apple.com/support/1691-apple-podcasts-categories (a subcategory is written `Parent > Sub`)".to_owned(),
            }
        }
    };
    Err(format!(
        "`{}` is not one of Apple's podcast categories; {help}",
        text.trim()
    ))
}

/// How a category is written in the catalogue: `Parent` or `Parent > Sub`.
pub(super) fn category_text(c: Category) -> String {
    match c.sub() {
        Some(sub) => format!("{} > {sub}", c.parent()),
        None => c.parent().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gives_the_feed_and_media_addresses() {
        let base = BaseUrl::parse("https://example.com/show").unwrap();
        assert_eq!(base.feed_url(), "https://example.com/show/feed.xml");
        assert_eq!(base.media_base_url(), "https://example.com/show/media/");
        let base = BaseUrl::parse(" https://example.com ").unwrap();
        assert_eq!(base.feed_url(), "https://example.com/feed.xml");
        assert!(BaseUrl::parse("example.com/show").is_err());
        assert!(BaseUrl::parse("ftp://example.com/").is_err());
        assert!(BaseUrl::parse("https://example.com/?a=b").is_err());
    }

    #[test]
    fn categories_exact_in_another_case_or_with_a_hint() {
        let c = parse_category("News > Politics").unwrap();
        assert_eq!(category_text(c), "News > Politics");
        let c = parse_category("news>politics").unwrap();
        assert_eq!(category_text(c), "News > Politics");
        let c = parse_category("technology").unwrap();
        assert_eq!(category_text(c), "Technology");
        let e = parse_category("Technolgy").unwrap_err();
        assert!(e.contains("did you mean `Technology`?"), "{e}");
        let e = parse_category("Business > Finance").unwrap_err();
        assert!(e.contains("use `Business > Investing`"), "{e}");
        assert!(parse_category("Podcast").is_err());
    }
}
