//! `HASURA_GRAPHQL_JWT_SECRET` as the engine reads it (`instance FromJSON JWTConfig`, JWT.hs):
//! the same fields, defaults, precedence and startup error messages.
//!
//! Pure. The engine ignores unknown fields silently; they are collected here so that jwtcheck
//! can point at typos.

use serde_json::{Map, Value};

use super::aeson::{self, error_in, mismatch, path_key};
use super::hspem;
use crate::hasura::claims::{DEFAULT_NAMESPACE, Format};
use crate::hasura::jsonpath::{self, JsonPath};
use crate::jose::jwk::{Key, Material};
use crate::jose::pem;

/// The fields the engine reads.
pub const KNOWN_FIELDS: [&str; 11] = [
    "type",
    "key",
    "jwk_url",
    "claims_namespace",
    "claims_namespace_path",
    "claims_format",
    "claims_map",
    "audience",
    "issuer",
    "allowed_skew",
    "header",
];

/// The `type` values the engine accepts with `key`.
pub const KEY_TYPES: [&str; 10] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "Ed25519", "ES256", "ES384", "ES512",
];

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyConfig {
    /// `type` and `key`: one key.
    Static {
        /// The `type` value.
        alg_type: String,
        /// The key (an HMAC secret or a public key).
        key: Key,
    },
    /// `jwk_url`.
    Url(String),
}

/// Where the Hasura claims are in namespace mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    /// `claims_namespace`: a top-level member name.
    Key(String),
    /// `claims_namespace_path`: a path over the unregistered claims.
    Path(JsonPath),
}

impl Namespace {
    /// How the engine names the location in messages: `claims_namespace <ns>` or
    /// `claims_namespace_path <path>`.
    pub fn describe(&self) -> String {
        match self {
            Namespace::Key(k) => format!("claims_namespace {k}"),
            Namespace::Path(p) => format!("claims_namespace_path {}", p.encode()),
        }
    }
}

/// A `claims_map` entry: a path (with an optional default) or a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapValue<T> {
    /// `{"path": "...", "default": ...}`.
    Path(JsonPath, Option<T>),
    /// A literal value.
    Static(T),
}

/// `claims_map`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsMap {
    /// `x-hasura-allowed-roles`.
    pub allowed_roles: MapValue<Vec<String>>,
    /// `x-hasura-default-role`.
    pub default_role: MapValue<String>,
    /// Other entries (names lower-cased), `x-hasura-*` or not.
    pub others: Vec<(String, MapValue<String>)>,
}

/// How the engine finds the claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claims {
    /// Namespace mode.
    Namespace {
        /// Where.
        ns: Namespace,
        /// How encoded.
        format: Format,
    },
    /// `claims_map` mode (namespace and format are then ignored).
    Map(ClaimsMap),
}

/// Where the engine looks for the token in a request (`header`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `Authorization: Bearer <token>`.
    Authorization,
    /// A cookie of this name.
    Cookie(String),
    /// A header of this name (lower-cased), the raw token with no `Bearer`.
    CustomHeader(String),
}

impl Location {
    /// How a client must send the token.
    pub fn describe(&self) -> String {
        match self {
            Location::Authorization => "Authorization: Bearer <token>".into(),
            Location::Cookie(n) => format!("Cookie: {n}=<token>"),
            Location::CustomHeader(n) => format!("{n}: <token>"),
        }
    }
}

/// One JWT configuration as the engine holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtConfig {
    /// The key source.
    pub key: KeyConfig,
    /// `audience`: accepted audiences.
    pub audience: Option<Vec<String>>,
    /// `issuer`.
    pub issuer: Option<String>,
    /// How the claims are found.
    pub claims: Claims,
    /// `claims_namespace`/`claims_namespace_path` as parsed (also when `claims_map` overrides them).
    pub namespace: Namespace,
    /// Whether the namespace or path was given explicitly.
    pub namespace_given: bool,
    /// `claims_format` as parsed.
    pub format: Format,
    /// Whether `claims_format` was given explicitly.
    pub format_given: bool,
    /// `allowed_skew` in seconds (the engine uses its absolute value).
    pub allowed_skew: Option<f64>,
    /// `header`.
    pub location: Location,
    /// `header` as the engine holds it for equality (`Maybe JWTHeader`): absent, or the kind and
    /// the name as written (`X-Token` and `x-token` differ).
    pub header_written: Option<String>,
    /// Fields the engine ignores (typos, most likely).
    pub unknown_fields: Vec<String>,
}

