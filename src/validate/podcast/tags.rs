//! The namespace's smaller tags, one function each: `txt`, `updateFrequency`, `podping`, `block`,
//! `socialInteract`, `chat`, `image`, `images`, `contentLink` and `integrity`.

use roxmltree::Node;

use super::{Ctx, lower, required, rss, rules, syntax};
use crate::diag::Severity;
use crate::diag::suggest::did_you_mean;
use crate::feed::parse::text_ref;
use crate::vocab::podcast as vocab;

/// How long `podcast:txt purpose` and `podcast:image purpose` should be at most (podcast-namespace
/// docs/tags/txt.md, image.md: "This value should not exceed 128 characters").
const PURPOSE_LIMIT: usize = 128;

/// `podcast:txt` (podcast-namespace docs/tags/txt.md).
pub(super) fn txt(ctx: &mut Ctx<'_>, t: Node<'_, '_>) {
    let text = text_ref(t);
    let chars = text.chars().count();
    if text.is_empty() {
        ctx.at_node(
            &rules::BAD_TXT,
            t,
            "`podcast:txt` is empty",
            Some("the text is the tag's whole content, e.g. `<podcast:txt purpose=\"verify\">S6lpp-7ZCn8</podcast:txt>`".to_owned()),
        );
    } else if chars > vocab::TXT_LIMIT {
        ctx.at_text(
            &rules::BAD_TXT,
            t,
            format!(
                "`podcast:txt` has {chars} characters; aggregators may cut it past {}",
                vocab::TXT_LIMIT
            ),
            None,
        );
        lower(ctx, Severity::Warning);
    }
    if let Some(purpose) = t.attribute("purpose")
        && purpose.chars().count() > PURPOSE_LIMIT
    {
        ctx.at_attr(
            &rules::BAD_TXT,
            t,
            "purpose",
            format!(
                "`purpose` has {} characters; the namespace asks for at most {PURPOSE_LIMIT}",
                purpose.chars().count()
            ),
            None,
        );
        lower(ctx, Severity::Warning);
    }
}

/// `podcast:updateFrequency` (podcast-namespace docs/tags/update-frequency.md).
pub(super) fn update_frequency(ctx: &mut Ctx<'_>, u: Node<'_, '_>) {
    let complete = u.attribute("complete");
    if let Some(c) = complete
        && !matches!(c, "true" | "false")
    {
        ctx.at_attr(
            &rules::BAD_UPDATE_FREQUENCY,
            u,
            "complete",
            format!("`complete` `{c}` is not `true` or `false`"),
            None,
        );
    }
    let dtstart = match u.attribute("dtstart") {
        None => Ok(None),
        Some(d) => match syntax::iso8601(d) {
            Some(parsed) => Ok(Some(parsed.to_rfc3339())),
            None => {
                ctx.at_attr(
                    &rules::BAD_UPDATE_FREQUENCY,
                    u,
                    "dtstart",
                    format!("`dtstart` `{d}` is not an ISO 8601 date or date-time"),
                    Some("write e.g. `2025-01-01T00:00:00.000Z` or `2025-01-01`".to_owned()),
                );
                Err(())
            }
        },
    };
    match u.attribute("rrule") {
        // "`rrule` (recommended)": without it a show that goes on says nothing apps can read.
        None if complete != Some("true") => {
            ctx.at_node(
                &rules::BAD_UPDATE_FREQUENCY,
                u,
                "`podcast:updateFrequency` has no `rrule`",
                Some("give the schedule as an RFC 5545 rule, e.g. `rrule=\"FREQ=WEEKLY\"`, or `complete=\"true\"` if no episodes will follow".to_owned()),
            );
            lower(ctx, Severity::Warning);
        }
        None => {}
        Some(rule) => {
            // A `dtstart` already reported is not reported again as the rule's problem.
            if let Ok(start) = dtstart
                && let Err(e) = vocab::check_rrule(rule, start.as_deref())
            {
                ctx.at_attr(
                    &rules::BAD_UPDATE_FREQUENCY,
                    u,
                    "rrule",
                    format!(
                        "`rrule` `{rule}` is not a recurrence rule apps can follow: {}",
                        e.to_string().trim_end_matches('.')
                    ),
                    Some("see RFC 5545 section 3.3.10, e.g. `FREQ=WEEKLY;BYDAY=MO`".to_owned()),
                );
            }
        }
    }
    let text = text_ref(u);
    let chars = text.chars().count();
    if chars > vocab::UPDATE_FREQUENCY_TEXT_LIMIT {
        ctx.at_text(
            &rules::BAD_UPDATE_FREQUENCY,
            u,
            format!(
                "`podcast:updateFrequency`'s text has {chars} characters; aggregators may cut it past {}",
                vocab::UPDATE_FREQUENCY_TEXT_LIMIT
            ),
            None,
        );
        lower(ctx, Severity::Warning);
    }
}

