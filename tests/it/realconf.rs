//! Real configurations and key sets (issue 34): shapes found in Hasura's docs, public
//! repositories and issue threads that jwtcheck judged differently from the engines. Every value
//! here is made up, in the same shape.

use crate::support::*;
use serde_json::{Value, json};

/// `check` with these arguments at the sample time: (exit code, JSON report).
fn check(args: &[&str]) -> (i32, Value) {
    let cache = cache_dir();
    run_json(
        jwtcheck()
            .arg("check")
            .args(args)
            .args(["--now", SAMPLE_NOW])
            .arg("--cache-dir")
            .arg(cache.path()),
    )
}

/// The first failing check, across the report's sections.
fn first_problem(r: &Value) -> Value {
    ["config", "keyset", "keys"]
        .iter()
        .flat_map(|s| r[*s]["checks"].as_array().cloned().unwrap_or_default())
        .find(|c| c["status"] == "fail")
        .unwrap_or(Value::Null)
}

/// A v2 configuration with the sample RSA public key as its `key`, written by `shape`.
fn static_key_config(shape: impl Fn(&str) -> String) -> String {
    let pem = crate::support::sign::key_text("rsa-pool-id.pub.pem");
    json!({"type": "RS256", "key": shape(&pem), "claims_format": "stringified_json"}).to_string()
}

#[test]
fn a_pem_written_on_one_line_is_refused_as_the_engine_refuses_it() {
    let one_line = static_key_config(|pem| pem.lines().collect::<String>());
    let (code, r) = check(&["--hasura-config", &one_line]);
    assert_eq!(code, 2, "{r:#}");
    let problem = first_problem(&r);
    assert_eq!(problem["id"], "hasura.startup", "{r:#}");
    let message = problem["message"].as_str().unwrap();
    assert!(
        message.contains(
            "Invalid JWK: Could not decode PEM: invalid PEM delimiter found invalid PEM delimiter found"
        ),
        "{message}"
    );
    let hint = problem["hint"].as_str().unwrap();
    assert!(hint.contains("the base64 on its own lines"), "{hint}");
    // The same key on lines starts, as it does in the engine.
    let (code, r) = check(&["--hasura-config", &static_key_config(str::to_string)]);
    assert_ne!(code, 2, "{r:#}");
    assert_ne!(first_problem(&r)["id"], "hasura.startup", "{r:#}");
    // A space after the BEGIN line's dashes is refused the same way.
    let trailing = static_key_config(|pem| pem.replacen("KEY-----\n", "KEY----- \n", 1));
    let (code, r) = check(&["--hasura-config", &trailing]);
    assert_eq!(code, 2, "{r:#}");
    assert!(
        first_problem(&r)["message"]
            .as_str()
            .unwrap()
            .contains("invalid PEM delimiter found")
    );
}

/// A v4 alternative mode that verifies with a fixed HS256 secret.
fn jwt_alternative(id: &str) -> String {
    format!(
        "    - identifier: {id}\n      config:\n        jwt:\n          key:\n            fixed:\n              algorithm: HS256\n              key:\n                value: a-made-up-secret-of-at-least-32-bytes\n          tokenLocation:\n            type: BearerAuthorization\n          claimsConfig:\n            namespace:\n              claimsFormat: Json\n              location: /claims.jwt.hasura.io\n"
    )
}

