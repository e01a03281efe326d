//! `jwtcheck verify TOKEN`: is this token genuine and currently valid for this issuer and
//! audience, and, with a Hasura configuration, will Hasura accept it?

use super::{Context, read_input};
use crate::cli::VerifyArgs;
use crate::cli::options as config;
use crate::judge::{self, KeyProvider};
use crate::net::keys::Loader;
use crate::report::{Id, Report, Verdict};

/// Verifies the token named by `arg`.
pub fn run(arg: &str, args: &VerifyArgs, ctx: &mut Context<'_>) -> Report {
    run_with(arg, args, ctx, &super::process_env, |l| l)
}

/// Verifies the token named by `arg`, with `env` for the variables the flags name and `keys`
/// around the key loader (`ui` hands its page's secrets and pasted keys over this way, from
/// memory, never through the process environment or a file).
pub fn run_with<P: KeyProvider>(
    arg: &str,
    args: &VerifyArgs,
    ctx: &mut Context<'_>,
    env: &dyn Fn(&str) -> Option<String>,
    keys: impl FnOnce(Loader) -> P,
) -> Report {
    let mut report = Report::new(ctx.now);
    let config = match config::verify_config(args, ctx.max_input, env) {
        Ok(c) => c,
        Err(e) => {
            // A claims path the engine refuses: say where the member it names is in this token.
            let hint = match e.id {
                Id::HasuraStartup => path_advice(arg, args, env, ctx).unwrap_or(e.hint),
                _ => e.hint,
            };
            report.stop(Verdict::UsageError, e.id, e.message, hint);
            return report;
        }
    };
    let Some(input) = read_input(arg, ctx, &mut report) else {
        return report;
    };
    let mut loader = keys(Loader::new(&config.fetch, ctx.system_now));
    judge::judge(
        &input.text,
        &input.wrapper,
        &config,
        &mut loader,
        ctx.now,
        &mut report,
    );
    report
}

/// For a configuration refused over a claims path: the advice, with where the member the path
/// names is in the token the user gave.
fn path_advice(
    arg: &str,
    args: &VerifyArgs,
    env: &dyn Fn(&str) -> Option<String>,
    ctx: &mut Context<'_>,
) -> Option<String> {
    let source = config::hasura_source(&args.hasura);
    let cfg = crate::judge::startup::text(&source, &config::config_text, env).ok()??;
    let mut scratch = Report::new(ctx.now);
    let input = read_input(arg, ctx, &mut scratch)?;
    let token = crate::jose::token::parse(&input.text).ok()?;
    let claims = serde_json::Value::Object(token.claims()?.map().clone());
    let advice = crate::lint::config::path_advice(&cfg.text, Some(&claims))?;
    Some(format!("fix {}: {advice}", cfg.variable))
}
