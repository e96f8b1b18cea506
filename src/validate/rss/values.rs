//! The values RSS 2.0 defines, element by element: RFC 2822 dates, URLs, language codes, email addresses,
//! whole numbers, and Apple's limit on a description's length.

use chrono::Datelike;
use roxmltree::Node;

use super::html_in_text;
use crate::feed::parse::text_ref;
use crate::validate::{Ctx, rules};
use crate::vocab;
use crate::vocab::url::UrlProblem;

/// RFC 2822 dates; `item` dates are also checked against the present.
pub(super) fn date(ctx: &mut Ctx<'_>, node: Node<'_, '_>, item: bool) {
    let value = text_ref(node);
    let name = node.tag_name().name();
    match crate::feed::parse::parse_rfc2822(&value) {
        None => ctx.at_text(
            &rules::BAD_DATE,
            node,
            format!("`{value}` is not an RFC 2822 date"),
            Some("write e.g. `Mon, 28 Nov 2022 08:00:00 +0800`".to_owned()),
        ),
        Some((date, weekday)) => {
            if let Some(written) = weekday {
                let actual = date.weekday();
                let actual_name = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                    [actual.num_days_from_monday() as usize];
                if !written.eq_ignore_ascii_case(actual_name) {
                    ctx.at_text(
                        &rules::WRONG_WEEKDAY,
                        node,
                        format!(
                            "`{name}` says {written}, but {} was a {actual_name}",
                            date.format("%-d %b %Y")
                        ),
                        Some(format!("write `{actual_name}`")),
                    );
                }
            }
            if item && date.with_timezone(&chrono::Utc) > ctx.options.now {
                ctx.at_text(
                    &rules::FUTURE_DATE,
                    node,
                    format!("this item is dated {}, in the future", date.to_rfc3339()),
                    Some("apps may hide it until then, or list it first for days; publish it when it is due".to_owned()),
                );
            }
        }
    }
}

/// A `<link>`: any absolute URI is valid RSS (a web page is what apps expect, but `mailto:` is allowed).
pub(super) fn link_value(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    let absolute =
        url::Url::parse(&v).is_ok_and(|u| !u.cannot_be_a_base() || u.scheme() == "mailto");
    if v.contains(char::is_whitespace) || !absolute {
        url_value(ctx, node, &v, false);
    }
}

pub(super) fn url_value(ctx: &mut Ctx<'_>, node: Node<'_, '_>, value: &str, media: bool) {
    if let Some(problem) = url_problem(value) {
        ctx.at_text(
            &rules::BAD_URL,
            node,
            format!("`{value}` {problem}"),
            Some("use an absolute URL such as `https://example.com/page`".to_owned()),
        );
    } else if media && value.starts_with("http:") {
        ctx.at_text(
            &rules::INSECURE_URL,
            node,
            format!("`{value}` uses http"),
            Some("serve it over https".to_owned()),
        );
    }
}

/// Checks a URL in an attribute; `media` URLs (files apps download) also get the https warning.
pub(in crate::validate) fn attribute_url(
    ctx: &mut Ctx<'_>,
    node: Node<'_, '_>,
    attr: &str,
    value: &str,
    media: bool,
) {
    let _ = attribute_url_parsed(ctx, node, attr, value, media);
}

/// [`attribute_url`], returning the URL's problem (reported), or the URL as [`url::Url::parse`] reads
/// `value` (`None` if it cannot), for a caller that looks into it (an extension, a path) without parsing
/// it again.
pub(in crate::validate) fn attribute_url_parsed(
    ctx: &mut Ctx<'_>,
    node: Node<'_, '_>,
    attr: &str,
    value: &str,
    media: bool,
) -> Result<Option<url::Url>, &'static str> {
    match checked_url(value) {
        Err(problem) => {
            ctx.at_attr(
                &rules::BAD_URL,
                node,
                attr,
                format!("`{attr}` `{value}` {problem}"),
                Some("use an absolute URL such as `https://example.com/episode.mp3`".to_owned()),
            );
            Err(problem)
        }
        Ok(parsed) => {
            if media && value.starts_with("http:") {
                ctx.at_attr(
                    &rules::INSECURE_URL,
                    node,
                    attr,
                    format!("`{attr}` `{value}` uses http"),
                    Some("serve it over https: the Podcasting 2.0 namespace requires it, and apps block mixed content".to_owned()),
                );
            }
            // `checked_url` trims white space, the URL parser only ASCII spaces and controls: when they
            // differ (a no-break space at the end), `value` is read again as it is.
            let trimmed_alike = value.trim() == value.trim_matches(|c: char| c <= ' ');
            Ok(if trimmed_alike {
                Some(parsed)
            } else {
                url::Url::parse(value).ok()
            })
        }
    }
}