#[test]
fn ddn_auth_configs_in_webhook_or_no_auth_mode_are_not_called_invalid() {
    let webhook = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    webhook:\n      url:\n        value: http://auth-hook.example:3050/validate-request\n      method: POST\n";
    let no_auth = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    noAuth:\n      role: admin\n      sessionVariables: {}\n";
    for (config, mode) in [(webhook, "webhook"), (no_auth, "noAuth")] {
        let (code, r) = check(&["--hasura-config", config]);
        assert_eq!(code, 2, "{r:#}");
        assert_eq!(r["error"]["id"], "usage.ddn_mode", "{r:#}");
        let message = r["error"]["message"].as_str().unwrap();
        assert_eq!(
            message,
            format!("this AuthConfig does not use JWT: its mode is {mode}")
        );
        assert!(!r.to_string().contains("refuse"), "{r:#}");
    }
    // v4: the default mode is a webhook and two alternative modes use JWT: name them.
    let v4 = format!(
        "kind: AuthConfig\nversion: v4\ndefinition:\n  mode:\n    webhook:\n      url:\n        value: http://auth-hook.example:3050/validate-request\n      method: GET\n  alternativeModes:\n{}{}",
        jwt_alternative("staff"),
        jwt_alternative("partners")
    );
    let (code, r) = check(&["--hasura-config", &v4]);
    assert_eq!(code, 2, "{r:#}");
    assert_eq!(r["error"]["id"], "usage.ddn_mode", "{r:#}");
    assert_eq!(
        r["error"]["message"],
        "the default mode is webhook; the alternative modes staff, partners use JWT"
    );
    assert!(
        r["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("--ddn-auth-mode (staff, partners)")
    );
    // Naming one of them judges it.
    let (code, r) = check(&["--hasura-config", &v4, "--ddn-auth-mode", "partners"]);
    assert_ne!(code, 2, "{r:#}");
}

/// The public JWK of a fixture key with its `n` written in padded base64url, as one published
/// key set does: jwtcheck cannot read it.
fn padded_jwk(pub_pem: &str, kid: &str) -> Value {
    let mut jwk = crate::support::sign::public_jwk(pub_pem, Some(kid), Some("RS256"));
    let n = jwk["n"].as_str().unwrap().to_string();
    let pad = "=".repeat((4 - n.len() % 4) % 4);
    assert!(!pad.is_empty(), "a 2048-bit modulus needs padding");
    jwk["n"] = json!(format!("{n}{pad}"));
    jwk
}

/// `verify` of a token signed by `rsa-other` (kid "padded") with the key set `set` as a file.
fn verify_padded_kid(set: &Value) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, set.to_string()).unwrap();
    let token = crate::support::sign::sign(
        "RS256",
        "rsa-other",
        r#"{"alg":"RS256","kid":"padded"}"#,
        r#"{"sub":"u","exp":1900000000}"#,
    );
    run_json(
        jwtcheck()
            .args(["verify", &token, "--now", SAMPLE_NOW, "--jwks"])
            .arg(&file),
    )
}

#[test]
fn a_token_whose_kid_names_an_unreadable_key_is_undecidable_whatever_the_other_keys() {
    let padded = padded_jwk("rsa-other.pub.pem", "padded");
    let readable =
        crate::support::sign::public_jwk("rsa-pool-id.pub.pem", Some("readable"), Some("RS256"));
    for set in [
        json!({"keys": [padded.clone()]}),
        json!({"keys": [readable, padded.clone()]}),
    ] {
        let (code, r) = verify_padded_kid(&set);
        assert_eq!(code, 3, "{set}: {r:#}");
        assert_eq!(r["verdict"], "undecidable", "{r:#}");
        assert_eq!(r["error"]["id"], "keys.unusable", "{r:#}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("\"padded\""),
            "{r:#}"
        );
    }
}

/// A key set of three 1024-bit RSA keys whose `n` carries a leading zero byte.
fn small_keys_with_leading_zeros() -> Value {
    let mut jwk = crate::support::sign::public_jwk("rsa-1024.pub.pem", None, Some("RS256"));
    let n = jwtcheck::jose::base64url::decode(jwk["n"].as_str().unwrap()).unwrap();
    let mut zero = vec![0u8];
    zero.extend(n);
    jwk["n"] = json!(jwtcheck::jose::base64url::encode(&zero));
    let keys: Vec<Value> = ["one", "two", "three"]
        .iter()
        .map(|kid| {
            let mut k = jwk.clone();
            k["kid"] = json!(kid);
            k
        })
        .collect();
    json!({ "keys": keys })
}

#[test]
fn a_key_set_with_no_usable_key_is_not_valid_and_its_sizes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, small_keys_with_leading_zeros().to_string()).unwrap();
    let (code, r) = run_json(jwtcheck().arg("jwks").arg(&file));
    assert_eq!(code, 1, "{r:#}");
    assert_ne!(r["verdict"], "valid", "{r:#}");
    let failed: Vec<&Value> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert_eq!(failed[0]["id"], "keys.unusable", "{r:#}");
    let sizes: Vec<&str> = failed
        .iter()
        .filter(|c| c["id"] == "lint.rsa_size")
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(sizes.len(), 3, "{r:#}");
    assert!(sizes[0].contains("RSA-1024, under 2048 bits"), "{sizes:?}");
    // Each row keeps what the document says (item 16).
    let rows = r["keyset"]["keys"].as_array().unwrap();
    assert_eq!(rows[0]["alg"], "RS256", "{r:#}");
    assert_eq!(rows[0]["use"], "sig", "{r:#}");
    assert_eq!(rows[0]["bits"], 1024, "{r:#}");
    // The padding complaint speaks of the key, not only of a JWT.
    let padded = json!({"keys": [padded_jwk("rsa-other.pub.pem", "padded")]});
    std::fs::write(&file, padded.to_string()).unwrap();
    let (_, r) = run_json(jwtcheck().arg("jwks").arg(&file));
    assert!(
        r.to_string()
            .contains("base64url in a JWT or a JWK carries no padding"),
        "{r:#}"
    );
}

