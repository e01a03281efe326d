//! What can be said about a token without verifying it: its times, its kind, the claims table,
//! the Hasura claims under the default namespace, and the warnings `decode` shows.
//!
//! Pure: takes the token and the clock.

pub mod diff;
pub mod registry;

use crate::report::Id;
use serde_json::{Map, Value};

use crate::clock;
use crate::hasura;
use crate::hasura::claims::{DEFAULT_NAMESPACE, Shape};
use crate::inspect::registry as claims;
use crate::jose::claimset::{ClaimSet, Claims};
use crate::jose::token::{Jws, Payload};
use crate::report::{
    Check, ClaimRow, HasuraInfo, Seconds, Shared, Status, Text, TimedClaim, TokenInfo, moment,
};

/// Algorithms jwtcheck can verify.
pub const SUPPORTED_ALGS: [&str; 14] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA", "Ed25519",
];

/// A lifetime (exp − iat) above this is worth a warning: Cognito's maximum is one day.
pub const LONG_LIFETIME: f64 = 86_400.0;

/// Header parameters that point at or carry keys; a verifier must never use them.
pub const UNTRUSTED_HEADER_KEYS: [&str; 4] = ["jku", "x5u", "jwk", "x5c"];

/// The decoded token as the report shows it.
pub fn token_info(jws: &Jws, now: f64) -> TokenInfo {
    let (payload, payload_text) = match &jws.payload {
        Payload::Claims(c) => (Shared(Some(c.shared().clone())), None),
        Payload::Other { bytes, .. } => (
            Shared(None),
            Some(String::from_utf8_lossy(bytes).into_owned()),
        ),
    };
    let empty = Map::new();
    let c = jws.claims().map_or(&empty, Claims::map);
    let cognito = c
        .get("iss")
        .and_then(Value::as_str)
        .and_then(crate::cognito::pool_of_issuer)
        .is_some();
    let times = claims::TIME_CLAIMS
        .iter()
        .filter_map(|name| {
            let Some(Value::Number(n)) = c.get(*name) else {
                return None;
            };
            let mut at = moment(n.as_f64().unwrap_or(f64::NAN), now);
            at.unix = Seconds::claim(n);
            Some(TimedClaim {
                claim: Text::Borrowed(name),
                at,
            })
        })
        .collect();
    TokenInfo {
        header: Shared(Some(jws.header.clone())),
        payload,
        payload_text,
        kind: kind(jws).map(str::to_string),
        times,
        lifetime: match (c.get("exp"), c.get("iat")) {
            (Some(Value::Number(exp)), Some(Value::Number(iat))) => Seconds::difference(exp, iat),
            _ => None,
        },
        claims: c
            .iter()
            .map(|(name, value)| ClaimRow {
                name: name.clone(),
                value: show_value(name, value, now),
                meaning: Text::Borrowed(claims::meaning_for(name, cognito).unwrap_or("")),
            })
            .collect(),
        signature_bytes: jws.signature.len(),
    }
}

/// `id` or `access`: Cognito's `token_use`, or `typ: at+jwt` (RFC 9068).
pub fn kind(jws: &Jws) -> Option<&'static str> {
    let c = jws.claims()?;
    match c.get("token_use").and_then(Value::as_str) {
        Some("id") => return Some("id"),
        Some("access") => return Some("access"),
        _ => {}
    }
    match jws.header.get("typ").and_then(Value::as_str) {
        Some(t)
            if t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt") =>
        {
            Some("access")
        }
        _ => None,
    }
}

/// A numeric claim.
pub fn number(c: &impl ClaimSet, name: &str) -> Option<f64> {
    c.claim(name).and_then(Value::as_f64)
}

/// `exp − iat`, when both are numbers.
pub fn lifetime(c: &impl ClaimSet) -> Option<f64> {
    Some(number(c, "exp")? - number(c, "iat")?)
}

