//! Hasura GraphQL Engine's verdict on a token under a JWT configuration, step by step in the
//! engine's own order, with the error code and message it would return.
//!
//! Pure: the configuration(s), the keys, the request (token, how it was sent, `x-hasura-role`)
//! and the clock go in; checks, the engine's error (the first failing step) and the session come
//! out. Sources: research/hasura-jwt.md §2–§3 and the engine's JWT.hs (`processJwt_`,
//! `processHeaderSimple`, `verifyJwt`, `parseClaimsMap`, `parseHasuraClaims`).

mod errors;
mod extract;
mod registered;
mod route;
mod session;
mod signature;

use crate::report::Id;
use serde_json::{Map, Value};

use super::aeson;
use super::claims::{self as hclaims, Format, Shape};
use super::config::{Claims, ClaimsMap, JwtConfig, KeyConfig, Location, MapValue, Namespace};
use super::jose::{self, Decoded};
use crate::input::forms::Wrapper;
use crate::jose::claims::{TimeFailure, TimeProfile, audiences, time_checks};
use crate::jose::crypto::{self, Alg, CryptoError, Family};
use crate::jose::jwk::{Key, Material};
use crate::jose::select::{self as keys_select, KeyRule, key_info};
use crate::report::{Check, HasuraInfo, KeyInfo, Status};

use errors::*;
pub use errors::{EngineError, Messages};
use extract::*;
use registered::*;
pub use route::{same_place, select};
use session::*;
use signature::*;

/// The request as the engine receives it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The token text.
    pub token: &'a str,
    /// How the user gave it (a header line tells where it is sent).
    pub wrapper: &'a Wrapper,
    /// The `x-hasura-role` request header.
    pub role: Option<&'a str>,
}

/// The engine's verdict and the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// One check per step.
    pub checks: Vec<Check>,
    /// The first failing step's error: what the engine returns.
    pub error: Option<EngineError>,
    /// Claims, roles and session.
    pub info: HasuraInfo,
    /// The key that verified the signature.
    pub key: Option<KeyInfo>,
    /// Set when jwtcheck cannot reproduce a step (an algorithm or key it cannot check).
    pub undecidable: Option<String>,
}

/// Evaluates the token (as the engine reads it: `raw`) under one configuration.
pub fn evaluate(
    cfg: &JwtConfig,
    keys: &[Key],
    raw: &str,
    role: Option<&str>,
    now: f64,
    messages: Messages,
) -> Evaluation {
    let mut run = Run {
        checks: Vec::new(),
        error: None,
    };
    let mut info = HasuraInfo {
        location: match &cfg.claims {
            Claims::Namespace { ns, .. } => ns.describe(),
            Claims::Map(_) => "claims_map".into(),
        },
        ..HasuraInfo::default()
    };
    let mut eval = Evaluation {
        checks: Vec::new(),
        error: None,
        info: HasuraInfo::default(),
        key: None,
        undecidable: None,
    };
    run.push(Check::pass(
        Id::HasuraHeader,
        format!("sent as {}", cfg.location.describe()),
    ));

    let decoded = match jose::decode(raw) {
        Ok(d) => d,
        Err(e) if e.beyond_jwtcheck.is_some() => {
            run.push(Check::skip(e.about, format!("not checked: {}", e.plain)));
            eval.undecidable = e.beyond_jwtcheck;
            return finish(eval, run, info);
        }
        Err(e) => {
            run.fail(
                e.about,
                format!("Hasura cannot decode the token: {}", e.plain),
                e.hint,
                INVALID_JWT,
                format!("Could not verify JWT: {}", e.shown),
            );
            return finish(eval, run, info);
        }
    };
    signature(cfg, keys, &decoded, &mut run, &mut eval);
    times(cfg, &decoded.claims, now, &mut run);
    issuer_and_audience(cfg, &decoded.claims, &mut run);
    if let Some(session) = extract(cfg, &decoded.claims, &mut run, &mut info, messages) {
        roles_and_session(session, role, &mut run, &mut info, messages);
    }
    finish(eval, run, info)
}

fn finish(mut eval: Evaluation, run: Run, mut info: HasuraInfo) -> Evaluation {
    info.engine_error = run.error.as_ref().map(|e| e.message.clone());
    info.engine_code = run.error.as_ref().map(|e| e.code.to_string());
    info.engine_response = run.error.as_ref().map(EngineError::response);
    if run.error.is_some() {
        // A rejected request has no session.
        info.role = None;
        info.session_variables.clear();
    }
    eval.checks = run.checks;
    eval.error = run.error;
    eval.info = info;
    eval
}

#[cfg(test)]
mod tests;
