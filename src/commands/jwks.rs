//! `jwtcheck jwks URL|FILE`: list a key set, explain its caching headers, lint it.

use std::collections::HashMap;

use super::Context;
use crate::cache::{self, Mode};
use crate::cli::FetchArgs;
use crate::config::{self, KeySource};
use crate::fetch::CacheHeaders;
use crate::hasura::refresh;
use crate::jwk::{KeySet, Material};
use crate::keysource::{KeyError, Loader};
use crate::report::{Check, JwkRow, KeySetInfo, Report, Verdict};

/// Shows and lints the key set at `source`.
pub fn run(source: &str, args: &FetchArgs, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let mut fetch = match config::fetch_config(args) {
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
        if let Err(e) = crate::fetch::check_url(source) {
            report.stop(Verdict::UsageError, e.id(), e.to_string(), e.hint());
            return report;
        }
        KeySource::JwksUrl(source.to_string())
    } else {
        KeySource::JwksFile(source.into())
    };
    let mut loader = Loader::new(&fetch, ctx.system_now);
    let loaded = match loader.load(&spec, None, false) {
        Ok(l) => l,
        Err(KeyError::Usage(u)) => {
            report.stop(Verdict::UsageError, u.id, u.message, u.hint);
            return report;
        }
        Err(KeyError::Unavailable { id, message, hint }) => {
            report
                .checks
                .push(Check::fail("key", message.clone(), hint.clone()));
            report.stop(Verdict::Undecidable, &id, message, hint);
            return report;
        }
    };
    let headers = loaded.document.as_ref().map(|d| d.headers.clone());
    let caching = headers.as_ref().map(explain).unwrap_or_default();
    if let Some(h) = &headers {
        report.checks.push(caching_check(h));
    }
    report.checks.extend(lint(&loaded.set, is_url));
    let rows = rows(&loaded.set);
    report.summary = summary(&rows, headers.as_ref());
    report.keyset = Some(KeySetInfo {
        source: loaded.source,
        fetched: loaded.fetched,
        headers,
        caching,
        keys: rows,
    });
    report.verdict = if report.failed() {
        Verdict::Invalid
    } else {
        Verdict::Valid
    };
    if let Some(f) = report.first_failure() {
        report.summary = format!("{}; {}", f.message, report.summary);
    }
    report
}

fn rows(set: &KeySet) -> Vec<JwkRow> {
    let mut rows: Vec<JwkRow> = set
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| JwkRow {
            index: i,
            kid: k.kid.clone(),
            kty: Some(k.kty().to_string()),
            alg: k.alg.clone(),
            use_: k.use_.clone(),
            bits: match k.material {
                Material::Secret(_) => None,
                _ => k.bits(),
            },
            crv: k.crv().map(str::to_string),
            thumbprint: k.thumbprint(),
            unusable: None,
        })
        .collect();
    // Usable keys were numbered in order; put the unusable ones at their own positions.
    let mut all: Vec<JwkRow> = Vec::new();
    let mut usable = rows.drain(..);
    let total = set.keys.len() + set.unusable.len();
    for index in 0..total {
        if let Some(u) = set.unusable.iter().find(|u| u.index == index) {
            all.push(JwkRow {
                index,
                kid: u.kid.clone(),
                kty: u.kty.clone(),
                alg: None,
                use_: None,
                bits: None,
                crv: None,
                thumbprint: None,
                unusable: Some(u.reason.clone()),
            });
        } else if let Some(mut row) = usable.next() {
            row.index = index;
            all.push(row);
        }
    }
    all
}

fn summary(rows: &[JwkRow], headers: Option<&CacheHeaders>) -> String {
    let mut kinds: Vec<String> = Vec::new();
    for r in rows {
        let mut k = r.kty.clone().unwrap_or_else(|| "?".into());
        if let Some(b) = r.bits {
            k.push_str(&format!("-{b}"));
        }
        if let Some(c) = &r.crv {
            k.push_str(&format!(" {c}"));
        }
        if let Some(a) = &r.alg {
            k.push_str(&format!(" {a}"));
        }
        kinds.push(k);
    }
    let served = match headers {
        None => String::new(),
        Some(h) => match (&h.cache_control, &h.expires) {
            (Some(cc), _) => format!("; served with Cache-Control: {cc}"),
            (None, Some(e)) => format!("; served with Expires: {e}"),
            (None, None) => "; served without caching headers".into(),
        },
    };
    format!(
        "{} key{} ({}){served}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        kinds.join(", ")
    )
}

