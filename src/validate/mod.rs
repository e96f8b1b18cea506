//! Validation of any podcast feed, castkit's or anyone's: each rule has a stable code ([`rules`]), a
//! severity and a reason, and every finding points at a line and column of the feed.
//!
//! The checks run in stages, each on what the one before established: the bytes (size, encoding), the XML
//! (well-formedness with namespaces, no entity declarations, bounded nesting), then the feed itself: RSS 2.0
//! structure (`rss`), Apple's `itunes:` rules (`apple`), the Podcasting 2.0 namespace and Podlove chapters
//! (`podcast`), and, when local files are given, the media the feed points at (`media`).

mod apple;
pub mod archive;
pub mod hosting;
mod media;
mod podcast;
mod rss;
pub mod rules;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

pub use rules::RULES;

use crate::audio::cache::ProbeCache;
use crate::diag::{Diagnostic, Rule, Severity, SourceFile, SourceText};
use crate::feed::parse::{self, DecodeError};

/// The largest feed castkit validates. Podcast apps give up far below it (1–10 MB is common).
pub const MAX_FEED_BYTES: usize = 64 << 20;

/// Elements nested deeper than this are refused (RSS needs about five levels).
pub const MAX_DEPTH: usize = 256;

/// How to validate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The present moment, for items dated in the future.
    pub now: DateTime<Utc>,
    /// Local files to check the feed's enclosures, artwork and companions against.
    pub media: Option<MediaMap>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            now: Utc::now(),
            media: None,
        }
    }
}

/// Where the files behind the feed's URLs are on disk.
#[derive(Debug, Clone, Default)]
pub struct MediaMap {
    /// The media folder: a URL maps to it by its last path segment when no `prefix` matches.
    pub dir: PathBuf,
    /// URL prefixes and the folders they are served from (the media base URL and the media folder, the
    /// feed's own folder URL and the output folder…). A URL under a prefix maps to that folder plus the
    /// percent-decoded rest of its path.
    pub prefixes: Vec<(String, PathBuf)>,
    /// URLs the catalogue states are served from elsewhere (audio given as a URL, an imported show's): never
    /// mapped to a local file, even under a prefix.
    pub hosted_elsewhere: std::collections::HashSet<String>,
}

impl MediaMap {
    /// A map by file name only, for `--media DIR`.
    pub fn dir(dir: impl Into<PathBuf>) -> MediaMap {
        MediaMap {
            dir: dir.into(),
            prefixes: Vec::new(),
            hosted_elsewhere: std::collections::HashSet::new(),
        }
    }

    /// The local file for a URL, if the map covers it. `None` for URLs outside every prefix when prefixes
    /// are given (they are served from elsewhere, and cannot be checked here).
    pub fn resolve(&self, url: &str) -> Option<PathBuf> {
        if self.hosted_elsewhere.contains(url) {
            return None;
        }
        for (prefix, dir) in &self.prefixes {
            if let Some(rest) = url.strip_prefix(prefix.as_str()) {
                return safe_join(dir, rest);
            }
        }
        if !self.prefixes.is_empty() {
            return None;
        }
        let parsed = url::Url::parse(url).ok()?;
        let last = parsed.path_segments()?.next_back()?;
        safe_join(&self.dir, last)
    }
}

/// `dir` joined with a percent-encoded relative path, refusing anything that would leave `dir`.
fn safe_join(dir: &std::path::Path, encoded: &str) -> Option<PathBuf> {
    let path = encoded.split(['?', '#']).next().unwrap_or("");
    let mut out = dir.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let decoded = percent_decode(segment)?;
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\']) {
            return None;
        }
        out.push(decoded);
    }
    Some(out)
}

/// Percent-decodes a URI component (for `mailto:` addresses and media paths); `None` when the bytes are not
/// UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// The elements of one namespace a parent element may hold, and which of them may appear more than once.
pub(crate) struct Elements {
    pub(crate) known: &'static [&'static str],
    pub(crate) repeatable: &'static [&'static str],
}

