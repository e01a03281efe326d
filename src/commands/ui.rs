//! `jwtcheck ui`: the local jwt.io. One page (HTML, JS and CSS embedded in the binary) served on
//! 127.0.0.1, and a JSON API that judges what the page sends with the `verify` command's own
//! code: `POST /api/judge` answers the report `verify --json` prints for the same input, so the
//! page and the command line cannot disagree. The page holds no verification logic.
//!
//! Security (a local server that holds secrets): loopback only; a random secret per run, in the
//! printed URL's fragment (never sent in a request line or a `Referer`), that every API call
//! carries in a header (403 without it); a `Host` other than `127.0.0.1:PORT` or
//! `localhost:PORT` is refused (DNS rebinding), and so is a POST from another origin; no CORS;
//! a strict Content-Security-Policy with no inline script; nothing is logged or written.

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{Context, decode, from_url, login, verify};
use crate::cli::options as config;
use crate::cli::{ExchangeArgs, TokenChoice, UiArgs, VerifyArgs};
use crate::judge::{KeyError, KeyProvider, Loaded, verdict};
use crate::net::keys::{self, Loader};
use crate::net::listener;
use crate::net::server::{self, Signals};
use crate::report::{Id, Report, Verdict};
use crate::settings::KeySource;

/// The page.
const PAGE: &str = include_str!("ui/index.html");
/// Its script (no framework; it only shows what the API answers).
const SCRIPT: &str = include_str!("ui/app.js");
/// Its style sheet.
const STYLE: &str = include_str!("ui/app.css");

/// The header every API call carries the run's secret in.
const SECRET_HEADER: &str = "x-jwtcheck-secret";

/// The variable an HMAC secret typed into the page stands for: the judge reads it through the
/// `--secret-env` path (from memory, never the process environment), and "copy as command"
/// names it.
pub const SECRET_VAR: &str = "JWTCHECK_SECRET";

/// The time a request's body has to arrive.
const BODY_DEADLINE: Duration = Duration::from_secs(10);

/// Every response's headers: no script but the page's own file, nothing from elsewhere.
const SECURITY_HEADERS: [(&str, &str); 6] = [
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cache-control", "no-store"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Serves the page until Ctrl-C or SIGTERM; `now` is the `--now` text, for the page; `json`:
/// the URL goes to stderr, so that stdout holds only the final report.
pub fn run(args: &UiArgs, now: Option<&str>, json: bool, ctx: &Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let env = |k: &str| std::env::var(k).ok();
    // The flags are checked before anything is served: a mistake is the command's usage error.
    if let Err(e) = config::verify_config(&args.verify, ctx.max_input, &env) {
        report.stop(Verdict::UsageError, e.id, e.message, e.hint);
        return report;
    }
    let prefill = match Fields::from_flags(&args.verify, now, ctx.max_input, &env) {
        Ok(p) => p,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return report;
        }
    };
    let Some(secret) = login::random(32) else {
        report.stop(
            Verdict::UsageError,
            Id::UiListen,
            "no randomness for the page's secret".into(),
            "the system's random source failed".into(),
        );
        return report;
    };
    let Some((rt, socket, signals)) = open(args.port, &mut report) else {
        return report;
    };
    let port = socket.local_addr().map_or(args.port, |a| a.port());
    let url = format!("http://127.0.0.1:{port}/#secret={secret}");
    announce(&url, json);
    if !args.no_browser {
        login::open_browser(&url);
    }
    let ui = Arc::new(Ui {
        secret,
        port,
        base: args.verify.clone(),
        max_input: ctx.max_input,
        prefill: serde_json::to_string(&prefill).unwrap_or_else(|_| "{}".into()),
    });
    let app = Router::new().fallback(move |request: Request<Body>| {
        let ui = ui.clone();
        async move { answer(&ui, request).await }
    });
    let mut signals = signals;
    let stop = rt.block_on(server::serve(vec![socket], app, signals.next()));
    let summary = format!("stopped by {} (http://127.0.0.1:{port}/)", stop.name());
    verdict::conclude(
        &mut report,
        verdict::Basis::Done { summary: &summary },
        ctx.now,
    );
    report
}

