//! Integration tests: each drives the real `castkit` binary in a temporary folder.

mod architecture;
mod build_feed;
mod cache;
mod catalogue_errors;
mod companions;
mod conventions;
mod diff;
mod hosted;
mod import;
mod import_podcasting;
mod init;
mod integrity;
mod paging;
mod partytime;
mod podcast_namespace;
mod podcasting;
mod probe;
mod probe_mp4;
mod probe_vorbis;
mod readme;
mod rules;
mod serve;
mod support;
mod tag;
mod tag_readers;
mod validate;
