//! jwtcheck: will Hasura accept this JWT, and if not, why?
//!
//! The library holds everything; `src/main.rs` only parses the command line, runs it and maps
//! the verdict to an exit code. Data flows one way:
//!
//! `input` → `jose` (token, keys, signature, claims) → `hasura` / `cognito` → `policy` →
//! `report` → `render`
//!
//! The core (`jose`, `http`, `inspect`, `hasura`, `cognito`, `lint`, `policy`, `report`,
//! `clock`, `input::forms`, `input::callback`) does no I/O and takes the clock as a parameter;
//! the edges (`cli`, `commands`, `input` reading, `net`, `render`) read files, the environment
//! and the network. `tests/layers.rs` keeps it that way.

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