impl JwtConfig {
    /// Whether the engine holds the two as the same configuration (its derived equality over
    /// what it keeps: the key or URL, audience, issuer, effective claims, skew, location), as it
    /// does when it merges duplicate entries of HASURA_GRAPHQL_JWT_SECRETS.
    pub fn engine_eq(&self, other: &JwtConfig) -> bool {
        self.engine_key() == other.engine_key()
    }

    /// A canonical rendering of what the engine compares (the key or URL, audience, issuer,
    /// claims, skew and `header` as given: `L.nub` compares the parsed entries field by field,
    /// so no `header` and `{"type":"Authorization"}` differ; a static key's type word aside),
    /// for linear de-duplication.
    pub fn engine_key(&self) -> String {
        let key = match &self.key {
            KeyConfig::Url(u) => format!("url {u}"),
            KeyConfig::Static { key, .. } => format!("key {key:?}"),
        };
        format!(
            "{key}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.audience, self.issuer, self.claims, self.allowed_skew, self.header_written
        )
    }

    /// The leeway the engine applies.
    pub fn skew(&self) -> f64 {
        self.allowed_skew.map_or(0.0, f64::abs)
    }
}

/// A configuration the engine refuses at startup, with the engine's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StartupError {
    /// The aeson-rendered message (`Error in $: key and jwk_url both cannot be empty`).
    pub message: String,
    /// Whether jwtcheck is unsure of the engine's exact wording for this case.
    pub approximate: bool,
    /// The fix, when the cause is known beyond the message.
    pub hint: Option<&'static str>,
}

impl StartupError {
    fn at(path: &str, message: impl AsRef<str>) -> StartupError {
        StartupError {
            message: error_in(path, message.as_ref()),
            approximate: false,
            hint: None,
        }
    }

    fn approx(mut self) -> StartupError {
        self.approximate = true;
        self
    }

    /// The whole line the engine prints before exiting with status 1.
    pub fn fatal_line(&self, variable: &str) -> String {
        format!(
            "Fatal Error:- Environment variable {variable}: {}",
            self.message
        )
    }
}

type R<T> = Result<T, StartupError>;

// One step per field, in the order of the engine's FromJSON instance (JWT.hs), so that the
// first error found is the one the engine prints.
/// Reads one configuration (a JSON value, duplicates resolved first-wins as aeson does).
pub fn parse(value: &Value) -> R<JwtConfig> {
    let Value::Object(o) = value else {
        return Err(StartupError::at(
            "$",
            mismatch("JWTConfig", "Object", value),
        ));
    };
    let raw_key = opt_text(o, "key")?;
    let claims_ns = opt_text(o, "claims_namespace")?;
    let claims_ns_path = opt_text(o, "claims_namespace_path")?;
    let audience = opt(o, "audience")
        .map(|v| audience(v, &path_key("$", "audience")))
        .transpose()?;
    let issuer = opt(o, "issuer")
        .map(|v| string_or_uri(v, &path_key("$", "issuer")))
        .transpose()?;
    let jwk_url = opt(o, "jwk_url")
        .map(|v| uri(v, &path_key("$", "jwk_url")))
        .transpose()?;
    let format = claims_format(o)?;
    let claims_map = opt(o, "claims_map").map(claims_map).transpose()?;
    let allowed_skew = allowed_skew(o)?;
    let location = opt(o, "header")
        .map(header)
        .transpose()?
        .unwrap_or(Location::Authorization);
    let header_written = opt(o, "header").map(|h| {
        let name = h.get("name").and_then(Value::as_str).unwrap_or_default();
        match &location {
            Location::Authorization => "authorization".to_string(),
            Location::Cookie(_) => format!("cookie {name}"),
            Location::CustomHeader(_) => format!("custom {name}"),
        }
    });

    let namespace = namespace(claims_ns_path.as_deref(), claims_ns.as_deref())?;
    let key = key_config(o, raw_key, jwk_url)?;
    let claims = match claims_map {
        Some(m) => Claims::Map(m),
        None => Claims::Namespace {
            ns: namespace.clone(),
            format,
        },
    };
    Ok(JwtConfig {
        key,
        audience,
        issuer,
        claims,
        namespace,
        namespace_given: claims_ns.is_some() || claims_ns_path.is_some(),
        format,
        format_given: opt(o, "claims_format").is_some(),
        allowed_skew,
        location,
        header_written,
        unknown_fields: o
            .keys()
            .filter(|k| !KNOWN_FIELDS.contains(&k.as_str()))
            .cloned()
            .collect(),
    })
}

