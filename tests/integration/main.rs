//! Integration tests: each drives the real `castkit` binary in a temporary folder.

mod support;
