//! `jwtcheck verify` with local keys: every algorithm, known-answer vectors, claims, key
//! selection, exit codes.

use crate::support::sign::{key_path, public_jwk, sign};
use crate::support::*;
use serde_json::json;

const FUTURE: i64 = 4_102_444_800; // 2100-01-01

fn payload() -> String {
    json!({"sub": "u1", "iat": 1_700_000_000, "exp": FUTURE}).to_string()
}

fn write_jwks(dir: &tempfile::TempDir, keys: serde_json::Value) -> String {
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, json!({ "keys": keys }).to_string()).unwrap();
    path.display().to_string()
}

fn rfc(name: &str) -> String {
    format!("{}/tests/fixtures/rfc/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_algorithm_verifies_with_pem_and_with_a_jwks() {
    let cases = [
        ("RS256", "rsa-pool-id"),
        ("RS384", "rsa-pool-id"),
        ("RS512", "rsa-pool-id"),
        ("PS256", "rsa-pool-id"),
        ("PS384", "rsa-pool-id"),
        ("PS512", "rsa-pool-id"),
        ("ES256", "ec-p256"),
        ("ES384", "ec-p384"),
        ("ES512", "ec-p521"),
        ("EdDSA", "ed25519"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (alg, key) in cases {
        let header = json!({"alg": alg, "kid": "k1"}).to_string();
        let token = sign(alg, key, &header, &payload());
        let pem = key_path(&format!("{key}.pub.pem"));
        let (code, out, _) = run(jwtcheck().args(["verify", &token, "--key"]).arg(&pem));
        assert_eq!(code, 0, "{alg} with PEM:\n{out}");
        assert!(
            first_line(&out).starts_with(&format!("VALID  {alg} token")),
            "{out}"
        );

        let jwks = write_jwks(
            &dir,
            json!([public_jwk(&format!("{key}.pub.pem"), Some("k1"), Some(alg))]),
        );
        let (code, r) = run_json(jwtcheck().args(["verify", &token, "--jwks", &jwks]));
        assert_eq!(code, 0, "{alg} with JWKS: {r:#}");
        assert_eq!(r["verdict"], "valid");
        assert_eq!(r["key"]["kid"], "k1");
        assert_eq!(r["key"]["alg"], alg);
        assert_eq!(r["leeway"], 0.0);
    }
}

#[test]
fn hmac_algorithms_verify_with_secret_files_and_env() {
    for (alg, secret) in [("HS256", "hs256"), ("HS384", "hs512"), ("HS512", "hs512")] {
        let token = sign(alg, secret, &json!({"alg": alg}).to_string(), &payload());
        let file = key_path(&format!("{secret}.secret"));
        let (code, out, _) = run(jwtcheck()
            .args(["verify", &token, "--secret-file"])
            .arg(&file));
        assert_eq!(code, 0, "{alg}: {out}");
        let value = std::fs::read_to_string(&file).unwrap();
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &token, "--secret-env", "MY_SECRET"])
                .env("MY_SECRET", value),
        );
        assert_eq!(code, 0);
        assert_eq!(r["key"]["kty"], "oct");
        assert!(
            r["key"].get("thumbprint").is_none(),
            "secrets are never fingerprinted"
        );
    }
}

