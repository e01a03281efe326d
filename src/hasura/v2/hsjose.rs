//! How Hasura's JWT library (Haskell `jose`) decodes a compact token, and the error text it
//! reports when it cannot: `decodeCompact`, the protected header, then the claims set.
//!
//! Order (jose 0.10, research/hasura-jwt.md and its follow-up): three parts; the payload's
//! base64url; the header's base64url and JSON; header parameters `alg`, …, `kid`, …, `typ`,
//! `cty`, `crit`; the signature's base64url; then the payload as a claims set (`iss`, `sub`,
//! `aud`, `exp`, `nbf`, `iat`, `jti`). JSON objects keep the first of duplicated names.

use crate::report::Id;
use serde_json::{Map, Value};

use super::aeson::{error_in, mismatch, path_key, show, type_word};
use super::config::string_or_uri;
use crate::jose::base64url;
use crate::jose::json::JsonError;

/// The algorithms jose recognises in a header, in its own order.
pub const JOSE_ALGS: [&str; 15] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES256K",
    "PS256", "PS384", "PS512", "none", "EdDSA",
];

/// A token as jose sees it after decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The protected header (first of duplicates kept).
    pub header: Map<String, Value>,
    /// The header `alg`.
    pub alg: String,
    /// The claims (first of duplicates kept), `null` members removed from the registered ones.
    pub claims: Map<String, Value>,
    /// `header.payload` as sent.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Why jose refused to decode, as the engine prints it after `Could not verify JWT: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The `show`n jose error.
    pub shown: String,
    /// Which claim or part it is about (for the check id): `exp`, `iss`, `aud`, … or `format`.
    pub about: Id,
    /// A plain description.
    pub plain: String,
    /// What to do about it.
    pub hint: String,
    /// Set when jwtcheck's own limit stopped the decoding where the engine has none (aeson
    /// reads JSON at any depth): the engine's answer is then unknown.
    pub beyond_jwtcheck: Option<String>,
}

/// The error for a part whose JSON is nested beyond jwtcheck's own limit.
fn too_deep(part: &str, e: &JsonError) -> DecodeError {
    let why = format!("the {part}'s JSON is {e}; Hasura's JSON reader (aeson) has no such limit");
    DecodeError {
        shown: String::new(),
        about: Id::Format,
        plain: why.clone(),
        hint: crate::jose::token::TOO_DEEP_HINT.into(),
        beyond_jwtcheck: Some(why),
    }
}

/// The hint for a token that is not a readable JWS at all.
const DAMAGED: &str = "the token was damaged or is not a signed JWT; copy it again from the source";

fn json_decode_error(msg: &str, plain: impl Into<String>) -> DecodeError {
    DecodeError {
        shown: format!("JWSError (JSONDecodeError {})", show(msg)),
        about: Id::Format,
        plain: plain.into(),
        hint: DAMAGED.into(),
        beyond_jwtcheck: None,
    }
}

/// Why jose cannot read a header parameter (and whether the wording is known exactly).
fn header_param_error(name: &str, v: &Value) -> Option<(String, bool)> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    match name {
        "kid" | "typ" | "cty" => (!v.is_string()).then(|| (mismatch("Text", "String", v), true)),
        "jku" | "x5u" => match text(v) {
            None => Some((mismatch("URI", "String", v), false)),
            Some(u) if !super::config::is_uri(&u) => Some(("not a URI".into(), false)),
            Some(_) => None,
        },
        "jwk" => match v {
            Value::Object(m) => super::jwks::jwk_refusal(m).map(|why| (why, false)),
            other => Some((mismatch("JWK", "Object", other), false)),
        },
        "x5c" => match v {
            Value::Array(items) if items.is_empty() => Some((
                "parsing NonEmpty failed, unexpected empty list".into(),
                true,
            )),
            Value::Array(items) => items.iter().find_map(|i| {
                let ok = i.as_str().is_some_and(|c| {
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, c).is_ok()
                });
                (!ok).then(|| {
                    (
                        "x5c holds something that is not a base64 certificate".to_string(),
                        false,
                    )
                })
            }),
            other => Some((mismatch("NonEmpty", "Array", other), false)),
        },
        "x5t" | "x5t#S256" => {
            let want = if name == "x5t" { 20 } else { 32 };
            match text(v).map(|t| base64url::decode(&t)) {
                Some(Ok(b)) if b.len() == want => None,
                Some(Ok(_)) => Some((format!("{name} must be {want} bytes"), false)),
                Some(Err(_)) => Some(("Not valid base64url".into(), true)),
                None => Some((mismatch("Text", "String", v), false)),
            }
        }
        _ => None,
    }
}

