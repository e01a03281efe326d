//! Hasura DDN's `AuthConfig` (usually `globals/metadata/auth-config.hml`) as the v3 engine reads
//! it: `kind: AuthConfig`, `version` v1, v2 or v3, and a `definition` whose `mode.jwt` is the
//! engine's `JWTConfig` (`v3/crates/auth/hasura-authn-jwt/src/jwt.rs`,
//! `v3/crates/auth/hasura-authn/src/lib.rs`).
//!
//! Pure: text and environment lookups in, a configuration or the reason the build refuses it
//! out. Every object of the JWT configuration denies unknown fields (`deny_unknown_fields`), so
//! a misspelled field is an error, reported here with the field it probably means.

use serde_json::{Map, Value};

use super::documents::is_auth_config;
pub use super::documents::{MAX_NESTING, documents, yaml_documents};
use super::mode::jwt_mode;
pub use super::read::{DdnConfigError, DdnErrorKind, did_you_mean};
use super::read::{R, err, field, known, object, one_of, string};
use crate::report::{Check, Id};

/// How the engine treats a token's `aud` when the configuration names no audience, decided by
/// the project's compatibility date (`RequireJwtAudienceValidationIfAudClaimPresent`, from
/// 2025-03-11 on; `v3/crates/compatibility/src/compatibility_date.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceMode {
    /// A token with `aud` must match the configured audience, and is refused when none is
    /// configured.
    Required,
    /// `aud` is never checked (older compatibility dates), even when an audience is configured.
    Optional,
}

/// The compatibility date from which [`AudienceMode::Required`] applies.
pub const AUDIENCE_REQUIRED_FROM: &str = "2025-03-11";

/// `claimsConfig.namespace.claimsFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimsFormat {
    /// `Json`: the claims are a JSON object.
    Json,
    /// `StringifiedJson`: the claims are a string holding a JSON object (Cognito's V1 trigger).
    StringifiedJson,
}

impl ClaimsFormat {
    /// The name as written in the AuthConfig.
    pub fn name(self) -> &'static str {
        match self {
            ClaimsFormat::Json => "Json",
            ClaimsFormat::StringifiedJson => "StringifiedJson",
        }
    }
}

/// One entry of `claimsConfig.locations`.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// `literal: VALUE`.
    Literal(Value),
    /// `path: {path: POINTER, default: VALUE}`.
    Path {
        /// The JSON pointer into the token's claims.
        path: String,
        /// The value used when the pointer finds nothing.
        default: Option<Value>,
    },
}

/// Where the Hasura claims are.
#[derive(Debug, Clone, PartialEq)]
pub enum DdnClaims {
    /// `namespace`: one object (or string) at a JSON pointer.
    Namespace {
        /// `claimsFormat`.
        format: ClaimsFormat,
        /// `location`, a JSON pointer.
        location: String,
    },
    /// `locations`: one entry per claim, in the order written.
    Locations(Vec<(String, Entry)>),
}

/// `tokenLocation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenLocation {
    /// `BearerAuthorization`: `Authorization: Bearer <token>`.
    Bearer,
    /// `Cookie` with a name: the first cookie of the `Cookie` header must be it.
    Cookie(String),
    /// `Header` with a name: the whole header value is the token.
    Header(String),
}

impl TokenLocation {
    /// How the location is described in messages.
    pub fn describe(&self) -> String {
        match self {
            TokenLocation::Bearer => "Authorization: Bearer <token>".into(),
            TokenLocation::Cookie(n) => format!("Cookie: {n}=<token>"),
            TokenLocation::Header(n) => format!("{n}: <token>"),
        }
    }
}

/// `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DdnKey {
    /// `fixed`: an algorithm and a key (a secret or a PEM public key).
    Fixed {
        /// `algorithm`.
        algorithm: String,
        /// The key text, with `valueFromEnv` already read.
        key: String,
        /// The environment variable it came from, if any.
        from_env: Option<String>,
    },
    /// `jwkFromUrl`.
    JwkFromUrl(String),
}

