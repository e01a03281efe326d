//! `jwtcheck hasura-config CONFIG [--to ddn|v2]`: a v2 `HASURA_GRAPHQL_JWT_SECRET` as a DDN
//! AuthConfig, or back, with what cannot be carried over.

use serde_json::Value;

use super::Context;
use crate::cli::ConfigForm;
use crate::cli::options::{UsageError, config_text};
use crate::hasura::ddn::{config as dconfig, translate};
use crate::hasura::v2::config as hconfig;
use crate::report::{Id, Outcome, Report, Verdict};

/// Where the configuration comes from.
pub enum From<'a> {
    /// The argument: text, `@FILE`, or `-` for standard input.
    Arg(&'a str),
    /// The engine's variables (`--hasura-config-env`).
    Environment,
}

/// Translates the configuration `from` names.
pub fn run(
    from: From<'_>,
    to: Option<ConfigForm>,
    date: Option<&str>,
    json: bool,
    ctx: &mut Context<'_>,
) -> Outcome {
    let text = match from {
        From::Arg("-") => crate::input::read_stdin(crate::cli::options::MAX_CONFIG_FILE, ctx.stdin)
            .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint())),
        From::Arg(arg) => config_text(arg),
        From::Environment => {
            crate::judge::startup::env_text(None, &|k: &str| std::env::var(k).ok()).map(|c| c.text)
        }
    };
    match text.and_then(|text| translate_text(&text, to, date)) {
        Ok((t, form)) => written(&t, form, json),
        Err(e) => {
            let mut report = Report::new(ctx.now);
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            Outcome::Single(Box::new(report))
        }
    }
}

fn translate_text(
    text: &str,
    to: Option<ConfigForm>,
    date: Option<&str>,
) -> Result<(translate::Translation, ConfigForm), UsageError> {
    if let Some(d) = date {
        crate::judge::startup::compatibility_date(d)?;
    }
    let env = |k: &str| std::env::var(k).ok();
    if let Some(docs) = dconfig::documents(text) {
        if to == Some(ConfigForm::Ddn) {
            return Err(same_form("a Hasura DDN AuthConfig", "v2"));
        }
        let cfg = dconfig::parse(&docs, &env, date).map_err(|e| {
            UsageError::new(
                Id::HasuraStartup,
                format!(
                    "Hasura DDN refuses this AuthConfig at {}: {}",
                    e.path, e.message
                ),
                e.hint,
            )
        })?;
        let t = translate::to_v2(&cfg);
        // The v2 engine reads a fixed key more strictly than DDN's library: never hand over,
        // with success, a configuration it refuses at startup.
        if let Err(e) = hconfig::parse(&t.config) {
            return Err(UsageError::new(
                Id::HasuraStartup,
                format!(
                    "the translation would not start Hasura v2: {}",
                    e.fatal_line(crate::judge::startup::SECRET_ENV)
                ),
                e.hint.unwrap_or(
                    "fix the AuthConfig's key first; jwtcheck check --hasura-config on the translation explains it",
                ),
            ));
        }
        return Ok((t, ConfigForm::V2));
    }
    if to == Some(ConfigForm::V2) {
        return Err(same_form("a v2 configuration", "ddn"));
    }
    let refused = |e: hconfig::StartupError| {
        UsageError::new(
            Id::HasuraStartup,
            format!(
                "Hasura refuses this configuration at startup: {}",
                e.fatal_line(crate::judge::startup::SECRET_ENV)
            ),
            "fix the configuration first; jwtcheck check explains every field",
        )
    };
    let value = serde_json::from_str::<Value>(text.trim()).ok();
    let (cfg, entry) = match &value {
        // HASURA_GRAPHQL_JWT_SECRETS: valid on Cloud and Enterprise; DDN takes one JWT mode.
        Some(Value::Array(items)) => {
            let configs = hconfig::parse_list(text).map_err(refused)?;
            match (configs.as_slice(), items.as_slice()) {
                ([one], [entry]) => (one.clone(), Some(entry)),
                _ => {
                    return Err(UsageError::new(
                        Id::UsageHasuraConfig,
                        format!(
                            "this is a HASURA_GRAPHQL_JWT_SECRETS list of {} configurations, and a DDN AuthConfig takes one JWT mode",
                            items.len()
                        ),
                        "translate each entry on its own (e.g. jq '.[0]'); a v4 AuthConfig takes the others as alternativeModes, which a request picks with X-Hasura-Auth-Mode",
                    ));
                }
            }
        }
        _ => (hconfig::parse_text(text).map_err(refused)?, value.as_ref()),
    };
    let key_text = entry.and_then(|v| v.get("key").and_then(Value::as_str).map(str::to_string));
    Ok((
        translate::to_ddn(&cfg, key_text.as_deref()),
        ConfigForm::Ddn,
    ))
}

fn same_form(what: &str, other: &str) -> UsageError {
    UsageError::new(
        Id::UsageHasuraConfig,
        format!("the input is already {what}"),
        format!("say --to {other}, or leave --to out"),
    )
}

fn written(t: &translate::Translation, form: ConfigForm, json: bool) -> Outcome {
    let notes = || t.notes();
    let (stdout, stderr) = if json {
        let out = crate::report::ConfigTranslation {
            schema: crate::report::SCHEMA_VERSION,
            to: match form {
                ConfigForm::Ddn => "ddn",
                ConfigForm::V2 => "v2",
            }
            .into(),
            config: t.config.clone(),
            lost: t.lost.clone(),
            differences: t.differences.clone(),
        };
        (
            format!(
                "{}\n",
                serde_json::to_string_pretty(&out).unwrap_or_default()
            ),
            String::new(),
        )
    } else {
        match form {
            ConfigForm::Ddn => (translate::ddn_text(t), String::new()),
            ConfigForm::V2 => (
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&t.config).unwrap_or_default()
                ),
                notes().map(|n| format!("jwtcheck: {n}\n")).collect(),
            ),
        }
    };
    Outcome::Written {
        stdout,
        stderr,
        code: 0,
    }
}
