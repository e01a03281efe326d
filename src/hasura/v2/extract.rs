//! Where the Hasura claims are and how they are encoded: `claims_namespace` /
//! `claims_namespace_path` with `claims_format`, or `claims_map` (`parseClaimsMap`).

use super::aeson;
use super::config::{Claims, ClaimsMap, JwtConfig, MapValue, Namespace};
use super::errors::V2Steps;
use super::errors::{INVALID_CLAIMS, MISSING_ROLE, Messages};
use crate::hasura;
use crate::hasura::claims::{Format, Shape};
use crate::hasura::jsonpath::JsonPath;
use crate::report::{Check, HasuraInfo, Id};
use serde_json::{Map, Value};

pub(super) const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// The session-variable map the engine extracts, or `None` when extraction fails.
pub(super) fn extract(
    cfg: &JwtConfig,
    claims: &Map<String, Value>,
    run: &mut V2Steps,
    info: &mut HasuraInfo,
    m: Messages,
) -> Option<Vec<(String, Value)>> {
    match &cfg.claims {
        Claims::Namespace { ns, format } => namespace_mode(ns, *format, claims, run, info),
        Claims::Map(map) => claims_map_mode(map, claims, run, info, m),
    }
}

pub(super) fn namespace_mode(
    ns: &Namespace,
    format: Format,
    claims: &Map<String, Value>,
    run: &mut V2Steps,
    info: &mut HasuraInfo,
) -> Option<Vec<(String, Value)>> {
    let unregistered: Map<String, Value> = claims
        .iter()
        .filter(|(k, _)| !REGISTERED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let as_value = Value::Object(unregistered);
    let found = match ns {
        Namespace::Key(k) => as_value.get(k),
        Namespace::Path(p) => p.eval(&as_value),
    };
    let Some(value) = found else {
        let engine = match ns {
            Namespace::Key(k) => format!("claims key: '{k}' not found"),
            Namespace::Path(p) => format!(
                "claims not found at claims_namespace_path: '{}'",
                p.encode()
            ),
        };
        run.refuse(
            Id::HasuraNamespace,
            format!("no claims at {}", ns.describe()),
            where_are_they(claims, format),
            INVALID_CLAIMS,
            engine,
        );
        return None;
    };
    info.found = true;
    let shape = hasura::claims::shape(value);
    if let Shape::Claims {
        inner_duplicates, ..
    } = &shape
    {
        for path in inner_duplicates {
            run.note(Check::warn(
                Id::Format,
                format!("duplicate member name {path} inside the stringified claims"),
                "Hasura uses the first value, other parsers the last: the claims are ambiguous; fix the trigger that builds them",
            ));
        }
    }
    if let Shape::Claims {
        format: found_format,
        ..
    } = &shape
    {
        info.claims_format = Some(found_format.as_str().to_string());
    }
    let cognito = crate::cognito::issued_by_cognito(claims);
    let object = as_configured(ns, format, value, shape, cognito, run)?;
    run.note(Check::pass(
        Id::HasuraFormat,
        format!(
            "claims at {} are {} as configured",
            ns.describe(),
            match format {
                Format::Json => "a JSON object",
                Format::StringifiedJson => "a JSON string holding an object",
            }
        ),
    ));
    Some(session_members(&object))
}

/// The claims value read as `claims_format` says (`json`: an object; `stringified_json`: a
/// string holding one), or the engine's error with the format that would fix it.
fn as_configured(
    ns: &Namespace,
    format: Format,
    value: &Value,
    shape: Shape,
    cognito: bool,
    run: &mut V2Steps,
) -> Option<Map<String, Value>> {
    Some(match (format, value, shape) {
        (Format::Json, Value::Object(o), _) => o.clone(),
        (Format::StringifiedJson, Value::String(_), Shape::Claims { claims, .. }) => {
            first_wins_object(value).unwrap_or(claims)
        }
        (Format::StringifiedJson, Value::String(s), _) => {
            run.refuse(
                Id::HasuraFormat,
                "the claims are a string, but not one holding a JSON object",
                "with claims_format stringified_json, the claim must be a string such as \"{\\\"x-hasura-default-role\\\":\\\"user\\\",…}\"",
                INVALID_CLAIMS,
                format!("expecting stringified json at: '{}', but found: {s}", ns.describe()),
            );
            return None;
        }
        (Format::StringifiedJson, _, shape) => {
            let hint = match shape {
                Shape::Claims {
                    format: Format::Json,
                    ..
                } => {
                    "the claims are a JSON object: set \"claims_format\": \"json\" (or remove it; json is the default)"
                }
                _ => "the claim must be a string holding a JSON object",
            };
            run.refuse(
                Id::HasuraFormat,
                format!(
                    "the claims are {}, but claims_format is stringified_json",
                    crate::jose::json::type_name(value)
                ),
                hint,
                INVALID_CLAIMS,
                "expecting a string when claims_format is stringified_json",
            );
            return None;
        }
        (Format::Json, _, shape) => {
            not_an_object(value, shape, cognito, run);
            return None;
        }
    })
}

/// `claims_format: json`, and the claims are not an object: the engine's error, with the format
/// that would read them when they are a string holding one.
fn not_an_object(value: &Value, shape: Shape, cognito: bool, run: &mut V2Steps) {
    let stringified = matches!(
        shape,
        Shape::Claims {
            format: Format::StringifiedJson,
            ..
        }
    );
    let (what, hint) = if stringified {
        (
            "stringified JSON (a string holding an object)".to_string(),
            if cognito {
                format!(
                    "{}: set \"claims_format\": \"stringified_json\"",
                    crate::cognito::V1_WRITES_STRINGS
                )
            } else {
                "the claims are a string that holds a JSON object: set \"claims_format\": \"stringified_json\"".to_string()
            },
        )
    } else {
        (
            crate::jose::json::type_name(value).to_string(),
            "the claim must be a JSON object of x-hasura-* members".to_string(),
        )
    };
    run.refuse(
        Id::HasuraFormat,
        format!("the claims are {what}, but claims_format is json"),
        hint,
        INVALID_CLAIMS,
        "expecting a json object when claims_format is json",
    );
}

/// A stringified object parsed as aeson would (first of duplicates kept).
pub(super) fn first_wins_object(v: &Value) -> Option<Map<String, Value>> {
    let s = v.as_str()?;
    match crate::jose::json::parse_first_wins(s.as_bytes())
        .ok()?
        .value
    {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The engine's `parseObjectAsClaims`: `x-hasura-*` members, names case-folded; of names
/// equal but for case, the one that sorts last wins.
pub(super) fn session_members(object: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut sorted: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(k, _)| hasura::claims::is_session_variable(k))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Vec<(String, Value)> = Vec::new();
    for (k, v) in sorted {
        let lower = hasura::claims::fold(k);
        match out.iter_mut().find(|(n, _)| *n == lower) {
            Some(slot) => slot.1 = v.clone(),
            None => out.push((lower, v.clone())),
        }
    }
    out
}

pub(super) fn where_are_they(claims: &Map<String, Value>, configured: Format) -> String {
    let sightings = hasura::claims::sightings(claims);
    if let Some(s) = sightings.first() {
        let format_fix = if s.format != configured {
            format!(" and \"claims_format\": \"{}\"", s.format.as_str())
        } else {
            String::new()
        };
        return match &s.namespace {
            Some(ns) if s.depth == 1 => {
                format!(
                    "the x-hasura-* claims are at {} ({}): set \"claims_namespace\": {ns:?}{format_fix}",
                    s.path,
                    s.format.as_str()
                )
            }
            _ => format!(
                "the x-hasura-* claims are at {} ({}): set \"claims_namespace_path\": {:?}{format_fix}",
                s.path,
                s.format.as_str(),
                s.path
            ),
        };
    }
    if claims.get("token_use").and_then(Value::as_str) == Some("access") {
        return "this is a Cognito access token: a Pre Token Generation V1 trigger adds claims only to the id token. Send the id token, or switch the trigger to V2/V3 (Essentials or Plus) to customise access tokens".into();
    }
    let fix = if crate::cognito::issued_by_cognito(claims) {
        "add them in the Cognito Pre Token Generation trigger"
    } else {
        "add them where the issuer builds the token"
    };
    format!(
        "the token has no x-hasura-* claims: {fix} (or map existing claims with claims_map). HASURA_GRAPHQL_UNAUTHORIZED_ROLE does not apply: it serves only requests without a token"
    )
}

pub(super) fn claims_map_mode(
    map: &ClaimsMap,
    claims: &Map<String, Value>,
    run: &mut V2Steps,
    info: &mut HasuraInfo,
    m: Messages,
) -> Option<Vec<(String, Value)>> {
    let whole = super::hsjose::claims_set_json(claims);
    info.found = true;
    let allowed = mapped_role(&map.allowed_roles, &whole, RoleClaim::Allowed, run, m)?;
    let default_role = mapped_role(&map.default_role, &whole, RoleClaim::Default, run, m)?;
    let mut session = vec![
        ("x-hasura-allowed-roles".to_string(), allowed),
        ("x-hasura-default-role".to_string(), default_role),
    ];
    let mut missing = Vec::new();
    for (name, value) in &map.others {
        // Builds with quoted messages drop claims_map entries that are not x-hasura-*.
        if m == Messages::Quoted && !hasura::claims::is_session_variable(name) {
            continue;
        }
        let v = mapped_value(name, value, &whole, run);
        match v {
            Some(v) => session.push((name.clone(), v)),
            None => missing.push((name.clone(), value)),
        }
    }
    if let Some((first_name, first_value)) = missing.first() {
        let names: Vec<String> = missing.iter().map(|(n, _)| n.clone()).collect();
        let hint = match first_value {
            MapValue::Path(p, _) => stringified_hint(p, &whole),
            MapValue::Static(_) => String::new(),
        };
        let message = if missing.len() == 1 {
            format!("{first_name} not found in the token (claims_map)")
        } else {
            format!(
                "{} not found in the token (claims_map); Hasura names one of them",
                names.join(", ")
            )
        };
        run.refuse(
            Id::HasuraSessionVariables,
            message,
            hint,
            INVALID_CLAIMS,
            format!(
                "JWT claim from claims_map, {} not found",
                m.name(first_name)
            ),
        );
        return None;
    }
    Some(session)
}

/// One `claims_map` entry's value: a literal, the value at its path, or its default.
fn mapped_value(
    name: &str,
    value: &MapValue<String>,
    whole: &Value,
    run: &mut V2Steps,
) -> Option<Value> {
    match value {
        MapValue::Static(s) => {
            let literal = Value::String(s.clone());
            if let Some(note) = literal_path(name, &literal) {
                run.note(Check::warn(Id::HasuraSessionVariables, note.0, note.1));
            }
            Some(literal)
        }
        MapValue::Path(p, default) => p.eval(whole).cloned().or_else(|| {
            let d = Value::String(default.clone()?);
            run.note(default_used(Id::HasuraSessionVariables, name, p, &d, whole));
            Some(d)
        }),
    }
}

/// A `claims_map` value that is a literal but reads like a path (`"$.role"`, `["$.groups"]`):
/// the engine uses the text itself. The message and hint, when it is one.
fn literal_path(claim: &str, literal: &Value) -> Option<(String, String)> {
    let texts: Vec<&str> = match literal {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let path = texts.into_iter().find(|t| t.starts_with('$'))?;
    Some((
        format!("claims_map gives {claim} the literal {literal}, not the claim at {path}"),
        format!(
            "a path is written as an object: \"{claim}\": {{\"path\": \"{path}\"}}; a string or a list is used as it stands"
        ),
    ))
}

/// A `claims_map` path that found nothing, so its default stands in: said, because it often
/// hides a path that never matches.
fn default_used(id: Id, claim: &str, p: &JsonPath, default: &Value, whole: &Value) -> Check {
    Check::warn(
        id,
        format!(
            "nothing at {}{} in this token: {claim} is the default {default}",
            p.encode(),
            p.literal_note()
        ),
        inside_stringified(p, whole).unwrap_or_else(|| {
            "check the path against the token's payload: a default that always stands in hides a path that never matches".into()
        }),
    )
}

/// One of the two role claims of a `claims_map`.
#[derive(Clone, Copy)]
enum RoleClaim {
    Allowed,
    Default,
}

/// A role claim of a `claims_map`: a literal, or a path (with an optional default) whose value
/// must read as the claim's type (`parseClaimsMap`).
fn mapped_role<T: Clone + Into<Value>>(
    entry: &MapValue<T>,
    whole: &Value,
    which: RoleClaim,
    run: &mut V2Steps,
    m: Messages,
) -> Option<Value> {
    let (id, claim) = match which {
        RoleClaim::Allowed => (Id::HasuraAllowedRoles, "x-hasura-allowed-roles"),
        RoleClaim::Default => (Id::HasuraDefaultRole, "x-hasura-default-role"),
    };
    let (p, default) = match entry {
        MapValue::Static(r) => {
            let literal: Value = r.clone().into();
            if let Some(note) = literal_path(claim, &literal) {
                run.note(Check::warn(id, note.0, note.1));
            }
            return Some(literal);
        }
        MapValue::Path(p, default) => (p, default),
    };
    let Some(v) = p.eval(whole) else {
        if let Some(d) = default {
            let d: Value = d.clone().into();
            run.note(default_used(id, claim, p, &d, whole));
            return Some(d);
        }
        run.refuse(
            id,
            format!(
                "nothing at {}{} for {claim}, and no default",
                p.encode(),
                p.literal_note()
            ),
            stringified_hint(p, whole),
            MISSING_ROLE,
            format!("JWT claim does not contain {}", m.name(claim)),
        );
        return None;
    };
    let read = match which {
        RoleClaim::Allowed => aeson::roles(v).map(Value::from),
        RoleClaim::Default => aeson::role(v).map(Value::from),
    };
    read.map_err(|e| {
        let (what, fix, should) = match which {
            RoleClaim::Allowed => (
                "a list of role names",
                "make it a JSON array of non-empty strings",
                "a list of roles",
            ),
            RoleClaim::Default => ("a role name", "make it a non-empty string", "a role"),
        };
        run.refuse(
            id,
            format!("{claim} at {} is not {what}: {e}", p.encode()),
            fix,
            INVALID_CLAIMS,
            format!("invalid {}; should be {should}: {e}", m.name(claim)),
        );
    })
    .ok()
}

/// Hasura issue #8341: claims_map paths cannot look inside a stringified claim. Walks the path
/// once from the root: a string met on the way is parsed, and the rest of the path tried in it
/// (a string has no members, so the walk ends there either way; linear in the path's length).
fn inside_stringified(p: &crate::hasura::jsonpath::JsonPath, whole: &Value) -> Option<String> {
    use crate::hasura::jsonpath::JsonPath;
    let mut current = whole;
    for (cut, step) in p.0.iter().enumerate() {
        if let Value::String(s) = current {
            let rest = JsonPath(p.0.get(cut..).unwrap_or_default().to_vec());
            if cut > 0
                && let Ok(crate::jose::json::Parsed { value, .. }) = crate::jose::json::parse_str(s)
                && rest.eval(&value).is_some()
            {
                let head = JsonPath(p.0.get(..cut).unwrap_or_default().to_vec());
                return Some(format!(
                    "{} is a JSON string, and claims_map paths cannot look inside a stringified claim (Hasura issue #8341): write the claims as a JSON object (Cognito V2/V3 trigger), or use claims_namespace with claims_format stringified_json",
                    head.encode()
                ));
            }
            break;
        }
        match step.apply(current) {
            Some(next) => current = next,
            None => break,
        }
    }
    None
}

/// Why a path found nothing: inside a stringified claim (#8341), or simply not there.
fn stringified_hint(p: &crate::hasura::jsonpath::JsonPath, whole: &Value) -> String {
    inside_stringified(p, whole).unwrap_or_else(|| {
        "the path finds nothing in this token; check it against the payload, or give a default"
            .into()
    })
}
