//! jwtcheck: will Hasura accept this JWT, and if not, why?
//!
//! The library holds everything; `src/main.rs` only parses the command line, runs it and maps
//! the verdict to an exit code. The core (`token`, `json`, `inspect`, `hasura`, `report`) does no
//! I/O and takes the clock as a parameter; `input`, `commands` and `render` are the edges.

pub mod base64url;
pub mod cache;
pub mod callback;
pub mod claims;
pub mod cli;
pub mod clock;
pub mod cognito;
pub mod commands;
pub mod config;
pub mod crypto;
pub mod fetch;
pub mod hasura;
pub mod input;
pub mod inspect;
pub mod json;
pub mod jwk;
pub mod keylint;
pub mod keysource;
pub mod lint;
pub mod pem;
pub mod policy;
pub mod render;
pub mod report;
pub mod token;
pub mod verify;
