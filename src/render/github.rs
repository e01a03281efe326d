//! `check --format github`: GitHub Actions workflow commands (`::error title=…::…`) so that
//! failures show on the pull request, followed by the text table.

use crate::report::verdict::token_status;
use crate::report::{Check, CheckReport, Status};

/// Renders the annotations for every failure and warning.
pub fn annotations(report: &CheckReport) -> String {
    let mut out = String::new();
    if let Some(e) = &report.error {
        line(
            &mut out,
            "error",
            None,
            &format!("jwtcheck {}", e.id),
            &e.message,
            Some(&e.hint),
        );
    }
    let sections = [Some(&report.config), report.keyset.as_ref()];
    for section in sections.into_iter().flatten() {
        for c in &section.checks {
            annotate(&mut out, c, "", None);
        }
    }
    for t in &report.tokens {
        if token_status(&t.report) == Status::Fail {
            let hint = t
                .report
                .first_failure()
                .and_then(|c| c.hint.clone())
                .or_else(|| t.report.error.as_ref().map(|e| e.hint.clone().into()));
            let engine = t
                .report
                .hasura
                .as_ref()
                .and_then(|h| h.engine_error.as_ref().map(|e| format!(" (Hasura: {e})")))
                .unwrap_or_default();
            line(
                &mut out,
                "error",
                t.place.as_ref(),
                &format!("jwtcheck {}", t.label),
                &format!("{}{engine}", t.report.summary),
                hint.as_deref(),
            );
        }
        for c in crate::report::verdict::token_rows(&t.report) {
            annotate(&mut out, c, &format!("{}: ", t.label), t.place.as_ref());
        }
    }
    out
}

fn annotate(out: &mut String, c: &Check, prefix: &str, place: Option<&(String, usize)>) {
    let level = match c.status {
        Status::Fail => "error",
        Status::Warn => "warning",
        Status::Pass | Status::Skip => return,
    };
    line(
        out,
        level,
        place,
        &format!("jwtcheck {}", c.id),
        &format!("{prefix}{}", c.message),
        c.hint.as_deref(),
    );
}

/// One workflow command; `place` (file, line) makes GitHub show it on that line of the file.
fn line(
    out: &mut String,
    level: &str,
    place: Option<&(String, usize)>,
    title: &str,
    message: &str,
    hint: Option<&str>,
) {
    let text = match hint {
        Some(h) => format!("{message}. Fix: {h}"),
        None => message.to_string(),
    };
    let at = place
        .map(|(file, n)| format!("file={},line={n},", escape_property(file)))
        .unwrap_or_default();
    out.push_str(&format!(
        "::{level} {at}title={}::{}\n",
        escape_property(title),
        escape_data(&text)
    ));
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_commands() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
