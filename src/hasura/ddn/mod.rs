//! Hasura DDN's verdict on a token under its `AuthConfig`, step by step in the v3 engine's
//! order, with the HTTP status and message it would answer.
//!
//! The engine (`v3/crates/auth/hasura-authn-jwt/src/{jwt,auth}.rs`,
//! `v3/crates/auth/hasura-authn-core/src/lib.rs`) takes the token from where `tokenLocation`
//! says, builds the key (`fixed`, or the `jwkFromUrl` set fetched on every request and the key
//! whose `kid` the header names), then calls the `jsonwebtoken` 9 crate's `decode` (header,
//! algorithm, signature, then `exp` with a 60 s default leeway, `iss`, `aud`; never `nbf` or
//! `iat`), reads the Hasura claims at a JSON pointer or per-claim `locations`, and resolves the
//! role from the `x-hasura-role` header. Pure: configuration, keys, request and clock in.

mod claims;
pub mod config;
mod decode;
mod documents;
pub mod jwks;
mod location;
mod mode;
mod position;
mod read;
pub mod translate;

use serde_json::Value;

use crate::hasura::evaluation::{EngineError, Evaluation, Request, Steps};
use crate::jose::jwk::Key;
use crate::report::HasuraInfo;

pub use config::{AudienceMode, ClaimsFormat, DdnClaims, DdnConfig, DdnKey, TokenLocation};
pub use decode::fixed_key;

/// Why DDN accepts no token of an RSA key under 2048 bits (its JWT library verifies RSA with
/// ring's 2048-to-8192-bit algorithms), where Hasura v2 verifies with the key.
pub const RSA_UNDER_2048: &str = "DDN's JWT library verifies with RSA keys of 2048 bits or more only, so DDN accepts none of its tokens";

/// Why DDN accepts no token of an RSA key over 8192 bits: ring's algorithms stop there too
/// (Hasura v2's crypton has no such limit).
pub const RSA_OVER_8192: &str = "DDN's JWT library verifies with RSA keys of at most 8192 bits only, so DDN accepts none of its tokens";

/// An RSA key DDN's JWT library never verifies with (ring's RSA algorithms take 2048 to 8192
/// bits; `jsonwebtoken` 9.3.1 answers `InvalidSignature` outside, whatever the signature): its
/// size and why.
pub fn rsa_size_refusal(key: &crate::jose::jwk::Key) -> Option<(usize, &'static str)> {
    let bits = key.bits().filter(|_| key.kty() == "RSA")?;
    if bits < 2048 {
        Some((bits, RSA_UNDER_2048))
    } else if bits > 8192 {
        Some((bits, RSA_OVER_8192))
    } else {
        None
    }
}

/// An HTTP status and the message the engine answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    status: u16,
    message: String,
}

impl Answer {
    fn bad_request(message: impl Into<String>) -> Answer {
        Answer {
            status: 400,
            message: message.into(),
        }
    }

    /// `Error::Internal`: HTTP 500, the message prefixed `Internal Error - `.
    fn internal(message: impl AsRef<str>) -> Answer {
        Answer {
            status: 500,
            message: format!("Internal Error - {}", message.as_ref()),
        }
    }

    /// `Error::JWTValidationError` (400) for the library's client-side kinds.
    fn validation(kind: &str) -> Answer {
        Answer::bad_request(format!("JWT validation error: {kind}"))
    }

    /// `InternalError::JWTDecodingError` (500) for the library's other kinds.
    fn decoding(detail: impl AsRef<str>) -> Answer {
        Answer::internal(format!("Error while decoding the JWT: {}", detail.as_ref()))
    }
}

/// The keys the engine has: the `fixed` key, or the `jwkFromUrl` set (the parsed keys and the
/// document as served, which the engine's JWK reader judges as a whole).
#[derive(Debug, Clone, Copy)]
pub struct DdnKeys<'a> {
    /// Keys jwtcheck read.
    pub keys: &'a [Key],
    /// The key set document, for `jwkFromUrl`.
    pub document: Option<&'a Value>,
    /// The non-success HTTP status the `jwkFromUrl` answered instead of a key set.
    pub unsuccessful: Option<u16>,
    /// Why the body the `jwkFromUrl` answered is not JSON (a byte order mark, text after the
    /// value, a syntax error), when it is not.
    pub undecodable: Option<&'a str>,
}

/// DDN's steps so far (see [`Steps`]), its answer an HTTP status and message.
pub(crate) type DdnSteps = Steps<Answer>;

/// Evaluates the request as Hasura DDN would.
pub fn evaluate(cfg: &DdnConfig, keys: DdnKeys<'_>, req: &Request<'_>, now: f64) -> Evaluation {
    let mut steps = DdnSteps::default();
    let mut info = HasuraInfo {
        engine: Some("ddn".into()),
        location: match &cfg.claims {
            DdnClaims::Namespace { location, .. } => format!("namespace location {location:?}"),
            DdnClaims::Locations(_) => "claimsConfig.locations".into(),
        },
        ..HasuraInfo::default()
    };
    let mut key_info = None;
    if let Some(token) = location::token(cfg, req, &mut steps)
        && let Some(claims) = decode::decode(cfg, keys, &token, now, &mut steps, &mut key_info)
        && let Some(hasura) = claims::extract(cfg, &claims, &mut steps, &mut info)
    {
        claims::identity(cfg, &hasura, req.role, &mut steps, &mut info);
    }
    finish(steps, info, key_info)
}

fn finish(
    steps: DdnSteps,
    mut info: HasuraInfo,
    key: Option<crate::report::KeyInfo>,
) -> Evaluation {
    let error = steps.answer.map(|a| {
        info.engine_code = Some(a.status.to_string());
        info.engine_error = Some(a.message.clone());
        info.engine_response =
            Some(serde_json::json!({"errors": [{"message": a.message}]}).to_string());
        info.role = None;
        info.session_variables.clear();
        EngineError {
            code: status_name(a.status),
            message: a.message,
        }
    });
    Evaluation {
        checks: steps.checks,
        error,
        info,
        key,
        undecidable: None,
    }
}

fn status_name(status: u16) -> &'static str {
    match status {
        400 => "400",
        401 => "401",
        _ => "500",
    }
}

#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod tests;
