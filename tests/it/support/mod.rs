//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod sign;
pub mod webdriver;

use std::path::PathBuf;

use assert_cmd::Command;

/// The sample tokens are valid from 2026-11-24T09:00:00Z to 10:00:00Z; this is inside.
pub const SAMPLE_NOW: &str = "2026-11-24T09:30:00Z";

/// [`SAMPLE_NOW`] in Unix seconds.
pub const SAMPLE_NOW_UNIX: i64 = 1_795_512_600;

/// The sample pool (samples/, tests/fixtures/keys/rsa-pool-*.pem).
pub const POOL: &str = "us-east-1_Jw7Ck9Sa1";

/// The sample pool's issuer.
pub const POOL_ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1";

/// The sample pool's app client.
pub const CLIENT: &str = "4l1h8mfsl2jt8ovcbvda5sqvd0";

/// The kid of the sample pool's id-token key (rsa-pool-id).
pub const ID_KID: &str = "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=";

/// `verify TOKEN --hasura-config CONFIG --now SAMPLE_NOW` with `extra` flags and a cache of its
/// own: the exit code and the JSON report.
pub fn verify_under(config: &str, token: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let cache = cache_dir();
    run_json(
        jwtcheck()
            .args([
                "verify",
                token,
                "--hasura-config",
                config,
                "--now",
                SAMPLE_NOW,
            ])
            .args(extra)
            .arg("--cache-dir")
            .arg(cache.path()),
    )
}

/// The built binary, with an environment that cannot leak into results.
pub fn jwtcheck() -> Command {
    let mut cmd = Command::cargo_bin("jwtcheck").expect("binary");
    clean_env(&mut cmd);
    cmd
}

/// The built binary run by `prlimit` (util-linux) with at most `bytes` of address space, so that
/// a test proves a bound on memory: a run that needs more fails to allocate and aborts. Where
/// there is no `prlimit` (not Linux), the binary runs unbounded.
pub fn jwtcheck_within(bytes: u64) -> Command {
    let has_prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_prlimit {
        return jwtcheck();
    }
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--as={bytes}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_jwtcheck"));
    clean_env(&mut cmd);
    cmd
}

/// Removes what could leak into results from the environment, and points the default cache
/// away from the user's.
pub fn clean_env(cmd: &mut Command) {
    cmd.env_remove("NO_COLOR")
        .env_remove("HASURA_GRAPHQL_JWT_SECRET")
        .env_remove("HASURA_GRAPHQL_JWT_SECRETS")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("JWTCHECK_COGNITO_ENDPOINT")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        // Never the user's real cache: tests that fetch pass --cache-dir of their own.
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("jwtcheck-test-cache"),
        );
}

/// A file in `samples/`.
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// `@path` for a sample.
pub fn at_sample(name: &str) -> String {
    format!("@{}", sample(name).display())
}

/// The text of a sample, trimmed.
pub fn sample_text(name: &str) -> String {
    std::fs::read_to_string(sample(name))
        .expect("sample")
        .trim()
        .to_string()
}

/// Runs the command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run jwtcheck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs with `--json` appended and parses stdout as the one JSON report, which must fit the
/// report's JSON Schema (`jwtcheck schema`).
pub fn run_json(cmd: &mut Command) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = run(cmd.arg("--json"));
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("stdout is not one JSON document ({e}):\n{stdout}\nstderr:\n{stderr}")
    });
    assert_fits_schema(&value);
    (code, value)
}

/// Fails the test when a `--json` report does not fit the report's JSON Schema. Every report a
/// test reads goes through here, so the schema is checked against the whole suite's reports.
///
/// The tests hold the reports to a stricter schema than the published one: objects are closed
/// (a member the schema does not name fails here; the published schema leaves them open for
/// members a newer jwtcheck may add), and each report is checked against its own kind
/// (`check`'s or the others') so that a failure names the member at fault.
pub fn assert_fits_schema(report: &serde_json::Value) {
    let errors = schema_errors(report);
    assert!(
        errors.is_empty(),
        "the report does not fit `jwtcheck schema`: {errors:#?}\n{report:#}"
    );
}

/// The published schema, and the test-strict schema of each kind of report.
struct Validators {
    published: jsonschema::Validator,
    report: jsonschema::Validator,
    check: jsonschema::Validator,
    explanation: jsonschema::Validator,
    translation: jsonschema::Validator,
    listed: jsonschema::Validator,
    setup: jsonschema::Validator,
    diff: jsonschema::Validator,
    watch: jsonschema::Validator,
}

