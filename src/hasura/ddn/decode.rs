//! The key and `jsonwebtoken::decode` (version 9, the engine's): header, algorithm, signature,
//! payload, then `validate` over the registered claims with the engine's `Validation` (`exp`
//! required, leeway `allowedSkew` or 60 s, `nbf` and `iat` not checked, `iss` and `aud` as
//! configured). The library's error kinds map to HTTP 400 (token problems) or 500 (key and
//! decoding problems) as the engine's `categorize_jwt_error` does.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};
use serde_json::{Map, Value};

use super::jwks::{self, LibHeader, b64};
use super::position::{self, Mark};
use super::{Answer, AudienceMode, DdnConfig, DdnKey, DdnKeys, DdnSteps};
use crate::jose::crypto::{self, Alg, Family};
use crate::jose::jwk::{Key, Material, PublicKey};
use crate::report::{Check, Id, KeyInfo};

/// The key for this token and the algorithms it may verify, or the engine's error.
fn key_for<'k>(
    cfg: &DdnConfig,
    keys: DdnKeys<'k>,
    token: &str,
    steps: &mut DdnSteps,
) -> Option<(&'k Key, Vec<&'static str>)> {
    match &cfg.key {
        DdnKey::Fixed { algorithm, .. } => {
            let Some(key) = keys.keys.first() else {
                steps.fail(
                    Id::Key,
                    format!("the fixed key is not a {algorithm} key"),
                    fixed_key_hint(algorithm),
                    Answer::internal(
                        "Error while constructing the JWT decoding key: InvalidKeyFormat",
                    ),
                );
                return None;
            };
            let alg = super::config::ALGORITHMS
                .iter()
                .copied()
                .find(|a| a == algorithm)
                .unwrap_or("HS256");
            Some((key, vec![alg]))
        }
        DdnKey::JwkFromUrl(url) => jwks::key_for(url, keys, token, steps),
    }
}

fn fixed_key_hint(algorithm: &str) -> String {
    match algorithm.get(..2) {
        Some("HS") => "give the shared secret as key.value (or key.valueFromEnv)".into(),
        _ => format!("give a PEM public key (-----BEGIN PUBLIC KEY-----) that fits {algorithm}"),
    }
}

/// Verifies and validates the token; its claims when the library accepts it.
pub(super) fn decode(
    cfg: &DdnConfig,
    keys: DdnKeys<'_>,
    token: &str,
    now: f64,
    steps: &mut DdnSteps,
    key_info: &mut Option<KeyInfo>,
) -> Option<Map<String, Value>> {
    let (key, algs) = key_for(cfg, keys, token, steps)?;
    // `rsplitn(2, '.')` twice: signature, payload, and all before as the header.
    let Some((message, signature)) = token.rsplit_once('.') else {
        return invalid_token(steps);
    };
    let Some((header, payload)) = message.rsplit_once('.') else {
        return invalid_token(steps);
    };
    let header: LibHeader = match b64(header)
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("JSON error: {e}")))
    {
        Ok(h) => h,
        Err(e) => {
            steps.fail(
                Id::Format,
                format!("the library cannot read the header: {e}"),
                "the token is damaged; copy it again",
                Answer::decoding(e),
            );
            return None;
        }
    };
    if !algs.contains(&header.alg.as_str()) {
        let pool = b64(payload)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|c| {
                c.get("iss")
                    .and_then(Value::as_str)
                    .and_then(crate::cognito::pool_of_issuer)
            });
        let (message, hint) = match pool {
            // A Cognito token (RS256) against a fixed secret: the AuthConfig needs the pool's keys.
            Some(p) if matches!(key.material, crate::jose::jwk::Material::Secret(_)) => (
                format!("the token is {} from Cognito pool {}, but the AuthConfig fixes an HMAC secret ({})", header.alg, p.id, algs.join(", ")),
                format!("Cognito signs with its pool's RSA keys, which no secret verifies: replace key.fixed with jwkFromUrl: {}", p.jwks_url()),
            ),
            _ => (
                format!("alg {} is not among the algorithms this key allows ({})", header.alg, algs.join(", ")),
                "sign with the algorithm the AuthConfig names (fixed.algorithm), or with one the key's type allows".to_string(),
            ),
        };
        steps.fail(Id::Alg, message, hint, Answer::decoding("InvalidAlgorithm"));
        return None;
    }
    steps.pass(Id::Alg, format!("alg {} fits the key", header.alg));
    signature_step(&header.alg, key, message, signature, steps)?;
    if let Some(alg) = Alg::parse(&header.alg) {
        let source = match &cfg.key {
            DdnKey::Fixed { .. } => "the AuthConfig's fixed key".to_string(),
            DdnKey::JwkFromUrl(url) => url.clone(),
        };
        *key_info = Some(crate::jose::select::key_info(key, alg, source, None));
    }
    match payload_step(payload, steps)? {
        Payload::Object(claims) => validate(cfg, &claims, now, steps).then_some(claims),
        // The claims are a sequence, in which no location finds a member.
        Payload::Sequence(fields) => validate(cfg, &fields, now, steps).then(Map::new),
    }
}

