//! The jwtcheck binary: parse, run, print, exit with the verdict's code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser as _;
use jwtcheck::cli::{CheckFormat, Cli, Command};
use jwtcheck::{commands, render};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = match jwtcheck::cli::fast::parse(&args) {
        Some(cli) => Ok(cli),
        None => Cli::try_parse_from(&args),
    };
    let cli = match parsed {
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
                print!("{}", render::json::render(&report));
                return ExitCode::from(report.verdict.exit_code());
            }
            e.exit();
        }
    };
    let color = render::use_color(cli.global.color, std::io::stdout().is_terminal(), &|name| {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    });
    colored::control::set_override(color);

    // stdin unlocked: `verify --batch -` reads it on another thread.
    let outcome = commands::run(
        &cli,
        &mut std::io::stdin(),
        &mut std::io::stdout(),
        commands::system_now(),
    );
    let format = match &cli.command {
        _ if cli.global.json => render::Format::Json,
        Command::Check {
            format: CheckFormat::Github,
            ..
        } => render::Format::Github,
        _ => render::Format::Text,
    };
    let text = render::render(&outcome, format);
    if let jwtcheck::report::Outcome::Written { stderr, .. } = &outcome {
        let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
    }
    // `login --print`, `mint`: the token alone on stdout (when it passed), the report on stderr.
    // A token from a sign-in (the report has its callback) whose keys could not be obtained is
    // printed too (exit 3; the report says it is unverified): its code is spent, while a minted
    // token can be minted again.
    let (report_out, token): (Box<dyn Write>, Option<&str>) = match &outcome {
        jwtcheck::report::Outcome::Printed { token, report, .. } => (
            Box::new(std::io::stderr().lock()),
            token.as_deref().filter(|_| {
                outcome.exit_code() == 0
                    || (report.verdict == jwtcheck::report::Verdict::Undecidable
                        && report.callback.is_some())
            }),
        ),
        _ => (Box::new(std::io::stdout().lock()), None),
    };
    let mut report_out = report_out;
    // A closed pipe (e.g. `| head`) is not an error worth a panic or a message.
    let _ = report_out
        .write_all(text.as_bytes())
        .and_then(|()| report_out.flush());
    drop(report_out);
    if let Some(token) = token {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{token}").and_then(|()| stdout.flush());
    }
    // Everything is written and flushed: exit without freeing the report piece by piece.
    std::process::exit(i32::from(outcome.exit_code()))
}
