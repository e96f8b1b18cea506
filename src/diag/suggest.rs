//! "Did you mean …?": the nearest spelling among known values.

/// The candidate closest to `input` (case-insensitive edit distance), if it is close enough to be a likely
/// typo: within a third of the longer word's length, and at least one edit allowed.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.trim().to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if lower == needle {
            return Some(candidate);
        }
        // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions.
        let distance = strsim::osa_distance(&needle, &lower);
        let limit = (needle.chars().count().max(lower.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transposition_is_one_edit() {
        // `tilte` is two edits from `title` by Levenshtein (over the limit of one for five letters), one
        // by optimal string alignment.
        assert_eq!(did_you_mean("tilte", ["title", "subtitle"]), Some("title"));
    }

    #[test]
    fn suggests_close_names_and_not_far_ones() {
        let names = ["title", "description", "language"];
        assert_eq!(did_you_mean("titel", names), Some("title"));
        assert_eq!(did_you_mean("LANGUAGE", names), Some("language"));
        assert_eq!(did_you_mean("descripton", names), Some("description"));
        assert_eq!(did_you_mean("xyz", names), None);
    }
}
