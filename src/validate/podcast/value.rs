//! `podcast:value`, its `podcast:valueRecipient`s and `podcast:valueTimeSplit`s: what a wallet needs to
//! split each payment (podcast-namespace docs/tags/value.md, value-recipient.md, value-time-split.md).

use roxmltree::Node;

use super::{Ctx, lower, remote, rules, syntax};
use crate::diag::Severity;
use crate::feed::parse::{Ns, children};
use crate::vocab;

/// One `podcast:value` of the channel, an item or a live item. `episode_seconds` is the item's
/// `itunes:duration`, when it has one, to place its time splits in.
pub(super) fn check(ctx: &mut Ctx<'_>, value: Node<'_, '_>, episode_seconds: Option<f64>) {
    // podcast-namespace docs/tags/value.md: `type` and `method` are required, `suggested` optional.
    if value.attribute("type").is_none() || value.attribute("method").is_none() {
        ctx.at_node(
            &rules::BAD_VALUE,
            value,
            "`podcast:value` needs `type` and `method`",
            None,
        );
    }
    if let Some(suggested) = value.attribute("suggested")
        && !syntax::is_decimal(suggested)
    {
        ctx.at_attr(
            &rules::BAD_VALUE_ATTRIBUTE,
            value,
            "suggested",
            format!("`suggested` `{suggested}` is not a decimal amount"),
            Some(
                "write the amount in the block's currency, e.g. `suggested=\"0.00000005000\"`"
                    .to_owned(),
            ),
        );
    }
    // "The node value must be one or more `<podcast:valueRecipient>` elements."
    let recipients: Vec<Node<'_, '_>> = children(value, Ns::Podcast, "valueRecipient").collect();
    if recipients.is_empty() {
        ctx.at_node(
            &rules::BAD_VALUE,
            value,
            "`podcast:value` has no `podcast:valueRecipient`",
            None,
        );
    }
    recipient_list(ctx, value, &recipients);
    let splits: Vec<Node<'_, '_>> = children(value, Ns::Podcast, "valueTimeSplit").collect();
    let mut placed: Vec<(f64, f64, Node<'_, '_>)> = Vec::new();
    for split in &splits {
        if let Some(times) = time_split(ctx, *split) {
            placed.push((times.0, times.1, *split));
        }
    }
    overlaps(ctx, &mut placed, episode_seconds);
}

/// The recipients of a value block or of a time split, each checked, and the sum of their shares.
fn recipient_list(ctx: &mut Ctx<'_>, parent: Node<'_, '_>, recipients: &[Node<'_, '_>]) {
    let mut shares: Vec<f64> = Vec::new();
    for r in recipients {
        if let Some(split) = recipient(ctx, *r) {
            shares.push(split);
        }
    }
    // Every recipient given and readable, and each gets nothing: the payment has nowhere to go.
    if !recipients.is_empty()
        && shares.len() == recipients.len()
        && shares.iter().all(|s| *s == 0.0)
    {
        ctx.at_node(
            &rules::BAD_VALUE_ATTRIBUTE,
            parent,
            "every recipient's `split` is 0: nobody gets paid",
            Some(
                "give each recipient its number of shares, e.g. `split=\"95\"` and `split=\"5\"`"
                    .to_owned(),
            ),
        );
    }
}

/// One `podcast:valueRecipient` (podcast-namespace docs/tags/value-recipient.md); its split as a number
/// when it can be read.
fn recipient(ctx: &mut Ctx<'_>, r: Node<'_, '_>) -> Option<f64> {
    for attr in ["type", "address", "split"] {
        if r.attribute(attr).is_none_or(str::is_empty) {
            ctx.at_node(
                &rules::BAD_VALUE,
                r,
                format!("`podcast:valueRecipient` has no `{attr}`"),
                None,
            );
        }
    }
    if let Some(kind) = r.attribute("type").filter(|t| !t.is_empty())
        && !vocab::podcast::RECIPIENT_TYPES.contains(&kind)
    {
        ctx.at_attr(
            &rules::BAD_VALUE_ATTRIBUTE,
            r,
            "type",
            format!("`type` `{kind}` is not a recipient type the namespace defines (`node`, `lnaddress`)"),
            crate::diag::suggest::did_you_mean(kind, vocab::podcast::RECIPIENT_TYPES.iter().copied())
                .map(|s| format!("did you mean `{s}`?")),
        );
        lower(ctx, Severity::Warning);
    }
    if let Some(fee) = r.attribute("fee")
        && !matches!(fee, "true" | "false")
    {
        ctx.at_attr(
            &rules::BAD_VALUE_ATTRIBUTE,
            r,
            "fee",
            format!("`fee` `{fee}` is not `true` or `false`"),
            None,
        );
    }
    if r.attribute("customValue").is_some() && r.attribute("customKey").is_none() {
        ctx.at_attr(
            &rules::BAD_VALUE_ATTRIBUTE,
            r,
            "customValue",
            "`customValue` without `customKey`: the wallet has no record to send it in",
            Some("add the record's key, e.g. `customKey=\"696969\"`".to_owned()),
        );
    }
    // "The number of shares of the payment this recipient will receive."
    let split = r.attribute("split").filter(|s| !s.is_empty())?;
    let trimmed = split.trim();
    if trimmed.parse::<u64>().is_ok() {
        return trimmed.parse::<f64>().ok();
    }
    if syntax::is_decimal(trimmed) {
        ctx.at_attr(
            &rules::BAD_VALUE_ATTRIBUTE,
            r,
            "split",
            format!("`split` `{split}` is not a whole number of shares"),
            Some("apps divide payments by whole shares: scale every split of the block to whole numbers (`2.5` and `97.5` → `25` and `975`)".to_owned()),
        );
        lower(ctx, Severity::Warning);
        return trimmed.parse::<f64>().ok();
    }
    ctx.at_attr(
        &rules::BAD_VALUE_ATTRIBUTE,
        r,
        "split",
        format!("`split` `{split}` is not a number of shares"),
        Some("write a whole number: a recipient's share is its split over the sum of the block's splits".to_owned()),
    );
    None
}

