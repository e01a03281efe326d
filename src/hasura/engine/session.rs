//! From the session variables to the request's role: allowed roles, default role, the
//! `x-hasura-role` header, and every other variable as a string (`parseHasuraClaims`).

use super::*;

pub(super) fn roles_and_session(
    session: Vec<(String, Value)>,
    requested: Option<&str>,
    run: &mut Run,
    info: &mut HasuraInfo,
    m: Messages,
) {
    let get = |name: &str| session.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let allowed = match get("x-hasura-allowed-roles") {
        None => {
            let name = m.name("x-hasura-allowed-roles");
            run.fail(
                Id::HasuraAllowedRoles,
                "no x-hasura-allowed-roles in the claims",
                "add \"x-hasura-allowed-roles\": [\"user\"] to the Hasura claims",
                MISSING_ROLE,
                format!("JWT claim does not contain {name}"),
            );
            return;
        }
        Some(v) => match aeson::roles(v) {
            Ok(r) => r,
            Err(e) => {
                run.fail(
                    Id::HasuraAllowedRoles,
                    format!("x-hasura-allowed-roles is not a list of role names: {e}"),
                    "make it a JSON array of non-empty strings, e.g. [\"user\"] (a list, even for one role)",
                    INVALID_CLAIMS,
                    format!("invalid {}; should be a list of roles: {e}", m.name("x-hasura-allowed-roles")),
                );
                return;
            }
        },
    };
    info.allowed_roles = Some(allowed.clone());
    run.push(Check::pass(
        Id::HasuraAllowedRoles,
        format!("allowed roles: {}", allowed.join(", ")),
    ));
    let default = match get("x-hasura-default-role") {
        None => {
            run.fail(
                Id::HasuraDefaultRole,
                "no x-hasura-default-role in the claims",
                "add \"x-hasura-default-role\": \"user\" to the Hasura claims",
                MISSING_ROLE,
                format!(
                    "JWT claim does not contain {}",
                    m.name("x-hasura-default-role")
                ),
            );
            return;
        }
        Some(v) => match aeson::role(v) {
            Ok(r) => r,
            Err(e) => {
                run.fail(
                    Id::HasuraDefaultRole,
                    format!("x-hasura-default-role is not a role name: {e}"),
                    "make it a non-empty string, e.g. \"user\"",
                    INVALID_CLAIMS,
                    format!(
                        "invalid {}; should be a single role name: {e}",
                        m.name("x-hasura-default-role")
                    ),
                );
                return;
            }
        },
    };
    info.default_role = Some(default.clone());
    run.push(Check::pass(
        Id::HasuraDefaultRole,
        format!("default role: {default}"),
    ));

    let role = match requested {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => default.clone(),
    };
    let how = if requested.is_some_and(|r| !r.is_empty()) {
        "requested with x-hasura-role"
    } else {
        "the default role; no x-hasura-role header"
    };
    if allowed.contains(&role) {
        run.push(Check::pass(Id::HasuraRole, format!("role {role} ({how})")));
    } else {
        let hint = if requested.is_some_and(|r| !r.is_empty()) {
            format!(
                "the token allows {}; request one of them",
                if allowed.is_empty() {
                    "no role at all".to_string()
                } else {
                    allowed.join(", ")
                }
            )
        } else {
            if allowed.is_empty() {
                "x-hasura-allowed-roles is an empty list, so no role is ever allowed: list the roles".to_string()
            } else {
                format!(
                    "the default role {default:?} is not among the allowed roles ({}): add it to x-hasura-allowed-roles, or send x-hasura-role with an allowed role",
                    allowed.join(", ")
                )
            }
        };
        run.fail(
            Id::HasuraRole,
            format!("role {role:?} ({how}) is not among the allowed roles"),
            hint,
            "access-denied",
            "Your requested role is not in allowed roles",
        );
    }
    // Everything but the two role claims must be a string (checked in key order).
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
        run.fail(
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
        run.push(Check::new(
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
    info.session_variables
        .insert("x-hasura-role".into(), Value::String(role.clone()));
    if !run.failed() {
        info.role = Some(role);
    }
}
