//! Lints of a Hasura DDN AuthConfig that the engine accepts (one it refuses never gets here):
//! deprecated versions, the audience rule of the compatibility date, the default leeway, and
//! Cognito advice (the pool's key set, its issuer, the claims format a trigger can write).

use crate::hasura::ddn::config::AUDIENCE_REQUIRED_FROM;
use crate::hasura::ddn::{AudienceMode, ClaimsFormat, DdnClaims, DdnConfig, DdnKey};
use crate::report::{Check, Id};

/// Every lint of the configuration alone.
pub fn lints(cfg: &DdnConfig) -> Vec<Check> {
    let mut checks = Vec::new();
    match cfg.version.as_str() {
        "v1" => checks.push(Check::warn(Id::LintDdnVersion, "AuthConfig v1 is deprecated. `allowRoleEmulationBy` has been removed. Please consider upgrading to AuthConfig v3.", "write version: v3 (and drop allowRoleEmulationBy)")),
        "v2" => checks.push(Check::warn(Id::LintDdnVersion, "AuthConfig v2 is deprecated. Please consider upgrading to AuthConfig v3.", "write version: v3; the JWT settings are the same")),
        _ => checks.push(Check::pass(
            Id::LintDdnVersion,
            match &cfg.auth_mode {
                Some(m) => format!("AuthConfig {}, alternative mode {m} (X-Hasura-Auth-Mode: {m})", cfg.version),
                None => format!("AuthConfig {}", cfg.version),
            },
        )),
    }
    let pool = match &cfg.key {
        DdnKey::JwkFromUrl(url) => {
            checks.extend(
                crate::lint::config::jwk_url(url, "")
                    .into_iter()
                    .map(|mut c| {
                        c.message = c.message.replace("jwk_url", "jwkFromUrl");
                        c
                    }),
            );
            crate::cognito::pool_of_jwks(url)
        }
        DdnKey::Fixed {
            algorithm,
            from_env,
            ..
        } => {
            if algorithm.starts_with("HS") && from_env.is_none() {
                checks.push(Check::warn(
                    Id::LintKey,
                    "the HMAC secret is written in the AuthConfig",
                    "metadata is committed: read it with key.valueFromEnv instead",
                ));
            }
            None
        }
    };
    checks.push(audience(cfg));
    checks.push(match cfg.allowed_skew {
        None => Check::pass(
            Id::LintAllowedSkew,
            "no allowedSkew: exp has the JWT library's default leeway of 60 s",
        ),
        Some(s) => Check::pass(
            Id::LintAllowedSkew,
            format!("allowedSkew {s} s on exp (DDN does not check nbf or iat)"),
        ),
    });
    match &pool {
        Some(p) => checks.extend(cognito(cfg, p)),
        None if cfg.issuer.is_none() => checks.push(Check::warn(
            Id::LintIssuer,
            "no issuer: DDN accepts a token from any issuer its key verifies",
            "add issuer: the iss of your tokens",
        )),
        None => {}
    }
    checks
}

/// The pool's issuer, and a claims format its trigger can write.
fn cognito(cfg: &DdnConfig, p: &crate::cognito::Pool) -> Vec<Check> {
    let mut checks = vec![match &cfg.issuer {
        Some(iss) if p.issuers().contains(iss) => Check::pass(
            Id::LintCognitoIssuer,
            format!("issuer {iss} is pool {}'s", p.id),
        ),
        Some(iss) => Check::fail(
            Id::LintCognitoIssuer,
            format!("issuer {iss:?} would never match a token of pool {}", p.id),
            format!("issuers compare exactly: set issuer: {}", p.issuer()),
        ),
        None => Check::warn(
            Id::LintCognitoIssuer,
            format!("no issuer: tokens are not tied to pool {}", p.id),
            format!("add issuer: {}", p.issuer()),
        ),
    }];
    if let DdnClaims::Namespace {
        format: ClaimsFormat::Json,
        ..
    } = &cfg.claims
    {
        let (message, hint) = crate::cognito::v1_claims_format(
            "claimsFormat is Json",
            "claimsFormat: StringifiedJson",
        );
        checks.push(Check::warn(Id::LintCognitoClaimsFormat, message, hint));
    }
    checks
}

fn audience(cfg: &DdnConfig) -> Check {
    let date = cfg.compatibility_date.clone().unwrap_or_else(|| {
        format!("assumed on or after {AUDIENCE_REQUIRED_FROM}; say --ddn-compatibility-date")
    });
    match (&cfg.audience, cfg.audience_mode) {
        (None, AudienceMode::Required) => Check::fail(
            Id::LintAudience,
            format!(
                "no audience: DDN refuses every token that has an aud claim (compatibility date {date}), and every Cognito id token has one"
            ),
            "add audience: [\"<app client id>\"] (the aud of your id tokens)",
        ),
        (Some(a), AudienceMode::Optional) => Check::warn(
            Id::LintAudience,
            format!(
                "audience {} is not checked: the compatibility date is before {AUDIENCE_REQUIRED_FROM}",
                a.join(", ")
            ),
            "move the project's compatibility date on to have DDN check aud",
        ),
        (None, AudienceMode::Optional) => Check::warn(
            Id::LintAudience,
            "no audience, and aud is not checked (compatibility date before 2025-03-11)",
            "add audience and move the compatibility date on",
        ),
        (Some(a), AudienceMode::Required) => {
            Check::pass(Id::LintAudience, format!("audience {}", a.join(", ")))
        }
    }
}
