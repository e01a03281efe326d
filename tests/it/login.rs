//! `jwtcheck login` end to end against a real OAuth 2.0 / OpenID Connect authorization server
//! on 127.0.0.1: oauth2-mock-server (npm, installed by `.ci/run` into tests/oauth), with
//! Cognito's endpoint paths. The test plays the browser: `BROWSER` runs tests/oauth/browser.js,
//! which follows the authorize URL's redirect to jwtcheck's listener. Without node or the
//! installed server (a fresh clone before `npm ci --prefix tests/oauth`), the tests say so and
//! pass.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::Value;

fn oauth_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oauth")
}

/// The authorization server, stopped when dropped.
struct AuthServer {
    child: Child,
    issuer: String,
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn auth_server() -> Option<AuthServer> {
    auth_server_issuing(None)
}

/// The authorization server; `iss`, when given, is the issuer its tokens name.
fn auth_server_issuing(iss: Option<&str>) -> Option<AuthServer> {
    if !oauth_dir().join("node_modules/oauth2-mock-server").is_dir() {
        // CI installs it and sets JWTCHECK_REQUIRE_OAUTH: there a missing server is a failure.
        assert!(
            std::env::var_os("JWTCHECK_REQUIRE_OAUTH").is_none(),
            "oauth2-mock-server is not installed (npm ci --prefix tests/oauth)"
        );
        println!("oauth2-mock-server is not installed (npm ci --prefix tests/oauth): skipped");
        return None;
    }
    let mut node = Command::new("node");
    if let Some(iss) = iss {
        node.env("ISS", iss);
    }
    let mut child = node
        .arg(oauth_dir().join("server.js"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    Some(AuthServer {
        child,
        issuer: line.trim().to_string(),
    })
}

/// A `BROWSER` program that runs tests/oauth/browser.js with `mode`.
fn browser(dir: &tempfile::TempDir, mode: &str) -> PathBuf {
    let path = dir.path().join("browser.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nMODE={mode} OUT='{}' exec node '{}' \"$1\"\n",
            dir.path().join("out.txt").display(),
            oauth_dir().join("browser.js").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

fn login(server: &AuthServer, mode: &str, extra: &[&str]) -> (i32, String, String, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let result = login_in(&dir, server, mode, extra);
    let browser_said = std::fs::read_to_string(dir.path().join("out.txt")).unwrap_or_default();
    (
        result.0,
        result.1,
        format!("{}{browser_said}", result.2),
        result.3,
    )
}

fn login_in(
    dir: &tempfile::TempDir,
    server: &AuthServer,
    mode: &str,
    extra: &[&str],
) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let (code, out, err) = run(jwtcheck()
        .args([
            "login",
            "--domain",
            &server.issuer,
            "--client-id",
            "app-client",
        ])
        .args(["--port", "0", "--jwks", &format!("{}/jwks", server.issuer)])
        // --wait 20 unless the test gives its own.
        .args(if extra.contains(&"--wait") {
            &[][..]
        } else {
            &["--wait", "20"][..]
        })
        .args(extra)
        .env("BROWSER", browser(dir, mode)));
    (code, out, err, started.elapsed())
}

fn report(out: &str) -> Value {
    let report = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    crate::support::assert_fits_schema(&report);
    report
}

#[test]
fn a_sign_in_gets_a_verified_id_token_with_its_nonce() {
    let Some(server) = auth_server() else { return };
    let (code, out, err, took) = login(&server, "plain", &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    println!("login end to end: {took:?}");
    let r = report(&out);
    for id in [
        "callback.state",
        "callback.exchange",
        "signature",
        "callback.nonce",
    ] {
        assert_eq!(status(&r, id), "pass", "{id}: {r:#}");
    }
    assert!(
        err.contains("Allow this callback URL in the app client: http://localhost:"),
        "{err}"
    );
}

#[test]
fn print_id_writes_only_the_token_to_stdout() {
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "plain", &["--print", "id"]);
    assert_eq!(code, 0, "{err}");
    let token = out.trim();
    assert_eq!(token.split('.').count(), 3, "{out}");
    assert!(!token.contains(char::is_whitespace));
    assert!(err.contains("VALID"), "the report goes to stderr: {err}");
}

#[test]
fn a_forged_callback_is_ignored_with_400_and_the_real_one_still_signs_in() {
    // Another state, then an error without a state: both answered 400 and counted; the
    // browser's own callback then ends the sign-in.
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "forged", &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("forged: 400 400"), "{err}");
    let r = report(&out);
    let state = checks(&r, "callback.state");
    assert!(state.iter().any(|c| c["status"] == "pass"), "{r:#}");
    let ignored = state.iter().find(|c| c["status"] == "warn").unwrap();
    assert_eq!(
        ignored["message"],
        "2 requests to the callback with another state (or none) were ignored (answered 400)"
    );
}

#[test]
fn a_callback_with_another_state_alone_never_ends_the_sign_in() {
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "state", &["--json", "--wait", "2"]);
    assert_eq!(code, 3, "{out}\n{err}");
    let r = report(&out);
    assert_eq!(r["error"]["id"], "login.timeout", "{r:#}");
    assert!(
        r["error"]["message"].as_str().unwrap().ends_with(
            "; 1 request to the callback with another state (or none) was ignored (answered 400)"
        ),
        "{r:#}"
    );
    assert!(
        checks(&r, "callback.exchange").is_empty(),
        "never exchanged"
    );
}

#[test]
fn idle_and_slow_connections_do_not_hold_up_the_callback() {
    // Six idle connections and one sending a byte every 300 ms are open before the browser's
    // callback: each connection is served on its own, so the sign-in is not delayed.
    let Some(server) = auth_server() else { return };
    let (code, out, err, took) = login(&server, "slow", &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[test]
fn wait_ends_on_time_whatever_a_slow_client_does() {
    // One connection sends a byte every 300 ms and never finishes its request.
    let Some(server) = auth_server() else { return };
    let (code, out, err, took) = login(&server, "trickle", &["--json", "--wait", "2"]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert_eq!(report(&out)["error"]["id"], "login.timeout");
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[test]
fn the_listener_answers_on_127_0_0_1_and_on_ipv6_loopback() {
    // localhost may resolve to ::1 first: the callback must reach jwtcheck there too.
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        println!("no IPv6 loopback on this host: skipped");
        return;
    }
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "both", &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("v4: 404 v6: 404"), "{err}");
}

#[test]
fn an_address_of_localhost_taken_by_another_program_is_a_clear_error() {
    // Another program on [::1]:PORT would receive the browser's callback: refuse to start.
    let Ok(taken) = std::net::TcpListener::bind("[::1]:0") else {
        println!("no IPv6 loopback on this host: skipped");
        return;
    };
    let port = taken.local_addr().unwrap().port().to_string();
    let (code, out, _) = run(jwtcheck().args([
        "login",
        "--domain",
        "http://127.0.0.1:9",
        "--client-id",
        "app-client",
        "--port",
        &port,
        "--no-browser",
        "--wait",
        "1",
        "--json",
    ]));
    assert_eq!(code, 2, "{out}");
    let r = report(&out);
    assert_eq!(r["error"]["id"], "login.listen");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("cannot listen on [::1]:{port}: ")),
        "{r:#}"
    );
}

#[test]
fn an_unrelated_request_to_the_listener_gets_404_and_the_sign_in_goes_on() {
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "favicon", &["--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("favicon: 404"), "{err}");
}

#[test]
fn no_callback_within_the_wait_ends_cleanly() {
    let started = Instant::now();
    let (code, out, _) = run(jwtcheck().args([
        "login",
        "--domain",
        "http://127.0.0.1:9",
        "--client-id",
        "app-client",
        "--port",
        "0",
        "--no-browser",
        "--wait",
        "1",
        "--json",
    ]));
    assert_eq!(
        code, 3,
        "undecidable: no token came, nothing given was malformed"
    );
    let r = report(&out);
    assert_eq!(r["verdict"], "undecidable");
    assert_eq!(r["error"]["id"], "login.timeout");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_wrong_pkce_verifier_is_the_servers_refusal() {
    // The authorize step by hand (code_challenge of "right"), then from-url with another verifier.
    let Some(server) = auth_server() else { return };
    let challenge = "4VEH8R10RwjTzw1rY8uSrI4R8vzCI7-EsVRrGFWsxxs"; // S256 of "right-verifier-with-enough-length-43-chars-x"
    let authorize = format!(
        "{}/oauth2/authorize?response_type=code&client_id=app-client&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid&state=s&code_challenge={challenge}&code_challenge_method=S256",
        server.issuer
    );
    let location = Command::new("node")
        .args([
            "-e",
            "fetch(process.argv[1],{redirect:'manual'}).then(r=>console.log(r.headers.get('location')))",
            &authorize,
        ])
        .output()
        .unwrap();
    let callback = String::from_utf8(location.stdout)
        .unwrap()
        .trim()
        .to_string();
    assert!(callback.contains("code="), "{callback}");
    let (code, r) = run_json(jwtcheck().args([
        "from-url",
        &callback,
        "--domain",
        &server.issuer,
        "--client-id",
        "app-client",
        "--code-verifier",
        "a-wrong-verifier-that-is-long-enough-for-rfc7636-xx",
        "--jwks",
        &format!("{}/jwks", server.issuer),
    ]));
    assert_eq!(code, 3, "{r:#}");
    let c = &checks(&r, "callback.exchange")[0];
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("code_verifier provided does not match code_challenge"),
        "{c}"
    );
}

/// The payload of a compact token, decoded.
fn payload(token: &str) -> Value {
    use base64::Engine as _;
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn print_access_checks_the_nonce_on_the_id_token_and_prints_the_access_token() {
    // The server shapes tokens like Cognito: the access token has token_use access and no nonce.
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "plain", &["--print", "access", "--json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let token = out.trim();
    let claims = payload(token);
    assert_eq!(claims["token_use"], "access", "{claims}");
    assert!(claims.get("nonce").is_none(), "{claims}");
    // stderr: the sign-in URL, then the JSON report.
    let r = report(&err[err.find("\n{").unwrap()..]);
    assert_eq!(r["verdict"], "valid", "{r:#}");
    assert_eq!(r["token"]["payload"]["token_use"], "access", "{r:#}");
    assert_eq!(status(&r, "callback.nonce"), "pass", "{r:#}");
    assert!(
        checks(&r, "callback.nonce")[0]["message"]
            .as_str()
            .unwrap()
            .contains("id token"),
        "{r:#}"
    );
}

#[test]
fn tokens_sent_straight_to_the_callback_are_refused() {
    // The right state and a genuine id token (with the sign-in's nonce), but no code: login
    // asked for the code grant with PKCE, so it takes only a code.
    let Some(server) = auth_server() else { return };
    let (code, out, err, _) = login(&server, "implicit", &["--json"]);
    assert_eq!(code, 1, "{out}\n{err}");
    let r = report(&out);
    assert_eq!(r["error"]["id"], "login.grant", "{r:#}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("the callback carried tokens instead of a code"),
        "{r:#}"
    );
    assert!(checks(&r, "signature").is_empty(), "never checked: {r:#}");
}

#[test]
fn keys_out_of_reach_stop_login_before_the_browser_opens() {
    // The sign-in's code is single-use: keys that cannot be fetched must show before it is spent.
    let Some(server) = auth_server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(jwtcheck()
        .args([
            "login",
            "--domain",
            &server.issuer,
            "--client-id",
            "app-client",
        ])
        .args(["--port", "0", "--wait", "20", "--json"])
        .args(["--jwks", "http://127.0.0.1:9/jwks"])
        .env("BROWSER", browser(&dir, "favicon")));
    assert_eq!(code, 3, "{out}\n{err}");
    let r = report(&out);
    assert_eq!(r["error"]["id"], "fetch.connect", "{r:#}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot get the keys, so the sign-in was not started"),
        "{r:#}"
    );
    assert!(!err.contains("Sign in at"), "{err}");
    assert!(
        !dir.path().join("out.txt").exists(),
        "the browser never opened"
    );
}

#[test]
fn print_hands_out_the_token_marked_unverified_when_its_keys_fail_after_the_sign_in() {
    // No key flag: the keys are the Cognito pool's the token names, known only after the
    // sign-in; that pool's key set is out of reach.
    let Some(server) = auth_server_issuing(Some(
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Login1",
    )) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(jwtcheck()
        .args([
            "login",
            "--domain",
            &server.issuer,
            "--client-id",
            "app-client",
        ])
        .args(["--port", "0", "--wait", "20", "--print", "id"])
        .env("JWTCHECK_COGNITO_ENDPOINT", "http://127.0.0.1:9")
        .env("BROWSER", browser(&dir, "plain")));
    assert_eq!(code, 3, "{out}\n{err}");
    let token = out.trim();
    assert_eq!(token.split('.').count(), 3, "{out}");
    assert_eq!(
        payload(token)["iss"],
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Login1"
    );
    assert!(err.contains("UNDECIDABLE"), "{err}");
    assert!(
        err.contains("the token on stdout was not verified"),
        "{err}"
    );
}

#[test]
fn a_huge_wait_is_a_usage_error_not_a_panic() {
    for wait in ["18446744073709551615", "86401", "0"] {
        let (code, out, _) = run(jwtcheck().args([
            "login",
            "--domain",
            "http://127.0.0.1:9",
            "--client-id",
            "app-client",
            "--no-browser",
            "--wait",
            wait,
            "--json",
        ]));
        assert_eq!(code, 2, "--wait {wait}: {out}");
        let r = report(&out);
        assert_eq!(r["error"]["id"], "usage.arguments", "{r:#}");
        assert!(
            r["error"]["message"].as_str().unwrap().contains("--wait"),
            "{r:#}"
        );
    }
}

#[test]
fn a_domain_that_is_not_https_is_a_domain_error() {
    for domain in ["ftp://login.example.com", "https://"] {
        let (code, out, _) = run(jwtcheck().args([
            "login",
            "--domain",
            domain,
            "--client-id",
            "app-client",
            "--no-browser",
            "--json",
        ]));
        assert_eq!(code, 2, "{out}");
        let r = report(&out);
        assert_eq!(r["error"]["id"], "usage.domain", "{domain}: {r:#}");
        assert!(
            r["error"]["hint"]
                .as_str()
                .unwrap()
                .contains("managed login domain"),
            "{r:#}"
        );
    }
}

#[test]
fn the_usage_line_shows_the_required_client_id() {
    let (code, out, _) = run(jwtcheck().args(["login", "--help"]));
    assert_eq!(code, 0);
    let usage = out.lines().find(|l| l.starts_with("Usage:")).unwrap();
    assert!(usage.contains("--domain <URL>"), "{usage}");
    assert!(usage.contains("--client-id <ID>"), "{usage}");
    let (code, out, _) =
        run(jwtcheck().args(["login", "--domain", "https://login.example.com", "--json"]));
    assert_eq!(code, 2, "{out}");
    assert!(
        report(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--client-id <ID>"),
        "{out}"
    );
}
