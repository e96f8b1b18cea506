//! `[show]`: the show's own fields, and what its episodes need from it ([`super::Context`]).

use std::path::Path;
use std::str::FromStr;

use super::Context;
use super::media::MediaKind;
use super::values::{
    categories_field, check_xml_chars, choice, email_field, from_list, funding_entry,
    keywords_field, language_field, license_field, location_entry, persons_field, url_field,
};
use crate::catalogue::reader::{Sink, TableReader};
use crate::catalogue::rules;
use crate::catalogue::{Owner, Show, ShowType};
use crate::diag::suggest::did_you_mean;
use crate::text::markdown_to_plain;
use crate::vocab;
use crate::vocab::limits::APPLE_DESCRIPTION_LIMIT;

pub(super) fn lower_show<'r>(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    root: &'r Path,
) -> (Option<Show>, Context<'r>) {
    let show_span = t.span();
    let title = t.required_string(
        sink,
        "title",
        "the show's name, and nothing else (no keywords)",
    );
    let description = t.required_string(
        sink,
        "description",
        "a description of the show in Markdown; apps show it on the show's page",
    );
    let link = required_url(
        sink,
        t,
        "link",
        "the show's website, e.g. `link = \"https://example.com/show\"`",
    );
    let feed_url = required_url(
        sink,
        t,
        "feed_url",
        "the public URL the feed will be served from, e.g. `feed_url = \"https://example.com/feed.xml\"`",
    );
    let media_base_url = required_url(
        sink,
        t,
        "media_base_url",
        "the public URL where the media folder is served, e.g. `media_base_url = \"https://example.com/media/\"`",
    );
    let media_dir_written = t.string(sink, "media_dir");
    let language = t
        .required_string(
            sink,
            "language",
            "an ISO 639 language code such as `en` or `zh-cn`",
        )
        .and_then(|v| language_field(sink, v));
    let author = t.required_string(
        sink,
        "author",
        "the person, group or network behind the show",
    );
    let owner = t.with_table(sink, "owner", |sink, o| {
        let name = o.required_string(sink, "name", "the owner's name");
        let email = o
            .required_string(sink, "email", "the owner's email address")
            .and_then(|e| email_field(sink, e, "email"));
        Some(Owner {
            name: name?.value,
            email: email?,
        })
    });
    let image_written = t.required_string(
        sink,
        "image",
        "the cover art: a square JPEG or PNG of 1400–3000 px, e.g. `image = \"media/cover.jpg\"`",
    );
    let categories = categories_field(sink, t);
    let explicit = match t.bool(sink, "explicit") {
        Some(b) => Some(b.value),
        None if !t.has("explicit") && !t.has_near_miss("explicit") => {
            sink.report(
                &rules::MISSING_FIELD,
                show_span.clone(),
                "`[show]` has no `explicit`",
                Some("Apple requires it: add `explicit = false` (or `true` if the show has explicit content)".to_owned()),
            );
            None
        }
        None => None,
    };
    let show_type = t.string(sink, "type").and_then(|v| {
        choice(
            sink,
            &v,
            "type",
            &[
                ("episodic", ShowType::Episodic),
                ("serial", ShowType::Serial),
            ],
        )
    });
    let copyright = t.string(sink, "copyright");
    let keywords = keywords_field(sink, t);
    let complete = t.bool(sink, "complete").is_some_and(|b| b.value);
    let block = t.bool(sink, "block").is_some_and(|b| b.value);
    let new_feed_url = t
        .string(sink, "new_feed_url")
        .and_then(|v| url_field(sink, &v, "new_feed_url"));
    let guid_override = t.string(sink, "podcast_guid").and_then(|v| {
        match uuid::Uuid::parse_str(v.value.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                sink.report(
                    &rules::INVALID_VALUE,
                    v.span.clone(),
                    format!("`podcast_guid` `{}` is not a UUID", v.value),
                    Some("remove it to use the UUIDv5 of `feed_url`, as the Podcasting 2.0 namespace specifies; keep it only to carry over the guid of a feed that moved".to_owned()),
                );
                None
            }
        }
    });
    let locked = t.bool(sink, "locked").map(|b| b.value);
    let funding = t.each_table(
        sink,
        "funding",
        |i| format!("`[[show.funding]]` #{}", i + 1),
        funding_entry,
    );
    let persons = persons_field(sink, t, "`[[show.person]]`");
    let license = license_field(sink, t);
    let medium = t.string(sink, "medium").and_then(|v| {
        from_list(
            sink,
            v,
            "medium",
            vocab::podcast::MEDIUMS,
            "a Podcasting 2.0 medium",
            None,
        )
    });
    let location = t.with_table(sink, "location", location_entry);
    let loudness = loudness_target(sink, t);
    let timezone_written = t.has("timezone");
    let timezone =
        t.string(sink, "timezone")
            .and_then(|v| match chrono_tz::Tz::from_str(v.value.trim()) {
                Ok(tz) => Some(tz),
                Err(_) => {
                    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
                    let hint = did_you_mean(&v.value, names)
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            "use an IANA zone name such as `Asia/Shanghai` or `Europe/London`"
                                .to_owned()
                        });
                    sink.report(
                        &rules::INVALID_TIMEZONE,
                        v.span,
                        format!("`timezone` `{}` is not a time zone name", v.value),
                        Some(hint),
                    );
                    None
                }
            });

    for text in [&title, &description, &author, &copyright]
        .into_iter()
        .flatten()
    {
        check_xml_chars(sink, text);
    }
    if let Some(d) = &description {
        let plain = markdown_to_plain(&d.value);
        if plain.len() > APPLE_DESCRIPTION_LIMIT {
            sink.report(
                &rules::TEXT_TOO_LONG,
                d.span.clone(),
                format!(
                    "the show's description is {} bytes as plain text; Apple's limit is {APPLE_DESCRIPTION_LIMIT}",
                    plain.len()
                ),
                Some("castkit cuts it at a word boundary in the feed; shorten it to choose where".to_owned()),
            );
        }
    }

    let media_dir_rel = media_dir_written
        .as_ref()
        .map_or_else(|| "media".to_owned(), |m| m.value.clone());
    let media_dir = root.join(&media_dir_rel);
    let media_dir_exists = media_dir.is_dir();
    if !media_dir_exists {
        let span = media_dir_written
            .as_ref()
            .map_or(show_span.clone(), |m| m.span.clone());
        sink.report(
            &rules::MEDIA_NOT_FOUND,
            span,
            format!("the media folder `{}` does not exist", media_dir_rel),
            Some(
                "create it and put the audio and cover art in it, or set `media_dir` in `[show]`"
                    .to_owned(),
            ),
        );
    }
    let context = Context {
        root,
        media_dir: media_dir_exists.then_some(media_dir),
        media_dir_written: media_dir_rel,
        base_url: media_base_url,
        timezone,
        timezone_written,
    };
    let image =
        image_written.and_then(|w| context.reference(sink, &w, MediaKind::Image, "the show"));
    let podcasting = super::podcasting::show_fields(sink, t, &context, image.as_ref(), complete);
    let show = (|| {
        let feed_url = feed_url?;
        let podcast_guid = guid_override
            .unwrap_or_else(|| vocab::podcast::podcast_guid_for_feed_url(feed_url.as_str()));
        Some(Show {
            span: show_span.clone(),
            title: title?.value,
            description: description?.value,
            link: link?,
            feed_url,
            media_base_url: context.base_url.clone()?,
            media_dir: context.media_dir.clone()?,
            language: language?,
            author: author?.value,
            owner,
            image: image?,
            categories: categories?,
            explicit: explicit?,
            show_type: show_type.unwrap_or_default(),
            copyright: copyright.map(|c| c.value),
            keywords,
            complete,
            block,
            new_feed_url,
            podcast_guid,
            locked,
            funding,
            persons,
            license,
            medium: medium.unwrap_or_else(|| "podcast".to_owned()),
            location,
            timezone: context.timezone,
            loudness,
            podcasting,
        })
    })();
    (show, context)
}

