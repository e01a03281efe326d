//! `jwtcheck explain [ID]`: one id in depth, or the list of every id, as text or JSON.

use crate::render;
use crate::report::explain::{self, Explanation};
use crate::report::{Id, Outcome, Report, Verdict};

/// Explains `id`, or lists every id; `json` picks the format.
pub fn run(id: Option<Id>, json: bool, now: f64) -> Outcome {
    let Some(id) = id else {
        return Outcome::Text(if json {
            list_json()
        } else {
            render::explain::render_list()
        });
    };
    match explain::explain(id) {
        Some(e) if json => Outcome::Text(to_json(&e)),
        Some(e) => Outcome::Text(render::explain::render(&e)),
        // The catalogue's test proves every id has a section; a build that lost one still says so
        // plainly instead of printing nothing.
        None => {
            let mut report = Report::new(now);
            report.stop(
                Verdict::UsageError,
                Id::UsageArguments,
                format!("{id} has no explanation in this build"),
                format!("{id}: {}", id.meaning()),
            );
            Outcome::Single(Box::new(report))
        }
    }
}

fn to_json(e: &Explanation) -> String {
    let mut text = serde_json::to_string_pretty(e).unwrap_or_default();
    text.push('\n');
    text
}

fn list_json() -> String {
    let mut text = serde_json::to_string_pretty(&explain::list()).unwrap_or_default();
    text.push('\n');
    text
}
