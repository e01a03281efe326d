//! `verify --batch` output: one line per token (text) or one compact JSON report per line
//! (NDJSON), then the summary.

use std::collections::BTreeMap;

use colored::Colorize;

use super::human::{label, label_words, safe};
use crate::report::{Report, Verdict};

/// Appends what a token's line says apart from its line number (the report's `line` is left
/// out): what a batch remembers of a token it sees again.
pub fn push_body(report: &Report, json: bool, out: &mut Vec<u8>) {
    use std::io::Write as _;
    if json {
        push_json(report, out);
        return;
    }
    let what = match report.deciding_failure() {
        Some(c) if report.verdict == Verdict::Invalid => {
            std::borrow::Cow::Owned(format!("{}: {}", c.id.as_str(), c.message))
        }
        _ => std::borrow::Cow::Borrowed(report.summary.as_str()),
    };
    // Writing to a Vec cannot fail.
    let _ = if colored::control::SHOULD_COLORIZE.should_colorize() {
        writeln!(out, "{:<11} {}", label(report.verdict), safe(&what))
    } else {
        writeln!(out, "{:<11} {}", label_words(report.verdict), safe(&what))
    };
}

/// Appends a token's line: line number `n`, then the `body` [`push_body`] wrote (in a JSON
/// report, `"line"` follows `"schema"`, as the report's own field order has it).
pub fn push_numbered(n: u64, json: bool, body: &[u8], out: &mut Vec<u8>) {
    use std::io::Write as _;
    if !json {
        let _ = write!(out, "line {n:<6} ");
        out.extend_from_slice(body);
        return;
    }
    // `{"schema":N` ends at the report's first comma (N is an integer).
    let schema_end = body
        .starts_with(b"{\"schema\":")
        .then(|| body.iter().position(|&b| b == b','))
        .flatten();
    match schema_end {
        Some(end) => {
            let (schema, rest) = body.split_at(end);
            out.extend_from_slice(schema);
            let _ = write!(out, ",\"line\":{n}");
            out.extend_from_slice(rest);
        }
        None => out.extend_from_slice(body),
    }
}

/// Appends a report as one compact JSON line.
pub fn push_json<T: serde::Serialize>(report: &T, out: &mut Vec<u8>) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, report).is_err() {
        out.truncate(start);
    }
    out.push(b'\n');
}

/// What a batch found, for its summary.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    /// Tokens per verdict.
    pub verdicts: BTreeMap<&'static str, u64>,
    /// Failing check ids (the first failure of each rejected token).
    pub failing: BTreeMap<&'static str, u64>,
    /// The worst verdict so far.
    pub worst: Option<Verdict>,
    /// Tokens seen.
    pub tokens: u64,
}

/// What the summary counts of one report: its verdict and its first failing check (or the
/// problem that stopped it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    verdict: Verdict,
    failing: Option<&'static str>,
}

impl Counted {
    /// The counted facts of a report.
    pub fn of(report: &Report) -> Counted {
        Counted {
            verdict: report.verdict,
            failing: report
                .deciding_failure()
                .map(|c| c.id.as_str())
                .or_else(|| report.error.as_ref().map(|p| p.id.as_str())),
        }
    }
}

impl Tally {
    /// Counts one report.
    pub fn add(&mut self, c: &Counted) {
        self.tokens += 1;
        *self.verdicts.entry(word(c.verdict)).or_default() += 1;
        if let Some(id) = c.failing {
            *self.failing.entry(id).or_default() += 1;
        }
        if self.worst.is_none_or(|w| severity(c.verdict) > severity(w)) {
            self.worst = Some(c.verdict);
        }
    }

    /// The exit code: the worst verdict's (a batch of no token ends as a usage error before).
    pub fn exit_code(&self) -> u8 {
        self.worst.map_or(0, Verdict::exit_code)
    }
}

/// How bad a verdict is, for the batch's exit code.
fn severity(v: Verdict) -> u8 {
    match v {
        Verdict::Valid | Verdict::Unverified | Verdict::Done => 0,
        Verdict::Invalid => 1,
        Verdict::Malformed => 2,
        Verdict::Undecidable => 3,
        Verdict::UsageError => 4,
    }
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Valid => "valid",
        Verdict::Unverified => "decoded",
        Verdict::Done => "done",
        Verdict::Invalid => "rejected",
        Verdict::Malformed => "malformed",
        Verdict::Undecidable => "undecidable",
        Verdict::UsageError => "usage error",
    }
}

/// The summary: counts per verdict and per failing check id.
pub fn summary(t: &Tally) -> String {
    let order = [
        "valid",
        "decoded",
        "rejected",
        "malformed",
        "undecidable",
        "usage error",
    ];
    let verdicts: Vec<String> = order
        .iter()
        .filter_map(|v| t.verdicts.get(v).map(|n| format!("{n} {v}")))
        .collect();
    let mut out = format!(
        "{}  {} token(s): {}",
        "SUMMARY".bold(),
        t.tokens,
        if verdicts.is_empty() {
            "none".to_string()
        } else {
            verdicts.join(", ")
        }
    );
    if !t.failing.is_empty() {
        let ids: Vec<String> = t
            .failing
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        out.push_str(&format!("; first failing check: {}", ids.join(", ")));
    }
    out.push('\n');
    out
}

/// The progress line of a long batch: how far through the input (when its size is known, with
/// an estimate of the time left), how many tokens, how long so far.
pub fn progress_line(
    done: u64,
    total: Option<u64>,
    tokens: u64,
    elapsed: std::time::Duration,
) -> String {
    let secs = elapsed.as_secs_f64();
    let took = crate::clock::span(secs);
    match total {
        Some(total) if total > 0 && done > 0 => {
            let done = done.min(total);
            let filled = (done * 30 / total) as usize;
            let percent = done * 100 / total;
            let left = secs * (total - done) as f64 / done as f64;
            format!(
                "[{}{}] {percent:>3}%  {tokens} tokens  {took} (eta {})",
                "=".repeat(filled),
                " ".repeat(30 - filled),
                crate::clock::span(left)
            )
        }
        _ => format!("{tokens} tokens  {took}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_line_shows_share_tokens_and_estimate() {
        let second = std::time::Duration::from_secs(1);
        assert_eq!(
            progress_line(250, Some(1000), 4096, 3 * second),
            "[=======                       ]  25%  4096 tokens  3s (eta 9s)"
        );
        assert_eq!(
            progress_line(1000, Some(1000), 9, 62 * second),
            "[==============================] 100%  9 tokens  1m 2s (eta 0s)"
        );
        assert_eq!(progress_line(0, None, 64, second), "64 tokens  1s");
        assert_eq!(progress_line(0, Some(1000), 0, second), "0 tokens  1s");
    }
}
