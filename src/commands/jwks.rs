//! `jwtcheck jwks URL|FILE`: list a key set, explain its caching headers, lint it.

use super::Context;
use crate::cli::FetchArgs;
use crate::cli::options::{self as config, KeySource};
use crate::judge::verdict;
use crate::lint::keyset::{Reader, caching_check, explain, lint, rows, summary};
use crate::net::cache::Mode;
use crate::net::keys::{KeyError, Loader};
use crate::report::Id;
use crate::report::{Check, KeySetInfo, Report, Verdict};

/// Shows and lints the key set at `source`.
pub fn run(source: &str, args: &FetchArgs, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
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
        Err(KeyError::Usage(u)) => {
            report.stop(Verdict::UsageError, u.id, u.message, u.hint);
            return report;
        }
        Err(KeyError::Unavailable {
            id, message, hint, ..
        }) => {
            report
                .checks
                .push(Check::fail(Id::Key, message.clone(), hint.clone()));
            report.stop(Verdict::Undecidable, id, message, hint);
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
        verdict::Run::KeySet { summary: &summary },
        ctx.now,
    );
    report
}
