//! `jwtcheck decode`: the built binary, its exit codes, first line and JSON report.

use crate::support::sign::{b64, sign};
use crate::support::*;

const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A5: &str = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

#[test]
fn decodes_the_sample_id_token_and_never_claims_validity() {
    let (code, out, _) =
        run(jwtcheck().args(["decode", &at_sample("id-token.jwt"), "--now", SAMPLE_NOW]));
    assert_eq!(code, 0);
    assert_eq!(
        first_line(&out),
        "DECODED  RS256 id token, expires in 30m; signature not verified"
    );
    assert!(!out.to_lowercase().contains("valid signature"));
}

#[test]
fn human_output_snapshot() {
    let (_, out, _) =
        run(jwtcheck().args(["decode", &at_sample("id-token.jwt"), "--now", SAMPLE_NOW]));
    insta::assert_snapshot!("decode_sample_id_token", out);
}

#[test]
fn json_report_has_the_design_shape() {
    let (code, r) =
        run_json(jwtcheck().args(["decode", &at_sample("id-token.jwt"), "--now", SAMPLE_NOW]));
    assert_eq!(code, 0);
    assert_eq!(r["verdict"], "unverified");
    assert_eq!(r["token"]["kind"], "id");
    let header_keys: Vec<&String> = r["token"]["header"].as_object().unwrap().keys().collect();
    assert_eq!(header_keys, ["kid", "alg"], "the token's own key order");
    assert_eq!(r["token"]["payload"]["cognito:username"], "ada");
    assert_eq!(r["token"]["lifetime"], 3600.0);
    assert_eq!(r["hasura"]["claims_format"], "stringified_json");
    assert_eq!(r["hasura"]["default_role"], "user");
    assert_eq!(
        r["hasura"]["allowed_roles"],
        serde_json::json!(["user", "editor"])
    );
    assert_eq!(
        r["hasura"]["session_variables"]["x-hasura-user-id"],
        "b8f1f6df-c138-476e-85f3-7339bf9e2d7d"
    );
    assert_eq!(status(&r, "signature"), "skip");
    assert_eq!(r["now"]["utc"], "2026-11-24T09:30:00Z");
}

#[test]
fn accepts_the_token_in_every_form() {
    let token = sample_text("id-token.jwt");
    let forms = [
        token.clone(),
        format!("Bearer {token}"),
        format!("'Authorization: Bearer {token}'\n"),
        format!("  \"{token}\"  "),
    ];
    for form in &forms {
        let (code, out, _) = run(jwtcheck().args(["decode", form, "--now", SAMPLE_NOW]));
        assert_eq!(code, 0, "{form}");
        assert!(first_line(&out).starts_with("DECODED"));
    }
    let (code, _, _) = run(jwtcheck()
        .args(["decode", "-", "--now", SAMPLE_NOW])
        .write_stdin(format!("Authorization: Bearer {token}\r\n")));
    assert_eq!(code, 0);
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let big = format!(
        "{}.{}.",
        b64(r#"{"alg":"none"}"#),
        b64(&format!(r#"{{"pad":"{}"}}"#, "x".repeat(70_000)))
    );
    let (code, r) = run_json(jwtcheck().args(["decode", "-"]).write_stdin(big.clone()));
    assert_eq!(code, 4);
    assert_eq!(r["verdict"], "malformed");
    assert_eq!(r["error"]["id"], "input.too_large");
    let (code, _) = run_json(
        jwtcheck()
            .args(["decode", "-", "--max-input", "200000"])
            .write_stdin(big),
    );
    assert_eq!(code, 0);
}

#[test]
fn malformed_tokens_name_the_segment_and_exit_4() {
    let header = b64(r#"{"alg":"RS256"}"#);
    let payload = b64(r#"{"sub":"1234567890"}"#);
    let cases = [
        (
            format!("{header}.{payload}"),
            "expected 3 segments separated by '.', found 2",
        ),
        (
            format!("{header}.{}*x.sig", &payload[..16]),
            "payload segment: character 17 '*' is not base64url",
        ),
        (
            format!("{header}=.{payload}.sig"),
            "header segment: character 21 '=' is padding",
        ),
        (
            format!("{}.{payload}.", b64("\"x\"")),
            "header segment: must be a JSON object, found a string",
        ),
    ];
    for (token, want) in cases {
        let (code, out, _) = run(jwtcheck().args(["decode", &token]));
        assert_eq!(code, 4, "{token}");
        assert!(first_line(&out).starts_with("MALFORMED"), "{out}");
        assert!(out.contains(want), "{want} not in\n{out}");
    }
}

#[test]
fn an_encrypted_token_is_recognised_as_jwe() {
    let jwe = format!(
        "{}.a2V5.aXY.Y2lwaGVy.dGFn",
        b64(r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"}"#)
    );
    let (code, r) = run_json(jwtcheck().args(["decode", &jwe]));
    assert_eq!(code, 4);
    assert_eq!(r["error"]["id"], "token.jwe");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("alg: RSA-OAEP-256, enc: A256GCM"),
        "{message}"
    );
}

#[test]
fn unknown_and_none_algorithms_still_decode_with_warnings() {
    let (code, r) = run_json(jwtcheck().args(["decode", A5, "--now", "1300819000"]));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "alg"), "warn");
    assert_eq!(r["token"]["payload"]["iss"], "joe");

    let odd = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS999","typ":"JWT"}"#,
        r#"{"sub":"1"}"#,
    );
    let (code, r) = run_json(jwtcheck().args(["decode", &odd]));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "alg"), "warn");
    assert_eq!(status(&r, "exp"), "warn", "no exp is warned");
}

