//! `from-url` on a code callback with `--domain`: the code is exchanged at the token endpoint
//! of a loopback server that answers like Cognito's (`POST /oauth2/token`), and the id token
//! it returns is checked exactly as an implicit callback's would be.

use crate::support::*;
use serde_json::{Value, json};

const NOW: &str = "2026-11-24T09:30:00Z";
const CALLBACK: &str = "https://app.example/cb?code=0f5c3f2d-code&state=k3s9";

fn token_endpoint(status: u16, body: Value) -> Server {
    let s = Server::start();
    s.mount(
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path("/oauth2/token"))
            .respond_with(
                wiremock::ResponseTemplate::new(status)
                    .set_body_raw(body.to_string(), "application/json"),
            ),
    );
    s
}

fn tokens() -> Value {
    json!({
        "id_token": sample_text("id-token.jwt").trim(),
        "access_token": sample_text("access-token.jwt").trim(),
        "refresh_token": "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d",
        "token_type": "Bearer", "expires_in": 3600,
    })
}

fn from_url(server: &Server, extra: &[&str]) -> (i32, Value) {
    run_json(
        jwtcheck()
            .args([
                "from-url",
                CALLBACK,
                "--domain",
                &server.url(""),
                "--client-id",
                CLIENT,
            ])
            .args([
                "--jwks",
                &sample("jwks.json").display().to_string(),
                "--now",
                NOW,
            ])
            .args(extra),
    )
}

#[test]
fn a_code_callback_with_a_domain_is_exchanged_and_verified_like_an_implicit_one() {
    let s = token_endpoint(200, tokens());
    let (code, r) = from_url(&s, &["--state", "k3s9", "--code-verifier", "v3r1f13r"]);
    assert_eq!(code, 0, "{r:#}");
    let exchange = &checks(&r, "callback.exchange")[0];
    assert_eq!(exchange["status"], "pass");
    assert!(
        exchange["message"]
            .as_str()
            .unwrap()
            .ends_with("id_token, access_token, refresh_token (not shown) received")
    );
    assert!(
        !r.to_string().contains("eyJjdHkiOiJKV1Qi"),
        "the refresh token is never shown"
    );
    // The same verdict as the implicit callback carrying the same id token.
    let (_, implicit) = run_json(jwtcheck().args([
        "from-url",
        &at_sample("callback-url.txt"),
        "--jwks",
        &sample("jwks.json").display().to_string(),
        "--now",
        NOW,
        "--client-id",
        CLIENT,
    ]));
    assert_eq!(r["verdict"], implicit["verdict"]);
    assert_eq!(r["summary"], implicit["summary"]);
    // What was sent: the grant, the code, the redirect_uri without query, the client, PKCE.
    let sent = &s.requests("/oauth2/token")[0];
    let body = String::from_utf8(sent.body.clone()).unwrap();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("grant_type"), Some("authorization_code"));
    assert_eq!(get("code"), Some("0f5c3f2d-code"));
    assert_eq!(get("redirect_uri"), Some("https://app.example/cb"));
    assert_eq!(get("client_id"), Some(CLIENT));
    assert_eq!(get("code_verifier"), Some("v3r1f13r"));
    assert!(
        !sent.headers.contains_key("authorization"),
        "no secret, no Basic"
    );
}

#[test]
fn a_client_secret_goes_as_http_basic_and_is_never_shown() {
    let s = token_endpoint(200, tokens());
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "from-url",
                CALLBACK,
                "--domain",
                &s.url(""),
                "--client-id",
                CLIENT,
            ])
            .args(["--client-secret-env", "APP_SECRET", "--jwks"])
            .arg(sample("jwks.json"))
            .args(["--now", NOW])
            .env("APP_SECRET", "s3cr3t-value"),
    );
    assert_eq!(code, 0, "{r:#}");
    let sent = &s.requests("/oauth2/token")[0];
    let auth = sent.headers.get("authorization").unwrap().to_str().unwrap();
    assert!(auth.starts_with("Basic "));
    assert!(!r.to_string().contains("s3cr3t-value"));
}

