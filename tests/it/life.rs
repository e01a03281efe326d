//! A token's life (issue #27): `--max-age`, `diff`, `jwks --watch`, `refresh`.

use crate::support::*;

/// The sample id token: auth_time 08:58:00, iat 09:00:00; at SAMPLE_NOW (09:30) the sign-in is
/// 32 minutes old.
fn verify_sample(extra: &[&str]) -> (i32, serde_json::Value) {
    run_json(
        jwtcheck()
            .args(["verify", &at_sample("id-token.jwt"), "--jwks"])
            .arg(sample("jwks.json"))
            .args(["--now", SAMPLE_NOW])
            .args(extra),
    )
}

#[test]
fn max_age_refuses_a_sign_in_older_than_the_limit() {
    let (code, r) = verify_sample(&["--max-age", "30m"]);
    assert_eq!(code, 1, "{r:#}");
    let c = &checks(&r, "max_age")[0];
    assert_eq!(c["status"], "fail");
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .starts_with("signed in too long ago: auth_time 32m ago"),
        "{c}"
    );
    let (code, r) = verify_sample(&["--max-age", "35m"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(status(&r, "max_age"), "pass");
    // Without the flag there is no such check.
    let (code, r) = verify_sample(&[]);
    assert_eq!(code, 0);
    assert!(checks(&r, "max_age").is_empty());
    // The leeway counts, as panva/jose's clockTolerance does.
    let (code, _) = verify_sample(&["--max-age", "31m", "--leeway", "60"]);
    assert_eq!(code, 0);
}

#[test]
fn max_age_applies_under_a_hasura_configuration_and_in_batch_and_check() {
    let (code, r) = verify_sample(&[
        "--hasura-config",
        &at_sample("hasura-jwt-secret.json"),
        "--max-age",
        "30m",
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(status(&r, "max_age"), "fail");
    assert!(r["checks"].to_string().contains("allowed_skew 0s"), "{r:#}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens.txt");
    std::fs::write(&file, sample_text("id-token.jwt")).unwrap();
    let (code, out, _) = run(jwtcheck()
        .args(["verify", "--batch"])
        .arg(&file)
        .arg("--jwks")
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW, "--max-age", "30m"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("max_age"), "{out}");

    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "check",
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
            ])
            .args([
                "--jwks",
                "samples/jwks.json",
                "--token",
                "@samples/id-token.jwt",
            ])
            .args(["--now", SAMPLE_NOW, "--max-age", "30m", "--cache-dir"])
            .arg(cache.path())
            .current_dir(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(status(&r["tokens"][0]["report"], "max_age"), "fail");
}

#[test]
fn a_bad_max_age_is_a_usage_error_and_the_id_is_explained() {
    for bad in ["0", "-1", "1w", "soon"] {
        let (code, r) = verify_sample(&[&format!("--max-age={bad}")]);
        assert_eq!(code, 2, "{bad}: {r:#}");
        assert!(r.to_string().contains("usage.max_age"), "{bad}: {r:#}");
    }
    let (code, out, _) = run(jwtcheck().args(["explain", "max_age"]));
    assert_eq!(code, 0);
    assert!(out.contains("auth_time"), "{out}");
}

// ---- diff

const POOL_ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1";
const CLIENT: &str = "4l1h8mfsl2jt8ovcbvda5sqvd0";
const SAMPLE_KID: &str = "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=";

/// An id token of the sample pool, signed with its key, with the sample's times (auth_time
/// 08:58, iat 09:00, exp 10:00) shifted by `shift` seconds and the Hasura claims `hasura`.
fn pool_token(shift: i64, hasura: serde_json::Value) -> String {
    let payload = serde_json::json!({
        "sub": "b8f1f6df-c138-476e-85f3-7339bf9e2d7d",
        "iss": POOL_ISS,
        "aud": CLIENT,
        "token_use": "id",
        "auth_time": 1_795_510_680,
        "iat": 1_795_510_800 + shift,
        "exp": 1_795_514_400 + shift,
        "https://hasura.io/jwt/claims": hasura,
    });
    let header = format!(r#"{{"kid":"{SAMPLE_KID}","alg":"RS256"}}"#);
    crate::support::sign::sign("RS256", "rsa-pool-id", &header, &payload.to_string())
}

fn roles() -> serde_json::Value {
    serde_json::json!({
        "x-hasura-user-id": "b8f1f6df-c138-476e-85f3-7339bf9e2d7d",
        "x-hasura-default-role": "user",
        "x-hasura-allowed-roles": ["user", "editor"],
    })
}

fn json_config() -> String {
    serde_json::json!({"type": "RS256", "jwk_url": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json", "claims_format": "json", "audience": CLIENT, "issuer": POOL_ISS}).to_string()
}

#[test]
fn diff_names_the_rejected_side_first_with_the_reason() {
    let a = pool_token(0, roles());
    let b = pool_token(0, serde_json::Value::String(roles().to_string()));
    let (code, out, _) = run(jwtcheck()
        .args(["diff", &a, &b, "--hasura-config", &json_config(), "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW]));
    assert_eq!(code, 1, "{out}");
    let first = first_line(&out);
    assert!(
        first.starts_with("VERDICTS DIFFER  B: Hasura rejects (")
            && first.ends_with("; A: accepted as user"),
        "{first}"
    );
    assert!(
        out.contains("(stringified JSON became an object)")
            || out.contains("(an object became stringified JSON)"),
        "{out}"
    );
    // Swapped, A is the side that fails and is named first.
    let (code, out, _) = run(jwtcheck()
        .args(["diff", &b, &a, "--hasura-config", &json_config(), "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW]));
    assert_eq!(code, 1);
    assert!(
        first_line(&out).starts_with("VERDICTS DIFFER  A: Hasura rejects ("),
        "{out}"
    );
}

#[test]
fn diff_of_a_refresh_is_the_same_verdict_with_the_times_named() {
    let a = pool_token(0, roles());
    let b = pool_token(1800, roles());
    let (code, out, _) = run(jwtcheck()
        .args(["diff", &a, &b, "--hasura-config", &json_config(), "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW]));
    assert_eq!(code, 0, "{out}");
    assert!(
        first_line(&out).starts_with("SAME VERDICT  both accepted as user; "),
        "{out}"
    );
    assert!(
        out.contains("B is 30m later; the same sign-in (auth_time): a refresh"),
        "{out}"
    );
    // Later, A has expired and B has not: the verdicts differ.
    let (code, out, _) = run(jwtcheck()
        .args(["diff", &a, &b, "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", "2026-11-24T10:10:00Z"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        first_line(&out).starts_with("VERDICTS DIFFER  A: rejected (expired"),
        "{out}"
    );
    assert!(out.contains("expired now"), "{out}");
}

#[test]
fn diff_without_keys_decodes_and_names_each_change() {
    let (code, out, _) = run(jwtcheck()
        .args([
            "diff",
            &at_sample("id-token.jwt"),
            &at_sample("access-token.jwt"),
        ])
        .args(["--now", SAMPLE_NOW]));
    assert_eq!(code, 0, "{out}");
    assert!(first_line(&out).starts_with("DIFF  not verified"), "{out}");
    // Each side's state, expiry included, even when nothing differs there.
    assert!(
        out.contains("\n  A: RS256 id token, expires in 30m"),
        "{out}"
    );
    assert!(
        out.contains("\n  B: RS256 access token, expires in 30m"),
        "{out}"
    );
    for line in ["~ token_use", "~ kid", "- aud", "+ client_id", "+ scope"] {
        assert!(out.contains(line), "{line}: {out}");
    }
}

#[test]
fn diff_json_fetches_the_keys_once_for_both() {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=60")],
    );
    let cache = cache_dir();
    let a = pool_token(0, roles());
    let b = pool_token(0, serde_json::Value::String(roles().to_string()));
    // The diff report is in `jwtcheck schema`, each side's report under reports.
    let (code, out, _) = run(jwtcheck()
        .args([
            "diff",
            &a,
            &b,
            "--jwks",
            &s.url("/jwks.json"),
            "--cache-dir",
        ])
        .arg(cache.path())
        .args([
            "--now",
            SAMPLE_NOW,
            "--hasura-config",
            &json_config(),
            "--json",
        ]));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_fits_schema(&r);
    assert_fits_schema(&r["reports"]["a"]);
    assert_fits_schema(&r["reports"]["b"]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(s.hits("/jwks.json"), 1);
    assert_eq!(r["same_verdict"], false);
    assert_eq!(r["a"]["verdict"], "valid");
    assert_eq!(r["b"]["verdict"], "invalid");
    assert_eq!(r["reports"]["b"]["verdict"], "invalid");
    let change = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "https://hasura.io/jwt/claims")
        .unwrap();
    assert_eq!(change["change"], "type_changed");
    assert_eq!(change["section"], "claims");
}

#[test]
fn diff_stops_on_a_side_it_cannot_read() {
    let (code, out, _) = run(jwtcheck().args(["diff", &at_sample("id-token.jwt"), "not-a-token"]));
    assert_eq!(code, 4, "{out}");
    assert!(first_line(&out).starts_with("MALFORMED  B: "), "{out}");
    let (code, _, _) = run(jwtcheck().args(["diff", "-", "-"]));
    assert_eq!(code, 2);
}

// ---- jwks --watch

/// A running `jwtcheck jwks --watch`: its stdout lines as they come; killed if the test ends
/// without stopping it.
struct Watch {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    fn start(args: &[&str]) -> Watch {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jwtcheck"));
        for var in [
            "NO_COLOR",
            "HASURA_GRAPHQL_JWT_SECRET",
            "HASURA_GRAPHQL_JWT_SECRETS",
        ] {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .args(["jwks", "--watch"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    fn next(&self, within: u64) -> String {
        self.lines
            .recv_timeout(std::time::Duration::from_secs(within))
            .expect("a line from jwks --watch")
    }

    /// Ctrl-C (SIGINT); returns the exit code and stderr.
    fn interrupt(mut self) -> (i32, String) {
        use std::io::Read;
        let pid = self.child.id().to_string();
        assert!(
            std::process::Command::new("kill")
                .args(["-INT", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "--watch did not stop on Ctrl-C"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.code().unwrap_or(-1), err)
    }
}

/// Serves `first` once, then `then` for every later request, both with `max-age=1`.
fn rotating(server: &Server, first: wiremock::ResponseTemplate, then: &serde_json::Value) {
    use wiremock::matchers::{method, path};
    server.mount(
        wiremock::Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(first)
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.mount(
        wiremock::Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_raw(then.to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=1"),
            )
            .with_priority(2),
    );
}

fn kids_of(set: &serde_json::Value) -> Vec<String> {
    set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn watch_prints_a_rotation_with_when_hasura_sees_the_new_key_and_ends_on_ctrl_c() {
    let before = sample_jwks();
    let old = kids_of(&before);
    let mut after = before.clone();
    after["keys"][0]["kid"] = "rotated-2026".into();
    let s = Server::start();
    rotating(
        &s,
        wiremock::ResponseTemplate::new(200)
            .set_body_raw(before.to_string(), "application/json")
            .insert_header("Cache-Control", "max-age=1"),
        &after,
    );
    let cache = cache_dir();
    let cfg = serde_json::json!({"type": "RS256", "jwk_url": s.url("/jwks.json")}).to_string();
    let url = s.url("/jwks.json");
    let w = Watch::start(&[
        &url,
        "--interval",
        "10s",
        "--hasura-config",
        &cfg,
        "--cache-dir",
        cache.path().to_str().unwrap(),
    ]);
    let first = w.next(20);
    assert!(first.contains("2 key(s): kids "), "{first}");
    assert!(
        first.contains(&old[0]) && first.contains(&old[1]),
        "{first}"
    );
    let change = w.next(30);
    assert!(
        change.contains(&format!(
            "added kid rotated-2026; removed kid {}; now 2 key(s)",
            old[0]
        )),
        "{change}"
    );
    assert!(
        change.contains("Hasura v2 refetches every 1s: it sees kid rotated-2026 by"),
        "{change}"
    );
    // Each line starts with the time it saw the change.
    assert!(
        change.starts_with("20") && change.as_bytes()[10] == b'T',
        "{change}"
    );
    let (code, err) = w.interrupt();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("stopped by Ctrl-C"), "{err}");
}

#[test]
fn watch_survives_a_failed_poll_as_a_line_and_speaks_json() {
    let s = Server::start();
    rotating(&s, wiremock::ResponseTemplate::new(503), &sample_jwks());
    let url = s.url("/jwks.json");
    let cache = cache_dir();
    let w = Watch::start(&[
        &url,
        "--json",
        "--interval",
        "10s",
        "--cache-dir",
        cache.path().to_str().unwrap(),
    ]);
    let error: serde_json::Value = serde_json::from_str(&w.next(20)).unwrap();
    assert_fits_schema(&error);
    assert_eq!(error["event"], "error");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("trying again in 10s"),
        "{error}"
    );
    let keys: serde_json::Value = serde_json::from_str(&w.next(30)).unwrap();
    assert_fits_schema(&keys);
    assert_eq!(keys["event"], "keys");
    assert_eq!(keys["kids"].as_array().unwrap().len(), 2);
    let (code, _) = w.interrupt();
    assert_eq!(code, 0);
}

#[test]
fn watch_refuses_what_it_cannot_poll() {
    for args in [
        vec!["samples/jwks.json"],
        vec!["http://127.0.0.1:9/jwks.json", "--interval", "5s"],
        vec!["http://127.0.0.1:9/jwks.json", "--offline"],
    ] {
        let (code, out, _) = run(jwtcheck()
            .arg("jwks")
            .args(&args)
            .arg("--watch")
            .current_dir(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(out.contains("explain usage.watch"), "{args:?}: {out}");
    }
}

// ---- refresh, login --save-refresh-token

/// The client secret every refresh test sends: it must never appear in any output.
const CLIENT_SECRET: &str = "life-client-secret-7f3a9c";

fn oauth_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oauth")
}

/// The loopback OAuth server of tests/oauth (as tests/login.rs runs it), stopped when dropped.
struct AuthServer {
    child: std::process::Child,
    issuer: String,
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server with `env` (REFRESH_TOKENS, ROTATE); `None` (the test passes, saying so) where
/// it is not installed, except in CI.
fn auth_server(env: &[(&str, &str)]) -> Option<AuthServer> {
    use std::io::BufRead;
    if !oauth_dir().join("node_modules/oauth2-mock-server").is_dir() {
        assert!(
            std::env::var_os("JWTCHECK_REQUIRE_OAUTH").is_none(),
            "oauth2-mock-server is not installed (npm ci --prefix tests/oauth)"
        );
        println!("oauth2-mock-server is not installed (npm ci --prefix tests/oauth): skipped");
        return None;
    }
    let mut node = std::process::Command::new("node");
    for (k, v) in env {
        node.env(k, v);
    }
    let mut child = node
        .arg(oauth_dir().join("server.js"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    Some(AuthServer {
        child,
        issuer: line.trim().to_string(),
    })
}

/// Runs `cmd` and fails the test if any of `secrets` appears in what it wrote.
fn run_without(cmd: &mut assert_cmd::Command, secrets: &[&str]) -> (i32, String, String) {
    let (code, out, err) = run(cmd);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "a secret was written: {secret}\n{out}\n{err}"
        );
    }
    (code, out, err)
}

fn refresh_cmd(server: &AuthServer, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = jwtcheck();
    cmd.args([
        "refresh",
        "--domain",
        &server.issuer,
        "--client-id",
        "app-client",
    ])
    .args(["--jwks", &format!("{}/jwks", server.issuer)])
    .args(["--client-secret-env", "LIFE_CLIENT_SECRET"])
    .env("LIFE_CLIENT_SECRET", CLIENT_SECRET)
    .args(extra);
    cmd
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap().trim().to_string()
}

#[test]
fn login_saves_the_refresh_token_and_refresh_rotates_it() {
    let Some(server) = auth_server(&[("ROTATE", "1")]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nMODE=plain exec node '{}' \"$1\"\n",
            oauth_dir().join("browser.js").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.path().join("refresh-token");
    let login = |extra: &[&str]| {
        let mut cmd = jwtcheck();
        cmd.args([
            "login",
            "--domain",
            &server.issuer,
            "--client-id",
            "app-client",
        ])
        .args([
            "--port",
            "0",
            "--wait",
            "20",
            "--jwks",
            &format!("{}/jwks", server.issuer),
        ])
        .args([
            "--client-secret-env",
            "LIFE_CLIENT_SECRET",
            "--save-refresh-token",
        ])
        .arg(&file)
        .args(extra)
        .env("LIFE_CLIENT_SECRET", CLIENT_SECRET)
        .env("BROWSER", &browser);
        cmd
    };
    let (code, out, err) = run_without(&mut login(&["--json"]), &[CLIENT_SECRET]);
    assert_eq!(code, 0, "{out}{err}");
    let first = read(&file);
    assert!(!first.is_empty());
    assert!(
        !out.contains(&first) && !err.contains(&first),
        "the refresh token was shown"
    );
    assert!(out.contains("was written to"), "{out}");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The file exists: a second sign-in is refused before the browser opens, unless --force.
    let (code, out, _) = run_without(&mut login(&[]), &[CLIENT_SECRET, &first]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("usage.refresh_token"), "{out}");
    assert_eq!(read(&file), first);

    // refresh: the token endpoint rotates the refresh token, and the file follows.
    let old = dir.path().join("old-token");
    std::fs::copy(&file, &old).unwrap();
    let (code, out, err) = run_without(
        &mut refresh_cmd(&server, &["--refresh-token-file", file.to_str().unwrap()]),
        &[CLIENT_SECRET, &first],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(first_line(&out).starts_with("VALID"), "{out}");
    assert!(
        out.contains("rotated the refresh token: the new one (not shown) replaced"),
        "{out}"
    );
    let second = read(&file);
    assert_ne!(second, first);
    assert!(!out.contains(&second));
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // --print hands out the id token on stdout, never the refresh token.
    let (code, out, err) = run_without(
        &mut refresh_cmd(
            &server,
            &[
                "--refresh-token-file",
                file.to_str().unwrap(),
                "--print",
                "id",
                "--json",
            ],
        ),
        &[CLIENT_SECRET, &second],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim().split('.').count(), 3, "{out}");
    assert!(!err.contains(&read(&file)));
    // The rotated-out token is refused, with its cause and fix.
    let (code, out, _) = run_without(
        &mut refresh_cmd(&server, &["--refresh-token-file", old.to_str().unwrap()]),
        &[CLIENT_SECRET, &first],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        first_line(&out).contains("refused the refresh token: invalid_grant"),
        "{out}"
    );
    assert!(out.contains("grace period"), "{out}");
}

#[test]
fn refresh_names_a_disabled_user_and_keeps_a_token_that_did_not_rotate() {
    let Some(server) = auth_server(&[("REFRESH_TOKENS", "life-seed-4c1d")]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rt");
    std::fs::write(&file, "life-seed-4c1d\n").unwrap();
    let (code, out, err) = run_without(
        &mut refresh_cmd(
            &server,
            &["--refresh-token-file", file.to_str().unwrap(), "--json"],
        ),
        &[CLIENT_SECRET, "life-seed-4c1d"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("rotated"), "{out}");
    assert_eq!(read(&file), "life-seed-4c1d");
    // From a variable: refreshed, and never shown.
    let (code, out, _) = run_without(
        refresh_cmd(&server, &["--refresh-token-env", "LIFE_RT"]).env("LIFE_RT", "life-seed-4c1d"),
        &[CLIENT_SECRET, "life-seed-4c1d"],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run_without(
        refresh_cmd(&server, &["--refresh-token-env", "LIFE_RT"]).env("LIFE_RT", "disabled-user"),
        &[CLIENT_SECRET, "disabled-user"],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("the user is disabled in the user pool"),
        "{out}"
    );
    // No refresh token to read: a usage error, before anything is sent.
    let (code, out, _) = run_without(
        &mut refresh_cmd(&server, &["--refresh-token-env", "LIFE_UNSET_RT"]),
        &[CLIENT_SECRET],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("usage.refresh_token"), "{out}");
    // Never from an argument.
    let (code, _, err) = run(&mut refresh_cmd(&server, &["--refresh-token", "x"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn an_hmac_secret_never_appears_in_diff_output() {
    let secret = "life-hmac-secret-0123456789abcdef0123456789abcdef";
    let token = |sub: &str| {
        crate::support::sign::sign_hmac_raw(
            "HS256",
            secret.as_bytes(),
            r#"{"alg":"HS256"}"#,
            &serde_json::json!({"sub": sub, "iat": 1_795_510_800, "exp": 1_795_514_400})
                .to_string(),
        )
    };
    for json in [false, true] {
        let mut cmd = jwtcheck();
        cmd.args([
            "diff",
            &token("a"),
            &token("b"),
            "--secret-env",
            "LIFE_HMAC",
        ])
        .args(["--now", SAMPLE_NOW])
        .env("LIFE_HMAC", secret);
        if json {
            cmd.arg("--json");
        }
        let (code, out, _) = run_without(&mut cmd, &[secret]);
        assert_eq!(code, 0, "{out}");
    }
}
