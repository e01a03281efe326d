//! Hasura mode decides as the engine decides, also where the engine is more lenient than a
//! careful verifier (then with a warning), and strict mode stays strict. Sources: the engine's
//! `Hasura/Server/Auth/JWT.hs`, hs-jose (`Crypto/JOSE/JWA/JWS.hs`), crypton
//! (`Crypto/PubKey/RSA/PKCS15.hs`, the Ed25519 reference code).

use crate::support::sign::{b64, key_text, sign};
use crate::support::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

const NOW: i64 = 1_795_512_600; // 2026-11-24T09:30:00Z

fn payload() -> String {
    json!({
        "sub": "u-1", "iat": NOW - 60, "exp": NOW + 3540,
        "https://hasura.io/jwt/claims": {"x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"]},
    })
    .to_string()
}

/// A configuration with the public key of `key` (a fixture name) for `alg`.
fn static_config(alg: &str, key: &str) -> String {
    json!({"type": alg, "key": key_text(&format!("{key}.pub.pem"))}).to_string()
}

fn hasura(token: &str, config: &str) -> (i32, serde_json::Value) {
    run_json(jwtcheck().args([
        "verify",
        token,
        "--hasura-config",
        config,
        "--now",
        &NOW.to_string(),
    ]))
}

fn strict(token: &str, key: &str) -> (i32, serde_json::Value) {
    run_json(
        jwtcheck()
            .args(["verify", token, "--now", &NOW.to_string(), "--key"])
            .arg(crate::support::sign::key_path(&format!("{key}.pub.pem"))),
    )
}

/// The token with its signature bytes rewritten.
fn resigned(token: &str, rewrite: impl Fn(Vec<u8>) -> Vec<u8>) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(sig).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(rewrite(bytes)))
}

fn assert_engine_accepts_non_canonical(token: &str, config: &str, key: &str) {
    let (code, r) = hasura(token, config);
    assert_eq!(code, 0, "{r:#}");
    let sig = checks(&r, "signature");
    assert_eq!(sig[0]["status"], "pass");
    let warning = sig
        .iter()
        .find(|c| c["status"] == "warn")
        .expect("a warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .starts_with("the signature is not canonically encoded"),
        "{warning}"
    );
    assert!(
        warning["hint"]
            .as_str()
            .unwrap()
            .contains("strict verifiers")
    );
    // jwtcheck's own rules reject it.
    let (code, r) = strict(token, key);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(status(&r, "signature"), "fail");
}

