//! Turning command-line flags into a validated configuration: which key source, which rules,
//! how to fetch. The one place flag combinations are judged; no I/O besides reading the
//! environment variable a flag names.

use crate::report::Id;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{
    ClaimArgs, Edition, FetchArgs, HasuraArgs, KeyArgs, MessageStyle, PolicyArgs, TokenChoice,
    VerifyArgs,
};
use crate::cognito::Pool;
use crate::hasura::v2::Messages;
use crate::hasura::v2::config as hconfig;
use crate::jose::claims::Rules;
use crate::net::cache::{self, Mode};
use crate::net::fetch;
use crate::policy::{self, Policy};
use crate::report::Check;

pub use crate::settings::{
    COGNITO_ENDPOINT_ENV, Engine, FetchConfig, HasuraSetup, KeySource, UsageError, VerifyConfig,
};

/// Validates the fetch flags; `max_input` (`--max-input`) may raise the cap on a key set.
pub fn fetch_config(args: &FetchArgs, max_input: u64) -> Result<FetchConfig, UsageError> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(UsageError::new(
            Id::UsageTimeout,
            format!(
                "--timeout {} is not a number of seconds between 0 and 600",
                args.timeout
            ),
            "e.g. --timeout 10",
        ));
    }
    let mode = if args.offline {
        Mode::Offline
    } else if args.no_cache {
        Mode::Off
    } else if args.refresh {
        Mode::Refresh
    } else {
        Mode::Normal
    };
    Ok(FetchConfig {
        timeout: Duration::from_secs_f64(args.timeout),
        cache_dir: args.cache_dir.clone().or_else(cache::default_dir),
        mode,
        cognito_endpoint: std::env::var(COGNITO_ENDPOINT_ENV)
            .ok()
            .filter(|e| !e.is_empty()),
        max_key_set: max_input.max(crate::net::fetch::MAX_BODY as u64),
    })
}

/// Validates the verification flags; `env` reads environment variables.
pub fn verify_config(
    args: &VerifyArgs,
    max_input: u64,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<VerifyConfig, UsageError> {
    let mut notes = Vec::new();
    let pool = args
        .keys
        .cognito_pool
        .as_deref()
        .map(cognito_pool)
        .transpose()?;
    for issuer in &args.keys.issuer {
        if issuer.trim().is_empty() {
            return Err(UsageError::new(
                Id::UsageIssuer,
                "--issuer is empty",
                "give the issuer URL exactly as the token's iss",
            ));
        }
    }
    let hasura = hasura_setup(&args.hasura, env, &mut notes)?;
    if hasura.is_some() {
        refuse_with_hasura(args)?;
    }
    let keys = key_source(&args.keys, pool.as_ref(), env, &mut notes)?;
    let rules = rules(&args.claims, &args.keys, pool.as_ref(), &keys)?;
    Ok(VerifyConfig {
        keys,
        hasura,
        policy: policy_config(&args.policy)?,
        rules,
        fetch: fetch_config(&args.fetch, max_input)?,
        notes,
        note_key_override: true,
    })
}

/// `--cognito-pool POOL_ID`.
pub fn cognito_pool(text: &str) -> Result<Pool, UsageError> {
    Pool::parse(text).map_err(|e| {
        UsageError::new(
            Id::UsageCognitoPool,
            e.to_string(),
            "the pool id is on the user pool's overview page, e.g. us-east-1_AbC123",
        )
    })
}

/// Flags whose job the Hasura configuration does.
fn refuse_with_hasura(args: &VerifyArgs) -> Result<(), UsageError> {
    let k = &args.keys;
    let c = &args.claims;
    let clash = [
        (k.key.is_some(), "--key"),
        (k.secret_file.is_some(), "--secret-file"),
        (k.secret_env.is_some(), "--secret-env"),
        (k.secret.is_some(), "--secret"),
        (!k.issuer.is_empty(), "--issuer"),
        (k.cognito_pool.is_some(), "--cognito-pool"),
        (!c.audience.is_empty(), "--audience"),
        (c.leeway.is_some(), "--leeway"),
        (c.no_exp_required, "--no-exp-required"),
    ];
    match clash.iter().find(|(on, _)| *on) {
        Some((_, flag)) => Err(UsageError::new(
            Id::UsageHasuraConflict,
            format!(
                "{flag} cannot be combined with a Hasura configuration, which sets the keys, issuer, audience and leeway itself"
            ),
            "edit the configuration (key, jwk_url, issuer, audience, allowed_skew); --jwks URL|FILE may replace its key source, and --token-use / --client-id add Cognito checks",
        )),
        None => Ok(()),
    }
}

/// The environment variables the engine reads its JWT configuration from.
pub const SECRET_ENV: &str = "HASURA_GRAPHQL_JWT_SECRET";
/// The list form (Hasura Cloud / Enterprise).
pub const SECRETS_ENV: &str = "HASURA_GRAPHQL_JWT_SECRETS";

/// The Hasura configuration as the flags give it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigText {
    /// The JSON text.
    pub text: String,
    /// The variable it stands for ([`SECRET_ENV`] or [`SECRETS_ENV`], a list).
    pub variable: &'static str,
    /// Where it came from: `--hasura-config` or the variable's name.
    pub source: String,
    /// The file it was read from (`--hasura-config @FILE`).
    pub path: Option<String>,
    /// What the environment says about which variable the engine reads.
    pub notes: Vec<Check>,
}

