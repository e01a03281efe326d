//! `verify` / `from-url` under a Hasura configuration: the engine's verdict, its error text, the
//! session it builds, and the diagnosis of each common mismatch. Keys come from a real HTTP
//! server on 127.0.0.1.

use crate::support::sign::sign;
use crate::support::*;
use serde_json::{Value, json};

const NOW: i64 = SAMPLE_NOW_UNIX;

fn server() -> Server {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    s
}

fn config(server: &Server, extra: Value) -> Value {
    let mut c = json!({
        "type": "RS256",
        "jwk_url": server.url("/jwks.json"),
        "claims_format": "stringified_json",
        "audience": CLIENT,
        "issuer": POOL_ISS,
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn hasura_claims() -> Value {
    json!({"x-hasura-user-id": "u-1", "x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user", "editor"]})
}

/// A Cognito-shaped id token signed by the sample pool's id key; `extra` overrides claims
/// (`null` removes one).
fn id_token(extra: Value) -> String {
    let mut p = json!({
        "sub": "u-1", "iss": POOL_ISS, "aud": CLIENT, "token_use": "id",
        "auth_time": NOW - 120, "iat": NOW - 60, "exp": NOW + 3540,
        "https://hasura.io/jwt/claims": hasura_claims().to_string(),
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            p.as_object_mut().unwrap().remove(k);
        } else {
            p[k] = v.clone();
        }
    }
    sign(
        "RS256",
        "rsa-pool-id",
        &json!({"kid": ID_KID, "alg": "RS256"}).to_string(),
        &p.to_string(),
    )
}

fn verify(token: &str, cfg: &Value, extra: &[&str]) -> (i32, Value) {
    verify_under(&cfg.to_string(), token, extra)
}

fn engine(r: &Value) -> (String, String) {
    (
        r["hasura"]["engine_code"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        r["hasura"]["engine_error"]
            .as_str()
            .unwrap_or("")
            .to_string(),
    )
}

fn hint(r: &Value, id: &str) -> String {
    checks(r, id)
        .iter()
        .find(|c| c["status"] == "fail" || c["status"] == "warn")
        .and_then(|c| c["hint"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_sample_id_token_is_accepted_with_its_session() {
    let s = server();
    let (code, r) = verify(&at_sample("id-token.jwt"), &config(&s, json!({})), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verdict"], "valid");
    assert_eq!(
        r["summary"],
        "Hasura accepts this RS256 id token as role user; expires in 30m"
    );
    assert_eq!(r["hasura"]["claims_format"], "stringified_json");
    assert_eq!(r["hasura"]["role"], "user");
    assert_eq!(r["hasura"]["allowed_roles"], json!(["user", "editor"]));
    assert_eq!(
        r["hasura"]["session_variables"],
        json!({"x-hasura-user-id": "b8f1f6df-c138-476e-85f3-7339bf9e2d7d", "x-hasura-role": "user"})
    );
    assert!(r["hasura"]["engine_error"].is_null());
    assert_eq!(r["leeway"], 0.0);
}

#[test]
fn the_configuration_can_come_from_the_environment() {
    let s = server();
    let cfg = config(&s, json!({})).to_string();
    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &id_token(json!({})),
                "--hasura-config-env",
                "--now",
                &NOW.to_string(),
                "--role",
                "editor",
            ],
        )
        .env("HASURA_GRAPHQL_JWT_SECRET", &cfg)
        .env("HASURA_GRAPHQL_ADMIN_SECRET", "x"),
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["hasura"]["role"], "editor");
    // The list form: the entry whose issuer matches is chosen.
    let other = config(
        &s,
        json!({"issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"}),
    );
    let list = json!([other, config(&s, json!({}))]).to_string();
    let (code, r) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &id_token(json!({})),
                "--hasura-config-env",
                "--now",
                &NOW.to_string(),
            ],
        )
        .env("HASURA_GRAPHQL_JWT_SECRETS", list)
        .env("HASURA_GRAPHQL_ADMIN_SECRET", "x"),
    );
    assert_eq!(code, 0, "{r:#}");
    let (code, r) =
        run_json(jwtcheck().args(["verify", &id_token(json!({})), "--hasura-config-env"]));
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.hasura_env");
}

#[test]
fn format_mismatch_names_the_claims_format_that_fixes_it() {
    let s = server();
    let (code, r) = verify(
        &id_token(json!({})),
        &config(&s, json!({"claims_format": "json"})),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r),
        (
            "jwt-invalid-claims".into(),
            "expecting a json object when claims_format is json".into()
        )
    );
    assert!(hint(&r, "hasura.format").contains("\"claims_format\": \"stringified_json\""));
    let object = id_token(json!({"https://hasura.io/jwt/claims": hasura_claims()}));
    let (code, r) = verify(&object, &config(&s, json!({})), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r).1,
        "expecting a string when claims_format is stringified_json"
    );
    assert!(hint(&r, "hasura.format").contains("\"claims_format\": \"json\""));
}