/// What the caching headers mean, for jwtcheck's cache and for Hasura's `jwk_url` refresh.
fn explain(h: &CacheHeaders) -> Vec<String> {
    let mut lines = Vec::new();
    let ours = match cache::lifetime(h) {
        None => "a verifier must not cache this key set (no-store) and fetches it for every token"
            .to_string(),
        Some(0.0) => {
            "a verifier must revalidate this key set before each use (no-cache or max-age=0)".into()
        }
        Some(ttl) if h.cache_control.is_none() && h.expires.is_none() => format!(
            "no caching headers: a verifier picks its own lifetime (jwtcheck keeps it {})",
            crate::clock::span(ttl)
        ),
        Some(ttl) => format!(
            "a verifier may keep this key set for {} before fetching it again",
            crate::clock::span(ttl)
        ),
    };
    lines.push(ours);
    lines.push(refresh::refresh(h).explain());
    if let Some(age) = &h.age {
        lines.push(format!(
            "Age: {age}: the response came from a shared cache and was that many seconds old"
        ));
    }
    if let Some(etag) = &h.etag {
        lines.push(format!(
            "ETag: {etag}: refetches can be conditional (If-None-Match); jwtcheck uses it"
        ));
    }
    lines
}

fn caching_check(h: &CacheHeaders) -> Check {
    let r = refresh::refresh(h);
    if r.handles_rotation() {
        Check::pass("lint.cache", r.explain())
    } else {
        Check::warn(
            "lint.cache",
            r.explain(),
            "serve the key set with Cache-Control: max-age=N (e.g. 3600) so verifiers pick up rotated keys",
        )
    }
}

/// The lints of a key set.
fn lint(set: &KeySet, remote: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for kid in set.kids() {
        *counts.entry(kid).or_default() += 1;
    }
    let mut dups: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, _)| *k)
        .collect();
    dups.sort_unstable();
    for kid in dups {
        checks.push(Check::fail(
            "lint.kid_duplicate",
            format!("kid {kid:?} names more than one key"),
            "a verifier selects keys by kid; give every key its own",
        ));
    }
    let total = set.keys.len() + set.unusable.len();
    for k in &set.keys {
        let name = match &k.kid {
            Some(kid) => format!("kid {kid:?}"),
            None => format!("a {} key without kid", k.kty()),
        };
        if k.kid.is_none() && total > 1 {
            checks.push(Check::warn(
                "lint.kid_missing",
                format!("{name}: no kid"),
                "with several keys, tokens must name theirs by kid",
            ));
        }
        if !k.private_members.is_empty() {
            checks.push(Check::fail(
                "lint.private",
                format!("{name} publishes PRIVATE key members ({})", k.private_members.join(", ")),
                "anyone who can read this key set can sign tokens: remove them and rotate the key now",
            ));
        }
        if let Material::Secret(_) = k.material {
            checks.push(Check::fail(
                "lint.oct",
                format!("{name} is a symmetric (oct) key{}", if remote { " published for anyone to fetch" } else { "" }),
                "an HMAC secret in a key set is a shared secret made public: anyone with it can sign tokens",
            ));
        }
        if let Some(bits) = k.bits()
            && k.kty() == "RSA"
            && bits < 2048
        {
            checks.push(Check::fail(
                "lint.rsa_size",
                format!("{name} is RSA-{bits}, under 2048 bits"),
                "RSA keys under 2048 bits are breakable; replace the key",
            ));
        }
        if k.alg.is_none() {
            checks.push(Check::warn(
                "lint.alg_missing",
                format!("{name} has no alg"),
                "without alg the key may be tried with any algorithm of its type; set it (Cognito: RS256)",
            ));
        }
        match k.use_.as_deref() {
            None => checks.push(Check::warn("lint.use_missing", format!("{name} has no use"), "set \"use\": \"sig\" on signing keys")),
            Some("sig") => {}
            Some(u) => checks.push(Check::warn(
                "lint.use",
                format!("{name} has use {u:?}"),
                "only use \"sig\" keys verify signatures; Hasura rejects a whole key set with a use other than sig or enc",
            )),
        }
    }
    for u in &set.unusable {
        checks.push(Check::warn(
            "lint.unusable",
            format!("key #{} ({}) cannot be used: {}", u.index, u.kid.as_deref().unwrap_or("no kid"), u.reason),
            "Hasura parses key sets strictly: one key it cannot read makes it reject the whole set at startup",
        ));
    }
    checks
}