#[test]
fn every_token_endpoint_error_gets_its_cause_and_fix() {
    for (status, body, message, hint) in [
        (
            400,
            json!({"error": "invalid_grant"}),
            "the token endpoint refused the code: invalid_grant, HTTP 400",
            "a code works once and for 5 minutes",
        ),
        (
            401,
            json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
            "the token endpoint refused the code: invalid_client (Client authentication failed), HTTP 401",
            "this app client has a secret and none was sent",
        ),
        (
            400,
            json!({"error": "unauthorized_client"}),
            "the token endpoint refused the code: unauthorized_client, HTTP 400",
            "the authorization code grant is not enabled for this app client",
        ),
        (
            400,
            json!({"error": "invalid_request"}),
            "the token endpoint refused the code: invalid_request, HTTP 400",
            "check --client-id, --redirect-uri",
        ),
    ] {
        let s = token_endpoint(status, body);
        let (code, r) = from_url(&s, &[]);
        assert_eq!(code, 3, "{r:#}");
        assert_eq!(r["error"]["id"], "callback.exchange");
        let c = &checks(&r, "callback.exchange")[0];
        assert_eq!(c["message"], message);
        assert!(c["hint"].as_str().unwrap().contains(hint), "{c}");
    }
    // Not the token endpoint at all.
    let s = Server::start();
    s.mount(
        wiremock::Mock::given(wiremock::matchers::method("POST")).respond_with(
            wiremock::ResponseTemplate::new(404)
                .set_body_raw("<html>not found</html>", "text/html"),
        ),
    );
    let (code, r) = from_url(&s, &[]);
    assert_eq!(code, 3);
    assert!(
        checks(&r, "callback.exchange")[0]["hint"]
            .as_str()
            .unwrap()
            .starts_with("check --domain")
    );
}

#[test]
fn without_a_domain_the_code_callback_stays_a_dead_end_that_says_how() {
    let (code, r) = run_json(jwtcheck().args(["from-url", CALLBACK, "--now", NOW]));
    assert_eq!(code, 4);
    assert_eq!(r["error"]["id"], "callback.code");
    assert!(r["error"]["hint"].as_str().unwrap().contains("--domain"));
}

#[test]
fn an_unreachable_domain_is_keys_unavailable_not_a_bad_token() {
    let (code, r) = run_json(jwtcheck().args([
        "from-url",
        CALLBACK,
        "--domain",
        "http://127.0.0.1:9",
        "--client-id",
        CLIENT,
        "--now",
        NOW,
        "--jwks",
        "samples/jwks.json",
    ]));
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["id"], "fetch.connect");
}

#[test]
fn a_token_type_other_than_bearer_or_none_is_refused() {
    // RFC 6749 §7.1: a token of a type the client does not understand is not used.
    for (token_type, message) in [
        (
            Some("mac"),
            "the token endpoint answered token_type \"mac\", not Bearer, so its tokens were not used",
        ),
        (
            None,
            "the token endpoint answered without a token_type (RFC 6749 §5.1 requires Bearer here), so its tokens were not used",
        ),
    ] {
        let mut body = tokens();
        match token_type {
            Some(t) => body["token_type"] = json!(t),
            None => drop(body.as_object_mut().unwrap().remove("token_type")),
        }
        let s = token_endpoint(200, body);
        let (code, r) = from_url(&s, &["--state", "k3s9"]);
        assert_ne!(code, 0, "{r:#}");
        assert_eq!(r["error"]["id"], "callback.exchange", "{r:#}");
        assert_eq!(checks(&r, "callback.exchange")[0]["message"], message);
        assert!(checks(&r, "signature").is_empty(), "never checked: {r:#}");
    }
    // The type is case-insensitive.
    let mut body = tokens();
    body["token_type"] = json!("bearer");
    let (code, r) = from_url(&token_endpoint(200, body), &["--state", "k3s9"]);
    assert_eq!(code, 0, "{r:#}");
}

