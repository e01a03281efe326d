//! The advice screen: which path the setup takes and why, and what breaks if a choice changes
//! later. One line per point, in the order a reader needs them.

use super::choices::{Choices, Engines, NoRole, RoleSource, Trigger, UserIdSource};
use crate::devkit::shape::TokenUse;

/// The advice for the choices.
pub fn lines(c: &Choices) -> Vec<String> {
    let mut out = Vec::new();
    let token = c.token_name();
    out.push(match (c.trigger, c.token) {
        (Trigger::None, _) => format!(
            "Path: no Lambda. Hasura's claims_map reads Cognito's own claims from the {token} token ({}).",
            match &c.roles {
                RoleSource::Fixed(list) => format!("the roles are fixed: {}", list.join(", ")),
                _ => "the roles are the user's cognito:groups".into(),
            }
        ),
        (Trigger::V1, _) => "Path: a Pre Token Generation trigger, event version V1_0 (every feature plan, Lite included): it adds the Hasura claims to the id token.".into(),
        (t, _) => format!(
            "Path: a Pre Token Generation trigger, event version {} (needs the pool on the Essentials or Plus plan): it adds the Hasura claims to the {token} token.",
            t.lambda_version().unwrap_or_default()
        ),
    });
    match c.trigger {
        Trigger::V1 => out.push("V1 changes only the id token and writes strings only, so the Hasura claims are stringified JSON (claims_format stringified_json; DDN claimsFormat StringifiedJson).".into()),
        Trigger::V2 | Trigger::V3 => out.push("V2/V3 write JSON objects, so the Hasura claims are a JSON object (claims_format json; DDN claimsFormat Json).".into()),
        Trigger::None => {}
    }
    if c.token == TokenUse::Access {
        out.push(match c.trigger {
            Trigger::None => "Roles in the access token without a trigger: Cognito puts cognito:groups there, but an access token has client_id and no aud, so Hasura's audience check cannot tell your app client from another client of the pool.".into(),
            _ => "Roles in the access token need trigger V2 or V3 and the pool on the Essentials or Plus plan. The access token has client_id and no aud: the trigger adds aud (your app client, the only value Cognito allows) so that Hasura's audience check applies.".into(),
        });
    } else {
        out.push(format!(
            "The id token's aud is the app client id ({}): Hasura checks it (audience), so tokens of other app clients of the pool are refused.",
            c.client_id
        ));
    }
    match (&c.roles, c.trigger) {
        (RoleSource::Groups, Trigger::None) => {
            out.push(match c.no_role {
                NoRole::Default => format!("claims_map over cognito:groups needs no Lambda, but a user in no group has no cognito:groups claim: the claims_map default gives them the role {} (--no-role default).", c.default_role),
                NoRole::Deny => "claims_map over cognito:groups needs no Lambda, but a user in no group gets no allowed roles: Hasura refuses their token (--no-role deny).".into(),
            });
            out.push(format!("The default role is the user's first group (claims_map cannot look for {} among the groups); {} only for a user in no group.", c.default_role, c.default_role));
        }
        (RoleSource::Groups, _) => out.push(no_role_line(c, "a user in no group")),
        (RoleSource::Attribute(a), _) => out.push(no_role_line(c, &format!("a user without {a}"))),
        (RoleSource::Fixed(_), _) => {}
    }
    if c.trigger != Trigger::None && !matches!(c.roles, RoleSource::Fixed(_)) {
        out.push(format!(
            "The default role is {} when the user has it, else their first role.",
            c.default_role
        ));
    }
    out.push(match (&c.user_id, c.trigger) {
        (UserIdSource::Sub, _) => "x-hasura-user-id is sub: stable for the user's life, unlike the user name or email.".into(),
        (UserIdSource::Username, _) => "x-hasura-user-id is the user name: it is what users sign in with; sub is the stable id.".into(),
        (UserIdSource::Attribute(a), Trigger::None) => format!("x-hasura-user-id is {a}: Hasura v2 refuses the token of a user without it (DDN leaves the variable out)."),
        (UserIdSource::Attribute(a), _) => format!("x-hasura-user-id is {a}: the trigger fails the sign-in of a user without it."),
    });
    if !c.session.is_empty() {
        let names: Vec<String> = c
            .session
            .iter()
            .map(|s| format!("{} from {}", s.name, s.attribute))
            .collect();
        out.push(match c.trigger {
            Trigger::None => format!("Session variables {}: Hasura v2 refuses the token of a user without the attribute; DDN leaves the variable out. The app client must be allowed to read the attributes.", names.join(", ")),
            _ => format!("Session variables {}: a user without the attribute gets no such variable, and a permission that uses it fails for them.", names.join(", ")),
        });
    }
    if c.hasura.ddn() {
        out.push(format!("DDN: the AuthConfig names the audience, which DDN checks from compatibility date {} on (the proof judges under that date).", super::engine::DDN_COMPATIBILITY_DATE));
    }
    out.extend(later(c));
    out
}

fn no_role_line(c: &Choices, who: &str) -> String {
    match c.no_role {
        NoRole::Default => format!(
            "The trigger gives {who} the role {} (--no-role default).",
            c.default_role
        ),
        NoRole::Deny => format!(
            "The trigger fails the sign-in of {who} (--no-role deny): Cognito issues them no token."
        ),
    }
}

/// What breaks if a choice is changed later.
fn later(c: &Choices) -> Vec<String> {
    let mut out = Vec::new();
    match c.trigger {
        Trigger::V1 => out.push("Later, changing --trigger to v2/v3 changes the claims to a JSON object: redeploy the Lambda and Hasura's configuration together, or every token is refused (claims_format).".into()),
        Trigger::V2 | Trigger::V3 => out.push("Later, moving the pool to the Lite plan stops the V2/V3 trigger: tokens lose the Hasura claims and Hasura refuses them.".into()),
        Trigger::None => out.push("Later, adding a trigger changes where the claims are: Hasura's configuration must change with it (claims_namespace instead of claims_map).".into()),
    }
    out.push(format!(
        "Later, sending the {} token instead of the {} token: it carries {}, and Hasura refuses it.",
        match c.token { TokenUse::Id => "access", TokenUse::Access => "id" },
        c.token_name(),
        if c.trigger == Trigger::None { "different claims (cognito:username vs username, no custom attributes in the access token)" } else { "no Hasura claims" }
    ));
    if c.hasura == Engines::Both {
        out.push("Keep hasura-jwt-secret.json and auth-config.hml in step: jwtcheck hasura-config translates one into the other.".into());
    }
    out
}