#[test]
fn a_namespace_path_written_as_the_namespace_uri_gets_the_bracketed_uri_as_its_fix() {
    for path in [
        "https://hasura.io/jwt/claims",
        "$.https://hasura.io/jwt/claims",
    ] {
        let config = json!({
            "type": "HS256",
            "key": "a-made-up-secret-of-at-least-32-bytes",
            "claims_namespace_path": path,
        })
        .to_string();
        let (code, r) = check(&["--hasura-config", &config]);
        assert_eq!(code, 2, "{r:#}");
        let problem = first_problem(&r);
        assert_eq!(problem["id"], "hasura.startup", "{r:#}");
        let hint = problem["hint"].as_str().unwrap();
        assert!(
            hint.contains("write $['https://hasura.io/jwt/claims']"),
            "{hint}"
        );
    }
}

#[test]
fn a_ddn_location_with_an_unescaped_uri_is_named_with_its_escaped_form() {
    let config = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      audience: [made-up-client]\n      issuer: https://issuer.example\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: a-made-up-secret-of-at-least-32-bytes\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /https://hasura.io/jwt/claims\n";
    let (code, r) = check(&["--hasura-config", config]);
    assert_eq!(code, 1, "{r:#}");
    let problem = first_problem(&r);
    assert_eq!(problem["id"], "lint.ddn_pointer", "{r:#}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("500 (Hasura claims not found)")
    );
    assert!(
        problem["hint"]
            .as_str()
            .unwrap()
            .ends_with("write location: /https:~1~1hasura.io~1jwt~1claims"),
        "{problem:#}"
    );
}

#[test]
fn a_ddn_header_location_named_authorization_suggests_bearer_authorization() {
    let config = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      audience: [made-up-client]\n      issuer: https://issuer.example\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: a-made-up-secret-of-at-least-32-bytes\n      tokenLocation:\n        type: Header\n        name: Authorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n";
    let (_, r) = check(&["--hasura-config", config]);
    let warned: Vec<&Value> = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "lint.tokens" && c["status"] == "warn")
        .collect();
    let header = warned
        .iter()
        .find(|c| {
            c["message"]
                .as_str()
                .unwrap()
                .contains("tokenLocation Header")
        })
        .unwrap_or_else(|| panic!("{r:#}"));
    assert!(
        header["hint"]
            .as_str()
            .unwrap()
            .contains("BearerAuthorization"),
        "{header:#}"
    );
}

/// A DDN AuthConfig with a fixed HS256 secret, no audience and no issuer.
const DDN_HS256_NO_AUDIENCE: &str = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: a-made-up-secret-of-at-least-32-bytes\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n";

/// An HS256 token under [`DDN_HS256_NO_AUDIENCE`], with `extra` claims.
fn hs256_token(extra: Value) -> String {
    let mut claims = json!({
        "sub": "made-up-user",
        "exp": 1_900_000_000,
        "claims.jwt.hasura.io": {"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"]},
    });
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    crate::support::sign::sign_hmac_raw(
        "HS256",
        b"a-made-up-secret-of-at-least-32-bytes",
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims.to_string(),
    )
}

fn audience_lint(r: &Value) -> Value {
    r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.audience")
        .cloned()
        .unwrap_or_else(|| panic!("{r:#}"))
}

