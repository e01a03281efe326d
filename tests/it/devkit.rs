//! The dev kit end to end: `keygen` writes a key pair, `serve-keys` publishes its key set on
//! 127.0.0.1, `mint` signs Cognito-shaped tokens; the tokens verify with jwtcheck and with the
//! `jsonwebtoken` crate against the key set fetched over HTTP, under Hasura configurations too,
//! and the book's walkthrough (docs/src/devkit.md) runs as written (all but its calls to Hasura).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::support::sign::key_path;
use crate::support::*;
use base64::Engine as _;
use serde_json::{Value, json};

const POOL: &str = "us-east-1_LocalDev1";
const CLIENT: &str = "jwtcheckdevkitlocalclient0";
const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalDev1";
const NS: &str = "https://hasura.io/jwt/claims";

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("jwtcheck")
}

/// `jwtcheck keygen --out DIR/keys --alg ALG`; returns the folder.
fn keygen(dir: &tempfile::TempDir, alg: &str) -> PathBuf {
    let out = dir.path().join(format!("keys-{alg}"));
    let (code, _, stderr) = run(jwtcheck().args(["keygen", "--alg", alg, "--out"]).arg(&out));
    assert_eq!(code, 0, "{stderr}");
    out
}

/// `jwtcheck mint ARGS`: (exit code, stdout, stderr).
fn mint(args: &[&str]) -> (i32, String, String) {
    run(jwtcheck().arg("mint").args(args))
}

/// A token from `mint` that must succeed.
fn minted(args: &[&str]) -> String {
    let (code, out, err) = mint(args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "the token alone on stdout: {out}");
    out.trim().to_string()
}

/// The claims of a token, decoded by hand.
fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A running `serve-keys`, killed if a test ends without stopping it.
struct KeyServer {
    child: Child,
    lines: Receiver<String>,
    /// `http://127.0.0.1:PORT`.
    base: String,
    /// The key set's URL (from the first line).
    jwks: String,
    port: u16,
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(program: &Path) -> Command {
    let mut cmd = Command::new(program);
    for var in [
        "NO_COLOR",
        "HASURA_GRAPHQL_JWT_SECRET",
        "HASURA_GRAPHQL_JWT_SECRETS",
        "JWTCHECK_COGNITO_ENDPOINT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Starts `jwtcheck serve-keys` with `args` and waits for its first line.
fn serve(args: &[&str]) -> KeyServer {
    let mut child = command(&binary())
        .arg("serve-keys")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = read_lines(child.stdout.take().unwrap());
    // From here the server is stopped however the test ends.
    let mut server = KeyServer {
        child,
        lines,
        base: String::new(),
        jwks: String::new(),
        port: 0,
    };
    let first = server.lines.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(first.starts_with("SERVING  http://127.0.0.1:"), "{first}");
    server.jwks = first.split_whitespace().nth(1).unwrap().to_string();
    let host = server.jwks["http://".len()..].split('/').next().unwrap();
    server.base = format!("http://{host}");
    server.port = host.rsplit(':').next().unwrap().parse().unwrap();
    server
}

fn read_lines(out: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl KeyServer {
    /// Sends a signal and returns (exit code, the rest of stdout).
    fn stop(mut self, signal: &str) -> (i32, Vec<String>) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "serve-keys did not stop on {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The reader thread ends at the end of stdout: wait for it, not just for what it has.
        let mut rest = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            rest.push(line);
        }
        (status.code().unwrap_or(-1), rest)
    }

    /// The rest of the banner, up to the docker-compose lines.
    fn banner(&self) -> String {
        let mut text = String::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            let done = line.starts_with("  export JWTCHECK_COGNITO_ENDPOINT=");
            text.push_str(&line);
            text.push('\n');
            if done {
                break;
            }
        }
        text
    }
}

/// A plain HTTP/1.1 GET (or another method): (status, headers, body).
fn http(addr: &str, method: &str, path: &str) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n"
    )?;
    let mut text = String::new();
    stream.read_to_string(&mut text)?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Ok((status, head.to_string(), body.to_string()))
}

fn get(url: &str) -> (u16, String, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    http(addr, "GET", path).unwrap()
}

