//! `jwtcheck mint --key DIR|FILE`: a token shaped like Cognito's, with the Hasura claims where a
//! Pre Token Generation V1 trigger puts them. With a Hasura configuration the token is shaped for
//! it and then judged under it by `verify`'s own code: a token the engine would refuse is not
//! printed, and the report says why.

use std::path::Path;

use serde_json::Value;

use super::{Context, verify};
use crate::cli::devkit::{self as flags, MintArgs};
use crate::cli::options::{self, HasuraSetup, UsageError};
use crate::cli::{
    ClaimArgs, HasuraArgs, KeyArgs, MessageStyle, PolicyArgs, TokenChoice, VerifyArgs,
};
use crate::devkit::keypair::SigningKey;
use crate::devkit::shape::{self, Ids, Placement, Session, Spec, TokenUse};
use crate::devkit::{self, DEFAULT_CLIENT_ID, DEFAULT_POOL, JWKS_FILE, PRIVATE_KEY_FILE};
use crate::hasura::claims::{DEFAULT_NAMESPACE, Format};
use crate::hasura::v2::config::{Claims, JwtConfig, Namespace};
use crate::judge::decode_into;
use crate::judge::verdict;
use crate::report::{Check, Id, Report, Status, Verdict};

/// The largest key file read.
const MAX_KEY_FILE: u64 = 1024 * 1024;

/// Mints the token; returns the report and the token (printed only when the report passes).
pub fn run(args: &MintArgs, ctx: &mut Context<'_>) -> (Report, Option<String>) {
    let mut report = Report::new(ctx.now);
    let env = |k: &str| std::env::var(k).ok();
    let minted = plan(args, &env, ctx.now).and_then(|(spec, checked)| {
        let (key, notes) = signing_key(&crate::cli::options::file_arg(&args.key))?;
        let token = sign(&spec, &key)?;
        Ok((token, notes, checked, spec))
    });
    let (token, mut notes, checked, spec) = match minted {
        Ok(m) => m,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return (report, None);
        }
    };
    notes.extend(fidelity(&spec));
    if checked {
        let mut judged = verify::run(&token, &verify_args(args), ctx);
        judged.checks.extend(notes);
        point_at_key_server(&mut judged);
        verdict::withheld(&mut judged);
        return (judged, Some(token));
    }
    if let Some(jws) = decode_into(&token, ctx.now, &mut report) {
        report.checks.extend(notes);
        verdict::conclude(&mut report, verdict::Basis::Minted(&jws), ctx.now);
    }
    (report, Some(token))
}

/// Nothing answered at the configuration's `jwk_url`: most likely `serve-keys` is not running.
fn point_at_key_server(report: &mut Report) {
    if report.error.as_ref().map(|e| e.id) != Some(Id::FetchConnect) {
        return;
    }
    let advice = "is jwtcheck serve-keys running? The configuration's jwk_url must reach it. ";
    if let Some(e) = report.error.as_mut() {
        e.hint = format!("{advice}{}", e.hint);
    }
    for c in report
        .checks
        .iter_mut()
        .filter(|c| c.status == Status::Fail)
    {
        c.hint = c.hint.take().map(|h| format!("{advice}{h}").into());
    }
}

