//! jwtcheck's own rules (no engine configuration): the key flags' keys, the issuer and audience
//! rules, every check of `jose::verify`.

use std::borrow::Cow;

use super::keys::{self, KeyProvider, Loaded, Refetch};
use super::{Case, Reached, hasura_claims_into, intake, nothing_usable, stop_on_key_error};
use crate::inspect;
use crate::jose::claims::Rules;
use crate::jose::verify;
use crate::report::{Id, Report, Status, Verdict};

/// Parses, loads the keys (again once on an unknown `kid` in a cached set), verifies.
pub(super) fn judge(
    case: &Case<'_>,
    provider: &mut dyn KeyProvider,
    report: &mut Report,
) -> Reached {
    let config = case.config;
    report.leeway = Some(config.rules.leeway);
    let Some(jws) = intake::parse_into(case.text, case.now, report) else {
        return Reached::Stopped;
    };
    let token_iss = jws
        .claims()
        .and_then(|c| c.get("iss"))
        .and_then(|v| v.as_str());
    if !verify::keys_needed(&jws) {
        // alg none or unknown, crit, duplicated names: it fails whatever the keys say.
        let outcome = verify::verify(&jws, None, &config.rules, case.now);
        report.checks.extend(outcome.checks);
        report.checks.extend(inspect::lint_checks(&jws));
        return finish(jws, case, report);
    }
    let mut notes = Vec::new();
    let mut load = |p: &mut dyn KeyProvider, fresh: bool| p.keys(&config.keys, token_iss, fresh);
    let mut loaded = match keys::load(provider, &mut load, &mut notes) {
        Ok(l) => l,
        Err(e) => {
            hasura_claims_into(&jws, config, report);
            report.checks.extend(notes);
            stop_on_key_error(e, report, None);
            return Reached::Stopped;
        }
    };
    report.checks.extend(notes);
    if let Some((message, hint)) = nothing_usable(&loaded, Some(&jws)) {
        hasura_claims_into(&jws, config, report);
        report.key_source = Some(loaded.source_info());
        report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
        return Reached::Stopped;
    }
    let rules = vouched_rules(&config.rules, &loaded);
    let mut outcome = verify::verify(&jws, Some(&loaded.keys()), &rules, case.now);
    if outcome.kid_miss && Refetch::worth(loaded.cached, provider) {
        match provider.keys(&config.keys, token_iss, true) {
            Ok(fresh) => {
                loaded = fresh;
                outcome = verify::verify(&jws, Some(&loaded.keys()), &rules, case.now);
                report.checks.push(Refetch::KidMiss.note());
            }
            Err(e) => {
                stop_on_key_error(e, report, None);
                return Reached::Stopped;
            }
        }
    }
    report.checks.extend(loaded.notes.iter().cloned());
    let failed = outcome.checks.iter().any(|c| c.status == Status::Fail);
    report.checks.extend(outcome.checks);
    report.checks.extend(inspect::lint_checks(&jws));
    report.key = outcome.key;
    report.key_source = Some(loaded.source_info());
    // A signature nobody here can check, and nothing else failing: no verdict on the token.
    if let (Some((message, hint)), false) = (outcome.undecidable, failed) {
        hasura_claims_into(&jws, config, report);
        report.stop(
            Verdict::Undecidable,
            Id::KeysUnusable,
            format!("cannot decide: {message}"),
            hint,
        );
        return Reached::Stopped;
    }
    finish(jws, case, report)
}

/// The configured rules, or a copy with the issuer the key source vouches for (discovery).
fn vouched_rules<'r>(rules: &'r Rules, loaded: &Loaded) -> Cow<'r, Rules> {
    let mut rules = Cow::Borrowed(rules);
    if rules.issuers.is_empty()
        && let Some(iss) = &loaded.issuer
    {
        let rules = rules.to_mut();
        rules.issuers = vec![iss.clone()];
        if rules.issuer_origin.is_none() && !rules.issuer_from_token {
            rules.issuer_origin = Some("from discovery".into());
        }
    }
    rules
}

/// The Hasura claims as evidence, and the payload's shape: a payload that is not a claims set
/// ends the report.
fn finish(jws: crate::jose::token::Jws, case: &Case<'_>, report: &mut Report) -> Reached {
    hasura_claims_into(&jws, case.config, report);
    if intake::payload_not_claims(&jws, report) {
        return Reached::Stopped;
    }
    Reached::Judged(jws)
}