/// Verifies with the `jsonwebtoken` crate alone: the key by kid from the key set fetched over
/// HTTP, the issuer, and the audience of an id token.
fn independent_verify(token: &str, jwks_url: &str) -> Value {
    let (status, _, body) = get(jwks_url);
    assert_eq!(status, 200);
    let set: jsonwebtoken::jwk::JwkSet = serde_json::from_str(&body).unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let jwk = set
        .find(header.kid.as_deref().unwrap())
        .expect("kid in the key set");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.set_issuer(&[ISSUER]);
    if payload(token)["token_use"] == "id" {
        validation.set_audience(&[CLIENT]);
    } else {
        validation.validate_aud = false;
    }
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap_or_else(|e| panic!("jsonwebtoken refuses the token: {e}"))
        .claims
}

/// The Hasura claims of a payload, whichever the format.
fn hasura_claims(p: &Value) -> Value {
    match &p[NS] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    }
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_reads_and_never_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    for alg in ["RS256", "ES256", "EdDSA"] {
        let out = dir.path().join(alg);
        let (code, report) = run_json(jwtcheck().args(["keygen", "--alg", alg, "--out"]).arg(&out));
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["verdict"], "done");
        let private = std::fs::read_to_string(out.join("private.pem")).unwrap();
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
        let body = private.lines().nth(1).unwrap();
        assert!(
            !report.to_string().contains(body),
            "the private key is never printed"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join("private.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{alg}");
        }
        let jwks: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("jwks.json")).unwrap()).unwrap();
        let key = &jwks["keys"][0];
        assert_eq!(key["alg"], alg);
        assert_eq!(key["use"], "sig");
        assert!(key.get("d").is_none());
        let kid = key["kid"].as_str().unwrap();
        assert!(kid.ends_with('=') && kid.len() == 44, "{kid}");
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(kid)
                .unwrap()
                .len(),
            32
        );
        assert!(report["summary"].as_str().unwrap().contains(kid));
        assert_eq!(report["devkit"]["files"].as_array().unwrap().len(), 3);
    }
    // The folder's key is replaced only on purpose.
    let out = dir.path().join("RS256");
    let before = std::fs::read_to_string(out.join("jwks.json")).unwrap();
    let (code, report) = run_json(jwtcheck().args(["keygen", "--out"]).arg(&out));
    assert_eq!(code, 2);
    assert_eq!(report["error"]["id"], "keygen.exists");
    assert!(
        report["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("--force")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("jwks.json")).unwrap(),
        before
    );
    let (code, _, _) = run(jwtcheck().args(["keygen", "--force", "--out"]).arg(&out));
    assert_eq!(code, 0);
    assert_ne!(
        std::fs::read_to_string(out.join("jwks.json")).unwrap(),
        before
    );
}

#[test]
fn minted_tokens_verify_with_jwtcheck_and_jsonwebtoken_for_every_alg_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_dir();
    for alg in ["RS256", "ES256", "EdDSA"] {
        let keys = keygen(&dir, alg);
        let keys = keys.to_str().unwrap();
        let server = serve(&[keys, "--port", "0"]);
        for format in ["stringified_json", "json"] {
            for token_use in ["id", "access"] {
                let token = minted(&[
                    "--key",
                    keys,
                    "--role",
                    "editor",
                    "--role",
                    "user",
                    "--user-id",
                    "ada",
                    "--session",
                    "x-hasura-org-id=42",
                    "--claims-format",
                    format,
                    "--token-use",
                    token_use,
                ]);
                let what = format!("{alg} {format} {token_use}");
                // jwtcheck, with the key set over HTTP and the pool pinned.
                let (code, report) = run_json(&mut jwtcheck_cached(
                    &cache,
                    &[
                        "verify",
                        &token,
                        "--jwks",
                        &server.jwks,
                        "--cognito-pool",
                        POOL,
                        "--client-id",
                        CLIENT,
                        "--token-use",
                        token_use,
                    ],
                ));
                assert_eq!(code, 0, "{what}: {report}");
                assert_eq!(report["key"]["alg"], alg, "{what}");
                // The same through the Cognito endpoint variable: the token names its pool.
                let (code, report) = run_json(
                    jwtcheck_cached(&cache, &["verify", &token, "--cognito-pool", POOL])
                        .env("JWTCHECK_COGNITO_ENDPOINT", &server.base),
                );
                assert_eq!(code, 0, "{what}: {report}");
                // An independent verifier.
                let claims = independent_verify(&token, &server.jwks);
                assert_eq!(claims["token_use"], token_use, "{what}");
                let hasura = hasura_claims(&claims);
                assert_eq!(hasura["x-hasura-allowed-roles"], json!(["editor", "user"]));
                assert_eq!(hasura["x-hasura-default-role"], "editor");
                assert_eq!(hasura["x-hasura-user-id"], "ada");
                assert_eq!(hasura["x-hasura-org-id"], "42");
                assert_eq!(
                    claims[NS].is_string(),
                    format == "stringified_json",
                    "{what}"
                );
                // Hasura, configured for this format, accepts it.
                let config =
                    json!({"jwk_url": server.jwks, "issuer": ISSUER, "claims_format": format})
                        .to_string();
                let (code, report) = run_json(&mut jwtcheck_cached(
                    &cache,
                    &["verify", &token, "--hasura-config", &config],
                ));
                assert_eq!(code, 0, "{what}: {report}");
                assert_eq!(report["hasura"]["role"], "editor");
            }
        }
        let (code, _) = server.stop("-TERM");
        assert_eq!(code, 0);
    }
}

