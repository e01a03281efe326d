//! `jwtcheck verify TOKEN`: is this token genuine and currently valid for this issuer and
//! audience?

use super::{Context, hasura_default_into, parse_into, payload_not_claims, read_input};
use crate::cache::{Cache, Mode, Origin};
use crate::cli::VerifyArgs;
use crate::config::{self, VerifyConfig};
use crate::fetch::Fetcher;
use crate::inspect;
use crate::keysource::{KeyError, Loaded, Loader};
use crate::report::{Check, Report, Verdict};
use crate::token::Jws;
use crate::verify::{self, Keys};

/// Verifies the token named by `arg`.
pub fn run(arg: &str, args: &VerifyArgs, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let config = match config::verify_config(args, &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return report;
        }
    };
    let Some(input) = read_input(arg, ctx, &mut report) else {
        return report;
    };
    verify_into(&input.text, &config, ctx, &mut report);
    report
}

/// Verifies `text` under `config` into the report (shared with `from-url`).
pub fn verify_into(text: &str, config: &VerifyConfig, ctx: &Context<'_>, report: &mut Report) {
    report.checks.extend(config.notes.iter().cloned());
    report.leeway = Some(config.rules.leeway);
    let Some(jws) = parse_into(text, ctx.now, report) else {
        return;
    };
    let token_iss = jws
        .claims()
        .and_then(|c| c.get("iss"))
        .and_then(|v| v.as_str());
    let mut loader = Loader {
        fetcher: Fetcher::new(config.fetch.timeout),
        cache: Cache::new(config.fetch.cache_dir.clone(), config.fetch.mode),
        now: ctx.system_now,
        cognito_endpoint: std::env::var(crate::keysource::COGNITO_ENDPOINT_ENV).ok(),
    };
    let mut loaded = match loader.load(&config.keys, token_iss, false) {
        Ok(l) => l,
        Err(e) => {
            hasura_default_into(&jws, report);
            stop_on_key_error(e, report);
            return;
        }
    };
    let mut rules = config.rules.clone();
    if rules.issuers.is_empty()
        && let Some(iss) = &loaded.issuer
    {
        rules.issuers = vec![iss.clone()];
        if rules.issuer_origin.is_none() && !rules.issuer_from_token {
            rules.issuer_origin = Some("from discovery".into());
        }
    }
    let mut outcome = verify::verify(&jws, &keys(&loaded), &rules, ctx.now);
    let cached = matches!(
        loaded.document.as_ref().map(|d| d.origin),
        Some(Origin::Cache { .. } | Origin::Revalidated)
    );
    if outcome.kid_miss && cached && loader.cache.mode() != Mode::Offline {
        // The issuer may have rotated its keys since they were cached: ask once more.
        match loader.load(&config.keys, token_iss, true) {
            Ok(fresh) => {
                loaded = fresh;
                outcome = verify::verify(&jws, &keys(&loaded), &rules, ctx.now);
                report.checks.push(Check::new(
                    "key",
                    crate::report::Status::Skip,
                    "the token's kid was not in the cached key set, so it was fetched again",
                ));
            }
            Err(e) => {
                stop_on_key_error(e, report);
                return;
            }
        }
    }
    report.checks.extend(loaded.notes.iter().cloned());
    report.checks.extend(outcome.checks);
    report.checks.extend(inspect::lint_checks(&jws));
    report.key = outcome.key;
    hasura_default_into(&jws, report);
    if payload_not_claims(&jws, report) {
        return;
    }
    finish(report, &jws, ctx.now);
}

fn keys(loaded: &Loaded) -> Keys<'_> {
    Keys {
        set: &loaded.set,
        provenance: loaded.provenance,
        source: loaded.source.clone(),
        fetched: loaded.fetched.clone(),
    }
}

fn stop_on_key_error(e: KeyError, report: &mut Report) {
    match e {
        KeyError::Usage(u) => report.stop(Verdict::UsageError, u.id, u.message, u.hint),
        KeyError::Unavailable { id, message, hint } => {
            report
                .checks
                .push(Check::fail("key", message.clone(), hint.clone()));
            report.stop(
                Verdict::Undecidable,
                &id,
                format!("cannot get the keys: {message}"),
                hint,
            );
        }
    }
}

/// Sets the verdict of a verified report.
fn finish(report: &mut Report, jws: &Jws, now: f64) {
    if let Some(fail) = report.first_failure() {
        let message = fail.message.clone();
        report.verdict = Verdict::Invalid;
        report.summary = message;
    } else {
        report.verdict = Verdict::Valid;
        let by = report
            .key
            .as_ref()
            .map(|k| match &k.kid {
                Some(kid) => format!(" by key {kid}"),
                None => String::new(),
            })
            .unwrap_or_default();
        report.summary = format!(
            "{}; signature verified{by}",
            super::describe_token(jws, now)
        );
    }
}