#[test]
fn es256_with_r_and_s_on_33_bytes_is_what_hs_jose_accepts() {
    let token = sign("ES256", "ec-p256", r#"{"alg":"ES256"}"#, &payload());
    let long = resigned(&token, |sig| {
        let (r, s) = sig.split_at(32);
        [&[0u8][..], r, &[0u8][..], s].concat()
    });
    assert_engine_accepts_non_canonical(&long, &static_config("ES256", "ec-p256"), "ec-p256");
}

#[test]
fn rs256_with_an_extra_leading_zero_is_what_crypton_accepts() {
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let long = resigned(&token, |sig| [&[0u8][..], &sig[..]].concat());
    assert_engine_accepts_non_canonical(
        &long,
        &static_config("RS256", "rsa-pool-id"),
        "rsa-pool-id",
    );
}

#[test]
fn rs256_plus_the_modulus_is_what_crypton_accepts() {
    let jwk = crate::support::sign::public_jwk("rsa-pool-id.pub.pem", None, None);
    let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    // s + n on one byte more than the modulus: s^e mod n is unchanged.
    let plus_n = resigned(&token, |sig| {
        let mut out = vec![0u8; sig.len() + 1];
        let mut carry = 0u16;
        for i in (0..sig.len()).rev() {
            let sum = u16::from(sig[i]) + u16::from(n[i]) + carry;
            out[i + 1] = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        out[0] = carry as u8;
        out
    });
    assert_engine_accepts_non_canonical(
        &plus_n,
        &static_config("RS256", "rsa-pool-id"),
        "rsa-pool-id",
    );
}

#[test]
fn ed25519_with_s_plus_l_is_what_the_reference_code_accepts() {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let token = sign("EdDSA", "ed25519", r#"{"alg":"EdDSA"}"#, &payload());
    let malleated = resigned(&token, |mut sig| {
        let mut carry = 0u16;
        for (byte, l) in sig[32..].iter_mut().zip(L) {
            let sum = u16::from(*byte) + u16::from(l) + carry;
            *byte = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        sig
    });
    assert_ne!(malleated, token);
    assert_engine_accepts_non_canonical(
        &malleated,
        &static_config("Ed25519", "ed25519"),
        "ed25519",
    );
}

#[test]
fn alg_ed25519_verifies_in_strict_mode_and_is_unknown_to_the_engine() {
    let header = r#"{"alg":"Ed25519","typ":"JWT"}"#;
    let input = format!("{}.{}", b64(header), b64(&payload()));
    let sig = crate::support::sign::signature("EdDSA", "ed25519", input.as_bytes());
    let token = format!("{input}.{sig}");
    let (code, r) = strict(&token, "ed25519");
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(status(&r, "signature"), "pass");
    // hs-jose knows EdDSA, not RFC 9864's Ed25519: the engine cannot decode the header.
    let (code, r) = hasura(&token, &static_config("Ed25519", "ed25519"));
    assert_eq!(code, 1, "{r:#}");
    let engine = r["hasura"]["engine_error"].as_str().unwrap();
    assert!(
        engine.starts_with("Could not verify JWT: JWSError (JSONDecodeError \"unrecognised value; expected: [\\\"HS256\\\""),
        "{engine}"
    );
}

fn cookie_config() -> String {
    json!({
        "type": "RS256",
        "key": key_text("rsa-pool-id.pub.pem"),
        "header": {"type": "Cookie", "name": "hasura_user"},
    })
    .to_string()
}

#[test]
fn the_configured_cookie_is_read_as_spock_reads_cookies() {
    // JWT.hs findTokensInHeader: Spock's parseCookies (the cookie package's split, then
    // urlDecode True on each value); the configured name picks the token.
    let t = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = hasura(
        &format!("Cookie: _ga=GA1.1.123.456; hasura_user={t}"),
        &cookie_config(),
    );
    assert_eq!(code, 0, "{r:#}");
    // Leading spaces dropped from names, values percent-decoded.
    let encoded = t.replace('.', "%2E");
    let (code, r) = hasura(
        &format!("Cookie: theme=dark;   hasura_user={encoded}"),
        &cookie_config(),
    );
    assert_eq!(code, 0, "{r:#}");
}

#[test]
fn the_configured_cookie_twice_is_multiple_jwts_and_missing_is_missing() {
    let t = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let other = sign("RS256", "rsa-other", r#"{"alg":"RS256"}"#, &payload());
    // What a browser sends when two paths set the same cookie.
    let (code, r) = hasura(
        &format!("Cookie: hasura_user={t}; hasura_user={other}"),
        &cookie_config(),
    );
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["hasura"]["engine_code"], "invalid-headers");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: Multiple JWTs found"
    );
    assert!(
        checks(&r, "hasura.config")[0]["hint"]
            .as_str()
            .unwrap()
            .contains("same cookie twice")
    );
    // A token in another cookie is not where the engine looks.
    let (code, r) = hasura(&format!("Cookie: id_token={t}"), &cookie_config());
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"
    );
    assert_eq!(
        checks(&r, "hasura.header")[0]["message"],
        "the Cookie header has no cookie named hasura_user (it has id_token)"
    );
}

#[test]
fn the_issuer_pre_check_reads_a_payload_with_spare_bits() {
    // JWT.hs tokenIssuer decodes the payload with memory's Base64URLUnpadded, which does not
    // check the last character's spare bits: a wrong issuer is still JWTNotInIssuer, before
    // jose's strict decoding would call the payload invalid base64.
    let mut claims = json!({"iss": "https://other.example", "exp": NOW + 60, "pad": ""});
    // A payload whose encoding ends in a partial group (spare bits in its last character).
    while b64(&claims.to_string()).len() % 4 != 3 {
        claims["pad"] = json!(format!("{}x", claims["pad"].as_str().unwrap()));
    }
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &claims.to_string(),
    );
    let (head, sig) = token.rsplit_once('.').unwrap();
    let (h, p) = head.split_once('.').unwrap();
    let last = p.chars().last().unwrap();
    let bumped = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .chars()
        .skip_while(|c| *c != last)
        .nth(1)
        .unwrap();
    let damaged = format!("{h}.{}{bumped}.{sig}", &p[..p.len() - 1]);
    let config = json!({
        "type": "RS256",
        "key": key_text("rsa-pool-id.pub.pem"),
        "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1",
    })
    .to_string();
    let (code, r) = hasura(&damaged, &config);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWTNotInIssuer"
    );
    // The same token with the right issuer reaches jose, which refuses the payload.
    let config = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem")}).to_string();
    let (_, r) = hasura(&damaged, &config);
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWSError (JSONDecodeError \"Not valid base64url\")"
    );
}

