//! `check`'s step 1: the configuration, as the one loader read it, linted entry by entry.

use serde_json::Value;

use super::{CheckArgs, Sample};
use crate::cli::options::{self as config, UsageError};
use crate::hasura::ddn::DdnConfig;
use crate::hasura::ddn::config::{DdnConfigError, DdnErrorKind};
use crate::hasura::v2::config::{self as hconfig, JwtConfig, KeyConfig, StartupError};
use crate::judge::startup::{self, Form, LoadedConfig};
use crate::lint::config as lint;
use crate::report::{Check, CheckReport, Id};

/// The one key set URL every token is verified with: a DDN `jwkFromUrl`, or the `jwk_url` of a
/// configuration that is not a list.
pub(super) fn single_key_url(parsed: &Parsed) -> Option<String> {
    match &parsed.engine {
        config::Engine::Ddn(ddn) => match &ddn.key {
            crate::hasura::ddn::DdnKey::JwkFromUrl(u) => Some(u.clone()),
            _ => None,
        },
        config::Engine::V2(configs) => match configs.as_slice() {
            [one] => match &one.key {
                KeyConfig::Url(u) => Some(u.clone()),
                KeyConfig::Static { .. } => None,
            },
            _ => None,
        },
    }
}

/// `lint.cognito_jwk_url` passes (or warns) on the URL's form alone: a sample token of another
/// Cognito pool than the one whose keys `url` fetches makes it fail, naming both pools.
pub(super) fn samples_from_another_pool(url: &str, out: &mut CheckReport) {
    let Some(fetched) = crate::cognito::pool_of_jwks(url) else {
        return;
    };
    let other = out.tokens.iter().find_map(|t| {
        let iss = t.report.token.as_ref()?.payload.get("iss")?.as_str()?;
        let pool = crate::cognito::pool_of_issuer(iss)?;
        (pool.id != fetched.id).then(|| (t.label.clone(), pool))
    });
    let Some((label, from)) = other else {
        return;
    };
    let failed = Check::fail(
        Id::LintCognitoJwkUrl,
        format!(
            "jwk_url is pool {}'s key set, but {label} comes from pool {}",
            fetched.id, from.id
        ),
        format!(
            "the engine verifies tokens only with the keys of the pool jwk_url names: for pool {}'s tokens use {}",
            from.id,
            from.jwks_url()
        ),
    );
    // A row that already fails says enough about the URL.
    if let Some(row) = out
        .config
        .checks
        .iter_mut()
        .find(|c| c.id == Id::LintCognitoJwkUrl && c.status != crate::report::Status::Fail)
    {
        *row = failed;
    }
}

