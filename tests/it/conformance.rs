//! Conformance to public test vectors: Wycheproof's JSON Web Signature / Key / Crypto tests,
//! RFC 7515 Appendix A, RFC 7520 §4, RFC 8037, and test tokens from golang-jwt, PyJWT and jwt.io
//! (`../shared/external-vectors/`, beside the project; its README names the source and commit
//! of every file). Every applicable vector runs through the library's own verifier (the
//! `strict` profile); a disagreement fails the test unless the allow-list below names it with a
//! reason. The vectors are never copied into this repository: without the folder (a user's
//! fresh clone) the test says so and passes.

use std::path::{Path, PathBuf};

use jwtcheck::jose::claims::Rules;
use jwtcheck::jose::jwk::{self, Key, KeySet, Material};
use jwtcheck::jose::select::{Keys, Provenance};
use jwtcheck::jose::{pem, token, verify};
use jwtcheck::report::Status;
use serde_json::{Map, Value};

/// Disagreements we keep on purpose: (case id prefix, why).
const ALLOWED: &[(&str, &str)] = &[
    (
        "golang-jwt example_test.go ExampleParseWithClaims_customClaimsType",
        "signed with the 11-byte secret \"AllYourBase\": RFC 7518 §3.2 forbids HMAC keys shorter than the hash, Hasura refuses them at startup, and jwtcheck fails them unless --allow-weak-secret",
    ),
    (
        "PyJWT test_decodes_valid_jwt",
        "the 6-byte secret \"secret\" (RFC 7518 §3.2; --allow-weak-secret accepts it)",
    ),
    (
        "PyJWT test_decodes_valid_jws",
        "the 6-byte secret \"secret\" (RFC 7518 §3.2; --allow-weak-secret accepts it)",
    ),
    (
        "PyJWT test_load_verify_valid_jws",
        "the 6-byte secret \"secret\" (RFC 7518 §3.2; --allow-weak-secret accepts it)",
    ),
    (
        "PyJWT test_decodes_with_jwk",
        "an oct JWK of 6 bytes (RFC 7518 §3.2; --allow-weak-secret accepts it)",
    ),
    (
        "wycheproof json_web_signature_test #346 ",
        "the key set pins alg PS256 and the token is PS384: a JWK's alg must agree with the token (RFC 7517 §4.4, RFC 8725 §3.1; DESIGN §4)",
    ),
    (
        "wycheproof json_web_signature_test #347 ",
        "the key set pins alg \"ES521\" (RFC 7520's typo) and the token is ES512: a JWK's alg must agree with the token",
    ),
    (
        "wycheproof json_web_signature_test #350 ",
        "as #346, with key_ops [\"verify\"]: the JWK's alg PS256 does not agree with the token's PS384",
    ),
    (
        "wycheproof json_web_signature_test #351 ",
        "as #347, with key_ops [\"verify\"]: the JWK's alg ES521 does not agree with the token's ES512",
    ),
    (
        "wycheproof json_web_signature_test #367 ",
        "the vector is byte for byte the valid #357 (ValidMac): the padding its name refers to is not in the token",
    ),
    (
        "wycheproof json_web_signature_test #370 ",
        "the vector is byte for byte the valid #357 (ValidMac): the padding its name refers to is not in the token",
    ),
    (
        "wycheproof json_web_signature_test #372 ",
        "a '?' inside the header segment is marked valid; base64url has no '?' (RFC 4648 §5) and jwtcheck names it as damage, as Wycheproof itself expects for #371",
    ),
    (
        "wycheproof json_web_signature_test #373 ",
        "a '?' inside the payload segment is marked valid; base64url has no '?' (RFC 4648 §5) and jwtcheck names it as damage, as Wycheproof itself expects for #371",
    ),
];

/// The clock for vectors that do not pin one: 2027-01-15, after every token's `iat` and `nbf`.
const NOW: f64 = 1_800_000_000.0;

/// Members of a private JWK that a published key never has; jwtcheck refuses keys that carry
/// them, so Wycheproof's private key sets are read as their public halves.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

fn vectors() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/external-vectors");
    dir.join("README.md").is_file().then_some(dir)
}