fn show_value(name: &str, value: &Value, now: f64) -> String {
    match value {
        Value::Number(n) if claims::TIME_CLAIMS.contains(&name) => {
            let at = n.as_f64().unwrap_or(f64::NAN);
            let mut shown = n.to_string();
            shown.push_str("  ");
            if clock::utc_into(&mut shown, at) {
                shown.push_str("  (");
                clock::relative_into(&mut shown, at, now);
                shown.push(')');
            } else {
                shown.push_str("(not a representable time)");
            }
            shown
        }
        Value::String(s) if name == DEFAULT_NAMESPACE || s.trim_start().starts_with('{') => {
            match hasura::claims::shape(value) {
                Shape::Claims { claims, .. } => {
                    format!("stringified JSON object with {} members", claims.len())
                }
                _ => shorten(s),
            }
        }
        Value::String(s) => shorten(s),
        Value::Object(m) => format!("object with {} members", m.len()),
        other => shorten(&other.to_string()),
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 72;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}

/// The warnings and facts `decode` reports about a token it does not verify.
pub fn decode_checks(jws: &Jws, now: f64) -> Vec<Check> {
    let mut checks = vec![
        Check::skip(
            Id::Signature,
            "not verified: decode never checks signatures",
        )
        .with_hint(
            "run jwtcheck verify with --jwks, --cognito-pool, --issuer, --key or --secret-file",
        ),
    ];
    checks.extend(crate::jose::verify::duplicate_checks(jws, Status::Warn));
    checks.extend(alg_check(jws));
    checks.extend(header_checks(jws));
    if let Some(c) = jws.claims() {
        checks.extend(time_checks(c, now));
    }
    checks.extend(lint_checks(jws));
    checks
}

/// Warnings that never fail a token: keys named by the header, a long lifetime, an access token
/// where Hasura claims are usually in the id token.
pub fn lint_checks(jws: &Jws) -> Vec<Check> {
    let mut checks = untrusted_header_checks(jws);
    if let Some(c) = jws.claims()
        && let Some(life) = lifetime(c)
        && life > LONG_LIFETIME
    {
        checks.push(Check::warn(
            Id::LintLifetime,
            format!(
                "lifetime {} (exp − iat) is longer than a day",
                clock::span(life)
            ),
            "a stolen token stays useful that long; Cognito allows at most 1 day",
        ));
    }
    if let Some(check) = kind_check(jws) {
        checks.push(check);
    }
    checks
}

fn alg_check(jws: &Jws) -> Option<Check> {
    let hint = "a verifier accepts only an algorithm it expects for the key (RS256 for Cognito)";
    Some(match jws.header.get("alg") {
        None => Check::warn(Id::Alg, "the header has no alg", hint),
        Some(Value::String(a)) if a == "none" => Check::warn(
            Id::Alg,
            "alg: none: an unsecured token with no signature; anyone could have written it",
            "no verifier (and not Hasura) accepts it",
        ),
        Some(Value::String(a)) if a.eq_ignore_ascii_case("none") => Check::warn(
            Id::Alg,
            format!("alg: {a}: a case variant of none, used to slip past verifiers"),
            "no verifier (and not Hasura) accepts it",
        ),
        Some(Value::String(a)) if !SUPPORTED_ALGS.contains(&a.as_str()) => Check::warn(
            Id::Alg,
            format!("alg {a:?} is not a JWS signature algorithm jwtcheck knows"),
            hint,
        ),
        Some(Value::String(a)) => Check::pass(Id::Alg, format!("alg {a}")),
        Some(other) => Check::warn(
            Id::Alg,
            format!(
                "alg is {}, not a string",
                crate::jose::json::type_name(other)
            ),
            hint,
        ),
    })
}

fn header_checks(jws: &Jws) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(crit) = jws.header.get("crit") {
        checks.push(Check::warn(
            Id::Crit,
            format!("crit {crit}: a verifier must reject the token unless it implements each listed extension"),
            "JWTs from Cognito never carry crit; jwtcheck verify and Hasura reject unknown extensions",
        ));
    }
    if jws.header.get("b64") == Some(&Value::Bool(false)) {
        checks.push(Check::warn(
            Id::Crit,
            "b64: false: the payload is not base64url-encoded (RFC 7797); no JWT uses this",
            "verifiers reject it",
        ));
    }
    checks
}

fn untrusted_header_checks(jws: &Jws) -> Vec<Check> {
    let mut checks = Vec::new();
    for k in UNTRUSTED_HEADER_KEYS {
        if jws.header.contains_key(k) {
            checks.push(Check::warn(
                Id::LintHeader,
                format!("the header carries {k}: keys named or embedded by the token prove nothing"),
                "jwtcheck and Hasura take keys only from configuration; a token that brings its own is an attack pattern",
            ));
        }
    }
    checks
}

