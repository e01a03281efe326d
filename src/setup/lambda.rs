//! The Pre Token Generation Lambda: one handler per runtime (Node.js, Python) and event version
//! (V1's `claimsOverrideDetails`, V2/V3's `claimsAndScopeOverrideDetails`). Its rules are the
//! ones [`super::user::expected`] predicts: the roles from the chosen source (none: the default
//! role, or the sign-in fails), the default role when the user has it (else their first role),
//! the user id (missing: the sign-in fails), each session variable whose attribute is set.

use serde_json::Value;

use super::choices::{Choices, NoRole, RoleSource, Runtime, Trigger, UserIdSource};
use crate::devkit::shape::TokenUse;
use crate::hasura::claims::DEFAULT_NAMESPACE;

/// The handler's file name for a runtime.
pub fn file_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Nodejs => "index.mjs",
        Runtime::Python => "lambda_function.py",
    }
}

/// The handler name Lambda is configured with.
pub fn handler_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Nodejs => "index.handler",
        Runtime::Python => "lambda_function.lambda_handler",
    }
}

/// The Lambda runtime identifier.
pub fn runtime_id(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Nodejs => "nodejs22.x",
        Runtime::Python => "python3.13",
    }
}

/// A string literal both JavaScript and Python read (JSON's escapes are valid in both).
fn lit(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn session_pairs(c: &Choices) -> String {
    let inner: Vec<String> = c
        .session
        .iter()
        .map(|s| format!("[{}, {}]", lit(&s.name), lit(&s.attribute)))
        .collect();
    format!("[{}]", inner.join(", "))
}

fn header(c: &Choices, comment: &str) -> String {
    let version = match c.trigger {
        Trigger::V1 => "V1_0",
        Trigger::V2 => "V2_0",
        Trigger::V3 => "V3_0",
        Trigger::None => "none",
    };
    let token = c.token_name();
    [
        format!("{comment} Amazon Cognito Pre Token Generation trigger (event version {version}), written by"),
        format!("{comment} jwtcheck setup for pool {}, app client {}.", c.pool.id, c.client_id),
        format!("{comment} It puts the Hasura claims into the {token} token under {DEFAULT_NAMESPACE}."),
        format!("{comment} Check a real token before deploying: see SETUP.md."),
    ]
    .join("\n")
}

/// The handler's source for the chosen runtime (`None` without a trigger).
pub fn source(c: &Choices) -> Option<String> {
    match c.runtime? {
        Runtime::Nodejs => Some(node(c)),
        Runtime::Python => Some(python(c)),
    }
}

fn no_role(c: &Choices) -> &'static str {
    match c.no_role {
        NoRole::Default => "default",
        NoRole::Deny => "deny",
    }
}

fn node(c: &Choices) -> String {
    let roles = match &c.roles {
        RoleSource::Groups => "  // The user's groups, as Cognito hands them to the trigger.\n  const config = request.groupConfiguration;\n  const groups = config && Array.isArray(config.groupsToOverride) ? config.groupsToOverride : [];\n  return groups.filter((g) => typeof g === \"string\" && g !== \"\");".to_string(),
        RoleSource::Attribute(a) => format!(
            "  // A comma-separated list in the user attribute {a}.\n  const value = attributes[{}];\n  if (typeof value !== \"string\") return [];\n  return value.split(\",\").map((r) => r.trim()).filter((r) => r !== \"\");",
            lit(a)
        ),
        RoleSource::Fixed(list_) => format!("  return {};", list(list_)),
    };
    let user_id = match &c.user_id {
        UserIdSource::Sub => "attributes.sub".to_string(),
        UserIdSource::Username => "event.userName".to_string(),
        UserIdSource::Attribute(a) => format!("attributes[{}]", lit(a)),
    };
    let response = match (c.trigger, c.token) {
        (Trigger::V1, _) => "  // V1 writes strings only: the claims go in as stringified JSON.\n  event.response = {\n    claimsOverrideDetails: {\n      claimsToAddOrOverride: { [NAMESPACE]: JSON.stringify(claims) },\n    },\n  };".to_string(),
        (_, TokenUse::Id) => "  event.response = {\n    claimsAndScopeOverrideDetails: {\n      idTokenGeneration: { claimsToAddOrOverride: { [NAMESPACE]: claims } },\n      accessTokenGeneration: {},\n    },\n  };".to_string(),
        (_, TokenUse::Access) => "  // aud: the app client (Cognito allows only the current one), so that Hasura's audience\n  // check applies to access tokens too.\n  const client = event.callerContext && event.callerContext.clientId;\n  const access = { [NAMESPACE]: claims };\n  if (typeof client === \"string\" && client !== \"\") access.aud = client;\n  event.response = {\n    claimsAndScopeOverrideDetails: {\n      idTokenGeneration: {},\n      accessTokenGeneration: { claimsToAddOrOverride: access },\n    },\n  };".to_string(),
    };
    let m2m = if c.trigger == Trigger::V3 {
        "  // Machine-to-machine tokens have no user: leave them as Cognito makes them.\n  if (event.triggerSource === \"TokenGeneration_ClientCredentials\") return event;\n"
    } else {
        ""
    };
    format!(
        r#"{header}

const NAMESPACE = {ns};
const DEFAULT_ROLE = {default};
// What a user with no role gets: "default" (the default role) or "deny" (the sign-in fails).
const NO_ROLE = {no_role};
// Other session variables: [name, user attribute].
const SESSION = {session};

function rolesOf(event, request, attributes) {{
{roles}
}}

export const handler = async (event) => {{
  if (event === null || typeof event !== "object") throw new Error("not a Cognito trigger event");
{m2m}  const request = event.request !== null && typeof event.request === "object" ? event.request : {{}};
  const attributes =
    request.userAttributes !== null && typeof request.userAttributes === "object" ? request.userAttributes : {{}};
  let roles = [...new Set(rolesOf(event, request, attributes))];
  if (roles.length === 0) {{
    if (NO_ROLE === "deny") throw new Error(`user ${{event.userName}} has no role for Hasura`);
    roles = [DEFAULT_ROLE];
  }}
  const defaultRole = roles.includes(DEFAULT_ROLE) ? DEFAULT_ROLE : roles[0];
  const userId = {user_id};
  if (typeof userId !== "string" || userId === "") throw new Error(`user ${{event.userName}} has no user id for Hasura`);
  const claims = {{
    "x-hasura-user-id": userId,
    "x-hasura-default-role": defaultRole,
    "x-hasura-allowed-roles": roles,
  }};
  for (const [name, attribute] of SESSION) {{
    const value = attributes[attribute];
    if (typeof value === "string" && value !== "") claims[name] = value;
  }}
{response}
  return event;
}};
"#,
        header = header(c, "//"),
        ns = lit(DEFAULT_NAMESPACE),
        default = lit(&c.default_role),
        no_role = lit(no_role(c)),
        session = session_pairs(c),
    )
}

