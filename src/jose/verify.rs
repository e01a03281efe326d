//! jwtcheck's own verifier (the `strict` profile): algorithm, critical extensions, key
//! selection ([`super::select`]), signature, then the claims ([`super::claims`]), each a check
//! with a hint.
//!
//! Pure: takes the token, the keys, the rules and the clock.

use serde_json::{Map, Value};

use super::claims::{Rules, claim_checks};
use super::select::{KeyRule, Keys, key_info, select};
use crate::jose::crypto::{self, Alg, CryptoError};
use crate::jose::json::type_name;
use crate::jose::jwk::{Key, Material};
use crate::jose::token::Jws;
use crate::report::{Check, Id, KeyInfo, Status};

/// What verification found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// The key used, when one was selected.
    pub key: Option<KeyInfo>,
    /// The token names a `kid` the key set does not have (a refetch may help).
    pub kid_miss: bool,
    /// Why the signature could not be checked at all (an RSA key the crypto library does not
    /// verify with), with what to do: nobody can tell from here whether the token is valid.
    pub undecidable: Option<(String, String)>,
}

/// Why a signature by this key does not verify: for a secret, say that the secrets differ (with
/// a fingerprint of the configured one, never the secret).
pub fn mismatch_hint(key: &Key) -> String {
    match &key.material {
        Material::Secret(secret) => format!(
            "the token was signed with another secret than this one ({}): compare fingerprints with the issuer's secret (printf %s \"$SECRET\" | sha256sum), or the token was altered",
            crypto::fingerprint(secret)
        ),
        Material::Public(_) => {
            "the token was altered after signing, or signed by a different key with the same kid"
                .into()
        }
    }
}