/// Decodes a compact token as jose does, in its order: three parts, the payload's and the
/// header's base64url, the header's JSON, `alg`, the other header parameters, `crit`, the
/// signature's base64url, then the claims set.
pub fn decode(raw: &str) -> Result<Decoded, DecodeError> {
    let parts: Vec<&str> = raw.split('.').collect();
    let [h, p, sig] = parts.as_slice() else {
        // The lazy ByteString `split` jose uses gives no parts at all for an empty token (an
        // empty cookie value).
        let count = if raw.is_empty() { 0 } else { parts.len() };
        return Err(DecodeError {
            shown: format!(
                "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got {count})"
            ),
            about: Id::Format,
            plain: format!("the token has {count} parts, not 3"),
            hint: DAMAGED.into(),
            beyond_jwtcheck: None,
        });
    };
    let not_b64 = |which: &str| {
        json_decode_error(
            "Not valid base64url",
            format!("the {which} is not valid base64url"),
        )
    };
    let payload_bytes = base64url::decode(p).map_err(|_| not_b64("payload"))?;
    let header_bytes = base64url::decode(h).map_err(|_| not_b64("header"))?;
    let header = match crate::jose::json::parse_first_wins(&header_bytes) {
        Ok(crate::jose::json::Parsed {
            value: Value::Object(m),
            ..
        }) => m,
        Err(e @ JsonError::TooDeep { .. }) => return Err(too_deep("header", &e)),
        _ => {
            return Err(json_decode_error(
                "protected header contains invalid JSON",
                "the header is not a JSON object",
            ));
        }
    };
    let alg = alg_of(&header)?;
    header_params(&header)?;
    let signature = base64url::decode(sig).map_err(|_| not_b64("signature"))?;
    let claims = claims_set(&payload_bytes)?;
    Ok(Decoded {
        header,
        alg,
        claims,
        signing_input: format!("{h}.{p}"),
        signature,
    })
}

/// The header's `alg`, which jose reads first: present and one of the algorithms it knows.
fn alg_of(header: &Map<String, Value>) -> Result<String, DecodeError> {
    match header.get("alg") {
        None | Some(Value::Null) => Err(json_decode_error(
            "missing required header \"alg\"",
            "the header has no alg",
        )),
        Some(Value::String(a)) if JOSE_ALGS.contains(&a.as_str()) => Ok(a.clone()),
        Some(other) => {
            let list: Vec<String> = JOSE_ALGS.iter().map(|a| format!("\"{a}\"")).collect();
            Err(json_decode_error(
                &format!("unrecognised value; expected: [{}]", list.join(",")),
                format!("alg {other} is not an algorithm Hasura knows"),
            ))
        }
    }
}

/// The other header parameters in jose's order (the first it cannot read fails the token),
/// then `crit`, which the engine never accepts.
fn header_params(header: &Map<String, Value>) -> Result<(), DecodeError> {
    for name in [
        "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
    ] {
        if let Some(v) = header.get(name)
            && let Some((msg, exact)) = header_param_error(name, v)
        {
            let mut e =
                json_decode_error(&msg, format!("the header's {name} is not readable: {msg}"));
            if !exact {
                e.plain.push_str(" (the engine's exact wording may differ)");
            }
            return Err(e);
        }
    }
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    const RESERVED: [&str; 11] = [
        "alg", "jku", "jwk", "x5u", "x5t", "x5t#S256", "x5c", "kid", "typ", "cty", "crit",
    ];
    let msg = match crit {
        Value::Array(items) if items.is_empty() => {
            "parsing NonEmpty failed, unexpected empty list".to_string()
        }
        Value::Array(items) => {
            let reserved = items
                .iter()
                .any(|i| i.as_str().is_some_and(|n| RESERVED.contains(&n)));
            if reserved {
                "crit key is reserved".to_string()
            } else {
                "crit key is not understood".to_string()
            }
        }
        other => mismatch("NonEmpty", "Array", other),
    };
    Err(json_decode_error(
        &msg,
        "the header has crit, which Hasura never accepts",
    ))
}

/// A value as shown in a message: at most 40 characters.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or_default()),
        None => text.to_string(),
    }
}

fn claims_error(msg: String, about: Id, plain: impl Into<String>) -> DecodeError {
    DecodeError {
        shown: format!("JWTClaimsSetDecodeError {}", show(&msg)),
        about,
        plain: plain.into(),
        hint: DAMAGED.into(),
        beyond_jwtcheck: None,
    }
}