#[test]
fn tokens_are_shaped_like_cognitos_at_the_time_given() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keygen(&dir, "RS256");
    let keys = keys.to_str().unwrap();
    let (code, token, stderr) = mint(&[
        "--key",
        keys,
        "--now",
        "2026-11-24T09:00:00Z",
        "--lifetime",
        "15m",
        "--cognito-pool",
        "eu-west-1_AbC123",
        "--client-id",
        "4l1h8mfsl2jt8ovcbvda5sqvd0",
        "--claim",
        "email=ada@example.com",
        "--claim",
        "cognito:groups=[\"editors\"]",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        first_line(&stderr),
        "DONE  minted an RS256 id token with default role user, expires in 15m; no Hasura configuration checked it"
    );
    let token = token.trim();
    let p = payload(token);
    let names: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "sub",
            "iss",
            "cognito:username",
            "origin_jti",
            "aud",
            "event_id",
            "token_use",
            "auth_time",
            NS,
            "exp",
            "iat",
            "jti",
            "email",
            "cognito:groups"
        ]
    );
    assert_eq!(
        p["iss"],
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
    );
    assert_eq!(p["aud"], "4l1h8mfsl2jt8ovcbvda5sqvd0");
    assert_eq!(p["iat"], 1_795_510_800);
    assert_eq!(p["auth_time"], 1_795_510_800);
    assert_eq!(p["exp"], 1_795_510_800 + 900);
    assert_eq!(p["cognito:groups"], json!(["editors"]));
    assert_eq!(p["sub"], p["cognito:username"]);
    // Cognito writes "/" as "\/", and so does mint; the header has only kid and alg.
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.split('.').nth(1).unwrap())
        .unwrap();
    assert!(
        String::from_utf8(raw)
            .unwrap()
            .contains(r#""iss":"https:\/\/cognito-idp."#)
    );
    let (_, report) = run_json(jwtcheck().args(["decode", token, "--now", "2026-11-24T09:00:00Z"]));
    let header = report["token"]["header"].as_object().unwrap();
    assert_eq!(header.keys().collect::<Vec<_>>(), ["kid", "alg"]);
    assert_eq!(report["token"]["kind"], "id");
    assert_eq!(report["hasura"]["claims_format"], "stringified_json");
    // An access token: client_id, scope, username, no aud.
    let access = payload(&minted(&["--key", keys, "--token-use", "access"]));
    assert!(access.get("aud").is_none());
    assert_eq!(access["client_id"], CLIENT);
    assert_eq!(access["scope"], "openid email profile");
    assert_eq!(access["username"], access["sub"]);
    assert_eq!(access["iss"], ISSUER);
}

