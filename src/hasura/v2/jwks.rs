//! Whether Hasura's JWT library (Haskell `jose`) accepts a key set document. It parses key sets
//! strictly: one key it cannot read rejects the whole set, so the engine refuses to start
//! (`Error parsing JWK from url: <url>`) or, on a later refresh, keeps its old keys.
//!
//! The rules (research/hasura-jwt.md §1.5 and jose's JWK types): a `keys` array of objects; a
//! known `kty` with its members in strict unpadded base64url (no leading zero byte in RSA
//! integers); `use` `sig` or `enc`; known `key_ops`; an `alg` jose knows; `x5t` of 20 bytes and
//! `x5t#S256` of 32. Pure.

use crate::report::Id;
use serde_json::{Map, Value};

use crate::jose::jwk::Curve;

use crate::jose::base64url;

/// JWA algorithm names jose knows in a JWK's `alg` (signature and key-management algorithms).
const KNOWN_ALGS: [&str; 33] = [
    "HS256",
    "HS384",
    "HS512",
    "RS256",
    "RS384",
    "RS512",
    "ES256",
    "ES384",
    "ES512",
    "ES256K",
    "PS256",
    "PS384",
    "PS512",
    "EdDSA",
    "none",
    "RSA1_5",
    "RSA-OAEP",
    "RSA-OAEP-256",
    "A128KW",
    "A192KW",
    "A256KW",
    "dir",
    "ECDH-ES",
    "ECDH-ES+A128KW",
    "ECDH-ES+A192KW",
    "ECDH-ES+A256KW",
    "A128GCMKW",
    "A192GCMKW",
    "A256GCMKW",
    "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW",
    "PBES2-HS512+A256KW",
    "Ed25519",
];

const KNOWN_OPS: [&str; 8] = [
    "sign",
    "verify",
    "encrypt",
    "decrypt",
    "wrapKey",
    "unwrapKey",
    "deriveKey",
    "deriveBits",
];

/// Why the engine refuses this key set document, if it does.
pub fn refusal(doc: &Value) -> Option<String> {
    let Some(keys) = doc.get("keys").and_then(Value::as_array) else {
        return Some("the document has no \"keys\" array".into());
    };
    keys.iter().enumerate().find_map(|(i, k)| match k {
        Value::Object(m) => jwk_refusal(m).map(|why| {
            let kid = m
                .get("kid")
                .and_then(Value::as_str)
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            format!("key #{i}{kid}: {why}")
        }),
        _ => Some(format!("key #{i} is not an object")),
    })
}

/// Why jose cannot read one JWK, if it cannot.
pub fn jwk_refusal(m: &Map<String, Value>) -> Option<String> {
    let text = |name: &str| text(m, name);
    let b64 = |name: &str, required: bool| b64(m, name, required);
    let check = || -> Result<(), String> {
        if let Some(u) = text("use")?
            && u != "sig"
            && u != "enc"
        {
            return Err(format!("use {u:?} is neither \"sig\" nor \"enc\""));
        }
        match m.get("key_ops") {
            None | Some(Value::Null) => {}
            Some(Value::Array(ops)) => {
                for op in ops {
                    match op.as_str() {
                        Some(o) if KNOWN_OPS.contains(&o) => {}
                        _ => return Err(format!("key_ops lists {op}, which jose does not know")),
                    }
                }
            }
            Some(_) => return Err("key_ops is not an array".into()),
        }
        if let Some(a) = text("alg")?
            && !KNOWN_ALGS.contains(&a)
        {
            return Err(format!("alg {a:?} is not an algorithm jose knows"));
        }
        text("kid")?;
        text("x5u")?;
        if let Some(t) = b64("x5t", false)?
            && t.len() != 20
        {
            return Err(format!("x5t is {} bytes, not 20", t.len()));
        }
        if let Some(t) = b64("x5t#S256", false)?
            && t.len() != 32
        {
            return Err(format!("x5t#S256 is {} bytes, not 32", t.len()));
        }
        key_params(m)
    };
    check().err()
}