/// At most this many findings of one rule are reported; the rest are counted in one closing finding, so a
/// hostile feed with millions of defects costs bounded time and memory.
pub const MAX_FINDINGS_PER_RULE: usize = 200;

/// What the rules work with: the feed's text and the findings so far.
pub(crate) struct Ctx<'a> {
    pub(crate) source: &'a SourceText<'a>,
    pub(crate) options: &'a Options,
    /// Where local audio is probed (`options.media`).
    pub(crate) cache: &'a ProbeCache,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Per rule code: the rule, its findings so far, and how many were not reported past the cap.
    per_rule: HashMap<&'static str, (&'static Rule, usize, usize)>,
    /// Each finding's rule code and message, and the index of its first report.
    first_report: HashMap<(&'static str, String), usize>,
    /// Whether the last `report` added a finding.
    last_pushed: bool,
    /// A context checking part of the feed on another thread ([`Ctx::part`]): every report is kept as
    /// made (without its location, which costs a scan of its line), with the message and range it was
    /// made with, for [`Ctx::absorb`] to fold, cap and locate in document order.
    recorded: Option<Vec<(String, Range<usize>)>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn text(&self) -> &'a str {
        self.source.text()
    }

    fn new(
        source: &'a SourceText<'a>,
        options: &'a Options,
        cache: &'a ProbeCache,
        diagnostics: Vec<Diagnostic>,
    ) -> Ctx<'a> {
        Ctx {
            source,
            options,
            cache,
            diagnostics,
            per_rule: HashMap::new(),
            first_report: HashMap::new(),
            last_pushed: false,
            recorded: None,
        }
    }

    /// A context for checking part of the feed on another thread: it folds and caps nothing, so that
    /// [`Ctx::absorb`] gives exactly the findings one context checking everything in order would.
    pub(crate) fn part(&self) -> Ctx<'a> {
        let mut part = Ctx::new(self.source, self.options, self.cache, Vec::new());
        part.recorded = Some(Vec::new());
        part
    }

    /// Takes the findings of a [`Ctx::part`] as if they were reported here, in their order: folded into
    /// an earlier alike finding, or capped, exactly as [`Ctx::report`] would have.
    pub(crate) fn absorb(&mut self, part: Ctx<'a>) {
        let made = part.recorded.unwrap_or_default();
        let source = self.source;
        for (mut finding, (message, range)) in part.diagnostics.into_iter().zip(made) {
            self.admit(finding.rule, message, |_| {
                finding.location = Some(source.location(range));
                finding
            });
        }
    }

    /// A finding under `rule` at `range`, unless it is folded into an earlier one: past
    /// [`MAX_FINDINGS_PER_RULE`], or a recommendation many items share.
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let message = message.into();
        if let Some(recorded) = &mut self.recorded {
            let mut d = rule.diag(message.clone());
            d.help = help;
            recorded.push((message, range));
            self.diagnostics.push(d);
            self.last_pushed = true;
            return;
        }
        let source = self.source;
        self.admit(rule, message, |message| {
            let mut d = rule.diag(message).at(source.location(range));
            d.help = help;
            d
        });
    }

    /// Adds the finding `build` makes for `message` under `rule`, unless it folds into an earlier one or
    /// the rule is past its cap.
    fn admit(
        &mut self,
        rule: &'static Rule,
        message: String,
        build: impl FnOnce(String) -> Diagnostic,
    ) {
        self.last_pushed = false;
        // The same warning again (a legacy `itunes:explicit` value in every item, a tag every item lacks)
        // is folded into its first finding, which counts it. Errors are each reported (up to the cap).
        let key = (rule.code, message);
        if let Some(&index) = self.first_report.get(&key) {
            let first = &mut self.diagnostics[index];
            if first.severity != Severity::Error {
                first.occurrences += 1;
                return;
            }
        }
        let (_, message) = key;
        let (_, count, suppressed) = self.per_rule.entry(rule.code).or_insert((rule, 0, 0));
        if *count >= MAX_FINDINGS_PER_RULE {
            *suppressed += 1;
            return;
        }
        *count += 1;
        self.first_report
            .entry((rule.code, message.clone()))
            .or_insert(self.diagnostics.len());
        self.diagnostics.push(build(message));
        self.last_pushed = true;
    }

    /// The finding the last `report` made, to adjust it (a rule reported at a lower severity in one case),
    /// or `None` when that report was folded into an earlier finding.
    pub(crate) fn last_reported(&mut self) -> Option<&mut Diagnostic> {
        if self.last_pushed {
            self.diagnostics.last_mut()
        } else {
            None
        }
    }

    /// The findings, with capped rules summed up.
    fn finish(mut self) -> Vec<Diagnostic> {
        let mut capped: Vec<(&'static Rule, usize)> = self
            .per_rule
            .values()
            .filter(|(_, _, suppressed)| *suppressed > 0)
            .map(|(rule, _, suppressed)| (*rule, *suppressed))
            .collect();
        capped.sort_unstable_by_key(|(rule, _)| rule.code);
        for (rule, suppressed) in capped {
            let code = rule.code;
            let d = rule
                .diag(format!(
                    "{suppressed} more `{code}` findings are not shown (castkit reports the first {MAX_FINDINGS_PER_RULE})"
                ))
                .at(crate::diag::Location::file(self.source.path()))
                .help("fix the ones shown and run castkit again");
            self.diagnostics.push(d);
        }
        self.diagnostics
    }

    /// F217: a tag Apple recommends (`tag`, as written in the feed) is missing from `parent`, the channel or
    /// an item.
    pub(crate) fn missing_recommended(
        &mut self,
        parent: roxmltree::Node<'_, '_>,
        tag: &str,
        help: &str,
    ) {
        let whose = if parent.has_tag_name("item") {
            "this item"
        } else {
            "the channel"
        };
        self.at_node(
            &rules::MISSING_RECOMMENDED,
            parent,
            format!("{whose} has no `{tag}`"),
            Some(help.to_owned()),
        );
    }

    /// A finding pointing at an element's name.
    pub(crate) fn at_node(
        &mut self,
        rule: &'static Rule,
        node: roxmltree::Node<'_, '_>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let range = parse::name_range(self.text(), node);
        self.report(rule, range, message, help);
    }

    /// A finding pointing at an element's text.
    pub(crate) fn at_text(
        &mut self,
        rule: &'static Rule,
        node: roxmltree::Node<'_, '_>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let range = parse::text_range(self.text(), node);
        self.report(rule, range, message, help);
    }

    /// A finding pointing at an attribute's value (or the element's name, when the attribute is absent).
    pub(crate) fn at_attr(
        &mut self,
        rule: &'static Rule,
        node: roxmltree::Node<'_, '_>,
        attr: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let range = parse::attr_range(self.text(), node, attr);
        self.report(rule, range, message, help);
    }
}