#[test]
fn a_ddn_config_without_audience_fails_only_when_a_sample_token_has_aud() {
    // No sample token: a warning, and no word of Cognito for a non-Cognito setup.
    let (code, r) = check(&["--hasura-config", DDN_HS256_NO_AUDIENCE]);
    assert_ne!(code, 1, "{r:#}");
    let lint = audience_lint(&r);
    assert_eq!(lint["status"], "warn", "{r:#}");
    assert!(!lint.to_string().contains("Cognito"), "{lint:#}");
    // A sample token without aud: still a warning, and the token is accepted.
    let (code, r) = check(&[
        "--hasura-config",
        DDN_HS256_NO_AUDIENCE,
        "--token",
        &hs256_token(json!({})),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(audience_lint(&r)["status"], "warn", "{r:#}");
    // A sample token with aud: DDN refuses it, and the lint fails.
    let (code, r) = check(&[
        "--hasura-config",
        DDN_HS256_NO_AUDIENCE,
        "--token",
        &hs256_token(json!({"aud": "made-up-client"})),
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(audience_lint(&r)["status"], "fail", "{r:#}");
}

#[test]
fn decode_calls_aud_the_app_client_id_only_in_a_cognito_token() {
    let aud_meaning = |token: &str| {
        let (code, r) = run_json(jwtcheck().args(["decode", token, "--now", SAMPLE_NOW]));
        assert_eq!(code, 0, "{r:#}");
        r["token"]["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "aud")
            .map(|c| c["meaning"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{r:#}"))
    };
    let other = aud_meaning(&hs256_token(
        json!({"aud": "made-up-client", "iss": "https://issuer.example"}),
    ));
    assert_eq!(other, "audience: who the token is for");
    let cognito = aud_meaning(&at_sample("id-token.jwt"));
    assert!(
        cognito.contains("Cognito id token: the app client id"),
        "{cognito}"
    );
}

#[test]
fn a_lint_said_of_several_keys_is_one_line_with_the_count_and_the_kids() {
    let keys: Vec<Value> = [
        ("rsa-pool-id.pub.pem", "first"),
        ("rsa-pool-access.pub.pem", "second"),
        ("rsa-other.pub.pem", "third"),
    ]
    .iter()
    .map(|(pem, kid)| crate::support::sign::public_jwk(pem, Some(kid), None))
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, json!({ "keys": keys }).to_string()).unwrap();
    let (code, r) = run_json(jwtcheck().arg("jwks").arg(&file));
    assert_eq!(code, 0, "{r:#}");
    let alg: Vec<&Value> = checks(&r, "lint.alg_missing");
    assert_eq!(alg.len(), 1, "{r:#}");
    assert_eq!(
        alg[0]["message"],
        "3 keys have no alg (kid \"first\", kid \"second\", kid \"third\")"
    );
}

/// The `lint.config_claims_map` warnings of `check` on a v2 configuration with this claims_map.
fn claims_map_warnings(claims_map: Value) -> Vec<String> {
    let config = json!({
        "type": "HS256",
        "key": "a-made-up-secret-of-at-least-32-bytes",
        "claims_map": claims_map,
    })
    .to_string();
    let (code, r) = check(&["--hasura-config", &config]);
    assert_ne!(code, 2, "{r:#}");
    r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "lint.config_claims_map" && c["status"] == "warn")
        .map(|c| format!("{} | {}", c["message"], c["hint"]))
        .collect()
}

#[test]
fn a_claims_map_path_in_brackets_and_an_empty_default_are_named() {
    let warnings = claims_map_warnings(json!({
        "x-hasura-allowed-roles": {"path": "[\"$.org\"]", "default": []},
        "x-hasura-default-role": "user",
        "x-hasura-user-id": {"path": "$.sub"},
    }));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("literally called \\\"$.org\\\"")
                && w.contains("write the path itself")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("defaults to []")
            && w.contains("Your requested role is not in allowed roles")),
        "{warnings:#?}"
    );
    // A default role outside the default allowed roles.
    let warnings = claims_map_warnings(json!({
        "x-hasura-allowed-roles": {"path": "$.roles", "default": ["viewer"]},
        "x-hasura-default-role": "user",
    }));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("is not among the allowed roles")),
        "{warnings:#?}"
    );
}

#[test]
fn claims_map_literals_where_a_path_was_meant_are_warned() {
    let warnings = claims_map_warnings(json!({
        "x-hasura-allowed-roles": ["user", "admin"],
        "x-hasura-default-role": "user",
        "x-hasura-user-id": "user_id",
    }));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("x-hasura-user-id is the literal \\\"user_id\\\"")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("may take the role \\\"admin\\\"")),
        "{warnings:#?}"
    );
    // Paths draw no such warning.
    let warnings = claims_map_warnings(json!({
        "x-hasura-allowed-roles": {"path": "$.roles"},
        "x-hasura-default-role": {"path": "$.role"},
        "x-hasura-user-id": {"path": "$.sub"},
    }));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// A DDN AuthConfig with a fixed RS256 key written as `value`.
fn ddn_fixed_rs256(value: &str) -> String {
    format!(
        "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      audience: [made-up-client]\n      issuer: https://issuer.example\n      key:\n        fixed:\n          algorithm: RS256\n          key:\n            value: {value}\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n"
    )
}

#[test]
fn ddn_fixed_keys_its_library_cannot_read_are_named() {
    let pem = crate::support::sign::key_text("rsa-pool-id.pub.pem");
    let escaped = format!("'{}'", pem.trim().replace('\n', "\\n"));
    for (value, says) in [
        (escaped.as_str(), "the two characters \\n"),
        ("public-key", "not a PEM key"),
    ] {
        let (code, r) = check(&["--hasura-config", &ddn_fixed_rs256(value)]);
        assert_eq!(code, 1, "{value}: {r:#}");
        let problem = first_problem(&r);
        assert_eq!(problem["id"], "lint.key", "{r:#}");
        let message = problem["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
        assert!(message.contains("500 (InvalidKeyFormat)"), "{message}");
    }
    // The same key as a block scalar is read.
    let block = format!(
        "|\n{}",
        pem.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    );
    let (_, r) = check(&["--hasura-config", &ddn_fixed_rs256(block.trim_end())]);
    assert_ne!(first_problem(&r)["id"], "lint.key", "{r:#}");
}

#[test]
fn a_ddn_fixed_rsa_key_under_2048_bits_is_named() {
    let pem = crate::support::sign::key_text("rsa-1024.pub.pem");
    let block = format!(
        "|\n{}",
        pem.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    );
    let (code, r) = check(&["--hasura-config", &ddn_fixed_rs256(block.trim_end())]);
    assert_eq!(code, 1, "{r:#}");
    let problem = first_problem(&r);
    assert_eq!(problem["id"], "lint.rsa_size", "{r:#}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("RSA-1024: DDN's JWT library"),
        "{problem:#}"
    );
}

#[test]
fn a_jwt_secrets_list_is_not_called_refused_by_the_ddn_translation() {
    let entry = |iss: &str| json!({"type": "HS256", "key": "a-made-up-secret-of-at-least-32-bytes", "issuer": iss});
    let two = json!([entry("https://one.example"), entry("https://two.example")]).to_string();
    let (code, out, err) = run(jwtcheck().args(["hasura-config", &two, "--to", "ddn"]));
    let err = format!("{out}{err}");
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("refuses"), "{err}");
    assert!(
        err.contains("HASURA_GRAPHQL_JWT_SECRETS list of 2 configurations"),
        "{err}"
    );
    assert!(err.contains("alternativeModes"), "{err}");
    // A list of one entry is that entry.
    let one = json!([entry("https://one.example")]).to_string();
    let (code, out, err) = run(jwtcheck().args(["hasura-config", &one, "--to", "ddn"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind: AuthConfig"), "{out}");
}

#[test]
fn the_v2_translation_of_a_ddn_fixed_key_v2_refuses_is_not_a_success() {
    // DDN's library reads a PEM written on one line; the v2 engine does not.
    let pem = crate::support::sign::key_text("rsa-pool-id.pub.pem");
    let one_line = format!("\"{}\"", pem.lines().collect::<String>());
    let config = ddn_fixed_rs256(&one_line);
    let (code, out, err) = run(jwtcheck().args(["hasura-config", &config, "--to", "v2"]));
    let said = format!("{out}{err}");
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("invalid PEM delimiter found"), "{said}");
    // On lines, it translates.
    let block = format!(
        "|\n{}",
        pem.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    );
    let (code, out, err) = run(jwtcheck().args([
        "hasura-config",
        &ddn_fixed_rs256(block.trim_end()),
        "--to",
        "v2",
    ]));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn the_ddn_translation_of_an_rsa_key_under_2048_bits_says_ddn_refuses_it() {
    let pem = crate::support::sign::key_text("rsa-1024.pub.pem");
    let config = json!({"type": "RS256", "key": pem}).to_string();
    let (code, out, err) = run(jwtcheck().args(["hasura-config", &config, "--to", "ddn"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("RSA-1024: v2 verifies with it, but DDN's JWT library"),
        "{out}"
    );
}

#[test]
fn a_ddn_key_set_with_an_rsa_key_under_2048_bits_says_ddn_accepts_none_of_its_tokens() {
    let server = Server::start();
    let jwk = crate::support::sign::public_jwk("rsa-1024.pub.pem", Some("small"), Some("RS256"));
    serve_json(&server, "/jwks.json", &json!({"keys": [jwk]}), &[]);
    let config = format!(
        "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      audience: [made-up-client]\n      issuer: https://issuer.example\n      key:\n        jwkFromUrl: {}\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n",
        server.url("/jwks.json")
    );
    let (code, r) = check(&["--hasura-config", &config]);
    assert_eq!(code, 1, "{r:#}");
    let size = r["keyset"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.rsa_size")
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(size["status"], "fail");
    assert!(
        size["message"]
            .as_str()
            .unwrap()
            .contains("DDN accepts none of its tokens"),
        "{size:#}"
    );
}

/// A DDN AuthConfig with a fixed ES256 key written as a block scalar of `pem`.
fn ddn_fixed_es256_block(pem: &str) -> String {
    let block: String = pem
        .lines()
        .map(|l| format!("              {l}\n"))
        .collect();
    format!(
        "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      key:\n        fixed:\n          algorithm: ES256\n          key:\n            value: |\n{block}      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n"
    )
}

/// #34 item 8, a stray `"` in a DDN `fixed` key, decided by running DDN's library: a scratch
/// project (outside this repository) with `jsonwebtoken = "=9.3.1"` (pem 3.0.6), the library
/// DDN's `get_decoding_key` (`v3/crates/auth/hasura-authn-jwt/src/jwt.rs`) calls, ran
/// `DecodingKey::from_ec_pem` on the bytes: a `"` before `-----BEGIN` (or after `-----END`),
/// junk or spaces there, one line, and `\r\n` are all read (`ok`); a `"` after the BEGIN line or
/// before the END line is `InvalidKeyFormat`. So DDN accepts the first, and answers every
/// request 500 for the second; jwtcheck's check says the same, naming the quote. (Hasura v2's
/// pem reader refuses both: `hasura-config --to v2` is no success for either.)
#[test]
fn a_stray_quote_in_a_ddn_fixed_key_is_judged_as_ddns_library_reads_it() {
    let pem = crate::support::sign::key_text("ec-p256.pub.pem");
    let leading = ddn_fixed_es256_block(&format!("\"{}", pem.trim()));
    let (code, r) = check(&["--hasura-config", &leading]);
    assert_eq!(code, 0, "{r:#}");
    let claims = json!({
        "sub": "u-1", "exp": 1_795_516_200, "iat": 1_795_512_000,
        "claims.jwt.hasura.io": {"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"]},
    });
    let token = crate::support::sign::sign(
        "ES256",
        "ec-p256",
        r#"{"alg":"ES256"}"#,
        &claims.to_string(),
    );
    let (code, r) = verify_under(&leading, &token, &[]);
    assert_eq!(code, 0, "{r:#}");

    let (begin, rest) = pem.trim().split_once('\n').unwrap();
    let inside = ddn_fixed_es256_block(&format!("{begin}\"\n{rest}"));
    let (code, r) = check(&["--hasura-config", &inside]);
    assert_eq!(code, 1, "{r:#}");
    let problem = first_problem(&r);
    assert_eq!(problem["id"], "lint.key", "{r:#}");
    let message = problem["message"].as_str().unwrap();
    assert!(message.contains("a stray \" inside the PEM"), "{message}");
    assert!(message.contains("500 (InvalidKeyFormat)"), "{message}");

    for config in [&leading, &inside] {
        let (code, _, _) = run(jwtcheck().args(["hasura-config", config, "--to", "v2"]));
        assert_eq!(code, 2);
    }
}

/// #34 item 11, confirmed by running DDN's library (jsonwebtoken 9.3.1 with ring 0.17.14, in a
/// scratch project outside this repository): `DecodingKey::from_rsa_pem` and `from_jwk` read an
/// RSA-1024 key, and `decode` then answers `InvalidSignature` even for a genuine signature
/// (`tests/fixtures/tokens/rs256-rsa1024.jwt`); the same for an 8704-bit key with a genuine
/// signature and an 8200-bit JWK, for ring verifies RSA with 2048 to 8192 bits only. DDN's
/// `categorize_jwt_error` makes that a 400 `JWT validation error: InvalidSignature`; jwtcheck
/// names the key's size as the cause, for a fixed key and for a `jwkFromUrl` key.
#[test]
fn ddn_refuses_tokens_of_rsa_keys_outside_2048_to_8192_bits_with_invalid_signature() {
    use base64::Engine as _;
    let token = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tokens/rs256-rsa1024.jwt"),
    )
    .unwrap();
    let token = token.trim();
    let pem = crate::support::sign::key_text("rsa-1024.pub.pem");
    let block = format!(
        "|\n{}",
        pem.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    );
    let config = ddn_fixed_rs256(block.trim_end()).replace(
        "      audience: [made-up-client]\n      issuer: https://issuer.example\n",
        "",
    );
    let (code, r) = verify_under(&config, token, &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["hasura"]["engine_code"], "400");
    assert_eq!(
        r["hasura"]["engine_error"],
        "JWT validation error: InvalidSignature"
    );
    let sig = checks(&r, "signature");
    assert!(
        sig[0]["message"].as_str().unwrap().starts_with("the key is RSA-1024: DDN's JWT library verifies with RSA keys of 2048 bits or more only"),
        "{r:#}"
    );

    // jwkFromUrl: the signature does not matter, the size decides.
    let server = Server::start();
    let small = crate::support::sign::public_jwk("rsa-1024.pub.pem", Some("small"), Some("RS256"));
    let big = json!({"kty": "RSA", "kid": "big", "alg": "RS256", "use": "sig",
        "n": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xC5u8; 1025]), "e": "AQAB"});
    serve_json(&server, "/jwks.json", &json!({"keys": [small, big]}), &[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth-config.hml");
    std::fs::write(
        &path,
        format!(
            "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      key:\n        jwkFromUrl: {}\n      tokenLocation:\n        type: BearerAuthorization\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /claims.jwt.hasura.io\n",
            server.url("/jwks.json")
        ),
    )
    .unwrap();
    let config = format!("@{}", path.display());
    let (_, rest) = token.split_once('.').unwrap();
    for (kid, says) in [
        (
            "small",
            "the key is RSA-1024: DDN's JWT library verifies with RSA keys of 2048 bits or more only",
        ),
        (
            "big",
            "the key is RSA-8200: DDN's JWT library verifies with RSA keys of at most 8192 bits only",
        ),
    ] {
        let header = crate::support::sign::b64(&format!(r#"{{"alg":"RS256","kid":"{kid}"}}"#));
        let (code, r) = verify_under(&config, &format!("{header}.{rest}"), &[]);
        assert_eq!(code, 1, "{kid}: {r:#}");
        assert_eq!(
            r["hasura"]["engine_error"], "JWT validation error: InvalidSignature",
            "{kid}"
        );
        let sig = checks(&r, "signature");
        assert!(
            sig[0]["message"].as_str().unwrap().starts_with(says),
            "{kid}: {r:#}"
        );
    }

    // check: a set key over 8192 bits is no "cannot tell" warning under DDN, but a failure.
    let (code, r) = check(&["--hasura-config", &config]);
    assert_eq!(code, 1, "{r:#}");
    let big_row = r["keyset"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.rsa_size" && c["message"].as_str().unwrap().contains("8200"))
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(big_row["status"], "fail", "{big_row:#}");
    assert!(
        big_row["message"]
            .as_str()
            .unwrap()
            .ends_with("DDN's JWT library verifies with RSA keys of at most 8192 bits only, so DDN accepts none of its tokens"),
        "{big_row:#}"
    );

    // The v2 -> DDN translation and DDN's check say so for a key over 8192 bits too.
    let big = crate::support::sign::key_text("rsa-8704.pub.pem");
    let v2 = json!({"type": "RS256", "key": big}).to_string();
    let (code, out, err) = run(jwtcheck().args(["hasura-config", &v2, "--to", "ddn"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("RSA-8704: v2 verifies with it, but DDN's JWT library verifies with RSA keys of at most 8192 bits only"),
        "{out}"
    );
    let block = format!(
        "|\n{}",
        big.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    );
    let (code, r) = check(&["--hasura-config", &ddn_fixed_rs256(block.trim_end())]);
    assert_eq!(code, 1, "{r:#}");
    let problem = first_problem(&r);
    assert_eq!(problem["id"], "lint.rsa_size", "{r:#}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("RSA-8704: DDN's JWT library verifies with RSA keys of at most 8192"),
        "{problem:#}"
    );
}
