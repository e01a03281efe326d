//! `jwtcheck diff A B`: two tokens compared for what they mean. With keys or a Hasura
//! configuration each token is judged (one key loader for both) and the verdicts lead; without,
//! both are only decoded.

use super::{Context, read_input};
use crate::cli::VerifyArgs;
use crate::cli::options::{self as config, KeySource, VerifyConfig};
use crate::inspect::diff::{self, Side};
use crate::jose::claimset::Claims;
use crate::jose::token;
use crate::judge::{self, verdict};
use crate::net::keys::Loader;
use crate::render;
use crate::report::{Id, Outcome, Report, Verdict};

/// Compares the tokens named by `a` and `b`; `json` picks the output form.
pub fn run(a: &str, b: &str, args: &VerifyArgs, json: bool, ctx: &mut Context<'_>) -> Outcome {
    let mut report = Report::new(ctx.now);
    if a == "-" && b == "-" {
        report.stop(
            Verdict::UsageError,
            Id::UsageArguments,
            "A and B cannot both be - (standard input)".into(),
            "give one of them as @FILE or as the token itself".into(),
        );
        return Outcome::Single(Box::new(report));
    }
    let env = |k: &str| std::env::var(k).ok();
    let config = match config::verify_config(args, ctx.max_input, &env) {
        Ok(c) => c,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return Outcome::Single(Box::new(report));
        }
    };
    let judged = config.hasura.is_some() || config.keys != KeySource::TokenIssuer;
    let mut loader = Loader::new(&config.fetch, ctx.system_now);
    let mut one = |label, arg| read_one(label, arg, &config, judged, &mut loader, ctx);
    let (ja, ra) = match one("A", a) {
        Ok(side) => side,
        Err(stop) => return stop,
    };
    let (jb, rb) = match one("B", b) {
        Ok(side) => side,
        Err(stop) => return stop,
    };
    let empty = serde_json::Map::new();
    let side_a = Side {
        header: &ja.header,
        claims: ja.claims().map_or(&empty, Claims::map),
        report: &ra,
    };
    let side_b = Side {
        header: &jb.header,
        claims: jb.claims().map_or(&empty, Claims::map),
        report: &rb,
    };
    let hasura = config.hasura.is_some();
    let d = diff::diff(&side_a, &side_b, judged, hasura, ctx.now);
    let code = d.exit_code();
    let stdout = if json {
        render::diff::json(&d, &ra, &rb)
    } else {
        render::diff::text(&d)
    };
    Outcome::Written {
        stdout,
        stderr: String::new(),
        code,
    }
}

/// Reads and judges (or decodes) one side; a side that cannot be compared is the outcome.
fn read_one(
    label: &str,
    arg: &str,
    config: &VerifyConfig,
    judged: bool,
    loader: &mut Loader,
    ctx: &mut Context<'_>,
) -> Result<(token::Jws, Report), Outcome> {
    let mut report = Report::new(ctx.now);
    let Some(input) = read_input(arg, ctx, &mut report) else {
        return Err(stopped(label, report));
    };
    if judged {
        judge::judge(
            &input.text,
            &input.wrapper,
            config,
            loader,
            ctx.now,
            &mut report,
        );
    } else if let Some(jws) = judge::decode_into(&input.text, ctx.now, &mut report) {
        verdict::conclude(&mut report, verdict::Basis::Decoded(&jws), ctx.now);
    }
    if matches!(
        report.verdict,
        Verdict::UsageError | Verdict::Undecidable | Verdict::Malformed
    ) {
        return Err(stopped(label, report));
    }
    // The judge read it, so it parses; a failure here keeps the report as it is.
    match token::parse(&input.text) {
        Ok(jws) => Ok((jws, report)),
        Err(_) => Err(stopped(label, report)),
    }
}

/// A side that cannot be compared ends the run with its own report, named.
fn stopped(label: &str, mut report: Report) -> Outcome {
    report.summary = format!("{label}: {}", report.summary);
    Outcome::Single(Box::new(report))
}
