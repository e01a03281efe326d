//! The DDN engine model against the engine's own JWT tests and source. Each test names the file
//! of graphql-engine's `v3/crates/auth/` it follows: `hasura-authn-jwt/src/jwt.rs` (jwt.rs),
//! `hasura-authn-jwt/src/auth.rs` (auth.rs), `hasura-authn-core/src/lib.rs` (core), and
//! jsonwebtoken 9.3's `src/validation.rs` (validation.rs).

use super::*;
use crate::hasura::evaluation::Request;
use crate::input::forms::Wrapper;
use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::json;

pub(super) const NOW: f64 = 1_800_000_000.0;

pub(super) fn parse(yaml: &str) -> Result<DdnConfig, config::DdnConfigError> {
    config::parse(&config::yaml_documents(yaml).unwrap(), &|_| None, None)
}

/// The engine tests' configuration: HS256 with the key `token`, the claims at `claims`.
pub(super) fn hs256(claims: &str) -> DdnConfig {
    parse(&format!(
        "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: token\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n{claims}"
    ))
    .unwrap()
}

pub(super) const NAMESPACE: &str =
    "        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n";

pub(super) fn hasura() -> Value {
    json!({"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["foo", "bar", "user"], "x-hasura-user-id": "1"})
}

pub(super) fn token(claims: Value) -> String {
    token_with(Header::new(jsonwebtoken::Algorithm::HS256), claims)
}

pub(super) fn token_with(header: Header, claims: Value) -> String {
    encode(&header, &claims, &EncodingKey::from_secret(b"token")).unwrap()
}

pub(super) fn claims_at_namespace(h: Value) -> Value {
    json!({"sub": "1234567890", "name": "John Doe", "iat": 1693439022, "exp": 1916239022, "claims.jwt.hasura.io": h})
}

pub(super) fn run(
    cfg: &DdnConfig,
    token: &str,
    wrapper: &Wrapper,
    role: Option<&str>,
) -> Evaluation {
    let key = fixed_key("HS256", "token").unwrap();
    let keys = [key];
    evaluate(
        cfg,
        DdnKeys {
            keys: &keys,
            document: None,
            unsuccessful: None,
            undecodable: None,
        },
        &Request {
            token,
            wrapper,
            role,
        },
        NOW,
    )
}

/// A token as sent alone (no wrapper, no role header).
pub(super) fn bare(cfg: &DdnConfig, token: &str) -> Evaluation {
    run(cfg, token, &Wrapper::None, None)
}

/// The engine's answer: HTTP status and message.
pub(super) fn answer(e: &Evaluation) -> Option<(&str, &str)> {
    Some((
        e.info.engine_code.as_deref()?,
        e.info.engine_error.as_deref()?,
    ))
}

/// Whether a check's message says `text`.
pub(super) fn noted(e: &Evaluation, text: &str) -> bool {
    e.checks.iter().any(|c| c.message.contains(text))
}

pub(super) fn accepted(e: &Evaluation) -> bool {
    e.error.is_none()
}

// jwt.rs test_jwt_encode_and_decode
#[test]
fn json_claims_at_the_default_namespace_are_accepted() {
    let e = bare(&hs256(NAMESPACE), &token(claims_at_namespace(hasura())));
    assert!(accepted(&e), "{:?}", e.checks);
    assert_eq!(e.info.role.as_deref(), Some("user"));
    assert_eq!(
        e.info.session_variables.get("x-hasura-user-id"),
        Some(&json!("1"))
    );
}

// jwt.rs test_jwt_stringified_hasura_claims
#[test]
fn stringified_claims_are_read_when_the_format_says_so() {
    let cfg = hs256(&NAMESPACE.replace("Json", "StringifiedJson"));
    let stringified = Value::String(hasura().to_string());
    assert!(accepted(&bare(
        &cfg,
        &token(claims_at_namespace(stringified))
    )));
    // An object where a string is expected is the client's error (400).
    let e = bare(&cfg, &token(claims_at_namespace(hasura())));
    assert_eq!(
        answer(&e),
        Some((
            "400",
            "Expected the Hasura claims to be a String when `claimsFormat` is `stringifiedJson`"
        ))
    );
}

// jwt.rs test_jwt_claims_namespace_path
#[test]
fn a_pointer_reaches_nested_claims() {
    let cfg = hs256(&NAMESPACE.replace("/claims.jwt.hasura.io", "/foo/hasuraClaims"));
    let claims = json!({"sub": "1", "iat": 1693439022, "exp": 1916239022, "foo": {"hasuraClaims": hasura()}});
    assert!(accepted(&bare(&cfg, &token(claims.clone()))));
    // Not there: 500, as the engine files it under internal errors.
    let cfg = hs256(NAMESPACE);
    assert_eq!(
        answer(&bare(&cfg, &token(claims))),
        Some((
            "500",
            "Internal Error - Hasura claims not found in the JWT at /claims.jwt.hasura.io"
        ))
    );
}

// jwt.rs test_jwt_claims_mapping
#[test]
fn locations_take_paths_defaults_and_literals() {
    let cfg = hs256(
        "        locations:\n          x-hasura-default-role:\n            path:\n              path: /roles/2\n              default: user\n          x-hasura-allowed-roles:\n            path:\n              path: /roles\n          x-hasura-user-id:\n            literal: \"1\"\n",
    );
    let claims =
        json!({"sub": "1", "iat": 1693439022, "exp": 1916239022, "roles": ["foo", "bar", "user"]});
    let e = bare(&cfg, &token(claims));
    assert!(accepted(&e), "{:?}", e.checks);
    assert_eq!(e.info.default_role.as_deref(), Some("user"));
    assert_eq!(
        e.info.session_variables.get("x-hasura-user-id"),
        Some(&json!("1"))
    );
    // No roles and no default: the claim is required (400).
    let e = bare(&cfg, &token(json!({"exp": 1916239022, "roles": "x"})));
    assert_eq!(answer(&e).map(|a| a.0), Some("400"));
    let e = bare(&cfg, &token(json!({"exp": 1916239022})));
    assert_eq!(
        answer(&e),
        Some(("400", "Required claim x-hasura-allowed-roles not found"))
    );
}

// jwt.rs test_jwt_claims_mapping_with_malformed_json_pointer
#[test]
fn a_pointer_without_its_slash_is_refused_with_the_engines_words() {
    let e = parse("kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: token\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        locations:\n          x-hasura-default-role:\n            literal: user\n          x-hasura-allowed-roles:\n            literal: [user]\n          x-hasura-user-id:\n            path:\n              path: custom_claims/user_id\n").unwrap_err();
    assert_eq!(
        e.message,
        "json pointer \"custom_claims/user_id\" is malformed due to missing starting slash"
    );
    assert!(e.hint.contains("\"/custom_claims/user_id\""), "{}", e.hint);
}

// jwt.rs test_jwt_header_source
#[test]
fn the_token_is_found_only_where_the_config_says() {
    let cfg = hs256(NAMESPACE);
    let t = token(claims_at_namespace(hasura()));
    let e = run(
        &cfg,
        &t,
        &Wrapper::Header {
            name: "Authorization".into(),
            scheme: "Bearer_my".into(),
        },
        None,
    );
    assert_eq!(
        answer(&e),
        Some((
            "400",
            "Error in parsing the Authorization header: The `Authorization` header is expected to be in the format of `Bearer <JWT>`"
        ))
    );
    let e = run(
        &cfg,
        &t,
        &Wrapper::Header {
            name: "X-Token".into(),
            scheme: String::new(),
        },
        None,
    );
    assert_eq!(
        answer(&e),
        Some((
            "400",
            "JWT Authorization token source: Header name Authorization not found."
        ))
    );
    // A custom header: the whole value; names match case-insensitively.
    let custom = hs256(NAMESPACE);
    let custom = DdnConfig {
        location: TokenLocation::Header("custom-jwt-header".into()),
        ..custom
    };
    assert!(accepted(&run(
        &custom,
        &t,
        &Wrapper::Header {
            name: "Custom-JWT-Header".into(),
            scheme: String::new()
        },
        None
    )));
}

// jwt.rs test_jwt_header_source (cookies) and the cookie crate's Cookie::parse
#[test]
fn only_the_first_cookie_of_the_header_is_read() {
    let cfg = DdnConfig {
        location: TokenLocation::Cookie("my_cookie".into()),
        ..hs256(NAMESPACE)
    };
    let t = token(claims_at_namespace(hasura()));
    let cookie = |header: String| Wrapper::Cookie {
        name: "my_cookie".into(),
        cookies: Vec::new(),
        header,
    };
    assert!(accepted(&run(
        &cfg,
        &t,
        &cookie(format!("my_cookie={t}; theme=dark")),
        None
    )));
    let e = run(
        &cfg,
        &t,
        &cookie(format!("theme=dark; my_cookie={t}")),
        None,
    );
    assert_eq!(
        answer(&e),
        Some((
            "400",
            "JWT Authorization token source: cookie name my_cookie not found in the Cookie header"
        ))
    );
    assert!(noted(&e, "is not the first"));
}

// jwt.rs test_expired_jwt_returns_client_error; validation.rs (leeway 60 by default)
#[test]
fn expiry_has_the_librarys_sixty_second_default_leeway() {
    let cfg = hs256(NAMESPACE);
    let at = |exp: f64| {
        let mut c = claims_at_namespace(hasura());
        c["exp"] = json!(exp as u64);
        bare(&cfg, &token(c))
    };
    assert!(accepted(&at(NOW - 60.0)));
    assert_eq!(
        answer(&at(NOW - 61.0)),
        Some(("400", "JWT validation error: ExpiredSignature"))
    );
    let skewless = DdnConfig {
        allowed_skew: Some(0),
        ..hs256(NAMESPACE)
    };
    let mut c = claims_at_namespace(hasura());
    c["exp"] = json!(NOW as u64 - 1);
    assert!(!accepted(&bare(&skewless, &token(c))));
}

// validation.rs numeric_type and required_spec_claims = {exp}
#[test]
fn exp_is_read_as_the_library_reads_numbers() {
    let cfg = hs256(NAMESPACE);
    let with_exp = |exp: Value| {
        let mut c = claims_at_namespace(hasura());
        c["exp"] = exp;
        bare(&cfg, &token(c))
    };
    let missing = Some(("400", "JWT validation error: Missing required claim: exp"));
    assert_eq!(answer(&with_exp(json!("1916239022"))), missing);
    assert_eq!(answer(&with_exp(json!(-5))), missing);
    assert!(accepted(&with_exp(json!(1916239022.4))));
    assert!(accepted(&with_exp(json!(1e19))));
    let mut c = claims_at_namespace(hasura());
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(answer(&bare(&cfg, &token(c))), missing);
}

// validation.rs: iss only when configured and present; aud by compatibility date
#[test]
fn issuer_and_audience_follow_the_librarys_rules() {
    let mut cfg = hs256(NAMESPACE);
    cfg.issuer = Some("https://issuer".into());
    let mut c = claims_at_namespace(hasura());
    assert!(
        accepted(&bare(&cfg, &token(c.clone()))),
        "no iss: not checked"
    );
    c["iss"] = json!("https://other");
    assert_eq!(
        answer(&bare(&cfg, &token(c))),
        Some(("400", "JWT validation error: InvalidIssuer"))
    );

    let mut c = claims_at_namespace(hasura());
    c["aud"] = json!("client");
    let plain = hs256(NAMESPACE);
    assert_eq!(
        answer(&bare(&plain, &token(c.clone()))),
        Some(("400", "JWT validation error: InvalidAudience"))
    );
    let older = DdnConfig {
        audience_mode: AudienceMode::Optional,
        ..hs256(NAMESPACE)
    };
    assert!(accepted(&bare(&older, &token(c.clone()))));
    let named = DdnConfig {
        audience: Some(vec!["x".into(), "client".into()]),
        ..hs256(NAMESPACE)
    };
    assert!(accepted(&bare(&named, &token(c))));
}

// jwt.rs decode_and_parse_hasura_claims (DisallowedDefaultRole); core (authorize_identity)
#[test]
fn roles_are_resolved_as_the_engine_does() {
    let cfg = hs256(NAMESPACE);
    let t = token(claims_at_namespace(hasura()));
    let e = run(&cfg, &t, &Wrapper::None, Some("foo"));
    assert_eq!(e.info.role.as_deref(), Some("foo"));
    let e = run(&cfg, &t, &Wrapper::None, Some("admin"));
    assert_eq!(
        answer(&e),
        Some(("401", "cannot be authorized as role: admin"))
    );
    let outside = json!({"x-hasura-default-role": "admin", "x-hasura-allowed-roles": ["user"]});
    let e = bare(&cfg, &token(claims_at_namespace(outside)));
    assert_eq!(
        answer(&e),
        Some((
            "400",
            "The default role is not present in the allowed roles"
        ))
    );
    let twice =
        json!({"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user", "user"]});
    let e = bare(&cfg, &token(claims_at_namespace(twice)));
    assert_eq!(
        answer(&e),
        Some((
            "500",
            "Internal Error - Duplicate allowed role found in the JWT claims"
        ))
    );
}

// auth.rs test_successful_role_emulation / test_unsuccessful_role_emulation
#[test]
fn v1_role_emulation_needs_the_role_claim() {
    let mut cfg = hs256(NAMESPACE);
    cfg.role_emulation_by = Some("admin".into());
    let mut h = hasura();
    h["x-hasura-role"] = json!("admin");
    let e = run(
        &cfg,
        &token(claims_at_namespace(h)),
        &Wrapper::None,
        Some("anything"),
    );
    assert_eq!(e.info.role.as_deref(), Some("anything"));
    let e = bare(&cfg, &token(claims_at_namespace(hasura())));
    assert_eq!(e.info.role.as_deref(), Some("user"));
}

// HasuraClaims' serde derive: names are case-sensitive
#[test]
fn capitalised_claim_names_are_missing_fields() {
    let cfg = hs256(NAMESPACE);
    let h = json!({"X-Hasura-Default-Role": "user", "x-hasura-allowed-roles": ["user"]});
    let e = bare(&cfg, &token(claims_at_namespace(h)));
    assert_eq!(
        answer(&e),
        Some((
            "500",
            "Internal Error - Error in parsing the Hasura claims map: missing field `x-hasura-default-role`"
        ))
    );
    assert!(noted(&e, "case-sensitively"));
}

// jwt.rs get_decoding_key / jsonwebtoken verify_signature: the algorithm must be the fixed one
#[test]
fn another_algorithm_than_the_fixed_one_is_an_internal_error() {
    let cfg = hs256(NAMESPACE);
    let t = token_with(
        Header::new(jsonwebtoken::Algorithm::HS384),
        claims_at_namespace(hasura()),
    );
    assert_eq!(
        answer(&bare(&cfg, &t)),
        Some((
            "500",
            "Internal Error - Error while decoding the JWT: InvalidAlgorithm"
        ))
    );
    let bad_sig = format!("{}x", &t[..t.len() - 1]);
    let e = bare(&cfg, &bad_sig);
    assert!(answer(&e).is_some());
}

pub(super) fn oct_set(kid: &str, alg: &str) -> Value {
    json!({"keys": [{"kty": "oct", "k": crate::jose::base64url::encode(b"token"), "kid": kid, "alg": alg}]})
}

pub(super) fn run_set(set: &Value, token: &str) -> Evaluation {
    let cfg = DdnConfig {
        key: DdnKey::JwkFromUrl("https://keys.example/jwks.json".into()),
        ..hs256(NAMESPACE)
    };
    let keys = crate::jose::jwk::parse_set(set).unwrap().keys;
    evaluate(
        &cfg,
        DdnKeys {
            keys: &keys,
            document: Some(set),
            unsuccessful: None,
            undecodable: None,
        },
        &Request {
            token,
            wrapper: &Wrapper::None,
            role: None,
        },
        NOW,
    )
}

// jwt.rs test_jwk and get_decoding_key_from_jwk_url
#[test]
fn jwk_from_url_needs_the_kid_the_set_has() {
    let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some("random_kid".into());
    let t = token_with(header.clone(), claims_at_namespace(hasura()));
    assert!(accepted(&run_set(&oct_set("random_kid", "HS256"), &t)));
    assert_eq!(
        answer(&run_set(&oct_set("random_kid_3", "HS256"), &t)),
        Some((
            "500",
            "Internal Error - No matching JWK found for the given kid: random_kid"
        ))
    );
    let no_kid = token(claims_at_namespace(hasura()));
    assert_eq!(
        answer(&run_set(&oct_set("random_kid", "HS256"), &no_kid)),
        Some(("400", "`kid` (Key ID) header claim not found in the header"))
    );
    // One key with an alg the library does not know fails the whole set.
    let e = run_set(&oct_set("random_kid", "ES512"), &t);
    assert_eq!(
        answer(&e),
        Some((
            "500",
            "Internal Error - Internal request error: error decoding response body"
        ))
    );
}

#[test]
fn translation_keeps_the_verdict_where_it_claims_equivalence() {
    let v2 = crate::hasura::v2::config::parse_text(r#"{"type":"HS256","key":"token-token-token-token-token-token","claims_namespace":"claims.jwt.hasura.io"}"#).unwrap();
    let t = translate::to_ddn(&v2, None);
    let yaml = serde_yaml_ng::to_string(&translate::yaml(&t.config)).unwrap();
    let back = config::parse(
        &config::yaml_documents(&yaml).unwrap(),
        &|k| {
            (k == translate::SECRET_VAR).then(|| "token-token-token-token-token-token".to_string())
        },
        None,
    )
    .unwrap();
    assert_eq!(back.leeway(), 0, "v2's default skew is written out");
    assert_eq!(
        back.claims,
        DdnClaims::Namespace {
            format: ClaimsFormat::Json,
            location: "/claims.jwt.hasura.io".into()
        }
    );
    assert_eq!(
        crate::hasura::jsonpath::to_pointer("$.a['b/c'][2]").as_deref(),
        Some("/a/b~1c/2")
    );
}
