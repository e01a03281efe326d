//! The first problem line names the root cause users actually hit, and its hint fits the
//! situation: tokens and configurations shaped like the ones posted in Hasura's issue tracker
//! and Q&A threads.

use crate::support::sign::{b64, key_text, sign, sign_hmac_raw};
use crate::support::*;
use serde_json::{Value, json};

const NOW: i64 = 1_795_512_600; // 2026-11-24T09:30:00Z

fn claims(extra: Value) -> String {
    let mut p = json!({
        "sub": "u-1", "iss": POOL_ISS, "token_use": "id", "iat": NOW - 60, "exp": NOW + 3540,
        "https://hasura.io/jwt/claims": {"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user", "editor"]},
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            p.as_object_mut().unwrap().remove(k);
        } else {
            p[k] = v.clone();
        }
    }
    p.to_string()
}

fn rsa_config(extra: Value) -> String {
    let mut c = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem")});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c.to_string()
}

fn hasura(token: &str, config: &str, extra: &[&str]) -> (i32, Value) {
    run_json(
        jwtcheck()
            .args([
                "verify",
                token,
                "--hasura-config",
                config,
                "--now",
                &NOW.to_string(),
            ])
            .args(extra),
    )
}

/// The first failing check: (message, hint).
fn first_problem(r: &Value) -> (String, String) {
    let c = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "fail")
        .unwrap_or_else(|| panic!("no failing check: {r:#}"));
    (
        c["message"].as_str().unwrap().to_string(),
        c["hint"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn a_numeric_sub_is_a_typed_claim_not_damage() {
    // Hasura issue #5558: "sub": 1234 from a custom issuer.
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({"sub": 1234})),
    );
    let (code, r) = hasura(&token, &rsa_config(json!({})), &[]);
    assert_eq!(code, 1);
    let (message, hint) = first_problem(&r);
    assert_eq!(
        message,
        "Hasura cannot decode the token: sub is 1234 (a number), but the engine (jose) reads sub as a string (StringOrURI: with a ':' it must be a URI)"
    );
    assert!(hint.starts_with("the token is not damaged"), "{hint}");
}

#[test]
fn x_hasura_role_in_the_token_has_no_effect() {
    let body = claims(json!({"https://hasura.io/jwt/claims": {
        "x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user", "editor"], "x-hasura-role": "editor"}}));
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &body);
    let (code, r) = hasura(&token, &rsa_config(json!({})), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["hasura"]["role"], "user");
    let warning = checks(&r, "hasura.role")
        .into_iter()
        .find(|c| c["status"] == "warn")
        .unwrap();
    assert_eq!(
        warning["message"],
        "the token's x-hasura-role (editor) has no effect: the request runs as user, from the default role (no x-hasura-role header)"
    );
    assert!(
        warning["hint"]
            .as_str()
            .unwrap()
            .contains("'x-hasura-role: editor' (jwtcheck: --role editor)")
    );
}

#[test]
fn a_token_cut_when_copied_is_named_as_cut() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({})),
    );
    // Two characters fewer: 342 base64url characters (256 bytes) become 340 (255 bytes).
    let cut = &token[..token.len() - 2];
    let (code, r) = hasura(cut, &rsa_config(json!({})), &[]);
    assert_eq!(code, 1);
    let (message, hint) = first_problem(&r);
    assert_eq!(
        message,
        "the token was cut: the signature is 255 bytes, but an RS256 signature by an RSA-2048 key is 256"
    );
    assert!(hint.starts_with("copy the whole token again"), "{hint}");
    // The same without a Hasura configuration.
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", cut, "--now", &NOW.to_string(), "--key"])
            .arg(crate::support::sign::key_path("rsa-pool-id.pub.pem")),
    );
    assert_eq!(code, 1);
    assert_eq!(first_problem(&r).0, message);
}