/// The payload as jose's `ClaimsSet`.
fn claims_set(bytes: &[u8]) -> Result<Map<String, Value>, DecodeError> {
    let value = match crate::jose::json::parse_first_wins(bytes) {
        Ok(p) => p.value,
        Err(e @ JsonError::TooDeep { .. }) => return Err(too_deep("payload", &e)),
        Err(e) => {
            // The exact wording depends on the engine's aeson version.
            return Err(claims_error(
                format!("Error in $: {e}"),
                Id::Format,
                format!("the payload is not JSON ({e})"),
            ));
        }
    };
    let Value::Object(mut claims) = value else {
        return Err(claims_error(
            error_in("$", &mismatch("JWT Claims Set", "Object", &value)),
            Id::Format,
            format!("the payload is {}, not a JSON object", type_word(&value)),
        ));
    };
    for name in ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"] {
        let path = path_key("$", name);
        let Some(v) = claims.get(name) else { continue };
        if v.is_null() {
            claims.remove(name);
            continue;
        }
        let err = match name {
            "iss" | "sub" => string_or_uri(v, &path).err().map(|e| e.message),
            // A list of StringOrURI, or else one: when both fail, aeson names the second
            // alternative ("expected String, but encountered Array").
            "aud" => match v {
                Value::Array(items) if items.iter().all(|i| string_or_uri(i, &path).is_ok()) => {
                    None
                }
                other => string_or_uri(other, &path).err().map(|e| e.message),
            },
            "jti" => (!v.is_string()).then(|| error_in(&path, &mismatch("Text", "String", v))),
            _ => (!v.is_number()).then(|| error_in(&path, &mismatch("NumericDate", "Number", v))),
        };
        if let Some(msg) = err {
            let about = match name {
                "sub" | "jti" => Id::Format,
                "iss" => Id::Iss,
                "aud" => Id::Aud,
                "exp" => Id::Exp,
                "nbf" => Id::Nbf,
                _ => Id::Iat,
            };
            let expected = match name {
                "iss" | "sub" => "a string (StringOrURI: with a ':' it must be a URI)",
                "aud" => "a string or a list of strings (StringOrURI)",
                "jti" => "a string",
                _ => "a number of seconds since the epoch (NumericDate)",
            };
            let mut e = claims_error(
                msg,
                about,
                format!(
                    "{name} is {} ({}), but the engine (jose) reads {name} as {expected}",
                    shorten(&v.to_string()),
                    describe(v)
                ),
            );
            e.hint = format!(
                "the token is not damaged: its issuer writes {name} with a type no jose-based verifier accepts; fix it where the token is made"
            );
            return Err(e);
        }
    }
    Ok(claims)
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {s:?}"),
        other => crate::jose::json::type_name(other).to_string(),
    }
}

