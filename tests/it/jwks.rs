//! `jwtcheck jwks FILE`: listing and linting a key set from a file (URLs: tests/it/fetch.rs).

use crate::support::sign::public_jwk;
use crate::support::*;
use serde_json::json;

fn write(dir: &tempfile::TempDir, set: serde_json::Value) -> String {
    let p = dir.path().join("set.json");
    std::fs::write(&p, set.to_string()).unwrap();
    p.display().to_string()
}

#[test]
fn the_sample_pool_set_is_clean() {
    let (code, r) = run_json(jwtcheck().args(["jwks", sample("jwks.json").to_str().unwrap()]));
    assert_eq!(code, 0);
    assert_eq!(r["verdict"], "valid");
    assert_eq!(r["keyset"]["keys"].as_array().unwrap().len(), 2);
    assert_eq!(
        r["keyset"]["keys"][1]["kid"],
        "n2k4veiSy4HDKsczoPft+DBQO/61C1PYvg8+QvInc/A="
    );
    assert_eq!(r["keyset"]["keys"][1]["use"], "sig");
    assert!(
        r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "pass"),
        "{r:#}"
    );
}

#[test]
fn every_lint_fires() {
    let dir = tempfile::tempdir().unwrap();
    let mut private = public_jwk("ec-p256.pub.pem", Some("priv"), Some("ES256"));
    private["d"] = json!("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI");
    let mut bare = public_jwk("ed25519.pub.pem", None, None);
    bare.as_object_mut().unwrap().remove("use");
    let set = json!({"keys": [
        public_jwk("rsa-pool-id.pub.pem", Some("dup"), Some("RS256")),
        public_jwk("rsa-pool-access.pub.pem", Some("dup"), Some("RS256")),
        public_jwk("rsa-1024.pub.pem", Some("small"), Some("RS256")),
        private,
        {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
        bare,
        {"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": "AA", "y": "AA"},
    ]});
    let (code, r) = run_json(jwtcheck().args(["jwks", &write(&dir, set)]));
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["verdict"], "invalid");
    for (id, want) in [
        ("lint.kid_duplicate", "fail"),
        ("lint.rsa_size", "fail"),
        ("lint.private", "fail"),
        ("lint.oct", "fail"),
        ("lint.kid_missing", "warn"),
        ("lint.alg_missing", "warn"),
        ("lint.use_missing", "warn"),
        ("lint.unusable", "warn"),
    ] {
        assert_eq!(status(&r, id), want, "{id}");
    }
    assert_eq!(
        r["keyset"]["keys"][6]["unusable"],
        "curve secp256k1 is not supported (P-256, P-384, P-521)"
    );
    assert_eq!(r["keyset"]["keys"][2]["bits"], 1024);
}

#[test]
fn files_that_are_not_key_sets() {
    let dir = tempfile::tempdir().unwrap();
    let (code, r) = run_json(jwtcheck().args(["jwks", &write(&dir, json!({"keys": []}))]));
    assert_eq!(code, 3);
    assert_eq!(r["error"]["id"], "keys.empty");
    let (code, _) = run_json(jwtcheck().args(["jwks", "/no/such/file.json"]));
    assert_eq!(code, 2);
    let (code, _) = run_json(jwtcheck().args(["jwks", "http://example.com/jwks.json"]));
    assert_eq!(code, 2);
}

#[test]
fn repeated_member_names_are_flagged_and_the_first_value_counts() {
    let dir = tempfile::tempdir().unwrap();
    let k = public_jwk("rsa-pool-id.pub.pem", Some("k1"), Some("RS256"));
    let n = k["n"].as_str().unwrap().to_string();
    // The first `n` is the real modulus; a reader that keeps the last would see another key.
    let text = format!(
        r#"{{"keys":[{{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"{n}","n":"AQAB","e":"AQAB"}}]}}"#
    );
    let p = dir.path().join("dup.json");
    std::fs::write(&p, text).unwrap();
    let (code, r) = run_json(jwtcheck().args(["jwks", p.to_str().unwrap()]));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "lint.duplicate_members"), "warn");
    assert_eq!(r["keyset"]["keys"][0]["bits"], 2048, "the first n is used");
}
