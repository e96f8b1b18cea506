//! The catalogue: `episodes.toml` read into a checked model of the show and its episodes.

use crate::diag::Rule;

/// The rules the catalogue check reports under.
pub static RULES: &[&Rule] = &[];