#[test]
fn claims_elsewhere_are_found_and_named() {
    let s = server();
    let t = id_token(
        json!({"https://hasura.io/jwt/claims": null, "https://myapp.example/claims": hasura_claims().to_string()}),
    );
    let (code, r) = verify(&t, &config(&s, json!({})), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r).1,
        "claims key: 'https://hasura.io/jwt/claims' not found"
    );
    assert!(
        hint(&r, "hasura.namespace")
            .contains("\"claims_namespace\": \"https://myapp.example/claims\""),
        "{}",
        hint(&r, "hasura.namespace")
    );
    let (code, _) = verify(
        &t,
        &config(
            &s,
            json!({"claims_namespace": "https://myapp.example/claims"}),
        ),
        &[],
    );
    assert_eq!(code, 0);
}

#[test]
fn an_access_token_gets_the_v1_trigger_explanation_and_passes_the_audience() {
    let s = server();
    let (code, r) = verify(&at_sample("access-token.jwt"), &config(&s, json!({})), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r).1,
        "claims key: 'https://hasura.io/jwt/claims' not found"
    );
    assert!(hint(&r, "hasura.namespace").contains("V1 trigger"));
    assert_eq!(status(&r, "aud"), "warn");
    assert!(hint(&r, "aud").contains("access tokens have no aud"));
}

#[test]
fn engine_rejections_carry_the_engine_text() {
    let s = server();
    let cfg = config(&s, json!({}));
    let cases: Vec<(String, Vec<&str>, &str, &str, &str)> = vec![
        (
            id_token(json!({"exp": NOW - 60})),
            vec![],
            "exp",
            "invalid-jwt",
            "Could not verify JWT: JWTExpired",
        ),
        (
            id_token(json!({"aud": "another-client"})),
            vec![],
            "aud",
            "invalid-jwt",
            "Could not verify JWT: JWTNotInAudience",
        ),
        (
            id_token(
                json!({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1", "exp": NOW - 600}),
            ),
            vec![],
            "iss",
            "invalid-jwt",
            "Could not verify JWT: JWTNotInIssuer",
        ),
        (
            id_token(json!({"iat": NOW + 600})),
            vec![],
            "iat",
            "invalid-jwt",
            "Could not verify JWT: JWTIssuedAtFuture",
        ),
        (
            id_token(json!({})),
            vec!["--role", "admin"],
            "hasura.role",
            "access-denied",
            "Your requested role is not in allowed roles",
        ),
        (
            id_token(
                json!({"https://hasura.io/jwt/claims": json!({"x-hasura-default-role": "user", "x-hasura-allowed-roles": "user"}).to_string()}),
            ),
            vec![],
            "hasura.allowed_roles",
            "jwt-invalid-claims",
            "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String",
        ),
        (
            id_token(
                json!({"https://hasura.io/jwt/claims": json!({"x-hasura-default-role": "admin", "x-hasura-allowed-roles": ["user"]}).to_string()}),
            ),
            vec![],
            "hasura.role",
            "access-denied",
            "Your requested role is not in allowed roles",
        ),
        (
            id_token(
                json!({"https://hasura.io/jwt/claims": json!({"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"], "x-hasura-user-id": 42}).to_string()}),
            ),
            vec![],
            "hasura.session_variables",
            "jwt-invalid-claims",
            "x-hasura-* claims: parsing Text failed, expected String, but encountered Number",
        ),
        (
            id_token(json!({"sub": 1234567890})),
            vec![],
            "format",
            "invalid-jwt",
            "Could not verify JWT: JWTClaimsSetDecodeError \"Error in $.sub: parsing StringOrURI failed, expected String, but encountered Number\"",
        ),
        (
            sign(
                "RS256",
                "rsa-other",
                &json!({"kid": ID_KID, "alg": "RS256"}).to_string(),
                &json!({"exp": NOW + 60}).to_string(),
            ),
            vec![],
            "signature",
            "invalid-jwt",
            "Could not verify JWT: JWSError JWSInvalidSignature",
        ),
    ];
    for (token, extra, id, code_word, message) in cases {
        let (code, r) = verify(&token, &cfg, &extra);
        assert_eq!(code, 1, "{message}: {r:#}");
        assert!(failed(&r, id), "{id}: {r:#}");
        assert_eq!(engine(&r), (code_word.to_string(), message.to_string()));
        let response: Value =
            serde_json::from_str(r["hasura"]["engine_response"].as_str().unwrap()).unwrap();
        assert_eq!(response["errors"][0]["extensions"]["code"], code_word);
    }
}

#[test]
fn a_five_part_token_gets_the_engines_decode_error() {
    let s = server();
    let (code, r) = verify(
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
        &config(&s, json!({})),
        &[],
    );
    assert_eq!(code, 4);
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 5)"
    );
}

