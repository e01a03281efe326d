//! The signature step as hs-jose does it: every key whose family fits is tried (see
//! `jose::select`, `KeyRule::EveryKey`).

use super::config::{JwtConfig, KeyConfig};
use super::crypton;
use super::errors::INVALID_JWT;
use super::errors::V2Steps;
use super::hsjose::Decoded;
use crate::hasura::evaluation::Evaluation;
use crate::jose::crypto::{self, Alg, CryptoError, Family};
use crate::jose::jwk::{Key, Material};
use crate::jose::select::{self as keys_select, KeyRule, key_info};
use crate::jose::token::CUT_HINT;
use crate::report::{Check, Id};
use serde_json::Value;

/// The signature as the engine checks it, in jose's order (none, no keys, the algorithm, every
/// key): jose's key compatibility (the family must fit, an HMAC key must be at least as long as
/// the hash; `kid`, `use`, `key_ops` and a JWK's `alg` are ignored), every fitting key tried.
pub(super) fn signature(
    cfg: &JwtConfig,
    keys: &[Key],
    d: &Decoded,
    run: &mut V2Steps,
    eval: &mut Evaluation,
) {
    let Some(alg) = acceptable_alg(keys, d, run, eval) else {
        return;
    };
    let candidates = keys_select::select(&d.header, alg, keys, KeyRule::EveryKey).candidates;
    let (verified, weak) = first_verifying(alg, candidates, d);
    let token_kid = d.header.get("kid").and_then(Value::as_str);
    match verified {
        Some((k, non_canonical)) => {
            passed(alg, k, token_kid, non_canonical, run);
            eval.key = Some(key_info(k, alg, source_of(cfg), None));
        }
        None if weak => {
            eval.undecidable = Some(
                "the key set has RSA keys jwtcheck cannot verify with (under 2048 or over 8192 bits, or an exponent over 33 bits)"
                    .into(),
            );
            run.note(Check::skip(
                Id::Signature,
                "RSA keys under 2048 or over 8192 bits (or with an exponent over 33 bits) cannot be checked by jwtcheck",
            ));
        }
        None => refused(cfg, alg, keys, token_kid, d, run),
    }
}