/// Reads `--hasura-config JSON|@FILE` or, with `--hasura-config-env`, the engine's variables
/// (the list wins, as in the engine); `None` when neither flag is given.
pub fn hasura_text(
    args: &HasuraArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ConfigText>, UsageError> {
    if let Some(value) = &args.hasura_config {
        return flag_text(value, args.hasura_edition).map(Some);
    }
    if !args.hasura_config_env {
        return Ok(None);
    }
    env_text(args.hasura_edition, env).map(Some)
}

/// The configuration given with `--hasura-config` (text or `@FILE`).
fn flag_text(value: &str, edition: Option<Edition>) -> Result<ConfigText, UsageError> {
    let (text, path) = match value.strip_prefix('@') {
        Some(path) => (
            read_bounded(std::path::Path::new(path))?,
            Some(path.to_string()),
        ),
        None => (config_text(value)?, None),
    };
    let variable = if text.trim_start().starts_with('[') {
        SECRETS_ENV
    } else {
        SECRET_ENV
    };
    if variable == SECRETS_ENV && edition == Some(Edition::Oss) {
        return Err(UsageError::new(
            Id::UsageHasuraConfig,
            "a list of configurations is HASURA_GRAPHQL_JWT_SECRETS, which the open-source engine does not read",
            "give the one configuration HASURA_GRAPHQL_JWT_SECRET holds, or say --hasura-edition cloud|ee",
        ));
    }
    Ok(ConfigText {
        text,
        variable,
        source: "--hasura-config".to_string(),
        path,
        notes: Vec::new(),
    })
}

/// The configuration in the environment (`--hasura-config-env`), with warnings about which
/// variable the engine edition reads.
pub fn env_text(
    edition: Option<Edition>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ConfigText, UsageError> {
    let secrets = env(SECRETS_ENV).filter(|v| !v.trim().is_empty());
    let secret = env(SECRET_ENV).filter(|v| !v.trim().is_empty());
    let oss = edition == Some(Edition::Oss);
    let mut notes = Vec::new();
    let (text, variable) = match (secrets, secret) {
        (Some(_), Some(one)) if oss => {
            notes.push(Check::warn(
                Id::LintConfigEnv,
                format!("{SECRETS_ENV} is set, but the open-source engine reads only {SECRET_ENV}"),
                format!(
                    "unset {SECRETS_ENV} to avoid confusion, or run Hasura Cloud or Enterprise"
                ),
            ));
            (one, SECRET_ENV)
        }
        (Some(_), None) if oss => {
            return Err(UsageError::new(
                Id::UsageHasuraEnv,
                format!(
                    "the open-source engine reads only {SECRET_ENV}, which is not set ({SECRETS_ENV} is read only by Hasura Cloud and Enterprise)"
                ),
                format!("set {SECRET_ENV}, or say --hasura-edition cloud|ee if that is what runs"),
            ));
        }
        (Some(list), other) => {
            if edition.is_none() {
                notes.push(Check::warn(
                    Id::LintConfigEnv,
                    format!("{SECRETS_ENV} is read only by Hasura Cloud and Enterprise; the open-source engine ignores it"),
                    "say which engine runs with --hasura-edition oss|cloud|ee (oss reads HASURA_GRAPHQL_JWT_SECRET alone)",
                ));
            }
            if other.is_some() {
                notes.push(Check::warn(
                    Id::LintConfigEnv,
                    format!("both {SECRETS_ENV} and {SECRET_ENV} are set; Hasura Cloud and Enterprise use {SECRETS_ENV}"),
                    format!("unset {SECRET_ENV} to avoid confusion"),
                ));
            }
            (list, SECRETS_ENV)
        }
        (None, Some(one)) => (one, SECRET_ENV),
        (None, None) => {
            return Err(UsageError::new(
                Id::UsageHasuraEnv,
                format!("--hasura-config-env: neither {SECRET_ENV} nor {SECRETS_ENV} is set"),
                format!(
                    "export {SECRET_ENV}='{{\"type\":\"RS256\",\"jwk_url\":\"…\"}}' or pass --hasura-config"
                ),
            ));
        }
    };
    Ok(ConfigText {
        text,
        variable,
        source: variable.to_string(),
        path: None,
        notes,
    })
}

/// What the environment tells about the engine that will read the configuration (only with
/// `--hasura-config-env`: a configuration given by flag says nothing about the environment).
pub fn environment(
    args: &HasuraArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> crate::lint::config::Environment {
    crate::lint::config::Environment {
        admin_secret_missing: args.hasura_config_env
            && env("HASURA_GRAPHQL_ADMIN_SECRET").is_none()
            && env("HASURA_GRAPHQL_ACCESS_KEY").is_none(),
    }
}

/// Reads and checks the Hasura configuration flags; a configuration the engine would refuse at
/// startup is a usage error carrying the engine's message.
pub fn hasura_setup(
    args: &HasuraArgs,
    env: &dyn Fn(&str) -> Option<String>,
    notes: &mut Vec<Check>,
) -> Result<Option<HasuraSetup>, UsageError> {
    let Some(cfg) = hasura_text(args, env)? else {
        if args.role.is_some() {
            return Err(UsageError::new(
                Id::UsageRole,
                "--role simulates a request to Hasura and needs a Hasura configuration",
                "add --hasura-config JSON|@FILE or --hasura-config-env",
            ));
        }
        return Ok(None);
    };
    let ConfigText {
        text,
        variable,
        source,
        notes: env_notes,
        ..
    } = cfg;
    notes.extend(env_notes);
    if let Some(docs) = crate::hasura::ddn::config::documents(&text) {
        let setup = ddn_setup(&docs, args, env, source)?;
        if let Engine::Ddn(cfg) = &setup.engine {
            notes.extend(cfg.fallback_note());
        }
        return Ok(Some(setup));
    }
    if let Some((message, hint)) = crate::lint::config::unreadable_auth_config(&text) {
        return Err(UsageError::new(Id::HasuraStartup, message, hint));
    }
    notes.extend(crate::lint::config::text_notes(&text));
    let configs = if variable == SECRETS_ENV {
        hconfig::parse_list(&text)
    } else {
        hconfig::parse_text(&text).map(|c| vec![c])
    }
    .map_err(|e| {
        let approx = if e.approximate {
            " (jwtcheck's rendering of the engine's message may differ in wording)"
        } else {
            ""
        };
        UsageError::new(
            Id::HasuraStartup,
            format!(
                "Hasura refuses this configuration at startup: {}",
                e.fatal_line(variable)
            ),
            match crate::input::paste::damage(&text)
                .or_else(|| crate::lint::config::path_advice(&text, None))
                .or_else(|| crate::lint::config::not_json(&text))
            {
                Some(d) => format!("fix {variable}{approx}: {d}"),
                None => format!("fix {variable}{approx}; jwtcheck check explains every field"),
            },
        )
    })?;
    if configs.is_empty() {
        return Err(UsageError::new(
            Id::HasuraStartup,
            format!("{variable} is an empty list"),
            "give at least one configuration",
        ));
    }
    notes.extend(crate::lint::config::environment_notes(&environment(
        args, env,
    )));
    notes.extend(crate::lint::config::pasted(&text, &source).map(|mut c| {
        c.status = crate::report::Status::Warn;
        c
    }));
    for c in &configs {
        for field in &c.unknown_fields {
            notes.push(crate::lint::config::unknown_field(field, ""));
        }
        notes.extend(crate::lint::config::allowed_skew(c, ""));
        notes.extend(crate::lint::jsonpath::claims_paths(c, ""));
    }
    if let Ok(parsed) = crate::jose::json::parse_first_wins(text.trim().as_bytes()) {
        let entries: Vec<&serde_json::Value> = match &parsed.value {
            serde_json::Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        notes.extend(
            entries
                .into_iter()
                .filter_map(|e| crate::lint::config::type_typo(e, "")),
        );
    }
    Ok(Some(HasuraSetup {
        engine: Engine::V2(configs),
        source,
        role: args.role.clone(),
        messages: messages(args.hasura_messages),
    }))
}

/// A Hasura DDN AuthConfig: DDN's build refuses what its engine cannot read, so a refused one
/// is a usage error naming the field.
fn ddn_setup(
    docs: &[serde_json::Value],
    args: &HasuraArgs,
    env: &dyn Fn(&str) -> Option<String>,
    source: String,
) -> Result<HasuraSetup, UsageError> {
    let date = args.ddn_compatibility_date.as_deref();
    if let Some(d) = date {
        compatibility_date(d)?;
    }
    let mode = args.ddn_auth_mode.as_deref();
    let cfg = crate::hasura::ddn::config::parse_mode(docs, env, date, mode).map_err(|e| {
        if e.kind == crate::hasura::ddn::config::DdnErrorKind::NotJwt {
            return UsageError::new(Id::UsageDdnMode, e.message, e.hint);
        }
        let at = if e.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", e.path)
        };
        UsageError::new(
            Id::HasuraStartup,
            format!("Hasura DDN refuses this AuthConfig{at}: {}", e.message),
            e.hint,
        )
    })?;
    Ok(HasuraSetup {
        engine: Engine::Ddn(Box::new(cfg)),
        source,
        role: args.role.clone(),
        messages: messages(args.hasura_messages),
    })
}

/// `--ddn-compatibility-date`: a real calendar date written YYYY-MM-DD, as in
/// compatibility-config.hml.
pub fn compatibility_date(text: &str) -> Result<(), UsageError> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped && text.parse::<jiff::civil::Date>().is_ok() {
        return Ok(());
    }
    Err(UsageError::new(
        Id::UsageHasuraConfig,
        format!("--ddn-compatibility-date {text:?} is not a date"),
        "write it as in compatibility-config.hml: YYYY-MM-DD",
    ))
}

/// The engine wording `--hasura-messages` asks for.
pub fn messages(style: MessageStyle) -> Messages {
    match style {
        MessageStyle::Unquoted => Messages::Unquoted,
        MessageStyle::Quoted => Messages::Quoted,
    }
}

/// `--jwks URL|FILE`: a URL (https, or http on loopback) or a key set file.
pub fn jwks_source(value: &str) -> Result<KeySource, UsageError> {
    if value.starts_with("https://") || value.starts_with("http://") {
        fetch::check_url(value)
            .map_err(|e| UsageError::new(Id::UsageJwksUrl, e.to_string(), e.hint()))?;
        Ok(KeySource::JwksUrl(value.to_string()))
    } else {
        Ok(KeySource::JwksFile(file_arg(std::path::Path::new(value))))
    }
}

/// The largest configuration or policy file read: far more than any real one.
pub const MAX_CONFIG_FILE: u64 = 1024 * 1024;

/// A configuration given as text or `@FILE`; a bare file name is refused with "did you mean
/// @FILE?" (the engine would read it as JSON and say "invalid JSON at column 1").
pub fn config_text(value: &str) -> Result<String, UsageError> {
    match value.strip_prefix('@') {
        Some(path) => read_bounded(std::path::Path::new(path)),
        None if crate::input::names_a_file(value) => Err(UsageError::new(
            Id::UsageHasuraConfig,
            crate::input::did_you_mean_at(value),
            crate::input::AT_FILE,
        )),
        None => Ok(value.to_string()),
    }
}

/// A file named by a flag that takes only a file (`--policy`, `--key`, `--secret-file`,
/// `--jwks FILE`, …): `FILE` or `@FILE`, as TOKEN and `--hasura-config` write it.
pub fn file_arg(path: &std::path::Path) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix('@')) {
        Some(rest) if !rest.is_empty() => PathBuf::from(rest),
        _ => path.to_path_buf(),
    }
}

