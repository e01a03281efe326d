//! `jwtcheck ui`: the page's API answers what `verify --json` (or `from-url --json`) prints for
//! the same input, and refuses what a local server holding secrets must refuse.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{CLIENT, SAMPLE_NOW, jwtcheck, run, sample, sample_text};

/// A running `jwtcheck ui`, killed if a test ends without stopping it.
struct Ui {
    child: Child,
    /// Its standard output, kept open: the final report is written there.
    _out: BufReader<std::process::ChildStdout>,
    /// `127.0.0.1:PORT`.
    addr: String,
    secret: String,
    /// The first line printed: the URL.
    url: String,
}

impl Drop for Ui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Ui {
    start_with(args, &[])
}

/// Starts `jwtcheck ui --no-browser --port 0 ARGS` with `env` and reads its URL.
fn start_with(args: &[&str], env: &[(&str, &str)]) -> Ui {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("jwtcheck"));
    for var in [
        "HASURA_GRAPHQL_JWT_SECRET",
        "HASURA_GRAPHQL_JWT_SECRETS",
        "JWTCHECK_COGNITO_ENDPOINT",
        "JWTCHECK_SECRET",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd
        .args(["ui", "--no-browser", "--port", "0"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    let url = first.trim().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| {
        let _ = child.kill();
        panic!("the first line is not the URL: {url}")
    });
    let (port, secret) = rest.split_once("/#secret=").unwrap();
    Ui {
        addr: format!("127.0.0.1:{port}"),
        secret: secret.to_string(),
        url,
        child,
        _out: out,
    }
}

/// One request; returns (status, head, body).
fn request(addr: &str, head: &str, body: &[u8]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "{head}Content-Length: {}\r\n\r\n", body.len()).unwrap();
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

impl Ui {
    fn post(&self, path: &str, fields: &Value) -> (u16, String) {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: http://{}\r\nX-Jwtcheck-Secret: {}\r\nContent-Type: application/json\r\n",
            self.addr, self.addr, self.secret
        );
        let (status, _, body) = request(&self.addr, &head, fields.to_string().as_bytes());
        (status, body)
    }

    fn judge(&self, fields: &Value) -> Value {
        let (status, body) = self.post("/api/judge", fields);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }
}