/// Header parameters defined by RFC 7515/7516/7518; `crit` must not list them.
const REGISTERED_HEADER: [&str; 13] = [
    "alg", "enc", "zip", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// What to do about an RSA key jwtcheck's crypto library does not verify with.
const UNSUPPORTED_RSA: &str = "jwtcheck verifies with RSA keys of 2048 to 8192 bits and exponents up to 33 bits; it cannot say whether this signature is valid, and other verifiers (Hasura v2's among them) may accept it: verify with the engine itself (prefer RSA-2048 to 4096 with e = 65537)";

/// Verifies a token against keys and rules.
pub fn verify(jws: &Jws, keys: Option<&Keys<'_>>, rules: &Rules, now: f64) -> Outcome {
    let mut checks = Vec::with_capacity(12 + jws.duplicates.len());
    checks.extend(duplicate_checks(jws, Status::Fail));
    let mut out = Outcome {
        checks,
        key: None,
        kid_miss: false,
        undecidable: None,
    };
    let alg = alg_check(jws, &mut out.checks);
    out.checks.extend(crit_check(&jws.header));
    match (alg, keys) {
        (Some(alg), Some(keys)) => {
            let rule = KeyRule::Strict {
                provenance: keys.provenance,
                unusable: &keys.set.unusable,
                allow_weak_secret: rules.allow_weak_secret,
            };
            let mut selection = select(&jws.header, alg, &keys.set.keys, rule);
            match (selection.refusal, selection.candidates.first()) {
                (None, Some(key)) => {
                    out.checks.append(&mut selection.notes);
                    out.key = Some(key_info(
                        key,
                        alg,
                        keys.source.to_string(),
                        keys.fetched.map(str::to_string),
                    ));
                    match crypto::unsupported_rsa(key) {
                        Some(why) => {
                            let e = CryptoError::UnsupportedRsa(why);
                            out.checks
                                .push(Check::warn(Id::Key, e.to_string(), UNSUPPORTED_RSA));
                            out.checks.push(Check::skip(
                                Id::Signature,
                                "not checked: jwtcheck cannot verify with this key",
                            ));
                            out.undecidable = Some((e.to_string(), UNSUPPORTED_RSA.into()));
                        }
                        None => out.checks.push(signature_check(jws, alg, key)),
                    }
                }
                (refusal, _) => {
                    if let Some(r) = refusal {
                        out.kid_miss = r.kid_miss;
                        out.checks.push(r.check);
                    }
                    out.checks
                        .push(Check::skip(Id::Signature, "not checked: no usable key"));
                }
            }
        }
        (None, _) => out.checks.push(Check::skip(
            Id::Signature,
            "not checked: the algorithm is not acceptable",
        )),
        (Some(_), None) => out.checks.push(Check::skip(
            Id::Signature,
            "not checked: the token fails before its keys matter (keys were not fetched)",
        )),
    }
    if let Some(claims) = jws.claims() {
        claim_checks(claims, rules, now, &mut out.checks);
    }
    out
}

/// Whether the token can pass at all, so that fetching keys for it is worth it: an acceptable
/// `alg`, no critical extension, no duplicated member name.
pub fn keys_needed(jws: &Jws) -> bool {
    jws.alg().and_then(Alg::parse).is_some()
        && crit_check(&jws.header).is_none()
        && jws.duplicates.is_empty()
}

fn alg_check(jws: &Jws, checks: &mut Vec<Check>) -> Option<Alg> {
    let hint = "Cognito signs with RS256; a verifier accepts only an algorithm that fits its key";
    let check = match jws.header.get("alg") {
        None => Check::fail(Id::Alg, "the header has no alg", hint),
        Some(Value::String(a)) if a.eq_ignore_ascii_case("none") => Check::fail(
            Id::Alg,
            format!("alg {a:?}: an unsecured token; it never passes"),
            "a token without a signature proves nothing; get a signed token from the issuer",
        ),
        Some(Value::String(a)) => match Alg::parse(a) {
            Some(alg) => {
                checks.push(Check::pass(Id::Alg, format!("alg {a}")));
                return Some(alg);
            }
            None => Check::fail(
                Id::Alg,
                format!("alg {a:?} is not a signature algorithm jwtcheck verifies"),
                "supported: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, EdDSA (names are case-sensitive)",
            ),
        },
        Some(other) => Check::fail(
            Id::Alg,
            format!("alg is {}, not a string", type_name(other)),
            hint,
        ),
    };
    checks.push(check);
    None
}

/// Critical extensions: jwtcheck (like Hasura) implements none, so any `crit` fails, and so does
/// `b64: false`, which changes what the signature covers.
pub fn crit_check(header: &Map<String, Value>) -> Option<Check> {
    let hint = "no JWT issuer (Cognito included) sets crit; a token that does is not one a JWT verifier can accept";
    if let Some(b64) = header.get("b64")
        && b64 != &Value::Bool(true)
    {
        return Some(Check::fail(
            Id::Crit,
            format!(
                "b64: {b64}: an unencoded payload (RFC 7797) is not a JWT; the signature would cover different bytes"
            ),
            hint,
        ));
    }
    let crit = header.get("crit")?;
    let malformed = |why: String| {
        Some(Check::fail(
            Id::Crit,
            format!("malformed crit: {why}"),
            hint,
        ))
    };
    let Value::Array(items) = crit else {
        return malformed(format!("it is {}, not an array", type_name(crit)));
    };
    if items.is_empty() {
        return malformed("it is empty (RFC 7515 §4.1.11 forbids that)".into());
    }
    let mut names: Vec<&str> = Vec::new();
    for item in items {
        let Value::String(name) = item else {
            return malformed(format!("it lists {}, not a name", type_name(item)));
        };
        if names.contains(&name.as_str()) {
            return malformed(format!("it lists {name:?} twice"));
        }
        if REGISTERED_HEADER.contains(&name.as_str()) {
            return malformed(format!(
                "it lists {name:?}, a parameter of the JWS standard itself"
            ));
        }
        if !header.contains_key(name) {
            return malformed(format!(
                "it lists {name:?}, which the header does not carry"
            ));
        }
        names.push(name);
    }
    Some(Check::fail(
        Id::Crit,
        format!(
            "crit lists extensions jwtcheck does not implement: {}",
            names.join(", ")
        ),
        "a verifier must reject a token whose critical extensions it does not understand (RFC 7515 §4.1.11); Hasura rejects it too",
    ))
}

/// A key as a message names it: `key "kid"`, or `the key`. Written into each message, not
/// built apart, so a signature that verifies costs one string.
struct Which<'k>(&'k Key);

