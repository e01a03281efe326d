//! Turning command-line flags into a validated configuration: which key source, which rules,
//! how to fetch. The one place flag combinations are judged; no I/O besides reading the
//! environment variable a flag names.

use std::path::PathBuf;
use std::time::Duration;

use crate::cache::{self, Mode};
use crate::cli::{ClaimArgs, FetchArgs, KeyArgs, TokenChoice, VerifyArgs};
use crate::cognito::Pool;
use crate::fetch;
use crate::report::Check;
use crate::verify::Rules;

/// A flag problem: exit 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    /// Stable id.
    pub id: &'static str,
    /// One line.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl UsageError {
    /// A usage error.
    pub fn new(
        id: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> UsageError {
        UsageError {
            id,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Where the verification keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A JWKS URL.
    JwksUrl(String),
    /// A JWKS file.
    JwksFile(PathBuf),
    /// A PEM key, certificate or JWK file.
    KeyFile(PathBuf),
    /// An HMAC secret (never printed).
    Secret {
        /// The bytes.
        bytes: Vec<u8>,
        /// Where it came from, for display (`--secret-env NAME`).
        label: String,
    },
    /// A secret file, read when the keys are loaded.
    SecretFile(PathBuf),
    /// A Cognito pool's JWKS.
    Cognito(Pool),
    /// OIDC discovery from these issuers (the one matching the token's `iss`, else the first).
    Discovery(Vec<String>),
    /// The Cognito pool named by the token's own `iss`.
    TokenIssuer,
}

/// How documents are fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Cache folder.
    pub cache_dir: Option<PathBuf>,
    /// Cache mode.
    pub mode: Mode,
}

/// Everything `verify` / `from-url` need besides the token.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyConfig {
    /// Keys.
    pub keys: KeySource,
    /// Rules the claims must satisfy.
    pub rules: Rules,
    /// Fetching.
    pub fetch: FetchConfig,
    /// Warnings about the flags themselves (e.g. a secret on the command line).
    pub notes: Vec<Check>,
}

/// Validates the fetch flags.
pub fn fetch_config(args: &FetchArgs) -> Result<FetchConfig, UsageError> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(UsageError::new(
            "usage.timeout",
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
    })
}

/// Validates the verification flags; `env` reads environment variables.
pub fn verify_config(
    args: &VerifyArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<VerifyConfig, UsageError> {
    let mut notes = Vec::new();
    let pool = match &args.keys.cognito_pool {
        Some(p) => Some(Pool::parse(p).map_err(|e| {
            UsageError::new(
                "usage.cognito_pool",
                e.to_string(),
                "the pool id is on the user pool's overview page, e.g. us-east-1_AbC123",
            )
        })?),
        None => None,
    };
    for issuer in &args.keys.issuer {
        if issuer.trim().is_empty() {
            return Err(UsageError::new(
                "usage.issuer",
                "--issuer is empty",
                "give the issuer URL exactly as the token's iss",
            ));
        }
    }
    let keys = key_source(&args.keys, pool.as_ref(), env, &mut notes)?;
    let rules = rules(&args.claims, &args.keys, pool.as_ref(), &keys)?;
    Ok(VerifyConfig {
        keys,
        rules,
        fetch: fetch_config(&args.fetch)?,
        notes,
    })
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
            "usage.key_sources",
            "more than one key source: give one of --jwks, --key, --secret-file, --secret-env, --secret",
            "one token is verified with one key source",
        ));
    }
    if let Some(j) = &k.jwks {
        return if j.starts_with("https://") || j.starts_with("http://") {
            fetch::check_url(j)
                .map_err(|e| UsageError::new("usage.jwks_url", e.to_string(), e.hint()))?;
            Ok(KeySource::JwksUrl(j.clone()))
        } else {
            Ok(KeySource::JwksFile(PathBuf::from(j)))
        };
    }
    if let Some(path) = &k.key {
        return Ok(KeySource::KeyFile(path.clone()));
    }
    if let Some(path) = &k.secret_file {
        return Ok(KeySource::SecretFile(path.clone()));
    }
    if let Some(var) = &k.secret_env {
        let value = env(var).ok_or_else(|| {
            UsageError::new(
                "usage.secret_env",
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
        notes.push(Check::warn(
            "lint.secret_argv",
            "the HMAC secret was given on the command line",
            "it is now in your shell history and visible to other users in the process list; use --secret-file or --secret-env",
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

fn rules(
    c: &ClaimArgs,
    k: &KeyArgs,
    pool: Option<&Pool>,
    keys: &KeySource,
) -> Result<Rules, UsageError> {
    let leeway = c.leeway.unwrap_or(0.0);
    if !(leeway.is_finite() && (0.0..=86_400.0).contains(&leeway)) {
        return Err(UsageError::new(
            "usage.leeway",
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
        issuers,
        issuer_origin,
        issuer_from_token: *keys == KeySource::TokenIssuer,
        audiences: c.audience.clone(),
        token_use: c.token_use.map(|t| match t {
            TokenChoice::Id => "id".to_string(),
            TokenChoice::Access => "access".to_string(),
        }),
        client_ids: c.client_id.clone(),
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
                verify_config(&verify, &|k| (k == "S").then(|| "s3cret".to_string()))
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