/// The report the command line prints for `args` with the token on standard input.
fn cli(args: &[&str], input: &str, env: &[(&str, &str)]) -> Value {
    let mut cmd = jwtcheck();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .args(["--json", "--now", SAMPLE_NOW])
        .write_stdin(input.to_string());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (_, out, err) = run(&mut cmd);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

#[test]
fn the_api_answers_what_verify_json_prints_on_the_samples_and_fixtures() {
    let ui = start(&["--jwks", "samples/jwks.json"]);
    let id = sample_text("id-token.jwt");
    let access = sample_text("access-token.jwt");
    let v2 = sample_text("hasura-jwt-secret.json");
    let ddn = std::fs::read_to_string(sample("auth-config.hml")).unwrap();
    let callback = sample_text("callback-url.txt");
    let hmac_secret = "a-secret-of-at-least-thirty-two-bytes!!";
    let hs256 = crate::support::sign::sign_hmac_raw(
        "HS256",
        hmac_secret.as_bytes(),
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"sub":"ada","exp":1795514400,"iat":1795510800}"#,
    );
    let bearer = format!("Authorization: Bearer {id}");
    let jwks = ["--jwks", "samples/jwks.json"];
    // (what the page sends, what the command line says)
    let cases: Vec<(Value, Vec<&str>, &str)> = vec![
        (
            json!({"input": id, "jwks": "samples/jwks.json"}),
            vec!["verify", "-", jwks[0], jwks[1]],
            "valid",
        ),
        (
            json!({"input": bearer, "jwks": "samples/jwks.json"}),
            vec!["verify", "-", jwks[0], jwks[1]],
            "valid",
        ),
        (
            json!({"input": access, "jwks": "samples/jwks.json"}),
            vec!["verify", "-", jwks[0], jwks[1]],
            "valid",
        ),
        (
            json!({"input": id, "jwks": "samples/jwks.json", "client_id": "not-the-app-client"}),
            vec![
                "verify",
                "-",
                jwks[0],
                jwks[1],
                "--client-id",
                "not-the-app-client",
            ],
            "invalid",
        ),
        (
            json!({"input": id, "jwks": "samples/jwks.json", "hasura_config": v2, "role": "editor"}),
            vec![
                "verify",
                "-",
                jwks[0],
                jwks[1],
                "--hasura-config",
                &v2,
                "--role",
                "editor",
            ],
            "valid",
        ),
        (
            json!({"input": id, "jwks": "samples/jwks.json", "hasura_config": ddn}),
            vec!["verify", "-", jwks[0], jwks[1], "--hasura-config", &ddn],
            "valid",
        ),
        (
            json!({"input": "a.b.c.d.e", "jwks": "samples/jwks.json"}),
            vec!["verify", "-", jwks[0], jwks[1]],
            "malformed",
        ),
        (
            json!({"input": callback, "jwks": "samples/jwks.json", "client_id": CLIENT}),
            vec!["from-url", "-", jwks[0], jwks[1], "--client-id", CLIENT],
            "valid",
        ),
    ];
    for (fields, args, verdict) in cases {
        let mut fields = fields;
        fields["now"] = json!(SAMPLE_NOW);
        let page = ui.judge(&fields);
        let input = fields["input"].as_str().unwrap();
        let command = cli(&args, input, &[]);
        assert_eq!(page["verdict"], verdict, "{args:?}: {page:#}");
        assert_eq!(page, command, "{args:?}");
        crate::support::assert_fits_schema(&page);
    }
    // Decoding alone, shown while keys are fetched: decode --json's report.
    let (status, body) = ui.post("/api/decode", &json!({"input": id, "now": SAMPLE_NOW}));
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page, cli(&["decode", "-"], &id, &[]));
    assert_eq!(page["verdict"], "unverified");
    // Keys pasted into the page are read as --jwks FILE and --key FILE read the file.
    for (flag, file) in [
        ("--jwks", "samples/jwks.json"),
        ("--key", "tests/fixtures/keys/rsa-pool-id.pub.pem"),
    ] {
        for input in [&id, &callback] {
            let keys = std::fs::read_to_string(file).unwrap();
            let page = ui.judge(
                &json!({"input": input, "keys": keys, "client_id": CLIENT, "now": SAMPLE_NOW}),
            );
            let page: Value = serde_json::from_str(
                &page
                    .to_string()
                    .replace("(keys pasted into the page)", file),
            )
            .unwrap();
            let command = match input.starts_with("https://") {
                true => "from-url",
                false => "verify",
            };
            let cli = cli(
                &[command, "-", flag, file, "--client-id", CLIENT],
                input,
                &[],
            );
            assert_eq!(page["verdict"], "valid", "{flag}: {page:#}");
            assert_eq!(page, cli, "{flag} {command}");
        }
    }
    // An HMAC secret typed into the page is read as --secret-env reads it.
    let page = ui.judge(&json!({"input": hs256, "secret": hmac_secret, "now": SAMPLE_NOW}));
    let command = cli(
        &["verify", "-", "--secret-env", "JWTCHECK_SECRET"],
        &hs256,
        &[("JWTCHECK_SECRET", hmac_secret)],
    );
    assert_eq!(page["verdict"], "valid", "{page:#}");
    assert_eq!(page, command);
}

#[test]
fn the_api_round_trip_with_a_local_key_set_is_short() {
    let ui = start(&["--jwks", "samples/jwks.json"]);
    let fields = json!({"input": sample_text("id-token.jwt"), "jwks": "samples/jwks.json", "now": SAMPLE_NOW});
    let mut took: Vec<Duration> = (0..60)
        .map(|_| {
            let started = Instant::now();
            assert_eq!(ui.judge(&fields)["verdict"], "valid");
            started.elapsed()
        })
        .collect();
    took.sort();
    let p95 = took[took.len() * 95 / 100 - 1];
    println!(
        "POST /api/judge, local key set: median {:?}, p95 {p95:?}",
        took[took.len() / 2]
    );
    // Generous for a debug build on a busy machine; the figure itself is printed.
    assert!(p95 < Duration::from_secs(1), "p95 {p95:?}");
}

