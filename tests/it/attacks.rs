//! The JWT attack catalogue (research/peers-security.md §2), one test per entry that applies to
//! a verifier: each asserts the exit code and the check that failed.

use crate::support::sign::{b64, key_path, key_text, public_jwk, sign, sign_hmac_raw};
use crate::support::*;
use serde_json::json;

const FUTURE: i64 = 4_102_444_800;

fn claims() -> String {
    json!({"sub": "u1", "exp": FUTURE, "https://hasura.io/jwt/claims": {"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"]}}).to_string()
}

fn pool_jwks() -> String {
    sample("jwks.json").display().to_string()
}

/// Runs verify against the sample pool's key set and returns (exit code, report).
fn verify_pool(token: &str) -> (i32, serde_json::Value) {
    run_json(jwtcheck().args(["verify", token, "--jwks", &pool_jwks()]))
}

fn pool_token() -> String {
    sign(
        "RS256",
        "rsa-pool-id",
        &json!({"alg": "RS256", "kid": ID_KID}).to_string(),
        &claims(),
    )
}

/// Replaces the header of a token, keeping payload and signature.
fn with_header(token: &str, header: &str) -> String {
    let rest = token.split_once('.').unwrap().1;
    format!("{}.{rest}", b64(header))
}

#[test]
fn a1_alg_none_and_case_variants_never_pass() {
    let genuine = pool_token();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = json!({"alg": alg, "kid": ID_KID}).to_string();
        let stripped = format!(
            "{}.",
            with_header(&genuine, &header).rsplit_once('.').unwrap().0
        );
        for token in [stripped, with_header(&genuine, &header)] {
            let (code, r) = verify_pool(&token);
            assert_eq!(code, 1, "{alg}");
            assert!(failed(&r, "alg"), "{alg}: {r:#}");
            assert_eq!(status(&r, "signature"), "skip");
        }
    }
    let (code, r) = verify_pool(&with_header(&genuine, r#"{"alg":"rs256"}"#));
    assert_eq!(code, 1);
    assert!(failed(&r, "alg"), "lower-case names are unknown algorithms");
}

#[test]
fn a2_rs_to_hs_key_confusion_fails_and_is_named() {
    let pem = key_text("rsa-pool-id.pub.pem");
    let der = {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap()
    };
    let header = json!({"alg": "HS256", "kid": ID_KID}).to_string();
    let secrets: [&[u8]; 3] = [pem.as_bytes(), pem.trim_end().as_bytes(), &der];
    for secret in secrets {
        let forged = sign_hmac_raw("HS256", secret, &header, &claims());
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &forged, "--key"])
                .arg(key_path("rsa-pool-id.pub.pem")),
        );
        assert_eq!(code, 1);
        assert!(failed(&r, "key"), "{r:#}");
        let msg = checks(&r, "key")[0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(msg.contains("RS→HS key-confusion"), "{msg}");
        let (code, r) = verify_pool(&forged);
        assert_eq!(code, 1);
        assert!(failed(&r, "key"));
    }
}

#[test]
fn a3_embedded_jwk_is_never_used() {
    let attacker = public_jwk("rsa-other.pub.pem", Some(ID_KID), Some("RS256"));
    let header = json!({"alg": "RS256", "kid": ID_KID, "jwk": attacker}).to_string();
    let forged = sign("RS256", "rsa-other", &header, &claims());
    let (code, r) = verify_pool(&forged);
    assert_eq!(code, 1);
    assert!(failed(&r, "signature"), "{r:#}");
    assert_eq!(status(&r, "lint.header"), "warn");
}

#[test]
fn a4_jku_and_x5u_are_never_fetched() {
    let server = Server::start();
    serve_json(
        &server,
        "/evil-jwks.json",
        &json!({"keys": [public_jwk("rsa-other.pub.pem", Some(ID_KID), Some("RS256"))]}),
        &[],
    );
    for param in ["jku", "x5u"] {
        let header = json!({"alg": "RS256", "kid": ID_KID, param: server.url("/evil-jwks.json")})
            .to_string();
        let forged = sign("RS256", "rsa-other", &header, &claims());
        let (code, r) = verify_pool(&forged);
        assert_eq!(code, 1);
        assert!(failed(&r, "signature"));
        assert_eq!(status(&r, "lint.header"), "warn");
    }
    assert_eq!(
        server.hits("/evil-jwks.json"),
        0,
        "the token's URLs are never fetched"
    );
}