/// The payload as the library reads it: an object, or a sequence of exactly five values, which
/// serde reads element by element into `ClaimsForValidation`'s fields (`exp`, `nbf`, `sub`,
/// `iss`, `aud`, in that order) and which the library then validates like those claims.
enum Payload {
    /// The claims.
    Object(Map<String, Value>),
    /// The five values, named by the fields that read them.
    Sequence(Map<String, Value>),
}

fn invalid_token(steps: &mut DdnSteps) -> Option<Map<String, Value>> {
    steps.fail(
        Id::Format,
        "the token does not have three dot-separated parts",
        "send the whole token: header.payload.signature",
        Answer::validation("InvalidToken"),
    );
    None
}

fn signature_step(
    alg: &str,
    key: &Key,
    message: &str,
    signature: &str,
    steps: &mut DdnSteps,
) -> Option<()> {
    let sig = match b64(signature) {
        Ok(s) => s,
        // HMAC: the library compares the base64 text with its own; no decoding error.
        Err(_) if alg.starts_with("HS") => Vec::new(),
        Err(e) => {
            steps.fail(
                Id::Signature,
                format!("the signature is not base64url: {e}"),
                "the token is damaged; copy it again",
                Answer::decoding(e),
            );
            return None;
        }
    };
    // ring verifies RSA with its 2048-to-8192-bit algorithms only: another size never verifies,
    // whatever the signature (InvalidSignature).
    let outside = super::rsa_size_refusal(key);
    if let Some((bits, why)) = outside {
        steps.fail(
            Id::Signature,
            format!("the key is RSA-{bits}: {why}"),
            "sign with an RSA key of 2048 to 8192 bits (Hasura v2 verifies with this one; DDN does not)",
            Answer::validation("InvalidSignature"),
        );
        return None;
    }
    let verified = Alg::parse(alg)
        .map(|a| crypto::verify(a, key, message.as_bytes(), &sig))
        .is_some_and(|r| r.unwrap_or(false));
    if !verified {
        steps.fail(
            Id::Signature,
            format!(
                "the {alg} signature does not verify with the key{}",
                key.kid
                    .as_ref()
                    .map(|k| format!(" {k}"))
                    .unwrap_or_default()
            ),
            "the token was signed by another key (another pool or environment), or altered",
            Answer::validation("InvalidSignature"),
        );
        return None;
    }
    steps.pass(Id::Signature, format!("{alg} signature verified"));
    Some(())
}

/// The payload as `serde_json::from_slice::<Value>` reads it (the last of duplicated names
/// wins; numbers must fit f64), then as `ClaimsForValidation`, which refuses a duplicated
/// registered claim; serde's messages, positions included.
fn payload_step(payload: &str, steps: &mut DdnSteps) -> Option<Payload> {
    match b64(payload).and_then(|bytes| claims_of(&bytes)) {
        Ok(m) => Some(m),
        Err(e) => {
            steps.fail(Id::Format, format!("the library cannot read the payload: {e}"), "the token is damaged, or its issuer writes claims the engine's JSON reader refuses", Answer::decoding(e));
            None
        }
    }
}

