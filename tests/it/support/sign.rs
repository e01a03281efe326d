//! Signing test tokens with the keys in `tests/fixtures/keys` (generated for the purpose; see
//! the README there). Shared by the integration tests and `examples/make_samples.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P521_SHA512_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The path of a key file in `tests/fixtures/keys`.
pub fn key_path(name: &str) -> PathBuf {
    fixtures().join("keys").join(name)
}

/// The text of a key file.
pub fn key_text(name: &str) -> String {
    std::fs::read_to_string(key_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// base64url of some text.
pub fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// Signs `header` and `payload` (JSON text, used byte for byte) with the private key file
/// `key` (`rsa-pool-id`, `ec-p256`, `ed25519`, `hs256`, …) under `alg`.
pub fn sign(alg: &str, key: &str, header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let sig = signature(alg, key, input.as_bytes());
    format!("{input}.{sig}")
}

/// The base64url signature of `message`.
pub fn signature(alg: &str, key: &str, message: &[u8]) -> String {
    if alg == "ES512" {
        let pem = key_text(&format!("{key}.pem"));
        let der = pem_der(&pem);
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P521_SHA512_FIXED_SIGNING, &der).expect("p521 key");
        let sig = pair.sign(&SystemRandom::new(), message).expect("sign");
        return URL_SAFE_NO_PAD.encode(sig.as_ref());
    }
    let algorithm: Algorithm = alg.parse().unwrap_or_else(|_| panic!("alg {alg}"));
    let encoding = match alg {
        a if a.starts_with("HS") => EncodingKey::from_secret(
            &std::fs::read(key_path(&format!("{key}.secret"))).expect("secret"),
        ),
        a if a.starts_with("RS") || a.starts_with("PS") => {
            EncodingKey::from_rsa_pem(key_text(&format!("{key}.pem")).as_bytes()).expect("rsa key")
        }
        a if a.starts_with("ES") => {
            EncodingKey::from_ec_pem(key_text(&format!("{key}.pem")).as_bytes()).expect("ec key")
        }
        _ => EncodingKey::from_ed_pem(key_text(&format!("{key}.pem")).as_bytes()).expect("ed key"),
    };
    jsonwebtoken::crypto::sign(message, &encoding, algorithm).expect("sign")
}

/// Signs with raw HMAC key bytes (for attack tests: e.g. a public key's PEM text as the secret).
pub fn sign_hmac_raw(alg: &str, secret: &[u8], header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let algorithm: Algorithm = alg.parse().expect("alg");
    let sig = jsonwebtoken::crypto::sign(
        input.as_bytes(),
        &EncodingKey::from_secret(secret),
        algorithm,
    )
    .expect("sign");
    format!("{input}.{sig}")
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("pem base64")
}

/// A public JWK (JSON text) for a fixture public key file, with the given kid and alg.
pub fn public_jwk(pub_pem: &str, kid: Option<&str>, alg: Option<&str>) -> serde_json::Value {
    let public = jwtcheck::jose::pem::public_key(&key_text(pub_pem)).expect("public key");
    let mut key = jwtcheck::jose::jwk::Key::bare(jwtcheck::jose::jwk::Material::Public(public));
    key.kid = kid.map(str::to_string);
    key.alg = alg.map(str::to_string);
    key.use_ = Some("sig".into());
    serde_json::Value::Object(key.to_public_jwk().expect("public"))
}