#[test]
fn allowed_skew_is_the_leeway() {
    let s = server();
    let t = id_token(json!({"exp": NOW - 30}));
    let (code, r) = verify(&t, &config(&s, json!({"allowed_skew": 60})), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["leeway"], 60.0);
}

#[test]
fn configurations_the_engine_refuses_are_usage_errors_with_its_message() {
    let s = server();
    let cases = [
        (
            config(&s, json!({"claims_format": "stringified"})),
            "Error in $['claims_format']: parsing Hasura.Server.Auth.JWT.JWTClaimsFormat failed, expected one of the tags [\"json\",\"stringified_json\"], but found tag \"stringified\"",
        ),
        (
            config(&s, json!({"jwk_url": null})),
            "Error in $: key and jwk_url both cannot be empty",
        ),
        (
            config(&s, json!({"key": "k"})),
            "Error in $: key, jwk_url both cannot be present",
        ),
    ];
    for (cfg, want) in cases {
        let (code, r) = verify(&id_token(json!({})), &cfg, &[]);
        assert_eq!(code, 2, "{cfg}");
        assert_eq!(r["error"]["id"], "hasura.startup");
        let msg = r["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!(
                "Fatal Error:- Environment variable HASURA_GRAPHQL_JWT_SECRET: {want}"
            )),
            "{msg}"
        );
    }
    let (code, r) = verify(
        &id_token(json!({})),
        &config(&s, json!({})),
        &["--leeway", "5"],
    );
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.hasura_conflict");
}

#[test]
fn unknown_fields_are_warned_with_a_suggestion() {
    let s = server();
    let (code, r) = verify(
        &id_token(json!({})),
        &config(&s, json!({"claim_format": "json"})),
        &[],
    );
    assert_eq!(code, 0);
    let c = checks(&r, "lint.config_unknown")
        .into_iter()
        .find(|c| c["message"].as_str().unwrap().contains("claim_format"))
        .unwrap()
        .clone();
    assert_eq!(c["status"], "warn");
    assert!(
        c["hint"]
            .as_str()
            .unwrap()
            .contains("did you mean \"claims_format\"")
    );
}

#[test]
fn quoted_messages_for_newer_engines() {
    let s = server();
    let t = id_token(
        json!({"https://hasura.io/jwt/claims": json!({"x-hasura-default-role": "user"}).to_string()}),
    );
    let (_, r) = verify(&t, &config(&s, json!({})), &["--hasura-messages", "quoted"]);
    assert_eq!(
        engine(&r).1,
        "JWT claim does not contain \"x-hasura-allowed-roles\""
    );
}

#[test]
fn a_static_key_configuration_works_offline() {
    let pem =
        std::fs::read_to_string(crate::support::sign::key_path("rsa-pool-id.pub.pem")).unwrap();
    let cfg = json!({"type": "RS512", "key": pem, "claims_format": "stringified_json"});
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &id_token(json!({})),
        "--hasura-config",
        &cfg.to_string(),
        "--now",
        &NOW.to_string(),
    ]));
    assert_eq!(
        code, 0,
        "the key's type does not constrain the token's alg: {r:#}"
    );
    let hs = json!({"type": "HS256", "key": "too-short"});
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &id_token(json!({})),
        "--hasura-config",
        &hs.to_string(),
    ]));
    assert_eq!(code, 2);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Key size too small; should be atleast 32 characters")
    );
}

