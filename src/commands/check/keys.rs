//! `check`'s step 2: every key set the configuration names, fetched now and linted as the
//! engine will read it.

use super::configuration::Parsed;
use crate::cli::options::{self as config, KeySource, UsageError};
use crate::hasura::v2::config::KeyConfig;
use crate::judge;
use crate::lint::keyset as keylint;
use crate::net::keys::{KeyError, Loaded, Loader};
use crate::report::{Check, CheckReport, Id, KeySetInfo, Section};

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
pub(super) fn key_sets(
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
                keyset
                    .checks
                    .extend(shown(&loaded, parsed, url.as_deref(), keys_override, out));
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
                keys_ok &= id == Id::KeysEmpty;
                let why = Unavailable {
                    id,
                    status,
                    message,
                    hint,
                };
                keyset
                    .checks
                    .push(unavailable(&shown, url.as_deref(), parsed.is_ddn(), why));
                keyset.source = shown;
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
    if let Some((message, hint)) =
        crate::hasura::v2::jwks::refused(loaded.raw.as_deref(), url.unwrap_or(&loaded.source))
    {
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
            c.message = format!("{}: {}", c.message, crate::hasura::ddn::RSA_UNDER_2048).into();
        }
        // Over 8192 bits jwtcheck cannot tell; DDN's library never verifies (ring's limit).
        if c.id == Id::LintRsaSize && c.message.contains("bits, more than 8192") {
            c.status = crate::report::Status::Fail;
            c.message = format!(
                "{}: {}",
                c.message
                    .trim_end_matches(", which jwtcheck cannot verify with"),
                crate::hasura::ddn::RSA_OVER_8192
            )
            .into();
            c.hint = Some("use an RSA key of 2048 to 8192 bits".into());
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

/// A loaded key set's rows (DDN's or v2's reading), and its HTTP caching for the report.
fn shown(
    loaded: &Loaded,
    parsed: &Parsed,
    url: Option<&str>,
    keys_override: Option<&KeySource>,
    out: &mut CheckReport,
) -> Vec<Check> {
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
    if parsed.is_ddn() {
        ddn_loaded_checks(loaded, keys_override.is_some())
    } else {
        loaded_checks(loaded, url, keys_override.is_some(), &parsed.types)
    }
}

/// Why a key set could not be obtained.
struct Unavailable {
    id: Id,
    status: Option<u16>,
    message: String,
    hint: String,
}

/// The row of a key set that could not be obtained (`shown`), with the engine's advice when the
/// configuration names its `url`. An empty set is no fetch failure: v2 starts and answers every
/// token NoUsableKeys; DDN builds and finds no key for any kid.
fn unavailable(shown: &str, url: Option<&str>, ddn: bool, why: Unavailable) -> Check {
    if why.id == Id::KeysEmpty {
        return Check::fail(
            Id::LintJwkUrl,
            format!("{shown}: the key set is empty"),
            if ddn {
                crate::hasura::ddn::jwks::EMPTY_SET
            } else {
                "Hasura starts, but answers every token 'Could not verify JWT: JWSError NoUsableKeys': publish the signing keys"
            },
        );
    }
    let hint = match url {
        Some(u) if ddn => format!(
            "{}. {}",
            why.hint,
            crate::hasura::ddn::jwks::fetch_hint(why.id, why.status, u)
        ),
        Some(u) => format!(
            "{}. {}",
            why.hint,
            crate::hasura::v2::jwks::startup_fetch_hint(why.id, u)
        ),
        None => why.hint,
    };
    Check::fail(Id::LintJwkUrl, why.message, hint)
}
