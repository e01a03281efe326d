//! Pathological inputs (issue 13), each bounded in time and memory: every run ends within
//! [`TIME`] inside [`MEMORY`] of address space, with the documented exit code and a first line
//! that says what happened. `fuzz/pathological.py` measures the same inputs with
//! `/usr/bin/time -v` on a release build; the book's "Reliability" (docs/src/reliability.md) states the figures.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::sign::{b64, key_text, sign};
use crate::support::*;
use serde_json::json;

/// The time bound of one run (a debug build on a busy 2-core machine; release runs take
/// milliseconds, see docs/src/reliability.md).
const TIME: Duration = Duration::from_secs(4);
/// The address space of one run.
const MEMORY: u64 = 512 * 1024 * 1024;
/// The fixture HMAC key (tests/fixtures/keys/hs256.secret).
fn secret() -> String {
    key_text("hs256.secret").trim_end().to_string()
}

/// Runs jwtcheck with `args` (text output) inside the bounds; returns (exit code, first line).
fn bounded(args: &[&str]) -> (i32, String) {
    let started = Instant::now();
    let (code, out, err) = run(jwtcheck_within(MEMORY)
        .args(args)
        .args(["--now", SAMPLE_NOW]));
    let took = started.elapsed();
    assert!(took < TIME, "{args:?} took {took:?}");
    assert!(code >= 0, "killed (out of memory?): {err}");
    (code, first_line(&out).to_string())
}

/// `verify` of the sample id token under a Hasura configuration (text or `@file`).
fn under_config(config: &str) -> (i32, String) {
    bounded(&[
        "verify",
        &at_sample("id-token.jwt"),
        "--hasura-config",
        config,
    ])
}

fn file(dir: &tempfile::TempDir, name: &str, data: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    path
}

fn at(path: &std::path::Path) -> String {
    format!("@{}", path.display())
}

fn deep_array(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

fn deep_object(n: usize) -> String {
    format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n))
}

/// How jwtcheck says that its own nesting limit, not the input's JSON, stopped it.
const OWN_LIMIT: &str = "nested more than 128 levels deep, beyond jwtcheck's own limit";