/// The first candidate that verifies the signature (with why its encoding is not canonical, when
/// only the engine's reading verifies it), and whether a key could not be tried at all.
fn first_verifying<'k>(
    alg: Alg,
    candidates: Vec<&'k Key>,
    d: &Decoded,
) -> (Option<(&'k Key, Option<String>)>, bool) {
    let mut weak = false;
    let verified = candidates.into_iter().find_map(|k| {
        match crypto::verify(alg, k, d.signing_input.as_bytes(), &d.signature) {
            Ok(true) => Some((k, None)),
            Err(CryptoError::WeakRsa(_) | CryptoError::UnsupportedRsa(_)) => {
                weak = true;
                None
            }
            // The engine's crypto also reads some non-canonical encodings.
            _ => {
                let (canon, why) = crypton::canonical(alg, k, &d.signature)?;
                matches!(
                    crypto::verify(alg, k, d.signing_input.as_bytes(), &canon),
                    Ok(true)
                )
                .then_some((k, Some(why)))
            }
        }
    });
    (verified, weak)
}

/// A verified signature, with warnings where a strict verifier would decide otherwise.
fn passed(
    alg: Alg,
    k: &Key,
    token_kid: Option<&str>,
    non_canonical: Option<String>,
    run: &mut V2Steps,
) {
    let which = k
        .kid
        .as_ref()
        .map(|kid| format!("key {kid:?}"))
        .unwrap_or_else(|| "the configured key".into());
    run.note(Check::pass(
        Id::Signature,
        format!("{} signature verified with {which}", alg.name()),
    ));
    if let (Some(tk), Some(kk)) = (token_kid, &k.kid)
        && tk != kk
    {
        run.note(Check::warn(
            Id::Key,
            format!("the token names kid {tk:?}, but key {kk:?} verified it"),
            "Hasura ignores kid and tries every key; a strict verifier would reject this token",
        ));
    }
    if let Some(why) = k.weakness() {
        run.note(Check::warn(
            Id::Key,
            format!("Hasura accepts signatures by this key, but it is weak: {why}"),
            "anyone may be able to sign tokens Hasura accepts: replace the key in the key set and revoke it",
        ));
    }
    if let Some(why) = non_canonical {
        run.note(Check::warn(
            Id::Signature,
            format!("the signature is not canonically encoded: {why}"),
            "Hasura's crypto accepts it, but strict verifiers (and jwtcheck without a Hasura configuration) reject it: fix the signer",
        ));
    }
}

/// No key verifies: a cause jwtcheck knows is named (a cut signature, another Cognito pool's
/// token, a public-key token against an HMAC secret), otherwise the likeliest one is hinted at.
fn refused(
    cfg: &JwtConfig,
    alg: Alg,
    keys: &[Key],
    token_kid: Option<&str>,
    d: &Decoded,
    run: &mut V2Steps,
) {
    let family: Vec<&Key> = keys
        .iter()
        .filter(|k| Family::of(k) == alg.family())
        .collect();
    let (message, hint) = match crypto::truncation(alg, &family, &d.signature) {
        Some(cut) => (cut, CUT_HINT.to_string()),
        None => named_cause(cfg, alg, keys, d).unwrap_or_else(|| {
            (
                format!("no configured key verifies the {} signature", alg.name()),
                no_key_hint(alg, keys, token_kid),
            )
        }),
    };
    run.refuse(
        Id::Signature,
        message,
        hint,
        INVALID_JWT,
        "Could not verify JWT: JWSError JWSInvalidSignature",
    );
}

/// The cause of a refused signature when the configuration and the token say it: the token's
/// Cognito pool is not the one whose keys `jwk_url` fetches, or the token is signed with a
/// public-key algorithm while the configuration holds only HMAC secrets.
fn named_cause(cfg: &JwtConfig, alg: Alg, keys: &[Key], d: &Decoded) -> Option<(String, String)> {
    let token_pool = d
        .claims
        .get("iss")
        .and_then(Value::as_str)
        .and_then(crate::cognito::pool_of_issuer);
    if let (Some(from), KeyConfig::Url(url)) = (&token_pool, &cfg.key)
        && let Some(fetched) = crate::cognito::pool_of_jwks(url)
        && fetched.id != from.id
    {
        return Some((
            format!(
                "the token comes from pool {}, but the configuration fetches pool {}'s keys",
                from.id, fetched.id
            ),
            format!(
                "to accept pool {}'s tokens set \"jwk_url\": {:?} (and \"issuer\": {:?}); or send a token of pool {}",
                from.id,
                from.jwks_url(),
                from.issuer(),
                fetched.id
            ),
        ));
    }
    let KeyConfig::Static { alg_type, .. } = &cfg.key else {
        return None;
    };
    if alg.family() == Family::Hmac {
        return None;
    }
    if keys.iter().any(|k| Family::of(k) != Family::Hmac) {
        // A fixed public key of the token's family that does not verify a Cognito token: the
        // pool signed it with another of its keys.
        let pool = token_pool.filter(|_| keys.iter().any(|k| Family::of(k) == alg.family()))?;
        let kid = d
            .header
            .get("kid")
            .and_then(Value::as_str)
            .map(|k| format!(" (kid {k:?})"))
            .unwrap_or_default();
        return Some((
            format!(
                "the one key fixed in the configuration does not verify this token of Cognito pool {}{kid}, which signs with several keys",
                pool.id
            ),
            format!(
                "{}: {}",
                crate::hasura::v2::config::COGNITO_KEYS,
                crate::hasura::v2::config::jwk_url_instead(&pool)
            ),
        ));
    }
    Some(match token_pool {
        Some(pool) => (
            format!(
                "the token is {} from Cognito pool {}, but the configuration holds an HMAC secret ({alg_type})",
                alg.name(),
                pool.id
            ),
            format!(
                "Cognito signs with its pool's RSA keys, which no secret verifies: {}",
                crate::hasura::v2::config::jwk_url_instead(&pool)
            ),
        ),
        None => (
            format!(
                "the token is {}, signed with a private key, but the configuration holds an HMAC secret ({alg_type})",
                alg.name()
            ),
            "no secret verifies a public-key signature: configure the issuer's key set (\"jwk_url\") or its public key (\"type\" and a PEM \"key\")".to_string(),
        ),
    })
}

pub(super) fn source_of(cfg: &JwtConfig) -> String {
    match &cfg.key {
        KeyConfig::Url(u) => format!("jwk_url {u}"),
        KeyConfig::Static { alg_type, .. } => format!("the configuration's key ({alg_type})"),
    }
}

/// The checks before any key is tried: `none`, an empty key set, an algorithm jwtcheck cannot
/// check (then the verdict is undecidable).
fn acceptable_alg(
    keys: &[Key],
    d: &Decoded,
    run: &mut V2Steps,
    eval: &mut Evaluation,
) -> Option<Alg> {
    if d.alg == "none" {
        run.refuse(
            Id::Alg,
            "alg none: an unsecured token",
            "Hasura accepts only signed tokens",
            INVALID_JWT,
            "Could not verify JWT: JWSError JWSNoSignatures",
        );
        return None;
    }
    if keys.is_empty() {
        run.refuse(
            Id::Key,
            "the key set is empty",
            "with jwk_url, Hasura has no keys until its first fetch (about a second after startup) or when the URL serves none",
            INVALID_JWT,
            "Could not verify JWT: JWSError NoUsableKeys",
        );
        return None;
    }
    let Some(alg) = Alg::parse(&d.alg) else {
        eval.undecidable = Some(format!(
            "jwtcheck cannot check {} signatures, which Hasura can",
            d.alg
        ));
        run.note(Check::skip(
            Id::Signature,
            format!("{} signatures cannot be checked by jwtcheck", d.alg),
        ));
        return None;
    };
    Some(alg)
}

/// Why no key verified, in the terms that fit: an unknown kid, key confusion, a short secret.
fn no_key_hint(alg: Alg, keys: &[Key], token_kid: Option<&str>) -> String {
    let kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
    match token_kid {
        Some(tk) if !kids.is_empty() && !kids.contains(&tk) => format!(
            "the token's kid {tk:?} is not in the key set ({}): it was signed by another pool or by a key Hasura has not fetched yet (Hasura refetches jwk_url only as its caching headers say, and never on an unknown kid)",
            kids.join(", ")
        ),
        _ if alg.family() == Family::Hmac && keys.iter().all(|k| Family::of(k) != Family::Hmac) => {
            format!(
                "alg {} needs an HMAC secret, but the configured keys are public keys: this token is forged or meant for another configuration",
                alg.name()
            )
        }
        _ if alg.hmac_min_len().is_some_and(|min| {
            keys.iter()
                .any(|k| matches!(&k.material, Material::Secret(s) if s.len() < min))
        }) =>
        {
            format!(
                "an HMAC key is shorter than the {} bytes {} needs: the engine counts it as a key that does not verify",
                alg.hmac_min_len().unwrap_or_default(),
                alg.name()
            )
        }
        _ if alg.family() == Family::Hmac => {
            let prints: Vec<String> = keys
                .iter()
                .filter_map(|k| match &k.material {
                    Material::Secret(s) => Some(crypto::fingerprint(s)),
                    Material::Public(_) => None,
                })
                .collect();
            format!(
                "the token was signed with another secret than the configuration's ({}): compare fingerprints with the issuer's secret (printf %s \"$SECRET\" | sha256sum), or the token was altered",
                prints.join(", ")
            )
        }
        _ => "the token was altered, or signed by a key that is not in the configuration".into(),
    }
}