#[test]
fn the_api_refuses_without_the_secret_a_wrong_host_a_foreign_origin_and_an_oversized_body() {
    let ui = start(&["--max-input", "1000"]);
    let addr = ui.addr.clone();
    let body = json!({"input": "a.b.c"}).to_string();
    let send = |head: String, body: &[u8]| request(&addr, &head, body);
    let api = |extra: &str| {
        format!(
            "POST /api/judge HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{extra}"
        )
    };
    let secret = format!("X-Jwtcheck-Secret: {}\r\n", ui.secret);
    // With everything right: 200.
    assert_eq!(send(api(&secret), body.as_bytes()).0, 200);
    // No secret, or a wrong one.
    let (status, _, text) = send(api(""), body.as_bytes());
    assert_eq!(status, 403);
    assert!(text.contains("this run's secret"), "{text}");
    assert_eq!(
        send(api("X-Jwtcheck-Secret: nope\r\n"), body.as_bytes()).0,
        403
    );
    let prefill = format!("GET /api/prefill HTTP/1.1\r\nHost: {addr}\r\n");
    assert_eq!(send(prefill.clone(), b"").0, 403);
    assert_eq!(send(format!("{prefill}{secret}"), b"").0, 200);
    // DNS rebinding: another name for the same address.
    let port = addr.rsplit(':').next().unwrap();
    let rebound = format!(
        "POST /api/judge HTTP/1.1\r\nHost: attacker.example:{port}\r\n{secret}Content-Type: application/json\r\n"
    );
    assert_eq!(send(rebound, body.as_bytes()).0, 403);
    assert_eq!(
        send(
            format!("GET / HTTP/1.1\r\nHost: attacker.example:{port}\r\n"),
            b""
        )
        .0,
        403
    );
    // A page elsewhere posting here.
    let foreign = api(&format!("{secret}Origin: https://attacker.example\r\n"));
    assert_eq!(send(foreign, body.as_bytes()).0, 403);
    // localhost is the same page.
    let local = format!(
        "POST /api/judge HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n{secret}"
    );
    assert_eq!(send(local, body.as_bytes()).0, 200);
    // Over four times --max-input: refused before it is judged.
    let big = json!({"input": "a".repeat(5000)}).to_string();
    assert_eq!(send(api(&secret), big.as_bytes()).0, 413);
    // No CORS: a preflight gets no Access-Control header.
    let (status, head, _) = send(
        format!(
            "OPTIONS /api/judge HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://attacker.example\r\nAccess-Control-Request-Method: POST\r\n"
        ),
        b"",
    );
    assert_eq!(status, 403);
    assert!(
        !head.to_ascii_lowercase().contains("access-control"),
        "{head}"
    );
}

