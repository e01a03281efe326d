//! JOSE as jwtcheck reads it: strict base64url and JSON, the compact JWS, keys (JWK, PEM),
//! algorithms and signatures, and the verifier's own rules. Pure: no I/O, the clock is a
//! parameter.

pub mod base64url;
pub mod claims;
pub mod claimset;
pub mod crypto;
pub mod json;
pub mod jwk;
pub mod pem;
pub mod select;
pub mod token;
pub mod verify;