/// `claims_format`: `json` (the default) or `stringified_json`.
fn claims_format(o: &Map<String, Value>) -> R<Format> {
    Ok(match opt(o, "claims_format") {
        None => Format::Json,
        Some(Value::String(s)) if s == "json" => Format::Json,
        Some(Value::String(s)) if s == "stringified_json" => Format::StringifiedJson,
        Some(Value::String(s)) => {
            return Err(StartupError::at(
                &path_key("$", "claims_format"),
                format!(
                    "parsing Hasura.Server.Auth.JWT.JWTClaimsFormat failed, expected one of the tags [\"json\",\"stringified_json\"], but found tag {}",
                    aeson::show(s)
                ),
            ));
        }
        Some(other) => {
            return Err(StartupError::at(
                &path_key("$", "claims_format"),
                mismatch("Hasura.Server.Auth.JWT.JWTClaimsFormat", "String", other),
            ));
        }
    })
}

/// `allowed_skew`: a number of seconds.
fn allowed_skew(o: &Map<String, Value>) -> R<Option<f64>> {
    Ok(match opt(o, "allowed_skew") {
        None => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(other) => {
            return Err(StartupError::at(
                &path_key("$", "allowed_skew"),
                mismatch("NominalDiffTime", "Number", other),
            ));
        }
    })
}

/// Where the Hasura claims are: `claims_namespace_path`, `claims_namespace`, or the default key.
fn namespace(path: Option<&str>, key: Option<&str>) -> R<Namespace> {
    Ok(match (path, key) {
        (None, None) => Namespace::Key(DEFAULT_NAMESPACE.to_string()),
        (Some(p), None) => Namespace::Path(jsonpath::parse(p).map_err(|e| {
            StartupError::at(
                "$",
                format!("invalid JSON path claims_namespace_path error: {e}"),
            )
        })?),
        (None, Some(ns)) => Namespace::Key(ns.to_string()),
        (Some(_), Some(_)) => {
            return Err(StartupError::at(
                "$",
                "claims_namespace and claims_namespace_path both cannot be set",
            ));
        }
    })
}

