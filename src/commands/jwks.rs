//! `jwtcheck jwks URL|FILE`: list a key set, explain its caching headers, lint it.

use std::io::Write;

use serde_json::Value;

use super::Context;
use crate::cli::options::{self as config, FetchConfig, KeySource, UsageError};
use crate::cli::{FetchArgs, HasuraArgs};
use crate::clock;
use crate::hasura::ddn::DdnKey;
use crate::hasura::v2::config::KeyConfig;
use crate::hasura::v2::refresh;
use crate::judge::verdict;
use crate::lint::keyset::{Reader, caching_check, explain, lint, rows, summary};
use crate::net::cache::{Cache, Document, Mode};
use crate::net::fetch::Fetcher;
use crate::net::keys::{KeyError, Loader};
use crate::net::watch::Waiter;
use crate::report::Id;
use crate::report::{Check, KeySetInfo, Outcome, Report, Verdict};

/// Shows and lints the key set at `source`.
pub fn run(source: &str, args: &FetchArgs, hasura: &HasuraArgs, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    if hasura.hasura_config.is_some() || hasura.hasura_config_env {
        report.stop(
            Verdict::UsageError,
            Id::UsageWatch,
            "a Hasura configuration with jwks is for --watch (when the engine sees a new key)".into(),
            "add --watch, or leave the configuration out: jwtcheck jwks explains Hasura's refresh from the caching headers anyway".into(),
        );
        return report;
    }
    let mut fetch = match config::fetch_config(args, ctx.max_input) {
        Ok(f) => f,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return report;
        }
    };
    // Inspecting a key set means asking its server now (and updating the cache), unless told
    // to stay offline or away from the cache.
    if fetch.mode == Mode::Normal {
        fetch.mode = Mode::Refresh;
    }
    let is_url = source.starts_with("https://") || source.starts_with("http://");
    let spec = if is_url {
        if let Err(e) = crate::net::fetch::check_url(source) {
            report.stop(Verdict::UsageError, e.id(), e.to_string(), e.hint());
            return report;
        }
        KeySource::JwksUrl(source.to_string())
    } else {
        KeySource::JwksFile(config::file_arg(std::path::Path::new(source)))
    };
    let mut loader = Loader::new(&fetch, ctx.system_now);
    let loaded = match loader.load(&spec, None, false) {
        Ok(l) => l,
        Err(e) => {
            unavailable(e, is_url.then_some(source), &mut report);
            return report;
        }
    };
    let headers = loaded.http.as_ref().map(|d| d.headers.clone());
    let caching = match &loaded.http {
        Some(doc) => {
            report.checks.push(caching_check(&doc.headers, doc.at));
            explain(&doc.headers, doc.at, Reader::HasuraV2)
        }
        None => Vec::new(),
    };
    report.checks.extend(lint(&loaded.set, is_url));
    report
        .checks
        .extend(crate::lint::keyset::duplicates(&loaded.duplicates));
    let rows = rows(&loaded.set);
    report.summary = summary(&rows, headers.as_ref());
    report.keyset = Some(KeySetInfo {
        source: loaded.source.clone(),
        fetched: loaded.fetched.clone(),
        headers,
        caching,
        keys: rows,
    });
    let summary = std::mem::take(&mut report.summary);
    verdict::conclude(
        &mut report,
        verdict::Basis::KeySet { summary: &summary },
        ctx.now,
    );
    report
}

/// The key set could not be had: the report stops with why (a body that is not JSON is refused
/// by both engines' readers too, which the hint says).
fn unavailable(e: KeyError, url: Option<&str>, report: &mut Report) {
    match e {
        KeyError::Usage(u) => report.stop(Verdict::UsageError, u.id, u.message, u.hint),
        KeyError::Unavailable {
            id, message, hint, ..
        } => {
            let hint = match id {
                Id::FetchInvalidJson | Id::KeysInvalidJson => format!(
                    "{hint}. {}. {}",
                    crate::hasura::v2::jwks::body_not_json(url),
                    crate::hasura::ddn::jwks::body_not_json()
                ),
                _ => hint,
            };
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(Verdict::Undecidable, id, message, hint);
        }
    }
}

/// The shortest `--interval`, in seconds: a key set is not polled more often.
pub const MIN_INTERVAL: i64 = 10;

/// `--interval` when not given, in seconds.
const DEFAULT_INTERVAL: i64 = 60;

