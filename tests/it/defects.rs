//! Regressions for defects found by fuzzing and fault injection: inputs that cost quadratic
//! time, RSA keys the crypto library cannot use, key sets with nothing usable, oversized files.

use std::time::{Duration, Instant};

use crate::support::sign::{b64, key_text, sign, sign_hmac_raw};
use crate::support::*;
use serde_json::json;

const NOW: &str = "2026-11-24T09:30:00Z";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn token() -> String {
    sign_hmac_raw(
        "HS256",
        SECRET,
        r#"{"alg":"HS256"}"#,
        &json!({"sub": "u", "exp": 1_900_000_000}).to_string(),
    )
}

#[test]
fn a_long_claims_map_path_that_finds_nothing_costs_linear_time() {
    // 30,000 segments took 31 s when the #8341 hint copied every prefix.
    let path = format!("${}", ".a".repeat(30_000));
    let config = json!({
        "type": "HS256", "key": std::str::from_utf8(SECRET).unwrap(),
        "claims_map": {"x-hasura-allowed-roles": {"path": path}, "x-hasura-default-role": "user"},
    });
    let started = Instant::now();
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &token(),
        "--hasura-config",
        &config.to_string(),
        "--now",
        NOW,
    ]));
    assert_eq!(code, 1, "{r:#}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn twenty_thousand_secrets_are_merged_in_linear_time() {
    // HASURA_GRAPHQL_JWT_SECRETS with 20,000 entries took 4.4 s to de-duplicate.
    let entry = json!({"jwk_url": "https://keys.example/j"});
    let list = serde_json::Value::Array(vec![entry; 20_000]).to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secrets.json");
    std::fs::write(&file, list).unwrap();
    let started = Instant::now();
    let (code, r) = run_json(
        jwtcheck()
            .args(["check", "--hasura-edition", "cloud", "--now", NOW, "--jwks"])
            .arg(sample("jwks.json"))
            .arg("--hasura-config")
            .arg(format!("@{}", file.display())),
    );
    assert!(code == 0 || code == 1, "{r:#}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn configuration_and_policy_files_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(8 * 1024 * 1024).unwrap();
    for args in [
        vec!["--hasura-config".to_string(), format!("@{}", big.display())],
        vec!["--policy".to_string(), big.display().to_string()],
    ] {
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &token(), "--secret-env", "S", "--now", NOW])
                .args(&args)
                .env("S", std::str::from_utf8(SECRET).unwrap()),
        );
        assert_eq!(code, 2, "{args:?}: {r:#}");
        assert_eq!(r["error"]["id"], "usage.unreadable");
    }
}

#[test]
fn rsa_keys_the_crypto_library_cannot_use_are_named_not_failed_signatures() {
    // An RSA modulus over 8192 bits, and a 2048-bit one with a 40-bit exponent.
    let dir = tempfile::tempdir().unwrap();
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"exp":1900000000}"#,
    );
    for (n, e, want) in [
        (vec![0xC5u8; 1025], vec![1, 0, 1], "more than 8192"),
        (vec![0xC5u8; 256], vec![0x80, 0, 0, 0, 1], "more than 33"),
    ] {
        let jwks = json!({"keys": [{"kty": "RSA", "kid": "k", "alg": "RS256", "use": "sig",
            "n": jwtcheck::jose::base64url::encode(&n), "e": jwtcheck::jose::base64url::encode(&e)}]});
        let file = dir.path().join("jwks.json");
        std::fs::write(&file, jwks.to_string()).unwrap();
        let (code, r) = run_json(
            jwtcheck()
                .args(["verify", &token, "--now", NOW, "--jwks"])
                .arg(&file),
        );
        // #33 item 5: nobody here can check the signature, and the engine's crypto (crypton)
        // verifies with such keys: "cannot decide", not rejected.
        assert_eq!(code, 3, "{r:#}");
        assert_eq!(r["verdict"], "undecidable");
        let key = &checks(&r, "key")[0];
        assert!(key["message"].as_str().unwrap().contains(want), "{key}");
        assert!(
            key["message"]
                .as_str()
                .unwrap()
                .contains("does not verify with")
        );
        let (_, r) = run_json(jwtcheck().arg("jwks").arg(&file));
        assert!(
            checks(&r, "lint.rsa_size")
                .iter()
                .any(|c| c["message"].as_str().unwrap().contains(want))
        );
    }
    let _ = (b64("x"), key_text("rsa-pool-id.pub.pem"));
}

#[test]
fn a_key_set_with_nothing_usable_is_keys_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(
        &file,
        json!({"keys": [{"kty": "EC", "crv": "secp256k1", "kid": "k", "x": "AA", "y": "AA"}]})
            .to_string(),
    )
    .unwrap();
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"exp":1900000000}"#,
    );
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--now", NOW, "--jwks"])
            .arg(&file),
    );
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["id"], "keys.unusable");
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_also_with_json() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"\xff");
    // Once a panic (the --json check read the arguments as UTF-8 text), exit 134.
    for json in [true, false] {
        let mut cmd = jwtcheck();
        cmd.arg("verify").arg(bad);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "json {json}: {out:?}");
        if json {
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(report["verdict"], "usage_error");
        }
    }
}