/// What a vector expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Valid,
    Invalid,
    /// Either answer is defensible.
    Acceptable,
}

fn expect(text: &str) -> Expect {
    match text {
        "valid" => Expect::Valid,
        "invalid" => Expect::Invalid,
        _ => Expect::Acceptable,
    }
}

/// A vector made runnable: the token, the keys it is checked with, the rules.
struct Case {
    id: String,
    token: String,
    keys: Option<(KeySet, Provenance)>,
    rules: Rules,
    now: f64,
    /// `jws`: only the signature matters (the payload need not be a claims set).
    jws_level: bool,
    expect: Expect,
}

/// The library's answer: does the token pass?
fn passes(case: &Case) -> bool {
    let Ok(jws) = token::parse(&case.token) else {
        return false;
    };
    let keys = case.keys.as_ref().map(|(set, provenance)| Keys {
        set,
        provenance: *provenance,
        source: "vector",
        fetched: None,
    });
    let outcome = verify::verify(&jws, keys.as_ref(), &case.rules, case.now);
    let signature_ok = outcome
        .checks
        .iter()
        .any(|c| c.id == "signature" && c.status == Status::Pass);
    if case.jws_level {
        return signature_ok
            && !outcome
                .checks
                .iter()
                .any(|c| c.status == Status::Fail && c.id != "format");
    }
    signature_ok
        && jws.claims().is_some()
        && !outcome.checks.iter().any(|c| c.status == Status::Fail)
}

fn public_half(jwk: &Map<String, Value>) -> Map<String, Value> {
    let mut out = jwk.clone();
    if jwk.get("kty").and_then(Value::as_str) != Some("oct") {
        for m in PRIVATE_MEMBERS {
            out.remove(m);
        }
    }
    out
}

/// A key set from a JWK or JWKS value, private members dropped.
fn key_set(value: &Value) -> Option<KeySet> {
    let public = match value {
        Value::Object(o) if o.contains_key("keys") => {
            let keys: Vec<Value> = o
                .get("keys")?
                .as_array()?
                .iter()
                .filter_map(Value::as_object)
                .map(|k| Value::Object(public_half(k)))
                .collect();
            serde_json::json!({ "keys": keys })
        }
        Value::Object(o) => Value::Object(public_half(o)),
        _ => return None,
    };
    jwk::parse_set(&public).ok()
}

fn single(key: Key) -> Option<(KeySet, Provenance)> {
    Some((
        KeySet {
            keys: vec![key],
            unusable: Vec::new(),
        },
        Provenance::Single,
    ))
}