/// What `jwks --watch` is given.
pub struct WatchArgs<'a> {
    /// The key set URL.
    pub source: &'a str,
    /// Fetch flags.
    pub fetch: &'a FetchArgs,
    /// The Hasura configuration, to say when the engine sees a new key.
    pub hasura: &'a HasuraArgs,
    /// `--interval`.
    pub interval: Option<&'a str>,
    /// `--json`: one JSON object per line.
    pub json: bool,
}

/// How the engine of the Hasura configuration picks up a new key.
enum Engine {
    /// No configuration given.
    None,
    /// Hasura v2 with a `jwk_url`: per the caching headers.
    V2Url,
    /// Hasura DDN with `jwkFromUrl`: every request.
    DdnUrl,
    /// A fixed key: the engine never reads a key set.
    Fixed,
}

use crate::report::WatchEvent as Event;

/// Polls the key set at `args.source` until Ctrl-C or SIGTERM, writing one line to `out` when
/// it is first read, when its kids change, and when a poll fails. Polls wait `--interval` (at
/// least 10 s), or longer while the server's caching headers say the copy is fresh.
pub fn watch(args: &WatchArgs<'_>, ctx: &mut Context<'_>, out: &mut dyn Write) -> Outcome {
    let mut report = Report::new(ctx.now);
    let (fetch, interval, engine) = match watch_setup(args, ctx.max_input) {
        Ok(s) => s,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return Outcome::Single(Box::new(report));
        }
    };
    let mut waiter = match Waiter::new() {
        Ok(w) => w,
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::UsageWatch,
                format!("cannot watch for Ctrl-C: {e}"),
                "run it again".into(),
            );
            return Outcome::Single(Box::new(report));
        }
    };
    let cache = Cache::new(fetch.cache_dir.clone(), fetch.mode);
    let mut fetcher = Fetcher::new(fetch.timeout);
    let mut last: Option<(Vec<String>, Value)> = None;
    let stop = loop {
        let now = super::system_now();
        let at = clock::rfc3339(now.floor()).unwrap_or_default();
        let polled = cache.get(&mut fetcher, args.source, now, false);
        let keys = match &polled {
            Ok(doc) => doc.value.get("keys").cloned().unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
        let kids = kids(&keys);
        let (event, wait) = match &polled {
            Err(e) => (
                Some(Event {
                    at,
                    event: "error",
                    message: format!(
                        "cannot fetch the key set: {e}; trying again in {}",
                        clock::span(interval)
                    ),
                    kids: Vec::new(),
                    added: Vec::new(),
                    removed: Vec::new(),
                    hasura: None,
                }),
                interval,
            ),
            Ok(doc) => (
                seen(last.as_ref(), &kids, &keys, doc, &engine, now, at),
                (doc.fresh_until - now).max(interval),
            ),
        };
        // A reader that went away (a closed pipe) ends the watch quietly.
        if let Some(e) = &event
            && write_event(out, e, args.json).is_err()
        {
            break None;
        }
        if polled.is_ok() && keys.is_array() {
            last = Some((kids, keys));
        }
        if let Some(stop) = waiter.wait(wait) {
            break Some(stop);
        }
    };
    Outcome::Written {
        stdout: String::new(),
        stderr: stop
            .map(|s| format!("stopped by {}\n", s.name()))
            .unwrap_or_default(),
        code: 0,
    }
}

fn watch_setup(
    args: &WatchArgs<'_>,
    max_input: u64,
) -> Result<(FetchConfig, f64, Engine), UsageError> {
    let bad = |message: String, hint: &str| UsageError::new(Id::UsageWatch, message, hint);
    if !(args.source.starts_with("https://") || args.source.starts_with("http://")) {
        return Err(bad(
            format!("--watch polls a URL; {} is not one", args.source),
            "give the key set's https URL; jwtcheck jwks FILE shows a file once",
        ));
    }
    crate::net::fetch::check_url(args.source)
        .map_err(|e| UsageError::new(e.id(), e.to_string(), e.hint()))?;
    let fetch = config::fetch_config(args.fetch, max_input)?;
    if fetch.mode == Mode::Offline {
        return Err(bad(
            "--watch cannot be combined with --offline".into(),
            "--watch asks the server; leave out --offline",
        ));
    }
    let interval = match args.interval {
        None => DEFAULT_INTERVAL,
        Some(text) => clock::duration(text, 86_400)
            .filter(|s| *s >= MIN_INTERVAL)
            .ok_or_else(|| {
                bad(
                    format!("--interval {text:?} is not a duration from 10s to 1d"),
                    "e.g. --interval 30s, 5m or 1h (never below 10s: the key set's server is not to be hammered)",
                )
            })?,
    };
    let env = |k: &str| std::env::var(k).ok();
    let engine = match config::hasura_setup(args.hasura, &env)? {
        None => Engine::None,
        Some(setup) => match &setup.engine {
            config::Engine::Ddn(ddn) if matches!(ddn.key, DdnKey::JwkFromUrl(_)) => Engine::DdnUrl,
            config::Engine::V2(configs)
                if configs.iter().any(|c| matches!(c.key, KeyConfig::Url(_))) =>
            {
                Engine::V2Url
            }
            _ => Engine::Fixed,
        },
    };
    Ok((fetch, interval as f64, engine))
}

