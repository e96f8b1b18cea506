//! Ogg: castkit's own walk over the pages (RFC 3533), for what symphonia 0.6 does not give: the length of a
//! chained file, the start offset and pre-skip of each link, and the comment packet.
//!
//! A physical Ogg file is a sequence of *links* played one after another (chaining); each link is a group of
//! logical streams played together (multiplexing), all of whose first pages (flag BOS) come before any other
//! page of the link. A BOS page after the group is therefore the start of the next link. Of each link castkit
//! counts the first Vorbis, Opus or FLAC stream; other streams of the group (Ogg Skeleton, Theora video, a
//! second audio stream) are not chaining and add no length.
//!
//! Memory stays bounded: page headers are read and bodies skipped, except the identification packet, the
//! comment packet (read as a stream, pictures skipped), the last few KB of the Vorbis setup packet and the
//! first two bytes of the audio packets on the first page that carries a granule position.
//!
//! A link's length, in samples at its own rate:
//! - Vorbis: last granule position − the link's starting offset, which is the first granule position minus
//!   the samples its page decodes (libvorbisfile's `_initial_pcmoffset`; never below 0, which is a stream
//!   trimmed at its start).
//! - Opus (RFC 7845 §4): last granule position − the starting offset (the first granule position minus the
//!   durations of its page's packets) − the pre-skip of the link's `OpusHead`.
//! - FLAC in Ogg: the last granule position (castkit takes the start as 0).

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use super::{Codec, TagSummary, read_up_to, vorbis_comment};

/// The capture pattern that starts every page.
const CAPTURE: &[u8; 4] = b"OggS";
/// Header type flag: the page continues a packet from the previous page.
const FLAG_CONTINUED: u8 = 0x01;
/// Header type flag: the first page of a logical stream.
const FLAG_BOS: u8 = 0x02;
/// Header type flag: the last page of a logical stream.
const FLAG_EOS: u8 = 0x04;
/// The most bytes of an identification packet read (Vorbis 30, Opus 19 + a channel map, FLAC 51).
const ID_PACKET_BYTES: usize = 512;
/// The last bytes of the Vorbis setup packet kept: its modes are at the very end (64 modes × 41 bits at
/// most, plus the count and the framing bit).
const SETUP_TAIL_BYTES: usize = 4096;
/// The read buffer: a few pages' headers and bodies, so that skipping a body is usually a move in memory.
const BUFFER_BYTES: usize = 32 * 1024;

/// What the pages of an Ogg file say about its audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OggFacts {
    /// The codec of the first link's audio stream.
    pub(crate) codec: Codec,
    /// The granule rate of the audio: samples per second (48 000 for Opus, whatever the input rate was).
    pub(crate) sample_rate: u32,
    /// The first link's channels.
    pub(crate) channels: u16,
    /// Playable samples per channel, all links together.
    pub(crate) samples: u64,
    /// The first link's Opus pre-skip.
    pub(crate) pre_skip: Option<u32>,
    /// How many links are chained one after another (1 for an ordinary file).
    pub(crate) links: usize,
    /// The first link's Vorbis comments (the tags apps show).
    pub(crate) tags: TagSummary,
    /// Things that are wrong, or that apps may play differently, and did not stop the walk.
    pub(crate) warnings: Vec<String>,
}

/// Why an Ogg file's length cannot be given.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OggError {
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The first page does not begin a logical stream.
    #[error(
        "its first Ogg page, at byte {offset}, does not begin a stream: the start of the file is missing"
    )]
    NoStart {
        /// Where the page is.
        offset: u64,
    },
    /// No page at all.
    #[error("it holds no Ogg page")]
    NoPage,
    /// The first link has no audio stream castkit reads.
    #[error("its first Ogg link has no Vorbis, Opus or FLAC stream")]
    NoAudioStream,
    /// The links are at different rates, so the file has no single length in samples.
    #[error(
        "link {link} of this chained Ogg file starts at byte {offset} at {rate} Hz, but link 1 is at {first_rate} Hz, \
         so the file has no single length in samples (and apps that play only the first link stop early); \
         help: re-encode it as one stream, e.g. `ffmpeg -i IN.ogg -c:a libopus OUT.opus`"
    )]
    RatesDiffer {
        /// The link (1-based).
        link: usize,
        /// Where it starts.
        offset: u64,
        /// Its rate.
        rate: u32,
        /// The first link's rate.
        first_rate: u32,
    },
}

