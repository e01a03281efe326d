//! The network edge: HTTP fetching with jwtcheck's transport rules, the on-disk cache,
//! loading keys from wherever the options say, and the loopback listeners (`login`'s callback,
//! `serve-keys`).

pub mod cache;
pub mod fetch;
pub mod keys;
pub mod keyserver;
pub mod listener;
pub mod server;
pub mod watch;