/// The time facts about a token (for decode: warnings, never failures).
fn time_checks(c: &impl ClaimSet, now: f64) -> Vec<Check> {
    let mut checks = Vec::new();
    match c.claim("exp") {
        None => checks.push(Check::warn(
            Id::Exp,
            "no exp: this token never expires",
            "issuers should always set exp; jwtcheck verify requires it unless --no-exp-required",
        )),
        Some(Value::Number(n)) if n.as_f64().is_none() => checks.push(Check::warn(
            Id::Exp,
            format!("exp is {n}, beyond any date (out of range)"),
            "verifiers disagree on it: Hasura reads it as a time after every other (the token never expires), jwtcheck verify rejects it; the issuer should write seconds since the epoch",
        )),
        Some(Value::Number(n)) => {
            let exp = n.as_f64().unwrap_or(f64::NAN);
            let when = clock::utc_or_raw(exp);
            if now < exp {
                checks.push(Check::pass(
                    Id::Exp,
                    format!("expires {} ({when})", clock::relative(exp, now)),
                ));
            } else {
                checks.push(Check::warn(
                    Id::Exp,
                    format!("expired {} ({when})", clock::relative(exp, now)),
                    "sign in again (or refresh) to get a new token",
                ));
            }
        }
        Some(other) => checks.push(Check::warn(
            Id::Exp,
            format!(
                "exp is {}, not a number (NumericDate)",
                crate::jose::json::type_name(other)
            ),
            "exp must be seconds since the epoch as a JSON number",
        )),
    }
    if let Some(nbf) = number(c, "nbf")
        && nbf > now
    {
        checks.push(Check::warn(
            Id::Nbf,
            format!(
                "not valid before {} ({})",
                clock::utc_or_raw(nbf),
                clock::relative(nbf, now)
            ),
            "wait, or check the clocks of the issuer and this machine",
        ));
    }
    if let Some(iat) = number(c, "iat")
        && iat > now
    {
        checks.push(Check::warn(
            Id::Iat,
            format!(
                "issued in the future: {} ({})",
                clock::utc_or_raw(iat),
                clock::relative(iat, now)
            ),
            "the issuer's clock or this machine's clock is off; Hasura rejects such tokens (JWTIssuedAtFuture) unless allowed_skew covers it",
        ));
    }
    checks
}

fn kind_check(jws: &Jws) -> Option<Check> {
    if kind(jws) != Some("access") {
        return None;
    }
    let has_claims = jws
        .claims()
        .is_some_and(|c| !hasura::claims::sightings(c.map()).is_empty());
    Some(if has_claims {
        Check::pass(
            Id::LintTokenKind,
            "an access token that carries Hasura claims (a V2/V3 Pre Token Generation trigger adds them)",
        )
    } else {
        Check::warn(
            Id::LintTokenKind,
            "this is an access token; Hasura claims are usually in the id token",
            "a Cognito Pre Token Generation V1 trigger only changes the id token: send the id token to Hasura (or use a V2/V3 trigger to customise access tokens)",
        )
    })
}

/// What the token's Hasura claims under the default namespace look like, with decode-level
/// warnings (no configuration: format is read from the token).
pub fn hasura_default(jws: &Jws) -> (HasuraInfo, Vec<Check>) {
    let mut info = HasuraInfo {
        location: format!("claims_namespace {DEFAULT_NAMESPACE}"),
        ..HasuraInfo::default()
    };
    let mut checks = Vec::new();
    let Some(c) = jws.claims() else {
        return (info, checks);
    };
    let Some(value) = c.get(DEFAULT_NAMESPACE) else {
        checks.push(no_claims_here(c.map()));
        return (info, checks);
    };
    info.found = true;
    match hasura::claims::shape(value) {
        Shape::Claims {
            format,
            claims,
            inner_duplicates,
        } => {
            info.claims_format = Some(format.as_str().to_string());
            checks.push(Check::pass(
                Id::HasuraFormat,
                format!("claims are {} (claims_format: {})", match format {
                    hasura::claims::Format::Json => "a JSON object",
                    hasura::claims::Format::StringifiedJson => "a JSON string holding an object",
                }, format.as_str()),
            ));
            for path in inner_duplicates {
                checks.push(
                    Check::warn(
                        Id::Format,
                        format!("duplicate member name {path} inside the stringified Hasura claims"),
                        "Hasura (aeson) uses the first value, other parsers the last; fix the trigger that builds the claims",
                    ),
                );
            }
            let session = hasura::claims::session(&claims);
            describe_session(&session, &mut info, &mut checks);
        }
        Shape::BadString { problem } => checks.push(Check::warn(
            Id::HasuraFormat,
            format!("claims under {DEFAULT_NAMESPACE} are a string, but {problem}"),
            "with claims_format stringified_json the string must hold a JSON object",
        )),
        Shape::Other(t) => checks.push(Check::warn(
            Id::HasuraFormat,
            format!("claims under {DEFAULT_NAMESPACE} are {t}, neither an object nor a string"),
            "Hasura needs a JSON object (claims_format json) or a string holding one (stringified_json)",
        )),
    }
    (info, checks)
}

