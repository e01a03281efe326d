//! The `jwkFromUrl` key as DDN gets it (`get_decoding_key_from_jwk_url`): the whole document
//! read as `jsonwebtoken` 9's `JwkSet` (one key it cannot read fails the set), the token's
//! header decoded, its `kid` required, the first key with that `kid` taken, and the
//! algorithms its type allows (any RSA algorithm for an RSA key, ES256/ES384 for an EC key,
//! HS* for `oct`, EdDSA for OKP) — the JWK's own `alg` and `use` are not consulted.
//!
//! The serde shapes below mirror the library's types so that what they refuse, and serde's
//! words for it, are the engine's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;

use super::{Answer, DdnKeys, DdnSteps};
use crate::jose::jwk::{Key, Material};
use crate::report::Id;

/// What DDN does with a `jwkFromUrl` key set's caching headers: nothing, for it fetches the set
/// on every request and keeps no copy (research/hasura-ddn-jwt.md §2.2).
pub const REFRESH: &str = "Hasura DDN fetches this key set on every request and keeps no copy: caching headers do not matter to it, a rotated key is picked up at once, and while the set cannot be fetched every request fails (500)";

/// The library's `Header`: unknown members are ignored, `alg` must be one it knows.
#[derive(Debug, Deserialize)]
#[serde(rename = "Header")]
pub(super) struct LibHeader {
    #[serde(rename = "typ")]
    _typ: Option<String>,
    #[serde(deserialize_with = "lib_alg")]
    pub(super) alg: String,
    #[serde(rename = "cty")]
    _cty: Option<String>,
    #[serde(rename = "jku")]
    _jku: Option<String>,
    #[serde(rename = "jwk")]
    _jwk: Option<LibJwk>,
    pub(super) kid: Option<String>,
    #[serde(rename = "x5u")]
    _x5u: Option<String>,
    #[serde(rename = "x5c")]
    _x5c: Option<Vec<String>>,
    #[serde(rename = "x5t")]
    _x5t: Option<String>,
    #[serde(rename = "x5t#S256")]
    _x5t_s256: Option<String>,
}

/// The library's `Algorithm` enum, by name.
#[derive(Debug, Deserialize)]
#[serde(rename = "Algorithm")]
#[allow(clippy::upper_case_acronyms)]
enum LibAlgorithm {
    HS256,
    HS384,
    HS512,
    ES256,
    ES384,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
}

fn lib_alg<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    LibAlgorithm::deserialize(d).map(|a| format!("{a:?}"))
}

/// The library's `KeyAlgorithm` (a JWK's `alg`).
#[derive(Debug, Deserialize)]
#[serde(rename = "KeyAlgorithm")]
#[allow(clippy::upper_case_acronyms, non_camel_case_types, dead_code)]
enum LibKeyAlgorithm {
    HS256,
    HS384,
    HS512,
    ES256,
    ES384,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
    RSA1_5,
    #[serde(rename = "RSA-OAEP")]
    RSA_OAEP,
    #[serde(rename = "RSA-OAEP-256")]
    RSA_OAEP_256,
}

/// The library's `Jwk`: common parameters and, untagged, one of four key types.
#[derive(Debug, Deserialize)]
#[serde(rename = "Jwk")]
#[allow(dead_code)]
pub(super) struct LibJwk {
    #[serde(rename = "use", default)]
    use_: Option<String>,
    #[serde(default)]
    key_ops: Option<Vec<String>>,
    #[serde(default)]
    alg: Option<LibKeyAlgorithm>,
    #[serde(default)]
    kid: Option<String>,
    x5u: Option<String>,
    x5c: Option<Vec<String>>,
    x5t: Option<String>,
    #[serde(rename = "x5t#S256")]
    x5t_s256: Option<String>,
    #[serde(flatten)]
    params: LibParams,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "AlgorithmParameters")]
#[serde(untagged)]
#[allow(dead_code)]
enum LibParams {
    Ec {
        kty: EcType,
        crv: LibCurve,
        x: String,
        y: String,
    },
    Rsa {
        kty: RsaType,
        n: String,
        e: String,
    },
    Oct {
        kty: OctType,
        k: String,
    },
    Okp {
        kty: OkpType,
        crv: LibCurve,
        x: String,
    },
}

