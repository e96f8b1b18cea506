//! castkit: build, tag, probe and validate podcast feeds from a TOML catalogue.
//!
//! The library is the whole tool; the `castkit` binary is a thin command-line layer over it. Data flows one
//! way through modules named after the pipeline's stages:
//!
//! ```text
//! episodes.toml ─load─▶ Catalogue ─probe─▶ AudioFacts ─tag─▶ (files) ─build─▶ Channel ─render─▶ feed.xml
//! feed.xml ─decode, parse─▶ roxmltree::Document ─validate─▶ diagnostics
//! ```
//!
//! - [`catalogue`] reads `episodes.toml` into a checked model, reporting every mistake with its line.
//! - [`audio`] probes audio files (exact MP3 frame walk; symphonia for other containers) and writes ID3 tags.
//! - [`feed`] turns the model into an RSS 2.0 podcast feed and reads feeds back with source positions.
//! - [`site`] writes the show's website next to the feed (show page, episode pages with a seeking player).
//! - [`diff`] compares two feeds (the published one and the next release) for changes that break subscribers.
//! - [`validate`] checks any podcast feed against Apple's, RSS 2.0's and the Podcasting 2.0 rules.
//! - [`diag`] holds diagnostics (stable codes, severities, positions) and their renderers; it names no rule set.
//! - [`registry`] lists every rule of every set, for `castkit validate --explain` and the README.
//! - [`init`] scaffolds a first `episodes.toml` from the audio in a show's `media/` folder (`castkit init`).
//! - [`fetch`] fetches published feeds over HTTP(S): redirects, timeouts, conditional requests, gzip, a size cap.
//! - [`fsutil`] holds the one atomic-write helper every writer uses, and finds castkit's cache folder.
//! - [`error`] shows an error with its causes, each once.

pub mod audio;
pub mod build;
pub mod catalogue;
pub mod chapters;
pub mod diag;
pub mod diff;
pub mod error;
pub mod exit;
pub mod feed;
pub mod fetch;
pub mod fsutil;
pub mod image;
pub mod import;
pub mod init;
pub mod online;
pub mod registry;
pub mod serve;
pub mod site;
pub mod text;
pub mod transcripts;
pub mod validate;
pub mod vocab;

pub use exit::ExitStatus;
