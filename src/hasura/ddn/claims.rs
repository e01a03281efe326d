//! The Hasura claims as DDN reads them (`decode_and_parse_hasura_claims`), then the identity
//! and the role (`authenticate_request`, `authorize_identity`).
//!
//! Namespace mode: the value at the JSON pointer (serde_json's `Value::pointer`), an object
//! for `Json` or a string holding one for `StringifiedJson`, deserialized as `HasuraClaims`
//! (`x-hasura-default-role` a string, `x-hasura-allowed-roles` a list of strings, every other
//! member a session variable, names as written: case matters). Locations mode: each entry's
//! literal, or the value at its pointer, or its default. Then the default role must be among
//! the allowed roles, the allowed roles must not repeat, and the `x-hasura-role` header must
//! name an allowed role.

use serde_json::{Map, Value};

use super::config::Entry;
use super::decode::unexpected;
use super::{Answer, DdnClaims, DdnConfig, DdnSteps};
use crate::report::{Check, HasuraInfo, Id};

/// `HasuraClaims`.
pub(super) struct Hasura {
    default_role: String,
    allowed_roles: Vec<String>,
    custom: Vec<(String, Value)>,
}

const DEFAULT_ROLE: &str = "x-hasura-default-role";
const ALLOWED_ROLES: &str = "x-hasura-allowed-roles";

pub(super) fn extract(
    cfg: &DdnConfig,
    claims: &Map<String, Value>,
    steps: &mut DdnSteps,
    info: &mut HasuraInfo,
) -> Option<Hasura> {
    let whole = Value::Object(claims.clone());
    let hasura = match &cfg.claims {
        DdnClaims::Namespace { format, location } => {
            namespace(*format, location, &whole, steps, info)?
        }
        DdnClaims::Locations(entries) => locations(entries, &whole, steps, info)?,
    };
    info.default_role = Some(hasura.default_role.clone());
    info.allowed_roles = Some(hasura.allowed_roles.clone());
    if !hasura.allowed_roles.contains(&hasura.default_role) {
        steps.fail(
            Id::HasuraDefaultRole,
            format!("the default role {:?} is not among the allowed roles {:?}", hasura.default_role, hasura.allowed_roles),
            "add the default role to x-hasura-allowed-roles (the Pre Token Generation trigger writes both)",
            Answer::bad_request("The default role is not present in the allowed roles"),
        );
        return None;
    }
    steps.pass(
        Id::HasuraAllowedRoles,
        format!("allowed roles {}", hasura.allowed_roles.join(", ")),
    );
    steps.pass(
        Id::HasuraDefaultRole,
        format!("default role {}", hasura.default_role),
    );
    Some(hasura)
}

fn namespace(
    format: super::ClaimsFormat,
    location: &str,
    whole: &Value,
    steps: &mut DdnSteps,
    info: &mut HasuraInfo,
) -> Option<Hasura> {
    let Some(found) = whole.pointer(location) else {
        let near = near_pointer(whole);
        steps.fail(
            Id::HasuraNamespace,
            format!("no claims at the JSON pointer {location:?}"),
            match near {
                Some(p) => format!("the token has Hasura claims at {p:?}: set claimsConfig.namespace.location to it (in a pointer, `/` inside a name is written ~1)"),
                None => "the token has no Hasura claims; the Pre Token Generation trigger adds them to id tokens only".into(),
            },
            Answer::internal(format!("Hasura claims not found in the JWT at {location}")),
        );
        return None;
    };
    info.found = true;
    let object = match (format, found) {
        (super::ClaimsFormat::StringifiedJson, Value::String(text)) => {
            info.claims_format = Some("stringified_json".into());
            match serde_json::from_str::<Value>(text) {
                Ok(v) => v,
                Err(e) => return parse_error(steps, &e.to_string(), ""),
            }
        }
        (super::ClaimsFormat::StringifiedJson, _) => {
            info.claims_format = Some("json".into());
            steps.fail(Id::HasuraFormat, "the claims are a JSON object, but claimsFormat is StringifiedJson", "set claimsFormat: Json", Answer::bad_request("Expected the Hasura claims to be a String when `claimsFormat` is `stringifiedJson`"));
            return None;
        }
        (super::ClaimsFormat::Json, v) => {
            info.claims_format = Some(
                if v.is_string() {
                    "stringified_json"
                } else {
                    "json"
                }
                .into(),
            );
            v.clone()
        }
    };
    steps.pass(Id::HasuraFormat, format!("claimsFormat {}", format.name()));
    hasura_claims(&object, steps)
}

