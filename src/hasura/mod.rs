//! Hasura GraphQL Engine's view of a token: where its claims are, how they are encoded, and the
//! session they make. `engine` models v2 (`HASURA_GRAPHQL_JWT_SECRET`), `ddn` Hasura DDN's v3
//! engine (`AuthConfig`).

pub mod aeson;
pub mod chars;
pub mod claims;
pub mod config;
pub mod crypton;
pub mod ddn;
pub mod engine;
pub mod hspem;
pub mod jose;
pub mod jsonpath;
pub mod jwks;
pub mod refresh;
pub mod uri;
