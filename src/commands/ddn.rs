//! `verify` (and `from-url`, `check`) under a Hasura DDN AuthConfig: the keys the AuthConfig
//! names (or the key flags standing in for them), then DDN's engine model, into the report.

use super::{Context, parse_into};
use crate::cli::options::{HasuraSetup, KeySource, VerifyConfig};
use crate::hasura::ddn::{self, DdnConfig, DdnKey, DdnKeys};
use crate::hasura::engine::{Evaluation, Request};
use crate::inspect;
use crate::jose::claims;
use crate::jose::token::Jws;
use crate::net::keys::{self as keysource, KeyError, Loaded, Loader};
use crate::report::{Check, Id, Report, Status, Verdict};
use std::sync::Arc;

/// DDN's verdict into the report; the token when DDN's engine got as far as reading it.
pub(super) fn ddn_into(
    text: &str,
    wrapper: &crate::input::Wrapper,
    setup: &HasuraSetup,
    config: &VerifyConfig,
    loader: &mut Loader,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Jws> {
    let cfg = setup.ddn.as_deref()?;
    let request = &Request {
        token: text,
        wrapper,
        role: setup.role.as_deref(),
    };
    report.leeway = Some(cfg.leeway() as f64);
    let parsed = parse_into(request.token, ctx.now, report);
    let overridden = config.keys != KeySource::TokenIssuer;
    let mut loaded = load(cfg, config, loader, false, report)?;
    let judge = |l: &Loaded| {
        ddn::evaluate(
            cfg,
            DdnKeys {
                keys: &l.set.keys,
                document: if overridden { None } else { l.raw.as_deref() },
            },
            request,
            ctx.now,
        )
    };
    let mut eval = judge(&loaded);
    // DDN fetches the key set on every request: a kid the cached set lacks is looked up afresh.
    let kid_miss = eval
        .checks
        .iter()
        .any(|c| c.id == Id::Key && c.status == Status::Fail && c.message.starts_with("no key"));
    if kid_miss
        && loaded
            .fetched
            .as_deref()
            .is_some_and(|f| f.contains("cache"))
        && let Some(fresh) = load(cfg, config, loader, true, report)
    {
        loaded = fresh;
        eval = judge(&loaded);
    }
    if refused_early(&eval) {
        super::verify::engine_refused(eval, ctx, report);
        return None;
    }
    report.checks.extend(loaded.notes.iter().cloned());
    if overridden && config.note_key_override {
        report.checks.push(Check::warn(
            Id::Key,
            format!("keys from {} instead of the AuthConfig's", loaded.source),
            "the verdict holds for DDN only if it has these same keys",
        ));
    }
    report.checks.extend(eval.checks);
    let Some(jws) = parsed else {
        // Not a JWS to jwtcheck: the run is malformed, with DDN's own answer as evidence.
        report.hasura = Some(eval.info);
        return None;
    };
    report.checks.extend(inspect::lint_checks(&jws));
    if let Some(c) = jws.claims() {
        report
            .checks
            .extend(claims::cognito_checks(c, &config.rules));
    }
    report.key = eval.key.map(|mut k| {
        k.fetched = loaded.fetched.clone();
        k
    });
    report.hasura = Some(eval.info);
    Some(jws)
}

/// DDN answered before it read the token (no token where it looks): that is the verdict.
fn refused_early(eval: &Evaluation) -> bool {
    eval.checks
        .iter()
        .any(|c| c.id == Id::HasuraHeader && c.status == Status::Fail)
}

/// The AuthConfig's keys: the fixed key (an empty set when the library would refuse its text),
/// the `jwkFromUrl` set, or the key flags' keys.
fn load(
    cfg: &DdnConfig,
    config: &VerifyConfig,
    loader: &mut Loader,
    force: bool,
    report: &mut Report,
) -> Option<Arc<Loaded>> {
    let result = match (&config.keys, &cfg.key) {
        (KeySource::TokenIssuer, DdnKey::Fixed { algorithm, key, .. }) => {
            let source = "the AuthConfig's fixed key".to_string();
            Ok(Arc::new(match ddn::fixed_key(algorithm, key) {
                Some(k) => keysource::single(k, source),
                None => keysource::empty(source),
            }))
        }
        (KeySource::TokenIssuer, DdnKey::JwkFromUrl(url)) => {
            loader.remote_set(url, force).map(Arc::new)
        }
        (keys, _) => loader.load(keys, None, force),
    };
    match result {
        Ok(l) => Some(l),
        Err(KeyError::Usage(u)) => {
            report.stop(Verdict::UsageError, u.id, u.message, u.hint);
            None
        }
        Err(KeyError::Unavailable { id, message, hint }) => {
            let hint = match &cfg.key {
                DdnKey::JwkFromUrl(url) => format!(
                    "{hint}. DDN fetches {url} on every request and answers 500 (Error while fetching the JWKSet) while it cannot"
                ),
                DdnKey::Fixed { .. } => hint,
            };
            report.stop(Verdict::Undecidable, id, message, hint);
            None
        }
    }
}
