//! The network edge: HTTP fetching with jwtcheck's transport rules, the on-disk cache,
//! loading keys from wherever the options say, and the one loopback HTTP server (`server`) with
//! what runs on it (`login`'s callback listener, `serve-keys`; `jwtcheck ui` serves its page on
//! it from the command layer).

pub mod cache;
pub mod fetch;
pub mod keys;
pub mod keyserver;
pub mod listener;
pub mod server;
pub mod watch;