/// `podcast:podping` (podcast-namespace docs/tags/podping.md): `usesPodping="true"`. The page lists no
/// attribute as optional, and the namespace's rule is "all attributes are required unless explicitly
/// specified as optional" (docs/1.0.md).
pub(super) fn podping(ctx: &mut Ctx<'_>, p: Node<'_, '_>) {
    required(ctx, p, &["usesPodping"]);
    if let Some(v) = p.attribute("usesPodping")
        && !v.trim().is_empty()
        && !matches!(v, "true" | "false")
    {
        ctx.at_attr(
            &rules::BAD_PODCAST_ATTRIBUTE,
            p,
            "usesPodping",
            format!("`usesPodping` `{v}` is not `true` or `false`"),
            None,
        );
    }
}

/// The channel's `podcast:block`s (podcast-namespace docs/tags/block.md).
pub(super) fn blocks(ctx: &mut Ctx<'_>, blocks: &[Node<'_, '_>]) {
    // Each `id` (or none, the block of every platform) and where it was first given.
    let mut seen: Vec<(Option<&str>, Node<'_, '_>)> = Vec::new();
    for b in blocks {
        let v = text_ref(*b);
        if !matches!(&*v, "yes" | "no") {
            ctx.at_text(
                &rules::BAD_BLOCK,
                *b,
                format!("`podcast:block` is `{v}`, not `yes` or `no`"),
                Some("write `yes` to ask the platform (every platform, without `id`) not to list the show, `no` to allow it".to_owned()),
            );
        }
        let id = b.attribute("id");
        if let Some(id) = id
            && !vocab::SERVICE_SLUGS.contains(&id)
        {
            ctx.at_attr(
                &rules::BAD_BLOCK,
                *b,
                "id",
                format!("`id` `{id}` is not a service slug of the namespace"),
                Some(
                    did_you_mean(id, vocab::SERVICE_SLUGS.iter().copied()).map_or_else(
                        || "platforms look for their slug from the namespace's serviceslugs.txt (`google`, `amazon`, `spotify`…)".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    ),
                ),
            );
            lower(ctx, Severity::Warning);
        }
        match seen.iter().find(|(other, _)| *other == id) {
            Some((_, first)) => {
                let line = ctx.source.line_col(first.range().start).0;
                let whom = id.map_or("every platform".to_owned(), |id| format!("`{id}`"));
                ctx.at_node(
                    &rules::BAD_BLOCK,
                    *b,
                    format!("the block for {whom} is also given at line {line}"),
                    Some("keep one: platforms disagree about which one they read".to_owned()),
                );
                lower(ctx, Severity::Warning);
            }
            None => seen.push((id, *b)),
        }
    }
}