/// The session the engine builds, one line per variable in its order.
fn describe_session(
    session: &hasura::claims::Session,
    info: &mut HasuraInfo,
    checks: &mut Vec<Check>,
) {
    for name in &session.case_collisions {
        checks.push(Check::warn(
            Id::HasuraSessionVariables,
            format!("{name} appears more than once when case is ignored: ambiguous"),
            "session variable names are case-insensitive; keep one spelling",
        ));
    }
    let roles = allowed_roles(session, info, checks);
    match &session.default_role {
        Some(Value::String(r)) if !r.is_empty() => {
            info.default_role = Some(r.clone());
            match &roles {
                Some(list) if !list.contains(r) => checks.push(Check::warn(
                    Id::HasuraDefaultRole,
                    format!("default role {r:?} is not among the allowed roles"),
                    "Hasura rejects requests without an x-hasura-role header (Your requested role is not in allowed roles)",
                )),
                _ => checks.push(Check::pass(Id::HasuraDefaultRole, format!("default role: {r}"))),
            }
        }
        Some(other) => checks.push(Check::warn(
            Id::HasuraDefaultRole,
            format!(
                "x-hasura-default-role is {}, not a role name",
                describe(other)
            ),
            "make it a non-empty string, e.g. \"user\"",
        )),
        None => checks.push(Check::warn(
            Id::HasuraDefaultRole,
            "no x-hasura-default-role",
            "Hasura requires it (JWT claim does not contain x-hasura-default-role)",
        )),
    }
    let mut bad = Vec::new();
    for (name, value) in &session.variables {
        if !value.is_string() {
            bad.push(format!("{name} is {}", crate::jose::json::type_name(value)));
        }
        info.session_variables.insert(name.clone(), value.clone());
    }
    if !bad.is_empty() {
        checks.push(Check::warn(
            Id::HasuraSessionVariables,
            format!("session variables must be strings: {}", bad.join(", ")),
            "Hasura rejects non-string x-hasura-* values; write numbers as strings (\"42\") and lists as Postgres array literals (\"{a,b}\")",
        ));
    }
}

/// No claims under the default namespace: where x-hasura-* claims are instead, and how to
/// configure Hasura for them; or that there are none.
fn no_claims_here(c: &serde_json::Map<String, Value>) -> Check {
    let elsewhere = hasura::claims::sightings(c);
    match elsewhere.first() {
        Some(s) => Check::warn(
            Id::HasuraNamespace,
            format!(
                "no claims under {DEFAULT_NAMESPACE}; x-hasura-* claims found at {} ({})",
                s.path,
                s.format.as_str()
            ),
            match &s.namespace {
                Some(ns) if s.depth == 1 => format!(
                    "configure Hasura with \"claims_namespace\": {:?} and \"claims_format\": \"{}\"",
                    ns,
                    s.format.as_str()
                ),
                _ => format!(
                    "configure Hasura with \"claims_namespace_path\": {:?}",
                    s.path
                ),
            },
        ),
        None => Check::warn(
            Id::HasuraNamespace,
            format!(
                "no Hasura claims: nothing under {DEFAULT_NAMESPACE} and no x-hasura-* claims anywhere"
            ),
            if crate::cognito::issued_by_cognito(c) {
                "Hasura rejects the token unless claims_map supplies the roles; add the claims in the Cognito Pre Token Generation trigger (HASURA_GRAPHQL_UNAUTHORIZED_ROLE serves only requests without a token)"
            } else {
                "Hasura rejects the token unless claims_map supplies the roles; add the claims where the issuer builds the token (HASURA_GRAPHQL_UNAUTHORIZED_ROLE serves only requests without a token)"
            },
        ),
    }
}