/// The runtime, the listener on 127.0.0.1:`port` and the stop signals; `None` with the report
/// stopped when the port cannot be had.
fn open(
    port: u16,
    report: &mut Report,
) -> Option<(tokio::runtime::Runtime, tokio::net::TcpListener, Signals)> {
    let fail = |report: &mut Report, message: String| {
        report.stop(
            Verdict::UsageError,
            Id::UiListen,
            message,
            "another program uses the port: pass --port with another one, or --port 0 for any free port".into(),
        );
    };
    let socket = match listener::bind(port) {
        Ok(s) => s,
        Err(e) => {
            fail(report, e.to_string());
            return None;
        }
    };
    let opened = server::runtime().and_then(|rt| {
        let socket = server::adopt(&rt, socket)?;
        let signals = {
            let _inside = rt.enter();
            Signals::new()?
        };
        Ok((rt, socket, signals))
    });
    match opened {
        Ok(o) => Some(o),
        Err(e) => {
            fail(report, format!("cannot serve on 127.0.0.1:{port}: {e}"));
            None
        }
    }
}

/// Prints the URL first (stdout, or stderr under `--json`), then how to stop (stderr). A closed
/// stdout or stderr leaves the page served.
fn announce(url: &str, json: bool) {
    // Written, not eprintln!: a closed stderr must not stop the page.
    let mut err = std::io::stderr().lock();
    if json {
        let _ = writeln!(err, "{url}");
    } else {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{url}").and_then(|()| out.flush());
    }
    let _ = writeln!(
        err,
        "jwtcheck ui: the page is at the URL above (its secret, after the #, is for this run only); Ctrl-C to stop"
    );
}

/// What the server knows for its whole run.
struct Ui {
    /// The run's secret.
    secret: String,
    /// The port listened on.
    port: u16,
    /// The flags given on the command line; the page's fields replace the ones it shows.
    base: VerifyArgs,
    /// `--max-input`: the cap on a token, and so on a request.
    max_input: u64,
    /// The page's fields as the flags fill them in (JSON).
    prefill: String,
}

/// The page's fields, as the page sends them and as the flags fill them in. An empty field is
/// not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Fields {
    /// A token, a Bearer line, a cookie header or a callback URL: TOKEN's forms.
    input: String,
    /// `--jwks`: a URL (or the file the command line named).
    jwks: String,
    /// `--cognito-pool`.
    cognito_pool: String,
    /// `--issuer`.
    issuer: String,
    /// `--client-id`.
    client_id: String,
    /// `--audience`.
    audience: String,
    /// A pasted JWKS, JWK or PEM public key or certificate (`--jwks FILE`, `--key FILE`, from
    /// memory).
    keys: String,
    /// An HMAC secret (`--secret-env`).
    secret: String,
    /// The variable the secret came from on the command line, for "copy as command".
    secret_var: String,
    /// `--hasura-config`: v2's HASURA_GRAPHQL_JWT_SECRET(S), or a DDN AuthConfig.
    hasura_config: String,
    /// `--role`.
    role: String,
    /// `--now`.
    now: String,
}

