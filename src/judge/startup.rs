//! The engine's startup: the Hasura JWT configuration read from where the flags say
//! (`--hasura-config` text or `@FILE`, or the engine's environment variables), told v2 from DDN
//! and parsed as the engine parses it. The one loader of a configuration: the commands that
//! judge tokens turn what it read into a [`HasuraSetup`] with [`setup`] (a configuration the
//! engine refuses is a usage error; its warnings go with every token's report), and `check`
//! lints it. Pure: the caller reads files (`read`) and the environment (`env`).

use serde_json::Value;

use crate::hasura::ddn::DdnConfig;
use crate::hasura::ddn::config::{self as dconfig, DdnConfigError, DdnErrorKind};
use crate::hasura::v2::Messages;
use crate::hasura::v2::config::{self as hconfig, JwtConfig, StartupError};
use crate::jose::json::JsonError;
use crate::lint::config::{self as lint, Environment};
use crate::report::{Check, Id, Status};
use crate::settings::{Edition, Engine, HasuraSetup, UsageError};

/// The environment variable the engine reads its JWT configuration from.
pub const SECRET_ENV: &str = "HASURA_GRAPHQL_JWT_SECRET";
/// The list form (Hasura Cloud / Enterprise).
pub const SECRETS_ENV: &str = "HASURA_GRAPHQL_JWT_SECRETS";

/// Where the flags say the configuration is, and what reads it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// `--hasura-config JSON|@FILE`.
    pub config: Option<&'a str>,
    /// `--hasura-config-env`: the engine's environment variables.
    pub from_env: bool,
    /// `--hasura-edition`.
    pub edition: Option<Edition>,
    /// `--ddn-compatibility-date`.
    pub ddn_date: Option<&'a str>,
    /// `--ddn-auth-mode`.
    pub ddn_mode: Option<&'a str>,
}

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

/// What the engine reads in the text.
#[derive(Debug)]
pub enum Form {
    /// Hasura v2's `HASURA_GRAPHQL_JWT_SECRET(S)`: the JSON, and the configurations the engine
    /// keeps (or its startup error).
    V2 {
        /// The text as JSON (first of duplicated names wins, as in the engine).
        json: Result<Value, JsonError>,
        /// The configurations, equal list entries merged; or why the engine refuses them.
        engine: Result<Vec<JwtConfig>, StartupError>,
    },
    /// A Hasura DDN AuthConfig, as its build reads it.
    Ddn(Result<Box<DdnConfig>, DdnConfigError>),
}

/// A configuration read and parsed.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The text and where it came from.
    pub text: ConfigText,
    /// What the engine reads in it.
    pub form: Form,
    /// What the environment tells about the engine that reads it.
    pub environment: Environment,
}

/// Reads the configuration the flags name (`read` turns `--hasura-config`'s value, text or
/// `@FILE`, into text) and parses it as its engine does; `None` when no flag names one.
pub fn load(
    source: &Source<'_>,
    read: &dyn Fn(&str) -> Result<String, UsageError>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<LoadedConfig>, UsageError> {
    let Some(text) = text(source, read, env)? else {
        return Ok(None);
    };
    let form = match dconfig::documents(&text.text) {
        Some(docs) => {
            if let Some(d) = source.ddn_date {
                compatibility_date(d)?;
            }
            Form::Ddn(
                dconfig::parse_mode(&docs, env, source.ddn_date, source.ddn_mode).map(Box::new),
            )
        }
        None => Form::V2 {
            json: crate::jose::json::parse_first_wins(text.text.trim().as_bytes()).map(|p| p.value),
            engine: match text.variable {
                SECRETS_ENV => hconfig::parse_list(&text.text),
                _ => hconfig::parse_text(&text.text).map(|c| vec![c]),
            },
        },
    };
    // Only a configuration read from the environment says anything about it.
    let environment = Environment {
        admin_secret_missing: source.from_env
            && env("HASURA_GRAPHQL_ADMIN_SECRET").is_none()
            && env("HASURA_GRAPHQL_ACCESS_KEY").is_none(),
    };
    Ok(Some(LoadedConfig {
        text,
        form,
        environment,
    }))
}

/// The configuration's text: `--hasura-config JSON|@FILE` or, with `--hasura-config-env`, the
/// engine's variables (the list wins, as in the engine); `None` when neither flag is given.
pub fn text(
    source: &Source<'_>,
    read: &dyn Fn(&str) -> Result<String, UsageError>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ConfigText>, UsageError> {
    match (source.config, source.from_env) {
        (Some(value), _) => flag_text(value, source.edition, read).map(Some),
        (None, true) => env_text(source.edition, env).map(Some),
        (None, false) => Ok(None),
    }
}

/// The configuration given with `--hasura-config` (text or `@FILE`).
fn flag_text(
    value: &str,
    edition: Option<Edition>,
    read: &dyn Fn(&str) -> Result<String, UsageError>,
) -> Result<ConfigText, UsageError> {
    let text = read(value)?;
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
        path: value.strip_prefix('@').map(str::to_string),
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

/// Each entry of a v2 configuration as the engine parses it: the list's entries under
/// [`SECRETS_ENV`], else the one configuration. The error of an entry of several says `$[i]`;
/// the engine itself stops at the first (`Form::V2`'s `engine`), `check` lints each.
pub fn entries<'a>(
    json: &'a Value,
    variable: &str,
) -> Vec<(&'a Value, Result<JwtConfig, StartupError>)> {
    let items: Vec<&Value> = match (json, variable) {
        (Value::Array(items), SECRETS_ENV) => items.iter().collect(),
        _ => vec![json],
    };
    let many = items.len() > 1;
    items
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let parsed = hconfig::parse(entry).map_err(|e| match many {
                true => StartupError {
                    message: e
                        .message
                        .replacen("Error in $", &format!("Error in $[{i}]"), 1),
                    approximate: e.approximate,
                    hint: e.hint,
                },
                false => e,
            });
            (entry, parsed)
        })
        .collect()
}

