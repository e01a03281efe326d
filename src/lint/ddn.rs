//! Lints of a Hasura DDN AuthConfig that the engine accepts (one it refuses never gets here):
//! deprecated versions, the audience rule of the compatibility date, the default leeway, and
//! Cognito advice (the pool's key set, its issuer, the claims format a trigger can write).

use crate::hasura::ddn::config::AUDIENCE_REQUIRED_FROM;
use crate::hasura::ddn::{AudienceMode, ClaimsFormat, DdnClaims, DdnConfig, DdnKey, TokenLocation};
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
                        c.message = c.message.replace("jwk_url", "jwkFromUrl").into();
                        c
                    }),
            );
            crate::cognito::pool_of_jwks(url)
        }
        DdnKey::Fixed {
            algorithm,
            key,
            from_env,
        } => {
            checks.extend(fixed_key(algorithm, key));
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
    checks.extend(uri_pointers(cfg));
    checks.extend(authorization_header(cfg));
    checks.push(audience(cfg, None));
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

/// The `audience` lint: with no audience under the 2025-03-11 rule, DDN refuses every token that
/// has `aud`. That fails when a sample token has one (`token_aud`: `Some(true)`), and warns when
/// no sample says (`None`) or none has it (`Some(false)`); Cognito is named only for a Cognito
/// issuer or key set.
pub fn audience(cfg: &DdnConfig, token_aud: Option<bool>) -> Check {
    let cognito = match &cfg.key {
        DdnKey::JwkFromUrl(url) => crate::cognito::pool_of_jwks(url).is_some(),
        DdnKey::Fixed { .. } => false,
    } || cfg
        .issuer
        .as_deref()
        .and_then(crate::cognito::pool_of_issuer)
        .is_some();
    let date = cfg.compatibility_date.clone().unwrap_or_else(|| {
        format!("assumed on or after {AUDIENCE_REQUIRED_FROM}; say --ddn-compatibility-date")
    });
    match (&cfg.audience, cfg.audience_mode) {
        (None, AudienceMode::Required) => {
            let message = format!(
                "no audience: DDN refuses every token that has an aud claim (compatibility date {date}){}",
                match token_aud {
                    Some(true) => ", and a sample token has one",
                    Some(false) => "; the sample tokens have none",
                    None if cognito => ", and every Cognito id token has one",
                    None => "",
                }
            );
            let hint = if cognito {
                "add audience: [\"<app client id>\"] (the aud of your id tokens)"
            } else {
                "add audience: [\"<the aud your tokens carry>\"] if they carry one"
            };
            if token_aud == Some(true) {
                Check::fail(Id::LintAudience, message, hint)
            } else {
                Check::warn(Id::LintAudience, message, hint)
            }
        }
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

/// Claims locations that write a URI member name (`/https://hasura.io/jwt/claims`) without
/// escaping its `/` as `~1` (RFC 6901): DDN splits the pointer at every `/`, so it finds nothing.
fn uri_pointers(cfg: &DdnConfig) -> Vec<Check> {
    let pointers: Vec<(String, &str)> = match &cfg.claims {
        DdnClaims::Namespace { location, .. } => vec![("location".to_string(), location.as_str())],
        DdnClaims::Locations(entries) => entries
            .iter()
            .filter_map(|(name, entry)| match entry {
                crate::hasura::ddn::config::Entry::Path { path, .. } => {
                    Some((format!("locations.{name}.path.path"), path.as_str()))
                }
                crate::hasura::ddn::config::Entry::Literal(_) => None,
            })
            .collect(),
    };
    pointers
        .into_iter()
        .filter_map(|(field, pointer)| {
            let body = pointer.strip_prefix('/')?;
            body.contains("://").then(|| {
                let namespace = crate::hasura::claims::DEFAULT_NAMESPACE;
                let fixed = match (&cfg.claims, body.strip_prefix(namespace)) {
                    (DdnClaims::Locations(_), Some(rest)) => {
                        format!("/{}{rest}", crate::hasura::jsonpath::pointer_key(namespace))
                    }
                    _ => format!("/{}", crate::hasura::jsonpath::pointer_key(body)),
                };
                Check::fail(
                    Id::LintDdnPointer,
                    format!(
                        "{field} {pointer} is a JSON pointer split at every /: it names the members {}, so DDN finds nothing there and answers every request 500 (Hasura claims not found)",
                        body.split('/')
                            .map(|m| format!("{m:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("a / inside a member name is written ~1 (RFC 6901): write {field}: {fixed}"),
                )
            })
        })
        .collect()
}

/// `tokenLocation` `Header` named `Authorization`: DDN takes the whole value as the token, so
/// the usual `Authorization: Bearer <token>` reaches it as `Bearer <token>`.
fn authorization_header(cfg: &DdnConfig) -> Option<Check> {
    let TokenLocation::Header(name) = &cfg.location else {
        return None;
    };
    name.eq_ignore_ascii_case("authorization").then(|| {
        Check::warn(
            Id::LintTokens,
            format!(
                "tokenLocation Header {name:?}: DDN takes the whole header value as the token, so a request sent with {name}: Bearer <token> fails to decode"
            ),
            "write tokenLocation: {type: BearerAuthorization}, which strips Bearer; keep Header only if clients send the bare token",
        )
    })
}

/// A `fixed` public key DDN's JWT library cannot read: DDN builds, then answers every request
/// 500 (InvalidKeyFormat).
fn fixed_key(algorithm: &str, key: &str) -> Option<Check> {
    if algorithm.starts_with("HS") {
        return None;
    }
    if let Some(k) = crate::hasura::ddn::fixed_key(algorithm, key) {
        return crate::hasura::ddn::rsa_size_refusal(&k).map(|(bits, why)| {
            Check::fail(
                Id::LintRsaSize,
                format!("the fixed key is RSA-{bits}: {why} (Hasura v2 verifies with it)"),
                "use an RSA key of 2048 to 8192 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)",
            )
        });
    }
    let armored = key.split_once("-----BEGIN ").map(|(_, rest)| {
        rest.split_once("-----END ")
            .map_or(rest, |(inside, _)| inside)
    });
    let why = if armored.is_some_and(|inside| inside.contains('"')) {
        "it has a stray \" inside the PEM, where only the label and base64 belong (a quote before -----BEGIN or after -----END is skipped)"
    } else if key.contains("\\n") {
        "it holds the two characters \\n where line breaks belong (YAML single quotes and plain scalars keep them as they are)"
    } else if !key.contains("-----BEGIN ") {
        "it is not a PEM key (no -----BEGIN … line)"
    } else {
        "its PEM does not hold a public key of this algorithm's family"
    };
    Some(Check::fail(
        Id::LintKey,
        format!(
            "the fixed {algorithm} key cannot be read by DDN's JWT library: {why}; DDN builds, then answers every request 500 (InvalidKeyFormat)"
        ),
        "write the PEM public key as a YAML block scalar (value: |) with its line breaks, or read it with valueFromEnv",
    ))
}
