//! `podcast:liveItem`: a live stream in the channel, "the same format as a standard `<item>`"
//! (podcast-namespace docs/tags/live-item.md).

use roxmltree::Node;

use super::{Ctx, lower, rss, rules, syntax};
use crate::diag::Severity;
use crate::feed::parse::{ChildElements, Ns};
use crate::vocab;

/// One `podcast:liveItem`: its attributes, then its children as an item's.
pub(super) fn live_item(ctx: &mut Ctx<'_>, live: Node<'_, '_>) {
    // "`status` (required): A string that must be one of `pending`, `live` or `ended`."
    match live.attribute("status") {
        None => ctx.at_node(
            &rules::BAD_LIVE_ITEM,
            live,
            "`podcast:liveItem` has no `status`",
            Some(
                "`status=\"pending\"` before the stream, `live` during it, `ended` after"
                    .to_owned(),
            ),
        ),
        Some(s) if !vocab::podcast::LIVE_STATUSES.contains(&s) => ctx.at_attr(
            &rules::BAD_LIVE_ITEM,
            live,
            "status",
            format!("`status` `{s}` is not `pending`, `live` or `ended`"),
            Some(
                crate::diag::suggest::did_you_mean(
                    s,
                    vocab::podcast::LIVE_STATUSES.iter().copied(),
                )
                .map_or_else(
                    || "`pending` before the stream, `live` during it, `ended` after".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                ),
            ),
        ),
        Some(_) => {}
    }
    // "`start` (required)" and "`end` (recommended)": ISO 8601 timestamps.
    let time = |ctx: &mut Ctx<'_>, attr: &str| {
        let v = live.attribute(attr)?;
        let parsed = syntax::iso8601(v);
        if parsed.is_none() {
            ctx.at_attr(
                &rules::BAD_LIVE_ITEM,
                live,
                attr,
                format!("`{attr}` `{v}` is not an ISO 8601 date-time"),
                Some("write e.g. `2021-09-26T07:30:00.000-06:00`".to_owned()),
            );
        }
        parsed
    };
    let start = time(ctx, "start");
    let end = time(ctx, "end");
    if live.attribute("start").is_none() {
        ctx.at_node(
            &rules::BAD_LIVE_ITEM,
            live,
            "`podcast:liveItem` has no `start`",
            Some(
                "give when the stream starts: `start=\"2021-09-26T07:30:00.000-06:00\"`".to_owned(),
            ),
        );
    }
    if live.attribute("end").is_none() {
        ctx.at_node(
            &rules::BAD_LIVE_ITEM,
            live,
            "`podcast:liveItem` has no `end`",
            Some(
                "the namespace recommends when the stream is meant to end: `end=\"…\"`".to_owned(),
            ),
        );
        lower(ctx, Severity::Warning);
    }
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        ctx.at_attr(
            &rules::BAD_LIVE_ITEM,
            live,
            "end",
            format!(
                "the stream ends ({}) no later than it starts ({})",
                end.to_rfc3339(),
                start.to_rfc3339()
            ),
            None,
        );
    }
    let elements = ChildElements::of(live);
    // "The `<podcast:contentLink>` tag is also required to be present".
    if elements.child(Ns::Podcast, "contentLink").is_none() {
        ctx.at_node(
            &rules::BAD_LIVE_ITEM,
            live,
            "`podcast:liveItem` has no `podcast:contentLink`",
            Some("link a page that plays the stream, for apps that cannot: `<podcast:contentLink href=\"https://…\">Listen live</podcast:contentLink>`".to_owned()),
        );
    }
    if elements.child(Ns::Rss, "enclosure").is_none()
        && elements.child(Ns::Podcast, "alternateEnclosure").is_none()
    {
        ctx.at_node(
            &rules::BAD_LIVE_ITEM,
            live,
            "`podcast:liveItem` has neither an `<enclosure>` nor a `podcast:alternateEnclosure`: nothing to play",
            Some("give the stream's URL as `<enclosure url=\"https://…\" type=\"audio/mpeg\" length=\"0\"/>`, and as a `podcast:alternateEnclosure`".to_owned()),
        );
    }
    rss::live_item(ctx, &elements);
    super::item(ctx, &elements);
}