/// Validates one feed given as bytes. `name` is how the feed is named in findings (its path, or `<stdin>`).
/// Returns every finding, sorted by position. With `options.media`, audio is probed in memory only (no
/// show is known here); [`validate_bytes_with_cache`] takes a show's probe store.
pub fn validate_bytes(name: &str, bytes: &[u8], options: &Options) -> Vec<Diagnostic> {
    validate_bytes_with_cache(name, bytes, options, &ProbeCache::disabled())
}

/// [`validate_bytes`] probing local audio through `cache`: `build-feed` passes the cache it has just
/// probed every episode with, so no file is read twice; `validate --catalogue` passes the show's store.
pub fn validate_bytes_with_cache(
    name: &str,
    bytes: &[u8],
    options: &Options,
    cache: &ProbeCache,
) -> Vec<Diagnostic> {
    let decoded = match decode_checked(name, bytes) {
        Ok(decoded) => decoded,
        Err(finding) => return vec![*finding],
    };
    let source = SourceText::new(name, &decoded.text);
    let mut ctx = Ctx::new(&source, options, cache, Vec::new());
    if decoded.encoding != "UTF-8" {
        ctx.report(
            &rules::NOT_UTF8,
            0..0,
            format!("the feed is encoded in {}, not UTF-8", decoded.encoding),
            Some("Apple Podcasts requires UTF-8: save the feed as UTF-8 and declare `encoding=\"UTF-8\"`".to_owned()),
        );
    }
    if bytes.len() > 10_000_000 {
        ctx.report(
            &rules::LARGE_FEED,
            0..0,
            format!("the feed is {:.1} MB", bytes.len() as f64 / 1e6),
            Some("some apps stop at 1–10 MB; keep the newest episodes in the feed and archive the rest".to_owned()),
        );
    }
    validate_text(&mut ctx);
    let mut diagnostics = ctx.finish();
    crate::diag::sort(&mut diagnostics);
    diagnostics
}