/// `podcast:socialInteract` (podcast-namespace docs/tags/social-interact.md, socialprotocols.txt).
pub(super) fn social_interact(ctx: &mut Ctx<'_>, s: Node<'_, '_>) {
    let protocol = s.attribute("protocol").map(str::trim);
    match protocol {
        None | Some("") => ctx.at_node(
            &rules::BAD_SOCIAL_INTERACT,
            s,
            "`podcast:socialInteract` has no `protocol`",
            Some("e.g. `protocol=\"activitypub\"`, or `protocol=\"disabled\"` to ask apps not to show comments".to_owned()),
        ),
        Some(vocab::SOCIAL_DISABLED) => {
            // "a `protocol` value of "disabled" can be specified, with no other attributes or node value".
            let others: Vec<&str> = s
                .attributes()
                .map(|a| a.name())
                .filter(|n| *n != "protocol")
                .collect();
            if !others.is_empty() || !text_ref(s).is_empty() {
                ctx.at_node(
                    &rules::BAD_SOCIAL_INTERACT,
                    s,
                    "`podcast:socialInteract protocol=\"disabled\"` has other attributes or text",
                    Some("`disabled` stands alone: `<podcast:socialInteract protocol=\"disabled\"/>`".to_owned()),
                );
                lower(ctx, Severity::Warning);
            }
            return;
        }
        Some(p) if !vocab::SOCIAL_PROTOCOLS.contains(&p) => unlisted_protocol(
            ctx,
            &rules::BAD_SOCIAL_INTERACT,
            s,
            format!("`protocol` `{p}` is not a protocol of the namespace's list"),
            vocab::SOCIAL_PROTOCOLS,
        ),
        Some(_) => {}
    }
    match s.attribute("uri").map(str::trim) {
        None | Some("") => ctx.at_node(
            &rules::BAD_SOCIAL_INTERACT,
            s,
            "`podcast:socialInteract` has no `uri`",
            Some("give the root post of the comment thread, e.g. `uri=\"https://podcastindex.social/@dave/105079274766075912\"`".to_owned()),
        ),
        // Other protocols have their own URI schemes (`at://`, `nostr:`); web addresses are checked as such.
        Some(uri) if uri.starts_with("http") => rss::attribute_url(ctx, s, "uri", uri, false),
        Some(_) => {}
    }
    if let Some(p) = s.attribute("priority")
        && p.trim().parse::<i64>().is_err()
    {
        ctx.at_attr(
            &rules::BAD_SOCIAL_INTERACT,
            s,
            "priority",
            format!("`priority` `{p}` is not a whole number"),
            Some("`1` is shown first, then `2`…".to_owned()),
        );
    }
    if let Some(url) = s.attribute("accountUrl") {
        rss::attribute_url(ctx, s, "accountUrl", url, false);
    }
}

/// `podcast:chat` (podcast-namespace docs/tags/chat.md, chatprotocols.txt).
pub(super) fn chat(ctx: &mut Ctx<'_>, c: Node<'_, '_>) {
    if c.attribute("server").is_none_or(|v| v.trim().is_empty()) {
        ctx.at_node(
            &rules::BAD_CHAT,
            c,
            "`podcast:chat` has no `server`",
            Some("give the chat server's host name, e.g. `server=\"irc.zeronode.net\"`".to_owned()),
        );
    }
    match c.attribute("protocol").map(str::trim) {
        None | Some("") => ctx.at_node(
            &rules::BAD_CHAT,
            c,
            "`podcast:chat` has no `protocol`",
            Some(format!("use one of {}", code_list(vocab::CHAT_PROTOCOLS))),
        ),
        Some(p) if !vocab::CHAT_PROTOCOLS.contains(&p) => unlisted_protocol(
            ctx,
            &rules::BAD_CHAT,
            c,
            format!("`protocol` `{p}` is not a chat protocol of the namespace's list"),
            vocab::CHAT_PROTOCOLS,
        ),
        Some(_) => {}
    }
}

