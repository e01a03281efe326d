//! The claims of a minted token, shaped like Cognito's: the id token's or the access token's
//! claims in Cognito's order, and the Hasura claims where a Pre Token Generation V1 trigger puts
//! them (a namespace, JSON or stringified), or where a configuration's `claims_namespace_path`
//! or `claims_map` paths look for them.
//!
//! Pure: the clock and the random ids come in as parameters.

use serde_json::{Map, Value};

use crate::hasura::claims::Format;
use crate::hasura::jsonpath::{JsonPath, Step};
use crate::hasura::v2::config::{ClaimsMap, MapValue, Namespace};

/// Which Cognito token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// The id token (`aud` is the app client; what Hasura is usually given).
    Id,
    /// The access token (`client_id`, `scope`, `username`; no `aud`).
    Access,
}

/// Where the Hasura claims go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Under a namespace key or at a namespace path, encoded as `format`.
    Namespace {
        /// The key or path.
        ns: Namespace,
        /// JSON object or stringified.
        format: Format,
    },
    /// Each value where a `claims_map` entry's path looks for it (literal entries need nothing).
    Map(ClaimsMap),
}

/// The Hasura session a token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `x-hasura-allowed-roles`.
    pub roles: Vec<String>,
    /// `x-hasura-default-role`.
    pub default_role: String,
    /// Other `x-hasura-*` variables (lower-case names), `x-hasura-user-id` first.
    pub variables: Vec<(String, String)>,
}

/// The random values a Cognito token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    /// `jti`.
    pub jti: String,
    /// `origin_jti`.
    pub origin_jti: String,
    /// `event_id`.
    pub event_id: String,
}

/// Everything a minted token says.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// `iss`.
    pub issuer: String,
    /// The app client: `aud` of an id token, `client_id` of an access token.
    pub client_id: String,
    /// Id or access token.
    pub token_use: TokenUse,
    /// `sub`, the user name and `x-hasura-user-id` (unless a session variable says otherwise).
    pub user_id: String,
    /// The Hasura session.
    pub session: Session,
    /// Where the session goes.
    pub placement: Placement,
    /// `iat` and `auth_time`, in Unix seconds.
    pub issued_at: i64,
    /// `exp − iat`, in seconds.
    pub lifetime: i64,
    /// `jti`, `origin_jti`, `event_id`.
    pub ids: Ids,
    /// Claims added or replaced last (`--claim`), in order.
    pub extra: Vec<(String, Value)>,
}

/// A location the claims cannot be written to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the Hasura claims at {path}: {why}")]
pub struct PlaceError {
    /// The path, as the engine prints it.
    pub path: String,
    /// What is in the way.
    pub why: String,
}

/// The header: `kid` and `alg`, as Cognito writes it (no `typ`).
pub fn header(kid: &str, alg: &str) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("kid".into(), kid.into());
    h.insert("alg".into(), alg.into());
    h
}

/// The claims, in Cognito's order, with the Hasura session placed and the extra claims last.
pub fn claims(spec: &Spec) -> Result<Map<String, Value>, PlaceError> {
    let mut c = Map::new();
    let put = |c: &mut Map<String, Value>, k: &str, v: Value| {
        c.insert(k.to_string(), v);
    };
    put(&mut c, "sub", spec.user_id.clone().into());
    put(&mut c, "iss", spec.issuer.clone().into());
    match spec.token_use {
        TokenUse::Id => {
            put(&mut c, "cognito:username", spec.user_id.clone().into());
            put(&mut c, "origin_jti", spec.ids.origin_jti.clone().into());
            put(&mut c, "aud", spec.client_id.clone().into());
        }
        TokenUse::Access => {
            put(&mut c, "version", 2.into());
            put(&mut c, "client_id", spec.client_id.clone().into());
            put(&mut c, "origin_jti", spec.ids.origin_jti.clone().into());
        }
    }
    put(&mut c, "event_id", spec.ids.event_id.clone().into());
    let (token_use, scope) = match spec.token_use {
        TokenUse::Id => ("id", None),
        TokenUse::Access => ("access", Some("openid email profile")),
    };
    put(&mut c, "token_use", token_use.into());
    if let Some(scope) = scope {
        put(&mut c, "scope", scope.into());
    }
    put(&mut c, "auth_time", spec.issued_at.into());
    place(&mut c, &spec.session, &spec.placement)?;
    // A --now near the end of time saturates rather than overflows.
    put(
        &mut c,
        "exp",
        spec.issued_at.saturating_add(spec.lifetime).into(),
    );
    put(&mut c, "iat", spec.issued_at.into());
    put(&mut c, "jti", spec.ids.jti.clone().into());
    if spec.token_use == TokenUse::Access {
        put(&mut c, "username", spec.user_id.clone().into());
    }
    for (name, value) in &spec.extra {
        c.insert(name.clone(), value.clone());
    }
    Ok(c)
}

