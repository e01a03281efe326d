//! Turning what a command found into output: one file per format.

pub mod batch;
pub mod check;
pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod setup;

use crate::cli::ColorChoice;
use crate::report::Outcome;

/// Whether to color the output (every output: reports, help, argument errors). `--color
/// always|never` decide; `auto` colors when `NO_COLOR` is unset (or empty) and either
/// `CLICOLOR_FORCE` is set to anything but `0` (for CI logs and pagers that show colors) or the
/// output is a terminal that is not `TERM=dumb`. `NO_COLOR` wins over `CLICOLOR_FORCE`.
pub fn use_color(
    choice: ColorChoice,
    terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto
            if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorChoice::Auto => terminal && env("TERM").as_deref() != Some("dumb"),
    }
}

/// Exit code when standard output was closed early (`| head`): what a shell reports for a
/// process killed by SIGPIPE (128 + 13), so `set -o pipefail` and `$?` read it as usual.
pub const EXIT_OUTPUT_CLOSED: u8 = 141;

/// Exit code when writing the output failed otherwise (a full disk, an I/O error): `EX_IOERR`
/// of sysexits.h.
pub const EXIT_OUTPUT_FAILED: u8 = 74;

/// Writing the output failed: the command stops there, and its answer is not given.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The reader closed the pipe (`| head`): its choice, so nothing is said.
    #[error("the output was closed before jwtcheck finished writing it")]
    Closed,
    /// Any other failure.
    #[error("writing the output failed: {0}")]
    Failed(std::io::Error),
}

impl WriteError {
    /// The failure of a write.
    pub fn of(e: std::io::Error) -> WriteError {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe => WriteError::Closed,
            _ => WriteError::Failed(e),
        }
    }

    /// The stable id.
    pub fn id(&self) -> &'static str {
        match self {
            WriteError::Closed => "output.closed",
            WriteError::Failed(_) => "output.write",
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        "nothing after the failure was judged: free space or fix the output target, then run again"
    }

    /// The exit code ([`EXIT_OUTPUT_CLOSED`] or [`EXIT_OUTPUT_FAILED`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            WriteError::Closed => EXIT_OUTPUT_CLOSED,
            WriteError::Failed(_) => EXIT_OUTPUT_FAILED,
        }
    }

    /// The lines for stderr: none for a closed pipe (as any Unix tool), else the error and its
    /// hint.
    pub fn stderr(&self) -> String {
        match self {
            WriteError::Closed => String::new(),
            WriteError::Failed(_) => {
                format!("jwtcheck: {self} ({})\n  → {}\n", self.id(), self.hint())
            }
        }
    }
}

/// Writes `bytes` to `out` and flushes it.
pub fn write_out(out: &mut dyn std::io::Write, bytes: &[u8]) -> Result<(), WriteError> {
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(WriteError::of)
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people.
    Text,
    /// One JSON document.
    Json,
    /// One compact JSON line per report (`verify --batch --json`).
    Ndjson,
    /// GitHub Actions annotations, then text (`check` only).
    Github,
}

/// Renders an outcome.
pub fn render(outcome: &Outcome, format: Format) -> String {
    match (outcome, format) {
        (Outcome::Text(text), _) => text.clone(),
        (Outcome::Single(r) | Outcome::Printed { report: r, .. }, Format::Json) => json::render(r),
        (Outcome::Single(r) | Outcome::Printed { report: r, .. }, Format::Ndjson) => {
            json::render_line(r)
        }
        (
            Outcome::Printed {
                report: r,
                brief: true,
                ..
            },
            _,
        ) => human::render_brief(r),
        (Outcome::Single(r) | Outcome::Printed { report: r, .. }, _) => human::render(r),
        (Outcome::Check(c), Format::Json | Format::Ndjson) => json::render(c),
        (Outcome::Check(c), Format::Text) => check::render_check(c),
        (Outcome::Check(c), Format::Github) => {
            format!("{}{}", github::annotations(c), check::render_check(c))
        }
        (Outcome::Written { stdout, .. }, _) => stdout.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_follows_the_flag_then_no_color_then_clicolor_force_then_the_terminal() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let none = env(&[]);
        assert!(use_color(ColorChoice::Auto, true, &none));
        assert!(!use_color(ColorChoice::Auto, false, &none));
        assert!(use_color(ColorChoice::Always, false, &none));
        let force = env(&[("CLICOLOR_FORCE", "1")]);
        assert!(use_color(ColorChoice::Auto, false, &force));
        assert!(!use_color(ColorChoice::Never, true, &force));
        assert!(!use_color(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!use_color(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "")])
        ));
        let both = env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert!(!use_color(ColorChoice::Auto, true, &both));
        assert!(use_color(
            ColorChoice::Auto,
            true,
            &env(&[("NO_COLOR", "")])
        ));
        // A dumb terminal shows escapes as text.
        assert!(!use_color(
            ColorChoice::Auto,
            true,
            &env(&[("TERM", "dumb")])
        ));
        assert!(use_color(
            ColorChoice::Auto,
            true,
            &env(&[("TERM", "xterm")])
        ));
    }
}