/// Walks the pages of `input` (an Ogg file from its first byte) and measures its audio.
///
/// # Errors
/// An [`OggError`] when the file cannot be read, does not start a stream, has no audio in its first link, or
/// chains links at different sample rates.
pub(crate) fn probe<R: Read + Seek>(input: R) -> Result<OggFacts, OggError> {
    let mut pages = Pages::new(input)?;
    let mut links: Vec<Link> = Vec::new();
    let mut tags = TagSummary::default();
    let mut warnings = Vec::new();
    let mut stray_pages = 0u64;
    while let Some(page) = pages.next()? {
        if !page.is_bos() {
            if links.is_empty() {
                return Err(OggError::NoStart {
                    offset: page.offset,
                });
            }
            // A page after its link ended (or of a stream that never began): nothing to count.
            stray_pages += 1;
            continue;
        }
        let number = links.len() + 1;
        let link_tags = if links.is_empty() {
            Some(&mut tags)
        } else {
            None
        };
        match read_link(&mut pages, page, number, link_tags, &mut warnings)? {
            Some(link) => links.push(link),
            None if links.is_empty() => return Err(OggError::NoAudioStream),
            None => {}
        }
    }
    let Some(first) = links.first() else {
        return Err(OggError::NoPage);
    };
    if stray_pages > 0 {
        warnings.push(format!(
            "{stray_pages} Ogg pages belong to no stream that began (no BOS page): they are not counted"
        ));
    }
    let mut samples = 0u64;
    for (i, link) in links.iter().enumerate() {
        if link.rate != first.rate {
            return Err(OggError::RatesDiffer {
                link: i + 1,
                offset: link.offset,
                rate: link.rate,
                first_rate: first.rate,
            });
        }
        if i > 0 && (link.codec != first.codec || link.channels != first.channels) {
            warnings.push(format!(
                "link {} of this chained Ogg file (byte {}) is {} with {} channels, link 1 is {} with {} channels",
                i + 1,
                link.offset,
                link.codec,
                link.channels,
                first.codec,
                first.channels
            ));
        }
        samples = samples.saturating_add(link.samples);
    }
    if links.len() > 1 {
        let seconds: Vec<String> = links
            .iter()
            .map(|l| format!("{:.3} s", l.samples as f64 / f64::from(l.rate.max(1))))
            .collect();
        warnings.push(format!(
            "chained Ogg: {} streams one after another ({}); the length counts them all, but some apps play only the first",
            links.len(),
            seconds.join(" + ")
        ));
    }
    warnings.extend(pages.warnings);
    Ok(OggFacts {
        codec: first.codec,
        sample_rate: first.rate,
        channels: first.channels,
        samples,
        pre_skip: first.pre_skip,
        links: links.len(),
        tags,
        warnings,
    })
}

/// One link's audio stream, measured.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    /// Where its first page is.
    offset: u64,
    codec: Codec,
    rate: u32,
    channels: u16,
    pre_skip: Option<u32>,
    /// Playable samples.
    samples: u64,
}

/// The audio codec of a stream, from its identification packet, with what measuring it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ident {
    Vorbis {
        rate: u32,
        channels: u8,
        /// Short and long block sizes.
        blocks: [u32; 2],
    },
    Opus {
        channels: u8,
        pre_skip: u16,
    },
    Flac {
        rate: u32,
        channels: u8,
        /// Header packets after the first (0: unknown).
        headers: u16,
    },
}

impl Ident {
    /// Reads an identification packet (the only packet of a BOS page); `None` for anything but audio castkit
    /// reads (Skeleton, Theora, Speex…).
    fn parse(packet: &[u8]) -> Option<Ident> {
        if let Some(p) = packet.strip_prefix(b"\x01vorbis") {
            // version(4) channels(1) rate(4) bitrates(12) blocksizes(1) framing(1)
            let channels = *p.get(4)?;
            let rate = u32::from_le_bytes(p.get(5..9)?.try_into().ok()?);
            let sizes = *p.get(21)?;
            let (short, long) = (sizes & 0x0F, sizes >> 4);
            if rate == 0
                || channels == 0
                || !(6..=13).contains(&short)
                || !(short..=13).contains(&long)
            {
                return None;
            }
            return Some(Ident::Vorbis {
                rate,
                channels,
                blocks: [1 << short, 1 << long],
            });
        }
        if let Some(p) = packet.strip_prefix(b"OpusHead") {
            // version(1) channels(1) pre-skip(2) input rate(4) gain(2) mapping(1) (RFC 7845 §5.1)
            let channels = *p.get(1)?;
            let pre_skip = u16::from_le_bytes(p.get(2..4)?.try_into().ok()?);
            return (channels > 0).then_some(Ident::Opus { channels, pre_skip });
        }
        if let Some(p) = packet.strip_prefix(b"\x7fFLAC") {
            // major(1) minor(1) headers(2, BE) "fLaC" block header(4) STREAMINFO(34)
            let headers = u16::from_be_bytes(p.get(2..4)?.try_into().ok()?);
            let info = p.get(12..12 + 34)?;
            if p.get(4..8)? != b"fLaC" {
                return None;
            }
            let rate =
                (u32::from(info[10]) << 12) | (u32::from(info[11]) << 4) | u32::from(info[12] >> 4);
            let channels = ((info[12] >> 1) & 0x07) + 1;
            return (rate > 0).then_some(Ident::Flac {
                rate,
                channels,
                headers,
            });
        }
        None
    }

    fn codec(self) -> Codec {
        match self {
            Ident::Vorbis { .. } => Codec::Vorbis,
            Ident::Opus { .. } => Codec::Opus,
            Ident::Flac { .. } => Codec::Flac,
        }
    }

    /// The granule rate: Opus granules count 48 kHz samples whatever the input rate (RFC 7845 §4).
    fn rate(self) -> u32 {
        match self {
            Ident::Vorbis { rate, .. } | Ident::Flac { rate, .. } => rate,
            Ident::Opus { .. } => 48_000,
        }
    }

    fn channels(self) -> u8 {
        match self {
            Ident::Vorbis { channels, .. }
            | Ident::Opus { channels, .. }
            | Ident::Flac { channels, .. } => channels,
        }
    }
}