/// The setup a token is judged by: a configuration the engine refuses at startup is a usage
/// error carrying the engine's message; the warnings about the configuration are the setup's
/// notes, said with every token's report.
pub fn setup(
    loaded: LoadedConfig,
    role: Option<String>,
    messages: Messages,
) -> Result<HasuraSetup, UsageError> {
    let LoadedConfig {
        text,
        form,
        environment,
    } = loaded;
    let mut notes = text.notes;
    let engine = match form {
        Form::Ddn(parsed) => {
            let cfg = parsed.map_err(ddn_usage)?;
            notes.extend(cfg.fallback_note());
            Engine::Ddn(cfg)
        }
        Form::V2 { json, engine } => {
            let configs = v2_configs(&text.text, text.variable, engine)?;
            notes.extend(lint::text_notes(&text.text));
            notes.extend(v2_notes(
                &text.text,
                &text.source,
                json.ok(),
                &configs,
                &environment,
            ));
            Engine::V2(configs)
        }
    };
    Ok(HasuraSetup {
        engine,
        source: text.source,
        role,
        messages,
        notes,
    })
}

/// The v2 configurations the engine starts with, or its refusal as a usage error.
fn v2_configs(
    text: &str,
    variable: &str,
    engine: Result<Vec<JwtConfig>, StartupError>,
) -> Result<Vec<JwtConfig>, UsageError> {
    if let Some((message, hint)) = lint::unreadable_auth_config(text) {
        return Err(UsageError::new(Id::HasuraStartup, message, hint));
    }
    let configs = engine.map_err(|e| {
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
            match crate::input::paste::damage(text)
                .or_else(|| lint::path_advice(text, None))
                .or_else(|| lint::not_json(text))
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
    Ok(configs)
}

/// The warnings about a v2 configuration the engine starts with: the environment, a pasted
/// form, unknown fields, the skew, claims paths and a misspelt `type`.
fn v2_notes(
    text: &str,
    source: &str,
    json: Option<Value>,
    configs: &[JwtConfig],
    environment: &Environment,
) -> Vec<Check> {
    let mut notes = lint::environment_notes(environment);
    notes.extend(lint::pasted(text, source).map(|mut c| {
        c.status = Status::Warn;
        c
    }));
    for c in configs {
        for field in &c.unknown_fields {
            notes.push(lint::unknown_field(field, ""));
        }
        notes.extend(lint::allowed_skew(c, ""));
        notes.extend(crate::lint::jsonpath::claims_paths(c, ""));
    }
    let entries: Vec<Value> = match json {
        Some(Value::Array(items)) => items,
        Some(one) => vec![one],
        None => Vec::new(),
    };
    notes.extend(entries.iter().filter_map(|e| lint::type_typo(e, "")));
    notes
}

/// A DDN AuthConfig jwtcheck cannot judge a token by: a mode with no JWT is a usage error of
/// `--ddn-auth-mode`'s kind, a refused one carries the field the build names.
pub fn ddn_usage(e: DdnConfigError) -> UsageError {
    if e.kind == DdnErrorKind::NotJwt {
        return UsageError::new(Id::UsageDdnMode, e.message, e.hint);
    }
    UsageError::new(Id::HasuraStartup, ddn_refusal(&e), e.hint)
}

/// `Hasura DDN refuses this AuthConfig at PATH: …`.
pub fn ddn_refusal(e: &DdnConfigError) -> String {
    let at = if e.path.is_empty() {
        String::new()
    } else {
        format!(" at {}", e.path)
    };
    format!("Hasura DDN refuses this AuthConfig{at}: {}", e.message)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_read_entry_by_entry_and_one_object_whole() {
        let list = serde_json::json!([{"type": "HS256", "key": "0123456789abcdef0123456789abcdef"}, {"type": 1}]);
        let read = entries(&list, SECRETS_ENV);
        assert_eq!(read.len(), 2);
        assert!(read[0].1.is_ok());
        let error = read[1].1.as_ref().unwrap_err();
        assert!(
            error.message.starts_with("Error in $[1]"),
            "{}",
            error.message
        );
        // HASURA_GRAPHQL_JWT_SECRET holds one configuration: a list there is one (refused) value.
        assert_eq!(entries(&list, SECRET_ENV).len(), 1);
    }
}
