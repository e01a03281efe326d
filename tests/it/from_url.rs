//! `jwtcheck from-url`: every callback shape, state checks, and the token it carries.

use crate::support::*;

fn url_with(fragment_or_query: &str) -> String {
    format!("https://localhost:3000/cognito-callback{fragment_or_query}")
}

#[test]
fn implicit_callback_decodes_the_id_token() {
    let (code, r) = run_json(jwtcheck().args([
        "from-url",
        &at_sample("callback-url.txt"),
        "--decode",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
    assert_eq!(r["verdict"], "unverified");
    assert_eq!(r["callback"]["grant"], "implicit");
    assert_eq!(r["callback"]["selected"], "id_token");
    assert_eq!(
        r["callback"]["redirect_uri"],
        "https://localhost:3000/cognito-callback"
    );
    // A real-looking Cognito token: kid with + / =, JSON written with \/ escapes.
    assert_eq!(
        r["token"]["header"]["kid"],
        "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0="
    );
    assert_eq!(
        r["token"]["payload"]["iss"],
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1"
    );
    assert_eq!(r["hasura"]["claims_format"], "stringified_json");
    assert_eq!(status(&r, "callback.state"), "skip");
}

#[test]
fn pasted_url_with_quotes_and_whitespace_works_and_access_token_can_be_chosen() {
    let url = format!("  '{}'\n", sample_text("callback-url.txt"));
    let (code, out, _) = run(jwtcheck().args([
        "from-url", &url, "--decode", "--token", "access", "--now", SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        first_line(&out),
        "DECODED  RS256 access token, expires in 30m; signature not verified"
    );
    assert!(out.contains("using access_token"));
}

#[test]
fn state_is_checked_when_given() {
    let url = sample_text("callback-url.txt");
    let (code, r) = run_json(jwtcheck().args([
        "from-url",
        &url,
        "--decode",
        "--state",
        "k3s9-f00d",
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "callback.state"), "pass");
    let (code, out, _) = run(jwtcheck().args([
        "from-url", &url, "--decode", "--state", "other", "--now", SAMPLE_NOW,
    ]));
    assert_eq!(code, 1);
    assert_eq!(
        first_line(&out),
        "REJECTED  state is \"k3s9-f00d\", expected \"other\""
    );
}

#[test]
fn error_callback_shows_the_error_and_description() {
    let url = url_with(
        "?error=invalid_request&error_description=Timeout+occurred+in+calling+IdP+token+endpoint&state=s",
    );
    let (code, out, _) = run(jwtcheck().args(["from-url", &url, "--decode"]));
    assert_eq!(code, 4);
    assert_eq!(
        first_line(&out),
        "MALFORMED  Cognito returned an error instead of tokens: invalid_request: Timeout occurred in calling IdP token endpoint"
    );
}

#[test]
fn code_grant_callback_explains_the_exchange() {
    let url = url_with("?code=9f8e7d6c-aaaa-bbbb-cccc-0123456789ab&state=s");
    let (code, r) = run_json(jwtcheck().args(["from-url", &url, "--decode"]));
    assert_eq!(code, 4);
    assert_eq!(r["callback"]["grant"], "code");
    assert_eq!(r["error"]["id"], "callback.code");
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("/oauth2/token"), "{hint}");
    assert!(hint.contains("grant_type=authorization_code"), "{hint}");
    assert!(
        hint.contains("redirect_uri=https://localhost:3000/cognito-callback"),
        "{hint}"
    );
}

#[test]
fn implicit_callback_without_id_token_names_the_openid_scope() {
    let access = sample_text("access-token.jwt");
    let url = url_with(&format!(
        "#access_token={access}&token_type=bearer&expires_in=3600"
    ));
    let (code, r) = run_json(jwtcheck().args(["from-url", &url, "--decode"]));
    assert_eq!(code, 4);
    assert_eq!(r["error"]["id"], "callback.no_id_token");
    assert!(r["error"]["hint"].as_str().unwrap().contains("openid"));
}

#[test]
fn callback_without_tokens_is_malformed() {
    let (code, r) = run_json(jwtcheck().args(["from-url", &url_with(""), "--decode"]));
    assert_eq!(code, 4);
    assert_eq!(r["error"]["id"], "callback.empty");
    let (code, r) = run_json(jwtcheck().args(["from-url", "http://[::1", "--decode"]));
    assert_eq!(code, 4);
    assert_eq!(r["error"]["id"], "callback.not_url");
}

#[test]
fn state_mismatch_is_reported_even_on_dead_ends() {
    let url = url_with("?code=abc&state=s1");
    let (code, r) = run_json(jwtcheck().args(["from-url", &url, "--decode", "--state", "s2"]));
    assert_eq!(code, 4, "a code callback is a dead end first");
    assert_eq!(status(&r, "callback.state"), "fail");
}

#[test]
fn url_from_stdin_and_file() {
    let (code, _) = run_json(
        jwtcheck()
            .args(["from-url", "-", "--decode", "--now", SAMPLE_NOW])
            .write_stdin(format!("{}\n", sample_text("callback-url.txt"))),
    );
    assert_eq!(code, 0);
}
