//! `podcast:remoteItem` and the tags made of them, `podcast:podroll` and `podcast:publisher`
//! (podcast-namespace docs/tags/remote-item.md, podroll.md, publisher.md).

use roxmltree::Node;

use super::{Ctx, lower, rss, rules};
use crate::diag::Severity;
use crate::feed::parse::{Ns, children};
use crate::vocab;

/// One `podcast:remoteItem`, wherever it is.
pub(super) fn remote_item(ctx: &mut Ctx<'_>, r: Node<'_, '_>) {
    // "`feedGuid` (required): The `<podcast:guid>` of the remote feed being pointed to."
    match r.attribute("feedGuid").map(str::trim) {
        None | Some("") => ctx.at_node(
            &rules::BAD_REMOTE_ITEM,
            r,
            "`podcast:remoteItem` has no `feedGuid`",
            Some("add the other feed's `podcast:guid`: apps find the feed by it (`feedUrl` is only a fallback)".to_owned()),
        ),
        Some(guid) if uuid::Uuid::parse_str(guid).is_err() => ctx.at_attr(
            &rules::BAD_REMOTE_ITEM,
            r,
            "feedGuid",
            format!("`feedGuid` `{guid}` is not a UUID"),
            Some("it is the other feed's `podcast:guid`, e.g. `917393e3-1b1e-5cef-ace4-edaa54e1f810`".to_owned()),
        ),
        Some(_) => {}
    }
    if let Some(url) = r.attribute("feedUrl") {
        rss::attribute_url(ctx, r, "feedUrl", url, false);
    }
    if r.attribute("itemGuid").is_some_and(|g| g.trim().is_empty()) {
        ctx.at_attr(
            &rules::BAD_REMOTE_ITEM,
            r,
            "itemGuid",
            "`itemGuid` is empty",
            Some("give the `<guid>` of the item pointed to, or leave the attribute out to point at the whole feed".to_owned()),
        );
    }
    if let Some(medium) = r.attribute("medium")
        && !vocab::podcast::MEDIUMS.contains(&medium)
    {
        ctx.at_attr(
            &rules::BAD_MEDIUM,
            r,
            "medium",
            format!("`medium` `{medium}` is not a medium the namespace defines"),
            crate::diag::suggest::did_you_mean(medium, vocab::podcast::MEDIUMS.iter().copied())
                .map(|s| format!("did you mean `{s}`?")),
        );
    }
}

/// `podcast:podroll`: "one or more `<podcast:remoteItem>` elements".
pub(super) fn podroll(ctx: &mut Ctx<'_>, podroll: Node<'_, '_>) {
    let items: Vec<Node<'_, '_>> = children(podroll, Ns::Podcast, "remoteItem").collect();
    if items.is_empty() {
        ctx.at_node(
            &rules::BAD_REMOTE_ITEM,
            podroll,
            "`podcast:podroll` holds no `podcast:remoteItem`",
            Some("list each recommended show as `<podcast:remoteItem feedGuid=\"…\"/>`".to_owned()),
        );
    }
    for r in items {
        remote_item(ctx, r);
    }
}

/// `podcast:publisher`: "exactly one `<podcast:remoteItem medium=\"publisher\">` element pointing to the
/// publisher feed".
pub(super) fn publisher(ctx: &mut Ctx<'_>, publisher: Node<'_, '_>) {
    let items: Vec<Node<'_, '_>> = children(publisher, Ns::Podcast, "remoteItem").collect();
    match items.as_slice() {
        [] => ctx.at_node(
            &rules::BAD_REMOTE_ITEM,
            publisher,
            "`podcast:publisher` holds no `podcast:remoteItem`",
            Some("point at the publisher feed: `<podcast:remoteItem medium=\"publisher\" feedGuid=\"…\" feedUrl=\"https://…\"/>`".to_owned()),
        ),
        [one] => {
            if one.attribute("medium") != Some("publisher") {
                ctx.at_node(
                    &rules::BAD_REMOTE_ITEM,
                    *one,
                    match one.attribute("medium") {
                        Some(m) => format!("the publisher's `podcast:remoteItem` has `medium` `{m}`, not `publisher`"),
                        None => "the publisher's `podcast:remoteItem` has no `medium=\"publisher\"`".to_owned(),
                    },
                    Some("the namespace points `podcast:publisher` at a feed of medium `publisher`: add `medium=\"publisher\"`".to_owned()),
                );
                lower(ctx, Severity::Warning);
            }
        }
        [_, second, ..] => ctx.at_node(
            &rules::BAD_REMOTE_ITEM,
            *second,
            "`podcast:publisher` holds more than one `podcast:remoteItem`",
            Some("a show has one publisher feed: keep one".to_owned()),
        ),
    }
    for r in items {
        remote_item(ctx, r);
    }
}