#[test]
fn string_or_uri_values_parse_as_network_uri_parses_them() {
    // hs-jose's StringOrURI: a string with ':' must be a URI (network-uri parseURI).
    let config = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem")}).to_string();
    let claims = |extra: serde_json::Value| {
        let mut p: serde_json::Value = serde_json::from_str(&payload()).unwrap();
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &p.to_string())
    };
    for (extra, engine) in [
        (
            json!({"iss": "http://host:abc"}),
            r#"Could not verify JWT: JWTClaimsSetDecodeError "Error in $.iss: failed to parse StringOrURI""#,
        ),
        (
            json!({"sub": "http://a@b@c"}),
            r#"Could not verify JWT: JWTClaimsSetDecodeError "Error in $.sub: failed to parse StringOrURI""#,
        ),
        (
            json!({"aud": ["ok", "x:#a#b"]}),
            r#"Could not verify JWT: JWTClaimsSetDecodeError "Error in $.aud: parsing StringOrURI failed, expected String, but encountered Array""#,
        ),
    ] {
        let (code, r) = hasura(&claims(extra.clone()), &config);
        assert_eq!(code, 1, "{extra}: {r:#}");
        assert_eq!(r["hasura"]["engine_error"], engine, "{extra}");
    }
    // URIs the engine reads pass.
    let (code, r) = hasura(
        &claims(json!({"iss": "urn:example:pool", "aud": ["https://api.example/", "client"]})),
        &config,
    );
    assert_eq!(code, 0, "{r:#}");
}

#[test]
fn times_beyond_f64_are_read_as_aeson_reads_them() {
    let config = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem")}).to_string();
    // The payload is written by hand: serde_json cannot print 1e400.
    let body = |exp: &str| {
        format!(
            r#"{{"sub":"u-1","iat":{},"exp":{exp},"https://hasura.io/jwt/claims":{{"x-hasura-default-role":"user","x-hasura-allowed-roles":["user"]}}}}"#,
            NOW - 60
        )
    };
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &body("1e400"));
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 0, "{r:#}");
    let exp = checks(&r, "exp");
    assert!(exp.iter().any(|c| {
        c["status"] == "warn"
            && c["message"]
                .as_str()
                .unwrap()
                .starts_with("exp is 1e+400, beyond any date")
    }));
    // Strict mode names the claim instead of calling the payload broken.
    let (code, r) = strict(&token, "rsa-pool-id");
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        checks(&r, "exp")[0]["message"],
        "exp is a number out of range, not a number"
    );
    // -1e400 is before every date: expired.
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256"}"#,
        &body("-1e400"),
    );
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWTExpired"
    );
    // -0 and 1e20 are ordinary numbers.
    for exp in ["-0", "1e20"] {
        let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &body(exp));
        let (_, r) = hasura(&token, &config);
        let want = if exp == "-0" {
            "Could not verify JWT: JWTExpired"
        } else {
            ""
        };
        assert_eq!(
            r["hasura"]["engine_error"].as_str().unwrap_or(""),
            want,
            "{exp}"
        );
    }
}

#[test]
fn a_key_set_with_a_point_off_its_curve_is_refused_as_the_engine_refuses_it() {
    // hs-jose's JWK FromJSON builds the EC point: one off the curve fails the whole set, and
    // the engine prints "Error parsing JWK from url" (at startup it exits).
    let s = Server::start();
    let mut jwks = sample_jwks();
    jwks["keys"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kty": "EC", "crv": "P-256", "kid": "bad", "x": b64("x".repeat(32).as_str()), "y": b64("y".repeat(32).as_str())}));
    serve_json(&s, "/jwks.json", &jwks, &[]);
    let config = json!({"type": "RS256", "jwk_url": s.url("/jwks.json")}).to_string();
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &token,
            "--hasura-config",
            &config,
            "--now",
            &NOW.to_string(),
        ],
    ));
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["error"]["id"], "hasura.jwks_refused");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("the point (x, y) is not on P-256")
    );
    assert!(
        r["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("Error parsing JWK from url: http://127.0.0.1")
    );
}

#[test]
fn a_claims_path_with_combining_marks_is_refused_at_startup() {
    // Data.Parser.JSONPath reads names with Haskell's isAlpha, which combining marks fail.
    let config = json!({"type": "RS256", "key": key_text("rsa-pool-id.pub.pem"), "claims_namespace_path": "$.हिंदी"})
        .to_string();
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 2, "{r:#}");
    assert_eq!(r["error"]["id"], "hasura.startup");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("invalid JSON path claims_namespace_path error: $.हिंदी. Accept letters"),
        "{message}"
    );
}

/// The sample AuthConfig with its `jwkFromUrl` replaced by `url`, written into `dir`.
fn ddn_config_fetching(dir: &tempfile::TempDir, url: &str) -> String {
    let text = sample_text("auth-config.hml").replace(
        &format!("jwkFromUrl: {POOL_ISS}/.well-known/jwks.json"),
        &format!("jwkFromUrl: {url}"),
    );
    let path = dir.path().join("auth-config.hml");
    std::fs::write(&path, text).unwrap();
    format!("@{}", path.display())
}

/// A key set URL that answers 404.
fn serving_404() -> (Server, String) {
    let server = Server::start();
    server.mount(
        wiremock::Mock::given(wiremock::matchers::path("/jwks.json"))
            .respond_with(wiremock::ResponseTemplate::new(404)),
    );
    let url = server.url("/jwks.json");
    (server, url)
}

