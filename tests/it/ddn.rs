//! Hasura DDN: `--hasura-config` with an AuthConfig, `check` on one, and `hasura-config`'s
//! translation between v2 and DDN. The engine rules are unit-tested in `src/hasura/ddn/tests.rs`
//! against the engine's own tests; here the user-visible behaviour of the binary.

use crate::support::sign::sign;
use crate::support::*;
use serde_json::{Value, json};

const NOW: &str = "2026-11-24T09:30:00Z";

fn verify(config: &str, token: &str, extra: &[&str]) -> (i32, Value) {
    let jwks = sample("jwks.json");
    let flags = [&["--jwks", jwks.to_str().unwrap()], extra].concat();
    verify_under(config, token, &flags)
}

fn hasura(report: &Value, field: &str) -> Value {
    report["hasura"][field].clone()
}

/// The sample AuthConfig with one line replaced, written to a temp file.
fn variant(dir: &tempfile::TempDir, name: &str, from: &str, to: &str) -> String {
    let text = sample_text("auth-config.hml");
    assert!(text.contains(from), "{from}");
    let path = dir.path().join(name);
    std::fs::write(&path, text.replace(from, to)).unwrap();
    format!("@{}", path.display())
}

/// An id token like the sample's, signed by the pool's key, with these claims changed.
fn id_token(changes: Value) -> String {
    let sample = sample_text("id-token.jwt");
    let parts: Vec<&str> = sample.trim().split('.').collect();
    let decode = |p: &str| -> Value {
        use base64::Engine as _;
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .unwrap(),
        )
        .unwrap()
    };
    let header = decode(parts[0]);
    let mut payload = decode(parts[1]);
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            payload.as_object_mut().unwrap().remove(k);
        } else {
            payload[k] = v.clone();
        }
    }
    sign(
        "RS256",
        "rsa-pool-id",
        &header.to_string(),
        &payload.to_string(),
    )
}

#[test]
fn the_sample_id_token_is_accepted_by_ddn() {
    let mut cmd = jwtcheck();
    cmd.args([
        "verify",
        &at_sample("id-token.jwt"),
        "--hasura-config",
        &at_sample("auth-config.hml"),
        "--jwks",
    ])
    .arg(sample("jwks.json"))
    .args(["--now", NOW]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    assert!(
        first_line(&out).starts_with("VALID  Hasura DDN accepts this RS256 id token as role user"),
        "{out}"
    );
}

#[test]
fn a_wrong_audience_gets_ddns_answer() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "a.hml",
        "- 4l1h8mfsl2jt8ovcbvda5sqvd0",
        "- another-client",
    );
    let (code, r) = verify(&cfg, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 1);
    assert_eq!(hasura(&r, "engine"), "ddn");
    assert_eq!(hasura(&r, "engine_code"), "400");
    assert_eq!(
        hasura(&r, "engine_error"),
        "JWT validation error: InvalidAudience"
    );
    assert_eq!(
        hasura(&r, "engine_response"),
        r#"{"errors":[{"message":"JWT validation error: InvalidAudience"}]}"#
    );
    assert!(failed(&r, "aud"));
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .starts_with("Hasura DDN rejects this token")
    );
}

#[test]
fn missing_claims_get_ddns_answer_and_the_pointer_that_would_work() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "p.hml",
        "location: /https:~1~1hasura.io~1jwt~1claims",
        "location: /claims.jwt.hasura.io",
    );
    let (code, r) = verify(&cfg, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 1);
    assert_eq!(hasura(&r, "engine_code"), "500");
    assert_eq!(
        hasura(&r, "engine_error"),
        "Internal Error - Hasura claims not found in the JWT at /claims.jwt.hasura.io"
    );
    let hint = checks(&r, "hasura.namespace")[0]["hint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(hint.contains("/https:~1~1hasura.io~1jwt~1claims"), "{hint}");

    // The default role missing from the claims: serde's words, as the engine's 500.
    let claims = r#"{"x-hasura-allowed-roles":["user"],"x-hasura-user-id":"1"}"#;
    let token = id_token(json!({"https://hasura.io/jwt/claims": claims}));
    let (code, r) = verify(&at_sample("auth-config.hml"), &token, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        hasura(&r, "engine_error"),
        "Internal Error - Error in parsing the Hasura claims map: missing field `x-hasura-default-role`"
    );
}