/// The token's contents from the flags and, when given, the Hasura configuration (flags win;
/// the configuration fills in what they leave open). Also says whether a configuration judges
/// the token.
fn plan(
    args: &MintArgs,
    env: &dyn Fn(&str) -> Option<String>,
    now: f64,
) -> Result<(Spec, bool), UsageError> {
    // The configuration's own notes come with the verdict on the token.
    let setup = options::hasura_setup(&hasura_args(args), env)?;
    let pool = args
        .cognito_pool
        .as_deref()
        .map(options::cognito_pool)
        .transpose()?;
    let cfg = chosen(setup.as_ref(), pool.as_ref().map(|p| p.issuer()).as_deref());
    let issuer = match (&pool, cfg.and_then(|c| c.issuer.clone())) {
        (Some(p), _) => p.issuer(),
        (None, Some(iss)) => iss,
        (None, None) => options::cognito_pool(DEFAULT_POOL)?.issuer(),
    };
    let client_id = args
        .client_id
        .clone()
        .or_else(|| cfg.and_then(|c| c.audience.as_ref()?.first().cloned()))
        .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string());
    let (roles, default_role) = flags::roles(&args.roles, args.default_role.as_deref())?;
    let user_id = match &args.user_id {
        Some(u) => u.clone(),
        None => random_id()?,
    };
    let mut variables = vec![("x-hasura-user-id".to_string(), user_id.clone())];
    for (name, value) in flags::session(&args.session)? {
        match variables.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => variables.push((name, value)),
        }
    }
    let spec = Spec {
        issuer,
        client_id,
        token_use: match args.token_use {
            TokenChoice::Id => TokenUse::Id,
            TokenChoice::Access => TokenUse::Access,
        },
        user_id,
        session: Session {
            roles,
            default_role,
            variables,
        },
        placement: placement(args, cfg),
        issued_at: now.floor() as i64,
        lifetime: flags::lifetime(&args.lifetime)?,
        ids: Ids {
            jti: random_id()?,
            origin_jti: random_id()?,
            event_id: random_id()?,
        },
        extra: flags::extra_claims(&args.claims)?,
    };
    Ok((spec, setup.is_some()))
}

/// The configuration the token is minted for: the entry whose issuer is the pool's, else the
/// first.
fn chosen<'a>(setup: Option<&'a HasuraSetup>, issuer: Option<&str>) -> Option<&'a JwtConfig> {
    let configs = setup?.v2_configs();
    configs
        .iter()
        .find(|c| issuer.is_some() && c.issuer.as_deref() == issuer)
        .or_else(|| configs.first())
}

/// Where the Hasura claims go: `--namespace` / `--claims-format`, else the configuration's
/// namespace (or path) and format, or its `claims_map`; else the default namespace, stringified
/// as a V1 trigger writes it.
fn placement(args: &MintArgs, cfg: Option<&JwtConfig>) -> Placement {
    let flagged = args.namespace.is_some() || args.claims_format.is_some();
    if let (
        false,
        Some(JwtConfig {
            claims: Claims::Map(m),
            ..
        }),
    ) = (flagged, cfg)
    {
        return Placement::Map(m.clone());
    }
    let ns = match (&args.namespace, cfg) {
        (Some(ns), _) => Namespace::Key(ns.clone()),
        (None, Some(c)) => c.namespace.clone(),
        (None, None) => Namespace::Key(DEFAULT_NAMESPACE.to_string()),
    };
    let format = match (args.claims_format, cfg) {
        (Some(f), _) => f.format(),
        (None, Some(c)) => c.format,
        (None, None) => Format::StringifiedJson,
    };
    Placement::Namespace { ns, format }
}

fn random_id() -> Result<String, UsageError> {
    devkit::uuid().ok_or_else(|| {
        UsageError::new(
            Id::MintKey,
            "the system's random source failed",
            "try again",
        )
    })
}

/// The private key of `--key` (a keygen folder or a PEM file), with a warning when the folder's
/// key set does not publish it.
fn signing_key(path: &Path) -> Result<(SigningKey, Vec<Check>), UsageError> {
    let folder = path.is_dir();
    let file = if folder {
        path.join(PRIVATE_KEY_FILE)
    } else {
        path.to_path_buf()
    };
    let text = crate::input::read_file(&file, MAX_KEY_FILE).map_err(|e| {
        let hint = if folder {
            format!(
                "make the key first: jwtcheck keygen --out {}",
                path.display()
            )
        } else {
            e.hint()
        };
        UsageError::new(Id::UsageUnreadable, e.to_string(), hint)
    })?;
    let key = SigningKey::from_pem(&text)
        .map_err(|e| UsageError::new(e.id(), format!("{}: {e}", file.display()), e.hint()))?;
    let mut notes = Vec::new();
    if folder && !published(&path.join(JWKS_FILE), &key.kid()) {
        notes.push(Check::warn(
            Id::Key,
            format!(
                "{} does not publish this key (kid {})",
                path.join(JWKS_FILE).display(),
                key.kid()
            ),
            format!(
                "serve-keys serves that file, so nothing verifies this token against it: run jwtcheck keygen --out {} --force to write both again",
                path.display()
            ),
        ));
    }
    Ok((key, notes))
}