fn claims_of(bytes: &[u8]) -> Result<Payload, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("JSON error: {e}"))?;
    let marks = position::marks(bytes);
    let huge = marks.iter().find_map(|m| match m {
        Mark::Number(lit, end) if lit.parse::<f64>().is_ok_and(f64::is_infinite) => Some(*end),
        _ => None,
    });
    if let Some(end) = huge {
        return Err(format!(
            "JSON error: number out of range {}",
            position::at(bytes, end)
        ));
    }
    let mut seen = Vec::new();
    for m in &marks {
        if let Mark::TopKey(k, end) = m
            && REGISTERED.contains(&k.as_str())
        {
            if seen.contains(k) {
                return Err(format!(
                    "JSON error: duplicate field `{k}` {}",
                    position::at(bytes, *end)
                ));
            }
            seen.push(k.clone());
        }
    }
    match value {
        Value::Object(m) => Ok(Payload::Object(m)),
        // serde's own words (a sequence is read element by element into the fields; one of
        // exactly five reads, and then is validated).
        other => match serde_json::from_slice::<ClaimsForValidation>(bytes) {
            Err(e) => Err(format!("JSON error: {e}")),
            Ok(_) => match other {
                Value::Array(items) => Ok(Payload::Sequence(
                    REGISTERED
                        .iter()
                        .map(|name| name.to_string())
                        .zip(items)
                        .collect(),
                )),
                other => Err(format!(
                    "JSON error: invalid type: {}, expected struct ClaimsForValidation",
                    unexpected(&other)
                )),
            },
        },
    }
}

/// jsonwebtoken 9's `ClaimsForValidation` (`src/validation.rs`), field for field: the name, the
/// order, the defaults and the types decide serde's message on a payload that is not an object.
#[derive(Deserialize)]
struct ClaimsForValidation<'a> {
    #[serde(rename = "exp", deserialize_with = "numeric_type", default)]
    _exp: TryParse<u64>,
    #[serde(rename = "nbf", deserialize_with = "numeric_type", default)]
    _nbf: TryParse<u64>,
    #[serde(rename = "sub", borrow)]
    _sub: TryParse<Cow<'a, str>>,
    #[serde(rename = "iss", borrow)]
    _iss: TryParse<OneOrMany<'a>>,
    #[serde(rename = "aud", borrow)]
    _aud: TryParse<OneOrMany<'a>>,
}

/// The library's `TryParse`: a value that does not parse is remembered, not an error. Only its
/// shape is used (what serde reads), never its value.
#[allow(dead_code)]
#[derive(Default)]
enum TryParse<T> {
    Parsed(T),
    FailedToParse,
    #[default]
    NotPresent,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TryParse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer) {
            Ok(Some(value)) => TryParse::Parsed(value),
            Ok(None) => TryParse::NotPresent,
            Err(_) => TryParse::FailedToParse,
        })
    }
}

/// The library's `Issuer` and `Audience`: untagged, one string or a set of them (shape only).
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<'a> {
    One(#[serde(borrow)] Cow<'a, str>),
    Many(std::collections::HashSet<String>),
}

/// The library's `numeric_type`: any value, a failure remembered as `FailedToParse`.
fn numeric_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TryParse<u64>, D::Error> {
    struct Numeric;
    impl<'de> Visitor<'de> for Numeric {
        type Value = TryParse<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("A NumericType that can be reasonably coerced into a u64")
        }
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
            if value.is_finite() && value >= 0.0 && value < u64::MAX as f64 {
                Ok(TryParse::Parsed(value.round() as u64))
            } else {
                Err(E::custom("NumericType must be representable as a u64"))
            }
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(TryParse::Parsed(value))
        }
    }
    Ok(deserializer
        .deserialize_any(Numeric)
        .unwrap_or(TryParse::FailedToParse))
}

