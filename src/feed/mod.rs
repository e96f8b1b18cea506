//! The feed: the model of a podcast RSS channel, how castkit builds it from the catalogue, its rendering to
//! XML, and reading feeds back.

pub mod build;
pub mod model;
pub mod parse;
pub mod render;