/// An optional string member of a JWK.
fn text<'m>(m: &'m Map<String, Value>, name: &str) -> Result<Option<&'m str>, String> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{name} is not a string")),
    }
}

/// A base64url member of a JWK, decoded.
fn b64(m: &Map<String, Value>, name: &str, required: bool) -> Result<Option<Vec<u8>>, String> {
    match text(m, name)? {
        None if required => Err(format!("{name} is missing")),
        None => Ok(None),
        Some(s) => base64url::decode(s)
            .map(Some)
            .map_err(|p| format!("{name}: {p}")),
    }
}

/// The key's own members as jose's FromJSON for its `kty` reads them.
fn key_params(m: &Map<String, Value>) -> Result<(), String> {
    let text = |name: &str| text(m, name);
    let b64 = |name: &str, required: bool| b64(m, name, required);
    match text("kty")? {
        Some("RSA") => {
            for name in ["n", "e"] {
                if let Some(bytes) = b64(name, true)?
                    && bytes.first() == Some(&0)
                {
                    return Err(format!(
                        "{name} has a leading zero byte (jose: leading null byte)"
                    ));
                }
            }
        }
        Some("EC") => {
            let size = match text("crv")? {
                Some("P-256" | "secp256k1") => 32,
                Some("P-384") => 48,
                Some("P-521") => 66,
                Some(c) => return Err(format!("curve {c:?} is not one jose knows")),
                None => return Err("crv is missing".into()),
            };
            let mut point = Vec::new();
            for name in ["x", "y"] {
                if let Some(bytes) = b64(name, true)? {
                    if bytes.len() != size {
                        return Err(format!("{name} is {} bytes, not {size}", bytes.len()));
                    }
                    point.push(bytes);
                }
            }
            // jose's FromJSON builds the point and refuses one off the curve.
            let curve = text("crv")?.and_then(Curve::from_name);
            if let (Some(crv), [x, y]) = (curve, point.as_slice())
                && !crate::jose::jwk::on_curve(crv, x, y)
            {
                return Err(format!("the point (x, y) is not on {}", crv.name()));
            }
        }
        Some("OKP") => {
            let size = match text("crv")? {
                Some("Ed25519" | "X25519") => 32,
                Some("X448") => 56,
                Some("Ed448") => 57,
                Some(c) => return Err(format!("curve {c:?} is not one jose knows")),
                None => return Err("crv is missing".into()),
            };
            if let Some(x) = b64("x", true)?
                && x.len() != size
            {
                return Err(format!("x is {} bytes, not {size}", x.len()));
            }
        }
        Some("oct") => {
            b64("k", true)?;
        }
        Some(k) => return Err(format!("kty {k:?} is not one jose knows")),
        None => return Err("kty is missing".into()),
    }
    Ok(())
}

/// What the engine does when it cannot fetch or read its `jwk_url`, as a hint sentence: at
/// startup it refuses to start; a refresh that fails (`updateJwkCtx`) changes nothing, so an
/// engine already running keeps the keys it has, which jwtcheck cannot see.
pub fn startup_fetch_hint(id: Id, url: &str) -> String {
    format!(
        "Hasura fetches {url} at startup and refuses to start when it cannot: {}; an engine already running keeps the keys it fetched before",
        startup_fetch_error(id, url)
    )
}

/// What Hasura v2 does with a `jwk_url` body that is not JSON (a byte order mark, text after the
/// value, a syntax error): `fetchJwk` decodes it with aeson's `eitherDecode'` (one JSON value,
/// only whitespace around it), which refuses it, so the engine refuses to start, and a refresh
/// that gets it keeps the old keys. `url`: the `jwk_url`, when the body came from one.
pub fn body_not_json(url: Option<&str>) -> String {
    format!(
        "Hasura v2 decodes a jwk_url body with aeson's eitherDecode' (one JSON value, only whitespace around it), which refuses it too: it refuses to start ('{}'), and a refresh that gets it keeps the old keys",
        startup_fetch_error(Id::FetchInvalidJson, url.unwrap_or("<jwk_url>"))
    )
}

