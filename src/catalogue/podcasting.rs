//! The Podcasting 2.0 tags a show or an episode states beyond the everyday ones: value-for-value payments,
//! free-form `txt` records, the podroll and publisher, the release schedule, podping, per-platform blocks,
//! comments, chat, extra artwork, content links and live streams. Each type names the tag it becomes; the
//! tag pages are in the namespace's `docs/tags/` (cited on each type).

use chrono::{DateTime, FixedOffset};
use url::Url;

/// The Podcasting 2.0 tags of `[show]` beyond the everyday ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShowPodcasting {
    /// `[[show.value]]`: `podcast:value` blocks.
    pub value: Vec<ValueBlock>,
    /// `[[show.txt]]`: `podcast:txt`.
    pub txt: Vec<Txt>,
    /// `[[show.podroll]]`: the shows recommended in `podcast:podroll`.
    pub podroll: Vec<RemoteItem>,
    /// `[show.publisher]`: `podcast:publisher`'s publisher feed.
    pub publisher: Option<RemoteItem>,
    /// `[show.update_frequency]`: `podcast:updateFrequency`.
    pub update_frequency: Option<UpdateFrequency>,
    /// `podping`: `podcast:podping usesPodping`.
    pub podping: Option<bool>,
    /// `block_platforms` and `allow_platforms`: `podcast:block`, in the order they are written.
    pub blocks: Vec<PlatformBlock>,
    /// `[[show.social_interact]]`: `podcast:socialInteract`.
    pub social: Vec<SocialInteract>,
    /// `[show.chat]`: `podcast:chat`.
    pub chat: Option<Chat>,
    /// `image_alt` and `[[show.artwork]]`: `podcast:image`.
    pub images: Vec<Artwork>,
}

/// The Podcasting 2.0 tags of an `[[episode]]` beyond the everyday ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpisodePodcasting {
    /// `[[episode.value]]`: `podcast:value` blocks, which replace the show's for this episode.
    pub value: Vec<ValueBlock>,
    /// `[[episode.txt]]`: `podcast:txt`.
    pub txt: Vec<Txt>,
    /// `[[episode.social_interact]]`: `podcast:socialInteract`.
    pub social: Vec<SocialInteract>,
    /// `[episode.chat]`: `podcast:chat`.
    pub chat: Option<Chat>,
    /// `image_alt` and `[[episode.artwork]]`: `podcast:image`.
    pub images: Vec<Artwork>,
    /// `[[episode.content_link]]`: `podcast:contentLink`.
    pub content_links: Vec<ContentLink>,
    /// `[episode.live]`: the episode is a live stream, `podcast:liveItem`.
    pub live: Option<Live>,
}

/// `podcast:value` (podcast-namespace docs/tags/value.md): how listeners' payments are sent and split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueBlock {
    /// `type`: the payment layer's service slug, e.g. `lightning`.
    pub kind: String,
    /// `method`: the transport, e.g. `keysend`.
    pub method: String,
    /// `suggested`: the suggested amount per payment, a decimal as written.
    pub suggested: Option<String>,
    /// `podcast:valueRecipient`s: who is paid, in shares.
    pub recipients: Vec<Recipient>,
    /// `podcast:valueTimeSplit`s: other recipients for a stretch of the audio.
    pub time_splits: Vec<TimeSplit>,
}

/// `podcast:valueRecipient` (podcast-namespace docs/tags/value-recipient.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// `name`: who this is.
    pub name: Option<String>,
    /// `type`: the kind of address (`node`, `lnaddress`).
    pub kind: String,
    /// `address`: where the payment goes.
    pub address: String,
    /// `split`: the recipient's number of shares.
    pub split: u64,
    /// `fee`: the share is a fee, taken before the others are divided.
    pub fee: bool,
    /// `customKey`: a custom record key sent with the payment.
    pub custom_key: Option<String>,
    /// `customValue`: the value of `customKey`.
    pub custom_value: Option<String>,
}

/// `podcast:valueTimeSplit` (podcast-namespace docs/tags/value-time-split.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSplit {
    /// `startTime`, in milliseconds.
    pub start_ms: u64,
    /// `duration`, in milliseconds.
    pub duration_ms: u64,
    /// `remoteStartTime`, in milliseconds: where in the remote item the split starts.
    pub remote_start_ms: Option<u64>,
    /// `remotePercentage`: the share of the payment the remote item's recipients get (0–100).
    pub remote_percentage: Option<u8>,
    /// Who is paid during the split.
    pub paid: SplitRecipients,
}

/// Who a time split pays: the recipients of another feed's item, or its own list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitRecipients {
    /// One `podcast:remoteItem`: the value block of that feed or item.
    Remote(RemoteItem),
    /// `podcast:valueRecipient`s.
    Recipients(Vec<Recipient>),
}

/// `podcast:remoteItem` (podcast-namespace docs/tags/remote-item.md): another feed, or an item of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    /// `feedGuid`: the other feed's `podcast:guid`.
    pub feed_guid: uuid::Uuid,
    /// `feedUrl`: the other feed's URL, for apps that cannot resolve guids.
    pub feed_url: Option<Url>,
    /// `itemGuid`: the `<guid>` of an item in that feed.
    pub item_guid: Option<String>,
    /// `medium`: the other feed's `podcast:medium`, when not `podcast`.
    pub medium: Option<String>,
    /// `title`: its title, so apps can show it without fetching the feed.
    pub title: Option<String>,
}

