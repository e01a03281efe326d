//! The jwtcheck binary: parse, run, print, exit with the verdict's code.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::{CommandFactory as _, FromArgMatches as _};
use jwtcheck::cli::{CheckFormat, Cli, Command};
use jwtcheck::report::Outcome;
use jwtcheck::{commands, render};

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = parse(&args);
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
    exit(print(&outcome, &text), outcome.exit_code())
}

/// An environment variable as text, for the colour decision.
fn env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// The command line as clap reads it; a usage error (or help, or the version) is printed and
/// ends the process. clap's command is not freed: the process ends soon, and freeing every
/// command's definition was a tenth of a one-token verify's start-up.
fn parse(args: &[OsString]) -> Cli {
    let mut command = Cli::command();
    // As `Cli::try_parse_from`, which would drop the command.
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| {
            Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut Cli::command()))
        });
    std::mem::forget(command);
    match parsed {
        Ok(cli) => cli,
        Err(e) => refused(&e, args),
    }
}

/// Prints clap's help, version or usage error (as a JSON report with `--json`) and exits.
fn refused(e: &clap::Error, args: &[OsString]) -> ! {
    use clap::error::ErrorKind;
    // The arguments as the OS gave them: one that is not UTF-8 is a usage error to report, not
    // a reason to panic.
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
        let text = match jwtcheck::cli::batch_in(args) {
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
    let color = render::use_color(jwtcheck::cli::color_in(args), terminal, &env);
    let text = match color {
        true => e.render().ansi().to_string(),
        false => e.render().to_string(),
    };
    let written = match e.use_stderr() {
        true => render::write_out(&mut std::io::stderr().lock(), text.as_bytes()),
        false => render::write_out(&mut std::io::stdout().lock(), text.as_bytes()),
    };
    exit(written, u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Writes the rendered outcome. `login --print`, `mint`: the report on stderr, the token alone
/// on stdout (when it passed). A token from a sign-in (the report has its callback) whose keys
/// could not be obtained is printed too (exit 3; the report says it is unverified): its code is
/// spent, while a minted token can be minted again.
fn print(outcome: &Outcome, text: &str) -> Result<(), render::WriteError> {
    let Outcome::Printed { token, report, .. } = outcome else {
        return render::write_out(&mut std::io::stdout().lock(), text.as_bytes());
    };
    let _ = render::write_out(&mut std::io::stderr().lock(), text.as_bytes());
    let printable = outcome.exit_code() == 0
        || (report.verdict == jwtcheck::report::Verdict::Undecidable && report.callback.is_some());
    match token.as_deref().filter(|_| printable) {
        Some(token) => render::write_out(
            &mut std::io::stdout().lock(),
            format!("{token}\n").as_bytes(),
        ),
        None => Ok(()),
    }
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