/// Reads one link from its first BOS page: the group of BOS pages, the audio stream's headers, the first page
/// with a granule position, then page headers only up to the next link. `None` when the link has no audio
/// stream castkit reads (a warning says so for a later link). Tags are read when `tags` is given.
fn read_link<R: Read + Seek>(
    pages: &mut Pages<R>,
    first: Page,
    number: usize,
    tags: Option<&mut TagSummary>,
    warnings: &mut Vec<String>,
) -> io::Result<Option<Link>> {
    let offset = first.offset;
    // The group: every BOS page, each holding one identification packet.
    let mut audio: Option<(u32, Ident)> = None;
    let mut other_audio = 0usize;
    let mut serials = Vec::new();
    let mut page = Some(first);
    while let Some(p) = page.take() {
        if !p.is_bos() || serials.contains(&p.serial) {
            pages.push_back(p);
            break;
        }
        serials.push(p.serial);
        let mut id = [0u8; ID_PACKET_BYTES];
        let n = pages.read_body(&mut id)?;
        match Ident::parse(&id[..n]) {
            Some(ident) if audio.is_none() => audio = Some((p.serial, ident)),
            Some(_) => other_audio += 1,
            None => {}
        }
        page = pages.next()?;
    }
    let Some((serial, ident)) = audio else {
        if number > 1 {
            warnings.push(format!(
                "link {number} of this chained Ogg file (byte {offset}) has no Vorbis, Opus or FLAC stream: it adds no length"
            ));
        }
        return Ok(None);
    };
    if other_audio > 0 {
        warnings.push(format!(
            "link {number} of this Ogg file (byte {offset}) holds {} audio streams played together; castkit counts the first",
            other_audio + 1
        ));
    }

    let mut packets = Packets::new(pages, serial);
    let mut vorbis_modes = None;
    let mut scratch = Vec::new();
    let mut tags = tags;
    match ident {
        Ident::Vorbis { .. } => {
            if packets.next_packet()?
                && packets.starts_with(b"\x03vorbis")?
                && let Some(tags) = tags.as_deref_mut()
            {
                vorbis_comment::read_comments(
                    &mut packets,
                    "the Vorbis comment packet",
                    tags,
                    warnings,
                )?;
            }
            if packets.next_packet()? && packets.starts_with(b"\x05vorbis")? {
                packets.read_tail(&mut scratch, SETUP_TAIL_BYTES)?;
                vorbis_modes = VorbisModes::from_setup_tail(&scratch);
            }
        }
        Ident::Opus { .. } => {
            if packets.next_packet()?
                && packets.starts_with(b"OpusTags")?
                && let Some(tags) = tags.as_deref_mut()
            {
                vorbis_comment::read_comments(
                    &mut packets,
                    "the Opus comment packet",
                    tags,
                    warnings,
                )?;
            }
        }
        Ident::Flac { headers, .. } => {
            // Each header packet is one metadata block; the last has the high bit of its type byte set.
            let mut read = 0u16;
            while (headers == 0 || read < headers) && packets.next_packet()? {
                read += 1;
                let mut header = [0u8; 4];
                if read_up_to(&mut packets, &mut header)? < 4 || header[0] == 0xFF {
                    break; // an audio frame (sync 0xFFF8…) or a damaged header: the headers are over
                }
                if let Some(tags) = tags.as_deref_mut() {
                    match header[0] & 0x7F {
                        4 => vorbis_comment::read_comments(
                            &mut packets,
                            "the FLAC comment block",
                            tags,
                            warnings,
                        )?,
                        6 => {
                            tags.native = Some("vorbis".to_owned());
                            tags.has_cover = true;
                        }
                        _ => {}
                    }
                }
                if header[0] & 0x80 != 0 {
                    break;
                }
            }
        }
    }

    // Where the headers ended (a stream with no audio page ends there).
    let (mut last_granule, mut ended) = match packets.completed_on() {
        Some(done) => (done.granule.filter(|&g| g > 0), done.eos),
        None => (None, false),
    };
    // The start: the first page with a granule position, and the samples its packets decode.
    let mut start = 0u64;
    let mut decoded = 0u64;
    let mut previous_block: Option<u32> = None;
    let measures_start = matches!(ident, Ident::Opus { .. })
        || (matches!(ident, Ident::Vorbis { .. }) && vorbis_modes.is_some());
    let mut first_page: Option<Completed> = None;
    while measures_start && packets.next_packet()? {
        let mut head = [0u8; 2];
        let n = read_up_to(&mut packets, &mut head)?;
        let head = &head[..n];
        let mut samples = 0u64;
        match (ident, &vorbis_modes) {
            (Ident::Vorbis { blocks, .. }, Some(modes)) => {
                // libvorbis: a packet yields (previous block + this block) / 4 samples; the first yields none.
                if let Some(block) = modes.block_size(head, blocks) {
                    if let Some(previous) = previous_block {
                        samples = u64::from((previous + block) / 4);
                    }
                    previous_block = Some(block);
                }
            }
            _ => samples = u64::from(opus_packet_samples(head)),
        }
        packets.finish_packet()?;
        let Some(done) = packets.completed_on() else {
            continue;
        };
        if let Some(granule) = done.granule {
            last_granule = Some(granule);
            ended = done.eos;
        }
        match first_page {
            // Every packet that ends on the first page with a granule position counts.
            Some(page) if page.offset != done.offset => break,
            Some(_) => decoded += samples,
            None => {
                decoded += samples;
                if done.granule.is_some() {
                    first_page = Some(done);
                }
            }
        }
    }
    if let Some(page) = first_page
        && let Some(granule) = page.granule
        // A first page that is also the last is cut at its end, not its start (Vorbis I §A.2, RFC 7845
        // §4.5); a granule below the decoded samples is a stream trimmed at its start.
        && !page.eos
    {
        start = granule.saturating_sub(decoded);
    }
    drop(packets);

    // The rest of the link: page headers only.
    while let Some(p) = pages.next()? {
        if p.is_bos() {
            pages.push_back(p);
            break;
        }
        if p.serial == serial && !ended {
            if let Some(g) = p.granule() {
                last_granule = Some(g);
            }
            ended = p.is_eos();
        }
    }
    if !ended && !pages.cut {
        warnings.push(format!(
            "link {number} of this Ogg file (byte {offset}) ends without an end-of-stream page: it may have been cut"
        ));
    }
    let pre_skip = match ident {
        Ident::Opus { pre_skip, .. } => Some(u32::from(pre_skip)),
        _ => None,
    };
    let samples = match last_granule {
        Some(last) => {
            if last < start {
                warnings.push(format!(
                    "link {number} of this Ogg file (byte {offset}) ends at granule {last}, before it starts ({start})"
                ));
            }
            last.saturating_sub(start)
                .saturating_sub(u64::from(pre_skip.unwrap_or(0)))
        }
        None => {
            warnings.push(format!(
                "link {number} of this Ogg file (byte {offset}) has no audio page with a granule position: it adds no length"
            ));
            0
        }
    };
    Ok(Some(Link {
        offset,
        codec: ident.codec(),
        rate: ident.rate(),
        channels: u16::from(ident.channels()),
        pre_skip,
        samples,
    }))
}

