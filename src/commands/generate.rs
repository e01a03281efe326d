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
    let script = String::from_utf8_lossy(&out).into_owned();
    Outcome::Text(match shell {
        clap_complete::Shell::Bash => completes_at_paths(&script),
        _ => script,
    })
}

/// The bash script with `@FILE` completed: clap's function becomes `_jwtcheck_clap`, and
/// `_jwtcheck` completes a word that starts with `@` (TOKEN, `--hasura-config`, `--token`,
/// `--policy`) as the path after it, leaving every other word to clap's.
fn completes_at_paths(script: &str) -> String {
    const AT_PATHS: &str = r#"
# jwtcheck: a word starting with @ names a file (TOKEN, --hasura-config @FILE, --token @FILE):
# complete the path after the @; clap's completion does the rest.
_jwtcheck() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    if [[ "${cur}" == @* ]]; then
        local IFS=$'\n' path
        COMPREPLY=()
        for path in $(compgen -f -- "${cur#@}"); do
            [[ -d "${path}" ]] && path="${path}/"
            COMPREPLY+=("@${path}")
        done
        if [[ ${#COMPREPLY[@]} -eq 1 && "${COMPREPLY[0]}" == */ ]]; then
            compopt -o nospace 2>/dev/null
        fi
        return 0
    fi
    _jwtcheck_clap "$@"
}
"#;
    let renamed = script.replacen("_jwtcheck() {", "_jwtcheck_clap() {", 1);
    format!("{renamed}{AT_PATHS}")
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
    match render_page(&page, &mut out) {
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

/// One man page: clap_mangen's sections, then the text after the options in sections of our
/// own (clap_mangen's EXTRA joins every line into one justified paragraph, breaking the
/// examples): its paragraphs as NOTES, its examples as EXAMPLES, each line as written (`.nf`),
/// and the ENVIRONMENT.
fn render_page(page: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(page.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if page.get_subcommands().any(|c| !c.is_hide_set()) {
        man.render_subcommands_section(out)?;
    }
    let after = page
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (examples, notes): (Vec<&str>, Vec<&str>) = after
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .partition(|p| p.starts_with("Examples:"));
    let mut roff = String::new();
    if !notes.is_empty() {
        roff.push_str(".SH NOTES\n");
        for paragraph in notes {
            roff.push_str(".PP\n");
            roff.push_str(&roff_line(&paragraph.replace('\n', " ")));
            roff.push('\n');
        }
    }
    if !examples.is_empty() {
        roff.push_str(".SH EXAMPLES\n");
        for block in examples {
            roff.push_str(".PP\n.RS 4\n.nf\n");
            for line in block.lines().skip(1) {
                roff.push_str(&roff_line(line.strip_prefix("  ").unwrap_or(line)));
                roff.push('\n');
            }
            roff.push_str(".fi\n.RE\n");
        }
    }
    roff.push_str(".SH ENVIRONMENT\n");
    for (name, what) in crate::cli::ENVIRONMENT {
        roff.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_line(name),
            roff_line(what)
        ));
    }
    out.extend_from_slice(roff.as_bytes());
    if page.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// A line of text for roff: backslashes and hyphens escaped, a leading `.` or `'` (which roff
/// would read as a request) made plain.
fn roff_line(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
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
