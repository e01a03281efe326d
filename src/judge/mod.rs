//! The one judge: every command that says whether a token passes (verify, batch, from-url,
//! login, check, mint) calls [`judge`]. It runs the steps in order: read the token, get keys
//! through a [`KeyProvider`], evaluate under the [`Profile`] (jwtcheck's own rules, Hasura v2 or
//! Hasura DDN), fetch a stale key set again once ([`keys::Refetch`]), record the checks, apply the
//! policy, conclude. Pure: keys come from the provider and the clock is a parameter.

mod ddn;
pub mod intake;
pub mod keys;
pub mod startup;
mod strict;
mod v2;
pub mod verdict;

pub use intake::{decode_into, parse_into};
pub use keys::{KeyError, KeyProvider, Loaded};

use crate::hasura::ddn::DdnConfig;
use crate::hasura::v2::config::JwtConfig;
use crate::input::forms::Wrapper;
use crate::jose::token::Jws;
use crate::policy::{self, Subject};
use crate::report::{Check, HasuraInfo, Id, Report, Verdict};
use crate::settings::{Engine, HasuraSetup, VerifyConfig};

/// Whose rules judge the token.
#[derive(Debug, Clone, Copy)]
pub enum Profile<'a> {
    /// jwtcheck's own: the key flags, the issuer and audience rules, no engine.
    Strict,
    /// Hasura GraphQL Engine v2 under its `HASURA_GRAPHQL_JWT_SECRET(S)`.
    HasuraV2(&'a HasuraSetup, &'a [JwtConfig]),
    /// Hasura DDN under an AuthConfig.
    HasuraDdn(&'a HasuraSetup, &'a DdnConfig),
}

impl<'a> Profile<'a> {
    /// The profile a configuration asks for.
    pub fn of(config: &'a VerifyConfig) -> Profile<'a> {
        match &config.hasura {
            None => Profile::Strict,
            Some(setup) => match &setup.engine {
                Engine::V2(configs) => Profile::HasuraV2(setup, configs),
                Engine::Ddn(ddn) => Profile::HasuraDdn(setup, ddn),
            },
        }
    }

    /// The engine's name as the report says it.
    fn engine(self) -> &'static str {
        verdict::engine_name(matches!(self, Profile::HasuraDdn(..)))
    }
}

/// What a profile is given: the token text, how it was sent, the configuration, the clock.
struct Case<'a> {
    text: &'a str,
    wrapper: &'a Wrapper,
    config: &'a VerifyConfig,
    now: f64,
}

/// How far a profile got with the token.
enum Reached {
    /// The token was read and judged: its checks are in the report.
    Judged(Jws),
    /// The engine answered before it read the token (header, issuer, secret selection): that
    /// answer, its first failing step's message, is the verdict.
    Refused {
        /// The token, when jwtcheck could read it.
        jws: Option<Jws>,
        /// The first failing step's message.
        message: String,
    },
    /// The report was ended before a verdict on the token (malformed, keys unavailable).
    Stopped,
}

/// Judges `text` (sent as `wrapper` says) under `config` into `report`, with keys from
/// `provider`, at `now`. One provider serves every token of a run.
pub fn judge(
    text: &str,
    wrapper: &Wrapper,
    config: &VerifyConfig,
    provider: &mut dyn KeyProvider,
    now: f64,
    report: &mut Report,
) {
    if let Some(setup) = &config.hasura {
        report.checks.extend(setup.notes.iter().cloned());
    }
    report.checks.extend(config.notes.iter().cloned());
    let case = Case {
        text,
        wrapper,
        config,
        now,
    };
    let profile = Profile::of(config);
    let reached = match profile {
        Profile::Strict => strict::judge(&case, provider, report),
        Profile::HasuraV2(setup, configs) => v2::judge(&case, setup, configs, provider, report),
        Profile::HasuraDdn(setup, ddn) => ddn::judge(&case, setup, ddn, provider, report),
    };
    match reached {
        Reached::Judged(jws) => {
            policy_into(Some(&jws), config, profile, false, report);
            let hasura = config.hasura.is_some();
            verdict::conclude(report, verdict::Basis::Verified { jws: &jws, hasura }, now);
        }
        Reached::Refused { jws, message } => {
            policy_into(jws.as_ref(), config, profile, true, report);
            verdict::conclude(
                report,
                verdict::Basis::EngineRefused { message: &message },
                now,
            );
        }
        Reached::Stopped => {}
    }
}