#[test]
fn an_hmac_mismatch_says_the_secrets_differ_with_a_fingerprint() {
    let secret = "the-issuers-secret-is-thirty-two-bytes-long";
    let token = sign_hmac_raw(
        "HS256",
        secret.as_bytes(),
        r#"{"alg":"HS256"}"#,
        &claims(json!({})),
    );
    let configured = "the-configured-secret-is-also-long-enough!";
    let config = json!({"type": "HS256", "key": configured}).to_string();
    let (code, r) = hasura(&token, &config, &[]);
    assert_eq!(code, 1);
    let (message, hint) = first_problem(&r);
    assert_eq!(message, "no configured key verifies the HS256 signature");
    assert!(
        hint.starts_with(
            "the token was signed with another secret than the configuration's (sha256:"
        ),
        "{hint}"
    );
    assert!(!hint.contains(configured), "the secret is never printed");
    // Strict mode says the same.
    let (_, r) = run_json(
        jwtcheck()
            .args([
                "verify",
                &token,
                "--now",
                &NOW.to_string(),
                "--secret-env",
                "S",
            ])
            .env("S", configured),
    );
    let (_, hint) = first_problem(&r);
    assert!(
        hint.starts_with("the token was signed with another secret than this one (sha256:"),
        "{hint}"
    );
}

#[test]
fn an_issuer_with_a_trailing_slash_is_named_in_verify() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({})),
    );
    let config = rsa_config(json!({"issuer": format!("{POOL_ISS}/")}));
    let (code, r) = hasura(&token, &config, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWTNotInIssuer"
    );
    let (_, hint) = first_problem(&r);
    assert!(
        hint.starts_with("issuers compare exactly: a trailing slash matters"),
        "{hint}"
    );
    // And without a Hasura configuration.
    let (_, r) = run_json(
        jwtcheck()
            .args([
                "verify",
                &token,
                "--now",
                &NOW.to_string(),
                "--issuer",
                &format!("{POOL_ISS}/"),
                "--key",
            ])
            .arg(crate::support::sign::key_path("rsa-pool-id.pub.pem")),
    );
    assert!(
        first_problem(&r)
            .1
            .starts_with("issuers compare exactly: a trailing slash matters")
    );
}

#[test]
fn one_segment_is_never_called_a_cognito_refresh_token() {
    let (_, r) = run_json(jwtcheck().args(["decode", "abcdefghijklmnop"]));
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("Cognito refresh tokens are encrypted JWTs with five segments"),
        "{hint}"
    );
    let _ = b64("unused");
}

#[test]
fn hints_fit_the_issuer_and_name_the_unauthorized_role_limit() {
    let no_claims = |iss: &str| {
        sign(
            "RS256",
            "rsa-pool-id",
            r#"{"alg":"RS256"}"#,
            &claims(json!({"iss": iss, "https://hasura.io/jwt/claims": null})),
        )
    };
    let (_, r) = hasura(&no_claims(POOL_ISS), &rsa_config(json!({})), &[]);
    let (message, hint) = first_problem(&r);
    assert_eq!(
        message,
        "no claims at claims_namespace https://hasura.io/jwt/claims"
    );
    assert!(
        hint.contains("Cognito Pre Token Generation trigger"),
        "{hint}"
    );
    assert!(hint.contains("HASURA_GRAPHQL_UNAUTHORIZED_ROLE does not apply: it serves only requests without a token"), "{hint}");
    // Another issuer: no Cognito advice.
    let (_, r) = hasura(
        &no_claims("https://auth.example.com/"),
        &rsa_config(json!({})),
        &[],
    );
    let (_, hint) = first_problem(&r);
    assert!(!hint.contains("Cognito"), "{hint}");
    assert!(hint.contains("where the issuer builds the token"), "{hint}");
}

#[test]
fn a_large_allowed_skew_is_a_warning_in_verify() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({})),
    );
    let (code, r) = hasura(&token, &rsa_config(json!({"allowed_skew": 3600})), &[]);
    assert_eq!(code, 0, "{r:#}");
    let w = &checks(&r, "lint.allowed_skew")[0];
    assert_eq!(w["status"], "warn");
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("clock or iat problems are hidden")
    );
}

#[test]
fn pasted_characters_are_named_with_their_place() {
    // A configuration pasted from a chat: typographic quotes.
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({})),
    );
    let (code, r) = hasura(&token, "{\u{201C}type\u{201D}: \"RS256\"}", &[]);
    assert_eq!(code, 2);
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("line 1, column 2: \\u{201c} is a typographic quote")
            && hint.contains("retype it as \""),
        "{hint}"
    );
    // A token with a zero-width space inside.
    let (head, rest) = token.split_at(40);
    let damaged = format!("{head}\u{200B}{rest}");
    let (code, r) = run_json(jwtcheck().args(["decode", &damaged]));
    assert_eq!(code, 4);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\\u{200b}")
    );
    assert!(
        r["error"]["hint"]
            .as_str()
            .unwrap()
            .starts_with("it is a zero-width character")
    );
}

