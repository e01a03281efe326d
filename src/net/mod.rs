//! The network edge: HTTP fetching with jwtcheck's transport rules, the on-disk cache, and
//! loading keys from wherever the options say.

pub mod cache;
pub mod fetch;
pub mod keys;
pub mod listener;
