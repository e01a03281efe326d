//! `jwtcheck login`: sign in through Cognito's managed login / Hosted UI with the code grant and
//! PKCE, receive the callback on a loopback listener, exchange the code and check the id token
//! exactly as `from-url` does (nonce included).

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Context;
use super::from_url;
use crate::cli::options::{self as config, KeySource};
use crate::cli::{ExchangeArgs, TokenChoice, VerifyArgs};
use crate::hasura::v2::config::KeyConfig;
use crate::net::keys::{KeyError, Loader};
use crate::net::listener::{self, ListenError};
use crate::report::{Check, Id, Report, Verdict};

/// The flags of `login` besides the verify flags.
pub struct Options<'a> {
    /// The Hosted UI / managed login domain.
    pub domain: &'a str,
    /// The scopes.
    pub scope: &'a str,
    /// The listener's port (0: any).
    pub port: u16,
    /// Only print the URL.
    pub no_browser: bool,
    /// A federated identity provider.
    pub identity_provider: Option<&'a str>,
    /// Seconds to wait for the sign-in.
    pub wait: u64,
    /// The client secret's variable.
    pub client_secret_env: Option<&'a str>,
    /// The client secret's file.
    pub client_secret_file: Option<&'a Path>,
    /// `--save-refresh-token FILE`.
    pub save_refresh_token: Option<&'a Path>,
    /// `--force`: replace that file.
    pub force: bool,
}

/// Signs in and checks the id token; returns the report and the token `print` asks for.
pub fn run(
    opts: &Options<'_>,
    print: Option<TokenChoice>,
    args: &VerifyArgs,
    ctx: &mut Context<'_>,
) -> (Report, Option<String>) {
    let mut report = Report::new(ctx.now);
    let Some(client_id) = client_and_domain(opts, args, &mut report) else {
        return (report, None);
    };
    let Some(mut loader) = keys_first(args, ctx, &mut report) else {
        return (report, None);
    };
    let Some(socket) = open_listener(opts.port, &mut report) else {
        return (report, None);
    };
    let port = socket.port();
    let redirect_uri = format!("http://localhost:{port}/callback");
    let Some(pkce) = Pkce::new(&mut report) else {
        return (report, None);
    };
    let Pkce {
        verifier,
        state,
        nonce,
    } = &pkce;
    let url = authorize_url(
        opts,
        client_id,
        &redirect_uri,
        &pkce.challenge(),
        state,
        nonce,
    );
    announce(opts, &redirect_uri, &url);
    let Some(waited) = callback_target(&socket, opts.wait, state, &redirect_uri, &mut report)
    else {
        return (report, None);
    };
    let target = waited.target;
    if carries_tokens(&target) {
        refuse_tokens(waited.ignored, &mut report);
        return (report, None);
    }
    let exchange = exchange_args(opts, verifier, redirect_uri);
    let from = from_url::Options {
        choice: print.unwrap_or(TokenChoice::Id),
        expected_state: Some(state),
        decode_only: false,
        exchange: &exchange,
        nonce: Some(nonce),
        // The token is issued after jwtcheck started: read the clock again (unless --now pins
        // it).
        fresh_clock: ctx.now == ctx.system_now,
        keep_refresh_token: opts.save_refresh_token.map(|p| (p, opts.force)),
        env: &super::process_env,
    };
    let (mut report, token) = from_url::checked(
        &format!("http://localhost:{port}{target}"),
        from,
        args,
        ctx,
        Some(&mut loader),
    );
    if let Some(check) = ignored_check(waited.ignored) {
        report.checks.push(check);
    }
    // The code is spent: `--print` still hands out the token when only its keys were out of
    // reach, and says it is unverified (exit 3).
    if report.verdict == Verdict::Undecidable && token.is_some() && print.is_some() {
        report
            .summary
            .push_str(" (the token on stdout was not verified)");
    }
    (report, token)
}

/// Says where to sign in (and opens the browser unless `--no-browser`), and how long jwtcheck
/// waits.
fn announce(opts: &Options<'_>, redirect_uri: &str, url: &str) {
    eprintln!("Allow this callback URL in the app client: {redirect_uri}");
    eprintln!("Sign in at:\n  {url}");
    if !opts.no_browser {
        open_browser(url);
    }
    eprintln!(
        "Waiting for the sign-in (up to {}s; Ctrl-C to stop)…",
        opts.wait
    );
}

/// The code exchange of this sign-in: the domain, the client secret, the PKCE verifier and
/// the callback URL.
fn exchange_args(opts: &Options<'_>, verifier: &str, redirect_uri: String) -> ExchangeArgs {
    ExchangeArgs {
        domain: Some(opts.domain.to_string()),
        client_secret_env: opts.client_secret_env.map(str::to_string),
        client_secret_file: opts.client_secret_file.map(Path::to_path_buf),
        code_verifier: Some(verifier.to_string()),
        code_verifier_env: None,
        code_verifier_file: None,
        redirect_uri: Some(redirect_uri),
    }
}