#[test]
fn jwt_secrets_is_read_only_by_cloud_and_enterprise() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims(json!({})),
    );
    let list = format!("[{}]", rsa_config(json!({})));
    let run = |extra: &[&str], secret: Option<&str>| {
        let mut cmd = jwtcheck();
        cmd.args([
            "verify",
            &token,
            "--hasura-config-env",
            "--now",
            &NOW.to_string(),
        ])
        .args(extra)
        .env("HASURA_GRAPHQL_JWT_SECRETS", &list)
        .env("HASURA_GRAPHQL_ADMIN_SECRET", "x")
        .env_remove("HASURA_GRAPHQL_JWT_SECRET");
        if let Some(s) = secret {
            cmd.env("HASURA_GRAPHQL_JWT_SECRET", s);
        }
        run_json(&mut cmd)
    };
    // Unknown edition: the list is used, with a warning that OSS ignores it.
    let (code, r) = run(&[], None);
    assert_eq!(code, 0, "{r:#}");
    assert!(checks(&r, "lint.config_env").iter().any(|c| {
        c["message"]
            .as_str()
            .unwrap()
            .starts_with("HASURA_GRAPHQL_JWT_SECRETS is read only by Hasura Cloud and Enterprise")
    }));
    // The open-source engine: the list is ignored.
    let (code, r) = run(&["--hasura-edition", "oss"], None);
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.hasura_env");
    let (code, r) = run(&["--hasura-edition", "oss"], Some(&rsa_config(json!({}))));
    assert_eq!(code, 0, "{r:#}");
    assert!(
        checks(&r, "lint.config_env")[0]["message"]
            .as_str()
            .unwrap()
            .contains("the open-source engine reads only HASURA_GRAPHQL_JWT_SECRET")
    );
    // Cloud: no warning.
    let (code, r) = run(&["--hasura-edition", "cloud"], None);
    assert_eq!(code, 0, "{r:#}");
    assert!(checks(&r, "lint.config_env").is_empty());
}

fn hs_config(claims_map: Value) -> String {
    json!({"type": "HS256", "key": "0123456789abcdef0123456789abcdef", "claims_map": claims_map})
        .to_string()
}

fn hs_token(extra: Value) -> String {
    sign_hmac_raw(
        "HS256",
        b"0123456789abcdef0123456789abcdef",
        r#"{"alg":"HS256"}"#,
        &claims(extra),
    )
}

#[test]
fn claims_map_paths_outside_the_subset_get_the_path_that_works() {
    let token = hs_token(json!({"cognito:groups": ["user", "editor"], "org": {"groups": ["a"]}}));
    for (path, want) in [
        (
            "$.cognito:groups",
            "$.cognito:groups: a name with characters other than letters, digits, - and _ needs the bracket form; write $['cognito:groups']; in this token, cognito:groups is at $['cognito:groups']",
        ),
        (
            "$.cognito:groups[*]",
            "wildcards ([*], .*) are not in Hasura's JSONPath subset",
        ),
        (
            "$..groups",
            "recursive descent (..) is not in Hasura's JSONPath subset: write the whole path from $; in this token, groups is at $.org.groups",
        ),
    ] {
        let config = hs_config(
            json!({"x-hasura-allowed-roles": {"path": path}, "x-hasura-default-role": "user"}),
        );
        let (code, r) = hasura(&token, &config, &[]);
        assert_eq!(code, 2, "{path}: {r:#}");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(hint.contains(want), "{path}: {hint}");
    }
}

