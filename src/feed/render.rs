//! [`Channel`] → RSS 2.0 XML. The only module that knows XML syntax on the way out.
//!
//! Written with quick-xml rather than the `rss` crate: `rss` has no `itunes:title`, reorders and cannot
//! self-close `podcast:` elements, and does not declare that namespace (`../shared/research/crates.md`). Every
//! text and attribute value passes through [`xml_safe`], because neither crate removes the characters XML 1.0
//! forbids, and one such character makes the whole feed unreadable.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::model::{
    Channel, ChannelTags, ChatTag, ImageTag, Item, ItemTags, PageLinks, PersonTag, RecipientTag,
    RemoteItemTag, SocialInteractTag, TxtTag, ValueTag,
};
use crate::vocab::ns;
use crate::vocab::xml::xml_safe;

/// Renders the feed as indented UTF-8 XML, ending with a newline.
pub fn to_bytes(channel: &Channel) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096 + channel.items.len() * 2048);
    // Writing into a Vec cannot fail.
    let _ = write(channel, &mut out);
    out
}

/// Renders the feed into `sink`.
///
/// # Errors
/// Only the sink's own I/O errors.
pub fn write<W: Write>(channel: &Channel, sink: W) -> io::Result<()> {
    let mut x = Xml {
        w: Writer::new_with_indent(sink, b' ', 2),
    };
    x.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut namespaces = vec![
        ("version", "2.0"),
        ("xmlns:itunes", ns::ITUNES),
        ("xmlns:podcast", ns::PODCAST),
        ("xmlns:atom", ns::ATOM),
        ("xmlns:content", ns::CONTENT),
    ];
    // Podlove Simple Chapters is declared only when some item uses it.
    if channel.items.iter().any(|i| !i.psc_chapters.is_empty()) {
        namespaces.push(("xmlns:psc", ns::PSC));
    }
    if channel.page.uses_history_namespace() {
        namespaces.push(("xmlns:fh", ns::FEED_HISTORY));
    }
    x.start("rss", &namespaces)?;
    x.start("channel", &[])?;
    write_channel(&mut x, channel)?;
    for live in &channel.live_items {
        let mut attrs = vec![("status", live.status), ("start", live.start.as_str())];
        if let Some(end) = &live.end {
            attrs.push(("end", end.as_str()));
        }
        write_item_as(&mut x, "podcast:liveItem", &attrs, &live.item)?;
    }
    // Items are rendered each into its own buffer, in parallel, then written in order.
    let items: Vec<Vec<u8>> = {
        use rayon::prelude::*;
        channel.items.par_iter().map(item_bytes).collect()
    };
    for item in items {
        x.w.get_mut().write_all(&item)?;
    }
    x.end("channel")?;
    x.end("rss")?;
    x.w.get_mut().write_all(b"\n")?;
    Ok(())
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn true_false(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn write_channel<W: Write>(x: &mut Xml<W>, c: &Channel) -> io::Result<()> {
    x.text("title", &c.title)?;
    x.text("link", &c.link)?;
    x.text("description", &c.description)?;
    x.text("language", &c.language)?;
    if let Some(copyright) = &c.copyright {
        x.text("copyright", copyright)?;
    }
    if let Some(date) = &c.last_build_date {
        x.text("pubDate", date)?;
        x.text("lastBuildDate", date)?;
    }
    x.text("generator", &c.generator)?;
    x.empty(
        "atom:link",
        &[
            ("href", &c.self_url),
            ("rel", "self"),
            ("type", "application/rss+xml"),
        ],
    )?;
    write_page_links(x, &c.page)?;
    x.start("image", &[])?;
    x.text("url", &c.image_url)?;
    x.text("title", &c.title)?;
    x.text("link", &c.link)?;
    x.end("image")?;

    x.text("itunes:author", &c.author)?;
    x.text("itunes:type", c.show_type)?;
    if let Some((name, email)) = &c.owner {
        x.start("itunes:owner", &[])?;
        x.text("itunes:name", name)?;
        x.text("itunes:email", email)?;
        x.end("itunes:owner")?;
    }
    x.empty("itunes:image", &[("href", &c.image_url)])?;
    for (category, sub) in &c.categories {
        match sub {
            Some(sub) => {
                x.start("itunes:category", &[("text", category)])?;
                x.empty("itunes:category", &[("text", sub)])?;
                x.end("itunes:category")?;
            }
            None => x.empty("itunes:category", &[("text", category)])?,
        }
    }
    x.text("itunes:explicit", true_false(c.explicit))?;
    if let Some(keywords) = &c.keywords {
        x.text("itunes:keywords", keywords)?;
    }
    // Apple reads only `Yes` for complete and block; any other value means no, so absent is clearest.
    if c.complete {
        x.text("itunes:complete", "Yes")?;
    }
    if c.block {
        x.text("itunes:block", "Yes")?;
    }
    if let Some(url) = &c.new_feed_url {
        x.text("itunes:new-feed-url", url)?;
    }

    x.text("podcast:guid", &c.podcast_guid)?;
    if let Some((locked, owner)) = &c.locked {
        match owner {
            Some(owner) => x.text_with("podcast:locked", &[("owner", owner)], yes_no(*locked))?,
            None => x.text("podcast:locked", yes_no(*locked))?,
        }
    }
    x.text("podcast:medium", &c.medium)?;
    for (url, text) in &c.funding {
        x.text_with("podcast:funding", &[("url", url)], text)?;
    }
    for person in &c.persons {
        write_person(x, person)?;
    }
    if let Some((name, url)) = &c.license {
        match url {
            Some(url) => x.text_with("podcast:license", &[("url", url)], name)?,
            None => x.text("podcast:license", name)?,
        }
    }
    if let Some(location) = &c.location {
        let mut attrs = Vec::new();
        if let Some(geo) = &location.geo {
            attrs.push(("geo", geo.as_str()));
        }
        if let Some(osm) = &location.osm {
            attrs.push(("osm", osm.as_str()));
        }
        if let Some(country) = &location.country {
            attrs.push(("country", country.as_str()));
        }
        x.text_with("podcast:location", &attrs, &location.name)?;
    }
    for trailer in &c.trailers {
        let length = trailer.length.to_string();
        let season = trailer.season.map(|s| s.to_string());
        let mut attrs = vec![
            ("url", trailer.url.as_str()),
            ("pubdate", trailer.pubdate.as_str()),
            ("length", length.as_str()),
            ("type", trailer.mime.as_str()),
        ];
        if let Some(season) = &season {
            attrs.push(("season", season.as_str()));
        }
        x.text_with("podcast:trailer", &attrs, &trailer.title)?;
    }
    write_channel_tags(x, &c.tags)
}

/// `fh:archive` and the RFC 5005 `atom:link`s, right after the self link.
fn write_page_links<W: Write>(x: &mut Xml<W>, page: &PageLinks) -> io::Result<()> {
    if page.archive {
        x.empty("fh:archive", &[])?;
    }
    for (rel, href) in page.links() {
        x.empty(
            "atom:link",
            &[
                ("href", href),
                ("rel", rel),
                ("type", "application/rss+xml"),
            ],
        )?;
    }
    Ok(())
}

/// One item's XML, byte for byte what the feed's own writer writes for it: a writer put in the state that
/// writer is in before each item (two elements deep, after a complete element) writes the item, and only
/// the item's bytes are kept.
fn item_bytes(item: &Item) -> Vec<u8> {
    let mut x = Xml {
        w: Writer::new_with_indent(Vec::with_capacity(2048), b' ', 2),
    };
    // Writing into a Vec cannot fail.
    let _ = x.start("rss", &[]);
    let _ = x.start("channel", &[]);
    let prefix = x.w.get_ref().len();
    let _ = write_item(&mut x, item);
    x.w.into_inner().split_off(prefix)
}

fn write_item<W: Write>(x: &mut Xml<W>, item: &Item) -> io::Result<()> {
    write_item_as(x, "item", &[], item)
}

/// An item's children inside `element`: `<item>`, or `<podcast:liveItem>` with its status and schedule.
fn write_item_as<W: Write>(
    x: &mut Xml<W>,
    element: &str,
    attrs: &[(&str, &str)],
    item: &Item,
) -> io::Result<()> {
    x.start(element, attrs)?;
    x.text("title", &item.title)?;
    x.text("link", &item.link)?;
    if let Some(description) = &item.description {
        x.text("description", description)?;
    }
    if let Some(html) = &item.content_html {
        x.cdata("content:encoded", html)?;
    }
    x.text_with("guid", &[("isPermaLink", "false")], &item.guid)?;
    x.text("pubDate", &item.pub_date)?;
    let length = item.enclosure.length.to_string();
    x.empty(
        "enclosure",
        &[
            ("url", &item.enclosure.url),
            ("length", &length),
            ("type", &item.enclosure.mime),
        ],
    )?;
    if let Some(seconds) = item.duration_seconds {
        x.text("itunes:duration", &seconds.to_string())?;
    }
    x.empty("itunes:image", &[("href", &item.image_url)])?;
    x.text("itunes:explicit", true_false(item.explicit))?;
    if let Some(episode_type) = item.episode_type {
        x.text("itunes:episodeType", episode_type)?;
    }
    if let Some(season) = item.season {
        x.text("itunes:season", &season.to_string())?;
    }
    if let Some(episode) = item.episode {
        x.text("itunes:episode", &episode.to_string())?;
    }
    if let Some(author) = &item.author {
        x.text("itunes:author", author)?;
    }
    if item.block {
        x.text("itunes:block", "Yes")?;
    }
    if let Some(season) = item.season {
        x.text("podcast:season", &season.to_string())?;
    }
    if let Some(episode) = item.episode {
        x.text("podcast:episode", &episode.to_string())?;
    }
    for person in &item.persons {
        write_person(x, person)?;
    }
    if let Some(url) = &item.chapters_url {
        x.empty(
            "podcast:chapters",
            &[("url", url), ("type", "application/json+chapters")],
        )?;
    }
    for t in &item.transcripts {
        let mut attrs = vec![
            ("url", t.url.as_str()),
            ("type", t.mime.as_str()),
            ("language", t.language.as_str()),
        ];
        if t.captions {
            attrs.push(("rel", "captions"));
        }
        x.empty("podcast:transcript", &attrs)?;
    }
    for bite in &item.soundbites {
        x.text_with(
            "podcast:soundbite",
            &[("startTime", &bite.start), ("duration", &bite.duration)],
            &bite.title,
        )?;
    }
    for alt in &item.alternates {
        let length = alt.length.to_string();
        let bitrate = alt.bitrate.map(|b| b.to_string());
        let mut attrs = vec![("type", alt.mime.as_str()), ("length", length.as_str())];
        if let Some(bitrate) = &bitrate {
            attrs.push(("bitrate", bitrate.as_str()));
        }
        if let Some(title) = &alt.title {
            attrs.push(("title", title.as_str()));
        }
        if alt.default {
            attrs.push(("default", "true"));
        }
        x.start("podcast:alternateEnclosure", &attrs)?;
        x.empty("podcast:source", &[("uri", &alt.url)])?;
        if let Some(sri) = &alt.integrity {
            x.empty("podcast:integrity", &[("type", "sri"), ("value", sri)])?;
        }
        x.end("podcast:alternateEnclosure")?;
    }
    if !item.psc_chapters.is_empty() {
        x.start("psc:chapters", &[("version", "1.2")])?;
        for c in &item.psc_chapters {
            let mut attrs = vec![("start", c.start.as_str()), ("title", c.title.as_str())];
            if let Some(href) = &c.href {
                attrs.push(("href", href.as_str()));
            }
            if let Some(image) = &c.image {
                attrs.push(("image", image.as_str()));
            }
            x.empty("psc:chapter", &attrs)?;
        }
        x.end("psc:chapters")?;
    }
    write_item_tags(x, &item.tags)?;
    x.end(element)
}

fn write_person<W: Write>(x: &mut Xml<W>, p: &PersonTag) -> io::Result<()> {
    let mut attrs = vec![("role", p.role.as_str()), ("group", p.group.as_str())];
    if let Some(img) = &p.img {
        attrs.push(("img", img.as_str()));
    }
    if let Some(href) = &p.href {
        attrs.push(("href", href.as_str()));
    }
    x.text_with("podcast:person", &attrs, &p.name)
}

/// The channel's other Podcasting 2.0 tags, in the order of the namespace's list.
fn write_channel_tags<W: Write>(x: &mut Xml<W>, t: &ChannelTags) -> io::Result<()> {
    for v in &t.value {
        write_value(x, v)?;
    }
    for block in &t.blocks {
        match &block.id {
            Some(id) => x.text_with("podcast:block", &[("id", id)], yes_no(block.blocked))?,
            None => x.text("podcast:block", yes_no(block.blocked))?,
        }
    }
    write_txt(x, &t.txt)?;
    if !t.podroll.is_empty() {
        x.start("podcast:podroll", &[])?;
        for r in &t.podroll {
            write_remote_item(x, r)?;
        }
        x.end("podcast:podroll")?;
    }
    if let Some(u) = &t.update_frequency {
        let mut attrs = Vec::new();
        if u.complete {
            attrs.push(("complete", "true"));
        }
        if let Some(d) = &u.dtstart {
            attrs.push(("dtstart", d.as_str()));
        }
        if let Some(r) = &u.rrule {
            attrs.push(("rrule", r.as_str()));
        }
        x.text_with("podcast:updateFrequency", &attrs, &u.text)?;
    }
    if let Some(uses) = t.podping {
        x.empty("podcast:podping", &[("usesPodping", true_false(uses))])?;
    }
    if let Some(chat) = &t.chat {
        write_chat(x, chat)?;
    }
    if let Some(p) = &t.publisher {
        x.start("podcast:publisher", &[])?;
        write_remote_item(x, p)?;
        x.end("podcast:publisher")?;
    }
    write_images(x, &t.images)?;
    write_social(x, &t.social)
}

/// An item's other Podcasting 2.0 tags.
fn write_item_tags<W: Write>(x: &mut Xml<W>, t: &ItemTags) -> io::Result<()> {
    for v in &t.value {
        write_value(x, v)?;
    }
    write_social(x, &t.social)?;
    write_txt(x, &t.txt)?;
    write_images(x, &t.images)?;
    if let Some(chat) = &t.chat {
        write_chat(x, chat)?;
    }
    for link in &t.content_links {
        x.text_with("podcast:contentLink", &[("href", &link.href)], &link.text)?;
    }
    Ok(())
}

fn write_value<W: Write>(x: &mut Xml<W>, v: &ValueTag) -> io::Result<()> {
    let mut attrs = vec![("type", v.kind.as_str()), ("method", v.method.as_str())];
    if let Some(s) = &v.suggested {
        attrs.push(("suggested", s.as_str()));
    }
    x.start("podcast:value", &attrs)?;
    for r in &v.recipients {
        write_recipient(x, r)?;
    }
    for split in &v.time_splits {
        let percentage = split.remote_percentage.map(|p| p.to_string());
        let mut attrs = vec![
            ("startTime", split.start.as_str()),
            ("duration", split.duration.as_str()),
        ];
        if let Some(r) = &split.remote_start {
            attrs.push(("remoteStartTime", r.as_str()));
        }
        if let Some(p) = &percentage {
            attrs.push(("remotePercentage", p.as_str()));
        }
        x.start("podcast:valueTimeSplit", &attrs)?;
        if let Some(remote) = &split.remote {
            write_remote_item(x, remote)?;
        }
        for r in &split.recipients {
            write_recipient(x, r)?;
        }
        x.end("podcast:valueTimeSplit")?;
    }
    x.end("podcast:value")
}

fn write_recipient<W: Write>(x: &mut Xml<W>, r: &RecipientTag) -> io::Result<()> {
    let split = r.split.to_string();
    let mut attrs = Vec::new();
    if let Some(name) = &r.name {
        attrs.push(("name", name.as_str()));
    }
    attrs.push(("type", r.kind.as_str()));
    attrs.push(("address", r.address.as_str()));
    attrs.push(("split", split.as_str()));
    if r.fee {
        attrs.push(("fee", "true"));
    }
    if let Some(k) = &r.custom_key {
        attrs.push(("customKey", k.as_str()));
    }
    if let Some(v) = &r.custom_value {
        attrs.push(("customValue", v.as_str()));
    }
    x.empty("podcast:valueRecipient", &attrs)
}

fn write_remote_item<W: Write>(x: &mut Xml<W>, r: &RemoteItemTag) -> io::Result<()> {
    let mut attrs = vec![("feedGuid", r.feed_guid.as_str())];
    for (key, value) in [
        ("feedUrl", &r.feed_url),
        ("itemGuid", &r.item_guid),
        ("medium", &r.medium),
        ("title", &r.title),
    ] {
        if let Some(v) = value {
            attrs.push((key, v.as_str()));
        }
    }
    x.empty("podcast:remoteItem", &attrs)
}

fn write_txt<W: Write>(x: &mut Xml<W>, txt: &[TxtTag]) -> io::Result<()> {
    for t in txt {
        match &t.purpose {
            Some(p) => x.text_with("podcast:txt", &[("purpose", p)], &t.text)?,
            None => x.text("podcast:txt", &t.text)?,
        }
    }
    Ok(())
}

fn write_chat<W: Write>(x: &mut Xml<W>, c: &ChatTag) -> io::Result<()> {
    let mut attrs = vec![
        ("server", c.server.as_str()),
        ("protocol", c.protocol.as_str()),
    ];
    if let Some(a) = &c.account_id {
        attrs.push(("accountId", a.as_str()));
    }
    if let Some(s) = &c.space {
        attrs.push(("space", s.as_str()));
    }
    x.empty("podcast:chat", &attrs)
}

fn write_images<W: Write>(x: &mut Xml<W>, images: &[ImageTag]) -> io::Result<()> {
    for i in images {
        let width = i.width.map(|w| w.to_string());
        let height = i.height.map(|h| h.to_string());
        let mut attrs = vec![("href", i.href.as_str())];
        for (key, value) in [
            ("alt", &i.alt),
            ("aspect-ratio", &i.aspect_ratio),
            ("width", &width),
            ("height", &height),
            ("type", &i.mime),
            ("purpose", &i.purpose),
        ] {
            if let Some(v) = value {
                attrs.push((key, v.as_str()));
            }
        }
        x.empty("podcast:image", &attrs)?;
    }
    Ok(())
}

fn write_social<W: Write>(x: &mut Xml<W>, social: &[SocialInteractTag]) -> io::Result<()> {
    for s in social {
        let priority = s.priority.map(|p| p.to_string());
        let mut attrs = vec![("protocol", s.protocol.as_str())];
        for (key, value) in [
            ("uri", &s.uri),
            ("accountId", &s.account_id),
            ("accountUrl", &s.account_url),
            ("priority", &priority),
        ] {
            if let Some(v) = value {
                attrs.push((key, v.as_str()));
            }
        }
        x.empty("podcast:socialInteract", &attrs)?;
    }
    Ok(())
}

/// Escapes an attribute value for double quotes: `&`, `<`, `>` and `"` as entities, and tab, LF and CR as
/// character references so that parsers' attribute normalisation does not turn them into spaces.
/// Apostrophes stay as they are (`President's`, not `President&apos;s`).
fn attribute_value(value: &str) -> String {
    let safe = xml_safe(value);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// A thin layer over quick-xml's writer: every value is made XML-safe, every element written in one call.
struct Xml<W: Write> {
    w: Writer<W>,
}

impl<W: Write> Xml<W> {
    fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Owned(attribute_value(value)),
            });
        }
        start
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(Self::element(name, attrs)))
    }

    fn end(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Empty(Self::element(name, attrs)))
    }

    fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.text_with(name, &[], text)
    }

    fn text_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.start(name, attrs)?;
        // Text needs only `&`, `<` and `>` escaped; quotes stay readable (`China's`, not `China&apos;s`).
        let escaped = quick_xml::escape::partial_escape(xml_safe(text));
        self.w
            .write_event(Event::Text(BytesText::from_escaped(escaped)))?;
        self.end(name)
    }

    /// An element whose content is CDATA, split where the content contains `]]>`.
    fn cdata(&mut self, name: &str, content: &str) -> io::Result<()> {
        self.start(name, &[])?;
        let safe = xml_safe(content);
        for section in BytesCData::escaped(&safe) {
            self.w.write_event(Event::CData(section))?;
        }
        self.end(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::model::Enclosure;

    fn channel_with(item_title: &str, html: &str) -> Channel {
        Channel {
            title: "Show & <Co>".to_owned(),
            link: "https://example.com/".to_owned(),
            description: "d".to_owned(),
            language: "en".to_owned(),
            copyright: None,
            last_build_date: None,
            generator: "castkit test".to_owned(),
            self_url: "https://example.com/feed.xml?a=1&b=2".to_owned(),
            image_url: "https://example.com/c.jpg".to_owned(),
            author: "A".to_owned(),
            show_type: "episodic",
            owner: None,
            categories: vec![("Society & Culture", Some("Documentary"))],
            explicit: false,
            keywords: None,
            complete: false,
            block: false,
            new_feed_url: None,
            podcast_guid: "g".to_owned(),
            locked: None,
            medium: "podcast".to_owned(),
            funding: vec![],
            persons: vec![],
            license: None,
            location: None,
            trailers: vec![],
            tags: ChannelTags::default(),
            live_items: vec![],
            page: PageLinks::default(),
            items: vec![Item {
                title: item_title.to_owned(),
                link: "https://example.com/1".to_owned(),
                description: None,
                content_html: Some(html.to_owned()),
                guid: "1".to_owned(),
                pub_date: "Mon, 01 Apr 2024 09:00:00 +0000".to_owned(),
                enclosure: Enclosure {
                    url: "https://example.com/a.mp3".to_owned(),
                    length: 1,
                    mime: "audio/mpeg".to_owned(),
                },
                duration_seconds: Some(1),
                image_url: "https://example.com/c.jpg".to_owned(),
                explicit: false,
                episode_type: None,
                season: None,
                episode: None,
                author: None,
                block: false,
                persons: vec![],
                chapters_url: None,
                psc_chapters: vec![],
                transcripts: vec![],
                soundbites: vec![],
                alternates: vec![],
                tags: ItemTags::default(),
            }],
        }
    }

    fn parsed_text(xml: &str, name: &str) -> String {
        let doc = roxmltree::Document::parse(xml).unwrap();
        doc.descendants()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn items_rendered_apart_are_the_bytes_one_writer_gives() {
        let mut channel = channel_with("first", "<p>one</p>");
        let mut second = channel.items[0].clone();
        second.title = "second".to_owned();
        second.description = Some("multi\nline ]]> & <text>".to_owned());
        second.content_html = None;
        second.author = Some("Host".to_owned());
        second.episode_type = Some("bonus");
        second.season = Some(2);
        channel.items.push(second);
        // One writer for everything, as the feed was written before items were rendered apart.
        let mut x = Xml {
            w: Writer::new_with_indent(Vec::new(), b' ', 2),
        };
        x.start("rss", &[]).unwrap();
        x.start("channel", &[]).unwrap();
        write_channel(&mut x, &channel).unwrap();
        for item in &channel.items {
            write_item(&mut x, item).unwrap();
        }
        x.end("channel").unwrap();
        let whole = String::from_utf8(x.w.into_inner()).unwrap();
        let rendered = String::from_utf8(to_bytes(&channel)).unwrap();
        let from = |text: &str| text[text.find("<channel>").unwrap()..].to_owned();
        assert_eq!(
            from(&rendered).trim_end().trim_end_matches("</rss>"),
            from(&whole) + "\n"
        );
    }

    #[test]
    fn cdata_ends_inside_content_are_split_and_round_trip() {
        let html = "<a href=\"x]]>y\">a ]]> b ]]]]> c</a>";
        let xml = String::from_utf8(to_bytes(&channel_with("t", html))).unwrap();
        assert!(xml.contains("]]]]><![CDATA[>"), "{xml}");
        // roxmltree joins adjacent CDATA sections: the text comes back unchanged.
        assert_eq!(parsed_text(&xml, "encoded"), html);
    }

    #[test]
    fn text_and_attributes_are_escaped_and_forbidden_characters_dropped() {
        let xml = String::from_utf8(to_bytes(&channel_with("a\u{1}<b>&'\"\u{fffe}", "x"))).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(titles, ["Show & <Co>", "Show & <Co>", "a<b>&'\""]);
        assert!(xml.contains("href=\"https://example.com/feed.xml?a=1&amp;b=2\""));
        assert!(xml.contains("text=\"Society &amp; Culture\""));
        assert!(xml.ends_with("</rss>\n"));
    }

    #[test]
    fn attribute_values_keep_apostrophes_and_line_breaks() {
        let mut c = channel_with("t", "x");
        c.categories = vec![("It's \"quoted\"\nnext & <more>", None)];
        let xml = String::from_utf8(to_bytes(&c)).unwrap();
        assert!(
            xml.contains("text=\"It's &quot;quoted&quot;&#10;next &amp; &lt;more&gt;\""),
            "{xml}"
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let cat = doc
            .descendants()
            .find(|n| n.has_tag_name("category"))
            .unwrap();
        assert_eq!(
            cat.attribute("text"),
            Some("It's \"quoted\"\nnext & <more>")
        );
    }
}