/// When the engine's strict reader refuses the key set `doc` fetched from `url` ([`refusal`]):
/// the message and the hint, in one wording for every command.
pub fn refused(doc: Option<&Value>, url: &str) -> Option<(String, String)> {
    let why = refusal(doc?)?;
    Some((
        format!("Hasura refuses this key set: {why}"),
        format!(
            "Hasura reads key sets strictly: at startup it exits with 'Error parsing JWK from url: {url}'; when the set turns bad later it keeps its old keys. Fix or remove that key"
        ),
    ))
}

/// The line the engine prints when it cannot fetch `jwk_url` at startup, for a fetch error id.
pub fn startup_fetch_error(id: Id, url: &str) -> String {
    match id {
        Id::FetchStatus => format!("Non-2xx response on fetching JWK from: {url}"),
        Id::FetchInvalidJson | Id::KeysNotJwks | Id::KeysInvalidJson => {
            format!("Error parsing JWK from url: {url}")
        }
        _ => "Error fetching JWK: <the HTTP client's reason>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    fn rsa(extra: Value) -> Value {
        let mut k = json!({"kty": "RSA", "kid": "k", "n": N, "e": "AQAB"});
        for (a, b) in extra.as_object().unwrap() {
            k[a] = b.clone();
        }
        json!({"keys": [k]})
    }

    #[test]
    fn accepts_what_jose_reads() {
        assert_eq!(
            refusal(&rsa(
                json!({"use": "sig", "alg": "RS256", "key_ops": ["verify"]})
            )),
            None
        );
        assert_eq!(
            refusal(&rsa(json!({"use": "enc", "alg": "RSA-OAEP"}))),
            None
        );
        assert_eq!(
            refusal(&json!({"keys": []})),
            None,
            "empty is readable (and then NoUsableKeys)"
        );
        let k1 = json!({"keys": [{"kty": "EC", "crv": "secp256k1", "x": base64url::encode(&[1; 32]), "y": base64url::encode(&[2; 32])}]});
        assert_eq!(
            refusal(&k1),
            None,
            "jose knows secp256k1 even though jwtcheck cannot verify with it"
        );
    }

    fn leading_zero() -> String {
        let mut bytes = vec![0u8];
        bytes.extend(base64url::decode(N).unwrap());
        base64url::encode(&bytes)
    }

    #[test]
    fn refuses_one_bad_key() {
        let cases = [
            (rsa(json!({"use": "signature"})), "use \"signature\""),
            (rsa(json!({"key_ops": ["check"]})), "key_ops"),
            (rsa(json!({"alg": "RS999"})), "alg \"RS999\""),
            (rsa(json!({"x5t": "abc"})), "x5t"),
            (rsa(json!({"n": leading_zero()})), "leading zero byte"),
            (json!({"keys": [{"kty": "XYZ"}]}), "kty \"XYZ\""),
            (json!({"nokeys": []}), "no \"keys\""),
            // hs-jose builds the EC point and refuses one off its curve.
            (
                json!({"keys": [{"kty": "EC", "crv": "P-256", "x": base64url::encode(&[1; 32]), "y": base64url::encode(&[2; 32])}]}),
                "not on P-256",
            ),
            // An Ed25519 public key is 32 bytes.
            (
                json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": base64url::encode(&[1; 31])}]}),
                "x is 31 bytes, not 32",
            ),
        ];
        for (doc, want) in cases {
            let why = refusal(&doc).unwrap_or_default();
            assert!(why.contains(want), "{doc}: {why}");
        }
    }
}
