//! Turning command-line flags into a validated configuration: which key source, which rules,
//! how to fetch. The one place flag combinations are judged; no I/O besides reading the
//! environment variable a flag names.

use crate::report::Id;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{
    ClaimArgs, FetchArgs, HasuraArgs, KeyArgs, MessageStyle, PolicyArgs, TokenChoice, VerifyArgs,
};
use crate::cognito::Pool;
use crate::hasura::v2::Messages;
use crate::jose::claims::Rules;
use crate::judge::startup;
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
    let hasura = hasura_setup(&args.hasura, env)?;
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

/// Where the Hasura configuration flags say the configuration is.
pub fn hasura_source(args: &HasuraArgs) -> startup::Source<'_> {
    startup::Source {
        config: args.hasura_config.as_deref(),
        from_env: args.hasura_config_env,
        edition: args.hasura_edition,
        ddn_date: args.ddn_compatibility_date.as_deref(),
        ddn_mode: args.ddn_auth_mode.as_deref(),
    }
}

/// The Hasura configuration the flags name, read by the one loader ([`startup::load`]) and
/// turned into the setup a token is judged by; `None` when no flag names one.
pub fn hasura_setup(
    args: &HasuraArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<HasuraSetup>, UsageError> {
    let Some(loaded) = startup::load(&hasura_source(args), &config_text, env)? else {
        if args.role.is_some() {
            return Err(UsageError::new(
                Id::UsageRole,
                "--role simulates a request to Hasura and needs a Hasura configuration",
                "add --hasura-config JSON|@FILE or --hasura-config-env",
            ));
        }
        return Ok(None);
    };
    startup::setup(loaded, args.role.clone(), messages(args.hasura_messages)).map(Some)
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