/// The samples (at 48 kHz) of an Opus packet, from its TOC byte and, for code 3, its frame count byte
/// (RFC 6716 §3.1). An empty packet decodes nothing.
fn opus_packet_samples(head: &[u8]) -> u32 {
    let Some(&toc) = head.first() else {
        return 0;
    };
    let config = toc >> 3;
    let frame = match config {
        0..=11 => [480, 960, 1920, 2880][usize::from(config & 3)], // SILK: 10, 20, 40, 60 ms
        12..=15 => [480, 960][usize::from(config & 1)],            // Hybrid: 10, 20 ms
        _ => [120, 240, 480, 960][usize::from(config & 3)],        // CELT: 2.5, 5, 10, 20 ms
    };
    let frames = match toc & 3 {
        0 => 1,
        1 | 2 => 2,
        _ => head.get(1).map_or(0, |c| u32::from(c & 0x3F)),
    };
    frame * frames
}

/// The modes of a Vorbis stream: which use the long block. Read backwards from the end of the setup packet,
/// as ffmpeg (`vorbis_parser.c`) and liboggz do, since reading it forwards means decoding every codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VorbisModes {
    long: Vec<bool>,
}

impl VorbisModes {
    /// Finds the modes in the last bytes of a setup packet. Each mode is, read backwards: mapping (8 bits,
    /// < 64), transform type (16, zero), window type (16, zero), block flag (1); before them the mode count
    /// − 1 (6 bits); after them the framing bit. The count is the largest that the 6 bits before agree with.
    fn from_setup_tail(tail: &[u8]) -> Option<VorbisModes> {
        let mut bits = BackwardBits::new(tail);
        // The framing bit: the last 1 bit of the packet.
        while bits.left() > 97 {
            if bits.take(1)? == 1 {
                break;
            }
        }
        let after_framing = bits.position();
        let mut count = 0usize;
        let mut agreed = 0usize;
        while bits.left() >= 97 {
            if bits.take(8)? > 63 || bits.take(16)? != 0 || bits.take(16)? != 0 {
                break;
            }
            bits.take(1)?;
            count += 1;
            if count > 64 {
                break;
            }
            let mut peek = bits.clone();
            if peek.take(6)? as usize + 1 == count {
                agreed = count;
            }
        }
        if agreed == 0 {
            return None;
        }
        let mut bits = BackwardBits::new(tail);
        bits.skip_to(after_framing);
        let mut long = vec![false; agreed];
        for flag in long.iter_mut().rev() {
            bits.take(40)?;
            *flag = bits.take(1)? == 1;
        }
        Some(VorbisModes { long })
    }

    /// The block size of an audio packet from its first byte: packet type bit 0, then the mode number in
    /// ilog(modes − 1) bits. `None` for a header or empty packet, or a mode that does not exist.
    fn block_size(&self, head: &[u8], blocks: [u32; 2]) -> Option<u32> {
        let first = *head.first()?;
        if first & 1 != 0 {
            return None;
        }
        let mode_bits = usize::BITS - (self.long.len() - 1).leading_zeros();
        let mode = usize::from(first >> 1) & ((1usize << mode_bits) - 1);
        let long = *self.long.get(mode)?;
        Some(blocks[usize::from(long)])
    }
}

/// Bits read from the end of a Vorbis packet towards its start (Vorbis packs bits from each byte's lowest bit
/// up, so backwards is each byte from its highest bit down, last byte first).
#[derive(Debug, Clone)]
struct BackwardBits<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> BackwardBits<'a> {
    fn new(bytes: &'a [u8]) -> BackwardBits<'a> {
        BackwardBits { bytes, position: 0 }
    }

    fn left(&self) -> usize {
        self.bytes.len() * 8 - self.position
    }

    fn position(&self) -> usize {
        self.position
    }

    fn skip_to(&mut self, position: usize) {
        self.position = position;
    }

    /// The next `n` bits (≤ 40), the first read as the highest.
    fn take(&mut self, n: usize) -> Option<u64> {
        if n > self.left() {
            return None;
        }
        let mut value = 0u64;
        for _ in 0..n {
            let byte = self.bytes[self.bytes.len() - 1 - self.position / 8];
            let bit = (byte >> (7 - self.position % 8)) & 1;
            value = (value << 1) | u64::from(bit);
            self.position += 1;
        }
        Some(value)
    }
}