/// The JWT part of an AuthConfig, and what surrounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct DdnConfig {
    /// `v1`, `v2` or `v3`.
    pub version: String,
    /// `audience`: any of these.
    pub audience: Option<Vec<String>>,
    /// `issuer`.
    pub issuer: Option<String>,
    /// `allowedSkew` in seconds (the library's default leeway, 60 s, when absent).
    pub allowed_skew: Option<u64>,
    /// `claimsConfig`.
    pub claims: DdnClaims,
    /// `tokenLocation`.
    pub location: TokenLocation,
    /// `key`.
    pub key: DdnKey,
    /// v1's `allowRoleEmulationBy`.
    pub role_emulation_by: Option<String>,
    /// The audience rule, from the compatibility date when known.
    pub audience_mode: AudienceMode,
    /// The compatibility date, when the input or a flag gave it.
    pub compatibility_date: Option<String>,
    /// v4: the alternative mode used (the `X-Hasura-Auth-Mode` header's value), if not the
    /// default one.
    pub auth_mode: Option<String>,
    /// v4: the `X-Hasura-Auth-Mode` value asked for that names no alternative mode, so the
    /// request falls back to the default mode.
    pub unmatched_auth_mode: Option<String>,
}

impl DdnConfig {
    /// The leeway on `exp`: `allowedSkew`, else the JWT library's default of 60 s.
    pub fn leeway(&self) -> u64 {
        self.allowed_skew.unwrap_or(60)
    }

    /// The warning that the `X-Hasura-Auth-Mode` asked for names no alternative mode, so the
    /// request uses the default mode. The rule is the docs' and the RFC's: the shipped v4 code
    /// was not read.
    pub fn fallback_note(&self) -> Option<Check> {
        let want = self.unmatched_auth_mode.as_deref()?;
        Some(Check::warn(
            Id::LintDdnVersion,
            format!(
                "X-Hasura-Auth-Mode: {want} names no alternative mode, so the request uses the default mode (rule from the docs page \"Multiple Authentication Modes\")"
            ),
            "name one of the alternativeModes' identifiers to use that mode; without the header the default mode is used too",
        ))
    }
}

/// The AuthConfig among `docs`, read as the engine reads it; `date` is a compatibility date
/// given on the command line, which wins over a `CompatibilityConfig` document.
pub fn parse(
    docs: &[Value],
    env: &dyn Fn(&str) -> Option<String>,
    date: Option<&str>,
) -> R<DdnConfig> {
    parse_mode(docs, env, date, None)
}

/// Like [`parse`], with the v4 alternative mode a request names (`X-Hasura-Auth-Mode`).
pub fn parse_mode(
    docs: &[Value],
    env: &dyn Fn(&str) -> Option<String>,
    date: Option<&str>,
    auth_mode: Option<&str>,
) -> R<DdnConfig> {
    let configs: Vec<&Value> = docs.iter().filter(|d| is_auth_config(d)).collect();
    let doc = match configs.as_slice() {
        [one] => *one,
        [] => return err("", "no AuthConfig document", "add `kind: AuthConfig`"),
        _ => {
            return err(
                "",
                format!("{} AuthConfig documents", configs.len()),
                "a supergraph has exactly one AuthConfig; keep one",
            );
        }
    };
    let date = date.map(str::to_string).or_else(|| {
        docs.iter()
            .find(|d| d.get("kind").and_then(Value::as_str) == Some("CompatibilityConfig"))
            .and_then(|d| d.get("date"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let obj = object(doc, "")?;
    known(obj, "", &["kind", "version", "definition"])?;
    let version = match obj.get("version").and_then(Value::as_str) {
        Some(v @ ("v1" | "v2" | "v3" | "v4")) => v.to_string(),
        Some(v) => {
            return err(
                "version",
                format!("unknown AuthConfig version {v:?}"),
                "the engine reads v1 to v4; write `version: v3` (v4 adds alternativeModes)",
            );
        }
        None => return err("version", "missing `version`", "write `version: v3`"),
    };
    let def = object(field(obj, "", "definition")?, "definition")?;
    let mut allowed = vec!["mode"];
    match version.as_str() {
        "v1" => allowed.push("allowRoleEmulationBy"),
        "v4" => allowed.push("alternativeModes"),
        _ => {}
    }
    known(def, "definition", &allowed)?;
    let role_emulation_by = match def.get("allowRoleEmulationBy") {
        Some(v) => Some(string(v, "definition.allowRoleEmulationBy")?),
        None => None,
    };
    let requested = auth_mode;
    let (jwt, at, auth_mode) = jwt_mode(def, requested)?;
    let mut cfg = jwt_config(jwt, &at, env)?;
    cfg.unmatched_auth_mode = requested
        .filter(|_| auth_mode.is_none())
        .map(str::to_string);
    cfg.auth_mode = auth_mode;
    cfg.version = version;
    cfg.role_emulation_by = role_emulation_by;
    cfg.audience_mode = match date.as_deref() {
        Some(d) if d < AUDIENCE_REQUIRED_FROM => AudienceMode::Optional,
        _ => AudienceMode::Required,
    };
    cfg.compatibility_date = date;
    Ok(cfg)
}

/// `JWTConfig`: every field, in the order the engine declares them.
fn jwt_config(
    jwt: &Map<String, Value>,
    at: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> R<DdnConfig> {
    known(
        jwt,
        at,
        &[
            "audience",
            "issuer",
            "allowedSkew",
            "claimsConfig",
            "tokenLocation",
            "key",
        ],
    )?;
    let audience = match jwt.get("audience") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| string(v, &format!("{at}.audience")))
                .collect::<R<Vec<_>>>()?,
        ),
        Some(_) => {
            return err(
                &format!("{at}.audience"),
                "`audience` is not a list",
                "write a list even for one client id: audience: [\"<app client id>\"]",
            );
        }
    };
    let issuer = match jwt.get("issuer") {
        None | Some(Value::Null) => None,
        Some(v) => Some(string(v, &format!("{at}.issuer"))?),
    };
    let allowed_skew = match jwt.get("allowedSkew") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| DdnConfigError {
            path: format!("{at}.allowedSkew"),
            message: format!("`allowedSkew` is {v}, not a whole number of seconds"),
            hint: "write seconds as a non-negative integer, e.g. allowedSkew: 60".into(),
            kind: DdnErrorKind::Refused,
        })?),
    };
    let claims = claims_config(
        field(jwt, at, "claimsConfig")?,
        &format!("{at}.claimsConfig"),
    )?;
    let location = token_location(
        field(jwt, at, "tokenLocation")?,
        &format!("{at}.tokenLocation"),
    )?;
    let key = key(field(jwt, at, "key")?, &format!("{at}.key"), env)?;
    Ok(DdnConfig {
        version: String::new(),
        audience,
        issuer,
        allowed_skew,
        claims,
        location,
        key,
        role_emulation_by: None,
        audience_mode: AudienceMode::Required,
        compatibility_date: None,
        auth_mode: None,
        unmatched_auth_mode: None,
    })
}