/// `loudness = { target = -16, tolerance = 1, true_peak = -1 }`; each field optional, with those defaults.
fn loudness_target(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
) -> Option<super::super::LoudnessTarget> {
    let span = t.value("loudness")?.span();
    t.with_table(sink, "loudness", |sink, l| {
        let defaults = super::super::LoudnessTarget::default();
        let target = l.number_in(
            sink,
            "target",
            -40.0..=-5.0,
            "Apple recommends `target = -16`, Spotify normalises to -14",
        );
        let tolerance = l.number_in(
            sink,
            "tolerance",
            0.1..=10.0,
            "how far an episode may be from the target, in LU: `tolerance = 1`",
        );
        let true_peak = l.number_in(
            sink,
            "true_peak",
            -20.0..=0.0,
            "Apple recommends true peaks at or below `true_peak = -1`",
        );
        Some(super::super::LoudnessTarget {
            span: Some(span),
            target_lufs: target.map_or(defaults.target_lufs, |v| v.value),
            tolerance_lu: tolerance.map_or(defaults.tolerance_lu, |v| v.value),
            true_peak_dbtp: true_peak.map_or(defaults.true_peak_dbtp, |v| v.value),
        })
    })
}

/// A required URL field: its finding when it is missing, and the URL checks of [`url_field`].
fn required_url(
    sink: &mut Sink<'_>,
    t: &mut TableReader<'_, '_>,
    key: &'static str,
    missing_help: &str,
) -> Option<url::Url> {
    t.required_string(sink, key, missing_help)
        .and_then(|v| url_field(sink, &v, key))
}
