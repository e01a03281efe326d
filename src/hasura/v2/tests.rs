//! The engine model against the engine's own test scenarios (compiled only under #[cfg(test)],
//! see mod.rs).

use super::*;
use crate::hasura::evaluation::Request;
use crate::hasura::v2::config::{self, KeyConfig};
use crate::input::forms::Wrapper;
use crate::report::Status;
use serde_json::Value;
use serde_json::json;

const SECRET: &str = "test-secret-test-secret-test-secret-0123";

fn cfg(extra: Value) -> JwtConfig {
    let mut c = json!({"type": "HS256", "key": SECRET});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    config::parse(&c).unwrap()
}

fn keys(c: &JwtConfig) -> Vec<Key> {
    match &c.key {
        KeyConfig::Static { key, .. } => vec![key.clone()],
        KeyConfig::Url(_) => vec![],
    }
}

fn token(claims: Value) -> String {
    let h = crate::jose::base64url::encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let p = crate::jose::base64url::encode(claims.to_string().as_bytes());
    let input = format!("{h}.{p}");
    let sig = jsonwebtoken::crypto::sign(
        input.as_bytes(),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        jsonwebtoken::Algorithm::HS256,
    )
    .unwrap();
    format!("{input}.{sig}")
}

const NOW: f64 = 1_800_000_000.0;

/// The engine test suite's base payload: sub, name, iat now, exp now + 10 h.
fn base(hasura: Value) -> Value {
    json!({"sub": "1234567890", "name": "John Doe", "iat": NOW, "exp": NOW + 36_000.0, "https://hasura.io/jwt/claims": hasura})
}

fn run(c: &JwtConfig, claims: Value, role: Option<&str>) -> Evaluation {
    evaluate(c, &keys(c), &token(claims), role, NOW, Messages::Unquoted)
}

fn error(e: &Evaluation) -> Option<(String, String)> {
    e.error
        .as_ref()
        .map(|e| (e.code.to_string(), e.message.clone()))
}

fn failed_id(e: &Evaluation) -> Option<String> {
    e.checks
        .iter()
        .find(|c| c.status == Status::Fail)
        .map(|c| c.id.to_string())
}

fn claims_ok() -> Value {
    json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["user", "editor"], "x-hasura-default-role": "user"})
}

#[test]
fn valid_claims_success() {
    let e = run(&cfg(json!({})), base(claims_ok()), Some("user"));
    assert_eq!(error(&e), None, "{:#?}", e.checks);
    assert_eq!(e.info.role.as_deref(), Some("user"));
    assert_eq!(e.info.session_variables["x-hasura-user-id"], "1");
    assert_eq!(e.info.session_variables["x-hasura-role"], "user");
}

#[test]
fn engine_suite_rejections() {
    let c = cfg(json!({}));
    let cases = [
        (
            json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["contractor", "editor"], "x-hasura-default-role": "contractor"}),
            Some("user"),
            "hasura.role",
            "access-denied",
            "Your requested role is not in allowed roles",
        ),
        (
            json!({"x-hasura-user-id": "1", "x-hasura-default-role": "user"}),
            Some("user"),
            "hasura.allowed_roles",
            "jwt-missing-role-claims",
            "JWT claim does not contain x-hasura-allowed-roles",
        ),
        (
            json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": "user", "x-hasura-default-role": "user"}),
            Some("user"),
            "hasura.allowed_roles",
            "jwt-invalid-claims",
            "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String",
        ),
        (
            json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["user"]}),
            Some("user"),
            "hasura.default_role",
            "jwt-missing-role-claims",
            "JWT claim does not contain x-hasura-default-role",
        ),
        (
            json!({"x-hasura-user-id": 1, "x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"}),
            None,
            "hasura.session_variables",
            "jwt-invalid-claims",
            "x-hasura-* claims: parsing Text failed, expected String, but encountered Number",
        ),
        (
            json!({"x-hasura-allowed-roles": ["user"], "x-hasura-default-role": ""}),
            None,
            "hasura.default_role",
            "jwt-invalid-claims",
            "invalid x-hasura-default-role; should be a single role name: empty string not allowed",
        ),
    ];
    for (hasura, role, id, code, message) in cases {
        let e = run(&c, base(hasura.clone()), role);
        assert_eq!(
            error(&e),
            Some((code.to_string(), message.to_string())),
            "{hasura}"
        );
        assert_eq!(failed_id(&e).as_deref(), Some(id), "{hasura}");
    }
}