/// Reads a feed far enough to use it, without checking it: decoded and parsed with the validator's
/// guards (size, encoding, entity declarations, depth and element limits, well-formedness). `use_tree` gets
/// the text and the tree; the text is returned with its result. When the feed cannot be read, the findings
/// say why, as `castkit validate` reports them.
///
/// # Errors
/// The findings (`F0xx`, or F101 for a web page) that make the feed unreadable.
pub fn read_feed<R>(
    name: &str,
    bytes: &[u8],
    use_tree: impl FnOnce(&SourceFile, &roxmltree::Document<'_>) -> R,
) -> Result<(SourceFile, R), Vec<Diagnostic>> {
    let decoded = decode_checked(name, bytes).map_err(|finding| vec![*finding])?;
    let source = SourceFile::new(name, decoded.text.into_owned());
    let options = Options::default();
    let cache = ProbeCache::disabled();
    let text = source.as_source_text();
    let mut ctx = Ctx::new(&text, &options, &cache, Vec::new());
    let result = match well_formed(&mut ctx) {
        Some(doc) => use_tree(&source, &doc),
        None => return Err(ctx.finish()),
    };
    Ok((source, result))
}

/// The feed's bytes as text, or the one finding that says why they cannot be read: too large, empty, or not
/// valid in their encoding.
fn decode_checked<'b>(name: &str, bytes: &'b [u8]) -> Result<parse::Decoded<'b>, Box<Diagnostic>> {
    let whole_file = |rule: &'static Rule, message: String, help: &str| {
        rule.diag(message)
            .at(crate::diag::Location::file(name))
            .help(help)
    };
    if bytes.len() > MAX_FEED_BYTES {
        return Err(Box::new(whole_file(
            &rules::TOO_LARGE,
            format!(
                "the feed is {:.1} MB; castkit validates feeds up to {} MB",
                bytes.len() as f64 / 1e6,
                MAX_FEED_BYTES >> 20
            ),
            "podcast apps stop reading long before this: publish fewer episodes in the feed, or page it",
        )));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Box::new(whole_file(
            &rules::EMPTY_FILE,
            "the feed is empty".to_owned(),
            "check that the file was written completely",
        )));
    }
    match parse::decode(bytes) {
        Ok(decoded) => Ok(decoded),
        Err(e) => {
            let (message, offset) = match e {
                DecodeError::InvalidUtf8 { offset } => (
                    format!("the byte at offset {offset} is not valid UTF-8"),
                    Some(offset),
                ),
                DecodeError::InvalidUtf16 { offset } => (
                    format!("the text at byte {offset} is not valid UTF-16"),
                    Some(offset),
                ),
                DecodeError::Unsupported(encoding) => (
                    format!(
                        "the feed declares the encoding `{encoding}`, which castkit does not read"
                    ),
                    None,
                ),
                DecodeError::Mismatch {
                    declared,
                    offset,
                    utf8: true,
                } => (
                    format!(
                        "the feed declares `encoding=\"{declared}\"`, but its bytes are UTF-8 (from offset {offset}): readers would show \"Ã©\" for \"é\""
                    ),
                    Some(offset),
                ),
                DecodeError::Mismatch {
                    declared,
                    offset,
                    utf8: false,
                } => (
                    format!(
                        "the byte at offset {offset} is not valid in the declared encoding `{declared}`"
                    ),
                    Some(offset),
                ),
                DecodeError::ControlCharacter {
                    declared,
                    offset,
                    byte,
                } => (
                    format!(
                        "the byte 0x{byte:02X} at offset {offset} is a control character in `{declared}`: the feed is probably Windows-1252 labelled as ISO-8859-1"
                    ),
                    Some(offset),
                ),
                DecodeError::Conflict { bom, declared } => (
                    format!(
                        "the file starts with a {bom} byte-order mark, but declares `encoding=\"{declared}\"`"
                    ),
                    None,
                ),
            };
            // Point at the line of the bad byte: the text before it is valid and gives the line number.
            let mut d = rules::BAD_ENCODING
                .diag(message)
                .help("save the feed as UTF-8, which Apple Podcasts requires");
            d.location = Some(match offset {
                Some(offset) => {
                    let valid =
                        String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]).into_owned();
                    let src = SourceFile::new(name, valid);
                    src.location(offset..offset)
                }
                None => crate::diag::Location::file(name),
            });
            Err(Box::new(d))
        }
    }
}