#[test]
fn a_configuration_with_claims_map_gets_a_token_it_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_dir();
    let keys = keygen(&dir, "ES256");
    let keys = keys.to_str().unwrap();
    let server = serve(&[keys, "--port", "0", "--cognito-pool", "eu-west-1_AbC123"]);
    let config = json!({
        "type": "ES256",
        "jwk_url": server.jwks,
        "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
        "audience": ["spa-client", "other"],
        "claims_map": {
            "x-hasura-allowed-roles": {"path": "$['cognito:groups']"},
            "x-hasura-default-role": {"path": "$.app.role"},
            "x-hasura-user-id": {"path": "$.sub"},
            "x-hasura-org-id": {"path": "$.app.org", "default": "0"},
            "x-hasura-tier": "gold"
        }
    })
    .to_string();
    let token = minted(&[
        "--key",
        keys,
        "--hasura-config",
        &config,
        "--role",
        "editor",
        "--role",
        "user",
        "--user-id",
        "grace",
        "--session",
        "x-hasura-org-id=42",
        "--cache-dir",
        cache.path().to_str().unwrap(),
    ]);
    let p = payload(&token);
    assert_eq!(p["cognito:groups"], json!(["editor", "user"]));
    assert_eq!(p["app"], json!({"role": "editor", "org": "42"}));
    assert_eq!(p["aud"], "spa-client", "the configuration's first audience");
    assert!(p.get(NS).is_none(), "claims_map mode: no namespace");
    let (code, report) = run_json(&mut jwtcheck_cached(
        &cache,
        &["verify", &token, "--hasura-config", &config],
    ));
    assert_eq!(code, 0, "{report}");
    let session = &report["hasura"]["session_variables"];
    assert_eq!(session["x-hasura-user-id"], "grace");
    assert_eq!(session["x-hasura-org-id"], "42");
    assert_eq!(session["x-hasura-tier"], "gold");
    assert_eq!(report["hasura"]["role"], "editor");

    // A namespace path, and a static key (the public.pem keygen wrote) need no server.
    let public = std::fs::read_to_string(Path::new(keys).join("public.pem")).unwrap();
    let config =
        json!({"type": "ES256", "key": public, "claims_namespace_path": "$.hasura.claims"})
            .to_string();
    let token = minted(&["--key", keys, "--hasura-config", &config]);
    assert_eq!(
        payload(&token)["hasura"]["claims"]["x-hasura-default-role"],
        "user"
    );
}

