//! `jwtcheck refresh`: the refresh-token grant at the pool's token endpoint, then the new tokens
//! checked as `login` checks them. The refresh token is read from a file or a variable, never
//! from an argument, and never shown; a rotated one replaces the file atomically.

use std::path::Path;

use super::Context;
use super::from_url;
use super::refresh_token;
use crate::cli::options as config;
use crate::cli::{ExchangeArgs, TokenChoice, VerifyArgs};
use crate::cognito::token_endpoint::{self, Answer, RefreshToken};
use crate::judge;
use crate::net::fetch::{FetchError, Fetcher};
use crate::net::keys::Loader;
use crate::report::{Check, Id, Report, Verdict};

/// The largest refresh token file read (Cognito's are a few KiB).
const MAX_TOKEN_FILE: u64 = 64 * 1024;

/// The flags of `refresh` besides the verify flags.
pub struct Options<'a> {
    /// The Hosted UI / managed login domain.
    pub domain: &'a str,
    /// `--refresh-token-file`.
    pub token_file: Option<&'a Path>,
    /// `--refresh-token-env`.
    pub token_env: Option<&'a str>,
    /// The client secret's variable.
    pub client_secret_env: Option<&'a str>,
    /// The client secret's file.
    pub client_secret_file: Option<&'a Path>,
}

/// Refreshes and checks the id token (or the access token `print` asks for); returns the report
/// and that token.
pub fn run(
    opts: &Options<'_>,
    print: Option<TokenChoice>,
    args: &VerifyArgs,
    ctx: &mut Context<'_>,
) -> (Report, Option<String>) {
    let mut report = Report::new(ctx.now);
    let config = match config::verify_config(args, ctx.max_input, &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return (report, None);
        }
    };
    let request = match request(opts, args) {
        Ok(r) => r,
        Err((id, message, hint)) => {
            report.stop(Verdict::UsageError, id, message, hint);
            return (report, None);
        }
    };
    let (refresh, secret) = request;
    let url = token_endpoint::url(opts.domain);
    let tokens = match grant(&url, &refresh, secret.as_deref(), config.fetch.timeout) {
        Ok(tokens) => tokens,
        Err((id, message, hint)) => {
            failed(&mut report, id, message, hint);
            return (report, None);
        }
    };
    let choice = print.unwrap_or(TokenChoice::Id);
    let (field, token) = match choice {
        TokenChoice::Id => ("id_token", tokens.id_token.clone()),
        TokenChoice::Access => ("access_token", tokens.access_token.clone()),
    };
    let Some(token) = token else {
        let message = format!(
            "the token endpoint returned {}, and no {field}",
            tokens.received()
        );
        let hint = "a refresh returns an id token only when the sign-in had the openid scope; --print access checks the access token".to_string();
        failed(&mut report, Id::RefreshGrant, message, hint);
        return (report, None);
    };
    report.checks.push(Check::pass(
        Id::RefreshGrant,
        format!("refreshed at {url}: {} received", tokens.received()),
    ));
    if let Some(rotated) = &tokens.refresh_token
        && rotated != &refresh.refresh_token
    {
        report.checks.push(rotation(opts, rotated));
    }
    // The tokens were issued after jwtcheck started: read the clock again (unless --now pins it).
    if ctx.now == ctx.system_now {
        ctx.system_now = super::system_now();
        ctx.now = ctx.system_now;
        report.now = crate::report::moment(ctx.now, ctx.now);
    }
    let mut loader = Loader::new(&config.fetch, ctx.system_now);
    judge::judge(
        &token,
        &crate::input::Wrapper::None,
        &config,
        &mut loader,
        ctx.now,
        &mut report,
    );
    (report, Some(token))
}

type Problem = (Id, String, String);