#[test]
fn the_sample_configuration_with_the_sample_keys_offline() {
    let (code, r) = run_json(jwtcheck().current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "verify",
        "@samples/id-token.jwt",
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        status(&r, "key"),
        "warn",
        "says the keys came from --jwks, not jwk_url"
    );
}

#[test]
fn policy_rules_fail_the_verdict_even_when_hasura_accepts() {
    let s = server();
    let cfg = config(&s, json!({}));
    let t = id_token(json!({}));
    let (code, r) = verify(
        &t,
        &cfg,
        &[
            "--expect-role",
            "user",
            "--expect-default-role",
            "user",
            "--forbid-role",
            "admin",
            "--require-claim",
            "x-hasura-user-id",
            "--claim-equals",
            "x-hasura-user-id=sub",
            "--expect-token-use",
            "id",
            "--max-lifetime",
            "3600",
        ],
    );
    assert_eq!(code, 0, "{r:#}");
    for id in [
        "policy.expect_role",
        "policy.expect_default_role",
        "policy.forbid_role",
        "policy.require_claim",
        "policy.claim_equals",
        "policy.token_use",
        "policy.max_lifetime",
    ] {
        assert_eq!(status(&r, id), "pass", "{id}");
    }
    let (code, r) = verify(&t, &cfg, &["--forbid-role", "editor"]);
    assert_eq!(code, 1);
    assert!(failed(&r, "policy.forbid_role"));
    assert!(
        r["hasura"]["engine_error"].is_null(),
        "Hasura itself accepts"
    );
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .starts_with("Hasura accepts this token (as role user), but policy.forbid_role fails")
    );
}

#[test]
fn policy_applies_without_a_hasura_configuration_too() {
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
        "--expect-role",
        "admin",
    ]));
    assert_eq!(code, 1);
    assert!(failed(&r, "policy.expect_role"));
}

#[test]
fn from_url_judges_the_callback_token_by_the_configuration() {
    let s = server();
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "from-url",
            &at_sample("callback-url.txt"),
            "--hasura-config",
            &config(&s, json!({})).to_string(),
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["hasura"]["role"], "user");
}

#[test]
fn the_authorization_header_must_say_bearer_exactly() {
    let s = server();
    let (code, r) = verify(
        &format!("Authorization: bearer {}", id_token(json!({}))),
        &config(&s, json!({})),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r),
        (
            "invalid-headers".into(),
            "Malformed Authorization header".into()
        )
    );
}

