//! Linting a Hasura JWT configuration before anything is fetched: JSON syntax, fields the engine
//! ignores (typos), settings that override each other, and Cognito-aware advice.
//!
//! Pure.

use crate::report::Id;
use serde_json::Value;

use crate::cognito::Pool;
use crate::hasura::claims::Format;
use crate::hasura::v2::config::{self as hconfig, Claims, JwtConfig, KeyConfig, StartupError};
use crate::jose::json::JsonError;
use crate::report::Check;

/// A JSON syntax error in the configuration text (`text`), with what jwtcheck recognises in it
/// (see [`not_json`]) as the hint.
pub fn syntax(e: &JsonError, source: &str, text: &str) -> Check {
    let message = match e {
        JsonError::Syntax {
            line,
            column,
            message,
        } => {
            format!("{source} is not valid JSON: line {line}, column {column}: {message}")
        }
        other => format!("{source} is not valid JSON: {other}"),
    };
    Check::fail(
        Id::LintConfigSyntax,
        message,
        not_json(text).unwrap_or_else(|| "the value must be one JSON object (a list of them for HASURA_GRAPHQL_JWT_SECRETS); in shells, quote it with single quotes".into()),
    )
}

/// What a configuration that is not JSON is instead, and what to strip or change: an env-file
/// or shell line (`NAME=…`), quotes the shell or env file should have removed, a JSON string
/// holding the configuration, or a v2 configuration written in YAML.
pub fn not_json(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(name) = assignment(t) {
        return Some(format!(
            "this is a shell or env-file line ({name}=…): give only the value after the =, without the quotes around it"
        ));
    }
    let quoted = |q: char| t.len() >= 2 && t.starts_with(q) && t.ends_with(q);
    if quoted('\'') {
        return Some(
            "the value still has the quotes around it ('…'), which the shell or env file should have removed: strip the outer quotes".into(),
        );
    }
    if quoted('"')
        && let Ok(crate::jose::json::Parsed {
            value: Value::String(inner),
            ..
        }) = crate::jose::json::parse_str(t)
        && inner.trim_start().starts_with(['{', '['])
    {
        return Some(
            "the value is a JSON string holding the configuration (quoted twice): give the JSON object itself, without the outer quotes and backslashes".into(),
        );
    }
    if quoted('"') {
        return Some(
            "the value still has the quotes around it (\"…\"), which the shell or env file should have removed: strip the outer quotes".into(),
        );
    }
    yaml_v2(t)
}