#[test]
fn a5_x5c_and_token_named_issuers_are_not_trusted_for_keys() {
    let server = Server::start();
    let iss = server.url("/evil");
    serve_json(
        &server,
        "/evil/.well-known/openid-configuration",
        &json!({"issuer": iss, "jwks_uri": server.url("/evil/keys")}),
        &[],
    );
    let cert: String = key_text("rsa-pool-id.cert.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let header = json!({"alg": "RS256", "x5c": [cert]}).to_string();
    let forged = sign(
        "RS256",
        "rsa-other",
        &header,
        &json!({"iss": iss, "exp": FUTURE}).to_string(),
    );
    let (code, r) = run_json(jwtcheck().args(["verify", &forged]));
    assert_eq!(
        code, 2,
        "no key source: the token's issuer is not trusted: {r:#}"
    );
    assert_eq!(r["error"]["id"], "usage.no_key_source");
    assert_eq!(server.hits("/evil/.well-known/openid-configuration"), 0);
}

#[test]
fn a6_kid_injection_is_an_opaque_lookup() {
    for (kid, secret) in [
        ("../../../../../../dev/null", &b""[..]),
        ("/dev/null", b""),
        ("x' UNION SELECT '1';--", b"1"),
        ("|sleep 10", b"1"),
    ] {
        let forged = sign_hmac_raw(
            "HS256",
            secret,
            &json!({"alg": "HS256", "kid": kid}).to_string(),
            &claims(),
        );
        let (code, r) = verify_pool(&forged);
        assert_eq!(code, 1, "{kid}");
        assert!(failed(&r, "key"), "{kid}");
    }
    let forged = sign(
        "RS256",
        "rsa-pool-id",
        &json!({"alg": "RS256", "kid": {"$ne": null}}).to_string(),
        &claims(),
    );
    let (code, r) = verify_pool(&forged);
    assert_eq!(code, 1);
    assert_eq!(
        checks(&r, "key")[0]["message"],
        "kid is an object, not a string"
    );
}

#[test]
fn a7_psychic_and_malformed_ecdsa_signatures_fail() {
    let header = json!({"alg": "ES256"}).to_string();
    let genuine = sign("ES256", "ec-p256", &header, &claims());
    let input = genuine.rsplit_once('.').unwrap().0.to_string();
    let zero = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [0u8; 64]);
    for sig in [zero.as_str(), "MAYCAQACAQA", "AA"] {
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &format!("{input}.{sig}"), "--key"])
                .arg(key_path("ec-p256.pub.pem")),
        );
        assert_eq!(code, 1, "{sig}");
        assert!(failed(&r, "signature"), "{sig}: {r:#}");
    }
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &format!("{input}."), "--key"])
            .arg(key_path("ec-p256.pub.pem")),
    );
    assert_eq!(code, 1);
    assert_eq!(
        checks(&r, "signature")[0]["message"],
        "the signature segment is empty"
    );
}

#[test]
fn a8_weak_hmac_secrets_fail_unless_allowed_and_the_signature_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    for secret in ["a", "secret"] {
        let file = dir.path().join("s");
        std::fs::write(&file, secret).unwrap();
        let token = sign_hmac_raw("HS256", secret.as_bytes(), r#"{"alg":"HS256"}"#, &claims());
        // RFC 7518 §3.2: a key shorter than the hash MUST NOT be used; Hasura refuses it.
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &token, "--secret-file"])
                .arg(&file),
        );
        assert_eq!(code, 1, "{secret:?}: {r:#}");
        let key = &checks(&r, "key")[0];
        assert_eq!(key["status"], "fail");
        assert!(
            key["message"]
                .as_str()
                .unwrap()
                .contains("shorter than the 32 bytes HS256 needs")
        );
        assert!(
            key["hint"]
                .as_str()
                .unwrap()
                .contains("--allow-weak-secret")
        );
        assert_eq!(
            checks(&r, "signature")[0]["status"],
            "pass",
            "still says whether it matched"
        );
        // On purpose: the key check warns and the token passes.
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &token, "--allow-weak-secret", "--secret-file"])
                .arg(&file),
        );
        assert_eq!(code, 0, "{secret:?}: {r:#}");
        assert_eq!(checks(&r, "key")[0]["status"], "warn");
    }
    // An empty secret (an unset CI variable) would let anyone forge tokens: it fails.
    let token = sign_hmac_raw("HS256", b"", r#"{"alg":"HS256"}"#, &claims());
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--secret-env", "EMPTY"])
            .env("EMPTY", ""),
    );
    assert_eq!(code, 1);
    assert!(failed(&r, "key"));
    assert!(
        checks(&r, "key")[0]["message"]
            .as_str()
            .unwrap()
            .contains("empty")
    );
}

#[test]
fn a9_missing_exp_fails_by_default() {
    let token = sign(
        "RS256",
        "rsa-pool-id",
        &json!({"alg": "RS256", "kid": ID_KID}).to_string(),
        r#"{"sub":"u1"}"#,
    );
    let (code, r) = verify_pool(&token);
    assert_eq!(code, 1);
    assert!(failed(&r, "exp"));
}