/// `serde_json::from_value::<HasuraClaims>` and serde's words for what it refuses (with a
/// note of ours, kept out of the engine's message).
fn hasura_claims(v: &Value, steps: &mut DdnSteps) -> Option<Hasura> {
    let Value::Object(m) = v else {
        let note = match v {
            Value::String(_) => " (the claims are stringified: set claimsFormat: StringifiedJson)",
            _ => "",
        };
        let engine = format!(
            "invalid type: {}, expected struct HasuraClaims",
            unexpected(v)
        );
        return parse_error(steps, &engine, note);
    };
    let Some(default) = m.get(DEFAULT_ROLE) else {
        return parse_error(
            steps,
            &format!("missing field `{DEFAULT_ROLE}`"),
            &near_miss(m, DEFAULT_ROLE),
        );
    };
    let Some(default_role) = default.as_str() else {
        return parse_error(
            steps,
            &format!("invalid type: {}, expected a string", unexpected(default)),
            "",
        );
    };
    let Some(allowed) = m.get(ALLOWED_ROLES) else {
        return parse_error(
            steps,
            &format!("missing field `{ALLOWED_ROLES}`"),
            &near_miss(m, ALLOWED_ROLES),
        );
    };
    let allowed_roles = match allowed {
        Value::Array(items) => match items.iter().find(|r| !r.is_string()) {
            Some(bad) => {
                return parse_error(
                    steps,
                    &format!("invalid type: {}, expected a string", unexpected(bad)),
                    "",
                );
            }
            None => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        },
        other => {
            return parse_error(
                steps,
                &format!("invalid type: {}, expected a sequence", unexpected(other)),
                "",
            );
        }
    };
    let custom = m
        .iter()
        .filter(|(k, _)| k.as_str() != DEFAULT_ROLE && k.as_str() != ALLOWED_ROLES)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(Hasura {
        default_role: default_role.to_string(),
        allowed_roles,
        custom,
    })
}

/// The case-insensitive near miss DDN does not forgive, as a note.
fn near_miss(m: &Map<String, Value>, name: &str) -> String {
    m.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .map(|k| format!(" (the claims have {k:?}: DDN reads names case-sensitively)"))
        .unwrap_or_default()
}

fn parse_error<T>(steps: &mut DdnSteps, engine: &str, note: &str) -> Option<T> {
    steps.fail(
        Id::HasuraNamespace,
        format!("the Hasura claims cannot be read: {engine}{note}"),
        "x-hasura-default-role must be a string and x-hasura-allowed-roles a list of strings, names in lower case",
        Answer::internal(format!("Error in parsing the Hasura claims map: {engine}")),
    );
    None
}

/// A pointer to where the token does have Hasura claims (a member holding
/// `x-hasura-allowed-roles`, as an object or a string).
fn near_pointer(whole: &Value) -> Option<String> {
    let m = whole.as_object()?;
    m.iter().find_map(|(k, v)| {
        let holds = match v {
            Value::Object(o) => o.contains_key(ALLOWED_ROLES),
            Value::String(s) => s.contains(ALLOWED_ROLES),
            _ => false,
        };
        holds.then(|| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
    })
}

/// Locations mode in the engine's order: the default role (its value, else "required"), the
/// allowed roles, then every other claim (any JSON; absent ones are left out).
fn locations(
    entries: &[(String, Entry)],
    whole: &Value,
    steps: &mut DdnSteps,
    info: &mut HasuraInfo,
) -> Option<Hasura> {
    info.found = true;
    let value = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, e)| match e {
                Entry::Literal(v) => Some(v.clone()),
                Entry::Path { path, default } => {
                    whole.pointer(path).cloned().or_else(|| default.clone())
                }
            })
    };
    let default_role = match value(DEFAULT_ROLE) {
        Some(Value::String(s)) => s,
        Some(other) => return typed_error(steps, DEFAULT_ROLE, &other, "a string"),
        None => return required(steps, DEFAULT_ROLE),
    };
    let allowed_roles = match value(ALLOWED_ROLES) {
        Some(Value::Array(items)) => match items.iter().find(|r| !r.is_string()) {
            Some(bad) => return typed_error(steps, ALLOWED_ROLES, bad, "a string"),
            None => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        },
        Some(other) => return typed_error(steps, ALLOWED_ROLES, &other, "a sequence"),
        None => return required(steps, ALLOWED_ROLES),
    };
    let custom = entries
        .iter()
        .filter(|(n, _)| n != DEFAULT_ROLE && n != ALLOWED_ROLES)
        .filter_map(|(n, _)| value(n).map(|v| (n.clone(), v)))
        .collect();
    steps.pass(
        Id::HasuraNamespace,
        "claims read from claimsConfig.locations",
    );
    Some(Hasura {
        default_role,
        allowed_roles,
        custom,
    })
}