/// The key: a static `key` with its `type`, or a `jwk_url`; exactly one of them.
fn key_config(
    o: &Map<String, Value>,
    raw_key: Option<String>,
    jwk_url: Option<String>,
) -> R<KeyConfig> {
    Ok(match (raw_key, jwk_url) {
        (None, None) => {
            return Err(StartupError::at(
                "$",
                "key and jwk_url both cannot be empty",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(StartupError::at("$", "key, jwk_url both cannot be present"));
        }
        (Some(raw), None) => {
            let alg_type = match o.get("type") {
                None => return Err(StartupError::at("$", "key \"type\" not found")),
                Some(Value::String(t)) => t.clone(),
                Some(other) => {
                    return Err(StartupError::at(
                        "$.type",
                        mismatch("Text", "String", other),
                    ));
                }
            };
            KeyConfig::Static {
                key: parse_key(&alg_type, &raw)?,
                alg_type,
            }
        }
        (None, Some(url)) => KeyConfig::Url(url),
    })
}

/// `.:?`: a member that is absent or `null` is absent.
fn opt<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    o.get(k).filter(|v| !v.is_null())
}

fn opt_text(o: &Map<String, Value>, k: &str) -> R<Option<String>> {
    match opt(o, k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(StartupError::at(
            &path_key("$", k),
            mismatch("Text", "String", other),
        )),
    }
}

/// jose's StringOrURI: a string; one with a `:` must be an absolute URI.
pub fn string_or_uri(v: &Value, path: &str) -> R<String> {
    match v {
        Value::String(s) if s.contains(':') && !is_uri(s) => {
            Err(StartupError::at(path, "failed to parse StringOrURI"))
        }
        Value::String(s) => Ok(s.clone()),
        other => Err(StartupError::at(
            path,
            mismatch("StringOrURI", "String", other),
        )),
    }
}

fn audience(v: &Value, path: &str) -> R<Vec<String>> {
    // jose: a list of StringOrURI, or else one; when both fail, aeson reports the second
    // alternative (for a list: "expected String, but encountered Array").
    if let Value::Array(items) = v
        && let Ok(all) = items.iter().map(|i| string_or_uri(i, path)).collect()
    {
        return Ok(all);
    }
    string_or_uri(v, path).map(|s| vec![s])
}

fn uri(v: &Value, path: &str) -> R<String> {
    match v {
        Value::String(s) if is_uri(s) => Ok(s.clone()),
        Value::String(s) => Err(StartupError::at(path, format!("not a valid URI: {s}")).approx()),
        other => Err(StartupError::at(path, mismatch("URI", "String", other)).approx()),
    }
}

/// An absolute URI as network-uri's `parseURI` reads it (RFC 3986).
pub fn is_uri(s: &str) -> bool {
    super::uri::parse_uri(s)
}

fn header(v: &Value) -> R<Location> {
    let path = "$.header";
    let Value::Object(o) = v else {
        return Err(StartupError::at(path, mismatch("JWTHeader", "Object", v)));
    };
    let kind = match o.get("type") {
        None => return Err(StartupError::at(path, "key \"type\" not found")),
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        Some(other) => {
            return Err(StartupError::at(
                "$.header.type",
                mismatch("Text", "String", other),
            ));
        }
    };
    let name = || match o.get("name") {
        Some(Value::String(s)) => Ok(s.clone()),
        None => Err(StartupError::at(path, "key \"name\" not found")),
        Some(other) => Err(StartupError::at(
            "$.header.name",
            mismatch("Text", "String", other),
        )),
    };
    match kind.as_str() {
        "authorization" => Ok(Location::Authorization),
        "cookie" => Ok(Location::Cookie(name()?)),
        "customheader" => Ok(Location::CustomHeader(name()?.to_ascii_lowercase())),
        _ => Err(StartupError::at(
            path,
            "expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'",
        )),
    }
}

fn claims_map(v: &Value) -> R<ClaimsMap> {
    let path = path_key("$", "claims_map");
    let Value::Object(o) = v else {
        return Err(StartupError::at(
            &path,
            mismatch("JWTClaimsMap", "Object", v),
        ));
    };
    let get = |name: &str| {
        o.get(name)
            .ok_or_else(|| StartupError::at(&path, format!("{name} is expected but not found")))
    };
    let allowed = map_value(get("x-hasura-allowed-roles")?, &path, aeson::roles)?;
    let default = map_value(get("x-hasura-default-role")?, &path, aeson::role)?;
    let mut others: Vec<(String, MapValue<String>)> = Vec::new();
    for (k, v) in o {
        let lower = k.to_ascii_lowercase();
        // Entries that are not x-hasura-* are kept: older engines require them like the
        // others, newer ones (quoted messages) drop them.
        if lower == "x-hasura-allowed-roles" || lower == "x-hasura-default-role" {
            continue;
        }
        let value = map_value(v, &path, aeson::text)?;
        match others.iter_mut().find(|(n, _)| *n == lower) {
            Some(slot) => slot.1 = value,
            None => others.push((lower, value)),
        }
    }
    Ok(ClaimsMap {
        allowed_roles: allowed,
        default_role: default,
        others,
    })
}

fn map_value<T>(
    v: &Value,
    path: &str,
    literal: impl Fn(&Value) -> Result<T, String>,
) -> R<MapValue<T>> {
    match v {
        Value::Object(o) => {
            let p = match o.get("path") {
                Some(Value::String(s)) => {
                    jsonpath::parse(s).map_err(|e| StartupError::at(path, e))?
                }
                Some(other) => {
                    return Err(StartupError::at(
                        &format!("{path}.path"),
                        mismatch("Text", "String", other),
                    ));
                }
                None => return Err(StartupError::at(path, "key \"path\" not found")),
            };
            let default = match opt(o, "default") {
                None => None,
                Some(d) => {
                    Some(literal(d).map_err(|e| StartupError::at(&format!("{path}.default"), e))?)
                }
            };
            Ok(MapValue::Path(p, default))
        }
        other => literal(other)
            .map(MapValue::Static)
            .map_err(|e| StartupError::at(path, e)),
    }
}

/// Reads `key` as the engine does for its `type` (JWT/Internal.hs).
fn parse_key(alg_type: &str, raw: &str) -> R<Key> {
    let invalid = |msg: String| StartupError::at("$", format!("Invalid JWK: {msg}"));
    match alg_type {
        "HS256" | "HS384" | "HS512" => {
            let min = match alg_type {
                "HS256" => 32,
                "HS384" => 48,
                _ => 64,
            };
            if raw.len() < min {
                return Err(invalid(format!(
                    "Key size too small; should be atleast {min} characters"
                )));
            }
            Ok(Key::bare(Material::Secret(raw.as_bytes().to_vec())))
        }
        t if KEY_TYPES.contains(&t) => {
            // The PKCS and the X.509 readers each parse the text and their errors are joined.
            let blocks = hspem::parse(raw).map_err(|e| StartupError {
                approximate: e.approximate,
                hint: Some(hspem::PEM_LINES_HINT),
                ..invalid(format!("Could not decode PEM: {0} {0}", e.message))
            })?;
            let Some(first) = blocks.first() else {
                return Err(invalid(
                    "Could not decode PEM: No pem found No pem found".into(),
                ));
            };
            match pem::public_key(&pem::encode(&first.label, &first.der)) {
                Ok(pk) => Ok(Key::bare(Material::Public(pk))),
                Err(e) => Err(invalid(format!("Could not decode PEM: {e}")).approx()),
            }
        }
        t => Err(invalid(format!("Key type: {t} is not supported"))),
    }
}

/// Reads `HASURA_GRAPHQL_JWT_SECRET` text (a JSON object).
pub fn parse_text(text: &str) -> R<JwtConfig> {
    parse(&parse_json(text)?)
}

/// Reads `HASURA_GRAPHQL_JWT_SECRETS` text (a JSON array of configurations), removing
/// duplicates as the engine does.
pub fn parse_list(text: &str) -> R<Vec<JwtConfig>> {
    let value = parse_json(text)?;
    let Value::Array(items) = &value else {
        return Err(StartupError::at("$", mismatch("[]", "Array", &value)));
    };
    let mut out: Vec<JwtConfig> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let c = parse(item).map_err(|e| StartupError {
            message: e
                .message
                .replacen("Error in $", &format!("Error in $[{i}]"), 1),
            approximate: e.approximate,
            hint: e.hint,
        })?;
        out.push(c);
    }
    Ok(dedupe(out))
}

