//! `diff`'s output: the verdict line, each side's outcome, then the differences by section;
//! or one JSON document.

use std::fmt::Write as _;

use colored::Colorize;
use serde_json::Value;

use super::human::safe;
use crate::report::diff::{Change, DiffReport, DiffReports, Kind, Section, TokenDiff};
use crate::report::{Report, SCHEMA_VERSION};

/// The longest value shown in text; `--json` has them whole.
const MAX_VALUE: usize = 60;

/// The text form.
pub fn text(d: &TokenDiff) -> String {
    let mut out = String::new();
    let label = match (d.judged, d.same_verdict) {
        (true, false) => "VERDICTS DIFFER".red().bold(),
        (true, true) => "SAME VERDICT".green().bold(),
        (false, _) => "DIFF".bold(),
    };
    let _ = writeln!(out, "{label}  {}", safe(&d.summary));
    for (name, o) in [("A", &d.a), ("B", &d.b)] {
        let _ = writeln!(out, "  {name}: {}", safe(&o.summary));
    }
    let mut section = None;
    for c in &d.changes {
        if section != Some(c.section) {
            section = Some(c.section);
            let _ = writeln!(out, "{}", title(c.section).bold());
        }
        line(&mut out, c);
    }
    out
}

fn title(s: Section) -> &'static str {
    match s {
        Section::Verdict => "Verdict",
        Section::Hasura => "Hasura",
        Section::Issuer => "Issuer, audience, client",
        Section::Header => "Header",
        Section::Claims => "Claims",
        Section::Times => "Times",
    }
}

fn line(out: &mut String, c: &Change) {
    let (mark, values) = match (c.change, &c.a, &c.b) {
        (Kind::Added, _, Some(b)) => ("+".green(), show(b)),
        (Kind::Removed, Some(a), _) => ("-".red(), show(a)),
        (_, Some(a), Some(b)) => ("~".yellow(), format!("{} → {}", show(a), show(b))),
        _ => ("~".yellow(), String::new()),
    };
    let _ = write!(out, "  {mark} {:<24} {}", safe(&c.name), safe(&values));
    if let Some(note) = &c.note {
        let _ = write!(out, "  ({})", safe(note));
    }
    out.push('\n');
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= MAX_VALUE {
        s
    } else {
        let head: String = s.chars().take(MAX_VALUE - 1).collect();
        format!("{head}…")
    }
}

/// The JSON form: the comparison, and each side's whole report.
pub fn json(d: &TokenDiff, a: &Report, b: &Report) -> String {
    super::json::render(&DiffReport {
        schema: SCHEMA_VERSION,
        diff: d.clone(),
        reports: DiffReports {
            a: a.clone(),
            b: b.clone(),
        },
    })
}