#[test]
fn expiry_with_and_without_allowed_skew() {
    let mut payload = base(claims_ok());
    payload["exp"] = json!(NOW - 60.0);
    let e = run(&cfg(json!({})), payload.clone(), None);
    assert_eq!(
        error(&e),
        Some((
            "invalid-jwt".into(),
            "Could not verify JWT: JWTExpired".into()
        ))
    );
    payload["exp"] = json!(NOW - 30.0);
    let e = run(&cfg(json!({"allowed_skew": 60})), payload, None);
    assert_eq!(error(&e), None);
}

#[test]
fn audience_and_issuer() {
    let mut payload = base(claims_ok());
    payload["aud"] = json!("myapp-1234");
    for aud in [json!("myapp-1234"), json!(["myapp-1234", "myapp-9876"])] {
        assert_eq!(
            error(&run(&cfg(json!({"audience": aud})), payload.clone(), None)),
            None
        );
    }
    payload["aud"] = json!("rubbish_audience");
    let e = run(
        &cfg(json!({"audience": "myapp-1234"})),
        payload.clone(),
        None,
    );
    assert_eq!(
        error(&e).unwrap().1,
        "Could not verify JWT: JWTNotInAudience"
    );
    assert_eq!(
        error(&run(&cfg(json!({})), payload, None)),
        None,
        "no audience configured"
    );

    let mut payload = base(claims_ok());
    payload["iss"] = json!("rubbish-issuer");
    assert_eq!(
        error(&run(&cfg(json!({})), payload, None)),
        None,
        "no issuer configured"
    );
}

#[test]
fn issuer_mismatch_is_caught_before_everything() {
    let c = cfg(json!({"issuer": "https://hasura.com"}));
    let mut payload = base(claims_ok());
    payload["iss"] = json!("rubbish_issuer");
    payload["exp"] = json!(NOW - 100.0);
    let t = token(payload);
    let req = Request {
        token: &t,
        wrapper: &Wrapper::None,
        role: None,
    };
    let err = select(std::slice::from_ref(&c), &req).unwrap_err();
    assert_eq!(
        error(&err).unwrap().1,
        "Could not verify JWT: JWTNotInIssuer"
    );
}

#[test]
fn stringified_and_namespace_paths() {
    let stringified = base(Value::String(claims_ok().to_string()));
    assert_eq!(
        error(&run(
            &cfg(json!({"claims_format": "stringified_json"})),
            stringified.clone(),
            None
        )),
        None
    );
    let e = run(&cfg(json!({})), stringified, None);
    assert_eq!(
        error(&e).unwrap().1,
        "expecting a json object when claims_format is json"
    );
    assert!(e.checks.iter().any(|c| {
        c.hint
            .as_deref()
            .is_some_and(|h| h.contains("stringified_json"))
    }));

    for path in [
        "$",
        "$.hasura_claims",
        "$.hasura.claims",
        "$.hasura['claims%']",
    ] {
        let p = super::super::jsonpath::parse(path).unwrap();
        let mut payload = json!({"sub": "1", "iat": NOW, "exp": NOW + 60.0});
        let mut holder = claims_ok();
        for step in p.0.iter().rev() {
            if let super::super::jsonpath::Step::Key(k) = step {
                holder = json!({ k.as_str(): holder });
            }
        }
        for (k, v) in holder.as_object().unwrap() {
            payload[k] = v.clone();
        }
        let e = run(&cfg(json!({"claims_namespace_path": path})), payload, None);
        assert_eq!(error(&e), None, "{path}: {:#?}", e.checks);
    }
    let e = run(
        &cfg(json!({"claims_namespace_path": "$.hasura['claims%']"})),
        base(claims_ok()),
        None,
    );
    assert_eq!(
        error(&e).unwrap().1,
        "claims not found at claims_namespace_path: '$.hasura[\"claims%\"]'"
    );
    let e = run(
        &cfg(json!({"claims_namespace": "https://other/claims"})),
        base(claims_ok()),
        None,
    );
    assert_eq!(
        error(&e).unwrap().1,
        "claims key: 'https://other/claims' not found"
    );
    let ns = e
        .checks
        .iter()
        .find(|c| c.id == "hasura.namespace")
        .unwrap();
    assert!(
        ns.hint
            .as_deref()
            .unwrap()
            .contains("\"claims_namespace\": \"https://hasura.io/jwt/claims\""),
        "{ns:?}"
    );
}