/// `x-hasura-allowed-roles`: the role names when it is a list of non-empty strings.
fn allowed_roles(
    session: &hasura::claims::Session,
    info: &mut HasuraInfo,
    checks: &mut Vec<Check>,
) -> Option<Vec<String>> {
    match &session.allowed_roles {
        Some(Value::Array(items))
            if items
                .iter()
                .all(|i| matches!(i, Value::String(s) if !s.is_empty())) =>
        {
            let roles: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect();
            info.allowed_roles = Some(roles.clone());
            checks.push(Check::pass(
                Id::HasuraAllowedRoles,
                format!("allowed roles: {}", roles.join(", ")),
            ));
            Some(roles)
        }
        Some(other) => {
            checks.push(Check::warn(
                Id::HasuraAllowedRoles,
                format!(
                    "x-hasura-allowed-roles is {}, not a list of role names",
                    describe(other)
                ),
                "make it a JSON array of non-empty strings, e.g. [\"user\"]",
            ));
            None
        }
        None => {
            checks.push(Check::warn(
                Id::HasuraAllowedRoles,
                "no x-hasura-allowed-roles",
                "Hasura requires it (JWT claim does not contain x-hasura-allowed-roles)",
            ));
            None
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "an empty string".into(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(a) if a.is_empty() => "an empty list".into(),
        Value::Array(_) => format!(
            "{} (items must be non-empty strings)",
            shorten(&v.to_string())
        ),
        other => crate::jose::json::type_name(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::base64url;
    use crate::jose::token;

    fn jws(header: &str, payload: &str) -> Jws {
        token::parse(&format!(
            "{}.{}.",
            base64url::encode(header.as_bytes()),
            base64url::encode(payload.as_bytes())
        ))
        .unwrap()
    }

    fn ids(checks: &[Check], status: Status) -> Vec<String> {
        checks
            .iter()
            .filter(|c| c.status == status)
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn warns_about_none_missing_exp_future_times_and_untrusted_headers() {
        let t = jws(
            r#"{"alg":"none","jku":"https://evil.example/jwks","crit":["x"]}"#,
            r#"{"iat":2000,"nbf":2000}"#,
        );
        let checks = decode_checks(&t, 1000.0);
        let warns = ids(&checks, Status::Warn);
        for id in ["alg", "crit", "lint.header", "exp", "nbf", "iat"] {
            assert!(warns.contains(&id.to_string()), "{id} in {warns:?}");
        }
    }

    #[test]
    fn long_lifetime_and_access_token() {
        let t = jws(
            r#"{"alg":"RS256"}"#,
            r#"{"token_use":"access","iat":0,"exp":2592000}"#,
        );
        let checks = decode_checks(&t, 10.0);
        let warns = ids(&checks, Status::Warn);
        assert!(warns.contains(&"lint.lifetime".to_string()));
        assert!(warns.contains(&"lint.token_kind".to_string()));
        assert_eq!(kind(&t), Some("access"));
    }

    #[test]
    fn stringified_hasura_claims_are_read() {
        let t = jws(
            r#"{"alg":"RS256"}"#,
            r#"{"https://hasura.io/jwt/claims":"{\"x-hasura-user-id\":\"u1\",\"x-hasura-default-role\":\"user\",\"x-hasura-allowed-roles\":[\"user\",\"editor\"]}"}"#,
        );
        let (info, checks) = hasura_default(&t);
        assert_eq!(info.claims_format.as_deref(), Some("stringified_json"));
        assert_eq!(info.default_role.as_deref(), Some("user"));
        assert_eq!(info.allowed_roles.unwrap(), ["user", "editor"]);
        assert_eq!(info.session_variables["x-hasura-user-id"], "u1");
        assert!(ids(&checks, Status::Warn).is_empty(), "{checks:?}");
    }

    #[test]
    fn hasura_problems_are_warned() {
        let t = jws(
            r#"{"alg":"RS256"}"#,
            r#"{"https://hasura.io/jwt/claims":{"x-hasura-default-role":"admin","x-hasura-allowed-roles":"user","x-hasura-user-id":42}}"#,
        );
        let (_, checks) = hasura_default(&t);
        let warns = ids(&checks, Status::Warn);
        assert!(warns.contains(&"hasura.allowed_roles".to_string()));
        assert!(warns.contains(&"hasura.session_variables".to_string()));
    }

    #[test]
    fn claims_elsewhere_get_a_config_hint() {
        let t = jws(
            r#"{"alg":"RS256"}"#,
            r#"{"hasura":{"x-hasura-default-role":"u"}}"#,
        );
        let (info, checks) = hasura_default(&t);
        assert!(!info.found);
        assert_eq!(checks[0].id, "hasura.namespace");
        assert!(
            checks[0]
                .hint
                .as_ref()
                .unwrap()
                .contains("\"claims_namespace\": \"hasura\"")
        );
    }

    #[test]
    fn times_render_in_utc_and_relative() {
        let t = jws(
            r#"{"alg":"RS256"}"#,
            r#"{"iat":1764000000,"exp":1764003600}"#,
        );
        let info = token_info(&t, 1_764_001_200.0);
        assert_eq!(info.lifetime, Some(Seconds::of(3600.0)));
        let exp = &info.times.iter().find(|t| t.claim == "exp").unwrap().at;
        assert_eq!(exp.relative, "in 40m");
        let row = info.claims.iter().find(|r| r.name == "exp").unwrap();
        assert_eq!(row.value, "1764003600  2025-11-24 17:00:00 UTC  (in 40m)");
    }
}