fn claims_config(v: &Value, at: &str) -> R<DdnClaims> {
    let obj = object(v, at)?;
    match one_of(obj, at, &["namespace", "locations"])? {
        ("namespace", ns) => {
            let at = format!("{at}.namespace");
            let ns = object(ns, &at)?;
            known(ns, &at, &["claimsFormat", "location"])?;
            let format = match field(ns, &at, "claimsFormat")?.as_str() {
                Some("Json") => ClaimsFormat::Json,
                Some("StringifiedJson") => ClaimsFormat::StringifiedJson,
                other => {
                    return err(
                        &format!("{at}.claimsFormat"),
                        format!(
                            "unknown claimsFormat {}",
                            other.map_or("(not a string)".into(), |s| format!("{s:?}"))
                        ),
                        "write Json or StringifiedJson (Cognito's Pre Token Generation V1 trigger writes StringifiedJson)",
                    );
                }
            };
            let location = pointer(field(ns, &at, "location")?, &format!("{at}.location"))?;
            Ok(DdnClaims::Namespace { format, location })
        }
        (_, locs) => {
            let at = format!("{at}.locations");
            let locs = object(locs, &at)?;
            for required in ["x-hasura-default-role", "x-hasura-allowed-roles"] {
                if !locs.contains_key(required) {
                    return err(
                        &at,
                        format!("missing field `{required}`"),
                        format!("give `{required}` a path or a literal"),
                    );
                }
            }
            let entries = locs
                .iter()
                .map(|(name, e)| Ok((name.clone(), entry(e, &format!("{at}.{name}"))?)))
                .collect::<R<Vec<_>>>()?;
            Ok(DdnClaims::Locations(entries))
        }
    }
}

fn entry(v: &Value, at: &str) -> R<Entry> {
    let obj = object(v, at)?;
    match one_of(obj, at, &["literal", "path"])? {
        ("literal", lit) => Ok(Entry::Literal(lit.clone())),
        (_, p) => {
            let at = format!("{at}.path");
            let p = object(p, &at)?;
            known(p, &at, &["path", "default"])?;
            Ok(Entry::Path {
                path: pointer(field(p, &at, "path")?, &format!("{at}.path"))?,
                default: p.get("default").filter(|d| !d.is_null()).cloned(),
            })
        }
    }
}