/// One `podcast:valueTimeSplit` (podcast-namespace docs/tags/value-time-split.md): its start and duration
/// in seconds, when both can be read.
fn time_split(ctx: &mut Ctx<'_>, split: Node<'_, '_>) -> Option<(f64, f64)> {
    for attr in ["startTime", "duration"] {
        if split.attribute(attr).is_none_or(|v| v.trim().is_empty()) {
            ctx.at_node(
                &rules::BAD_VALUE,
                split,
                format!("`podcast:valueTimeSplit` has no `{attr}`"),
                None,
            );
        }
    }
    let mut read_seconds = |attr: &str| -> Option<f64> {
        let v = split.attribute(attr).filter(|v| !v.trim().is_empty())?;
        if syntax::is_decimal(v.trim()) {
            v.trim().parse::<f64>().ok()
        } else {
            ctx.at_attr(
                &rules::BAD_VALUE_ATTRIBUTE,
                split,
                attr,
                format!("`{attr}` `{v}` is not a number of seconds"),
                None,
            );
            None
        }
    };
    let start = read_seconds("startTime");
    let duration = read_seconds("duration");
    let _ = read_seconds("remoteStartTime");
    if let Some(p) = split.attribute("remotePercentage") {
        match p.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..=100.0).contains(&x) => {}
            Ok(x) if x.is_finite() => {
                ctx.at_attr(
                    &rules::BAD_VALUE_ATTRIBUTE,
                    split,
                    "remotePercentage",
                    format!(
                        "`remotePercentage` `{p}` is outside 0–100; apps read it as {}",
                        if x < 0.0 { 0 } else { 100 }
                    ),
                    None,
                );
                lower(ctx, Severity::Warning);
            }
            _ => ctx.at_attr(
                &rules::BAD_VALUE_ATTRIBUTE,
                split,
                "remotePercentage",
                format!("`remotePercentage` `{p}` is not a percentage"),
                Some("write a number from 0 to 100 (100 if not given)".to_owned()),
            ),
        }
    }
    // "A single `<podcast:remoteItem>` element OR one or more `<podcast:valueRecipient>` elements."
    let remotes: Vec<Node<'_, '_>> = children(split, Ns::Podcast, "remoteItem").collect();
    let recipients: Vec<Node<'_, '_>> = children(split, Ns::Podcast, "valueRecipient").collect();
    match (remotes.len(), recipients.len()) {
        (0, 0) => ctx.at_node(
            &rules::BAD_VALUE,
            split,
            "`podcast:valueTimeSplit` has neither a `podcast:remoteItem` nor a `podcast:valueRecipient`",
            Some("name who is paid during the split: one `podcast:remoteItem`, or its own recipients".to_owned()),
        ),
        (1, 0) | (0, _) => {}
        (_, 0) => ctx.at_node(
            &rules::BAD_VALUE,
            remotes[1],
            "`podcast:valueTimeSplit` holds more than one `podcast:remoteItem`",
            Some("a time split pays one remote item: split the time between several `podcast:valueTimeSplit`s".to_owned()),
        ),
        (_, _) => ctx.at_node(
            &rules::BAD_VALUE,
            split,
            "`podcast:valueTimeSplit` holds both a `podcast:remoteItem` and `podcast:valueRecipient`s",
            Some("keep one: the remote item's recipients, or the split's own".to_owned()),
        ),
    }
    for r in &remotes {
        remote::remote_item(ctx, *r);
    }
    recipient_list(ctx, split, &recipients);
    Some((start?, duration?))
}

/// Overlaps shorter than this are not reported: editors that place splits by the sample leave
/// `2096.0251 + 233 = 2329.0251` against a next start of `2329`, and apps switch recipients at whole seconds.
const OVERLAP_TOLERANCE_SECONDS: f64 = 1.0;

/// Seconds as a producer wrote them, to the millisecond at most (`2330.0251000000024` → `2330.025`).
fn seconds(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// F315: time splits that overlap, or that start after the episode ends.
fn overlaps(
    ctx: &mut Ctx<'_>,
    placed: &mut [(f64, f64, Node<'_, '_>)],
    episode_seconds: Option<f64>,
) {
    // In order of start, document order breaking ties (a stable sort).
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut latest_end: Option<(f64, Node<'_, '_>)> = None;
    for &(start, duration, node) in placed.iter() {
        if let Some(total) = episode_seconds
            && start >= total
        {
            ctx.at_attr(
                &rules::VALUE_TIME_SPLIT_OVERLAP,
                node,
                "startTime",
                format!(
                    "this split starts at {} s, after the episode ends ({} s)",
                    seconds(start),
                    seconds(total)
                ),
                Some("time splits are times in this episode's enclosure".to_owned()),
            );
        }
        if let Some((end, earlier)) = latest_end
            && start + OVERLAP_TOLERANCE_SECONDS < end
        {
            let line = ctx.source.line_col(earlier.range().start).0;
            ctx.at_attr(
                &rules::VALUE_TIME_SPLIT_OVERLAP,
                node,
                "startTime",
                format!(
                    "this split starts at {} s, before the split at line {line} ends ({} s)",
                    seconds(start),
                    seconds(end)
                ),
                Some(
                    "end each split before the next one starts: apps pay one split at a time"
                        .to_owned(),
                ),
            );
        }
        let end = start + duration;
        if latest_end.is_none_or(|(e, _)| end > e) {
            latest_end = Some((end, node));
        }
    }
}