#[test]
fn jwk_from_url_is_fetched_from_the_server_once() {
    let server = Server::start();
    let path = "/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";
    serve_json(&server, path, &sample_jwks(), &[]);
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "u.hml",
        &format!("jwkFromUrl: {POOL_ISS}/.well-known/jwks.json"),
        &format!("jwkFromUrl: {}", server.url(path)),
    );
    let cache = cache_dir();
    let mut cmd = jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--hasura-config",
            &cfg,
            "--now",
            NOW,
        ],
    );
    let (code, r) = run_json(&mut cmd);
    assert_eq!(code, 0, "{r}");
    assert_eq!(server.hits(path), 1);
    assert_eq!(r["key"]["source"], server.url(path));
}

#[test]
fn check_says_ddn_fetches_the_key_set_on_every_request() {
    let server = Server::start();
    let path = "/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";
    serve_json(
        &server,
        path,
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "u.hml",
        &format!("jwkFromUrl: {POOL_ISS}/.well-known/jwks.json"),
        &format!("jwkFromUrl: {}", server.url(path)),
    );
    let cache = cache_dir();
    let args = [
        "check",
        "--hasura-config",
        &cfg,
        "--token",
        &at_sample("id-token.jwt"),
        "--now",
        NOW,
    ];
    let (code, r) = run_json(&mut jwtcheck_cached(&cache, &args));
    assert_eq!(code, 0, "{r:#}");
    let caching: Vec<&str> = r["keys"]["caching"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        caching
            .iter()
            .any(|l| l.starts_with("Hasura DDN fetches this key set on every request")),
        "{caching:?}"
    );
    assert!(
        !caching.iter().any(|l| l.contains("refetches")),
        "v2's refresh is not DDN's: {caching:?}"
    );
    let (code, out, _) = run(&mut jwtcheck_cached(&cache, &args));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Hasura DDN fetches this key set on every request"),
        "{out}"
    );
    assert!(!out.contains("every 1h"), "{out}");
}

#[test]
fn an_authconfig_ddn_would_not_build_is_a_usage_error_with_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "t.hml",
        "claimsFormat: StringifiedJson",
        "claimFormat: StringifiedJson",
    );
    let mut cmd = jwtcheck();
    cmd.args([
        "verify",
        &at_sample("id-token.jwt"),
        "--hasura-config",
        &cfg,
        "--jwks",
    ])
    .arg(sample("jwks.json"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(out.contains("unknown field `claimFormat`"), "{out}");
    assert!(out.contains("did you mean `claimsFormat`?"), "{out}");
}

#[test]
fn the_compatibility_date_decides_whether_aud_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "n.hml",
        "      audience:\n        - 4l1h8mfsl2jt8ovcbvda5sqvd0\n",
        "",
    );
    let (code, r) = verify(&cfg, &at_sample("id-token.jwt"), &[]);
    assert_eq!(
        (code, hasura(&r, "engine_error")),
        (1, json!("JWT validation error: InvalidAudience"))
    );
    let (code, r) = verify(
        &cfg,
        &at_sample("id-token.jwt"),
        &["--ddn-compatibility-date", "2024-06-01"],
    );
    assert_eq!(code, 0, "{r}");
    assert_eq!(status(&r, "aud"), "warn");
}

/// `--ddn-compatibility-date` is a real date: 2026-13-45 has the shape, not the calendar.
#[test]
fn a_compatibility_date_that_is_no_date_is_a_usage_error() {
    for bad in ["2026-13-45", "2025-02-29", "2024-6-01"] {
        let (code, r) = verify(
            &at_sample("auth-config.hml"),
            &at_sample("id-token.jwt"),
            &["--ddn-compatibility-date", bad],
        );
        assert_eq!(code, 2, "{bad}: {r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("is not a date"),
            "{bad}: {r}"
        );
        let (code, out, _) = run(jwtcheck().args([
            "hasura-config",
            &at_sample("auth-config.hml"),
            "--ddn-compatibility-date",
            bad,
        ]));
        assert_eq!(code, 2, "hasura-config {bad}: {out}");
        // `check` reads the configuration with the same loader: no key set is fetched first.
        let (code, out, _) = run(jwtcheck().args([
            "check",
            "--hasura-config",
            &at_sample("auth-config.hml"),
            "--ddn-compatibility-date",
            bad,
            "--offline",
            "--json",
        ]));
        let r: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(code, 2, "check {bad}: {out}");
        assert_eq!(
            r["error"]["id"], "usage.hasura_config",
            "check {bad}: {out}"
        );
    }
    let (code, _) = verify(
        &at_sample("auth-config.hml"),
        &at_sample("id-token.jwt"),
        &["--ddn-compatibility-date", "2024-02-29"],
    );
    assert_eq!(code, 0, "a leap day is a date");
}