#[test]
fn claims_map_literals_and_defaults_are_said() {
    let token = hs_token(json!({"role": "user", "groups": ["user"]}));
    // A string is a literal: the role is "$.role" itself.
    let config = hs_config(
        json!({"x-hasura-allowed-roles": {"path": "$.groups"}, "x-hasura-default-role": "$.role"}),
    );
    let (code, r) = hasura(&token, &config, &[]);
    assert_eq!(code, 1, "{r:#}");
    let literal = checks(&r, "hasura.default_role")
        .into_iter()
        .find(|c| c["status"] == "warn")
        .unwrap();
    assert_eq!(
        literal["message"],
        "claims_map gives x-hasura-default-role the literal \"$.role\", not the claim at $.role"
    );
    assert!(
        literal["hint"]
            .as_str()
            .unwrap()
            .contains(r#""x-hasura-default-role": {"path": "$.role"}"#)
    );
    // A path that finds nothing: the default stands in, and that is said.
    let config = hs_config(
        json!({"x-hasura-allowed-roles": {"path": "$.groups"}, "x-hasura-default-role": {"path": "$.missing", "default": "user"}}),
    );
    let (code, r) = hasura(&token, &config, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert!(checks(&r, "hasura.default_role").iter().any(|c| c["message"]
        == "nothing at $.missing in this token: x-hasura-default-role is the default \"user\""));
}

// ---- Causes jwtcheck has the facts for (issue #29, items 5–10): the first line names them ----

const SAMPLE_POOL: &str = "us-east-1_Jw7Ck9Sa1";

/// The first line of `verify`'s text output for the sample id token (or `token`) and these flags.
fn verify_line(token: &str, flags: &[&str]) -> (i32, String) {
    let (code, out, _) = run(jwtcheck()
        .args(["verify", token, "--now", SAMPLE_NOW])
        .args(flags));
    (code, first_line(&out).to_string())
}

/// A key set file holding one key that is not the pool's.
fn other_jwks(dir: &tempfile::TempDir) -> String {
    let set = json!({"keys": [crate::support::sign::public_jwk("rsa-other.pub.pem", Some("other-1"), Some("RS256"))]});
    let path = dir.path().join("other.json");
    std::fs::write(&path, set.to_string()).unwrap();
    path.display().to_string()
}

#[test]
fn an_hmac_configuration_and_a_cognito_rs256_token_name_the_cause() {
    let config =
        json!({"type": "HS256", "key": "0123456789abcdef0123456789abcdef0123"}).to_string();
    let (code, line) = verify_line(&at_sample("id-token.jwt"), &["--hasura-config", &config]);
    assert_eq!(code, 1);
    assert_eq!(
        line,
        format!(
            "REJECTED  Hasura rejects this token: the token is RS256 from Cognito pool {SAMPLE_POOL}, but the configuration holds an HMAC secret (HS256)"
        )
    );
    let (_, r) = hasura(&sample_text("id-token.jwt"), &config, &[]);
    let (_, hint) = first_problem(&r);
    assert!(
        hint.ends_with(&format!(
            "\"jwk_url\": \"https://cognito-idp.us-east-1.amazonaws.com/{SAMPLE_POOL}/.well-known/jwks.json\""
        )),
        "{hint}"
    );
}

#[test]
fn a_token_of_another_pool_than_jwk_url_names_both_pools() {
    let dir = tempfile::tempdir().unwrap();
    let config = json!({"type": "RS256", "claims_format": "stringified_json",
        "jwk_url": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PoolB0000/.well-known/jwks.json"})
    .to_string();
    // --jwks stands in for pool B's key set, which has none of pool A's keys.
    let (code, line) = verify_line(
        &at_sample("id-token.jwt"),
        &["--hasura-config", &config, "--jwks", &other_jwks(&dir)],
    );
    assert_eq!(code, 1);
    assert_eq!(
        line,
        format!(
            "REJECTED  Hasura rejects this token: the token comes from pool {SAMPLE_POOL}, but the configuration fetches pool us-east-1_PoolB0000's keys"
        )
    );
    // check: lint.cognito_jwk_url no longer passes once a sample token says which pool signs.
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "check",
            "--hasura-config",
            &config,
            "--jwks",
            &sample("jwks.json").display().to_string(),
            "--token",
            &at_sample("id-token.jwt"),
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 1, "{r:#}");
    let row = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.cognito_jwk_url")
        .unwrap();
    assert_eq!(row["status"], "fail", "{row:#}");
    assert!(
        row["message"]
            .as_str()
            .unwrap()
            .ends_with(&format!("comes from pool {SAMPLE_POOL}")),
        "{row:#}"
    );
}

#[test]
fn a_fixed_key_with_a_cognito_issuer_is_linted_and_named() {
    let pem = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem"),
        "issuer": POOL_ISS, "claims_format": "stringified_json"})
    .to_string();
    let cache = cache_dir();
    let (_, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["check", "--hasura-config", &pem, "--now", SAMPLE_NOW],
    ));
    let row = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.key")
        .unwrap();
    assert_eq!(row["status"], "warn", "{row:#}");
    assert!(
        row["hint"].as_str().unwrap().contains("\"jwk_url\""),
        "{row:#}"
    );
    // A secret verifies no Cognito token: that fails.
    let secret =
        json!({"type": "HS256", "key": "0123456789abcdef0123456789abcdef0123", "issuer": POOL_ISS})
            .to_string();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["check", "--hasura-config", &secret, "--now", SAMPLE_NOW],
    ));
    assert_eq!(code, 1);
    assert!(failed(&r["config"], "lint.key"), "{r:#}");
    // A token of the pool's other key (the access token's) against the fixed id-token key.
    let (code, line) = verify_line(&at_sample("access-token.jwt"), &["--hasura-config", &pem]);
    assert_eq!(code, 1);
    assert!(
        line.starts_with(&format!(
            "REJECTED  Hasura rejects this token: the one key fixed in the configuration does not verify this token of Cognito pool {SAMPLE_POOL}"
        )),
        "{line}"
    );
}