/// #33 item 1. DDN's `get_decoding_key_from_jwk_url` (`v3/crates/auth/hasura-authn-jwt/src/jwt.rs`)
/// fetches the set on every request before it reads the token, and answers a non-success status
/// with `InternalError::UnsuccessfulJWKFetch(status)`: HTTP 500, the status as reqwest shows it,
/// and a trailing space. jwtcheck got the same answer, so it predicts the engine's.
#[test]
fn a_ddn_key_set_url_answering_404_is_ddns_500() {
    let (_server, url) = serving_404();
    let dir = tempfile::tempdir().unwrap();
    let config = ddn_config_fetching(&dir, &url);
    let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["hasura"]["engine_code"], "500");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Internal Error - Received unsuccessful response 404 Not Found status while fetching JWK "
    );
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Hasura DDN rejects this token")
            && summary.contains("answers HTTP 404 instead of a key set"),
        "{summary}"
    );
    let hint = checks(&r, "key")[0]["hint"].as_str().unwrap();
    assert!(hint.contains("fix jwkFromUrl"), "{hint}");
}

/// #33 item 1 and #34 item 6. A DDN `jwkFromUrl` that cannot be fetched at all: the answer
/// depends on the engine's own network, so it stays "cannot decide", in DDN's words (`jwt.rs`,
/// `InternalError::ErrorFetchingJWKSet`; the build never fetches the set), not v2's startup.
#[test]
fn a_ddn_key_set_url_that_cannot_be_fetched_gets_ddns_words() {
    let dir = tempfile::tempdir().unwrap();
    let config = ddn_config_fetching(&dir, "http://127.0.0.1:1/jwks.json");
    let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 3, "{r:#}");
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("Internal Error - Error while fetching the JWKSet"),
        "{hint}"
    );
    assert!(!hint.contains("at startup"), "{hint}");

    let cache = cache_dir();
    let (_, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["check", "--hasura-config", &config, "--now", SAMPLE_NOW],
    ));
    let rows = checks(&r["keyset"], "lint.jwk_url");
    let hint = rows[0]["hint"].as_str().unwrap();
    assert!(hint.contains("Hasura DDN's build never fetches"), "{hint}");
    assert!(!hint.contains("refuses to start"), "{hint}");

    let (_server, url) = serving_404();
    let config = ddn_config_fetching(&dir, &url);
    let (_, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["check", "--hasura-config", &config, "--now", SAMPLE_NOW],
    ));
    let hint = checks(&r["keyset"], "lint.jwk_url")[0]["hint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        hint.contains("Received unsuccessful response 404 Not Found status while fetching JWK"),
        "{hint}"
    );
}

/// #33 item 1, v2. `Hasura/Server/Auth/JWT.hs` (`fetchJwk`, `updateJwkCtx`): a non-2xx answer
/// at startup stops the engine (`Non-2xx response on fetching JWK from`); a refresh that fails
/// keeps the keys an engine already running has, which jwtcheck cannot see: "cannot decide".
#[test]
fn a_v2_jwk_url_answering_404_cannot_be_decided_and_says_both_cases() {
    let (_server, url) = serving_404();
    let config = json!({"jwk_url": url}).to_string();
    let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 3, "{r:#}");
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains(&format!("Non-2xx response on fetching JWK from: {url}")),
        "{hint}"
    );
    assert!(
        hint.contains("an engine already running keeps the keys it fetched before"),
        "{hint}"
    );
}

/// #33 item 2. The docs page "Multiple Authentication Modes" (hasura.io/docs/3.0/auth/) and
/// `v3/rfcs/support-for-multiple-auth-configs.md`: an `X-Hasura-Auth-Mode` naming no alternative
/// mode falls back to the default mode. The output says the rule is the docs'.
#[test]
fn a_v4_auth_mode_naming_no_alternative_uses_the_default_mode() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_text("auth-config.hml").replace("version: v3", "version: v4");
    let path = dir.path().join("auth-config.hml");
    std::fs::write(&path, text).unwrap();
    let config = format!("@{}", path.display());
    let jwks = sample("jwks.json");
    let (code, r) = verify_under(
        &config,
        &at_sample("id-token.jwt"),
        &["--jwks", jwks.to_str().unwrap(), "--ddn-auth-mode", "other"],
    );
    assert_eq!(code, 0, "{r:#}");
    let note = &checks(&r, "lint.ddn_version")[0];
    assert_eq!(note["status"], "warn");
    let message = note["message"].as_str().unwrap();
    assert!(message.contains("X-Hasura-Auth-Mode: other names no alternative mode, so the request uses the default mode"), "{message}");
    assert!(
        message.contains("Multiple Authentication Modes"),
        "{message}"
    );
}

