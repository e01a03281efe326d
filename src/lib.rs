//! jwtcheck: will Hasura accept this JWT, and if not, why?
//!
//! The library holds everything; `src/main.rs` only parses the command line, runs it and maps
//! the verdict to an exit code. One judge (`judge`) decides every token for every command.
//!
//! Layers, lowest first (a module imports only lower ones; `tests/it/layers.rs` enforces it and
//! finds import circles): `clock`, `http` → `report`, `cognito` → `input` → `jose` → `policy`,
//! `hasura` → `devkit`, `inspect`, `lint`, `settings` → `judge` → `net`, `setup` → `cli` →
//! `render` → `commands`.
//!
//! Everything below `net` does no I/O and takes the clock as a parameter, as do
//! `input::forms`, `input::callback` and `input::paste`; the edges (`net`, `cli`, `commands`,
//! `input` reading, `render`) read files, the environment and the network.

pub mod cli;
pub mod clock;
pub mod cognito;
pub mod commands;
pub mod devkit;
pub mod hasura;
pub mod http;
pub mod input;
pub mod inspect;
pub mod jose;
pub mod judge;
pub mod lint;
pub mod net;
pub mod policy;
pub mod render;
pub mod report;
pub mod settings;
pub mod setup;