/// serde's words for a value it cannot take (the value itself, or a list's first non-string).
fn typed_error<T>(steps: &mut DdnSteps, name: &str, got: &Value, expected: &str) -> Option<T> {
    let engine = format!("invalid type: {}, expected {expected}", unexpected(got));
    steps.fail(
        Id::HasuraNamespace,
        format!("{name}: {engine}"),
        format!("make the value at {name}'s location {expected}"),
        Answer::bad_request(format!(
            "Error while parsing the claims map entry: {name} - {engine}"
        )),
    );
    None
}

fn required<T>(steps: &mut DdnSteps, claim: &str) -> Option<T> {
    steps.fail(
        Id::HasuraNamespace,
        format!("{claim}: nothing at its path and no default"),
        format!("give {claim} a default, or fix its path"),
        Answer::bad_request(format!("Required claim {claim} not found")),
    );
    None
}

/// The identity (role emulation for v1's `allowRoleEmulationBy`) and the role the request runs
/// as, with its session variables.
pub(super) fn identity(
    cfg: &DdnConfig,
    h: &Hasura,
    header_role: Option<&str>,
    steps: &mut DdnSteps,
    info: &mut HasuraInfo,
) {
    let claimed_role = h
        .custom
        .iter()
        .find(|(k, _)| k == "x-hasura-role")
        .map(|(_, v)| v);
    if let (Some(by), Some(v)) = (&cfg.role_emulation_by, claimed_role) {
        let Some(role) = v.as_str() else {
            steps.fail(
                Id::HasuraRole,
                "x-hasura-role in the claims is not a string",
                "write the role as a string",
                Answer::bad_request("Expected string value for claim x-hasura-role"),
            );
            return;
        };
        if role == by {
            let runs_as = header_role.unwrap_or(by);
            steps.pass(
                Id::HasuraRole,
                format!("role emulation for {by}: runs as {runs_as}"),
            );
            info.role = Some(runs_as.to_string());
            return;
        }
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = h.allowed_roles.iter().find(|r| !seen.insert(*r)) {
        steps.fail(
            Id::HasuraAllowedRoles,
            format!("the allowed roles name {dup} twice"),
            "list each role once",
            Answer::internal("Duplicate allowed role found in the JWT claims"),
        );
        return;
    }
    let role = match header_role {
        Some(r) if !h.allowed_roles.iter().any(|a| a == r) => {
            steps.fail(
                Id::HasuraRole,
                format!("the x-hasura-role header asks for {r:?}, which is not an allowed role"),
                format!("ask for one of {}", h.allowed_roles.join(", ")),
                Answer {
                    status: 401,
                    message: format!("cannot be authorized as role: {r}"),
                },
            );
            return;
        }
        Some(r) => r.to_string(),
        None => h.default_role.clone(),
    };
    steps.pass(
        Id::HasuraRole,
        format!(
            "runs as {role}{}",
            if header_role.is_some() {
                " (x-hasura-role)"
            } else {
                " (the default role)"
            }
        ),
    );
    info.role = Some(role.clone());
    for (k, v) in &h.custom {
        info.session_variables.insert(k.clone(), v.clone());
    }
    info.session_variables
        .insert("x-hasura-role".into(), Value::String(role));
    steps.note(Check::pass(
        Id::HasuraSessionVariables,
        format!("{} session variable(s)", info.session_variables.len()),
    ));
}