#[derive(Debug, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
enum EcType {
    EC,
}
#[derive(Debug, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
enum RsaType {
    RSA,
}
#[derive(Debug, Deserialize)]
enum OctType {
    #[serde(rename = "oct")]
    Oct,
}
#[derive(Debug, Deserialize)]
enum OkpType {
    #[serde(rename = "OKP")]
    Okp,
}
#[derive(Debug, Deserialize)]
#[serde(rename = "EllipticCurve")]
enum LibCurve {
    #[serde(rename = "P-256")]
    P256,
    #[serde(rename = "P-384")]
    P384,
    #[serde(rename = "P-521")]
    P521,
    #[serde(rename = "Ed25519")]
    Ed25519,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "JwkSet")]
struct LibJwkSet {
    #[serde(rename = "keys")]
    _keys: Vec<LibJwk>,
}

/// Why the engine's JWK reader refuses the whole key set document, if it does (reqwest's
/// `json()` then fails with "error decoding response body").
pub fn refusal(document: &Value) -> Option<String> {
    serde_json::from_value::<LibJwkSet>(document.clone())
        .err()
        .map(|e| e.to_string())
}

/// reqwest's words for a body that serde_json cannot read as the library's `JwkSet`
/// (`Response::json`), after DDN's `Internal request error: `.
const DECODE_ERROR: &str = "Internal request error: error decoding response body";

/// What DDN does with a `jwkFromUrl` body that is not JSON: `get_decoding_key_from_jwk_url`
/// reads it with reqwest's `Response::json`, that is `serde_json::from_slice`, which refuses a
/// byte order mark, text after the value and any syntax error, on every request.
pub fn body_not_json() -> String {
    format!(
        "Hasura DDN reads the body with serde_json on every request (its HTTP client's Response::json), which refuses it too: it answers every request 500 (Internal Error - {DECODE_ERROR})"
    )
}

/// What DDN does with an empty `jwkFromUrl` key set (`{"keys": []}`): its build never fetches
/// the set; every request finds no key for the token's kid.
pub const EMPTY_SET: &str = "Hasura DDN builds (it never fetches the set), but answers every request 500 'Internal Error - No matching JWK found for the given kid: <kid>' (400 for a token without kid): publish the signing keys";

/// What to do when the `jwkFromUrl` answers a body that is not JSON.
const UNDECODABLE_HINT: &str = "serve the key set as plain JSON: no byte order mark, nothing after the closing brace (check what the server or a proxy adds)";

/// What to do when the `jwkFromUrl` answers a non-success status.
const UNSUCCESSFUL_HINT: &str = "DDN fetches jwkFromUrl on every request, before it reads the token, and answers every request 500 while the URL serves no key set: fix jwkFromUrl (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json)";

/// `InternalError::UnsuccessfulJWKFetch`: the status as reqwest's `StatusCode` shows it (code and
/// reason phrase), and the engine's trailing space.
fn unsuccessful(status: u16) -> String {
    let reason = ::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("<unknown status code>");
    format!("Received unsuccessful response {status} {reason} status while fetching JWK ")
}

/// What DDN answers while it cannot get the `jwkFromUrl` key set (`id`: why jwtcheck could not;
/// `status`: the non-success status the URL answered), as a hint sentence. Its build never fetches
/// the set.
pub fn fetch_hint(id: Id, status: Option<u16>, url: &str) -> String {
    let answer = match (status, id) {
        (Some(s), _) => unsuccessful(s),
        (None, Id::FetchInvalidJson | Id::KeysNotJwks | Id::KeysInvalidJson) => DECODE_ERROR.into(),
        (None, _) => "Error while fetching the JWKSet: <the HTTP client's reason>".into(),
    };
    format!(
        "Hasura DDN's build never fetches {url}: it fetches it on every request and answers 500 (Internal Error - {}) while it cannot",
        answer.trim_end()
    )
}

/// The key the token's `kid` names in the set and the algorithms its type allows.
pub(super) fn key_for<'k>(
    url: &str,
    keys: DdnKeys<'k>,
    token: &str,
    steps: &mut DdnSteps,
) -> Option<(&'k Key, Vec<&'static str>)> {
    if set_refused(url, keys, steps) {
        return None;
    }
    let kid = header_kid(token, steps)?;
    let Some(key) = keys
        .keys
        .iter()
        .find(|k| k.kid.as_deref() == Some(kid.as_str()))
    else {
        no_key(url, keys, token, &kid, steps);
        return None;
    };
    steps.pass(Id::Key, format!("key {kid} of {url}"));
    Some((key, allowed(key)))
}

