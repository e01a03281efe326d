//! Hasura GraphQL Engine's view of a token: where its claims are, how they are encoded, and the
//! session they make.

pub mod aeson;
pub mod chars;
pub mod claims;
pub mod config;
pub mod crypton;
pub mod engine;
pub mod jose;
pub mod jsonpath;
pub mod jwks;
pub mod refresh;
pub mod uri;