/// The token's `iss` as the engine's issuer pre-match reads it (without verifying): `None` when
/// it cannot be read for any reason.
pub fn issuer_of(raw: &str) -> Option<String> {
    // JWT.hs decodeClaimsSet: at least three parts; the payload through memory's
    // Base64URLUnpadded (spare bits not checked), then a jose ClaimsSet.
    let mut parts = raw.split('.');
    let (_, payload) = (parts.next()?, parts.next()?);
    parts.next()?;
    let bytes = base64url::decode_ignoring_spare_bits(payload).ok()?;
    let claims = claims_set(&bytes).ok()?;
    claims
        .get("iss")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The claims set as the engine's claims_map reads it: `J.toJSON` of hs-jose's `ClaimsSet`
/// (`Crypto/JWT.hs`), which re-encodes the registered claims it parsed: `iss`, `sub` and each
/// `aud` that holds a `:` are URIs shown by network-uri (a password becomes `...`), and an `aud`
/// of one element is that element (`instance ToJSON Audience`).
pub fn claims_set_json(claims: &Map<String, Value>) -> Value {
    let shown = |v: &Value| match v {
        Value::String(s) if s.contains(':') => Value::String(super::uri::show_uri(s)),
        other => other.clone(),
    };
    let mut whole = claims.clone();
    for name in ["iss", "sub"] {
        if let Some(v) = whole.get_mut(name) {
            *v = shown(v);
        }
    }
    if let Some(aud) = whole.get_mut("aud") {
        let encoded = match &*aud {
            Value::Array(a) if a.len() == 1 => a.first().map(shown).unwrap_or(Value::Null),
            Value::Array(a) => Value::Array(a.iter().map(shown).collect()),
            other => shown(other),
        };
        *aud = encoded;
    }
    Value::Object(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64url::encode(s.as_bytes())
    }

    fn err(raw: &str) -> String {
        decode(raw).unwrap_err().shown
    }

    #[test]
    fn part_count_and_base64() {
        assert_eq!(
            err("a.b"),
            "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 2)"
        );
        assert_eq!(
            err("a.b.c.d.e"),
            "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 5)"
        );
        // #33 item 6: hs-jose's decodeCompact splits "" (an empty cookie value) into no parts.
        assert_eq!(
            err(""),
            "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 0)"
        );
        assert_eq!(
            err(&format!("{}.{}=.x", b64("{}"), b64("{}"))),
            "JWSError (JSONDecodeError \"Not valid base64url\")"
        );
    }

    #[test]
    fn header_problems_in_jose_order() {
        let p = b64("{}");
        assert_eq!(
            err(&format!("{}.{p}.", b64("[]"))),
            "JWSError (JSONDecodeError \"protected header contains invalid JSON\")"
        );
        assert_eq!(
            err(&format!("{}.{p}.", b64("{}"))),
            "JWSError (JSONDecodeError \"missing required header \\\"alg\\\"\")"
        );
        assert!(
            err(&format!("{}.{p}.", b64(r#"{"alg":"HS999"}"#))).starts_with(
                "JWSError (JSONDecodeError \"unrecognised value; expected: [\\\"HS256\\\""
            )
        );
        assert_eq!(
            err(&format!("{}.{p}.", b64(r#"{"alg":"RS256","kid":1}"#))),
            "JWSError (JSONDecodeError \"parsing Text failed, expected String, but encountered Number\")"
        );
        assert_eq!(
            err(&format!(
                "{}.{p}.",
                b64(r#"{"alg":"RS256","crit":["exp"],"exp":1}"#)
            )),
            "JWSError (JSONDecodeError \"crit key is not understood\")"
        );
        assert_eq!(
            err(&format!(
                "{}.{p}.",
                b64(r#"{"alg":"RS256","crit":["alg"]}"#)
            )),
            "JWSError (JSONDecodeError \"crit key is reserved\")"
        );
    }

    #[test]
    fn every_header_parameter_must_be_readable() {
        let p = b64("{}");
        for header in [
            r#"{"alg":"HS256","jku":5}"#,
            r#"{"alg":"HS256","jku":"not a uri"}"#,
            r#"{"alg":"HS256","x5t":"abc"}"#,
            r#"{"alg":"HS256","jwk":{"kty":"bogus"}}"#,
            r#"{"alg":"HS256","x5c":["!!"]}"#,
            r#"{"alg":"HS256","x5c":[]}"#,
        ] {
            let e = decode(&format!("{}.{p}.", b64(header))).unwrap_err();
            assert!(
                e.shown.starts_with("JWSError (JSONDecodeError "),
                "{header}: {}",
                e.shown
            );
        }
        assert!(
            decode(&format!(
                "{}.{p}.",
                b64(r#"{"alg":"HS256","jku":"https://x/j","typ":"JWT"}"#)
            ))
            .is_ok()
        );
    }

    #[test]
    fn claims_set_problems() {
        let h = b64(r#"{"alg":"RS256"}"#);
        assert_eq!(
            err(&format!("{h}.{}.", b64(r#"{"sub":1234567890}"#))),
            "JWTClaimsSetDecodeError \"Error in $.sub: parsing StringOrURI failed, expected String, but encountered Number\""
        );
        assert_eq!(
            err(&format!("{h}.{}.", b64(r#"{"exp":"1"}"#))),
            "JWTClaimsSetDecodeError \"Error in $.exp: parsing NumericDate failed, expected Number, but encountered String\""
        );
        assert_eq!(
            err(&format!("{h}.{}.", b64(r#"{"aud":5}"#))),
            "JWTClaimsSetDecodeError \"Error in $.aud: parsing StringOrURI failed, expected String, but encountered Number\""
        );
        assert_eq!(
            err(&format!("{h}.{}.", b64(r#"{"iss":"a b:c"}"#))),
            "JWTClaimsSetDecodeError \"Error in $.iss: failed to parse StringOrURI\""
        );
        assert_eq!(
            err(&format!("{h}.{}.", b64("[1]"))),
            "JWTClaimsSetDecodeError \"Error in $: parsing JWT Claims Set failed, expected Object, but encountered Array\""
        );
        let ok = decode(&format!("{h}.{}.", b64(r#"{"exp":null,"x":1,"x":2}"#))).unwrap();
        assert!(!ok.claims.contains_key("exp"), "null is absent");
        assert_eq!(ok.claims["x"], 1, "first of duplicates");
    }

    #[test]
    fn issuer_pre_match_reads_leniently() {
        let h = b64(r#"{"alg":"none"}"#);
        assert_eq!(
            issuer_of(&format!("{h}.{}.", b64(r#"{"iss":"https://i"}"#))).as_deref(),
            Some("https://i")
        );
        assert_eq!(
            issuer_of(&format!("{h}.{}.", b64(r#"{"iss":"https://i","exp":"x"}"#))),
            None
        );
        assert_eq!(issuer_of("nope"), None);
    }
}