/// The text after the XML declaration, comments and processing instructions that may come before the root
/// element (or a `<!DOCTYPE`).
fn skip_prolog(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else {
            None
        };
        match end {
            Some(end) => rest = rest[end..].trim_start(),
            None => return rest,
        }
    }
}

/// The feed parsed, or `None` after reporting why it cannot be: a web page, XML 1.1, entity declarations,
/// markup past the limits, not well-formed XML, or a namespace URI with white space.
fn well_formed<'s>(ctx: &mut Ctx<'s>) -> Option<roxmltree::Document<'s>> {
    let text = ctx.text();
    // A web page where a feed was expected: say so, rather than report its first HTML entity.
    let start = skip_prolog(text);
    let head = start.get(..200).unwrap_or(start).to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        ctx.report(
            &rules::NOT_RSS,
            0..text.find('<').map_or(0, |i| i + 1),
            "this is an HTML page, not a feed",
            Some("check the feed's URL: servers answer a wrong URL with a web page".to_owned()),
        );
        return None;
    }
    if let Some(decl) = text.trim_start().strip_prefix("<?xml")
        && let Some(end) = decl.find("?>")
        && (decl[..end].contains("version=\"1.1\"") || decl[..end].contains("version='1.1'"))
    {
        let at = text.find("1.1").unwrap_or(0);
        ctx.report(
            &rules::NOT_WELL_FORMED,
            at..at + 3,
            "the feed declares XML 1.1; feed readers read XML 1.0",
            Some("write `<?xml version=\"1.0\" encoding=\"UTF-8\"?>`".to_owned()),
        );
        return None;
    }
    if let Some(at) = memchr::memmem::find(text.as_bytes(), b"<!ENTITY") {
        ctx.report(
            &rules::ENTITY_DECLARATIONS,
            at..at + 8,
            "the feed declares entities in its DTD; castkit does not expand them",
            Some("remove the `<!DOCTYPE … [ <!ENTITY … > ]>` block; feeds need no entities beyond `&amp;` and the like".to_owned()),
        );
        return None;
    }
    match markup_limits(text) {
        Some(MarkupLimit::Depth(at)) => {
            ctx.report(
                &rules::TOO_DEEP,
                at..at + 1,
                format!("elements are nested more than {MAX_DEPTH} levels deep here"),
                None,
            );
            return None;
        }
        Some(MarkupLimit::Elements(at)) => {
            ctx.report(
                &rules::TOO_MANY_ELEMENTS,
                at..at + 1,
                format!(
                    "the feed has more than {} elements, one per {} bytes or fewer; castkit stops here",
                    max_elements(text.len()),
                    text.len() / max_elements(text.len()).max(1)
                ),
                Some("real feeds use 30 to 180 bytes per element: check how this file was made".to_owned()),
            );
            return None;
        }
        None => {}
    }
    let source = ctx.source;
    let doc = match parse::parse(source.text()) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = e.pos();
            let line_start: usize = source
                .text()
                .split_inclusive('\n')
                .take(pos.row.saturating_sub(1) as usize)
                .map(str::len)
                .sum();
            let line = source.line_text(pos.row as usize);
            let col_byte: usize = line
                .chars()
                .take(pos.col.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            let at = line_start + col_byte;
            let rule = if matches!(
                e,
                roxmltree::Error::NoRootNode | roxmltree::Error::UnexpectedEndOfStream
            ) && source.text().trim().is_empty()
            {
                &rules::EMPTY_FILE
            } else {
                &rules::NOT_WELL_FORMED
            };
            ctx.report(rule, at..at + 1, xml_error_message(&e), xml_error_help(&e));
            return None;
        }
    };
    for namespace in doc.root_element().namespaces() {
        if namespace.uri().contains(char::is_whitespace) {
            let at = ctx
                .text()
                .find(namespace.uri().trim_start().get(..1).unwrap_or(""))
                .unwrap_or(0);
            ctx.report(
                &rules::NOT_WELL_FORMED,
                at..at,
                format!(
                    "the namespace URI `{}` contains white space",
                    namespace.uri().escape_debug()
                ),
                Some("a namespace is a URI: no spaces or line breaks inside the quotes".to_owned()),
            );
            return None;
        }
    }
    Some(doc)
}

