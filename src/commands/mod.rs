//! Running a command: read inputs, call the pure core, fill in the report.
//!
//! Each command is one file; this one holds what they share.

use crate::report::Id;
use std::io::Read;

use crate::cli::{Cli, Command};
use crate::clock;
use crate::input::{self, InputError};
use crate::report::{Outcome, Report, Verdict};

mod batch;
mod check;
mod decode;
mod diff;
mod explain;
mod from_url;
mod generate;
mod hasura_config;
mod jwks;
mod keygen;
mod login;
mod mint;
mod refresh;
mod refresh_token;
mod serve_keys;
mod setup;
mod ui;
mod verify;

/// What a command needs from the outside world, passed in so the commands stay testable.
pub struct Context<'a> {
    /// The clock for time checks (already `--now` when given).
    pub now: f64,
    /// The system clock, for cache freshness (not affected by `--now`).
    pub system_now: f64,
    /// Standard input, for `-`.
    pub stdin: &'a mut dyn Read,
    /// Cap on input sizes.
    pub max_input: u64,
}

/// A variable of the process environment (what `--secret-env VAR` reads outside `ui`).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The system clock now (seconds since the epoch, with fractions).
pub fn system_now() -> f64 {
    let ts = jiff::Timestamp::now();
    ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9
}

/// Runs the parsed command line and returns what it found; `out` is standard output, for the
/// commands that stream (`verify --batch`).
pub fn run(
    cli: &Cli,
    stdin: &mut dyn Read,
    out: &mut dyn std::io::Write,
    system_now: f64,
) -> Outcome {
    let now = match clock_now(cli, system_now) {
        Ok(now) => now,
        Err(report) => return Outcome::Single(report),
    };
    let mut ctx = Context {
        now,
        system_now,
        stdin,
        max_input: cli.global.max_input,
    };
    let report = match &cli.command {
        Command::Decode { token } => decode::run(token, &mut ctx),
        Command::Verify { .. } => return verify_outcome(cli, &mut ctx, out),
        Command::FromUrl { .. } => from_url_outcome(cli, &mut ctx),
        Command::Jwks { .. } => return jwks_outcome(cli, &mut ctx, out),
        Command::HasuraConfig { .. } => return hasura_config_outcome(cli, &mut ctx),
        Command::Keygen(args) => keygen::run(args, &ctx),
        Command::Mint(args) => {
            let (report, token) = mint::run(args, &mut ctx);
            return Outcome::Printed {
                report: Box::new(report),
                token,
                brief: true,
            };
        }
        Command::ServeKeys(args) => serve_keys::run(args, cli.global.json, &ctx),
        Command::Login(login) => return login_outcome(login, &mut ctx),
        Command::Ui(args) => ui::run(args, cli.global.now.as_deref(), cli.global.json, &ctx),
        Command::Check { .. } => return check_outcome(cli, &mut ctx),
        Command::Setup(args) => return setup::run(args, cli.global.json, &ctx),
        Command::Refresh(args) => return refresh_outcome(args, &mut ctx),
        Command::Diff { a, b, verify } => {
            return diff::run(a, b, verify, cli.global.json, &mut ctx);
        }
        Command::Explain { id } => return explain::run(*id, cli.global.json, now),
        Command::Completions { shell } => return generate::completions(*shell),
        Command::Man { command } => return generate::man(command.as_deref(), now),
        Command::Schema => return generate::schema(),
    };
    Outcome::Single(Box::new(report))
}

/// `verify TOKEN`, or `verify --batch FILE|-` streaming to `out`.
fn verify_outcome(cli: &Cli, ctx: &mut Context<'_>, out: &mut dyn std::io::Write) -> Outcome {
    let Command::Verify {
        token,
        batch,
        jobs,
        field,
        no_memo,
        verify,
    } = &cli.command
    else {
        return Outcome::Single(Box::new(Report::new(ctx.now)));
    };
    let Some(source) = batch.as_deref() else {
        return Outcome::Single(Box::new(verify::run(
            token.as_deref().unwrap_or_default(),
            verify,
            ctx,
        )));
    };
    let opts = batch::Options {
        source,
        jobs: jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, usize::from),
            usize::from,
        ),
        json: cli.global.json,
        field: field.as_deref(),
        no_memo: *no_memo,
    };
    batch::run(&opts, verify, ctx, out)
}

/// `from-url URL`: the callback read, its code exchanged, its token verified (or only shown).
fn from_url_outcome(cli: &Cli, ctx: &mut Context<'_>) -> Report {
    let Command::FromUrl {
        url,
        token,
        state,
        decode,
        exchange,
        verify,
    } = &cli.command
    else {
        return Report::new(ctx.now);
    };
    let opts = from_url::Options {
        choice: *token,
        expected_state: state.as_deref(),
        decode_only: *decode,
        exchange,
        nonce: None,
        fresh_clock: false,
        keep_refresh_token: None,
        env: &process_env,
    };
    from_url::run(url, opts, verify, ctx)
}

