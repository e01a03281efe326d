//! The expected-role policy: what the Hasura claims of a token must (and must not) say, beyond
//! what the engine itself requires. Each rule is a check `policy.<rule>`.
//!
//! Pure. Rules come from flags (`--expect-role`, …) or a JSON policy file (`check --policy`).

use crate::report::Id;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::clock;
use crate::report::Check;

/// The rules; empty means nothing is checked.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Roles that must be among the allowed roles.
    #[serde(default)]
    pub expect_roles: Vec<String>,
    /// The default role the token must have.
    #[serde(default)]
    pub expect_default_role: Option<String>,
    /// Roles that must never be allowed (e.g. `admin` in a user pool's tokens).
    #[serde(default)]
    pub forbid_roles: Vec<String>,
    /// Session variables that must be present with a non-empty value.
    #[serde(default)]
    pub require_claims: Vec<String>,
    /// Session variables that must equal a token claim: `{"x-hasura-user-id": "sub"}`.
    #[serde(default)]
    pub claim_equals: Map<String, Value>,
    /// The Cognito `token_use` the token must have (`id` or `access`).
    #[serde(default)]
    pub token_use: Option<String>,
    /// The longest acceptable lifetime (exp − iat), in seconds.
    #[serde(default)]
    pub max_lifetime: Option<f64>,
}

impl Policy {
    /// Whether there is any rule.
    pub fn is_empty(&self) -> bool {
        *self == Policy::default()
    }

    /// Adds the rules of `other`.
    pub fn merge(&mut self, other: Policy) {
        self.expect_roles.extend(other.expect_roles);
        self.forbid_roles.extend(other.forbid_roles);
        self.require_claims.extend(other.require_claims);
        self.claim_equals.extend(other.claim_equals);
        self.expect_default_role = other
            .expect_default_role
            .or(self.expect_default_role.take());
        self.token_use = other.token_use.or(self.token_use.take());
        self.max_lifetime = other.max_lifetime.or(self.max_lifetime);
    }
}

/// Why a policy file is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy: {0}")]
pub struct PolicyError(pub String);

/// Reads a policy from JSON text.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let p: Policy = serde_json::from_str(text).map_err(|e| PolicyError(e.to_string()))?;
    if let Some(t) = &p.token_use
        && t != "id"
        && t != "access"
    {
        return Err(PolicyError(format!(
            "token_use must be \"id\" or \"access\", not {t:?}"
        )));
    }
    for (k, v) in &p.claim_equals {
        if !v.is_string() {
            return Err(PolicyError(format!(
                "claim_equals.{k} must name a claim (a string)"
            )));
        }
    }
    Ok(p)
}

/// What the rules are checked against.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// `x-hasura-allowed-roles`, when readable.
    pub allowed_roles: Option<&'a [String]>,
    /// `x-hasura-default-role`, when readable.
    pub default_role: Option<&'a str>,
    /// Session variables (lower-cased names).
    pub session: &'a Map<String, Value>,
    /// The token's claims.
    pub claims: &'a Map<String, Value>,
    /// Why the Hasura claims were not read at all (the rules about them are then skipped).
    pub unread: Option<&'a str>,
    /// Why there is no session (the engine rejected the token): the rules about session
    /// variables are then skipped.
    pub no_session: Option<&'a str>,
}

/// Checks the rules, in the policy's order: roles, session variables, the token itself.
pub fn evaluate(p: &Policy, s: &Subject<'_>) -> Vec<Check> {
    if let Some(why) = s.unread {
        return unread(p, s, why);
    }
    let mut checks = role_rules(p, s);
    match s.no_session {
        Some(why) => checks.extend(skip_session(p, why)),
        None => checks.extend(claim_rules(p, s)),
    }
    checks.extend(token_rules(p, s));
    checks
}

/// Every rule skipped, with the reason: the token was not read at all.
pub fn skipped(p: &Policy, why: &str) -> Vec<Check> {
    let mut checks = skip_roles(p, why);
    checks.extend(skip_session(p, why));
    checks.extend(skip(
        Id::PolicyTokenUse,
        usize::from(p.token_use.is_some()),
        why,
    ));
    checks.extend(skip(
        Id::PolicyMaxLifetime,
        usize::from(p.max_lifetime.is_some()),
        why,
    ));
    checks
}

/// `n` rows of rule `id`, not checked for `why`.
fn skip(id: Id, n: usize, why: &str) -> Vec<Check> {
    (0..n)
        .map(|_| Check::skip(id, format!("not checked: {why}")))
        .collect()
}