/// `podcast:image` (podcast-namespace docs/tags/image.md).
pub(super) fn image(ctx: &mut Ctx<'_>, i: Node<'_, '_>) {
    match i.attribute("href") {
        None => ctx.at_node(
            &rules::BAD_PODCAST_IMAGE,
            i,
            "`podcast:image` has no `href`",
            Some("`href` is the image's URL, the one attribute the namespace requires".to_owned()),
        ),
        Some(href) => rss::attribute_url(ctx, i, "href", href, true),
    }
    if i.attribute("alt").is_none_or(|a| a.trim().is_empty()) {
        ctx.at_node(
            &rules::BAD_PODCAST_IMAGE,
            i,
            "`podcast:image` has no `alt` text",
            Some("describe the image for listeners who cannot see it: `alt=\"…\"` (the namespace recommends it)".to_owned()),
        );
        lower(ctx, Severity::Info);
    }
    if let Some(ratio) = i.attribute("aspect-ratio")
        && !syntax::is_css_ratio(ratio)
    {
        ctx.at_attr(
            &rules::BAD_PODCAST_IMAGE,
            i,
            "aspect-ratio",
            format!("`aspect-ratio` `{ratio}` is not a CSS ratio"),
            Some("write width and height with a slash, e.g. `16/9` or `1/1`".to_owned()),
        );
    }
    for attr in ["width", "height"] {
        if let Some(v) = i.attribute(attr)
            && v.trim().parse::<u32>().map_or(true, |n| n == 0)
        {
            ctx.at_attr(
                &rules::BAD_PODCAST_IMAGE,
                i,
                attr,
                format!("`{attr}` `{v}` is not a whole number of pixels"),
                Some(format!("write the number alone, e.g. `{attr}=\"1200\"`")),
            );
        }
    }
    // "`type` (optional): Mime type of the media such as image/jpeg or video/mp4."
    if let Some(t) = i.attribute("type") {
        let lower_type = t.trim().to_ascii_lowercase();
        let well_formed = lower_type
            .split_once('/')
            .is_some_and(|(kind, sub)| matches!(kind, "image" | "video") && !sub.is_empty());
        if !well_formed {
            ctx.at_attr(
                &rules::BAD_PODCAST_IMAGE,
                i,
                "type",
                format!("`type` `{t}` is not an image or video media type"),
                Some("e.g. `image/jpeg`, `image/png`, `image/webp` or `video/mp4`".to_owned()),
            );
            lower(ctx, Severity::Warning);
        }
    }
    if let Some(purpose) = i.attribute("purpose") {
        if purpose.chars().count() > PURPOSE_LIMIT {
            ctx.at_attr(
                &rules::BAD_PODCAST_IMAGE,
                i,
                "purpose",
                format!(
                    "`purpose` has {} characters; the namespace asks for at most {PURPOSE_LIMIT}",
                    purpose.chars().count()
                ),
                None,
            );
            lower(ctx, Severity::Warning);
        } else if purpose.contains(',') {
            ctx.at_attr(
                &rules::BAD_PODCAST_IMAGE,
                i,
                "purpose",
                format!("`purpose` `{purpose}` separates its tokens with commas"),
                Some(format!(
                    "tokens are separated by spaces: `{}`",
                    purpose
                        .split(|c: char| c == ',' || c.is_ascii_whitespace())
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                )),
            );
            lower(ctx, Severity::Warning);
        }
    }
}

/// `podcast:images`, deprecated for `podcast:image` (podcast-namespace docs/tags/images-(deprecated).md).
pub(super) fn images(ctx: &mut Ctx<'_>, i: Node<'_, '_>) {
    ctx.at_node(
        &rules::DEPRECATED_PODCAST_IMAGES,
        i,
        "`podcast:images` is deprecated",
        Some("write one `<podcast:image href=\"…\" width=\"…\"/>` per image instead".to_owned()),
    );
    match i.attribute("srcset") {
        None => ctx.at_node(
            &rules::BAD_PODCAST_IMAGE,
            i,
            "`podcast:images` has no `srcset`",
            None,
        ),
        Some(srcset) => {
            if let Some(problem) = syntax::srcset_problem(srcset) {
                ctx.at_attr(
                    &rules::BAD_PODCAST_IMAGE,
                    i,
                    "srcset",
                    format!("`srcset` is not a list of images apps can read: {problem}"),
                    Some("write each image's absolute URL and width, separated by commas: `https://…/a.jpg 1500w, https://…/b.jpg 600w`".to_owned()),
                );
            }
        }
    }
}