fn validate_text(ctx: &mut Ctx<'_>) {
    if let Some(doc) = well_formed(ctx) {
        rss::check(ctx, &doc);
    }
}

/// Where nesting first exceeds [`MAX_DEPTH`], found by a scan that does not parse (so it cannot itself be
/// made to recurse): counts `<name` against `</` and `/>`, skipping comments, CDATA and declarations.
/// Which limit a feed's markup breaks, found by a scan of its tags before any tree is built.
#[derive(Debug, PartialEq, Eq)]
enum MarkupLimit {
    /// Nesting deeper than [`MAX_DEPTH`], at this offset.
    Depth(usize),
    /// More elements than [`max_elements`] allows, at this offset.
    Elements(usize),
}

/// The most elements castkit builds a tree for: one per 10 bytes of feed on average (real feeds use 30 to
/// 180 bytes per element), and never fewer than 100,000. This keeps the tree, and so memory, within a small
/// multiple of the feed's size.
fn max_elements(text_len: usize) -> usize {
    (text_len / 10).max(100_000)
}

fn markup_limits(text: &str) -> Option<MarkupLimit> {
    let bytes = text.as_bytes();
    let max_elements = max_elements(text.len());
    let mut elements: usize = 0;
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let at = i + off;
        let rest = &text[at..];
        if rest.starts_with("<!--") {
            i = at + memchr::memmem::find(rest.as_bytes(), b"-->").map_or(rest.len(), |e| e + 3);
        } else if rest.starts_with("<![CDATA[") {
            i = at + memchr::memmem::find(rest.as_bytes(), b"]]>").map_or(rest.len(), |e| e + 3);
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            i = at + 2;
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            i = at + 2;
        } else {
            let end = memchr::memchr(b'>', rest.as_bytes()).map_or(rest.len(), |e| e + 1);
            elements += 1;
            if elements > max_elements {
                return Some(MarkupLimit::Elements(at));
            }
            if !rest[..end].ends_with("/>") {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(MarkupLimit::Depth(at));
                }
            }
            i = at + end.max(1);
        }
    }
    None
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', bytes)
}

fn xml_error_message(e: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    match e {
        E::UnknownNamespace(prefix, _) => {
            format!("the prefix `{prefix}:` is used but never declared with `xmlns:{prefix}=\"…\"`")
        }
        E::UnexpectedCloseTag(expected, found, _) => {
            format!("`</{found}>` closes `<{expected}>`: the tags are not nested properly")
        }
        E::UnknownEntityReference(name, _) => {
            format!("`&{name};` is not an XML entity (HTML entities like `&nbsp;` are not XML)")
        }
        E::NonXmlChar(c, _) => format!(
            "the character U+{:04X} is not allowed in XML 1.0",
            u32::from(*c)
        ),
        E::NodesLimitReached => "the feed has more elements than castkit reads".to_owned(),
        other => {
            let text = other.to_string();
            // roxmltree appends " at L:C"; the location is shown separately.
            text.rsplit_once(" at ")
                .map_or(text.clone(), |(m, _)| m.to_owned())
        }
    }
}