/// The refresh-token grant posted to the token endpoint at `url` (with the client secret as
/// HTTP Basic when there is one): the tokens, or why there are none.
fn grant(
    url: &str,
    refresh: &token_endpoint::Refresh,
    secret: Option<&str>,
    timeout: std::time::Duration,
) -> Result<token_endpoint::Tokens, Problem> {
    let form = refresh.form();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut fetcher = Fetcher::new(timeout);
    let basic = secret.map(|s| (refresh.client_id.as_str(), s));
    match fetcher.post_form(url, &pairs, basic) {
        Ok((status, body)) => match token_endpoint::refreshed(status, &body, refresh) {
            Answer::Tokens(t) => Ok(t),
            Answer::Refused { message, hint } => Err((Id::RefreshGrant, message, hint)),
        },
        Err(FetchError::TooLarge { limit, .. }) => Err((
            Id::FetchTooLarge,
            format!(
                "the token endpoint {url} answered more than {limit} bytes; a token answer is a few KiB"
            ),
            "check --domain: this is not a token endpoint's answer".to_string(),
        )),
        Err(e) => Err((
            e.id(),
            format!("cannot reach the token endpoint {url}: {e}"),
            e.hint(),
        )),
    }
}

/// The grant's request and the client secret to send.
fn request(
    opts: &Options<'_>,
    args: &VerifyArgs,
) -> Result<(token_endpoint::Refresh, Option<String>), Problem> {
    if let Err(e) = token_endpoint::check_domain(opts.domain) {
        return Err((Id::UsageDomain, e.to_string(), e.hint().into()));
    }
    let Some(client_id) = args.claims.client_id.first() else {
        return Err((
            Id::UsageClientId,
            "refresh needs --client-id: the app client the refresh token was issued to".into(),
            "add --client-id APP_CLIENT_ID".into(),
        ));
    };
    let exchange = ExchangeArgs {
        client_secret_env: opts.client_secret_env.map(str::to_string),
        client_secret_file: opts.client_secret_file.map(Path::to_path_buf),
        ..ExchangeArgs::default()
    };
    let secret = from_url::client_secret(&exchange)
        .map_err(|(message, hint)| (Id::UsageUnreadable, message, hint))?;
    let text = match (opts.token_file, opts.token_env) {
        (Some(path), _) => crate::input::read_file(path, MAX_TOKEN_FILE)
            .map_err(|e| (Id::UsageRefreshToken, e.to_string(), e.hint()))?,
        (None, Some(var)) => std::env::var(var).map_err(|_| {
            (
                Id::UsageRefreshToken,
                format!("--refresh-token-env: {var} is not set"),
                format!("export {var} with the refresh token, or use --refresh-token-file FILE"),
            )
        })?,
        (None, None) => {
            return Err((
                Id::UsageRefreshToken,
                "no refresh token: give --refresh-token-file FILE or --refresh-token-env VAR"
                    .into(),
                "jwtcheck login --save-refresh-token FILE keeps the one a sign-in returns".into(),
            ));
        }
    };
    let refresh_token = RefreshToken::new(&text);
    if refresh_token.expose().is_empty() || refresh_token.expose().contains(char::is_whitespace) {
        return Err((
            Id::UsageRefreshToken,
            "the refresh token is empty or holds more than one word".into(),
            "the file or variable holds the refresh token alone".into(),
        ));
    }
    Ok((
        token_endpoint::Refresh {
            refresh_token,
            client_id: client_id.clone(),
            secret_sent: secret.is_some(),
        },
        secret,
    ))
}

/// A rotated refresh token: written over `--refresh-token-file` (atomically), or a warning that
/// a variable cannot be updated.
fn rotation(opts: &Options<'_>, rotated: &RefreshToken) -> Check {
    let Some(path) = opts.token_file else {
        return Check::warn(
            Id::RefreshGrant,
            "the token endpoint rotated the refresh token (not shown): the one in --refresh-token-env stops working after the app client's grace period",
            "keep refresh tokens in a file with --refresh-token-file FILE: jwtcheck replaces it on each rotation",
        );
    };
    match refresh_token::save(path, rotated, true) {
        Ok(()) => Check::pass(
            Id::RefreshGrant,
            format!(
                "the token endpoint rotated the refresh token: the new one (not shown) replaced {}",
                path.display()
            ),
        ),
        Err(e) => Check::fail(
            Id::RefreshGrant,
            format!("the token endpoint rotated the refresh token, and it could not be saved: {e}"),
            "the old refresh token stops working after the app client's grace period: fix the file's folder and sign in again",
        ),
    }
}

/// Records a failed grant: the `refresh.grant` check fails and the report stops, undecidable (no
/// token came to judge).
fn failed(report: &mut Report, id: Id, message: String, hint: String) {
    report
        .checks
        .push(Check::fail(Id::RefreshGrant, message.clone(), hint.clone()));
    report.stop(Verdict::Undecidable, id, message, hint);
}