/// The callback listener on every address of `localhost`; `None` with the report stopped when
/// an address is taken.
fn open_listener(port: u16, report: &mut Report) -> Option<listener::Localhost> {
    match listener::bind_localhost(port) {
        Ok(s) => Some(s),
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::LoginListen,
                e.to_string(),
                "another program uses that address, and the browser may go to it instead (localhost is 127.0.0.1 and ::1): stop it, or pass --port with another port (and allow that callback URL), or --port 0".into(),
            );
            None
        }
    }
}

/// This sign-in's secrets: the PKCE verifier, the state and the nonce.
struct Pkce {
    verifier: String,
    state: String,
    nonce: String,
}

impl Pkce {
    /// Fresh random secrets; `None` with the report stopped when the system's random source
    /// fails.
    fn new(report: &mut Report) -> Option<Pkce> {
        let (Some(verifier), Some(state), Some(nonce)) = (random(32), random(16), random(16))
        else {
            report.stop(
                Verdict::UsageError,
                Id::LoginListen,
                "no randomness for PKCE, state and nonce".into(),
                "the system's random source failed".into(),
            );
            return None;
        };
        Some(Pkce {
            verifier,
            state,
            nonce,
        })
    }

    /// The S256 code challenge of the verifier.
    fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            self.verifier.as_bytes(),
        ))
    }
}

/// A callback that carries tokens where `login` asked for a code: refused.
fn refuse_tokens(ignored: usize, report: &mut Report) {
    let (message, hint) = tokens_refused();
    report.checks.extend(ignored_check(ignored));
    report
        .checks
        .push(Check::fail(Id::LoginGrant, message, hint));
    report.stop(
        Verdict::Invalid,
        Id::LoginGrant,
        message.into(),
        hint.into(),
    );
}

/// The keys, fetched before the browser opens: a key source that cannot be used would otherwise
/// show only after the single-use code was spent. Keys named by the token itself (its Cognito
/// pool, with no key flag) are known only after the sign-in. `None` with the report stopped.
fn keys_first(args: &VerifyArgs, ctx: &Context<'_>, report: &mut Report) -> Option<Loader> {
    let config = match config::verify_config(args, ctx.max_input, &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return None;
        }
    };
    let mut loader = Loader::new(&config.fetch, ctx.system_now);
    let loaded = match &config.hasura {
        _ if config.keys != KeySource::TokenIssuer => {
            loader.load(&config.keys, None, false).map(drop)
        }
        Some(hasura) => hasura
            .v2_configs()
            .iter()
            .filter_map(|c| match &c.key {
                KeyConfig::Url(url) => Some(url),
                KeyConfig::Static { .. } => None,
            })
            .try_for_each(|url| loader.remote_set(url, false).map(drop)),
        None => Ok(()),
    };
    match loaded {
        Ok(()) => Some(loader),
        Err(KeyError::Usage(e)) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            None
        }
        Err(KeyError::Unavailable {
            id, message, hint, ..
        }) => {
            let message = format!("cannot get the keys, so the sign-in was not started: {message}");
            let hint = format!(
                "{hint}; the sign-in (a single-use code) is kept for when the keys can be fetched"
            );
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(Verdict::Undecidable, id, message, hint);
            None
        }
    }
}

/// The app client id, with the domain checked; `None` with the report stopped when either is
/// unusable.
fn client_and_domain<'a>(
    opts: &Options<'_>,
    args: &'a VerifyArgs,
    report: &mut Report,
) -> Option<&'a String> {
    let Some(client_id) = args.claims.client_id.first() else {
        report.stop(
            Verdict::UsageError,
            Id::UsageClientId,
            "login needs the app client: --client-id".into(),
            "add --client-id APP_CLIENT_ID".into(),
        );
        return None;
    };
    if let Err(e) = crate::cognito::token_endpoint::check_domain(opts.domain) {
        report.stop(
            Verdict::UsageError,
            Id::UsageDomain,
            e.to_string(),
            e.hint().into(),
        );
        return None;
    }
    // Before the sign-in, not after it: a refresh token with nowhere to go is lost.
    if let Some(path) = opts.save_refresh_token
        && !opts.force
        && path.exists()
    {
        report.stop(
            Verdict::UsageError,
            Id::UsageRefreshToken,
            format!("--save-refresh-token {}: the file exists", path.display()),
            "--force replaces it, or name a new file".into(),
        );
        return None;
    }
    Some(client_id)
}

