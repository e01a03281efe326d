//! Hasura GraphQL Engine's view of a token: where its claims are, how they are encoded, and the
//! session they make.

pub mod claims;
pub mod refresh;