#[test]
fn a_cookie_that_is_not_first_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = variant(
        &dir,
        "c.hml",
        "type: BearerAuthorization",
        "type: Cookie\n        name: jwt",
    );
    let token = sample_text("id-token.jwt");
    let (code, r) = verify(
        &cfg,
        &format!("Cookie: jwt={}; theme=dark", token.trim()),
        &[],
    );
    assert_eq!(code, 0, "{r}");
    let (code, r) = verify(
        &cfg,
        &format!("Cookie: theme=dark; jwt={}", token.trim()),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        hasura(&r, "engine_error"),
        "JWT Authorization token source: cookie name jwt not found in the Cookie header"
    );
}

#[test]
fn check_lints_an_authconfig_and_judges_the_samples() {
    let mut cmd = jwtcheck();
    cmd.args([
        "check",
        "--hasura-config",
        &at_sample("auth-config.hml"),
        "--token",
        &at_sample("id-token.jwt"),
        "--jwks",
    ])
    .arg(sample("jwks.json"))
    .args(["--now", NOW]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    let dir = tempfile::tempdir().unwrap();
    let broken = sample_text("auth-config.hml")
        .replace(
            "      audience:\n        - 4l1h8mfsl2jt8ovcbvda5sqvd0\n",
            "",
        )
        .replace(
            &format!("issuer: {POOL_ISS}"),
            &format!("issuer: {POOL_ISS}/"),
        );
    let path = dir.path().join("b.hml");
    std::fs::write(&path, broken).unwrap();
    let mut cmd = jwtcheck();
    cmd.args([
        "check",
        "--hasura-config",
        &format!("@{}", path.display()),
        "--token",
        &at_sample("id-token.jwt"),
        "--jwks",
    ])
    .arg(sample("jwks.json"))
    .args(["--now", NOW]);
    let (code, r) = run_json(&mut cmd);
    assert_eq!(code, 1);
    let config: Vec<(String, String)> = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        config.contains(&("lint.audience".into(), "fail".into())),
        "{config:?}"
    );
    assert!(
        config.contains(&("lint.cognito_issuer".into(), "fail".into())),
        "{config:?}"
    );
}

/// Writes `text` to a file in `dir` and returns `@path`.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    format!("@{}", path.display())
}

#[test]
fn a_translated_config_gives_the_same_verdicts_as_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", &at_sample("hasura-jwt-secret.json")]);
    let (code, yaml, _) = run(&mut cmd);
    assert_eq!(code, 0);
    assert!(
        yaml.contains("kind: AuthConfig") && yaml.contains("# differs:"),
        "{yaml}"
    );
    let ddn = file(&dir, "auth-config.hml", &yaml);
    let v2 = at_sample("hasura-jwt-secret.json");
    let tokens = [
        sample_text("id-token.jwt").trim().to_string(),
        id_token(json!({"aud": "another-client"})),
        id_token(json!({"iss": format!("{POOL_ISS}x")})),
        id_token(json!({"exp": 1795512599})), // expired a second before 09:30
        id_token(
            json!({"https://hasura.io/jwt/claims": r#"{"x-hasura-default-role":"admin","x-hasura-allowed-roles":["user"]}"#}),
        ),
    ];
    for token in &tokens {
        let (a, ra) = verify(&v2, token, &[]);
        let (b, rb) = verify(&ddn, token, &[]);
        assert_eq!(a, b, "v2: {}\nddn: {}", ra["summary"], rb["summary"]);
    }
    // The one time where the engines differ, as the translation says: at exp itself, v2 refuses
    // (now < exp + skew) and DDN accepts (refused only when exp < now - leeway).
    assert!(yaml.contains("at the second of exp"), "{yaml}");
    let at_exp = id_token(json!({"exp": 1795512600}));
    assert_eq!(
        (verify(&v2, &at_exp, &[]).0, verify(&ddn, &at_exp, &[]).0),
        (1, 0)
    );
    // And back: DDN's defaults written out for v2.
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", &at_sample("auth-config.hml"), "--to", "v2"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0);
    let back: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(back["jwk_url"], format!("{POOL_ISS}/.well-known/jwks.json"));
    assert_eq!(back["claims_format"], "stringified_json");
    assert_eq!(back["allowed_skew"], 60);
}

#[test]
fn a_claims_map_with_a_secret_translates_and_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let secret = std::fs::read_to_string(crate::support::sign::key_path("hs256.secret")).unwrap();
    let v2 = json!({"type": "HS256", "key": secret, "claims_map": {
        "x-hasura-allowed-roles": {"path": "$.roles"},
        "x-hasura-default-role": {"path": "$.roles[0]"},
        "x-hasura-user-id": {"path": "$.sub"}}});
    let v2_arg = file(&dir, "v2.json", &v2.to_string());
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", &v2_arg, "--to", "ddn"]);
    let (code, yaml, _) = run(&mut cmd);
    assert_eq!(code, 0);
    assert!(
        yaml.contains("valueFromEnv: HASURA_DDN_JWT_SECRET") && !yaml.contains(&secret),
        "{yaml}"
    );
    let ddn = file(&dir, "auth-config.hml", &yaml);
    let good = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS256"}"#,
        r#"{"sub":"u1","roles":["editor","user"],"exp":1795514400}"#,
    );
    let no_roles = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS256"}"#,
        r#"{"sub":"u1","exp":1795514400}"#,
    );
    for (token, want) in [(good, 0), (no_roles, 1)] {
        for cfg in [&v2_arg, &ddn] {
            let mut cmd = jwtcheck();
            cmd.args(["verify", &token, "--hasura-config", cfg, "--now", NOW])
                .env("HASURA_DDN_JWT_SECRET", &secret);
            let (code, r) = run_json(&mut cmd);
            assert_eq!(code, want, "{cfg}: {}", r["summary"]);
        }
    }
}