/// A page header (the body stays in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Page {
    /// Where its capture pattern is.
    offset: u64,
    flags: u8,
    /// The raw granule position (all ones: no packet ends on this page).
    granule: u64,
    serial: u32,
    /// The segment table.
    lacing: Vec<u8>,
}

impl Page {
    fn is_bos(&self) -> bool {
        self.flags & FLAG_BOS != 0
    }

    fn is_eos(&self) -> bool {
        self.flags & FLAG_EOS != 0
    }

    fn is_continued(&self) -> bool {
        self.flags & FLAG_CONTINUED != 0
    }

    fn granule(&self) -> Option<u64> {
        (self.granule != u64::MAX).then_some(self.granule)
    }

    fn body_len(&self) -> u64 {
        self.lacing.iter().map(|&l| u64::from(l)).sum()
    }

    /// The body cut into packet pieces: (length, whether the packet ends here). Only the last piece can go
    /// on to the next page.
    fn pieces(&self) -> Pieces {
        let mut out = Vec::new();
        let mut len = 0u64;
        for &l in &self.lacing {
            len += u64::from(l);
            if l < 255 {
                out.push((len, true));
                len = 0;
            }
        }
        if self.lacing.last() == Some(&255) {
            out.push((len, false));
        }
        out
    }
}

/// The pages of a file in order: headers read, bodies read on demand or skipped, junk between pages stepped
/// over with a warning.
struct Pages<R> {
    input: BufReader<R>,
    /// The file position of `input`.
    position: u64,
    len: u64,
    /// Bytes of the current page's body not yet read.
    body_left: u64,
    pushed_back: Option<Page>,
    /// Whether the file ends in a cut-off page or junk (already warned about).
    cut: bool,
    warnings: Vec<String>,
}

impl<R: Read + Seek> Pages<R> {
    fn new(mut input: R) -> io::Result<Pages<R>> {
        let len = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(0))?;
        Ok(Pages {
            input: BufReader::with_capacity(BUFFER_BYTES, input),
            position: 0,
            len,
            body_left: 0,
            pushed_back: None,
            cut: false,
            warnings: Vec::new(),
        })
    }

    /// Returns a page just read (its body untouched) so that the next [`Pages::next`] gives it again.
    fn push_back(&mut self, page: Page) {
        debug_assert_eq!(self.body_left, page.body_len());
        self.pushed_back = Some(page);
    }

    /// The next page's header, its body next in the input; `None` at the end of the file, or at a page cut
    /// off by it (with a warning).
    fn next(&mut self) -> io::Result<Option<Page>> {
        if let Some(page) = self.pushed_back.take() {
            return Ok(Some(page));
        }
        self.skip_body(self.body_left)?;
        loop {
            let offset = self.position;
            let mut header = [0u8; 27];
            let n = self.read(&mut header)?;
            if n == 0 {
                return Ok(None);
            }
            if n < header.len() || &header[..4] != CAPTURE || header[4] != 0 {
                // Not a page here: find the next capture pattern.
                let Some(found) = self.find_capture(offset + 1)? else {
                    self.cut = true;
                    self.warnings.push(format!(
                        "{} bytes at byte {offset}, at the end of the file, are not an Ogg page: the file is truncated or has junk at its end",
                        self.len - offset
                    ));
                    return Ok(None);
                };
                self.warnings.push(if offset == 0 {
                    format!("{found} bytes before the first Ogg page are not part of the stream")
                } else {
                    format!(
                        "{} bytes of junk between Ogg pages at byte {offset}",
                        found - offset
                    )
                });
                continue;
            }
            let mut lacing = vec![0u8; usize::from(header[26])];
            let body = if self.read(&mut lacing)? == lacing.len() {
                lacing.iter().map(|&l| u64::from(l)).sum()
            } else {
                u64::MAX
            };
            if body > self.len - self.position {
                self.cut = true;
                self.warnings.push(format!(
                    "the Ogg page at byte {offset} is cut off: the file is truncated"
                ));
                return Ok(None);
            }
            self.body_left = body;
            return Ok(Some(Page {
                offset,
                flags: header[5],
                granule: u64::from_le_bytes(header[6..14].try_into().expect("8 bytes")),
                serial: u32::from_le_bytes(header[14..18].try_into().expect("4 bytes")),
                lacing,
            }));
        }
    }

    /// Reads up to `buf.len()` bytes of the current body.
    fn read_body(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.body_left).unwrap_or(usize::MAX));
        let n = self.read(&mut buf[..want])?;
        self.body_left -= n as u64;
        Ok(n)
    }

    /// Skips `n` bytes of the current body.
    fn skip_body(&mut self, n: u64) -> io::Result<()> {
        let n = n.min(self.body_left);
        if n > 0 {
            self.input.seek_relative(n as i64)?;
            self.position += n;
            self.body_left -= n;
        }
        Ok(())
    }

    /// Reads until `buf` is full or the file ends.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_up_to(&mut self.input, buf)?;
        self.position += n as u64;
        Ok(n)
    }

    /// Moves to the next capture pattern at or after `from`; `None` (at the end of the file) when there is
    /// none.
    fn find_capture(&mut self, from: u64) -> io::Result<Option<u64>> {
        self.input.seek(SeekFrom::Start(from))?;
        self.position = from;
        self.body_left = 0;
        let mut chunk = vec![0u8; 8192];
        let mut start = from;
        loop {
            let n = self.read(&mut chunk)?;
            if let Some(i) = memchr::memmem::find(&chunk[..n], CAPTURE) {
                let at = start + i as u64;
                self.input.seek(SeekFrom::Start(at))?;
                self.position = at;
                return Ok(Some(at));
            }
            if n < CAPTURE.len() {
                return Ok(None);
            }
            // Look again at the last three bytes, which may begin a pattern cut by the chunk.
            start += (n - 3) as u64;
            self.input.seek(SeekFrom::Start(start))?;
            self.position = start;
        }
    }
}