/// `podcast:txt` (podcast-namespace docs/tags/txt.md): free-form text, such as a verification code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txt {
    /// The text (at most 4,000 characters).
    pub text: String,
    /// `purpose`: what it is for, e.g. `verify` or `applepodcastsverify`.
    pub purpose: Option<String>,
}

/// `podcast:updateFrequency` (podcast-namespace docs/tags/update-frequency.md): the release schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFrequency {
    /// The schedule in words, e.g. `Weekly`.
    pub text: String,
    /// `rrule`: the schedule as an RFC 5545 recurrence rule, checked.
    pub rrule: Option<String>,
    /// `dtstart`: when the schedule starts, as ISO 8601.
    pub dtstart: Option<String>,
}

/// `podcast:block` (podcast-namespace docs/tags/block.md): whether a platform may list the show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformBlock {
    /// `id`: the platform's service slug; `None` for every platform.
    pub platform: Option<String>,
    /// `yes` (blocked) or `no` (allowed).
    pub blocked: bool,
}

impl PlatformBlock {
    /// Whether `blocks` keep the platform `slug` from listing the show, in the order the namespace tells
    /// platforms to look: its own `no`, its own `yes`, then a `yes` for every platform.
    pub fn blocks(blocks: &[PlatformBlock], slug: &str) -> bool {
        match blocks.iter().find(|b| b.platform.as_deref() == Some(slug)) {
            Some(own) => own.blocked,
            None => blocks.iter().any(|b| b.platform.is_none() && b.blocked),
        }
    }
}

/// `podcast:socialInteract` (podcast-namespace docs/tags/social-interact.md): where the comments are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocialInteract {
    /// `protocol="disabled"`: the podcaster asks apps not to show public comments.
    Disabled,
    /// A root post of the comment thread.
    Thread {
        /// `protocol`, from the namespace's list (`activitypub`, `atproto`…).
        protocol: String,
        /// `uri`: the root post (a web address, or the protocol's own URI such as `at://…`).
        uri: String,
        /// `accountId`: the account that posted it.
        account_id: Option<String>,
        /// `accountUrl`: that account's page.
        account_url: Option<Url>,
        /// `priority`: lower is shown first.
        priority: Option<u32>,
    },
}

/// `podcast:chat` (podcast-namespace docs/tags/chat.md): where the live chat is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    /// `server`: the chat server's host name.
    pub server: String,
    /// `protocol`, from the namespace's list (`irc`, `xmpp`, `nostr`).
    pub protocol: String,
    /// `accountId`: the podcaster's account on it.
    pub account_id: Option<String>,
    /// `space`: the room, channel or topic.
    pub space: Option<String>,
}

/// `podcast:image` (podcast-namespace docs/tags/image.md): artwork for a purpose, with its text alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artwork {
    /// The image and its public URL.
    pub file: super::MediaRef,
    /// `alt`: what the image shows, for people who cannot see it.
    pub alt: Option<String>,
    /// `purpose`: space-separated tokens (`artwork`, `social`, `banner`, `canvas`…).
    pub purpose: Option<String>,
    /// `width` in pixels, measured from a local file or stated for a URL.
    pub width: Option<u32>,
    /// `height` in pixels, measured from a local file or stated for a URL.
    pub height: Option<u32>,
    /// `aspect-ratio` as CSS writes it (`16/9`): from the size, or stated for a URL.
    pub aspect_ratio: Option<String>,
    /// `type`: the MIME type, from a local file's content or stated for a URL.
    pub mime: Option<String>,
}

/// `podcast:contentLink` (podcast-namespace docs/tags/content-link.md): the content elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    /// `href`.
    pub href: Url,
    /// What the link is, e.g. `Watch on YouTube`.
    pub text: String,
}

/// A live stream (podcast-namespace docs/tags/live-item.md): the episode becomes a `podcast:liveItem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// `status`.
    pub status: LiveStatus,
    /// `start`: when the stream is meant to start.
    pub start: DateTime<FixedOffset>,
    /// `end`: when it is meant to end.
    pub end: Option<DateTime<FixedOffset>>,
}

/// `podcast:liveItem status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LiveStatus {
    /// On air now.
    Live,
    /// Announced, not started.
    Pending,
    /// Over (until the recording is published as an episode).
    Ended,
}

impl LiveStatus {
    /// The value as written in the feed.
    pub fn as_str(self) -> &'static str {
        match self {
            LiveStatus::Live => "live",
            LiveStatus::Pending => "pending",
            LiveStatus::Ended => "ended",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PlatformBlock;

    fn blocks(list: &[(Option<&str>, bool)]) -> Vec<PlatformBlock> {
        list.iter()
            .map(|(p, b)| PlatformBlock {
                platform: p.map(str::to_owned),
                blocked: *b,
            })
            .collect()
    }

    #[test]
    fn platforms_read_blocks_in_the_order_the_namespace_gives() {
        let blocked = |list, slug| PlatformBlock::blocks(&blocks(list), slug);
        // The four examples of podcast-namespace docs/tags/block.md.
        assert!(blocked(&[(None, true)], "apple"));
        assert!(!blocked(&[(None, false)], "apple"));
        let some = [(Some("google"), true), (Some("amazon"), true)];
        assert!(blocked(&some, "google") && !blocked(&some, "apple"));
        let except = [
            (None, true),
            (Some("google"), false),
            (Some("amazon"), false),
        ];
        assert!(!blocked(&except, "google") && blocked(&except, "apple"));
    }
}