fn claims_map(kind: &str) -> Value {
    let p = |s: &str| format!("$.['https://myapp.com/jwt/claims'].{s}");
    match kind {
        "basic" => json!({
            "x-hasura-user-id": {"path": p("user.id")},
            "x-hasura-allowed-roles": {"path": p("role.allowed")},
            "x-hasura-default-role": {"path": p("role.default")}
        }),
        "defaults" => json!({
            "x-hasura-user-id": {"path": p("user.id"), "default": "1"},
            "x-hasura-allowed-roles": {"path": p("role.allowed"), "default": ["user", "editor"]},
            "x-hasura-default-role": {"path": p("role.default"), "default": "user"}
        }),
        _ => json!({
            "x-hasura-user-id": {"path": p("user.id")},
            "x-hasura-allowed-roles": ["user", "editor"],
            "x-hasura-default-role": "user",
            "x-hasura-custom-header": "custom-value"
        }),
    }
}

fn mapped(user: Option<&str>, allowed: Option<Value>, default: Option<&str>) -> Value {
    let mut role = json!({});
    if let Some(a) = allowed {
        role["allowed"] = a;
    }
    if let Some(d) = default {
        role["default"] = json!(d);
    }
    let mut c = json!({"role": role});
    if let Some(u) = user {
        c["user"] = json!({"id": u});
    }
    json!({"sub": "1", "iat": NOW, "exp": NOW + 60.0, "https://myapp.com/jwt/claims": c})
}

