//! Turning a report into output: one file per format.

pub mod human;
pub mod json;