/// The session as a trigger writes it: user id, default role, allowed roles, the others.
fn session_object(s: &Session) -> Map<String, Value> {
    let mut o = Map::new();
    let mut variables = s.variables.iter();
    if let Some((name, value)) = variables.next() {
        o.insert(name.clone(), value.clone().into());
    }
    o.insert(
        "x-hasura-default-role".into(),
        s.default_role.clone().into(),
    );
    o.insert("x-hasura-allowed-roles".into(), s.roles.clone().into());
    for (name, value) in variables {
        o.insert(name.clone(), value.clone().into());
    }
    o
}

fn place(c: &mut Map<String, Value>, s: &Session, placement: &Placement) -> Result<(), PlaceError> {
    match placement {
        Placement::Namespace { ns, format } => {
            let object = Value::Object(session_object(s));
            let value = match format {
                Format::Json => object,
                Format::StringifiedJson => Value::String(object.to_string()),
            };
            match ns {
                Namespace::Key(k) => {
                    c.insert(k.clone(), value);
                    Ok(())
                }
                Namespace::Path(p) => put_at(c, p, value),
            }
        }
        Placement::Map(m) => {
            if let MapValue::Path(p, _) = &m.allowed_roles {
                put_at(c, p, s.roles.clone().into())?;
            }
            if let MapValue::Path(p, _) = &m.default_role {
                put_at(c, p, s.default_role.clone().into())?;
            }
            for (name, entry) in &m.others {
                let value = s.variables.iter().find(|(n, _)| n == name);
                if let (MapValue::Path(p, _), Some((_, v))) = (entry, value) {
                    put_at(c, p, v.clone().into())?;
                }
            }
            Ok(())
        }
    }
}