#[test]
fn a_token_hasura_would_refuse_is_not_printed_and_mint_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keygen(&dir, "EdDSA");
    let keys = keys.to_str().unwrap();
    let public = std::fs::read_to_string(Path::new(keys).join("public.pem")).unwrap();
    let config = json!({"type": "Ed25519", "key": public, "issuer": ISSUER, "claims_format": "stringified_json"}).to_string();
    // Accepted: printed.
    minted(&["--key", keys, "--hasura-config", &config]);
    // Another pool's issuer: refused, nothing on stdout, the engine's reason on stderr.
    let (code, out, err) = mint(&[
        "--key",
        keys,
        "--hasura-config",
        &config,
        "--cognito-pool",
        "us-west-2_Other1",
    ]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(
        first_line(&err)
            .starts_with("REJECTED  the token is not printed: Hasura rejects this token"),
        "{err}"
    );
    assert!(err.contains("iss"), "{err}");
    // A default role outside the allowed roles, in JSON on stderr.
    let (code, out, err) = mint(&[
        "--key",
        keys,
        "--hasura-config",
        &config,
        "--role",
        "user",
        "--default-role",
        "admin",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    let report: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(report["verdict"], "invalid");
    assert!(failed(&report, "hasura.role"), "{report}");
    assert_eq!(
        report["hasura"]["engine_error"],
        "Your requested role is not in allowed roles"
    );
    // JSON claims where the configuration wants a string.
    let (code, _, err) = mint(&[
        "--key",
        keys,
        "--hasura-config",
        &config,
        "--claims-format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("hasura.format"), "{err}");
    // Nothing serves the configuration's jwk_url: undecidable, not printed, serve-keys named.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unserved =
        json!({"jwk_url": format!("http://127.0.0.1:{closed}/{POOL}/.well-known/jwks.json")})
            .to_string();
    let (code, out, err) = mint(&["--key", keys, "--hasura-config", &unserved, "--no-cache"]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("is jwtcheck serve-keys running?"), "{err}");
    // Keys the configuration does not have (another key pair): the signature fails.
    let other = keygen(&dir, "RS256");
    let (code, _, err) = mint(&["--key", other.to_str().unwrap(), "--hasura-config", &config]);
    assert_eq!(code, 1);
    assert!(err.contains("signature"), "{err}");
}

#[test]
fn mint_signs_with_private_keys_from_other_tools() {
    for (file, public, alg) in [
        ("rsa-other.pem", "rsa-other.pub.pem", "RS256"),
        ("ec-p256.pem", "ec-p256.pub.pem", "ES256"),
        ("ec-p384.pem", "ec-p384.pub.pem", "ES384"),
        ("ec-p521.pem", "ec-p521.pub.pem", "ES512"),
        ("ed25519.pem", "ed25519.pub.pem", "EdDSA"),
    ] {
        let token = minted(&["--key", key_path(file).to_str().unwrap()]);
        let (code, report) = run_json(
            jwtcheck()
                .args(["verify", &token, "--key"])
                .arg(key_path(public))
                .args(["--cognito-pool", POOL]),
        );
        assert_eq!(code, 0, "{file}: {report}");
        assert_eq!(report["key"]["alg"], alg);
    }
}

#[test]
fn mint_refuses_what_it_cannot_use_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "--key".into(),
                key_path("ec-p256.pub.pem").display().to_string(),
            ],
            "mint.key",
        ),
        (
            vec![
                "--key".into(),
                key_path("rsa-1024.pem").display().to_string(),
            ],
            "mint.key",
        ),
        (
            vec!["--key".into(), dir.path().display().to_string()],
            "usage.unreadable",
        ),
        (
            vec![
                "--key".into(),
                key_path("ed25519.pem").display().to_string(),
                "--lifetime".into(),
                "soon".into(),
            ],
            "usage.lifetime",
        ),
        (
            vec![
                "--key".into(),
                key_path("ed25519.pem").display().to_string(),
                "--session".into(),
                "org=1".into(),
            ],
            "usage.claim",
        ),
        (
            vec![
                "--key".into(),
                key_path("ed25519.pem").display().to_string(),
                "--cognito-pool".into(),
                "nope".into(),
            ],
            "usage.cognito_pool",
        ),
        (
            vec![
                "--key".into(),
                key_path("ed25519.pem").display().to_string(),
                "--hasura-config".into(),
                "{}".into(),
            ],
            "hasura.startup",
        ),
    ];
    for (args, id) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = mint(&[&args[..], &["--json"]].concat());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "nothing is printed");
        let report: Value = serde_json::from_str(&err).unwrap();
        assert_eq!(report["error"]["id"], id, "{args:?}");
    }
    let (_, _, err) = mint(&["--key", dir.path().to_str().unwrap()]);
    assert!(err.contains("jwtcheck keygen --out"), "{err}");
    // A folder whose key set does not publish its key: minted, with a warning.
    let keys = keygen(&dir, "RS256");
    let other = keygen(&dir, "ES256");
    std::fs::copy(other.join("jwks.json"), keys.join("jwks.json")).unwrap();
    let (code, _, err) = mint(&["--key", keys.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(err.contains("does not publish this key"), "{err}");
}

/// A non-loopback address of this machine, if it has one.
fn outside_address() -> Option<std::net::IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route and its source address.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn serve_keys_answers_only_on_loopback_and_only_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keygen(&dir, "RS256");
    let server = serve(&[keys.to_str().unwrap(), "--port", "0"]);
    let (status, head, body) = get(&server.jwks);
    assert_eq!(status, 200);
    assert!(head.contains("Cache-Control: public, max-age=60"), "{head}");
    assert!(head.contains("Content-Type: application/json"), "{head}");
    assert_eq!(
        body,
        std::fs::read_to_string(keys.join("jwks.json")).unwrap()
    );
    let (status, head, body) = get(&format!(
        "{}/{POOL}/.well-known/openid-configuration",
        server.base
    ));
    assert_eq!(status, 200);
    assert!(head.contains("Cache-Control:"));
    let discovery: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(discovery["issuer"], ISSUER);
    assert_eq!(discovery["jwks_uri"], server.jwks.as_str());
    let addr = format!("127.0.0.1:{}", server.port);
    assert_eq!(http(&addr, "GET", "/private.pem").unwrap().0, 404);
    assert_eq!(
        http(&addr, "GET", &format!("/{POOL}/../private.pem"))
            .unwrap()
            .0,
        404
    );
    assert_eq!(
        http(&addr, "POST", &format!("/{POOL}/.well-known/jwks.json"))
            .unwrap()
            .0,
        405
    );
    // Bound to 127.0.0.1 alone: another loopback address, or the machine's own address, finds
    // nothing listening.
    assert!(
        TcpStream::connect_timeout(
            &format!("127.0.0.2:{}", server.port).parse().unwrap(),
            Duration::from_secs(2)
        )
        .is_err()
    );
    match outside_address() {
        Some(ip) => assert!(
            TcpStream::connect_timeout(
                &std::net::SocketAddr::new(ip, server.port),
                Duration::from_secs(2)
            )
            .is_err(),
            "reachable on {ip}"
        ),
        None => println!("no non-loopback address on this machine: that half is skipped"),
    }
    let (code, rest) = server.stop("-TERM");
    assert_eq!(code, 0);
    assert_eq!(
        rest.last().unwrap(),
        &format!(
            "DONE  stopped by SIGTERM after 5 requests to http://127.0.0.1:{}",
            addr.rsplit(':').next().unwrap()
        )
    );
}