/// The role rules, not checked.
fn skip_roles(p: &Policy, why: &str) -> Vec<Check> {
    let mut checks = skip(Id::PolicyExpectRole, p.expect_roles.len(), why);
    checks.extend(skip(
        Id::PolicyExpectDefaultRole,
        usize::from(p.expect_default_role.is_some()),
        why,
    ));
    checks.extend(skip(Id::PolicyForbidRole, p.forbid_roles.len(), why));
    checks
}

/// The session rules, not checked.
fn skip_session(p: &Policy, why: &str) -> Vec<Check> {
    let mut checks = skip(Id::PolicyRequireClaim, p.require_claims.len(), why);
    checks.extend(skip(Id::PolicyClaimEquals, p.claim_equals.len(), why));
    checks
}

/// The Hasura claims were not read: the rules about them are skipped, the others checked.
fn unread(p: &Policy, s: &Subject<'_>, why: &str) -> Vec<Check> {
    let mut checks = skip_roles(p, why);
    checks.extend(skip_session(p, why));
    checks.extend(token_rules(p, s));
    checks
}

/// `expect_roles`, `expect_default_role`, `forbid_roles`.
fn role_rules(p: &Policy, s: &Subject<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    let roles_missing = || "the token's allowed roles could not be read".to_string();
    for role in &p.expect_roles {
        checks.push(match s.allowed_roles {
            Some(r) if r.contains(role) => {
                Check::pass(Id::PolicyExpectRole, format!("role {role} is allowed"))
            }
            Some(r) => Check::fail(
                Id::PolicyExpectRole,
                format!(
                    "role {role} is not among the allowed roles ({})",
                    r.join(", ")
                ),
                "add it to x-hasura-allowed-roles in the Pre Token Generation trigger",
            ),
            None => Check::fail(
                Id::PolicyExpectRole,
                format!("role {role} expected, but {}", roles_missing()),
                "fix the Hasura claims first",
            ),
        });
    }
    if let Some(want) = &p.expect_default_role {
        checks.push(match s.default_role {
            Some(d) if d == want => Check::pass(Id::PolicyExpectDefaultRole, format!("default role {d}")),
            Some(d) => Check::fail(
                Id::PolicyExpectDefaultRole,
                format!("the default role is {d}, expected {want}"),
                "requests without x-hasura-role run as the default role: fix x-hasura-default-role in the trigger",
            ),
            None => Check::fail(Id::PolicyExpectDefaultRole, format!("default role {want} expected, but the token has none readable"), "add x-hasura-default-role"),
        });
    }
    for role in &p.forbid_roles {
        checks.push(match s.allowed_roles {
            Some(r) if r.contains(role) => Check::fail(
                Id::PolicyForbidRole,
                format!("role {role} is allowed, and must never be"),
                "remove it from x-hasura-allowed-roles: whoever holds this token can act as that role",
            ),
            _ => Check::pass(Id::PolicyForbidRole, format!("role {role} is not allowed")),
        });
    }
    checks
}

/// `require_claims`, `claim_equals`: the session permissions see.
fn claim_rules(p: &Policy, s: &Subject<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for name in &p.require_claims {
        let lower = name.to_ascii_lowercase();
        checks.push(match s.session.get(&lower) {
            Some(Value::String(v)) if !v.is_empty() => Check::pass(Id::PolicyRequireClaim, format!("{lower} is {v:?}")),
            Some(other) => Check::fail(
                Id::PolicyRequireClaim,
                format!("{lower} is {}", describe(other)),
                "permissions that compare with it would match nothing (or everything): emit it as a non-empty string",
            ),
            None => Check::fail(
                Id::PolicyRequireClaim,
                format!("{lower} is missing from the session"),
                "add it to the Hasura claims in the Pre Token Generation trigger (or to claims_map)",
            ),
        });
    }
    for (var, claim) in &p.claim_equals {
        let lower = var.to_ascii_lowercase();
        let claim = claim.as_str().unwrap_or_default();
        let token_value = s.claims.get(claim);
        checks.push(match (s.session.get(&lower), token_value) {
            (Some(a), Some(b)) if values_equal(a, b) => {
                Check::pass(Id::PolicyClaimEquals, format!("{lower} equals {claim} ({})", show(a)))
            }
            (Some(a), Some(b)) => Check::fail(
                Id::PolicyClaimEquals,
                format!("{lower} is {}, but {claim} is {}", show(a), show(b)),
                format!("the trigger must set {lower} from {claim}; row permissions such as \"id equals X-Hasura-User-Id\" would otherwise see another user's rows"),
            ),
            (None, _) => Check::fail(Id::PolicyClaimEquals, format!("{lower} is missing from the session"), format!("add {lower} (set to {claim}) to the Hasura claims")),
            (_, None) => Check::fail(Id::PolicyClaimEquals, format!("the token has no {claim} claim"), "compare with a claim the token carries"),
        });
    }
    checks
}