#[test]
fn secret_on_the_command_line_works_but_is_warned_about() {
    let token = sign("HS256", "hs256", r#"{"alg":"HS256"}"#, &payload());
    let secret = std::fs::read_to_string(key_path("hs256.secret")).unwrap();
    let (code, out, _) = run(jwtcheck().args(["verify", &token, "--secret", &secret]));
    assert_eq!(code, 0);
    assert!(out.contains("lint.secret_argv"), "{out}");
    assert!(!out.contains(&secret), "the secret is never printed");
}

#[test]
fn certificates_and_pkcs1_keys_work() {
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    for file in ["rsa-pool-id.cert.pem", "rsa-pool-id.pkcs1.pub.pem"] {
        let (code, out, _) = run(jwtcheck()
            .args(["verify", &token, "--key"])
            .arg(key_path(file)));
        assert_eq!(code, 0, "{file}: {out}");
    }
}

#[test]
fn rfc7515_vectors_verify_before_2011_and_are_expired_after() {
    for v in ["a1", "a2", "a3"] {
        let token = format!("@{}", rfc(&format!("rfc7515-{v}.jwt")));
        let key = rfc(&format!("rfc7515-{v}.jwk"));
        let (code, r) = run_json(jwtcheck().args([
            "verify",
            &token,
            "--key",
            &key,
            "--now",
            "2011-03-22T18:00:00Z",
        ]));
        assert_eq!(code, 0, "{v}: {r:#}");
        assert_eq!(status(&r, "signature"), "pass");
        let (code, r) = run_json(jwtcheck().args(["verify", &token, "--key", &key]));
        assert_eq!(code, 1, "{v}");
        assert_eq!(status(&r, "signature"), "pass");
        assert_eq!(status(&r, "exp"), "fail");
    }
}

#[test]
fn signatures_over_non_jwt_payloads_verify_and_say_so() {
    for (token, key, alg) in [
        ("rfc8037-a4.jwt", "rfc8037-a4.jwk", "EdDSA"),
        ("rfc7520-4.4.jwt", "rfc7520-4.4.jwk", "HS256"),
        ("rfc7515-a4.jwt", "rfc7515-a4.jwk", "ES512"),
    ] {
        let (code, out, _) =
            run(jwtcheck().args(["verify", &format!("@{}", rfc(token)), "--key", &rfc(key)]));
        assert_eq!(code, 4, "{token}");
        let line = first_line(&out);
        assert!(
            line.starts_with(&format!("MALFORMED  {alg} signature verified")),
            "{line}"
        );
        assert!(line.contains("payload is not JSON"), "{line}");
    }
}

#[test]
fn sample_id_token_passes_every_cognito_check() {
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--issuer",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1",
        "--client-id",
        "4l1h8mfsl2jt8ovcbvda5sqvd0",
        "--token-use",
        "id",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0, "{r:#}");
    for id in [
        "alg",
        "signature",
        "exp",
        "iat",
        "iss",
        "token_use",
        "client_id",
    ] {
        assert_eq!(status(&r, id), "pass", "{id}");
    }
    assert_eq!(
        status(&r, "aud"),
        "skip",
        "--client-id checks aud of an id token"
    );
}

#[test]
fn unpinned_issuer_and_audience_are_shown_and_warned() {
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
    let iss = &checks(&r, "iss")[0];
    assert_eq!(iss["status"], "warn");
    assert!(
        iss["message"]
            .as_str()
            .unwrap()
            .contains("us-east-1_Jw7Ck9Sa1")
    );
    assert!(
        iss["message"]
            .as_str()
            .unwrap()
            .contains("any issuer would pass")
    );
    assert_eq!(status(&r, "aud"), "warn");
}

