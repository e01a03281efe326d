//! What jwtcheck generates about itself: shell completion scripts and man pages (from the clap
//! definitions) and the JSON Schema of its report (from the report's types). Nothing here is
//! built unless one of these commands runs.

use clap::CommandFactory as _;

use crate::cli::Cli;
use crate::report::{Id, Outcome, Report, Verdict};

/// `jwtcheck completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "jwtcheck", &mut out);
    Outcome::Text(String::from_utf8_lossy(&out).into_owned())
}

/// `jwtcheck man [COMMAND]`: jwtcheck(1), or jwtcheck-COMMAND(1).
pub fn man(command: Option<&str>, now: f64) -> Outcome {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => return unknown_command(&cmd, name, now),
        },
    };
    let mut out = Vec::new();
    match clap_mangen::Man::new(page).render(&mut out) {
        Ok(()) => Outcome::Text(String::from_utf8_lossy(&out).into_owned()),
        Err(e) => {
            let mut report = Report::new(now);
            report.stop(
                Verdict::UsageError,
                Id::UsageArguments,
                format!("the man page could not be written: {e}"),
                "run jwtcheck --help instead".into(),
            );
            Outcome::Single(Box::new(report))
        }
    }
}

/// `jwtcheck schema`.
pub fn schema() -> Outcome {
    let schema = crate::report::schema::json_schema();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    Outcome::Text(text)
}

/// `man` with a name that is not a command: a usage error naming the closest one.
fn unknown_command(cmd: &clap::Command, name: &str, now: f64) -> Outcome {
    let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    let closest = names
        .iter()
        .map(|n| (strsim::levenshtein(name, n), *n))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| format!("did you mean {n}? "))
        .unwrap_or_default();
    let mut report = Report::new(now);
    report.stop(
        Verdict::UsageError,
        Id::UsageArguments,
        format!("man: {name:?} is not a jwtcheck command"),
        format!("{closest}the commands: {}", names.join(", ")),
    );
    Outcome::Single(Box::new(report))
}
