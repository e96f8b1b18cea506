//! Field values: URLs, emails, languages, dates, choices from a list, categories, persons, funding,
//! licences, locations, and the length and character checks every text field gets.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use toml::de::DeValue;
use url::Url;

use super::Context;
use crate::catalogue::reader::{At, Sink, TableReader};
use crate::catalogue::rules;
use crate::catalogue::{Category, Funding, License, Location, Person};
use crate::diag::suggest::did_you_mean;
use crate::vocab;
use crate::vocab::limits::PODCAST_SHORT_TEXT_LIMIT;
use crate::vocab::url::UrlProblem;
use crate::vocab::xml::is_xml_char;

/// A MIME type such as `audio/mpeg`: `type/subtype`, tokens only (parameters allowed after `;`).
pub(in crate::catalogue) fn media_type_field(
    sink: &mut Sink<'_>,
    value: At<String>,
    field: &str,
) -> Option<At<String>> {
    let text = value.value.trim();
    let essence = text.split(';').next().unwrap_or("").trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match essence.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => {
            Some(At::new(text.to_owned(), value.span))
        }
        _ => {
            sink.report(
                &rules::INVALID_VALUE,
                value.span.clone(),
                format!("`{field}` `{text}` is not a MIME type"),
                Some(
                    "write it as `type/subtype`, e.g. `audio/mpeg`, `audio/x-m4a` or `text/vtt`"
                        .to_owned(),
                ),
            );
            None
        }
    }
}

pub(in crate::catalogue) fn url_field(
    sink: &mut Sink<'_>,
    value: &At<String>,
    field: &str,
) -> Option<Url> {
    let text = value.value.trim();
    // Anything but another scheme is reported in the URL parser's own words.
    let invalid = |e: url::ParseError| {
        (
            format!("`{field}` `{text}` is not a valid URL: {e}"),
            "use an absolute URL such as `https://example.com/path`",
        )
    };
    let (message, help) = match vocab::url::parse_web_url(text) {
        Ok(url) => {
            if url.scheme() == "http" {
                sink.report(
                    &rules::INSECURE_URL,
                    value.span.clone(),
                    format!("`{field}` `{text}` uses http"),
                    Some(format!(
                        "use `{}` if the server supports it",
                        text.replacen("http:", "https:", 1)
                    )),
                );
            }
            return Some(url);
        }
        Err(UrlProblem::NotWeb { scheme }) => (
            format!("`{field}` `{text}` is a `{scheme}:` URL, not a web address"),
            "use an absolute `https://` URL",
        ),
        Err(UrlProblem::Empty | UrlProblem::Relative) => {
            invalid(url::ParseError::RelativeUrlWithoutBase)
        }
        Err(UrlProblem::NoHost) => invalid(url::ParseError::EmptyHost),
        Err(UrlProblem::Invalid(e)) => invalid(e),
    };
    sink.report(
        &rules::INVALID_URL,
        value.span.clone(),
        message,
        Some(help.to_owned()),
    );
    None
}

pub(super) fn email_field(sink: &mut Sink<'_>, value: At<String>, field: &str) -> Option<String> {
    match vocab::Email::parse(&value.value) {
        Some(email) => Some(email.as_str().to_owned()),
        None => {
            sink.report(
                &rules::INVALID_EMAIL,
                value.span,
                format!("`{field}` `{}` is not an email address", value.value.trim()),
                Some("write the bare address, e.g. `podcast@example.com`".to_owned()),
            );
            None
        }
    }
}

pub(in crate::catalogue) fn language_field(
    sink: &mut Sink<'_>,
    value: At<String>,
) -> Option<String> {
    match vocab::Language::parse(&value.value) {
        Some(language) => Some(language.as_str().to_owned()),
        None => {
            sink.report(
                &rules::INVALID_LANGUAGE,
                value.span,
                format!("`language` `{}` is not a language code", value.value.trim()),
                Some(
                    "use an ISO 639 code, optionally with a region: `en`, `en-us`, `zh-cn`"
                        .to_owned(),
                ),
            );
            None
        }
    }
}