impl Validators {
    fn new() -> Validators {
        let published = jwtcheck::report::schema::json_schema();
        let mut strict = published.clone();
        close_objects(&mut strict);
        let kind = |name: &str| {
            let mut s = strict.clone();
            s["anyOf"] = serde_json::json!([{"$ref": format!("#/$defs/{name}")}]);
            jsonschema::draft202012::new(&s).expect("the report schema compiles")
        };
        Validators {
            published: jsonschema::draft202012::new(&published)
                .expect("the report schema compiles"),
            report: kind("Report"),
            check: kind("CheckReport"),
            explanation: kind("Explanation"),
            translation: kind("ConfigTranslation"),
            listed: kind("Listed"),
            setup: kind("SetupReport"),
            diff: kind("DiffReport"),
            watch: kind("WatchEvent"),
        }
    }
}

/// Why a `--json` report does not fit the (test-strict) report schema; empty when it fits.
pub fn schema_errors(report: &serde_json::Value) -> Vec<String> {
    static VALIDATORS: std::sync::OnceLock<Validators> = std::sync::OnceLock::new();
    let v = VALIDATORS.get_or_init(Validators::new);
    let published = &v.published;
    let listed = &v.listed;
    // `explain --json`: the list of ids, each checked as one.
    if let Some(items) = report.as_array() {
        return items
            .iter()
            .flat_map(|item| listed.iter_errors(item))
            .chain(published.iter_errors(report))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
    }
    let strict = if report.get("counts").is_some() {
        &v.check
    } else if report.get("proof").is_some() {
        &v.setup
    } else if report.get("same_verdict").is_some() {
        &v.diff
    } else if report.get("event").is_some() {
        &v.watch
    } else if report.get("why").is_some() {
        &v.explanation
    } else if report.get("lost").is_some() {
        &v.translation
    } else {
        &v.report
    };
    strict
        .iter_errors(report)
        .chain(published.iter_errors(report))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Closes every object schema that names its properties (`additionalProperties: false`).
fn close_objects(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert(
                    "additionalProperties".into(),
                    serde_json::Value::Bool(false),
                );
            }
            map.values_mut().for_each(close_objects);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// The first line of a text output.
pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The checks of a JSON report with a given id.
pub fn checks<'a>(report: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    report["checks"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["id"] == id).collect())
        .unwrap_or_default()
}

/// The status of the first check with this id ("pass", "fail", …), or "absent".
pub fn status(report: &serde_json::Value, id: &str) -> String {
    checks(report, id)
        .first()
        .and_then(|c| c["status"].as_str())
        .unwrap_or("absent")
        .to_string()
}

/// A real HTTP server on 127.0.0.1 (wiremock), running on its own runtime thread so the test
/// can run the binary synchronously.
pub struct Server {
    rt: tokio::runtime::Runtime,
    /// The mock server.
    pub mock: wiremock::MockServer,
}

impl Server {
    /// Starts a server on a random loopback port.
    pub fn start() -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mock = rt.block_on(wiremock::MockServer::start());
        Server { rt, mock }
    }

    /// Mounts a mock.
    pub fn mount(&self, mock: wiremock::Mock) {
        self.rt.block_on(mock.mount(&self.mock));
    }

    /// A URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.mock.uri())
    }

    /// How many requests reached the server for this path.
    pub fn hits(&self, path: &str) -> usize {
        self.rt
            .block_on(self.mock.received_requests())
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == path)
            .count()
    }

    /// The requests that reached this path.
    pub fn requests(&self, path: &str) -> Vec<wiremock::Request> {
        self.rt
            .block_on(self.mock.received_requests())
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect()
    }
}

/// Serves `body` (JSON) at `path` with extra headers.
pub fn serve_json(server: &Server, path: &str, body: &serde_json::Value, headers: &[(&str, &str)]) {
    let mut resp =
        wiremock::ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json");
    for (k, v) in headers {
        resp = resp.insert_header(*k, *v);
    }
    server.mount(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(path))
            .respond_with(resp),
    );
}

/// Serves an OIDC discovery document for the issuer `server.url(issuer)` whose `jwks_uri` is
/// `server.url(jwks)`; returns the issuer.
pub fn serve_discovery(server: &Server, issuer: &str, jwks: &str) -> String {
    let iss = server.url(issuer);
    serve_json(
        server,
        &format!("{issuer}/.well-known/openid-configuration"),
        &serde_json::json!({"issuer": iss, "jwks_uri": server.url(jwks)}),
        &[],
    );
    iss
}

/// The sample pool's key set.
pub fn sample_jwks() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(sample("jwks.json")).expect("jwks"))
        .expect("json")
}

/// A fresh cache folder for one test.
pub fn cache_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// jwtcheck with these arguments and its key cache in `cache`, so a test never touches the user's.
pub fn jwtcheck_cached(cache: &tempfile::TempDir, args: &[&str]) -> Command {
    let mut cmd = jwtcheck();
    cmd.args(args).arg("--cache-dir").arg(cache.path());
    cmd
}

/// Whether any check with this id failed.
pub fn failed(report: &serde_json::Value, id: &str) -> bool {
    checks(report, id).iter().any(|c| c["status"] == "fail")
}
