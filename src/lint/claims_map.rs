//! `claims_map` entries that cannot work as meant: a path read as one member literally named
//! `$.…` (a JSONPath written inside brackets), defaults that can never satisfy Hasura, a user id
//! that is one constant for every token, and a privileged role every token is allowed.
//!
//! Pure.

use crate::hasura::jsonpath::{self, JsonPath, Step};
use crate::hasura::v2::config::{ClaimsMap, MapValue};
use crate::report::{Check, Id};

/// Every lint of the map, in the order `check` prints them; `label` names the entry.
pub fn lints(map: &ClaimsMap, label: &str) -> Vec<Check> {
    let mut checks = bracketed_paths(map, label);
    checks.extend(defaults(map, label));
    checks.extend(literals(map, label));
    checks
}

/// A path that is one member literally named like a JSONPath (`["$.org"]`): no token has it,
/// so the default is always used.
fn bracketed_paths(map: &ClaimsMap, label: &str) -> Vec<Check> {
    let mut paths: Vec<(&str, &JsonPath)> = Vec::new();
    if let MapValue::Path(p, _) = &map.allowed_roles {
        paths.push(("x-hasura-allowed-roles", p));
    }
    if let MapValue::Path(p, _) = &map.default_role {
        paths.push(("x-hasura-default-role", p));
    }
    for (name, v) in &map.others {
        if let MapValue::Path(p, _) = v {
            paths.push((name.as_str(), p));
        }
    }
    let mut checks = Vec::new();
    for (name, path) in paths {
        if let [Step::Key(member)] = path.0.as_slice()
            && member.starts_with('$')
            && jsonpath::parse(member).is_ok()
        {
            checks.push(Check::warn(
                Id::LintConfigClaimsMap,
                format!(
                    "{label}claims_map {name}: the path names one member literally called {member:?}, which no token has, so the default is always used"
                ),
                format!("write the path itself: \"path\": {member:?}"),
            ));
        }
    }
    checks
}

/// Defaults that can never satisfy Hasura: no allowed role, or a default role not among them.
fn defaults(map: &ClaimsMap, label: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let roles: Option<&Vec<String>> = match &map.allowed_roles {
        MapValue::Static(r) | MapValue::Path(_, Some(r)) => Some(r),
        MapValue::Path(_, None) => None,
    };
    if let MapValue::Path(_, Some(r)) = &map.allowed_roles
        && r.is_empty()
    {
        checks.push(Check::warn(
            Id::LintConfigClaimsMap,
            format!("{label}claims_map x-hasura-allowed-roles defaults to [] : a token without the claim is allowed no role, and every request fails with \"Your requested role is not in allowed roles\""),
            "give a default that holds the default role, or remove the default so that such a token is refused by name",
        ));
    }
    let default_role = match &map.default_role {
        MapValue::Static(r) | MapValue::Path(_, Some(r)) => Some(r),
        MapValue::Path(_, None) => None,
    };
    if let (Some(role), Some(roles)) = (default_role, roles)
        && !roles.is_empty()
        && !roles.contains(role)
    {
        checks.push(Check::warn(
            Id::LintConfigClaimsMap,
            format!("{label}claims_map: the default role {role:?} is not among the allowed roles {roles:?}, so a token that falls back on both is refused"),
            "make the default role one of the allowed roles",
        ));
    }
    checks
}

/// Literals where a path was meant: one user id for every token, a privileged role every token
/// may take.
fn literals(map: &ClaimsMap, label: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, v) in &map.others {
        if name == "x-hasura-user-id"
            && let MapValue::Static(id) = v
        {
            checks.push(Check::warn(
                Id::LintConfigClaimsMap,
                format!("{label}claims_map x-hasura-user-id is the literal {id:?}: every token gets this same user id"),
                "a literal is a constant; write {\"path\": \"$.sub\"} (or the claim that holds the user's id)",
            ));
        }
    }
    if let MapValue::Static(roles) = &map.allowed_roles
        && let Some(role) = roles.iter().find(|r| privileged(r))
    {
        checks.push(Check::warn(
            Id::LintConfigClaimsMap,
            format!("{label}claims_map x-hasura-allowed-roles is the literal list {roles:?}: every token may take the role {role:?} by sending x-hasura-role"),
            "read the allowed roles from the token ({\"path\": \"$['cognito:groups']\"}), or leave privileged roles out of a literal list",
        ));
    }
    checks
}

/// The role Hasura takes as admin-like, by its name.
fn privileged(role: &str) -> bool {
    let r = role.to_ascii_lowercase();
    [
        "admin",
        "root",
        "superuser",
        "super_admin",
        "superadmin",
        "owner",
        "service",
    ]
    .iter()
    .any(|p| r == *p || r.ends_with(&format!("_{p}")) || r.ends_with(&format!("-{p}")))
}
