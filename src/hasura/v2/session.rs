//! From the session variables to the request's role: allowed roles, default role, the
//! `x-hasura-role` header, and every other variable as a string (`parseHasuraClaims`).

use super::aeson;
use super::errors::V2Steps;
use super::errors::{INVALID_CLAIMS, MISSING_ROLE, Messages};
use crate::report::{Check, HasuraInfo, Id, Status};
use serde_json::Value;

pub(super) fn roles_and_session(
    session: Vec<(String, Value)>,
    requested: Option<&str>,
    run: &mut V2Steps,
    info: &mut HasuraInfo,
    m: Messages,
) {
    let get = |name: &str| session.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let Some(allowed) = allowed_roles(get("x-hasura-allowed-roles"), run, m) else {
        return;
    };
    info.allowed_roles = Some(allowed.clone());
    run.note(Check::pass(
        Id::HasuraAllowedRoles,
        format!("allowed roles: {}", allowed.join(", ")),
    ));
    let Some(default) = default_role(get("x-hasura-default-role"), run, m) else {
        return;
    };
    info.default_role = Some(default.clone());
    run.note(Check::pass(
        Id::HasuraDefaultRole,
        format!("default role: {default}"),
    ));
    let role = request_role(requested, &allowed, &default, run);
    if let Some(in_token) = get("x-hasura-role") {
        run.note(role_in_token(in_token, requested, &role));
    }
    other_variables(&session, run, info);
    info.session_variables
        .insert("x-hasura-role".into(), Value::String(role.clone()));
    if !run.failed() {
        info.role = Some(role);
    }
}

/// `x-hasura-allowed-roles`: present, and a list of role names.
fn allowed_roles(value: Option<&Value>, run: &mut V2Steps, m: Messages) -> Option<Vec<String>> {
    let name = m.name("x-hasura-allowed-roles");
    let Some(v) = value else {
        run.refuse(
            Id::HasuraAllowedRoles,
            "no x-hasura-allowed-roles in the claims",
            "add \"x-hasura-allowed-roles\": [\"user\"] to the Hasura claims",
            MISSING_ROLE,
            format!("JWT claim does not contain {name}"),
        );
        return None;
    };
    aeson::roles(v)
        .map_err(|e| {
            run.refuse(
                Id::HasuraAllowedRoles,
                format!("x-hasura-allowed-roles is not a list of role names: {e}"),
                "make it a JSON array of non-empty strings, e.g. [\"user\"] (a list, even for one role)",
                INVALID_CLAIMS,
                format!("invalid {name}; should be a list of roles: {e}"),
            );
        })
        .ok()
}

/// `x-hasura-default-role`: present, and a role name.
fn default_role(value: Option<&Value>, run: &mut V2Steps, m: Messages) -> Option<String> {
    let name = m.name("x-hasura-default-role");
    let Some(v) = value else {
        run.refuse(
            Id::HasuraDefaultRole,
            "no x-hasura-default-role in the claims",
            "add \"x-hasura-default-role\": \"user\" to the Hasura claims",
            MISSING_ROLE,
            format!("JWT claim does not contain {name}"),
        );
        return None;
    };
    aeson::role(v)
        .map_err(|e| {
            run.refuse(
                Id::HasuraDefaultRole,
                format!("x-hasura-default-role is not a role name: {e}"),
                "make it a non-empty string, e.g. \"user\"",
                INVALID_CLAIMS,
                format!("invalid {name}; should be a single role name: {e}"),
            );
        })
        .ok()
}

/// The role the request runs as: the `x-hasura-role` header, else the default; it must be
/// allowed.
fn request_role(
    requested: Option<&str>,
    allowed: &[String],
    default: &str,
    run: &mut V2Steps,
) -> String {
    let requested = requested.filter(|r| !r.is_empty());
    let role = requested.unwrap_or(default).to_string();
    let how = if requested.is_some() {
        "requested with x-hasura-role"
    } else {
        "the default role; no x-hasura-role header"
    };
    if allowed.contains(&role) {
        run.note(Check::pass(Id::HasuraRole, format!("role {role} ({how})")));
        return role;
    }
    let hint = match (requested, allowed.is_empty()) {
        (Some(_), true) => "the token allows no role at all; request one of them".to_string(),
        (Some(_), false) => format!(
            "the token allows {}; request one of them",
            allowed.join(", ")
        ),
        (None, true) => {
            "x-hasura-allowed-roles is an empty list, so no role is ever allowed: list the roles"
                .to_string()
        }
        (None, false) => format!(
            "the default role {default:?} is not among the allowed roles ({}): add it to x-hasura-allowed-roles, or send x-hasura-role with an allowed role",
            allowed.join(", ")
        ),
    };
    run.refuse(
        Id::HasuraRole,
        format!("role {role:?} ({how}) is not among the allowed roles"),
        hint,
        "access-denied",
        "Your requested role is not in allowed roles",
    );
    role
}

/// Every session variable but the two role claims must be a string (checked in key order);
/// they become the session permissions see.
fn other_variables(session: &[(String, Value)], run: &mut V2Steps, info: &mut HasuraInfo) {
    let mut rest: Vec<&(String, Value)> = session
        .iter()
        .filter(|(n, _)| n != "x-hasura-allowed-roles" && n != "x-hasura-default-role")
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let bad: Vec<&&(String, Value)> = rest.iter().filter(|(_, v)| !v.is_string()).collect();
    if let Some((_, first)) = bad.first().map(|b| (&b.0, &b.1)) {
        let listing: Vec<String> = bad
            .iter()
            .map(|(n, v)| format!("{n} is {}", crate::jose::json::type_name(v)))
            .collect();
        run.refuse(
            Id::HasuraSessionVariables,
            format!("session variables must be strings: {}", listing.join(", ")),
            "write numbers as strings (\"42\") and lists as Postgres array literals (\"{a,b}\")",
            INVALID_CLAIMS,
            format!(
                "x-hasura-* claims: {}",
                aeson::mismatch("Text", "String", first)
            ),
        );
    } else {
        let names: Vec<&str> = rest.iter().map(|(n, _)| n.as_str()).collect();
        run.note(Check::new(
            Id::HasuraSessionVariables,
            Status::Pass,
            if names.is_empty() {
                "no other session variables".to_string()
            } else {
                format!("session variables: {}", names.join(", "))
            },
        ));
    }
    for (n, v) in rest {
        if n != "x-hasura-role" {
            info.session_variables.insert(n.clone(), v.clone());
        }
    }
}

/// An `x-hasura-role` among the token's claims does nothing: the engine takes the role from the
/// request header, else the default role.
fn role_in_token(in_token: &Value, requested: Option<&str>, role: &str) -> Check {
    let shown = in_token
        .as_str()
        .map_or_else(|| in_token.to_string(), str::to_string);
    let how = if requested.is_some_and(|r| !r.is_empty()) {
        "the x-hasura-role request header"
    } else {
        "the default role (no x-hasura-role header)"
    };
    Check::warn(
        Id::HasuraRole,
        format!(
            "the token's x-hasura-role ({shown}) has no effect: the request runs as {role}, from {how}"
        ),
        format!(
            "the engine takes the role from the x-hasura-role request header, else x-hasura-default-role: send the header 'x-hasura-role: {shown}' (jwtcheck: --role {shown}), or make it the default role; it must be among the allowed roles"
        ),
    )
}