/// serde's `Unexpected` rendering of a value.
pub(super) fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

const REGISTERED: [&str; 5] = ["exp", "nbf", "sub", "iss", "aud"];

/// `TryParse<u64>` with the library's `numeric_type`: an unsigned integer, or a finite
/// non-negative float below 2^64, rounded; anything else is "failed to parse".
pub(super) fn numeric(v: Option<&Value>) -> Option<Result<u64, ()>> {
    let n = match v? {
        Value::Number(n) => n,
        _ => return Some(Err(())),
    };
    let text = n.to_string();
    let integer = !text.contains(['.', 'e', 'E']);
    if integer && let Ok(u) = text.parse::<u64>() {
        return Some(Ok(u));
    }
    // A negative integer that fits i64 is visited as i64, which the visitor refuses; "-0" and
    // integers beyond 64 bits are floats.
    if integer && text != "-0" && text.parse::<i64>().is_ok() {
        return Some(Err(()));
    }
    let f: f64 = text.parse().map_err(|_| ()).ok()?;
    Some(if f.is_finite() && f >= 0.0 && f < u64::MAX as f64 {
        // Rounded as the library does (`value.round() as u64`).
        Ok(f.round() as u64)
    } else {
        Err(())
    })
}

/// `validate`: `exp` present and a number, not before `now - leeway`; `iss` and `aud` as
/// configured; in this order.
fn validate(cfg: &DdnConfig, claims: &Map<String, Value>, now: f64, steps: &mut DdnSteps) -> bool {
    let now = now.max(0.0).floor() as u64;
    let leeway = cfg.leeway();
    let exp = match numeric(claims.get("exp")) {
        Some(Ok(exp)) => exp,
        other => {
            let what = if other.is_none() {
                "has no exp"
            } else {
                "has an exp the library cannot read as a number of seconds"
            };
            steps.fail(
                Id::Exp,
                format!("the token {what}"),
                "DDN requires exp, a non-negative number of seconds since 1970",
                Answer::validation("Missing required claim: exp"),
            );
            return false;
        }
    };
    // `exp < now - leeway` in u64 arithmetic (wrapping, as in a release build).
    if exp < now.wrapping_sub(leeway) {
        steps.fail(
            Id::Exp,
            format!("expired {} ago (allowedSkew {leeway} s)", crate::clock::span(now.saturating_sub(exp) as f64)),
            "get a fresh token (Cognito id tokens last 1 hour by default; refresh with the refresh token)",
            Answer::validation("ExpiredSignature"),
        );
        return false;
    }
    steps.pass(
        Id::Exp,
        format!(
            "exp is {} (allowedSkew {leeway} s)",
            crate::clock::utc_or_raw(exp as f64)
        ),
    );
    nbf_note(claims, now, steps);
    issuer(cfg, claims, steps) && audience(cfg, claims, steps)
}

/// DDN never checks `nbf`: a token not yet valid passes, which a careful user wants to know.
fn nbf_note(claims: &Map<String, Value>, now: u64, steps: &mut DdnSteps) {
    if let Some(Ok(nbf)) = numeric(claims.get("nbf"))
        && nbf > now
    {
        steps.note(Check::warn(
            Id::Nbf,
            format!(
                "nbf is {} in the future; DDN does not check nbf",
                crate::clock::span((nbf - now) as f64)
            ),
            "the engine's Validation leaves validate_nbf off: the token is accepted before its nbf",
        ));
    }
}

/// A string, or a list of strings: the library's `Issuer` / `Audience`.
fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