#[test]
fn two_tokens_pasted_together_are_not_an_encrypted_token() {
    let t = sample_text("id-token.jwt");
    for pasted in [format!("{t}{t}"), format!("{t}.{t}")] {
        for command in ["decode", "verify"] {
            let (code, out, _) = run(jwtcheck().args([command, &pasted, "--now", SAMPLE_NOW]));
            assert_eq!(code, 4, "{out}");
            assert!(
                first_line(&out).starts_with("MALFORMED  two tokens pasted together?"),
                "{out}"
            );
            assert!(!out.contains("encrypted token (JWE"), "{out}");
        }
    }
    let (_, r) = run_json(jwtcheck().args(["decode", &format!("{t}{t}")]));
    assert_eq!(r["error"]["id"], "token.segments");
}

#[test]
fn a_token_cut_short_leads_with_the_token_was_cut() {
    let t = sample_text("id-token.jwt");
    let jwks = sample("jwks.json").display().to_string();
    // One character fewer: 341 characters, a length no encoding has; two fewer: 255 bytes.
    for n in [1, 2] {
        let cut = &t[..t.len() - n];
        for flags in [
            vec!["--jwks", jwks.as_str()],
            vec![
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
                "--jwks",
                jwks.as_str(),
            ],
        ] {
            let (code, out, _) = run(jwtcheck()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["verify", cut, "--now", SAMPLE_NOW])
                .args(&flags));
            assert_ne!(code, 0);
            let line = first_line(&out);
            assert!(
                line.contains(": the token was cut") || line.contains("  the token was cut"),
                "{n} {flags:?}: {out}"
            );
            assert!(!out.contains("spare bits"), "{out}");
        }
    }
    // A signature of full length with a changed last character is still altered, not cut.
    let last = t.chars().last().unwrap();
    let altered = format!(
        "{}{}",
        &t[..t.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let (_, out, _) = run(jwtcheck().args(["decode", &altered]));
    assert!(!out.contains("the token was cut"), "{out}");
}

#[test]
fn explain_accepts_the_engines_own_words() {
    for (words, id) in [
        ("JWSInvalidSignature", "signature"),
        ("JWTExpired", "exp"),
        ("claims key", "hasura.namespace"),
        ("Could not verify JWT: JWTNotInIssuer", "iss"),
        ("JWT validation error: InvalidAudience", "aud"),
        (
            "Hasura claims not found in the JWT at /claims.jwt.hasura.io",
            "hasura.namespace",
        ),
    ] {
        let (code, out, err) = run(jwtcheck().args(["explain", words]));
        assert_eq!(code, 0, "{words}: {err}");
        assert!(
            first_line(&out).starts_with(&format!("{id}  ")),
            "{words}: {out}"
        );
    }
}