/// #33 item 4. The engine's `Data.Parser.JSONPath` (modelled in `src/hasura/jsonpath.rs`) reads
/// a quoted bracket as a member name: `$.roles["*"].name` starts, and reads a member named `*`.
/// `check` and `verify --hasura-config` warn before any token; the failure names the cause.
#[test]
fn a_claims_map_path_with_a_quoted_wildcard_is_named_as_a_literal_key() {
    let config = json!({
        "type": "RS256",
        "key": key_text("rsa-pool-id.pub.pem"),
        "claims_map": {
            "x-hasura-allowed-roles": {"path": "$.roles[\"*\"].name"},
            "x-hasura-default-role": "user",
        },
    })
    .to_string();
    let (_, r) = run_json(jwtcheck().args(["check", "--hasura-config", &config]));
    let lint = &checks(&r["config"], "lint.claims_path")[0];
    assert_eq!(lint["status"], "warn", "{r:#}");
    let message = lint["message"].as_str().unwrap();
    assert!(
        message.contains("claims_map x-hasura-allowed-roles path $.roles[\"*\"].name")
            && message.contains("reads a member literally named \"*\", not a wildcard"),
        "{message}"
    );

    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(checks(&r, "lint.claims_path")[0]["status"], "warn");
    let failed = &checks(&r, "hasura.allowed_roles")[0];
    let message = failed["message"].as_str().unwrap();
    assert!(
        message.contains("no wildcards, filters, slices or recursive descent"),
        "{message}"
    );

    // Unquoted, the same forms stop the engine at startup, with the reason named.
    for (path, why) in [
        ("$.roles[*].name", "wildcards"),
        ("$.roles[?(@.admin)]", "filters"),
        ("$..roles", "recursive descent"),
        ("$.roles[0:2]", "slices"),
    ] {
        let config = json!({
            "type": "RS256",
            "key": key_text("rsa-pool-id.pub.pem"),
            "claims_map": {"x-hasura-allowed-roles": {"path": path}, "x-hasura-default-role": "user"},
        })
        .to_string();
        let (code, r) = hasura(&token, &config);
        assert_eq!(code, 2, "{path}: {r:#}");
        assert_eq!(r["error"]["id"], "hasura.startup");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(hint.contains(why), "{path}: {hint}");
    }
}

/// #33 item 5. An RSA key over 8192 bits: jwtcheck's crypto library does not verify with it, and
/// the v2 engine's (crypton's `Crypto/PubKey/RSA/PKCS15.hs`) has no such limit: "cannot decide"
/// (exit 3), in strict mode (see also `defects.rs`) and in Hasura mode.
#[test]
fn an_rsa_key_over_8192_bits_cannot_be_decided_in_hasura_mode_either() {
    let dir = tempfile::tempdir().unwrap();
    let token = sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256","kid":"k"}"#,
        &payload(),
    );
    let jwks = json!({"keys": [{"kty": "RSA", "kid": "k", "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode([0xC5u8; 1025]), "e": "AQAB"}]});
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, jwks.to_string()).unwrap();
    let config = json!({"jwk_url": format!("{POOL_ISS}/.well-known/jwks.json")}).to_string();
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "verify",
                &token,
                "--hasura-config",
                &config,
                "--now",
                &NOW.to_string(),
                "--jwks",
            ])
            .arg(&file),
    );
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["verdict"], "undecidable");
    let (code, r) = run_json(
        jwtcheck()
            .args(["verify", &token, "--now", &NOW.to_string(), "--jwks"])
            .arg(&file),
    );
    assert_eq!(code, 3, "{r:#}");
    assert!(
        r["summary"].as_str().unwrap().contains("more than 8192"),
        "{r:#}"
    );
}

/// #33 item 6, claim names. `Hasura/Session.hs`: `isSessionVariable` tests the `x-hasura-`
/// prefix on `T.toCaseFold` of the name, and names are `CI.mk` (case-folded) keys, so
/// `x-haſura-allowed-roles` (U+017F) is `x-hasura-allowed-roles`.
#[test]
fn claim_names_are_case_folded_as_the_engine_folds_them() {
    let payload = json!({
        "sub": "u-1", "iat": NOW - 60, "exp": NOW + 3540,
        "https://hasura.io/jwt/claims": {"x-hasura-default-role": "user", "x-haſura-allowed-roles": ["user"]},
    })
    .to_string();
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload);
    let (code, r) = hasura(&token, &static_config("RS256", "rsa-pool-id"));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["hasura"]["allowed_roles"], json!(["user"]));
}

