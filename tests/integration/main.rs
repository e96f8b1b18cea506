//! Integration tests: each drives the real `castkit` binary in a temporary folder.

mod architecture;
mod build_feed;
mod catalogue_errors;
mod companions;
mod probe;
mod probe_vorbis;
mod readme;
mod rules;
mod support;
mod tag;
mod validate;
