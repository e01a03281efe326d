//! `jwtcheck check`: before a deploy, prove that the Hasura JWT configuration, its key set, real
//! tokens and the expected roles agree.

use crate::report::Id;
use crate::report::verdict;
use serde_json::Value;

use super::Context;
use crate::cli::options::{
    self as config, HasuraSetup, KeySource, SECRETS_ENV, UsageError, VerifyConfig,
};
use crate::cli::{FetchArgs, HasuraArgs, PolicyArgs};
use crate::hasura::config::{self as hconfig, JwtConfig, KeyConfig};
use crate::hasura::ddn::DdnConfig;
use crate::hasura::ddn::config::{DdnConfigError, DdnErrorKind};
use crate::input::callback::{self, Grant};
use crate::input::{self, Wrapper};
use crate::jose::claims::Rules;
use crate::judge;
use crate::judge::startup::{self, Form, LoadedConfig};
use crate::lint::config as lint;
use crate::lint::keyset as keylint;
use crate::net::keys::{KeyError, Loaded, Loader};
use crate::report::{
    Check, CheckReport, Counts, KeySetInfo, Report, Section, TokenResult, Verdict,
};

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

/// A sample token and where it came from.
struct Sample {
    label: String,
    text: String,
    wrapper: Wrapper,
    /// A callback that carries no usable token: (id, message, hint).
    dead_end: Option<(Id, String, String)>,
    /// The file and line it was read from.
    place: Option<(String, usize)>,
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

/// The one key set URL every token is verified with: a DDN `jwkFromUrl`, or the `jwk_url` of a
/// configuration that is not a list.
fn single_key_url(parsed: &Parsed) -> Option<String> {
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
fn samples_from_another_pool(url: &str, out: &mut CheckReport) {
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
enum Stop {
    Usage(UsageError),
    Unusable(Id, &'static str),
}

/// The configuration as the engine reads it, for the later steps.
struct Parsed {
    /// The engine and what it read (v2: the entries it keeps, equal ones merged).
    engine: config::Engine,
    /// Each v2 entry's `type`, for the key types lint.
    types: Vec<String>,
}

impl Parsed {
    fn is_ddn(&self) -> bool {
        matches!(self.engine, config::Engine::Ddn(_))
    }
}

/// Step 1: read and lint the configuration (JSON, each entry as the engine parses it, the
/// environment, entries no issuer tells apart).
fn configuration(
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
    let entries: Vec<&Value> = match (&value, variable) {
        (Value::Array(items), SECRETS_ENV) => items.iter().collect(),
        _ => vec![&value],
    };
    let (linted, refused) = parse_entries(&entries, variable, text, out);
    out.config
        .checks
        .extend(lint::environment_notes(&environment));
    out.config
        .checks
        .extend(lint::ambiguity(&hconfig::dedupe(linted)));
    // What the engine starts with decides; an entry's row above says why it refuses one.
    let configs = match engine {
        Ok(configs) if !refused && !configs.is_empty() => configs,
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
    let types = entries
        .iter()
        .filter_map(|e| e.get("type").and_then(Value::as_str).map(str::to_string))
        .collect();
    Ok(Parsed {
        engine: config::Engine::V2(configs),
        types,
    })
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
fn ddn_audience_from_samples(parsed: &Parsed, samples: &[Sample], out: &mut CheckReport) {
    let config::Engine::Ddn(cfg) = &parsed.engine else {
        return;
    };
    if samples.is_empty() {
        return;
    }
    let has_aud = samples.iter().any(|s| {
        crate::jose::token::parse(&s.text)
            .ok()
            .and_then(|jws| jws.claims().map(|c| c.contains_key("aud")))
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

/// Each entry linted and parsed as the engine parses it (errors of a list entry say `$[i]`):
/// the entries the engine accepts, and whether it refuses any.
fn parse_entries(
    entries: &[&Value],
    variable: &str,
    text: &str,
    out: &mut CheckReport,
) -> (Vec<JwtConfig>, bool) {
    let many = entries.len() > 1;
    let mut configs = Vec::new();
    let mut refused = false;
    for (i, entry) in entries.iter().enumerate() {
        let label = if many {
            format!("entry #{}: ", i + 1)
        } else {
            String::new()
        };
        out.config.checks.extend(lint::raw(entry, &label));
        match hconfig::parse(entry) {
            Ok(c) => {
                out.config.checks.extend(lint::semantic(&c, &label));
                out.config
                    .checks
                    .extend(crate::lint::jsonpath::claims_paths(&c, &label));
                configs.push(c);
            }
            Err(e) => {
                refused = true;
                let e = if many {
                    hconfig::StartupError {
                        message: e
                            .message
                            .replacen("Error in $", &format!("Error in $[{i}]"), 1),
                        approximate: e.approximate,
                        hint: e.hint,
                    }
                } else {
                    e
                };
                out.config
                    .checks
                    .push(lint::startup(&e, variable, &label, text));
            }
        }
    }
    (configs, refused)
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

/// The key sets to load: `--jwks` when given (it stands in for every `jwk_url`), else each
/// distinct `jwk_url` once.
fn key_sources(
    parsed: &Parsed,
    keys_override: Option<&KeySource>,
) -> Vec<(Option<String>, KeySource)> {
    let mut sources: Vec<(Option<String>, KeySource)> = Vec::new();
    match keys_override {
        Some(k) => sources.push((None, k.clone())),
        None => {
            let configs = match &parsed.engine {
                config::Engine::Ddn(ddn) => {
                    if let crate::hasura::ddn::DdnKey::JwkFromUrl(u) = &ddn.key {
                        sources.push((Some(u.clone()), KeySource::JwksUrl(u.clone())));
                    }
                    &[][..]
                }
                config::Engine::V2(configs) => configs.as_slice(),
            };
            for c in configs {
                if let KeyConfig::Url(u) = &c.key
                    && !sources
                        .iter()
                        .any(|(_, s)| *s == KeySource::JwksUrl(u.clone()))
                {
                    sources.push((Some(u.clone()), KeySource::JwksUrl(u.clone())));
                }
            }
        }
    }
    sources
}

/// Step 2: every key set the configuration names (or `--jwks` in their stead), fetched now and
/// linted as the engine will read it. Returns whether the keys could be obtained.
fn key_sets(
    parsed: &Parsed,
    keys_override: Option<&KeySource>,
    loader: &mut Loader,
    out: &mut CheckReport,
) -> Result<bool, UsageError> {
    let mut keyset = Section {
        source: String::new(),
        checks: Vec::new(),
    };
    let mut keys_ok = true;
    let sources = key_sources(parsed, keys_override);
    for (url, source) in &sources {
        match loader.load(source, None, false) {
            Ok(loaded) => {
                keyset.source = loaded.source.clone();
                if parsed.is_ddn() {
                    keyset
                        .checks
                        .extend(ddn_loaded_checks(&loaded, keys_override.is_some()));
                } else {
                    keyset.checks.extend(loaded_checks(
                        &loaded,
                        url.as_deref(),
                        keys_override.is_some(),
                        &parsed.types,
                    ));
                }
                if let Some(doc) = &loaded.http {
                    out.keys = Some(KeySetInfo {
                        source: loaded.source.clone(),
                        fetched: loaded.fetched.clone(),
                        headers: Some(doc.headers.clone()),
                        caching: keylint::explain(
                            &doc.headers,
                            doc.at,
                            if parsed.is_ddn() {
                                keylint::Reader::HasuraDdn
                            } else {
                                keylint::Reader::HasuraV2
                            },
                        ),
                        keys: keylint::rows(&loaded.set),
                    });
                }
            }
            Err(KeyError::Usage(u)) => return Err(u),
            Err(KeyError::Unavailable {
                id,
                message,
                hint,
                status,
                ..
            }) => {
                let shown = url.clone().unwrap_or_else(|| match source {
                    KeySource::JwksFile(p) => p.display().to_string(),
                    KeySource::JwksUrl(u) => u.clone(),
                    _ => String::new(),
                });
                keyset.source = shown.clone();
                if id == Id::KeysEmpty {
                    // The engine starts with an empty set and answers every token NoUsableKeys.
                    keyset.checks.push(Check::fail(
                        Id::LintJwkUrl,
                        format!("{shown}: the key set is empty"),
                        "Hasura starts, but answers every token 'Could not verify JWT: JWSError NoUsableKeys': publish the signing keys",
                    ));
                    continue;
                }
                keys_ok = false;
                let hint = match url {
                    Some(u) if parsed.is_ddn() => {
                        format!(
                            "{hint}. {}",
                            crate::hasura::ddn::jwks::fetch_hint(id, status, u)
                        )
                    }
                    Some(u) => {
                        format!("{hint}. {}", crate::hasura::jwks::startup_fetch_hint(id, u))
                    }
                    None => hint,
                };
                keyset
                    .checks
                    .push(Check::fail(Id::LintJwkUrl, message, hint));
            }
        }
    }
    if !sources.is_empty() {
        out.keyset = Some(keyset);
    }
    Ok(keys_ok)
}

/// What a loaded key set shows: its keys, stand-ins, the key set lints, the engine's reading,
/// key types against `type`, and the caching headers.
fn loaded_checks(
    loaded: &Loaded,
    url: Option<&str>,
    stand_in: bool,
    types: &[String],
) -> Vec<Check> {
    let mut checks = keys_found(loaded, stand_in, false);
    checks.extend(keylint::lint(&loaded.set, url.is_some()));
    if let Some(why) = loaded.raw.as_deref().and_then(crate::hasura::jwks::refusal) {
        let (message, hint) =
            crate::hasura::jwks::refusal_advice(&why, url.unwrap_or(&loaded.source));
        checks.push(Check::fail(Id::HasuraJwksRefused, message, hint));
    }
    checks.extend(keylint::type_fit(types, &loaded.set));
    if let Some(doc) = &loaded.http {
        checks.push(keylint::caching_check(&doc.headers, doc.at));
    }
    checks
}

/// How many usable keys were found (and where), and whether they stand in for the
/// configuration's own (`--jwks`; `ddn`: an AuthConfig's).
fn keys_found(loaded: &Loaded, stand_in: bool, ddn: bool) -> Vec<Check> {
    let fetched = loaded
        .fetched
        .clone()
        .unwrap_or_else(|| "read from a file".into());
    let mut checks = vec![Check::pass(
        Id::LintJwkUrl,
        format!(
            "{}: {} usable key(s) ({fetched})",
            loaded.source,
            loaded.set.keys.len()
        ),
    )];
    if stand_in {
        let (message, hint) = judge::stand_in(&loaded.source, ddn);
        checks.push(Check::warn(Id::LintJwkUrl, message, hint));
    }
    checks
}

/// What a loaded key set shows to Hasura DDN, which reads the whole set with its JWT library on
/// every request (so caching headers do not matter to it).
fn ddn_loaded_checks(loaded: &Loaded, stand_in: bool) -> Vec<Check> {
    let mut checks = keys_found(loaded, stand_in, true);
    checks.extend(keylint::lint(&loaded.set, true).into_iter().map(|mut c| {
        if c.id == Id::LintRsaSize && c.status == crate::report::Status::Fail {
            c.message = format!("{}: {}", c.message, crate::hasura::ddn::RSA_UNDER_2048);
        }
        c
    }));
    if !stand_in
        && let Some(why) = loaded
            .raw
            .as_deref()
            .and_then(crate::hasura::ddn::jwks::refusal)
    {
        checks.push(Check::fail(
            Id::HasuraJwksRefused,
            format!("Hasura DDN's JWT library refuses this key set: {why}"),
            "DDN fetches the set on every request and answers 500 (error decoding response body) while one key is unreadable: fix or remove it",
        ));
    }
    checks
}

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

/// The sample tokens from `--token` and `--callback-url`, numbered in that order.
fn samples(args: &CheckArgs<'_>, ctx: &mut Context<'_>) -> Result<Vec<Sample>, UsageError> {
    let mut out = Vec::new();
    let cap = ctx.max_input.max(1024 * 1024);
    for arg in args.tokens {
        let (text, origin) = if arg == "-" {
            let i = input::read("-", cap, ctx.stdin)
                .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
            (i.text, "stdin".to_string())
        } else if let Some(path) = arg.strip_prefix('@') {
            let t = input::read_file(std::path::Path::new(path), cap)
                .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
            (t, path.to_string())
        } else if input::names_a_file(arg) {
            return Err(UsageError::new(
                Id::InputRead,
                format!("--token {}", input::did_you_mean_at(arg)),
                input::AT_FILE,
            ));
        } else {
            (arg.clone(), "--token".to_string())
        };
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if lines.is_empty() {
            return Err(empty_token_input(arg, &origin, &text));
        }
        let several = lines.len() > 1;
        for (n, line) in lines {
            let (token, wrapper) = input::clean(line);
            let label = if several {
                format!("{origin} line {n}")
            } else {
                origin.clone()
            };
            out.push(Sample {
                label: format!("token #{} ({label})", out.len() + 1),
                text: token.into_owned(),
                wrapper,
                dead_end: None,
                place: arg.strip_prefix('@').map(|path| (path.to_string(), n)),
            });
        }
    }
    for arg in args.callback_urls {
        let sample = callback_sample(arg, out.len() + 1, ctx)?;
        out.push(sample);
    }
    Ok(out)
}

/// A `--token` input that holds no token (an unset CI secret, an empty or comment-only file):
/// `check` stops rather than pass without judging a token.
fn empty_token_input(arg: &str, origin: &str, text: &str) -> UsageError {
    let what = if arg == "-" {
        "--token -: standard input".to_string()
    } else if arg.starts_with('@') {
        format!("--token @{origin}")
    } else {
        "--token".to_string()
    };
    let content = if text.trim().is_empty() {
        "is empty"
    } else {
        "holds only comments"
    };
    UsageError::new(
        Id::TokenEmpty,
        format!("{what} {content}: no sample token to check"),
        "an unset variable or an empty CI secret gives an empty --token; put one token per line (lines starting with # are comments), or leave --token out",
    )
}

/// The id token of a callback URL as sample number `number`, or why it carries none.
fn callback_sample(arg: &str, number: usize, ctx: &mut Context<'_>) -> Result<Sample, UsageError> {
    let i = input::read(arg, ctx.max_input, ctx.stdin)
        .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
    let label = format!("token #{number} (callback URL)");
    Ok(match callback::parse(&i.text) {
        Err(e) => Sample {
            label,
            text: String::new(),
            wrapper: Wrapper::None,
            dead_end: Some((e.id(), e.to_string(), e.hint().to_string())),
            place: None,
        },
        Ok(cb) => match (cb.grant(), cb.get("id_token")) {
            (Grant::Implicit, Some(t)) => Sample {
                label,
                text: t.to_string(),
                wrapper: Wrapper::None,
                dead_end: None,
                place: None,
            },
            (grant, _) => Sample {
                label,
                text: String::new(),
                wrapper: Wrapper::None,
                place: None,
                dead_end: Some((
                    match grant {
                        Grant::Error => Id::CallbackError,
                        Grant::Code => Id::CallbackCode,
                        Grant::Implicit => Id::CallbackNoIdToken,
                        Grant::Empty => Id::CallbackEmpty,
                    },
                    format!(
                        "the callback URL carries no id token ({})",
                        match grant {
                            Grant::Error =>
                                format!("Cognito returned {}", cb.get("error").unwrap_or_default()),
                            Grant::Code => "a code-grant callback".to_string(),
                            Grant::Implicit => "the openid scope was not requested".to_string(),
                            Grant::Empty => "no parameters".to_string(),
                        }
                    ),
                    "run jwtcheck from-url on it for the details".to_string(),
                )),
            },
        },
    })
}