/// The expected-role policy, against the Hasura claims the report found. When the engine
/// rejects the token there is no session: the rows that need one are not checked, and say why.
fn policy_into(
    jws: Option<&Jws>,
    config: &VerifyConfig,
    profile: Profile<'_>,
    refused: bool,
    report: &mut Report,
) {
    if config.policy.is_empty() {
        return;
    }
    let engine = profile.engine();
    let Some(claims) = jws.and_then(Jws::claims) else {
        let why = format!("{engine} rejects the token before it reads the claims");
        report.checks.extend(policy::skipped(&config.policy, &why));
        return;
    };
    let empty = HasuraInfo::default();
    let h = report.hasura.as_ref().unwrap_or(&empty);
    let rejected = config.hasura.is_some() && (refused || h.engine_error.is_some());
    let unread = match (rejected, h.allowed_roles.is_some()) {
        (true, false) => Some(format!(
            "{engine} rejects the token before it reads the roles"
        )),
        _ => None,
    };
    let no_session =
        rejected.then(|| format!("{engine} rejects the token, so there is no session"));
    let subject = Subject {
        allowed_roles: h.allowed_roles.as_deref(),
        default_role: h.default_role.as_deref(),
        session: &h.session_variables,
        claims: claims.map(),
        unread: unread.as_deref(),
        no_session: no_session.as_deref(),
    };
    let checks = policy::evaluate(&config.policy, &subject);
    report.checks.extend(checks);
}

/// The Hasura claims under the default namespace: evidence (warnings only), and what a role
/// policy checks; a batch line without a policy leaves them out.
fn hasura_claims_into(jws: &Jws, config: &VerifyConfig, report: &mut Report) {
    if report.evidence || !config.policy.is_empty() {
        intake::hasura_default_into(jws, report);
    }
}

/// Ends the report on keys that could not be obtained: a flag problem is a usage error, the
/// rest undecidable; `engine_tail` adds what the engine itself does without those keys.
fn stop_on_key_error(e: KeyError, report: &mut Report, engine_tail: Option<String>) {
    match e {
        KeyError::Usage(u) => report.stop(Verdict::UsageError, u.id, u.message, u.hint),
        KeyError::Unavailable {
            id,
            message,
            hint,
            origin,
            cached,
            ..
        } => {
            let mut hint = match engine_tail {
                Some(tail) => format!("{hint}. {tail}"),
                None => hint,
            };
            let mut message = message;
            if let Some(origin) = origin {
                if cached && let Some(how) = &origin.fetched {
                    message = format!("{message} ({how})");
                    hint = format!(
                        "this key set came from jwtcheck's cache: --refresh fetches it again. {hint}"
                    );
                }
                report.key_source = Some(*origin);
            }
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

/// A key set whose every key jwtcheck cannot use, or a token whose `kid` names only keys of the
/// set jwtcheck cannot read: nobody here can check its signature, so the keys are unavailable
/// (exit 3), not the token invalid, whatever the other keys.
fn nothing_usable(loaded: &Loaded, jws: Option<&Jws>) -> Option<(String, String)> {
    let set = &loaded.set;
    let hint = "jwtcheck verifies with RSA (2048 to 8192 bits), EC P-256/384/521 and Ed25519 keys; run jwtcheck jwks on the key set for each key's reason";
    if let Some(kid) = jws.and_then(Jws::kid)
        && !set.keys.iter().any(|k| k.kid.as_deref() == Some(kid))
        && let Some(u) = set.unusable.iter().find(|u| u.kid.as_deref() == Some(kid))
    {
        return Some((
            format!(
                "the token's key (kid {kid:?}) in {} cannot be used: {}",
                loaded.source, u.reason
            ),
            hint.into(),
        ));
    }
    let first = set.unusable.first()?;
    set.keys.is_empty().then(|| {
        (
            format!(
                "none of the {} key(s) of {} can be used: {}",
                set.unusable.len(),
                loaded.source,
                first.reason
            ),
            hint.into(),
        )
    })
}

/// Key flags standing in for the engine configuration's own key source (`ddn`: an AuthConfig):
/// the warning and its hint, in one wording for the judge's reports and `check`'s key set rows.
pub fn stand_in(source: &str, ddn: bool) -> (String, String) {
    let (config, engine) = if ddn {
        ("the AuthConfig's jwkFromUrl", "Hasura DDN")
    } else {
        ("the configuration's key source", "Hasura")
    };
    (
        format!("keys from {source} stand in for {config}"),
        format!("the verdict holds for {engine} only if it has these same keys"),
    )
}

/// [`stand_in`] as a report's `key` row.
fn stand_in_note(loaded: &Loaded, ddn: bool) -> Check {
    let (message, hint) = stand_in(&loaded.source, ddn);
    Check::warn(Id::Key, message, hint)
}

/// Whether the token names a `kid` the key set lacks (the issuer may have rotated its keys).
fn kid_missing(jws: Option<&Jws>, loaded: &Loaded) -> bool {
    jws.and_then(Jws::kid)
        .is_some_and(|kid| !loaded.set.kids().contains(&kid))
}
