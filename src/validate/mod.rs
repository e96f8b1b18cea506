//! Validation of any podcast feed: each rule has a stable code, a severity and a reason.

use crate::diag::Rule;

/// The rules the feed validator reports under.
pub static RULES: &[&Rule] = &[];