/// Why `check` ends before the key set: a usage error, or a configuration the engine refuses.
pub(super) enum Stop {
    Usage(UsageError),
    Unusable(Id, &'static str),
}

/// The configuration as the engine reads it, for the later steps.
pub(super) struct Parsed {
    /// The engine and what it read (v2: the entries it keeps, equal ones merged).
    pub(super) engine: config::Engine,
    /// Each v2 entry's `type`, for the key types lint.
    pub(super) types: Vec<String>,
}

impl Parsed {
    pub(super) fn is_ddn(&self) -> bool {
        matches!(self.engine, config::Engine::Ddn(_))
    }
}

/// Step 1: read and lint the configuration (JSON, each entry as the engine parses it, the
/// environment, entries no issuer tells apart).
pub(super) fn configuration(
    args: &CheckArgs<'_>,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut CheckReport,
) -> Result<Parsed, Stop> {
    let source = config::hasura_source(args.hasura);
    let LoadedConfig {
        text: cfg,
        form,
        environment,
    } = startup::load(&source, &config::config_text, env)
        .map_err(Stop::Usage)?
        .ok_or_else(|| {
            Stop::Usage(UsageError::new(
                Id::UsageHasuraConfig,
                "check needs the Hasura JWT configuration",
                "pass --hasura-config JSON|@FILE or --hasura-config-env",
            ))
        })?;
    out.config.source = cfg.path.clone().unwrap_or(cfg.source.clone());
    let (json, engine) = match form {
        Form::Ddn(parsed) => return ddn_configuration(parsed, out),
        Form::V2 { json, engine } => (json, engine),
    };
    let (text, variable) = (cfg.text.as_str(), cfg.variable);
    out.config.checks.extend(cfg.notes.iter().cloned());
    out.config.checks.extend(lint::text_notes(text));
    out.config
        .checks
        .extend(lint::pasted(text, &out.config.source));
    let value = match json {
        Ok(value) => value,
        Err(e) => {
            out.config
                .checks
                .push(lint::syntax(&e, &out.config.source, text));
            return Err(Stop::Unusable(
                Id::LintConfigSyntax,
                "the configuration is not JSON",
            ));
        }
    };
    let entries = startup::entries(&value, variable);
    let types = entries
        .iter()
        .filter_map(|(e, _)| e.get("type").and_then(Value::as_str).map(str::to_string))
        .collect();
    let (linted, refused) = lint_entries(entries, variable, text, out);
    out.config
        .checks
        .extend(lint::environment_notes(&environment));
    out.config
        .checks
        .extend(lint::ambiguity(&hconfig::dedupe(linted)));
    let configs = started(engine, refused, (variable, text), out)?;
    Ok(Parsed {
        engine: config::Engine::V2(configs),
        types,
    })
}

/// What the engine starts with: the loader's configurations, unless it refuses them (an entry's
/// row says why, else the engine's message is the row).
fn started(
    engine: Result<Vec<JwtConfig>, StartupError>,
    refused: bool,
    (variable, text): (&str, &str),
    out: &mut CheckReport,
) -> Result<Vec<JwtConfig>, Stop> {
    let configs = match engine {
        Ok(configs) if !refused => configs,
        Ok(_) => Vec::new(),
        Err(e) => {
            if !refused {
                out.config
                    .checks
                    .push(lint::startup(&e, variable, "", text));
            }
            Vec::new()
        }
    };
    if configs.is_empty() {
        return Err(Stop::Unusable(
            Id::HasuraStartup,
            "Hasura would refuse this configuration at startup",
        ));
    }
    Ok(configs)
}

/// Step 1 for a Hasura DDN AuthConfig, as the engine reads it: linted, or refused.
fn ddn_configuration(
    parsed: Result<Box<DdnConfig>, DdnConfigError>,
    out: &mut CheckReport,
) -> Result<Parsed, Stop> {
    match parsed {
        Ok(cfg) => {
            out.config.checks.extend(cfg.fallback_note());
            out.config.checks.extend(crate::lint::ddn::lints(&cfg));
            Ok(Parsed {
                engine: config::Engine::Ddn(cfg),
                types: Vec::new(),
            })
        }
        Err(e) if e.kind == DdnErrorKind::NotJwt => Err(Stop::Usage(startup::ddn_usage(e))),
        Err(e) => {
            out.config.checks.push(Check::fail(
                Id::HasuraStartup,
                startup::ddn_refusal(&e),
                e.hint,
            ));
            Err(Stop::Unusable(
                Id::HasuraStartup,
                "Hasura DDN's build would refuse this AuthConfig",
            ))
        }
    }
}

/// DDN's audience lint, decided by the sample tokens when there are some: it fails only when one
/// of them has `aud`.
pub(super) fn ddn_audience_from_samples(
    parsed: &Parsed,
    samples: &[Sample],
    out: &mut CheckReport,
) {
    let config::Engine::Ddn(cfg) = &parsed.engine else {
        return;
    };
    if samples.is_empty() {
        return;
    }
    let has_aud = samples.iter().any(|s| {
        crate::jose::token::parse(&s.text)
            .ok()
            .and_then(|jws| jws.claims().map(|c| c.get("aud").is_some()))
            .unwrap_or(false)
    });
    let lint = crate::lint::ddn::audience(cfg, Some(has_aud));
    for check in out
        .config
        .checks
        .iter_mut()
        .filter(|c| c.id == Id::LintAudience)
    {
        *check = lint.clone();
    }
}

/// Each entry linted as the engine parsed it (rows of a list's entries say which): the entries
/// the engine accepts, and whether it refuses any.
fn lint_entries(
    entries: Vec<(&Value, Result<JwtConfig, StartupError>)>,
    variable: &str,
    text: &str,
    out: &mut CheckReport,
) -> (Vec<JwtConfig>, bool) {
    let many = entries.len() > 1;
    let mut configs = Vec::new();
    let mut refused = false;
    for (i, (entry, parsed)) in entries.into_iter().enumerate() {
        let label = if many {
            format!("entry #{}: ", i + 1)
        } else {
            String::new()
        };
        out.config.checks.extend(lint::raw(entry, &label));
        match parsed {
            Ok(c) => {
                out.config.checks.extend(lint::semantic(&c, &label));
                out.config
                    .checks
                    .extend(crate::lint::jsonpath::claims_paths(&c, &label));
                configs.push(c);
            }
            Err(e) => {
                refused = true;
                out.config
                    .checks
                    .push(lint::startup(&e, variable, &label, text));
            }
        }
    }
    (configs, refused)
}