/// A page body cut into packet pieces: (length, whether the packet ends there).
type Pieces = Vec<(u64, bool)>;

/// Where a packet ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Completed {
    /// Where the page is.
    offset: u64,
    granule: Option<u64>,
    eos: bool,
}

/// The packets of one logical stream, each read as a byte stream across pages ([`Read`] ends at the packet's
/// end). Pages of other streams are skipped; a BOS page (the next link) ends the stream.
struct Packets<'p, R> {
    pages: &'p mut Pages<R>,
    serial: u32,
    /// The current page of the stream, its pieces, and which piece is next.
    page: Option<(Page, Pieces, usize)>,
    /// Bytes of the current packet left on the current page.
    left: u64,
    /// Whether the current packet goes on past the current piece.
    continues: bool,
    /// Whether a packet is being read.
    in_packet: bool,
    /// Whether the stream's EOS page, or the next link, was reached.
    over: bool,
    completed: Option<Completed>,
}

impl<'p, R: Read + Seek> Packets<'p, R> {
    fn new(pages: &'p mut Pages<R>, serial: u32) -> Packets<'p, R> {
        Packets {
            pages,
            serial,
            page: None,
            left: 0,
            continues: false,
            in_packet: false,
            over: false,
            completed: None,
        }
    }

    /// The page on which the last finished packet ended.
    fn completed_on(&self) -> Option<Completed> {
        self.completed
    }

    /// The next page of this stream, or `None` when it is over.
    fn next_page(&mut self) -> io::Result<Option<Page>> {
        if self.over {
            return Ok(None);
        }
        if let Some((page, _, _)) = &self.page
            && page.is_eos()
        {
            self.over = true;
            return Ok(None);
        }
        while let Some(page) = self.pages.next()? {
            if page.is_bos() {
                self.pages.push_back(page);
                break;
            }
            if page.serial == self.serial {
                return Ok(Some(page));
            }
        }
        self.over = true;
        Ok(None)
    }

    /// Skips what is left of the current packet, then moves to the start of the next; `false` when the
    /// stream has no more packets.
    fn next_packet(&mut self) -> io::Result<bool> {
        self.finish_packet()?;
        loop {
            if let Some((_, pieces, next)) = &mut self.page
                && let Some(&(len, ends)) = pieces.get(*next)
            {
                *next += 1;
                self.left = len;
                self.continues = !ends;
                self.in_packet = true;
                return Ok(true);
            }
            let Some(page) = self.next_page()? else {
                return Ok(false);
            };
            let pieces = page.pieces();
            let orphan = page.is_continued() && !pieces.is_empty();
            self.page = Some((page, pieces, 0));
            if orphan {
                // The end of a packet whose start castkit did not see (a lost page): skip it.
                if let Some((_, pieces, next)) = &mut self.page {
                    let (len, ends) = pieces[0];
                    *next = 1;
                    self.left = len;
                    self.continues = !ends;
                    self.in_packet = true;
                }
                self.finish_packet()?;
                self.completed = None;
            }
        }
    }

    /// Skips what is left of the current packet.
    fn finish_packet(&mut self) -> io::Result<()> {
        while self.in_packet {
            self.pages.skip_body(self.left)?;
            self.left = 0;
            self.end_of_piece()?;
        }
        Ok(())
    }

    /// At the end of the current piece: the packet ends, or goes on with the next page's first piece.
    fn end_of_piece(&mut self) -> io::Result<()> {
        if !self.continues {
            self.in_packet = false;
            self.completed = self.page.as_ref().map(|(p, _, _)| Completed {
                offset: p.offset,
                granule: p.granule(),
                eos: p.is_eos(),
            });
            return Ok(());
        }
        match self.next_page()? {
            Some(page) if page.is_continued() => {
                let pieces = page.pieces();
                match pieces.first() {
                    Some(&(len, ends)) => {
                        self.left = len;
                        self.continues = !ends;
                        self.page = Some((page, pieces, 1));
                    }
                    None => self.page = Some((page, pieces, 0)),
                }
            }
            Some(page) => {
                // The packet should have gone on but the page starts a new one: it is cut short.
                let pieces = page.pieces();
                self.page = Some((page, pieces, 0));
                self.in_packet = false;
                self.completed = None;
            }
            None => {
                self.in_packet = false;
                self.completed = None;
            }
        }
        Ok(())
    }

    /// Whether the current packet starts with `signature` (which is then consumed).
    fn starts_with(&mut self, signature: &[u8]) -> io::Result<bool> {
        let mut buf = [0u8; 8];
        let buf = &mut buf[..signature.len()];
        Ok(read_up_to(self, buf)? == signature.len() && buf == signature)
    }

    /// Reads the rest of the current packet, keeping only its last `keep` bytes in `out`.
    fn read_tail(&mut self, out: &mut Vec<u8>, keep: usize) -> io::Result<()> {
        out.clear();
        let mut chunk = [0u8; 4096];
        loop {
            let n = self.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            out.extend_from_slice(&chunk[..n]);
            if out.len() > keep {
                out.drain(..out.len() - keep);
            }
        }
    }
}

impl<R: Read + Seek> Read for Packets<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.in_packet {
            if self.left > 0 {
                let want = buf
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.pages.read_body(&mut buf[..want])?;
                if n == 0 {
                    // The page was checked to fit in the file, so this is a file that shrank under us.
                    self.in_packet = false;
                    return Ok(0);
                }
                self.left -= n as u64;
                return Ok(n);
            }
            self.end_of_piece()?;
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIAL: u32 = 7;