/// Whether the key set file holds a key with this kid.
fn published(jwks: &Path, kid: &str) -> bool {
    crate::input::read_file(jwks, MAX_KEY_FILE)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|v| crate::jose::jwk::parse_set(&v).ok())
        .is_some_and(|set| set.kids().contains(&kid))
}

/// The compact token: header and claims written as Cognito writes JSON, signed.
fn sign(spec: &Spec, key: &SigningKey) -> Result<String, UsageError> {
    let claims = shape::claims(spec).map_err(|e| {
        UsageError::new(
            Id::UsageClaim,
            e.to_string(),
            "the Hasura configuration's claims path runs through a claim the token needs as it is; change the path or --namespace",
        )
    })?;
    devkit::sign_claims(claims, key).map_err(|e| UsageError::new(e.id(), e.to_string(), e.hint()))
}

/// What a real Cognito pool could not issue, said beside the token: Hasura claims in an access
/// token, or as a JSON object, need a V2/V3 trigger (Essentials or Plus).
fn fidelity(spec: &Spec) -> Vec<Check> {
    if crate::cognito::pool_of_issuer(&spec.issuer).is_none() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    if spec.token_use == TokenUse::Access {
        notes.push(Check::warn(
            Id::LintTokenKind,
            "Hasura claims in an access token: a Pre Token Generation V1 trigger cannot put them there",
            "Cognito writes them into access tokens only with a V2/V3 trigger (Essentials or Plus); with V1, send Hasura the id token",
        ));
    }
    let json_object = matches!(
        &spec.placement,
        Placement::Namespace {
            format: Format::Json,
            ..
        } | Placement::Map(_)
    );
    if json_object {
        let (message, hint) = crate::cognito::v1_claims_format(
            "Hasura claims as JSON values",
            "\"claims_format\": \"stringified_json\"",
        );
        notes.push(Check::warn(Id::LintCognitoClaimsFormat, message, hint));
    }
    notes
}

/// The configuration flags as `verify` takes them (no `x-hasura-role` header).
fn hasura_args(args: &MintArgs) -> HasuraArgs {
    HasuraArgs {
        hasura_config: args.hasura_config.clone(),
        hasura_config_env: args.hasura_config_env,
        role: None,
        hasura_messages: MessageStyle::Unquoted,
        hasura_edition: args.hasura_edition,
        ddn_compatibility_date: None,
        ddn_auth_mode: None,
    }
}

/// `verify --hasura-config …` (or `--hasura-config-env`) with nothing else: the engine's keys,
/// rules and claims, as `verify` judges a token.
fn verify_args(args: &MintArgs) -> VerifyArgs {
    VerifyArgs {
        keys: KeyArgs {
            jwks: None,
            key: None,
            secret_file: None,
            secret_env: None,
            secret: None,
            issuer: Vec::new(),
            cognito_pool: None,
        },
        claims: ClaimArgs {
            audience: Vec::new(),
            token_use: None,
            client_id: Vec::new(),
            leeway: None,
            no_exp_required: false,
            allow_weak_secret: false,
            max_age: None,
        },
        fetch: args.fetch.clone(),
        hasura: hasura_args(args),
        policy: PolicyArgs {
            policy: None,
            expect_role: Vec::new(),
            expect_default_role: None,
            forbid_role: Vec::new(),
            require_claim: Vec::new(),
            claim_equals: Vec::new(),
            expect_token_use: None,
            max_lifetime: None,
        },
    }
}
