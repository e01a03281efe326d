//! DDN's model against the library's own words: decoding errors with serde's positions, v4
//! modes, payloads that are not objects, nesting limits (compiled only under #[cfg(test)], see
//! mod.rs).

use super::tests::*;
use super::*;

/// A token of raw header and payload text, signed with HS256 and the key `token`.
fn raw_token(header: &str, payload: &str) -> String {
    use crate::jose::base64url::encode;
    let input = format!(
        "{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes())
    );
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, b"token");
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", encode(tag.as_ref()))
}

// Each message below was produced by jsonwebtoken 9.3.1's `decode` itself (with the engine's
// Validation) on the same token, in a local run, and is the text DDN wraps.
#[test]
fn decoding_errors_carry_the_librarys_words_and_positions() {
    let cfg = hs256(NAMESPACE);
    let h = r#"{"alg":"HS256","typ":"JWT"}"#;
    let c = r#""claims.jwt.hasura.io":{"x-hasura-default-role":"user","x-hasura-allowed-roles":["user"]}"#;
    let say = |t: &str| answer(&bare(&cfg, t)).map(|a| a.1.to_owned());
    let internal = |m: &str| {
        Some(format!(
            "Internal Error - Error while decoding the JWT: {m}"
        ))
    };
    assert_eq!(
        say(&raw_token(
            h,
            &format!(r#"{{"exp":4000000000,"exp":4000000001,{c}}}"#)
        )),
        internal("JSON error: duplicate field `exp` at line 1 column 23")
    );
    assert_eq!(
        say(&raw_token(h, &format!(r#"{{"exp":1e400,{c}}}"#))),
        internal("JSON error: number out of range at line 1 column 12")
    );
    assert_eq!(
        say(&raw_token(
            r#"{"alg":"HS256","alg":"HS256"}"#,
            &format!(r#"{{"exp":4000000000,{c}}}"#)
        )),
        internal("JSON error: duplicate field `alg` at line 1 column 20")
    );
    assert_eq!(
        say(&raw_token(
            r#"{"alg":"HS256","typ":1}"#,
            &format!(r#"{{"exp":4000000000,{c}}}"#)
        )),
        internal("JSON error: invalid type: integer `1`, expected a string at line 1 column 22")
    );
    assert_eq!(
        say(&raw_token(h, r#"{"exp":"#)),
        internal("JSON error: EOF while parsing a value at line 1 column 7")
    );
    // -0 is a float 0 (expired); 2e19 does not fit u64 (no exp); a duplicated unregistered
    // claim is fine; crit is not read.
    assert_eq!(
        say(&raw_token(h, &format!(r#"{{"exp":-0,{c}}}"#))).as_deref(),
        Some("JWT validation error: ExpiredSignature")
    );
    assert_eq!(
        say(&raw_token(h, &format!(r#"{{"exp":2e19,{c}}}"#))).as_deref(),
        Some("JWT validation error: Missing required claim: exp")
    );
    assert_eq!(
        say(&raw_token(
            h,
            &format!(r#"{{"exp":4000000000,"x":1,"x":2,{c}}}"#)
        )),
        None
    );
    assert_eq!(
        say(&raw_token(
            r#"{"alg":"HS256","crit":["x"]}"#,
            &format!(r#"{{"exp":4000000000,{c}}}"#)
        )),
        None
    );
    // Four segments: the first two are the header; HMAC compares base64 text, so an unreadable
    // signature is a wrong one.
    let good = raw_token(h, &format!(r#"{{"exp":4000000000,{c}}}"#));
    assert_eq!(
        say(&format!("{good}.x")),
        internal("Base64 error: Invalid symbol 46, offset 36.")
    );
    let (msg, _) = good.rsplit_once('.').unwrap();
    assert_eq!(
        say(&format!("{msg}.!!")).as_deref(),
        Some("JWT validation error: InvalidSignature")
    );
    assert_eq!(
        say(msg).as_deref(),
        Some("JWT validation error: InvalidToken")
    );
}

// hasura.io/docs/3.0/auth/overview: AuthConfig v4's alternativeModes, chosen per request by the
// X-Hasura-Auth-Mode header.
#[test]
fn v4_reads_the_default_mode_or_the_alternative_the_request_names() {
    let yaml = "kind: AuthConfig\nversion: v4\ndefinition:\n  mode:\n    noAuth:\n      role: admin\n      sessionVariables: {}\n  alternativeModes:\n    - identifier: cognito\n      config:\n        jwt:\n          key:\n            fixed:\n              algorithm: HS256\n              key:\n                value: token\n          tokenLocation:\n            type: BearerAuthorization\n          claimsConfig:\n            namespace:\n              claimsFormat: Json\n              location: /claims.jwt.hasura.io\n";
    let docs = config::yaml_documents(yaml).unwrap();
    let cfg = config::parse(&docs, &|_| None, None).unwrap();
    assert_eq!(cfg.auth_mode.as_deref(), Some("cognito"));
    assert!(accepted(&bare(&cfg, &token(claims_at_namespace(hasura())))));
    // An identifier no alternative has: the default mode (here noAuth, which reads no token).
    let e = config::parse_mode(&docs, &|_| None, None, Some("other")).unwrap_err();
    assert_eq!(e.path, "definition.mode");
}

// #33 item 3. jsonwebtoken 9's `decode` reads the payload as `ClaimsForValidation`
// (`src/validation.rs`): a JSON array is read element by element into its fields (exp, nbf with
// defaults, then sub), so serde says how many elements it got, where; five are read by
// position and validated.
#[test]
fn a_payload_that_is_not_an_object_gets_serdes_words_for_claims_for_validation() {
    let cfg = hs256(NAMESPACE);
    let h = r#"{"alg":"HS256","typ":"JWT"}"#;
    let say =
        |p: &str| answer(&bare(&cfg, &raw_token(h, p))).map(|(s, m)| (s.to_owned(), m.to_owned()));
    let internal = |m: &str| {
        Some((
            "500".to_owned(),
            format!("Internal Error - Error while decoding the JWT: JSON error: {m}"),
        ))
    };
    assert_eq!(
        say("[]"),
        internal(
            "invalid length 2, expected struct ClaimsForValidation with 5 elements at line 1 column 2"
        )
    );
    assert_eq!(
        say("[1,2]"),
        internal(
            "invalid length 2, expected struct ClaimsForValidation with 5 elements at line 1 column 5"
        )
    );
    assert_eq!(
        say("null"),
        internal("invalid type: null, expected struct ClaimsForValidation at line 1 column 4")
    );
    // Run against the library itself (a scratch project with jsonwebtoken = "=9.3.1", `decode::
    // <Value>` with DDN's `Validation`): six or more elements leave serde_json's sequence
    // unfinished ("trailing characters"); exactly five are read into the fields by position and
    // validated (exp 1 is long past: ExpiredSignature, a 400).
    assert_eq!(
        say("[1,2,3,4,5,6]"),
        internal("trailing characters at line 1 column 12")
    );
    assert_eq!(
        say("[1,2,3,4,5]"),
        Some((
            "400".to_owned(),
            "JWT validation error: ExpiredSignature".to_owned()
        ))
    );
    assert_eq!(
        say("[9999999999,2,\"s\",\"i\",\"a\"]"),
        Some((
            "400".to_owned(),
            "JWT validation error: InvalidAudience".to_owned()
        ))
    );
}

// #33 item 2. The docs page "Multiple Authentication Modes" (hasura.io/docs/3.0/auth/) and
// v3/rfcs/support-for-multiple-auth-configs.md: an X-Hasura-Auth-Mode that matches no
// alternative's identifier falls back to the default mode. The shipped v4 code was not found.
#[test]
fn v4_an_auth_mode_naming_no_alternative_falls_back_to_the_default_mode() {
    let yaml = "kind: AuthConfig
version: v4
definition:
  mode:
    jwt:
      key:
        fixed:
          algorithm: HS256
          key:
            value: token
      tokenLocation:
        type: BearerAuthorization
      claimsConfig:
        namespace:
          claimsFormat: Json
          location: /claims.jwt.hasura.io
  alternativeModes:
    - identifier: guest
      config:
        noAuth:
          role: guest
          sessionVariables: {}
";
    let docs = config::yaml_documents(yaml).unwrap();
    let cfg = config::parse_mode(&docs, &|_| None, None, Some("other")).unwrap();
    assert_eq!(cfg.auth_mode, None);
    assert_eq!(cfg.unmatched_auth_mode.as_deref(), Some("other"));
    let note = cfg.fallback_note().unwrap();
    assert!(
        note.message.contains("uses the default mode"),
        "{}",
        note.message
    );
    assert!(
        note.message.contains("Multiple Authentication Modes"),
        "{}",
        note.message
    );
    assert!(accepted(&bare(&cfg, &token(claims_at_namespace(hasura())))));
}

#[test]
fn deep_nesting_is_refused_before_libyaml_reads_it() {
    let deep = format!("mode: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let started = std::time::Instant::now();
    let e = config::yaml_documents(&deep).unwrap_err();
    assert!(e.contains("nested more than 128 levels"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    // Brackets inside double-quoted strings do not count; 100 levels still read.
    let quoted = format!("a: \"{}\"", "[".repeat(500));
    assert_eq!(config::yaml_documents(&quoted).unwrap().len(), 1);
    let hundred = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(config::yaml_documents(&hundred).unwrap().len(), 1);
}