#[test]
fn serve_keys_stops_cleanly_on_ctrl_c_and_sigterm_and_frees_its_port() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keygen(&dir, "EdDSA");
    let server = serve(&[keys.to_str().unwrap(), "--port", "0"]);
    let banner = server.banner();
    assert!(
        banner.contains("export HASURA_GRAPHQL_JWT_SECRET='{\"type\":\"Ed25519\""),
        "{banner}"
    );
    assert!(
        banner.contains(&format!("export JWTCHECK_COGNITO_ENDPOINT={}", server.base)),
        "{banner}"
    );
    let port = server.port;
    let (code, rest) = server.stop("-INT");
    assert_eq!(code, 0);
    assert_eq!(
        rest.last().unwrap(),
        &format!("DONE  stopped by Ctrl-C (SIGINT) after 0 requests to http://127.0.0.1:{port}")
    );
    // The port is free again; serve on it and stop with SIGTERM, with --json.
    let mut child = command(&binary())
        .args([
            "serve-keys",
            keys.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = read_lines(child.stderr.take().unwrap());
    assert!(
        err.recv_timeout(Duration::from_secs(20))
            .unwrap()
            .starts_with("SERVING  ")
    );
    let jwks = format!("http://127.0.0.1:{port}/{POOL}/.well-known/jwks.json");
    assert_eq!(get(&jwks).0, 200);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON report");
    assert_eq!(report["verdict"], "done");
    assert_eq!(report["devkit"]["requests"], 1);
    assert_eq!(report["devkit"]["jwks_uri"], jwks.as_str());
}

#[test]
fn serve_keys_never_publishes_private_keys_and_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("private-jwks.json");
    let mut jwk = crate::support::sign::public_jwk("ec-p256.pub.pem", Some("k"), Some("ES256"));
    jwk["d"] = json!("c2VjcmV0");
    std::fs::write(&private, json!({"keys": [jwk]}).to_string()).unwrap();
    let keys = keygen(&dir, "RS256");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port().to_string();
    for (args, id) in [
        (
            vec![private.to_str().unwrap(), "--port", "0"],
            "serve_keys.jwks",
        ),
        (
            vec![dir.path().to_str().unwrap(), "--port", "0"],
            "serve_keys.jwks",
        ),
        (
            vec![keys.to_str().unwrap(), "--port", &busy_port],
            "serve_keys.listen",
        ),
        (
            vec![keys.to_str().unwrap(), "--cognito-pool", "nope"],
            "usage.cognito_pool",
        ),
    ] {
        let (code, report) = run_json(jwtcheck().arg("serve-keys").args(&args));
        assert_eq!(code, 2, "{args:?}: {report}");
        assert_eq!(report["error"]["id"], id, "{args:?}");
    }
}