#[test]
fn rfc7515_a1_decodes_with_its_times() {
    let (code, out, _) = run(jwtcheck().args(["decode", A1, "--now", "2011-03-22T18:00:00Z"]));
    assert_eq!(code, 0);
    assert_eq!(
        first_line(&out),
        "DECODED  HS256 token, expires in 43m; signature not verified"
    );
    let (_, out, _) = run(jwtcheck().args(["decode", A1, "--now", "2011-03-22T21:55:00Z"]));
    assert!(first_line(&out).contains("expired 3h 12m ago"), "{out}");
}

#[test]
fn duplicate_claims_never_look_clean() {
    let t = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS256"}"#,
        r#"{"sub":"1","exp":4102444800,"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-default-role":"admin","x-hasura-allowed-roles":["user","admin"]}}"#,
    );
    let (code, out, _) = run(jwtcheck().args(["decode", &t]));
    assert_eq!(code, 0);
    assert!(out.contains("Warnings"), "{out}");
    assert!(
        out.contains(
            r#"duplicate member name $["https://hasura.io/jwt/claims"].x-hasura-default-role"#
        ),
        "{out}"
    );
}

#[test]
fn warns_about_untrusted_header_keys_crit_lifetime_and_future_times() {
    let t = sign(
        "HS256",
        "hs256",
        r#"{"alg":"HS256","jku":"https://attacker.example/jwks.json","crit":["exp"]}"#,
        r#"{"iat":4102444800,"nbf":4102444800,"exp":4105036800}"#,
    );
    let (_, r) = run_json(jwtcheck().args(["decode", &t, "--now", "2026-01-01T00:00:00Z"]));
    for id in ["lint.header", "crit", "iat", "nbf", "lint.lifetime"] {
        assert_eq!(status(&r, id), "warn", "{id}");
        assert_eq!(checks(&r, id).len(), 1, "{id} is reported once");
    }
}