impl Fields {
    /// The page's fields as the command line's flags fill them in.
    fn from_flags(
        args: &VerifyArgs,
        now: Option<&str>,
        max_input: u64,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Fields, config::UsageError> {
        let keys = &args.keys;
        let secret = match (&keys.secret, &keys.secret_env, &keys.secret_file) {
            (Some(value), _, _) => value.clone(),
            (_, Some(var), _) => env(var).unwrap_or_default(),
            (_, _, Some(path)) => crate::input::read_file(path, max_input)
                .map(|t| t.trim_end_matches(['\r', '\n']).to_string())
                .map_err(|e| {
                    config::UsageError::new(Id::UsageArguments, e.to_string(), e.hint())
                })?,
            _ => String::new(),
        };
        let hasura = crate::judge::startup::text(
            &config::hasura_source(&args.hasura),
            &config::config_text,
            env,
        )?;
        Ok(Fields {
            input: String::new(),
            keys: String::new(),
            jwks: keys.jwks.clone().unwrap_or_default(),
            cognito_pool: keys.cognito_pool.clone().unwrap_or_default(),
            issuer: keys.issuer.first().cloned().unwrap_or_default(),
            client_id: args.claims.client_id.first().cloned().unwrap_or_default(),
            audience: args.claims.audience.first().cloned().unwrap_or_default(),
            secret,
            secret_var: keys.secret_env.clone().unwrap_or_default(),
            hasura_config: hasura.map(|h| h.text).unwrap_or_default(),
            role: args.hasura.role.clone().unwrap_or_default(),
            now: now.unwrap_or_default().to_string(),
        })
    }

    /// The command line's flags with the fields the page shows replaced by the page's.
    fn args(&self, base: &VerifyArgs) -> Result<VerifyArgs, config::UsageError> {
        let mut args = base.clone();
        let jwks = given(&self.jwks);
        // A file only when the command line named it: the page reads no other file.
        if let Some(j) = &jwks
            && !j.starts_with("https://")
            && !j.starts_with("http://")
            && base.keys.jwks.as_deref() != Some(j.as_str())
        {
            return Err(config::UsageError::new(
                Id::UsageArguments,
                format!("JWKS URL: {j} is not an http(s) URL"),
                "give the key set's URL (https, or http on localhost); a file goes on the command line: jwtcheck ui --jwks FILE",
            ));
        }
        let hasura_config = given(&self.hasura_config);
        if hasura_config.as_deref().is_some_and(|c| c.starts_with('@')) {
            return Err(config::UsageError::new(
                Id::UsageArguments,
                "Hasura configuration: the page reads no file",
                "paste the configuration itself, or name the file on the command line: jwtcheck ui --hasura-config @FILE",
            ));
        }
        args.keys.jwks = jwks;
        args.keys.key = base.keys.key.clone().filter(|_| args.keys.jwks.is_none());
        // Pasted keys: a key set as --jwks, a key as --key, read from memory by [`Pasted`].
        match given(&self.keys) {
            Some(k) if is_key_set(&k) => args.keys.jwks = Some(PASTED.into()),
            Some(_) => args.keys.key = Some(PASTED.into()),
            None => {}
        }
        args.keys.secret = None;
        args.keys.secret_file = None;
        args.keys.secret_env = given(&self.secret).map(|_| SECRET_VAR.to_string());
        args.keys.cognito_pool = given(&self.cognito_pool);
        args.keys.issuer = given(&self.issuer).into_iter().collect();
        args.claims.client_id = given(&self.client_id).into_iter().collect();
        args.claims.audience = given(&self.audience).into_iter().collect();
        args.hasura.hasura_config = hasura_config;
        args.hasura.hasura_config_env = false;
        args.hasura.role = given(&self.role);
        Ok(args)
    }

    /// The `jwtcheck verify` (or `from-url`) command line that judges the same: the flags
    /// [`Fields::args`] judges with, pasted keys as the file to save them in, a secret named by
    /// its variable, never written out.
    fn command(&self, base: &VerifyArgs) -> Result<String, config::UsageError> {
        let args = self.args(base)?;
        let saved = |value: String, file: &str| if value == PASTED { file.into() } else { value };
        let v2 = args
            .hasura
            .hasura_config
            .as_deref()
            .is_some_and(|c| c.starts_with('{') || c.starts_with('['));
        let secret_var = args
            .keys
            .secret_env
            .map(|_| given(&self.secret_var).unwrap_or_else(|| SECRET_VAR.to_string()));
        let flags = [
            ("--jwks", args.keys.jwks.map(|j| saved(j, "jwks.json"))),
            (
                "--key",
                args.keys
                    .key
                    .map(|k| saved(k.display().to_string(), "key.pem")),
            ),
            ("--cognito-pool", args.keys.cognito_pool),
            ("--issuer", args.keys.issuer.into_iter().next()),
            ("--client-id", args.claims.client_id.into_iter().next()),
            ("--audience", args.claims.audience.into_iter().next()),
            ("--secret-env", secret_var),
            // The configuration may hold a key: a DDN AuthConfig from its file.
            (
                "--hasura-config",
                args.hasura
                    .hasura_config
                    .filter(|_| !v2)
                    .map(|_| "@auth-config.hml".into()),
            ),
            ("--role", args.hasura.role),
            ("--now", given(&self.now)),
        ];
        let input = self.input.trim();
        let command = match input.starts_with("https://") || input.starts_with("http://") {
            true => "from-url",
            false => "verify",
        };
        let mut words = vec![
            "jwtcheck".to_string(),
            command.to_string(),
            shell_quote(input),
        ];
        for (name, value) in flags {
            if let Some(v) = value {
                words.push(name.to_string());
                words.push(shell_quote(&v));
            }
        }
        // v2's configuration from the variable Hasura itself reads.
        if v2 {
            words.push("--hasura-config-env".into());
        }
        Ok(words.join(" "))
    }
}

/// A field's value, trimmed; `None` when it is empty.
fn given(field: &str) -> Option<String> {
    Some(field.trim().to_string()).filter(|s| !s.is_empty())
}

/// The name pasted keys go by, in the flags and the report.
const PASTED: &str = "(keys pasted into the page)";

/// Whether pasted keys are a key set (`{"keys": …}`) rather than one key.
fn is_key_set(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("keys").is_some())
}