#[test]
fn claim_failures_name_the_check() {
    let jwks = sample("jwks.json");
    let jwks = jwks.to_str().unwrap();
    let id = at_sample("id-token.jwt");
    let access = at_sample("access-token.jwt");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                &id,
                "--issuer",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
            ],
            "iss",
        ),
        (vec![&id, "--audience", "other-client"], "aud"),
        (vec![&id, "--token-use", "access"], "token_use"),
        (vec![&id, "--client-id", "other-client"], "client_id"),
        (
            vec![&access, "--audience", "4l1h8mfsl2jt8ovcbvda5sqvd0"],
            "aud",
        ),
        (vec![&access, "--client-id", "other-client"], "client_id"),
    ];
    for (args, failing) in cases {
        let (code, r) = run_json(
            jwtcheck()
                .arg("verify")
                .args(&args)
                .args(["--jwks", jwks, "--now", SAMPLE_NOW]),
        );
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(status(&r, failing), "fail", "{args:?}: {r:#}");
        assert_eq!(r["verdict"], "invalid");
    }
    // The access token passes with its client id (it has no aud).
    let (code, _) = run_json(jwtcheck().args([
        "verify",
        &access,
        "--jwks",
        jwks,
        "--client-id",
        "4l1h8mfsl2jt8ovcbvda5sqvd0",
        "--token-use",
        "access",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
}

#[test]
fn leeway_and_now_decide_the_time_checks() {
    let jwks = sample("jwks.json");
    let args = [
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        jwks.to_str().unwrap(),
    ];
    // exp is 10:00:00; at 10:00:30 it is expired unless 30 s of leeway are allowed.
    let (code, out, _) = run(jwtcheck()
        .args(args)
        .args(["--now", "2026-11-24T10:00:30Z"]));
    assert_eq!(code, 1);
    assert_eq!(
        first_line(&out),
        "REJECTED  expired 30s ago (2026-11-24 10:00:00 UTC); leeway 0s"
    );
    let (code, _, _) =
        run(jwtcheck()
            .args(args)
            .args(["--now", "2026-11-24T10:00:29Z", "--leeway", "30"]));
    assert_eq!(code, 0);
    // iat is 09:00:00: a minute earlier the token was issued in the future.
    let (code, r) = run_json(
        jwtcheck()
            .args(args)
            .args(["--now", "2026-11-24T08:59:00Z"]),
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "iat"), "fail");
}

#[test]
fn missing_exp_fails_unless_opted_out() {
    let token = sign("ES256", "ec-p256", r#"{"alg":"ES256"}"#, r#"{"sub":"1"}"#);
    let pem = key_path("ec-p256.pub.pem");
    let (code, r) = run_json(jwtcheck().args(["verify", &token, "--key"]).arg(&pem));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "exp"), "fail");
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--no-exp-required", "--key"])
            .arg(&pem),
    );
    assert_eq!(code, 0);
    assert_eq!(status(&r, "exp"), "warn");
}

#[test]
fn key_selection_misses_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = write_jwks(
        &dir,
        json!([
            public_jwk("rsa-pool-id.pub.pem", Some("id-key"), Some("RS256")),
            public_jwk("rsa-pool-access.pub.pem", Some("access-key"), Some("RS256")),
            public_jwk("ec-p256.pub.pem", Some("ec-key"), Some("ES256")),
        ]),
    );
    let t = |header: serde_json::Value, key: &str| {
        sign(
            header["alg"].as_str().unwrap(),
            key,
            &header.to_string(),
            &payload(),
        )
    };
    let cases = [
        (
            t(json!({"alg":"RS256","kid":"gone"}), "rsa-pool-id"),
            "no key with kid \"gone\"; the key set has \"id-key\", \"access-key\", \"ec-key\"",
        ),
        (
            t(json!({"alg":"RS256","kid":"ec-key"}), "rsa-pool-id"),
            "it is an EC P-256 public key; RS256 needs an RSA public key",
        ),
        (
            t(json!({"alg":"RS256"}), "rsa-pool-id"),
            "2 keys fit alg RS256 and the token has no kid",
        ),
    ];
    for (token, want) in cases {
        let (code, r) = run_json(jwtcheck().args(["verify", &token, "--jwks", &jwks]));
        assert_eq!(code, 1);
        let key = &checks(&r, "key")[0];
        assert_eq!(key["status"], "fail");
        assert!(
            key["message"].as_str().unwrap().contains(want),
            "{want}\n{key:#}"
        );
        assert_eq!(status(&r, "signature"), "skip");
    }
}

