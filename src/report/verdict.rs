//! The `check` report's stage: its counts, verdict and summary from the rows of each judged
//! token. (The verdict on one token is the judge's: `judge::verdict`.)

use super::{Check, CheckReport, Counts, Id, Problem, Report, Status, Verdict};

/// The `check` report's counts, verdict and summary: `stop` ends it as a usage error (the
/// configuration is unusable), `keys_unavailable` as undecidable.
pub fn conclude_check(
    mut out: CheckReport,
    stop: Option<(Id, &str)>,
    keys_unavailable: bool,
) -> CheckReport {
    let Tally {
        counts,
        first_fail,
        first_warn,
        undecidable,
    } = Tally::of(&out);
    out.counts = counts;
    let total = counts.pass + counts.warn + counts.fail;
    if let Some((id, why)) = stop {
        out.verdict = Verdict::UsageError;
        out.summary = format!("{why}: {}", first_fail.unwrap_or_default());
        out.error = Some(Problem {
            id,
            message: out.summary.clone(),
            hint: "fix the configuration; the table says how".into(),
        });
    } else if keys_unavailable || undecidable {
        out.verdict = Verdict::Undecidable;
        let why = out
            .keyset
            .as_ref()
            .and_then(|k| {
                k.checks
                    .iter()
                    .find(|c| c.id == Id::LintJwkUrl && c.status == Status::Fail)
            })
            .map(|c| c.message.to_string())
            .or(first_fail)
            .unwrap_or_default();
        out.summary = format!("the keys could not be obtained: {why}");
    } else if counts.fail > 0 {
        out.verdict = Verdict::Invalid;
        out.summary = format!(
            "{} of {total} checks failed; first: {}",
            counts.fail,
            first_fail.unwrap_or_default()
        );
    } else if out.strict && counts.warn > 0 {
        out.verdict = Verdict::Invalid;
        out.summary = format!(
            "{} warning(s) fail under --strict; first: {}",
            counts.warn,
            first_warn.unwrap_or_default()
        );
    } else {
        out.verdict = Verdict::Valid;
        let tokens = match out.tokens.len() {
            0 => "no sample tokens".to_string(),
            1 => "the sample token".to_string(),
            n => format!("{n} sample tokens"),
        };
        out.summary = format!(
            "{} checks passed{}: the configuration, its keys and {tokens} agree",
            counts.pass,
            if counts.warn > 0 {
                format!(", {} warning(s)", counts.warn)
            } else {
                String::new()
            }
        );
    }
    out
}

/// What `check`'s rows add up to: the counts, the first failure and warning, and whether a
/// token's verdict could not be predicted.
struct Tally {
    counts: Counts,
    first_fail: Option<String>,
    first_warn: Option<String>,
    undecidable: bool,
}

impl Tally {
    /// Counts every row: the configuration and key set checks, each token and its rows.
    fn of(out: &CheckReport) -> Tally {
        let mut t = Tally {
            counts: Counts::default(),
            first_fail: None,
            first_warn: None,
            undecidable: false,
        };
        let sections = [Some(&out.config), out.keyset.as_ref()];
        for section in sections.into_iter().flatten() {
            for c in &section.checks {
                t.add(c.status, &c.message);
            }
        }
        for token in &out.tokens {
            t.undecidable |= token.report.verdict == Verdict::Undecidable;
            let what = format!("{}: {}", token.label, token.report.summary);
            t.add(token_status(&token.report), &what);
            for c in token_rows(&token.report) {
                t.add(c.status, &format!("{}: {}", token.label, c.message));
            }
        }
        t
    }

    fn add(&mut self, status: Status, what: &str) {
        match status {
            Status::Pass => self.counts.pass += 1,
            Status::Warn => {
                self.counts.warn += 1;
                self.first_warn.get_or_insert_with(|| what.to_string());
            }
            Status::Fail => {
                self.counts.fail += 1;
                self.first_fail.get_or_insert_with(|| what.to_string());
            }
            Status::Skip => {}
        }
    }
}

/// The checks shown under a token: its warnings and its policy rules.
pub fn token_rows(r: &Report) -> impl Iterator<Item = &Check> {
    r.checks
        .iter()
        .filter(|c| c.id.as_str().starts_with("policy.") || (c.status == Status::Warn))
}

/// A token's row: pass when the engine (and every other check but the policy) accepts it.
pub fn token_status(r: &Report) -> Status {
    match r.verdict {
        Verdict::Valid => Status::Pass,
        Verdict::Invalid
            if r.checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .all(|c| c.id.as_str().starts_with("policy.")) =>
        {
            Status::Pass
        }
        _ => Status::Fail,
    }
}