/// `podcast:contentLink` (podcast-namespace docs/tags/content-link.md).
pub(super) fn content_link(ctx: &mut Ctx<'_>, c: Node<'_, '_>) {
    match c.attribute("href").map(str::trim) {
        None | Some("") => ctx.at_node(
            &rules::BAD_CONTENT_LINK,
            c,
            "`podcast:contentLink` has no `href`",
            Some("give the address of the content, e.g. `href=\"https://www.youtube.com/watch?v=…\"`".to_owned()),
        ),
        // "A string that is the uri pointing to content outside of the application": web addresses are
        // checked as such, other schemes are left to apps.
        Some(href) if href.starts_with("http") => {
            rss::attribute_url(ctx, c, "href", href, false);
        }
        Some(_) => {}
    }
    if text_ref(c).is_empty() {
        ctx.at_node(
            &rules::BAD_CONTENT_LINK,
            c,
            "`podcast:contentLink` has no text saying where it leads",
            Some(
                "e.g. `<podcast:contentLink href=\"…\">Watch on YouTube</podcast:contentLink>`"
                    .to_owned(),
            ),
        );
        lower(ctx, Severity::Warning);
    }
}

/// `podcast:integrity` (podcast-namespace docs/tags/integrity.md).
pub(super) fn integrity(ctx: &mut Ctx<'_>, i: Node<'_, '_>) {
    let kind = i.attribute("type").map(str::trim);
    match kind {
        None | Some("") => ctx.at_node(
            &rules::BAD_INTEGRITY,
            i,
            "`podcast:integrity` has no `type`",
            Some("`type=\"sri\"` (preferred) or `type=\"pgp-signature\"`".to_owned()),
        ),
        Some(k) if !vocab::INTEGRITY_TYPES.contains(&k) => ctx.at_attr(
            &rules::BAD_INTEGRITY,
            i,
            "type",
            format!("`type` `{k}` is not `sri` or `pgp-signature`"),
            did_you_mean(k, vocab::INTEGRITY_TYPES.iter().copied())
                .map(|s| format!("did you mean `{s}`?")),
        ),
        Some(_) => {}
    }
    let Some(value) = i.attribute("value").filter(|v| !v.trim().is_empty()) else {
        ctx.at_node(
            &rules::BAD_INTEGRITY,
            i,
            "`podcast:integrity` has no `value`",
            Some("give the SRI string, e.g. `value=\"sha384-…\"`".to_owned()),
        );
        return;
    };
    match kind {
        Some("sri") => {
            if let Some(problem) = syntax::sri_problem(value) {
                ctx.at_attr(
                    &rules::BAD_INTEGRITY,
                    i,
                    "value",
                    format!("`value` is not an SRI string: {problem}"),
                    Some("write `sha384-` and the file's SHA-384 digest in base64: `openssl dgst -sha384 -binary FILE | openssl base64 -A`".to_owned()),
                );
            }
        }
        Some("pgp-signature") if !syntax::is_base64(value) => ctx.at_attr(
            &rules::BAD_INTEGRITY,
            i,
            "value",
            "`value` is not a base64 PGP signature",
            Some("give the detached signature in base64 (`gpg --detach-sign` output, base64-encoded)".to_owned()),
        ),
        _ => {}
    }
}

/// `a`, `b` and `c` in backticks, for a help line.
/// A `protocol` attribute outside the namespace's `list`, with the nearest protocol or the whole list.
fn unlisted_protocol(
    ctx: &mut Ctx<'_>,
    rule: &'static crate::diag::Rule,
    node: Node<'_, '_>,
    message: String,
    list: &[&str],
) {
    let written = node.attribute("protocol").unwrap_or("").trim();
    let help = did_you_mean(written, list.iter().copied()).map_or_else(
        || format!("use one of {}", code_list(list)),
        |s| format!("did you mean `{s}`?"),
    );
    ctx.at_attr(rule, node, "protocol", message, Some(help));
}

fn code_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}
