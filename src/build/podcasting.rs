//! The catalogue's other Podcasting 2.0 tags → the feed model: value blocks, txt, podroll, publisher,
//! updateFrequency, podping, block, socialInteract, chat, image, contentLink and live items.

use crate::catalogue::Show;
use crate::catalogue::podcasting::{
    Artwork, Chat, EpisodePodcasting, Live, LiveStatus, Recipient, RemoteItem, ShowPodcasting,
    SocialInteract, SplitRecipients, ValueBlock,
};
use crate::feed::model::{
    BlockTag, ChannelTags, ChatTag, ContentLinkTag, ImageTag, Item, ItemTags, LiveItemTag,
    RecipientTag, RemoteItemTag, SocialInteractTag, TimeSplitTag, TxtTag, UpdateFrequencyTag,
    ValueTag,
};

/// The channel's tags.
pub(super) fn channel_tags(show: &Show) -> ChannelTags {
    let p: &ShowPodcasting = &show.podcasting;
    ChannelTags {
        value: p.value.iter().map(value_tag).collect(),
        txt: p.txt.iter().map(txt_tag).collect(),
        podroll: p.podroll.iter().map(remote_item_tag).collect(),
        publisher: p.publisher.as_ref().map(remote_item_tag),
        update_frequency: p.update_frequency.as_ref().map(|u| UpdateFrequencyTag {
            text: u.text.clone(),
            rrule: u.rrule.clone(),
            dtstart: u.dtstart.clone(),
            complete: show.complete,
        }),
        podping: p.podping,
        blocks: p
            .blocks
            .iter()
            .map(|b| BlockTag {
                id: b.platform.clone(),
                blocked: b.blocked,
            })
            .collect(),
        social: p.social.iter().map(social_tag).collect(),
        chat: p.chat.as_ref().map(chat_tag),
        images: p.images.iter().map(image_tag).collect(),
    }
}

/// An item's tags.
pub(super) fn item_tags(p: &EpisodePodcasting) -> ItemTags {
    ItemTags {
        value: p.value.iter().map(value_tag).collect(),
        txt: p.txt.iter().map(txt_tag).collect(),
        social: p.social.iter().map(social_tag).collect(),
        chat: p.chat.as_ref().map(chat_tag),
        images: p.images.iter().map(image_tag).collect(),
        content_links: p
            .content_links
            .iter()
            .map(|c| ContentLinkTag {
                href: c.href.to_string(),
                text: c.text.clone(),
            })
            .collect(),
    }
}

/// Where a live stream stands among the feed's live items: on air first, then announced ones by start (the
/// soonest first), then ended ones, the newest first.
pub(super) fn placement(live: &Live) -> (LiveStatus, i64) {
    let at = live.start.timestamp();
    match live.status {
        LiveStatus::Ended => (LiveStatus::Ended, -at),
        status => (status, at),
    }
}

/// A live stream's `podcast:liveItem`, around the item built for it.
pub(super) fn live_item(live: &Live, item: Item) -> LiveItemTag {
    LiveItemTag {
        status: live.status.as_str(),
        start: iso8601(&live.start),
        end: live.end.as_ref().map(iso8601),
        item,
    }
}

/// ISO 8601 with milliseconds and the offset as written, the form of the namespace's examples
/// (`2021-09-26T07:30:00.000-06:00`).
fn iso8601(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

fn value_tag(v: &ValueBlock) -> ValueTag {
    ValueTag {
        kind: v.kind.clone(),
        method: v.method.clone(),
        suggested: v.suggested.clone(),
        recipients: v.recipients.iter().map(recipient_tag).collect(),
        time_splits: v
            .time_splits
            .iter()
            .map(|s| {
                let (remote, recipients) = match &s.paid {
                    SplitRecipients::Remote(r) => (Some(remote_item_tag(r)), Vec::new()),
                    SplitRecipients::Recipients(list) => {
                        (None, list.iter().map(recipient_tag).collect())
                    }
                };
                TimeSplitTag {
                    start: crate::chapters::format_seconds(s.start_ms),
                    duration: crate::chapters::format_seconds(s.duration_ms),
                    remote_start: s.remote_start_ms.map(crate::chapters::format_seconds),
                    remote_percentage: s.remote_percentage,
                    remote,
                    recipients,
                }
            })
            .collect(),
    }
}

fn recipient_tag(r: &Recipient) -> RecipientTag {
    RecipientTag {
        name: r.name.clone(),
        kind: r.kind.clone(),
        address: r.address.clone(),
        split: r.split,
        fee: r.fee,
        custom_key: r.custom_key.clone(),
        custom_value: r.custom_value.clone(),
    }
}

fn remote_item_tag(r: &RemoteItem) -> RemoteItemTag {
    RemoteItemTag {
        feed_guid: r.feed_guid.to_string(),
        feed_url: r.feed_url.as_ref().map(ToString::to_string),
        item_guid: r.item_guid.clone(),
        medium: r.medium.clone(),
        title: r.title.clone(),
    }
}

fn txt_tag(t: &crate::catalogue::podcasting::Txt) -> TxtTag {
    TxtTag {
        text: t.text.clone(),
        purpose: t.purpose.clone(),
    }
}

fn social_tag(s: &SocialInteract) -> SocialInteractTag {
    match s {
        SocialInteract::Disabled => SocialInteractTag {
            protocol: crate::vocab::podcast::SOCIAL_DISABLED.to_owned(),
            uri: None,
            account_id: None,
            account_url: None,
            priority: None,
        },
        SocialInteract::Thread {
            protocol,
            uri,
            account_id,
            account_url,
            priority,
        } => SocialInteractTag {
            protocol: protocol.clone(),
            uri: Some(uri.clone()),
            account_id: account_id.clone(),
            account_url: account_url.as_ref().map(ToString::to_string),
            priority: *priority,
        },
    }
}

fn chat_tag(c: &Chat) -> ChatTag {
    ChatTag {
        server: c.server.clone(),
        protocol: c.protocol.clone(),
        account_id: c.account_id.clone(),
        space: c.space.clone(),
    }
}

fn image_tag(a: &Artwork) -> ImageTag {
    ImageTag {
        href: a.file.url.to_string(),
        alt: a.alt.clone(),
        aspect_ratio: a.aspect_ratio.clone(),
        width: a.width,
        height: a.height,
        mime: a.mime.clone(),
        purpose: a.purpose.clone(),
    }
}