    /// One page (the CRC is left zero: castkit does not check it). Every packet ends on this page unless
    /// `last_continues`, in which case the last one (a multiple of 255 bytes) goes on to the next page.
    fn page(
        flags: u8,
        granule: u64,
        serial: u32,
        packets: &[&[u8]],
        last_continues: bool,
    ) -> Vec<u8> {
        let mut lacing = Vec::new();
        for (i, p) in packets.iter().enumerate() {
            lacing.extend(std::iter::repeat_n(255u8, p.len() / 255));
            if !(last_continues && i + 1 == packets.len()) {
                lacing.push((p.len() % 255) as u8);
            }
        }
        let mut out = b"OggS\0".to_vec();
        out.push(flags);
        out.extend_from_slice(&granule.to_le_bytes());
        out.extend_from_slice(&serial.to_le_bytes());
        out.extend_from_slice(&[0; 8]); // sequence number and CRC
        out.push(lacing.len() as u8);
        out.extend_from_slice(&lacing);
        for p in packets {
            out.extend_from_slice(p);
        }
        out
    }

    fn opus_head(pre_skip: u16) -> Vec<u8> {
        let mut h = b"OpusHead\x01\x02".to_vec();
        h.extend_from_slice(&pre_skip.to_le_bytes());
        h.extend_from_slice(&44_100u32.to_le_bytes());
        h.extend_from_slice(&[0, 0, 0]);
        h
    }

    fn opus_tags(comments: &[&[u8]]) -> Vec<u8> {
        let mut t = b"OpusTags".to_vec();
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(&(comments.len() as u32).to_le_bytes());
        for c in comments {
            t.extend_from_slice(&(c.len() as u32).to_le_bytes());
            t.extend_from_slice(c);
        }
        t
    }

    /// A CELT 20 ms Opus packet (960 samples at 48 kHz).
    const PACKET_20MS: &[u8] = &[0xF8, 0xAA, 0xBB];

    fn measure(bytes: &[u8]) -> Result<OggFacts, OggError> {
        probe(io::Cursor::new(bytes))
    }

    /// Link 1: pre-skip 312, five 20 ms packets on the first audio page (granule 4800: it starts at 0), then
    /// an end page cut to granule 6300. Link 2 (same serial, after an Ogg Skeleton-like stream): it starts at
    /// granule 98 080 (its first page: granule 100 000 after two packets) and ends at 100 960.
    fn two_links() -> Vec<u8> {
        let five = [PACKET_20MS; 5];
        let mut bytes = Vec::new();
        bytes.extend(page(FLAG_BOS, 0, SERIAL, &[&opus_head(312)], false));
        bytes.extend(page(0, 0, SERIAL, &[&opus_tags(&[b"TITLE=A"])], false));
        bytes.extend(page(0, 4800, SERIAL, &five, false));
        bytes.extend(page(
            FLAG_EOS,
            6300,
            SERIAL,
            &[PACKET_20MS, PACKET_20MS],
            false,
        ));
        bytes.extend(page(FLAG_BOS, 0, 99, &[b"fishead\0 and more"], false));
        bytes.extend(page(FLAG_BOS, 0, SERIAL, &[&opus_head(312)], false));
        bytes.extend(page(0, 0, SERIAL, &[&opus_tags(&[b"TITLE=B"])], false));
        bytes.extend(page(FLAG_EOS, 0, 99, &[b"skeleton end"], false));
        bytes.extend(page(0, 100_000, SERIAL, &[PACKET_20MS, PACKET_20MS], false));
        bytes.extend(page(FLAG_EOS, 100_960, SERIAL, &[PACKET_20MS], false));
        bytes
    }

    #[test]
    fn chained_links_are_summed_each_with_its_start_and_pre_skip() {
        let facts = measure(&two_links()).unwrap();
        assert_eq!(facts.links, 2);
        assert_eq!(facts.codec, Codec::Opus);
        assert_eq!(facts.sample_rate, 48_000);
        assert_eq!(facts.pre_skip, Some(312));
        assert_eq!(facts.samples, (6300 - 312) + (100_960 - 98_080 - 312));
        // The tags are the first link's.
        assert_eq!(facts.tags.title.as_deref(), Some("A"));
        assert_eq!(facts.warnings.len(), 1, "{:?}", facts.warnings);
        assert!(facts.warnings[0].starts_with("chained Ogg: 2 streams"));
    }