/// The key loader, with the keys pasted into the page standing for [`PASTED`].
struct Pasted {
    loader: Loader,
    text: String,
}

impl KeyProvider for Pasted {
    fn keys(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        fresh: bool,
    ) -> Result<Arc<Loaded>, KeyError> {
        let pasted = std::path::Path::new(PASTED);
        match source {
            KeySource::JwksFile(p) if p == pasted => {
                keys::set_from(self.text.as_bytes(), PASTED).map(Arc::new)
            }
            KeySource::KeyFile(p) if p == pasted => {
                keys::key_from(self.text.as_bytes(), PASTED).map(Arc::new)
            }
            _ => self.loader.keys(source, token_iss, fresh),
        }
    }

    fn key_set(&mut self, url: &str, fresh: bool) -> Result<Arc<Loaded>, KeyError> {
        self.loader.key_set(url, fresh)
    }

    fn may_refetch(&self) -> bool {
        self.loader.may_refetch()
    }
}

/// A shell word: single quotes, a `'` inside written `'\''`; plain when it needs none.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=,+".contains(c));
    match plain {
        true => text.to_string(),
        false => format!("'{}'", text.replace('\'', "'\\''")),
    }
}

/// Answers one request, with the security headers on every answer.
async fn answer(ui: &Arc<Ui>, request: Request<Body>) -> Response {
    let mut response = route(ui, request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Why a request is refused before it is read, if it is.
fn refused(ui: &Ui, method: &Method, path: &str, headers: &HeaderMap) -> Option<&'static str> {
    let ours = [
        format!("127.0.0.1:{}", ui.port),
        format!("localhost:{}", ui.port),
    ];
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| ours.iter().any(|o| o.eq_ignore_ascii_case(h))) {
        return Some("this page answers only as 127.0.0.1 or localhost at its own port");
    }
    if *method != Method::GET && *method != Method::HEAD {
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        if let Some(origin) = origin
            && !ours
                .iter()
                .any(|o| origin.eq_ignore_ascii_case(&format!("http://{o}")))
        {
            return Some("a request from another origin");
        }
    }
    if path.starts_with("/api/") {
        let carried = headers
            .get(SECRET_HEADER)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default();
        if aws_lc_rs::constant_time::verify_slices_are_equal(carried, ui.secret.as_bytes()).is_err()
        {
            return Some(
                "the API needs this run's secret: open the URL jwtcheck ui printed, with its #secret",
            );
        }
    }
    None
}

/// The page, its two files and the API.
async fn route(ui: &Arc<Ui>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    if let Some(why) = refused(ui, &parts.method, &path, &parts.headers) {
        return text(StatusCode::FORBIDDEN, why);
    }
    let get = parts.method == Method::GET;
    let post = parts.method == Method::POST;
    match path.as_str() {
        "/" if get => asset("text/html; charset=utf-8", PAGE),
        "/app.js" if get => asset("text/javascript; charset=utf-8", SCRIPT),
        "/app.css" if get => asset("text/css; charset=utf-8", STYLE),
        "/api/prefill" if get => json(ui.prefill.clone()),
        "/api/words" if get => json(words()),
        "/api/explain" if get => explain(parts.uri.query().unwrap_or_default()),
        "/api/judge" | "/api/decode" | "/api/command" if post => {
            let fields = match fields(ui, body).await {
                Ok(f) => f,
                Err(response) => return response,
            };
            let ui = ui.clone();
            let (tx, rx) = tokio::sync::oneshot::channel();
            // The judge may fetch keys (with its own runtime): on a thread of its own.
            std::thread::spawn(move || {
                let _ = tx.send(api(&ui, &path, &fields));
            });
            rx.await
                .unwrap_or_else(|_| text(StatusCode::INTERNAL_SERVER_ERROR, "the judge stopped"))
        }
        "/" | "/app.js" | "/app.css" | "/api/prefill" | "/api/words" | "/api/explain"
        | "/api/judge" | "/api/decode" | "/api/command" => {
            text(StatusCode::METHOD_NOT_ALLOWED, "not with this method")
        }
        _ => text(StatusCode::NOT_FOUND, "nothing here"),
    }
}