/// The configurations the engine keeps of a list: equal entries merged, first kept (linear:
/// equality by a canonical rendering of what the engine compares).
pub fn dedupe(configs: Vec<JwtConfig>) -> Vec<JwtConfig> {
    let mut seen = std::collections::HashSet::new();
    configs
        .into_iter()
        .filter(|c| seen.insert(c.engine_key()))
        .collect()
}

fn parse_json(text: &str) -> R<Value> {
    crate::jose::json::parse_first_wins(text.trim().as_bytes())
        .map(|p| p.value)
        .map_err(|e| StartupError {
            message: format!("Error in $: {e}"),
            approximate: true,
            hint: None,
        })
}

/// A known field that `name` is probably a typo of.
pub fn suggestion(name: &str) -> Option<&'static str> {
    KNOWN_FIELDS
        .iter()
        .map(|k| (strsim::levenshtein(&name.to_ascii_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

/// Why a fixed public key does not serve a Cognito pool's tokens.
pub const COGNITO_KEYS: &str = "Cognito signs id and access tokens with different keys and may rotate them, and the engine never refetches a fixed key";

/// The fix for a fixed `key` where a Cognito pool's tokens are verified.
pub fn jwk_url_instead(p: &crate::cognito::Pool) -> String {
    format!(
        "replace \"type\" and \"key\" with \"jwk_url\": {:?}",
        p.jwks_url()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        parse(&v).unwrap_err().message
    }

    #[test]
    fn reads_the_sample_cognito_configuration() {
        let c = parse(&json!({
            "type": "RS256",
            "jwk_url": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X/.well-known/jwks.json",
            "claims_format": "stringified_json",
            "audience": "client",
            "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"
        }))
        .unwrap();
        assert!(matches!(c.key, KeyConfig::Url(_)));
        assert_eq!(c.audience, Some(vec!["client".to_string()]));
        assert_eq!(c.location, Location::Authorization);
        match c.claims {
            Claims::Namespace { ns, format } => {
                assert_eq!(ns, Namespace::Key(DEFAULT_NAMESPACE.into()));
                assert_eq!(format, Format::StringifiedJson);
            }
            Claims::Map(_) => panic!("namespace mode"),
        }
    }

    #[test]
    fn startup_errors_have_the_engine_text() {
        assert_eq!(
            err(json!({})),
            "Error in $: key and jwk_url both cannot be empty"
        );
        assert_eq!(
            err(json!({"key": "k", "jwk_url": "https://x"})),
            "Error in $: key, jwk_url both cannot be present"
        );
        assert_eq!(
            err(json!({"key": "k"})),
            "Error in $: key \"type\" not found"
        );
        assert_eq!(
            err(json!({"type": "PS256", "key": "k"})),
            "Error in $: Invalid JWK: Key type: PS256 is not supported"
        );
        assert_eq!(
            err(json!({"type": "HS256", "key": "short"})),
            "Error in $: Invalid JWK: Key size too small; should be atleast 32 characters"
        );
        assert_eq!(
            err(json!({"jwk_url": "https://x", "claims_format": "stringified"})),
            "Error in $['claims_format']: parsing Hasura.Server.Auth.JWT.JWTClaimsFormat failed, expected one of the tags [\"json\",\"stringified_json\"], but found tag \"stringified\""
        );
        assert_eq!(
            err(json!({"jwk_url": "https://x", "allowed_skew": "60"})),
            "Error in $['allowed_skew']: parsing NominalDiffTime failed, expected Number, but encountered String"
        );
        assert_eq!(
            err(
                json!({"jwk_url": "https://x", "claims_namespace": "a", "claims_namespace_path": "$.a"})
            ),
            "Error in $: claims_namespace and claims_namespace_path both cannot be set"
        );
        assert!(
            err(json!({"jwk_url": "https://x", "claims_namespace_path": "$.a b"})).starts_with(
                "Error in $: invalid JSON path claims_namespace_path error: $.a b. Accept letters"
            )
        );
        assert_eq!(
            err(json!({"jwk_url": "https://x", "header": {"type": "Bearer"}})),
            "Error in $.header: expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'"
        );
        assert_eq!(
            err(json!({"jwk_url": "https://x", "claims_map": {"x-hasura-default-role": "user"}})),
            "Error in $['claims_map']: x-hasura-allowed-roles is expected but not found"
        );
    }

    #[test]
    fn the_first_type_error_in_field_order_wins() {
        assert_eq!(
            err(json!({"allowed_skew": "x", "key": 1})),
            "Error in $.key: parsing Text failed, expected String, but encountered Number"
        );
    }

    #[test]
    fn claims_map_with_paths_literals_and_defaults() {
        let c = parse(&json!({
            "jwk_url": "https://x",
            "claims_map": {
                "x-hasura-allowed-roles": {"path": "$.roles", "default": ["user"]},
                "x-hasura-default-role": "user",
                "X-Hasura-User-Id": {"path": "$.sub"},
                "x-hasura-custom": "custom-value",
                "not-a-session-variable": "ignored"
            }
        }))
        .unwrap();
        let Claims::Map(m) = c.claims else {
            panic!("map")
        };
        assert!(
            matches!(m.allowed_roles, MapValue::Path(_, Some(ref d)) if d == &["user".to_string()])
        );
        assert_eq!(m.default_role, MapValue::Static("user".into()));
        assert_eq!(m.others.len(), 3, "non-x-hasura entries are kept too");
        assert_eq!(m.others[0].0, "x-hasura-user-id");
    }

    #[test]
    fn unknown_fields_get_suggestions() {
        let c = parse(&json!({"jwk_url": "https://x", "claim_format": "json", "jwks_url": "y"}))
            .unwrap();
        assert_eq!(c.unknown_fields, vec!["claim_format", "jwks_url"]);
        assert_eq!(suggestion("claim_format"), Some("claims_format"));
        assert_eq!(suggestion("jwks_url"), Some("jwk_url"));
        assert_eq!(
            suggestion("claims_namespace_paths"),
            Some("claims_namespace_path")
        );
        assert_eq!(suggestion("totally_else"), None);
    }

    // #33 item 6. JWT.hs reads HASURA_GRAPHQL_JWT_SECRETS with `L.nub` over the parsed entries:
    // derived equality, field by field, so an absent `header` is not `{"type":"Authorization"}`,
    // and custom header names stay as written.
    #[test]
    fn lists_keep_entries_that_differ_only_in_how_header_is_written() {
        let two = |a: &str, b: &str| {
            parse_list(&format!(
                r#"[{{"jwk_url":"https://x"{a}}},{{"jwk_url":"https://x"{b}}}]"#
            ))
            .unwrap()
            .len()
        };
        assert_eq!(two("", r#","header":{"type":"Authorization"}"#), 2);
        assert_eq!(
            two(
                r#","header":{"type":"CustomHeader","name":"X-Token"}"#,
                r#","header":{"type":"CustomHeader","name":"x-token"}"#
            ),
            2
        );
        assert_eq!(
            two(
                r#","header":{"type":"Authorization"}"#,
                r#","header":{"type":"Authorization"}"#
            ),
            1
        );
    }

    #[test]
    fn lists_are_deduplicated() {
        let list = parse_list(r#"[{"jwk_url":"https://x"},{"jwk_url":"https://x","claims_format":"json","foo":1},{"jwk_url":"https://y","issuer":"i"}]"#).unwrap();
        assert_eq!(list.len(), 2, "equal as the engine sees them");
        assert_eq!(
            parse_list(r#"[{"jwk_url":"https://x"},{}]"#)
                .unwrap_err()
                .message,
            "Error in $[1]: key and jwk_url both cannot be empty"
        );
    }

    #[test]
    fn uris() {
        assert!(is_uri(
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"
        ));
        assert!(is_uri("urn:example:x"));
        assert!(!is_uri("a b:c"));
        assert!(!is_uri("1http://x"));
        assert!(!is_uri("https://x/%zz"));
    }
}