#[test]
fn the_page_has_a_strict_policy_no_inline_script_and_is_small() {
    let ui = start(&[]);
    let mut total = 0;
    for path in ["/", "/app.js", "/app.css"] {
        let (status, head, body) = request(
            &ui.addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", ui.addr),
            b"",
        );
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains("Content-Security-Policy: default-src 'none'; script-src 'self';"),
            "{head}"
        );
        assert!(head.contains("X-Content-Type-Options: nosniff"), "{head}");
        assert!(head.contains("Referrer-Policy: no-referrer"), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("access-control"),
            "{head}"
        );
        if path == "/" {
            // Every script is a file of the page; no inline script, no remote origin.
            assert_eq!(body.matches("<script").count(), 1, "{body}");
            assert!(body.contains(r#"<script src="/app.js" defer></script>"#));
            assert!(!body.contains("src=\"http") && !body.contains("href=\"http"));
        }
        total += body.len();
    }
    assert!(total < 200 * 1024, "{total} bytes");
}

impl Ui {
    fn prefill(&self) -> Value {
        let (status, _, body) = request(
            &self.addr,
            &format!(
                "GET /api/prefill HTTP/1.1\r\nHost: {}\r\nX-Jwtcheck-Secret: {}\r\n",
                self.addr, self.secret
            ),
            b"",
        );
        assert_eq!(status, 200);
        serde_json::from_str(&body).unwrap()
    }

    fn command(&self, fields: &Value, input: &str) -> String {
        let mut fields = fields.clone();
        fields["input"] = json!(input);
        let (status, command) = self.post("/api/command", &fields);
        assert_eq!(status, 200);
        command
    }
}

#[test]
fn the_flags_fill_in_the_page_and_copy_as_command_never_writes_the_secret() {
    let secret = "a-secret-of-at-least-thirty-two-bytes!!";
    let ui = start_with(
        &["--secret-env", "MY_HMAC", "--client-id", CLIENT],
        &[("MY_HMAC", secret)],
    );
    let prefill = ui.prefill();
    assert_eq!(prefill["client_id"], CLIENT);
    assert_eq!(prefill["secret"], secret);
    assert_eq!(prefill["secret_var"], "MY_HMAC");
    let command = ui.command(&prefill, "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    assert_eq!(
        command,
        format!(
            "jwtcheck verify eyJhbGciOiJIUzI1NiJ9.e30.sig --client-id {CLIENT} --secret-env MY_HMAC"
        )
    );
    assert!(!command.contains(secret));
    // A secret typed into the page: the variable the judge reads it from.
    let mut typed = json!({"secret": "typed-secret"});
    typed["client_id"] = json!(CLIENT);
    let command = ui.command(&typed, "a.b.c");
    assert!(
        command.ends_with("--secret-env JWTCHECK_SECRET"),
        "{command}"
    );
    assert!(!command.contains("typed-secret"));

    let ui = start(&[
        "--hasura-config",
        "@samples/hasura-jwt-secret.json",
        "--role",
        "editor",
        "--now",
        SAMPLE_NOW,
    ]);
    let prefill = ui.prefill();
    assert_eq!(prefill["role"], "editor");
    assert_eq!(prefill["now"], SAMPLE_NOW);
    assert_eq!(
        prefill["hasura_config"].as_str().unwrap().trim(),
        sample_text("hasura-jwt-secret.json")
    );
    // v2's configuration goes in as the variable Hasura reads, a callback URL to from-url.
    let command = ui.command(&prefill, "https://app.example/cb#id_token=a.b.c");
    assert_eq!(
        command,
        format!(
            "jwtcheck from-url 'https://app.example/cb#id_token=a.b.c' --role editor --now {SAMPLE_NOW} --hasura-config-env"
        )
    );
}

#[test]
fn ui_default_port_is_its_own_so_it_runs_beside_serve_keys_and_login() {
    // The dev kit's serve-keys (8977) and login's callback (8976) are often running meanwhile.
    let ui = jwtcheck::cli::DEFAULT_UI_PORT;
    assert_eq!(ui, 8978);
    assert_ne!(ui, jwtcheck::devkit::DEFAULT_PORT);
    assert_ne!(ui, jwtcheck::cli::DEFAULT_LOGIN_PORT);
    let (code, help, _) = run(jwtcheck().args(["ui", "--help"]));
    assert_eq!(code, 0);
    assert!(help.contains("default port 8978"), "{help}");
}

#[test]
fn ui_prints_the_url_first_and_stops_with_exit_0_on_sigterm_and_ctrl_c() {
    for signal in ["-TERM", "-INT"] {
        let mut ui = start(&[]);
        assert!(ui.url.starts_with("http://127.0.0.1:"), "{}", ui.url);
        assert!(ui.secret.len() >= 43, "a 256-bit secret: {}", ui.secret);
        Command::new("kill")
            .args([signal, &ui.child.id().to_string()])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = ui.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "ui did not stop on {signal}");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0), "{signal}");
    }
    // With --json the URL goes to stderr, and stdout is the one report.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("jwtcheck"))
        .args(["ui", "--no-browser", "--port", "0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("http://127.0.0.1:"), "{first}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON report");
    assert_eq!(report["verdict"], "done");
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .starts_with("stopped by SIGTERM"),
        "{report:#}"
    );
    // A port that is taken is the command's usage error.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, out, _) = run(jwtcheck().args(["ui", "--no-browser", "--port", &port, "--json"]));
    assert_eq!(code, 2, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["error"]["id"], "ui.listen");
}