pub(super) fn choice<T: Copy>(
    sink: &mut Sink<'_>,
    value: &At<String>,
    field: &str,
    options: &[(&str, T)],
) -> Option<T> {
    if let Some((_, v)) = options.iter().find(|(name, _)| *name == value.value) {
        return Some(*v);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let hint = match did_you_mean(&value.value, names.iter().copied()) {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    sink.report(
        &rules::INVALID_VALUE,
        value.span.clone(),
        format!(
            "`{field}` `{}` is not one of {}",
            value.value,
            names.join(", ")
        ),
        Some(hint),
    );
    None
}

/// A value that must be one of a published list (mediums, protocols, recipient types): the value, or a
/// finding saying what it is not (`is_not`, e.g. "a Podcasting 2.0 medium") with the nearest entry, else
/// `otherwise`, else the whole list.
pub(super) fn from_list(
    sink: &mut Sink<'_>,
    value: At<String>,
    field: &str,
    list: &[&str],
    is_not: &str,
    otherwise: Option<&str>,
) -> Option<String> {
    if list.contains(&value.value.as_str()) {
        return Some(value.value);
    }
    let hint = did_you_mean(&value.value, list.iter().copied())
        .map(|m| format!("did you mean `{m}`?"))
        .unwrap_or_else(|| {
            otherwise.map_or_else(|| format!("use one of: {}", list.join(", ")), str::to_owned)
        });
    sink.report(
        &rules::INVALID_VALUE,
        value.span,
        format!("`{field}` `{}` is not {is_not}", value.value),
        Some(hint),
    );
    None
}

pub(super) fn categories_field(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
) -> Option<Vec<Category>> {
    let present = t.has("categories");
    let written = t.string_array(sink, "categories");
    if written.is_empty() {
        if (!present && !t.has_near_miss("categories"))
            || t.value("categories")
                .is_some_and(|v| v.get_ref().as_array().is_some_and(|a| a.is_empty()))
        {
            sink.report(
                &rules::MISSING_FIELD,
                t.span(),
                "`[show]` has no `categories`",
                Some(
                    "Apple requires at least one: e.g. `categories = [\"News > Politics\"]`"
                        .to_owned(),
                ),
            );
        }
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for w in written {
        let mut parts = w.value.splitn(2, '>').map(str::trim);
        let parent = parts.next().unwrap_or_default();
        let sub = parts.next();
        match vocab::Category::lookup(parent, sub) {
            Some(c) => out.push(c),
            None => {
                ok = false;
                let wanted = w.value.trim();
                let obsolete = vocab::category::obsolete_apple_category(parent, sub);
                let help = match (obsolete, vocab::category::nearest_apple_category(parent, sub)) {
                    (Some(now), _) => format!("Apple retired it in 2019; use `{now}`"),
                    (None, Some(n)) => format!("did you mean `{n}`?"),
                    (None, None) => "see Apple's list: https://podcasters.apple.com/support/1691-apple-podcasts-categories (write a subcategory as `Parent > Sub`)".to_owned(),
                };
                sink.report(
                    &rules::UNKNOWN_CATEGORY,
                    w.span,
                    format!("`{wanted}` is not one of Apple's podcast categories"),
                    Some(help),
                );
            }
        }
    }
    ok.then_some(out)
}

pub(super) fn keywords_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    for k in t.string_array(sink, "keywords") {
        let word = k.value.trim();
        if word.is_empty() || word.contains(',') {
            sink.report(
                &rules::INVALID_VALUE,
                k.span,
                format!("keyword `{}` is empty or contains a comma", k.value),
                Some(
                    "list each keyword as its own string: `keywords = [\"china\", \"economy\"]`"
                        .to_owned(),
                ),
            );
        } else {
            out.push(word.to_owned());
        }
    }
    out
}

pub(super) fn funding_entry(sink: &mut Sink<'_>, f: &mut TableReader<'_, '_>) -> Option<Funding> {
    let url = f
        .required_string(sink, "url", "the page where listeners can support the show")
        .and_then(|u| url_field(sink, &u, "url"));
    let text = f.required_string(
        sink,
        "text",
        "the link text, e.g. `text = \"Support the show\"`",
    );
    if let Some(t) = &text {
        check_length(sink, t, "text", PODCAST_SHORT_TEXT_LIMIT);
    }
    Some(Funding {
        url: url?,
        text: text?.value,
    })
}

pub(super) fn persons_field(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    context: &str,
) -> Vec<Person> {
    t.each_table(
        sink,
        "person",
        |i| format!("{context} #{}", i + 1),
        person_entry,
    )
}

pub(super) fn person_entry(sink: &mut Sink<'_>, p: &mut TableReader<'_, '_>) -> Option<Person> {
    let name = p.required_string(sink, "name", "the person's name");
    let role = p.string(sink, "role");
    let group = p.string(sink, "group");
    let href = p
        .string(sink, "href")
        .and_then(|u| url_field(sink, &u, "href"));
    let img = p
        .string(sink, "img")
        .and_then(|u| url_field(sink, &u, "img"));
    if let Some(n) = &name {
        check_length(sink, n, "name", PODCAST_SHORT_TEXT_LIMIT);
    }
    let roles = || vocab::person::PERSON_ROLES.iter().map(|(_, r)| *r);
    let role_canonical = match &role {
        None => Some("Host"),
        Some(r) => match vocab::person::PERSON_ROLES
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(r.value.trim()))
        {
            Some((_, known)) => Some(*known),
            None => {
                let hint = did_you_mean(&r.value, roles())
                    .map(|n| format!("did you mean `{}`?", n.to_lowercase()))
                    .unwrap_or_else(|| "see the roles in the Podcast Taxonomy: https://podcastindex.org/namespace/1.0#person".to_owned());
                sink.report(
                    &rules::UNKNOWN_PERSON_ROLE,
                    r.span.clone(),
                    format!("role `{}` is not in the Podcast Taxonomy", r.value),
                    Some(hint),
                );
                None
            }
        },
    };
    let group_canonical = match (&group, role_canonical) {
        (None, Some(role)) => vocab::person::person_role_group(role),
        (None, None) => None,
        (Some(g), role) => match vocab::person::person_group(&g.value) {
            None => {
                let hint = did_you_mean(&g.value, vocab::person::PERSON_GROUPS.iter().copied())
                    .map(|n| format!("did you mean `{}`?", n.to_lowercase()))
                    .unwrap_or_else(|| {
                        format!(
                            "use one of: {}",
                            vocab::person::PERSON_GROUPS.join(", ").to_lowercase()
                        )
                    });
                sink.report(
                    &rules::UNKNOWN_PERSON_ROLE,
                    g.span.clone(),
                    format!("group `{}` is not in the Podcast Taxonomy", g.value),
                    Some(hint),
                );
                None
            }
            Some(group) => {
                if let Some(role) = role
                    && !vocab::person::person_role_in_group(role, group)
                {
                    let home = vocab::person::person_role_group(role).unwrap_or("another group");
                    sink.report(
                        &rules::UNKNOWN_PERSON_ROLE,
                        g.span.clone(),
                        format!(
                            "role `{}` is not in group `{}`",
                            role.to_lowercase(),
                            group.to_lowercase()
                        ),
                        Some(format!(
                            "the taxonomy puts `{}` in `{}`; remove `group` to use it",
                            role.to_lowercase(),
                            home.to_lowercase()
                        )),
                    );
                    return None;
                }
                Some(group)
            }
        },
    };
    Some(Person {
        name: name?.value.trim().to_owned(),
        role: role_canonical?,
        group: group_canonical?,
        href,
        img,
    })
}

pub(super) fn license_field(sink: &mut Sink<'_>, t: &mut TableReader<'_, '_>) -> Option<License> {
    let value = t.value("license")?;
    match value.get_ref() {
        DeValue::String(s) => Some(License {
            name: s.trim().to_owned(),
            url: None,
        }),
        DeValue::Table(table) => {
            let mut l = TableReader::new(table, value.span(), "`license` in `[show]`");
            let name = l.required_string(
                sink,
                "name",
                "an SPDX identifier such as `CC-BY-4.0`, or your licence's name",
            );
            let url = l
                .string(sink, "url")
                .and_then(|u| url_field(sink, &u, "url"));
            l.finish(sink);
            Some(License {
                name: name?.value,
                url,
            })
        }
        _ => {
            sink.report(
                &rules::WRONG_TYPE,
                value.span(),
                "`license` in `[show]` must be a string or a table",
                Some("e.g. `license = \"CC-BY-4.0\"` or `license = { name = \"My licence\", url = \"https://…\" }`".to_owned()),
            );
            None
        }
    }
}

pub(super) fn location_entry(sink: &mut Sink<'_>, l: &mut TableReader<'_, '_>) -> Option<Location> {
    let name = l.required_string(
        sink,
        "name",
        "a human-readable place name, e.g. `Beijing, China`",
    );
    let geo = l.string(sink, "geo").and_then(|g| {
        let ok = g.value.starts_with("geo:")
            && g.value[4..].split(';').next().is_some_and(|coords| {
                let nums: Vec<&str> = coords.split(',').collect();
                (2..=3).contains(&nums.len()) && nums.iter().all(|n| n.parse::<f64>().is_ok())
            });
        if ok {
            Some(g.value)
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                g.span,
                format!("`geo` `{}` is not a geo URI", g.value),
                Some(
                    "write latitude and longitude as an RFC 5870 URI: `geo:39.9042,116.4074`"
                        .to_owned(),
                ),
            );
            None
        }
    });
    let osm = l.string(sink, "osm").and_then(|o| {
        let v = o.value.trim();
        let ok = v.len() > 1
            && matches!(v.as_bytes()[0], b'N' | b'W' | b'R')
            && v[1..]
                .split('#')
                .next()
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Some(v.to_owned())
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                o.span,
                format!("`osm` `{}` is not an OpenStreetMap reference", o.value),
                Some("write the type letter (N, W or R) and the id, e.g. `R912940`".to_owned()),
            );
            None
        }
    });
    let country = l.string(sink, "country").and_then(|c| {
        let v = c.value.trim();
        if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(v.to_ascii_uppercase())
        } else {
            sink.report(
                &rules::INVALID_VALUE,
                c.span,
                format!("`country` `{}` is not a two-letter country code", c.value),
                Some("use ISO 3166-1 alpha-2, e.g. `CN`".to_owned()),
            );
            None
        }
    });
    if let Some(n) = &name {
        check_length(sink, n, "name", PODCAST_SHORT_TEXT_LIMIT);
    }
    Some(Location {
        name: name?.value,
        geo,
        osm,
        country,
    })
}

