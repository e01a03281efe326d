//! `jwtcheck check`: configuration lints, key set checks (a real server on 127.0.0.1), token
//! verdicts under the configuration, the policy, exit codes, JSON and GitHub output.

use crate::support::*;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

fn good_config(jwk_url: &str) -> String {
    json!({"type": "RS256", "jwk_url": jwk_url, "claims_format": "stringified_json", "audience": "4l1h8mfsl2jt8ovcbvda5sqvd0", "issuer": POOL_ISS}).to_string()
}

fn check(args: &[&str]) -> (i32, Value) {
    let cache = cache_dir();
    run_json(
        jwtcheck()
            .arg("check")
            .args(args)
            .args(["--now", SAMPLE_NOW])
            .arg("--cache-dir")
            .arg(cache.path())
            .current_dir(env!("CARGO_MANIFEST_DIR")),
    )
}

fn ids_with(r: &Value, status: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for section in ["config", "keyset"] {
        for c in r[section]["checks"].as_array().into_iter().flatten() {
            if c["status"] == status {
                ids.push(c["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

#[test]
fn a_good_setup_passes_with_every_section_reported() {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let cfg = good_config(&s.url("/jwks.json"));
    let (code, r) = check(&[
        "--hasura-config",
        &cfg,
        "--token",
        "@samples/id-token.jwt",
        "--policy",
        "samples/policy.json",
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verdict"], "valid");
    assert_eq!(r["counts"]["fail"], 0);
    assert!(ids_with(&r, "pass").contains(&"lint.jwk_url".to_string()));
    assert!(ids_with(&r, "pass").contains(&"lint.cache".to_string()));
    assert_eq!(r["tokens"][0]["report"]["verdict"], "valid");
    assert_eq!(r["tokens"][0]["report"]["hasura"]["role"], "user");
    assert_eq!(r["keys"]["headers"]["cache_control"], "max-age=3600");
    assert_eq!(
        s.hits("/jwks.json"),
        1,
        "one fetch for the key set stage and every token"
    );
}

#[test]
fn the_broken_sample_shows_each_mistake() {
    let (code, r) = check(&[
        "--hasura-config",
        "@samples/hasura-jwt-secret.broken.json",
        "--jwks",
        "samples/jwks.json",
        "--token",
        "@samples/id-token.jwt",
    ]);
    assert_eq!(code, 1);
    let fails = ids_with(&r, "fail");
    let warns = ids_with(&r, "warn");
    assert!(fails.contains(&"lint.cognito_jwk_url".into()), "{fails:?}");
    assert!(fails.contains(&"lint.cognito_issuer".into()), "{fails:?}");
    assert!(warns.contains(&"lint.config_unknown".into()), "{warns:?}");
    assert!(warns.contains(&"lint.audience".into()));
    assert!(warns.contains(&"lint.cognito_claims_format".into()));
    let unknown = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.config_unknown")
        .unwrap();
    assert!(
        unknown["hint"]
            .as_str()
            .unwrap()
            .contains("did you mean \"claims_format\"")
    );
    assert_eq!(
        r["tokens"][0]["report"]["hasura"]["engine_error"],
        "Could not verify JWT: JWTNotInIssuer"
    );
}

#[test]
fn each_config_mistake_is_linted() {
    let url =
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";
    let cases = [
        (
            json!({"jwk_url": url, "claims_namespace": "x", "claims_format": "json", "claims_map": {"x-hasura-allowed-roles": ["u"], "x-hasura-default-role": "u"}, "claims_format2": 1}),
            "lint.config_conflict",
            "warn",
        ),
        (
            json!({"jwk_url": url, "issuer": "https://myapp.auth.us-east-1.amazoncognito.com"}),
            "lint.cognito_issuer",
            "fail",
        ),
        (
            json!({"jwk_url": "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json"}),
            "lint.cognito_jwk_url",
            "warn",
        ),
        (
            json!({"jwk_url": "http://example.com/jwks.json"}),
            "lint.jwk_url",
            "fail",
        ),
        (
            json!({"jwk_url": url, "allowed_skew": 7200}),
            "lint.allowed_skew",
            "warn",
        ),
    ];
    for (cfg, id, status) in cases {
        let (_, r) = check(&[
            "--hasura-config",
            &cfg.to_string(),
            "--jwks",
            "samples/jwks.json",
        ]);
        assert!(
            ids_with(&r, status).contains(&id.to_string()),
            "{cfg}: {id} {status}\n{r:#}"
        );
    }
}

#[test]
fn unusable_configurations_exit_2() {
    let (code, r) = check(&[
        "--hasura-config",
        "{\n  \"type\": \"RS256\",\n  \"jwk_url\" \"x\"\n}",
    ]);
    assert_eq!(code, 2);
    let c = &r["config"]["checks"][0];
    assert_eq!(c["id"], "lint.config_syntax");
    assert!(
        c["message"].as_str().unwrap().contains("line 3, column 13"),
        "{c:#}"
    );
    let (code, r) = check(&[
        "--hasura-config",
        r#"{"type":"RS256","claims_format":"stringified"}"#,
    ]);
    assert_eq!(code, 2);
    let msgs: Vec<String> = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap().to_string())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("Fatal Error:- Environment variable HASURA_GRAPHQL_JWT_SECRET: Error in $['claims_format']")), "{msgs:?}");
    let (code, r) = check(&[]);
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.hasura_config");
    let (code, _) = check(&[
        "--hasura-config",
        &good_config("https://x/jwks.json"),
        "--token",
        "@/no/such/file",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn key_set_failures_exit_3() {
    let s = Server::start();
    s.mount(Mock::given(path("/500")).respond_with(ResponseTemplate::new(500)));
    s.mount(
        Mock::given(path("/bad")).respond_with(ResponseTemplate::new(200).set_body_string("nope")),
    );
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!(
            "http://127.0.0.1:{}/jwks.json",
            l.local_addr().unwrap().port()
        )
    };
    for url in [s.url("/500"), s.url("/bad"), down] {
        let (code, r) = check(&[
            "--hasura-config",
            &good_config(&url),
            "--token",
            "@samples/id-token.jwt",
        ]);
        assert_eq!(code, 3, "{url}: {r:#}");
        assert!(ids_with(&r, "fail").contains(&"lint.jwk_url".to_string()));
        assert_eq!(r["tokens"][0]["report"]["verdict"], "undecidable");
    }
}

#[test]
fn no_caching_headers_warn_and_strict_fails_on_warnings() {
    let s = Server::start();
    serve_json(&s, "/jwks.json", &sample_jwks(), &[]);
    let cfg = good_config(&s.url("/jwks.json"));
    let (code, r) = check(&["--hasura-config", &cfg, "--token", "@samples/id-token.jwt"]);
    assert_eq!(code, 0, "{r:#}");
    let cache = r["keyset"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.cache")
        .unwrap()
        .clone();
    assert_eq!(cache["status"], "warn");
    assert!(cache["message"].as_str().unwrap().contains("never again"));
    let (code, r) = check(&[
        "--hasura-config",
        &cfg,
        "--token",
        "@samples/id-token.jwt",
        "--strict",
    ]);
    assert_eq!(code, 1);
    assert!(r["summary"].as_str().unwrap().contains("--strict"));
}

#[test]
fn token_failures_carry_the_engine_text_and_a_file_holds_many_tokens() {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=60")],
    );
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(
        &tokens,
        format!(
            "# sample sign-ins\n{}\n\n{}\n",
            sample_text("id-token.jwt"),
            sample_text("access-token.jwt")
        ),
    )
    .unwrap();
    let (code, r) = check(&[
        "--hasura-config",
        &good_config(&s.url("/jwks.json")),
        "--token",
        &format!("@{}", tokens.display()),
    ]);
    assert_eq!(code, 1);
    assert_eq!(r["tokens"].as_array().unwrap().len(), 2);
    assert!(r["tokens"][0]["label"].as_str().unwrap().contains("line 2"));
    assert_eq!(r["tokens"][0]["report"]["verdict"], "valid");
    assert_eq!(
        r["tokens"][1]["report"]["hasura"]["engine_error"],
        "claims key: 'https://hasura.io/jwt/claims' not found"
    );
}

#[test]
fn callback_urls_are_samples_too() {
    let (code, r) = check(&[
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--callback-url",
        "@samples/callback-url.txt",
    ]);
    assert_eq!(code, 0, "{r:#}");
    let (code, r) = check(&[
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--callback-url",
        "https://localhost:3000/cb?code=abc",
    ]);
    assert_eq!(code, 1);
    assert_eq!(r["tokens"][0]["report"]["error"]["id"], "callback.code");
}

#[test]
fn every_policy_rule_passes_and_fails() {
    let base = [
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--token",
        "@samples/id-token.jwt",
    ];
    let passing: [&[&str]; 7] = [
        &["--expect-role", "editor"],
        &["--expect-default-role", "user"],
        &["--forbid-role", "admin"],
        &["--require-claim", "x-hasura-user-id"],
        &["--claim-equals", "x-hasura-user-id=sub"],
        &["--expect-token-use", "id"],
        &["--max-lifetime", "3600"],
    ];
    let failing: [(&[&str], &str); 7] = [
        (&["--expect-role", "admin"], "policy.expect_role"),
        (
            &["--expect-default-role", "editor"],
            "policy.expect_default_role",
        ),
        (&["--forbid-role", "editor"], "policy.forbid_role"),
        (
            &["--require-claim", "x-hasura-tenant-id"],
            "policy.require_claim",
        ),
        (
            &["--claim-equals", "x-hasura-user-id=email"],
            "policy.claim_equals",
        ),
        (&["--expect-token-use", "access"], "policy.token_use"),
        (&["--max-lifetime", "600"], "policy.max_lifetime"),
    ];
    for extra in passing {
        let (code, r) = check(&[&base[..], extra].concat());
        assert_eq!(code, 0, "{extra:?}: {r:#}");
    }
    for (extra, id) in failing {
        let (code, r) = check(&[&base[..], extra].concat());
        assert_eq!(code, 1, "{extra:?}");
        let policy = r["tokens"][0]["report"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone();
        assert_eq!(policy["status"], "fail", "{id}");
        assert!(r["summary"].as_str().unwrap().contains("failed"));
    }
}

#[test]
fn no_tokens_is_a_warning() {
    let (code, r) = check(&[
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
    ]);
    assert_eq!(code, 0);
    assert!(ids_with(&r, "warn").contains(&"lint.tokens".to_string()));
}

#[test]
fn github_format_annotates_failures() {
    let out = jwtcheck()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--hasura-config",
            "@samples/hasura-jwt-secret.broken.json",
            "--jwks",
            "samples/jwks.json",
            "--token",
            "@samples/id-token.jwt",
            "--format",
            "github",
            "--now",
            SAMPLE_NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error title=jwtcheck lint.cognito_issuer::issuer ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning title=jwtcheck lint.config_unknown::")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=samples/id-token.jwt,line=1,title=jwtcheck token #1 (samples/id-token.jwt)::"
        )),
        "{text}"
    );
    assert!(
        text.contains("\nFAILED  "),
        "the table follows the annotations"
    );
    assert!(!text.contains('\x1b'), "no colors when not a terminal");
}

#[test]
fn check_human_output_snapshot() {
    let (code, out, _) = run(jwtcheck().current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "check",
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--token",
        "@samples/id-token.jwt",
        "--token",
        "@samples/access-token.jwt",
        "--policy",
        "samples/policy.json",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_samples", out);
}

#[test]
fn secrets_no_issuer_tells_apart_fail_the_check() {
    let a = json!({"type": "HS256", "key": "0123456789abcdef0123456789abcdef", "audience": "a"});
    let b = json!({"type": "HS256", "key": "abcdef0123456789abcdef0123456789", "audience": "a"});
    let (code, r) = check(&["--hasura-config", &json!([a, b]).to_string()]);
    assert_eq!(code, 1, "{r:#}");
    assert!(ids_with(&r, "fail").contains(&"lint.config_ambiguous".to_string()));
}

#[test]
fn key_sets_the_engine_refuses_or_that_are_empty_fail_the_check() {
    let s = Server::start();
    let mut bad = sample_jwks();
    bad["keys"][0]["key_ops"] = json!(["check"]);
    serve_json(&s, "/bad.json", &bad, &[("Cache-Control", "max-age=60")]);
    serve_json(
        &s,
        "/empty.json",
        &json!({"keys": []}),
        &[("Cache-Control", "max-age=60")],
    );
    let (code, r) = check(&[
        "--hasura-config",
        &good_config(&s.url("/bad.json")),
        "--token",
        "@samples/id-token.jwt",
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert!(ids_with(&r, "fail").contains(&"hasura.jwks_refused".to_string()));
    let (code, r) = check(&[
        "--hasura-config",
        &good_config(&s.url("/empty.json")),
        "--token",
        "@samples/id-token.jwt",
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["tokens"][0]["report"]["hasura"]["engine_error"],
        "Could not verify JWT: JWSError NoUsableKeys"
    );
}

#[test]
fn strict_counts_token_warnings() {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=60")],
    );
    let (code, r) = check(&[
        "--hasura-config",
        &good_config(&s.url("/jwks.json")),
        "--token",
        "@samples/access-token.jwt",
        "--strict",
    ]);
    assert_eq!(code, 1);
    let rows = r["tokens"][0]["report"]["checks"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|c| c["id"] == "aud" && c["status"] == "warn")
    );
    assert!(r["counts"]["warn"].as_u64().unwrap() >= 1);
}

#[test]
fn a_policy_or_a_token_flag_without_a_token_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let comments = dir.path().join("comments.txt");
    std::fs::write(&comments, "# staging sign-ins\n\n# none yet\n").unwrap();
    let base = [
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
    ];
    let cases: [(Vec<String>, &str, String); 5] = [
        (
            vec!["--policy".into(), "samples/policy.json".into()],
            "lint.tokens",
            "a policy is given (--policy samples/policy.json) but no sample token".into(),
        ),
        (
            vec!["--expect-role".into(), "editor".into()],
            "lint.tokens",
            "a policy is given (policy flags) but no sample token".into(),
        ),
        (
            vec!["--token".into(), String::new()],
            "token.empty",
            "--token is empty: no sample token to check".into(),
        ),
        (
            vec!["--token".into(), format!("@{}", empty.display())],
            "token.empty",
            format!("--token @{} is empty", empty.display()),
        ),
        (
            vec![
                "--token".into(),
                "@samples/id-token.jwt".into(),
                "--token".into(),
                format!("@{}", comments.display()),
            ],
            "token.empty",
            format!("--token @{} holds only comments", comments.display()),
        ),
    ];
    for (extra, id, message) in cases {
        let args: Vec<&str> = base
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
            .collect();
        let (code, r) = check(&args);
        assert_eq!(code, 2, "{extra:?}: {r:#}");
        assert_eq!(r["verdict"], "usage_error", "{extra:?}");
        assert_eq!(r["error"]["id"], id, "{extra:?}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with(&message),
            "{extra:?}: {r:#}"
        );
        // The same run in GitHub's format: an ::error annotation first, and exit 2.
        let (code, out, _) = run(jwtcheck()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("check")
            .args(&args)
            .args(["--format", "github", "--now", SAMPLE_NOW]));
        assert_eq!(code, 2, "{extra:?}: {out}");
        assert!(
            first_line(&out).starts_with(&format!("::error title=jwtcheck {id}::{message}")),
            "{extra:?}: {out}"
        );
        assert!(out.contains(&format!("\nUSAGE ERROR  {message}")), "{out}");
    }
}

#[test]
fn a_typo_in_type_beside_jwk_url_is_warned() {
    let url =
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json";
    let cfg =
        json!({"type": "RSA256", "jwk_url": url, "claims_format": "stringified_json"}).to_string();
    let (code, r) = check(&[
        "--hasura-config",
        &cfg,
        "--jwks",
        "samples/jwks.json",
        "--token",
        "@samples/id-token.jwt",
    ]);
    assert_eq!(code, 0, "{r:#}");
    let row = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lint.config_unknown")
        .unwrap_or_else(|| panic!("{r:#}"))
        .clone();
    assert_eq!(row["status"], "warn");
    assert_eq!(
        row["message"],
        "type \"RSA256\" is not an algorithm the engine knows"
    );
    assert!(
        row["hint"]
            .as_str()
            .unwrap()
            .starts_with("did you mean \"RS256\"?")
    );
    // verify says it too.
    let (_, v) = run_json(jwtcheck().current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "verify",
        "@samples/id-token.jwt",
        "--hasura-config",
        &cfg,
        "--jwks",
        "samples/jwks.json",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(status(&v, "lint.config_unknown"), "warn", "{v:#}");
}

#[test]
fn github_annotations_point_at_the_tokens_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(
        &tokens,
        format!(
            "# sample sign-ins\n{}\n\n{}\n",
            sample_text("id-token.jwt"),
            sample_text("access-token.jwt")
        ),
    )
    .unwrap();
    let (code, out, _) = run(jwtcheck().current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "check",
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--jwks",
        "samples/jwks.json",
        "--token",
        &format!("@{}", tokens.display()),
        "--format",
        "github",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 1, "{out}");
    let file = tokens.display().to_string().replace(':', "%3A");
    assert!(
        out.lines().any(|l| l.starts_with(&format!(
            "::error file={file},line=4,title=jwtcheck token #2 ("
        ))),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with(&format!(
            "::warning file={file},line=4,title=jwtcheck lint.token_kind::"
        ))),
        "{out}"
    );
}

#[test]
fn the_caching_sentence_is_printed_once() {
    let s = Server::start();
    serve_json(&s, "/jwks.json", &sample_jwks(), &[]);
    let cfg = good_config(&s.url("/jwks.json"));
    let cache = cache_dir();
    let sentence = "no Cache-Control or Expires: Hasura fetches this key set once at startup";
    for args in [
        vec![
            "check",
            "--hasura-config",
            &cfg,
            "--token",
            "@samples/id-token.jwt",
            "--now",
            SAMPLE_NOW,
        ],
        vec!["jwks", &s.url("/jwks.json")],
    ] {
        let (_, out, _) =
            run(jwtcheck_cached(&cache, &args).current_dir(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(out.matches(sentence).count(), 1, "{args:?}:\n{out}");
    }
}

/// HASURA_GRAPHQL_JWT_SECRETS holding one object, not a list: the engine refuses to start
/// (`parsing [] failed`), and `check` says so as `verify` does, with the same loader.
#[test]
fn a_secrets_variable_that_is_no_list_is_refused_as_by_verify() {
    let cfg = good_config("https://cognito-idp.us-east-1.amazonaws.com/x/.well-known/jwks.json");
    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "check",
                "--hasura-config-env",
                "--offline",
                "--now",
                SAMPLE_NOW,
            ])
            .arg("--cache-dir")
            .arg(cache.path())
            .env("HASURA_GRAPHQL_JWT_SECRETS", &cfg)
            .env_remove("HASURA_GRAPHQL_JWT_SECRET"),
    );
    assert_eq!(code, 2, "{r:#}");
    let startup = r["config"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "hasura.startup")
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(startup["status"], "fail");
    assert!(
        startup["message"]
            .as_str()
            .unwrap()
            .contains("parsing [] failed, expected Array"),
        "{r:#}"
    );
}
