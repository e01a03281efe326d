//! Hasura GraphQL Engine's view of a token: where its claims are, how they are encoded, and the
//! session they make. `v2` models Hasura v2 (`HASURA_GRAPHQL_JWT_SECRET`), `ddn` Hasura DDN's v3
//! engine (`AuthConfig`); what both read (the claims namespace, JSONPath, Haskell's character
//! classes) and what both answer (the request, the evaluation and its step recorder) sit here.

pub mod chars;
pub mod claims;
pub mod ddn;
pub mod evaluation;
pub mod jsonpath;
pub mod v2;
