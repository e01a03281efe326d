//! Hasura DDN's verdict under an AuthConfig: the keys it names (or the key flags standing in for
//! them), then DDN's engine model.

use std::sync::Arc;

use super::keys::{self, KeyError, KeyProvider, Loaded, Refetch};
use super::{Case, Reached, intake, kid_missing, nothing_usable, stand_in_note, stop_on_key_error};
use crate::hasura::ddn::{self, DdnConfig, DdnKey, DdnKeys};
use crate::hasura::evaluation::{Evaluation, Request};
use crate::inspect;
use crate::jose::claims;
use crate::report::{Id, Report, Status, Verdict};
use crate::settings::{HasuraSetup, KeySource, VerifyConfig};

/// DDN's verdict into the report.
pub(super) fn judge(
    case: &Case<'_>,
    setup: &HasuraSetup,
    cfg: &DdnConfig,
    provider: &mut dyn KeyProvider,
    report: &mut Report,
) -> Reached {
    let config = case.config;
    let request = &Request {
        token: case.text,
        wrapper: case.wrapper,
        role: setup.role.as_deref(),
    };
    report.leeway = Some(cfg.leeway() as f64);
    let parsed = intake::parse_into(case.text, case.now, report);
    let overridden = config.keys != KeySource::TokenIssuer;
    let mut notes = Vec::new();
    let mut first = |p: &mut dyn KeyProvider, fresh: bool| load(cfg, config, p, fresh);
    let first = keys::load(provider, &mut first, &mut notes);
    report.checks.extend(notes);
    let mut loaded = match first {
        Ok(l) => l,
        Err(e) => return unavailable(e, case, cfg, request, parsed, report),
    };
    let evaluate = |l: &Loaded| {
        ddn::evaluate(
            cfg,
            DdnKeys {
                keys: &l.set.keys,
                document: if overridden { None } else { l.raw.as_deref() },
                unsuccessful: None,
                undecodable: None,
            },
            request,
            case.now,
        )
    };
    let mut eval = evaluate(&loaded);
    // DDN fetches the key set on every request: a kid the cached set lacks is looked up afresh.
    let key_failed = eval
        .checks
        .iter()
        .any(|c| c.id == Id::Key && c.status == Status::Fail);
    if key_failed
        && kid_missing(parsed.as_ref(), &loaded)
        && Refetch::worth(loaded.cached, provider)
    {
        match load(cfg, config, provider, true) {
            Ok(fresh) => {
                loaded = fresh;
                eval = evaluate(&loaded);
                report.checks.push(Refetch::KidMiss.note());
            }
            Err(e) => return unavailable(e, case, cfg, request, parsed, report),
        }
    }
    if refused_early(&eval) {
        return super::v2::refused(eval, parsed, report);
    }
    if let Some((message, hint)) = unusable(&eval, &loaded, parsed.as_ref()) {
        report.checks.extend(eval.checks);
        report.hasura = Some(eval.info);
        report.key_source = Some(loaded.source_info());
        report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
        return Reached::Stopped;
    }
    record(case, eval, &loaded, parsed, report)
}

/// The key or signature step failed because jwtcheck can use none of the keys that could verify
/// the token (what it says then); not when DDN's library refuses the set as a whole, which is
/// DDN's answer (500), whatever jwtcheck reads.
fn unusable(
    eval: &Evaluation,
    loaded: &Loaded,
    jws: Option<&crate::jose::token::Jws>,
) -> Option<(String, String)> {
    let key_failed = eval
        .checks
        .iter()
        .any(|c| matches!(c.id, Id::Key | Id::Signature) && c.status == Status::Fail);
    let set_refused = loaded
        .raw
        .as_deref()
        .and_then(crate::hasura::ddn::jwks::refusal)
        .is_some();
    if !key_failed || set_refused {
        return None;
    }
    nothing_usable(loaded, jws)
}

/// The keys could not be had. A key set URL that answered without a key set gets DDN's own
/// answer (it gets the same on every request); otherwise the report stops with DDN's words.
fn unavailable(
    e: KeyError,
    case: &Case<'_>,
    cfg: &DdnConfig,
    request: &Request<'_>,
    parsed: Option<crate::jose::token::Jws>,
    report: &mut Report,
) -> Reached {
    let url = match &cfg.key {
        DdnKey::JwkFromUrl(url) if case.config.keys == KeySource::TokenIssuer => Some(url),
        _ => None,
    };
    // What the URL answered, DDN gets too: a non-success status, or a body that is not JSON.
    let undecodable = match &e {
        KeyError::Unavailable {
            id: Id::FetchInvalidJson,
            message,
            ..
        } => Some(message.as_str()),
        _ => None,
    };
    // An empty set parses: DDN then finds no key for any kid.
    let empty = serde_json::json!({"keys": []});
    let is_empty = matches!(
        &e,
        KeyError::Unavailable {
            id: Id::KeysEmpty,
            ..
        }
    );
    if url.is_some() && (e.status().is_some() || undecodable.is_some() || is_empty) {
        let keys = DdnKeys {
            keys: &[],
            document: is_empty.then_some(&empty),
            unsuccessful: e.status(),
            undecodable,
        };
        let eval = ddn::evaluate(cfg, keys, request, case.now);
        if eval.error.is_some() {
            return super::v2::refused(eval, parsed, report);
        }
    }
    let tail = match (&e, url) {
        (KeyError::Unavailable { id, .. }, Some(u)) => {
            Some(ddn::jwks::fetch_hint(*id, e.status(), u))
        }
        _ => None,
    };
    stop_on_key_error(e, report, tail);
    Reached::Stopped
}

/// DDN's checks and the evidence into the report, with the token's own notes.
fn record(
    case: &Case<'_>,
    eval: Evaluation,
    loaded: &Loaded,
    parsed: Option<crate::jose::token::Jws>,
    report: &mut Report,
) -> Reached {
    let config = case.config;
    let overridden = config.keys != KeySource::TokenIssuer;
    report.checks.extend(loaded.notes.iter().cloned());
    if overridden && config.note_key_override {
        report.checks.push(stand_in_note(loaded, true));
    }
    report.checks.extend(eval.checks);
    let Some(jws) = parsed else {
        // Not a JWS to jwtcheck: the run is malformed, with DDN's own answer as evidence.
        report.hasura = Some(eval.info);
        return Reached::Stopped;
    };
    report.checks.extend(inspect::lint_checks(&jws));
    if let Some(c) = jws.claims() {
        report
            .checks
            .extend(claims::cognito_checks(c, &config.rules));
        let skew = report.leeway.unwrap_or(0.0);
        report.checks.extend(claims::max_age_check(
            c,
            &config.rules,
            (skew, "allowedSkew"),
            case.now,
        ));
    }
    report.key = eval.key.map(|mut k| {
        k.fetched = loaded.fetched.clone();
        k
    });
    report.key_source = Some(loaded.source_info());
    report.hasura = Some(eval.info);
    Reached::Judged(jws)
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
    provider: &mut dyn KeyProvider,
    fresh: bool,
) -> Result<Arc<Loaded>, KeyError> {
    match (&config.keys, &cfg.key) {
        (KeySource::TokenIssuer, DdnKey::Fixed { algorithm, key, .. }) => {
            let source = "the AuthConfig's fixed key".to_string();
            Ok(Arc::new(match ddn::fixed_key(algorithm, key) {
                Some(k) => keys::single(k, source),
                None => keys::empty(source),
            }))
        }
        (KeySource::TokenIssuer, DdnKey::JwkFromUrl(url)) => provider.key_set(url, fresh),
        (keys, _) => provider.keys(keys, None, fresh),
    }
}