/// The page's fields from a request body: JSON, at most four times `--max-input` (a token, a
/// configuration, a secret and the rest), within [`BODY_DEADLINE`].
async fn fields(ui: &Ui, body: Body) -> Result<Fields, Response> {
    let cap = usize::try_from(ui.max_input.saturating_mul(4)).unwrap_or(usize::MAX);
    let bytes = match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, cap)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return Err(text(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is larger than --max-input allows",
            ));
        }
        Err(_) => {
            return Err(text(
                StatusCode::REQUEST_TIMEOUT,
                "the request came too slowly",
            ));
        }
    };
    serde_json::from_slice(&bytes).map_err(|_| {
        text(
            StatusCode::BAD_REQUEST,
            "the request is not the page's JSON",
        )
    })
}

/// `/api/words`: the command line's words for each verdict and for the engine's answer, so that
/// the page says what the terminal says.
fn words() -> String {
    use crate::render::human::{answers, label};
    let verdicts: serde_json::Map<String, serde_json::Value> = [
        Verdict::Valid,
        Verdict::Unverified,
        Verdict::Done,
        Verdict::Invalid,
        Verdict::UsageError,
        Verdict::Undecidable,
        Verdict::Malformed,
    ]
    .into_iter()
    .filter_map(|v| {
        let key = serde_json::to_value(v).ok()?.as_str()?.to_string();
        Some((key, serde_json::Value::from(&*label(v))))
    })
    .collect();
    serde_json::json!({
        "verdicts": verdicts,
        "hasura_answers": answers(None),
        "ddn_answers": answers(Some("ddn")),
    })
    .to_string()
}

/// `/api/explain?id=ID`: what `jwtcheck explain ID --json` prints.
fn explain(query: &str) -> Response {
    let id = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "id")
        .and_then(|(_, v)| Id::parse(&v));
    match id.and_then(crate::report::explain::explain) {
        Some(e) => json(serde_json::to_string(&e).unwrap_or_default()),
        None => text(StatusCode::NOT_FOUND, "no such id"),
    }
}

/// `/api/judge`: `verify --json`'s report; `/api/decode`: `decode --json`'s, shown while the
/// judge fetches keys; `/api/command`: the command line.
fn api(ui: &Ui, path: &str, fields: &Fields) -> Response {
    if path == "/api/command" {
        return match fields.command(&ui.base) {
            Ok(command) => (
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                command,
            )
                .into_response(),
            Err(e) => text(StatusCode::BAD_REQUEST, &e.message),
        };
    }
    let system_now = super::system_now();
    let now = given(&fields.now);
    let report = match super::now_from(now.as_deref(), system_now) {
        Err(report) => *report,
        Ok(now) => {
            let mut stdin = std::io::Cursor::new(fields.input.as_bytes());
            let mut ctx = Context {
                now,
                system_now,
                stdin: &mut stdin,
                max_input: ui.max_input,
            };
            match path {
                "/api/decode" => decode::run("-", &mut ctx),
                _ => judge(ui, fields, &mut ctx),
            }
        }
    };
    json(crate::render::json::render(&report))
}

/// The page's fields judged by `verify`'s own code, or `from-url`'s for a callback URL.
fn judge(ui: &Ui, fields: &Fields, ctx: &mut Context<'_>) -> Report {
    let args = match fields.args(&ui.base) {
        Ok(a) => a,
        Err(e) => {
            let mut report = Report::new(ctx.now);
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return report;
        }
    };
    let secret = fields.secret.clone();
    let env = move |k: &str| match k == SECRET_VAR {
        true => Some(secret.clone()),
        false => std::env::var(k).ok(),
    };
    let pasted = |loader| Pasted {
        loader,
        text: fields.keys.clone(),
    };
    let input = fields.input.trim_start();
    if input.starts_with("https://") || input.starts_with("http://") {
        let mut provider = config::verify_config(&args, ctx.max_input, &env)
            .ok()
            .map(|c| pasted(Loader::new(&c.fetch, ctx.system_now)));
        let exchange = ExchangeArgs::default();
        let opts = from_url::Options {
            choice: TokenChoice::Id,
            expected_state: None,
            decode_only: false,
            exchange: &exchange,
            nonce: None,
            fresh_clock: false,
            keep_refresh_token: None,
            env: &env,
        };
        let provider = provider.as_mut().map(|p| p as &mut dyn KeyProvider);
        return from_url::checked("-", opts, &args, ctx, provider).0;
    }
    verify::run_with("-", &args, ctx, &env, pasted)
}

/// A file of the page.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// A JSON answer.
fn json(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A short text answer.
fn text(status: StatusCode, body: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("jwtcheck ui: {body}\n"),
    )
        .into_response()
}
