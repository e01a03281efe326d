//! Lints: findings that a configuration or key set will misbehave, before any token is judged.
//! Pure.

pub mod claims_map;
pub mod config;
pub mod ddn;
pub mod jsonpath;
pub mod keyset;