/// Each key's kid (`(no kid)` for one without), sorted.
fn kids(keys: &Value) -> Vec<String> {
    let mut kids: Vec<String> = keys
        .as_array()
        .map(|list| {
            list.iter()
                .map(|k| match k.get("kid").and_then(Value::as_str) {
                    Some(kid) => kid.to_string(),
                    None => "(no kid)".to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    kids.sort();
    kids
}

/// `kid a` or `kids a, b`.
fn named(kids: &[String]) -> String {
    match kids {
        [one] => format!("kid {one}"),
        more => format!("kids {}", more.join(", ")),
    }
}

/// What a successful poll shows: the first key set, a change, or nothing.
fn seen(
    last: Option<&(Vec<String>, Value)>,
    kids: &[String],
    keys: &Value,
    doc: &Document,
    engine: &Engine,
    now: f64,
    at: String,
) -> Option<Event> {
    let event = |event, message, added, removed, hasura| Event {
        at: at.clone(),
        event,
        message,
        kids: kids.to_vec(),
        added,
        removed,
        hasura,
    };
    if !keys.is_array() {
        return Some(event(
            "error",
            "the document has no keys array: not a key set".to_string(),
            Vec::new(),
            Vec::new(),
            None,
        ));
    }
    let Some((before, old_keys)) = last else {
        return Some(event(
            "keys",
            first_seen(kids, doc, now),
            Vec::new(),
            Vec::new(),
            None,
        ));
    };
    let added: Vec<String> = kids
        .iter()
        .filter(|k| !before.contains(k))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|k| !kids.contains(k))
        .cloned()
        .collect();
    if added.is_empty() && removed.is_empty() {
        return (old_keys != keys).then(|| {
            event(
                "change",
                format!(
                    "the keys changed under the same kids ({} key(s))",
                    kids.len()
                ),
                Vec::new(),
                Vec::new(),
                None,
            )
        });
    }
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", named(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", named(&removed)));
    }
    let hasura = engine_sees(engine, &added, doc, now);
    Some(event(
        "change",
        format!("{}; now {} key(s)", parts.join("; "), kids.len()),
        added,
        removed,
        hasura,
    ))
}

/// The first poll's line: the kids, the document and when Hasura would fetch it again.
fn first_seen(kids: &[String], doc: &Document, now: f64) -> String {
    let refresh = refresh::refresh(&doc.headers, doc.fetched_at);
    format!(
        "{} key(s): {} ({}); {}",
        kids.len(),
        if kids.is_empty() {
            "none".to_string()
        } else {
            named(kids)
        },
        doc.describe(now),
        refresh.explain()
    )
}

/// When the engine the configuration names sees keys `added` to the set (none added: nothing).
fn engine_sees(engine: &Engine, added: &[String], doc: &Document, now: f64) -> Option<String> {
    if added.is_empty() {
        return None;
    }
    let new = named(added);
    match engine {
        Engine::None => None,
        Engine::V2Url => Some(refresh::refresh(&doc.headers, doc.fetched_at).new_keys(&new, now)),
        Engine::DdnUrl => Some(refresh::ddn_new_keys(&new)),
        Engine::Fixed => Some(
            "the Hasura configuration has a fixed key, not this key set: the engine never sees the new key".to_string(),
        ),
    }
}

fn write_event(out: &mut dyn Write, e: &Event, json: bool) -> std::io::Result<()> {
    if json {
        let line = serde_json::to_string(e).unwrap_or_default();
        writeln!(out, "{line}")?;
    } else {
        let hasura = e
            .hasura
            .as_ref()
            .map(|h| format!(". {h}"))
            .unwrap_or_default();
        let text = format!("{}  {}{hasura}", e.at, e.message);
        writeln!(out, "{}", crate::render::human::safe(&text))?;
    }
    out.flush()
}