#[test]
fn human_output_of_a_rejection() {
    let s = server();
    let cache = cache_dir();
    let (code, out, _) = run(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--hasura-config",
            &config(&s, json!({"claims_format": "json"})).to_string(),
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 1);
    let stable: String = out.replace(&s.mock.uri(), "http://127.0.0.1:PORT");
    let head: String = stable
        .lines()
        .take_while(|l| !l.starts_with("Header"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("hasura_format_mismatch", head);
}

#[test]
fn engine_suite_key_types_rsa_ed25519_es() {
    for (ty, alg, key) in [
        ("RS512", "RS512", "rsa-pool-id"),
        ("Ed25519", "EdDSA", "ed25519"),
        ("ES256", "ES256", "ec-p256"),
    ] {
        let pem =
            std::fs::read_to_string(crate::support::sign::key_path(&format!("{key}.pub.pem")))
                .unwrap();
        let cfg = json!({"type": ty, "key": pem});
        let payload = json!({"sub": "1234567890", "name": "John Doe", "iat": NOW, "exp": NOW + 36_000, "https://hasura.io/jwt/claims": hasura_claims()});
        let token = sign(
            alg,
            key,
            &json!({"alg": alg}).to_string(),
            &payload.to_string(),
        );
        let (code, r) = run_json(jwtcheck().args([
            "verify",
            &token,
            "--hasura-config",
            &cfg.to_string(),
            "--now",
            &NOW.to_string(),
            "--role",
            "user",
        ]));
        assert_eq!(code, 0, "{ty}: {r:#}");
        let wrong = sign("HS384", "hs512", r#"{"alg":"HS384"}"#, &payload.to_string());
        let (code, r) = run_json(jwtcheck().args([
            "verify",
            &wrong,
            "--hasura-config",
            &cfg.to_string(),
            "--now",
            &NOW.to_string(),
        ]));
        assert_eq!(code, 1, "{ty}");
        assert_eq!(
            engine(&r).1,
            "Could not verify JWT: JWSError JWSInvalidSignature"
        );
    }
}

#[test]
fn cookie_and_custom_header_locations() {
    let s = server();
    for header in [
        json!({"type": "Cookie", "name": "hasura_user"}),
        json!({"type": "CustomHeader", "name": "hasura_user"}),
    ] {
        let cfg = config(&s, json!({"header": header}));
        let (code, r) = verify(&id_token(json!({})), &cfg, &[]);
        assert_eq!(code, 0, "{header}: {r:#}");
        let sent = checks(&r, "hasura.header")[0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(sent.contains("hasura_user"), "{sent}");
    }
    // A pasted Authorization header where the engine looks at a custom header: no token found.
    let cfg = config(
        &s,
        json!({"header": {"type": "CustomHeader", "name": "X-Token"}}),
    );
    let (code, r) = verify(
        &format!("Authorization: Bearer {}", id_token(json!({}))),
        &cfg,
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r),
        (
            "invalid-headers".into(),
            "Missing 'Authorization' or 'Cookie' header in JWT authentication mode".into()
        )
    );
}

#[test]
fn key_sets_the_engine_refuses_or_that_are_empty() {
    let s = Server::start();
    let mut bad = sample_jwks();
    bad["keys"][1]["use"] = json!("signature");
    serve_json(&s, "/bad.json", &bad, &[]);
    serve_json(&s, "/empty.json", &json!({"keys": []}), &[]);
    let (code, r) = verify(
        &id_token(json!({})),
        &config(&s, json!({"jwk_url": s.url("/bad.json")})),
        &[],
    );
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["error"]["id"], "hasura.jwks_refused");
    assert!(r["summary"].as_str().unwrap().contains("use \"signature\""));
    let (code, r) = verify(
        &id_token(json!({})),
        &config(&s, json!({"jwk_url": s.url("/empty.json")})),
        &[],
    );
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(engine(&r).1, "Could not verify JWT: JWSError NoUsableKeys");
}

#[test]
fn pasted_header_lines_say_where_the_token_is_sent() {
    let s = server();
    let t = id_token(json!({}));
    let custom = config(
        &s,
        json!({"header": {"type": "CustomHeader", "name": "hasura_user"}}),
    );
    let (code, r) = verify(&format!("hasura_user: {t}"), &custom, &[]);
    assert_eq!(code, 0, "{r:#}");
    let cookie = config(
        &s,
        json!({"header": {"type": "Cookie", "name": "hasura_user"}}),
    );
    let (code, r) = verify(
        &format!("Cookie: theme=dark; hasura_user={t}"),
        &cookie,
        &[],
    );
    assert_eq!(code, 0, "{r:#}");
    let (code, r) = verify(
        &format!("Authorization: Bearer {t} extra"),
        &config(&s, json!({})),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        engine(&r),
        (
            "invalid-headers".into(),
            "Malformed Authorization header".into()
        )
    );
    let (code, _) = verify(&format!("id_token: {t}"), &config(&s, json!({})), &[]);
    assert_eq!(
        code, 0,
        "a label that is no header the engine reads is not taken as the location"
    );
}

#[test]
fn claims_map_entries_that_are_not_session_variables() {
    let s = server();
    let cfg = config(
        &s,
        json!({"claims_format": null, "claims_map": {
            "x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user", "user-id": {"path": "$.uid"}
        }}),
    );
    let (code, r) = verify(&id_token(json!({})), &cfg, &[]);
    assert_eq!(code, 1, "older engines require the entry: {r:#}");
    assert_eq!(engine(&r).1, "JWT claim from claims_map, user-id not found");
    let (code, _) = verify(&id_token(json!({})), &cfg, &["--hasura-messages", "quoted"]);
    assert_eq!(code, 0, "newer engines drop it");
}

#[test]
fn duplicated_names_inside_stringified_claims_are_ambiguous() {
    let s = server();
    let claims = r#"{"x-hasura-allowed-roles":["user","admin"],"x-hasura-default-role":"user","x-hasura-default-role":"admin"}"#;
    let (code, r) = verify(
        &id_token(json!({"https://hasura.io/jwt/claims": claims})),
        &config(&s, json!({})),
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(
        r["hasura"]["role"], "user",
        "the engine keeps the first value"
    );
    assert_eq!(status(&r, "format"), "warn");
}

#[test]
fn secrets_that_differ_only_in_what_the_engine_ignores_are_one() {
    let s = server();
    let a = config(&s, json!({}));
    let b = config(
        &s,
        json!({"foo": 1, "claims_namespace": "https://hasura.io/jwt/claims"}),
    );
    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "verify",
                &id_token(json!({})),
                "--hasura-config",
                &json!([a, b]).to_string(),
                "--now",
                &NOW.to_string(),
            ])
            .arg("--cache-dir")
            .arg(cache.path()),
    );
    assert_eq!(code, 0, "{r:#}");
}