/// The form field `name` of the first request to the token endpoint.
fn sent(s: &Server, name: &str) -> Option<String> {
    let body = s.requests("/oauth2/token")[0].body.clone();
    url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[test]
fn the_code_verifier_is_read_from_a_variable_or_a_file_and_warned_about_as_an_argument() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verifier");
    std::fs::write(&file, "v3r1f13r-from-file\n").unwrap();
    let s = token_endpoint(200, tokens());
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "from-url",
                CALLBACK,
                "--domain",
                &s.url(""),
                "--client-id",
                CLIENT,
            ])
            .args(["--state", "k3s9", "--code-verifier-env", "PKCE_VERIFIER"])
            .args([
                "--jwks",
                &sample("jwks.json").display().to_string(),
                "--now",
                NOW,
            ])
            .env("PKCE_VERIFIER", "v3r1f13r-from-env"),
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        sent(&s, "code_verifier").as_deref(),
        Some("v3r1f13r-from-env")
    );
    assert!(checks(&r, "lint.secret_argv").is_empty(), "{r:#}");

    let s = token_endpoint(200, tokens());
    let (code, r) = from_url(
        &s,
        &[
            "--state",
            "k3s9",
            "--code-verifier-file",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        sent(&s, "code_verifier").as_deref(),
        Some("v3r1f13r-from-file")
    );
    assert!(checks(&r, "lint.secret_argv").is_empty(), "{r:#}");

    let s = token_endpoint(200, tokens());
    let (code, r) = from_url(&s, &["--state", "k3s9", "--code-verifier", "v3r1f13r"]);
    assert_eq!(code, 0, "{r:#}");
    let argv = &checks(&r, "lint.secret_argv")[0];
    assert_eq!(argv["status"], "warn");
    assert_eq!(
        argv["message"],
        "the PKCE code_verifier was given on the command line"
    );
    assert!(
        argv["hint"]
            .as_str()
            .unwrap()
            .ends_with("use --code-verifier-env or --code-verifier-file")
    );

    // An unset variable is a usage error, and nothing is sent.
    let s = token_endpoint(200, tokens());
    let (code, r) = from_url(&s, &["--code-verifier-env", "PKCE_UNSET_VARIABLE"]);
    assert_eq!(code, 2, "{r:#}");
    assert_eq!(
        r["error"]["message"],
        "--code-verifier-env: PKCE_UNSET_VARIABLE is not set"
    );
    assert_eq!(s.hits("/oauth2/token"), 0);
}

#[test]
fn an_exchange_without_state_warns_of_an_injected_code() {
    let s = token_endpoint(200, tokens());
    let (code, r) = from_url(&s, &[]);
    assert_eq!(code, 0, "{r:#}");
    let state = &checks(&r, "callback.state")[0];
    assert_eq!(state["status"], "warn", "{r:#}");
    assert!(
        state["message"]
            .as_str()
            .unwrap()
            .contains("a code injected by someone else"),
        "{state}"
    );
    assert!(
        state["hint"]
            .as_str()
            .unwrap()
            .starts_with("pass --state VALUE")
    );
}

#[test]
fn misleading_messages_say_what_actually_happened() {
    // An answer over the 1 MiB cap is a token endpoint's answer, not a key set.
    let s = Server::start();
    s.mount(
        wiremock::Mock::given(wiremock::matchers::method("POST")).respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw("x".repeat(2 * 1024 * 1024), "application/json"),
        ),
    );
    let (code, r) = from_url(&s, &["--state", "k3s9"]);
    assert_eq!(code, 3, "{r:#}");
    let m = r["error"]["message"].as_str().unwrap();
    assert!(m.ends_with("a token answer is a few KiB"), "{m}");
    assert!(!m.contains("key set"), "{m}");

    // A 500 with a JSON body that is not an OAuth error.
    let s = token_endpoint(500, json!({"message": "internal failure"}));
    let (_, r) = from_url(&s, &["--state", "k3s9"]);
    assert_eq!(
        checks(&r, "callback.exchange")[0]["message"],
        "the token endpoint failed: HTTP 500, with JSON that is not an OAuth error (no \"error\")"
    );

    // A plain-http domain: the sign-in and the code, not keys; https:// alone has no host (it
    // was a POST to a host named oauth2). Neither sends anything.
    for (domain, message) in [
        (
            "http://login.example.com",
            "--domain http://login.example.com: the sign-in and the code go over https only (plain http only on 127.0.0.1, ::1 or localhost)",
        ),
        ("https://", "--domain \"https://\" is not a URL with a host"),
    ] {
        let (code, r) = run_json(jwtcheck().args([
            "from-url",
            CALLBACK,
            "--domain",
            domain,
            "--client-id",
            CLIENT,
            "--state",
            "k3s9",
            "--now",
            NOW,
            "--jwks",
            "samples/jwks.json",
        ]));
        assert_eq!(code, 2, "{domain}: {r:#}");
        assert_eq!(r["error"]["id"], "usage.domain", "{r:#}");
        assert_eq!(r["error"]["message"], message);
    }
}