/// The request to `/callback` that carries this sign-in's state, and how many others were
/// ignored; `None` with the report stopped when none came in time or the listener failed.
fn callback_target(
    socket: &listener::Localhost,
    wait: u64,
    state: &str,
    redirect_uri: &str,
    report: &mut Report,
) -> Option<listener::Waited> {
    let state = state.to_string();
    let judge = std::sync::Arc::new(move |target: &str| reply(target, &state));
    match listener::wait(socket, "/callback", Duration::from_secs(wait), judge) {
        Ok(w) => Some(w),
        Err(ListenError::Timeout { waited, ignored }) => {
            let mut message = ListenError::Timeout { waited, ignored }.to_string();
            if let Some(check) = ignored_check(ignored) {
                message = format!("{message}; {}", check.message);
            }
            let hint = format!(
                "sign in at the URL above; if the browser showed an error, check that the app client allows {redirect_uri} as a callback URL and the code grant"
            );
            report
                .checks
                .push(Check::fail(Id::LoginTimeout, message.clone(), hint.clone()));
            // Nothing the user gave was malformed: no token came to judge (exit 3).
            report.stop(Verdict::Undecidable, Id::LoginTimeout, message, hint);
            None
        }
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::LoginListen,
                e.to_string(),
                "try again, or with --port 0".into(),
            );
            None
        }
    }
}

/// What the listener makes of a request to `/callback`: only this sign-in's state ends the
/// wait (with a code, an error, or tokens that are then refused); any other is answered 400 and
/// ignored, so a forged request cannot end the sign-in before the browser's.
fn reply(target: &str, state: &str) -> listener::Reply {
    let got = query_params(target)
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v);
    if crate::input::callback::state_matches(got.as_deref(), state) {
        listener::Reply::Done(page(target))
    } else {
        listener::Reply::Ignore(
            "Ignored: this answer does not carry the state of the sign-in jwtcheck is waiting for (a stale tab or a forged request). jwtcheck keeps waiting for its own."
                .into(),
        )
    }
}

/// The callbacks ignored for their state, as a warning; `None` when there were none.
fn ignored_check(ignored: usize) -> Option<Check> {
    let what = match ignored {
        0 => return None,
        1 => "1 request to the callback with another state (or none) was".to_string(),
        n => format!("{n} requests to the callback with another state (or none) were"),
    };
    Some(Check::warn(
        Id::CallbackState,
        format!("{what} ignored (answered 400)"),
        "something other than this sign-in's browser sent answers to the listener (a stale tab, or a forged request trying to end the sign-in)",
    ))
}

/// Cognito's `/oauth2/authorize` with the code grant, PKCE S256, state and nonce.
fn authorize_url(
    opts: &Options<'_>,
    client_id: &str,
    redirect_uri: &str,
    challenge: &str,
    state: &str,
    nonce: &str,
) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", opts.scope)
        .append_pair("state", state)
        .append_pair("nonce", nonce)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256");
    if let Some(idp) = opts.identity_provider {
        query.append_pair("identity_provider", idp);
    }
    format!(
        "{}/oauth2/authorize?{}",
        opts.domain.trim_end_matches('/'),
        query.finish()
    )
}

/// `bytes` random bytes, base64url: a PKCE verifier (32 bytes make 43 characters), a state, a
/// nonce.
pub(super) fn random(bytes: usize) -> Option<String> {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).ok()?;
    Some(URL_SAFE_NO_PAD.encode(buf))
}

/// `$BROWSER` when set, else the platform's opener; a browser that cannot be started leaves the
/// printed URL.
pub(super) fn open_browser(url: &str) {
    let program = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open".into()
            } else if cfg!(windows) {
                "explorer".into()
            } else {
                "xdg-open".into()
            }
        });
    if std::process::Command::new(program.trim())
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        // Written, not eprintln!: a closed stderr is no reason to stop.
        let _ = writeln!(
            std::io::stderr(),
            "(no browser could be opened: open the URL above yourself)"
        );
    }
}

/// The parameters of a request target's query.
fn query_params(target: &str) -> url::form_urlencoded::Parse<'_> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
}

/// Whether a callback carries tokens (an implicit-grant answer, or a forged one): `login` asks
/// for a code only. Tokens in a fragment never reach the listener (browsers keep it).
fn carries_tokens(target: &str) -> bool {
    query_params(target).any(|(k, _)| k == "id_token" || k == "access_token")
}

/// Why a callback carrying tokens is refused, and what to do.
fn tokens_refused() -> (&'static str, &'static str) {
    (
        "the callback carried tokens instead of a code: login takes only a code (it asked for the code grant with PKCE), so nothing was exchanged or checked",
        "sign in again; tokens sent straight to the callback skipped PKCE (a forged request, or a server that ignores response_type=code). To check an implicit-grant callback, paste it to jwtcheck from-url",
    )
}

/// The page the browser shows after the redirect.
fn page(target: &str) -> String {
    if carries_tokens(target) {
        return format!("Refused: {}.", tokens_refused().0);
    }
    let error = query_params(target)
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.into_owned());
    match error {
        Some(e) => format!("Sign-in failed: {e}. Back in the terminal, jwtcheck says why."),
        None => {
            "Signed in: you can close this tab; jwtcheck checks the token in the terminal.".into()
        }
    }
}
