//! Hasura GraphQL Engine v2's verdict under its configuration, in the engine's order: secret
//! selection, decoding, keys (the configuration's `key` or `jwk_url`, or key flags standing in),
//! one refetch, the evaluation.

use std::sync::Arc;

use super::keys::{self, KeyError, KeyProvider, Loaded, Refetch};
use super::{Case, Reached, intake, kid_missing, nothing_usable, stand_in_note};
use crate::hasura::evaluation::{EngineError, Evaluation, Request};
use crate::hasura::v2;
use crate::hasura::v2::config::{JwtConfig, KeyConfig};
use crate::inspect;
use crate::jose::claims;
use crate::jose::jwk::Key;
use crate::jose::token::Jws;
use crate::report::{Check, HasuraInfo, Id, Report, Status, Verdict};
use crate::settings::{HasuraSetup, KeySource, VerifyConfig};

/// The engine's verdict into the report.
pub(super) fn judge(
    case: &Case<'_>,
    setup: &HasuraSetup,
    configs: &[JwtConfig],
    provider: &mut dyn KeyProvider,
    report: &mut Report,
) -> Reached {
    let request = Request {
        token: case.text,
        wrapper: case.wrapper,
        role: setup.role.as_deref(),
    };
    let parsed = intake::parse_into(case.text, case.now, report);
    let (cfg, raw) = match v2::select(configs, &request) {
        Ok(chosen) => chosen,
        Err(eval) => return refused(*eval, parsed, report),
    };
    report.leeway = Some(cfg.skew());
    let Some(jws) = parsed else {
        undecodable(&raw, report);
        return Reached::Stopped;
    };
    let keys = EngineKeys {
        cfg,
        config: case.config,
        token_iss: v2::hsjose::issuer_of(&raw),
    };
    let Some(mut loaded) = keys.first(provider, report) else {
        return Reached::Stopped;
    };
    let evaluate = |loaded: &Loaded| {
        v2::evaluate(
            cfg,
            &loaded.set.keys,
            &raw,
            setup.role.as_deref(),
            case.now,
            setup.messages,
        )
    };
    let mut eval = evaluate(&loaded);
    if signature_failed(&eval)
        && kid_missing(Some(&jws), &loaded)
        && Refetch::worth(loaded.cached, provider)
    {
        match keys.load(provider, true) {
            Ok(fresh) => {
                loaded = fresh;
                eval = evaluate(&loaded);
                report.checks.push(Refetch::KidMiss.note());
            }
            Err(e) => {
                keys.stop(e, report);
                return Reached::Stopped;
            }
        }
    }
    if signature_failed(&eval)
        && let Some((message, hint)) = nothing_usable(&loaded, Some(&jws))
    {
        report.checks.extend(eval.checks);
        report.hasura = Some(eval.info);
        report.key_source = Some(loaded.source_info());
        report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
        return Reached::Stopped;
    }
    finish(case, cfg, jws, eval, &loaded, keys.overridden(), report)
}

/// The evaluation into the report, unless jwtcheck cannot reproduce one of its steps; then
/// jwtcheck's own rules on top (`--max-age`, a payload that is not a claims set).
fn finish(
    case: &Case<'_>,
    cfg: &JwtConfig,
    jws: Jws,
    eval: Evaluation,
    loaded: &Loaded,
    overridden: bool,
    report: &mut Report,
) -> Reached {
    if matches!(cfg.key, KeyConfig::Url(_)) {
        unusable_warning(loaded, report);
    }
    if let Some(why) = &eval.undecidable {
        let why = why.clone();
        report.checks.extend(eval.checks);
        report.hasura = Some(eval.info);
        unpredictable(&why, report);
        return Reached::Stopped;
    }
    let skew = cfg.skew();
    record(report, &jws, case.config, eval, loaded, overridden);
    if let Some(claims) = jws.claims() {
        report.checks.extend(claims::max_age_check(
            claims,
            &case.config.rules,
            (skew, "allowed_skew"),
            case.now,
        ));
    }
    if intake::payload_not_claims(&jws, report) {
        return Reached::Stopped;
    }
    Reached::Judged(jws)
}

/// Whether the engine's signature step failed.
fn signature_failed(eval: &Evaluation) -> bool {
    eval.checks
        .iter()
        .any(|c| c.id == Id::Signature && c.status == Status::Fail)
}

/// The engine answered before it looked at the token itself (header, issuer, secret
/// selection): that answer is the verdict, however the token looks.
pub(super) fn refused(eval: Evaluation, jws: Option<Jws>, report: &mut Report) -> Reached {
    let message = eval
        .checks
        .iter()
        .find(|c| c.status == Status::Fail)
        .map(|c| c.message.to_string())
        .unwrap_or_default();
    report.checks.extend(eval.checks);
    report.hasura = Some(eval.info);
    Reached::Refused { jws, message }
}

/// Keys of a `jwk_url` set jwtcheck cannot read: the engine may refuse the whole set.
fn unusable_warning(loaded: &Loaded, report: &mut Report) {
    if !loaded.set.unusable.is_empty() {
        report.checks.push(Check::warn(
            Id::Key,
            format!("{} key(s) of the key set cannot be read by jwtcheck", loaded.set.unusable.len()),
            "Hasura parses key sets strictly: if it cannot read a key either, it refuses the whole set (Error parsing JWK from url); run jwtcheck jwks on the URL",
        ));
    }
}

