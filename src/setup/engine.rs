//! What the engines are told: the v2 `HASURA_GRAPHQL_JWT_SECRET`, the DDN AuthConfig (as
//! `hasura-config --to ddn` writes it from the v2 one), and the policy `jwtcheck check` proves
//! tokens against.

use serde_json::{Map, Value, json};

use super::choices::{Choices, NoRole, RoleSource, Trigger, UserIdSource};
use crate::devkit::shape::TokenUse;
use crate::hasura::claims::DEFAULT_NAMESPACE;
use crate::hasura::ddn::translate;
use crate::hasura::v2::config as hconfig;

/// The DDN compatibility date the AuthConfig is written and judged for: from it on, DDN checks
/// `aud` against `audience`.
pub const DDN_COMPATIBILITY_DATE: &str = "2025-03-11";

/// A claim name as a v2 JSONPath (`$.sub`, `$["cognito:groups"]`), as Hasura prints paths.
fn path(claim: &str) -> String {
    let mut out = String::from("$");
    crate::jose::json::push_key(&mut out, claim);
    out
}

/// The claim Cognito puts the user name in.
fn username_claim(token: TokenUse) -> &'static str {
    match token {
        TokenUse::Id => "cognito:username",
        TokenUse::Access => "username",
    }
}

/// The v2 configuration (`HASURA_GRAPHQL_JWT_SECRET`).
pub fn v2_config(c: &Choices) -> Value {
    let mut cfg = Map::new();
    cfg.insert("jwk_url".into(), c.pool.jwks_url().into());
    cfg.insert("issuer".into(), c.pool.issuer().into());
    cfg.insert("audience".into(), c.client_id.clone().into());
    match c.trigger {
        Trigger::None => {
            cfg.insert("claims_map".into(), Value::Object(claims_map(c)));
        }
        trigger => {
            cfg.insert("claims_namespace".into(), DEFAULT_NAMESPACE.into());
            let format = if trigger == Trigger::V1 {
                "stringified_json"
            } else {
                "json"
            };
            cfg.insert("claims_format".into(), format.into());
        }
    }
    Value::Object(cfg)
}

/// Without a trigger: the roles from `cognito:groups` (or fixed), the default role the first
/// group (or the default role), the user id and attributes from Cognito's own claims.
fn claims_map(c: &Choices) -> Map<String, Value> {
    let groups = path("cognito:groups");
    let (allowed, default) = match &c.roles {
        RoleSource::Fixed(list) => (json!(list), json!(c.default_role)),
        _ => {
            let allowed = match c.no_role {
                NoRole::Default => json!({ "path": groups, "default": [c.default_role] }),
                NoRole::Deny => json!({ "path": groups }),
            };
            (
                allowed,
                json!({ "path": format!("{groups}[0]"), "default": c.default_role }),
            )
        }
    };
    let mut m = Map::new();
    m.insert("x-hasura-allowed-roles".into(), allowed);
    m.insert("x-hasura-default-role".into(), default);
    let user = match &c.user_id {
        UserIdSource::Sub => "sub",
        UserIdSource::Username => username_claim(c.token),
        UserIdSource::Attribute(a) => a,
    };
    m.insert("x-hasura-user-id".into(), json!({ "path": path(user) }));
    for s in &c.session {
        m.insert(s.name.clone(), json!({ "path": path(&s.attribute) }));
    }
    m
}

/// The file text of the v2 configuration.
pub fn v2_text(c: &Choices) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(&v2_config(c)).unwrap_or_default()
    )
}

/// The DDN AuthConfig, exactly as `hasura-config --to ddn` writes it from [`v2_config`].
pub fn ddn_text(c: &Choices) -> Result<String, String> {
    let cfg =
        hconfig::parse(&v2_config(c)).map_err(|e| e.fatal_line("HASURA_GRAPHQL_JWT_SECRET"))?;
    Ok(translate::ddn_text(&translate::to_ddn(&cfg, None)))
}

/// The policy: what every accepted token of this setup must say.
pub fn policy(c: &Choices) -> Value {
    let mut p = Map::new();
    if let RoleSource::Fixed(list) = &c.roles {
        p.insert("expect_roles".into(), json!(list));
        p.insert("expect_default_role".into(), json!(c.default_role));
    }
    let chosen = |r: &str| match &c.roles {
        RoleSource::Fixed(list) => list.iter().any(|l| l == r),
        _ => c.default_role == r,
    };
    if !chosen("admin") {
        p.insert("forbid_roles".into(), json!(["admin"]));
    }
    let mut required = vec!["x-hasura-user-id".to_string()];
    let mut equals = Map::new();
    match &c.user_id {
        UserIdSource::Sub => {
            equals.insert("x-hasura-user-id".into(), "sub".into());
        }
        UserIdSource::Username => {
            equals.insert("x-hasura-user-id".into(), username_claim(c.token).into());
        }
        UserIdSource::Attribute(_) => {}
    }
    if c.trigger == Trigger::None {
        required.extend(c.session.iter().map(|s| s.name.clone()));
    }
    p.insert("require_claims".into(), json!(required));
    if !equals.is_empty() {
        p.insert("claim_equals".into(), Value::Object(equals));
    }
    p.insert("token_use".into(), c.token_name().into());
    p.insert("max_lifetime".into(), json!(86_400));
    Value::Object(p)
}

/// The file text of the policy.
pub fn policy_text(c: &Choices) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(&policy(c)).unwrap_or_default()
    )
}