#[test]
fn hasura_config_reads_standard_input() {
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", "-"])
        .write_stdin(sample_text("hasura-jwt-secret.json"));
    let (code, yaml, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let mut from_file = jwtcheck();
    from_file.args(["hasura-config", &at_sample("hasura-jwt-secret.json")]);
    assert_eq!(yaml, run(&mut from_file).1);
    // A DDN AuthConfig on stdin goes the other way.
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", "-", "--to", "v2"])
        .write_stdin(sample_text("auth-config.hml"));
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
}

#[test]
fn hasura_config_reads_the_engines_variable() {
    let mut from_env = jwtcheck();
    from_env.args(["hasura-config", "--hasura-config-env"]).env(
        "HASURA_GRAPHQL_JWT_SECRET",
        sample_text("hasura-jwt-secret.json"),
    );
    let (code, yaml, err) = run(&mut from_env);
    assert_eq!(code, 0, "{err}");
    let mut from_file = jwtcheck();
    from_file.args(["hasura-config", &at_sample("hasura-jwt-secret.json")]);
    assert_eq!(yaml, run(&mut from_file).1);
    // Neither CONFIG nor the flag, or both: usage errors.
    assert_eq!(run(jwtcheck().args(["hasura-config"])).0, 2);
    let both = ["hasura-config", "-", "--hasura-config-env"];
    assert_eq!(run(jwtcheck().args(both)).0, 2);
    // The variable unset: a usage error that names it.
    let (code, out, _) = run(jwtcheck().args(["hasura-config", "--hasura-config-env"]));
    assert_eq!(code, 2);
    assert!(out.contains("HASURA_GRAPHQL_JWT_SECRET"), "{out}");
}

#[test]
fn small_slips_in_ddn_texts() {
    // A claims_map configuration is not in namespace mode: its translation does not say so.
    let config = json!({"type": "HS256", "key": "0123456789abcdef0123456789abcdef",
        "claims_map": {"x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"}})
    .to_string();
    let (code, yaml, err) = run(jwtcheck().args(["hasura-config", &config]));
    assert_eq!(code, 0, "{err}");
    assert!(!yaml.contains("namespace mode"), "{yaml}");
    let (_, yaml, _) =
        run(jwtcheck().args(["hasura-config", &at_sample("hasura-jwt-secret.json")]));
    assert!(yaml.contains("# differs: namespace mode"), "{yaml}");
    // "Bearer" alone is not "1 words".
    let (code, r) = verify(&at_sample("auth-config.hml"), "Authorization: Bearer", &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        checks(&r, "hasura.header")[0]["message"],
        "the Authorization header has no token after Bearer; DDN accepts exactly \"Bearer <token>\""
    );
}
