//! The feed as XML: the model of a podcast RSS channel ([`model`]), its rendering to bytes ([`render`]), and
//! reading any feed back with source positions ([`parse`]). Only this module knows XML syntax; what a feed
//! says about a show is decided by the `build` module, above this one.

pub mod model;
pub mod parse;
pub mod render;
