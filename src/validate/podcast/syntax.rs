//! The small value syntaxes the namespace's tags borrow from other standards: decimals, ISO 8601 times,
//! Subresource Integrity strings, CSS ratios and HTML `srcset`s.

use base64::Engine;
use chrono::{DateTime, FixedOffset};

/// A non-negative decimal written plainly: digits with at most one point (`5`, `0.00000005000`, `.5`), as
/// the namespace writes amounts, shares and seconds. No sign, exponent, `NaN` or `inf`.
pub(super) fn is_decimal(text: &str) -> bool {
    let mut digits = 0;
    let mut points = 0;
    for c in text.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            _ => return false,
        }
    }
    digits > 0 && points <= 1
}

/// An ISO 8601 date-time with a time zone (`2021-09-26T07:30:00.000-0600`, `…Z`, `…+01:00`), a local
/// date-time (read as UTC), or a date. The namespace's pages write offsets both with and without a colon.
pub(super) fn iso8601(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some(d);
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc().with_timezone(&utc));
        }
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().with_timezone(&utc))
}

/// Why `value` is not a Subresource Integrity string (<https://www.w3.org/TR/SRI/#the-integrity-attribute>):
/// one or more space-separated `sha256-`, `sha384-` or `sha512-` hashes, each the digest (32, 48 or 64
/// bytes) in standard base64, optionally followed by `?options`.
pub(super) fn sri_problem(value: &str) -> Option<String> {
    let hashes: Vec<&str> = value.split_ascii_whitespace().collect();
    if hashes.is_empty() {
        return Some("is empty".to_owned());
    }
    for hash in hashes {
        let hash = hash.split('?').next().unwrap_or(hash);
        let Some((algorithm, digest)) = hash.split_once('-') else {
            return Some(format!(
                "`{hash}` is not `sha256-`, `sha384-` or `sha512-` followed by a digest"
            ));
        };
        let bytes = match algorithm {
            "sha256" => 32,
            "sha384" => 48,
            "sha512" => 64,
            other => {
                return Some(format!(
                    "`{other}` is not a hash SRI allows (`sha256`, `sha384`, `sha512`)"
                ));
            }
        };
        match base64::engine::general_purpose::STANDARD.decode(digest) {
            Err(_) => return Some(format!("the {algorithm} digest `{digest}` is not base64")),
            Ok(d) if d.len() != bytes => {
                return Some(format!(
                    "the {algorithm} digest is {} bytes, not {bytes}",
                    d.len()
                ));
            }
            Ok(_) => {}
        }
    }
    None
}

/// Whether `value` is base64 (standard alphabet, padded), line breaks and spaces allowed between its
/// characters as armoured signatures have them.
pub(super) fn is_base64(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    !compact.is_empty()
        && base64::engine::general_purpose::STANDARD
            .decode(compact)
            .is_ok()
}

/// Whether `value` is a CSS `<ratio>` (<https://drafts.csswg.org/css-values-4/#ratios>): a non-negative
/// number, or two separated by `/` (`16/9`, `16 / 9`, `1.9`).
pub(super) fn is_css_ratio(value: &str) -> bool {
    let number = |s: &str| is_decimal(s.trim()) && !s.trim().is_empty();
    match value.split_once('/') {
        Some((w, h)) => number(w) && number(h),
        None => number(value),
    }
}

/// Why a `srcset` (<https://html.spec.whatwg.org/multipage/images.html#srcset-attributes>) is not one apps can
/// read: each candidate is an absolute URL, then optionally a width (`1500w`) or a density (`2x`),
/// candidates separated by commas.
pub(super) fn srcset_problem(value: &str) -> Option<String> {
    let mut rest = value;
    let mut candidates = 0;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let descriptor = if let Some(stripped) = url.strip_suffix(',') {
            url = stripped.trim_end_matches(',');
            ""
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let descriptor = rest[..end].trim();
            rest = &rest[end..];
            descriptor
        };
        candidates += 1;
        if crate::vocab::url::parse_web_url(url).is_err() {
            return Some(format!("`{url}` is not an absolute URL"));
        }
        if !descriptor.is_empty() {
            let valid = descriptor
                .strip_suffix('w')
                .is_some_and(|w| w.parse::<u32>().is_ok_and(|w| w > 0))
                || descriptor
                    .strip_suffix('x')
                    .is_some_and(|x| is_decimal(x) && x.parse::<f64>().is_ok_and(|x| x > 0.0));
            if !valid {
                return Some(format!(
                    "`{descriptor}` after `{url}` is not a width (`1500w`) or a density (`2x`)"
                ));
            }
        }
    }
    (candidates == 0).then(|| "names no image".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain_non_negative_numbers() {
        for ok in ["0", "95", "0.00000005000", ".5", "60.0"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-1", "1e3", "NaN", "inf", "1.2.3", "50%", " 5"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn iso8601_reads_the_namespace_examples() {
        // podcast-namespace docs/tags/live-item.md writes the offset without a colon.
        let start = iso8601("2021-09-26T07:30:00.000-0600").unwrap();
        let end = iso8601("2021-09-26T09:30:00.000-06:00").unwrap();
        assert_eq!((end - start).num_hours(), 2);
        assert!(iso8601("2023-08-28T00:00:00.000Z").is_some());
        assert!(iso8601("2023-08-28").is_some());
        for bad in ["next monday", "26/09/2021", "2021-13-01", ""] {
            assert!(iso8601(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn sri_strings_need_a_known_hash_and_a_digest_of_its_length() {
        // The namespace's example (podcast-namespace docs/tags/integrity.md): 64 base64 characters, 48 bytes.
        let example = "sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo";
        assert_eq!(sri_problem(example), None);
        // The SHA-256 of the empty string, as the SRI specification's examples write such hashes.
        let empty_sha256 = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assert_eq!(sri_problem(&format!("{empty_sha256} {example}")), None);
        assert_eq!(sri_problem(&format!("{empty_sha256}?ct=audio/mpeg")), None);
        assert!(sri_problem("sha384-ExVqijgYHm15PqQqdXfW95x").is_some());
        assert!(sri_problem("md5-1B2M2Y8AsgTpgAmY7PhCfg==").is_some());
        assert!(sri_problem("sha256 47DEQpj8HBSa").is_some());
        assert!(sri_problem(&empty_sha256.replace("sha256", "sha512")).is_some());
        assert!(sri_problem("").is_some());
    }

    #[test]
    fn css_ratios_are_one_number_or_two() {
        for ok in ["1/1", "16/9", "16 / 9", "1.9", "9/16"] {
            assert!(is_css_ratio(ok), "{ok}");
        }
        for bad in ["16:9", "16x9", "wide", "/9", "16/", ""] {
            assert!(!is_css_ratio(bad), "{bad}");
        }
    }

    #[test]
    fn srcsets_are_urls_with_widths_or_densities() {
        // podcast-namespace docs/tags/images-(deprecated).md
        let example = "https://example.com/images/ep1/pci_avatar-massive.jpg 1500w,
            https://example.com/images/ep1/pci_avatar-middle.jpg 600w,
            https://example.com/images/ep1/pci_avatar-small.jpg 300w,
            https://example.com/images/ep1/pci_avatar-tiny.jpg 150w";
        assert_eq!(srcset_problem(example), None);
        assert_eq!(
            srcset_problem("https://e.com/a.jpg, https://e.com/b.jpg 2x"),
            None
        );
        assert!(srcset_problem("images/a.jpg 1500w").is_some());
        assert!(srcset_problem("https://e.com/a.jpg 1500px").is_some());
        assert!(srcset_problem(" , ").is_some());
    }
}