    #[test]
    fn a_comment_packet_over_several_pages_is_read_and_its_picture_skipped() {
        let picture = format!("METADATA_BLOCK_PICTURE={}", "A".repeat(2000));
        let tags = opus_tags(&[picture.as_bytes(), b"TITLE=After the picture"]);
        // Cut the packet into 255-byte-multiple pieces over three pages.
        let (first, rest) = tags.split_at(255 * 3);
        let (second, third) = rest.split_at(255 * 4);
        let mut bytes = Vec::new();
        bytes.extend(page(FLAG_BOS, 0, SERIAL, &[&opus_head(0)], false));
        bytes.extend(page(0, 0, SERIAL, &[first], true));
        bytes.extend(page(FLAG_CONTINUED, u64::MAX, SERIAL, &[second], true));
        bytes.extend(page(FLAG_CONTINUED, 0, SERIAL, &[third], false));
        bytes.extend(page(FLAG_EOS, 960, SERIAL, &[PACKET_20MS], false));
        let facts = measure(&bytes).unwrap();
        assert_eq!(facts.tags.title.as_deref(), Some("After the picture"));
        assert!(facts.tags.has_cover);
        assert_eq!(facts.samples, 960);
        assert!(facts.warnings.is_empty(), "{:?}", facts.warnings);
    }

    #[test]
    fn junk_between_pages_is_stepped_over_and_named() {
        let mut bytes = Vec::new();
        bytes.extend(page(FLAG_BOS, 0, SERIAL, &[&opus_head(0)], false));
        bytes.extend(page(0, 0, SERIAL, &[&opus_tags(&[])], false));
        let at = bytes.len();
        bytes.extend([0x55; 100]);
        bytes.extend(page(
            FLAG_EOS,
            1920,
            SERIAL,
            &[PACKET_20MS, PACKET_20MS],
            false,
        ));
        let facts = measure(&bytes).unwrap();
        assert_eq!(facts.samples, 1920);
        assert_eq!(
            facts.warnings,
            [format!("100 bytes of junk between Ogg pages at byte {at}")]
        );
    }

    #[test]
    fn a_file_cut_anywhere_never_panics_and_says_it_is_cut() {
        let bytes = two_links();
        // Just after the first link's end page, the file is a whole one-link file.
        let first_link_end = 47 + 55 + 47 + 35;
        for cut in 0..bytes.len() {
            match measure(&bytes[..cut]) {
                Ok(facts) if cut == first_link_end => {
                    assert_eq!((facts.links, facts.samples), (1, 6300 - 312));
                    assert!(facts.warnings.is_empty(), "{:?}", facts.warnings);
                }
                Ok(facts) => assert!(!facts.warnings.is_empty(), "cut at {cut}: no warning"),
                Err(OggError::NoPage | OggError::NoAudioStream | OggError::NoStart { .. }) => {}
                Err(e) => panic!("cut at {cut}: {e}"),
            }
        }
        // Cut inside the last page: the link is measured to its last whole page, with a warning.
        let facts = measure(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(facts.samples, (6300 - 312) + (100_000 - 98_080 - 312));
        assert!(
            facts.warnings.iter().any(|w| w.contains("is cut off")),
            "{:?}",
            facts.warnings
        );
    }

    #[test]
    fn a_file_that_starts_mid_stream_or_holds_no_audio_is_refused() {
        let mid = page(0, 960, SERIAL, &[PACKET_20MS], false);
        assert!(matches!(
            measure(&mid),
            Err(OggError::NoStart { offset: 0 })
        ));
        let skeleton = page(FLAG_BOS | FLAG_EOS, 0, SERIAL, &[b"fishead\0"], false);
        assert!(matches!(measure(&skeleton), Err(OggError::NoAudioStream)));
        assert!(matches!(measure(b""), Err(OggError::NoPage)));
    }

    #[test]
    fn opus_packet_durations_follow_the_toc_byte() {
        assert_eq!(opus_packet_samples(&[]), 0);
        assert_eq!(opus_packet_samples(&[0x00]), 480); // SILK 10 ms, one frame
        assert_eq!(opus_packet_samples(&[0x18 | 1]), 2 * 2880); // SILK 60 ms, two frames
        assert_eq!(opus_packet_samples(&[0x78]), 960); // Hybrid 20 ms
        assert_eq!(opus_packet_samples(&[0x80 | 3, 5]), 5 * 120); // CELT 2.5 ms, five frames
        assert_eq!(opus_packet_samples(&[0xF8 | 3]), 0); // code 3 without its count byte
    }

    /// Vorbis bits packed from each byte's lowest bit up.
    fn pack(fields: &[(u64, usize)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut bit = 0usize;
        for &(value, width) in fields {
            for i in 0..width {
                if bit / 8 == out.len() {
                    out.push(0);
                }
                out[bit / 8] |= (((value >> i) & 1) as u8) << (bit % 8);
                bit += 1;
            }
        }
        out
    }

    #[test]
    fn vorbis_modes_are_found_from_the_end_of_the_setup_packet() {
        // Codebook-like noise, then the mode count − 1, three modes (short, long, long), the framing bit.
        let mut fields = vec![(0x2D5A_5A5Au64, 32); 8];
        fields.push((2, 6));
        for long in [0, 1, 1] {
            fields.extend([(long, 1), (0, 16), (0, 16), (long, 8)]);
        }
        fields.push((1, 1));
        let modes = VorbisModes::from_setup_tail(&pack(&fields)).unwrap();
        assert_eq!(modes.long, [false, true, true]);
        // Two mode bits after the packet-type bit.
        assert_eq!(modes.block_size(&[0b000], [256, 2048]), Some(256));
        assert_eq!(modes.block_size(&[0b010], [256, 2048]), Some(2048));
        assert_eq!(modes.block_size(&[0b110], [256, 2048]), None); // mode 3 does not exist
        assert_eq!(modes.block_size(&[0b001], [256, 2048]), None); // a header packet
    }
}