/// #33 item 6, de-duplication. `Hasura/Server/Auth/JWT.hs` reads `HASURA_GRAPHQL_JWT_SECRETS`
/// with `L.nub` over the parsed entries (derived equality, field by field): no `header` and
/// `{"type":"Authorization"}` are two entries, as are custom header names `X-Token` and
/// `x-token`; both pairs answer `Multiple JWTs found`.
#[test]
fn secrets_entries_that_differ_only_in_how_header_is_written_are_both_kept() {
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let key = key_text("rsa-pool-id.pub.pem");
    for (a, b, sent) in [
        (
            json!(null),
            json!({"type": "Authorization"}),
            format!("Authorization: Bearer {token}"),
        ),
        (
            json!({"type": "CustomHeader", "name": "X-Token"}),
            json!({"type": "CustomHeader", "name": "x-token"}),
            format!("X-Token: {token}"),
        ),
    ] {
        let entry = |h: &serde_json::Value| {
            let mut e = json!({"type": "RS256", "key": key});
            if !h.is_null() {
                e["header"] = h.clone();
            }
            e
        };
        let list = json!([entry(&a), entry(&b)]).to_string();
        let (code, r) = run_json(jwtcheck().env("HASURA_GRAPHQL_JWT_SECRETS", &list).args([
            "verify",
            &sent,
            "--hasura-config-env",
            "--now",
            &NOW.to_string(),
        ]));
        assert_eq!(code, 1, "{a} / {b}: {r:#}");
        assert_eq!(
            r["hasura"]["engine_error"], "Could not verify JWT: Multiple JWTs found",
            "{a} / {b}"
        );
    }
}

/// #33 item 6, token location. `Hasura/Server/Auth/JWT.hs` `findTokensInHeader` reads a header
/// named `Cookie` as cookies before it considers custom headers, so a `CustomHeader` named
/// `Cookie` never finds its token: every request is "Missing 'Authorization' or 'Cookie' header".
#[test]
fn a_custom_header_named_cookie_is_read_as_cookies() {
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let config = json!({
        "type": "RS256",
        "key": key_text("rsa-pool-id.pub.pem"),
        "header": {"type": "CustomHeader", "name": "Cookie"},
    })
    .to_string();
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"
    );
    let message = checks(&r, "hasura.header")[0]["message"].as_str().unwrap();
    assert!(message.contains("reads as cookies"), "{message}");
}

/// #33 item 6, an empty cookie value. `JWT.hs` takes the configured cookie's value as the token;
/// hs-jose's `decodeCompact` splits `""` into no parts (`Crypto/JOSE/Compact.hs`), so the
/// engine's message ends `Expected 3 parts; got 0`.
#[test]
fn an_empty_cookie_value_is_a_token_of_no_parts() {
    // Another cookie holds a token, so that the pasted text is read as a Cookie header.
    let t = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload());
    let (code, r) = hasura(
        &format!("Cookie: other={t}; hasura_user="),
        &cookie_config(),
    );
    assert_ne!(code, 0, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 0)"
    );
}

/// The `lint.cache` sentence `jwks URL` and `check --hasura-config` give for a key set served
/// with these headers.
fn v2_refresh_sentences(headers: &[(&str, &str)]) -> (String, String) {
    let s = Server::start();
    serve_json(&s, "/jwks.json", &sample_jwks(), headers);
    let url = s.url("/jwks.json");
    let (_, listed) = run_json(jwtcheck().args(["jwks", &url]));
    let config = json!({"type": "RS256", "jwk_url": url}).to_string();
    let (_, checked) = run_json(jwtcheck().args(["check", "--hasura-config", &config]));
    let sentence = |r: &serde_json::Value, at: &str| {
        r.pointer(at)
            .and_then(|c| c.as_array())
            .and_then(|c| c.iter().find(|c| c["id"] == "lint.cache"))
            .and_then(|c| c["message"].as_str())
            .unwrap_or_else(|| panic!("no lint.cache in {r:#}"))
            .to_string()
    };
    (
        sentence(&listed, "/checks"),
        sentence(&checked, "/keyset/checks"),
    )
}