/// Why a URL is not usable, if it is not.
pub(in crate::validate) fn url_problem(value: &str) -> Option<&'static str> {
    checked_url(value).err()
}

/// A usable URL, parsed (from `value` trimmed), or why it is not usable.
fn checked_url(value: &str) -> Result<url::Url, &'static str> {
    // A feed's URL is taken literally by apps, so a space in it is a defect here, while the catalogue's
    // URLs are re-serialised (percent-encoded) before they reach a feed.
    if value.trim().contains(char::is_whitespace) {
        return Err("contains spaces (write them as `%20`)");
    }
    vocab::url::parse_web_url(value).map_err(|problem| match problem {
        UrlProblem::Empty => "is empty",
        UrlProblem::NoHost => "has no host",
        UrlProblem::NotWeb { .. } => "is not a web address (http or https)",
        UrlProblem::Relative => "is relative; podcast apps need absolute URLs",
        UrlProblem::Invalid(_) => "is not a valid URL",
    })
}

pub(super) fn language(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    if vocab::Language::parse(&v).is_none() {
        ctx.at_text(
            &rules::BAD_LANGUAGE,
            node,
            format!("`{v}` is not a language code"),
            Some(
                "use an ISO 639 code, optionally with a region: `en`, `en-us`, `zh-cn`".to_owned(),
            ),
        );
    }
}

/// `managingEditor`, `webMaster` and item `author`: an email address, optionally followed by a name in
/// parentheses (`someone@example.com (Someone)`), as RSS 2.0 specifies.
pub(super) fn rss_person(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    let address = v.split_whitespace().next().unwrap_or("");
    // The RSS Profile also allows a `mailto:` URI.
    let mailto = address
        .strip_prefix("mailto:")
        .and_then(|m| crate::validate::percent_decode(m.split('?').next().unwrap_or("")))
        .is_some_and(|m| m.contains('@'));
    if !mailto && vocab::Email::parse(address).is_none() {
        ctx.at_text(
            &rules::BAD_EMAIL,
            node,
            format!("`{v}` does not start with an email address"),
            Some("RSS 2.0 wants `someone@example.com (Their Name)`; for a name alone use `itunes:author`".to_owned()),
        );
        // Podcast apps show `itunes:author`, not these RSS 2.0 contact fields, and many real feeds (the
        // Podcasting 2.0 namespace's own example among them) put a name there: a warning, not an error.
        if let Some(d) = ctx.last_reported() {
            d.severity = crate::diag::Severity::Warning;
        }
    }
    html_in_text(ctx, node, "an address");
}

/// A whole number from 1 up (`ttl`, image sizes).
pub(super) fn positive_number(ctx: &mut Ctx<'_>, node: Node<'_, '_>, what: &str) -> Option<u64> {
    let v = text_ref(node);
    if v.is_empty() {
        ctx.at_node(
            &rules::EMPTY_VALUE,
            node,
            format!("`{what}` is empty"),
            None,
        );
        return None;
    }
    match v.parse::<u64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            ctx.at_text(
                &rules::BAD_NUMBER,
                node,
                format!("`{what}` `{v}` is not a whole number from 1 up"),
                None,
            );
            None
        }
    }
}

pub(super) fn long_description(ctx: &mut Ctx<'_>, node: Node<'_, '_>) {
    let v = text_ref(node);
    if v.len() > crate::vocab::limits::APPLE_DESCRIPTION_LIMIT {
        ctx.at_node(
            &rules::TOO_LONG,
            node,
            format!(
                "this description is {} bytes; Apple's limit is 4000",
                v.len()
            ),
            Some("shorten it; keep the full show notes in `content:encoded`".to_owned()),
        );
    }
}