impl std::fmt::Display for Which<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.kid {
            Some(kid) => write!(f, "key {kid:?}"),
            None => f.write_str("the key"),
        }
    }
}

fn signature_check(jws: &Jws, alg: Alg, key: &Key) -> Check {
    let which = Which(key);
    if let Some(why) = key.weakness() {
        return Check::fail(
            Id::Key,
            format!("{which} is weak: {why}"),
            "a signature by this key proves nothing: replace the key (and revoke it)",
        );
    }
    if !key.private_members.is_empty() {
        return Check::fail(
            Id::Key,
            format!(
                "{which} is published with its private part ({}): anyone who can read the key set could have signed this token",
                key.private_members.join(", ")
            ),
            "remove private members from the key set and rotate the key: it is compromised",
        );
    }
    match crypto::verify(alg, key, jws.signing_input().as_bytes(), &jws.signature) {
        Ok(true) => Check::pass(
            Id::Signature,
            format!("{} signature verified with {which}", alg.name()),
        ),
        Ok(false) if jws.signature.is_empty() => Check::fail(
            Id::Signature,
            "the signature segment is empty",
            "a signed token has three non-empty segments; this one was stripped of its signature",
        ),
        Ok(false) => match crypto::truncation(alg, &[key], &jws.signature) {
            Some(cut) => Check::fail(Id::Signature, cut, crate::jose::token::CUT_HINT),
            None => Check::fail(
                Id::Signature,
                format!("the {} signature does not verify with {which}", alg.name()),
                mismatch_hint(key),
            ),
        },
        Err(e @ CryptoError::WeakRsa(_)) => Check::fail(
            Id::Key,
            e.to_string(),
            "use an RSA key of at least 2048 bits",
        ),
        Err(e @ CryptoError::UnsupportedRsa(_)) => {
            Check::fail(Id::Key, e.to_string(), UNSUPPORTED_RSA)
        }
        Err(e) => Check::fail(
            Id::Signature,
            e.to_string(),
            "check the key type against the token's alg",
        ),
    }
}

/// One check per duplicated member name, at the given severity.
pub fn duplicate_checks(jws: &Jws, status: Status) -> Vec<Check> {
    jws.duplicates
        .iter()
        .map(|d| {
            Check::new(
                Id::Format,
                status,
                format!(
                    "duplicate member name {} in the {}: parsers disagree on which value wins",
                    d.path, d.segment
                ),
            )
            .with_hint(
                "a genuine issuer never writes a name twice; treat this token as forged or broken",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn crit_rules() {
        let fails = [
            json!({"alg":"HS256","crit":["foo"],"foo":1}),
            json!({"alg":"HS256","crit":[]}),
            json!({"alg":"HS256","crit":["alg"]}),
            json!({"alg":"HS256","crit":["foo"]}),
            json!({"alg":"HS256","crit":"foo","foo":1}),
            json!({"alg":"HS256","crit":["foo","foo"],"foo":1}),
            json!({"alg":"HS256","b64":false,"crit":["b64"]}),
            json!({"alg":"HS256","b64":false}),
        ];
        for h in fails {
            let c = crit_check(&obj(h.clone())).unwrap_or_else(|| panic!("{h}"));
            assert_eq!(c.status, Status::Fail, "{h}");
        }
        assert_eq!(crit_check(&obj(json!({"alg":"HS256"}))), None);
    }
}