/// A step jwtcheck cannot reproduce (`why`): the engine's verdict cannot be predicted.
fn unpredictable(why: &str, report: &mut Report) {
    report.stop(
        Verdict::Undecidable,
        Id::HasuraUndecidable,
        format!("cannot predict Hasura's verdict: {why}"),
        "verify this token with the engine itself".into(),
    );
}

/// Not a compact JWS: the engine's own decoding error says what Hasura answers.
fn undecodable(raw: &str, report: &mut Report) {
    if let Err(e) = v2::hsjose::decode(raw) {
        // jwtcheck's own limit stopped the reading, not the engine's: no answer to predict.
        if let Some(why) = e.beyond_jwtcheck {
            unpredictable(&why, report);
            return;
        }
        let error = EngineError {
            code: "invalid-jwt",
            message: format!("Could not verify JWT: {}", e.shown),
        };
        report.hasura = Some(HasuraInfo {
            location: String::new(),
            engine_error: Some(error.message.clone()),
            engine_code: Some(error.code.into()),
            engine_response: Some(v2::response(&error)),
            ..Default::default()
        });
    }
}

/// Where the engine's keys come from: the configuration's `key` or `jwk_url`, or the key flags
/// standing in for them.
struct EngineKeys<'a> {
    cfg: &'a JwtConfig,
    config: &'a VerifyConfig,
    token_iss: Option<String>,
}

impl EngineKeys<'_> {
    /// Whether key flags stand in for the configuration's key source.
    fn overridden(&self) -> bool {
        self.config.keys != KeySource::TokenIssuer
    }

    /// The configuration's `jwk_url`, when it is the key source.
    fn url(&self) -> Option<&str> {
        match &self.cfg.key {
            KeyConfig::Url(u) if !self.overridden() => Some(u),
            _ => None,
        }
    }

    fn load(&self, provider: &mut dyn KeyProvider, fresh: bool) -> Result<Arc<Loaded>, KeyError> {
        if self.overridden() {
            return provider.keys(&self.config.keys, self.token_iss.as_deref(), fresh);
        }
        match &self.cfg.key {
            KeyConfig::Url(url) => provider.key_set(url, fresh),
            KeyConfig::Static { key, alg_type } => Ok(Arc::new(static_key(key, alg_type))),
        }
    }

    /// Keys that cannot be had end the run, with what the engine does with them at startup.
    fn stop(&self, e: KeyError, report: &mut Report) {
        let tail = match (&e, self.url()) {
            (KeyError::Unavailable { id, .. }, Some(u)) => {
                Some(crate::hasura::v2::jwks::startup_fetch_hint(*id, u))
            }
            _ => None,
        };
        super::stop_on_key_error(e, report, tail);
    }

    /// The first load of the run: an empty set is the engine's NoUsableKeys, a set its strict
    /// reader refuses ends the run, keys standing in for the configuration's are noted.
    fn first(&self, provider: &mut dyn KeyProvider, report: &mut Report) -> Option<Arc<Loaded>> {
        let url = self.url();
        let mut notes = Vec::new();
        let mut load = |p: &mut dyn KeyProvider, fresh: bool| self.load(p, fresh);
        let loaded = match keys::load(provider, &mut load, &mut notes) {
            Ok(l) => l,
            // An empty key set: the engine starts and answers every token NoUsableKeys.
            Err(KeyError::Unavailable {
                id: Id::KeysEmpty, ..
            }) => Arc::new(keys::empty(url.unwrap_or("the key set").to_string())),
            Err(e) => {
                report.checks.extend(notes);
                self.stop(e, report);
                return None;
            }
        };
        report.checks.extend(notes);
        if let Some((message, hint)) =
            crate::hasura::v2::jwks::refused(loaded.raw.as_deref(), url.unwrap_or(&loaded.source))
        {
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(Verdict::Invalid, Id::HasuraJwksRefused, message, hint);
            return None;
        }
        if let Some((message, hint)) = nothing_usable(&loaded, None) {
            report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
            return None;
        }
        if self.overridden() && self.config.note_key_override {
            report.checks.push(stand_in_note(&loaded, false));
        }
        Some(loaded)
    }
}

/// The engine's checks and the evidence into the report, with the token's own notes.
fn record(
    report: &mut Report,
    jws: &Jws,
    config: &VerifyConfig,
    eval: Evaluation,
    loaded: &Loaded,
    overridden: bool,
) {
    report.checks.extend(loaded.notes.iter().cloned());
    report.checks.extend(eval.checks);
    report.checks.extend(crate::jose::verify::duplicate_checks(jws, Status::Warn).into_iter().map(|mut c| {
        c.hint = Some("Hasura (aeson) uses the first of duplicated names; a genuine issuer never writes a name twice".into());
        c
    }));
    report.checks.extend(inspect::lint_checks(jws));
    if let Some(claims) = jws.claims() {
        report
            .checks
            .extend(claims::cognito_checks(claims, &config.rules));
    }
    report.key = eval.key.map(|mut k| {
        k.fetched = loaded.fetched.clone();
        if overridden {
            k.source = loaded.source.clone();
        }
        k
    });
    report.key_source = Some(loaded.source_info());
    report.hasura = Some(eval.info);
}

fn static_key(key: &Key, alg_type: &str) -> Loaded {
    keys::single(key.clone(), format!("the configuration's key ({alg_type})"))
}
