//! The integration tests, as one binary: each file is a module, and `support` holds what they
//! share (the built binary with a clean environment, fixtures, a loopback HTTP server, the
//! JSON Schema check). One binary links aws-lc, reqwest and tokio once instead of once per file.

// Test code: a failed unwrap or index is the test failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

mod attacks;
mod batch;
mod cache_safety;
mod catalogue;
mod check;
mod config_mistakes;
mod conformance;
mod ddn;
mod decode;
mod defects;
mod devkit;
mod diagnosis;
mod docs;
mod ecosystem;
mod exchange;
mod faults;
mod fetch;
mod fidelity;
mod from_url;
mod hasura;
mod integrations;
mod jwks;
mod layers;
mod life;
mod login;
mod pasting;
mod pathological;
mod properties;
mod realconf;
mod release;
mod robustness;
mod setup;
mod ui;
mod verify;