fn issuer(cfg: &DdnConfig, claims: &Map<String, Value>, steps: &mut DdnSteps) -> bool {
    let Some(want) = &cfg.issuer else {
        return true;
    };
    match strings(claims.get("iss")) {
        Some(got) if !got.iter().any(|g| g == want) => {
            steps.fail(
                Id::Iss,
                format!(
                    "the token's issuer is {:?}; the AuthConfig expects {want:?}",
                    got.join(", ")
                ),
                crate::jose::claims::issuer_near_miss(
                    got.first().map(String::as_str).unwrap_or_default(),
                    want,
                )
                .map(|d| format!("{d}: set issuer to the token's iss exactly"))
                .unwrap_or_else(|| {
                    "the token comes from another issuer (pool, region or environment)".into()
                }),
                Answer::validation("InvalidIssuer"),
            );
            false
        }
        Some(_) => {
            steps.pass(Id::Iss, format!("issuer {want}"));
            true
        }
        None => {
            steps.note(Check::warn(
                Id::Iss,
                "the token has no issuer (or not a string); DDN then skips the issuer check",
                "a configured issuer does not make iss required in DDN",
            ));
            true
        }
    }
}

fn audience(cfg: &DdnConfig, claims: &Map<String, Value>, steps: &mut DdnSteps) -> bool {
    let got = strings(claims.get("aud"));
    let mode_note = match &cfg.compatibility_date {
        Some(d) => format!("compatibility date {d}"),
        None => format!(
            "assuming a compatibility date on or after {} (give --ddn-compatibility-date)",
            super::config::AUDIENCE_REQUIRED_FROM
        ),
    };
    if cfg.audience_mode == AudienceMode::Optional {
        if got.is_some() {
            steps.note(Check::warn(
                Id::Aud,
                format!(
                    "aud is not checked ({mode_note}, before {})",
                    super::config::AUDIENCE_REQUIRED_FROM
                ),
                "move the compatibility date on to have DDN check the audience",
            ));
        }
        return true;
    }
    let Some(got) = got else {
        if cfg.audience.is_some() {
            steps.note(Check::warn(
                Id::Aud,
                "the token has no aud (or not a string); DDN then skips the audience check",
                "a configured audience does not make aud required in DDN",
            ));
        }
        return true;
    };
    let fail = |steps: &mut DdnSteps, message: String, hint: &str| {
        steps.fail(
            Id::Aud,
            message,
            hint.to_string(),
            Answer::validation("InvalidAudience"),
        );
        false
    };
    match &cfg.audience {
        None => fail(
            steps,
            format!(
                "the token has aud {:?} and the AuthConfig names no audience ({mode_note})",
                got.join(", ")
            ),
            "add audience: [\"<the app client id>\"] to the AuthConfig",
        ),
        Some(want) if !got.iter().any(|g| want.contains(g)) => fail(
            steps,
            format!(
                "the token's aud is {:?}; the AuthConfig accepts {:?}",
                got.join(", "),
                want.join(", ")
            ),
            "for a Cognito id token, audience is the app client id",
        ),
        Some(_) => {
            steps.pass(Id::Aud, format!("aud {}", got.join(", ")));
            true
        }
    }
}

/// The key a `fixed` configuration builds from its text, as the library's `from_*_pem` /
/// `from_secret` would; `None` when the library refuses it.
pub fn fixed_key(algorithm: &str, text: &str) -> Option<Key> {
    let family = Alg::parse(algorithm)?.family();
    if family == Family::Hmac {
        return Some(Key::bare(Material::Secret(text.as_bytes().to_vec())));
    }
    let public = crate::jose::pem::public_key(&rewrap(text)).ok()?;
    let fits = matches!(
        (&public, family),
        (PublicKey::Rsa { .. }, Family::Rsa)
            | (PublicKey::Ec { .. }, Family::Ec(_))
            | (PublicKey::Ed25519 { .. }, Family::Ed25519)
    );
    fits.then(|| Key::bare(Material::Public(public)))
}

/// A PEM written on one line (as YAML values often are) with its line breaks back.
fn rewrap(text: &str) -> String {
    if text.contains('\n') {
        return text.to_string();
    }
    let mut out = text
        .replace("-----BEGIN ", "\n-----BEGIN ")
        .replace("-----END ", "\n-----END ");
    out = out
        .replace("KEY-----", "KEY-----\n")
        .replace("CERTIFICATE-----", "CERTIFICATE-----\n");
    out.trim().to_string()
}