#[test]
fn a_token_signed_by_another_key_fails_its_signature() {
    let token = sign("RS256", "rsa-other", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--key"])
            .arg(key_path("rsa-pool-id.pub.pem")),
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signature"), "fail");
}

#[test]
fn key_source_problems_have_their_own_exit_codes() {
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = run_json(jwtcheck().args(["verify", &token, "--key", "/no/such.pem"]));
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.unreadable");
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--key"])
            .arg(key_path("rsa-pool-id.pem")),
    );
    assert_eq!(code, 2, "a private key given to --key is a usage error");
    assert_eq!(r["error"]["id"], "key.private");
    assert!(r["error"]["hint"].as_str().unwrap().contains("-pubout"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"keys\": ").unwrap();
    let (code, r) = run_json(jwtcheck().args(["verify", &token, "--jwks"]).arg(&bad));
    assert_eq!(code, 3);
    assert_eq!(r["verdict"], "undecidable");
    std::fs::write(&bad, "{\"keys\": []}").unwrap();
    let (code, r) = run_json(jwtcheck().args(["verify", &token, "--jwks"]).arg(&bad));
    assert_eq!(code, 3);
    assert_eq!(r["error"]["id"], "keys.empty");
    let (code, _) =
        run_json(jwtcheck().args(["verify", &token, "--jwks", "a.json", "--key", "b.pem"]));
    assert_eq!(code, 2);
}

#[test]
fn no_key_source_and_a_foreign_issuer_is_a_usage_error() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &json!({"iss":"https://auth.example.com","exp":FUTURE}).to_string(),
    );
    let (code, r) = run_json(jwtcheck().args(["verify", &token]));
    assert_eq!(code, 2);
    assert_eq!(r["error"]["id"], "usage.no_key_source");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("never trusts a token to name its own keys")
    );
    assert_eq!(
        r["token"]["payload"]["iss"], "https://auth.example.com",
        "the token is still shown"
    );
}

#[test]
fn weak_rsa_keys_are_refused_with_a_reason() {
    let token = format!(
        "@{}/tests/fixtures/tokens/rs256-rsa1024.jwt",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--key"])
            .arg(key_path("rsa-1024.pub.pem")),
    );
    assert_eq!(code, 1);
    let key = &checks(&r, "key")[0];
    assert!(
        key["message"].as_str().unwrap().contains("1024 bits"),
        "{key:#}"
    );
}

#[test]
fn human_output_of_a_valid_sample_is_stable() {
    let (code, out, _) = run(jwtcheck()
        .args([
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            "samples/jwks.json",
            "--cognito-pool",
            "us-east-1_Jw7Ck9Sa1",
            "--client-id",
            "4l1h8mfsl2jt8ovcbvda5sqvd0",
            "--now",
            SAMPLE_NOW,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(code, 0);
    insta::assert_snapshot!("verify_sample_id_token", out);
}

#[test]
fn a_token_kid_never_matches_a_key_without_kid_in_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = write_jwks(
        &dir,
        json!([public_jwk("rsa-pool-id.pub.pem", None, Some("RS256"))]),
    );
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256","kid":"zzz"}"#,
        &payload(),
    );
    let (code, r) = run_json(jwtcheck().args(["verify", &token, "--jwks", &jwks]));
    assert_eq!(code, 1);
    assert!(failed(&r, "key"));
    assert_eq!(
        r["key_source"]["source"], jwks,
        "the key source is shown even when no key fits"
    );
    // Without a kid, the one key of the set is used.
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, _) = run_json(jwtcheck().args(["verify", &token, "--jwks", &jwks]));
    assert_eq!(code, 0);
}

#[test]
fn hopeless_tokens_do_not_fetch_keys() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/jwks.json");
    let none = format!(
        "{}.{}.",
        crate::support::sign::b64(r#"{"alg":"none"}"#),
        crate::support::sign::b64(&payload())
    );
    let (code, r) = run_json(jwtcheck().args(["verify", &none, "--jwks", &url]));
    assert_eq!(code, 1, "rejected, not undecidable: {r:#}");
    assert!(failed(&r, "alg"));
}

#[test]
fn a_token_valid_only_by_leeway_says_so() {
    let jwks = sample("jwks.json");
    let (code, out, _) = run(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        jwks.to_str().unwrap(),
        "--now",
        "2026-11-24T10:00:10Z",
        "--leeway",
        "30",
    ]));
    assert_eq!(code, 0);
    assert!(
        first_line(&out).contains("expired 10s ago, accepted within the leeway"),
        "{out}"
    );
}
