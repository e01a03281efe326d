//! `jwtcheck check`: before a deploy, prove that the Hasura JWT configuration, its key set, real
//! tokens and the expected roles agree.

use crate::report::Id;
use crate::report::verdict;

mod configuration;
mod keys;
mod samples;

use super::Context;
use crate::cli::options::{self as config, HasuraSetup, KeySource, UsageError, VerifyConfig};
use crate::cli::{FetchArgs, HasuraArgs, PolicyArgs};
use crate::jose::claims::Rules;
use crate::judge;
use crate::net::keys::Loader;
use crate::report::{Check, CheckReport, Counts, Report, Section, TokenResult, Verdict};
use configuration::{
    Stop, configuration, ddn_audience_from_samples, samples_from_another_pool, single_key_url,
};
use keys::key_sets;
use samples::{Sample, samples};

/// The arguments of `check`.
pub struct CheckArgs<'a> {
    /// Hasura configuration flags.
    pub hasura: &'a HasuraArgs,
    /// `--token` values.
    pub tokens: &'a [String],
    /// `--callback-url` values.
    pub callback_urls: &'a [String],
    /// `--jwks` override.
    pub jwks: Option<&'a str>,
    /// Policy flags.
    pub policy: &'a PolicyArgs,
    /// Fetch flags.
    pub fetch: &'a FetchArgs,
    /// `--strict`.
    pub strict: bool,
    /// `--max-age`.
    pub max_age: Option<&'a str>,
}

/// Runs every check.
pub fn run(args: &CheckArgs<'_>, ctx: &mut Context<'_>) -> CheckReport {
    let mut out = CheckReport {
        schema: crate::report::SCHEMA_VERSION,
        verdict: Verdict::Valid,
        summary: String::new(),
        error: None,
        strict: args.strict,
        config: Section {
            source: String::new(),
            checks: Vec::new(),
        },
        keyset: None,
        keys: None,
        tokens: Vec::new(),
        counts: Counts::default(),
    };
    let env = |k: &str| std::env::var(k).ok();
    // 1. The configuration, before anything is fetched.
    let parsed = match configuration(args, &env, &mut out) {
        Ok(p) => p,
        Err(Stop::Usage(e)) => return usage(out, e),
        Err(Stop::Unusable(id, why)) => {
            return verdict::conclude_check(out, Some((id, why)), false);
        }
    };
    let inputs = match inputs(args, ctx) {
        Ok(i) => i,
        Err(e) => return usage(out, e),
    };
    ddn_audience_from_samples(&parsed, &inputs.samples, &mut out);
    // 2. The key set(s).
    let mut loader = Loader::new(&inputs.fetch, ctx.system_now);
    let keys_ok = match key_sets(
        &parsed,
        inputs.keys_override.as_ref(),
        &mut loader,
        &mut out,
    ) {
        Ok(ok) => ok,
        Err(e) => return usage(out, e),
    };
    // 3. The sample tokens, judged as the engine would, and 4. the policy.
    let key_url = single_key_url(&parsed);
    let setup = HasuraSetup {
        engine: parsed.engine,
        source: out.config.source.clone(),
        role: args.hasura.role.clone(),
        messages: config::messages(args.hasura.hasura_messages),
        notes: Vec::new(),
    };
    let vcfg = VerifyConfig {
        keys: inputs.keys_override.unwrap_or(KeySource::TokenIssuer),
        hasura: Some(setup),
        policy: inputs.policy,
        rules: inputs.rules,
        fetch: inputs.fetch,
        notes: Vec::new(),
        note_key_override: false,
    };
    judge_samples(inputs.samples, &vcfg, keys_ok, &mut loader, ctx, &mut out);
    if let Some(url) = key_url {
        samples_from_another_pool(&url, &mut out);
    }
    verdict::conclude_check(out, None, !keys_ok)
}

/// What the flags give besides the configuration.
struct Inputs {
    policy: crate::policy::Policy,
    fetch: config::FetchConfig,
    keys_override: Option<KeySource>,
    samples: Vec<Sample>,
    rules: Rules,
}

fn inputs(args: &CheckArgs<'_>, ctx: &mut Context<'_>) -> Result<Inputs, UsageError> {
    let policy = config::policy_config(args.policy)?;
    let mut fetch = config::fetch_config(args.fetch, ctx.max_input)?;
    if fetch.mode == crate::net::cache::Mode::Normal {
        // A pre-deploy check asks the key set's server now (and updates the cache).
        fetch.mode = crate::net::cache::Mode::Refresh;
    }
    let keys_override = args.jwks.map(config::jwks_source).transpose()?;
    let samples = samples(args, ctx)?;
    if samples.is_empty() && !policy.is_empty() {
        let given = match &args.policy.policy {
            Some(path) => format!("--policy {}", path.display()),
            None => "policy flags".to_string(),
        };
        return Err(UsageError::new(
            Id::LintTokens,
            format!(
                "a policy is given ({given}) but no sample token: the policy cannot be checked"
            ),
            ADD_TOKENS,
        ));
    }
    let rules = Rules {
        max_age: args.max_age.map(config::max_age).transpose()?,
        ..Rules::default()
    };
    Ok(Inputs {
        rules,
        policy,
        fetch,
        keys_override,
        samples,
    })
}

/// How to give `check` sample tokens.
const ADD_TOKENS: &str =
    "add --token @tokens.txt (one token per line) or --callback-url with a real sign-in";

/// Steps 3 and 4: each sample token judged as the engine would, with the policy.
fn judge_samples(
    samples: Vec<Sample>,
    vcfg: &VerifyConfig,
    keys_ok: bool,
    loader: &mut Loader,
    ctx: &Context<'_>,
    out: &mut CheckReport,
) {
    if samples.is_empty() {
        out.config.checks.push(Check::warn(
            Id::LintTokens,
            "no sample tokens: the claims, roles and policy were not checked",
            ADD_TOKENS,
        ));
    }
    for sample in samples {
        let mut report = Report::new(ctx.now);
        if let Some((id, message, hint)) = sample.dead_end {
            report.checks.push(Check::fail(
                Id::CallbackToken,
                message.clone(),
                hint.clone(),
            ));
            report.stop(Verdict::Malformed, id, message, hint);
        } else if keys_ok {
            judge::judge(
                &sample.text,
                &sample.wrapper,
                vcfg,
                loader,
                ctx.now,
                &mut report,
            );
        } else {
            report.checks.push(Check::skip(
                Id::Signature,
                "not checked: the keys could not be obtained",
            ));
            report.verdict = Verdict::Undecidable;
            report.summary = "not checked: the keys could not be obtained".into();
        }
        out.tokens.push(TokenResult {
            label: sample.label,
            place: sample.place,
            report,
        });
    }
}

fn usage(mut out: CheckReport, e: UsageError) -> CheckReport {
    out.verdict = Verdict::UsageError;
    out.summary = e.message.clone();
    out.error = Some(crate::report::Problem {
        id: e.id,
        message: e.message,
        hint: e.hint,
    });
    out
}