/// A JWE's compact form (five segments): RSA-OAEP, A256GCM.
const JWE: &str = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ";

/// The six cases of issue #25 in a real headless Chromium, one browser for all (two cores).
/// With `JWTCHECK_SCREENSHOT=FILE`, the page on the samples is saved there as a PNG (the
/// README's screenshot, by scripts/screenshot-ui.sh), and the timings are printed.
#[test]
fn browser_the_page_in_headless_chromium() {
    use crate::support::webdriver::{Browser, available};
    if !available() {
        return;
    }
    let ui = start(&["--jwks", "samples/jwks.json", "--now", SAMPLE_NOW]);
    let browser = Browser::start();
    let base = format!("http://{}/", ui.addr);
    let opened = Instant::now();
    browser.go(&ui.url);
    let loaded = opened.elapsed();
    let valid = "const v = document.getElementById('verdict').textContent; return v.startsWith('VALID') && v";
    let segments = "return ['seg-header','seg-payload','seg-signature'].map(c => document.querySelectorAll('#encoded .' + c).length).join(',') + '/' + document.querySelectorAll('#encoded .dot').length";

    // 1. The sample callback URL: VALID, three coloured segments with their two dots.
    let input = browser.find("#input");
    browser.type_into(&input, &sample_text("callback-url.txt"));
    let shown = browser.wait_for(valid);
    let command = cli(
        &["from-url", "-", "--jwks", "samples/jwks.json"],
        &sample_text("callback-url.txt"),
        &[],
    );
    assert_eq!(
        shown.as_str().unwrap(),
        format!("VALID  {}", command["summary"].as_str().unwrap())
    );
    assert_eq!(browser.run(segments), "1,1,1/2");

    // 5. Nothing was loaded from anywhere but this server.
    let resources = browser.run(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])",
    );
    let resources = resources.as_array().unwrap();
    assert!(resources.len() >= 3, "{resources:?}");
    for r in resources {
        assert!(
            r.as_str().unwrap().starts_with(&base),
            "{r} is not from {base}"
        );
    }

    // 3. The sample Hasura configuration: the session variables and the role.
    browser.run("document.getElementById('input').value = ''");
    browser.type_into(&input, &sample_text("id-token.jwt"));
    let config = browser.find("#hasura_config");
    browser.type_into(&config, &sample_text("hasura-jwt-secret.json"));
    let hasura = browser.wait_for(
        "const h = document.getElementById('hasura').textContent; return h.includes('Role: user') && h",
    );
    let hasura = hasura.as_str().unwrap();
    assert!(hasura.contains("x-hasura-user-id"), "{hasura}");
    assert!(hasura.contains("x-hasura-role"), "{hasura}");
    assert!(
        hasura.contains("b8f1f6df-c138-476e-85f3-7339bf9e2d7d"),
        "{hasura}"
    );
    if let Some(path) = std::env::var_os("JWTCHECK_SCREENSHOT") {
        browser.resize(1400, 1500);
        browser.run("document.activeElement.blur(); window.scrollTo(0, 0)");
        std::fs::write(&path, browser.screenshot()).unwrap();
        browser.resize(1400, 1000);
    }

    // 2. The wrong audience: the failing check and its hint, as the CLI says them.
    browser.run("document.getElementById('hasura_config').value = ''");
    let client = browser.find("#client_id");
    browser.type_into(&client, "not-the-app-client");
    let failing = browser.wait_for(
        "const f = document.querySelector('#checks li[data-status=fail]'); const v = document.getElementById('verdict').textContent; return f && v.startsWith('REJECTED') && [f.dataset.id, f.querySelector('.hint') ? f.querySelector('.hint').textContent : '', v]",
    );
    let command = cli(
        &[
            "verify",
            "-",
            "--jwks",
            "samples/jwks.json",
            "--client-id",
            "not-the-app-client",
        ],
        &sample_text("id-token.jwt"),
        &[],
    );
    let first_fail = command["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "fail")
        .unwrap();
    assert_eq!(failing[0], first_fail["id"]);
    assert_eq!(
        failing[2].as_str().unwrap(),
        format!("REJECTED  {}", command["summary"].as_str().unwrap())
    );
    assert_eq!(
        failing[1].as_str().unwrap(),
        format!("hint: {}", first_fail["hint"].as_str().unwrap())
    );

    // 4. A JWE: the encrypted-token message, with the refresh-token hint, where the input is.
    browser.run("document.getElementById('input').value = ''");
    browser.type_into(&input, JWE);
    let message = browser.wait_for(
        "return document.getElementById('input-error').textContent.includes('JWE') && document.getElementById('input-error').textContent",
    );
    let message = message.as_str().unwrap();
    assert!(message.contains("encrypted token (JWE"), "{message}");
    assert!(message.contains("refresh token"), "{message}");
    assert_eq!(browser.run(segments), "1,1,1/4");
    // What was last decoded stays, and the page says so.
    let stale = browser.run("return document.getElementById('stale').hidden ? '' : document.getElementById('stale').textContent");
    assert!(stale.as_str().unwrap().contains("last token"), "{stale}");

    // Whitespace inside the token and a cut signature: the server's words under the token, the
    // space marked where it is, the segment the message names underlined.
    let id = sample_text("id-token.jwt");
    let (head, tail) = id.split_at(100);
    browser.run("document.getElementById('input').value = ''");
    browser.type_into(&input, &format!("{head} {tail}"));
    let message = browser.wait_for(
        "const e = document.getElementById('input-error').textContent; return e.includes('(a space)') && e",
    );
    assert!(
        message
            .as_str()
            .unwrap()
            .starts_with("payload segment: character"),
        "{message}"
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('#encoded .bad').length"),
        1
    );
    assert_eq!(
        browser.run("return document.querySelector('#encoded .bad-segment').dataset.segment"),
        "1"
    );
    browser.run("document.getElementById('input').value = ''");
    browser.type_into(&input, &id[..id.len() - 20]);
    let message = browser.wait_for(
        "const e = document.getElementById('input-error').textContent; return e.includes('was cut') && e",
    );
    assert!(
        message.as_str().unwrap().contains("signature segment"),
        "{message}"
    );
    assert_eq!(
        browser.run("return document.querySelector('#encoded .bad-segment').dataset.segment"),
        "2"
    );

    // Copy as command: shown, the secret as --secret-env.
    browser.run("document.getElementById('input').value = 'a.b.c'");
    let secret = browser.find("#secret");
    browser.type_into(&secret, "typed-in-the-page");
    let copy = browser.find("#copy");
    browser.click(&copy);
    let command = browser.wait_for("return document.getElementById('command').textContent");
    let command = command.as_str().unwrap();
    assert!(command.starts_with("jwtcheck verify a.b.c "), "{command}");
    assert!(
        command.contains("--secret-env JWTCHECK_SECRET"),
        "{command}"
    );
    assert!(!command.contains("typed-in-the-page"), "{command}");

    // 6. Keyboard only: from a fresh page, type into the focused input, then Tab to the verdict.
    browser.go("about:blank");
    let opened = Instant::now();
    browser.go(&ui.url);
    let reloaded = opened.elapsed();
    browser.wait_for("return document.activeElement && document.activeElement.id === 'input'");
    // The figures of issue #25 (printed with --nocapture): request to first paint, and the
    // bytes the page loads.
    let timing = browser.run(
        "const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint'); return {request_start_ms: n.requestStart, response_end_ms: n.responseEnd, first_contentful_paint_ms: p ? p.startTime : null, bytes: performance.getEntriesByType('resource').reduce((s, e) => s + e.decodedBodySize, n.decodedBodySize)}",
    );
    println!(
        "first load: WebDriver navigation {loaded:?}; warm load: WebDriver navigation {reloaded:?}, page timing {timing}"
    );
    let focused = browser.find("#input");
    browser.type_into(&focused, &sample_text("id-token.jwt"));
    browser.wait_for(valid);
    let mut reached = false;
    for _ in 0..20 {
        browser.tab(1);
        if browser.run("return document.activeElement.id") == "verdict" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the verdict");
}