fn python(c: &Choices) -> String {
    let roles = match &c.roles {
        RoleSource::Groups => "    # The user's groups, as Cognito hands them to the trigger.\n    config = request.get(\"groupConfiguration\")\n    groups = config.get(\"groupsToOverride\") if isinstance(config, dict) else None\n    if not isinstance(groups, list):\n        return []\n    return [g for g in groups if isinstance(g, str) and g != \"\"]".to_string(),
        RoleSource::Attribute(a) => format!(
            "    # A comma-separated list in the user attribute {a}.\n    value = attributes.get({})\n    if not isinstance(value, str):\n        return []\n    return [r.strip() for r in value.split(\",\") if r.strip() != \"\"]",
            lit(a)
        ),
        RoleSource::Fixed(list_) => format!("    return {}", list(list_)),
    };
    let user_id = match &c.user_id {
        UserIdSource::Sub => "attributes.get(\"sub\")".to_string(),
        UserIdSource::Username => "event.get(\"userName\")".to_string(),
        UserIdSource::Attribute(a) => format!("attributes.get({})", lit(a)),
    };
    let response = match (c.trigger, c.token) {
        (Trigger::V1, _) => "    # V1 writes strings only: the claims go in as stringified JSON.\n    event[\"response\"] = {\n        \"claimsOverrideDetails\": {\n            \"claimsToAddOrOverride\": {NAMESPACE: json.dumps(claims, separators=(\",\", \":\"))},\n        },\n    }".to_string(),
        (_, TokenUse::Id) => "    event[\"response\"] = {\n        \"claimsAndScopeOverrideDetails\": {\n            \"idTokenGeneration\": {\"claimsToAddOrOverride\": {NAMESPACE: claims}},\n            \"accessTokenGeneration\": {},\n        },\n    }".to_string(),
        (_, TokenUse::Access) => "    # aud: the app client (Cognito allows only the current one), so that Hasura's audience\n    # check applies to access tokens too.\n    caller = event.get(\"callerContext\")\n    client = caller.get(\"clientId\") if isinstance(caller, dict) else None\n    access = {NAMESPACE: claims}\n    if isinstance(client, str) and client != \"\":\n        access[\"aud\"] = client\n    event[\"response\"] = {\n        \"claimsAndScopeOverrideDetails\": {\n            \"idTokenGeneration\": {},\n            \"accessTokenGeneration\": {\"claimsToAddOrOverride\": access},\n        },\n    }".to_string(),
    };
    let m2m = if c.trigger == Trigger::V3 {
        "    # Machine-to-machine tokens have no user: leave them as Cognito makes them.\n    if event.get(\"triggerSource\") == \"TokenGeneration_ClientCredentials\":\n        return event\n"
    } else {
        ""
    };
    format!(
        r#"{header}

import json

NAMESPACE = {ns}
DEFAULT_ROLE = {default}
# What a user with no role gets: "default" (the default role) or "deny" (the sign-in fails).
NO_ROLE = {no_role}
# Other session variables: (name, user attribute).
SESSION = {session}


def roles_of(event, request, attributes):
{roles}


def lambda_handler(event, context):
    if not isinstance(event, dict):
        raise ValueError("not a Cognito trigger event")
{m2m}    request = event.get("request") if isinstance(event.get("request"), dict) else {{}}
    attributes = request.get("userAttributes") if isinstance(request.get("userAttributes"), dict) else {{}}
    roles = list(dict.fromkeys(roles_of(event, request, attributes)))
    if not roles:
        if NO_ROLE == "deny":
            raise ValueError("user %s has no role for Hasura" % event.get("userName"))
        roles = [DEFAULT_ROLE]
    default_role = DEFAULT_ROLE if DEFAULT_ROLE in roles else roles[0]
    user_id = {user_id}
    if not isinstance(user_id, str) or user_id == "":
        raise ValueError("user %s has no user id for Hasura" % event.get("userName"))
    claims = {{
        "x-hasura-user-id": user_id,
        "x-hasura-default-role": default_role,
        "x-hasura-allowed-roles": roles,
    }}
    for name, attribute in SESSION:
        value = attributes.get(attribute)
        if isinstance(value, str) and value != "":
            claims[name] = value
{response}
    return event
"#,
        header = header(c, "#"),
        ns = lit(DEFAULT_NAMESPACE),
        default = lit(&c.default_role),
        no_role = lit(no_role(c)),
        session = session_pairs(c),
    )
}