/// The answer while the URL serves no key set the engine can read (a non-success status, a body
/// that is not JSON, a key its JWK reader refuses): whether there is one.
fn set_refused(url: &str, keys: DdnKeys<'_>, steps: &mut DdnSteps) -> bool {
    if let Some(status) = keys.unsuccessful {
        steps.fail(
            Id::Key,
            format!("{url} answers HTTP {status} instead of a key set"),
            UNSUCCESSFUL_HINT,
            Answer::internal(unsuccessful(status)),
        );
        return true;
    }
    if let Some(why) = keys.undecodable {
        steps.fail(
            Id::Key,
            format!("{why}; DDN's reader (serde_json, on every request) refuses it too"),
            UNDECODABLE_HINT,
            Answer::internal(DECODE_ERROR),
        );
        return true;
    }
    if let Some(why) = keys.document.and_then(refusal) {
        steps.fail(
            Id::Key,
            format!("the engine's JWK reader refuses the key set at {url}: {why}"),
            "jsonwebtoken 9 reads every key strictly (kty EC/RSA/oct/OKP, a known alg); fix or remove the key it cannot read",
            Answer::internal(DECODE_ERROR),
        );
        return true;
    }
    false
}

/// The `kid` of the token's header, as the library decodes the header (`decode_header`).
fn header_kid(token: &str, steps: &mut DdnSteps) -> Option<String> {
    let header = token
        .rsplit_once('.')
        .and_then(|(m, _)| m.rsplit_once('.'))
        .map(|(h, _)| h);
    let decoded = match header {
        None => Err("InvalidToken".to_string()),
        Some(h) => b64(h).and_then(|b| {
            serde_json::from_slice::<LibHeader>(&b).map_err(|e| format!("JSON error: {e}"))
        }),
    };
    let header = match decoded {
        Ok(h) => h,
        Err(e) => {
            steps.fail(
                Id::Format,
                format!("the engine cannot decode the token's header: {e}"),
                "send the whole token, as issued",
                Answer::bad_request(format!("Error decoding the `Authorization` header - {e}")),
            );
            return None;
        }
    };
    if header.kid.is_none() {
        steps.fail(Id::Key, "the token's header has no kid", "with jwkFromUrl DDN needs the header's kid to pick the key; Cognito tokens always carry one", Answer::bad_request("`kid` (Key ID) header claim not found in the header"));
    }
    header.kid
}

/// No key of the set has the token's `kid`: why (an empty set, another Cognito pool's token),
/// and the engine's answer.
fn no_key(url: &str, keys: DdnKeys<'_>, token: &str, kid: &str, steps: &mut DdnSteps) {
    let empty = keys
        .document
        .and_then(|d| d.get("keys"))
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    let (message, hint) = match pools(url, token) {
        _ if empty => (
            format!("the key set at {url} is empty (\"keys\": [])"),
            EMPTY_SET.to_string(),
        ),
        Some((from, fetched)) => (
            format!(
                "the token comes from pool {}, but the AuthConfig fetches pool {}'s keys (no key has kid {kid})",
                from.id, fetched.id
            ),
            format!(
                "to accept pool {}'s tokens set jwkFromUrl: {} (and issuer: {}); or send a token of pool {}",
                from.id,
                from.jwks_url(),
                from.issuer(),
                fetched.id
            ),
        ),
        None => (
            format!("no key of the set at {url} has kid {kid}"),
            "the token comes from another pool or environment, or the key rotated; DDN fetches the set on every request".to_string(),
        ),
    };
    steps.fail(
        Id::Key,
        message,
        hint,
        Answer::internal(format!("No matching JWK found for the given kid: {kid}")),
    );
}

/// The Cognito pool the token's `iss` names and the other pool whose keys `url` fetches.
fn pools(url: &str, token: &str) -> Option<(crate::cognito::Pool, crate::cognito::Pool)> {
    let fetched = crate::cognito::pool_of_jwks(url)?;
    let payload = b64(token.split('.').nth(1)?).ok()?;
    let claims: Value = serde_json::from_slice(&payload).ok()?;
    let from = crate::cognito::pool_of_issuer(claims.get("iss")?.as_str()?)?;
    (from.id != fetched.id).then_some((from, fetched))
}

fn allowed(key: &Key) -> Vec<&'static str> {
    match (&key.material, key.kty()) {
        (Material::Secret(_), _) => vec!["HS256", "HS384", "HS512"],
        (_, "RSA") => vec!["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
        (_, "EC") => vec!["ES256", "ES384"],
        _ => vec!["EdDSA"],
    }
}

/// The library's base64url: no padding, canonical last symbol; its error text.
pub(super) fn b64(part: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| format!("Base64 error: {e}"))
}