/// #33 item 6, the jwk_url refresh interval. The engine's `determineJwkExpiryLifetime`
/// (`server/src-lib/Hasura/Server/Auth/JWT.hs`) reads `Cache-Control` with
/// `Data/Parser/CacheControl.hs` (`parseCacheControl` = attoparsec `parseOnly`, which stops
/// quietly; `findMaxAge` = `decimal`, the leading digits; `optionalWhitespaceParser` = one
/// `space`; `cacheDirectiveParser` = `tokenWithValue <|> onlyToken`), and `Expires` with
/// `Data/Parser/Expires.hs` (`time`'s `parseTimeM True defaultTimeLocale "%a, %d %b %Y %T GMT"`:
/// `stringCI` names, `%d` exactly two digits). `jwks` and `check` state the engine's interval.
#[test]
fn the_v2_refresh_interval_is_read_as_the_engine_parses_the_headers() {
    let every_second = "Hasura refetches this key set every second";
    let cases: &[(&[(&str, &str)], &str)] = &[
        // leading digits count
        (
            &[("Cache-Control", "max-age=60abc")],
            "Hasura refetches this key set every 1m",
        ),
        // optional whitespace is one character: the second space ends the parse
        (
            &[("Cache-Control", "max-age=60,  no-store")],
            "Hasura refetches this key set every 1m",
        ),
        // `;` ends the parse
        (
            &[("Cache-Control", "max-age=60; no-store")],
            "Hasura refetches this key set every 1m",
        ),
        // `no-cache=` and `no-store=` are the bare directives
        (&[("Cache-Control", "max-age=600, no-cache=")], every_second),
        (&[("Cache-Control", "max-age=600, no-store=")], every_second),
        // `max-age = 60` is a bare token: nothing the engine acts on, and no Expires
        (
            &[("Cache-Control", "max-age = 60")],
            "Hasura finds no directive it acts on in Cache-Control: max-age = 60",
        ),
        // a present but empty Cache-Control is a parse error; Expires is then not consulted
        (
            &[
                ("Cache-Control", ""),
                ("Expires", "Tue, 01 Jan 2099 00:00:00 GMT"),
            ],
            "Hasura cannot parse Cache-Control: \"\" (it logs 'Failed parsing Cache-Control header from JWK response', and it does not look at Expires then)",
        ),
        // Expires: case-insensitive
        (
            &[("Expires", "tue, 01 jan 2099 00:00:00 gmt")],
            "Hasura refetches this key set every 7",
        ),
        // Expires: the day needs two digits
        (
            &[("Expires", "Tue, 1 Jan 2099 00:00:00 GMT")],
            "Hasura cannot parse Expires: \"Tue, 1 Jan 2099 00:00:00 GMT\"",
        ),
    ];
    for (headers, expected) in cases {
        let (listed, checked) = v2_refresh_sentences(headers);
        assert!(
            listed.starts_with(expected),
            "{headers:?}: jwks says {listed}"
        );
        assert_eq!(listed, checked, "{headers:?}");
    }
}

/// A server answering `body` (raw bytes, as JSON) at /jwks.json.
fn serving_body(body: Vec<u8>) -> (Server, String) {
    let server = Server::start();
    server.mount(
        wiremock::Mock::given(wiremock::matchers::path("/jwks.json")).respond_with(
            wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        ),
    );
    let url = server.url("/jwks.json");
    (server, url)
}

fn with_bom() -> Vec<u8> {
    let mut body = vec![0xEF, 0xBB, 0xBF];
    body.extend(sample_jwks().to_string().into_bytes());
    body
}

fn with_trailing_text() -> Vec<u8> {
    format!("{:#}\n<!-- served by cache -->\n", sample_jwks()).into_bytes()
}

/// #33 item 6, a key set body with a byte order mark or text after the JSON. Hasura v2's
/// `fetchJwk` (`server/src-lib/Hasura/Server/Auth/JWT.hs`) decodes it with aeson's
/// `eitherDecode'`, which refuses both: the engine refuses to start (`Error parsing JWK from url:
/// <url>`) and a running engine keeps its keys ("cannot decide", as for a 404). Hasura DDN's
/// `get_decoding_key_from_jwk_url` (`v3/crates/auth/hasura-authn-jwt/src/jwt.rs`) reads it with
/// reqwest's `Response::json` (`serde_json::from_slice`), which refuses both too, on every
/// request: HTTP 500 `Internal Error - Internal request error: error decoding response body`.
/// `jwks` says both; jwtcheck's own reading (strict mode) names the cause with its place.
#[test]
fn a_key_set_with_a_bom_or_trailing_text_is_refused_as_each_engine_refuses_it() {
    for body in [with_bom(), with_trailing_text()] {
        let (_server, url) = serving_body(body.clone());
        let (code, r) = run_json(jwtcheck().args(["jwks", &url]));
        assert_eq!(code, 3, "{r:#}");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(
            hint.contains("Hasura v2 decodes a jwk_url body with aeson's eitherDecode'"),
            "{hint}"
        );
        assert!(
            hint.contains(&format!("'Error parsing JWK from url: {url}'")),
            "{hint}"
        );
        assert!(
            hint.contains(
                "500 (Internal Error - Internal request error: error decoding response body)"
            ),
            "{hint}"
        );

        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &body).unwrap();
        let (code, r) = run_json(jwtcheck().arg("jwks").arg(file.path()));
        assert_eq!(code, 3, "{r:#}");
        assert!(
            r["error"]["hint"]
                .as_str()
                .unwrap()
                .contains("aeson's eitherDecode'"),
            "{r:#}"
        );

        let dir = tempfile::tempdir().unwrap();
        let config = ddn_config_fetching(&dir, &url);
        let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
        assert_eq!(code, 1, "{r:#}");
        assert_eq!(r["hasura"]["engine_code"], "500");
        assert_eq!(
            r["hasura"]["engine_error"],
            "Internal Error - Internal request error: error decoding response body"
        );

        let config = json!({"type": "RS256", "jwk_url": url}).to_string();
        let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
        assert_eq!(code, 3, "{r:#}");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(
            hint.contains(&format!(
                "refuses to start when it cannot: Error parsing JWK from url: {url}"
            )),
            "{hint}"
        );
    }
    let (_server, url) = serving_body(with_bom());
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        &url,
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(
        r["error"]["message"],
        format!(
            "cannot get the keys: {url} did not send JSON: starts with a byte order mark (U+FEFF), which JSON text must not have (RFC 8259 section 8.1)"
        )
    );
    let (_server, url) = serving_body(with_trailing_text());
    let (_, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        &url,
        "--now",
        SAMPLE_NOW,
    ]));
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("did not send JSON: invalid JSON at line ")
            && message.ends_with(", column 1: trailing characters"),
        "{message}"
    );
}

