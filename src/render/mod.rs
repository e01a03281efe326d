//! Turning what a command found into output: one file per format.

pub mod batch;
pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;

use crate::cli::ColorChoice;
use crate::report::Outcome;

/// Whether to color the output. `--color always|never` decide; `auto` colors when `NO_COLOR` is
/// unset (or empty) and either `CLICOLOR_FORCE` is set to anything but `0` (for CI logs and
/// pagers that show colors) or stdout is a terminal. `NO_COLOR` wins over `CLICOLOR_FORCE`.
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
        ColorChoice::Auto => {
            terminal || (set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0"))
        }
    }
}

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
        (Outcome::Text(text), _) => text.clone(),
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
    }
}