/// A configuration or policy file, at most [`MAX_CONFIG_FILE`] bytes of UTF-8.
fn read_bounded(path: &std::path::Path) -> Result<String, UsageError> {
    crate::input::read_file(path, MAX_CONFIG_FILE)
        .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))
}

/// The policy from `--policy FILE` and the rule flags.
pub fn policy_config(args: &PolicyArgs) -> Result<Policy, UsageError> {
    let mut p = match args.policy.as_deref().map(file_arg) {
        Some(path) => {
            let text = read_bounded(&path)?;
            policy::parse(&text).map_err(|e| {
                UsageError::new(
                    Id::UsagePolicy,
                    format!("{}: {e}", path.display()),
                    "see the policy file's keys in the book (docs/src/policy.md)",
                )
            })?
        }
        None => Policy::default(),
    };
    let mut claim_equals = serde_json::Map::new();
    for pair in &args.claim_equals {
        let Some((var, claim)) = pair.split_once('=') else {
            return Err(UsageError::new(
                Id::UsageClaimEquals,
                format!("--claim-equals {pair:?} is not VAR=CLAIM"),
                "e.g. --claim-equals x-hasura-user-id=sub",
            ));
        };
        claim_equals.insert(
            var.trim().to_string(),
            serde_json::Value::String(claim.trim().to_string()),
        );
    }
    if let Some(max) = args.max_lifetime
        && !(max.is_finite() && max > 0.0)
    {
        return Err(UsageError::new(
            Id::UsageMaxLifetime,
            format!("--max-lifetime {max} is not a positive number of seconds"),
            "e.g. --max-lifetime 3600",
        ));
    }
    p.merge(Policy {
        expect_roles: args.expect_role.clone(),
        expect_default_role: args.expect_default_role.clone(),
        forbid_roles: args.forbid_role.clone(),
        require_claims: args.require_claim.clone(),
        claim_equals,
        token_use: args.expect_token_use.map(|t| match t {
            TokenChoice::Id => "id".to_string(),
            TokenChoice::Access => "access".to_string(),
        }),
        max_lifetime: args.max_lifetime,
    });
    Ok(p)
}

