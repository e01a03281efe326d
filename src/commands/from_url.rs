//! `jwtcheck from-url CALLBACK_URL`: what Cognito's Hosted UI / managed login sent back, then the
//! token it carries.

use super::{Context, read_input};
use crate::cli::options as config;
use crate::cli::{ExchangeArgs, TokenChoice, VerifyArgs};
use crate::cognito::token_endpoint;
use crate::input::callback::{self, Callback, Grant, Part};
use crate::judge::verdict;
use crate::judge::{self, KeyProvider, decode_into};
use crate::net::keys::Loader;
use crate::report::Id;
use crate::report::{CallbackInfo, CallbackParam, Check, Report, Verdict};

/// How `from-url` reads the callback.
pub struct Options<'a> {
    /// Which token to take.
    pub choice: TokenChoice,
    /// The state the app sent.
    pub expected_state: Option<&'a str>,
    /// Only decode.
    pub decode_only: bool,
    /// Exchanging a code callback's code.
    pub exchange: &'a ExchangeArgs,
    /// The nonce the sign-in sent (`login`).
    pub nonce: Option<&'a str>,
    /// Read the clock again after the exchange (`login` without `--now`: the token was issued
    /// after jwtcheck started).
    pub fresh_clock: bool,
    /// Where to write the refresh token the exchange returns, and whether to replace that file
    /// (`login --save-refresh-token FILE [--force]`).
    pub keep_refresh_token: Option<(&'a std::path::Path, bool)>,
    /// The variables the key flags name (`--secret-env`): the process environment, or the
    /// page's secret under `ui`.
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// Reads the callback URL named by `arg`, exchanges a code callback's code when a domain is
/// given, and checks the selected token.
pub fn run(arg: &str, opts: Options<'_>, args: &VerifyArgs, ctx: &mut Context<'_>) -> Report {
    let argv_verifier = opts.exchange.code_verifier.is_some() && !opts.decode_only;
    let mut report = checked(arg, opts, args, ctx, None).0;
    if argv_verifier {
        report.checks.push(config::argv_secret(
            "the PKCE code_verifier",
            "--code-verifier-env or --code-verifier-file",
        ));
    }
    report
}

/// As [`run`], with the token that was checked; `loader` is the key loader to judge with
/// (`login` loads the keys before it opens the browser), else a fresh one.
pub fn checked(
    arg: &str,
    opts: Options<'_>,
    args: &VerifyArgs,
    ctx: &mut Context<'_>,
    loader: Option<&mut dyn KeyProvider>,
) -> (Report, Option<String>) {
    let mut report = Report::new(ctx.now);
    let config = if opts.decode_only {
        None
    } else {
        match config::verify_config(args, ctx.max_input, opts.env) {
            Ok(mut c) => {
                // The nonce is in the id token only (Cognito's access tokens carry none).
                if opts.choice == TokenChoice::Id {
                    c.rules.nonce = opts.nonce.map(str::to_string);
                }
                Some(c)
            }
            Err(e) => {
                report.stop(Verdict::UsageError, e.id, e.message, e.hint);
                return (report, None);
            }
        }
    };
    let field = match opts.choice {
        TokenChoice::Id => "id_token",
        TokenChoice::Access => "access_token",
    };
    let Some(cb) = parsed_callback(arg, &opts, field, ctx, &mut report) else {
        return (report, None);
    };
    let Some((token, id_token)) =
        callback_token(&cb, &opts, args, config.as_ref(), field, ctx, &mut report)
    else {
        return (report, None);
    };
    let mut own = None;
    let mut loader: Option<&mut dyn KeyProvider> = match (loader, config.as_ref()) {
        (Some(l), _) => Some(l),
        (None, Some(c)) => Some(own.insert(Loader::new(&c.fetch, ctx.system_now))),
        (None, None) => None,
    };
    if let (Some(nonce), Some(c), Some(l), TokenChoice::Access) = (
        opts.nonce,
        config.as_ref(),
        loader.as_deref_mut(),
        opts.choice,
    ) && !sign_in_nonce(id_token.as_deref(), nonce, c, l, ctx, &mut report)
    {
        return (report, None);
    }
    verify_or_decode(&token, config.as_ref(), loader, ctx, &mut report);
    (report, Some(token))
}

/// `login --print access`: the nonce ties the id token, not the access token, to this sign-in
/// (Cognito's access tokens carry none), so the id token that came with the access token is
/// checked first, signature and nonce. `false` with the report stopped when it fails.
fn sign_in_nonce(
    id_token: Option<&str>,
    nonce: &str,
    config: &config::VerifyConfig,
    loader: &mut dyn KeyProvider,
    ctx: &Context<'_>,
    report: &mut Report,
) -> bool {
    let Some(id_token) = id_token else {
        report.checks.push(Check::warn(
            Id::CallbackNonce,
            "no id token came with the access token, so the sign-in's nonce was not checked",
            "add openid to --scope: the id token's nonce ties the tokens to this sign-in",
        ));
        return true;
    };
    let mut id_config = config.clone();
    id_config.hasura = None;
    id_config.policy = crate::policy::Policy::default();
    id_config.notes.clear();
    id_config.rules.token_use = None;
    id_config.rules.nonce = Some(nonce.to_string());
    let mut scratch = Report::new(ctx.now);
    judge::judge(
        id_token,
        &crate::input::Wrapper::None,
        &id_config,
        loader,
        ctx.now,
        &mut scratch,
    );
    match scratch.verdict {
        Verdict::Valid => {
            report.checks.push(Check::pass(
                Id::CallbackNonce,
                "nonce matches this sign-in (in the id token that came with the access token, whose signature was verified)",
            ));
            true
        }
        // The keys are out of reach: judging the access token says so.
        Verdict::Undecidable => true,
        _ => {
            let (id, message, hint) = match (scratch.first_failure(), &scratch.error) {
                (Some(c), _) => (
                    c.id,
                    c.message.to_string(),
                    c.hint.as_deref().unwrap_or_default().to_string(),
                ),
                (None, Some(e)) => (e.id, e.message.clone(), e.hint.clone()),
                (None, None) => (Id::CallbackNonce, scratch.summary.clone(), String::new()),
            };
            let message =
                format!("the id token that came with the access token fails {id}: {message}");
            report.checks.push(Check::fail(
                Id::CallbackNonce,
                message.clone(),
                hint.clone(),
            ));
            report.stop(Verdict::Invalid, Id::CallbackNonce, message, hint);
            false
        }
    }
}

/// The callback read from `arg`, with its details and checks in the report; `None` with the
/// report stopped when the input is not a callback URL.
fn parsed_callback(
    arg: &str,
    opts: &Options<'_>,
    field: &str,
    ctx: &mut Context<'_>,
    report: &mut Report,
) -> Option<Callback> {
    let input = read_input(arg, ctx, report)?;
    let cb = match callback::parse(&input.text) {
        Ok(cb) => cb,
        Err(e) => {
            report
                .checks
                .push(Check::fail(Id::Format, e.to_string(), e.hint()));
            report.stop(Verdict::Malformed, e.id(), e.to_string(), e.hint().into());
            return None;
        }
    };
    report.callback = Some(info(&cb, field));
    let exchanged =
        cb.grant() == Grant::Code && opts.exchange.domain.is_some() && !opts.decode_only;
    report
        .checks
        .extend(callback_checks(&cb, opts.expected_state, exchanged));
    Some(cb)
}

/// The token to check: the callback's own, or the one its code is exchanged for (never when
/// the state check failed), with the id token the exchange returned beside it; `None` with the
/// report stopped when there is none.
fn callback_token(
    cb: &Callback,
    opts: &Options<'_>,
    args: &VerifyArgs,
    config: Option<&config::VerifyConfig>,
    field: &str,
    ctx: &mut Context<'_>,
    report: &mut Report,
) -> Option<(String, Option<String>)> {
    let state_failed = report
        .checks
        .iter()
        .any(|c| c.id == Id::CallbackState && c.status == crate::report::Status::Fail);
    match (cb.grant(), &opts.exchange.domain, config) {
        // A code from another session (a forged callback) is never exchanged.
        (Grant::Code, Some(_), Some(_)) if state_failed => {
            report.stop(
                Verdict::Invalid,
                Id::CallbackState,
                "the callback's state is not the one sent, so its code was not exchanged".into(),
                "the callback belongs to another sign-in (or was forged): sign in again".into(),
            );
            None
        }
        (Grant::Code, Some(domain), Some(config)) => {
            let (tokens, url) = exchange(cb, domain, opts.exchange, args, config, report)?;
            let token = received(&tokens, field, &url, report)?;
            if let Some((path, replace)) = opts.keep_refresh_token {
                report
                    .checks
                    .push(super::refresh_token::keep(path, replace, &tokens));
            }
            if opts.fresh_clock {
                ctx.system_now = super::system_now();
                ctx.now = ctx.system_now;
                report.now = crate::report::moment(ctx.now, ctx.now);
            }
            Some((token, tokens.id_token))
        }
        _ => {
            if let Some((id, message, hint)) = dead_end(cb, field) {
                report.checks.push(Check::fail(
                    Id::CallbackToken,
                    message.clone(),
                    hint.clone(),
                ));
                report.stop(Verdict::Malformed, id, message, hint);
                return None;
            }
            // dead_end() returned None, so the selected token is present.
            let token = cb.get(field).unwrap_or_default().to_string();
            Some((token, cb.get("id_token").map(str::to_string)))
        }
    }
}

/// Verifies the token with `config`, or only decodes it (`--decode`).
fn verify_or_decode(
    token: &str,
    config: Option<&config::VerifyConfig>,
    loader: Option<&mut dyn KeyProvider>,
    ctx: &mut Context<'_>,
    report: &mut Report,
) {
    match (config, loader) {
        (Some(config), Some(loader)) => {
            judge::judge(
                token,
                &crate::input::Wrapper::None,
                config,
                loader,
                ctx.now,
                report,
            );
        }
        _ => {
            if let Some(jws) = decode_into(token, ctx.now, report) {
                verdict::conclude(report, verdict::Basis::Decoded(&jws), ctx.now);
            }
        }
    }
}

/// Exchanges the callback's code at the domain's token endpoint; the tokens and the endpoint's
/// URL, or `None` with the report stopped (the endpoint unreachable or refusing the code: exit 3,
/// undecidable, as nothing in the input is wrong and no token came to judge).
fn exchange(
    cb: &Callback,
    domain: &str,
    flags: &ExchangeArgs,
    args: &VerifyArgs,
    config: &config::VerifyConfig,
    report: &mut Report,
) -> Option<(token_endpoint::Tokens, String)> {
    if let Err(e) = token_endpoint::check_domain(domain) {
        report.stop(
            Verdict::UsageError,
            Id::UsageDomain,
            e.to_string(),
            e.hint().into(),
        );
        return None;
    }
    let (request, secret) = exchange_request(cb, flags, args, report)?;
    let url = token_endpoint::url(domain);
    let form = request.form();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut fetcher = crate::net::fetch::Fetcher::new(config.fetch.timeout);
    let basic = secret.as_deref().map(|s| (request.client_id.as_str(), s));
    let (status, body) = match fetcher.post_form(&url, &pairs, basic) {
        Ok(answer) => answer,
        // A key set's size is not the measure here.
        Err(crate::net::fetch::FetchError::TooLarge { limit, .. }) => {
            let message = format!(
                "the token endpoint {url} answered more than {limit} bytes; a token answer is a few KiB"
            );
            let hint = "check --domain: this is not a token endpoint's answer".to_string();
            exchange_failed(
                report,
                Verdict::Undecidable,
                Id::FetchTooLarge,
                message,
                hint,
            );
            return None;
        }
        Err(e) => {
            let message = format!("cannot reach the token endpoint {url}: {e}");
            exchange_failed(report, Verdict::Undecidable, e.id(), message, e.hint());
            return None;
        }
    };
    match token_endpoint::answer(status, &body, &request) {
        token_endpoint::Answer::Tokens(tokens) => Some((tokens, url)),
        token_endpoint::Answer::Refused { message, hint } => {
            let id = Id::CallbackExchange;
            exchange_failed(report, Verdict::Undecidable, id, message, hint);
            None
        }
    }
}

/// The token request for the callback's code, and the client secret to send; `None` with the
/// report stopped when the secret cannot be read or `--client-id` is missing.
fn exchange_request(
    cb: &Callback,
    flags: &ExchangeArgs,
    args: &VerifyArgs,
    report: &mut Report,
) -> Option<(token_endpoint::Exchange, Option<String>)> {
    let (secret, code_verifier) = match client_secret(flags).and_then(|s| Ok((s, verifier(flags)?)))
    {
        Ok(both) => both,
        Err((message, hint)) => {
            report.stop(Verdict::UsageError, Id::UsageUnreadable, message, hint);
            return None;
        }
    };
    let Some(client_id) = args.claims.client_id.first() else {
        report.stop(
            Verdict::UsageError,
            Id::UsageClientId,
            "--domain exchanges the code for the app client --client-id, which is missing".into(),
            "add --client-id APP_CLIENT_ID (the same the authorize request used)".into(),
        );
        return None;
    };
    let request = token_endpoint::Exchange {
        code: cb.get("code").unwrap_or_default().to_string(),
        redirect_uri: flags
            .redirect_uri
            .clone()
            .unwrap_or_else(|| cb.redirect_uri.clone()),
        client_id: client_id.clone(),
        code_verifier,
        secret_sent: secret.is_some(),
    };
    Some((request, secret))
}

/// The selected token from the endpoint's answer, with the exchange as a passed check; `None`
/// with the report stopped when the answer lacks it.
fn received(
    tokens: &token_endpoint::Tokens,
    field: &str,
    url: &str,
    report: &mut Report,
) -> Option<String> {
    let token = match field {
        "access_token" => tokens.access_token.clone(),
        _ => tokens.id_token.clone(),
    };
    let Some(token) = token else {
        let message = format!(
            "the token endpoint returned {}, and no {field}",
            tokens.received()
        );
        let hint = "an id token comes only with the openid scope: add it to the authorize request";
        exchange_failed(
            report,
            Verdict::Undecidable,
            Id::CallbackExchange,
            message,
            hint.into(),
        );
        return None;
    };
    report.checks.push(Check::pass(
        Id::CallbackExchange,
        format!(
            "the code was exchanged at {url}: {} received",
            tokens.received()
        ),
    ));
    Some(token)
}

/// Records a failed exchange: the `callback.exchange` check fails and the report stops.
fn exchange_failed(report: &mut Report, verdict: Verdict, id: Id, message: String, hint: String) {
    report.checks.push(Check::fail(
        Id::CallbackExchange,
        message.clone(),
        hint.clone(),
    ));
    report.stop(verdict, id, message, hint);
}

/// The client secret from `--client-secret-env` / `--client-secret-file`, if one is given.
pub(super) fn client_secret(flags: &ExchangeArgs) -> Result<Option<String>, (String, String)> {
    if let Some(var) = &flags.client_secret_env {
        return std::env::var(var).map(Some).map_err(|_| {
            (
                format!("--client-secret-env: {var} is not set"),
                format!("export {var}, or drop the flag if the app client has no secret"),
            )
        });
    }
    if let Some(path) = flags
        .client_secret_file
        .as_deref()
        .map(crate::cli::options::file_arg)
    {
        return crate::input::read_file(&path, 64 * 1024)
            .map(|s| Some(s.trim().to_string()))
            .map_err(|e| (e.to_string(), e.hint()));
    }
    Ok(None)
}

/// The PKCE code_verifier from `--code-verifier-env`, `--code-verifier-file` or
/// `--code-verifier`, if one is given.
fn verifier(flags: &ExchangeArgs) -> Result<Option<String>, (String, String)> {
    if let Some(var) = &flags.code_verifier_env {
        return std::env::var(var).map(Some).map_err(|_| {
            (
                format!("--code-verifier-env: {var} is not set"),
                format!(
                    "export {var}, or drop the flag if the authorize request had no code_challenge"
                ),
            )
        });
    }
    if let Some(path) = &flags.code_verifier_file {
        return crate::input::read_file(path, 64 * 1024)
            .map(|s| Some(s.trim().to_string()))
            .map_err(|e| (e.to_string(), e.hint()));
    }
    Ok(flags.code_verifier.clone())
}

fn info(cb: &Callback, field: &str) -> CallbackInfo {
    CallbackInfo {
        grant: cb.grant(),
        redirect_uri: cb.redirect_uri.clone(),
        params: cb
            .params
            .iter()
            .map(|p| CallbackParam {
                name: p.name.clone(),
                value: shown(&p.name, &p.value),
                part: p.part,
            })
            .collect(),
        selected: cb.get(field).map(|_| field.to_string()),
    }
}

/// Tokens are long and sensitive: show their start and length only.
fn shown(name: &str, value: &str) -> String {
    if name.ends_with("_token") && value.len() > 24 {
        format!(
            "{}… ({} chars)",
            &value[..value.char_indices().nth(20).map_or(value.len(), |(i, _)| i)],
            value.len()
        )
    } else {
        value.to_string()
    }
}

/// The checks of the callback itself; `exchanged`: its code is about to be exchanged.
fn callback_checks(cb: &Callback, expected_state: Option<&str>, exchanged: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    match (expected_state, cb.get("state")) {
        (None, got) if exchanged => checks.push(Check::warn(
            Id::CallbackState,
            format!(
                "the state ({}) is not checked, and the code is exchanged: a code injected by someone else (a forged callback) would be exchanged as yours",
                got.map_or("none".to_string(), |g| format!("{g:?}"))
            ),
            "pass --state VALUE, the state your app sent with the authorize request",
        )),
        (Some(want), Some(got)) if callback::state_matches(Some(got), want) => {
            checks.push(Check::pass(Id::CallbackState, format!("state matches ({got})")));
        }
        (Some(want), Some(got)) => checks.push(Check::fail(
            Id::CallbackState,
            format!("state is {got:?}, expected {want:?}"),
            "the callback does not answer the sign-in request your app made (CSRF, a stale tab, or a mixed-up session); sign in again",
        )),
        (Some(want), None) => checks.push(Check::fail(
            Id::CallbackState,
            format!("no state in the callback, expected {want:?}"),
            "send state with the /oauth2/authorize request; Cognito returns it unchanged",
        )),
        (None, Some(got)) => checks.push(Check::skip(
            Id::CallbackState,
            format!("state {got:?} not checked (pass --state VALUE to check it)"),
        )),
        (None, None) => {}
    }
    for name in cb.repeated() {
        checks.push(Check::warn(
            Id::CallbackParams,
            format!("parameter {name} appears more than once; jwtcheck uses the first"),
            "a genuine Cognito callback names each parameter once",
        ));
    }
    if cb.grant() == Grant::Implicit {
        if cb.token_part() == Some(Part::Query) {
            checks.push(Check::warn(
                Id::CallbackParams,
                "tokens are in the query string, not the fragment",
                "Cognito's implicit grant returns tokens in the fragment (#…); tokens in a query reach server logs",
            ));
        }
        if let Some(tt) = cb.get("token_type")
            && !tt.eq_ignore_ascii_case("bearer")
        {
            checks.push(Check::warn(
                Id::CallbackParams,
                format!("token_type is {tt:?}, expected bearer"),
                "Hasura expects 'Authorization: Bearer <token>'",
            ));
        }
        if cb.get("refresh_token").is_some() {
            checks.push(Check::warn(
                Id::CallbackParams,
                "a refresh_token in a callback URL",
                "the implicit grant never returns refresh tokens; a refresh token in a URL leaks into browser history",
            ));
        }
    }
    checks
}

/// The callbacks that carry no usable token: each with its own id, message and hint.
fn dead_end(cb: &Callback, field: &str) -> Option<(Id, String, String)> {
    match cb.grant() {
        Grant::Error => {
            let error = cb.get("error").unwrap_or_default();
            let description = cb
                .get("error_description")
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            Some((
                Id::CallbackError,
                format!("Cognito returned an error instead of tokens: {error}{description}"),
                error_hint(error).to_string(),
            ))
        }
        Grant::Code => Some((
            Id::CallbackCode,
            "this is an authorization-code callback: it carries a code, not tokens".into(),
            exchange_hint(cb),
        )),
        Grant::Empty => Some((
            Id::CallbackEmpty,
            "no tokens in this URL (no id_token, access_token, code or error)".into(),
            "paste the address the browser landed on right after sign-in; with the implicit grant (response_type=token) the tokens are after '#'".into(),
        )),
        Grant::Implicit if cb.get(field).is_none() => {
            if field == "id_token" {
                Some((
                    Id::CallbackNoIdToken,
                    "the callback has an access token but no id_token".into(),
                    "Cognito returns an id token only when the openid scope is requested: add openid to scope in the /oauth2/authorize URL (and allow it on the app client), or check the access token with --token access".into(),
                ))
            } else {
                Some((
                    Id::CallbackNoAccessToken,
                    "the callback has no access_token".into(),
                    "use the default --token id".into(),
                ))
            }
        }
        Grant::Implicit => None,
    }
}

fn error_hint(error: &str) -> &'static str {
    match error {
        "invalid_request" => {
            "a parameter of the /oauth2/authorize request is missing or wrong (response_type, redirect_uri, code_challenge_method must be S256), or a federated identity provider failed"
        }
        "unauthorized_client" => {
            "this app client may not use this flow: enable the grant type (implicit or authorization code) in the app client's hosted UI settings"
        }
        "invalid_scope" => {
            "a requested scope is not allowed for this app client: check the scope parameter against the client's allowed scopes"
        }
        "server_error" => {
            "Cognito failed while signing in, often because a Lambda trigger (e.g. Pre Token Generation) threw or timed out: check the trigger's CloudWatch logs"
        }
        "access_denied" => "the user or a Lambda trigger denied the sign-in",
        _ => "see the error_description; sign in again after fixing the app client settings",
    }
}

fn exchange_hint(cb: &Callback) -> String {
    let code = cb.get("code").unwrap_or("<code>");
    let redirect = if cb.redirect_uri.is_empty() {
        "<redirect_uri>"
    } else {
        cb.redirect_uri.as_str()
    };
    format!(
        "exchange the code (valid 5 minutes, single use) at the token endpoint, then check the id_token from the response:\n\
         curl -X POST 'https://<your-domain>.auth.<region>.amazoncognito.com/oauth2/token' \\\n  \
         -H 'Content-Type: application/x-www-form-urlencoded' \\\n  \
         -d grant_type=authorization_code -d client_id=<app client id> \\\n  \
         -d code={code} -d redirect_uri={redirect}\n\
         (add -d code_verifier=<verifier> with PKCE, and -u <client id>:<client secret> for a client with a secret; \
         or switch the app client to the implicit grant to get tokens in the callback).\n\
         Or let jwtcheck exchange it: add --domain https://<your-domain>.auth.<region>.amazoncognito.com --client-id <app client id>"
    )
}
