//! The jwtcheck binary: parse, run, print, exit with the verdict's code.

use std::io::{IsTerminal, Write};

use clap::Parser as _;
use jwtcheck::cli::{CheckFormat, Cli, Command};
use jwtcheck::report::Outcome;
use jwtcheck::{commands, render};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            // The arguments as the OS gave them: one that is not UTF-8 is a usage error to
            // report, not a reason to panic.
            let asked_for_json = args.iter().any(|a| a == "--json");
            let is_help = matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if asked_for_json && !is_help {
                let report =
                    jwtcheck::report::usage_report(&e.render().to_string(), commands::system_now());
                let text = match jwtcheck::cli::batch_in(&args) {
                    true => render::json::render_line(&report),
                    false => render::json::render(&report),
                };
                let written = render::write_out(&mut std::io::stdout().lock(), text.as_bytes());
                exit(written, report.verdict.exit_code());
            }
            // clap's help and errors, coloured by the same decision as every other output.
            let terminal = match e.use_stderr() {
                true => std::io::stderr().is_terminal(),
                false => std::io::stdout().is_terminal(),
            };
            let color = render::use_color(jwtcheck::cli::color_in(&args), terminal, &env);
            let text = match color {
                true => e.render().ansi().to_string(),
                false => e.render().to_string(),
            };
            let written = match e.use_stderr() {
                true => render::write_out(&mut std::io::stderr().lock(), text.as_bytes()),
                false => render::write_out(&mut std::io::stdout().lock(), text.as_bytes()),
            };
            exit(written, u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    if let Some(report) = cli.json_refused(commands::system_now()) {
        let text = render::json::render(&report);
        let written = render::write_out(&mut std::io::stdout().lock(), text.as_bytes());
        exit(written, report.verdict.exit_code());
    }
    let color = render::use_color(cli.global.color, std::io::stdout().is_terminal(), &env);
    colored::control::set_override(color);

    // stdin unlocked: `verify --batch -` reads it on another thread.
    let outcome = commands::run(
        &cli,
        &mut std::io::stdin(),
        &mut std::io::stdout(),
        commands::system_now(),
    );
    let format = match &cli.command {
        Command::Verify { batch: Some(_), .. } if cli.global.json => render::Format::Ndjson,
        _ if cli.global.json => render::Format::Json,
        Command::Check {
            format: CheckFormat::Github,
            ..
        } => render::Format::Github,
        _ => render::Format::Text,
    };
    let text = render::render(&outcome, format);
    if let Outcome::Written { stderr, .. } = &outcome {
        let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
    }
    let written = match &outcome {
        // `login --print`, `mint`: the report on stderr, the token alone on stdout (when it
        // passed). A token from a sign-in (the report has its callback) whose keys could not be
        // obtained is printed too (exit 3; the report says it is unverified): its code is spent,
        // while a minted token can be minted again.
        Outcome::Printed { token, report, .. } => {
            let _ = render::write_out(&mut std::io::stderr().lock(), text.as_bytes());
            let printable = outcome.exit_code() == 0
                || (report.verdict == jwtcheck::report::Verdict::Undecidable
                    && report.callback.is_some());
            match token.as_deref().filter(|_| printable) {
                Some(token) => render::write_out(
                    &mut std::io::stdout().lock(),
                    format!("{token}\n").as_bytes(),
                ),
                None => Ok(()),
            }
        }
        _ => render::write_out(&mut std::io::stdout().lock(), text.as_bytes()),
    };
    exit(written, outcome.exit_code())
}

/// Exits with `code` once the output is written, or with the write failure's code and its
/// line on stderr (nothing after the failure was judged). Exits without freeing the report
/// piece by piece.
fn exit(written: Result<(), render::WriteError>, code: u8) -> ! {
    let code = match written {
        Ok(()) => code,
        Err(e) => {
            let _ = std::io::stderr().lock().write_all(e.stderr().as_bytes());
            e.exit_code()
        }
    };
    std::process::exit(i32::from(code))
}