pub(super) fn guid_field(sink: &mut Sink<'_>, g: At<String>) -> Option<At<String>> {
    let v = &g.value;
    if v.trim().is_empty() || v.trim() != v || v.chars().any(char::is_control) {
        sink.report(
            &rules::INVALID_GUID,
            g.span.clone(),
            format!("guid `{}` is blank or has spaces or control characters around it", v.escape_debug()),
            Some("a published guid must stay byte-for-byte the same; if this episode was never published, delete the line and castkit assigns one".to_owned()),
        );
        return None;
    }
    Some(g)
}

pub(super) fn datetime_field(
    sink: &mut Sink<'_>,
    value: &At<toml::value::Datetime>,
    context: &Context<'_>,
    owner: &str,
    field: &str,
) -> Option<DateTime<FixedOffset>> {
    let d = value.value;
    let Some(date) = d.date else {
        sink.report(
            &rules::WRONG_TYPE,
            value.span.clone(),
            format!("`{field}` of {owner} is a time without a date"),
            Some(format!(
                "write a full date: `{field} = 2024-05-01T08:00:00+08:00`"
            )),
        );
        return None;
    };
    let naive_date = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    let naive_time = match d.time {
        Some(t) => NaiveTime::from_hms_nano_opt(
            u32::from(t.hour),
            u32::from(t.minute),
            u32::from(t.second.unwrap_or(0)),
            t.nanosecond.unwrap_or(0),
        )?,
        None => NaiveTime::MIN,
    };
    let naive = NaiveDateTime::new(naive_date, naive_time);
    if let Some(offset) = d.offset {
        let seconds = match offset {
            toml::value::Offset::Z => 0,
            toml::value::Offset::Custom { minutes } => i32::from(minutes) * 60,
        };
        let fixed = FixedOffset::east_opt(seconds)?;
        return fixed.from_local_datetime(&naive).single();
    }
    let Some(tz) = context.timezone else {
        if context.timezone_written {
            // The zone itself is wrong; that finding says what to fix.
            return None;
        }
        sink.report(
            &rules::DATE_WITHOUT_ZONE,
            value.span.clone(),
            format!("`{field}` of {owner} has no time zone"),
            Some(format!(
                "add an offset (`{field} = {}T{}+08:00`) or set `timezone = \"Asia/Shanghai\"` (your zone) in `[show]`",
                naive_date,
                naive_time.format("%H:%M:%S")
            )),
        );
        return None;
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(dt) => Some(dt.fixed_offset()),
        chrono::LocalResult::Ambiguous(a, b) => {
            sink.report(
                &rules::INVALID_TIMEZONE,
                value.span.clone(),
                format!(
                    "`{field}` of {owner} happens twice in `{}` (the clocks go back)",
                    tz.name()
                ),
                Some(format!(
                    "add the offset you mean: `{}` or `{}`",
                    a.fixed_offset().to_rfc3339(),
                    b.fixed_offset().to_rfc3339()
                )),
            );
            None
        }
        chrono::LocalResult::None => {
            sink.report(
                &rules::INVALID_TIMEZONE,
                value.span.clone(),
                format!(
                    "`{field}` of {owner} does not exist in `{}` (the clocks go forward)",
                    tz.name()
                ),
                Some(
                    "pick a time outside the daylight-saving gap, or add an explicit offset"
                        .to_owned(),
                ),
            );
            None
        }
    }
}

pub(in crate::catalogue) fn check_length(
    sink: &mut Sink<'_>,
    value: &At<String>,
    field: &str,
    max_chars: usize,
) {
    let n = value.value.chars().count();
    if n > max_chars {
        sink.report(
            &rules::TEXT_TOO_LONG,
            value.span.clone(),
            format!("`{field}` is {n} characters; the Podcasting 2.0 namespace asks for at most {max_chars}"),
            Some("aggregators may truncate it".to_owned()),
        );
    }
}

pub(super) fn check_xml_chars(sink: &mut Sink<'_>, value: &At<String>) {
    if let Some(bad) = value.value.chars().find(|&c| !is_xml_char(c)) {
        sink.report(
            &rules::CONTROL_CHARACTERS,
            value.span.clone(),
            format!(
                "this text contains the character U+{:04X}, which XML forbids",
                u32::from(bad)
            ),
            Some(
                "castkit leaves it out of the feed; remove it from the catalogue to silence this"
                    .to_owned(),
            ),
        );
    }
}
