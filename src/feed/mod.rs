//! The feed: the model of a podcast RSS channel, its rendering to XML, and reading feeds back.

pub mod vocab;
