//! Registered claims as jose validates them: times with `allowed_skew` (the shared validator in
//! `jose::claims`, with the engine's profile), then issuer and audience.

use super::config::JwtConfig;
use super::errors::INVALID_JWT;
use super::errors::V2Steps;
use crate::jose::claims::{TimeFailure, TimeProfile, audiences, time_checks};
use crate::report::{Check, Id};
use serde_json::{Map, Value};

/// The engine's time rules (jose's `validateClaimsSet`): `exp` optional, `allowed_skew` on
/// every time, `iat` checked before `nbf`.
pub(super) fn time_profile(cfg: &JwtConfig) -> TimeProfile {
    TimeProfile {
        skew: cfg.skew(),
        skew_name: "allowed_skew",
        no_exp: Check::warn(
            Id::Exp,
            "no exp: Hasura accepts a token that never expires",
            "issuers should always set exp",
        ),
        expired_hint: "get a new token (sign in again or refresh); if clocks disagree, raise allowed_skew",
        not_yet_hint: "wait, or check the clocks (allowed_skew)",
        future_hint: "the issuer's clock or Hasura's is off: fix the clock or set allowed_skew",
        iat_before_nbf: true,
        huge_times: true,
    }
}

pub(super) fn times(cfg: &JwtConfig, claims: &Map<String, Value>, now: f64, run: &mut V2Steps) {
    for t in time_checks(claims, &time_profile(cfg), now) {
        match t.failure {
            None => run.note(t.check),
            Some(failure) => {
                let engine = match failure {
                    TimeFailure::Expired => "Could not verify JWT: JWTExpired",
                    TimeFailure::NotYetValid => "Could not verify JWT: JWTNotYetValid",
                    TimeFailure::IssuedInFuture => "Could not verify JWT: JWTIssuedAtFuture",
                };
                run.refuse_with(t.check, INVALID_JWT, engine);
            }
        }
    }
}

pub(super) fn issuer_and_audience(cfg: &JwtConfig, claims: &Map<String, Value>, run: &mut V2Steps) {
    let iss = claims.get("iss").and_then(Value::as_str);
    match (&cfg.issuer, iss) {
        (Some(want), Some(got)) if want != got => run.refuse(
            Id::Iss,
            format!("issuer is {got:?}, the configuration expects {want:?}"),
            "the token comes from another issuer",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInIssuer",
        ),
        (Some(want), Some(_)) => run.note(Check::pass(Id::Iss, format!("issuer {want}"))),
        (Some(want), None) => run.note(Check::warn(
            Id::Iss,
            format!("no iss in the token: Hasura's issuer check ({want}) lets it through"),
            "tokens should name their issuer",
        )),
        (None, got) => run.note(Check::warn(
            Id::Iss,
            match got {
                Some(g) => format!("no issuer in the configuration: Hasura accepts any issuer (the token says {g:?})"),
                None => "no issuer in the configuration, and none in the token".to_string(),
            },
            "set \"issuer\" in HASURA_GRAPHQL_JWT_SECRET",
        )),
    }
    // jose has read aud as StringOrURI or a list of them before this step.
    let aud = audiences(claims).ok().flatten();
    let access = claims.get("token_use").and_then(Value::as_str) == Some("access");
    match (&cfg.audience, aud) {
        (Some(want), Some(got)) if got.iter().any(|a| want.iter().any(|w| w == a)) => {
            run.note(Check::pass(Id::Aud, format!("audience {}", got.join(", "))));
        }
        (_, Some(got)) if got.is_empty() => run.refuse(
            Id::Aud,
            "aud is an empty list, which no audience check passes",
            "remove aud or list the audience",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInAudience",
        ),
        (Some(want), Some(got)) => run.refuse(
            Id::Aud,
            format!("audience is {}, the configuration expects {}", got.join(", "), want.join(" or ")),
            "the token was issued for another app client; for Cognito, the audience is the app client id",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInAudience",
        ),
        (Some(want), None) => run.note(Check::warn(
            Id::Aud,
            format!("no aud in the token: Hasura's audience check ({}) lets it through", want.join(", ")),
            if access {
                "Cognito access tokens have no aud (they carry client_id), so the audience setting does not restrict them: any app client's access token passes"
            } else {
                "tokens without aud pass any audience setting"
            },
        )),
        (None, Some(got)) => run.note(Check::warn(
            Id::Aud,
            format!("no audience in the configuration: Hasura accepts any audience (the token is for {})", got.join(", ")),
            "set \"audience\" to the app client id so that tokens of other clients are refused",
        )),
        (None, None) => {}
    }
}