/// The warning about a secret given on the command line: `what` was, `instead` names the
/// flags that read it from a file or the environment.
pub fn argv_secret(what: &str, instead: &str) -> Check {
    Check::warn(
        Id::LintSecretArgv,
        format!("{what} was given on the command line"),
        format!(
            "it is now in your shell history and visible to other users in the process list; use {instead}"
        ),
    )
}

fn key_source(
    k: &KeyArgs,
    pool: Option<&Pool>,
    env: &dyn Fn(&str) -> Option<String>,
    notes: &mut Vec<Check>,
) -> Result<KeySource, UsageError> {
    let explicit = [
        k.jwks.is_some(),
        k.key.is_some(),
        k.secret_file.is_some(),
        k.secret_env.is_some(),
        k.secret.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if explicit > 1 {
        return Err(UsageError::new(
            Id::UsageKeySources,
            "more than one key source: give one of --jwks, --key, --secret-file, --secret-env, --secret",
            "one token is verified with one key source",
        ));
    }
    if let Some(j) = &k.jwks {
        return jwks_source(j);
    }
    if let Some(path) = &k.key {
        return Ok(KeySource::KeyFile(file_arg(path)));
    }
    if let Some(path) = &k.secret_file {
        return Ok(KeySource::SecretFile(file_arg(path)));
    }
    if let Some(var) = &k.secret_env {
        let value = env(var).ok_or_else(|| {
            UsageError::new(
                Id::UsageSecretEnv,
                format!("environment variable {var} is not set"),
                format!("export {var}=… first"),
            )
        })?;
        return Ok(KeySource::Secret {
            bytes: value.into_bytes(),
            label: format!("--secret-env {var}"),
        });
    }
    if let Some(secret) = &k.secret {
        notes.push(argv_secret(
            "the HMAC secret",
            "--secret-file or --secret-env",
        ));
        return Ok(KeySource::Secret {
            bytes: secret.clone().into_bytes(),
            label: "--secret".into(),
        });
    }
    if let Some(p) = pool {
        return Ok(KeySource::Cognito(p.clone()));
    }
    if !k.issuer.is_empty() {
        return Ok(KeySource::Discovery(k.issuer.clone()));
    }
    Ok(KeySource::TokenIssuer)
}

/// `--max-age DURATION`, in seconds, at most ten years as `mint --lifetime`.
pub fn max_age(text: &str) -> Result<f64, UsageError> {
    crate::clock::duration(text, crate::clock::MAX_DURATION)
        .map(|s| s as f64)
        .ok_or_else(|| {
            UsageError::new(
                Id::UsageMaxAge,
                format!("--max-age {text:?} is not a positive duration of at most 3650d"),
                "e.g. --max-age 3600, 15m, 12h or 7d",
            )
        })
}

fn rules(
    c: &ClaimArgs,
    k: &KeyArgs,
    pool: Option<&Pool>,
    keys: &KeySource,
) -> Result<Rules, UsageError> {
    let leeway = c.leeway.unwrap_or(0.0);
    if !(leeway.is_finite() && (0.0..=86_400.0).contains(&leeway)) {
        return Err(UsageError::new(
            Id::UsageLeeway,
            format!("--leeway {leeway} is not a number of seconds between 0 and 86400"),
            "e.g. --leeway 30",
        ));
    }
    let (issuers, issuer_origin) = if !k.issuer.is_empty() {
        (k.issuer.clone(), None)
    } else if let Some(p) = pool {
        (p.issuers(), Some("from --cognito-pool".to_string()))
    } else {
        (Vec::new(), None)
    };
    Ok(Rules {
        leeway,
        require_exp: !c.no_exp_required,
        allow_weak_secret: c.allow_weak_secret,
        nonce: None,
        issuers,
        issuer_origin,
        issuer_from_token: *keys == KeySource::TokenIssuer,
        audiences: c.audience.clone(),
        token_use: c.token_use.map(|t| match t {
            TokenChoice::Id => "id".to_string(),
            TokenChoice::Access => "access".to_string(),
        }),
        client_ids: c.client_id.clone(),
        max_age: c.max_age.as_deref().map(max_age).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<VerifyConfig, UsageError> {
        let mut full = vec!["jwtcheck", "verify", "t"];
        full.extend_from_slice(args);
        let cli = crate::cli::Cli::try_parse_from(full).unwrap();
        match cli.command {
            crate::cli::Command::Verify { verify, .. } => {
                verify_config(&verify, crate::input::DEFAULT_MAX_INPUT, &|k| {
                    (k == "S").then(|| "s3cret".to_string())
                })
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn picks_one_key_source() {
        assert_eq!(
            parse(&["--jwks", "https://x/jwks"]).unwrap().keys,
            KeySource::JwksUrl("https://x/jwks".into())
        );
        assert_eq!(
            parse(&["--jwks", "k.json"]).unwrap().keys,
            KeySource::JwksFile("k.json".into())
        );
        assert_eq!(
            parse(&["--jwks", "http://example.com/j"]).unwrap_err().id,
            "usage.jwks_url"
        );
        assert_eq!(
            parse(&["--jwks", "a", "--key", "b"]).unwrap_err().id,
            "usage.key_sources"
        );
        assert_eq!(parse(&[]).unwrap().keys, KeySource::TokenIssuer);
        assert!(matches!(
            parse(&["--issuer", "https://i"]).unwrap().keys,
            KeySource::Discovery(_)
        ));
        assert_eq!(
            parse(&["--secret-env", "NOPE"]).unwrap_err().id,
            "usage.secret_env"
        );
    }

    #[test]
    fn cognito_pool_pins_both_issuer_forms() {
        let c = parse(&["--cognito-pool", "eu-west-1_Ab1"]).unwrap();
        assert_eq!(c.rules.issuers.len(), 2);
        assert!(matches!(c.keys, KeySource::Cognito(_)));
        assert_eq!(
            parse(&["--cognito-pool", "nope"]).unwrap_err().id,
            "usage.cognito_pool"
        );
    }

    #[test]
    fn secret_on_the_command_line_is_warned() {
        let c = parse(&["--secret", "abc"]).unwrap();
        assert_eq!(c.notes[0].id, "lint.secret_argv");
        let c = parse(&["--secret-env", "S"]).unwrap();
        assert!(c.notes.is_empty());
    }

    #[test]
    fn bad_numbers_are_usage_errors() {
        assert_eq!(parse(&["--leeway=-1"]).unwrap_err().id, "usage.leeway");
        assert_eq!(parse(&["--timeout", "0"]).unwrap_err().id, "usage.timeout");
    }
}