fn token_location(v: &Value, at: &str) -> R<TokenLocation> {
    let obj = object(v, at)?;
    let ty = field(obj, at, "type")?.as_str().unwrap_or_default();
    let name = || -> R<String> { string(field(obj, at, "name")?, &format!("{at}.name")) };
    match ty {
        "BearerAuthorization" => {
            known(obj, at, &["type"])?;
            Ok(TokenLocation::Bearer)
        }
        "Cookie" => {
            known(obj, at, &["type", "name"])?;
            Ok(TokenLocation::Cookie(name()?))
        }
        "Header" => {
            known(obj, at, &["type", "name"])?;
            Ok(TokenLocation::Header(name()?))
        }
        other => err(
            &format!("{at}.type"),
            format!("unknown tokenLocation type {other:?}"),
            did_you_mean(other, &["BearerAuthorization", "Cookie", "Header"])
                .unwrap_or_else(|| "write BearerAuthorization, Cookie or Header".into()),
        ),
    }
}

fn key(v: &Value, at: &str, env: &dyn Fn(&str) -> Option<String>) -> R<DdnKey> {
    let obj = object(v, at)?;
    match one_of(obj, at, &["fixed", "jwkFromUrl"])? {
        ("fixed", f) => {
            let at = format!("{at}.fixed");
            let f = object(f, &at)?;
            known(f, &at, &["algorithm", "key"])?;
            let algorithm = string(field(f, &at, "algorithm")?, &format!("{at}.algorithm"))?;
            if !ALGORITHMS.contains(&algorithm.as_str()) {
                return err(
                    &format!("{at}.algorithm"),
                    format!("unknown algorithm {algorithm:?}"),
                    format!("the engine accepts {}", ALGORITHMS.join(", ")),
                );
            }
            let (key, from_env) = env_value(field(f, &at, "key")?, &format!("{at}.key"), env)?;
            Ok(DdnKey::Fixed {
                algorithm,
                key,
                from_env,
            })
        }
        (_, url) => {
            let url = string(url, &format!("{at}.jwkFromUrl"))?;
            if url::Url::parse(&url).is_err() {
                return err(
                    &format!("{at}.jwkFromUrl"),
                    format!("{url:?} is not a URL"),
                    "give the key set's full URL, e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json",
                );
            }
            Ok(DdnKey::JwkFromUrl(url))
        }
    }
}

/// The algorithms `fixed` accepts (jsonwebtoken 9's `Algorithm`).
pub const ALGORITHMS: [&str; 12] = [
    "HS256", "HS384", "HS512", "ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384",
    "PS512", "EdDSA",
];

/// An `EnvironmentValue`: `value: TEXT` or `valueFromEnv: NAME`.
fn env_value(
    v: &Value,
    at: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> R<(String, Option<String>)> {
    let obj = object(v, at)?;
    match one_of(obj, at, &["value", "valueFromEnv"])? {
        ("value", text) => Ok((string(text, &format!("{at}.value"))?, None)),
        (_, name) => {
            let name = string(name, &format!("{at}.valueFromEnv"))?;
            match env(&name) {
                Some(value) => Ok((value, Some(name))),
                None => err(
                    &format!("{at}.valueFromEnv"),
                    format!("the environment variable {name} is not set"),
                    format!("export {name} (DDN reads it from the project's .env at build time)"),
                ),
            }
        }
    }
}

/// A JSON pointer as jsonptr 0.4 parses it: empty, or `/`-led with `~` only in `~0` / `~1`.
fn pointer(v: &Value, at: &str) -> R<String> {
    let p = string(v, at)?;
    if let Some(why) = pointer_problem(&p) {
        return err(at, why, pointer_hint(&p));
    }
    Ok(p)
}

/// Why the engine refuses `p` as a JSON pointer, if it does.
pub fn pointer_problem(p: &str) -> Option<String> {
    if !p.is_empty() && !p.starts_with('/') {
        return Some(format!(
            "json pointer {p:?} is malformed due to missing starting slash"
        ));
    }
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some('0' | '1')) {
            return Some(format!(
                "json pointer {p:?} is malformed: `~` must be followed by 0 or 1"
            ));
        }
    }
    None
}

fn pointer_hint(p: &str) -> String {
    if p.starts_with('$') || p.contains('[') {
        return format!(
            "DDN takes a JSON pointer, not a JSONPath: {}",
            crate::hasura::jsonpath::to_pointer(p)
                .map(|ptr| format!("write {ptr:?}"))
                .unwrap_or_else(|| "write /member/member (RFC 6901)".into())
        );
    }
    format!(
        "write {:?} (RFC 6901: `/` before each member, `~1` for a `/` inside a name)",
        format!("/{p}")
    )
}