/// test_jwt_claims_map.py, for each map and token.
#[test]
fn claims_map_engine_suite() {
    let good = || mapped(Some("1"), Some(json!(["user", "editor"])), Some("user"));
    let contractor = || {
        mapped(
            Some("1"),
            Some(json!(["contractor", "editor"])),
            Some("contractor"),
        )
    };
    let no_allowed = || mapped(Some("1"), None, Some("user"));
    let string_allowed = || mapped(Some("1"), Some(json!("user")), Some("user"));
    let no_default = || mapped(Some("1"), Some(json!(["user", "editor"])), None);
    let no_user = || mapped(None, Some(json!(["user", "editor"])), Some("user"));
    let missing_user = Some((
        "jwt-invalid-claims".to_string(),
        "JWT claim from claims_map, x-hasura-user-id not found".to_string(),
    ));
    type Case<'a> = (&'a str, Value, Option<&'a str>, Option<(String, String)>);
    let cases: Vec<Case> = vec![
        ("basic", good(), Some("user"), None),
        ("defaults", good(), Some("user"), None),
        ("basic", contractor(), Some("user"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
        ("defaults", contractor(), Some("user"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
        ("basic", no_allowed(), Some("user"), Some(("jwt-missing-role-claims".into(), "JWT claim does not contain x-hasura-allowed-roles".into()))),
        ("defaults", no_allowed(), Some("user"), None),
        ("basic", string_allowed(), Some("user"), Some(("jwt-invalid-claims".into(), "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String".into()))),
        ("defaults", string_allowed(), Some("user"), Some(("jwt-invalid-claims".into(), "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String".into()))),
        ("basic", no_default(), Some("user"), Some(("jwt-missing-role-claims".into(), "JWT claim does not contain x-hasura-default-role".into()))),
        ("defaults", no_default(), Some("user"), None),
        ("basic", no_user(), Some("user"), missing_user.clone()),
        ("defaults", no_user(), Some("user"), None),
        ("static", good(), Some("user"), None),
        ("static", good(), Some("random_string"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
        ("static", no_user(), Some("user"), missing_user),
    ];
    for (kind, payload, role, want) in cases {
        let c = cfg(json!({"claims_map": claims_map(kind)}));
        let e = run(&c, payload.clone(), role);
        assert_eq!(error(&e), want, "{kind} {payload}");
    }
    let c = cfg(json!({"claims_map": claims_map("static")}));
    let e = run(&c, good(), None);
    assert_eq!(
        e.info.session_variables["x-hasura-custom-header"],
        "custom-value"
    );
}

#[test]
fn claims_map_cannot_see_inside_stringified_claims() {
    let c = cfg(json!({"claims_map": {
        "x-hasura-allowed-roles": ["user"],
        "x-hasura-default-role": "user",
        "x-hasura-user-id": {"path": "$.['https://hasura.io/jwt/claims'].x-hasura-user-id"}
    }}));
    let e = run(&c, base(Value::String(claims_ok().to_string())), None);
    assert_eq!(
        error(&e).unwrap().1,
        "JWT claim from claims_map, x-hasura-user-id not found"
    );
    let hint = e
        .checks
        .iter()
        .find(|c| c.status == Status::Fail)
        .unwrap()
        .hint
        .clone()
        .unwrap();
    assert!(hint.contains("#8341"), "{hint}");
}

#[test]
fn quoted_messages_for_newer_engines() {
    let c = cfg(json!({}));
    let e = evaluate(
        &c,
        &keys(&c),
        &token(base(json!({"x-hasura-default-role": "user"}))),
        None,
        NOW,
        Messages::Quoted,
    );
    assert_eq!(
        error(&e).unwrap().1,
        "JWT claim does not contain \"x-hasura-allowed-roles\""
    );
}

#[test]
fn invalid_signature_and_alg_none() {
    let c = cfg(json!({}));
    let good = token(base(claims_ok()));
    let (input, sig) = good.rsplit_once('.').unwrap();
    let flipped = if sig.starts_with('A') { 'B' } else { 'A' };
    let t = format!("{input}.{flipped}{}", &sig[1..]);
    let e = evaluate(&c, &keys(&c), &t, None, NOW, Messages::Unquoted);
    assert_eq!(
        error(&e).unwrap().1,
        "Could not verify JWT: JWSError JWSInvalidSignature"
    );
    let none = format!(
        "{}.{}.",
        crate::jose::base64url::encode(br#"{"alg":"none"}"#),
        crate::jose::base64url::encode(base(claims_ok()).to_string().as_bytes())
    );
    let e = evaluate(&c, &keys(&c), &none, None, NOW, Messages::Unquoted);
    assert_eq!(
        error(&e).unwrap().1,
        "Could not verify JWT: JWSError JWSNoSignatures"
    );
    let e = evaluate(
        &c,
        &[],
        &token(base(claims_ok())),
        None,
        NOW,
        Messages::Unquoted,
    );
    assert_eq!(
        error(&e).unwrap().1,
        "Could not verify JWT: JWSError NoUsableKeys"
    );
}

#[test]
fn case_variants_resolve_like_the_engine() {
    let e = run(
        &cfg(json!({})),
        base(json!({
            "X-Hasura-User-Id": "upper", "x-hasura-user-id": "lower",
            "x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"
        })),
        None,
    );
    assert_eq!(e.info.session_variables["x-hasura-user-id"], "lower");
}

#[test]
fn the_location_decides_the_header_checks() {
    let c = cfg(json!({}));
    let t = token(base(claims_ok()));
    let lower = Wrapper::Bearer {
        scheme: "bearer".into(),
    };
    let err = select(
        std::slice::from_ref(&c),
        &Request {
            token: &t,
            wrapper: &lower,
            role: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        error(&err),
        Some((
            "invalid-headers".into(),
            "Malformed Authorization header".into()
        ))
    );
    let custom = cfg(json!({"header": {"type": "CustomHeader", "name": "X-Token"}}));
    let elsewhere = Wrapper::Header {
        name: "Authorization".into(),
        scheme: "Bearer".into(),
    };
    let err = select(
        std::slice::from_ref(&custom),
        &Request {
            token: &t,
            wrapper: &elsewhere,
            role: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        error(&err).unwrap().1,
        "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"
    );
    let (_, raw) = select(
        std::slice::from_ref(&custom),
        &Request {
            token: &t,
            wrapper: &Wrapper::None,
            role: None,
        },
    )
    .unwrap();
    assert_eq!(raw, t);
}

#[test]
fn several_secrets_choose_by_issuer() {
    let a = cfg(json!({"issuer": "https://a"}));
    let b = cfg(json!({"issuer": "https://b"}));
    let mut payload = base(claims_ok());
    payload["iss"] = json!("https://b");
    let t = token(payload);
    let req = Request {
        token: &t,
        wrapper: &Wrapper::None,
        role: None,
    };
    let both = [a.clone(), b.clone()];
    let (chosen, _) = select(&both, &req).unwrap();
    assert_eq!(chosen.issuer.as_deref(), Some("https://b"));
    let open = cfg(json!({}));
    let err = select(&[b, open], &req).unwrap_err();
    assert_eq!(
        error(&err).unwrap().1,
        "Could not verify JWT: Multiple JWTs found"
    );
}

#[test]
fn a_header_splits_on_latin1_space_bytes_as_the_engine_does() {
    let c = cfg(json!({}));
    let bearer = Wrapper::Bearer {
        scheme: "Bearer".into(),
    };
    let judged = |t: &str| {
        select(
            std::slice::from_ref(&c),
            &Request {
                token: t,
                wrapper: &bearer,
                role: None,
            },
        )
        .err()
        .and_then(|e| error(&e))
    };
    let t = token(base(claims_ok()));
    let malformed = Some((
        "invalid-headers".to_string(),
        "Malformed Authorization header".to_string(),
    ));
    // U+20A0 ends in byte 0xA0, which Char8.words treats as a space; U+2003 has no such byte.
    assert_eq!(judged(&format!("{t}\u{20A0}x")), malformed);
    assert_ne!(judged(&format!("{t}\u{2003}x")), malformed);
}