/// The book's "Test Hasura permissions locally" (docs/src/devkit.md): its shell blocks, in order.
fn walkthrough() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/devkit.md"))
            .unwrap();
    let start = readme
        .find("# Test Hasura permissions locally")
        .expect("the section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    section
        .split("```sh\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

/// A shell block without its calls to Hasura (`curl …` and their continuation lines).
fn without_curl(block: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in block.lines() {
        if line.starts_with("curl ") {
            skipping = true;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
        if skipping && !line.ends_with('\\') {
            skipping = false;
        }
    }
    out
}

fn bash(dir: &Path, script: &str, bin: &Path, cache: &Path) -> std::process::Output {
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    command(Path::new("bash"))
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .unwrap()
}

#[test]
fn the_book_walkthrough_runs_as_written() {
    let blocks = walkthrough();
    let server_at = blocks
        .iter()
        .position(|b| b.contains("jwtcheck serve-keys"))
        .expect("a serve-keys block");
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_dir();
    let bin = binary();
    let before = blocks[..server_at].concat();
    let out = bash(dir.path(), &before, &bin, cache.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server block is one command, run as written in its own process (a second terminal).
    let commands: Vec<&str> = blocks[server_at]
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(commands.len(), 1, "{commands:?}");
    let words: Vec<&str> = commands[0].split_whitespace().collect();
    assert_eq!(words[0], "jwtcheck");
    let mut child = command(&bin)
        .args(&words[1..])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = read_lines(child.stdout.take().unwrap());
    let server = KeyServer {
        child,
        lines,
        base: String::new(),
        jwks: String::new(),
        port: 0,
    };
    let first = server.lines.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        first.starts_with("SERVING  http://127.0.0.1:8977/"),
        "{first}"
    );
    let banner = server.banner();
    // What the book tells the reader to export and put in docker-compose is what was printed.
    let after = blocks[server_at + 1..]
        .iter()
        .map(|b| without_curl(b))
        .collect::<String>();
    let export = after
        .lines()
        .find(|l| l.starts_with("export HASURA_GRAPHQL_JWT_SECRET="))
        .unwrap();
    assert!(
        banner.contains(&format!("  {export}\n")),
        "docs/src/devkit.md: {export}\nprinted:\n{banner}"
    );
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/devkit.md"))
            .unwrap();
    let compose = banner
        .lines()
        .find(|l| l.trim_start().starts_with("HASURA_GRAPHQL_JWT_SECRET: "))
        .unwrap();
    assert!(readme.contains(&format!("{compose}\n")), "{compose}");
    // The rest, as written (the mints check each token under the exported configuration).
    let script = format!("{after}\nprintf '%s\\n' \"$USER_TOKEN\" \"$EDITOR_TOKEN\"\n");
    let out = bash(dir.path(), &script, &bin, cache.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("refused\n"), "the refused mint: {stdout}");
    assert!(
        stderr.contains("REJECTED  the token is not printed: Hasura rejects this token"),
        "{stderr}"
    );
    let tokens: Vec<&str> = stdout.lines().filter(|l| l.starts_with("eyJ")).collect();
    assert_eq!(tokens.len(), 2, "{stdout}");
    let editor = hasura_claims(&payload(tokens[1]));
    assert_eq!(editor["x-hasura-allowed-roles"], json!(["editor", "user"]));
    assert_eq!(editor["x-hasura-org-id"], "42");
    assert_eq!(payload(tokens[0])["sub"], "ada");
    let (code, rest) = server.stop("-TERM");
    assert_eq!(code, 0);
    assert!(
        rest.last()
            .unwrap()
            .starts_with("DONE  stopped by SIGTERM after "),
        "{rest:?}"
    );
}

#[test]
fn mint_durations_near_the_end_of_time_are_refused_or_saturate_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keygen(&dir, "RS256");
    let keys = keys.to_str().unwrap();
    for lifetime in ["9223372036854775807", "106751991167300d", "3651d"] {
        let (code, _, err) = mint(&["--key", keys, "--lifetime", lifetime]);
        assert_eq!(code, 2, "--lifetime {lifetime}: {err}");
        assert!(
            err.contains("is not a positive duration of at most 3650d"),
            "{err}"
        );
    }
    // A clock at the end of time: exp saturates instead of overflowing.
    let (code, _, err) = mint(&["--key", keys, "--now", "9223372036854775000"]);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(code, 101, "{err}");
}