/// Writes `value` at `path`, making the objects and arrays on the way (array slots before an
/// index are `null`).
fn put_at(c: &mut Map<String, Value>, path: &JsonPath, value: Value) -> Result<(), PlaceError> {
    let refuse = |why: String| PlaceError {
        path: path.encode(),
        why,
    };
    let Some((first, rest)) = path.0.split_first() else {
        return Err(refuse("the root is the whole claims set".into()));
    };
    let Step::Key(k) = first else {
        return Err(refuse("the claims set is an object, not an array".into()));
    };
    let mut slot = c.entry(k.clone()).or_insert(Value::Null);
    for step in rest {
        slot = match (step, slot) {
            (Step::Key(k), v) => {
                if v.is_null() {
                    *v = Value::Object(Map::new());
                }
                match v {
                    Value::Object(o) => o.entry(k.clone()).or_insert(Value::Null),
                    other => return Err(refuse(format!("{} is in the way", kind(other)))),
                }
            }
            (Step::Index(n), v) => {
                if v.is_null() {
                    *v = Value::Array(Vec::new());
                }
                match v {
                    Value::Array(a) => {
                        if a.len() <= *n {
                            a.resize(n + 1, Value::Null);
                        }
                        a.get_mut(*n)
                            .ok_or_else(|| refuse("an array slot cannot be made".into()))?
                    }
                    other => return Err(refuse(format!("{} is in the way", kind(other)))),
                }
            }
        };
    }
    *slot = value;
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    crate::jose::json::type_name(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hasura::claims::DEFAULT_NAMESPACE;
    use crate::hasura::jsonpath;
    use serde_json::json;

    fn spec(token_use: TokenUse, placement: Placement) -> Spec {
        Spec {
            issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalDev1".into(),
            client_id: "client".into(),
            token_use,
            user_id: "u-1".into(),
            session: Session {
                roles: vec!["user".into(), "editor".into()],
                default_role: "user".into(),
                variables: vec![
                    ("x-hasura-user-id".into(), "u-1".into()),
                    ("x-hasura-org-id".into(), "42".into()),
                ],
            },
            placement,
            issued_at: 1_000,
            lifetime: 3_600,
            ids: Ids {
                jti: "j".into(),
                origin_jti: "o".into(),
                event_id: "e".into(),
            },
            extra: vec![("email".into(), json!("ada@example.com"))],
        }
    }

    fn default_ns(format: Format) -> Placement {
        Placement::Namespace {
            ns: Namespace::Key(DEFAULT_NAMESPACE.into()),
            format,
        }
    }

    #[test]
    fn an_id_token_is_shaped_like_cognitos() {
        let c = claims(&spec(TokenUse::Id, default_ns(Format::StringifiedJson))).unwrap();
        let names: Vec<&str> = c.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "sub",
                "iss",
                "cognito:username",
                "origin_jti",
                "aud",
                "event_id",
                "token_use",
                "auth_time",
                DEFAULT_NAMESPACE,
                "exp",
                "iat",
                "jti",
                "email"
            ]
        );
        assert_eq!(c["exp"], 4_600);
        assert_eq!(
            c[DEFAULT_NAMESPACE],
            r#"{"x-hasura-user-id":"u-1","x-hasura-default-role":"user","x-hasura-allowed-roles":["user","editor"],"x-hasura-org-id":"42"}"#
        );
    }

    #[test]
    fn an_access_token_has_client_id_scope_and_username() {
        let c = claims(&spec(TokenUse::Access, default_ns(Format::Json))).unwrap();
        assert!(c.get("aud").is_none());
        assert_eq!(c["client_id"], "client");
        assert_eq!(c["token_use"], "access");
        assert_eq!(c["username"], "u-1");
        assert_eq!(
            c[DEFAULT_NAMESPACE]["x-hasura-allowed-roles"],
            json!(["user", "editor"])
        );
    }

    #[test]
    fn namespace_paths_and_claims_map_paths_are_filled() {
        let path = Placement::Namespace {
            ns: Namespace::Path(jsonpath::parse("$.hasura['claims'][1]").unwrap()),
            format: Format::Json,
        };
        let c = claims(&spec(TokenUse::Id, path)).unwrap();
        assert_eq!(c["hasura"]["claims"][0], Value::Null);
        assert_eq!(c["hasura"]["claims"][1]["x-hasura-default-role"], "user");

        let map = crate::hasura::v2::config::parse(&json!({
            "jwk_url": "https://x",
            "claims_map": {
                "x-hasura-allowed-roles": {"path": "$['cognito:groups']"},
                "x-hasura-default-role": {"path": "$.app.role"},
                "x-hasura-user-id": {"path": "$.sub"},
                "x-hasura-org-id": {"path": "$.app.org"},
                "x-hasura-tier": "gold"
            }
        }))
        .unwrap();
        let crate::hasura::v2::config::Claims::Map(m) = map.claims else {
            panic!("map")
        };
        let c = claims(&spec(TokenUse::Id, Placement::Map(m))).unwrap();
        assert_eq!(c["cognito:groups"], json!(["user", "editor"]));
        assert_eq!(c["app"], json!({"role": "user", "org": "42"}));
        assert_eq!(c["sub"], "u-1");
    }

    #[test]
    fn a_path_through_a_string_is_refused() {
        let path = Placement::Namespace {
            ns: Namespace::Path(jsonpath::parse("$.iss.claims").unwrap()),
            format: Format::Json,
        };
        let e = claims(&spec(TokenUse::Id, path)).unwrap_err();
        assert_eq!(e.path, "$.iss.claims");
        assert_eq!(e.why, "a string is in the way");
    }
}