#[test]
fn a10_future_iat_nbf_and_long_lifetimes() {
    let header = json!({"alg": "RS256", "kid": ID_KID}).to_string();
    let now = 1_795_512_600i64;
    let cases = [
        (json!({"iat": now + 86_400, "exp": now + 90_000}), "iat"),
        (json!({"nbf": now + 86_400, "exp": now + 90_000}), "nbf"),
    ];
    for (payload, id) in cases {
        let token = sign("RS256", "rsa-pool-id", &header, &payload.to_string());
        let (code, r) = run_json(jwtcheck().args([
            "verify",
            &token,
            "--jwks",
            &pool_jwks(),
            "--now",
            &now.to_string(),
        ]));
        assert_eq!(code, 1, "{id}");
        assert!(failed(&r, id), "{id}: {r:#}");
    }
    let token = sign(
        "RS256",
        "rsa-pool-id",
        &header,
        &json!({"iat": now - 10, "exp": now + 10 * 365 * 86_400}).to_string(),
    );
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &token,
        "--jwks",
        &pool_jwks(),
        "--now",
        &now.to_string(),
    ]));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "lint.lifetime"), "warn");
}

#[test]
fn a11_crit_is_rejected_in_every_form() {
    for header in [
        json!({"alg": "RS256", "kid": ID_KID, "crit": ["foo"], "foo": 1}),
        json!({"alg": "RS256", "kid": ID_KID, "crit": []}),
        json!({"alg": "RS256", "kid": ID_KID, "crit": ["alg"]}),
        json!({"alg": "RS256", "kid": ID_KID, "crit": ["foo"]}),
        json!({"alg": "RS256", "kid": ID_KID, "crit": "foo", "foo": 1}),
    ] {
        let token = sign("RS256", "rsa-pool-id", &header.to_string(), &claims());
        let (code, r) = verify_pool(&token);
        assert_eq!(code, 1, "{header}");
        assert!(failed(&r, "crit"), "{header}");
        assert_eq!(
            status(&r, "signature"),
            "skip",
            "crit fails it before its keys matter"
        );
    }
}

#[test]
fn a12_b64_false_is_rejected() {
    // RFC 7797 §4.1's header with the RFC 7515 A.1 key, over a JWT-shaped payload.
    let header = r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#;
    let token = sign("HS256", "hs256", header, &claims());
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--secret-file"])
            .arg(key_path("hs256.secret")),
    );
    assert_eq!(code, 1);
    assert!(failed(&r, "crit"));
}