/// `token_use`, `max_lifetime`.
fn token_rules(p: &Policy, s: &Subject<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(want) = &p.token_use {
        let got = s.claims.get("token_use").and_then(Value::as_str);
        checks.push(match got {
            Some(t) if t == want => Check::pass(Id::PolicyTokenUse, format!("an {t} token")),
            other => Check::fail(
                Id::PolicyTokenUse,
                format!(
                    "token_use is {}, expected {want}",
                    other.map_or("missing".to_string(), |t| format!("{t:?}"))
                ),
                if want == "id" {
                    "send the id token to Hasura"
                } else {
                    "send the access token to Hasura"
                },
            ),
        });
    }
    if let Some(max) = p.max_lifetime {
        let life = match (
            s.claims.get("exp").and_then(Value::as_f64),
            s.claims.get("iat").and_then(Value::as_f64),
        ) {
            (Some(e), Some(i)) => Some(e - i),
            _ => None,
        };
        checks.push(match life {
            Some(l) if l <= max => Check::pass(
                Id::PolicyMaxLifetime,
                format!("lifetime {} (at most {})", clock::span(l), clock::span(max)),
            ),
            Some(l) => Check::fail(
                Id::PolicyMaxLifetime,
                format!(
                    "lifetime {} is longer than {}",
                    clock::span(l),
                    clock::span(max)
                ),
                "shorten the token validity of the Cognito app client",
            ),
            None => Check::fail(
                Id::PolicyMaxLifetime,
                "the lifetime is unknown (exp or iat missing)",
                "tokens must carry exp and iat",
            ),
        });
    }
    checks
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::String(x), Value::Number(n)) | (Value::Number(n), Value::String(x)) => {
            x.parse::<f64>().ok() == n.as_f64()
        }
        (x, y) => x == y,
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(_) => "an empty string".into(),
        other => format!("{}, not a string", crate::jose::json::type_name(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn every_rule_passes_and_fails() {
        let roles = vec!["user".to_string(), "admin".to_string()];
        let session = obj(json!({"x-hasura-user-id": "u1", "x-hasura-org": ""}));
        let claims = obj(json!({"sub": "u2", "token_use": "id", "iat": 0, "exp": 7200}));
        let s = Subject {
            allowed_roles: Some(&roles),
            default_role: Some("user"),
            session: &session,
            claims: &claims,
            unread: None,
            no_session: None,
        };
        let policy = parse(
            r#"{
            "expect_roles": ["user", "editor"],
            "expect_default_role": "user",
            "forbid_roles": ["admin", "root"],
            "require_claims": ["X-Hasura-User-Id", "x-hasura-org", "x-hasura-tenant"],
            "claim_equals": {"x-hasura-user-id": "sub"},
            "token_use": "access",
            "max_lifetime": 3600
        }"#,
        )
        .unwrap();
        let got: Vec<(String, Status)> = evaluate(&policy, &s)
            .into_iter()
            .map(|c| (c.id.to_string(), c.status))
            .collect();
        use Status::*;
        let want = [
            ("policy.expect_role", Pass),
            ("policy.expect_role", Fail),
            ("policy.expect_default_role", Pass),
            ("policy.forbid_role", Fail),
            ("policy.forbid_role", Pass),
            ("policy.require_claim", Pass),
            ("policy.require_claim", Fail),
            ("policy.require_claim", Fail),
            ("policy.claim_equals", Fail),
            ("policy.token_use", Fail),
            ("policy.max_lifetime", Fail),
        ];
        let want: Vec<(String, Status)> = want.iter().map(|(i, s)| (i.to_string(), *s)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn bad_policy_files() {
        assert!(
            parse(r#"{"expect_role": ["user"]}"#)
                .unwrap_err()
                .0
                .contains("unknown field")
        );
        assert!(parse(r#"{"token_use": "refresh"}"#).is_err());
        assert!(parse(r#"{"claim_equals": {"x-hasura-user-id": 1}}"#).is_err());
        assert!(parse("{}").unwrap().is_empty());
    }
}
