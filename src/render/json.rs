//! The `--json` output: exactly one JSON document on stdout.

use serde::Serialize;

/// Renders a report as pretty JSON with a trailing newline.
pub fn render<T: Serialize>(report: &T) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // The reports hold only strings, numbers and serde_json values, which always serialize;
        // this arm keeps the promise of one JSON document even so.
        Err(e) => format!(
            "{{\"verdict\":\"usage_error\",\"error\":{{\"id\":\"internal.json\",\"message\":{:?},\"hint\":\"please report this\"}}}}\n",
            e.to_string()
        ),
    }
}

/// Renders a report as one compact line (NDJSON: every report of `verify --batch --json`,
/// a usage error included).
pub fn render_line<T: Serialize>(report: &T) -> String {
    let mut out = Vec::new();
    crate::render::batch::push_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