/// #33 item 6, a URI value taken by `claims_map`. `JWT.hs` `parseClaimsMap` evaluates
/// `claims_map` paths on `J.toJSON claimsSet`; hs-jose's `ToJSON ClaimsSet` (`Crypto/JWT.hs`)
/// writes the registered `iss`, `sub` and `aud` it parsed, and a `StringOrURI` with a `:` is a
/// network-uri `URI` whose `show` (`Network/URI.hs`, `defaultUserInfoMap`) hides a password. So
/// the session variable is `https://alice:...@idp.example/u/1`; an unregistered claim is not
/// re-encoded.
#[test]
fn a_uri_taken_by_claims_map_has_its_password_hidden_as_the_engine_shows_it() {
    let uri = "https://alice:s3cret@idp.example/u/1";
    let payload = json!({
        "sub": uri, "aud": [uri], "profile": uri, "iat": NOW - 60, "exp": NOW + 3540,
    })
    .to_string();
    let token = sign("RS256", "rsa-pool-id", r#"{"alg":"RS256"}"#, &payload);
    let config = json!({
        "type": "RS256",
        "key": key_text("rsa-pool-id.pub.pem"),
        "claims_map": {
            "x-hasura-allowed-roles": ["user"],
            "x-hasura-default-role": "user",
            "x-hasura-user-id": {"path": "$.sub"},
            "x-hasura-audience": {"path": "$.aud"},
            "x-hasura-profile": {"path": "$.profile"},
        },
    })
    .to_string();
    let (code, r) = hasura(&token, &config);
    assert_eq!(code, 0, "{r:#}");
    let session = &r["hasura"]["session_variables"];
    assert_eq!(
        session["x-hasura-user-id"], "https://alice:...@idp.example/u/1",
        "{r:#}"
    );
    assert_eq!(
        session["x-hasura-audience"], "https://alice:...@idp.example/u/1",
        "{r:#}"
    );
    assert_eq!(session["x-hasura-profile"], uri, "{r:#}");
}

/// Left from #33/#34: DDN's words when the key set is fetched again and fails. DDN fetches
/// `jwkFromUrl` on every request (`get_decoding_key_from_jwk_url`, `v3/crates/auth/
/// hasura-authn-jwt/src/jwt.rs`): after a kid miss in jwtcheck's cached copy, the URL now
/// answering 404 is what DDN gets too (`UnsuccessfulJWKFetch`, HTTP 500). An empty set parses
/// (jsonwebtoken's `JwkSet`), and `JwkSet::find(kid)` then finds nothing: 500 `No matching JWK
/// found for the given kid`, in `verify` and in `check` (not v2's NoUsableKeys).
#[test]
fn ddn_refetch_failures_and_empty_sets_get_ddns_words() {
    let server = Server::start();
    let mut other = sample_jwks();
    other["keys"].as_array_mut().unwrap().remove(0);
    server.mount(
        wiremock::Mock::given(wiremock::matchers::path("/jwks.json"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_raw(other.to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=3600"),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.mount(
        wiremock::Mock::given(wiremock::matchers::path("/jwks.json"))
            .respond_with(wiremock::ResponseTemplate::new(404))
            .with_priority(2),
    );
    let url = server.url("/jwks.json");
    let cache = cache_dir();
    let (code, _, _) = run(&mut jwtcheck_cached(&cache, &["jwks", &url]));
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let config = ddn_config_fetching(&dir, &url);
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--hasura-config",
            &config,
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(
        r["hasura"]["engine_error"],
        "Internal Error - Received unsuccessful response 404 Not Found status while fetching JWK "
    );

    let (_server, url) = serving_body(b"{\"keys\": []}".to_vec());
    let config = ddn_config_fetching(&dir, &url);
    let (code, r) = verify_under(&config, &at_sample("id-token.jwt"), &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["hasura"]["engine_code"], "500");
    let kid = "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=";
    assert_eq!(
        r["hasura"]["engine_error"],
        format!("Internal Error - No matching JWK found for the given kid: {kid}")
    );
    let (_, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["check", "--hasura-config", &config, "--now", SAMPLE_NOW],
    ));
    let hint = checks(&r["keyset"], "lint.jwk_url")[0]["hint"]
        .as_str()
        .unwrap();
    assert!(
        hint.starts_with("Hasura DDN builds (it never fetches the set)"),
        "{hint}"
    );
    assert!(!hint.contains("NoUsableKeys"), "{hint}");
}
