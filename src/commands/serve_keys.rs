//! `jwtcheck serve-keys DIR`: the key set `keygen` wrote, served on 127.0.0.1 at a Cognito
//! pool's paths with an OpenID discovery document, until Ctrl-C or SIGTERM; first it prints the
//! `HASURA_GRAPHQL_JWT_SECRET` that points a local Hasura at it.

use std::io::Write as _;
use std::path::Path;

use serde_json::Value;

use super::Context;
use crate::cli::devkit::ServeKeysArgs;
use crate::cli::options::{self, COGNITO_ENDPOINT_ENV};
use crate::devkit::serve::{CACHE_CONTROL, Site};
use crate::devkit::{DEFAULT_CLIENT_ID, DEFAULT_POOL, JWKS_FILE};
use crate::jose::jwk::{self, KeySet};
use crate::judge::verdict;
use crate::net::keyserver::{self, Route};
use crate::net::listener;
use crate::report::{DevKitInfo, Id, Report, Verdict};

/// The largest key set file served.
const MAX_JWKS_FILE: u64 = 1024 * 1024;

/// Members that only a private or symmetric JWK has: never published.
const SECRET_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Serves until a stop signal; `json`: the banner goes to stderr, so that stdout holds only the
/// final report.
pub fn run(args: &ServeKeysArgs, json: bool, ctx: &Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let pool = match options::cognito_pool(args.cognito_pool.as_deref().unwrap_or(DEFAULT_POOL)) {
        Ok(p) => p,
        Err(e) => {
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            return report;
        }
    };
    let keys = options::file_arg(&args.keys);
    let path = if keys.is_dir() {
        keys.join(JWKS_FILE)
    } else {
        keys
    };
    let (text, set) = match publishable(&path) {
        Ok(found) => found,
        Err((message, hint)) => {
            report.stop(Verdict::UsageError, Id::ServeKeysJwks, message, hint);
            return report;
        }
    };
    let socket = match listener::bind(args.port) {
        Ok(s) => s,
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::ServeKeysListen,
                e.to_string(),
                "another program uses the port: pass --port with another one, or --port 0 for any free port".into(),
            );
            return report;
        }
    };
    let port = socket.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let server = match keyserver::Server::new(socket) {
        Ok(s) => s,
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::ServeKeysListen,
                format!("cannot serve on 127.0.0.1:{port}: {e}"),
                "start it again".into(),
            );
            return report;
        }
    };
    let site = Site {
        base: format!("http://127.0.0.1:{port}"),
        pool,
        client_id: args
            .client_id
            .clone()
            .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string()),
        format: args.claims_format.format(),
        algs: set.keys.iter().filter_map(|k| k.alg.clone()).collect(),
    };
    announce(&site, &set, json);
    let routes = [
        Route {
            path: site.jwks_path(),
            body: text,
        },
        Route {
            path: site.discovery_path(),
            body: serde_json::to_string_pretty(&site.discovery()).unwrap_or_default(),
        },
    ];
    let mut log = |line: &str| eprintln!("{line}");
    let served = server.serve(&routes, CACHE_CONTROL, &mut log);
    stopped(&mut report, &site, served, ctx.now);
    report
}

/// The report when the server stopped: what it served, to how many requests.
fn stopped(report: &mut Report, site: &Site, served: keyserver::Served, now: f64) {
    report.devkit = Some(DevKitInfo {
        jwks_uri: Some(site.jwks_uri()),
        discovery_uri: Some(site.discovery_uri()),
        hasura_jwt_secret: Some(site.hasura_secret()),
        requests: Some(served.requests),
        ..DevKitInfo::default()
    });
    let summary = format!(
        "stopped by {} after {} request{} to {}",
        served.stop.name(),
        served.requests,
        if served.requests == 1 { "" } else { "s" },
        site.base
    );
    verdict::conclude(report, verdict::Basis::Done { summary: &summary }, now);
}

/// Prints the banner (stdout, or stderr under `--json`) before the first request can come.
fn announce(site: &Site, set: &KeySet, json: bool) {
    let keys: Vec<String> = set
        .keys
        .iter()
        .map(|k| {
            format!(
                "{}  kid {}",
                k.alg.as_deref().unwrap_or(k.kty()),
                k.kid.as_deref().unwrap_or("(none)")
            )
        })
        .collect();
    let banner = site.banner(&keys, COGNITO_ENDPOINT_ENV);
    // A closed stdout leaves the server running: a test or a terminal that went away does not
    // make the keys unavailable.
    if json {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(banner.as_bytes()).and_then(|()| err.flush());
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    }
}

/// The key set file's text and keys, when it may be published: JSON, a key set, at least one
/// key, and no private or symmetric key material.
fn publishable(path: &Path) -> Result<(String, KeySet), (String, String)> {
    let shown = path.display();
    let make_keys = "make the keys first: jwtcheck keygen --out DIR, then jwtcheck serve-keys DIR";
    let text = crate::input::read_file(path, MAX_JWKS_FILE)
        .map_err(|e| (e.to_string(), make_keys.to_string()))?;
    let value: Value = crate::jose::json::parse_first_wins(text.as_bytes())
        .map(|p| p.value)
        .map_err(|e| (format!("{shown} is not JSON: {e}"), make_keys.to_string()))?;
    let secret = value
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .find_map(|(i, k)| {
            SECRET_MEMBERS
                .iter()
                .find(|m| k.get(**m).is_some())
                .map(|m| (i, *m))
        });
    if let Some((index, member)) = secret {
        return Err((
            format!(
                "{shown} holds private key material (member {member} of key #{index}); it is never served"
            ),
            "serve the public key set jwtcheck keygen writes (jwks.json), never a private JWK"
                .into(),
        ));
    }
    let set =
        jwk::parse_set(&value).map_err(|e| (format!("{shown}: {e}"), make_keys.to_string()))?;
    if set.keys.is_empty() {
        return Err((
            format!("{shown} holds no key jwtcheck can read"),
            make_keys.to_string(),
        ));
    }
    Ok((text, set))
}