/// When the engine rejects the token there is no session: the policy rows that need one are not
/// checked and say why, whichever step rejected it (an expired token, a claims_format mismatch,
/// an issuer mismatch, which the engine refuses before it reads the token).
#[test]
fn an_engine_rejection_leaves_the_session_rows_of_the_policy_not_checked() {
    let s = server();
    let policy = [
        "--require-claim",
        "x-hasura-user-id",
        "--claim-equals",
        "x-hasura-user-id=sub",
        "--expect-token-use",
        "id",
    ];
    let cases = [
        (
            "expired",
            id_token(json!({"iat": NOW - 7200, "exp": NOW - 3600})),
            config(&s, json!({})),
        ),
        (
            "claims_format",
            id_token(json!({})),
            config(&s, json!({"claims_format": "json"})),
        ),
        (
            "issuer",
            id_token(json!({})),
            config(&s, json!({"issuer": "https://issuer.example.com"})),
        ),
    ];
    for (what, token, cfg) in cases {
        let (code, r) = verify(&token, &cfg, &policy);
        assert_eq!(code, 1, "{what}: {r:#}");
        assert!(
            r["summary"]
                .as_str()
                .unwrap()
                .starts_with("Hasura rejects this token"),
            "{what}: {r:#}"
        );
        for id in ["policy.require_claim", "policy.claim_equals"] {
            let rows = checks(&r, id);
            assert_eq!(rows.len(), 1, "{what}: {id}: {r:#}");
            assert_eq!(rows[0]["status"], "skip", "{what}: {id}: {r:#}");
            let message = rows[0]["message"].as_str().unwrap();
            assert!(
                message.starts_with("not checked: Hasura rejects the token"),
                "{what}: {id}: {message}"
            );
        }
        // The token's own rows are still checked where the token could be read.
        assert_eq!(status(&r, "policy.token_use"), "pass", "{what}: {r:#}");
    }
}

#[test]
fn the_cognito_endpoint_serves_a_cognito_jwk_url_and_the_dev_kit_pool_points_at_it() {
    // A Cognito-shaped jwk_url goes to JWTCHECK_COGNITO_ENDPOINT when it is set.
    let s = Server::start();
    let path = "/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";
    serve_json(&s, path, &sample_jwks(), &[("Cache-Control", "max-age=60")]);
    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--hasura-config",
                &at_sample("hasura-jwt-secret.json"),
                "--now",
                &NOW.to_string(),
            ],
        )
        .env("JWTCHECK_COGNITO_ENDPOINT", s.url("")),
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(s.hits(path), 1);
    // A dev kit token and no key flags: not sent to AWS, but told where its keys are.
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let keys = keys.to_str().unwrap();
    let (code, _, err) = run(jwtcheck().args(["keygen", "--out", keys]));
    assert_eq!(code, 0, "{err}");
    let (code, token, err) = run(jwtcheck().args(["mint", "--key", keys]));
    assert_eq!(code, 0, "{err}");
    let token = token.trim();
    let (code, out, _) = run(&mut jwtcheck_cached(&cache, &["verify", token]));
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        first_line(&out),
        "USAGE ERROR  the token comes from the dev kit's pool us-east-1_LocalDev1, whose keys are not on AWS"
    );
    assert!(
        out.contains("JWTCHECK_COGNITO_ENDPOINT=http://127.0.0.1:8977"),
        "{out}"
    );
    let dev: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("keys/jwks.json")).unwrap())
            .unwrap();
    serve_json(&s, "/us-east-1_LocalDev1/.well-known/jwks.json", &dev, &[]);
    let (code, out, _) = run(
        jwtcheck_cached(&cache, &["verify", token]).env("JWTCHECK_COGNITO_ENDPOINT", s.url(""))
    );
    assert_eq!(code, 0, "{out}");
}
