//! Turning what a command found into output: one file per format.

pub mod batch;
pub mod github;
pub mod human;
pub mod json;

use crate::report::Outcome;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people.
    Text,
    /// One JSON document.
    Json,
    /// GitHub Actions annotations, then text (`check` only).
    Github,
}

/// Renders an outcome.
pub fn render(outcome: &Outcome, format: Format) -> String {
    match (outcome, format) {
        (Outcome::Single(r) | Outcome::Printed { report: r, .. }, Format::Json) => json::render(r),
        (
            Outcome::Printed {
                report: r,
                brief: true,
                ..
            },
            _,
        ) => human::render_brief(r),
        (Outcome::Single(r) | Outcome::Printed { report: r, .. }, _) => human::render(r),
        (Outcome::Check(c), Format::Json) => json::render(c),
        (Outcome::Check(c), Format::Text) => human::render_check(c),
        (Outcome::Check(c), Format::Github) => {
            format!("{}{}", github::annotations(c), human::render_check(c))
        }
        (Outcome::Written { stdout, .. }, _) => stdout.clone(),
    }
}