fn xml_error_help(e: &roxmltree::Error) -> Option<String> {
    use roxmltree::Error as E;
    Some(match e {
        E::UnknownNamespace(prefix, _) => match prefix.as_str() {
            "itunes" => format!("add `xmlns:itunes=\"{}\"` to `<rss>`", crate::vocab::ns::ITUNES),
            "podcast" => format!("add `xmlns:podcast=\"{}\"` to `<rss>`", crate::vocab::ns::PODCAST),
            "atom" => format!("add `xmlns:atom=\"{}\"` to `<rss>`", crate::vocab::ns::ATOM),
            "content" => format!("add `xmlns:content=\"{}\"` to `<rss>`", crate::vocab::ns::CONTENT),
            _ => format!("declare the namespace with `xmlns:{prefix}=\"…\"` on `<rss>`"),
        },
        E::UnknownEntityReference(..) => {
            "write the character itself, or a numeric reference such as `&#160;`; only `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&apos;` are predefined".to_owned()
        }
        E::NonXmlChar(..) => "remove the control character from the text".to_owned(),
        E::InvalidCharacterData(..) | E::InvalidString(..) => {
            "an `&` or `<` in text must be written `&amp;` or `&lt;`, or the text put in `<![CDATA[…]]>`".to_owned()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls_map_into_their_folder_and_never_out_of_it() {
        let map = MediaMap {
            dir: PathBuf::from("/m"),
            prefixes: vec![(
                "https://cdn.example.com/show/media/".to_owned(),
                PathBuf::from("/m"),
            )],
            hosted_elsewhere: ["https://cdn.example.com/show/media/remote.mp3".to_owned()].into(),
        };
        assert_eq!(
            map.resolve("https://cdn.example.com/show/media/remote.mp3"),
            None,
            "a URL the catalogue gives as hosted elsewhere is not a local file"
        );
        assert_eq!(
            map.resolve("https://cdn.example.com/show/media/5.4%20What.mp3?x=1"),
            Some(PathBuf::from("/m/5.4 What.mp3"))
        );
        assert_eq!(
            map.resolve("https://cdn.example.com/show/media/../../etc/passwd"),
            None
        );
        assert_eq!(map.resolve("https://elsewhere.example.com/a.mp3"), None);
        let by_name = MediaMap::dir("/m");
        assert_eq!(
            by_name.resolve("https://any.example.com/x/y/a%23b.mp3"),
            Some(PathBuf::from("/m/a#b.mp3"))
        );
    }

    #[test]
    fn a_tag_missing_from_many_items_is_one_finding_that_counts_them() {
        let item = "<item><title>t</title><guid>g{}</guid><enclosure url='https://e.com/{}.mp3' length='1' type='audio/mpeg'/></item>";
        let items: String = (0..3).map(|i| item.replace("{}", &i.to_string())).collect();
        let feed = format!(
            "<rss version='2.0'><channel><title>t</title><link>https://e.com/</link><description>d</description>{items}</channel></rss>"
        );
        let options = Options {
            now: Utc::now(),
            media: None,
        };
        let found = validate_bytes("f.xml", feed.as_bytes(), &options);
        let images: Vec<&Diagnostic> = found
            .iter()
            .filter(|d| d.code() == "F217" && d.message.contains("itunes:image"))
            .collect();
        assert_eq!(images.len(), 1, "{found:#?}");
        // The message stays as the rule wrote it; the count is data every renderer shows.
        assert_eq!(images[0].message, "this item has no `itunes:image`");
        assert_eq!(images[0].occurrences, 3);
        assert_eq!(
            images[0].location.as_ref().map(|l| l.column),
            Some(feed.find("<item>").unwrap() + 2)
        );
    }

    #[test]
    fn a_repeated_warning_is_folded_but_repeated_errors_are_each_reported() {
        let item = "<item><title>t</title><guid>g{}</guid><pubDate>soon</pubDate><itunes:explicit>no</itunes:explicit><enclosure url='https://e.com/{}.mp3' length='1' type='audio/mpeg'/></item>";
        let items: String = (0..4).map(|i| item.replace("{}", &i.to_string())).collect();
        let feed = format!(
            "<rss version='2.0' xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel><title>t</title><link>https://e.com/</link><description>d</description>{items}</channel></rss>"
        );
        let found = validate_bytes("f.xml", feed.as_bytes(), &Options::default());
        let legacy: Vec<&Diagnostic> = found.iter().filter(|d| d.code() == "F205").collect();
        assert_eq!(legacy.len(), 1, "{legacy:#?}");
        assert_eq!(legacy[0].severity, Severity::Warning);
        assert_eq!(legacy[0].occurrences, 4);
        assert!(
            !legacy[0].message.contains("more times"),
            "{}",
            legacy[0].message
        );
        let dates: Vec<&Diagnostic> = found.iter().filter(|d| d.code() == "F116").collect();
        assert_eq!(dates.len(), 4);
        assert!(dates.iter().all(|d| d.occurrences == 1));
    }

    #[test]
    fn items_checked_in_parallel_parts_fold_and_cap_as_one_pass_would() {
        // 1,000 items: several parts. Every item has the same legacy `explicit` (a warning: one finding
        // counting 1,000), a bad date (an error each: the first 200 shown, 800 said to be left out) and a
        // guid shared with the item before it (every second item: 500 duplicate-guid errors).
        let items: String = (0..1000)
            .map(|i| {
                format!(
                    "<item><title>t</title><guid>g{}</guid><pubDate>soon</pubDate><itunes:explicit>no</itunes:explicit><enclosure url='https://e.com/{i}.mp3' length='1' type='audio/mpeg'/></item>\n",
                    i / 2
                )
            })
            .collect();
        let feed = format!(
            "<rss version='2.0' xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel><title>t</title><link>https://e.com/</link><description>d</description>\n{items}</channel></rss>"
        );
        let found = validate_bytes("f.xml", feed.as_bytes(), &Options::default());
        let of = |code: &str| -> Vec<&Diagnostic> {
            found.iter().filter(|d| d.code() == code).collect()
        };
        let legacy = of("F205");
        assert_eq!(legacy.len(), 1, "{legacy:#?}");
        assert_eq!(legacy[0].occurrences, 1000);
        // The first item's line: the file's second line.
        assert_eq!(legacy[0].location.as_ref().map(|l| l.line), Some(2));
        let dates = of("F116");
        assert_eq!(
            dates.len(),
            201,
            "200 shown and one saying how many are not"
        );
        let shown_lines: Vec<usize> = dates
            .iter()
            .filter_map(|d| d.location.as_ref().filter(|l| l.line > 0).map(|l| l.line))
            .collect();
        assert_eq!(
            shown_lines,
            (2..202).collect::<Vec<_>>(),
            "the first 200 items, in order"
        );
        assert!(
            dates
                .iter()
                .any(|d| d.message.starts_with("800 more `F116` findings"))
        );
        assert_eq!(of("F114").len(), 201);
        assert!(
            of("F114")
                .iter()
                .any(|d| d.message.starts_with("300 more `F114` findings"))
        );
    }

    #[test]
    fn nesting_depth_is_found_without_parsing() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            markup_limits(&deep),
            Some(MarkupLimit::Depth(3 * MAX_DEPTH))
        );
        let fine = format!("{}<b/><!-- <c> -->{}", "<a>".repeat(10), "</a>".repeat(10));
        assert_eq!(markup_limits(&fine), None);
        let dense = format!("<r>{}</r>", "<a/>".repeat(200_000));
        assert_eq!(
            markup_limits(&dense),
            Some(MarkupLimit::Elements(3 + 4 * 99_999))
        );
    }
}