/// `NAME=` (or `export NAME=`) at the start of the text: the variable's name.
fn assignment(t: &str) -> Option<&str> {
    let t = t.strip_prefix("export ").map_or(t, str::trim_start);
    let (name, _) = t.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

/// A v2 configuration written in YAML: what it is in JSON.
fn yaml_v2(t: &str) -> Option<String> {
    if t.starts_with(['{', '[']) {
        return None;
    }
    let docs = crate::hasura::ddn::config::yaml_documents(t).ok()?;
    let [Value::Object(map)] = docs.as_slice() else {
        return None;
    };
    let v2 = [
        "type",
        "key",
        "jwk_url",
        "claims_namespace",
        "claims_namespace_path",
        "claims_map",
        "claims_format",
        "issuer",
        "audience",
        "header",
        "allowed_skew",
    ];
    if !map.keys().any(|k| v2.contains(&k.as_str())) {
        return None;
    }
    Some(format!(
        "this is YAML: HASURA_GRAPHQL_JWT_SECRET takes JSON (YAML is for a Hasura DDN AuthConfig, kind: AuthConfig); in JSON it is {}",
        Value::Object(map.clone())
    ))
}

/// A text that names itself a DDN AuthConfig (`kind: AuthConfig`) but that YAML cannot read:
/// the problem (a tab in the indentation named with its line) and the hint.
pub fn unreadable_auth_config(text: &str) -> Option<(String, String)> {
    let names_itself = text.lines().any(|l| {
        l.trim_start()
            .strip_prefix("kind:")
            .is_some_and(|k| k.trim().trim_matches(['"', '\'']) == "AuthConfig")
    });
    if !names_itself {
        return None;
    }
    let problem = crate::hasura::ddn::config::yaml_documents(text).err()?;
    let tab = text.lines().enumerate().find(|(_, l)| {
        l.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    });
    let hint = match tab {
        Some((i, _)) => format!(
            "line {} indents with a tab: YAML indents with spaces only (an editor may have turned them into tabs)",
            i + 1
        ),
        None => {
            "fix the YAML (DDN's build reads it the same way); jwtcheck check explains every field"
                .into()
        }
    };
    Some((
        format!("this Hasura DDN AuthConfig is not readable YAML: {problem}"),
        hint,
    ))
}

/// A pasted character in the configuration's text (a typographic quote, a non-breaking space,
/// a zero-width character): named with its place, as a failing syntax check.
pub fn pasted(text: &str, source: &str) -> Option<Check> {
    crate::input::paste::damage(text).map(|d| {
        Check::fail(
            Id::LintConfigSyntax,
            format!("{source} holds a pasted character at {d}"),
            "the engine reads the value as JSON (or as the key's text), where such characters are not quotes or spaces",
        )
    })
}

/// A field the engine ignores, with the field it probably meant.
pub fn unknown_field(field: &str, label: &str) -> Check {
    let hint = match hconfig::suggestion(field) {
        Some(s) => format!(
            "did you mean {s:?}? The engine ignores unknown fields silently, so the setting has no effect"
        ),
        None => "the engine ignores unknown fields silently; remove it".into(),
    };
    Check::warn(
        Id::LintConfigUnknown,
        format!("{label}unknown field {field:?}"),
        hint,
    )
}

/// Member names the configuration text gives twice (the engine, like aeson, uses the first).
pub fn text_notes(text: &str) -> Vec<Check> {
    crate::jose::json::parse_first_wins(text.trim().as_bytes())
        .map(|p| {
            p.duplicates
                .iter()
                .map(|path| {
                    Check::warn(
                        Id::LintConfigDuplicate,
                        format!("{path} is given twice in the configuration"),
                        "the engine uses the first value; remove the other",
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What the engine's environment holds besides the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Environment {
    /// Neither HASURA_GRAPHQL_ADMIN_SECRET nor HASURA_GRAPHQL_ACCESS_KEY is set.
    pub admin_secret_missing: bool,
}

/// Notes on the engine's environment: which variable wins, and the admin secret JWT mode needs.
pub fn environment_notes(env: &Environment) -> Vec<Check> {
    let mut checks = Vec::new();
    if env.admin_secret_missing {
        checks.push(Check::warn(
            Id::LintAdminSecret,
            "HASURA_GRAPHQL_ADMIN_SECRET is not set in this environment",
            "the engine refuses JWT mode without an admin secret: Fatal Error : --jwt-secret (HASURA_GRAPHQL_JWT_SECRET) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) or  --access-key (HASURA_GRAPHQL_ACCESS_KEY) to be set",
        ));
    }
    checks
}

/// Advice for a claims path the engine refuses (`claims_namespace_path`, a `claims_map`
/// path): which part is outside its JSONPath subset, the path that would work, and, with a
/// token, where the member the path names actually is in it.
pub fn path_advice(text: &str, token: Option<&Value>) -> Option<String> {
    let config = crate::jose::json::parse_first_wins(text.trim().as_bytes())
        .ok()?
        .value;
    let entries: Vec<&Value> = match &config {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut paths = Vec::new();
    for entry in entries {
        paths.extend(entry.get("claims_namespace_path").and_then(Value::as_str));
        if let Some(Value::Object(map)) = entry.get("claims_map") {
            paths.extend(
                map.values()
                    .filter_map(|v| v.get("path").and_then(Value::as_str)),
            );
        }
    }
    let (path, (why, fix)) = paths
        .into_iter()
        .find_map(|p| crate::hasura::jsonpath::repair(p).map(|r| (p, r)))?;
    let mut advice = format!("{path}: {why}");
    if let Some(fix) = fix {
        advice.push_str(&format!("; write {fix}"));
    }
    let name = path
        .replace("[*]", "")
        .rsplit(['.', '['])
        .map(|n| n.trim_matches(|c| matches!(c, '\'' | '"' | ']' | '$')))
        .find(|n| !n.is_empty())
        .map(str::to_string);
    if let (Some(name), Some(token)) = (name, token)
        && let Some(found) = crate::hasura::jsonpath::locate(&name, token).first()
    {
        advice.push_str(&format!("; in this token, {name} is at {found}"));
    }
    Some(advice)
}

/// A `type` the engine does not know beside `jwk_url`: the engine ignores `type` then, so the
/// typo is silent until someone switches to a fixed `key` (then the engine refuses to start).
pub fn type_typo(entry: &Value, label: &str) -> Option<Check> {
    let t = entry.get("type")?.as_str()?;
    if entry.get("jwk_url").is_none_or(Value::is_null) || hconfig::KEY_TYPES.contains(&t) {
        return None;
    }
    let near = hconfig::KEY_TYPES
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&t.to_ascii_uppercase(), &k.to_ascii_uppercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!("did you mean {k:?}? "))
        .unwrap_or_default();
    Some(Check::warn(
        Id::LintConfigUnknown,
        format!("{label}type {t:?} is not an algorithm the engine knows"),
        format!(
            "{near}With jwk_url the engine ignores type and tries every key, so this is silent; it refuses to start with it beside a key. Write one of {} or remove type",
            hconfig::KEY_TYPES.join(", ")
        ),
    ))
}

/// Lints on the raw JSON of one configuration (before the engine's parse).
pub fn raw(entry: &Value, label: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let Value::Object(o) = entry else {
        return checks;
    };
    checks.extend(type_typo(entry, label));
    for field in o
        .keys()
        .filter(|k| !hconfig::KNOWN_FIELDS.contains(&k.as_str()))
    {
        checks.push(unknown_field(field, label));
    }
    if let Some(Value::Object(map)) = o.get("claims_map") {
        for k in map
            .keys()
            .filter(|k| !crate::hasura::claims::is_session_variable(k))
        {
            checks.push(Check::warn(
                Id::LintConfigClaimsMap,
                format!("{label}claims_map entry {k:?} is not an x-hasura-* session variable"),
                "engines before the quoting change require it like any entry (and fail tokens without it); newer ones drop it silently. Rename it x-hasura-… or remove it",
            ));
        }
    }
    if o.get("claims_map").is_some_and(|v| !v.is_null()) {
        let overridden: Vec<&str> = ["claims_namespace", "claims_namespace_path", "claims_format"]
            .into_iter()
            .filter(|k| o.get(*k).is_some_and(|v| !v.is_null()))
            .collect();
        if !overridden.is_empty() {
            checks.push(Check::warn(
                Id::LintConfigConflict,
                format!("{label}claims_map is set, so {} {} ignored", overridden.join(", "), if overridden.len() == 1 { "is" } else { "are" }),
                "claims_map paths are evaluated over the whole token and cannot look inside a stringified claim (Hasura issue #8341); remove one of the two",
            ));
        }
    }
    checks
}

/// The engine's refusal, as a check.
pub fn startup(e: &StartupError, variable: &str, label: &str, text: &str) -> Check {
    let approx = if e.approximate {
        " (jwtcheck's rendering of the engine's message may differ in wording)"
    } else {
        ""
    };
    Check::fail(
        Id::HasuraStartup,
        format!("{label}Hasura refuses to start: {}", e.fatal_line(variable)),
        match e
            .hint
            .map(str::to_string)
            .or_else(|| path_advice(text, None))
        {
            Some(advice) => format!("fix the configuration{approx}: {advice}"),
            None => format!("fix the configuration{approx}"),
        },
    )
}

/// Lints on a parsed configuration, in the order `check` prints them: transport, key, issuer and
/// audience, and Cognito advice.
pub fn semantic(cfg: &JwtConfig, label: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let pool = match &cfg.key {
        KeyConfig::Url(url) => {
            checks.extend(jwk_url(url, label));
            crate::cognito::pool_of_jwks(url)
        }
        KeyConfig::Static { alg_type, key } => {
            let what = match key.bits() {
                Some(b) if key.kty() == "oct" => format!("an HMAC secret of {} bytes", b / 8),
                Some(b) => format!("an RSA public key of {b} bits"),
                None => format!("{} {} public key", key.kty(), key.crv().unwrap_or("")),
            };
            let pool = cfg
                .issuer
                .as_deref()
                .and_then(crate::cognito::pool_of_issuer);
            checks.push(match &pool {
                Some(p) => fixed_key_for_cognito(alg_type, &what, key.kty() == "oct", p, label),
                None => Check::pass(Id::LintKey, format!("{label}type {alg_type} with {what}")),
            });
            pool
        }
    };
    checks.push(issuer_lint(cfg, pool.as_ref(), label));
    checks.push(audience_lint(cfg, pool.as_ref(), label));
    checks.extend(claims_format_lint(cfg, pool.as_ref(), label));
    checks.extend(allowed_skew(cfg, label));
    if let Claims::Map(map) = &cfg.claims {
        checks.extend(super::claims_map::lints(map, label));
    }
    checks
}

/// A fixed `key` for a Cognito issuer: a secret verifies none of its tokens, and a public key
/// only the tokens of one of the pool's keys, until a rotation.
fn fixed_key_for_cognito(alg_type: &str, what: &str, secret: bool, p: &Pool, label: &str) -> Check {
    let use_jwk_url = crate::hasura::v2::config::jwk_url_instead(p);
    if secret {
        Check::fail(
            Id::LintKey,
            format!(
                "{label}type {alg_type} with {what}, but the issuer is Cognito pool {}'s, which signs with RSA keys",
                p.id
            ),
            format!("no secret verifies a Cognito token: {use_jwk_url}"),
        )
    } else {
        Check::warn(
            Id::LintKey,
            format!(
                "{label}type {alg_type} with {what} fixed in the configuration, but the issuer is Cognito pool {}'s",
                p.id
            ),
            format!("{}: {use_jwk_url}", crate::hasura::v2::config::COGNITO_KEYS),
        )
    }
}

/// The issuer against the Cognito pool whose keys `jwk_url` names, if any.
fn issuer_lint(cfg: &JwtConfig, pool: Option<&Pool>, label: &str) -> Check {
    match (&cfg.issuer, pool) {
        (Some(iss), Some(p)) if p.issuers().contains(iss) => Check::pass(
            Id::LintCognitoIssuer,
            format!("{label}issuer {iss} is pool {}'s", p.id),
        ),
        (Some(iss), Some(p)) => {
            let why = if p.issuers().iter().any(|i| i == iss.trim_end_matches('/')) {
                "issuers compare exactly, and Cognito's has no trailing slash".to_string()
            } else if iss.contains("amazoncognito.com") {
                "the issuer is never the Hosted UI / managed login domain; it is the cognito-idp URL".to_string()
            } else {
                format!("tokens of pool {} say iss {:?}", p.id, p.issuer())
            };
            Check::fail(
                Id::LintCognitoIssuer,
                format!(
                    "{label}issuer {iss:?} would never match a token of pool {}",
                    p.id
                ),
                format!("{why}: set \"issuer\": {:?}", p.issuer()),
            )
        }
        (None, Some(p)) => Check::pass(
            Id::LintIssuer,
            format!("{label}no issuer, but the keys are pool {}'s own", p.id),
        ),
        (None, None) => Check::warn(
            Id::LintIssuer,
            format!("{label}no issuer: Hasura accepts a token from any issuer whose key it holds"),
            "set \"issuer\" to the iss your tokens carry",
        ),
        (Some(iss), None) => Check::pass(Id::LintIssuer, format!("{label}issuer {iss}")),
    }
}

/// The audience: without one, any app client's tokens (and Cognito access tokens) pass.
fn audience_lint(cfg: &JwtConfig, pool: Option<&Pool>, label: &str) -> Check {
    match (&cfg.audience, pool) {
        (None, Some(p)) => Check::warn(
            Id::LintAudience,
            format!(
                "{label}no audience: any app client of pool {} — and any access token — would be accepted",
                p.id
            ),
            "set \"audience\" to your app client id (id tokens carry it in aud)",
        ),
        (None, None) => Check::warn(
            Id::LintAudience,
            format!("{label}no audience: Hasura accepts tokens issued for any audience"),
            "set \"audience\"",
        ),
        (Some(a), Some(_)) => Check::pass(
            Id::LintAudience,
            format!(
                "{label}audience {}: id tokens of other app clients are refused (Cognito access tokens carry no aud and are not restricted by it)",
                a.join(", ")
            ),
        ),
        (Some(a), None) => Check::pass(
            Id::LintAudience,
            format!("{label}audience {}", a.join(", ")),
        ),
    }
}

/// `claims_format: json` with a Cognito pool: a V1 trigger can only write strings.
fn claims_format_lint(cfg: &JwtConfig, pool: Option<&Pool>, label: &str) -> Option<Check> {
    if let (
        Some(p),
        Claims::Namespace {
            format: Format::Json,
            ..
        },
    ) = (pool, &cfg.claims)
    {
        let default = if cfg.format_given {
            ""
        } else {
            " (the default)"
        };
        let (message, hint) = crate::cognito::v1_claims_format(
            &format!("{label}claims_format is json{default} (pool {})", p.id),
            "\"claims_format\": \"stringified_json\"",
        );
        return Some(Check::warn(Id::LintCognitoClaimsFormat, message, hint));
    }
    None
}

/// An `allowed_skew` over five minutes: expired tokens are accepted for that long, and clock or
/// `iat` problems are hidden.
pub fn allowed_skew(cfg: &JwtConfig, label: &str) -> Option<Check> {
    (cfg.skew() > 300.0).then(|| {
        Check::warn(
            Id::LintAllowedSkew,
            format!(
                "{label}allowed_skew is {}s: expired tokens are accepted for that long, and clock or iat problems are hidden",
                cfg.skew()
            ),
            "clock skew is seconds, not minutes; keep it small (e.g. 30)",
        )
    })
}

pub(crate) fn jwk_url(url: &str, label: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let Ok(parsed) = url::Url::parse(url) else {
        return checks;
    };
    if parsed.scheme() == "http" && !crate::http::is_loopback(&parsed) {
        checks.push(Check::fail(
            Id::LintJwkUrl,
            format!("{label}jwk_url is plain http: Hasura would fetch its keys unauthenticated"),
            "anyone on the network path could substitute keys and forge tokens: use the https URL",
        ));
    }
    let host = parsed.host_str().unwrap_or_default();
    let updated = host.starts_with("issuer-cognito-idp.");
    if !(host.starts_with("cognito-idp.") || updated) {
        return checks;
    }
    let host_region = host.split('.').nth(1).unwrap_or_default();
    let segments: Vec<&str> = parsed.path().trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [pool, ".well-known", "jwks.json"] => match Pool::parse(pool) {
            Ok(p) if p.region == host_region => {
                if updated {
                    checks.push(Check::warn(
                        Id::LintCognitoJwkUrl,
                        format!("{label}jwk_url uses the issuer-cognito-idp host"),
                        "pools that do not use the updated issuer answer 403 there; https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json serves every pool",
                    ));
                } else {
                    checks.push(Check::pass(Id::LintCognitoJwkUrl, format!("{label}jwk_url is pool {}'s key set", p.id)));
                }
            }
            Ok(p) => checks.push(Check::fail(
                Id::LintCognitoJwkUrl,
                format!("{label}jwk_url names region {host_region} but pool {} is in {}", p.id, p.region),
                format!("use {}", p.jwks_url()),
            )),
            Err(_) => checks.push(Check::fail(
                Id::LintCognitoJwkUrl,
                format!("{label}jwk_url path names {pool:?}, not a user pool id"),
                "the form is https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json",
            )),
        },
        _ => checks.push(Check::fail(
            Id::LintCognitoJwkUrl,
            format!("{label}jwk_url is on Cognito's host but not a pool key set: {}", parsed.path()),
            "the form is https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json",
        )),
    }
    checks
}

/// Entries that the engine cannot tell apart for some token: at one location with the same
/// issuer, or without one, so that a matching token gets "Multiple JWTs found". Linear: entries
/// are grouped by location, then by issuer.
pub fn ambiguity(configs: &[JwtConfig]) -> Vec<Check> {
    let mut by_place: Vec<(String, Vec<(usize, &JwtConfig)>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (i, c) in configs.iter().enumerate() {
        let place = match &c.location {
            crate::hasura::v2::config::Location::CustomHeader(h) => {
                format!("header {}", h.to_ascii_lowercase())
            }
            other => format!("{other:?}"),
        };
        let slot = *index.entry(place.clone()).or_insert_with(|| {
            by_place.push((place, Vec::new()));
            by_place.len() - 1
        });
        if let Some((_, group)) = by_place.get_mut(slot) {
            group.push((i, c));
        }
    }
    let mut checks = Vec::new();
    for (_, group) in by_place.iter().filter(|(_, g)| g.len() > 1) {
        let mut by_issuer: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        let mut open = Vec::new();
        for (i, c) in group {
            match &c.issuer {
                Some(iss) => by_issuer.entry(iss.as_str()).or_default().push(*i),
                None => open.push(*i),
            }
        }
        let mut clashes: Vec<Vec<usize>> =
            by_issuer.into_values().filter(|v| v.len() > 1).collect();
        if !open.is_empty() {
            // An entry without an issuer matches every token at its location.
            clashes = vec![group.iter().map(|(i, _)| *i).collect()];
        }
        for clash in clashes {
            let Some(first) = clash.first().and_then(|i| configs.get(*i)) else {
                continue;
            };
            let names: Vec<String> = clash.iter().map(|i| format!("#{}", i + 1)).collect();
            let listed = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => names.join(""),
            };
            checks.push(Check::fail(
                Id::LintConfigAmbiguous,
                format!(
                    "entries {listed} {} tokens from {} and no issuer tells them apart",
                    if clash.len() == 2 { "both take" } else { "all take" },
                    first.location.describe()
                ),
                "the engine answers such tokens 'Could not verify JWT: Multiple JWTs found': give each entry its own issuer (or header)",
            ));
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::json;

    fn lints(v: Value) -> Vec<(String, Status)> {
        let cfg = hconfig::parse(&v).unwrap();
        let mut all = raw(&v, "");
        all.extend(semantic(&cfg, ""));
        all.into_iter()
            .map(|c| (c.id.to_string(), c.status))
            .collect()
    }

    fn has(l: &[(String, Status)], id: &str, s: Status) -> bool {
        l.iter().any(|(i, st)| i == id && *st == s)
    }

    const JWKS: &str =
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";

    #[test]
    fn a_good_cognito_configuration() {
        let l = lints(
            json!({"type": "RS256", "jwk_url": JWKS, "claims_format": "stringified_json", "audience": "c", "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1"}),
        );
        assert!(l.iter().all(|(_, s)| *s == Status::Pass), "{l:?}");
    }

    #[test]
    fn each_mistake_is_found() {
        let l = lints(
            json!({"jwk_url": JWKS, "claim_format": "stringified_json", "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/"}),
        );
        assert!(has(&l, "lint.config_unknown", Status::Warn));
        assert!(has(&l, "lint.cognito_issuer", Status::Fail));
        assert!(has(&l, "lint.audience", Status::Warn));
        assert!(has(&l, "lint.cognito_claims_format", Status::Warn));
        let l = lints(
            json!({"jwk_url": "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json"}),
        );
        assert!(has(&l, "lint.cognito_jwk_url", Status::Fail));
        let l = lints(json!({"jwk_url": "http://example.com/jwks.json", "allowed_skew": 3600}));
        assert!(has(&l, "lint.jwk_url", Status::Fail));
        assert!(has(&l, "lint.allowed_skew", Status::Warn));
        assert!(has(&l, "lint.issuer", Status::Warn));
        let l = lints(
            json!({"jwk_url": JWKS, "issuer": "https://myapp.auth.us-east-1.amazoncognito.com", "claims_namespace": "x", "claims_map": {"x-hasura-allowed-roles": ["u"], "x-hasura-default-role": "u"}}),
        );
        assert!(has(&l, "lint.cognito_issuer", Status::Fail));
        assert!(has(&l, "lint.config_conflict", Status::Warn));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = crate::jose::json::parse_str("{\n  \"type\": \"RS256\",\n  \"jwk_url\" \"x\"\n}")
            .unwrap_err();
        let c = syntax(&e, "config.json", "");
        assert_eq!(
            c.message,
            "config.json is not valid JSON: line 3, column 13: expected `:`"
        );
    }
}
