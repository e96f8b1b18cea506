//! The `Range` header (RFC 9110 §14.2): one byte range of a file, or the whole file.

/// What a `Range` header asks of a file of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// The whole file (200): no `Range`, a header castkit ignores (another unit, bad syntax, several ranges).
    Whole,
    /// Bytes `start..=end` of the file (206).
    Part {
        /// The first byte.
        start: u64,
        /// The last byte (inclusive).
        end: u64,
    },
    /// No byte of the range is in the file (416).
    Unsatisfiable,
}

impl RangeRequest {
    /// Reads a `Range` header against a file of `length` bytes.
    ///
    /// Understood: `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last `n` bytes). A header with several ranges
    /// gets the whole file: RFC 9110 lets a server ignore `Range`, players ask for one range at a time, and a
    /// `multipart/byteranges` answer would only be read by the few clients that ask for one. A header that
    /// does not parse is ignored too, as the RFC says it must be.
    pub fn parse(header: Option<&str>, length: u64) -> RangeRequest {
        let Some(header) = header else {
            return RangeRequest::Whole;
        };
        let Some((unit, specs)) = header.trim().split_once('=') else {
            return RangeRequest::Whole;
        };
        if !unit.trim().eq_ignore_ascii_case("bytes") || specs.contains(',') {
            return RangeRequest::Whole;
        }
        let Some((first, last)) = specs.trim().split_once('-') else {
            return RangeRequest::Whole;
        };
        let number = |text: &str| -> Option<u64> {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // More digits than a u64 holds: past the end of any file.
            Some(text.parse().unwrap_or(u64::MAX))
        };
        let (first, last) = (first.trim(), last.trim());
        if first.is_empty() {
            // `-n`: the last n bytes.
            return match number(last) {
                None => RangeRequest::Whole,
                Some(0) => RangeRequest::Unsatisfiable,
                Some(_) if length == 0 => RangeRequest::Unsatisfiable,
                Some(suffix) => RangeRequest::Part {
                    start: length.saturating_sub(suffix),
                    end: length - 1,
                },
            };
        }
        let Some(start) = number(first) else {
            return RangeRequest::Whole;
        };
        let end = match (last.is_empty(), number(last)) {
            (true, _) => None,
            (false, Some(end)) if end >= start => Some(end),
            // `5-1`, `0-x`: not a range.
            (false, _) => return RangeRequest::Whole,
        };
        if start >= length {
            return RangeRequest::Unsatisfiable;
        }
        RangeRequest::Part {
            start,
            end: end.map_or(length - 1, |end| end.min(length - 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RangeRequest::{self, *};

    fn parse(header: &str, length: u64) -> RangeRequest {
        RangeRequest::parse(Some(header), length)
    }

    #[test]
    fn the_three_forms_of_a_byte_range() {
        assert_eq!(parse("bytes=0-99", 1000), Part { start: 0, end: 99 });
        assert_eq!(
            parse("bytes=990-", 1000),
            Part {
                start: 990,
                end: 999
            }
        );
        assert_eq!(
            parse("bytes=-10", 1000),
            Part {
                start: 990,
                end: 999
            }
        );
        // Past the end: cut to the file.
        assert_eq!(
            parse("bytes=900-5000", 1000),
            Part {
                start: 900,
                end: 999
            }
        );
        assert_eq!(parse("bytes=-5000", 1000), Part { start: 0, end: 999 });
        assert_eq!(parse("Bytes = 5 - 6 ", 1000), Part { start: 5, end: 6 });
    }

    #[test]
    fn ranges_outside_the_file_are_unsatisfiable() {
        assert_eq!(parse("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=1000-2000", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=0-", 0), Unsatisfiable);
        assert_eq!(parse("bytes=99999999999999999999999-", 1000), Unsatisfiable);
    }

    #[test]
    fn headers_castkit_ignores_get_the_whole_file() {
        assert_eq!(RangeRequest::parse(None, 1000), Whole);
        for header in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=-",
            "bytes=a-b",
            "bytes=0x1-2",
            "bytes",
            "bytes=--1",
            "bytes=1",
        ] {
            assert_eq!(parse(header, 1000), Whole, "{header}");
        }
    }
}