/// An HS256 token of the fixture key whose payload nests `levels` deep (the claims object is
/// the first level).
fn nested_token(levels: usize) -> String {
    let payload = format!(r#"{{"exp":1795516200,"a":{}}}"#, deep_object(levels - 1));
    sign("HS256", "hs256", r#"{"alg":"HS256"}"#, &payload)
}

#[test]
fn json_nested_128_levels_is_read_and_129_meets_jwtchecks_own_limit() {
    // The book's bound, "at most 128 levels": the 128th is read (serde_json alone refused it).
    let (code, line) = bounded(&["decode", &nested_token(128)]);
    assert_eq!(code, 0, "{line}");
    let (code, line) = bounded(&["decode", &nested_token(129)]);
    assert_eq!(code, 4, "{line}");
    assert!(line.contains(OWN_LIMIT), "{line}");
}

#[test]
fn under_a_hasura_configuration_jwtchecks_own_limit_is_undecidable_not_the_engines_answer() {
    // aeson reads JSON at any depth: Hasura would judge this token, and jwtcheck cannot say how.
    let cfg = json!({"type": "HS256", "key": secret()}).to_string();
    let (code, out, _) = run(jwtcheck_within(MEMORY).args([
        "verify",
        &nested_token(129),
        "--hasura-config",
        &cfg,
        "--now",
        SAMPLE_NOW,
        "--json",
    ]));
    assert_eq!(code, 3, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["verdict"], "undecidable", "{out}");
    assert_eq!(report["error"]["id"], "hasura.undecidable", "{out}");
    let summary = report["summary"].as_str().unwrap();
    assert!(summary.contains(OWN_LIMIT), "{summary}");
    // No words put in the engine's mouth.
    assert!(report["hasura"]["engine_error"].is_null(), "{out}");
    assert_fits_schema(&report);
    // At 128 levels the engine's own answer is given (no Hasura claims: rejected).
    let (code, line) = bounded(&["verify", &nested_token(128), "--hasura-config", &cfg]);
    assert_eq!(code, 1, "{line}");
}

#[test]
fn a_header_beyond_jwtchecks_own_limit_is_undecidable_under_a_hasura_configuration() {
    let header = format!(r#"{{"alg":"HS256","x":{}}}"#, deep_array(128));
    let t = format!("{}.{}.c2ln", b64(&header), b64(r#"{"exp":1795516200}"#));
    let cfg = json!({"type": "HS256", "key": secret()}).to_string();
    let (code, line) = bounded(&["verify", &t, "--hasura-config", &cfg]);
    assert_eq!(code, 3, "{line}");
    assert!(line.contains(OWN_LIMIT), "{line}");
}

#[test]
fn json_10000_deep_in_the_header() {
    let t = format!("{}.{}.", b64(&deep_array(10_000)), b64("{}"));
    let (code, line) = bounded(&["decode", &t]);
    assert_eq!(code, 4, "{line}");
    assert!(
        line.starts_with("MALFORMED") && line.contains(OWN_LIMIT),
        "{line}"
    );
}

#[test]
fn json_10000_deep_in_the_payload() {
    let t = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"HS256"}"#),
        b64(&deep_array(10_000))
    );
    let (code, line) = bounded(&["decode", &t]);
    assert_eq!(code, 4, "{line}");
    assert!(line.contains(OWN_LIMIT), "{line}");
}

#[test]
fn json_10000_deep_in_a_key_set() {
    let dir = cache_dir();
    let jwks = file(
        &dir,
        "deep.json",
        format!(r#"{{"keys":{}}}"#, deep_array(10_000)).as_bytes(),
    );
    let jwks = jwks.display().to_string();
    let (code, line) = bounded(&["verify", &at_sample("id-token.jwt"), "--jwks", &jwks]);
    assert_eq!(code, 3, "{line}");
    assert!(line.contains(OWN_LIMIT), "{line}");
    let (code, line) = bounded(&["jwks", &jwks]);
    assert_eq!(code, 3, "{line}");
}

#[test]
fn json_10000_deep_in_a_hasura_configuration() {
    let dir = cache_dir();
    let cfg = format!(
        r#"{{"type":"HS256","key":"{}","claims_map":{}}}"#,
        secret(),
        deep_object(10_000)
    );
    let cfg = file(&dir, "deep.json", cfg.as_bytes());
    let (code, line) = under_config(&at(&cfg));
    assert_eq!(code, 2, "{line}");
    assert!(line.contains(OWN_LIMIT), "{line}");
    let (code, _) = bounded(&["hasura-config", &at(&cfg)]);
    assert_eq!(code, 2);
    // And as a DDN AuthConfig in YAML.
    let yaml = format!(
        "kind: AuthConfig\nversion: v3\ndefinition:\n  mode: {}\n",
        deep_array(10_000)
    );
    let yaml = file(&dir, "deep.hml", yaml.as_bytes());
    let (code, line) = under_config(&at(&yaml));
    assert_eq!(code, 2, "{line}");
}

#[test]
fn a_64_kib_token_decodes_and_one_byte_more_is_refused() {
    let header = b64(r#"{"alg":"HS256","typ":"JWT"}"#);
    let room = 64 * 1024 - header.len() - 2 - 43;
    let start = r#"{"exp":1795516200,"x":""#;
    let filler = "a".repeat(room * 3 / 4 - start.len() - 2);
    let t = format!(
        "{header}.{}.{}",
        b64(&format!(r#"{start}{filler}"}}"#)),
        "A".repeat(43)
    );
    assert!(
        t.len() <= 64 * 1024 && t.len() > 64 * 1024 - 4,
        "{}",
        t.len()
    );
    let dir = cache_dir();
    let path = file(&dir, "64k.jwt", t.as_bytes());
    let (code, line) = bounded(&["decode", &at(&path)]);
    assert_eq!(code, 0, "{line}");
    assert!(line.starts_with("DECODED"), "{line}");
    let over = file(
        &dir,
        "over.jwt",
        format!("{}{t}", " ".repeat(64 * 1024 + 1 - t.len())).as_bytes(),
    );
    let (code, line) = bounded(&["decode", &at(&over)]);
    assert_eq!(code, 4, "{line}");
    assert!(line.contains("larger than 65536 bytes"), "{line}");
}

#[test]
fn exp_of_1e400_minus_0_and_1e20() {
    let secret_file = crate::support::sign::key_path("hs256.secret")
        .display()
        .to_string();
    for (exp, decoded, verdict) in [
        ("1e400", "exp beyond any date", 1),
        ("-0", "expired", 1),
        ("1e20", "expires in more than 10000y", 0),
    ] {
        let payload = format!(r#"{{"exp":{exp},"sub":"u"}}"#);
        let t = sign("HS256", "hs256", r#"{"alg":"HS256"}"#, &payload);
        let (code, line) = bounded(&["decode", &t]);
        assert_eq!(code, 0, "{exp}: {line}");
        assert!(line.contains(decoded), "{exp}: {line}");
        let (code, line) = bounded(&["verify", &t, "--secret-file", &secret_file]);
        assert_eq!(code, verdict, "{exp}: {line}");
    }
}

#[test]
fn a_key_set_of_10000_keys() {
    // Ed25519 keys (small, so the set fits the 1 MiB cap), none with the token's kid.
    let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    let keys: Vec<_> = (0..10_000)
        .map(|i| json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": format!("k{i}")}))
        .collect();
    let dir = cache_dir();
    let jwks = file(
        &dir,
        "10k.json",
        json!({ "keys": keys }).to_string().as_bytes(),
    );
    let jwks = jwks.display().to_string();
    let (code, line) = bounded(&["verify", &at_sample("id-token.jwt"), "--jwks", &jwks]);
    assert_eq!(code, 1, "{line}");
    assert!(
        line.ends_with(r#""k4", and 9995 more"#),
        "the first line stays short: {line}"
    );
    let (code, line) = bounded(&["jwks", &jwks]);
    assert!(line.contains("10000 keys"), "{code}: {line}");
    assert!(
        line.ends_with("and 9996 more)"),
        "the first line stays short: {line}"
    );
}

#[test]
fn a_16384_bit_rsa_modulus() {
    let mut n = vec![0xc5u8];
    n.extend((0..2047u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let kid = "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=";
    let set = json!({"keys": [{"kty": "RSA", "kid": kid, "n": jwtcheck::jose::base64url::encode(&n), "e": "AQAB"}]});
    let dir = cache_dir();
    let jwks = file(&dir, "16k.json", set.to_string().as_bytes());
    let jwks = jwks.display().to_string();
    let (code, line) = bounded(&["verify", &at_sample("id-token.jwt"), "--jwks", &jwks]);
    // Cannot decide (#33 item 5): nobody here can check a signature by this key.
    assert_eq!(code, 3, "{line}");
    assert!(line.contains("16384 bits, more than 8192"), "{line}");
    let (code, line) = bounded(&["jwks", &jwks]);
    assert!(line.contains("RSA-16384"), "{code}: {line}");
}

#[test]
fn descendant_steps_repeated_in_a_claims_path() {
    let path = format!("${}", "..a..b..c".repeat(1000));
    let cfg = json!({"type": "HS256", "key": secret(), "claims_namespace_path": path}).to_string();
    let (code, line) = under_config(&cfg);
    assert_eq!(code, 2, "{line}");
    let map = json!({"type": "HS256", "key": secret(), "claims_map": {
        "x-hasura-allowed-roles": {"path": path}, "x-hasura-default-role": {"path": path}
    }})
    .to_string();
    let (code, line) = under_config(&map);
    assert_eq!(code, 2, "{line}");
}

#[test]
fn a_claims_namespace_path_of_1000_segments() {
    let path = format!("${}", ".a".repeat(1000));
    let cfg = json!({"type": "HS256", "key": secret(), "claims_namespace_path": path}).to_string();
    let t = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS256"}"#,
        &format!(r#"{{"exp":1795516200,"a":{}}}"#, deep_object(100)),
    );
    let (code, line) = bounded(&["verify", &t, "--hasura-config", &cfg]);
    assert_eq!(code, 1, "{line}");
    assert!(line.starts_with("REJECTED"), "{line}");
}
