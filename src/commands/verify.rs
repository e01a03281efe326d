//! `jwtcheck verify TOKEN`: is this token genuine and currently valid for this issuer and
//! audience, and, with a Hasura configuration, will Hasura accept it?

use super::{Context, hasura_default_into, parse_into, payload_not_claims, read_input};
use crate::cli::VerifyArgs;
use crate::cli::options::{self as config, HasuraSetup, KeySource, VerifyConfig};
use crate::hasura::config::{JwtConfig, KeyConfig};
use crate::hasura::engine::{self, Request};
use crate::hasura::jose;
use crate::input::Wrapper;
use crate::inspect;
use crate::jose::claims;
use crate::jose::jwk::Key;
use crate::jose::select::Keys;
use crate::jose::token::Jws;
use crate::jose::verify;
use crate::net::cache::{Mode, Origin};
use crate::net::keys::{self as keysource, KeyError, Loaded, Loader};
use crate::policy::{self, Subject};
use crate::report::Id;
use crate::report::verdict;
use crate::report::{Check, KeySourceInfo, Report, Status, Verdict};
use std::sync::Arc;

/// Verifies the token named by `arg`.
pub fn run(arg: &str, args: &VerifyArgs, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let env = |k: &str| std::env::var(k).ok();
    let config = match config::verify_config(args, &env) {
        Ok(c) => c,
        Err(e) => {
            // A claims path the engine refuses: say where the member it names is in this token.
            let hint = match e.id {
                Id::HasuraStartup => path_advice(arg, args, &env, ctx).unwrap_or(e.hint),
                _ => e.hint,
            };
            report.stop(Verdict::UsageError, e.id, e.message, hint);
            return report;
        }
    };
    let Some(input) = read_input(arg, ctx, &mut report) else {
        return report;
    };
    let mut loader = Loader::new(&config.fetch, ctx.system_now);
    verify_into(
        &input.text,
        &input.wrapper,
        &config,
        &mut loader,
        ctx,
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
    let cfg = config::hasura_text(&args.hasura, env).ok()??;
    let mut scratch = Report::new(ctx.now);
    let input = read_input(arg, ctx, &mut scratch)?;
    let token = crate::jose::token::parse(&input.text).ok()?;
    let claims = serde_json::Value::Object(token.claims()?.clone());
    let advice = crate::lint::config::path_advice(&cfg.text, Some(&claims))?;
    Some(format!("fix {}: {advice}", cfg.variable))
}

/// Verifies `text` under `config` into the report (shared with `from-url` and `check`; one
/// loader serves every token of a run).
pub fn verify_into(
    text: &str,
    wrapper: &Wrapper,
    config: &VerifyConfig,
    loader: &mut Loader,
    ctx: &Context<'_>,
    report: &mut Report,
) {
    report.checks.extend(config.notes.iter().cloned());
    let jws = match &config.hasura {
        Some(h) if h.ddn.is_some() => {
            super::ddn::ddn_into(text, wrapper, h, config, loader, ctx, report)
        }
        Some(h) => hasura_into(text, wrapper, config, h, loader, ctx, report),
        None => strict_into(text, config, loader, ctx, report),
    };
    if let Some(jws) = jws {
        policy_into(&jws, config, report);
        verdict::conclude(
            report,
            verdict::Run::Verified {
                jws: &jws,
                hasura: config.hasura.is_some(),
            },
            ctx.now,
        );
    }
}

/// The Hasura claims under the default namespace: evidence (warnings only), and what a role
/// policy checks; a batch line without a policy leaves them out.
fn hasura_claims_into(jws: &Jws, config: &VerifyConfig, report: &mut Report) {
    if report.evidence || !config.policy.is_empty() {
        hasura_default_into(jws, report);
    }
}

/// jwtcheck's own verifier (no Hasura configuration).
fn strict_into(
    text: &str,
    config: &VerifyConfig,
    loader: &mut Loader,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Jws> {
    report.leeway = Some(config.rules.leeway);
    let jws = parse_into(text, ctx.now, report)?;
    let token_iss = jws
        .claims()
        .and_then(|c| c.get("iss"))
        .and_then(|v| v.as_str());
    if !verify::keys_needed(&jws) {
        // alg none or unknown, crit, duplicated names: it fails whatever the keys say.
        let outcome = verify::verify(&jws, None, &config.rules, ctx.now);
        report.checks.extend(outcome.checks);
        report.checks.extend(inspect::lint_checks(&jws));
        hasura_claims_into(&jws, config, report);
        if payload_not_claims(&jws, report) {
            return None;
        }
        return Some(jws);
    }
    let mut loaded = match loader.load(&config.keys, token_iss, false) {
        Ok(l) => l,
        Err(e) => {
            hasura_claims_into(&jws, config, report);
            stop_on_key_error(e, report, None);
            return None;
        }
    };
    if let Some((message, hint)) = nothing_usable(&loaded) {
        hasura_claims_into(&jws, config, report);
        report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
        return None;
    }
    // The configured rules, or a copy with the issuer the key source vouches for.
    let mut rules = std::borrow::Cow::Borrowed(&config.rules);
    if rules.issuers.is_empty()
        && let Some(iss) = &loaded.issuer
    {
        let rules = rules.to_mut();
        rules.issuers = vec![iss.clone()];
        if rules.issuer_origin.is_none() && !rules.issuer_from_token {
            rules.issuer_origin = Some("from discovery".into());
        }
    }
    let mut outcome = verify::verify(&jws, Some(&keys(&loaded)), &rules, ctx.now);
    if worth_refetching(outcome.kid_miss, &loaded, loader) {
        match loader.load(&config.keys, token_iss, true) {
            Ok(fresh) => {
                loaded = fresh;
                outcome = verify::verify(&jws, Some(&keys(&loaded)), &rules, ctx.now);
                report.checks.push(refetched());
            }
            Err(e) => {
                stop_on_key_error(e, report, None);
                return None;
            }
        }
    }
    report.checks.extend(loaded.notes.iter().cloned());
    report.checks.extend(outcome.checks);
    report.checks.extend(inspect::lint_checks(&jws));
    report.key = outcome.key;
    report.key_source = Some(key_source(&loaded));
    hasura_claims_into(&jws, config, report);
    if payload_not_claims(&jws, report) {
        return None;
    }
    Some(jws)
}

fn key_source(loaded: &Loaded) -> KeySourceInfo {
    KeySourceInfo {
        source: loaded.source.clone(),
        fetched: loaded.fetched.clone(),
    }
}

fn refetched() -> Check {
    Check::new(
        Id::Key,
        Status::Skip,
        "the token's kid was not in the cached key set, so it was fetched again",
    )
}

/// A `kid` missing from a cached key set may mean the issuer rotated its keys since they were
/// cached: then the set is fetched once more (never with `--offline`).
fn worth_refetching(kid_miss: bool, loaded: &Loaded, loader: &Loader) -> bool {
    let cached = matches!(
        loaded.document.as_deref().map(|d| d.origin),
        Some(Origin::Cache { .. } | Origin::Revalidated)
    );
    kid_miss && cached && loader.cache.mode() != Mode::Offline
}

/// Hasura's verdict under its configuration, in the engine's order: secret selection, decoding,
/// keys, one refetch, the evaluation.
fn hasura_into(
    text: &str,
    wrapper: &Wrapper,
    config: &VerifyConfig,
    setup: &HasuraSetup,
    loader: &mut Loader,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Jws> {
    let request = Request {
        token: text,
        wrapper,
        role: setup.role.as_deref(),
    };
    let parsed = parse_into(text, ctx.now, report);
    let (cfg, raw) = match engine::select(&setup.configs, &request) {
        Ok(chosen) => chosen,
        Err(eval) => {
            engine_refused(*eval, ctx, report);
            return None;
        }
    };
    report.leeway = Some(cfg.skew());
    let Some(jws) = parsed else {
        undecodable(&raw, report);
        return None;
    };
    let keys = EngineKeys {
        cfg,
        config,
        token_iss: jose::issuer_of(&raw),
    };
    let mut loaded = keys.first(loader, report)?;
    let judge = |loaded: &Loaded| {
        engine::evaluate(
            cfg,
            &loaded.set.keys,
            &raw,
            setup.role.as_deref(),
            ctx.now,
            setup.messages,
        )
    };
    let mut eval = judge(&loaded);
    let kid_missing = jws
        .kid()
        .is_some_and(|kid| !loaded.set.kids().contains(&kid));
    let signature_failed = eval
        .checks
        .iter()
        .any(|c| c.id == Id::Signature && c.status == Status::Fail);
    if worth_refetching(signature_failed && kid_missing, &loaded, loader)
        && let Ok(fresh) = keys.load(loader, true)
    {
        loaded = fresh;
        eval = judge(&loaded);
        report.checks.push(refetched());
    }
    if matches!(cfg.key, KeyConfig::Url(_)) {
        unusable_warning(&loaded, report);
    }
    if let Some(why) = &eval.undecidable {
        let why = why.clone();
        report.checks.extend(eval.checks);
        report.hasura = Some(eval.info);
        report.stop(
            Verdict::Undecidable,
            Id::HasuraUndecidable,
            format!("cannot predict Hasura's verdict: {why}"),
            "verify this token with the engine itself".into(),
        );
        return None;
    }
    record_engine(report, &jws, config, eval, &loaded, keys.overridden());
    if payload_not_claims(&jws, report) {
        return None;
    }
    Some(jws)
}

/// The engine answers before it looks at the token itself (header, issuer, secret selection):
/// that answer is the verdict, however the token looks.
pub(super) fn engine_refused(eval: engine::Evaluation, ctx: &Context<'_>, report: &mut Report) {
    let message = eval
        .checks
        .iter()
        .find(|c| c.status == Status::Fail)
        .map(|c| c.message.clone())
        .unwrap_or_default();
    report.checks.extend(eval.checks);
    report.hasura = Some(eval.info);
    verdict::conclude(
        report,
        verdict::Run::EngineRefused { message: &message },
        ctx.now,
    );
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

/// Not a compact JWS: the engine's own decoding error says what Hasura answers.
fn undecodable(raw: &str, report: &mut Report) {
    if let Err(e) = jose::decode(raw) {
        let error = engine::EngineError {
            code: "invalid-jwt",
            message: format!("Could not verify JWT: {}", e.shown),
        };
        report.hasura = Some(crate::report::HasuraInfo {
            location: String::new(),
            engine_error: Some(error.message.clone()),
            engine_code: Some(error.code.into()),
            engine_response: Some(error.response()),
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

    fn load(&self, loader: &mut Loader, force: bool) -> Result<Arc<Loaded>, KeyError> {
        if self.overridden() {
            return loader.load(&self.config.keys, self.token_iss.as_deref(), force);
        }
        match &self.cfg.key {
            KeyConfig::Url(url) => loader.remote_set(url, force).map(Arc::new),
            KeyConfig::Static { key, alg_type } => Ok(Arc::new(static_key(key, alg_type))),
        }
    }

    /// The first load of the run: an empty set is the engine's NoUsableKeys, a set its strict
    /// reader refuses ends the run, keys standing in for the configuration's are noted.
    fn first(&self, loader: &mut Loader, report: &mut Report) -> Option<Arc<Loaded>> {
        let url = self.url();
        let loaded = match self.load(loader, false) {
            Ok(l) => l,
            // An empty key set: the engine starts and answers every token NoUsableKeys.
            Err(KeyError::Unavailable {
                id: Id::KeysEmpty, ..
            }) => Arc::new(keysource::empty(url.unwrap_or("the key set").to_string())),
            Err(e) => {
                stop_on_key_error(e, report, url);
                return None;
            }
        };
        if let Some(why) = loaded.raw.as_deref().and_then(crate::hasura::jwks::refusal) {
            let hint = format!(
                "Hasura reads key sets strictly: at startup it exits with 'Error parsing JWK from url: {}'; when the set turns bad later it keeps its old keys. Fix or remove that key",
                url.unwrap_or(&loaded.source)
            );
            let message = format!("Hasura refuses this key set: {why}");
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(Verdict::Invalid, Id::HasuraJwksRefused, message, hint);
            return None;
        }
        if let Some((message, hint)) = nothing_usable(&loaded) {
            report.stop(Verdict::Undecidable, Id::KeysUnusable, message, hint);
            return None;
        }
        if self.overridden() && self.config.note_key_override {
            report.checks.push(Check::warn(
                Id::Key,
                format!("keys from {} instead of the configuration's", loaded.source),
                "the verdict holds for Hasura only if it has these same keys",
            ));
        }
        Some(loaded)
    }
}

/// The engine's checks and the evidence into the report, with the token's own notes.
fn record_engine(
    report: &mut Report,
    jws: &Jws,
    config: &VerifyConfig,
    eval: engine::Evaluation,
    loaded: &Loaded,
    overridden: bool,
) {
    report.checks.extend(loaded.notes.iter().cloned());
    report.checks.extend(eval.checks);
    report.checks.extend(inspect::duplicate_checks(jws, Status::Warn).into_iter().map(|mut c| {
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
    report.key_source = Some(key_source(loaded));
    report.hasura = Some(eval.info);
}

/// A key set whose every key jwtcheck cannot use: the keys are unavailable (exit 3), not the
/// token invalid.
fn nothing_usable(loaded: &Loaded) -> Option<(String, String)> {
    let set = &loaded.set;
    let first = set.unusable.first()?;
    set.keys.is_empty().then(|| {
        (
            format!(
                "none of the {} key(s) of {} can be used: {}",
                set.unusable.len(),
                loaded.source,
                first.reason
            ),
            "jwtcheck verifies with RSA (2048 to 8192 bits), EC P-256/384/521 and Ed25519 keys; run jwtcheck jwks on the key set for each key's reason".into(),
        )
    })
}

fn static_key(key: &Key, alg_type: &str) -> Loaded {
    keysource::single(key.clone(), format!("the configuration's key ({alg_type})"))
}

fn keys(loaded: &Loaded) -> Keys<'_> {
    Keys {
        set: &loaded.set,
        provenance: loaded.provenance,
        source: loaded.source.clone(),
        fetched: loaded.fetched.clone(),
    }
}

fn stop_on_key_error(e: KeyError, report: &mut Report, hasura_url: Option<&str>) {
    match e {
        KeyError::Usage(u) => report.stop(Verdict::UsageError, u.id, u.message, u.hint),
        KeyError::Unavailable { id, message, hint } => {
            let hint = match hasura_url {
                Some(url) => format!(
                    "{hint}. Hasura itself fetches {url} at startup and refuses to start when it cannot: {}",
                    crate::hasura::jwks::startup_fetch_error(id, url)
                ),
                None => hint,
            };
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(
                Verdict::Undecidable,
                id,
                format!("cannot get the keys: {message}"),
                hint,
            );
        }
    }
}

/// The expected-role policy, against the Hasura claims the report found.
fn policy_into(jws: &Jws, config: &VerifyConfig, report: &mut Report) {
    if config.policy.is_empty() {
        return;
    }
    let Some(claims) = jws.claims() else { return };
    let empty = crate::report::HasuraInfo::default();
    let h = report.hasura.as_ref().unwrap_or(&empty);
    let unread = (config.hasura.is_some() && h.engine_error.is_some() && h.allowed_roles.is_none())
        .then_some("Hasura rejects the token before it reads the roles");
    let subject = Subject {
        allowed_roles: h.allowed_roles.as_deref(),
        default_role: h.default_role.as_deref(),
        session: &h.session_variables,
        claims,
        unread,
    };
    let checks = policy::evaluate(&config.policy, &subject);
    report.checks.extend(checks);
}