/// The keys a project case names: a PEM file, a JWK, a secret, or none.
fn case_keys(dir: &Path, key: &Value) -> Result<Option<(KeySet, Provenance)>, String> {
    if key.get("none").is_some() {
        return Ok(None);
    }
    if let Some(secret) = key.get("secret").and_then(Value::as_str) {
        return Ok(single(Key::bare(Material::Secret(
            secret.as_bytes().to_vec(),
        ))));
    }
    if let Some(path) = key.get("pem").and_then(Value::as_str) {
        let text = std::fs::read_to_string(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
        let public = pem::public_key(&text).map_err(|e| format!("{path}: {e}"))?;
        return Ok(single(Key::bare(Material::Public(public))));
    }
    if let Some(j) = key.get("jwk") {
        let set = key_set(j).ok_or("unreadable jwk")?;
        let mut keys = set.keys;
        let key = keys.pop().ok_or("jwk not usable")?;
        return Ok(single(key));
    }
    Err(format!("unknown key form {key}"))
}

/// The RFC, peer and jwt.io cases (`cases/*.json`).
fn project_cases(dir: &Path, skipped: &mut Vec<String>) -> Vec<Case> {
    let mut out = Vec::new();
    for file in [
        "rfc7515",
        "rfc7520",
        "rfc8037",
        "golang-jwt",
        "pyjwt",
        "jwtio",
    ] {
        let path = dir.join(format!("cases/{file}.json"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for c in doc["cases"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap().to_string();
            if let Some(why) = c.get("skip").and_then(Value::as_str) {
                skipped.push(format!("{id}: {why}"));
                continue;
            }
            let keys = match case_keys(dir, &c["key"]) {
                Ok(k) => k,
                Err(e) => panic!("{id}: {e}"),
            };
            let mut rules = Rules::default();
            let args: Vec<&str> = c
                .get("args")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for pair in args.chunks(2) {
                match pair {
                    ["--audience", aud] => rules.audiences.push((*aud).to_string()),
                    other => panic!("{id}: unknown args {other:?}"),
                }
            }
            out.push(Case {
                id,
                token: c["token"].as_str().unwrap().to_string(),
                keys,
                rules,
                now: c.get("now").and_then(Value::as_f64).unwrap_or(NOW),
                jws_level: c["level"] == "jws",
                expect: expect(c["expect"].as_str().unwrap()),
            });
        }
    }
    out
}

/// Wycheproof's JSON Web Signature, Key and Crypto groups: each group's key set verifies its
/// tests' compact JWS (JWE tests are outside jwtcheck and skipped).
fn wycheproof_cases(dir: &Path, skipped: &mut Vec<String>) -> Vec<Case> {
    let mut out = Vec::new();
    for file in [
        "json_web_signature_test",
        "json_web_key_test",
        "json_web_crypto_test",
    ] {
        let path = dir.join(format!("wycheproof/{file}.json"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for group in doc["testGroups"].as_array().unwrap() {
            let comment = group["comment"].as_str().unwrap_or("");
            let keys = group
                .get("public")
                .or_else(|| group.get("private"))
                .and_then(key_set);
            for t in group["tests"].as_array().unwrap() {
                let id = format!("wycheproof {file} #{} ({comment})", t["tcId"]);
                let Some(jws) = t.get("jws").and_then(Value::as_str) else {
                    skipped.push(format!("{id}: JWE (decryption is outside jwtcheck)"));
                    continue;
                };
                let Some(set) = keys.clone() else {
                    skipped.push(format!("{id}: no key jwtcheck can read"));
                    continue;
                };
                out.push(Case {
                    id,
                    token: jws.to_string(),
                    keys: Some((set, Provenance::FileSet)),
                    rules: Rules::default(),
                    now: NOW,
                    jws_level: true,
                    expect: expect(t["result"].as_str().unwrap()),
                });
            }
        }
    }
    out
}

#[test]
fn public_vectors_agree_with_the_verifier() {
    let Some(dir) = vectors() else {
        // CI has the folder and sets JWTCHECK_REQUIRE_VECTORS: there, no vectors is a failure.
        assert!(
            std::env::var_os("JWTCHECK_REQUIRE_VECTORS").is_none(),
            "../shared/external-vectors must be beside the project (JWTCHECK_REQUIRE_VECTORS is set)"
        );
        eprintln!(
            "SKIPPED: 0 public vectors run: ../shared/external-vectors is not beside the project"
        );
        return;
    };
    let mut skipped = Vec::new();
    let mut cases = project_cases(&dir, &mut skipped);
    cases.extend(wycheproof_cases(&dir, &mut skipped));
    let mut disagreements = Vec::new();
    let mut allowed = Vec::new();
    let mut agreed = 0;
    for case in &cases {
        let pass = passes(case);
        let ok = match case.expect {
            Expect::Valid => pass,
            Expect::Invalid => !pass,
            Expect::Acceptable => true,
        };
        if ok {
            agreed += 1;
            continue;
        }
        let line = format!(
            "{}: expected {:?}, jwtcheck says {}",
            case.id,
            case.expect,
            if pass { "valid" } else { "invalid" }
        );
        match ALLOWED
            .iter()
            .find(|(prefix, _)| case.id.starts_with(prefix))
        {
            Some((_, why)) => allowed.push(format!("{line} — allowed: {why}")),
            None => disagreements.push(line),
        }
    }
    println!(
        "external vectors: {} run, {agreed} agree, {} allowed, {} skipped",
        cases.len(),
        allowed.len(),
        skipped.len()
    );
    for a in &allowed {
        println!("  allowed: {a}");
    }
    for s in &skipped {
        println!("  skipped: {s}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s) with public vectors:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