#[test]
fn access_token_gets_the_id_token_hint() {
    let (_, r) = run_json(jwtcheck().args([
        "decode",
        &at_sample("access-token.jwt"),
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(r["token"]["kind"], "access");
    let c = &checks(&r, "lint.token_kind")[0];
    assert_eq!(c["status"], "warn");
    assert!(
        c["hint"]
            .as_str()
            .unwrap()
            .contains("V1 trigger only changes the id token")
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, r) = run_json(jwtcheck().args(["decode", "@/no/such/token.jwt"]));
    assert_eq!(code, 2);
    assert_eq!(r["verdict"], "usage_error");
    assert_eq!(r["error"]["id"], "input.read");
    let (code, _, _) = run(jwtcheck().args(["decode", A1, "--now", "yesterday"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(jwtcheck().args(["decode"]));
    assert_eq!(code, 2, "missing argument is a clap usage error");
}

#[test]
fn a_callback_url_given_to_decode_points_at_from_url() {
    let url = sample_text("callback-url.txt");
    let (code, r) = run_json(jwtcheck().args(["decode", &url]));
    assert_eq!(code, 4);
    assert!(r["error"]["hint"].as_str().unwrap().contains("from-url"));
}

#[test]
fn colors_only_when_asked_or_on_a_terminal() {
    let args = ["decode", &at_sample("id-token.jwt"), "--now", SAMPLE_NOW];
    let (_, plain, _) = run(jwtcheck().args(args));
    assert!(
        !plain.contains('\x1b'),
        "no colors when stdout is not a terminal"
    );
    let (_, colored, _) = run(jwtcheck().args(args).args(["--color", "always"]));
    assert!(colored.contains('\x1b'));
    let (_, never, _) = run(jwtcheck()
        .args(args)
        .args(["--color", "never"])
        .env("NO_COLOR", "1"));
    assert!(!never.contains('\x1b'));
}

#[test]
fn control_characters_from_the_token_never_reach_the_terminal_raw() {
    let header = b64(r#"{"alg":"\u001b[2J\u001b[HVALID  fake\nx"}"#);
    let payload = b64(r#"{"sub":"\u001b[31mred\nVALID  fake","exp":4102444800}"#);
    let (code, out, _) = run(jwtcheck().args([
        "decode",
        &format!("{header}.{payload}."),
        "--color",
        "never",
    ]));
    assert_eq!(code, 0);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(!out.lines().any(|l| l.starts_with("VALID")), "{out}");
    let (_, out, _) = run(jwtcheck().args([
        "from-url",
        "https://app/cb?error=access_denied&error_description=x%0AVALID%20%20fake",
        "--decode",
    ]));
    assert!(!out.lines().any(|l| l.starts_with("VALID")), "{out}");
}

#[test]
fn json_is_printed_even_for_bad_arguments() {
    let (code, r) = run_json(jwtcheck().args(["decode", "--bogus"]));
    assert_eq!(code, 2);
    assert_eq!(r["verdict"], "usage_error");
    assert_eq!(r["error"]["id"], "usage.arguments");
}

#[test]
fn odd_but_harmless_input() {
    let token = sample_text("id-token.jwt");
    let (code, _, _) = run(jwtcheck()
        .args(["decode", "-", "--now", SAMPLE_NOW])
        .write_stdin(format!("\u{feff}{token}\n")));
    assert_eq!(code, 0, "a byte order mark before the token is ignored");
    let (code, out, _) = run(jwtcheck().args(["decode", &token, "--now", "-5"]));
    assert_eq!(code, 0, "negative Unix seconds are a time: {out}");
}

#[test]
fn file_flags_take_at_and_a_bare_file_name_gets_did_you_mean() {
    let in_repo = || {
        let mut cmd = jwtcheck();
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
        cmd
    };
    // `@FILE` on flags that take only a file.
    for flags in [
        &[
            "--jwks",
            "@samples/jwks.json",
            "--policy",
            "@samples/policy.json",
        ][..],
        &["--key", "@tests/fixtures/keys/rsa-pool-id.pub.pem"][..],
    ] {
        let (code, out, _) = run(in_repo()
            .args(["verify", "@samples/id-token.jwt", "--now", SAMPLE_NOW])
            .args(flags));
        assert_eq!(code, 0, "{flags:?}: {out}");
    }
    let (code, out, _) = run(in_repo().args(["jwks", "@samples/jwks.json"]));
    assert_eq!(code, 0, "{out}");
    // A bare file name where `@` was needed.
    let cases: [(&[&str], &str); 5] = [
        (&["decode", "samples/id-token.jwt"], "samples/id-token.jwt"),
        (
            &[
                "verify",
                "@samples/id-token.jwt",
                "--hasura-config",
                "samples/hasura-jwt-secret.json",
            ],
            "samples/hasura-jwt-secret.json",
        ),
        (
            &["from-url", "samples/callback-url.txt", "--decode"],
            "samples/callback-url.txt",
        ),
        (
            &["hasura-config", "samples/hasura-jwt-secret.json"],
            "samples/hasura-jwt-secret.json",
        ),
        (
            &[
                "check",
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
                "--jwks",
                "samples/jwks.json",
                "--token",
                "samples/id-token.jwt",
            ],
            "samples/id-token.jwt",
        ),
    ];
    for (args, file) in cases {
        let (code, out, _) = run(in_repo().args(args).args(["--now", SAMPLE_NOW]));
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            first_line(&out).ends_with(&format!("{file} names a file: did you mean @{file}?")),
            "{args:?}: {out}"
        );
    }
}
