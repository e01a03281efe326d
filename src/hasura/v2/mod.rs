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

pub mod aeson;
pub mod config;
pub mod crypton;
pub mod hsjose;
pub mod hspem;
pub mod jwks;
pub mod refresh;
pub mod uri;

use crate::hasura::evaluation::Evaluation;
use crate::jose::jwk::Key;
use crate::report::{Check, HasuraInfo, Id};
use config::{Claims, JwtConfig};

use errors::{INVALID_JWT, V2Steps};
pub use errors::{Messages, response};
use extract::extract;
use registered::{issuer_and_audience, times};
pub use route::{same_place, select};
use session::roles_and_session;
use signature::signature;

/// Evaluates the token (as the engine reads it: `raw`) under one configuration.
pub fn evaluate(
    cfg: &JwtConfig,
    keys: &[Key],
    raw: &str,
    role: Option<&str>,
    now: f64,
    messages: Messages,
) -> Evaluation {
    let mut run = V2Steps::default();
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
    run.note(Check::pass(
        Id::HasuraHeader,
        format!("sent as {}", cfg.location.describe()),
    ));

    let decoded = match hsjose::decode(raw) {
        Ok(d) => d,
        Err(e) if e.beyond_jwtcheck.is_some() => {
            run.note(Check::skip(e.about, format!("not checked: {}", e.plain)));
            eval.undecidable = e.beyond_jwtcheck;
            return finish(eval, run, info);
        }
        Err(e) => {
            run.refuse(
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

fn finish(mut eval: Evaluation, run: V2Steps, mut info: HasuraInfo) -> Evaluation {
    info.engine_error = run.answer.as_ref().map(|e| e.message.clone());
    info.engine_code = run.answer.as_ref().map(|e| e.code.to_string());
    info.engine_response = run.answer.as_ref().map(response);
    if run.answer.is_some() {
        // A rejected request has no session.
        info.role = None;
        info.session_variables.clear();
    }
    eval.checks = run.checks;
    eval.error = run.answer;
    eval.info = info;
    eval
}

#[cfg(test)]
mod tests;