/// `jwks SOURCE`, or `jwks URL --watch` streaming to `out`.
fn jwks_outcome(cli: &Cli, ctx: &mut Context<'_>, out: &mut dyn std::io::Write) -> Outcome {
    let Command::Jwks {
        source,
        fetch,
        watch,
        interval,
        hasura,
    } = &cli.command
    else {
        return Outcome::Single(Box::new(Report::new(ctx.now)));
    };
    if !*watch {
        return Outcome::Single(Box::new(jwks::run(source, fetch, hasura, ctx)));
    }
    let args = jwks::WatchArgs {
        source,
        fetch,
        hasura,
        interval: interval.as_deref(),
        json: cli.global.json,
    };
    jwks::watch(&args, ctx, out)
}

/// `hasura-config`.
fn hasura_config_outcome(cli: &Cli, ctx: &mut Context<'_>) -> Outcome {
    let Command::HasuraConfig {
        config,
        hasura_config_env: _,
        to,
        ddn_compatibility_date,
    } = &cli.command
    else {
        return Outcome::Single(Box::new(Report::new(ctx.now)));
    };
    // clap requires CONFIG unless --hasura-config-env is given.
    let from = match config {
        Some(arg) => hasura_config::From::Arg(arg),
        None => hasura_config::From::Environment,
    };
    hasura_config::run(
        from,
        *to,
        ddn_compatibility_date.as_deref(),
        cli.global.json,
        ctx,
    )
}

/// `check`.
fn check_outcome(cli: &Cli, ctx: &mut Context<'_>) -> Outcome {
    let Command::Check {
        hasura,
        tokens,
        callback_urls,
        jwks,
        policy,
        fetch,
        strict,
        max_age,
        format: _,
    } = &cli.command
    else {
        return Outcome::Single(Box::new(Report::new(ctx.now)));
    };
    let args = check::CheckArgs {
        hasura,
        tokens,
        callback_urls,
        jwks: jwks.as_deref(),
        policy,
        fetch,
        strict: *strict,
        max_age: max_age.as_deref(),
    };
    Outcome::Check(Box::new(check::run(&args, ctx)))
}

/// Refreshes and checks the token; with `--print`, the token goes to stdout apart from the
/// report.
fn refresh_outcome(args: &crate::cli::RefreshArgs, ctx: &mut Context<'_>) -> Outcome {
    let opts = refresh::Options {
        domain: &args.domain,
        token_file: args.refresh_token_file.as_deref(),
        token_env: args.refresh_token_env.as_deref(),
        client_secret_env: args.client_secret_env.as_deref(),
        client_secret_file: args.client_secret_file.as_deref(),
    };
    let (report, token) = refresh::run(&opts, args.print, &args.verify, ctx);
    match args.print {
        Some(_) => Outcome::Printed {
            report: Box::new(report),
            token,
            brief: false,
        },
        None => Outcome::Single(Box::new(report)),
    }
}

/// Signs in and checks the token; with `--print`, the token goes to stdout apart from the report.
fn login_outcome(args: &crate::cli::LoginArgs, ctx: &mut Context<'_>) -> Outcome {
    let opts = login::Options {
        domain: &args.domain,
        scope: &args.scope,
        port: args.port,
        no_browser: args.no_browser,
        identity_provider: args.identity_provider.as_deref(),
        wait: args.wait,
        client_secret_env: args.client_secret_env.as_deref(),
        client_secret_file: args.client_secret_file.as_deref(),
        save_refresh_token: args.save_refresh_token.as_deref(),
        force: args.force,
    };
    let (report, token) = login::run(&opts, args.print, &args.verify, ctx);
    match args.print {
        Some(_) => Outcome::Printed {
            report: Box::new(report),
            token,
            brief: false,
        },
        None => Outcome::Single(Box::new(report)),
    }
}

/// The time to judge at: `--now`, or the system clock; a bad `--now` is a stopped report.
fn clock_now(cli: &Cli, system_now: f64) -> Result<f64, Box<Report>> {
    now_from(cli.global.now.as_deref(), system_now)
}

/// The time to judge at: `now` (as `--now` reads it), or the system clock; a bad one is a
/// stopped report.
fn now_from(now: Option<&str>, system_now: f64) -> Result<f64, Box<Report>> {
    match now {
        None => Ok(system_now),
        Some(text) => clock::parse(text, system_now).map_err(|e| {
            let mut report = Report::new(system_now);
            report.stop(
                Verdict::UsageError,
                Id::UsageNow,
                format!("--now: {e}"),
                e.hint().to_string(),
            );
            Box::new(report)
        }),
    }
}

/// Reads an input argument; a failure ends the report (unreadable: usage error; too large or not
/// text: malformed).
pub fn read_input(arg: &str, ctx: &mut Context<'_>, report: &mut Report) -> Option<input::Input> {
    match input::read(arg, ctx.max_input, ctx.stdin) {
        Ok(i) => Some(i),
        Err(e) => {
            let verdict = match e {
                InputError::Read { .. } => Verdict::UsageError,
                InputError::TooLarge { .. } | InputError::NotText { .. } => Verdict::Malformed,
            };
            report.stop(verdict, e.id(), e.to_string(), e.hint());
            None
        }
    }
}