#[test]
fn a15_duplicate_members_fail() {
    let header = json!({"alg": "RS256", "kid": ID_KID}).to_string();
    for payload in [
        format!(r#"{{"role":"user","role":"admin","exp":{FUTURE}}}"#),
        format!(
            r#"{{"exp":{FUTURE},"https://hasura.io/jwt/claims":{{"x-hasura-default-role":"user","x-hasura-default-role":"admin","x-hasura-allowed-roles":["user","admin"]}}}}"#
        ),
    ] {
        let token = sign("RS256", "rsa-pool-id", &header, &payload);
        let (code, r) = verify_pool(&token);
        assert_eq!(code, 1, "{payload}");
        assert!(failed(&r, "format"), "{payload}");
    }
    let token = sign(
        "RS256",
        "rsa-pool-id",
        &format!(r#"{{"alg":"RS256","kid":"{ID_KID}","alg":"none"}}"#),
        &claims(),
    );
    let (code, r) = verify_pool(&token);
    assert_eq!(code, 1);
    assert!(failed(&r, "format"));
}

#[test]
fn a17_non_canonical_base64_is_malformed() {
    let genuine = pool_token();
    let (h, rest) = genuine.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let last = s.chars().last().unwrap();
    // The signature is 256 bytes: its last character carries 4 spare bits.
    let sibling = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .chars()
        .find(|c| {
            *c != last
                && (jwtcheck::jose::base64url::decode(&format!("{}{c}", &s[..s.len() - 1]))
                    .is_err())
        })
        .unwrap();
    for token in [
        format!("{h}=.{p}.{s}"),
        format!("{h}.{p}.{}", s.replace('-', "+")),
        format!("{h}.{p}.{}{sibling}", &s[..s.len() - 1]),
        format!("{h}.{}\n{}.{s}", &p[..10], &p[10..]),
    ] {
        let (code, r) = verify_pool(&token);
        assert_eq!(code, 4, "{token}");
        assert!(failed(&r, "format"));
    }
}

#[test]
fn a18_invalid_utf8_and_bom_are_malformed() {
    let enc =
        |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b);
    let p = b64(&claims());
    for header in [
        &b"{\"alg\":\"RS256\xff\"}"[..],
        b"\xEF\xBB\xBF{\"alg\":\"RS256\"}",
        b"{\x00\"\x00}\x00",
    ] {
        let (code, r) = verify_pool(&format!("{}.{p}.AAAA", enc(header)));
        assert_eq!(code, 4);
        assert!(failed(&r, "format"));
    }
}

#[test]
fn a19_claim_type_confusion_is_named() {
    let header = json!({"alg": "RS256", "kid": ID_KID}).to_string();
    let cases = [
        (
            json!({"exp": "4102444800"}),
            "exp",
            "exp is a string, not a number",
        ),
        (
            json!({"exp": FUTURE, "aud": 5}),
            "aud",
            "aud is a number, not a string or a list of strings",
        ),
        (
            json!({"exp": FUTURE, "iss": ["a"]}),
            "iss",
            "iss is an array, not a string",
        ),
        (json!({"exp": -1}), "exp", "expired"),
    ];
    for (payload, id, want) in cases {
        let token = sign("RS256", "rsa-pool-id", &header, &payload.to_string());
        let (code, r) = run_json(jwtcheck().args([
            "verify",
            &token,
            "--jwks",
            &pool_jwks(),
            "--audience",
            "x",
            "--issuer",
            "y",
        ]));
        assert_eq!(code, 1, "{payload}");
        let c = checks(&r, id)
            .into_iter()
            .find(|c| c["status"] == "fail")
            .unwrap_or_else(|| panic!("{id}: {r:#}"));
        assert!(c["message"].as_str().unwrap().starts_with(want), "{c:#}");
    }
    let token = sign(
        "RS256",
        "rsa-pool-id",
        &header,
        &json!({"exp": 4102444800.5}).to_string(),
    );
    let (code, _) = verify_pool(&token);
    assert_eq!(code, 0, "fractional NumericDate is allowed");
}

#[test]
fn a20_substitution_of_token_kind_client_and_issuer() {
    let base = ["--jwks", "samples/jwks.json", "--now", SAMPLE_NOW];
    let cases: [(&str, &[&str], &str); 3] = [
        ("access-token.jwt", &["--token-use", "id"], "token_use"),
        (
            "id-token.jwt",
            &["--client-id", "another-client"],
            "client_id",
        ),
        (
            "id-token.jwt",
            &["--cognito-pool", "us-east-1_AnotherP1"],
            "iss",
        ),
    ];
    for (token, extra, id) in cases {
        let (code, r) = run_json(
            jwtcheck()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .arg("verify")
                .arg(at_sample(token))
                .args(base)
                .args(extra),
        );
        assert_eq!(code, 1, "{token} {extra:?}");
        assert!(failed(&r, id), "{id}: {r:#}");
    }
}

#[test]
fn a21_jwk_metadata_and_set_misuse() {
    let server = Server::start();
    let token = pool_token();
    let with = |extra: serde_json::Value| {
        let mut jwk = public_jwk("rsa-pool-id.pub.pem", Some(ID_KID), None);
        for (k, v) in extra.as_object().unwrap() {
            jwk[k] = v.clone();
        }
        json!({"keys": [jwk]})
    };
    let sets = [
        ("/alg", with(json!({"alg": "RS384"}))),
        ("/use", with(json!({"use": "enc"}))),
        ("/ops", with(json!({"key_ops": ["encrypt"]}))),
        ("/private", with(json!({"d": "AQAB"}))),
    ];
    for (p, set) in &sets {
        serve_json(&server, p, set, &[]);
        let cache = cache_dir();
        let (code, r) = run_json(&mut jwtcheck_cached(
            &cache,
            &["verify", &token, "--jwks", &server.url(p)],
        ));
        assert_eq!(code, 1, "{p}");
        assert!(failed(&r, "key"), "{p}: {r:#}");
    }
    // A symmetric key in a fetched key set is never used, even for an HS256 token it signed.
    let secret = std::fs::read(key_path("hs256.secret")).unwrap();
    let k = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &secret);
    serve_json(
        &server,
        "/oct",
        &json!({"keys": [{"kty": "oct", "kid": "h", "k": k}]}),
        &[],
    );
    let hs = sign("HS256", "hs256", r#"{"alg":"HS256","kid":"h"}"#, &claims());
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["verify", &hs, "--jwks", &server.url("/oct")],
    ));
    assert_eq!(code, 1);
    assert!(failed(&r, "key"));
    // No kid against a set with several keys of the same type.
    let unnamed = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &claims());
    let (code, r) = verify_pool(&unnamed);
    assert_eq!(code, 1);
    assert!(failed(&r, "key"));
}
