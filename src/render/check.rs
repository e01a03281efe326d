//! The text output of `check`: the verdict, the problems with their hints, then the
//! configuration's, key set's and tokens' sections.

use std::fmt::Write as _;

use colored::{ColoredString, Colorize};

use super::human::{explain_line, id_width, indent_rest, mark, row, safe, safe_lines};
use crate::report::{Check, CheckReport, Status, Verdict};

/// Renders a `check` report: the verdict, then one table of every check with the fix for each
/// failure and warning.
pub fn render_check(report: &CheckReport) -> String {
    let mut out = String::new();
    let label: ColoredString = match report.verdict {
        Verdict::Valid | Verdict::Unverified | Verdict::Done => "PASSED".green().bold(),
        Verdict::Invalid => "FAILED".red().bold(),
        Verdict::UsageError => "USAGE ERROR".red().bold(),
        Verdict::Undecidable => "UNDECIDABLE".red().bold(),
        Verdict::Malformed => "MALFORMED".red().bold(),
    };
    let _ = writeln!(out, "{label}  {}", safe(&report.summary));
    if let Some(p) = &report.error {
        let _ = writeln!(
            out,
            "  {} {}",
            "hint:".bold(),
            indent_rest(&safe_lines(&p.hint), 8)
        );
    }
    let c = report.counts;
    let _ = writeln!(
        out,
        "  {} passed, {} warning(s), {} failed{}",
        c.pass,
        c.warn,
        c.fail,
        if report.strict {
            " (--strict: warnings fail)"
        } else {
            ""
        }
    );
    if let Some(id) = first_check_failure(report) {
        explain_line(&mut out, id);
    }
    check_sections(&mut out, report);
    check_tokens(&mut out, report);
    out
}

/// The id of `check`'s first failure: the run's error, a configuration or key set check, or a
/// token's.
fn first_check_failure(report: &CheckReport) -> Option<crate::report::Id> {
    let failed = |checks: &[Check]| {
        checks
            .iter()
            .find(|c| c.status == Status::Fail)
            .map(|c| c.id)
    };
    report
        .error
        .as_ref()
        .map(|e| e.id)
        .or_else(|| failed(&report.config.checks))
        .or_else(|| report.keyset.as_ref().and_then(|k| failed(&k.checks)))
        .or_else(|| {
            report.tokens.iter().find_map(|t| {
                t.report
                    .first_failure()
                    .map(|c| c.id)
                    .or(t.report.error.as_ref().map(|e| e.id))
            })
        })
}

/// The configuration and key set sections of `check`.
fn check_sections(out: &mut String, report: &CheckReport) {
    let all: Vec<&Check> = report
        .config
        .checks
        .iter()
        .chain(report.keyset.iter().flat_map(|k| k.checks.iter()))
        .collect();
    let w = id_width(&all);
    let _ = writeln!(
        out,
        "\n{}  ({})",
        "Configuration".bold(),
        safe(&report.config.source)
    );
    for c in &report.config.checks {
        row(out, c, w, 2);
    }
    if let Some(k) = &report.keyset {
        let _ = writeln!(out, "\n{}  ({})", "Key set".bold(), safe(&k.source));
        for c in &k.checks {
            row(out, c, w, 2);
        }
    }
    if let Some(keys) = &report.keys {
        // Every key set row is shown above: a line one of them says (`lint.cache`) is not
        // repeated.
        let said = |line: &String| {
            report
                .keyset
                .iter()
                .flat_map(|k| k.checks.iter())
                .any(|c| c.message == *line)
        };
        for line in keys.caching.iter().filter(|l| !said(l)) {
            let _ = writeln!(out, "  {} {}", "·".dimmed(), safe(line));
        }
    }
}

/// One row per sample token, with the engine's answer and the token's policy rows.
fn check_tokens(out: &mut String, report: &CheckReport) {
    if !report.tokens.is_empty() {
        let _ = writeln!(out, "\n{}", "Tokens".bold());
    }
    for t in &report.tokens {
        let status = crate::report::verdict::token_status(&t.report);
        let _ = writeln!(
            out,
            "  {} {}  {}",
            mark(status),
            safe(&t.label),
            safe(&t.report.summary)
        );
        if let Some(h) = &t.report.hasura
            && let (Some(code), Some(msg)) = (&h.engine_code, &h.engine_error)
        {
            let _ = writeln!(
                out,
                "      {} {}: {}",
                "Hasura answers".bold(),
                safe(code),
                safe(msg)
            );
        }
        if status == Status::Fail {
            let hint = t
                .report
                .first_failure()
                .and_then(|c| c.hint.clone())
                .or_else(|| t.report.error.as_ref().map(|e| e.hint.clone().into()));
            if let Some(h) = hint {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    "→".dimmed(),
                    indent_rest(&safe_lines(&h), 8)
                );
            }
        }
        let policy: Vec<&Check> = crate::report::verdict::token_rows(&t.report).collect();
        let pw = id_width(&policy);
        for c in policy {
            row(out, c, pw, 6);
        }
    }
}
